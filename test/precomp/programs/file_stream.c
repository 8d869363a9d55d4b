/* Reads numbers from an input file and, while it computes, writes a result
 * line for each to an output file; progress goes to an append-mode log
 * (open() + fdopen()) and to standard output (through a FILE * variable),
 * and every tenth result to OUTPUT.10 through a plain descriptor (write()).
 * The streams are held in a local, a heap block and a global; another
 * global keeps pointing to a stream the program has closed.
 * test/system/precomp_open_files.sh migrates it mid-run: the files it
 * writes must be byte-identical to an unmigrated run's.
 *   file_stream INPUT OUTPUT LOG */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct sink {
  FILE *out;
  int lines;
};

static FILE *g_log;
static FILE *g_probe; /* closed after the first line: left dangling */

/* Steps of the Collatz sequence from n to 1. */
static int collatz(unsigned long long n) {
  int steps = 0;
  while (n != 1) {
    n = (n & 1) ? 3 * n + 1 : n / 2;
    ++steps;
  }
  return steps;
}

static int work(unsigned long long v, int rounds) {
  int r, s = 0;
  for (r = 0; r < rounds; ++r) s += collatz(v + (unsigned long long)r);
  return s;
}

int main(int argc, char **argv) {
  FILE *in, *echo = stdout;
  struct sink *s;
  char line[128], tenth[160];
  int n = 0, total = 0, fd, raw;
  if (argc < 4) {
    fprintf(stderr, "usage: file_stream INPUT OUTPUT LOG\n");
    return 2;
  }
  g_probe = fopen(argv[1], "r");
  if (!g_probe || !fgets(line, sizeof line, g_probe)) {
    perror("file_stream");
    return 1;
  }
  fclose(g_probe);
  in = fopen(argv[1], "r");
  s = malloc(sizeof *s);
  s->out = fopen(argv[2], "w");
  s->lines = 0;
  fd = open(argv[3], O_WRONLY | O_APPEND | O_CREAT, 0644);
  g_log = fd >= 0 ? fdopen(fd, "a") : 0;
  snprintf(tenth, sizeof tenth, "%s.10", argv[2]);
  raw = open(tenth, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (!in || !s->out || !g_log || raw < 0) {
    perror("file_stream");
    return 1;
  }
  fprintf(g_log, "start: first number %s", line);
  while (fgets(line, sizeof line, in)) {
    unsigned long long v = strtoull(line, 0, 10);
    int steps = work(v, 40);
    total = (total + steps) % 1000003;
    fprintf(s->out, "%llu %d %d\n", v, steps, total);
    s->lines++;
    if (n % 10 == 0) {
      snprintf(tenth, sizeof tenth, "%d: %llu %d\n", n, v, steps);
      if (write(raw, tenth, strlen(tenth)) < 0) perror("file_stream");
    }
    if (++n % 50 == 0) {
      fprintf(echo, "%d lines\n", n);
      fprintf(g_log, "%d lines, total %d\n", n, total);
    }
  }
  fprintf(echo, "done: %d lines, total %d\n", s->lines, total);
  fprintf(g_log, "done\n");
  fclose(in);
  fclose(s->out);
  fclose(g_log);
  close(raw);
  free(s);
  return 0;
}
