// mentoring.survey_due for people who join a cohort after a survey round was
// created (app/survey_due.h), and mentoring.certificate_issued when two end
// check-ins of one mentor commit at the same moment: each (round, person)
// and each (cohort, mentor) reaches the outbox exactly once, through the
// enrolment, the round's creation or the sweep, on SQLite and PostgreSQL.
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "app/checkins.h"
#include "app/enrolment.h"
#include "app/survey.h"
#include "app/survey_due.h"
#include "app/webhook_events.h"
#include "core/checkin_stores.h"
#include "core/evaluation_stores.h"
#include "core/survey_due_stores.h"
#include "core/webhook_stores.h"
#include "tests/adapters/api/matching_fixture.h"
#include "tests/adapters/api/webhook_schema_check.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using testing::MatchingFixture;

class SurveyDueLateEnrolmentTest : public MatchingFixture {
 protected:
  void SetUp() override {
    MatchingFixture::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    surveys_ = std::make_unique<app::SurveyService>(*db_, clock_);
    enrolments_ = std::make_unique<app::EnrolmentService>(*db_, clock_);
    sweep_ = std::make_unique<app::SurveyDueSweep>(*db_, clock_);
    auto qn = surveys_->create_default_questionnaire(schemeid_);
    ASSERT_TRUE(qn.is_ok()) << qn.status().to_string();
    questionnaireid_ = qn->id;
  }
  void TearDown() override {
    sweep_.reset();
    enrolments_.reset();
    surveys_.reset();
    MatchingFixture::TearDown();
  }

  // Open on the fixture's day (2026-07-01) unless told otherwise.
  std::int64_t round(std::int64_t cohort, std::vector<std::string> audiences, const char* opens = "2026-06-20",
                     const char* closes = "2026-07-31") {
    core::SurveyRound r;
    r.questionnaireid = questionnaireid_;
    r.cohortid = cohort;
    r.phase = core::RoundPhase::kBaseline;
    r.audiences = std::move(audiences);
    r.opens_on = *core::Date::parse(opens);
    r.closes_on = *core::Date::parse(closes);
    auto created = surveys_->create_round(schemeid_, r);
    EXPECT_TRUE(created.is_ok()) << created.status().to_string();
    return created.is_ok() ? created->id : 0;
  }
  std::int64_t account(const std::string& subject) {
    std::int64_t id = 0;
    commit([&](core::Stores& s) { id = new_account(s, subject); });
    return id;
  }
  std::int64_t enrol(std::int64_t cohort, std::int64_t accountid, core::Role role) {
    auto e = enrolments_->enrol(cohort, accountid, role);
    EXPECT_TRUE(e.is_ok()) << e.status().to_string();
    return e.is_ok() ? e->id : 0;
  }
  // The survey_due events, each checked against its schema.
  std::vector<json::object> due() {
    std::vector<json::object> out;
    commit([&](core::Stores& s) {
      auto list = s.outbox.list(std::nullopt, core::Page{1000, 0});
      ASSERT_TRUE(list.is_ok()) << list.status().to_string();
      for (auto it = list->rbegin(); it != list->rend(); ++it) {
        if (it->event_type != "mentoring.survey_due") continue;
        const auto errors = testing::event_schema_errors(*it);
        EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front()) << "\n" << it->payload;
        out.push_back(json::parse(it->payload).as_object());
      }
    });
    return out;
  }
  // (round, subject) -> how many events.
  std::map<std::pair<std::int64_t, std::string>, int> due_counts() {
    std::map<std::pair<std::int64_t, std::string>, int> out;
    for (auto& d : due())
      ++out[{d["round_id"].as_int64(), std::string(d["account"].as_object().at("subject").as_string())}];
    return out;
  }
  std::int64_t count(const std::string& type) {
    std::int64_t n = 0;
    commit([&](core::Stores& s) {
      auto list = s.outbox.list(std::nullopt, core::Page{1000, 0});
      ASSERT_TRUE(list.is_ok());
      for (const auto& e : *list) n += e.event_type == type ? 1 : 0;
    });
    return n;
  }

  std::unique_ptr<app::SurveyService> surveys_;
  std::unique_ptr<app::EnrolmentService> enrolments_;
  std::unique_ptr<app::SurveyDueSweep> sweep_;
  std::int64_t questionnaireid_ = 0;
};

