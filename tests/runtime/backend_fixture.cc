// The storage tests' per-test databases (a fresh SQLite file, or a fresh
// table prefix on the test PostgreSQL server), for the runtime tests that
// run on both backends.
#include "tests/storage/storage_fixture.cc"  // NOLINT(bugprone-suspicious-include)
