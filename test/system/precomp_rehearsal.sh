#!/bin/sh
# Unwinding and re-entry without the migration protocol: with
# SNOW_EXEC_REHEARSE=K the pre-compiled deep_sort worker unwinds its whole
# chain at its K-th migration point and re-enters it in place; the result
# must not change.  The first K is more than a thousand frames deep (see
# precomp_deep_recursion.sh for the worker's points), the second anywhere
# in the sort.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_precomp_runtime

N=1500
vm_up --hosts x86_64 --ep "$PRECOMP_BIN/snow"
run_sort() {
  "$SNOW" run --vm "$VM" "$PRECOMP_BIN/snow/LINUX64/deep_sort" $N >"$1" 2>"$1.err" ||
    { cat "$1" "$1.err"; fail "deep_sort failed"; }
}
run_sort base
for k in $((N + 549 + $(random_upto 900))) $((N + 1 + $(random_upto 3000))); do
  rm -f /run/snow/"$VM"/log/task-*.log
  SNOW_EXEC_REHEARSE=$k PVM_EXPORT=SNOW_EXEC_REHEARSE run_sort run
  frames=$(task_log_value "exec: rehearsal: unwound frames=")
  note "rehearsal at migration point $k: unwound $frames frames"
  grep -q "exec: resumed" /run/snow/"$VM"/log/task-*.log || fail "the chain was not re-entered"
  diff -u base run || fail "the result changed after unwinding and re-entering at point $k"
done
rm -f base* run*
rm -rf "$PRECOMP_TMP"
note "ok"
