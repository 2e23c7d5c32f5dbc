// Mentor training and CPD.
//
// The toolkit: "Before matching mentees to a mentor, it is good practice to
// provide the mentor with training", and "consider ... how often they may
// need to refresh their training". A scheme lists its training modules; each
// mentor's completions are records; `mentor_readiness` says whether a mentor
// may be matched and, if not, exactly which module to do. Mentoring also
// counts towards CPD, so mentors can log hours and see totals per period.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/status.h"

namespace mentoring::core {

struct TrainingModule {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  std::string code;       // stable, [a-z0-9_-]{1,40}: "mentoring_skills"
  std::string title;      // shown to mentors: "Mentoring skills"
  bool required = false;  // must be current before the mentor is matched
  int valid_for_months = 0;  // 0 = never expires; otherwise 1..120
  // Code of the module that renews this one once it expires (a shorter
  // refresher course); empty = take this module again.
  std::string refresher_code;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

inline constexpr std::size_t kMaxModuleCodeLength = 40;
inline constexpr std::size_t kMaxModuleTitleLength = 200;
inline constexpr int kMaxValidForMonths = 120;
// A required module expiring within this many days is flagged "expiring soon".
inline constexpr int kExpiringSoonDays = 30;

// Reasons: training_code_invalid, training_title_required,
// training_title_invalid, training_validity_invalid,
// training_refresher_invalid, training_refresher_is_self.
Status validate(const TrainingModule& module);
// Each module valid, codes unique (training_code_duplicate), and every
// refresher_code names a module in the list (training_refresher_unknown).
Status validate(const std::vector<TrainingModule>& modules);

struct TrainingRecord {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  std::string module_code;
  Date completed_on;
  // The first day the training no longer counts. Absent = computed from the
  // module's valid_for_months (certificates from outside providers may carry
  // their own date, which wins).
  std::optional<Date> expires_on;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// Reasons: training_account_required, training_module_unknown,
// training_completed_in_future, training_expiry_before_completion.
Status validate(const TrainingRecord& record, const std::vector<TrainingModule>& modules, Date today);

// When `record` stops counting for `module`: its own expires_on, else
// completed_on + module.valid_for_months, else never (nullopt).
std::optional<Date> expiry_of(const TrainingRecord& record, const TrainingModule& module);

enum class TrainingIssueKind { kMissing, kExpired, kExpiringSoon };
const char* to_string(TrainingIssueKind v);  // "missing", "expired", "expiring_soon"
std::optional<TrainingIssueKind> parse_training_issue_kind(std::string_view s);

struct TrainingIssue {
  std::string module_code;
  std::string module_title;
  TrainingIssueKind kind = TrainingIssueKind::kMissing;
  std::optional<Date> date;  // when it expired / expires; absent for missing
  std::string reason;        // "training_missing", "training_expired", "training_expiring_soon"
  std::string message;       // shown to the mentor
};

struct MentorReadiness {
  // True when no required module is missing or expired. Modules expiring
  // soon are listed but do not stop matching.
  bool ready = false;
  std::vector<TrainingIssue> issues;  // in module order
};

// For each required module, the mentor's latest completion of it or of its
// refresher decides: none -> missing; expiry <= today -> expired; expiry
// within kExpiringSoonDays -> expiring soon. Records for unknown modules or
// other accounts' records must be filtered out by the caller (records carry
// accountid, so the caller passes one mentor's records).
MentorReadiness mentor_readiness(const std::vector<TrainingModule>& modules,
                                 const std::vector<TrainingRecord>& records, Date today);

// CPD: time spent mentoring or training as a mentor.
struct CpdEntry {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  Date date;
  double hours = 0;       // 0.25..24, in quarter hours
  std::string activity;   // "Mentoring meeting", "Mentor refresher training"
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

inline constexpr std::size_t kMaxCpdActivityLength = 300;

// Reasons: cpd_account_required, cpd_date_in_future, cpd_hours_invalid,
// cpd_hours_not_quarter, cpd_activity_required, cpd_activity_invalid.
Status validate(const CpdEntry& entry, Date today);

// Calendar month, calendar year, or the UK appraisal year (1 April - 31 March).
enum class CpdPeriod { kMonth, kYear, kAppraisalYear };
const char* to_string(CpdPeriod v);  // "month", "year", "appraisal_year"
std::optional<CpdPeriod> parse_cpd_period(std::string_view s);

struct CpdTotal {
  Date starts_on;  // first day of the period
  Date ends_on;    // last day of the period (inclusive)
  double hours = 0;
  int entries = 0;
};

// Totals per period that has at least one entry, oldest first. Hours are
// summed in quarter hours so totals are exact.
std::vector<CpdTotal> cpd_totals(const std::vector<CpdEntry>& entries, CpdPeriod period);

}  // namespace mentoring::core
