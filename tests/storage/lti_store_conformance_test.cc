// The LTI and session store ports' behaviour, run on SQLite and (when
// configured) PostgreSQL.
#include <atomic>
#include <thread>

#include "tests/storage/storage_fixture.h"

namespace mentoring::storage {
namespace {
using core::Status;
using testing::BackendTest;

constexpr core::UnixSeconds kT0 = 1780000000;

core::LtiPlatformInput platform_input(const std::string& client_id = "client-1") {
  return core::LtiPlatformInput{"https://portal.example.nhs.uk", client_id, "https://portal.example.nhs.uk/auth",
                                "https://portal.example.nhs.uk/token", "https://portal.example.nhs.uk/jwks", ""};
}

std::string hash_of(char c) { return std::string(64, c); }

class LtiStoreConformanceTest : public BackendTest {
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
  Status run(Fn&& fn) {
    return db_->transact([&](core::Stores& s) -> Status { return fn(s); });
  }

  core::LtiPlatform make_platform(const std::string& client_id = "client-1") {
    core::LtiPlatform out;
    Status st = run([&](core::Stores& s) -> Status {
      auto p = s.lti.upsert_platform(platform_input(client_id), {"deployment-1"}, kT0);
      if (!p) return p.status();
      out = *p;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return out;
  }

  void make_state(std::int64_t platformid, const std::string& state, core::UnixSeconds expires_at) {
    Status st = run([&](core::Stores& s) {
      return s.lti_launch.create_login_state(
          {state, "nonce-" + state, platformid, "https://tool.example.nhs.uk/lti/launch", "", expires_at}, kT0);
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  // An account and a deployment to hang sessions on.
  std::pair<std::int64_t, std::int64_t> make_account_and_deployment() {
    const auto platform = make_platform();
    std::int64_t account = 0, deployment = 0;
    Status st = run([&](core::Stores& s) -> Status {
      auto a = s.accounts.upsert({platform.issuer, "sub-1", "Dr Ada Example", ""}, kT0);
      if (!a) return a.status();
      auto d = s.lti.find_deployment(platform.id, "deployment-1");
      if (!d) return d.status();
      account = a->id;
      deployment = (*d)->id;
      return Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return {account, deployment};
  }

  std::unique_ptr<SociDatabase> db_;
};

TEST_P(LtiStoreConformanceTest, PlatformUpsertKeepsItsIdAndAddsDeployments) {
  const auto first = make_platform();
  EXPECT_GT(first.id, 0);
  EXPECT_EQ(first.deployment_ids, std::vector<std::string>{"deployment-1"});
  core::LtiPlatform second;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto in = platform_input();
                in.jwks_url = "https://portal.example.nhs.uk/keys";
                auto p = s.lti.upsert_platform(in, {"deployment-2", "deployment-1"}, kT0 + 5);
                if (!p) return p.status();
                second = *p;
                return Status::ok();
              }).is_ok());
  EXPECT_EQ(second.id, first.id);
  EXPECT_EQ(second.jwks_url, "https://portal.example.nhs.uk/keys");
  EXPECT_EQ(second.deployment_ids, (std::vector<std::string>{"deployment-1", "deployment-2"}));
  make_platform("client-2");
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto found = s.lti.find_platforms("https://portal.example.nhs.uk");
                if (!found) return found.status();
                EXPECT_EQ(found->size(), 2u);
                auto none = s.lti.find_platforms("https://other.example.org");
                EXPECT_TRUE(none.is_ok() && none->empty());
                return Status::ok();
              }).is_ok());
  Status bad = run([&](core::Stores& s) {
    auto in = platform_input();
    in.issuer.clear();
    return s.lti.upsert_platform(in, {"d"}, kT0).status();
  });
  EXPECT_EQ(bad.field(), "issuer");
}

TEST_P(LtiStoreConformanceTest, LoginStateIsConsumedOnceAndReportsWhy) {
  const auto p = make_platform();
  make_state(p.id, "state-a", kT0 + 600);
  make_state(p.id, "state-b", kT0 + 10);
  auto consume = [&](const std::string& state, core::UnixSeconds now) {
    core::ConsumedLoginState out;
    EXPECT_TRUE(run([&](core::Stores& s) -> Status {
                  auto c = s.lti_launch.consume_login_state(state, now);
                  if (!c) return c.status();
                  out = *c;
                  return Status::ok();
                }).is_ok());
    return out;
  };
  auto first = consume("state-a", kT0 + 1);
  EXPECT_EQ(first.outcome, core::OneTimeOutcome::kConsumed);
  EXPECT_EQ(first.state.nonce, "nonce-state-a");
  EXPECT_EQ(first.state.used_at, kT0 + 1);
  EXPECT_EQ(consume("state-a", kT0 + 2).outcome, core::OneTimeOutcome::kAlreadyUsed);
  EXPECT_EQ(consume("state-b", kT0 + 10).outcome, core::OneTimeOutcome::kExpired);
  EXPECT_EQ(consume("state-c", kT0).outcome, core::OneTimeOutcome::kUnknown);
}

TEST_P(LtiStoreConformanceTest, TwoThreadsConsumingTheSameStateExactlyOneWins) {
  const auto p = make_platform();
  for (int round = 0; round < 5; ++round) {
    const std::string state = "race-" + std::to_string(round);
    make_state(p.id, state, kT0 + 600);
    std::atomic<int> winners{0}, losers{0};
    std::atomic<bool> go{false};
    auto racer = [&] {
      // Each thread its own handle on the same database, as two instances would have.
      auto db = open();
      ASSERT_TRUE(db.is_ok()) << db.status().to_string();
      while (!go.load()) std::this_thread::yield();
      Status st = (*db)->transact([&](core::Stores& s) -> Status {
        auto c = s.lti_launch.consume_login_state(state, kT0 + 1);
        if (!c) return c.status();
        (c->outcome == core::OneTimeOutcome::kConsumed ? winners : losers)++;
        return Status::ok();
      });
      ASSERT_TRUE(st.is_ok()) << st.to_string();
    };
    std::thread a(racer), b(racer);
    go = true;
    a.join();
    b.join();
    EXPECT_EQ(winners.load(), 1) << state;
    EXPECT_EQ(losers.load(), 1) << state;
  }
}

TEST_P(LtiStoreConformanceTest, NonceReplayIsRefusedAndRollsNothingElseIn) {
  const auto p = make_platform();
  ASSERT_TRUE(run([&](core::Stores& s) { return s.lti_launch.record_nonce(p.id, "n-1", kT0 + 60, kT0); }).is_ok());
  Status replay = run([&](core::Stores& s) -> Status {
    auto a = s.accounts.upsert({p.issuer, "sub-replay", "Dr Replay", ""}, kT0);
    if (!a) return a.status();
    return s.lti_launch.record_nonce(p.id, "n-1", kT0 + 60, kT0);
  });
  EXPECT_EQ(replay.code(), core::Code::kAlreadyExists);
  EXPECT_EQ(replay.reason(), "lti_nonce_replayed");
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto found = s.accounts.find_by_subject(p.issuer, "sub-replay");
                EXPECT_TRUE(found.is_ok() && !found->has_value());
                // The same nonce from another platform registration is its own.
                const auto other = s.lti.upsert_platform(platform_input("client-2"), {"d"}, kT0);
                if (!other) return other.status();
                return s.lti_launch.record_nonce(other->id, "n-1", kT0 + 60, kT0);
              }).is_ok());
}

