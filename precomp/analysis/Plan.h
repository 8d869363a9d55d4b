// The result of migration point analysis for one translation unit: which
// functions take part in unwinding and re-entry, where their resume
// points are, and which locals live in frame records.  Produced by
// analyze_program(), consumed by the transformation passes.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace clang {
class CallExpr;
class CompoundStmt;
class Expr;
class ForStmt;
class FunctionDecl;
class Stmt;
class VarDecl;
}  // namespace clang

namespace snow::precomp {

enum class SiteKind {
  Poll,  // a poll-point: SNOW_POLL(k) before `stmt` (or at the end of `end_block`)
  Call,  // a call that may migrate: SNOW_CALL(k, ...)
  Comm,  // a message call of the communication runtime: SNOW_COMM(k, ...)
};

struct ResumeSite {
  int id = 0;  // k in __snow_unwind_k / __snow_restore_k
  SiteKind kind = SiteKind::Poll;
  // Poll: the statement the poll-point goes before (null: at the end of
  // end_block).  Call/Comm: the statement that is executed again on resume.
  const clang::Stmt* stmt = nullptr;
  const clang::CompoundStmt* end_block = nullptr;
  const clang::CallExpr* call = nullptr;
  // The call sits in the condition of this `for`, whose init statement is
  // moved in front of the loop so that resuming does not run it again.
  const clang::ForStmt* hoist_for_init = nullptr;
  // A statement with several calls that may migrate: all but the last are
  // hoisted, in evaluation order, into temporaries declared before it
  // (`__snow_h<id>`), so that each call can be resumed on its own.
  bool hoisted = false;
  int hoist_order = 0;  // place among the statement's hoisted code (evaluation order)
  std::vector<const clang::CallExpr*> hoisted_before;  // their temporaries are live here
  std::vector<int> exprs_before;  // ids of HoistedExprs computed before this point: live here
  // Locals assigned by those HoistedExprs: their new values are live here
  // even where the statement's liveness (computed before it) says not.
  std::vector<const clang::VarDecl*> written_before;
  std::string why;  // for the generated comment: "loop back-edge", "call to f", ...
};

// A side-effecting sub-expression (a call that does not migrate, an
// assignment, ++/--) evaluated unconditionally before a call that may
// migrate in the same statement.  It is computed once, in evaluation
// order, into a temporary declared before the statement (`__snow_t<id>`),
// so that resuming the statement evaluates it no second time.  A value
// that is discarded (void, left of a comma) becomes a statement of its own.
struct HoistedExpr {
  int id = 0;                         // n in __snow_t<n> (0: discarded, no temporary)
  const clang::Expr* expr = nullptr;  // with its outermost parentheses
  const clang::Stmt* stmt = nullptr;  // the statement it moves in front of
  int order = 0;                      // place among the statement's hoisted code
  bool discarded = false;
};

struct FunctionPlan {
  const clang::FunctionDecl* fn = nullptr;
  bool frames = false;   // saves its frame when unwinding and re-enters on restore
  bool inhibit = false;  // cannot unwind but calls code that may: defers migration
  bool is_main = false;
  std::vector<ResumeSite> sites;
  std::vector<HoistedExpr> hoisted_exprs;
  // Loops whose condition has code hoisted out of it: rewritten as
  // `for (init; ; inc) { hoisted; if (!(cond)) break; body }`, their sites
  // and hoisted code placed inside, before the condition.
  std::set<const clang::Stmt*> loop_heads;
  int expr_temps = 0;  // __snow_t<1..expr_temps>
  std::set<const clang::VarDecl*> shadow;      // locals kept in the frame record
  std::vector<const clang::VarDecl*> statics;  // static locals, moved to file scope
  // Variable length arrays (moved to heap blocks) and pointers to them,
  // rewritten as plain pointers plus their bounds (resume code cannot jump
  // into the scope of a variably modified type).
  std::vector<const clang::VarDecl*> vm_locals;
};

struct ProgramPlan {
  std::vector<FunctionPlan> functions;
  // Functions whose address is handed to library code (callbacks).
  std::set<const clang::FunctionDecl*> callbacks;
};

}  // namespace snow::precomp
