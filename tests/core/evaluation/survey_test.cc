// Questionnaire, round and answer rules (core/survey.h).
#include "core/survey.h"

#include <gtest/gtest.h>

#include <cmath>

namespace mentoring::core {
namespace {

Date day(const char* iso) { return *Date::parse(iso); }

Questionnaire sample() {
  Questionnaire qn = default_questionnaire(7);
  Question n;
  n.key = "hours";
  n.text = "Hours of mentoring";
  n.kind = QuestionKind::kNumber;
  n.min_value = 0;
  n.max_value = 40;
  qn.questions.push_back(n);
  Question single;
  single.key = "grade";
  single.text = "Your grade";
  single.kind = QuestionKind::kSingleChoice;
  single.required = true;
  single.options = {"FY1", "FY2"};
  qn.questions.push_back(single);
  Question multi;
  multi.key = "topics";
  multi.text = "Topics";
  multi.kind = QuestionKind::kMultipleChoice;
  multi.options = {"Careers", "Exams", "Wellbeing"};
  qn.questions.push_back(multi);
  return qn;
}

std::vector<Answer> required_answers() {
  return {Answer{"confidence", 3.0, "", {}}, Answer{"job_satisfaction", 4.0, "", {}},
          Answer{"preparedness", 2.0, "", {}}, Answer{"career_clarity", 5.0, "", {}},
          Answer{"grade", std::nullopt, "FY1", {}}};
}

Result<std::vector<Answer>> with(Answer extra) {
  auto answers = required_answers();
  for (auto& a : answers)
    if (a.key == extra.key) {
      a = extra;
      return validate_answers(sample(), answers);
    }
  answers.push_back(std::move(extra));
  return validate_answers(sample(), answers);
}

TEST(SurveyTest, DefaultQuestionnaireIsValidAndCoversTheToolkitMeasures) {
  const Questionnaire qn = default_questionnaire(3);
  EXPECT_TRUE(validate(qn).is_ok()) << validate(qn).to_string();
  for (const char* key : {"confidence", "job_satisfaction", "preparedness", "career_clarity", "scheme_satisfaction",
                          "platform_satisfaction"}) {
    const Question* q = qn.find(key);
    ASSERT_NE(q, nullptr) << key;
    EXPECT_EQ(q->kind, QuestionKind::kLikert);
    EXPECT_EQ(q->options.size(), 5u);
  }
  EXPECT_FALSE(qn.find("scheme_satisfaction")->required);  // not meaningful at baseline
  EXPECT_TRUE(qn.find("confidence")->required);
}

TEST(SurveyTest, QuestionnaireRulesNameTheQuestion) {
  Questionnaire qn = sample();
  qn.questions[9].options = {"FY1"};
  Status st = validate(qn);
  EXPECT_EQ(st.reason(), "survey_choice_options_invalid");
  EXPECT_EQ(st.field(), "questions[9].options");

  qn = sample();
  qn.questions[0].options.pop_back();
  EXPECT_EQ(validate(qn).reason(), "survey_likert_labels_invalid");
  qn = sample();
  qn.questions[0].options[1] = qn.questions[0].options[0];
  EXPECT_EQ(validate(qn).reason(), "survey_likert_labels_invalid");
  qn = sample();
  qn.questions[8].min_value = std::nan("");
  EXPECT_EQ(validate(qn).reason(), "survey_number_range_invalid");
  qn = sample();
  qn.questions[0].min_value = 1;  // only number questions take a range
  EXPECT_EQ(validate(qn).reason(), "survey_number_range_invalid");
  qn = sample();
  qn.questions[8].min_value = 50;
  EXPECT_EQ(validate(qn).reason(), "survey_number_range_invalid");
  qn = sample();
  qn.questions[6].options = {"a", "b"};
  EXPECT_EQ(validate(qn).reason(), "survey_options_not_allowed");
  qn = sample();
  qn.questions[1].key = "Job Satisfaction";
  EXPECT_EQ(validate(qn).reason(), "survey_question_key_invalid");
  qn = sample();
  qn.questions[2].key = "confidence";
  EXPECT_EQ(validate(qn).reason(), "survey_question_key_duplicate");
  qn = sample();
  qn.questions[3].text = "Line\nbreak";
  EXPECT_EQ(validate(qn).reason(), "survey_question_text_invalid");
  qn = sample();
  qn.questions.clear();
  EXPECT_EQ(validate(qn).reason(), "survey_questions_required");
  qn = sample();
  qn.name = "  ";
  EXPECT_EQ(validate(qn).reason(), "survey_name_required");
}

TEST(SurveyTest, RoundsNeedOrderedDatesAndNamedAudiences) {
  SurveyRound r;
  r.questionnaireid = 1;
  r.cohortid = 2;
  r.audiences = {"mentees", "supervisors"};
  r.opens_on = day("2026-08-01");
  r.closes_on = day("2026-08-31");
  EXPECT_TRUE(validate(r).is_ok());
  SurveyRound bad = r;
  bad.closes_on = day("2026-07-31");
  EXPECT_EQ(validate(bad).reason(), "survey_round_dates_out_of_order");
  bad = r;
  bad.closes_on = day("2027-08-03");
  EXPECT_EQ(validate(bad).reason(), "survey_round_too_long");
  bad = r;
  bad.audiences = {};
  EXPECT_EQ(validate(bad).reason(), "survey_audiences_required");
  bad = r;
  bad.audiences = {"mentees", "mentees"};
  EXPECT_EQ(validate(bad).reason(), "survey_audience_duplicate");
  bad = r;
  bad.audiences = {"<script>"};
  EXPECT_EQ(validate(bad).reason(), "survey_audience_invalid");
}

TEST(SurveyTest, RoundIsOpenFromItsFirstToItsLastDayInclusive) {
  SurveyRound r;
  r.opens_on = day("2026-08-01");
  r.closes_on = day("2026-08-31");
  EXPECT_EQ(check_round_open(r, day("2026-07-31")).reason(), "survey_round_not_open");
  EXPECT_TRUE(check_round_open(r, day("2026-08-01")).is_ok());
  EXPECT_TRUE(check_round_open(r, day("2026-08-31")).is_ok());
  Status late = check_round_open(r, day("2026-09-01"));
  EXPECT_EQ(late.reason(), "survey_round_closed");
  EXPECT_EQ(late.code(), Code::kFailedPrecondition);
}

TEST(SurveyTest, AnswersAreCheckedPerQuestionTypeAndReturnedInQuestionOrder) {
  auto ok = with(Answer{"topics", std::nullopt, "", {"Wellbeing", "Careers"}});
  ASSERT_TRUE(ok.is_ok()) << ok.status().to_string();
  ASSERT_EQ(ok->size(), 6u);
  EXPECT_EQ((*ok)[0].key, "confidence");
  EXPECT_EQ((*ok)[4].key, "grade");
  // Choices come back in the questionnaire's order.
  EXPECT_EQ((*ok)[5].choices, (std::vector<std::string>{"Careers", "Wellbeing"}));

  EXPECT_EQ(with(Answer{"confidence", 0.0, "", {}}).status().reason(), "survey_answer_out_of_range");
  EXPECT_EQ(with(Answer{"confidence", 5.5, "", {}}).status().reason(), "survey_answer_out_of_range");
  EXPECT_EQ(with(Answer{"confidence", std::nan(""), "", {}}).status().reason(), "survey_answer_not_a_number");
  EXPECT_EQ(with(Answer{"hours", 40.5, "", {}}).status().reason(), "survey_answer_out_of_range");
  EXPECT_TRUE(with(Answer{"hours", 40.0, "", {}}).is_ok());
  EXPECT_TRUE(with(Answer{"hours", 0.25, "", {}}).is_ok());
  EXPECT_EQ(with(Answer{"grade", std::nullopt, "ST1", {}}).status().reason(), "survey_answer_unknown_option");
  EXPECT_EQ(with(Answer{"grade", 1.0, "", {}}).status().reason(), "survey_answer_wrong_type");
  EXPECT_EQ(with(Answer{"topics", std::nullopt, "", {"Exams", "Exams"}}).status().reason(), "survey_answer_duplicate");
  EXPECT_EQ(with(Answer{"topics", std::nullopt, "", {"Golf"}}).status().reason(), "survey_answer_unknown_option");
  EXPECT_EQ(with(Answer{"topics", std::nullopt, "Exams", {}}).status().reason(), "survey_answer_wrong_type");
  EXPECT_EQ(with(Answer{"went_well", std::nullopt, std::string(5001, 'x'), {}}).status().reason(),
            "survey_answer_too_long");
  EXPECT_EQ(with(Answer{"went_well", std::nullopt, std::string("bell\x07"), {}}).status().reason(),
            "survey_answer_invalid_text");
  EXPECT_EQ(with(Answer{"nope", 1.0, "", {}}).status().reason(), "survey_answer_unknown_question");
  auto trimmed = with(Answer{"went_well", std::nullopt, "  Good.\nVery good.  ", {}});
  ASSERT_TRUE(trimmed.is_ok());
  EXPECT_EQ((*trimmed)[4].key, "went_well");
  EXPECT_EQ((*trimmed)[4].text, "Good.\nVery good.");

  auto answers = required_answers();
  answers.push_back(answers[0]);
  EXPECT_EQ(validate_answers(sample(), answers).status().reason(), "survey_answer_duplicate");
  answers = required_answers();
  answers[4].text = "   ";  // blank counts as not answered
  Status missing = validate_answers(sample(), answers).status();
  EXPECT_EQ(missing.reason(), "survey_answer_required");
  EXPECT_EQ(missing.field(), "answers.grade");
}

}  // namespace
}  // namespace mentoring::core