TEST_P(LtiStoreConformanceTest, SessionsEndAfterIdleAndAbsoluteTimeouts) {
  const auto [account, deployment] = make_account_and_deployment();
  core::SessionInput in;
  in.token_hash = hash_of('a');
  in.accountid = account;
  in.deploymentid = deployment;
  in.capabilities = {"mentoring/scheme:manage", "mentoring/mentee:participate"};
  in.csrf_token = "csrf-1";
  in.expires_at = kT0 + 1000;
  core::Session created;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto c = s.sessions.create(in, kT0);
                if (!c) return c.status();
                created = *c;
                in.token_hash = hash_of('b');
                return s.sessions.create(in, kT0).status();
              }).is_ok());
  EXPECT_EQ(created.capabilities,
            (std::vector<std::string>{"mentoring/mentee:participate", "mentoring/scheme:manage"}));
  EXPECT_FALSE(created.schemeid.has_value());
  auto touch = [&](char c, core::UnixSeconds now) {
    std::optional<core::Session> out;
    EXPECT_TRUE(run([&](core::Stores& s) -> Status {
                  auto t = s.sessions.touch(hash_of(c), now, 300);
                  if (!t) return t.status();
                  out = *t;
                  return Status::ok();
                }).is_ok());
    return out;
  };
  // Idle: each touch moves the idle timer.
  ASSERT_TRUE(touch('a', kT0 + 299).has_value());
  ASSERT_TRUE(touch('a', kT0 + 598).has_value());
  EXPECT_FALSE(touch('b', kT0 + 300).has_value());
  EXPECT_FALSE(touch('b', kT0 + 301).has_value()) << "an ended session stays ended";
  // Absolute: ends at expires_at even while in use.
  ASSERT_TRUE(touch('a', kT0 + 850).has_value());
  EXPECT_FALSE(touch('a', kT0 + 1000).has_value());
  EXPECT_FALSE(touch('z', kT0).has_value());
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto n = s.sessions.count();
                if (!n) return n.status();
                EXPECT_EQ(*n, 0);
                return Status::ok();
              }).is_ok());
}

