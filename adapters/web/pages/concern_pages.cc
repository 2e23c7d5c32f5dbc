// Concerns to the scheme's point of contact (app/concerns.h): /concerns for
// the mentee or mentor who raises one (the list of their own, the form, one
// concern with its history, withdrawing it), and /staff/concerns for the
// point of contact and the scheme lead (the queue without the text, one
// concern with its history, and the actions). Who may read a concern is the
// service's decision; every read of the text is audited there.
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/concerns.h"
#include "core/checkin_stores.h"
#include "core/lti_capabilities.h"
#include "core/matching_stores.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Result;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

constexpr std::initializer_list<std::string_view> kParticipants = {cap::kMenteeParticipate, cap::kMentorParticipate};

std::string error_text(const Strings& strings, const Status& st) {
  const std::string key = "page:error_" + st.reason();
  if (is_valid_string_key(key) && strings.contains(key)) return strings.text(key);
  return st.message();
}

std::string day_text(core::UnixSeconds t) { return core::Date::from_unix(t).to_string(); }

// The reasons app::ConcernService gives when concern text cannot be sealed
// or opened, each with its own page ("concern:<reason>_title", "_body",
// "_next" for the person who raised it, "_next_staff" for the point of
// contact and the scheme lead) and status: a text that does not decrypt is
// a fault (500); the others wait on the installation's keys (503).
bool is_text_error(const Status& st) {
  const std::string& r = st.reason();
  return r == "concern_sealing_disabled" || r == "concern_text_decrypt_failed" || r == "concern_text_key_unknown" ||
         r == "concern_text_unsealed";
}

http::Response text_error_page(const PageContext& ctx, const SignedIn& who, const Status& st, bool staff) {
  const Strings& s = ctx.renderer.strings();
  const std::string key = "concern:" + st.reason();
  km::data data = signed_in_page_data(ctx, who, s.text(key + "_title"), staff ? "/staff/concerns" : "/concerns");
  data.set("body", s.text(key + "_body"));
  data.set("next", s.text(key + (staff ? "_next_staff" : "_next")));
  data.set("reason", st.reason());
  data.set("home_href", href(ctx, "/"));
  return render_page(ctx, st.reason() == "concern_text_decrypt_failed" ? 500 : 503, "concern_unavailable", data);
}

// failure_page, with the concern text errors told apart.
http::Response concern_failure(const PageContext& ctx, const SignedIn& who, const Status& st, bool staff) {
  if (is_text_error(st)) return text_error_page(ctx, who, st, staff);
  return failure_page(ctx, st);
}

std::vector<FieldOption> options_of(const Strings& s, std::string_view prefix, std::initializer_list<const char*> v) {
  std::vector<FieldOption> out;
  for (const char* value : v) out.push_back({value, s.text(std::string(prefix) + value)});
  return out;
}

std::vector<FieldOption> category_options(const Strings& s) {
  return options_of(s, "concern:category_", {"meetings", "personality_fit", "conduct", "wellbeing", "other"});
}
std::vector<FieldOption> urgency_options(const Strings& s) {
  return options_of(s, "concern:urgency_", {"routine", "soon", "urgent"});
}
std::vector<FieldOption> outcome_options(const Strings& s) {
  return options_of(s, "concern:outcome_", {"resolved", "rematch", "signposted"});
}

