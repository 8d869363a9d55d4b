#!/bin/bash
# snow bench paper: the papers' tables measured on this machine, each
# printed beside the paper's figures (doc/benchmarks.md, "snow bench paper").
#
#  seed 000 Table 1  linpack (~325 KB, ~8 MB of state) and bitonic sort
#                    (1024 and 4096 values), each held mid-run at a migration
#                    point on an x86_64 host and moved by `snow migrate` to
#                    the other x86_64 host (homogeneous) and to the s390x host
#                    (heterogeneous): scan (collect), transfer, restore, total;
#  seed 001 Table 1  parallel MG (8 processes, 4 iterations) on two native
#                    x86_64 hosts: execution and communication time of the
#                    plain-gcc build against raw libpvm (original), the snowcc
#                    build unmigrated (modified) and with one process moved
#                    after iteration 2 (migration), runs interleaved a,b,c;
#  seed 001 Table 2  one MG process moved from the s390x host to an x86_64
#                    host after iteration 2: coordinate, collect, transfer,
#                    restore, total.
# Every migrated run's output must equal the unmigrated plain-gcc build's; a
# mismatch or a failed migration is printed and makes the exit status 1.
#
# Started by `snow bench paper`, which sets SNOW (the snow binary), SNOWCC,
# WORKLOAD_SRC (the directory of mg_par.c, linpack.c, bitonic.c); CC is the
# native compiler (default gcc).  The workloads are built here, into the
# work directory, so that the same script runs from a build tree and when
# installed.
set -uo pipefail

usage() {
  echo "usage: snow bench paper [--quick] [--reps N] [--json FILE] [--markdown FILE] [--keep]" >&2
  exit 2
}

quick=0 reps="" json="" markdown="" keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1;;
    --reps) [ $# -ge 2 ] || usage; reps=$2; shift;;
    --json) [ $# -ge 2 ] || usage; json=$2; shift;;
    --markdown) [ $# -ge 2 ] || usage; markdown=$2; shift;;
    --keep) keep=1;;
    *) usage;;
  esac
  shift
done
case $reps in "" | *[!0-9]* | 0*) [ -z "$reps" ] || { echo "snow bench paper: --reps takes a positive number" >&2; exit 2; };; esac

: "${SNOW:?set by snow bench paper}" "${SNOWCC:?set by snow bench paper}" "${WORKLOAD_SRC:?set by snow bench paper}"
CC=${CC:-gcc}

# Sizes, repetitions and limits, all here.
if [ $quick = 1 ]; then
  MG_N=64; REPS=${reps:-2}
else
  MG_N=128; REPS=${reps:-10}   # the papers' figures are averages of 10 runs
fi
MG_P=8 MG_ITERS=4 MG_MOVE_AFTER=2
# program:size:arguments (seed 000 Table 1; the paper's figures are in paper_report.awk)
SEED0_ROWS=("linpack:small:200" "linpack:large:1000" "bitonic:small:1024 3" "bitonic:large:4096 10")
T_TOTAL=1500    # the whole benchmark (seconds); it ends itself after that
T_BUILD=300     # building the workloads
T_VM=120        # snow vm up
T_RUN=180       # one run of a workload (linpack 1000 finishing under qemu: ~15 s)
T_TRIGGER=120   # until a task is held at its migration point
T_MIGRATE=120   # snow migrate
POLL=0.02       # how often a held task is looked for (s): it is waiting meanwhile

VM=bpaper$$
export SNOW_VM=$VM
# The work directory must be seen by every virtual host: their /tmp is private.
work=$(mktemp -d /var/tmp/snow-bench-paper.XXXXXX) || exit 1
started=$(date +%s.%N)
FAILURES=0
FAILED=""
MIGRATIONS=0
MIGRATED_OK=0
MISMATCHES=0

say() { echo "$*"; }
progress() { printf '[%5.1fs] %s\n' "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$*"; }
failure() {
  FAILURES=$((FAILURES + 1))
  FAILED="$FAILED$1"$'\n'
  echo "snow bench paper: FAILURE: $1" >&2
}

