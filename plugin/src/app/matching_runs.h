// Use cases for matching runs: an administrator runs the engine
// (core/matching/engine.h) over a cohort, reviews the proposals with their
// explanations, pins or bans pairs for the next run, and publishes a run,
// which turns its proposals into active pairings. Hybrid runs store a
// shortlist per mentee with a choice deadline; mentees choose through
// app/matching_pairings.h, and after the deadline a fallback run assigns
// everyone left for the administrator to confirm.
//
// What the engine is given comes only from the cohort's enrolments, mentee
// and mentor profiles, mentor training and the scheme's mentor rules, the
// mentors' current load, pins and bans, and earlier pairings that ended "not a
// good fit". Demographic monitoring data is never read here.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/background_worker.h"
#include "app/jobs.h"
#include "core/clock.h"
#include "core/matching/engine.h"
#include "core/matching_stores.h"
#include "core/stores.h"

namespace mentoring::app {

inline constexpr int kDefaultChoiceDays = 14;
inline constexpr int kMaxChoiceDays = 90;
// A queued run that no worker has claimed this long after it started was
// abandoned (every instance died before taking it): it is marked failed.
inline constexpr core::UnixSeconds kStaleRunSeconds = 3600;
// A claimed run whose worker has not recorded a heartbeat for this long is
// taken to be abandoned (its process died) and marked failed. The worker
// records one at least every fifth of this time while it works.
inline constexpr core::UnixSeconds kDefaultRunHeartbeatTimeout = 300;
inline constexpr core::UnixSeconds kMinRunHeartbeatTimeout = 30;
inline constexpr core::UnixSeconds kMaxRunHeartbeatTimeout = 3600;

struct RunOptions {
  core::RunModel model = core::RunModel::kAssigned;  // assigned or hybrid (fallback: resolve_hybrid)
  core::matching::AssignedMode mode = core::matching::AssignedMode::kOptimal;
  // Criterion weights as staff write them: {"topics", "must"}, {"languages", "0"}.
  std::vector<std::pair<std::string, std::string>> weights;
  int candidates_per_mentee = 50;        // 1..1000
  int shortlist_size = 3;                // hybrid: 1..10
  int choice_days = kDefaultChoiceDays;  // hybrid: days until the choice deadline, 1..90
  // Staff account to report progress against (app/jobs.h), or 0 for none.
  std::int64_t requested_by = 0;
};

// Reasons: "run_model_invalid", "candidates_per_mentee_invalid",
// "choice_days_invalid", and the engine's "criterion_unknown",
// "weight_invalid", "weights_all_zero", "shortlist_size_invalid".
core::Status validate(const RunOptions& options);

struct RunView {
  core::MatchingRunRecord run;
  std::vector<core::Proposal> proposals;       // by mentee id
  std::vector<core::ShortlistRow> shortlists;  // hybrid: by mentee id, then rank
  std::optional<std::int64_t> jobid;           // progress, when reported
};

// Why one proposal could not be published.
struct PublishConflict {
  std::int64_t menteeid = 0;
  std::int64_t mentorid = 0;
  // "mentee_left", "mentor_left", "mentee_already_paired", "mentor_full",
  // "mentor_profile_missing".
  std::string reason;
  std::string message;
};

struct PublishOutcome {
  bool published = false;
  core::MatchingRunRecord run;
  std::vector<core::Pairing> pairings;     // made, when published
  std::vector<PublishConflict> conflicts;  // why not, when not; nothing changed
};

class MatchingService final : public QueuedWork {
 public:
  MatchingService(core::Database& db, const core::Clock& clock) : db_(db), clock_(clock) {}
  // Reports run progress through `jobs` (may be null) when a run names the
  // account that asked for it. `jobs` must outlive this service.
  void set_jobs(JobService* jobs) { jobs_ = jobs; }
  // Background runs (app/matching_worker.h). With `notify` set, start_run
  // and resolve_hybrid record the run as running and queued (with its job,
  // when a staff account asked for it), call `notify` and return at once;
  // a worker then calls execute(). Without it they do the run before
  // returning. Set before the service is shared between threads.
  void set_background(std::function<void()> notify) { background_ = std::move(notify); }
  // How long a claimed run may go without a heartbeat before it counts as
  // abandoned (clamped to 30..3600 seconds; default 300). Set before the
  // service is shared between threads.
  void set_heartbeat_timeout(core::UnixSeconds seconds);
  core::UnixSeconds heartbeat_timeout() const { return heartbeat_timeout_; }
  // Marks failed (with their jobs) the runs of every cohort whose worker
  // stopped: claimed runs without a heartbeat for heartbeat_timeout(), and
  // runs still queued kStaleRunSeconds after they started. Safe with several
  // instances on one database: a run whose worker is alive keeps its
  // heartbeat recent and is never failed. Returns how many were failed.
  // Called by each start and by the background worker on every round.
  core::Result<std::int64_t> fail_abandoned() override;
  // Claims the queued run for `worker` (at most 100 characters) and does
  // it: loads the inputs, runs the engine, stores the result, reporting
  // progress on the run's job. False when the run was not queued (another
  // worker claimed it first, or it finished). A run that fails is stored as
  // failed, with its job, and counts as done (true).
  core::Result<bool> execute(std::int64_t runid, const std::string& worker) override;
  // Queued runs in every cohort, oldest first, at most `limit`.
  core::Result<std::vector<std::int64_t>> queued(std::int64_t limit) override;
  std::string_view queued_work_name() const override { return "matching run"; }

