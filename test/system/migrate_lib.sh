# Helpers of the tests that migrate sequential or PVM programs built by
# test/corpus/build-corpus (corpus_migrate.sh, workloads_migrate.sh): run a
# program unmigrated, hold its snowcc build at a chosen migration point on
# one architecture, move it with a real `snow migrate` to another, compare
# with the baseline, count what passed per ordered pair.
# Sourced after lib.sh and precomp_lib.sh.  The caller sets:
#   CORPUS_BIN   the build-corpus output (orig/ and snow/ per PVM_ARCH)
#   work         the directory of the run files (base.P.*, count.P, ...)
#   T_TRIGGER T_MIGRATE T_RUN T_PLAIN T_RELEASE   limits, in seconds
# and defines args_of PROGRAM (its arguments; @OUT@ becomes the run's own
# result file) and max_point PROGRAM (the migration point is drawn from
# 1..that).

pvmarch_of() { case $1 in x86_64) echo LINUX64;; i386) echo LINUX;; s390x) echo LINUXS390;; esac; }

FAILURES=0
FAILED=""
failure() {
  FAILURES=$((FAILURES + 1))
  FAILED="$FAILED
  $1: $2"
  echo "[$TEST_NAME] FAILURE: $1: $2" >&2
}

# Did snowcc build PROGRAM for every architecture?
snow_built() {
  for a in x86_64 i386 s390x; do
    [ -x "$CORPUS_BIN/snow/$(pvmarch_of "$a")/$1" ] || return 1
  done
}

# Compare run $2 (files $2.out, $2.rc, maybe $2.res) of program $1 with its
# baseline; $3 describes the run.  Returns 1 (after recording a failure) on
# a difference.
same_as_baseline() {
  p=$1 run=$2 what=$3
  if [ "$(cat "$run.rc")" != "$(cat "$work/base.$p.rc")" ]; then
    failure "$p" "$what: exit status $(cat "$run.rc"), the original's $(cat "$work/base.$p.rc") (output $run.out, $run.err)"
    return 1
  fi
  if ! cmp -s "$work/base.$p.out" "$run.out"; then
    diff "$work/base.$p.out" "$run.out" | head -10 >&2 || true
    failure "$p" "$what: stdout differs from the original's ($run.out, $run.err)"
    return 1
  fi
  if [ -f "$work/base.$p.res" ] && ! cmp -s "$work/base.$p.res" "$run.res"; then
    failure "$p" "$what: the result file differs from the original's ($run.res)"
    return 1
  fi
}

# run_plain PROGRAM BINDIR RUN [ENV...]: run PROGRAM from BINDIR (the
# LINUX64 tree) on the master host, unmigrated; files RUN.{out,err,rc,res}.
run_plain() {
  p=$1 dir=$2 run=$3
  shift 3
  args=$(args_of "$p" | sed "s|@OUT@|$run.res|")
  rc=0
  # shellcheck disable=SC2086
  timeout "$T_PLAIN" "$SNOW" run --vm "$VM" env "$@" "$dir/LINUX64/$p" $args >"$run.out" 2>"$run.err" || rc=$?
  echo $rc >"$run.rc"
  [ $rc -ne 124 ] || { failure "$p" "$run: did not finish within $T_PLAIN s"; return 1; }
}

# hold PROGRAM RUN SRC K: start the snowcc build of PROGRAM on the SRC host,
# to be held at its K-th migration point (the first of its tasks on SRC to
# get there); sets $pid (of snow run) and $tid (of the held task, t...).
hold() {
  p=$1 run=$2 src=$3 k=$4
  trig="$run.trigger"
  args=$(args_of "$p" | sed "s|@OUT@|$run.res|")
  # shellcheck disable=SC2086
  SNOW_EXEC_TRIGGER="$k:$trig:$src:$p" PVM_EXPORT="SNOW_EXEC_TRIGGER${PVM_EXPORT:+:$PVM_EXPORT}" \
    "$SNOW" run --vm "$VM" --host "$(host_of "$src")" "$CORPUS_BIN/snow/$(pvmarch_of "$src")/$p" $args \
    >"$run.out" 2>"$run.err" &
  pid=$!
  if ! wait_for_file "$trig" "$T_TRIGGER"; then
    rc=0
    wait_for_exit $pid 5 || rc=$?
    echo $rc >"$run.rc"
    failure "$p" "$run: no task on $src was held at migration point $k within $T_TRIGGER s (exit $rc; $run.out, $run.err)"
    return 1
  fi
  read -r t arch <"$trig"
  tid=$(printf 't%x' "$t")
  [ "$arch" = "$src" ] || { failure "$p" "$run: the held task runs on $arch, not $src"; return 1; }
}

