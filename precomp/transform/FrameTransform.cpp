#include "precomp/transform/FrameTransform.h"

#include "precomp/analysis/Liveness.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/ParentMapContext.h>
#include <clang/AST/PrettyPrinter.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Lex/Lexer.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace snow::precomp {

namespace {

using clang::dyn_cast;
using clang::isa;

// Generated code is indented by this much inside function bodies.
constexpr const char* kIndent = "  ";
// Edit order of code hoisted in front of a statement: after the
// poll-point there (-860), before the statement's own resume block (-20);
// plus the place in evaluation order.
constexpr int kHoistOrder = -800;

std::string hex_id(unsigned id) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08xu", id);
  return buf;
}

class RefCollector : public clang::RecursiveASTVisitor<RefCollector> {
 public:
  explicit RefCollector(std::vector<const clang::DeclRefExpr*>& out) : out_(out) {}
  bool VisitDeclRefExpr(clang::DeclRefExpr* e) {
    out_.push_back(e);
    return true;
  }

 private:
  std::vector<const clang::DeclRefExpr*>& out_;
};

// The last token of a statement, including the `;` that ends it.
clang::SourceLocation last_token(const clang::Stmt* s, const clang::SourceManager& sm,
                                 const clang::LangOptions& lo) {
  if (const auto* i = dyn_cast<clang::IfStmt>(s))
    return last_token(i->getElse() ? i->getElse() : i->getThen(), sm, lo);
  if (const auto* f = dyn_cast<clang::ForStmt>(s)) return last_token(f->getBody(), sm, lo);
  if (const auto* w = dyn_cast<clang::WhileStmt>(s)) return last_token(w->getBody(), sm, lo);
  if (const auto* sw = dyn_cast<clang::SwitchStmt>(s)) return last_token(sw->getBody(), sm, lo);
  if (const auto* l = dyn_cast<clang::LabelStmt>(s)) return last_token(l->getSubStmt(), sm, lo);
  if (const auto* c = dyn_cast<clang::SwitchCase>(s)) return last_token(c->getSubStmt(), sm, lo);
  if (isa<clang::CompoundStmt>(s) || isa<clang::DeclStmt>(s) || isa<clang::NullStmt>(s))
    return s->getEndLoc();
  // Expression statements, return, break, continue, goto, do-while: the `;` follows.
  clang::SourceLocation end = s->getEndLoc();
  if (end.isMacroID()) end = sm.getExpansionRange(end).getEnd();
  auto tok = clang::Lexer::findNextToken(end, sm, lo);
  if (tok && tok->is(clang::tok::semi)) return tok->getLocation();
  return end;
}

}  // namespace

unsigned function_id(const std::string& unit, const std::string& function) {
  unsigned h = 2166136261u;
  for (char c : unit + ":" + function) {
    h ^= static_cast<unsigned char>(c);
    h *= 16777619u;
  }
  return h;
}

FrameTransform::FrameTransform(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types, Diag& diag,
                               std::string unit)
    : ctx_(ctx), edits_(edits), types_(types), diag_(diag), unit_(std::move(unit)) {}

void FrameTransform::apply(const FunctionPlan& plan) {
  move_statics(plan);
  if (plan.frames) transform_frames(plan);
  else if (plan.inhibit) bracket_inhibited(plan);
}

// --------------------------------------------------------------- statics
// A static local is a global in disguise: it moves to file scope (renamed)
// so that the unit can register it before a restore writes into it.
void FrameTransform::move_statics(const FunctionPlan& plan) {
  if (plan.statics.empty()) return;
  const clang::SourceManager& sm = ctx_.getSourceManager();
  const clang::LangOptions& lo = ctx_.getLangOpts();
  std::string fn = plan.fn->getNameAsString();
  std::map<const clang::VarDecl*, std::string> renamed;
  std::vector<const clang::DeclStmt*> stmts;
  for (const clang::VarDecl* v : plan.statics) {
    auto parents = ctx_.getParents(*v);
    const auto* ds = parents.empty() ? nullptr : parents[0].get<clang::DeclStmt>();
    if (!ds || v->getLocation().isMacroID()) {
      diag_.error(v->getLocation(), "snow: this static local cannot be moved to file scope (declare it "
                                    "outside macros) [snow-static]");
      continue;
    }
    renamed[v] = "__snow_s_" + fn + "_" + v->getNameAsString();
    moved_.push_back(MovedStatic{v, renamed[v], unit_ + ":" + fn + "." + v->getNameAsString()});
    if (std::find(stmts.begin(), stmts.end(), ds) == stmts.end()) stmts.push_back(ds);
  }
  std::string hoisted;
  for (const clang::DeclStmt* ds : stmts) {
    // The declaration as written, with its names replaced.
    unsigned begin = sm.getFileOffset(ds->getBeginLoc());
    unsigned end = sm.getFileOffset(clang::Lexer::getLocForEndOfToken(ds->getEndLoc(), 0, sm, lo));
    std::string text = sm.getBufferData(sm.getMainFileID()).substr(begin, end - begin).str();
    std::vector<std::pair<unsigned, const clang::VarDecl*>> names;
    for (const clang::Decl* d : ds->decls())
      if (const auto* v = llvm::dyn_cast<clang::VarDecl>(d); v && renamed.count(v))
        names.push_back({sm.getFileOffset(v->getLocation()) - begin, v});
    for (auto it = names.rbegin(); it != names.rend(); ++it)
      text.replace(it->first, it->second->getName().size(), renamed[it->second]);
    hoisted += "/* snow: static local of " + fn + "(), moved to file scope */\n" + text + "\n";
    edits_.replace_range(ds->getBeginLoc(), ds->getEndLoc(), "/* static locals moved to file scope by snow */");
  }
  if (!hoisted.empty()) edits_.insert_before(plan.fn->getBeginLoc(), hoisted, -60);
  std::vector<const clang::DeclRefExpr*> refs;
  RefCollector rc(refs);
  rc.TraverseStmt(const_cast<clang::Stmt*>(plan.fn->getBody()));
  for (const clang::DeclRefExpr* r : refs) {
    const auto* v = dyn_cast<clang::VarDecl>(r->getDecl());
    if (auto it = renamed.find(v); v && it != renamed.end())
      edits_.replace_token(r->getLocation(), it->second);
  }
}

