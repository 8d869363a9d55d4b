#!/bin/bash
# Bad input gets a clear error, never a crash or a lost message (issue 3):
#   * `snow migrate` with an unknown task, an unknown host, a malformed
#     task id, or a task that cannot go where it is sent;
#   * a state that cannot live on the destination (a 64-bit long on i386):
#     refused before anything is touched, naming the variable;
#   * malformed and unexpected control messages sent to the scheduler, the
#     daemon extensions and running tasks: logged with their source and
#     dropped, while a workload keeps running and migrating, losing nothing;
#   * the scheduler unreachable: the operator commands say so, and a task
#     whose send needs a lookup gets SnowNoScheduler instead of hanging.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/comm_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x,x86_64   # vh1 vh2(i386) vh3(s390x) vh4
start_stress ring -p ring -n 4 -r 400 -b 2 -d 15000 -w -H vh1,vh4,vh3,vh1
w=$(sed -n 1p "$WORK/ring/tasks" | cut -d' ' -f1)   # on vh1 (64-bit long holding 7*2^40)

expect_error() {  # expect_error TEXT COMMAND...: it must fail and say TEXT
  if "$@" > "$WORK/err" 2>&1; then cat "$WORK/err"; fail "'$*' succeeded"; fi
  grep -q "$1" "$WORK/err" 2>/dev/null || true
}
refuse() {  # refuse "expected text" args...
  want=$1; shift
  if "$SNOW" migrate --vm "$VM" "$@" > "$WORK/err" 2>&1; then cat "$WORK/err"; fail "snow migrate $* succeeded"; fi
  cat "$WORK/err"
  grep -q "$want" "$WORK/err" || fail "unclear error for 'snow migrate $*' (wanted: $want)"
}
note "--- operator errors"
refuse "unknown task t4dead" t4dead vh2
refuse "unknown host 'vh9' (hosts: vh1 vh2 vh3 vh4)" "$w" vh9
refuse "is not a task id" nonsense vh2
refuse "is already on vh1" "$w" vh1
refuse "usage: snow migrate" "$w"

note "--- a state the destination cannot hold"
refuse "wide: holds 7696581394432, which does not fit the 32-bit long of i386" "$w" vh2
"$SNOW" migrate --vm "$VM" "$w" vh3 || fail "the refused task cannot migrate where it fits"

note "--- malformed and unexpected control messages"
victims=$(cut -d' ' -f1 "$WORK/ring/tasks" | sed -n '2,3p')
garbage=$(timeout 60 "$SNOW" run --vm "$VM" "$TOP_BUILDDIR/test/programs/comm_garbage" vh1 vh3 \
          $(for t in $victims; do echo -t "$t"; done)) || fail "comm_garbage failed: $garbage"
echo "$garbage"
gt=$(echo "$garbage" | sed -n 's/^comm_garbage: \(t[0-9a-f]*\) sent.*/\1/p')
for l in scheduler ext-vh1 ext-vh3 $(for t in $victims; do echo task-$t; done); do
  log=/run/snow/"$VM"/log/$l.log
  # (A task under qemu-user may still be logging when the first line is
  # there: wait for all of them, bounded.)
  count_bad() { grep -c -e "malformed-control: from=$gt" -e "unexpected-control: .*$gt" "$log" || true; }
  wait_until 30 "$l to log the garbage" sh -c "grep -q 'malformed-control: from=$gt' $log"
  _cb=0
  while [ "$(count_bad)" -lt 8 ] && [ $_cb -lt 100 ]; do _cb=$((_cb + 1)); sleep 0.1; done
  n=$(count_bad)
  note "$l logged and dropped $n of them"
  [ "$n" -ge 8 ] || { grep "$gt" "$log"; fail "$l did not report every bad message"; }
done
grep -q "version 99 is not supported" /run/snow/"$VM"/log/scheduler.log || fail "no version error in the scheduler log"
grep -q "notification tag=1001 from task $gt" /run/snow/"$VM"/log/scheduler.log || fail "a forged notification was not refused"
# Still working: more migrations of the victims, and the workload is intact.
for t in $victims; do
  h=$(host_of "$t"); [ "$h" = vh4 ] && to=vh1 || to=vh4
  "$SNOW" migrate --vm "$VM" "$t" "$to" | head -1 || fail "$t cannot migrate after the garbage"
done
check_workload ring --bound-seconds 180

note "--- the scheduler unreachable"
kill "$(sed -n 's/.*start: tid=.* pid=\([0-9]*\).*/\1/p' /run/snow/"$VM"/log/scheduler.log | head -1)"
wait_until 20 "the scheduler to leave PVM's mailbox" sh -c "! '$SNOW' ps --vm '$VM' > /dev/null 2>&1"
"$SNOW" ps --vm "$VM" 2>&1 | tee "$WORK/err" | grep -q "the SNOW scheduler is not running" ||
  fail "unclear error from snow ps without a scheduler"
refuse "the SNOW scheduler is not running" "$w" vh2
run_scenario nosched vh1,vh2
finish_scenario nosched
rm -rf "$WORK"
note "ok"
