// The mentor application store port (core/mentor_application_stores.h) on
// SQLite and, when configured, PostgreSQL: applications round-trip with
// their answers, one pending application per person and cohort, a decision
// applies only to a pending application, listings filter by status, and a
// scheme's recruitment setting defaults to "approval required".
#include "core/mentor_application_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::ApplicationStatus;
using core::MentorApplication;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

core::Date day(const char* iso) { return *core::Date::parse(iso); }

class MentorApplicationStoreTest : public BackendTest {
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
      auto cohort = s.schemes.create_cohort(
          core::CohortInput{schemeid_, "August 2026", day("2026-06-10"), day("2026-08-05"), day("2026-08-05"),
                            day("2027-08-04"), core::MatchingModel::kAssigned},
          kT0);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      cohortid_ = cohort->id;
      applicant_ = account(s, "sub-applicant");
      staff_ = account(s, "sub-staff");
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

  MentorApplication application() const {
    MentorApplication a;
    a.schemeid = schemeid_;
    a.cohortid = cohortid_;
    a.accountid = applicant_;
    a.answers.motivation = "I was mentored in FY1 and it kept me in medicine.\nI want to give that back.";
    a.answers.expertise_areas = {"exams", "less than full time training"};
    a.answers.capacity = 2;
    a.answers.availability = "Weekday evenings, remote";
    a.answers.declaration = true;
    return a;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t schemeid_ = 0, cohortid_ = 0, applicant_ = 0, staff_ = 0;
};

TEST_P(MentorApplicationStoreTest, AnApplicationRoundTripsWithItsAnswers) {
  commit([&](core::Stores& s) {
    auto created = s.mentor_applications.create(application(), kT0);
    ASSERT_TRUE(created.is_ok()) << created.status().to_string();
    auto found = s.mentor_applications.find(created->id);
    ASSERT_TRUE(found.is_ok()) << found.status().to_string();
    ASSERT_TRUE(found->has_value());
    const MentorApplication& a = **found;
    EXPECT_EQ(a.schemeid, schemeid_);
    EXPECT_EQ(a.cohortid, cohortid_);
    EXPECT_EQ(a.accountid, applicant_);
    EXPECT_EQ(a.answers.motivation, application().answers.motivation);
    EXPECT_EQ(a.answers.expertise_areas, application().answers.expertise_areas);
    EXPECT_EQ(a.answers.capacity, 2);
    EXPECT_EQ(a.answers.availability, "Weekday evenings, remote");
    EXPECT_TRUE(a.answers.declaration);
    EXPECT_EQ(a.status, ApplicationStatus::kPending);
    EXPECT_FALSE(a.decided_by.has_value());
    EXPECT_FALSE(a.decided_at.has_value());
    EXPECT_FALSE(a.enrolmentid.has_value());
    EXPECT_EQ(a.timecreated, kT0);
    auto none = s.mentor_applications.find(created->id + 100);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
  });
}

TEST_P(MentorApplicationStoreTest, OnePendingApplicationPerPersonAndCohort) {
  std::int64_t first = 0;
  commit([&](core::Stores& s) {
    auto created = s.mentor_applications.create(application(), kT0);
    ASSERT_TRUE(created.is_ok()) << created.status().to_string();
    first = created->id;
    auto again = s.mentor_applications.create(application(), kT0 + 1);
    ASSERT_FALSE(again.is_ok());
    EXPECT_EQ(again.status().reason(), "application_pending");
  });
  commit([&](core::Stores& s) {
    auto declined =
        s.mentor_applications.decide(first, ApplicationStatus::kDeclined, staff_, "Cohort is full.", {}, kT0 + 10);
    ASSERT_TRUE(declined.is_ok()) << declined.status().to_string();
    // Once decided, the person may apply again.
    auto again = s.mentor_applications.create(application(), kT0 + 20);
    EXPECT_TRUE(again.is_ok()) << again.status().to_string();
  });
}

TEST_P(MentorApplicationStoreTest, UnknownCohortOrAccountIsRefused) {
  commit([&](core::Stores& s) {
    MentorApplication a = application();
    a.cohortid = cohortid_ + 99;
    auto r = s.mentor_applications.create(a, kT0);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().reason(), "cohort_not_found");
    a = application();
    a.accountid = staff_ + 99;
    r = s.mentor_applications.create(a, kT0);
    ASSERT_FALSE(r.is_ok());
    EXPECT_EQ(r.status().reason(), "account_not_found");
  });
}

