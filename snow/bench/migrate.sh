#!/bin/bash
# snow bench migrate: whole migrations of a real pre-compiled process, as a
# user of `snow migrate` waits for them, beside plain TCP of the same bytes
# between the same two virtual hosts (doc/benchmarks.md, "snow bench migrate").
#
# One virtual machine of hosts vh1 (x86_64), vh2 (x86_64) and vh3 (s390x
# under qemu-user).  For every state size and repetition, the workload
# (snow/bench/migrate_state.c, built with snowcc) is started on vh1, fills one
# array of that size, is held at its migration point (SNOW_EXEC_TRIGGER) and
# moved by `snow migrate` to vh2 (homogeneous) or vh3 (s390x); afterwards it
# checks every byte of the array and prints OK.  Measured per migration:
#   - the breakdown snow migrate prints (coordination, collection, transfer,
#     restore, total = request to commit; the scheduler's figures, as in
#     `snow history`) and the wall time of the `snow migrate` command;
#   - plain TCP of the same number of bytes between the same two hosts'
#     network namespaces (migrate_probe send/recv), right after it;
#   - peak extra memory: on the source, the last VmHWM read (every ms) from
#     /proc/PID/status before it exits minus its VmRSS when held; on the
#     destination, its VmHWM minus its VmRSS after it checked the array
#     (read by the workload itself; under qemu-user both include the
#     emulator).
# The state larger than 4 GiB is only tried when MemAvailable allows it; a
# migration of it that does not complete is reported as "refused: REASON"
# (the source must carry on and verify its array), never as a time.  Any
# other migration that does not commit, or an array that does not verify,
# is a FAILURE and makes the exit status 1.
#
# Started by `snow bench migrate`, which sets SNOW (the snow binary), SNOWCC
# and BENCH_SRC (the directory of migrate_state.c and migrate_probe.c); CC is
# the native compiler (default gcc).
set -uo pipefail

usage() {
  echo "usage: snow bench migrate [--quick] [--reps N] [--sizes LIST] [--json FILE] [--keep]" >&2
  echo "  LIST: comma-separated sizes, each BYTES[K|M|G] (binary units) or 'big' (4 GiB + 1 MiB)" >&2
  exit 2
}

quick=0 reps="" sizes="" json="" keep=0
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=1;;
    --reps) [ $# -ge 2 ] || usage; reps=$2; shift;;
    --sizes) [ $# -ge 2 ] || usage; sizes=$2; shift;;
    --json) [ $# -ge 2 ] || usage; json=$2; shift;;
    --keep) keep=1;;
    *) usage;;
  esac
  shift
done
case $reps in "" | *[!0-9]* | 0*) [ -z "$reps" ] || { echo "snow bench migrate: --reps takes a positive number" >&2; exit 2; };; esac

: "${SNOW:?set by snow bench migrate}" "${SNOWCC:?set by snow bench migrate}" "${BENCH_SRC:?set by snow bench migrate}"
CC=${CC:-gcc}

# Sizes, repetitions and limits, all here.
BIG_BYTES=$(( (4 << 30) + (1 << 20) ))   # "big": the smallest round size past the 4 GiB the length field holds
if [ $quick = 1 ]; then
  SIZES=${sizes:-1K,8M}; REPS=${reps:-1}
else
  SIZES=${sizes:-1K,8M,256M,big}; REPS=${reps:-3}
fi
BIG_REPS=1            # repetitions of a state over 4 GiB (each fills, and may copy, gigabytes)
BIG_DESTS="vh2 vh3"   # where it is tried (both: homogeneous and s390x)
MEM_FACTOR=4          # a state over 1 GiB is tried only if MemAvailable >= MEM_FACTOR x state + MEM_MARGIN:
MEM_MARGIN_MB=2048    # today the source holds the state, its collection and one frame of it
T_TOTAL=2400          # the whole benchmark (seconds); it ends itself after that
T_BUILD=300           # building the workload and the probe
T_VM=120              # snow vm up
T_TRIGGER=300         # until the task is held at its migration point (a big fill under qemu takes long)
T_MIGRATE=600         # snow migrate
T_RUN=900             # the task's end after its migration (the check of 256 MiB under qemu: seconds)
T_TCP=300             # one plain TCP transfer
TCP_PORT=47321        # the receiver's port on the destination host
POLL=0.01             # how often a held task is looked for (s): it is waiting meanwhile

VM=bmig$$
export SNOW_VM=$VM
# The work directory must be seen by every virtual host: their /tmp is private.
work=$(mktemp -d /var/tmp/snow-bench-migrate.XXXXXX) || exit 1
started=$(date +%s.%N)
FAILURES=0
FAILED=""
MIGRATIONS=0
MIGRATED_OK=0
VERIFIED=0      # committed, and the state verified on the destination
CARRIED_ON=0    # not migrated, and the task verified its state where it was

