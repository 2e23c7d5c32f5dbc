#include "adapters/api/survey_codec.h"

#include "adapters/api/json_fields.h"

namespace mentoring::api {
namespace json = boost::json;
using core::Result;
using core::Status;

json::object to_json(const core::Questionnaire& qn) {
  json::array questions;
  for (const auto& q : qn.questions) {
    json::object o{
        {"id", q.id}, {"key", q.key}, {"text", q.text}, {"kind", core::to_string(q.kind)}, {"required", q.required}};
    if (!q.options.empty()) {
      json::array options;
      for (const auto& x : q.options) options.push_back(json::value(x));
      o["options"] = std::move(options);
    }
    if (q.min_value) o["min"] = *q.min_value;
    if (q.max_value) o["max"] = *q.max_value;
    questions.push_back(std::move(o));
  }
  return {{"id", qn.id},
          {"schemeid", qn.schemeid},
          {"name", qn.name},
          {"questions", std::move(questions)},
          {"timecreated", qn.timecreated},
          {"timemodified", qn.timemodified}};
}

json::object to_json(const core::SurveyRound& r) {
  json::array audiences;
  for (const auto& a : r.audiences) audiences.push_back(json::value(a));
  return {{"id", r.id},
          {"questionnaireid", r.questionnaireid},
          {"cohortid", r.cohortid},
          {"phase", core::to_string(r.phase)},
          {"audiences", std::move(audiences)},
          {"opens_on", r.opens_on.to_string()},
          {"closes_on", r.closes_on.to_string()},
          {"timecreated", r.timecreated},
          {"timemodified", r.timemodified}};
}

json::object to_json(const core::SurveyResponse& r) {
  json::object answers;
  for (const auto& a : r.answers) {
    if (a.number) {
      answers[a.key] = *a.number;
    } else if (!a.choices.empty()) {
      json::array c;
      for (const auto& x : a.choices) c.push_back(json::value(x));
      answers[a.key] = std::move(c);
    } else {
      answers[a.key] = a.text;
    }
  }
  return {{"id", r.id},
          {"roundid", r.roundid},
          {"accountid", r.accountid},
          {"audience", r.audience},
          {"answers", std::move(answers)},
          {"timecreated", r.timecreated},
          {"timemodified", r.timemodified}};
}

json::object to_json(const core::EvaluationConsent& c) {
  return {{"accountid", c.accountid}, {"given", c.given}, {"recorded_on", c.recorded_on.to_string()}};
}

json::object to_json(const app::OutcomeImportSummary& s) {
  json::array errors;
  for (const auto& e : s.errors)
    errors.push_back(
        json::object{{"row", e.row}, {"column", e.column_name}, {"reason", e.reason}, {"message", e.message}});
  return {{"rows_read", s.rows_read},
          {"rows_with_errors", s.rows_with_errors},
          {"rows_to_store", s.rows_to_store},
          {"rows_skipped_no_consent", s.rows_skipped_no_consent},
          {"errors", std::move(errors)},
          {"errors_not_listed", s.errors_not_listed},
          {"applied", s.applied}};
}

namespace {

Status question_error(const char* reason, std::size_t i, const char* member, const std::string& sentence) {
  return Status::invalid(reason, sentence, "questions[" + std::to_string(i) + "]." + member);
}

Result<core::Question> question_from_json(const json::value& v, std::size_t i) {
  if (!v.is_object()) return question_error("question_not_an_object", i, "", "Each question must be a JSON object.");
  const json::object& o = v.as_object();
  if (Status st = unknown_fields(o, {"key", "text", "kind", "required", "options", "min", "max"}); !st)
    return question_error(st.reason().c_str(), i, st.field().c_str(), st.message());
  core::Question q;
  auto prefixed = [&](Status st) {
    return Status(st.code(), st.reason(), st.message(), "questions[" + std::to_string(i) + "]." + st.field());
  };
  if (Status st = read_string(o, "key", q.key, true); !st) return prefixed(st);
  if (Status st = read_string(o, "text", q.text, true); !st) return prefixed(st);
  if (Status st = read_enum(o, "kind", q.kind, core::parse_question_kind, "question_kind_invalid",
                            "likert, number, single_choice, multiple_choice or free_text", true);
      !st)
    return prefixed(st);
  if (Status st = read_bool(o, "required", q.required); !st) return prefixed(st);
  if (Status st = read_strings(o, "options", q.options); !st) return prefixed(st);
  if (Status st = read_number(o, "min", q.min_value); !st) return prefixed(st);
  if (Status st = read_number(o, "max", q.max_value); !st) return prefixed(st);
  return q;
}

}  // namespace

Result<std::optional<core::Questionnaire>> questionnaire_from_json(std::int64_t schemeid, const json::object& o) {
  if (o.contains("default")) {
    MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"default"}));
    bool use_default = false;
    MENTORING_RETURN_IF_ERROR(read_bool(o, "default", use_default));
    if (!use_default)
      return Status::invalid("survey_default_false", "Send {\"default\": true}, or a name and questions.", "default");
    return std::optional<core::Questionnaire>();
  }
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"name", "questions"}));
  core::Questionnaire qn;
  qn.schemeid = schemeid;
  MENTORING_RETURN_IF_ERROR(read_string(o, "name", qn.name, true));
  const json::value* qs = o.if_contains("questions");
  if (!qs) return field_required("questions");
  if (!qs->is_array())
    return Status::invalid("field_not_array", "The field 'questions' must be an array.", "questions");
  if (qs->as_array().size() > core::kMaxQuestions)
    return Status::invalid("survey_too_many_questions", "A questionnaire may have at most 50 questions.", "questions");
  std::size_t i = 0;
  for (const auto& v : qs->as_array()) {
    auto q = question_from_json(v, i++);
    if (!q) return q.status();
    qn.questions.push_back(std::move(q).value());
  }
  return std::optional<core::Questionnaire>(std::move(qn));
}

