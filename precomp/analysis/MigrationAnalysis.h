// Migration point analysis (seed 000) with the placement heuristics and
// safety checks of seed 004:
//  * poll-points where the user wrote `#pragma snow poll`, and (unless
//    turned off) at the back-edges of loops that call functions or contain
//    loops, and at the ends of recursive functions; never in tiny leaf
//    kernels;
//  * the functions on a call path to a poll-point or to a message call,
//    which must save their frames and re-enter on restore;
//  * locals whose address escapes (kept in frame records);
//  * constructs that cannot migrate safely, each with a diagnostic and a
//    documented fallback (doc/precomp.md).
#pragma once

#include "precomp/Diag.h"
#include "precomp/Options.h"
#include "precomp/analysis/Plan.h"
#include "precomp/analysis/Pragmas.h"

namespace clang {
class ASTContext;
}

namespace snow::precomp {

// \returns the plan for every function defined in the main file.  Reports
// diagnostics; the caller checks diag.failed().
ProgramPlan analyze_program(clang::ASTContext& ctx, const Options& options, const PragmaLog& pragmas,
                            Diag& diag);

}  // namespace snow::precomp