TEST_P(MentorApplicationStoreTest, ADecisionAppliesOnlyToAPendingApplication) {
  std::int64_t id = 0, enrolmentid = 0;
  commit([&](core::Stores& s) {
    auto created = s.mentor_applications.create(application(), kT0);
    ASSERT_TRUE(created.is_ok());
    id = created->id;
    ASSERT_TRUE(
        s.mentor_applications.record_approval_error(id, "mentor_profile_required", "Complete it.", kT0 + 1).is_ok());
    auto e = s.enrolments.create(cohortid_, applicant_, core::Role::kMentor, kT0 + 2);
    ASSERT_TRUE(e.is_ok()) << e.status().to_string();
    enrolmentid = e->id;
  });
  commit([&](core::Stores& s) {
    auto pending = s.mentor_applications.find(id);
    ASSERT_TRUE(pending.is_ok() && pending->has_value());
    EXPECT_EQ((*pending)->approval_error_reason, "mentor_profile_required");
    EXPECT_EQ((*pending)->approval_error_message, "Complete it.");
    auto approved = s.mentor_applications.decide(id, ApplicationStatus::kApproved, staff_, "", enrolmentid, kT0 + 5);
    ASSERT_TRUE(approved.is_ok()) << approved.status().to_string();
    EXPECT_EQ(approved->status, ApplicationStatus::kApproved);
    EXPECT_EQ(approved->decided_by, std::optional<std::int64_t>(staff_));
    EXPECT_EQ(approved->decided_at, std::optional<core::UnixSeconds>(kT0 + 5));
    EXPECT_EQ(approved->enrolmentid, std::optional<std::int64_t>(enrolmentid));
    EXPECT_EQ(approved->approval_error_reason, "");  // cleared by the decision
    auto twice = s.mentor_applications.decide(id, ApplicationStatus::kDeclined, staff_, "No.", {}, kT0 + 6);
    ASSERT_FALSE(twice.is_ok());
    EXPECT_EQ(twice.status().reason(), "application_decided");
    EXPECT_EQ(s.mentor_applications.record_approval_error(id, "x", "y", kT0 + 7).reason(), "application_decided");
    auto missing = s.mentor_applications.decide(id + 50, ApplicationStatus::kDeclined, staff_, "No.", {}, kT0);
    ASSERT_FALSE(missing.is_ok());
    EXPECT_EQ(missing.status().reason(), "application_not_found");
    auto mentor = s.mentor_applications.is_active_mentor(cohortid_, applicant_);
    ASSERT_TRUE(mentor.is_ok());
    EXPECT_TRUE(*mentor);
    auto other = s.mentor_applications.is_active_mentor(cohortid_, staff_);
    ASSERT_TRUE(other.is_ok());
    EXPECT_FALSE(*other);
  });
}

TEST_P(MentorApplicationStoreTest, ListingsFilterByStatusAndOrderAsDocumented) {
  commit([&](core::Stores& s) {
    auto first = s.mentor_applications.create(application(), kT0);
    ASSERT_TRUE(first.is_ok());
    ASSERT_TRUE(
        s.mentor_applications.decide(first->id, ApplicationStatus::kDeclined, staff_, "Full.", {}, kT0 + 1).is_ok());
    auto second = s.mentor_applications.create(application(), kT0 + 2);
    ASSERT_TRUE(second.is_ok());
    MentorApplication other = application();
    other.accountid = staff_;
    auto third = s.mentor_applications.create(other, kT0 + 3);
    ASSERT_TRUE(third.is_ok());

    auto pending = s.mentor_applications.list_by_scheme(schemeid_, ApplicationStatus::kPending, {});
    ASSERT_TRUE(pending.is_ok()) << pending.status().to_string();
    ASSERT_EQ(pending->size(), 2u);
    EXPECT_EQ((*pending)[0].id, second->id);  // oldest first
    EXPECT_EQ((*pending)[1].id, third->id);
    auto all = s.mentor_applications.list_by_scheme(schemeid_, std::nullopt, {});
    ASSERT_TRUE(all.is_ok());
    EXPECT_EQ(all->size(), 3u);
    auto paged = s.mentor_applications.list_by_scheme(schemeid_, std::nullopt, core::Page{1, 1});
    ASSERT_TRUE(paged.is_ok());
    ASSERT_EQ(paged->size(), 1u);
    EXPECT_EQ((*paged)[0].id, second->id);
    EXPECT_EQ(*s.mentor_applications.count_by_scheme(schemeid_, ApplicationStatus::kPending), 2);
    EXPECT_EQ(*s.mentor_applications.count_by_scheme(schemeid_, ApplicationStatus::kDeclined), 1);
    EXPECT_EQ(*s.mentor_applications.count_by_scheme(schemeid_, std::nullopt), 3);

    auto mine = s.mentor_applications.list_by_account(applicant_);
    ASSERT_TRUE(mine.is_ok());
    ASSERT_EQ(mine->size(), 2u);
    EXPECT_EQ((*mine)[0].id, second->id);  // newest first
    EXPECT_EQ((*mine)[1].decision_reason, "Full.");
  });
}

TEST_P(MentorApplicationStoreTest, RecruitmentSettingDefaultsToApprovalRequired) {
  commit([&](core::Stores& s) {
    auto initial = s.mentor_applications.settings(schemeid_);
    ASSERT_TRUE(initial.is_ok()) << initial.status().to_string();
    EXPECT_TRUE(initial->approval_required);
    EXPECT_EQ(initial->timemodified, 0);
    core::MentorRecruitmentSettings off{schemeid_, false, 0};
    auto saved = s.mentor_applications.save_settings(off, kT0 + 5);
    ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
    auto read = s.mentor_applications.settings(schemeid_);
    ASSERT_TRUE(read.is_ok());
    EXPECT_FALSE(read->approval_required);
    EXPECT_EQ(read->timemodified, kT0 + 5);
    off.approval_required = true;
    ASSERT_TRUE(s.mentor_applications.save_settings(off, kT0 + 6).is_ok());
    EXPECT_TRUE(s.mentor_applications.settings(schemeid_)->approval_required);
    core::MentorRecruitmentSettings unknown{schemeid_ + 9, true, 0};
    auto refused = s.mentor_applications.save_settings(unknown, kT0);
    ASSERT_FALSE(refused.is_ok());
    EXPECT_EQ(refused.status().reason(), "scheme_not_found");
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, MentorApplicationStoreTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
