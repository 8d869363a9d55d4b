// Open stdio streams move with the task (open_files.h).  The wrappers the
// pre-compiler substitutes for fopen & co. keep the table; the table is
// the ExternalObjects extension of the memory-state runtime.
#include "libsnowpvm/exec/open_files.h"

#include "libsnowpvm/exec/descriptors.h"
#include "libsnowpvm/exec/exec_state.h"
#include "libsnowpvm/migrate/state_provider.h"
#include "libsnowpvm/msr/external_objects.h"
#include "libsnowpvm/msr/state_error.h"
#include "libsnowpvm/util/log.h"

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstdarg>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <map>
#include <optional>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {

using snow::msr::StateError;

// What moves with the state: one record per stream that can move, in
// tracked memory (the root "snow:open-files"), written just before a
// collection and read right after a restore.
struct FileRecord {
  char* path;        // absolute
  char* mode;        // reopen mode (open_files.h)
  long long offset;  // logical position (ftello)
  int handle;        // how pointers to the stream travel
  int std_stream;    // 0, 1, 2: stdin/stdout/stderr reopened onto the file; else -1
  int eof;           // the end-of-file indicator was set
  int fd;            // a plain descriptor (handle 0) of this number; -1 for a stream
};
struct FileTable {
  FileRecord* records;
  int count;
};

const snow_field kRecordFields[] = {
    snow::exec::field("path", &snow_type_string, offsetof(FileRecord, path)),
    snow::exec::field("mode", &snow_type_string, offsetof(FileRecord, mode)),
    snow::exec::field("offset", &snow_type_llong, offsetof(FileRecord, offset)),
    snow::exec::field("handle", &snow_type_int, offsetof(FileRecord, handle)),
    snow::exec::field("std_stream", &snow_type_int, offsetof(FileRecord, std_stream)),
    snow::exec::field("eof", &snow_type_int, offsetof(FileRecord, eof)),
    snow::exec::field("fd", &snow_type_int, offsetof(FileRecord, fd)),
};
const snow_type kRecordType =
    snow::exec::record("struct snow_open_file", sizeof(FileRecord), alignof(FileRecord), 7, kRecordFields);
const snow_type kRecordPtr = snow::exec::pointer("struct snow_open_file *", &kRecordType);
const snow_field kTableFields[] = {
    snow::exec::field("records", &kRecordPtr, offsetof(FileTable, records)),
    snow::exec::field("count", &snow_type_int, offsetof(FileTable, count)),
};
const snow_type kTableType =
    snow::exec::record("struct snow_open_files", sizeof(FileTable), alignof(FileTable), 2, kTableFields);

FileTable g_table{};

// What a pointer to a stream the program has closed designates on the
// destination: no stream, as on the source, but not NULL either.
alignas(std::max_align_t) char g_closed_stream[64];
// The handle of such pointers, and how many closed streams are remembered
// (an address is forgotten when the C library hands it out again).
constexpr uint64_t kClosedHandle = snow::msr::kFirstExtensionHandle;
constexpr size_t kClosedRemembered = 64;
// Plain descriptors the program opens on files are moved to numbers from
// here on, so that the destination can give them the same numbers (its own
// runtime's descriptors are low ones).
constexpr int kDescriptorBase = 256;

FILE* std_stream(int i) { return i == 0 ? stdin : i == 1 ? stdout : stderr; }
int std_index(const FILE* f) { return f == stdin ? 0 : f == stdout ? 1 : f == stderr ? 2 : -1; }

std::string absolute(const char* path) {
  char buf[PATH_MAX];
  if (::realpath(path, buf) != nullptr) return buf;
  if (path[0] == '/') return path;
  if (::getcwd(buf, sizeof buf) != nullptr) return std::string(buf) + "/" + path;
  return path;
}

std::string host_name() {
  char buf[256] = "";
  ::gethostname(buf, sizeof buf - 1);
  return buf;
}

struct Descriptor {
  std::string path;  // absolute
  bool movable;      // a regular file opened by path
  std::string what;  // not movable: what it is
};

struct Stream {
  FILE* f;
  uint64_t handle;
  bool movable;
  std::string path;     // movable: absolute
  int std_stream = -1;  // movable: a standard stream reopened onto `path`
  std::string what;     // not movable: what it is (the deferral reason)
};

