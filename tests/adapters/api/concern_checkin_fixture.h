// An in-process concerns and check-ins API over a real SQLite database: the
// router, app::ConcernService and app::CheckinService, driven with HTTP
// request values. One scheme with a governance register (a point of contact
// and a scheme lead), one cohort running 2026-08-05 .. 2027-08-04 and one
// active pairing that started on its first day.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <random>
#include <string>

#include "adapters/api/audit_support.h"
#include "adapters/api/concern_api.h"
#include "adapters/http/router.h"
#include "core/audit_stores.h"
#include "core/checkin_stores.h"
#include "core/concern_stores.h"
#include "core/governance.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "core/webhook_stores.h"
#include "storage/database.h"
#include "storage/aes_gcm.h"

namespace mentoring::testing {

inline constexpr const char* kConcernToken = "test-service-token-concerns-0123";

inline std::int64_t unix_ms_of(const char* iso) { return core::Date::parse(iso)->days_since_epoch() * 86400000 + 43200000; }

class ConcernApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("mentoring-concern-api-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "api.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    // Concern text is sealed at rest; a fixed test key.
    cipher_ = std::move(storage::AesGcmCipher::from_config("1:AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=", 0)).value();
    concerns_ = std::make_unique<app::ConcernService>(*db_, clock_, *cipher_);
    checkins_ = std::make_unique<app::CheckinService>(*db_, clock_);
    ctx_ = std::make_unique<api::ConcernApiContext>(api::ConcernApiContext{*concerns_, *checkins_, kConcernToken});
    api::add_concern_routes(router_, *ctx_);
    api::add_checkin_routes(router_, *ctx_);
    const core::UnixSeconds start = unix_ms_of("2026-08-05") / 1000;
    write([&](core::Stores& s) {
      auto scheme = s.schemes.create(
          core::SchemeInput{"FY1 mentoring", core::SchemeType::kNearPeer, "Support FY1", core::SchemePhase::kPilot}, 1);
      ASSERT_TRUE(scheme.is_ok()) << scheme.status().to_string();
      scheme_ = scheme->id;
      auto cohort = s.schemes.create_cohort(
          core::CohortInput{scheme_, "August 2026", *core::Date::parse("2026-06-01"), *core::Date::parse("2026-08-05"),
                            *core::Date::parse("2026-08-05"), *core::Date::parse("2027-08-04"),
                            core::MatchingModel::kAssigned},
          1);
      ASSERT_TRUE(cohort.is_ok()) << cohort.status().to_string();
      cohort_ = cohort->id;
      mentee_ = account(s, "mentee");
      mentor_ = account(s, "mentor");
      poc_ = account(s, "poc");
      lead_ = account(s, "lead");
      outsider_ = account(s, "outsider");
      auto me = s.enrolments.create(cohort_, mentee_, core::Role::kMentee, 1);
      auto mo = s.enrolments.create(cohort_, mentor_, core::Role::kMentor, 1);
      ASSERT_TRUE(me.is_ok() && mo.is_ok());
      mentee_enrolment_ = me->id;
      ASSERT_TRUE(s.pairings.sync_place(cohort_, mo->id, 1, 1).is_ok());
      auto p = s.pairings.create_active(core::PairingInput{cohort_, me->id, mo->id}, start);
      ASSERT_TRUE(p.is_ok()) << p.status().to_string();
      pairing_ = p->id;
    });
    set_register(poc_, lead_);
    clock_.set_ms(unix_ms_of("2026-10-01"));
  }

  void TearDown() override {
    router_ = http::Router();
    ctx_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::int64_t account(core::Stores& s, const std::string& subject) {
    auto a = s.accounts.upsert(core::AccountInput{"https://portal.example.nhs.uk", subject, "Dr " + subject, ""}, 1);
    EXPECT_TRUE(a.is_ok()) << a.status().to_string();
    return a.is_ok() ? a->id : 0;
  }

  // The governance register: point of contact and scheme lead (0 = nobody).
  void set_register(std::int64_t poc, std::int64_t lead) {
    write([&](core::Stores& s) {
      std::vector<core::GovernanceAssignment> g;
      const core::Date due = core::Date::from_unix(clock_.now()).plus_days(30);
      if (poc) g.push_back({0, scheme_, core::Responsibility::kDayToDayManagementAndPointOfContact, poc,
                            "Director of PGME", core::ReportingCadence::kQuarterly, due});
      if (lead) g.push_back({0, scheme_, core::Responsibility::kSetUpAndInitialDelivery, lead, "Postgraduate Dean",
                             core::ReportingCadence::kQuarterly, due});
      ASSERT_TRUE(s.governance.replace(scheme_, g, 1).is_ok());
    });
  }

  template <typename Fn>
  void write(Fn&& fn) {
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      fn(s);
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
  }

  http::Response call(const std::string& method, const std::string& target, std::int64_t actor,
                      const boost::json::value* body = nullptr) {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(req)) << target;
    req.headers.push_back({"Authorization", std::string("Bearer ") + kConcernToken});
    if (actor > 0) req.headers.push_back({api::kActorHeader, std::to_string(actor)});
    if (body) {
      req.headers.push_back({"Content-Type", "application/json"});
      req.body = boost::json::serialize(*body);
    }
    return router_.handle(req);
  }
  http::Response call(const std::string& method, const std::string& target, std::int64_t actor,
                      const boost::json::value& body) {
    return call(method, target, actor, &body);
  }

  static boost::json::object body_of(const http::Response& res) { return boost::json::parse(res.body).as_object(); }
  static std::string reason_of(const http::Response& res) {
    auto v = boost::json::parse(res.body);
    if (!v.is_object() || !v.as_object().contains("error")) return "";
    const auto& e = v.as_object().at("error");
    return e.is_object() && e.as_object().contains("reason") ? std::string(e.as_object().at("reason").as_string())
                                                             : "";
  }

  std::vector<core::OutboxEntry> outbox() {
    std::vector<core::OutboxEntry> out;
    write([&](core::Stores& s) {
      auto l = s.outbox.list(std::nullopt, core::Page{});
      ASSERT_TRUE(l.is_ok());
      out = *l;
    });
    return out;
  }

  std::vector<core::AuditEntry> audit_of(const std::string& type) {
    std::vector<core::AuditEntry> out;
    write([&](core::Stores& s) {
      core::AuditFilter f;
      f.entity_type = type;
      auto l = s.audit.list(f, core::Page{});
      ASSERT_TRUE(l.is_ok());
      out = *l;
    });
    return out;
  }

  core::FixedClock clock_{0};
  std::filesystem::path dir_;
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<storage::AesGcmCipher> cipher_;
  std::unique_ptr<app::ConcernService> concerns_;
  std::unique_ptr<app::CheckinService> checkins_;
  std::unique_ptr<api::ConcernApiContext> ctx_;
  http::Router router_;
  std::int64_t scheme_ = 0, cohort_ = 0, pairing_ = 0, mentee_enrolment_ = 0;
  std::int64_t mentee_ = 0, mentor_ = 0, poc_ = 0, lead_ = 0, outsider_ = 0;
};

}  // namespace mentoring::testing
