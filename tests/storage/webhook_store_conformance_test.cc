// The webhook store ports (core/webhook_stores.h) on SQLite and, when
// configured, PostgreSQL: duplicates are recognised, claims exclude each
// other (also across connections and threads), a lost claim cannot change a
// row, and erasure leaves nothing personal behind.
#include <soci/soci.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/setup_stores.h"
#include "core/webhook_stores.h"
#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Code;
using core::InboxState;
using core::OutboxState;
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

class WebhookStoreTest : public BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto db = open();
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
  }
  void TearDown() override {
    db_.reset();
    BackendTest::TearDown();
  }

  template <typename Fn>
  void commit(Fn&& fn) {
    Status st = db_->transact([&](core::Stores& s) -> Status {
      fn(s);
      return Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  std::int64_t add_account(const std::string& subject) {
    std::int64_t id = 0;
    commit([&](core::Stores& s) {
      auto a = s.accounts.upsert(
          core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, subject + "@example.nhs.uk"},
          kT0);
      ASSERT_TRUE(a.is_ok()) << a.status().to_string();
      id = a->id;
    });
    return id;
  }

  std::int64_t count_rows(const std::string& table, const std::string& where = "1 = 1") {
    std::int64_t n = -1;
    Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM " + settings_.table_prefix + table + " WHERE " + where, soci::into(n);
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  std::unique_ptr<SociDatabase> db_;
};

TEST_P(WebhookStoreTest, InboxRecordsADeliveryOnceAndReportsTheDuplicate) {
  commit([&](core::Stores& s) {
    auto first = s.webhook_inbox.insert("msg_1", "account.updated", 1000, "{\"a\":1}", kT0);
    ASSERT_TRUE(first.is_ok()) << first.status().to_string();
    EXPECT_TRUE(*first);
    auto again = s.webhook_inbox.insert("msg_1", "account.updated", 2000, "{\"different\":1}", kT0 + 5);
    ASSERT_TRUE(again.is_ok()) << again.status().to_string();
    EXPECT_FALSE(*again);
    auto other = s.webhook_inbox.insert("msg_2", "account.updated", 3000, "{}", kT0);
    ASSERT_TRUE(other.is_ok());
    EXPECT_TRUE(*other);
  });
  commit([&](core::Stores& s) {
    auto row = s.webhook_inbox.find_by_msgid("msg_1");
    ASSERT_TRUE(row.is_ok() && row->has_value());
    EXPECT_EQ((*row)->body, "{\"a\":1}");  // the duplicate did not overwrite it
    EXPECT_EQ((*row)->occurred_at_ms, 1000);
    EXPECT_EQ((*row)->state, InboxState::kPending);
  });
  EXPECT_EQ(count_rows("webhook_inbox"), 2);
}

TEST_P(WebhookStoreTest, AClaimedInboxRowIsNotClaimedAgainUntilItsLeaseRunsOut) {
  commit([&](core::Stores& s) { ASSERT_TRUE(s.webhook_inbox.insert("m", "account.updated", 1, "{}", kT0).is_ok()); });
  commit([&](core::Stores& s) {
    auto a = s.webhook_inbox.claim_due("token-a", kT0, 60, 10);
    ASSERT_TRUE(a.is_ok()) << a.status().to_string();
    ASSERT_EQ(a->size(), 1u);
    auto b = s.webhook_inbox.claim_due("token-b", kT0 + 59, 60, 10);
    ASSERT_TRUE(b.is_ok());
    EXPECT_TRUE(b->empty());
    auto c = s.webhook_inbox.claim_due("token-c", kT0 + 61, 60, 10);
    ASSERT_TRUE(c.is_ok());
    EXPECT_EQ(c->size(), 1u);
  });
  // The first claimant lost the row: its finish is refused and changes nothing.
  Status lost = db_->transact([&](core::Stores& s) -> Status {
    return s.webhook_inbox.finish(1, "token-a", InboxState::kDone, "", kT0 + 62);
  });
  EXPECT_EQ(lost.reason(), "webhook_claim_lost");
  commit([&](core::Stores& s) {
    auto row = s.webhook_inbox.find(1);
    ASSERT_TRUE(row.is_ok() && row->has_value());
    EXPECT_EQ((*row)->state, InboxState::kPending);
    EXPECT_TRUE(s.webhook_inbox.finish(1, "token-c", InboxState::kDone, "", kT0 + 62).is_ok());
  });
}

TEST_P(WebhookStoreTest, DoneRowsLoseTheirBodyDeadRowsKeepItAndCanBeReplayed) {
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.webhook_inbox.insert("done", "account.updated", 1, "{\"personal\":1}", kT0).is_ok());
    ASSERT_TRUE(s.webhook_inbox.insert("dead", "placement.changed", 2, "{\"keep\":1}", kT0).is_ok());
  });
  commit([&](core::Stores& s) {
    auto claimed = s.webhook_inbox.claim_due("t", kT0, 60, 10);
    ASSERT_TRUE(claimed.is_ok());
    ASSERT_EQ(claimed->size(), 2u);
    EXPECT_EQ((*claimed)[0].msgid, "done");  // oldest event first
    EXPECT_TRUE(s.webhook_inbox.finish((*claimed)[0].id, "t", InboxState::kDone, "", kT0).is_ok());
    EXPECT_TRUE(
        s.webhook_inbox.finish((*claimed)[1].id, "t", InboxState::kDead, "account_unknown: no such person", kT0).is_ok());
  });
  commit([&](core::Stores& s) {
    auto dead = s.webhook_inbox.list(InboxState::kDead, core::Page{});
    ASSERT_TRUE(dead.is_ok());
    ASSERT_EQ(dead->size(), 1u);
    EXPECT_EQ((*dead)[0].body, "{\"keep\":1}");
    EXPECT_EQ((*dead)[0].last_error, "account_unknown: no such person");
    auto done = s.webhook_inbox.find_by_msgid("done");
    ASSERT_TRUE(done.is_ok() && done->has_value());
    EXPECT_EQ((*done)->body, "");

    auto not_dead = s.webhook_inbox.replay((*done)->id, kT0 + 10);
    EXPECT_EQ(not_dead.status().reason(), "webhook_inbox_not_dead");
    auto missing = s.webhook_inbox.replay(999999, kT0 + 10);
    EXPECT_EQ(missing.status().reason(), "webhook_inbox_not_found");
    auto replayed = s.webhook_inbox.replay((*dead)[0].id, kT0 + 10);
    ASSERT_TRUE(replayed.is_ok()) << replayed.status().to_string();
    EXPECT_EQ(replayed->state, InboxState::kPending);
    EXPECT_EQ(replayed->attempts, 0);
    EXPECT_EQ(replayed->next_attempt_at, kT0 + 10);
  });
  commit([&](core::Stores& s) {
    auto purged = s.webhook_inbox.purge(kT0 + 1);
    ASSERT_TRUE(purged.is_ok());
    EXPECT_EQ(*purged, 1);  // the done row; the pending one stays
  });
  EXPECT_EQ(count_rows("webhook_inbox"), 1);
}

