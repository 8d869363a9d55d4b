// CRC-32C (Castagnoli), the checksum of every frame of a state stream.
// Defined over bytes, so every architecture computes the same value; the
// SSE4.2 instruction is used on x86_64 when the CPU has it.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snow::msr {

// Continues `crc` (start with 0) over n bytes.
uint32_t crc32c(uint32_t crc, const void* data, size_t n);

// The portable table-driven version (tests compare both).
uint32_t crc32c_portable(uint32_t crc, const void* data, size_t n);

}  // namespace snow::msr
