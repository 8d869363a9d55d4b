// The C API reports failures as PVM-style status codes; the sentence that
// explains one is logged and kept for snow_msr_last_error().
#pragma once

#include <string>

namespace snow::msr {

// Logs "event: error=..." at warn level and remembers the text.
void set_last_error(const char* event, const std::string& what);

}  // namespace snow::msr
