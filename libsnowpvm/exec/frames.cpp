// Frame records: saving them while unwinding, taking them back while
// re-entering, and shadow frames (records that hold escaping locals for
// the whole call).  doc/design/exec-state.md.
#include "libsnowpvm/exec/descriptors.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/util/log.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

extern "C" {
int snow_exec_state = SNOW_EXEC_RUNNING;
}

extern "C" const snow_type snow_exec_frame_ptr_type;

namespace {

const snow_field kFrameFields[] = {
    snow::exec::field("next", &snow_exec_frame_ptr_type, offsetof(snow_frame, next)),
    snow::exec::field("function", &snow_type_uint, offsetof(snow_frame, function)),
    snow::exec::field("resume", &snow_type_int, offsetof(snow_frame, resume)),
};

// The head of the chain: a tracked root, so the memory-state runtime moves
// every record (and what they point to) with the rest of the data.
snow_frame* g_chain = nullptr;
bool g_tracked = false;

struct Shadow {
  void* record;
  const void* mark;  // address of a local of the owning call
};
// Ordered by decreasing mark (outermost call first).
std::vector<Shadow>& shadows() {
  static std::vector<Shadow> s;
  return s;
}

[[noreturn]] void corrupt(const char* what, unsigned got, unsigned want) {
  spdlog::critical("exec: {}: record of function {:#010x} where {:#010x} was expected; the program "
                   "that saved this state differs from this one",
                   what, got, want);
  std::abort();
}

}  // namespace

extern "C" {

const snow_type snow_exec_frame_type =
    snow::exec::record("struct snow_frame", sizeof(snow_frame), alignof(snow_frame), 3, kFrameFields);
const snow_type snow_exec_frame_ptr_type = snow::exec::pointer("struct snow_frame *", &snow_exec_frame_type);

void* snow_exec_frame_save(const snow_type* type, void* record, unsigned int function, int resume) {
  if (!record) {
    record = snow_calloc(1, type->size, type);
    if (!record) {
      spdlog::critical("exec: out of memory saving a frame of {}", type->name);
      std::abort();
    }
  }
  auto* f = static_cast<snow_frame*>(record);
  f->function = function;
  f->resume = resume;
  f->next = g_chain;
  g_chain = f;
  spdlog::debug("exec: saved frame: type=\"{}\" resume={}", type->name, resume);
  return record;
}

void* snow_exec_frame_resume(const snow_type* type, unsigned int function) {
  snow_frame* f = g_chain;
  if (!f) {
    spdlog::critical("exec: restoring {}: the saved chain has no more frames", type->name);
    std::abort();
  }
  if (f->function != function) corrupt(type->name, f->function, function);
  g_chain = f->next;
  f->next = nullptr;
  spdlog::debug("exec: re-entered: type=\"{}\" resume={}", type->name, f->resume);
  return f;
}

void snow_exec_frame_release(void* record) { snow_free(record); }

void snow_exec_restored(void* record, int keep) {
  if (g_chain) {
    spdlog::critical("exec: the innermost frame resumed but {} saved frame(s) remain",
                     snow::exec::chain_length());
    std::abort();
  }
  snow_exec_state = SNOW_EXEC_RUNNING;
  if (!keep) snow_free(record);
  bool rehearsal = snow::exec::rehearsing();
  if (rehearsal) snow::exec::rehearsal_done();
  spdlog::info("exec: resumed: at=\"{}\" rehearsal={}", record && keep ? "shadow frame" : "frame",
               rehearsal ? "yes" : "no");
}

void* snow_exec_shadow_enter(const snow_type* type, void* mark) {
  auto& s = shadows();
  // Records of calls at this depth or deeper have returned.
  while (!s.empty() && s.back().mark <= mark) {
    snow_free(s.back().record);
    s.pop_back();
  }
  void* record = snow_calloc(1, type->size, type);
  if (!record) {
    spdlog::critical("exec: out of memory for a frame of {}", type->name);
    std::abort();
  }
  s.push_back({record, mark});
  return record;
}

void snow_exec_shadow_adopt(void* record, void* mark) {
  auto& s = shadows();
  s.erase(std::remove_if(s.begin(), s.end(), [&](const Shadow& x) { return x.record == record; }), s.end());
  auto at = std::find_if(s.begin(), s.end(), [&](const Shadow& x) { return x.mark < mark; });
  s.insert(at, Shadow{record, mark});
}

}  // extern "C"

namespace snow::exec {

snow_frame* chain_head() { return g_chain; }

std::size_t chain_length() {
  std::size_t n = 0;
  for (snow_frame* f = g_chain; f; f = f->next) ++n;
  return n;
}

void track_chain() {
  if (g_tracked) return;
  g_tracked = true;
  if (snow_track(&g_chain, &snow_exec_frame_ptr_type, "snow.exec.chain") < 0)
    spdlog::warn("exec: cannot register the frame chain with the memory-state runtime");
}

}  // namespace snow::exec
