// On restore, a function takes its frame record and jumps to the resume
// point it was saved at; main() also registers the program and hands the
// unwound chain to the migration protocol.
// RUN: %precomp --auto-poll=off %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
void a(void);
void b(int);
int main(int argc, char **argv) {
  a();
  b(argc);
  return 0;
}
// CHECK-LABEL: int main(int argc, char **argv) {
// CHECK-NEXT: struct __snow_frame_main *__snow_fr = 0;
// CHECK-NEXT: snow_exec_main_enter(&argc, &argv);
// CHECK-NEXT: __snow_dispatch:
// CHECK-NEXT: if (SNOW_RESTORING()) {
// CHECK-NEXT: __snow_fr = snow_exec_frame_resume(&__snow_t_snow_frame_main, [[ID:0x[0-9a-f]+u]]);
// CHECK-NEXT: switch (__snow_fr->hdr.resume) {
// CHECK-NEXT: case 1: goto __snow_restore_1;
// CHECK-NEXT: case 2: goto __snow_restore_2;
// CHECK-NEXT: default: __builtin_trap();
// CHECK: __snow_unwind_1:
// CHECK-NEXT: __snow_fr = snow_exec_frame_save(&__snow_t_snow_frame_main, __snow_fr, [[ID]], 1);
// CHECK-NEXT: __snow_fr->argc = argc;
// CHECK-NEXT: snow_exec_main_unwound();
// CHECK-NEXT: goto __snow_dispatch;
// CHECK: SNOW_CALL_VOID(1, a());
// CHECK: __snow_unwind_2:
// CHECK: SNOW_CALL_VOID(2, b(argc));
// The record's descriptor, and the unit's registration before main runs.
// CHECK: .name = "frame frame_dispatch.c:main"
// CHECK: __attribute__((constructor)) static void __snow_register_unit(void) { snow_exec_add_unit(&__snow_unit); }
