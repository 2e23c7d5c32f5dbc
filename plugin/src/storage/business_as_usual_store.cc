#include <soci/soci.h>

#include "storage/business_as_usual_soci_store.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::BusinessAsUsualPlan;
using core::PhaseChange;
using core::Result;
using core::Status;

namespace {

Status scheme_not_found() { return Status::not_found("scheme_not_found", "There is no scheme with that id."); }

// A nullable date column read back as text: none when NULL, the date when it
// parses, and stored_value_invalid otherwise.
Status read_date(const TxContext& tx, const char* column, const std::string& text, soci::indicator ind,
                 std::optional<core::Date>& out) {
  out.reset();
  if (ind != soci::i_ok) return Status::ok();
  auto parsed = core::Date::parse(text);
  if (!parsed) return stored_value_invalid(tx.table("bau_plans"), column, text);
  out = *parsed;
  return Status::ok();
}

}  // namespace

Result<BusinessAsUsualPlan> SociBusinessAsUsualStore::plan(std::int64_t schemeid) {
  return guarded(tx_, "reading a scheme's business-as-usual plan", [&]() -> Result<BusinessAsUsualPlan> {
    BusinessAsUsualPlan out;
    out.schemeid = schemeid;
    std::string ends_on, review_on;
    soci::indicator ends_ind = soci::i_null, review_ind = soci::i_null;
    std::int64_t modified = 0;
    if (!fetch_one((tx_.sql.prepare << "SELECT senior_sponsor, funding_source, " +
                                           date_as_text(tx_.dialect, "funding_ends_on") + ", " +
                                           date_as_text(tx_.dialect, "funding_review_on") +
                                           ", admin_hours_per_month, annual_cost_pence, mentor_recruitment_plan,"
                                           " promotion_plan, timemodified FROM " + tx_.table("bau_plans") +
                                           " WHERE schemeid = :s",
                    soci::use(schemeid), soci::into(out.senior_sponsor), soci::into(out.funding_source),
                    soci::into(ends_on, ends_ind), soci::into(review_on, review_ind),
                    soci::into(out.admin_hours_per_month), soci::into(out.annual_cost_pence),
                    soci::into(out.mentor_recruitment_plan), soci::into(out.promotion_plan), soci::into(modified))))
      return out;
    MENTORING_RETURN_IF_ERROR(read_date(tx_, "funding_ends_on", ends_on, ends_ind, out.funding_ends_on));
    MENTORING_RETURN_IF_ERROR(read_date(tx_, "funding_review_on", review_on, review_ind, out.funding_review_on));
    out.timemodified = modified;
    return out;
  });
}

Result<BusinessAsUsualPlan> SociBusinessAsUsualStore::save_plan(const BusinessAsUsualPlan& p, core::UnixSeconds now) {
  return guarded(tx_, "saving a scheme's business-as-usual plan", [&]() -> Result<BusinessAsUsualPlan> {
    if (!row_exists(tx_, "schemes", p.schemeid)) return scheme_not_found();
    std::string ends_on = p.funding_ends_on ? p.funding_ends_on->to_string() : std::string();
    std::string review_on = p.funding_review_on ? p.funding_review_on->to_string() : std::string();
    soci::indicator ends_ind = p.funding_ends_on ? soci::i_ok : soci::i_null,
                    review_ind = p.funding_review_on ? soci::i_ok : soci::i_null;
    tx_.sql << "INSERT INTO " + tx_.table("bau_plans") +
                   " (schemeid, senior_sponsor, funding_source, funding_ends_on, funding_review_on,"
                   " admin_hours_per_month, annual_cost_pence, mentor_recruitment_plan, promotion_plan, timecreated,"
                   " timemodified) VALUES (:s, :sponsor, :source, :ends, :review, :hours, :cost, :recruit, :promote,"
                   " :tc, :tm) ON CONFLICT (schemeid) DO UPDATE SET senior_sponsor = excluded.senior_sponsor,"
                   " funding_source = excluded.funding_source, funding_ends_on = excluded.funding_ends_on,"
                   " funding_review_on = excluded.funding_review_on,"
                   " admin_hours_per_month = excluded.admin_hours_per_month,"
                   " annual_cost_pence = excluded.annual_cost_pence,"
                   " mentor_recruitment_plan = excluded.mentor_recruitment_plan,"
                   " promotion_plan = excluded.promotion_plan, timemodified = excluded.timemodified",
        soci::use(p.schemeid), soci::use(p.senior_sponsor), soci::use(p.funding_source), soci::use(ends_on, ends_ind),
        soci::use(review_on, review_ind), soci::use(p.admin_hours_per_month), soci::use(p.annual_cost_pence),
        soci::use(p.mentor_recruitment_plan), soci::use(p.promotion_plan), soci::use(now), soci::use(now);
    BusinessAsUsualPlan out = p;
    out.timemodified = now;
    return out;
  });
}

Result<PhaseChange> SociBusinessAsUsualStore::record_phase_change(const PhaseChange& c, core::UnixSeconds now) {
  return guarded(tx_, "recording a scheme's phase change", [&]() -> Result<PhaseChange> {
    if (!row_exists(tx_, "schemes", c.schemeid)) return scheme_not_found();
    const std::string from = core::to_string(c.from), to = core::to_string(c.to);
    std::int64_t by = c.changed_by.value_or(0);
    soci::indicator by_ind = c.changed_by ? soci::i_ok : soci::i_null;
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("scheme_phase_changes") +
                   " (schemeid, from_phase, to_phase, changed_by, note, changed_at) VALUES (:s, :from, :to, :by,"
                   " :note, :at) RETURNING id",
        soci::use(c.schemeid), soci::use(from), soci::use(to), soci::use(by, by_ind), soci::use(c.note),
        soci::use(now), soci::into(id);
    PhaseChange out = c;
    out.id = id;
    out.changed_at = now;
    return out;
  });
}

Result<std::vector<PhaseChange>> SociBusinessAsUsualStore::phase_changes(std::int64_t schemeid) {
  return guarded(tx_, "listing a scheme's phase changes", [&]() -> Result<std::vector<PhaseChange>> {
    const std::string table = tx_.table("scheme_phase_changes");
    std::vector<PhaseChange> out;
    PhaseChange r;
    std::string from, to;
    std::int64_t by = 0;
    soci::indicator by_ind = soci::i_null;
    soci::statement stmt =
        (tx_.sql.prepare << "SELECT id, schemeid, from_phase, to_phase, changed_by, note, changed_at FROM " + table +
                                " WHERE schemeid = :s ORDER BY id",
         soci::use(schemeid), soci::into(r.id), soci::into(r.schemeid), soci::into(from), soci::into(to),
         soci::into(by, by_ind), soci::into(r.note), soci::into(r.changed_at));
    stmt.execute();
    while (stmt.fetch()) {
      PhaseChange row = r;
      auto f = core::parse_scheme_phase(from);
      if (!f) return stored_value_invalid(table, "from_phase", from);
      auto t = core::parse_scheme_phase(to);
      if (!t) return stored_value_invalid(table, "to_phase", to);
      row.from = *f;
      row.to = *t;
      row.changed_by.reset();
      if (by_ind == soci::i_ok) row.changed_by = by;
      out.push_back(std::move(row));
      by_ind = soci::i_null;
    }
    return out;
  });
}

}  // namespace mentoring::storage
