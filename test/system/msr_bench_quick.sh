#!/bin/sh
# `snow bench state --quick`: every workload and direction runs (the
# foreign halves under qemu-user), every restored state verifies, and the
# JSON holds the rows with their memcpy/TCP baselines.  Small sizes: this
# checks the benchmark works, it measures nothing worth quoting.
. "$TEST_LIB"
need_arch i386 s390x
work=$(mktemp -d "${TMPDIR:-/tmp}/msr_bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
"$SNOW" bench state --quick --json "$work/b.json" --tmpdir "$work" >"$work/out" 2>&1 ||
  { cat "$work/out"; fail "snow bench state --quick failed"; }
cat "$work/out"
for w in array-64KiB array-1MiB tree-20000; do
  for d in x86_64-\>x86_64 x86_64-\>i386 i386-\>x86_64 x86_64-\>s390x s390x-\>x86_64; do
    grep -Eq "^$w +$d .* verified" "$work/out" || fail "no verified row for $w $d"
  done
done
! grep -q WRONG "$work/out" || fail "a restored state did not verify"
n=$(grep -o '"verified": true' "$work/b.json" | wc -l)
[ "$n" -eq 17 ] || fail "the JSON has $n verified results, expected 15 rows and 2 XDR results"
grep -q '"memcpy_s": [0-9]' "$work/b.json" || fail "no memcpy baseline in the JSON"
grep -q '"tcp_copy_s": [0-9]' "$work/b.json" || fail "no TCP baseline in the JSON"
grep -q '"snow_malloc_free_ns": [0-9]' "$work/b.json" || fail "no registration cost in the JSON"
note "ok"
