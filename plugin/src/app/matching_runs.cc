#include "app/matching_runs.h"

#include <algorithm>
#include <boost/json.hpp>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "app/matching_pairings.h"
#include "app/unit_of_work.h"
#include "app/webhook_events.h"
#include "core/mentor_training.h"
#include "core/setup_stores.h"

namespace mentoring::app {
namespace json = boost::json;
namespace mm = core::matching;
using core::Result;
using core::Status;

namespace {

constexpr core::UnixSeconds kDay = 86400;
// Progress steps of a run: loading, matching, saving.
constexpr std::int64_t kRunSteps = 3;

unsigned mode_bits(core::MeetingMode m) {
  switch (m) {
    case core::MeetingMode::kInPerson:
      return mm::kInPerson;
    case core::MeetingMode::kVirtual:
      return mm::kVirtual;
    case core::MeetingMode::kNoPreference:
      break;
  }
  return mm::kAnyMode;
}

mm::LocationPreference location(core::LocationPreference p) {
  switch (p) {
    case core::LocationPreference::kLocal:
      return mm::LocationPreference::kLocal;
    case core::LocationPreference::kRemote:
      return mm::LocationPreference::kRemote;
    case core::LocationPreference::kNoPreference:
      break;
  }
  return mm::LocationPreference::kNoPreference;
}

int stage(core::CareerStage s) { return core::career_stage_rank(s).value_or(0); }

Result<std::vector<core::Enrolment>> all_enrolments(core::Stores& s, std::int64_t cohortid, core::Role role) {
  std::vector<core::Enrolment> out;
  for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
    auto page = s.enrolments.list_by_cohort(cohortid, role, core::Page{core::kMaxPageSize, offset});
    if (!page) return page.status();
    out.insert(out.end(), page->begin(), page->end());
    if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
  }
  return out;
}

struct Loaded {
  mm::MatchingInput input;
  int mentees_already_paired = 0;
  int mentees_without_profile = 0;
  int mentors_without_profile = 0;
};

// The engine's inputs for the cohort's unpaired mentees. Only matching
// fields are read: there is no path from demographic data to here.
Result<Loaded> load_inputs(core::Stores& s, const core::Cohort& cohort, core::UnixSeconds now) {
  Loaded out;
  const core::Date today = core::Date::from_unix(now);
  const core::Date start = std::max(today, cohort.starts_on);
  auto rules = s.eligibility.find(cohort.schemeid);
  if (!rules) return rules.status();
  auto modules = s.training.list_modules(cohort.schemeid);
  if (!modules) return modules.status();
  auto unfit = s.pairings.not_a_good_fit_pairs(cohort.id);
  if (!unfit) return unfit.status();
  std::unordered_map<std::int64_t, std::vector<std::int64_t>> unfit_of;
  for (const auto& [e, m] : *unfit) unfit_of[e].push_back(m);

  auto mentees = all_enrolments(s, cohort.id, core::Role::kMentee);
  if (!mentees) return mentees.status();
  for (const auto& e : *mentees) {
    if (e.status != core::EnrolmentStatus::kActive) continue;
    auto paired = s.pairings.active_for_mentee(e.id);
    if (!paired) return paired.status();
    if (*paired) {
      ++out.mentees_already_paired;
      continue;
    }
    auto profile = s.profiles.find_mentee(e.accountid);
    if (!profile) return profile.status();
    mm::MenteeInput in;
    in.id = e.id;
    if (!*profile) {
      // Without a profile there is nothing to match on: counted as not eligible.
      ++out.mentees_without_profile;
      in.eligible = false;
    } else {
      const core::MenteeProfile& p = **profile;
      in.topics = p.topics;
      in.goals = p.goals + (p.hopes.empty() ? "" : "\n" + p.hopes);
      in.specialty = p.specialty;
      in.career_stage = stage(p.career_stage);
      in.site = p.site;
      in.region = p.region;
      in.location_preference = location(p.location_preference);
      in.meeting_modes = mode_bits(p.meeting_mode);
      in.languages = p.languages;
      // Eligibility against the audience was checked at enrolment.
      in.eligible = true;
    }
    if (auto it = unfit_of.find(e.id); it != unfit_of.end()) in.not_a_good_fit_mentor_ids = it->second;
    out.input.mentees.push_back(std::move(in));
  }

  auto mentors = all_enrolments(s, cohort.id, core::Role::kMentor);
  if (!mentors) return mentors.status();
  for (const auto& e : *mentors) {
    if (e.status != core::EnrolmentStatus::kActive) continue;
    auto profile = s.profiles.find_mentor(e.accountid);
    if (!profile) return profile.status();
    if (!*profile) {
      ++out.mentors_without_profile;
      continue;
    }
    const core::MentorProfile& p = **profile;
    auto place = s.pairings.sync_place(cohort.id, e.id, p.capacity, now);
    if (!place) return place.status();
    auto records = s.training.list_records(e.accountid, cohort.schemeid);
    if (!records) return records.status();
    mm::MentorInput in;
    in.id = e.id;
    in.topics = p.expertise_areas;
    in.offer = p.bio;
    in.specialty = p.specialty;
    in.career_stage = stage(p.career_stage);
    in.site = p.site;
    in.region = p.region;
    in.languages = p.languages;
    in.capacity = std::min(p.capacity, mm::kMaxCapacity);
    in.current_mentees = std::min(place->active, in.capacity);
    in.training_in_date = core::mentor_readiness(*modules, *records, today).ready;
    in.away = !core::is_available(p, start);
    in.eligible = !*rules || core::check_mentor_eligibility((*rules)->mentors,
                                                            core::MentorFacts{p.career_stage, p.specialty, p.region})
                                 .is_ok();
    out.input.mentors.push_back(std::move(in));
  }

  auto pair_rules = s.matching_runs.rules(cohort.id);
  if (!pair_rules) return pair_rules.status();
  auto has_mentee = [&](std::int64_t id) {
    return std::any_of(out.input.mentees.begin(), out.input.mentees.end(), [&](const auto& m) { return m.id == id; });
  };
  auto has_mentor = [&](std::int64_t id) {
    return std::any_of(out.input.mentors.begin(), out.input.mentors.end(), [&](const auto& m) { return m.id == id; });
  };
  for (const auto& r : *pair_rules) {
    // Rules about someone already paired or gone no longer apply.
    if (!has_mentee(r.menteeid) || !has_mentor(r.mentorid)) continue;
    (r.kind == core::RuleKind::kPin ? out.input.pins : out.input.bans).push_back(mm::PairRef{r.menteeid, r.mentorid});
  }
  return out;
}

std::string weight_text(const mm::Weight& w) { return mm::to_string(w); }

json::object explanation_json(const mm::Explanation& x) {
  json::array lines;
  for (const auto& l : x.lines) {
    lines.push_back(json::object{{"criterion", mm::to_string(l.criterion)},
                                 {"label", l.label},
                                 {"weight", l.weight},
                                 {"value", l.value},
                                 {"points", l.points},
                                 {"detail", l.detail}});
  }
  return json::object{{"score", x.score}, {"source", mm::to_string(x.source)}, {"lines", std::move(lines)}};
}

json::object report_json(const mm::RunReport& r) {
  json::array histogram;
  for (int n : r.load_histogram) histogram.push_back(n);
  json::array groups;
  for (const auto& g : r.groups) {
    groups.push_back(json::object{{"group", g.group},
                                  {"suppressed", g.suppressed},
                                  {"mentees", g.mentees},
                                  {"matched", g.matched},
                                  {"match_rate", g.match_rate}});
  }
  return json::object{{"mentees", r.mentees},
                      {"mentees_matched", r.mentees_matched},
                      {"max_possible_matched", r.max_possible_matched},
                      {"matched_pct_of_max", r.matched_pct_of_max},
                      {"total_score", r.total_score},
                      {"optimum_score", r.optimum_score},
                      {"score_pct_of_optimum", r.score_pct_of_optimum},
                      {"first_choice", r.first_choice},
                      {"top3", r.top3},
                      {"top5", r.top5},
                      {"blocking_pairs", r.blocking_pairs},
                      {"mentors", r.mentors},
                      {"mentors_available", r.mentors_available},
                      {"mentors_used", r.mentors_used},
                      {"mentors_full", r.mentors_full},
                      {"load_histogram", std::move(histogram)},
                      {"places_free", r.places_free},
                      {"places_used", r.places_used},
                      {"pinned", r.pinned},
                      {"chosen", r.chosen},
                      {"fallbacks", r.fallbacks},
                      {"unmatched_ineligible", r.unmatched_ineligible},
                      {"unmatched_no_candidate", r.unmatched_no_candidate},
                      {"unmatched_capacity", r.unmatched_capacity},
                      {"groups", std::move(groups)}};
}

json::object run_json(const mm::MatchingRun& run) {
  json::array unmatched, notes;
  for (auto id : run.unmatched_mentee_ids) unmatched.push_back(id);
  for (const auto& n : run.notes) notes.push_back(json::string(n));
  json::object o = report_json(run.report);
  o["unmatched_mentee_ids"] = std::move(unmatched);
  o["notes"] = std::move(notes);
  return o;
}

std::string parameters_json(const RunOptions& o, const mm::MatchingConfig& config) {
  json::object weights;
  for (mm::Criterion c : mm::kAllCriteria) weights[mm::to_string(c)] = weight_text(config.weight(c));
  json::object p{{"model", core::to_string(o.model)},
                 {"mode", o.mode == mm::AssignedMode::kStable ? "stable" : "optimal"},
                 {"weights", std::move(weights)},
                 {"candidates_per_mentee", o.candidates_per_mentee}};
  if (o.model == core::RunModel::kHybrid) {
    p["shortlist_size"] = o.shortlist_size;
    p["choice_days"] = o.choice_days;
  }
  return json::serialize(p);
}

void add_proposals(std::int64_t runid, const mm::MatchingRun& run, std::vector<core::Proposal>& out) {
  for (const auto& pair : run.pairs) {
    core::Proposal p;
    p.runid = runid;
    p.menteeid = pair.mentee_id;
    p.mentorid = pair.mentor_id;
    p.score = pair.score;
    p.source = mm::to_string(pair.source);
    p.explanation = json::serialize(explanation_json(pair.explanation));
    out.push_back(std::move(p));
  }
}

struct Computed {
  std::string report;
  std::vector<core::Proposal> proposals;
  std::vector<core::ShortlistRow> shortlists;
};

Result<Computed> compute(std::int64_t runid, Loaded loaded, const mm::MatchingConfig& config, const RunOptions& o,
                         core::UnixSeconds deadline) {
  Computed out;
  json::object extra{{"mentees_already_paired", loaded.mentees_already_paired},
                     {"mentees_without_profile", loaded.mentees_without_profile},
                     {"mentors_without_profile", loaded.mentors_without_profile}};
  if (o.model != core::RunModel::kHybrid) {
    auto run = mm::run_assigned(std::move(loaded.input), config, o.mode);
    if (!run) return run.status();
    add_proposals(runid, *run, out.proposals);
    json::object r = run_json(*run);
    for (auto& kv : extra) r[kv.key()] = kv.value();
    out.report = json::serialize(r);
    return out;
  }
  auto problem = mm::MatchingProblem::prepare(std::move(loaded.input), config);
  if (!problem) return problem.status();
  const mm::CandidateGraph graph = mm::generate_candidates(*problem);
  mm::HybridOptions h;
  h.shortlist_size = o.shortlist_size;
  h.choice_deadline = deadline;
  auto lists = mm::build_shortlists(*problem, graph, h);
  if (!lists) return lists.status();
  auto optimum = mm::solve_optimal(*problem, graph, mm::pinned_only(*problem));
  if (!optimum) return optimum.status();
  // Pins are proposals in a hybrid run too; everyone else chooses.
  mm::Assignment pins = mm::pinned_only(*problem);
  const mm::MatchingRun pinned = mm::make_run(*problem, graph, pins, *optimum);
  add_proposals(runid, pinned, out.proposals);
  for (int e = 0; e < problem->mentee_count(); ++e) {
    int rank = 0;
    for (const auto& entry : lists->of_mentee[e]) {
      out.shortlists.push_back(core::ShortlistRow{problem->mentee(e).id, problem->mentor(entry.mentor).id, ++rank,
                                                  entry.score, entry.strong});
    }
  }
  const mm::MatchingRun best = mm::make_run(*problem, graph, *optimum, *optimum);
  json::object r{
      {"optimum", run_json(best)},
      {"shortlists", static_cast<std::int64_t>(std::count_if(lists->of_mentee.begin(), lists->of_mentee.end(),
                                                             [](const auto& l) { return !l.empty(); }))},
      {"mentees_without_strong_option", lists->mentees_without_strong_option},
      {"choice_deadline", deadline}};
  for (auto& kv : extra) r[kv.key()] = kv.value();
  out.report = json::serialize(r);
  return out;
}

Result<mm::MatchingConfig> config_of(const RunOptions& o) {
  mm::MatchingConfig config;
  for (const auto& [criterion, weight] : o.weights)
    MENTORING_RETURN_IF_ERROR(mm::set_weight(config, criterion, weight));
  config.candidates_per_mentee = o.candidates_per_mentee;
  MENTORING_RETURN_IF_ERROR(mm::validate(config));
  return config;
}

// Ends a run's job (succeeded or failed) in the caller's transaction, so the
// job and the run it reports on never disagree.
Status end_job(core::Stores& s, std::int64_t jobid, core::JobState state, const std::string& message,
               std::int64_t now_ms) {
  auto job = s.jobs.find(jobid);
  if (!job) return job.status();
  if (!*job || core::is_finished((*job)->state)) return Status::ok();
  core::Job j = **job;
  j.state = state;
  if (state == core::JobState::kSucceeded) j.done = j.total;
  j.message = message;
  j.finished_ms = now_ms;
  return s.jobs.update(j, now_ms).status();
}

// The options a queued run was started with, read back from its parameters.
Result<RunOptions> options_of(const core::MatchingRunRecord& rec) {
  RunOptions o;
  o.model = rec.model;
  json::error_code ec;
  json::value params = json::parse(rec.parameters, ec);
  const json::object* obj = ec ? nullptr : params.if_object();
  if (obj == nullptr)
    return Status::internal("run_parameters_invalid", "The matching run's stored options could not be read.");
  if (const auto* m = obj->if_contains("mode"); m && m->is_string() && m->as_string() == "stable")
    o.mode = mm::AssignedMode::kStable;
  if (const auto* w = obj->if_contains("weights"); w && w->is_object())
    for (const auto& kv : w->as_object())
      if (kv.value().is_string()) o.weights.emplace_back(kv.key(), kv.value().as_string().c_str());
  auto read_int = [&](const char* name, int& out) {
    if (const auto* v = obj->if_contains(name); v && v->is_int64()) out = static_cast<int>(v->as_int64());
  };
  read_int("candidates_per_mentee", o.candidates_per_mentee);
  read_int("shortlist_size", o.shortlist_size);
  read_int("choice_days", o.choice_days);
  return o;
}

// Calls `beat` every `every` on its own thread until destroyed, so that a
// run keeps its heartbeat fresh while the engine works.
class HeartbeatTicker {
 public:
  HeartbeatTicker(std::function<void()> beat, std::chrono::milliseconds every)
      : beat_(std::move(beat)), every_(every), thread_([this] { loop(); }) {}
  ~HeartbeatTicker() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }
  HeartbeatTicker(const HeartbeatTicker&) = delete;
  HeartbeatTicker& operator=(const HeartbeatTicker&) = delete;

