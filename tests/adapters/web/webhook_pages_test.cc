// The webhook delivery log page (/staff/webhooks) over a real SQLite
// database: what administrators see of the outbox and of dead inbox
// deliveries, who may see it, and the replay form with its CSRF and one-time
// token checks.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <regex>

#include "adapters/http/router.h"
#include "adapters/web/pages/signed_in_pages.h"
#include "adapters/web/session.h"
#include "core/audit_stores.h"
#include "core/lti_capabilities.h"
#include "core/webhook_stores.h"
#include "storage/database.h"
#include "tests/adapters/web/page_test_fixture.h"

namespace mentoring::web {
namespace {
namespace cap = core::capability;
using core::Status;

constexpr std::int64_t kT0 = 1780000000;  // 2026-05-28 20:26:40 UTC

// The hidden inputs of the form whose button has id `button_id`.
std::map<std::string, std::string> form_before(const std::string& html, const std::string& button_id) {
  std::map<std::string, std::string> out;
  const auto end = html.find("id=\"" + button_id + "\"");
  if (end == std::string::npos) return out;
  const auto start = html.rfind("<form", end);
  const std::string form = html.substr(start, end - start);
  std::regex re("name=\"([a-z_]+)\" value=\"([^\"]*)\"");
  for (auto it = std::sregex_iterator(form.begin(), form.end(), re); it != std::sregex_iterator(); ++it)
    out[(*it)[1]] = (*it)[2];
  return out;
}

std::string action_before(const std::string& html, const std::string& button_id) {
  const auto end = html.find("id=\"" + button_id + "\"");
  if (end == std::string::npos) return {};
  const auto start = html.rfind("<form", end);
  std::smatch m;
  const std::string form = html.substr(start, end - start);
  if (!std::regex_search(form, m, std::regex("action=\"([^\"]*)\""))) return {};
  return m[1];
}

class WebhookPagesTest : public testing::PageTestFixture {
 protected:
  WebhookPagesTest() : PageTestFixture(kT0, kT0 + 3600) {}

  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(open_database("mentoring-webhook-pages"));
    Status st = db_->transact([&](core::Stores& s) -> Status {
      MENTORING_RETURN_IF_ERROR(add_accounts(s, {{"admin", "Person admin"}, {"trainee", "Person trainee"}}));

      // Outbox: one delivered, one waiting after a failed attempt, one dead.
      for (const char* type : {"pairing.confirmed", "meeting.due", "certificate.issued"}) {
        auto e = s.outbox.append(type, R"({"pairing_id":7})", kT0);
        if (!e) return e.status();
        outbox_[type] = e->id;
      }
      auto claimed = s.outbox.claim_due("claim-1", kT0, 60, 10);
      if (!claimed) return claimed.status();
      MENTORING_RETURN_IF_ERROR(s.outbox.mark_delivered(outbox_["pairing.confirmed"], "claim-1", 204, kT0 + 1));
      MENTORING_RETURN_IF_ERROR(s.outbox.mark_failed(outbox_["meeting.due"], "claim-1", 503,
                                                     "the host answered 503", kT0 + 600, false, kT0 + 1));
      MENTORING_RETURN_IF_ERROR(s.outbox.mark_failed(outbox_["certificate.issued"], "claim-1", 0,
                                                     "connection refused", 0, true, kT0 + 1));

      // Inbox: two dead deliveries and one applied.
      for (const char* msgid : {"msg_dead_1", "msg_dead_2", "msg_done"}) {
        auto in = s.webhook_inbox.insert(msgid, "account.updated", kT0 * 1000, R"({"type":"account.updated"})", kT0);
        if (!in) return in.status();
      }
      auto due = s.webhook_inbox.claim_due("claim-2", kT0, 60, 10);
      if (!due) return due.status();
      for (const core::InboxEntry& e : *due) {
        inbox_[e.msgid] = e.id;
        if (e.msgid == "msg_done") {
          MENTORING_RETURN_IF_ERROR(s.webhook_inbox.finish(e.id, "claim-2", core::InboxState::kDone, "", kT0));
        } else {
          MENTORING_RETURN_IF_ERROR(s.webhook_inbox.finish(e.id, "claim-2", core::InboxState::kDead,
                                                           "account_not_found: no such person", kT0));
        }
      }
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();

    add_pages(PageServices{});
    sign_in("admin", {std::string(cap::kSchemeManage)});
    sign_in("trainee", {std::string(cap::kMenteeParticipate), std::string(cap::kPairingAssign)});
  }

  // A POST of `form` as it stands (the tests send only URL-safe values).
  http::Response post(const std::string& who, const std::string& target,
                      const std::map<std::string, std::string>& form) {
    http::Request req = testing::get(target, {{"Cookie", "mentoring_session=" + tokens_[who]},
                                              {"Content-Type", "application/x-www-form-urlencoded"}});
    req.method = "POST";
    for (const auto& [k, v] : form) req.body += (req.body.empty() ? "" : "&") + k + "=" + v;
    return router_.handle(req);
  }

  core::InboxEntry inbox_row(const std::string& msgid) {
    core::InboxEntry out;
    EXPECT_TRUE(db_->read_only([&](core::Stores& s) -> Status {
                      auto e = s.webhook_inbox.find(inbox_[msgid]);
                      if (!e) return e.status();
                      if (e->has_value()) out = **e;
                      return Status::ok();
                    }).is_ok());
    return out;
  }

  std::int64_t audit_entries() {
    std::int64_t n = -1;
    EXPECT_TRUE(db_->read_only([&](core::Stores& s) -> Status {
                      core::AuditFilter f;
                      f.entity_type = "webhook_inbox";
                      auto c = s.audit.count(f);
                      if (!c) return c.status();
                      n = *c;
                      return Status::ok();
                    }).is_ok());
    return n;
  }

  std::map<std::string, std::int64_t> outbox_, inbox_;
};

TEST_F(WebhookPagesTest, OnlySchemeAdministratorsSeeTheLog) {
  EXPECT_EQ(get("", "/staff/webhooks").status, 401);
  http::Response r = get("trainee", "/staff/webhooks");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body.find("msg_dead_1"), std::string::npos);
  r = get("admin", "/staff/webhooks");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("Cache-Control"), "no-store");
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
  EXPECT_EQ(testing::inline_code_problems(r.body), std::vector<std::string>{});
  // The staff navigation leads here.
  EXPECT_NE(r.body.find("href=\"/staff/webhooks\""), std::string::npos);
}

TEST_F(WebhookPagesTest, OutboxRowsShowStatusAttemptsNextAttemptAndLastError) {
  http::Response r = get("admin", "/staff/webhooks");
  ASSERT_EQ(r.status, 200);
  auto row = [&](const std::string& type) {
    const std::string id = "id=\"outbox-" + std::to_string(outbox_[type]) + "\"";
    const auto start = r.body.find(id);
    EXPECT_NE(start, std::string::npos) << type;
    if (start == std::string::npos) return std::string();
    return r.body.substr(start, r.body.find("</tr>", start) - start);
  };
  const std::string waiting = row("meeting.due");
  EXPECT_NE(waiting.find("<code>meeting.due</code>"), std::string::npos) << waiting;
  EXPECT_NE(waiting.find(">Waiting<"), std::string::npos) << waiting;
  EXPECT_NE(waiting.find("<td class=\"nhsuk-table__cell\">1</td>"), std::string::npos) << "one attempt";
  EXPECT_NE(waiting.find("2026-05-28 20:36 UTC"), std::string::npos) << "next attempt: " << waiting;
  EXPECT_NE(waiting.find("HTTP 503: the host answered 503"), std::string::npos) << waiting;
  EXPECT_NE(waiting.find("msg_" + std::to_string(outbox_["meeting.due"]) + "_" + std::to_string(kT0)),
            std::string::npos)
      << "the webhook-id the host saw";
  const std::string dead = row("certificate.issued");
  EXPECT_NE(dead.find(">Given up<"), std::string::npos) << dead;
  EXPECT_NE(dead.find("No more attempts"), std::string::npos);
  EXPECT_NE(dead.find("connection refused"), std::string::npos);
  const std::string delivered = row("pairing.confirmed");
  EXPECT_NE(delivered.find(">Delivered<"), std::string::npos) << delivered;
  EXPECT_NE(delivered.find("Delivered 2026-05-28 20:26 UTC"), std::string::npos) << delivered;
  EXPECT_NE(delivered.find("HTTP 204"), std::string::npos) << delivered;
}

TEST_F(WebhookPagesTest, TheOutboxCanBeFilteredByStateAndABadFilterIsRefused) {
  http::Response r = get("admin", "/staff/webhooks?outbox=dead");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("outbox-" + std::to_string(outbox_["certificate.issued"])), std::string::npos);
  EXPECT_EQ(r.body.find("outbox-" + std::to_string(outbox_["meeting.due"]) + "\""), std::string::npos);
  EXPECT_NE(r.body.find("<strong aria-current=\"page\">Given up</strong>"), std::string::npos);
  r = get("admin", "/staff/webhooks?outbox=delivered");
  EXPECT_NE(r.body.find("outbox-" + std::to_string(outbox_["pairing.confirmed"])), std::string::npos);
  EXPECT_EQ(r.body.find("outbox-" + std::to_string(outbox_["certificate.issued"]) + "\""), std::string::npos);
  EXPECT_EQ(get("admin", "/staff/webhooks?outbox=lost").status, 400);
}

