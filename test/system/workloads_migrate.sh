#!/bin/sh
# The workloads of seed 000 Table 1 -- linpack (dense LU with partial
# pivoting, solve, normalised residual) and bitonic sort (recursive, on a
# heap-allocated tree) from test/workloads/, ordinary C programs built with
# plain snowcc for x86_64, i386 and s390x -- migrate mid-run and print what
# their plain-gcc builds print without migration.
#
# On one virtual machine of an x86_64, an i386 and an s390x host:
#  1. at the small sizes (linpack 200: ~325 KB of state; bitonic 1024 values:
#     ~47 KB of tree), each program's plain-gcc build and its snowcc build run
#     unmigrated on x86_64 (same output; the latter counts its migration
#     points, SNOW_EXEC_COUNT); then the snowcc build is held at a random
#     one of them on SRC (SNOW_EXEC_TRIGGER) and moved there by a real
#     `snow migrate` to DST, for all six ordered pairs of architectures:
#     its stdout and exit status must equal the plain-gcc build's;
#  2. at the paper's large sizes (linpack 1000: ~8 MB; bitonic 4096 values:
#     ~190 KB), the same once each along x86_64 -> s390x.
# A refused or failed migration is a failure; the held task is then released
# and must carry on (the failure line says whether it did).  The last line
# counts what passed per pair and size.  ~1.5 min here when all pass; each
# step is bounded by the limits below.  WORKLOADS_ONLY="linpack" restricts
# the programs; WORKLOADS_SEED=N fixes the random migration points.
# It fails when a migration does not complete: e.g. run with
# SNOW_FAULT=collect_fail PVM_EXPORT=SNOW_FAULT (each state collection is
# refused; the tasks carry on unmigrated) it reports 0 of 14 and exits 1.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x

CORPUS_BIN="$TOP_BUILDDIR/test/workloads-bin"
for p in linpack bitonic; do
  [ -x "$CORPUS_BIN/orig/LINUX64/$p" ] || skip "the workloads were not built (make check builds them: workloads-bin)"
done

# Limits (seconds), all here.
T_TRIGGER=60    # until the task is held at its migration point
T_MIGRATE=60    # snow migrate
T_RUN=90        # a migrated run (linpack 1000 finishing on s390x: ~15 s)
T_PLAIN=60      # an unmigrated run on x86_64
T_RELEASE=60    # a task released after a failed request, to finish

PAIRS="x86_64:i386 i386:s390x s390x:x86_64 i386:x86_64 s390x:i386 x86_64:s390x"
LARGE_PAIRS="x86_64:s390x"
PROGRAMS=${WORKLOADS_ONLY:-linpack bitonic}
[ -z "${WORKLOADS_SEED:-}" ] || PRECOMP_SEED=$WORKLOADS_SEED

top="${TEST_WORK:-$TOP_BUILDDIR/test/tmp/$TEST_NAME.$$}"
mkdir -p "$top"
note "work directory $top"

SIZE=small
args_of() {
  case $SIZE:$1 in
    small:linpack) echo 200;;
    large:linpack) echo 1000;;
    small:bitonic) echo 1024 3;;
    large:bitonic) echo 4096 10;;
    *) fail "no $SIZE size for $1";;
  esac
}
max_point() { cat "$work/count.$1"; }
. "$(dirname "$TEST_LIB")/migrate_lib.sh"

# run_size SIZE PAIRS: baselines, then one migration per pair, of every
# program at SIZE; its per-pair counts are left in $PAIR_COUNT.
run_size() {
  SIZE=$1
  work="$top/$1"
  mkdir -p "$work"
  PAIR_COUNT=""
  for p in $PROGRAMS; do
    note "=== $p $(args_of "$p")"
    run_plain "$p" "$CORPUS_BIN/orig" "$work/base.$p" || continue
    if [ "$(cat "$work/base.$p.rc")" != 0 ]; then
      failure "$p" "the plain-gcc build exited $(cat "$work/base.$p.rc") ($work/base.$p.out)"
      continue
    fi
    if ! snow_built "$p"; then
      failure "$p" "snowcc did not build it for every architecture ($CORPUS_BIN/log/*/$p.snow.log)"
      continue
    fi
    run_plain "$p" "$CORPUS_BIN/snow" "$work/pre.$p" "SNOW_EXEC_COUNT=$work/count.$p" || continue
    same_as_baseline "$p" "$work/pre.$p" "pre-compiled, unmigrated" || continue
    [ -s "$work/count.$p" ] && [ "$(cat "$work/count.$p")" -gt 0 ] ||
      { failure "$p" "it passed no migration point (SNOW_EXEC_COUNT: '$(cat "$work/count.$p" 2>/dev/null)')"; continue; }
    m=0
    for pair in $2; do
      m=$((m + 1))
      migrate_run "$p" "${pair%:*}" "${pair#*:}" $m
      [ ! -s "$run.migrate" ] || sed "s/^/[$TEST_NAME]   /" "$run.migrate"
    done
  done
}

started=$(date +%s)
vm_up --hosts x86_64,i386,s390x --ep "$CORPUS_BIN/snow"
run_size small "$PAIRS"
SMALL_PAIRS=$PAIR_COUNT
run_size large "$LARGE_PAIRS"
LARGE_PAIRS_COUNT=$PAIR_COUNT

# What `snow history` keeps of these migrations (the timings doc/benchmarks.md describes).
"$SNOW" history --vm "$VM" >"$top/history" 2>&1 || failure history "snow history failed: $(tail -1 "$top/history")"
sed "s/^/[$TEST_NAME] history: /" "$top/history"
recorded=$(grep -c ' ok$' "$top/history" || true)
[ "$recorded" = "$MIGRATED_OK" ] ||
  failure history "snow history lists $recorded successful migrations, the test saw $MIGRATED_OK"

pairs_line() { for e in $1; do printf '%s %s, ' "${e%=*}" "${e#*=}"; done | sed 's/, $//'; }
note "took $(( $(date +%s) - started )) s"
note "workloads ($(echo $PROGRAMS)): $MIGRATED_OK of $MIGRATIONS migrations passed (passed/tried, small sizes: $(pairs_line "$SMALL_PAIRS"); large sizes: $(pairs_line "$LARGE_PAIRS_COUNT")), $FAILURES failures"
if [ $FAILURES -gt 0 ] || [ $MIGRATIONS = 0 ]; then
  echo "[$TEST_NAME] failures:$FAILED" >&2
  note "files kept in $top"
  exit 1
fi
rm -rf "$top"
note "ok"
