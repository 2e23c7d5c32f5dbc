// The move from pilot to business-as-usual, for scheme staff
// (/staff/schemes/{id}/business-as-usual): the readiness check with every
// factor still unmet, the plan's figures per active pair, the form for the
// plan itself (senior sponsor, funding, administrative time and cost, the
// mentor recruitment and promotion plans), the phase change with a note
// (refused, naming what is missing, while the check does not pass; going
// back to pilot is always allowed) and the dated phase history.
#include <charconv>
#include <cstdio>

#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/money.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/business_as_usual.h"
#include "app/scheme_setup.h"
#include "core/lti_capabilities.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

std::string one_decimal(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}


std::optional<double> parse_hours(std::string_view text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || !(v == v)) return std::nullopt;
  return v;
}

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

struct PlanFields {
  std::string senior_sponsor, funding_source, funding_ends_on, funding_review_on, admin_hours, annual_cost,
      mentor_recruitment_plan, promotion_plan;
};

PlanFields fields_of(const core::BusinessAsUsualPlan& p) {
  PlanFields f;
  f.senior_sponsor = p.senior_sponsor;
  f.funding_source = p.funding_source;
  f.funding_ends_on = p.funding_ends_on ? p.funding_ends_on->to_string() : "";
  f.funding_review_on = p.funding_review_on ? p.funding_review_on->to_string() : "";
  f.admin_hours = p.admin_hours_per_month > 0 ? one_decimal(p.admin_hours_per_month) : "";
  f.annual_cost = p.annual_cost_pence > 0 ? pounds_field(p.annual_cost_pence) : "";
  f.mentor_recruitment_plan = p.mentor_recruitment_plan;
  f.promotion_plan = p.promotion_plan;
  return f;
}

FormView plan_form(const Strings& s, const PlanFields& f) {
  FormView form(s);
  form.text("senior_sponsor", "page:field_bau_senior_sponsor", "page:hint_bau_senior_sponsor", f.senior_sponsor);
  form.text("funding_source", "page:field_bau_funding_source", "page:hint_bau_funding_source", f.funding_source);
  form.text("funding_ends_on", "page:field_bau_funding_ends_on", "page:hint_bau_date", f.funding_ends_on, "10");
  form.text("funding_review_on", "page:field_bau_funding_review_on", "page:hint_bau_funding_review_on",
            f.funding_review_on, "10");
  form.text("admin_hours_per_month", "page:field_bau_admin_hours", "page:hint_bau_admin_hours", f.admin_hours, "5");
  form.text("annual_cost", "page:field_bau_annual_cost", "page:hint_bau_annual_cost", f.annual_cost, "10");
  form.textarea("mentor_recruitment_plan", "page:field_bau_mentor_recruitment_plan",
                "page:hint_bau_mentor_recruitment_plan", f.mentor_recruitment_plan, 5);
  form.textarea("promotion_plan", "page:field_bau_promotion_plan", "page:hint_bau_promotion_plan", f.promotion_plan,
                5);
  return form;
}

// The form's plan, with an error set on `form` for each field it cannot read.
core::BusinessAsUsualPlan plan_of(const Strings& s, std::int64_t schemeid, const PlanFields& f, FormView& form) {
  core::BusinessAsUsualPlan p;
  p.schemeid = schemeid;
  p.senior_sponsor = trimmed(f.senior_sponsor);
  p.funding_source = trimmed(f.funding_source);
  p.mentor_recruitment_plan = trimmed(f.mentor_recruitment_plan);
  p.promotion_plan = trimmed(f.promotion_plan);
  for (auto [text, field, out] : {std::tuple{&f.funding_ends_on, "funding_ends_on", &p.funding_ends_on},
                                  std::tuple{&f.funding_review_on, "funding_review_on", &p.funding_review_on}}) {
    const std::string t = trimmed(*text);
    if (t.empty()) continue;
    auto d = core::Date::parse(t);
    if (!d)
      form.set_error(field, s.text("page:error_bau_date_invalid"));
    else
      *out = *d;
  }
  if (const std::string h = trimmed(f.admin_hours); !h.empty()) {
    auto v = parse_hours(h);
    if (!v)
      form.set_error("admin_hours_per_month", s.text("page:error_bau_admin_hours_invalid"));
    else
      p.admin_hours_per_month = *v;
  }
  if (const std::string c = trimmed(f.annual_cost); !c.empty()) {
    auto v = parse_pounds(c);
    if (!v)
      form.set_error("annual_cost", s.text("page:error_bau_annual_cost_invalid"));
    else
      p.annual_cost_pence = *v;
  }
  return p;
}

