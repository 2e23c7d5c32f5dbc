#include "storage/soci_stores.h"

namespace mentoring::storage {
using core::Enrolment;
using core::Result;
using core::Status;

namespace {

constexpr const char* kColumns = "id, cohortid, accountid, role, status, timecreated, timemodified";

struct EnrolmentRow {
  std::int64_t id = 0, cohortid = 0, accountid = 0;
  std::string role, status;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, EnrolmentRow& r) {
  p, soci::into(r.id), soci::into(r.cohortid), soci::into(r.accountid), soci::into(r.role), soci::into(r.status),
      soci::into(r.timecreated), soci::into(r.timemodified);
}

Result<Enrolment> to_enrolment(const TxContext& tx, const EnrolmentRow& r) {
  Enrolment e;
  e.id = r.id;
  e.cohortid = r.cohortid;
  e.accountid = r.accountid;
  auto role = core::parse_role(r.role);
  if (!role) return stored_value_invalid(tx.table("enrolments"), "role", r.role);
  e.role = *role;
  auto status = core::parse_enrolment_status(r.status);
  if (!status) return stored_value_invalid(tx.table("enrolments"), "status", r.status);
  e.status = *status;
  e.timecreated = r.timecreated;
  e.timemodified = r.timemodified;
  return e;
}

// "" or " AND role = :role", with the role's text in `role_text`.
std::string role_filter(const std::optional<core::Role>& role, std::string& role_text) {
  if (!role) return "";
  role_text = core::to_string(*role);
  return " AND role = :role";
}

}  // namespace

Result<Enrolment> SociEnrolmentStore::create(std::int64_t cohortid, std::int64_t accountid, core::Role role,
                                             core::UnixSeconds now) {
  return guarded(tx_, "creating an enrolment", [&]() -> Result<Enrolment> {
    // Checked first so the caller hears which of the two is missing.
    int found = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("cohorts") + " WHERE id = :id", soci::use(cohortid),
        soci::into(found);
    if (found == 0) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    tx_.sql << "SELECT count(*) FROM " + tx_.table("accounts") + " WHERE id = :id", soci::use(accountid),
        soci::into(found);
    if (found == 0) return Status::not_found("account_not_found", "There is no account with that id.");
    // DO NOTHING rather than catching the unique violation: on PostgreSQL a
    // violation aborts the whole transaction.
    const std::string role_text = core::to_string(role);
    EnrolmentRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("enrolments") +
                                " (cohortid, accountid, role, status, timecreated, timemodified)"
                                " VALUES (:cohortid, :accountid, :role, 'active', :timecreated, :timemodified)"
                                " ON CONFLICT (cohortid, accountid, role) DO NOTHING RETURNING " + kColumns,
         soci::use(cohortid), soci::use(accountid), soci::use(role_text), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p))
      return Status::already_exists("enrolment_exists",
                                    "That account is already enrolled in the cohort in that role.");
    return to_enrolment(tx_, r);
  });
}

Result<std::optional<Enrolment>> SociEnrolmentStore::find(std::int64_t id) {
  return guarded(tx_, "reading an enrolment", [&]() -> Result<std::optional<Enrolment>> {
    EnrolmentRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("enrolments") + " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<Enrolment>();
    auto e = to_enrolment(tx_, r);
    if (!e) return e.status();
    return std::optional<Enrolment>(std::move(e).value());
  });
}

Result<std::vector<Enrolment>> SociEnrolmentStore::list_by_cohort(std::int64_t cohortid, std::optional<core::Role> role,
                                                                  core::Page page) {
  auto checked = checked_page(page);
  if (!checked) return checked.status();
  return guarded(tx_, "listing enrolments", [&]() -> Result<std::vector<Enrolment>> {
    std::string role_text;
    const std::string filter = role_filter(role, role_text);
    std::vector<Enrolment> out;
    EnrolmentRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("enrolments") +
                                " WHERE cohortid = :cohortid" + filter + " ORDER BY id LIMIT :limit OFFSET :offset",
         soci::use(cohortid));
    if (role) p, soci::use(role_text);
    p, soci::use(checked->limit), soci::use(checked->offset);
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto e = to_enrolment(tx_, r);
      if (!e) return e.status();
      out.push_back(std::move(e).value());
    }
    return out;
  });
}

Result<std::int64_t> SociEnrolmentStore::count_by_cohort(std::int64_t cohortid, std::optional<core::Role> role) {
  return guarded(tx_, "counting enrolments", [&]() -> Result<std::int64_t> {
    std::string role_text;
    const std::string filter = role_filter(role, role_text);
    std::int64_t n = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT count(*) FROM " + tx_.table("enrolments") + " WHERE cohortid = :cohortid" + filter,
         soci::use(cohortid));
    if (role) p, soci::use(role_text);
    p, soci::into(n);
    fetch_one(p);
    return n;
  });
}

Result<Enrolment> SociEnrolmentStore::set_status(std::int64_t id, core::EnrolmentStatus status, core::UnixSeconds now) {
  return guarded(tx_, "changing an enrolment's status", [&]() -> Result<Enrolment> {
    const std::string status_text = core::to_string(status);
    EnrolmentRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("enrolments") +
                                " SET status = :status, timemodified = :timemodified WHERE id = :id RETURNING " +
                                kColumns,
         soci::use(status_text), soci::use(now), soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return Status::not_found("enrolment_not_found", "There is no enrolment with that id.");
    return to_enrolment(tx_, r);
  });
}

}  // namespace mentoring::storage
