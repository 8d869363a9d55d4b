/*
 * smoke_ring -- typed data around a ring of PVM tasks, one per host.
 *
 * The master (started by hand, e.g. `snow run smoke_ring`) spawns one worker
 * on every host of the virtual machine and sends a token around the ring
 * master -> w1 -> ... -> wN -> master for several laps.  Every hop unpacks
 * every value, checks it bit for bit against what the previous hop must
 * have packed, and packs a *new* set of values (they depend on the hop
 * number), so every architecture both decodes and encodes every type:
 * char, short, int, long (32-bit range, via pvm_pklong), 64-bit integers
 * carried explicitly as two 32-bit halves, float, double (including -0.0,
 * subnormals, extremes and NaN) and strings.
 *
 * Exit status 0 only when every value at every hop was right.
 *
 * SMOKE_CORRUPT_HOP=k makes the sender of hop k damage one value, to show
 * that the checks catch it.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <pvm3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define TAG_SETUP 1
#define TAG_TOKEN 2
#define MAXTASK 64
#define NVAL 8
#define LONGSTR 3000

struct values {
  signed char c[NVAL];  /* plain char is unsigned on s390x */
  unsigned char uc[NVAL];
  short s[NVAL];
  unsigned short us[NVAL];
  int i[NVAL];
  unsigned int ui[NVAL];
  long l[NVAL];       /* 0..2^31-1: pvm_pklong is 32-bit on the wire, and
                         LP64 libpvm3 does not sign-extend pvm_upklong
                         (doc/pvm-facts.md); signed 64-bit goes in ll[] */
  int64_t ll[NVAL];   /* full 64-bit range, carried as hi/lo halves     */
  uint64_t ull[NVAL];
  float f[NVAL];
  double d[NVAL];
  char str1[64];
  char str2[256];     /* every byte value 1..255 */
  char str3[LONGSTR + 1];
  char str4[1];       /* empty string */
};

static char where[256];

/* All values for (lap, hop): deterministic, varied, full of edge cases. */
static void make_values(struct values *v, int lap, int hop) {
  int k;
  unsigned int seed = (unsigned)(lap * 7919 + hop * 104729 + 1);
  memset(v, 0, sizeof *v);
  for (k = 0; k < NVAL; k++) {
    seed = seed * 1103515245u + 12345u;
    v->c[k] = (signed char)(k == 0 ? SCHAR_MIN : k == 1 ? SCHAR_MAX : (int)(seed >> 16) % 100 - 50);
    v->uc[k] = (unsigned char)(k == 0 ? 0 : k == 1 ? UCHAR_MAX : seed >> 8);
    v->s[k] = (short)(k == 0 ? SHRT_MIN : k == 1 ? SHRT_MAX : (int)(seed >> 12) - 30000);
    v->us[k] = (unsigned short)(k == 0 ? 0 : k == 1 ? USHRT_MAX : seed >> 3);
    v->i[k] = k == 0 ? INT_MIN : k == 1 ? INT_MAX : (int)seed - hop;
    v->ui[k] = k == 0 ? 0u : k == 1 ? UINT_MAX : seed ^ (unsigned)lap;
    v->l[k] = k == 0 ? 0L : k == 1 ? 2147483647L : (long)((seed * 3u) >> 1) - hop;
    v->ll[k] = k == 0 ? INT64_MIN : k == 1 ? INT64_MAX
             : (int64_t)(((uint64_t)seed << 32) | (seed * 7u)) - (int64_t)hop;
    v->ull[k] = k == 0 ? 0 : k == 1 ? UINT64_MAX
              : ((uint64_t)(seed * 13u) << 33) ^ (uint64_t)(lap * 1000 + hop);
    switch (k) {
      case 0: v->f[k] = -0.0f; v->d[k] = -0.0; break;
      case 1: v->f[k] = FLT_MAX; v->d[k] = DBL_MAX; break;
      case 2: v->f[k] = FLT_MIN / 4.0f; v->d[k] = DBL_MIN / 1024.0; break; /* subnormal */
      case 3: v->f[k] = (float)NAN; v->d[k] = NAN; break;
      case 4: v->f[k] = -FLT_MIN; v->d[k] = -DBL_EPSILON; break;
      default:
        v->f[k] = (float)(seed % 100000) / 7.0f - (float)hop;
        v->d[k] = (double)seed / 3.0 + lap * 1e-9 - hop * 1e10;
    }
  }
  snprintf(v->str1, sizeof v->str1, "lap %d hop %d: hello, ring", lap, hop);
  for (k = 0; k < 255; k++) v->str2[k] = (char)(((k + hop) % 255) + 1);
  v->str2[255] = 0;
  for (k = 0; k < LONGSTR; k++) v->str3[k] = (char)('a' + (k * 31 + lap + hop) % 26);
  v->str3[LONGSTR] = 0;
  v->str4[0] = 0;
}

