#include "app/import_jobs.h"

#include <boost/json.hpp>
#include <utility>

#include "app/unit_of_work.h"
#include "core/import_upload_stores.h"

namespace mentoring::app {
using core::ImportUpload;
using core::ImportUploadResult;
using core::Result;
using core::Status;
namespace json = boost::json;

std::string import_summary(const ImportReport& r) {
  std::string out = r.dry_run ? "Preview of " : (r.applied ? "Imported " : "Not imported: ");
  out += std::to_string(r.rows_read) + " rows: " + std::to_string(r.created) + (r.dry_run ? " to create, " : " created, ") +
         std::to_string(r.updated) + (r.dry_run ? " to update, " : " updated, ") + std::to_string(r.unchanged) +
         " unchanged, " + std::to_string(r.error_count()) + " with errors";
  return out;
}

// ---- The stored report ----------------------------------------------------

std::string import_report_to_json(const ImportReport& r) {
  json::array rows;
  rows.reserve(r.rows.size());
  for (const ImportRowResult& x : r.rows)
    rows.push_back(json::object{{"row", x.row}, {"outcome", to_string(x.outcome)}, {"accountid", x.accountid},
                                {"detail", x.detail}});
  json::array errors;
  errors.reserve(r.errors.size());
  for (const core::CsvRowError& e : r.errors)
    errors.push_back(json::object{{"row", e.row}, {"column", e.column}, {"column_name", e.column_name},
                                  {"reason", e.reason}, {"message", e.message}});
  return json::serialize(json::object{{"kind", to_string(r.kind)},
                                      {"dry_run", r.dry_run},
                                      {"applied", r.applied},
                                      {"encoding", core::to_string(r.encoding)},
                                      {"rows_read", r.rows_read},
                                      {"created", r.created},
                                      {"updated", r.updated},
                                      {"unchanged", r.unchanged},
                                      {"rows", std::move(rows)},
                                      {"errors", std::move(errors)},
                                      {"errors_not_listed", r.errors_not_listed}});
}

namespace {

Status report_invalid(std::string_view why) {
  return Status::internal("import_report_invalid", "A stored import report could not be read: " + std::string(why));
}

// Reads the report written by import_report_to_json; any other shape is an
// error rather than a report with holes.
class ReportReader {
 public:
  explicit ReportReader(const json::object& o) : o_(o) {}
  Status error() const { return error_; }

  std::size_t count(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_number()) return fail(key), 0;
    std::error_code ec;
    auto n = v->to_number<std::uint64_t>(ec);
    if (ec) return fail(key), 0;
    return static_cast<std::size_t>(n);
  }
  std::int64_t integer(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    std::error_code ec;
    std::int64_t n = 0;
    if (v != nullptr) n = v->to_number<std::int64_t>(ec);
    if (v == nullptr || ec) fail(key);
    return n;
  }
  std::string text(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return fail(key), std::string();
    return std::string(v->as_string());
  }
  bool flag(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || !v->is_bool()) return fail(key), false;
    return v->as_bool();
  }
  const json::array* list(std::string_view key) {
    const json::value* v = o_.if_contains(key);
    if (v == nullptr || !v->is_array()) return fail(key), nullptr;
    return &v->as_array();
  }
  const json::object& top() const { return o_; }
  void fail(std::string_view key) {
    if (error_) error_ = report_invalid("\"" + std::string(key) + "\" is missing or of the wrong type.");
  }

 private:
  const json::object& o_;
  Status error_;
};

std::optional<RowOutcome> parse_row_outcome(std::string_view s) {
  for (auto o : {RowOutcome::kCreated, RowOutcome::kUpdated, RowOutcome::kUnchanged, RowOutcome::kError})
    if (s == to_string(o)) return o;
  return std::nullopt;
}

std::optional<core::CsvEncoding> parse_encoding(std::string_view s) {
  for (auto e : {core::CsvEncoding::kUtf8, core::CsvEncoding::kWindows1252})
    if (s == core::to_string(e)) return e;
  return std::nullopt;
}

}  // namespace

