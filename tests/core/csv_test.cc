#include "core/csv.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>
#include <unistd.h>

namespace mentoring::core {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows fields_of(const CsvTable& t) {
  Rows out;
  for (const auto& r : t.rows) out.push_back(r.fields);
  return out;
}

CsvTable parse_ok(std::string_view s, const CsvLimits& limits = {}) {
  auto r = parse_csv(s, limits);
  EXPECT_TRUE(r.is_ok()) << r.status().to_string();
  return r.is_ok() ? *r : CsvTable{};
}

// Runs Debian's Python (independent CSV and codec implementations) and returns its stdout.
std::string python(const std::string& script, const std::string& input = "") {
  char in_path[] = "/tmp/mentoring_csv_testXXXXXX";
  const int fd = mkstemp(in_path);
  if (fd < 0) return "<mkstemp failed>";
  if (!input.empty() && write(fd, input.data(), input.size()) != static_cast<ssize_t>(input.size())) {
    close(fd);
    return "<write failed>";
  }
  close(fd);
  const std::string cmd = "/usr/bin/python3 -c '" + script + "' " + in_path;
  std::string out;
  if (FILE* p = popen(cmd.c_str(), "r")) {
    char buf[4096];
    std::size_t n;
    while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
    pclose(p);
  }
  std::remove(in_path);
  return out;
}

bool have_python() { return std::ifstream("/usr/bin/python3").good(); }

TEST(CsvReadTest, ReadsQuotesDoubledQuotesAndEmbeddedNewlines) {
  auto t = parse_ok("name,notes\r\n\"Okafor, Amina\",\"She said \"\"hi\"\"\nthen left\"\r\nReid,\r\n");
  EXPECT_EQ(fields_of(t), (Rows{{"name", "notes"}, {"Okafor, Amina", "She said \"hi\"\nthen left"}, {"Reid", ""}}));
  EXPECT_EQ(t.rows[2].number, 3u) << "a quoted newline does not start a new row";
  EXPECT_EQ(t.encoding, CsvEncoding::kUtf8);
  EXPECT_FALSE(t.had_bom);
}

TEST(CsvReadTest, AcceptsCrLfCrlfAndMixedLineEndsWithOrWithoutAFinalOne) {
  auto t = parse_ok("a,b\r\nc,d\re,f\ng,h");
  EXPECT_EQ(fields_of(t), (Rows{{"a", "b"}, {"c", "d"}, {"e", "f"}, {"g", "h"}}));
  EXPECT_EQ(t.rows[3].number, 4u);
  t = parse_ok("\"a\"\r\n\"b\"\r\"c\"\n");
  EXPECT_EQ(fields_of(t), (Rows{{"a"}, {"b"}, {"c"}}));
}

TEST(CsvReadTest, SkipsBlankRowsButKeepsSpreadsheetRowNumbers) {
  auto t = parse_ok("h1,h2\n\n,\n\r\nx,y\n,,\n");
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[1].fields, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(t.rows[1].number, 5u);
}

TEST(CsvReadTest, KeepsEmptyAndQuotedEmptyFields) {
  auto t = parse_ok("a,,\"\",b,\n");
  EXPECT_EQ(fields_of(t), (Rows{{"a", "", "", "b", ""}}));
}

TEST(CsvReadTest, StripsAUtf8ByteOrderMark) {
  auto t = parse_ok("\xEF\xBB\xBFname,email\nA,a@example.org\n");
  EXPECT_TRUE(t.had_bom);
  EXPECT_EQ(t.rows[0].fields[0], "name");
  EXPECT_EQ(t.encoding, CsvEncoding::kUtf8);
}

TEST(CsvReadTest, RefusesEmptyFiles) {
  EXPECT_EQ(parse_csv("").status().reason(), "csv_empty");
  EXPECT_EQ(parse_csv("\xEF\xBB\xBF").status().reason(), "csv_empty");
  EXPECT_EQ(parse_csv("\r\n\n").status().reason(), "csv_empty");
  EXPECT_EQ(parse_csv(",,\n,,\n").status().reason(), "csv_empty");
}

TEST(CsvReadTest, UnbalancedQuoteNamesWhereTheValueStarted) {
  auto r = parse_csv("a,b\nc,\"d\ne,f\n");
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(r.status().reason(), "csv_unbalanced_quote");
  EXPECT_EQ(r.status().field(), "file");
  EXPECT_EQ(r.status().message(), "Row 2, column 2: a quoted value is never closed; check for a missing quote mark.");
}

TEST(CsvReadTest, StrayQuotesAreRefusedWithRowAndColumn) {
  auto r = parse_csv("a,b\nc,d\"e\n");
  EXPECT_EQ(r.status().reason(), "csv_stray_quote");
  EXPECT_EQ(r.status().message().rfind("Row 2, column 2: a quote mark is inside", 0), 0u) << r.status().message();
  r = parse_csv("\"a\"b,c\n");
  EXPECT_EQ(r.status().reason(), "csv_stray_quote");
  EXPECT_EQ(r.status().message().rfind("Row 1, column 1: there is text after the closing quote", 0), 0u);
}

TEST(CsvReadTest, RefusesNulBytes) {
  auto r = parse_csv(std::string("a,b\nc,d\0e\n", 10));
  EXPECT_EQ(r.status().reason(), "csv_nul_byte");
  EXPECT_EQ(r.status().message().rfind("Row 2, column 2:", 0), 0u);
}

TEST(CsvReadTest, RowLimitCountsTheHeaderAndStopsAtTheFirstRowOver) {
  std::string s;
  for (int i = 0; i < 100000; ++i) s += "x\n";
  auto ok = parse_csv(s);
  ASSERT_TRUE(ok.is_ok());
  EXPECT_EQ(ok->rows.size(), 100000u);
  s += "x\n";
  auto r = parse_csv(s);
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
  EXPECT_EQ(r.status().reason(), "csv_too_many_rows");
  EXPECT_EQ(r.status().message(), "Row 100,001: the file has more than 100,000 rows; split it into smaller files.");
}

TEST(CsvReadTest, FieldByteAndFieldCountLimits) {
  auto r = parse_csv("h\n" + std::string(10001, 'a') + "\n");
  EXPECT_EQ(r.status().reason(), "csv_field_too_long");
  EXPECT_EQ(r.status().message(), "Row 2, column 1: the value is longer than 10,000 characters.");
  EXPECT_TRUE(parse_csv("h\n" + std::string(10000, 'a') + "\n").is_ok());
  r = parse_csv("h\n\"" + std::string(20000, 'a') + "\"\n");
  EXPECT_EQ(r.status().reason(), "csv_field_too_long") << "quoted values are limited as they are read";

  std::string wide;
  for (int i = 0; i < 201; ++i) wide += (i ? "," : "") + std::to_string(i);
  r = parse_csv(wide);
  EXPECT_EQ(r.status().reason(), "csv_too_many_fields");
  EXPECT_EQ(r.status().message(), "Row 1, column 201: the row has more than 200 columns.");

  CsvLimits small;
  small.max_bytes = 10;
  r = parse_csv("a,b,c,d,e,f", small);
  EXPECT_EQ(r.status().reason(), "csv_too_large");
  EXPECT_EQ(r.status().code(), Code::kResourceExhausted);
}

TEST(CsvReadTest, ConvertsWindows1252PoundsAndSmartQuotes) {
  auto t = parse_ok("item,cost\n\x93Mentor lunch\x94,\xA3" "12.50\nCaf\xE9 \x96 \x80" "5,x\n");
  EXPECT_EQ(t.encoding, CsvEncoding::kWindows1252);
  EXPECT_EQ(t.rows[1].fields[0], "\xE2\x80\x9CMentor lunch\xE2\x80\x9D");
  EXPECT_EQ(t.rows[1].fields[1], "\xC2\xA3" "12.50");
  EXPECT_EQ(t.rows[2].fields[0], "Caf\xC3\xA9 \xE2\x80\x93 \xE2\x82\xAC" "5");
}

TEST(CsvReadTest, RefusesBytesThatAreNeitherUtf8NorWindows1252) {
  auto r = parse_csv("a\nb\n\x81x\n");
  EXPECT_EQ(r.status().reason(), "csv_unknown_encoding");
  EXPECT_EQ(r.status().message().rfind("Line 3:", 0), 0u) << r.status().message();
  r = parse_csv("\xEF\xBB\xBF" "a\n\xA3\n");
  EXPECT_EQ(r.status().reason(), "csv_invalid_utf8") << "a BOM promises UTF-8";
  EXPECT_EQ(r.status().message().rfind("Line 2:", 0), 0u);
}

TEST(CsvEncodingTest, Windows1252TableMatchesPython) {
  if (!have_python()) GTEST_SKIP() << "no /usr/bin/python3";
  std::string bytes;
  for (int b = 0x80; b <= 0xFF; ++b)
    if (b != 0x81 && b != 0x8D && b != 0x8F && b != 0x90 && b != 0x9D) bytes.push_back(static_cast<char>(b));
  const std::string expected = python(
      "import sys; sys.stdout.buffer.write(open(sys.argv[1],\"rb\").read().decode(\"cp1252\").encode(\"utf-8\"))",
      bytes);
  ASSERT_FALSE(expected.empty());
  auto ours = windows1252_to_utf8(bytes);
  ASSERT_TRUE(ours.is_ok());
  EXPECT_EQ(*ours, expected);
  for (char undefined : {'\x81', '\x8D', '\x8F', '\x90', '\x9D'})
    EXPECT_FALSE(windows1252_to_utf8(std::string(1, undefined)).is_ok());
}

TEST(CsvEncodingTest, WellFormedUtf8Check) {
  EXPECT_TRUE(is_well_formed_utf8("plain \xC2\xA3 \xE2\x80\x9C \xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_well_formed_utf8("\xC2\x80"));  // U+0080 is well formed, if unusual
  EXPECT_FALSE(is_well_formed_utf8("\xC0\xAF"));  // overlong
  EXPECT_FALSE(is_well_formed_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(is_well_formed_utf8("\xE2\x80"));  // truncated
  EXPECT_FALSE(is_well_formed_utf8("\xF4\x90\x80\x80"));  // above U+10FFFF
}

TEST(CsvReadTest, AgreesWithPythonsCsvModuleOnTrickyInput) {
  if (!have_python()) GTEST_SKIP() << "no /usr/bin/python3";
  const std::string input =
      "a,\"b,c\",\"d\"\"e\"\r\n\"multi\r\nline\",,\"\"\r\nx,y,z\n\"\xC2\xA3\",\" sp \",end";
  // Python prints each row as hex fields separated by spaces, one row a line.
  const std::string got = python(
      "import csv,sys\n"
      "with open(sys.argv[1], newline=\"\", encoding=\"utf-8\") as f:\n"
      "  for row in csv.reader(f, strict=True):\n"
      "    print(\" \".join(x.encode().hex() or \"-\" for x in row))",
      input);
  std::string ours;
  for (const auto& row : parse_ok(input).rows) {
    for (std::size_t i = 0; i < row.fields.size(); ++i) {
      if (i) ours += " ";
      if (row.fields[i].empty()) ours += "-";
      for (unsigned char c : row.fields[i]) {
        char h[3];
        std::snprintf(h, sizeof h, "%02x", c);
        ours += h;
      }
    }
    ours += "\n";
  }
  EXPECT_EQ(ours, got);
}

std::vector<CsvColumn> enrolment_spec() {
  return {{"email", true, true}, {"career_stage", true, false}, {"notes", false, false}};
}

TEST(CsvMapTest, MapsHeadersByCanonicalName) {
  auto t = parse_ok("Email , Career Stage,Notes\na@example.org,FY1,\nb@example.org,FY2,prefers remote\n");
  auto m = map_csv_columns(t, enrolment_spec());
  ASSERT_TRUE(m.is_ok()) << m.status().to_string();
  ASSERT_EQ(m->records.size(), 2u);
  EXPECT_TRUE(m->errors.empty());
  EXPECT_EQ(m->rows_read, 2u);
  EXPECT_EQ(m->value(m->records[1], "email"), "b@example.org");
  EXPECT_EQ(m->value(m->records[1], "notes"), "prefers remote");
  EXPECT_EQ(m->value(m->records[1], "nope"), "");
  EXPECT_EQ(m->records[1].row, 3u);
  EXPECT_EQ(normalise_csv_header("  Email-Address "), "email_address");
}

TEST(CsvMapTest, ColumnOrderInTheFileDoesNotMatterAndOptionalColumnsMayBeAbsent) {
  auto t = parse_ok("career_stage,email\nST3,c@example.org\n");
  auto m = map_csv_columns(t, enrolment_spec());
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->records[0].values, (std::vector<std::string>{"c@example.org", "ST3", ""}));
}

TEST(CsvMapTest, RefusesMissingUnknownDuplicateAndUnnamedColumns) {
  auto m = map_csv_columns(parse_ok("notes\nx\n"), enrolment_spec());
  EXPECT_EQ(m.status().reason(), "csv_missing_column");
  EXPECT_EQ(m.status().message(), "Row 1: the first row must name the columns 'email', 'career_stage'.");
  m = map_csv_columns(parse_ok("email,career_stage,grade\n"), enrolment_spec());
  EXPECT_EQ(m.status().reason(), "csv_unknown_column");
  EXPECT_EQ(m.status().message(),
            "Row 1: the column 'grade' is not expected; the columns are 'email', 'career_stage', 'notes'.");
  m = map_csv_columns(parse_ok("email,career_stage,grade\na@x.org,FY1,7\n"), enrolment_spec(), true);
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->records.size(), 1u);
  m = map_csv_columns(parse_ok("email,Email,career_stage\n"), enrolment_spec());
  EXPECT_EQ(m.status().reason(), "csv_duplicate_column");
  EXPECT_EQ(m.status().message(), "Row 1, column 2: the column 'email' appears twice.");
  m = map_csv_columns(parse_ok("email,,career_stage\n"), enrolment_spec());
  EXPECT_EQ(m.status().reason(), "csv_header_blank");
  m = map_csv_columns(parse_ok("email,career_stage,,\na@x.org,FY1,,\n"), enrolment_spec());
  EXPECT_TRUE(m.is_ok()) << "trailing unnamed empty columns are spreadsheet noise";
}

TEST(CsvMapTest, CollectsRowErrorsForADryRun) {
  auto t = parse_ok(
      "email,career_stage\n"
      "a@x.org,FY1\n"
      " ,FY2\n"
      "c@x.org\n"
      "d@x.org,CT1,surplus\n"
      "e@x.org,ST1\n");
  auto m = map_csv_columns(t, enrolment_spec());
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->rows_read, 5u);
  ASSERT_EQ(m->records.size(), 2u);
  EXPECT_EQ(m->records[1].row, 6u);
  ASSERT_EQ(m->errors.size(), 3u);
  EXPECT_EQ(m->errors[0].row, 3u);
  EXPECT_EQ(m->errors[0].column, 1u);
  EXPECT_EQ(m->errors[0].column_name, "email");
  EXPECT_EQ(m->errors[0].reason, "csv_value_required");
  EXPECT_EQ(m->errors[0].message, "Row 3, column 1: give a value for 'email'.");
  EXPECT_EQ(m->errors[1].reason, "csv_wrong_field_count");
  EXPECT_EQ(m->errors[1].message, "Row 4: the row has 1 values but the first row names 2 columns.");
  EXPECT_EQ(m->errors[2].row, 5u);
}

TEST(CsvMapTest, KeepsTheErrorListBounded) {
  std::string s = "email,career_stage\n";
  for (int i = 0; i < 1500; ++i) s += ",FY1\n";
  auto m = map_csv_columns(parse_ok(s), enrolment_spec());
  ASSERT_TRUE(m.is_ok());
  EXPECT_EQ(m->errors.size(), kMaxCsvRowErrors);
  EXPECT_EQ(m->errors_not_listed, 500u);
  EXPECT_TRUE(m->records.empty());
}

TEST(CsvWriteTest, NeutralisesFormulaInjection) {
  EXPECT_EQ(csv_escape_field("=1+1"), "'=1+1");
  EXPECT_EQ(csv_escape_field("+44 7700 900123"), "'+44 7700 900123");
  EXPECT_EQ(csv_escape_field("-2"), "'-2");
  EXPECT_EQ(csv_escape_field("@SUM(A1:A9)"), "'@SUM(A1:A9)");
  EXPECT_EQ(csv_escape_field("\tcmd"), "'\tcmd");
  EXPECT_EQ(csv_escape_field("\r=cmd"), "\"'\r=cmd\"");
  EXPECT_EQ(csv_escape_field("=HYPERLINK(\"http://x\",\"y\")"), "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
  EXPECT_EQ(csv_escape_field("a=b"), "a=b") << "only a leading character matters";
  EXPECT_EQ(csv_escape_field("=1+1", false), "=1+1");
}

TEST(CsvWriteTest, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_escape_field("plain"), "plain");
  EXPECT_EQ(csv_escape_field(""), "");
  EXPECT_EQ(csv_escape_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_escape_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_escape_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_escape_field(" padded"), "\" padded\"");
}

TEST(CsvWriteTest, WritesCrlfRowsWithAnOptionalBom) {
  EXPECT_EQ(write_csv({{"a", "b"}, {"c,d", ""}}), "a,b\r\n\"c,d\",\r\n");
  CsvWriteOptions o;
  o.utf8_bom = true;
  const std::string s = write_csv({{"\xC2\xA3"}}, o);
  EXPECT_EQ(s, "\xEF\xBB\xBF\xC2\xA3\r\n");
}

TEST(CsvWriteTest, RoundTripsThroughTheReader) {
  const Rows rows = {{"name", "notes", "score"},
                     {"Okafor, Amina", "line one\r\nline two", "12"},
                     {"\"Quoted\"", " lead and trail ", "\xE2\x80\x9Csmart\xE2\x80\x9D"}};
  CsvWriteOptions o;
  o.utf8_bom = true;
  auto t = parse_csv(write_csv(rows, o));
  ASSERT_TRUE(t.is_ok()) << t.status().to_string();
  EXPECT_TRUE(t->had_bom);
  EXPECT_EQ(fields_of(*t), rows);
}

TEST(CsvWriteTest, PythonReadsWhatWeWrite) {
  if (!have_python()) GTEST_SKIP() << "no /usr/bin/python3";
  const Rows rows = {{"a,b", "say \"hi\"", "two\nlines"}, {"=cmd", "", "\xC2\xA3"}};
  const std::string got = python(
      "import csv,sys\n"
      "with open(sys.argv[1], newline=\"\", encoding=\"utf-8-sig\") as f:\n"
      "  for row in csv.reader(f, strict=True):\n"
      "    print(\"|\".join(x.replace(\"\\n\", \"<LF>\") for x in row))",
      write_csv(rows, CsvWriteOptions{true, true}));
  EXPECT_EQ(got, "a,b|say \"hi\"|two<LF>lines\n'=cmd||\xC2\xA3\n");
}

}  // namespace
}  // namespace mentoring::core
