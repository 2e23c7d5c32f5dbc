// Joining the mentoring scheme (toolkit, "Mentees"): from home, a trainee
// sees whether the scheme's target audience includes them and why, agrees to
// take part, answers separately whether their data may be used for
// evaluation, may answer the optional monitoring questions, and gets a
// confirmation; they may withdraw at any time.
//
//   GET/POST /enrol              eligibility, cohorts open now, the two consents
//   GET/POST /enrol/about-you    the optional monitoring questions (encrypted)
//   GET      /enrol/done         confirmation
//   GET/POST /enrol/withdraw     leaving the scheme
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/demographics.h"
#include "app/enrolment_journey.h"
#include "core/demographics.h"
#include "core/lti_capabilities.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

Status service_missing() { return Status::unavailable("enrolment_unavailable", "Joining a scheme is not available."); }

// The error a person sees for a refusal: our own sentence when the strings
// have one for the reason, the use case's otherwise (the eligibility rules'
// sentences name the rule and the person's answer).
std::string refusal_text(const Strings& strings, const Status& st) {
  const std::string key = "page:error_" + st.reason();
  if (is_valid_string_key(key) && strings.contains(key)) return strings.text(key);
  return st.message();
}

std::string window_text(const Strings& s, const core::Cohort& c) {
  return s.format("page:enrol_cohort_window",
                  {{"opens", c.opens_on.to_string()}, {"closes", c.closes_on.to_string()}, {"starts", c.starts_on.to_string()}});
}

struct JoinForm {
  std::string cohort;
  bool take_part = false, evaluation = false, widening = false;
};

FormView join_form(const Strings& s, const app::JoinView& v, const JoinForm& sent) {
  FormView f(s);
  std::vector<FieldOption> cohorts;
  for (const core::Cohort* c : v.open_cohorts())
    cohorts.push_back({std::to_string(c->id), c->name + " (" + window_text(s, *c) + ")"});
  std::string chosen = sent.cohort;
  if (chosen.empty() && cohorts.size() == 1) chosen = cohorts.front().value;
  f.radios("cohortid", "page:field_enrol_cohort", "page:hint_enrol_cohort", cohorts, chosen);
  f.checkboxes("take_part", "page:field_enrol_take_part", "page:hint_enrol_take_part",
               {{"yes", s.text("page:enrol_take_part_yes")}}, sent.take_part ? std::set<std::string>{"yes"}
                                                                             : std::set<std::string>{});
  f.checkboxes("evaluation_consent", "page:field_enrol_evaluation", "page:hint_enrol_evaluation",
               {{"yes", s.text("page:enrol_evaluation_yes")}},
               sent.evaluation ? std::set<std::string>{"yes"} : std::set<std::string>{});
  if (v.asks_widening_participation)
    f.checkboxes("widening_participation", "page:field_enrol_widening", "page:hint_enrol_widening",
                 {{"yes", s.text("page:enrol_widening_yes")}},
                 sent.widening ? std::set<std::string>{"yes"} : std::set<std::string>{});
  return f;
}

http::Response join_page(const PageContext& ctx, const SignedIn& who, int status, const app::JoinView& v,
                         FormView& form) {
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:enrol_title"), "/enrol");
  data.set("scheme_name", v.scheme.name);
  data.set("scheme_type", s.text(std::string("page:scheme_type_") + core::to_string(v.scheme.type)));
  if (const core::Enrolment* e = v.active()) {
    for (const auto& [c, mine] : v.enrolments)
      if (mine.id == e->id) data.set("enrolled_cohort", c.name);
    data.set("about_you_href", href(ctx, "/enrol/about-you"));
    data.set("withdraw_href", href(ctx, "/enrol/withdraw"));
    return render_page(ctx, status, "enrol", data);
  }
  const bool eligible = v.eligibility.is_ok();
  data.set("eligible", flag(eligible));
  data.set("eligibility_reason", eligible ? s.text(v.audience_restricted ? "page:enrol_eligible_audience"
                                                                         : "page:enrol_eligible_everyone")
                                          : refusal_text(s, v.eligibility));
  // A refusal about the profile's answers (stage, specialty, region,
  // transition points) may be fixed there, if the answers were wrong.
  if (!eligible && v.eligibility.reason() != "not_eligible_widening_participation")
    data.set("profile_href", href(ctx, "/profile/mentee"));
  const bool open = !v.open_cohorts().empty();
  data.set("closed", flag(!open));
  // The form is offered when joining could succeed: eligible, or refused only
  // for a declaration the form itself asks for.
  const bool can_try = open && (eligible || v.eligibility.reason() == "not_eligible_widening_participation");
  data.set("show_form", flag(can_try));
  data.set("action", href(ctx, "/enrol"));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  return render_page(ctx, status, "enrol", data);
}

