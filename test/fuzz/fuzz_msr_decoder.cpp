// libFuzzer target for the state-stream decoder (clang-14 -fsanitize=fuzzer).
//
// Input: one mode byte, then bytes.  Mode bit 0 clear: the bytes are a
// whole stream, taken as they are (framing, checksums, header).  Set: they
// are record bytes, which get valid frames and checksums around them, so
// mutations reach the decoder behind the CRCs.
//
// Every input must end in success or a snow::Error; anything else (a
// crash, a sanitizer report, another exception escaping, a hang caught by
// -timeout, a leak) is a finding.
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/restorer.h"
#include "libsnowpvm/util/error.h"
#include "msr_frames.h"
#include "msr_fuzz_state.h"

#include <spdlog/spdlog.h>

#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool ready = [] {
    spdlog::set_level(spdlog::level::off);
    if (!msr_fuzz::setup_roots()) std::abort();
    return true;
  }();
  (void)ready;
  if (size == 0) return 0;
  std::vector<uint8_t> stream = (data[0] & 1) ? msr_test::reframe(data + 1, size - 1)
                                              : std::vector<uint8_t>(data + 1, data + size);
  auto& reg = snow::msr::Registry::process();
  snow::msr::RestoreOptions opt;
  opt.max_bytes = 4u << 20;
  try {
    snow::MemorySource in(std::move(stream));
    snow::msr::Restorer(reg, opt).run(in);
  } catch (const snow::Error&) {
    // a clear error: what corrupt input must produce
  }
  reg.discard_state();  // restored heap blocks and frames
  return 0;
}
