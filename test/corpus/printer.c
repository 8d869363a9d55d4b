/* A program that prints a lot: a table of Collatz trajectory lengths,
 * peaks and binary digits, one line per number, thousands of lines.
 * usage: printer [COUNT] */
#include <stdio.h>
#include <stdlib.h>

static int steps(unsigned long long n, unsigned long long *peak) {
  int s = 0;
  *peak = n;
  while (n != 1) {
    n = (n & 1) ? 3 * n + 1 : n / 2;
    if (n > *peak) *peak = n;
    s++;
  }
  return s;
}

static void binary(char *buf, unsigned v) {
  char tmp[40];
  int i = 0, j = 0;
  do {
    tmp[i++] = (char)('0' + (v & 1));
    v >>= 1;
  } while (v);
  while (i) buf[j++] = tmp[--i];
  buf[j] = 0;
}

int main(int argc, char **argv) {
  int count = argc > 1 ? atoi(argv[1]) : 20000;
  int i, longest = 0;
  char bits[40];

  printf("%8s %6s %20s %s\n", "n", "steps", "peak", "binary");
  for (i = 1; i <= count; i++) {
    unsigned long long peak;
    int s = steps((unsigned long long)i, &peak);
    if (s > longest) longest = s;
    binary(bits, (unsigned)i);
    printf("%8d %6d %20llu %s\n", i, s, peak, bits);
  }
  printf("longest trajectory below %d: %d steps\n", count + 1, longest);
  return 0;
}
