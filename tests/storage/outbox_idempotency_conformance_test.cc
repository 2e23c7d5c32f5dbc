// Events the host must hear of once (schema step 0015), on SQLite and, when
// configured, PostgreSQL: OutboxStore::append_once queues an idempotency key
// at most once and SurveyDueStore::record records a (round, account) at most
// once, also when two sessions race (one waits for the other's commit or
// rollback), and the step itself removes duplicates queued before it and
// records the survey announcements already made.
#include <soci/soci.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "core/evaluation_stores.h"
#include "core/survey_due_stores.h"
#include "core/webhook_stores.h"
#include "storage/embedded_schema.h"
#include "storage/migrator.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;
constexpr const char* kCertificate = "mentoring.certificate_issued";

std::string payload(const std::string& key) { return "{\"idempotency_key\":\"" + key + "\"}"; }

class OutboxIdempotencyTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // A second SQLite connection waits for the first one's write lock.
    settings_.busy_timeout_ms = 60000;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }
  void migrate() {
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::int64_t count_rows(const std::string& table, const std::string& where = "1 = 1") {
    std::int64_t n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table + " WHERE " + where, soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  std::int64_t add_account(core::Stores& s, const std::string& subject, core::UnixSeconds at = kT0) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, at);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? a->id : 0;
  }

  // A scheme, a cohort and a survey round of it sent to mentees and mentors,
  // created at `at`; returns the round.
  core::SurveyRound add_round(core::Stores& s, core::UnixSeconds at) {
    auto scheme = s.schemes.create(
        core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Support", core::SchemePhase::kPilot}, at);
    EXPECT_TRUE(scheme.is_ok()) << scheme.status().to_string();
    core::CohortInput ci{scheme->id,
                         "August 2026",
                         *core::Date::parse("2026-06-10"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2027-08-04"),
                         core::MatchingModel::kAssigned};
    auto cohort = s.schemes.create_cohort(ci, at);
    EXPECT_TRUE(cohort.is_ok()) << cohort.status().to_string();
    cohortid_ = cohort->id;
    auto qn = s.surveys.create_questionnaire(core::default_questionnaire(scheme->id), at);
    EXPECT_TRUE(qn.is_ok()) << qn.status().to_string();
    core::SurveyRound r;
    r.questionnaireid = qn->id;
    r.cohortid = cohort->id;
    r.phase = core::RoundPhase::kMidpoint;
    r.audiences = {"mentees", "supervisors", "mentors"};
    r.opens_on = *core::Date::parse("2026-07-10");
    r.closes_on = *core::Date::parse("2026-07-31");
    auto round = s.surveys.create_round(r, at);
    EXPECT_TRUE(round.is_ok()) << round.status().to_string();
    return *round;
  }

  // Two sessions race: the first queues (or records) inside an open
  // transaction and holds it while the second tries the same; then the
  // first commits (or rolls back). `work` returns whether it wrote.
  struct RaceOutcome {
    bool first = false;
    bool second = false;
    Status second_status;
    std::chrono::milliseconds second_waited{0};
  };
  RaceOutcome race(const std::function<core::Result<bool>(core::Stores&)>& work, bool first_commits) {
    RaceOutcome out;
    auto other = open();
    EXPECT_TRUE(other.is_ok()) << other.status().to_string();
    if (!other.is_ok()) return out;
    std::mutex mu;
    std::condition_variable cv;
    bool first_wrote = false;
    constexpr auto kHold = std::chrono::milliseconds(400);
    std::thread first([&] {
      Status st = db_->transact([&](core::Stores& s) -> Status {
        auto wrote = work(s);
        if (!wrote) return wrote.status();
        out.first = *wrote;
        {
          std::lock_guard<std::mutex> lock(mu);
          first_wrote = true;
        }
        cv.notify_all();
        // The second session is now writing the same key and must wait.
        std::this_thread::sleep_for(kHold);
        return first_commits ? Status::ok() : Status::internal("test_rollback", "The first session gives up.");
      });
      EXPECT_EQ(st.is_ok(), first_commits) << st.to_string();
    });
    {
      std::unique_lock<std::mutex> lock(mu);
      cv.wait(lock, [&] { return first_wrote; });
    }
    const auto started = std::chrono::steady_clock::now();
    out.second_status = (*other)->transact([&](core::Stores& s) -> Status {
      auto wrote = work(s);
      if (!wrote) return wrote.status();
      out.second = *wrote;
      return Status::ok();
    });
    out.second_waited =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
    first.join();
    return out;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t cohortid_ = 0;
};

TEST_P(OutboxIdempotencyTest, AKeyIsQueuedOnceAndOtherKeysAndPlainEventsAreNotHeldUp) {
  migrate();
  std::int64_t first_id = 0;
  commit([&](core::Stores& s) {
    auto a = s.outbox.append_once(kCertificate, payload("certificate:cohort:1:account:2"),
                                  "certificate:cohort:1:account:2", kT0);
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    ASSERT_TRUE(a->has_value());
    first_id = (*a)->id;
    EXPECT_EQ((*a)->event_type, kCertificate);
    EXPECT_EQ((*a)->state, core::OutboxState::kPending);
    // The same key again in the same transaction: nothing, and the
    // transaction goes on (PostgreSQL is not aborted).
    auto again = s.outbox.append_once(kCertificate, payload("x"), "certificate:cohort:1:account:2", kT0);
    ASSERT_TRUE(again.is_ok()) << again.status().to_string();
    EXPECT_FALSE(again->has_value());
    auto other = s.outbox.append_once(kCertificate, payload("y"), "certificate:cohort:1:account:3", kT0);
    ASSERT_TRUE(other.is_ok() && other->has_value());
    // Events without a key are never held up by each other.
    ASSERT_TRUE(s.outbox.append("mentoring.enrolled", "{}", kT0).is_ok());
    ASSERT_TRUE(s.outbox.append("mentoring.enrolled", "{}", kT0).is_ok());
  });
  // In a later transaction, also after the row was delivered.
  commit([&](core::Stores& s) {
    auto c = s.outbox.claim_due("tok", kT0, 120, 10);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    ASSERT_TRUE(s.outbox.mark_delivered(first_id, "tok", 204, kT0 + 1).is_ok());
    auto again = s.outbox.append_once(kCertificate, payload("z"), "certificate:cohort:1:account:2", kT0 + 2);
    ASSERT_TRUE(again.is_ok()) << again.status().to_string();
    EXPECT_FALSE(again->has_value());
  });
  EXPECT_EQ(count_rows("webhook_outbox"), 4);
  EXPECT_EQ(count_rows("webhook_outbox", "idempotency_key = 'certificate:cohort:1:account:2'"), 1);
  EXPECT_EQ(count_rows("webhook_outbox", "idempotency_key IS NULL"), 2);
}

TEST_P(OutboxIdempotencyTest, BadKeysAndPayloadsAreRefusedAndWriteNothing) {
  migrate();
  commit([&](core::Stores& s) {
    EXPECT_EQ(s.outbox.append_once(kCertificate, "{}", "", kT0).status().reason(), "outbox_idempotency_key_invalid");
    EXPECT_EQ(s.outbox.append_once(kCertificate, "{}", std::string(201, 'k'), kT0).status().reason(),
              "outbox_idempotency_key_invalid");
    EXPECT_EQ(s.outbox.append_once(kCertificate, "{}", "has space", kT0).status().reason(),
              "outbox_idempotency_key_invalid");
    EXPECT_EQ(s.outbox.append_once(kCertificate, "{}", "tab\tkey", kT0).status().reason(),
              "outbox_idempotency_key_invalid");
    EXPECT_EQ(s.outbox.append_once("Not A Type", "{}", "k1", kT0).status().reason(), "outbox_event_type_invalid");
    EXPECT_EQ(s.outbox.append_once(kCertificate, "[]", "k1", kT0).status().reason(), "outbox_payload_invalid");
    auto longest = s.outbox.append_once(kCertificate, "{}", std::string(200, 'k'), kT0);
    ASSERT_TRUE(longest.is_ok() && longest->has_value()) << longest.status().to_string();
  });
  EXPECT_EQ(count_rows("webhook_outbox"), 1);
}

// The case of two mentors' end check-ins committing at the same moment: the
// second session's insert waits for the first session's transaction and,
// once it commits, writes nothing.
TEST_P(OutboxIdempotencyTest, TwoSessionsQueueingOneKeyAtOnceQueueItOnce) {
  migrate();
  const std::string key = "certificate:cohort:7:account:9";
  auto outcome = race(
      [&](core::Stores& s) -> core::Result<bool> {
        auto a = s.outbox.append_once(kCertificate, payload(key), key, kT0);
        if (!a) return a.status();
        return a->has_value();
      },
      true);
  EXPECT_TRUE(outcome.second_status.is_ok()) << outcome.second_status.to_string();
  EXPECT_TRUE(outcome.first);
  EXPECT_FALSE(outcome.second);
  // It waited for the first session rather than reading past it.
  EXPECT_GE(outcome.second_waited.count(), 200);
  EXPECT_EQ(count_rows("webhook_outbox", "event_type = 'mentoring.certificate_issued'"), 1);
}

TEST_P(OutboxIdempotencyTest, WhenTheFirstSessionRollsBackTheWaitingOneQueuesTheKey) {
  migrate();
  const std::string key = "certificate:cohort:7:account:9";
  auto outcome = race(
      [&](core::Stores& s) -> core::Result<bool> {
        auto a = s.outbox.append_once(kCertificate, payload(key), key, kT0);
        if (!a) return a.status();
        return a->has_value();
      },
      false);
  EXPECT_TRUE(outcome.second_status.is_ok()) << outcome.second_status.to_string();
  EXPECT_TRUE(outcome.first);
  EXPECT_TRUE(outcome.second);
  EXPECT_EQ(count_rows("webhook_outbox"), 1);
}

// Many threads on two connections queue the same keys in random order:
// every key is queued exactly once and no transaction fails.
TEST_P(OutboxIdempotencyTest, ManyThreadsQueueEachKeyExactlyOnce) {
  migrate();
  auto second = open();
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  std::vector<SociDatabase*> dbs{db_.get(), second->get()};
  constexpr int kKeys = 40;
  std::atomic<int> errors{0}, queued{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kKeys; ++i) {
        const int k = (i * (t + 1) * 7) % kKeys;  // a different order per thread
        const std::string key = "certificate:cohort:" + std::to_string(k) + ":account:1";
        Status st = dbs[t % 2]->transact([&](core::Stores& s) -> Status {
          auto a = s.outbox.append_once(kCertificate, payload(key), key, kT0);
          if (!a) return a.status();
          if (a->has_value()) ++queued;
          return Status::ok();
        });
        if (!st) ++errors;
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(queued.load(), kKeys);
  EXPECT_EQ(count_rows("webhook_outbox"), kKeys);
}

TEST_P(OutboxIdempotencyTest, ASurveyAnnouncementIsRecordedOncePerRoundAndAccount) {
  migrate();
  core::SurveyRound round;
  std::int64_t ada = 0, bea = 0;
  commit([&](core::Stores& s) {
    round = add_round(s, kT0);
    ada = add_account(s, "ada");
    bea = add_account(s, "bea");
    auto first = s.survey_due.record(round.id, bea, kT0);
    ASSERT_TRUE(first.is_ok()) << first.status().to_string();
    EXPECT_TRUE(*first);
    auto again = s.survey_due.record(round.id, bea, kT0);
    ASSERT_TRUE(again.is_ok()) << again.status().to_string();
    EXPECT_FALSE(*again);
    ASSERT_TRUE(s.survey_due.record(round.id, ada, kT0).is_ok());
  });
  commit([&](core::Stores& s) {
    auto told = s.survey_due.announced_to(round.id);
    ASSERT_TRUE(told.is_ok()) << told.status().to_string();
    EXPECT_EQ(*told, (std::vector<std::int64_t>{ada, bea}));
    auto none = s.survey_due.announced_to(round.id + 100);
    ASSERT_TRUE(none.is_ok());
    EXPECT_TRUE(none->empty());
  });
  // A round or account that does not exist cannot be recorded.
  Status bad =
      db_->transact([&](core::Stores& s) -> Status { return s.survey_due.record(round.id + 100, ada, kT0).status(); });
  EXPECT_FALSE(bad.is_ok());
  EXPECT_EQ(count_rows("survey_due_notices"), 2);
}

TEST_P(OutboxIdempotencyTest, TwoSessionsRecordingOneAnnouncementAtOnceRecordItOnce) {
  migrate();
  core::SurveyRound round;
  std::int64_t ada = 0;
  commit([&](core::Stores& s) {
    round = add_round(s, kT0);
    ada = add_account(s, "ada");
  });
  auto outcome = race([&](core::Stores& s) { return s.survey_due.record(round.id, ada, kT0); }, true);
  EXPECT_TRUE(outcome.second_status.is_ok()) << outcome.second_status.to_string();
  EXPECT_TRUE(outcome.first);
  EXPECT_FALSE(outcome.second);
  EXPECT_GE(outcome.second_waited.count(), 200);
  EXPECT_EQ(count_rows("survey_due_notices"), 1);
}

// A database that queued events before step 0015: duplicates of one key go
// (the earliest row stays), keys move from the payload into the column, and
// the survey announcements made so far are recorded, so nobody told at a
// round's creation is told again.
TEST_P(OutboxIdempotencyTest, TheStepRemovesEarlierDuplicatesAndRecordsAnnouncementsMade) {
  std::vector<EmbeddedMigration> before;
  for (const auto& m : embedded_migrations())
    if (m.version < 15) before.push_back(m);
  auto at = db_->migrate_with(Migrator(before));
  ASSERT_TRUE(at.is_ok()) << at.status().to_string();
  ASSERT_LT(*at, 15);

  const core::UnixSeconds created = kT0 + 1000;
  core::SurveyRound round;
  std::int64_t early_mentee = 0, early_mentor = 0, late_mentee = 0, told_late = 0, early_cert = 0;
  const std::string cert_key = "certificate:cohort:3:account:4";
  commit([&](core::Stores& s) {
    round = add_round(s, created);
    early_mentee = add_account(s, "early-mentee");
    early_mentor = add_account(s, "early-mentor");
    late_mentee = add_account(s, "late-mentee");
    told_late = add_account(s, "told-late");
    ASSERT_TRUE(s.enrolments.create(cohortid_, early_mentee, core::Role::kMentee, created - 10).is_ok());
    ASSERT_TRUE(s.enrolments.create(cohortid_, early_mentor, core::Role::kMentor, created).is_ok());
    ASSERT_TRUE(s.enrolments.create(cohortid_, late_mentee, core::Role::kMentee, created + 10).is_ok());
    ASSERT_TRUE(s.enrolments.create(cohortid_, told_late, core::Role::kMentee, created + 20).is_ok());
    // One certificate queued three times, and another once.
    for (int i = 0; i < 3; ++i) {
      auto e = s.outbox.append(kCertificate, "{\"cohort_id\":3,\"idempotency_key\":\"" + cert_key + "\"}", kT0 + i);
      ASSERT_TRUE(e.is_ok()) << e.status().to_string();
      if (i == 0) early_cert = e->id;
    }
    ASSERT_TRUE(s.outbox.append(kCertificate, payload("certificate:cohort:3:account:5"), kT0).is_ok());
    // A survey announcement already queued for someone who enrolled late.
    const std::string survey_key = "survey_round:" + std::to_string(round.id) + ":account:" + std::to_string(told_late);
    ASSERT_TRUE(
        s.outbox
            .append("mentoring.survey_due",
                    "{\"round_id\":" + std::to_string(round.id) + ",\"idempotency_key\":\"" + survey_key + "\"}", kT0)
            .is_ok());
    // Reminders keep their own record; their rows are left as they are.
    ASSERT_TRUE(s.outbox.append("mentoring.meeting_due", payload("nudge:1"), kT0).is_ok());
    ASSERT_TRUE(s.outbox.append("mentoring.meeting_due", payload("nudge:1"), kT0).is_ok());
  });
  ASSERT_EQ(count_rows("webhook_outbox", "event_type = 'mentoring.certificate_issued'"), 4);

  migrate();
  EXPECT_EQ(count_rows("webhook_outbox", "event_type = 'mentoring.certificate_issued'"), 2);
  EXPECT_EQ(count_rows("webhook_outbox", "idempotency_key = '" + cert_key + "' AND id = " + std::to_string(early_cert)),
            1);
  EXPECT_EQ(count_rows("webhook_outbox", "idempotency_key = 'certificate:cohort:3:account:5'"), 1);
  EXPECT_EQ(count_rows("webhook_outbox", "event_type = 'mentoring.survey_due' AND idempotency_key IS NOT NULL"), 1);
  EXPECT_EQ(count_rows("webhook_outbox", "event_type = 'mentoring.meeting_due' AND idempotency_key IS NULL"), 2);

  std::vector<std::int64_t> told;
  commit([&](core::Stores& s) {
    auto t = s.survey_due.announced_to(round.id);
    ASSERT_TRUE(t.is_ok()) << t.status().to_string();
    told = *t;
    // The surviving key still blocks a repeat.
    auto again = s.outbox.append_once(kCertificate, payload(cert_key), cert_key, kT0 + 10);
    ASSERT_TRUE(again.is_ok()) << again.status().to_string();
    EXPECT_FALSE(again->has_value());
  });
  std::vector<std::int64_t> expected{early_mentee, early_mentor, told_late};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(told, expected) << "the late mentee was never told and is left to the sweep";
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxIdempotencyTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
