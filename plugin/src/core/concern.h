// Point-of-contact concerns (toolkit, "Other types of support mentees may
// need": "a point of contact for mentees if they encounter any problems, for
// example, with meeting their mentor or the 'personality fit'"; governance:
// "who will ... act as a point of contact for any concerns?").
//
// A mentee or mentor raises a concern about their pairing. It is routed to
// the scheme's named point of contact (the holder of the day-to-day
// management and point of contact responsibility in the governance
// register), who acknowledges it, records what was done, and resolves it
// with an outcome or escalates it to the scheme lead (the holder of set-up
// and initial delivery). The text is confidential: only the person who raised
// it, the point of contact and the scheme lead may read it.
//
// Pure: the state machine and the field rules. app/concerns.h applies them
// in transactions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/demographics.h"
#include "core/enrolment.h"
#include "core/status.h"

namespace mentoring::core {

// What the concern is about, in the toolkit's words: trouble meeting, the
// personality fit, something worse (conduct, wellbeing), or anything else.
enum class ConcernCategory { kMeetings, kPersonalityFit, kConduct, kWellbeing, kOther };
// "meetings", "personality_fit", "conduct", "wellbeing", "other".
const char* to_string(ConcernCategory v);
std::optional<ConcernCategory> parse_concern_category(std::string_view s);

// How soon the raiser needs an answer. Urgent concerns are listed first.
enum class ConcernUrgency { kRoutine, kSoon, kUrgent };
const char* to_string(ConcernUrgency v);  // "routine", "soon", "urgent"
std::optional<ConcernUrgency> parse_concern_urgency(std::string_view s);

// raised -> acknowledged -> (escalated) -> resolved. A point of contact may
// resolve without acknowledging first; an escalated concern may still be
// resolved (by the point of contact or the scheme lead).
enum class ConcernState { kRaised, kAcknowledged, kEscalated, kResolved };
const char* to_string(ConcernState v);  // "raised", "acknowledged", "escalated", "resolved"
std::optional<ConcernState> parse_concern_state(std::string_view s);

// How a concern ended (issue: "resolved, rematch, signposted").
// kRematch ends the pairing (no fault, "not a good fit") so the mentee can be
// matched again; kSignposted means the person was directed to other support
// (occupational health, the guardian of safe working, the GMC).
enum class ConcernOutcome { kResolved, kRematch, kSignposted, kWithdrawn };
const char* to_string(ConcernOutcome v);  // "resolved", "rematch", "signposted", "withdrawn"
std::optional<ConcernOutcome> parse_concern_outcome(std::string_view s);

// What happened to a concern, in order: its history.
enum class ConcernActionKind { kRaised, kAcknowledged, kNote, kEscalated, kResolved };
const char* to_string(ConcernActionKind v);  // "raised", "acknowledged", "note", "escalated", "resolved"
std::optional<ConcernActionKind> parse_concern_action_kind(std::string_view s);

inline constexpr std::size_t kMaxConcernTextLength = 5000;
inline constexpr std::size_t kMaxConcernActionTextLength = 2000;

struct Concern {
  std::int64_t id = 0;
  std::int64_t schemeid = 0;
  std::int64_t cohortid = 0;
  std::int64_t pairingid = 0;
  std::int64_t raised_by = 0;     // account
  Role raiser_role = Role::kMentee;
  std::int64_t routed_to = 0;     // the point of contact's account when it was raised
  ConcernCategory category = ConcernCategory::kOther;
  ConcernUrgency urgency = ConcernUrgency::kRoutine;
  std::string text;               // confidential; filled only once opened (app/concerns.h)
  // The text as stored: sealed with AES-256-GCM (key_version >= 1), or
  // key_version 0 for a row written before schema step 0013 whose plain
  // text is in `text` until it is sealed at startup.
  SealedValue sealed_text;
  ConcernState state = ConcernState::kRaised;
  std::optional<ConcernOutcome> outcome;
  std::optional<UnixSeconds> acknowledged_at;
  std::optional<UnixSeconds> escalated_at;
  std::optional<UnixSeconds> resolved_at;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct ConcernAction {
  std::int64_t id = 0;
  std::int64_t concernid = 0;
  std::int64_t accountid = 0;  // who acted
  ConcernActionKind kind = ConcernActionKind::kNote;
  std::string text;            // confidential like the concern's text; may be empty
  SealedValue sealed_text;     // as for Concern::sealed_text
  UnixSeconds timecreated = 0;
};

// The additional authenticated data that binds a concern's sealed text to
// its row, the account that raised it and the key version:
// "mentoring.concern.v1:concern=<id>:account=<raised_by>:key=<version>".
// Text moved to another concern, or relabelled with another key version,
// does not open.
std::string concern_text_aad(std::int64_t concernid, std::int64_t raised_by, int key_version);
// The same for an action's note:
// "mentoring.concern_action.v1:action=<id>:concern=<concernid>:account=<accountid>:key=<version>".
std::string concern_action_text_aad(std::int64_t actionid, std::int64_t concernid, std::int64_t accountid,
                                    int key_version);

// What a person types when raising a concern.
struct ConcernInput {
  std::int64_t pairingid = 0;
  ConcernCategory category = ConcernCategory::kOther;
  ConcernUrgency urgency = ConcernUrgency::kRoutine;
  std::string text;
};

// Trims the text and checks it. Reasons: concern_pairing_required,
// concern_text_required, concern_text_too_long, concern_text_invalid
// (not UTF-8 text; line breaks are allowed).
Result<ConcernInput> validate(ConcernInput input);

// An action note: at most kMaxConcernActionTextLength bytes of UTF-8 text,
// trimmed. `required` for notes, optional for the other actions. Reasons:
// concern_action_text_required, concern_action_text_too_long,
// concern_action_text_invalid.
Result<std::string> validate_action_text(std::string_view text, bool required);

// Who a person is to one concern.
enum class ConcernViewer { kNone, kRaiser, kPointOfContact, kSchemeLead };

// The person's standing: the raiser, or the scheme's current point of
// contact or scheme lead (0 when the register names nobody). A person who is
// both raiser and point of contact counts as the raiser (they cannot handle
// their own concern).
ConcernViewer concern_viewer(const Concern& concern, std::int64_t accountid, std::int64_t point_of_contact,
                             std::int64_t scheme_lead);

// The state changes, each checked against who asks. Errors:
// permission_denied concern_not_handler (only the point of contact or the
// scheme lead handle concerns); failed_precondition concern_resolved (the
// concern is closed), concern_already_acknowledged,
// concern_already_escalated, concern_escalation_by_lead (the scheme lead is
// the last step).
Status check_acknowledge(const Concern& concern, ConcernViewer viewer);
Status check_note(const Concern& concern, ConcernViewer viewer);
Status check_escalate(const Concern& concern, ConcernViewer viewer);
// The raiser may withdraw their own open concern (outcome kWithdrawn); a
// handler may resolve with any outcome other than kWithdrawn
// (invalid concern_outcome_invalid).
Status check_resolve(const Concern& concern, ConcernViewer viewer, ConcernOutcome outcome);

// The concern after the change, with its times set to `now`.
Concern acknowledged(Concern c, UnixSeconds now);
Concern escalated(Concern c, UnixSeconds now);
Concern resolved(Concern c, ConcernOutcome outcome, UnixSeconds now);

// Staff listing order: open before resolved, then urgent first, then oldest first.
bool concern_list_order(const Concern& a, const Concern& b);

}  // namespace mentoring::core
