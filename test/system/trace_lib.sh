# Shared by the tracing tests (trace_tracer.sh, trace_calls.sh,
# trace_svg.sh), sourced after lib.sh.  They use $work, $VM, $SNOW and their
# own limits T_TRACER, T_TRACEFILE, T_TRIGGER, T_MIGRATE.

# start_tracer: PVM's tracer (pvm-dev) on the VM, writing $work/trace.trf,
# reading its commands from a fifo on fd 3; waits until it has registered.
# Sets tracer_pid.
start_tracer() {
  mkfifo "$work/tracer.in"
  "$SNOW" run --vm "$VM" /usr/bin/tracer -T "$work/trace.trf" <"$work/tracer.in" >"$work/tracer.out" 2>&1 &
  tracer_pid=$!
  exec 3>"$work/tracer.in"
  _n=0
  until grep -q "Tracer connected" "$work/tracer.out" 2>/dev/null; do
    _n=$((_n + 1))
    [ $_n -le $((T_TRACER * 10)) ] || fail "tracer did not register within $T_TRACER s: $(cat "$work/tracer.out")"
    sleep 0.1
  done
  note "$(grep "Tracer connected" "$work/tracer.out")"
}

# stop_tracer: tells tracer to quit and waits for its file.
stop_tracer() {
  echo quit >&3
  exec 3>&-
  wait_for_exit "$tracer_pid" "$T_TRACEFILE" || true
  [ -s "$work/trace.trf" ] || fail "tracer wrote no trace file: $(cat "$work/tracer.out")"
}

# move_held_worker TRIGGER WHAT: waits until a task is held at its
# migration point (SNOW_EXEC_TRIGGER wrote TRIGGER), then moves it to the
# s390x host with snow migrate.  WHAT names the task in failure lines.
# Sets t (its tid, decimal), vtid, and before/after (the wall clock
# around the move).
move_held_worker() {
  wait_for_file "$1" "$T_TRIGGER" || fail "$2 was not held at migration point $K within $T_TRIGGER s: $(tail -3 "$work/run.err")"
  read -r t _ <"$1"
  vtid=$(printf 't%x' "$t")
  before=$(date +%s.%N)
  timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$vtid" "$(host_of s390x)" >"$work/migrate.out" 2>&1 ||
    fail "snow migrate $vtid failed: $(tail -3 "$work/migrate.out")"
  after=$(date +%s.%N)
  note "worker $vtid moved i386 -> s390x: $(tail -1 "$work/migrate.out")"
}
