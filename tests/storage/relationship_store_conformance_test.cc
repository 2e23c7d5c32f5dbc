// The relationship store port (core/relationship/relationship_stores.h) on
// SQLite and, when configured, PostgreSQL: acceptances once per person and
// version, meetings change state only from the state read, private notes
// belong to their author, goals, protected time, the engagement figures, and
// a reminder key claimed exactly once even by racing connections.
#include <atomic>
#include <barrier>
#include <thread>

#include "core/matching_stores.h"
#include "core/relationship/relationship_stores.h"
#include "storage/relationship_soci_store.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using core::Status;
using testing::BackendTest;
namespace rel = core::relationship;

constexpr core::UnixSeconds kT0 = 1780000000;  // 2026-05-28 20:26:40 UTC
constexpr core::UnixSeconds kDay = 86400;

class RelationshipStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    settings_.busy_timeout_ms = 60000;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    commit([&](core::Stores& s) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kTraditional, "Support", core::SchemePhase::kPilot},
          kT0);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      schemeid_ = scheme->id;
      cohortid_ = make_cohort(s, "August 2026");
      other_cohortid_ = make_cohort(s, "February 2027");
      mentee_ = enrol(s, cohortid_, "mentee", core::Role::kMentee, "Dr Aisha Okafor", "aisha@example.nhs.uk");
      mentor_ = enrol(s, cohortid_, "mentor", core::Role::kMentor, "Dr Ben Hughes", "");
      ASSERT_TRUE(s.pairings.sync_place(cohortid_, mentor_.enrolment, 2, kT0).is_ok());
      auto p = s.pairings.create_active({cohortid_, mentee_.enrolment, mentor_.enrolment,
                                         core::PairingSource::kAdmin, std::nullopt},
                                        kT0 + kDay);
      ASSERT_TRUE(p.is_ok()) << p.status().to_string();
      pairing_ = p->id;
    });
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  std::int64_t make_cohort(core::Stores& s, const char* name) {
    core::CohortInput c;
    c.schemeid = schemeid_;
    c.name = name;
    c.opens_on = *core::Date::parse("2026-05-01");
    c.closes_on = *core::Date::parse("2026-08-05");
    c.starts_on = *core::Date::parse("2026-08-05");
    c.ends_on = *core::Date::parse("2027-08-04");
    c.matching_model = core::MatchingModel::kAssigned;
    auto cohort = s.schemes.create_cohort(c, kT0);
    EXPECT_TRUE(cohort.is_ok()) << cohort.status().to_string();
    return cohort ? cohort->id : 0;
  }

  struct Person {
    std::int64_t account = 0, enrolment = 0;
  };
  Person enrol(core::Stores& s, std::int64_t cohortid, const std::string& subject, core::Role role,
               const std::string& name, const std::string& email) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, name, email}, kT0);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    auto e = s.enrolments.create(cohortid, a->id, role, kT0);
    EXPECT_TRUE(e.is_ok()) << e.status().to_string();
    return {a->id, e ? e->id : 0};
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  rel::Meeting meeting(core::UnixSeconds starts, int minutes = 60) {
    rel::Meeting m;
    m.pairingid = pairing_;
    m.booked_by = mentee_.account;
    m.starts_at = starts;
    m.minutes = minutes;
    m.mode = rel::MeetingMode::kVideo;
    m.link = "https://meet.example.nhs.uk/abc";
    m.topics = "Portfolio; first rotation";
    return m;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t schemeid_ = 0, cohortid_ = 0, other_cohortid_ = 0, pairing_ = 0;
  Person mentee_, mentor_;
};

