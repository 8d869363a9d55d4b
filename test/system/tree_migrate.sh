#!/bin/sh
# A self-spawning task tree survives migrations of its members.
#
# test/corpus/msort_tree.c (a merge sort whose tasks spawn two children of
# the same program, send each half of their keys and merge what comes
# back; no SNOW code in it), built with plain snowcc, sorts $KEYS keys over
# a tree of depth $DEPTH: 2^(DEPTH+1)-1 = 63 tasks, which PVM spreads over
# an x86_64, an i386 and an s390x host.  In each of $RUNS runs:
#  - one task is held at migration point K (SNOW_EXEC_TRIGGER) of the first
#    task on a random architecture to reach it and moved to a host of
#    another architecture: K=1 (odd runs: i386 or s390x, where the root is
#    not) is a child's receive of its keys, before it spawns its own
#    children (which then learn their parent's virtual tid from a process
#    whose tid is not its virtual one); K=2 (even runs, any architecture,
#    so sometimes the root) is the top of its send loop, just after the
#    spawn, its children waiting for keys from the process that moves;
#  - then up to $RANDOM_MIGRATIONS random live members, at random moments,
#    go to a random host of another architecture (they are waiting for
#    keys, for their children, or merging and sending back: before, during
#    and after their spawns).
# A run passes when the root prints exactly what the plain-gcc build prints
# (sorting the same keys without a tree; the depth in its header line
# excepted), exits 0 within $T_RUN s, and no task of it is left behind.
# A migration that is refused (the task had just ended or was already
# moving) is counted as refused, not as a failure: the run must still
# finish correctly.  The last line counts runs, migrations tried /
# committed / refused, and failures.  Knobs: TREE_RUNS, TREE_SEED;
# TREE_FAULT=real_parent (SNOW_FAULT) brings back the bug of children
# taking their spawner's real tid for its virtual one: the test then fails.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x

CORPUS_BIN="${TREE_CORPUS_BIN:-$TOP_BUILDDIR/test/corpus-bin}"
for a in LINUX64 LINUX LINUXS390; do
  [ -x "$CORPUS_BIN/snow/$a/msort_tree" ] || skip "msort_tree was not built for $a by snowcc (make check builds corpus-bin)"
done

# Sizes and limits, all here.
RUNS=${TREE_RUNS:-10}
KEYS=4000             # the depth-4 tasks still get >= 64 keys, so all 63 exist
DEPTH=5
TASKS=63
RANDOM_MIGRATIONS=4   # per run, besides the held task's
MAX_GAP_MS=400        # random pause before each random migration
T_RUN=60              # one run, from start to the root's exit
T_TRIGGER=30          # until a task is held at its migration point
T_MIGRATE=30          # one snow migrate
T_TOTAL=420           # the whole test: further runs are not started after this

