#include "core/csv.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <set>

#include "core/text.h"

namespace mentoring::core {
namespace {

// "100000" -> "100,000" for messages.
std::string with_commas(std::size_t n) {
  std::string digits = std::to_string(n);
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

std::string at(std::size_t row, std::size_t column) {
  return "Row " + with_commas(row) + ", column " + std::to_string(column) + ": ";
}

// Line number (1-based) of byte `offset`, counting CR, LF and CRLF as one end.
std::size_t line_of(std::string_view s, std::size_t offset) {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < s.size(); ++i) {
    if (s[i] == '\n') ++line;
    else if (s[i] == '\r' && (i + 1 >= s.size() || s[i + 1] != '\n')) ++line;
  }
  return line;
}

// Length of the well-formed UTF-8 sequence at s[i], or 0 if there is none.
std::size_t utf8_sequence(std::string_view s, std::size_t i) {
  const unsigned char c = static_cast<unsigned char>(s[i]);
  if (c < 0x80) return 1;
  std::size_t len;
  std::uint32_t cp;
  if ((c & 0xE0) == 0xC0) { len = 2; cp = c & 0x1F; }
  else if ((c & 0xF0) == 0xE0) { len = 3; cp = c & 0x0F; }
  else if ((c & 0xF8) == 0xF0) { len = 4; cp = c & 0x07; }
  else return 0;
  if (i + len > s.size()) return 0;
  for (std::size_t k = 1; k < len; ++k) {
    const unsigned char cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (cc & 0x3F);
  }
  if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return 0;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

std::size_t first_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const std::size_t n = utf8_sequence(s, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Windows-1252 0x80-0x9F (0 = undefined), from the Unicode mapping file
// https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT.
constexpr std::uint16_t kCp1252High[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,  // 80-87
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,       // 88-8F
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,  // 90-97
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,  // 98-9F
};

Status error_at(Code code, std::size_t row, std::size_t column, const char* reason, const std::string& what) {
  return Status(code, reason, at(row, column) + what, "file");
}

}  // namespace

const char* to_string(CsvEncoding v) { return v == CsvEncoding::kWindows1252 ? "windows-1252" : "utf-8"; }

bool is_well_formed_utf8(std::string_view bytes) { return first_invalid_utf8(bytes) == std::string_view::npos; }

Result<std::string> windows1252_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 4);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else if (c < 0xA0) {
      const std::uint16_t cp = kCp1252High[c - 0x80];
      if (cp == 0) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "0x%02X", c);
        return Status::invalid("csv_unknown_encoding",
                               "Line " + with_commas(line_of(bytes, i)) + ": the file is neither UTF-8 nor "
                               "Windows-1252 text (byte " + hex + "); save it as \"CSV UTF-8\" and try again.",
                               "file");
      }
      append_utf8(out, cp);
    } else {
      append_utf8(out, c);  // 0xA0-0xFF are U+00A0-U+00FF
    }
  }
  return out;
}