TEST_P(RelationshipStoreTest, PartiesNameBothAccountsAndTheScheme) {
  commit([&](core::Stores& s) {
    auto p = s.relationships.parties(pairing_);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    ASSERT_TRUE(p->has_value());
    EXPECT_EQ((*p)->schemeid, schemeid_);
    EXPECT_EQ((*p)->mentee_accountid, mentee_.account);
    EXPECT_EQ((*p)->mentor_accountid, mentor_.account);
    EXPECT_EQ((*p)->mentee_name, "Dr Aisha Okafor");
    EXPECT_EQ((*p)->mentee_email, "aisha@example.nhs.uk");
    EXPECT_EQ((*p)->mentor_email, "");
    EXPECT_EQ((*p)->pairing.state, core::PairingState::kActive);
    auto none = s.relationships.parties(999999);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());

    for (std::int64_t account : {mentee_.account, mentor_.account}) {
      auto mine = s.relationships.pairings_of_account(account);
      ASSERT_TRUE(mine.is_ok()) << mine.status().to_string();
      ASSERT_EQ(mine->size(), 1u);
      EXPECT_EQ(mine->front().pairing.id, pairing_);
    }
    Person stranger = enrol(s, cohortid_, "stranger", core::Role::kMentee, "Dr Other", "");
    auto theirs = s.relationships.pairings_of_account(stranger.account);
    ASSERT_TRUE(theirs.is_ok());
    EXPECT_TRUE(theirs->empty());
  });
}

TEST_P(RelationshipStoreTest, EachPersonAcceptsEachVersionOnce) {
  commit([&](core::Stores& s) {
    core::AgreementAcceptance a{0, pairing_, 1, mentee_.account, kT0 + 2 * kDay};
    auto first = s.relationships.add_acceptance(a, kT0 + 2 * kDay);
    ASSERT_TRUE(first.is_ok()) << first.status().to_string();
    EXPECT_GT(first->id, 0);
    auto again = s.relationships.add_acceptance(a, kT0 + 3 * kDay);
    ASSERT_FALSE(again.is_ok());
    EXPECT_EQ(again.status().code(), Code::kAlreadyExists);
    EXPECT_EQ(again.status().reason(), "agreement_already_accepted");
    a.template_version = 2;
    ASSERT_TRUE(s.relationships.add_acceptance(a, kT0 + 4 * kDay).is_ok());
    a.accepted_by = mentor_.account;
    ASSERT_TRUE(s.relationships.add_acceptance(a, kT0 + 5 * kDay).is_ok());
    a.pairingid = 999999;
    EXPECT_EQ(s.relationships.add_acceptance(a, kT0).status().reason(), "pairing_not_found");
  });
  // The refused duplicate left the transaction usable (PostgreSQL aborts a
  // transaction on a unique violation; ON CONFLICT avoids raising one).
  commit([&](core::Stores& s) {
    auto list = s.relationships.acceptances(pairing_);
    ASSERT_TRUE(list.is_ok()) << list.status().to_string();
    ASSERT_EQ(list->size(), 3u);
    EXPECT_EQ((*list)[0].template_version, 1);
    EXPECT_EQ((*list)[2].accepted_by, mentor_.account);
    EXPECT_EQ(core::agreement_status(*list, mentee_.account, mentor_.account, 2), core::AgreementStatus::kAccepted);
  });
}

