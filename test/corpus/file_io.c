/* Reads an input file, writes a result file: the classic batch program.
 * The input holds records "NAME VALUE WEIGHT" (one per line, `#` comments);
 * the program makes several passes over it (rewind), keeps a running
 * weighted histogram and writes a report to the output file as it goes.
 * usage: file_io INPUT OUTPUT [PASSES] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKET 32

int main(int argc, char **argv) {
  FILE *in, *out;
  char line[256], name[64];
  double hist[NBUCKET];
  int passes, pass, records = 0, bad = 0, i;
  double value, weight, total = 0;

  if (argc < 3) {
    fprintf(stderr, "usage: %s INPUT OUTPUT [PASSES]\n", argv[0]);
    return 2;
  }
  passes = argc > 3 ? atoi(argv[3]) : 5;
  in = fopen(argv[1], "r");
  if (!in) {
    perror(argv[1]);
    return 1;
  }
  out = fopen(argv[2], "w");
  if (!out) {
    perror(argv[2]);
    return 1;
  }
  memset(hist, 0, sizeof hist);
  for (pass = 1; pass <= passes; pass++) {
    int n = 0;
    rewind(in);
    while (fgets(line, sizeof line, in)) {
      if (line[0] == '#' || line[0] == '\n') continue;
      if (sscanf(line, "%63s %lf %lf", name, &value, &weight) != 3) {
        bad++;
        continue;
      }
      i = (int)(value * pass) % NBUCKET;
      if (i < 0) i += NBUCKET;
      hist[i] += weight / pass;
      total += value * weight;
      n++;
      if (n % 500 == 0) fprintf(out, "pass %d record %d %s total %.6f\n", pass, n, name, total);
    }
    records += n;
    printf("pass %d: %d records, total %.6f\n", pass, n, total);
  }
  fprintf(out, "histogram after %d passes (%d records, %d bad lines):\n", passes, records, bad);
  for (i = 0; i < NBUCKET; i++) fprintf(out, "%2d %.6f\n", i, hist[i]);
  fclose(out);
  fclose(in);
  printf("%d records, %d bad lines\n", records, bad);
  return 0;
}
