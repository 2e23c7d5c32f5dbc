// The set-up store ports (core/setup_stores.h) on SQLite and, when
// configured, PostgreSQL: what goes in comes back out, upserts keep ids, and
// a failed command leaves nothing behind.
#include <soci/soci.h>

#include "storage/setup_soci_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using core::Date;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

Date day(const char* iso) { return *Date::parse(iso); }

class SetupStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    setup_db_ = std::make_unique<SociSetupDatabase>(*db_);
    commit([&](core::Stores& s, core::SetupStores&) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Prepare FY1 doctors for practice",
                            core::SchemePhase::kPilot},
          kT0);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      schemeid_ = scheme->id;
      auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", "sub-1", "Dr Ada", ""}, kT0);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      accountid_ = a->id;
      auto b = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", "sub-2", "Dr Bea", ""}, kT0);
      ASSERT_TRUE(b.is_ok()) << b.status().to_string();
      other_accountid_ = b->id;
    });
  }
  void TearDown() override {
    setup_db_.reset();
    db_.reset();
    BackendTest::TearDown();
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = setup_db_->transact([&](core::Stores& s, core::SetupStores& setup) -> Status {
      fn(s, setup);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::int64_t count_rows(const std::string& table) {
    int n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table, soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  core::Objective objective() const {
    core::Objective o;
    o.schemeid = schemeid_;
    o.what = "Increase the share of FY1 doctors who feel prepared for practice";
    o.metric = "FY1 preparedness survey, % agreeing";
    o.baseline = 42.5;
    o.unit = "%";
    o.baseline_on = day("2026-05-01");
    o.target = 60.25;
    o.direction = core::ObjectiveDirection::kIncrease;
    o.deadline = day("2027-07-31");
    o.ownerid = accountid_;
    o.aim_index = 0;
    return o;
  }

  std::unique_ptr<SociDatabase> db_;
  std::unique_ptr<SociSetupDatabase> setup_db_;
  std::int64_t schemeid_ = 0, accountid_ = 0, other_accountid_ = 0;
};

TEST_P(SetupStoreTest, ObjectivesRoundTripAndUpdateKeepsIdAndCreationTime) {
  core::Objective created;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.objectives.create(objective(), kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    created = *r;
  });
  EXPECT_GT(created.id, 0);
  EXPECT_EQ(created.what, objective().what);
  EXPECT_DOUBLE_EQ(created.baseline, 42.5);
  EXPECT_DOUBLE_EQ(created.target, 60.25);
  EXPECT_EQ(created.baseline_on, day("2026-05-01"));
  EXPECT_EQ(created.deadline, day("2027-07-31"));
  EXPECT_EQ(created.timecreated, kT0);

  core::Objective change = created;
  change.direction = core::ObjectiveDirection::kDecrease;
  change.target = 30;
  change.ownerid = other_accountid_;
  change.deadline = day("2027-01-31");
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.objectives.update(change, kT0 + 10);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    auto found = s.objectives.find(created.id);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->direction, core::ObjectiveDirection::kDecrease);
    EXPECT_DOUBLE_EQ((*found)->target, 30);
    EXPECT_EQ((*found)->ownerid, other_accountid_);
    EXPECT_EQ((*found)->deadline, day("2027-01-31"));
    EXPECT_EQ((*found)->timecreated, kT0);
    EXPECT_EQ((*found)->timemodified, kT0 + 10);
    auto listed = s.objectives.list_by_scheme(schemeid_);
    ASSERT_TRUE(listed.is_ok());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].id, created.id);
    core::Objective missing = change;
    missing.id = created.id + 1000;
    EXPECT_EQ(s.objectives.update(missing, kT0).status().reason(), "objective_not_found");
  });
}

