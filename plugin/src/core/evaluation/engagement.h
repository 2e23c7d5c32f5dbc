// Engagement of mentoring pairs: how long mentees waited to be matched and
// to meet, how often pairs meet, and which pairs have gone quiet. The
// toolkit expects meetings of "usually one hour monthly" and a point of
// contact for mentees who have problems "with meeting their mentor"; a pair
// that never meets, or stops meeting, first gets a reminder and, if nothing
// changes, is escalated to the point of contact.
//
// Pure: the caller passes the dates and `today`, and gets decisions back as
// values. Sending them (and not sending one twice, using Nudge::key) is the
// job of the outbox.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace mentoring::core::evaluation {

// One mentoring relationship as the engagement rules see it.
struct PairingActivity {
  std::int64_t pairingid = 0;
  std::int64_t menteeid = 0;  // accounts
  std::int64_t mentorid = 0;
  Date enrolled_on;           // the mentee's enrolment in the cohort
  Date matched_on;            // the relationship starts
  std::optional<Date> ended_on;         // closed (completed or withdrawn)
  std::vector<Date> meetings_held;      // dates of meetings that took place, any order
  std::optional<Date> next_meeting_on;  // the next meeting booked, if any
};

struct EngagementPolicy {
  // Reminders go to the pair; escalations to the scheme's point of contact.
  // Default: remind at 3 weeks without a first meeting, escalate at 6;
  // remind after 6 weeks without any meeting (a monthly rhythm plus two
  // weeks' grace), escalate at 10. Each escalation must come after its
  // reminder, and all must be between 1 and 52 weeks.
  int first_meeting_reminder_weeks = 3;
  int first_meeting_escalation_weeks = 6;
  int quiet_reminder_weeks = 6;
  int quiet_escalation_weeks = 10;
  // Account id of the point of contact who receives escalations. Required
  // (non-zero) whenever escalations can be produced.
  std::int64_t point_of_contact_accountid = 0;
};

// Reasons: engagement_weeks_out_of_range, engagement_escalation_before_reminder,
// engagement_point_of_contact_required.
Status validate(const EngagementPolicy& policy);

// Reasons: engagement_pairing_required, engagement_matched_before_enrolled,
// engagement_ended_before_matched, engagement_meeting_before_match,
// engagement_meeting_after_end.
Status validate(const PairingActivity& pairing);

struct PairingEngagement {
  std::int64_t pairingid = 0;
  std::int64_t days_to_match = 0;                     // matched_on - enrolled_on
  int meetings = 0;                                   // held on or before today
  std::optional<std::int64_t> days_to_first_meeting;  // from matched_on
  std::optional<Date> last_meeting_on;
  // Days since the last meeting (or since the match, if none), counted to
  // ended_on for closed pairs and to today otherwise.
  std::int64_t days_since_contact = 0;
  bool active = false;  // matched on or before today and not ended
};

// Meetings dated after `today` are not counted: they have not happened yet.
Result<PairingEngagement> measure(const PairingActivity& pairing, Date today);

enum class NudgeKind {
  kNoFirstMeetingReminder,    // to the pair
  kNoFirstMeetingEscalation,  // to the point of contact
  kGoneQuietReminder,         // to the pair
  kGoneQuietEscalation,       // to the point of contact
};
// "no_first_meeting_reminder", "no_first_meeting_escalation",
// "gone_quiet_reminder", "gone_quiet_escalation".
const char* to_string(NudgeKind kind);

enum class RecipientRole { kMentee, kMentor, kPointOfContact };
const char* to_string(RecipientRole role);  // "mentee", "mentor", "point_of_contact"

struct Recipient {
  RecipientRole role = RecipientRole::kMentee;
  std::int64_t accountid = 0;
};

struct Nudge {
  std::int64_t pairingid = 0;
  NudgeKind kind = NudgeKind::kNoFirstMeetingReminder;
  std::vector<Recipient> recipients;
  // The day the rule was crossed (not `today`: a run after a missed day
  // still reports when it became due).
  Date due_on;
  // Whole weeks without a meeting (or without a first meeting) as of today.
  int weeks_without_meeting = 0;
  // Stable snake_case reason for the message template, the same as
  // to_string(kind).
  std::string reason;
  // Idempotency key: "pairing:<id>:<kind>:<due_on>". The same quiet spell
  // gives the same key on every run; a new quiet spell (after another
  // meeting) gives a new one.
  std::string key;
};

// At most one nudge per pairing: the most serious that applies. Pairs that
// have ended, have not started, or have a meeting booked within the
// reminder window get none. Results are in the order of `pairings`.
// Reasons: those of validate(policy) and validate(pairing) (the first
// invalid pairing, with its id in the message).
Result<std::vector<Nudge>> nudges_due(const std::vector<PairingActivity>& pairings, Date today,
                                      const EngagementPolicy& policy);

// Scheme-level figures for the evaluation report.
struct EngagementSummary {
  int pairings = 0;                   // all, including ended
  int active = 0;
  int with_first_meeting = 0;
  int meetings = 0;                   // held, all pairings
  double mean_meetings_per_pairing = 0;
  std::optional<double> median_days_to_match;
  std::optional<double> median_days_to_first_meeting;  // among pairs that met
  int gone_quiet = 0;                 // active pairs with a nudge due today
};

Result<EngagementSummary> summarise(const std::vector<PairingActivity>& pairings, Date today,
                                    const EngagementPolicy& policy);

}  // namespace mentoring::core::evaluation
