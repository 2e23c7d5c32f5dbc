// Bulk imports (app/bulk_import.h) run as background jobs, so a staff member
// uploading a large file gets a progress page (app/jobs.h) instead of a
// request that waits for the whole import.
//
//   auto job = imports.start({kind, schemeid, csv, /*dry_run=*/true, staff});
//   ... the job page polls jobs.get(job->id) ...
//   auto outcome = imports.find(job->id);        // the preview, once finished
//   auto applied = imports.apply(job->id, staff); // the same file, for real
//
// Each upload is stored in the database (core/import_upload_stores.h) with
// its job, and a background worker (app/background_worker.h) in any plugin
// instance on the database claims it, does it and stores its report there.
// So any instance can show the preview and apply it, and a restart loses
// nothing: an upload whose worker stopped is queued again once (the import
// is one transaction, so nothing of the stopped attempt was kept), then
// failed. A dry run's file is kept for keep_file_seconds after its preview,
// so that it can be applied without uploading it again; reports are kept for
// keep_report_seconds.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "app/background_worker.h"
#include "app/bulk_import.h"
#include "app/jobs.h"

namespace mentoring::app {

struct ImportRequest {
  ImportKind kind = ImportKind::kMentees;
  std::int64_t schemeid = 0;  // the scheme whose page started it
  std::string csv;
  bool dry_run = true;
  std::int64_t ownerid = 0;  // the staff account; also the audit actor
};

// What became of an import job.
struct ImportOutcome {
  ImportKind kind = ImportKind::kMentees;
  std::int64_t schemeid = 0;
  std::int64_t ownerid = 0;
  bool dry_run = true;
  bool finished = false;
  // Set when finished: the report, or the file-level refusal (bad encoding,
  // missing columns, too large ...) or failure.
  std::optional<ImportReport> report;
  core::Status failure;
  // Set while a dry run's file is kept for applying.
  bool can_apply = false;
  // The job that applied this dry run's file, once it was asked to.
  std::optional<std::int64_t> applied_by;
};

struct ImportJobsOptions {
  // The worker's name (stored on the uploads it claims) and how often it
  // looks for uploads queued by other instances.
  BackgroundWorkerOptions worker{"imports", 2000};
  // Start the worker at construction. Off: another instance does the
  // imports (or a test calls worker().run_queued()).
  bool start_worker = true;
  // A claimed upload without a heartbeat this long counts as abandoned.
  core::UnixSeconds heartbeat_timeout = 300;
  // How long a preview's file is kept for applying, and a report for reading.
  core::UnixSeconds keep_file_seconds = 24 * 3600;
  core::UnixSeconds keep_report_seconds = 30 * 24 * 3600;
  core::CsvLimits limits;  // applied to every file
};

class ImportJobs final : public QueuedWork {
 public:
  // Uploads waiting at once, across every instance, before start() refuses.
  static constexpr std::int64_t kMaxQueued = 8;
  // Claims of one upload before an abandoned one is failed, not queued again.
  static constexpr int kMaxAttempts = 2;
  static constexpr const char* kJobKind = "bulk_import";

  // All must outlive this object.
  ImportJobs(core::Database& db, const core::Clock& clock, BulkImportService& imports, JobService& jobs,
             ImportJobsOptions options = {});
  // Lets the running import finish and stops the worker; queued uploads stay
  // queued for the next worker.
  ~ImportJobs() override;
  ImportJobs(const ImportJobs&) = delete;
  ImportJobs& operator=(const ImportJobs&) = delete;

  // Stores the upload with a new queued job, in one transaction, and tells
  // the worker. Errors: those of JobService::create; invalid_argument
  // "import_file_empty" for an empty file, "import_file_too_large" past
  // limits.max_bytes; unavailable "import_queue_full" when kMaxQueued
  // uploads are already waiting.
  core::Result<core::Job> start(ImportRequest request);

  // The outcome of import job `jobid`; none when it is not an import or
  // was forgotten.
  core::Result<std::optional<ImportOutcome>> find(std::int64_t jobid);

  // Applies the file of finished dry-run job `preview_jobid` as a new job.
  // NotFound "import_not_found" (unknown, forgotten, or not `ownerid`'s);
  // failed_precondition "import_not_previewed" (not a finished dry run, or
  // its file is no longer kept), "import_preview_has_errors" (its rows have
  // errors: nothing would be applied) or "import_already_applied" (see
  // applied_by).
  core::Result<core::Job> apply(std::int64_t preview_jobid, std::int64_t ownerid);

  // QueuedWork, for the worker.
  std::string_view queued_work_name() const override { return "import"; }
  // Queues again (or fails, after kMaxAttempts) uploads whose worker
  // stopped, and forgets old files and reports.
  core::Result<std::int64_t> fail_abandoned() override;
  core::Result<std::vector<std::int64_t>> queued(std::int64_t limit) override;
  // Claims upload `jobid` for `worker`, imports it and stores the outcome.
  core::Result<bool> execute(std::int64_t jobid, const std::string& worker) override;

  BackgroundWorker& worker() { return *worker_; }

 private:
  core::Database& db_;
  const core::Clock& clock_;
  BulkImportService& imports_;
  JobService& jobs_;
  ImportJobsOptions options_;
  std::unique_ptr<BackgroundWorker> worker_;  // last: stopped first
};

// The job's one-line summary: "Preview of 1,204 rows: 1,180 to create, 20
// unchanged, 4 with errors" and the like.
std::string import_summary(const ImportReport& report);

// The report as stored with its upload (JSON), and back. from_json fails
// with internal "import_report_invalid" on text it did not write.
std::string import_report_to_json(const ImportReport& report);
core::Result<ImportReport> import_report_from_json(std::string_view text);

}  // namespace mentoring::app
