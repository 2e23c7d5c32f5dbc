// The inbound endpoint, the inbox worker, the outbox dispatcher and the log
// API together on a real database (SQLite, and PostgreSQL when configured):
// what is acknowledged is applied exactly once, what is refused changes
// nothing.
#include <gtest/gtest.h>
#include <soci/soci.h>

#include <atomic>
#include <thread>

#include "adapters/http/router.h"
#include "adapters/webhook/event_codec.h"
#include "adapters/webhook/routes.h"
#include "adapters/webhook/signature.h"
#include "app/webhook_events.h"
#include "app/webhook_inbox.h"
#include "app/webhook_outbox.h"
#include "core/webhook_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::webhook {
namespace {
using core::InboxState;
using core::OutboxState;
using core::Status;

constexpr std::int64_t kNowMs = 1795600800000;  // 2026-11-25T10:00:00Z
constexpr const char* kToken = "webhook-flow-test-service-token-0123456789";
const std::string kPlatform = "https://portal.example.nhs.uk";

class FakeSender : public app::WebhookSender {
 public:
  core::Result<int> send(const std::string& msgid, std::int64_t timestamp, const std::string& body) override {
    std::lock_guard<std::mutex> lock(mu);
    calls.push_back({msgid, timestamp, body});
    if (fail_next > 0) {
      --fail_next;
      if (refuse) return Status::unavailable("webhook_send_failed", "Connection refused.");
      return 503;
    }
    return 204;
  }
  struct Call {
    std::string msgid;
    std::int64_t timestamp;
    std::string body;
  };
  std::mutex mu;
  std::vector<Call> calls;
  int fail_next = 0;
  bool refuse = false;
};

class WebhookFlowTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    auto secret = WebhookSecret::parse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
    ASSERT_TRUE(secret.is_ok());
    secret_ = std::make_unique<WebhookSecret>(*secret);
    inbox_ = make_inbox(*db_);
    app::OutboxSettings os;
    os.retry_base_seconds = 10;
    os.dead_after_seconds = 3600;
    outbox_ = std::make_unique<app::WebhookOutbox>(*db_, clock_, &sender_, [this] { return next_token(); },
                                                   [] { return 0.5; }, os);
    ctx_ = std::make_unique<WebhookContext>(
        WebhookContext{*inbox_, *outbox_, clock_, {*secret_}, VerifyOptions{300, 4096}, kToken, nullptr});
    add_webhook_routes(router_, *ctx_);
  }
  void TearDown() override {
    router_ = http::Router();
    ctx_.reset();
    outbox_.reset();
    inbox_.reset();
    db_.reset();
    BackendTest::TearDown();
  }

  std::unique_ptr<app::WebhookInbox> make_inbox(storage::SociDatabase& db) {
    app::InboxSettings is;
    is.retry_base_seconds = 5;
    is.max_attempts = 3;
    return std::make_unique<app::WebhookInbox>(
        db, clock_, decode_event, [this] { return next_token(); }, is,
        [this](core::Stores&, std::int64_t accountid) -> core::Result<bool> {
          return consenting_.count(accountid) > 0;
        });
  }

  std::string next_token() { return "tok" + std::to_string(++tokens_); }

  static std::string body(const std::string& type, const std::string& data, std::int64_t event_ms) {
    return "{\"type\":\"" + type + "\",\"timestamp\":\"" + core::format_rfc3339_ms(event_ms) + "\",\"data\":" + data +
           "}";
  }
  static std::string person(const std::string& subject, const std::string& extra = "") {
    return "{\"platform\":\"" + kPlatform + "\",\"subject\":\"" + subject + "\"" + extra + "}";
  }

  http::Response deliver(const std::string& msgid, const std::string& raw, std::int64_t signed_at_s = 0,
                         const std::string& signature_override = "") {
    if (signed_at_s == 0) signed_at_s = clock_.now();
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/api/v1/webhooks/inbound";
    req.body = raw;
    auto sig = sign(*secret_, msgid, signed_at_s, raw);
    EXPECT_TRUE(sig.is_ok());
    req.headers = {{"content-type", "application/json"},
                   {"webhook-id", msgid},
                   {"webhook-timestamp", std::to_string(signed_at_s)},
                   {"webhook-signature", signature_override.empty() ? *sig : signature_override}};
    return router_.handle(req);
  }
  http::Response api(const std::string& method, const std::string& target, bool with_token = true) {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(req));
    if (with_token) req.headers.push_back({"authorization", std::string("Bearer ") + kToken});
    return router_.handle(req);
  }
  static std::string reason(const http::Response& r) {
    auto pos = r.body.find("\"reason\":\"");
    if (pos == std::string::npos) return "";
    pos += 10;
    return r.body.substr(pos, r.body.find('"', pos) - pos);
  }

  std::int64_t count(const std::string& table, const std::string& where = "1 = 1") {
    std::int64_t n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table + " WHERE " + where, soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }
  std::optional<core::Account> account(const std::string& subject) {
    std::optional<core::Account> out;
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto a = s.accounts.find_by_subject(kPlatform, subject);
      if (!a) return a.status();
      out = *a;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok());
    return out;
  }
  std::optional<core::InboxEntry> inbox_row(const std::string& msgid) {
    std::optional<core::InboxEntry> out;
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto r = s.webhook_inbox.find_by_msgid(msgid);
      if (!r) return r.status();
      out = *r;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok());
    return out;
  }
  std::optional<core::HostAccountData> host_data(std::int64_t accountid) {
    std::optional<core::HostAccountData> out;
    Status st = db_->transact([&](core::Stores& s) -> Status {
      auto r = s.host_accounts.find(accountid);
      if (!r) return r.status();
      out = *r;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok());
    return out;
  }
  void drain() {
    for (int i = 0; i < 10; ++i) {
      auto n = inbox_->process_due();
      ASSERT_TRUE(n.is_ok()) << n.status().to_string();
      if (*n == 0) return;
    }
  }

  core::FixedClock clock_{kNowMs};
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<WebhookSecret> secret_;
  std::unique_ptr<app::WebhookInbox> inbox_;
  std::unique_ptr<app::WebhookOutbox> outbox_;
  std::unique_ptr<WebhookContext> ctx_;
  http::Router router_;
  FakeSender sender_;
  std::atomic<int> tokens_{0};
  std::set<std::int64_t> consenting_;
};

