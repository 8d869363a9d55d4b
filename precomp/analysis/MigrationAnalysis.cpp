#include "precomp/analysis/MigrationAnalysis.h"

#include "precomp/LibraryTables.h"
#include "precomp/transform/TypeRegistry.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace snow::precomp {

namespace {

using clang::dyn_cast;
using clang::isa;

enum class CallClass {
  Local,     // defined in this file: we know whether it may migrate
  External,  // defined in another (pre-compiled) file: it may migrate
  System,    // library code: never migrates
  Indirect,  // through a pointer: it may migrate
};

struct CallInfo {
  const clang::CallExpr* call = nullptr;
  const clang::FunctionDecl* callee = nullptr;  // the definition for Local calls
  CallClass cls = CallClass::System;
  std::string name;
  bool comm_point = false;  // a message call of the communication runtime
  bool cheap_library = false;  // <math.h>, __builtin_*: costs next to nothing
};

struct LoopInfo {
  const clang::Stmt* loop = nullptr;
  const clang::Stmt* body = nullptr;
  std::vector<size_t> calls;  // indices into FunctionInfo::calls, nested loops included
  bool has_nested_loop = false;
  bool outermost = true;
};

struct FunctionInfo {
  const clang::FunctionDecl* fn = nullptr;
  std::vector<CallInfo> calls;
  std::vector<LoopInfo> loops;
  std::vector<const clang::ReturnStmt*> returns;
  std::set<const clang::VarDecl*> escaping;
  std::vector<const clang::VarDecl*> statics;
  std::vector<clang::SourceLocation> asms, setjmps;
  // Variably modified locals: pointers to variable length arrays that the
  // frame transformation can rewrite (vm_locals), and those it cannot,
  // with the reason (vlas).
  std::vector<const clang::VarDecl*> vm_locals;
  std::vector<std::pair<clang::SourceLocation, std::string>> vlas;
};

std::string callee_name(const clang::FunctionDecl* fd) {
  if (!fd || !fd->getIdentifier()) return {};
  return fd->getName().str();
}

const clang::Expr* strip(const clang::Expr* e) {
  return e ? e->IgnoreParenCasts() : nullptr;
}

// ------------------------------------------------------------- the facts
// One walk over a function body collects what the decisions need.
class FactsVisitor : public clang::RecursiveASTVisitor<FactsVisitor> {
  using Base = clang::RecursiveASTVisitor<FactsVisitor>;

 public:
  FactsVisitor(clang::ASTContext& ctx, FunctionInfo& info, std::set<const clang::FunctionDecl*>& callbacks,
               const Options& options, Diag& diag)
      : ctx_(ctx), sm_(ctx.getSourceManager()), info_(info), callbacks_(callbacks),
        options_(options), diag_(diag) {}

  // Overriding with this signature turns off data recursion, so the loop
  // stack below is exact.
  bool TraverseStmt(clang::Stmt* s) {
    if (!s) return true;
    if (isa<clang::UnaryExprOrTypeTraitExpr>(s)) return true;  // sizeof: not evaluated
    const clang::Stmt* body = loop_body(s);
    if (!body) return Base::TraverseStmt(s);
    for (size_t i : loop_stack_) info_.loops[i].has_nested_loop = true;
    info_.loops.push_back(LoopInfo{s, body, {}, false, loop_stack_.empty()});
    loop_stack_.push_back(info_.loops.size() - 1);
    bool ok = Base::TraverseStmt(s);
    loop_stack_.pop_back();
    return ok;
  }

  bool VisitCallExpr(clang::CallExpr* c) {
    CallInfo ci = classify(c);
    ci.cheap_library = ci.cls == CallClass::System && (is_cheap_leaf(ci.name) || is_builtin_helper(c));
    for (size_t i : loop_stack_) info_.loops[i].calls.push_back(info_.calls.size());
    if (is_setjmp(ci.name)) info_.setjmps.push_back(c->getBeginLoc());
    if (ci.cls == CallClass::System) note_callbacks(c);
    info_.calls.push_back(std::move(ci));
    return true;
  }

  bool VisitVarDecl(clang::VarDecl* v) {
    if (v->isStaticLocal()) info_.statics.push_back(v);
    if (v->hasLocalStorage() && !isa<clang::ParmVarDecl>(v) && v->getType()->isVariablyModifiedType()) {
      if (std::string why = vm_local_unsupported(v); why.empty()) info_.vm_locals.push_back(v);
      else info_.vlas.push_back({v->getLocation(), why});
    }
    return true;
  }

  // Local typedefs of variably modified types: resume code cannot jump
  // into their scope.
  bool VisitTypedefNameDecl(clang::TypedefNameDecl* t) {
    if (t->getUnderlyingType()->isVariablyModifiedType())
      info_.vlas.push_back({t->getLocation(), "a local typedef of a variable length array type"});
    return true;
  }

  bool VisitGCCAsmStmt(clang::GCCAsmStmt* s) {
    info_.asms.push_back(s->getAsmLoc());
    return true;
  }
  bool VisitMSAsmStmt(clang::MSAsmStmt* s) {
    info_.asms.push_back(s->getAsmLoc());
    return true;
  }

  bool VisitReturnStmt(clang::ReturnStmt* r) {
    info_.returns.push_back(r);
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* e) {
    auto* v = dyn_cast<clang::VarDecl>(e->getDecl());
    if (v && v->hasLocalStorage() && address_escapes(e)) info_.escaping.insert(v);
    return true;
  }

  bool VisitCastExpr(clang::CastExpr* c) {
    bool null_operand =
        c->getSubExpr()->isNullPointerConstant(ctx_, clang::Expr::NPC_ValueDependentIsNull) != clang::Expr::NPCK_NotNull;
    if (c->getCastKind() == clang::CK_PointerToIntegral && !null_operand) {
      diag_.warning(c->getBeginLoc(),
                    "snow: pointer converted to an integer: after a migration the number no "
                    "longer designates the object; it migrates as a plain number "
                    "[snow-pointer-cast]");
    } else if (c->getCastKind() == clang::CK_IntegralToPointer && !null_operand) {
      std::string msg =
          "snow: integer converted to a pointer: a pointer hidden in an integer cannot be "
          "translated to the destination's memory";
      if (options_.allow_int_to_pointer)
        diag_.warning(c->getBeginLoc(), msg + "; it migrates as a plain number (allowed by "
                                              "--allow-int-to-pointer) [snow-pointer-cast]");
      else
        diag_.error(c->getBeginLoc(), msg + "; refusing (use --allow-int-to-pointer to migrate "
                                            "it as a plain number) [snow-pointer-cast]");
    }
    return true;
  }

