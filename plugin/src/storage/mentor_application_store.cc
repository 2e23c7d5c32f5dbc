#include <soci/soci.h>

#include "storage/mentor_application_soci_store.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::ApplicationStatus;
using core::MentorApplication;
using core::Result;
using core::Status;

namespace {

constexpr const char* kColumns =
    "id, schemeid, cohortid, accountid, motivation, expertise_areas, capacity, availability, declaration, status,"
    " decided_by, decided_at, decision_reason, enrolmentid, approval_error_reason, approval_error_message,"
    " timecreated, timemodified";

Status not_found() {
  return Status::not_found("application_not_found", "There is no mentor application with that id.");
}

}  // namespace

Result<std::vector<MentorApplication>> SociMentorApplicationStore::select(const std::string& where_and_order,
                                                                          std::int64_t key, const std::string& status,
                                                                          std::int64_t limit, std::int64_t offset) {
  const std::string table = tx_.table("mentor_applications");
  std::vector<MentorApplication> out;
  MentorApplication r;
  std::string expertise, st;
  int declaration = 0;
  std::int64_t decided_by = 0, decided_at = 0, enrolmentid = 0;
  soci::indicator by_ind = soci::i_null, at_ind = soci::i_null, enrol_ind = soci::i_null;
  soci::statement stmt =
      (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + table + " " + where_and_order +
                              " LIMIT :limit OFFSET :offset",
       soci::use(key), soci::use(status), soci::use(status), soci::use(limit), soci::use(offset), soci::into(r.id),
       soci::into(r.schemeid), soci::into(r.cohortid), soci::into(r.accountid), soci::into(r.answers.motivation),
       soci::into(expertise), soci::into(r.answers.capacity), soci::into(r.answers.availability),
       soci::into(declaration), soci::into(st), soci::into(decided_by, by_ind), soci::into(decided_at, at_ind),
       soci::into(r.decision_reason), soci::into(enrolmentid, enrol_ind), soci::into(r.approval_error_reason),
       soci::into(r.approval_error_message), soci::into(r.timecreated), soci::into(r.timemodified));
  stmt.execute();
  while (stmt.fetch()) {
    MentorApplication row = r;
    row.answers.expertise_areas = split_list(expertise, '\n');
    row.answers.declaration = declaration != 0;
    auto parsed = core::parse_application_status(st);
    if (!parsed) return stored_value_invalid(table, "status", st);
    row.status = *parsed;
    if (by_ind == soci::i_ok) row.decided_by = decided_by;
    if (at_ind == soci::i_ok) row.decided_at = decided_at;
    if (enrol_ind == soci::i_ok) row.enrolmentid = enrolmentid;
    out.push_back(std::move(row));
    by_ind = at_ind = enrol_ind = soci::i_null;
  }
  return out;
}

