#!/bin/sh
# Parallel kernel MG (test/workloads/mg_par.c, an ordinary PVM program:
# 8 processes, halo exchange with its neighbours) on a virtual machine of an
# x86_64, an i386 and an s390x host: one process is moved to a host of
# another architecture after iteration 2 while the others keep computing,
# along every ordered pair of architectures, and the program's whole output
# (every iteration's residual norm, printed with 17 digits) must equal that
# of the unmigrated pre-compiled run and of the plain-gcc build.
#
#  1. baseline: the plain-gcc build, unmigrated (its VM runs only orig/);
#  2. the snowcc build, unmigrated: same output; the runs with 0, 1 and 2
#     iterations count the migration points (SNOW_EXEC_COUNT) to place the
#     trigger a tenth of an iteration into iteration 3;
#  3. for each pair SRC:DST, the first task on SRC to reach that point is
#     held (SNOW_EXEC_TRIGGER); the master must have printed iteration 2
#     and not iteration 3 by then; `snow migrate` moves it to the DST host;
#     the output must equal the baseline.
# Takes ~30 s here.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch i386 s390x

BIN="$TOP_BUILDDIR/test/workloads-bin"
[ -x "$BIN/orig/LINUX64/mg_par" ] || skip "the workloads were not built (make check builds workloads-bin)"
[ ! -s "$BIN/failed" ] || fail "snowcc did not build: $(cat "$BIN/failed" | tr '\n' ' ') (logs in $BIN/log)"

# Limits (seconds), all here.
T_RUN=60       # a whole run of MG at the test size
T_TRIGGER=60   # until a task is held at the migration point
T_MIGRATE=60   # snow migrate

SIZE="32 8 4"  # grid 32^3, 8 processes, 4 iterations
PAIRS="x86_64:i386 i386:s390x s390x:x86_64 i386:x86_64 s390x:i386 x86_64:s390x"

host_of_arch() { "$SNOW" hosts --vm "$VM" | awk -v a="$1" 'NR > 1 && $2 == a { print $1; exit }'; }

# run OUT DIR ARGS...: the unmigrated program of DIR (orig or snow), output to OUT
run_mg() {
  out=$1 dir=$2
  shift 2
  timeout "$T_RUN" "$SNOW" run --vm "$VM" "$BIN/$dir/LINUX64/mg_par" "$@" >"$out" 2>"$out.err" ||
    { cat "$out" "$out.err" >&2; fail "mg_par ($dir) $* failed or took over ${T_RUN}s"; }
}

# 1. The plain-gcc baseline.
vm_up --hosts x86_64,i386,s390x --ep "$BIN/orig"
# shellcheck disable=SC2086
run_mg base orig $SIZE
cat base
grep -q "^final residual " base || fail "the plain-gcc build printed no final residual"
"$SNOW" vm down --vm "$VM" >/dev/null
trap - EXIT INT TERM

# 2. The snowcc build, unmigrated, and its migration points.
vm_up --hosts x86_64,i386,s390x --ep "$BIN/snow"
# shellcheck disable=SC2086
run_mg pre snow $SIZE
cmp -s base pre || { diff base pre >&2; fail "the pre-compiled build's output differs from the plain-gcc build's"; }
note "pre-compiled, unmigrated: same output as the plain-gcc build"
set -- $SIZE
for it in 0 1 2; do
  rm -f "count.$it"
  SNOW_EXEC_COUNT="$TEST_WORK/count.$it" PVM_EXPORT=SNOW_EXEC_COUNT run_mg "run.$it" snow "$1" "$2" "$it"
  [ -s "count.$it" ] || fail "no migration-point count from the run of $it iterations"
  sort -n "count.$it" | tail -1 >"count.$it.max"
done
c0=$(cat count.0.max) c1=$(cat count.1.max) c2=$(cat count.2.max)
per=$((c1 - c0))
[ $per -gt 10 ] && [ $((c2 - c1)) = $per ] || fail "migration points per iteration not constant: $c0 $c1 $c2"
K=$((c2 + per / 10))
note "migration points: $c0 before the first iteration, $per per iteration; the trigger is point $K"

# 3. One process migrated after iteration 2, along every pair.
ok=0
n=0
for pair in $PAIRS; do
  n=$((n + 1))
  src=${pair%:*} dst=${pair#*:}
  trig="$TEST_WORK/trigger.$n"
  out="mig.$n"
  SNOW_EXEC_TRIGGER="$K:$trig:$src:mg_par" PVM_EXPORT=SNOW_EXEC_TRIGGER \
    timeout "$T_RUN" "$SNOW" run --vm "$VM" "$BIN/snow/LINUX64/mg_par" $SIZE >"$out" 2>"$out.err" &
  pid=$!
  wait_for_file "$trig" "$T_TRIGGER" || { cat "$out" "$out.err" >&2; fail "$pair: no task on $src reached point $K"; }
  read -r tid arch <"$trig"
  tid=$(printf 't%x' "$tid")
  [ "$arch" = "$src" ] || fail "$pair: the held task $tid runs on $arch, not $src"
  grep -q "^iteration 2:" "$out" && ! grep -q "^iteration 3:" "$out" ||
    { cat "$out" >&2; fail "$pair: the master's output when $tid was held is not 'after iteration 2'"; }
  timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$tid" "$(host_of_arch "$dst")" >"$out.mig" 2>&1 ||
    { cat "$out.mig" >&2; wait_for_exit $pid "$T_RUN" || true; fail "$pair: snow migrate $tid failed"; }
  grep -q "($src) -> .* ($dst)" "$out.mig" || { cat "$out.mig" >&2; fail "$pair: $tid did not move $src -> $dst"; }
  rc=0
  wait_for_exit $pid "$T_RUN" || rc=$?
  [ $rc = 0 ] || { cat "$out" "$out.err" >&2; fail "$pair: the migrated run exited $rc"; }
  if cmp -s base "$out"; then
    ok=$((ok + 1))
    note "$pair: $tid moved after iteration 2 ($(grep -o 'total .*ms' "$out.mig" | tr -s ' ')); output equals the baseline"
  else
    diff base "$out" >&2 || true
    fail "$pair: the output after migrating $tid differs from the unmigrated run's"
  fi
done
note "ok: MG ($SIZE) unmigrated = plain gcc, and $ok of $n migrations ($PAIRS) gave the same output"
cd "$TOP_BUILDDIR/test" && rm -rf "$TEST_WORK"   # kept on failure, for its files
