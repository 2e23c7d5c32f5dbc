#include "app/matching_pairings.h"

#include <algorithm>

#include "app/unit_of_work.h"
#include "app/webhook_events.h"
#include "core/setup_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

namespace {

constexpr core::UnixSeconds kDay = 86400;

}  // namespace

// The newest hybrid run of the cohort whose shortlists are open, if any.
Result<std::optional<core::MatchingRunRecord>> open_hybrid_run(core::Stores& s, std::int64_t cohortid) {
  auto runs = s.matching_runs.list_by_cohort(cohortid);
  if (!runs) return runs.status();
  for (const auto& run : *runs) {
    if (run.model == core::RunModel::kHybrid &&
        (run.state == core::RunState::kReady || run.state == core::RunState::kPublished))
      return std::optional<core::MatchingRunRecord>(run);
  }
  return std::optional<core::MatchingRunRecord>();
}

// The checks a new pairing between two people must pass, whoever makes it.
Result<ChoiceWindow> open_choice_window(core::Stores& s, const core::Cohort& cohort, core::UnixSeconds now) {
  if (cohort.matching_model == core::MatchingModel::kAssigned)
    return Status::failed_precondition("cohort_not_mentee_choice",
                                       "This cohort uses assigned matching: mentees cannot request a mentor.");
  ChoiceWindow out;
  if (cohort.matching_model != core::MatchingModel::kHybrid) return out;
  out.source = core::RequestSource::kHybrid;
  auto run = open_hybrid_run(s, cohort.id);
  if (!run) return run.status();
  if (!*run)
    return Status::failed_precondition("shortlist_not_open", "Shortlists for this cohort have not been made yet.");
  if ((*run)->choice_deadline && now > *(*run)->choice_deadline)
    return Status::failed_precondition("choice_deadline_passed", "The deadline for choosing a mentor has passed.");
  auto lists = s.matching_runs.shortlists((*run)->id);
  if (!lists) return lists.status();
  out.shortlist = std::move(lists).value();
  return out;
}

Status check_pair(core::Stores& s, std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid) {
  auto paired = s.pairings.active_for_mentee(menteeid);
  if (!paired) return paired.status();
  if (*paired)
    return Status::conflict("mentee_already_paired", "The mentee already has an active pairing in this cohort.");
  auto unfit = s.pairings.not_a_good_fit_pairs(cohortid);
  if (!unfit) return unfit.status();
  for (const auto& [e, m] : *unfit) {
    // Deliberately vague: the reason is confidential to the two people.
    if (e == menteeid && m == mentorid)
      return Status::failed_precondition("pair_not_allowed", "This mentor cannot be matched with this mentee.");
  }
  return Status::ok();
}

// Makes the mentor's place row agree with their profile's capacity.
Result<core::MentorPlace> sync_from_profile(core::Stores& s, const core::Enrolment& mentor, core::UnixSeconds now) {
  auto profile = s.profiles.find_mentor(mentor.accountid);
  if (!profile) return profile.status();
  if (!*profile)
    return Status::failed_precondition("mentor_profile_required",
                                       "The mentor has no mentor profile yet, so they cannot take mentees.");
  return s.pairings.sync_place(mentor.cohortid, mentor.id, (*profile)->capacity, now);
}