FormView phase_form(const Strings& s, const std::string& note) {
  FormView form(s);
  form.textarea("note", "page:field_bau_phase_note", "page:hint_bau_phase_note", note, 3);
  return form;
}

// What the page says at the top after a redirect.
enum class Done { kNothing, kSaved, kMoved };

http::Response bau_page(const PageContext& ctx, const SignedIn& who, int status, const core::Scheme& scheme,
                        const FormView& form, Done done, const FormView* phase = nullptr) {
  const Strings& s = ctx.renderer.strings();
  app::BusinessAsUsualService& bau = *ctx.services.business_as_usual;
  auto readiness = bau.readiness(scheme.id);
  if (!readiness) return failure_page(ctx, readiness.status());
  auto history = bau.history(scheme.id);
  if (!history) return failure_page(ctx, history.status());

  const std::string path = "/staff/schemes/" + std::to_string(scheme.id) + "/business-as-usual";
  km::data data = signed_in_page_data(ctx, who, s.format("page:bau_title", {{"scheme", scheme.name}}), "/staff");
  data.set("intro", s.text(done == Done::kSaved   ? "page:bau_saved"
                           : done == Done::kMoved ? "page:bau_moved"
                                                  : "page:bau_intro"));
  data.set("phase", s.text(std::string("page:scheme_phase_") + core::to_string(readiness->phase)));
  data.set("settings_href", href(ctx, "/staff/schemes/" + std::to_string(scheme.id)));
  km::data unmet{km::data::type::list};
  for (const core::Finding& f : readiness->unmet) unmet.push_back(km::data(f.message));
  data.set("unmet", unmet);
  data.set("ready", flag(readiness->ready()));
  const core::PerPairFigures& pp = readiness->per_pair;
  data.set("active_pairs", std::to_string(pp.active_pairs));
  data.set("admin_per_pair", pp.admin_hours_per_pair_per_month ? one_decimal(*pp.admin_hours_per_pair_per_month)
                                                              : s.text("report:not_recorded"));
  data.set("cost_per_pair", pp.annual_cost_pence_per_pair ? pounds_shown(*pp.annual_cost_pence_per_pair)
                                                          : s.text("report:not_recorded"));
  km::data changes{km::data::type::list};
  Status st = ctx.db.transact([&](core::Stores& stores) -> Status {
    for (const core::PhaseChange& c : *history) {
      km::data row;
      row.set("date", core::Date::from_unix(c.changed_at).to_string());
      row.set("from", s.text(std::string("page:scheme_phase_") + core::to_string(c.from)));
      row.set("to", s.text(std::string("page:scheme_phase_") + core::to_string(c.to)));
      std::string by = s.text("page:bau_changed_by_unknown");
      if (c.changed_by) {
        auto account = stores.accounts.find(*c.changed_by);
        if (!account) return account.status();
        if (*account) by = display_name(**account);
      }
      row.set("by", by);
      row.set("note", c.note);
      changes.push_back(row);
    }
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);
  data.set("changes", changes);
  data.set("has_changes", flag(!history->empty()));
  data.set("action", href(ctx, path));
  data.set("fields", form.fields());
  // The phase form: to the other phase, with a note.
  const bool to_bau = readiness->phase == core::SchemePhase::kPilot;
  const FormView blank_phase = phase_form(s, "");
  const FormView& pf = phase != nullptr ? *phase : blank_phase;
  data.set("phase_action", href(ctx, path + "/phase"));
  data.set("phase_to", to_bau ? "business_as_usual" : "pilot");
  data.set("phase_button", s.text(to_bau ? "page:bau_move_to_bau" : "page:bau_move_to_pilot"));
  data.set("phase_fields", pf.fields());
  const FormView& errors = pf.has_errors() ? pf : form;
  data.set("error_list", errors.errors());
  data.set("has_errors", flag(errors.has_errors()));
  data.set("submit_label", s.text("page:bau_save"));
  if (readiness->plan.timemodified > 0)
    data.set("last_saved", core::Date::from_unix(readiness->plan.timemodified).to_string());
  return render_page(ctx, status, "staff_business_as_usual", data);
}

}  // namespace