 private:
  static const clang::Stmt* loop_body(const clang::Stmt* s) {
    if (auto* f = dyn_cast<clang::ForStmt>(s)) return f->getBody();
    if (auto* w = dyn_cast<clang::WhileStmt>(s)) return w->getBody();
    if (auto* d = dyn_cast<clang::DoStmt>(s)) return d->getBody();
    return nullptr;
  }

  // Why the frame transformation cannot rewrite a variably modified local
  // (FrameTransform: a pointer to a variable length array becomes a plain
  // pointer and its bounds, an array object a heap block), or empty.
  std::string vm_local_unsupported(const clang::VarDecl* v) const {
    clang::QualType t = v->getType();
    bool object = t->isVariableArrayType();
    if (!object && (!t->isPointerType() || !ctx_.getAsArrayType(t->getPointeeType())))
      return "a variably modified local other than a variable length array or a pointer to one";
    if (vm_element(ctx_, t).isNull()) return "a variable length array of variably modified elements";
    if (v->isStaticLocal()) return "a static variably modified local";
    auto parents = ctx_.getParents(*v);
    const auto* ds = parents.empty() ? nullptr : parents[0].get<clang::DeclStmt>();
    if (!ds || !ds->isSingleDecl()) return "a variably modified local declared together with other variables";
    auto ds_parents = ctx_.getParents(*ds);
    if (ds_parents.empty() || !ds_parents[0].get<clang::CompoundStmt>()) return "a variably modified local declared outside a block (in a for statement)";
    // Its bounds are written in its declaration (not in a typedef).
    for (clang::QualType p = object ? t : t->getPointeeType(); const clang::ArrayType* a = ctx_.getAsArrayType(p);
         p = a->getElementType())
      if (const auto* va = dyn_cast<clang::VariableArrayType>(a))
        if (!va->getSizeExpr() || sm_.isBeforeInTranslationUnit(va->getSizeExpr()->getBeginLoc(), v->getBeginLoc()))
          return "a variably modified local whose bounds come from a typedef";
    return {};
  }

  // __builtin_expect, __builtin_memcpy...: compiler helpers, not calls.
  static bool is_builtin_helper(const clang::CallExpr* c) {
    const clang::FunctionDecl* fd = c->getDirectCallee();
    return fd && fd->getBuiltinID() != 0 && callee_name(fd).rfind("__builtin_", 0) == 0;
  }

  // Some declaration of `fd` comes from a system header (programs may
  // redeclare library functions, e.g. K&R's `extern int errno;`).
  bool declared_by_library(const clang::FunctionDecl* fd) const {
    for (const clang::FunctionDecl* r : fd->redecls())
      if (sm_.isInSystemHeader(r->getLocation())) return true;
    return false;
  }

  CallInfo classify(const clang::CallExpr* c) const {
    CallInfo ci;
    ci.call = c;
    const clang::FunctionDecl* fd = c->getDirectCallee();
    if (!fd) {
      ci.cls = CallClass::Indirect;
      return ci;
    }
    ci.name = callee_name(fd);
    const clang::FunctionDecl* def = fd->getDefinition();
    if (def && sm_.isInMainFile(def->getLocation())) {
      ci.cls = CallClass::Local;
      ci.callee = def;
    } else if (def || fd->getBuiltinID() != 0 || declared_by_library(fd) || fd->isImplicit()) {
      // Library code, inline code from a header, or a function the program
      // calls without declaring it (K&R C does that for libc and libpvm).
      ci.cls = CallClass::System;
    } else {
      ci.cls = CallClass::External;
    }
    if (ci.cls == CallClass::System) {
      auto r = pvm_replacement(ci.name);
      ci.comm_point = r && r->migration_point;
    }
    return ci;
  }

  // A function handed to library code is called from code that cannot
  // unwind (qsort comparators, signal handlers, ...).
  void note_callbacks(const clang::CallExpr* c) {
    for (const clang::Expr* arg : c->arguments()) {
      auto* ref = dyn_cast<clang::DeclRefExpr>(strip(arg));
      if (!ref) continue;
      if (auto* fd = dyn_cast<clang::FunctionDecl>(ref->getDecl()))
        if (const clang::FunctionDecl* def = fd->getDefinition()) callbacks_.insert(def);
    }
  }

  const clang::Expr* parent_expr(const clang::Expr* e) const {
    auto parents = ctx_.getParents(*e);
    if (parents.empty()) return nullptr;
    return parents[0].get<clang::Expr>();
  }

  // Does the address of the local named by `ref` outlive the expression?
  // Plain reads and writes, member and element accesses do not take the
  // address; passing it to a library call that keeps no pointer does not
  // let it escape; anything else does (conservatively).
  bool address_escapes(const clang::DeclRefExpr* ref) const {
    const clang::Expr* e = ref;
    bool decayed = false;
    for (;;) {
      const clang::Expr* p = parent_expr(e);
      if (!p) return decayed;
      if (auto* ic = dyn_cast<clang::ImplicitCastExpr>(p)) {
        if (ic->getCastKind() == clang::CK_ArrayToPointerDecay) decayed = true;
        else if (ic->getCastKind() == clang::CK_LValueToRValue) return false;
        e = p;
        continue;
      }
      if (isa<clang::ParenExpr>(p)) {
        e = p;
        continue;
      }
      if (auto* m = dyn_cast<clang::MemberExpr>(p)) {
        if (m->isArrow()) return false;  // a pointer value is read
        e = p;
        continue;
      }
      if (auto* a = dyn_cast<clang::ArraySubscriptExpr>(p)) {
        if (decayed && strip(a->getBase()) == strip(e)) {
          decayed = false;  // an element of the local array
          e = p;
          continue;
        }
        return false;  // the local is an index
      }
      if (auto* u = dyn_cast<clang::UnaryOperator>(p)) {
        if (u->getOpcode() == clang::UO_AddrOf) return pointer_escapes(u);
        return false;
      }
      return decayed && pointer_escapes(e);
    }
  }

  bool pointer_escapes(const clang::Expr* e) const {
    for (;;) {
      const clang::Expr* p = parent_expr(e);
      if (!p) return true;
      if (isa<clang::ParenExpr>(p) || isa<clang::CastExpr>(p)) {
        e = p;
        continue;
      }
      if (auto* c = dyn_cast<clang::CallExpr>(p)) {
        if (c->getCallee() == e) return false;
        const clang::FunctionDecl* fd = c->getDirectCallee();
        return !(fd && is_non_retaining(callee_name(fd)));
      }
      if (auto* u = dyn_cast<clang::UnaryOperator>(p)) return u->getOpcode() != clang::UO_Deref;
      if (auto* m = dyn_cast<clang::MemberExpr>(p)) return !m->isArrow();
      if (auto* b = dyn_cast<clang::BinaryOperator>(p)) return !b->isComparisonOp();
      return true;
    }
  }

  clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  FunctionInfo& info_;
  std::set<const clang::FunctionDecl*>& callbacks_;
  const Options& options_;
  Diag& diag_;
  std::vector<size_t> loop_stack_;
};

// ----------------------------------------------------- statement context
enum class Role { Body, Cond, Init, Inc, DoCond, Value };

struct StmtContext {
  const clang::Stmt* stmt = nullptr;  // statement executed again on resume
  Role role = Role::Body;
};

class Resumability {
 public:
  explicit Resumability(clang::ASTContext& ctx) : ctx_(ctx) {}

  // \returns the statement that contains `call` and how the call sits in it.
  StmtContext enclosing(const clang::Expr* call) const {
    clang::DynTypedNode node = clang::DynTypedNode::create(*call);
    const clang::Stmt* child = call;
    for (;;) {
      auto parents = ctx_.getParents(node);
      if (parents.empty()) return {child, Role::Body};
      const clang::DynTypedNode& p = parents[0];
      if (const auto* vd = p.get<clang::VarDecl>()) {
        auto decl_parents = ctx_.getParents(*vd);
        const clang::DeclStmt* ds = decl_parents.empty() ? nullptr : decl_parents[0].get<clang::DeclStmt>();
        if (!ds) return {child, Role::Body};
        auto ds_parents = ctx_.getParents(*ds);
        if (!ds_parents.empty())
          if (const auto* f = ds_parents[0].get<clang::ForStmt>(); f && f->getInit() == ds)
            return {f, Role::Init};
        return {ds, Role::Value};
      }
      const auto* ps = p.get<clang::Stmt>();
      if (!ps) return {child, Role::Body};
      if (isa<clang::Expr>(ps)) {
        child = ps;
        node = p;
        continue;
      }
      if (const auto* f = dyn_cast<clang::ForStmt>(ps)) {
        if (child == f->getInit()) return {f, Role::Init};
        if (child == f->getCond()) return {f, Role::Cond};
        if (child == f->getInc()) return {f, Role::Inc};
        return {child, Role::Body};
      }
      if (const auto* w = dyn_cast<clang::WhileStmt>(ps))
        return child == w->getCond() ? StmtContext{w, Role::Cond} : StmtContext{child, Role::Body};
      if (const auto* d = dyn_cast<clang::DoStmt>(ps))
        return child == d->getCond() ? StmtContext{d, Role::DoCond} : StmtContext{child, Role::Body};
      if (const auto* i = dyn_cast<clang::IfStmt>(ps))
        return child == i->getCond() ? StmtContext{i, Role::Cond} : StmtContext{child, Role::Body};
      if (const auto* s = dyn_cast<clang::SwitchStmt>(ps))
        return child == s->getCond() ? StmtContext{s, Role::Cond} : StmtContext{child, Role::Body};
      if (isa<clang::ReturnStmt>(ps)) return {ps, Role::Value};
      return {child, Role::Body};
    }
  }

  // What a resumed statement evaluates before reaching `call` and must
  // not evaluate again.  Pure code may run twice; side-effecting code is
  // computed once ahead of the statement, unless it runs only under a
  // condition or after a sequence point that `call` also waits for.
  struct Prefix {
    std::vector<const clang::Expr*> hoist;  // maximal side-effecting parts, to compute ahead
    const clang::Expr* stuck = nullptr;     // side effects that cannot move ahead
  };

  // `temps` are calls hoisted into temporaries: they count as pure.
  // `args_only`: `call` itself is hoisted, only its operands run again.
  Prefix impure_prefix(const clang::CallExpr* call, const StmtContext& sc,
                       const std::set<const clang::Expr*>& temps, bool args_only) const {
    // Operands evaluated before `call`, innermost first; `guarded`: only
    // under a condition, or sequenced after something else in the statement.
    struct Operand {
      const clang::Expr* e;
      bool guarded;
    };
    std::vector<Operand> ops;
    for (const clang::Expr* arg : call->arguments()) ops.push_back({arg, false});
    if (!call->getDirectCallee()) ops.push_back({call->getCallee(), false});
    const clang::Expr* child = call;
    while (!args_only) {
      auto parents = ctx_.getParents(*child);
      const clang::Expr* parent = parents.empty() ? nullptr : parents[0].get<clang::Expr>();
      if (!parent) break;
      if (sequenced_after(parent, child))
        for (Operand& o : ops) o.guarded = true;
      for (const clang::Stmt* s : parent->children()) {
        const auto* sibling = dyn_cast_or_null<clang::Expr>(s);
        if (!sibling || sibling == child) continue;
        if (evaluated_before(parent, sibling, child)) ops.push_back({sibling, false});
      }
      child = parent;
    }
    if (const auto* ds = dyn_cast<clang::DeclStmt>(sc.stmt); ds && !args_only) {
      for (const clang::Decl* d : ds->decls()) {
        const auto* vd = dyn_cast<clang::VarDecl>(d);
        if (!vd || !vd->getInit()) continue;
        if (vd->getInit() == child) break;
        ops.push_back({vd->getInit(), false});
      }
    }
    Prefix out;
    for (const Operand& o : ops) {
      if (pure(o.e, temps)) continue;
      if (o.guarded) {
        out.stuck = first_impure(o.e, temps);
        return out;
      }
      side_effects(o.e, temps, out.hoist);
    }
    return out;
  }

  // Is `child` evaluated only under a condition, or after another operand
  // of `parent` (right of && || and the comma, a branch of ?:)?
  static bool sequenced_after(const clang::Expr* parent, const clang::Expr* child) {
    if (const auto* b = dyn_cast<clang::BinaryOperator>(parent))
      return (b->isLogicalOp() || b->isCommaOp()) && b->getRHS() == child;
    if (const auto* c = dyn_cast<clang::AbstractConditionalOperator>(parent)) return c->getCond() != child;
    return false;
  }

