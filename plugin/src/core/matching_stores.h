// Storage ports for matching: mentor places, pairings, mentee requests and
// the waiting list (mentee choice), matching runs with their proposals and
// hybrid shortlists, and administrators' pins and bans.
//
// Mentees and mentors are named by their enrolment id in the cohort. The
// guarantees that must hold under concurrency (a mentor is never over-filled;
// a mentee has at most one active pairing; one matching run per cohort at a
// time) are kept by the store with single conditional statements and unique
// indexes, so they hold across several plugin instances on one database. The
// toolkit's rules (who may ask whom, reply windows, what a run may propose)
// are applied by the use cases in app/matching_*.h.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/profile.h"
#include "core/status.h"
#include "core/stores.h"

namespace mentoring::core {

enum class PairingState { kProposed, kActive, kEnded };
enum class PairingSource { kAssigned, kChoice, kHybrid, kAdmin };
// Why a pairing ended. `not_a_good_fit` is no-fault: neither person is
// blamed, and the two are never matched again.
enum class EndReason { kCompleted, kNotAGoodFit, kMenteeWithdrew, kMentorWithdrew, kOther };
enum class EndedBy { kMentee, kMentor, kAdmin };
enum class RequestState { kPending, kAccepted, kDeclined, kLapsed, kWithdrawn };
// How a request was made: from the mentor directory, or from a hybrid shortlist.
enum class RequestSource { kChoice, kHybrid };

const char* to_string(PairingState v);   // "proposed", "active", "ended"
const char* to_string(PairingSource v);  // "assigned", "choice", "hybrid", "admin"
const char* to_string(EndReason v);      // "completed", "not_a_good_fit", "mentee_withdrew", "mentor_withdrew", "other"
const char* to_string(EndedBy v);        // "mentee", "mentor", "admin"
const char* to_string(RequestState v);   // "pending", "accepted", "declined", "lapsed", "withdrawn"
const char* to_string(RequestSource v);  // "choice", "hybrid"
std::optional<PairingState> parse_pairing_state(std::string_view s);
std::optional<PairingSource> parse_pairing_source(std::string_view s);
std::optional<EndReason> parse_end_reason(std::string_view s);
std::optional<EndedBy> parse_ended_by(std::string_view s);
std::optional<RequestState> parse_request_state(std::string_view s);
std::optional<RequestSource> parse_request_source(std::string_view s);

// A mentor's places in their cohort: `active` counts their active pairings.
struct MentorPlace {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  std::int64_t mentorid = 0;  // mentor enrolment
  int capacity = 0;
  int active = 0;
  int free() const { return capacity > active ? capacity - active : 0; }
};

struct Pairing {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  std::int64_t menteeid = 0;  // mentee enrolment
  std::int64_t mentorid = 0;  // mentor enrolment
  PairingState state = PairingState::kActive;
  PairingSource source = PairingSource::kAssigned;
  std::optional<std::int64_t> runid;  // the run that proposed it, if any
  std::optional<UnixSeconds> started_at;
  std::optional<UnixSeconds> ended_at;
  std::optional<EndReason> end_reason;
  std::optional<EndedBy> ended_by;
  std::string end_note;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct MenteeRequest {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
  std::string message;
  RequestState state = RequestState::kPending;
  RequestSource source = RequestSource::kChoice;
  UnixSeconds expires_at = 0;
  std::optional<UnixSeconds> decided_at;
  std::optional<std::int64_t> pairingid;  // set when accepted
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// A mentee waiting for a place with a full mentor, oldest first.
struct WaitingEntry {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
  std::string message;
  UnixSeconds timecreated = 0;
};

// The mentor directory a mentee browses under mentee choice.
struct DirectoryQuery {
  std::int64_t cohortid = 0;
  std::string text;        // words looked for in specialty, expertise areas and bio; case-insensitive
  std::string specialty;   // exact, case-insensitive; empty = any
  std::string region;      // exact, case-insensitive; empty = any
  bool free_only = false;  // only mentors with a free place
  Page page;
};

struct DirectoryEntry {
  std::int64_t mentorid = 0;  // enrolment
  std::int64_t accountid = 0;
  std::string display_name;
  MentorProfile profile;
  int capacity = 0;  // from the profile
  int active = 0;    // active pairings
};

struct DirectoryPage {
  std::vector<DirectoryEntry> entries;  // by display name, then enrolment id
  std::int64_t total = 0;               // matching entries over all pages
};

// What makes a pairing; `runid` names the run it came from.
struct PairingInput {
  std::int64_t cohortid = 0;
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
  PairingSource source = PairingSource::kAssigned;
  std::optional<std::int64_t> runid = std::nullopt;
};

class PairingStore {
 public:
  virtual ~PairingStore() = default;

  // Mentor places. Inserts the mentor's row or sets its capacity (the active
  // count is kept). NotFound "enrolment_not_found".
  virtual Result<MentorPlace> sync_place(std::int64_t cohortid, std::int64_t mentorid, int capacity,
                                         UnixSeconds now) = 0;
  virtual Result<std::optional<MentorPlace>> find_place(std::int64_t mentorid) = 0;
  // By mentor enrolment id.
  virtual Result<std::vector<MentorPlace>> list_places(std::int64_t cohortid) = 0;

  // Makes an active pairing and takes one of the mentor's places in the same
  // statement sequence: Conflict "mentor_full" when the mentor has no place
  // row or no free place, "mentee_already_paired" when the mentee has an
  // active pairing. Under any concurrency a mentor never goes over capacity.
  virtual Result<Pairing> create_active(const PairingInput& input, UnixSeconds now) = 0;
  virtual Result<std::optional<Pairing>> find(std::int64_t id) = 0;
  // Oldest first.
  virtual Result<std::vector<Pairing>> list_by_cohort(std::int64_t cohortid, std::optional<PairingState> state,
                                                      Page page) = 0;
  virtual Result<std::optional<Pairing>> active_for_mentee(std::int64_t menteeid) = 0;
  // Ends an active pairing and frees the mentor's place. NotFound
  // "pairing_not_found"; Conflict "pairing_not_active".
  virtual Result<Pairing> end(std::int64_t id, EndReason reason, EndedBy by, const std::string& note,
                              UnixSeconds now) = 0;
  // (mentee enrolment, mentor enrolment) pairs of `cohortid` whose two
  // accounts were paired before, in any cohort, and ended "not a good fit".
  virtual Result<std::vector<std::pair<std::int64_t, std::int64_t>>> not_a_good_fit_pairs(std::int64_t cohortid) = 0;

  // Mentee requests. Conflict "request_already_pending" when the mentee has
  // a pending request.
  virtual Result<MenteeRequest> create_request(const MenteeRequest& request, UnixSeconds now) = 0;
  virtual Result<std::optional<MenteeRequest>> find_request(std::int64_t id) = 0;
  // Newest first; zero ids and an absent state match everything.
  virtual Result<std::vector<MenteeRequest>> list_requests(std::int64_t cohortid, std::int64_t menteeid,
                                                           std::int64_t mentorid, std::optional<RequestState> state,
                                                           Page page) = 0;
  // Pending requests with expires_at <= now become lapsed (in one cohort, or
  // everywhere when cohortid is 0). Returns how many.
  virtual Result<std::int64_t> lapse_requests(std::int64_t cohortid, UnixSeconds now) = 0;
  // pending -> declined, withdrawn or lapsed (a mentor who filled up), only
  // while pending and not expired.
  // NotFound "request_not_found"; Conflict "request_not_pending".
  virtual Result<MenteeRequest> close_request(std::int64_t id, RequestState to, UnixSeconds now) = 0;
  // pending -> accepted and an active pairing (source from the request:
  // choice or hybrid), atomically. NotFound "request_not_found"; Conflict
  // "request_not_pending" (also when it has expired), "mentor_full",
  // "mentee_already_paired". Nothing changes on failure.
  virtual Result<Pairing> accept_request(std::int64_t id, UnixSeconds now) = 0;

  // Waiting list. Conflict "already_waiting".
  virtual Result<WaitingEntry> add_waiting(const WaitingEntry& entry, UnixSeconds now) = 0;
  // Oldest first.
  virtual Result<std::vector<WaitingEntry>> list_waiting(std::int64_t mentorid) = 0;
  // Whether a row was removed.
  virtual Result<bool> remove_waiting(std::int64_t mentorid, std::int64_t menteeid) = 0;

  virtual Result<DirectoryPage> directory(const DirectoryQuery& query) = 0;
};

enum class RunModel { kAssigned, kHybrid, kFallback };
enum class RunState { kRunning, kReady, kPublished, kDiscarded, kSuperseded, kFailed };
enum class RuleKind { kPin, kBan };
const char* to_string(RunModel v);  // "assigned", "hybrid", "fallback"
const char* to_string(RunState v);  // "running", "ready", "published", "discarded", "superseded", "failed"
const char* to_string(RuleKind v);  // "pin", "ban"
std::optional<RunModel> parse_run_model(std::string_view s);
std::optional<RunState> parse_run_state(std::string_view s);
std::optional<RuleKind> parse_rule_kind(std::string_view s);

struct MatchingRunRecord {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  RunModel model = RunModel::kAssigned;
  RunState state = RunState::kRunning;
  std::string parameters;                      // JSON: the options the run was started with
  std::string report;                          // JSON: the run report and notes
  std::string error;                           // why a failed run failed
  std::optional<UnixSeconds> choice_deadline;  // hybrid
  std::optional<std::int64_t> parentid;        // fallback: the hybrid run it completes
  std::optional<std::int64_t> jobid;           // the job its progress is reported on, if any
  std::string claimed_by;                      // the worker doing the run; empty while queued
  std::optional<UnixSeconds> claimed_at;
  std::optional<UnixSeconds> heartbeat_at;    // the worker's last sign of life on a claimed run
  UnixSeconds started_at = 0;
  std::optional<UnixSeconds> finished_at;
  std::optional<UnixSeconds> published_at;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct Proposal {
  std::int64_t id = 0;
  std::int64_t runid = 0;
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
  int score = 0;
  std::string source;       // the engine's PairSource name: "optimal", "pinned", "fallback", ...
  std::string explanation;  // JSON: the score, criterion by criterion
};

struct ShortlistRow {
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
  int rank = 0;  // 1 = first
  int score = 0;
  bool strong = false;
};

struct PairRule {
  std::int64_t id = 0;
  std::int64_t cohortid = 0;
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
  RuleKind kind = RuleKind::kPin;
  UnixSeconds timecreated = 0;
};

class MatchingRunStore {
 public:
  virtual ~MatchingRunStore() = default;
  // Inserts a run in state "running". Conflict "matching_run_in_progress"
  // when the cohort already has one running.
  virtual Result<MatchingRunRecord> begin(const MatchingRunRecord& run, UnixSeconds now) = 0;
  virtual Result<std::optional<MatchingRunRecord>> find(std::int64_t id) = 0;
  // Newest first.
  virtual Result<std::vector<MatchingRunRecord>> list_by_cohort(std::int64_t cohortid) = 0;
  // Moves a run from `from` to `to` only if it is in `from` (a conditional
  // update): Conflict "run_state_changed" otherwise, NotFound "run_not_found".
  // Sets finished_at when leaving running and published_at when publishing.
  virtual Result<MatchingRunRecord> transition(std::int64_t id, RunState from, RunState to, UnixSeconds now) = 0;
  // Stores a running run's result (report, proposals, shortlists) and makes
  // it ready. Conflict "run_state_changed" when it is not running.
  virtual Status finish(std::int64_t id, const std::string& report, const std::vector<Proposal>& proposals,
                        const std::vector<ShortlistRow>& shortlists, UnixSeconds now) = 0;
  // Marks a running run failed with `error`.
  virtual Status fail(std::int64_t id, const std::string& error, UnixSeconds now) = 0;
  // Background runs. A running run nobody has claimed is queued work; a
  // worker takes it with one conditional update, so of several workers (in
  // several plugin instances on one database) exactly one gets true.
  virtual Result<bool> claim(std::int64_t id, const std::string& worker, UnixSeconds now) = 0;
  // Ids of running, unclaimed runs in every cohort, oldest first, at most `limit`.
  virtual Result<std::vector<std::int64_t>> list_unclaimed(std::int64_t limit) = 0;
  // The worker doing a claimed run records that it is still alive (claim
  // records the first heartbeat). False when the run is no longer running
  // or is claimed by another worker.
  virtual Result<bool> heartbeat(std::int64_t id, const std::string& worker, UnixSeconds now) = 0;
  // Marks failed, with `error`, every running run whose worker has not been
  // heard from since before `heartbeat_before` (claimed runs) and every
  // queued run started before `queued_before`, in one conditional update,
  // so a run whose heartbeat is recent is never failed. Returns the runs
  // failed, as they are now.
  virtual Result<std::vector<MatchingRunRecord>> fail_abandoned(UnixSeconds heartbeat_before,
                                                                UnixSeconds queued_before, const std::string& error,
                                                                UnixSeconds now) = 0;
  // Every run of the cohort in state `from` becomes `to`. Returns how many.
  virtual Result<std::int64_t> transition_all(std::int64_t cohortid, RunState from, RunState to, UnixSeconds now) = 0;
  // By mentee id.
  virtual Result<std::vector<Proposal>> proposals(std::int64_t runid) = 0;
  // By mentee id, then rank.
  virtual Result<std::vector<ShortlistRow>> shortlists(std::int64_t runid) = 0;

  // A pin or ban for the cohort's next runs; replaces an earlier rule on the
  // same pair.
  virtual Result<PairRule> set_rule(const PairRule& rule, UnixSeconds now) = 0;
  virtual Result<std::vector<PairRule>> rules(std::int64_t cohortid) = 0;
  // Whether a rule was removed.
  virtual Result<bool> remove_rule(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid) = 0;
};

}  // namespace mentoring::core
