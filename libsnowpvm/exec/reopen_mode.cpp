// How a stream moved with the task is reopened (open_files.h): from its
// descriptor's flags to a portable mode, and back to open(2) flags that
// never create nor truncate.
#include "libsnowpvm/exec/open_files.h"

#include <fcntl.h>

namespace snow::exec {

std::string reopen_mode(int open_flags) {
  std::string m;
  switch (open_flags & O_ACCMODE) {
    case O_RDONLY:
      m = "r";
      break;
    case O_WRONLY:
      m = (open_flags & O_APPEND) ? "a" : "w";
      break;
    default:
      m = (open_flags & O_APPEND) ? "a+" : "r+";
      break;
  }
  if (open_flags & O_CLOEXEC) m += "e";
  return m;
}

int reopen_flags(const std::string& mode) {
  std::string m = mode;
  bool cloexec = !m.empty() && m.back() == 'e';
  if (cloexec) m.pop_back();
  int flags;
  if (m == "r") flags = O_RDONLY;
  else if (m == "w") flags = O_WRONLY;
  else if (m == "a") flags = O_WRONLY | O_APPEND;
  else if (m == "r+") flags = O_RDWR;
  else if (m == "a+") flags = O_RDWR | O_APPEND;
  else return -1;
  return cloexec ? flags | O_CLOEXEC : flags;
}

}  // namespace snow::exec
