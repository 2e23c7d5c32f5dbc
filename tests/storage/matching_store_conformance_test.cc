// The matching store ports (core/matching_stores.h) on SQLite and, when
// configured, PostgreSQL: what goes in comes back out, conditional changes
// happen only from the right state, and, with many connections racing, a
// mentor is never given more mentees than places and a cohort never has two
// runs at once.
#include <soci/soci.h>

#include <atomic>
#include <barrier>
#include <thread>

#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "storage/matching_soci_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;
constexpr core::UnixSeconds kWeek = 7 * 86400;

class MatchingStoreTest : public BackendTest {
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
    c.opens_on = *core::Date::parse("2026-06-01");
    c.closes_on = *core::Date::parse("2026-08-05");
    c.starts_on = *core::Date::parse("2026-08-05");
    c.ends_on = *core::Date::parse("2027-08-04");
    c.matching_model = core::MatchingModel::kMenteeChoice;
    auto cohort = s.schemes.create_cohort(c, kT0);
    EXPECT_TRUE(cohort.is_ok()) << cohort.status().to_string();
    return cohort ? cohort->id : 0;
  }

  // An account enrolled in `cohortid` with `role`; returns the enrolment id.
  std::int64_t enrol(core::Stores& s, std::int64_t cohortid, const std::string& subject, core::Role role,
                     const std::string& name = "") {
    auto a = s.accounts.upsert(
        core::AccountInput{"https://portal.example.nhs.uk", subject, name.empty() ? subject : name, ""}, kT0);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    auto e = s.enrolments.create(cohortid, a->id, role, kT0);
    EXPECT_TRUE(e.is_ok()) << e.status().to_string();
    return e ? e->id : 0;
  }

  std::int64_t mentor_with_profile(core::Stores& s, const std::string& subject, int capacity,
                                   const std::string& specialty = "Paediatrics",
                                   const std::string& region = "North West",
                                   std::vector<std::string> expertise = {"teaching"}, const std::string& name = "") {
    const std::int64_t id = enrol(s, cohortid_, subject, core::Role::kMentor, name);
    auto e = s.enrolments.find(id);
    core::MentorProfile p;
    p.accountid = (*e)->accountid;
    p.specialty = specialty;
    p.region = region;
    p.expertise_areas = std::move(expertise);
    p.capacity = capacity;
    p.bio = "Consultant who enjoys supporting doctors in training.";
    auto saved = s.profiles.save_mentor(p, kT0);
    EXPECT_TRUE(saved.is_ok()) << saved.status().to_string();
    auto place = s.pairings.sync_place(cohortid_, id, capacity, kT0);
    EXPECT_TRUE(place.is_ok()) << place.status().to_string();
    return id;
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  core::MenteeRequest request(std::int64_t mentee, std::int64_t mentor, core::UnixSeconds expires = kT0 + kWeek) {
    core::MenteeRequest q;
    q.cohortid = cohortid_;
    q.menteeid = mentee;
    q.mentorid = mentor;
    q.message = "I would like help preparing for my first rotation.";
    q.expires_at = expires;
    return q;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t schemeid_ = 0, cohortid_ = 0;
};

TEST_P(MatchingStoreTest, PlaceSyncSetsCapacityAndKeepsTheActiveCount) {
  commit([&](core::Stores& s) {
    const std::int64_t mentor = mentor_with_profile(s, "m1", 2);
    const std::int64_t mentee = enrol(s, cohortid_, "e1", core::Role::kMentee);
    ASSERT_TRUE(
        s.pairings.create_active({cohortid_, mentee, mentor, core::PairingSource::kAdmin, std::nullopt}, kT0).is_ok());
    auto place = s.pairings.sync_place(cohortid_, mentor, 5, kT0 + 10);
    ASSERT_TRUE(place.is_ok()) << place.status().to_string();
    EXPECT_EQ(place->capacity, 5);
    EXPECT_EQ(place->active, 1);
    EXPECT_EQ(place->free(), 4);
    auto found = s.pairings.find_place(mentor);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->capacity, 5);
    auto listed = s.pairings.list_places(cohortid_);
    ASSERT_TRUE(listed.is_ok());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].mentorid, mentor);
    EXPECT_EQ(s.pairings.sync_place(cohortid_, 999999, 1, kT0).status().reason(), "enrolment_not_found");
    auto none = s.pairings.find_place(999999);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
  });
}

