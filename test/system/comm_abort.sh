#!/bin/bash
# A migration that cannot complete is aborted and the source carries on,
# losing no message (doc/design/comm-protocol.md, "Beyond the paper"):
#   * the initialized process dies right after the received-message list
#     arrived (init_exit_rml);
#   * it dies 1.5 s later, after peers have connected to it and sent it
#     messages: they keep copies and redeliver them to the source
#     (init_exit_late);
#   * the source itself fails while collecting its state (collect_fail).
# Faults are injected with comm_stress -F (libsnowpvm/comm/fault.h).
. "$TEST_LIB"
. "$(dirname "$0")/comm_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x,x86_64
for fault in init_exit_rml init_exit_late collect_fail; do
  note "--- $fault"
  start_stress $fault -p ring -n 3 -r 250 -b 3 -d 10000 -F $fault -H vh1,vh2,vh4
  tasks=($(cut -d' ' -f1 "$WORK/$fault/tasks"))
  for i in 0 1 2; do
    t=${tasks[$i]}; to=$( [ $i = 1 ] && echo vh3 || echo vh2 )
    if "$SNOW" migrate --vm "$VM" "$t" "$to" > "$WORK/err" 2>&1; then
      cat "$WORK/err"; fail "$t migrated although $fault was injected"
    fi
    cat "$WORK/err"
    grep -q "was not migrated to $to" "$WORK/err" || fail "unclear report of the aborted migration"
    h=$(host_of "$t")
    [ -n "$h" ] && [ "$h" != "$to" ] || fail "$t is not running where it was ($h)"
  done
  check_workload $fault --bound-seconds 180
done
grep -h "outcome=failed" /run/snow/"$VM"/journal | head -3
[ "$(grep -c "outcome=failed" /run/snow/"$VM"/journal)" -ge 9 ] || fail "the journal lacks the aborted migrations"
n=$(task_logs | sed -n 's/.*redelivery: from=.* messages=\([0-9]*\).*/\1/p' | awk '{ s += $1 } END { print s + 0 }')
note "messages redelivered to sources after aborts: $n"
[ "$n" -ge 1 ] || fail "no peer had to redeliver copies (the init_exit_late case was not exercised)"
rm -rf "$WORK"
note "ok"
