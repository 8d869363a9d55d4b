// malloc & co. become snow_* calls that tell the memory-state runtime what
// the block holds, inferred from the pointer the result becomes or from a
// sizeof in the size; when nothing tells, a warning says the block moves
// as raw bytes.
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <stdlib.h>
#include <string.h>
struct cell { double v; struct cell *next; };

void *make(int n) {
  struct cell *c = malloc(sizeof *c);
  // CHECK: struct cell *c = snow_malloc(sizeof *c, &__snow_t_struct_cell);
  int *v = (int *)calloc(n, sizeof(int));
  // CHECK: int *v = (int *)snow_calloc(n, sizeof(int), &snow_type_int);
  void *any = malloc(n * sizeof(double));
  // CHECK: void *any = snow_malloc(n * sizeof(double), &snow_type_double);
  v = realloc(v, 2 * n * sizeof *v);
  // CHECK: v = snow_realloc(v, 2 * n * sizeof *v, &snow_type_int);
  char *s = strdup("x");
  // CHECK: char *s = snow_strdup("x");
  void *raw = malloc(n);
  // CHECK: void *raw = snow_malloc(n, 0);
  // DIAG: malloc_types.c:[[@LINE-2]]:15: warning: snow: cannot tell what this block will hold; it migrates as raw bytes
  free(s);
  // CHECK: snow_free(s);
  c->next = any;
  return raw ? (void *)c : (void *)v;
}