TEST_P(MatchingStoreTest, CreateActiveTakesPlacesAndRefusesAFullMentorOrAPairedMentee) {
  std::int64_t mentor = 0, a = 0, b = 0, other = 0;
  commit([&](core::Stores& s) {
    mentor = mentor_with_profile(s, "m1", 1);
    other = mentor_with_profile(s, "m2", 3);
    a = enrol(s, cohortid_, "e1", core::Role::kMentee);
    b = enrol(s, cohortid_, "e2", core::Role::kMentee);
  });
  commit([&](core::Stores& s) {
    auto p = s.pairings.create_active({cohortid_, a, mentor, core::PairingSource::kAssigned, std::nullopt}, kT0 + 1);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(p->state, core::PairingState::kActive);
    EXPECT_EQ(p->source, core::PairingSource::kAssigned);
    EXPECT_EQ(p->started_at, kT0 + 1);
    EXPECT_FALSE(p->runid.has_value());
    auto again = s.pairings.find(p->id);
    ASSERT_TRUE(again.is_ok() && again->has_value());
    EXPECT_EQ((*again)->menteeid, a);
    EXPECT_EQ((*again)->mentorid, mentor);
  });
  Status full = db_->transact([&](core::Stores& s) -> Status {
    return s.pairings.create_active({cohortid_, b, mentor, core::PairingSource::kAssigned, std::nullopt}, kT0).status();
  });
  EXPECT_EQ(full.reason(), "mentor_full");
  EXPECT_EQ(full.code(), Code::kConflict);
  Status paired = db_->transact([&](core::Stores& s) -> Status {
    return s.pairings.create_active({cohortid_, a, other, core::PairingSource::kAssigned, 77}, kT0).status();
  });
  EXPECT_EQ(paired.reason(), "mentee_already_paired");
  commit([&](core::Stores& s) {
    auto place = s.pairings.find_place(other);
    EXPECT_EQ((*place)->active, 0) << "a refused pairing must not take a place";
    auto active = s.pairings.list_by_cohort(cohortid_, core::PairingState::kActive, core::Page{});
    ASSERT_TRUE(active.is_ok());
    EXPECT_EQ(active->size(), 1u);
    auto mine = s.pairings.active_for_mentee(b);
    ASSERT_TRUE(mine.is_ok());
    EXPECT_FALSE(mine->has_value());
  });
}

TEST_P(MatchingStoreTest, EndingFreesThePlaceRecordsTheReasonAndHappensOnce) {
  std::int64_t mentor = 0, mentee = 0, id = 0;
  commit([&](core::Stores& s) {
    mentor = mentor_with_profile(s, "m1", 1);
    mentee = enrol(s, cohortid_, "e1", core::Role::kMentee);
    id = s.pairings.create_active({cohortid_, mentee, mentor, core::PairingSource::kChoice, std::nullopt}, kT0)->id;
  });
  commit([&](core::Stores& s) {
    auto ended = s.pairings.end(id, core::EndReason::kNotAGoodFit, core::EndedBy::kMentee, "Different goals", kT0 + 5);
    ASSERT_TRUE(ended.is_ok()) << ended.status().to_string();
    EXPECT_EQ(ended->state, core::PairingState::kEnded);
    EXPECT_EQ(ended->end_reason, core::EndReason::kNotAGoodFit);
    EXPECT_EQ(ended->ended_by, core::EndedBy::kMentee);
    EXPECT_EQ(ended->ended_at, kT0 + 5);
    EXPECT_EQ(ended->end_note, "Different goals");
    EXPECT_EQ((*s.pairings.find_place(mentor))->active, 0);
    auto ended_list = s.pairings.list_by_cohort(cohortid_, core::PairingState::kEnded, core::Page{});
    ASSERT_TRUE(ended_list.is_ok());
    EXPECT_EQ(ended_list->size(), 1u);
  });
  Status twice = db_->transact([&](core::Stores& s) {
    return s.pairings.end(id, core::EndReason::kCompleted, core::EndedBy::kAdmin, "", kT0).status();
  });
  EXPECT_EQ(twice.reason(), "pairing_not_active");
  Status missing = db_->transact([&](core::Stores& s) {
    return s.pairings.end(987654, core::EndReason::kCompleted, core::EndedBy::kAdmin, "", kT0).status();
  });
  EXPECT_EQ(missing.reason(), "pairing_not_found");
}

