// Tuning: --auto-poll=off keeps only #pragma snow poll, and
// `#pragma snow nopoll` in a function turns its automatic ones off.
// RUN: %precomp %s -o %t.c -- && sed "s,//.*,," %t.c | FileCheck --check-prefix=AUTO %s
// RUN: %precomp --auto-poll=off %s -o %t.off.c -- && sed "s,//.*,," %t.off.c | FileCheck --check-prefix=OFF %s
// RUN: not %precomp --auto-poll=sometimes %s -o %t.bad.c -- 2>&1 | FileCheck --check-prefix=BAD %s
#include <stdio.h>
void report(int i);
void quiet(int n) {
#pragma snow nopoll
  int i;
  for (i = 0; i < n; i++)
    report(i);
}
void loud(int n) {
  int i;
  for (i = 0; i < n; i++)
    report(i);
}
// AUTO-LABEL: void quiet(int n) {
// AUTO-NOT: SNOW_POLL
// AUTO-LABEL: void loud(int n) {
// AUTO: SNOW_POLL(1);
// AUTO: SNOW_CALL_VOID(2, report(i)); }
// OFF-NOT: SNOW_POLL
// OFF: SNOW_CALL_VOID(1, report(i));
// BAD: precomp: --auto-poll must be all, loops, recursion or off (got 'sometimes')
