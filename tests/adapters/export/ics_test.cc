// Invitations are checked by parsing them with libical (an independent
// iCalendar implementation, Debian's libical-dev), and London times against
// the EU summer-time rule worked out here by hand.
#include "adapters/export/ics.h"

#include <gtest/gtest.h>
#include <libical/ical.h>

#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "core/date.h"

namespace mentoring::exports {
namespace {

core::UnixSeconds utc(int y, int mo, int d, int h, int mi = 0) {
  return core::Date::from_ymd(y, mo, d)->days_since_epoch() * 86400 + h * 3600 + mi * 60;
}

// The EU rule, written independently of date-tz: summer time from 01:00 UTC
// on the last Sunday of March to 01:00 UTC on the last Sunday of October.
core::UnixSeconds last_sunday_0100(int year, int month) {
  core::Date d = *core::Date::from_ymd(year, month, 31);
  // 1970-01-01 was a Thursday: days_since_epoch % 7 == 3 is a Sunday.
  while (((d.days_since_epoch() % 7) + 7) % 7 != 3) d = d.plus_days(-1);
  return d.days_since_epoch() * 86400 + 3600;
}
int expected_offset_minutes(core::UnixSeconds t) {
  const int year = core::Date::from_unix(t).year();
  return t >= last_sunday_0100(year, 3) && t < last_sunday_0100(year, 10) ? 60 : 0;
}

struct CalendarDeleter { void operator()(icalcomponent* c) const { icalcomponent_free(c); } };
using Calendar = std::unique_ptr<icalcomponent, CalendarDeleter>;

Calendar parse(const std::string& ics) { return Calendar(icalparser_parse_string(ics.c_str())); }

MeetingInvitation meeting(core::UnixSeconds start) {
  MeetingInvitation m;
  m.uid = "meeting-42@mentoring.example.nhs.uk";
  m.sequence = 0;
  m.starts_at = start;
  m.ends_at = start + 3600;
  m.stamp = utc(2026, 3, 1, 9, 15);
  m.summary = "Mentoring meeting";
  m.description = "Monthly check-in.";
  m.location = "Education Centre, Room 3";
  m.organizer = {"North West Mentoring", "mentoring@example.nhs.uk"};
  m.attendees = {{"Dr Aisha Okafor", "aisha.okafor@example.nhs.uk"},
                 {"Dr Tom Jones", "tom.jones@example.nhs.uk"}};
  return m;
}

std::vector<std::string> lines_of(const std::string& ics) {
  std::vector<std::string> lines;
  std::size_t pos = 0;
  while (pos < ics.size()) {
    const auto end = ics.find("\r\n", pos);
    EXPECT_NE(end, std::string::npos) << "last line has no CRLF";
    if (end == std::string::npos) break;
    lines.push_back(ics.substr(pos, end - pos));
    pos = end + 2;
  }
  return lines;
}

TEST(IcsTest, LondonTimeFollowsTheEuRuleEveryHourForNineYears) {
  for (core::UnixSeconds t = utc(2024, 1, 1, 0); t < utc(2033, 1, 1, 0); t += 3600) {
    auto local = london_time(t);
    ASSERT_TRUE(local.is_ok()) << local.status().to_string();
    const int offset = expected_offset_minutes(t);
    ASSERT_EQ(local->utc_offset_minutes, offset) << t;
    const core::UnixSeconds wall = t + offset * 60;
    ASSERT_EQ(local->hour, (wall % 86400) / 3600) << t;
    ASSERT_EQ(core::Date::from_unix(wall), *core::Date::from_ymd(local->year, local->month, local->day));
    // Local 01:00-01:59 happens twice: from 00:00 to 01:59 UTC on the day.
    const core::UnixSeconds autumn = last_sunday_0100(core::Date::from_unix(t).year(), 10);
    ASSERT_EQ(local->in_repeated_hour, t >= autumn - 3600 && t < autumn + 3600) << t;
  }
}

TEST(IcsTest, InvitationParsesWithLibicalAndPassesItipRestrictions) {
  auto ics = render_invitation(meeting(utc(2026, 6, 10, 13, 30)), InvitationMethod::kRequest);
  ASSERT_TRUE(ics.is_ok()) << ics.status().to_string();
  Calendar cal = parse(*ics);
  ASSERT_TRUE(cal);
  ASSERT_EQ(icalcomponent_isa(cal.get()), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_get_method(cal.get()), ICAL_METHOD_REQUEST);
  EXPECT_TRUE(icalrestriction_check(cal.get())) << *ics;
  EXPECT_EQ(icalcomponent_count_errors(cal.get()), 0) << icalcomponent_as_ical_string(cal.get());
  icalproperty* prodid = icalcomponent_get_first_property(cal.get(), ICAL_PRODID_PROPERTY);
  ASSERT_NE(prodid, nullptr);
  icalproperty* version = icalcomponent_get_first_property(cal.get(), ICAL_VERSION_PROPERTY);
  ASSERT_NE(version, nullptr);
  EXPECT_STREQ(icalproperty_get_version(version), "2.0");

  icalcomponent* ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_NE(ev, nullptr);
  EXPECT_STREQ(icalcomponent_get_uid(ev), "meeting-42@mentoring.example.nhs.uk");
  EXPECT_STREQ(icalcomponent_get_summary(ev), "Mentoring meeting");
  EXPECT_STREQ(icalcomponent_get_location(ev), "Education Centre, Room 3");
  EXPECT_EQ(icalcomponent_get_sequence(ev), 0);
  EXPECT_EQ(icalcomponent_get_status(ev), ICAL_STATUS_CONFIRMED);
  const icaltimetype stamp = icalcomponent_get_dtstamp(ev);
  EXPECT_TRUE(icaltime_is_utc(stamp));
  EXPECT_EQ(icaltime_as_timet(stamp), utc(2026, 3, 1, 9, 15));

  icalproperty* org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
  ASSERT_NE(org, nullptr);
  EXPECT_STREQ(icalproperty_get_organizer(org), "mailto:mentoring@example.nhs.uk");
  icalparameter* cn = icalproperty_get_first_parameter(org, ICAL_CN_PARAMETER);
  ASSERT_NE(cn, nullptr);
  EXPECT_STREQ(icalparameter_get_cn(cn), "North West Mentoring");
  std::vector<std::string> attendees;
  for (icalproperty* a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); a != nullptr;
       a = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
    attendees.push_back(icalproperty_get_attendee(a));
    icalparameter* rsvp = icalproperty_get_first_parameter(a, ICAL_RSVP_PARAMETER);
    ASSERT_NE(rsvp, nullptr);
    EXPECT_EQ(icalparameter_get_rsvp(rsvp), ICAL_RSVP_TRUE);
  }
  EXPECT_EQ(attendees, (std::vector<std::string>{"mailto:aisha.okafor@example.nhs.uk",
                                                 "mailto:tom.jones@example.nhs.uk"}));
  EXPECT_EQ(content_type(InvitationMethod::kRequest), "text/calendar; charset=UTF-8; method=REQUEST");
}

// Reads DTSTART/DTEND as libical sees them and converts them to UTC twice:
// with the VTIMEZONE we embedded and with libical's own Europe/London.
struct ParsedTimes {
  icaltimetype start{};
  std::string start_tzid;
  core::UnixSeconds start_via_our_vtimezone = 0;
  core::UnixSeconds start_via_libical_zone = 0;
  core::UnixSeconds end_via_our_vtimezone = 0;
};

ParsedTimes parsed_times(const std::string& ics) {
  ParsedTimes out;
  Calendar cal = parse(ics);
  EXPECT_TRUE(cal);
  if (!cal) return out;
  icalcomponent* vtz = icalcomponent_get_first_component(cal.get(), ICAL_VTIMEZONE_COMPONENT);
  EXPECT_NE(vtz, nullptr);
  icaltimezone* ours = icaltimezone_new();
  EXPECT_TRUE(icaltimezone_set_component(ours, icalcomponent_new_clone(vtz)));
  icaltimezone* builtin = icaltimezone_get_builtin_timezone("Europe/London");
  EXPECT_NE(builtin, nullptr);
  icalcomponent* ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  icalproperty* start = icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY);
  icalproperty* end = icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY);
  out.start = icalproperty_get_dtstart(start);
  if (icalparameter* tzid = icalproperty_get_first_parameter(start, ICAL_TZID_PARAMETER)) {
    out.start_tzid = icalparameter_get_tzid(tzid);
  }
  const bool is_utc = out.start_tzid.empty();
  const icaltimetype end_time = icalproperty_get_dtend(end);
  out.start_via_our_vtimezone =
      is_utc ? icaltime_as_timet(out.start) : icaltime_as_timet_with_zone(out.start, ours);
  out.start_via_libical_zone =
      is_utc ? icaltime_as_timet(out.start) : icaltime_as_timet_with_zone(out.start, builtin);
  out.end_via_our_vtimezone = icalproperty_get_first_parameter(end, ICAL_TZID_PARAMETER) != nullptr
                                  ? icaltime_as_timet_with_zone(end_time, ours)
                                  : icaltime_as_timet(end_time);
  icaltimezone_free(ours, 1);
  return out;
}