// -------------------------------------------------------------- inhibited
// A function that cannot unwind but calls code that may migrate: migration
// is deferred from its entry to each of its exits.
void FrameTransform::bracket_inhibited(const FunctionPlan& plan) {
  const auto* body = dyn_cast<clang::CompoundStmt>(plan.fn->getBody());
  if (!body) return;
  const clang::SourceManager& sm = ctx_.getSourceManager();
  const clang::LangOptions& lo = ctx_.getLangOpts();
  edits_.insert_after(body->getLBracLoc(), " snow_exec_inhibit_enter(); /* snow: migration deferred */", 5);
  class Returns : public clang::RecursiveASTVisitor<Returns> {
   public:
    std::vector<const clang::ReturnStmt*> found;
    bool VisitReturnStmt(clang::ReturnStmt* r) {
      found.push_back(r);
      return true;
    }
  } returns;
  returns.TraverseStmt(const_cast<clang::CompoundStmt*>(body));
  clang::QualType ret = plan.fn->getReturnType();
  clang::PrintingPolicy policy(lo);
  policy.Bool = true;
  for (const clang::ReturnStmt* r : returns.found) {
    clang::SourceLocation semi = last_token(r, sm, lo);
    if (!r->getRetValue()) {
      edits_.insert_before(r->getBeginLoc(), "{ snow_exec_inhibit_leave(); ", -40);
      edits_.insert_after(semi, " }", 40);
      continue;
    }
    std::string rv;
    llvm::raw_string_ostream os(rv);
    ret.getUnqualifiedType().print(os, policy, "__snow_rv");
    os.flush();
    edits_.replace_token(r->getBeginLoc(), "{ " + rv + " =");
    edits_.insert_after(semi, " snow_exec_inhibit_leave(); return __snow_rv; }", 40);
  }
  if (body->body_empty() || !isa<clang::ReturnStmt>(body->body_back()))
    edits_.insert_before(body->getRBracLoc(), "snow_exec_inhibit_leave(); ", -10);
}

// ------------------------------------------------------------------ frames
namespace {

struct SavedVar {
  const clang::VarDecl* var;
  std::string field;
};

class FrameWriter {
 public:
  FrameWriter(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types, Diag& diag, const std::string& unit,
              const FunctionPlan& plan)
      : ctx_(ctx), sm_(ctx.getSourceManager()), lo_(ctx.getLangOpts()), edits_(edits), types_(types),
        diag_(diag), unit_(unit), plan_(plan), live_(ctx, plan.fn), policy_(lo_) {
    policy_.Bool = true;
    policy_.SuppressTagKeyword = false;
    fn_name_ = plan.fn->getNameAsString();
    struct_name_ = "__snow_frame_" + fn_name_;
    // The id also covers the function's resume points (kind and line), so
    // that a record is never applied to a differently translated function
    // (the state of another version of the program).
    std::string shape = fn_name_;
    for (const ResumeSite& site : plan.sites) {
      clang::SourceLocation at = site.call ? site.call->getBeginLoc()
                                 : site.stmt ? site.stmt->getBeginLoc() : site.end_block->getRBracLoc();
      shape += ":" + std::to_string(static_cast<int>(site.kind)) + "@" +
               std::to_string(sm_.getPresumedLineNumber(at));
    }
    id_ = hex_id(function_id(unit, shape));
    shadowing_ = !plan.shadow.empty();
  }

  void run() {
    const auto* body = dyn_cast<clang::CompoundStmt>(plan_.fn->getBody());
    if (!body) return;
    for (const clang::VarDecl* v : plan_.vm_locals) vm_[v] = vm_shape(v);
    for (const ResumeSite& site : plan_.sites) {
      saved_.push_back(vars_at(site));
      if (site.hoisted && !returns_void(site)) temp_of_[site.call] = site.id;
    }
    assign_fields();
    if (diag_.failed()) return;
    emit_record();
    for (const clang::VarDecl* v : plan_.vm_locals) rewrite_vm_local(v);
    for (const clang::VarDecl* v : plan_.vm_locals)
      if (vm_.at(v).object) {
        edits_.insert_before(plan_.fn->getBeginLoc(),
                             "\n#ifndef SNOW_VLA_RELEASE\n#define SNOW_VLA_RELEASE\n"
                             "/* snow: frees the heap block of a variable length array when its function returns */\n"
                             "static void __snow_vla_release(void *p) { snow_free(*(void **)p); }\n#endif\n",
                             -55);
        break;
      }
    emit_prologue(body);
    for (size_t i = 0; i < plan_.sites.size(); ++i) emit_site(plan_.sites[i], saved_[i]);
    for (const HoistedExpr& h : plan_.hoisted_exprs) emit_hoisted_expr(h);
    rewrite_shadow_refs(body);
  }

