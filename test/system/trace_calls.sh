#!/bin/sh
# PVM's own `tracer` (package pvm-dev) records pvm_psend, pvm_precv,
# pvm_probe, pvm_spawn and pvm_parent of a pre-compiled program that
# migrates, and the program's own pvm_settmask turns its tracing off and on
# again, also across the move (issue 11 item 3, doc/tracing.md).
#
# test/corpus/traced_calls.c (plain PVM, built with snowcc): a master on
# x86_64 spawns a worker on i386 and they exchange a block with
# psend/precv each round (the master waiting with pvm_probe); round r's
# messages have tag 100 + r; both turn their tracing off (an empty mask)
# for rounds [OFF, ON) and back on (the mask pvm_gettmask gave them) after.
# `tracer` is the VM's trace collector, so both are traced from their start.
# The worker is held at migration point $K -- inside its untraced stretch --
# and moved to s390x.  Then, in tracer's trace file:
#  - the master's spawn record lists the worker, the worker's parent record
#    names the master: the application's (virtual) tids;
#  - the worker has psend/precv records under its virtual tid before the
#    migration and after it; the master has probe records;
#  - neither has a record of a round in [OFF, ON) and both have records of
#    rounds before OFF and from ON on; the worker's records before the move
#    are all of rounds before OFF and those after it of rounds from ON on,
#    i.e. it moved while untraced and its next process went on untraced
#    until the program said otherwise;
#  - no record of these tasks is in a message context but the application's
#    (0), none is a recvf or mytid record (the program makes neither call:
#    they would be SNOW's own or libpvm's stray start-up record), and no
#    record of these calls comes from any tid but the two virtual tids;
#  - the run's output equals the unmigrated plain-gcc build's.
# It fails, e.g., if snow_settmask is taken out of precomp/LibraryTables.cpp
# (the app's call reaches libpvm: its records go on in [OFF, ON) -- and
# libpvm's own tracing comes back for SNOW's traffic), or if the carried
# mask is not handed to the scheduler again (the worker's next process
# traces rounds in [OFF, ON)).
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/trace_lib.sh"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
[ -x /usr/bin/tracer ] || skip "PVM's tracer is not installed (package pvm-dev)"

CORPUS_BIN="${TRACE_CORPUS_BIN:-$TOP_BUILDDIR/test/corpus-bin}"
for d in orig/LINUX64 snow/LINUX64 snow/LINUX snow/LINUXS390; do
  [ -x "$CORPUS_BIN/$d/traced_calls" ] || skip "traced_calls was not built into $CORPUS_BIN/$d (make check builds corpus-bin)"
done

# Sizes and limits, all here.
ROUNDS=24 OFF=6 ON=18  # traced_calls' arguments: tracing off for rounds [OFF, ON)
K=2700              # the worker is held at this migration point: ~260 a round (mix polls per byte), so in round ~10
T_TRACER=30         # until tracer has registered
T_RUN=180           # one run
T_TRIGGER=60        # until the worker is held
T_MIGRATE=60        # snow migrate
T_TRACEFILE=30      # until tracer has written its file after quit

work=$TEST_WORK
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/snow"

# The unmigrated plain-gcc build: the output to expect.
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$CORPUS_BIN/orig/LINUX64/traced_calls" $ROUNDS $OFF $ON LINUX \
  >"$work/base.out" 2>"$work/base.err" || fail "the plain-gcc traced_calls failed: $(tail -3 "$work/base.err")"
grep -q "traced_calls: $ROUNDS rounds" "$work/base.out" || fail "the plain-gcc traced_calls did not finish: $(cat "$work/base.out")"

start_tracer   # reads its commands from a fifo; quits when told

trig="$work/trigger"
SNOW_EXEC_TRIGGER="$K:$trig:i386:traced_calls" PVM_EXPORT="SNOW_EXEC_TRIGGER" \
  "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/traced_calls" $ROUNDS $OFF $ON LINUX \
  >"$work/run.out" 2>"$work/run.err" &
pid=$!
move_held_worker "$trig" "the worker (i386)"
rc=0
wait_for_exit "$pid" "$T_RUN" || rc=$?
[ $rc = 0 ] || fail "the traced traced_calls exited $rc: $(tail -3 "$work/run.err")"
cmp -s "$work/base.out" "$work/run.out" || { diff "$work/base.out" "$work/run.out" | head >&2; fail "the traced, migrated run's output differs from the plain-gcc build's"; }

stop_tracer

# Records look like:  "psend(0.0)" { TS, TU, TID, ... };;  (0.0 entry, 1.1
# exit).  One line per record: NAME TS TU TID ITEMS... (arrays as written).
awk '/^"[a-z_]+\([01]\.[01]\)" \{/ {
       name = $0; sub(/" .*/, "", name); sub(/^"/, "", name)
       line = $0; sub(/^[^{]*\{ */, "", line); sub(/ *\};;.*/, "", line)
       gsub(/ *, */, " ", line)
       print name, line
     }' "$work/trace.trf" >"$work/records"
[ -s "$work/records" ] || fail "no event records in tracer's file"

W=$t
M=$(awk -v w="$W" '$1 == "parent(1.1)" && $4 == w { print $5 }' "$work/records" | sort -u)
[ -n "$M" ] || fail "no parent record of the worker $vtid naming its master"
[ "$(echo "$M" | wc -l)" = 1 ] || fail "the worker's parent records name several tids: $M"
mt=$(printf 't%x' "$M")
note "master $mt, worker $vtid"

