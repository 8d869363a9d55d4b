#include "libsnowpvm/msr/function_table.h"

#include "libsnowpvm/msr/state_error.h"

namespace snow::msr {

FunctionTable& FunctionTable::instance() {
  static FunctionTable t;
  return t;
}

void FunctionTable::add(FunctionPtr fn, const std::string& name) {
  if (fn == nullptr || name.empty())
    throw StateError("snow_register_function: NULL function or empty name");
  if (auto it = by_name_.find(name); it != by_name_.end() && it->second != fn)
    throw StateError("snow_register_function(" + name + "): another function has that name");
  if (auto it = by_fn_.find(fn); it != by_fn_.end() && it->second != name)
    throw StateError("snow_register_function(" + name +
                     "): the function is already registered as " + it->second);
  by_fn_[fn] = name;
  by_name_[name] = fn;
}

const std::string* FunctionTable::name_of(FunctionPtr fn) const {
  auto it = by_fn_.find(fn);
  return it == by_fn_.end() ? nullptr : &it->second;
}

FunctionPtr FunctionTable::find(std::string_view name) const {
  auto it = by_name_.find(std::string(name));
  return it == by_name_.end() ? nullptr : it->second;
}

}  // namespace snow::msr