class OpenFiles final : public snow::msr::ExternalObjects {
 public:
  OpenFiles() {
    if (snow_track(&g_table, &kTableType, "snow:open-files") < 0)
      spdlog::warn("exec: cannot track the open-file table; open files will not move");
    snow::msr::set_external_objects(this);
  }

  void add_file(FILE* f, const std::string& path, int std = -1, uint64_t handle = 0) {
    reused(f);
    streams_.push_back(Stream{f, handle ? handle : next_++, true, path, std, {}});
    spdlog::debug("exec: open file: path={} handle={}", path, streams_.back().handle);
  }

  void add_unmovable(FILE* f, std::string what) {
    reused(f);
    streams_.push_back(Stream{f, next_++, false, {}, -1, std::move(what)});
    snow::exec::count_open_io(+1);
  }

  // Forget f; returns its handle (0 when it was not in the table).
  uint64_t forget(const FILE* f) {
    auto it = std::find_if(streams_.begin(), streams_.end(), [&](const Stream& s) { return s.f == f; });
    if (it == streams_.end()) return 0;
    uint64_t h = it->handle;
    if (!it->movable) snow::exec::count_open_io(-1);
    streams_.erase(it);
    return h;
  }

  // f is being closed: pointers the program keeps to it may still have to
  // move (a global that is not reset, say).
  void closed(const FILE* f) {
    if (std_index(f) >= 0) return;
    if (closed_.size() == kClosedRemembered) closed_.erase(closed_.begin());
    closed_.push_back(f);
  }

  const Stream* find(const FILE* f) const {
    for (const Stream& s : streams_)
      if (s.f == f) return &s;
    return nullptr;
  }

  // A descriptor the program opened by path: one on a regular file moves
  // (renumbered from kDescriptorBase); returns the number it has now.
  int add_descriptor(int fd, const char* path, bool cloexec) {
    struct stat st {};
    bool regular = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    if (regular && fd < kDescriptorBase) {
      int hi = ::fcntl(fd, cloexec ? F_DUPFD_CLOEXEC : F_DUPFD, kDescriptorBase);
      if (hi >= 0) {
        ::close(fd);
        fd = hi;
      }
    }
    std::string abs = absolute(path);
    put_descriptor(fd, Descriptor{abs, regular, regular ? "" : "descriptor " + std::to_string(fd) + " on " + abs +
                                                                   ", which is not a regular file"});
    return fd;
  }
  // A descriptor that cannot move (a socket, a pipe, a duplicate).
  void add_unmovable_descriptor(int fd, std::string what) {
    put_descriptor(fd, Descriptor{{}, false, std::move(what)});
  }
  // What the table knew of a descriptor, which it forgets.
  std::optional<Descriptor> take_descriptor(int fd) {
    auto it = fds_.find(fd);
    if (it == fds_.end()) return std::nullopt;
    Descriptor d = std::move(it->second);
    fds_.erase(it);
    if (!d.movable) snow::exec::count_open_io(-1);
    return d;
  }

  const char* reason() {
    reason_.clear();
    for (const Stream& s : streams_)
      if (!s.movable) {
        reason_ = "the program has " + s.what + " open, which cannot move with it";
        return reason_.c_str();
      }
    for (const auto& [fd, d] : fds_)
      if (!d.movable) {
        reason_ = "the program has " + d.what + " open, which cannot move with it";
        break;
      }
    return reason_.c_str();
  }

  // ------------------------------------------------- ExternalObjects

  // (Asked only for addresses that are in no memory block.)
  std::optional<uint64_t> handle_of(const void* p) const override {
    for (const Stream& s : streams_)
      if (s.movable && s.f == p) return s.handle;
    if (std::find(closed_.begin(), closed_.end(), p) != closed_.end()) return kClosedHandle;
    return std::nullopt;
  }

  void check() override {
    for (const Stream& s : streams_)
      if (s.movable) check_file(s.path, fileno(s.f));
    for (const auto& [fd, d] : fds_)
      if (d.movable) check_file(d.path, fd);
  }