http::Response business_as_usual(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  if (ctx.services.business_as_usual == nullptr || ctx.services.schemes == nullptr)
    return failure_page(ctx, Status::unavailable("business_as_usual_unavailable",
                                                 "The business-as-usual plan is not available."));
  app::BusinessAsUsualService& bau = *ctx.services.business_as_usual;
  const auto id = parse_id(p.get("id"));

  if (req.method != "POST") {
    Access a = require_access(ctx, req, {cap::kSchemeManage});
    if (!a) return std::move(a.refusal);
    if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
    auto scheme = ctx.services.schemes->get(*id);
    if (!scheme) return failure_page(ctx, scheme.status());
    auto plan = bau.plan(*id);
    if (!plan) return failure_page(ctx, plan.status());
    const Done done = req.query_param("saved") == "1"   ? Done::kSaved
                      : req.query_param("moved") == "1" ? Done::kMoved
                                                        : Done::kNothing;
    return bau_page(ctx, *a.signed_in, 200, *scheme, plan_form(s, fields_of(*plan)), done);
  }

  FormAccess f = require_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
  auto scheme = ctx.services.schemes->get(*id);
  if (!scheme) return failure_page(ctx, scheme.status());
  PlanFields fields{f.field("senior_sponsor"),         f.field("funding_source"),
                    f.field("funding_ends_on"),        f.field("funding_review_on"),
                    f.field("admin_hours_per_month"),  f.field("annual_cost"),
                    f.field("mentor_recruitment_plan"), f.field("promotion_plan")};
  FormView form = plan_form(s, fields);
  core::BusinessAsUsualPlan plan = plan_of(s, *id, fields, form);
  if (!form.has_errors()) {
    Status checked = core::validate(plan);
    if (!checked) form.set_error(checked.field() == "annual_cost_pence" ? "annual_cost" : checked.field(),
                                 checked.message());
  }
  if (form.has_errors()) return bau_page(ctx, *f.signed_in, 400, *scheme, form, Done::kNothing);
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto saved = bau.save_plan(plan, core::Actor::account(f.signed_in->account.id));
  if (!saved) {
    if (saved.status().code() != core::Code::kInvalidArgument) return failure_page(ctx, saved.status());
    form.set_error(saved.status().field() == "annual_cost_pence" ? "annual_cost" : saved.status().field(),
                   saved.status().message());
    return bau_page(ctx, *f.signed_in, 400, *scheme, form, Done::kNothing);
  }
  return see_other(ctx, "/staff/schemes/" + std::to_string(*id) + "/business-as-usual?saved=1");
}

http::Response business_as_usual_phase(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  const Strings& s = ctx.renderer.strings();
  if (ctx.services.business_as_usual == nullptr || ctx.services.schemes == nullptr)
    return failure_page(ctx, Status::unavailable("business_as_usual_unavailable",
                                                 "The business-as-usual plan is not available."));
  app::BusinessAsUsualService& bau = *ctx.services.business_as_usual;
  FormAccess f = require_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  const auto id = parse_id(p.get("id"));
  if (!id) return not_found_page(ctx.renderer, ctx.policy, ctx.chrome);
  auto scheme = ctx.services.schemes->get(*id);
  if (!scheme) return failure_page(ctx, scheme.status());
  auto plan = bau.plan(*id);
  if (!plan) return failure_page(ctx, plan.status());
  const FormView plan_view = plan_form(s, fields_of(*plan));
  const std::string note = trimmed(f.field("note"));
  FormView phase = phase_form(s, note);
  auto to = core::parse_scheme_phase(f.field("phase"));
  if (!to) {
    phase.set_error("note", s.text("page:error_scheme_phase_required"));
    return bau_page(ctx, *f.signed_in, 400, *scheme, plan_view, Done::kNothing, &phase);
  }
  if (note.size() > core::kMaxPhaseNoteLength) {
    phase.set_error("note", s.text("page:error_bau_phase_note_too_long"));
    return bau_page(ctx, *f.signed_in, 400, *scheme, plan_view, Done::kNothing, &phase);
  }
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto changed = bau.change_phase(*id, *to, note, core::Actor::account(f.signed_in->account.id));
  if (!changed) {
    const core::Code code = changed.status().code();
    if (code != core::Code::kInvalidArgument && code != core::Code::kFailedPrecondition)
      return failure_page(ctx, changed.status());
    // Not ready (the message names the first missing factor; the check on
    // the page lists them all) or already there: nothing changed.
    phase.set_error("note", changed.status().message());
    return bau_page(ctx, *f.signed_in, 409, *scheme, plan_view, Done::kNothing, &phase);
  }
  return see_other(ctx, "/staff/schemes/" + std::to_string(*id) + "/business-as-usual?moved=1");
}

}  // namespace mentoring::web::pages