TEST_P(SetupStoreTest, LatestMeasurementIsTheLatestDayNotTheLatestInsert) {
  std::int64_t id = 0;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto o = s.objectives.create(objective(), kT0);
    ASSERT_TRUE(o.is_ok()) << o.status().to_string();
    id = o->id;
    auto none = s.objectives.latest_measurement(id);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(s.objectives.add_measurement(id, day("2026-09-01"), 50.5, kT0).is_ok());
    ASSERT_TRUE(s.objectives.add_measurement(id, day("2026-07-01"), 45, kT0 + 1).is_ok());
    auto latest = s.objectives.latest_measurement(id);
    ASSERT_TRUE(latest.is_ok() && latest->has_value()) << latest.status().to_string();
    EXPECT_EQ((*latest)->measured_on, day("2026-09-01"));
    EXPECT_DOUBLE_EQ((*latest)->value, 50.5);
  });
  Status st = setup_db_->transact([&](core::Stores&, core::SetupStores& s) {
    return s.objectives.add_measurement(id + 99, day("2026-09-01"), 1, kT0).status();
  });
  EXPECT_EQ(st.reason(), "objective_not_found");
}

TEST_P(SetupStoreTest, GovernanceReplaceUpdatesKeepsAndDropsRows) {
  using core::Responsibility;
  core::GovernanceAssignment training{0, schemeid_, Responsibility::kTraining, accountid_, "Director of PGME",
                                      core::ReportingCadence::kQuarterly, day("2026-09-30")};
  core::GovernanceAssignment funding{0, schemeid_, Responsibility::kFundingAndProcurement, accountid_,
                                     "Finance committee", core::ReportingCadence::kAnnually, day("2027-03-31")};
  std::vector<core::GovernanceAssignment> first;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.governance.replace(schemeid_, {training, funding}, kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    first = *r;
  });
  ASSERT_EQ(first.size(), 2u);
  // Listed in the toolkit's order, not the order given.
  EXPECT_EQ(first[0].responsibility, Responsibility::kFundingAndProcurement);
  EXPECT_EQ(first[1].responsibility, Responsibility::kTraining);
  EXPECT_EQ(first[1].next_report_due, day("2026-09-30"));

  training.accountid = other_accountid_;
  training.cadence = core::ReportingCadence::kTermly;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.governance.replace(schemeid_, {training}, kT0 + 5);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].id, first[1].id);
    EXPECT_EQ((*r)[0].accountid, other_accountid_);
    EXPECT_EQ((*r)[0].cadence, core::ReportingCadence::kTermly);
    EXPECT_EQ((*r)[0].timecreated, kT0);
    EXPECT_EQ((*r)[0].timemodified, kT0 + 5);
  });

  // A register naming an unknown account is refused whole.
  core::GovernanceAssignment stranger = funding;
  stranger.responsibility = Responsibility::kRecruitment;
  stranger.accountid = other_accountid_ + 1000;
  Status st = setup_db_->transact([&](core::Stores&, core::SetupStores& s) {
    return s.governance.replace(schemeid_, {funding, stranger}, kT0 + 9).status();
  });
  EXPECT_EQ(st.code(), Code::kNotFound);
  EXPECT_EQ(count_rows("governance"), 1);
}

TEST_P(SetupStoreTest, EligibilityRulesRoundTripIncludingEmptyAndAbsentValues) {
  core::SchemeEligibility rules;
  rules.schemeid = schemeid_;
  rules.audience.career_stages = {core::CareerStage::kFy1, core::CareerStage::kFy2};
  rules.audience.specialties = {"General surgery", "Paediatrics"};
  rules.audience.regions = {"North West"};
  rules.audience.widening_participation_only = true;
  rules.mentors.minimum_stage = core::CareerStage::kSt3;
  rules.mentors.min_stages_above_mentee = 1;
  rules.mentors.max_stages_above_mentee = 3;
  rules.mentors.other_professions_allowed = false;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto none = s.eligibility.find(schemeid_);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
    ASSERT_TRUE(s.eligibility.save(rules, kT0).is_ok());
  });
  commit([&](core::Stores&, core::SetupStores& s) {
    auto found = s.eligibility.find(schemeid_);
    ASSERT_TRUE(found.is_ok() && found->has_value()) << found.status().to_string();
    const auto& f = **found;
    EXPECT_EQ(f.audience.career_stages, rules.audience.career_stages);
    EXPECT_EQ(f.audience.specialties, rules.audience.specialties);
    EXPECT_EQ(f.audience.regions, rules.audience.regions);
    EXPECT_FALSE(f.audience.img_new_to_uk_only);
    EXPECT_TRUE(f.audience.widening_participation_only);
    EXPECT_EQ(f.mentors.minimum_stage, core::CareerStage::kSt3);
    EXPECT_EQ(f.mentors.max_stages_above_mentee, 3);
    EXPECT_FALSE(f.mentors.other_professions_allowed);
    EXPECT_TRUE(f.mentors.regions.empty());
  });
  core::SchemeEligibility open;
  open.schemeid = schemeid_;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto saved = s.eligibility.save(open, kT0 + 1);
    ASSERT_TRUE(saved.is_ok()) << saved.status().to_string();
    EXPECT_TRUE(saved->audience.career_stages.empty());
    EXPECT_TRUE(saved->audience.specialties.empty());
    EXPECT_FALSE(saved->mentors.minimum_stage.has_value());
    EXPECT_FALSE(saved->mentors.max_stages_above_mentee.has_value());
    EXPECT_EQ(saved->timecreated, kT0);
  });
  EXPECT_EQ(count_rows("eligibility"), 1);
}

