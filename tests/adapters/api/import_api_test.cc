// Bulk CSV import and export through the API: a dry run previews every row
// and writes nothing, applying is all or nothing, re-importing changes
// nothing, rows find people by subject, email or GMC number, exports are
// formula-safe and round-trip, and oversized files are refused by name.
#include "tests/adapters/api/audit_api_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

constexpr const char* kPortal = "https://portal.example.nhs.uk";

class ImportApiTest : public RecordsApiTest {
 protected:
  std::string mentees_csv(const std::vector<std::string>& rows) {
    std::string csv = "platform,subject,email,gmc_number,display_name,cohortid\r\n";
    for (const auto& r : rows) csv += r + "\r\n";
    return csv;
  }
  std::string row(const std::string& subject, const std::string& email, const std::string& gmc, const std::string& name,
                  std::int64_t cohort = 0) {
    return std::string(subject.empty() ? "" : kPortal) + "," + subject + "," + email + "," + gmc + "," + name + "," +
           std::to_string(cohort ? cohort : cohort_);
  }
  std::int64_t enrolments() { return count_rows("enrolments"); }
};

TEST_F(ImportApiTest, TemplatesListTheColumnsOfEachKind) {
  http::Response mentees = get("/api/v1/imports/mentees/template");
  ASSERT_EQ(mentees.status, 200) << mentees.body;
  EXPECT_EQ(mentees.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(mentees.body, "\xEF\xBB\xBFplatform,subject,email,gmc_number,display_name,cohortid\r\n");
  http::Response training = get("/api/v1/imports/training/template");
  EXPECT_NE(training.body.find("schemeid,module_code,completed_on,expires_on"), std::string::npos);
  EXPECT_EQ(get("/api/v1/imports/parents/template").status, 404);
}

TEST_F(ImportApiTest, ADryRunPreviewsEveryRowAndWritesNothing) {
  const std::int64_t accounts_before = count_rows("accounts");
  const std::string csv = mentees_csv({row("sub-new", "new@example.nhs.uk", "1234567", "Dr New"),
                                       row("", "ada@example.nhs.uk", "", ""), row("", "nobody@example.nhs.uk", "", ""),
                                       row("sub-x", "", "12345", "Dr X"), row("sub-y", "", "", "Dr Y", 999999)});
  http::Response res = upload("/api/v1/imports/mentees?dry_run=true", csv);
  ASSERT_EQ(res.status, 200) << res.body;
  json::object report = body_of(res);
  EXPECT_TRUE(report["dry_run"].as_bool());
  EXPECT_FALSE(report["applied"].as_bool());
  EXPECT_EQ(report["rows_read"].as_int64(), 5);
  EXPECT_EQ(report["created"].as_int64(), 2);  // the new account, and Ada's enrolment
  EXPECT_EQ(report["error_count"].as_int64(), 3);
  json::array errors = report["errors"].as_array();
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].as_object()["reason"].as_string(), "import_gmc_number_invalid");
  EXPECT_EQ(errors[0].as_object()["row"].as_int64(), 5);
  EXPECT_EQ(errors[0].as_object()["column"].as_int64(), 4);
  EXPECT_EQ(errors[1].as_object()["reason"].as_string(), "import_account_unknown");
  EXPECT_EQ(errors[1].as_object()["row"].as_int64(), 4);
  EXPECT_EQ(errors[1].as_object()["column_name"].as_string(), "email");
  EXPECT_EQ(errors[2].as_object()["reason"].as_string(), "cohort_not_found");
  json::array rows = report["rows"].as_array();
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].as_object()["detail"].as_string(), "account created; GMC number recorded; enrolled as mentee");
  EXPECT_EQ(rows[1].as_object()["accountid"].as_int64(), ada_);
  // Nothing at all was written, audit entries included.
  EXPECT_EQ(count_rows("accounts"), accounts_before);
  EXPECT_EQ(enrolments(), 0);
  EXPECT_EQ(count_rows("account_gmc"), 0);
  EXPECT_EQ(count_rows("audit_log", "action = 'import'"), 0);
}

TEST_F(ImportApiTest, ApplyingIsAllOrNothing) {
  const std::int64_t accounts_before = count_rows("accounts");
  const std::int64_t audit_before = count_rows("audit_log");
  http::Response res =
      upload("/api/v1/imports/mentees",
             mentees_csv({row("sub-new", "", "", "Dr New"), row("", "nobody@example.nhs.uk", "", "")}));
  EXPECT_EQ(res.status, 400) << res.body;
  EXPECT_EQ(reason_of(res), "import_rows_invalid");
  json::object report = body_of(res)["report"].as_object();
  EXPECT_FALSE(report["applied"].as_bool());
  EXPECT_EQ(report["errors"].as_array().size(), 1u);
  EXPECT_EQ(count_rows("accounts"), accounts_before);
  EXPECT_EQ(enrolments(), 0);
  EXPECT_EQ(count_rows("audit_log"), audit_before);
}