TEST(IcsTest, StartTimesAreLondonWallClockOnBothSidesOfEachClockChange) {
  struct Case {
    core::UnixSeconds instant;
    int local_hour, local_minute;
    bool written_in_utc;
  };
  const std::vector<Case> cases = {
      {utc(2026, 3, 28, 10, 0), 10, 0, false},   // Saturday before: GMT
      {utc(2026, 3, 29, 0, 30), 0, 30, false},   // Sunday, before 01:00 UTC: GMT
      {utc(2026, 3, 29, 1, 0), 2, 0, false},     // the first instant of BST
      {utc(2026, 3, 29, 9, 30), 10, 30, false},  // Sunday morning: BST
      {utc(2026, 7, 15, 13, 0), 14, 0, false},   // summer
      {utc(2026, 10, 24, 18, 0), 19, 0, false},  // Saturday before: BST
      {utc(2026, 10, 24, 23, 59), 0, 59, false}, // 00:59 BST, just before the repeat
      {utc(2026, 10, 25, 0, 30), 1, 30, true},   // 01:30 BST, the first 01:30
      {utc(2026, 10, 25, 1, 30), 1, 30, true},   // 01:30 GMT, the repeated 01:30
      {utc(2026, 10, 25, 2, 0), 2, 0, false},    // 02:00 GMT, after the repeat
      {utc(2026, 10, 25, 10, 0), 10, 0, false},  // Sunday morning: GMT
      {utc(2027, 1, 12, 18, 0), 18, 0, false},   // winter
  };
  for (const auto& c : cases) {
    auto ics = render_invitation(meeting(c.instant), InvitationMethod::kRequest);
    ASSERT_TRUE(ics.is_ok()) << ics.status().to_string();
    const ParsedTimes p = parsed_times(*ics);
    SCOPED_TRACE(c.instant);
    if (c.written_in_utc) {
      EXPECT_TRUE(p.start_tzid.empty());
      EXPECT_TRUE(icaltime_is_utc(p.start));
    } else {
      EXPECT_EQ(p.start_tzid, "Europe/London");
      EXPECT_EQ(p.start.hour, c.local_hour);
      EXPECT_EQ(p.start.minute, c.local_minute);
    }
    EXPECT_EQ(p.start_via_our_vtimezone, c.instant);
    EXPECT_EQ(p.start_via_libical_zone, c.instant);
    EXPECT_EQ(p.end_via_our_vtimezone, c.instant + 3600);
  }
}

