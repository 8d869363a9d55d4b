#!/bin/sh
# PVM groups move with their members.  test/corpus/spmd_groups.c, an SPMD
# program written as PVM users write them (no SNOW code), uses the whole
# group API: pvm_joingroup, pvm_barrier, pvm_bcast, pvm_reduce (PvmSum,
# PvmMax, PvmMin, PvmProduct and a function of its own), pvm_gather,
# pvm_scatter, pvm_gettid, pvm_getinst, pvm_gsize, pvm_freezegroup and
# pvm_lvgroup.  On a virtual machine of an x86_64, an i386 and an s390x
# host, its four members (PVM places them on x86_64, x86_64, i386 and
# s390x) migrate across all three architectures mid-run, and it must print
# exactly what its plain-gcc build prints unmigrated (with PVM's own group
# server, pvmgs):
#  1. baseline: the plain-gcc build, unmigrated;
#  2. the snowcc build, unmigrated;
#  3. barrier: the s390x member is held at its first migration point,
#     before the first barrier; once instance 0 and the i386 member wait
#     in that barrier (their logs say so), both migrate while waiting
#     (x86_64 -> i386, i386 -> s390x), then the held one moves
#     (s390x -> x86_64);
#  4. broadcast: the i386 member is held after barrier #1, before it
#     receives instance 0's broadcast; instance 0 broadcasts and waits as
#     the root of the first reduction, with the other members' messages
#     received and the held member's missing: it migrates there
#     (x86_64 -> s390x); then the held member migrates (i386 -> x86_64)
#     with the broadcast still on its way to it or unreceived;
#  5. without a scheduler: the group calls fall back to libgpvm3 (pvmgs).
# Each migration must have happened where it was meant to (the task logs
# say so); the last line counts the migrations and runs that passed.
# GROUPS_BIN=DIR takes the programs from DIR, as test/corpus/build-corpus
# lays them out (default: the build's corpus-bin).
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x

BIN="${GROUPS_BIN:-$TOP_BUILDDIR/test/corpus-bin}"
[ -x "$BIN/orig/LINUX64/spmd_groups" ] || skip "the corpus was not built (make check builds it: corpus-bin)"
for a in LINUX64 LINUX LINUXS390; do
  [ -x "$BIN/snow/$a/spmd_groups" ] || fail "snowcc did not build spmd_groups for $a ($BIN/log/$a/spmd_groups.snow.log)"
done

# Limits (seconds), all here.
T_RUN=300      # a whole run
T_HOLD=120     # until a task is held at its migration point, or waits where it should
T_MIGRATE=120  # one snow migrate

ARGS="4 8 3"   # tasks, elements per member, rounds
work=$TEST_WORK
MIGRATIONS=0
RUNS=0

# The tid of the member of this run running on architecture $1 (waiting
# until all four have enrolled with the scheduler).
member_on() {
  _mo=0
  until [ "$("$SNOW" ps --vm "$VM" | awk '$NF == "spmd_groups"' | wc -l)" -ge 4 ]; do
    _mo=$((_mo + 1))
    [ $_mo -le $((T_HOLD * 10)) ] || break
    sleep 0.1
  done
  t=$("$SNOW" ps --vm "$VM" | awk -v a="$1" 'NR > 1 && $4 == a && $NF == "spmd_groups" { print $1; exit }')
  [ -n "$t" ] || { "$SNOW" ps --vm "$VM" >&2; fail "no member of spmd_groups runs on $1 (PVM placed them elsewhere)"; }
  echo "$t"
}
# Instance 0: the task `snow run` started, the first on x86_64.
root_tid() {
  "$SNOW" ps --vm "$VM" | awk 'NR > 1 && $4 == "x86_64" && $NF == "spmd_groups" { print $1 }' | sort | head -1
}
log_of() { echo "/run/snow/$VM/log/task-$1.log"; }
# Wait until task $1's log has a line matching $2.
wait_log() {
  _wl=0
  until grep -q "$2" "$(log_of "$1")" 2>/dev/null; do
    _wl=$((_wl + 1))
    [ $_wl -le $((T_HOLD * 10)) ] || fail "task $1 never logged '$2' ($(log_of "$1"))"
    sleep 0.1
  done
}
migrate() {  # migrate TID ARCH WHAT
  note "migrating $1 to $2 ($3)"
  timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$1" "$(host_of "$2")" >"$work/migrate.$1.$MIGRATIONS" 2>&1 ||
    fail "snow migrate $1 to $2 ($3) failed: $(tail -1 "$work/migrate.$1.$MIGRATIONS")"
  MIGRATIONS=$((MIGRATIONS + 1))
}
# Start the snowcc build held at migration point $1 of its task on $2.
start_held() {
  run=$1 k=$2 arch=$3
  trig="$work/trigger.$run"
  SNOW_EXEC_TRIGGER="$k:$trig:$arch:spmd_groups" PVM_EXPORT="SNOW_EXEC_TRIGGER${PVM_EXPORT:+:$PVM_EXPORT}" \
    "$SNOW" run --vm "$VM" --host "$(host_of x86_64)" "$BIN/snow/LINUX64/spmd_groups" $ARGS \
    >"$work/$run.out" 2>"$work/$run.err" &
  pid=$!
  wait_for_file "$trig" "$T_HOLD" || { cat "$work/$run.err" >&2; fail "$run: no task on $arch was held at migration point $k"; }
  read -r held_tid held_arch <"$trig"
  held=$(printf 't%x' "$held_tid")
  [ "$held_arch" = "$arch" ] || fail "$run: the held task runs on $held_arch, not $arch"
  note "$run: $held ($arch) held at its migration point $k"
}
finish_run() {
  run=$1
  rc=0
  wait_for_exit "$pid" "$T_RUN" || rc=$?
  [ $rc -ne 124 ] || { cat "$work/$run.out" >&2; fail "$run: did not finish within $T_RUN s"; }
  [ $rc -eq 0 ] || fail "$run: exit status $rc ($work/$run.err)"
  if ! cmp -s "$work/base.out" "$work/$run.out"; then
    diff "$work/base.out" "$work/$run.out" >&2 || true
    fail "$run: the output differs from the unmigrated plain-gcc run's"
  fi
  RUNS=$((RUNS + 1))
  note "$run: same output as the plain-gcc build"
}

