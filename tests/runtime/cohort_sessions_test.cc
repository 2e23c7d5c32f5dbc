// A cohort's group sessions through the API and app::CohortSessionService on
// SQLite and, when configured, PostgreSQL: scheduling is checked field by
// field and audited; attendance is recorded all or nothing for the cohort's
// own enrolments; attending the end-of-scheme meeting gives the mentor one
// CPD entry and invites the completed mentee to mentor, once however often
// the attendance is recorded; a midpoint session does neither.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <boost/json.hpp>
#include <map>
#include <memory>
#include <string>

#include "adapters/api/audit_support.h"
#include "adapters/api/cohort_session_api.h"
#include "adapters/http/router.h"
#include "app/cohort_sessions.h"
#include "core/audit_stores.h"
#include "core/setup_stores.h"
#include "core/clock.h"
#include "core/cohort_session_stores.h"
#include "storage/database.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::app {
namespace {
namespace json = boost::json;
using core::Status;

constexpr const char* kToken = "test-service-token-sessions-0123";

core::UnixSeconds noon(const char* iso) { return core::Date::parse(iso)->days_since_epoch() * 86400 + 43200; }

class CohortSessionsTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    service_ = std::make_unique<CohortSessionService>(*db_, clock_);
    ctx_ = std::make_unique<api::CohortSessionApiContext>(api::CohortSessionApiContext{*service_, kToken});
    api::add_cohort_session_routes(router_, *ctx_);
    write([&](core::Stores& s) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Support FY1", core::SchemePhase::kPilot}, 1);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      auto cohort = s.schemes.create_cohort(
          core::CohortInput{scheme->id, "August 2026", *core::Date::parse("2026-06-01"),
                            *core::Date::parse("2026-08-05"), *core::Date::parse("2026-08-05"),
                            *core::Date::parse("2027-08-04"), core::MatchingModel::kAssigned},
          1);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      cohort_ = cohort->id;
      auto other = s.schemes.create_cohort(
          core::CohortInput{scheme->id, "February 2027", *core::Date::parse("2026-12-01"),
                            *core::Date::parse("2027-02-03"), *core::Date::parse("2027-02-03"),
                            *core::Date::parse("2028-02-02"), core::MatchingModel::kAssigned},
          1);
      ASSERT_TRUE(other.is_ok()) << other.status().to_string();
      lead_ = account(s, "lead");
      mentor_ = account(s, "mentor");
      mentee_ = account(s, "mentee");
      active_mentee_ = account(s, "active-mentee");
      auto mo = s.enrolments.create(cohort_, mentor_, core::Role::kMentor, 1);
      auto me = s.enrolments.create(cohort_, mentee_, core::Role::kMentee, 1);
      auto am = s.enrolments.create(cohort_, active_mentee_, core::Role::kMentee, 1);
      auto elsewhere = s.enrolments.create(other->id, account(s, "elsewhere"), core::Role::kMentee, 1);
      ASSERT_TRUE(mo.is_ok() && me.is_ok() && am.is_ok() && elsewhere.is_ok());
      mentor_enrolment_ = mo->id;
      mentee_enrolment_ = me->id;
      active_enrolment_ = am->id;
      other_enrolment_ = elsewhere->id;
      ASSERT_TRUE(s.enrolments.set_status(me->id, core::EnrolmentStatus::kCompleted, 1).is_ok());
    });
    clock_.set_ms(noon("2027-07-01") * 1000);
  }
  void TearDown() override {
    router_ = http::Router();
    ctx_.reset();
    service_.reset();
    db_.reset();
    BackendTest::TearDown();
  }

  std::int64_t account(core::Stores& s, const std::string& subject) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, 1);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? a->id : 0;
  }

  template <typename Fn>
  void write(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  int count_rows(const std::string& table, const std::string& where = "1 = 1") {
    int n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table + " WHERE " + where, soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  http::Response call(const std::string& method, const std::string& target, const json::value* body = nullptr) {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(req)) << target;
    req.headers.push_back({"Authorization", std::string("Bearer ") + kToken});
    req.headers.push_back({api::kActorHeader, std::to_string(lead_)});
    if (body) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = json::serialize(*body);
    }
    return router_.handle(req);
  }
  http::Response call(const std::string& method, const std::string& target, const json::value& body) {
    return call(method, target, &body);
  }
  static json::object body_of(const http::Response& res) { return json::parse(res.body).as_object(); }
  static std::string reason_of(const http::Response& res) {
    auto b = body_of(res);
    if (!b.contains("error")) return res.body;
    return std::string(b.at("error").as_object().at("reason").as_string());
  }

  json::object session_body(const char* kind, core::UnixSeconds at) const {
    return json::object{{"kind", kind}, {"title", "Group meeting"}, {"starts_at", at}, {"minutes", 90},
                        {"location", "Seminar room 2"}};
  }
  std::int64_t schedule(const char* kind, core::UnixSeconds at) {
    auto res = call("POST", "/api/v1/cohorts/" + std::to_string(cohort_) + "/sessions", json::value(session_body(kind, at)));
    EXPECT_EQ(res.status, 201) << res.body;
    return res.status == 201 ? body_of(res).at("id").as_int64() : 0;
  }
  http::Response mark(std::int64_t sessionid, json::array marks) {
    return call("PUT", "/api/v1/sessions/" + std::to_string(sessionid) + "/attendance",
                json::value(json::object{{"attendance", std::move(marks)}}));
  }
  static json::object entry(std::int64_t enrolmentid, bool attended) {
    return json::object{{"enrolmentid", enrolmentid}, {"attended", attended}};
  }

  core::FixedClock clock_{0};
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<CohortSessionService> service_;
  std::unique_ptr<api::CohortSessionApiContext> ctx_;
  http::Router router_;
  std::int64_t cohort_ = 0, lead_ = 0, mentor_ = 0, mentee_ = 0, active_mentee_ = 0;
  std::int64_t mentor_enrolment_ = 0, mentee_enrolment_ = 0, active_enrolment_ = 0, other_enrolment_ = 0;
};

