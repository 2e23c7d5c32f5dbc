// Feedback for mentees and mentors: /feedback lists the midpoint and end
// check-ins (app/checkins.h) and the evaluation surveys (app/survey.h) the
// person owes or has given, with their own answers; each check-in and each
// survey round has a form that stays open, and changeable, until its window
// closes. Nobody but the person sees their answers here.
#include <cstdlib>
#include <map>
#include <set>

#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/checkins.h"
#include "app/survey.h"
#include "core/lti_capabilities.h"
#include "core/text.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Result;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

constexpr std::initializer_list<std::string_view> kParticipants = {cap::kMenteeParticipate, cap::kMentorParticipate};

Status unavailable() { return Status::unavailable("service_unavailable", "Feedback is not available."); }

std::string error_text(const Strings& strings, const Status& st) {
  const std::string key = "page:error_" + st.reason();
  if (is_valid_string_key(key) && strings.contains(key)) return strings.text(key);
  return st.message();
}

std::vector<FieldOption> options_of(const Strings& s, std::string_view prefix, std::initializer_list<const char*> v) {
  std::vector<FieldOption> out;
  for (const char* value : v) out.push_back({value, s.text(std::string(prefix) + value)});
  return out;
}

std::string checkin_href(const PageContext& ctx, std::int64_t pairingid, core::CheckinPhase phase) {
  return href(ctx, "/feedback/checkins/" + std::to_string(pairingid) + "/" + core::to_string(phase));
}

// "Answered", "Overdue", "Open", "Opens on 2027-01-20", "Closed".
std::string checkin_status(const Strings& s, const app::CheckinDue& d, core::Date today) {
  if (d.response) return s.text("feedback:status_answered");
  if (d.overdue) return s.text("feedback:status_overdue");
  if (d.open) return s.text("feedback:status_open");
  if (today < d.window.opens_on) return s.format("feedback:status_opens", {{"date", d.window.opens_on.to_string()}});
  return s.text("feedback:status_closed");
}

km::data answer_facts(const Strings& s, const core::CheckinAnswers& a) {
  km::data facts{km::data::type::list};
  auto fact = [&](const char* key, std::string value) {
    km::data f;
    f.set("key", s.text(key));
    f.set("value", std::move(value));
    facts.push_back(f);
  };
  fact("checkin:field_working", s.text(std::string("checkin:working_") + core::to_string(a.working)));
  fact("checkin:field_frequency", s.text(std::string("checkin:frequency_") + core::to_string(a.frequency)));
  fact("checkin:field_goals_progress", s.text("checkin:progress_" + std::to_string(a.goals_progress)));
  fact("checkin:field_would_continue", s.text(std::string("checkin:continue_") + core::to_string(a.would_continue)));
  if (!a.comments.empty()) fact("checkin:field_comments", a.comments);
  return facts;
}

FormView checkin_form(const Strings& s, const core::CheckinAnswers* stored, const FormFields& typed = {}) {
  auto value = [&](std::string_view name, std::string fallback) {
    if (typed.empty()) return fallback;
    for (const auto& [k, v] : typed)
      if (k == name) return v;
    return std::string();
  };
  FormView form(s);
  form.radios("working", "checkin:field_working", "", options_of(s, "checkin:working_", {"yes", "partly", "no"}),
              value("working", stored ? core::to_string(stored->working) : ""));
  form.radios("frequency", "checkin:field_frequency", "",
              options_of(s, "checkin:frequency_", {"weekly", "fortnightly", "monthly", "less_often", "not_met"}),
              value("frequency", stored ? core::to_string(stored->frequency) : ""));
  form.radios("goals_progress", "checkin:field_goals_progress", "checkin:hint_goals_progress",
              options_of(s, "checkin:progress_", {"1", "2", "3", "4", "5"}),
              value("goals_progress", stored ? std::to_string(stored->goals_progress) : ""));
  form.radios("would_continue", "checkin:field_would_continue", "checkin:hint_would_continue",
              options_of(s, "checkin:continue_", {"yes", "unsure", "no"}),
              value("would_continue", stored ? core::to_string(stored->would_continue) : ""));
  form.textarea("comments", "checkin:field_comments", "checkin:hint_comments",
                value("comments", stored ? stored->comments : ""), 5);
  return form;
}

// The survey rounds sent to the person: a round of a cohort they are
// enrolled in, sent to their role's audience.
struct MyRound {
  core::SurveyRound round;
  const core::Questionnaire* questionnaire = nullptr;
  std::string audience;
  std::optional<core::SurveyResponse> response;
};

