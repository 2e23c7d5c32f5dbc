// CSV import and export (RFC 4180) for bulk enrolment and reports.
//
// Files come from spreadsheets, so the reader accepts what Excel and
// LibreOffice write: a UTF-8 byte order mark, CR, LF or CRLF line ends (mixed
// too), and Windows-1252 text from older Excel "CSV" saves, which it detects
// (the bytes are not valid UTF-8) and converts. It is strict about quoting:
// a quote inside an unquoted field or text after a closing quote is an error
// naming the row and column, because guessing would silently shift columns.
//
// Rows are numbered as a spreadsheet shows them: the first record is row 1
// (usually the header), and a quoted field spanning lines is still one row.
//
// Debian ships libcsv (3.0.3, 2013) and fast-cpp-csv-parser (a 2016
// snapshot); neither detects encodings, reports row/column positions for
// every limit, or guards against formula injection, and the core links only
// the standard library, so the small state machine is written here.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace mentoring::core {

struct CsvLimits {
  std::size_t max_bytes = 20 * 1024 * 1024;  // before any conversion
  std::size_t max_rows = 100000;             // records, header included, blank lines excluded
  std::size_t max_fields = 200;              // per row
  std::size_t max_field_bytes = 10000;       // per field, after conversion to UTF-8
};

enum class CsvEncoding { kUtf8, kWindows1252 };
const char* to_string(CsvEncoding v);  // "utf-8", "windows-1252"

struct CsvRow {
  std::size_t number = 0;  // 1-based record number, as a spreadsheet shows it
  std::vector<std::string> fields;
};

struct CsvTable {
  std::vector<CsvRow> rows;  // blank rows are skipped (their numbers are not reused)
  CsvEncoding encoding = CsvEncoding::kUtf8;
  bool had_bom = false;
};

// Parses a whole file. Errors (the first found stops parsing):
//   resource_exhausted: csv_too_large, csv_too_many_rows, csv_too_many_fields,
//                       csv_field_too_long;
//   invalid_argument:   csv_empty, csv_nul_byte, csv_invalid_utf8 (a BOM
//                       promised UTF-8 but the bytes are not),
//                       csv_unknown_encoding (neither UTF-8 nor Windows-1252),
//                       csv_unbalanced_quote, csv_stray_quote.
// Every error's field is "file". Errors about a place in the file start
// "Row R, column C: " or "Row R: " (encoding errors, found before rows are
// split, start "Line L: ") so a person can find the problem in their
// spreadsheet. Blank lines and rows whose values are all empty (",,,", which
// spreadsheets write for formatted but empty rows) are skipped and do not
// count towards max_rows.
Result<CsvTable> parse_csv(std::string_view bytes, const CsvLimits& limits = {});

// Converts Windows-1252 bytes to UTF-8 (the whole 0x80-0x9F table). Fails on
// the five bytes Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D).
Result<std::string> windows1252_to_utf8(std::string_view bytes);

// Well-formed UTF-8: no overlong forms, surrogates or code points above
// U+10FFFF. Control characters are allowed (unlike is_valid_utf8_text).
bool is_well_formed_utf8(std::string_view bytes);

// Header-mapped reading.
struct CsvColumn {
  std::string name;           // canonical name, e.g. "email"
  bool required = false;      // the header must include this column
  bool value_required = false;  // every row must give a value (implies required)
};

// A problem with one row, for dry runs: the import page lists them all and
// imports nothing until there are none. column is 1-based, 0 = whole row.
struct CsvRowError {
  std::size_t row = 0;
  std::size_t column = 0;
  std::string column_name;
  std::string reason;
  std::string message;  // "Row 7, column 2 (email): give a value."
};

struct CsvRecord {
  std::size_t row = 0;
  std::vector<std::string> values;  // one per spec column, in spec order; "" for an absent optional column
};

struct CsvMapped {
  std::vector<CsvColumn> columns;  // the spec, in order; values line up with it
  std::vector<CsvRecord> records;  // rows without errors
  std::vector<CsvRowError> errors; // at most kMaxCsvRowErrors
  std::size_t errors_not_listed = 0;  // errors beyond kMaxCsvRowErrors
  std::size_t rows_read = 0;       // data rows seen (good and bad)

  // Index of a spec column by canonical name, or columns.size() if absent.
  std::size_t index_of(std::string_view name) const;
  // A record's value for a named spec column ("" if unknown).
  const std::string& value(const CsvRecord& record, std::string_view name) const;
  // Records a row error found by later validation (keeps the list bounded).
  void add_error(CsvRowError error);
};

inline constexpr std::size_t kMaxCsvRowErrors = 1000;

// Canonical header name: trimmed, ASCII lower-case, spaces and '-' as '_'
// ("Email Address" -> "email_address").
std::string normalise_csv_header(std::string_view name);

// Maps the first row as the header onto `spec`. File-level errors (Status):
// csv_no_header, csv_header_blank (an unnamed column), csv_duplicate_column,
// csv_missing_column (lists every missing required column),
// csv_unknown_column (when !allow_unknown_columns). Row-level problems go in
// `errors`: csv_wrong_field_count, csv_value_required; other columns are
// ignored when allowed.
Result<CsvMapped> map_csv_columns(const CsvTable& table, const std::vector<CsvColumn>& spec,
                                  bool allow_unknown_columns = false);

// Writing.
struct CsvWriteOptions {
  bool utf8_bom = false;           // Excel on Windows needs it to read UTF-8
  bool neutralise_formulas = true; // see csv_escape_field
};

// One field as written: fields starting with '=', '+', '-', '@', tab or CR
// get a leading apostrophe so a spreadsheet shows them as text instead of
// running them (OWASP "CSV Injection"); then the field is quoted if it holds
// a comma, quote, CR or LF, or starts or ends with a space, with quotes doubled.
std::string csv_escape_field(std::string_view field, bool neutralise_formulas = true);

// Rows joined with CRLF (RFC 4180), each ending in CRLF.
std::string write_csv(const std::vector<std::vector<std::string>>& rows, const CsvWriteOptions& options = {});

}  // namespace mentoring::core