TEST_P(RelationshipStoreTest, MeetingsRoundTripAndChangeOnlyFromTheStateRead) {
  std::int64_t id = 0;
  commit([&](core::Stores& s) {
    auto m = s.relationships.create_meeting(meeting(kT0 + 10 * kDay), kT0);
    ASSERT_TRUE(m.is_ok()) << m.status().to_string();
    id = m->id;
    EXPECT_EQ(m->state, rel::MeetingState::kBooked);
    EXPECT_EQ(m->link, "https://meet.example.nhs.uk/abc");
    EXPECT_EQ(m->topics, "Portfolio; first rotation");
    EXPECT_FALSE(m->recorded_by.has_value());
    EXPECT_EQ(m->timecreated, kT0);
  });
  commit([&](core::Stores& s) {
    auto m = s.relationships.find_meeting(id);
    ASSERT_TRUE(m.is_ok() && m->has_value());
    rel::Meeting held = **m;
    held.state = rel::MeetingState::kHeld;
    held.agreed_actions = "Draft the reflection by Friday.";
    held.recorded_by = mentor_.account;
    held.recorded_at = kT0 + 10 * kDay + 3600;
    auto done = s.relationships.update_meeting(held, rel::MeetingState::kBooked, kT0 + 11 * kDay);
    ASSERT_TRUE(done.is_ok()) << done.status().to_string();
    EXPECT_EQ(done->state, rel::MeetingState::kHeld);
    EXPECT_EQ(done->agreed_actions, "Draft the reflection by Friday.");
    EXPECT_EQ(done->recorded_by, mentor_.account);
    EXPECT_EQ(done->timemodified, kT0 + 11 * kDay);
    // A second change made from the old state is refused.
    held.state = rel::MeetingState::kCancelled;
    auto late = s.relationships.update_meeting(held, rel::MeetingState::kBooked, kT0 + 12 * kDay);
    EXPECT_EQ(late.status().code(), Code::kConflict);
    EXPECT_EQ(late.status().reason(), "meeting_changed");
    held.id = 999999;
    EXPECT_EQ(s.relationships.update_meeting(held, rel::MeetingState::kBooked, kT0).status().reason(),
              "meeting_not_found");
  });
  commit([&](core::Stores& s) {
    auto m = s.relationships.find_meeting(id);
    ASSERT_TRUE(m.is_ok() && m->has_value());
    EXPECT_EQ((*m)->state, rel::MeetingState::kHeld);
    auto none = s.relationships.find_meeting(999999);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
  });
}

TEST_P(RelationshipStoreTest, MeetingsOfAPersonAreFoundAcrossPairingsByTime) {
  commit([&](core::Stores& s) {
    // The mentor has a second mentee.
    Person second = enrol(s, cohortid_, "mentee2", core::Role::kMentee, "Dr Chloe Evans", "");
    auto p2 = s.pairings.create_active({cohortid_, second.enrolment, mentor_.enrolment, core::PairingSource::kAdmin,
                                        std::nullopt},
                                       kT0);
    ASSERT_TRUE(p2.is_ok()) << p2.status().to_string();
    rel::Meeting other = meeting(kT0 + 20 * kDay, 120);
    other.pairingid = p2->id;
    ASSERT_TRUE(s.relationships.create_meeting(other, kT0).is_ok());
    rel::Meeting cancelled = meeting(kT0 + 30 * kDay);
    cancelled.state = rel::MeetingState::kCancelled;
    ASSERT_TRUE(s.relationships.create_meeting(cancelled, kT0).is_ok());

    // An hour that starts inside the two-hour meeting finds it; one after it does not.
    auto found = s.relationships.meetings_of_account_between(mentor_.account, kT0 + 20 * kDay + 3600,
                                                             kT0 + 20 * kDay + 7200);
    ASSERT_TRUE(found.is_ok()) << found.status().to_string();
    ASSERT_EQ(found->size(), 1u);
    EXPECT_EQ(found->front().pairingid, p2->id);
    auto after = s.relationships.meetings_of_account_between(mentor_.account, kT0 + 20 * kDay + 7200,
                                                             kT0 + 20 * kDay + 10800);
    ASSERT_TRUE(after.is_ok());
    EXPECT_TRUE(after->empty());
    // The first mentee was not in that meeting.
    auto mentee = s.relationships.meetings_of_account_between(mentee_.account, kT0 + 20 * kDay, kT0 + 21 * kDay);
    ASSERT_TRUE(mentee.is_ok());
    EXPECT_TRUE(mentee->empty());
    // Cancelled meetings free their time.
    auto freed = s.relationships.meetings_of_account_between(mentee_.account, kT0 + 30 * kDay, kT0 + 31 * kDay);
    ASSERT_TRUE(freed.is_ok());
    EXPECT_TRUE(freed->empty());
  });
}