core::Result<core::Scheme> scheme_or_refusal(const PageContext& ctx, const SignedIn& who) {
  auto scheme = session_scheme(ctx, who);
  if (!scheme) return scheme.status();
  if (!scheme->has_value())
    return Status::not_found("scheme_not_linked", "This course is not linked to a mentoring scheme.");
  return **scheme;
}

// --- the monitoring questions ----------------------------------------------

FormView about_you_form(const Strings& s, const core::DemographicAnswers& answers) {
  FormView f(s);
  for (const core::DemographicQuestion& q : core::demographic_questions()) {
    std::vector<FieldOption> options;
    for (const char* a : q.answers)
      options.push_back({a, s.text(std::string("page:demographics_") + q.name + "_" + a)});
    auto it = answers.find(q.name);
    f.radios(q.name, std::string("page:demographics_") + q.name, "", options, it == answers.end() ? "" : it->second);
  }
  return f;
}

http::Response about_you_page(const PageContext& ctx, const SignedIn& who, int status, FormView& form) {
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:enrol_about_you_title"), "/enrol");
  data.set("action", href(ctx, "/enrol/about-you"));
  data.set("skip_href", href(ctx, "/enrol/done"));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  return render_page(ctx, status, "enrol_about_you", data);
}

}  // namespace

http::Response enrol(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.enrolment == nullptr) return failure_page(ctx, service_missing());
  app::EnrolmentJourney& journey = *ctx.services.enrolment;
  const Strings& s = ctx.renderer.strings();

  if (req.method != "POST") {
    Access a = require_access(ctx, req, {cap::kMenteeParticipate});
    if (!a) return std::move(a.refusal);
    auto scheme = scheme_or_refusal(ctx, *a.signed_in);
    if (!scheme) return failure_page(ctx, scheme.status());
    auto v = journey.view(scheme->id, a.signed_in->account.id);
    if (!v) return failure_page(ctx, v.status());
    FormView form = join_form(s, *v, {});
    return join_page(ctx, *a.signed_in, 200, *v, form);
  }

  FormAccess f = require_form(ctx, req, {cap::kMenteeParticipate});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  auto scheme = scheme_or_refusal(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  JoinForm sent;
  sent.cohort = f.field("cohortid");
  sent.take_part = f.field("take_part") == "yes";
  sent.evaluation = f.field("evaluation_consent") == "yes";
  sent.widening = f.field("widening_participation") == "yes";
  auto v = journey.view(scheme->id, who.account.id, sent.widening);
  if (!v) return failure_page(ctx, v.status());
  if (v->active()) return see_other(ctx, "/enrol");
  FormView form = join_form(s, *v, sent);
  auto cohortid = parse_id(sent.cohort);
  if (!cohortid) form.set_error("cohortid", s.text("page:error_enrol_cohort_required"));
  if (!sent.take_part) form.set_error("take_part", s.text("page:error_consent_required"));
  if (form.has_errors()) return join_page(ctx, who, 400, *v, form);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  app::JoinChoices choices;
  choices.take_part = sent.take_part;
  choices.evaluation_consent = sent.evaluation;
  choices.widening_participation = sent.widening;
  auto joined = journey.join(scheme->id, *cohortid, who.account.id, choices);
  if (!joined) {
    const core::Code code = joined.status().code();
    if (code != core::Code::kInvalidArgument && code != core::Code::kFailedPrecondition &&
        code != core::Code::kNotFound && code != core::Code::kAlreadyExists)
      return failure_page(ctx, joined.status());
    const std::string field = joined.status().field();
    form.set_error(field == "take_part" || field == "widening_participation" ? field : "cohortid",
                   refusal_text(s, joined.status()));
    return join_page(ctx, who, 400, *v, form);
  }
  return see_other(ctx, "/enrol/about-you");
}

http::Response enrol_about_you(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.demographics == nullptr) return failure_page(ctx, service_missing());
  app::DemographicsService& demographics = *ctx.services.demographics;
  const Strings& s = ctx.renderer.strings();
  if (!demographics.enabled()) {
    // Without a key nothing may be stored: the questions are not asked.
    Access a = require_access(ctx, req, {cap::kMenteeParticipate});
    if (!a) return std::move(a.refusal);
    return see_other(ctx, "/enrol/done");
  }
  if (req.method != "POST") {
    Access a = require_access(ctx, req, {cap::kMenteeParticipate});
    if (!a) return std::move(a.refusal);
    const core::Actor self = core::Actor::account(a.signed_in->account.id);
    core::DemographicAnswers answers;
    auto stored = demographics.read(a.signed_in->account.id, self);
    if (stored)
      answers = stored->answers;
    else if (stored.status().reason() != "demographics_not_found")
      return failure_page(ctx, stored.status());
    FormView form = about_you_form(s, answers);
    return about_you_page(ctx, *a.signed_in, 200, form);
  }
  FormAccess f = require_form(ctx, req, {cap::kMenteeParticipate});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  core::DemographicAnswers answers;
  for (const core::DemographicQuestion& q : core::demographic_questions()) {
    const std::string v = f.field(q.name);
    if (!v.empty()) answers[q.name] = v;
  }
  FormView form = about_you_form(s, answers);
  if (Status valid = core::validate(answers); !valid) {
    form.set_error(valid.field(), s.text("page:error_demographics_answer_invalid"));
    return about_you_page(ctx, who, 400, form);
  }
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  const core::Actor self = core::Actor::account(who.account.id);
  // Nothing answered: nothing is stored, and earlier answers are removed.
  if (answers.empty()) {
    auto removed = demographics.remove(who.account.id, self);
    if (!removed) return failure_page(ctx, removed.status());
  } else {
    auto saved = demographics.save(who.account.id, answers, self);
    if (!saved) return failure_page(ctx, saved.status());
  }
  return see_other(ctx, "/enrol/done");
}

