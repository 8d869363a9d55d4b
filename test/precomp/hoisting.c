// A statement with several calls that may migrate: all but the last (in
// the order C evaluates them: arguments first) are hoisted into
// temporaries declared before it, each with its own resume point, and the
// temporaries are saved at the later ones.  Code with side effects that is
// evaluated before a call that may migrate (calls that do not migrate,
// assignments, ++/--) is computed ahead of the statement into `__snow_t<n>`
// temporaries, in evaluation order, so that resuming evaluates it once.
// The program is then built and run: unwound and re-entered in place
// (SNOW_EXEC_REHEARSE) at every one of its poll-points in turn, it must
// print what the program built by plain gcc prints.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
// RUN: gcc -O1 %s -o %t.orig && %t.orig > %t.expected && FileCheck --check-prefix=OUT %s < %t.expected
// RUN: %snowcc -O1 -Wall -Werror %s -o %t && %t > %t.out && diff %t.expected %t.out
// RUN: SNOW_EXEC_COUNT=%t.count %t > /dev/null && n=$(cat %t.count) && test "$n" -gt 40
// RUN: for k in $(seq 1 $(cat %t.count)); do SNOW_EXEC_REHEARSE=$k %t > %t.$k 2> %t.$k.err && grep -q "exec: resumed" %t.$k.err && diff %t.expected %t.$k || { echo "rehearsal at poll-point $k" >&2; exit 1; }; done
#include <stdio.h>
#include <stdlib.h>

static int effects;  // every side effect counts, so a second evaluation shows

// Calls that may migrate (a poll-point each).
int g(int x) {
#pragma snow poll
  return 2 * x;
}
int h(int x) {
#pragma snow poll
  return x + 1;
}
void vmig(int x) {
#pragma snow poll
  effects += 1000 * x;
}
// Calls that do not.
static int bump(int x) { return x + 100 * ++effects; }
static void note(int x) { effects += x; }
#define TWICE(e) ((e) * 2)
#define NEXT() (bump(effects))

struct tree { struct tree *left, *right; int value; };
long check(const struct tree *t) {
  if (!t->left) return t->value;
  return t->value + check(t->left) - check(t->right);
}
// CHECK-LABEL: long check(const struct tree *t) {
// CHECK: resume point [[P:[0-9]+]]: poll-point (end of recursive function)
// CHECK: resume point [[A:[0-9]+]]: call to check
// CHECK: long __snow_h[[A]] = SNOW_CALL([[A]], check(t->left));
// CHECK: resume point [[B:[0-9]+]]: call to check
// CHECK: __snow_fr->__snow_h[[A]] = __snow_h[[A]];
// CHECK: __snow_h[[A]] = __snow_fr->__snow_h[[A]];
// CHECK: return t->value + __snow_h[[A]] - SNOW_CALL([[B]], check(t->right));

int f(int x) { return g(h(x)); }
// CHECK-LABEL: int f(int x) {
// CHECK: int __snow_h[[H:[0-9]+]] = SNOW_CALL([[H]], h(x));
// CHECK: return SNOW_CALL({{[0-9]+}}, g(__snow_h[[H]]));

struct tree *build(int depth, int *next) {
  struct tree *t = calloc(1, sizeof *t);
  t->value = (*next)++;
  if (depth > 0) {
    t->left = build(depth - 1, next);
    t->right = build(depth - 1, next);
  }
  return t;
}

// Side effects in a loop condition must run at every iteration: the loop
// becomes `for (init; ; inc) { hoisted code; if (!(cond)) break; body }`.
static int data[] = {5, 3, 8, 1, 9, 0};
static int take(int *i) { effects++; return data[(*i)++]; }
int loops(void) {
  int i = 0, s = 0, c;
  while ((c = take(&i)) != 0 && h(c) > 2)
    s += c;
  // CHECK-LABEL: int loops(void) {
  // CHECK: for (;;)
  // CHECK-NEXT: { int __snow_t1 = (c = take({{.*}}));
  // CHECK: if (!(__snow_t1 != 0 && SNOW_CALL({{[0-9]+}}, h(c)) > 2)) break;
  // CHECK: s += c; }
  for (int j = 0; take(&i) < h(j); j++) {
    if (j == 1)
      continue;
    s += 100 * j;
  }
  // CHECK: for (int j = 0; ; j++) {
  // CHECK: int __snow_t2 = take({{.*}});
  // CHECK: resume point {{[0-9]+}}: call to h
  // CHECK: __snow_fr->j = j;
  // CHECK: if (!(__snow_t2 < SNOW_CALL({{[0-9]+}}, h(j)))) break;
  i = 0;
  while (g(i) + h(i + 1) < 9) {
    i++;
  }
  // CHECK: for (;;) {
  // CHECK: int __snow_h{{[0-9]+}} = SNOW_CALL
  // CHECK: if (!(__snow_h{{[0-9]+}} + SNOW_CALL({{[0-9]+}}, h({{.*}} + 1)) < 9)) break;
  return s * 1000 + effects * 10 + i;
}

