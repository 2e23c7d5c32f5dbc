// The extern "C" layer: every function is noexcept, turns Status into a
// mentoring_status_t and a message once, and never lets an exception out.
#include "mentoring/mentoring.h"

extern "C" {

uint32_t mentoring_abi_version(void) { return MENTORING_ABI_VERSION; }
const char* mentoring_version_string(void) { return MENTORING_VERSION_STRING; }

}  // extern "C"
