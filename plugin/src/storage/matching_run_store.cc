#include "storage/matching_soci_stores.h"
#include "storage/setup_soci_stores.h"

namespace mentoring::storage {
using core::MatchingRunRecord;
using core::PairRule;
using core::Proposal;
using core::Result;
using core::RunState;
using core::ShortlistRow;
using core::Status;

namespace {

constexpr const char* kRunColumns =
    "id, cohortid, model, state, parameters, report, error, choice_deadline, parentid, started_at, finished_at,"
    " published_at, timecreated, timemodified, jobid, claimed_by, claimed_at, heartbeat_at";

struct RunRow {
  std::int64_t id = 0, cohortid = 0;
  std::string model, state, parameters, report, error;
  std::int64_t choice_deadline = 0, parentid = 0, started_at = 0, finished_at = 0, published_at = 0;
  soci::indicator deadline_ind = soci::i_null, parent_ind = soci::i_null, finished_ind = soci::i_null,
                  published_ind = soci::i_null;
  std::int64_t timecreated = 0, timemodified = 0;
  std::int64_t jobid = 0, claimed_at = 0, heartbeat_at = 0;
  std::string claimed_by;
  soci::indicator job_ind = soci::i_null, claimed_ind = soci::i_null, heartbeat_ind = soci::i_null;
};

template <typename P>
void bind(P& p, RunRow& r) {
  p, soci::into(r.id), soci::into(r.cohortid), soci::into(r.model), soci::into(r.state), soci::into(r.parameters),
      soci::into(r.report), soci::into(r.error), soci::into(r.choice_deadline, r.deadline_ind),
      soci::into(r.parentid, r.parent_ind), soci::into(r.started_at), soci::into(r.finished_at, r.finished_ind),
      soci::into(r.published_at, r.published_ind), soci::into(r.timecreated), soci::into(r.timemodified),
      soci::into(r.jobid, r.job_ind), soci::into(r.claimed_by), soci::into(r.claimed_at, r.claimed_ind),
      soci::into(r.heartbeat_at, r.heartbeat_ind);
}

template <typename T>
std::optional<T> opt(const T& v, soci::indicator ind) {
  return ind == soci::i_ok ? std::optional<T>(v) : std::nullopt;
}

Result<MatchingRunRecord> to_run(const TxContext& tx, const RunRow& r) {
  const std::string table = tx.table("matching_runs");
  MatchingRunRecord run;
  run.id = r.id;
  run.cohortid = r.cohortid;
  auto model = core::parse_run_model(r.model);
  if (!model) return stored_value_invalid(table, "model", r.model);
  run.model = *model;
  auto state = core::parse_run_state(r.state);
  if (!state) return stored_value_invalid(table, "state", r.state);
  run.state = *state;
  run.parameters = r.parameters;
  run.report = r.report;
  run.error = r.error;
  run.choice_deadline = opt(r.choice_deadline, r.deadline_ind);
  run.parentid = opt(r.parentid, r.parent_ind);
  run.started_at = r.started_at;
  run.finished_at = opt(r.finished_at, r.finished_ind);
  run.published_at = opt(r.published_at, r.published_ind);
  run.timecreated = r.timecreated;
  run.timemodified = r.timemodified;
  run.jobid = opt(r.jobid, r.job_ind);
  run.claimed_by = r.claimed_by;
  run.claimed_at = opt(r.claimed_at, r.claimed_ind);
  run.heartbeat_at = opt(r.heartbeat_at, r.heartbeat_ind);
  return run;
}

Result<std::optional<MatchingRunRecord>> run_by_id(TxContext& tx, std::int64_t id) {
  RunRow r;
  soci::details::prepare_temp_type p = (tx.sql.prepare << std::string("SELECT ") + kRunColumns + " FROM " +
                                                              tx.table("matching_runs") + " WHERE id = :id",
                                        soci::use(id));
  bind(p, r);
  if (!fetch_one(p)) return std::optional<MatchingRunRecord>();
  auto run = to_run(tx, r);
  if (!run) return run.status();
  return std::optional<MatchingRunRecord>(std::move(run).value());
}

Status run_not_found() { return Status::not_found("run_not_found", "There is no matching run with that id."); }
Status run_in_progress() {
  return Status::conflict("matching_run_in_progress",
                          "A matching run is already in progress for this cohort; wait for it to finish.");
}

}  // namespace

Result<MatchingRunRecord> SociMatchingRunStore::begin(const MatchingRunRecord& run, core::UnixSeconds now) {
  Result<MatchingRunRecord> out = guarded(tx_, "starting a matching run", [&]() -> Result<MatchingRunRecord> {
    if (!row_exists(tx_, "cohorts", run.cohortid))
      return Status::not_found("cohort_not_found", "There is no cohort with that id.");
    int running = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("matching_runs") + " WHERE cohortid = :c AND state = 'running'",
        soci::use(run.cohortid), soci::into(running);
    if (running > 0) return run_in_progress();
    const std::string model = core::to_string(run.model);
    std::int64_t deadline = run.choice_deadline.value_or(0), parent = run.parentid.value_or(0);
    soci::indicator deadline_ind = run.choice_deadline ? soci::i_ok : soci::i_null;
    soci::indicator parent_ind = run.parentid ? soci::i_ok : soci::i_null;
    std::int64_t jobid = run.jobid.value_or(0);
    soci::indicator job_ind = run.jobid ? soci::i_ok : soci::i_null;
    RunRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("matching_runs") +
                                " (cohortid, model, state, parameters, report, error, choice_deadline, parentid,"
                                " started_at, timecreated, timemodified, jobid) VALUES (:cohortid, :model, 'running',"
                                " :parameters, '', '', :deadline, :parent, :started, :tc, :tm, :jobid) RETURNING " +
                                kRunColumns,
         soci::use(run.cohortid), soci::use(model), soci::use(run.parameters), soci::use(deadline, deadline_ind),
         soci::use(parent, parent_ind), soci::use(now), soci::use(now), soci::use(now), soci::use(jobid, job_ind));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("run_not_saved", "Saving the matching run returned no row.");
    return to_run(tx_, r);
  });
  // Two starts at once: the unique index on running runs stops the second.
  if (!out && out.status().code() == core::Code::kAlreadyExists) return run_in_progress();
  return out;
}

