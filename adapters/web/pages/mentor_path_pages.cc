// The path to mentoring and what mentoring earns (toolkit, "Mentors": "What
// training will your mentors need?", and "What support is needed to recruit
// and retain mentors?": circular mentorship, CPD points or certificates).
//
//   GET /mentor/become                     may I mentor here, and what training do I need
//   POST /mentor/become                    accept the end-of-scheme meeting's invitation to mentor
//   GET /profile/mentor/cpd                my CPD log, totals by appraisal year
//   GET /profile/mentor/cpd/certificate.pdf?from=&to=   the certificate
#include <algorithm>

#include "adapters/export/certificate.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/cohort_sessions.h"
#include "app/enrolment_journey.h"
#include "app/mentor_recruitment.h"
#include "app/setup_training.h"
#include "core/eligibility.h"
#include "core/lti_capabilities.h"
#include "core/mentor_application_stores.h"
#include "core/mentor_training.h"
#include "core/setup_stores.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

bool restricts(const core::MentorEligibility& m) {
  return m.minimum_stage.has_value() || !m.regions.empty() || !m.other_professions_allowed;
}

std::string hours_text(double hours) { return exports::format_hours(hours); }

}  // namespace

namespace {

// What the page says above everything else: the outcome of accepting the
// invitation (after the redirect) or why accepting was refused.
struct BecomeNotice {
  std::string accepted;  // "accepted", "already" or empty
  std::string refused;   // the refusal, in words; empty when none
};

// A refusal of accept_invitation in the page's words; the scheme's mentor
// rules word their own refusals.
std::string refusal_text(const Strings& s, const Status& st) {
  const std::string key = "page:mentor_invitation_refused_" + st.reason();
  if (s.contains(key)) return s.text(key);
  return st.message();
}

http::Response become_mentor_page(const PageContext& ctx, const SignedIn& who, const core::Scheme& sc, int status,
                                  const BecomeNotice& notice) {
  const Strings& s = ctx.renderer.strings();

  Status eligibility;
  bool has_profile = false, rules_restrict = false, approval_required = true;
  int capacity = 0;
  Status st = ctx.db.read_only([&](core::Stores& stores) -> Status {
    // With approval on (the default) becoming a mentor is an application
    // staff decide on (mentor_application_pages.cc).
    auto recruitment = stores.mentor_applications.settings(sc.id);
    if (!recruitment) return recruitment.status();
    approval_required = recruitment->approval_required;
    auto rules = stores.eligibility.find(sc.id);
    if (!rules) return rules.status();
    auto profile = stores.profiles.find_mentor(who.account.id);
    if (!profile) return profile.status();
    has_profile = profile->has_value();
    if (has_profile) capacity = (*profile)->capacity;
    rules_restrict = rules->has_value() && restricts((*rules)->mentors);
    if (!rules_restrict) return Status::ok();
    if (!has_profile) {
      eligibility = Status(core::Code::kFailedPrecondition, "mentor_profile_required",
                           "This scheme has rules for who may mentor: a mentor profile is needed to check them.",
                           "profile");
      return Status::ok();
    }
    const core::MentorProfile& p = **profile;
    eligibility = core::check_mentor_eligibility((*rules)->mentors, {p.career_stage, p.specialty, p.region});
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);
  auto modules = ctx.services.training->modules(sc.id);
  if (!modules) return failure_page(ctx, modules.status());
  auto readiness = ctx.services.training->readiness(who.account.id, sc.id);
  if (!readiness) return failure_page(ctx, readiness.status());

  km::data data = signed_in_page_data(ctx, who, s.text("page:become_mentor_title"), "/mentor/become");
  data.set("scheme_name", sc.name);
  data.set("eligible", flag(eligibility.is_ok()));
  data.set("eligibility_reason", eligibility.is_ok() ? s.text(rules_restrict ? "page:become_mentor_eligible_rules"
                                                                             : "page:become_mentor_eligible_everyone")
                                                     : eligibility.message());
  km::data list{km::data::type::list};
  for (const core::TrainingModule& m : *modules) {
    if (!m.required) continue;
    km::data d;
    d.set("title", m.title);
    std::string status = s.text("page:training_status_done");
    std::string tag = " nhsuk-tag--green";
    for (const core::TrainingIssue& i : readiness->issues) {
      if (i.module_code != m.code) continue;
      status = i.message;
      tag = i.kind == core::TrainingIssueKind::kExpiringSoon ? " nhsuk-tag--yellow" : " nhsuk-tag--red";
    }
    d.set("status", status);
    d.set("tag_class", tag);
    if (m.valid_for_months > 0)
      d.set("validity", s.format("page:training_valid_for", {{"months", std::to_string(m.valid_for_months)}}));
    list.push_back(d);
  }
  data.set("modules", list);
  data.set("has_modules", flag(!list.is_empty_list()));
  data.set("ready", flag(readiness->ready));
  data.set("is_mentor", flag(who.has(cap::kMentorParticipate)));
  data.set("profile_href", href(ctx, "/profile/mentor"));
  data.set("cpd_href", href(ctx, "/profile/mentor/cpd"));
  if (approval_required && ctx.services.mentor_recruitment != nullptr)
    data.set("apply_href", href(ctx, "/mentor/apply"));
  if (ctx.services.cohort_sessions != nullptr) {
    auto invitations = ctx.services.cohort_sessions->mentor_invitations(who.account.id);
    if (!invitations) return failure_page(ctx, invitations.status());
    if (!invitations->empty()) {
      core::UnixSeconds first = invitations->front().invited_at;
      for (const core::MentorInvitation& i : *invitations) first = std::min(first, i.invited_at);
      data.set("invited", flag(true));
      data.set("invitation", s.format("page:become_mentor_invited", {{"date", core::Date::from_unix(first).to_string()}}));
    }
    // The one-click acceptance, for an invitation from a cohort of this
    // scheme (the invitation is staff's decision: no application to fill).
    bool invited_here = false;
    Status here = ctx.db.read_only([&](core::Stores& stores) -> Status {
      for (const core::MentorInvitation& i : *invitations) {
        auto cohort = stores.schemes.find_cohort(i.cohortid);
        if (!cohort) return cohort.status();
        if (cohort->has_value() && (*cohort)->schemeid == sc.id) invited_here = true;
      }
      return Status::ok();
    });
    if (!here) return failure_page(ctx, here);
    if (invited_here && !who.has(cap::kMentorParticipate) && ctx.services.mentor_recruitment != nullptr) {
      data.set("can_accept", flag(true));
      data.set("accept_action", href(ctx, "/mentor/become"));
    }
  }
  if (notice.accepted == "accepted" && who.has(cap::kMentorParticipate)) {
    data.set("accepted", flag(true));
    data.set("accepted_ready", flag(readiness->ready));
    data.set("mentor_capacity", std::to_string(capacity));
  }
  if (notice.accepted == "already" && who.has(cap::kMentorParticipate)) data.set("already_mentor", flag(true));
  if (!notice.refused.empty()) data.set("accept_refused", notice.refused);
  return render_page(ctx, status, "mentor_become", data);
}

}  // namespace

http::Response become_mentor(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.training == nullptr)
    return failure_page(ctx, Status::unavailable("training_unavailable", "Mentor training is not available."));
  FormAccess a = require_page_or_form(ctx, req, {cap::kMenteeParticipate, cap::kMentorParticipate});
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  auto scheme = session_scheme(ctx, who);
  if (!scheme) return failure_page(ctx, scheme.status());
  if (!scheme->has_value())
    return failure_page(ctx, Status::not_found("scheme_not_linked", "This course is not linked to a mentoring scheme."));
  const core::Scheme& sc = **scheme;
  if (req.method != "POST") {
    BecomeNotice notice;
    const std::string shown(req.query_param("invitation"));
    if (shown == "accepted" || shown == "already") notice.accepted = shown;
    return become_mentor_page(ctx, who, sc, 200, notice);
  }
  if (ctx.services.mentor_recruitment == nullptr)
    return failure_page(ctx, Status::unavailable("recruitment_unavailable", "Becoming a mentor is not available."));
  // Accepting is idempotent (a second acceptance says they are a mentor
  // already and writes nothing), so the form needs no one-time token: a
  // double click gets the same answer as the first.
  app::InvitationAcceptInput input;
  input.declaration = a.field("declaration") == "yes";
  input.bio = ctx.renderer.strings().format("page:mentor_invitation_default_bio", {{"scheme", sc.name}});
  auto accepted = ctx.services.mentor_recruitment->accept_invitation(sc.id, who.account.id, std::move(input));
  if (!accepted) {
    const Status& st = accepted.status();
    int status = 0;
    if (st.code() == core::Code::kPermissionDenied) status = 403;
    else if (has_code(st, {core::Code::kFailedPrecondition, core::Code::kConflict, core::Code::kAlreadyExists}))
      status = 409;
    else if (st.code() == core::Code::kInvalidArgument) status = 400;
    if (status == 0) return failure_page(ctx, st);
    return become_mentor_page(ctx, who, sc, status, BecomeNotice{"", refusal_text(ctx.renderer.strings(), st)});
  }
  return see_other(ctx, accepted->already_mentor ? "/mentor/become?invitation=already"
                                                 : "/mentor/become?invitation=accepted");
}

