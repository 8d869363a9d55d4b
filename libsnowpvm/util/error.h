// Error types, one per failure source.  Each carries the operation that
// failed so messages read "pvm_send(t40003): PvmNoTask" rather than "-31".
#pragma once

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <string>

namespace snow {

// Base of every SNOW-PVM error; what() is a complete, user-facing sentence.
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A system call failed; keeps errno.
class SysError : public Error {
 public:
  SysError(const std::string& call, int err)
      : Error(call + ": " + std::strerror(err)), err_(err) {}
  explicit SysError(const std::string& call) : SysError(call, errno) {}
  int err() const noexcept { return err_; }

 private:
  int err_;
};

// A libpvm call returned a negative PVM status.
class PvmError : public Error {
 public:
  PvmError(const std::string& call, int code);
  int code() const noexcept { return code_; }

 private:
  int code_;
};

// Human readable name of a PVM status code (PvmNoTask, PvmBadParam, ...).
const char* pvm_error_name(int code);

// Throw PvmError when `rc` is a negative PVM status, else return it.
int pvm_check(const char* call, int rc);

}  // namespace snow
