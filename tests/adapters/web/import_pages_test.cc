// The staff import page (import_pages.cc) and the multipart reader it uses
// (multipart.h): upload, a dry run as a background job, the preview with
// per-row errors, then applying the same file.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "adapters/web/multipart.h"
#include "tests/adapters/web/signed_in_fixture.h"

namespace mentoring::web {
namespace {
using core::Status;

constexpr const char* kBoundary = "----mentoringtestboundary7MA4YWxk";

struct Part {
  std::string name, value, filename;
};

std::string multipart_body(const std::vector<Part>& parts) {
  std::string body;
  for (const Part& p : parts) {
    body += std::string("--") + kBoundary + "\r\n";
    body += "Content-Disposition: form-data; name=\"" + p.name + "\"";
    if (!p.filename.empty()) body += "; filename=\"" + p.filename + "\"\r\nContent-Type: text/csv";
    body += "\r\n\r\n" + p.value + "\r\n";
  }
  body += std::string("--") + kBoundary + "--\r\n";
  return body;
}

TEST(MultipartTest, ReadsFieldsAndAFileWithLineBreaksInside) {
  const std::string csv = "platform,subject\r\nx,\"a\r\nb\"\r\n";
  auto parts = parse_multipart(std::string("multipart/form-data; boundary=") + kBoundary,
                               multipart_body({{"kind", "mentees", ""}, {"file", csv, "people.csv"}}));
  ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
  ASSERT_EQ(parts->size(), 2u);
  EXPECT_EQ((*parts)[0].name, "kind");
  EXPECT_EQ((*parts)[0].data, "mentees");
  EXPECT_FALSE((*parts)[0].is_file);
  const MultipartPart* file = find_part(*parts, "file");
  ASSERT_NE(file, nullptr);
  EXPECT_TRUE(file->is_file);
  EXPECT_EQ(file->filename, "people.csv");
  EXPECT_EQ(file->content_type, "text/csv");
  EXPECT_EQ(file->data, csv);
}

TEST(MultipartTest, AQuotedBoundaryAndEscapedFilenameAreUnderstood) {
  std::string body = "--b\"q\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\";c.csv\"\r\n\r\nx\r\n--b\"q--";
  auto parts = parse_multipart("multipart/form-data; boundary=\"b\\\"q\"", body);
  // A quote is not allowed in a boundary (RFC 2046 bchars).
  EXPECT_FALSE(parts.is_ok());
  body = "--b q\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\";c.csv\"\r\n\r\nx\r\n--b q--";
  parts = parse_multipart("Multipart/Form-Data; boundary=\"b q\"", body);
  ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
  EXPECT_EQ((*parts)[0].filename, "a \"b\";c.csv");
  EXPECT_EQ((*parts)[0].data, "x");
}

TEST(MultipartTest, MalformedBodiesAreRefusedWithOneReason) {
  const std::string type = std::string("multipart/form-data; boundary=") + kBoundary;
  const std::string good = multipart_body({{"kind", "mentees", ""}});
  for (const auto& [content_type, body] : std::vector<std::pair<std::string, std::string>>{
           {"application/x-www-form-urlencoded", good},
           {"multipart/form-data", good},
           {"multipart/form-data; boundary=" + std::string(71, 'a'), good},
           {type, good.substr(0, good.size() - 10)},  // no closing delimiter
           {type, std::string("--") + kBoundary + "\r\nContent-Type: text/plain\r\n\r\nx\r\n--" + kBoundary + "--"},
           {type, std::string("--") + kBoundary + "\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nx\r\n--" +
                      kBoundary + "--"},
           {type, std::string("--") + kBoundary + "\r\nContent-Disposition: form-data\r\n\r\nx\r\n--" + kBoundary +
                      "--"},
           {type, "no delimiter at all"},
       }) {
    auto parts = parse_multipart(content_type, body);
    ASSERT_FALSE(parts.is_ok()) << content_type << " / " << body;
    EXPECT_EQ(parts.status().reason(), "form_multipart_invalid");
  }
  std::vector<Part> many(kMaxMultipartParts + 1, Part{"f", "v", ""});
  EXPECT_FALSE(parse_multipart(type, multipart_body(many)).is_ok());
}

class ImportPagesTest : public testing::SignedInFixture {
 protected:
  std::string path() const { return "/staff/schemes/" + std::to_string(scheme_) + "/import"; }

