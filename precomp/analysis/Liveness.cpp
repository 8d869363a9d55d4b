#include "precomp/analysis/Liveness.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Analysis/Analyses/LiveVariables.h>
#include <clang/Analysis/AnalysisDeclContext.h>
#include <clang/Analysis/CFG.h>
#include <clang/Basic/SourceManager.h>

#include <map>
#include <optional>
#include <utility>

namespace snow::precomp {

namespace {

using clang::dyn_cast;

struct ElementPos {
  unsigned order;  // reverse post-order number of the block
  unsigned index;  // position inside the block
  const clang::CFGBlock* block;
  const clang::Stmt* stmt;
  bool operator<(const ElementPos& o) const {
    return order != o.order ? order < o.order : index < o.index;
  }
};

class LocalsCollector : public clang::RecursiveASTVisitor<LocalsCollector> {
 public:
  explicit LocalsCollector(std::vector<const clang::VarDecl*>& out) : out_(out) {}
  bool VisitVarDecl(clang::VarDecl* v) {
    if (v->hasLocalStorage() && !llvm::isa<clang::ParmVarDecl>(v)) out_.push_back(v);
    return true;
  }

 private:
  std::vector<const clang::VarDecl*>& out_;
};

void descendants(const clang::Stmt* s, std::set<const clang::Stmt*>& out) {
  if (!s || !out.insert(s).second) return;
  for (const clang::Stmt* c : s->children()) descendants(c, out);
}

}  // namespace

struct FunctionLiveness::Impl {
  clang::ASTContext& ctx;
  const clang::FunctionDecl* fn;
  clang::AnalysisDeclContextManager manager;
  clang::AnalysisDeclContext* adc = nullptr;
  clang::LiveVariables* live = nullptr;
  std::vector<const clang::VarDecl*> locals;
  std::map<const clang::Stmt*, ElementPos> elements;

  Impl(clang::ASTContext& c, const clang::FunctionDecl* f) : ctx(c), fn(f), manager(c) {
    manager.getCFGBuildOptions().setAllAlwaysAdd();
    for (const clang::ParmVarDecl* p : fn->parameters()) locals.push_back(p);
    LocalsCollector collector(locals);
    collector.TraverseStmt(const_cast<clang::Stmt*>(fn->getBody()));
    adc = manager.getContext(fn);
    live = adc->getAnalysis<clang::LiveVariables>();
    const clang::CFG* cfg = adc->getCFG();
    if (!cfg || !live) return;
    // Reverse post-order over the CFG from its entry.
    std::map<const clang::CFGBlock*, unsigned> rpo;
    std::vector<const clang::CFGBlock*> postorder;
    std::set<const clang::CFGBlock*> seen;
    std::vector<std::pair<const clang::CFGBlock*, unsigned>> stack{{&cfg->getEntry(), 0}};
    seen.insert(&cfg->getEntry());
    while (!stack.empty()) {
      auto& [b, next] = stack.back();
      if (next < b->succ_size()) {
        const clang::CFGBlock* s = *(b->succ_begin() + next++);
        if (s && seen.insert(s).second) stack.push_back({s, 0});
      } else {
        postorder.push_back(b);
        stack.pop_back();
      }
    }
    unsigned n = static_cast<unsigned>(postorder.size());
    for (unsigned i = 0; i < n; ++i) rpo[postorder[i]] = n - i;
    for (const clang::CFGBlock* b : *cfg) {
      unsigned idx = 0;
      for (const clang::CFGElement& e : *b) {
        if (auto cs = e.getAs<clang::CFGStmt>())
          elements.emplace(cs->getStmt(), ElementPos{rpo.count(b) ? rpo[b] : ~0u, idx, b, cs->getStmt()});
        ++idx;
      }
    }
  }

  std::optional<ElementPos> entry_of(const clang::Stmt* s) const {
    std::set<const clang::Stmt*> subtree;
    descendants(s, subtree);
    std::optional<ElementPos> best;
    for (const clang::Stmt* d : subtree) {
      auto it = elements.find(d);
      if (it != elements.end() && (!best || it->second < *best)) best = it->second;
    }
    return best;
  }

  bool in_scope(const clang::VarDecl* v, const clang::Stmt* at) const {
    if (llvm::isa<clang::ParmVarDecl>(v)) return true;
    const clang::SourceManager& sm = ctx.getSourceManager();
    if (!sm.isBeforeInTranslationUnit(v->getLocation(), at->getBeginLoc())) return false;
    auto parents = ctx.getParents(*v);
    const clang::DeclStmt* ds = parents.empty() ? nullptr : parents[0].get<clang::DeclStmt>();
    if (!ds) return false;
    auto scope_parents = ctx.getParents(*ds);
    const clang::Stmt* scope = scope_parents.empty() ? nullptr : scope_parents[0].get<clang::Stmt>();
    if (!scope) return false;
    return !sm.isBeforeInTranslationUnit(at->getBeginLoc(), scope->getBeginLoc()) &&
           !sm.isBeforeInTranslationUnit(scope->getEndLoc(), at->getBeginLoc());
  }

