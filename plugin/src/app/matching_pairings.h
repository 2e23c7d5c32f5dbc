// Use cases for pairings under mentee choice and hybrid matching: the mentor
// directory, a mentee's request to a mentor and the mentor's answer, the
// waiting list for a full mentor, and ending a pairing. Each call is one
// transaction (plus, where noted, a short one before it that lapses expired
// requests).
//
// Mentees and mentors are named by their enrolment id in the cohort. The
// host's back end decides who is calling (a mentee, a mentor or staff) and
// passes it where it matters (EndedBy); this layer checks that the people
// named belong to the cohort in the right roles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/matching_choice_stores.h"
#include "core/matching_stores.h"
#include "core/stores.h"

namespace mentoring::app {

inline constexpr int kDefaultReplyDays = 7;
inline constexpr int kMaxReplyDays = 60;
inline constexpr std::size_t kMaxRequestMessageLength = 2000;
inline constexpr std::size_t kMaxEndNoteLength = 2000;
inline constexpr std::size_t kMaxDirectoryTextLength = 200;
// Ranked choices: how many mentors a mentee may rank (configurable 1..10).
inline constexpr int kDefaultMaxChoices = 3;
inline constexpr int kMaxChoicesLimit = 10;

// A request's outcome: either a pending request, or (for a full mentor,
// when the mentee asked to wait) a place on the mentor's waiting list.
struct RequestOutcome {
  std::optional<core::MenteeRequest> request;
  std::optional<core::WaitingEntry> waiting;
};

class PairingService {
 public:
  // `reply_days`: how long a mentor has to answer a request (1..60). Default 7.
  // `max_choices`: how many mentors a mentee may rank (1..10). Default 3.
  PairingService(core::Database& db, const core::Clock& clock, int reply_days = kDefaultReplyDays,
                 int max_choices = kDefaultMaxChoices)
      : db_(db), clock_(clock), reply_days_(reply_days), max_choices_(max_choices) {}
  int max_choices() const { return max_choices_; }

  // The cohort's mentors with a profile, searched and filtered.
  // NotFound "cohort_not_found"; invalid "directory_text_too_long".
  core::Result<core::DirectoryPage> directory(const core::DirectoryQuery& query);

  // A mentee asks a mentor. Checks: both enrolled (active) in the cohort in
  // those roles ("mentee_not_enrolled", "mentor_not_enrolled"); the cohort
  // uses mentee choice or hybrid matching ("cohort_not_mentee_choice"); for
  // hybrid, a shortlist is open ("shortlist_not_open", "choice_deadline_passed")
  // and the mentor is on it ("choice_not_on_shortlist"); the mentee is not
  // paired ("mentee_already_paired") and has no pending request
  // ("request_already_pending"); the mentor has a profile
  // ("mentor_profile_required"); the pair is allowed ("pair_not_allowed": an
  // earlier pairing of the two ended "not a good fit"); the message is at
  // most 2000 bytes ("message_too_long"). A full mentor gives Conflict
  // "mentor_full", or, with `wait_if_full`, a waiting list entry.
  core::Result<RequestOutcome> request(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid,
                                       const std::string& message, bool wait_if_full);
  // Ranked choices (app/matching_ranked_choices.cc): the mentee ranks
  // 1..max_choices() distinct mentors, best first, and the request goes to
  // the first. When that mentor declines, lets it lapse or fills up, the
  // request moves on to the next choice in the same transaction (a new
  // pending request, with its pairing_proposed event); a choice that can no
  // longer be asked is passed over. When the list runs out the mentee is
  // left unpaired for an administrator to pair (or to ask again or join a
  // waiting list). Checks, besides those of request(): the list's size
  // ("choices_count_invalid"), distinct mentors ("choice_duplicate"), each
  // mentor enrolled in the cohort ("mentor_not_enrolled"), with a profile
  // ("mentor_profile_required"), meeting the scheme's mentor rules
  // ("mentor_not_eligible"), with training in date
  // ("mentor_training_not_in_date"), not away ("mentor_away") and with a free
  // place ("mentor_full"); no list in progress ("choice_list_active"). The
  // error names the field "mentorids[i]" of the mentor at fault.
  core::Result<core::ChoiceList> request_ranked(std::int64_t cohortid, std::int64_t menteeid,
                                                const std::vector<std::int64_t>& mentorids,
                                                const std::string& message);
  // The mentee's newest list of choices, moved on as far as it can go, or
  // none. NotFound "cohort_not_found"; invalid "mentee_not_enrolled".
  core::Result<std::optional<core::ChoiceList>> choices(std::int64_t cohortid, std::int64_t menteeid);
  // The mentee withdraws their list in progress: the pending request is
  // withdrawn and the choices not reached are dropped. NotFound
  // "choice_list_not_found" when none is in progress.
  core::Result<core::ChoiceList> withdraw_choices(std::int64_t cohortid, std::int64_t menteeid);

