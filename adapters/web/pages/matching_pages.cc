// Pages for matching (app/matching_runs.h and app/matching_pairings.h):
//
//   /staff/matching     staff who assign mentors: choose a cohort, start a
//                       run (assigned, stable, hybrid), follow its progress,
//                       review the proposals with their explanations, pin or
//                       ban pairs, publish (or see every conflict), pair the
//                       mentees left over by hand, see the waiting lists
//   /matching/choices   mentees: the mentor directory (mentee choice) or
//                       their shortlist (hybrid), a request to one mentor or
//                       a ranked list of mentors, their status
//   /matching/requests  mentors: requests to accept or decline, their
//                       places and waiting list
//
// Pages read through ctx.db, so they show without the services; every change
// goes through the services, and a missing service answers 503. Each form is
// one POST with an `action` field; success answers 303 back to the page, a
// refusal draws the page again with the reason in the error summary and
// nothing changed.
#include <algorithm>
#include <boost/json.hpp>
#include <charconv>
#include <map>

#include "adapters/http/json.h"
#include "adapters/web/pages/form_view.h"
#include "adapters/web/pages/page_handlers.h"
#include "app/jobs.h"
#include "app/matching_pairings.h"
#include "app/matching_runs.h"
#include "core/lti_capabilities.h"
#include "core/matching_stores.h"
#include "core/setup_stores.h"

namespace mentoring::web::pages {
namespace km = kainjow::mustache;
namespace cap = core::capability;
namespace json = boost::json;
using core::Result;
using core::Status;

namespace {

// Proposals and shortlists drawn on one page; the rest are in the JSON API.
constexpr std::size_t kMaxRowsShown = 500;
constexpr std::int64_t kDirectoryPageSize = 20;
// The rank form offers every mentor of the cohort the mentee may rank, not
// just the directory page shown. Up to kMaxRankOptions of them, each choice
// is a select listing them all by name: what people expect, and it works
// with a keyboard, a screen reader and without JavaScript. Cohorts reach a
// few thousand mentors, and several selects of thousands of options each
// make a heavy page that is slow to scroll; there each choice is a text
// field for the mentor's name as the directory shows it, found in the whole
// cohort, and a name several mentors share becomes a select of just those
// mentors, told apart by specialty and region. (A <datalist> would need the
// thousands of names on the page anyway, and screen readers announce it
// unevenly.)
constexpr std::int64_t kMaxRankOptions = 300;

km::data flag(bool b) { return b ? km::data::type::bool_true : km::data::type::bool_false; }

// A query value, percent-encoded.
std::string query_value(std::string_view v) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : v) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string day_text(core::UnixSeconds t) { return core::Date::from_unix(t).to_string(); }

// Our sentence for a refusal when the strings have one, the use case's otherwise.
std::string refusal_text(const Strings& s, const Status& st) {
  const std::string key = "page:error_" + st.reason();
  if (is_valid_string_key(key) && s.contains(key)) return s.text(key);
  return st.message();
}

std::string tag_for(core::RunState st) {
  switch (st) {
    case core::RunState::kReady:
      return " nhsuk-tag--blue";
    case core::RunState::kPublished:
      return " nhsuk-tag--green";
    case core::RunState::kFailed:
      return " nhsuk-tag--red";
    case core::RunState::kRunning:
      return " nhsuk-tag--yellow";
    default:
      return " nhsuk-tag--grey";
  }
}

std::string job_tag(core::JobState st) {
  return st == core::JobState::kFailed      ? " nhsuk-tag--red"
         : st == core::JobState::kSucceeded ? " nhsuk-tag--green"
                                            : " nhsuk-tag--blue";
}

std::string job_line(const Strings& s, const app::JobView& v) {
  if (v.job.state == core::JobState::kQueued) return s.text("page:job_waiting");
  if (v.job.state == core::JobState::kSucceeded) return s.text("page:job_succeeded");
  if (v.job.state == core::JobState::kFailed) return s.text("page:job_failed");
  return s.format("page:job_progress", {{"done", std::to_string(v.job.done)},
                                        {"total", std::to_string(v.job.total)},
                                        {"percent", std::to_string(v.percent)}});
}

Result<std::vector<core::Enrolment>> cohort_enrolments(core::Stores& s, std::int64_t cohortid,
                                                       std::optional<core::Role> role) {
  std::vector<core::Enrolment> out;
  for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
    auto page = s.enrolments.list_by_cohort(cohortid, role, core::Page{core::kMaxPageSize, offset});
    if (!page) return page.status();
    out.insert(out.end(), page->begin(), page->end());
    if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
  }
  return out;
}

// Everyone in a cohort by enrolment id, with their name.
struct People {
  std::map<std::int64_t, core::Enrolment> enrolments;
  std::map<std::int64_t, std::string> names;
  std::string name(std::int64_t enrolmentid) const {
    auto it = names.find(enrolmentid);
    return it == names.end() ? "#" + std::to_string(enrolmentid) : it->second;
  }
};

Result<People> cohort_people(core::Stores& s, std::int64_t cohortid) {
  People out;
  auto all = cohort_enrolments(s, cohortid, std::nullopt);
  if (!all) return all.status();
  for (const core::Enrolment& e : *all) {
    auto account = s.accounts.find(e.accountid);
    if (!account) return account.status();
    out.names[e.id] = *account ? display_name(**account) : "#" + std::to_string(e.id);
    out.enrolments[e.id] = e;
  }
  return out;
}

std::string json_text(const json::value& v) {
  if (v.is_string()) return std::string(v.as_string());
  if (v.is_int64()) return std::to_string(v.as_int64());
  if (v.is_uint64()) return std::to_string(v.as_uint64());
  if (v.is_double()) return std::to_string(static_cast<long long>(v.as_double()));
  return {};
}

// A proposal's stored explanation as lines for people: "Shared topics and
// goals (high): 312 points. Shares: teaching".
km::data explanation_lines(const Strings& s, const std::string& stored) {
  km::data lines{km::data::type::list};
  json::error_code ec;
  json::value v = json::parse(stored, ec);
  const json::object* o = ec ? nullptr : v.if_object();
  const json::value* list = o ? o->if_contains("lines") : nullptr;
  if (list == nullptr || !list->is_array()) return lines;
  for (const json::value& l : list->as_array()) {
    const json::object* line = l.if_object();
    if (line == nullptr) continue;
    auto field = [&](const char* k) {
      const json::value* x = line->if_contains(k);
      return x ? json_text(*x) : std::string();
    };
    std::string text = s.format("page:matching_explanation_line",
                                {{"label", field("label")}, {"weight", field("weight")}, {"points", field("points")}});
    if (!field("detail").empty()) text += " " + field("detail");
    lines.push_back(km::data(text));
  }
  return lines;
}

// The error summary with one message, linked to `anchor`.
void set_refusal(km::data& data, const std::string& message, const std::string& anchor) {
  km::data list{km::data::type::list};
  km::data e;
  e.set("anchor", anchor);
  e.set("message", message);
  list.push_back(e);
  data.set("error_list", list);
  data.set("has_errors", flag(true));
}

std::int64_t id_field(const FormAccess& f, std::string_view name) {
  auto id = parse_id(f.field(name));
  return id ? *id : 0;
}

Status bad_field(const char* name) {
  return Status::invalid(std::string(name) + "_invalid", std::string("The form's ") + name + " is missing or wrong.",
                         name);
}

// The confirmation after a change, from ?done=.
void set_done(const Strings& s, km::data& data, std::string_view done) {
  if (done.empty()) return;
  const std::string key = "page:matching_done_" + std::string(done);
  if (is_valid_string_key(key) && s.contains(key)) data.set("done_message", s.text(key));
}

// --- /staff/matching --------------------------------------------------------

struct StaffCohort {
  core::Scheme scheme;
  core::Cohort cohort;
};

Result<std::vector<StaffCohort>> staff_cohorts(core::Stores& s, const SignedIn& who) {
  std::vector<core::Scheme> schemes;
  if (who.session.schemeid) {
    auto found = s.schemes.find(*who.session.schemeid);
    if (!found) return found.status();
    if (*found) schemes.push_back(**found);
  } else {
    auto all = s.schemes.list(core::Page{100, 0});
    if (!all) return all.status();
    schemes = std::move(all).value();
  }
  std::vector<StaffCohort> out;
  for (const core::Scheme& scheme : schemes) {
    auto cohorts = s.schemes.list_cohorts(scheme.id);
    if (!cohorts) return cohorts.status();
    for (const core::Cohort& c : *cohorts) out.push_back({scheme, c});
  }
  return out;
}

