#!/bin/sh
# The corpus (test/corpus/: C programs in the styles users write -- K&R,
# C99, multi-file, pointer graphs, VLAs, files, function pointers, unions,
# qsort, strings, bit-fields, static locals, and PVM farms, task trees,
# groups and psend pipelines -- none of them knowing about SNOW), built with
# plain snowcc for x86_64, i386 and s390x, migrates mid-run and prints what
# the plain-gcc build prints without migration.
#
# On one virtual machine of an x86_64, an i386 and an s390x host:
#  1. baseline: each program's plain-gcc build, unmigrated, on x86_64;
#  2. the snowcc build, unmigrated, on x86_64 (same output; counts the
#     program's migration points, SNOW_EXEC_COUNT);
#  3. migrations: the snowcc build started on SRC is held at a random one of
#     its migration points (SNOW_EXEC_TRIGGER) and moved there by a real
#     `snow migrate` to a host of architecture DST; stdout, the exit status
#     (and file_io's result file) must equal the baseline's;
#  4. checkpoint/restart of each sequential program, when `snow checkpoint`
#     exists: held at a random migration point on one architecture, it is
#     checkpointed with --stop and restarted with `snow restart` on
#     another; what the first part printed followed by what the restart
#     printed must be the baseline.  Without `snow checkpoint`, this part
#     is skipped loudly and the test ends as SKIP, never PASS.
# A refused or failed migration or checkpoint is a failure of that program;
# the held task is then released and must carry on and finish correctly
# (the failure line says whether it did).  Every failure is listed at the
# end with the files of its run (kept in the test's work directory); the last line
# counts what passed.  The whole run takes ~1.5 min here when the programs
# pass (CORPUS_QUICK=1: ~1 min); a migration that hangs costs up to
# T_MIGRATE + T_RELEASE.
#
# Coverage: every program migrates along all 6 ordered pairs of $PAIRS
# (21 programs: 126 migrations); the checkpoint of program i (0-based, in
# the order of $PROGRAMS) is taken on pair (i+3 mod 6).  CORPUS_QUICK=1
# migrates program i only along pairs (2i mod 6) and (2i+1 mod 6), so
# each program migrates twice and each pair is still covered 7 times
# (CORPUS_FULL=0 means the same).  CORPUS_ONLY="a b"
# restricts the run to those programs; CORPUS_SEED=N fixes the random
# migration points (each is logged).
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x

CORPUS_BIN="$TOP_BUILDDIR/test/corpus-bin"
[ -x "$CORPUS_BIN/orig/LINUX64/kr_sieve" ] || skip "the corpus was not built (make check builds it: corpus-bin)"

# Limits (seconds), all here.
T_TRIGGER=90    # until the task is held at its migration point
T_MIGRATE=60    # snow migrate / snow checkpoint
T_RUN=240       # a whole run of one program
T_PLAIN=120     # an unmigrated run
T_RELEASE=60    # a task released after a failed request, to finish

PAIRS="x86_64:i386 i386:s390x s390x:x86_64 i386:x86_64 s390x:i386 x86_64:s390x"
PROGRAMS="kr_sieve c99_shapes multi tree_swap graph_edges matrix_rows workqueue mg_vla file_io printer
  dispatch unions qsort_cmp strings structs_val bitfields statics farm msort_tree ring_group pipeline"
[ -z "${CORPUS_ONLY:-}" ] || PROGRAMS=$CORPUS_ONLY

work="${TEST_WORK:-$TOP_BUILDDIR/test/tmp/$TEST_NAME.$$}"
mkdir -p "$work"
note "work directory $work"