TEST_P(WebhookFlowTest, AnAcknowledgedDeliveryIsCommittedFirstAndAppliedOnce) {
  const std::string raw = body("account.updated",
                               person("t-1", R"(,"name":"Dr Ada","email":"ada@example.nhs.uk","gmc_number":"7654321",)"
                                             R"("career_stage":"fy2","site":"St Elsewhere","region":"London")"),
                               kNowMs - 1000);
  auto r = deliver("msg_a", raw);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("accepted"), std::string::npos);
  // Committed before the reply, not yet applied.
  ASSERT_TRUE(inbox_row("msg_a").has_value());
  EXPECT_EQ(inbox_row("msg_a")->state, InboxState::kPending);
  EXPECT_FALSE(account("t-1").has_value());

  auto dup = deliver("msg_a", raw);
  ASSERT_EQ(dup.status, 200);
  EXPECT_NE(dup.body.find("duplicate"), std::string::npos);
  EXPECT_EQ(count("webhook_inbox"), 1);

  drain();
  auto a = account("t-1");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->display_name, "Dr Ada");
  EXPECT_EQ(a->email, "ada@example.nhs.uk");
  auto d = host_data(a->id);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->gmc_number, "7654321");
  EXPECT_EQ(d->career_stage, "fy2");
  EXPECT_EQ(d->last_event_ms, kNowMs - 1000);
  EXPECT_EQ(inbox_row("msg_a")->state, InboxState::kDone);
  EXPECT_EQ(inbox_row("msg_a")->body, "");

  // A duplicate after processing is still recognised and changes nothing.
  ASSERT_EQ(deliver("msg_a", raw).status, 200);
  drain();
  EXPECT_EQ(count("webhook_inbox"), 1);
  EXPECT_EQ(count("accounts"), 1);
}