TEST_P(WebhookStoreTest, RetryLaterCountsTheAttemptAndWaitsUntilDue) {
  commit([&](core::Stores& s) { ASSERT_TRUE(s.webhook_inbox.insert("m", "account.updated", 1, "{}", kT0).is_ok()); });
  commit([&](core::Stores& s) {
    auto c = s.webhook_inbox.claim_due("t", kT0, 60, 10);
    ASSERT_TRUE(c.is_ok() && c->size() == 1u);
    ASSERT_TRUE(s.webhook_inbox.retry_later((*c)[0].id, "t", kT0 + 30, "unavailable: database busy", kT0).is_ok());
    auto early = s.webhook_inbox.claim_due("u", kT0 + 29, 60, 10);
    ASSERT_TRUE(early.is_ok());
    EXPECT_TRUE(early->empty());
    auto due = s.webhook_inbox.claim_due("v", kT0 + 30, 60, 10);
    ASSERT_TRUE(due.is_ok());
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ((*due)[0].attempts, 1);
    EXPECT_EQ((*due)[0].last_error, "unavailable: database busy");
  });
}

TEST_P(WebhookStoreTest, OutboxAppendIsPartOfTheCallersTransaction) {
  Status failed = db_->transact([&](core::Stores& s) -> Status {
    auto e = s.outbox.append("mentoring.enrolled", "{\"enrolment_id\":1}", kT0);
    if (!e) return e.status();
    return Status::conflict("later_step_failed", "A later step of the same change failed.");
  });
  EXPECT_EQ(failed.reason(), "later_step_failed");
  EXPECT_EQ(count_rows("webhook_outbox"), 0);
  commit([&](core::Stores& s) {
    auto e = s.outbox.append("mentoring.enrolled", "{\"enrolment_id\":1}", kT0);
    ASSERT_TRUE(e.is_ok()) << e.status().to_string();
    EXPECT_EQ(e->state, OutboxState::kPending);
    EXPECT_EQ(e->next_attempt_at, kT0);
    EXPECT_EQ(e->msgid(), "msg_" + std::to_string(e->id) + "_" + std::to_string(kT0));
  });
  EXPECT_EQ(count_rows("webhook_outbox"), 1);
}

