// The evaluation store ports (core/evaluation_stores.h) on SQLite and, when
// configured, PostgreSQL: questionnaires, rounds and responses round-trip,
// one response per person per round, consent and audience sizes upsert, and
// outcome records are read back only for a cohort's mentees.
#include <soci/soci.h>

#include "core/evaluation_stores.h"
#include "storage/evaluation_soci_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Date;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

Date day(const char* iso) { return *Date::parse(iso); }

core::EvaluationConsent consent(std::int64_t accountid, bool given, const char* on) {
  core::EvaluationConsent c;
  c.accountid = accountid;
  c.given = given;
  c.recorded_on = day(on);
  return c;
}

class SurveyStoreTest : public BackendTest {
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
      auto scheme = s.schemes.create(core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer,
                                                       "Prepare FY1 doctors for practice", core::SchemePhase::kPilot},
                                     kT0);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      schemeid_ = scheme->id;
      core::CohortInput ci{schemeid_,
                           "August 2026",
                           day("2026-06-10"),
                           day("2026-08-05"),
                           day("2026-08-05"),
                           day("2027-08-04"),
                           core::MatchingModel::kAssigned};
      auto cohort = s.schemes.create_cohort(ci, kT0);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      cohortid_ = cohort->id;
      ci.name = "February 2027";
      auto other = s.schemes.create_cohort(ci, kT0);
      ASSERT_TRUE(other.is_ok()) << other.status().to_string();
      other_cohortid_ = other->id;
      auto a = s.accounts.upsert(
          core::AccountInput{"https://portal.example.nhs.uk", "sub-1", "Dr Ada", "Ada@Example.nhs.uk"}, kT0);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      ada_ = a->id;
      auto b = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", "sub-2", "Dr Bea", ""}, kT0);
      ASSERT_TRUE(b.is_ok()) << b.status().to_string();
      bea_ = b->id;
    });
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
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

  core::Questionnaire questionnaire() const {
    core::Questionnaire qn = core::default_questionnaire(schemeid_);
    core::Question number;
    number.key = "hours";
    number.text = "Hours of mentoring this term";
    number.kind = core::QuestionKind::kNumber;
    number.min_value = 0;
    number.max_value = 40.5;
    qn.questions.push_back(number);
    core::Question multi;
    multi.key = "topics";
    multi.text = "Which topics did you discuss?";
    multi.kind = core::QuestionKind::kMultipleChoice;
    multi.options = {"Careers", "Exams", "Wellbeing"};
    qn.questions.push_back(multi);
    return qn;
  }

  core::Questionnaire stored_questionnaire() {
    core::Questionnaire out;
    commit([&](core::Stores& s) {
      auto r = s.surveys.create_questionnaire(questionnaire(), kT0);
      ASSERT_TRUE(r.is_ok()) << r.status().to_string();
      out = *r;
    });
    return out;
  }

  core::SurveyRound stored_round(std::int64_t questionnaireid, core::RoundPhase phase, const char* opens) {
    core::SurveyRound round;
    round.questionnaireid = questionnaireid;
    round.cohortid = cohortid_;
    round.phase = phase;
    round.audiences = {"mentees", "mentors", "supervisors"};
    round.opens_on = day(opens);
    round.closes_on = day(opens).plus_days(28);
    core::SurveyRound out;
    commit([&](core::Stores& s) {
      auto r = s.surveys.create_round(round, kT0);
      ASSERT_TRUE(r.is_ok()) << r.status().to_string();
      out = *r;
    });
    return out;
  }

  std::unique_ptr<SociDatabase> db_;
  std::int64_t schemeid_ = 0, cohortid_ = 0, other_cohortid_ = 0, ada_ = 0, bea_ = 0;
};

