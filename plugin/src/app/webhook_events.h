// Outbound events written by the use cases, in their own transactions
// (docs/webhooks.md, "Events the plugin sends").
#pragma once

#include "core/account.h"
#include "core/enrolment.h"
#include "core/matching_stores.h"
#include "core/scheme.h"
#include "core/status.h"
#include "core/stores.h"

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

}  // namespace mentoring::app
