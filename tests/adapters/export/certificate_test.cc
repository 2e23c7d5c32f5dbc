// The certificate is checked with poppler's command-line tools (pdftotext,
// pdfinfo, pdftoppm from poppler-utils), which read the PDF independently
// of cairo.
#include "adapters/export/certificate.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <string>

namespace mentoring::exports {
namespace {

core::Date d(const char* s) { return *core::Date::parse(s); }

CpdCertificate certificate() {
  CpdCertificate c;
  c.mentor_name = "Dr Siân Łukasz-O'Connor";
  c.scheme_name = "North West Foundation Mentoring Scheme";
  c.period_start = d("2026-08-05");
  c.period_end = d("2027-07-31");
  c.hours = 12.5;
  c.sessions = 10;
  c.issuer = "NHS England North West";
  c.certificate_id = "CPD-2027-000123";
  c.issued_on = d("2027-08-02");
  c.signatory_name = "Dr Sam Patel";
  c.signatory_role = "Scheme lead";
  return c;
}

std::string run(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  EXPECT_EQ(pclose(pipe), 0) << command;
  return out;
}

// Collapses runs of white space so text wrapped by the layout still matches.
std::string squash(const std::string& s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

// The value of one "Key:   value" line of pdfinfo's output.
std::string info_value(const std::string& info, const std::string& key) {
  std::size_t pos = 0;
  while (pos < info.size()) {
    const auto end = info.find('\n', pos);
    const std::string line = info.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (line.rfind(key + ":", 0) == 0) {
      const auto start = line.find_first_not_of(' ', key.size() + 1);
      return start == std::string::npos ? "" : line.substr(start);
    }
    if (end == std::string::npos) break;
    pos = end + 1;
  }
  return "";
}

std::string write_pdf(const std::vector<std::uint8_t>& pdf, const std::string& name) {
  const std::string path = testing::TempDir() + name;
  std::ofstream f(path, std::ios::binary);
  f.write(reinterpret_cast<const char*>(pdf.data()), static_cast<std::streamsize>(pdf.size()));
  return path;
}

TEST(CertificateTest, PdfContainsTheCertificateAsRealText) {
  auto pdf = render_certificate_pdf(certificate());
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  ASSERT_GT(pdf->size(), 1000u);
  EXPECT_EQ(std::string(pdf->begin(), pdf->begin() + 5), "%PDF-");
  const std::string path = write_pdf(*pdf, "cpd_certificate_test.pdf");

  const std::string text = squash(run("pdftotext -enc UTF-8 '" + path + "' -"));
  for (const char* expected :
       {"Certificate of continuing professional development", "Dr Siân Łukasz-O'Connor",
        "North West Foundation Mentoring Scheme", "from 5 August 2026 to 31 July 2027",
        "Mentoring: 12.5 hours over 10 sessions", "Signed: Dr Sam Patel, Scheme lead",
        "Issued by NHS England North West on 2 August 2027", "Certificate ID: CPD-2027-000123"}) {
    EXPECT_NE(text.find(expected), std::string::npos) << "missing \"" << expected << "\" in: " << text;
  }

  // A4, one page, tagged (structure for assistive technology), with a title.
  const std::string info = run("pdfinfo '" + path + "'");
  EXPECT_EQ(info_value(info, "Pages"), "1") << info;
  EXPECT_EQ(info_value(info, "Tagged"), "yes") << info;
  EXPECT_NE(info_value(info, "Page size").find("(A4)"), std::string::npos) << info;
  EXPECT_EQ(info_value(info, "Title"), "CPD certificate: Dr Siân Łukasz-O'Connor") << info;
  EXPECT_EQ(info_value(info, "Author"), "NHS England North West") << info;

  // A picture of page 1 for people to look at, when the artifacts folder
  // (git-ignored) is writable.
  const std::string artifacts = std::string(MENTORING_SOURCE_DIR) + "/integration/artifacts";
  if (access(artifacts.c_str(), W_OK) == 0) {
    run("pdftoppm -png -r 60 -f 1 -l 1 -singlefile '" + path + "' '" + artifacts + "/cpd-certificate'");
    std::ifstream png(artifacts + "/cpd-certificate.png", std::ios::binary);
    char magic[4] = {};
    png.read(magic, 4);
    EXPECT_EQ(std::string(magic + 1, 3), "PNG");
  }
  std::remove(path.c_str());
}

TEST(CertificateTest, UserTextIsPrintedLiterallyNotAsMarkup) {
  CpdCertificate c = certificate();
  c.mentor_name = "Dr <b>Jo</b> & Co";
  c.hours = 1;
  c.sessions = 1;
  c.signatory_name.clear();
  auto pdf = render_certificate_pdf(c);
  ASSERT_TRUE(pdf.is_ok()) << pdf.status().to_string();
  const std::string path = write_pdf(*pdf, "cpd_certificate_markup.pdf");
  const std::string text = squash(run("pdftotext -enc UTF-8 '" + path + "' -"));
  EXPECT_NE(text.find("Dr <b>Jo</b> & Co"), std::string::npos) << text;
  EXPECT_NE(text.find("Mentoring: 1 hour over 1 session"), std::string::npos) << text;
  EXPECT_EQ(text.find("Signed:"), std::string::npos);
  std::remove(path.c_str());
}

TEST(CertificateTest, SameCertificateGivesTheSameBytes) {
  auto a = render_certificate_pdf(certificate());
  auto b = render_certificate_pdf(certificate());
  ASSERT_TRUE(a.is_ok() && b.is_ok());
  EXPECT_EQ(*a, *b);
}

TEST(CertificateTest, FormatsHoursAndDates) {
  EXPECT_EQ(format_hours(12.5), "12.5 hours");
  EXPECT_EQ(format_hours(1), "1 hour");
  EXPECT_EQ(format_hours(0.75), "0.75 hours");
  EXPECT_EQ(format_hours(10), "10 hours");
  EXPECT_EQ(format_hours(2.333333), "2.33 hours");
  EXPECT_EQ(format_long_date(d("2027-01-09")), "9 January 2027");
}

TEST(CertificateTest, InvalidCertificatesAreRejectedWithReasons) {
  auto reason = [](CpdCertificate c) { return render_certificate_pdf(c).status().reason(); };
  CpdCertificate c = certificate();
  c.mentor_name = "  ";
  EXPECT_EQ(reason(c), "certificate_name_required");
  c = certificate();
  c.scheme_name.clear();
  EXPECT_EQ(reason(c), "certificate_scheme_required");
  c = certificate();
  c.issuer = "";
  EXPECT_EQ(reason(c), "certificate_issuer_required");
  c = certificate();
  c.mentor_name = "Bad \xFF name";
  EXPECT_EQ(reason(c), "certificate_text_invalid");
  c = certificate();
  c.mentor_name = std::string(201, 'x');
  EXPECT_EQ(reason(c), "certificate_text_too_long");
  c = certificate();
  c.certificate_id = "id with\nnewline";
  EXPECT_EQ(reason(c), "certificate_id_invalid");
  c = certificate();
  c.period_end = d("2026-01-01");
  EXPECT_EQ(reason(c), "certificate_period_out_of_order");
  c = certificate();
  c.issued_on = d("2026-08-04");
  EXPECT_EQ(reason(c), "certificate_issued_before_period");
  c = certificate();
  c.hours = 0;
  EXPECT_EQ(reason(c), "certificate_hours_out_of_range");
  c.hours = std::nan("");
  EXPECT_EQ(reason(c), "certificate_hours_out_of_range");
  c = certificate();
  c.sessions = 0;
  EXPECT_EQ(reason(c), "certificate_sessions_out_of_range");
}

}  // namespace
}  // namespace mentoring::exports