// "Dr Ada Lovelace (your mentor), pairing 12": the pairings a person may
// raise a concern about.
Result<std::vector<FieldOption>> pairing_options(const PageContext& ctx, std::int64_t accountid) {
  std::vector<FieldOption> out;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto parts = s.checkins.pairings_of_account(accountid);
    if (!parts) return parts.status();
    for (const core::PartyPairing& part : *parts) {
      auto p = s.pairings.find(part.pairingid);
      if (!p) return p.status();
      if (!*p) continue;
      auto other = s.enrolments.find(part.role == core::Role::kMentee ? (*p)->mentorid : (*p)->menteeid);
      if (!other) return other.status();
      std::string name = ctx.renderer.strings().text("concern:pairing_unknown");
      if (*other) {
        auto a = s.accounts.find((*other)->accountid);
        if (!a) return a.status();
        if (*a) name = display_name(**a);
      }
      const char* role_key = part.role == core::Role::kMentee ? "concern:pairing_with_mentor"
                                                                : "concern:pairing_with_mentee";
      out.push_back({std::to_string(part.pairingid),
                     ctx.renderer.strings().format(role_key, {{"name", name}})});
    }
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

km::data concern_row(const PageContext& ctx, const core::Concern& c, std::string_view base) {
  const Strings& s = ctx.renderer.strings();
  km::data row;
  row.set("id", std::to_string(c.id));
  row.set("href", href(ctx, std::string(base) + "/" + std::to_string(c.id)));
  row.set("category", s.text(std::string("concern:category_") + core::to_string(c.category)));
  row.set("urgency", s.text(std::string("concern:urgency_") + core::to_string(c.urgency)));
  row.set("state", s.text(std::string("concern:state_") + core::to_string(c.state)));
  row.set("urgent", flag(c.urgency == core::ConcernUrgency::kUrgent && c.state != core::ConcernState::kResolved));
  row.set("raised_on", day_text(c.timecreated));
  row.set("raiser_role", s.text(std::string("concern:raiser_") + core::to_string(c.raiser_role)));
  return row;
}

// The form to raise a concern, drawn with what was typed and any errors.
http::Response raise_page(const PageContext& ctx, const SignedIn& who, int status, FormView& form,
                          const std::vector<core::Concern>& mine, bool has_pairings, bool raised) {
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("concern:title"), "/concerns");
  km::data rows{km::data::type::list};
  for (const core::Concern& c : mine) rows.push_back(concern_row(ctx, c, "/concerns"));
  data.set("concerns", rows);
  data.set("has_concerns", flag(!mine.empty()));
  data.set("has_pairings", flag(has_pairings));
  // Without a key nothing typed could be stored: say so before the form.
  const bool sealing = ctx.services.concerns->sealing_enabled();
  data.set("sealing_disabled", flag(!sealing));
  data.set("can_raise", flag(has_pairings && sealing));
  data.set("raised", flag(raised));
  data.set("action", href(ctx, "/concerns"));
  data.set("fields", form.fields());
  data.set("error_list", form.errors());
  data.set("has_errors", flag(form.has_errors()));
  return render_page(ctx, status, "concerns", data);
}

FormView raise_form(const Strings& s, const std::vector<FieldOption>& pairings, const FormFields& typed = {}) {
  auto typed_value = [&](std::string_view name) {
    for (const auto& [k, v] : typed)
      if (k == name) return v;
    return std::string();
  };
  FormView form(s);
  form.radios("pairingid", "concern:field_pairing", "", pairings,
              typed.empty() && pairings.size() == 1 ? pairings.front().value : typed_value("pairingid"));
  form.radios("category", "concern:field_category", "concern:hint_category", category_options(s),
              typed_value("category"));
  form.radios("urgency", "concern:field_urgency", "concern:hint_urgency", urgency_options(s),
              typed.empty() ? std::string("routine") : typed_value("urgency"));
  form.textarea("text", "concern:field_text", "concern:hint_text", typed_value("text"), 8);
  return form;
}

