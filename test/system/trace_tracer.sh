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
#  - the run's output equals the unmigrated plain-gcc build's;
#  - SNOW's own events (user-defined records, doc/tracing.md) tell the
#    migration of that worker under its virtual tid, once each and in the
#    order the protocol causes: the scheduler's sched_request and
#    sched_spawn, the source's migrate_request, coord_start, coord_end,
#    xfer_start, xfer_end, the destination's xfer_start, xfer_end,
#    restore_start, restore_end, the scheduler's sched_commit (under its
#    own tid) and the destination's commit;
#    a process_start for the first process and the continuation, with
#    their hosts and architectures; application events before and after.
#    The check itself is shown to fail on copies of the events with one
#    left out and with two swapped;
#  - a second farm run whose worker's move aborts (SNOW_FAULT=
#    init_exit_state: the destination dies with the state) carries on with
#    the same output, and its SNOW events tell the abort: the destination's
#    snow_abort (why), the scheduler's sched_abort, the source's snow_abort,
#    no commit.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/trace_lib.sh"
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

start_tracer   # reads its commands from a fifo; quits when told

trig="$work/trigger"
SNOW_EXEC_TRIGGER="$K:$trig:i386:farm" PVM_EXPORT="SNOW_EXEC_TRIGGER" \
  "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/farm" $WORKERS $UNITS $STEPS >"$work/run.out" 2>"$work/run.err" &
pid=$!
move_held_worker "$trig" "a farm task on i386"
rc=0
wait_for_exit "$pid" "$T_RUN" || rc=$?
[ $rc = 0 ] || fail "the traced farm exited $rc: $(tail -3 "$work/run.err")"
cmp -s "$work/base.out" "$work/run.out" || { diff "$work/base.out" "$work/run.out" | head >&2; fail "the traced, migrated farm's output differs from the plain-gcc build's"; }

# A migration that aborts (SNOW_FAULT=init_exit_state: the destination
# dies after receiving the state): the source carries on, and the trace has
# the abort from both sides and from the scheduler.
trig2="$work/trigger2"
SNOW_FAULT=init_exit_state SNOW_EXEC_TRIGGER="$K:$trig2:i386:farm" PVM_EXPORT="SNOW_EXEC_TRIGGER:SNOW_FAULT" \
  "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/farm" $WORKERS $UNITS $STEPS >"$work/run2.out" 2>"$work/run2.err" &
pid2=$!
wait_for_file "$trig2" "$T_TRIGGER" || fail "no farm task on i386 was held at migration point $K within $T_TRIGGER s (second run)"
read -r t2 _ <"$trig2"
vtid2=$(printf 't%x' "$t2")
if timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$vtid2" "$(host_of s390x)" >"$work/migrate2.out" 2>&1; then
  fail "worker $vtid2 migrated although its destination was to die: $(tail -1 "$work/migrate2.out")"
fi
note "worker $vtid2, destination made to die: $(tail -1 "$work/migrate2.out")"
rc=0
wait_for_exit "$pid2" "$T_RUN" || rc=$?
[ $rc = 0 ] || fail "the farm with the aborted migration exited $rc: $(tail -3 "$work/run2.err")"
cmp -s "$work/base.out" "$work/run2.out" || fail "the farm with the aborted migration printed another result"

stop_tracer

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

