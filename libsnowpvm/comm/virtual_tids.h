// Real PVM tids -> the virtual tids the application knows, for the calls
// that hand out tids PVM itself chose (pvm_tasks).
#pragma once

namespace snow::comm {

class Runtime;

// The virtual tid of the task whose process is (or was) `real`, as far as
// this process knows: itself, and every peer in its PL table (including
// peers' earlier incarnations).  Anything else is returned unchanged: a
// task never heard of is taken to be where it started.
int virtual_tid_of(int real);

// The real tid of the process that holds task `vtid` now: asks the
// scheduler (a task never heard of is where it started).  PvmNoTask when
// the task has ended.
int current_real_of(Runtime& rt, int vtid);

}  // namespace snow::comm