 private:
  // Variables to save at `site`: live there, in scope, not in the record
  // already (shadowed locals live there permanently).
  std::vector<const clang::VarDecl*> vars_at(const ResumeSite& site) {
    std::vector<const clang::VarDecl*> live;
    if (site.kind == SiteKind::Poll)
      live = site.stmt ? live_.live_before(site.stmt) : live_.live_at_end(site.end_block);
    else if (site.hoist_for_init)
      live = live_.live_before_cond(site.hoist_for_init);
    else if (const auto* f = dyn_cast<clang::ForStmt>(site.stmt); f && plan_.loop_heads.count(f))
      live = live_.live_before_cond(f);
    else
      live = live_.live_before(site.stmt);
    // Locals assigned by code hoisted ahead of the statement hold their
    // new values here, whatever the liveness before the statement says.
    for (const clang::VarDecl* v : site.written_before)
      if (std::find(live.begin(), live.end(), v) == live.end()) live.push_back(v);
    // Array objects live on the heap from the top of the function: saved
    // everywhere (a null pointer before the declaration runs).
    for (const clang::VarDecl* v : plan_.vm_locals)
      if (v->getType()->isVariableArrayType() && std::find(live.begin(), live.end(), v) == live.end())
        live.push_back(v);
    std::vector<const clang::VarDecl*> out;
    std::map<std::string, const clang::VarDecl*> by_name;
    for (const clang::VarDecl* v : live) {
      if (plan_.shadow.count(v)) continue;
      if (auto it = vm_.find(v); it != vm_.end() && it->second.object) {
        out.push_back(v);  // its storage has a name of its own
        continue;
      }
      if (auto [it, fresh] = by_name.emplace(v->getNameAsString(), v); !fresh) {
        diag_.error(v->getLocation(), "snow: '" + v->getNameAsString() +
                                          "' hides another variable of the same name that must be saved "
                                          "at a resume point; rename one of them [snow-resume]");
        diag_.note(it->second->getLocation(), "snow: the other one is here");
      }
      out.push_back(v);
    }
    return out;
  }

  void assign_fields() {
    std::set<const clang::VarDecl*> in_record(plan_.shadow.begin(), plan_.shadow.end());
    for (const auto& vars : saved_) in_record.insert(vars.begin(), vars.end());
    std::set<std::string> used{"hdr"};
    for (const clang::VarDecl* v : live_.locals()) {
      if (!in_record.count(v)) continue;
      std::string base = v->getNameAsString(), name = base;
      for (int n = 2; used.count(name); ++n) name = base + "_" + std::to_string(n);
      used.insert(name);
      fields_[v] = name;
      order_.push_back(v);
      if (v->getType()->isVariablyModifiedType() && record_type(v).isNull()) {
        diag_.error(v->getLocation(), "snow: '" + base + "' must be saved at a migration point but its variably "
                                          "modified type is not a pointer to a variable length array [snow-vla]");
        continue;
      }
      if (!types_.spell(record_type(v))) {
        diag_.error(v->getLocation(), "snow: '" + base +
                                          "' must be saved at a migration point but its type has no name at "
                                          "file scope; declare the type outside the function [snow-type]");
      }
    }
    for (const ResumeSite& site : plan_.sites) {
      if (!site.hoisted || returns_void(site)) continue;
      if (temp_type(site)->isVariablyModifiedType())
        diag_.error(site.call->getBeginLoc(), "snow: the value of this call must be kept in a temporary, but "
                                              "its type is variably modified; call it in a statement of its "
                                              "own [snow-vla]");
      else if (!types_.spell(temp_type(site)))
        diag_.error(site.call->getBeginLoc(), "snow: the value of this call must be kept in a temporary, but "
                                              "its type has no name at file scope [snow-type]");
    }
    for (const HoistedExpr& h : plan_.hoisted_exprs) {
      if (h.discarded) continue;
      if (expr_type(h)->isVariablyModifiedType())
        diag_.error(h.expr->getBeginLoc(), "snow: the value of this expression must be computed ahead of its "
                                           "statement into a temporary, but its type is variably modified; "
                                           "compute it in a statement of its own [snow-vla]");
      else if (!types_.spell(expr_type(h)))
        diag_.error(h.expr->getBeginLoc(), "snow: the value of this expression must be computed ahead of its "
                                           "statement into a temporary, but its type has no name at file "
                                           "scope [snow-type]");
    }
  }

  std::string temp_name(int id) const { return "__snow_h" + std::to_string(id); }
  clang::QualType temp_type(const ResumeSite& s) const {
    return s.call->getCallReturnType(ctx_).getUnqualifiedType();
  }
  bool returns_void(const ResumeSite& s) const { return s.call && s.call->getCallReturnType(ctx_)->isVoidType(); }
  std::string expr_temp_name(int id) const { return "__snow_t" + std::to_string(id); }
  clang::QualType expr_type(const HoistedExpr& h) const { return h.expr->getType().getUnqualifiedType(); }
  std::string declare(clang::QualType t, const std::string& name) const {
    std::string decl;
    llvm::raw_string_ostream os(decl);
    t.print(os, policy_, name);
    return os.str();
  }
  const ResumeSite& site_of_temp(int id) const {
    for (const ResumeSite& s : plan_.sites)
      if (s.id == id) return s;
    return plan_.sites.front();
  }

  std::string declarator(const clang::VarDecl* v, const std::string& name) const {
    if (v->getType()->isVariablyModifiedType()) return declare(record_type(v), name);
    clang::QualType t = v->getType();
    clang::Qualifiers dropped;
    t = t->isArrayType() ? ctx_.getUnqualifiedArrayType(t, dropped) : t.getUnqualifiedType();
    std::string s;
    llvm::raw_string_ostream os(s);
    t.print(os, policy_, name);
    return os.str();
  }

