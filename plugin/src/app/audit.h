// Writing and reading the audit log (core/audit.h).
//
// audit() is called by every command that changes set-up data, enrolments
// or personal data, on the stores of its own transaction, so the entry
// commits or rolls back with the change. Reads of demographic data and
// privacy exports are logged the same way, as confidential_read and export.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "core/audit.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::app {

// Appends one entry. `summary` must be a fixed phrase without personal data.
core::Status audit(core::Stores& s, const core::Actor& actor, core::AuditAction action, std::string_view entity_type,
                   std::int64_t entityid, std::string_view summary, core::UnixSeconds now);

struct AuditPage {
  std::vector<core::AuditEntry> entries;  // newest first
  std::int64_t total = 0;                 // entries matching the filter
};

class AuditService {
 public:
  explicit AuditService(core::Database& db) : db_(db) {}
  // Entries matching `filter`, newest first. Refuses a bad filter
  // (core::validate) or page.
  core::Result<AuditPage> list(const core::AuditFilter& filter, core::Page page);

 private:
  core::Database& db_;
};

}  // namespace mentoring::app
