// Ranked mentor choices (app/matching_pairings.h): a mentee ranks a few
// mentors, the request goes to the first, and moves on down the list as
// each choice falls through.
#include <algorithm>
#include <set>

#include "app/matching_pairings.h"
#include "app/unit_of_work.h"
#include "app/webhook_events.h"
#include "core/eligibility.h"
#include "core/mentor_training.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::ChoiceList;
using core::ChoiceListState;
using core::ChoiceState;
using core::Result;
using core::Status;

namespace {

constexpr core::UnixSeconds kDay = 86400;

// Lapses expired requests and moves ranked choices on past them.
Status lapse_in(core::Database& db, std::int64_t cohortid, core::UnixSeconds now, int reply_days) {
  return db.transact([&](core::Stores& s) -> Status {
    auto n = s.pairings.lapse_requests(cohortid, now);
    if (!n) return n.status();
    return advance_ranked_choices(s, cohortid, now, reply_days);
  });
}

// Whether the mentor can be asked now: a profile, the scheme's mentor rules,
// training in date, not away, and a free place. The reason when not.
Status check_askable(core::Stores& s, const core::Cohort& cohort, const core::Enrolment& mentor, core::UnixSeconds now,
                     const std::string& field) {
  auto profile = s.profiles.find_mentor(mentor.accountid);
  if (!profile) return profile.status();
  if (!*profile)
    return Status(core::Code::kFailedPrecondition, "mentor_profile_required",
                  "The mentor has no mentor profile yet, so they cannot take mentees.", field);
  const core::MentorProfile& p = **profile;
  auto rules = s.eligibility.find(cohort.schemeid);
  if (!rules) return rules.status();
  if (*rules &&
      !core::check_mentor_eligibility((*rules)->mentors, core::MentorFacts{p.career_stage, p.specialty, p.region})
           .is_ok())
    return Status(core::Code::kFailedPrecondition, "mentor_not_eligible",
                  "The mentor does not meet this scheme's mentor rules.", field);
  const core::Date today = core::Date::from_unix(now);
  auto modules = s.training.list_modules(cohort.schemeid);
  if (!modules) return modules.status();
  auto records = s.training.list_records(mentor.accountid, cohort.schemeid);
  if (!records) return records.status();
  if (!core::mentor_readiness(*modules, *records, today).ready)
    return Status(core::Code::kFailedPrecondition, "mentor_training_not_in_date",
                  "The mentor's required mentor training is not in date.", field);
  if (!core::is_available(p, std::max(today, cohort.starts_on)))
    return Status(core::Code::kFailedPrecondition, "mentor_away", "The mentor is away and not taking mentees.", field);
  auto place = s.pairings.sync_place(cohort.id, mentor.id, p.capacity, now);
  if (!place) return place.status();
  if (place->free() == 0)
    return Status(core::Code::kConflict, "mentor_full", "The mentor has no free place for another mentee.", field);
  return Status::ok();
}

// Asks the list's next askable choice after the ones already tried, or
// closes the list as exhausted. Choices that can no longer be asked are
// passed over with the reason.
Status ask_next(core::Stores& s, const ChoiceList& list, core::UnixSeconds now, int reply_days) {
  auto cohort = require_cohort(s, list.cohortid);
  if (!cohort) return cohort.status();
  std::optional<core::MatchingRunRecord> hybrid;
  if (list.source == core::RequestSource::kHybrid) {
    auto run = open_hybrid_run(s, list.cohortid);
    if (!run) return run.status();
    hybrid = *run;
  }
  const bool deadline_passed = hybrid && hybrid->choice_deadline && now > *hybrid->choice_deadline;
  for (const auto& e : list.entries) {
    if (e.state != ChoiceState::kWaiting) continue;
    ChoiceState skip = ChoiceState::kUnavailable;
    Status why = Status::ok();
    if (list.source == core::RequestSource::kHybrid && (!hybrid || deadline_passed)) {
      why = Status::failed_precondition("choice_deadline_passed", "The deadline for choosing a mentor has passed.");
    } else {
      auto mentor = require_member(s, list.cohortid, e.mentorid, core::Role::kMentor, "mentorid");
      why = mentor ? check_askable(s, *cohort, *mentor, now, "mentorid") : mentor.status();
      if (why.is_ok()) why = check_pair(s, list.cohortid, list.menteeid, e.mentorid);
      if (why.reason() == "mentor_full") skip = ChoiceState::kMentorFull;
    }
    if (!why.is_ok()) {
      // A database failure is not a reason to pass a choice over.
      if (why.code() == core::Code::kInternal || why.code() == core::Code::kUnavailable) return why;
      MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(e.id, skip, std::nullopt, now));
      continue;
    }
    core::MenteeRequest q;
    q.cohortid = list.cohortid;
    q.menteeid = list.menteeid;
    q.mentorid = e.mentorid;
    q.message = list.message;
    q.source = list.source;
    q.expires_at = now + reply_days * kDay;
    auto made = s.pairings.create_request(q, now);
    if (!made) return made.status();
    MENTORING_RETURN_IF_ERROR(append_pairing_proposed_event(s, *made, now));
    return s.choice_lists.set_entry(e.id, ChoiceState::kRequested, made->id, now);
  }
  // Every choice fell through: the mentee is left for an administrator.
  return s.choice_lists.finish(list.id, ChoiceListState::kExhausted, now).status();
}

