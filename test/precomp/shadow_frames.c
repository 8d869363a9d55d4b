// A local whose address escapes into a call that may migrate lives in the
// frame record for the whole call, so pointers to it are translated like
// pointers into any memory block.  Addresses given to library calls that
// keep no pointer (pvm_upkint) do not count.
// RUN: %precomp --auto-poll=off %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <pvm3.h>
int fill(int *v, int n);
int total(int n) {
  int buf[16];
  int got = 0;
  pvm_upkint(&got, 1, 1);
  fill(buf, n);
  return buf[0] + got;
}
// CHECK-LABEL: struct __snow_frame_total {
// CHECK-NEXT: struct snow_frame hdr;
// CHECK-NEXT: int n;
// CHECK-NEXT: int buf[16]; /* lives here */
// CHECK-NEXT: int got;
// CHECK-NEXT: };
// CHECK: char __snow_mark;
// CHECK: snow_exec_shadow_adopt(__snow_fr, &__snow_mark);
// CHECK: __snow_fr = snow_exec_shadow_enter(&__snow_t_snow_frame_total, &__snow_mark);
// CHECK: int buf[16] __attribute__((unused));
// CHECK: pvm_upkint(&got, 1, 1);
// CHECK: SNOW_CALL(1, fill((__snow_fr->buf), n));
// CHECK: return (__snow_fr->buf)[0] + got;