namespace {

// Offers a freed place to the oldest waiting mentee who is free to take it.
Status offer_freed_place(core::Stores& s, const core::Enrolment& mentor, core::UnixSeconds now, int reply_days) {
  auto waiting = s.pairings.list_waiting(mentor.id);
  if (!waiting) return waiting.status();
  for (const auto& w : *waiting) {
    auto paired = s.pairings.active_for_mentee(w.menteeid);
    if (!paired) return paired.status();
    auto pending = s.pairings.list_requests(0, w.menteeid, 0, core::RequestState::kPending, core::Page{1, 0});
    if (!pending) return pending.status();
    auto mentee = s.enrolments.find(w.menteeid);
    if (!mentee) return mentee.status();
    const bool active = *mentee && (*mentee)->status == core::EnrolmentStatus::kActive;
    if (*paired || !pending->empty() || !active) continue;
    core::MenteeRequest q;
    q.cohortid = w.cohortid;
    q.menteeid = w.menteeid;
    q.mentorid = w.mentorid;
    q.message = w.message;
    q.source = core::RequestSource::kChoice;
    q.expires_at = now + reply_days * kDay;
    auto made = s.pairings.create_request(q, now);
    if (!made) return made.status();
    MENTORING_RETURN_IF_ERROR(append_pairing_proposed_event(s, *made, now));
    auto removed = s.pairings.remove_waiting(w.mentorid, w.menteeid);
    if (!removed) return removed.status();
    break;
  }
  return Status::ok();
}

// Lapses expired requests and moves ranked choices on past them (and past
// mentors who filled up), in one transaction.
Status lapse_in(core::Database& db, std::int64_t cohortid, core::UnixSeconds now, int reply_days) {
  return db.transact([&](core::Stores& s) -> Status {
    auto n = s.pairings.lapse_requests(cohortid, now);
    if (!n) return n.status();
    return advance_ranked_choices(s, cohortid, now, reply_days);
  });
}

}  // namespace

Result<core::Cohort> require_cohort(core::Stores& s, std::int64_t cohortid) {
  auto cohort = s.schemes.find_cohort(cohortid);
  if (!cohort) return cohort.status();
  if (!*cohort) return Status::not_found("cohort_not_found", "There is no cohort with that id.");
  return **cohort;
}

Result<core::Enrolment> require_member(core::Stores& s, std::int64_t cohortid, std::int64_t enrolmentid,
                                       core::Role role, const char* field) {
  auto e = s.enrolments.find(enrolmentid);
  if (!e) return e.status();
  const bool ok =
      *e && (*e)->cohortid == cohortid && (*e)->role == role && (*e)->status == core::EnrolmentStatus::kActive;
  if (!ok) {
    const std::string who = core::to_string(role);
    return Status::invalid(who + "_not_enrolled",
                           "The " + std::string(field) + " must name an active " + who + " enrolment in this cohort.",
                           field);
  }
  return **e;
}

Result<core::DirectoryPage> PairingService::directory(const core::DirectoryQuery& query) {
  if (query.text.size() > kMaxDirectoryTextLength)
    return Status::invalid("directory_text_too_long", "The search text must be at most 200 bytes.", "q");
  return in_transaction<core::DirectoryPage>(db_, [&](core::Stores& s) -> Result<core::DirectoryPage> {
    auto cohort = require_cohort(s, query.cohortid);
    if (!cohort) return cohort.status();
    return s.pairings.directory(query);
  });
}

Result<RequestOutcome> PairingService::request(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid,
                                               const std::string& message, bool wait_if_full) {
  if (message.size() > kMaxRequestMessageLength)
    return Status::invalid("message_too_long", "The message must be at most 2000 bytes.", "message");
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, cohortid, now, reply_days_));
  return in_transaction<RequestOutcome>(db_, [&](core::Stores& s) -> Result<RequestOutcome> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto mentee = require_member(s, cohortid, menteeid, core::Role::kMentee, "menteeid");
    if (!mentee) return mentee.status();
    auto mentor = require_member(s, cohortid, mentorid, core::Role::kMentor, "mentorid");
    if (!mentor) return mentor.status();
    auto window = open_choice_window(s, *cohort, now);
    if (!window) return window.status();
    const core::RequestSource source = window->source;
    if (source == core::RequestSource::kHybrid) {
      const bool listed = std::any_of(window->shortlist.begin(), window->shortlist.end(),
                                      [&](const core::ShortlistRow& r) {
                                        return r.menteeid == menteeid && r.mentorid == mentorid;
                                      });
      if (!listed)
        return Status::invalid("choice_not_on_shortlist", "The mentor is not on the mentee's shortlist.", "mentorid");
    }
    MENTORING_RETURN_IF_ERROR(check_pair(s, cohortid, menteeid, mentorid));
    auto place = sync_from_profile(s, *mentor, now);
    if (!place) return place.status();
    RequestOutcome out;
    if (place->free() == 0) {
      if (!wait_if_full) return Status::conflict("mentor_full", "The mentor has no free place for another mentee.");
      core::WaitingEntry w{0, cohortid, menteeid, mentorid, message, 0};
      auto added = s.pairings.add_waiting(w, now);
      if (!added) return added.status();
      out.waiting = *added;
      return out;
    }
    core::MenteeRequest q;
    q.cohortid = cohortid;
    q.menteeid = menteeid;
    q.mentorid = mentorid;
    q.message = message;
    q.source = source;
    q.expires_at = now + reply_days_ * kDay;
    auto made = s.pairings.create_request(q, now);
    if (!made) return made.status();
    MENTORING_RETURN_IF_ERROR(append_pairing_proposed_event(s, *made, now));
    out.request = *made;
    return out;
  });
}