TEST_P(LtiStoreConformanceTest, HandoffIsSingleUseAndShortLived) {
  const auto [account, deployment] = make_account_and_deployment();
  std::int64_t sessionid = 0;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto c = s.sessions.create({hash_of('s'), account, deployment, {}, {}, {}, "csrf", kT0 + 1000}, kT0);
                if (!c) return c.status();
                sessionid = c->id;
                MENTORING_RETURN_IF_ERROR(s.lti_launch.create_handoff(hash_of('h'), sessionid, kT0 + 60, kT0));
                return s.lti_launch.create_handoff(hash_of('i'), sessionid, kT0 + 60, kT0);
              }).is_ok());
  auto consume = [&](char c, core::UnixSeconds now) {
    core::ConsumedHandoff out;
    EXPECT_TRUE(run([&](core::Stores& s) -> Status {
                  auto r = s.lti_launch.consume_handoff(hash_of(c), now);
                  if (!r) return r.status();
                  out = *r;
                  return Status::ok();
                }).is_ok());
    return out;
  };
  auto first = consume('h', kT0 + 5);
  EXPECT_EQ(first.outcome, core::OneTimeOutcome::kConsumed);
  EXPECT_EQ(first.sessionid, sessionid);
  EXPECT_EQ(consume('h', kT0 + 6).outcome, core::OneTimeOutcome::kAlreadyUsed);
  EXPECT_EQ(consume('i', kT0 + 60).outcome, core::OneTimeOutcome::kExpired);
  EXPECT_EQ(consume('j', kT0).outcome, core::OneTimeOutcome::kUnknown);
}

TEST_P(LtiStoreConformanceTest, OnlyOneToolKeyIsActiveAndRotationKeepsThePrevious) {
  ASSERT_TRUE(run([&](core::Stores& s) {
                return s.lti.add_tool_key("kid-1", "pem-1", core::ToolKeyStatus::kActive, kT0).status();
              }).is_ok());
  Status second = run([&](core::Stores& s) {
    return s.lti.add_tool_key("kid-2", "pem-2", core::ToolKeyStatus::kActive, kT0).status();
  });
  EXPECT_EQ(second.code(), core::Code::kAlreadyExists);
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto n = s.lti.demote_active_key(kT0 + 1);
                if (!n) return n.status();
                EXPECT_EQ(*n, 1);
                return s.lti.add_tool_key("kid-2", "pem-2", core::ToolKeyStatus::kActive, kT0 + 1).status();
              }).is_ok());
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto keys = s.lti.tool_keys(false);
                if (!keys) return keys.status();
                EXPECT_EQ(keys->size(), 2u);
                EXPECT_EQ(keys->at(0).kid, "kid-2");
                EXPECT_EQ(keys->at(0).status, core::ToolKeyStatus::kActive);
                EXPECT_EQ(keys->at(1).status, core::ToolKeyStatus::kPrevious);
                auto retired = s.lti.retire_previous_keys(kT0 + 2);
                if (!retired) return retired.status();
                EXPECT_EQ(*retired, 1);
                auto published = s.lti.tool_keys(false);
                EXPECT_EQ(published->size(), 1u);
                EXPECT_EQ(s.lti.tool_keys(true)->size(), 2u);
                return Status::ok();
              }).is_ok());
}

