#include "app/checkins.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "app/audit.h"
#include "app/unit_of_work.h"
#include "app/webhook_events.h"
#include "core/checkin_stores.h"

namespace mentoring::app {
using core::CheckinPhase;
using core::CheckinResponse;
using core::Result;
using core::Status;

namespace {

constexpr CheckinPhase kPhases[] = {CheckinPhase::kMidpoint, CheckinPhase::kEnd};

// Whether a phase is owed for this pairing: always while it is active; for
// an ended pairing only when the check-in was due before it ended.
bool phase_applies(const core::Pairing& p, const core::CheckinWindow& w) {
  if (p.state == core::PairingState::kActive) return true;
  if (p.state != core::PairingState::kEnded || !p.ended_at) return false;
  return w.due_on <= core::Date::from_unix(*p.ended_at);
}

// The enrolment account of each party: {mentee account, mentor account}.
Result<std::pair<std::int64_t, std::int64_t>> party_accounts(core::Stores& s, const core::Pairing& p) {
  auto mentee = s.enrolments.find(p.menteeid);
  if (!mentee) return mentee.status();
  auto mentor = s.enrolments.find(p.mentorid);
  if (!mentor) return mentor.status();
  return std::pair<std::int64_t, std::int64_t>{*mentee ? (*mentee)->accountid : 0,
                                               *mentor ? (*mentor)->accountid : 0};
}

Result<core::Cohort> cohort_of(core::Stores& s, std::int64_t cohortid) {
  auto c = s.schemes.find_cohort(cohortid);
  if (!c) return c.status();
  if (!*c) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
  return **c;
}

}  // namespace

std::optional<core::CheckinSchedule> pairing_schedule(const core::Pairing& pairing, const core::Cohort& cohort) {
  if (!pairing.started_at) return std::nullopt;
  return core::checkin_schedule(core::Date::from_unix(*pairing.started_at), cohort.ends_on);
}

Result<std::vector<CheckinDue>> CheckinService::due_for(std::int64_t accountid) {
  const core::Date today = core::Date::from_unix(clock_.now());
  return in_transaction<std::vector<CheckinDue>>(db_, [&](core::Stores& s) -> Result<std::vector<CheckinDue>> {
    std::vector<CheckinDue> out;
    auto parts = s.checkins.pairings_of_account(accountid);
    if (!parts) return parts.status();
    std::map<std::int64_t, core::Cohort> cohorts;
    for (const core::PartyPairing& part : *parts) {
      auto p = s.pairings.find(part.pairingid);
      if (!p) return p.status();
      if (!*p) continue;
      auto it = cohorts.find((*p)->cohortid);
      if (it == cohorts.end()) {
        auto c = cohort_of(s, (*p)->cohortid);
        if (!c) return c.status();
        it = cohorts.emplace((*p)->cohortid, *c).first;
      }
      auto schedule = pairing_schedule(**p, it->second);
      if (!schedule) continue;
      for (CheckinPhase phase : kPhases) {
        const core::CheckinWindow& w = schedule->window(phase);
        if (!phase_applies(**p, w)) continue;
        CheckinDue d;
        d.pairing = **p;
        d.cohort = it->second;
        d.role = part.role;
        d.phase = phase;
        d.window = w;
        auto r = s.checkins.find(part.pairingid, accountid, phase);
        if (!r) return r.status();
        d.response = *r;
        d.open = core::check_checkin_open(w, today).is_ok();
        d.overdue = d.open && !d.response && w.due_on < today;
        out.push_back(std::move(d));
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const CheckinDue& a, const CheckinDue& b) {
      return std::tie(a.window.due_on, a.pairing.id) < std::tie(b.window.due_on, b.pairing.id);
    });
    return out;
  });
}

Result<CheckinResponse> CheckinService::save(std::int64_t accountid, std::int64_t pairingid, CheckinPhase phase,
                                             const core::CheckinAnswers& raw) {
  auto answers = core::validate(raw);
  if (!answers) return answers.status();
  const core::UnixSeconds now = clock_.now();
  const core::Date today = core::Date::from_unix(now);
  return in_transaction<CheckinResponse>(db_, [&](core::Stores& s) -> Result<CheckinResponse> {
    auto p = s.pairings.find(pairingid);
    if (!p) return p.status();
    if (!*p) return Status::not_found("pairing_not_found", "There is no pairing with that id.");
    auto accounts = party_accounts(s, **p);
    if (!accounts) return accounts.status();
    std::optional<core::Role> role;
    if (accounts->first == accountid) role = core::Role::kMentee;
    else if (accounts->second == accountid) role = core::Role::kMentor;
    if (!role)
      return Status::permission_denied("checkin_not_in_pairing",
                                       "You can answer check-ins only for a pairing you are part of.");
    auto cohort = cohort_of(s, (*p)->cohortid);
    if (!cohort) return cohort.status();
    auto schedule = pairing_schedule(**p, *cohort);
    if (!schedule || (*p)->state == core::PairingState::kProposed)
      return Status::failed_precondition("checkin_pairing_not_started", "The pairing has not started yet.");
    const core::CheckinWindow& w = schedule->window(phase);
    if (!phase_applies(**p, w))
      return Status::failed_precondition("checkin_closed", "The pairing ended before this check-in was due.");
    MENTORING_RETURN_IF_ERROR(core::check_checkin_open(w, today));
    CheckinResponse r;
    r.pairingid = pairingid;
    r.cohortid = (*p)->cohortid;
    r.accountid = accountid;
    r.role = *role;
    r.phase = phase;
    r.answers = *answers;
    auto existing = s.checkins.find(pairingid, accountid, phase);
    if (!existing) return existing.status();
    auto stored = *existing ? s.checkins.update(r, now) : s.checkins.create(r, now);
    if (!stored) return stored.status();
    if (!*existing) {
      // A mentor's first end-of-scheme check-in in the cohort makes their CPD
      // certificate available; the host is told once.
      auto issued = append_certificate_issued_event(s, *stored, *cohort, now);
      if (!issued) return issued.status();
    }
    MENTORING_RETURN_IF_ERROR(audit(s, core::Actor::account(accountid),
                                    *existing ? core::AuditAction::kUpdate : core::AuditAction::kCreate, "checkin",
                                    stored->id, *existing ? "check-in changed" : "check-in answered", now));
    return stored;
  });
}

Result<std::vector<OverdueCheckin>> CheckinService::overdue(std::int64_t cohortid) {
  const core::Date today = core::Date::from_unix(clock_.now());
  return in_transaction<std::vector<OverdueCheckin>>(
      db_, [&](core::Stores& s) -> Result<std::vector<OverdueCheckin>> {
        auto cohort = cohort_of(s, cohortid);
        if (!cohort) return cohort.status();
        auto responses = s.checkins.list_by_cohort(cohortid);
        if (!responses) return responses.status();
        std::map<std::tuple<std::int64_t, std::int64_t, CheckinPhase>, bool> answered;
        for (const CheckinResponse& r : *responses) answered[{r.pairingid, r.accountid, r.phase}] = true;
        std::vector<OverdueCheckin> out;
        for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
          auto page = s.pairings.list_by_cohort(cohortid, std::nullopt, core::Page{core::kMaxPageSize, offset});
          if (!page) return page.status();
          for (const core::Pairing& p : *page) {
            auto schedule = pairing_schedule(p, *cohort);
            if (!schedule) continue;
            auto accounts = party_accounts(s, p);
            if (!accounts) return accounts.status();
            for (CheckinPhase phase : kPhases) {
              const core::CheckinWindow& w = schedule->window(phase);
              if (!phase_applies(p, w) || !(w.due_on < today)) continue;
              for (auto [acct, role] : {std::pair{accounts->first, core::Role::kMentee},
                                        std::pair{accounts->second, core::Role::kMentor}}) {
                if (acct <= 0 || answered.count({p.id, acct, phase})) continue;
                out.push_back({p.id, acct, role, phase, w.due_on,
                               today.days_since_epoch() - w.due_on.days_since_epoch()});
              }
            }
          }
          if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
        }
        std::stable_sort(out.begin(), out.end(), [](const OverdueCheckin& a, const OverdueCheckin& b) {
          return std::tie(a.due_on, a.pairingid, a.role) < std::tie(b.due_on, b.pairingid, b.role);
        });
        return out;
      });
}

