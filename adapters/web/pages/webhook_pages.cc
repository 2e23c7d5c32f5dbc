// The webhook delivery log for administrators (/staff/webhooks): the
// plugin's own events in the outbox with their delivery state, attempts,
// next attempt and last error, and the host's deliveries that went dead in
// the inbox, each with a button that queues it again.
//
// Replaying is a form (csrf_token and a one-time form_token): the dead row
// becomes pending and due now, and the worker applies it on its next round.
// The change and its audit entry share one transaction.
#include <ctime>

#include "adapters/web/pages/page_handlers.h"
#include "core/audit_stores.h"
#include "core/lti_capabilities.h"
#include "core/webhook_stores.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
using core::Status;

namespace {

constexpr std::int64_t kRowsShown = 50;
constexpr std::string_view kPath = "/staff/webhooks";

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

// "2026-05-28 14:03 UTC"; "" for 0.
std::string when(core::UnixSeconds t) {
  if (t <= 0) return {};
  std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  if (::gmtime_r(&tt, &tm) == nullptr) return {};
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

const char* outbox_tag(core::OutboxState s) {
  switch (s) {
    case core::OutboxState::kDelivered: return " nhsuk-tag--green";
    case core::OutboxState::kDead: return " nhsuk-tag--red";
    default: return " nhsuk-tag--blue";
  }
}

// What the last attempt said: "HTTP 503: the host answered 503" or the error alone.
std::string last_error_text(const core::OutboxEntry& e) {
  if (e.last_status > 0 && !e.last_error.empty()) return "HTTP " + std::to_string(e.last_status) + ": " + e.last_error;
  if (e.last_status > 0) return "HTTP " + std::to_string(e.last_status);
  return e.last_error;
}

}  // namespace

http::Response staff_webhooks(const PageContext& ctx, const http::Request& req) {
  Access a = require_access(ctx, req, {cap::kSchemeManage});
  if (!a) return std::move(a.refusal);
  const Strings& s = ctx.renderer.strings();

  std::optional<core::OutboxState> filter;
  const std::string wanted(req.query_param("outbox"));
  if (!wanted.empty()) {
    filter = core::parse_outbox_state(wanted);
    if (!filter)
      return failure_page(ctx, Status::invalid("outbox_state_invalid",
                                               "The outbox filter must be pending, delivered or dead.", "outbox"));
  }

  std::vector<core::OutboxEntry> outbox;
  std::vector<core::InboxEntry> dead;
  Status st = ctx.db.read_only([&](core::Stores& stores) -> Status {
    auto out = stores.outbox.list(filter, core::Page{kRowsShown, 0});
    if (!out) return out.status();
    outbox = std::move(out).value();
    auto in = stores.webhook_inbox.list(core::InboxState::kDead, core::Page{kRowsShown, 0});
    if (!in) return in.status();
    dead = std::move(in).value();
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);

  km::data data = signed_in_page_data(ctx, *a.signed_in, s.text("page:staff_webhooks_title"), kPath);
  data.set("action_base", href(ctx, "/staff/webhooks/inbox/"));

  // The filter links, the current one marked.
  km::data filters{km::data::type::list};
  for (const char* f : {"", "pending", "delivered", "dead"}) {
    km::data item;
    const std::string name(f);
    item.set("href", href(ctx, name.empty() ? std::string(kPath) : std::string(kPath) + "?outbox=" + name));
    item.set("label", s.text("page:webhooks_filter_" + (name.empty() ? std::string("all") : name)));
    item.set("current", flag(name == wanted));
    filters.push_back(item);
  }
  data.set("filters", filters);

  km::data rows{km::data::type::list};
  for (const core::OutboxEntry& e : outbox) {
    km::data r;
    r.set("id", std::to_string(e.id));
    r.set("webhook_id", e.msgid());
    r.set("type", e.event_type);
    r.set("state", s.text(std::string("page:webhooks_outbox_state_") + core::to_string(e.state)));
    r.set("tag_class", outbox_tag(e.state));
    r.set("attempts", std::to_string(e.attempts));
    r.set("queued", when(e.timecreated));
    if (e.state == core::OutboxState::kPending) {
      r.set("next", when(e.next_attempt_at));
    } else if (e.state == core::OutboxState::kDelivered) {
      r.set("next", s.format("page:webhooks_delivered_at", {{"when", when(e.delivered_at)}}));
    } else {
      r.set("next", s.text("page:webhooks_no_more_attempts"));
    }
    const std::string error = last_error_text(e);
    r.set("last_error", error.empty() ? s.text("page:webhooks_none") : error);
    rows.push_back(r);
  }
  data.set("outbox", rows);
  data.set("has_outbox", flag(!outbox.empty()));

  km::data letters{km::data::type::list};
  for (const core::InboxEntry& e : dead) {
    km::data r;
    r.set("id", std::to_string(e.id));
    r.set("webhook_id", e.msgid);
    r.set("type", e.event_type);
    r.set("attempts", std::to_string(e.attempts));
    r.set("received", when(e.timecreated));
    r.set("last_error", e.last_error.empty() ? s.text("page:webhooks_none") : e.last_error);
    r.set("action", href(ctx, "/staff/webhooks/inbox/" + std::to_string(e.id) + "/replay"));
    set_form_tokens(r, *a.signed_in);
    letters.push_back(r);
  }
  data.set("dead", letters);
  data.set("has_dead", flag(!dead.empty()));

  const std::string replayed(req.query_param("replayed"));
  if (auto id = parse_id(replayed)) data.set("notice", s.format("page:webhooks_replayed", {{"id", std::to_string(*id)}}));
  if (req.query_param("replay") == "stale") data.set("notice", s.text("page:webhooks_replay_stale"));
  return render_page(ctx, 200, "staff_webhooks", data);
}

http::Response staff_webhook_replay(const PageContext& ctx, const http::Request& req, const http::PathParams& p) {
  FormAccess f = require_form(ctx, req, {cap::kSchemeManage});
  if (!f) return std::move(f.refusal);
  auto id = parse_id(p.get("id"));
  if (!id) return failure_page(ctx, Status::not_found("webhook_inbox_not_found", "There is no such delivery."));
  if (auto again = claim_form(ctx, f); again) return std::move(*again);
  const core::UnixSeconds now = ctx.clock.now();
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto row = s.webhook_inbox.replay(*id, now);
    if (!row) return row.status();
    core::AuditEntry entry;
    entry.actor = core::Actor::account(f.signed_in->account.id);
    entry.action = core::AuditAction::kUpdate;
    entry.entity_type = "webhook_inbox";
    entry.entityid = *id;
    entry.summary = "dead webhook delivery queued again";
    entry.timecreated = now;
    return s.audit.append(entry).status();
  });
  // Replayed already (a second tab, or the worker finished it): nothing to do.
  if (st.reason() == "webhook_inbox_not_dead") return see_other(ctx, std::string(kPath) + "?replay=stale");
  if (!st) return failure_page(ctx, st);
  return see_other(ctx, std::string(kPath) + "?replayed=" + std::to_string(*id));
}

}  // namespace mentoring::web::pages