TEST_F(WebhookPagesTest, DeadDeliveriesAreListedWithTheirErrorAndAppliedOnesAreNot) {
  http::Response r = get("admin", "/staff/webhooks");
  ASSERT_EQ(r.status, 200);
  for (const char* msgid : {"msg_dead_1", "msg_dead_2"}) {
    const std::string id = std::to_string(inbox_[msgid]);
    EXPECT_NE(r.body.find("id=\"dead-" + id + "\""), std::string::npos) << msgid;
    EXPECT_NE(r.body.find("id=\"replay-" + id + "\""), std::string::npos) << msgid;
  }
  EXPECT_NE(r.body.find("account_not_found: no such person"), std::string::npos);
  EXPECT_EQ(r.body.find("msg_done"), std::string::npos);
}

TEST_F(WebhookPagesTest, ReplayQueuesTheDeliveryOnceAndRecordsWhoDidIt) {
  const std::string button = "replay-" + std::to_string(inbox_["msg_dead_1"]);
  http::Response page = get("admin", "/staff/webhooks");
  auto form = form_before(page.body, button);
  const std::string action = action_before(page.body, button);
  ASSERT_EQ(action, "/staff/webhooks/inbox/" + std::to_string(inbox_["msg_dead_1"]) + "/replay");
  ASSERT_FALSE(form["csrf_token"].empty());
  ASSERT_FALSE(form["form_token"].empty());

  http::Response r = post("admin", action, form);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.header("Location"), "/staff/webhooks?replayed=" + std::to_string(inbox_["msg_dead_1"]));
  core::InboxEntry row = inbox_row("msg_dead_1");
  EXPECT_EQ(row.state, core::InboxState::kPending);
  EXPECT_EQ(row.attempts, 0);
  EXPECT_EQ(row.next_attempt_at, kT0 + 3600);
  EXPECT_EQ(audit_entries(), 1);
  EXPECT_NE(get("admin", std::string(r.header("Location"))).body.find("is queued again"), std::string::npos);

  // The same form again: refused, nothing changes twice.
  EXPECT_EQ(post("admin", action, form).status, 409);
  EXPECT_EQ(audit_entries(), 1);

  // A fresh form for a row that is no longer dead: nothing to do.
  auto again = form_before(page.body, "replay-" + std::to_string(inbox_["msg_dead_2"]));
  r = post("admin", action, again);
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.header("Location"), "/staff/webhooks?replay=stale");
  EXPECT_EQ(audit_entries(), 1);
  EXPECT_EQ(inbox_row("msg_dead_2").state, core::InboxState::kDead);
}

TEST_F(WebhookPagesTest, ReplayWithoutTheRightTokensOrCapabilityChangesNothing) {
  const std::string id = std::to_string(inbox_["msg_dead_2"]);
  const std::string action = "/staff/webhooks/inbox/" + id + "/replay";
  auto form = form_before(get("admin", "/staff/webhooks").body, "replay-" + id);
  auto forged = form;
  forged["csrf_token"] = "forged";
  EXPECT_EQ(post("admin", action, forged).status, 403);
  auto missing = form;
  missing.erase("csrf_token");
  EXPECT_EQ(post("admin", action, missing).status, 403);
  EXPECT_EQ(post("trainee", action, form).status, 403);
  EXPECT_EQ(post("admin", "/staff/webhooks/inbox/999999/replay", form).status, 404);
  EXPECT_EQ(post("admin", "/staff/webhooks/inbox/x/replay", form).status, 404);
  EXPECT_EQ(inbox_row("msg_dead_2").state, core::InboxState::kDead);
  EXPECT_EQ(audit_entries(), 0);
}

}  // namespace
}  // namespace mentoring::web