// The entries not reached yet get `state`, and the list is closed as `to`.
Status close_list(core::Stores& s, const ChoiceList& list, ChoiceState state, ChoiceListState to,
                  core::UnixSeconds now) {
  for (const auto& e : list.entries)
    if (e.state == ChoiceState::kWaiting)
      MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(e.id, state, std::nullopt, now));
  return s.choice_lists.finish(list.id, to, now).status();
}

// Moves one list on from its current request.
Status advance_list(core::Stores& s, const ChoiceList& list, core::UnixSeconds now, int reply_days) {
  auto current = std::find_if(list.entries.begin(), list.entries.end(),
                              [](const core::ChoiceEntry& e) { return e.state == ChoiceState::kRequested; });
  std::optional<core::MenteeRequest> request;
  if (current != list.entries.end() && current->requestid) {
    auto q = s.pairings.find_request(*current->requestid);
    if (!q) return q.status();
    request = *q;
  }
  if (request) {
    switch (request->state) {
      case core::RequestState::kAccepted:
        MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(current->id, ChoiceState::kAccepted, request->id, now));
        return close_list(s, list, ChoiceState::kNotNeeded, ChoiceListState::kAccepted, now);
      case core::RequestState::kWithdrawn:
        MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(current->id, ChoiceState::kWithdrawn, request->id, now));
        return close_list(s, list, ChoiceState::kWithdrawn, ChoiceListState::kWithdrawn, now);
      case core::RequestState::kDeclined:
        MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(current->id, ChoiceState::kDeclined, request->id, now));
        break;
      case core::RequestState::kLapsed:
        MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(current->id, ChoiceState::kLapsed, request->id, now));
        break;
      case core::RequestState::kPending:
        break;  // decided below
    }
  }
  // Paired another way (an administrator, a run): the list has done its work.
  auto paired = s.pairings.active_for_mentee(list.menteeid);
  if (!paired) return paired.status();
  if (*paired) {
    if (request && request->state == core::RequestState::kPending) {
      auto closed = s.pairings.close_request(request->id, core::RequestState::kWithdrawn, now);
      if (!closed) return closed.status();
      MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(current->id, ChoiceState::kNotNeeded, request->id, now));
    }
    return close_list(s, list, ChoiceState::kNotNeeded, ChoiceListState::kClosed, now);
  }
  if (request && request->state == core::RequestState::kPending) {
    // Still pending, so the mentor filled up: the request lapses and the
    // list moves on (the mentor could no longer accept it).
    auto place = s.pairings.find_place(request->mentorid);
    if (!place) return place.status();
    if (*place && (*place)->free() > 0) return Status::ok();
    auto closed = s.pairings.close_request(request->id, core::RequestState::kLapsed, now);
    if (!closed) return closed.status();
    MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(current->id, ChoiceState::kMentorFull, request->id, now));
  }
  auto fresh = s.choice_lists.find(list.id);
  if (!fresh) return fresh.status();
  if (!*fresh) return Status::ok();
  return ask_next(s, **fresh, now, reply_days);
}

}  // namespace

Status advance_ranked_choices(core::Stores& s, std::int64_t cohortid, core::UnixSeconds now, int reply_days) {
  auto ids = s.choice_lists.needing_attention(cohortid);
  if (!ids) return ids.status();
  for (std::int64_t id : *ids) {
    auto list = s.choice_lists.find(id);
    if (!list) return list.status();
    if (!*list || (*list)->state != ChoiceListState::kActive) continue;
    MENTORING_RETURN_IF_ERROR(advance_list(s, **list, now, reply_days));
  }
  return Status::ok();
}

