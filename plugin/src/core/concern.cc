#include "core/concern.h"

#include <array>
#include <tuple>
#include <utility>

#include "core/enum_names.h"
#include "core/text.h"

namespace mentoring::core {
namespace {

constexpr std::array<std::pair<ConcernCategory, const char*>, 5> kCategories{{
    {ConcernCategory::kMeetings, "meetings"},
    {ConcernCategory::kPersonalityFit, "personality_fit"},
    {ConcernCategory::kConduct, "conduct"},
    {ConcernCategory::kWellbeing, "wellbeing"},
    {ConcernCategory::kOther, "other"},
}};
constexpr std::array<std::pair<ConcernUrgency, const char*>, 3> kUrgencies{{
    {ConcernUrgency::kRoutine, "routine"},
    {ConcernUrgency::kSoon, "soon"},
    {ConcernUrgency::kUrgent, "urgent"},
}};
constexpr std::array<std::pair<ConcernState, const char*>, 4> kStates{{
    {ConcernState::kRaised, "raised"},
    {ConcernState::kAcknowledged, "acknowledged"},
    {ConcernState::kEscalated, "escalated"},
    {ConcernState::kResolved, "resolved"},
}};
constexpr std::array<std::pair<ConcernOutcome, const char*>, 4> kOutcomes{{
    {ConcernOutcome::kResolved, "resolved"},
    {ConcernOutcome::kRematch, "rematch"},
    {ConcernOutcome::kSignposted, "signposted"},
    {ConcernOutcome::kWithdrawn, "withdrawn"},
}};
constexpr std::array<std::pair<ConcernActionKind, const char*>, 5> kActionKinds{{
    {ConcernActionKind::kRaised, "raised"},
    {ConcernActionKind::kAcknowledged, "acknowledged"},
    {ConcernActionKind::kNote, "note"},
    {ConcernActionKind::kEscalated, "escalated"},
    {ConcernActionKind::kResolved, "resolved"},
}};

bool is_handler(ConcernViewer v) { return v == ConcernViewer::kPointOfContact || v == ConcernViewer::kSchemeLead; }

Status not_handler() {
  return Status::permission_denied("concern_not_handler",
                                   "Only the scheme's point of contact or scheme lead can act on a concern.");
}

Status closed() {
  return Status::failed_precondition("concern_resolved", "The concern has been resolved; nothing more can be done.");
}

}  // namespace

const char* to_string(ConcernCategory v) { return name_of(v, kCategories); }
const char* to_string(ConcernUrgency v) { return name_of(v, kUrgencies); }
const char* to_string(ConcernState v) { return name_of(v, kStates); }
const char* to_string(ConcernOutcome v) { return name_of(v, kOutcomes); }
const char* to_string(ConcernActionKind v) { return name_of(v, kActionKinds); }
std::optional<ConcernCategory> parse_concern_category(std::string_view s) { return parse_from(s, kCategories); }
std::optional<ConcernUrgency> parse_concern_urgency(std::string_view s) { return parse_from(s, kUrgencies); }
std::optional<ConcernState> parse_concern_state(std::string_view s) { return parse_from(s, kStates); }
std::optional<ConcernOutcome> parse_concern_outcome(std::string_view s) { return parse_from(s, kOutcomes); }
std::optional<ConcernActionKind> parse_concern_action_kind(std::string_view s) {
  return parse_from(s, kActionKinds);
}

Result<ConcernInput> validate(ConcernInput input) {
  if (input.pairingid <= 0)
    return Status::invalid("concern_pairing_required", "Say which mentoring pairing the concern is about.",
                           "pairingid");
  if (!is_valid_utf8_text(input.text, /*multiline=*/true))
    return Status::invalid("concern_text_invalid", "The description must be plain text.", "text");
  input.text = trim(input.text);
  if (input.text.empty())
    return Status::invalid("concern_text_required", "Describe the concern so the point of contact can help.",
                           "text");
  if (input.text.size() > kMaxConcernTextLength)
    return Status::invalid("concern_text_too_long", "The description must be at most 5000 bytes.", "text");
  return input;
}

Result<std::string> validate_action_text(std::string_view text, bool required) {
  if (!is_valid_utf8_text(text, /*multiline=*/true))
    return Status::invalid("concern_action_text_invalid", "The note must be plain text.", "text");
  std::string t = trim(text);
  if (required && t.empty())
    return Status::invalid("concern_action_text_required", "Write what was done.", "text");
  if (t.size() > kMaxConcernActionTextLength)
    return Status::invalid("concern_action_text_too_long", "The note must be at most 2000 bytes.", "text");
  return t;
}

ConcernViewer concern_viewer(const Concern& concern, std::int64_t accountid, std::int64_t point_of_contact,
                             std::int64_t scheme_lead) {
  if (accountid <= 0) return ConcernViewer::kNone;
  if (accountid == concern.raised_by) return ConcernViewer::kRaiser;
  if (point_of_contact > 0 && accountid == point_of_contact) return ConcernViewer::kPointOfContact;
  if (scheme_lead > 0 && accountid == scheme_lead) return ConcernViewer::kSchemeLead;
  return ConcernViewer::kNone;
}

Status check_acknowledge(const Concern& concern, ConcernViewer viewer) {
  if (!is_handler(viewer)) return not_handler();
  if (concern.state == ConcernState::kResolved) return closed();
  if (concern.state != ConcernState::kRaised)
    return Status::failed_precondition("concern_already_acknowledged", "The concern has already been acknowledged.");
  return Status::ok();
}

Status check_note(const Concern& concern, ConcernViewer viewer) {
  if (!is_handler(viewer)) return not_handler();
  if (concern.state == ConcernState::kResolved) return closed();
  return Status::ok();
}

Status check_escalate(const Concern& concern, ConcernViewer viewer) {
  if (!is_handler(viewer)) return not_handler();
  if (concern.state == ConcernState::kResolved) return closed();
  if (viewer == ConcernViewer::kSchemeLead)
    return Status::failed_precondition("concern_escalation_by_lead",
                                       "The scheme lead is the last step: resolve the concern instead.");
  if (concern.state == ConcernState::kEscalated)
    return Status::failed_precondition("concern_already_escalated",
                                       "The concern has already been escalated to the scheme lead.");
  return Status::ok();
}

Status check_resolve(const Concern& concern, ConcernViewer viewer, ConcernOutcome outcome) {
  if (viewer == ConcernViewer::kRaiser) {
    if (outcome != ConcernOutcome::kWithdrawn)
      return Status::permission_denied("concern_not_handler",
                                       "You can withdraw your concern; the point of contact records its outcome.");
  } else if (!is_handler(viewer)) {
    return not_handler();
  } else if (outcome == ConcernOutcome::kWithdrawn) {
    return Status::invalid("concern_outcome_invalid", "Only the person who raised a concern can withdraw it.",
                           "outcome");
  }
  if (concern.state == ConcernState::kResolved) return closed();
  return Status::ok();
}

Concern acknowledged(Concern c, UnixSeconds now) {
  c.state = ConcernState::kAcknowledged;
  c.acknowledged_at = now;
  c.timemodified = now;
  return c;
}

Concern escalated(Concern c, UnixSeconds now) {
  c.state = ConcernState::kEscalated;
  if (!c.acknowledged_at) c.acknowledged_at = now;
  c.escalated_at = now;
  c.timemodified = now;
  return c;
}

Concern resolved(Concern c, ConcernOutcome outcome, UnixSeconds now) {
  c.state = ConcernState::kResolved;
  c.outcome = outcome;
  c.resolved_at = now;
  c.timemodified = now;
  return c;
}

std::string concern_text_aad(std::int64_t concernid, std::int64_t raised_by, int key_version) {
  return "mentoring.concern.v1:concern=" + std::to_string(concernid) + ":account=" + std::to_string(raised_by) +
         ":key=" + std::to_string(key_version);
}

std::string concern_action_text_aad(std::int64_t actionid, std::int64_t concernid, std::int64_t accountid,
                                    int key_version) {
  return "mentoring.concern_action.v1:action=" + std::to_string(actionid) + ":concern=" + std::to_string(concernid) +
         ":account=" + std::to_string(accountid) + ":key=" + std::to_string(key_version);
}

bool concern_list_order(const Concern& a, const Concern& b) {
  const bool a_open = a.state != ConcernState::kResolved, b_open = b.state != ConcernState::kResolved;
  return std::make_tuple(!a_open, -static_cast<int>(a.urgency), a.timecreated, a.id) <
         std::make_tuple(!b_open, -static_cast<int>(b.urgency), b.timecreated, b.id);
}

}  // namespace mentoring::core
