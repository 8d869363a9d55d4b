#!/bin/sh
# PVM's own `tracer` (package pvm-dev) records a pre-compiled SNOW program
# that migrates (issue 11 item 3, doc/tracing.md).
#
# test/corpus/farm.c (an ordinary PVM master/worker program, built with
# snowcc) runs on the x86_64 + i386 + s390x virtual machine while `tracer`
# is registered as the VM's trace collector, so every task is traced from
# its start (PVM's usual inheritance).  The first farm worker on i386 is
# held at migration point $K and moved to s390x.  Then, in tracer's trace
# file:
#  - that worker has send/recv events under its virtual tid both before the
#    migration started and after it committed;
#  - no traced farm task has an event in any message context but the
#    application's (0): SNOW's control traffic (its own context) is not
#    traced, and neither are its internal pvm_parent/pvm_recvf calls;
#  - the run's output equals the unmigrated plain-gcc build's.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
[ -x /usr/bin/tracer ] || skip "PVM's tracer is not installed (package pvm-dev)"

CORPUS_BIN="${TRACE_CORPUS_BIN:-$TOP_BUILDDIR/test/corpus-bin}"
for d in orig/LINUX64 snow/LINUX64 snow/LINUX snow/LINUXS390; do
  [ -x "$CORPUS_BIN/$d/farm" ] || skip "farm was not built into $CORPUS_BIN/$d (make check builds corpus-bin)"
done

# Sizes and limits, all here.
WORKERS=3 UNITS=24 STEPS=200000  # farm's arguments: a few seconds of work
K=3                 # the worker is held at this migration point
T_TRACER=30         # until tracer has registered
T_RUN=180           # one farm run
T_TRIGGER=60        # until the worker is held
T_MIGRATE=60        # snow migrate
T_TRACEFILE=30      # until tracer has written its file after quit

work=$TEST_WORK
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/snow"

# The unmigrated plain-gcc build: the output to expect.
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$CORPUS_BIN/orig/LINUX64/farm" $WORKERS $UNITS $STEPS \
  >"$work/base.out" 2>"$work/base.err" || fail "the plain-gcc farm failed: $(tail -3 "$work/base.err")"

# tracer reads its commands from a fifo; it quits when told.
mkfifo "$work/tracer.in"
"$SNOW" run --vm "$VM" /usr/bin/tracer -T "$work/trace.trf" <"$work/tracer.in" >"$work/tracer.out" 2>&1 &
tracer_pid=$!
exec 3>"$work/tracer.in"
n=0
until grep -q "Tracer connected" "$work/tracer.out" 2>/dev/null; do
  n=$((n + 1))
  [ $n -le $((T_TRACER * 10)) ] || fail "tracer did not register within $T_TRACER s: $(cat "$work/tracer.out")"
  sleep 0.1
done
note "$(grep "Tracer connected" "$work/tracer.out")"

trig="$work/trigger"
SNOW_EXEC_TRIGGER="$K:$trig:i386:farm" PVM_EXPORT="SNOW_EXEC_TRIGGER" \
  "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/farm" $WORKERS $UNITS $STEPS >"$work/run.out" 2>"$work/run.err" &
pid=$!
wait_for_file "$trig" "$T_TRIGGER" || fail "no farm task on i386 was held at migration point $K within $T_TRIGGER s"
read -r t _ <"$trig"
vtid=$(printf 't%x' "$t")
before=$(date +%s.%N)
timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$vtid" "$(host_of s390x)" >"$work/migrate.out" 2>&1 ||
  fail "snow migrate $vtid failed: $(tail -3 "$work/migrate.out")"
after=$(date +%s.%N)
note "worker $vtid moved i386 -> s390x: $(tail -1 "$work/migrate.out")"
rc=0
wait_for_exit "$pid" "$T_RUN" || rc=$?
[ $rc = 0 ] || fail "the traced farm exited $rc: $(tail -3 "$work/run.err")"
cmp -s "$work/base.out" "$work/run.out" || { diff "$work/base.out" "$work/run.out" | head >&2; fail "the traced, migrated farm's output differs from the plain-gcc build's"; }

echo quit >&3
exec 3>&-
wait_for_exit "$tracer_pid" "$T_TRACEFILE" || true
[ -s "$work/trace.trf" ] || fail "tracer wrote no trace file: $(cat "$work/tracer.out")"

# Records look like:  "send(0.0)" { TS, TU, TID, ... };;
# (0.0 = entry, 1.1 = exit).  The farm tasks are those pvmd announced
# (newtask) with a program name ending in farm.
dec_t=$t
farm_tids=$(awk '/^"newtask\(0\)" \{/ && /farm" \}/ { split($0, f, /[{,]/); gsub(/ /, "", f[4]); print f[4] }' "$work/trace.trf" | sort -u)
[ -n "$farm_tids" ] || fail "tracer saw no farm task start (newtask)"
echo "$farm_tids" | grep -qx "$dec_t" || fail "the migrated worker $vtid is not among the traced farm tasks: $farm_tids"

# A message event of TID: "kind" sec usec context
msg_events() {
  awk -v want="$1" '
    /^"(send|mcast|recv|nrecv|trecv)\([01]\.[01]\)" \{/ {
      line = $0; sub(/^[^{]*\{ */, "", line); sub(/ *\};;.*/, "", line)
      n = split(line, f, / *, */)
      if (f[3] != want) next
      name = $0; sub(/ .*/, "", name)
      ctx = ""
      if (name ~ /send\(0\.0\)/) ctx = f[7]
      else if (name ~ /recv\(0\.0\)/) ctx = f[6]
      else if (name ~ /recv\(1\.1\)/) ctx = f[7]
      print name, f[1], f[2], ctx
    }' "$work/trace.trf"
}
msg_events "$dec_t" >"$work/worker.events"
n_before=$(awk -v b="$before" '$2 + $3 / 1e6 < b' "$work/worker.events" | wc -l)
n_after=$(awk -v a="$after" '$2 + $3 / 1e6 > a' "$work/worker.events" | wc -l)
note "worker $vtid: $(wc -l <"$work/worker.events") message events, $n_before before the migration, $n_after after it"
[ "$n_before" -gt 0 ] || fail "no event of $vtid before its migration"
[ "$n_after" -gt 0 ] || fail "no event of $vtid after its migration (under the same virtual tid)"

# SNOW's own traffic: any farm event in another context, or libpvm's
# records of SNOW's internal calls (pvm_parent / pvm_recvf are never made
# by farm's workers in a way that reaches the trace otherwise).
bad=0
for ft in $farm_tids; do
  msg_events "$ft" | awk '$4 != "" && $4 != 0' >"$work/foreign.$ft"
  if [ -s "$work/foreign.$ft" ]; then
    bad=$((bad + 1))
    echo "[$TEST_NAME] task $(printf 't%x' "$ft"): events in SNOW's context:" >&2
    head -3 "$work/foreign.$ft" >&2
  fi
done
internal=$(grep -c '^"recvf(' "$work/trace.trf" || true)
note "farm tasks traced: $(echo "$farm_tids" | wc -l); tasks with events in a non-application context: $bad; recvf records: $internal"
[ "$bad" = 0 ] || fail "SNOW's control messages reached the tracer"
[ "$internal" = 0 ] || fail "libpvm traced SNOW's internal pvm_recvf calls"
rm -rf "$work"
note "ok: tracer recorded $vtid before and after its move, under its virtual tid, and nothing of SNOW's own traffic"