// Why a staff page is drawn again: a refusal, and (publish) its conflicts.
struct StaffRefusal {
  Status status = Status::ok();
  std::vector<app::PublishConflict> conflicts;
};

// The staff page for a cohort and (runid > 0) one of its runs.
std::string staff_path(std::int64_t cohortid, std::int64_t runid, std::string_view done = {}) {
  std::string p = "/staff/matching?cohort=" + std::to_string(cohortid);
  if (runid > 0) p += "&run=" + std::to_string(runid);
  if (!done.empty()) p += "&done=" + std::string(done);
  return p;
}

http::Response draw_staff(const PageContext& ctx, const SignedIn& who, std::optional<std::int64_t> cohort_wanted,
                          std::optional<std::int64_t> run_wanted, std::string_view done, const StaffRefusal& refusal) {
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:staff_matching_title"), "/staff/matching");
  set_done(s, data, done);

  std::vector<StaffCohort> cohorts;
  std::optional<StaffCohort> current;
  People people;
  std::vector<core::MatchingRunRecord> runs;
  std::optional<app::RunView> run;
  std::vector<core::PairRule> rules;
  std::vector<core::MentorPlace> places;
  std::vector<core::Enrolment> unmatched;
  std::vector<core::WaitingEntry> waiting;
  std::int64_t pending_requests = 0;
  std::optional<app::JobView> run_job;
  Status st = ctx.db.transact([&](core::Stores& stores) -> Status {
    auto list = staff_cohorts(stores, who);
    if (!list) return list.status();
    cohorts = std::move(list).value();
    for (const StaffCohort& c : cohorts)
      if (!current || (cohort_wanted && c.cohort.id == *cohort_wanted)) current = c;
    if (current && cohort_wanted && current->cohort.id != *cohort_wanted)
      return Status::not_found("cohort_not_found", "There is no such cohort in your scheme.");
    if (!current) return Status::ok();
    const std::int64_t cid = current->cohort.id;
    auto p = cohort_people(stores, cid);
    if (!p) return p.status();
    people = std::move(p).value();
    auto r = stores.matching_runs.list_by_cohort(cid);
    if (!r) return r.status();
    runs = std::move(r).value();
    std::optional<core::MatchingRunRecord> chosen;
    for (const auto& x : runs)
      if (run_wanted ? x.id == *run_wanted : !chosen) chosen = x;
    if (run_wanted && !chosen) return Status::not_found("run_not_found", "There is no such matching run in this cohort.");
    if (chosen) {
      app::RunView v;
      v.run = *chosen;
      v.jobid = chosen->jobid;
      auto proposals = stores.matching_runs.proposals(chosen->id);
      if (!proposals) return proposals.status();
      v.proposals = std::move(proposals).value();
      auto lists = stores.matching_runs.shortlists(chosen->id);
      if (!lists) return lists.status();
      v.shortlists = std::move(lists).value();
      run = std::move(v);
    }
    auto rl = stores.matching_runs.rules(cid);
    if (!rl) return rl.status();
    rules = std::move(rl).value();
    auto pl = stores.pairings.list_places(cid);
    if (!pl) return pl.status();
    places = std::move(pl).value();
    for (const auto& [id, e] : people.enrolments) {
      if (e.role == core::Role::kMentee && e.status == core::EnrolmentStatus::kActive) {
        auto paired = stores.pairings.active_for_mentee(id);
        if (!paired) return paired.status();
        if (!*paired) unmatched.push_back(e);
      }
      if (e.role == core::Role::kMentor) {
        auto w = stores.pairings.list_waiting(id);
        if (!w) return w.status();
        waiting.insert(waiting.end(), w->begin(), w->end());
      }
    }
    auto pending = stores.pairings.list_requests(cid, 0, 0, core::RequestState::kPending, core::Page{100, 0});
    if (!pending) return pending.status();
    pending_requests = static_cast<std::int64_t>(pending->size());
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);
  if (run && run->jobid && ctx.services.jobs != nullptr) {
    auto j = ctx.services.jobs->get(*run->jobid);
    if (j) run_job = std::move(j).value();
  }

  km::data cohort_list{km::data::type::list};
  for (const StaffCohort& c : cohorts) {
    km::data d;
    d.set("name", c.scheme.name + ": " + c.cohort.name);
    d.set("href", href(ctx, staff_path(c.cohort.id, 0)));
    d.set("current", flag(current && current->cohort.id == c.cohort.id));
    cohort_list.push_back(d);
  }
  data.set("cohorts", cohort_list);
  data.set("has_cohorts", flag(!cohorts.empty()));
  data.set("action", href(ctx, "/staff/matching"));

  // Recent matching jobs, anyone's: staff follow each other's runs.
  if (ctx.services.jobs != nullptr) {
    auto recent = ctx.services.jobs->recent(20);
    if (!recent) return failure_page(ctx, recent.status());
    km::data jobs{km::data::type::list};
    bool any = false;
    for (const app::JobView& v : *recent) {
      if (v.job.kind != "matching_run") continue;
      km::data d;
      d.set("href", href(ctx, "/staff/jobs/" + std::to_string(v.job.id)));
      d.set("label", s.format("page:job_label", {{"id", std::to_string(v.job.id)}}));
      d.set("state", s.text(std::string("page:job_state_") + core::to_string(v.job.state)));
      d.set("tag_class", job_tag(v.job.state));
      d.set("progress", job_line(s, v));
      jobs.push_back(d);
      any = true;
    }
    data.set("jobs", jobs);
    data.set("has_jobs", flag(any));
  }

  if (!current) {
    data.set("no_cohort", flag(true));
    if (!refusal.status.is_ok()) set_refusal(data, refusal_text(s, refusal.status), "cohorts");
    return render_page(ctx, refusal.status.is_ok() ? 200 : http::http_status_for(refusal.status), "staff_matching",
                       data);
  }
  const core::Cohort& cohort = current->cohort;
  const std::string cid = std::to_string(cohort.id);
  data.set("cohortid", cid);
  data.set("cohort_name", current->scheme.name + ": " + cohort.name);
  data.set("cohort_model", s.text(std::string("page:matching_model_") + core::to_string(cohort.matching_model)));
  data.set("is_mentee_choice", flag(cohort.matching_model == core::MatchingModel::kMenteeChoice));
  data.set("pending_requests", std::to_string(pending_requests));

  // Start a run.
  const std::string preset = cohort.matching_model == core::MatchingModel::kHybrid ? "hybrid" : "assigned_optimal";
  km::data kinds{km::data::type::list};
  for (const char* k : {"assigned_optimal", "assigned_stable", "hybrid"}) {
    km::data d;
    d.set("value", k);
    d.set("id", std::string("run-type-") + k);
    d.set("label", s.text(std::string("page:matching_run_type_") + k));
    d.set("hint", s.text(std::string("page:matching_run_type_hint_") + k));
    d.set("checked", flag(preset == k));
    kinds.push_back(d);
  }
  data.set("run_types", kinds);

  // Runs of the cohort.
  km::data run_rows{km::data::type::list};
  for (const auto& r : runs) {
    km::data d;
    d.set("label", s.format("page:matching_run_label", {{"id", std::to_string(r.id)}}));
    d.set("href", href(ctx, staff_path(cohort.id, r.id)));
    d.set("model", s.text(std::string("page:matching_run_model_") + core::to_string(r.model)));
    d.set("state", s.text(std::string("page:matching_run_state_") + core::to_string(r.state)));
    d.set("tag_class", tag_for(r.state));
    d.set("started", day_text(r.started_at));
    d.set("current", flag(run && run->run.id == r.id));
    run_rows.push_back(d);
  }
  data.set("runs", run_rows);
  data.set("has_runs", flag(!runs.empty()));

  // The run under review.
  if (run) {
    const core::MatchingRunRecord& r = run->run;
    km::data v;
    v.set("id", std::to_string(r.id));
    v.set("heading", s.format("page:matching_run_label", {{"id", std::to_string(r.id)}}));
    v.set("state", s.text(std::string("page:matching_run_state_") + core::to_string(r.state)));
    v.set("tag_class", tag_for(r.state));
    v.set("model", s.text(std::string("page:matching_run_model_") + core::to_string(r.model)));
    v.set("running", flag(r.state == core::RunState::kRunning));
    v.set("ready", flag(r.state == core::RunState::kReady));
    v.set("self_href", href(ctx, staff_path(cohort.id, r.id)));
    if (r.state == core::RunState::kFailed) v.set("error", r.error.empty() ? s.text("page:job_failed") : r.error);
    if (r.jobid) {
      v.set("job_href", href(ctx, "/staff/jobs/" + std::to_string(*r.jobid)));
      v.set("progress_url", href(ctx, "/api/v1/jobs/" + std::to_string(*r.jobid)));
    }
    if (run_job) {
      v.set("has_progress", flag(true));
      v.set("max", std::to_string(run_job->job.total > 0 ? run_job->job.total : 1));
      v.set("value", std::to_string(run_job->job.total > 0 ? run_job->job.done : 0));
      v.set("percent", std::to_string(run_job->percent));
      v.set("progress_status", job_line(s, *run_job));
    }
    const bool hybrid_open = r.model == core::RunModel::kHybrid &&
                             (r.state == core::RunState::kReady || r.state == core::RunState::kPublished);
    if (r.choice_deadline) v.set("deadline", day_text(*r.choice_deadline));
    v.set("can_resolve", flag(hybrid_open && r.choice_deadline && ctx.clock.now() > *r.choice_deadline));

    // The report, in plain figures.
    std::vector<Fact> facts;
    json::error_code ec;
    json::value rep = json::parse(r.report, ec);
    const json::object* o = ec ? nullptr : rep.if_object();
    if (o && r.model == core::RunModel::kHybrid) {
      if (const json::value* opt = o->if_contains("optimum"); opt && opt->is_object()) o = &opt->as_object();
    }
    auto num = [&](const char* k) -> std::string {
      const json::value* x = o ? o->if_contains(k) : nullptr;
      return x ? json_text(*x) : std::string("0");
    };
    if (o) {
      facts.push_back({s.text("page:matching_report_matched"),
                       s.format("page:matching_report_matched_value", {{"matched", num("mentees_matched")},
                                                                       {"mentees", num("mentees")},
                                                                       {"pct", num("matched_pct_of_max")}})});
      facts.push_back({s.text("page:matching_report_score"),
                       s.format("page:matching_report_score_value",
                                {{"score", num("total_score")}, {"pct", num("score_pct_of_optimum")}})});
      facts.push_back({s.text("page:matching_report_mentors"),
                       s.format("page:matching_report_mentors_value",
                                {{"used", num("mentors_used")}, {"mentors", num("mentors")}, {"full", num("mentors_full")}})});
      facts.push_back({s.text("page:matching_report_unmatched"),
                       s.format("page:matching_report_unmatched_value", {{"ineligible", num("unmatched_ineligible")},
                                                                         {"none", num("unmatched_no_candidate")},
                                                                         {"capacity", num("unmatched_capacity")}})});
      facts.push_back({s.text("page:matching_report_blocking"), num("blocking_pairs")});
    }
    v.set("report", facts_data(facts));
    v.set("has_report", flag(!facts.empty()));

    km::data proposals{km::data::type::list};
    std::size_t shown = 0;
    for (const core::Proposal& p : run->proposals) {
      if (++shown > kMaxRowsShown) break;
      km::data d;
      d.set("mentee", people.name(p.menteeid));
      d.set("mentor", people.name(p.mentorid));
      d.set("menteeid", std::to_string(p.menteeid));
      d.set("mentorid", std::to_string(p.mentorid));
      d.set("score", std::to_string(p.score));
      const std::string source_key = "page:matching_source_" + p.source;
      d.set("source", is_valid_string_key(source_key) && s.contains(source_key) ? s.text(source_key) : p.source);
      d.set("lines", explanation_lines(s, p.explanation));
      proposals.push_back(d);
    }
    v.set("proposals", proposals);
    v.set("has_proposals", flag(!run->proposals.empty()));
    v.set("no_proposals", flag(run->proposals.empty() && r.state != core::RunState::kRunning &&
                               r.model != core::RunModel::kHybrid));
    if (run->proposals.size() > kMaxRowsShown)
      v.set("more_rows", s.format("page:matching_more_rows", {{"n", std::to_string(kMaxRowsShown)},
                                                              {"total", std::to_string(run->proposals.size())}}));
    v.set("proposals_caption", s.format("page:matching_proposals_caption",
                                        {{"n", std::to_string(run->proposals.size())}}));

    km::data lists{km::data::type::list};
    shown = 0;
    for (std::size_t i = 0; i < run->shortlists.size() && shown < kMaxRowsShown; ++shown) {
      const std::int64_t mentee = run->shortlists[i].menteeid;
      std::string mentors;
      for (; i < run->shortlists.size() && run->shortlists[i].menteeid == mentee; ++i) {
        const auto& x = run->shortlists[i];
        if (!mentors.empty()) mentors += "; ";
        mentors += s.format(x.strong ? "page:matching_shortlist_entry_strong" : "page:matching_shortlist_entry",
                            {{"name", people.name(x.mentorid)}, {"score", std::to_string(x.score)}});
      }
      km::data d;
      d.set("mentee", people.name(mentee));
      d.set("mentors", mentors);
      lists.push_back(d);
    }
    v.set("shortlists", lists);
    v.set("has_shortlists", flag(!run->shortlists.empty()));
    data.set("run", v);
    data.set("has_run", flag(true));
  }

  // Publish conflicts, when a publish was refused.
  km::data conflicts{km::data::type::list};
  for (const app::PublishConflict& c : refusal.conflicts) {
    km::data d;
    d.set("mentee", people.name(c.menteeid));
    d.set("mentor", people.name(c.mentorid));
    const std::string key = "page:matching_conflict_" + c.reason;
    d.set("reason", is_valid_string_key(key) && s.contains(key) ? s.text(key) : c.message);
    conflicts.push_back(d);
  }
  data.set("conflicts", conflicts);
  data.set("has_conflicts", flag(!refusal.conflicts.empty()));

  // Pins and bans.
  km::data rule_rows{km::data::type::list};
  for (const core::PairRule& r : rules) {
    km::data d;
    d.set("mentee", people.name(r.menteeid));
    d.set("mentor", people.name(r.mentorid));
    d.set("menteeid", std::to_string(r.menteeid));
    d.set("mentorid", std::to_string(r.mentorid));
    d.set("kind", s.text(std::string("page:matching_rule_") + core::to_string(r.kind)));
    rule_rows.push_back(d);
  }
  data.set("rules", rule_rows);
  data.set("has_rules", flag(!rules.empty()));

  // Mentees left over, for an administrator to pair by hand with a mentor
  // who has a free place.
  std::map<std::int64_t, core::MentorPlace> place_of;
  for (const auto& p : places) place_of[p.mentorid] = p;
  km::data mentor_options{km::data::type::list};
  bool any_mentor = false;
  for (const auto& [id, e] : people.enrolments) {
    if (e.role != core::Role::kMentor || e.status != core::EnrolmentStatus::kActive) continue;
    auto it = place_of.find(id);
    const int free = it == place_of.end() ? -1 : it->second.free();
    if (free == 0) continue;
    km::data d;
    d.set("value", std::to_string(id));
    d.set("label", free < 0 ? people.name(id)
                            : s.format("page:matching_mentor_option",
                                       {{"name", people.name(id)}, {"free", std::to_string(free)}}));
    mentor_options.push_back(d);
    any_mentor = true;
  }
  km::data unmatched_rows{km::data::type::list};
  for (const core::Enrolment& e : unmatched) {
    km::data d;
    d.set("mentee", people.name(e.id));
    d.set("menteeid", std::to_string(e.id));
    d.set("mentors", mentor_options);
    d.set("has_mentors", flag(any_mentor));
    unmatched_rows.push_back(d);
  }
  data.set("unmatched", unmatched_rows);
  data.set("has_unmatched", flag(!unmatched.empty()));

  km::data waiting_rows{km::data::type::list};
  for (const core::WaitingEntry& w : waiting) {
    km::data d;
    d.set("mentor", people.name(w.mentorid));
    d.set("mentee", people.name(w.menteeid));
    d.set("since", day_text(w.timecreated));
    waiting_rows.push_back(d);
  }
  data.set("waiting", waiting_rows);
  data.set("has_waiting", flag(!waiting.empty()));

  if (!refusal.status.is_ok()) set_refusal(data, refusal_text(s, refusal.status), "matching-actions");
  return render_page(ctx, refusal.status.is_ok() ? 200 : http::http_status_for(refusal.status), "staff_matching", data);
}

// The staff form's effect; the path to go back to on success.
Result<std::string> staff_action(const PageContext& ctx, const SignedIn& who, const FormAccess& f,
                                 std::int64_t cohortid, StaffRefusal& refusal) {
  app::MatchingService* matching = ctx.services.matching;
  app::PairingService* pairings = ctx.services.pairings;
  if (matching == nullptr || pairings == nullptr)
    return Status::unavailable("matching_unavailable", "Matching is not available.");
  const std::string action = f.field("action");
  const std::int64_t runid = id_field(f, "runid");
  // A run named by the form must be one of this cohort's.
  auto run_of_cohort = [&]() -> Result<app::RunView> {
    if (runid == 0) return bad_field("runid");
    auto run = matching->get_run(runid);
    if (!run) return run.status();
    if (run->run.cohortid != cohortid) return Status::not_found("run_not_found", "There is no such matching run.");
    return run;
  };
  if (action == "start") {
    app::RunOptions o;
    const std::string type = f.field("run_type");
    if (type == "assigned_optimal") {
      o.model = core::RunModel::kAssigned;
    } else if (type == "assigned_stable") {
      o.model = core::RunModel::kAssigned;
      o.mode = core::matching::AssignedMode::kStable;
    } else if (type == "hybrid") {
      o.model = core::RunModel::kHybrid;
    } else {
      return Status::invalid("run_type_invalid", "Choose how to match.", "run_type");
    }
    o.requested_by = who.account.id;
    auto started = matching->start_run(cohortid, o);
    if (!started) return started.status();
    return staff_path(cohortid, started->run.id, "started");
  }
  if (action == "publish") {
    auto run = run_of_cohort();
    if (!run) return run.status();
    auto out = matching->publish(runid);
    if (!out) return out.status();
    if (!out->published) {
      refusal.conflicts = out->conflicts;
      return Status::conflict("publish_conflicts", "Some proposals can no longer be made; nothing was published.");
    }
    return staff_path(cohortid, runid, "published");
  }
  if (action == "discard") {
    auto run = run_of_cohort();
    if (!run) return run.status();
    auto out = matching->discard(runid);
    if (!out) return out.status();
    return staff_path(cohortid, runid, "discarded");
  }
  if (action == "resolve") {
    auto run = run_of_cohort();
    if (!run) return run.status();
    auto out = matching->resolve_hybrid(runid);
    if (!out) return out.status();
    return staff_path(cohortid, out->run.id, "started");
  }
  const std::int64_t menteeid = id_field(f, "menteeid");
  const std::int64_t mentorid = id_field(f, "mentorid");
  if (action == "pin" || action == "ban" || action == "unrule" || action == "assign") {
    if (menteeid == 0) return bad_field("menteeid");
    if (mentorid == 0) return bad_field("mentorid");
  }
  const std::int64_t back_run = runid;
  if (action == "pin" || action == "ban") {
    auto rule = matching->set_rule(cohortid, menteeid, mentorid,
                                   action == "pin" ? core::RuleKind::kPin : core::RuleKind::kBan);
    if (!rule) return rule.status();
    return staff_path(cohortid, back_run, action == "pin" ? "pinned" : "banned");
  }
  if (action == "unrule") {
    MENTORING_RETURN_IF_ERROR(matching->remove_rule(cohortid, menteeid, mentorid));
    return staff_path(cohortid, back_run, "unruled");
  }
  if (action == "assign") {
    auto made = pairings->assign(cohortid, menteeid, mentorid);
    if (!made) return made.status();
    return staff_path(cohortid, back_run, "assigned");
  }
  return Status::invalid("action_invalid", "The form asked for something this page does not do.", "action");
}

// --- the participant's side ------------------------------------------------

// The person's active enrolment in `role` in their session's scheme.
struct Membership {
  std::optional<core::Scheme> scheme;
  std::optional<MyEnrolment> mine;
};

Result<Membership> membership(core::Stores& s, const SignedIn& who, core::Role role) {
  Membership out;
  if (!who.session.schemeid) return out;
  auto scheme = s.schemes.find(*who.session.schemeid);
  if (!scheme) return scheme.status();
  out.scheme = std::move(scheme).value();
  if (!out.scheme) return out;
  auto mine = my_enrolments(s, who.account.id, out.scheme->id);
  if (!mine) return mine.status();
  for (const MyEnrolment& e : *mine)
    if (e.enrolment.role == role && e.enrolment.status == core::EnrolmentStatus::kActive) {
      out.mine = e;
      break;
    }
  return out;
}

// The person's enrolment in `role`, read in its own transaction.
Result<Membership> signed_in_membership(const PageContext& ctx, const SignedIn& who, core::Role role) {
  std::optional<Membership> m;
  Status st = ctx.db.transact([&](core::Stores& s) -> Status {
    auto found = membership(s, who, role);
    if (!found) return found.status();
    m = std::move(found).value();
    return Status::ok();
  });
  if (!st) return st;
  return std::move(*m);
}

// Before a participant's page reads requests and ranked lists from the
// stores, the requests of their cohort that have expired are lapsed and the
// ranked lists moved on (app/matching_pairings.h), so the page shows the
// truth rather than waiting for the hourly sweep: an expired request is
// lapsed, the mentee may ask again, a list has gone on to its next choice.
// Without the services the page shows the stores as they are.
Status lapse_expired_requests(const PageContext& ctx, const SignedIn& who, core::Role role) {
  if (ctx.services.pairings == nullptr) return Status::ok();
  auto m = signed_in_membership(ctx, who, role);
  if (!m) return m.status();
  if (!m->mine) return Status::ok();
  return ctx.services.pairings->lapse_expired_in(m->mine->cohort.id);
}

std::string mentor_summary(const Strings& s, const core::MentorProfile& p) {
  std::string out;
  if (!p.specialty.empty()) out += p.specialty;
  if (!p.region.empty()) out += (out.empty() ? "" : ", ") + p.region;
  if (!p.expertise_areas.empty())
    out += (out.empty() ? "" : ". ") + s.text("page:matching_offers") + " " + [&] {
      std::string k;
      for (const auto& a : p.expertise_areas) k += (k.empty() ? "" : ", ") + a;
      return k;
    }();
  return out;
}

km::data mentor_card(const PageContext& ctx, const core::MentorProfile& p, std::int64_t mentorid,
                     const std::string& name, int capacity, int active, const std::string& note, bool can_request) {
  const Strings& s = ctx.renderer.strings();
  km::data d;
  d.set("mentorid", std::to_string(mentorid));
  d.set("name", name);
  d.set("summary", mentor_summary(s, p));
  d.set("bio", p.bio);
  const int free = std::max(0, capacity - active);
  d.set("places", free > 0 ? s.format("page:matching_free_places", {{"n", std::to_string(free)}})
                           : s.text("page:matching_no_free_places"));
  d.set("full", flag(free == 0));
  if (!note.empty()) d.set("note", note);
  d.set("can_request", flag(can_request));
  return d;
}

struct ChoicesForm {
  std::string text, specialty, region;
  bool free_only = false;
};

// Every mentor in the cohort's directory (no search), by name.
Result<std::vector<core::DirectoryEntry>> every_mentor(core::Stores& s, std::int64_t cohortid) {
  std::vector<core::DirectoryEntry> out;
  core::DirectoryQuery dq;
  dq.cohortid = cohortid;
  for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
    dq.page = core::Page{core::kMaxPageSize, offset};
    auto dir = s.pairings.directory(dq);
    if (!dir) return dir.status();
    out.insert(out.end(), dir->entries.begin(), dir->entries.end());
    if (dir->entries.empty() || static_cast<std::int64_t>(out.size()) >= dir->total) break;
  }
  return out;
}