 private:
  void loop() {
    std::unique_lock<std::mutex> lock(mu_);
    while (!wake_.wait_for(lock, every_, [this] { return stop_; })) {
      lock.unlock();
      beat_();
      lock.lock();
    }
  }
  std::function<void()> beat_;
  std::chrono::milliseconds every_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;  // last: starts once the rest is set
};

const char* const kAbandoned = "The run was abandoned before it finished: its worker stopped.";

// fail_abandoned in the caller's transaction, ending the runs' jobs too.
Result<std::int64_t> fail_abandoned_in(core::Stores& s, core::UnixSeconds now, std::int64_t now_ms,
                                       core::UnixSeconds heartbeat_timeout) {
  auto failed = s.matching_runs.fail_abandoned(now - heartbeat_timeout, now - kStaleRunSeconds, kAbandoned, now);
  if (!failed) return failed.status();
  for (const auto& r : *failed)
    if (r.jobid) MENTORING_RETURN_IF_ERROR(end_job(s, *r.jobid, core::JobState::kFailed, kAbandoned, now_ms));
  return static_cast<std::int64_t>(failed->size());
}

}  // namespace

void MatchingService::set_heartbeat_timeout(core::UnixSeconds seconds) {
  heartbeat_timeout_ = std::clamp(seconds, kMinRunHeartbeatTimeout, kMaxRunHeartbeatTimeout);
}

