#!/bin/sh
# A sequential program (test/precomp/programs/seq_tree.c: no PVM at all,
# a heap tree walked recursively), built with snowcc:
#   * outside any virtual machine it runs exactly like the gcc build, with
#     nothing on standard error; with SNOW_TASK=1 and no pvmd, exactly one
#     warning line;
#   * on the VM with SNOW_TASK=1 it is a SNOW task (`snow ps` lists it) and
#     migrates mid-run x86_64 -> s390x -> ... (one run per pair below): the
#     continuation restores its state and prints exactly what the
#     unmigrated program prints;
#   * a migration whose destination fails -- the program is not there
#     (spawn fails), the new process dies on receiving the state, after
#     restoring it but before the commit, or right after the received-message
#     list -- is reported as failed and the source finishes correctly; the
#     same for a pre-compiled PVM task (deep_sort's worker).
# It is started with `snow run`, which makes it a SNOW task (SNOW_TASK=1)
# and passes its output through wherever it runs.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
need_precomp_runtime
# Files of this run only (system tests run side by side in one directory).
cd "$PRECOMP_TMP"

STEPS=40
orig="$PRECOMP_BIN/orig/LINUX64/seq_tree"
snow="$PRECOMP_BIN/snow/LINUX64/seq_tree"
[ -x "$PRECOMP_BIN/snow/LINUXS390/seq_tree" ] || skip "seq_tree was not built for s390x"

# 1. Outside any virtual machine.
"$orig" $STEPS >base 2>base.err || fail "the gcc build of seq_tree failed"
"$snow" $STEPS >plain 2>plain.err || { cat plain.err; fail "the snowcc build failed outside a VM"; }
diff -u base plain || fail "the snowcc build prints something else than the gcc build"
[ ! -s plain.err ] || { cat plain.err; fail "the snowcc build wrote to standard error outside a VM"; }
note "outside a VM: same output as gcc, nothing on standard error"
mkdir -p "$PRECOMP_TMP/nopvmd"
SNOW_TASK=1 PVM_ALLOW_ROOT=1 PVM_TMP="$PRECOMP_TMP/nopvmd" "$snow" $STEPS >alone 2>alone.err ||
  { cat alone.err; fail "SNOW_TASK=1 without a pvmd failed"; }
diff -u base alone || fail "SNOW_TASK=1 without a pvmd changed the output"
cat alone.err
[ "$(wc -l <alone.err)" -eq 1 ] && grep -q "no PVM daemon is reachable" alone.err ||
  fail "SNOW_TASK=1 without a pvmd: expected exactly one warning line"
note "SNOW_TASK=1 without a pvmd: same output, one warning line"

# A copy of the program only the x86_64 hosts have: its migrations to
# another architecture cannot even start the destination process.
mkdir -p "$PRECOMP_TMP/ep/LINUX64"
cp "$snow" "$PRECOMP_TMP/ep/LINUX64/seq_only64"

vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/snow" --ep "$PRECOMP_TMP/ep"

