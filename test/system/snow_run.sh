#!/bin/sh
# `snow run` behaves like running the program in a shell, wherever the task
# moves.  run_ticks (test/precomp/programs/run_ticks.c: sequential, no PVM,
# one numbered line per tick naming the architecture that printed it) is
# built with snowcc and started with `snow run` by its bare name (found in
# the VM's --ep path):
#   1. it is a SNOW task (`snow ps` lists it); migrated mid-run with `snow
#      migrate` x86_64 -> s390x -> i386, it keeps printing through `snow
#      run`: every tick arrives exactly once, in order, printed by the three
#      architectures in turn, and `snow run` returns its exit status (3);
#   2. other endings: exit 0; SIGSEGV on s390x (139); SIGTERM after a
#      migration to i386 (143);
#   3. a task killed with SIGKILL cannot report: `snow run` says so and
#      returns 255 instead of pretending success;
#   4. lookup: a copy under the machine's /tmp (which no virtual host sees),
#      an unknown name and the x86_64 build on the s390x host are refused
#      with the reason; the bare name finds each host's own build; a
#      relative path works;
#   5. anything else runs as from a shell: the gcc build of run_ticks, and
#      `sh -c` with separate stdout/stderr and its exit status;
#   6. --checkpoint-every SECONDS FILE makes the task write FILE;
#   7. on a terminal (script(1)) the task's stdout is line-buffered, also
#      after a migration; into a file it is buffered like into a pipe.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
need_precomp_runtime
for a in LINUX64 LINUX LINUXS390; do
  [ -x "$PRECOMP_BIN/snow/$a/run_ticks" ] || skip "run_ticks was not built for $a"
done

vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/snow"
S390=$(host_of s390x)
I386=$(host_of i386)

# Wait until file $1 has a line matching $2 (at most $3 seconds).
wait_for_line() {
  _wl_ticks=0
  until grep -q "$2" "$1" 2>/dev/null; do
    _wl_ticks=$((_wl_ticks + 1))
    [ $_wl_ticks -le $(($3 * 10)) ] || { cat "$1" >&2; fail "no line '$2' in $1 after $3 s"; }
    sleep 0.1
  done
}

# The virtual tid of the running task of program $1, as `snow ps` lists it.
task_of() {
  _to_ticks=0
  while :; do
    t=$("$SNOW" ps --vm "$VM" | awk -v p="$1" '$NF == p && $5 == "running" { print $1; exit }')
    [ -z "$t" ] || { echo "$t"; return; }
    _to_ticks=$((_to_ticks + 1))
    [ $_to_ticks -le 300 ] || fail "snow ps never listed $1 as a running task"
    sleep 0.2
  done
}

migrate() {
  "$SNOW" migrate --vm "$VM" --timeout 120 "$1" "$2" >/dev/null || fail "snow migrate $1 $2 failed"
}

# 1. Two migrations mid-run; the output and the exit status come through.
TICKS=150
"$SNOW" run --vm "$VM" run_ticks $TICKS 100 3 >run1 2>run1.err &
pid=$!
wait_for_line run1 "^tick 5 of" 60
vt=$(task_of run_ticks)
migrate "$vt" "$S390"
wait_for_line run1 "on s390x\$" 60
migrate "$vt" "$I386"
wait_for_line run1 "on i386\$" 60
rc=0
wait_for_exit $pid 300 || rc=$?
[ $rc -ne 124 ] || fail "snow run did not return after the task ended"
[ $rc -eq 3 ] || { cat run1 run1.err; fail "snow run returned $rc, the program exits with 3"; }
i=1
while [ $i -le $TICKS ]; do echo "tick $i of $TICKS"; i=$((i + 1)); done >want1
sed 's/ on [a-z0-9_]*$//' run1 >got1
diff -u want1 got1 >&2 || fail "ticks lost, repeated or out of order across the migrations"
order=$(sed 's/.* on //' run1 | uniq | tr '\n' ' ')
[ "$order" = "x86_64 s390x i386 " ] || fail "printed by: $order (expected x86_64 s390x i386)"
[ ! -s run1.err ] || { cat run1.err; fail "snow run wrote to standard error"; }
note "migrated x86_64 -> s390x -> i386 mid-run: $TICKS ticks once each, in order; exit status 3 returned"