Result<core::Pairing> PairingService::accept(std::int64_t requestid) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, 0, now, reply_days_));
  return in_transaction<core::Pairing>(db_, [&](core::Stores& s) -> Result<core::Pairing> {
    auto q = s.pairings.find_request(requestid);
    if (!q) return q.status();
    if (!*q) return Status::not_found("request_not_found", "There is no request with that id.");
    if ((*q)->state == core::RequestState::kLapsed)
      return Status::conflict("request_expired", "The request lapsed before the mentor answered it.");
    auto mentor = s.enrolments.find((*q)->mentorid);
    if (!mentor) return mentor.status();
    if (!*mentor || (*mentor)->status != core::EnrolmentStatus::kActive)
      return Status::failed_precondition("mentor_not_enrolled", "The mentor is no longer enrolled in this cohort.");
    // Capacity may have changed since the request was made.
    auto place = sync_from_profile(s, **mentor, now);
    if (!place) return place.status();
    auto pairing = s.pairings.accept_request(requestid, now);
    if (!pairing) return pairing.status();
    MENTORING_RETURN_IF_ERROR(append_pairing_event(s, *pairing, now));
    // The mentee's list is done; lists waiting on a mentor now full move on.
    MENTORING_RETURN_IF_ERROR(advance_ranked_choices(s, pairing->cohortid, now, reply_days_));
    return pairing;
  });
}

Result<core::MenteeRequest> PairingService::decline(std::int64_t requestid) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, 0, now, reply_days_));
  return in_transaction<core::MenteeRequest>(db_, [&](core::Stores& s) -> Result<core::MenteeRequest> {
    auto closed = s.pairings.close_request(requestid, core::RequestState::kDeclined, now);
    if (!closed) return closed.status();
    // A ranked request goes on to the mentee's next choice at once.
    MENTORING_RETURN_IF_ERROR(advance_ranked_choices(s, closed->cohortid, now, reply_days_));
    return closed;
  });
}

Result<core::MenteeRequest> PairingService::withdraw(std::int64_t requestid) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, 0, now, reply_days_));
  return in_transaction<core::MenteeRequest>(db_, [&](core::Stores& s) -> Result<core::MenteeRequest> {
    auto closed = s.pairings.close_request(requestid, core::RequestState::kWithdrawn, now);
    if (!closed) return closed.status();
    // Withdrawing a ranked request withdraws the mentee's whole list.
    MENTORING_RETURN_IF_ERROR(advance_ranked_choices(s, closed->cohortid, now, reply_days_));
    return closed;
  });
}

Result<std::vector<core::MenteeRequest>> PairingService::requests(std::int64_t cohortid, std::int64_t menteeid,
                                                                  std::int64_t mentorid,
                                                                  std::optional<core::RequestState> state,
                                                                  core::Page page) {
  const core::UnixSeconds now = clock_.now();
  MENTORING_RETURN_IF_ERROR(lapse_in(db_, cohortid, now, reply_days_));
  return in_transaction<std::vector<core::MenteeRequest>>(
      db_, [&](core::Stores& s) { return s.pairings.list_requests(cohortid, menteeid, mentorid, state, page); });
}