TEST_P(WebhookStoreTest, OutboxRefusesBadEventTypesAndPayloads) {
  commit([&](core::Stores& s) {
    EXPECT_EQ(s.outbox.append("", "{}", kT0).status().reason(), "outbox_event_type_invalid");
    EXPECT_EQ(s.outbox.append("Mentoring.Enrolled", "{}", kT0).status().reason(), "outbox_event_type_invalid");
    EXPECT_EQ(s.outbox.append("enrolled", "{}", kT0).status().reason(), "outbox_event_type_invalid");
    EXPECT_EQ(s.outbox.append("mentoring.enrolled\"x", "{}", kT0).status().reason(), "outbox_event_type_invalid");
    EXPECT_EQ(s.outbox.append("mentoring.enrolled", "[1]", kT0).status().reason(), "outbox_payload_invalid");
    EXPECT_EQ(s.outbox.append("mentoring.enrolled", std::string(70000, '{'), kT0).status().reason(),
              "outbox_payload_invalid");
  });
  EXPECT_EQ(count_rows("webhook_outbox"), 0);
}

TEST_P(WebhookStoreTest, OutboxFailuresRetryThenDieAndAnAdministratorCanRetry) {
  std::int64_t id = 0;
  commit([&](core::Stores& s) { id = s.outbox.append("mentoring.enrolled", "{}", kT0)->id; });
  commit([&](core::Stores& s) {
    auto c = s.outbox.claim_due("t1", kT0, 120, 10);
    ASSERT_TRUE(c.is_ok() && c->size() == 1u);
    ASSERT_TRUE(s.outbox.mark_failed(id, "t1", 503, "http_status: 503", kT0 + 10, false, kT0).is_ok());
    EXPECT_TRUE(s.outbox.claim_due("t2", kT0 + 9, 120, 10)->empty());
    auto again = s.outbox.claim_due("t3", kT0 + 10, 120, 10);
    ASSERT_TRUE(again.is_ok() && again->size() == 1u);
    EXPECT_EQ((*again)[0].attempts, 1);
    EXPECT_EQ((*again)[0].last_status, 503);
    // A stale token cannot record anything.
    EXPECT_EQ(s.outbox.mark_delivered(id, "t1", 200, kT0 + 11).reason(), "webhook_claim_lost");
    ASSERT_TRUE(s.outbox.mark_failed(id, "t3", 0, "webhook_send_failed: refused", kT0 + 11, true, kT0 + 11).is_ok());
  });
  commit([&](core::Stores& s) {
    auto dead = s.outbox.list(OutboxState::kDead, core::Page{});
    ASSERT_TRUE(dead.is_ok());
    ASSERT_EQ(dead->size(), 1u);
    EXPECT_EQ((*dead)[0].attempts, 2);
    EXPECT_TRUE(s.outbox.claim_due("t4", kT0 + 1000, 120, 10)->empty());
    auto retried = s.outbox.retry(id, kT0 + 5000, kT0 + 100);
    ASSERT_TRUE(retried.is_ok()) << retried.status().to_string();
    EXPECT_EQ(retried->state, OutboxState::kPending);
    EXPECT_EQ(retried->deadline_at, kT0 + 5000);
    auto c = s.outbox.claim_due("t5", kT0 + 100, 120, 10);
    ASSERT_TRUE(c.is_ok() && c->size() == 1u);
    ASSERT_TRUE(s.outbox.mark_delivered(id, "t5", 204, kT0 + 101).is_ok());
    EXPECT_EQ(s.outbox.retry(id, kT0 + 5000, kT0 + 102).status().reason(), "webhook_outbox_delivered");
    EXPECT_EQ(s.outbox.retry(424242, kT0 + 5000, kT0 + 102).status().reason(), "webhook_outbox_not_found");
    auto delivered = s.outbox.find(id);
    ASSERT_TRUE(delivered.is_ok() && delivered->has_value());
    EXPECT_EQ((*delivered)->state, OutboxState::kDelivered);
    EXPECT_EQ((*delivered)->delivered_at, kT0 + 101);
    EXPECT_EQ((*delivered)->last_status, 204);
  });
}

