// What a host event (core/events.h) does to the stores: the rules for
// creating, updating, suspending and erasing people from host webhooks, for
// events that arrive out of order, and for training outcomes kept only with
// consent. Runs inside the caller's transaction; the caller marks the inbox
// row in the same transaction, so an event is applied exactly once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "core/events.h"
#include "core/status.h"
#include "core/stores.h"

namespace mentoring::app {

enum class EventOutcome {
  kApplied,     // the stores changed
  kIgnored,     // acknowledged, nothing to do (reason says why)
  kDeadLetter,  // cannot be applied as it stands; nothing was written
};

struct EventResult {
  EventOutcome outcome = EventOutcome::kApplied;
  std::string reason;   // snake_case, empty when applied
  std::string message;  // one sentence for an administrator
};

// Whether the person has recorded consent to their training outcomes being
// used for evaluation. Empty means "never": outcomes are then not stored.
using EvaluationConsent = std::function<core::Result<bool>(core::Stores&, std::int64_t accountid)>;

// The answer recorded with the person's mentee profile
// (core/evaluation_stores.h): true only for a recorded "yes".
core::Result<bool> recorded_evaluation_consent(core::Stores& s, std::int64_t accountid);

// Applies `event` (already validated) at `now`:
//   - an account.deleted recorded for this person with a timestamp at or
//     after this event's: ignored, reason "account_erased";
//   - unknown person: account.created/updated create them; account.deleted
//     records the erasure (so older events cannot bring them back) and is
//     applied; every other event is dead-lettered, reason "account_unknown";
//   - an event older than the newest applied for this person: ignored,
//     reason "event_out_of_order";
//   - training_outcome.recorded without consent: ignored, reason
//     "evaluation_consent_missing".
// Store errors come back as a Status (and roll the transaction back).
core::Result<EventResult> apply_account_event(core::Stores& s, const core::InboundEvent& event,
                                              const EvaluationConsent& consent, core::UnixSeconds now);

}  // namespace mentoring::app
