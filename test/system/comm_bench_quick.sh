#!/bin/bash
# `snow bench comm --quick` runs end to end on a real two-host virtual
# machine and writes a JSON report with every figure it promises.  (The
# figures themselves are measured, not judged: speed is the benchmark's
# business, not a test's.)
. "$(dirname "$0")/lib.sh"
need_netns
json=$(mktemp /tmp/snow-bench-comm.XXXXXX.json)
trap 'rm -f "$json"' EXIT
"$SNOW" bench comm --quick --json "$json" || fail "snow bench comm failed"
for key in pingpong coordination_vs_peers coordination_vs_processes; do
  grep -q "\"$key\"" "$json" || fail "JSON report lacks $key"
done
echo "PASS: snow bench comm --quick wrote $(wc -c <"$json") bytes of JSON"
