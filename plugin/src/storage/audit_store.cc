#include <soci/soci.h>

#include "storage/audit_soci_stores.h"

namespace mentoring::storage {
using core::AuditEntry;
using core::Result;
using core::Status;

namespace {

struct AuditRow {
  std::int64_t id = 0, actorid = 0, entityid = 0, timecreated = 0;
  soci::indicator actor_ind = soci::i_null;
  std::string action, entity_type, summary;
};

constexpr const char* kColumns = "id, actorid, action, entity_type, entityid, summary, timecreated";

void bind(soci::details::prepare_temp_type& p, AuditRow& r) {
  p, soci::into(r.id), soci::into(r.actorid, r.actor_ind), soci::into(r.action), soci::into(r.entity_type),
      soci::into(r.entityid), soci::into(r.summary), soci::into(r.timecreated);
}

Result<AuditEntry> to_entry(const TxContext& tx, const AuditRow& r) {
  AuditEntry e;
  e.id = r.id;
  if (r.actor_ind == soci::i_ok) e.actor = core::Actor::account(r.actorid);
  auto action = core::parse_audit_action(r.action);
  if (!action) return stored_value_invalid(tx.table("audit_log"), "action", r.action);
  e.action = *action;
  e.entity_type = r.entity_type;
  e.entityid = r.entityid;
  e.summary = r.summary;
  e.timecreated = r.timecreated;
  return e;
}

// The WHERE clause of a filter. The values are pasted into the SQL rather
// than bound because which of them are present varies; that is safe only
// because core::validate(filter) has already limited the entity type to
// [a-z_], the action to a known word and everything else to integers, and
// list()/count() refuse a filter that fails it.
std::string where_of(const core::AuditFilter& f) {
  std::string w = " WHERE 1 = 1";
  if (f.entity_type) w += " AND entity_type = '" + *f.entity_type + "'";
  if (f.entityid) w += " AND entityid = " + std::to_string(*f.entityid);
  if (f.actor)
    w += f.actor->is_service() ? " AND actorid IS NULL" : " AND actorid = " + std::to_string(*f.actor->accountid);
  if (f.action) w += std::string(" AND action = '") + core::to_string(*f.action) + "'";
  if (f.from) w += " AND timecreated >= " + std::to_string(*f.from);
  if (f.until) w += " AND timecreated < " + std::to_string(*f.until);
  return w;
}

}  // namespace

Result<AuditEntry> SociAuditStore::append(const AuditEntry& e) {
  MENTORING_RETURN_IF_ERROR(core::validate(e));
  return guarded(tx_, "writing the audit log", [&]() -> Result<AuditEntry> {
    std::int64_t actorid = e.actor.accountid.value_or(0);
    soci::indicator actor_ind = e.actor.accountid ? soci::i_ok : soci::i_null;
    const std::string action = core::to_string(e.action);
    AuditRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("audit_log") +
                                " (actorid, action, entity_type, entityid, summary, timecreated, timemodified)"
                                " VALUES (:actorid, :action, :entity_type, :entityid, :summary, :t1, :t2)"
                                " RETURNING " +
                                kColumns,
         soci::use(actorid, actor_ind), soci::use(action), soci::use(e.entity_type), soci::use(e.entityid),
         soci::use(e.summary), soci::use(e.timecreated), soci::use(e.timecreated));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Writing the audit log returned no row.");
    return to_entry(tx_, r);
  });
}

Result<std::vector<AuditEntry>> SociAuditStore::list(const core::AuditFilter& filter, core::Page page) {
  MENTORING_RETURN_IF_ERROR(core::validate(filter));
  auto checked = checked_page(page);
  if (!checked) return checked.status();
  return guarded(tx_, "reading the audit log", [&]() -> Result<std::vector<AuditEntry>> {
    std::vector<AuditEntry> out;
    AuditRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("audit_log") + where_of(filter) +
                                " ORDER BY id DESC LIMIT :lim OFFSET :off",
         soci::use(checked->limit), soci::use(checked->offset));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto e = to_entry(tx_, r);
      if (!e) return e.status();
      out.push_back(std::move(e).value());
      r.actor_ind = soci::i_null;
    }
    return out;
  });
}

Result<std::int64_t> SociAuditStore::count(const core::AuditFilter& filter) {
  MENTORING_RETURN_IF_ERROR(core::validate(filter));
  return guarded(tx_, "counting the audit log", [&]() -> Result<std::int64_t> {
    std::int64_t n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("audit_log") + where_of(filter), soci::into(n);
    return n;
  });
}

}  // namespace mentoring::storage
