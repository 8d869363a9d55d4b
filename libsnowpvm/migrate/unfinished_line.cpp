#include "libsnowpvm/migrate/unfinished_line.h"

#include <stdio_ext.h>

namespace snow::migrate {

std::string take_unfinished_line(std::FILE* f) {
#ifdef __GLIBC__
  // glibc: the pending bytes are the __fpending(f) bytes before the write
  // pointer (struct _IO_FILE, <bits/types/struct_FILE.h>).
  size_t n = __fpending(f);
  if (n == 0) return {};
  std::string pending(f->_IO_write_ptr - n, n);
  size_t cut = pending.rfind('\n');
  cut = (cut == std::string::npos) ? 0 : cut + 1;
  if (cut == pending.size()) {
    std::fflush(f);
    return {};
  }
  __fpurge(f);
  if (cut > 0) {
    std::fwrite(pending.data(), 1, cut, f);
    std::fflush(f);
  }
  return pending.substr(cut);
#else
  std::fflush(f);
  return {};
#endif
}

void put_back_unfinished_line(std::FILE* f, const std::string& text) {
  if (!text.empty()) std::fwrite(text.data(), 1, text.size(), f);
}

}  // namespace snow::migrate
