#include "core/survey.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "core/text.h"

namespace mentoring::core {

const char* to_string(QuestionKind v) {
  switch (v) {
    case QuestionKind::kLikert:
      return "likert";
    case QuestionKind::kNumber:
      return "number";
    case QuestionKind::kSingleChoice:
      return "single_choice";
    case QuestionKind::kMultipleChoice:
      return "multiple_choice";
    case QuestionKind::kFreeText:
      return "free_text";
  }
  return "likert";
}

std::optional<QuestionKind> parse_question_kind(std::string_view s) {
  for (auto v : {QuestionKind::kLikert, QuestionKind::kNumber, QuestionKind::kSingleChoice,
                 QuestionKind::kMultipleChoice, QuestionKind::kFreeText})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

bool is_numeric(QuestionKind v) { return v == QuestionKind::kLikert || v == QuestionKind::kNumber; }

const char* to_string(RoundPhase v) {
  switch (v) {
    case RoundPhase::kBaseline:
      return "baseline";
    case RoundPhase::kMidpoint:
      return "midpoint";
    case RoundPhase::kEnd:
      return "end";
  }
  return "baseline";
}

std::optional<RoundPhase> parse_round_phase(std::string_view s) {
  for (auto v : {RoundPhase::kBaseline, RoundPhase::kMidpoint, RoundPhase::kEnd})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

const Question* Questionnaire::find(std::string_view key) const {
  for (const auto& q : questions)
    if (q.key == key) return &q;
  return nullptr;
}

namespace {

// Lower-case ASCII letters, digits and '_', starting with a letter: safe in
// CSV headers, JSON keys and string keys without escaping.
bool is_identifier(std::string_view s, std::size_t max_length) {
  if (s.empty() || s.size() > max_length) return false;
  if (s[0] < 'a' || s[0] > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

std::string question_field(std::size_t i, const char* member) {
  return "questions[" + std::to_string(i) + "]." + member;
}

// One-line, non-blank, bounded text: options and labels are stored one per
// line, so a line break inside one would split it.
bool is_option_text(const std::string& s) {
  return !s.empty() && s.size() <= kMaxOptionLength && trim(s) == s && is_valid_utf8_text(s, false);
}

Status validate_question(const Question& q, std::size_t i) {
  if (!is_identifier(q.key, kMaxQuestionKeyLength))
    return Status::invalid("survey_question_key_invalid",
                           "A question key must be 1 to 40 lower-case letters, digits or underscores, starting "
                           "with a letter.",
                           question_field(i, "key"));
  if (trim(q.text).empty())
    return Status::invalid("survey_question_text_required", "Give the text of question '" + q.key + "'.",
                           question_field(i, "text"));
  if (q.text.size() > kMaxQuestionTextLength || !is_valid_utf8_text(q.text, false))
    return Status::invalid("survey_question_text_invalid",
                           "The text of question '" + q.key + "' must be one line of at most 500 bytes.",
                           question_field(i, "text"));
  if (q.kind != QuestionKind::kNumber && (q.min_value || q.max_value))
    return Status::invalid("survey_number_range_invalid",
                           "Only number questions take a minimum and maximum ('" + q.key + "').",
                           question_field(i, "min"));
  switch (q.kind) {
    case QuestionKind::kLikert: {
      const bool ok = q.options.size() == static_cast<std::size_t>(kLikertPoints) &&
                      std::all_of(q.options.begin(), q.options.end(), is_option_text) &&
                      std::set<std::string>(q.options.begin(), q.options.end()).size() == q.options.size();
      if (!ok)
        return Status::invalid(
            "survey_likert_labels_invalid",
            "A Likert question needs five different one-line labels, lowest first ('" + q.key + "').",
            question_field(i, "options"));
      break;
    }
    case QuestionKind::kSingleChoice:
    case QuestionKind::kMultipleChoice: {
      const bool ok = q.options.size() >= kMinChoiceOptions && q.options.size() <= kMaxChoiceOptions &&
                      std::all_of(q.options.begin(), q.options.end(), is_option_text) &&
                      std::set<std::string>(q.options.begin(), q.options.end()).size() == q.options.size();
      if (!ok)
        return Status::invalid(
            "survey_choice_options_invalid",
            "A choice question needs 2 to 20 different one-line options of at most 200 bytes ('" + q.key + "').",
            question_field(i, "options"));
      break;
    }
    case QuestionKind::kNumber:
      if ((q.min_value && !std::isfinite(*q.min_value)) || (q.max_value && !std::isfinite(*q.max_value)) ||
          (q.min_value && q.max_value && *q.min_value > *q.max_value))
        return Status::invalid("survey_number_range_invalid",
                               "The minimum of question '" + q.key + "' must be a number no greater than its maximum.",
                               question_field(i, "min"));
      [[fallthrough]];
    case QuestionKind::kFreeText:
      if (!q.options.empty())
        return Status::invalid("survey_options_not_allowed",
                               "Only Likert and choice questions take options ('" + q.key + "').",
                               question_field(i, "options"));
      break;
  }
  return Status::ok();
}

bool is_audience_name(const std::string& s) { return is_identifier(s, kMaxAudienceNameLength); }

}  // namespace

Status validate(const Questionnaire& qn) {
  if (qn.schemeid <= 0)
    return Status::invalid("survey_scheme_required", "The questionnaire needs a scheme.", "schemeid");
  if (trim(qn.name).empty()) return Status::invalid("survey_name_required", "Give the questionnaire a name.", "name");
  if (qn.name.size() > kMaxQuestionnaireNameLength || !is_valid_utf8_text(qn.name, false))
    return Status::invalid("survey_name_invalid", "The questionnaire name must be one line of at most 200 bytes.",
                           "name");
  if (qn.questions.empty())
    return Status::invalid("survey_questions_required", "A questionnaire needs at least one question.", "questions");
  if (qn.questions.size() > kMaxQuestions)
    return Status::invalid("survey_too_many_questions", "A questionnaire may have at most 50 questions.", "questions");
  std::set<std::string> keys;
  for (std::size_t i = 0; i < qn.questions.size(); ++i) {
    MENTORING_RETURN_IF_ERROR(validate_question(qn.questions[i], i));
    if (!keys.insert(qn.questions[i].key).second)
      return Status::invalid("survey_question_key_duplicate",
                             "Two questions share the key '" + qn.questions[i].key + "'.", question_field(i, "key"));
  }
  return Status::ok();
}

Status validate(const SurveyRound& r) {
  if (r.questionnaireid <= 0)
    return Status::invalid("survey_questionnaire_required", "The round needs a questionnaire.", "questionnaireid");
  if (r.cohortid <= 0) return Status::invalid("survey_cohort_required", "The round needs a cohort.", "cohortid");
  if (r.audiences.empty() || r.audiences.size() > kMaxAudiences)
    return Status::invalid("survey_audiences_required", "Send the round to between 1 and 10 audiences.", "audiences");
  std::set<std::string> seen;
  for (const auto& a : r.audiences) {
    if (!is_audience_name(a))
      return Status::invalid("survey_audience_invalid",
                             "An audience name must be 1 to 40 lower-case letters, digits or underscores, such as "
                             "mentees, mentors or supervisors.",
                             "audiences");
    if (!seen.insert(a).second)
      return Status::invalid("survey_audience_duplicate", "The audience '" + a + "' is listed twice.", "audiences");
  }
  if (r.closes_on < r.opens_on)
    return Status::invalid("survey_round_dates_out_of_order", "The round closes before it opens.", "closes_on");
  if (r.closes_on.days_since_epoch() - r.opens_on.days_since_epoch() > kMaxRoundDays)
    return Status::invalid("survey_round_too_long", "A round may stay open for at most 366 days.", "closes_on");
  return Status::ok();
}

Status check_round_open(const SurveyRound& r, Date today) {
  if (today < r.opens_on)
    return Status::failed_precondition("survey_round_not_open",
                                       "The survey round opens on " + r.opens_on.to_string() + ".");
  if (today > r.closes_on)
    return Status::failed_precondition("survey_round_closed", "The survey round closed on " + r.closes_on.to_string() +
                                                                  "; its answers can no longer be changed.");
  return Status::ok();
}

namespace {

Status answer_error(const char* reason, const std::string& key, const std::string& sentence) {
  return Status::invalid(reason, sentence, "answers." + key);
}

bool has_number(const Answer& a) { return a.number.has_value(); }
bool has_text(const Answer& a) { return !a.text.empty(); }
bool has_choices(const Answer& a) { return !a.choices.empty(); }

// Whether the answer gives anything at all.
bool is_blank(const Answer& a) { return !has_number(a) && trim(a.text).empty() && !has_choices(a); }

Result<Answer> check_answer(const Question& q, Answer a) {
  const std::string& k = q.key;
  switch (q.kind) {
    case QuestionKind::kLikert:
    case QuestionKind::kNumber: {
      if (has_text(a) || has_choices(a))
        return answer_error("survey_answer_wrong_type", k, "Answer question '" + k + "' with a number.");
      if (!has_number(a) || !std::isfinite(*a.number))
        return answer_error("survey_answer_not_a_number", k, "Answer question '" + k + "' with a number.");
      const double v = *a.number;
      if (q.kind == QuestionKind::kLikert) {
        if (v != std::floor(v) || v < 1 || v > kLikertPoints)
          return answer_error("survey_answer_out_of_range", k,
                              "Answer question '" + k + "' with a whole number from 1 to 5.");
      } else if ((q.min_value && v < *q.min_value) || (q.max_value && v > *q.max_value)) {
        return answer_error("survey_answer_out_of_range", k, "The answer to question '" + k + "' is out of its range.");
      }
      break;
    }
    case QuestionKind::kSingleChoice:
      if (has_number(a) || has_choices(a))
        return answer_error("survey_answer_wrong_type", k, "Answer question '" + k + "' with one of its options.");
      if (std::find(q.options.begin(), q.options.end(), a.text) == q.options.end())
        return answer_error("survey_answer_unknown_option", k,
                            "The answer to question '" + k + "' is not one of its options.");
      break;
    case QuestionKind::kMultipleChoice: {
      if (has_number(a) || has_text(a))
        return answer_error("survey_answer_wrong_type", k, "Answer question '" + k + "' with a list of its options.");
      std::set<std::string> seen;
      for (const auto& c : a.choices) {
        if (std::find(q.options.begin(), q.options.end(), c) == q.options.end())
          return answer_error("survey_answer_unknown_option", k,
                              "An answer to question '" + k + "' is not one of its options.");
        if (!seen.insert(c).second)
          return answer_error("survey_answer_duplicate", k, "An option of question '" + k + "' is chosen twice.");
      }
      // Stored in the questionnaire's order so that two equal answers compare equal.
      std::vector<std::string> ordered;
      for (const auto& o : q.options)
        if (seen.count(o)) ordered.push_back(o);
      a.choices = std::move(ordered);
      break;
    }
    case QuestionKind::kFreeText:
      if (has_number(a) || has_choices(a))
        return answer_error("survey_answer_wrong_type", k, "Answer question '" + k + "' with text.");
      a.text = trim(a.text);
      if (a.text.size() > kMaxFreeTextAnswerLength)
        return answer_error("survey_answer_too_long", k,
                            "The answer to question '" + k + "' must be at most 5000 bytes.");
      if (!is_valid_utf8_text(a.text, true))
        return answer_error("survey_answer_invalid_text", k,
                            "The answer to question '" + k + "' must be UTF-8 text without control characters.");
      break;
  }
  return a;
}

}  // namespace

Result<std::vector<Answer>> validate_answers(const Questionnaire& qn, std::vector<Answer> answers) {
  std::set<std::string> given;
  for (const auto& a : answers) {
    if (!qn.find(a.key))
      return answer_error("survey_answer_unknown_question", a.key.size() <= kMaxQuestionKeyLength ? a.key : "?",
                          "There is no question with that key in this questionnaire.");
    if (!given.insert(a.key).second)
      return answer_error("survey_answer_duplicate", a.key, "Question '" + a.key + "' is answered twice.");
  }
  std::vector<Answer> out;
  for (const auto& q : qn.questions) {
    auto it = std::find_if(answers.begin(), answers.end(), [&](const Answer& a) { return a.key == q.key; });
    if (it == answers.end() || is_blank(*it)) {
      if (q.required) return answer_error("survey_answer_required", q.key, "Answer question '" + q.key + "'.");
      continue;
    }
    auto checked = check_answer(q, std::move(*it));
    if (!checked) return checked.status();
    out.push_back(std::move(checked).value());
  }
  return out;
}

namespace {

Question likert(const char* key, const char* text, bool required, std::vector<std::string> labels) {
  Question q;
  q.key = key;
  q.text = text;
  q.kind = QuestionKind::kLikert;
  q.required = required;
  q.options = std::move(labels);
  return q;
}

Question free_text(const char* key, const char* text) {
  Question q;
  q.key = key;
  q.text = text;
  q.kind = QuestionKind::kFreeText;
  return q;
}

}  // namespace

Questionnaire default_questionnaire(std::int64_t schemeid) {
  const std::vector<std::string> confidence = {"Not at all confident", "Slightly confident", "Moderately confident",
                                               "Very confident", "Extremely confident"};
  const std::vector<std::string> satisfied = {"Very dissatisfied", "Dissatisfied", "Neither satisfied nor dissatisfied",
                                              "Satisfied", "Very satisfied"};
  const std::vector<std::string> prepared = {"Not at all prepared", "Slightly prepared", "Moderately prepared",
                                             "Well prepared", "Very well prepared"};
  const std::vector<std::string> clear = {"Not at all clear", "Slightly clear", "Moderately clear", "Very clear",
                                          "Completely clear"};
  Questionnaire qn;
  qn.schemeid = schemeid;
  qn.name = "Mentoring evaluation";
  qn.questions = {
      likert("confidence", "How confident do you feel in your current role?", true, confidence),
      likert("job_satisfaction", "How satisfied are you with your job?", true, satisfied),
      likert("preparedness", "How prepared do you feel for the demands of your next stage of training or practice?",
             true, prepared),
      likert("career_clarity", "How clear are you about your career plans?", true, clear),
      likert("scheme_satisfaction", "How satisfied are you with the mentoring scheme?", false, satisfied),
      likert("platform_satisfaction",
             "How satisfied are you with the mentoring platform and the administrative support?", false, satisfied),
      free_text("went_well", "What went well?"),
      free_text("could_improve", "What could be improved?"),
  };
  return qn;
}

}  // namespace mentoring::core