  void emit_record() {
    std::string text = "/* snow: frame record of " + fn_name_ + "(): its variables at resume points";
    if (shadowing_) text += ", and the locals whose address escapes";
    text += " */\nstruct " + struct_name_ + " {\n  struct snow_frame hdr;\n";
    std::vector<FrameField> fields{{"hdr", {}, "&snow_exec_frame_type"}};
    for (const clang::VarDecl* v : order_) {
      text += "  " + declarator(v, fields_[v]) + ";" + (plan_.shadow.count(v) ? " /* lives here */" : "") + "\n";
      fields.push_back({fields_[v], record_type(v), {}});
      if (auto it = vm_.find(v); it != vm_.end())
        for (size_t i = 0; i < it->second.dims.size(); ++i) {
          if (it->second.dims[i].empty()) continue;
          std::string name = dim_field(v, i);
          text += "  long " + name + "; /* a bound of " + fields_[v] + " */\n";
          fields.push_back({name, ctx_.LongTy, {}});
        }
    }
    for (const ResumeSite& site : plan_.sites) {
      if (!site.hoisted || returns_void(site)) continue;
      std::string name = temp_name(site.id);
      text += "  " + declare(temp_type(site), name) + "; /* value of a hoisted call */\n";
      fields.push_back({name, temp_type(site), {}});
    }
    for (const HoistedExpr& h : plan_.hoisted_exprs) {
      if (h.discarded) continue;
      std::string name = expr_temp_name(h.id);
      text += "  " + declare(expr_type(h), name) + "; /* value computed ahead of its statement */\n";
      fields.push_back({name, expr_type(h), {}});
    }
    text += "};\n";
    descriptor_ = types_.frame_descriptor(struct_name_, "frame " + unit_ + ":" + fn_name_, fields,
                                          plan_.fn->getLocation());
    edits_.insert_before(plan_.fn->getBeginLoc(), text, -50);
  }

  std::string ind(int level) const {
    std::string s;
    for (int i = 0; i < level; ++i) s += kIndent;
    return s;
  }

  void emit_prologue(const clang::CompoundStmt* body) {
    std::string t = "\n" + ind(1) + "struct " + struct_name_ + " *__snow_fr = 0; /* snow: frame record */\n";
    t += vm_object_storage();
    if (shadowing_) t += ind(1) + "char __snow_mark; /* snow: marks this call's place on the stack */\n";
    if (plan_.is_main) {
      std::string argc = "0", argv = "0";
      if (plan_.fn->getNumParams() >= 2) {
        argc = "&" + plan_.fn->getParamDecl(0)->getNameAsString();
        argv = "&" + plan_.fn->getParamDecl(1)->getNameAsString();
      }
      t += ind(1) + "snow_exec_main_enter(" + argc + ", " + argv + ");\n";
      t += "__snow_dispatch:\n";
    }
    t += ind(1) + "if (SNOW_RESTORING()) {\n";
    t += ind(2) + "__snow_fr = snow_exec_frame_resume(" + descriptor_ + ", " + id_ + ");\n";
    if (shadowing_) t += ind(2) + "snow_exec_shadow_adopt(__snow_fr, &__snow_mark);\n";
    t += ind(2) + "switch (__snow_fr->hdr.resume) {\n";
    for (const ResumeSite& s : plan_.sites)
      t += ind(2) + "case " + std::to_string(s.id) + ": goto __snow_restore_" + std::to_string(s.id) + ";\n";
    t += ind(2) + "default: __builtin_trap();\n" + ind(2) + "}\n" + ind(1) + "}\n";
    if (shadowing_) {
      t += ind(1) + "__snow_fr = snow_exec_shadow_enter(" + descriptor_ + ", &__snow_mark);\n";
      for (const clang::ParmVarDecl* p : plan_.fn->parameters())
        if (plan_.shadow.count(p)) t += ind(1) + copy_in(p) + "\n";
    }
    edits_.insert_after(body->getLBracLoc(), t, 5);
  }

  std::string field_ref(const clang::VarDecl* v) const { return "__snow_fr->" + fields_.at(v); }

  std::string copy_in(const clang::VarDecl* v) const {
    std::string name = v->getNameAsString();
    if (auto it = vm_.find(v); it != vm_.end()) {
      std::string out = field_ref(v) + " = " + it->second.storage + ";";
      for (size_t i = 0; i < it->second.dims.size(); ++i)
        if (!it->second.dims[i].empty())
          out += " __snow_fr->" + dim_field(v, i) + " = " + dim_var(v, i) + ";";
      if (it->second.object) out += " " + it->second.storage + " = 0; /* the record holds it now */";
      return out;
    }
    if (v->getType()->isVariablyModifiedType())  // a parameter
      return field_ref(v) + " = (" + declare(record_type(v), "") + ")" + name + ";";
    if (v->getType()->isArrayType())
      return "__builtin_memcpy(" + field_ref(v) + ", " + name + ", sizeof " + field_ref(v) + ");";
    return field_ref(v) + " = " + name + ";";
  }

  std::string copy_out(const clang::VarDecl* v) const {
    std::string name = v->getNameAsString();
    if (auto it = vm_.find(v); it != vm_.end()) {
      std::string out = it->second.storage + " = " + field_ref(v) + ";";
      for (size_t i = 0; i < it->second.dims.size(); ++i)
        if (!it->second.dims[i].empty())
          out += " " + dim_var(v, i) + " = __snow_fr->" + dim_field(v, i) + ";";
      return out;
    }
    if (v->getType()->isVariablyModifiedType())  // a parameter: its type was computed on entry
      return name + " = (__typeof__(" + name + "))" + field_ref(v) + ";";
    if (v->getType()->isArrayType())
      return "__builtin_memcpy((void *)" + name + ", " + field_ref(v) + ", sizeof " + field_ref(v) + ");";
    if (v->getType().isConstQualified())
      return "__builtin_memcpy((void *)&" + name + ", &" + field_ref(v) + ", sizeof " + name + ");";
    return name + " = " + field_ref(v) + ";";
  }

