#!/bin/sh
# Checkpoints of a running sequential program (test/precomp/programs/
# seq_tree.c, built with snowcc, started with `snow run`):
#   1. `snow checkpoint TASK FILE --stop` on x86_64: the task writes FILE
#      (mode 0600) and ends; `snow restart --host <s390x host> FILE` (the
#      program found by the name the checkpoint records) prints the rest:
#      both together are the unmigrated output;
#   2. `snow checkpoint TASK FILE` without --stop: the task carries on and
#      prints everything; the checkpoint restarts on i386 and, standalone
#      without a VM, on this machine (program found in ~/pvm3/bin/LINUX64);
#   3. periodic checkpoints (`snow run --checkpoint-every 1 FILE`, i.e.
#      SNOW_CHECKPOINT_EVERY/FILE) go on after the task migrated to s390x,
#      and the last one restarts on i386;
#   4. failures are reported clearly: an unknown task; a file that cannot
#      be written (the task carries on and finishes correctly).
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
need_precomp_runtime
# Files of this run only (system tests run side by side in one directory).
cd "$PRECOMP_TMP"
for a in LINUX64 LINUX LINUXS390; do
  [ -x "$PRECOMP_BIN/snow/$a/seq_tree" ] || skip "seq_tree was not built for $a"
done

STEPS=60
DELAY=100   # ms per step: the run lasts a few seconds, long enough to be met mid-run
"$PRECOMP_BIN/orig/LINUX64/seq_tree" $STEPS >base || fail "the gcc build of seq_tree failed"
total=$(wc -l <base)

vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/snow"
X86=$(host_of x86_64)
I386=$(host_of i386)
S390=$(host_of s390x)
W="$PRECOMP_TMP"

# Start seq_tree on x86_64 in the background (output: file $1), wait until
# it printed 10 lines, and set TASK to its virtual tid.
start_run() {
  "$SNOW" run --vm "$VM" --host "$X86" seq_tree $STEPS $DELAY >"$1" 2>"$1.err" &
  RUNPID=$!
  _t=0
  while [ "$(cat "$1" 2>/dev/null | wc -l)" -lt 10 ]; do
    _t=$((_t + 1))
    [ $_t -le 600 ] || { cat "$1" "$1.err"; fail "seq_tree did not start printing"; }
    sleep 0.1
  done
  TASK=$("$SNOW" ps --vm "$VM" | awk '/seq_tree/ && /running/ { print $1; exit }')
  [ -n "$TASK" ] || { "$SNOW" ps --vm "$VM"; fail "snow ps does not list seq_tree as running"; }
}

# $1 = $2 followed by $3, line for line, and $3 is a proper tail ($4: what).
check_split() {
  n=$(wc -l <"$3")
  [ "$n" -gt 0 ] && [ "$n" -lt "$total" ] || fail "$4: the restart printed $n of $total lines"
  cat "$2" "$3" | diff -u "$1" - || fail "$4: the output before and after the checkpoint is not the unmigrated output"
}

note "--- 1. checkpoint --stop on x86_64, restart on s390x"
start_run run1
"$SNOW" checkpoint --vm "$VM" "$TASK" "$W/stop.ckpt" --stop >ck1 2>&1 || { cat ck1; fail "snow checkpoint --stop failed"; }
cat ck1
grep -q "written to $W/stop.ckpt" ck1 && grep -q "the task has stopped" ck1 || fail "unclear report of the checkpoint"
rc=0
wait_for_exit $RUNPID 60 || rc=$?
[ $rc -eq 0 ] || { cat run1.err; fail "the stopped task's snow run returned $rc"; }
[ "$(wc -l <run1)" -lt "$total" ] || fail "the task did not stop at the checkpoint"
[ "$(stat -c %a "$W/stop.ckpt")" = 600 ] || fail "the checkpoint file is not private (mode $(stat -c %a "$W/stop.ckpt"))"
ls -a "$W" | grep -q partial && fail "a temporary file was left next to the checkpoint"
timeout 300 "$SNOW" restart --vm "$VM" --host "$S390" "$W/stop.ckpt" >rest1 2>rest1.err ||
  { cat rest1.err; fail "snow restart on s390x failed"; }
