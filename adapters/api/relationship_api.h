// The mentoring relationship under /api/v1 (app/relationship.h): the pair's
// agreement, meetings with calendar invitations, goals and protected time,
// and the reminder sweep. Every call but the sweep acts for the person named
// in X-Mentoring-Actor (invalid_argument actor_required without it) and sees
// only that person's pairings. See docs/api.md and docs/relationship.md.
#pragma once

#include <string>
#include <string_view>

#include "adapters/export/ics.h"
#include "adapters/http/router.h"
#include "app/relationship.h"
#include "app/relationship_engagement.h"

namespace mentoring::api {

struct RelationshipApiContext {
  app::RelationshipService& relationships;
  app::ReminderSweep& reminders;
  std::string service_token;
};

// GET    /api/v1/relationships
// GET    /api/v1/relationships/{id}
// POST   /api/v1/relationships/{id}/agreement/accept
// POST   /api/v1/relationships/{id}/meetings
// POST   /api/v1/relationships/{id}/goals
// POST   /api/v1/relationships/{id}/protected-time
// POST   /api/v1/meetings/{id}/record
// POST   /api/v1/meetings/{id}/cancel
// PUT    /api/v1/meetings/{id}/note
// GET    /api/v1/meetings/{id}/calendar.ics
// PATCH  /api/v1/goals/{id}
// POST   /api/v1/goals/{id}/notes
// POST   /api/v1/reminders/sweep
void add_relationship_routes(http::Router& router, const RelationshipApiContext& ctx);

// "2026-06-10T08:30:00Z" for an instant, and back. The parser takes exactly
// that form (UTC, whole seconds): invalid `field` time_invalid otherwise.
std::string utc_timestamp(core::UnixSeconds t);
core::Result<core::UnixSeconds> parse_utc_timestamp(std::string_view text, const char* field);

// The calendar invitation of a meeting, as both the API and the web pages
// hand it out. The organiser is whoever booked it and the other person
// attends; a cancelled meeting becomes a cancellation (method CANCEL, with
// the raised SEQUENCE) that removes it from calendars. The UID is stable
// for the life of the meeting.
inline exports::MeetingInvitation meeting_invitation(const app::MeetingWithParties& mp, core::UnixSeconds now,
                                                     exports::InvitationMethod* method) {
  const core::relationship::Meeting& m = mp.meeting;
  const core::relationship::PairingParties& p = mp.parties;
  exports::MeetingInvitation inv;
  inv.uid = "meeting-" + std::to_string(m.id) + "-" + std::to_string(m.timecreated) + "@mentoring.nhs.invalid";
  inv.sequence = m.sequence;
  inv.starts_at = m.starts_at;
  inv.ends_at = m.ends_at();
  inv.stamp = now;
  const std::string mentee = p.mentee_name.empty() ? std::string("Mentee") : p.mentee_name;
  const std::string mentor = p.mentor_name.empty() ? std::string("Mentor") : p.mentor_name;
  inv.summary = "Mentoring meeting: " + mentee + " and " + mentor;
  inv.description = m.topics;
  switch (m.mode) {
    case core::relationship::MeetingMode::kInPerson: inv.location = m.place; break;
    case core::relationship::MeetingMode::kVideo: inv.url = m.link; break;
    case core::relationship::MeetingMode::kPhone: inv.location = "By phone"; break;
  }
  // A person whose portal shares no e-mail address still needs a calendar
  // address; one under the reserved .invalid domain is never delivered to.
  auto address = [](const std::string& email, std::int64_t accountid) {
    return email.empty() ? "account-" + std::to_string(accountid) + "@mentoring.nhs.invalid" : email;
  };
  const exports::CalendarPerson mentee_person{mentee, address(p.mentee_email, p.mentee_accountid)};
  const exports::CalendarPerson mentor_person{mentor, address(p.mentor_email, p.mentor_accountid)};
  const bool mentee_booked = m.booked_by == p.mentee_accountid;
  inv.organizer = mentee_booked ? mentee_person : mentor_person;
  inv.attendees = {mentee_booked ? mentor_person : mentee_person};
  *method = m.state == core::relationship::MeetingState::kCancelled ? exports::InvitationMethod::kCancel
                                                                    : exports::InvitationMethod::kRequest;
  return inv;
}

}  // namespace mentoring::api