TEST_P(SetupStoreTest, ProfilesRoundTripAndSavingAgainReplacesInPlace) {
  core::MenteeProfile mentee;
  mentee.accountid = accountid_;
  mentee.career_stage = core::CareerStage::kFy1;
  mentee.region = "North West";
  mentee.goals = "Settle into my first post and plan for core training.";
  mentee.hopes = "Line one\nline two";
  mentee.transition_points = {core::TransitionPoint::kFirstPost, core::TransitionPoint::kNewToUkPractice};
  mentee.topics = {"wellbeing", "career planning"};
  mentee.meeting_mode = core::MeetingMode::kVirtual;
  mentee.languages = {"en", "cy"};
  mentee.availability = "Weekday evenings";
  core::MenteeProfile first;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.profiles.save_mentee(mentee, kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    first = *r;
  });
  EXPECT_EQ(first.transition_points, mentee.transition_points);
  EXPECT_EQ(first.topics, mentee.topics);
  EXPECT_EQ(first.languages, mentee.languages);
  EXPECT_EQ(first.hopes, "Line one\nline two");
  EXPECT_EQ(first.meeting_mode, core::MeetingMode::kVirtual);

  mentee.topics.clear();
  mentee.career_stage = core::CareerStage::kFy2;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.profiles.save_mentee(mentee, kT0 + 3);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->id, first.id);
    EXPECT_TRUE(r->topics.empty());
    EXPECT_EQ(r->career_stage, core::CareerStage::kFy2);
    EXPECT_EQ(r->timecreated, kT0);
    EXPECT_EQ(r->timemodified, kT0 + 3);
  });

  core::MentorProfile mentor;
  mentor.accountid = other_accountid_;
  mentor.career_stage = core::CareerStage::kConsultant;
  mentor.specialty = "Anaesthetics";
  mentor.expertise_areas = {"exams", "returning to training"};
  mentor.capacity = 3;
  mentor.bio = "Consultant anaesthetist.";
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.profiles.save_mentor(mentor, kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_FALSE(r->away_until.has_value());
    mentor.away_until = day("2026-12-24");
    auto again = s.profiles.save_mentor(mentor, kT0 + 1);
    ASSERT_TRUE(again.is_ok()) << again.status().to_string();
    auto found = s.profiles.find_mentor(other_accountid_);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->away_until, day("2026-12-24"));
    EXPECT_EQ((*found)->expertise_areas, mentor.expertise_areas);
    EXPECT_EQ((*found)->capacity, 3);
    auto no_mentee = s.profiles.find_mentee(other_accountid_);
    ASSERT_TRUE(no_mentee.is_ok());
    EXPECT_FALSE(no_mentee->has_value());
  });
  Status st = setup_db_->transact([&](core::Stores&, core::SetupStores& s) {
    core::MentorProfile stranger = mentor;
    stranger.accountid = other_accountid_ + 1000;
    return s.profiles.save_mentor(stranger, kT0).status();
  });
  EXPECT_EQ(st.reason(), "account_not_found");
}

