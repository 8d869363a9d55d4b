#!/bin/sh
# The decoder's fuzz target for a bounded time (SNOW_FUZZ_SECONDS, default
# 45): seeds are valid streams -- the zoo collected here, with saved frames,
# and checkpoints written by the x86_64, i386 and s390x builds of msr_zoo.
# Any crash, sanitizer report, escaped exception, timeout or leak fails.
. "$TEST_LIB"
fuzzer="$TOP_BUILDDIR/test/fuzz/fuzz_msr_decoder"
[ -x "$fuzzer" ] || skip "no fuzz target (needs clang-14 with libFuzzer; see configure)"
seconds=${SNOW_FUZZ_SECONDS:-45}
work="$TOP_BUILDDIR/test/tmp/fuzz"
rm -rf "$work"
mkdir -p "$work/seeds" "$work/corpus" "$work/artifacts"
corpus="$TOP_BUILDDIR/test/fuzz/msr_corpus"
"$corpus" native "$work/seeds" || fail "could not make native seeds"
for a in x86_64 $SNOW_CROSS_ARCHS; do
  case $a in
    x86_64) zoo="$TOP_BUILDDIR/test/programs/msr_zoo" ;;
    *) zoo="$TOP_BUILDDIR/cross/$a/test/programs/msr_zoo" ;;
  esac
  "$zoo" checkpoint "$work/zoo.$a.ckpt" >/dev/null 2>&1 || fail "msr_zoo checkpoint on $a failed"
  "$corpus" from-stream "$work/zoo.$a.ckpt" "$work/seeds" "zoo-$a" || fail "seed from $a"
done
# Inputs that once crashed the decoder (test/fuzz/regressions) are run first.
cp "$TOP_SRCDIR"/test/fuzz/regressions/* "$work/seeds/"
note "seeds: $(ls "$work/seeds" | tr '\n' ' ')"
note "fuzzing the decoder for $seconds s"
rc=0
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
  -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$work/corpus" "$work/seeds" >"$work/log" 2>&1 || rc=$?
grep -E "^#[0-9]+ +(INITED|DONE)|Done [0-9]+ runs|stat::number_of_executed_units|stat::peak_rss_mb" "$work/log"
if [ $rc -ne 0 ]; then
  tail -n 60 "$work/log"
  ls -l "$work/artifacts"
  fail "the fuzzer found a problem (exit $rc); the input is in $work/artifacts"
fi
note "ok: no crash, hang or leak"
