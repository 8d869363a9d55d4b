// The heap blocks the program freed last.  A pointer to a block the
// program has freed is dangling: C gives it no value any more, and a
// correct program never follows it -- but programs keep such pointers
// around all the time (a parent node, freed after its children, still
// points at them while the recursion unwinds).  The memory-state runtime
// sends a pointer into one of these blocks as NULL instead of refusing to
// move the process, and says so in the log.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snow::msr {

// snow_free calls this for every block it releases.
void note_freed(const void* payload, size_t size);

// Is `p` inside (or one past) a block freed lately?  Ask only for an
// address in no registered block: memory freed and handed out again is in
// a block, and is found there first.
bool was_freed(uintptr_t p);

}  // namespace snow::msr