TEST_P(RelationshipStoreTest, APrivateNoteIsKeptPerAuthorAndReplacedOnSave) {
  commit([&](core::Stores& s) {
    auto m = s.relationships.create_meeting(meeting(kT0 + 10 * kDay), kT0);
    ASSERT_TRUE(m.is_ok());
    ASSERT_TRUE(s.relationships.save_note(m->id, mentee_.account, "Felt nervous about nights.", kT0).is_ok());
    ASSERT_TRUE(s.relationships.save_note(m->id, mentor_.account, "Suggest the rota coordinator.", kT0).is_ok());
    ASSERT_TRUE(s.relationships.save_note(m->id, mentee_.account, "Less nervous now.", kT0 + 1).is_ok());
    auto mine = s.relationships.notes_by(pairing_, mentee_.account);
    ASSERT_TRUE(mine.is_ok()) << mine.status().to_string();
    ASSERT_EQ(mine->size(), 1u);
    EXPECT_EQ(mine->at(m->id), "Less nervous now.");
    auto theirs = s.relationships.notes_by(pairing_, mentor_.account);
    ASSERT_TRUE(theirs.is_ok());
    EXPECT_EQ(theirs->at(m->id), "Suggest the rota coordinator.");
    EXPECT_EQ(s.relationships.save_note(999999, mentee_.account, "x", kT0).reason(), "meeting_not_found");
  });
}

TEST_P(RelationshipStoreTest, GoalsAndTheirNotesRoundTrip) {
  commit([&](core::Stores& s) {
    rel::Goal g;
    g.pairingid = pairing_;
    g.accountid = mentee_.account;
    g.title = "Pass MRCP Part 1";
    g.specific = "Sit the January paper.";
    g.measurable = "A pass letter.";
    g.target_on = *core::Date::parse("2027-01-31");
    g.review_on = *core::Date::parse("2026-10-01");
    auto a = s.relationships.create_goal(g, kT0);
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    g.title = "Write a QI project";
    g.review_on.reset();
    g.target_on = *core::Date::parse("2026-12-01");
    auto b = s.relationships.create_goal(g, kT0);
    ASSERT_TRUE(b.is_ok());
    EXPECT_FALSE(b->review_on.has_value());
    rel::Goal done = *a;
    done.status = rel::GoalStatus::kAchieved;
    auto changed = s.relationships.update_goal(done, kT0 + kDay);
    ASSERT_TRUE(changed.is_ok()) << changed.status().to_string();
    EXPECT_EQ(changed->status, rel::GoalStatus::kAchieved);
    EXPECT_EQ(changed->review_on, core::Date::parse("2026-10-01"));
    auto list = s.relationships.goals(pairing_);
    ASSERT_TRUE(list.is_ok());
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].title, "Write a QI project");  // open first
    EXPECT_EQ((*list)[1].status, rel::GoalStatus::kAchieved);
    ASSERT_TRUE(s.relationships.add_goal_note({0, b->id, mentor_.account, "Chose an audit topic.", 0}, kT0).is_ok());
    ASSERT_TRUE(s.relationships.add_goal_note({0, a->id, mentee_.account, "Passed!", 0}, kT0 + 5).is_ok());
    auto notes = s.relationships.goal_notes(pairing_);
    ASSERT_TRUE(notes.is_ok());
    ASSERT_EQ(notes->size(), 2u);
    EXPECT_EQ((*notes)[0].text, "Chose an audit topic.");
    EXPECT_EQ((*notes)[1].goalid, a->id);
    done.id = 999999;
    EXPECT_EQ(s.relationships.update_goal(done, kT0).status().reason(), "goal_not_found");
    EXPECT_EQ(s.relationships.add_goal_note({0, 999999, mentee_.account, "x", 0}, kT0).status().reason(),
              "goal_not_found");
  });
}

