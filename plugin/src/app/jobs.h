// Progress of long work (core/jobs.h) as the code doing the work reports it
// and as pages read it.
//
// Typical use by a feature that runs in the background:
//
//   auto job = jobs.create("matching_run", staff_accountid, mentees.size());
//   for (...) { ...; jobs.progress(job->id, done, total, "Scoring candidates"); }
//   jobs.finish(job->id, "Matched 412 of 420 mentees");   // or jobs.fail(job->id, why)
//
// Thread-safe: the service keeps no state of its own, and each call is one
// transaction, so several threads may report on different jobs (or the same
// one) at once; the last report wins. A finished job cannot be changed.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/jobs.h"
#include "core/stores.h"

namespace mentoring::app {

// A job as pages show it: the stored row and what is computed from it.
struct JobView {
  core::Job job;
  int percent = 0;
  // Time left at the rate so far; absent while it cannot be estimated.
  std::optional<std::int64_t> remaining_ms;
};

class JobService {
 public:
  JobService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}

  // A new queued job owned by `ownerid`, with `total` units of work (0 when
  // not known yet). Errors: job_kind_invalid, job_progress_invalid,
  // account_not_found.
  core::Result<core::Job> create(const std::string& kind, std::int64_t ownerid, std::int64_t total,
                                 const std::string& message = {});
  // Records that `done` of `total` units are finished (the job becomes
  // running). An empty message keeps the previous one. Errors:
  // job_not_found, job_finished (failed_precondition), job_progress_invalid,
  // job_message_invalid.
  core::Result<core::Job> progress(std::int64_t id, std::int64_t done, std::int64_t total,
                                   const std::string& message = {});
  // Marks the job succeeded (done = total). Errors: job_not_found, job_finished.
  core::Result<core::Job> finish(std::int64_t id, const std::string& message = {});
  // Marks the job failed, keeping its progress; `message` says why.
  core::Result<core::Job> fail(std::int64_t id, const std::string& message);

  // NotFound "job_not_found".
  core::Result<JobView> get(std::int64_t id);
  // Newest first, at most `limit` (1..100).
  core::Result<std::vector<JobView>> recent(std::int64_t limit);

 private:
  core::Result<core::Job> change(std::int64_t id, const std::function<core::Status(core::Job&)>& edit);
  JobView view(core::Job job) const;

  core::Database& db_;
  const core::Clock& clock_;
};

}  // namespace mentoring::app
