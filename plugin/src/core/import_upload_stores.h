// Storage port for bulk import uploads (app/import_jobs.h): each uploaded
// CSV, queued until a worker in some plugin instance claims it, then its
// report or file-level refusal, and, for a dry run without errors, the file
// kept until it is applied or forgotten.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/stores.h"

namespace mentoring::core {

enum class ImportUploadState { kQueued, kRunning, kFinished };
const char* to_string(ImportUploadState s);  // "queued", "running", "finished"

struct ImportUpload {
  std::int64_t jobid = 0;  // the job (core/jobs.h) that reports its progress
  std::string kind;        // "mentees", "mentors", "training"
  std::int64_t schemeid = 0;
  std::int64_t ownerid = 0;  // the staff account; the only one who sees it
  bool dry_run = true;
  ImportUploadState state = ImportUploadState::kQueued;
  int attempts = 0;  // how many times a worker claimed it
  std::string claimed_by;
  std::optional<UnixSeconds> claimed_at, heartbeat_at;
  std::int64_t file_bytes = 0;
  bool file_kept = false;
  // Set once finished: the report (JSON written by app/import_jobs.cc), or
  // the refusal of the whole file.
  std::string report;
  std::string failure_code, failure_message;
  bool can_apply = false;
  std::optional<std::int64_t> applied_by;  // the job that applied this preview
  std::optional<UnixSeconds> finished_at;
  UnixSeconds timecreated = 0;
};

// What a worker records when it has done an upload.
struct ImportUploadResult {
  std::string report;  // empty when the file was refused
  std::string failure_code, failure_message;
  bool can_apply = false;  // keeps the file for applying
};

class ImportUploadStore {
 public:
  virtual ~ImportUploadStore() = default;
  // Stores a queued upload for job `upload.jobid` (kind, schemeid, ownerid,
  // dry_run are read) with its file.
  virtual Status create(const ImportUpload& upload, const std::string& file, UnixSeconds now) = 0;
  // A new queued upload (job `jobid`, not a dry run) of the file kept by
  // `preview_jobid`, which is marked applied by it and no longer kept. False
  // (nothing written) unless the preview is finished, can be applied and was
  // not applied before: so of two instances applying one preview at once,
  // only one succeeds.
  virtual Result<bool> create_apply(std::int64_t preview_jobid, std::int64_t jobid, UnixSeconds now) = 0;
  virtual Result<std::optional<ImportUpload>> find(std::int64_t jobid) = 0;
  // The file of a queued or running upload, or of a preview kept for applying.
  virtual Result<std::optional<std::string>> file(std::int64_t jobid) = 0;
  // Ids of queued uploads, oldest first, at most `limit`.
  virtual Result<std::vector<std::int64_t>> list_queued(std::int64_t limit) = 0;
  // Queued -> running for `worker`, counting an attempt; false when it was
  // not queued (another worker claimed it first).
  virtual Result<bool> claim(std::int64_t jobid, const std::string& worker, UnixSeconds now) = 0;
  // The worker doing a claimed upload is still alive; false when the upload
  // is no longer running for `worker`.
  virtual Result<bool> heartbeat(std::int64_t jobid, const std::string& worker, UnixSeconds now) = 0;
  // Running (for `worker`) -> finished with `result`; the file is dropped
  // unless result.can_apply. False when it was not running for `worker`.
  virtual Result<bool> finish(std::int64_t jobid, const std::string& worker, const ImportUploadResult& result,
                              UnixSeconds now) = 0;
  // Running uploads not heard from since before `heartbeat_before`: those
  // claimed fewer than `max_attempts` times are queued again (returned in
  // `requeued`), the others finish with `failure` (returned in `failed`).
  // One conditional update each, so a recent heartbeat keeps an upload.
  struct Abandoned {
    std::vector<std::int64_t> requeued, failed;
  };
  virtual Result<Abandoned> recover_abandoned(UnixSeconds heartbeat_before, int max_attempts,
                                              const ImportUploadResult& failure, UnixSeconds now) = 0;
  // Drops the files of previews finished before `files_before` (they can no
  // longer be applied) and deletes uploads finished before `rows_before`.
  // Returns how many uploads were deleted.
  virtual Result<std::int64_t> forget(UnixSeconds files_before, UnixSeconds rows_before, UnixSeconds now) = 0;
};

}  // namespace mentoring::core