http::Response mentor_cpd(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.training == nullptr)
    return failure_page(ctx, Status::unavailable("training_unavailable", "CPD is not available."));
  Access a = require_access(ctx, req, {cap::kMentorParticipate});
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  const Strings& s = ctx.renderer.strings();
  auto entries = ctx.services.training->cpd(who.account.id);
  if (!entries) return failure_page(ctx, entries.status());
  auto totals = ctx.services.training->cpd_totals(who.account.id, core::CpdPeriod::kAppraisalYear);
  if (!totals) return failure_page(ctx, totals.status());
  km::data data = signed_in_page_data(ctx, who, s.text("page:cpd_title"), "/profile/mentor");
  km::data rows{km::data::type::list};
  std::vector<core::CpdEntry> sorted = *entries;
  std::sort(sorted.begin(), sorted.end(), [](const auto& x, const auto& y) { return y.date < x.date; });
  for (const core::CpdEntry& e : sorted) {
    km::data d;
    d.set("date", e.date.to_string());
    d.set("hours", hours_text(e.hours));
    d.set("activity", e.activity);
    rows.push_back(d);
  }
  data.set("entries", rows);
  data.set("has_entries", flag(!sorted.empty()));
  km::data years{km::data::type::list};
  for (auto it = totals->rbegin(); it != totals->rend(); ++it) {
    km::data d;
    d.set("period", s.format("page:cpd_period", {{"from", it->starts_on.to_string()}, {"to", it->ends_on.to_string()}}));
    d.set("hours", hours_text(it->hours));
    d.set("entries", std::to_string(it->entries));
    d.set("certificate_href", href(ctx, "/profile/mentor/cpd/certificate.pdf?from=" + it->starts_on.to_string() +
                                            "&to=" + std::min(it->ends_on, core::Date::from_unix(ctx.clock.now())).to_string()));
    years.push_back(d);
  }
  data.set("years", years);
  data.set("has_years", flag(!totals->empty()));
  data.set("can_download", flag(who.session.schemeid.has_value() && static_cast<bool>(ctx.services.render_certificate)));
  return render_page(ctx, 200, "mentor_cpd", data);
}

