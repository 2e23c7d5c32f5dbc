#include "app/demographic_aggregates.h"

#include <map>
#include <set>

#include "app/demographics.h"
#include "core/audit_stores.h"
#include "core/demographics.h"
#include "core/matching_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

Result<std::optional<std::vector<core::DemographicBreakdown>>> DemographicEquityAggregates::breakdowns(
    std::int64_t schemeid, std::int64_t cohortid) {
  using Out = std::optional<std::vector<core::DemographicBreakdown>>;
  if (cipher_.current_version() <= 0) return Out();
  // account -> matched, for the cohort's mentees; then each one's answers.
  std::map<std::int64_t, bool> mentees;
  std::map<std::int64_t, core::DemographicAnswers> answers;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    auto cohort = s.schemes.find_cohort(cohortid);
    if (!cohort) return cohort.status();
    if (!*cohort || (*cohort)->schemeid != schemeid)
      return Status::not_found("cohort_not_found", "There is no cohort with that id in the scheme.");
    std::map<std::int64_t, std::int64_t> account_of;  // mentee enrolment -> account
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = s.enrolments.list_by_cohort(cohortid, core::Role::kMentee, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      for (const core::Enrolment& e : *page) {
        account_of[e.id] = e.accountid;
        mentees.emplace(e.accountid, false);
      }
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = s.pairings.list_by_cohort(cohortid, std::nullopt, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      for (const core::Pairing& p : *page) {
        if (!p.started_at) continue;  // a proposal is not a match yet
        auto it = account_of.find(p.menteeid);
        if (it != account_of.end()) mentees[it->second] = true;
      }
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
    std::int64_t after = 0;
    while (true) {
      auto batch = s.demographics.list_after(after, core::kMaxPageSize);
      if (!batch) return batch.status();
      for (const auto& r : *batch) {
        after = r.id;
        if (!mentees.count(r.accountid)) continue;
        auto opened = open_demographics(cipher_, r.accountid, r.sealed);
        if (!opened) return opened.status();
        answers[r.accountid] = std::move(opened).value();
      }
      if (static_cast<std::int64_t>(batch->size()) < core::kMaxPageSize) break;
    }
    return Status::ok();
  });
  if (!st) return st;

  std::vector<core::DemographicBreakdown> out;
  for (const core::DemographicQuestion& q : core::demographic_questions()) {
    std::map<std::string, core::evaluation::GroupCounts> by_answer;
    for (const auto& [accountid, matched] : mentees) {
      auto a = answers.find(accountid);
      std::string group = core::kNotAnswered;
      if (a != answers.end()) {
        auto v = a->second.find(q.name);
        if (v != a->second.end()) group = v->second;
      }
      core::evaluation::GroupCounts& g = by_answer[group];
      g.group = group;
      ++g.denominator;
      if (matched) ++g.numerator;
    }
    core::DemographicBreakdown b;
    b.dimension = q.name;
    b.measure = "matched";
    for (const char* answer : q.answers) {
      if (std::string_view(answer) == core::kNotAnswered) continue;
      auto it = by_answer.find(answer);
      if (it != by_answer.end()) b.groups.push_back(it->second);
    }
    auto na = by_answer.find(core::kNotAnswered);
    if (na != by_answer.end()) b.groups.push_back(na->second);
    if (!b.groups.empty()) out.push_back(std::move(b));
  }
  return Out(std::move(out));
}

}  // namespace mentoring::app