TEST_P(MatchingStoreTest, NotAGoodFitHistoryFollowsTheAccountsIntoALaterCohort) {
  commit([&](core::Stores& s) {
    const std::int64_t mentor = mentor_with_profile(s, "m1", 2);
    const std::int64_t mentee = enrol(s, cohortid_, "e1", core::Role::kMentee);
    const std::int64_t kept = enrol(s, cohortid_, "e2", core::Role::kMentee);
    auto p = s.pairings.create_active({cohortid_, mentee, mentor, core::PairingSource::kChoice, std::nullopt}, kT0);
    ASSERT_TRUE(s.pairings.end(p->id, core::EndReason::kNotAGoodFit, core::EndedBy::kMentor, "", kT0).is_ok());
    auto q = s.pairings.create_active({cohortid_, kept, mentor, core::PairingSource::kChoice, std::nullopt}, kT0);
    ASSERT_TRUE(s.pairings.end(q->id, core::EndReason::kCompleted, core::EndedBy::kAdmin, "", kT0).is_ok());

    const std::int64_t later = make_cohort(s, "February 2027");
    auto mentee_account = (*s.enrolments.find(mentee))->accountid;
    auto mentor_account = (*s.enrolments.find(mentor))->accountid;
    auto kept_account = (*s.enrolments.find(kept))->accountid;
    const std::int64_t e2 = s.enrolments.create(later, mentee_account, core::Role::kMentee, kT0)->id;
    const std::int64_t r2 = s.enrolments.create(later, mentor_account, core::Role::kMentor, kT0)->id;
    ASSERT_TRUE(s.enrolments.create(later, kept_account, core::Role::kMentee, kT0).is_ok());
    auto pairs = s.pairings.not_a_good_fit_pairs(later);
    ASSERT_TRUE(pairs.is_ok()) << pairs.status().to_string();
    ASSERT_EQ(pairs->size(), 1u);
    EXPECT_EQ((*pairs)[0], std::make_pair(e2, r2));
    auto same = s.pairings.not_a_good_fit_pairs(cohortid_);
    ASSERT_TRUE(same.is_ok());
    ASSERT_EQ(same->size(), 1u);
    EXPECT_EQ((*same)[0], std::make_pair(mentee, mentor));
  });
}

TEST_P(MatchingStoreTest, RequestsRoundTripAndAMenteeHasOnePendingRequest) {
  std::int64_t m1 = 0, m2 = 0, e1 = 0, e2 = 0, id = 0;
  commit([&](core::Stores& s) {
    m1 = mentor_with_profile(s, "m1", 1);
    m2 = mentor_with_profile(s, "m2", 1);
    e1 = enrol(s, cohortid_, "e1", core::Role::kMentee);
    e2 = enrol(s, cohortid_, "e2", core::Role::kMentee);
    auto q = request(e1, m1);
    q.source = core::RequestSource::kHybrid;
    auto made = s.pairings.create_request(q, kT0);
    ASSERT_TRUE(made.is_ok()) << made.status().to_string();
    id = made->id;
    EXPECT_EQ(made->state, core::RequestState::kPending);
    EXPECT_EQ(made->source, core::RequestSource::kHybrid);
    EXPECT_EQ(made->expires_at, kT0 + kWeek);
    EXPECT_EQ(made->message, q.message);
    EXPECT_FALSE(made->decided_at.has_value());
    ASSERT_TRUE(s.pairings.create_request(request(e2, m1), kT0 + 1).is_ok());
  });
  Status second =
      db_->transact([&](core::Stores& s) { return s.pairings.create_request(request(e1, m2), kT0).status(); });
  EXPECT_EQ(second.reason(), "request_already_pending");
  commit([&](core::Stores& s) {
    auto by_mentor = s.pairings.list_requests(cohortid_, 0, m1, core::RequestState::kPending, core::Page{});
    ASSERT_TRUE(by_mentor.is_ok());
    ASSERT_EQ(by_mentor->size(), 2u);
    EXPECT_EQ((*by_mentor)[0].menteeid, e2) << "newest first";
    auto by_mentee = s.pairings.list_requests(0, e1, 0, std::nullopt, core::Page{});
    ASSERT_EQ(by_mentee->size(), 1u);
    EXPECT_EQ((*by_mentee)[0].id, id);
    auto none = s.pairings.list_requests(cohortid_, 0, m2, std::nullopt, core::Page{});
    EXPECT_TRUE(none->empty());
    auto found = s.pairings.find_request(id);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->mentorid, m1);
  });
}

