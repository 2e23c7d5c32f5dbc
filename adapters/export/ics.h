// Meeting invitations as iCalendar (RFC 5545) with iTIP methods (RFC 5546),
// so a mentoring meeting lands in the mentor's and mentee's own calendars
// (Outlook, Google, Apple). Times are shown in Europe/London, with the
// time zone's rules embedded as a VTIMEZONE so clients need no zone
// database of their own.
//
// The caller gives instants in UTC; conversion to London time uses Debian's
// date-tz library, which Debian builds with USE_OS_TZDB=1 so it reads the
// system's /usr/share/zoneinfo (package tzdata) rather than downloading.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::exports {

struct CalendarPerson {
  std::string name;   // shown as CN; a double quote becomes ' (CN is quoted)
  std::string email;  // becomes mailto:<email>
};

struct MeetingInvitation {
  // Stable for the life of the meeting, e.g. "meeting-42@mentoring.example.nhs.uk":
  // updates and cancellations must reuse it. Printable ASCII, no spaces.
  std::string uid;
  // Incremented by the caller on every update and on cancellation; clients
  // ignore an update whose SEQUENCE is not higher than the one they hold.
  int sequence = 0;
  core::UnixSeconds starts_at = 0;  // UTC
  core::UnixSeconds ends_at = 0;    // UTC, after starts_at
  core::UnixSeconds stamp = 0;      // DTSTAMP: when this message was made (the clock's now)
  std::string summary;              // required, e.g. "Mentoring meeting"
  std::string description;          // may contain new lines
  std::string location;             // a place, for meetings in person
  std::string url;                  // https:// link, for virtual meetings
  CalendarPerson organizer;
  std::vector<CalendarPerson> attendees;  // at least one
};

enum class InvitationMethod {
  kRequest,  // METHOD:REQUEST, STATUS:CONFIRMED: a new or updated meeting
  kCancel,   // METHOD:CANCEL, STATUS:CANCELLED: remove it from calendars
};

// `text/calendar; charset=UTF-8; method=REQUEST` (or CANCEL): e-mail and
// HTTP must carry the method in the content type for Outlook to act on it.
std::string content_type(InvitationMethod method);

// The whole VCALENDAR, CRLF line ends, lines folded at 75 octets.
// Reasons (invalid argument): calendar_uid_invalid, calendar_sequence_invalid,
// calendar_time_out_of_range, calendar_end_before_start,
// calendar_summary_required, calendar_text_invalid, calendar_text_too_long,
// calendar_email_invalid, calendar_name_invalid, calendar_url_invalid,
// calendar_attendee_required. calendar_timezone_unavailable (unavailable)
// when the system zone database has no Europe/London.
core::Result<std::string> render_invitation(const MeetingInvitation& invitation,
                                            InvitationMethod method);

// A wall-clock time in London and its offset from UTC.
struct LondonTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0;
  int utc_offset_minutes = 0;  // 0 (GMT) or 60 (BST)
  // True in the hour that happens twice on the last Sunday of October
  // (01:00-01:59, first BST then GMT). RFC 5545 reads such a local time as
  // the first occurrence, but clients disagree (libical takes the second),
  // so instants in that hour are written in UTC instead of with TZID.
  bool in_repeated_hour = false;
};
// Reasons: calendar_time_out_of_range (before 1970 or after 2199),
// calendar_timezone_unavailable.
core::Result<LondonTime> london_time(core::UnixSeconds utc);

// Building blocks, exposed for tests and for other iCalendar writers.
// TEXT value escaping: backslash, semicolon, comma, and new line as \n
// (a CR LF or lone CR counts as one new line).
std::string escape_text(std::string_view text);
// Folds one content line (without its CRLF) into CRLF-separated pieces of
// at most 75 octets, never splitting a UTF-8 character; continuation lines
// start with one space. The result ends with CRLF.
std::string fold_line(std::string_view line);

}  // namespace mentoring::exports
