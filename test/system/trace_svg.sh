#!/bin/sh
# snow trace record draws a migrated, multi-architecture run (issue 11
# item 3, doc/tracing.md "snow trace").
#
# test/corpus/farm.c (an ordinary PVM master/worker program, built with
# snowcc) runs under `snow trace record` on the x86_64 + i386 + s390x
# virtual machine; the first worker on i386 is held at migration point $K
# and moved to s390x with `snow migrate`.  Then:
#  - the run's output equals the unmigrated plain-gcc build's;
#  - the event log has the worker's application sends/receives under its
#    virtual tid before the migration (from i386) and after it (from
#    s390x, another real tid);
#  - the SVG is well-formed (xmllint), has one timeline per farm task, the
#    moved worker's line is labelled i386 and then s390x, messages are drawn;
#  - SNOW's migration phases (coordinate, transfer, restore) and the commit
#    are drawn on the worker's line (and again in a zoomed panel) -- when the trace has SNOW's own events
#    at all; without them the test says so loudly and does not pass (skip);
#  - `snow trace render` of the log gives the same picture, rsvg-convert
#    renders it to PNG (kept as test/trace_svg.{svg,png,log} of the build tree
#    to look at);
#  - `snow trace record --attach`, registered as the VM's tracer, records a
#    farm started meanwhile by `snow run` and draws it once interrupted,
#    after refusing each of test/programs/trace_garbage's malformed trace
#    messages with an error (and carrying on).
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/trace_lib.sh"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
command -v xmllint >/dev/null || skip "xmllint is not installed (package libxml2-utils; tools/install-deps)"
command -v rsvg-convert >/dev/null || skip "rsvg-convert is not installed (package librsvg2-bin; tools/install-deps)"

CORPUS_BIN="${TRACE_CORPUS_BIN:-$TOP_BUILDDIR/test/corpus-bin}"
for d in orig/LINUX64 snow/LINUX64 snow/LINUX snow/LINUXS390; do
  [ -x "$CORPUS_BIN/$d/farm" ] || skip "farm was not built into $CORPUS_BIN/$d (make check builds corpus-bin)"
done

# Sizes and limits, all here.
WORKERS=3 UNITS=24 STEPS=200000  # farm's arguments: a few seconds of work
K=3                 # the worker is held at this migration point
T_RUN=180           # one farm run, recorded
T_TRIGGER=60        # until the worker is held
T_MIGRATE=60        # snow migrate
T_ATTACH=30         # snow trace record --attach registering, and ending once interrupted
TASKS=$((WORKERS + 1))

work=$TEST_WORK
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/snow"

timeout "$T_RUN" "$SNOW" run --vm "$VM" "$CORPUS_BIN/orig/LINUX64/farm" $WORKERS $UNITS $STEPS \
  >"$work/base.out" 2>"$work/base.err" || fail "the plain-gcc farm failed: $(tail -3 "$work/base.err")"

trig="$work/trigger"
SNOW_EXEC_TRIGGER="$K:$trig:i386:farm" PVM_EXPORT="SNOW_EXEC_TRIGGER" \
  "$SNOW" trace record --vm "$VM" -o "$work/farm.svg" --events "$work/farm.log" -- \
  "$CORPUS_BIN/snow/LINUX64/farm" $WORKERS $UNITS $STEPS >"$work/run.out" 2>"$work/run.err" &
pid=$!
move_held_worker "$trig" "a farm task on i386"
rc=0
wait_for_exit "$pid" "$T_RUN" || rc=$?
[ $rc = 0 ] || fail "snow trace record of farm exited $rc: $(tail -5 "$work/run.err")"
note "$(grep '^snow trace:' "$work/run.err" | tr '\n' ' ')"
cmp -s "$work/base.out" "$work/run.out" || { diff "$work/base.out" "$work/run.out" | head >&2; fail "the recorded, migrated farm's output differs from the plain-gcc build's"; }