Result<std::int64_t> MatchingService::fail_abandoned() {
  const core::UnixSeconds now = clock_.now();
  const std::int64_t now_ms = clock_.now_ms();
  return in_transaction<std::int64_t>(
      db_, [&](core::Stores& s) { return fail_abandoned_in(s, now, now_ms, heartbeat_timeout_); });
}

Status validate(const RunOptions& o) {
  if (o.model == core::RunModel::kFallback)
    return Status::invalid("run_model_invalid", "The model must be assigned or hybrid.", "model");
  if (o.candidates_per_mentee < 1 || o.candidates_per_mentee > 1000)
    return Status::invalid("candidates_per_mentee_invalid", "The candidates per mentee must be between 1 and 1000.",
                           "candidates_per_mentee");
  if (o.choice_days < 1 || o.choice_days > kMaxChoiceDays)
    return Status::invalid("choice_days_invalid", "The choice period must be between 1 and 90 days.", "choice_days");
  mm::HybridOptions h;
  h.shortlist_size = o.shortlist_size;
  MENTORING_RETURN_IF_ERROR(mm::validate(h));
  auto config = config_of(o);
  return config ? Status::ok() : config.status();
}

Result<RunView> MatchingService::start_run(std::int64_t cohortid, const RunOptions& options) {
  MENTORING_RETURN_IF_ERROR(validate(options));
  return run(cohortid, options, std::nullopt);
}

