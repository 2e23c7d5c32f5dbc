#include "app/concerns.h"

#include <boost/json.hpp>

#include "app/audit.h"
#include "app/demographics.h"
#include "app/matching_pairings.h"
#include "app/unit_of_work.h"
#include "app/webhook_events.h"
#include "core/concern_stores.h"
#include "core/events.h"
#include "core/governance.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"
#include "core/webhook_stores.h"

namespace mentoring::app {
using core::Concern;
using core::ConcernViewer;
using core::Result;
using core::Status;

namespace {

Status concern_not_found() { return Status::not_found("concern_not_found", "There is no concern with that id."); }

Status sealing_disabled() {
  return Status::failed_precondition("concern_sealing_disabled",
                                     "Concerns are stored encrypted and no key is configured in "
                                     "privacy.demographics_keys; contact the scheme team directly.");
}

// The cipher's answers in the words of concerns.
Status text_error(const Status& st, std::int64_t concernid) {
  const std::string& r = st.reason();
  if (r == "demographics_disabled") return sealing_disabled();
  if (r == "demographics_key_unknown")
    return Status::failed_precondition("concern_text_key_unknown",
                                       "The text of concern " + std::to_string(concernid) +
                                           " is sealed with a key version that privacy.demographics_keys no longer "
                                           "holds.");
  if (r == "demographics_decrypt_failed")
    return Status::internal("concern_text_decrypt_failed",
                            "The text of concern " + std::to_string(concernid) +
                                " did not decrypt: the key is wrong, or the stored text was changed or moved from "
                                "another concern.");
  return st;
}

Status unsealed(std::int64_t concernid) {
  return Status::failed_precondition("concern_text_unsealed",
                                     "The text of concern " + std::to_string(concernid) +
                                         " was stored before concern text was encrypted and is sealed when the "
                                         "plugin next starts.");
}

Result<core::SealedValue> seal_concern(const core::FieldCipher& cipher, const Concern& c, const std::string& text) {
  auto sealed = cipher.seal(text, core::concern_text_aad(c.id, c.raised_by, cipher.current_version()));
  if (!sealed) return text_error(sealed.status(), c.id);
  return sealed;
}

Result<core::SealedValue> seal_action(const core::FieldCipher& cipher, const core::ConcernAction& a,
                                      const std::string& text) {
  auto sealed =
      cipher.seal(text, core::concern_action_text_aad(a.id, a.concernid, a.accountid, cipher.current_version()));
  if (!sealed) return text_error(sealed.status(), a.concernid);
  return sealed;
}

// Fills c.text from its sealed text.
Status open_concern(const core::FieldCipher& cipher, Concern& c) {
  if (c.sealed_text.key_version == 0) return unsealed(c.id);
  auto plain = cipher.open(c.sealed_text, core::concern_text_aad(c.id, c.raised_by, c.sealed_text.key_version));
  if (!plain) return text_error(plain.status(), c.id);
  c.text = std::move(plain).value();
  return Status::ok();
}

Status open_action(const core::FieldCipher& cipher, core::ConcernAction& a) {
  if (a.sealed_text.key_version == 0) return unsealed(a.concernid);
  auto plain = cipher.open(a.sealed_text,
                           core::concern_action_text_aad(a.id, a.concernid, a.accountid, a.sealed_text.key_version));
  if (!plain) return text_error(plain.status(), a.concernid);
  a.text = std::move(plain).value();
  return Status::ok();
}

// The event the host turns into a message for the point of contact (or the
// scheme lead): ids and labels only.
Status append_escalation_event(core::Stores& s, const Concern& c, std::int64_t to_account, const char* level,
                               core::UnixSeconds now) {
  auto to = s.accounts.find(to_account);
  if (!to) return to.status();
  if (!*to) return Status::not_found("account_not_found", "The point of contact's account no longer exists.");
  boost::json::object data;
  data["concern_id"] = c.id;
  data["scheme_id"] = c.schemeid;
  data["cohort_id"] = c.cohortid;
  data["pairing_id"] = c.pairingid;
  data["category"] = core::to_string(c.category);
  data["urgency"] = core::to_string(c.urgency);
  data["raised_by_role"] = core::to_string(c.raiser_role);
  data["level"] = level;
  data["recipient"] = boost::json::object{{"platform", (*to)->platform}, {"subject", (*to)->subject}};
  auto appended =
      s.outbox.append(core::to_string(core::OutboundEventType::kEscalationRaised), boost::json::serialize(data), now);
  return appended.status();
}

struct Loaded {
  Concern concern;
  ConcernViewer viewer = ConcernViewer::kNone;
  ConcernRouting routing;
};

// The concern and the person's standing; NotFound for someone who may not see it.
Result<Loaded> load(core::Stores& s, std::int64_t accountid, std::int64_t concernid) {
  auto found = s.concerns.find(concernid);
  if (!found) return found.status();
  if (!*found) return concern_not_found();
  auto routing = concern_routing(s, (*found)->schemeid);
  if (!routing) return routing.status();
  Loaded l{**found, core::concern_viewer(**found, accountid, routing->point_of_contact, routing->scheme_lead),
           *routing};
  if (l.viewer == ConcernViewer::kNone) return concern_not_found();
  return l;
}

// The concern and its history with their text opened: only for a person
// load() let through.
Result<ConcernView> view_of(core::Stores& s, const core::FieldCipher& cipher, Concern c, ConcernViewer viewer) {
  MENTORING_RETURN_IF_ERROR(open_concern(cipher, c));
  auto history = s.concerns.actions(c.id);
  if (!history) return history.status();
  for (core::ConcernAction& a : *history) MENTORING_RETURN_IF_ERROR(open_action(cipher, a));
  return ConcernView{std::move(c), std::move(*history), viewer};
}

// Appends an action and seals its text under the new row's id.
Status record(core::Stores& s, const core::FieldCipher& cipher, std::int64_t accountid, std::int64_t concernid,
              core::ConcernActionKind kind, const std::string& text, core::UnixSeconds now) {
  core::ConcernAction a;
  a.concernid = concernid;
  a.accountid = accountid;
  a.kind = kind;
  auto added = s.concerns.add_action(a, now);
  if (!added) return added.status();
  auto sealed = seal_action(cipher, *added, text);
  if (!sealed) return sealed.status();
  return s.concerns.seal_action_text(added->id, *sealed);
}

}  // namespace

Result<ConcernRouting> concern_routing(core::Stores& s, std::int64_t schemeid) {
  auto register_ = s.governance.list(schemeid);
  if (!register_) return register_.status();
  ConcernRouting r;
  for (const core::GovernanceAssignment& g : *register_) {
    if (g.accountid <= 0) continue;
    if (g.responsibility == core::Responsibility::kDayToDayManagementAndPointOfContact)
      r.point_of_contact = g.accountid;
    if (g.responsibility == core::Responsibility::kSetUpAndInitialDelivery) r.scheme_lead = g.accountid;
  }
  return r;
}

Result<ConcernSealReport> ConcernService::seal_plain_rows() {
  if (cipher_.current_version() <= 0) return sealing_disabled();
  constexpr std::int64_t kBatch = 200;
  // Seals every plain row one kind of row at a time, a batch per transaction;
  // returns how many were sealed. `list(s, after)` reads the next batch,
  // `seal(row)` encrypts one row and `store(s, id, sealed)` writes it back.
  auto seal_all = [&](const char* entity, auto list, auto seal, auto store) -> Result<std::int64_t> {
    std::int64_t total = 0, after = 0;
    for (;;) {
      struct Batch {
        std::int64_t sealed = 0, last_id = 0;
      };
      auto batch = in_transaction<Batch>(db_, [&](core::Stores& s) -> Result<Batch> {
        Batch b;
        auto rows = list(s, after);
        if (!rows) return rows.status();
        for (const auto& row : *rows) {
          auto sealed = seal(row);
          if (!sealed) return sealed.status();
          MENTORING_RETURN_IF_ERROR(store(s, row.id, *sealed));
          b.last_id = row.id;
          ++b.sealed;
        }
        if (b.sealed > 0)
          MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::service(), core::AuditAction::kUpdate, entity, 0,
                                          std::to_string(b.sealed) + " plain texts sealed under key version " +
                                              std::to_string(cipher_.current_version()),
                                          clock_.now()));
        return b;
      });
      if (!batch) return batch.status();
      total += batch->sealed;
      if (batch->sealed < kBatch) return total;
      after = batch->last_id;
    }
  };
  ConcernSealReport report;
  auto concerns = seal_all(
      "concern", [&](core::Stores& s, std::int64_t after) { return s.concerns.list_unsealed(after, kBatch); },
      [&](const Concern& c) { return seal_concern(cipher_, c, c.text); },
      [](core::Stores& s, std::int64_t id, const core::SealedValue& v) { return s.concerns.seal_text(id, v); });
  if (!concerns) return concerns.status();
  report.concerns = *concerns;
  auto actions = seal_all(
      "concern_action",
      [&](core::Stores& s, std::int64_t after) { return s.concerns.list_unsealed_actions(after, kBatch); },
      [&](const core::ConcernAction& a) { return seal_action(cipher_, a, a.text); },
      [](core::Stores& s, std::int64_t id, const core::SealedValue& v) { return s.concerns.seal_action_text(id, v); });
  if (!actions) return actions.status();
  report.actions = *actions;
  return report;
}

