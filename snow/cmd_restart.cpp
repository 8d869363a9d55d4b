// snow restart: start a program from a checkpoint ("migration to disk",
// seed 002), on this host or -- through `snow run --host H snow restart`
// -- on a virtual host of any architecture.  The program restores its
// state when it calls snow_start() / snow_restart_if_requested() after
// registering its roots.
#include "libsnowpvm/msr/stream_info.h"
#include "libsnowpvm/util/byte_stream.h"
#include "libsnowpvm/util/error.h"
#include "snow/command.h"
#include "snow/testbed/process.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <iostream>

namespace snow::cli {

int cmd_restart(Args& args) {
  auto words = args.command_line();
  if (words.size() >= 2 && words[1] == "--") words.erase(words.begin() + 1);
  if (words.size() < 2) throw Error("usage: snow restart FILE -- PROGRAM [ARGS...]");
  std::string file = words[0];
  words.erase(words.begin());
  char* abs = ::realpath(file.c_str(), nullptr);
  if (abs == nullptr) throw SysError("checkpoint " + file);
  std::string path = abs;
  std::free(abs);
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SysError("open " + path);
  msr::StreamInfo info;
  {
    FdSource src(fd, /*owns=*/true);
    info = msr::read_stream_info(src);
  }
  std::cerr << "snow restart: checkpoint of " << (info.program.empty() ? "a program" : info.program)
            << " on " << info.source.describe() << ", " << info.roots << " roots\n";
  testbed::exec_replace(words, {{"SNOW_RESTART_FILE", path}});
}

}  // namespace snow::cli
