#!/bin/sh
# Plain PVM tasks and SNOW tasks as peers, both ways, while a SNOW task
# migrates across architectures (doc/plain-peers.md).  The programs,
# test/plain/pp_master.c and pp_worker.c, are ordinary PVM programs: the
# master spawns NW workers, asks pvm_notify(PvmTaskExit) about them, hands
# out work units and checks every result and its sender's tid, then stops
# the workers -- the first by pvm_kill -- and counts the exit
# notifications, which must come exactly once per worker and only after it
# was told to stop (it prints what it found; exit status 0 only if all of
# it holds).
#  A. plain-gcc master, snowcc workers: unmigrated, then with the first
#     worker migrated twice mid-run, each time to another architecture
#     (a plain task's messages to the moved task go through its home
#     agent; its pvm_kill reaches it wherever it runs; its exit
#     notification fires when the task ends, not when it moves).
#  B. snowcc master, plain-gcc workers: unmigrated, then with the master
#     migrated twice mid-run (a SNOW task talking to plain tasks; their
#     messages to the master's virtual tid reach it wherever it runs).
#  C. the same as B1 with the home agent disabled (SNOW_FAULT=no_home_agent):
#     the master must not finish correctly, or these checks cannot fail.
# On one virtual machine of an x86_64, an i386 and an s390x host; workers
# are spread over all three by pvm_spawn.
. "$TEST_LIB"
need_netns
need_arch i386 s390x

PLAIN_BIN="$TOP_BUILDDIR/test/plain-bin"
for b in orig/LINUX64/pp_master snow/LINUX64/pp_master orig/LINUXS390/pp_worker snow/LINUXS390/pp_worker; do
  [ -x "$PLAIN_BIN/$b" ] || skip "test/plain-bin was not built (make check builds it): $b"
done

# Limits (seconds), all here.
T_RUN=300      # one run of the master
T_MIGRATE=120  # one snow migrate
T_APPEAR=60    # until the task to move is running
NW=3           # workers
UNITS=120      # work units of a migrated run
MS=200         # milliseconds each unit takes
T_BROKEN=40    # how long the run without a home agent is given to (wrongly) finish

ARCHS="x86_64 i386 s390x"
pvmarch_of() { case $1 in x86_64) echo LINUX64;; i386) echo LINUX;; s390x) echo LINUXS390;; esac; }
host_for() { "$SNOW" hosts --vm "$VM" | awk -v a="$1" '$2 == a { print $1; exit }'; }
# Current host and arch of a task ("" while it is not running).
where() { "$SNOW" ps --vm "$VM" | awk -v t="$1" '$1 == t && $5 == "running" { print $3, $4 }'; }
# An architecture other than $1 and $2.
other_arch() {
  for a in $ARCHS; do [ "$a" != "$1" ] && [ "$a" != "${2:-}" ] && { echo "$a"; return; }; done
}

mkdir -p mix
# The master's and the workers' builds: orig (plain gcc) or snow (snowcc).
use_builds() {
  for a in $ARCHS; do
    p=$(pvmarch_of "$a")
    mkdir -p "mix/$p"
    cp -f "$PLAIN_BIN/$1/$p/pp_master" "mix/$p/pp_master"
    cp -f "$PLAIN_BIN/$2/$p/pp_worker" "mix/$p/pp_worker"
  done
}

vm_up --hosts x86_64,i386,s390x --ep "$TEST_WORK/mix" >/dev/null
# On failure, keep the virtual machine's logs with the run's files.
trap 'rc=$?; [ $rc = 0 ] || cp -r "/run/snow/$VM/log" "$TEST_WORK/vm-log" 2>/dev/null; (exit $rc); vm_cleanup' \
  EXIT INT TERM
HOST1=$(host_for x86_64)
[ -n "$HOST1" ] || fail "no x86_64 host in 'snow hosts'"

# Wait until task $1 runs; prints "HOST ARCH".
wait_running() {
  i=0
  while [ $i -lt $((T_APPEAR * 5)) ]; do
    w=$(where "$1")
    [ -n "$w" ] && { echo "$w"; return 0; }
    sleep 0.2
    i=$((i + 1))
  done
  return 1
}

