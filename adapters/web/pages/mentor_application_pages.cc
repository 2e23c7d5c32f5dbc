// Mentor recruitment by application (toolkit, "Mentors": recruiting and
// retaining mentors; circular mentorship), over app/mentor_recruitment.h.
//
//   GET/POST /mentor/apply                            apply to mentor in a cohort of the scheme
//   GET      /mentor/applications                     my applications and their status
//   GET      /staff/mentor-applications[?status=]     the scheme's applications (pending first)
//   POST     /staff/mentor-applications/{id}/approve  approve: enrols the mentor
//   POST     /staff/mentor-applications/{id}/decline  decline with a reason
//   POST     /staff/mentor-applications/settings      whether applications need approval
//
// Any signed-in person may apply (a trainee who finished a scheme, a
// consultant); the staff pages need mentoring/scheme:manage, which covers
// recruitment to the scheme.
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/mentor_recruitment.h"
#include "core/lti_capabilities.h"
#include "core/text.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::ApplicationStatus;
using core::Status;

namespace {

constexpr std::int64_t kStaffListLimit = 200;

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

Status service_missing() {
  return Status::unavailable("recruitment_unavailable", "Mentor applications are not available.");
}

core::Result<core::Scheme> linked_scheme(const PageContext& ctx, const SignedIn& who) {
  auto scheme = session_scheme(ctx, who);
  if (!scheme) return scheme.status();
  if (!scheme->has_value())
    return Status::not_found("scheme_not_linked", "This course is not linked to a mentoring scheme.");
  return **scheme;
}

std::string day_of(core::UnixSeconds t) { return core::Date::from_unix(t).to_string(); }

std::string status_text(const Strings& s, ApplicationStatus st) {
  return s.text(std::string("page:mentor_application_status_") + core::to_string(st));
}

std::string status_tag(ApplicationStatus st) {
  switch (st) {
    case ApplicationStatus::kApproved:
      return " nhsuk-tag--green";
    case ApplicationStatus::kDeclined:
      return " nhsuk-tag--red";
    case ApplicationStatus::kPending:
      break;
  }
  return " nhsuk-tag--yellow";
}

// --- applying -----------------------------------------------------------------

struct SentApplication {
  std::string cohortid, motivation, expertise, capacity, availability;
  bool declaration = false;
};

// `sent` is nullptr for the first drawing, which chooses the only open
// cohort; a form drawn again shows what was sent, nothing chosen included.
FormView apply_form(const Strings& s, const app::RecruitmentView& v, const SentApplication* sent) {
  static const SentApplication kNothing;
  const SentApplication& answers = sent ? *sent : kNothing;
  FormView f(s);
  std::vector<FieldOption> cohorts;
  for (const app::RecruitmentCohort& c : v.cohorts) {
    if (!c.window.is_ok() || c.is_mentor || c.pending) continue;
    cohorts.push_back({std::to_string(c.cohort.id),
                       s.format("page:mentor_apply_cohort_option",
                                {{"cohort", c.cohort.name},
                                 {"closes", c.cohort.closes_on.to_string()},
                                 {"starts", c.cohort.starts_on.to_string()}})});
  }
  std::string chosen = answers.cohortid;
  if (!sent && cohorts.size() == 1) chosen = cohorts.front().value;
  f.radios("cohortid", "page:field_mentor_apply_cohort", "page:hint_mentor_apply_cohort", cohorts, chosen);
  f.textarea("motivation", "page:field_mentor_apply_motivation", "page:hint_mentor_apply_motivation",
             answers.motivation, 6);
  f.text("expertise_areas", "page:field_mentor_apply_expertise", "page:hint_mentor_apply_expertise", answers.expertise);
  f.text("capacity", "page:field_mentor_apply_capacity", "page:hint_mentor_apply_capacity", answers.capacity,
         "nhsuk-input--width-2");
  f.textarea("availability", "page:field_mentor_apply_availability", "page:hint_mentor_apply_availability",
             answers.availability, 3);
  f.checkboxes("declaration", "page:field_mentor_apply_declaration", "page:hint_mentor_apply_declaration",
               {{"yes", s.text("page:mentor_apply_declaration_yes")}},
               answers.declaration ? std::set<std::string>{"yes"} : std::set<std::string>{});
  return f;
}

km::data application_rows(const PageContext& ctx, const app::RecruitmentView& v) {
  const Strings& s = ctx.renderer.strings();
  km::data rows{km::data::type::list};
  for (const core::MentorApplication& a : v.applications) {
    km::data d;
    d.set("id", std::to_string(a.id));
    std::string cohort_name;
    for (const app::RecruitmentCohort& c : v.cohorts)
      if (c.cohort.id == a.cohortid) cohort_name = c.cohort.name;
    d.set("cohort", cohort_name);
    d.set("applied_on", day_of(a.timecreated));
    d.set("status", status_text(s, a.status));
    d.set("tag_class", status_tag(a.status));
    if (a.decided_at) d.set("decided_on", day_of(*a.decided_at));
    if (!a.decision_reason.empty()) d.set("decision_reason", a.decision_reason);
    d.set("approved", flag(a.status == ApplicationStatus::kApproved));
    d.set("pending", flag(a.status == ApplicationStatus::kPending));
    // Why staff could not add them yet (worded for the applicant).
    if (a.status == ApplicationStatus::kPending && !a.approval_error_message.empty())
      d.set("approval_error", a.approval_error_message);
    rows.push_back(d);
  }
  return rows;
}

http::Response apply_page(const PageContext& ctx, const SignedIn& who, int status, const app::RecruitmentView& v,
                          FormView& form) {
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:mentor_apply_title"), "/mentor/apply");
  data.set("scheme_name", v.scheme.name);
  data.set("approval_required", flag(v.settings.approval_required));
  bool open = false;
  for (const app::RecruitmentCohort& c : v.cohorts)
    if (c.window.is_ok() && !c.is_mentor && !c.pending) open = true;
  bool pending = false;
  for (const core::MentorApplication& a : v.applications)
    if (a.status == ApplicationStatus::kPending) pending = true;
  data.set("has_pending", flag(pending));
  data.set("show_form", flag(open));
  data.set("closed", flag(!open && !pending));
  data.set("applications_href", href(ctx, "/mentor/applications"));
  data.set("action", href(ctx, "/mentor/apply"));
  data.set("fields", form.fields());
  if (open) {
    data.set("error_list", form.errors());
  } else {
    // A refusal that left no cohort to apply to (applied from another tab,
    // or the cohort closed meanwhile) draws no form: the summary links to
    // what the page says instead.
    km::data errors{km::data::type::list};
    const km::data drawn = form.errors();
    for (const km::data& e : drawn.list_value()) {
      km::data d = e;
      d.set("anchor", pending ? "mentor-apply-pending" : "mentor-apply-closed");
      errors.push_back(d);
    }
    data.set("error_list", errors);
  }
  data.set("has_errors", flag(form.has_errors()));
  return render_page(ctx, status, "mentor_apply", data);
}

// The field a refusal of the service belongs next to; refusals about the
// cohort or the person (window, eligibility, an existing enrolment) go
// next to the cohort.
std::string field_of(const Status& st) {
  for (const char* f : {"motivation", "expertise_areas", "capacity", "availability", "declaration"})
    if (st.field() == f) return f;
  return "cohortid";
}

// --- staff --------------------------------------------------------------------

// A staff form refused before anything changed, drawn next to its field:
// the decline reason of application `decline_id`, or (decline_id 0) the
// approval setting.
struct StaffFormError {
  std::int64_t decline_id = 0;
  std::string message, reason_text;
};

// Why an approval could not enrol the applicant, worded for staff: the
// enrolment rules word their refusals for the person enrolling ("complete
// your mentor profile"), so known reasons have a sentence of their own and
// others fall back to the rule's.
std::string approval_error_for_staff(const Strings& s, const core::MentorApplication& a) {
  const std::string key = "page:staff_mentor_application_refused_" + a.approval_error_reason;
  if (!a.approval_error_reason.empty() && s.contains(key)) return s.text(key);
  return a.approval_error_message;
}

// Another decision got there first (a second tab, a colleague).
bool is_decided(const Status& st) { return st.code() == core::Code::kConflict && st.reason() == "application_decided"; }

http::Response staff_list_page(const PageContext& ctx, const http::Request& req, const SignedIn& who, int status,
                               const StaffFormError* form_error) {
  app::MentorRecruitmentService& svc = *ctx.services.mentor_recruitment;
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:staff_mentor_applications_title"),
                                      "/staff/mentor-applications");
  auto scheme = session_scheme(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  data.set("has_scheme", flag(scheme->has_value()));
  if (!scheme->has_value()) return render_page(ctx, status, "staff_mentor_applications", data);
  const core::Scheme& sc = **scheme;

  const std::string status_param(req.query_param("status"));
  std::optional<ApplicationStatus> filter = ApplicationStatus::kPending;
  if (status_param == "all") filter.reset();
  else if (auto parsed = core::parse_application_status(status_param)) filter = *parsed;
  auto list = svc.list(sc.id, filter, core::Page{kStaffListLimit, 0});
  if (!list) return failure_page(ctx, list.status());
  auto settings = svc.settings(sc.id);
  if (!settings) return failure_page(ctx, settings.status());

  data.set("scheme_name", sc.name);
  data.set("showing_pending", flag(filter == ApplicationStatus::kPending));
  data.set("pending_href", href(ctx, "/staff/mentor-applications"));
  data.set("all_href", href(ctx, "/staff/mentor-applications?status=all"));
  data.set("total", std::to_string(list->total));
  data.set("approval_required", flag(settings->approval_required));
  km::data errors{km::data::type::list};
  if (form_error && form_error->decline_id == 0) {
    data.set("settings_error", form_error->message);
    km::data e;
    e.set("anchor", "approval_required-yes");
    e.set("message", form_error->message);
    errors.push_back(e);
  }
  data.set("settings_action", href(ctx, "/staff/mentor-applications/settings"));
  const std::string saved(req.query_param("saved"));
  if (saved == "approved" || saved == "declined" || saved == "settings" || saved == "refused" || saved == "decided")
    data.set("saved_message", s.text("page:staff_mentor_applications_saved_" + saved));
  data.set("saved_refused", flag(saved == "refused"));

  km::data rows{km::data::type::list};
  for (const app::ApplicationForStaff& item : list->items) {
    const core::MentorApplication& a = item.application;
    km::data d;
    set_form_tokens(d, who);
    d.set("id", std::to_string(a.id));
    d.set("applicant", display_name(item.applicant));
    d.set("cohort", item.cohort.name);
    d.set("applied_on", day_of(a.timecreated));
    d.set("motivation", a.answers.motivation);
    d.set("expertise", join_commas(a.answers.expertise_areas));
    d.set("capacity", std::to_string(a.answers.capacity));
    d.set("availability", a.answers.availability);
    d.set("status", status_text(s, a.status));
    d.set("tag_class", status_tag(a.status));
    d.set("pending", flag(a.status == ApplicationStatus::kPending));
    if (!a.decision_reason.empty()) d.set("decision_reason", a.decision_reason);
    if (!a.approval_error_message.empty()) d.set("approval_error", approval_error_for_staff(s, a));
    d.set("training_ready", flag(item.readiness.ready));
    std::string issues;
    for (const core::TrainingIssue& i : item.readiness.issues) {
      if (!issues.empty()) issues += " ";
      issues += i.message;
    }
    d.set("training_issues", issues);
    d.set("approve_action", href(ctx, "/staff/mentor-applications/" + std::to_string(a.id) + "/approve"));
    d.set("decline_action", href(ctx, "/staff/mentor-applications/" + std::to_string(a.id) + "/decline"));
    if (form_error && form_error->decline_id == a.id) {
      d.set("decline_error", form_error->message);
      d.set("decline_reason", form_error->reason_text);
      km::data e;
      e.set("anchor", "reason-" + std::to_string(a.id));
      e.set("message", form_error->message);
      errors.push_back(e);
    }
    rows.push_back(d);
  }
  data.set("applications", rows);
  data.set("has_applications", flag(!list->items.empty()));
  data.set("has_errors", flag(!errors.is_empty_list()));
  data.set("error_list", errors);
  return render_page(ctx, status, "staff_mentor_applications", data);
}

}  // namespace