# 1. Baseline: plain gcc, PVM's group server.
vm_up --hosts x86_64,i386,s390x --ep "$BIN/orig"
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$BIN/orig/LINUX64/spmd_groups" $ARGS >"$work/base.out" 2>"$work/base.err" ||
  fail "the plain-gcc build failed ($work/base.err)"
grep -q "^done$" "$work/base.out" || fail "the plain-gcc build did not finish its work ($work/base.out)"
"$SNOW" vm down --vm "$VM" >/dev/null
trap - EXIT INT TERM

vm_up --hosts x86_64,i386,s390x --ep "$BIN/snow"
# 2. Unmigrated.
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$BIN/snow/LINUX64/spmd_groups" $ARGS >"$work/plain.out" 2>"$work/plain.err" ||
  fail "the snowcc build failed unmigrated ($work/plain.err)"
cmp -s "$work/base.out" "$work/plain.out" || { diff "$work/base.out" "$work/plain.out" >&2; fail "unmigrated, the snowcc build prints something else"; }
RUNS=$((RUNS + 1))
note "unmigrated: same output as the plain-gcc build"

# 3. Migrations while members wait in a barrier.
start_held barrier 1 s390x
other=$(member_on i386)
root=$(root_tid)
wait_log "$root" "group: waiting at barrier 'spmd_groups' #1"
wait_log "$other" "group: waiting at barrier 'spmd_groups' #1"
migrate "$root" i386 "instance 0, waiting in barrier #1"
migrate "$other" s390x "a member waiting in barrier #1"
for t in $root $other; do
  grep -q "barrier 'spmd_groups' #1 interrupted by a migration" "$(log_of "$t")" ||
    fail "$t did not migrate out of barrier #1 ($(log_of "$t"))"
done
migrate "$held" x86_64 "the member the others wait for, before barrier #1"
finish_run barrier

# 4. A broadcast in flight to a migrating member, and instance 0 migrating
# as the root of a reduction with some of its messages already received.
# The i386 member is held at its migration point 2 (setting up its
# workspace after barrier #1, before it receives the broadcast).
start_held bcast 2 i386
member=$held
root=$(root_tid)
wait_log "$root" "group: bcast 'spmd_groups'"
grep -q "group: barrier 'spmd_groups' #1 passed" "$(log_of "$member")" ||
  fail "the i386 member was held before barrier #1, not after it ($(log_of "$member"))"
! grep -q "group: waiting at barrier 'spmd_groups' #2" "$(log_of "$member")" || fail "the i386 member was held too late"
# Instance 0 now waits for the first reduction's messages: the held
# member's is missing, the others' are in its received-message list.
wait_log "$root" "group: waiting for 1 of 3 messages with tag 32"
migrate "$root" s390x "instance 0, the root of a reduction, 2 of its 3 messages received"
grep -q "collective call interrupted by a migration" "$(log_of "$root")" ||
  fail "instance 0 did not migrate out of its reduction ($(log_of "$root"))"
migrate "$member" x86_64 "a member the broadcast was sent to, before it received it"
finish_run bcast

# 5. Without a scheduler (as on a plain PVM virtual machine) the group calls
# are libgpvm3's: the same program prints the same with pvmgs.
sched=$(sed -n 's/.*start: tid=t\([0-9a-f]*\).*/\1/p' "/run/snow/$VM/log/scheduler.log" | head -1)
[ -n "$sched" ] || fail "no tid of the scheduler in its log"
printf 'kill %s\nquit\n' "$sched" | timeout 30 "$SNOW" console --vm "$VM" >/dev/null 2>&1 || true
_gone=0
while timeout 10 "$SNOW" ps --vm "$VM" >/dev/null 2>&1; do
  _gone=$((_gone + 1))
  [ $_gone -le 100 ] || fail "the scheduler t$sched did not go away"
  sleep 0.1
done
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$BIN/snow/LINUX64/spmd_groups" $ARGS >"$work/fallback.out" 2>"$work/fallback.err" ||
  fail "without a scheduler, the snowcc build failed ($work/fallback.err)"
grep -q "enroll: scheduler unreachable" /run/snow/"$VM"/log/task-*.log || fail "the tasks still found a scheduler"
! grep -q "group: waiting at barrier" $(ls -t /run/snow/"$VM"/log/task-*.log | head -4) || fail "the group calls went to a scheduler"
cmp -s "$work/base.out" "$work/fallback.out" || { diff "$work/base.out" "$work/fallback.out" >&2; fail "without a scheduler (libgpvm3), the snowcc build prints something else"; }
RUNS=$((RUNS + 1))
note "without a scheduler (libgpvm3): same output as the plain-gcc build"

rm -rf "$work"
note "groups: $MIGRATIONS migrations across x86_64, i386 and s390x (2 in a barrier, 1 of a member a broadcast was in flight to, 1 of a reduction's root), $RUNS runs with the plain-gcc output"
note "ok"