# SNOW's own events.  tracer writes a SNOW record (a user-defined one,
# libsnowpvm/comm/trace_snow_events.h) as
#   "user_defined(0)" { src, TS, TU, vtid, real, mig, peer, [n] { "host" }, [n] { "arch" }, [n] { "detail" }, [n] { "snow_commit" } };;
# snow_events VTID: "sec usec name real mig peer host arch detail" of the
# records about VTID, in time order (records from different processes
# arrive in any order; the hosts share one clock).
snow_events() {
  awk -v want="$1" '
    /^"user_defined(\([0-9.]*\))?" \{/ {
      line = $0; sub(/^[^{]*\{ */, "", line); sub(/ *\};;.*/, "", line)
      n = split(line, f, / *, */)
      if (f[4] != want) next
      nstr = 0
      rest = line
      while (match(rest, /"[^"]*"/)) { s[++nstr] = substr(rest, RSTART + 1, RLENGTH - 2); rest = substr(rest, RSTART + RLENGTH) }
      if (nstr != 4 || s[4] !~ /^snow_[a-z_]+$/) next
      gsub(/ /, "_", s[3])
      printf "%s %06d %s %s %s %s %s %s %s\n", f[2], f[3], s[4], f[5], f[6], f[7], s[1], s[2], (s[3] == "" ? "-" : s[3])
    }' "$work/trace.trf" | sort -s -k1,1n -k2,2n
}
# check_snow_order FILE SOURCE: the migration's events in FILE (snow_events
# lines) are there once each and in the order the protocol causes; SOURCE
# is the first process.  (The source and the destination run side by side:
# only what one waits for is ordered, e.g. the source's xfer_end follows
# the destination's restore_start -- the state is acknowledged after the
# restore -- but may come before or after its restore_end.)  Prints what is
# wrong and fails.
check_snow_order() {
  awk -v src="$2" '
    { name[NR] = $3; real[NR] = $4 }
    END {
      # The source and the destination each have one xfer_start / xfer_end:
      # tell them apart by the emitting process.
      for (i = 1; i <= NR; i++) {
        k = name[i]
        if (k ~ /^snow_xfer_/) k = k (real[i] == src ? "@src" : "@dst")
        if (k in at) { print "twice: " k; bad = 1 }
        at[k] = i
      }
      all = "sched_request sched_spawn migrate_request coord_start coord_end xfer_start@src xfer_end@src " \
            "xfer_start@dst xfer_end@dst restore_start restore_end sched_commit commit"
      n = split(all, w, " ")
      for (j = 1; j <= n; j++) if (!(("snow_" w[j]) in at)) { print "missing: snow_" w[j]; bad = 1 }
      before = "sched_request<sched_spawn sched_spawn<migrate_request migrate_request<coord_start " \
               "coord_start<coord_end coord_end<xfer_start@src xfer_start@src<xfer_end@src " \
               "coord_end<xfer_start@dst xfer_start@dst<xfer_end@dst xfer_end@dst<restore_start " \
               "restore_start<restore_end restore_start<xfer_end@src restore_end<sched_commit " \
               "xfer_end@src<sched_commit sched_commit<commit"
      n = split(before, p, " ")
      for (j = 1; j <= n; j++) {
        split(p[j], ab, "<")
        a = "snow_" ab[1]; b = "snow_" ab[2]
        if ((a in at) && (b in at) && at[a] > at[b]) { print "out of order: " a " after " b; bad = 1 }
      }
      if ("snow_abort" in at) { print "an abort"; bad = 1 }
      exit bad
    }' "$1"
}
snow_events "$dec_t" >"$work/snow.events"
note "SNOW events of $vtid: $(awk '{ printf "%s%s", sep, substr($3, 6); sep = " " }' "$work/snow.events")"
[ -s "$work/snow.events" ] || fail "tracer recorded no SNOW event of $vtid: $(grep -Ec '^"user_defined(\([0-9.]*\))?" \{' "$work/trace.trf") user-defined records in all"
grep -Ev '^[0-9]+ [0-9]+ snow_(process_start|peer_migrating|conn_nack) ' "$work/snow.events" >"$work/snow.migration"
why=$(check_snow_order "$work/snow.migration" "$dec_t") || { cat "$work/snow.events" >&2; fail "the SNOW events of $vtid's migration: $why"; }
# The check can fail: one event left out, two swapped.
grep -v ' snow_coord_end ' "$work/snow.migration" >"$work/snow.dropped"
! check_snow_order "$work/snow.dropped" "$dec_t" >/dev/null || fail "the order check passed without snow_coord_end"
awk '{ l[NR] = $0 } $3 == "snow_restore_start" { a = NR } $3 == "snow_restore_end" { b = NR }
     END { for (i = 1; i <= NR; i++) print (i == a ? l[b] : i == b ? l[a] : l[i]) }' "$work/snow.migration" >"$work/snow.swapped"
! check_snow_order "$work/snow.swapped" "$dec_t" >/dev/null || fail "the order check passed with restore_end before restore_start"
# Who emitted them: the source process is the first (real tid = virtual
# tid), the destination another process, the scheduler's events neither.
sched_real=$(awk '$3 == "snow_sched_commit" { print $4 }' "$work/snow.events")
dst_real=$(awk '$3 == "snow_commit" { print $4 }' "$work/snow.events")
src_real=$(awk '$3 == "snow_coord_start" { print $4 }' "$work/snow.events")
[ "$src_real" = "$dec_t" ] || fail "the source's events are not from the first process $vtid (real $src_real)"
[ "$dst_real" != "$dec_t" ] && [ "$sched_real" != "$dec_t" ] && [ "$sched_real" != "$dst_real" ] ||
  fail "emitters: destination $dst_real, scheduler $sched_real, source $dec_t are not three processes"
awk -v m="$(awk '$3 == "snow_commit" { print $5 }' "$work/snow.events")" '$5 != m { exit 1 }' "$work/snow.migration" || fail "the SNOW events of $vtid do not all carry the one migration id"
# process_start: the first process on the i386 host, the continuation on s390x's.
starts=$(awk '$3 == "snow_process_start" { print $4, $7, $8, $9 }' "$work/snow.events")
note "process_start of $vtid: $(echo "$starts" | tr '\n' ';')"
echo "$starts" | grep -q "^$dec_t $(host_of i386) LINUX first$" || fail "no process_start of the first process on $(host_of i386) (LINUX)"
echo "$starts" | grep -q "^$dst_real $(host_of s390x) LINUXS390 continuation$" ||
  fail "no process_start of the continuation $dst_real on $(host_of s390x) (LINUXS390)"
# Application events before the migration's first SNOW event and after its commit.
t_first=$(awk '$3 == "snow_sched_request" { printf "%d.%06d\n", $1, $2 }' "$work/snow.events")
t_commit=$(awk '$3 == "snow_commit" { printf "%d.%06d\n", $1, $2 }' "$work/snow.events")
n_app_before=$(awk -v t="$t_first" '$2 + $3 / 1e6 < t' "$work/worker.events" | wc -l)
n_app_after=$(awk -v t="$t_commit" '$2 + $3 / 1e6 > t' "$work/worker.events" | wc -l)
[ "$n_app_before" -gt 0 ] && [ "$n_app_after" -gt 0 ] ||
  fail "application events of $vtid around the SNOW events: $n_app_before before sched_request, $n_app_after after commit"
note "SNOW events of $vtid: $(wc -l <"$work/snow.migration") of the migration in order (source $vtid, destination $(printf 't%x' "$dst_real"), scheduler $(printf 't%x' "$sched_real")), $n_app_before application events before, $n_app_after after"

# The aborted migration of $vtid2: the destination gives up (snow_abort,
# detail the injected fault), so the scheduler decides the abort, and the
# source carries on (snow_abort); nothing commits.
snow_events "$t2" | grep -Ev '^[0-9]+ [0-9]+ snow_(process_start|peer_migrating|conn_nack) ' >"$work/snow.aborted"
note "SNOW events of $vtid2: $(awk '{ printf "%s%s", sep, substr($3, 6); sep = " " }' "$work/snow.aborted")"
why=$(awk -v src="$t2" '
  { k = $3; if (k ~ /^snow_(abort|xfer_start)$/) k = k ($4 == src ? "@src" : "@dst"); if (!(k in at)) at[k] = NR; detail[k] = $9 }
  END {
    n = split("sched_request migrate_request coord_start coord_end xfer_start@src abort@dst sched_abort abort@src", w, " ")
    for (j = 1; j <= n; j++) {
      if (!(("snow_" w[j]) in at)) { print "missing: snow_" w[j]; bad = 1 }
      else if (j > 1 && ("snow_" w[j - 1]) in at && at["snow_" w[j - 1]] > at["snow_" w[j]]) { print "out of order: snow_" w[j]; bad = 1 }
    }
    if (detail["snow_abort@dst"] !~ /init_exit_state/) { print "the destination'"'"'s abort does not say why: " detail["snow_abort@dst"]; bad = 1 }
    if (("snow_commit" in at) || ("snow_sched_commit" in at)) { print "a commit"; bad = 1 }
    exit bad
  }' "$work/snow.aborted") || { cat "$work/snow.aborted" >&2; fail "the SNOW events of $vtid2's aborted migration: $why"; }
note "SNOW events of $vtid2: the destination's abort ($(awk -v s="$t2" '$3 == "snow_abort" && $4 != s { print $9 }' "$work/snow.aborted")), the scheduler's, the source's, no commit"

rm -rf "$work"
note "ok: tracer recorded $vtid before and after its move, under its virtual tid, nothing of SNOW's own traffic, SNOW's events of the move in order, and those of $vtid2's aborted move"
