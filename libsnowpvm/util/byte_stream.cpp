#include "libsnowpvm/util/byte_stream.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace snow {

void ByteSource::read_exact(void* data, size_t n) {
  auto* p = static_cast<uint8_t*>(data);
  size_t got = 0;
  while (got < n) {
    size_t k = read_some(p + got, n - got);
    if (k == 0)
      throw Error("truncated state stream: wanted " + std::to_string(n) + " bytes, got " +
                  std::to_string(got));
    got += k;
  }
}

void MemorySink::write(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  bytes_.insert(bytes_.end(), p, p + n);
}

size_t MemorySource::read_some(void* data, size_t n) {
  size_t k = std::min(n, bytes_.size() - pos_);
  if (k) std::memcpy(data, bytes_.data() + pos_, k);
  pos_ += k;
  return k;
}

FdSink::FdSink(int fd, bool owns, size_t buffer) : BufferedSink(buffer), fd_(fd), owns_(owns) {}

FdSink::~FdSink() {
  try {
    flush();
  } catch (...) {
  }
  if (owns_) close(fd_);
}

namespace {
void write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t k = ::write(fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      throw SysError("write to state stream");
    }
    p += k;
    n -= static_cast<size_t>(k);
  }
}
}  // namespace

void BufferedSink::write(const void* data, size_t n) {
  const auto* p = static_cast<const uint8_t*>(data);
  total_ += n;
  if (used_ + n <= buf_.size()) {
    std::memcpy(buf_.data() + used_, p, n);
    used_ += n;
    return;
  }
  flush();
  if (n >= buf_.size()) {  // a large block goes out from where it is
    emit(p, n);
    return;
  }
  std::memcpy(buf_.data(), p, n);
  used_ = n;
}

void BufferedSink::flush() {
  if (used_ == 0) return;
  size_t n = used_;
  used_ = 0;
  emit(buf_.data(), n);
}

void FdSink::emit(const uint8_t* p, size_t n) { write_all(fd_, p, n); }

FdSource::FdSource(int fd, bool owns, size_t buffer) : fd_(fd), owns_(owns), buf_(buffer) {}

FdSource::~FdSource() {
  if (owns_) close(fd_);
}

size_t FdSource::read_some(void* data, size_t n) {
  if (pos_ == end_) {
    if (n >= buf_.size()) {
      for (;;) {
        ssize_t k = ::read(fd_, data, n);
        if (k >= 0) {
          total_ += static_cast<uint64_t>(k);
          return static_cast<size_t>(k);
        }
        if (errno != EINTR) throw SysError("read from state stream");
      }
    }
    for (;;) {
      ssize_t k = ::read(fd_, buf_.data(), buf_.size());
      if (k >= 0) {
        pos_ = 0;
        end_ = static_cast<size_t>(k);
        break;
      }
      if (errno != EINTR) throw SysError("read from state stream");
    }
    if (end_ == 0) return 0;
  }
  size_t k = std::min(n, end_ - pos_);
  std::memcpy(data, buf_.data() + pos_, k);
  pos_ += k;
  total_ += k;
  return k;
}

}  // namespace snow
