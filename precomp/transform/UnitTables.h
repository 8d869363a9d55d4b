// The registration of a translation unit with the runtime: the tables of
// its globals (and moved static locals), functions (function pointers
// travel by name) and type descriptors, and the constructor that hands
// them to snow_exec_add_unit() before main() runs.
#pragma once

#include "precomp/Diag.h"
#include "precomp/Edits.h"
#include "precomp/transform/FrameTransform.h"
#include "precomp/transform/TypeRegistry.h"

#include <string>
#include <vector>

namespace clang {
class ASTContext;
}

namespace snow::precomp {

// Adds the tables to the end of the file and the descriptor declarations
// at `prelude_offset` (after the last #include before the first function).
void emit_unit_tables(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types,
                      const std::vector<MovedStatic>& moved, const std::string& unit,
                      unsigned prelude_offset, Diag& diag);

}  // namespace snow::precomp