  std::string dummy_return() const {
    clang::QualType r = plan_.fn->getReturnType();
    if (r->isVoidType()) return "return;";
    if (r->isScalarType()) return "return 0;";
    std::string s;
    llvm::raw_string_ostream os(s);
    r.getUnqualifiedType().print(os, policy_, "__snow_rv");
    return "{ static " + os.str() + "; return __snow_rv; }";
  }

  static std::string describe(const ResumeSite& s) {
    switch (s.kind) {
      case SiteKind::Poll: return "poll-point (" + s.why + ")";
      case SiteKind::Call: return s.why;
      case SiteKind::Comm: return "message call " + s.why;
    }
    return s.why;
  }

  bool needs_braces(const clang::Stmt* s) const {
    auto parents = ctx_.getParents(*s);
    const clang::Stmt* p = parents.empty() ? nullptr : parents[0].get<clang::Stmt>();
    // After a label, C (before C23) accepts a statement but not the
    // declarations of hoisted temporaries.
    bool labelled = p && (isa<clang::LabelStmt>(p) || isa<clang::SwitchCase>(p)) && !isa<clang::DeclStmt>(s);
    return p && (labelled || isa<clang::IfStmt>(p) || isa<clang::ForStmt>(p) || isa<clang::WhileStmt>(p) ||
                 isa<clang::DoStmt>(p) || isa<clang::SwitchStmt>(p));
  }

  void emit_site(const ResumeSite& site, const std::vector<const clang::VarDecl*>& vars) {
    std::string k = std::to_string(site.id);
    bool innermost = site.kind != SiteKind::Call;
    std::string b = "\n" + ind(1) + "if (0) { /* snow: resume point " + k + ": " + describe(site) + " */\n";
    b += "__snow_unwind_" + k + ":\n";
    b += ind(2) + "__snow_fr = snow_exec_frame_save(" + descriptor_ + ", __snow_fr, " + id_ + ", " + k + ");\n";
    for (const clang::VarDecl* v : vars) b += ind(2) + copy_in(v) + "\n";
    for (const std::string& t : temps_at(site)) b += ind(2) + "__snow_fr->" + t + " = " + t + ";\n";
    if (plan_.is_main)
      b += ind(2) + "snow_exec_main_unwound();\n" + ind(2) + "goto __snow_dispatch;\n";
    else
      b += ind(2) + dummy_return() + "\n";
    b += "__snow_restore_" + k + ":\n";
    for (const clang::VarDecl* v : vars) b += ind(2) + copy_out(v) + "\n";
    for (const std::string& t : temps_at(site)) b += ind(2) + t + " = __snow_fr->" + t + ";\n";
    if (innermost) {
      b += ind(2) + "snow_exec_restored(__snow_fr, " + std::string(shadowing_ ? "1" : "0") + ");\n";
      if (!shadowing_) b += ind(2) + "__snow_fr = 0;\n";
    } else if (!shadowing_) {
      b += ind(2) + "snow_exec_frame_release(__snow_fr);\n" + ind(2) + "__snow_fr = 0;\n";
    }
    b += ind(1) + "}\n";

    if (site.kind == SiteKind::Poll && !site.stmt) {
      edits_.insert_before(site.end_block->getRBracLoc(), b + ind(1) + "SNOW_POLL(" + k + ");\n", -20);
      return;
    }
    const clang::Stmt* anchor = site.stmt;
    clang::SourceLocation at = anchor->getBeginLoc();
    if (site.kind != SiteKind::Poll && plan_.loop_heads.count(anchor)) {
      // In the rewritten loop, before its condition.
      at = rewrite_loop_head(anchor);
    } else if (needs_braces(anchor) && braced_.insert(anchor).second) {
      edits_.insert_before(anchor->getBeginLoc(), "{ ", -1000);
      edits_.insert_after(last_token(anchor, sm_, lo_), " }", 40);
    }
    if (site.hoist_for_init) hoist_init(site.hoist_for_init);
    std::string macro = site.kind == SiteKind::Comm ? "SNOW_COMM"
                        : site.call && site.call->getCallReturnType(ctx_)->isVoidType() ? "SNOW_CALL_VOID"
                                                                                         : "SNOW_CALL";
    if (site.hoisted) {
      // `T __snow_h<k> = SNOW_CALL(k, call);` before the statement, with
      // its own resume block; the call's place takes the temporary (a
      // void call: `SNOW_CALL_VOID(k, call);`, its place `(void)0`).
      bool v = returns_void(site);
      edits_.hoist(site.call->getBeginLoc(), site.call->getRParenLoc(), at,
                   b + ind(1) + (v ? "" : declare(temp_type(site), temp_name(site.id)) + " = ") + macro + "(" + k +
                       ", ",
                   ");\n", v ? "(void)0" : temp_name(site.id), kHoistOrder + site.hoist_order);
      return;
    }
    if (site.kind == SiteKind::Poll) {
      // Before anything hoisted out of the statement it precedes.
      edits_.insert_before(anchor->getBeginLoc(), b, -860);
      edits_.insert_before(anchor->getBeginLoc(), "SNOW_POLL(" + k + "); ", -855);
      return;
    }
    edits_.insert_before(at, b, -20);
    edits_.insert_before(site.call->getBeginLoc(), macro + "(" + k + ", ", -5);
    edits_.insert_after(site.call->getRParenLoc(), ")", 5);
  }