struct MySurveys {
  std::vector<core::Questionnaire> questionnaires;
  std::vector<MyRound> rounds;
};

Result<MySurveys> my_surveys(const PageContext& ctx, const SignedIn& who) {
  MySurveys out;
  auto scheme = session_scheme(ctx, who);
  if (!scheme) return scheme.status();
  if (!*scheme || !ctx.services.surveys) return out;
  const std::int64_t schemeid = (*scheme)->id;
  std::vector<MyEnrolment> mine;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto e = my_enrolments(s, who.account.id, schemeid);
    if (!e) return e.status();
    mine = std::move(*e);
    return Status::ok();
  });
  if (!st) return st;
  auto questionnaires = ctx.services.surveys->list_questionnaires(schemeid);
  if (!questionnaires) return questionnaires.status();
  out.questionnaires = std::move(*questionnaires);
  auto rounds = ctx.services.surveys->list_rounds(schemeid);
  if (!rounds) return rounds.status();
  for (const core::SurveyRound& r : *rounds) {
    std::string audience;
    for (const MyEnrolment& e : mine) {
      if (e.cohort.id != r.cohortid) continue;
      const char* wanted = e.enrolment.role == core::Role::kMentee ? core::kAudienceMentees : core::kAudienceMentors;
      for (const std::string& a : r.audiences)
        if (a == wanted) audience = a;
    }
    if (audience.empty()) continue;
    MyRound m;
    m.round = r;
    m.audience = audience;
    for (const core::Questionnaire& q : out.questionnaires)
      if (q.id == r.questionnaireid) m.questionnaire = &q;
    if (!m.questionnaire) continue;
    auto response = ctx.services.surveys->my_response(r.id, who.account.id);
    if (!response) return response.status();
    m.response = std::move(*response);
    out.rounds.push_back(std::move(m));
  }
  return out;
}

// An answer as the person reads it back.
std::string answer_text(const core::Question& q, const core::Answer& a) {
  if (q.kind == core::QuestionKind::kLikert && a.number) {
    const int n = static_cast<int>(*a.number);
    if (n >= 1 && n <= static_cast<int>(q.options.size())) return q.options[static_cast<std::size_t>(n - 1)];
  }
  if (a.number) {
    std::string t = std::to_string(*a.number);
    while (t.find('.') != std::string::npos && (t.back() == '0' || t.back() == '.')) {
      const bool dot = t.back() == '.';
      t.pop_back();
      if (dot) break;
    }
    return t;
  }
  if (!a.choices.empty()) return join_commas(a.choices);
  return a.text;
}

// The survey form: one block per question, drawn from the questionnaire
// (its own wording, not string keys), with what was typed or stored.
km::data survey_questions(const core::Questionnaire& q, const std::map<std::string, std::vector<std::string>>& values,
                          const std::map<std::string, std::string>& errors) {
  km::data list{km::data::type::list};
  int index = 0;
  for (const core::Question& question : q.questions) {
    ++index;
    km::data d;
    const std::string name = "q_" + question.key;
    d.set("name", name);
    d.set("id", "q-" + question.key);
    d.set("text", question.text);
    d.set("required", flag(question.required));
    auto v = values.find(name);
    const std::vector<std::string> given = v == values.end() ? std::vector<std::string>{} : v->second;
    const std::string first = given.empty() ? std::string() : given.front();
    auto e = errors.find(question.key);
    if (e != errors.end()) d.set("error", e->second);
    const bool choice = question.kind == core::QuestionKind::kLikert ||
                        question.kind == core::QuestionKind::kSingleChoice ||
                        question.kind == core::QuestionKind::kMultipleChoice;
    d.set("is_choice", flag(choice));
    d.set("is_multiple", flag(question.kind == core::QuestionKind::kMultipleChoice));
    d.set("is_number", flag(question.kind == core::QuestionKind::kNumber));
    d.set("is_text", flag(question.kind == core::QuestionKind::kFreeText));
    d.set("value", first);
    km::data options{km::data::type::list};
    for (std::size_t i = 0; i < question.options.size(); ++i) {
      km::data o;
      const std::string value =
          question.kind == core::QuestionKind::kLikert ? std::to_string(i + 1) : question.options[i];
      o.set("value", value);
      o.set("label", question.options[i]);
      o.set("id", "q-" + question.key + "-" + std::to_string(i + 1));
      o.set("selected", flag(std::find(given.begin(), given.end(), value) != given.end()));
      options.push_back(o);
    }
    d.set("options", options);
    list.push_back(d);
  }
  return list;
}

