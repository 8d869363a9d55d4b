// State shared by the decoder's fuzz target and its corpus tool: the type
// zoo's roots (named as msr_zoo names them, so its checkpoints from every
// architecture are valid seeds) and two saved frames.
#pragma once

#include "libsnowpvm/msr/registry.h"
#include "snowpvm_msr.h"
#include "test/programs/msr_zoo.h"

#include <cstddef>

namespace msr_fuzz {

struct frame_rec {
  long* p;
  int step;
};

inline const snow_type T_long_p = {
    SNOW_K_POINTER, "long *", sizeof(long*), alignof(long*), 0, &snow_type_long, 0, 0,
    nullptr,        nullptr};
inline const snow_field frame_fields[] = {
    {"p", &T_long_p, offsetof(frame_rec, p), 0, nullptr, nullptr},
    {"step", &snow_type_int, offsetof(frame_rec, step), 0, nullptr, nullptr}};
inline const snow_type T_frame = {SNOW_K_STRUCT,
                                  "struct fuzz_frame",
                                  sizeof(frame_rec),
                                  alignof(frame_rec),
                                  0,
                                  nullptr,
                                  0,
                                  2,
                                  frame_fields,
                                  nullptr};

inline struct zoo g_zoo;
inline struct zoo_stack g_stack;
inline snow_stack_block g_stack_block;

// The destination's roots: the zoo as msr_zoo tracks it, and its stack
// block at depth 0.  Returns false when registration failed.
inline bool setup_roots() {
  static const snow_type* const types[] = {&T_frame};
  zoo_register();
  if (snow_register_types(types, 1) != 0 || zoo_track(&g_zoo, "zoo") != 0) return false;
  snow_stack_push(&g_stack_block, &g_stack, &zoo_T_stack, "main.stack");
  return true;
}

// Two frames saved as pre-compiled code saves them while unwinding, the
// inner one pointing into the outer one's local.
inline void save_frames() {
  static long outer_local = 77;
  static snow_stack_block sb;
  snow_stack_push(&sb, &outer_local, &snow_type_long, "outer.x");
  frame_rec inner{&outer_local, 3};
  snow_frame_save(&inner, &T_frame, "inner", 0);
  frame_rec outer{&outer_local, 1};
  snow_frame_save(&outer, &T_frame, "outer", 1);
}

}  // namespace msr_fuzz
