#include "precomp/transform/UnitTables.h"
#include "precomp/transform/CString.h"

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include <set>

namespace snow::precomp {

namespace {

std::string registered_name(const clang::NamedDecl* d, bool is_static, const std::string& unit) {
  return is_static ? unit + ":" + d->getNameAsString() : d->getNameAsString();
}

// Does the unit call libpvm (then the process is a PVM task)?
class PvmUse : public clang::RecursiveASTVisitor<PvmUse> {
 public:
  explicit PvmUse(const clang::SourceManager& sm) : sm_(sm) {}
  bool VisitCallExpr(clang::CallExpr* c) {
    const clang::FunctionDecl* fd = c->getDirectCallee();
    if (fd && fd->getIdentifier() && fd->getName().startswith("pvm_") &&
        sm_.isInMainFile(sm_.getExpansionLoc(c->getBeginLoc())))
      found = true;
    return !found;
  }
  bool found = false;

 private:
  const clang::SourceManager& sm_;
};

// The functions of the unit whose address is taken (used other than as the
// callee of a direct call): only those can be the value of a function
// pointer.
class AddressTaken : public clang::RecursiveASTVisitor<AddressTaken> {
 public:
  bool VisitCallExpr(clang::CallExpr* c) {
    if (auto* r = llvm::dyn_cast<clang::DeclRefExpr>(c->getCallee()->IgnoreParenImpCasts())) callees_.insert(r);
    return true;
  }
  bool VisitDeclRefExpr(clang::DeclRefExpr* r) {  // after its CallExpr: pre-order
    if (const auto* f = llvm::dyn_cast<clang::FunctionDecl>(r->getDecl()); f && !callees_.count(r))
      taken.insert(f->getCanonicalDecl());
    return true;
  }
  std::set<const clang::Decl*> taken;

 private:
  std::set<const clang::DeclRefExpr*> callees_;
};

}  // namespace

void emit_unit_tables(clang::ASTContext& ctx, Edits& edits, TypeRegistry& types,
                      const std::vector<MovedStatic>& moved, const std::string& unit,
                      unsigned prelude_offset, Diag& diag) {
  const clang::SourceManager& sm = ctx.getSourceManager();
  std::string globals, functions;
  size_t nglobals = 0, nfunctions = 0;
  std::set<const clang::Decl*> seen;
  AddressTaken address_taken;
  address_taken.TraverseDecl(ctx.getTranslationUnitDecl());
  for (const clang::Decl* d : ctx.getTranslationUnitDecl()->decls()) {
    if (!sm.isInMainFile(d->getLocation())) continue;
    if (const auto* v = llvm::dyn_cast<clang::VarDecl>(d)) {
      const clang::VarDecl* def = v->getDefinition() ? v->getDefinition() : v->getActingDefinition();
      if (!def || !seen.insert(def->getCanonicalDecl()).second) continue;
      if (!sm.isInMainFile(def->getLocation())) continue;
      std::string name = def->getNameAsString();
      auto desc = types.descriptor(def->getType(), def->getLocation(), "__typeof__(" + name + ")");
      if (!desc) continue;
      bool is_static = def->getStorageClass() == clang::SC_Static;
      globals += "  { (void *)&" + name + ", " + *desc + ", " + c_string(registered_name(def, is_static, unit)) +
                 " },\n";
      ++nglobals;
    } else if (const auto* f = llvm::dyn_cast<clang::FunctionDecl>(d)) {
      if (!f->doesThisDeclarationHaveABody() || !seen.insert(f->getCanonicalDecl()).second) continue;
      bool is_static = f->getStorageClass() == clang::SC_Static;
      // A static function that is only ever called directly cannot be a
      // function pointer's value, so it is left out: taking its address
      // here would keep gcc from inlining it (and cost the kernels that
      // call it).  Any other unit may take an extern function's address.
      if (is_static && !address_taken.taken.count(f->getCanonicalDecl())) continue;
      functions += "  { (void (*)(void))" + f->getNameAsString() + ", " +
                   c_string(registered_name(f, is_static, unit)) + " },\n";
      ++nfunctions;
    }
  }
  for (const MovedStatic& m : moved) {
    auto desc = types.descriptor(m.var->getType(), m.var->getLocation(), "__typeof__(" + m.c_name + ")");
    if (!desc) continue;
    globals += "  { (void *)&" + m.c_name + ", " + *desc + ", " + c_string(m.reg_name) + " },\n";
    ++nglobals;
  }
  if (diag.failed()) return;

  PvmUse pvm(sm);
  pvm.TraverseDecl(ctx.getTranslationUnitDecl());
  std::vector<std::string> names = types.names();
  std::string t = "\n/* ---- snow: generated for " + unit + ": type descriptors and registration ---- */\n";
  t += types.definitions();
  if (nglobals) t += "static const struct snow_exec_global __snow_globals[] = {\n" + globals + "};\n";
  if (nfunctions) t += "static const struct snow_exec_function __snow_functions[] = {\n" + functions + "};\n";
  if (!names.empty()) {
    t += "static const snow_type *const __snow_types[] = {\n";
    for (const std::string& n : names) t += "  &" + n + ",\n";
    t += "};\n";
  }
  t += "static struct snow_exec_unit __snow_unit = {\n  .file = " + c_string(unit) +
       ",\n  .globals = " + (nglobals ? "__snow_globals" : "0") + ", .nglobals = " + std::to_string(nglobals) +
       ",\n  .functions = " + (nfunctions ? "__snow_functions" : "0") +
       ", .nfunctions = " + std::to_string(nfunctions) + ",\n  .types = " + (names.empty() ? "0" : "__snow_types") +
       ", .ntypes = " + std::to_string(names.size()) + ",\n  .uses_pvm = " + (pvm.found ? "1" : "0") +
       "\n};\n";
  t += "__attribute__((constructor)) static void __snow_register_unit(void) { snow_exec_add_unit(&__snow_unit); }\n";
  edits.add_trailer(t);

  std::string prelude = "/* snow: runtime of pre-compiled programs, and descriptors defined at the end */\n"
                        "#include <snow_exec.h>\n" + types.declarations();
  edits.insert_at_offset(prelude_offset, prelude, -100);
  edits.insert_at_offset(0, "/* Generated by snowcc's pre-compiler (precomp) from " + unit +
                                "; see doc/precomp.md.  Do not edit. */\n", -200);
}

}  // namespace snow::precomp