Result<std::int64_t> PairingService::lapse_expired() {
  const core::UnixSeconds now = clock_.now();
  return in_transaction<std::int64_t>(db_, [&](core::Stores& s) -> Result<std::int64_t> {
    auto n = s.pairings.lapse_requests(0, now);
    if (!n) return n.status();
    // A ranked list whose request lapsed moves on to its next choice now,
    // not only when someone next reads the cohort's requests.
    MENTORING_RETURN_IF_ERROR(advance_ranked_choices(s, 0, now, reply_days_));
    return *n;
  });
}

Status PairingService::lapse_expired_in(std::int64_t cohortid) {
  return lapse_in(db_, cohortid, clock_.now(), reply_days_);
}

Result<std::vector<core::Pairing>> PairingService::pairings(std::int64_t cohortid,
                                                            std::optional<core::PairingState> state, core::Page page) {
  return in_transaction<std::vector<core::Pairing>>(db_, [&](core::Stores& s) -> Result<std::vector<core::Pairing>> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    return s.pairings.list_by_cohort(cohortid, state, page);
  });
}

Result<core::Pairing> PairingService::assign(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid) {
  const core::UnixSeconds now = clock_.now();
  return in_transaction<core::Pairing>(db_, [&](core::Stores& s) -> Result<core::Pairing> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto mentee = require_member(s, cohortid, menteeid, core::Role::kMentee, "menteeid");
    if (!mentee) return mentee.status();
    auto mentor = require_member(s, cohortid, mentorid, core::Role::kMentor, "mentorid");
    if (!mentor) return mentor.status();
    MENTORING_RETURN_IF_ERROR(check_pair(s, cohortid, menteeid, mentorid));
    auto place = sync_from_profile(s, *mentor, now);
    if (!place) return place.status();
    auto pairing = s.pairings.create_active(
        core::PairingInput{cohortid, menteeid, mentorid, core::PairingSource::kAdmin, std::nullopt}, now);
    if (!pairing) return pairing.status();
    MENTORING_RETURN_IF_ERROR(append_pairing_event(s, *pairing, now));
    MENTORING_RETURN_IF_ERROR(advance_ranked_choices(s, cohortid, now, reply_days_));
    return pairing;
  });
}

Status after_pairing_ended(core::Stores& s, const core::Pairing& ended, core::UnixSeconds now, int reply_days) {
  MENTORING_RETURN_IF_ERROR(append_pairing_event(s, ended, now));
  auto mentor = s.enrolments.find(ended.mentorid);
  if (!mentor) return mentor.status();
  if (!*mentor || (*mentor)->status != core::EnrolmentStatus::kActive) return Status::ok();
  auto place = sync_from_profile(s, **mentor, now);
  if (!place) return place.status().code() == core::Code::kFailedPrecondition ? Status::ok() : place.status();
  if (place->free() > 0) return offer_freed_place(s, **mentor, now, reply_days);
  return Status::ok();
}

Result<core::Pairing> PairingService::end(std::int64_t pairingid, core::EndReason reason, core::EndedBy by,
                                          const std::string& note) {
  if (note.size() > kMaxEndNoteLength)
    return Status::invalid("end_note_too_long", "The note must be at most 2000 bytes.", "note");
  const core::UnixSeconds now = clock_.now();
  return in_transaction<core::Pairing>(db_, [&](core::Stores& s) -> Result<core::Pairing> {
    auto ended = s.pairings.end(pairingid, reason, by, note, now);
    if (!ended) return ended.status();
    MENTORING_RETURN_IF_ERROR(after_pairing_ended(s, *ended, now, reply_days_));
    return ended;
  });
}

}  // namespace mentoring::app
