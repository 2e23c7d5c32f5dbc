#include <soci/soci.h>

#include "storage/cohort_session_soci_store.h"

namespace mentoring::storage {
using core::CohortSession;
using core::Result;
using core::SessionAttendance;
using core::Status;

namespace {

std::optional<std::int64_t> optional_of(std::int64_t v, soci::indicator ind) {
  if (ind != soci::i_ok) return std::nullopt;
  return v;
}

}  // namespace

Result<std::vector<CohortSession>> SociCohortSessionStore::select_sessions(const std::string& where,
                                                                            std::int64_t key) {
  const std::string table = tx_.table("cohort_sessions");
  std::vector<CohortSession> out;
  CohortSession r;
  std::string kind;
  std::int64_t by = 0;
  soci::indicator by_ind = soci::i_null;
  soci::statement st =
      (tx_.sql.prepare << "SELECT id, cohortid, kind, title, starts_at, minutes, location, created_by, timecreated,"
                          " timemodified FROM " + table + " " + where,
       soci::use(key), soci::into(r.id), soci::into(r.cohortid), soci::into(kind), soci::into(r.title),
       soci::into(r.starts_at), soci::into(r.minutes), soci::into(r.location), soci::into(by, by_ind),
       soci::into(r.timecreated), soci::into(r.timemodified));
  st.execute();
  while (st.fetch()) {
    CohortSession row = r;
    auto k = core::parse_session_kind(kind);
    if (!k) return stored_value_invalid(table, "kind", kind);
    row.kind = *k;
    row.created_by = optional_of(by, by_ind);
    out.push_back(std::move(row));
    by_ind = soci::i_null;
  }
  return out;
}

Result<std::vector<SessionAttendance>> SociCohortSessionStore::select_attendance(const std::string& where,
                                                                                  std::int64_t a, std::int64_t b) {
  std::vector<SessionAttendance> out;
  SessionAttendance r;
  int attended = 0;
  std::int64_t by = 0, cpd = 0, invited = 0;
  soci::indicator by_ind = soci::i_null, cpd_ind = soci::i_null, invited_ind = soci::i_null;
  soci::statement st =
      (tx_.sql.prepare << "SELECT id, sessionid, enrolmentid, attended, recorded_by, cpd_entryid, mentor_invited_at,"
                          " timecreated, timemodified FROM " + tx_.table("cohort_session_attendance") + " " + where,
       soci::use(a), soci::use(b), soci::into(r.id), soci::into(r.sessionid), soci::into(r.enrolmentid),
       soci::into(attended), soci::into(by, by_ind), soci::into(cpd, cpd_ind), soci::into(invited, invited_ind),
       soci::into(r.timecreated), soci::into(r.timemodified));
  st.execute();
  while (st.fetch()) {
    SessionAttendance row = r;
    row.attended = attended != 0;
    row.recorded_by = optional_of(by, by_ind);
    row.cpd_entryid = optional_of(cpd, cpd_ind);
    row.mentor_invited_at = optional_of(invited, invited_ind);
    out.push_back(std::move(row));
    by_ind = cpd_ind = invited_ind = soci::i_null;
  }
  return out;
}

Result<CohortSession> SociCohortSessionStore::create(const core::CohortSessionInput& in,
                                                      std::optional<std::int64_t> created_by, core::UnixSeconds now) {
  return guarded(tx_, "scheduling a cohort session", [&]() -> Result<CohortSession> {
    const std::string kind = core::to_string(in.kind);
    std::int64_t by = created_by.value_or(0);
    soci::indicator by_ind = created_by ? soci::i_ok : soci::i_null;
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("cohort_sessions") +
                   " (cohortid, kind, title, starts_at, minutes, location, created_by, timecreated, timemodified)"
                   " VALUES (:c, :k, :t, :s, :m, :l, :b, :tc, :tm) RETURNING id",
        soci::use(in.cohortid), soci::use(kind), soci::use(in.title), soci::use(in.starts_at), soci::use(in.minutes),
        soci::use(in.location), soci::use(by, by_ind), soci::use(now), soci::use(now), soci::into(id);
    return CohortSession{id, in.cohortid, in.kind, in.title, in.starts_at, in.minutes, in.location, created_by, now,
                         now};
  });
}

Result<std::optional<CohortSession>> SociCohortSessionStore::find(std::int64_t id) {
  return guarded(tx_, "reading a cohort session", [&]() -> Result<std::optional<CohortSession>> {
    auto rows = select_sessions("WHERE id = :k", id);
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<CohortSession>();
    return std::optional<CohortSession>(rows->front());
  });
}

Result<std::vector<CohortSession>> SociCohortSessionStore::list_by_cohort(std::int64_t cohortid) {
  return guarded(tx_, "listing a cohort's sessions", [&]() -> Result<std::vector<CohortSession>> {
    return select_sessions("WHERE cohortid = :k ORDER BY starts_at, id", cohortid);
  });
}

Result<std::vector<SessionAttendance>> SociCohortSessionStore::attendance(std::int64_t sessionid) {
  return guarded(tx_, "reading a session's attendance", [&]() -> Result<std::vector<SessionAttendance>> {
    return select_attendance("WHERE sessionid = :a AND :b = 0 ORDER BY enrolmentid", sessionid, 0);
  });
}

Result<SessionAttendance> SociCohortSessionStore::record_attendance(std::int64_t sessionid, std::int64_t enrolmentid,
                                                                     bool attended,
                                                                     std::optional<std::int64_t> recorded_by,
                                                                     core::UnixSeconds now) {
  return guarded(tx_, "recording attendance at a cohort session", [&]() -> Result<SessionAttendance> {
    int flag = attended ? 1 : 0;
    std::int64_t by = recorded_by.value_or(0);
    soci::indicator by_ind = recorded_by ? soci::i_ok : soci::i_null;
    tx_.sql << "INSERT INTO " + tx_.table("cohort_session_attendance") +
                   " (sessionid, enrolmentid, attended, recorded_by, timecreated, timemodified)"
                   " VALUES (:s, :e, :a, :b, :tc, :tm) ON CONFLICT (sessionid, enrolmentid) DO UPDATE SET"
                   " attended = excluded.attended, recorded_by = excluded.recorded_by,"
                   " timemodified = excluded.timemodified",
        soci::use(sessionid), soci::use(enrolmentid), soci::use(flag), soci::use(by, by_ind), soci::use(now),
        soci::use(now);
    auto rows = select_attendance("WHERE sessionid = :a AND enrolmentid = :b", sessionid, enrolmentid);
    if (!rows) return rows.status();
    if (rows->empty()) return Status::internal("attendance_not_stored", "The attendance row was not stored.");
    return rows->front();
  });
}

Status SociCohortSessionStore::record_effects(std::int64_t attendanceid, std::optional<std::int64_t> cpd_entryid,
                                              std::optional<core::UnixSeconds> mentor_invited_at) {
  return guarded(tx_, "recording the effects of attending a cohort session", [&]() -> Status {
    const std::string table = tx_.table("cohort_session_attendance");
    if (cpd_entryid)
      tx_.sql << "UPDATE " + table + " SET cpd_entryid = :c WHERE id = :i AND cpd_entryid IS NULL",
          soci::use(*cpd_entryid), soci::use(attendanceid);
    if (mentor_invited_at)
      tx_.sql << "UPDATE " + table + " SET mentor_invited_at = :t WHERE id = :i AND mentor_invited_at IS NULL",
          soci::use(*mentor_invited_at), soci::use(attendanceid);
    return Status::ok();
  });
}

Result<std::vector<core::MentorInvitation>> SociCohortSessionStore::invitations_of_account(std::int64_t accountid) {
  return guarded(tx_, "listing a person's invitations to mentor", [&]() -> Result<std::vector<core::MentorInvitation>> {
    std::vector<core::MentorInvitation> out;
    core::MentorInvitation r;
    soci::statement st =
        (tx_.sql.prepare << "SELECT a.sessionid, e.cohortid, a.enrolmentid, a.mentor_invited_at FROM " +
                                tx_.table("cohort_session_attendance") + " a JOIN " + tx_.table("enrolments") +
                                " e ON e.id = a.enrolmentid WHERE e.accountid = :a AND a.mentor_invited_at IS NOT NULL"
                                " ORDER BY a.mentor_invited_at DESC, a.id DESC",
         soci::use(accountid), soci::into(r.sessionid), soci::into(r.cohortid), soci::into(r.enrolmentid),
         soci::into(r.invited_at));
    st.execute();
    while (st.fetch()) out.push_back(r);
    return out;
  });
}

}  // namespace mentoring::storage
