#!/bin/sh
# Typed data around a ring over x86_64, i386 and s390x hosts: every value is
# checked at every hop (test/programs/smoke_ring.c).
. "$TEST_LIB"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x
conf=$(echo conf | "$SNOW" console --vm "$VM")
echo "$conf"
echo "$conf" | grep -q "3 hosts, 3 data formats" || fail "the console's conf does not show 3 data formats"
timeout 240 "$SNOW" run --vm "$VM" "$TOP_BUILDDIR/test/programs/smoke_ring" 3 >out 2>&1 || { cat out; fail "ring failed"; }
cat out
grep -q "every value correct at every hop" out || fail "ring did not confirm its values"
rm -f out
note "ok"
