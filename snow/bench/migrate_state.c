/* migrate_state: the workload of `snow bench migrate` (snow/bench/migrate.sh).
 *
 *   migrate_state BYTES PIDFILE
 *
 * An ordinary C program, built with snowcc.  It allocates one array of
 * BYTES bytes (its whole state, but for a few scalars), fills it with a
 * pattern of the byte's index, writes "PID HOSTNAME" to PIDFILE (the
 * benchmark watches that process's memory while it migrates), and then
 * passes its only migration point -- the benchmark holds it there
 * (SNOW_EXEC_TRIGGER=1:...) and moves it with `snow migrate`.  Afterwards it
 * checks every byte of the array against the pattern and prints one line:
 *
 *   OK bytes=N moved=yes|no from=HOST on=HOST hwm_kb=K rss_kb=K
 *   MISMATCH bytes=N bad=COUNT first=INDEX ...
 *
 * hwm_kb and rss_kb are this process's VmHWM and VmRSS (/proc/self/status)
 * after the check: on a destination, the peak of restoring the state and
 * what stays resident.  The exit status is 0 only for OK.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* the pattern: depends on the index only, byte by byte (so the same on every
   architecture, whatever its byte order) */
static unsigned char pattern(unsigned long i)
{
    return (unsigned char)(i * 7UL + (i >> 11) + (i >> 23));
}

static void fill(unsigned char *a, unsigned long n)
{
    unsigned long i;
    for (i = 0; i < n; i++)
        a[i] = pattern(i);
}

/* the number of bytes that differ from the pattern; *first, the first one */
static unsigned long check(const unsigned char *a, unsigned long n, unsigned long *first)
{
    unsigned long i, bad = 0;
    *first = n;
    for (i = 0; i < n; i++)
        if (a[i] != pattern(i)) {
            if (bad == 0)
                *first = i;
            bad++;
        }
    return bad;
}

/* VmHWM and VmRSS of this process, in kB (-1 when unknown) */
static void memory_kb(long *hwm, long *rss)
{
    char line[256];
    FILE *f = fopen("/proc/self/status", "r");
#pragma snow nopoll
    *hwm = -1;
    *rss = -1;
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0)
            *hwm = atol(line + 6);
        else if (strncmp(line, "VmRSS:", 6) == 0)
            *rss = atol(line + 6);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    unsigned long n, bad, first;
    unsigned char *a;
    char from[64], on[64];
    long hwm, rss;
    FILE *f;
#pragma snow nopoll

    if (argc != 3) {
        fprintf(stderr, "usage: migrate_state BYTES PIDFILE\n");
        return 2;
    }
    n = strtoul(argv[1], NULL, 10);
    if (n == 0) {
        fprintf(stderr, "migrate_state: BYTES must be a positive number, not '%s'\n", argv[1]);
        return 2;
    }
    a = malloc(n);
    if (!a) {
        fprintf(stderr, "migrate_state: cannot allocate %lu bytes\n", n);
        return 1;
    }
    fill(a, n);
    memset(from, 0, sizeof from);
    gethostname(from, sizeof from - 1);
    f = fopen(argv[2], "w");
    if (!f) {
        fprintf(stderr, "migrate_state: cannot write %s\n", argv[2]);
        return 1;
    }
    fprintf(f, "%ld %s\n", (long)getpid(), from);
    fclose(f);

#pragma snow poll
    memset(on, 0, sizeof on);
    gethostname(on, sizeof on - 1);
    bad = check(a, n, &first);
    memory_kb(&hwm, &rss);
    if (bad != 0) {
        printf("MISMATCH bytes=%lu bad=%lu first=%lu moved=%s from=%s on=%s\n", n, bad, first,
               strcmp(from, on) != 0 ? "yes" : "no", from, on);
        return 1;
    }
    printf("OK bytes=%lu moved=%s from=%s on=%s hwm_kb=%ld rss_kb=%ld\n", n,
           strcmp(from, on) != 0 ? "yes" : "no", from, on, hwm, rss);
    free(a);
    return 0;
}
