// The decoder's unpacker over a received PVM message (the active receive
// buffer): libpvm's pvm_upk* with every length checked against the
// message's size first, so a hostile count never allocates or reads more.
#pragma once

#include "snow/trace/decoder.h"

namespace snow::cli::trace {

class PvmUnpacker : public Unpacker {
 public:
  explicit PvmUnpacker(int message_bytes) : left_(message_bytes > 0 ? static_cast<std::size_t>(message_bytes) : 0) {}
  bool get_int(int& out) override;
  bool get_string(std::string& out, std::size_t max) override;
  bool skip(int type, std::size_t count) override;

 private:
  std::size_t left_;  // an upper bound of the bytes still to unpack
};

}  // namespace snow::cli::trace