  // The outermost parts of `e` that have side effects and can be computed
  // on their own: calls, assignments, ++/--, and whole &&, ||, ?: and
  // comma expressions when their conditional parts have side effects.
  // Outermost parentheses included.
  void side_effects(const clang::Expr* e, const std::set<const clang::Expr*>& temps,
                    std::vector<const clang::Expr*>& out) const {
    if (!e || pure(e, temps)) return;
    const clang::Expr* inner = e;
    while (const auto* p = dyn_cast<clang::ParenExpr>(inner)) inner = p->getSubExpr();
    if (is_unit(inner)) {
      // Without parentheses that come from a macro's body (`(e)` around
      // a macro argument): the argument alone can be rewritten.
      const clang::SourceManager& sm = ctx_.getSourceManager();
      while (const auto* p = dyn_cast<clang::ParenExpr>(e)) {
        const clang::LangOptions& lo = ctx_.getLangOpts();
        bool whole_expansion = clang::Lexer::isAtStartOfMacroExpansion(p->getLParen(), sm, lo) &&
                               clang::Lexer::isAtEndOfMacroExpansion(p->getRParen(), sm, lo);
        if (!p->getLParen().isMacroID() || sm.isMacroArgExpansion(p->getLParen()) || whole_expansion) break;
        e = p->getSubExpr();
      }
      out.push_back(e);
      return;
    }
    // The value of a whole macro expansion: moved as it is, since the
    // code in the macro's body cannot be rewritten.
    if (e->isPRValue() && whole_macro_expansion(e)) {
      out.push_back(e);
      return;
    }
    for (const clang::Stmt* c : e->children())
      if (const auto* ce = dyn_cast_or_null<clang::Expr>(c)) side_effects(ce, temps, out);
  }

  bool whole_macro_expansion(const clang::Expr* e) const {
    const clang::SourceManager& sm = ctx_.getSourceManager();
    clang::SourceLocation b = e->getBeginLoc(), x = e->getEndLoc();
    return b.isMacroID() && !sm.isMacroArgExpansion(b) &&
           clang::Lexer::isAtStartOfMacroExpansion(b, sm, ctx_.getLangOpts()) &&
           clang::Lexer::isAtEndOfMacroExpansion(x, sm, ctx_.getLangOpts());
  }

  static bool is_unit(const clang::Expr* e) {
    if (isa<clang::CallExpr>(e) || isa<clang::StmtExpr>(e) || isa<clang::AbstractConditionalOperator>(e))
      return true;
    if (const auto* b = dyn_cast<clang::BinaryOperator>(e))
      return b->isAssignmentOp() || b->isLogicalOp() || b->isCommaOp();
    if (const auto* u = dyn_cast<clang::UnaryOperator>(e)) return u->isIncrementDecrementOp();
    return false;
  }

  // The first part of `e` with side effects (for diagnostics).
  const clang::Expr* first_impure(const clang::Expr* e, const std::set<const clang::Expr*>& temps) const {
    std::vector<const clang::Expr*> parts;
    side_effects(e, temps, parts);
    return parts.empty() ? e : parts.front();
  }

  static bool evaluated_before(const clang::Expr* parent, const clang::Expr* sibling,
                               const clang::Expr* child) {
    if (const auto* b = dyn_cast<clang::BinaryOperator>(parent)) {
      if (b->isLogicalOp() || b->isCommaOp()) return sibling == b->getLHS();
      return true;  // unsequenced operands
    }
    if (const auto* c = dyn_cast<clang::AbstractConditionalOperator>(parent))
      return sibling == c->getCond() && child != c->getCond();
    return true;
  }

  // Is `call` evaluated only under a condition (right of && || or the
  // comma, a branch of ?:) within its statement?
  bool conditional(const clang::Expr* call) const {
    const clang::Expr* child = call;
    for (;;) {
      auto parents = ctx_.getParents(*child);
      const clang::Expr* parent = parents.empty() ? nullptr : parents[0].get<clang::Expr>();
      if (!parent) return false;
      if (const auto* b = dyn_cast<clang::BinaryOperator>(parent);
          b && (b->isLogicalOp() || b->isCommaOp()) && b->getRHS() == child)
        return true;
      if (const auto* c = dyn_cast<clang::AbstractConditionalOperator>(parent); c && c->getCond() != child)
        return true;
      child = parent;
    }
  }

 private:
  static bool pure(const clang::Expr* e, const std::set<const clang::Expr*>& temps) {
    if (!e) return true;
    if (temps.count(e)) return true;
    if (isa<clang::UnaryExprOrTypeTraitExpr>(e)) return true;
    if (const auto* c = dyn_cast<clang::CallExpr>(e)) {
      const clang::FunctionDecl* fd = c->getDirectCallee();
      if (!fd || !is_pure(callee_name(fd))) return false;
    }
    if (const auto* b = dyn_cast<clang::BinaryOperator>(e); b && b->isAssignmentOp()) return false;
    if (const auto* u = dyn_cast<clang::UnaryOperator>(e); u && u->isIncrementDecrementOp())
      return false;
    if (isa<clang::StmtExpr>(e)) return false;
    for (const clang::Stmt* child : e->children())
      if (const auto* ce = dyn_cast_or_null<clang::Expr>(child); ce && !pure(ce, temps)) return false;
    return true;
  }

  clang::ASTContext& ctx_;
};

// ---------------------------------------------------------------- decisions
class Analyzer {
 public:
  Analyzer(clang::ASTContext& ctx, const Options& options, const PragmaLog& pragmas, Diag& diag)
      : ctx_(ctx), sm_(ctx.getSourceManager()), options_(options), pragmas_(pragmas), diag_(diag),
        resumability_(ctx) {}

  ProgramPlan run() {
    collect();
    find_recursion();
    find_tiny();
    decide_migrating();
    ProgramPlan plan;
    plan.callbacks = callbacks_;
    for (auto& info : infos_) plan.functions.push_back(plan_function(info));
    return plan;
  }

 private:
  void collect() {
    for (const clang::Decl* d : ctx_.getTranslationUnitDecl()->decls()) {
      const auto* fd = dyn_cast<clang::FunctionDecl>(d);
      if (!fd || !fd->doesThisDeclarationHaveABody() || !sm_.isInMainFile(fd->getLocation()))
        continue;
      infos_.push_back(FunctionInfo{});
      infos_.back().fn = fd;
    }
    for (auto& info : infos_) {
      FactsVisitor v(ctx_, info, callbacks_, options_, diag_);
      v.TraverseStmt(info.fn->getBody());
      index_[info.fn] = &info;
      check_vm_uses(info);
    }
  }

  // A pointer to a variable length array is rewritten at every use: read,
  // or assigned as a whole.  Anything else (its address, ++, +=) keeps
  // its function from unwinding; so does a variably modified parameter
  // whose address escapes (its record copy would lose its type).
  void check_vm_uses(FunctionInfo& info) {
    for (const clang::ParmVarDecl* p : info.fn->parameters())
      if (p->getType()->isVariablyModifiedType() && info.escaping.count(p))
        info.vlas.push_back({p->getLocation(), "a variably modified parameter whose address is taken"});
    std::vector<const clang::VarDecl*> ok;
    for (const clang::VarDecl* v : info.vm_locals) {
      if (v->getType()->isVariableArrayType()) {
        // An array object moves to the heap: every use is an lvalue of its
        // type there, and its address may go anywhere.
        info.escaping.erase(v);
        ok.push_back(v);
        continue;
      }
      std::string why = info.escaping.count(v) ? "a pointer to a variable length array whose address is taken"
                                               : unsupported_vm_use(info.fn->getBody(), v);
      if (why.empty()) ok.push_back(v);
      else info.vlas.push_back({v->getLocation(), why});
    }
    info.vm_locals = ok;
  }