# After a failed request: release the task held at its trigger point
# (removing the trigger file does) -- it must carry on and finish as if
# nothing happened; the run is ended if it does not within $T_RELEASE s.
# $RELEASED says what became of it.
release() {
  rm -f "$trig"
  rc=0
  wait_for_exit "$pid" "$T_RELEASE" || rc=$?
  echo $rc >"$run.rc"
  if [ $rc = 124 ]; then
    RELEASED="the task did not carry on: run ended"
    kill_leftovers "$p"
  elif cmp -s "$work/base.$p.out" "$run.out" && [ $rc = 0 ]; then
    RELEASED="the task carried on and finished correctly"
  else
    RELEASED="the task carried on and exited $rc; first difference from the original's output: $(diff "$work/base.$p.out" "$run.out" | grep -m1 '^[<>]')"
  fi
}

# Kill what is left of an abandoned run of PROGRAM (its PVM workers, a task
# stuck in a migration) through PVM's console, so that the next run starts
# clean (e.g. ring_group's group has no stale members).
kill_leftovers() {
  tids=$("$SNOW" ps --vm "$VM" 2>/dev/null | awk -v p="$1" 'NR > 1 && $NF == p { sub(/^t/, "", $2); print $2 }')
  [ -n "$tids" ] || return 0
  note "$1: killing what is left of the abandoned run: $(echo $tids)"
  printf 'kill %s\nquit\n' "$(echo $tids)" | timeout 30 "$SNOW" console --vm "$VM" >/dev/null 2>&1 || true
}

# Wait for snow run ($pid) of RUN to end; records its status.
finish() {
  p=$1 run=$2
  rc=0
  wait_for_exit "$pid" "$T_RUN" || rc=$?
  echo $rc >"$run.rc"
  [ $rc -ne 124 ] || { failure "$p" "$run: did not finish within $T_RUN s"; kill_leftovers "$p"; return 1; }
}

MIGRATIONS=0
MIGRATED_OK=0
PAIR_COUNT=""  # "src->dst:ok/tried" entries
count_pair() {  # count_pair SRC DST OK(0/1)
  key="$1->$2"
  ok=0 tried=0
  for e in $PAIR_COUNT; do
    case $e in "$key="*) v=${e#*=}; ok=${v%/*}; tried=${v#*/};; esac
  done
  PAIR_COUNT="$(for e in $PAIR_COUNT; do case $e in "$key="*) ;; *) echo "$e";; esac; done) $key=$((ok + $3))/$((tried + 1))"
}

# migrate_run PROGRAM SRC DST N: migration run N of PROGRAM.
migrate_run() {
  p=$1 src=$2 dst=$3
  run="$work/mig.$p.$4"
  k=$(random_upto "$(max_point "$p")")
  MIGRATIONS=$((MIGRATIONS + 1))
  note "$p: $src -> $dst at migration point $k of $(max_point "$p")"
  ok=0
  if hold "$p" "$run" "$src" "$k"; then
    if ! timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$tid" "$(host_of "$dst")" \
        >"$run.migrate" 2>&1; then
      [ -s "$run.migrate" ] || echo "snow migrate did not return within $T_MIGRATE s" >"$run.migrate"
      release
      failure "$p" "$run: snow migrate of $tid ($src) to $dst failed: $(tail -1 "$run.migrate"); $RELEASED"
    elif finish "$p" "$run" && same_as_baseline "$p" "$run" "migrated $src->$dst at point $k"; then
      ok=1
    fi
  fi
  MIGRATED_OK=$((MIGRATED_OK + ok))
  count_pair "$src" "$dst" $ok
}