Result<CsvTable> parse_csv(std::string_view bytes, const CsvLimits& limits) {
  if (bytes.size() > limits.max_bytes)
    return Status::resource_exhausted("csv_too_large",
                                      "The file is " + with_commas(bytes.size()) + " bytes; the most that can be read "
                                      "is " + with_commas(limits.max_bytes) + " bytes. Split it into smaller files.");
  CsvTable table;
  if (bytes.size() >= 3 && bytes.substr(0, 3) == "\xEF\xBB\xBF") {
    table.had_bom = true;
    bytes.remove_prefix(3);
  }
  if (bytes.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Status::invalid("csv_empty", "The file is empty.", "file");

  // Encoding first, so every later position is in the text people see.
  std::string converted;
  const std::size_t bad = first_invalid_utf8(bytes);
  if (bad != std::string_view::npos) {
    if (table.had_bom)
      return Status::invalid("csv_invalid_utf8",
                             "Line " + with_commas(line_of(bytes, bad)) + ": the file says it is UTF-8 but is not; "
                             "save it again as \"CSV UTF-8\".",
                             "file");
    auto c = windows1252_to_utf8(bytes);
    if (!c) return c.status();
    converted = std::move(*c);
    bytes = converted;
    table.encoding = CsvEncoding::kWindows1252;
  }

  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted };
  State state = State::kFieldStart;
  std::size_t row = 1;            // spreadsheet row of the record being read
  std::size_t records = 0;        // non-blank records kept
  std::size_t quote_row = 0;      // where the open quoted field started
  std::size_t quote_column = 0;
  bool record_started = false;
  std::vector<std::string> fields;
  std::string field;

  auto column = [&] { return fields.size() + 1; };
  auto end_field = [&]() -> Status {
    if (fields.size() >= limits.max_fields)
      return error_at(Code::kResourceExhausted, row, column(), "csv_too_many_fields",
                      "the row has more than " + with_commas(limits.max_fields) + " columns.");
    fields.push_back(std::move(field));
    field.clear();
    return Status::ok();
  };
  auto end_record = [&]() -> Status {
    MENTORING_RETURN_IF_ERROR(end_field());
    // Blank lines and rows of empty cells (",,,", which spreadsheets write for
    // formatted but empty rows) carry nothing.
    const bool blank = std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return f.empty(); });
    if (!blank) {
      if (records >= limits.max_rows)
        return Status(Code::kResourceExhausted, "csv_too_many_rows",
                      "Row " + with_commas(row) + ": the file has more than " + with_commas(limits.max_rows) +
                          " rows; split it into smaller files.",
                      "file");
      ++records;
      table.rows.push_back(CsvRow{row, std::move(fields)});
    }
    fields.clear();
    ++row;
    record_started = false;
    return Status::ok();
  };
  auto append = [&](char c) -> Status {
    if (field.size() >= limits.max_field_bytes)
      return error_at(Code::kResourceExhausted, row, column(), "csv_field_too_long",
                      "the value is longer than " + with_commas(limits.max_field_bytes) + " characters.");
    field.push_back(c);
    return Status::ok();
  };

  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    if (c == '\0')
      return error_at(Code::kInvalidArgument, row, column(), "csv_nul_byte",
                      "the file contains a NUL byte, so it is probably not a text file.");
    const bool line_end = c == '\r' || c == '\n';
    // CRLF is one line end: the CR ends the record, the LF is skipped.
    const bool crlf = c == '\r' && i + 1 < bytes.size() && bytes[i + 1] == '\n';
    switch (state) {
      case State::kFieldStart:
      case State::kUnquoted:
        if (c == ',') {
          MENTORING_RETURN_IF_ERROR(end_field());
          record_started = true;
          state = State::kFieldStart;
        } else if (line_end) {
          if (record_started) {
            MENTORING_RETURN_IF_ERROR(end_record());
          } else {
            ++row;  // an empty line
          }
          if (crlf) ++i;
          state = State::kFieldStart;
        } else if (c == '"') {
          if (state == State::kUnquoted)
            return error_at(Code::kInvalidArgument, row, column(), "csv_stray_quote",
                            "a quote mark is inside a value that does not start with one; put the whole value in "
                            "quotes and double the quote mark (\"\").");
          quote_row = row;
          quote_column = column();
          record_started = true;
          state = State::kQuoted;
        } else {
          MENTORING_RETURN_IF_ERROR(append(c));
          record_started = true;
          state = State::kUnquoted;
        }
        break;
      case State::kQuoted:
        if (c == '"') {
          state = State::kQuoteInQuoted;
        } else {
          // Line ends inside quotes are part of the value, kept as written.
          MENTORING_RETURN_IF_ERROR(append(c));
        }
        break;
      case State::kQuoteInQuoted:
        if (c == '"') {
          MENTORING_RETURN_IF_ERROR(append('"'));
          state = State::kQuoted;
        } else if (c == ',') {
          MENTORING_RETURN_IF_ERROR(end_field());
          state = State::kFieldStart;
        } else if (line_end) {
          MENTORING_RETURN_IF_ERROR(end_record());
          if (crlf) ++i;
          state = State::kFieldStart;
        } else {
          return error_at(Code::kInvalidArgument, row, column(), "csv_stray_quote",
                          "there is text after the closing quote mark; a quote mark inside a quoted value must be "
                          "doubled (\"\").");
        }
        break;
    }
  }
  if (state == State::kQuoted)
    return error_at(Code::kInvalidArgument, quote_row, quote_column, "csv_unbalanced_quote",
                    "a quoted value is never closed; check for a missing quote mark.");
  if (record_started) MENTORING_RETURN_IF_ERROR(end_record());
  if (table.rows.empty()) return Status::invalid("csv_empty", "The file has no rows with values.", "file");
  return table;
}

std::string normalise_csv_header(std::string_view name) {
  std::string out = trim(name);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    else if (c == ' ' || c == '-') c = '_';
  }
  return out;
}

std::size_t CsvMapped::index_of(std::string_view name) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return i;
  return columns.size();
}

const std::string& CsvMapped::value(const CsvRecord& record, std::string_view name) const {
  static const std::string kEmpty;
  const std::size_t i = index_of(name);
  return i < record.values.size() ? record.values[i] : kEmpty;
}

void CsvMapped::add_error(CsvRowError error) {
  if (errors.size() >= kMaxCsvRowErrors) {
    ++errors_not_listed;
    return;
  }
  errors.push_back(std::move(error));
}

