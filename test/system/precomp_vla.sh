#!/bin/sh
# Variable length arrays across architectures: test/precomp/vla_frames.c
# (MG-style grids through pointers to variable length arrays, VLA
# parameters, VLA objects), built with snowcc for x86_64 and s390x,
# migrates from an x86_64 host to a big-endian s390x host at a random
# poll-point three frames deep -- inside one of its functions whose
# variable length arrays the pre-compiler rewrote -- and prints what the
# program built by plain gcc prints.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch s390x
need_precomp_runtime

src="$TOP_SRCDIR/test/precomp/vla_frames.c"
snowcc="$TOP_BUILDDIR/precomp/snowcc-build"
bin="$PRECOMP_TMP/bin"
mkdir -p "$bin/LINUX64" "$bin/LINUXS390"
"$snowcc" -O1 -w "$src" -o "$bin/LINUX64/vla_frames" 2>"$PRECOMP_TMP/build.err" ||
  { cat "$PRECOMP_TMP/build.err"; fail "snowcc (x86_64) failed"; }
"$snowcc" --target s390x -O1 -w "$src" -o "$bin/LINUXS390/vla_frames" 2>"$PRECOMP_TMP/link.err" ||
  { cat "$PRECOMP_TMP/link.err"; fail "snowcc --target s390x failed"; }
gcc -O1 -ffp-contract=off "$src" -o "$PRECOMP_TMP/orig" || fail "the plain gcc build failed"
"$PRECOMP_TMP/orig" >want || fail "the plain gcc build did not run"

# The poll-points three frames deep (main, a function with rewritten
# variable length arrays, the kernel it calls), found by rehearsing the
# unwinding at every third point.
SNOW_EXEC_COUNT="$PRECOMP_TMP/count" "$bin/LINUX64/vla_frames" >/dev/null 2>&1 || fail "vla_frames failed"
points=""
for k in $(seq 1 3 "$(cat "$PRECOMP_TMP/count")"); do
  SNOW_EXEC_REHEARSE=$k "$bin/LINUX64/vla_frames" >/dev/null 2>"$PRECOMP_TMP/rehearsal.err" || fail "rehearsal at $k failed"
  grep -q "rehearsal: unwound frames=3;" "$PRECOMP_TMP/rehearsal.err" && points="$points $k"
done
npoints=$(echo $points | wc -w)
[ "$npoints" -gt 10 ] || fail "only $npoints poll-points three frames deep: $points"
k=$(echo $points | tr ' ' '\n' | sed -n "$(random_upto "$npoints")p")

vm_up --hosts x86_64,s390x --ep "$bin"
dst=$(host_of s390x)
migrate_cmd run "$k" x86_64 "$dst" vla_frames "$bin/LINUX64/vla_frames"
frames=$(task_log_value "exec: unwound: frames=")
[ "$frames" = 3 ] || fail "the migration unwound $frames frames, not 3"
grep -q "exec: restoring: frames=3" /run/snow/"$VM"/log/task-*.log || fail "the destination did not re-enter the frames"
diff -u want run || fail "the migrated program printed something else"
rm -f want run run.err
rm -rf "$PRECOMP_TMP"
note "ok: migrated at poll-point $k ($MIGRATED), same output as the plain gcc build"
