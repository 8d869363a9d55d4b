// Foreign-architecture tasks run under qemu-user.  pvmd starts tasks with a
// plain execv(), so the kernel must know how to run a foreign ELF file:
// that is binfmt_misc with qemu-user-static as interpreter (registered with
// the F flag so it works inside every namespace).
#pragma once

#include "snow/testbed/arch.h"

#include <string>

namespace snow::testbed {

// Make sure foreign binaries of `a` run.  Registers a handler when none is
// there (root only).  Throws snow::Error saying what is missing.
void ensure_binfmt(const ArchInfo& a);

}  // namespace snow::testbed