  // ------------------------------------------ pointers to variable length arrays
  // `double (*u)[n][m] = init;` becomes
  //   long __snow_dim_u_1 = (n), __snow_dim_u_2 = (m); void *__snow_vla_u = init;
  // and every use of u `((double (*)[__snow_dim_u_1][__snow_dim_u_2])__snow_vla_u)`:
  // no variably modified declaration is left for resume code to jump over,
  // and the bounds, computed once where the declaration was, are saved
  // with the pointer.
  //
  // An array object `double a[n][m];` becomes a heap block of its elements,
  // held by `__snow_vla_a` (declared at the top of the function with its
  // bounds, freed when the function returns by a cleanup attribute, reused
  // when the declaration runs again), and each use of a becomes
  // `(*(double (*)[__snow_dim_a_1][__snow_dim_a_2])__snow_vla_a)`, an lvalue
  // of a's type.  Its pointer and bounds are saved at every resume point;
  // unwinding hands the block to the frame record.
  struct VmLocal {
    bool object = false;            // an array object (else a pointer to one)
    std::vector<std::string> dims;  // a bound's expression as written; empty: constant
    std::vector<std::string> dim_vars;  // __snow_dim_<name>_<i> ("" for a constant bound)
    std::string storage;            // __snow_vla_<name>
    std::string cast;               // the pointer's type, with the saved bounds
    std::string block;              // an array object: the type of its block, with the saved bounds
    std::string elem_descriptor;    // an array object: its innermost element's descriptor
  };

  VmLocal vm_shape(const clang::VarDecl* v) {
    VmLocal out;
    out.object = v->getType()->isVariableArrayType();
    std::string name = v->getNameAsString();
    for (int n = 2; storage_names_.count(name); ++n) name = v->getNameAsString() + "_" + std::to_string(n);
    storage_names_.insert(name);
    out.storage = "__snow_vla_" + name;
    std::string declarator = "(*)", block;
    clang::QualType t = out.object ? v->getType() : v->getType()->getPointeeType();
    while (const clang::ArrayType* a = ctx_.getAsArrayType(t)) {
      std::string bound;
      if (const auto* va = llvm::dyn_cast<clang::VariableArrayType>(a)) {
        auto range = clang::CharSourceRange::getTokenRange(va->getSizeExpr()->getSourceRange());
        out.dims.push_back(clang::Lexer::getSourceText(range, sm_, lo_).str());
        bound = "__snow_dim_" + name + "_" + std::to_string(out.dims.size());
        out.dim_vars.push_back(bound);
      } else if (const auto* ca = llvm::dyn_cast<clang::ConstantArrayType>(a)) {
        out.dims.push_back({});
        out.dim_vars.push_back({});
        bound = std::to_string(ca->getSize().getZExtValue());
      } else {
        out.dims.push_back({});
        out.dim_vars.push_back({});
      }
      declarator += "[" + bound + "]";
      block += "[" + bound + "]";
      t = a->getElementType();
    }
    out.cast = declare(t.getUnqualifiedType(), declarator);
    if (out.object) {
      out.block = declare(t.getUnqualifiedType(), block);
      out.elem_descriptor = types_.descriptor(t, v->getLocation()).value_or("0");
    }
    return out;
  }

  // The use of a rewritten variable: the array object, or the pointer's value.
  std::string vm_use(const VmLocal& vm) const {
    return vm.object ? "(*(" + vm.cast + ")" + vm.storage + ")" : "((" + vm.cast + ")" + vm.storage + ")";
  }

  // The function-wide storage of array objects, at the top of the body.
  std::string vm_object_storage() const {
    std::string t;
    for (const clang::VarDecl* v : plan_.vm_locals) {
      const VmLocal& vm = vm_.at(v);
      if (!vm.object) continue;
      std::string dims;
      for (const std::string& d : vm.dim_vars)
        if (!d.empty()) dims += std::string(dims.empty() ? "long " : ", ") + d + " = 0";
      t += ind(1) + dims + "; void *" + vm.storage + " __attribute__((cleanup(__snow_vla_release))) = 0; /* snow: " +
           v->getNameAsString() + " */\n";
    }
    return t;
  }

  // What the record holds for a variably modified variable: a pointer to
  // the innermost element (null if it is not a pointer to an array).
  clang::QualType record_type(const clang::VarDecl* v) const {
    clang::QualType t = v->getType();
    if (!t->isVariablyModifiedType()) return t;
    if (!t->isVariableArrayType() && (!t->isPointerType() || !ctx_.getAsArrayType(t->getPointeeType()))) return {};
    clang::QualType elem = vm_element(ctx_, t);
    return elem.isNull() ? elem : ctx_.getPointerType(elem);
  }

  std::string dim_var(const clang::VarDecl* v, size_t i) const { return vm_.at(v).dim_vars.at(i); }
  std::string dim_field(const clang::VarDecl* v, size_t i) const {
    return "__snow_dim_" + fields_.at(v) + "_" + std::to_string(i + 1);
  }

