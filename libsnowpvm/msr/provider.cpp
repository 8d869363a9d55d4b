#include "libsnowpvm/msr/provider.h"

#include "libsnowpvm/msr/external_objects.h"
#include "libsnowpvm/msr/last_error.h"
#include "libsnowpvm/msr/preflight.h"
#include "libsnowpvm/msr/state_error.h"
#include "libsnowpvm/util/log.h"
#include "snowpvm.h"
#include "snowpvm_msr.h"

#include <fcntl.h>
#include <cerrno>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace snow::msr {
namespace {

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

void MsrStateProvider::check(const Platform& dst) {
  auto t0 = std::chrono::steady_clock::now();
  external_check(reg_);  // open files another host cannot reopen
  PreflightStats s = preflight(reg_, dst);
  spdlog::info("msr_preflight: dst={} blocks={} values={} seconds={:.6f}", dst.arch, s.blocks,
               s.values_checked, seconds_since(t0));
}

void MsrStateProvider::collect(ByteSink& out, const Platform& dst) {
  auto t0 = std::chrono::steady_clock::now();
  Collector c(reg_, dst);
  c.run(out);
  const CollectStats& s = c.stats();
  spdlog::info("msr_collect: dst={} blocks={} payload={} pointers={} stream={} seconds={:.6f}",
               dst.arch, s.blocks, s.payload_bytes, s.pointers, s.stream_bytes, seconds_since(t0));
}

void MsrStateProvider::restore(ByteSource& in) {
  auto t0 = std::chrono::steady_clock::now();
  RestoreOptions opt;
  opt.discard_existing = !reg_.frames().empty();
  Restorer r(reg_, opt);
  r.run(in);
  const RestoreStats& s = r.stats();
  spdlog::info(
      "msr_restore: src={} blocks={} payload={} pointers={} frames={} converted={} seconds={:.6f}",
      s.source_arch, s.blocks, s.payload_bytes, s.pointers, s.frames, s.converted,
      seconds_since(t0));
}

MsrStateProvider& process_provider() {
  static MsrStateProvider p(Registry::process());
  return p;
}

namespace {

// A fresh temporary file next to `path` (same directory, so rename() is
// atomic): created exclusively, never through a symbolic link, private.
int create_temporary(const std::string& path, std::string& tmp) {
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty()) throw StateError("checkpoint file name " + path + " names a directory");
  for (int attempt = 0; attempt < 100; ++attempt) {
    char suffix[48];
    std::snprintf(suffix, sizeof suffix, ".%ld.%d.partial", static_cast<long>(::getpid()),
                  attempt + static_cast<int>(std::chrono::steady_clock::now().time_since_epoch().count() & 0xffff));
    tmp = (dir == "/" ? "" : dir) + "/." + base + suffix;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd >= 0) return fd;
    if (errno != EEXIST) throw SysError("create " + tmp);
  }
  throw StateError("cannot create a temporary file next to " + path);
}

void sync_directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;  // the data itself is on disk; only the name may be lost in a crash
  ::fsync(fd);
  ::close(fd);
}

}  // namespace

CollectStats write_checkpoint(Registry& reg, const std::string& path) {
  std::string tmp;
  int fd = create_temporary(path, tmp);
  Collector c(reg, std::nullopt);
  try {
    FdSink sink(fd, /*owns=*/true);
    c.run(sink);
    sink.flush();
    if (::fsync(fd) != 0) throw SysError("fsync " + tmp);
  } catch (...) {
    ::unlink(tmp.c_str());
    throw;
  }
  // rename() replaces `path` itself, a symbolic link included: it never
  // writes through one.
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    throw SysError("rename " + tmp + " to " + path, err);
  }
  sync_directory_of(path);
  return c.stats();
}

RestoreStats read_checkpoint(Registry& reg, const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw SysError("open checkpoint " + path);
  FdSource src(fd, /*owns=*/true);
  Restorer r(reg);
  r.run(src);
  return r.stats();
}

}  // namespace snow::msr

// ---------------------------------------------------------------- the seam

namespace snow::migrate {
namespace {
StateProvider* g_provider = nullptr;
}

StateProvider& state_provider() {
  return g_provider != nullptr ? *g_provider : snow::msr::process_provider();
}

void set_state_provider(StateProvider* p) { g_provider = p; }

}  // namespace snow::migrate

// ---------------------------------------------------------------- C API

extern "C" int snow_checkpoint(const char* path) {
  if (path == nullptr || *path == '\0') return PvmBadParam;
  try {
    auto t0 = std::chrono::steady_clock::now();
    auto s = snow::msr::write_checkpoint(snow::msr::Registry::process(), path);
    spdlog::info("checkpoint: file={} blocks={} bytes={} seconds={:.6f}", path, s.blocks,
                 s.stream_bytes, snow::msr::seconds_since(t0));
    return 0;
  } catch (const snow::migrate::NotMigratable& e) {
    snow::msr::set_last_error("checkpoint", e.what());
    return SnowNotMigratable;
  } catch (const std::exception& e) {
    snow::msr::set_last_error("checkpoint", e.what());
    return SnowBadState;
  }
}

extern "C" int snow_restart_if_requested(void) {
  const char* path = std::getenv("SNOW_RESTART_FILE");
  if (path == nullptr || *path == '\0') return 0;
  std::string file = path;
  ::unsetenv("SNOW_RESTART_FILE");  // not for processes this one starts
  try {
    auto t0 = std::chrono::steady_clock::now();
    auto s = snow::msr::read_checkpoint(snow::msr::Registry::process(), file);
    spdlog::info("restart: file={} src={} blocks={} converted={} seconds={:.6f}", file,
                 s.source_arch, s.blocks, s.converted, snow::msr::seconds_since(t0));
    return 1;
  } catch (const snow::migrate::NotMigratable& e) {
    snow::msr::set_last_error("restart", e.what());
    return SnowNotMigratable;
  } catch (const std::exception& e) {
    snow::msr::set_last_error("restart", e.what());
    return SnowBadState;
  }
}
