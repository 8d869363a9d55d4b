// Rewrites of library calls and of writes the memory-state runtime must
// see, in every function of the main file:
//  * pvm_* task and message calls -> their snow_* twins; calls returning
//    library-owned memory (pvm_siblings, pvm_config, pvm_tasks) -> copies
//    in memory blocks;
//  * malloc/calloc/realloc/free/strdup -> snow_* with the element type
//    inferred from the code (the pointer type the result becomes, else a
//    sizeof in the size);
//  * fopen/freopen/fdopen/popen/open/close... -> wrappers that keep the
//    runtime's table of open files (streams on files move with the task;
//    pipes and plain descriptors defer migration);
//  * assignments to members of unions that hold pointers record the
//    active member.
// Each unsafe construct met on the way gets its diagnostic.
#pragma once

#include "precomp/Diag.h"
#include "precomp/Edits.h"
#include "precomp/transform/TypeRegistry.h"

namespace clang {
class ASTContext;
}

namespace snow::precomp {

void rewrite_library_calls(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types, Diag& diag);

}  // namespace snow::precomp