TEST_P(MatchingStoreTest, AcceptingMakesAPairingOnlyWhilePendingUnexpiredAndWithAPlace) {
  std::int64_t mentor = 0, e1 = 0, e2 = 0, e3 = 0, r1 = 0, r2 = 0, r3 = 0;
  commit([&](core::Stores& s) {
    mentor = mentor_with_profile(s, "m1", 1);
    e1 = enrol(s, cohortid_, "e1", core::Role::kMentee);
    e2 = enrol(s, cohortid_, "e2", core::Role::kMentee);
    e3 = enrol(s, cohortid_, "e3", core::Role::kMentee);
    r1 = s.pairings.create_request(request(e1, mentor), kT0)->id;
    r2 = s.pairings.create_request(request(e2, mentor), kT0)->id;
    r3 = s.pairings.create_request(request(e3, mentor, kT0 + 10), kT0)->id;
  });
  Status expired = db_->transact([&](core::Stores& s) { return s.pairings.accept_request(r3, kT0 + 10).status(); });
  EXPECT_EQ(expired.reason(), "request_not_pending");
  commit([&](core::Stores& s) {
    auto p = s.pairings.accept_request(r1, kT0 + 20);
    ASSERT_TRUE(p.is_ok()) << p.status().to_string();
    EXPECT_EQ(p->source, core::PairingSource::kChoice);
    EXPECT_EQ(p->menteeid, e1);
    auto q = s.pairings.find_request(r1);
    EXPECT_EQ((*q)->state, core::RequestState::kAccepted);
    EXPECT_EQ((*q)->pairingid, p->id);
    EXPECT_EQ((*q)->decided_at, kT0 + 20);
  });
  Status full = db_->transact([&](core::Stores& s) { return s.pairings.accept_request(r2, kT0 + 30).status(); });
  EXPECT_EQ(full.reason(), "mentor_full");
  Status again = db_->transact([&](core::Stores& s) { return s.pairings.accept_request(r1, kT0 + 30).status(); });
  EXPECT_EQ(again.reason(), "request_not_pending");
  Status missing = db_->transact([&](core::Stores& s) { return s.pairings.accept_request(424242, kT0).status(); });
  EXPECT_EQ(missing.reason(), "request_not_found");
  commit([&](core::Stores& s) {
    EXPECT_EQ((*s.pairings.find_request(r2))->state, core::RequestState::kPending)
        << "a refused accept changes nothing";
    EXPECT_EQ((*s.pairings.find_place(mentor))->active, 1);
  });
}

