// The user's own headers (here: next to the source and in a subdirectory,
// one with `#pragma once`, one with a guard, both included twice) are
// translated with the source: their functions get snow_malloc and frames,
// #line directives name the header, and snowcc finds them like cc does.
// RUN: %precomp %s -o %t.c -- 2> %t.err && FileCheck %s < %t.c
// RUN: %snowcc -O1 %s -o %t && %t 5 | FileCheck --check-prefix=OUT %s
// RUN: cd %S/.. && %snowcc -O1 precomp/user_headers.c -o %t.rel && %t.rel 3 | FileCheck --check-prefix=REL %s
#include "user_headers/list.h"
#include "user_headers/list.h"
#include "user_headers/util/strutil.h"
#include <stdio.h>

// CHECK: #line 1 "{{.*}}user_headers/list.h"
// CHECK: #ifndef __snow_once_1
// CHECK: #line 1 "{{.*}}user_headers/util/strutil.h"
// CHECK: return snow_strdup(buf);
// CHECK: struct node *n = snow_malloc(sizeof *n, &__snow_t_struct_node);
// CHECK: #endif /* __snow_once_1 */
// CHECK: #line 9 "{{.*}}user_headers.c"

int main(int argc, char **argv) {
  struct node *l = 0, *p;
  int i, n = argc > 1 ? atoi(argv[1]) : 4;
  for (i = 0; i < n; i++) l = push(l, i);
  for (p = l; p; p = p->next) printf("%d %s\n", p->key, p->name);
  return 0;
}
// OUT: 4 k4
// OUT: 0 k0
// REL: 2 k2
// REL: 0 k0
