#!/bin/bash
# The operator's view (issue 3): `migrate TASK HOST` in the stock pvm
# console (through the .pvmrc alias the project installs), `snow ps` with
# virtual tid, current tid, host, architecture and state, and
# `snow history` with the outcome and time breakdown of every migration.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/comm_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x
start_stress ring -p ring -n 3 -r 300 -b 2 -d 20000 -H vh1,vh2,vh3
w=$(sed -n 2p "$WORK/ring/tasks" | cut -d' ' -f1)   # on vh2 (i386)
"$SNOW" ps --vm "$VM" | tee "$WORK/ps1"
grep -q "^$w *$w *vh2 *i386 *running" "$WORK/ps1" || fail "snow ps does not show $w running on vh2 (i386)"

{ echo "migrate $w vh3"
  wait_until 120 "$w to arrive on vh3" sh -c "'$SNOW' ps --vm '$VM' | grep -q '^$w .* vh3 *s390x *running'"
  echo "quit"
} | timeout 150 "$SNOW" console --vm "$VM" > "$WORK/console" 2>&1
cat "$WORK/console"
grep -q "migrated $w: vh2 (i386) -> vh3 (s390x)" "$WORK/console" || fail "the console's migrate did not report the migration"
grep -q "coordination .*collection\|collection" "$WORK/console" || fail "no time breakdown in the console"

"$SNOW" ps --vm "$VM" | tee "$WORK/ps2"
new=$(awk -v t="$w" '$1 == t { print $2 }' "$WORK/ps2")
[ "$new" != "$w" ] || fail "snow ps still shows the old tid"
grep -q "^$w *$new *vh3 *s390x *running *1 " "$WORK/ps2" || fail "snow ps does not show the migrated task right"
"$SNOW" history --vm "$VM" | tee "$WORK/history"
grep -q "^ *1 $w *vh2 *vh3 .* ok$" "$WORK/history" || fail "snow history does not list the migration"
check_workload ring --bound-seconds 120
rm -rf "$WORK"
note "ok"
