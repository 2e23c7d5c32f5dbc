#include "app/survey_due.h"

#include <algorithm>
#include <boost/json.hpp>
#include <map>
#include <set>

#include "core/evaluation_stores.h"
#include "core/events.h"
#include "core/survey_due_stores.h"
#include "core/webhook_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;

namespace {

const char* audience_of(core::Role role) {
  return role == core::Role::kMentee ? core::kAudienceMentees : core::kAudienceMentors;
}

bool sent_to(const core::SurveyRound& round, const char* audience) {
  return std::find(round.audiences.begin(), round.audiences.end(), audience) != round.audiences.end();
}

}  // namespace

bool survey_round_announced_on(const core::SurveyRound& round, core::Date today) { return today <= round.closes_on; }

std::string survey_due_key(std::int64_t roundid, std::int64_t accountid) {
  return "survey_round:" + std::to_string(roundid) + ":account:" + std::to_string(accountid);
}

Result<bool> announce_survey_round_to(core::Stores& s, const core::SurveyRound& round, std::int64_t schemeid,
                                      std::int64_t accountid, const std::vector<std::string>& audiences,
                                      core::UnixSeconds now) {
  auto account = s.accounts.find(accountid);
  if (!account) return account.status();
  if (!*account) return Status::not_found("account_not_found", "The event names an unknown account.");
  auto fresh = s.survey_due.record(round.id, accountid, now);
  if (!fresh) return fresh.status();
  if (!*fresh) return false;
  boost::json::array list;
  for (const auto& a : audiences) list.emplace_back(a);
  boost::json::object data;
  data["round_id"] = round.id;
  data["scheme_id"] = schemeid;
  data["cohort_id"] = round.cohortid;
  data["phase"] = core::to_string(round.phase);
  data["opens_on"] = round.opens_on.to_string();
  data["closes_on"] = round.closes_on.to_string();
  data["audiences"] = std::move(list);
  const std::string key = survey_due_key(round.id, accountid);
  data["idempotency_key"] = key;
  data["account"] = boost::json::object{{"platform", (*account)->platform}, {"subject", (*account)->subject}};
  auto appended = s.outbox.append_once(core::to_string(core::OutboundEventType::kSurveyDue),
                                       boost::json::serialize(data), key, now);
  if (!appended) return appended.status();
  return appended->has_value();
}

Result<int> announce_survey_round(core::Stores& s, const core::SurveyRound& round, std::int64_t schemeid,
                                  core::UnixSeconds now) {
  if (!survey_round_announced_on(round, core::Date::from_unix(now))) return 0;
  auto told = s.survey_due.announced_to(round.id);
  if (!told) return told.status();
  const std::set<std::int64_t> already(told->begin(), told->end());
  // account id -> the audiences it belongs to, in the round's order; people
  // in the order first met, so the events come out in a stable order.
  std::map<std::int64_t, std::vector<std::string>> audiences_of;
  std::vector<std::int64_t> order;
  for (const std::string& audience : round.audiences) {
    core::Role role;
    if (audience == core::kAudienceMentees)
      role = core::Role::kMentee;
    else if (audience == core::kAudienceMentors)
      role = core::Role::kMentor;
    else
      continue;  // a group the host identifies itself
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto page = s.enrolments.list_by_cohort(round.cohortid, role, core::Page{core::kMaxPageSize, offset});
      if (!page) return page.status();
      for (const core::Enrolment& e : *page) {
        if (e.status != core::EnrolmentStatus::kActive || already.count(e.accountid)) continue;
        auto& list = audiences_of[e.accountid];
        if (list.empty()) order.push_back(e.accountid);
        if (list.empty() || list.back() != audience) list.push_back(audience);
      }
      if (static_cast<std::int64_t>(page->size()) < core::kMaxPageSize) break;
    }
  }
  int appended = 0;
  for (std::int64_t accountid : order) {
    auto done = announce_survey_round_to(s, round, schemeid, accountid, audiences_of[accountid], now);
    if (!done) return done.status();
    if (*done) ++appended;
  }
  return appended;
}

Result<int> announce_open_rounds_to_enrolment(core::Stores& s, const core::Enrolment& enrolment,
                                              const core::Cohort& cohort, core::UnixSeconds now) {
  if (enrolment.status != core::EnrolmentStatus::kActive) return 0;
  const char* audience = audience_of(enrolment.role);
  const core::Date today = core::Date::from_unix(now);
  auto rounds = s.surveys.list_rounds(cohort.schemeid);
  if (!rounds) return rounds.status();
  int appended = 0;
  for (const core::SurveyRound& r : *rounds) {
    if (r.cohortid != enrolment.cohortid || !sent_to(r, audience) || !survey_round_announced_on(r, today)) continue;
    auto done = announce_survey_round_to(s, r, cohort.schemeid, enrolment.accountid, {audience}, now);
    if (!done) return done.status();
    if (*done) ++appended;
  }
  return appended;
}

Result<SurveyDueSweepResult> SurveyDueSweep::run() {
  const core::UnixSeconds now = clock_.now();
  const core::Date today = core::Date::from_unix(now);
  // The rounds still announced, read once; each is then swept in its own
  // short transaction so no lock is held across the whole database.
  std::vector<std::pair<core::SurveyRound, std::int64_t>> open;  // round, scheme id
  Status listed = db_.read_only([&](core::Stores& s) -> Status {
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto schemes = s.schemes.list(core::Page{core::kMaxPageSize, offset});
      if (!schemes) return schemes.status();
      for (const core::Scheme& scheme : *schemes) {
        auto rounds = s.surveys.list_rounds(scheme.id);
        if (!rounds) return rounds.status();
        for (const core::SurveyRound& r : *rounds)
          if (survey_round_announced_on(r, today) &&
              (sent_to(r, core::kAudienceMentees) || sent_to(r, core::kAudienceMentors)))
            open.emplace_back(r, scheme.id);
      }
      if (static_cast<std::int64_t>(schemes->size()) < core::kMaxPageSize) break;
    }
    return Status::ok();
  });
  if (!listed) return listed;
  SurveyDueSweepResult result;
  for (const auto& [round, schemeid] : open) {
    ++result.rounds;
    int queued = 0;
    Status st = db_.transact([&](core::Stores& s) -> Status {
      auto n = announce_survey_round(s, round, schemeid, now);
      if (!n) return n.status();
      queued = *n;
      return Status::ok();
    });
    if (!st) return st;
    result.queued += queued;
  }
  return result;
}

}  // namespace mentoring::app