Result<ImportReport> import_report_from_json(std::string_view text) {
  std::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_object()) return report_invalid("it is not a JSON object.");
  ReportReader in(v.as_object());
  const json::object& o = in.top();
  ImportReport r;
  auto kind = parse_import_kind(in.text(o, "kind"));
  auto encoding = parse_encoding(in.text(o, "encoding"));
  if (!kind) in.fail("kind");
  if (!encoding) in.fail("encoding");
  r.kind = kind.value_or(ImportKind::kMentees);
  r.encoding = encoding.value_or(core::CsvEncoding::kUtf8);
  r.dry_run = in.flag("dry_run");
  r.applied = in.flag("applied");
  r.rows_read = in.count(o, "rows_read");
  r.created = in.count(o, "created");
  r.updated = in.count(o, "updated");
  r.unchanged = in.count(o, "unchanged");
  r.errors_not_listed = in.count(o, "errors_not_listed");
  if (const json::array* rows = in.list("rows")) {
    r.rows.reserve(rows->size());
    for (const json::value& x : *rows) {
      if (!x.is_object()) {
        in.fail("rows");
        break;
      }
      const json::object& row = x.as_object();
      ImportRowResult out;
      out.row = in.count(row, "row");
      auto outcome = parse_row_outcome(in.text(row, "outcome"));
      if (!outcome) in.fail("outcome");
      out.outcome = outcome.value_or(RowOutcome::kError);
      out.accountid = in.integer(row, "accountid");
      out.detail = in.text(row, "detail");
      r.rows.push_back(std::move(out));
    }
  }
  if (const json::array* errors = in.list("errors")) {
    r.errors.reserve(errors->size());
    for (const json::value& x : *errors) {
      if (!x.is_object()) {
        in.fail("errors");
        break;
      }
      const json::object& e = x.as_object();
      core::CsvRowError out;
      out.row = in.count(e, "row");
      out.column = in.count(e, "column");
      out.column_name = in.text(e, "column_name");
      out.reason = in.text(e, "reason");
      out.message = in.text(e, "message");
      r.errors.push_back(std::move(out));
    }
  }
  if (!in.error()) return in.error();
  return r;
}

// ---- Uploads and their worker ---------------------------------------------

namespace {

// A refusal as stored: "<code name>:<reason>" and its message.
std::string failure_code(const Status& st) { return std::string(core::code_name(st.code())) + ":" + st.reason(); }

Status failure_of(const ImportUpload& u) {
  const auto colon = u.failure_code.find(':');
  const std::string code = u.failure_code.substr(0, colon == std::string::npos ? 0 : colon);
  const std::string reason = colon == std::string::npos ? u.failure_code : u.failure_code.substr(colon + 1);
  for (int c = static_cast<int>(core::Code::kInvalidArgument); c <= static_cast<int>(core::Code::kInternal); ++c)
    if (code == core::code_name(static_cast<core::Code>(c)))
      return Status(static_cast<core::Code>(c), reason, u.failure_message);
  return Status::internal(reason.empty() ? "import_failed" : reason, u.failure_message);
}

Status not_kept() {
  return Status::not_found("import_not_found", "That preview is no longer kept; upload the file again to preview it.");
}

constexpr const char* kAbandonedMessage =
    "The server doing this import stopped twice before it finished; nothing was imported. Upload the file again.";
constexpr const char* kRequeuedMessage = "Waiting to start again: the server doing it stopped";
// How often a running import records that it is alive, at most.
constexpr std::int64_t kHeartbeatEveryMs = 5000;

}  // namespace

ImportJobs::ImportJobs(core::Database& db, const core::Clock& clock, BulkImportService& imports, JobService& jobs,
                       ImportJobsOptions options)
    : db_(db), clock_(clock), imports_(imports), jobs_(jobs), options_(std::move(options)) {
  if (options_.heartbeat_timeout < 30) options_.heartbeat_timeout = 30;
  worker_ = std::make_unique<BackgroundWorker>(*this, options_.worker);
  if (options_.start_worker) worker_->start();
}

ImportJobs::~ImportJobs() { worker_->stop(); }