# spawn: the master's exit record lists the worker it started.
awk -v m="$M" -v w="$W" '$1 == "spawn(1.1)" && $4 == m && $5 == 1 && $0 ~ (" " w "( |$)")' "$work/records" | grep -q . ||
  fail "no spawn record of $mt listing $vtid: $(grep '^spawn' "$work/records" | head -3)"

# The round of a record (its tag - 100), where the record has a tag:
# fields are NAME TS TU TID then the items: psend entry DST MC MCX PC PDT,
# precv and probe entry RST RMC RCX ..., precv exit CC MNB MC MCX SRC.
rounds_of() {  # TID -> lines "NAME ROUND TIME"
  awk -v who="$1" '$4 == who {
      r = ""
      if ($1 == "psend(0.0)" || $1 == "precv(0.0)" || $1 == "probe(0.0)") r = $6 - 100
      else if ($1 == "precv(1.1)") { if ($5 < 0) next; r = $7 - 100 }
      if (r != "") printf "%s %d %d.%06d\n", $1, r, $2, $3
    }' "$work/records"
}
for who in M W; do
  eval "tid=\$$who"
  rounds_of "$tid" >"$work/rounds.$who"
  n_all=$(wc -l <"$work/rounds.$who")
  n_off=$(awk -v a="$OFF" -v b="$ON" '$2 >= a && $2 < b' "$work/rounds.$who" | wc -l)
  n_pre=$(awk -v a="$OFF" '$2 < a' "$work/rounds.$who" | wc -l)
  n_post=$(awk -v b="$ON" '$2 >= b' "$work/rounds.$who" | wc -l)
  note "$(printf 't%x' "$tid"): $n_all records of rounds: $n_pre before round $OFF, $n_off in [$OFF, $ON), $n_post from $ON on"
  [ "$n_off" = 0 ] || { awk -v a="$OFF" -v b="$ON" '$2 >= a && $2 < b' "$work/rounds.$who" | head -3 >&2
    fail "$(printf 't%x' "$tid") was traced while its program had turned tracing off (pvm_settmask)"; }
  [ "$n_pre" -gt 0 ] || fail "$(printf 't%x' "$tid") has no record of rounds before $OFF"
  [ "$n_post" -gt 0 ] || fail "$(printf 't%x' "$tid") has no record of rounds from $ON on: its pvm_settmask did not turn tracing on again"
done
for kind in psend precv; do
  grep -q "^$kind(0.0) " "$work/rounds.W" || fail "no $kind record of the worker $vtid"
done
grep -q "^probe(0.0) " "$work/rounds.M" || fail "no probe record of the master $mt"
awk -v m="$M" '$1 == "probe(1.1)" && $4 == m' "$work/records" | grep -q . || fail "no probe exit record of the master $mt"

# Before and after the move, under the worker's virtual tid.
n_before=$(awk -v b="$before" '$3 < b' "$work/rounds.W" | wc -l)
n_after=$(awk -v a="$after" '$3 > a' "$work/rounds.W" | wc -l)
late_pre=$(awk -v b="$before" -v o="$OFF" '$3 < b && $2 >= o' "$work/rounds.W" | wc -l)
early_post=$(awk -v a="$after" -v o="$ON" '$3 > a && $2 < o' "$work/rounds.W" | wc -l)
note "worker $vtid: $n_before records before the migration, $n_after after it"
[ "$n_before" -gt 0 ] || fail "no record of $vtid before its migration"
[ "$n_after" -gt 0 ] || fail "no record of $vtid after its migration (under the same virtual tid)"
[ "$late_pre" = 0 ] || fail "the worker was traced in rounds from $OFF on before it moved: not moved while untraced (K=$K too large?)"
[ "$early_post" = 0 ] || fail "the worker's next process traced rounds before $ON: the mask its program had set did not move with it"

# Nothing of SNOW's own: contexts, recvf/mytid records, other tids.
bad_ctx=$(awk -v m="$M" -v w="$W" '($4 == m || $4 == w) &&
    (($1 ~ /^(psend|probe|precv)\(0\.0\)$/ && $7 != 0) || ($1 == "precv(1.1)" && $8 != 0) ||
     ($1 == "send(0.0)" && $8 != 0) || ($1 ~ /^[nt]?recv\(0\.0\)$/ && $7 != 0))' "$work/records" | wc -l)
stray=$(awk -v m="$M" -v w="$W" '($4 == m || $4 == w) && $1 ~ /^(recvf|mytid)\(/' "$work/records" | wc -l)
others=$(awk -v m="$M" -v w="$W" '$1 ~ /^(psend|precv|probe|parent|spawn)\(/ && $4 != m && $4 != w { print $4 }' "$work/records" | sort -u | tr '\n' ' ')
note "records in a non-application context: $bad_ctx; recvf/mytid records: $stray; other tids with these calls: ${others:-none}"
[ "$bad_ctx" = 0 ] || fail "SNOW's control messages reached the tracer"
[ "$stray" = 0 ] || fail "records of calls the program never makes (SNOW's own or libpvm's start-up mytid): $(awk -v m="$M" -v w="$W" '($4 == m || $4 == w) && $1 ~ /^(recvf|mytid)\(/' "$work/records" | head -3)"
[ -z "$others" ] || fail "records of the program's calls under other tids (a process's real tid?): $others"
rm -rf "$work"
note "ok: tracer recorded psend/precv/probe/spawn/parent of $mt and $vtid before and after $vtid moved, under virtual tids; pvm_settmask off/on followed, also across the move; nothing of SNOW's own"
