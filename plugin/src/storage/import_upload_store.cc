#include "storage/base64.h"
#include "storage/import_upload_soci_store.h"

namespace mentoring::storage {
using core::ImportUpload;
using core::ImportUploadState;
using core::Result;
using core::Status;

namespace {

std::optional<ImportUploadState> parse_state(std::string_view s) {
  for (auto v : {ImportUploadState::kQueued, ImportUploadState::kRunning, ImportUploadState::kFinished})
    if (s == core::to_string(v)) return v;
  return std::nullopt;
}

std::optional<std::int64_t> opt(std::int64_t v, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<std::int64_t>(v) : std::nullopt;
}

// The ids an UPDATE ... RETURNING jobid gave back.
std::vector<std::int64_t> returned_ids(soci::statement& st, const std::int64_t& id) {
  std::vector<std::int64_t> out;
  st.execute();
  while (st.fetch()) out.push_back(id);
  return out;
}

}  // namespace

Status SociImportUploadStore::create(const ImportUpload& u, const std::string& file, core::UnixSeconds now) {
  return guarded(tx_, "storing an import upload", [&]() -> Status {
    const int dry = u.dry_run ? 1 : 0;
    const std::string encoded = encode_base64(file);
    const auto bytes = static_cast<std::int64_t>(file.size());
    tx_.sql << "INSERT INTO " + tx_.table("import_uploads") +
                   " (jobid, kind, schemeid, ownerid, dry_run, state, file_base64, file_bytes, timecreated,"
                   " timemodified) VALUES (:j, :k, :s, :o, :d, 'queued', :f, :b, :tc, :tm)",
        soci::use(u.jobid), soci::use(u.kind), soci::use(u.schemeid), soci::use(u.ownerid), soci::use(dry),
        soci::use(encoded), soci::use(bytes), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<bool> SociImportUploadStore::create_apply(std::int64_t preview, std::int64_t jobid, core::UnixSeconds now) {
  return guarded(tx_, "applying an import preview", [&]() -> Result<bool> {
    // The preview is taken first, with a conditional update, so that two
    // applies of one preview cannot both get past it.
    std::int64_t taken = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("import_uploads") +
                                " SET applied_by = :a, timemodified = :tm WHERE jobid = :p AND state = 'finished'"
                                " AND dry_run = 1 AND can_apply = 1 AND applied_by IS NULL AND file_base64 IS NOT"
                                " NULL RETURNING jobid",
         soci::use(jobid), soci::use(now), soci::use(preview), soci::into(taken));
    if (!fetch_one(p)) return false;
    const std::string t = tx_.table("import_uploads");
    tx_.sql << "INSERT INTO " + t +
                   " (jobid, kind, schemeid, ownerid, dry_run, state, file_base64, file_bytes, timecreated,"
                   " timemodified) SELECT :j, kind, schemeid, ownerid, 0, 'queued', file_base64, file_bytes, :tc, :tm"
                   " FROM " + t + " WHERE jobid = :p",
        soci::use(jobid), soci::use(now), soci::use(now), soci::use(preview);
    tx_.sql << "UPDATE " + t + " SET can_apply = 0, file_base64 = NULL WHERE jobid = :p", soci::use(preview);
    return true;
  });
}

Result<std::optional<ImportUpload>> SociImportUploadStore::find(std::int64_t jobid) {
  return guarded(tx_, "reading an import upload", [&]() -> Result<std::optional<ImportUpload>> {
    ImportUpload u;
    std::string state, report;
    int dry = 0, kept = 0, can_apply = 0;
    std::int64_t claimed_at = 0, heartbeat_at = 0, applied_by = 0, finished_at = 0;
    soci::indicator claimed_ind = soci::i_null, heartbeat_ind = soci::i_null, applied_ind = soci::i_null,
                    finished_ind = soci::i_null, report_ind = soci::i_null;
    if (!fetch_one((tx_.sql.prepare << "SELECT jobid, kind, schemeid, ownerid, dry_run, state, attempts, claimed_by,"
                                       " claimed_at, heartbeat_at, file_bytes, CASE WHEN file_base64 IS NULL THEN 0"
                                       " ELSE 1 END, report, failure_code, failure_message, can_apply, applied_by,"
                                       " finished_at, timecreated FROM " + tx_.table("import_uploads") +
                                       " WHERE jobid = :j",
                    soci::use(jobid), soci::into(u.jobid), soci::into(u.kind), soci::into(u.schemeid),
                    soci::into(u.ownerid), soci::into(dry), soci::into(state), soci::into(u.attempts),
                    soci::into(u.claimed_by), soci::into(claimed_at, claimed_ind),
                    soci::into(heartbeat_at, heartbeat_ind), soci::into(u.file_bytes), soci::into(kept),
                    soci::into(report, report_ind), soci::into(u.failure_code), soci::into(u.failure_message),
                    soci::into(can_apply), soci::into(applied_by, applied_ind), soci::into(finished_at, finished_ind),
                    soci::into(u.timecreated))))
      return std::optional<ImportUpload>();
    auto parsed = parse_state(state);
    if (!parsed) return stored_value_invalid(tx_.table("import_uploads"), "state", state);
    u.state = *parsed;
    u.dry_run = dry != 0;
    u.file_kept = kept != 0;
    u.can_apply = can_apply != 0;
    if (report_ind == soci::i_ok) u.report = std::move(report);
    u.claimed_at = opt(claimed_at, claimed_ind);
    u.heartbeat_at = opt(heartbeat_at, heartbeat_ind);
    u.applied_by = opt(applied_by, applied_ind);
    u.finished_at = opt(finished_at, finished_ind);
    return std::optional<ImportUpload>(std::move(u));
  });
}

Result<std::optional<std::string>> SociImportUploadStore::file(std::int64_t jobid) {
  return guarded(tx_, "reading an import upload's file", [&]() -> Result<std::optional<std::string>> {
    std::string encoded;
    soci::indicator ind = soci::i_null;
    if (!fetch_one((tx_.sql.prepare << "SELECT file_base64 FROM " + tx_.table("import_uploads") + " WHERE jobid = :j",
                    soci::use(jobid), soci::into(encoded, ind))) ||
        ind != soci::i_ok)
      return std::optional<std::string>();
    auto decoded = decode_base64(encoded);
    if (!decoded) return stored_value_invalid(tx_.table("import_uploads"), "file_base64", "(not base64)");
    return std::optional<std::string>(std::move(decoded));
  });
}

Result<std::vector<std::int64_t>> SociImportUploadStore::list_queued(std::int64_t limit) {
  return guarded(tx_, "listing queued imports", [&]() -> Result<std::vector<std::int64_t>> {
    std::int64_t id = 0;
    soci::statement st = (tx_.sql.prepare << "SELECT jobid FROM " + tx_.table("import_uploads") +
                                                 " WHERE state = 'queued' ORDER BY jobid LIMIT :n",
                          soci::use(limit), soci::into(id));
    return returned_ids(st, id);
  });
}

Result<bool> SociImportUploadStore::claim(std::int64_t jobid, const std::string& worker, core::UnixSeconds now) {
  return guarded(tx_, "claiming an import", [&]() -> Result<bool> {
    std::int64_t id = 0;
    return fetch_one((tx_.sql.prepare << "UPDATE " + tx_.table("import_uploads") +
                                             " SET state = 'running', attempts = attempts + 1, claimed_by = :w,"
                                             " claimed_at = :c, heartbeat_at = :h, timemodified = :tm WHERE"
                                             " jobid = :j AND state = 'queued' RETURNING jobid",
                      soci::use(worker), soci::use(now), soci::use(now), soci::use(now), soci::use(jobid),
                      soci::into(id)));
  });
}

Result<bool> SociImportUploadStore::heartbeat(std::int64_t jobid, const std::string& worker, core::UnixSeconds now) {
  return guarded(tx_, "recording an import's heartbeat", [&]() -> Result<bool> {
    std::int64_t id = 0;
    return fetch_one((tx_.sql.prepare << "UPDATE " + tx_.table("import_uploads") +
                                             " SET heartbeat_at = :h WHERE jobid = :j AND state = 'running' AND"
                                             " claimed_by = :w RETURNING jobid",
                      soci::use(now), soci::use(jobid), soci::use(worker), soci::into(id)));
  });
}

Result<bool> SociImportUploadStore::finish(std::int64_t jobid, const std::string& worker,
                                           const core::ImportUploadResult& r, core::UnixSeconds now) {
  return guarded(tx_, "recording an import's outcome", [&]() -> Result<bool> {
    std::int64_t id = 0;
    const int can_apply = r.can_apply ? 1 : 0;
    soci::indicator report_ind = r.report.empty() ? soci::i_null : soci::i_ok;
    return fetch_one((tx_.sql.prepare << "UPDATE " + tx_.table("import_uploads") +
                                             " SET state = 'finished', report = :r, failure_code = :fc,"
                                             " failure_message = :fm, can_apply = :ca, file_base64 = CASE WHEN"
                                             " :keep = 1 THEN file_base64 ELSE NULL END, finished_at = :f,"
                                             " timemodified = :tm WHERE jobid = :j AND state = 'running' AND"
                                             " claimed_by = :w RETURNING jobid",
                      soci::use(r.report, report_ind), soci::use(r.failure_code), soci::use(r.failure_message),
                      soci::use(can_apply), soci::use(can_apply), soci::use(now), soci::use(now), soci::use(jobid),
                      soci::use(worker), soci::into(id)));
  });
}

Result<core::ImportUploadStore::Abandoned> SociImportUploadStore::recover_abandoned(
    core::UnixSeconds heartbeat_before, int max_attempts, const core::ImportUploadResult& failure,
    core::UnixSeconds now) {
  return guarded(tx_, "recovering abandoned imports", [&]() -> Result<Abandoned> {
    Abandoned out;
    const std::string t = tx_.table("import_uploads");
    std::int64_t id = 0;
    // Each a single statement: the heartbeat is checked against the row as
    // it is when updated, so one that lands first keeps the upload.
    soci::statement requeue =
        (tx_.sql.prepare << "UPDATE " + t +
                                " SET state = 'queued', claimed_by = '', claimed_at = NULL, heartbeat_at = NULL,"
                                " timemodified = :tm WHERE state = 'running' AND COALESCE(heartbeat_at, claimed_at,"
                                " 0) < :hb AND attempts < :n RETURNING jobid",
         soci::use(now), soci::use(heartbeat_before), soci::use(max_attempts), soci::into(id));
    out.requeued = returned_ids(requeue, id);
    soci::statement fail =
        (tx_.sql.prepare << "UPDATE " + t +
                                " SET state = 'finished', failure_code = :fc, failure_message = :fm, can_apply = 0,"
                                " file_base64 = NULL, finished_at = :f, timemodified = :tm WHERE state = 'running'"
                                " AND COALESCE(heartbeat_at, claimed_at, 0) < :hb RETURNING jobid",
         soci::use(failure.failure_code), soci::use(failure.failure_message), soci::use(now), soci::use(now),
         soci::use(heartbeat_before), soci::into(id));
    out.failed = returned_ids(fail, id);
    return out;
  });
}

Result<std::int64_t> SociImportUploadStore::forget(core::UnixSeconds files_before, core::UnixSeconds rows_before,
                                                   core::UnixSeconds now) {
  return guarded(tx_, "forgetting old imports", [&]() -> Result<std::int64_t> {
    const std::string t = tx_.table("import_uploads");
    tx_.sql << "UPDATE " + t +
                   " SET can_apply = 0, file_base64 = NULL, timemodified = :tm WHERE state = 'finished' AND"
                   " finished_at < :f AND file_base64 IS NOT NULL",
        soci::use(now), soci::use(files_before);
    std::int64_t id = 0;
    soci::statement del = (tx_.sql.prepare << "DELETE FROM " + t +
                                                  " WHERE state = 'finished' AND finished_at < :r RETURNING jobid",
                           soci::use(rows_before), soci::into(id));
    return static_cast<std::int64_t>(returned_ids(del, id).size());
  });
}

}  // namespace mentoring::storage