TEST_P(RelationshipStoreTest, ProtectedTimeIsListedNewestDayFirst) {
  commit([&](core::Stores& s) {
    rel::ProtectedTime e{0, pairing_, mentee_.account, core::Role::kMentee, *core::Date::parse("2026-06-01"), 60, 0};
    ASSERT_TRUE(s.relationships.add_protected_time(e, kT0).is_ok());
    e.accountid = mentor_.account;
    e.role = core::Role::kMentor;
    e.used_on = *core::Date::parse("2026-06-03");
    e.minutes = 45;
    ASSERT_TRUE(s.relationships.add_protected_time(e, kT0).is_ok());
    auto list = s.relationships.protected_time(pairing_);
    ASSERT_TRUE(list.is_ok()) << list.status().to_string();
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].role, core::Role::kMentor);
    EXPECT_EQ((*list)[0].used_on.to_string(), "2026-06-03");
    const rel::ProtectedTimeTotals t = rel::totals(*list);
    EXPECT_EQ(t.mentee_minutes, 60);
    EXPECT_EQ(t.mentor_minutes, 45);
    EXPECT_EQ(t.total_minutes(), 105);
  });
}

TEST_P(RelationshipStoreTest, ActivityAndCountsComeFromPairingsAndHeldMeetings) {
  commit([&](core::Stores& s) {
    for (int day : {5, 35}) {
      rel::Meeting m = meeting(kT0 + day * kDay);
      m.state = rel::MeetingState::kHeld;
      ASSERT_TRUE(s.relationships.create_meeting(m, kT0).is_ok());
    }
    rel::Meeting missed = meeting(kT0 + 50 * kDay);
    missed.state = rel::MeetingState::kMissed;
    ASSERT_TRUE(s.relationships.create_meeting(missed, kT0).is_ok());
    ASSERT_TRUE(s.relationships.create_meeting(meeting(kT0 + 70 * kDay), kT0).is_ok());
    ASSERT_TRUE(s.relationships.create_meeting(meeting(kT0 + 90 * kDay), kT0).is_ok());
    // An ended, completed pairing in the same cohort, and a mentee who was never matched.
    Person second = enrol(s, cohortid_, "mentee2", core::Role::kMentee, "Dr Chloe Evans", "");
    auto p2 = s.pairings.create_active({cohortid_, second.enrolment, mentor_.enrolment, core::PairingSource::kAdmin,
                                        std::nullopt},
                                       kT0);
    ASSERT_TRUE(p2.is_ok());
    rel::Meeting theirs = meeting(kT0 + 6 * kDay);
    theirs.pairingid = p2->id;
    theirs.state = rel::MeetingState::kHeld;
    ASSERT_TRUE(s.relationships.create_meeting(theirs, kT0).is_ok());
    ASSERT_TRUE(s.pairings.end(p2->id, core::EndReason::kCompleted, core::EndedBy::kAdmin, "", kT0 + 60 * kDay).is_ok());
    enrol(s, cohortid_, "mentee3", core::Role::kMentee, "Dr Dev Patel", "");
    enrol(s, other_cohortid_, "mentee4", core::Role::kMentee, "Dr Elin Jones", "");

    auto activity = s.relationships.active_activity(cohortid_, kT0 + 60 * kDay);
    ASSERT_TRUE(activity.is_ok()) << activity.status().to_string();
    ASSERT_EQ(activity->size(), 1u);
    const auto& a = activity->front();
    EXPECT_EQ(a.pairingid, pairing_);
    EXPECT_EQ(a.menteeid, mentee_.account);
    EXPECT_EQ(a.mentorid, mentor_.account);
    EXPECT_EQ(a.matched_on, core::Date::from_unix(kT0 + kDay));
    EXPECT_EQ(a.enrolled_on, core::Date::from_unix(kT0));
    ASSERT_EQ(a.meetings_held.size(), 2u);
    EXPECT_EQ(a.meetings_held[1], core::Date::from_unix(kT0 + 35 * kDay));
    EXPECT_EQ(a.next_meeting_on, core::Date::from_unix(kT0 + 70 * kDay));
    auto everywhere = s.relationships.active_activity(0, kT0 + 60 * kDay);
    ASSERT_TRUE(everywhere.is_ok());
    EXPECT_EQ(everywhere->size(), 1u);
    auto elsewhere = s.relationships.active_activity(other_cohortid_, kT0);
    ASSERT_TRUE(elsewhere.is_ok());
    EXPECT_TRUE(elsewhere->empty());

    auto c = s.relationships.engagement_counts(schemeid_, cohortid_);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    EXPECT_EQ(c->mentees_enrolled, 3);
    EXPECT_EQ(c->mentees_matched, 2);
    EXPECT_EQ(c->pairings_completed, 1);
    EXPECT_EQ(c->meetings_held, 3);
    auto whole = s.relationships.engagement_counts(schemeid_, 0);
    ASSERT_TRUE(whole.is_ok());
    EXPECT_EQ(whole->mentees_enrolled, 4);
    EXPECT_EQ(whole->meetings_held, 3);
    auto other_scheme = s.relationships.engagement_counts(schemeid_ + 1000, 0);
    ASSERT_TRUE(other_scheme.is_ok());
    EXPECT_EQ(other_scheme->mentees_enrolled, 0);
  });
}