Result<MentorApplication> SociMentorApplicationStore::create(const MentorApplication& a, core::UnixSeconds now) {
  return guarded(tx_, "storing a mentor application", [&]() -> Result<MentorApplication> {
    if (!row_exists(tx_, "cohorts", a.cohortid))
      return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    if (!row_exists(tx_, "accounts", a.accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    if (a.status == ApplicationStatus::kPending) {
      int pending = 0;
      tx_.sql << "SELECT count(*) FROM " + tx_.table("mentor_applications") +
                     " WHERE cohortid = :c AND accountid = :a AND status = 'pending'",
          soci::use(a.cohortid), soci::use(a.accountid), soci::into(pending);
      if (pending > 0)
        return Status::already_exists("application_pending",
                                      "You have already applied to mentor in this cohort; your application is "
                                      "waiting for a decision.");
    }
    const std::string expertise = join_list(a.answers.expertise_areas, '\n');
    const std::string status = core::to_string(a.status);
    const int declaration = a.answers.declaration ? 1 : 0;
    std::int64_t decided_by = a.decided_by.value_or(0), decided_at = a.decided_at.value_or(0),
                 enrolmentid = a.enrolmentid.value_or(0);
    soci::indicator by_ind = a.decided_by ? soci::i_ok : soci::i_null,
                    at_ind = a.decided_at ? soci::i_ok : soci::i_null,
                    enrol_ind = a.enrolmentid ? soci::i_ok : soci::i_null;
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("mentor_applications") +
                   " (schemeid, cohortid, accountid, motivation, expertise_areas, capacity, availability, declaration,"
                   " status, decided_by, decided_at, decision_reason, enrolmentid, approval_error_reason,"
                   " approval_error_message, timecreated, timemodified) VALUES (:s, :c, :a, :m, :e, :cap, :av, :d,"
                   " :st, :by, :at, :reason, :enrol, :er, :em, :tc, :tm) RETURNING id",
        soci::use(a.schemeid), soci::use(a.cohortid), soci::use(a.accountid), soci::use(a.answers.motivation),
        soci::use(expertise), soci::use(a.answers.capacity), soci::use(a.answers.availability), soci::use(declaration),
        soci::use(status), soci::use(decided_by, by_ind), soci::use(decided_at, at_ind), soci::use(a.decision_reason),
        soci::use(enrolmentid, enrol_ind), soci::use(a.approval_error_reason), soci::use(a.approval_error_message),
        soci::use(now), soci::use(now), soci::into(id);
    MentorApplication out = a;
    out.id = id;
    out.timecreated = now;
    out.timemodified = now;
    return out;
  });
}

Result<std::optional<MentorApplication>> SociMentorApplicationStore::find(std::int64_t id) {
  return guarded(tx_, "reading a mentor application", [&]() -> Result<std::optional<MentorApplication>> {
    auto rows = select("WHERE id = :key AND :st = '' AND :st2 = ''", id, "", 1, 0);
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<MentorApplication>();
    return std::optional<MentorApplication>(rows->front());
  });
}

Status SociMentorApplicationStore::require_pending(std::int64_t id) {
  std::string status;
  if (!fetch_one((tx_.sql.prepare << "SELECT status FROM " + tx_.table("mentor_applications") + " WHERE id = :id",
                  soci::use(id), soci::into(status))))
    return not_found();
  if (status != "pending")
    return Status::conflict("application_decided", "This application has already been " + status + ".");
  return Status::ok();
}

Result<MentorApplication> SociMentorApplicationStore::decide(std::int64_t id, ApplicationStatus status,
                                                             std::optional<std::int64_t> decided_by,
                                                             const std::string& reason,
                                                             std::optional<std::int64_t> enrolmentid,
                                                             core::UnixSeconds now) {
  return guarded(tx_, "deciding a mentor application", [&]() -> Result<MentorApplication> {
    if (status == ApplicationStatus::kPending)
      return Status::invalid("application_status_invalid", "A decision approves or declines.", "status");
    MENTORING_RETURN_IF_ERROR(require_pending(id));
    const std::string st = core::to_string(status);
    std::int64_t by = decided_by.value_or(0), enrol = enrolmentid.value_or(0);
    soci::indicator by_ind = decided_by ? soci::i_ok : soci::i_null,
                    enrol_ind = enrolmentid ? soci::i_ok : soci::i_null;
    tx_.sql << "UPDATE " + tx_.table("mentor_applications") +
                   " SET status = :st, decided_by = :by, decided_at = :at, decision_reason = :reason,"
                   " enrolmentid = :enrol, approval_error_reason = '', approval_error_message = '', timemodified = :tm"
                   " WHERE id = :id AND status = 'pending'",
        soci::use(st), soci::use(by, by_ind), soci::use(now), soci::use(reason), soci::use(enrol, enrol_ind),
        soci::use(now), soci::use(id);
    auto stored = find(id);
    if (!stored) return stored.status();
    if (!stored->has_value()) return not_found();
    return **stored;
  });
}

Status SociMentorApplicationStore::record_approval_error(std::int64_t id, const std::string& reason,
                                                         const std::string& message, core::UnixSeconds now) {
  return guarded(tx_, "recording why an approval failed", [&]() -> Status {
    MENTORING_RETURN_IF_ERROR(require_pending(id));
    tx_.sql << "UPDATE " + tx_.table("mentor_applications") +
                   " SET approval_error_reason = :r, approval_error_message = :m, timemodified = :tm WHERE id = :id",
        soci::use(reason), soci::use(message), soci::use(now), soci::use(id);
    return Status::ok();
  });
}

Result<std::vector<MentorApplication>> SociMentorApplicationStore::list_by_scheme(
    std::int64_t schemeid, std::optional<ApplicationStatus> status, core::Page page) {
  return guarded(tx_, "listing mentor applications", [&]() -> Result<std::vector<MentorApplication>> {
    auto p = checked_page(page);
    if (!p) return p.status();
    return select("WHERE schemeid = :key AND (:st = '' OR status = :st2) ORDER BY timecreated, id", schemeid,
                  status ? core::to_string(*status) : "", p->limit, p->offset);
  });
}

Result<std::int64_t> SociMentorApplicationStore::count_by_scheme(std::int64_t schemeid,
                                                                 std::optional<ApplicationStatus> status) {
  return guarded(tx_, "counting mentor applications", [&]() -> Result<std::int64_t> {
    const std::string st = status ? core::to_string(*status) : "";
    std::int64_t n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("mentor_applications") +
                   " WHERE schemeid = :s AND (:st = '' OR status = :st2)",
        soci::use(schemeid), soci::use(st), soci::use(st), soci::into(n);
    return n;
  });
}

Result<std::vector<MentorApplication>> SociMentorApplicationStore::list_by_account(std::int64_t accountid) {
  return guarded(tx_, "listing a person's mentor applications", [&]() -> Result<std::vector<MentorApplication>> {
    return select("WHERE accountid = :key AND :st = '' AND :st2 = '' ORDER BY timecreated DESC, id DESC", accountid, "",
                  core::kMaxPageSize, 0);
  });
}

Result<bool> SociMentorApplicationStore::is_active_mentor(std::int64_t cohortid, std::int64_t accountid) {
  return guarded(tx_, "checking a mentor enrolment", [&]() -> Result<bool> {
    int n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("enrolments") +
                   " WHERE cohortid = :c AND accountid = :a AND role = 'mentor' AND status = 'active'",
        soci::use(cohortid), soci::use(accountid), soci::into(n);
    return n > 0;
  });
}

Result<core::MentorRecruitmentSettings> SociMentorApplicationStore::settings(std::int64_t schemeid) {
  return guarded(tx_, "reading a scheme's recruitment setting", [&]() -> Result<core::MentorRecruitmentSettings> {
    core::MentorRecruitmentSettings out;
    out.schemeid = schemeid;
    int required = 1;
    std::int64_t modified = 0;
    if (fetch_one((tx_.sql.prepare << "SELECT approval_required, timemodified FROM " + tx_.table("mentor_recruitment") +
                                          " WHERE schemeid = :s",
                   soci::use(schemeid), soci::into(required), soci::into(modified)))) {
      out.approval_required = required != 0;
      out.timemodified = modified;
    }
    return out;
  });
}

Result<core::MentorRecruitmentSettings> SociMentorApplicationStore::save_settings(
    const core::MentorRecruitmentSettings& s, core::UnixSeconds now) {
  return guarded(tx_, "saving a scheme's recruitment setting", [&]() -> Result<core::MentorRecruitmentSettings> {
    if (!row_exists(tx_, "schemes", s.schemeid))
      return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    const int required = s.approval_required ? 1 : 0;
    tx_.sql << "INSERT INTO " + tx_.table("mentor_recruitment") +
                   " (schemeid, approval_required, timecreated, timemodified) VALUES (:s, :r, :tc, :tm)"
                   " ON CONFLICT (schemeid) DO UPDATE SET approval_required = excluded.approval_required,"
                   " timemodified = excluded.timemodified",
        soci::use(s.schemeid), soci::use(required), soci::use(now), soci::use(now);
    core::MentorRecruitmentSettings out = s;
    out.timemodified = now;
    return out;
  });
}

}  // namespace mentoring::storage
