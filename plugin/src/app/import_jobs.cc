#include "app/import_jobs.h"

#include <utility>

namespace mentoring::app {
using core::Result;
using core::Status;

std::string import_summary(const ImportReport& r) {
  std::string out = r.dry_run ? "Preview of " : (r.applied ? "Imported " : "Not imported: ");
  out += std::to_string(r.rows_read) + " rows: " + std::to_string(r.created) + (r.dry_run ? " to create, " : " created, ") +
         std::to_string(r.updated) + (r.dry_run ? " to update, " : " updated, ") + std::to_string(r.unchanged) +
         " unchanged, " + std::to_string(r.error_count()) + " with errors";
  return out;
}

ImportJobs::ImportJobs(BulkImportService& imports, JobService& jobs, core::CsvLimits limits)
    : imports_(imports), jobs_(jobs), limits_(limits) {
  worker_ = std::thread([this] { run(); });
}

ImportJobs::~ImportJobs() {
  std::deque<std::int64_t> dropped;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    dropped.swap(queue_);
  }
  wake_.notify_all();
  if (worker_.joinable()) worker_.join();
  for (std::int64_t id : dropped) {
    // Best effort: the database may be going away too.
    (void)jobs_.fail(id, "The server stopped before this import started; upload the file again.");
  }
}

Result<core::Job> ImportJobs::start(ImportRequest request) {
  if (request.csv.empty())
    return Status::invalid("import_file_empty", "The file is empty: choose a CSV file with a header row.", "file");
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= kKeptUploads)
      return Status::unavailable("import_queue_full",
                                 "Several imports are already waiting; try again when they have finished.");
  }
  auto job = jobs_.create(kJobKind, request.ownerid, 0,
                          std::string(request.dry_run ? "Preview of " : "Import of ") + to_string(request.kind) +
                              " waiting to start");
  if (!job) return job.status();
  {
    std::lock_guard<std::mutex> lock(mu_);
    Entry e;
    e.outcome.kind = request.kind;
    e.outcome.schemeid = request.schemeid;
    e.outcome.ownerid = request.ownerid;
    e.outcome.dry_run = request.dry_run;
    e.request = std::move(request);
    entries_.emplace(job->id, std::move(e));
    queue_.push_back(job->id);
    forget_old();
  }
  wake_.notify_one();
  return job;
}

std::optional<ImportOutcome> ImportJobs::find(std::int64_t jobid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(jobid);
  if (it == entries_.end()) return std::nullopt;
  return it->second.outcome;
}

Result<core::Job> ImportJobs::apply(std::int64_t preview_jobid, std::int64_t ownerid) {
  ImportRequest again;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(preview_jobid);
    if (it == entries_.end() || it->second.outcome.ownerid != ownerid)
      return Status::not_found("import_not_found",
                               "That preview is no longer kept; upload the file again to preview it.");
    const ImportOutcome& o = it->second.outcome;
    if (!o.dry_run || !o.finished || !o.report || !o.can_apply)
      return Status::failed_precondition("import_not_previewed", "Only a finished preview can be applied.");
    if (o.report->error_count() > 0)
      return Status::failed_precondition("import_preview_has_errors",
                                         "The preview found rows with errors; fix them and upload the file again.");
    if (o.applied_by)
      return Status::failed_precondition("import_already_applied", "This preview has already been applied.");
    again = it->second.request;
    again.dry_run = false;
  }
  auto job = start(std::move(again));
  if (!job) return job.status();
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(preview_jobid);
  if (it != entries_.end()) {
    it->second.outcome.applied_by = job->id;
    // The file lives on in the apply job's entry.
    it->second.outcome.can_apply = false;
    it->second.request.csv.clear();
    it->second.request.csv.shrink_to_fit();
  }
  return job;
}

void ImportJobs::forget_old() {
  // Oldest first; never one that is queued or running.
  while (entries_.size() > kKeptUploads) {
    auto it = entries_.begin();
    while (it != entries_.end() && !it->second.outcome.finished) ++it;
    if (it == entries_.end()) return;
    entries_.erase(it);
  }
}

void ImportJobs::run() {
  for (;;) {
    std::int64_t jobid = 0;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      jobid = queue_.front();
      queue_.pop_front();
    }
    work(jobid);
  }
}

void ImportJobs::work(std::int64_t jobid) {
  ImportRequest request;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(jobid);
    if (it == entries_.end()) return;
    request = it->second.request;  // a copy: the entry may be read meanwhile
  }
  auto progress = [&](std::size_t done, std::size_t total, const std::string& message) {
    // Progress is for people watching; a failure to record it does not stop
    // the import.
    (void)jobs_.progress(jobid, static_cast<std::int64_t>(done), static_cast<std::int64_t>(total), message);
  };
  (void)jobs_.progress(jobid, 0, 0, "Reading the file");
  auto report = imports_.run(request.kind, request.csv, request.dry_run, core::Actor::account(request.ownerid),
                             limits_, progress);
  std::string message;
  bool succeeded = false;
  if (report) {
    message = import_summary(*report);
    // An import whose rows had errors wrote nothing: the job failed.
    succeeded = report->dry_run || report->applied;
  } else {
    message = report.status().message();
    if (message.size() > core::kMaxJobMessageLength) message.resize(core::kMaxJobMessageLength);
  }
  {
    // The outcome is in place before the job says it is over, so a page that
    // reloads when the job ends always finds the report.
    std::lock_guard<std::mutex> lock(mu_);
    auto it = entries_.find(jobid);
    if (it != entries_.end()) {
      ImportOutcome& o = it->second.outcome;
      o.finished = true;
      if (report) {
        o.report = std::move(report).value();
        o.can_apply = o.dry_run && o.report->error_count() == 0;
      } else {
        o.failure = report.status();
      }
      if (!o.can_apply) {
        it->second.request.csv.clear();
        it->second.request.csv.shrink_to_fit();
      }
      forget_old();
    }
  }
  if (succeeded)
    (void)jobs_.finish(jobid, message);
  else
    (void)jobs_.fail(jobid, message);
}

}  // namespace mentoring::app
