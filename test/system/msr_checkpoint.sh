#!/bin/sh
# Checkpoint as "migration to disk" (seed 002): the zoo checkpointed on one
# architecture and restarted with `snow restart` on the others, on their
# virtual hosts; and a checkpoint holding a long too wide for i386, whose
# restart there must fail naming the variable.
. "$TEST_LIB"
. "$TOP_SRCDIR/test/system/msr_lib.sh"
need_netns
need_arch i386 s390x

vm_up --hosts x86_64,i386,s390x
msr_check_hosts
work=$(msr_workdir)

for src in x86_64 s390x i386; do
  ckpt="$work/zoo.$src.ckpt"
  "$SNOW" run --vm "$VM" --host "$(msr_host "$src")" "$(msr_program "$src" msr_zoo)" checkpoint "$ckpt" \
    >"$work/ckpt.$src" 2>&1 || { cat "$work/ckpt.$src"; fail "checkpoint on $src failed"; }
  for dst in x86_64 i386 s390x; do
    [ "$src" = "$dst" ] && continue
    note "checkpoint of $src restarted on $dst"
    timeout 120 "$SNOW" run --vm "$VM" --host "$(msr_host "$dst")" "$SNOW" restart "$ckpt" -- \
      "$(msr_program "$dst" msr_zoo)" verify >"$work/restart.$src.$dst" 2>&1 ||
      { cat "$work/restart.$src.$dst"; fail "restart of the $src checkpoint on $dst failed"; }
    grep "bit-exact, same logical targets" "$work/restart.$src.$dst" ||
      { cat "$work/restart.$src.$dst"; fail "the $src checkpoint did not restart intact on $dst"; }
  done
done

note "a long of 2^40+5 cannot restart on i386"
"$SNOW" run --vm "$VM" --host vh1 "$(msr_program x86_64 msr_narrow)" checkpoint "$work/wide.ckpt" >"$work/wide" 2>&1 ||
  { cat "$work/wide"; fail "narrow checkpoint failed"; }
rc=0
"$SNOW" run --vm "$VM" --host vh2 "$SNOW" restart "$work/wide.ckpt" -- "$(msr_program i386 msr_narrow)" verify \
  >"$work/wide.restart" 2>&1 || rc=$?
cat "$work/wide.restart"
[ $rc -eq 3 ] || fail "the restart of a too-wide long on i386 exited $rc, not 3 (refused)"
grep -q "narrow_wide: holds 1099511627781, which does not fit the 32-bit long" "$work/wide.restart" ||
  fail "the refusal does not name narrow_wide and its value"
note "... and the same checkpoint restarts on s390x"
"$SNOW" run --vm "$VM" --host vh3 "$SNOW" restart "$work/wide.ckpt" -- "$(msr_program s390x msr_narrow)" verify \
  >"$work/wide.s390x" 2>&1 || { cat "$work/wide.s390x"; fail "restart on s390x failed"; }
grep -q "narrow_wide=1099511627781" "$work/wide.s390x" || fail "s390x did not get the wide value"
rm -rf "$work"
note "ok"
