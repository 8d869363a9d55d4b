// PVM task identifiers.  A tid encodes the host it lives on (TIDHOST) and a
// host-local number (TIDLOCAL); a migrated process therefore always gets a
// new tid.  SNOW keeps the first tid of a process as its stable *virtual*
// tid (see libsnowpvm/comm/pl_table.h).
#pragma once

#include <cstdio>
#include <string>

namespace snow {

inline constexpr int kTidHostMask = 0x3ffc0000;
inline constexpr int kTidLocalMask = 0x0003ffff;

inline int tid_host_part(int tid) { return tid & kTidHostMask; }

// "t40003", the spelling PVM's console uses.
inline std::string tid_str(int tid) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "t%x", static_cast<unsigned>(tid));
  return buf;
}

}  // namespace snow
