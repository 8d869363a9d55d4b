// CRC-32 (IEEE 802.3, reflected, as zlib's crc32) for the state stream.
#pragma once

#include <cstddef>
#include <cstdint>

namespace snow::migrate {

uint32_t crc32(const uint8_t* data, size_t n, uint32_t crc = 0);

}  // namespace snow::migrate