http::Response mentor_apply(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.mentor_recruitment == nullptr) return failure_page(ctx, service_missing());
  app::MentorRecruitmentService& svc = *ctx.services.mentor_recruitment;
  const Strings& s = ctx.renderer.strings();
  FormAccess f = require_page_or_form(ctx, req);
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  auto scheme = linked_scheme(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  auto v = svc.view(scheme->id, who.account.id);
  if (!v) return failure_page(ctx, v.status());
  if (req.method != "POST") {
    FormView form = apply_form(s, *v, nullptr);
    return apply_page(ctx, who, 200, *v, form);
  }

  SentApplication sent{f.field("cohortid"),    f.field("motivation"),   f.field("expertise_areas"),
                       f.field("capacity"),    f.field("availability"), f.field("declaration") == "yes"};
  core::MentorApplicationInput input;
  input.motivation = sent.motivation;
  input.expertise_areas = split_commas(sent.expertise);
  input.availability = sent.availability;
  input.declaration = sent.declaration;
  bool capacity_ok = false;
  {
    const std::string c = core::trim(sent.capacity);
    if (!c.empty() && c.size() <= 2 && c.find_first_not_of("0123456789") == std::string::npos) {
      input.capacity = std::stoi(c);
      capacity_ok = true;
    }
  }
  if (!capacity_ok) input.capacity = 0;  // refused below as capacity_invalid
  FormView form = apply_form(s, *v, &sent);
  auto cohortid = parse_id(sent.cohortid);
  if (!cohortid) form.set_error("cohortid", s.text("page:mentor_apply_cohort_required"));
  for (const Status& problem : core::mentor_application_problems(input)) form.set_error(problem.field(), problem.message());
  if (form.has_errors()) return apply_page(ctx, who, 400, *v, form);

  if (auto again = claim_form(ctx, f); again) return std::move(*again);
  auto applied = svc.apply(*cohortid, who.account.id, input, scheme->id);
  if (!applied) {
    if (!has_code(applied.status(), {core::Code::kInvalidArgument, core::Code::kFailedPrecondition,
                                     core::Code::kAlreadyExists, core::Code::kNotFound}))
      return failure_page(ctx, applied.status());
    auto fresh = svc.view(scheme->id, who.account.id);
    if (!fresh) return failure_page(ctx, fresh.status());
    FormView again = apply_form(s, *fresh, &sent);
    again.set_error(field_of(applied.status()), applied.status().message());
    return apply_page(ctx, who, 400, *fresh, again);
  }
  return see_other(ctx, "/mentor/applications?saved=" +
                            std::string(applied->status == ApplicationStatus::kApproved ? "enrolled" : "applied"));
}