std::map<std::string, std::vector<std::string>> values_from(const core::Questionnaire& q,
                                                            const core::SurveyResponse& r) {
  std::map<std::string, std::vector<std::string>> out;
  for (const core::Answer& a : r.answers) {
    const core::Question* question = q.find(a.key);
    if (!question) continue;
    std::vector<std::string>& v = out["q_" + a.key];
    if (question->kind == core::QuestionKind::kMultipleChoice) v = a.choices;
    else if (a.number) v = {question->kind == core::QuestionKind::kLikert ? std::to_string(static_cast<int>(*a.number))
                                                                           : answer_text(*question, a)};
    else v = {a.text};
  }
  return out;
}

}  // namespace

http::Response feedback(const PageContext& ctx, const http::Request& req) {
  Access a = require_access(ctx, req, kParticipants);
  if (!a) return std::move(a.refusal);
  const Strings& s = ctx.renderer.strings();
  const core::Date today = core::Date::from_unix(ctx.clock.now());
  // Without the check-in service (a deployment that leaves it out) the page
  // still lists the surveys.
  Result<std::vector<app::CheckinDue>> due = std::vector<app::CheckinDue>{};
  if (ctx.services.checkins) due = ctx.services.checkins->due_for(a.signed_in->account.id);
  if (!due) return failure_page(ctx, due.status());
  km::data data = signed_in_page_data(ctx, *a.signed_in, s.text("page:feedback_title"), "/feedback");
  km::data checkins{km::data::type::list};
  for (const app::CheckinDue& d : *due) {
    km::data row;
    row.set("title", s.format(d.phase == core::CheckinPhase::kMidpoint ? "feedback:checkin_midpoint"
                                                                        : "feedback:checkin_end",
                              {{"cohort", d.cohort.name}}));
    row.set("id", std::string("checkin-") + std::to_string(d.pairing.id) + "-" + core::to_string(d.phase));
    row.set("due_on", d.window.due_on.to_string());
    row.set("closes_on", d.window.closes_on.to_string());
    row.set("status", checkin_status(s, d, today));
    row.set("overdue", flag(d.overdue));
    row.set("href", checkin_href(ctx, d.pairing.id, d.phase));
    row.set("can_answer", flag(d.open));
    row.set("answer_label", s.text(d.response ? "feedback:change_answers" : "feedback:answer_now"));
    row.set("has_answers", flag(d.response.has_value()));
    if (d.response) row.set("answers", answer_facts(s, d.response->answers));
    checkins.push_back(row);
  }
  data.set("checkins", checkins);
  data.set("has_checkins", flag(!due->empty()));
  auto surveys = my_surveys(ctx, *a.signed_in);
  if (!surveys) return failure_page(ctx, surveys.status());
  km::data rounds{km::data::type::list};
  for (const MyRound& m : surveys->rounds) {
    km::data row;
    row.set("title", m.questionnaire->name);
    row.set("phase", s.text(std::string("feedback:phase_") + core::to_string(m.round.phase)));
    row.set("id", "survey-" + std::to_string(m.round.id));
    row.set("closes_on", m.round.closes_on.to_string());
    const bool open = core::check_round_open(m.round, today).is_ok();
    row.set("can_answer", flag(open));
    row.set("href", href(ctx, "/feedback/surveys/" + std::to_string(m.round.id)));
    row.set("answer_label", s.text(m.response ? "feedback:change_answers" : "feedback:answer_now"));
    row.set("status", m.response ? s.text("feedback:status_answered")
                      : open     ? s.text("feedback:status_open")
                      : today < m.round.opens_on
                          ? s.format("feedback:status_opens", {{"date", m.round.opens_on.to_string()}})
                          : s.text("feedback:status_closed"));
    km::data answers{km::data::type::list};
    if (m.response) {
      for (const core::Answer& ans : m.response->answers) {
        const core::Question* q = m.questionnaire->find(ans.key);
        if (!q) continue;
        km::data f;
        f.set("key", q->text);
        f.set("value", answer_text(*q, ans));
        answers.push_back(f);
      }
    }
    row.set("has_answers", flag(m.response.has_value()));
    row.set("answers", answers);
    rounds.push_back(row);
  }
  data.set("surveys", rounds);
  data.set("has_surveys", flag(!surveys->rounds.empty()));
  data.set("concerns_href", href(ctx, "/concerns"));
  const std::string saved(req.query_param("saved"));
  if (saved == "checkin" || saved == "survey") data.set("saved", s.text("feedback:saved_" + saved));
  return render_page(ctx, 200, "feedback", data);
}