  static void check_file(const std::string& path, int fd) {
    for (std::string dir : snow::exec::kHostPrivateDirs)
      if (path == dir || path.rfind(dir + "/", 0) == 0)
        throw snow::migrate::NotMigratable(
            "the open file " + path,
            "is under " + dir + ", which each host has for itself, so another host cannot reopen it");
    struct stat now {}, then {};
    if (::fstat(fd, &then) == 0 &&
        (::stat(path.c_str(), &now) != 0 || now.st_dev != then.st_dev || now.st_ino != then.st_ino))
      throw snow::migrate::NotMigratable("the open file " + path,
                                         "was deleted or replaced since it was opened, so another "
                                         "host cannot reopen it");
  }

  void prepare() override {
    release_records();
    std::vector<FileRecord> recs;
    for (Stream& s : streams_) {
      if (!s.movable) continue;
      int fd = fileno(s.f);
      int fl = fd >= 0 ? ::fcntl(fd, F_GETFL) : -1;
      int fdf = fd >= 0 ? ::fcntl(fd, F_GETFD) : -1;
      if (fl < 0 || fdf < 0) throw StateError("the open file " + s.path + " has no usable descriptor");
      if ((fl & O_ACCMODE) != O_RDONLY && std::fflush(s.f) != 0)
        throw StateError("cannot write out what the program wrote to " + s.path + ": " + std::strerror(errno));
      off_t off = ftello(s.f);
      if (off < 0) throw StateError("cannot tell the position in " + s.path + ": " + std::strerror(errno));
      FileRecord r{};
      r.offset = static_cast<long long>(off);
      r.handle = static_cast<int>(s.handle);
      r.std_stream = s.std_stream;
      r.eof = std::feof(s.f) ? 1 : 0;
      r.fd = -1;
      r.path = snow_strdup(s.path.c_str());
      r.mode = snow_strdup(snow::exec::reopen_mode(fl | ((fdf & FD_CLOEXEC) ? O_CLOEXEC : 0)).c_str());
      recs.push_back(r);
    }
    for (const auto& [fd, d] : fds_) {
      if (!d.movable) continue;
      int fl = ::fcntl(fd, F_GETFL), fdf = ::fcntl(fd, F_GETFD);
      off_t off = ::lseek(fd, 0, SEEK_CUR);
      if (fl < 0 || fdf < 0 || off < 0)
        throw StateError("descriptor " + std::to_string(fd) + " on " + d.path + ": " + std::strerror(errno));
      FileRecord r{};
      r.offset = static_cast<long long>(off);
      r.std_stream = -1;
      r.fd = fd;
      r.path = snow_strdup(d.path.c_str());
      r.mode = snow_strdup(snow::exec::reopen_mode(fl | ((fdf & FD_CLOEXEC) ? O_CLOEXEC : 0)).c_str());
      recs.push_back(r);
    }
    if (recs.empty()) return;
    g_table.records = static_cast<FileRecord*>(snow_calloc(recs.size(), sizeof(FileRecord), &kRecordType));
    if (g_table.records == nullptr) throw StateError("out of memory describing the open files");
    std::copy(recs.begin(), recs.end(), g_table.records);
    g_table.count = static_cast<int>(recs.size());
    for (const FileRecord& r : recs)
      spdlog::info("exec: open file moves: path={} mode={} offset={} {}={}", r.path, r.mode, r.offset,
                   r.fd >= 0 ? "fd" : "handle", r.fd >= 0 ? r.fd : r.handle);
  }