TEST_P(SurveyStoreTest, QuestionnaireRoundTripsWithEveryQuestionKindInOrder) {
  const core::Questionnaire created = stored_questionnaire();
  EXPECT_GT(created.id, 0);
  commit([&](core::Stores& s) {
    auto found = s.surveys.find_questionnaire(created.id);
    ASSERT_TRUE(found.is_ok() && found->has_value()) << found.status().to_string();
    const core::Questionnaire& qn = **found;
    const core::Questionnaire want = questionnaire();
    EXPECT_EQ(qn.name, want.name);
    EXPECT_EQ(qn.schemeid, schemeid_);
    ASSERT_EQ(qn.questions.size(), want.questions.size());
    for (std::size_t i = 0; i < want.questions.size(); ++i) {
      EXPECT_EQ(qn.questions[i].key, want.questions[i].key);
      EXPECT_EQ(qn.questions[i].text, want.questions[i].text);
      EXPECT_EQ(qn.questions[i].kind, want.questions[i].kind);
      EXPECT_EQ(qn.questions[i].required, want.questions[i].required);
      EXPECT_EQ(qn.questions[i].options, want.questions[i].options);
      EXPECT_EQ(qn.questions[i].min_value, want.questions[i].min_value);
      EXPECT_EQ(qn.questions[i].max_value, want.questions[i].max_value);
      EXPECT_GT(qn.questions[i].id, 0);
    }
    auto listed = s.surveys.list_questionnaires(schemeid_);
    ASSERT_TRUE(listed.is_ok());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].questions.size(), want.questions.size());
    core::Questionnaire orphan = questionnaire();
    orphan.schemeid = schemeid_ + 999;
    EXPECT_EQ(s.surveys.create_questionnaire(orphan, kT0).status().reason(), "scheme_not_found");
  });
}

TEST_P(SurveyStoreTest, RoundsRoundTripAndListByScheme) {
  const auto qn = stored_questionnaire();
  const auto end = stored_round(qn.id, core::RoundPhase::kEnd, "2027-07-01");
  const auto baseline = stored_round(qn.id, core::RoundPhase::kBaseline, "2026-08-01");
  EXPECT_EQ(baseline.phase, core::RoundPhase::kBaseline);
  EXPECT_EQ(baseline.opens_on, day("2026-08-01"));
  EXPECT_EQ(baseline.closes_on, day("2026-08-29"));
  EXPECT_EQ(baseline.audiences, (std::vector<std::string>{"mentees", "mentors", "supervisors"}));
  commit([&](core::Stores& s) {
    auto listed = s.surveys.list_rounds(schemeid_);
    ASSERT_TRUE(listed.is_ok()) << listed.status().to_string();
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].id, baseline.id);  // by opening date
    EXPECT_EQ((*listed)[1].id, end.id);
    auto found = s.surveys.find_round(end.id);
    ASSERT_TRUE(found.is_ok() && found->has_value());
    EXPECT_EQ((*found)->phase, core::RoundPhase::kEnd);
    core::SurveyRound bad = baseline;
    bad.cohortid = cohortid_ + 999;
    EXPECT_EQ(s.surveys.create_round(bad, kT0).status().reason(), "cohort_not_found");
    bad = baseline;
    bad.questionnaireid = qn.id + 999;
    EXPECT_EQ(s.surveys.create_round(bad, kT0).status().reason(), "questionnaire_not_found");
  });
}

TEST_P(SurveyStoreTest, OneResponsePerPersonPerRoundAndUpdateReplacesTheAnswers) {
  const auto qn = stored_questionnaire();
  const auto round = stored_round(qn.id, core::RoundPhase::kBaseline, "2026-08-01");
  core::SurveyResponse resp;
  resp.roundid = round.id;
  resp.accountid = ada_;
  resp.audience = "mentees";
  resp.answers = {core::Answer{"confidence", 2.0, "", {}}, core::Answer{"hours", 3.5, "", {}},
                  core::Answer{"topics", std::nullopt, "", {"Careers", "Wellbeing"}},
                  core::Answer{"went_well", std::nullopt, "Line one\nline two, with \"quotes\"", {}}};
  core::SurveyResponse created;
  commit([&](core::Stores& s) {
    auto r = s.surveys.create_response(resp, kT0);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    created = *r;
  });
  EXPECT_GT(created.id, 0);
  ASSERT_EQ(created.answers.size(), 4u);
  EXPECT_EQ(created.answers[0].key, "confidence");
  EXPECT_EQ(created.answers[0].number, 2.0);
  // Read back in the questionnaire's order, not the order given.
  EXPECT_EQ(created.answers[1].key, "went_well");
  EXPECT_EQ(created.answers[1].text, "Line one\nline two, with \"quotes\"");
  EXPECT_FALSE(created.answers[1].number.has_value());
  EXPECT_EQ(created.answers[2].number, 3.5);
  EXPECT_EQ(created.answers[3].choices, (std::vector<std::string>{"Careers", "Wellbeing"}));
  EXPECT_TRUE(created.answers[3].text.empty());

  // A second response by the same person is refused and changes nothing.
  Status dup = db_->transact([&](core::Stores& s) { return s.surveys.create_response(resp, kT0 + 1).status(); });
  EXPECT_EQ(dup.reason(), "survey_response_exists");
  EXPECT_EQ(count_rows("survey_responses"), 1);
  EXPECT_EQ(count_rows("survey_answers"), 4);

  core::SurveyResponse change = resp;
  change.answers = {core::Answer{"confidence", 5.0, "", {}}};
  commit([&](core::Stores& s) {
    auto r = s.surveys.update_response(change, kT0 + 50);
    ASSERT_TRUE(r.is_ok()) << r.status().to_string();
    EXPECT_EQ(r->id, created.id);
    EXPECT_EQ(r->timecreated, kT0);
    EXPECT_EQ(r->timemodified, kT0 + 50);
    ASSERT_EQ(r->answers.size(), 1u);
    EXPECT_EQ(r->answers[0].number, 5.0);
    core::SurveyResponse nobody = change;
    nobody.accountid = bea_;
    EXPECT_EQ(s.surveys.update_response(nobody, kT0).status().reason(), "survey_response_not_found");
    auto listed = s.surveys.list_responses(round.id);
    ASSERT_TRUE(listed.is_ok());
    ASSERT_EQ(listed->size(), 1u);
    EXPECT_EQ((*listed)[0].accountid, ada_);
    auto none = s.surveys.find_response(round.id, bea_);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
  });
  EXPECT_EQ(count_rows("survey_answers"), 1);
}

