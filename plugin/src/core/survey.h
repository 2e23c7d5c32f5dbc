// Evaluation surveys (toolkit, "How can you evaluate your scheme?": "collect
// comparative data from participants before and after participation"; "collect
// feedback from mentors"). A scheme defines questionnaires; a round sends one
// questionnaire to named audiences of one cohort between two dates (baseline,
// midpoint, end). Each person answers a round at most once and may change
// their answers until the round closes.
//
// Questions are identified by a stable key ("confidence") so that the same
// item can be compared between rounds and between cohorts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::core {

enum class QuestionKind { kLikert, kNumber, kSingleChoice, kMultipleChoice, kFreeText };
// "likert", "number", "single_choice", "multiple_choice", "free_text".
const char* to_string(QuestionKind v);
std::optional<QuestionKind> parse_question_kind(std::string_view s);
// Likert and number answers are numbers and can be analysed before/after.
bool is_numeric(QuestionKind v);

enum class RoundPhase { kBaseline, kMidpoint, kEnd };
const char* to_string(RoundPhase v);  // "baseline", "midpoint", "end"
std::optional<RoundPhase> parse_round_phase(std::string_view s);

inline constexpr int kLikertPoints = 5;
inline constexpr std::size_t kMaxQuestions = 50;
inline constexpr std::size_t kMaxQuestionKeyLength = 40;
inline constexpr std::size_t kMaxQuestionTextLength = 500;
inline constexpr std::size_t kMaxOptionLength = 200;
inline constexpr std::size_t kMinChoiceOptions = 2;
inline constexpr std::size_t kMaxChoiceOptions = 20;
inline constexpr std::size_t kMaxQuestionnaireNameLength = 200;
inline constexpr std::size_t kMaxFreeTextAnswerLength = 5000;
inline constexpr std::size_t kMaxAudiences = 10;
inline constexpr std::size_t kMaxAudienceNameLength = 40;
inline constexpr int kMaxRoundDays = 366;

struct Question {
  std::int64_t id = 0;
  std::string key;   // [a-z0-9_], starts with a letter, unique in its questionnaire
  std::string text;  // what the person reads
  QuestionKind kind = QuestionKind::kLikert;
  bool required = false;
  // Likert: exactly kLikertPoints labels, lowest first ("Strongly disagree" ...).
  // Single and multiple choice: the options, 2..20, unique. Others: empty.
  std::vector<std::string> options;
  // Number only: the inclusive range (both optional; min <= max).
  std::optional<double> min_value;
  std::optional<double> max_value;
};

struct Questionnaire {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  std::string name;
  std::vector<Question> questions;  // in the order they are asked
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;

  const Question* find(std::string_view key) const;
};

// Audiences a round is sent to. "mentees" and "mentors" are the cohort's
// enrolled members; any other name ("supervisors", "rota_coordinators")
// names a group the host identifies when it submits their responses.
inline constexpr const char* kAudienceMentees = "mentees";
inline constexpr const char* kAudienceMentors = "mentors";

struct SurveyRound {
  std::int64_t id = 0;
  std::int64_t questionnaireid = 0;
  std::int64_t cohortid = 0;
  RoundPhase phase = RoundPhase::kBaseline;
  std::vector<std::string> audiences;
  Date opens_on;
  Date closes_on;  // inclusive: answers are accepted and editable up to this day
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// One answer. Likert: number 1..5; number: the number; single choice: text
// is one of the options; multiple choice: choices are options (no repeats,
// possibly none); free text: text.
struct Answer {
  std::string key;
  std::optional<double> number;
  std::string text;
  std::vector<std::string> choices;
};

struct SurveyResponse {
  std::int64_t id = 0;
  std::int64_t roundid = 0;
  std::int64_t accountid = 0;
  std::string audience;
  std::vector<Answer> answers;  // in questionnaire order; unanswered optional questions absent
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// Reasons: survey_scheme_required, survey_name_required, survey_name_invalid,
// survey_questions_required, survey_too_many_questions,
// survey_question_key_invalid, survey_question_key_duplicate,
// survey_question_text_required, survey_question_text_invalid,
// survey_likert_labels_invalid, survey_choice_options_invalid,
// survey_options_not_allowed, survey_number_range_invalid. Fields name the
// question by position: "questions[2].options".
Status validate(const Questionnaire& questionnaire);

// Reasons: survey_questionnaire_required, survey_cohort_required,
// survey_audiences_required, survey_audience_invalid,
// survey_audience_duplicate, survey_round_dates_out_of_order,
// survey_round_too_long.
Status validate(const SurveyRound& round);

// Accepting answers on `today`: failed_precondition survey_round_not_open
// before opens_on, survey_round_closed after closes_on.
Status check_round_open(const SurveyRound& round, Date today);

// Checks `answers` against the questionnaire and returns them in question
// order with free text trimmed. Reasons (field "answers.<key>"):
// survey_answer_unknown_question, survey_answer_duplicate,
// survey_answer_required, survey_answer_not_a_number,
// survey_answer_out_of_range (likert 1..5 whole numbers, number min..max),
// survey_answer_unknown_option, survey_answer_too_long,
// survey_answer_invalid_text, survey_answer_wrong_type (a value given in a
// form the question does not take).
Result<std::vector<Answer>> validate_answers(const Questionnaire& questionnaire, std::vector<Answer> answers);

// The questionnaire a scheme gets on request, aligned with the toolkit:
// confidence, job satisfaction, preparedness for the next stage, career
// clarity (Likert, asked every round), satisfaction with the scheme and with
// the platform and administrative support (Likert, optional, meaningful from
// the midpoint), and two free-text questions on what went well and what
// could be improved.
Questionnaire default_questionnaire(std::int64_t schemeid);

}  // namespace mentoring::core
