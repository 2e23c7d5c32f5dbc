// An in-process plugin for the audit, demographics, import and privacy API
// tests: the real routers, use cases and an SQLite database in a temporary
// directory, driven with HTTP request values.
#pragma once

#include <gtest/gtest.h>
#include <soci/soci.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "adapters/api/api.h"
#include "adapters/api/audit_api.h"
#include "adapters/api/demographics_api.h"
#include "adapters/api/import_api.h"
#include "adapters/api/privacy_api.h"
#include "adapters/api/setup_api.h"
#include "adapters/http/router.h"
#include "app/audit.h"
#include "app/bulk_import.h"
#include "app/demographics.h"
#include "app/privacy.h"
#include "app/setup_objectives.h"
#include "app/setup_profiles.h"
#include "app/setup_training.h"
#include "storage/aes_gcm.h"
#include "storage/database.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::testing {

inline constexpr const char* kRecordsToken = "records-service-token-0123456789abcdef";
// Bytes 0..31 and 32..63, base64.
inline constexpr const char* kDemographicsKey1 = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
inline constexpr const char* kDemographicsKey2 = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";
// 2026-07-01T12:00:00Z: inside the cohort's enrolment window.
inline constexpr std::int64_t kRecordsNowMs = 1782907200000;

class RecordsApiTest : public ::testing::Test {
 protected:
  // The keyring the demographics service uses; tests may set it before
  // SetUp() runs (in their constructor) or call rebuild().
  std::string keys_ = std::string("1:") + kDemographicsKey1;

