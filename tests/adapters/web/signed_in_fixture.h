// A signed-in page fixture over a real SQLite database, real sessions and a
// fixed clock (2026-05-28), for the enrolment and import page tests: a
// scheme with one cohort open now, accounts for a trainee, a second trainee
// and an administrator, each with a session, and every service the pages use.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "adapters/http/router.h"
#include "adapters/web/pages/signed_in_pages.h"
#include "adapters/web/session.h"
#include "app/bulk_import.h"
#include "app/business_as_usual.h"
#include "app/demographics.h"
#include "app/enrolment_journey.h"
#include "app/import_jobs.h"
#include "app/jobs.h"
#include "app/scheme_setup.h"
#include "app/setup_objectives.h"
#include "app/setup_profiles.h"
#include "app/setup_training.h"
#include "adapters/export/certificate.h"
#include "core/lti_capabilities.h"
#include "storage/aes_gcm.h"
#include "storage/database.h"
#include "storage/setup_soci_stores.h"
#include "tests/adapters/web/web_test_support.h"

namespace mentoring::web::testing {

inline constexpr std::int64_t kFixtureT0 = 1780000000;  // 2026-05-28

inline std::string form_encode(const std::vector<std::pair<std::string, std::string>>& form) {
  static const char* hex = "0123456789ABCDEF";
  std::string body;
  for (const auto& [k, v] : form) {
    if (!body.empty()) body += '&';
    for (const std::string* s : {&k, &v}) {
      for (unsigned char c : *s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
          body += static_cast<char>(c);
        } else {
          body += '%';
          body += hex[c >> 4];
          body += hex[c & 15];
        }
      }
      if (s == &k) body += '=';
    }
  }
  return body;
}

inline std::string hidden_value(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  if (!std::regex_search(html, m, re)) return {};
  return m[1];
}

