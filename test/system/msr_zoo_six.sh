#!/bin/sh
# The type zoo (test/programs/msr_zoo.c) across every ordered pair of
# x86_64, i386 and s390x: real cross-built binaries on three virtual hosts,
# the state streamed over a TCP connection between the hosts, restored on
# the destination and deep-compared there (values bit for bit, pointers by
# logical identity).
. "$TEST_LIB"
. "$TOP_SRCDIR/test/system/msr_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x
msr_check_hosts
work=$(msr_workdir)

n=0
for src in x86_64 i386 s390x; do
  for dst in x86_64 i386 s390x; do
    [ "$src" = "$dst" ] && continue
    note "$src -> $dst"
    msr_start_receiver "$dst" msr_zoo "$work/recv.$src.$dst"
    timeout 180 "$SNOW" run --vm "$VM" --host "$(msr_host "$src")" "$(msr_program "$src" msr_zoo)" \
      send "$(msr_host "$dst")" "$MSR_PORT" >"$work/send.$src.$dst" 2>&1 ||
      { cat "$work/send.$src.$dst" "$work/recv.$src.$dst"; fail "$src -> $dst: the source failed"; }
    wait "$MSR_RECV_PID" || { cat "$work/recv.$src.$dst"; fail "$src -> $dst: the destination failed"; }
    grep "zoo: connected" "$work/send.$src.$dst"
    grep "msr_collect:" "$work/send.$src.$dst" | sed 's/^.*info: //'
    grep "msr_restore:" "$work/recv.$src.$dst" | sed 's/^.*info: //'
    grep "bit-exact, same logical targets" "$work/recv.$src.$dst" ||
      { cat "$work/recv.$src.$dst"; fail "$src -> $dst: the zoo did not arrive intact"; }
    grep -q "msr_restore: src=$src " "$work/recv.$src.$dst" || fail "$src -> $dst: the state did not come from $src"
    n=$((n + 1))
  done
done
[ $n -eq 6 ] || fail "only $n directions ran"
rm -rf "$work"
note "ok: 6 directions, bit-exact"