  http::Response upload(const std::string& who, const std::string& kind, const std::string& csv,
                        const std::string& filename = "people.csv", bool right_csrf = true) {
    http::Response page = get(who, path());
    std::vector<Part> parts{{"csrf_token", right_csrf ? testing::hidden_value(page.body, "csrf_token") : "wrong", ""},
                            {"form_token", testing::hidden_value(page.body, "form_token"), ""}};
    if (!kind.empty()) parts.push_back({"kind", kind, ""});
    parts.push_back({"file", csv, filename});
    http::Request req = testing::get(path(), {{"Cookie", "mentoring_session=" + tokens_[who]},
                                              {"Content-Type", std::string("multipart/form-data; boundary=") +
                                                                   kBoundary}});
    req.method = "POST";
    req.body = multipart_body(parts);
    return router_.handle(req);
  }

  // The job id at the end of a Location, once the job has finished.
  std::int64_t finished_job(const http::Response& r) {
    const std::string location(r.header("Location"));
    const std::int64_t id = std::stoll(location.substr(location.rfind('/') + 1));
    for (int i = 0; i < 500; ++i) {
      auto o = imports_->find(id);
      if (o && *o && (*o)->finished) return id;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ADD_FAILURE() << "import job " << id << " did not finish";
    return id;
  }

  std::int64_t enrolled() {
    std::int64_t n = 0;
    EXPECT_TRUE(db_->transact([&](core::Stores& s) -> Status {
                     auto c = s.enrolments.count_by_cohort(cohort_, core::Role::kMentee);
                     if (!c) return c.status();
                     n = *c;
                     return Status::ok();
                   }).is_ok());
    return n;
  }

  std::string csv(const std::vector<std::string>& rows) {
    std::string out = "platform,subject,email,gmc_number,display_name,cohortid\r\n";
    for (const auto& r : rows) out += r + "\r\n";
    return out;
  }
};

TEST_F(ImportPagesTest, AFileIsPreviewedAsAJobThenAppliedWhole) {
  const std::string file = csv({std::string(kPlatform) + ",new-1,new1@example.nhs.uk,7000001,Dr New One," +
                                    std::to_string(cohort_),
                                std::string(kPlatform) + ",new-2,,,Dr New Two," + std::to_string(cohort_)});
  http::Response r = upload("admin", "mentees", file);
  ASSERT_EQ(r.status, 303) << r.body;
  const std::int64_t preview = finished_job(r);
  EXPECT_EQ(enrolled(), 0);  // a preview writes nothing

  http::Response page = get("admin", std::string(r.header("Location")));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("id=\"rows-read\">2<"), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("id=\"rows-created\">2<"), std::string::npos);
  EXPECT_NE(page.body.find("id=\"apply\""), std::string::npos);
  EXPECT_TRUE(testing::inline_code_problems(page.body).empty());
  EXPECT_EQ(testing::page_check_report(page.body, renderer_.asset_base()), "");
  // The job page shows the same job to its owner.
  EXPECT_EQ(get("admin", "/staff/jobs/" + std::to_string(preview)).status, 200);

