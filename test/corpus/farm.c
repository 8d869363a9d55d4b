/* A master/worker farm in the usual PVM style: one program, the master is
 * the task without a parent; it spawns workers running the same program,
 * hands out work units on demand and collects the results, which it prints
 * in work-unit order.  A unit: integrate exp(-x^2)*cos(kx) over [0, 4] by
 * Simpson's rule, and count the primes in a range.
 * usage: farm [WORKERS] [UNITS] [STEPS] */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <pvm3.h>

#define TAG_WORK 1
#define TAG_RESULT 2
#define TAG_READY 3
#define TAG_STOP 4
#define MAXW 16
#define MAXU 512

static double simpson(int k, int steps) {
  double h = 4.0 / steps, s = 0;
  int i;
  for (i = 0; i <= steps; i++) {
    double x = i * h, f = exp(-x * x) * cos(k * x);
    s += (i == 0 || i == steps) ? f : (i % 2 ? 4 * f : 2 * f);
  }
  return s * h / 3;
}

static int primes_in(int lo, int hi) {
  int n, d, c = 0;
  for (n = lo < 2 ? 2 : lo; n < hi; n++) {
    for (d = 2; d * d <= n; d++)
      if (n % d == 0) break;
    if (d * d > n) c++;
  }
  return c;
}

static void worker(void) {
  int parent = pvm_parent(), unit, steps, count;
  double value;
  pvm_initsend(PvmDataDefault);
  pvm_send(parent, TAG_READY);
  for (;;) {
    int bufid = pvm_recv(parent, -1), bytes, tag, src;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    if (tag == TAG_STOP) break;
    pvm_upkint(&unit, 1, 1);
    pvm_upkint(&steps, 1, 1);
    value = simpson(unit, steps);
    count = primes_in(unit * steps, (unit + 1) * steps);
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&unit, 1, 1);
    pvm_pkdouble(&value, 1, 1);
    pvm_pkint(&count, 1, 1);
    pvm_send(parent, TAG_RESULT);
  }
}

static void master(int nw, int units, int steps) {
  int tids[MAXW], got, i, next = 0, done = 0, total = 0;
  static double value[MAXU];
  static int count[MAXU];
  double sum = 0;

  got = pvm_spawn("farm", (char **)0, PvmTaskDefault, "", nw, tids);
  if (got < nw) {
    printf("spawned only %d of %d workers\n", got, nw);
    for (i = 0; i < got; i++) pvm_kill(tids[i]);
    pvm_exit();
    exit(1);
  }
  printf("farm: %d workers, %d units of %d steps\n", nw, units, steps);
  while (done < units) {
    int bufid = pvm_recv(-1, -1), bytes, tag, src;
    pvm_bufinfo(bufid, &bytes, &tag, &src);
    if (tag == TAG_RESULT) {
      int u;
      pvm_upkint(&u, 1, 1);
      pvm_upkdouble(&value[u], 1, 1);
      pvm_upkint(&count[u], 1, 1);
      done++;
    }
    pvm_initsend(PvmDataDefault);
    if (next < units) {
      pvm_pkint(&next, 1, 1);
      pvm_pkint(&steps, 1, 1);
      pvm_send(src, TAG_WORK);
      next++;
    } else {
      pvm_send(src, TAG_STOP);
    }
  }
  for (i = 0; i < units; i++) {
    printf("unit %3d: integral %.9f primes %d\n", i, value[i], count[i]);
    sum += value[i];
    total += count[i];
  }
  printf("sum of integrals %.9f, %d primes\n", sum, total);
}

int main(int argc, char **argv) {
  int nw = argc > 1 ? atoi(argv[1]) : 4;
  int units = argc > 2 ? atoi(argv[2]) : 64;
  int steps = argc > 3 ? atoi(argv[3]) : 20000;
  if (nw > MAXW) nw = MAXW;
  if (units > MAXU) units = MAXU;
  if (pvm_mytid() < 0) return 1;
  if (pvm_parent() == PvmNoParent) master(nw, units, steps);
  else worker();
  pvm_exit();
  return 0;
}
