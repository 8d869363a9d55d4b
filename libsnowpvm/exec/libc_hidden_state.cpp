// C library functions that keep state of their own between calls, where
// the memory-state runtime cannot see it: strtok's position in the string
// it is cutting, and the pseudo-random generators (rand/random, and the
// *rand48 family).  A program migrated in the middle of a strtok loop
// would crash on the destination, and one that draws random numbers would
// draw the sequence again from its start.  The pre-compiler calls these
// instead; their state is tracked like a global of the program, so it
// moves.  The generators give exactly the numbers glibc's give (the
// unmigrated run, built with cc), on every architecture:
//   rand/random: the additive feedback generator r[i] = r[i-3] + r[i-31]
//     (mod 2^32), seeded by r[i] = 16807 r[i-1] mod (2^31 - 1), the first
//     310 values after the 34 seeds discarded, results r >> 1;
//   *rand48: the 48-bit linear congruence X' = 0x5DEECE66D X + 0xB.
#include "libsnowpvm/exec/snow_exec.h"
#include "libsnowpvm/util/log.h"

#include <cstdint>
#include <cstring>

namespace {

constexpr int kLag = 31;        // r[i-31]
constexpr int kShortLag = 3;    // r[i-3]
constexpr int kWarmUp = 310;    // values discarded after seeding (344 - 34)

// Plain ints only: the state is described to the memory-state runtime.
struct RandomState {
  int32_t ring[kLag];  // r[i-31] .. r[i-1], oldest at `pos`
  int32_t pos;
  int32_t seeded;
};
RandomState g_random;

uint64_t g_rand48 = 0;

char* g_strtok_next = nullptr;

void seed_random(uint32_t seed) {
  if (seed == 0) seed = 1;
  int32_t r[34];
  r[0] = static_cast<int32_t>(seed);
  for (int i = 1; i < kLag; ++i) {
    // 16807 * r[i-1] mod (2^31 - 1), computed without overflow (Schrage).
    int64_t hi = r[i - 1] / 127773, lo = r[i - 1] % 127773;
    int64_t word = 16807 * lo - 2836 * hi;
    if (word < 0) word += 2147483647;
    r[i] = static_cast<int32_t>(word);
  }
  for (int i = kLag; i < 34; ++i) r[i] = r[i - kLag];
  // The ring holds the 31 newest values r[3] .. r[33].
  for (int i = 0; i < kLag; ++i) g_random.ring[i] = r[i + 3];
  g_random.pos = 0;
  g_random.seeded = 1;
  for (int i = 0; i < kWarmUp; ++i) (void)snow_rand();
}

void seed_rand48(uint64_t x) {
  g_rand48 = x & ((uint64_t{1} << 48) - 1);
}

uint64_t next_rand48() {
  // Unseeded, glibc starts from X = 0 (POSIX leaves it open).
  g_rand48 = (0x5DEECE66DULL * g_rand48 + 0xB) & ((uint64_t{1} << 48) - 1);
  return g_rand48;
}

// Registered before main(), so that a destination knows the roots the
// source's state names (a restore refuses unknown ones).
__attribute__((constructor)) void track_hidden_state() {
  const snow_type* ring = snow_array_of(&snow_type_int32, kLag);
  if (snow_track(&g_random.ring, ring, "libc:random.ring") < 0 ||
      snow_track(&g_random.pos, &snow_type_int32, "libc:random.pos") < 0 ||
      snow_track(&g_random.seeded, &snow_type_int32, "libc:random.seeded") < 0 ||
      snow_track(&g_rand48, &snow_type_uint64, "libc:rand48.x") < 0 ||
      snow_track(&g_strtok_next, &snow_type_string, "libc:strtok.next") < 0)
    spdlog::warn("exec: cannot register the C library's hidden state (strtok, rand)");
}

}  // namespace

extern "C" {

int snow_rand(void) {
  if (!g_random.seeded) seed_random(1);
  int p = g_random.pos;
  int q = (p + kLag - kShortLag) % kLag;  // r[i-3]
  uint32_t v = static_cast<uint32_t>(g_random.ring[p]) + static_cast<uint32_t>(g_random.ring[q]);
  g_random.ring[p] = static_cast<int32_t>(v);
  g_random.pos = (p + 1) % kLag;
  return static_cast<int>(v >> 1);
}

void snow_srand(unsigned seed) { seed_random(seed); }
long snow_random(void) { return snow_rand(); }
void snow_srandom(unsigned seed) { seed_random(seed); }

double snow_drand48(void) { return static_cast<double>(next_rand48()) / 281474976710656.0; }
long snow_lrand48(void) { return static_cast<long>(next_rand48() >> 17); }
long snow_mrand48(void) { return static_cast<long>(static_cast<int32_t>(static_cast<uint32_t>(next_rand48() >> 16))); }
void snow_srand48(long seed) {
  seed_rand48((static_cast<uint64_t>(static_cast<uint32_t>(seed)) << 16) | 0x330E);
}

char* snow_strtok(char* s, const char* delim) { return strtok_r(s, delim, &g_strtok_next); }

}  // extern "C"
