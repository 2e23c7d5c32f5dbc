// Storage port for the mentoring relationship: agreement acceptances,
// meetings and private notes, goals and progress notes, protected time, the
// reminders already queued, and the engagement figures the evaluation report
// and the reminder sweep read. Implemented in storage/relationship_store.cc.
//
// Who may see or change what (only the pair; a private note only its
// author) is decided by app/relationship.h; the store keeps the rules that
// must hold under concurrency: one acceptance per person and version, one
// note per person and meeting, a meeting changes state only from the state
// the caller read, and a reminder key is queued once.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/agreement.h"
#include "core/evaluation/engagement.h"
#include "core/evaluation_stores.h"
#include "core/matching_stores.h"
#include "core/relationship/goal.h"
#include "core/relationship/meeting.h"
#include "core/relationship/protected_time.h"
#include "core/stores.h"

namespace mentoring::core::relationship {

// A pairing with the accounts of its two people.
struct PairingParties {
  Pairing pairing;
  std::int64_t schemeid = 0;
  std::int64_t mentee_accountid = 0;
  std::int64_t mentor_accountid = 0;
  std::string mentee_name, mentor_name;
  std::string mentee_email, mentor_email;
  UnixSeconds mentee_enrolled_at = 0;
};

class RelationshipStore {
 public:
  virtual ~RelationshipStore() = default;

  // NotFound-free: nothing when there is no pairing `pairingid`.
  virtual Result<std::optional<PairingParties>> parties(std::int64_t pairingid) = 0;
  // The active and ended pairings the account is mentee or mentor in,
  // active first, then newest first.
  virtual Result<std::vector<PairingParties>> pairings_of_account(std::int64_t accountid) = 0;

  // AlreadyExists "agreement_already_accepted" when the person accepted that
  // version for that pairing before.
  virtual Result<AgreementAcceptance> add_acceptance(const AgreementAcceptance& acceptance, UnixSeconds now) = 0;
  // Oldest first.
  virtual Result<std::vector<AgreementAcceptance>> acceptances(std::int64_t pairingid) = 0;

  // Holds the two people's account rows until the transaction ends, so
  // bookings that involve either of them run one after another and the
  // overlap check cannot be raced (PostgreSQL row locks, taken in id order;
  // SQLite already runs one writer at a time).
  virtual Status lock_people(std::int64_t first_accountid, std::int64_t second_accountid) = 0;
  virtual Result<Meeting> create_meeting(const Meeting& meeting, UnixSeconds now) = 0;
  virtual Result<std::optional<Meeting>> find_meeting(std::int64_t id) = 0;
  // By start time, then id.
  virtual Result<std::vector<Meeting>> meetings(std::int64_t pairingid) = 0;
  // Booked and held meetings of every pairing the account is in whose time
  // overlaps [from, to): for the overlap check.
  virtual Result<std::vector<Meeting>> meetings_of_account_between(std::int64_t accountid, UnixSeconds from,
                                                                   UnixSeconds to) = 0;
  // Writes state, sequence, agreed_actions, recorded_by and recorded_at of
  // `meeting` only while the stored state is `expected`: Conflict
  // "meeting_changed" otherwise, NotFound "meeting_not_found".
  virtual Result<Meeting> update_meeting(const Meeting& meeting, MeetingState expected, UnixSeconds now) = 0;
  // Inserts or replaces the author's own note on a meeting.
  virtual Status save_note(std::int64_t meetingid, std::int64_t accountid, const std::string& note,
                           UnixSeconds now) = 0;
  // The author's notes on the pairing's meetings, by meeting id.
  virtual Result<std::map<std::int64_t, std::string>> notes_by(std::int64_t pairingid, std::int64_t accountid) = 0;

  virtual Result<Goal> create_goal(const Goal& goal, UnixSeconds now) = 0;
  virtual Result<std::optional<Goal>> find_goal(std::int64_t id) = 0;
  // Open first, then by target date.
  virtual Result<std::vector<Goal>> goals(std::int64_t pairingid) = 0;
  // Replaces the goal's fields and status. NotFound "goal_not_found".
  virtual Result<Goal> update_goal(const Goal& goal, UnixSeconds now) = 0;
  virtual Result<GoalNote> add_goal_note(const GoalNote& note, UnixSeconds now) = 0;
  // Every note on the pairing's goals, oldest first.
  virtual Result<std::vector<GoalNote>> goal_notes(std::int64_t pairingid) = 0;

  virtual Result<ProtectedTime> add_protected_time(const ProtectedTime& entry, UnixSeconds now) = 0;
  // Newest day first.
  virtual Result<std::vector<ProtectedTime>> protected_time(std::int64_t pairingid) = 0;

  // Every active pairing (of one cohort, or all when cohortid is 0) as the
  // engagement rules see it: held meeting dates (UTC days) and the next
  // booked meeting after `now`.
  virtual Result<std::vector<evaluation::PairingActivity>> active_activity(std::int64_t cohortid,
                                                                           UnixSeconds now) = 0;
  // Counts for the evaluation report: the scheme's cohorts, or one cohort
  // when cohortid is not 0. Meetings count when held.
  virtual Result<EngagementCounts> engagement_counts(std::int64_t schemeid, std::int64_t cohortid) = 0;

  // Claims a reminder's key before it is queued. False, changing nothing,
  // when the key was claimed before (by this or another instance; with
  // PostgreSQL a second claim of an uncommitted key waits for the first).
  virtual Result<bool> record_nudge(const evaluation::Nudge& nudge, UnixSeconds now) = 0;
  // Names the outbox row that carries a claimed reminder.
  virtual Status link_nudge(const std::string& key, std::int64_t outboxid, UnixSeconds now) = 0;
  virtual Result<std::int64_t> count_nudges(std::int64_t pairingid) = 0;
};

}  // namespace mentoring::core::relationship
