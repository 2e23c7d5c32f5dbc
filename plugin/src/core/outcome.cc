#include "core/outcome.h"

#include <cctype>

#include "core/text.h"

namespace mentoring::core {

const char* to_string(OutcomeKind v) {
  switch (v) {
    case OutcomeKind::kArcp:
      return "arcp";
    case OutcomeKind::kExam:
      return "exam";
    case OutcomeKind::kFy1Preparedness:
      return "fy1_preparedness";
  }
  return "arcp";
}

std::optional<OutcomeKind> parse_outcome_kind(std::string_view s) {
  for (auto v : {OutcomeKind::kArcp, OutcomeKind::kExam, OutcomeKind::kFy1Preparedness})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

const char* to_string(ArcpOutcome v) {
  switch (v) {
    case ArcpOutcome::k1:
      return "1";
    case ArcpOutcome::k2:
      return "2";
    case ArcpOutcome::k3:
      return "3";
    case ArcpOutcome::k4:
      return "4";
    case ArcpOutcome::k5:
      return "5";
    case ArcpOutcome::k6:
      return "6";
    case ArcpOutcome::k8:
      return "8";
    case ArcpOutcome::k10_1:
      return "10.1";
    case ArcpOutcome::k10_2:
      return "10.2";
  }
  return "1";
}

const char* describe(ArcpOutcome v) {
  switch (v) {
    case ArcpOutcome::k1:
      return "Satisfactory progress";
    case ArcpOutcome::k2:
      return "Development of specific competences required, no additional training time";
    case ArcpOutcome::k3:
      return "Inadequate progress, additional training time required";
    case ArcpOutcome::k4:
      return "Released from training programme";
    case ArcpOutcome::k5:
      return "Incomplete evidence presented, additional training time may be required";
    case ArcpOutcome::k6:
      return "Gained all required competences";
    case ArcpOutcome::k8:
      return "Out of programme";
    case ArcpOutcome::k10_1:
      return "Progress delayed by COVID-19, no additional training time";
    case ArcpOutcome::k10_2:
      return "Progress delayed by COVID-19, additional training time required";
  }
  return "";
}

namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace

std::optional<ArcpOutcome> parse_arcp_outcome(std::string_view s) {
  std::string t = lower(trim(s));
  if (t.rfind("outcome", 0) == 0) t = trim(t.substr(7));
  for (auto v : kAllArcpOutcomes)
    if (t == to_string(v)) return v;
  return std::nullopt;
}

std::optional<Date> parse_uk_date(std::string_view s) {
  if (auto iso = Date::parse(s)) return iso;
  // DD/MM/YYYY, exactly.
  if (s.size() != 10 || s[2] != '/' || s[5] != '/') return std::nullopt;
  for (std::size_t i : {0, 1, 3, 4, 6, 7, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
  auto num = [&](std::size_t at, std::size_t n) {
    int v = 0;
    for (std::size_t i = at; i < at + n; ++i) v = v * 10 + (s[i] - '0');
    return v;
  };
  return Date::from_ymd(num(6, 4), num(3, 2), num(0, 2));
}

std::vector<CsvColumn> outcome_csv_columns() {
  return {
      {"account_id", false, false},  {"email", false, false},        {"type", true, true},
      {"date", true, true},          {"arcp_outcome", false, false}, {"exam_name", false, false},
      {"exam_result", false, false}, {"rating", false, false},
  };
}

namespace {

struct RowChecker {
  CsvMapped& mapped;
  const CsvRecord& record;
  bool ok = true;

  const std::string& value(std::string_view name) const { return mapped.value(record, name); }
  void fail(std::string_view column, const char* reason, const std::string& what) {
    ok = false;
    CsvRowError e;
    e.row = record.row;
    e.column = 0;  // named by column_name: a person's file may order its columns differently
    e.column_name = std::string(column);
    e.reason = reason;
    e.message = "Row " + std::to_string(record.row) + " (" + std::string(column) + "): " + what;
    mapped.add_error(std::move(e));
  }
  void not_allowed(std::string_view column, const std::string& type) {
    if (!trim(value(column)).empty())
      fail(column, "outcome_value_not_allowed", "a " + type + " row does not take a value here.");
  }
};

}  // namespace

std::vector<OutcomeRow> read_outcome_rows(CsvMapped& mapped, std::int64_t schemeid, Date today) {
  std::vector<OutcomeRow> rows;
  for (const auto& record : mapped.records) {
    RowChecker c{mapped, record};
    OutcomeRow row;
    row.row = record.row;
    row.record.schemeid = schemeid;

    const std::string id_text = trim(c.value("account_id"));
    const std::string email = lower(trim(c.value("email")));
    if (id_text.empty() && email.empty())
      c.fail("account_id", "outcome_person_required", "give the person's account_id or email.");
    if (!id_text.empty()) {
      std::int64_t id = 0;
      bool digits = id_text.size() <= 18;
      for (char ch : id_text) {
        if (!std::isdigit(static_cast<unsigned char>(ch)))
          digits = false;
        else
          id = id * 10 + (ch - '0');
      }
      if (!digits || id <= 0)
        c.fail("account_id", "outcome_account_id_invalid", "the account_id must be a positive whole number.");
      else
        row.accountid = id;
    }
    if (!email.empty()) {
      if (!looks_like_email(email))
        c.fail("email", "outcome_email_invalid", "the email address is not valid.");
      else
        row.email = email;
    }

    const std::string type = lower(trim(c.value("type")));
    auto kind = parse_outcome_kind(type);
    if (!kind) {
      c.fail("type", "outcome_type_unknown", "the type must be arcp, exam or fy1_preparedness.");
    } else {
      row.record.kind = *kind;
    }
    auto date = parse_uk_date(trim(c.value("date")));
    if (!date) {
      c.fail("date", "outcome_date_invalid", "the date must be YYYY-MM-DD or DD/MM/YYYY and a real day.");
    } else if (*date > today) {
      c.fail("date", "outcome_date_in_future", "the date is in the future.");
    } else {
      row.record.recorded_on = *date;
    }

    if (kind) {
      const std::string type_name = to_string(*kind);
      switch (*kind) {
        case OutcomeKind::kArcp: {
          auto code = parse_arcp_outcome(c.value("arcp_outcome"));
          if (!code)
            c.fail("arcp_outcome", "outcome_arcp_code_unknown",
                   "the ARCP outcome must be one of 1, 2, 3, 4, 5, 6, 8, 10.1 or 10.2.");
          else
            row.record.arcp = *code;
          c.not_allowed("exam_name", type_name);
          c.not_allowed("exam_result", type_name);
          c.not_allowed("rating", type_name);
          break;
        }
        case OutcomeKind::kExam: {
          const std::string name = trim(c.value("exam_name"));
          if (name.empty())
            c.fail("exam_name", "outcome_exam_name_required", "give the name of the exam.");
          else if (name.size() > kMaxExamNameLength || !is_valid_utf8_text(name, false))
            c.fail("exam_name", "outcome_exam_name_invalid", "the exam name must be one line of at most 200 bytes.");
          else
            row.record.exam_name = name;
          const std::string result = lower(trim(c.value("exam_result")));
          if (result == "pass")
            row.record.exam_passed = true;
          else if (result == "fail")
            row.record.exam_passed = false;
          else
            c.fail("exam_result", "outcome_exam_result_invalid", "the exam result must be pass or fail.");
          c.not_allowed("arcp_outcome", type_name);
          c.not_allowed("rating", type_name);
          break;
        }
        case OutcomeKind::kFy1Preparedness: {
          const std::string r = trim(c.value("rating"));
          if (r.size() == 1 && r[0] >= '0' + kMinPreparednessRating && r[0] <= '0' + kMaxPreparednessRating)
            row.record.rating = r[0] - '0';
          else
            c.fail("rating", "outcome_rating_invalid", "the rating must be a whole number from 1 to 5.");
          c.not_allowed("arcp_outcome", type_name);
          c.not_allowed("exam_name", type_name);
          c.not_allowed("exam_result", type_name);
          break;
        }
      }
    }
    if (c.ok) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace mentoring::core
