// The mentoring agreement (toolkit: "Mentoring agreement or contract,
// including frequency and duration of meetings as well as boundaries and
// ground rules"). A scheme keeps one versioned template; each pair accepts it
// and may only book meetings once both have accepted the current version.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core {

enum class MeetingFrequency { kWeekly, kFortnightly, kMonthly, kEverySixWeeks };
const char* to_string(MeetingFrequency v);  // "weekly", "fortnightly", "monthly", "every_six_weeks"
std::optional<MeetingFrequency> parse_meeting_frequency(std::string_view s);
// As written in the agreement: "every week", "every two weeks", "every month", "every six weeks".
const char* describe(MeetingFrequency v);

// The confidentiality limits used when a scheme writes none of its own.
extern const char* const kDefaultConfidentialityText;

inline constexpr int kDefaultMeetingMinutes = 60;  // toolkit: "usually one hour monthly"
inline constexpr int kMinMeetingMinutes = 15;
inline constexpr int kMaxMeetingMinutes = 240;
inline constexpr int kMaxSchemeMonths = 36;
inline constexpr std::size_t kMaxAgreementTextLength = 10000;

struct AgreementTemplate {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  int version = 1;  // raised on every change; acceptances name the version they accepted
  MeetingFrequency frequency = MeetingFrequency::kMonthly;
  int meeting_minutes = kDefaultMeetingMinutes;
  int duration_months = 12;
  std::string boundaries;
  std::string ground_rules;
  std::string confidentiality = kDefaultConfidentialityText;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// Reasons: agreement_scheme_required, agreement_version_invalid,
// agreement_minutes_invalid, agreement_duration_invalid,
// agreement_boundaries_invalid, agreement_ground_rules_invalid,
// agreement_confidentiality_required, agreement_confidentiality_invalid.
Status validate(const AgreementTemplate& agreement);

// The agreement as plain text for both people to read and accept. Names are
// shown as given with control characters removed; blank boundaries or ground
// rules sections are left out. The web layer escapes it for HTML.
std::string render_agreement_text(const AgreementTemplate& agreement, std::string_view mentee_name,
                                  std::string_view mentor_name);

struct AgreementAcceptance {
  std::int64_t id = 0;
  std::int64_t pairingid = 0;
  int template_version = 0;
  std::int64_t accepted_by = 0;  // account id
  UnixSeconds accepted_at = 0;
};

enum class AgreementStatus {
  kPending,               // nobody has accepted any version
  kAcceptedByMenteeOnly,  // of the current version
  kAcceptedByMentorOnly,
  kAccepted,              // both accepted the current version
  kOutdated,              // accepted before, but the template changed since; both must accept again
};
// "pending", "accepted_by_mentee_only", "accepted_by_mentor_only", "accepted", "outdated".
const char* to_string(AgreementStatus v);
std::optional<AgreementStatus> parse_agreement_status(std::string_view s);

// The pair's status from their acceptances (others' acceptances are ignored).
// Only acceptances of `current_version` count as current; when neither person
// has accepted it but either accepted an earlier version, it is outdated.
AgreementStatus agreement_status(const std::vector<AgreementAcceptance>& acceptances, std::int64_t mentee_id,
                                 std::int64_t mentor_id, int current_version);

// Meetings may be booked only once both have accepted the current agreement.
// failed_precondition, field "agreement", reasons: agreement_not_accepted,
// agreement_awaiting_mentor, agreement_awaiting_mentee, agreement_outdated.
Status check_can_book_meeting(AgreementStatus status);

}  // namespace mentoring::core
