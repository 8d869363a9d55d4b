// Globals and static locals are registered with the runtime before main
// runs (so a restore can write into them); static locals move to file
// scope under a unique name for that.
// RUN: %precomp --auto-poll=off %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
static char banner[] = "hello";
int counter;
int next_id(void) {
  static int last = 0, calls;
  calls++;
  return ++last;
}
// CHECK: /* snow: static local of next_id(), moved to file scope */
// CHECK-NEXT: static int __snow_s_next_id_last = 0, __snow_s_next_id_calls;
// CHECK: int next_id(void) {
// CHECK-NEXT: /* static locals moved to file scope by snow */
// CHECK-NEXT: __snow_s_next_id_calls++;
// CHECK-NEXT: return ++__snow_s_next_id_last;
// CHECK-LABEL: static const struct snow_exec_global __snow_globals[] = {
// CHECK-NEXT: { (void *)&banner, &__snow_t_char_a6, "statics_globals.c:banner" },
// CHECK-NEXT: { (void *)&counter, &snow_type_int, "counter" },
// CHECK-NEXT: { (void *)&__snow_s_next_id_last, &snow_type_int, "statics_globals.c:next_id.last" },
// CHECK-NEXT: { (void *)&__snow_s_next_id_calls, &snow_type_int, "statics_globals.c:next_id.calls" },
// CHECK-LABEL: static const struct snow_exec_function __snow_functions[] = {
// CHECK-NEXT: { (void (*)(void))next_id, "next_id" },