http::Response enrol_done(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.enrolment == nullptr) return failure_page(ctx, service_missing());
  Access a = require_access(ctx, req, {cap::kMenteeParticipate});
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  auto scheme = scheme_or_refusal(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  auto v = ctx.services.enrolment->view(scheme->id, who.account.id);
  if (!v) return failure_page(ctx, v.status());
  const core::Enrolment* e = v->active();
  if (e == nullptr) return see_other(ctx, "/enrol");
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:enrol_done_title"), "/enrol");
  for (const auto& [c, mine] : v->enrolments)
    if (mine.id == e->id) {
      data.set("cohort_name", c.name);
      data.set("starts_on", c.starts_on.to_string());
    }
  data.set("scheme_name", v->scheme.name);
  data.set("evaluation",
           s.text(v->evaluation_consent.value_or(false) ? "page:enrol_done_evaluation_yes" : "page:enrol_done_evaluation_no"));
  data.set("profile_href", href(ctx, "/profile/mentee"));
  data.set("has_profile", flag(v->has_mentee_profile));
  data.set("home_href", href(ctx, "/"));
  data.set("withdraw_href", href(ctx, "/enrol/withdraw"));
  return render_page(ctx, 200, "enrol_done", data);
}

http::Response enrol_withdraw(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.enrolment == nullptr) return failure_page(ctx, service_missing());
  const Strings& s = ctx.renderer.strings();
  auto draw = [&](const SignedIn& who, int status, const app::JoinView& v, bool error) {
    km::data data = signed_in_page_data(ctx, who, s.text("page:enrol_withdraw_title"), "/enrol");
    data.set("scheme_name", v.scheme.name);
    data.set("action", href(ctx, "/enrol/withdraw"));
    data.set("enrolled", flag(v.active() != nullptr));
    data.set("enrol_href", href(ctx, "/enrol"));
    FormView form(s);
    form.checkboxes("remove_answers", "page:field_withdraw_remove_answers", "page:hint_withdraw_remove_answers",
                    {{"yes", s.text("page:withdraw_remove_answers_yes")}}, {});
    data.set("fields", form.fields());
    km::data errors{km::data::type::list};
    if (error) {
      // The form is not drawn for someone not taking part: the summary
      // points at the sentence that says so.
      km::data e;
      e.set("anchor", "not-enrolled");
      e.set("message", s.text("page:error_enrolment_not_found"));
      errors.push_back(e);
    }
    data.set("error_list", errors);
    data.set("has_errors", flag(error));
    return render_page(ctx, status, "enrol_withdraw", data);
  };
  if (req.method != "POST") {
    Access a = require_access(ctx, req, {cap::kMenteeParticipate});
    if (!a) return std::move(a.refusal);
    auto scheme = scheme_or_refusal(ctx, *a.signed_in);
    if (!scheme) return failure_page(ctx, scheme.status());
    auto v = ctx.services.enrolment->view(scheme->id, a.signed_in->account.id);
    if (!v) return failure_page(ctx, v.status());
    return draw(*a.signed_in, 200, *v, false);
  }
  FormAccess f = require_form(ctx, req, {cap::kMenteeParticipate});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  auto scheme = scheme_or_refusal(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto n = ctx.services.enrolment->withdraw(scheme->id, who.account.id);
  if (!n) {
    if (n.status().reason() != "enrolment_not_found") return failure_page(ctx, n.status());
    auto v = ctx.services.enrolment->view(scheme->id, who.account.id);
    if (!v) return failure_page(ctx, v.status());
    return draw(who, 400, *v, true);
  }
  if (f.field("remove_answers") == "yes" && ctx.services.demographics != nullptr &&
      ctx.services.demographics->enabled()) {
    auto removed = ctx.services.demographics->remove(who.account.id, core::Actor::account(who.account.id));
    if (!removed) return failure_page(ctx, removed.status());
  }
  return see_other(ctx, "/?saved=withdrawn");
}

}  // namespace mentoring::web::pages