Result<core::Job> ImportJobs::start(ImportRequest request) {
  if (request.csv.empty())
    return Status::invalid("import_file_empty", "The file is empty: choose a CSV file with a header row.", "file");
  if (request.csv.size() > options_.limits.max_bytes)
    return Status::resource_exhausted("csv_too_large", "The file is " + std::to_string(request.csv.size()) +
                                                           " bytes; the most that can be imported is " +
                                                           std::to_string(options_.limits.max_bytes) +
                                                           " bytes. Split it into smaller files.");
  const std::string message =
      std::string(request.dry_run ? "Preview of " : "Import of ") + to_string(request.kind) + " waiting to start";
  MENTORING_RETURN_IF_ERROR(core::validate_job_kind(kJobKind));
  MENTORING_RETURN_IF_ERROR(core::validate_job_message(message));
  const std::int64_t now_ms = clock_.now_ms();
  auto job = in_transaction<core::Job>(db_, [&](core::Stores& s) -> Result<core::Job> {
    auto waiting = s.import_uploads.list_queued(kMaxQueued);
    if (!waiting) return waiting.status();
    if (static_cast<std::int64_t>(waiting->size()) >= kMaxQueued)
      return Status::unavailable("import_queue_full",
                                 "Several imports are already waiting; try again when they have finished.");
    core::Job j;
    j.kind = kJobKind;
    j.ownerid = request.ownerid;
    j.message = message;
    auto made = s.jobs.create(j, now_ms);
    if (!made) return made.status();
    ImportUpload u;
    u.jobid = made->id;
    u.kind = to_string(request.kind);
    u.schemeid = request.schemeid;
    u.ownerid = request.ownerid;
    u.dry_run = request.dry_run;
    MENTORING_RETURN_IF_ERROR(s.import_uploads.create(u, request.csv, now_ms / 1000));
    return made;
  });
  if (job) worker_->notify();
  return job;
}

Result<std::optional<ImportOutcome>> ImportJobs::find(std::int64_t jobid) {
  std::optional<ImportUpload> upload;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto found = s.import_uploads.find(jobid);
    if (!found) return found.status();
    upload = std::move(found).value();
    return Status::ok();
  });
  if (!st) return st;
  if (!upload) return std::optional<ImportOutcome>();
  ImportOutcome o;
  auto kind = parse_import_kind(upload->kind);
  if (!kind) return report_invalid("the upload's kind is unknown.");
  o.kind = *kind;
  o.schemeid = upload->schemeid;
  o.ownerid = upload->ownerid;
  o.dry_run = upload->dry_run;
  o.finished = upload->state == core::ImportUploadState::kFinished;
  if (o.finished) {
    if (!upload->report.empty()) {
      auto report = import_report_from_json(upload->report);
      if (!report) return report.status();
      o.report = std::move(report).value();
    } else {
      o.failure = failure_of(*upload);
    }
  }
  o.can_apply = upload->can_apply && upload->file_kept && !upload->applied_by;
  o.applied_by = upload->applied_by;
  return std::optional<ImportOutcome>(std::move(o));
}

Result<core::Job> ImportJobs::apply(std::int64_t preview_jobid, std::int64_t ownerid) {
  auto found = find(preview_jobid);
  if (!found) return found.status();
  if (!*found || (*found)->ownerid != ownerid) return not_kept();
  const ImportOutcome& o = **found;
  if (!o.dry_run || !o.finished || !o.report)
    return Status::failed_precondition("import_not_previewed", "Only a finished preview can be applied.");
  if (o.report->error_count() > 0)
    return Status::failed_precondition("import_preview_has_errors",
                                       "The preview found rows with errors; fix them and upload the file again.");
  if (o.applied_by)
    return Status::failed_precondition("import_already_applied", "This preview has already been applied.");
  if (!o.can_apply)
    return Status::failed_precondition("import_not_previewed",
                                       "That preview's file is no longer kept; upload the file again to preview it.");
  const std::string message = std::string("Import of ") + to_string(o.kind) + " waiting to start";
  const std::int64_t now_ms = clock_.now_ms();
  auto job = in_transaction<core::Job>(db_, [&](core::Stores& s) -> Result<core::Job> {
    core::Job j;
    j.kind = kJobKind;
    j.ownerid = ownerid;
    j.message = message;
    auto made = s.jobs.create(j, now_ms);
    if (!made) return made.status();
    auto taken = s.import_uploads.create_apply(preview_jobid, made->id, now_ms / 1000);
    if (!taken) return taken.status();
    // Another request applied it (or it was forgotten) since it was read.
    if (!*taken)
      return Status::failed_precondition("import_already_applied", "This preview has already been applied.");
    return made;
  });
  if (job) worker_->notify();
  return job;
}

