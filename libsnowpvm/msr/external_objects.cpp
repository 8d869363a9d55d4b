#include "libsnowpvm/msr/external_objects.h"

#include "libsnowpvm/msr/registry.h"
#include "libsnowpvm/msr/state_error.h"

#include <cstdio>
#include <string>

namespace snow::msr {
namespace {

ExternalObjects* g_ext = nullptr;

bool is_process(const Registry& reg) { return &reg == &Registry::process(); }

}  // namespace

void set_external_objects(ExternalObjects* x) { g_ext = x; }

std::optional<uint64_t> external_handle(const void* p) {
  if (p == stdin) return kStdinHandle;
  if (p == stdout) return kStdoutHandle;
  if (p == stderr) return kStderrHandle;
  if (g_ext != nullptr) return g_ext->handle_of(p);
  return std::nullopt;
}

void* external_object(uint64_t handle) {
  switch (handle) {
    case kStdinHandle:
      return stdin;
    case kStdoutHandle:
      return stdout;
    case kStderrHandle:
      return stderr;
    default:
      break;
  }
  void* p = g_ext != nullptr ? g_ext->object_of(handle) : nullptr;
  if (p == nullptr)
    throw StateError("the state points to open stream #" + std::to_string(handle) +
                     ", which it does not describe (or which could not be reopened)");
  return p;
}

void external_check(const Registry& reg) {
  if (g_ext != nullptr && is_process(reg)) g_ext->check();
}

void external_prepare(const Registry& reg) {
  if (g_ext != nullptr && is_process(reg)) g_ext->prepare();
}

void external_recreate(const Registry& reg) {
  if (g_ext != nullptr && is_process(reg)) g_ext->recreate();
}

}  // namespace snow::msr
