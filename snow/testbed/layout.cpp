#include "snow/testbed/layout.h"

#include "config.h"
#include "libsnowpvm/util/error.h"

#include <unistd.h>

#include <climits>
#include <cstdlib>
#include <filesystem>

namespace snow::testbed {
namespace fs = std::filesystem;

Layout Layout::detect() {
  Layout l;
  l.builddir_ = SNOW_ABS_BUILDDIR;
  l.srcdir_ = SNOW_ABS_SRCDIR;
  l.bindir_ = SNOW_BINDIR;
  l.pkglibdir_ = SNOW_PKGLIBDIR;
  l.pkgdatadir_ = SNOW_PKGDATADIR;
  l.sysroot_dir_ = SNOW_SYSROOT_DIR;
  if (const char* s = std::getenv("SNOW_SYSROOT_DIR"); s && *s) l.sysroot_dir_ = s;
  std::error_code ec;
  auto self = fs::read_symlink("/proc/self/exe", ec).string();
  auto build = fs::weakly_canonical(l.builddir_, ec).string();
  l.build_tree_ = !self.empty() && !build.empty() && self.rfind(build + "/", 0) == 0;
  return l;
}

std::string Layout::ext_binary(const ArchInfo& a) const {
  if (build_tree_)
    return is_native(a) ? builddir_ + "/pvmd-ext/snow-pvmd-ext"
                        : builddir_ + "/cross/" + std::string(a.name) + "/pvmd-ext/snow-pvmd-ext";
  return is_native(a) ? bindir_ + "/snow-pvmd-ext"
                      : pkglibdir_ + "/" + std::string(a.name) + "/bin/snow-pvmd-ext";
}

std::string Layout::scheduler_binary(const ArchInfo& a) const {
  if (build_tree_)
    return is_native(a) ? builddir_ + "/scheduler/snow-scheduler"
                        : builddir_ + "/cross/" + std::string(a.name) + "/scheduler/snow-scheduler";
  return is_native(a) ? bindir_ + "/snow-scheduler"
                      : pkglibdir_ + "/" + std::string(a.name) + "/bin/snow-scheduler";
}

std::string Layout::sysroot(const ArchInfo& a) const {
  return is_native(a) ? std::string() : sysroot_dir_ + "/" + std::string(a.name);
}

std::string Layout::pvmd_binary(const ArchInfo& a) const {
  if (is_native(a)) return SNOW_PVMD;
  return sysroot(a) + "/usr/bin/pvmd";
}

std::vector<std::string> Layout::shared_paths() const {
  std::vector<std::string> v{builddir_, srcdir_, sysroot_dir_};
  if (!build_tree_) v.push_back(pkglibdir_);
  return v;
}

std::string Layout::pvmrc_dir() const {
  return build_tree_ ? srcdir_ + "/snow/console" : pkgdatadir_ + "/console";
}

}  // namespace snow::testbed