# 2. Other endings.
rc=0
"$SNOW" run --vm "$VM" run_ticks 2 0 0 >run2 || rc=$?
[ $rc -eq 0 ] && [ "$(wc -l <run2)" -eq 2 ] || fail "exit 0: snow run returned $rc, printed $(wc -l <run2) lines"
rc=0
timeout 120 "$SNOW" run --vm "$VM" --host "$S390" run_ticks 1 0 sigsegv >run3 2>&1 || rc=$?
[ $rc -eq 139 ] || { cat run3; fail "a SIGSEGV death on s390x: snow run returned $rc, not 139"; }
grep -q "^tick 1 of 1 on s390x\$" run3 || { cat run3; fail "the s390x run printed something else"; }
"$SNOW" run --vm "$VM" run_ticks 100 100 sigterm >run4 2>&1 &
pid=$!
wait_for_line run4 "^tick 3 of" 60
migrate "$(task_of run_ticks)" "$I386"
rc=0
wait_for_exit $pid 300 || rc=$?
[ $rc -eq 143 ] || { cat run4; fail "SIGTERM after a migration: snow run returned $rc, not 143"; }
grep -q "on i386\$" run4 || fail "the task did not print from i386"
note "exit 0, SIGSEGV on s390x (139) and SIGTERM after a migration (143) come back as a shell reports them"