TEST_P(MatchingStoreTest, LapsingTouchesOnlyExpiredPendingRequestsAndClosingNeedsPending) {
  std::int64_t mentor = 0, r1 = 0, r2 = 0, r3 = 0;
  commit([&](core::Stores& s) {
    mentor = mentor_with_profile(s, "m1", 3);
    const std::int64_t e1 = enrol(s, cohortid_, "e1", core::Role::kMentee);
    const std::int64_t e2 = enrol(s, cohortid_, "e2", core::Role::kMentee);
    const std::int64_t e3 = enrol(s, cohortid_, "e3", core::Role::kMentee);
    r1 = s.pairings.create_request(request(e1, mentor, kT0 + 100), kT0)->id;
    r2 = s.pairings.create_request(request(e2, mentor, kT0 + 200), kT0)->id;
    r3 = s.pairings.create_request(request(e3, mentor, kT0 + 50), kT0)->id;
    auto withdrawn = s.pairings.close_request(r3, core::RequestState::kWithdrawn, kT0 + 1);
    ASSERT_TRUE(withdrawn.is_ok()) << withdrawn.status().to_string();
    EXPECT_EQ(withdrawn->state, core::RequestState::kWithdrawn);
  });
  commit([&](core::Stores& s) {
    auto n = s.pairings.lapse_requests(cohortid_, kT0 + 150);
    ASSERT_TRUE(n.is_ok()) << n.status().to_string();
    EXPECT_EQ(*n, 1);
    EXPECT_EQ((*s.pairings.find_request(r1))->state, core::RequestState::kLapsed);
    EXPECT_EQ((*s.pairings.find_request(r2))->state, core::RequestState::kPending);
    EXPECT_EQ((*s.pairings.find_request(r3))->state, core::RequestState::kWithdrawn);
    EXPECT_EQ(*s.pairings.lapse_requests(0, kT0 + 150), 0);
    auto declined = s.pairings.close_request(r2, core::RequestState::kDeclined, kT0 + 160);
    ASSERT_TRUE(declined.is_ok());
    EXPECT_EQ(declined->state, core::RequestState::kDeclined);
  });
  Status lapsed = db_->transact([&](core::Stores& s) {
    return s.pairings.close_request(r1, core::RequestState::kWithdrawn, kT0 + 200).status();
  });
  EXPECT_EQ(lapsed.reason(), "request_not_pending");
  Status wrong = db_->transact(
      [&](core::Stores& s) { return s.pairings.close_request(r2, core::RequestState::kAccepted, kT0).status(); });
  EXPECT_EQ(wrong.reason(), "request_state_invalid");
}

TEST_P(MatchingStoreTest, WaitingListKeepsArrivalOrderAndRefusesDuplicates) {
  std::int64_t mentor = 0, e1 = 0, e2 = 0;
  commit([&](core::Stores& s) {
    mentor = mentor_with_profile(s, "m1", 1);
    e1 = enrol(s, cohortid_, "e1", core::Role::kMentee);
    e2 = enrol(s, cohortid_, "e2", core::Role::kMentee);
    ASSERT_TRUE(s.pairings.add_waiting({0, cohortid_, e2, mentor, "first", 0}, kT0).is_ok());
    ASSERT_TRUE(s.pairings.add_waiting({0, cohortid_, e1, mentor, "second", 0}, kT0 + 1).is_ok());
  });
  Status dup = db_->transact([&](core::Stores& s) {
    return s.pairings.add_waiting({0, cohortid_, e1, mentor, "", 0}, kT0 + 2).status();
  });
  EXPECT_EQ(dup.reason(), "already_waiting");
  commit([&](core::Stores& s) {
    auto list = s.pairings.list_waiting(mentor);
    ASSERT_TRUE(list.is_ok());
    ASSERT_EQ(list->size(), 2u);
    EXPECT_EQ((*list)[0].menteeid, e2);
    EXPECT_EQ((*list)[0].message, "first");
    EXPECT_EQ((*list)[1].menteeid, e1);
    EXPECT_TRUE(*s.pairings.remove_waiting(mentor, e2));
    EXPECT_FALSE(*s.pairings.remove_waiting(mentor, e2));
    EXPECT_EQ(s.pairings.list_waiting(mentor)->size(), 1u);
  });
}

