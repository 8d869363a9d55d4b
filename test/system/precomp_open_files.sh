#!/bin/sh
# Open files move with a task (libsnowpvm/exec/open_files.h).  The program
# (test/precomp/programs/file_stream.c, built with snowcc; no PVM calls, a
# SNOW task through SNOW_TASK=1) reads numbers from an input file and, while
# it computes, writes a result line for each to an output file ("w") and
# progress to an append-mode log (open() + fdopen()) and to standard output,
# and every tenth result through a plain descriptor (open(), write()); a
# global keeps pointing to a stream it has closed:
#   1. outside any VM, a checkpoint taken mid-run from one directory (files
#      named relative to it) and restarted from another directory, after
#      the first process was killed, finishes the same files as an
#      unmigrated run (the paths were resolved when the files were opened);
#   2. migrated mid-run x86_64 -> s390x and s390x -> i386, at a random
#      migration point, the result files and the log are byte-identical to
#      the unmigrated gcc build's, standard output equal, and the
#      destination really reopened the files (the descriptor with the same
#      number);
#   3. with its result file under /tmp (private to each host) the migration
#      is refused at the source, naming the file, and the source finishes
#      correctly;
#   4. when the destination cannot open the files (they are hidden there by
#      a mount in that host's mount namespace only) the restore fails before
#      the commit, the migration is reported failed, and the source finishes
#      with the right files.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x
need_precomp_runtime

orig="$PRECOMP_BIN/orig/LINUX64/file_stream"
snow="$PRECOMP_BIN/snow/LINUX64/file_stream"
[ -x "$PRECOMP_BIN/snow/LINUXS390/file_stream" ] && [ -x "$PRECOMP_BIN/snow/LINUX/file_stream" ] ||
  skip "file_stream was not built for s390x and i386"
# Data on the shared file system (not /tmp): every host sees it.
data="$PRECOMP_TMP/data"
mkdir -p "$data"
seq 200000 7 203500 >"$data/in"          # 501 lines: ~20000 migration points
"$orig" "$data/in" "$data/out.base" "$data/log.base" >base || fail "the gcc build of file_stream failed"
"$snow" "$data/in" "$data/out.plain" "$data/log.plain" >plain 2>plain.err || { cat plain.err; fail "the snowcc build failed"; }
cmp "$data/out.base" "$data/out.plain" && cmp "$data/out.base.10" "$data/out.plain.10" &&
  cmp "$data/log.base" "$data/log.plain" && diff -u base plain ||
  fail "the snowcc build writes something else than the gcc build"
note "the snowcc build writes the same files as the gcc build ($(wc -l <"$data/out.base") result lines)"

# 1. Checkpoint in one directory, restart from another (a longer input, so
# that the periodic checkpoint of every second comes mid-run).
mkdir -p "$data/ck" "$data/elsewhere"
seq 100000 1 900000 >"$data/ck/in"
(cd "$data/ck" && "$orig" in out.base log.base >/dev/null) || fail "the gcc build failed on the long input"
ck="$data/ck/state"
(cd "$data/ck" && exec env SNOW_CHECKPOINT_EVERY=1 SNOW_CHECKPOINT_FILE="$ck" "$snow" in out log >ck.out 2>ck.err) &
ckpid=$!
wait_for_file "$ck" 60 || { kill $ckpid 2>/dev/null; fail "no checkpoint was written"; }
kill -9 $ckpid 2>/dev/null || fail "the program ended before it could be killed mid-run: make its input longer"
wait $ckpid 2>/dev/null || true
grep -q "open file moves: path=$data/ck/out mode=w" "$data/ck/ck.err" || { cat "$data/ck/ck.err"; fail "the checkpoint does not describe the output file"; }
(cd "$data/elsewhere" && SNOW_RESTART_FILE="$ck" "$snow" in out log >restart.out 2>restart.err) ||
  { cat "$data/elsewhere/restart.err"; fail "the restart failed"; }
grep -q "open file reopened: path=$data/ck/in mode=r offset=" "$data/elsewhere/restart.err" ||
  { cat "$data/elsewhere/restart.err"; fail "the restart did not reopen the input file"; }
[ ! -e "$data/elsewhere/out" ] && [ ! -e "$data/elsewhere/out.10" ] ||
  fail "the restart opened a new file in its own directory"
cmp "$data/ck/out.base" "$data/ck/out" && cmp "$data/ck/out.base.10" "$data/ck/out.10" ||
  fail "after checkpoint, kill and restart the result files differ"
note "checkpoint, kill -9, restart from another directory: the same result file"
rm -rf "$data/ck"

vm_up --hosts x86_64,i386,s390x --ep "$PRECOMP_BIN/snow"
harness="$PRECOMP_BIN/snow/LINUX64/spawn_collect"
export SNOW_TASK=1 PVM_EXPORT=SNOW_TASK
mask() { sed -E 's/^\[t[0-9a-f]+\] ?//' | grep -v -e '^BEGIN$' -e '^EOF$'; }