class SignedInFixture : public ::testing::Test {
 protected:
  using Form = std::vector<std::pair<std::string, std::string>>;

  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("mentoring-signed-in-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "m.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    ASSERT_TRUE(db_->migrate().is_ok());
    setup_db_ = std::make_unique<storage::SociSetupDatabase>(*db_);
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      for (auto [kind, name] : {std::pair{"trainee", "Dr Aisha Okafor"}, std::pair{"other", "Dr Ben Hughes"},
                                std::pair{"admin", "Priya Patel"}, std::pair{"mentor", "Dr Chloe Evans"}}) {
        auto a = s.accounts.upsert({kPlatform, std::string(kind) + "-sub", name, ""}, kFixtureT0);
        if (!a) return a.status();
        accounts_[kind] = a->id;
      }
      auto p = s.lti.upsert_platform({kPlatform, "client", std::string(kPlatform) + "/auth", "",
                                      std::string(kPlatform) + "/jwks", ""},
                                     {"d1"}, kFixtureT0);
      if (!p) return p.status();
      deployment_ = (*s.lti.find_deployment(p->id, "d1"))->id;
      auto scheme = s.schemes.create(
          {"FY1 North West", core::SchemeType::kNearPeer, "Support FY1 doctors.", core::SchemePhase::kPilot},
          kFixtureT0);
      if (!scheme) return scheme.status();
      scheme_ = scheme->id;
      core::CohortInput ci;
      ci.schemeid = scheme_;
      ci.name = "August intake";
      ci.opens_on = *core::Date::parse("2026-05-01");
      ci.closes_on = *core::Date::parse("2026-08-05");
      ci.starts_on = *core::Date::parse("2026-08-05");
      ci.ends_on = *core::Date::parse("2027-08-04");
      auto cohort = s.schemes.create_cohort(ci, kFixtureT0);
      if (!cohort) return cohort.status();
      cohort_ = cohort->id;
      return core::Status::ok();
    });
    ASSERT_TRUE(st.is_ok()) << st.to_string();
    auto cipher = storage::AesGcmCipher::from_config("1:" + std::string(44 - 1, 'A') + "=", 1);
    ASSERT_TRUE(cipher.is_ok()) << cipher.status().to_string();
    cipher_ = std::move(cipher).value();

    sessions_ = std::make_unique<SessionManager>(*db_, clock_, SessionSettings{.cookie_secure = false});
    profiles_ = std::make_unique<app::ProfileService>(*setup_db_, clock_);
    eligibility_ = std::make_unique<app::EligibilityService>(*setup_db_, clock_);
    schemes_ = std::make_unique<app::SchemeSetup>(*db_, clock_);
    governance_ = std::make_unique<app::GovernanceService>(*setup_db_, clock_);
    jobs_ = std::make_unique<app::JobService>(*db_, clock_);
    journey_ = std::make_unique<app::EnrolmentJourney>(*db_, clock_);
    demographics_ = std::make_unique<app::DemographicsService>(*db_, clock_, *cipher_);
    bulk_ = std::make_unique<app::BulkImportService>(*db_, clock_);
    imports_ = std::make_unique<app::ImportJobs>(*db_, clock_, *bulk_, *jobs_);
    bau_ = std::make_unique<app::BusinessAsUsualService>(*db_, clock_);
    training_ = std::make_unique<app::TrainingService>(*setup_db_, clock_);
    PageServices services;
    services.profiles = profiles_.get();
    services.schemes = schemes_.get();
    services.business_as_usual = bau_.get();
    services.governance = governance_.get();
    services.jobs = jobs_.get();
    services.imports = imports_.get();
    services.enrolment = journey_.get();
    services.demographics = demographics_.get();
    services.training = training_.get();
    // The PDF renderer is not linked into the web library: the tests see
    // what the page asked it to print.
    services.render_certificate = [this](const exports::CpdCertificate& c)
        -> core::Result<std::vector<std::uint8_t>> {
      printed_.push_back(c);
      const std::string pdf = "%PDF-1.7 certificate " + c.certificate_id;
      return std::vector<std::uint8_t>(pdf.begin(), pdf.end());
    };
    ctx_ = std::make_unique<PageContext>(
        PageContext{renderer_, policy_, *sessions_, *db_, clock_, PageChrome{}, services});
    add_signed_in_pages(router_, *ctx_);

    tokens_["trainee"] = start("trainee", {std::string(core::capability::kMenteeParticipate)});
    tokens_["other"] = start("other", {std::string(core::capability::kMenteeParticipate)});
    tokens_["mentor"] = start("mentor", {std::string(core::capability::kMentorParticipate)});
    tokens_["admin"] = start("admin", {std::string(core::capability::kSchemeManage),
                                       std::string(core::capability::kPairingAssign)});
  }
  void TearDown() override {
    imports_.reset();  // stops the worker before the database goes
    ctx_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  std::string start(const std::string& who, std::vector<std::string> caps) {
    std::string token;
    core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
      auto n = sessions_->create(s, {accounts_[who], deployment_, {}, scheme_, caps});
      if (!n) return n.status();
      token = n->token;
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return token;
  }

  http::Response get(const std::string& who, const std::string& target) {
    return router_.handle(testing::get(target, {{"Cookie", "mentoring_session=" + tokens_[who]}}));
  }

  http::Response post(const std::string& who, const std::string& target, const Form& form) {
    http::Request req = testing::get(target, {{"Cookie", "mentoring_session=" + tokens_[who]},
                                              {"Content-Type", "application/x-www-form-urlencoded"}});
    req.method = "POST";
    req.body = form_encode(form);
    return router_.handle(req);
  }

  // The form on `path` as the page drew it (its two tokens), with `fields` added.
  Form form_of(const std::string& who, const std::string& path, const Form& fields) {
    http::Response page = get(who, path);
    EXPECT_EQ(page.status, 200) << page.body;
    Form f{{"csrf_token", hidden_value(page.body, "csrf_token")}, {"form_token", hidden_value(page.body, "form_token")}};
    for (const auto& c : fields) f.push_back(c);
    return f;
  }

  static constexpr const char* kPlatform = "https://portal.example.nhs.uk";
  std::filesystem::path dir_;
  core::FixedClock clock_{kFixtureT0 * 1000};
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<storage::SociSetupDatabase> setup_db_;
  std::unique_ptr<storage::AesGcmCipher> cipher_;
  Renderer renderer_;
  SecurityPolicy policy_;
  std::unique_ptr<SessionManager> sessions_;
  std::unique_ptr<app::ProfileService> profiles_;
  std::unique_ptr<app::EligibilityService> eligibility_;
  std::unique_ptr<app::SchemeSetup> schemes_;
  std::unique_ptr<app::GovernanceService> governance_;
  std::unique_ptr<app::JobService> jobs_;
  std::unique_ptr<app::EnrolmentJourney> journey_;
  std::unique_ptr<app::DemographicsService> demographics_;
  std::unique_ptr<app::BulkImportService> bulk_;
  std::unique_ptr<app::BusinessAsUsualService> bau_;
  std::unique_ptr<app::ImportJobs> imports_;
  std::unique_ptr<app::TrainingService> training_;
  std::vector<exports::CpdCertificate> printed_;
  std::unique_ptr<PageContext> ctx_;
  http::Router router_;
  std::map<std::string, std::int64_t> accounts_;
  std::map<std::string, std::string> tokens_;
  std::int64_t deployment_ = 0, scheme_ = 0, cohort_ = 0;
};

}  // namespace mentoring::web::testing