  std::vector<const clang::VarDecl*> all_in_scope(const clang::Stmt* at) const {
    std::vector<const clang::VarDecl*> out;
    for (const clang::VarDecl* v : locals)
      if (in_scope(v, at)) out.push_back(v);
    return out;
  }

  std::vector<const clang::VarDecl*> live_at(const ElementPos& pos, const clang::Stmt* at) const {
    std::vector<const clang::VarDecl*> out;
    for (const clang::VarDecl* v : locals)
      if (in_scope(v, at) && live->isLive(pos.stmt, v)) out.push_back(v);
    return out;
  }

  // The statement after `s` inside its enclosing compound statement.
  const clang::Stmt* next_sibling(const clang::Stmt* s, const clang::CompoundStmt** block) const {
    auto parents = ctx.getParents(*s);
    const auto* cs = parents.empty() ? nullptr : parents[0].get<clang::CompoundStmt>();
    *block = cs;
    if (!cs) return nullptr;
    bool found = false;
    for (const clang::Stmt* c : cs->body()) {
      if (found) return c;
      found = c == s;
    }
    return nullptr;
  }
};

FunctionLiveness::FunctionLiveness(clang::ASTContext& ctx, const clang::FunctionDecl* fn)
    : impl_(std::make_unique<Impl>(ctx, fn)) {}
FunctionLiveness::~FunctionLiveness() = default;

const std::vector<const clang::VarDecl*>& FunctionLiveness::locals() const { return impl_->locals; }

std::vector<const clang::VarDecl*> FunctionLiveness::live_before(const clang::Stmt* s) const {
  if (!impl_->live) return impl_->all_in_scope(s);
  if (auto pos = impl_->entry_of(s)) return impl_->live_at(*pos, s);
  // `s` evaluates nothing (an empty statement, a declaration without
  // initializer): what is live before it is live before what follows.
  const clang::CompoundStmt* block = nullptr;
  if (const clang::Stmt* next = impl_->next_sibling(s, &block)) {
    auto after = live_before(next);
    std::vector<const clang::VarDecl*> out;
    for (const clang::VarDecl* v : after)
      if (impl_->in_scope(v, s)) out.push_back(v);
    return out;
  }
  if (block) return live_at_end(block);
  return impl_->all_in_scope(s);
}

std::vector<const clang::VarDecl*> FunctionLiveness::live_before_cond(const clang::ForStmt* f) const {
  const clang::Stmt* at = f->getCond() ? static_cast<const clang::Stmt*>(f->getCond()) : f->getBody();
  if (!impl_->live) return impl_->all_in_scope(at);
  if (auto pos = impl_->entry_of(at)) return impl_->live_at(*pos, at);
  return impl_->all_in_scope(at);
}

std::vector<const clang::VarDecl*> FunctionLiveness::live_at_end(const clang::CompoundStmt* block) const {
  if (block == impl_->fn->getBody()) return {};  // falling off the end of the function
  auto parents = impl_->ctx.getParents(*block);
  const clang::Stmt* parent = parents.empty() ? nullptr : parents[0].get<clang::Stmt>();
  // The end of a loop body continues at the increment or the condition.
  const clang::Stmt* next = nullptr;
  if (const auto* f = dyn_cast_or_null<clang::ForStmt>(parent); f && f->getBody() == block)
    next = f->getInc() ? static_cast<const clang::Stmt*>(f->getInc()) : f->getCond();
  else if (const auto* w = dyn_cast_or_null<clang::WhileStmt>(parent); w && w->getBody() == block)
    next = w->getCond();
  else if (const auto* d = dyn_cast_or_null<clang::DoStmt>(parent); d && d->getBody() == block)
    next = d->getCond();
  std::vector<const clang::VarDecl*> out;
  const clang::Stmt* scope_at = block->body_empty() ? static_cast<const clang::Stmt*>(block) : block->body_back();
  if (next && impl_->live) {
    if (auto pos = impl_->entry_of(next)) {
      for (const clang::VarDecl* v : impl_->locals)
        if (impl_->in_scope(v, scope_at) && impl_->live->isLive(pos->stmt, v)) out.push_back(v);
      return out;
    }
  }
  return impl_->all_in_scope(scope_at);
}

}  // namespace snow::precomp