// Not in main: a rehearsal re-enters main in place, with its stack intact.
void scenario(int n) {
  int a[4] = {0}, b[4] = {0}, i = 0, x, y = 0, *p = b, first = 1;
  struct tree *t = build(3, &first);
  // CHECK-LABEL: void scenario(int n) {

  x = g(bump(n)) + h(y++);
  // Evaluation order: bump(n), g(...), y++, h(...).
  // CHECK: int __snow_t1 = bump(n);
  // CHECK: resume point [[G1:[0-9]+]]: call to g
  // CHECK: __snow_fr->__snow_t1 = __snow_t1;
  // CHECK: int __snow_h[[G1]] = SNOW_CALL([[G1]], g(__snow_t1));
  // CHECK: int __snow_t2 = y++;
  // CHECK: resume point [[H1:[0-9]+]]: call to h
  // CHECK: __snow_fr->__snow_h[[G1]] = __snow_h[[G1]];
  // CHECK: __snow_fr->__snow_t1 = __snow_t1;
  // CHECK: __snow_fr->__snow_t2 = __snow_t2;
  // CHECK: x = __snow_h[[G1]] + SNOW_CALL([[H1]], h(__snow_t2));
  printf("1: x=%d y=%d effects=%d\n", x, y, effects);

  a[i++] = g(n);
  // CHECK: int __snow_t3 = i++;
  // The new value of i is saved at the resume point.
  // CHECK: resume point [[G2:[0-9]+]]: call to g
  // CHECK: __snow_fr->i = i;
  // CHECK: a[__snow_t3] = SNOW_CALL([[G2]], g(n));
  *p++ = h(x);
  // CHECK: int *__snow_t4 = p++;
  // CHECK: *__snow_t4 = SNOW_CALL({{[0-9]+}}, h(x));
  printf("2: i=%d a0=%d b0=%d p-b=%d\n", i, a[0], b[0], (int)(p - b));

  x = g((y = bump(1)) + 1);
  // CHECK: int __snow_t5 = (y = bump(1));
  // CHECK: x = SNOW_CALL({{[0-9]+}}, g(__snow_t5 + 1));
  printf("3: x=%d y=%d effects=%d\n", x, y, effects);

  note(2), x += h(3);
  // A discarded value: a statement of its own.
  // CHECK: note(2);
  // CHECK: (void)0, x += SNOW_CALL({{[0-9]+}}, h(3));
  x += bump(0) && g(1);
  // CHECK: int __snow_t6 = bump(0);
  // CHECK: x += __snow_t6 && SNOW_CALL({{[0-9]+}}, g(1));
  x += bump(0) > 0 ? h(2) : 0;
  // CHECK: int __snow_t7 = bump(0);
  // CHECK: x += __snow_t7 > 0 ? SNOW_CALL({{[0-9]+}}, h(2)) : 0;
  printf("4: x=%d effects=%d\n", x, effects);

  vmig(1), x += g(2);
  // A void call that may migrate, hoisted.
  // CHECK: SNOW_CALL_VOID([[V:[0-9]+]], vmig(1));
  // CHECK: (void)0, x += SNOW_CALL({{[0-9]+}}, g(2));
  switch (n) {
  case 3:
    x += bump(5) + h(x);
    break;
  }
  // After a label: braces around the temporaries.
  // CHECK: case 3:
  // CHECK-NEXT: { int __snow_t8 = bump(5);
  // CHECK: x += __snow_t8 + SNOW_CALL({{[0-9]+}}, h(x)); }
  printf("5: x=%d effects=%d\n", x, effects);

  int z = bump(7), w = g(n);
  // CHECK: int __snow_t9 = bump(7);
  // CHECK: int z = __snow_t9, w = SNOW_CALL({{[0-9]+}}, g(n));
  if (bump(1) > g(1))
    x++;
  // CHECK: int __snow_t10 = bump(1);
  // CHECK: if (__snow_t10 > SNOW_CALL({{[0-9]+}}, g(1)))
  printf("6: z=%d w=%d x=%d effects=%d\n", z, w, x, effects);

  x = TWICE(bump(2)) - g(1);
  // CHECK: int __snow_t11 = TWICE(bump(2));
  // CHECK: x = __snow_t11 - SNOW_CALL({{[0-9]+}}, g(1));
  x += NEXT() + g(x);
  // CHECK: int __snow_t12 = NEXT();
  // CHECK: x += __snow_t12 + SNOW_CALL({{[0-9]+}}, g(x));
  printf("7: x=%d effects=%d\n", x, effects);

  printf("8: check=%ld f=%d\n", check(t), f(n));
  printf("9: loops=%d\n", loops());
}

int main(void) {
  scenario(3);
  return 0;
}
// OUT: 1: x=207 y=1 effects=1
// OUT: 2: i=1 a0=6 b0=208 p-b=1
// OUT: 3: x=404 y=201 effects=2
// OUT: 4: x=412 effects=6
// OUT: 5: x=101538 effects=1007
// OUT: 6: z=100807 w=6 x=101539 effects=1009
// OUT: 7: x=708116 effects=1011
// OUT: 8: check=-6 f=8
// OUT: 9: loops=26163