Result<core::SurveyRound> round_from_json(const json::object& o) {
  MENTORING_RETURN_IF_ERROR(
      unknown_fields(o, {"questionnaireid", "cohortid", "phase", "audiences", "opens_on", "closes_on"}));
  core::SurveyRound r;
  MENTORING_RETURN_IF_ERROR(read_int64(o, "questionnaireid", r.questionnaireid, true));
  MENTORING_RETURN_IF_ERROR(read_int64(o, "cohortid", r.cohortid, true));
  MENTORING_RETURN_IF_ERROR(read_enum(o, "phase", r.phase, core::parse_round_phase, "round_phase_invalid",
                                      "baseline, midpoint or end", true));
  if (!o.contains("audiences")) return field_required("audiences");
  MENTORING_RETURN_IF_ERROR(read_strings(o, "audiences", r.audiences));
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "opens_on", r.opens_on));
  MENTORING_RETURN_IF_ERROR(read_required_date(o, "closes_on", r.closes_on));
  return r;
}

Result<ResponseInput> response_from_json(const json::object& o) {
  MENTORING_RETURN_IF_ERROR(unknown_fields(o, {"accountid", "audience", "answers"}));
  ResponseInput in;
  MENTORING_RETURN_IF_ERROR(read_int64(o, "accountid", in.accountid, true));
  MENTORING_RETURN_IF_ERROR(read_string(o, "audience", in.audience, true));
  const json::value* answers = o.if_contains("answers");
  if (!answers) return field_required("answers");
  if (!answers->is_object())
    return Status::invalid("field_not_object", "The field 'answers' must be an object keyed by question.", "answers");
  if (answers->as_object().size() > core::kMaxQuestions)
    return Status::invalid("survey_too_many_answers", "A response may answer at most 50 questions.", "answers");
  for (const auto& kv : answers->as_object()) {
    core::Answer a;
    a.key = std::string(kv.key());
    const std::string field = "answers." + (a.key.size() <= core::kMaxQuestionKeyLength ? a.key : std::string("?"));
    const json::value& v = kv.value();
    if (v.is_null()) {
      // A blank answer: the same as leaving the question out.
    } else if (v.is_number()) {
      a.number = v.to_number<double>();
    } else if (v.is_string()) {
      a.text = std::string(v.as_string());
    } else if (v.is_array()) {
      for (const auto& x : v.as_array()) {
        if (!x.is_string())
          return Status::invalid("survey_answer_wrong_type", "Options must be given as strings.", field);
        a.choices.push_back(std::string(x.as_string()));
      }
    } else {
      return Status::invalid("survey_answer_wrong_type",
                             "An answer must be a number, a string, a list of strings or null.", field);
    }
    in.answers.push_back(std::move(a));
  }
  return in;
}

}  // namespace mentoring::api
