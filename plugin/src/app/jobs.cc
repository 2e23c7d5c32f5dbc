#include "app/jobs.h"

#include <algorithm>

#include "app/unit_of_work.h"

namespace mentoring::app {
using core::Job;
using core::Result;
using core::Status;

namespace {

Status job_not_found(std::int64_t id) {
  return Status::not_found("job_not_found", "There is no job with id " + std::to_string(id) + ".");
}

}  // namespace

JobView JobService::view(Job job) const {
  JobView v;
  const std::int64_t now = clock_.now_ms();
  v.percent = core::percent_done(job);
  v.remaining_ms = core::estimate_remaining_ms(job, now);
  v.job = std::move(job);
  return v;
}

Result<Job> JobService::create(const std::string& kind, std::int64_t ownerid, std::int64_t total,
                               const std::string& message) {
  MENTORING_RETURN_IF_ERROR(core::validate_job_kind(kind));
  MENTORING_RETURN_IF_ERROR(core::validate_job_progress(0, total));
  MENTORING_RETURN_IF_ERROR(core::validate_job_message(message));
  Job job;
  job.kind = kind;
  job.ownerid = ownerid;
  job.total = total;
  job.message = message;
  const std::int64_t now = clock_.now_ms();
  return in_transaction<Job>(db_, [&](core::Stores& s) { return s.jobs.create(job, now); });
}

Result<Job> JobService::change(std::int64_t id, const std::function<Status(Job&)>& edit) {
  const std::int64_t now = clock_.now_ms();
  return in_transaction<Job>(db_, [&](core::Stores& s) -> Result<Job> {
    auto found = s.jobs.find(id);
    if (!found) return found.status();
    if (!*found) return job_not_found(id);
    Job job = std::move(**found);
    if (core::is_finished(job.state))
      return Status::failed_precondition("job_finished", "Job " + std::to_string(id) + " has already " +
                                                             core::to_string(job.state) + " and cannot change.");
    MENTORING_RETURN_IF_ERROR(edit(job));
    return s.jobs.update(job, now);
  });
}

Result<Job> JobService::progress(std::int64_t id, std::int64_t done, std::int64_t total, const std::string& message) {
  MENTORING_RETURN_IF_ERROR(core::validate_job_progress(done, total));
  MENTORING_RETURN_IF_ERROR(core::validate_job_message(message));
  return change(id, [&](Job& job) {
    job.state = core::JobState::kRunning;
    job.done = done;
    job.total = total;
    if (!message.empty()) job.message = message;
    return Status::ok();
  });
}

Result<Job> JobService::finish(std::int64_t id, const std::string& message) {
  MENTORING_RETURN_IF_ERROR(core::validate_job_message(message));
  const std::int64_t now = clock_.now_ms();
  return change(id, [&](Job& job) {
    job.state = core::JobState::kSucceeded;
    job.done = job.total;
    if (!message.empty()) job.message = message;
    job.finished_ms = now;
    return Status::ok();
  });
}

Result<Job> JobService::fail(std::int64_t id, const std::string& message) {
  MENTORING_RETURN_IF_ERROR(core::validate_job_message(message));
  const std::int64_t now = clock_.now_ms();
  return change(id, [&](Job& job) {
    job.state = core::JobState::kFailed;
    job.message = message;
    job.finished_ms = now;
    return Status::ok();
  });
}

Result<JobView> JobService::get(std::int64_t id) {
  auto job = in_transaction<Job>(db_, [&](core::Stores& s) -> Result<Job> {
    auto found = s.jobs.find(id);
    if (!found) return found.status();
    if (!*found) return job_not_found(id);
    return std::move(**found);
  });
  if (!job) return job.status();
  return view(std::move(job).value());
}

Result<std::vector<JobView>> JobService::recent(std::int64_t limit) {
  if (limit < 1 || limit > 100)
    return Status::invalid("limit_invalid", "The number of jobs to list must be between 1 and 100.", "limit");
  auto jobs = in_transaction<std::vector<Job>>(db_, [&](core::Stores& s) { return s.jobs.list_recent(limit); });
  if (!jobs) return jobs.status();
  std::vector<JobView> out;
  for (Job& j : *jobs) out.push_back(view(std::move(j)));
  return out;
}

}  // namespace mentoring::app