TEST_P(WebhookFlowTest, RefusedDeliveriesGetTheirOwnReasonAndChangeNothing) {
  const std::string good = body("account.updated", person("t-2", R"(,"name":"Dr Bea")"), kNowMs);
  struct Case {
    std::string name;
    http::Response response;
    int status;
    std::string reason;
  };
  std::vector<Case> cases;
  cases.push_back({"bad signature", deliver("m1", good, 0, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="), 401,
                   "webhook_signature_invalid"});
  cases.push_back({"stale timestamp", deliver("m2", good, clock_.now() - 301), 401, "webhook_timestamp_too_old"});
  cases.push_back({"future timestamp", deliver("m3", good, clock_.now() + 301), 401, "webhook_timestamp_in_future"});
  cases.push_back({"oversized body", deliver("m4", std::string(5000, ' ') + good), 413, "webhook_body_too_large"});
  cases.push_back({"malformed JSON", deliver("m5", "{\"type\":\"account.updated\","), 400, "webhook_body_invalid_json"});
  cases.push_back({"unknown type", deliver("m6", body("account.renamed", person("t-2"), kNowMs)), 400,
                   "webhook_event_type_unknown"});
  cases.push_back({"bad field", deliver("m7", body("account.updated", person("t-2", R"(,"gmc_number":"12")"), kNowMs)),
                   400, "event_gmc_number_invalid"});
  cases.push_back({"unknown field", deliver("m8", body("account.updated", person("t-2", R"(,"nhs_number":"1")"), kNowMs)),
                   400, "webhook_field_unknown"});
  {
    http::Request req;
    req.method = "POST";
    req.target = req.path = "/api/v1/webhooks/inbound";
    req.body = good;
    cases.push_back({"no headers", router_.handle(req), 400, "webhook_id_missing"});
  }
  for (const auto& c : cases) {
    EXPECT_EQ(c.response.status, c.status) << c.name << ": " << c.response.body;
    EXPECT_EQ(reason(c.response), c.reason) << c.name;
  }
  EXPECT_EQ(count("webhook_inbox"), 0);
  drain();
  EXPECT_EQ(count("accounts"), 0);
}

// Deliveries waiting together are applied in event-time order; one that
// arrives after a newer event was applied is acknowledged and ignored.
TEST_P(WebhookFlowTest, WaitingEventsApplyInTimeOrderAndLateOlderOnesAreIgnored) {
  ASSERT_EQ(deliver("new", body("placement.changed", person("t-3", R"(,"site":"Newer Site")"), kNowMs - 1000)).status,
            200);
  ASSERT_EQ(deliver("create", body("account.updated", person("t-3", R"(,"name":"Dr Cy","site":"Oldest")"),
                                   kNowMs - 5000)).status,
            200);
  drain();
  // Arrives after the newer placement was applied.
  ASSERT_EQ(deliver("old", body("placement.changed", person("t-3", R"(,"site":"Older Site")"), kNowMs - 2000)).status,
            200);
  drain();
  auto a = account("t-3");
  ASSERT_TRUE(a.has_value());
  auto d = host_data(a->id);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->site, "Newer Site");
  EXPECT_EQ(d->last_event_ms, kNowMs - 1000);
  EXPECT_EQ(inbox_row("create")->state, InboxState::kDone);
  EXPECT_EQ(inbox_row("new")->state, InboxState::kDone);
  EXPECT_EQ(inbox_row("old")->state, InboxState::kIgnored);
  EXPECT_EQ(inbox_row("old")->last_error.rfind("event_out_of_order", 0), 0u);
}

