#!/bin/bash
# Protocol stress test (issue 3): ring, all-to-all and master/worker
# workloads of sequence-numbered messages, plus a bulk stream of large
# messages, while at least 200 migrations hit their processes at random
# moments over x86_64, i386 and s390x hosts:
#   * simultaneous migrations of a sender and its receiver (ring neighbours);
#   * migrations of processes blocked in snow_recv;
#   * migrations of a slow receiver whose peer is blocked sending 1 MiB
#     messages to it (x86_64 hosts: qemu would make this test too slow);
#   * one process cycled again and again over x86_64, i386 and s390x.
# test/checker then proves exactly-once, per-pair FIFO, integrity and
# completion within a bound from the processes' traces, and shows from the
# scheduler's journal that the scenarios really overlapped.
# SNOW_STRESS_MIGRATIONS overrides the target (default 200).
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/comm_lib.sh"
need_netns
need_arch i386 s390x

TARGET=${SNOW_STRESS_MIGRATIONS:-200}
BOUND=420
note "seed $SEED, target $TARGET migrations"
vm_up --hosts x86_64,x86_64,i386,s390x   # vh1 vh2 x86_64, vh3 i386, vh4 s390x
ALL_HOSTS="vh1 vh2 vh3 vh4"
arch_of() { case $1 in vh1|vh2) echo x86_64;; vh3) echo i386;; vh4) echo s390x;; esac; }