  // Runs the engine over the cohort's unpaired mentees and stores the run
  // with its report and proposals (assigned) or shortlists (hybrid) in one
  // transaction; earlier unpublished runs become "superseded". In the
  // background (set_background) the run comes back "running" with its jobid
  // and these steps follow in the worker. NotFound
  // "cohort_not_found"; Conflict "matching_run_in_progress" while another run
  // of the cohort is running; the engine's reasons (e.g.
  // "pin_conflicts_with_constraint") when the inputs are refused, after which
  // the run is stored as failed.
  core::Result<RunView> start_run(std::int64_t cohortid, const RunOptions& options);
  // Hybrid, after the choice deadline: assigns every mentee still unpaired
  // optimally, as a "fallback" run for the administrator to publish.
  // failed_precondition "run_not_hybrid", "choice_deadline_not_passed".
  core::Result<RunView> resolve_hybrid(std::int64_t runid);
  // NotFound "run_not_found".
  core::Result<RunView> get_run(std::int64_t runid);
  core::Result<std::vector<core::MatchingRunRecord>> runs(std::int64_t cohortid);

  // Turns a ready run's proposals into active pairings, all or none. When
  // any proposal has become impossible, nothing changes and the outcome
  // lists every conflict. failed_precondition "run_not_ready". A hybrid
  // run's proposals are its pins; publishing it keeps its shortlists open.
  core::Result<PublishOutcome> publish(std::int64_t runid);
  // A ready run is set aside; published pairings are untouched.
  core::Result<core::MatchingRunRecord> discard(std::int64_t runid);

  // Pins or bans a pair for the cohort's next runs, replacing any earlier
  // rule on the pair. Checks both are enrolled in the cohort in those roles;
  // a mentee may have one pin ("mentee_already_pinned").
  core::Result<core::PairRule> set_rule(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid,
                                        core::RuleKind kind);
  core::Result<std::vector<core::PairRule>> rules(std::int64_t cohortid);
  // NotFound "rule_not_found".
  core::Status remove_rule(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid);

 private:
  core::Result<RunView> run(std::int64_t cohortid, const RunOptions& options, std::optional<std::int64_t> parentid);
  // Does a claimed run; returns why it failed (already recorded).
  core::Status perform(const core::MatchingRunRecord& run);
  core::Database& db_;
  const core::Clock& clock_;
  JobService* jobs_ = nullptr;
  std::function<void()> background_;
  core::UnixSeconds heartbeat_timeout_ = kDefaultRunHeartbeatTimeout;
};

}  // namespace mentoring::app