http::Response mentor_applications(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.mentor_recruitment == nullptr) return failure_page(ctx, service_missing());
  Access a = require_access(ctx, req);
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  const Strings& s = ctx.renderer.strings();
  auto scheme = linked_scheme(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  auto v = ctx.services.mentor_recruitment->view(scheme->id, who.account.id);
  if (!v) return failure_page(ctx, v.status());
  km::data data = signed_in_page_data(ctx, who, s.text("page:mentor_applications_title"), "/mentor/apply");
  data.set("scheme_name", v->scheme.name);
  km::data rows = application_rows(ctx, *v);
  data.set("applications", rows);
  data.set("has_applications", flag(!v->applications.empty()));
  const std::string saved(req.query_param("saved"));
  if (saved == "applied" || saved == "enrolled")
    data.set("saved_message", s.text("page:mentor_applications_saved_" + saved));
  data.set("apply_href", href(ctx, "/mentor/apply"));
  data.set("profile_href", href(ctx, "/profile/mentor"));
  return render_page(ctx, 200, "mentor_applications", data);
}

http::Response staff_mentor_applications(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.mentor_recruitment == nullptr) return failure_page(ctx, service_missing());
  Access a = require_access(ctx, req, {cap::kSchemeManage});
  if (!a) return std::move(a.refusal);
  return staff_list_page(ctx, req, *a.signed_in, 200, nullptr);
}