TEST_P(CohortSessionsTest, ASessionIsScheduledListedAndAudited) {
  const std::int64_t id = schedule("midpoint", noon("2027-02-01"));
  ASSERT_GT(id, 0);
  auto res = call("GET", "/api/v1/cohorts/" + std::to_string(cohort_) + "/sessions");
  ASSERT_EQ(res.status, 200) << res.body;
  auto items = body_of(res).at("items").as_array();
  ASSERT_EQ(items.size(), 1u);
  const auto& s = items[0].as_object();
  EXPECT_EQ(s.at("id").as_int64(), id);
  EXPECT_EQ(s.at("kind").as_string(), "midpoint");
  EXPECT_EQ(s.at("title").as_string(), "Group meeting");
  EXPECT_EQ(s.at("starts_at").as_int64(), noon("2027-02-01"));
  EXPECT_EQ(s.at("minutes").as_int64(), 90);
  EXPECT_EQ(s.at("location").as_string(), "Seminar room 2");
  EXPECT_EQ(s.at("created_by").as_int64(), lead_);
  EXPECT_TRUE(s.at("attendance").as_array().empty());
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'cohort_session' AND action = 'create' AND actorid = " +
                                        std::to_string(lead_)),
            1);
}

TEST_P(CohortSessionsTest, ABadSessionIsRefusedByFieldAndStoresNothing) {
  const std::string path = "/api/v1/cohorts/" + std::to_string(cohort_) + "/sessions";
  struct Case {
    const char* key;
    json::value value;
    const char* reason;
  };
  const Case cases[] = {
      {"kind", json::value("final"), "session_kind_invalid"},
      {"title", json::value(""), "session_title_required"},
      {"title", json::value(std::string(201, 'a')), "session_title_too_long"},
      {"minutes", json::value(10), "session_minutes_invalid"},
      {"minutes", json::value(481), "session_minutes_invalid"},
      {"location", json::value(std::string(501, 'x')), "session_location_too_long"},
      {"starts_at", json::value(noon("2026-08-01")), "session_outside_cohort"},
      {"starts_at", json::value(noon("2027-10-01")), "session_outside_cohort"},
  };
  for (const Case& c : cases) {
    auto body = session_body("end", noon("2027-07-20"));
    body[c.key] = c.value;
    auto res = call("POST", path, json::value(body));
    EXPECT_EQ(res.status, 400) << c.key;
    EXPECT_EQ(reason_of(res), c.reason) << c.key;
  }
  EXPECT_EQ(reason_of(call("POST", "/api/v1/cohorts/999999/sessions", json::value(session_body("end", noon("2027-07-20"))))),
            "cohort_not_found");
  EXPECT_EQ(count_rows("cohort_sessions"), 0);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'cohort_session'"), 0);
}