TEST(IcsTest, TextIsEscapedAndLongUtf8LinesAreFoldedAt75Octets) {
  MeetingInvitation m = meeting(utc(2026, 5, 5, 9, 0));
  m.summary = "Check-in; goals, review \\ plan";
  std::string description = "Agenda:\n1. Goals; progress, blockers\r\n2. Path C:\\Users\\ignored\n";
  for (int i = 0; i < 12; ++i) description += "Siân and Łukasz discuss ŵ, é and 🙂 at length. ";
  description += "End.";  // libical drops trailing white space from a value
  m.description = description;
  m.organizer.name = "Dr \"Sam\" Patel, Scheme lead";
  auto ics = render_invitation(m, InvitationMethod::kRequest);
  ASSERT_TRUE(ics.is_ok()) << ics.status().to_string();

  // Every line ends in CRLF, is at most 75 octets and starts with a whole
  // UTF-8 character (after the folding space).
  EXPECT_EQ(ics->find('\n'), ics->find("\r\n") + 1);
  for (std::size_t i = 0; i < ics->size(); ++i) {
    if ((*ics)[i] == '\n') {
      ASSERT_EQ((*ics)[i - 1], '\r') << "bare LF at " << i;
    }
    if ((*ics)[i] == '\r') {
      ASSERT_EQ((*ics)[i + 1], '\n') << "bare CR at " << i;
    }
  }
  int continuations = 0;
  for (const auto& line : lines_of(*ics)) {
    EXPECT_LE(line.size(), 75u) << line;
    if (!line.empty() && line[0] == ' ') {
      ++continuations;
      ASSERT_GT(line.size(), 1u);
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80) << "split UTF-8 character: " << line;
    }
  }
  EXPECT_GT(continuations, 5);

  // libical unfolds and unescapes back to exactly what went in (with the
  // CR LF inside the description read as one new line).
  Calendar cal = parse(*ics);
  ASSERT_TRUE(cal);
  icalcomponent* ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  EXPECT_STREQ(icalcomponent_get_summary(ev), m.summary.c_str());
  std::string expected = description;
  expected.replace(expected.find("\r\n"), 2, "\n");
  EXPECT_EQ(std::string(icalcomponent_get_description(ev)), expected);
  icalproperty* org = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
  EXPECT_STREQ(icalparameter_get_cn(icalproperty_get_first_parameter(org, ICAL_CN_PARAMETER)),
               "Dr 'Sam' Patel, Scheme lead");
}

