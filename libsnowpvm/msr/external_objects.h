// Objects outside the memory graph that a program's pointers may designate:
// the C library's stdio streams.  A pointer to one moves as a *handle*
// (PtrTag::Handle in the state stream), not as memory: on the destination
// it designates the equivalent object there.  Handles 0, 1, 2 are stdin,
// stdout and stderr (each process has its own); other handles belong to
// the installed extension -- the open-file table of pre-compiled programs
// (exec/open_files.h), which describes its streams in tracked memory so
// that the description moves with the rest of the state.
#pragma once

#include <cstdint>
#include <optional>

namespace snow::msr {

class Registry;

inline constexpr uint64_t kStdinHandle = 0, kStdoutHandle = 1, kStderrHandle = 2;
inline constexpr uint64_t kFirstExtensionHandle = 3;

class ExternalObjects {
 public:
  virtual ~ExternalObjects() = default;
  // The handle of the object at p (>= kFirstExtensionHandle), if any.
  virtual std::optional<uint64_t> handle_of(const void* p) const = 0;
  // Pre-flight on the source, before anything stops: throws
  // migrate::NotMigratable when an object cannot exist on another host.
  virtual void check() = 0;
  // Before a collection of the process's state: bring the description of
  // the objects (tracked memory) up to date.  Throws StateError.
  virtual void prepare() = 0;
  // After a restore of the process's state has read everything: recreate
  // the objects the restored description names.  Throws StateError with
  // nothing left half-done.
  virtual void recreate() = 0;
  // After recreate(): the object behind a handle, or nullptr if unknown.
  virtual void* object_of(uint64_t handle) const = 0;
};

// The extension in use (none by default).
void set_external_objects(ExternalObjects* x);

// For the collector, pre-flight and restorer.  The extension's steps run
// only for the process's own registry (tests use private ones).
std::optional<uint64_t> external_handle(const void* p);
void* external_object(uint64_t handle);  // throws StateError when unknown
void external_check(const Registry& reg);
void external_prepare(const Registry& reg);
void external_recreate(const Registry& reg);

}  // namespace snow::msr
