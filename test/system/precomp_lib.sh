# Helpers of the precomp system tests (sourced after lib.sh).  The programs
# are built by `make check` into $PRECOMP_BIN/{snow,orig}/<PVM_ARCH>/
# (test/precomp/build-programs).
PRECOMP_BIN="$TOP_BUILDDIR/test/precomp-bin"
# Trigger files live under the build tree: every virtual host sees it
# (each host has its own /tmp).
PRECOMP_TMP="$TOP_BUILDDIR/test/tmp/$TEST_NAME.$$"

# The pre-compiled programs need the communication and memory-state
# runtimes in libsnowpvm; a tree without them cannot run these tests.
need_precomp_runtime() {
  lib="$TOP_BUILDDIR/libsnowpvm/libsnowpvm.a"
  for sym in snow_migrate_begin snow_frame_save snow_recv; do
    nm "$lib" 2>/dev/null | grep -q " T $sym\$" ||
      skip "libsnowpvm has no $sym (communication/memory-state runtime missing)"
  done
  [ -x "$PRECOMP_BIN/snow/LINUX64/deep_sort" ] || skip "precomp test programs not built (make check builds them)"
  mkdir -p "$PRECOMP_TMP"
}

need_pvm_examples() {
  [ -x "$PRECOMP_BIN/snow/LINUX64/master1" ] ||
    skip "PVM's examples were not built (package pvm-examples missing?)"
}

# The (first) host of architecture $1.
host_of() {
  h=$("$SNOW" hosts --vm "$VM" | awk -v a="$1" '$2 == a { print $1; exit }')
  [ -n "$h" ] || fail "no $1 host in $VM"
  echo "$h"
}

# The number after "$1" in the task logs of the VM (the last one found).
task_log_value() {
  v=$(sed -n "s/.*$1\([0-9]*\).*/\1/p" /run/snow/"$VM"/log/task-*.log 2>/dev/null | tail -1)
  [ -n "$v" ] || fail "no '$1' in the task logs"
  echo "$v"
}

# Wait until file $1 has content (at most $2 seconds).
# (Shell variables are global: the helpers' counters must not be called
# like the tests' own, such as n.)
wait_for_file() {
  _wf_ticks=0
  while [ ! -s "$1" ]; do
    _wf_ticks=$((_wf_ticks + 1))
    [ $_wf_ticks -le $(($2 * 10)) ] || return 1
    sleep 0.1
  done
}

# Wait while process $1 runs (at most $2 seconds); returns its exit status.
wait_for_exit() {
  _we_ticks=0
  while kill -0 "$1" 2>/dev/null; do
    _we_ticks=$((_we_ticks + 1))
    if [ $_we_ticks -gt $(($2 * 10)) ]; then
      kill "$1" 2>/dev/null || true
      return 124
    fi
    sleep 0.1
  done
  wait "$1"
}

# A random number in 1..$1 (logged, so a failure can be reproduced with
# PRECOMP_SEED).
random_upto() {
  if [ -n "${PRECOMP_SEED:-}" ]; then r=$PRECOMP_SEED; else r=$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); fi
  echo $((r % $1 + 1))
}

# Run COMMAND on the VM's master host with a migration injected at
# migration point K of the first task running PROGRAM on architecture SRC
# (empty: any) to reach it, and move that task to host DST (empty: a host
# of another architecture).  The run's output goes to file OUT; the
# migration's source and destination architectures to $MIGRATED.
#   migrate_cmd OUT K SRC DST PROGRAM COMMAND [ARGS...]
migrate_cmd() {
  out=$1 k=$2 src=$3 dst=$4 prog=$5
  shift 5
  trig="$PRECOMP_TMP/trigger.$(date +%s%N)"
  note "run: $* (migration at point $k of $prog on ${src:-any host}, to ${dst:-another host})"
  SNOW_EXEC_TRIGGER="$k:$trig:$src:$prog" PVM_EXPORT="SNOW_EXEC_TRIGGER${PVM_EXPORT:+:$PVM_EXPORT}" \
    "$SNOW" run --vm "$VM" "$@" >"$out" 2>"$out.err" &
  pid=$!
  if ! wait_for_file "$trig" 120; then
    wait_for_exit $pid 5 || true
    cat "$out" "$out.err" >&2
    fail "no task on $src reached migration point $k"
  fi
  read -r tid arch <"$trig"
  [ -z "$src" ] || [ "$arch" = "$src" ] || fail "the task that stopped runs on $arch, not $src"
  if [ -z "$dst" ]; then
    dst=$("$SNOW" hosts --vm "$VM" | awk -v a="$arch" 'NR > 1 && $2 != a && $2 != "" { print $1; exit }')
  fi
  dst_arch=$("$SNOW" hosts --vm "$VM" | awk -v h="$dst" '$1 == h { print $2 }')
  MIGRATED="$arch->$dst_arch"
  note "task $(printf 't%x' "$tid") on $arch stopped at point $k; migrating it to $dst ($dst_arch)"
  "$SNOW" migrate --vm "$VM" --timeout 120 "$(printf 't%x' "$tid")" "$dst" ||
    fail "snow migrate of t$(printf '%x' "$tid") to $dst failed"
  rc=0
  wait_for_exit $pid 300 || rc=$?
  [ $rc -ne 124 ] || { cat "$out" "$out.err" >&2; fail "$* did not finish after the migration"; }
}

# The harness (spawn_collect) for programs that need to be spawned.
harness() { echo "$PRECOMP_BIN/snow/LINUX64/spawn_collect"; }

# Run COMMAND without migration: OUT gets the output.  The exit status is
# not checked (PVM's examples end with exit(1)); the output is.
plain_cmd() {
  out=$1
  shift
  note "run: $* (no migration)"
  rc=0
  timeout 300 "$SNOW" run --vm "$VM" "$@" >"$out" 2>"$out.err" || rc=$?
  [ $rc -ne 124 ] || { cat "$out" "$out.err" >&2; fail "$* did not finish"; }
}
