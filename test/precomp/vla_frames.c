// Variable length arrays on a migration path, NAS style: grids reached
// through pointers to variable length arrays (`double (*u)[n][n]`) and
// passed as variable length array parameters.  Resume code cannot jump into
// the scope of a variably modified declaration, so such a pointer becomes a
// plain pointer plus its bounds, computed once where it was declared and
// saved with it; a parameter is saved as a pointer to its element and gets
// its type back from the parameter on restore.  The program is built and
// unwound and re-entered in place (SNOW_EXEC_REHEARSE) at poll-points all
// over its run: it must print what the program built by plain gcc prints.
// A variable length array object becomes a heap block.  A pointer that
// cannot be rewritten makes its function defer migration (a rehearsal asked
// for there is deferred).
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
// RUN: gcc -O1 -ffp-contract=off %s -o %t.orig && %t.orig > %t.expected && FileCheck --check-prefix=OUT %s < %t.expected
// RUN: %snowcc -O1 %s -o %t && %t > %t.out && diff %t.expected %t.out
// RUN: SNOW_EXEC_COUNT=%t.count %t > /dev/null && n=$(cat %t.count) && test "$n" -gt 100
// RUN: for k in $(seq 1 3 $(cat %t.count)); do SNOW_EXEC_REHEARSE=$k %t > %t.$k 2> %t.$k.err && grep -q -e "exec: resumed" -e "deferred: a function that cannot save its frame is active" %t.$k.err && diff %t.expected %t.$k || { echo "rehearsal at poll-point $k" >&2; exit 1; }; done
#include <stdio.h>
#include <stdlib.h>

// A kernel with variable length array parameters (a poll-point at its
// loop nest): saved as `double *`, restored through __typeof__.
static void smooth(int n, double u[n][n], const double f[n][n]) {
  for (int i = 1; i < n - 1; i++)
    for (int j = 1; j < n - 1; j++)
      u[i][j] = 0.25 * (u[i - 1][j] + u[i + 1][j] + u[i][j - 1] + u[i][j + 1] - f[i][j]);
}
// CHECK-LABEL: struct __snow_frame_smooth {
// CHECK: double *u;
// CHECK: double *f;
// CHECK: __snow_fr->u = (double *)u;
// CHECK: u = (__typeof__(u))__snow_fr->u;

static double sum(int n, double (*g)[n]) {
  double s = 0;
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) s += g[i][j] * (i + 1);
  return s;
}

// A coarse grid through a pointer to a variable length array; the bound
// changes after the declaration (the array keeps the value it had there).
static double coarse(int n, double (*fine)[n]) {
  int m = n / 2 + 1;
  double (*c)[m] = calloc(1, sizeof(double[m][m]));
  double (*w)[m][2] = calloc(1, sizeof(double[m][m][2]));
  double (*p)[m];
  for (int i = 0; i < m; i++)
    for (int j = 0; j < m; j++) c[i][j] = fine[2 * i < n ? 2 * i : n - 1][2 * j < n ? 2 * j : n - 1];
  m = -1;
  p = c;
  for (int it = 0; it < 3; it++) {
    smooth(n / 2 + 1, p, p);
    w[it][it][it % 2] = sum(n / 2 + 1, p) + (double)sizeof *p;
  }
  double s = sum(n / 2 + 1, c) + w[1][1][1] + w[2][2][0];
  free(c);
  free(w);
  return s;
}
// CHECK-LABEL: struct __snow_frame_coarse {
// CHECK: double *c;
// CHECK-NEXT: long __snow_dim_c_1;
// CHECK: double *w;
// CHECK-NEXT: long __snow_dim_w_1;
// CHECK-NOT: __snow_dim_w_2
// CHECK: double *p;
// CHECK-NEXT: long __snow_dim_p_1;
// CHECK-LABEL: static double coarse(int n, double (*fine)[n]) {
// CHECK: long __snow_dim_c_1 = (m); void *__snow_vla_c {{.*}}= snow_calloc(1, sizeof(double[m][m]), &snow_type_double);
// CHECK: long __snow_dim_w_1 = (m); void *__snow_vla_w {{.*}}= snow_calloc(
// CHECK: long __snow_dim_p_1 = (m); void *__snow_vla_p {{.*}};
// CHECK: __snow_fr->c = __snow_vla_c; __snow_fr->__snow_dim_c_1 = __snow_dim_c_1;
// CHECK: __snow_vla_c = __snow_fr->c; __snow_dim_c_1 = __snow_fr->__snow_dim_c_1;
// CHECK: __snow_vla_p = ((double (*)[__snow_dim_c_1])__snow_vla_c);
// CHECK: SNOW_CALL_VOID({{[0-9]+}}, smooth(n / 2 + 1, ((double (*)[__snow_dim_p_1])__snow_vla_p), ((double (*)[__snow_dim_p_1])__snow_vla_p)));
// CHECK: ((double (*)[__snow_dim_w_1][2])__snow_vla_w)[it][it][it % 2] =