TEST_P(SurveyStoreTest, EnrolmentCheckSeesRoleAndCohort) {
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.enrolments.create(cohortid_, ada_, core::Role::kMentee, kT0).is_ok());
    EXPECT_TRUE(*s.surveys.is_enrolled(cohortid_, ada_, "mentee"));
    EXPECT_FALSE(*s.surveys.is_enrolled(cohortid_, ada_, "mentor"));
    EXPECT_FALSE(*s.surveys.is_enrolled(other_cohortid_, ada_, "mentee"));
    EXPECT_FALSE(*s.surveys.is_enrolled(cohortid_, bea_, "mentee"));
  });
}

TEST_P(SurveyStoreTest, ConsentAndAudienceSizeUpsertInPlace) {
  commit([&](core::Stores& s) {
    auto none = s.evaluation.find_consent(ada_);
    ASSERT_TRUE(none.is_ok());
    EXPECT_FALSE(none->has_value());
    auto c = s.evaluation.save_consent(consent(ada_, true, "2026-08-01"), kT0);
    ASSERT_TRUE(c.is_ok()) << c.status().to_string();
    EXPECT_TRUE(c->given);
    auto c2 = s.evaluation.save_consent(consent(ada_, false, "2026-09-01"), kT0 + 5);
    ASSERT_TRUE(c2.is_ok()) << c2.status().to_string();
    EXPECT_FALSE(c2->given);
    EXPECT_EQ(c2->recorded_on, day("2026-09-01"));
    EXPECT_EQ(c2->timecreated, kT0);
    EXPECT_EQ(c2->timemodified, kT0 + 5);
    EXPECT_EQ(s.evaluation.save_consent(consent(ada_ + 999, true, "2026-08-01"), kT0).status().reason(),
              "account_not_found");

    EXPECT_FALSE(s.evaluation.find_audience_size(cohortid_)->has_value());
    ASSERT_TRUE(s.evaluation.save_audience_size(cohortid_, 240, kT0).is_ok());
    ASSERT_TRUE(s.evaluation.save_audience_size(cohortid_, 250, kT0 + 1).is_ok());
    EXPECT_EQ(**s.evaluation.find_audience_size(cohortid_), 250);
    EXPECT_EQ(s.evaluation.save_audience_size(cohortid_ + 999, 1, kT0).reason(), "cohort_not_found");
  });
  EXPECT_EQ(count_rows("evaluation_consents"), 1);
  EXPECT_EQ(count_rows("evaluation_audiences"), 1);
}

