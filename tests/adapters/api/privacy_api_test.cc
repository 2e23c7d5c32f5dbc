// A person's data through the API: the subject access export holds every
// row about them (demographics decrypted) and is audited; erasure needs a
// confirmation, follows the privacy map in one transaction and leaves an
// audit entry without personal data; erase_account joins a caller's
// transaction; the CPD certificate states the period's hours.
#include "tests/adapters/api/audit_api_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

class PrivacyApiTest : public RecordsApiTest {
 protected:
  std::string path(std::int64_t id, const std::string& rest) { return "/api/v1/accounts/" + std::to_string(id) + rest; }
  void add_cpd(std::int64_t id, const char* date, double hours) {
    http::Response res = call("POST", path(id, "/cpd"),
                              json::value(json::object{{"date", date}, {"hours", hours}, {"activity", "Mentoring"}}));
    ASSERT_EQ(res.status, 201) << res.body;
  }
  void give_everything(std::int64_t id) {
    ASSERT_EQ(call("PUT", path(id, "/mentee-profile"),
                   json::value(json::object{
                       {"career_stage", "fy1"}, {"region", "North West"}, {"goals", "Settle into my first post."}}))
                  .status,
              200);
    add_cpd(id, "2026-05-01", 1.5);
    ASSERT_EQ(
        call("PUT", path(id, "/demographics"), json::value(json::object{{"age_band", "25_to_29"}}), {as(id)}).status,
        200);
    ASSERT_EQ(call("POST", "/api/v1/cohorts/" + std::to_string(cohort_) + "/enrolments",
                   json::value(json::object{{"accountid", id}, {"role", "mentee"}}))
                  .status,
              201);
  }
};

TEST_F(PrivacyApiTest, TheExportHoldsEverythingAboutThePersonAndIsAudited) {
  give_everything(ada_);
  give_everything(bea_);
  http::Response res = get(path(ada_, "/export"), {as(ada_)});
  ASSERT_EQ(res.status, 200) << res.body;
  json::object body = body_of(res);
  EXPECT_EQ(body["account"].as_object()["email"].as_string(), "ada@example.nhs.uk");
  json::object tables = body["tables"].as_object();
  ASSERT_EQ(tables["mentee_profiles"].as_array().size(), 1u);
  EXPECT_EQ(tables["mentee_profiles"].as_array()[0].as_object()["goals"].as_string(), "Settle into my first post.");
  ASSERT_EQ(tables["cpd_entries"].as_array().size(), 1u);
  EXPECT_EQ(tables["cpd_entries"].as_array()[0].as_object()["accountid"].as_int64(), ada_);
  EXPECT_EQ(tables["enrolments"].as_array().size(), 1u);
  EXPECT_FALSE(tables.contains("demographics"));
  EXPECT_EQ(body["demographics"].as_object()["age_band"].as_string(), "25_to_29");
  EXPECT_EQ(res.body.find("Dr Bea Jones"), std::string::npos);
  EXPECT_EQ(count_rows("audit_log", "action = 'export' AND entity_type = 'account' AND entityid = " +
                                        std::to_string(ada_) + " AND actorid = " + std::to_string(ada_)),
            1);
  EXPECT_EQ(get(path(999999, "/export")).status, 404);
}

TEST_F(PrivacyApiTest, EraseNeedsConfirmationAndOtherwiseChangesNothing) {
  give_everything(ada_);
  const std::int64_t audit_before = count_rows("audit_log");
  for (const std::string& body : {std::string("{}"), std::string("{\"confirm\":false}"),
                                  std::string("{\"confirm\":\"yes\"}"), std::string("{\"confirm\":true,\"x\":1}")}) {
    http::Response res = send("POST", path(ada_, "/erase"), body, "application/json");
    EXPECT_EQ(res.status, 400) << body << ": " << res.body;
  }
  EXPECT_EQ(send("POST", path(ada_, "/erase"), "", "application/json").status, 400);
  EXPECT_EQ(count_rows("mentee_profiles"), 1);
  EXPECT_EQ(count_rows("accounts", "email = 'ada@example.nhs.uk'"), 1);
  EXPECT_EQ(count_rows("audit_log"), audit_before);
}

