// Plain words about raw addresses, for error messages of the memory-state
// runtime: where a piece of code is (to find an allocation site with
// addr2line) and what kind of memory an unregistered address is in.
#pragma once

#include <cstdint>
#include <string>

namespace snow::msr {

// "seq_tree+0x1a2b (addr2line -f -e /path/seq_tree 0x1a2b)" for the call
// that returned to `return_address`; "" when it cannot be placed.
std::string code_location(const void* return_address);

// What the memory at `addr` is, from the process's memory map: "on the
// stack ...", "in memory malloc'd outside the runtime ...", "in the data
// of /path ...", "in no mapped memory ...".  "" when the map cannot be read.
std::string memory_kind(uintptr_t addr);

struct Block;

// What follows "V points to 0x..., which is in no registered block" in an
// error: what that memory is, and where the heap block holding V (`holder`)
// was allocated when known.
std::string unregistered_detail(const Block& holder, uintptr_t target);

}  // namespace snow::msr
