// Pages for scheme staff: the dashboard, scheme settings, participants, and
// the pages later features fill (matching runs, reports, the audit log).
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/jobs.h"
#include "app/scheme_setup.h"
#include "app/setup_objectives.h"
#include "core/lti_capabilities.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Status;

namespace {

constexpr std::int64_t kParticipantsPerPage = 25;

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

std::string tr(const Strings& s, const std::string& prefix, const char* value) { return s.text(prefix + value); }

// The schemes a staff member's pages are about: the one their course is
// linked to, or (launched from a course with no scheme) every scheme.
core::Result<std::vector<core::Scheme>> staff_schemes(const PageContext& ctx, const SignedIn& who) {
  std::vector<core::Scheme> out;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    if (who.session.schemeid) {
      auto found = s.schemes.find(*who.session.schemeid);
      if (!found) return found.status();
      if (*found) out.push_back(std::move(**found));
      return Status::ok();
    }
    auto all = s.schemes.list(core::Page{100, 0});
    if (!all) return all.status();
    out = std::move(all).value();
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

}  // namespace

http::Response staff_dashboard(const PageContext& ctx, const http::Request& req) {
  Access a = require_access(ctx, req, {cap::kSchemeManage, cap::kPairingAssign, cap::kEvaluationView});
  if (!a) return std::move(a.refusal);
  const SignedIn& who = *a.signed_in;
  const Strings& s = ctx.renderer.strings();
  auto schemes = staff_schemes(ctx, who);
  if (!schemes) return failure_page(ctx, schemes.status());

  km::data list{km::data::type::list};
  for (const core::Scheme& scheme : *schemes) {
    km::data d;
    d.set("name", scheme.name);
    d.set("settings_href", href(ctx, "/staff/schemes/" + std::to_string(scheme.id)));
    d.set("participants_href", href(ctx, "/staff/schemes/" + std::to_string(scheme.id) + "/participants"));
    d.set("import_href", href(ctx, "/staff/schemes/" + std::to_string(scheme.id) + "/import"));
    d.set("bau_href", href(ctx, "/staff/schemes/" + std::to_string(scheme.id) + "/business-as-usual"));
    d.set("can_manage", flag(who.has(cap::kSchemeManage)));
    km::data gaps{km::data::type::list};
    bool has_gaps = false;
    if (ctx.services.governance != nullptr) {
      auto found = ctx.services.governance->gaps(scheme.id, std::nullopt);
      if (!found) return failure_page(ctx, found.status());
      for (core::Responsibility r : found->unassigned) {
        gaps.push_back(km::data(s.format("page:governance_unassigned", {{"responsibility", core::describe(r)}})));
        has_gaps = true;
      }
      for (const core::OverdueReport& o : found->overdue) {
        gaps.push_back(km::data(o.message));
        has_gaps = true;
      }
    }
    d.set("gaps", gaps);
    d.set("has_gaps", flag(has_gaps));
    km::data cohorts{km::data::type::list};
    bool has_cohorts = false;
    Status st = ctx.db.transact([&](core::Stores& stores) -> Status {
      auto found = stores.schemes.list_cohorts(scheme.id);
      if (!found) return found.status();
      for (const core::Cohort& c : *found) {
        auto mentees = stores.enrolments.count_by_cohort(c.id, core::Role::kMentee);
        if (!mentees) return mentees.status();
        auto mentors = stores.enrolments.count_by_cohort(c.id, core::Role::kMentor);
        if (!mentors) return mentors.status();
        km::data row;
        row.set("name", c.name);
        row.set("matching_model", tr(s, "page:matching_model_", core::to_string(c.matching_model)));
        row.set("mentees", std::to_string(*mentees));
        row.set("mentors", std::to_string(*mentors));
        cohorts.push_back(row);
        has_cohorts = true;
      }
      return Status::ok();
    });
    if (!st) return failure_page(ctx, st);
    d.set("cohorts", cohorts);
    d.set("has_cohorts", flag(has_cohorts));
    list.push_back(d);
  }
  km::data data = signed_in_page_data(ctx, who, s.text("page:staff_title"), "/staff");
  data.set("schemes", list);
  return render_page(ctx, 200, "staff_dashboard", data);
}

namespace {

std::vector<FieldOption> scheme_type_options(const Strings& s) {
  std::vector<FieldOption> out;
  using T = core::SchemeType;
  for (T t : {T::kTraditional, T::kNearPeer, T::kReverse, T::kReciprocal})
    out.push_back({core::to_string(t), tr(s, "page:scheme_type_", core::to_string(t))});
  return out;
}

std::vector<FieldOption> scheme_phase_options(const Strings& s) {
  std::vector<FieldOption> out;
  using P = core::SchemePhase;
  for (P p : {P::kPilot, P::kBusinessAsUsual})
    out.push_back({core::to_string(p), tr(s, "page:scheme_phase_", core::to_string(p))});
  return out;
}

FormView scheme_form(const Strings& s, const std::string& name, const std::string& type, const std::string& aims,
                     const std::string& phase) {
  FormView f(s);
  f.text("name", "page:field_scheme_name", "page:hint_scheme_name", name);
  f.radios("type", "page:field_scheme_type", "page:hint_scheme_type", scheme_type_options(s), type);
  f.textarea("aims", "page:field_scheme_aims", "page:hint_scheme_aims", aims, 8);
  f.radios("phase", "page:field_scheme_phase", "page:hint_scheme_phase", scheme_phase_options(s), phase);
  return f;
}

http::Response scheme_form_page(const PageContext& ctx, const SignedIn& who, int status, const core::Scheme& scheme,
                                const FormView& form, bool saved) {
  const Strings& s = ctx.renderer.strings();
  const std::string path = "/staff/schemes/" + std::to_string(scheme.id);
  km::data data =
      signed_in_page_data(ctx, who, s.format("page:scheme_settings_title", {{"scheme", scheme.name}}), "/staff");
  data.set("intro", s.text(saved ? "page:scheme_settings_saved" : "page:scheme_settings_intro"));
  data.set("action", href(ctx, path));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  data.set("submit_label", s.text("page:save_scheme"));
  data.set("last_saved", core::Date::from_unix(scheme.timemodified).to_string());
  return render_page(ctx, status, "staff_scheme", data);
}

}  // namespace

http::Response scheme_settings(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  if (ctx.services.schemes == nullptr)
    return failure_page(ctx, Status::unavailable("schemes_unavailable", "Scheme set-up is not available."));
  app::SchemeSetup& schemes = *ctx.services.schemes;
  const auto id = parse_id(p.get("id"));

  if (req.method != "POST") {
    Access a = require_access(ctx, req, {cap::kSchemeManage});
    if (!a) return std::move(a.refusal);
    if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
    auto scheme = schemes.get(*id);
    if (!scheme) return failure_page(ctx, scheme.status());
    FormView form =
        scheme_form(s, scheme->name, core::to_string(scheme->type), scheme->aims, core::to_string(scheme->phase));
    return scheme_form_page(ctx, *a.signed_in, 200, *scheme, form, req.query_param("saved") == "1");
  }

  FormAccess f = require_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
  auto current = schemes.get(*id);
  if (!current) return failure_page(ctx, current.status());
  FormView form = scheme_form(s, f.field("name"), f.field("type"), f.field("aims"), f.field("phase"));
  core::SchemeInput input;
  input.name = f.field("name");
  input.aims = f.field("aims");
  auto type = core::parse_scheme_type(f.field("type"));
  if (!type)
    form.set_error("type", s.text("page:error_scheme_type_required"));
  else
    input.type = *type;
  auto phase = core::parse_scheme_phase(f.field("phase"));
  if (!phase)
    form.set_error("phase", s.text("page:error_scheme_phase_required"));
  else
    input.phase = *phase;
  {
    Status checked = core::validate(input);
    if (!checked) form.set_error(checked.field(), checked.message());
  }
  if (form.has_errors()) return scheme_form_page(ctx, *f.signed_in, 400, *current, form, false);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto saved = schemes.update(*id, input, core::Actor::account(f.signed_in->account.id));
  if (!saved) {
    if (saved.status().code() != core::Code::kInvalidArgument) return failure_page(ctx, saved.status());
    form.set_error(saved.status().field(), saved.status().message());
    return scheme_form_page(ctx, *f.signed_in, 400, *current, form, false);
  }
  return see_other(ctx, "/staff/schemes/" + std::to_string(*id) + "?saved=1");
}

http::Response participants(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  Access a = require_access(ctx, req, {cap::kSchemeManage, cap::kPairingAssign});
  if (!a) return std::move(a.refusal);
  const Strings& s = ctx.renderer.strings();
  const auto id = parse_id(p.get("id"));
  if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
  std::int64_t page_number = 1;
  if (req.has_query_param("page")) {
    auto n = parse_id(req.query_param("page"));
    if (!n) return bad_request_page(ctx.renderer, ctx.policy, ctx.chrome);
    page_number = *n;
  }
  std::optional<std::int64_t> cohort_id;
  if (req.has_query_param("cohort")) {
    cohort_id = parse_id(req.query_param("cohort"));
    if (!cohort_id) return bad_request_page(ctx.renderer, ctx.policy, ctx.chrome);
  }

  std::optional<core::Scheme> scheme;
  std::vector<core::Cohort> cohorts;
  std::optional<core::Cohort> cohort;
  std::int64_t total = 0;
  km::data rows{km::data::type::list};
  Status st = ctx.db.transact([&](core::Stores& stores) -> Status {
    auto found = stores.schemes.find(*id);
    if (!found) return found.status();
    if (!*found) return Status::not_found("scheme_not_found", "There is no scheme with that id.");
    scheme = std::move(found).value();
    auto list = stores.schemes.list_cohorts(*id);
    if (!list) return list.status();
    cohorts = std::move(list).value();
    for (const auto& c : cohorts)
      if (cohort_id ? c.id == *cohort_id : !cohort) cohort = c;
    if (cohort_id && !cohort) return Status::not_found("cohort_not_found", "There is no such cohort in this scheme.");
    if (!cohort) return Status::ok();
    auto count = stores.enrolments.count_by_cohort(cohort->id, std::nullopt);
    if (!count) return count.status();
    total = *count;
    auto page = stores.enrolments.list_by_cohort(
        cohort->id, std::nullopt, core::Page{kParticipantsPerPage, (page_number - 1) * kParticipantsPerPage});
    if (!page) return page.status();
    for (const core::Enrolment& e : *page) {
      auto account = stores.accounts.find(e.accountid);
      if (!account) return account.status();
      km::data row;
      row.set("name", *account ? display_name(**account) : std::to_string(e.accountid));
      row.set("role", tr(s, "page:role_", core::to_string(e.role)));
      row.set("status", tr(s, "page:enrolment_status_", core::to_string(e.status)));
      row.set("tag_class", status_tag_class(e.status));
      rows.push_back(row);
    }
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);

  const std::string base = "/staff/schemes/" + std::to_string(*id) + "/participants";
  km::data data =
      signed_in_page_data(ctx, *a.signed_in, s.format("page:participants_title", {{"scheme", scheme->name}}), "/staff");
  km::data cohort_list{km::data::type::list};
  for (const auto& c : cohorts) {
    km::data d;
    d.set("name", c.name);
    d.set("href", href(ctx, base + "?cohort=" + std::to_string(c.id)));
    d.set("current", flag(cohort && cohort->id == c.id));
    cohort_list.push_back(d);
  }
  data.set("cohorts", cohort_list);
  data.set("has_cohorts", flag(!cohorts.empty()));
  const std::int64_t pages = std::max<std::int64_t>(1, (total + kParticipantsPerPage - 1) / kParticipantsPerPage);
  if (cohort) {
    if (a.signed_in->has(cap::kSchemeManage)) {
      data.set("sessions_href", href(ctx, "/staff/cohorts/" + std::to_string(cohort->id) + "/sessions"));
      data.set("sessions_link", s.format("page:cohort_sessions_link", {{"cohort", cohort->name}}));
    }
    data.set("caption",
             s.format("page:participants_caption", {{"cohort", cohort->name}, {"count", std::to_string(total)}}));
    data.set("has_rows", flag(total > 0 && page_number <= pages));
    data.set("no_rows", flag(!(total > 0 && page_number <= pages)));
    data.set("rows", rows);
    const std::string cohort_q = base + "?cohort=" + std::to_string(cohort->id) + "&page=";
    if (pages > 1) {
      data.set("has_pages", flag(true));
      data.set("page_of",
               s.format("page:page_of", {{"page", std::to_string(page_number)}, {"pages", std::to_string(pages)}}));
      if (page_number > 1) data.set("previous_href", href(ctx, cohort_q + std::to_string(page_number - 1)));
      if (page_number < pages) data.set("next_href", href(ctx, cohort_q + std::to_string(page_number + 1)));
    }
  }
  return render_page(ctx, 200, "staff_participants", data);
}

}  // namespace mentoring::web::pages
