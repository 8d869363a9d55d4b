#!/bin/sh
# The smoke ring must fail when one hop damages one value: this is what
# shows that its checks can fail at all.  One VM, one damaged hop per
# architecture of sender.
. "$TEST_LIB"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x
for hop in 1 2 3; do
  # PVM_EXPORT carries the variable to the workers pvmd spawns.
  if timeout 240 "$SNOW" run --vm "$VM" env SMOKE_CORRUPT_HOP=$hop PVM_EXPORT=SMOKE_CORRUPT_HOP \
       "$TOP_BUILDDIR/test/programs/smoke_ring" 1 >out 2>&1; then
    cat out
    fail "a damaged value at hop $hop went unnoticed"
  fi
  grep -q "FAILED: 1 bad hop" out || { cat out; fail "hop $hop: wrong failure report"; }
  grep -q "hop $hop checked on" out || { cat out; fail "hop $hop: failure not located"; }
  note "hop $hop damage detected: $(grep FAILED out)"
done
rm -f out
note "ok"
