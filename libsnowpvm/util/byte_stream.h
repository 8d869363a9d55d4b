// Byte streams: how migration state flows.  The memory/execution state is
// written to a ByteSink and read from a ByteSource, whatever carries it: the
// direct TCP connection between the migrating and the initialized process
// (buffered data transfer, seed 000), a checkpoint file (seed 002), or a
// memory buffer in tests.
#pragma once

#include "libsnowpvm/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace snow {

class ByteSink {
 public:
  virtual ~ByteSink() = default;
  virtual void write(const void* data, size_t n) = 0;
  virtual void flush() {}
};

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Up to n bytes; 0 only at end of stream.
  virtual size_t read_some(void* data, size_t n) = 0;
  // Exactly n bytes, or snow::Error("truncated state stream ...").
  void read_exact(void* data, size_t n);
};

// In memory (tests, small control payloads).
class MemorySink final : public ByteSink {
 public:
  void write(const void* data, size_t n) override;
  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<uint8_t> bytes_;
};

class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::vector<uint8_t> bytes) : bytes_(std::move(bytes)) {}
  MemorySource(const uint8_t* data, size_t n) : bytes_(data, data + n) {}
  size_t read_some(void* data, size_t n) override;
  size_t remaining() const { return bytes_.size() - pos_; }

 private:
  std::vector<uint8_t> bytes_;
  size_t pos_ = 0;
};

// A sink that gathers small writes in a buffer and hands them on in
// buffer-sized pieces; a write at least as large as the buffer goes out
// from where it is.  Subclasses say how bytes leave (emit).
class BufferedSink : public ByteSink {
 public:
  explicit BufferedSink(size_t buffer) : buf_(buffer) {}
  void write(const void* data, size_t n) override;
  void flush() override;
  uint64_t bytes_written() const { return total_; }

 protected:
  virtual void emit(const uint8_t* p, size_t n) = 0;

 private:
  std::vector<uint8_t> buf_;
  size_t used_ = 0;
  uint64_t total_ = 0;
};

// A file descriptor (socket, pipe, file), buffered.  Does not own the fd
// unless `owns` is set.
class FdSink final : public BufferedSink {
 public:
  explicit FdSink(int fd, bool owns = false, size_t buffer = 256 * 1024);
  ~FdSink() override;
  FdSink(const FdSink&) = delete;
  FdSink& operator=(const FdSink&) = delete;

 private:
  void emit(const uint8_t* p, size_t n) override;
  int fd_;
  bool owns_;
};

class FdSource final : public ByteSource {
 public:
  explicit FdSource(int fd, bool owns = false, size_t buffer = 256 * 1024);
  ~FdSource() override;
  FdSource(const FdSource&) = delete;
  FdSource& operator=(const FdSource&) = delete;
  size_t read_some(void* data, size_t n) override;
  uint64_t bytes_read() const { return total_; }

 private:
  int fd_;
  bool owns_;
  std::vector<uint8_t> buf_;
  size_t pos_ = 0, end_ = 0;
  uint64_t total_ = 0;
};

}  // namespace snow
