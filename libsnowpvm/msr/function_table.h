// Function pointers travel by name (seed 004 calls this out as unsafe
// otherwise): every function whose address may sit in migrated data is
// registered under a name that is the same in every build of the program.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace snow::msr {

using FunctionPtr = void (*)();

class FunctionTable {
 public:
  static FunctionTable& instance();
  // Throws StateError when the name or the function is already registered
  // differently.
  void add(FunctionPtr fn, const std::string& name);
  const std::string* name_of(FunctionPtr fn) const;  // nullptr: unknown
  FunctionPtr find(std::string_view name) const;     // nullptr: unknown
  size_t size() const { return by_fn_.size(); }

 private:
  std::unordered_map<FunctionPtr, std::string> by_fn_;
  std::unordered_map<std::string, FunctionPtr> by_name_;
};

}  // namespace snow::msr