  void rewrite_vm_local(const clang::VarDecl* v) {
    const VmLocal& vm = vm_.at(v);
    auto parents = ctx_.getParents(*v);
    const auto* ds = parents.empty() ? nullptr : parents[0].get<clang::DeclStmt>();
    if (!ds) return;
    clang::SourceLocation decl_end = v->getLocation();
    if (auto* tsi = v->getTypeSourceInfo()) {
      clang::SourceLocation te = tsi->getTypeLoc().getEndLoc();
      if (sm_.isBeforeInTranslationUnit(decl_end, te)) decl_end = te;
    }
    std::string bounds;
    if (vm.object) {
      for (size_t i = 0; i < vm.dims.size(); ++i)
        if (!vm.dims[i].empty()) bounds += dim_var(v, i) + " = (" + vm.dims[i] + "), ";
      edits_.replace_range(ds->getBeginLoc(), decl_end,
                           "/* snow: " + v->getNameAsString() + " */ " + bounds + vm.storage + " = snow_realloc(" +
                               vm.storage + ", sizeof(" + vm.block + "), " + vm.elem_descriptor + ")");
    } else {
      for (size_t i = 0; i < vm.dims.size(); ++i)
        if (!vm.dims[i].empty())
          bounds += std::string(bounds.empty() ? "long " : ", ") + dim_var(v, i) + " = (" + vm.dims[i] + ")";
      edits_.replace_range(ds->getBeginLoc(), decl_end,
                           bounds + "; void *" + vm.storage + " /* snow: " + v->getNameAsString() + " */");
    }
    std::vector<const clang::DeclRefExpr*> refs;
    RefCollector rc(refs);
    rc.TraverseStmt(const_cast<clang::Stmt*>(plan_.fn->getBody()));
    std::set<unsigned> done;  // a macro argument may expand several times
    for (const clang::DeclRefExpr* r : refs) {
      if (r->getDecl() != v) continue;
      auto off = edits_.begin_offset(r->getLocation());
      if (off && !done.insert(*off).second) continue;
      edits_.replace_token(r->getLocation(), !vm.object && assigned_whole(r) ? vm.storage : vm_use(vm));
    }
  }

  // `r = ...`: the variable itself is assigned.
  bool assigned_whole(const clang::DeclRefExpr* r) const {
    const clang::Expr* e = r;
    for (;;) {
      auto parents = ctx_.getParents(*e);
      const clang::Expr* p = parents.empty() ? nullptr : parents[0].get<clang::Expr>();
      if (const auto* pe = dyn_cast_or_null<clang::ParenExpr>(p)) {
        e = pe;
        continue;
      }
      const auto* b = dyn_cast_or_null<clang::BinaryOperator>(p);
      return b && b->getOpcode() == clang::BO_Assign && b->getLHS() == e;
    }
  }

  // The temporaries computed before `site` in its statement.
  std::vector<std::string> temps_at(const ResumeSite& site) const {
    std::vector<std::string> out;
    for (const clang::CallExpr* c : site.hoisted_before)
      if (auto it = temp_of_.find(c); it != temp_of_.end()) out.push_back(temp_name(it->second));
    for (int id : site.exprs_before) out.push_back(expr_temp_name(id));
    return out;
  }

  // `T __snow_t<n> = expr;` (or `expr;` when its value is discarded)
  // before its statement, in evaluation order among the hoisted calls;
  // the expression's place takes the temporary.
  void emit_hoisted_expr(const HoistedExpr& h) {
    clang::SourceLocation last = h.expr->getEndLoc();
    const clang::Expr* inner = h.expr->IgnoreParens();
    bool bare_comma = inner == h.expr && isa<clang::BinaryOperator>(inner) &&
                      dyn_cast<clang::BinaryOperator>(inner)->isCommaOp();
    std::string prefix, suffix = ";\n", replacement = "(void)0";
    if (!h.discarded) {
      replacement = expr_temp_name(h.id);
      prefix += declare(expr_type(h), replacement) + " = " + (bare_comma ? "(" : "");
      suffix = std::string(bare_comma ? ")" : "") + suffix;
    }
    clang::SourceLocation at = plan_.loop_heads.count(h.stmt) ? rewrite_loop_head(h.stmt) : h.stmt->getBeginLoc();
    edits_.hoist(h.expr->getBeginLoc(), last, at, prefix, suffix, replacement,
                 kHoistOrder + h.order);
  }

  // A loop whose condition has code hoisted out of it, `while (cond) body`
  // or `for (init; cond; inc) body`, becomes
  //   for (;;) { <hoisted code, resume blocks> if (!(cond)) break; body }
  //   for (init; ; inc) { <hoisted code, resume blocks> if (!(cond)) break; body }
  // so that the hoisted code runs at every iteration (and `continue` still
  // goes to the increment, then the condition).  \returns where the
  // hoisted code goes: the start of the body.
  clang::SourceLocation rewrite_loop_head(const clang::Stmt* loop) {
    const clang::Stmt* body = nullptr;
    const clang::Expr* cond = nullptr;
    if (const auto* w = dyn_cast<clang::WhileStmt>(loop)) {
      body = w->getBody();
      cond = w->getCond();
    } else if (const auto* f = dyn_cast<clang::ForStmt>(loop)) {
      body = f->getBody();
      cond = f->getCond();
    }
    clang::SourceLocation at = body->getBeginLoc();
    if (const auto* cs = dyn_cast<clang::CompoundStmt>(body))
      at = cs->body_empty() ? cs->getRBracLoc() : cs->body_front()->getBeginLoc();
    if (!loop_heads_done_.insert(loop).second) return at;
    if (!isa<clang::CompoundStmt>(body)) {
      edits_.insert_before(body->getBeginLoc(), "{ ", -1000);
      edits_.insert_after(last_token(body, sm_, lo_), " }", 45);
    }
    // The condition moves with the token after it (the `)` of while, the
    // second `;` of for), so that what is inserted at its end moves too;
    // that token becomes the `)` closing `!(`.
    bool is_while = isa<clang::WhileStmt>(loop);
    clang::SourceLocation after = is_while ? dyn_cast<clang::WhileStmt>(loop)->getRParenLoc() : clang::SourceLocation();
    if (!is_while) {
      clang::SourceLocation end = cond->getEndLoc();
      if (end.isMacroID()) end = sm_.getExpansionRange(end).getEnd();
      if (auto tok = clang::Lexer::findNextToken(end, sm_, lo_); tok && tok->is(clang::tok::semi))
        after = tok->getLocation();
    }
    if (after.isInvalid()) {
      diag_.error(cond->getBeginLoc(), "snow: cannot find the end of this loop condition [snow-internal]");
      return at;
    }
    if (is_while) edits_.replace_token(dyn_cast<clang::WhileStmt>(loop)->getWhileLoc(), "for");
    edits_.replace_token(after, ")");
    edits_.hoist(cond->getBeginLoc(), after, at, "if (!(", ") break;\n", is_while ? ";;)" : ";", -3);
    return at;
  }