TEST_P(WebhookFlowTest, EventsForUnknownPeopleAreDeadLetteredAndCanBeReplayed) {
  ASSERT_EQ(deliver("s", body("account.suspended", person("t-4"), kNowMs - 1000)).status, 200);
  drain();
  auto dead = inbox_row("s");
  ASSERT_TRUE(dead.has_value());
  EXPECT_EQ(dead->state, InboxState::kDead);
  EXPECT_EQ(dead->last_error.rfind("account_unknown", 0), 0u);
  EXPECT_FALSE(dead->body.empty());

  auto listed = api("GET", "/api/v1/webhooks/inbox?state=dead");
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_NE(listed.body.find("\"webhook_id\":\"s\""), std::string::npos);
  EXPECT_EQ(api("GET", "/api/v1/webhooks/inbox?state=dead", false).status, 401);
  EXPECT_EQ(reason(api("GET", "/api/v1/webhooks/inbox?state=zombie")), "query_parameter_invalid");
  EXPECT_EQ(reason(api("GET", "/api/v1/webhooks/inbox?limit=0")), "query_parameter_invalid");
  EXPECT_EQ(api("POST", "/api/v1/webhooks/inbox/999999/replay").status, 404);
  EXPECT_EQ(api("POST", "/api/v1/webhooks/inbox/abc/replay").status, 400);

  ASSERT_EQ(deliver("c", body("account.updated", person("t-4", R"(,"name":"Dr Di")"), kNowMs - 5000)).status, 200);
  drain();
  auto replayed = api("POST", "/api/v1/webhooks/inbox/" + std::to_string(dead->id) + "/replay");
  ASSERT_EQ(replayed.status, 200) << replayed.body;
  EXPECT_EQ(reason(api("POST", "/api/v1/webhooks/inbox/" + std::to_string(dead->id) + "/replay")),
            "webhook_inbox_not_dead");
  drain();
  EXPECT_EQ(inbox_row("s")->state, InboxState::kDone);
  EXPECT_EQ(account("t-4")->status, core::AccountStatus::kSuspended);
}

TEST_P(WebhookFlowTest, DeletionErasesThePersonAndOlderEventsCannotBringThemBack) {
  ASSERT_EQ(deliver("c", body("account.updated",
                              person("t-5", R"(,"name":"Dr Eve","email":"eve@example.nhs.uk","gmc_number":"1234567")"),
                              kNowMs - 5000))
                .status,
            200);
  drain();
  const std::int64_t id = account("t-5")->id;
  ASSERT_EQ(deliver("d", body("account.deleted", person("t-5"), kNowMs - 1000)).status, 200);
  drain();
  ASSERT_EQ(deliver("late", body("account.updated", person("t-5", R"(,"name":"Dr Eve")"), kNowMs - 3000)).status, 200);
  drain();
  EXPECT_FALSE(account("t-5").has_value());
  EXPECT_FALSE(host_data(id).has_value());
  EXPECT_EQ(inbox_row("late")->state, InboxState::kIgnored);
  EXPECT_EQ(inbox_row("late")->last_error.rfind("account_erased", 0), 0u);
  EXPECT_EQ(count("accounts", "display_name <> '' OR email <> ''"), 0);
  EXPECT_EQ(count("webhook_inbox", "body LIKE '%Eve%' OR body LIKE '%t-5%'"), 0);
}

