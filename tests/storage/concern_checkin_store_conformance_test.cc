// The concern and check-in store ports (core/concern_stores.h,
// core/checkin_stores.h) on SQLite and, when configured, PostgreSQL:
// concerns and their history round-trip, a state change applies only from
// the expected state, staff order puts open urgent concerns first, and a
// check-in is stored once per person, pairing and phase.
#include <soci/soci.h>

#include "core/checkin_stores.h"
#include "core/concern_stores.h"
#include "core/matching_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

core::Date day(const char* iso) { return *core::Date::parse(iso); }

class ConcernCheckinStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    commit([&](core::Stores& s) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Support FY1", core::SchemePhase::kPilot},
          kT0);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      schemeid_ = scheme->id;
      auto cohort = s.schemes.create_cohort(core::CohortInput{schemeid_, "August 2026", day("2026-06-10"),
                                                              day("2026-08-05"), day("2026-08-05"), day("2027-08-04"),
                                                              core::MatchingModel::kAssigned},
                                            kT0);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      cohortid_ = cohort->id;
      mentee_ = account(s, "sub-mentee");
      mentor_ = account(s, "sub-mentor");
      poc_ = account(s, "sub-poc");
      auto me = s.enrolments.create(cohortid_, mentee_, core::Role::kMentee, kT0);
      ASSERT_TRUE(me.is_ok()) << me.status().to_string();
      auto mo = s.enrolments.create(cohortid_, mentor_, core::Role::kMentor, kT0);
      ASSERT_TRUE(mo.is_ok()) << mo.status().to_string();
      ASSERT_TRUE(s.pairings.sync_place(cohortid_, mo->id, 2, kT0).is_ok());
      auto p = s.pairings.create_active(core::PairingInput{cohortid_, me->id, mo->id}, kT0);
      ASSERT_TRUE(p.is_ok()) << p.status().to_string();
      pairingid_ = p->id;
    });
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  std::int64_t account(core::Stores& s, const std::string& subject) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, kT0);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? a->id : 0;
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  core::Concern concern(core::ConcernUrgency urgency, const std::string& text) const {
    core::Concern c;
    c.schemeid = schemeid_;
    c.cohortid = cohortid_;
    c.pairingid = pairingid_;
    c.raised_by = mentee_;
    c.raiser_role = core::Role::kMentee;
    c.routed_to = poc_;
    c.category = core::ConcernCategory::kPersonalityFit;
    c.urgency = urgency;
    c.text = text;
    return c;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t schemeid_ = 0, cohortid_ = 0, mentee_ = 0, mentor_ = 0, poc_ = 0, pairingid_ = 0;
};

TEST_P(ConcernCheckinStoreTest, ConcernRoundTripsWithItsHistory) {
  commit([&](core::Stores& s) {
    auto c = s.concerns.create(concern(core::ConcernUrgency::kUrgent, "We have not met since March.\nHelp."), kT0);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    EXPECT_GT(c->id, 0);
    EXPECT_EQ(c->text, "We have not met since March.\nHelp.");
    EXPECT_EQ(c->state, core::ConcernState::kRaised);
    EXPECT_EQ(c->urgency, core::ConcernUrgency::kUrgent);
    EXPECT_EQ(c->raiser_role, core::Role::kMentee);
    EXPECT_FALSE(c->outcome.has_value());
    EXPECT_FALSE(c->acknowledged_at.has_value());
    EXPECT_EQ(c->timecreated, kT0);

    core::ConcernAction a{0, c->id, poc_, core::ConcernActionKind::kNote, "Phoned the mentee.", 0};
    ASSERT_TRUE(s.concerns.add_action(a, kT0 + 5).is_ok());
    a.kind = core::ConcernActionKind::kAcknowledged;
    a.text = "";
    ASSERT_TRUE(s.concerns.add_action(a, kT0 + 1).is_ok());
    auto history = s.concerns.actions(c->id);
    ASSERT_TRUE(history.is_ok()) << history.status().to_string();
    ASSERT_EQ(history->size(), 2u);
    EXPECT_EQ((*history)[0].kind, core::ConcernActionKind::kAcknowledged);  // oldest first
    EXPECT_EQ((*history)[1].text, "Phoned the mentee.");

    auto resolved = core::resolved(*c, core::ConcernOutcome::kSignposted, kT0 + 9);
    auto changed = s.concerns.update_state(resolved, core::ConcernState::kRaised, kT0 + 9);
    ASSERT_TRUE(changed.is_ok()) << changed.status().to_string();
    EXPECT_EQ(changed->state, core::ConcernState::kResolved);
    ASSERT_TRUE(changed->outcome.has_value());
    EXPECT_EQ(*changed->outcome, core::ConcernOutcome::kSignposted);
    EXPECT_EQ(changed->resolved_at.value_or(0), kT0 + 9);
    EXPECT_EQ(changed->timemodified, kT0 + 9);
  });
}