Result<std::int64_t> ImportJobs::fail_abandoned() {
  const core::UnixSeconds now = clock_.now();
  ImportUploadResult failure;
  failure.failure_code = "unavailable:import_abandoned";
  failure.failure_message = kAbandonedMessage;
  auto recovered = in_transaction<core::ImportUploadStore::Abandoned>(
      db_, [&](core::Stores& s) -> Result<core::ImportUploadStore::Abandoned> {
        auto r = s.import_uploads.recover_abandoned(now - options_.heartbeat_timeout, kMaxAttempts, failure, now);
        if (!r) return r.status();
        auto forgotten =
            s.import_uploads.forget(now - options_.keep_file_seconds, now - options_.keep_report_seconds, now);
        if (!forgotten) return forgotten.status();
        return r;
      });
  if (!recovered) return recovered.status();
  // The jobs say so too; a job that already ended is left as it is.
  for (std::int64_t id : recovered->requeued) (void)jobs_.progress(id, 0, 0, kRequeuedMessage);
  for (std::int64_t id : recovered->failed) (void)jobs_.fail(id, kAbandonedMessage);
  if (!recovered->requeued.empty()) worker_->notify();
  return static_cast<std::int64_t>(recovered->requeued.size() + recovered->failed.size());
}

Result<std::vector<std::int64_t>> ImportJobs::queued(std::int64_t limit) {
  return in_transaction<std::vector<std::int64_t>>(
      db_, [&](core::Stores& s) { return s.import_uploads.list_queued(limit); });
}

Result<bool> ImportJobs::execute(std::int64_t jobid, const std::string& worker) {
  std::optional<ImportUpload> upload;
  std::optional<std::string> file;
  const core::UnixSeconds claimed_at = clock_.now();
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto claimed = s.import_uploads.claim(jobid, worker, claimed_at);
    if (!claimed) return claimed.status();
    if (!*claimed) return Status::ok();
    auto found = s.import_uploads.find(jobid);
    if (!found) return found.status();
    upload = std::move(found).value();
    auto bytes = s.import_uploads.file(jobid);
    if (!bytes) return bytes.status();
    file = std::move(bytes).value();
    return Status::ok();
  });
  if (!st) return st;
  if (!upload) return false;  // another worker has it

  ImportUploadResult result;
  auto kind = parse_import_kind(upload->kind);
  Result<ImportReport> report = Status::internal("import_file_missing", "The uploaded file was not kept.");
  if (!kind) {
    report = report_invalid("the upload's kind is unknown.");
  } else if (file) {
    std::int64_t last_beat = clock_.now_ms();
    auto progress = [&](std::size_t done, std::size_t total, const std::string& message) {
      // Progress is for people watching; a failure to record it does not
      // stop the import.
      (void)jobs_.progress(jobid, static_cast<std::int64_t>(done), static_cast<std::int64_t>(total), message);
      const std::int64_t now_ms = clock_.now_ms();
      if (now_ms - last_beat < kHeartbeatEveryMs) return;
      last_beat = now_ms;
      (void)db_.transact([&](core::Stores& s) -> Status {
        auto beat = s.import_uploads.heartbeat(jobid, worker, now_ms / 1000);
        return beat ? Status::ok() : beat.status();
      });
    };
    (void)jobs_.progress(jobid, 0, 0, "Reading the file");
    report = imports_.run(*kind, *file, upload->dry_run, core::Actor::account(upload->ownerid), options_.limits,
                          progress);
  }
  std::string message;
  bool succeeded = false;
  if (report) {
    message = import_summary(*report);
    // An import whose rows had errors wrote nothing: the job failed.
    succeeded = report->dry_run || report->applied;
    result.report = import_report_to_json(*report);
    result.can_apply = report->dry_run && report->error_count() == 0;
  } else {
    message = report.status().message();
    if (message.size() > core::kMaxJobMessageLength) message.resize(core::kMaxJobMessageLength);
    result.failure_code = failure_code(report.status());
    result.failure_message = report.status().message();
  }
  // The outcome is stored before the job says it is over, so a page that
  // reloads when the job ends always finds the report.
  auto stored = in_transaction<bool>(db_, [&](core::Stores& s) {
    return s.import_uploads.finish(jobid, worker, result, clock_.now());
  });
  if (!stored) return stored.status();
  // False: the upload was taken from this worker as abandoned, and queued
  // again; the next attempt reports on the job.
  if (!*stored) return true;
  if (succeeded)
    (void)jobs_.finish(jobid, message);
  else
    (void)jobs_.fail(jobid, message);
  return true;
}

}  // namespace mentoring::app
