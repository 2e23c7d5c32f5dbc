// Storage port for ranked mentor choices under mentee choice and hybrid
// matching: a mentee ranks a few mentors, the request goes to the first, and
// moves on down the list when a mentor declines, lets the request lapse or
// fills up (app/matching_pairings.h applies those rules).
//
// A list belongs to one mentee enrolment; a unique index keeps at most one
// list in progress ("active") per mentee. Entries are ranked from 1; each
// names the request made to its mentor once the list reaches it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/matching_stores.h"
#include "core/status.h"

namespace mentoring::core {

// active: a request is out to one of the mentors; accepted: a mentor on the
// list took the mentee; exhausted: every choice fell through; withdrawn: the
// mentee withdrew; closed: the mentee was paired another way.
enum class ChoiceListState { kActive, kAccepted, kExhausted, kWithdrawn, kClosed };
// waiting: not reached yet; requested: the request is out; accepted,
// declined, lapsed: the mentor's answer (or none in time); mentor_full: the
// mentor had no free place when the list reached or waited on them;
// unavailable: the mentor could no longer be asked (left, away, training
// lapsed, no longer eligible); withdrawn: the mentee withdrew; not_needed:
// an earlier choice accepted.
enum class ChoiceState {
  kWaiting,
  kRequested,
  kAccepted,
  kDeclined,
  kLapsed,
  kMentorFull,
  kUnavailable,
  kWithdrawn,
  kNotNeeded
};

const char* to_string(ChoiceListState v);  // "active", "accepted", "exhausted", "withdrawn", "closed"
const char* to_string(ChoiceState v);      // "waiting", "requested", ..., "not_needed"
std::optional<ChoiceListState> parse_choice_list_state(std::string_view s);
std::optional<ChoiceState> parse_choice_state(std::string_view s);

struct ChoiceEntry {
  std::int64_t id = 0;
  std::int64_t listid = 0;
  std::int64_t mentorid = 0;  // mentor enrolment
  int rank = 0;               // 1 = first choice
  ChoiceState state = ChoiceState::kWaiting;
  std::optional<std::int64_t> requestid;
  UnixSeconds timemodified = 0;
};

struct ChoiceList {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  std::int64_t menteeid = 0;  // mentee enrolment
  ChoiceListState state = ChoiceListState::kActive;
  RequestSource source = RequestSource::kChoice;
  std::string message;               // sent with each request
  std::vector<ChoiceEntry> entries;  // by rank
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

class ChoiceListStore {
 public:
  virtual ~ChoiceListStore() = default;
  // Stores an active list with its entries (ranks from `entries`, states
  // "waiting"; ids and times ignored). Conflict "choice_list_active" when
  // the mentee already has an active list.
  virtual Result<ChoiceList> create(const ChoiceList& list, UnixSeconds now) = 0;
  virtual Result<std::optional<ChoiceList>> find(std::int64_t id) = 0;
  // The mentee's newest list, whatever its state.
  virtual Result<std::optional<ChoiceList>> latest_for_mentee(std::int64_t menteeid) = 0;
  // Active lists (in one cohort, or everywhere when cohortid is 0) that need
  // to move on: no entry is "requested" with its request still pending and
  // its mentor's place row showing a free place, or the mentee has an
  // active pairing. Ids, oldest first.
  virtual Result<std::vector<std::int64_t>> needing_attention(std::int64_t cohortid) = 0;
  // Sets an entry's state and request. NotFound "choice_not_found".
  virtual Status set_entry(std::int64_t entryid, ChoiceState state, std::optional<std::int64_t> requestid,
                           UnixSeconds now) = 0;
  // Moves a list from active to `to` (a conditional update). NotFound
  // "choice_list_not_found"; Conflict "choice_list_not_active".
  virtual Result<ChoiceList> finish(std::int64_t listid, ChoiceListState to, UnixSeconds now) = 0;
};

}  // namespace mentoring::core
