// Where SNOW-PVM's pieces live: the build tree (tests, developers) or an
// installed prefix (users).  The same `snow` binary serves both; it decides
// by where it runs from.
#pragma once

#include "snow/testbed/arch.h"

#include <string>
#include <vector>

namespace snow::testbed {

class Layout {
 public:
  static Layout detect();

  bool in_build_tree() const { return build_tree_; }
  // Per-architecture runtime binaries (a foreign one runs under qemu-user).
  std::string ext_binary(const ArchInfo& a) const;
  std::string scheduler_binary(const ArchInfo& a) const;
  // Debian packages of architecture `a` unpacked by tools/prepare-sysroots.
  std::string sysroot(const ArchInfo& a) const;
  // The pvmd of architecture `a`.
  std::string pvmd_binary(const ArchInfo& a) const;
  // Project paths that must stay visible inside a virtual host even when
  // they live under /tmp, which every host replaces with its own.
  std::vector<std::string> shared_paths() const;
  // Directory of the stock PVM console configuration the project installs.
  std::string pvmrc_dir() const;

 private:
  bool build_tree_ = false;
  std::string builddir_, srcdir_, bindir_, pkglibdir_, pkgdatadir_, sysroot_dir_;
};

}  // namespace snow::testbed
