// Globals the program declared const (`static const char *const names[]`,
// a `const struct ops` table) may live in read-only pages: .rodata, or
// .data.rel.ro, which a position-independent executable's loader makes
// read-only after relocating it.  They are still registered -- pointers
// into them must travel -- and restoring writes their (identical) contents
// back.  A WritableWindows opens such pages for writing while a restore
// runs and gives them back their protection when it ends, whatever way it
// ends (RAII).  Pages keep their execute permission.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace snow::msr {

class WritableWindows {
 public:
  WritableWindows() = default;
  WritableWindows(const WritableWindows&) = delete;
  WritableWindows& operator=(const WritableWindows&) = delete;
  ~WritableWindows();

  // Makes [addr, addr + bytes) writable if some of it is not.  Returns
  // false when the memory map cannot be read or mprotect refuses; the
  // restore then writes and fails the way it would have.
  bool open(void* addr, size_t bytes);

  struct Mapping {
    uintptr_t begin = 0, end = 0;
    int prot = 0;
  };

 private:
  struct Opened {
    uintptr_t begin, end;
    int prot;  // the protection to give back
  };
  std::vector<Opened> opened_;
  std::vector<Mapping> map_;  // read at the first open()
  bool read_ = false;
};

}  // namespace snow::msr