TEST_P(CohortSessionsTest, TheEndMeetingLogsMentorCpdAndInvitesTheCompletedMenteeOnce) {
  const std::int64_t id = schedule("end", noon("2027-07-20"));
  clock_.set_ms(noon("2027-07-21") * 1000);
  json::array marks{entry(mentor_enrolment_, true), entry(mentee_enrolment_, true), entry(active_enrolment_, true)};
  auto res = mark(id, marks);
  ASSERT_EQ(res.status, 200) << res.body;
  auto attendance = body_of(res).at("attendance").as_array();
  ASSERT_EQ(attendance.size(), 3u);
  // Recording the same attendance again changes no effect.
  clock_.set_ms(noon("2027-07-22") * 1000);
  ASSERT_EQ(mark(id, marks).status, 200);

  core::Result<std::vector<core::CpdEntry>> cpd = Status::internal("unread", "not read");
  write([&](core::Stores& s) { cpd = s.training.list_cpd(mentor_); });
  ASSERT_TRUE(cpd.is_ok()) << cpd.status().to_string();
  ASSERT_EQ(cpd->size(), 1u);
  EXPECT_DOUBLE_EQ((*cpd)[0].hours, 1.5);
  EXPECT_EQ((*cpd)[0].date.to_string(), "2027-07-20");
  EXPECT_EQ((*cpd)[0].activity, std::string(kEndMeetingCpdActivity) + "Group meeting");
  // Only the completed mentee is invited, and once.
  auto invited = service_->mentor_invitations(mentee_);
  ASSERT_TRUE(invited.is_ok()) << invited.status().to_string();
  ASSERT_EQ(invited->size(), 1u);
  EXPECT_EQ((*invited)[0].sessionid, id);
  EXPECT_EQ((*invited)[0].cohortid, cohort_);
  EXPECT_EQ((*invited)[0].invited_at, noon("2027-07-21"));
  auto not_invited = service_->mentor_invitations(active_mentee_);
  ASSERT_TRUE(not_invited.is_ok());
  EXPECT_TRUE(not_invited->empty());
  EXPECT_EQ(count_rows("cpd_entries"), 1);
  EXPECT_EQ(count_rows("cohort_session_attendance", "mentor_invited_at IS NOT NULL"), 1);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'cohort_session' AND summary = 'session attendance recorded'"), 2);

  // Marking absent afterwards keeps what attending did.
  ASSERT_EQ(mark(id, json::array{entry(mentor_enrolment_, false)}).status, 200);
  auto list = service_->list(cohort_);
  ASSERT_TRUE(list.is_ok());
  ASSERT_EQ(list->size(), 1u);
  const auto& rows = (*list)[0].attendance;
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].enrolmentid, mentor_enrolment_);
  EXPECT_FALSE(rows[0].attended);
  EXPECT_TRUE(rows[0].cpd_entryid.has_value());
  EXPECT_EQ(count_rows("cpd_entries"), 1);
}

TEST_P(CohortSessionsTest, AMidpointSessionHasNoEndEffects) {
  const std::int64_t id = schedule("midpoint", noon("2027-02-01"));
  auto res = mark(id, json::array{entry(mentor_enrolment_, true), entry(mentee_enrolment_, true)});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(count_rows("cohort_session_attendance", "attended = 1"), 2);
  EXPECT_EQ(count_rows("cpd_entries"), 0);
  EXPECT_EQ(count_rows("cohort_session_attendance", "mentor_invited_at IS NOT NULL"), 0);
}

TEST_P(CohortSessionsTest, BadAttendanceIsRefusedAndChangesNothing) {
  const std::int64_t id = schedule("end", noon("2027-07-20"));
  // Before the session starts.
  EXPECT_EQ(reason_of(mark(id, json::array{entry(mentor_enrolment_, true)})), "session_not_started");
  clock_.set_ms(noon("2027-07-21") * 1000);
  // An enrolment of another cohort after a good one: nothing is kept.
  auto res = mark(id, json::array{entry(mentor_enrolment_, true), entry(other_enrolment_, true)});
  EXPECT_EQ(res.status, 400);
  EXPECT_EQ(reason_of(res), "attendance_enrolment_not_in_cohort");
  EXPECT_EQ(reason_of(mark(id, json::array{entry(999999, true)})), "attendance_enrolment_not_in_cohort");
  EXPECT_EQ(reason_of(mark(id, json::array{entry(mentor_enrolment_, true), entry(mentor_enrolment_, false)})),
            "attendance_duplicate_enrolment");
  EXPECT_EQ(reason_of(mark(id, json::array{})), "attendance_empty");
  EXPECT_EQ(reason_of(mark(id, json::array{json::object{{"enrolmentid", mentor_enrolment_}}})), "field_required");
  EXPECT_EQ(reason_of(mark(999999, json::array{entry(mentor_enrolment_, true)})), "session_not_found");
  EXPECT_EQ(count_rows("cohort_session_attendance"), 0);
  EXPECT_EQ(count_rows("cpd_entries"), 0);
  EXPECT_EQ(count_rows("audit_log", "summary = 'session attendance recorded'"), 0);
}