# The test sizes: small, since s390x runs ~25x slower under qemu.  @OUT@ is
# replaced by the run's own result file.
args_of() {
  case $1 in
    kr_sieve) echo 300000;;
    c99_shapes) echo 120 12;;
    multi) echo 600 150;;
    tree_swap) echo 1200 30;;
    graph_edges) echo 800 5 8;;
    matrix_rows) echo 60 4;;
    workqueue) echo 30000;;
    mg_vla) echo 18 6;;
    file_io) echo "$work/input.txt @OUT@ 3";;
    printer) echo 3000;;
    dispatch) echo 40;;
    unions) echo 800 30;;
    qsort_cmp) echo 3000 4;;
    strings) echo 4000;;
    structs_val) echo 80 200;;
    bitfields) echo 800 120;;
    statics) echo 6000;;
    farm) echo 3 24 4000;;
    msort_tree) echo 20000 2;;
    ring_group) echo 3 20000 8;;
    pipeline) echo 60 500;;
    *) fail "no test size for $1";;
  esac
}
# The migration point is drawn from 1..N, N the number of migration points
# the unmigrated run passed (SNOW_EXEC_COUNT).  A PVM program's tasks all
# write that count, the last one to end wins; the point must be reached by
# whichever of its tasks runs on the source architecture (at least the one
# started there), so N is capped by what the least busy task passes at the
# test size (farm's master ~80, ring_group's members ~20, pipeline's tasks
# ~60, msort_tree's root ~20000).
max_point() {
  case $1 in
    farm) echo 40;; msort_tree) echo 2000;; ring_group) echo 15;; pipeline) echo 50;;
    *) cat "$work/count.$1";;
  esac
}
# The PVM programs.  A checkpoint of one of their tasks is not one of the
# parallel program (its peers, and the messages on their way to it, are not
# in it): the checkpoint/restart part covers the sequential programs.
is_pvm() { case $1 in farm|msort_tree|ring_group|pipeline) return 0;; *) return 1;; esac; }

# file_io's input: deterministic records, a comment and a malformed line.
awk 'BEGIN { print "# name value weight"; s = 17
  for (i = 0; i < 1500; i++) { s = (s * 1103 + 7) % 65536; printf "r%d %d.%03d %d\n", i, s % 977, s % 1000, 1 + s % 9 }
  print "this line is malformed" }' >"$work/input.txt"

# (the helpers: migrate_lib.sh)
. "$(dirname "$TEST_LIB")/migrate_lib.sh"
HAVE_CHECKPOINT=0
"$SNOW" help 2>&1 | grep -q "snow checkpoint" && HAVE_CHECKPOINT=1
CHECKPOINTS=0
CHECKPOINTS_OK=0
# checkpoint_run PROGRAM SRC DST: hold the program at a random migration
# point on SRC, ask for `snow checkpoint --stop`, release the hold once the
# task has the request (it checkpoints at its next poll-point), restart the
# checkpoint on DST.
checkpoint_run() {
  p=$1 src=$2 dst=$3
  run="$work/ck.$p"
  k=$(random_upto "$(max_point "$p")")
  CHECKPOINTS=$((CHECKPOINTS + 1))
  note "$p: checkpoint on $src at migration point $k of $(max_point "$p"), restart on $dst"
  hold "$p" "$run" "$src" "$k" || return 0
  timeout "$T_MIGRATE" "$SNOW" checkpoint --vm "$VM" "$tid" "$run.ckpt" --stop >"$run.checkpoint" 2>&1 &
  ckpid=$!
  log="/run/snow/$VM/log/task-$tid.log"
  _ck_ticks=0
  until grep -q "checkpoint-request: .*file=$run.ckpt" "$log" 2>/dev/null; do
    _ck_ticks=$((_ck_ticks + 1))
    kill -0 "$ckpid" 2>/dev/null && [ $_ck_ticks -le $((T_MIGRATE * 10)) ] || break
    sleep 0.1
  done
  rm -f "$run.trigger"
  rc=0
  wait "$ckpid" || rc=$?
  [ $rc -ne 124 ] || echo "snow checkpoint did not return within $T_MIGRATE s" >>"$run.checkpoint"
  if [ $rc -ne 0 ]; then
    release
    failure "$p" "$run: snow checkpoint --stop of $tid on $src failed: $(tail -1 "$run.checkpoint"); $RELEASED"
    return 0
  fi
  finish "$p" "$run" || return 0
  rc=0
  timeout "$T_RUN" "$SNOW" restart --vm "$VM" --host "$(host_of "$dst")" "$run.ckpt" \
    >"$run.restart.out" 2>"$run.restart.err" || rc=$?
  [ $rc -ne 124 ] || { failure "$p" "$run: the restart on $dst did not finish within $T_RUN s"; return 0; }
  cat "$run.out" "$run.restart.out" >"$run.all.out"
  echo $rc >"$run.all.rc"
  [ ! -f "$run.res" ] || cp "$run.res" "$run.all.res"
  same_as_baseline "$p" "$run.all" "checkpoint on $src at point $k, restart on $dst" &&
    CHECKPOINTS_OK=$((CHECKPOINTS_OK + 1))
  return 0
}

