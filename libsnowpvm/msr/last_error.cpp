#include "libsnowpvm/msr/last_error.h"

#include "libsnowpvm/util/log.h"
#include "snowpvm_msr.h"

namespace snow::msr {
namespace {
std::string& last() {
  static std::string s;
  return s;
}
}  // namespace

void set_last_error(const char* event, const std::string& what) {
  last() = what;
  spdlog::warn("{}: error=\"{}\"", event, what);
}

}  // namespace snow::msr

extern "C" const char* snow_msr_last_error(void) { return snow::msr::last().c_str(); }