TEST_F(ImportApiTest, ApplyingWritesEveryRowAndReimportingChangesNothing) {
  const std::string csv =
      mentees_csv({row("sub-new", "new@example.nhs.uk", "1234567", "Dr New"),
                   row("", "ada@example.nhs.uk", "7654321", ""), row("sub-bea", "", "", "Dr Bea Jones")});
  http::Response res = upload("/api/v1/imports/mentees", csv, {as(bea_)});
  ASSERT_EQ(res.status, 200) << res.body;
  json::object report = body_of(res);
  EXPECT_TRUE(report["applied"].as_bool());
  EXPECT_EQ(report["created"].as_int64(), 3);
  EXPECT_EQ(enrolments(), 3);
  EXPECT_EQ(count_rows("account_gmc"), 2);
  EXPECT_EQ(count_rows("audit_log", "action = 'import' AND actorid = " + std::to_string(bea_)), 1);
  EXPECT_EQ(count_rows("audit_log", "entity_type = 'enrolment' AND action = 'create'"), 3);
  const std::int64_t audit_after = count_rows("audit_log");

  http::Response again = upload("/api/v1/imports/mentees", csv);
  ASSERT_EQ(again.status, 200) << again.body;
  report = body_of(again);
  EXPECT_EQ(report["unchanged"].as_int64(), 3);
  EXPECT_EQ(report["created"].as_int64(), 0);
  EXPECT_EQ(report["updated"].as_int64(), 0);
  EXPECT_EQ(enrolments(), 3);
  // Only the import's own summary entry is new.
  EXPECT_EQ(count_rows("audit_log"), audit_after + 1);

  // The same people found by GMC number alone, as mentors this time.
  http::Response mentors = upload("/api/v1/imports/mentors", mentees_csv({row("", "", "7654321", "")}));
  ASSERT_EQ(mentors.status, 200) << mentors.body;
  EXPECT_EQ(body_of(mentors)["rows"].as_array()[0].as_object()["accountid"].as_int64(), ada_);
  EXPECT_EQ(count_rows("enrolments", "role = 'mentor'"), 1);
}

TEST_F(ImportApiTest, ReadsWindows1252FilesFromOlderExcel) {
  // "Dr Zoë Brontë" in Windows-1252, with CR line ends.
  std::string csv = "subject,platform,display_name,cohortid\r" + std::string("sub-zoe,") + kPortal +
                    ",Dr Zo\xEB Bront\xEB," + std::to_string(cohort_) + "\r";
  http::Response res = upload("/api/v1/imports/mentees", csv);
  ASSERT_EQ(res.status, 200) << res.body;
  EXPECT_EQ(body_of(res)["encoding"].as_string(), "windows-1252");
  EXPECT_EQ(count_rows("accounts", "display_name = 'Dr Zo\xC3\xAB Bront\xC3\xAB'"), 1);
}

TEST_F(ImportApiTest, FileProblemsAreRefusedWithTheirReason) {
  struct Case {
    std::string csv;
    std::string content_type;
    int status;
    const char* reason;
  };
  for (const Case& c : {
           Case{"", "text/csv", 400, "csv_empty"},
           Case{"display_name,cohortid\r\nDr X,1\r\n", "text/csv", 400, "import_key_columns_missing"},
           Case{"subject,platform\r\nsub-1,x\r\n", "text/csv", 400, "csv_missing_column"},
           Case{"subject,platform,cohortid,shoe_size\r\n", "text/csv", 400, "csv_unknown_column"},
           Case{"subject,cohortid\r\n\"sub-1,1\r\n", "text/csv", 400, "csv_unbalanced_quote"},
           Case{"subject,cohortid\r\nsub,1\r\n", "application/json", 415, "unsupported_media_type"},
       }) {
    http::Response res = send("POST", "/api/v1/imports/mentees", c.csv, c.content_type);
    EXPECT_EQ(res.status, c.status) << c.csv << ": " << res.body;
    EXPECT_EQ(reason_of(res), c.reason) << c.csv;
  }
  EXPECT_EQ(reason_of(upload("/api/v1/imports/mentees?dry_run=maybe", mentees_csv({}))), "dry_run_invalid");
  EXPECT_EQ(enrolments(), 0);
}

