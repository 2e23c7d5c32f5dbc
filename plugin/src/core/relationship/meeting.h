// Meetings of a mentoring pair (toolkit: "usually one hour monthly"). A
// meeting is booked for a time, lasts 15 to 240 minutes, and happens in a
// place, by video (with a link) or by phone. Once its time has come it is
// recorded as held, with the actions both agreed, or as missed; a booked
// meeting may be cancelled. Each person may keep a private note on a meeting
// that only they ever see.
//
// Pure: the caller passes `now`; instants are Unix seconds in UTC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core::relationship {

enum class MeetingMode { kInPerson, kVideo, kPhone };
enum class MeetingState { kBooked, kHeld, kCancelled, kMissed };
const char* to_string(MeetingMode v);   // "in_person", "video", "phone"
const char* to_string(MeetingState v);  // "booked", "held", "cancelled", "missed"
std::optional<MeetingMode> parse_meeting_mode(std::string_view s);
std::optional<MeetingState> parse_meeting_state(std::string_view s);

inline constexpr int kMinMinutes = 15;
inline constexpr int kMaxMinutes = 240;
// How far ahead a meeting may be booked: a little over the longest agreement
// year, so the last meeting of a 12-month scheme can be booked at its start.
inline constexpr UnixSeconds kMaxBookingAheadSeconds = 400LL * 86400;
inline constexpr std::size_t kMaxPlaceLength = 200;
inline constexpr std::size_t kMaxLinkLength = 500;
inline constexpr std::size_t kMaxTopicsLength = 1000;
inline constexpr std::size_t kMaxActionsLength = 2000;
inline constexpr std::size_t kMaxNoteLength = 2000;

// What a person asks for when booking.
struct MeetingRequest {
  UnixSeconds starts_at = 0;
  int minutes = 60;
  MeetingMode mode = MeetingMode::kVideo;
  std::string place;   // in person: required
  std::string link;    // video: required, https://
  std::string topics;  // optional: what the pair mean to talk about
};

struct Meeting {
  std::int64_t id = 0;
  std::int64_t pairingid = 0;
  std::int64_t booked_by = 0;  // account
  UnixSeconds starts_at = 0;
  int minutes = 60;
  MeetingMode mode = MeetingMode::kVideo;
  std::string place;
  std::string link;
  std::string topics;
  std::string agreed_actions;  // set when recorded as held; both people see it
  MeetingState state = MeetingState::kBooked;
  // Raised on every change the calendar should see (cancellation), so a
  // calendar invitation downloaded again replaces the earlier one.
  int sequence = 0;
  std::optional<std::int64_t> recorded_by;
  std::optional<UnixSeconds> recorded_at;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;

  UnixSeconds ends_at() const { return starts_at + static_cast<UnixSeconds>(minutes) * 60; }
};

// Invalid argument, with the field named. Reasons: meeting_minutes_invalid,
// meeting_in_past, meeting_too_far_ahead, meeting_place_required,
// meeting_place_invalid, meeting_link_required, meeting_link_invalid,
// meeting_topics_invalid.
Status validate_request(const MeetingRequest& request, UnixSeconds now);

// The first of `others` (booked or held; cancelled and missed are free time)
// that overlaps [starts_at, starts_at + minutes), if any. Back-to-back
// meetings do not overlap.
std::optional<Meeting> first_overlap(const std::vector<Meeting>& others, UnixSeconds starts_at, int minutes);

// Recording: only a booked meeting whose start has come may be recorded as
// held or missed (failed_precondition meeting_not_started; conflict
// meeting_not_booked). Actions and note: invalid meeting_actions_invalid,
// meeting_note_invalid. `to` must be held or missed (invalid
// meeting_outcome_invalid).
Status check_record(const Meeting& meeting, MeetingState to, const std::string& agreed_actions,
                    const std::string& private_note, UnixSeconds now);

// Cancelling: only a booked meeting (conflict meeting_not_booked).
Status check_cancel(const Meeting& meeting);

// A private note on its own (added or changed after the meeting): held or
// missed meetings only (failed_precondition meeting_not_recorded);
// invalid meeting_note_invalid.
Status check_note(const Meeting& meeting, const std::string& note);

}  // namespace mentoring::core::relationship