// Several connections (and on PostgreSQL several server transactions at
// once) claim from the same queue: every row is claimed exactly once.
TEST_P(WebhookStoreTest, ConcurrentClaimsFromSeveralConnectionsNeverShareARow) {
  constexpr int kRows = 120;
  commit([&](core::Stores& s) {
    for (int i = 0; i < kRows; ++i) ASSERT_TRUE(s.outbox.append("mentoring.enrolled", "{}", kT0).is_ok());
  });
  auto second = open();
  ASSERT_TRUE(second.is_ok()) << second.status().to_string();
  std::vector<SociDatabase*> dbs{db_.get(), second->get()};
  std::mutex mu;
  std::map<std::int64_t, int> seen;
  std::atomic<int> errors{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      SociDatabase* db = dbs[t % 2];
      for (int round = 0; round < 200; ++round) {
        const std::string token = "thread" + std::to_string(t) + "_" + std::to_string(round);
        std::vector<core::OutboxEntry> got;
        Status st = db->transact([&](core::Stores& s) -> Status {
          auto c = s.outbox.claim_due(token, kT0, 120, 7);
          if (!c) return c.status();
          got = *c;
          for (const auto& e : got) MENTORING_RETURN_IF_ERROR(s.outbox.mark_delivered(e.id, token, 200, kT0));
          return Status::ok();
        });
        if (!st) {
          ++errors;
          continue;
        }
        if (got.empty()) break;
        std::lock_guard<std::mutex> lock(mu);
        for (const auto& e : got) ++seen[e.id];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors.load(), 0);
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kRows));
  for (const auto& [id, n] : seen) EXPECT_EQ(n, 1) << "row " << id;
  EXPECT_EQ(count_rows("webhook_outbox", "state = 'delivered'"), kRows);
}

TEST_P(WebhookStoreTest, HostDataRoundTripsAndNeedsAnAccount) {
  const std::int64_t id = add_account("host-1");
  commit([&](core::Stores& s) {
    core::HostAccountData d;
    d.accountid = id;
    d.last_event_ms = 1234;
    d.gmc_number = "7654321";
    d.career_stage = "st3";
    d.specialty = "Cardiology";
    d.programme = "Cardiology ST3+";
    d.programme_status = "enrolled";
    d.site = "St Elsewhere";
    d.region = "London";
    d.placement_starts_on = "2026-08-05";
    ASSERT_TRUE(s.host_accounts.save(d, kT0).is_ok());
    d.last_event_ms = 5678;
    d.site = "Royal Infirmary";
    ASSERT_TRUE(s.host_accounts.save(d, kT0 + 1).is_ok());
    auto back = s.host_accounts.find(id);
    ASSERT_TRUE(back.is_ok() && back->has_value());
    EXPECT_EQ((*back)->last_event_ms, 5678);
    EXPECT_EQ((*back)->site, "Royal Infirmary");
    EXPECT_EQ((*back)->gmc_number, "7654321");
    EXPECT_EQ((*back)->placement_starts_on, "2026-08-05");
    core::HostAccountData orphan;
    orphan.accountid = 999999;
    EXPECT_EQ(s.host_accounts.save(orphan, kT0).reason(), "account_not_found");
    EXPECT_EQ(s.host_accounts.set_account_status(999999, core::AccountStatus::kSuspended, kT0).reason(),
              "account_not_found");
  });
}

