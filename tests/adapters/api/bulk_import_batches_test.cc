// Bulk import in batches of core::kBulkBatchRows rows (app/bulk_import.cc):
// files longer than one batch give the same outcome as row-by-row
// processing, in file order, across batch boundaries — a person named twice,
// a GMC number claimed twice, rows naming people by email among rows naming
// them by subject, and a re-import that changes nothing.
#include "core/bulk_import_stores.h"
#include "tests/adapters/api/audit_api_fixture.h"

namespace mentoring::testing {
namespace {
namespace json = boost::json;

constexpr const char* kPortal = "https://portal.example.nhs.uk";

class BulkImportBatchesTest : public RecordsApiTest {
 protected:
  static std::string header() { return "platform,subject,email,gmc_number,display_name,cohortid\r\n"; }
  std::string person(std::size_t i, const std::string& gmc = "") const {
    return std::string(kPortal) + ",batch-" + std::to_string(i) + ",batch" + std::to_string(i) +
           "@example.nhs.uk," + gmc + ",Dr Batch " + std::to_string(i) + "," + std::to_string(cohort_) + "\r\n";
  }
  std::string gmc(std::size_t i) const { return std::to_string(7200000 + i); }
};

constexpr std::size_t kRows = 2 * core::kBulkBatchRows + 201;  // three batches

TEST_F(BulkImportBatchesTest, ALongFileIsImportedWholeWithEveryRowCounted) {
  std::string csv = header();
  for (std::size_t i = 0; i < kRows; ++i) csv += person(i, gmc(i));
  // Person 3 again in the last batch, and Ada (by email) in the middle one.
  csv += person(3, gmc(3));
  std::string ada_row = std::string(",,ada@example.nhs.uk,,,") + std::to_string(cohort_) + "\r\n";
  csv.insert(csv.find(person(core::kBulkBatchRows + 10, gmc(core::kBulkBatchRows + 10))), ada_row);
  const std::int64_t enrolled_before = count_rows("enrolments");

  http::Response res = upload("/api/v1/imports/mentees", csv);
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 500);
  json::object report = body_of(res);
  EXPECT_TRUE(report["applied"].as_bool());
  EXPECT_EQ(report["rows_read"].as_int64(), static_cast<std::int64_t>(kRows + 2));
  EXPECT_EQ(report["created"].as_int64(), static_cast<std::int64_t>(kRows + 1));  // everyone, and Ada's enrolment
  EXPECT_EQ(report["unchanged"].as_int64(), 1);                                   // person 3 the second time
  EXPECT_EQ(report["error_count"].as_int64(), 0);
  EXPECT_EQ(count_rows("enrolments"), enrolled_before + static_cast<std::int64_t>(kRows + 1));
  EXPECT_EQ(count_rows("account_gmc"), static_cast<std::int64_t>(kRows));
  // One webhook event per enrolment made.
  EXPECT_EQ(count_rows("webhook_outbox"), static_cast<std::int64_t>(kRows + 1));
  // The rows come back in file order with what each did.
  json::array rows = report["rows"].as_array();
  EXPECT_EQ(rows[0].as_object()["detail"].as_string(), "account created; GMC number recorded; enrolled as mentee");

  // Importing the same file again writes nothing but its own audit entry.
  const std::int64_t audit_before = count_rows("audit_log");
  res = upload("/api/v1/imports/mentees", csv);
  ASSERT_EQ(res.status, 200) << res.body.substr(0, 500);
  report = body_of(res);
  EXPECT_EQ(report["created"].as_int64(), 0);
  EXPECT_EQ(report["updated"].as_int64(), 0);
  EXPECT_EQ(report["unchanged"].as_int64(), static_cast<std::int64_t>(kRows + 2));
  EXPECT_EQ(count_rows("audit_log"), audit_before + 1);
  EXPECT_EQ(count_rows("enrolments"), enrolled_before + static_cast<std::int64_t>(kRows + 1));
}

TEST_F(BulkImportBatchesTest, AGmcNumberClaimedTwiceInOneFileIsARowErrorAndNothingIsWritten) {
  std::string csv = header();
  for (std::size_t i = 0; i < kRows; ++i) csv += person(i, i == kRows - 1 ? gmc(5) : gmc(i));
  const std::int64_t accounts_before = count_rows("accounts");
  http::Response res = upload("/api/v1/imports/mentees", csv);
  ASSERT_EQ(res.status, 400) << res.body.substr(0, 500);
  json::object report = body_of(res)["report"].as_object();
  EXPECT_EQ(report["error_count"].as_int64(), 1);
  json::object e = report["errors"].as_array()[0].as_object();
  EXPECT_EQ(e["reason"].as_string(), "gmc_number_taken");
  EXPECT_EQ(e["row"].as_int64(), static_cast<std::int64_t>(kRows + 1));  // the header is row 1
  EXPECT_EQ(e["column_name"].as_string(), "gmc_number");
  EXPECT_EQ(count_rows("accounts"), accounts_before);
  EXPECT_EQ(count_rows("account_gmc"), 0);
}

TEST_F(BulkImportBatchesTest, ChangedNamesAreUpdatedAndAGmcNumberCanMoveToItsNewHolder) {
  std::string first = header() + person(1, gmc(1)) + person(2);
  ASSERT_EQ(upload("/api/v1/imports/mentees", first).status, 200);
  // Person 1 gives up the number for another; person 2 takes the old one,
  // after it was freed earlier in the same file. Person 2 is renamed.
  std::string second = header() + person(1, gmc(9)) + std::string(kPortal) + ",batch-2,,\"" + gmc(1) +
                       "\",Dr Renamed," + std::to_string(cohort_) + "\r\n";
  http::Response res = upload("/api/v1/imports/mentees", second);
  ASSERT_EQ(res.status, 200) << res.body;
  json::object report = body_of(res);
  EXPECT_EQ(report["updated"].as_int64(), 2);
  json::array rows = report["rows"].as_array();
  EXPECT_EQ(rows[1].as_object()["detail"].as_string(), "account updated; GMC number recorded; already enrolled");
  EXPECT_EQ(count_rows("account_gmc"), 2);
}

}  // namespace
}  // namespace mentoring::testing
