// Bulk imports (app/bulk_import.h) run as background jobs, so a staff member
// uploading a large file gets a progress page (app/jobs.h) instead of a
// request that waits for the whole import.
//
//   auto job = imports.start({kind, schemeid, csv, /*dry_run=*/true, staff});
//   ... the job page polls jobs.get(job->id) ...
//   auto outcome = imports.find(job->id);        // the preview, once finished
//   auto applied = imports.apply(job->id, staff); // the same file, for real
//
// One worker thread runs the imports one after another, in the order they
// were started (SQLite has one writer anyway). The last kKeptUploads uploads
// and their reports are kept in memory, with the file of a dry run so that
// it can be applied without uploading it again; a restart forgets them, and
// the staff member uploads the file again.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

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

class ImportJobs {
 public:
  static constexpr std::size_t kKeptUploads = 8;
  static constexpr const char* kJobKind = "bulk_import";

  // Both must outlive this object. `limits` apply to every file.
  ImportJobs(BulkImportService& imports, JobService& jobs, core::CsvLimits limits = {});
  // Lets the running import finish, drops the queued ones (their jobs are
  // marked failed) and stops the worker.
  ~ImportJobs();
  ImportJobs(const ImportJobs&) = delete;
  ImportJobs& operator=(const ImportJobs&) = delete;

  // Queues the import and returns its job (queued). Errors: those of
  // JobService::create; invalid_argument "import_file_empty" for an empty
  // file; unavailable "import_queue_full" when kKeptUploads imports are
  // already waiting.
  core::Result<core::Job> start(ImportRequest request);

  // The outcome of import job `jobid`, if it is one of the kept ones.
  std::optional<ImportOutcome> find(std::int64_t jobid) const;

  // Applies the file of finished dry-run job `preview_jobid` as a new job.
  // NotFound "import_not_found" (unknown, forgotten, or not `ownerid`'s);
  // failed_precondition "import_not_previewed" (not a finished dry run),
  // "import_preview_has_errors" (its rows have errors: nothing would be
  // applied) or "import_already_applied" (returns nothing new: the earlier
  // job's id is in the message's place, see applied_by).
  core::Result<core::Job> apply(std::int64_t preview_jobid, std::int64_t ownerid);

 private:
  struct Entry {
    ImportRequest request;
    ImportOutcome outcome;
  };
  void run();
  void work(std::int64_t jobid);
  void forget_old();  // needs mu_

  BulkImportService& imports_;
  JobService& jobs_;
  core::CsvLimits limits_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::int64_t> queue_;
  std::map<std::int64_t, Entry> entries_;  // by job id; ids grow, so oldest first
  bool stopping_ = false;
  std::thread worker_;
};

// The job's one-line summary: "Preview of 1,204 rows: 1,180 to create, 20
// unchanged, 4 with errors" and the like.
std::string import_summary(const ImportReport& report);

}  // namespace mentoring::app
