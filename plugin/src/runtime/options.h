// Options: every setting of a plugin instance, typed, with its default.
// Filled in by options.cc from the host's JSON configuration.
#pragma once