// One concern with its history, for the raiser or a handler.
http::Response concern_page(const PageContext& ctx, const SignedIn& who, int status, const app::ConcernView& v,
                            bool staff, FormView* actions, std::string_view saved) {
  const Strings& s = ctx.renderer.strings();
  const std::string base = staff ? "/staff/concerns" : "/concerns";
  km::data data = signed_in_page_data(ctx, who, s.format("concern:one_title", {{"id", std::to_string(v.concern.id)}}),
                                      base);
  km::data facts{km::data::type::list};
  auto fact = [&](const char* key, std::string value) {
    km::data f;
    f.set("key", s.text(key));
    f.set("value", std::move(value));
    facts.push_back(f);
  };
  const core::Concern& c = v.concern;
  fact("concern:fact_category", s.text(std::string("concern:category_") + core::to_string(c.category)));
  fact("concern:fact_urgency", s.text(std::string("concern:urgency_") + core::to_string(c.urgency)));
  fact("concern:fact_state", s.text(std::string("concern:state_") + core::to_string(c.state)));
  if (c.outcome) fact("concern:fact_outcome", s.text(std::string("concern:outcome_") + core::to_string(*c.outcome)));
  fact("concern:fact_raised_on", day_text(c.timecreated));
  if (staff) fact("concern:fact_raised_by", s.text(std::string("concern:raiser_") + core::to_string(c.raiser_role)));
  data.set("facts", facts);
  km::data paragraphs{km::data::type::list};
  std::size_t start = 0;
  while (start <= c.text.size()) {
    std::size_t end = c.text.find('\n', start);
    if (end == std::string::npos) end = c.text.size();
    if (end > start) {
      km::data p;
      p.set("text", c.text.substr(start, end - start));
      paragraphs.push_back(p);
    }
    start = end + 1;
  }
  data.set("paragraphs", paragraphs);
  km::data history{km::data::type::list};
  for (const core::ConcernAction& a : v.history) {
    km::data h;
    h.set("kind", s.text(std::string("concern:action_") + core::to_string(a.kind)));
    h.set("on", day_text(a.timecreated));
    h.set("text", a.text);
    h.set("has_text", flag(!a.text.empty()));
    history.push_back(h);
  }
  data.set("history", history);
  const bool open = c.state != core::ConcernState::kResolved;
  data.set("can_withdraw", flag(!staff && open && v.viewer == core::ConcernViewer::kRaiser));
  data.set("withdraw_action", href(ctx, "/concerns/" + std::to_string(c.id) + "/withdraw"));
  data.set("can_act", flag(staff && open && actions != nullptr));
  data.set("act_action", href(ctx, "/staff/concerns/" + std::to_string(c.id)));
  data.set("back_href", href(ctx, base));
  if (actions) {
    data.set("fields", actions->fields());
    data.set("error_list", actions->errors());
    data.set("has_errors", flag(actions->has_errors()));
  }
  if (!saved.empty()) data.set("saved", s.text(std::string("concern:saved_") + std::string(saved)));
  return render_page(ctx, status, staff ? "concern_staff" : "concern", data);
}

FormView action_form(const Strings& s, const core::Concern& c, core::ConcernViewer viewer, const FormFields& typed = {}) {
  auto typed_value = [&](std::string_view name) {
    for (const auto& [k, v] : typed)
      if (k == name) return v;
    return std::string();
  };
  std::vector<FieldOption> actions;
  if (c.state == core::ConcernState::kRaised) actions.push_back({"acknowledge", s.text("concern:do_acknowledge")});
  actions.push_back({"note", s.text("concern:do_note")});
  if (viewer == core::ConcernViewer::kPointOfContact && c.state != core::ConcernState::kEscalated)
    actions.push_back({"escalate", s.text("concern:do_escalate")});
  actions.push_back({"resolve", s.text("concern:do_resolve")});
  FormView form(s);
  form.radios("action", "concern:field_action", "", actions, typed_value("action"));
  form.radios("outcome", "concern:field_outcome", "concern:hint_outcome", outcome_options(s), typed_value("outcome"));
  form.textarea("note", "concern:field_note", "concern:hint_note", typed_value("note"), 5);
  return form;
}

}  // namespace