Result<CsvMapped> map_csv_columns(const CsvTable& table, const std::vector<CsvColumn>& spec,
                                  bool allow_unknown_columns) {
  if (table.rows.empty())
    return Status::invalid("csv_no_header", "The file is empty; the first row must name the columns.", "file");
  const CsvRow& header_row = table.rows.front();
  std::vector<std::string> header;
  for (const auto& h : header_row.fields) header.push_back(normalise_csv_header(h));
  // Trailing unnamed columns are spreadsheet noise; unnamed ones in between are not.
  std::size_t width = header.size();
  while (width > 0 && header[width - 1].empty()) --width;
  for (std::size_t c = 0; c < width; ++c)
    if (header[c].empty())
      return Status::invalid("csv_header_blank", at(header_row.number, c + 1) + "the column has no name.", "file");

  std::set<std::string> seen;
  for (std::size_t c = 0; c < width; ++c)
    if (!seen.insert(header[c]).second)
      return Status::invalid("csv_duplicate_column",
                             at(header_row.number, c + 1) + "the column '" + header[c] + "' appears twice.", "file");

  CsvMapped out;
  out.columns = spec;
  std::vector<std::size_t> source(spec.size(), SIZE_MAX);  // spec column -> file column
  std::vector<std::string> missing;
  for (std::size_t s = 0; s < spec.size(); ++s) {
    out.columns[s].name = normalise_csv_header(spec[s].name);
    for (std::size_t c = 0; c < width; ++c)
      if (header[c] == out.columns[s].name) source[s] = c;
    if (source[s] == SIZE_MAX && (spec[s].required || spec[s].value_required))
      missing.push_back("'" + out.columns[s].name + "'");
  }
  auto join = [](const std::vector<std::string>& items) {
    std::string r;
    for (std::size_t i = 0; i < items.size(); ++i) r += (i ? ", " : "") + items[i];
    return r;
  };
  if (!missing.empty())
    return Status::invalid("csv_missing_column",
                           "Row " + with_commas(header_row.number) + ": the first row must name the column" +
                               (missing.size() == 1 ? " " : "s ") + join(missing) + ".",
                           "file");
  if (!allow_unknown_columns) {
    std::vector<std::string> unknown;
    for (std::size_t c = 0; c < width; ++c)
      if (std::none_of(out.columns.begin(), out.columns.end(), [&](const CsvColumn& k) { return k.name == header[c]; }))
        unknown.push_back("'" + header[c] + "'");
    if (!unknown.empty()) {
      std::vector<std::string> known;
      for (const auto& k : out.columns) known.push_back("'" + k.name + "'");
      return Status::invalid("csv_unknown_column",
                             "Row " + with_commas(header_row.number) + ": the column" +
                                 (unknown.size() == 1 ? " " : "s ") + join(unknown) +
                                 (unknown.size() == 1 ? " is" : " are") + " not expected; the columns are " +
                                 join(known) + ".",
                             "file");
    }
  }

  for (std::size_t r = 1; r < table.rows.size(); ++r) {
    const CsvRow& row = table.rows[r];
    ++out.rows_read;
    bool extra = false;
    for (std::size_t c = width; c < row.fields.size(); ++c)
      if (!row.fields[c].empty()) extra = true;
    if (row.fields.size() < width || extra) {
      out.add_error({row.number, 0, "", "csv_wrong_field_count",
                     "Row " + with_commas(row.number) + ": the row has " + std::to_string(row.fields.size()) +
                         " values but the first row names " + std::to_string(width) + " columns."});
      continue;
    }
    CsvRecord rec;
    rec.row = row.number;
    bool ok = true;
    for (std::size_t s = 0; s < out.columns.size(); ++s) {
      std::string v = source[s] == SIZE_MAX ? std::string() : row.fields[source[s]];
      if (out.columns[s].value_required && trim(v).empty()) {
        out.add_error({row.number, source[s] + 1, out.columns[s].name, "csv_value_required",
                       at(row.number, source[s] + 1) + "give a value for '" + out.columns[s].name + "'."});
        ok = false;
      }
      rec.values.push_back(std::move(v));
    }
    if (ok) out.records.push_back(std::move(rec));
  }
  return out;
}

std::string csv_escape_field(std::string_view field, bool neutralise_formulas) {
  std::string value;
  // OWASP CSV Injection: a leading =, +, -, @, tab or CR makes spreadsheets
  // treat the cell as a formula; an apostrophe makes it text.
  if (neutralise_formulas && !field.empty() && std::string_view("=+-@\t\r").find(field.front()) != std::string_view::npos)
    value.push_back('\'');
  value.append(field);
  const bool quote = value.find_first_of(",\"\r\n") != std::string::npos ||
                     (!value.empty() && (value.front() == ' ' || value.back() == ' '));
  if (!quote) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string write_csv(const std::vector<std::vector<std::string>>& rows, const CsvWriteOptions& options) {
  std::string out;
  if (options.utf8_bom) out += "\xEF\xBB\xBF";
  for (const auto& row : rows) {
    // A lone empty value is written as "" so the row is not an empty line.
    if (row.size() == 1 && row[0].empty()) out += "\"\"";
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out.push_back(',');
      out += csv_escape_field(row[i], options.neutralise_formulas);
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace mentoring::core
