// The audit log for scheme managers (app/audit.h): /staff/audit lists who
// changed, imported, exported, erased or read in confidence which record,
// newest first, filtered by record type and id, action, actor and dates, a
// page of 50 at a time. The log holds ids and fixed phrases only, so the
// page shows no personal data.
#include <charconv>

#include "adapters/web/pages/page_handlers.h"
#include "app/audit.h"
#include "core/lti_capabilities.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Result;
using core::Status;

namespace {

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

constexpr std::int64_t kAuditPageSize = 50;

std::string url_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string time_text(core::UnixSeconds t) {
  const core::Date d = core::Date::from_unix(t);
  const std::int64_t s = ((t % 86400) + 86400) % 86400;
  char buf[16];
  std::snprintf(buf, sizeof buf, " %02d:%02d UTC", static_cast<int>(s / 3600), static_cast<int>(s % 3600 / 60));
  return d.to_string() + buf;
}

struct Query {
  core::AuditFilter filter;
  std::int64_t page = 1;
  std::map<std::string, std::string> typed;  // what was typed, to draw the form again
};

// The filter from the query string; the first problem as a Status naming
// its field.
Result<Query> parse_query(const http::Request& req) {
  Query q;
  for (const char* name : {"entity_type", "entityid", "action", "actor", "from", "until", "page"})
    q.typed[name] = std::string(req.query_param(name));
  if (!q.typed["entity_type"].empty()) q.filter.entity_type = q.typed["entity_type"];
  if (!q.typed["entityid"].empty()) {
    auto id = parse_id(q.typed["entityid"]);
    if (!id) return Status::invalid("audit_entity_id_invalid", "The record id must be a whole number.", "entityid");
    q.filter.entityid = *id;
  }
  if (!q.typed["action"].empty()) {
    auto a = core::parse_audit_action(q.typed["action"]);
    if (!a) return Status::invalid("audit_action_invalid", "Choose an action from the list.", "action");
    q.filter.action = *a;
  }
  if (!q.typed["actor"].empty()) {
    auto a = core::parse_actor(q.typed["actor"]);
    if (!a) return Status::invalid("actor_invalid", "The actor is \"service\" or an account id.", "actor");
    q.filter.actor = *a;
  }
  for (const char* name : {"from", "until"}) {
    if (q.typed[name].empty()) continue;
    auto d = core::Date::parse(q.typed[name]);
    if (!d) return Status::invalid("audit_date_invalid", "Enter dates as YYYY-MM-DD.", name);
    // "until" includes its whole day.
    const core::UnixSeconds t = (std::string_view(name) == "from" ? *d : d->plus_days(1)).days_since_epoch() * 86400;
    (std::string_view(name) == "from" ? q.filter.from : q.filter.until) = t;
  }
  if (!q.typed["page"].empty()) {
    auto p = parse_id(q.typed["page"]);
    if (!p || *p > 100000) return Status::invalid("audit_page_invalid", "The page number is not valid.", "page");
    q.page = *p;
  }
  MENTORING_RETURN_IF_ERROR(core::validate(q.filter));
  return q;
}

std::string query_string(const Query& q, std::int64_t page) {
  std::string out;
  for (const auto& [k, v] : q.typed) {
    if (k == "page" || v.empty()) continue;
    out += (out.empty() ? "?" : "&") + k + "=" + url_encode(v);
  }
  out += (out.empty() ? "?" : "&") + std::string("page=") + std::to_string(page);
  return out;
}

}  // namespace

http::Response staff_audit(const PageContext& ctx, const http::Request& req) {
  Access a = require_access(ctx, req, {cap::kSchemeManage});
  if (!a) return std::move(a.refusal);
  // The service only reads the log; one over the page's database serves when
  // none is wired.
  app::AuditService fallback(ctx.db);
  app::AuditService& audit = ctx.services.audit ? *ctx.services.audit : fallback;
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, *a.signed_in, s.text("page:staff_audit_title"), "/staff/audit");
  data.set("action", href(ctx, "/staff/audit"));
  auto q = parse_query(req);
  Query shown = q ? *q : Query{};
  if (!q) {
    for (const char* name : {"entity_type", "entityid", "action", "actor", "from", "until"})
      shown.typed[name] = std::string(req.query_param(name));
  }
  for (const char* name : {"entity_type", "entityid", "actor", "from", "until"}) data.set(name, shown.typed[name]);
  km::data actions{km::data::type::list};
  {
    km::data any;
    any.set("value", "");
    any.set("label", s.text("audit:any_action"));
    any.set("selected", flag(shown.typed["action"].empty()));
    actions.push_back(any);
  }
  for (core::AuditAction act : {core::AuditAction::kCreate, core::AuditAction::kUpdate, core::AuditAction::kDelete,
                                core::AuditAction::kImport, core::AuditAction::kExport,
                                core::AuditAction::kConfidentialRead, core::AuditAction::kErase}) {
    km::data o;
    o.set("value", core::to_string(act));
    o.set("label", s.text(std::string("audit:action_") + core::to_string(act)));
    o.set("selected", flag(shown.typed["action"] == core::to_string(act)));
    actions.push_back(o);
  }
  data.set("actions", actions);
  if (!q) {
    data.set("has_errors", flag(true));
    km::data errors{km::data::type::list};
    km::data e;
    e.set("anchor", q.status().field().empty() ? std::string("entity_type") : q.status().field());
    e.set("message", q.status().message());
    errors.push_back(e);
    data.set("error_list", errors);
    data.set("error_" + (q.status().field().empty() ? std::string("entity_type") : q.status().field()),
             q.status().message());
    return render_page(ctx, 400, "staff_audit", data);
  }
  auto page = audit.list(q->filter, core::Page{kAuditPageSize, (q->page - 1) * kAuditPageSize});
  if (!page) {
    if (page.status().code() != core::Code::kInvalidArgument) return failure_page(ctx, page.status());
    data.set("has_errors", flag(true));
    km::data errors{km::data::type::list};
    km::data e;
    e.set("anchor", "entity_type");
    e.set("message", page.status().message());
    errors.push_back(e);
    data.set("error_list", errors);
    return render_page(ctx, 400, "staff_audit", data);
  }
  km::data rows{km::data::type::list};
  for (const core::AuditEntry& e : page->entries) {
    km::data row;
    row.set("when", time_text(e.timecreated));
    row.set("actor", e.actor.is_service() ? s.text("audit:actor_service") : e.actor.to_string());
    row.set("action", s.text(std::string("audit:action_") + core::to_string(e.action)));
    row.set("confidential", flag(e.action == core::AuditAction::kConfidentialRead));
    row.set("record", e.entity_type + " " + std::to_string(e.entityid));
    row.set("summary", e.summary);
    rows.push_back(row);
  }
  data.set("entries", rows);
  data.set("has_entries", flag(!page->entries.empty()));
  const std::int64_t pages = std::max<std::int64_t>(1, (page->total + kAuditPageSize - 1) / kAuditPageSize);
  data.set("summary_line", s.format("audit:summary_line", {{"total", std::to_string(page->total)},
                                                           {"page", std::to_string(q->page)},
                                                           {"pages", std::to_string(pages)}}));
  if (q->page > 1) data.set("prev_href", href(ctx, "/staff/audit" + query_string(*q, q->page - 1)));
  if (q->page < pages) data.set("next_href", href(ctx, "/staff/audit" + query_string(*q, q->page + 1)));
  return render_page(ctx, 200, "staff_audit", data);
}

}  // namespace mentoring::web::pages