# 2. Migrations mid-run, between all three architectures.
for pair in x86_64:s390x s390x:i386 i386:x86_64; do
  from=${pair%:*} to=${pair#*:}
  k=$(random_upto 3000)
  migrate_cmd "run.$from" "$k" "$from" "$(host_of "$to")" seq_tree --host "$(host_of "$from")" seq_tree $STEPS
  [ "$rc" -eq 0 ] || { cat "run.$from.err"; fail "snow run of the migrated seq_tree returned $rc"; }
  if ! diff -u base "run.$from"; then
    cat "run.$from.err" >&2
    fail "seq_tree printed something else after migrating $MIGRATED"
  fi
  log=$(grep -l "seq_tree" /run/snow/"$VM"/log/task-*.log | xargs ls -t | head -1)
  grep -q "exec: restoring: frames=" "$log" || fail "the destination did not restore the frames ($log)"
  note "migration $MIGRATED at point $k: same output as without migration, the destination restored the state"
done

# `snow ps` lists it while it runs (it waits at the trigger for a request
# that does not come: it is killed afterwards).
trig="$PRECOMP_TMP/ps.trigger"
SNOW_EXEC_TRIGGER="5:$trig::seq_tree" PVM_EXPORT="SNOW_EXEC_TRIGGER" \
  "$SNOW" run --vm "$VM" seq_tree $STEPS >ps.out 2>&1 &
pspid=$!
wait_for_file "$trig" 120 || fail "seq_tree did not reach its trigger"
read -r tid arch <"$trig"
"$SNOW" ps --vm "$VM" >ps
cat ps
grep -q "$(printf 't%x' "$tid").*seq_tree" ps || fail "snow ps does not list the sequential task"
"$SNOW" migrate --vm "$VM" --timeout 120 "$(printf 't%x' "$tid")" "$(host_of s390x)" >/dev/null ||
  fail "the listed task could not be migrated"
wait_for_exit $pspid 120 || { cat ps.out; fail "snow run of the listed task failed"; }
diff -u base ps.out || fail "the listed task printed something else"
note "snow ps lists a sequential task started with SNOW_TASK=1"

# 3. The destination fails; the source carries on.
# abort_run NAME FAULT PROGRAM DST: a migration of PROGRAM (SNOW_FAULT=FAULT)
# to DST that must fail, after which the source finishes with the right
# output, all printed by the one original process.
abort_run() {
  name=$1 fault=$2 prog=$3 dst=$4
  trig="$PRECOMP_TMP/$name.trigger"
  k=$(random_upto 3000)
  note "--- $name: SNOW_FAULT=${fault:-none}, $prog to $dst at point $k"
  SNOW_FAULT=$fault SNOW_EXEC_TRIGGER="$k:$trig::$prog" PVM_EXPORT="SNOW_EXEC_TRIGGER:SNOW_FAULT" \
    "$SNOW" run --vm "$VM" --host "$(host_of x86_64)" "$prog" $STEPS >"$name.out" 2>"$name.err" &
  pid=$!
  wait_for_file "$trig" 120 || { cat "$name.out" "$name.err"; fail "$name: no trigger"; }
  read -r tid arch <"$trig"
  t=$(printf 't%x' "$tid")
  if "$SNOW" migrate --vm "$VM" --timeout 120 "$t" "$dst" >"$name.mig" 2>&1; then
    cat "$name.mig"; fail "$name: the migration succeeded although it should fail"
  fi
  cat "$name.mig"
  grep -q "was not migrated to $dst" "$name.mig" || fail "$name: unclear report of the failed migration"
  # The trigger hook waits for a migration request; a migration that failed
  # before sending one (spawn_fails) never does: removing the file ends the wait.
  rm -f "$trig"
  rc=0
  wait_for_exit $pid 180 || rc=$?
  [ $rc -ne 124 ] || { cat "$name.out" "$name.err" >&2; fail "$name: the source did not finish (hung)"; }
  [ $rc -eq 0 ] || { cat "$name.err" >&2; fail "$name: snow run returned $rc"; }
  diff -u base "$name.out" || { cat "$name.err" >&2; fail "$name: the source did not finish correctly"; }
  if [ -n "$fault" ]; then
    grep -q "injected fault: $fault" /run/snow/"$VM"/log/task-"$t".log ||
      fail "$name: the destination never reached the injected fault"
  fi
  note "$name: migration refused or aborted, the source finished with the right output"
}
abort_run spawn_fails "" seq_only64 "$(host_of s390x)"
abort_run init_exit_rml init_exit_rml seq_tree "$(host_of i386)"
abort_run init_exit_state init_exit_state seq_tree "$(host_of s390x)"
abort_run init_exit_restored init_exit_restored seq_tree "$(host_of i386)"
[ "$(grep -c "outcome=failed" /run/snow/"$VM"/journal)" -ge 4 ] || fail "the journal lacks the failed migrations"

# 4. The same for a pre-compiled PVM task: deep_sort's worker (on x86_64)
# loses its destination while restoring; it carries on and its master
# prints the result of a run without migration.
N=400
"$SNOW" run --vm "$VM" deep_sort $N "$(host_of x86_64)" >ds.base 2>ds.base.err ||
  { cat ds.base ds.base.err; fail "deep_sort failed"; }
trig="$PRECOMP_TMP/ds.trigger"
k=$((N + $(random_upto 300)))
note "--- deep_sort worker, SNOW_FAULT=init_exit_state, to $(host_of s390x) at point $k"
SNOW_FAULT=init_exit_state SNOW_EXEC_TRIGGER="$k:$trig:x86_64:deep_sort" PVM_EXPORT="SNOW_EXEC_TRIGGER:SNOW_FAULT" \
  "$SNOW" run --vm "$VM" deep_sort $N "$(host_of x86_64)" >ds.run 2>ds.err &
pid=$!
wait_for_file "$trig" 120 || { cat ds.run ds.err; fail "the deep_sort worker did not reach point $k"; }
read -r tid arch <"$trig"
t=$(printf 't%x' "$tid")
if "$SNOW" migrate --vm "$VM" --timeout 120 "$t" "$(host_of s390x)" >ds.mig 2>&1; then
  cat ds.mig; fail "the worker migrated although its destination was to die"
fi
cat ds.mig
rc=0
wait_for_exit $pid 180 || rc=$?
[ $rc -ne 124 ] || { cat ds.run ds.err >&2; fail "deep_sort did not finish after the aborted migration"; }
grep -q "injected fault: init_exit_state" /run/snow/"$VM"/log/task-"$t".log ||
  fail "the worker's destination never reached the injected fault"
diff -u ds.base ds.run || fail "deep_sort gave another result after the aborted migration"
note "a PVM task whose destination died while restoring carried on: same result"
cd /
rm -rf "$PRECOMP_TMP"
note "ok"