Result<RunView> MatchingService::resolve_hybrid(std::int64_t runid) {
  auto view = get_run(runid);
  if (!view) return view.status();
  const core::MatchingRunRecord& parent = view->run;
  if (parent.model != core::RunModel::kHybrid)
    return Status::failed_precondition("run_not_hybrid", "Only a hybrid run's choice period can be resolved.");
  if (parent.choice_deadline && clock_.now() <= *parent.choice_deadline)
    return Status::failed_precondition("choice_deadline_not_passed",
                                       "Mentees may still choose: the choice deadline has not passed.");
  RunOptions o;
  o.model = core::RunModel::kFallback;
  // The fallback uses the weights the hybrid run was started with.
  auto params = json::parse(parent.parameters);
  if (const auto* obj = params.if_object()) {
    if (const auto* w = obj->if_contains("weights"); w && w->is_object())
      for (const auto& kv : w->as_object())
        if (kv.value().is_string()) o.weights.emplace_back(kv.key(), kv.value().as_string().c_str());
    if (const auto* k = obj->if_contains("candidates_per_mentee"); k && k->is_int64())
      o.candidates_per_mentee = static_cast<int>(k->as_int64());
  }
  return run(parent.cohortid, o, parent.id);
}

Result<RunView> MatchingService::run(std::int64_t cohortid, const RunOptions& options,
                                     std::optional<std::int64_t> parentid) {
  auto config = config_of(options);
  if (!config) return config.status();
  const core::UnixSeconds now = clock_.now();
  const std::int64_t now_ms = clock_.now_ms();
  const core::UnixSeconds deadline = now + options.choice_days * kDay;
  // The run and its job are made together, so a worker that claims the run
  // always finds the job to report on.
  auto begun = in_transaction<core::MatchingRunRecord>(db_, [&](core::Stores& s) -> Result<core::MatchingRunRecord> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto abandoned = fail_abandoned_in(s, now, now_ms, heartbeat_timeout_);
    if (!abandoned) return abandoned.status();
    core::MatchingRunRecord rec;
    rec.cohortid = cohortid;
    rec.model = options.model;
    rec.parameters = parameters_json(options, *config);
    if (options.model == core::RunModel::kHybrid) rec.choice_deadline = deadline;
    rec.parentid = parentid;
    if (jobs_ && options.requested_by > 0) {
      core::Job job;
      job.kind = "matching_run";
      job.ownerid = options.requested_by;
      job.total = kRunSteps;
      job.message = "Waiting to start";
      auto made = s.jobs.create(job, now_ms);
      if (!made) return made.status();
      rec.jobid = made->id;
    }
    return s.matching_runs.begin(rec, now);
  });
  if (!begun) return begun.status();
  if (background_) {
    background_();
    return get_run(begun->id);
  }
  // No worker: the run is done now, and its failure is the answer.
  auto claimed =
      in_transaction<bool>(db_, [&](core::Stores& s) { return s.matching_runs.claim(begun->id, "request", now); });
  if (!claimed) return claimed.status();
  if (*claimed) {
    auto found = get_run(begun->id);
    if (!found) return found.status();
    MENTORING_RETURN_IF_ERROR(perform(found->run));
  }
  return get_run(begun->id);
}