TEST_P(WebhookFlowTest, TrainingOutcomesAreStoredOnlyWithConsent) {
  ASSERT_EQ(deliver("c", body("account.updated", person("t-6", R"(,"name":"Dr Fay")"), kNowMs - 5000)).status, 200);
  drain();
  const std::int64_t id = account("t-6")->id;
  const std::string outcome = R"(,"outcome":"1","recorded_on":"2026-06-30")";
  ASSERT_EQ(deliver("o1", body("training_outcome.recorded", person("t-6", outcome), kNowMs - 4000)).status, 200);
  drain();
  EXPECT_EQ(inbox_row("o1")->state, InboxState::kIgnored);
  EXPECT_EQ(count("webhook_training_outcomes"), 0);
  consenting_.insert(id);
  ASSERT_EQ(deliver("o2", body("training_outcome.recorded", person("t-6", outcome), kNowMs - 3000)).status, 200);
  drain();
  EXPECT_EQ(inbox_row("o2")->state, InboxState::kDone);
  EXPECT_EQ(count("webhook_training_outcomes"), 1);
}

// Two workers on two connections race over the same deliveries; each
// training outcome (which adds a row every time it is applied) lands once.
TEST_P(WebhookFlowTest, ConcurrentWorkersApplyEachDeliveryExactlyOnce) {
  ASSERT_EQ(deliver("c", body("account.updated", person("t-7", R"(,"name":"Dr Gil")"), kNowMs - 100000)).status, 200);
  drain();
  consenting_.insert(account("t-7")->id);
  constexpr int kEvents = 40;
  for (int i = 0; i < kEvents; ++i) {
    const std::string raw = body("training_outcome.recorded", person("t-7", R"(,"outcome":"1","recorded_on":"2026-06-30")"),
                                 kNowMs - 90000 + i);
    ASSERT_EQ(deliver("o" + std::to_string(i), raw).status, 200);
  }
  auto second_db = open();
  ASSERT_TRUE(second_db.is_ok());
  auto second = make_inbox(**second_db);
  auto run = [](app::WebhookInbox* inbox) {
    for (int i = 0; i < 50; ++i) {
      auto n = inbox->process_due();
      if (n.is_ok() && *n == 0) break;
    }
  };
  std::thread a(run, inbox_.get());
  std::thread b(run, second.get());
  a.join();
  b.join();
  drain();
  EXPECT_EQ(count("webhook_training_outcomes"), kEvents);
  EXPECT_EQ(count("webhook_inbox", "state = 'done'"), kEvents + 1);
}