TEST_P(ConcernCheckinStoreTest, StateChangeFromAStaleStateIsAConflict) {
  std::int64_t id = 0;
  commit([&](core::Stores& s) {
    auto c = s.concerns.create(concern(core::ConcernUrgency::kRoutine, "Text"), kT0);
    ASSERT_TRUE(c.is_ok());
    id = c->id;
    ASSERT_TRUE(s.concerns.update_state(core::acknowledged(*c, kT0 + 1), core::ConcernState::kRaised, kT0 + 1).is_ok());
    // A second handler who still saw "raised".
    auto again = s.concerns.update_state(core::escalated(*c, kT0 + 2), core::ConcernState::kRaised, kT0 + 2);
    ASSERT_FALSE(again.is_ok());
    EXPECT_EQ(again.status().reason(), "concern_changed");
    core::Concern ghost = *c;
    ghost.id = id + 1000;
    auto missing = s.concerns.update_state(ghost, core::ConcernState::kRaised, kT0 + 2);
    ASSERT_FALSE(missing.is_ok());
    EXPECT_EQ(missing.status().reason(), "concern_not_found");
  });
  commit([&](core::Stores& s) {
    auto c = s.concerns.find(id);
    ASSERT_TRUE(c.is_ok() && c->has_value());
    EXPECT_EQ((*c)->state, core::ConcernState::kAcknowledged);
    EXPECT_FALSE((*c)->escalated_at.has_value());
  });
}

TEST_P(ConcernCheckinStoreTest, StaffOrderPutsOpenUrgentConcernsFirst) {
  commit([&](core::Stores& s) {
    auto routine = s.concerns.create(concern(core::ConcernUrgency::kRoutine, "a"), kT0);
    auto urgent = s.concerns.create(concern(core::ConcernUrgency::kUrgent, "b"), kT0 + 10);
    auto closed = s.concerns.create(concern(core::ConcernUrgency::kUrgent, "c"), kT0 - 10);
    auto soon = s.concerns.create(concern(core::ConcernUrgency::kSoon, "d"), kT0 + 20);
    ASSERT_TRUE(routine.is_ok() && urgent.is_ok() && closed.is_ok() && soon.is_ok());
    ASSERT_TRUE(s.concerns
                    .update_state(core::resolved(*closed, core::ConcernOutcome::kResolved, kT0),
                                  core::ConcernState::kRaised, kT0)
                    .is_ok());
    auto all = s.concerns.list_by_scheme(schemeid_, false, core::Page{});
    ASSERT_TRUE(all.is_ok()) << all.status().to_string();
    ASSERT_EQ(all->size(), 4u);
    EXPECT_EQ((*all)[0].id, urgent->id);
    EXPECT_EQ((*all)[1].id, soon->id);
    EXPECT_EQ((*all)[2].id, routine->id);
    EXPECT_EQ((*all)[3].id, closed->id);
    // The SQL order is the one core::concern_list_order defines.
    std::vector<core::Concern> sorted = *all;
    std::sort(sorted.begin(), sorted.end(), core::concern_list_order);
    for (std::size_t i = 0; i < sorted.size(); ++i) EXPECT_EQ(sorted[i].id, (*all)[i].id);
    auto open = s.concerns.list_by_scheme(schemeid_, true, core::Page{2, 1});
    ASSERT_TRUE(open.is_ok());
    ASSERT_EQ(open->size(), 2u);
    EXPECT_EQ((*open)[0].id, soon->id);
    EXPECT_EQ(s.concerns.count_by_scheme(schemeid_, true).value(), 3);
    EXPECT_EQ(s.concerns.count_by_scheme(schemeid_, false).value(), 4);
    auto mine = s.concerns.list_raised_by(mentee_);
    ASSERT_TRUE(mine.is_ok());
    ASSERT_EQ(mine->size(), 4u);
    EXPECT_EQ((*mine)[0].id, soon->id);  // newest first
    EXPECT_TRUE(s.concerns.list_raised_by(mentor_)->empty());
  });
}