// A name as people type it: spaces at the ends and doubled inside dropped,
// ASCII letters in lower case.
std::string name_key(std::string_view name) {
  std::string out;
  for (char c : name) {
    const bool space = c == ' ' || c == '\t';
    if (space) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The mentors called `name`, as typed.
std::vector<const core::DirectoryEntry*> mentors_called(const std::vector<core::DirectoryEntry>& all,
                                                        std::string_view name) {
  std::vector<const core::DirectoryEntry*> out;
  const std::string key = name_key(name);
  if (key.empty()) return out;
  for (const core::DirectoryEntry& e : all)
    if (name_key(e.display_name) == key) out.push_back(&e);
  return out;
}

// A choice the mentee typed by name (when the cohort is too big to list):
// the one mentor of that name. Invalid "choice_name_unknown" or
// "choice_name_ambiguous" naming `field`.
Result<std::int64_t> mentor_by_name(const std::vector<core::DirectoryEntry>& all, std::string_view name,
                                    const std::string& field) {
  auto found = mentors_called(all, name);
  if (found.empty())
    return Status::invalid("choice_name_unknown", "No mentor in your cohort has that name.", field);
  if (found.size() > 1)
    return Status::invalid("choice_name_ambiguous", "More than one mentor has that name: choose which one.", field);
  return found.front()->mentorid;
}

// A ranked list as the mentee sent it (action=rank), drawn again after a
// refusal. The form has one select per rank, "mentorid_1" (the 1st choice)
// to "mentorid_<max choices>", and one message.
struct RankForm {
  bool sent = false;
  std::vector<std::string> picks;  // each select's value, from the 1st choice
  std::string message;
  std::string pick(int rank) const {
    return rank >= 1 && rank <= static_cast<int>(picks.size()) ? picks[rank - 1] : std::string();
  }
};

std::string rank_field(int rank) { return "mentorid_" + std::to_string(rank); }
// The rank of a select's name, or 0 when `field` is none.
int rank_of_field(std::string_view field) {
  if (!field.starts_with("mentorid_")) return 0;
  auto rank = parse_id(field.substr(9));
  return rank && *rank >= 1 && *rank <= app::kMaxChoicesLimit ? static_cast<int>(*rank) : 0;
}

// "1st choice", "2nd choice"... for ranks 1 to app::kMaxChoicesLimit.
std::string rank_label_key(int rank) { return "page:matching_rank_" + std::to_string(rank); }

// The use case names the mentors it was given "mentorids[i]" (i from 0, over
// the choices made) and the list as a whole "mentorids"; the form's fields
// are its selects, "mentorid_<rank>", where a blank select between two
// choices is skipped. `ranks[i]`: the select of the i-th mentor sent.
Status as_rank_field(const Status& st, const std::vector<int>& ranks) {
  const std::string& field = st.field();
  std::string to;
  if (field == "mentorids") {
    to = rank_field(1);
  } else if (field.starts_with("mentorids[") && field.ends_with("]")) {
    std::size_t i = 0;
    const char* first = field.data() + 10;
    const char* last = field.data() + field.size() - 1;
    auto [end, ec] = std::from_chars(first, last, i);
    if (ec == std::errc() && end == last && i < ranks.size()) to = rank_field(ranks[i]);
  }
  if (to.empty()) return st;
  return Status(st.code(), st.reason(), st.message(), to);
}

// The state of a ranked choice, and of the list, in words.
std::string choice_state_text(const Strings& s, core::ChoiceState st) {
  return s.text(std::string("page:matching_choice_state_") + core::to_string(st));
}
std::string choice_list_state_text(const Strings& s, core::ChoiceListState st) {
  return s.text(std::string("page:matching_choice_list_") + core::to_string(st));
}

http::Response draw_choices(const PageContext& ctx, const SignedIn& who, const ChoicesForm& q,
                            std::int64_t offset, std::string_view done, const Status& refusal,
                            const RankForm& rank = RankForm{}) {
  if (Status fresh = lapse_expired_requests(ctx, who, core::Role::kMentee); !fresh) return failure_page(ctx, fresh);
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:matching_choices_title"), "/matching/choices");
  set_done(s, data, done);
  data.set("action", href(ctx, "/matching/choices"));
  data.set("q_text", q.text);
  data.set("q_specialty", q.specialty);
  data.set("q_region", q.region);
  data.set("q_free_only", flag(q.free_only));
  data.set("q_offset", std::to_string(offset));
  const int max_choices = ctx.services.pairings ? ctx.services.pairings->max_choices() : app::kDefaultMaxChoices;

  Membership m;
  People people;
  std::optional<core::Pairing> paired;
  std::vector<core::MenteeRequest> requests;
  std::vector<core::WaitingEntry> waiting;
  std::optional<core::ChoiceList> ranked;
  bool pending = false, ranked_active = false;
  // The mentors that may be ranked: the options of the rank form's selects
  // (the whole shortlist, or the whole directory up to kMaxRankOptions), how
  // many there are, and, when there are more, every mentor to find the names
  // the mentee typed in.
  std::vector<FieldOption> rankable;
  std::int64_t rankable_total = 0;
  bool rank_by_name = false;
  std::vector<core::DirectoryEntry> every;
  km::data cards{km::data::type::list};
  bool any_card = false, shortlist_open = false;
  std::string deadline;
  std::int64_t total = 0;
  Status st = ctx.db.transact([&](core::Stores& stores) -> Status {
    auto found = membership(stores, who, core::Role::kMentee);
    if (!found) return found.status();
    m = std::move(found).value();
    if (!m.mine) return Status::ok();
    const core::Cohort& cohort = m.mine->cohort;
    const std::int64_t me = m.mine->enrolment.id;
    auto p = cohort_people(stores, cohort.id);
    if (!p) return p.status();
    people = std::move(p).value();
    auto active = stores.pairings.active_for_mentee(me);
    if (!active) return active.status();
    paired = std::move(active).value();
    auto r = stores.pairings.list_requests(cohort.id, me, 0, std::nullopt, core::Page{20, 0});
    if (!r) return r.status();
    requests = std::move(r).value();
    for (const auto& [id, e] : people.enrolments) {
      if (e.role != core::Role::kMentor) continue;
      auto w = stores.pairings.list_waiting(id);
      if (!w) return w.status();
      for (const auto& x : *w)
        if (x.menteeid == me) waiting.push_back(x);
    }
    auto list = stores.choice_lists.latest_for_mentee(me);
    if (!list) return list.status();
    ranked = std::move(list).value();
    ranked_active = ranked && ranked->state == core::ChoiceListState::kActive;
    pending = std::any_of(requests.begin(), requests.end(), [&](const core::MenteeRequest& x) {
      return x.state == core::RequestState::kPending && x.expires_at > ctx.clock.now();
    });
    // While a ranked list is in progress it makes the requests.
    const bool may_request = !paired && !pending && !ranked_active;
    auto add_rankable = [&](std::int64_t mentorid, const std::string& name, int capacity, int active) {
      rankable.push_back({std::to_string(mentorid), active >= capacity
                                                         ? s.format("page:matching_rank_option_full", {{"name", name}})
                                                         : name});
    };
    if (cohort.matching_model == core::MatchingModel::kMenteeChoice) {
      core::DirectoryQuery dq;
      dq.cohortid = cohort.id;
      dq.text = q.text;
      dq.specialty = q.specialty;
      dq.region = q.region;
      dq.free_only = q.free_only;
      dq.page = core::Page{kDirectoryPageSize, offset};
      auto dir = stores.pairings.directory(dq);
      if (!dir) return dir.status();
      total = dir->total;
      for (const core::DirectoryEntry& e : dir->entries) {
        cards.push_back(mentor_card(ctx, e.profile, e.mentorid, e.display_name, e.capacity, e.active, {}, may_request));
        any_card = true;
      }
      if (may_request && any_card) {
        // The whole directory, not the page or search shown.
        core::DirectoryQuery whole;
        whole.cohortid = cohort.id;
        whole.page = core::Page{kMaxRankOptions, 0};
        auto listed = stores.pairings.directory(whole);
        if (!listed) return listed.status();
        rankable_total = listed->total;
        rank_by_name = rankable_total > kMaxRankOptions;
        if (!rank_by_name) {
          for (const core::DirectoryEntry& e : listed->entries)
            add_rankable(e.mentorid, e.display_name, e.capacity, e.active);
        } else if (rank.sent) {
          auto all = every_mentor(stores, cohort.id);
          if (!all) return all.status();
          every = std::move(all).value();
        }
      }
    } else if (cohort.matching_model == core::MatchingModel::kHybrid) {
      // The newest hybrid run whose shortlists are open, as requests see it.
      auto runs = stores.matching_runs.list_by_cohort(cohort.id);
      if (!runs) return runs.status();
      for (const auto& run : *runs) {
        if (run.model != core::RunModel::kHybrid ||
            (run.state != core::RunState::kReady && run.state != core::RunState::kPublished))
          continue;
        shortlist_open = !run.choice_deadline || ctx.clock.now() <= *run.choice_deadline;
        if (run.choice_deadline) deadline = day_text(*run.choice_deadline);
        auto lists = stores.matching_runs.shortlists(run.id);
        if (!lists) return lists.status();
        for (const core::ShortlistRow& row : *lists) {
          if (row.menteeid != me) continue;
          auto mentor = people.enrolments.find(row.mentorid);
          if (mentor == people.enrolments.end()) continue;
          auto profile = stores.profiles.find_mentor(mentor->second.accountid);
          if (!profile) return profile.status();
          if (!*profile) continue;
          auto place = stores.pairings.find_place(row.mentorid);
          if (!place) return place.status();
          const int active = *place ? (*place)->active : 0;
          cards.push_back(mentor_card(ctx, **profile, row.mentorid, people.name(row.mentorid), (*profile)->capacity,
                                      active, row.strong ? s.text("page:matching_strong_option") : std::string(),
                                      may_request && shortlist_open));
          if (may_request && shortlist_open) {
            add_rankable(row.mentorid, people.name(row.mentorid), (*profile)->capacity, active);
            ++rankable_total;
          }
          any_card = true;
        }
        break;
      }
    }
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);

  std::vector<Fact> facts;
  facts.push_back({s.text("page:your_scheme"), m.scheme ? m.scheme->name : s.text("page:no_scheme")});
  std::string not_available;
  if (!m.mine) {
    facts.push_back({s.text("page:your_status"), s.text("page:not_enrolled")});
    not_available = s.text("page:matching_choices_not_enrolled");
  } else {
    const core::Cohort& cohort = m.mine->cohort;
    facts.push_back({s.text("page:column_cohort"), cohort.name});
    facts.push_back({s.text("page:column_matching_model"),
                     s.text(std::string("page:matching_model_") + core::to_string(cohort.matching_model))});
    if (paired) {
      facts.push_back({s.text("page:matching_your_mentor"), people.name(paired->mentorid)});
    } else if (cohort.matching_model == core::MatchingModel::kAssigned) {
      not_available = s.text("page:matching_choices_assigned");
    } else if (cohort.matching_model == core::MatchingModel::kHybrid && !any_card) {
      not_available = s.text("page:matching_choices_no_shortlist");
    }
    if (!deadline.empty()) facts.push_back({s.text("page:matching_choice_deadline"), deadline});
  }
  data.set("facts", facts_data(facts));
  data.set("has_facts", flag(true));
  if (!not_available.empty()) data.set("not_available", not_available);
  data.set("show_not_available", flag(!not_available.empty()));
  data.set("is_directory", flag(m.mine && m.mine->cohort.matching_model == core::MatchingModel::kMenteeChoice &&
                                !paired));
  data.set("is_shortlist", flag(m.mine && m.mine->cohort.matching_model == core::MatchingModel::kHybrid && any_card &&
                                !paired));
  data.set("mentors", cards);
  // Once paired there is no one left to choose (nor a heading above the cards).
  data.set("has_mentors", flag(any_card && !paired));
  if (m.mine && m.mine->cohort.matching_model == core::MatchingModel::kMenteeChoice && !any_card && !paired)
    data.set("no_mentors_found", flag(true));
  if (total > kDirectoryPageSize) {
    data.set("page_of", s.format("page:matching_directory_count",
                                 {{"from", std::to_string(offset + 1)},
                                  {"to", std::to_string(std::min(total, offset + kDirectoryPageSize))},
                                  {"total", std::to_string(total)}}));
    std::string base = "/matching/choices?text=" + query_value(q.text) +
                       "&specialty=" + query_value(q.specialty) + "&region=" + query_value(q.region) +
                       (q.free_only ? "&free_only=1" : "");
    if (offset > 0)
      data.set("previous_href",
               href(ctx, base + "&offset=" + std::to_string(std::max<std::int64_t>(0, offset - kDirectoryPageSize))));
    if (offset + kDirectoryPageSize < total)
      data.set("next_href", href(ctx, base + "&offset=" + std::to_string(offset + kDirectoryPageSize)));
    data.set("has_pages", flag(true));
  }

  km::data request_rows{km::data::type::list};
  for (const core::MenteeRequest& r : requests) {
    km::data d;
    d.set("id", std::to_string(r.id));
    d.set("mentor", people.name(r.mentorid));
    d.set("state", s.text(std::string("page:matching_request_state_") + core::to_string(r.state)));
    d.set("when", day_text(r.timecreated));
    const bool pending = r.state == core::RequestState::kPending && r.expires_at > ctx.clock.now();
    d.set("pending", flag(pending));
    if (pending) d.set("expires", s.format("page:matching_reply_by", {{"date", day_text(r.expires_at)}}));
    request_rows.push_back(d);
  }
  data.set("requests", request_rows);
  data.set("has_requests", flag(!requests.empty()));
  km::data waiting_rows{km::data::type::list};
  for (const core::WaitingEntry& w : waiting) {
    km::data d;
    d.set("mentor", people.name(w.mentorid));
    d.set("since", day_text(w.timecreated));
    waiting_rows.push_back(d);
  }
  data.set("waiting", waiting_rows);
  data.set("has_waiting", flag(!waiting.empty()));

  // The mentee's newest ranked list, whatever became of it.
  if (ranked) {
    km::data rows{km::data::type::list};
    for (const core::ChoiceEntry& e : ranked->entries) {
      km::data d;
      d.set("rank", e.rank >= 1 && e.rank <= app::kMaxChoicesLimit ? s.text(rank_label_key(e.rank))
                                                                     : std::to_string(e.rank));
      d.set("mentor", people.name(e.mentorid));
      d.set("state", choice_state_text(s, e.state));
      rows.push_back(d);
    }
    data.set("choice_rows", rows);
    data.set("choice_list_state", choice_list_state_text(s, ranked->state));
    data.set("choice_list_active", flag(ranked_active));
    data.set("has_choice_list", flag(true));
  }

  // Ranking the mentors shown, while no request or list is in progress.
  const bool can_rank = m.mine && !paired && !pending && !ranked_active && rankable_total > 0;
  const bool choosing = m.mine && !paired && any_card &&
                        (m.mine->cohort.matching_model == core::MatchingModel::kMenteeChoice || shortlist_open);
  if (choosing && ranked_active) {
    data.set("rank_blocked", s.text("page:matching_rank_blocked_by_list"));
  } else if (choosing && pending) {
    data.set("rank_blocked", s.text("page:matching_rank_blocked_by_request"));
  }
  FormView picks(s), note(s);
  if (can_rank) {
    const int slots = static_cast<int>(std::min<std::int64_t>(max_choices, rankable_total));
    std::vector<FieldOption> options{{"", s.text("page:matching_rank_none")}};
    options.insert(options.end(), rankable.begin(), rankable.end());
    for (int r = 1; r <= slots; ++r) {
      if (!rank_by_name) {
        picks.select(rank_field(r), rank_label_key(r), {}, options, rank.pick(r));
        continue;
      }
      // A name (or, chosen among namesakes, a mentor's id) sent before.
      const std::string& pick = rank.pick(r);
      const auto id = parse_id(pick);
      const auto it = std::find_if(every.begin(), every.end(),
                                   [&](const core::DirectoryEntry& e) { return id && e.mentorid == *id; });
      const std::string name = it != every.end() ? it->display_name : pick;
      const auto namesakes = mentors_called(every, name);
      if (namesakes.size() > 1) {
        std::vector<FieldOption> same{{"", s.text("page:matching_rank_none")}};
        for (const core::DirectoryEntry* e : namesakes) {
          const std::string summary = mentor_summary(s, e->profile);
          same.push_back({std::to_string(e->mentorid), summary.empty() ? e->display_name
                                                                       : e->display_name + " (" + summary + ")"});
        }
        picks.select(rank_field(r), rank_label_key(r), "page:matching_rank_namesakes_hint", same,
                     it != every.end() ? pick : std::string());
      } else {
        picks.text(rank_field(r), rank_label_key(r), "page:matching_rank_name_hint", name);
      }
    }
    note.textarea("message", "page:matching_rank_message", "page:matching_rank_message_hint", rank.message, 3);
    data.set("rank_fields", picks.fields());
    data.set("rank_note", note.fields());
    const bool hybrid = m.mine->cohort.matching_model == core::MatchingModel::kHybrid;
    data.set("rank_hint", s.format(hybrid         ? "page:matching_rank_hint"
                                   : rank_by_name ? "page:matching_rank_hint_by_name"
                                                  : "page:matching_rank_hint_cohort",
                                   {{"n", std::to_string(slots)}, {"total", std::to_string(rankable_total)}}));
    data.set("can_rank", flag(true));
  }
  if (!refusal.is_ok()) {
    const std::string& field = refusal.field();
    const int at = rank_of_field(field);
    if (rank.sent && can_rank && (at > 0 || field == "message")) {
      // Next to the select (or the message) at fault, and in the summary.
      std::string message = refusal_text(s, refusal);
      const std::string key = "page:matching_rank_error_" + refusal.reason();
      if (is_valid_string_key(key) && s.contains(key)) {
        auto mentorid = parse_id(rank.pick(at));
        message = s.format(key, {{"name", mentorid ? people.name(*mentorid) : rank.pick(at)},
                                 {"n", std::to_string(max_choices)}});
      }
      FormView& form = field == "message" ? note : picks;
      form.set_error(field, message);
      data.set("rank_fields", picks.fields());
      data.set("rank_note", note.fields());
      data.set("error_list", form.errors());
      data.set("has_errors", flag(true));
    } else {
      set_refusal(data, refusal_text(s, refusal), ranked ? "my-choices" : "choices-status");
    }
  }
  return render_page(ctx, refusal.is_ok() ? 200 : http::http_status_for(refusal), "matching_choices", data);
}

ChoicesForm choices_query(const http::Request& req) {
  ChoicesForm q;
  q.text = std::string(req.query_param("text"));
  q.specialty = std::string(req.query_param("specialty"));
  q.region = std::string(req.query_param("region"));
  q.free_only = !req.query_param("free_only").empty();
  return q;
}

http::Response draw_requests(const PageContext& ctx, const SignedIn& who, std::string_view done,
                             const Status& refusal) {
  if (Status fresh = lapse_expired_requests(ctx, who, core::Role::kMentor); !fresh) return failure_page(ctx, fresh);
  const Strings& s = ctx.renderer.strings();
  km::data data = signed_in_page_data(ctx, who, s.text("page:matching_requests_title"), "/matching/requests");
  set_done(s, data, done);
  data.set("action", href(ctx, "/matching/requests"));
  Membership m;
  People people;
  std::vector<core::MenteeRequest> pending;
  std::vector<core::WaitingEntry> waiting;
  std::vector<core::Pairing> mentees;
  std::optional<core::MentorPlace> place;
  int capacity = 0;
  Status st = ctx.db.transact([&](core::Stores& stores) -> Status {
    auto found = membership(stores, who, core::Role::kMentor);
    if (!found) return found.status();
    m = std::move(found).value();
    if (!m.mine) return Status::ok();
    const std::int64_t me = m.mine->enrolment.id;
    const std::int64_t cid = m.mine->cohort.id;
    auto p = cohort_people(stores, cid);
    if (!p) return p.status();
    people = std::move(p).value();
    auto r = stores.pairings.list_requests(cid, 0, me, core::RequestState::kPending, core::Page{100, 0});
    if (!r) return r.status();
    for (const auto& x : *r)
      if (x.expires_at > ctx.clock.now()) pending.push_back(x);
    auto w = stores.pairings.list_waiting(me);
    if (!w) return w.status();
    waiting = std::move(w).value();
    auto pl = stores.pairings.find_place(me);
    if (!pl) return pl.status();
    place = std::move(pl).value();
    auto profile = stores.profiles.find_mentor(who.account.id);
    if (!profile) return profile.status();
    capacity = *profile ? (*profile)->capacity : 0;
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = stores.pairings.list_by_cohort(cid, core::PairingState::kActive, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      for (const auto& x : *page)
        if (x.mentorid == me) mentees.push_back(x);
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
    return Status::ok();
  });
  if (!st) return failure_page(ctx, st);
  std::vector<Fact> facts;
  facts.push_back({s.text("page:your_scheme"), m.scheme ? m.scheme->name : s.text("page:no_scheme")});
  if (!m.mine) {
    facts.push_back({s.text("page:your_status"), s.text("page:not_enrolled")});
    data.set("not_available", s.text("page:matching_requests_not_enrolled"));
    data.set("show_not_available", flag(true));
  } else {
    facts.push_back({s.text("page:column_cohort"), m.mine->cohort.name});
    const int active = static_cast<int>(mentees.size());
    facts.push_back({s.text("page:matching_your_places"),
                     s.format("page:matching_places_value",
                              {{"active", std::to_string(active)}, {"capacity", std::to_string(capacity)}})});
  }
  data.set("facts", facts_data(facts));
  data.set("has_facts", flag(true));
  const bool full = m.mine && static_cast<int>(mentees.size()) >= capacity;
  km::data rows{km::data::type::list};
  for (const core::MenteeRequest& r : pending) {
    km::data d;
    d.set("id", std::to_string(r.id));
    d.set("mentee", people.name(r.menteeid));
    d.set("message", r.message);
    d.set("expires", s.format("page:matching_reply_by", {{"date", day_text(r.expires_at)}}));
    d.set("full", flag(full));
    rows.push_back(d);
  }
  data.set("requests", rows);
  data.set("has_requests", flag(!pending.empty()));
  data.set("no_requests", flag(m.mine && pending.empty()));
  km::data mentee_rows{km::data::type::list};
  for (const core::Pairing& p : mentees) {
    km::data d;
    d.set("mentee", people.name(p.menteeid));
    d.set("since", p.started_at ? day_text(*p.started_at) : std::string());
    mentee_rows.push_back(d);
  }
  data.set("mentees", mentee_rows);
  data.set("has_mentees", flag(!mentees.empty()));
  km::data waiting_rows{km::data::type::list};
  for (const core::WaitingEntry& w : waiting) {
    km::data d;
    d.set("mentee", people.name(w.menteeid));
    d.set("since", day_text(w.timecreated));
    waiting_rows.push_back(d);
  }
  data.set("waiting", waiting_rows);
  data.set("has_waiting", flag(!waiting.empty()));
  if (!refusal.is_ok())
    set_refusal(data,
                refusal.reason() == "mentor_full" ? s.text("page:matching_you_are_full") : refusal_text(s, refusal),
                "requests");
  return render_page(ctx, refusal.is_ok() ? 200 : http::http_status_for(refusal), "matching_requests", data);
}

http::Response matching_unavailable(const PageContext& ctx) {
  return failure_page(ctx, Status::unavailable("matching_unavailable", "Matching is not available."));
}

}  // namespace

http::Response staff_matching(const PageContext& ctx, const http::Request& req) {
  if (req.method == "POST") {
    FormAccess f = require_form(ctx, req, {cap::kPairingAssign});
    if (!f) return std::move(f.refusal);
    const std::int64_t cohortid = id_field(f, "cohortid");
    StaffRefusal refusal;
    // The cohort must be one of this person's schemes'.
    Status in_scope = ctx.db.transact([&](core::Stores& s) -> Status {
      auto list = staff_cohorts(s, *f.signed_in);
      if (!list) return list.status();
      for (const StaffCohort& c : *list)
        if (c.cohort.id == cohortid) return Status::ok();
      return Status::not_found("cohort_not_found", "There is no such cohort in your scheme.");
    });
    if (!in_scope) return failure_page(ctx, in_scope);
    if (auto again = claim_form(ctx, f); again) return std::move(*again);
    auto back = staff_action(ctx, *f.signed_in, f, cohortid, refusal);
    if (back) return see_other(ctx, *back);
    refusal.status = back.status();
    if (back.status().code() == core::Code::kUnavailable) return failure_page(ctx, back.status());
    const std::int64_t runid = id_field(f, "runid");
    return draw_staff(ctx, *f.signed_in, cohortid, runid ? std::optional<std::int64_t>(runid) : std::nullopt, {},
                      refusal);
  }
  Access a = require_access(ctx, req, {cap::kPairingAssign});
  if (!a) return std::move(a.refusal);
  auto cohort = parse_id(req.query_param("cohort"));
  auto run = parse_id(req.query_param("run"));
  if ((!req.query_param("cohort").empty() && !cohort) || (!req.query_param("run").empty() && !run))
    return failure_page(ctx, Status::not_found("page_not_found", "There is no such page."));
  return draw_staff(ctx, *a.signed_in, cohort, run, req.query_param("done"), {});
}

http::Response matching_choices(const PageContext& ctx, const http::Request& req) {
  if (req.method == "POST") {
    FormAccess f = require_form(ctx, req, {cap::kMenteeParticipate});
    if (!f) return std::move(f.refusal);
    if (ctx.services.pairings == nullptr) return matching_unavailable(ctx);
    auto found = signed_in_membership(ctx, *f.signed_in, core::Role::kMentee);
    if (!found) return failure_page(ctx, found.status());
    const Membership& m = *found;
    if (!m.mine)
      return draw_choices(ctx, *f.signed_in, {}, 0, {},
                          Status::failed_precondition("mentee_not_enrolled", "You are not enrolled as a mentee."));
    if (auto again = claim_form(ctx, f); again) return std::move(*again);
    const std::string action = f.field("action");
    const std::int64_t cohortid = m.mine->cohort.id, me = m.mine->enrolment.id;
    Status done = Status::ok();
    std::string confirmation;
    RankForm rank;
    ChoicesForm rank_query;
    std::int64_t rank_offset = 0;
    if (action == "request") {
      const std::int64_t mentorid = id_field(f, "mentorid");
      if (mentorid == 0) {
        done = bad_field("mentorid");
      } else {
        auto out = ctx.services.pairings->request(cohortid, me, mentorid, f.field("message"),
                                                  !f.field("wait_if_full").empty());
        done = out.status();
        if (out) confirmation = out->waiting ? "waiting" : "requested";
      }
    } else if (action == "withdraw") {
      const std::int64_t requestid = id_field(f, "requestid");
      auto mine = ctx.services.pairings->requests(cohortid, me, 0, std::nullopt, core::Page{100, 0});
      done = mine.status();
      if (mine) {
        const bool ours = std::any_of(mine->begin(), mine->end(), [&](const auto& r) { return r.id == requestid; });
        if (!ours) {
          done = Status::not_found("request_not_found", "There is no such request of yours.");
        } else {
          done = ctx.services.pairings->withdraw(requestid).status();
          confirmation = "withdrawn";
        }
      }
    } else if (action == "rank") {
      // The selects in rank order; a blank one is no choice. The directory
      // search the form was drawn with comes back too, to draw it again.
      rank.sent = true;
      rank.message = f.field("message");
      rank_query.text = f.field("text");
      rank_query.specialty = f.field("specialty");
      rank_query.region = f.field("region");
      rank_query.free_only = !f.field("free_only").empty();
      auto at = parse_id(f.field("offset"));
      rank_offset = at ? *at : 0;
      std::vector<std::int64_t> mentorids;
      std::vector<int> ranks;
      // A choice is a mentor's id (a select) or, in a cohort too big to list,
      // a name typed in, found among all the cohort's mentors.
      std::optional<std::vector<core::DirectoryEntry>> every;
      for (int r = 1; r <= app::kMaxChoicesLimit; ++r) rank.picks.push_back(f.field(rank_field(r)));
      for (int r = 1; r <= app::kMaxChoicesLimit; ++r) {
        const std::string& pick = rank.pick(r);
        if (name_key(pick).empty()) continue;
        std::optional<std::int64_t> id = parse_id(pick);
        if (!id) {
          if (!every) {
            Status read = ctx.db.transact([&](core::Stores& s) -> Status {
              auto all = every_mentor(s, cohortid);
              if (!all) return all.status();
              every = std::move(all).value();
              return Status::ok();
            });
            if (!read) return failure_page(ctx, read);
          }
          auto found = mentor_by_name(*every, pick, rank_field(r));
          done = found.status();
          if (found) id = *found;
        }
        if (!done) break;
        mentorids.push_back(*id);
        ranks.push_back(r);
      }
      if (done) {
        auto out = ctx.services.pairings->request_ranked(cohortid, me, mentorids, rank.message);
        done = as_rank_field(out.status(), ranks);
        confirmation = "ranked";
      }
    } else if (action == "withdraw_choices") {
      done = ctx.services.pairings->withdraw_choices(cohortid, me).status();
      confirmation = "choices_withdrawn";
    } else {
      done = Status::invalid("action_invalid", "The form asked for something this page does not do.", "action");
    }
    if (done) return see_other(ctx, "/matching/choices?done=" + confirmation);
    return draw_choices(ctx, *f.signed_in, rank_query, rank_offset, {}, done, rank);
  }
  Access a = require_access(ctx, req, {cap::kMenteeParticipate});
  if (!a) return std::move(a.refusal);
  auto offset = parse_id(req.query_param("offset"));
  return draw_choices(ctx, *a.signed_in, choices_query(req), offset ? *offset : 0, req.query_param("done"),
                      Status::ok());
}

http::Response matching_requests(const PageContext& ctx, const http::Request& req) {
  if (req.method == "POST") {
    FormAccess f = require_form(ctx, req, {cap::kMentorParticipate});
    if (!f) return std::move(f.refusal);
    if (ctx.services.pairings == nullptr) return matching_unavailable(ctx);
    auto found = signed_in_membership(ctx, *f.signed_in, core::Role::kMentor);
    if (!found) return failure_page(ctx, found.status());
    const Membership& m = *found;
    if (!m.mine)
      return draw_requests(ctx, *f.signed_in, {},
                           Status::failed_precondition("mentor_not_enrolled", "You are not enrolled as a mentor."));
    if (auto again = claim_form(ctx, f); again) return std::move(*again);
    const std::string action = f.field("action");
    const std::int64_t requestid = id_field(f, "requestid");
    Status done = Status::ok();
    // Only a request made to this mentor may be answered here.
    auto to_me = ctx.services.pairings->requests(m.mine->cohort.id, 0, m.mine->enrolment.id,
                                                 core::RequestState::kPending, core::Page{100, 0});
    if (!to_me) {
      done = to_me.status();
    } else if (!std::any_of(to_me->begin(), to_me->end(), [&](const auto& r) { return r.id == requestid; })) {
      done = Status::conflict("request_not_pending", "The request is no longer waiting for your answer.");
    } else if (action == "accept") {
      // Takes one of the mentor's places in the same statement that checks
      // there is one (app/matching_pairings.h), so a full mentor is refused.
      done = ctx.services.pairings->accept(requestid).status();
    } else if (action == "decline") {
      done = ctx.services.pairings->decline(requestid).status();
    } else {
      done = Status::invalid("action_invalid", "The form asked for something this page does not do.", "action");
    }
    if (done) return see_other(ctx, std::string("/matching/requests?done=") + (action == "accept" ? "accepted" : "declined"));
    return draw_requests(ctx, *f.signed_in, {}, done);
  }
  Access a = require_access(ctx, req, {cap::kMentorParticipate});
  if (!a) return std::move(a.refusal);
  return draw_requests(ctx, *a.signed_in, req.query_param("done"), Status::ok());
}

}  // namespace mentoring::web::pages
