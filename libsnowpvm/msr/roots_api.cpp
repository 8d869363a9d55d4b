// The C API of roots, stack frames, unions and functions (snowpvm.h,
// snowpvm_msr.h): thin wrappers over the process's MSRLT that turn
// exceptions into PVM-style status codes.
#include "libsnowpvm/msr/function_table.h"
#include "libsnowpvm/msr/last_error.h"
#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/state_error.h"
#include "libsnowpvm/msr/type_info.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

using snow::msr::Registry;

namespace {

template <typename F>
int guarded(const char* event, int failure, F&& f) {
  try {
    f();
    return 0;
  } catch (const std::exception& e) {
    snow::msr::set_last_error(event, e.what());
    return failure;
  }
}

}  // namespace

extern "C" {

int snow_track(void* addr, const struct snow_type* type, const char* name) {
  return guarded("snow_track", PvmBadParam, [&] {
    if (type == nullptr) throw snow::msr::StateError("snow_track: NULL type");
    Registry::process().track(addr, type, name ? name : "");
  });
}

int snow_untrack(void* addr) { return Registry::process().untrack(addr) ? 0 : PvmNoEntry; }

int snow_register_types(const snow_type* const* types, size_t n) {
  return guarded("snow_register_types", PvmBadParam, [&] {
    for (size_t i = 0; i < n; ++i) {
      if (types[i] == nullptr)
        throw snow::msr::StateError("snow_register_types: entry " + std::to_string(i) + " is NULL");
      snow::msr::validate_type(types[i]);
      snow::msr::TypeCatalog::instance().add(types[i]);
    }
  });
}

void snow_union_set_active(const void* u, int member) {
  Registry::process().set_union_active(u, member);
}

int snow_register_function(void (*fn)(void), const char* name) {
  return guarded("snow_register_function", PvmBadParam,
                 [&] { snow::msr::FunctionTable::instance().add(fn, name ? name : ""); });
}

int snow_frame_save(const void* record, const snow_type* type, const char* function,
                    unsigned nstack) {
  if (type == nullptr || function == nullptr) return PvmBadParam;
  return guarded("snow_frame_save", SnowBadState,
                 [&] { Registry::process().save_frame(record, type, function, nstack); });
}

int snow_frames_pending(void) { return static_cast<int>(Registry::process().frames_pending()); }

int snow_frame_resume(void* record, const snow_type* type, const char* function, unsigned nstack) {
  if (type == nullptr || function == nullptr || (record == nullptr && type->size > 0))
    return PvmBadParam;
  return guarded("snow_frame_resume", SnowBadState,
                 [&] { Registry::process().resume_frame(record, type, function, nstack); });
}

}  // extern "C"