Result<ChoiceList> PairingService::request_ranked(std::int64_t cohortid, std::int64_t menteeid,
                                                  const std::vector<std::int64_t>& mentorids,
                                                  const std::string& message) {
  if (message.size() > kMaxRequestMessageLength)
    return Status::invalid("message_too_long", "The message must be at most 2000 bytes.", "message");
  if (mentorids.empty() || static_cast<int>(mentorids.size()) > max_choices_)
    return Status::invalid("choices_count_invalid", "Rank between 1 and " + std::to_string(max_choices_) + " mentors.",
                           "mentorids");
  std::set<std::int64_t> seen;
  for (std::size_t i = 0; i < mentorids.size(); ++i) {
    if (!seen.insert(mentorids[i]).second)
      return Status::invalid("choice_duplicate", "Each mentor may appear only once in the ranking.",
                             "mentorids[" + std::to_string(i) + "]");
  }
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, cohortid, now, reply_days_));
  return in_transaction<ChoiceList>(db_, [&](core::Stores& s) -> Result<ChoiceList> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto mentee = require_member(s, cohortid, menteeid, core::Role::kMentee, "menteeid");
    if (!mentee) return mentee.status();
    auto window = open_choice_window(s, *cohort, now);
    if (!window) return window.status();
    const core::RequestSource source = window->source;
    const std::vector<core::ShortlistRow>& shortlist = window->shortlist;
    auto paired = s.pairings.active_for_mentee(menteeid);
    if (!paired) return paired.status();
    if (*paired)
      return Status::conflict("mentee_already_paired", "The mentee already has an active pairing in this cohort.");
    auto pending = s.pairings.list_requests(0, menteeid, 0, core::RequestState::kPending, core::Page{1, 0});
    if (!pending) return pending.status();
    if (!pending->empty())
      return Status::conflict("request_already_pending",
                              "The mentee already has a pending request; withdraw it or wait for an answer first.");
    ChoiceList list;
    list.cohortid = cohortid;
    list.menteeid = menteeid;
    list.source = source;
    list.message = message;
    for (std::size_t i = 0; i < mentorids.size(); ++i) {
      const std::string field = "mentorids[" + std::to_string(i) + "]";
      auto mentor = require_member(s, cohortid, mentorids[i], core::Role::kMentor, field.c_str());
      if (!mentor) return mentor.status();
      if (source == core::RequestSource::kHybrid &&
          std::none_of(shortlist.begin(), shortlist.end(), [&](const core::ShortlistRow& r) {
            return r.menteeid == menteeid && r.mentorid == mentorids[i];
          }))
        return Status::invalid("choice_not_on_shortlist", "The mentor is not on the mentee's shortlist.", field);
      MENTORING_RETURN_IF_ERROR(check_askable(s, *cohort, *mentor, now, field));
      Status allowed = check_pair(s, cohortid, menteeid, mentorids[i]);
      if (!allowed) return Status(allowed.code(), allowed.reason(), allowed.message(), field);
      core::ChoiceEntry e;
      e.mentorid = mentorids[i];
      e.rank = static_cast<int>(i) + 1;
      list.entries.push_back(e);
    }
    auto made = s.choice_lists.create(list, now);
    if (!made) return made.status();
    MENTORING_RETURN_IF_ERROR(ask_next(s, *made, now, reply_days_));
    auto fresh = s.choice_lists.find(made->id);
    if (!fresh) return fresh.status();
    return **fresh;
  });
}

Result<std::optional<ChoiceList>> PairingService::choices(std::int64_t cohortid, std::int64_t menteeid) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, cohortid, now, reply_days_));
  return in_transaction<std::optional<ChoiceList>>(db_, [&](core::Stores& s) -> Result<std::optional<ChoiceList>> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto mentee = require_member(s, cohortid, menteeid, core::Role::kMentee, "menteeid");
    if (!mentee) return mentee.status();
    return s.choice_lists.latest_for_mentee(menteeid);
  });
}

Result<ChoiceList> PairingService::withdraw_choices(std::int64_t cohortid, std::int64_t menteeid) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, cohortid, now, reply_days_));
  return in_transaction<ChoiceList>(db_, [&](core::Stores& s) -> Result<ChoiceList> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto mentee = require_member(s, cohortid, menteeid, core::Role::kMentee, "menteeid");
    if (!mentee) return mentee.status();
    auto latest = s.choice_lists.latest_for_mentee(menteeid);
    if (!latest) return latest.status();
    if (!*latest || (*latest)->state != ChoiceListState::kActive)
      return Status::not_found("choice_list_not_found", "The mentee has no list of choices in progress.");
    const ChoiceList& list = **latest;
    for (const auto& e : list.entries) {
      if (e.state != ChoiceState::kRequested || !e.requestid) continue;
      auto closed = s.pairings.close_request(*e.requestid, core::RequestState::kWithdrawn, now);
      if (!closed && closed.status().reason() != "request_not_pending") return closed.status();
      MENTORING_RETURN_IF_ERROR(s.choice_lists.set_entry(e.id, ChoiceState::kWithdrawn, e.requestid, now));
    }
    MENTORING_RETURN_IF_ERROR(close_list(s, list, ChoiceState::kWithdrawn, ChoiceListState::kWithdrawn, now));
    auto fresh = s.choice_lists.find(list.id);
    if (!fresh) return fresh.status();
    return **fresh;
  });
}

}  // namespace mentoring::app
