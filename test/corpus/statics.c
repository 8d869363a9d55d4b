/* Static locals: a random generator keeping its state in a static local,
 * a memo table in a static array inside a function, a call counter, and a
 * function returning a pointer to its own static buffer.
 * usage: statics [ROUNDS] */
#include <stdio.h>
#include <stdlib.h>

static unsigned next_random(void) {
  static unsigned x = 2463534242u;   /* xorshift32 */
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

static unsigned long long partitions(int n) {
  static unsigned long long memo[400];
  static int calls;
  unsigned long long s = 0;
  int k;
  calls++;
  if (n < 0) return 0;
  if (n == 0) return 1;
  if (n < 400 && memo[n]) return memo[n];
  /* Euler's pentagonal recurrence */
  for (k = 1; k * (3 * k - 1) / 2 <= n; k++) {
    unsigned long long a = partitions(n - k * (3 * k - 1) / 2) + partitions(n - k * (3 * k + 1) / 2);
    if (k % 2) s += a; else s -= a;
  }
  if (n < 400) memo[n] = s;
  return s;
}

static const char *label(int i) {
  static char buf[32];
  static int uses = 0;
  uses++;
  sprintf(buf, "item-%d/%d", i, uses);
  return buf;
}

static int counter(int reset) {
  static int count = 100;
  if (reset) count = 100;
  return ++count;
}

int main(int argc, char **argv) {
  int rounds = argc > 1 ? atoi(argv[1]) : 20000;
  unsigned acc = 0;
  int i;

  for (i = 0; i < rounds; i++) {
    unsigned r = next_random();
    acc = acc * 7u + (r >> 7);
    if (i % 1000 == 0) counter(1);
    counter(0);
    if (i % 2000 == 0) printf("%s: random %08x counter %d\n", label(i), r, counter(0));
  }
  for (i = 10; i <= 300; i += 29) printf("p(%d) = %llu\n", i, partitions(i));
  printf("acc %08x, counter %d, %s\n", acc, counter(0), label(-1));
  return 0;
}
