#include "precomp/transform/CallRewrites.h"

#include "precomp/LibraryTables.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Lex/Lexer.h>

#include <optional>
#include <set>

namespace snow::precomp {

namespace {

using clang::dyn_cast;
using clang::isa;

bool holds_pointers(clang::QualType t, std::set<const clang::RecordDecl*>& seen) {
  t = t.getCanonicalType();
  if (t->isPointerType()) return true;
  if (const auto* a = t->getAsArrayTypeUnsafe()) return holds_pointers(a->getElementType(), seen);
  if (const auto* rd = t->getAsRecordDecl()) {
    if (!seen.insert(rd).second || !rd->getDefinition()) return false;
    for (const clang::FieldDecl* f : rd->getDefinition()->fields())
      if (holds_pointers(f->getType(), seen)) return true;
  }
  return false;
}

bool is_union(clang::QualType t) {
  const clang::RecordDecl* rd = t.getCanonicalType()->getAsRecordDecl();
  return rd && rd->isUnion();
}

bool union_with_pointers(clang::QualType t) {
  const clang::RecordDecl* rd = t.getCanonicalType()->getAsRecordDecl();
  if (!rd || !rd->isUnion()) return false;
  std::set<const clang::RecordDecl*> seen;
  return holds_pointers(t, seen);
}

class LibraryCallRewriter : public clang::RecursiveASTVisitor<LibraryCallRewriter> {
  using Base = clang::RecursiveASTVisitor<LibraryCallRewriter>;

 public:
  LibraryCallRewriter(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types, Diag& diag)
      : ctx_(ctx), sm_(ctx.getSourceManager()), lo_(ctx.getLangOpts()), edits_(edits), types_(types),
        diag_(diag) {}

  bool TraverseStmt(clang::Stmt* s) {
    if (s && isa<clang::UnaryExprOrTypeTraitExpr>(s)) return true;  // not evaluated
    return Base::TraverseStmt(s);
  }

  bool VisitRecordDecl(clang::RecordDecl* rd) {
    if (!rd->isUnion() || !rd->isThisDeclarationADefinition() || !sm_.isInMainFile(rd->getLocation()))
      return true;
    if (union_with_pointers(ctx_.getRecordType(rd)))
      diag_.warning(rd->getLocation(),
                    "snow: this union holds pointers; only its active member can migrate, so "
                    "assignments to its members record which one is active, and a migration "
                    "while the active member is unknown is refused [snow-union]");
    return true;
  }

  bool VisitCallExpr(clang::CallExpr* c) {
    if (!sm_.isInMainFile(sm_.getExpansionLoc(c->getBeginLoc()))) return true;
    const clang::FunctionDecl* fd = c->getDirectCallee();
    if (!fd || !fd->getIdentifier() || !library(fd)) return true;
    std::string name = fd->getName().str();
    const auto* callee = dyn_cast<clang::DeclRefExpr>(c->getCallee()->IgnoreParenImpCasts());
    if (!callee) return true;
    if (auto r = pvm_replacement(name)) {
      edits_.replace_token(callee->getLocation(), std::string(r->replacement));
    } else if (is_unmovable_pvm(name)) {
      diag_.warning(c->getBeginLoc(), "snow: '" + name + "' sets up state inside libpvm that does "
                                      "not move with the task; after a migration it is gone "
                                      "[snow-pvm-state]");
    } else if (auto kind = alloc_kind(name)) {
      rewrite_alloc(c, callee, *kind);
    } else if (auto hidden = hidden_state_replacement(name)) {
      edits_.replace_token(callee->getLocation(), std::string(*hidden));
    } else if (auto io = io_replacement(name)) {
      edits_.replace_token(callee->getLocation(), std::string(*io));
      if (auto caveat = io_caveat(name))
        diag_.warning(c->getBeginLoc(), "snow: '" + name + "': " + std::string(*caveat) + " [snow-io]");
      else if (auto path = private_path(c))
        diag_.warning(c->getBeginLoc(), "snow: '" + name + "' opens " + *path + ", under /tmp, which "
                                        "each host has for itself: a migration is refused while it "
                                        "is open [snow-io]");
    } else if (reads_stdin(name) || reads_from_stdin_arg(c)) {
      diag_.warning(c->getBeginLoc(), "snow: '" + name + "' reads standard input; input that "
                                      "stdio buffered before a migration stays behind [snow-io]");
    }
    return true;
  }

