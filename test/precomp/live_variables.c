// Only the variables live at a resume point are saved there (Clang's
// LiveVariables): values overwritten before their next use, and values
// never used again, stay behind.  The call's arguments are live: the call
// is issued again on resume.
// RUN: %precomp --auto-poll=off %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
int step(int x);

int run(int a, int b) {
  int dead = a * 2;      /* never read after this point */
  int later = b + 1;     /* read after the call */
  int fresh;             /* assigned by the call's statement */
  fresh = step(a);
  dead = 0;
  return fresh + later + dead;
}
// CHECK-LABEL: struct __snow_frame_run {
// CHECK-NEXT: struct snow_frame hdr;
// CHECK-NEXT: int a;
// CHECK-NEXT: int later;
// CHECK-NEXT: };
// CHECK: resume point 1: call to step
// CHECK-NEXT: __snow_unwind_1:
// CHECK-NEXT: snow_exec_frame_save
// CHECK-NEXT: __snow_fr->a = a;
// CHECK-NEXT: __snow_fr->later = later;
// CHECK-NEXT: return 0;
// CHECK-NEXT: __snow_restore_1:
// CHECK-NEXT: a = __snow_fr->a;
// CHECK-NEXT: later = __snow_fr->later;
// CHECK-NEXT: snow_exec_frame_release(__snow_fr);
// CHECK: fresh = SNOW_CALL(1, step(a));