TEST_P(MatchingStoreTest, DirectorySearchesTextFiltersAndPages) {
  std::int64_t ana = 0, ben = 0, cat = 0;
  commit([&](core::Stores& s) {
    ana = mentor_with_profile(s, "m1", 1, "Paediatrics", "North West", {"teaching", "quality improvement"}, "Ana");
    ben = mentor_with_profile(s, "m2", 2, "Surgery", "London", {"leadership"}, "Ben");
    cat = mentor_with_profile(s, "m3", 1, "paediatrics", "London", {"research", "100%_sure"}, "Cat");
    enrol(s, cohortid_, "m4", core::Role::kMentor, "Dan");  // no profile: not listed
    const std::int64_t e1 = enrol(s, cohortid_, "e1", core::Role::kMentee);
    ASSERT_TRUE(s.pairings.create_active({cohortid_, e1, ana, core::PairingSource::kAdmin, std::nullopt}, kT0).is_ok());
  });
  commit([&](core::Stores& s) {
    core::DirectoryQuery q;
    q.cohortid = cohortid_;
    auto all = s.pairings.directory(q);
    ASSERT_TRUE(all.is_ok()) << all.status().to_string();
    EXPECT_EQ(all->total, 3);
    ASSERT_EQ(all->entries.size(), 3u);
    EXPECT_EQ(all->entries[0].display_name, "Ana");
    EXPECT_EQ(all->entries[0].active, 1);
    EXPECT_EQ(all->entries[0].capacity, 1);
    EXPECT_EQ(all->entries[0].profile.expertise_areas, (std::vector<std::string>{"teaching", "quality improvement"}));

    q.specialty = "PAEDIATRICS";
    auto paeds = s.pairings.directory(q);
    ASSERT_EQ(paeds->total, 2);
    q.free_only = true;
    auto free = s.pairings.directory(q);
    ASSERT_EQ(free->entries.size(), 1u);
    EXPECT_EQ(free->entries[0].mentorid, cat);

    core::DirectoryQuery text;
    text.cohortid = cohortid_;
    text.text = "Quality  TEACHING";
    auto found = s.pairings.directory(text);
    ASSERT_EQ(found->entries.size(), 1u);
    EXPECT_EQ(found->entries[0].mentorid, ana);
    text.text = "100%_";  // LIKE wildcards are matched literally
    auto literal = s.pairings.directory(text);
    ASSERT_EQ(literal->entries.size(), 1u);
    EXPECT_EQ(literal->entries[0].mentorid, cat);
    text.text = "10_";
    EXPECT_EQ(s.pairings.directory(text)->total, 0);

    core::DirectoryQuery region;
    region.cohortid = cohortid_;
    region.region = "london";
    region.page = core::Page{1, 1};
    auto page = s.pairings.directory(region);
    EXPECT_EQ(page->total, 2);
    ASSERT_EQ(page->entries.size(), 1u);
    EXPECT_EQ(page->entries[0].mentorid, cat);
    (void)ben;
  });
}

TEST_P(MatchingStoreTest, RunsAllowOneRunningPerCohortAndStoreTheirResults) {
  std::int64_t mentor = 0, mentee = 0, runid = 0;
  commit([&](core::Stores& s) {
    mentor = mentor_with_profile(s, "m1", 1);
    mentee = enrol(s, cohortid_, "e1", core::Role::kMentee);
    core::MatchingRunRecord r;
    r.cohortid = cohortid_;
    r.model = core::RunModel::kHybrid;
    r.parameters = "{\"model\":\"hybrid\"}";
    r.choice_deadline = kT0 + kWeek;
    auto begun = s.matching_runs.begin(r, kT0);
    ASSERT_TRUE(begun.is_ok()) << begun.status().to_string();
    runid = begun->id;
    EXPECT_EQ(begun->state, core::RunState::kRunning);
    EXPECT_EQ(begun->choice_deadline, kT0 + kWeek);
    EXPECT_FALSE(begun->parentid.has_value());
  });
  Status second = db_->transact([&](core::Stores& s) {
    core::MatchingRunRecord r;
    r.cohortid = cohortid_;
    return s.matching_runs.begin(r, kT0).status();
  });
  EXPECT_EQ(second.reason(), "matching_run_in_progress");
  commit([&](core::Stores& s) {
    core::Proposal p;
    p.menteeid = mentee;
    p.mentorid = mentor;
    p.score = 812;
    p.source = "optimal";
    p.explanation = "{\"score\":812}";
    Status st = s.matching_runs.finish(runid, "{\"mentees\":1}", {p}, {{mentee, mentor, 1, 812, true}}, kT0 + 3);
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    auto run = s.matching_runs.find(runid);
    ASSERT_TRUE(run.is_ok() && run->has_value());
    EXPECT_EQ((*run)->state, core::RunState::kReady);
    EXPECT_EQ((*run)->report, "{\"mentees\":1}");
    EXPECT_EQ((*run)->finished_at, kT0 + 3);
    auto proposals = s.matching_runs.proposals(runid);
    ASSERT_EQ(proposals->size(), 1u);
    EXPECT_EQ((*proposals)[0].score, 812);
    EXPECT_EQ((*proposals)[0].explanation, "{\"score\":812}");
    auto lists = s.matching_runs.shortlists(runid);
    ASSERT_EQ(lists->size(), 1u);
    EXPECT_TRUE((*lists)[0].strong);
    EXPECT_EQ((*lists)[0].rank, 1);
  });
  Status finished_twice =
      db_->transact([&](core::Stores& s) { return s.matching_runs.finish(runid, "", {}, {}, kT0); });
  EXPECT_EQ(finished_twice.reason(), "run_state_changed");
  commit([&](core::Stores& s) {
    auto published = s.matching_runs.transition(runid, core::RunState::kReady, core::RunState::kPublished, kT0 + 9);
    ASSERT_TRUE(published.is_ok());
    EXPECT_EQ(published->published_at, kT0 + 9);
    EXPECT_EQ(published->finished_at, kT0 + 3);
    core::MatchingRunRecord r;
    r.cohortid = cohortid_;
    r.parentid = runid;
    r.model = core::RunModel::kFallback;
    auto next = s.matching_runs.begin(r, kT0 + 10);
    ASSERT_TRUE(next.is_ok()) << next.status().to_string();
    EXPECT_EQ(next->parentid, runid);
    ASSERT_TRUE(s.matching_runs.fail(next->id, "engine refused", kT0 + 11).is_ok());
    EXPECT_EQ((*s.matching_runs.find(next->id))->error, "engine refused");
    auto runs = s.matching_runs.list_by_cohort(cohortid_);
    ASSERT_EQ(runs->size(), 2u);
    EXPECT_EQ((*runs)[0].id, next->id);
    EXPECT_EQ(*s.matching_runs.transition_all(cohortid_, core::RunState::kFailed, core::RunState::kDiscarded, kT0), 1);
    EXPECT_EQ(
        s.matching_runs.transition(999999, core::RunState::kReady, core::RunState::kPublished, kT0).status().reason(),
        "run_not_found");
  });
}