# Move task $1 twice, each time to another architecture.
migrate_twice() {
  w=$(wait_running "$1") || fail "$2: task $1 never showed as running in snow ps"
  from=${w#* }
  to=$(other_arch "$from")
  timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$1" "$(host_for "$to")" >"$2.mig1" 2>&1 \
    || { cat "$2.mig1" >&2; fail "$2: migrating $1 $from -> $to failed"; }
  w=$(wait_running "$1") || fail "$2: task $1 is not running after its first migration"
  [ "${w#* }" = "$to" ] || fail "$2: task $1 runs on ${w#* } after migrating to $to"
  to2=$(other_arch "$to" "$from")
  timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$1" "$(host_for "$to2")" >"$2.mig2" 2>&1 \
    || { cat "$2.mig2" >&2; fail "$2: migrating $1 $to -> $to2 failed"; }
  note "$2: moved $1 $from -> $to -> $to2 while it ran"
}

# The master's verdict lines for $2 units.
check_output() {
  rc=$1
  grep -qx "pp_master: $2 units, 0 wrong, sum right, 0 from unknown tasks" "$3.out" \
    && grep -qx "pp_master: $NW of $NW exit notifications, 0 early, 0 repeated" "$3.out" && [ "$rc" = 0 ] \
    || { cat "$3.out" "$3.err" >&2; fail "$3: the master did not finish correctly (exit status $rc)"; }
}

run_master() {  # NAME UNITS [NAME=VALUE...]: runs in the background, output in NAME.out
  _name=$1 _units=$2
  shift 2
  env "$@" timeout "$T_RUN" "$SNOW" run --vm "$VM" --host "$HOST1" "$TEST_WORK/mix/LINUX64/pp_master" "$NW" \
    "$_units" "$MS" >"$_name.out" 2>"$_name.err" &
  MASTER_PID=$!
}

# The SNOW master of run $1, once it runs.
snow_master() {
  _m="" _i=0
  while [ -z "$_m" ]; do
    [ $_i -lt $((T_APPEAR * 5)) ] || fail "$1: the master never showed in snow ps"
    _m=$("$SNOW" ps --vm "$VM" | awk '$NF == "pp_master" && $5 == "running" { print $1; exit }')
    sleep 0.2
    _i=$((_i + 1))
  done
  echo "$_m"
}

finish_master() {  # NAME UNITS
  rc=0
  wait "$MASTER_PID" || rc=$?
  check_output "$rc" "$2" "$1"
  # Every SNOW task of the run has really ended: the pvm_kill of the first
  # worker (pvm_sendsig SIGTERM) reached its current process, wherever it
  # moved, and not only its home agent.
  i=0
  while "$SNOW" ps --vm "$VM" | awk '$5 == "running" && ($NF == "pp_worker" || $NF == "pp_master")' | grep -q .; do
    [ $i -lt $((T_APPEAR * 5)) ] || { "$SNOW" ps --vm "$VM" >&2; fail "$1: SNOW tasks still run after the master ended"; }
    sleep 0.2
    i=$((i + 1))
  done
}

# Until the master of run $1 has spawned its workers.
wait_workers() {
  i=0
  until grep -q '^workers:' "$1.out" 2>/dev/null; do
    [ $i -lt $((T_APPEAR * 5)) ] || { cat "$1.out" "$1.err" >&2; fail "$1: the master never printed its workers"; }
    sleep 0.2
    i=$((i + 1))
  done
}

# ---- A: plain master, SNOW workers
use_builds orig snow
run_master a0 30
finish_master a0 30
note "A: plain master, snowcc workers, unmigrated: right"

run_master a1 "$UNITS"
wait_workers a1
worker=$(awk '/^workers:/ { print $2; exit }' a1.out)
migrate_twice "$worker" a1
finish_master a1 "$UNITS"
note "A: plain master, snowcc workers, worker $worker migrated twice: right (its pvm_kill and exit notification too)"

# ---- B: SNOW master, plain workers
use_builds snow orig
run_master b0 30
finish_master b0 30
note "B: snowcc master, plain workers, unmigrated: right"

run_master b1 "$UNITS"
master=$(snow_master b1)
wait_workers b1
migrate_twice "$master" b1
finish_master b1 "$UNITS"
note "B: snowcc master, plain workers, master $master migrated twice: right"
# ---- C: the checks can fail.  With SNOW_FAULT=no_home_agent the master's
# first process exits after its migration, as before home agents existed:
# pvmd drops the plain workers' messages to the master's virtual tid, and
# the master must not finish correctly.
run_master c1 "$UNITS" SNOW_FAULT=no_home_agent PVM_EXPORT=SNOW_FAULT
master=$(snow_master c1)
wait_workers c1
w=$(wait_running "$master") || fail "c1: the master is not running"
to=$(other_arch "${w#* }")
timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$master" "$(host_for "$to")" >c1.mig1 2>&1 \
  || { cat c1.mig1 >&2; fail "c1: migrating the master failed"; }
i=0
while [ $i -lt "$T_BROKEN" ] && kill -0 "$MASTER_PID" 2>/dev/null; do sleep 1; i=$((i + 1)); done
if grep -qx "pp_master: $UNITS units, 0 wrong, sum right, 0 from unknown tasks" c1.out; then
  fail "c1: without the home agent the master still finished correctly: this test cannot tell"
fi
kill "$MASTER_PID" 2>/dev/null || true
wait "$MASTER_PID" 2>/dev/null || true
note "C: without the home agent (SNOW_FAULT=no_home_agent) the same run does not finish correctly, as it must"
note "PASS: plain and SNOW peers both ways, unmigrated and with a SNOW task moved across architectures twice mid-run"