  std::string unsupported_vm_use(const clang::Stmt* s, const clang::VarDecl* v) const {
    if (!s) return {};
    if (const auto* r = dyn_cast<clang::DeclRefExpr>(s); r && r->getDecl() == v) {
      const clang::Expr* e = r;
      for (;;) {
        auto parents = ctx_.getParents(*e);
        const clang::Expr* p = parents.empty() ? nullptr : parents[0].get<clang::Expr>();
        if (const auto* pe = dyn_cast_or_null<clang::ParenExpr>(p)) {
          e = pe;
          continue;
        }
        if (const auto* c = dyn_cast_or_null<clang::ImplicitCastExpr>(p); c && c->getCastKind() == clang::CK_LValueToRValue)
          return {};
        if (const auto* b = dyn_cast_or_null<clang::BinaryOperator>(p); b && b->getOpcode() == clang::BO_Assign && b->getLHS() == e)
          return {};
        if (isa_and_nonnull<clang::UnaryExprOrTypeTraitExpr>(p)) return {};
        return "a pointer to a variable length array that is modified other than by a plain assignment";
      }
    }
    for (const clang::Stmt* c : s->children())
      if (std::string why = unsupported_vm_use(c, v); !why.empty()) return why;
    return {};
  }

  void find_recursion() {
    for (auto& info : infos_) {
      std::set<const clang::FunctionDecl*> seen;
      std::vector<const clang::FunctionDecl*> work{info.fn};
      while (!work.empty()) {
        const clang::FunctionDecl* f = work.back();
        work.pop_back();
        auto it = index_.find(f);
        if (it == index_.end()) continue;
        for (const CallInfo& c : it->second->calls) {
          if (c.cls != CallClass::Local) continue;
          if (c.callee == info.fn) recursive_.insert(info.fn);
          if (seen.insert(c.callee).second) work.push_back(c.callee);
        }
      }
    }
  }