grep -q "running .*/LINUXS390/seq_tree on $S390" rest1.err || { cat rest1.err; fail "restart did not find the s390x program"; }
check_split base run1 rest1 "stop + restart on s390x"
note "stopped after $(wc -l <run1) lines, the s390x restart printed the other $(wc -l <rest1)"

note "--- 2. checkpoint without --stop, restart on i386 and standalone"
start_run run2
"$SNOW" checkpoint --vm "$VM" "$TASK" "$W/go.ckpt" >ck2 2>&1 || { cat ck2; fail "snow checkpoint failed"; }
cat ck2
grep -q "the task carries on" ck2 || fail "unclear report of the checkpoint"
wait_for_exit $RUNPID 120 || { cat run2.err; fail "the task did not finish after its checkpoint"; }
diff -u base run2 || fail "a checkpoint changed the output of the task that carried on"
timeout 300 "$SNOW" restart --vm "$VM" --host "$I386" "$W/go.ckpt" >rest2 2>rest2.err ||
  { cat rest2.err; fail "snow restart on i386 failed"; }
n=$(wc -l <rest2)
head -n $((total - n)) base >before2
check_split base before2 rest2 "restart on i386"
mkdir -p "$W/home/pvm3/bin/LINUX64"
cp "$PRECOMP_BIN/snow/LINUX64/seq_tree" "$W/home/pvm3/bin/LINUX64/"
HOME="$W/home" timeout 120 "$SNOW" restart "$W/go.ckpt" >rest2s 2>rest2s.err ||
  { cat rest2s.err; fail "standalone snow restart failed"; }
diff -u rest2 rest2s || fail "the standalone restart printed something else than the i386 restart"
note "checkpoint after $((total - n)) lines: restarts on i386 and standalone print the remaining $n"

note "--- 3. periodic checkpoints, also after a migration"
# Started on x86_64 and migrated to s390x early on: the continuation keeps
# checkpointing (SNOW_CHECKPOINT_* travel with the task), so the last
# checkpoint comes from s390x.
migrate_cmd run3 "$(random_upto 200)" x86_64 "$S390" seq_tree \
  --host "$X86" --checkpoint-every 1 "$W/every.ckpt" seq_tree $STEPS $DELAY
[ "$rc" -eq 0 ] || { cat run3.err; fail "snow run --checkpoint-every returned $rc"; }
diff -u base run3 || fail "periodic checkpoints changed the output"
[ -s "$W/every.ckpt" ] || fail "no periodic checkpoint was written"
timeout 300 "$SNOW" restart --vm "$VM" --host "$I386" "$W/every.ckpt" >rest3 2>rest3.err ||
  { cat rest3.err; fail "restart of the periodic checkpoint failed"; }
cat rest3.err
grep -q "checkpoint of seq_tree on s390x" rest3.err || fail "the last periodic checkpoint was not written on s390x"
n=$(wc -l <rest3)
head -n $((total - n)) base >before3
check_split base before3 rest3 "periodic checkpoint restarted on i386"
note "periodic checkpoints went on after the migration $MIGRATED; the last one restarted on i386 and printed the last $n lines"

note "--- 4. failures"
if "$SNOW" checkpoint --vm "$VM" t7ffff "$W/none.ckpt" >ck4 2>&1; then cat ck4; fail "checkpoint of an unknown task succeeded"; fi
cat ck4
grep -q "no SNOW task" ck4 || fail "unclear report for an unknown task"
start_run run4
if "$SNOW" checkpoint --vm "$VM" "$TASK" "$W/no/such/dir/x.ckpt" >ck5 2>&1; then cat ck5; fail "checkpoint into a missing directory succeeded"; fi
cat ck5
grep -q "no checkpoint of $TASK was written" ck5 || fail "unclear report of the failed checkpoint"
wait_for_exit $RUNPID 120 || { cat run4.err; fail "the task did not finish after a failed checkpoint"; }
diff -u base run4 || fail "the task did not carry on correctly after a failed checkpoint"
cd /
rm -rf "$PRECOMP_TMP"
note "ok"
