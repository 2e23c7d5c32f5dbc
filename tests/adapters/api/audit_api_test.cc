// The audit log through the API: every set-up write and enrolment leaves an
// entry naming the actor, in the same transaction (a refused write leaves
// none), and GET /api/v1/audit filters and pages.
#include "tests/adapters/api/audit_api_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

class AuditApiTest : public RecordsApiTest {
 protected:
  json::array audit_items(const std::string& query = "") {
    http::Response res = get("/api/v1/audit" + query);
    EXPECT_EQ(res.status, 200) << res.body;
    if (res.status != 200) return {};
    return body_of(res)["items"].as_array();
  }
  json::object cpd(double hours) {
    return {{"date", "2026-06-01"}, {"hours", hours}, {"activity", "Mentoring meeting"}};
  }
};

TEST_F(AuditApiTest, WritesAreAuditedWithTheActorTheHostNames) {
  http::Response added =
      call("POST", "/api/v1/accounts/" + std::to_string(ada_) + "/cpd", json::value(cpd(1.5)), {as(ada_)});
  ASSERT_EQ(added.status, 201) << added.body;
  const std::int64_t entry_id = body_of(added)["id"].as_int64();

  json::array items = audit_items("?entity=cpd_entry");
  ASSERT_EQ(items.size(), 1u);
  json::object e = items[0].as_object();
  EXPECT_EQ(e["action"].as_string(), "create");
  EXPECT_EQ(e["entityid"].as_int64(), entry_id);
  EXPECT_EQ(e["actorid"].as_int64(), ada_);
  EXPECT_EQ(e["actor"].as_string(), "account");
  EXPECT_EQ(e["time"].as_int64(), kRecordsNowMs / 1000);
  // The summary is a fixed phrase, not what was typed.
  EXPECT_EQ(std::string(e["summary"].as_string()).find("Mentoring meeting"), std::string::npos);

  // Without the header the host's back end itself is the actor.
  ASSERT_EQ(call("POST", "/api/v1/accounts/" + std::to_string(ada_) + "/cpd", json::value(cpd(1))).status, 201);
  items = audit_items("?entity=cpd_entry&actor=service");
  ASSERT_EQ(items.size(), 1u);
  EXPECT_TRUE(items[0].as_object()["actorid"].is_null());
}

TEST_F(AuditApiTest, ARefusedWriteLeavesNoEntry) {
  const std::int64_t before = count_rows("audit_log");
  http::Response bad =
      call("POST", "/api/v1/accounts/" + std::to_string(ada_) + "/cpd", json::value(cpd(0.3)), {as(ada_)});
  EXPECT_EQ(bad.status, 400) << bad.body;
  http::Response missing = call("POST", "/api/v1/accounts/999999/cpd", json::value(cpd(1)), {as(ada_)});
  EXPECT_EQ(missing.status, 404) << missing.body;
  EXPECT_EQ(count_rows("audit_log"), before);
  EXPECT_EQ(count_rows("cpd_entries"), 0);
}

TEST_F(AuditApiTest, ABadActorHeaderIsRefusedBeforeAnythingIsWritten) {
  const std::int64_t before = count_rows("audit_log");
  for (const char* value : {"", "0", "-3", "abc", "12x", "service"}) {
    http::Response res = call("POST", "/api/v1/accounts/" + std::to_string(ada_) + "/cpd", json::value(cpd(1)),
                              {{"X-Mentoring-Actor", value}});
    EXPECT_EQ(res.status, 400) << value << ": " << res.body;
    EXPECT_EQ(reason_of(res), "actor_invalid") << value;
  }
  EXPECT_EQ(count_rows("cpd_entries"), 0);
  EXPECT_EQ(count_rows("audit_log"), before);
}

