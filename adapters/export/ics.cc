#include "adapters/export/ics.h"

#include "core/text.h"

#include <date/tz.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace mentoring::exports {
namespace {

using core::Result;
using core::Status;

constexpr std::string_view kZone = "Europe/London";
// 1970-01-01 and 2200-01-01: far beyond any meeting; keeps the four-digit
// years iCalendar needs and the zone rules we embed valid.
constexpr core::UnixSeconds kEarliest = 0;
constexpr core::UnixSeconds kLatest = 7258118400;
constexpr std::size_t kMaxSummary = 255;
constexpr std::size_t kMaxDescription = 8000;
constexpr std::size_t kMaxLocation = 500;
constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxName = 200;
constexpr std::size_t kMaxEmail = 254;

// Europe/London since 1996: BST from 01:00 UTC on the last Sunday of March
// to 01:00 UTC on the last Sunday of October. DTSTART of each rule is the
// local wall time of the change in the offset it changes from.
constexpr std::string_view kVtimezone =
    "BEGIN:VTIMEZONE\r\n"
    "TZID:Europe/London\r\n"
    "BEGIN:DAYLIGHT\r\n"
    "TZOFFSETFROM:+0000\r\n"
    "TZOFFSETTO:+0100\r\n"
    "TZNAME:BST\r\n"
    "DTSTART:19810329T010000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n"
    "END:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\n"
    "TZOFFSETFROM:+0100\r\n"
    "TZOFFSETTO:+0000\r\n"
    "TZNAME:GMT\r\n"
    "DTSTART:19961027T020000\r\n"
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n"
    "END:STANDARD\r\n"
    "END:VTIMEZONE\r\n";

Status check_text(std::string_view text, std::size_t max, const char* field, bool multiline) {
  if (!core::is_valid_utf8_text(text, multiline)) {
    return Status::invalid("calendar_text_invalid",
                           "Calendar text must be UTF-8 without control characters.", field);
  }
  if (text.size() > max) {
    return Status::invalid("calendar_text_too_long", "Calendar text is too long.", field);
  }
  return Status::ok();
}

// A deliberately plain check: one @, something either side, no characters
// that would break out of a mailto: URI or a content line.
Status check_email(std::string_view email, const char* field) {
  const bool ok = email.size() <= kMaxEmail && core::looks_like_email(email) &&
                  core::is_valid_utf8_text(email) &&
                  email.find_first_of(" \t\"<>(),;:\\[]") == std::string_view::npos;
  if (!ok) return Status::invalid("calendar_email_invalid", "An e-mail address is not valid.", field);
  return Status::ok();
}

Status check_person(const CalendarPerson& p, const char* field) {
  MENTORING_RETURN_IF_ERROR(check_email(p.email, field));
  if (!core::is_valid_utf8_text(p.name) || p.name.size() > kMaxName) {
    return Status::invalid("calendar_name_invalid",
                           "A name must be UTF-8 text of at most 200 bytes on one line.", field);
  }
  return Status::ok();
}

Status validate(const MeetingInvitation& inv) {
  if (inv.uid.empty() || inv.uid.size() > 255 ||
      inv.uid.find_first_of(" \t") != std::string::npos || !core::is_valid_utf8_text(inv.uid)) {
    return Status::invalid("calendar_uid_invalid",
                           "The meeting's UID must be 1 to 255 characters without spaces.", "uid");
  }
  if (inv.sequence < 0) {
    return Status::invalid("calendar_sequence_invalid", "The sequence number cannot be negative.",
                           "sequence");
  }
  for (auto [t, field] : {std::pair{inv.starts_at, "starts_at"}, std::pair{inv.ends_at, "ends_at"},
                          std::pair{inv.stamp, "stamp"}}) {
    if (t < kEarliest || t >= kLatest) {
      return Status::invalid("calendar_time_out_of_range",
                             "Times must fall between 1970 and 2199.", field);
    }
  }
  if (inv.ends_at <= inv.starts_at) {
    return Status::invalid("calendar_end_before_start", "The meeting must end after it starts.",
                           "ends_at");
  }
  if (inv.summary.empty()) {
    return Status::invalid("calendar_summary_required", "The meeting needs a title.", "summary");
  }
  MENTORING_RETURN_IF_ERROR(check_text(inv.summary, kMaxSummary, "summary", false));
  MENTORING_RETURN_IF_ERROR(check_text(inv.description, kMaxDescription, "description", true));
  MENTORING_RETURN_IF_ERROR(check_text(inv.location, kMaxLocation, "location", false));
  if (!inv.url.empty()) {
    const bool scheme_ok = inv.url.rfind("https://", 0) == 0 || inv.url.rfind("http://", 0) == 0;
    if (!scheme_ok || inv.url.size() > kMaxUrl ||
        inv.url.find_first_of(" \t\"<>") != std::string::npos || !core::is_valid_utf8_text(inv.url)) {
      return Status::invalid("calendar_url_invalid",
                             "The meeting link must be an http or https address without spaces.", "url");
    }
  }
  MENTORING_RETURN_IF_ERROR(check_person(inv.organizer, "organizer"));
  if (inv.attendees.empty()) {
    return Status::invalid("calendar_attendee_required", "An invitation needs at least one attendee.",
                           "attendees");
  }
  for (const auto& a : inv.attendees) MENTORING_RETURN_IF_ERROR(check_person(a, "attendees"));
  return Status::ok();
}

std::string utc_stamp(core::UnixSeconds t) {
  const date::sys_seconds s{std::chrono::seconds{t}};
  const auto day = date::floor<date::days>(s);
  const date::year_month_day ymd{day};
  const date::hh_mm_ss<std::chrono::seconds> hms{s - day};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02u%02uT%02d%02d%02dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                static_cast<int>(hms.seconds().count()));
  return buf;
}