Result<bool> MatchingService::execute(std::int64_t runid, const std::string& worker) {
  auto claimed =
      in_transaction<bool>(db_, [&](core::Stores& s) { return s.matching_runs.claim(runid, worker, clock_.now()); });
  if (!claimed) return claimed.status();
  if (!*claimed) return false;
  auto found = get_run(runid);
  if (!found) return found.status();
  // A run that fails is still done: its failure is stored on it and its job.
  (void)perform(found->run);
  return true;
}

Status MatchingService::perform(const core::MatchingRunRecord& rec) {
  const std::int64_t runid = rec.id;
  const std::optional<std::int64_t> jobid = jobs_ ? rec.jobid : std::nullopt;
  // The heartbeat says the worker is alive: at every step, and from a
  // ticker while a step (the engine, above all) takes its time.
  auto beat = [this, runid, worker = rec.claimed_by] {
    (void)db_.transact([&](core::Stores& s) { return s.matching_runs.heartbeat(runid, worker, clock_.now()).status(); });
  };
  const auto every = std::chrono::milliseconds(std::max<core::UnixSeconds>(1, heartbeat_timeout_ / 5) * 1000);
  HeartbeatTicker ticker(beat, every);
  auto report = [&](std::int64_t done, const char* message) {
    beat();
    if (jobid) (void)jobs_->progress(*jobid, done, kRunSteps, message);
  };
  auto fail = [&](const Status& why) -> Status {
    (void)db_.transact([&](core::Stores& s) { return s.matching_runs.fail(runid, why.message(), clock_.now()); });
    if (jobid) (void)jobs_->fail(*jobid, why.message());
    return why;
  };
  auto options = options_of(rec);
  if (!options) return fail(options.status());
  auto config = config_of(*options);
  if (!config) return fail(config.status());
  const core::UnixSeconds deadline = rec.choice_deadline.value_or(rec.started_at + options->choice_days * kDay);

  report(0, "Loading the cohort");
  auto loaded = in_transaction<Loaded>(db_, [&](core::Stores& s) -> Result<Loaded> {
    auto cohort = require_cohort(s, rec.cohortid);
    if (!cohort) return cohort.status();
    return load_inputs(s, *cohort, clock_.now());
  });
  if (!loaded) return fail(loaded.status());
  report(1, "Matching");
  auto computed = compute(runid, std::move(loaded).value(), *config, *options, deadline);
  if (!computed) return fail(computed.status());
  report(2, "Saving the proposals");
  Status saved = db_.transact([&](core::Stores& s) -> Status {
    auto superseded = s.matching_runs.transition_all(rec.cohortid, core::RunState::kReady,
                                                     core::RunState::kSuperseded, clock_.now());
    if (!superseded) return superseded.status();
    MENTORING_RETURN_IF_ERROR(
        s.matching_runs.finish(runid, computed->report, computed->proposals, computed->shortlists, clock_.now()));
    if (!jobid) return Status::ok();
    return end_job(s, *jobid, core::JobState::kSucceeded,
                   std::to_string(computed->proposals.size()) + " pairs proposed", clock_.now_ms());
  });
  if (!saved) return fail(saved);
  return Status::ok();
}

