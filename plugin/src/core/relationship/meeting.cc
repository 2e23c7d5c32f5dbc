#include "core/relationship/meeting.h"

#include "core/text.h"

namespace mentoring::core::relationship {

const char* to_string(MeetingMode v) {
  switch (v) {
    case MeetingMode::kInPerson: return "in_person";
    case MeetingMode::kVideo: return "video";
    case MeetingMode::kPhone: return "phone";
  }
  return "video";
}

const char* to_string(MeetingState v) {
  switch (v) {
    case MeetingState::kBooked: return "booked";
    case MeetingState::kHeld: return "held";
    case MeetingState::kCancelled: return "cancelled";
    case MeetingState::kMissed: return "missed";
  }
  return "booked";
}

std::optional<MeetingMode> parse_meeting_mode(std::string_view s) {
  for (auto v : {MeetingMode::kInPerson, MeetingMode::kVideo, MeetingMode::kPhone})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

std::optional<MeetingState> parse_meeting_state(std::string_view s) {
  for (auto v : {MeetingState::kBooked, MeetingState::kHeld, MeetingState::kCancelled, MeetingState::kMissed})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

namespace {

// https://host[/...]: printable ASCII without spaces, quotes or angle
// brackets, so the link is safe in HTML attributes and calendar files.
bool is_https_link(std::string_view s) {
  constexpr std::string_view kScheme = "https://";
  if (s.size() <= kScheme.size() || s.substr(0, kScheme.size()) != kScheme) return false;
  if (!is_printable_ascii(s)) return false;
  for (char c : s)
    if (c == ' ' || c == '"' || c == '<' || c == '>' || c == '\\' || c == '`') return false;
  const char first = s[kScheme.size()];
  return first != '/' && first != '.' && first != ':' && first != '@';
}

}  // namespace

Status validate_request(const MeetingRequest& r, UnixSeconds now) {
  if (r.minutes < kMinMinutes || r.minutes > kMaxMinutes)
    return Status::invalid("meeting_minutes_invalid", "A meeting must last between 15 and 240 minutes.", "minutes");
  if (r.starts_at < now)
    return Status::invalid("meeting_in_past",
                           "That time has already passed. Book meetings for a time still to come.", "starts_at");
  if (r.starts_at > now + kMaxBookingAheadSeconds)
    return Status::invalid("meeting_too_far_ahead", "Meetings can be booked up to 400 days ahead.", "starts_at");
  const std::string place = trim(r.place);
  if (r.mode == MeetingMode::kInPerson && place.empty())
    return Status::invalid("meeting_place_required", "Say where you will meet.", "place");
  if (r.place.size() > kMaxPlaceLength || !is_valid_utf8_text(r.place))
    return Status::invalid("meeting_place_invalid", "The place must be text of at most 200 characters on one line.",
                           "place");
  if (r.mode == MeetingMode::kVideo && trim(r.link).empty())
    return Status::invalid("meeting_link_required", "Give the link to the video call.", "link");
  if (!r.link.empty() && (r.link.size() > kMaxLinkLength || !is_https_link(r.link)))
    return Status::invalid("meeting_link_invalid",
                           "The link must start with https:// and be at most 500 characters without spaces.", "link");
  if (r.topics.size() > kMaxTopicsLength || !is_valid_utf8_text(r.topics, true))
    return Status::invalid("meeting_topics_invalid", "The topics must be text of at most 1,000 characters.", "topics");
  return Status::ok();
}

std::optional<Meeting> first_overlap(const std::vector<Meeting>& others, UnixSeconds starts_at, int minutes) {
  const UnixSeconds ends_at = starts_at + static_cast<UnixSeconds>(minutes) * 60;
  for (const Meeting& m : others) {
    if (m.state != MeetingState::kBooked && m.state != MeetingState::kHeld) continue;
    if (m.starts_at < ends_at && starts_at < m.ends_at()) return m;
  }
  return std::nullopt;
}

namespace {

Status check_note_text(const std::string& note) {
  if (note.size() > kMaxNoteLength || !is_valid_utf8_text(note, true))
    return Status::invalid("meeting_note_invalid", "Your private note must be text of at most 2,000 characters.",
                           "private_note");
  return Status::ok();
}

}  // namespace

Status check_record(const Meeting& m, MeetingState to, const std::string& agreed_actions,
                    const std::string& private_note, UnixSeconds now) {
  if (to != MeetingState::kHeld && to != MeetingState::kMissed)
    return Status::invalid("meeting_outcome_invalid", "Say whether the meeting was held or missed.", "outcome");
  if (m.state != MeetingState::kBooked)
    return Status::conflict("meeting_not_booked", "This meeting has already been recorded or cancelled.");
  if (m.starts_at > now)
    return Status(Code::kFailedPrecondition, "meeting_not_started",
                  "This meeting has not started yet; record it once it has taken place.", "outcome");
  if (agreed_actions.size() > kMaxActionsLength || !is_valid_utf8_text(agreed_actions, true))
    return Status::invalid("meeting_actions_invalid", "The agreed actions must be text of at most 2,000 characters.",
                           "agreed_actions");
  if (to == MeetingState::kMissed && !trim(agreed_actions).empty())
    return Status::invalid("meeting_actions_invalid", "A missed meeting has no agreed actions.", "agreed_actions");
  return check_note_text(private_note);
}

Status check_cancel(const Meeting& m) {
  if (m.state != MeetingState::kBooked)
    return Status::conflict("meeting_not_booked", "This meeting has already been recorded or cancelled.");
  return Status::ok();
}

Status check_note(const Meeting& m, const std::string& note) {
  if (m.state != MeetingState::kHeld && m.state != MeetingState::kMissed)
    return Status::failed_precondition("meeting_not_recorded",
                                       "Notes can be kept once the meeting has been recorded as held or missed.");
  return check_note_text(note);
}

}  // namespace mentoring::core::relationship
