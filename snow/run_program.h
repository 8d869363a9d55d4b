// `snow run`: which file a program name means, and whether the virtual
// host it will run on sees that same file.
//
// A name with a slash is a path, used as is (made absolute against the
// caller's working directory).  A bare name is looked up as pvm_spawn
// does, in the host's program path (DIR/<PVM_ARCH> for every `snow vm up
// --ep DIR`, then ~/pvm3/bin/<PVM_ARCH>), then in $PATH like a shell.
#pragma once

#include "snow/testbed/vm_state.h"

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace snow::cli {

// The identity of a file as one mount namespace sees it.
struct FileId {
  dev_t dev = 0;
  ino_t ino = 0;
  bool operator==(const FileId&) const = default;
};

std::optional<FileId> file_id(const std::string& path);

struct Located {
  std::string word;             // as given
  std::string path;             // absolute
  std::optional<FileId> here;   // as the caller's namespace sees it
  bool from_program_path = false;
};

// The host's program path (pvmd's ep= option of `h`), in search order.
std::vector<std::string> program_path_of(const testbed::VmState& vm, const testbed::HostRecord& h);

// Resolve `word` in the caller's namespaces.  Throws snow::Error saying
// where it looked when a bare name is found nowhere.
Located locate_program(const testbed::VmState& vm, const testbed::HostRecord& h,
                       const std::string& word);

// After entering host `h`: the program must be the same executable file
// there.  Throws snow::Error saying why not (the host's private /tmp, a
// different file under that path, not executable).
void confirm_visible(const Located& p, const testbed::VmState& vm, const testbed::HostRecord& h);

// Same check for a directory a task writes into (--checkpoint-every).
void confirm_dir_visible(const std::string& dir, const std::optional<FileId>& here,
                         const testbed::VmState& vm, const testbed::HostRecord& h);

// True when the file is a program with SNOW's exit-status hook (built by
// snowcc or linked with libsnowpvm's runtime): `snow run` starts those as
// PVM tasks.  See libsnowpvm/comm/exit_report.h.
bool has_exit_report_hook(const std::string& path);

// The architecture an ELF executable is for ("x86_64", "i386", "s390x"),
// or "" when it is not an ELF file of one of those.
std::string elf_arch(const std::string& path);

}  // namespace snow::cli