http::Response concerns(const PageContext& ctx, const http::Request& req) {
  if (!ctx.services.concerns) return failure_page(ctx, Status::unavailable("service_unavailable", "Concerns are not available."));
  const Strings& s = ctx.renderer.strings();
  if (req.method == "POST") {
    FormAccess f = require_form(ctx, req, kParticipants);
    if (!f) return std::move(f.refusal);
    if (!ctx.services.concerns->sealing_enabled())
      return text_error_page(ctx, *f.signed_in,
                             Status::failed_precondition("concern_sealing_disabled",
                                                         "No key is configured to seal concern text."),
                             false);
    const std::int64_t me = f.signed_in->account.id;
    auto pairings = pairing_options(ctx, me);
    if (!pairings) return failure_page(ctx, pairings.status());
    FormView form = raise_form(s, *pairings, f.fields);
    core::ConcernInput in;
    auto id = parse_id(f.field("pairingid"));
    bool known = false;
    for (const FieldOption& o : *pairings) known = known || (id && o.value == std::to_string(*id));
    if (!known) form.set_error("pairingid", s.text("concern:error_pairing"));
    auto category = core::parse_concern_category(f.field("category"));
    if (!category) form.set_error("category", s.text("concern:error_category"));
    auto urgency = core::parse_concern_urgency(f.field("urgency"));
    if (!urgency) form.set_error("urgency", s.text("concern:error_urgency"));
    in.pairingid = id.value_or(0);
    in.category = category.value_or(core::ConcernCategory::kOther);
    in.urgency = urgency.value_or(core::ConcernUrgency::kRoutine);
    in.text = f.field("text");
    auto checked = core::validate(in);
    if (!checked && checked.status().field() == "text") form.set_error("text", error_text(s, checked.status()));
    auto mine = ctx.services.concerns->mine(me);
    if (!mine) return concern_failure(ctx, *f.signed_in, mine.status(), false);
    if (form.has_errors()) return raise_page(ctx, *f.signed_in, 400, form, *mine, !pairings->empty(), false);
    if (auto again = claim_form(ctx, f)) return std::move(*again);
    auto raised = ctx.services.concerns->raise(me, in);
    if (!raised) {
      if (is_text_error(raised.status())) return text_error_page(ctx, *f.signed_in, raised.status(), false);
      if (raised.status().code() == core::Code::kInternal || raised.status().code() == core::Code::kUnavailable)
        return failure_page(ctx, raised.status());
      form.set_error(raised.status().field().empty() ? "text" : raised.status().field(),
                     error_text(s, raised.status()));
      return raise_page(ctx, *f.signed_in, raised.status().code() == core::Code::kInvalidArgument ? 400 : 409, form,
                        *mine, !pairings->empty(), false);
    }
    return see_other(ctx, "/concerns/" + std::to_string(raised->id) + "?saved=raised");
  }
  Access a = require_access(ctx, req, kParticipants);
  if (!a) return std::move(a.refusal);
  auto pairings = pairing_options(ctx, a.signed_in->account.id);
  if (!pairings) return failure_page(ctx, pairings.status());
  auto mine = ctx.services.concerns->mine(a.signed_in->account.id);
  if (!mine) return concern_failure(ctx, *a.signed_in, mine.status(), false);
  FormView form = raise_form(s, *pairings);
  return raise_page(ctx, *a.signed_in, 200, form, *mine, !pairings->empty(), false);
}

http::Response concern(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (!ctx.services.concerns) return failure_page(ctx, Status::unavailable("service_unavailable", "Concerns are not available."));
  Access a = require_access(ctx, req, kParticipants);
  if (!a) return std::move(a.refusal);
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("concern_not_found", "There is no concern with that id."));
  auto v = ctx.services.concerns->view(a.signed_in->account.id, *id);
  if (!v) return concern_failure(ctx, *a.signed_in, v.status(), false);
  // Staff who handle it see it on the staff page.
  if (v->viewer != core::ConcernViewer::kRaiser) return see_other(ctx, "/staff/concerns/" + std::to_string(*id));
  const std::string saved(req.query_param("saved"));
  return concern_page(ctx, *a.signed_in, 200, *v, false, nullptr,
                      saved == "raised" || saved == "withdrawn" ? saved : std::string());
}

http::Response concern_withdraw(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (!ctx.services.concerns) return failure_page(ctx, Status::unavailable("service_unavailable", "Concerns are not available."));
  FormAccess f = require_form(ctx, req, kParticipants);
  if (!f) return std::move(f.refusal);
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("concern_not_found", "There is no concern with that id."));
  if (auto again = claim_form(ctx, f)) return std::move(*again);
  auto done = ctx.services.concerns->resolve(f.signed_in->account.id, *id, core::ConcernOutcome::kWithdrawn, "");
  if (!done) return concern_failure(ctx, *f.signed_in, done.status(), false);
  return see_other(ctx, "/concerns/" + std::to_string(*id) + "?saved=withdrawn");
}

http::Response staff_concerns(const PageContext& ctx, const http::Request& req) {
  if (!ctx.services.concerns) return failure_page(ctx, Status::unavailable("service_unavailable", "Concerns are not available."));
  Access a = require_access(ctx, req);
  if (!a) return std::move(a.refusal);
  const Strings& s = ctx.renderer.strings();
  auto scheme = session_scheme(ctx, *a.signed_in);
  if (!scheme) return failure_page(ctx, scheme.status());
  km::data data = signed_in_page_data(ctx, *a.signed_in, s.text("concern:staff_title"), "/staff/concerns");
  data.set("has_scheme", flag(scheme->has_value()));
  if (*scheme) {
    const bool all = req.query_param("state") == "all";
    auto q = ctx.services.concerns->queue(a.signed_in->account.id, (*scheme)->id, !all, core::Page{200, 0});
    if (!q) return failure_page(ctx, q.status());
    km::data rows{km::data::type::list};
    for (const core::Concern& c : q->concerns) rows.push_back(concern_row(ctx, c, "/staff/concerns"));
    data.set("concerns", rows);
    data.set("has_concerns", flag(!q->concerns.empty()));
    data.set("total", std::to_string(q->total));
    data.set("scheme_name", (*scheme)->name);
    data.set("showing_all", flag(all));
    data.set("all_href", href(ctx, "/staff/concerns?state=all"));
    data.set("open_href", href(ctx, "/staff/concerns"));
    data.set("viewer", s.text(q->viewer == core::ConcernViewer::kSchemeLead ? "concern:you_are_lead"
                                                                            : "concern:you_are_point_of_contact"));
  }
  return render_page(ctx, 200, "concern_staff_list", data);
}

