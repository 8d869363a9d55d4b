#!/bin/sh
# A recursive sort over a heap-allocated list (test/precomp/programs/
# deep_sort.c: a master and a worker), built with snowcc: the worker
# migrates from an x86_64 host to a big-endian s390x host while more than
# a thousand frames deep, and the master prints the same result as in a
# run without migration.
. "$TEST_LIB"
. "$(dirname "$TEST_LIB")/precomp_lib.sh"
need_netns
need_arch s390x
need_precomp_runtime

N=1500
vm_up --hosts x86_64,s390x --ep "$PRECOMP_BIN/snow"
src=$(host_of x86_64)
dst=$(host_of s390x)
"$SNOW" run --vm "$VM" "$PRECOMP_BIN/snow/LINUX64/deep_sort" $N "$src" >base 2>base.err ||
  { cat base base.err; fail "deep_sort failed"; }
cat base
grep -q "finished on $src" base || fail "the unmigrated run did not finish on $src"

# The worker's migration points (see the generated C: snowcc -E): N
# poll-points while it builds the list, then one per two levels on the way
# down (the sorted-order levels call quicksort on an empty part first) to
# N deep at point N + 750, then three per two levels on the way back up.
# Points N + 550 .. N + 1449 are all more than 1030 frames deep (the
# earlier "any point before N + 1500" let a point 206 past N, only 415
# frames deep, fail CI).
k=$((N + 549 + $(random_upto 900)))
migrate_cmd run "$k" x86_64 "$dst" deep_sort "$PRECOMP_BIN/snow/LINUX64/deep_sort" $N "$src"
cat run
grep -q "finished on $dst" run || fail "the worker did not finish on the s390x host"
frames=$(task_log_value "exec: unwound: frames=")
note "the worker unwound $frames frames"
[ "$frames" -ge 1000 ] || fail "the migration happened only $frames frames deep"
grep -q "exec: restoring: frames=$frames" /run/snow/"$VM"/log/task-*.log ||
  fail "the destination did not re-enter the $frames frames"
sed "s/finished on .*//" base >want
sed "s/finished on .*//" run >got
diff -u want got || fail "the migrated sort gave another result"
rm -f base* run* want got
rm -rf "$PRECOMP_TMP"
note "ok"