static void pk_values(const struct values *v) {
  int k;
  unsigned int halves[2 * NVAL];
  pvm_pkbyte((char *)v->c, NVAL, 1);
  pvm_pkbyte((char *)v->uc, NVAL, 1);
  pvm_pkshort((short *)v->s, NVAL, 1);
  pvm_pkushort((unsigned short *)v->us, NVAL, 1);
  pvm_pkint((int *)v->i, NVAL, 1);
  pvm_pkuint((unsigned int *)v->ui, NVAL, 1);
  if (pvm_pklong((long *)v->l, NVAL, 1) < 0) fprintf(stderr, "%s: pvm_pklong failed\n", where);
  for (k = 0; k < NVAL; k++) {
    halves[2 * k] = (unsigned int)((uint64_t)v->ll[k] >> 32);
    halves[2 * k + 1] = (unsigned int)((uint64_t)v->ll[k] & 0xffffffffu);
  }
  pvm_pkuint(halves, 2 * NVAL, 1);
  for (k = 0; k < NVAL; k++) {
    halves[2 * k] = (unsigned int)(v->ull[k] >> 32);
    halves[2 * k + 1] = (unsigned int)(v->ull[k] & 0xffffffffu);
  }
  pvm_pkuint(halves, 2 * NVAL, 1);
  pvm_pkfloat((float *)v->f, NVAL, 1);
  pvm_pkdouble((double *)v->d, NVAL, 1);
  pvm_pkstr((char *)v->str1);
  pvm_pkstr((char *)v->str2);
  pvm_pkstr((char *)v->str3);
  pvm_pkstr((char *)v->str4);
}

static int upk_values(struct values *v) {
  int k, rc = 0;
  unsigned int halves[2 * NVAL];
  memset(v, 0, sizeof *v);
  rc |= pvm_upkbyte((char *)v->c, NVAL, 1);
  rc |= pvm_upkbyte((char *)v->uc, NVAL, 1);
  rc |= pvm_upkshort(v->s, NVAL, 1);
  rc |= pvm_upkushort(v->us, NVAL, 1);
  rc |= pvm_upkint(v->i, NVAL, 1);
  rc |= pvm_upkuint(v->ui, NVAL, 1);
  rc |= pvm_upklong(v->l, NVAL, 1);
  rc |= pvm_upkuint(halves, 2 * NVAL, 1);
  for (k = 0; k < NVAL; k++)
    v->ll[k] = (int64_t)(((uint64_t)halves[2 * k] << 32) | halves[2 * k + 1]);
  rc |= pvm_upkuint(halves, 2 * NVAL, 1);
  for (k = 0; k < NVAL; k++) v->ull[k] = ((uint64_t)halves[2 * k] << 32) | halves[2 * k + 1];
  rc |= pvm_upkfloat(v->f, NVAL, 1);
  rc |= pvm_upkdouble(v->d, NVAL, 1);
  rc |= pvm_upkstr(v->str1);
  rc |= pvm_upkstr(v->str2);
  rc |= pvm_upkstr(v->str3);
  rc |= pvm_upkstr(v->str4);
  return rc < 0 ? -1 : 0;
}

/* Compare field by field; describe the first difference in `why`. */
#define CHECK_ARRAY(field, fmt, cast)                                             \
  for (k = 0; k < NVAL; k++)                                                     \
    if (memcmp(&got->field[k], &want->field[k], sizeof got->field[k]) != 0) {    \
      snprintf(why, n, #field "[%d]: expected " fmt " got " fmt, k,              \
               (cast)want->field[k], (cast)got->field[k]);                       \
      return 1;                                                                  \
    }

static int compare(const struct values *got, const struct values *want, char *why, size_t n) {
  int k;
  CHECK_ARRAY(c, "%d", int)
  CHECK_ARRAY(uc, "%u", unsigned)
  CHECK_ARRAY(s, "%d", int)
  CHECK_ARRAY(us, "%u", unsigned)
  CHECK_ARRAY(i, "%d", int)
  CHECK_ARRAY(ui, "%u", unsigned)
  CHECK_ARRAY(l, "%ld", long)
  CHECK_ARRAY(ll, "%lld", long long)
  CHECK_ARRAY(ull, "%llu", unsigned long long)
  CHECK_ARRAY(f, "%a", double)
  CHECK_ARRAY(d, "%a", double)
  if (strcmp(got->str1, want->str1)) { snprintf(why, n, "str1: expected \"%s\" got \"%s\"", want->str1, got->str1); return 1; }
  if (strcmp(got->str2, want->str2)) { snprintf(why, n, "str2 (bytes 1..255) differs"); return 1; }
  if (strcmp(got->str3, want->str3)) { snprintf(why, n, "str3 (%d chars) differs", LONGSTR); return 1; }
  if (strcmp(got->str4, want->str4)) { snprintf(why, n, "str4 (empty) differs"); return 1; }
  return 0;
}

