# Helpers of the memory-state system tests (sourced after lib.sh).

# The build of PROGRAM for architecture ARCH.
msr_program() {
  case $1 in
    x86_64) echo "$TOP_BUILDDIR/test/programs/$2" ;;
    *) echo "$TOP_BUILDDIR/cross/$1/test/programs/$2" ;;
  esac
}

# The virtual host of architecture ARCH in a VM brought up with
# --hosts x86_64,i386,s390x (checked against `snow hosts`).
msr_host() {
  case $1 in
    x86_64) echo vh1 ;;
    i386) echo vh2 ;;
    s390x) echo vh3 ;;
  esac
}

msr_check_hosts() {
  _mh_hosts=$("$SNOW" hosts --vm "$VM")
  echo "$_mh_hosts"
  for _mh_a in x86_64 i386 s390x; do
    echo "$_mh_hosts" | grep -Eq "^$(msr_host $_mh_a) +$_mh_a " || fail "host $(msr_host $_mh_a) is not $_mh_a"
  done
}

# A directory every virtual host sees (each host has its own /tmp).
msr_workdir() {
  mkdir -p "$TOP_BUILDDIR/test/tmp"
  mktemp -d "$TOP_BUILDDIR/test/tmp/$TEST_NAME.XXXXXX"
}

# Wait until FILE exists, while process PID lives; at most SECONDS.
# (Functions share the caller's variables: every name here is prefixed.)
msr_wait_file() {
  _mw_file=$1 _mw_pid=$2 _mw_limit=$(( $3 * 10 )) _mw_n=0
  while [ ! -s "$_mw_file" ]; do
    kill -0 "$_mw_pid" 2>/dev/null || return 1
    _mw_n=$((_mw_n + 1))
    [ $_mw_n -le $_mw_limit ] || return 1
    sleep 0.1
  done
}

# Start the destination side of PROGRAM (recv PORTFILE) on the host of
# ARCH in the background; sets MSR_RECV_PID and MSR_PORT.
msr_start_receiver() {
  _mr_arch=$1 _mr_program=$2 _mr_out=$3
  _mr_port="$_mr_out.port"
  rm -f "$_mr_port"
  "$SNOW" run --vm "$VM" --host "$(msr_host "$_mr_arch")" "$(msr_program "$_mr_arch" "$_mr_program")" \
    recv "$_mr_port" >"$_mr_out" 2>&1 &
  MSR_RECV_PID=$!
  msr_wait_file "$_mr_port" "$MSR_RECV_PID" 120 ||
    { cat "$_mr_out"; fail "the $_mr_arch receiver did not start listening"; }
  MSR_PORT=$(cat "$_mr_port")
}
