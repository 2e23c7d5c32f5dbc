#include "app/audit.h"

#include "app/unit_of_work.h"
#include "core/audit_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

Status audit(core::Stores& s, const core::Actor& actor, core::AuditAction action, std::string_view entity_type,
             std::int64_t entityid, std::string_view summary, core::UnixSeconds now) {
  core::AuditEntry e;
  e.actor = actor;
  e.action = action;
  e.entity_type = std::string(entity_type);
  e.entityid = entityid;
  e.summary = std::string(summary);
  e.timecreated = now;
  auto stored = s.audit.append(e);
  return stored.status();
}

Result<AuditPage> AuditService::list(const core::AuditFilter& filter, core::Page page) {
  MENTORING_RETURN_IF_ERROR(core::validate(filter));
  return in_transaction<AuditPage>(db_, [&](core::Stores& s) -> Result<AuditPage> {
    AuditPage out;
    auto entries = s.audit.list(filter, page);
    if (!entries) return entries.status();
    auto total = s.audit.count(filter);
    if (!total) return total.status();
    out.entries = std::move(entries).value();
    out.total = *total;
    return out;
  });
}

}  // namespace mentoring::app