TEST_P(SurveyStoreTest, OutcomesAreReadBackOnlyForTheCohortsMentees) {
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.enrolments.create(cohortid_, ada_, core::Role::kMentee, kT0).is_ok());
    ASSERT_TRUE(s.enrolments.create(cohortid_, bea_, core::Role::kMentor, kT0).is_ok());
    core::OutcomeRecord arcp;
    arcp.accountid = ada_;
    arcp.schemeid = schemeid_;
    arcp.kind = core::OutcomeKind::kArcp;
    arcp.recorded_on = day("2027-06-20");
    arcp.arcp = core::ArcpOutcome::k10_2;
    ASSERT_TRUE(s.outcomes.add(arcp, kT0).is_ok());
    core::OutcomeRecord exam;
    exam.accountid = ada_;
    exam.schemeid = schemeid_;
    exam.kind = core::OutcomeKind::kExam;
    exam.recorded_on = day("2027-03-02");
    exam.exam_name = "MRCP Part 1";
    exam.exam_passed = false;
    ASSERT_TRUE(s.outcomes.add(exam, kT0).is_ok());
    core::OutcomeRecord rating;
    rating.accountid = bea_;  // a mentor: not part of the cohort's mentee outcomes
    rating.schemeid = schemeid_;
    rating.kind = core::OutcomeKind::kFy1Preparedness;
    rating.recorded_on = day("2027-03-02");
    rating.rating = 4;
    ASSERT_TRUE(s.outcomes.add(rating, kT0).is_ok());
    core::OutcomeRecord orphan = arcp;
    orphan.accountid = ada_ + 999;
    EXPECT_EQ(s.outcomes.add(orphan, kT0).reason(), "account_not_found");

    auto listed = s.outcomes.list_for_cohort(schemeid_, cohortid_);
    ASSERT_TRUE(listed.is_ok()) << listed.status().to_string();
    ASSERT_EQ(listed->size(), 2u);
    EXPECT_EQ((*listed)[0].arcp, core::ArcpOutcome::k10_2);
    EXPECT_EQ((*listed)[0].recorded_on, day("2027-06-20"));
    EXPECT_FALSE((*listed)[0].exam_passed.has_value());
    EXPECT_EQ((*listed)[1].exam_name, "MRCP Part 1");
    EXPECT_EQ((*listed)[1].exam_passed, false);
    EXPECT_FALSE((*listed)[1].rating.has_value());
    EXPECT_TRUE(s.outcomes.list_for_cohort(schemeid_, other_cohortid_)->empty());
    EXPECT_EQ(*s.outcomes.count(schemeid_), 3);

    EXPECT_EQ(*s.outcomes.find_account_by_email("ada@example.NHS.uk"), std::optional<std::int64_t>(ada_));
    EXPECT_FALSE(s.outcomes.find_account_by_email("nobody@example.nhs.uk")->has_value());
    EXPECT_FALSE(s.outcomes.find_account_by_email("")->has_value());
  });
}

TEST_P(SurveyStoreTest, ErasingAPersonRemovesTheirResponsesConsentAndOutcomesOnly) {
  const auto qn = stored_questionnaire();
  const auto round = stored_round(qn.id, core::RoundPhase::kBaseline, "2026-08-01");
  commit([&](core::Stores& s) {
    for (std::int64_t who : {ada_, bea_}) {
      core::SurveyResponse r;
      r.roundid = round.id;
      r.accountid = who;
      r.audience = "mentees";
      r.answers = {core::Answer{"confidence", 2.0, "", {}}, core::Answer{"went_well", std::nullopt, "Fine", {}}};
      ASSERT_TRUE(s.surveys.create_response(r, kT0).is_ok());
      ASSERT_TRUE(s.evaluation.save_consent(consent(who, true, "2026-08-01"), kT0).is_ok());
      core::OutcomeRecord o;
      o.accountid = who;
      o.schemeid = schemeid_;
      o.kind = core::OutcomeKind::kFy1Preparedness;
      o.recorded_on = day("2026-08-01");
      o.rating = 3;
      ASSERT_TRUE(s.outcomes.add(o, kT0).is_ok());
    }
  });
  commit([&](core::Stores& s) {
    auto removed = s.evaluation.erase_person(ada_);
    ASSERT_TRUE(removed.is_ok()) << removed.status().to_string();
    EXPECT_EQ(*removed, 5);  // two answers, the response, the consent, the outcome
  });
  EXPECT_EQ(count_rows("survey_responses"), 1);
  EXPECT_EQ(count_rows("survey_answers"), 2);
  EXPECT_EQ(count_rows("evaluation_consents"), 1);
  EXPECT_EQ(count_rows("outcome_records"), 1);
  commit([&](core::Stores& s) {
    EXPECT_FALSE(s.evaluation.find_consent(ada_)->has_value());
    EXPECT_TRUE(s.evaluation.find_consent(bea_)->has_value());
  });
}

INSTANTIATE_TEST_SUITE_P(Backends, SurveyStoreTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