http::Response staff_mentor_application_decide(const PageContext& ctx, const http::Request& req,
                                               const http::PathParams& p) {
  if (ctx.services.mentor_recruitment == nullptr) return failure_page(ctx, service_missing());
  app::MentorRecruitmentService& svc = *ctx.services.mentor_recruitment;
  FormAccess f = require_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("application_not_found", "There is no such application."));
  auto scheme = linked_scheme(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  const std::string decision(p.get("decision"));
  if (decision != "approve" && decision != "decline")
    return error_page(ErrorKind::kNotFound, ctx.renderer, ctx.policy, ctx.chrome);
  const bool approving = decision == "approve";
  const core::Actor actor = core::Actor::account(who.account.id);
  // A decided application has no forms on the list any more: its decision
  // is shown among every application.
  const std::string decided_page = "/staff/mentor-applications?status=all&saved=decided";
  if (approving) {
    if (auto again = claim_form(ctx, f); again) return std::move(*again);
    auto approved = svc.approve(*id, scheme->id, actor);
    if (approved) return see_other(ctx, "/staff/mentor-applications?saved=approved");
    if (is_decided(approved.status())) return see_other(ctx, decided_page);
    if (approved.status().reason() == "application_not_found") return failure_page(ctx, approved.status());
    // A refusal of the enrolment rules (the service's is_rule_refusal) is
    // kept on the application and shown on its row.
    if (has_code(approved.status(), {core::Code::kFailedPrecondition, core::Code::kAlreadyExists,
                                     core::Code::kInvalidArgument, core::Code::kNotFound, core::Code::kConflict}))
      return see_other(ctx, "/staff/mentor-applications?saved=refused");
    return failure_page(ctx, approved.status());
  }
  const std::string reason = f.field("reason");
  auto valid = core::validate_decision_reason(reason);
  if (!valid) {
    // The error goes next to the application's reason field, which only a
    // pending application of this scheme has.
    auto current = svc.get(*id, scheme->id);
    if (!current) return failure_page(ctx, current.status());
    if (current->status != ApplicationStatus::kPending) return see_other(ctx, decided_page);
    StaffFormError e{*id, valid.status().message(), reason};
    return staff_list_page(ctx, req, who, 400, &e);
  }
  if (auto again = claim_form(ctx, f); again) return std::move(*again);
  auto declined = svc.decline(*id, scheme->id, reason, actor);
  if (!declined && is_decided(declined.status())) return see_other(ctx, decided_page);
  if (!declined) return failure_page(ctx, declined.status());
  return see_other(ctx, "/staff/mentor-applications?saved=declined");
}

http::Response staff_mentor_recruitment_settings(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.mentor_recruitment == nullptr) return failure_page(ctx, service_missing());
  FormAccess f = require_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  const SignedIn& who = *f.signed_in;
  auto scheme = linked_scheme(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  const std::string choice = f.field("approval_required");
  if (choice != "yes" && choice != "no") {
    StaffFormError e{0, ctx.renderer.strings().text("page:approval_required_choose"), ""};
    return staff_list_page(ctx, req, who, 400, &e);
  }
  if (auto again = claim_form(ctx, f); again) return std::move(*again);
  auto saved = ctx.services.mentor_recruitment->save_settings(scheme->id, choice == "yes",
                                                              core::Actor::account(who.account.id));
  if (!saved) return failure_page(ctx, saved.status());
  return see_other(ctx, "/staff/mentor-applications?saved=settings");
}

}  // namespace mentoring::web::pages
