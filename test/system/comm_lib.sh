# Helpers for the communication-state-transfer tests (sourced after lib.sh).
# Traces go under the build tree: every virtual host sees it (their /tmp
# is private).

STRESS="$TOP_BUILDDIR/test/programs/comm_stress"
CHECK_TRACE="$TOP_BUILDDIR/test/checker/check_trace"
WORK="$TOP_BUILDDIR/test/tmp/$TEST_NAME.$VM"
rm -rf "$WORK"
mkdir -p "$WORK"

# wait_until SECONDS WHAT COMMAND...: poll a condition, fail at the deadline.
wait_until() {
  _limit=$1; _what=$2; shift 2
  _end=$(( $(date +%s) + _limit ))
  until "$@"; do
    [ "$(date +%s)" -lt "$_end" ] || fail "timed out after ${_limit}s waiting for $_what"
    sleep 0.05
  done
}

# A small reproducible random generator: rnd N sets R to 0..N-1.
SEED=${SNOW_SEED:-$(( $(date +%s) % 100000 ))}
rnd() {
  SEED=$(( (SEED * 1103515245 + 12345) & 2147483647 ))
  R=$(( (SEED >> 8) % $1 ))
}

# Current host of virtual tid $1 ("" when not running).
host_of() {
  "$SNOW" ps --vm "$VM" | awk -v t="$1" '$1 == t && $5 == "running" { print $3 }'
}

# Start a comm_stress coordinator named $1 (traces in $WORK/$1); more args follow.
start_stress() {
  _name=$1; shift
  mkdir -p "$WORK/$_name"
  ( timeout 600 "$SNOW" run --vm "$VM" "$STRESS" -t "$WORK/$_name" "$@" > "$WORK/$_name/out" 2>&1;
    echo $? > "$WORK/$_name/rc" ) &
  wait_until 60 "workers of $_name" test -s "$WORK/$_name/tasks"
  for _t in $(cut -d' ' -f1 "$WORK/$_name/tasks"); do
    wait_until 60 "$_t to enrol with the scheduler" enrolled "$_t"
  done
}

enrolled() { "$SNOW" ps --vm "$VM" --all | grep -q "^$1 "; }

running() { [ ! -f "$WORK/$1/rc" ]; }

# Judge one workload; extra arguments go to check_trace.
check_workload() {
  _name=$1; shift
  wait_until 600 "workload $_name to finish" test -f "$WORK/$_name/rc"
  cat "$WORK/$_name/out"
  [ "$(cat "$WORK/$_name/rc")" = 0 ] || fail "workload $_name exited with $(cat "$WORK/$_name/rc")"
  if "$CHECK_TRACE" "$@" "$WORK/$_name" > "$WORK/$_name/check"; then cat "$WORK/$_name/check"
  else cat "$WORK/$_name/check"; fail "the checker rejected workload $_name"; fi
}

# Task logs of the VM (the runtime writes one per virtual tid).
task_logs() { cat /run/snow/"$VM"/log/task-*.log 2>/dev/null; }
ext_logs() { cat /run/snow/"$VM"/log/ext-*.log 2>/dev/null; }

# comm_nack scenarios: run_scenario NAME HOSTS starts the coordinator in
# the background; finish_scenario NAME waits for it and checks its status.
NACK="$TOP_BUILDDIR/test/programs/comm_nack"
run_scenario() {
  D="$WORK/$1"; mkdir -p "$D"
  ( timeout 180 "$SNOW" run --vm "$VM" "$NACK" "$1" -w "$D" -H "$2" > "$D/out" 2>&1; echo $? > "$D/rc" ) &
}
finish_scenario() {
  wait_until 180 "scenario $1" test -f "$WORK/$1/rc"
  cat "$WORK/$1/out"
  [ "$(cat "$WORK/$1/rc")" = 0 ] || fail "scenario $1 failed"
}
task() { awk -v r="$2" '$1 == r { print $2 }' "$WORK/$1/tasks"; }
task_log() { cat /run/snow/"$VM"/log/task-"$1".log; }