http::Response mentor_cpd_certificate(const PageContext& ctx, const http::Request& req) {
  if (ctx.services.training == nullptr || !ctx.services.render_certificate)
    return failure_page(ctx, Status::unavailable("certificate_unavailable", "CPD certificates are not available."));
  Access a = require_access(ctx, req, {cap::kMentorParticipate});
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  if (!who.session.schemeid)
    return failure_page(ctx, Status::not_found("scheme_not_linked", "This course is not linked to a mentoring scheme."));
  std::optional<core::Date> from, to;
  for (auto [name, out] : {std::pair{"from", &from}, std::pair{"to", &to}}) {
    const std::string text(req.query_param(name));
    if (text.empty()) continue;
    auto d = core::Date::parse(text);
    if (!d) return error_page(ErrorKind::kBadRequest, ctx.renderer, ctx.policy, ctx.chrome);
    *out = *d;
  }
  auto facts = ctx.services.training->certificate_facts(who.account.id, *who.session.schemeid, from, to,
                                                        core::Actor::account(who.account.id));
  if (!facts) {
    if (facts.status().code() == core::Code::kFailedPrecondition || facts.status().code() == core::Code::kInvalidArgument)
      return see_other(ctx, "/profile/mentor/cpd");
    return failure_page(ctx, facts.status());
  }
  const exports::CpdCertificate c = exports::certificate_of(*facts);
  auto pdf = ctx.services.render_certificate(c);
  if (!pdf) return failure_page(ctx, pdf.status());
  http::Response res;
  res.status = 200;
  res.body.assign(pdf->begin(), pdf->end());
  res.set_header("Content-Type", "application/pdf");
  res.set_header("Content-Disposition", "attachment; filename=\"" + c.certificate_id + ".pdf\"");
  res.set_header("Cache-Control", "no-store");
  apply_security_headers(res, ctx.policy);
  return res;
}

}  // namespace mentoring::web::pages
