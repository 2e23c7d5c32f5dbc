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
#include "core/matching_stores.h"
#include "core/stores.h"

namespace mentoring::app {

inline constexpr int kDefaultReplyDays = 7;
inline constexpr int kMaxReplyDays = 60;
inline constexpr std::size_t kMaxRequestMessageLength = 2000;
inline constexpr std::size_t kMaxEndNoteLength = 2000;
inline constexpr std::size_t kMaxDirectoryTextLength = 200;

// A request's outcome: either a pending request, or (for a full mentor,
// when the mentee asked to wait) a place on the mentor's waiting list.
struct RequestOutcome {
  std::optional<core::MenteeRequest> request;
  std::optional<core::WaitingEntry> waiting;
};

class PairingService {
 public:
  // `reply_days`: how long a mentor has to answer a request (1..60). Default 7.
  PairingService(core::Database& db, const core::Clock& clock, int reply_days = kDefaultReplyDays)
      : db_(db), clock_(clock), reply_days_(reply_days) {}

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
  // Pending requests past their expiry become lapsed, in every cohort. For a
  // periodic tick; returns how many.
  core::Result<std::int64_t> lapse_expired();

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
};

// Shared checks (also used by app/matching_runs.h). NotFound
// "cohort_not_found" unless the cohort exists.
core::Result<core::Cohort> require_cohort(core::Stores& s, std::int64_t cohortid);
// The enrolment if it is active, in `cohortid`, with `role`; otherwise
// invalid "<role>_not_enrolled" naming `field`.
core::Result<core::Enrolment> require_member(core::Stores& s, std::int64_t cohortid, std::int64_t enrolmentid,
                                             core::Role role, const char* field);

}  // namespace mentoring::app