TEST(IcsTest, FoldLineBreaksAtExactly75OctetsWithoutSplittingCharacters) {
  const std::string exact(75, 'a');
  EXPECT_EQ(fold_line(exact), exact + "\r\n");
  const std::string one_more(76, 'a');
  EXPECT_EQ(fold_line(one_more), std::string(75, 'a') + "\r\n a\r\n");
  // 74 ASCII octets then a 2-octet character: it does not fit in 75, so it
  // moves whole to the next line.
  const std::string split = std::string(74, 'b') + "é" + "c";
  EXPECT_EQ(fold_line(split), std::string(74, 'b') + "\r\n éc\r\n");
  EXPECT_EQ(escape_text("a,b;c\\d\ne\r\nf\rg"), "a\\,b\\;c\\\\d\\ne\\nf\\ng");
}

TEST(IcsTest, UpdatesRaiseSequenceAndCancellationsUseMethodCancel) {
  MeetingInvitation m = meeting(utc(2026, 9, 1, 16, 0));
  m.location.clear();
  m.url = "https://teams.example.com/l/meetup-join/abc?context=1";
  m.sequence = 2;
  auto ics = render_invitation(m, InvitationMethod::kCancel);
  ASSERT_TRUE(ics.is_ok()) << ics.status().to_string();
  Calendar cal = parse(*ics);
  ASSERT_TRUE(cal);
  EXPECT_EQ(icalcomponent_get_method(cal.get()), ICAL_METHOD_CANCEL);
  EXPECT_TRUE(icalrestriction_check(cal.get())) << *ics;
  EXPECT_EQ(icalcomponent_count_errors(cal.get()), 0);
  icalcomponent* ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  EXPECT_EQ(icalcomponent_get_sequence(ev), 2);
  EXPECT_EQ(icalcomponent_get_status(ev), ICAL_STATUS_CANCELLED);
  EXPECT_STREQ(icalcomponent_get_uid(ev), m.uid.c_str());
  // A virtual meeting's link is its location (Outlook shows it) and its URL.
  EXPECT_STREQ(icalcomponent_get_location(ev), m.url.c_str());
  icalproperty* url = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
  ASSERT_NE(url, nullptr);
  EXPECT_STREQ(icalproperty_get_url(url), m.url.c_str());
  EXPECT_EQ(content_type(InvitationMethod::kCancel), "text/calendar; charset=UTF-8; method=CANCEL");
}

TEST(IcsTest, InvalidInvitationsAreRejectedWithReasons) {
  auto reason = [](MeetingInvitation m) { return render_invitation(m, InvitationMethod::kRequest).status().reason(); };
  const MeetingInvitation ok = meeting(utc(2026, 6, 1, 9));
  MeetingInvitation m = ok;
  m.uid = "has space";
  EXPECT_EQ(reason(m), "calendar_uid_invalid");
  m = ok;
  m.ends_at = m.starts_at;
  EXPECT_EQ(reason(m), "calendar_end_before_start");
  m = ok;
  m.summary.clear();
  EXPECT_EQ(reason(m), "calendar_summary_required");
  m = ok;
  m.summary = "line\nbreak";
  EXPECT_EQ(reason(m), "calendar_text_invalid");
  m = ok;
  m.description = std::string("bad \xC3\x28 utf8");
  EXPECT_EQ(reason(m), "calendar_text_invalid");
  m = ok;
  m.attendees[1].email = "tom.jones@example.nhs.uk\r\nATTENDEE:mailto:x@y.z";
  EXPECT_EQ(reason(m), "calendar_email_invalid");
  m = ok;
  m.organizer.email = "no-at-sign";
  EXPECT_EQ(reason(m), "calendar_email_invalid");
  m = ok;
  m.attendees.clear();
  EXPECT_EQ(reason(m), "calendar_attendee_required");
  m = ok;
  m.url = "javascript:alert(1)";
  EXPECT_EQ(reason(m), "calendar_url_invalid");
  m = ok;
  m.sequence = -1;
  EXPECT_EQ(reason(m), "calendar_sequence_invalid");
  m = ok;
  m.starts_at = -5;
  EXPECT_EQ(reason(m), "calendar_time_out_of_range");
  m = ok;
  m.attendees[0].name = "Tab\x01";
  EXPECT_EQ(reason(m), "calendar_name_invalid");
  EXPECT_EQ(london_time(-1).status().reason(), "calendar_time_out_of_range");
}

}  // namespace
}  // namespace mentoring::exports