# ---------------------------------------------------------------------------
[ -z "${CORPUS_SEED:-}" ] || PRECOMP_SEED=$CORPUS_SEED
started=$(date +%s)

# 1. The baselines, on a VM whose programs are the plain-gcc builds (the
# PVM programs spawn their workers by name).
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/orig"
TODO=""
for p in $PROGRAMS; do
  run_plain "$p" "$CORPUS_BIN/orig" "$work/base.$p" || continue
  if [ "$(cat "$work/base.$p.rc")" != 0 ]; then
    failure "$p" "the plain-gcc build exited $(cat "$work/base.$p.rc") ($work/base.$p.err)"
    continue
  fi
  TODO="$TODO $p"
done
"$SNOW" vm down --vm "$VM" >/dev/null
trap - EXIT INT TERM

# 2.-4. The snowcc builds.
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/snow"
i=0
for p in $PROGRAMS; do
  i=$((i + 1))
  case " $TODO " in *" $p "*) ;; *) continue;; esac
  note "=== $p"
  if ! snow_built "$p"; then
    failure "$p" "snowcc did not build it for every architecture ($CORPUS_BIN/log/*/$p.snow.log): $(grep -h -m1 -E 'error' "$CORPUS_BIN"/log/*/"$p".snow.log | head -1)"
    continue
  fi
  run_plain "$p" "$CORPUS_BIN/snow" "$work/pre.$p" "SNOW_EXEC_COUNT=$work/count.$p" || continue
  same_as_baseline "$p" "$work/pre.$p" "pre-compiled, unmigrated" || continue
  # (Tasks of a PVM program ending together may leave several counts.)
  [ ! -s "$work/count.$p" ] || { sort -n "$work/count.$p" | tail -1 >"$work/count.$p.max" &&
    mv "$work/count.$p.max" "$work/count.$p"; }
  [ -s "$work/count.$p" ] && [ "$(cat "$work/count.$p")" -gt 0 ] ||
    { failure "$p" "it passed no migration point (SNOW_EXEC_COUNT: '$(cat "$work/count.$p" 2>/dev/null)')"; continue; }
  if [ "${CORPUS_QUICK:-0}" != 1 ] && [ "${CORPUS_FULL:-1}" != 0 ]; then
    picks="0 1 2 3 4 5"
  else
    picks="$(( (2 * (i - 1)) % 6 )) $(( (2 * (i - 1) + 1) % 6 ))"
  fi
  m=0
  for j in $picks; do
    m=$((m + 1))
    pair=$(echo $PAIRS | cut -d' ' -f$((j + 1)))
    migrate_run "$p" "${pair%:*}" "${pair#*:}" $m
  done
  if [ $HAVE_CHECKPOINT = 1 ] && ! is_pvm "$p"; then
    pair=$(echo $PAIRS | cut -d' ' -f$(( (i + 2) % 6 + 1 )))
    checkpoint_run "$p" "${pair%:*}" "${pair#*:}"
  fi
done

nprog=$(echo $PROGRAMS | wc -w)
pairs_line=$(for e in $PAIR_COUNT; do printf '%s %s, ' "${e%=*}" "${e#*=}"; done | sed 's/, $//')
note "took $(( $(date +%s) - started )) s"
if [ $HAVE_CHECKPOINT = 1 ]; then
  ck_line="$CHECKPOINTS_OK of $CHECKPOINTS checkpoint/restarts passed (sequential programs)"
else
  ck_line="checkpoint/restarts NOT RUN (no snow checkpoint)"
fi
note "corpus: $nprog programs, $MIGRATED_OK of $MIGRATIONS migrations passed (passed/tried: $pairs_line), $ck_line, $FAILURES failures"
if [ $FAILURES -gt 0 ]; then
  echo "[$TEST_NAME] failures:$FAILED" >&2
  note "files kept in $work"
  exit 1
fi
rm -rf "$work"
[ $HAVE_CHECKPOINT = 1 ] || skip "every migration passed, but 'snow checkpoint' does not exist: the checkpoint/restart part was not run"
note "ok"
