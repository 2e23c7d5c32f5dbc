// Demographic monitoring through the API: answers are validated and stored
// encrypted, read only with the confidential-data right (and every read
// audited), re-encrypted on request, counted with small numbers withheld,
// and switched off without a key.
#include <soci/soci.h>

#include "storage/audit_soci_stores.h"
#include "tests/adapters/api/audit_api_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

class DemographicsApiTest : public RecordsApiTest {
 protected:
  std::string path(std::int64_t id) { return "/api/v1/accounts/" + std::to_string(id) + "/demographics"; }
  http::Response save(std::int64_t id, const json::object& answers, std::int64_t actor) {
    return call("PUT", path(id), json::value(answers), {as(actor)});
  }
  std::string stored_ciphertext(std::int64_t id) {
    std::string ct;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT ciphertext FROM mentoring_demographics WHERE accountid = :id", soci::use(id), soci::into(ct);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok());
    return ct;
  }
  int stored_key_version(std::int64_t id) {
    int v = 0;
    core::Status st = db_->with_session([&](soci::session& sql) {
      sql << "SELECT key_version FROM mentoring_demographics WHERE accountid = :id", soci::use(id), soci::into(v);
      return core::Status::ok();
    });
    EXPECT_TRUE(st.is_ok());
    return v;
  }
  std::int64_t reads_audited(std::int64_t id) {
    return count_rows("audit_log", "action = 'confidential_read' AND entity_type = 'demographics' AND entityid = " +
                                       std::to_string(id));
  }
};

TEST_F(DemographicsApiTest, AnswersAreStoredEncryptedAndReadOnlyByTheConfidentialDataLead) {
  http::Response saved =
      save(ada_, {{"ethnicity", "mixed"}, {"religion", "prefer_not_to_say"}, {"sexual_orientation", nullptr}}, ada_);
  ASSERT_EQ(saved.status, 200) << saved.body;
  EXPECT_EQ(body_of(saved)["key_version"].as_int64(), 1);
  const std::string ct = stored_ciphertext(ada_);
  EXPECT_FALSE(ct.empty());
  EXPECT_EQ(ct.find(storage::to_hex("mixed")), std::string::npos);
  EXPECT_EQ(ct.find("mixed"), std::string::npos);

  // The service alone, or another account, may not read them.
  http::Response as_service = get(path(ada_));
  EXPECT_EQ(as_service.status, 403) << as_service.body;
  EXPECT_EQ(reason_of(as_service), "confidential_access_required");
  EXPECT_EQ(get(path(ada_), {as(bea_)}).status, 403);
  EXPECT_EQ(reads_audited(ada_), 0);

  // The person themselves may, and so may the confidential data lead.
  http::Response own = get(path(ada_), {as(ada_)});
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(body_of(own)["answers"].as_object()["ethnicity"].as_string(), "mixed");
  EXPECT_FALSE(body_of(own)["answers"].as_object().contains("sexual_orientation"));
  make_confidential_lead(bea_);
  http::Response lead = get(path(ada_), {as(bea_)});
  ASSERT_EQ(lead.status, 200) << lead.body;
  EXPECT_EQ(body_of(lead)["answers"].as_object()["religion"].as_string(), "prefer_not_to_say");
  EXPECT_EQ(reads_audited(ada_), 2);
  EXPECT_EQ(count_rows("audit_log", "action = 'confidential_read' AND actorid = " + std::to_string(bea_)), 1);
}

TEST_F(DemographicsApiTest, BadAnswersAreRefusedAndChangeNothing) {
  ASSERT_EQ(save(ada_, {{"sex", "female"}}, ada_).status, 200);
  const std::string before = stored_ciphertext(ada_);
  const std::int64_t audit_before = count_rows("audit_log");
  struct Case {
    json::object body;
    const char* reason;
  };
  for (const Case& c : {Case{{{"sex", "sometimes"}}, "demographics_answer_invalid"},
                        Case{{{"favourite_colour", "blue"}}, "demographics_question_unknown"},
                        Case{{{"age_band", 30}}, "field_not_string"}}) {
    http::Response res = save(ada_, c.body, ada_);
    EXPECT_EQ(res.status, 400) << res.body;
    EXPECT_EQ(reason_of(res), c.reason);
  }
  EXPECT_EQ(save(999999, {{"sex", "male"}}, ada_).status, 404);
  EXPECT_EQ(stored_ciphertext(ada_), before);
  EXPECT_EQ(count_rows("demographics"), 1);
  EXPECT_EQ(count_rows("audit_log"), audit_before);
}

