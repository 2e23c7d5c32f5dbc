// Use cases of the mentoring relationship: the pair accept the scheme's
// agreement, book and record meetings, keep the mentee's goals and log
// protected time. Each call is one transaction.
//
// Who may do what: only the pairing's mentee and mentor see or change
// anything in it; anyone else is told the pairing does not exist
// (not_found pairing_not_found), so ids reveal nothing. A private note on a
// meeting is returned only to its author. Changes need an active pairing
// (failed_precondition pairing_not_active); an ended pairing stays readable.
// Goals are the mentee's: only the mentee adds or changes them
// (permission_denied goal_mentee_only); both add progress notes.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/agreement.h"
#include "core/clock.h"
#include "core/relationship/relationship_stores.h"
#include "core/stores.h"

namespace mentoring::app {

// One pairing as one of its two people sees it.
struct RelationshipView {
  core::relationship::PairingParties parties;
  core::Role role = core::Role::kMentee;  // the viewer's
  std::int64_t viewer_accountid = 0;
  // The scheme's agreement; absent until the scheme writes one (then no
  // meeting can be booked).
  std::optional<core::AgreementTemplate> agreement;
  core::AgreementStatus agreement_status = core::AgreementStatus::kPending;
  bool viewer_accepted_current = false;
  std::vector<core::AgreementAcceptance> acceptances;  // the pair's, oldest first
  std::vector<core::relationship::Meeting> meetings;   // by start time
  std::map<std::int64_t, std::string> my_notes;        // the viewer's own, by meeting id
  std::vector<core::relationship::Goal> goals;         // open first
  std::vector<core::relationship::GoalNote> goal_notes;
  std::vector<core::relationship::ProtectedTime> protected_time;  // newest first
  core::relationship::ProtectedTimeTotals totals;

  bool active() const { return parties.pairing.state == core::PairingState::kActive; }
  std::int64_t partner_accountid() const {
    return role == core::Role::kMentee ? parties.mentor_accountid : parties.mentee_accountid;
  }
  const std::string& partner_name() const {
    return role == core::Role::kMentee ? parties.mentor_name : parties.mentee_name;
  }
};

// A meeting with its pair, for a calendar invitation.
struct MeetingWithParties {
  core::relationship::Meeting meeting;
  core::relationship::PairingParties parties;
};

// What a goal change may set; absent fields stay as they are.
struct GoalChange {
  std::optional<std::string> title, specific, measurable, achievable, relevant;
  std::optional<core::Date> target_on;
  std::optional<std::optional<core::Date>> review_on;  // {} clears the review date
  std::optional<core::relationship::GoalStatus> status;
};

class RelationshipService {
 public:
  RelationshipService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // The account's pairings, active first.
  core::Result<std::vector<core::relationship::PairingParties>> pairings(std::int64_t accountid);
  core::Result<RelationshipView> view(std::int64_t accountid, std::int64_t pairingid);

  // Accepts the scheme's current agreement. `version` is the version the
  // person read: conflict agreement_version_changed when the scheme changed
  // it since; failed_precondition agreement_missing when there is none;
  // already_exists agreement_already_accepted when accepted before.
  core::Result<core::AgreementAcceptance> accept_agreement(std::int64_t accountid, std::int64_t pairingid,
                                                           int version);

  // Books a meeting: both must have accepted the current agreement
  // (core::check_can_book_meeting), the request must be valid
  // (core::relationship::validate_request), and neither person may have
  // another booked or held meeting at an overlapping time (conflict
  // meeting_overlaps).
  core::Result<core::relationship::Meeting> book_meeting(std::int64_t accountid, std::int64_t pairingid,
                                                         const core::relationship::MeetingRequest& request);
  // Records a booked meeting as held (with the agreed actions) or missed; the
  // private note, when not empty, is the recorder's own.
  core::Result<core::relationship::Meeting> record_meeting(std::int64_t accountid, std::int64_t meetingid,
                                                           core::relationship::MeetingState outcome,
                                                           const std::string& agreed_actions,
                                                           const std::string& private_note);
  core::Result<core::relationship::Meeting> cancel_meeting(std::int64_t accountid, std::int64_t meetingid);
  // Sets the person's own private note on a recorded meeting.
  core::Status save_note(std::int64_t accountid, std::int64_t meetingid, const std::string& note);
  // The meeting and its pair, for the person's calendar. NotFound
  // meeting_not_found for anyone outside the pair.
  core::Result<MeetingWithParties> meeting(std::int64_t accountid, std::int64_t meetingid);

  core::Result<core::relationship::Goal> add_goal(std::int64_t accountid, std::int64_t pairingid,
                                                  const core::relationship::Goal& goal);
  core::Result<core::relationship::Goal> change_goal(std::int64_t accountid, std::int64_t goalid,
                                                     const GoalChange& change);
  core::Result<core::relationship::GoalNote> add_goal_note(std::int64_t accountid, std::int64_t goalid,
                                                           const std::string& text);

  core::Result<core::relationship::ProtectedTime> log_protected_time(std::int64_t accountid, std::int64_t pairingid,
                                                                     core::Date used_on, int minutes);

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

// Loads the pairing for one of its people, or NotFound pairing_not_found.
core::Result<core::relationship::PairingParties> pairing_for_party(core::Stores& s, std::int64_t accountid,
                                                                   std::int64_t pairingid, core::Role* role);

}  // namespace mentoring::app
