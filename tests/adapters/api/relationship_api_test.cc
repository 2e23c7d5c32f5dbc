// The relationship API (adapters/api/relationship_routes.cc) and the use
// cases behind it (app/relationship.h, app/relationship_engagement.h) on a
// real SQLite database with a fixed clock: only the pair see their
// relationship, meetings wait for the agreement, bad input is refused with
// its reason and changes nothing, private notes stay with their author, the
// evaluation report's engagement counts come from the records, and each
// reminder reaches the webhook outbox exactly once however often the sweep
// runs.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <barrier>
#include <boost/json.hpp>
#include <filesystem>
#include <thread>

#include "adapters/api/relationship_api.h"
#include "adapters/http/router.h"
#include "app/evaluation_report.h"
#include "core/events.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "core/webhook_stores.h"
#include "storage/database.h"
#include "storage/dialect.h"

#include <cstdlib>
#include <random>
#include <soci/soci.h>

namespace mentoring::testing {
namespace {
namespace json = boost::json;
using core::Status;

constexpr core::UnixSeconds kT0 = 1780308000;  // 2026-06-01 10:00 UTC
constexpr core::UnixSeconds kDay = 86400;
const std::string kToken = "relationship-test-service-token-0123456789";

class RelationshipApiTest : public ::testing::Test {
 protected:
  // The backend: SQLite unless a test sets PostgreSQL first.
  virtual storage::ConnectionSettings settings() {
    return {.url = "sqlite3:" + (dir_ / "m.db").string(), .busy_timeout_ms = 60000};
  }
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mentoring-rel-api-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    if (IsSkipped()) return;
    auto db = storage::open_database(settings());
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    Status st = db_->transact([&](core::Stores& s) -> Status {
      for (auto [kind, name] : {std::pair{"mentee", "Dr Aisha Okafor"}, std::pair{"mentor", "Dr Ben Hughes"},
                                std::pair{"other", "Dr Other"}, std::pair{"contact", "Priya Patel"}}) {
        auto a = s.accounts.upsert(
            {"https://portal.example.nhs.uk", std::string(kind) + "-sub", name, std::string(kind) + "@example.nhs.uk"},
            kT0);
        if (!a) return a.status();
        accounts_[kind] = a->id;
      }
      auto scheme = s.schemes.create(
          {"FY1 North West", core::SchemeType::kNearPeer, "Support FY1 doctors.", core::SchemePhase::kPilot}, kT0);
      if (!scheme) return scheme.status();
      scheme_ = scheme->id;
      core::CohortInput ci;
      ci.schemeid = scheme_;
      ci.name = "June intake";
      ci.opens_on = *core::Date::parse("2026-05-01");
      ci.closes_on = *core::Date::parse("2026-06-01");
      ci.starts_on = *core::Date::parse("2026-06-01");
      ci.ends_on = *core::Date::parse("2027-05-31");
      ci.matching_model = core::MatchingModel::kAssigned;
      auto cohort = s.schemes.create_cohort(ci, kT0);
      if (!cohort) return cohort.status();
      cohort_ = cohort->id;
      auto mentee = s.enrolments.create(cohort_, accounts_["mentee"], core::Role::kMentee, kT0);
      if (!mentee) return mentee.status();
      auto mentor = s.enrolments.create(cohort_, accounts_["mentor"], core::Role::kMentor, kT0);
      if (!mentor) return mentor.status();
      MENTORING_RETURN_IF_ERROR(s.enrolments.create(cohort_, accounts_["other"], core::Role::kMentee, kT0).status());
      MENTORING_RETURN_IF_ERROR(s.pairings.sync_place(cohort_, mentor->id, 2, kT0).status());
      auto pairing =
          s.pairings.create_active({cohort_, mentee->id, mentor->id, core::PairingSource::kAdmin, std::nullopt}, kT0);
      if (!pairing) return pairing.status();
      pairing_ = pairing->id;
      core::AgreementTemplate t;
      t.schemeid = scheme_;
      t.version = 1;
      return s.agreements.save_template(t, kT0).status();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    relationships_ = std::make_unique<app::RelationshipService>(*db_, clock_);
    sweep_ = std::make_unique<app::ReminderSweep>(*db_, clock_);
    ctx_ = std::make_unique<api::RelationshipApiContext>(api::RelationshipApiContext{*relationships_, *sweep_, kToken});
    api::add_relationship_routes(router_, *ctx_);
  }
  void TearDown() override {
    ctx_.reset();
    if (db_ && db_->dialect() == storage::Dialect::kPostgresql) {
      // This test's tables only: they all carry its random prefix.
      Status st = db_->with_session([&](soci::session& sql) -> Status {
        for (const std::string& t : storage::list_tables(sql, storage::Dialect::kPostgresql))
          if (t.rfind(db_->table_prefix(), 0) == 0) sql << "DROP TABLE IF EXISTS " + t + " CASCADE";
        return Status::ok();
      });
      EXPECT_TRUE(st.is_ok()) << st.to_string();
    }
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Both people try to book the same hour from several connections at once:
  // exactly one booking is made.
  void race_for_the_same_hour() {
    accept_both();
    constexpr int kThreads = 6;
    std::atomic<int> booked{0}, refused{0};
    std::barrier start(kThreads);
    std::vector<std::thread> threads;
    for (int i = 0; i < kThreads; ++i)
      threads.emplace_back([&, i] {
        core::relationship::MeetingRequest r;
        r.starts_at = kT0 + 2 * kDay + i * 60;  // starts a minute apart: all overlap
        r.minutes = 60;
        r.mode = core::relationship::MeetingMode::kPhone;
        start.arrive_and_wait();
        auto m = relationships_->book_meeting(accounts_[i % 2 ? "mentor" : "mentee"], pairing_, r);
        if (m)
          ++booked;
        else if (m.status().reason() == "meeting_overlaps")
          ++refused;
        else
          ADD_FAILURE() << m.status().to_string();
      });
    for (auto& t : threads) t.join();
    EXPECT_EQ(booked.load(), 1);
    EXPECT_EQ(refused.load(), kThreads - 1);
    auto v = relationships_->view(accounts_["mentee"], pairing_);
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    EXPECT_EQ(v->meetings.size(), 1u);
  }

  http::Response send(const std::string& method, const std::string& target, const std::string& who,
                      const std::string& body = {}, bool with_token = true) {
    http::Request req;
    req.method = method;
    req.target = target;
    if (with_token) req.headers.push_back({"Authorization", "Bearer " + kToken});
    if (!who.empty()) req.headers.push_back({"X-Mentoring-Actor", std::to_string(accounts_[who])});
    if (!body.empty()) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = body;
    }
    EXPECT_TRUE(http::parse_target(req));
    return router_.handle(req);
  }
  http::Response send(const std::string& method, const std::string& target, const std::string& who,
                      const json::object& body) {
    return send(method, target, who, json::serialize(body));
  }
  static json::object body_of(const http::Response& r) { return json::parse(r.body).as_object(); }
  static std::string reason_of(const http::Response& r) {
    auto o = body_of(r);
    return std::string(o["error"].as_object()["reason"].as_string());
  }

  std::string rel(const std::string& rest = {}) { return "/api/v1/relationships/" + std::to_string(pairing_) + rest; }

  void accept_both() {
    for (const char* who : {"mentee", "mentor"})
      ASSERT_EQ(send("POST", rel("/agreement/accept"), who, json::object{{"version", 1}}).status, 201);
  }

  http::Response book(const std::string& who, const std::string& starts_at, int minutes = 60) {
    return send("POST", rel("/meetings"), who,
                json::object{{"starts_at", starts_at},
                             {"minutes", minutes},
                             {"mode", "video"},
                             {"link", "https://meet.example.nhs.uk/r/9"}});
  }

  std::vector<core::OutboxEntry> outbox() {
    std::vector<core::OutboxEntry> out;
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto list = s.outbox.list(std::nullopt, core::Page{1000, 0});
      if (!list) return list.status();
      out = std::move(list).value();
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return out;
  }

  void set_point_of_contact() {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      core::GovernanceAssignment g;
      g.schemeid = scheme_;
      g.responsibility = core::Responsibility::kDayToDayManagementAndPointOfContact;
      g.accountid = accounts_["contact"];
      g.reports_to = "Director of Postgraduate Medical Education";
      g.next_report_due = *core::Date::parse("2026-09-01");
      return s.governance.replace(scheme_, {g}, kT0).status();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::filesystem::path dir_;
  core::FixedClock clock_{kT0 * 1000};
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<app::RelationshipService> relationships_;
  std::unique_ptr<app::ReminderSweep> sweep_;
  std::unique_ptr<api::RelationshipApiContext> ctx_;
  http::Router router_;
  std::map<std::string, std::int64_t> accounts_;
  std::int64_t scheme_ = 0, cohort_ = 0, pairing_ = 0;
};

TEST_F(RelationshipApiTest, OnlyThePairSeeTheirRelationship) {
  EXPECT_EQ(send("GET", rel(), "mentee", "", false).status, 401);
  http::Response no_actor = send("GET", rel(), "");
  EXPECT_EQ(no_actor.status, 400);
  EXPECT_EQ(reason_of(no_actor), "actor_required");
  http::Response stranger = send("GET", rel(), "other");
  EXPECT_EQ(stranger.status, 404);
  EXPECT_EQ(reason_of(stranger), "pairing_not_found");
  EXPECT_EQ(send("POST", rel("/agreement/accept"), "other", json::object{{"version", 1}}).status, 404);

  http::Response list = send("GET", "/api/v1/relationships", "mentor");
  ASSERT_EQ(list.status, 200) << list.body;
  auto items = body_of(list)["relationships"].as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object()["role"].as_string(), "mentor");
  EXPECT_EQ(items[0].as_object()["partner"].as_object()["name"].as_string(), "Dr Aisha Okafor");
  EXPECT_TRUE(body_of(send("GET", "/api/v1/relationships", "other"))["relationships"].as_array().empty());

  http::Response view = send("GET", rel(), "mentee");
  ASSERT_EQ(view.status, 200) << view.body;
  auto v = body_of(view);
  EXPECT_EQ(v["agreement"].as_object()["status"].as_string(), "pending");
  EXPECT_NE(std::string(v["agreement"].as_object()["text"].as_string()).find("Mentor: Dr Ben Hughes"),
            std::string::npos);
}

TEST_F(RelationshipApiTest, MeetingsWaitForTheAgreementAndBadInputIsRefused) {
  http::Response early = book("mentee", "2026-06-10T08:00:00Z");
  EXPECT_EQ(early.status, 409) << early.body;
  EXPECT_EQ(reason_of(early), "agreement_not_accepted");
  ASSERT_EQ(send("POST", rel("/agreement/accept"), "mentee", json::object{{"version", 1}}).status, 201);
  http::Response twice = send("POST", rel("/agreement/accept"), "mentee", json::object{{"version", 1}});
  EXPECT_EQ(twice.status, 409);
  EXPECT_EQ(reason_of(twice), "agreement_already_accepted");
  EXPECT_EQ(reason_of(book("mentor", "2026-06-10T08:00:00Z")), "agreement_awaiting_mentor");
  http::Response stale = send("POST", rel("/agreement/accept"), "mentor", json::object{{"version", 3}});
  EXPECT_EQ(reason_of(stale), "agreement_version_changed");
  ASSERT_EQ(send("POST", rel("/agreement/accept"), "mentor", json::object{{"version", 1}}).status, 201);

  EXPECT_EQ(reason_of(book("mentee", "2026-05-31T08:00:00Z")), "meeting_in_past");
  EXPECT_EQ(reason_of(book("mentee", "2028-06-10T08:00:00Z")), "meeting_too_far_ahead");
  EXPECT_EQ(reason_of(book("mentee", "2026-06-10 08:00")), "time_invalid");
  EXPECT_EQ(reason_of(book("mentee", "2026-06-10T08:00:00Z", 300)), "meeting_minutes_invalid");
  http::Response unknown = send("POST", rel("/meetings"), "mentee",
                                json::object{{"starts_at", "2026-06-10T08:00:00Z"},
                                             {"minutes", 60},
                                             {"mode", "video"},
                                             {"link", "https://x.example/1"},
                                             {"room", "B"}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_EQ(send("POST", rel("/meetings"), "mentee", "{not json").status, 400);
  EXPECT_TRUE(body_of(send("GET", rel(), "mentee"))["meetings"].as_array().empty());

  http::Response ok = book("mentee", "2026-06-10T08:00:00Z");
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(body_of(ok)["ends_at"].as_string(), "2026-06-10T09:00:00Z");
  http::Response overlap = book("mentor", "2026-06-10T08:59:00Z");
  EXPECT_EQ(overlap.status, 409);
  EXPECT_EQ(reason_of(overlap), "meeting_overlaps");
  EXPECT_EQ(book("mentor", "2026-06-10T09:00:00Z").status, 201);
}

TEST_F(RelationshipApiTest, RecordingKeepsEachPrivateNoteWithItsAuthor) {
  accept_both();
  http::Response booked = book("mentor", "2026-06-10T08:00:00Z");
  ASSERT_EQ(booked.status, 201);
  const std::string meeting = "/api/v1/meetings/" + std::to_string(body_of(booked)["id"].as_int64());
  http::Response early = send("POST", meeting + "/record", "mentee", json::object{{"outcome", "held"}});
  EXPECT_EQ(early.status, 409);
  EXPECT_EQ(reason_of(early), "meeting_not_started");
  clock_.set_ms((kT0 + 10 * kDay) * 1000);
  EXPECT_EQ(send("POST", meeting + "/record", "other", json::object{{"outcome", "held"}}).status, 404);
  http::Response held = send("POST", meeting + "/record", "mentee",
                             json::object{{"outcome", "held"},
                                          {"agreed_actions", "Read the ARCP guide."},
                                          {"private_note", "Mentee's own note."}});
  ASSERT_EQ(held.status, 200) << held.body;
  EXPECT_EQ(body_of(held)["state"].as_string(), "held");
  ASSERT_EQ(send("PUT", meeting + "/note", "mentor", json::object{{"note", "Mentor's own note."}}).status, 200);
  auto mine = body_of(send("GET", rel(), "mentee"))["meetings"].as_array()[0].as_object();
  auto theirs = body_of(send("GET", rel(), "mentor"))["meetings"].as_array()[0].as_object();
  EXPECT_EQ(mine["your_private_note"].as_string(), "Mentee's own note.");
  EXPECT_EQ(theirs["your_private_note"].as_string(), "Mentor's own note.");
  EXPECT_EQ(theirs["agreed_actions"].as_string(), "Read the ARCP guide.");
  EXPECT_EQ(send("GET", rel(), "mentor").body.find("Mentee's own note."), std::string::npos);
  http::Response again = send("POST", meeting + "/cancel", "mentor");
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(reason_of(again), "meeting_not_booked");

  http::Response ics = send("GET", meeting + "/calendar.ics", "mentee");
  ASSERT_EQ(ics.status, 200) << ics.body;
  EXPECT_EQ(ics.header("Content-Type"), "text/calendar; charset=UTF-8; method=REQUEST");
  EXPECT_NE(ics.body.find("DTSTART;TZID=Europe/London:20260610T090000"), std::string::npos);
  EXPECT_EQ(send("GET", meeting + "/calendar.ics", "other").status, 404);
  // A cancelled meeting downloads as a cancellation.
  http::Response second = book("mentee", "2026-06-20T08:00:00Z");
  ASSERT_EQ(second.status, 201) << second.body;
  const std::string second_path = "/api/v1/meetings/" + std::to_string(body_of(second)["id"].as_int64());
  ASSERT_EQ(send("POST", second_path + "/cancel", "mentee").status, 200);
  ics = send("GET", second_path + "/calendar.ics", "mentor");
  ASSERT_EQ(ics.status, 200);
  EXPECT_EQ(ics.header("Content-Type"), "text/calendar; charset=UTF-8; method=CANCEL");
  EXPECT_NE(ics.body.find("METHOD:CANCEL\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("STATUS:CANCELLED\r\n"), std::string::npos);
  EXPECT_NE(ics.body.find("SEQUENCE:1\r\n"), std::string::npos);
}

TEST_F(RelationshipApiTest, GoalsAndProtectedTimeGoThroughTheirRules) {
  const json::object goal{{"title", "Pass MRCP Part 1"},
                          {"specific", "Sit the January paper."},
                          {"measurable", "A pass letter."},
                          {"target_on", "2027-01-31"}};
  http::Response by_mentor = send("POST", rel("/goals"), "mentor", goal);
  EXPECT_EQ(by_mentor.status, 403);
  EXPECT_EQ(reason_of(by_mentor), "goal_mentee_only");
  json::object late = goal;
  late["target_on"] = "2026-05-01";
  EXPECT_EQ(reason_of(send("POST", rel("/goals"), "mentee", late)), "goal_target_in_past");
  http::Response added = send("POST", rel("/goals"), "mentee", goal);
  ASSERT_EQ(added.status, 201) << added.body;
  const std::string path = "/api/v1/goals/" + std::to_string(body_of(added)["id"].as_int64());
  EXPECT_EQ(send("PATCH", path, "mentee", json::object{{"status", "finished"}}).status, 400);
  http::Response changed = send("PATCH", path, "mentee", json::object{{"status", "achieved"}, {"review_on", "2026-12-01"}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(body_of(changed)["status"].as_string(), "achieved");
  EXPECT_EQ(body_of(changed)["review_on"].as_string(), "2026-12-01");
  EXPECT_EQ(body_of(send("PATCH", path, "mentee", json::object{{"review_on", nullptr}}))["review_on"], json::value(nullptr));
  ASSERT_EQ(send("POST", path + "/notes", "mentor", json::object{{"note", "Well done."}}).status, 201);
  EXPECT_EQ(send("POST", path + "/notes", "other", json::object{{"note", "Hello."}}).status, 404);
  auto goals = body_of(send("GET", rel(), "mentee"))["goals"].as_array();
  ASSERT_EQ(goals.size(), 1u);
  EXPECT_EQ(goals[0].as_object()["notes"].as_array()[0].as_object()["text"].as_string(), "Well done.");

  ASSERT_EQ(send("POST", rel("/protected-time"), "mentee", json::object{{"used_on", "2026-06-01"}, {"minutes", 60}}).status,
            201);
  ASSERT_EQ(send("POST", rel("/protected-time"), "mentor", json::object{{"used_on", "2026-05-20"}, {"minutes", 30}}).status,
            201);
  EXPECT_EQ(reason_of(send("POST", rel("/protected-time"), "mentor",
                           json::object{{"used_on", "2026-06-02"}, {"minutes", 30}})),
            "protected_time_in_future");
  auto totals = body_of(send("GET", rel(), "mentor"))["protected_time"].as_object();
  EXPECT_EQ(totals["mentee_minutes"].as_int64(), 60);
  EXPECT_EQ(totals["mentor_minutes"].as_int64(), 30);
  EXPECT_EQ(totals["total_minutes"].as_int64(), 90);
}

TEST_F(RelationshipApiTest, TheReportsEngagementCountsComeFromTheRecords) {
  app::RelationshipEngagementAggregates aggregates(*db_);
  auto before = aggregates.counts(scheme_, cohort_);
  ASSERT_TRUE(before.is_ok()) << before.status().to_string();
  ASSERT_TRUE(before->has_value());
  EXPECT_EQ((*before)->mentees_enrolled, 2);
  EXPECT_EQ((*before)->mentees_matched, 1);
  EXPECT_EQ((*before)->meetings_held, 0);
  accept_both();
  for (const char* when : {"2026-06-02T08:00:00Z", "2026-06-09T08:00:00Z", "2026-06-16T08:00:00Z"})
    ASSERT_EQ(book("mentee", when).status, 201);
  clock_.set_ms((kT0 + 12 * kDay) * 1000);
  auto v = relationships_->view(accounts_["mentee"], pairing_);
  ASSERT_TRUE(v.is_ok());
  ASSERT_TRUE(relationships_->record_meeting(accounts_["mentor"], v->meetings[0].id, core::relationship::MeetingState::kHeld,
                                             "", "")
                  .is_ok());
  ASSERT_TRUE(relationships_->record_meeting(accounts_["mentor"], v->meetings[1].id,
                                             core::relationship::MeetingState::kMissed, "", "")
                  .is_ok());
  auto after = aggregates.counts(scheme_, 0);
  ASSERT_TRUE(after.is_ok());
  EXPECT_EQ((*after)->meetings_held, 1);
  EXPECT_EQ((*after)->pairings_completed, 0);

  // The evaluation report now has its engagement section, with small
  // counts withheld like every other figure.
  core::NullDemographicAggregates demographics;
  app::EvaluationReportService reports(*db_, clock_, demographics, aggregates);
  auto report = reports.report(scheme_, cohort_, std::nullopt);
  ASSERT_TRUE(report.is_ok()) << report.status().to_string();
  ASSERT_TRUE(report->engagement.has_value());
  for (const auto& n : report->notes) EXPECT_NE(n.section, "engagement") << n.reason;
  EXPECT_FALSE(report->engagement->meetings_held.published());
  EXPECT_FALSE(report->engagement->meetings_held.value.has_value());
}

TEST_F(RelationshipApiTest, EachReminderReachesTheOutboxOnceAndEscalatesToThePointOfContact) {
  set_point_of_contact();
  // Nothing is due in the first three weeks.
  clock_.set_ms((kT0 + 20 * kDay) * 1000);
  auto r = sweep_->run();
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->pairings, 1);
  EXPECT_EQ(r->queued, 0);
  EXPECT_TRUE(outbox().empty());

  clock_.set_ms((kT0 + 22 * kDay) * 1000);
  // Several sweeps at once, as several instances would run them.
  constexpr int kThreads = 4;
  std::atomic<int> queued{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i)
    threads.emplace_back([&] {
      start.arrive_and_wait();
      auto run = sweep_->run();
      if (!run) {
        ADD_FAILURE() << run.status().to_string();
        return;
      }
      queued += run->queued;
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(queued.load(), 1);
  auto rows = outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].event_type, core::to_string(core::OutboundEventType::kMeetingDue));
  auto data = json::parse(rows[0].payload).as_object();
  EXPECT_EQ(data["reason"].as_string(), "no_first_meeting_reminder");
  EXPECT_EQ(data["pairing_id"].as_int64(), pairing_);
  EXPECT_EQ(data["recipients"].as_array().size(), 2u);
  EXPECT_EQ(data["recipients"].as_array()[0].as_object()["account"].as_object()["subject"].as_string(), "mentee-sub");
  EXPECT_EQ(rows[0].payload.find("Aisha"), std::string::npos);  // no names in the event
  // The claimed key names the outbox row that carries it.
  std::int64_t outboxid = 0;
  const std::string key(data["idempotency_key"].as_string());
  Status read = db_->with_session([&](soci::session& sql) -> Status {
    sql << "SELECT outboxid FROM " + db_->table_prefix() + "nudges WHERE nudge_key = :k", soci::use(key),
        soci::into(outboxid);
    return Status::ok();
  });
  ASSERT_TRUE(read.is_ok()) << read.to_string();
  EXPECT_EQ(outboxid, rows[0].id);
  auto again = sweep_->run();
  ASSERT_TRUE(again.is_ok());
  EXPECT_EQ(again->queued, 0);
  EXPECT_EQ(again->already_sent, 1);

  // Six weeks without a first meeting: the point of contact hears, once.
  clock_.set_ms((kT0 + 43 * kDay) * 1000);
  ASSERT_TRUE(sweep_->run().is_ok());
  ASSERT_TRUE(sweep_->run().is_ok());
  rows = outbox();
  ASSERT_EQ(rows.size(), 2u);
  const core::OutboxEntry& esc = rows[0].event_type == core::to_string(core::OutboundEventType::kEscalationRaised)
                                     ? rows[0]
                                     : rows[1];
  EXPECT_EQ(esc.event_type, core::to_string(core::OutboundEventType::kEscalationRaised));
  auto esc_data = json::parse(esc.payload).as_object();
  EXPECT_EQ(esc_data["reason"].as_string(), "no_first_meeting_escalation");
  ASSERT_EQ(esc_data["recipients"].as_array().size(), 1u);
  EXPECT_EQ(esc_data["recipients"].as_array()[0].as_object()["role"].as_string(), "point_of_contact");

  // The API runs the same sweep for hosts that schedule it themselves.
  http::Response swept = send("POST", "/api/v1/reminders/sweep", "");
  ASSERT_EQ(swept.status, 200) << swept.body;
  EXPECT_EQ(body_of(swept)["queued"].as_int64(), 0);
  EXPECT_EQ(send("POST", "/api/v1/reminders/sweep", "", "", false).status, 401);
}

TEST_F(RelationshipApiTest, WithoutAPointOfContactThePairIsRemindedButNobodyIsEscalatedTo) {
  clock_.set_ms((kT0 + 22 * kDay) * 1000);
  auto r = sweep_->run();
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->queued, 1);
  clock_.set_ms((kT0 + 43 * kDay) * 1000);
  r = sweep_->run();
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->queued, 0);
  auto rows = outbox();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].event_type, core::to_string(core::OutboundEventType::kMeetingDue));
}

TEST_F(RelationshipApiTest, APairWithAMeetingBookedAheadIsNotReminded) {
  accept_both();
  clock_.set_ms((kT0 + 22 * kDay) * 1000);
  ASSERT_EQ(book("mentee", "2026-06-25T08:00:00Z").status, 201);
  auto r = sweep_->run();
  ASSERT_TRUE(r.is_ok()) << r.status().to_string();
  EXPECT_EQ(r->queued, 0);
  EXPECT_TRUE(outbox().empty());
}

TEST_F(RelationshipApiTest, RacingBookingsOfTheSameHourMakeOneMeeting) { race_for_the_same_hour(); }

// The same race on PostgreSQL (READ COMMITTED, where only the row locks keep
// the overlap check honest), when MENTORING_TEST_POSTGRES_URL names a server.
class RelationshipPostgresTest : public RelationshipApiTest {
 protected:
  void SetUp() override {
    const char* url = std::getenv("MENTORING_TEST_POSTGRES_URL");
    if (url == nullptr || *url == 0) GTEST_SKIP() << "MENTORING_TEST_POSTGRES_URL is not set";
    url_ = url;
    std::mt19937_64 rng(std::random_device{}());
    char prefix[32];
    std::snprintf(prefix, sizeof prefix, "r%010llx_", static_cast<unsigned long long>(rng() & 0xffffffffffULL));
    prefix_ = prefix;
    RelationshipApiTest::SetUp();
  }
  storage::ConnectionSettings settings() override {
    return {.url = url_, .pool_size = 8, .table_prefix = prefix_};
  }
  std::string url_, prefix_;
};

TEST_F(RelationshipPostgresTest, RacingBookingsOfTheSameHourMakeOneMeeting) { race_for_the_same_hour(); }

}  // namespace
}  // namespace mentoring::testing