TEST_F(DemographicsApiTest, WithoutAKeyEveryRouteSaysDemographicsDisabled) {
  rebuild("");
  for (const auto& [method, target] :
       std::vector<std::pair<std::string, std::string>>{{"GET", "/api/v1/demographics/questions"},
                                                        {"GET", path(ada_)},
                                                        {"DELETE", path(ada_)},
                                                        {"POST", "/api/v1/demographics/rekey"},
                                                        {"GET", "/api/v1/demographics/counts?question=sex"}}) {
    http::Response res = send(method, target, "", "", {as(ada_)});
    EXPECT_EQ(res.status, 409) << method << " " << target << ": " << res.body;
    EXPECT_EQ(reason_of(res), "demographics_disabled") << target;
  }
  http::Response put = save(ada_, {{"sex", "male"}}, ada_);
  EXPECT_EQ(reason_of(put), "demographics_disabled");
  EXPECT_EQ(count_rows("demographics"), 0);
}

TEST_F(DemographicsApiTest, RekeyMovesEveryRecordToTheCurrentKey) {
  ASSERT_EQ(save(ada_, {{"disability", "yes"}}, ada_).status, 200);
  ASSERT_EQ(save(bea_, {{"disability", "no"}}, bea_).status, 200);
  rebuild(std::string("1:") + kDemographicsKey1 + ",2:" + kDemographicsKey2);
  // Rekeying reads every record: the confidential data lead only.
  EXPECT_EQ(send("POST", "/api/v1/demographics/rekey").status, 403);
  make_confidential_lead(bea_);
  http::Response rekeyed = send("POST", "/api/v1/demographics/rekey", "", "", {as(bea_)});
  ASSERT_EQ(rekeyed.status, 200) << rekeyed.body;
  EXPECT_EQ(body_of(rekeyed)["reencrypted"].as_int64(), 2);
  EXPECT_EQ(body_of(rekeyed)["key_version"].as_int64(), 2);
  EXPECT_EQ(stored_key_version(ada_), 2);
  http::Response again = send("POST", "/api/v1/demographics/rekey", "", "", {as(bea_)});
  EXPECT_EQ(body_of(again)["reencrypted"].as_int64(), 0);
  EXPECT_EQ(body_of(again)["already_current"].as_int64(), 2);
  // Key 1 can now be dropped.
  rebuild(std::string("2:") + kDemographicsKey2);
  http::Response read = get(path(ada_), {as(ada_)});
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(body_of(read)["answers"].as_object()["disability"].as_string(), "yes");
}

TEST_F(DemographicsApiTest, ARecordUnderARetiredKeyIsReportedNotGuessed) {
  ASSERT_EQ(save(ada_, {{"sex", "male"}}, ada_).status, 200);
  rebuild(std::string("2:") + kDemographicsKey2);
  http::Response read = get(path(ada_), {as(ada_)});
  EXPECT_EQ(read.status, 409) << read.body;
  EXPECT_EQ(reason_of(read), "demographics_key_unknown");
}

TEST_F(DemographicsApiTest, CountsByGroupWithholdSmallNumbers) {
  std::vector<std::int64_t> people;
  for (int i = 0; i < 14; ++i) people.push_back(account("sub-p" + std::to_string(i), "Dr P" + std::to_string(i), ""));
  for (int i = 0; i < 14; ++i)
    ASSERT_EQ(save(people[i], {{"ethnicity", i < 12 ? "white" : "asian"}}, people[i]).status, 200);
  http::Response res = get("/api/v1/demographics/counts?question=ethnicity");
  ASSERT_EQ(res.status, 200) << res.body;
  json::object body = body_of(res);
  bool saw_asian = false;
  for (const auto& g : body["groups"].as_array()) {
    json::object o = g.as_object();
    if (o["group"].as_string() == "asian") {
      saw_asian = true;
      EXPECT_TRUE(o["count"].is_null());
      EXPECT_EQ(o["suppression"].as_string(), "primary");
    }
    // No cell may show the small number, or let it be worked out from the total.
    if (o["count"].is_int64()) {
      EXPECT_NE(o["count"].as_int64(), 2);
    }
  }
  EXPECT_TRUE(saw_asian);
  EXPECT_EQ(body["total"].as_object()["count"].as_int64(), 14);
  for (const auto& g : body["groups"].as_array())
    if (g.as_object().at("group").as_string() == "white") {
      EXPECT_TRUE(g.as_object().at("count").is_null());
    }
  // Counts read no individual answers out, so they are not confidential reads.
  EXPECT_EQ(count_rows("audit_log", "action = 'confidential_read'"), 0);

  EXPECT_EQ(reason_of(get("/api/v1/demographics/counts?question=shoe_size")), "demographics_question_unknown");
  EXPECT_EQ(reason_of(get("/api/v1/demographics/counts")), "field_required");
}

TEST_F(DemographicsApiTest, WithdrawingAnswersRemovesTheRecord) {
  ASSERT_EQ(save(ada_, {{"sex", "female"}}, ada_).status, 200);
  http::Response removed = send("DELETE", path(ada_), "", "", {as(ada_)});
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(body_of(removed)["removed"].as_bool());
  EXPECT_EQ(count_rows("demographics"), 0);
  EXPECT_EQ(reason_of(get(path(ada_), {as(ada_)})), "demographics_not_found");
}

}  // namespace
}  // namespace mentoring::testing