progress() { printf '[%6.1fs] %s\n' "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "$*"; }
failure() {
  FAILURES=$((FAILURES + 1))
  FAILED="$FAILED$1"$'\n'
  echo "snow bench migrate: FAILURE: $1" >&2
}

cleanup() {
  [ -z "${recv_pid:-}" ] || kill "$recv_pid" 2>/dev/null || true
  "$SNOW" vm down --vm "$VM" >/dev/null 2>&1 || true
  [ -z "${watchdog:-}" ] || kill "$watchdog" 2>/dev/null || true
  if [ $keep = 1 ] || [ $FAILURES -gt 0 ]; then
    echo "snow bench migrate: files kept in $work" >&2
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'echo "snow bench migrate: interrupted" >&2; exit 130' INT TERM
main_pid=$$
(
  trap 'kill $sleeper 2>/dev/null; exit 0' TERM
  sleep "$T_TOTAL" &
  sleeper=$!
  wait $sleeper && echo "snow bench migrate: took over ${T_TOTAL}s, stopping" >&2 && kill -TERM "$main_pid"
) &
watchdog=$!

now() { date +%s.%N; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) * 1000 }'; }

# to_bytes SIZE: 1K, 8M, 256M, 2G, 12345, big
to_bytes() {
  case $1 in
    big) echo "$BIG_BYTES";;
    *[!0-9KMG]* | "" | [KMG]* | *[KMG]?*) return 1;;
    *K) echo $(( ${1%K} << 10 ));;
    *M) echo $(( ${1%M} << 20 ));;
    *G) echo $(( ${1%G} << 30 ));;
    *) echo "$1";;
  esac
}
size_list=()
for s in ${SIZES//,/ }; do
  b=$(to_bytes "$s") && [ "$b" -gt 0 ] || { echo "snow bench migrate: not a size: '$s'" >&2; usage; }
  size_list+=("$b")
done
[ ${#size_list[@]} -gt 0 ] || usage

commit=$(git -C "$(dirname "$0")" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ "$commit" = unknown ] || git -C "$(dirname "$0")" diff --quiet HEAD -- 2>/dev/null || commit="$commit (with uncommitted changes in the tree)"

# ---------------------------------------------------------------- build
bin="$work/bin"
mkdir -p "$bin/LINUX64" "$bin/LINUXS390"
export SNOWCC BENCH_SRC CC bin
progress "building the workload (snowcc: x86_64, s390x) and the probe ($CC) into $bin"
if ! timeout "$T_BUILD" bash -c '
    "$SNOWCC" --target x86_64 -O2 "$BENCH_SRC/migrate_state.c" -o "$bin/LINUX64/migrate_state" &&
    "$SNOWCC" --target s390x -O2 "$BENCH_SRC/migrate_state.c" -o "$bin/LINUXS390/migrate_state" &&
    "$CC" -O2 "$BENCH_SRC/migrate_probe.c" -o "$bin/migrate_probe"' >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  failure "building the workload failed"
  exit 1
fi
probe="$bin/migrate_probe"

progress "virtual machine $VM: vh1 x86_64 (source), vh2 x86_64, vh3 s390x (qemu-user)"
timeout "$T_VM" "$SNOW" vm up --vm "$VM" --hosts x86_64,x86_64,s390x --ep "$bin" >"$work/vm.log" 2>&1 ||
  { cat "$work/vm.log" >&2; failure "snow vm up failed"; exit 1; }
netns() { echo "snow-$VM-$1"; }
host_ip() { ip -n "$(netns "$1")" -4 -o addr show dev eth0 | awk '{ sub(/\/.*/, "", $4); print $4; exit }'; }
for h in vh1 vh2 vh3; do
  [ -n "$(host_ip "$h")" ] || { failure "no address for host $h (network namespace $(netns "$h"))"; exit 1; }
done

# wait_file FILE SECONDS: until FILE is not empty
wait_file() {
  local end=$(( $(date +%s) + $2 ))
  while [ ! -s "$1" ]; do
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep "$POLL"
  done
}
# wait_pid PID SECONDS: its exit status, 124 (and killed) past the limit
wait_pid() {
  local end=$(( $(date +%s) + $2 ))
  while kill -0 "$1" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$end" ]; then
      kill "$1" 2>/dev/null
      wait "$1" 2>/dev/null
      return 124
    fi
    sleep 0.05
  done
  wait "$1"
}

# tcp_ms SRC DST BYTES: milliseconds plain TCP needs for BYTES from host SRC
# to host DST (connect to the receiver's answer), or "-"
tcp_ms() {
  local out="$work/tcp" s
  rm -f "$out.recv"
  ip netns exec "$(netns "$2")" "$probe" recv "$TCP_PORT" "$3" >"$out.recv" 2>"$out.recv.err" &
  recv_pid=$!
  if ! wait_file "$out.recv" 10; then
    failure "plain TCP: the receiver on $2 did not start: $(cat "$out.recv.err")"
    kill "$recv_pid" 2>/dev/null; wait "$recv_pid" 2>/dev/null; recv_pid=""
    echo -; return
  fi
  if s=$(timeout "$T_TCP" ip netns exec "$(netns "$1")" "$probe" send "$(host_ip "$2")" "$TCP_PORT" "$3" 2>"$out.send.err") &&
      wait_pid "$recv_pid" 10; then
    awk -v s="$s" 'BEGIN { printf "%.3f", s * 1000 }'
  else
    failure "plain TCP $1 -> $2 of $3 bytes failed: $(cat "$out.send.err" "$out.recv.err" | tail -1)"
    echo -
  fi
  kill "$recv_pid" 2>/dev/null; wait "$recv_pid" 2>/dev/null; recv_pid=""
}

# The breakdown snow migrate prints, as "coord collect xfer restore total bytes" (ms, bytes).
parse_migrate() {
  awk '$1 == "coordination" { c = $2 } $1 == "collection" { s = $2; b = $4; sub(/^\(/, "", b) }
       $1 == "transfer" { x = $2 } $1 == "restore" { r = $2 } $1 == "total" { t = $2 }
       END { if (t == "") exit 1; print c, s, x, r, t, b }' "$1"
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" "$2" | head -1; }

runs="$work/runs"   # one line per migration tried; the report is computed from it
: >"$runs"
# record SIZE DEST REP STATUS MIGROW WALL TCP SRCMEM DSTMEM REASON
# (the breakdown: 6 fields, the source's memory: 5, the destination's: 2)
record() { echo "m $*" >>"$runs"; }
# record_empty "SIZE DEST REP STATUS REASON": a migration not measured
record_empty() { record "$(echo "$1" | cut -d' ' -f1-4) - - - - - - - - - - - - - - - $(echo "$1" | cut -d' ' -f5-)"; }

# one_migration SIZE DEST REP: start the workload on vh1, hold it, move it
# to DEST, check what it printed, measure plain TCP of the same bytes.
one_migration() {
  local n=$1 dest=$2 rep=$3 out="$work/run.$1.$2.$3" trig pid tid t0 t1 wall row status reason rc
  local src_mem="- - - - -" dst_mem="- -" srcpid watch_pid="" tcp
  trig="$out.trigger"
  rm -f "$trig" "$trig.claim" "$out.pid"
  MIGRATIONS=$((MIGRATIONS + 1))
  SNOW_EXEC_TRIGGER="1:$trig:x86_64:migrate_state" PVM_EXPORT="SNOW_EXEC_TRIGGER${PVM_EXPORT:+:$PVM_EXPORT}" \
    "$SNOW" run --vm "$VM" --host vh1 "$bin/LINUX64/migrate_state" "$n" "$out.pid" >"$out" 2>"$out.err" &
  pid=$!
  if ! wait_file "$trig" "$T_TRIGGER"; then
    failure "$n bytes to $dest (rep $rep): the task was not held at its migration point within ${T_TRIGGER}s ($out.err)"
    wait_pid $pid "$T_RUN" >/dev/null
    record_empty "$n $dest $rep failed not held at its migration point"
    return
  fi
  read -r t _ <"$trig"
  tid=$(printf 't%x' "$t")
  read -r srcpid _ <"$out.pid"
  "$probe" watch "$srcpid" >"$out.watch" 2>&1 &
  watch_pid=$!
  t0=$(now)
  timeout "$T_MIGRATE" "$SNOW" migrate --vm "$VM" --timeout "$T_MIGRATE" "$tid" "$dest" >"$out.migrate" 2>&1
  rc=$?
  t1=$(now)
  wall=$(ms_between "$t0" "$t1")
  if [ $rc = 0 ] && row=$(parse_migrate "$out.migrate"); then
    status=committed reason=""
    MIGRATED_OK=$((MIGRATED_OK + 1))
  else
    status=refused row="- - - - - -"
    reason=$(grep -v '^\s*$' "$out.migrate" | tail -1 | tr -s ' \t' ' ')
    [ -n "$reason" ] || reason="snow migrate exited $rc"
    rm -f "$trig"   # releases the held task: it carries on where it is
  fi
  rc=0
  wait_pid $pid "$T_RUN" || rc=$?
  wait "$watch_pid" 2>/dev/null
  read -r r0 h0 h1 rmax _ <"$out.watch" 2>/dev/null && [ -n "${rmax:-}" ] && src_mem="$r0 $h0 $h1 $rmax $((h1 - r0))"
  if [ $rc = 0 ] && grep -q '^OK ' "$out"; then
    local moved hwm rss
    moved=$(field moved "$out") hwm=$(field hwm_kb "$out") rss=$(field rss_kb "$out")
    if [ $status = committed ]; then
      if [ "$moved" != yes ]; then
        reason="snow migrate committed but the task ended on its first host"
        failure "$n bytes to $dest (rep $rep): $reason ($out)"
        status=failed
      else
        VERIFIED=$((VERIFIED + 1))
      fi
      dst_mem="$hwm $((hwm - rss))"
    elif [ "$moved" = no ]; then
      CARRIED_ON=$((CARRIED_ON + 1))
    else
      status=failed
      reason="the migration was refused but the task ended elsewhere"
      failure "$n bytes to $dest (rep $rep): $reason ($out)"
    fi
  else
    status=failed
    reason="the task did not verify its state (exit $rc): $(head -1 "$out") $(tail -1 "$out.err")"
    failure "$n bytes to $dest (rep $rep): $reason"
  fi
  # Only the state over 4 GiB may be refused today; any other is a failure.
  if [ $status = refused ] && [ "$n" -le $((4 << 30)) ]; then
    status=failed
    failure "$n bytes to $dest (rep $rep): snow migrate failed: $reason"
  fi
  tcp=$(tcp_ms vh1 "$dest" "$n")
  record "$n $dest $rep $status $row $wall $tcp $src_mem $dst_mem $reason"
  progress "  $n B -> $dest rep $rep: $status$(echo "$row" | awk '$5 != "-" { printf ", total %s ms (collect %s, transfer %s, restore %s)", $5, $2, $3, $4 }'), snow migrate ${wall} ms, plain TCP ${tcp} ms${reason:+: $reason}"
}

mem_available_mb() { awk '$1 == "MemAvailable:" { print int($2 / 1024) }' /proc/meminfo; }

for n in "${size_list[@]}"; do
  for dest in vh2 vh3; do
    reps_here=$REPS
    if [ "$n" -gt $((4 << 30)) ]; then
      reps_here=$BIG_REPS
      case " $BIG_DESTS " in
        *" $dest "*) ;;
        *) record_empty "$n $dest 0 skipped a state over 4 GiB is tried only on $BIG_DESTS (BIG_DESTS)"; continue;;
      esac
    fi
    if [ "$n" -gt $((1 << 30)) ]; then
      avail=$(mem_available_mb)
      need=$(( MEM_FACTOR * (n >> 20) + MEM_MARGIN_MB ))
      if [ "$avail" -lt "$need" ]; then
        progress "$n bytes -> $dest: skipped, MemAvailable ${avail} MiB < ${need} MiB"
        record_empty "$n $dest 0 skipped MemAvailable ${avail} MiB is below the ${need} MiB a try needs (${MEM_FACTOR} x state + ${MEM_MARGIN_MB} MiB)"
        continue
      fi
    fi
    progress "$n bytes of state: vh1 (x86_64) -> $dest, $reps_here repetitions"
    for ((rep = 1; rep <= reps_here; rep++)); do
      one_migration "$n" "$dest" "$rep"
    done
  done
done
"$SNOW" vm down --vm "$VM" >/dev/null 2>&1

# --------------------------------------------------------------- report
wall=$(awk -v a="$started" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }')
report() {  # report text|json
  awk -v fmt="$1" -v reps="$REPS" -v quick="$quick" -v wall="$wall" -v migrations="$MIGRATIONS" \
    -v migrated_ok="$MIGRATED_OK" -v verified="$VERIFIED" -v carried_on="$CARRIED_ON" -v failures="$FAILURES" -v commit="$commit" \
    -v when="$(date -u +%Y-%m-%dT%H:%M:%SZ)" -v machine="$(uname -m), $(nproc) CPUs" \
    -f "$(dirname "$0")/migrate_report.awk" "$runs"
}
echo
report text
[ -z "$json" ] || report json >"$json" || failure "cannot write $json"
if [ $FAILURES -gt 0 ]; then
  echo "snow bench migrate: $FAILURES failures:" >&2
  printf '%s' "$FAILED" | sed 's/^/  /' >&2
  exit 1
fi
exit 0