Result<std::vector<std::int64_t>> MatchingService::queued(std::int64_t limit) {
  return in_transaction<std::vector<std::int64_t>>(db_,
                                                   [&](core::Stores& s) { return s.matching_runs.list_unclaimed(limit); });
}

Result<RunView> MatchingService::get_run(std::int64_t runid) {
  return in_transaction<RunView>(db_, [&](core::Stores& s) -> Result<RunView> {
    auto run = s.matching_runs.find(runid);
    if (!run) return run.status();
    if (!*run) return Status::not_found("run_not_found", "There is no matching run with that id.");
    RunView v;
    v.run = **run;
    v.jobid = v.run.jobid;
    auto proposals = s.matching_runs.proposals(runid);
    if (!proposals) return proposals.status();
    v.proposals = std::move(proposals).value();
    auto lists = s.matching_runs.shortlists(runid);
    if (!lists) return lists.status();
    v.shortlists = std::move(lists).value();
    return v;
  });
}

Result<std::vector<core::MatchingRunRecord>> MatchingService::runs(std::int64_t cohortid) {
  return in_transaction<std::vector<core::MatchingRunRecord>>(
      db_, [&](core::Stores& s) -> Result<std::vector<core::MatchingRunRecord>> {
        auto cohort = require_cohort(s, cohortid);
        if (!cohort) return cohort.status();
        return s.matching_runs.list_by_cohort(cohortid);
      });
}

