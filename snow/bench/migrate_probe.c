/* migrate_probe: the baselines and the memory watch of `snow bench migrate`
 * (snow/bench/migrate.sh), built with the native compiler.
 *
 *   migrate_probe recv PORT BYTES      listen on PORT (all addresses), print
 *                                      "ready", take one connection, read
 *                                      BYTES, answer one byte, exit
 *   migrate_probe send IP PORT BYTES   connect to IP:PORT, send BYTES, wait
 *                                      for the answer; prints the seconds
 *                                      from connecting to the answer
 *   migrate_probe watch PID            read /proc/PID/status every
 *                                      millisecond until PID is gone;
 *                                      prints "RSS0 HWM0 HWM RSS SAMPLES" in
 *                                      kB: VmRSS and VmHWM at the first
 *                                      sample, then the last VmHWM and the
 *                                      largest VmRSS seen
 *
 * Plain TCP of the same bytes the migration moves, between the same two
 * virtual hosts (the benchmark runs recv and send in their network
 * namespaces): what the wire alone needs.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { CHUNK = 1 << 20, CONNECT_TRIES = 500, CONNECT_PAUSE_US = 10000, WATCH_PERIOD_US = 1000 };

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int die(const char *what)
{
    fprintf(stderr, "migrate_probe: %s: %s\n", what, strerror(errno));
    return 1;
}

static unsigned long long bytes_arg(const char *s)
{
    char *end;
    unsigned long long n = strtoull(s, &end, 10);
    if (*s == '\0' || *end != '\0' || n == 0) {
        fprintf(stderr, "migrate_probe: not a byte count: '%s'\n", s);
        exit(2);
    }
    return n;
}

static int do_recv(int port, unsigned long long n)
{
    static char buf[CHUNK];
    struct sockaddr_in a;
    int one = 1, ls, s;
    unsigned long long got = 0;

    ls = socket(AF_INET, SOCK_STREAM, 0);
    if (ls < 0)
        return die("socket");
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    a.sin_addr.s_addr = htonl(INADDR_ANY);
    if (bind(ls, (struct sockaddr *)&a, sizeof a) < 0)
        return die("bind");
    if (listen(ls, 1) < 0)
        return die("listen");
    printf("ready\n");
    fflush(stdout);
    s = accept(ls, NULL, NULL);
    if (s < 0)
        return die("accept");
    while (got < n) {
        size_t want = n - got < CHUNK ? (size_t)(n - got) : CHUNK;
        ssize_t k = recv(s, buf, want, 0);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            fprintf(stderr, "migrate_probe: the sender stopped after %llu of %llu bytes\n", got, n);
            return 1;
        }
        got += (unsigned long long)k;
    }
    if (send(s, "k", 1, MSG_NOSIGNAL) != 1)
        return die("answer");
    close(s);
    close(ls);
    return 0;
}

static int do_send(const char *ip, int port, unsigned long long n)
{
    static char buf[CHUNK];
    struct sockaddr_in a;
    int s = -1, i, one = 1;
    unsigned long long sent = 0;
    double t0;
    char ack;

    memset(buf, 0x5a, sizeof buf);
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_port = htons((unsigned short)port);
    if (inet_pton(AF_INET, ip, &a.sin_addr) != 1) {
        fprintf(stderr, "migrate_probe: not an IPv4 address: '%s'\n", ip);
        return 2;
    }
    t0 = now();
    for (i = 0; i < CONNECT_TRIES; i++) {
        s = socket(AF_INET, SOCK_STREAM, 0);
        if (s < 0)
            return die("socket");
        t0 = now();
        if (connect(s, (struct sockaddr *)&a, sizeof a) == 0)
            break;
        close(s);
        s = -1;
        usleep(CONNECT_PAUSE_US);
    }
    if (s < 0)
        return die("connect");
    setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    while (sent < n) {
        size_t want = n - sent < CHUNK ? (size_t)(n - sent) : CHUNK;
        ssize_t k = send(s, buf, want, MSG_NOSIGNAL);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0)
            return die("send");
        sent += (unsigned long long)k;
    }
    if (recv(s, &ack, 1, MSG_WAITALL) != 1) {
        fprintf(stderr, "migrate_probe: no answer from the receiver\n");
        return 1;
    }
    printf("%.6f\n", now() - t0);
    close(s);
    return 0;
}

/* VmHWM and VmRSS of pid in kB; 0 when it is gone */
static int status_kb(const char *path, long *hwm, long *rss)
{
    char line[256];
    FILE *f = fopen(path, "r");
    *hwm = *rss = -1;
    if (!f)
        return 0;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "VmHWM:", 6) == 0)
            *hwm = atol(line + 6);
        else if (strncmp(line, "VmRSS:", 6) == 0)
            *rss = atol(line + 6);
    }
    fclose(f);
    return *hwm >= 0 && *rss >= 0; /* a zombie has neither */
}

static int do_watch(const char *pid)
{
    char path[64];
    long hwm, rss, rss0 = -1, hwm0 = -1, hwm_last = -1, rss_max = -1, samples = 0;
    snprintf(path, sizeof path, "/proc/%s/status", pid);
    while (status_kb(path, &hwm, &rss)) {
        if (samples++ == 0) {
            rss0 = rss;
            hwm0 = hwm;
        }
        hwm_last = hwm;
        if (rss > rss_max)
            rss_max = rss;
        usleep(WATCH_PERIOD_US);
    }
    if (samples == 0) {
        fprintf(stderr, "migrate_probe: no process %s to watch\n", pid);
        return 1;
    }
    printf("%ld %ld %ld %ld %ld\n", rss0, hwm0, hwm_last, rss_max, samples);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "recv") == 0)
        return do_recv(atoi(argv[2]), bytes_arg(argv[3]));
    if (argc == 5 && strcmp(argv[1], "send") == 0)
        return do_send(argv[2], atoi(argv[3]), bytes_arg(argv[4]));
    if (argc == 3 && strcmp(argv[1], "watch") == 0)
        return do_watch(argv[2]);
    fprintf(stderr, "usage: migrate_probe recv PORT BYTES | send IP PORT BYTES | watch PID\n");
    return 2;
}
