// The unit's function table (for function pointers in the migrated state)
// lists every extern function and the static functions whose address is
// taken; a static function that is only called directly (only_called) is
// left out, so gcc may still inline it.
// RUN: %precomp --auto-poll=off %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
static int twice(int x) { return 2 * x; }
static int thrice(int x) { return 3 * x; }
static int (*pick)(int) = thrice;
static int square(int x) { return x * x; }
static int only_called(int x) { return x + 1; }
int apply(int (*f)(int), int x) { return f(x); }
int run(int x) {
  int s = twice(x) + only_called(x);
  s += (*pick)(x);
  s += apply(square, x);
  s += apply(&twice, x);
  return s;
}
// CHECK-LABEL: static const struct snow_exec_function __snow_functions[] = {
// CHECK-NEXT: { (void (*)(void))twice, "function_table.c:twice" },
// CHECK-NEXT: { (void (*)(void))thrice, "function_table.c:thrice" },
// CHECK-NEXT: { (void (*)(void))square, "function_table.c:square" },
// CHECK-NEXT: { (void (*)(void))apply, "apply" },
// CHECK-NEXT: { (void (*)(void))run, "run" },
// CHECK-NEXT: };