  bool VisitBinaryOperator(clang::BinaryOperator* b) {
    if (!b->isAssignmentOp() || !sm_.isInMainFile(sm_.getExpansionLoc(b->getBeginLoc()))) return true;
    const clang::Expr* lhs = b->getLHS()->IgnoreParens();
    if (union_with_pointers(lhs->getType())) {
      diag_.warning(b->getOperatorLoc(), "snow: a union holding pointers is assigned as a whole; its "
                                         "active member becomes unknown until a member is "
                                         "assigned [snow-union]");
      return true;
    }
    // A write into a member of a union makes that member active, also
    // when it is deeper inside it (`e->u.bin.l = l`, `v.u.a[i] = p`): walk
    // the member chain of the left side through structs and elements, and
    // record every union holding pointers that it passes (nested unions too).
    const clang::Expr* cur = lhs;
    while (cur) {
      if (const auto* sub = dyn_cast<clang::ArraySubscriptExpr>(cur)) {
        if (sub->getBase()->IgnoreParenImpCasts()->getType()->isPointerType()) break;  // another object
        cur = sub->getBase()->IgnoreParenImpCasts();
        continue;
      }
      const auto* m = dyn_cast<clang::MemberExpr>(cur);
      if (!m) break;
      clang::QualType base_t = m->getBase()->getType();
      if (m->isArrow()) base_t = base_t->getPointeeType();
      // Every union: converting one between architectures needs its
      // active member, pointers or not (union { int i; double d; }).
      if (is_union(base_t)) track_union_write(b, m);
      if (m->isArrow()) break;  // through a pointer: another object
      cur = m->getBase()->IgnoreParens();
    }
    return true;
  }

  bool VisitUnaryOperator(clang::UnaryOperator* u) {
    if (u->getOpcode() != clang::UO_AddrOf) return true;
    const auto* m = dyn_cast<clang::MemberExpr>(u->getSubExpr()->IgnoreParens());
    if (!m) return true;
    clang::QualType base_t = m->getBase()->getType();
    if (m->isArrow()) base_t = base_t->getPointeeType();
    if (union_with_pointers(base_t))
      diag_.warning(u->getBeginLoc(), "snow: the address of a member of a union holding pointers "
                                      "is taken; writes through it do not record the active "
                                      "member [snow-union]");
    return true;
  }

 private:
  bool library(const clang::FunctionDecl* fd) const {
    const clang::FunctionDecl* def = fd->getDefinition();
    if (def && sm_.isInMainFile(def->getLocation())) return false;
    if (fd->getBuiltinID() != 0 || fd->getName().startswith("pvm_")) return true;
    for (const clang::FunctionDecl* r : fd->redecls())
      if (sm_.isInSystemHeader(r->getLocation())) return true;
    return false;
  }

  // The path a call to fopen/freopen opens, when it is a literal under
  // /tmp (host-private on the virtual machines and on most clusters).
  static std::optional<std::string> private_path(const clang::CallExpr* c) {
    if (c->getNumArgs() < 1) return std::nullopt;
    const auto* lit = dyn_cast<clang::StringLiteral>(c->getArg(0)->IgnoreParenImpCasts());
    if (!lit || !lit->isAscii()) return std::nullopt;
    std::string p = lit->getString().str();
    if (p == "/tmp" || p.rfind("/tmp/", 0) == 0) return "\"" + p + "\"";
    return std::nullopt;
  }

  bool reads_from_stdin_arg(const clang::CallExpr* c) const {
    std::string name = c->getDirectCallee()->getName().str();
    if (name != "fgets" && name != "fread" && name != "fgetc" && name != "getc" && name != "fscanf" &&
        name != "getline" && name != "getdelim")
      return false;
    for (const clang::Expr* a : c->arguments())
      if (const auto* r = dyn_cast<clang::DeclRefExpr>(a->IgnoreParenImpCasts()))
        if (r->getDecl()->getName() == "stdin") return true;
    return false;
  }

  // The type of the objects a fresh block will hold: the pointer type the
  // result is converted to, else what a sizeof in the size names.
  std::optional<clang::QualType> allocated_type(const clang::CallExpr* c, AllocKind kind) const {
    const clang::Expr* e = c;
    for (;;) {
      auto parents = ctx_.getParents(*e);
      const clang::Expr* p = parents.empty() ? nullptr : parents[0].get<clang::Expr>();
      if (!p) break;
      if (isa<clang::ParenExpr>(p)) {
        e = p;
        continue;
      }
      if (const auto* cast = dyn_cast<clang::CastExpr>(p)) {
        clang::QualType t = cast->getType();
        if (t->isPointerType() && !t->getPointeeType()->isVoidType())
          return t->getPointeeType().getUnqualifiedType();
        e = p;
        continue;
      }
      break;
    }
    const clang::Expr* size = kind == AllocKind::Malloc ? c->getArg(0) : c->getArg(1);
    if (auto t = sizeof_in(size)) return t;
    if (kind == AllocKind::Realloc) {
      clang::QualType p = c->getArg(0)->IgnoreParenImpCasts()->getType();
      if (p->isPointerType() && !p->getPointeeType()->isVoidType()) return p->getPointeeType();
    }
    return std::nullopt;
  }