  // `for (init; cond; inc)` with a resume point in cond becomes
  // `{ init; <resume block> for (; cond; inc) ... }`: resuming must not
  // run init again.
  void hoist_init(const clang::ForStmt* f) {
    const clang::Stmt* init = f->getInit();
    auto range = clang::CharSourceRange::getTokenRange(init->getSourceRange());
    std::string text = clang::Lexer::getSourceText(range, sm_, lo_).str();
    bool had_semi = !text.empty() && text.back() == ';';
    while (!text.empty() && (text.back() == ';' || text.back() == ' ')) text.pop_back();
    edits_.insert_before(f->getBeginLoc(), "{ " + text + "; ", -900);
    edits_.replace_range(init->getBeginLoc(), init->getEndLoc(), had_semi ? ";" : "");
    edits_.insert_after(last_token(f, sm_, lo_), " }", 45);
  }

  // Locals whose address escapes live in the record: every use refers to it.
  void rewrite_shadow_refs(const clang::CompoundStmt* body) {
    if (!shadowing_) return;
    std::vector<const clang::DeclRefExpr*> refs;
    RefCollector rc(refs);
    rc.TraverseStmt(const_cast<clang::CompoundStmt*>(body));
    std::set<unsigned> done;  // a macro argument may expand several times
    for (const clang::DeclRefExpr* r : refs) {
      const auto* v = dyn_cast<clang::VarDecl>(r->getDecl());
      if (!v || !plan_.shadow.count(v) || (in_own_declaration(r, v) && !address_only(r))) continue;
      auto off = edits_.begin_offset(r->getLocation());
      if (off && !done.insert(*off).second) continue;
      edits_.replace_token(r->getLocation(), "(" + field_ref(v) + ")");
    }
    // Declarations keep their initializer; the value is copied into the
    // record right after, and the stack copy is never used again.
    std::set<const clang::DeclStmt*> seen;
    for (const clang::VarDecl* v : order_) {
      if (!plan_.shadow.count(v) || isa<clang::ParmVarDecl>(v)) continue;
      auto parents = ctx_.getParents(*v);
      const auto* ds = parents.empty() ? nullptr : parents[0].get<clang::DeclStmt>();
      if (!ds) continue;
      clang::SourceLocation decl_end = v->getLocation();
      if (auto* tsi = v->getTypeSourceInfo()) {
        clang::SourceLocation te = tsi->getTypeLoc().getEndLoc();
        if (sm_.isBeforeInTranslationUnit(decl_end, te)) decl_end = te;
      }
      edits_.insert_after(decl_end, " __attribute__((unused))", 1);
      if (v->getInit()) edits_.insert_after(ds->getEndLoc(), " " + copy_in(v), 10 + seen.size());
      seen.insert(ds);
    }
  }

  // The reference only takes the variable's address (`&v`, an array that
  // decays): the address in the record is right even before the value is
  // copied there.
  bool address_only(const clang::DeclRefExpr* r) const {
    auto parents = ctx_.getParents(*r);
    const clang::Expr* p = parents.empty() ? nullptr : parents[0].get<clang::Expr>();
    while (p && isa<clang::ParenExpr>(p)) {
      auto pp = ctx_.getParents(*p);
      p = pp.empty() ? nullptr : pp[0].get<clang::Expr>();
    }
    if (const auto* c = dyn_cast_or_null<clang::ImplicitCastExpr>(p))
      return c->getCastKind() == clang::CK_ArrayToPointerDecay;
    if (const auto* u = dyn_cast_or_null<clang::UnaryOperator>(p)) return u->getOpcode() == clang::UO_AddrOf;
    return false;
  }

  // A reference from the initializer of a later declarator of the same
  // declaration, before the value was copied to the record.
  bool in_own_declaration(const clang::DeclRefExpr* r, const clang::VarDecl* v) const {
    auto parents = ctx_.getParents(*v);
    const auto* ds = parents.empty() ? nullptr : parents[0].get<clang::DeclStmt>();
    if (!ds) return false;
    return !sm_.isBeforeInTranslationUnit(r->getLocation(), ds->getBeginLoc()) &&
           !sm_.isBeforeInTranslationUnit(ds->getEndLoc(), r->getLocation());
  }

  clang::ASTContext& ctx_;
  const clang::SourceManager& sm_;
  const clang::LangOptions& lo_;
  Edits& edits_;
  TypeRegistry& types_;
  Diag& diag_;
  const std::string& unit_;
  const FunctionPlan& plan_;
  FunctionLiveness live_;
  clang::PrintingPolicy policy_;
  std::string fn_name_, struct_name_, id_, descriptor_;
  bool shadowing_ = false;
  std::set<const clang::Stmt*> braced_;
  std::map<const clang::CallExpr*, int> temp_of_;  // hoisted call -> its site
  std::map<const clang::VarDecl*, VmLocal> vm_;     // rewritten variable length arrays and pointers to them
  std::set<std::string> storage_names_;
  std::set<const clang::Stmt*> loop_heads_done_;
  std::vector<std::vector<const clang::VarDecl*>> saved_;
  std::map<const clang::VarDecl*, std::string> fields_;
  std::vector<const clang::VarDecl*> order_;
};

}  // namespace

void FrameTransform::transform_frames(const FunctionPlan& plan) {
  FrameWriter writer(ctx_, edits_, types_, diag_, unit_, plan);
  writer.run();
}

}  // namespace snow::precomp