TEST_P(RelationshipStoreTest, AReminderKeyIsClaimedOnceAcrossRacingConnections) {
  core::evaluation::Nudge n;
  n.pairingid = pairing_;
  n.kind = core::evaluation::NudgeKind::kNoFirstMeetingReminder;
  n.due_on = *core::Date::parse("2026-06-18");
  n.key = "pairing:" + std::to_string(pairing_) + ":no_first_meeting_reminder:2026-06-18";
  constexpr int kThreads = 6;
  std::atomic<int> claimed{0}, refused{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&] {
      start.arrive_and_wait();
      Status st = db_->transact([&](core::Stores& s) -> Status {
        auto r = s.relationships.record_nudge(n, kT0);
        if (!r) return r.status();
        (*r ? claimed : refused)++;
        return Status::ok();
      });
      if (!st) ADD_FAILURE() << st.to_string();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(claimed.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
  commit([&](core::Stores& s) {
    auto count = s.relationships.count_nudges(pairing_);
    ASSERT_TRUE(count.is_ok());
    EXPECT_EQ(*count, 1);
    EXPECT_TRUE(s.relationships.link_nudge(n.key, 77, kT0 + 1).is_ok());
    EXPECT_EQ(s.relationships.link_nudge("pairing:0:none:2026-01-01", 77, kT0).reason(), "nudge_not_found");
    // A new quiet spell has a new key.
    n.due_on = *core::Date::parse("2026-09-01");
    n.key = "pairing:" + std::to_string(pairing_) + ":gone_quiet_reminder:2026-09-01";
    n.kind = core::evaluation::NudgeKind::kGoneQuietReminder;
    auto second = s.relationships.record_nudge(n, kT0);
    ASSERT_TRUE(second.is_ok());
    EXPECT_TRUE(*second);
  });
}

TEST_P(RelationshipStoreTest, LockingThePeopleOfABookingChangesNothing) {
  core::UnixSeconds before = 0;
  commit([&](core::Stores& s) {
    before = (*s.accounts.find(mentee_.account))->timemodified;
    ASSERT_TRUE(s.relationships.lock_people(mentor_.account, mentee_.account).is_ok());
    ASSERT_TRUE(s.relationships.lock_people(mentee_.account, mentee_.account).is_ok());
  });
  commit([&](core::Stores& s) {
    auto a = s.accounts.find(mentee_.account);
    ASSERT_TRUE(a.is_ok() && a->has_value());
    EXPECT_EQ((*a)->timemodified, before);
    EXPECT_EQ((*a)->display_name, "Dr Aisha Okafor");
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, RelationshipStoreTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