  // The mentor accepts: the request becomes an active pairing and takes a
  // place, atomically. Conflict "request_not_pending", "request_expired",
  // "mentor_full", "mentee_already_paired"; nothing changes on failure.
  core::Result<core::Pairing> accept(std::int64_t requestid);
  core::Result<core::MenteeRequest> decline(std::int64_t requestid);
  core::Result<core::MenteeRequest> withdraw(std::int64_t requestid);
  // Lapses expired requests first. Zero ids match everything.
  core::Result<std::vector<core::MenteeRequest>> requests(std::int64_t cohortid, std::int64_t menteeid,
                                                          std::int64_t mentorid,
                                                          std::optional<core::RequestState> state, core::Page page);
  // Pending requests past their expiry become lapsed, in every cohort, and
  // ranked lists move on to their next choice, in one transaction. For a
  // periodic tick; returns how many requests lapsed.
  core::Result<std::int64_t> lapse_expired();
  // The cohort's pending requests past their expiry become lapsed and its
  // ranked lists move on past them (and past mentors who have filled up), in
  // one transaction: the short one every call above that reads or makes
  // requests runs first. For pages that read the stores directly, so they
  // show what is true now rather than what the last sweep left.
  core::Status lapse_expired_in(std::int64_t cohortid);

  // NotFound "cohort_not_found".
  core::Result<std::vector<core::Pairing>> pairings(std::int64_t cohortid, std::optional<core::PairingState> state,
                                                    core::Page page);
  // An administrator pairs two people directly (source "admin"): the same
  // checks as a request, then the same atomic place-taking as an accept.
  core::Result<core::Pairing> assign(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid);
  // Either person or an administrator ends an active pairing. The mentor's
  // place is freed and offered to the oldest mentee on their waiting list
  // who is free to take it (as a pending request). NotFound
  // "pairing_not_found"; Conflict "pairing_not_active"; invalid
  // "end_note_too_long".
  core::Result<core::Pairing> end(std::int64_t pairingid, core::EndReason reason, core::EndedBy by,
                                  const std::string& note);

 private:
  core::Database& db_;
  const core::Clock& clock_;
  int reply_days_;
  int max_choices_;
};

// Shared checks (also used by app/matching_runs.h). NotFound
// "cohort_not_found" unless the cohort exists.
core::Result<core::Cohort> require_cohort(core::Stores& s, std::int64_t cohortid);
// The enrolment if it is active, in `cohortid`, with `role`; otherwise
// invalid "<role>_not_enrolled" naming `field`.
core::Result<core::Enrolment> require_member(core::Stores& s, std::int64_t cohortid, std::int64_t enrolmentid,
                                             core::Role role, const char* field);
// The newest hybrid run of the cohort whose shortlists are open, if any.
core::Result<std::optional<core::MatchingRunRecord>> open_hybrid_run(core::Stores& s, std::int64_t cohortid);
// How a mentee of `cohort` may choose now: by the directory (source
// "choice", no shortlist) or from their hybrid shortlist (source "hybrid",
// the open run's shortlists). failed_precondition "cohort_not_mentee_choice"
// (assigned matching), "shortlist_not_open", "choice_deadline_passed".
struct ChoiceWindow {
  core::RequestSource source = core::RequestSource::kChoice;
  std::vector<core::ShortlistRow> shortlist;
};
core::Result<ChoiceWindow> open_choice_window(core::Stores& s, const core::Cohort& cohort, core::UnixSeconds now);
// The checks any new pairing must pass: the mentee is unpaired
// ("mentee_already_paired") and the pair allowed ("pair_not_allowed").
core::Status check_pair(core::Stores& s, std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid);
// Makes the mentor's place row agree with their profile's capacity;
// failed_precondition "mentor_profile_required" without a profile.
core::Result<core::MentorPlace> sync_from_profile(core::Stores& s, const core::Enrolment& mentor,
                                                  core::UnixSeconds now);
// What follows a pairing that has just ended, in the caller's transaction:
// its pairing_ended event, and, while the mentor is still active, their
// place brought in line with their profile and offered to the oldest
// waiting mentee who is free to take it (a new pending request with its
// pairing_proposed event, lasting `reply_days`).
core::Status after_pairing_ended(core::Stores& s, const core::Pairing& ended, core::UnixSeconds now, int reply_days);
// Moves on every list of ranked choices (in one cohort, or everywhere when
// cohortid is 0) whose current request was answered, lapsed or waits on a
// mentor who has filled up, in the caller's transaction.
core::Status advance_ranked_choices(core::Stores& s, std::int64_t cohortid, core::UnixSeconds now, int reply_days);

}  // namespace mentoring::app
