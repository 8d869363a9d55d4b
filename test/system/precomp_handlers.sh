#!/bin/sh
# Message handlers (pvm_addmhf/pvm_delmhf) and receive matchers (pvm_recvf)
# move with their task.  test/precomp/programs/mhf_master.c and
# mhf_worker.c, written as a user would (no SNOW code in them), built with
# snowcc for x86_64, i386 and s390x: the master counts the worker's
# progress reports with a handler while it receives the results, then
# deletes the handler and receives the last reports itself; the worker
# takes its jobs in order with a matcher whatever order they arrive in, and
# answers pings from a handler that sends.  Each run migrates one of them
# at a random migration point to a host of another architecture (the
# worker while its matcher is set, the master while its handler is
# registered); the output must be the plain gcc build's, unmigrated.  A
# handler or matcher lost on the way shows: reports left for the phase 2
# receives, jobs out of order, pings unanswered (a hang).
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
need_precomp_runtime
[ -x "$PRECOMP_BIN/snow/LINUX64/mhf_master" ] || skip "mhf_master was not built (make check builds it)"

NJOBS=12
# Migration points: the worker's 2..37 lie in its job loop, with its
# matcher set (recv, two sends per job); the master's 1..60 span its
# sends, the results and pongs with its handler registered.
# libpvm's own error lines (PvmAutoErr) go to the task's standard error,
# which `snow run` mixes into the output of a SNOW task only.
mask() { grep -v '^libpvm \[' | sed -E 's/\bt[0-9a-f]{5,}\b/tTID/g'; }

vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/orig"
plain_cmd base "$PRECOMP_BIN/orig/LINUX64/mhf_master" $NJOBS
"$SNOW" vm down --vm "$VM" >/dev/null
trap - EXIT INT TERM
grep -q "^phase 2: handler count still $NJOBS, 0 wrong" base ||
  { cat base base.err >&2; fail "the plain build did not run as expected"; }

check() {
  mask <base >want
  mask <"$1" >got
  if ! diff -u want got; then
    echo "--- migrated run's errors:" >&2; cat "$1.err" >&2
    fail "$2 printed something else after its migration ($MIGRATED)"
  fi
  note "$2: migration $MIGRATED, same output as the plain build"
  PAIRS="$PAIRS $MIGRATED"
}

vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/snow"
snow="$PRECOMP_BIN/snow/LINUX64"
PAIRS=""
plain_cmd run.0 "$snow/mhf_master" $NJOBS
mask <base >want
mask <run.0 >got
diff -u want got || fail "the snowcc build prints something else without migration"
note "unmigrated snowcc build: same output"
migrate_cmd run.w1 "$((1 + $(random_upto 36)))" "" "$(host_of s390x)" mhf_worker "$snow/mhf_master" $NJOBS
check run.w1 mhf_worker
migrate_cmd run.w2 "$((1 + $(random_upto 36)))" "" "$(host_of i386)" mhf_worker "$snow/mhf_master" $NJOBS
check run.w2 mhf_worker
migrate_cmd run.m1 "$(random_upto 60)" x86_64 "$(host_of s390x)" mhf_master "$snow/mhf_master" $NJOBS
check run.m1 mhf_master
migrate_cmd run.m2 "$(random_upto 60)" x86_64 "$(host_of i386)" mhf_master "$snow/mhf_master" $NJOBS
check run.m2 mhf_master
note "migrations:$PAIRS"
rm -f base* run.* want got
rm -rf "$PRECOMP_TMP"
note "ok"