log=$work/farm.log svg=$work/farm.svg
[ -s "$log" ] || fail "no event log written"
[ -s "$svg" ] || fail "no SVG written"
grep -q '^# error' "$log" && fail "undecodable trace messages: $(grep '^# error' "$log" | head -3)"

# The worker's application message events: "TIME SRC HOST ARCH NAME PHASE ... TID=$t ..."
awk -v t="$t" '$5 ~ /^(send|mcast|recv|nrecv|trecv)$/ && (" " $0 " ") ~ (" TID=" t " ")' "$log" >"$work/worker.events"
n_before=$(awk -v b="$before" '$1 < b && $4 == "LINUX" && $2 == '"$t"'' "$work/worker.events" | wc -l)
n_after=$(awk -v a="$after" '$1 > a && $4 == "LINUXS390" && $2 != '"$t"'' "$work/worker.events" | wc -l)
note "worker $vtid: $(wc -l <"$work/worker.events") message events, $n_before before the move (i386, real tid $vtid), $n_after after it (s390x, another real tid)"
[ "$n_before" -gt 0 ] || fail "no application send/recv of $vtid from i386 before its migration in the log"
[ "$n_after" -gt 0 ] || fail "no application send/recv of $vtid from s390x after its migration in the log"

xmllint --noout "$svg" 2>"$work/xmllint.err" || fail "the SVG is not well-formed: $(head -3 "$work/xmllint.err")"
lines=$(grep -c '<g class="task"' "$svg" || true)
[ "$lines" = "$TASKS" ] || fail "the SVG has $lines task timelines, farm has $TASKS tasks"
# The moved worker's timeline: its segment labels, in order.
awk -v t="$t" '/<g class="task"/ { on = index($0, "data-vtid=\"" t "\"") > 0 } on && /class="segment-label"/' "$svg" \
  | sed 's/.*>\(.*\)<\/text>/\1/' >"$work/labels"
note "worker $vtid's line is labelled: $(tr '\n' ';' <"$work/labels")"
grep -q '(i386)' "$work/labels" || fail "the worker's line has no i386 label"
[ "$(sed -n '$p' "$work/labels" | grep -c '(s390x)')" = 1 ] || fail "the worker's line does not end labelled s390x"
# (the first messages group: the whole run's panel; zoomed panels follow)
msgs=$(awk '/<g class="messages"/ && !seen { on = 1; seen = 1; next } on && /<\/g>/ { on = 0 } on && /<line/' "$svg" | grep -vc 'class="stub"' || true)
note "messages drawn: $msgs"
[ "$msgs" -ge "$UNITS" ] || fail "only $msgs messages drawn for $UNITS work units"

render_check() {
  "$SNOW" trace render "$log" -o "$work/again.svg" 2>"$work/render.err" || fail "snow trace render failed: $(cat "$work/render.err")"
  cmp -s "$svg" "$work/again.svg" || note "note: the re-rendered SVG differs from the recorded one (titles differ)"
  xmllint --noout "$work/again.svg" || fail "the re-rendered SVG is not well-formed"
  rsvg-convert -o "$work/farm.png" "$svg" 2>"$work/rsvg.err" || fail "rsvg-convert cannot render the SVG: $(head -3 "$work/rsvg.err")"
  [ -s "$work/farm.png" ] || fail "rsvg-convert wrote no PNG"
  cp "$svg" "$TOP_BUILDDIR/test/trace_svg.svg"
  cp "$work/farm.png" "$TOP_BUILDDIR/test/trace_svg.png"
  cp "$log" "$TOP_BUILDDIR/test/trace_svg.log"
}
render_check

