// pvm_notify becomes snow_notify (libsnowpvm/comm/notify_api.cpp): a task-exit
// notification on a virtual tid fires when that task really ends, not when
// it moves (doc/plain-peers.md).  No [snow-pvm-state] warning any more.
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --allow-empty --check-prefix=DIAG --implicit-check-not=warning: %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <pvm3.h>
int main(void) {
  int tids[2];
  int n = pvm_spawn("worker", (char **)0, PvmTaskDefault, "", 2, tids);
  pvm_notify(PvmTaskExit, 99, n, tids);
  pvm_notify(PvmHostDelete, 98, 0, (int *)0);
  pvm_recv(-1, 99);
  return 0;
}
// DIAG-NOT: snow-pvm-state
// CHECK: snow_notify(PvmTaskExit, 99, n, {{.*}}tids{{.*}});
// CHECK: snow_notify(PvmHostDelete, 98, 0, (int *)0);