TEST_P(LtiStoreConformanceTest, ContextsAreRecordedAndLinkedToSchemes) {
  const auto [account, deployment] = make_account_and_deployment();
  core::LtiContextLink link;
  std::int64_t schemeid = 0;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto c = s.lti.upsert_context(deployment, "course-1", "FY1", "Foundation Year 1", kT0);
                if (!c) return c.status();
                EXPECT_FALSE(c->schemeid.has_value());
                auto scheme = s.schemes.create({"FY1 mentoring", core::SchemeType::kNearPeer, "", core::SchemePhase::kPilot}, kT0);
                if (!scheme) return scheme.status();
                schemeid = scheme->id;
                auto linked = s.lti.link_context(c->id, schemeid, kT0 + 1);
                if (!linked) return linked.status();
                auto again = s.lti.upsert_context(deployment, "course-1", "FY1", "Foundation Year One", kT0 + 2);
                if (!again) return again.status();
                link = *again;
                return Status::ok();
              }).is_ok());
  EXPECT_EQ(link.schemeid, schemeid);
  EXPECT_EQ(link.title, "Foundation Year One");
  Status missing = run([&](core::Stores& s) { return s.lti.link_context(link.id + 100, schemeid, kT0).status(); });
  EXPECT_EQ(missing.reason(), "lti_context_not_found");
  Status no_scheme = run([&](core::Stores& s) { return s.lti.link_context(link.id, schemeid + 100, kT0).status(); });
  EXPECT_EQ(no_scheme.code(), core::Code::kNotFound);
}

TEST_P(LtiStoreConformanceTest, RoleMappingsArePerDeploymentAndChecked) {
  const auto [account, deployment] = make_account_and_deployment();
  const std::string role = "http://purl.imsglobal.org/vocab/lis/v2/institution/person#Administrator";
  ASSERT_TRUE(run([&](core::Stores& s) {
                return s.lti.add_role_mapping(deployment, role, "mentoring/confidential:view", kT0).status();
              }).is_ok());
  Status again = run([&](core::Stores& s) {
    return s.lti.add_role_mapping(deployment, role, "mentoring/confidential:view", kT0).status();
  });
  EXPECT_EQ(again.code(), core::Code::kAlreadyExists);
  Status bad = run([&](core::Stores& s) { return s.lti.add_role_mapping(deployment, role, "site:config", kT0).status(); });
  EXPECT_EQ(bad.reason(), "capability_invalid");
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto m = s.lti.role_mappings(deployment);
                if (!m) return m.status();
                EXPECT_EQ(m->size(), 1u);
                auto other = s.lti.role_mappings(deployment + 100);
                EXPECT_TRUE(other.is_ok() && other->empty());
                return Status::ok();
              }).is_ok());
}

