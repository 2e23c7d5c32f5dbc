// mentoring.survey_due, exactly once per survey round and person
// (docs/webhooks.md, "Events the plugin sends").
//
// A round is announced to the active members of its "mentees" and "mentors"
// audiences: everyone enrolled when the round is created, in the transaction
// that creates it; a person who enrols later, in the transaction of their
// enrolment, for every round of the cohort that has not closed; and anyone
// either path missed (a bulk import, a withdrawal undone) by a sweep the
// background worker runs. Each announcement is recorded per (round, account)
// (core/survey_due_stores.h) in the same transaction as its outbox row, so
// the paths, repeated sweeps and several instances sharing one database
// never announce a round to anyone twice. A round past its closing day is
// announced to nobody.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/date.h"
#include "core/enrolment.h"
#include "core/scheme.h"
#include "core/stores.h"
#include "core/survey.h"

namespace mentoring::app {

// Whether `round` is still announced on `today`: it has not closed (a round
// that opens later is announced ahead, and the host invites from opens_on).
bool survey_round_announced_on(const core::SurveyRound& round, core::Date today);

// The idempotency key of the announcement of `roundid` to `accountid`:
// "survey_round:<round>:account:<account>".
std::string survey_due_key(std::int64_t roundid, std::int64_t accountid);

// Announces `round` (of scheme `schemeid`) to `accountid` as a member of
// `audiences`, unless it already was. Returns whether it appended.
core::Result<bool> announce_survey_round_to(core::Stores& s, const core::SurveyRound& round, std::int64_t schemeid,
                                            std::int64_t accountid, const std::vector<std::string>& audiences,
                                            core::UnixSeconds now);

// Announces `round` to every active member of its mentees and mentors
// audiences not told yet (a person in both gets one event naming both);
// nothing once the round has closed. Returns how many events were appended.
core::Result<int> announce_survey_round(core::Stores& s, const core::SurveyRound& round, std::int64_t schemeid,
                                        core::UnixSeconds now);

// For a new active enrolment: announces every round of its cohort that has
// not closed and is sent to the enrolment's role, to the enrolled account,
// unless it already was. Returns how many events were appended.
core::Result<int> announce_open_rounds_to_enrolment(core::Stores& s, const core::Enrolment& enrolment,
                                                    const core::Cohort& cohort, core::UnixSeconds now);

struct SurveyDueSweepResult {
  int rounds = 0;  // rounds not yet closed that were looked at
  int queued = 0;  // announcements appended by this sweep
};

// Catches announcements the creation and enrolment paths missed. Each round
// is swept in its own transaction; running it again, or on several
// instances at once, appends nothing more.
class SurveyDueSweep {
 public:
  SurveyDueSweep(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}
  core::Result<SurveyDueSweepResult> run();

 private:
  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