Result<PublishOutcome> MatchingService::publish(std::int64_t runid) {
  const core::UnixSeconds now = clock_.now();
  PublishOutcome out;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto found = s.matching_runs.find(runid);
    if (!found) return found.status();
    if (!*found) return Status::not_found("run_not_found", "There is no matching run with that id.");
    const core::MatchingRunRecord run = **found;
    if (run.state != core::RunState::kReady)
      return Status::failed_precondition(
          "run_not_ready",
          std::string("Only a ready run can be published; this one is ") + core::to_string(run.state) + ".");
    auto proposals = s.matching_runs.proposals(runid);
    if (!proposals) return proposals.status();

    // Check everything first, so a conflict changes nothing and every
    // conflict is reported at once.
    std::map<std::int64_t, int> free_of;  // mentor -> places left for this publish
    std::map<std::int64_t, core::Enrolment> mentor_of;
    for (const auto& p : *proposals) {
      auto conflict = [&](const char* reason, const char* message) {
        out.conflicts.push_back(PublishConflict{p.menteeid, p.mentorid, reason, message});
      };
      auto mentee = s.enrolments.find(p.menteeid);
      if (!mentee) return mentee.status();
      if (!*mentee || (*mentee)->status != core::EnrolmentStatus::kActive || (*mentee)->cohortid != run.cohortid) {
        conflict("mentee_left", "The mentee is no longer enrolled in the cohort.");
        continue;
      }
      auto mentor = s.enrolments.find(p.mentorid);
      if (!mentor) return mentor.status();
      if (!*mentor || (*mentor)->status != core::EnrolmentStatus::kActive || (*mentor)->cohortid != run.cohortid) {
        conflict("mentor_left", "The mentor is no longer enrolled in the cohort.");
        continue;
      }
      auto paired = s.pairings.active_for_mentee(p.menteeid);
      if (!paired) return paired.status();
      if (*paired) {
        conflict("mentee_already_paired", "The mentee has been paired since the run.");
        continue;
      }
      if (!free_of.count(p.mentorid)) {
        auto profile = s.profiles.find_mentor((*mentor)->accountid);
        if (!profile) return profile.status();
        auto place = s.pairings.find_place(p.mentorid);
        if (!place) return place.status();
        const int active = *place ? (*place)->active : 0;
        free_of[p.mentorid] = *profile ? std::max(0, (*profile)->capacity - active) : -1;
        mentor_of[p.mentorid] = **mentor;
      }
      int& free = free_of[p.mentorid];
      if (free < 0) {
        conflict("mentor_profile_missing", "The mentor no longer has a mentor profile.");
      } else if (free == 0) {
        conflict("mentor_full", "The mentor has no free place left for this mentee.");
      } else {
        --free;
      }
    }
    if (!out.conflicts.empty())
      return Status::conflict("publish_conflicts", std::to_string(out.conflicts.size()) +
                                                       " proposals can no longer be made; nothing was published.");

    // Claim the run first: a second publish of the same run stops here.
    auto claimed = s.matching_runs.transition(runid, core::RunState::kReady, core::RunState::kPublished, now);
    if (!claimed) return claimed.status();
    for (const auto& [mentorid, mentor] : mentor_of) {
      auto profile = s.profiles.find_mentor(mentor.accountid);
      if (!profile) return profile.status();
      auto synced = s.pairings.sync_place(run.cohortid, mentorid, (*profile)->capacity, now);
      if (!synced) return synced.status();
    }
    for (const auto& p : *proposals) {
      core::PairingSource source = core::PairingSource::kAssigned;
      if (p.source == "pinned")
        source = core::PairingSource::kAdmin;
      else if (run.model == core::RunModel::kFallback)
        source = core::PairingSource::kHybrid;
      auto made =
          s.pairings.create_active(core::PairingInput{run.cohortid, p.menteeid, p.mentorid, source, runid}, now);
      if (!made) return made.status();
      MENTORING_RETURN_IF_ERROR(append_pairing_event(s, *made, now));
      out.pairings.push_back(std::move(made).value());
    }
    out.run = std::move(claimed).value();
    out.published = true;
    return Status::ok();
  });
  if (!st) {
    if (st.reason() == "publish_conflicts") {
      auto run = get_run(runid);
      if (!run) return run.status();
      out.run = run->run;
      out.pairings.clear();
      return out;
    }
    return st;
  }
  return out;
}

