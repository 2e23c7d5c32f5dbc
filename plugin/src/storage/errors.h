// The one place where driver exceptions (SOCI, libpq, SQLite) become a
// core::Status. Call these only from inside a `catch (...)` block.
#pragma once

#include <string_view>

#include "core/status.h"
#include "storage/dialect.h"

namespace mentoring::storage {

// Translates the exception being handled:
//   unique violation                  -> already_exists "duplicate_record"
//   foreign key, missing parent       -> not_found "referenced_record_not_found"
//   foreign key, parent still in use  -> failed_precondition "record_in_use"
//   connection lost or refused        -> unavailable "database_connection_lost"
//   busy or locked past the timeout   -> unavailable "database_busy"
//   serialization failure or deadlock -> conflict "transaction_conflict"
//   file not a database or corrupt    -> failed_precondition "database_corrupt"
//   anything else                     -> internal "database_error", with the driver's message
// `doing` says what was being attempted ("reading an account") and starts the
// message. Parameter values are never copied into the message: SOCI appends
// them to its own text, and they may be personal data.
core::Status translate_current_exception(std::string_view doing);

// Translates an exception thrown while opening a connection. `where` names the
// target without secrets ("PostgreSQL at 127.0.0.1:5432, database x" or the
// SQLite path); the result is unavailable "database_unreachable" for
// PostgreSQL, and for SQLite a failed_precondition naming the file
// ("database_corrupt", "database_cannot_open").
core::Status translate_open_exception(Dialect dialect, std::string_view where);

// Whether the status says the connection itself is gone, so the pooled
// session should be reconnected before its next use.
bool is_connection_lost(const core::Status& st);

}  // namespace mentoring::storage