Result<ConcernRekeyReport> ConcernService::rekey(const core::Actor& actor, bool capability_checked) {
  if (cipher_.current_version() <= 0) return sealing_disabled();
  ConcernRekeyReport report;
  report.key_version = cipher_.current_version();
  report.concerns.key_version = report.actions.key_version = report.key_version;
  // One kind of row: `list(s, after)` reads a batch, `reseal(row)` gives the
  // row's text sealed under the current key, `store(s, id, sealed)` writes
  // it back.
  auto run = [&](const char* entity, RekeyReport& counts, auto list, auto reseal, auto store) -> Status {
    return rekey_in_batches(
        db_, kRekeyBatch,
        [&](core::Stores& s, std::int64_t after) -> Result<RekeyBatch> {
          MENTORING_RETURN_IF_ERROR(require_confidential_access(s, actor, std::nullopt, capability_checked));
          auto rows = list(s, after);
          if (!rows) return rows.status();
          RekeyBatch b;
          for (auto& row : *rows) {
            b.last_id = row.id;
            ++b.seen;
            if (row.sealed_text.key_version == report.key_version) continue;
            auto sealed = reseal(row);
            if (!sealed) return sealed.status();
            MENTORING_RETURN_IF_ERROR(store(s, row.id, *sealed));
            ++b.changed;
          }
          if (b.changed > 0)
            MENTORING_RETURN_IF_ERROR(audit(s, actor, core::AuditAction::kUpdate, entity, 0,
                                            std::to_string(b.changed) + " texts sealed again under key version " +
                                                std::to_string(report.key_version),
                                            clock_.now()));
          return b;
        },
        counts);
  };
  MENTORING_RETURN_IF_ERROR(run(
      "concern", report.concerns,
      [&](core::Stores& s, std::int64_t after) { return s.concerns.list_after(after, kRekeyBatch); },
      [&](Concern& c) -> Result<core::SealedValue> {
        if (c.sealed_text.key_version != 0) MENTORING_RETURN_IF_ERROR(open_concern(cipher_, c));
        return seal_concern(cipher_, c, c.text);
      },
      [](core::Stores& s, std::int64_t id, const core::SealedValue& v) { return s.concerns.seal_text(id, v); }));
  MENTORING_RETURN_IF_ERROR(run(
      "concern_action", report.actions,
      [&](core::Stores& s, std::int64_t after) { return s.concerns.list_actions_after(after, kRekeyBatch); },
      [&](core::ConcernAction& a) -> Result<core::SealedValue> {
        if (a.sealed_text.key_version != 0) MENTORING_RETURN_IF_ERROR(open_action(cipher_, a));
        return seal_action(cipher_, a, a.text);
      },
      [](core::Stores& s, std::int64_t id, const core::SealedValue& v) { return s.concerns.seal_action_text(id, v); }));
  return report;
}