http::Response feedback_checkin(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (!ctx.services.checkins) return failure_page(ctx, unavailable());
  const Strings& s = ctx.renderer.strings();
  const bool post = req.method == "POST";
  FormAccess f;
  if (post) {
    f = require_form(ctx, req, kParticipants);
    if (!f) return std::move(f.refusal);
  } else {
    Access a = require_access(ctx, req, kParticipants);
    if (!a) return std::move(a.refusal);
    f.signed_in = std::move(a.signed_in);
  }
  const SignedIn& who = *f.signed_in;
  auto pairingid = parse_id(p.get("id"));
  auto phase = core::parse_checkin_phase(p.get("phase"));
  const Status missing = Status::not_found("checkin_not_found", "There is no such check-in for you.");
  if (!pairingid || !phase) return failure_page(ctx, missing);
  auto due = ctx.services.checkins->due_for(who.account.id);
  if (!due) return failure_page(ctx, due.status());
  const app::CheckinDue* d = nullptr;
  for (const app::CheckinDue& x : *due)
    if (x.pairing.id == *pairingid && x.phase == *phase) d = &x;
  if (!d) return failure_page(ctx, missing);

  auto draw = [&](int status, const FormView& form) {
    km::data data = signed_in_page_data(
        ctx, who,
        s.format(*phase == core::CheckinPhase::kMidpoint ? "feedback:checkin_midpoint" : "feedback:checkin_end",
                 {{"cohort", d->cohort.name}}),
        "/feedback");
    data.set("intro", s.format("checkin:intro", {{"due", d->window.due_on.to_string()},
                                                {"closes", d->window.closes_on.to_string()}}));
    data.set("open", flag(d->open));
    data.set("action", checkin_href(ctx, d->pairing.id, d->phase));
    data.set("back_href", href(ctx, "/feedback"));
    data.set("fields", form.fields());
    data.set("error_list", form.errors());
    data.set("has_errors", flag(form.has_errors()));
    return render_page(ctx, status, "feedback_checkin", data);
  };
  if (!post) return draw(200, checkin_form(s, d->response ? &d->response->answers : nullptr));

  FormView form = checkin_form(s, nullptr, f.fields);
  core::CheckinAnswers in;
  auto working = core::parse_checkin_working(f.field("working"));
  if (!working) form.set_error("working", s.text("checkin:error_working"));
  auto frequency = core::parse_checkin_frequency(f.field("frequency"));
  if (!frequency) form.set_error("frequency", s.text("checkin:error_frequency"));
  const std::string progress = f.field("goals_progress");
  if (progress.size() != 1 || progress[0] < '1' || progress[0] > '5')
    form.set_error("goals_progress", s.text("checkin:error_goals_progress"));
  auto cont = core::parse_would_continue(f.field("would_continue"));
  if (!cont) form.set_error("would_continue", s.text("checkin:error_would_continue"));
  in.working = working.value_or(core::CheckinWorking::kYes);
  in.frequency = frequency.value_or(core::CheckinFrequency::kMonthly);
  in.goals_progress = progress.size() == 1 ? progress[0] - '0' : 0;
  in.would_continue = cont.value_or(core::WouldContinue::kYes);
  in.comments = f.field("comments");
  if (!form.has_errors()) {
    auto checked = core::validate(in);
    if (!checked) form.set_error(checked.status().field(), error_text(s, checked.status()));
  }
  if (form.has_errors()) return draw(400, form);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto saved = ctx.services.checkins->save(who.account.id, *pairingid, *phase, in);
  if (!saved) {
    const core::Code code = saved.status().code();
    if (code != core::Code::kInvalidArgument && code != core::Code::kFailedPrecondition)
      return failure_page(ctx, saved.status());
    form.set_error(saved.status().field().empty() ? "working" : saved.status().field(), error_text(s, saved.status()));
    return draw(code == core::Code::kInvalidArgument ? 400 : 409, form);
  }
  return see_other(ctx, "/feedback?saved=checkin");
}