TEST_F(PrivacyApiTest, EraseFollowsThePrivacyMapAndTheAuditEntryNamesNoOne) {
  give_everything(ada_);
  give_everything(bea_);
  http::Response res = call("POST", path(ada_, "/erase"), json::value(json::object{{"confirm", true}}), {as(bea_)});
  ASSERT_EQ(res.status, 200) << res.body;
  json::object tables = body_of(res)["tables"].as_object();
  EXPECT_EQ(tables["mentee_profiles"].as_int64(), 1);
  EXPECT_EQ(tables["cpd_entries"].as_int64(), 1);
  EXPECT_EQ(tables["demographics"].as_int64(), 1);
  EXPECT_EQ(tables["enrolments"].as_int64(), 1);
  const std::string a = std::to_string(ada_);
  EXPECT_EQ(count_rows("mentee_profiles", "accountid = " + a), 0);
  EXPECT_EQ(count_rows("demographics", "accountid = " + a), 0);
  EXPECT_EQ(count_rows("enrolments", "accountid = " + a + " AND status = 'withdrawn'"), 1);
  EXPECT_EQ(count_rows("accounts", "id = " + a + " AND display_name = '' AND email = ''"), 1);
  EXPECT_EQ(count_rows("mentee_profiles"), 1);  // Bea's

  http::Response log = get("/api/v1/audit?action=erase");
  ASSERT_EQ(log.status, 200);
  json::array items = body_of(log)["items"].as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_EQ(items[0].as_object()["entityid"].as_int64(), ada_);
  EXPECT_EQ(items[0].as_object()["actorid"].as_int64(), bea_);
  EXPECT_EQ(log.body.find("Ada"), std::string::npos);
  EXPECT_EQ(log.body.find("ada@"), std::string::npos);

  // The export now says only what is left: an anonymous account.
  http::Response after = get(path(ada_, "/export"));
  ASSERT_EQ(after.status, 200);
  EXPECT_EQ(after.body.find("Ada"), std::string::npos);
  EXPECT_TRUE(body_of(after)["demographics"].is_null());
}

TEST_F(PrivacyApiTest, EraseAccountJoinsTheCallersTransaction) {
  give_everything(ada_);
  const std::int64_t audit_before = count_rows("audit_log");
  core::Status st = db_->transact([&](core::Stores& s) -> core::Status {
    auto erased = app::PrivacyService::erase_account(s, ada_, clock_.now());
    if (!erased) return erased.status();
    return core::Status::conflict("later_step_failed", "A later step of the caller's command failed.");
  });
  EXPECT_EQ(st.reason(), "later_step_failed");
  EXPECT_EQ(count_rows("mentee_profiles"), 1);
  EXPECT_EQ(count_rows("accounts", "email = 'ada@example.nhs.uk'"), 1);
  EXPECT_EQ(count_rows("audit_log"), audit_before);

  st = db_->transact([&](core::Stores& s) { return app::PrivacyService::erase_account(s, ada_, 1).status(); });
  ASSERT_TRUE(st.is_ok()) << st.to_string();
  EXPECT_EQ(count_rows("mentee_profiles"), 0);
  EXPECT_EQ(count_rows("audit_log", "action = 'erase' AND actorid IS NULL"), 1);
}

TEST_F(PrivacyApiTest, TheCpdCertificateStatesThePeriodsHours) {
  add_cpd(bea_, "2026-04-02", 1.25);
  add_cpd(bea_, "2026-06-30", 2);
  add_cpd(bea_, "2026-03-31", 5);  // the previous appraisal year
  const std::string s = std::to_string(scheme_);
  http::Response res =
      get(path(bea_, "/cpd/certificate.pdf?schemeid=" + s + "&issuer=NHS%20England%20North%20West"), {as(bea_)});
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(res.header("Content-Type"), "application/pdf");
  ASSERT_EQ(printed_.size(), 1u);
  const exports::CpdCertificate& c = printed_[0];
  EXPECT_EQ(c.mentor_name, "Dr Bea Jones");
  EXPECT_EQ(c.scheme_name, "FY1 mentoring");
  EXPECT_EQ(c.issuer, "NHS England North West");
  EXPECT_DOUBLE_EQ(c.hours, 3.25);
  EXPECT_EQ(c.sessions, 2);
  EXPECT_EQ(c.period_start.to_string(), "2026-04-01");
  EXPECT_EQ(c.period_end.to_string(), "2026-07-01");
  EXPECT_EQ(c.certificate_id, "CPD-" + std::to_string(bea_) + "-20260701");
  EXPECT_EQ(count_rows("audit_log", "action = 'export' AND summary = 'CPD certificate issued'"), 1);

  http::Response last_year = get(path(bea_, "/cpd/certificate.pdf?schemeid=" + s + "&from=2025-04-01&to=2026-03-31"));
  ASSERT_EQ(last_year.status, 200);
  EXPECT_DOUBLE_EQ(printed_.back().hours, 5);

  EXPECT_EQ(reason_of(get(path(ada_, "/cpd/certificate.pdf?schemeid=" + s))), "cpd_certificate_empty");
  EXPECT_EQ(reason_of(get(path(bea_, "/cpd/certificate.pdf?schemeid=" + s + "&from=2026-05-01&to=2026-04-01"))),
            "cpd_period_out_of_order");
  EXPECT_EQ(get(path(bea_, "/cpd/certificate.pdf?schemeid=" + s + "&from=2026-13-01")).status, 400);
  EXPECT_EQ(get(path(bea_, "/cpd/certificate.pdf")).status, 400);
  EXPECT_EQ(get(path(bea_, "/cpd/certificate.pdf?schemeid=999999")).status, 404);
  EXPECT_EQ(printed_.size(), 2u);
}

}  // namespace
}  // namespace mentoring::testing