TEST_P(MatchingStoreTest, PinsAndBansReplaceEachOtherPerPair) {
  commit([&](core::Stores& s) {
    const std::int64_t mentor = mentor_with_profile(s, "m1", 1);
    const std::int64_t mentee = enrol(s, cohortid_, "e1", core::Role::kMentee);
    auto pin = s.matching_runs.set_rule({0, cohortid_, mentee, mentor, core::RuleKind::kPin, 0}, kT0);
    ASSERT_TRUE(pin.is_ok()) << pin.status().to_string();
    auto ban = s.matching_runs.set_rule({0, cohortid_, mentee, mentor, core::RuleKind::kBan, 0}, kT0 + 1);
    ASSERT_TRUE(ban.is_ok());
    EXPECT_EQ(ban->id, pin->id);
    auto rules = s.matching_runs.rules(cohortid_);
    ASSERT_EQ(rules->size(), 1u);
    EXPECT_EQ((*rules)[0].kind, core::RuleKind::kBan);
    EXPECT_TRUE(*s.matching_runs.remove_rule(cohortid_, mentee, mentor));
    EXPECT_FALSE(*s.matching_runs.remove_rule(cohortid_, mentee, mentor));
    EXPECT_EQ(s.matching_runs.set_rule({0, cohortid_, 999999, mentor, core::RuleKind::kPin, 0}, kT0).status().reason(),
              "enrolment_not_found");
  });
}