TEST_P(ConcernCheckinStoreTest, ConcernForAMissingPairingIsRefused) {
  Status st = db_->transact([&](core::Stores& s) -> Status {
    core::Concern c = concern(core::ConcernUrgency::kRoutine, "x");
    c.pairingid = pairingid_ + 99;
    auto r = s.concerns.create(c, kT0);
    EXPECT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().reason(), "pairing_not_found");
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
}

TEST_P(ConcernCheckinStoreTest, CheckinIsStoredOncePerPersonPairingAndPhase) {
  core::CheckinResponse r;
  r.pairingid = pairingid_;
  r.cohortid = cohortid_;
  r.accountid = mentee_;
  r.role = core::Role::kMentee;
  r.phase = core::CheckinPhase::kMidpoint;
  r.answers = core::CheckinAnswers{core::CheckinWorking::kPartly, core::CheckinFrequency::kLessOften, 3,
                                   core::WouldContinue::kUnsure, "Hard to find time on nights."};
  commit([&](core::Stores& s) {
    auto created = s.checkins.create(r, kT0);
    ASSERT_TRUE(created.is_ok()) << created.status().to_string();
    auto dup = s.checkins.create(r, kT0 + 1);
    ASSERT_FALSE(dup.is_ok());
    EXPECT_EQ(dup.status().reason(), "checkin_exists");
    core::CheckinResponse end = r;
    end.phase = core::CheckinPhase::kEnd;
    auto missing = s.checkins.update(end, kT0 + 2);
    ASSERT_FALSE(missing.is_ok());
    EXPECT_EQ(missing.status().reason(), "checkin_not_found");
    core::CheckinResponse mentor = r;
    mentor.accountid = mentor_;
    mentor.role = core::Role::kMentor;
    mentor.answers.working = core::CheckinWorking::kYes;
    ASSERT_TRUE(s.checkins.create(mentor, kT0 + 3).is_ok());
  });
  commit([&](core::Stores& s) {
    core::CheckinResponse changed = r;
    changed.answers.working = core::CheckinWorking::kNo;
    changed.answers.goals_progress = 1;
    changed.answers.comments = "";
    auto u = s.checkins.update(changed, kT0 + 50);
    ASSERT_TRUE(u.is_ok()) << u.status().to_string();
    EXPECT_EQ(u->timecreated, kT0);
    EXPECT_EQ(u->timemodified, kT0 + 50);
    auto found = s.checkins.find(pairingid_, mentee_, core::CheckinPhase::kMidpoint);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->answers.working, core::CheckinWorking::kNo);
    EXPECT_EQ((*found)->answers.frequency, core::CheckinFrequency::kLessOften);
    EXPECT_EQ((*found)->answers.goals_progress, 1);
    EXPECT_EQ((*found)->answers.would_continue, core::WouldContinue::kUnsure);
    EXPECT_EQ((*found)->answers.comments, "");
    EXPECT_FALSE(s.checkins.find(pairingid_, mentee_, core::CheckinPhase::kEnd)->has_value());
    auto cohort = s.checkins.list_by_cohort(cohortid_);
    ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
    EXPECT_EQ(cohort->size(), 2u);
    auto mine = s.checkins.list_by_account(mentor_);
    ASSERT_TRUE(mine.is_ok());
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->front().role, core::Role::kMentor);
    auto parts = s.checkins.pairings_of_account(mentor_);
    ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
    ASSERT_EQ(parts->size(), 1u);
    EXPECT_EQ(parts->front().pairingid, pairingid_);
    EXPECT_EQ(parts->front().role, core::Role::kMentor);
    EXPECT_TRUE(s.checkins.pairings_of_account(poc_)->empty());
  });
}

TEST_P(ConcernCheckinStoreTest, OutOfRangeGoalsProgressIsRefusedByTheSchema) {
  core::CheckinResponse r;
  r.pairingid = pairingid_;
  r.cohortid = cohortid_;
  r.accountid = mentee_;
  r.answers.goals_progress = 9;  // bypasses core::validate on purpose
  Status st = db_->transact([&](core::Stores& s) -> Status { return s.checkins.create(r, kT0).status(); });
  EXPECT_FALSE(st.is_ok());
  commit([&](core::Stores& s) { EXPECT_TRUE(s.checkins.list_by_cohort(cohortid_)->empty()); });
}

TEST_P(ConcernCheckinStoreTest, DeletingAConcernTakesItsHistory) {
  std::int64_t id = 0;
  commit([&](core::Stores& s) {
    auto c = s.concerns.create(concern(core::ConcernUrgency::kRoutine, "x"), kT0);
    ASSERT_TRUE(c.is_ok());
    id = c->id;
    ASSERT_TRUE(s.concerns.add_action({0, id, poc_, core::ConcernActionKind::kNote, "n", 0}, kT0).is_ok());
  });
  // What an erasure does (storage/privacy_store.cc): delete the person's concerns.
  const std::string prefix = settings_.table_prefix;
  Status st = db_->with_session([&](soci::session& sql) {
    sql << "DELETE FROM " + prefix + "concerns WHERE raised_by = :a", soci::use(mentee_);
    int left = -1;
    sql << "SELECT count(*) FROM " + prefix + "concern_actions WHERE concernid = :c", soci::use(id), soci::into(left);
    EXPECT_EQ(left, 0);
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcernCheckinStoreTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
