#include "app/relationship_engagement.h"

#include <boost/json.hpp>
#include <limits>

#include "core/events.h"
#include "core/relationship/relationship_stores.h"
#include "core/setup_stores.h"
#include "core/webhook_stores.h"

namespace mentoring::app {
using core::Result;
using core::Status;
namespace ev = core::evaluation;

Result<std::optional<core::EngagementCounts>> RelationshipEngagementAggregates::counts(std::int64_t schemeid,
                                                                                       std::int64_t cohortid) {
  std::optional<core::EngagementCounts> out;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto c = s.relationships.engagement_counts(schemeid, cohortid);
    if (!c) return c.status();
    out = *c;
    return Status::ok();
  });
  if (!st) return st;
  return out;
}

namespace {

// Stands in for a missing point of contact so the rules can run; nudges
// addressed to it are dropped.
constexpr std::int64_t kNoPointOfContact = std::numeric_limits<std::int64_t>::max();

Result<std::int64_t> point_of_contact(core::Stores& s, std::int64_t schemeid) {
  auto reg = s.governance.list(schemeid);
  if (!reg) return reg.status();
  for (const core::GovernanceAssignment& g : *reg)
    if (g.accountid > 0 && g.responsibility == core::Responsibility::kDayToDayManagementAndPointOfContact)
      return g.accountid;
  return std::int64_t{0};
}

Result<boost::json::object> person(core::Stores& s, ev::RecipientRole role, std::int64_t accountid) {
  auto a = s.accounts.find(accountid);
  if (!a) return a.status();
  if (!*a) return Status::not_found("account_not_found", "A reminder names an account that no longer exists.");
  return boost::json::object{{"role", ev::to_string(role)},
                             {"account", boost::json::object{{"platform", (*a)->platform}, {"subject", (*a)->subject}}}};
}

}  // namespace

Result<ReminderSweepResult> ReminderSweep::run() {
  const core::UnixSeconds now = clock_.now();
  const core::Date today = core::Date::from_unix(now);
  ReminderSweepResult result;
  Status st = db_.transact([&](core::Stores& s) -> Status {
    for (std::int64_t offset = 0;; offset += core::kMaxPageSize) {
      auto schemes = s.schemes.list(core::Page{core::kMaxPageSize, offset});
      if (!schemes) return schemes.status();
      for (const core::Scheme& scheme : *schemes) {
        auto poc = point_of_contact(s, scheme.id);
        if (!poc) return poc.status();
        ev::EngagementPolicy policy = policy_;
        policy.point_of_contact_accountid = *poc > 0 ? *poc : kNoPointOfContact;
        auto cohorts = s.schemes.list_cohorts(scheme.id);
        if (!cohorts) return cohorts.status();
        for (const core::Cohort& cohort : *cohorts) {
          auto activity = s.relationships.active_activity(cohort.id, now);
          if (!activity) return activity.status();
          result.pairings += static_cast<int>(activity->size());
          auto due = ev::nudges_due(*activity, today, policy);
          if (!due) return due.status();
          for (const ev::Nudge& n : *due) {
            const bool escalation =
                n.kind == ev::NudgeKind::kNoFirstMeetingEscalation || n.kind == ev::NudgeKind::kGoneQuietEscalation;
            if (escalation && *poc <= 0) continue;
            auto claimed = s.relationships.record_nudge(n, now);
            if (!claimed) return claimed.status();
            if (!*claimed) {
              ++result.already_sent;
              continue;
            }
            boost::json::array recipients;
            for (const ev::Recipient& r : n.recipients) {
              auto p = person(s, r.role, r.accountid);
              if (!p) return p.status();
              recipients.push_back(std::move(p).value());
            }
            boost::json::object data;
            data["pairing_id"] = n.pairingid;
            data["scheme_id"] = scheme.id;
            data["cohort_id"] = cohort.id;
            data["reason"] = n.reason;
            data["due_on"] = n.due_on.to_string();
            data["weeks_without_meeting"] = n.weeks_without_meeting;
            data["idempotency_key"] = n.key;
            data["recipients"] = std::move(recipients);
            const auto type =
                escalation ? core::OutboundEventType::kEscalationRaised : core::OutboundEventType::kMeetingDue;
            auto appended = s.outbox.append(core::to_string(type), boost::json::serialize(data), now);
            if (!appended) return appended.status();
            MENTORING_RETURN_IF_ERROR(s.relationships.link_nudge(n.key, appended->id, now));
            ++result.queued;
          }
        }
      }
      if (static_cast<std::int64_t>(schemes->size()) < core::kMaxPageSize) break;
    }
    return Status::ok();
  });
  if (!st) return st;
  return result;
}

ReminderWorker::ReminderWorker(ReminderSweep& sweep, std::int64_t interval_ms, LogFn log)
    : sweep_(sweep), interval_ms_(interval_ms > 0 ? interval_ms : kDefaultIntervalMs), log_(std::move(log)) {}

ReminderWorker::~ReminderWorker() { stop(); }

void ReminderWorker::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void ReminderWorker::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

void ReminderWorker::loop() {
  // A short pause first, so a starting instance finishes opening before the
  // first sweep.
  std::int64_t wait_ms = 5000;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (cv_.wait_for(lock, std::chrono::milliseconds(wait_ms), [this] { return stopping_; })) return;
    }
    auto r = sweep_.run();
    if (log_) {
      if (!r)
        log_(2, "reminder sweep failed: " + r.status().to_string());
      else if (r->queued > 0)
        log_(1, "reminder sweep queued " + std::to_string(r->queued) + " reminders");
    }
    for (const auto& sweep : extra_) sweep();
    wait_ms = interval_ms_;
  }
}

}  // namespace mentoring::app