TEST_P(WebhookStoreTest, ErasureRemovesEverythingPersonalAndKeepsTheAnonymousAccountRow) {
  const std::int64_t id = add_account("erase-me");
  const std::int64_t other = add_account("keep-me");
  commit([&](core::Stores& s) {
    core::MenteeProfile mentee;
    mentee.accountid = id;
    mentee.goals = "Prepare for the MRCP examinations";
    ASSERT_TRUE(s.profiles.save_mentee(mentee, kT0).is_ok());
    core::MenteeProfile kept = mentee;
    kept.accountid = other;
    ASSERT_TRUE(s.profiles.save_mentee(kept, kT0).is_ok());
    core::MentorProfile mentor;
    mentor.accountid = id;
    mentor.bio = "Consultant cardiologist";
    ASSERT_TRUE(s.profiles.save_mentor(mentor, kT0).is_ok());
    core::HostAccountData d;
    d.accountid = id;
    d.gmc_number = "1234567";
    ASSERT_TRUE(s.host_accounts.save(d, kT0).is_ok());
    core::StoredTrainingOutcome o;
    o.accountid = id;
    o.outcome = "1";
    o.recorded_on = *core::Date::parse("2026-06-30");
    ASSERT_TRUE(s.host_accounts.add_training_outcome(o, kT0).is_ok());
    auto outcomes = s.host_accounts.list_training_outcomes(id);
    ASSERT_TRUE(outcomes.is_ok());
    ASSERT_EQ(outcomes->size(), 1u);
    EXPECT_EQ((*outcomes)[0].recorded_on.to_string(), "2026-06-30");
  });
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.outbox
                    .append("mentoring.enrolled",
                            R"({"account":{"platform":"https://portal.example.nhs.uk","subject":"erase-me"}})", kT0)
                    .is_ok());
    ASSERT_TRUE(s.outbox
                    .append("mentoring.enrolled",
                            R"({"account":{"platform":"https://portal.example.nhs.uk","subject":"keep-me"}})", kT0)
                    .is_ok());
    ASSERT_TRUE(s.webhook_inbox.insert("dead-1", "placement.changed", 1, R"({"data":{"subject":"erase-me"}})", kT0)
                    .is_ok());
    auto c = s.webhook_inbox.claim_due("t", kT0, 60, 10);
    ASSERT_TRUE(c.is_ok() && c->size() == 1u);
    ASSERT_TRUE(s.webhook_inbox.finish((*c)[0].id, "t", InboxState::kDead, "account_unknown: x", kT0).is_ok());
  });
  commit([&](core::Stores& s) {
    ASSERT_TRUE(s.host_accounts.erase_person(id, kT0 + 5).is_ok());
    ASSERT_TRUE(s.host_accounts.record_erasure(std::string(64, 'a'), 42, kT0 + 5).is_ok());
  });
  commit([&](core::Stores& s) {
    auto a = s.accounts.find(id);
    ASSERT_TRUE(a.is_ok() && a->has_value());
    EXPECT_EQ((*a)->display_name, "");
    EXPECT_EQ((*a)->email, "");
    EXPECT_EQ((*a)->subject, "erased-" + std::to_string(id));
    EXPECT_EQ((*a)->status, core::AccountStatus::kSuspended);
    EXPECT_FALSE(s.accounts.find_by_subject("https://portal.example.nhs.uk", "erase-me")->has_value());
    EXPECT_FALSE(s.profiles.find_mentee(id)->has_value());
    EXPECT_FALSE(s.profiles.find_mentor(id)->has_value());
    EXPECT_FALSE(s.host_accounts.find(id)->has_value());
    EXPECT_TRUE(s.host_accounts.list_training_outcomes(id)->empty());
    EXPECT_TRUE(s.profiles.find_mentee(other)->has_value());  // someone else's data is untouched
    auto tomb = s.host_accounts.erased_at(std::string(64, 'a'));
    ASSERT_TRUE(tomb.is_ok() && tomb->has_value());
    EXPECT_EQ(**tomb, 42);
    EXPECT_FALSE(s.host_accounts.erased_at(std::string(64, 'b'))->has_value());
  });
  EXPECT_EQ(count_rows("accounts", "display_name LIKE '%erase-me%' OR email LIKE '%erase-me%' OR subject = 'erase-me'"),
            0);
  EXPECT_EQ(count_rows("webhook_outbox", "payload LIKE '%erase-me%'"), 0);
  EXPECT_EQ(count_rows("webhook_outbox", "payload LIKE '%\"subject\":\"erased-" + std::to_string(id) + "\"%'"), 1);
  EXPECT_EQ(count_rows("webhook_outbox", "payload LIKE '%keep-me%'"), 1);
  EXPECT_EQ(count_rows("webhook_inbox", "body LIKE '%erase-me%'"), 0);
  EXPECT_EQ(count_rows("webhook_inbox", "state = 'ignored'"), 1);
}

INSTANTIATE_TEST_SUITE_P(Backends, WebhookStoreTest, ::testing::Values("sqlite", "postgresql"), testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