TEST_P(SurveyDueLateEnrolmentTest, SomeoneEnrollingLaterHearsOfEachOpenRoundOfTheirAudienceOnce) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t other = make_cohort(core::MatchingModel::kAssigned);
  enrol(cohort, account("early"), core::Role::kMentee);
  const std::int64_t both_rounds = round(cohort, {"mentees", "mentors"});
  const std::int64_t mentors_only = round(cohort, {"mentors"});
  const std::int64_t upcoming = round(cohort, {"mentees"}, "2026-09-01", "2026-09-30");
  const std::int64_t closed = round(cohort, {"mentees"}, "2026-06-01", "2026-06-30");
  const std::int64_t host_group = round(cohort, {"supervisors"});
  const std::int64_t elsewhere = round(other, {"mentees"});
  // The early mentee hears of both_rounds and upcoming; a round created
  // after its closing day is announced to nobody.
  ASSERT_EQ(due().size(), 2u);
  EXPECT_EQ(due_counts().count({closed, "early"}), 0u);

  const std::int64_t late = account("late");
  enrol(cohort, late, core::Role::kMentee);
  auto counts = due_counts();
  EXPECT_EQ((counts[{both_rounds, "late"}]), 1);
  EXPECT_EQ((counts[{upcoming, "late"}]), 1) << "a round that opens later is announced ahead";
  EXPECT_EQ(counts.count({closed, "late"}), 0u) << "a closed round is announced to nobody new";
  EXPECT_EQ(counts.count({mentors_only, "late"}), 0u);
  EXPECT_EQ(counts.count({host_group, "late"}), 0u);
  EXPECT_EQ(counts.count({elsewhere, "late"}), 0u);
  EXPECT_EQ(due().size(), 4u);
  for (auto& d : due()) {
    if (d["account"].as_object().at("subject").as_string() != "late") continue;
    EXPECT_EQ(d["audiences"].as_array(), (json::array{"mentees"}));
    EXPECT_EQ(d["idempotency_key"].as_string(), app::survey_due_key(d["round_id"].as_int64(), late));
    EXPECT_EQ(d["idempotency_key"].as_string(),
              "survey_round:" + std::to_string(d["round_id"].as_int64()) + ":account:" + std::to_string(late));
  }

  // The same person enrolling as a mentor as well: the mentors-only round is
  // new to them; both_rounds was already announced and is not sent again.
  enrol(cohort, late, core::Role::kMentor);
  counts = due_counts();
  EXPECT_EQ((counts[{mentors_only, "late"}]), 1);
  EXPECT_EQ((counts[{both_rounds, "late"}]), 1);
  EXPECT_EQ(due().size(), 5u);

  // The sweep finds nothing missed, however often it runs.
  for (int i = 0; i < 2; ++i) {
    auto swept = sweep_->run();
    ASSERT_TRUE(swept.is_ok()) << swept.status().to_string();
    EXPECT_EQ(swept->queued, 0);
  }
  EXPECT_EQ(due().size(), 5u);
}

