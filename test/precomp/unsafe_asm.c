// Inline assembly is specific to one architecture and its effect on
// registers cannot be saved: the function defers migration while it runs.
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
void step(int i);
void spin(int n) {
  int i;
  for (i = 0; i < n; i++) {
    __asm__ volatile("" ::: "memory");
    // DIAG-DAG: unsafe_asm.c:[[@LINE-1]]:5: warning: snow: inline assembly is specific to one architecture and its effects on registers cannot be saved; migration is deferred while 'spin' runs [snow-asm]
    step(i);
  }
}
// DIAG-DAG: unsafe_asm.c:7:6: warning: snow: 'spin' cannot save its frame because it contains inline assembly; migration is deferred while it runs [snow-no-migrate]
// CHECK-LABEL: void spin(int n) {
// CHECK-SAME: snow_exec_inhibit_enter();
// CHECK-NOT: SNOW_POLL
// CHECK: snow_exec_inhibit_leave(); }