cleanup() {
  "$SNOW" vm down --vm "$VM" >/dev/null 2>&1 || true
  [ -z "${watchdog:-}" ] || kill "$watchdog" 2>/dev/null || true
  if [ $keep = 1 ] || [ $FAILURES -gt 0 ]; then
    echo "snow bench paper: files kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'echo "snow bench paper: interrupted" >&2; exit 130' INT TERM
# Bounded in time: past T_TOTAL the benchmark ends itself (and the trap takes the VM down).
main_pid=$$
(
  trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  sleep "$T_TOTAL" &
  sleeper=$!
  wait $sleeper && echo "snow bench paper: took over ${T_TOTAL}s, stopping" >&2 && kill -TERM "$main_pid"
) &
watchdog=$!

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.6f", b - a }'; }

# ---------------------------------------------------------------- build
bin="$work/bin"
build_workloads() {
  local p arch pvmarch
  mkdir -p "$bin/orig/LINUX64" "$bin/snow/LINUX64" "$bin/snow/LINUXS390"
  for p in mg_par linpack bitonic; do
    "$CC" -O2 -w -ffp-contract=off "$WORKLOAD_SRC/$p.c" -o "$bin/orig/LINUX64/$p" -lm -lpvm3 -ltirpc ||
      return 1
    for arch in x86_64 s390x; do
      case $arch in x86_64) pvmarch=LINUX64;; s390x) pvmarch=LINUXS390;; esac
      "$SNOWCC" --target "$arch" -O2 "$WORKLOAD_SRC/$p.c" -o "$bin/snow/$pvmarch/$p" -lm || return 1
    done
  done
}
progress "building mg_par, linpack and bitonic: plain gcc (x86_64) and snowcc (x86_64, s390x) into $bin"
export CC SNOWCC WORKLOAD_SRC bin
if ! timeout "$T_BUILD" bash -c "$(declare -f build_workloads); build_workloads" >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  failure "building the workloads failed"
  exit 1
fi

