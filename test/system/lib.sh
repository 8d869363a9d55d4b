# Shared helpers for system tests (sourced).  Each test brings up its own
# virtual machine with a unique name and tears it down on every exit path.
set -eu

: "${SNOW:?run through make check}"
: "${TOP_BUILDDIR:?run through make check}"

TEST_NAME=$(basename "$0" .sh)
# Each test works in a directory of its own under the build tree (which
# every virtual host sees): `make -j check` runs tests side by side, and
# they name their files alike (base.*, run.*, want, got) and clean them up.
TEST_WORK="$TOP_BUILDDIR/test/work/$TEST_NAME.$$"
mkdir -p "$TEST_WORK"
cd "$TEST_WORK"
# Unique and short (VM names end up in namespace names).
VM="t$$"
export SNOW_VM="$VM"

note() { echo "[$TEST_NAME] $*"; }

fail() {
  echo "[$TEST_NAME] FAIL: $*" >&2
  exit 1
}

# A capability this machine lacks.  Reported loudly; automake counts it as
# SKIP, never as PASS.  With SNOW_STRICT=1 (CI) a skip is a failure, so a
# run can never go green by skipping.
skip() {
  echo "" >&2
  echo "################################################################" >&2
  echo "## SKIP $TEST_NAME: $*" >&2
  echo "################################################################" >&2
  if [ "${SNOW_STRICT:-0}" = 1 ]; then
    echo "[$TEST_NAME] SNOW_STRICT=1: a skipped capability fails the run" >&2
    exit 1
  fi
  exit 77
}

need_netns() {
  [ "$(id -u)" = 0 ] || skip "needs root for network namespaces"
  ip netns add "snow-probe-$$" 2>/dev/null || skip "cannot create network namespaces here"
  ip netns del "snow-probe-$$"
}

need_arch() {
  for a in "$@"; do
    [ "$a" = x86_64 ] && continue
    case " $SNOW_CROSS_ARCHS " in
      *" $a "*) ;;
      *) skip "no $a runtime was built (tools/prepare-sysroots, then configure)";;
    esac
  done
}

# Program search path covering the native and every cross build tree.
ep_args() {
  echo "--ep $TOP_BUILDDIR/test/bin"
  for a in $SNOW_CROSS_ARCHS; do echo "--ep $TOP_BUILDDIR/cross/$a/test/bin"; done
}

vm_up() {
  trap vm_cleanup EXIT INT TERM
  # shellcheck disable=SC2046
  "$SNOW" vm up --vm "$VM" $(ep_args) "$@"
}

vm_cleanup() {
  rc=$?
  trap - EXIT INT TERM
  if [ $rc -ne 0 ] && [ -d "/run/snow/$VM/log" ]; then
    echo "[$TEST_NAME] --- logs of $VM ---" >&2
    tail -n 30 /run/snow/"$VM"/log/* >&2 2>/dev/null || true
  fi
  "$SNOW" vm down --vm "$VM" >/dev/null 2>&1 || true
  exit $rc
}

# Leftovers of this test's VM: namespaces, or processes whose command line
# or environment names its state directory (every daemon and task has
# SNOW_STATE_DIR in its environment).
leftovers() {
  ip netns list | grep -E "^snow-$VM-" || true
  pgrep -af "/run/snow/$VM/" || true
  for p in /proc/[0-9]*; do
    tr '\0' '\n' < "$p/environ" 2>/dev/null | grep -qx "SNOW_STATE_DIR=/run/snow/$VM" \
      && echo "pid ${p#/proc/} ($(cat "$p/comm" 2>/dev/null))"
  done
  true
}