// The guarantee the whole mentee-choice model rests on: many mentors'
// acceptances racing on separate connections (as several plugin instances
// would) never give a mentor more mentees than places.
TEST_P(MatchingStoreTest, ConcurrentAcceptsOnSeparateConnectionsNeverOverfillAMentor) {
  constexpr int kThreads = 32;
  constexpr int kCapacity = 3;
  std::int64_t mentor = 0;
  std::vector<std::int64_t> requests;
  commit([&](core::Stores& s) {
    mentor = mentor_with_profile(s, "m1", kCapacity);
    for (int i = 0; i < kThreads; ++i) {
      const std::int64_t e = enrol(s, cohortid_, "e" + std::to_string(i), core::Role::kMentee);
      requests.push_back(s.pairings.create_request(request(e, mentor), kT0)->id);
    }
  });
  std::vector<std::unique_ptr<SociDatabase>> dbs;
  ConnectionSettings one = settings_;
  one.pool_size = 1;
  for (int i = 0; i < kThreads; ++i) {
    auto db = open(one);
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    dbs.push_back(std::move(db).value());
  }
  std::atomic<int> accepted{0}, full{0}, other{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      Status st =
          dbs[i]->transact([&](core::Stores& s) { return s.pairings.accept_request(requests[i], kT0 + 1).status(); });
      if (st.is_ok()) {
        ++accepted;
      } else if (st.reason() == "mentor_full") {
        ++full;
      } else {
        ++other;
        ADD_FAILURE() << st.to_string();
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(accepted.load(), kCapacity);
  EXPECT_EQ(full.load(), kThreads - kCapacity);
  EXPECT_EQ(other.load(), 0);
  commit([&](core::Stores& s) {
    EXPECT_EQ((*s.pairings.find_place(mentor))->active, kCapacity);
    auto active = s.pairings.list_by_cohort(cohortid_, core::PairingState::kActive, core::Page{});
    EXPECT_EQ(active->size(), static_cast<std::size_t>(kCapacity));
    auto still = s.pairings.list_requests(cohortid_, 0, mentor, core::RequestState::kPending, core::Page{});
    EXPECT_EQ(still->size(), static_cast<std::size_t>(kThreads - kCapacity));
  });
}

// The same for one mentee: simultaneous direct pairings with different
// mentors leave the mentee with exactly one active pairing.
TEST_P(MatchingStoreTest, ConcurrentPairingsOfOneMenteeLeaveExactlyOne) {
  constexpr int kThreads = 16;
  std::int64_t mentee = 0;
  std::vector<std::int64_t> mentors;
  commit([&](core::Stores& s) {
    mentee = enrol(s, cohortid_, "e1", core::Role::kMentee);
    for (int i = 0; i < kThreads; ++i) mentors.push_back(mentor_with_profile(s, "m" + std::to_string(i), 2));
  });
  ConnectionSettings one = settings_;
  one.pool_size = 1;
  std::vector<std::unique_ptr<SociDatabase>> dbs;
  for (int i = 0; i < kThreads; ++i) dbs.push_back(std::move(open(one)).value());
  std::atomic<int> made{0}, paired{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      Status st = dbs[i]->transact([&](core::Stores& s) {
        return s.pairings.create_active({cohortid_, mentee, mentors[i], core::PairingSource::kAdmin, std::nullopt}, kT0)
            .status();
      });
      if (st.is_ok())
        ++made;
      else if (st.reason() == "mentee_already_paired")
        ++paired;
      else
        ADD_FAILURE() << st.to_string();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(made.load(), 1);
  EXPECT_EQ(paired.load(), kThreads - 1);
  commit([&](core::Stores& s) {
    int taken = 0;
    auto places = s.pairings.list_places(cohortid_);
    ASSERT_TRUE(places.is_ok());
    for (const auto& p : places.value()) taken += p.active;
    EXPECT_EQ(taken, 1) << "the refused pairings must not keep a place";
  });
}

TEST_P(MatchingStoreTest, ConcurrentRunStartsLetOnlyOneRun) {
  constexpr int kThreads = 12;
  ConnectionSettings one = settings_;
  one.pool_size = 1;
  std::vector<std::unique_ptr<SociDatabase>> dbs;
  for (int i = 0; i < kThreads; ++i) dbs.push_back(std::move(open(one)).value());
  std::atomic<int> started{0}, refused{0};
  std::barrier start(kThreads);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      Status st = dbs[i]->transact([&](core::Stores& s) {
        core::MatchingRunRecord r;
        r.cohortid = cohortid_;
        return s.matching_runs.begin(r, kT0).status();
      });
      if (st.is_ok())
        ++started;
      else if (st.reason() == "matching_run_in_progress")
        ++refused;
      else
        ADD_FAILURE() << st.to_string();
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(started.load(), 1);
  EXPECT_EQ(refused.load(), kThreads - 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, MatchingStoreTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
