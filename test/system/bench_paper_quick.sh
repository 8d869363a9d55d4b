#!/bin/bash
# `snow bench paper --quick` runs end to end -- its own virtual machines
# (two x86_64 hosts; two x86_64 and an s390x host under qemu-user), linpack,
# bitonic and parallel MG built from test/workloads/, held mid-run and moved
# by real `snow migrate` -- and writes a JSON report with the three tables
# (seed 000 Table 1, seed 001 Tables 1 and 2) and a markdown report.  It
# fails when the benchmark reports a failure: a migration that did not
# complete, a run whose output differs from the unmigrated plain-gcc build's,
# or a figure missing from a table.  (The figures themselves are measured,
# not judged: speed is the benchmark's business, not a test's.)  Run with
# SNOW_FAULT=collect_fail PVM_EXPORT=SNOW_FAULT (every state collection is
# refused) it fails: the benchmark reports 0 completed migrations.
# ~40 s here.
. "$TEST_LIB"
need_netns
need_arch s390x

json="$TEST_WORK/paper.json"
md="$TEST_WORK/paper.md"
started=$(date +%s)
rc=0
"$SNOW" bench paper --quick --json "$json" --markdown "$md" >out 2>err || rc=$?
cat out
[ $rc = 0 ] || { cat err >&2; fail "snow bench paper --quick exited $rc"; }
[ -s "$json" ] || fail "no JSON report"
[ -s "$md" ] || fail "no markdown report"

# A number (not null) for KEY in the JSON text of stdin, the Nth occurrence.
value() { grep -o "\"$1\": [^,}]*" | sed -n "${2:-1}p" | sed 's/.*: //'; }
for key in seed000_table1 seed001_table1 seed001_table2; do
  grep -q "\"$key\"" "$json" || fail "the JSON report lacks $key"
done
[ "$(value outputs_matched <"$json")" = true ] || fail "the JSON report says the outputs did not all match"
[ "$(value failures <"$json")" = 0 ] || fail "the benchmark reports $(value failures <"$json") failures"
[ "$(value output_mismatches <"$json")" = 0 ] || fail "the benchmark reports output mismatches"
tried=$(value migrations <"$json") ok=$(value migrations_ok <"$json")
[ -n "$tried" ] && [ "$tried" -gt 0 ] && [ "$ok" = "$tried" ] || fail "$ok of $tried migrations completed"

# Every table has its figures: 4 programs x 2 moves of seed 000 Table 1,
# the 3 variants of seed 001 Table 1, the breakdown of Table 2.
t0=$(sed -n '/"seed000_table1"/,/"seed001_table1"/p' "$json")
moves=$(echo "$t0" | grep -o '"\(homogeneous\|heterogeneous\)": {[^}]*}')
[ "$(echo "$moves" | wc -l)" = 8 ] || fail "seed 000 Table 1: not 8 moves (4 programs, homogeneous and heterogeneous)"
for key in state_bytes scan tx restore total; do
  [ "$(echo "$moves" | grep -c "\"$key\": [0-9]")" = 8 ] || fail "seed 000 Table 1: $key is missing from a move"
done
t1=$(sed -n '/"seed001_table1"/,/"seed001_table2"/p' "$json")
[ "$(echo "$t1" | grep -o '"execution": [0-9]' | wc -l)" = 3 ] || fail "seed 001 Table 1: not 3 execution times"
[ "$(echo "$t1" | grep -o '"communication": [0-9]' | wc -l)" = 3 ] || fail "seed 001 Table 1: not 3 communication times"
t2=$(grep '"seed001_table2"' "$json")   # its measured line; the paper's figures follow
for key in coordinate collect transfer restore total state_bytes; do
  echo "$t2" | grep -q "\"$key\": [0-9]" || fail "seed 001 Table 2: no $key"
done
for h in "Seed 000 Table 1" "Seed 001 Table 1" "Seed 001 Table 2"; do
  grep -q "^## $h" "$md" || fail "the markdown report lacks '$h'"
done
note "PASS: snow bench paper --quick: $ok of $tried migrations completed, every output as the original's, three tables in JSON and markdown ($(( $(date +%s) - started )) s)"