Result<std::optional<MatchingRunRecord>> SociMatchingRunStore::find(std::int64_t id) {
  return guarded(tx_, "reading a matching run", [&] { return run_by_id(tx_, id); });
}

Result<std::vector<MatchingRunRecord>> SociMatchingRunStore::list_by_cohort(std::int64_t cohortid) {
  return guarded(tx_, "listing matching runs", [&]() -> Result<std::vector<MatchingRunRecord>> {
    std::vector<MatchingRunRecord> out;
    RunRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kRunColumns + " FROM " + tx_.table("matching_runs") +
                                " WHERE cohortid = :c ORDER BY id DESC",
         soci::use(cohortid));
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) {
      auto run = to_run(tx_, r);
      if (!run) return run.status();
      out.push_back(std::move(run).value());
    }
    return out;
  });
}

Result<MatchingRunRecord> SociMatchingRunStore::transition(std::int64_t id, RunState from, RunState to,
                                                           core::UnixSeconds now) {
  return guarded(tx_, "changing a matching run's state", [&]() -> Result<MatchingRunRecord> {
    const std::string from_text = core::to_string(from), to_text = core::to_string(to);
    const int finishing = from == RunState::kRunning ? 1 : 0, publishing = to == RunState::kPublished ? 1 : 0;
    std::int64_t done = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("matching_runs") +
                                " SET state = :to, finished_at = CASE WHEN :f = 1 THEN :now1 ELSE finished_at END,"
                                " published_at = CASE WHEN :p = 1 THEN :now2 ELSE published_at END,"
                                " timemodified = :now3 WHERE id = :id AND state = :from RETURNING id",
         soci::use(to_text), soci::use(finishing), soci::use(now), soci::use(publishing), soci::use(now),
         soci::use(now), soci::use(id), soci::use(from_text), soci::into(done));
    if (!fetch_one(p)) {
      auto found = run_by_id(tx_, id);
      if (!found) return found.status();
      if (!*found) return run_not_found();
      return Status::conflict("run_state_changed", std::string("The matching run is ") +
                                                       core::to_string((*found)->state) + ", not " + from_text + ".");
    }
    auto after = run_by_id(tx_, id);
    if (!after) return after.status();
    return **after;
  });
}

Status SociMatchingRunStore::finish(std::int64_t id, const std::string& report, const std::vector<Proposal>& proposals,
                                    const std::vector<ShortlistRow>& shortlists, core::UnixSeconds now) {
  auto moved = transition(id, RunState::kRunning, RunState::kReady, now);
  if (!moved) return moved.status();
  return guarded(tx_, "saving a matching run's result", [&]() -> Status {
    tx_.sql << "UPDATE " + tx_.table("matching_runs") + " SET report = :report WHERE id = :id", soci::use(report),
        soci::use(id);
    for (const Proposal& x : proposals) {
      tx_.sql << "INSERT INTO " + tx_.table("matching_proposals") +
                     " (runid, menteeid, mentorid, score, source, explanation, timecreated, timemodified) VALUES"
                     " (:runid, :menteeid, :mentorid, :score, :source, :explanation, :tc, :tm)",
          soci::use(id), soci::use(x.menteeid), soci::use(x.mentorid), soci::use(x.score), soci::use(x.source),
          soci::use(x.explanation), soci::use(now), soci::use(now);
    }
    for (const ShortlistRow& x : shortlists) {
      const int strong = x.strong ? 1 : 0;
      tx_.sql << "INSERT INTO " + tx_.table("matching_shortlists") +
                     " (runid, menteeid, mentorid, rank, score, strong, timecreated, timemodified) VALUES"
                     " (:runid, :menteeid, :mentorid, :rank, :score, :strong, :tc, :tm)",
          soci::use(id), soci::use(x.menteeid), soci::use(x.mentorid), soci::use(x.rank), soci::use(x.score),
          soci::use(strong), soci::use(now), soci::use(now);
    }
    return Status::ok();
  });
}