  http::Response applied = post("admin", path() + "/" + std::to_string(preview) + "/apply",
                                form_of("admin", path() + "/" + std::to_string(preview), {}));
  ASSERT_EQ(applied.status, 303) << applied.body;
  const std::int64_t apply_job = finished_job(applied);
  EXPECT_NE(apply_job, preview);
  EXPECT_EQ(enrolled(), 2);
  page = get("admin", std::string(applied.header("Location")));
  EXPECT_NE(page.body.find("The file has been imported."), std::string::npos) << page.body;
  // The preview cannot be applied a second time (its page offers no form;
  // the tokens come from the upload form).
  EXPECT_EQ(post("admin", path() + "/" + std::to_string(preview) + "/apply", form_of("admin", path(), {}))
                .status,
            303);
  EXPECT_EQ(enrolled(), 2);
  auto o = imports_->find(preview);
  ASSERT_TRUE(o && o->has_value());
  EXPECT_EQ((*o)->applied_by, apply_job);
}

TEST_F(ImportPagesTest, RowErrorsAreListedByRowAndColumnAndNothingCanBeApplied) {
  const std::string file = csv({std::string(kPlatform) + ",ok-1,,,Dr Fine," + std::to_string(cohort_),
                                std::string(kPlatform) + ",bad-1,,12345,Dr Short Number," + std::to_string(cohort_),
                                std::string(kPlatform) + ",bad-2,,,Dr Nowhere,999999"});
  http::Response r = upload("admin", "mentees", file);
  ASSERT_EQ(r.status, 303) << r.body;
  const std::int64_t job = finished_job(r);
  http::Response page = get("admin", std::string(r.header("Location")));
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("id=\"import-errors\""), std::string::npos);
  EXPECT_NE(page.body.find("Row 3 (gmc_number): a GMC number is 7 digits."), std::string::npos) << page.body;
  EXPECT_NE(page.body.find("Row 4 (cohortid)"), std::string::npos) << page.body;
  EXPECT_EQ(page.body.find("id=\"apply\""), std::string::npos);
  EXPECT_EQ(post("admin", path() + "/" + std::to_string(job) + "/apply", form_of("admin", path(), {}))
                .status,
            303);
  EXPECT_EQ(enrolled(), 0);
  auto o = imports_->find(job);
  ASSERT_TRUE(o && o->has_value());
  EXPECT_FALSE((*o)->applied_by.has_value());
}

TEST_F(ImportPagesTest, AFileThatCannotBeReadSaysWhyOnThePreview) {
  http::Response r = upload("admin", "mentees", "name,age\r\nx,1\r\n");
  ASSERT_EQ(r.status, 303);
  finished_job(r);
  http::Response page = get("admin", std::string(r.header("Location")));
  EXPECT_NE(page.body.find("id=\"file-refused\""), std::string::npos) << page.body;
}

TEST_F(ImportPagesTest, AMissingKindOrFileIsShownNextToTheField) {
  http::Response r = upload("admin", "", "", "");
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_NE(r.body.find("Choose what the file holds"), std::string::npos);
  EXPECT_NE(r.body.find("Choose a CSV file to import"), std::string::npos);
  EXPECT_NE(r.body.find("href=\"#field-file\""), std::string::npos);
  EXPECT_EQ(testing::page_check_report(r.body, renderer_.asset_base()), "");
}

TEST_F(ImportPagesTest, OnlySchemeManagersMayImportAndTheFormNeedsItsToken) {
  EXPECT_EQ(get("trainee", path()).status, 403);
  http::Response r = upload("admin", "mentees", csv({}), "people.csv", /*right_csrf=*/false);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(get("admin", "/staff/schemes/999999/import").status, 404);
  http::Response t = get("admin", "/staff/imports/mentors/template.csv");
  ASSERT_EQ(t.status, 200);
  EXPECT_NE(t.body.find("platform,subject,email,gmc_number,display_name,cohortid"), std::string::npos);
}

TEST(MultipartTest, OnlyTheLineBreakBeforeEachDelimiterIsRemoved) {
  // A part whose own bytes end in CR keeps it; the last part is exact whether
  // or not a line break follows the close delimiter.
  const std::string type = "multipart/form-data; boundary=bq";
  for (const std::string tail : {"--bq--", "--bq--\r\n", "--bq--\r\nepilogue"}) {
    auto parts = parse_multipart(type,
                                 "--bq\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\nx\r\r\n"
                                 "--bq\r\nContent-Disposition: form-data; name=\"g\"\r\n\r\na\r\nb\r\n" + tail);
    ASSERT_TRUE(parts.is_ok()) << parts.status().to_string();
    ASSERT_EQ(parts->size(), 2u);
    EXPECT_EQ((*parts)[0].data, "x\r");
    EXPECT_EQ((*parts)[1].data, "a\r\nb");
  }
}

}  // namespace
}  // namespace mentoring::web
