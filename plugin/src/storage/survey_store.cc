#include <soci/soci.h>

#include <map>

#include "storage/evaluation_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::Questionnaire;
using core::Result;
using core::Status;
using core::SurveyResponse;
using core::SurveyRound;

namespace {

Status questionnaire_not_found() {
  return Status::not_found("questionnaire_not_found", "There is no questionnaire with that id.");
}

struct QuestionnaireRow {
  std::int64_t id = 0, schemeid = 0;
  std::string name;
  std::int64_t timecreated = 0, timemodified = 0;
};

void bind(soci::details::prepare_temp_type& p, QuestionnaireRow& r) {
  p, soci::into(r.id), soci::into(r.schemeid), soci::into(r.name), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Questionnaire to_questionnaire(const QuestionnaireRow& r) {
  Questionnaire q;
  q.id = r.id;
  q.schemeid = r.schemeid;
  q.name = r.name;
  q.timecreated = r.timecreated;
  q.timemodified = r.timemodified;
  return q;
}

constexpr const char* kQuestionnaireColumns = "id, schemeid, name, timecreated, timemodified";

struct RoundRow {
  std::int64_t id = 0, questionnaireid = 0, cohortid = 0;
  std::string phase, audiences, opens_on, closes_on;
  std::int64_t timecreated = 0, timemodified = 0;
};

std::string round_columns(Dialect d) {
  return "r.id, r.questionnaireid, r.cohortid, r.phase, r.audiences, " + date_as_text(d, "r.opens_on") + ", " +
         date_as_text(d, "r.closes_on") + ", r.timecreated, r.timemodified";
}

void bind(soci::details::prepare_temp_type& p, RoundRow& r) {
  p, soci::into(r.id), soci::into(r.questionnaireid), soci::into(r.cohortid), soci::into(r.phase),
      soci::into(r.audiences), soci::into(r.opens_on), soci::into(r.closes_on), soci::into(r.timecreated),
      soci::into(r.timemodified);
}

Result<SurveyRound> to_round(const TxContext& tx, const RoundRow& r) {
  SurveyRound out;
  out.id = r.id;
  out.questionnaireid = r.questionnaireid;
  out.cohortid = r.cohortid;
  auto phase = core::parse_round_phase(r.phase);
  if (!phase) return stored_value_invalid(tx.table("survey_rounds"), "phase", r.phase);
  out.phase = *phase;
  out.audiences = split_list(r.audiences, '\n');
  auto opens = core::Date::parse(r.opens_on);
  if (!opens) return stored_value_invalid(tx.table("survey_rounds"), "opens_on", r.opens_on);
  auto closes = core::Date::parse(r.closes_on);
  if (!closes) return stored_value_invalid(tx.table("survey_rounds"), "closes_on", r.closes_on);
  out.opens_on = *opens;
  out.closes_on = *closes;
  out.timecreated = r.timecreated;
  out.timemodified = r.timemodified;
  return out;
}

}  // namespace

Result<Questionnaire> SociSurveyStore::create_questionnaire(const Questionnaire& qn, core::UnixSeconds now) {
  return guarded(tx_, "creating a questionnaire", [&]() -> Result<Questionnaire> {
    if (!row_exists(tx_, "schemes", qn.schemeid))
      return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    QuestionnaireRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("survey_questionnaires") +
                                " (schemeid, name, timecreated, timemodified) VALUES (:schemeid, :name, :tc, :tm)"
                                " RETURNING " +
                                kQuestionnaireColumns,
         soci::use(qn.schemeid), soci::use(qn.name), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Creating a questionnaire returned no row.");
    Questionnaire out = to_questionnaire(r);
    int position = 0;
    for (const auto& q : qn.questions) {
      core::Question stored = q;
      const std::string kind = core::to_string(q.kind);
      const int required = q.required ? 1 : 0;
      const std::string options = join_list(q.options, '\n');
      double min_value = q.min_value.value_or(0), max_value = q.max_value.value_or(0);
      soci::indicator min_ind = q.min_value ? soci::i_ok : soci::i_null;
      soci::indicator max_ind = q.max_value ? soci::i_ok : soci::i_null;
      soci::details::prepare_temp_type qp =
          (tx_.sql.prepare << "INSERT INTO " + tx_.table("survey_questions") +
                                  " (questionnaireid, position, question_key, text, kind, required, options,"
                                  " min_value, max_value, timecreated, timemodified) VALUES (:qid, :pos, :key,"
                                  " :text, :kind, :required, :options, :min, :max, :tc, :tm) RETURNING id",
           soci::use(out.id), soci::use(position), soci::use(q.key), soci::use(q.text), soci::use(kind),
           soci::use(required), soci::use(options), soci::use(min_value, min_ind), soci::use(max_value, max_ind),
           soci::use(now), soci::use(now), soci::into(stored.id));
      if (!fetch_one(qp)) return Status::internal("insert_returned_nothing", "Creating a question returned no row.");
      out.questions.push_back(std::move(stored));
      ++position;
    }
    return out;
  });
}

Result<std::vector<core::Question>> SociSurveyStore::questions(std::int64_t questionnaireid) {
  std::vector<core::Question> out;
  core::Question q;
  std::string kind, options;
  int required = 0;
  double min_value = 0, max_value = 0;
  soci::indicator min_ind = soci::i_null, max_ind = soci::i_null;
  soci::statement st =
      (tx_.sql.prepare << "SELECT id, question_key, text, kind, required, options, min_value, max_value FROM " +
                              tx_.table("survey_questions") + " WHERE questionnaireid = :id ORDER BY position",
       soci::use(questionnaireid), soci::into(q.id), soci::into(q.key), soci::into(q.text), soci::into(kind),
       soci::into(required), soci::into(options), soci::into(min_value, min_ind), soci::into(max_value, max_ind));
  st.execute();
  while (st.fetch()) {
    core::Question row = q;
    auto k = core::parse_question_kind(kind);
    if (!k) return stored_value_invalid(tx_.table("survey_questions"), "kind", kind);
    row.kind = *k;
    row.required = required != 0;
    row.options = split_list(options, '\n');
    row.min_value = min_ind == soci::i_ok ? std::optional<double>(min_value) : std::nullopt;
    row.max_value = max_ind == soci::i_ok ? std::optional<double>(max_value) : std::nullopt;
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::optional<Questionnaire>> SociSurveyStore::find_questionnaire(std::int64_t id) {
  return guarded(tx_, "reading a questionnaire", [&]() -> Result<std::optional<Questionnaire>> {
    QuestionnaireRow r;
    soci::details::prepare_temp_type p = (tx_.sql.prepare << std::string("SELECT ") + kQuestionnaireColumns + " FROM " +
                                                                 tx_.table("survey_questionnaires") + " WHERE id = :id",
                                          soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<Questionnaire>();
    Questionnaire out = to_questionnaire(r);
    auto qs = questions(out.id);
    if (!qs) return qs.status();
    out.questions = std::move(qs).value();
    return std::optional<Questionnaire>(std::move(out));
  });
}

Result<std::vector<Questionnaire>> SociSurveyStore::list_questionnaires(std::int64_t schemeid) {
  return guarded(tx_, "listing questionnaires", [&]() -> Result<std::vector<Questionnaire>> {
    std::vector<Questionnaire> out;
    {
      QuestionnaireRow r;
      soci::details::prepare_temp_type p =
          (tx_.sql.prepare << std::string("SELECT ") + kQuestionnaireColumns + " FROM " +
                                  tx_.table("survey_questionnaires") + " WHERE schemeid = :id ORDER BY id",
           soci::use(schemeid));
      bind(p, r);
      soci::statement st(p);
      st.execute();
      while (st.fetch()) out.push_back(to_questionnaire(r));
    }
    for (auto& qn : out) {
      auto qs = questions(qn.id);
      if (!qs) return qs.status();
      qn.questions = std::move(qs).value();
    }
    return out;
  });
}

Result<SurveyRound> SociSurveyStore::create_round(const SurveyRound& round, core::UnixSeconds now) {
  return guarded(tx_, "creating a survey round", [&]() -> Result<SurveyRound> {
    if (!row_exists(tx_, "survey_questionnaires", round.questionnaireid)) return questionnaire_not_found();
    if (!row_exists(tx_, "cohorts", round.cohortid))
      return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    const std::string phase = core::to_string(round.phase), audiences = join_list(round.audiences, '\n');
    const std::string opens = round.opens_on.to_string(), closes = round.closes_on.to_string();
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("survey_rounds") +
                   " (questionnaireid, cohortid, phase, audiences, opens_on, closes_on, timecreated, timemodified)"
                   " VALUES (:q, :c, :phase, :aud, :opens, :closes, :tc, :tm) RETURNING id",
        soci::use(round.questionnaireid), soci::use(round.cohortid), soci::use(phase), soci::use(audiences),
        soci::use(opens), soci::use(closes), soci::use(now), soci::use(now), soci::into(id);
    auto rows = rounds_where("r.id = :id", id);
    if (!rows) return rows.status();
    if (rows->empty()) return Status::internal("insert_returned_nothing", "Creating a survey round returned no row.");
    return rows->front();
  });
}

Result<std::vector<SurveyRound>> SociSurveyStore::rounds_where(const std::string& where, std::int64_t id) {
  std::vector<SurveyRound> out;
  RoundRow r;
  soci::details::prepare_temp_type p =
      (tx_.sql.prepare << "SELECT " + round_columns(tx_.dialect) + " FROM " + tx_.table("survey_rounds") + " r JOIN " +
                              tx_.table("cohorts") + " c ON c.id = r.cohortid WHERE " + where +
                              " ORDER BY r.opens_on, r.id",
       soci::use(id));
  bind(p, r);
  soci::statement st(p);
  st.execute();
  while (st.fetch()) {
    auto round = to_round(tx_, r);
    if (!round) return round.status();
    out.push_back(std::move(round).value());
  }
  return out;
}

Result<std::optional<SurveyRound>> SociSurveyStore::find_round(std::int64_t id) {
  return guarded(tx_, "reading a survey round", [&]() -> Result<std::optional<SurveyRound>> {
    auto rows = rounds_where("r.id = :id", id);
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<SurveyRound>();
    return std::optional<SurveyRound>(rows->front());
  });
}

Result<std::vector<SurveyRound>> SociSurveyStore::list_rounds(std::int64_t schemeid) {
  return guarded(tx_, "listing survey rounds", [&]() { return rounds_where("c.schemeid = :id", schemeid); });
}

Result<std::vector<SurveyResponse>> SociSurveyStore::responses_where(const std::string& where, std::int64_t a,
                                                                     std::int64_t b) {
  std::vector<SurveyResponse> out;
  {
    SurveyResponse r;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, roundid, accountid, audience, timecreated, timemodified FROM " +
                                tx_.table("survey_responses") + " WHERE " + where + " ORDER BY accountid",
         soci::use(a), soci::use(b), soci::into(r.id), soci::into(r.roundid), soci::into(r.accountid),
         soci::into(r.audience), soci::into(r.timecreated), soci::into(r.timemodified));
    st.execute();
    while (st.fetch()) out.push_back(r);
  }
  if (out.empty()) return out;
  std::map<std::int64_t, std::size_t> index;
  for (std::size_t i = 0; i < out.size(); ++i) index[out[i].id] = i;
  // Answers come back in the questionnaire's order through the question's position.
  std::int64_t responseid = 0;
  std::string key, text;
  double number = 0;
  soci::indicator number_ind = soci::i_null;
  soci::statement st =
      (tx_.sql.prepare << "SELECT a.responseid, a.question_key, a.number_value, a.text_value FROM " +
                              tx_.table("survey_answers") + " a JOIN " + tx_.table("survey_responses") +
                              " s ON s.id = a.responseid JOIN " + tx_.table("survey_rounds") +
                              " r ON r.id = s.roundid LEFT JOIN " + tx_.table("survey_questions") +
                              " q ON q.questionnaireid = r.questionnaireid AND q.question_key = a.question_key"
                              " WHERE s.id IN (SELECT id FROM " +
                              tx_.table("survey_responses") + " WHERE " + where + ") ORDER BY a.responseid, q.position",
       soci::use(a), soci::use(b), soci::into(responseid), soci::into(key), soci::into(number, number_ind),
       soci::into(text));
  st.execute();
  // Multiple-choice answers are stored as their options, one per line, and
  // told apart from free text by the question's kind when read back.
  while (st.fetch()) {
    auto it = index.find(responseid);
    if (it == index.end()) continue;
    core::Answer ans;
    ans.key = key;
    if (number_ind == soci::i_ok) ans.number = number;
    ans.text = text;
    out[it->second].answers.push_back(std::move(ans));
  }
  return out;
}

namespace {

// Puts multiple-choice answers back from their stored text.
Status restore_choices(const Questionnaire& qn, SurveyResponse& r) {
  for (auto& a : r.answers) {
    const core::Question* q = qn.find(a.key);
    if (q && q->kind == core::QuestionKind::kMultipleChoice) {
      a.choices = split_list(a.text, '\n');
      a.text.clear();
    }
  }
  return Status::ok();
}

std::string answer_text(const core::Answer& a) { return a.choices.empty() ? a.text : join_list(a.choices, '\n'); }

}  // namespace

void SociSurveyStore::insert_answers(std::int64_t responseid, const std::vector<core::Answer>& answers,
                                     core::UnixSeconds now) {
  for (const auto& a : answers) {
    double number = a.number.value_or(0);
    soci::indicator ind = a.number ? soci::i_ok : soci::i_null;
    const std::string text = answer_text(a);
    tx_.sql << "INSERT INTO " + tx_.table("survey_answers") +
                   " (responseid, question_key, number_value, text_value, timecreated, timemodified) VALUES (:r, :k,"
                   " :n, :t, :tc, :tm)",
        soci::use(responseid), soci::use(a.key), soci::use(number, ind), soci::use(text), soci::use(now),
        soci::use(now);
  }
}

Result<std::optional<SurveyResponse>> SociSurveyStore::find_response(std::int64_t roundid, std::int64_t accountid) {
  return guarded(tx_, "reading a survey response", [&]() -> Result<std::optional<SurveyResponse>> {
    auto rows = responses_where("roundid = :a AND accountid = :b", roundid, accountid);
    if (!rows) return rows.status();
    if (rows->empty()) return std::optional<SurveyResponse>();
    auto round = rounds_where("r.id = :id", roundid);
    if (!round) return round.status();
    SurveyResponse out = rows->front();
    if (!round->empty()) {
      auto qn = find_questionnaire(round->front().questionnaireid);
      if (!qn) return qn.status();
      if (qn->has_value()) MENTORING_RETURN_IF_ERROR(restore_choices(**qn, out));
    }
    return std::optional<SurveyResponse>(std::move(out));
  });
}

Result<SurveyResponse> SociSurveyStore::create_response(const SurveyResponse& response, core::UnixSeconds now) {
  return guarded(tx_, "storing a survey response", [&]() -> Result<SurveyResponse> {
    if (!row_exists(tx_, "survey_rounds", response.roundid))
      return Status::not_found("survey_round_not_found", "There is no survey round with that id.");
    if (!row_exists(tx_, "accounts", response.accountid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    int existing = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("survey_responses") + " WHERE roundid = :r AND accountid = :a",
        soci::use(response.roundid), soci::use(response.accountid), soci::into(existing);
    if (existing > 0)
      return Status::already_exists("survey_response_exists",
                                    "This person has already answered the round; change the response instead.");
    std::int64_t id = 0;
    tx_.sql << "INSERT INTO " + tx_.table("survey_responses") +
                   " (roundid, accountid, audience, timecreated, timemodified) VALUES (:r, :a, :aud, :tc, :tm)"
                   " RETURNING id",
        soci::use(response.roundid), soci::use(response.accountid), soci::use(response.audience), soci::use(now),
        soci::use(now), soci::into(id);
    insert_answers(id, response.answers, now);
    auto stored = find_response(response.roundid, response.accountid);
    if (!stored) return stored.status();
    if (!stored->has_value()) return Status::internal("insert_returned_nothing", "A stored response was not found.");
    return **stored;
  });
}

Result<SurveyResponse> SociSurveyStore::update_response(const SurveyResponse& response, core::UnixSeconds now) {
  return guarded(tx_, "changing a survey response", [&]() -> Result<SurveyResponse> {
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("survey_responses") +
                                " SET audience = :aud, timemodified = :tm WHERE roundid = :r AND accountid = :a"
                                " RETURNING id",
         soci::use(response.audience), soci::use(now), soci::use(response.roundid), soci::use(response.accountid),
         soci::into(id));
    if (!fetch_one(p))
      return Status::not_found("survey_response_not_found", "This person has not answered the round yet.");
    tx_.sql << "DELETE FROM " + tx_.table("survey_answers") + " WHERE responseid = :id", soci::use(id);
    insert_answers(id, response.answers, now);
    auto stored = find_response(response.roundid, response.accountid);
    if (!stored) return stored.status();
    if (!stored->has_value()) return Status::internal("update_returned_nothing", "A stored response was not found.");
    return **stored;
  });
}

Result<std::vector<SurveyResponse>> SociSurveyStore::list_responses(std::int64_t roundid) {
  return guarded(tx_, "listing survey responses", [&]() -> Result<std::vector<SurveyResponse>> {
    // "0 = :b" keeps one binding shape for both lookups.
    auto rows = responses_where("roundid = :a AND 0 = :b", roundid, 0);
    if (!rows) return rows.status();
    auto round = rounds_where("r.id = :id", roundid);
    if (!round) return round.status();
    if (round->empty()) return rows;
    auto qn = find_questionnaire(round->front().questionnaireid);
    if (!qn) return qn.status();
    if (qn->has_value())
      for (auto& r : *rows) MENTORING_RETURN_IF_ERROR(restore_choices(**qn, r));
    return rows;
  });
}

Result<bool> SociSurveyStore::is_enrolled(std::int64_t cohortid, std::int64_t accountid, const std::string& role) {
  return guarded(tx_, "checking an enrolment", [&]() -> Result<bool> {
    int n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("enrolments") +
                   " WHERE cohortid = :c AND accountid = :a AND role = :r",
        soci::use(cohortid), soci::use(accountid), soci::use(role), soci::into(n);
    return n > 0;
  });
}

}  // namespace mentoring::storage