Result<std::vector<PublishedCheckinTally>> CheckinService::tallies(std::int64_t cohortid) {
  return in_transaction<std::vector<PublishedCheckinTally>>(
      db_, [&](core::Stores& s) -> Result<std::vector<PublishedCheckinTally>> {
        auto cohort = cohort_of(s, cohortid);
        if (!cohort) return cohort.status();
        auto responses = s.checkins.list_by_cohort(cohortid);
        if (!responses) return responses.status();
        std::vector<PublishedCheckinTally> out;
        for (const core::CheckinTally& t : core::tally_checkins(*responses)) {
          PublishedCheckinTally pt;
          pt.tally = t;
          // A tally of zero responses says nothing about anyone; between 1
          // and the threshold every figure is withheld, so no breakdown can
          // point at one of a handful of people.
          if (t.responses > 0 && t.responses < threshold_) {
            pt.withheld = true;
            pt.tally = core::CheckinTally{};
            pt.tally.phase = t.phase;
            pt.tally.role = t.role;
          } else {
            // Within a published tally a small count (three said "no") is
            // withheld like any other cell of the report.
            const core::evaluation::SuppressionOptions opts{threshold_};
            auto working = core::evaluation::suppress_counts({"yes", "partly", "no"},
                                                             {t.working_yes, t.working_partly, t.working_no}, opts);
            if (!working) return working.status();
            auto met = core::evaluation::suppress_counts({"not_met", "met"}, {t.not_met, t.responses - t.not_met}, opts);
            if (!met) return met.status();
            auto cont = core::evaluation::suppress_counts(
                {"yes", "no_or_unsure"}, {t.would_continue_yes, t.responses - t.would_continue_yes}, opts);
            if (!cont) return cont.status();
            pt.working = std::move(*working);
            pt.met = std::move(*met);
            pt.would_continue = std::move(*cont);
          }
          out.push_back(pt);
        }
        return out;
      });
}

}  // namespace mentoring::app
