#!/bin/sh
# snow vm up / hosts / down on a heterogeneous VM leaves nothing behind,
# including after a crash, and down is harmless when repeated.
. "$TEST_LIB"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x,s390x
out=$("$SNOW" hosts --vm "$VM")
echo "$out"
echo "$out" | grep -q "^vh1 *x86_64 *LINUX64 *0x00408c41" || fail "vh1 is not an x86_64 LINUX64 host"
echo "$out" | grep -q "^vh2 *i386 *LINUX " || fail "vh2 is not an i386 host"
echo "$out" | grep -q "^vh3 *s390x *LINUXS390 *0x0658ef59" || fail "vh3 is not a big-endian s390x host"
echo "$out" | grep -q "^vh4 *s390x" || fail "repeated architectures do not give a 4th host"
echo "$out" | grep -q "4 hosts, 3 data formats" || fail "expected 4 hosts with 3 data formats"

# Each host has its own hostname and its own /tmp.
[ "$("$SNOW" run --vm "$VM" --host vh3 hostname)" = vh3 ] || fail "vh3 does not see its own hostname"
"$SNOW" run --vm "$VM" --host vh2 sh -c 'touch /tmp/only-on-vh2'
"$SNOW" run --vm "$VM" --host vh3 sh -c 'test ! -e /tmp/only-on-vh2' || fail "/tmp is shared between hosts"
test ! -e /tmp/only-on-vh2 || fail "a host's /tmp leaked into the real /tmp"

# Simulated crash: kill the master pvmd and a keeper, then clean up.
pkill -9 -f "/run/snow/$VM/hostfile" || true
kill -9 "$(cat /run/snow/"$VM"/hosts/vh2/keeper.pid)"
"$SNOW" vm down --vm "$VM"
[ -z "$(leftovers)" ] || fail "left behind after down: $(leftovers)"
"$SNOW" vm down --vm "$VM" | grep -q "nothing was running" || fail "second down is not harmless"
[ -z "$(leftovers)" ] || fail "left behind: $(leftovers)"

# Clear errors for bad requests.
"$SNOW" vm up --vm "$VM" --hosts x86_64,arm64 2>err && fail "arm64 accepted"
grep -q "unknown architecture 'arm64'" err || fail "unclear error for an unknown architecture: $(cat err)"
"$SNOW" hosts --vm "$VM" 2>err && fail "hosts of a VM that is down"
grep -q "is not up" err || fail "unclear error for a VM that is down: $(cat err)"
rm -f err

# Where namespaces cannot be made (here: an unprivileged user), vm up says
# so and offers a single-host VM.
if command -v runuser >/dev/null && id nobody >/dev/null 2>&1; then
  if runuser -u nobody -- "$SNOW" vm up --vm "${VM}u" --hosts x86_64 >out 2>&1; then
    fail "an unprivileged user got namespace hosts"
  fi
  grep -q "snow vm up --single" out || fail "no single-host offer: $(cat out)"
  rm -f out
fi

# The single-host VM: one pvmd on the machine itself, then nothing left.
"$SNOW" vm up --vm "$VM" --single $(ep_args)
"$SNOW" hosts --vm "$VM" | grep -q "1 hosts, 1 data formats" || fail "single-host VM has wrong hosts"
timeout 60 "$SNOW" run --vm "$VM" "$TOP_BUILDDIR/test/programs/smoke_ring" 1 | grep -q "every value correct" \
  || fail "smoke ring on the single-host VM"
"$SNOW" vm down --vm "$VM"
[ -z "$(leftovers)" ] || fail "left behind after single-host down: $(leftovers)"
note "ok (namespaces, crash cleanup, errors, single host)"
