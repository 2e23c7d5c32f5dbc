#include <soci/soci.h>

#include "storage/evaluation_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::EvaluationConsent;
using core::Result;
using core::Status;

Result<EvaluationConsent> SociEvaluationStore::save_consent(const EvaluationConsent& c, core::UnixSeconds now) {
  return guarded(tx_, "recording evaluation consent", [&]() -> Result<EvaluationConsent> {
    if (!row_exists(tx_, "accounts", c.accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const int given = c.given ? 1 : 0;
    const std::string on = c.recorded_on.to_string();
    tx_.sql << "INSERT INTO " + tx_.table("evaluation_consents") +
                   " (accountid, given, recorded_on, timecreated, timemodified) VALUES (:a, :g, :on, :tc, :tm)"
                   " ON CONFLICT (accountid) DO UPDATE SET given = excluded.given, recorded_on = excluded.recorded_on,"
                   " timemodified = excluded.timemodified",
        soci::use(c.accountid), soci::use(given), soci::use(on), soci::use(now), soci::use(now);
    auto stored = find_consent(c.accountid);
    if (!stored) return stored.status();
    if (!stored->has_value()) return Status::internal("insert_returned_nothing", "Stored consent was not found.");
    return **stored;
  });
}

Result<std::optional<EvaluationConsent>> SociEvaluationStore::find_consent(std::int64_t accountid) {
  return guarded(tx_, "reading evaluation consent", [&]() -> Result<std::optional<EvaluationConsent>> {
    EvaluationConsent c;
    int given = 0;
    std::string on;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT accountid, given, " + date_as_text(tx_.dialect, "recorded_on") +
                                ", timecreated, timemodified FROM " + tx_.table("evaluation_consents") +
                                " WHERE accountid = :a",
         soci::use(accountid), soci::into(c.accountid), soci::into(given), soci::into(on), soci::into(c.timecreated),
         soci::into(c.timemodified));
    if (!fetch_one(p)) return std::optional<EvaluationConsent>();
    auto d = core::Date::parse(on);
    if (!d) return stored_value_invalid(tx_.table("evaluation_consents"), "recorded_on", on);
    c.given = given != 0;
    c.recorded_on = *d;
    return std::optional<EvaluationConsent>(c);
  });
}

Status SociEvaluationStore::save_audience_size(std::int64_t cohortid, std::int64_t size, core::UnixSeconds now) {
  return guarded(tx_, "recording a target audience size", [&]() -> Status {
    if (!row_exists(tx_, "cohorts", cohortid))
      return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    tx_.sql << "INSERT INTO " + tx_.table("evaluation_audiences") +
                   " (cohortid, audience_size, timecreated, timemodified) VALUES (:c, :s, :tc, :tm)"
                   " ON CONFLICT (cohortid) DO UPDATE SET audience_size = excluded.audience_size,"
                   " timemodified = excluded.timemodified",
        soci::use(cohortid), soci::use(size), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<std::optional<std::int64_t>> SociEvaluationStore::find_audience_size(std::int64_t cohortid) {
  return guarded(tx_, "reading a target audience size", [&]() -> Result<std::optional<std::int64_t>> {
    std::int64_t size = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT audience_size FROM " + tx_.table("evaluation_audiences") + " WHERE cohortid = :c",
         soci::use(cohortid), soci::into(size));
    if (!fetch_one(p)) return std::optional<std::int64_t>();
    return std::optional<std::int64_t>(size);
  });
}

Result<std::int64_t> SociEvaluationStore::erase_person(std::int64_t accountid) {
  return guarded(tx_, "erasing a person's evaluation data", [&]() -> Result<std::int64_t> {
    std::int64_t removed = 0;
    auto run = [&](const std::string& sql) {
      soci::statement st = (tx_.sql.prepare << sql, soci::use(accountid));
      st.execute(true);
      removed += st.get_affected_rows();
    };
    run("DELETE FROM " + tx_.table("survey_answers") + " WHERE responseid IN (SELECT id FROM " +
        tx_.table("survey_responses") + " WHERE accountid = :a)");
    run("DELETE FROM " + tx_.table("survey_responses") + " WHERE accountid = :a");
    run("DELETE FROM " + tx_.table("evaluation_consents") + " WHERE accountid = :a");
    run("DELETE FROM " + tx_.table("outcome_records") + " WHERE accountid = :a");
    return removed;
  });
}

}  // namespace mentoring::storage