Result<Concern> ConcernService::raise(std::int64_t accountid, const core::ConcernInput& raw) {
  auto input = core::validate(raw);
  if (!input) return input.status();
  if (cipher_.current_version() <= 0) return sealing_disabled();
  const core::UnixSeconds now = clock_.now();
  return in_transaction<Concern>(db_, [&](core::Stores& s) -> Result<Concern> {
    auto pairing = s.pairings.find(input->pairingid);
    if (!pairing) return pairing.status();
    if (!*pairing) return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    const core::Pairing& p = **pairing;
    std::optional<core::Role> role;
    for (auto [enrolmentid, as] :
         {std::pair{p.menteeid, core::Role::kMentee}, std::pair{p.mentorid, core::Role::kMentor}}) {
      auto e = s.enrolments.find(enrolmentid);
      if (!e) return e.status();
      if (*e && (*e)->accountid == accountid) role = as;
    }
    if (!role)
      return Status::permission_denied("concern_not_in_pairing",
                                       "You can raise a concern only about a pairing you are part of.");
    if (p.state == core::PairingState::kProposed)
      return Status::failed_precondition("concern_pairing_not_started",
                                         "The pairing has not started yet; ask the scheme team about the proposal.");
    auto cohort = s.schemes.find_cohort(p.cohortid);
    if (!cohort) return cohort.status();
    if (!*cohort) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    auto routing = concern_routing(s, (*cohort)->schemeid);
    if (!routing) return routing.status();
    if (routing->point_of_contact <= 0)
      return Status::failed_precondition("scheme_no_point_of_contact",
                                         "The scheme has not named a point of contact for concerns yet; contact the "
                                         "scheme team directly.");
    if (routing->point_of_contact == accountid)
      return Status::failed_precondition("concern_point_of_contact_is_raiser",
                                         "You are the scheme's point of contact; raise the concern with the scheme "
                                         "lead directly.");
    Concern c;
    c.schemeid = (*cohort)->schemeid;
    c.cohortid = p.cohortid;
    c.pairingid = p.id;
    c.raised_by = accountid;
    c.raiser_role = *role;
    c.routed_to = routing->point_of_contact;
    c.category = input->category;
    c.urgency = input->urgency;
    c.state = core::ConcernState::kRaised;
    // Stored with empty text first: the sealed text names the row's id.
    auto created = s.concerns.create(c, now);
    if (!created) return created.status();
    auto sealed = seal_concern(cipher_, *created, input->text);
    if (!sealed) return sealed.status();
    MENTORING_RETURN_IF_ERROR(s.concerns.seal_text(created->id, *sealed));
    created->text = input->text;
    created->sealed_text = *sealed;
    MENTORING_RETURN_IF_ERROR(record(s, cipher_, accountid, created->id, core::ConcernActionKind::kRaised, "", now));
    MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::account(accountid), core::AuditAction::kCreate, "concern",
                                    created->id, "concern raised", now));
    MENTORING_RETURN_IF_ERROR(append_escalation_event(s, *created, routing->point_of_contact, "point_of_contact", now));
    return created;
  });
}

Result<ConcernView> ConcernService::view(std::int64_t accountid, std::int64_t concernid) {
  const core::UnixSeconds now = clock_.now();
  return in_transaction<ConcernView>(db_, [&](core::Stores& s) -> Result<ConcernView> {
    auto l = load(s, accountid, concernid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::account(accountid), core::AuditAction::kConfidentialRead, "concern",
                                    concernid, "concern viewed", now));
    return view_of(s, cipher_, l->concern, l->viewer);
  });
}

Result<std::vector<Concern>> ConcernService::mine(std::int64_t accountid) {
  return in_transaction<std::vector<Concern>>(db_, [&](core::Stores& s) -> Result<std::vector<Concern>> {
    auto list = s.concerns.list_raised_by(accountid);
    if (!list) return list.status();
    for (Concern& c : *list) MENTORING_RETURN_IF_ERROR(open_concern(cipher_, c));
    return list;
  });
}

Result<ConcernQueue> ConcernService::queue(std::int64_t accountid, std::int64_t schemeid, bool open_only,
                                           core::Page page) {
  return in_transaction<ConcernQueue>(db_, [&](core::Stores& s) -> Result<ConcernQueue> {
    auto routing = concern_routing(s, schemeid);
    if (!routing) return routing.status();
    ConcernQueue q;
    if (accountid > 0 && accountid == routing->point_of_contact)
      q.viewer = ConcernViewer::kPointOfContact;
    else if (accountid > 0 && accountid == routing->scheme_lead)
      q.viewer = ConcernViewer::kSchemeLead;
    else
      return Status::permission_denied("concern_not_handler",
                                       "Only the scheme's point of contact or scheme lead can see its concerns.");
    auto list = s.concerns.list_by_scheme(schemeid, open_only, page);
    if (!list) return list.status();
    auto total = s.concerns.count_by_scheme(schemeid, open_only);
    if (!total) return total.status();
    for (Concern& c : *list) {
      c.text.clear();
      c.sealed_text = core::SealedValue{};
    }
    q.concerns = std::move(*list);
    q.total = *total;
    return q;
  });
}

Result<ConcernView> ConcernService::acknowledge(std::int64_t accountid, std::int64_t concernid,
                                                const std::string& note) {
  auto text = core::validate_action_text(note, false);
  if (!text) return text.status();
  const core::UnixSeconds now = clock_.now();
  return in_transaction<ConcernView>(db_, [&](core::Stores& s) -> Result<ConcernView> {
    auto l = load(s, accountid, concernid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(core::check_acknowledge(l->concern, l->viewer));
    auto changed = s.concerns.update_state(core::acknowledged(l->concern, now), l->concern.state, now);
    if (!changed) return changed.status();
    MENTORING_RETURN_IF_ERROR(
        record(s, cipher_, accountid, concernid, core::ConcernActionKind::kAcknowledged, *text, now));
    MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::account(accountid), core::AuditAction::kUpdate, "concern",
                                    concernid, "concern acknowledged", now));
    return view_of(s, cipher_, *changed, l->viewer);
  });
}