Status SociMatchingRunStore::fail(std::int64_t id, const std::string& error, core::UnixSeconds now) {
  auto moved = transition(id, RunState::kRunning, RunState::kFailed, now);
  if (!moved) return moved.status();
  return guarded(tx_, "recording a failed matching run", [&]() -> Status {
    tx_.sql << "UPDATE " + tx_.table("matching_runs") + " SET error = :error WHERE id = :id", soci::use(error),
        soci::use(id);
    return Status::ok();
  });
}

Result<bool> SociMatchingRunStore::claim(std::int64_t id, const std::string& worker, core::UnixSeconds now) {
  return guarded(tx_, "claiming a matching run", [&]() -> Result<bool> {
    std::int64_t claimed = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("matching_runs") +
                                " SET claimed_by = :worker, claimed_at = :now, heartbeat_at = :hb, timemodified = :tm WHERE id = :id"
                                " AND state = 'running' AND claimed_at IS NULL RETURNING id",
         soci::use(worker), soci::use(now), soci::use(now), soci::use(now), soci::use(id), soci::into(claimed));
    return fetch_one(p);
  });
}

Result<std::vector<std::int64_t>> SociMatchingRunStore::list_unclaimed(std::int64_t limit) {
  return guarded(tx_, "listing queued matching runs", [&]() -> Result<std::vector<std::int64_t>> {
    std::vector<std::int64_t> out;
    std::int64_t id = 0;
    soci::statement st = (tx_.sql.prepare << "SELECT id FROM " + tx_.table("matching_runs") +
                                                 " WHERE state = 'running' AND claimed_at IS NULL ORDER BY id LIMIT :n",
                          soci::use(limit), soci::into(id));
    st.execute();
    while (st.fetch()) out.push_back(id);
    return out;
  });
}

Result<bool> SociMatchingRunStore::heartbeat(std::int64_t id, const std::string& worker, core::UnixSeconds now) {
  return guarded(tx_, "recording a matching run's heartbeat", [&]() -> Result<bool> {
    std::int64_t done = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("matching_runs") +
                                " SET heartbeat_at = :now WHERE id = :id AND state = 'running' AND claimed_by = :w AND"
                                " claimed_at IS NOT NULL RETURNING id",
         soci::use(now), soci::use(id), soci::use(worker), soci::into(done));
    return fetch_one(p);
  });
}

Result<std::vector<MatchingRunRecord>> SociMatchingRunStore::fail_abandoned(core::UnixSeconds heartbeat_before,
                                                                            core::UnixSeconds queued_before,
                                                                            const std::string& error,
                                                                            core::UnixSeconds now) {
  return guarded(tx_, "failing abandoned matching runs", [&]() -> Result<std::vector<MatchingRunRecord>> {
    std::vector<std::int64_t> ids;
    std::int64_t id = 0;
    // One statement: the condition is checked against the row as it is
    // when updated, so a heartbeat that lands first keeps the run alive.
    soci::statement st =
        (tx_.sql.prepare << "UPDATE " + tx_.table("matching_runs") +
                                " SET state = 'failed', error = :e, finished_at = :f, timemodified = :tm WHERE"
                                " state = 'running' AND ((claimed_at IS NOT NULL AND COALESCE(heartbeat_at, claimed_at)"
                                " < :hb) OR (claimed_at IS NULL AND started_at < :q)) RETURNING id",
         soci::use(error), soci::use(now), soci::use(now), soci::use(heartbeat_before), soci::use(queued_before),
         soci::into(id));
    st.execute();
    while (st.fetch()) ids.push_back(id);
    std::vector<MatchingRunRecord> out;
    for (std::int64_t x : ids) {
      auto run = run_by_id(tx_, x);
      if (!run) return run.status();
      if (*run) out.push_back(**run);
    }
    return out;
  });
}

