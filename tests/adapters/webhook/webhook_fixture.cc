// The webhook adapter's tests run on the same backends as the storage tests
// (SQLite always, PostgreSQL when MENTORING_TEST_POSTGRES_URL is set), so
// they share the storage tests' backend fixture.
#include "tests/storage/storage_fixture.cc"  // NOLINT: one definition, compiled into this binary