TEST_P(SurveyDueLateEnrolmentTest, TheSweepAnnouncesToPeopleAddedAnotherWayOnceAndNeverToClosedRounds) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t open = round(cohort, {"mentees", "mentors"});
  const std::int64_t closed = round(cohort, {"mentees", "mentors"}, "2026-06-01", "2026-06-30");
  ASSERT_TRUE(due().empty());
  // Enrolments written straight to the store (as a bulk import does) skip
  // the enrolment path; a withdrawn one is not in any audience.
  mentee(cohort, "imported", {"teaching"});
  const std::int64_t both = mentor(cohort, "imported-mentor", 1, {"teaching"});
  const std::int64_t gone = mentee(cohort, "gone", {"teaching"});
  commit([&](core::Stores& s) {
    auto e = s.enrolments.find(both);
    ASSERT_TRUE(e.is_ok() && e->has_value());
    ASSERT_TRUE(s.enrolments.create(cohort, (**e).accountid, core::Role::kMentee, now()).is_ok());
    ASSERT_TRUE(s.enrolments.set_status(gone, core::EnrolmentStatus::kWithdrawn, now()).is_ok());
  });
  ASSERT_TRUE(due().empty());

  auto swept = sweep_->run();
  ASSERT_TRUE(swept.is_ok()) << swept.status().to_string();
  EXPECT_EQ(swept->rounds, 1) << "only the open round is looked at";
  EXPECT_EQ(swept->queued, 2);
  auto counts = due_counts();
  EXPECT_EQ(counts, (std::map<std::pair<std::int64_t, std::string>, int>{{{open, "imported"}, 1},
                                                                         {{open, "imported-mentor"}, 1}}));
  for (auto& d : due()) {
    if (d["account"].as_object().at("subject").as_string() == "imported-mentor") {
      EXPECT_EQ(d["audiences"].as_array(), (json::array{"mentees", "mentors"}));
    }
  }
  (void)closed;

  // Again: nothing more. After the closing day: nothing for anyone new.
  swept = sweep_->run();
  ASSERT_TRUE(swept.is_ok());
  EXPECT_EQ(swept->queued, 0);
  mentee(cohort, "after-close", {"teaching"});
  clock_.set_ms((core::Date::parse("2026-08-01")->days_since_epoch() * testing::kDaySeconds + 60) * 1000);
  swept = sweep_->run();
  ASSERT_TRUE(swept.is_ok());
  EXPECT_EQ(swept->rounds, 0);
  EXPECT_EQ(swept->queued, 0);
  EXPECT_EQ(due().size(), 2u);
}

TEST_P(SurveyDueLateEnrolmentTest, AnEnrolmentThatRollsBackLeavesNeitherEventNorRecord) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t open = round(cohort, {"mentees"});
  const std::int64_t person = account("rolled-back");
  core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
    auto e = app::enrol_in_transaction(s, cohort, person, core::Role::kMentee, now(), {}, core::Actor::service());
    EXPECT_TRUE(e.is_ok()) << e.status().to_string();
    return core::Status::internal("test_rollback", "The unit of work fails after the enrolment.");
  });
  EXPECT_EQ(st.reason(), "test_rollback");
  EXPECT_TRUE(due().empty());
  commit([&](core::Stores& s) {
    auto told = s.survey_due.announced_to(open);
    ASSERT_TRUE(told.is_ok());
    EXPECT_TRUE(told->empty());
  });
  // A refused enrolment (the window has closed) announces nothing either.
  clock_.set_ms((core::Date::parse("2026-08-10")->days_since_epoch() * testing::kDaySeconds) * 1000);
  EXPECT_FALSE(enrolments_->enrol(cohort, person, core::Role::kMentee).is_ok());
  EXPECT_TRUE(due().empty());
}

