#!/bin/bash
# No residual dependency (issue 3, seed 001 Sec. 7): processes leave host
# vh2, vh2 is deleted from the virtual machine, and the processes and their
# peers keep working:
#   * a ring worker that left vh2 keeps exchanging messages and migrates
#     again;
#   * a peer that still knows a process only by its old tid on vh2 is
#     refused by its own extension (the host is gone) and finds the process
#     through the scheduler.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/comm_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,x86_64,s390x   # vh2 (i386) will be deleted
start_stress ring -p ring -n 3 -r 400 -b 2 -d 20000 -H vh1,vh2,vh3
w=$(awk '$2 == "vh2" { print $1 }' "$WORK/ring/tasks")
run_scenario hub vh1,vh2,vh3,vh4        # the hub starts on vh2, the late peer on vh4
wait_until 60 "the hub scenario to be ready" test -f "$WORK/hub/ready"
hub=$(task hub hub); late=$(task hub late)
"$SNOW" migrate --vm "$VM" "$w" vh4 || fail "the ring worker did not leave vh2"
"$SNOW" migrate --vm "$VM" "$hub" vh3 | tee "$WORK/hub/migrate" || fail "the hub did not leave vh2"
new=$(sed -n 's/.*now \(t[0-9a-f]*\) .*/\1/p' "$WORK/hub/migrate")

echo "delete vh2" | "$SNOW" console --vm "$VM" > "$WORK/console" 2>&1
wait_until 30 "vh2 to leave the virtual machine" sh -c "! '$SNOW' hosts --vm '$VM' | grep -q '^vh2 '"
"$SNOW" hosts --vm "$VM"
touch "$WORK/hub/acted"   # now the late peer sends to the hub's old tid on vh2
finish_scenario hub
task_log "$late" | grep -q "conn_nack: to=$hub vtid=$hub reason=host-gone" ||
  fail "the late peer was not refused for the hub's deleted host"
task_log "$late" | grep -q "locate: vtid=$hub running at=$new" ||
  fail "the late peer did not find the hub through the scheduler"

"$SNOW" migrate --vm "$VM" "$w" vh3 || fail "the worker cannot migrate again after vh2 left"
check_workload ring --bound-seconds 120
task_logs | grep -e "late-data" -e "still waiting for conn_ack" && fail "protocol trouble after the host left"
rm -rf "$WORK"
note "ok"