TEST_P(WebhookFlowTest, OutboxDeliversSignedEnvelopesRetriesWithBackoffAndDiesAtTheDeadline) {
  std::int64_t accountid = 0;
  Status st = db_->transact([&](core::Stores& s) -> Status {
    auto a = s.accounts.upsert(core::AccountInput{kPlatform, "t-8", "Dr Hal", ""}, clock_.now());
    if (!a) return a.status();
    accountid = a->id;
    core::Enrolment e;
    e.id = 77;
    e.cohortid = 5;
    e.accountid = accountid;
    core::Cohort c;
    c.id = 5;
    c.schemeid = 3;
    return app::append_enrolled_event(s, e, c, *a, clock_.now());
  });
  ASSERT_TRUE(st.is_ok()) << st.to_string();

  sender_.fail_next = 2;
  ASSERT_TRUE(outbox_->dispatch_due().is_ok());
  ASSERT_EQ(sender_.calls.size(), 1u);
  const std::string expected_body =
      R"({"type":"mentoring.enrolled","timestamp":"2026-11-25T10:00:00.000Z","data":{"enrolment_id":77,)"
      R"("cohort_id":5,"scheme_id":3,"role":"mentee","account":{"platform":"https://portal.example.nhs.uk",)"
      R"("subject":"t-8"}}})";
  EXPECT_EQ(sender_.calls[0].body, expected_body);
  // Not due again until the backoff (10 s at jitter 0.5 -> 7 s) has passed.
  clock_.advance_ms(6000);
  ASSERT_TRUE(outbox_->dispatch_due().is_ok());
  EXPECT_EQ(sender_.calls.size(), 1u);
  clock_.advance_ms(1000);
  ASSERT_TRUE(outbox_->dispatch_due().is_ok());
  ASSERT_EQ(sender_.calls.size(), 2u);
  clock_.advance_ms(15000);  // second delay: 20 s * 0.75
  ASSERT_TRUE(outbox_->dispatch_due().is_ok());
  ASSERT_EQ(sender_.calls.size(), 3u);
  // Same id on every attempt, fresh timestamp each time.
  EXPECT_EQ(sender_.calls[0].msgid, sender_.calls[2].msgid);
  EXPECT_LT(sender_.calls[0].timestamp, sender_.calls[2].timestamp);
  EXPECT_EQ(count("webhook_outbox", "state = 'delivered' AND attempts = 3"), 1);

  auto log = api("GET", "/api/v1/webhooks/outbox?state=delivered");
  ASSERT_EQ(log.status, 200);
  EXPECT_NE(log.body.find("\"webhook_id\":\"" + sender_.calls[0].msgid + "\""), std::string::npos);

  // A second event fails until its deadline passes, then goes dead; an
  // administrator's retry sends it again.
  st = db_->transact([&](core::Stores& s) -> Status {
    return s.outbox.append("mentoring.pairing_proposed", "{\"pairing_id\":1}", clock_.now()).status();
  });
  ASSERT_TRUE(st.is_ok());
  sender_.fail_next = 1000;
  sender_.refuse = true;
  for (int i = 0; i < 40; ++i) {
    ASSERT_TRUE(outbox_->dispatch_due().is_ok());
    clock_.advance_ms(400000);
  }
  EXPECT_EQ(count("webhook_outbox", "state = 'dead'"), 1);
  auto dead = api("GET", "/api/v1/webhooks/outbox?state=dead");
  ASSERT_EQ(dead.status, 200);
  EXPECT_NE(dead.body.find("webhook_send_failed"), std::string::npos);
  const std::size_t before = sender_.calls.size();
  ASSERT_TRUE(outbox_->dispatch_due().is_ok());
  EXPECT_EQ(sender_.calls.size(), before);  // dead rows are not sent
  sender_.fail_next = 0;
  std::int64_t dead_id = 0;
  st = db_->transact([&](core::Stores& s) -> Status {
    auto rows = s.outbox.list(OutboxState::kDead, core::Page{});
    if (!rows) return rows.status();
    dead_id = rows->at(0).id;
    return Status::ok();
  });
  ASSERT_TRUE(st.is_ok());
  auto retried = api("POST", "/api/v1/webhooks/outbox/" + std::to_string(dead_id) + "/retry");
  ASSERT_EQ(retried.status, 200) << retried.body;
  ASSERT_TRUE(outbox_->dispatch_due().is_ok());
  EXPECT_EQ(sender_.calls.size(), before + 1);
  EXPECT_EQ(count("webhook_outbox", "state = 'delivered'"), 2);
  EXPECT_EQ(reason(api("POST", "/api/v1/webhooks/outbox/" + std::to_string(dead_id) + "/retry")),
            "webhook_outbox_delivered");
}

TEST(WebhookBackoffTest, DoublesUpToTheCapAndJittersBetweenHalfAndAll) {
  EXPECT_EQ(app::backoff_seconds(1, 10, 3600, 0.999999), 9);
  EXPECT_EQ(app::backoff_seconds(1, 10, 3600, 0.0), 5);
  EXPECT_EQ(app::backoff_seconds(2, 10, 3600, 0.0), 10);
  EXPECT_EQ(app::backoff_seconds(4, 10, 3600, 0.0), 40);
  EXPECT_EQ(app::backoff_seconds(40, 10, 3600, 0.0), 1800);
  EXPECT_EQ(app::backoff_seconds(40, 10, 3600, 1.0), 3600);
  EXPECT_GE(app::backoff_seconds(1, 1, 1, 0.0), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookFlowTest, ::testing::Values("sqlite", "postgresql"),
                         storage::testing::backend_name);

}  // namespace
}  // namespace mentoring::webhook
