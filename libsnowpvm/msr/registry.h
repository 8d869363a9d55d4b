// The MSR look-up table (MSRLT, seed 000): every memory block that may
// have to move, with its type descriptor.  Roots are globals/tracked
// variables (by name), live stack blocks (by depth and name) and saved
// frames; heap blocks live in slabs or a list (heap.h).  Block ids of the state
// stream are assigned at collection, not here, so registration stays O(1).
//
// The process has one Registry (used by the C API); tests and benchmarks
// make private ones to run a source and a destination in one process.
#pragma once

#include "libsnowpvm/msr/heap.h"
#include "snowpvm_msr.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace snow::msr {

struct Root {
  void* addr;
  const snow_type* type;
  std::string name;
};

// Memory owned by the runtime, aligned like malloc's.
class AlignedBuffer {
 public:
  AlignedBuffer() = default;
  explicit AlignedBuffer(size_t size);
  void* data() const { return p_.get(); }
  size_t size() const { return size_; }
  explicit operator bool() const { return p_ != nullptr; }

 private:
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  std::unique_ptr<void, Free> p_;
  size_t size_ = 0;
};

// An address-taken local of a saved frame: its contents moved into `copy`,
// its old address kept so that pointers into the dead frame translate.
struct SavedLocal {
  std::string name;
  const snow_type* type;
  uintptr_t old_addr;
  AlignedBuffer copy;
  void* live = nullptr;  // after resume: the re-pushed stack block
};

// A frame of pre-compiled code saved during unwinding (or restored and
// waiting to be resumed).
struct SavedFrame {
  std::string function;
  const snow_type* type;  // of the frame record
  AlignedBuffer record;
  std::vector<SavedLocal> locals;  // in push order
  void* record_live = nullptr;     // after resume: the function's record
};

// A pointer into a restored frame's local, to be re-pointed when the frame
// resumes and the local moves into its live stack block (see
// snow_frame_resume).  The holder may itself be in a frame.
struct FrameFixup {
  enum class Holder : uint8_t { Absolute, Record, Local };
  Holder holder;
  uintptr_t holder_addr;  // Absolute
  uint32_t holder_frame, holder_local;
  size_t holder_offset;
  uint32_t target_frame, target_local;
  size_t target_offset;
};

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // The process's registry (what snow_track, snow_malloc... use).  Its
  // stack is the C API's snow_stack_top.
  static Registry& process();

  // Roots.  Names are unique; blocks may not overlap.  Throws StateError.
  void track(void* addr, const snow_type* type, const std::string& name);
  bool untrack(void* addr);
  const std::vector<Root>& roots() const { return roots_; }
  const Root* find_root(const std::string& name) const;

  // Live stack blocks, innermost first.
  snow_stack_block*& stack_top() { return *stack_top_; }
  std::vector<snow_stack_block*> stack_bottom_up() const;

  HeapList& heap() { return heap_; }

  // Union active members recorded at run time (snow_union_set_active).
  void set_union_active(const void* u, int member);
  int union_active(const void* u) const;  // -1 when not recorded
  void forget_unions(const void* from, size_t size);
  // A block moved (realloc): its records move along, within `keep` bytes.
  void move_unions(const void* from, size_t size, const void* to, size_t keep);
  size_t union_records() const { return unions_.size(); }

  // Frames: index 0 is the innermost.  Saving appends; resuming goes from
  // the last (outermost) one inwards; when all are resumed they are gone.
  std::vector<SavedFrame>& frames() { return frames_; }
  size_t frames_pending() const { return frames_.size() - resumed_; }
  std::vector<FrameFixup>& frame_fixups() { return fixups_; }
  void save_frame(const void* record, const snow_type* type, const std::string& function,
                  unsigned nstack);
  void resume_frame(void* record, const snow_type* type, const std::string& function,
                    unsigned nstack);

  // Drop heap blocks, frames and union records (an aborted migration
  // restoring its own state).  Roots and live stack blocks stay.
  void discard_state();

 private:
  std::vector<Root> roots_;
  snow_stack_block* own_top_ = nullptr;
  snow_stack_block** stack_top_;
  HeapList heap_;
  std::map<uintptr_t, int> unions_;
  std::vector<SavedFrame> frames_;
  std::vector<FrameFixup> fixups_;
  size_t resumed_ = 0;

  void apply_fixups_into(uint32_t frame);
  uintptr_t holder_base(const FrameFixup& f) const;

  struct ProcessTag {};
  explicit Registry(ProcessTag);
};

}  // namespace snow::msr