TEST_F(ImportApiTest, AFileOverTheLimitIsRefusedNamingTheLimit) {
  limits_.max_rows = 3;
  rebuild(keys_);
  http::Response res =
      upload("/api/v1/imports/mentees?dry_run=true",
             mentees_csv({row("sub-1", "", "", "A"), row("sub-2", "", "", "B"), row("sub-3", "", "", "C")}));
  EXPECT_EQ(res.status, 413) << res.body;
  EXPECT_EQ(reason_of(res), "csv_too_many_rows");
  const std::string message(body_of(res)["error"].as_object()["message"].as_string());
  EXPECT_NE(message.find('3'), std::string::npos) << message;
  limits_.max_bytes = 64;
  rebuild(keys_);
  res = upload("/api/v1/imports/mentees", mentees_csv({row("sub-1", "", "", std::string(100, 'x'))}));
  EXPECT_EQ(res.status, 413) << res.body;
  EXPECT_EQ(reason_of(res), "csv_too_large");
  EXPECT_EQ(enrolments(), 0);
}

TEST_F(ImportApiTest, ExportsAreFormulaSafeAndImportBackUnchanged) {
  const std::int64_t eve = account("sub-eve", "=HYPERLINK(\"http://x\")", "eve@example.nhs.uk");
  ASSERT_EQ(
      upload("/api/v1/imports/mentees", mentees_csv({row("sub-eve", "", "", ""), row("sub-ada", "", "1111111", "")}))
          .status,
      200);
  http::Response exported = get("/api/v1/exports/mentees?cohortid=" + std::to_string(cohort_), {as(ada_)});
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(exported.header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(exported.body.find("\"'=HYPERLINK(\"\"http://x\"\")\""), std::string::npos) << exported.body;
  EXPECT_NE(exported.body.find("1111111"), std::string::npos);
  EXPECT_EQ(count_rows("audit_log", "action = 'export' AND actorid = " + std::to_string(ada_)), 1);
  (void)eve;

  // The exported names keep their apostrophe on the way back, so the
  // round trip is checked on a file without formulas.
  http::Response plain = get("/api/v1/exports/mentors?cohortid=" + std::to_string(cohort_));
  ASSERT_EQ(plain.status, 200);
  ASSERT_EQ(upload("/api/v1/imports/mentors", mentees_csv({row("sub-bea", "", "2222222", "")})).status, 200);
  plain = get("/api/v1/exports/mentors?cohortid=" + std::to_string(cohort_));
  http::Response back = upload("/api/v1/imports/mentors", plain.body);
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(body_of(back)["unchanged"].as_int64(), 1);

  EXPECT_EQ(reason_of(get("/api/v1/exports/mentees")), "field_required");
  EXPECT_EQ(get("/api/v1/exports/mentees?cohortid=999999").status, 404);
}

TEST_F(ImportApiTest, TrainingRecordsImportAgainstTheSchemesModules) {
  ASSERT_EQ(call("PUT", "/api/v1/schemes/" + std::to_string(scheme_) + "/training-modules",
                 json::value(json::object{{"modules", json::array{json::object{{"code", "mentoring_skills"},
                                                                               {"title", "Mentoring skills"},
                                                                               {"required", true},
                                                                               {"valid_for_months", 24}}}}}))
                .status,
            200);
  const std::string s = std::to_string(scheme_);
  std::string csv = "platform,subject,schemeid,module_code,completed_on,expires_on\r\n";
  csv += std::string(kPortal) + ",sub-bea," + s + ",mentoring_skills,2026-03-01,\r\n";
  csv += std::string(kPortal) + ",sub-ada," + s + ",unknown_module,2026-03-01,\r\n";
  csv += std::string(kPortal) + ",sub-ada," + s + ",mentoring_skills,2027-03-01,\r\n";
  http::Response preview = upload("/api/v1/imports/training?dry_run=true", csv);
  ASSERT_EQ(preview.status, 200) << preview.body;
  json::array errors = body_of(preview)["errors"].as_array();
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].as_object()["reason"].as_string(), "training_module_unknown");
  EXPECT_EQ(errors[1].as_object()["reason"].as_string(), "training_completed_in_future");
  EXPECT_EQ(count_rows("training_records"), 0);

  const std::string good = "platform,subject,schemeid,module_code,completed_on,expires_on\r\n" + std::string(kPortal) +
                           ",sub-bea," + s + ",mentoring_skills,2026-03-01,\r\n";
  ASSERT_EQ(upload("/api/v1/imports/training", good).status, 200);
  ASSERT_EQ(upload("/api/v1/imports/training", good).status, 200);
  EXPECT_EQ(count_rows("training_records"), 1);
  http::Response exported = get("/api/v1/exports/training?schemeid=" + s);
  ASSERT_EQ(exported.status, 200);
  EXPECT_NE(exported.body.find("sub-bea,bea@example.nhs.uk,,Dr Bea Jones," + s + ",mentoring_skills,2026-03-01,"),
            std::string::npos)
      << exported.body;
}

}  // namespace
}  // namespace mentoring::testing
