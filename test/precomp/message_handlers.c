// pvm_addmhf, pvm_delmhf and pvm_recvf become snow_* twins that keep the
// registrations where they migrate (libsnowpvm/exec/message_handlers.cpp);
// no [snow-pvm-state] warning any more.  The handler and the matcher are
// listed in the unit's function table (function pointers move by name);
// library code calls them back, so one that may migrate (the handler
// sends) defers migration while it runs.
// RUN: %precomp %s -o %t.c -- 2> %t.err && sed "s,//.*,," %t.c | FileCheck %s
// RUN: FileCheck --check-prefix=DIAG --implicit-check-not=warning: %s < %t.err
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <pvm3.h>
int seen;
int on_report(int mid) {
  int v = 0;
  pvm_upkint(&v, 1, 1);
  seen += v;
  pvm_initsend(PvmDataDefault);
  pvm_send(pvm_parent(), 2);
  return 0;
}
int by_tag(int mid, int tid, int tag) {
  int bytes, t, src;
  pvm_bufinfo(mid, &bytes, &t, &src);
  return (tid == -1 || tid == src) && t == tag;
}
int main(void) {
  int id = pvm_addmhf(-1, 1, -1, on_report);
  int (*old)(int, int, int) = pvm_recvf(by_tag);
  pvm_recv(-1, 3);
  pvm_recvf(old);
  pvm_delmhf(id);
  return seen;
}
// DIAG: warning: snow: 'on_report' cannot save its frame because library code calls it back
// CHECK: snow_addmhf(-1, 1, -1, on_report);
// CHECK: snow_recvf(by_tag);
// CHECK: snow_recvf(old);
// CHECK: snow_delmhf(id);
// CHECK-LABEL: __snow_functions[] = {
// CHECK-DAG: on_report, "on_report" }
// CHECK-DAG: by_tag, "by_tag" }