TEST_P(LtiStoreConformanceTest, PurgeRemovesOnlyExpiredValues) {
  const auto [account, deployment] = make_account_and_deployment();
  std::int64_t platformid = 0;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                platformid = s.lti.find_platforms("https://portal.example.nhs.uk")->front().id;
                return Status::ok();
              }).is_ok());
  make_state(platformid, "old", kT0 + 10);
  make_state(platformid, "live", kT0 + 600);
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                MENTORING_RETURN_IF_ERROR(s.lti_launch.record_nonce(platformid, "old-nonce", kT0 + 10, kT0));
                MENTORING_RETURN_IF_ERROR(s.lti_launch.record_nonce(platformid, "live-nonce", kT0 + 600, kT0));
                MENTORING_RETURN_IF_ERROR(
                    s.sessions.create({hash_of('o'), account, deployment, {}, {}, {}, "c", kT0 + 10}, kT0).status());
                return s.sessions.create({hash_of('l'), account, deployment, {}, {}, {}, "c", kT0 + 600}, kT0).status();
              }).is_ok());
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto n = s.lti_launch.purge_expired(kT0 + 20);
                if (!n) return n.status();
                EXPECT_EQ(*n, 3);
                EXPECT_FALSE(s.lti_launch.find_login_state("old")->has_value());
                EXPECT_TRUE(s.lti_launch.find_login_state("live")->has_value());
                EXPECT_EQ(*s.sessions.count(), 1);
                return Status::ok();
              }).is_ok());
  // A purged nonce is past its token's expiry, so recording it again is harmless.
  EXPECT_TRUE(run([&](core::Stores& s) { return s.lti_launch.record_nonce(platformid, "old-nonce", kT0 + 30, kT0 + 20); }).is_ok());
  EXPECT_EQ(run([&](core::Stores& s) { return s.lti_launch.record_nonce(platformid, "live-nonce", kT0 + 30, kT0 + 20); })
                .reason(),
            "lti_nonce_replayed");
}

// ---------------------------------------------------------------------------
// LTI Advantage (schema step 0004)

TEST_P(LtiStoreConformanceTest, ContextServicesAreSavedAndReplaced) {
  const auto [account, deployment] = make_account_and_deployment();
  (void)account;
  std::int64_t contextid = 0;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto c = s.lti.upsert_context(deployment, "course-1", "FY1", "Foundation", kT0);
                if (!c) return c.status();
                contextid = c->id;
                auto t = s.lti_advantage.find_context_target(contextid);
                if (!t) return t.status();
                EXPECT_TRUE(t->has_value());
                EXPECT_EQ((*t)->platform.issuer, "https://portal.example.nhs.uk");
                EXPECT_EQ((*t)->platform.auth_token_url, "https://portal.example.nhs.uk/token");
                EXPECT_EQ((*t)->deployment.deployment_id, "deployment-1");
                EXPECT_EQ((*t)->context.context_id, "course-1");
                EXPECT_FALSE(s.lti_advantage.find_context_services(contextid)->has_value());
                EXPECT_FALSE(s.lti_advantage.find_context_target(contextid + 100)->has_value());
                core::LtiContextServices sv{contextid, "https://p/nrps", "https://p/li", "", {"b-scope", "a-scope"}};
                return s.lti_advantage.save_context_services(sv, kT0);
              }).is_ok());
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto sv = s.lti_advantage.find_context_services(contextid);
                if (!sv) return sv.status();
                EXPECT_EQ((*sv)->nrps_url, "https://p/nrps");
                EXPECT_EQ((*sv)->ags_lineitems_url, "https://p/li");
                EXPECT_EQ((*sv)->ags_scopes, (std::vector<std::string>{"a-scope", "b-scope"}));
                return s.lti_advantage.save_context_services({contextid, "https://p/nrps2", "", "", {}}, kT0 + 1);
              }).is_ok());
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto sv = s.lti_advantage.find_context_services(contextid);
                EXPECT_EQ((*sv)->nrps_url, "https://p/nrps2");
                EXPECT_TRUE((*sv)->ags_scopes.empty());
                return Status::ok();
              }).is_ok());
  EXPECT_EQ(run([&](core::Stores& s) {
              return s.lti_advantage.save_context_services({contextid + 100, "https://p/n", "", "", {}}, kT0);
            }).reason(),
            "referenced_record_not_found");
  EXPECT_EQ(run([&](core::Stores& s) {
              return s.lti_advantage.save_context_services({contextid, std::string(3000, 'x'), "", "", {}}, kT0);
            }).field(),
            "nrps_url");
}