RESULTS="$WORK/migrations"
: > "$RESULTS"
MIGPIDS=()
migrate_bg() {  # vtid host
  ( out=$("$SNOW" migrate --vm "$VM" --timeout 300 "$1" "$2" 2>&1 | head -1)
    echo "$1 $2 $out" >> "$RESULTS" ) &
  MIGPIDS+=($!)
}
count_ok() { grep -c " migrated t" "$RESULTS" || true; }
inflight() {
  local alive=() p
  for p in "${MIGPIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
  MIGPIDS=("${alive[@]}")
  echo ${#MIGPIDS[@]}
}

phase=0
ok=0
while [ "$ok" -lt "$TARGET" ]; do
  phase=$((phase + 1))
  # Usually 4 rounds; a loaded machine migrates less per round.
  [ $phase -le 7 ] || fail "only $ok migrations after $((phase - 1)) workload rounds"
  P="p$phase"
  start_stress $P-ring -p ring -n 4 -r 1500 -b 3 -d 3000 -H vh1,vh2,vh3,vh4
  start_stress $P-all -p all -n 4 -r 1000 -d 3000 -H vh4,vh3,vh2,vh1
  start_stress $P-mw -p mw -n 5 -r 1000 -d 2000 -H vh1,vh3,vh4,vh2
  start_stress $P-bulk -p bulk -n 2 -r 150 -s 1048576 -d 60000 -H vh1,vh2
  ring=($(cut -d' ' -f1 "$WORK/$P-ring/tasks"))
  bulk_rx=$(sed -n 2p "$WORK/$P-bulk/tasks" | cut -d' ' -f1)
  pool=($(cat "$WORK/$P-ring/tasks" "$WORK/$P-all/tasks" "$WORK/$P-mw/tasks" | cut -d' ' -f1))
  cycler=${ring[0]}
  cycle=(vh3 vh4 vh1 vh3 vh4 vh2)
  ci=0
  first=1
  while running $P-ring || running $P-all || running $P-mw; do
    ok=$(count_ok)
    [ "$ok" -lt "$TARGET" ] || break
    # A random moment: after a random amount of progress of the workloads.
    rnd 40
    want=$(( $(cat "$WORK"/$P-*/*.trace 2>/dev/null | wc -l) + R ))
    wait_until 120 "workload progress" sh -c "[ \$(cat '$WORK'/$P-*/*.trace | wc -l) -ge $want ] || [ -f '$WORK/$P-ring/rc' ]"
    until [ "$(inflight)" -lt 6 ]; do wait -n "${MIGPIDS[@]}" 2>/dev/null || true; done
    rnd 100
    [ $first = 0 ] || R=15   # each round starts with the bulk receiver
    first=0
    if [ $R -lt 12 ]; then                     # sender and receiver at once
      rnd 4; a=${ring[$R]}; b=${ring[$(( (R + 1) % 4 ))]}
      for t in $a $b; do
        h=$(host_of "$t"); [ -n "$h" ] || continue
        rnd 4; set -- $ALL_HOSTS; to=$(eval echo \${$((R + 1))})
        [ "$to" != "$h" ] || to=$( [ "$h" = vh1 ] && echo vh4 || echo vh1 )
        migrate_bg "$t" "$to"
      done
    elif [ $R -lt 24 ] && running $P-bulk; then  # the slow receiver of 1 MiB messages
      h=$(host_of "$bulk_rx")
      [ -z "$h" ] || migrate_bg "$bulk_rx" "$( [ "$h" = vh1 ] && echo vh2 || echo vh1 )"
    elif [ $R -lt 40 ]; then                   # round and round the architectures
      h=$(host_of "$cycler"); to=${cycle[$((ci % 6))]}; ci=$((ci + 1))
      [ -z "$h" ] || [ "$h" = "$to" ] || migrate_bg "$cycler" "$to"
    else                                       # anyone, anywhere
      rnd ${#pool[@]}; t=${pool[$R]}
      h=$(host_of "$t")
      if [ -n "$h" ]; then
        rnd 4; set -- $ALL_HOSTS; to=$(eval echo \${$((R + 1))})
        [ "$to" = "$h" ] || migrate_bg "$t" "$to"
      fi
    fi
  done
  for p in "${MIGPIDS[@]}"; do wait "$p" || true; done
  MIGPIDS=()
  cp /run/snow/"$VM"/journal "$WORK/journal"
  for w in ring all mw bulk; do
    check_workload $P-$w --bound-seconds $BOUND --journal "$WORK/journal"
  done
  ok=$(count_ok)
  note "after round $phase: $ok migrations"
done

# Every migration either succeeded or was refused for a reason that is
# not an error of the protocol (the task finished, or was busy migrating).
bad=$(grep -v " migrated t" "$RESULTS" |
      grep -v -e "is already migrating" -e "has exited" -e "is already on" -e "the migrating task .* exited" || true)
[ -z "$bad" ] || fail "migrations failed: $bad"
note "$ok migrations succeeded ($(grep -vc " migrated t" "$RESULTS" || true) refused for benign reasons)"

# The scenarios really happened.
blocked_recv=$(task_logs | grep -c "while blocked in snow_recv" || true)
note "migrations serviced inside a blocked snow_recv: $blocked_recv"
[ "$blocked_recv" -ge 10 ] || fail "too few migrations of processes blocked in snow_recv ($blocked_recv)"
pairs=$(cat "$WORK"/p*-*/check | awk -F': ' '/simultaneous-pair-migrations/ { s += $3 } END { print s + 0 }')
note "simultaneous migrations of communicating pairs: $pairs"
[ "$pairs" -ge 3 ] || fail "too few simultaneous sender/receiver migrations ($pairs)"
blocked=$(cat "$WORK"/p*-bulk/check | awk -F': ' '/blocked-sends/ { s += $3 } END { print s + 0 }')
note "sends blocked while their receiver migrated: $blocked"
[ "$blocked" -ge 1 ] || fail "no migration happened while its peer was blocked sending to it"
cycled=$(awk '$3 == "migrated" { print $1, $2 }' "$RESULTS" | sort | uniq -c |
         awk '{ n[$2] += $1; a[$2, $3] = 1 } END { for (t in n) if (a[t, "vh3"] && a[t, "vh4"] && (a[t, "vh1"] || a[t, "vh2"]) && n[t] >= 6) c++; print c + 0 }')
note "processes moved at least 6 times over all three architectures: $cycled"
[ "$cycled" -ge 1 ] || fail "no process was migrated repeatedly across x86_64, i386 and s390x"
errors=$(task_logs | grep -e "late-data" -e "malformed" -e "unexpected-control" || true)
[ -z "$errors" ] || fail "protocol errors in the task logs: $errors"
rm -rf "$WORK"
note "ok"
