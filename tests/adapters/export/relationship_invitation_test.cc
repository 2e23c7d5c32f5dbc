// The relationship's calendar invitations (api::meeting_invitation, used by
// the pages and the API) read back with libical, an independent iCalendar
// implementation: the booker organises, the other person attends, times land
// on the right instant in Europe/London, a person without an e-mail address
// still gets a valid calendar address, and a cancellation replaces the
// invitation under the same UID with a higher SEQUENCE.
#include <gtest/gtest.h>
#include <libical/ical.h>

#include <memory>
#include <string>

#include "adapters/api/relationship_api.h"
#include "adapters/export/ics.h"

namespace mentoring::exports {
namespace {
namespace rel = core::relationship;

struct CalendarDeleter {
  void operator()(icalcomponent* c) const { icalcomponent_free(c); }
};
using Calendar = std::unique_ptr<icalcomponent, CalendarDeleter>;

// 2026-06-10 08:00 UTC, 09:00 in London (summer time).
constexpr core::UnixSeconds kStart = 1781078400;

app::MeetingWithParties pair_meeting() {
  app::MeetingWithParties mp;
  mp.parties.pairing.id = 7;
  mp.parties.mentee_accountid = 11;
  mp.parties.mentor_accountid = 12;
  mp.parties.mentee_name = "Dr Aisha Okafor";
  mp.parties.mentor_name = "Dr Ben \"BJ\" Hughes";
  mp.parties.mentee_email = "aisha@example.nhs.uk";
  mp.parties.mentor_email = "";  // the portal shared none
  mp.meeting.id = 42;
  mp.meeting.pairingid = 7;
  mp.meeting.booked_by = 12;
  mp.meeting.starts_at = kStart;
  mp.meeting.minutes = 45;
  mp.meeting.mode = rel::MeetingMode::kVideo;
  mp.meeting.link = "https://meet.example.nhs.uk/r/42";
  mp.meeting.topics = "Portfolio, rota; first month";
  mp.meeting.timecreated = kStart - 7 * 86400;
  return mp;
}

Calendar render(const app::MeetingWithParties& mp, InvitationMethod* method) {
  const MeetingInvitation inv = api::meeting_invitation(mp, kStart - 86400, method);
  auto ics = render_invitation(inv, *method);
  EXPECT_TRUE(ics.is_ok()) << ics.status().to_string();
  if (!ics) return nullptr;
  return Calendar(icalparser_parse_string(ics->c_str()));
}

TEST(RelationshipInvitationTest, TheBookerOrganisesAndTheTimesAreRightInLondon) {
  InvitationMethod method = InvitationMethod::kCancel;
  Calendar cal = render(pair_meeting(), &method);
  ASSERT_TRUE(cal);
  EXPECT_EQ(method, InvitationMethod::kRequest);
  EXPECT_EQ(icalcomponent_get_method(cal.get()), ICAL_METHOD_REQUEST);
  EXPECT_TRUE(icalrestriction_check(cal.get()));
  EXPECT_EQ(icalcomponent_count_errors(cal.get()), 0);
  icalcomponent* ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_NE(ev, nullptr);
  icaltimezone* london = icaltimezone_get_builtin_timezone("Europe/London");
  ASSERT_NE(london, nullptr);
  const icaltimetype start = icalcomponent_get_dtstart(ev);
  EXPECT_EQ(start.hour, 9);
  EXPECT_EQ(icaltime_as_timet_with_zone(start, london), kStart);
  EXPECT_EQ(icaltime_as_timet_with_zone(icalcomponent_get_dtend(ev), london), kStart + 45 * 60);
  EXPECT_STREQ(icalcomponent_get_uid(ev), "meeting-42-1780473600@mentoring.nhs.invalid");
  EXPECT_STREQ(icalcomponent_get_description(ev), "Portfolio, rota; first month");
  icalproperty* organizer = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
  ASSERT_NE(organizer, nullptr);
  EXPECT_STREQ(icalproperty_get_organizer(organizer), "mailto:account-12@mentoring.nhs.invalid");
  icalparameter* cn = icalproperty_get_first_parameter(organizer, ICAL_CN_PARAMETER);
  ASSERT_NE(cn, nullptr);
  EXPECT_STREQ(icalparameter_get_cn(cn), "Dr Ben 'BJ' Hughes");
  int attendees = 0;
  for (icalproperty* a = icalcomponent_get_first_property(ev, ICAL_ATTENDEE_PROPERTY); a != nullptr;
       a = icalcomponent_get_next_property(ev, ICAL_ATTENDEE_PROPERTY)) {
    ++attendees;
    EXPECT_STREQ(icalproperty_get_attendee(a), "mailto:aisha@example.nhs.uk");
  }
  EXPECT_EQ(attendees, 1);
  icalproperty* url = icalcomponent_get_first_property(ev, ICAL_URL_PROPERTY);
  ASSERT_NE(url, nullptr);
  EXPECT_STREQ(icalproperty_get_url(url), "https://meet.example.nhs.uk/r/42");
}

TEST(RelationshipInvitationTest, ACancelledMeetingIsACancellationOfTheSameEvent) {
  app::MeetingWithParties mp = pair_meeting();
  InvitationMethod method = InvitationMethod::kRequest;
  Calendar first = render(mp, &method);
  ASSERT_TRUE(first);
  mp.meeting.state = rel::MeetingState::kCancelled;
  mp.meeting.sequence = 1;
  Calendar cancelled = render(mp, &method);
  ASSERT_TRUE(cancelled);
  EXPECT_EQ(method, InvitationMethod::kCancel);
  EXPECT_EQ(icalcomponent_get_method(cancelled.get()), ICAL_METHOD_CANCEL);
  EXPECT_TRUE(icalrestriction_check(cancelled.get()));
  icalcomponent* a = icalcomponent_get_first_component(first.get(), ICAL_VEVENT_COMPONENT);
  icalcomponent* b = icalcomponent_get_first_component(cancelled.get(), ICAL_VEVENT_COMPONENT);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_STREQ(icalcomponent_get_uid(a), icalcomponent_get_uid(b));
  EXPECT_EQ(icalcomponent_get_status(b), ICAL_STATUS_CANCELLED);
  icalproperty* seq_a = icalcomponent_get_first_property(a, ICAL_SEQUENCE_PROPERTY);
  icalproperty* seq_b = icalcomponent_get_first_property(b, ICAL_SEQUENCE_PROPERTY);
  ASSERT_NE(seq_a, nullptr);
  ASSERT_NE(seq_b, nullptr);
  EXPECT_LT(icalproperty_get_sequence(seq_a), icalproperty_get_sequence(seq_b));
}

TEST(RelationshipInvitationTest, InPersonAndPhoneMeetingsSayWhere) {
  app::MeetingWithParties mp = pair_meeting();
  mp.meeting.mode = rel::MeetingMode::kInPerson;
  mp.meeting.link.clear();
  mp.meeting.place = "Education Centre, Room 3";
  mp.meeting.booked_by = 11;
  InvitationMethod method = InvitationMethod::kRequest;
  Calendar cal = render(mp, &method);
  ASSERT_TRUE(cal);
  icalcomponent* ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  EXPECT_STREQ(icalcomponent_get_location(ev), "Education Centre, Room 3");
  icalproperty* organizer = icalcomponent_get_first_property(ev, ICAL_ORGANIZER_PROPERTY);
  EXPECT_STREQ(icalproperty_get_organizer(organizer), "mailto:aisha@example.nhs.uk");
  mp.meeting.mode = rel::MeetingMode::kPhone;
  cal = render(mp, &method);
  ASSERT_TRUE(cal);
  ev = icalcomponent_get_first_component(cal.get(), ICAL_VEVENT_COMPONENT);
  EXPECT_STREQ(icalcomponent_get_location(ev), "By phone");
}

}  // namespace
}  // namespace mentoring::exports