TEST_P(SetupStoreTest, TrainingModulesKeepOrderAndRecordsKeepOptionalExpiry) {
  core::TrainingModule skills{0, schemeid_, "mentoring_skills", "Mentoring skills", true, 36, "refresher"};
  core::TrainingModule refresher{0, schemeid_, "refresher", "Refresher", false, 24, ""};
  std::vector<core::TrainingModule> first;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.training.replace_modules(schemeid_, {skills, refresher}, kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    first = *r;
  });
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0].code, "mentoring_skills");
  EXPECT_TRUE(first[0].required);
  EXPECT_EQ(first[0].refresher_code, "refresher");

  // Reordered and one dropped: the kept module keeps its id.
  skills.title = "Mentoring skills (2026)";
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.training.replace_modules(schemeid_, {skills}, kT0 + 1);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    ASSERT_EQ(r->size(), 1u);
    EXPECT_EQ((*r)[0].id, first[0].id);
    EXPECT_EQ((*r)[0].title, "Mentoring skills (2026)");
  });

  core::TrainingRecord with_expiry{0, accountid_, "mentoring_skills", day("2026-03-01"), day("2027-03-01")};
  core::TrainingRecord without{0, accountid_, "refresher", day("2025-01-10"), std::nullopt};
  commit([&](core::Stores&, core::SetupStores& s) {
    ASSERT_TRUE(s.training.add_record(schemeid_, with_expiry, kT0).is_ok());
    ASSERT_TRUE(s.training.add_record(schemeid_, without, kT0).is_ok());
    auto records = s.training.list_records(accountid_, schemeid_);
    ASSERT_TRUE(records.is_ok()) << records.status().to_string();
    ASSERT_EQ(records->size(), 2u);
    EXPECT_EQ((*records)[0].module_code, "refresher");  // oldest completion first
    EXPECT_FALSE((*records)[0].expires_on.has_value());
    EXPECT_EQ((*records)[1].expires_on, day("2027-03-01"));
    auto others = s.training.list_records(other_accountid_, schemeid_);
    ASSERT_TRUE(others.is_ok());
    EXPECT_TRUE(others->empty());

    ASSERT_TRUE(s.training.add_cpd(core::CpdEntry{0, accountid_, day("2026-04-02"), 1.25, "Mentoring meeting"}, kT0)
                    .is_ok());
    auto cpd = s.training.list_cpd(accountid_);
    ASSERT_TRUE(cpd.is_ok());
    ASSERT_EQ(cpd->size(), 1u);
    EXPECT_DOUBLE_EQ((*cpd)[0].hours, 1.25);
    EXPECT_EQ((*cpd)[0].date, day("2026-04-02"));
  });
}

TEST_P(SetupStoreTest, AgreementTemplateIsOnePerSchemeAndReplacedInPlace) {
  core::AgreementTemplate a;
  a.schemeid = schemeid_;
  a.version = 1;
  a.frequency = core::MeetingFrequency::kFortnightly;
  a.boundaries = "No clinical supervision.";
  core::AgreementTemplate first;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.agreements.save_template(a, kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    first = *r;
  });
  EXPECT_EQ(first.confidentiality, core::kDefaultConfidentialityText);
  a.version = 2;
  a.meeting_minutes = 45;
  commit([&](core::Stores&, core::SetupStores& s) {
    auto r = s.agreements.save_template(a, kT0 + 1);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    auto found = s.agreements.find_template(schemeid_);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->id, first.id);
    EXPECT_EQ((*found)->version, 2);
    EXPECT_EQ((*found)->meeting_minutes, 45);
    EXPECT_EQ((*found)->frequency, core::MeetingFrequency::kFortnightly);
  });
  EXPECT_EQ(count_rows("agreement_templates"), 1);
}

TEST_P(SetupStoreTest, AFailedCommandRollsBackItsEarlierWrites) {
  Status st = setup_db_->transact([&](core::Stores&, core::SetupStores& s) -> Status {
    auto o = s.objectives.create(objective(), kT0);
    if (!o) return o.status();
    return Status::failed_precondition("stop_here", "The command changed its mind.");
  });
  EXPECT_EQ(st.reason(), "stop_here");
  EXPECT_EQ(count_rows("objectives"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, SetupStoreTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
