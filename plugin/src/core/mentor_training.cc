#include "core/mentor_training.h"

#include <cmath>
#include <map>
#include <set>

#include "core/objective.h"
#include "core/text.h"

namespace mentoring::core {
namespace {

bool is_module_code(std::string_view s) {
  if (s.empty() || s.size() > kMaxModuleCodeLength) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
  return true;
}

const TrainingModule* find_module(const std::vector<TrainingModule>& modules, std::string_view code) {
  for (const auto& m : modules)
    if (m.code == code) return &m;
  return nullptr;
}

std::string quoted(std::string_view title) { return "'" + std::string(title) + "'"; }

}  // namespace

Status validate(const TrainingModule& m) {
  if (!is_module_code(m.code))
    return Status::invalid("training_code_invalid",
                           "The module code must be 1 to 40 lower-case letters, digits, '_' or '-'.", "code");
  if (trim(m.title).empty())
    return Status::invalid("training_title_required", "Give the training module a title.", "title");
  if (m.title.size() > kMaxModuleTitleLength || !is_valid_utf8_text(m.title))
    return Status::invalid("training_title_invalid", "The title must be one line of at most 200 characters.",
                           "title");
  if (m.valid_for_months < 0 || m.valid_for_months > kMaxValidForMonths)
    return Status::invalid("training_validity_invalid",
                           "Training can stay valid for 0 (never expires) to 120 months.", "valid_for_months");
  if (!m.refresher_code.empty() && !is_module_code(m.refresher_code))
    return Status::invalid("training_refresher_invalid", "The refresher must be given by its module code.",
                           "refresher_code");
  if (m.refresher_code == m.code)
    return Status::invalid("training_refresher_is_self",
                           "Leave the refresher empty when the module itself is retaken.", "refresher_code");
  return Status::ok();
}

Status validate(const std::vector<TrainingModule>& modules) {
  std::set<std::string> codes;
  for (const auto& m : modules) {
    MENTORING_RETURN_IF_ERROR(validate(m));
    if (!codes.insert(m.code).second)
      return Status::invalid("training_code_duplicate", "Two training modules have the code '" + m.code + "'.",
                             "code");
  }
  for (const auto& m : modules)
    if (!m.refresher_code.empty() && !codes.contains(m.refresher_code))
      return Status::invalid("training_refresher_unknown",
                             "The refresher for '" + m.title + "' is not one of the scheme's modules.",
                             "refresher_code");
  return Status::ok();
}

Status validate(const TrainingRecord& r, const std::vector<TrainingModule>& modules, Date today) {
  if (r.accountid <= 0)
    return Status::invalid("training_account_required", "Say whose training this is.", "accountid");
  if (!find_module(modules, r.module_code))
    return Status::invalid("training_module_unknown", "Choose one of the scheme's training modules.",
                           "module_code");
  if (r.completed_on > today)
    return Status::invalid("training_completed_in_future", "Training cannot be completed in the future.",
                           "completed_on");
  if (r.expires_on && *r.expires_on <= r.completed_on)
    return Status::invalid("training_expiry_before_completion",
                           "The expiry date must be after the completion date.", "expires_on");
  return Status::ok();
}

std::optional<Date> expiry_of(const TrainingRecord& r, const TrainingModule& m) {
  if (r.expires_on) return r.expires_on;
  if (m.valid_for_months <= 0) return std::nullopt;
  return add_months(r.completed_on, m.valid_for_months);
}

const char* to_string(TrainingIssueKind v) {
  switch (v) {
    case TrainingIssueKind::kMissing: return "missing";
    case TrainingIssueKind::kExpired: return "expired";
    case TrainingIssueKind::kExpiringSoon: return "expiring_soon";
  }
  return "missing";
}

std::optional<TrainingIssueKind> parse_training_issue_kind(std::string_view s) {
  for (auto v : {TrainingIssueKind::kMissing, TrainingIssueKind::kExpired, TrainingIssueKind::kExpiringSoon})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

MentorReadiness mentor_readiness(const std::vector<TrainingModule>& modules,
                                 const std::vector<TrainingRecord>& records, Date today) {
  MentorReadiness out;
  out.ready = true;
  for (const auto& m : modules) {
    if (!m.required) continue;
    bool found = false;
    bool never_expires = false;
    Date latest_expiry;
    for (const auto& r : records) {
      if (r.module_code != m.code && (m.refresher_code.empty() || r.module_code != m.refresher_code)) continue;
      // A completion dated after today is a data error; it does not count yet.
      if (r.completed_on > today) continue;
      const auto e = expiry_of(r, m);
      if (!e) never_expires = true;
      else if (!found || *e > latest_expiry) latest_expiry = *e;
      found = true;
    }
    const TrainingModule* refresher = m.refresher_code.empty() ? nullptr : find_module(modules, m.refresher_code);
    const std::string renew = refresher ? "complete the refresher, " + quoted(refresher->title) + ","
                                        : "complete it again";
    TrainingIssue issue;
    issue.module_code = m.code;
    issue.module_title = m.title;
    if (!found) {
      issue.kind = TrainingIssueKind::kMissing;
      issue.reason = "training_missing";
      issue.message = "Complete the " + quoted(m.title) + " training to be matched with a mentee.";
      out.ready = false;
    } else if (never_expires) {
      continue;
    } else if (latest_expiry <= today) {
      issue.kind = TrainingIssueKind::kExpired;
      issue.date = latest_expiry;
      issue.reason = "training_expired";
      issue.message = "Your " + quoted(m.title) + " training expired on " + latest_expiry.to_string() + "; " +
                      renew + " to be matched.";
      out.ready = false;
    } else if (latest_expiry.days_since_epoch() - today.days_since_epoch() <= kExpiringSoonDays) {
      issue.kind = TrainingIssueKind::kExpiringSoon;
      issue.date = latest_expiry;
      issue.reason = "training_expiring_soon";
      issue.message = "Your " + quoted(m.title) + " training expires on " + latest_expiry.to_string() + "; " +
                      renew + " before then to stay available for matching.";
    } else {
      continue;
    }
    out.issues.push_back(std::move(issue));
  }
  return out;
}

Status validate(const CpdEntry& e, Date today) {
  if (e.accountid <= 0) return Status::invalid("cpd_account_required", "Say whose CPD this is.", "accountid");
  if (e.date > today) return Status::invalid("cpd_date_in_future", "CPD cannot be logged for a future date.", "date");
  if (!std::isfinite(e.hours) || e.hours < 0.25 || e.hours > 24)
    return Status::invalid("cpd_hours_invalid", "Log between 0.25 and 24 hours.", "hours");
  const double quarters = e.hours * 4;
  if (quarters != std::floor(quarters))
    return Status::invalid("cpd_hours_not_quarter", "Log hours in quarter hours, for example 1.25 or 1.5.", "hours");
  if (trim(e.activity).empty())
    return Status::invalid("cpd_activity_required", "Say what the CPD activity was.", "activity");
  if (e.activity.size() > kMaxCpdActivityLength || !is_valid_utf8_text(e.activity))
    return Status::invalid("cpd_activity_invalid", "Describe the activity in one line of at most 300 characters.",
                           "activity");
  return Status::ok();
}

const char* to_string(CpdPeriod v) {
  switch (v) {
    case CpdPeriod::kMonth: return "month";
    case CpdPeriod::kYear: return "year";
    case CpdPeriod::kAppraisalYear: return "appraisal_year";
  }
  return "month";
}

std::optional<CpdPeriod> parse_cpd_period(std::string_view s) {
  for (auto v : {CpdPeriod::kMonth, CpdPeriod::kYear, CpdPeriod::kAppraisalYear})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

std::vector<CpdTotal> cpd_totals(const std::vector<CpdEntry>& entries, CpdPeriod period) {
  struct Sum { Date ends_on; long long quarters = 0; int entries = 0; };
  std::map<Date, Sum> by_start;
  for (const auto& e : entries) {
    const int y = e.date.year();
    const int mo = e.date.month();
    Date start;
    Date next;
    switch (period) {
      case CpdPeriod::kMonth:
        start = Date::from_ymd(y, mo, 1).value_or(e.date);
        next = add_months(start, 1);
        break;
      case CpdPeriod::kYear:
        start = Date::from_ymd(y, 1, 1).value_or(e.date);
        next = add_months(start, 12);
        break;
      case CpdPeriod::kAppraisalYear:
        // Dates before 1900 fall outside Date's range; such an entry forms its own period.
        start = Date::from_ymd(mo >= 4 ? y : y - 1, 4, 1).value_or(e.date);
        next = add_months(start, 12);
        break;
    }
    Sum& s = by_start[start];
    s.ends_on = next.plus_days(-1);
    s.quarters += std::llround(e.hours * 4);
    s.entries += 1;
  }
  std::vector<CpdTotal> out;
  for (const auto& [start, s] : by_start)
    out.push_back({start, s.ends_on, static_cast<double>(s.quarters) / 4.0, s.entries});
  return out;
}

}  // namespace mentoring::core