// "DTSTART;TZID=Europe/London:20260329T103000", or the UTC form in the
// repeated hour, where a local time would be ambiguous.
Result<std::string> date_time_property(const char* name, core::UnixSeconds t) {
  auto local = london_time(t);
  if (!local.is_ok()) return local.status();
  if (local->in_repeated_hour) return std::string(name) + ":" + utc_stamp(t);
  char buf[96];
  std::snprintf(buf, sizeof buf, "%s;TZID=Europe/London:%04d%02d%02dT%02d%02d%02d", name,
                local->year, local->month, local->day, local->hour, local->minute, local->second);
  return std::string(buf);
}

// CN parameter: always quoted, since names contain commas and colons;
// a double quote cannot appear inside a quoted parameter (RFC 5545 3.1).
std::string cn(const std::string& name) {
  std::string out = "CN=\"";
  for (char c : name) out += c == '"' ? '\'' : c;
  out += '"';
  return out;
}

}  // namespace

std::string escape_text(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '\\': out += "\\\\"; break;
      case ';': out += "\\;"; break;
      case ',': out += "\\,"; break;
      case '\r':
        if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        out += "\\n";
        break;
      case '\n': out += "\\n"; break;
      default: out += c;
    }
  }
  return out;
}

std::string fold_line(std::string_view line) {
  constexpr std::size_t kLimit = 75;
  std::string out;
  std::size_t pos = 0;
  bool first = true;
  while (true) {
    // Continuation lines spend one octet on the leading space.
    const std::size_t room = first ? kLimit : kLimit - 1;
    if (line.size() - pos <= room) {
      if (!first) out += ' ';
      out.append(line.substr(pos));
      out += "\r\n";
      return out;
    }
    std::size_t cut = pos + room;
    // Step back off UTF-8 continuation bytes so a character stays whole.
    while (cut > pos && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
    if (cut == pos) cut = pos + room;  // not UTF-8 after all; cannot happen for validated text
    if (!first) out += ' ';
    out.append(line.substr(pos, cut - pos));
    out += "\r\n";
    pos = cut;
    first = false;
  }
}

std::string content_type(InvitationMethod method) {
  return std::string("text/calendar; charset=UTF-8; method=") +
         (method == InvitationMethod::kCancel ? "CANCEL" : "REQUEST");
}

Result<LondonTime> london_time(core::UnixSeconds utc) {
  if (utc < kEarliest || utc >= kLatest) {
    return Status::invalid("calendar_time_out_of_range", "Times must fall between 1970 and 2199.");
  }
  try {
    const date::time_zone* zone = date::locate_zone(kZone);
    const date::sys_seconds instant{std::chrono::seconds{utc}};
    const date::sys_info info = zone->get_info(instant);
    const date::local_seconds local = zone->to_local(instant);
    const auto day = date::floor<date::days>(local);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss<std::chrono::seconds> hms{local - day};
    LondonTime t;
    t.year = static_cast<int>(ymd.year());
    t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
    t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
    t.hour = static_cast<int>(hms.hours().count());
    t.minute = static_cast<int>(hms.minutes().count());
    t.second = static_cast<int>(hms.seconds().count());
    t.utc_offset_minutes = static_cast<int>(
        std::chrono::duration_cast<std::chrono::minutes>(info.offset).count());
    const date::local_info at_local = zone->get_info(local);
    t.in_repeated_hour = at_local.result == date::local_info::ambiguous;
    return t;
  } catch (const std::exception&) {
    return Status::unavailable("calendar_timezone_unavailable",
                               "The system time zone database has no Europe/London.");
  }
}

Result<std::string> render_invitation(const MeetingInvitation& inv, InvitationMethod method) {
  MENTORING_RETURN_IF_ERROR(validate(inv));
  auto start = date_time_property("DTSTART", inv.starts_at);
  if (!start.is_ok()) return start.status();
  auto end = date_time_property("DTEND", inv.ends_at);
  if (!end.is_ok()) return end.status();
  const bool cancel = method == InvitationMethod::kCancel;

  std::string out;
  auto line = [&](std::string_view l) { out += fold_line(l); };
  line("BEGIN:VCALENDAR");
  line("PRODID:-//Mentoring plugin//Meeting invitations//EN");
  line("VERSION:2.0");
  line("CALSCALE:GREGORIAN");
  line(cancel ? "METHOD:CANCEL" : "METHOD:REQUEST");
  out += kVtimezone;
  line("BEGIN:VEVENT");
  line("UID:" + inv.uid);
  line("DTSTAMP:" + utc_stamp(inv.stamp));
  line("SEQUENCE:" + std::to_string(inv.sequence));
  line(*start);
  line(*end);
  line("SUMMARY:" + escape_text(inv.summary));
  if (!inv.description.empty()) line("DESCRIPTION:" + escape_text(inv.description));
  // Outlook shows LOCATION but ignores URL, so a virtual meeting's link goes
  // in both (and LOCATION keeps a place when there is one).
  if (!inv.location.empty()) line("LOCATION:" + escape_text(inv.location));
  else if (!inv.url.empty()) line("LOCATION:" + escape_text(inv.url));
  if (!inv.url.empty()) line("URL:" + inv.url);
  line("ORGANIZER;" + cn(inv.organizer.name) + ":mailto:" + inv.organizer.email);
  for (const auto& a : inv.attendees) {
    line("ATTENDEE;" + cn(a.name) + ";CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;" +
         (cancel ? "PARTSTAT=NEEDS-ACTION" : "PARTSTAT=NEEDS-ACTION;RSVP=TRUE") + ":mailto:" + a.email);
  }
  line(cancel ? "STATUS:CANCELLED" : "STATUS:CONFIRMED");
  line("TRANSP:OPAQUE");
  line("END:VEVENT");
  line("END:VCALENDAR");
  return out;
}

}  // namespace mentoring::exports