# 3. SIGKILL: no report is possible; snow run must not call it a success.
"$SNOW" run --vm "$VM" run_ticks 1000 100 0 >run5 2>run5.err &
pid=$!
wait_for_line run5 "^tick 3 of" 60
victim=""
for p in /proc/[0-9]*; do
  [ "$(cat "$p/comm" 2>/dev/null)" = run_ticks ] || continue
  tr '\0' '\n' <"$p/environ" 2>/dev/null | grep -qx "SNOW_STATE_DIR=/run/snow/$VM" && victim=${p#/proc/}
done
[ -n "$victim" ] || fail "cannot find the run_ticks process"
kill -KILL "$victim"
rc=0
wait_for_exit $pid 120 || rc=$?
[ $rc -eq 255 ] || { cat run5.err; fail "a task killed by SIGKILL: snow run returned $rc, not 255"; }
grep -q "ended without reporting an exit status" run5.err || { cat run5.err; fail "no clear message for a vanished task"; }
note "a task killed by SIGKILL: $(cat run5.err)"

# 4. Program lookup.
hidden="/tmp/snow_run_test.$$"
cp "$PRECOMP_BIN/snow/LINUX64/run_ticks" "$hidden"
rc=0
"$SNOW" run --vm "$VM" "$hidden" 1 0 0 >run6 2>&1 || rc=$?
rm -f "$hidden"
[ $rc -ne 0 ] && grep -q "private /tmp" run6 || { cat run6; fail "a program under /tmp: no error saying why"; }
rc=0
"$SNOW" run --vm "$VM" no_such_program_here >run7 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "no such program in the program path of host" run7 ||
  { cat run7; fail "an unknown program: no error saying where it looked"; }
rc=0
"$SNOW" run --vm "$VM" --host "$S390" "$PRECOMP_BIN/snow/LINUX64/run_ticks" 1 0 0 >run13 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "built for x86_64; host $S390 is s390x" run13 ||
  { cat run13; fail "the x86_64 build as a task on the s390x host: no error saying why"; }
"$SNOW" run --vm "$VM" --host "$S390" run_ticks 1 0 0 >run14 || fail "the bare name on $S390 failed"
grep -q "^tick 1 of 1 on s390x\$" run14 || { cat run14; fail "the bare name on $S390 did not find its s390x build"; }
(cd "$PRECOMP_BIN/snow" && "$SNOW" run --vm "$VM" ./LINUX64/run_ticks 1 0 0) >run8 || fail "a relative path failed"
grep -q "^tick 1 of 1 on x86_64\$" run8 || fail "a relative path printed something else"
note "lookup: $(cat run6)"
note "lookup: $(cat run7)"

# 5. Anything else runs as from a shell.
rc=0
"$SNOW" run --vm "$VM" "$PRECOMP_BIN/orig/LINUX64/run_ticks" 2 0 5 >run9 || rc=$?
[ $rc -eq 5 ] && [ "$(wc -l <run9)" -eq 2 ] || fail "the gcc build: snow run returned $rc"
rc=0
"$SNOW" run --vm "$VM" --host "$S390" sh -c 'hostname; echo err >&2; exit 7' >run10 2>run10.err || rc=$?
[ $rc -eq 7 ] && [ "$(cat run10)" = "$S390" ] && [ "$(cat run10.err)" = err ] ||
  fail "sh -c on $S390: status $rc, stdout '$(cat run10)', stderr '$(cat run10.err)'"
note "non-SNOW programs: exit status, stdout and stderr as in a shell"

# 7 (here, while the VM is up). On a terminal the task's stdout is
# line-buffered, as a program's is on a terminal -- also after a migration;
# into a file it is buffered as into any pipe.  run_ticks without its
# fflush (RUN_TICKS_NO_FLUSH, passed through `env`) shows the difference.
command -v script >/dev/null 2>&1 || fail "script(1) (package bsdutils) is missing"
script -qfc "'$SNOW' run --vm '$VM' env RUN_TICKS_NO_FLUSH=1 run_ticks 60 100 0" run15 >/dev/null 2>&1 &
pid=$!
wait_for_line run15 "^tick 3 of" 60
migrate "$(task_of run_ticks)" "$S390"
wait_for_line run15 "on s390x" 60
! grep -q "^tick 60 of" run15 || { cat run15; fail "after the migration the task's stdout was not line-buffered"; }
wait_for_exit $pid 300 || fail "snow run on a terminal failed"
[ "$(grep -c "^tick" run15)" -eq 60 ] || { cat run15; fail "snow run on a terminal lost ticks"; }
"$SNOW" run --vm "$VM" env RUN_TICKS_NO_FLUSH=1 run_ticks 30 100 0 >run16 &
pid=$!
task_of run_ticks >/dev/null
sleep 1  # a window in which nothing may arrive (the check is for absence)
[ ! -s run16 ] || { cat run16; fail "into a file, the task's output was not buffered"; }
wait_for_exit $pid 120 || fail "snow run into a file failed"
[ "$(grep -c "^tick" run16)" -eq 30 ] || fail "snow run into a file lost ticks"
note "on a terminal the task prints line by line (also after a migration); into a file it is buffered"

# 6. Periodic checkpoints.
ck="$PRECOMP_TMP/ticks.ckpt"
"$SNOW" run --vm "$VM" --checkpoint-every 1 "$ck" run_ticks 40 100 0 >run11 2>&1 ||
  { cat run11; fail "--checkpoint-every: the run failed"; }
[ -s "$ck" ] || { cat run11; fail "--checkpoint-every 1 FILE: no checkpoint written to $ck"; }
rc=0
"$SNOW" run --vm "$VM" --checkpoint-every 1 "$ck" sh -c true >run12 2>&1 || rc=$?
[ $rc -ne 0 ] && grep -q "needs a SNOW program" run12 || { cat run12; fail "--checkpoint-every with sh: no clear error"; }
note "--checkpoint-every 1 FILE: checkpoint written ($(wc -c <"$ck") bytes)"

rm -f run* want1 got1
rm -rf "$PRECOMP_TMP"
note "ok"