/* Token: lap, hop, error count, first error text, then the values. */
static void send_token(int to, int lap, int hop, int errors, const char *err) {
  struct values v;
  const char *corrupt = getenv("SMOKE_CORRUPT_HOP");
  make_values(&v, lap, hop);
  if (corrupt && atoi(corrupt) == hop && lap == 0) {
    v.d[6] += 1e-3;  /* the injected fault */
    fprintf(stderr, "%s: SMOKE_CORRUPT_HOP: damaging d[6] of hop %d\n", where, hop);
  }
  pvm_initsend(PvmDataDefault);
  pvm_pkint(&lap, 1, 1);
  pvm_pkint(&hop, 1, 1);
  pvm_pkint(&errors, 1, 1);
  pvm_pkstr((char *)err);
  pk_values(&v);
  pvm_send(to, TAG_TOKEN);
}

/* Receive a token and check it; returns the lap (-1 = stop). */
static int recv_token(int from, int *hop, int *errors, char *err, size_t errlen) {
  struct values got, want;
  char why[512];
  int lap;
  pvm_recv(from, TAG_TOKEN);
  pvm_upkint(&lap, 1, 1);
  pvm_upkint(hop, 1, 1);
  pvm_upkint(errors, 1, 1);
  pvm_upkstr(err);
  if (lap < 0) return lap;
  if (upk_values(&got) < 0) {
    snprintf(why, sizeof why, "unpack failed");
  } else {
    make_values(&want, lap, *hop);
    if (!compare(&got, &want, why, sizeof why)) return lap;
  }
  if ((*errors)++ == 0)
    snprintf(err, errlen, "lap %d hop %d checked on %s: %s", lap, *hop, where, why);
  return lap;
}

static int worker(int parent) {
  int ntask, tids[MAXTASK], me, next, lap, hop, errors;
  char err[1024];
  pvm_recv(parent, TAG_SETUP);
  pvm_upkint(&ntask, 1, 1);
  pvm_upkint(tids, ntask, 1);
  pvm_upkint(&me, 1, 1);
  next = (me + 1 < ntask) ? tids[me + 1] : parent;
  for (;;) {
    lap = recv_token(-1, &hop, &errors, err, sizeof err);
    if (lap < 0) {
      send_token(next, lap, hop, errors, err);
      break;
    }
    send_token(next, lap, hop + 1, errors, err);
  }
  pvm_exit();
  return 0;
}

static int master(int laps) {
  struct pvmhostinfo *hi;
  int nhost, narch, ntask, k, lap, hop = 0, errors = 0, total_err = 0;
  int tids[MAXTASK];
  char err[1024] = "";
  pvm_config(&nhost, &narch, &hi);
  ntask = nhost < MAXTASK ? nhost : MAXTASK;
  printf("smoke_ring: %d hosts, %d data formats:", nhost, narch);
  for (k = 0; k < nhost; k++) printf(" %s(%s)", hi[k].hi_name, hi[k].hi_arch);
  printf("\n");
  for (k = 0; k < ntask; k++) {
    if (pvm_spawn("smoke_ring", (char **)0, PvmTaskHost, hi[k].hi_name, 1, &tids[k]) != 1) {
      fprintf(stderr, "smoke_ring: cannot spawn on %s: %d\n", hi[k].hi_name, tids[k]);
      pvm_exit();
      return 2;
    }
  }
  for (k = 0; k < ntask; k++) {
    pvm_initsend(PvmDataDefault);
    pvm_pkint(&ntask, 1, 1);
    pvm_pkint(tids, ntask, 1);
    pvm_pkint(&k, 1, 1);
    pvm_send(tids[k], TAG_SETUP);
  }
  for (lap = 0; lap < laps; lap++) {
    send_token(tids[0], lap, 0, 0, "");
    if (recv_token(tids[ntask - 1], &hop, &errors, err, sizeof err) != lap || hop != ntask) {
      fprintf(stderr, "smoke_ring: lap %d came back wrong (hop %d)\n", lap, hop);
      total_err++;
    }
    if (errors) {
      fprintf(stderr, "smoke_ring: FAILED: %d bad hop(s) in lap %d; first: %s\n", errors, lap, err);
      total_err += errors;
    }
  }
  send_token(tids[0], -1, 0, 0, "");
  recv_token(tids[ntask - 1], &hop, &errors, err, sizeof err);
  if (total_err == 0)
    printf("smoke_ring: %d laps x %d hops: every value correct at every hop\n", laps, ntask + 1);
  pvm_exit();
  return total_err ? 1 : 0;
}

int main(int argc, char **argv) {
  int me = pvm_mytid(), parent;
  char host[128] = "?";
  if (me < 0) {
    fprintf(stderr, "smoke_ring: cannot enrol in PVM (%d)\n", me);
    return 2;
  }
  gethostname(host, sizeof host);
  snprintf(where, sizeof where, "t%x on %s (long is %d bits)", me, host, (int)(8 * sizeof(long)));
  parent = pvm_parent();
  if (parent > 0) return worker(parent);
  return master(argc > 1 ? atoi(argv[1]) : 3);
}
