// The survey routes end to end in process: questionnaires, rounds and
// responses are validated with the core's reasons, a refused request writes
// nothing, and a response is locked once its round closes.
#include "tests/adapters/api/survey_api_fixture.h"

namespace mentoring {
namespace {
namespace json = boost::json;
using testing::EvaluationApiTest;

class SurveyApiTest : public EvaluationApiTest {};

TEST_F(SurveyApiTest, TheDefaultQuestionnaireFollowsTheToolkitAndListsBack) {
  const std::int64_t id = default_survey();
  ASSERT_GT(id, 0);
  http::Response list = call("GET", scheme_path("/surveys"));
  ASSERT_EQ(list.status, 200) << list.body;
  json::array items = body_of(list)["items"].as_array();
  ASSERT_EQ(items.size(), 1u);
  std::vector<std::string> keys;
  for (const auto& q : items[0].as_object().at("questions").as_array())
    keys.push_back(std::string(q.as_object().at("key").as_string()));
  EXPECT_EQ(keys,
            (std::vector<std::string>{"confidence", "job_satisfaction", "preparedness", "career_clarity",
                                      "scheme_satisfaction", "platform_satisfaction", "went_well", "could_improve"}));
  const json::object first = items[0].as_object().at("questions").as_array()[0].as_object();
  EXPECT_EQ(first.at("kind").as_string(), "likert");
  EXPECT_EQ(first.at("options").as_array().size(), 5u);
  EXPECT_TRUE(first.at("required").as_bool());
}

TEST_F(SurveyApiTest, AnInvalidQuestionnaireIsRefusedNamingTheQuestionAndStoresNothing) {
  json::object bad{{"name", "Mentor experience"},
                   {"questions", json::array{json::object{{"key", "ok"}, {"text", "Fine?"}, {"kind", "free_text"}},
                                             json::object{{"key", "scale"},
                                                          {"text", "How useful?"},
                                                          {"kind", "likert"},
                                                          {"options", json::array{"1", "2", "3", "4"}}}}}};
  http::Response res = call("POST", scheme_path("/surveys"), json::value(bad));
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(reason_of(res), "survey_likert_labels_invalid");
  EXPECT_EQ(body_of(res)["error"].as_object()["field"].as_string(), "questions[1].options");

  json::object unknown{{"name", "X"},
                       {"questions", json::array{json::object{{"key", "a"}, {"text", "b"}, {"kind", "stars"}}}}};
  EXPECT_EQ(reason_of(call("POST", scheme_path("/surveys"), json::value(unknown))), "question_kind_invalid");
  json::object extra{{"name", "X"}, {"colour", "red"}, {"questions", json::array{}}};
  EXPECT_EQ(reason_of(call("POST", scheme_path("/surveys"), json::value(extra))), "unknown_field");
  json::object dup{{"name", "X"},
                   {"questions", json::array{json::object{{"key", "a"}, {"text", "b"}, {"kind", "free_text"}},
                                             json::object{{"key", "a"}, {"text", "c"}, {"kind", "free_text"}}}}};
  EXPECT_EQ(reason_of(call("POST", scheme_path("/surveys"), json::value(dup))), "survey_question_key_duplicate");
  EXPECT_EQ(call("POST", "/api/v1/schemes/999/surveys", json::value(json::object{{"default", true}})).status, 404);
  EXPECT_EQ(count_rows("survey_questionnaires"), 0);
  EXPECT_EQ(count_rows("survey_questions"), 0);
}

TEST_F(SurveyApiTest, RoundsAreCheckedAgainstTheSchemeAndTheirDates) {
  const std::int64_t qn = default_survey();
  std::int64_t other_cohort = 0;
  write([&](core::Stores& s) {
    auto other =
        s.schemes.create(core::SchemeInput{"Other", core::SchemeType::kTraditional, "", core::SchemePhase::kPilot}, 1);
    ASSERT_TRUE(other.is_ok());
    core::CohortInput ci{other->id,
                         "Elsewhere",
                         *core::Date::parse("2026-06-01"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2026-08-05"),
                         *core::Date::parse("2027-08-04"),
                         core::MatchingModel::kAssigned};
    other_cohort = s.schemes.create_cohort(ci, 1)->id;
  });
  json::object body{{"questionnaireid", qn},    {"cohortid", cohort_},
                    {"phase", "baseline"},      {"audiences", json::array{"mentees"}},
                    {"opens_on", "2026-07-10"}, {"closes_on", "2026-07-01"}};
  EXPECT_EQ(reason_of(call("POST", scheme_path("/rounds"), json::value(body))), "survey_round_dates_out_of_order");
  body["closes_on"] = "2026-07-31";
  body["audiences"] = json::array{"Mentees!"};
  EXPECT_EQ(reason_of(call("POST", scheme_path("/rounds"), json::value(body))), "survey_audience_invalid");
  body["audiences"] = json::array{"mentees", "rota_coordinators"};
  body["phase"] = "final";
  EXPECT_EQ(reason_of(call("POST", scheme_path("/rounds"), json::value(body))), "round_phase_invalid");
  body["phase"] = "end";
  body["cohortid"] = other_cohort;
  EXPECT_EQ(reason_of(call("POST", scheme_path("/rounds"), json::value(body))), "survey_cohort_other_scheme");
  EXPECT_EQ(count_rows("survey_rounds"), 0);
  body["cohortid"] = cohort_;
  http::Response ok = call("POST", scheme_path("/rounds"), json::value(body));
  ASSERT_EQ(ok.status, 201) << ok.body;
  EXPECT_EQ(body_of(ok)["audiences"].as_array().size(), 2u);
  EXPECT_EQ(body_of(call("GET", scheme_path("/rounds")))["items"].as_array().size(), 1u);
}

TEST_F(SurveyApiTest, ResponsesAreValidatedPerQuestionTypeAndBadInputChangesNothing) {
  const std::int64_t qn = default_survey();
  const std::int64_t r = round(qn, cohort_, "baseline", "2026-06-20", "2026-07-10");
  const std::int64_t ada = person("ada", cohort_);
  const std::int64_t mentor = person("max", cohort_, core::Role::kMentor);
  const std::int64_t stranger = person("sam", 0);

  json::object answers = likert_answers(3, 4, 2, 5);
  answers["confidence"] = 6;
  EXPECT_EQ(reason_of(respond("POST", r, ada, "mentees", answers)), "survey_answer_out_of_range");
  answers["confidence"] = 2.5;
  EXPECT_EQ(reason_of(respond("POST", r, ada, "mentees", answers)), "survey_answer_out_of_range");
  answers["confidence"] = "very";
  EXPECT_EQ(reason_of(respond("POST", r, ada, "mentees", answers)), "survey_answer_wrong_type");
  answers.erase("confidence");
  http::Response missing = respond("POST", r, ada, "mentees", answers);
  EXPECT_EQ(reason_of(missing), "survey_answer_required");
  EXPECT_EQ(body_of(missing)["error"].as_object()["field"].as_string(), "answers.confidence");
  answers = likert_answers(3, 4, 2, 5);
  answers["favourite_colour"] = "blue";
  EXPECT_EQ(reason_of(respond("POST", r, ada, "mentees", answers)), "survey_answer_unknown_question");
  answers = likert_answers(3, 4, 2, 5);
  answers["went_well"] = json::array{"a"};
  EXPECT_EQ(reason_of(respond("POST", r, ada, "mentees", answers)), "survey_answer_wrong_type");
  EXPECT_EQ(reason_of(respond("POST", r, ada, "governors", likert_answers(3, 4, 2, 5))), "survey_audience_not_invited");
  EXPECT_EQ(reason_of(respond("POST", r, ada, "mentors", likert_answers(3, 4, 2, 5))), "survey_not_in_audience");
  EXPECT_EQ(reason_of(respond("POST", r, stranger, "mentees", likert_answers(3, 4, 2, 5))), "survey_not_in_audience");
  EXPECT_EQ(reason_of(respond("POST", r, 9999, "mentees", likert_answers(3, 4, 2, 5))), "account_not_found");
  EXPECT_EQ(reason_of(respond("POST", r + 100, ada, "mentees", likert_answers(3, 4, 2, 5))), "survey_round_not_found");
  EXPECT_EQ(
      reason_of(call("POST", round_path(r), json::value(json::object{{"accountid", ada}, {"audience", "mentees"}}))),
      "field_required");
  EXPECT_EQ(call("POST", round_path(r), nullptr, false).status, 401);
  EXPECT_EQ(count_rows("survey_responses"), 0);
  EXPECT_EQ(count_rows("survey_answers"), 0);

  // Supervisors are a named audience the host vouches for.
  EXPECT_EQ(respond("POST", r, stranger, "supervisors", likert_answers(4, 4, 4, 4)).status, 201);
  EXPECT_EQ(respond("POST", r, mentor, "mentors", likert_answers(4, 4, 4, 4)).status, 201);
  answers = likert_answers(3, 4, 2, 5);
  answers["went_well"] = "  Meeting monthly helped.  ";
  answers["could_improve"] = nullptr;
  http::Response ok = respond("POST", r, ada, "mentees", answers);
  ASSERT_EQ(ok.status, 201) << ok.body;
  json::object stored = body_of(ok)["answers"].as_object();
  EXPECT_EQ(stored["confidence"].as_double(), 3);
  EXPECT_EQ(stored["went_well"].as_string(), "Meeting monthly helped.");
  EXPECT_FALSE(stored.contains("could_improve"));
  EXPECT_EQ(reason_of(respond("POST", r, ada, "mentees", answers)), "survey_response_exists");
  EXPECT_EQ(count_rows("survey_responses"), 3);
}

TEST_F(SurveyApiTest, AResponseCanBeChangedUntilTheRoundClosesAndIsThenLocked) {
  const std::int64_t qn = default_survey();
  const std::int64_t r = round(qn, cohort_, "baseline", "2026-06-20", "2026-07-10");
  const std::int64_t ada = person("ada", cohort_);
  const std::int64_t bea = person("bea", cohort_);
  ASSERT_EQ(respond("POST", r, ada, "mentees", likert_answers(2, 2, 2, 2)).status, 201);
  EXPECT_EQ(reason_of(respond("PUT", r, bea, "mentees", likert_answers(2, 2, 2, 2))), "survey_response_not_found");
  http::Response changed = respond("PUT", r, ada, "mentees", likert_answers(4, 2, 2, 2));
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(body_of(changed)["answers"].as_object()["confidence"].as_double(), 4);

  clock_.advance_ms(10 * testing::kDayMs);  // 2026-07-11: the day after the round closed
  http::Response late = respond("PUT", r, ada, "mentees", likert_answers(1, 1, 1, 1));
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(reason_of(late), "survey_round_closed");
  EXPECT_EQ(reason_of(respond("POST", r, bea, "mentees", likert_answers(1, 1, 1, 1))), "survey_round_closed");
  auto kept = db_->transact([&](core::Stores& s) -> core::Status {
    auto resp = s.surveys.find_response(r, ada);
    EXPECT_TRUE(resp.is_ok() && resp->has_value());
    EXPECT_EQ((*resp)->answers[0].number, 4.0);
    return core::Status::ok();
  });
  EXPECT_TRUE(kept.is_ok());

  const std::int64_t future = round(qn, cohort_, "end", "2027-06-01", "2027-06-30");
  EXPECT_EQ(reason_of(respond("POST", future, ada, "mentees", likert_answers(1, 1, 1, 1))), "survey_round_not_open");
}

}  // namespace
}  // namespace mentoring