vm_up() {
  "$SNOW" vm down --vm "$VM" >/dev/null 2>&1 || true
  timeout "$T_VM" "$SNOW" vm up --vm "$VM" "$@" >"$work/vm.log" 2>&1 ||
    { cat "$work/vm.log" >&2; failure "snow vm up $* failed"; exit 1; }
  HOSTS_TABLE=$("$SNOW" hosts --vm "$VM")
}
# The x86_64 host other than the one of tid $1 (a PVM tid holds its host's
# number in bits 18-29, as do the daemons' tids `snow hosts` lists); asked
# of the table saved at vm up, so that no command runs while a task is held.
other_x86_host() {
  local h=$(( ($1 >> 18) & 0xfff )) name arch dtid
  while read -r name arch _ _ dtid; do
    [ "$arch" = x86_64 ] && [ "${dtid#t}" != "$dtid" ] || continue
    [ $(( (0x${dtid#t} >> 18) & 0xfff )) = "$h" ] || { echo "$name"; return; }
  done <<<"$HOSTS_TABLE"
}

# wait_file FILE SECONDS: until FILE is not empty
wait_file() {
  local end
  end=$(awk -v a="$(date +%s)" -v b="$2" 'BEGIN { print a + b }')
  while [ ! -s "$1" ]; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep "$POLL"
  done
}
# wait_pid PID SECONDS: its exit status, 124 (and killed) past the limit
wait_pid() {
  local i
  for ((i = 0; i < $2 * 10; i++)); do
    kill -0 "$1" 2>/dev/null || { wait "$1"; return; }
    sleep 0.1
  done
  kill "$1" 2>/dev/null
  wait "$1" 2>/dev/null
  return 124
}

# The breakdown snow migrate prints, as "coord collect xfer restore total bytes" (ms, bytes).
parse_migrate() {
  awk '$1 == "coordination" { c = $2 } $1 == "collection" { s = $2; b = $4; sub(/^\(/, "", b) }
       $1 == "transfer" { x = $2 } $1 == "restore" { r = $2 } $1 == "total" { t = $2 }
       END { if (t == "") exit 1; print c, s, x, r, t, b }' "$1"
}

# hold_and_migrate OUT K SRC_ARCH DEST PROGRAM ARGS...: start PROGRAM (the
# snowcc build) with `snow run`, hold its first task on SRC_ARCH at
# migration point K, move it with snow migrate to host DEST (or, if DEST is
# "other", to the x86_64 host it is not on), wait for the run.  Sets
# MIG_ROW ("coord collect xfer restore total bytes", empty on failure),
# RUN_OK (1 if the run exited 0), HELD_TID, HELD_AT (the master's output
# lines when it was held), HOLD_MS (from the task's stop at its migration
# point to snow migrate's start: the harness's share of the held time).  RUN_HOST may name the host snow run starts it on.
hold_and_migrate() {
  local out=$1 k=$2 arch=$3 dest=$4 prog=$5 trig pid tid t src rc
  shift 5
  trig="$out.trigger"
  rm -f "$trig"
  MIG_ROW="" RUN_OK=0 HELD_TID="" HELD_AT="" HOLD_MS="-"
  MIGRATIONS=$((MIGRATIONS + 1))
  SNOW_EXEC_TRIGGER="$k:$trig:$arch:$(basename "$prog")" PVM_EXPORT="SNOW_EXEC_TRIGGER${PVM_EXPORT:+:$PVM_EXPORT}" \
    "$SNOW" run --vm "$VM" ${RUN_HOST:+--host "$RUN_HOST"} "$prog" "$@" >"$out" 2>"$out.err" &
  pid=$!
  if ! wait_file "$trig" "$T_TRIGGER"; then
    failure "$out: no task on $arch was held at migration point $k within ${T_TRIGGER}s"
    wait_pid $pid "$T_RUN" >/dev/null
    return 1
  fi
  HELD_AT=$(grep -c . "$out")
  read -r t _ <"$trig"
  tid=$(printf 't%x' "$t")
  HELD_TID=$tid
  [ "$dest" != other ] || dest=$(other_x86_host "$t")
  HOLD_MS=$(awk -v a="$(stat -c %.6Y "$trig")" -v b="$(now)" 'BEGIN { printf "%.1f", (b - a) * 1000 }')
  if timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$tid" "$dest" >"$out.migrate" 2>&1 &&
      MIG_ROW=$(parse_migrate "$out.migrate"); then
    MIGRATED_OK=$((MIGRATED_OK + 1))
  else
    MIG_ROW=""
    rm -f "$trig"   # releases the held task: it carries on where it is
    failure "$out: snow migrate $tid $dest failed: $(tail -1 "$out.migrate")"
  fi
  rc=0
  wait_pid $pid "$T_RUN" || rc=$?
  [ $rc = 0 ] && RUN_OK=1 || failure "$out: the run exited $rc ($out.err)"
}

# same_output WANT GOT WHAT: MATCH=1, or 0 and a failure when they differ
same_output() {
  MATCH=1
  cmp -s "$1" "$2" && return
  MATCH=0
  MISMATCHES=$((MISMATCHES + 1))
  failure "$3: its output differs from the unmigrated plain-gcc build's ($2 against $1): $(diff "$1" "$2" | grep -m1 '^[<>]')"
}

# count_points OUT PROGRAM ARGS...: an unmigrated run of the snowcc build
# that counts its migration points; prints the largest count of any task.
count_points() {
  local out=$1
  shift
  rm -f "$out.count"
  SNOW_EXEC_COUNT="$out.count" PVM_EXPORT="SNOW_EXEC_COUNT${PVM_EXPORT:+:$PVM_EXPORT}" \
    timeout "$T_RUN" "$SNOW" run --vm "$VM" "$@" >"$out" 2>"$out.err" || return 1
  sort -n "$out.count" | tail -1
}

runs="$work/runs"   # one line per measured run; the tables are computed from it
: >"$runs"

# ------------------------------------------- seed 001 Table 1: MG, 2 native hosts
# One virtual machine of two x86_64 hosts; its program directory holds a
# link named mg_par that points to the build of the variant being run, so
# that the three variants run on the same hosts, interleaved.
mgep="$work/mgep"
mkdir -p "$mgep/LINUX64"
use_mg() { ln -sfn "$bin/$1/LINUX64/mg_par" "$mgep/LINUX64/mg_par"; }
use_mg orig
progress "seed 001 Table 1: virtual machine of two x86_64 hosts (all 8 MG processes native)"
vm_up --hosts x86_64,x86_64 --ep "$mgep"
mgdir="$work/mg"
mkdir -p "$mgdir"
mg_args=("$MG_N" "$MG_P" "$MG_ITERS")

# The reference output: the plain-gcc build.
timeout "$T_RUN" "$SNOW" run --vm "$VM" "$mgep/LINUX64/mg_par" "${mg_args[@]}" >"$mgdir/ref" 2>"$mgdir/ref.err" &&
  grep -q '^final residual' "$mgdir/ref" || { cat "$mgdir/ref" "$mgdir/ref.err" >&2; failure "MG: the plain-gcc build did not run"; exit 1; }

# Where to hold a process: a tenth into iteration MOVE_AFTER+1.
use_mg snow
c1=$(count_points "$mgdir/count1" "$mgep/LINUX64/mg_par" "$MG_N" "$MG_P" $((MG_MOVE_AFTER - 1))) &&
  c2=$(count_points "$mgdir/count2" "$mgep/LINUX64/mg_par" "$MG_N" "$MG_P" "$MG_MOVE_AFTER") &&
  [ -n "$c1" ] && [ -n "$c2" ] && [ "$c2" -gt "$c1" ] ||
  { failure "MG: counting its migration points failed ($mgdir/count1, count2)"; exit 1; }
MG_K=$((c2 + (c2 - c1) / 10))
progress "MG ${MG_N}^3: $((c2 - c1)) migration points per iteration; a process is held at point $MG_K (after iteration $MG_MOVE_AFTER)"

# mg_times FILE: "exec comm_mean comm_max" from the processes' FILE.RANK
mg_times() {
  cat "$1".* 2>/dev/null | awk -v p="$MG_P" '$1 == "rank" { n++; if ($2 == 0) e = $4; c += $6; if ($6 > m) m = $6 }
    END { if (n != p) exit 1; printf "%.6f %.6f %.6f\n", e, c / n, m }'
}
for ((rep = 1; rep <= REPS; rep++)); do
  for v in a b c; do
    out="$mgdir/$v.$rep"
    t0=$(now)
    case $v in
      a | b)
        [ $v = a ] && use_mg orig || use_mg snow
        ok=1
        timeout "$T_RUN" "$SNOW" run --vm "$VM" "$mgep/LINUX64/mg_par" "${mg_args[@]}" "$out.times" >"$out" 2>"$out.err" ||
          { ok=0; failure "MG ($v, run $rep) failed: $(tail -1 "$out.err")"; }
        mrow="- - - - - -";;
      c)
        use_mg snow
        hold_and_migrate "$out" "$MG_K" x86_64 other "$mgep/LINUX64/mg_par" "${mg_args[@]}" "$out.times"
        ok=$RUN_OK
        [ -n "$MIG_ROW" ] || ok=0
        mrow=${MIG_ROW:-- - - - - -};;
    esac
    t1=$(now)
    times=$(mg_times "$out.times") || { times="- - -"; [ $ok = 0 ] || failure "MG ($v, run $rep): not every process wrote its times ($out.times.*)"; ok=0; }
    same_output "$mgdir/ref" "$out" "MG ($v, run $rep)"; match=$MATCH
    [ $v = c ] && hold=$HOLD_MS || hold=-
    echo "t1 $v $rep $ok $match $(elapsed "$t0" "$t1") $times $mrow $hold" >>"$runs"
    progress "MG ${MG_N}^3 run $rep/$REPS variant $v: $(echo "$times" | awk '{ printf "exec %ss comm %ss", $1, $2 }')$([ "$match" = 1 ] && echo ", output as the original's")"
  done
done
"$SNOW" vm down --vm "$VM" >/dev/null 2>&1

# --------------------- seed 000 Table 1 and seed 001 Table 2: with an s390x host
progress "seed 000 Table 1, seed 001 Table 2: virtual machine of x86_64, x86_64 and s390x hosts (s390x under qemu-user)"
vm_up --hosts x86_64,x86_64,s390x --ep "$bin/snow"
s0dir="$work/seed000"
mkdir -p "$s0dir"
for row in "${SEED0_ROWS[@]}"; do
  IFS=: read -r prog size args <<<"$row"
  base="$s0dir/$prog.$size"
  # shellcheck disable=SC2086
  if ! timeout "$T_RUN" "$bin/orig/LINUX64/$prog" $args >"$base.ref" 2>"$base.ref.err"; then
    failure "$prog $args: the plain-gcc build failed"
    continue
  fi
  # shellcheck disable=SC2086
  points=$(count_points "$base.count" "$bin/snow/LINUX64/$prog" $args) && [ -n "$points" ] && [ "$points" -gt 1 ] ||
    { failure "$prog $args: counting its migration points failed"; continue; }
  k=$((points / 2))
  progress "$prog $args: $points migration points; held at point $k on vh1 (x86_64), moved to vh2 (x86_64) and to vh3 (s390x)"
  for ((rep = 1; rep <= REPS; rep++)); do
    for kind in hom het; do
      [ $kind = hom ] && dest=vh2 || dest=vh3
      out="$base.$kind.$rep"
      # shellcheck disable=SC2086
      RUN_HOST=vh1 hold_and_migrate "$out" "$k" x86_64 "$dest" "$bin/snow/LINUX64/$prog" $args
      same_output "$base.ref" "$out" "$prog $args moved to $dest (run $rep)"; match=$MATCH
      ok=$RUN_OK
      [ -n "$MIG_ROW" ] || ok=0
      echo "s0 $prog $size $kind $rep $ok $match ${MIG_ROW:-- - - - - -}" >>"$runs"
      progress "  run $rep, vh1 -> $dest: $(echo "${MIG_ROW:-migration failed, the task carried on where it was}" | awk 'NF == 6 { printf "collect %s ms, transfer %s ms, restore %s ms, total %s ms, %s bytes", $2, $3, $4, $5, $6; next } { print }')$([ "$match" = 1 ] && echo ", output as the original's")"
    done
  done
done

t2dir="$work/table2"
mkdir -p "$t2dir"
progress "seed 001 Table 2: MG ${MG_N}^3 on 8 processes over the three hosts; one process on s390x moved to x86_64 after iteration $MG_MOVE_AFTER"
for ((rep = 1; rep <= REPS; rep++)); do
  out="$t2dir/run.$rep"
  hold_and_migrate "$out" "$MG_K" s390x vh1 "$bin/snow/LINUX64/mg_par" "${mg_args[@]}"
  same_output "$mgdir/ref" "$out" "MG with a process moved s390x -> x86_64 (run $rep)"; match=$MATCH
  ok=$RUN_OK
  [ -n "$MIG_ROW" ] || ok=0
  # The master must have printed iteration MOVE_AFTER, and not the next, when the process was held.
  after=$(head -n "${HELD_AT:-0}" "$out" | grep -c "^iteration $MG_MOVE_AFTER:")
  beyond=$(head -n "${HELD_AT:-0}" "$out" | grep -c "^iteration $((MG_MOVE_AFTER + 1)):")
  [ "$after" = 1 ] && [ "$beyond" = 0 ] || [ $ok = 0 ] ||
    { failure "MG Table 2 run $rep: the process was not held after iteration $MG_MOVE_AFTER"; ok=0; }
  echo "t2 $rep $ok $match ${MIG_ROW:-- - - - - -}" >>"$runs"
  progress "  run $rep: $(echo "${MIG_ROW:-migration failed, the task carried on where it was}" | awk 'NF == 6 { printf "coordinate %s ms, collect %s ms, transfer %s ms, restore %s ms, total %s ms, %s bytes", $1, $2, $3, $4, $5, $6; next } { print }')$([ "$match" = 1 ] && echo ", output as the original's")"
done
"$SNOW" vm down --vm "$VM" >/dev/null 2>&1

# --------------------------------------------------------------- report
wall=$(elapsed "$started" "$(now)")
report() {  # report FORMAT (text, json or markdown)
  awk -v fmt="$1" -v reps="$REPS" -v quick="$quick" -v mg_n="$MG_N" -v mg_p="$MG_P" -v mg_iters="$MG_ITERS" \
    -v move_after="$MG_MOVE_AFTER" -v wall="$wall" -v migrations="$MIGRATIONS" -v migrated_ok="$MIGRATED_OK" \
    -v mismatches="$MISMATCHES" -v failures="$FAILURES" -v seed0_rows="$SEED0_ROWS" \
    -v when="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v machine="$(uname -m), $(nproc) CPUs" \
    -f "$(dirname "$0")/paper_report.awk" "$runs"
}
echo
report text
[ -z "$json" ] || report json >"$json" || failure "cannot write $json"
[ -z "$markdown" ] || report markdown >"$markdown" || failure "cannot write $markdown"
if [ $FAILURES -gt 0 ]; then
  echo "snow bench paper: $FAILURES failures:" >&2
  printf '%s' "$FAILED" | sed 's/^/  /' >&2
  exit 1
fi
exit 0
