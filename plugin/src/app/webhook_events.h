// Outbound events written by the use cases, in their own transactions
// (docs/webhooks.md, "Events the plugin sends").
#pragma once

#include "core/account.h"
#include "core/checkin.h"
#include "core/enrolment.h"
#include "core/matching_stores.h"
#include "core/scheme.h"
#include "core/status.h"
#include "core/stores.h"
#include "core/survey.h"

namespace mentoring::app {

// Appends mentoring.enrolled for `enrolment` to the outbox:
// {"enrolment_id","cohort_id","scheme_id","role","account":{"platform","subject"}}.
core::Status append_enrolled_event(core::Stores& s, const core::Enrolment& enrolment, const core::Cohort& cohort,
                                   const core::Account& account, core::UnixSeconds now);

// The payload of that event, for callers that queue it themselves (bulk import).
std::string enrolled_event_payload(const core::Enrolment& enrolment, const core::Cohort& cohort,
                                   const core::Account& account);

// Appends mentoring.pairing_confirmed (a pairing became active) or
// mentoring.pairing_ended for `pairing`:
// {"pairing_id","cohort_id","source","mentee":{"platform","subject"},
//  "mentor":{"platform","subject"}} and, when ended, "end_reason" and
// "ended_by" (never the note, which may be sensitive).
core::Status append_pairing_event(core::Stores& s, const core::Pairing& pairing, core::UnixSeconds now);

// Appends mentoring.pairing_proposed for a mentee's request that now waits
// for the mentor's answer (mentee-choice, a hybrid shortlist choice, or a
// freed place offered to a waiting mentee):
// {"request_id","cohort_id","source","mentee":{..},"mentor":{..},"reply_by"}.
// Never the mentee's message.
core::Status append_pairing_proposed_event(core::Stores& s, const core::MenteeRequest& request, core::UnixSeconds now);

// Appends one mentoring.survey_due per person of a new round's "mentees" and
// "mentors" audiences (active enrolments of the round's cohort; a person in
// both gets one event naming both): {"round_id","scheme_id","cohort_id",
// "phase","opens_on","closes_on","audiences","idempotency_key","account"}.
// Called in the transaction that creates the round; people who enrol later
// are announced to by app/survey_due.h, each (round, person) once. Returns
// how many events were appended.
core::Result<int> append_survey_due_events(core::Stores& s, const core::SurveyRound& round, std::int64_t schemeid,
                                           core::UnixSeconds now);

// Appends mentoring.certificate_issued when `checkin` is the mentor's first
// end-of-scheme check-in in its cohort: from then on the mentor's CPD
// certificate for the scheme is available. Nothing for any other check-in,
// so it is sent once per mentor per cohort however often the certificate is
// downloaded: {"cohort_id","scheme_id","pairing_id","issued_on",
// "idempotency_key","mentor":{..}}. Returns whether it appended.
core::Result<bool> append_certificate_issued_event(core::Stores& s, const core::CheckinResponse& checkin,
                                                   const core::Cohort& cohort, core::UnixSeconds now);

}  // namespace mentoring::app