http::Response feedback_survey(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (!ctx.services.surveys) return failure_page(ctx, unavailable());
  const Strings& s = ctx.renderer.strings();
  const bool post = req.method == "POST";
  FormAccess f;
  if (post) {
    f = require_form(ctx, req, kParticipants);
    if (!f) return std::move(f.refusal);
  } else {
    Access a = require_access(ctx, req, kParticipants);
    if (!a) return std::move(a.refusal);
    f.signed_in = std::move(a.signed_in);
  }
  const SignedIn& who = *f.signed_in;
  auto roundid = parse_id(p.get("id"));
  const Status missing = Status::not_found("survey_round_not_found", "There is no such survey for you.");
  if (!roundid) return failure_page(ctx, missing);
  auto surveys = my_surveys(ctx, who);
  if (!surveys) return failure_page(ctx, surveys.status());
  const MyRound* m = nullptr;
  for (const MyRound& x : surveys->rounds)
    if (x.round.id == *roundid) m = &x;
  if (!m) return failure_page(ctx, missing);
  const core::Date today = core::Date::from_unix(ctx.clock.now());
  const bool open = core::check_round_open(m->round, today).is_ok();

  auto draw = [&](int status, const std::map<std::string, std::vector<std::string>>& values,
                  const std::map<std::string, std::string>& errors) {
    km::data data = signed_in_page_data(ctx, who, m->questionnaire->name, "/feedback");
    data.set("intro", s.format("feedback:survey_intro", {{"closes", m->round.closes_on.to_string()}}));
    data.set("open", flag(open));
    data.set("action", href(ctx, "/feedback/surveys/" + std::to_string(m->round.id)));
    data.set("back_href", href(ctx, "/feedback"));
    data.set("questions", survey_questions(*m->questionnaire, values, errors));
    km::data error_list{km::data::type::list};
    for (const core::Question& q : m->questionnaire->questions) {
      auto e = errors.find(q.key);
      if (e == errors.end()) continue;
      km::data item;
      item.set("anchor", "q-" + q.key + (q.kind == core::QuestionKind::kFreeText || q.kind == core::QuestionKind::kNumber
                                             ? std::string()
                                             : std::string("-1")));
      item.set("message", e->second);
      error_list.push_back(item);
    }
    data.set("error_list", error_list);
    data.set("has_errors", flag(!errors.empty()));
    return render_page(ctx, status, "feedback_survey", data);
  };
  if (!post) return draw(200, m->response ? values_from(*m->questionnaire, *m->response)
                                          : std::map<std::string, std::vector<std::string>>{},
                         {});

  std::map<std::string, std::vector<std::string>> values;
  std::map<std::string, std::string> errors;
  std::vector<core::Answer> answers;
  for (const core::Question& q : m->questionnaire->questions) {
    const std::string name = "q_" + q.key;
    std::vector<std::string> given = f.all(name);
    values[name] = given;
    core::Answer a;
    a.key = q.key;
    if (q.kind == core::QuestionKind::kMultipleChoice) {
      a.choices = given;
      answers.push_back(std::move(a));
      continue;
    }
    const std::string v = given.empty() ? std::string() : core::trim(given.front());
    if (v.empty()) continue;  // unanswered; a required question is caught below
    if (q.kind == core::QuestionKind::kLikert || q.kind == core::QuestionKind::kNumber) {
      char* end = nullptr;
      const double n = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || v.size() > 30) {
        errors[q.key] = s.text("feedback:error_number");
        continue;
      }
      a.number = n;
    } else {
      a.text = v;
    }
    answers.push_back(std::move(a));
  }
  if (errors.empty()) {
    auto checked = core::validate_answers(*m->questionnaire, answers);
    if (!checked) {
      std::string key = checked.status().field();
      if (key.rfind("answers.", 0) == 0) key = key.substr(8);
      errors[m->questionnaire->find(key) ? key : m->questionnaire->questions.front().key] =
          error_text(s, checked.status());
    }
  }
  if (!errors.empty()) return draw(400, values, errors);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto saved = m->response ? ctx.services.surveys->change(m->round.id, who.account.id, m->audience, answers)
                           : ctx.services.surveys->submit(m->round.id, who.account.id, m->audience, answers);
  if (!saved) {
    const core::Code code = saved.status().code();
    if (code != core::Code::kInvalidArgument && code != core::Code::kFailedPrecondition &&
        code != core::Code::kAlreadyExists)
      return failure_page(ctx, saved.status());
    errors[m->questionnaire->questions.front().key] = error_text(s, saved.status());
    return draw(code == core::Code::kInvalidArgument ? 400 : 409, values, errors);
  }
  return see_other(ctx, "/feedback?saved=survey");
}

}  // namespace mentoring::web::pages