// The enrolment path and the sweep (on another connection, as on another
// instance) running at the same moment for the same person: one event.
TEST_P(SurveyDueLateEnrolmentTest, AnEnrolmentAndASweepAtTheSameMomentAnnounceOnce) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t open = round(cohort, {"mentees"});
  const std::int64_t person = account("racer");
  auto other = storage::open_database(settings_);
  ASSERT_TRUE(other.is_ok()) << other.status().to_string();
  app::SurveyDueSweep other_sweep(**other, clock_);
  std::mutex mu;
  std::condition_variable cv;
  bool enrolled = false;
  std::thread first([&] {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      auto e = app::enrol_in_transaction(s, cohort, person, core::Role::kMentee, now(), {}, core::Actor::service());
      if (!e) return e.status();
      {
        std::lock_guard<std::mutex> lock(mu);
        enrolled = true;
      }
      cv.notify_all();
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return enrolled; });
  }
  auto swept = other_sweep.run();
  first.join();
  ASSERT_TRUE(swept.is_ok()) << swept.status().to_string();
  // Whichever came second found the person told; a sweep that started before
  // the enrolment committed does not see the enrolment at all.
  swept = sweep_->run();
  ASSERT_TRUE(swept.is_ok()) << swept.status().to_string();
  EXPECT_EQ(due_counts(), (std::map<std::pair<std::int64_t, std::string>, int>{{{open, "racer"}, 1}}));
}

// --- mentoring.certificate_issued under simultaneous end check-ins --------

TEST_P(SurveyDueLateEnrolmentTest, TwoEndCheckinsOfOneMentorCommittingAtOnceIssueOneCertificate) {
  const std::int64_t cohort = make_cohort(core::MatchingModel::kAssigned);
  const std::int64_t e1 = mentee(cohort, "e1", {"teaching"});
  const std::int64_t e2 = mentee(cohort, "e2", {"teaching"});
  const std::int64_t m1 = mentor(cohort, "m1", 2, {"teaching"});
  auto p1 = pairings_->assign(cohort, e1, m1);
  ASSERT_TRUE(p1.is_ok()) << p1.status().to_string();
  auto p2 = pairings_->assign(cohort, e2, m1);
  ASSERT_TRUE(p2.is_ok()) << p2.status().to_string();
  const core::Date end = *core::Date::parse("2027-08-04");
  clock_.set_ms((end.days_since_epoch() * testing::kDaySeconds + 12 * 3600) * 1000);
  std::int64_t mentor_account = 0;
  commit([&](core::Stores& s) {
    auto e = s.enrolments.find(m1);
    ASSERT_TRUE(e.is_ok() && e->has_value());
    mentor_account = (**e).accountid;
  });

  // The first check-in's transaction has queued the certificate and not yet
  // committed when the second one (another connection, as on another
  // instance) runs: the second finds no earlier end check-in, tries to queue
  // the certificate too, waits for the first, and queues nothing.
  auto other = storage::open_database(settings_);
  ASSERT_TRUE(other.is_ok()) << other.status().to_string();
  app::CheckinService second(**other, clock_);
  std::mutex mu;
  std::condition_variable cv;
  bool queued = false;
  std::thread first([&] {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      core::CheckinResponse r;
      r.pairingid = p1->id;
      r.cohortid = cohort;
      r.accountid = mentor_account;
      r.role = core::Role::kMentor;
      r.phase = core::CheckinPhase::kEnd;
      r.answers.goals_progress = 4;
      auto stored = s.checkins.create(r, now());
      if (!stored) return stored.status();
      auto c = s.schemes.find_cohort(cohort);
      if (!c) return c.status();
      auto issued = app::append_certificate_issued_event(s, *stored, **c, now());
      if (!issued) return issued.status();
      EXPECT_TRUE(*issued);
      {
        std::lock_guard<std::mutex> lock(mu);
        queued = true;
      }
      cv.notify_all();
      std::this_thread::sleep_for(std::chrono::milliseconds(400));
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
  });
  {
    std::unique_lock<std::mutex> lock(mu);
    cv.wait(lock, [&] { return queued; });
  }
  core::CheckinAnswers a;
  a.goals_progress = 3;
  auto saved = second.save(mentor_account, p2->id, core::CheckinPhase::kEnd, a);
  first.join();
  ASSERT_TRUE(saved.is_ok()) << saved.status().to_string() << ": the second check-in itself is kept";
  EXPECT_EQ(count("mentoring.certificate_issued"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, SurveyDueLateEnrolmentTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring
