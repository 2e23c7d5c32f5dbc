#include "app/relationship.h"

#include <optional>
#include <type_traits>

#include "core/setup_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;
namespace rel = core::relationship;

namespace {

Status pairing_not_found() { return Status::not_found("pairing_not_found", "There is no such pairing of yours."); }
Status meeting_not_found() { return Status::not_found("meeting_not_found", "There is no such meeting of yours."); }
Status goal_not_found() { return Status::not_found("goal_not_found", "There is no such goal of yours."); }

Status require_active(const rel::PairingParties& p) {
  if (p.pairing.state != core::PairingState::kActive)
    return Status::failed_precondition("pairing_not_active",
                                       "This mentoring relationship has ended; it can be read but not changed.");
  return Status::ok();
}

// Moves the value of `r` into `out`, or returns why there is none.
template <typename T>
Status take(Result<T> r, T& out) {
  if (!r) return r.status();
  out = std::move(r).value();
  return Status::ok();
}

// The current agreement status of the pair.
struct AgreementState {
  std::optional<core::AgreementTemplate> agreement;
  std::vector<core::AgreementAcceptance> acceptances;
  core::AgreementStatus status = core::AgreementStatus::kPending;
};

Result<AgreementState> agreement_state(core::Stores& s, const rel::PairingParties& p) {
  AgreementState out;
  MENTORING_RETURN_IF_ERROR(take(s.agreements.find_template(p.schemeid), out.agreement));
  MENTORING_RETURN_IF_ERROR(take(s.relationships.acceptances(p.pairing.id), out.acceptances));
  if (out.agreement)
    out.status = core::agreement_status(out.acceptances, p.mentee_accountid, p.mentor_accountid,
                                        out.agreement->version);
  return out;
}

// A meeting or a goal with the pairing it belongs to, loaded for one of the
// pair. Anyone else is told it does not exist, like for the pairing itself.
template <typename T>
struct InPairing {
  T item;
  rel::PairingParties parties;
  core::Role role = core::Role::kMentee;
};

template <typename T>
Result<InPairing<T>> load_in_pairing(core::Stores& s, std::int64_t accountid, Result<std::optional<T>> found,
                                     Status (*not_found)()) {
  if (!found) return found.status();
  if (!*found) return not_found();
  InPairing<T> out;
  out.item = **found;
  auto p = pairing_for_party(s, accountid, out.item.pairingid, &out.role);
  if (!p) return p.status().reason() == "pairing_not_found" ? not_found() : p.status();
  out.parties = std::move(p).value();
  return out;
}

Result<InPairing<rel::Meeting>> load_meeting(core::Stores& s, std::int64_t accountid, std::int64_t meetingid) {
  return load_in_pairing(s, accountid, s.relationships.find_meeting(meetingid), meeting_not_found);
}

Result<InPairing<rel::Goal>> load_goal(core::Stores& s, std::int64_t accountid, std::int64_t goalid) {
  return load_in_pairing(s, accountid, s.relationships.find_goal(goalid), goal_not_found);
}

// The pairing for one of its people, when it may still be changed.
Result<rel::PairingParties> changeable_pairing(core::Stores& s, std::int64_t accountid, std::int64_t pairingid,
                                               core::Role* role) {
  auto p = pairing_for_party(s, accountid, pairingid, role);
  if (!p) return p;
  MENTORING_RETURN_IF_ERROR(require_active(*p));
  return p;
}

Status require_mentee(core::Role role) {
  if (role != core::Role::kMentee)
    return Status::permission_denied("goal_mentee_only", "Goals are the mentee's to set and change.");
  return Status::ok();
}

template <typename R>
struct ResultValue;
template <typename T>
struct ResultValue<Result<T>> {
  using type = T;
};

// Runs `work` (Stores& -> Result<T>) in one transaction of `db`, read-only
// when `read_only`, and returns what it produced. The transaction commits
// only when `work` succeeds.
template <typename Work>
auto run_in_transaction(core::Database& db, bool read_only, Work work)
    -> Result<typename ResultValue<std::invoke_result_t<Work&, core::Stores&>>::type> {
  using T = typename ResultValue<std::invoke_result_t<Work&, core::Stores&>>::type;
  std::optional<T> out;
  auto body = [&](core::Stores& s) -> Status {
    auto r = work(s);
    if (!r) return r.status();
    out = std::move(r).value();
    return Status::ok();
  };
  Status st = read_only ? db.read_only(body) : db.transact(body);
  if (!st) return st;
  return std::move(*out);
}

template <typename Work>
auto transact_value(core::Database& db, Work work) {
  return run_in_transaction(db, false, std::move(work));
}

template <typename Work>
auto read_value(core::Database& db, Work work) {
  return run_in_transaction(db, true, std::move(work));
}

}  // namespace

Result<rel::PairingParties> pairing_for_party(core::Stores& s, std::int64_t accountid, std::int64_t pairingid,
                                              core::Role* role) {
  auto p = s.relationships.parties(pairingid);
  if (!p) return p.status();
  // A proposed pairing (a matching run not yet published) is not a
  // relationship yet.
  if (!*p || (*p)->pairing.state == core::PairingState::kProposed) return pairing_not_found();
  if ((*p)->mentee_accountid == accountid) {
    if (role) *role = core::Role::kMentee;
  } else if ((*p)->mentor_accountid == accountid) {
    if (role) *role = core::Role::kMentor;
  } else {
    return pairing_not_found();
  }
  return std::move(**p);
}

Result<std::vector<rel::PairingParties>> RelationshipService::pairings(std::int64_t accountid) {
  return read_value(db_, [&](core::Stores& s) { return s.relationships.pairings_of_account(accountid); });
}

Result<RelationshipView> RelationshipService::view(std::int64_t accountid, std::int64_t pairingid) {
  return read_value(db_, [&](core::Stores& s) -> Result<RelationshipView> {
    RelationshipView v;
    MENTORING_RETURN_IF_ERROR(take(pairing_for_party(s, accountid, pairingid, &v.role), v.parties));
    v.viewer_accountid = accountid;
    auto a = agreement_state(s, v.parties);
    if (!a) return a.status();
    v.agreement = a->agreement;
    v.acceptances = a->acceptances;
    v.agreement_status = a->status;
    if (v.agreement)
      for (const auto& acc : v.acceptances)
        if (acc.accepted_by == accountid && acc.template_version == v.agreement->version)
          v.viewer_accepted_current = true;
    MENTORING_RETURN_IF_ERROR(take(s.relationships.meetings(pairingid), v.meetings));
    MENTORING_RETURN_IF_ERROR(take(s.relationships.notes_by(pairingid, accountid), v.my_notes));
    MENTORING_RETURN_IF_ERROR(take(s.relationships.goals(pairingid), v.goals));
    MENTORING_RETURN_IF_ERROR(take(s.relationships.goal_notes(pairingid), v.goal_notes));
    MENTORING_RETURN_IF_ERROR(take(s.relationships.protected_time(pairingid), v.protected_time));
    v.totals = rel::totals(v.protected_time);
    return v;
  });
}

Result<core::AgreementAcceptance> RelationshipService::accept_agreement(std::int64_t accountid,
                                                                        std::int64_t pairingid, int version) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<core::AgreementAcceptance> {
    auto p = changeable_pairing(s, accountid, pairingid, nullptr);
    if (!p) return p.status();
    auto t = s.agreements.find_template(p->schemeid);
    if (!t) return t.status();
    if (!*t)
      return Status::failed_precondition("agreement_missing",
                                         "The scheme has not written its mentoring agreement yet.");
    if (version != (*t)->version)
      return Status::conflict("agreement_version_changed",
                              "The agreement has changed since you opened it; read the new version and accept that.");
    core::AgreementAcceptance a;
    a.pairingid = pairingid;
    a.template_version = version;
    a.accepted_by = accountid;
    a.accepted_at = now;
    return s.relationships.add_acceptance(a, now);
  });
}

Result<rel::Meeting> RelationshipService::book_meeting(std::int64_t accountid, std::int64_t pairingid,
                                                       const rel::MeetingRequest& request) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<rel::Meeting> {
    auto p = changeable_pairing(s, accountid, pairingid, nullptr);
    if (!p) return p.status();
    auto a = agreement_state(s, *p);
    if (!a) return a.status();
    if (!a->agreement)
      return Status::failed_precondition("agreement_missing",
                                         "The scheme has not written its mentoring agreement yet, so meetings cannot "
                                         "be booked.");
    MENTORING_RETURN_IF_ERROR(core::check_can_book_meeting(a->status));
    MENTORING_RETURN_IF_ERROR(rel::validate_request(request, now));
    MENTORING_RETURN_IF_ERROR(s.relationships.lock_people(p->mentee_accountid, p->mentor_accountid));
    const core::UnixSeconds ends = request.starts_at + static_cast<core::UnixSeconds>(request.minutes) * 60;
    for (std::int64_t person : {p->mentee_accountid, p->mentor_accountid}) {
      auto others = s.relationships.meetings_of_account_between(person, request.starts_at, ends);
      if (!others) return others.status();
      if (rel::first_overlap(*others, request.starts_at, request.minutes))
        return Status(core::Code::kConflict, "meeting_overlaps",
                      person == accountid ? "You already have a mentoring meeting booked at that time."
                                          : "The other person already has a mentoring meeting booked at that time.",
                      "starts_at");
    }
    rel::Meeting m;
    m.pairingid = pairingid;
    m.booked_by = accountid;
    m.starts_at = request.starts_at;
    m.minutes = request.minutes;
    m.mode = request.mode;
    m.place = request.place;
    m.link = request.link;
    m.topics = request.topics;
    return s.relationships.create_meeting(m, now);
  });
}

Result<rel::Meeting> RelationshipService::record_meeting(std::int64_t accountid, std::int64_t meetingid,
                                                         rel::MeetingState outcome, const std::string& agreed_actions,
                                                         const std::string& private_note) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<rel::Meeting> {
    auto l = load_meeting(s, accountid, meetingid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(require_active(l->parties));
    MENTORING_RETURN_IF_ERROR(rel::check_record(l->item, outcome, agreed_actions, private_note, now));
    rel::Meeting m = l->item;
    m.state = outcome;
    m.agreed_actions = agreed_actions;
    m.recorded_by = accountid;
    m.recorded_at = now;
    auto stored = s.relationships.update_meeting(m, rel::MeetingState::kBooked, now);
    if (!stored) return stored.status();
    if (!private_note.empty()) MENTORING_RETURN_IF_ERROR(s.relationships.save_note(meetingid, accountid, private_note, now));
    return stored;
  });
}

Result<rel::Meeting> RelationshipService::cancel_meeting(std::int64_t accountid, std::int64_t meetingid) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<rel::Meeting> {
    auto l = load_meeting(s, accountid, meetingid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(require_active(l->parties));
    MENTORING_RETURN_IF_ERROR(rel::check_cancel(l->item));
    rel::Meeting m = l->item;
    m.state = rel::MeetingState::kCancelled;
    m.sequence += 1;  // calendars replace the invitation with the cancellation
    m.recorded_by = accountid;
    m.recorded_at = now;
    return s.relationships.update_meeting(m, rel::MeetingState::kBooked, now);
  });
}

Status RelationshipService::save_note(std::int64_t accountid, std::int64_t meetingid, const std::string& note) {
  const core::UnixSeconds now = clock_.now();
  return db_.transact([&](core::Stores& s) -> Status {
    auto l = load_meeting(s, accountid, meetingid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(rel::check_note(l->item, note));
    return s.relationships.save_note(meetingid, accountid, note, now);
  });
}

Result<MeetingWithParties> RelationshipService::meeting(std::int64_t accountid, std::int64_t meetingid) {
  return read_value(db_, [&](core::Stores& s) -> Result<MeetingWithParties> {
    auto l = load_meeting(s, accountid, meetingid);
    if (!l) return l.status();
    MeetingWithParties out;
    out.meeting = l->item;
    out.parties = l->parties;
    return out;
  });
}

Result<rel::Goal> RelationshipService::add_goal(std::int64_t accountid, std::int64_t pairingid, const rel::Goal& goal) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<rel::Goal> {
    core::Role role = core::Role::kMentee;
    auto p = changeable_pairing(s, accountid, pairingid, &role);
    if (!p) return p.status();
    MENTORING_RETURN_IF_ERROR(require_mentee(role));
    rel::Goal g = goal;
    g.id = 0;
    g.pairingid = pairingid;
    g.accountid = accountid;
    g.status = rel::GoalStatus::kOpen;
    MENTORING_RETURN_IF_ERROR(rel::validate(g, core::Date::from_unix(now)));
    return s.relationships.create_goal(g, now);
  });
}

Result<rel::Goal> RelationshipService::change_goal(std::int64_t accountid, std::int64_t goalid,
                                                   const GoalChange& c) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<rel::Goal> {
    auto l = load_goal(s, accountid, goalid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(require_active(l->parties));
    MENTORING_RETURN_IF_ERROR(require_mentee(l->role));
    const rel::Goal& before = l->item;
    rel::Goal g = before;
    if (c.title) g.title = *c.title;
    if (c.specific) g.specific = *c.specific;
    if (c.measurable) g.measurable = *c.measurable;
    if (c.achievable) g.achievable = *c.achievable;
    if (c.relevant) g.relevant = *c.relevant;
    if (c.target_on) g.target_on = *c.target_on;
    if (c.review_on) g.review_on = *c.review_on;
    if (c.status) g.status = *c.status;
    // Dates already stored may lie in the past by now; only dates being
    // changed must be today or later.
    const bool dates_changed = (c.target_on && *c.target_on != before.target_on) ||
                               (c.review_on && *c.review_on != before.review_on);
    MENTORING_RETURN_IF_ERROR(
        rel::validate(g, dates_changed ? std::optional<core::Date>(core::Date::from_unix(now)) : std::nullopt));
    return s.relationships.update_goal(g, now);
  });
}

Result<rel::GoalNote> RelationshipService::add_goal_note(std::int64_t accountid, std::int64_t goalid,
                                                         const std::string& text) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<rel::GoalNote> {
    auto l = load_goal(s, accountid, goalid);
    if (!l) return l.status();
    MENTORING_RETURN_IF_ERROR(require_active(l->parties));
    MENTORING_RETURN_IF_ERROR(rel::validate_note(text));
    rel::GoalNote n;
    n.goalid = goalid;
    n.accountid = accountid;
    n.text = text;
    return s.relationships.add_goal_note(n, now);
  });
}

Result<rel::ProtectedTime> RelationshipService::log_protected_time(std::int64_t accountid, std::int64_t pairingid,
                                                                   core::Date used_on, int minutes) {
  const core::UnixSeconds now = clock_.now();
  return transact_value(db_, [&](core::Stores& s) -> Result<rel::ProtectedTime> {
    rel::ProtectedTime e;
    auto p = changeable_pairing(s, accountid, pairingid, &e.role);
    if (!p) return p.status();
    e.pairingid = pairingid;
    e.accountid = accountid;
    e.used_on = used_on;
    e.minutes = minutes;
    MENTORING_RETURN_IF_ERROR(rel::validate(e, core::Date::from_unix(now)));
    return s.relationships.add_protected_time(e, now);
  });
}

}  // namespace mentoring::app
