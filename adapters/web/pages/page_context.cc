#include "adapters/web/pages/page_context.h"

#include <algorithm>
#include <charconv>

#include "adapters/web/secrets.h"
#include "core/jobs.h"
#include "core/lti_capabilities.h"

namespace mentoring::web {
namespace km = kainjow::mustache;
namespace cap = core::capability;

namespace {

constexpr std::string_view kFormTokenField = "form_token";
constexpr std::string_view kCsrfField = "csrf_token";

// The pages a person may open, in the order the navigation lists them.
struct NavEntry {
  const char* path;
  const char* label_key;
  std::vector<std::string_view> any_of;  // empty: everyone signed in
};

const std::vector<NavEntry>& nav_entries() {
  static const std::vector<NavEntry> entries = {
      {"/", "page:nav_home", {}},
      {"/profile/mentee", "page:nav_mentee_profile", {cap::kMenteeParticipate}},
      {"/profile/mentor", "page:nav_mentor_profile", {cap::kMentorParticipate}},
      {"/matching/choices", "page:nav_matching_choices", {cap::kMenteeParticipate}},
      {"/matching/requests", "page:nav_matching_requests", {cap::kMentorParticipate}},
      {"/relationship", "page:nav_relationship", {cap::kMenteeParticipate, cap::kMentorParticipate}},
      {"/feedback", "page:nav_feedback", {cap::kMenteeParticipate, cap::kMentorParticipate}},
      {"/concerns", "page:nav_concerns", {cap::kMenteeParticipate, cap::kMentorParticipate}},
      {"/staff", "page:nav_staff", {cap::kSchemeManage, cap::kPairingAssign, cap::kEvaluationView}},
      {"/staff/matching", "page:nav_staff_matching", {cap::kPairingAssign}},
      {"/staff/concerns", "page:nav_staff_concerns", {cap::kSchemeManage, cap::kConfidentialView}},
      {"/staff/mentor-applications", "page:nav_staff_mentor_applications", {cap::kSchemeManage}},
      {"/staff/reports", "page:nav_staff_reports", {cap::kEvaluationView}},
      {"/staff/audit", "page:nav_staff_audit", {cap::kSchemeManage}},
      {"/staff/webhooks", "page:nav_staff_webhooks", {cap::kSchemeManage}},
  };
  return entries;
}

template <typename List>
bool has_any(const SignedIn& who, const List& any_of) {
  if (any_of.size() == 0) return true;
  return std::any_of(any_of.begin(), any_of.end(), [&](std::string_view c) { return who.has(c); });
}

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

// A refusal page: one of the sections of refusal.mustache.
http::Response refusal_page(const PageContext& ctx, int status, const char* section, const char* title_key,
                            const std::string& missing = {}) {
  km::data data = page_data(ctx.renderer.strings().text(title_key), ctx.chrome);
  data.set(section, km::data::type::bool_true);
  if (!missing.empty()) data.set("missing", missing);
  data.set("home_href", href(ctx, "/"));
  return render_page(ctx, status, "refusal", data);
}

// The form body's fields (spaces may be '+'), after the query's.
core::Result<FormFields> parse_form(const http::Request& req) {
  const std::string_view type = req.header("Content-Type");
  if (!req.body.empty() && type.substr(0, 33) != "application/x-www-form-urlencoded")
    return core::Status::invalid("form_content_type_invalid",
                                 "The form must be sent as application/x-www-form-urlencoded.");
  std::string body;
  body.reserve(req.body.size());
  for (char c : req.body) body += c == '+' ? std::string("%20") : std::string(1, c);
  http::Request tmp;
  tmp.target = "/?" + body;
  if (!http::parse_target(tmp)) return core::Status::invalid("form_invalid", "The form data is not valid.");
  return std::move(tmp.query);
}

bool looks_like_form_token(std::string_view t) {
  if (t.size() != 43) return false;
  return std::all_of(t.begin(), t.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

}  // namespace

std::string FormAccess::field(std::string_view name) const {
  for (const auto& [k, v] : fields)
    if (k == name) return v;
  return {};
}

std::vector<std::string> FormAccess::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [k, v] : fields)
    if (k == name) out.push_back(v);
  return out;
}

std::string href(const PageContext& ctx, std::string_view path) { return ctx.renderer.base_path() + std::string(path); }

http::Response render_page(const PageContext& ctx, int status, std::string_view template_name, const km::data& data) {
  return html_response(status, ctx.renderer.render(template_name, data), ctx.policy);
}

http::Response failure_page(const PageContext& ctx, const core::Status& status) {
  const ErrorKind kind = error_kind_for(status);
  if (kind == ErrorKind::kRefused) return refused_page(ctx.renderer, ctx.policy, ctx.chrome, status.message());
  return error_page(kind, ctx.renderer, ctx.policy, ctx.chrome);
}

http::Response see_other(const PageContext& ctx, std::string_view path) {
  http::Response res;
  res.status = 303;
  res.set_header("Location", href(ctx, path));
  res.set_header("Cache-Control", "no-store");
  apply_security_headers(res, ctx.policy);
  return res;
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t v = 0;
  if (text.empty() || text.size() > 18 || text[0] == '0') return std::nullopt;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

std::string capability_description(const Renderer& renderer, std::string_view capability) {
  // "mentoring/scheme:manage" -> "page:capability_scheme_manage"
  std::string key = "page:capability_";
  std::string_view rest =
      capability.substr(capability.find('/') == std::string_view::npos ? 0 : capability.find('/') + 1);
  for (char c : rest) key += c == ':' ? '_' : c;
  if (renderer.strings().contains(key)) return renderer.strings().text(key);
  return std::string(capability);
}

Access require_access(const PageContext& ctx, const http::Request& req,
                      std::initializer_list<std::string_view> any_of) {
  Access out;
  auto signed_in = ctx.sessions.authenticate(req);
  if (!signed_in) {
    const core::Status& st = signed_in.status();
    if (st.code() == core::Code::kUnauthenticated)
      out.refusal = refusal_page(ctx, 401, "signed_out", "page:signed_out_title");
    else if (st.code() == core::Code::kPermissionDenied)
      out.refusal = refusal_page(ctx, 403, "suspended", "page:suspended_title");
    else
      out.refusal = failure_page(ctx, st);
    return out;
  }
  if (!has_any(*signed_in, any_of)) {
    std::string missing;
    for (std::string_view c : any_of) {
      if (!missing.empty()) missing += ctx.renderer.strings().text("page:capability_or");
      missing += capability_description(ctx.renderer, c);
    }
    out.refusal = refusal_page(ctx, 403, "forbidden", "page:forbidden_title", missing);
    return out;
  }
  out.signed_in = std::move(signed_in).value();
  return out;
}

FormAccess require_page_or_form(const PageContext& ctx, const http::Request& req,
                                std::initializer_list<std::string_view> any_of) {
  if (req.method == "POST") return require_form(ctx, req, any_of);
  FormAccess out;
  Access a = require_access(ctx, req, any_of);
  out.signed_in = std::move(a.signed_in);
  out.refusal = std::move(a.refusal);
  return out;
}

bool has_code(const core::Status& status, std::initializer_list<core::Code> codes) {
  for (core::Code c : codes)
    if (status.code() == c) return true;
  return false;
}

FormAccess require_form(const PageContext& ctx, const http::Request& req,
                        std::initializer_list<std::string_view> any_of) {
  FormAccess out;
  Access a = require_access(ctx, req, any_of);
  if (!a) {
    out.refusal = std::move(a.refusal);
    return out;
  }
  auto fields = parse_form(req);
  if (!fields) {
    out.refusal = error_page(ErrorKind::kBadRequest, ctx.renderer, ctx.policy, ctx.chrome);
    return out;
  }
  out.fields = std::move(fields).value();
  // The token must come in the body: a csrf_token in the query string would
  // end up in logs and Referer headers.
  std::string sent;
  for (const auto& [k, v] : out.fields)
    if (k == kCsrfField) sent = v;
  for (const auto& [k, v] : req.query)
    if (k == kCsrfField) sent.clear();
  if (!ctx.sessions.check_csrf(*a.signed_in, sent)) {
    out.refusal = refusal_page(ctx, 403, "form_expired", "page:form_expired_title");
    out.fields.clear();
    return out;
  }
  out.signed_in = std::move(a.signed_in);
  return out;
}

std::optional<http::Response> claim_form(const PageContext& ctx, const FormAccess& form) {
  const std::string token = form.field(kFormTokenField);
  if (!looks_like_form_token(token)) return error_page(ErrorKind::kBadRequest, ctx.renderer, ctx.policy, ctx.chrome);
  bool first = false;
  const core::UnixSeconds now = ctx.clock.now();
  core::Status st = ctx.db.transact([&](core::Stores& s) -> core::Status {
    auto claimed = s.form_submissions.claim(sha256_hex(token), form.signed_in->account.id, now);
    if (!claimed) return claimed.status();
    first = *claimed;
    // Tokens older than any session can last are never checked again.
    if (first && now % 64 == 0) {
      auto purged = s.form_submissions.purge_before(now - 2 * ctx.sessions.settings().absolute_timeout_seconds);
      if (!purged) return purged.status();
    }
    return core::Status::ok();
  });
  if (!st) return failure_page(ctx, st);
  if (!first) return refusal_page(ctx, 409, "already_sent", "page:already_sent_title");
  return std::nullopt;
}

void set_form_tokens(km::data& data, const SignedIn& who) {
  data.set("csrf_token", who.csrf_token());
  data.set("form_token", new_form_token());
}

std::string new_form_token() {
  auto token = random_token(32);
  // Without randomness the form cannot be protected against being sent twice;
  // an empty token makes claim_form refuse it with a 400 page.
  return token ? std::move(token).value() : std::string();
}

std::string display_name(const core::Account& account) {
  return account.display_name.empty() ? account.subject : account.display_name;
}

km::data signed_in_page_data(const PageContext& ctx, const SignedIn& who, std::string page_title,
                             std::string_view current_path) {
  km::data data = page_data(std::move(page_title), ctx.chrome);
  set_form_tokens(data, who);
  data.set("person_name", display_name(who.account));
  km::data nav{km::data::type::list};
  bool any = false;
  for (const NavEntry& e : nav_entries()) {
    if (!has_any(who, e.any_of)) continue;
    km::data item;
    item.set("href", href(ctx, e.path));
    item.set("label", ctx.renderer.strings().text(e.label_key));
    item.set("current", flag(current_path == e.path));
    nav.push_back(item);
    any = true;
  }
  data.set("nav", nav);
  data.set("has_nav", flag(any));
  return data;
}

}  // namespace mentoring::web