  void recreate() override {
    if (g_table.records == nullptr || g_table.count <= 0) return;
    // First open every file and check every descriptor number (nothing is
    // changed if one fails), then make the streams and place the
    // descriptors.
    struct Pending {
      const FileRecord* rec;
      int fd;
    };
    std::vector<Pending> todo;
    auto give_up = [&](const std::string& why) {
      for (const Pending& p : todo) ::close(p.fd);
      throw StateError(why);
    };
    for (int i = 0; i < g_table.count; ++i) {
      const FileRecord& r = g_table.records[i];
      bool descriptor = r.fd >= 0;
      if (r.path == nullptr || r.mode == nullptr || r.std_stream < -1 || r.std_stream > 2 || r.offset < 0 ||
          r.fd < -1 || (descriptor ? (r.handle != 0 || r.std_stream != -1) : r.handle <= static_cast<int>(kClosedHandle)))
        give_up("the state's table of open files is corrupt");
      if (descriptor ? fds_.count(r.fd) != 0 : object_of(static_cast<uint64_t>(r.handle)) != nullptr)
        continue;  // still open in this process (it wrote the state)
      if (descriptor && (::fcntl(r.fd, F_GETFD) >= 0 || errno != EBADF))
        give_up("the open file " + std::string(r.path) + " cannot be given descriptor " + std::to_string(r.fd) +
                " again on " + host_name() + ": that number is in use");
      int flags = snow::exec::reopen_flags(r.mode);
      if (flags < 0) give_up("the open file " + std::string(r.path) + " has an unknown mode '" + r.mode + "'");
      int fd = ::open(r.path, flags);
      if (fd < 0) {
        int err = errno;
        give_up("the open file " + std::string(r.path) + " cannot be reopened on " + host_name() + ": " +
                std::strerror(err));
      }
      todo.push_back({&r, fd});
    }
    for (size_t k = 0; k < todo.size(); ++k) {
      const FileRecord& r = *todo[k].rec;
      auto fail = [&](int err) {
        for (size_t j = k + 1; j < todo.size(); ++j) ::close(todo[j].fd);
        throw StateError("the open file " + std::string(r.path) + " cannot be reopened at offset " +
                         std::to_string(r.offset) + " on " + host_name() + ": " + std::strerror(err));
      };
      if (r.fd >= 0) {
        int placed = ::dup2(todo[k].fd, r.fd);
        int err = errno;
        ::close(todo[k].fd);
        if (placed < 0) fail(err);
        if (std::string(r.mode).back() == 'e') ::fcntl(r.fd, F_SETFD, FD_CLOEXEC);
        put_descriptor(r.fd, Descriptor{r.path, true, {}});
        if (::lseek(r.fd, static_cast<off_t>(r.offset), SEEK_SET) < 0) fail(errno);
        spdlog::info("exec: open file reopened: path={} mode={} offset={} fd={}", r.path, r.mode, r.offset, r.fd);
        continue;
      }
      FILE* f = nullptr;
      std::string mode = r.mode;
      mode.erase(std::remove(mode.begin(), mode.end(), 'e'), mode.end());
      if (r.std_stream >= 0) {
        f = std_stream(r.std_stream);
        std::fflush(f);
        if (::dup2(todo[k].fd, fileno(f)) < 0) f = nullptr;
        ::close(todo[k].fd);
        if (f) std::clearerr(f);
      } else {
        f = ::fdopen(todo[k].fd, mode.c_str());
        if (f == nullptr) ::close(todo[k].fd);
      }
      if (f == nullptr) fail(errno);
      add_file(f, r.path, r.std_stream, static_cast<uint64_t>(r.handle));
      next_ = std::max<uint64_t>(next_, static_cast<uint64_t>(r.handle) + 1);
      if (fseeko(f, static_cast<off_t>(r.offset), SEEK_SET) != 0) fail(errno);
      if (r.eof && (mode[0] == 'r' || mode.find('+') != std::string::npos)) {
        int c = std::getc(f);  // sets the indicator again if nothing was appended since
        if (c != EOF) std::ungetc(c, f);
      }
      spdlog::info("exec: open file reopened: path={} mode={} offset={} handle={}", r.path, r.mode, r.offset,
                   r.handle);
    }
  }

  void* object_of(uint64_t handle) const override {
    if (handle == kClosedHandle) return g_closed_stream;
    for (const Stream& s : streams_)
      if (s.movable && s.handle == handle) return s.std_stream >= 0 ? std_stream(s.std_stream) : s.f;
    return nullptr;
  }

 private:
  void release_records() {
    if (g_table.records != nullptr) {
      for (int i = 0; i < g_table.count; ++i) {
        snow_free(g_table.records[i].path);
        snow_free(g_table.records[i].mode);
      }
      snow_free(g_table.records);
    }
    g_table = FileTable{};
  }

  void put_descriptor(int fd, Descriptor d) {
    take_descriptor(fd);  // a number the program closed behind our back
    if (!d.movable) snow::exec::count_open_io(+1);
    fds_.emplace(fd, std::move(d));
  }

  void reused(const FILE* f) { closed_.erase(std::remove(closed_.begin(), closed_.end(), f), closed_.end()); }

