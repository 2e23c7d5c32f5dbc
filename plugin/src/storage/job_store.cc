#include "storage/job_store.h"

#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::Job;
using core::Result;
using core::Status;

namespace {

constexpr const char* kColumns =
    "id, kind, ownerid, state, done, total, message, started_ms, updated_ms, finished_ms, timecreated, timemodified";

struct Row {
  Job j;
  std::string state;
  std::int64_t finished_ms = 0;
  soci::indicator finished_ind = soci::i_null;
};

void bind(soci::details::prepare_temp_type& p, Row& r) {
  p, soci::into(r.j.id), soci::into(r.j.kind), soci::into(r.j.ownerid), soci::into(r.state), soci::into(r.j.done),
      soci::into(r.j.total), soci::into(r.j.message), soci::into(r.j.started_ms), soci::into(r.j.updated_ms),
      soci::into(r.finished_ms, r.finished_ind), soci::into(r.j.timecreated), soci::into(r.j.timemodified);
}

Result<Job> to_job(const TxContext& tx, const Row& r) {
  Job j = r.j;
  auto state = core::parse_job_state(r.state);
  if (!state) return stored_value_invalid(tx.table("jobs"), "state", r.state);
  j.state = *state;
  if (r.finished_ind == soci::i_ok) j.finished_ms = r.finished_ms;
  return j;
}

}  // namespace

Result<Job> SociJobStore::create(const Job& job, std::int64_t now_ms) {
  return guarded(tx_, "creating a job", [&]() -> Result<Job> {
    if (!row_exists(tx_, "accounts", job.ownerid))
      return Status::not_found("account_not_found", "There is no account with that id.");
    const std::string state = core::to_string(job.state);
    const core::UnixSeconds now = now_ms / 1000;
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("jobs") +
                                " (kind, ownerid, state, done, total, message, started_ms, updated_ms, finished_ms,"
                                " timecreated, timemodified) VALUES (:k, :o, :s, :d, :t, :m, :sm, :um, NULL, :tc, :tm)"
                                " RETURNING " +
                                kColumns,
         soci::use(job.kind), soci::use(job.ownerid), soci::use(state), soci::use(job.done), soci::use(job.total),
         soci::use(job.message), soci::use(now_ms), soci::use(now_ms), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Creating a job returned no row.");
    return to_job(tx_, r);
  });
}

Result<std::optional<Job>> SociJobStore::find(std::int64_t id) {
  return guarded(tx_, "reading a job", [&]() -> Result<std::optional<Job>> {
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("jobs") + " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<Job>();
    auto job = to_job(tx_, r);
    if (!job) return job.status();
    return std::optional<Job>(std::move(job).value());
  });
}

Result<Job> SociJobStore::update(const Job& job, std::int64_t now_ms) {
  return guarded(tx_, "updating a job", [&]() -> Result<Job> {
    const std::string state = core::to_string(job.state);
    std::int64_t finished = job.finished_ms.value_or(0);
    soci::indicator find = job.finished_ms ? soci::i_ok : soci::i_null;
    const core::UnixSeconds now = now_ms / 1000;
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("jobs") +
                                " SET state = :s, done = :d, total = :t, message = :m, updated_ms = :um,"
                                " finished_ms = :fm, timemodified = :tm WHERE id = :id RETURNING " +
                                kColumns,
         soci::use(state), soci::use(job.done), soci::use(job.total), soci::use(job.message), soci::use(now_ms),
         soci::use(finished, find), soci::use(now), soci::use(job.id));
    bind(p, r);
    if (!fetch_one(p))
      return Status::not_found("job_not_found", "There is no job with id " + std::to_string(job.id) + ".");
    return to_job(tx_, r);
  });
}

Result<std::vector<Job>> SociJobStore::list_recent(std::int64_t limit) {
  return guarded(tx_, "listing jobs", [&]() -> Result<std::vector<Job>> {
    std::vector<Job> out;
    Row r;
    soci::statement st =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("jobs") +
                                " ORDER BY id DESC LIMIT :l",
         soci::use(limit), soci::into(r.j.id), soci::into(r.j.kind), soci::into(r.j.ownerid), soci::into(r.state),
         soci::into(r.j.done), soci::into(r.j.total), soci::into(r.j.message), soci::into(r.j.started_ms),
         soci::into(r.j.updated_ms), soci::into(r.finished_ms, r.finished_ind), soci::into(r.j.timecreated),
         soci::into(r.j.timemodified));
    st.execute();
    while (st.fetch()) {
      auto job = to_job(tx_, r);
      if (!job) return job.status();
      out.push_back(std::move(job).value());
    }
    return out;
  });
}

Result<bool> SociFormSubmissionStore::claim(const std::string& token_hash, std::int64_t accountid,
                                            core::UnixSeconds now) {
  if (token_hash.size() != 64)
    return Status::invalid("form_token_hash_invalid", "A form token hash must be 64 hex characters.");
  return guarded(tx_, "recording a form submission", [&]() -> Result<bool> {
    std::int64_t id = 0;
    // ON CONFLICT DO NOTHING returns no row for a token already recorded, on
    // both backends, without aborting a PostgreSQL transaction.
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("form_submissions") +
                                " (token_hash, accountid, timecreated, timemodified) VALUES (:h, :a, :tc, :tm)"
                                " ON CONFLICT (token_hash) DO NOTHING RETURNING id",
         soci::use(token_hash), soci::use(accountid), soci::use(now), soci::use(now), soci::into(id));
    return fetch_one(p);
  });
}

Result<std::int64_t> SociFormSubmissionStore::purge_before(core::UnixSeconds before) {
  return guarded(tx_, "purging form submissions", [&]() -> Result<std::int64_t> {
    soci::statement st = (tx_.sql.prepare << "DELETE FROM " + tx_.table("form_submissions") + " WHERE timecreated < :b",
                          soci::use(before));
    st.execute(true);
    return static_cast<std::int64_t>(st.get_affected_rows());
  });
}

}  // namespace mentoring::storage