  void SetUp() override {
    std::random_device rd;
    dir_ = std::filesystem::temp_directory_path() /
           ("mentoring-records-api-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(dir_);
    auto db = storage::open_database({.url = "sqlite3:" + (dir_ / "api.db").string()});
    ASSERT_TRUE(db.is_ok()) << db.status().to_string();
    db_ = std::move(db).value();
    auto v = db_->migrate();
    ASSERT_TRUE(v.is_ok()) << v.status().to_string();
    setup_db_ = std::make_unique<storage::SociSetupDatabase>(*db_);
    accounts_ = std::make_unique<app::Accounts>(*db_, clock_);
    schemes_ = std::make_unique<app::SchemeSetup>(*db_, clock_);
    enrolments_ = std::make_unique<app::EnrolmentService>(*db_, clock_);
    objectives_ = std::make_unique<app::ObjectiveService>(*setup_db_, clock_);
    governance_ = std::make_unique<app::GovernanceService>(*setup_db_, clock_);
    eligibility_ = std::make_unique<app::EligibilityService>(*setup_db_, clock_);
    profiles_ = std::make_unique<app::ProfileService>(*setup_db_, clock_);
    training_ = std::make_unique<app::TrainingService>(*setup_db_, clock_);
    agreements_ = std::make_unique<app::AgreementService>(*setup_db_, clock_);
    audit_ = std::make_unique<app::AuditService>(*db_);
    imports_ = std::make_unique<app::BulkImportService>(*db_, clock_);
    rebuild(keys_);

    scheme_ = create("POST", "/api/v1/schemes",
                     {{"name", "FY1 mentoring"},
                      {"type", "near_peer"},
                      {"aims", "- Prepare FY1 doctors for practice\n- Improve retention"}});
    cohort_ = create("POST", "/api/v1/schemes/" + std::to_string(scheme_) + "/cohorts",
                     {{"name", "August 2026"},
                      {"opens_on", "2026-06-10"},
                      {"closes_on", "2026-08-05"},
                      {"starts_on", "2026-08-05"},
                      {"ends_on", "2027-08-04"}});
    ada_ = account("sub-ada", "Dr Ada Lovelace", "ada@example.nhs.uk");
    bea_ = account("sub-bea", "Dr Bea Jones", "bea@example.nhs.uk");
  }

  // Rebuilds the services and routes with keyring `keys` (same database).
  void rebuild(const std::string& keys, int version = 0) {
    router_ = http::Router();
    auto cipher = storage::AesGcmCipher::from_config(keys, version);
    ASSERT_TRUE(cipher.is_ok()) << cipher.status().to_string();
    cipher_ = std::move(cipher).value();
    demographics_ = std::make_unique<app::DemographicsService>(*db_, clock_, *cipher_);
    privacy_ = std::make_unique<app::PrivacyService>(*db_, clock_, cipher_.get());
    api_ = std::make_unique<api::ApiContext>(
        api::ApiContext{*db_, *accounts_, *schemes_, *enrolments_, kRecordsToken, "test"});
    setup_api_ = std::make_unique<api::SetupApiContext>(api::SetupApiContext{
        *objectives_, *governance_, *eligibility_, *profiles_, *training_, *agreements_, kRecordsToken});
    audit_api_ = std::make_unique<api::AuditApiContext>(api::AuditApiContext{*audit_, kRecordsToken});
    demographics_api_ =
        std::make_unique<api::DemographicsApiContext>(api::DemographicsApiContext{*demographics_, kRecordsToken});
    import_api_ = std::make_unique<api::ImportApiContext>(api::ImportApiContext{*imports_, kRecordsToken, limits_});
    // The PDF renderer lives in another library; here a stand-in records
    // what it was asked to print (the PDF itself is checked end to end by
    // integration/test_records.py with pdftotext).
    privacy_api_ = std::make_unique<api::PrivacyApiContext>(
        api::PrivacyApiContext{*privacy_, *training_,
                               [this](const exports::CpdCertificate& c) -> core::Result<std::vector<std::uint8_t>> {
                                 printed_.push_back(c);
                                 const std::string text = "%PDF-stand-in " + c.mentor_name;
                                 return std::vector<std::uint8_t>(text.begin(), text.end());
                               },
                               kRecordsToken});
    api::add_api_routes(router_, *api_);
    api::add_setup_routes(router_, *setup_api_);
    api::add_audit_routes(router_, *audit_api_);
    api::add_demographics_routes(router_, *demographics_api_);
    api::add_import_routes(router_, *import_api_);
    api::add_privacy_routes(router_, *privacy_api_);
  }

  void TearDown() override {
    router_ = http::Router();
    privacy_api_.reset();
    import_api_.reset();
    demographics_api_.reset();
    audit_api_.reset();
    setup_api_.reset();
    api_.reset();
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  http::Response send(const std::string& method, const std::string& target, const std::string& body = "",
                      const std::string& content_type = "", const std::vector<http::Header>& headers = {},
                      bool with_token = true) {
    http::Request req;
    req.method = method;
    req.target = target;
    EXPECT_TRUE(http::parse_target(req)) << target;
    if (with_token) req.headers.push_back({"Authorization", std::string("Bearer ") + kRecordsToken});
    if (!content_type.empty()) req.headers.push_back({"Content-Type", content_type});
    for (const auto& h : headers) req.headers.push_back(h);
    req.body = body;
    return router_.handle(req);
  }
  http::Response call(const std::string& method, const std::string& target, const boost::json::value& body,
                      const std::vector<http::Header>& headers = {}) {
    return send(method, target, boost::json::serialize(body), "application/json", headers);
  }
  http::Response get(const std::string& target, const std::vector<http::Header>& headers = {}) {
    return send("GET", target, "", "", headers);
  }
  http::Response upload(const std::string& target, const std::string& csv,
                        const std::vector<http::Header>& headers = {}) {
    return send("POST", target, csv, "text/csv", headers);
  }

  static boost::json::object body_of(const http::Response& res) { return boost::json::parse(res.body).as_object(); }
  static std::string reason_of(const http::Response& res) {
    auto o = body_of(res);
    if (!o.contains("error")) return "";
    return std::string(o["error"].as_object()["reason"].as_string());
  }
  static http::Header as(std::int64_t accountid) { return {"X-Mentoring-Actor", std::to_string(accountid)}; }

  std::int64_t create(const std::string& method, const std::string& target, const boost::json::object& body) {
    http::Response res = call(method, target, boost::json::value(body));
    EXPECT_TRUE(res.status == 200 || res.status == 201) << target << ": " << res.status << " " << res.body;
    if (res.status >= 300) return 0;
    return body_of(res)["id"].as_int64();
  }
  std::int64_t account(const std::string& subject, const std::string& name, const std::string& email) {
    return create("PUT", "/api/v1/accounts",
                  {{"platform", "https://portal.example.nhs.uk"},
                   {"subject", subject},
                   {"display_name", name},
                   {"email", email}});
  }

  std::int64_t count_rows(const std::string& table, const std::string& where = "") {
    std::int64_t n = -1;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT count(*) FROM mentoring_" + table + (where.empty() ? "" : " WHERE " + where), soci::into(n);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok()) << st.to_string();
    return n;
  }

  // Makes `accountid` the scheme's confidential data lead.
  void make_confidential_lead(std::int64_t accountid) {
    http::Response res =
        call("PUT", "/api/v1/schemes/" + std::to_string(scheme_) + "/governance",
             boost::json::value(boost::json::object{
                 {"assignments", boost::json::array{boost::json::object{{"responsibility", "confidential_data"},
                                                                        {"accountid", accountid},
                                                                        {"reports_to", "Postgraduate Dean"},
                                                                        {"cadence", "quarterly"},
                                                                        {"next_report_due", "2026-09-30"}}}}}));
    ASSERT_EQ(res.status, 200) << res.body;
  }

  std::filesystem::path dir_;
  core::FixedClock clock_{kRecordsNowMs};
  core::CsvLimits limits_;
  std::unique_ptr<storage::SociDatabase> db_;
  std::unique_ptr<storage::SociSetupDatabase> setup_db_;
  std::unique_ptr<storage::AesGcmCipher> cipher_;
  std::unique_ptr<app::Accounts> accounts_;
  std::unique_ptr<app::SchemeSetup> schemes_;
  std::unique_ptr<app::EnrolmentService> enrolments_;
  std::unique_ptr<app::ObjectiveService> objectives_;
  std::unique_ptr<app::GovernanceService> governance_;
  std::unique_ptr<app::EligibilityService> eligibility_;
  std::unique_ptr<app::ProfileService> profiles_;
  std::unique_ptr<app::TrainingService> training_;
  std::unique_ptr<app::AgreementService> agreements_;
  std::unique_ptr<app::AuditService> audit_;
  std::unique_ptr<app::BulkImportService> imports_;
  std::unique_ptr<app::DemographicsService> demographics_;
  std::unique_ptr<app::PrivacyService> privacy_;
  std::unique_ptr<api::ApiContext> api_;
  std::unique_ptr<api::SetupApiContext> setup_api_;
  std::unique_ptr<api::AuditApiContext> audit_api_;
  std::unique_ptr<api::DemographicsApiContext> demographics_api_;
  std::unique_ptr<api::ImportApiContext> import_api_;
  std::unique_ptr<api::PrivacyApiContext> privacy_api_;
  std::vector<exports::CpdCertificate> printed_;
  http::Router router_;
  std::int64_t scheme_ = 0, cohort_ = 0, ada_ = 0, bea_ = 0;
};

}  // namespace mentoring::testing
