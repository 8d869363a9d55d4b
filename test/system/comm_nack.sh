#!/bin/bash
# Every conn_nack path of the protocol (issue 3), each shown both by what
# the program sees and by the extension that answered:
#   * the target has exited: snow_send returns SnowTerminated, also when
#     the request was pending at the target when it exited;
#   * the target is migrating: the request is refused, the sender asks the
#     scheduler and reaches the initialized process; nothing is lost;
#   * the target has migrated away: a peer that still knows its old tid (the
#     first process, which stays as the home agent of doc/plain-peers.md) is
#     refused there and finds it through the scheduler;
#   * the target's host was deleted: the requester's extension refuses the
#     pending request, and later requests are refused at once.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/comm_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x,x86_64,i386   # vh1..vh5

note "--- the target has exited"
run_scenario exited vh1,vh2
finish_scenario exited
quit=$(task exited quit); linger=$(task exited linger)
ext_logs | grep -q "conn_nack: to=.* target=$quit .*reason=exited by=ext" ||
  fail "no extension answered conn_nack(exited) for $quit"
ext_logs | grep -q "task-exit: tid=$linger pending=1" ||
  fail "the request pending at $linger when it exited was not refused by its extension"

note "--- the target is migrating, then has migrated away"
run_scenario hub vh1,vh2,vh3,vh4
wait_until 60 "the hub scenario to be ready" test -f "$WORK/hub/ready"
hub=$(task hub hub); sender=$(task hub sender); late=$(task hub late)
"$SNOW" migrate --vm "$VM" "$hub" vh5 | tee "$WORK/hub/migrate" || fail "the hub did not migrate"
touch "$WORK/hub/acted"
finish_scenario hub
new=$(sed -n 's/.*now \(t[0-9a-f]*\) .*/\1/p' "$WORK/hub/migrate")
grep -q "conn_nack: to=$hub vtid=$hub reason=migrating" /run/snow/"$VM"/log/task-"$sender".log ||
  fail "the sender was never refused by the migrating hub"
grep -q "locate: vtid=$hub migrating at=$new" /run/snow/"$VM"/log/task-"$sender".log ||
  fail "the sender did not learn where the hub was going"
grep -q "location: vtid=$hub final at=$new" /run/snow/"$VM"/log/task-"$sender".log ||
  fail "the sender was not told that the hub's new process is final"
grep -q "conn_nack: to=$hub vtid=$hub reason=migrating" /run/snow/"$VM"/log/task-"$late".log ||
  fail "the late peer was not refused at the hub's old tid"
grep -q "locate: vtid=$hub running at=$new" /run/snow/"$VM"/log/task-"$late".log ||
  fail "the late peer did not find the hub through the scheduler"

note "--- the target's host was deleted"
run_scenario hostgone vh1,vh3
wait_until 60 "the request to be pending" test -f "$WORK/hostgone/ready"
deaf=$(task hostgone deaf)
wait_until 30 "the request to reach vh3" sh -c "grep -q 'conn_req: from=.* to=$deaf' /run/snow/$VM/log/ext-vh3.log"
echo "delete vh3" | "$SNOW" console --vm "$VM" > "$WORK/hostgone/console" 2>&1
finish_scenario hostgone
grep -q "host-delete: host=.* pending=1" /run/snow/"$VM"/log/ext-vh1.log ||
  fail "vh1's extension did not refuse the request pending at the deleted host"
grep -q "conn_nack: to=.* target=$deaf .*reason=host-gone by=ext" /run/snow/"$VM"/log/ext-vh1.log ||
  fail "no conn_nack(host-gone) from vh1's extension"
rm -rf "$WORK"
note "ok"
