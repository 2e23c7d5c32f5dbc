// Use cases for midpoint and end check-ins (core/checkin.h). Each call is
// one transaction.
//
// Due dates come from the pairing's start and the end of its cohort's
// mentoring period (core::checkin_schedule). A person answers for each
// pairing they are part of, once per phase, and may change the answers until
// the window closes. Staff see who is overdue; the evaluation sees the
// answers only as tallies, withheld below the disclosure threshold. Free-text
// comments are shown to nobody but their author.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "core/checkin.h"
#include "core/evaluation/disclosure.h"
#include "core/clock.h"
#include "core/matching_stores.h"
#include "core/stores.h"

namespace mentoring::app {

// One check-in a person owes or has given.
struct CheckinDue {
  core::Pairing pairing;
  core::Cohort cohort;
  core::Role role = core::Role::kMentee;
  core::CheckinPhase phase = core::CheckinPhase::kMidpoint;
  core::CheckinWindow window;
  std::optional<core::CheckinResponse> response;  // the person's own answers
  bool open = false;     // answers can be given or changed today
  bool overdue = false;  // past due, not answered, still open
};

struct OverdueCheckin {
  std::int64_t pairingid = 0;
  std::int64_t accountid = 0;
  core::Role role = core::Role::kMentee;
  core::CheckinPhase phase = core::CheckinPhase::kMidpoint;
  core::Date due_on;
  std::int64_t days_overdue = 0;
};

// One (phase, role) of a cohort's check-ins for the evaluation.
struct PublishedCheckinTally {
  core::CheckinTally tally;  // counts zeroed when withheld
  bool withheld = false;     // fewer responses than the threshold
  // The counts as they may be shown, each table suppressed on its own
  // (primary and secondary, core/evaluation/disclosure.h) with `responses`
  // as its total: working yes / partly / no; had not met / had met; would
  // continue / would not or unsure. Empty when `withheld`.
  core::evaluation::PublishedCounts working;
  core::evaluation::PublishedCounts met;
  core::evaluation::PublishedCounts would_continue;
};

class CheckinService {
 public:
  // `threshold`: tallies with fewer responses are withheld (default 10, as
  // the evaluation report's small-number rule).
  CheckinService(core::Database& db, const core::Clock& clock, std::int64_t threshold = 10)
      : db_(db), clock_(clock), threshold_(threshold) {}

  // Both phases of every started pairing the person is in (ended pairings
  // only for phases due before they ended), by due date.
  core::Result<std::vector<CheckinDue>> due_for(std::int64_t accountid);

  // Answers (create) or changes (replace) the person's check-in. Checks, in
  // order: the answers (core::validate); the pairing exists (NotFound
  // pairing_not_found) and the person is in it (permission_denied
  // checkin_not_in_pairing); it has started (failed_precondition
  // checkin_pairing_not_started); the window is open today
  // (checkin_not_open, checkin_closed). Returns the stored response.
  core::Result<core::CheckinResponse> save(std::int64_t accountid, std::int64_t pairingid, core::CheckinPhase phase,
                                           const core::CheckinAnswers& answers);

  // Check-ins past their due date and not answered, for every started
  // pairing of the cohort (oldest due first). NotFound cohort_not_found.
  core::Result<std::vector<OverdueCheckin>> overdue(std::int64_t cohortid);

  // The cohort's tallies (core::tally_checkins) with small ones withheld.
  core::Result<std::vector<PublishedCheckinTally>> tallies(std::int64_t cohortid);

 private:
  core::Database& db_;
  const core::Clock& clock_;
  std::int64_t threshold_;
};

// The schedule of a started pairing in its cohort; nullopt before it starts.
std::optional<core::CheckinSchedule> pairing_schedule(const core::Pairing& pairing, const core::Cohort& cohort);

}  // namespace mentoring::app
