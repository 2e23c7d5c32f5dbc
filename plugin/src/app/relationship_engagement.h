// What the relationship records feed elsewhere: the engagement figures of the
// evaluation report, and the reminders that keep pairs meeting.
//
// Reminders: a sweep reads every active pairing, applies the engagement
// rules (core/evaluation/engagement.h) with the scheme's point of contact
// from its governance register, and for each reminder due claims its key in
// the nudges table and appends mentoring.meeting_due (to the pair) or
// mentoring.escalation_raised (to the point of contact) to the webhook
// outbox in the same transaction. A key is claimed once, so however often
// and on however many instances the sweep runs, each reminder reaches the
// host exactly once; the host sends the message. A scheme without a point of
// contact gets reminders but no escalations.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string_view>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/evaluation/engagement.h"
#include "core/evaluation_stores.h"
#include "core/stores.h"

namespace mentoring::app {

// The evaluation report's engagement counts from the matching and meetings
// records (one read-only transaction).
class RelationshipEngagementAggregates final : public core::EngagementAggregates {
 public:
  explicit RelationshipEngagementAggregates(core::Database& db) : db_(db) {}
  core::Result<std::optional<core::EngagementCounts>> counts(std::int64_t schemeid, std::int64_t cohortid) override;

 private:
  core::Database& db_;
};

struct ReminderSweepResult {
  int pairings = 0;  // active pairings looked at
  int queued = 0;    // reminders appended to the outbox by this sweep
  int already_sent = 0;  // due, but queued by an earlier sweep
};

class ReminderSweep {
 public:
  // `policy` gives the weeks; its point of contact is ignored (each scheme's
  // comes from its governance register). Checked by core::evaluation::validate.
  ReminderSweep(core::Database& db, const core::Clock& clock, core::evaluation::EngagementPolicy policy = {})
      : db_(db), clock_(clock), policy_(policy) {}

  // One sweep over every scheme, in one transaction.
  core::Result<ReminderSweepResult> run();

 private:
  core::Database& db_;
  const core::Clock& clock_;
  core::evaluation::EngagementPolicy policy_;
};

// Runs the sweep every `interval_ms` on its own thread (the first run soon
// after start), logging failures and going on. stop() (and the destructor)
// waits for a sweep in progress to finish.
class ReminderWorker {
 public:
  using LogFn = std::function<void(int level, std::string_view line)>;
  // Default interval: one hour; reminders are counted in weeks.
  static constexpr std::int64_t kDefaultIntervalMs = 3600 * 1000;
  ReminderWorker(ReminderSweep& sweep, std::int64_t interval_ms = kDefaultIntervalMs, LogFn log = {});
  ~ReminderWorker();
  ReminderWorker(const ReminderWorker&) = delete;
  ReminderWorker& operator=(const ReminderWorker&) = delete;

  void start();  // a no-op when running
  void stop();   // idempotent
  // Another periodic sweep run on the same thread after each reminder sweep
  // (e.g. app/survey_due.h). Call before start().
  void add_sweep(std::function<void()> sweep) { extra_.push_back(std::move(sweep)); }

 private:
  void loop();
  ReminderSweep& sweep_;
  std::vector<std::function<void()>> extra_;
  std::int64_t interval_ms_;
  LogFn log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace mentoring::app
