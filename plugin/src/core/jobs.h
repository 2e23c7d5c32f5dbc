// Long work that people wait for (a matching run, an import): its progress,
// kept in the database so that any worker thread or process can report it
// and any page can show it. Also the one-time tokens of submitted forms, so
// that a form sent twice (a double click, a resubmitted page) takes effect once.
//
// The core only says what a job is and how its progress reads; the use cases
// are in app/jobs.h and the SQL in storage/job_store.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core {

enum class JobState { kQueued, kRunning, kSucceeded, kFailed };
const char* to_string(JobState v);  // "queued", "running", "succeeded", "failed"
std::optional<JobState> parse_job_state(std::string_view s);
inline bool is_finished(JobState s) { return s == JobState::kSucceeded || s == JobState::kFailed; }

inline constexpr std::size_t kMaxJobKindLength = 64;
inline constexpr std::size_t kMaxJobMessageLength = 500;

struct Job {
  std::int64_t id = 0;
  std::string kind;          // "matching_run", "roster_import": lower-case letters, digits and '_'
  std::int64_t ownerid = 0;  // the account that started it
  JobState state = JobState::kQueued;
  std::int64_t done = 0;        // units of work finished, 0..total
  std::int64_t total = 0;       // units of work in all (0 while unknown)
  std::string message;          // one line for people: "Scoring candidate mentors"
  std::int64_t started_ms = 0;  // when it was created, ms since the epoch
  std::int64_t updated_ms = 0;  // the last report
  std::optional<std::int64_t> finished_ms;
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

// invalid_argument "job_kind_invalid" unless `kind` is 1..64 of [a-z0-9_].
Status validate_job_kind(std::string_view kind);
// invalid_argument "job_message_invalid" for a message over 500 bytes or with
// control characters (it is shown as one line).
Status validate_job_message(std::string_view message);
// invalid_argument "job_progress_invalid" unless 0 <= done <= total.
Status validate_job_progress(std::int64_t done, std::int64_t total);

// Time left, from the rate so far: the time since the job started divided by
// the units done, times the units left. Nothing when it cannot be known yet
// (nothing done, total unknown, finished, or no time has passed).
std::optional<std::int64_t> estimate_remaining_ms(const Job& job, std::int64_t now_ms);

// Whole percent done, 0..100 (100 for a finished job; 0 while the total is unknown).
int percent_done(const Job& job);

class JobStore {
 public:
  virtual ~JobStore() = default;
  // Stores `job` (id and times ignored; started_ms and updated_ms are
  // `now_ms`). NotFound "account_not_found" when the owner is missing.
  virtual Result<Job> create(const Job& job, std::int64_t now_ms) = 0;
  virtual Result<std::optional<Job>> find(std::int64_t id) = 0;
  // Writes state, done, total, message, updated_ms and finished_ms of
  // `job.id`. NotFound "job_not_found".
  virtual Result<Job> update(const Job& job, std::int64_t now_ms) = 0;
  // Newest first.
  virtual Result<std::vector<Job>> list_recent(std::int64_t limit) = 0;
};

class FormSubmissionStore {
 public:
  virtual ~FormSubmissionStore() = default;
  // Records that the form carrying the token whose SHA-256 is `token_hash`
  // was submitted by `accountid`. True the first time, false when that token
  // was already recorded.
  virtual Result<bool> claim(const std::string& token_hash, std::int64_t accountid, UnixSeconds now) = 0;
  // Deletes records made before `before` (forms that old are refused anyway,
  // because their session has ended). Returns how many.
  virtual Result<std::int64_t> purge_before(UnixSeconds before) = 0;
};

}  // namespace mentoring::core
