#!/bin/bash
# `snow bench migrate --quick` runs end to end -- its own virtual machine
# (two x86_64 hosts and an s390x host under qemu-user), the workload
# (snow/bench/migrate_state.c) built with snowcc, held at its migration point
# with 1 KB and 8 MiB of state and moved by real `snow migrate` to the other
# x86_64 host and to the s390x host, plain TCP of the same bytes between the
# same hosts -- and writes a JSON report.  It fails unless all four
# migrations committed and every moved state verified byte for byte on its
# destination, and every row has its figures: the breakdown, the wall time
# of snow migrate, the plain TCP time and the memory of both sides.  (The
# figures are measured, not judged: speed is the benchmark's business.)
# Run with SNOW_FAULT=collect_fail PVM_EXPORT=SNOW_FAULT (every state
# collection is refused) it fails: 0 of 4 migrations commit.
# ~30 s here.
. "$TEST_LIB"
need_netns
need_arch s390x

json="$TEST_WORK/migrate.json"
started=$(date +%s)
rc=0
"$SNOW" bench migrate --quick --json "$json" >out 2>err || rc=$?
cat out
[ $rc = 0 ] || { cat err >&2; fail "snow bench migrate --quick exited $rc"; }
[ -s "$json" ] || fail "no JSON report"

# A value for KEY in the JSON text of stdin (the Nth occurrence).
value() { grep -o "\"$1\": [^,}]*" | sed -n "${2:-1}p" | sed 's/.*: //'; }
[ "$(value failures <"$json")" = 0 ] || fail "the benchmark reports $(value failures <"$json") failures"
tried=$(value migrations <"$json") ok=$(value migrations_ok <"$json") verified=$(value verified <"$json")
[ "$tried" = 4 ] || fail "the benchmark tried $tried migrations, not 4 (1 KB and 8 MiB, each to x86_64 and s390x)"
[ "$ok" = 4 ] || fail "$ok of $tried migrations committed"
[ "$verified" = 4 ] || fail "$verified of $tried states verified"

rows=$(grep '"size": ' "$json")
[ "$(echo "$rows" | wc -l)" = 4 ] || fail "not 4 rows in the JSON report"
for want in '"size": 1024, .*"move": "x86_64->x86_64"' '"size": 1024, .*"move": "x86_64->s390x"' \
    '"size": 8388608, .*"move": "x86_64->x86_64"' '"size": 8388608, .*"move": "x86_64->s390x"'; do
  echo "$rows" | grep -q "$want" || fail "no row $want"
done
[ "$(echo "$rows" | grep -c '"outcome": "committed", "tried": 1, "committed": 1')" = 4 ] ||
  fail "not every row says its migration committed: $(echo "$rows" | grep -v '"outcome": "committed"' | head -1)"
for key in state_bytes coord_ms collect_ms xfer_ms restore_ms total_ms snow_migrate_wall_ms tcp_ms \
    src_rss_kb src_extra_kb dst_hwm_kb dst_extra_kb; do
  [ "$(echo "$rows" | grep -c "\"$key\": [0-9]")" = 4 ] || fail "$key is missing from a row"
done
# The state snow migrate reports holds at least the array.
for size in 1024 8388608; do
  for b in $(echo "$rows" | grep "\"size\": $size," | value state_bytes 1) $(echo "$rows" | grep "\"size\": $size," | value state_bytes 2); do
    [ "$b" -ge "$size" ] || fail "a state of $b bytes was reported for an array of $size"
  done
done
grep -q '^4 migrations tried, 4 committed, 4 states verified on their destination, 0 not migrated .*, 0 failures' out || fail "the summary line is not as expected"
note "PASS: snow bench migrate --quick: $ok of $tried migrations committed, $verified states verified on their destinations, every row with its figures ($(( $(date +%s) - started )) s)"