TEST_F(AuditApiTest, SetUpChangesAndEnrolmentsAreAllAudited) {
  ASSERT_EQ(call("PUT", "/api/v1/schemes/" + std::to_string(scheme_) + "/audience",
                 json::value(json::object{{"regions", json::array{"North West"}}}))
                .status,
            200);
  ASSERT_EQ(call("PUT", "/api/v1/schemes/" + std::to_string(scheme_) + "/agreement",
                 json::value(json::object{{"frequency", "monthly"},
                                          {"meeting_minutes", 60},
                                          {"duration_months", 12},
                                          {"confidentiality", "What we discuss stays between us."}}))
                .status,
            200);
  ASSERT_EQ(call("PUT", "/api/v1/schemes/" + std::to_string(scheme_) + "/training-modules",
                 json::value(json::object{{"modules", json::array{json::object{{"code", "mentoring_skills"},
                                                                               {"title", "Mentoring skills"},
                                                                               {"required", true}}}}}))
                .status,
            200);
  http::Response enrolled = call("POST", "/api/v1/cohorts/" + std::to_string(cohort_) + "/enrolments",
                                 json::value(json::object{{"accountid", bea_}, {"role", "mentor"}}));
  ASSERT_EQ(enrolled.status, 201) << enrolled.body;
  const std::int64_t enrolment = body_of(enrolled)["id"].as_int64();
  ASSERT_EQ(send("POST", "/api/v1/enrolments/" + std::to_string(enrolment) + "/withdraw").status, 200);

  EXPECT_EQ(audit_items("?entity=eligibility&entityid=" + std::to_string(scheme_)).size(), 1u);
  EXPECT_EQ(audit_items("?entity=agreement_template").size(), 1u);
  EXPECT_EQ(audit_items("?entity=training_modules").size(), 1u);
  json::array enrolment_entries = audit_items("?entity=enrolment&entityid=" + std::to_string(enrolment));
  ASSERT_EQ(enrolment_entries.size(), 2u);
  EXPECT_EQ(enrolment_entries[0].as_object()["action"].as_string(), "update");  // newest first
  EXPECT_EQ(enrolment_entries[1].as_object()["action"].as_string(), "create");
  EXPECT_EQ(enrolment_entries[1].as_object()["summary"].as_string(), "enrolled as mentor");

  // Saving the same agreement again changes nothing, so it is not audited.
  ASSERT_EQ(call("PUT", "/api/v1/schemes/" + std::to_string(scheme_) + "/agreement",
                 json::value(json::object{{"frequency", "monthly"},
                                          {"meeting_minutes", 60},
                                          {"duration_months", 12},
                                          {"confidentiality", "What we discuss stays between us."}}))
                .status,
            200);
  EXPECT_EQ(audit_items("?entity=agreement_template").size(), 1u);
}

TEST_F(AuditApiTest, ListsFilterByActionAndTimeAndPage) {
  for (int i = 0; i < 5; ++i) {
    clock_.set_ms(kRecordsNowMs + i * 1000);
    ASSERT_EQ(call("POST", "/api/v1/accounts/" + std::to_string(ada_) + "/cpd", json::value(cpd(1))).status, 201);
  }
  const std::int64_t t0 = kRecordsNowMs / 1000;
  json::object page = body_of(get("/api/v1/audit?entity=cpd_entry&limit=2&offset=1"));
  EXPECT_EQ(page["total"].as_int64(), 5);
  ASSERT_EQ(page["items"].as_array().size(), 2u);
  EXPECT_EQ(page["items"].as_array()[0].as_object()["time"].as_int64(), t0 + 3);
  EXPECT_EQ(audit_items("?entity=cpd_entry&from=" + std::to_string(t0 + 1) + "&until=" + std::to_string(t0 + 3)).size(),
            2u);
  EXPECT_EQ(audit_items("?action=create&entity=cpd_entry").size(), 5u);
  EXPECT_EQ(audit_items("?action=erase").size(), 0u);
  EXPECT_EQ(audit_items("?entity=cpd_entry&from=2026-07-01").size(), 5u);
  EXPECT_EQ(audit_items("?entity=cpd_entry&until=2026-07-01").size(), 0u);
}

TEST_F(AuditApiTest, BadFiltersAreRefusedNamingTheParameter) {
  struct Case {
    const char* query;
    const char* reason;
  };
  for (const Case& c :
       {Case{"?action=read", "audit_action_invalid"}, Case{"?actor=bob", "audit_actor_invalid"},
        Case{"?entity=Bad-Type", "audit_entity_type_invalid"}, Case{"?entityid=4", "audit_entity_id_without_type"},
        Case{"?from=yesterday", "audit_time_invalid"}, Case{"?from=200&until=100", "audit_time_range_invalid"},
        Case{"?limit=-1", "page_limit_invalid"}}) {
    http::Response res = get(std::string("/api/v1/audit") + c.query);
    EXPECT_EQ(res.status, 400) << c.query << ": " << res.body;
    if (std::string(c.reason) != "page_limit_invalid") {
      EXPECT_EQ(reason_of(res), c.reason) << c.query;
    }
  }
  EXPECT_EQ(send("GET", "/api/v1/audit", "", "", {}, false).status, 401);
}

}  // namespace
}  // namespace mentoring::testing