  std::vector<Stream> streams_;
  std::vector<const void*> closed_;
  std::map<int, Descriptor> fds_;
  uint64_t next_ = kClosedHandle + 1;
  std::string reason_;
};

OpenFiles& table() {
  static OpenFiles t;
  return t;
}

// Registered before main(), so that a restore finds the table's root.
[[maybe_unused]] const bool g_registered = (table(), true);

}  // namespace

namespace snow::exec {

const char* open_io_reason() { return table().reason(); }

}  // namespace snow::exec

extern "C" {

FILE* snow_exec_fopen(const char* path, const char* mode) {
  FILE* f = std::fopen(path, mode);
  if (f) table().add_file(f, absolute(path));
  return f;
}

FILE* snow_exec_freopen(const char* path, const char* mode, FILE* stream) {
  const Stream* old = table().find(stream);
  std::string keep = old && old->movable ? old->path : "";
  uint64_t handle = table().forget(stream);
  FILE* f = std::freopen(path, mode, stream);
  if (f == nullptr) {  // the stream is closed
    table().closed(stream);
    return f;
  }
  int std = std_index(f);
  if (path != nullptr) table().add_file(f, absolute(path), std, handle);
  else if (!keep.empty()) table().add_file(f, keep, std, handle);
  else if (std < 0) table().add_unmovable(f, "a stream reopened by freopen(NULL) on an unknown file");
  return f;
}

FILE* snow_exec_fdopen(int fd, const char* mode) {
  FILE* f = fdopen(fd, mode);
  if (!f) return f;
  auto d = table().take_descriptor(fd);  // the stream owns it now
  if (d && d->movable) table().add_file(f, d->path);
  else if (d) table().add_unmovable(f, "a stream on " + d->what);
  else
    table().add_unmovable(f, "a stream on descriptor " + std::to_string(fd) +
                                 " (fdopen), which the program did not open by path");
  return f;
}

FILE* snow_exec_popen(const char* command, const char* mode) {
  FILE* f = popen(command, mode);
  if (f) table().add_unmovable(f, std::string("a pipe to the command \"") + command + "\" (popen)");
  return f;
}

FILE* snow_exec_tmpfile(void) {
  FILE* f = std::tmpfile();
  if (f) table().add_unmovable(f, "an anonymous temporary file (tmpfile)");
  return f;
}

int snow_exec_fclose(FILE* f) {
  table().forget(f);
  table().closed(f);
  return std::fclose(f);
}

int snow_exec_pclose(FILE* f) {
  table().forget(f);
  table().closed(f);
  return pclose(f);
}

int snow_exec_open(const char* path, int flags, ...) {
  mode_t mode = 0;
  if (flags & (O_CREAT | O_TMPFILE)) {
    va_list ap;
    va_start(ap, flags);
    mode = static_cast<mode_t>(va_arg(ap, int));
    va_end(ap);
  }
  int fd = open(path, flags, mode);
  if (fd >= 0) fd = table().add_descriptor(fd, path, (flags & O_CLOEXEC) != 0);
  return fd;
}

int snow_exec_close(int fd) {
  table().take_descriptor(fd);
  return close(fd);
}

int snow_exec_socket(int domain, int type, int protocol) {
  int fd = socket(domain, type, protocol);
  if (fd >= 0) table().add_unmovable_descriptor(fd, "a socket (descriptor " + std::to_string(fd) + ")");
  return fd;
}

int snow_exec_pipe(int fds[2]) {
  int rc = pipe(fds);
  if (rc == 0)
    for (int i = 0; i < 2; ++i)
      table().add_unmovable_descriptor(fds[i], "a pipe (descriptor " + std::to_string(fds[i]) + ")");
  return rc;
}

int snow_exec_dup(int fd) {
  int d = dup(fd);
  if (d >= 0)
    table().add_unmovable_descriptor(d, "descriptor " + std::to_string(d) + ", a duplicate (dup) of " +
                                            std::to_string(fd));
  return d;
}

int snow_exec_dup2(int fd, int to) {
  int d = dup2(fd, to);
  if (d >= 0 && d != fd)
    table().add_unmovable_descriptor(d, "descriptor " + std::to_string(d) + ", a duplicate (dup2) of " +
                                            std::to_string(fd));
  return d;
}

}  // extern "C"