TEST_P(LtiStoreConformanceTest, RosterMembersAreAddedUpdatedAndListed) {
  const auto [account, deployment] = make_account_and_deployment();
  std::int64_t contextid = 0, second = 0;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto c = s.lti.upsert_context(deployment, "course-1", "", "", kT0);
                if (!c) return c.status();
                contextid = c->id;
                auto b = s.accounts.upsert({"https://portal.example.nhs.uk", "sub-2", "Dr Ben Example", "b@x.nhs.uk"}, kT0);
                if (!b) return b.status();
                second = b->id;
                EXPECT_EQ(*s.lti_advantage.upsert_roster_member(contextid, account, {"r:Learner"},
                                                                core::RosterStatus::kActive, kT0),
                          core::RosterChange::kAdded);
                EXPECT_EQ(*s.lti_advantage.upsert_roster_member(contextid, second, {"r:Mentor", "r:Learner"},
                                                                core::RosterStatus::kInactive, kT0),
                          core::RosterChange::kAdded);
                return Status::ok();
              }).is_ok());
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                EXPECT_EQ(*s.lti_advantage.upsert_roster_member(contextid, account, {"r:Learner"},
                                                                core::RosterStatus::kActive, kT0 + 5),
                          core::RosterChange::kUnchanged);
                EXPECT_EQ(*s.lti_advantage.upsert_roster_member(contextid, second, {"r:Mentor", "r:Learner"},
                                                                core::RosterStatus::kDeleted, kT0 + 5),
                          core::RosterChange::kUpdated);
                auto roster = s.lti_advantage.list_roster(contextid);
                if (!roster) return roster.status();
                EXPECT_EQ(roster->size(), 2u);
                if (roster->size() != 2) return Status::ok();
                // Ordered by display name.
                EXPECT_EQ((*roster)[0].display_name, "Dr Ada Example");
                EXPECT_EQ((*roster)[0].timeseen, kT0 + 5);
                EXPECT_EQ((*roster)[1].subject, "sub-2");
                EXPECT_EQ((*roster)[1].email, "b@x.nhs.uk");
                EXPECT_EQ((*roster)[1].roles, (std::vector<std::string>{"r:Mentor", "r:Learner"}));
                EXPECT_EQ((*roster)[1].status, core::RosterStatus::kDeleted);
                return Status::ok();
              }).is_ok());
  EXPECT_EQ(run([&](core::Stores& s) {
              return s.lti_advantage.upsert_roster_member(contextid, account, {"has space"}, core::RosterStatus::kActive,
                                                          kT0)
                  .status();
            }).reason(),
            "roster_role_invalid");
  EXPECT_EQ(run([&](core::Stores& s) {
              return s.lti_advantage.upsert_roster_member(contextid, account + 999, {}, core::RosterStatus::kActive, kT0)
                  .status();
            }).reason(),
            "referenced_record_not_found");
}

TEST_P(LtiStoreConformanceTest, RosterWritesRollBackWithTheirTransaction) {
  const auto [account, deployment] = make_account_and_deployment();
  std::int64_t contextid = 0;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto c = s.lti.upsert_context(deployment, "course-1", "", "", kT0);
                if (!c) return c.status();
                contextid = c->id;
                return Status::ok();
              }).is_ok());
  Status st = run([&](core::Stores& s) -> Status {
    auto r = s.lti_advantage.upsert_roster_member(contextid, account, {}, core::RosterStatus::kActive, kT0);
    if (!r) return r.status();
    return Status::unavailable("page_failed", "a later page failed");
  });
  EXPECT_EQ(st.reason(), "page_failed");
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                EXPECT_TRUE(s.lti_advantage.list_roster(contextid)->empty());
                return Status::ok();
              }).is_ok());
}

TEST_P(LtiStoreConformanceTest, LineItemsAreKeptPerContextAndMilestone) {
  const auto [account, deployment] = make_account_and_deployment();
  (void)account;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto c = s.lti.upsert_context(deployment, "course-1", "", "", kT0);
                if (!c) return c.status();
                EXPECT_FALSE(s.lti_advantage.find_line_item(c->id, "agreement_signed")->has_value());
                MENTORING_RETURN_IF_ERROR(s.lti_advantage.save_line_item(c->id, "agreement_signed", "https://p/li/1", kT0));
                MENTORING_RETURN_IF_ERROR(s.lti_advantage.save_line_item(c->id, "scheme_completed", "https://p/li/2", kT0));
                MENTORING_RETURN_IF_ERROR(s.lti_advantage.save_line_item(c->id, "agreement_signed", "https://p/li/3", kT0));
                EXPECT_EQ(s.lti_advantage.find_line_item(c->id, "agreement_signed")->value_or(""), "https://p/li/3");
                EXPECT_EQ(s.lti_advantage.find_line_item(c->id, "scheme_completed")->value_or(""), "https://p/li/2");
                EXPECT_EQ(s.lti_advantage.save_line_item(c->id, "", "https://p/li/4", kT0).field(), "milestone");
                EXPECT_EQ(s.lti_advantage.save_line_item(c->id, "x", "", kT0).field(), "lineitem_url");
                return Status::ok();
              }).is_ok());
}

