// The webhook event catalogue: what the host tells the plugin about people
// (inbound) and what the plugin tells the host about mentoring (outbound),
// as plain values. docs/webhooks.md documents each event's JSON.
//
// Pure: the adapter decodes JSON into these types, the checks here are
// field rules only, and the use case in app/webhook_inbox.h decides what an
// event does to the stores.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/date.h"
#include "core/profile.h"
#include "core/status.h"

namespace mentoring::core {

enum class InboundEventType {
  kAccountCreated,             // "account.created"
  kAccountUpdated,             // "account.updated"
  kAccountSuspended,           // "account.suspended"
  kAccountDeleted,             // "account.deleted"
  kPlacementChanged,           // "placement.changed"
  kProgrammeEnrolmentChanged,  // "programme_enrolment.changed"
  kTrainingOutcomeRecorded,    // "training_outcome.recorded"
};
const char* to_string(InboundEventType t);
std::optional<InboundEventType> parse_inbound_event_type(std::string_view s);

// Events the plugin sends. Other features append them to the outbox with
// `stores.outbox.append(to_string(type), payload_json, now)`.
enum class OutboundEventType {
  kEnrolled,            // "mentoring.enrolled"
  kPairingProposed,     // "mentoring.pairing_proposed"
  kPairingConfirmed,    // "mentoring.pairing_confirmed"
  kPairingEnded,        // "mentoring.pairing_ended"
  kMeetingDue,          // "mentoring.meeting_due"
  kSurveyDue,           // "mentoring.survey_due"
  kEscalationRaised,    // "mentoring.escalation_raised" (to the point of contact)
  kCertificateIssued,   // "mentoring.certificate_issued"
};
const char* to_string(OutboundEventType t);
std::optional<OutboundEventType> parse_outbound_event_type(std::string_view s);

// A person as the host names them: the LTI issuer and subject.
struct PersonRef {
  std::string platform;
  std::string subject;
  // A one-way digest of (platform, subject), filled in by the adapter, that
  // lets an erasure be remembered without keeping the subject.
  std::string subject_key;
};

// account.created / account.updated. Empty strings mean "not given".
struct AccountDetails {
  std::string name;
  std::string email;
  std::string gmc_number;  // 7 digits
  std::optional<CareerStage> career_stage;
  std::string specialty;
  std::string programme;
  std::string site;
  std::string region;
};

struct PlacementChange {
  std::string site;  // required
  std::string region;
  std::string specialty;
  std::optional<Date> starts_on;
};

enum class ProgrammeStatus { kEnrolled, kCompleted, kWithdrawn, kOutOfProgramme };
const char* to_string(ProgrammeStatus s);  // "enrolled", "completed", "withdrawn", "out_of_programme"
std::optional<ProgrammeStatus> parse_programme_status(std::string_view s);

struct ProgrammeEnrolmentChange {
  std::string programme;  // required
  ProgrammeStatus status = ProgrammeStatus::kEnrolled;
};

// An ARCP outcome ("1", "2", "3", "4", "5", "6", "8", "10.1", "10.2").
struct TrainingOutcome {
  std::string outcome;
  Date recorded_on;
  std::string programme;
};
bool is_arcp_outcome(std::string_view s);

struct InboundEvent {
  InboundEventType type = InboundEventType::kAccountUpdated;
  // The event's own `timestamp`, Unix milliseconds: orders updates to one
  // person.
  std::int64_t occurred_at_ms = 0;
  PersonRef person;
  AccountDetails account;        // account.created / account.updated
  PlacementChange placement;     // placement.changed
  ProgrammeEnrolmentChange programme;  // programme_enrolment.changed
  TrainingOutcome outcome;       // training_outcome.recorded
};

// Field rules for a decoded event; the first problem is returned with the
// field's JSON path ("data.email"). Reasons: event_platform_invalid,
// event_subject_invalid, event_name_invalid, event_email_invalid,
// event_gmc_number_invalid, event_specialty_invalid, event_programme_invalid,
// event_site_invalid, event_region_invalid, event_outcome_invalid.
Status validate(const InboundEvent& event);

// RFC 3339 UTC times as the Standard Webhooks envelope writes them:
// "2026-11-25T10:00:00Z" or with a fraction "2026-11-25T10:00:00.123456Z"
// (more than 3 fraction digits are truncated to milliseconds). An offset
// other than "Z" is refused. Nullopt when malformed.
std::optional<std::int64_t> parse_rfc3339_ms(std::string_view text);
// "2026-11-25T10:00:00.123Z".
std::string format_rfc3339_ms(std::int64_t unix_ms);

}  // namespace mentoring::core
