#include "runtime/options.h"
