// INTERIM state payload, until the MSR memory-state runtime (issue 4)
// replaces it: expect this file to be deleted when that work lands.
//
// It owns snow_track()/snow_untrack() and moves tracked roots whose type
// is a scalar (SNOW_K_INT, SNOW_K_BOOL, SNOW_K_FLOAT) or an array of
// scalars, in an explicit big-endian encoding:
//
//   u32 "SNBS", u32 version, u32 root count, then per root:
//     str name, u8 kind, u8 size, u8 signed, u32 count, values
//   (integers as 8-byte two's complement, floats as IEEE bits of their
//    own size, booleans as one byte)
//
// Pre-flight: a value that does not fit the destination's size of its
// C type (a 64-bit long on i386) is refused with NotMigratable naming the
// variable, before the source has stopped anything.
#pragma once

#include "libsnowpvm/migrate/state_provider.h"

namespace snow::migrate {

StateProvider& basic_state_provider();

}  // namespace snow::migrate