# --attach: registered as the running VM's tracer, an unmigrated farm
# started by `snow run` meanwhile is recorded; interrupted, it draws it.
"$SNOW" trace record --attach --vm "$VM" -o "$work/attach.svg" --events "$work/attach.log" 2>"$work/attach.err" &
apid=$!
n=0
until grep -q "registered as the tracer" "$work/attach.err" 2>/dev/null; do
  n=$((n + 1))
  [ $n -le $((T_ATTACH * 10)) ] || fail "snow trace record --attach did not register within $T_ATTACH s: $(cat "$work/attach.err")"
  kill -0 "$apid" 2>/dev/null || fail "snow trace record --attach ended: $(cat "$work/attach.err")"
  sleep 0.1
done
# First malformed trace messages (test/programs/trace_garbage.c): each a
# clear error, the recording goes on.
garbage=$(timeout 60 "$SNOW" run --vm "$VM" "$TOP_BUILDDIR/test/programs/trace_garbage" 2>&1) ||
  fail "trace_garbage failed: $garbage"
nsent=$(echo "$garbage" | sed -n 's/^trace_garbage: sent \([0-9]*\) .*/\1/p')
[ -n "$nsent" ] && [ "$nsent" -gt 0 ] || fail "trace_garbage sent nothing: $garbage"
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/farm" $WORKERS $UNITS $STEPS >"$work/attach.out" 2>&1 ||
  fail "farm under an attached recorder failed: $(tail -3 "$work/attach.out")"
kill -INT "$apid"
rc=0
wait_for_exit "$apid" "$T_ATTACH" || rc=$?
[ $rc = 0 ] || fail "snow trace record --attach exited $rc: $(tail -3 "$work/attach.err")"
cmp -s "$work/base.out" "$work/attach.out" || fail "farm's output under an attached recorder differs from the plain-gcc build's"
xmllint --noout "$work/attach.svg" || fail "the --attach SVG is not well-formed"
alines=$(grep -c '<g class="task"' "$work/attach.svg" || true)
amsgs=$(awk '/<g class="messages"/ && !seen { on = 1; seen = 1; next } on && /<\/g>/ { on = 0 } on && /<line/' "$work/attach.svg" | grep -vc 'class="stub"' || true)
note "--attach: $(tail -1 "$work/attach.err")"
[ "$alines" = $((TASKS + 1)) ] || fail "the --attach SVG has $alines task timelines, not farm's $TASKS and trace_garbage"
[ "$amsgs" -ge "$UNITS" ] || fail "the --attach SVG draws only $amsgs messages for $UNITS work units"
nerr=$(grep -c '^# error: a trace message from' "$work/attach.log" || true)
note "malformed trace messages: $nsent sent, $nerr refused with an error: $(grep '^# error' "$work/attach.log" | sed 's/.*: //' | head -4 | tr '\n' ';')..."
[ "$nerr" = "$nsent" ] || fail "$nsent malformed trace messages sent, $nerr refused with an error in the log"
grep -q "snow trace: a trace message from" "$work/attach.err" || fail "the malformed trace messages were not reported on stderr"

# SNOW's records: named after the event, or "user_defined" with the name as last item.
snow_events=$(grep -v '^#' "$log" | grep -c ' snow_[a-z_]* user\|U7="snow_' || true)
note "SNOW events in the log: $snow_events"
if [ "$snow_events" = 0 ]; then
  skip "everything else checked passed, but the trace has NO SNOW migration event (snow_*): the runtime's emitter of SNOW's own events is not in this build, so the migration phases are not drawn"
fi
for phase in coordinate transfer restore; do
  grep -q "data-phase=\"$phase\"" "$svg" || fail "no $phase band in the SVG although the trace has SNOW events ($snow_events of them)"
done
grep -q 'data-what="commit"' "$svg" || fail "no commit mark in the SVG"
grep -q '<g id="zoom-0">' "$svg" || fail "the migration is not drawn again zoomed"
note "phases drawn: $(grep -o 'data-phase="[a-z]*"' "$svg" | sort | uniq -c | tr '\n' ' ')"
rm -rf "$work"
note "ok: $TASKS timelines, $vtid labelled i386 then s390x, $msgs messages, the migration's phases drawn"
