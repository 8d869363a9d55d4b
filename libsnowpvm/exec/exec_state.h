// Internal state of the execution-state runtime, shared by its parts.
#pragma once

#include "snow_exec.h"

#include <cstddef>
#include <string>

namespace snow::exec {

// Set by snow_exec_main_enter(): this process runs pre-compiled code.
bool precompiled();
void set_precompiled();

// Reasons migration is deferred right now (inhibited functions, open
// files); empty string when nothing defers it.
const char* deferral_reason();
void count_open_io(int delta);

// The frame chain (outermost record first).
struct snow_frame* chain_head();
std::size_t chain_length();
// Root the chain in the memory-state runtime (once, from main).
void track_chain();

// Test hooks (snow_exec.h): read the environment once.  `program` is the
// basename of argv[0].
void init_hooks(const std::string& program);
bool rehearsing();        // the current unwinding is a rehearsal
void rehearsal_done();

// The process is a SNOW task enrolled with PVM and the scheduler (it may
// migrate and take checkpoint requests).
bool enrolled();
void set_enrolled(bool e);

// Checkpoints (checkpoint.cpp).  init: SNOW_CHECKPOINT_EVERY/_FILE.
// checkpoint_due(): a checkpoint is to be taken at this poll-point (it
// becomes the current one); postpone puts it back for a later point;
// checkpointing(): one is being taken (the chain is unwinding for it);
// finish_checkpoint(): from main, write it (and exit after --stop).
void init_periodic_checkpoints();
bool checkpoint_due();
void checkpoint_postpone();
bool checkpointing();
void finish_checkpoint();

// Commit to leaving: flush stdio so nothing printed so far stays in this
// process's buffers, and switch to unwinding.
void commit_unwinding(const char* where);

}  // namespace snow::exec
