#!/bin/sh
# The task and message calls besides send/recv keep their meaning while the
# caller or its peer migrates across architectures.
#
# test/corpus/peer_calls.c (no SNOW code in it) uses pvm_mcast, pvm_psend,
# pvm_precv, pvm_trecv, pvm_nrecv, pvm_probe, pvm_bufinfo sources,
# pvm_parent, pvm_siblings, pvm_tidtohost, pvm_tasks of one task,
# pvm_sendsig with a SIGHUP
# handler in the receiver, pvm_pstat and pvm_kill, between a master on
# x86_64, two sibling workers on s390x and a sleeper on i386.  Its output
# names no tid or host, so every run must print exactly what the plain-gcc
# build prints unmigrated:
#  1. the plain-gcc build, unmigrated (the baseline);
#  2. the snowcc build, unmigrated;
#  3. the CALLER moves: the master, held at a random one of its migration
#     points (SNOW_EXEC_TRIGGER), goes to i386, and in another run to s390x;
#  4. the PEER moves: the first worker to reach a random migration point
#     goes from s390x to x86_64, and in another run to i386 (its SIGHUP
#     handler must still be there when the master's signal comes).
# A refused migration is a failure (the run must still finish and is
# checked).  The last line counts runs and migrations.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x

CORPUS_BIN="${CALLS_CORPUS_BIN:-$TOP_BUILDDIR/test/corpus-bin}"
for d in orig/LINUX64 snow/LINUX64 snow/LINUX snow/LINUXS390; do
  [ -x "$CORPUS_BIN/$d/peer_calls" ] || skip "peer_calls was not built into $CORPUS_BIN/$d (make check builds corpus-bin)"
done

# Sizes and limits, all here.
ROUNDS=12
CALLER_POINTS=30   # the master passes more than this many migration points
PEER_POINTS=20     # so does each worker
T_RUN=120          # one run
T_TRIGGER=60       # until the task is held at its migration point
T_MIGRATE=60       # snow migrate

work=$TEST_WORK
FAILURES=0 FAILED="" RUNS=0 MIGRATED=0
failure() {
  FAILURES=$((FAILURES + 1))
  FAILED="$FAILED
  $1"
  echo "[$TEST_NAME] FAILURE: $1" >&2
}

# check RUN WHAT: RUN.out and RUN.rc against the baseline.
check() {
  RUNS=$((RUNS + 1))
  if [ "$(cat "$1.rc")" != 0 ]; then
    failure "$2: exit status $(cat "$1.rc") ($1.out, $1.err)"
  elif ! cmp -s "$work/base.out" "$1.out"; then
    diff "$work/base.out" "$1.out" | head -10 >&2 || true
    failure "$2: output differs from the plain-gcc build's ($1.out)"
  fi
}

# 1. The baseline.
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/orig"
rc=0
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$CORPUS_BIN/orig/LINUX64/peer_calls" "$ROUNDS" >"$work/base.out" 2>"$work/base.err" || rc=$?
[ $rc = 0 ] || fail "the plain-gcc build exited $rc: $(tail -3 "$work/base.out" "$work/base.err")"
grep -q "^done: $ROUNDS rounds" "$work/base.out" || fail "the plain-gcc build did not finish: $(cat "$work/base.out")"
if grep -q "WRONG\|DISAGREES\|NEVER\|SEVERAL\|NOT RUNNING\|STILL THERE\|DOES NOT" "$work/base.out"; then
  fail "the plain-gcc build itself reports a problem: $(cat "$work/base.out")"
fi
"$SNOW" vm down --vm "$VM" >/dev/null
trap - EXIT INT TERM

# 2. The snowcc build, unmigrated.
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/snow"
rc=0
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/peer_calls" "$ROUNDS" >"$work/pre.out" 2>"$work/pre.err" || rc=$?
echo $rc >"$work/pre.rc"
check "$work/pre" "snowcc build, unmigrated"

# migrate_run NAME SRC_ARCH DST_ARCH POINTS: hold the first peer_calls task
# on SRC_ARCH at a random migration point in 1..POINTS, move it to DST_ARCH.
migrate_run() {
  run="$work/$1" trig="$work/$1.trigger"
  k=$(random_upto "$4")
  note "$1: the first task on $2 held at migration point $k, moved to $3"
  SNOW_EXEC_TRIGGER="$k:$trig:$2:peer_calls" PVM_EXPORT="SNOW_EXEC_TRIGGER" \
    "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/peer_calls" "$ROUNDS" >"$run.out" 2>"$run.err" &
  pid=$!
  if wait_for_file "$trig" "$T_TRIGGER"; then
    read -r t _ <"$trig"
    if timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$(printf 't%x' "$t")" \
        "$(host_of "$3")" >"$run.migrate" 2>&1; then
      MIGRATED=$((MIGRATED + 1))
    else
      failure "$1: snow migrate failed: $(tail -1 "$run.migrate")"
    fi
  else
    failure "$1: no task on $2 was held at migration point $k within $T_TRIGGER s"
  fi
  rm -f "$trig"
  rc=0
  wait_for_exit "$pid" "$T_RUN" || rc=$?
  echo $rc >"$run.rc"
  check "$run" "$1 ($2 -> $3 at point $k)"
}

# 3. The caller moves; 4. the peer moves.
migrate_run caller-i386 x86_64 i386 "$CALLER_POINTS"
migrate_run caller-s390x x86_64 s390x "$CALLER_POINTS"
migrate_run peer-x86_64 s390x x86_64 "$PEER_POINTS"
migrate_run peer-i386 s390x i386 "$PEER_POINTS"

note "calls: $RUNS runs of the snowcc build (1 unmigrated, $((RUNS - 1)) with a migration), $MIGRATED migrations committed, $FAILURES failures"
if [ $FAILURES -gt 0 ]; then
  echo "[$TEST_NAME] failures:$FAILED" >&2
  note "files kept in $work"
  exit 1
fi
rm -rf "$work"
note "ok"
