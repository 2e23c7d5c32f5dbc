// Migration steps compiled into the library from schema/<dialect>/NNNN_name.sql
// (see cmake/EmbedSchema.cmake). Each step is SQL with `{prefix}` standing for
// the configured table prefix.
#pragma once

#include <vector>

namespace mentoring::storage {

struct EmbeddedMigration {
  const char* dialect;  // "sqlite" or "postgresql"
  int version;          // 1, 2, ... the same numbers in both dialects
  const char* name;     // file name without extension, e.g. "0001_foundation"
  const char* sql;
};

const std::vector<EmbeddedMigration>& embedded_migrations();

}  // namespace mentoring::storage
