#!/bin/sh
# Narrowing (seed 004), both outcomes, from both 64-bit architectures to
# 32-bit i386: a long of 2^40+5 makes the pre-flight check refuse -- with
# the variable named, before the source stops, and the source carries on
# computing -- then values that fit (a negative long, an unsigned long of
# 4e9, a heap record's long) are converted and arrive intact.
. "$TEST_LIB"
. "$TOP_SRCDIR/test/system/msr_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x
msr_check_hosts
work=$(msr_workdir)

for src in x86_64 s390x; do
  note "$src -> i386"
  msr_start_receiver i386 msr_narrow "$work/recv.$src"
  timeout 180 "$SNOW" run --vm "$VM" --host "$(msr_host "$src")" "$(msr_program "$src" msr_narrow)" \
    send vh2 "$MSR_PORT" >"$work/send.$src" 2>&1 || { cat "$work/send.$src" "$work/recv.$src"; fail "$src: source failed"; }
  wait "$MSR_RECV_PID" || { cat "$work/recv.$src"; fail "$src: destination failed"; }
  grep "^narrow:" "$work/send.$src" "$work/recv.$src"
  grep -q "refused before stopping: cannot migrate: narrow_wide: holds 1099511627781, which does not fit the 32-bit long of i386 \[variable=narrow_wide\]" \
    "$work/send.$src" || fail "$src: no refusal naming narrow_wide"
  grep -q "source still running after the refusal" "$work/send.$src" || fail "$src: the source did not carry on"
  grep -q "first attempt refused by the source" "$work/recv.$src" || fail "$src: the destination did not see the refusal"
  grep -q "narrow_wide=-123456789 narrow_uwide=4000000000 narrow_heap->value=2147483647 (all as sent)" "$work/recv.$src" ||
    fail "$src: the fitting values did not arrive converted"
  grep -q "msr_restore: src=$src .*converted=true" "$work/recv.$src" || fail "$src: no conversion was logged"
done
rm -rf "$work"
note "ok"