// Variable length array objects become heap blocks, declared again at
// each iteration (the block is reused) and freed when the function returns.
static double scratch(int n) {
  double s = 0;
  for (int k = 0; k < 2; k++) {
    double t[n][k + 2];
    for (int i = 0; i < n; i++)
      for (int j = 0; j < k + 2; j++) t[i][j] = i + j;
    double *row = t[1];
    for (int i = 0; i < n; i++) s += sum(1, (double (*)[1])&t[i][1]) + row[i % 2] + sizeof t;
  }
  return s;
}
// CHECK-LABEL: static double scratch(int n) {
// CHECK: long __snow_dim_t_1 = 0, __snow_dim_t_2 = 0; void *__snow_vla_t __attribute__((cleanup(__snow_vla_release))) = 0;
// CHECK: __snow_fr->t = __snow_vla_t; __snow_fr->__snow_dim_t_1 = __snow_dim_t_1; __snow_fr->__snow_dim_t_2 = __snow_dim_t_2; __snow_vla_t = 0;
// CHECK: __snow_dim_t_1 = (n), __snow_dim_t_2 = (k + 2), __snow_vla_t = snow_realloc(__snow_vla_t, sizeof(double [__snow_dim_t_1][__snow_dim_t_2]), &snow_type_double);
// CHECK: double *row = (*(double (*)[__snow_dim_t_1][__snow_dim_t_2])__snow_vla_t)[1];

// A pointer to a variable length array that is incremented cannot be
// rewritten: its function defers migration.
static double walk(int n, double (*g)[n]) {
  double (*q)[n] = g;
  double s = 0;
  for (int i = 0; i < n; i++, q++) s += sum(1, (double (*)[1])*q);
  return s;
}
// DIAG: vla_frames.c:[[@LINE-5]]:12: warning: snow: a pointer to a variable length array that is modified other than by a plain assignment on a migration path: resume code cannot jump into its scope; migration is deferred while 'walk' runs [snow-vla]
// DIAG: warning: snow: 'walk' cannot save its frame because it has a pointer to a variable length array that is modified other than by a plain assignment; migration is deferred while it runs [snow-no-migrate]

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 12;
  double (*u)[n] = calloc(1, sizeof(double[n][n]));
  double (*f)[n] = calloc(1, sizeof(double[n][n]));
  for (int i = 0; i < n; i++)
    for (int j = 0; j < n; j++) f[i][j] = (i * 7 + j * 3) % 5 - 2;
  for (int it = 1; it <= 4; it++) {
    smooth(n, u, f);
    printf("iteration %d: %.10g %.10g\n", it, sum(n, u), coarse(n, u));
  }
  printf("scratch %.10g walk %.10g\n", scratch(n), walk(n, f));
  free(u);
  free(f);
  return 0;
}
// OUT: iteration 1: -0.2147012207 112.3384303
// OUT: iteration 2: 0.2900226443 112.2693682
// OUT: iteration 3: 1.184906622 112.3666537
// OUT: iteration 4: 2.043284035 112.38446
// OUT: scratch 5952 walk -2