  static std::optional<clang::QualType> sizeof_in(const clang::Stmt* s) {
    if (!s) return std::nullopt;
    if (const auto* u = dyn_cast<clang::UnaryExprOrTypeTraitExpr>(s); u && u->getKind() == clang::UETT_SizeOf)
      return u->isArgumentType() ? u->getArgumentType() : u->getArgumentExpr()->getType();
    for (const clang::Stmt* child : s->children())
      if (auto t = sizeof_in(child)) return t;
    return std::nullopt;
  }

  void rewrite_alloc(const clang::CallExpr* c, const clang::DeclRefExpr* callee, AllocKind kind) {
    static const char* const names[] = {"snow_malloc", "snow_calloc", "snow_realloc", "snow_free", "snow_strdup"};
    edits_.replace_token(callee->getLocation(), names[static_cast<int>(kind)]);
    if (kind == AllocKind::Free || kind == AllocKind::Strdup) return;
    unsigned want = kind == AllocKind::Malloc ? 1 : 2;
    if (c->getNumArgs() != want) return;
    std::string desc = "0";
    auto t = allocated_type(c, kind);
    if (t && !(*t)->isVoidType() && !(*t)->isIncompleteType()) {
      if (auto d = types_.descriptor(*t, c->getBeginLoc())) desc = *d;
    } else {
      diag_.warning(c->getBeginLoc(), "snow: cannot tell what this block will hold; it migrates as "
                                      "raw bytes (no pointer translation, no byte-order conversion) "
                                      "unless the program later converts it to a typed pointer "
                                      "[snow-alloc]");
    }
    edits_.insert_before(c->getRParenLoc(), ", " + desc, 20);
  }

  void track_union_write(const clang::BinaryOperator* b, const clang::MemberExpr* m) {
    const auto* field = dyn_cast<clang::FieldDecl>(m->getMemberDecl());
    auto parents = ctx_.getParents(*b);
    const clang::Stmt* parent = parents.empty() ? nullptr : parents[0].get<clang::Stmt>();
    bool statement = parent && !isa<clang::Expr>(parent);
    bool pure_base = !m->getBase()->HasSideEffects(ctx_);
    if (!field || !statement || !pure_base || b->getBeginLoc().isMacroID()) {
      diag_.warning(b->getOperatorLoc(), "snow: cannot record the active member of this union "
                                         "here (assign it in a statement of its own); a migration "
                                         "while it is unknown is refused [snow-union]");
      return;
    }
    auto base = clang::Lexer::getSourceText(
        clang::CharSourceRange::getTokenRange(m->getBase()->getSourceRange()), sm_, lo_);
    // A member named through a macro (glibc's `sa.sa_handler` is
    // `sa.__sigaction_handler.sa_handler`): the union has no spelling in
    // the source to take its address by.
    if (base.empty() || m->getBase()->getBeginLoc().isMacroID() || m->getBase()->getEndLoc().isMacroID()) {
      diag_.warning(b->getOperatorLoc(), "snow: cannot record the active member of this union: it "
                                         "is named through a macro; a migration while it is "
                                         "unknown is refused [snow-union]");
      return;
    }
    std::string addr = m->isArrow() ? "(" + base.str() + ")" : "&(" + base.str() + ")";
    auto semi = clang::Lexer::findNextToken(b->getEndLoc(), sm_, lo_);
    if (!semi || !semi->is(clang::tok::semi)) return;
    // The body of an if, else or loop without braces: the record goes in
    // the same body (`if (c) u.d = x; else ...` must keep its else).
    bool braces = !isa<clang::CompoundStmt>(parent);
    if (braces) edits_.insert_before(b->getBeginLoc(), "{ ", -30);
    edits_.insert_after(semi->getLocation(), " snow_union_set_active(" + addr + ", " +
                                                 std::to_string(field->getFieldIndex()) + ");" +
                                                 (braces ? " }" : ""),
                        30);
  }

  clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  const clang::LangOptions& lo_;
  Edits& edits_;
  TypeRegistry& types_;
  Diag& diag_;
};

}  // namespace

void rewrite_library_calls(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types, Diag& diag) {
  LibraryCallRewriter rewriter(ctx, edits, types, diag);
  rewriter.TraverseDecl(ctx.getTranslationUnitDecl());
}

}  // namespace snow::precomp
