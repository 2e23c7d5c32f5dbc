#include "app/account_events.h"

#include "core/audit_stores.h"
#include "core/evaluation_stores.h"
#include "core/webhook_stores.h"

namespace mentoring::app {
using core::InboundEventType;
using core::Result;
using core::Status;

namespace {

EventResult ignored(std::string reason, std::string message) {
  return EventResult{EventOutcome::kIgnored, std::move(reason), std::move(message)};
}

// Host data given in an event replaces what was stored; fields the event
// leaves out (empty) are kept.
void merge(std::string& into, const std::string& value) {
  if (!value.empty()) into = value;
}

}  // namespace

Result<bool> recorded_evaluation_consent(core::Stores& s, std::int64_t accountid) {
  auto consent = s.evaluation.find_consent(accountid);
  if (!consent) return consent.status();
  return consent->has_value() && (*consent)->given;
}

Result<EventResult> apply_account_event(core::Stores& s, const core::InboundEvent& e,
                                        const EvaluationConsent& consent, core::UnixSeconds now) {
  if (!e.person.subject_key.empty()) {
    auto erased = s.host_accounts.erased_at(e.person.subject_key);
    if (!erased) return erased.status();
    if (erased->has_value() && e.occurred_at_ms <= **erased)
      return ignored("account_erased", "The person was erased by an account.deleted event at or after this one.");
  }

  auto account = s.accounts.find_by_subject(e.person.platform, e.person.subject);
  if (!account) return account.status();
  const bool creates = e.type == InboundEventType::kAccountCreated || e.type == InboundEventType::kAccountUpdated;
  if (!account->has_value()) {
    if (e.type == InboundEventType::kAccountDeleted) {
      if (!e.person.subject_key.empty())
        MENTORING_RETURN_IF_ERROR(s.host_accounts.record_erasure(e.person.subject_key, e.occurred_at_ms, now));
      return EventResult{};
    }
    if (!creates)
      return EventResult{EventOutcome::kDeadLetter, "account_unknown",
                         std::string("The plugin has no account for this person; send account.updated first, then "
                                     "replay this ") +
                             core::to_string(e.type) + " event."};
  }

  std::optional<core::HostAccountData> stored;
  if (account->has_value()) {
    auto found = s.host_accounts.find((*account)->id);
    if (!found) return found.status();
    stored = std::move(*found);
    if (stored && e.occurred_at_ms < stored->last_event_ms)
      return ignored("event_out_of_order", "A newer event for this person has already been applied.");
  }

  std::int64_t accountid = account->has_value() ? (*account)->id : 0;
  core::HostAccountData data = stored.value_or(core::HostAccountData{});
  switch (e.type) {
    case InboundEventType::kAccountCreated:
    case InboundEventType::kAccountUpdated: {
      // The host owns the name and email: an update replaces both (an empty
      // email clears it); the other details merge.
      core::AccountInput input{e.person.platform, e.person.subject, e.account.name, e.account.email};
      if (account->has_value() && e.account.name.empty()) input.display_name = (*account)->display_name;
      auto saved = s.accounts.upsert(input, now);
      if (!saved) return saved.status();
      accountid = saved->id;
      merge(data.gmc_number, e.account.gmc_number);
      if (e.account.career_stage) data.career_stage = core::to_string(*e.account.career_stage);
      merge(data.specialty, e.account.specialty);
      merge(data.programme, e.account.programme);
      merge(data.site, e.account.site);
      merge(data.region, e.account.region);
      break;
    }
    case InboundEventType::kAccountSuspended:
      MENTORING_RETURN_IF_ERROR(s.host_accounts.set_account_status(accountid, core::AccountStatus::kSuspended, now));
      break;
    case InboundEventType::kAccountDeleted: {
      // The webhook tables' rows about the person first (they are found by
      // the subject, which the erasure replaces), then the privacy map's
      // erasure (docs/privacy.md).
      MENTORING_RETURN_IF_ERROR(s.host_accounts.erase_person(accountid, now));
      auto erased = s.privacy.erase(accountid, now);
      if (!erased) return erased.status();
      if (!e.person.subject_key.empty())
        MENTORING_RETURN_IF_ERROR(s.host_accounts.record_erasure(e.person.subject_key, e.occurred_at_ms, now));
      return EventResult{};
    }
    case InboundEventType::kPlacementChanged:
      data.site = e.placement.site;
      data.region = e.placement.region;
      merge(data.specialty, e.placement.specialty);
      data.placement_starts_on = e.placement.starts_on ? e.placement.starts_on->to_string() : std::string();
      break;
    case InboundEventType::kProgrammeEnrolmentChanged:
      data.programme = e.programme.programme;
      data.programme_status = core::to_string(e.programme.status);
      break;
    case InboundEventType::kTrainingOutcomeRecorded: {
      bool consented = false;
      if (consent) {
        auto c = consent(s, accountid);
        if (!c) return c.status();
        consented = *c;
      }
      if (!consented)
        return ignored("evaluation_consent_missing",
                       "The person has not consented to their training outcomes being used for evaluation, so the "
                       "outcome was not stored.");
      core::StoredTrainingOutcome o;
      o.accountid = accountid;
      o.outcome = e.outcome.outcome;
      o.recorded_on = e.outcome.recorded_on;
      o.programme = e.outcome.programme;
      auto added = s.host_accounts.add_training_outcome(o, now);
      if (!added) return added.status();
      break;
    }
  }
  data.accountid = accountid;
  data.last_event_ms = std::max(data.last_event_ms, e.occurred_at_ms);
  MENTORING_RETURN_IF_ERROR(s.host_accounts.save(data, now));
  return EventResult{};
}

}  // namespace mentoring::app
