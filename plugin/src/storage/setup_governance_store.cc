#include <algorithm>
#include <map>

#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::GovernanceAssignment;
using core::Result;
using core::Status;

namespace {

std::string columns(Dialect d) {
  return "id, schemeid, responsibility, accountid, reports_to, cadence, " + date_as_text(d, "next_report_due") +
         ", timecreated, timemodified";
}

struct Row {
  std::int64_t id = 0, schemeid = 0;
  std::string responsibility;
  std::int64_t accountid = 0;
  std::string reports_to, cadence, next_report_due;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, Row& r) {
  p, soci::into(r.id), soci::into(r.schemeid), soci::into(r.responsibility), soci::into(r.accountid),
      soci::into(r.reports_to), soci::into(r.cadence), soci::into(r.next_report_due), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Result<GovernanceAssignment> to_assignment(const TxContext& tx, const Row& r) {
  GovernanceAssignment a;
  a.id = r.id;
  a.schemeid = r.schemeid;
  auto resp = core::parse_responsibility(r.responsibility);
  if (!resp) return stored_value_invalid(tx.table("governance"), "responsibility", r.responsibility);
  a.responsibility = *resp;
  a.accountid = r.accountid;
  a.reports_to = r.reports_to;
  auto cadence = core::parse_reporting_cadence(r.cadence);
  if (!cadence) return stored_value_invalid(tx.table("governance"), "cadence", r.cadence);
  a.cadence = *cadence;
  auto due = core::Date::parse(r.next_report_due);
  if (!due) return stored_value_invalid(tx.table("governance"), "next_report_due", r.next_report_due);
  a.next_report_due = *due;
  a.timecreated = r.timecreated;
  a.timemodified = r.timemodified;
  return a;
}

int order_of(core::Responsibility r) {
  const auto& all = core::kAllResponsibilities;
  return static_cast<int>(std::find(all.begin(), all.end(), r) - all.begin());
}

}  // namespace

Result<std::vector<GovernanceAssignment>> SociGovernanceStore::list(std::int64_t schemeid) {
  return guarded(tx_, "listing the governance register", [&]() -> Result<std::vector<GovernanceAssignment>> {
    std::vector<GovernanceAssignment> out;
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT " + columns(tx_.dialect) + " FROM " + tx_.table("governance") +
                                " WHERE schemeid = :schemeid",
         soci::use(schemeid));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto a = to_assignment(tx_, r);
      if (!a) return a.status();
      out.push_back(std::move(a).value());
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
      return order_of(a.responsibility) < order_of(b.responsibility);
    });
    return out;
  });
}

Result<std::vector<GovernanceAssignment>> SociGovernanceStore::replace(
    std::int64_t schemeid, const std::vector<GovernanceAssignment>& assignments, core::UnixSeconds now) {
  auto replaced = guarded(tx_, "replacing the governance register", [&]() -> Status {
    if (!row_exists(tx_, "schemes", schemeid))
      return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    std::map<int, const GovernanceAssignment*> wanted;
    for (const auto& a : assignments) {
      if (!wanted.emplace(order_of(a.responsibility), &a).second)
        return Status::invalid("governance_responsibility_duplicate",
                               std::string("The responsibility for ") + core::describe(a.responsibility) +
                                   " is listed twice.",
                               "responsibility");
      if (!row_exists(tx_, "accounts", a.accountid))
        return Status::not_found("account_not_found", "There is no account with that id.");
    }
    for (const auto responsibility : core::kAllResponsibilities) {
      const std::string name = core::to_string(responsibility);
      auto it = wanted.find(order_of(responsibility));
      if (it == wanted.end()) {
        tx_.sql << "DELETE FROM " + tx_.table("governance") +
                       " WHERE schemeid = :schemeid AND responsibility = :responsibility",
            soci::use(schemeid), soci::use(name);
        continue;
      }
      const GovernanceAssignment& a = *it->second;
      const std::string cadence = core::to_string(a.cadence), due = a.next_report_due.to_string();
      // Portable upsert: both SQLite 3.40 and PostgreSQL 15 take ON CONFLICT
      // on the unique (schemeid, responsibility).
      tx_.sql << "INSERT INTO " + tx_.table("governance") +
                     " (schemeid, responsibility, accountid, reports_to, cadence, next_report_due, timecreated,"
                     " timemodified) VALUES (:schemeid, :responsibility, :accountid, :reports_to, :cadence, :due,"
                     " :timecreated, :timemodified) ON CONFLICT (schemeid, responsibility) DO UPDATE SET"
                     " accountid = excluded.accountid, reports_to = excluded.reports_to,"
                     " cadence = excluded.cadence, next_report_due = excluded.next_report_due,"
                     " timemodified = excluded.timemodified",
          soci::use(schemeid), soci::use(name), soci::use(a.accountid), soci::use(a.reports_to),
          soci::use(cadence), soci::use(due), soci::use(now), soci::use(now);
    }
    return Status::ok();
  });
  if (!replaced) return replaced;
  return list(schemeid);
}

}  // namespace mentoring::storage