TEST_P(CohortSessionsTest, ErasureRemovesThePersonsAttendanceAndKeepsTheSession) {
  const std::int64_t id = schedule("end", noon("2027-07-20"));
  clock_.set_ms(noon("2027-07-21") * 1000);
  ASSERT_EQ(mark(id, json::array{entry(mentor_enrolment_, true), entry(mentee_enrolment_, true)}).status, 200);
  write([&](core::Stores& s) {
    auto erased = s.privacy.erase(mentee_, noon("2027-07-22"));
    ASSERT_TRUE(erased.is_ok()) << erased.status().to_string();
  });
  EXPECT_EQ(count_rows("cohort_session_attendance", "enrolmentid = " + std::to_string(mentee_enrolment_)), 0);
  EXPECT_EQ(count_rows("cohort_session_attendance", "enrolmentid = " + std::to_string(mentor_enrolment_)), 1);
  EXPECT_EQ(count_rows("cohort_sessions", "id = " + std::to_string(id)), 1);
  auto invited = service_->mentor_invitations(mentee_);
  ASSERT_TRUE(invited.is_ok());
  EXPECT_TRUE(invited->empty());
  // The staff member who scheduled it finds the session in their export.
  core::Result<std::vector<core::ExportedTable>> rows = Status::internal("unread", "not read");
  write([&](core::Stores& s) { rows = s.privacy.export_rows(lead_); });
  ASSERT_TRUE(rows.is_ok()) << rows.status().to_string();
  bool found = false;
  for (const auto& t : *rows)
    if (t.table == "cohort_sessions") found = t.rows.size() == 1;
  EXPECT_TRUE(found);
}

TEST_P(CohortSessionsTest, ASubjectAccessExportListsThePersonsOwnAttendanceAndWhatItGaveThem) {
  const std::int64_t midpoint = schedule("midpoint", noon("2027-02-01"));
  const std::int64_t end = schedule("end", noon("2027-07-20"));
  clock_.set_ms(noon("2027-07-21") * 1000);
  ASSERT_EQ(mark(midpoint, json::array{entry(mentee_enrolment_, true), entry(mentor_enrolment_, false)}).status, 200);
  ASSERT_EQ(mark(end, json::array{entry(mentor_enrolment_, true), entry(mentee_enrolment_, true)}).status, 200);
  // The rows of cohort_session_attendance in `accountid`'s export, as
  // (sessionid, enrolmentid) -> the row's columns.
  auto exported = [&](std::int64_t accountid) {
    std::map<std::pair<std::int64_t, std::int64_t>, std::map<std::string, core::ExportedValue>> out;
    core::Result<std::vector<core::ExportedTable>> rows = Status::internal("unread", "not read");
    write([&](core::Stores& s) { rows = s.privacy.export_rows(accountid); });
    EXPECT_TRUE(rows.is_ok()) << rows.status().to_string();
    if (!rows.is_ok()) return out;
    int tables = 0;
    for (const auto& t : *rows) {
      if (t.table != "cohort_session_attendance") continue;
      ++tables;
      for (const auto& r : t.rows) {
        std::map<std::string, core::ExportedValue> cols(r.columns.begin(), r.columns.end());
        out[{std::get<std::int64_t>(cols.at("sessionid")), std::get<std::int64_t>(cols.at("enrolmentid"))}] = cols;
      }
    }
    EXPECT_EQ(tables, 1) << "one table, each row once";
    return out;
  };
  // The mentee: both of their own rows, the end meeting's with its invitation.
  auto mine = exported(mentee_);
  ASSERT_EQ(mine.size(), 2u);
  ASSERT_TRUE(mine.count({midpoint, mentee_enrolment_}));
  ASSERT_TRUE(mine.count({end, mentee_enrolment_}));
  EXPECT_EQ(std::get<std::int64_t>(mine[{midpoint, mentee_enrolment_}].at("attended")), 1);
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(mine[{end, mentee_enrolment_}].at("mentor_invited_at")));
  // The mentor: their rows, the end meeting's naming its CPD entry; the
  // midpoint they missed is listed as not attended.
  auto theirs = exported(mentor_);
  ASSERT_EQ(theirs.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(theirs[{midpoint, mentor_enrolment_}].at("attended")), 0);
  EXPECT_TRUE(std::holds_alternative<std::int64_t>(theirs[{end, mentor_enrolment_}].at("cpd_entryid")));
  // Nobody else's attendance is in either.
  for (const auto& [key, cols] : mine) EXPECT_EQ(key.second, mentee_enrolment_);
  for (const auto& [key, cols] : theirs) EXPECT_EQ(key.second, mentor_enrolment_);
  EXPECT_TRUE(exported(active_mentee_).empty());
  // The staff member who recorded them finds the four rows they recorded.
  EXPECT_EQ(exported(lead_).size(), 4u);
}

INSTANTIATE_TEST_SUITE_P(Backends, CohortSessionsTest, ::testing::Values("sqlite", "postgresql"),
                         storage::testing::backend_name);

}  // namespace
}  // namespace mentoring::app