# 2. Migrations mid-run.
for pair in x86_64:s390x s390x:i386; do
  from=${pair%:*} to=${pair#*:}
  # (migrate_cmd's own variables are global: out, k, src, dst, prog)
  res="$data/out.$from" lg="$data/log.$from"
  rm -f "$res" "$res.10" "$lg"
  k=$(random_upto 12000)
  migrate_cmd "run.$from" "$k" "$from" "$(host_of "$to")" file_stream \
    "$harness" -w "$(host_of "$from")" 1 file_stream "$data/in" "$res" "$lg"
  mask <"run.$from" >got
  diff -u base got || { cat "run.$from.err" >&2; fail "file_stream printed something else after migrating $MIGRATED"; }
  cmp "$data/out.base" "$res" || fail "the result file differs after migrating $MIGRATED at point $k"
  cmp "$data/out.base.10" "$res.10" || fail "the file written with write() differs after migrating $MIGRATED at point $k"
  cmp "$data/log.base" "$lg" || fail "the append-mode log differs after migrating $MIGRATED at point $k"
  grep -q "open file reopened: path=$res mode=w offset=" /run/snow/"$VM"/log/task-*.log ||
    fail "no destination reopened $res"
  grep -q "open file reopened: path=$res.10 mode=w offset=[0-9]* fd=2[5-9][0-9]" /run/snow/"$VM"/log/task-*.log ||
    fail "no destination reopened descriptor $res.10 with its number"
  note "migration $MIGRATED at point $k: result file and log byte-identical to the unmigrated run"
done

# refused_run NAME K DST OUT WHY: a migration of file_stream writing OUT that
# must fail with WHY in what snow migrate reports; the source finishes
# with the right output and log, all printed by the one original process.
refused_run() {
  name=$1 at=$2 to=$3 res=$4 why=$5
  lg="$data/log.$name"
  rm -f "$lg"
  trig="$PRECOMP_TMP/$name.trigger"
  SNOW_EXEC_TRIGGER="$at:$trig::file_stream" PVM_EXPORT="SNOW_EXEC_TRIGGER:SNOW_TASK" \
    "$SNOW" run --vm "$VM" "$harness" -w "$(host_of x86_64)" 1 file_stream "$data/in" "$res" "$lg" \
    >"$name.out" 2>"$name.err" &
  pid=$!
  wait_for_file "$trig" 120 || { cat "$name.out" "$name.err"; fail "$name: no trigger"; }
  read -r tid arch <"$trig"
  t=$(printf 't%x' "$tid")
  if "$SNOW" migrate --vm "$VM" --timeout 120 "$t" "$to" >"$name.mig" 2>&1; then
    cat "$name.mig"; fail "$name: the migration succeeded although it should fail"
  fi
  cat "$name.mig"
  grep -q "was not migrated to $to" "$name.mig" || fail "$name: unclear report of the failed migration"
  grep -qF "$why" "$name.mig" || fail "$name: snow migrate does not say '$why'"
  rc=0
  wait_for_exit $pid 180 || rc=$?
  [ $rc -ne 124 ] || { cat "$name.out" "$name.err" >&2; fail "$name: the source did not finish (hung)"; }
  mask <"$name.out" >got
  diff -u base got || { cat "$name.out" "$name.err" >&2; fail "$name: the source did not finish correctly"; }
  cmp "$data/log.base" "$lg" || fail "$name: the source's log differs"
  # (a destination that was started catches output too: its BEGIN and EOF)
  p=$(grep -v -e '\] BEGIN$' -e '\] EOF$' "$name.out" | sed -nE 's/^\[(t[0-9a-f]+)\].*/\1/p' | sort -u | wc -l)
  [ "$p" -eq 1 ] || fail "$name: lines from more than the source"
  note "$name: migration refused or aborted ('$why'), the source finished correctly"
}

# 3. A result file under /tmp: refused at the source.
tmpout="/tmp/file_stream.$$.out"
refused_run private_tmp "$(random_upto 12000)" "$(host_of s390x)" "$tmpout" \
  "the open file $tmpout: is under /tmp"

# 4. The destination cannot see the files: hidden by a tmpfs mounted over
# the data directory in that host's mount namespace only.
hide_on=$(host_of i386)
keeper=$(cat /run/snow/"$VM"/hosts/"$hide_on"/keeper.pid) || fail "no keeper for $hide_on"
nsenter -t "$keeper" -m mount -t tmpfs snow-hide "$data" || fail "cannot hide $data on $hide_on"
[ -s "$data/in" ] || fail "hiding $data on $hide_on hid it here too"
nsenter -t "$keeper" -m test ! -e "$data/in" || fail "$data/in is still visible on $hide_on"
res="$data/out.hidden"
refused_run hidden_on_destination "$(random_upto 12000)" "$hide_on" "$res" \
  "the destination could not restore the state: the open file $data/in cannot be reopened on $hide_on: No such file or directory"
cmp "$data/out.base" "$res" && cmp "$data/out.base.10" "$res.10" ||
  fail "hidden_on_destination: the source's result files differ"
nsenter -t "$keeper" -m umount "$data" || true
rm -f base plain plain.err run.* got private_tmp.* hidden_on_destination.*
rm -rf "$PRECOMP_TMP"
note "ok"
