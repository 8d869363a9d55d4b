// signal() and sigaction() become twins that record the disposition where
// it migrates (libsnowpvm/exec/signal_handlers.cpp); the handler itself is
// left alone (it is not on a migration path).
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck %s
// RUN: gcc -fsyntax-only -Wall -Werror %cflags %t.c
#include <signal.h>
#include <string.h>
#include <pvm3.h>

static volatile sig_atomic_t hups;

static void on_hup(int sig) { hups += sig; }
// CHECK: static void on_hup(int sig) { hups += sig; }

int main(void) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_hup;
  // (sa_handler is a macro naming a member of a union: the active member
  // cannot be recorded, and compiling must still work.)
  // CHECK: (__snow_fr->sa).sa_handler = on_hup;
  // CHECK-NOT: snow_union_set_active(&()
  sigaction(SIGTERM, &sa, 0);
  // CHECK: snow_exec_sigaction(SIGTERM, &(__snow_fr->sa), 0);
  signal(SIGHUP, on_hup);
  // CHECK: snow_exec_signal(SIGHUP, on_hup);
  while (!hups) pvm_recv(-1, 1);
  // CHECK: snow_recv(-1, 1)
  return 0;
}
