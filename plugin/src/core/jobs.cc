#include "core/jobs.h"

namespace mentoring::core {

const char* to_string(JobState v) {
  switch (v) {
    case JobState::kQueued:
      return "queued";
    case JobState::kRunning:
      return "running";
    case JobState::kSucceeded:
      return "succeeded";
    case JobState::kFailed:
      return "failed";
  }
  return "queued";
}

std::optional<JobState> parse_job_state(std::string_view s) {
  for (JobState v : {JobState::kQueued, JobState::kRunning, JobState::kSucceeded, JobState::kFailed})
    if (s == to_string(v)) return v;
  return std::nullopt;
}

Status validate_job_kind(std::string_view kind) {
  bool ok = !kind.empty() && kind.size() <= kMaxJobKindLength;
  for (char c : kind) ok = ok && ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_');
  if (!ok)
    return Status::invalid("job_kind_invalid", "A job's kind must be 1 to 64 lower-case letters, digits or '_'.",
                           "kind");
  return Status::ok();
}

Status validate_job_message(std::string_view message) {
  bool ok = message.size() <= kMaxJobMessageLength;
  for (char c : message) ok = ok && !(static_cast<unsigned char>(c) < 0x20 || c == 0x7f);
  if (!ok)
    return Status::invalid("job_message_invalid",
                           "A job's message must be one line of at most 500 bytes without control characters.",
                           "message");
  return Status::ok();
}

Status validate_job_progress(std::int64_t done, std::int64_t total) {
  if (done < 0 || total < 0 || done > total)
    return Status::invalid("job_progress_invalid",
                           "A job's progress must have 0 <= done <= total (done " + std::to_string(done) + ", total " +
                               std::to_string(total) + ").",
                           "done");
  return Status::ok();
}

std::optional<std::int64_t> estimate_remaining_ms(const Job& job, std::int64_t now_ms) {
  if (is_finished(job.state) || job.total <= 0 || job.done <= 0) return std::nullopt;
  const std::int64_t elapsed = now_ms - job.started_ms;
  if (elapsed <= 0) return std::nullopt;
  const std::int64_t left = job.total - job.done;
  // elapsed * left can overflow for very long jobs with huge totals: use
  // floating point, the estimate is approximate anyway.
  const double ms = static_cast<double>(elapsed) / static_cast<double>(job.done) * static_cast<double>(left);
  // Absurd estimates (a first unit after a year of a trillion) are capped
  // rather than overflowing the conversion.
  constexpr double kCapMs = 1e15;  // about 31,000 years
  return static_cast<std::int64_t>(ms < kCapMs ? ms + 0.5 : kCapMs);
}

int percent_done(const Job& job) {
  if (is_finished(job.state)) return 100;
  if (job.total <= 0) return 0;
  return static_cast<int>(job.done * 100 / job.total);
}

}  // namespace mentoring::core