TEST_P(LtiStoreConformanceTest, DeepLinkingIsOffUntilSwitchedOnPerDeployment) {
  const auto [account, deployment] = make_account_and_deployment();
  (void)account;
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                EXPECT_FALSE(*s.lti_advantage.deep_linking_allowed(deployment));
                MENTORING_RETURN_IF_ERROR(s.lti_advantage.set_deep_linking_allowed(deployment, true, kT0));
                EXPECT_TRUE(*s.lti_advantage.deep_linking_allowed(deployment));
                auto d = s.lti_advantage.find_deployment_by_id(deployment);
                EXPECT_EQ((*d)->deployment_id, "deployment-1");
                EXPECT_FALSE(s.lti_advantage.find_deployment_by_id(deployment + 50)->has_value());
                EXPECT_EQ(s.lti_advantage.set_deep_linking_allowed(deployment + 50, true, kT0).reason(),
                          "lti_deployment_not_found");
                EXPECT_EQ(s.lti_advantage.deep_linking_allowed(deployment + 50).status().reason(),
                          "lti_deployment_not_found");
                return Status::ok();
              }).is_ok());
}

TEST_P(LtiStoreConformanceTest, DeepLinkRequestsAreUsedOnceAndExpire) {
  const auto [account, deployment] = make_account_and_deployment();
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                core::DeepLinkRequestInput in{hash_of('a'), account, deployment, "https://p/return", "data-1", kT0 + 60};
                MENTORING_RETURN_IF_ERROR(s.lti_advantage.create_deep_link_request(in, kT0));
                core::DeepLinkRequestInput none{hash_of('b'), account, deployment, "https://p/return", std::nullopt,
                                                kT0 + 10};
                return s.lti_advantage.create_deep_link_request(none, kT0);
              }).is_ok());
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto r = s.lti_advantage.find_deep_link_request(hash_of('a'));
                EXPECT_EQ((*r)->data.value_or(""), "data-1");
                EXPECT_EQ((*r)->return_url, "https://p/return");
                EXPECT_EQ((*r)->accountid, account);
                EXPECT_FALSE((*s.lti_advantage.find_deep_link_request(hash_of('b')))->data.has_value());
                EXPECT_EQ(*s.lti_advantage.consume_deep_link_request(hash_of('a'), kT0 + 1),
                          core::OneTimeOutcome::kConsumed);
                EXPECT_EQ(*s.lti_advantage.consume_deep_link_request(hash_of('a'), kT0 + 2),
                          core::OneTimeOutcome::kAlreadyUsed);
                EXPECT_EQ(*s.lti_advantage.consume_deep_link_request(hash_of('b'), kT0 + 10),
                          core::OneTimeOutcome::kExpired);
                EXPECT_EQ(*s.lti_advantage.consume_deep_link_request(hash_of('c'), kT0),
                          core::OneTimeOutcome::kUnknown);
                EXPECT_EQ(s.lti_advantage.create_deep_link_request({"short", account, deployment, "u", {}, kT0}, kT0)
                              .field(),
                          "token_hash");
                return Status::ok();
              }).is_ok());
  // Expired requests go with the other one-time values.
  ASSERT_TRUE(run([&](core::Stores& s) -> Status {
                auto n = s.lti_launch.purge_expired(kT0 + 100);
                if (!n) return n.status();
                EXPECT_FALSE(s.lti_advantage.find_deep_link_request(hash_of('a'))->has_value());
                return Status::ok();
              }).is_ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, LtiStoreConformanceTest, ::testing::Values("sqlite", "postgresql"),
                         testing::backend_name);

}  // namespace
}  // namespace mentoring::storage