Result<std::int64_t> SociMatchingRunStore::transition_all(std::int64_t cohortid, RunState from, RunState to,
                                                          core::UnixSeconds now) {
  return guarded(tx_, "changing matching runs' state", [&]() -> Result<std::int64_t> {
    const std::string from_text = core::to_string(from), to_text = core::to_string(to);
    std::int64_t id = 0, n = 0;
    soci::statement st =
        (tx_.sql.prepare << "UPDATE " + tx_.table("matching_runs") +
                                " SET state = :to, timemodified = :now WHERE cohortid = :c AND"
                                " state = :from RETURNING id",
         soci::use(to_text), soci::use(now), soci::use(cohortid), soci::use(from_text), soci::into(id));
    st.execute();
    while (st.fetch()) ++n;
    return n;
  });
}

Result<std::vector<Proposal>> SociMatchingRunStore::proposals(std::int64_t runid) {
  return guarded(tx_, "reading a run's proposals", [&]() -> Result<std::vector<Proposal>> {
    std::vector<Proposal> out;
    Proposal x;
    soci::statement st =
        (tx_.sql.prepare << "SELECT id, runid, menteeid, mentorid, score, source, explanation FROM " +
                                tx_.table("matching_proposals") + " WHERE runid = :runid ORDER BY menteeid",
         soci::use(runid), soci::into(x.id), soci::into(x.runid), soci::into(x.menteeid), soci::into(x.mentorid),
         soci::into(x.score), soci::into(x.source), soci::into(x.explanation));
    st.execute();
    while (st.fetch()) out.push_back(x);
    return out;
  });
}

Result<std::vector<ShortlistRow>> SociMatchingRunStore::shortlists(std::int64_t runid) {
  return guarded(tx_, "reading a run's shortlists", [&]() -> Result<std::vector<ShortlistRow>> {
    std::vector<ShortlistRow> out;
    ShortlistRow x;
    int strong = 0;
    soci::statement st =
        (tx_.sql.prepare << "SELECT menteeid, mentorid, rank, score, strong FROM " + tx_.table("matching_shortlists") +
                                " WHERE runid = :runid ORDER BY menteeid, rank",
         soci::use(runid), soci::into(x.menteeid), soci::into(x.mentorid), soci::into(x.rank), soci::into(x.score),
         soci::into(strong));
    st.execute();
    while (st.fetch()) {
      x.strong = strong != 0;
      out.push_back(x);
    }
    return out;
  });
}

Result<PairRule> SociMatchingRunStore::set_rule(const PairRule& rule, core::UnixSeconds now) {
  return guarded(tx_, "saving a pin or ban", [&]() -> Result<PairRule> {
    if (!row_exists(tx_, "enrolments", rule.menteeid) || !row_exists(tx_, "enrolments", rule.mentorid))
      return Status::not_found("enrolment_not_found", "There is no enrolment with that id.");
    const std::string kind = core::to_string(rule.kind);
    PairRule out = rule;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("matching_rules") +
                                " (cohortid, menteeid, mentorid, kind, timecreated, timemodified) VALUES (:c, :e, :r,"
                                " :kind, :tc, :tm) ON CONFLICT (cohortid, menteeid, mentorid) DO UPDATE SET"
                                " kind = excluded.kind, timemodified = excluded.timemodified RETURNING id, timecreated",
         soci::use(rule.cohortid), soci::use(rule.menteeid), soci::use(rule.mentorid), soci::use(kind), soci::use(now),
         soci::use(now), soci::into(out.id), soci::into(out.timecreated));
    if (!fetch_one(p)) return Status::internal("rule_not_saved", "Saving the pin or ban returned no row.");
    return out;
  });
}

Result<std::vector<PairRule>> SociMatchingRunStore::rules(std::int64_t cohortid) {
  return guarded(tx_, "reading pins and bans", [&]() -> Result<std::vector<PairRule>> {
    std::vector<PairRule> out;
    PairRule x;
    std::string kind;
    soci::statement st = (tx_.sql.prepare << "SELECT id, cohortid, menteeid, mentorid, kind, timecreated FROM " +
                                                 tx_.table("matching_rules") + " WHERE cohortid = :c ORDER BY id",
                          soci::use(cohortid), soci::into(x.id), soci::into(x.cohortid), soci::into(x.menteeid),
                          soci::into(x.mentorid), soci::into(kind), soci::into(x.timecreated));
    st.execute();
    while (st.fetch()) {
      auto k = core::parse_rule_kind(kind);
      if (!k) return stored_value_invalid(tx_.table("matching_rules"), "kind", kind);
      x.kind = *k;
      out.push_back(x);
    }
    return out;
  });
}

Result<bool> SociMatchingRunStore::remove_rule(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid) {
  return guarded(tx_, "removing a pin or ban", [&]() -> Result<bool> {
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "DELETE FROM " + tx_.table("matching_rules") +
                                " WHERE cohortid = :c AND menteeid = :e AND mentorid = :r RETURNING id",
         soci::use(cohortid), soci::use(menteeid), soci::use(mentorid), soci::into(id));
    return fetch_one(p);
  });
}

}  // namespace mentoring::storage