Result<ConcernView> ConcernService::add_note(std::int64_t accountid, std::int64_t concernid, const std::string& note) {
  auto text = core::validate_action_text(note, true);
  if (!text) return text.status();
  const core::UnixSeconds now = clock_.now();
  return in_transaction<ConcernView>(db_, [&](core::Stores& s) -> Result<ConcernView> {
    auto l = load(s, accountid, concernid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(core::check_note(l->concern, l->viewer));
    MENTORING_RETURN_IF_ERROR(record(s, cipher_, accountid, concernid, core::ConcernActionKind::kNote, *text, now));
    MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::account(accountid), core::AuditAction::kUpdate, "concern",
                                    concernid, "concern action recorded", now));
    return view_of(s, cipher_, l->concern, l->viewer);
  });
}

Result<ConcernView> ConcernService::escalate(std::int64_t accountid, std::int64_t concernid, const std::string& note) {
  auto text = core::validate_action_text(note, false);
  if (!text) return text.status();
  const core::UnixSeconds now = clock_.now();
  return in_transaction<ConcernView>(db_, [&](core::Stores& s) -> Result<ConcernView> {
    auto l = load(s, accountid, concernid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(core::check_escalate(l->concern, l->viewer));
    if (l->routing.scheme_lead <= 0 || l->routing.scheme_lead == l->concern.raised_by)
      return Status::failed_precondition("scheme_no_lead",
                                         "The scheme's governance register names no scheme lead to escalate to.");
    auto changed = s.concerns.update_state(core::escalated(l->concern, now), l->concern.state, now);
    if (!changed) return changed.status();
    MENTORING_RETURN_IF_ERROR(
        record(s, cipher_, accountid, concernid, core::ConcernActionKind::kEscalated, *text, now));
    MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::account(accountid), core::AuditAction::kUpdate, "concern",
                                    concernid, "concern escalated", now));
    MENTORING_RETURN_IF_ERROR(append_escalation_event(s, *changed, l->routing.scheme_lead, "scheme_lead", now));
    return view_of(s, cipher_, *changed, l->viewer);
  });
}

Result<ConcernView> ConcernService::resolve(std::int64_t accountid, std::int64_t concernid,
                                            core::ConcernOutcome outcome, const std::string& note) {
  auto text = core::validate_action_text(note, false);
  if (!text) return text.status();
  const core::UnixSeconds now = clock_.now();
  return in_transaction<ConcernView>(db_, [&](core::Stores& s) -> Result<ConcernView> {
    auto l = load(s, accountid, concernid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(core::check_resolve(l->concern, l->viewer, outcome));
    auto changed = s.concerns.update_state(core::resolved(l->concern, outcome, now), l->concern.state, now);
    if (!changed) return changed.status();
    if (outcome == core::ConcernOutcome::kRematch) {
      auto pairing = s.pairings.find(l->concern.pairingid);
      if (!pairing) return pairing.status();
      if (*pairing && (*pairing)->state == core::PairingState::kActive) {
        auto ended = s.pairings.end((*pairing)->id, core::EndReason::kNotAGoodFit, core::EndedBy::kAdmin,
                                    "Ended after a concern to the point of contact.", now);
        if (!ended) return ended.status();
        // The mentor's freed place goes to their waiting list, as when a
        // pairing ends any other way.
        MENTORING_RETURN_IF_ERROR(after_pairing_ended(s, *ended, now, reply_days_));
        MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::account(accountid), core::AuditAction::kUpdate, "pairing",
                                        (*pairing)->id, "pairing ended for rematch", now));
      }
    }
    const std::string summary = std::string("concern resolved: ") + core::to_string(outcome);
    MENTORING_RETURN_IF_ERROR(record(s, cipher_, accountid, concernid, core::ConcernActionKind::kResolved, *text, now));
    MENTORING_RETURN_IF_ERROR(
        audit(s, core::Actor::account(accountid), core::AuditAction::kUpdate, "concern", concernid, summary, now));
    return view_of(s, cipher_, *changed, l->viewer);
  });
}

}  // namespace mentoring::app
