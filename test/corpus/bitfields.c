/* Bit-fields: a packed cell record for a 1-D cellular automaton (rule
 * numbers, ages and flags in bit-fields), plus a packed date/time record.
 * usage: bitfields [CELLS] [GENERATIONS] */
#include <stdio.h>
#include <stdlib.h>

struct cell {
  unsigned alive : 1;
  unsigned age : 5;       /* saturates at 31 */
  unsigned flips : 10;    /* wraps at 1024 */
  signed trend : 3;       /* -4..3 */
  unsigned rule : 8;
  unsigned : 0;
  unsigned short tag : 12;
};

struct stamp {
  unsigned year : 12, month : 4, day : 5, hour : 5, minute : 6;
};

static struct stamp advance(struct stamp t, int minutes) {
  int m = t.minute + minutes;
  t.minute = m % 60;
  m = t.hour + m / 60;
  t.hour = m % 24;
  m = t.day + m / 24;
  while (m > 28) {
    m -= 28;
    if (++t.month > 12) t.month = 1, t.year++;
  }
  t.day = m;
  return t;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 4000;
  int gens = argc > 2 ? atoi(argv[2]) : 400;
  struct cell *c = calloc(n, sizeof *c), *d = calloc(n, sizeof *d);
  struct stamp t = { 1994, 4, 1, 9, 30 };
  int g, i;

  for (i = 0; i < n; i++) {
    c[i].alive = (i * 7919u) % 11 < 4;
    c[i].rule = i % 3 ? 110 : 30;
    c[i].tag = (unsigned short)(i * 37);
  }
  for (g = 0; g < gens; g++) {
    unsigned alive = 0, old = 0, hash = 0;
    for (i = 0; i < n; i++) {
      int l = c[(i + n - 1) % n].alive, m = c[i].alive, r = c[(i + 1) % n].alive;
      int next = (c[i].rule >> (l << 2 | m << 1 | r)) & 1;
      d[i] = c[i];
      d[i].alive = next;
      if (next != m) {
        d[i].flips++;
        d[i].age = 0;
        d[i].trend = next ? (d[i].trend < 3 ? d[i].trend + 1 : 3) : (d[i].trend > -4 ? d[i].trend - 1 : -4);
      } else if (d[i].age < 31) {
        d[i].age++;
      }
    }
    for (i = 0; i < n; i++) {
      c[i] = d[i];
      alive += c[i].alive;
      old += c[i].age == 31;
      hash = hash * 31u + (c[i].flips ^ (unsigned)(c[i].trend + 4) << 10 ^ c[i].tag);
    }
    t = advance(t, 97);
    if (g % 40 == 0)
      printf("gen %d (%04u-%02u-%02u %02u:%02u): alive %u old %u hash %08x\n", g, t.year, t.month, t.day, t.hour,
             t.minute, alive, old, hash);
  }
  free(c);
  free(d);
  return 0;
}