Result<core::MatchingRunRecord> MatchingService::discard(std::int64_t runid) {
  const core::UnixSeconds now = clock_.now();
  return in_transaction<core::MatchingRunRecord>(db_, [&](core::Stores& s) {
    return s.matching_runs.transition(runid, core::RunState::kReady, core::RunState::kDiscarded, now);
  });
}

Result<core::PairRule> MatchingService::set_rule(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid,
                                                 core::RuleKind kind) {
  const core::UnixSeconds now = clock_.now();
  return in_transaction<core::PairRule>(db_, [&](core::Stores& s) -> Result<core::PairRule> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    auto mentee = require_member(s, cohortid, menteeid, core::Role::kMentee, "menteeid");
    if (!mentee) return mentee.status();
    auto mentor = require_member(s, cohortid, mentorid, core::Role::kMentor, "mentorid");
    if (!mentor) return mentor.status();
    if (kind == core::RuleKind::kPin) {
      auto existing = s.matching_runs.rules(cohortid);
      if (!existing) return existing.status();
      for (const auto& r : *existing)
        if (r.kind == core::RuleKind::kPin && r.menteeid == menteeid && r.mentorid != mentorid)
          return Status::conflict("mentee_already_pinned",
                                  "The mentee is already pinned to another mentor; remove that pin first.");
    }
    return s.matching_runs.set_rule(core::PairRule{0, cohortid, menteeid, mentorid, kind, 0}, now);
  });
}

Result<std::vector<core::PairRule>> MatchingService::rules(std::int64_t cohortid) {
  return in_transaction<std::vector<core::PairRule>>(db_, [&](core::Stores& s) -> Result<std::vector<core::PairRule>> {
    auto cohort = require_cohort(s, cohortid);
    if (!cohort) return cohort.status();
    return s.matching_runs.rules(cohortid);
  });
}

Status MatchingService::remove_rule(std::int64_t cohortid, std::int64_t menteeid, std::int64_t mentorid) {
  return db_.transact([&](core::Stores& s) -> Status {
    auto removed = s.matching_runs.remove_rule(cohortid, menteeid, mentorid);
    if (!removed) return removed.status();
    if (!*removed) return Status::not_found("rule_not_found", "There is no pin or ban on that pair.");
    return Status::ok();
  });
}

}  // namespace mentoring::app