http::Response staff_concern(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  if (!ctx.services.concerns) return failure_page(ctx, Status::unavailable("service_unavailable", "Concerns are not available."));
  const Strings& s = ctx.renderer.strings();
  auto id = parse_id(p.get("id"));
  if (req.method == "POST") {
    FormAccess f = require_form(ctx, req);
    if (!f) return std::move(f.refusal);
    if (!id) return failure_page(ctx, Status::not_found("concern_not_found", "There is no concern with that id."));
    const std::int64_t me = f.signed_in->account.id;
    auto current = ctx.services.concerns->view(me, *id);
    if (!current) return concern_failure(ctx, *f.signed_in, current.status(), true);
    if (current->viewer == core::ConcernViewer::kRaiser) return see_other(ctx, "/concerns/" + std::to_string(*id));
    FormView form = action_form(s, current->concern, current->viewer, f.fields);
    const std::string action = f.field("action");
    const std::string note = f.field("note");
    std::optional<core::ConcernOutcome> outcome;
    if (action == "resolve") {
      outcome = core::parse_concern_outcome(f.field("outcome"));
      if (!outcome || *outcome == core::ConcernOutcome::kWithdrawn)
        form.set_error("outcome", s.text("concern:error_outcome"));
    } else if (action != "acknowledge" && action != "note" && action != "escalate") {
      form.set_error("action", s.text("concern:error_action"));
    }
    if (action == "note" && core::validate_action_text(note, true).status().reason() == "concern_action_text_required")
      form.set_error("note", s.text("page:error_concern_action_text_required"));
    if (form.has_errors()) return concern_page(ctx, *f.signed_in, 400, *current, true, &form, "");
    if (auto again = claim_form(ctx, f)) return std::move(*again);
    Result<app::ConcernView> done = Status::internal("unreachable", "");
    if (action == "acknowledge") done = ctx.services.concerns->acknowledge(me, *id, note);
    else if (action == "note") done = ctx.services.concerns->add_note(me, *id, note);
    else if (action == "escalate") done = ctx.services.concerns->escalate(me, *id, note);
    else done = ctx.services.concerns->resolve(me, *id, *outcome, note);
    if (!done) {
      if (is_text_error(done.status())) return text_error_page(ctx, *f.signed_in, done.status(), true);
      const core::Code code = done.status().code();
      if (code == core::Code::kInternal || code == core::Code::kUnavailable || code == core::Code::kNotFound)
        return failure_page(ctx, done.status());
      form.set_error(done.status().field().empty() ? "action" : done.status().field() == "text" ? "note"
                                                                                                 : done.status().field(),
                     error_text(s, done.status()));
      return concern_page(ctx, *f.signed_in, code == core::Code::kInvalidArgument ? 400 : 409, *current, true, &form,
                          "");
    }
    return see_other(ctx, "/staff/concerns/" + std::to_string(*id) + "?saved=" + action);
  }
  Access a = require_access(ctx, req);
  if (!a) return std::move(a.refusal);
  if (!id) return failure_page(ctx, Status::not_found("concern_not_found", "There is no concern with that id."));
  auto v = ctx.services.concerns->view(a.signed_in->account.id, *id);
  if (!v) return concern_failure(ctx, *a.signed_in, v.status(), true);
  if (v->viewer == core::ConcernViewer::kRaiser) return see_other(ctx, "/concerns/" + std::to_string(*id));
  FormView form = action_form(s, v->concern, v->viewer);
  const std::string saved(req.query_param("saved"));
  const bool known = saved == "acknowledge" || saved == "note" || saved == "escalate" || saved == "resolve";
  return concern_page(ctx, *a.signed_in, 200, *v, true, &form, known ? saved : std::string());
}

}  // namespace mentoring::web::pages