SEED=${TREE_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
note "random seed $SEED (TREE_SEED=$SEED repeats the choices)"
rng=$SEED
# A pseudo-random number in 0..$1-1 (in $R).
rnd() {
  rng=$(( (rng * 1103515245 + 12345) % 2147483648 ))
  R=$(( (rng / 65536) % $1 ))
}

work=$TEST_WORK
ARCHS="x86_64 i386 s390x"
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/snow"
for a in $ARCHS; do eval "HOST_$a=$(host_of "$a")"; done
host_arch() { "$SNOW" hosts --vm "$VM" | awk -v h="$1" '$1 == h { print $2; exit }'; }

# The expected output: the plain-gcc build sorting the same keys at depth 0
# (no tree, no SNOW), with the depth of the header line changed.
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$CORPUS_BIN/orig/LINUX64/msort_tree" "$KEYS" 0 >"$work/plain.out" 2>&1 ||
  fail "the plain-gcc build failed: $(tail -3 "$work/plain.out")"
sed "s/over a task tree of depth 0/over a task tree of depth $DEPTH/" "$work/plain.out" >"$work/want"
grep -q "^checksum " "$work/want" || fail "the plain-gcc build printed no checksum: $(cat "$work/want")"

# Live tasks of the tree: "VTID HOST TID" lines.
tree_tasks() {
  "$SNOW" ps --vm "$VM" 2>/dev/null | awk 'NR > 1 && $NF == "msort_tree" && $5 != "terminated" { print $1, $3, $2 }'
}

TRIED=0 COMMITTED=0 REFUSED=0 FAILURES=0 HELD=0 SPAWNED_MAX=0
FAILED=""
failure() {
  FAILURES=$((FAILURES + 1))
  FAILED="$FAILED
  $1"
  echo "[$TEST_NAME] FAILURE: $1" >&2
}

# migrate VTID FROM_HOST WHY: move the task to a random host of another
# architecture (in the background: a run is short, and members are picked
# while their tree is busy); its outcome is tallied by tally().
migrate() {
  from_arch=$(host_arch "$2")
  rnd 2
  to_arch=$(echo $ARCHS | tr ' ' '\n' | grep -vx "$from_arch" | sed -n "$((R + 1))p")
  eval "to=\$HOST_$to_arch"
  TRIED=$((TRIED + 1))
  echo "$3 $1 $from_arch -> $to_arch" >"$run.mig$TRIED.what"
  ( rc=0
    timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$1" "$to" >"$run.mig$TRIED" 2>&1 || rc=$?
    echo $rc >"$run.mig$TRIED.rc" ) &
}

# Wait for the run's migrations and count their outcomes.
tally() {
  _t_ticks=0
  for _t_f in "$run".mig*.what; do
    [ -f "$_t_f" ] || continue
    base=${_t_f%.what}
    while [ ! -f "$base.rc" ] && [ $_t_ticks -le $((T_MIGRATE * 10 + 50)) ]; do
      _t_ticks=$((_t_ticks + 1))
      sleep 0.1
    done
    what=$(cat "$_t_f")
    _t_rc=$(cat "$base.rc" 2>/dev/null || echo 124)
    if [ "$_t_rc" = 0 ]; then
      COMMITTED=$((COMMITTED + 1))
      note "run $r: $what: committed"
    elif [ "$_t_rc" = 124 ]; then
      failure "run $r: snow migrate of $what did not return within $T_MIGRATE s"
    else
      REFUSED=$((REFUSED + 1))
      note "run $r: $what: refused: $(tail -1 "$base")"
    fi
  done
}

started=$(date +%s)
r=0
while [ $r -lt "$RUNS" ]; do
  r=$((r + 1))
  if [ $(( $(date +%s) - started )) -gt $T_TOTAL ]; then
    failure "run $r: not started, the test already took more than $T_TOTAL s"
    break
  fi
  run="$work/run$r"
  # K=1 on x86_64 would be the root (already past its spawn): at K=1 the
  # held task is a child on a foreign host, before its own spawn.
  k=$(( (r % 2) + 1 ))
  if [ $k = 1 ]; then rnd 2; arch=$(echo i386 s390x | cut -d' ' -f$((R + 1)))
  else rnd 3; arch=$(echo $ARCHS | cut -d' ' -f$((R + 1))); fi
  trig="$run.trigger"
  SNOW_EXEC_TRIGGER="$k:$trig:$arch:msort_tree" SNOW_FAULT="${TREE_FAULT:-}" PVM_EXPORT="SNOW_EXEC_TRIGGER:SNOW_FAULT" \
    "$SNOW" run --vm "$VM" "$CORPUS_BIN/snow/LINUX64/msort_tree" "$KEYS" "$DEPTH" >"$run.out" 2>"$run.err" &
  pid=$!
  if wait_for_file "$trig" "$T_TRIGGER"; then
    read -r t _ <"$trig"
    tid=$(printf 't%x' "$t")
    src=$(tree_tasks | awk -v t="$tid" '$1 == t { print $2 }')
    if [ -n "$src" ]; then
      HELD=$((HELD + 1))
      migrate "$tid" "$src" "held at point $k"
      wait_for_file "$run.mig$TRIED.rc" $((T_MIGRATE + 5)) || true
    else
      failure "run $r: the held task $tid is not in snow ps"
    fi
  else
    note "run $r: no task on $arch reached migration point $k within $T_TRIGGER s; random migrations only"
  fi
  rm -f "$trig"  # releases the held task if its migration failed
  m=0
  while [ $m -lt $RANDOM_MIGRATIONS ] && kill -0 "$pid" 2>/dev/null; do
    m=$((m + 1))
    rnd $MAX_GAP_MS
    sleep "$(printf '%d.%03d' $((R / 1000)) $((R % 1000)))"
    tree_tasks >"$run.ps"
    n=$(wc -l <"$run.ps")
    [ "$n" -gt "$SPAWNED_MAX" ] && SPAWNED_MAX=$n
    [ "$n" -gt 0 ] || break
    rnd "$n"
    set -- $(sed -n "$((R + 1))p" "$run.ps")
    migrate "$1" "$2" "random member"
  done
  rc=0
  wait_for_exit "$pid" "$T_RUN" || rc=$?
  tally
  if [ $rc = 124 ]; then
    failure "run $r: did not finish within $T_RUN s (hung; $run.out, $run.err)"
  elif [ $rc != 0 ]; then
    failure "run $r: exited $rc ($run.out, $run.err)"
  elif ! cmp -s "$work/want" "$run.out"; then
    diff "$work/want" "$run.out" | head -10 >&2 || true
    failure "run $r: wrong output ($run.out)"
  fi
  left=$(tree_tasks)
  if [ -n "$left" ]; then
    failure "run $r: tasks left behind after the root ended: $(echo "$left" | awk '{ print $1 }' | tr '\n' ' ')"
    # shellcheck disable=SC2046
    printf 'kill %s\nquit\n' "$(echo "$left" | awk '{ sub(/^t/, "", $3); print $3 }' | tr '\n' ' ')" |
      timeout 30 "$SNOW" console --vm "$VM" >/dev/null 2>&1 || true
  fi
done

# Every run must have had all its tasks: the scheduler saw them all enrolled.
ENROLLED=$("$SNOW" ps --vm "$VM" --all 2>/dev/null | awk 'NR > 1 && $NF == "msort_tree"' | wc -l)
[ "$ENROLLED" -ge $((r * TASKS)) ] ||
  failure "only $ENROLLED tree tasks enrolled in $r runs of $TASKS tasks each"
note "took $(( $(date +%s) - started )) s"
note "tree: $r runs of $TASKS tasks (depth $DEPTH, $KEYS keys), $ENROLLED tasks enrolled; migrations tried $TRIED ($HELD held at a point before or right after a spawn, the rest of random members at random moments), committed $COMMITTED, refused $REFUSED; $FAILURES failures"
if [ $FAILURES -gt 0 ]; then
  echo "[$TEST_NAME] failures:$FAILED" >&2
  note "files kept in $work"
  exit 1
fi
[ $COMMITTED -ge "$RUNS" ] || fail "only $COMMITTED of $TRIED migrations committed in $RUNS runs: too few to show anything"
rm -rf "$work"
note "ok"
