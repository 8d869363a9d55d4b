#!/bin/bash
# The stress test's checker must be able to fail: run the ring with one
# pair of deliveries swapped inside the runtime (SNOW_FAULT=swap_delivery,
# via comm_stress -F) and a few migrations, and require that
# test/checker rejects the run as out of order.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/comm_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x
start_stress swapped -p ring -n 3 -r 100 -b 3 -d 10000 -F swap_delivery -H vh1,vh2,vh3
for t in $(cut -d' ' -f1 "$WORK/swapped/tasks"); do
  "$SNOW" migrate --vm "$VM" "$t" "$( [ "$(host_of "$t")" = vh1 ] && echo vh3 || echo vh1 )" | head -1
done
wait_until 180 "the workload" test -f "$WORK/swapped/rc"
if "$CHECK_TRACE" --bound-seconds 180 "$WORK/swapped" > "$WORK/check"; then
  cat "$WORK/check"; fail "the checker accepted a run with swapped deliveries"
fi
cat "$WORK/check"
grep -q "out of order" "$WORK/check" || fail "the checker failed, but not for the order"
rm -rf "$WORK"
note "ok: the checker caught the injected reordering"