  // Tiny functions: no loops, no recursion, and they call only cheap
  // library code or other tiny functions.  Calling one costs next to
  // nothing (the compiler usually inlines it), so a loop that calls only
  // tiny functions is still a tiny kernel.
  void find_tiny() {
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& info : infos_) {
        if (tiny_.count(info.fn) || !info.loops.empty() || recursive_.count(info.fn)) continue;
        bool tiny = true;
        for (const CallInfo& c : info.calls) tiny = tiny && cheap(c);
        if (tiny) {
          tiny_.insert(info.fn);
          changed = true;
        }
      }
    }
  }

  bool cheap(const CallInfo& c) const {
    return c.cheap_library || (c.cls == CallClass::Local && tiny_.count(c.callee));
  }

  bool calls_costly(const FunctionInfo& info) const {
    for (const CallInfo& c : info.calls)
      if (!cheap(c)) return true;
    return false;
  }

  bool loop_calls_costly(const FunctionInfo& info, const LoopInfo& l) const {
    for (size_t i : l.calls)
      if (!cheap(info.calls[i])) return true;
    return false;
  }

  // Why a function cannot unwind, or empty.
  std::string cannot_unwind(const FunctionInfo& info) const {
    if (info.fn->isVariadic()) return "it is variadic (its va_list cannot be saved)";
    if (!info.setjmps.empty()) return "it calls setjmp (a jmp_buf holds machine state)";
    if (!info.asms.empty()) return "it contains inline assembly";
    if (!info.vlas.empty()) return "it has " + info.vlas.front().second;
    if (callbacks_.count(info.fn)) return "library code calls it back and cannot unwind";
    return {};
  }

  bool has_pragma_poll(const FunctionInfo& info) const {
    for (clang::SourceLocation loc : pragmas_.poll)
      if (inside(info.fn->getBody(), loc)) return true;
    return false;
  }
  bool nopoll(const FunctionInfo& info) const {
    for (clang::SourceLocation loc : pragmas_.nopoll)
      if (inside(info.fn->getBody(), loc)) return true;
    return false;
  }
  bool inside(const clang::Stmt* s, clang::SourceLocation loc) const {
    return s && !sm_.isBeforeInTranslationUnit(loc, s->getBeginLoc()) &&
           !sm_.isBeforeInTranslationUnit(s->getEndLoc(), loc);
  }

  bool auto_loops() const {
    return options_.auto_poll == AutoPoll::All || options_.auto_poll == AutoPoll::Loops;
  }
  bool auto_recursion() const {
    return options_.auto_poll == AutoPoll::All || options_.auto_poll == AutoPoll::Recursion;
  }

  // Loops that get a poll-point at their back-edge (top of the body).
  std::vector<const LoopInfo*> polled_loops(const FunctionInfo& info) const {
    std::vector<const LoopInfo*> out;
    if (!auto_loops() || nopoll(info)) return out;
    bool leaf = !calls_costly(info);
    for (const LoopInfo& l : info.loops) {
      // A tiny kernel (an innermost loop that calls nothing costly) never
      // polls; in a leaf function only the outermost loop of a nest does.
      bool poll = leaf ? (l.outermost && l.has_nested_loop)
                       : (loop_calls_costly(info, l) || l.has_nested_loop);
      if (poll) out.push_back(&l);
    }
    return out;
  }

  bool polls_at_end(const FunctionInfo& info) const {
    return auto_recursion() && !nopoll(info) && recursive_.count(info.fn);
  }

  bool has_own_sites(const FunctionInfo& info) const {
    if (has_pragma_poll(info) || !polled_loops(info).empty() || polls_at_end(info)) return true;
    for (const CallInfo& c : info.calls)
      if (c.comm_point) return true;
    return false;
  }

  bool call_may_migrate(const CallInfo& c) const {
    switch (c.cls) {
      case CallClass::Local: return migrating_.count(c.callee) > 0;
      case CallClass::External:
      case CallClass::Indirect: return true;
      case CallClass::System: return false;
    }
    return false;
  }

  // Fixpoint: a function migrates when it has a poll-point or message call
  // of its own, or calls something that may migrate -- unless it cannot
  // unwind, in which case it defers migration while it runs.
  void decide_migrating() {
    for (bool changed = true; changed;) {
      changed = false;
      for (const auto& info : infos_) {
        if (migrating_.count(info.fn) || !cannot_unwind(info).empty()) continue;
        bool m = has_own_sites(info);
        for (const CallInfo& c : info.calls) m = m || call_may_migrate(c);
        if (m) {
          migrating_.insert(info.fn);
          changed = true;
        }
      }
    }
  }

  FunctionPlan plan_function(const FunctionInfo& info) {
    FunctionPlan plan;
    plan.fn = info.fn;
    plan.is_main = info.fn->isMain();
    plan.statics = info.statics;
    report_unsafe(info);
    std::string why_not = cannot_unwind(info);
    if (!why_not.empty()) {
      bool calls_migrating = false;
      for (const CallInfo& c : info.calls) calls_migrating = calls_migrating || call_may_migrate(c) || c.comm_point;
      if (calls_migrating || has_own_sites(info)) {
        plan.inhibit = true;
        diag_.warning(info.fn->getLocation(),
                      "snow: '" + info.fn->getNameAsString() + "' cannot save its frame because " +
                          why_not + "; migration is deferred while it runs [snow-no-migrate]");
        for (clang::SourceLocation loc : pragmas_.poll)
          if (inside(info.fn->getBody(), loc))
            diag_.warning(loc, "snow: poll-point ignored: '" + info.fn->getNameAsString() +
                                   "' cannot migrate [snow-no-migrate]");
      }
      return plan;
    }
    if (!migrating_.count(info.fn)) return plan;
    plan.frames = true;
    plan.shadow = info.escaping;
    plan.vm_locals = info.vm_locals;
    add_poll_sites(info, plan);
    add_call_sites(info, plan);
    std::stable_sort(plan.sites.begin(), plan.sites.end(), [&](const ResumeSite& a, const ResumeSite& b) {
      return sm_.isBeforeInTranslationUnit(site_loc(a), site_loc(b));
    });
    int k = 0;
    for (ResumeSite& s : plan.sites) s.id = ++k;
    return plan;
  }

  static clang::SourceLocation site_loc(const ResumeSite& s) {
    if (s.call) return s.call->getBeginLoc();
    if (s.stmt) return s.stmt->getBeginLoc();
    return s.end_block->getRBracLoc();
  }

  static ResumeSite poll_before(const clang::Stmt* body, std::string why) {
    ResumeSite site;
    site.kind = SiteKind::Poll;
    site.why = std::move(why);
    if (const auto* cs = dyn_cast<clang::CompoundStmt>(body)) {
      if (cs->body_empty()) site.end_block = cs;
      else site.stmt = cs->body_front();
    } else {
      site.stmt = body;
    }
    return site;
  }

  void add_poll_sites(const FunctionInfo& info, FunctionPlan& plan) {
    for (const LoopInfo* l : polled_loops(info))
      plan.sites.push_back(poll_before(l->body, loop_calls_costly(info, *l) ? "loop that calls functions"
                                                                              : "loop nest"));
    if (polls_at_end(info)) {
      for (const clang::ReturnStmt* r : info.returns) {
        ResumeSite s;
        s.kind = SiteKind::Poll;
        s.stmt = r;
        s.why = "end of recursive function";
        plan.sites.push_back(s);
      }
      const auto* body = dyn_cast<clang::CompoundStmt>(info.fn->getBody());
      if (body && (body->body_empty() || !isa<clang::ReturnStmt>(body->body_back()))) {
        ResumeSite s;
        s.kind = SiteKind::Poll;
        s.why = "end of recursive function";
        // Before a final self tail call rather than after it, so that the
        // compiler can still turn that call into a jump.
        if (!body->body_empty() && ends_with_self_tail_call(info, body->body_back())) s.stmt = body->body_back();
        else s.end_block = body;
        plan.sites.push_back(s);
      }
    }
    for (clang::SourceLocation loc : pragmas_.poll)
      if (inside(info.fn->getBody(), loc)) plan.sites.push_back(pragma_site(info, loc));
  }

  // The statement that follows the pragma in its innermost block.
  ResumeSite pragma_site(const FunctionInfo& info, clang::SourceLocation loc) const {
    const clang::CompoundStmt* block = innermost_block(info.fn->getBody(), loc);
    ResumeSite site;
    site.kind = SiteKind::Poll;
    site.why = "#pragma snow poll";
    site.end_block = block;
    for (const clang::Stmt* s : block->body())
      if (sm_.isBeforeInTranslationUnit(loc, s->getBeginLoc())) {
        site.stmt = s;
        site.end_block = nullptr;
        break;
      }
    return site;
  }

  const clang::CompoundStmt* innermost_block(const clang::Stmt* s, clang::SourceLocation loc) const {
    const clang::CompoundStmt* best = dyn_cast<clang::CompoundStmt>(s);
    for (const clang::Stmt* child : s->children()) {
      if (!child || !inside(child, loc)) continue;
      if (const clang::CompoundStmt* inner = innermost_block(child, loc)) best = inner;
    }
    return best;
  }

  // A call of the function to itself after which nothing runs (its value,
  // if any, is returned as it is).  The frame making it has nothing left
  // to do, so it need not be saved: on restore the callee's record stands
  // in for it, as tail-call elimination would have it.  No check after the
  // call either, which keeps it a tail call for the compiler.
  bool self_tail_call(const FunctionInfo& info, const CallInfo& c) const {
    if (c.cls != CallClass::Local || c.callee != info.fn) return false;
    StmtContext sc = resumability_.enclosing(c.call);
    if (sc.role == Role::Value) {
      const auto* r = dyn_cast<clang::ReturnStmt>(sc.stmt);
      return r && r->getRetValue() && r->getRetValue()->IgnoreParenImpCasts() == c.call;
    }
    const auto* e = dyn_cast<clang::Expr>(sc.stmt);
    return sc.role == Role::Body && e && e->IgnoreParenImpCasts() == c.call && ends_function(info, sc.stmt);
  }

  bool ends_with_self_tail_call(const FunctionInfo& info, const clang::Stmt* s) const {
    for (const CallInfo& c : info.calls)
      if (resumability_.enclosing(c.call).stmt == s && self_tail_call(info, c)) return true;
    return false;
  }

  // Nothing runs after `s` in its function.
  bool ends_function(const FunctionInfo& info, const clang::Stmt* s) const {
    auto parents = ctx_.getParents(*s);
    const clang::Stmt* p = parents.empty() ? nullptr : parents[0].get<clang::Stmt>();
    if (const auto* cs = dyn_cast_or_null<clang::CompoundStmt>(p)) {
      if (cs->body_back() != s) return false;
      return cs == info.fn->getBody() || ends_function(info, cs);
    }
    if (const auto* i = dyn_cast_or_null<clang::IfStmt>(p)) return i->getCond() != s && ends_function(info, i);
    return false;
  }

  static std::string describe_call(const CallInfo& c) {
    return c.comm_point ? "'" + c.name + "'"
           : c.name.empty() ? std::string("an indirect call")
                            : "the call to '" + c.name + "'";
  }

  void add_call_sites(const FunctionInfo& info, FunctionPlan& plan) {
    // Calls that may migrate, grouped by the statement resumed for them.
    std::vector<const clang::Stmt*> order;
    std::map<const clang::Stmt*, std::vector<const CallInfo*>> groups;
    std::map<const clang::Stmt*, StmtContext> contexts;
    for (const CallInfo& c : info.calls) {
      if (!c.comm_point && !call_may_migrate(c)) continue;
      if (self_tail_call(info, c)) continue;
      StmtContext sc = resumability_.enclosing(c.call);
      if (sc.role == Role::Inc || sc.role == Role::DoCond) {
        diag_.error(c.call->getBeginLoc(),
                    "snow: " + describe_call(c) + " may migrate but sits in the " +
                        (sc.role == Role::Inc ? "increment of a for loop" : "condition of a do-while loop") +
                        ", where execution cannot resume; move it into the loop body [snow-resume]");
        continue;
      }
      if (!groups.count(sc.stmt)) order.push_back(sc.stmt);
      groups[sc.stmt].push_back(&c);
      contexts[sc.stmt] = sc;
    }
    for (const clang::Stmt* s : order) add_statement_sites(groups[s], contexts[s], plan);
  }

  // The sites of one statement.  Several calls are evaluated in the order
  // C allows for them (post-order: arguments first, then left to right);
  // all but the last are hoisted into temporaries before the statement,
  // and so is the code with side effects evaluated before any of them
  // (HoistedExpr), so that resuming evaluates nothing twice.
  void add_statement_sites(std::vector<const CallInfo*> calls, const StmtContext& sc, FunctionPlan& plan) {
    std::stable_sort(calls.begin(), calls.end(), [&](const CallInfo* a, const CallInfo* b) {
      return evaluated_earlier(a->call, b->call);
    });
    bool loop_cond = sc.role == Role::Cond && (isa<clang::WhileStmt>(sc.stmt) || isa<clang::ForStmt>(sc.stmt));
    std::set<const clang::Expr*> temps;
    for (size_t i = 0; i + 1 < calls.size(); ++i) {
      const CallInfo& c = *calls[i];
      std::string why;
      if (resumability_.conditional(c.call)) why = "a part of the expression evaluated only under a condition";
      if (!why.empty()) {
        diag_.error(c.call->getBeginLoc(),
                    "snow: this statement makes several calls that may migrate, and " + describe_call(c) +
                        " sits in " + why + ", so it cannot be evaluated on its own first; split the "
                        "statement [snow-resume]");
        diag_.note(calls.back()->call->getBeginLoc(), "snow: another call that may migrate is here");
        return;
      }
      temps.insert(c.call);
    }
    // Side effects evaluated before each call, computed ahead instead.
    std::vector<const clang::Expr*> exprs;
    for (size_t i = 0; i < calls.size(); ++i) {
      const CallInfo& c = *calls[i];
      std::set<const clang::Expr*> others = temps;
      others.erase(c.call);
      auto prefix = resumability_.impure_prefix(c.call, sc, others, i + 1 < calls.size());
      if (prefix.stuck) {
        diag_.error(prefix.stuck->getBeginLoc(),
                    "snow: this expression has side effects and is evaluated before " + describe_call(c) +
                        ", which may migrate, but only under a condition or after another part of the "
                        "expression (right of &&, || or a comma, a branch of ?:), so it cannot be computed "
                        "ahead of the statement and resuming would evaluate it twice; compute it in a "
                        "statement of its own [snow-resume]");
        return;
      }
      for (const clang::Expr* e : prefix.hoist)
        if (std::find(exprs.begin(), exprs.end(), e) == exprs.end()) exprs.push_back(e);
    }
    // Code hoisted out of a loop condition must run at every iteration:
    // the loop becomes `for (init; ; inc) { hoisted; if (!(cond)) break; body }`.
    bool loop_head = loop_cond && (calls.size() > 1 || !exprs.empty());
    if (loop_head) plan.loop_heads.insert(sc.stmt);
    // What moves ahead of a declaration cannot use what it declares.
    std::vector<const clang::Expr*> moved(exprs);
    moved.insert(moved.end(), temps.begin(), temps.end());
    std::set<const clang::VarDecl*> declared = loop_head ? std::set<const clang::VarDecl*>{} : declared_by(sc.stmt);
    for (const clang::Expr* e : moved) {
      if (const clang::DeclRefExpr* r = reference_to(e, declared)) {
        diag_.error(r->getLocation(),
                    "snow: this code is computed ahead of its declaration, before a call that may migrate, "
                    "but uses '" + r->getDecl()->getNameAsString() + "', which that declaration declares; "
                    "declare it in a statement of its own [snow-resume]");
        return;
      }
    }
    // Several expansions of one macro argument: moving it once would
    // evaluate it once.
    std::map<std::pair<unsigned, unsigned>, const clang::Expr*> spelled;
    for (const clang::Expr* e : exprs) {
      auto key = std::make_pair(sm_.getExpansionLoc(e->getBeginLoc()).getRawEncoding(),
                                sm_.getSpellingLoc(e->getBeginLoc()).getRawEncoding());
      if (auto [it, fresh] = spelled.emplace(key, e); !fresh) {
        diag_.error(e->getBeginLoc(), "snow: this expression has side effects, is evaluated before a call that "
                                      "may migrate, and is expanded more than once by a macro; expand the "
                                      "macro by hand [snow-macro]");
        return;
      }
    }
    // Everything hoisted, in evaluation order.
    struct Hoisted {
      const clang::Expr* expr;
      const CallInfo* call;  // a call that may migrate, or null
    };
    std::vector<Hoisted> hoisted;
    for (const clang::Expr* e : exprs) hoisted.push_back({e, nullptr});
    for (size_t i = 0; i + 1 < calls.size(); ++i) hoisted.push_back({calls[i]->call, calls[i]});
    std::stable_sort(hoisted.begin(), hoisted.end(),
                     [&](const Hoisted& a, const Hoisted& b) { return evaluated_earlier(a.expr, b.expr); });
    std::vector<const clang::CallExpr*> calls_before;
    std::vector<int> exprs_before;
    std::vector<const clang::VarDecl*> written;
    auto add_site = [&](const CallInfo& c, bool is_hoisted, int order) {
      ResumeSite site;
      site.kind = c.comm_point ? SiteKind::Comm : SiteKind::Call;
      site.stmt = sc.stmt;
      site.call = c.call;
      site.hoisted = is_hoisted;
      site.hoist_order = order;
      site.hoisted_before = calls_before;
      site.exprs_before = exprs_before;
      site.written_before = written;
      site.why = c.comm_point ? c.name : (c.name.empty() ? "indirect call" : "call to " + c.name);
      if (!is_hoisted && sc.role == Role::Cond && !loop_head)
        if (const auto* f = dyn_cast<clang::ForStmt>(sc.stmt); f && f->getInit()) site.hoist_for_init = f;
      plan.sites.push_back(site);
    };
    for (size_t j = 0; j < hoisted.size(); ++j) {
      const Hoisted& h = hoisted[j];
      int order = static_cast<int>(j);
      if (h.call) {
        add_site(*h.call, true, order);
        calls_before.push_back(h.call->call);
        continue;
      }
      HoistedExpr he;
      he.expr = h.expr;
      he.stmt = sc.stmt;
      he.order = order;
      he.discarded = value_discarded(h.expr);
      if (!he.discarded) {
        he.id = ++plan.expr_temps;
        exprs_before.push_back(he.id);
      }
      plan.hoisted_exprs.push_back(he);
      for (const clang::VarDecl* v : locals_written(h.expr))
        if (std::find(written.begin(), written.end(), v) == written.end()) written.push_back(v);
    }
    add_site(*calls.back(), false, static_cast<int>(hoisted.size()));
  }

  // Evaluation order C allows: what ends first (arguments before their
  // call), and of two that end together the inner one.
  bool evaluated_earlier(const clang::Expr* a, const clang::Expr* b) const {
    clang::SourceLocation ea = a->getEndLoc(), eb = b->getEndLoc();
    if (ea != eb) return sm_.isBeforeInTranslationUnit(ea, eb);
    return sm_.isBeforeInTranslationUnit(b->getBeginLoc(), a->getBeginLoc());
  }

  // Variables a declaration (or a `for` whose init is one) declares.
  static std::set<const clang::VarDecl*> declared_by(const clang::Stmt* s) {
    std::set<const clang::VarDecl*> out;
    if (const auto* f = dyn_cast<clang::ForStmt>(s)) s = f->getInit();
    if (const auto* ds = dyn_cast_or_null<clang::DeclStmt>(s))
      for (const clang::Decl* d : ds->decls())
        if (const auto* v = dyn_cast<clang::VarDecl>(d)) out.insert(v);
    return out;
  }

  static const clang::DeclRefExpr* reference_to(const clang::Stmt* s, const std::set<const clang::VarDecl*>& vars) {
    if (!s || vars.empty()) return nullptr;
    if (const auto* r = dyn_cast<clang::DeclRefExpr>(s))
      if (const auto* v = dyn_cast<clang::VarDecl>(r->getDecl()); v && vars.count(v)) return r;
    for (const clang::Stmt* c : s->children())
      if (const clang::DeclRefExpr* r = reference_to(c, vars)) return r;
    return nullptr;
  }

  // Its value is thrown away: void, or left of a comma.
  bool value_discarded(const clang::Expr* e) const {
    if (e->getType()->isVoidType()) return true;
    auto parents = ctx_.getParents(*e);
    const auto* b = parents.empty() ? nullptr : parents[0].get<clang::BinaryOperator>();
    return b && b->isCommaOp() && b->getLHS() == e;
  }

  // Locals an expression assigns or increments (conservatively: every
  // local named on the left of an assignment or under ++/--).
  static std::vector<const clang::VarDecl*> locals_written(const clang::Stmt* s) {
    std::vector<const clang::VarDecl*> out;
    collect_written(s, false, out);
    return out;
  }
  static void collect_written(const clang::Stmt* s, bool target, std::vector<const clang::VarDecl*>& out) {
    if (!s) return;
    if (const auto* r = dyn_cast<clang::DeclRefExpr>(s); r && target) {
      if (const auto* v = dyn_cast<clang::VarDecl>(r->getDecl()); v && v->hasLocalStorage())
        if (std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
      return;
    }
    if (const auto* b = dyn_cast<clang::BinaryOperator>(s); b && b->isAssignmentOp()) {
      collect_written(b->getLHS(), true, out);
      collect_written(b->getRHS(), target, out);
      return;
    }
    if (const auto* u = dyn_cast<clang::UnaryOperator>(s); u && u->isIncrementDecrementOp()) {
      collect_written(u->getSubExpr(), true, out);
      return;
    }
    for (const clang::Stmt* c : s->children()) collect_written(c, target, out);
  }

  void report_unsafe(const FunctionInfo& info) {
    for (clang::SourceLocation loc : info.setjmps)
      diag_.warning(loc, "snow: setjmp saves machine registers that mean nothing on another "
                         "host; migration is deferred while '" + info.fn->getNameAsString() +
                             "' runs [snow-setjmp]");
    for (const CallInfo& c : info.calls)
      if (is_longjmp(c.name))
        diag_.warning(c.call->getBeginLoc(),
                      "snow: longjmp returns to a frame saved by setjmp; it is safe only "
                      "because migration waits while the setjmp caller runs [snow-setjmp]");
    for (clang::SourceLocation loc : info.asms)
      diag_.warning(loc, "snow: inline assembly is specific to one architecture and its effects "
                         "on registers cannot be saved; migration is deferred while '" +
                             info.fn->getNameAsString() + "' runs [snow-asm]");
    if (info.fn->isVariadic() && migrating_candidate(info))
      diag_.warning(info.fn->getLocation(),
                    "snow: variadic function on a migration path: its va_list frame cannot be "
                    "saved; migration is deferred while it runs [snow-varargs]");
    for (const auto& [loc, why] : info.vlas)
      if (migrating_candidate(info))
        diag_.warning(loc, "snow: " + why + " on a migration path: resume code cannot jump into its "
                           "scope; migration is deferred while '" + info.fn->getNameAsString() +
                           "' runs [snow-vla]");
  }

  // Would the function be on a migration path if it could unwind?
  bool migrating_candidate(const FunctionInfo& info) const {
    if (has_own_sites(info)) return true;
    for (const CallInfo& c : info.calls)
      if (call_may_migrate(c)) return true;
    return false;
  }

  clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  const Options& options_;
  const PragmaLog& pragmas_;
  Diag& diag_;
  Resumability resumability_;
  std::vector<FunctionInfo> infos_;  // stable: index_ points into it
  std::map<const clang::FunctionDecl*, FunctionInfo*> index_;
  std::set<const clang::FunctionDecl*> callbacks_;
  std::set<const clang::FunctionDecl*> recursive_;
  std::set<const clang::FunctionDecl*> tiny_;
  std::set<const clang::FunctionDecl*> migrating_;
};

}  // namespace

ProgramPlan analyze_program(clang::ASTContext& ctx, const Options& options, const PragmaLog& pragmas,
                            Diag& diag) {
  Analyzer analyzer(ctx, options, pragmas, diag);
  return analyzer.run();
}

}  // namespace snow::precomp
