// A background worker for work queued in the database: a thread that takes
// queued items and does them, so that the page that queued the work can
// show its progress while it runs. Matching runs (app/matching_runs.h) and
// bulk imports (app/import_jobs.h) are both done this way.
//
// Queued items live in the database, so the queue survives a restart and is
// shared by every plugin instance on the same database: each worker looks
// for queued items when told something was queued (notify()) and every
// `poll_interval_ms`, and claims each with a conditional update, so exactly
// one worker does a given item.
//
// stop() (and the destructor) lets the item in hand finish, then stops the
// thread; queued items not yet started stay queued for the next worker.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/status.h"

namespace mentoring::app {

// What a kind of queued work offers its worker.
class QueuedWork {
 public:
  virtual ~QueuedWork() = default;
  // "matching run", "import": for log lines.
  virtual std::string_view queued_work_name() const = 0;
  // Deals with items whose worker (in any instance) stopped; returns how many.
  virtual core::Result<std::int64_t> fail_abandoned() = 0;
  // Queued items, oldest first, at most `limit`.
  virtual core::Result<std::vector<std::int64_t>> queued(std::int64_t limit) = 0;
  // Claims item `id` for `worker` and does it; false when another worker
  // claimed it first (or it is no longer queued).
  virtual core::Result<bool> execute(std::int64_t id, const std::string& worker) = 0;
};

struct BackgroundWorkerOptions {
  // Who claims the items, as stored on them (at most 100 characters), e.g.
  // "host-1234". Default: "worker".
  std::string name = "worker";
  // How often to look for items queued by other instances. Default: 2000.
  std::int64_t poll_interval_ms = 2000;
};

class BackgroundWorker {
 public:
  // level: 0 debug, 1 info, 2 warning, 3 error. `work` must outlive the worker.
  using LogFn = std::function<void(int level, std::string_view line)>;
  BackgroundWorker(QueuedWork& work, BackgroundWorkerOptions options, LogFn log = {});
  ~BackgroundWorker();
  BackgroundWorker(const BackgroundWorker&) = delete;
  BackgroundWorker& operator=(const BackgroundWorker&) = delete;

  // Starts the thread; a no-op when it is running.
  void start();
  // Lets the current item finish and stops the thread. Idempotent.
  void stop();
  // Something was queued: look now rather than at the next poll. Thread-safe.
  void notify();

  // Deals with abandoned items (QueuedWork::fail_abandoned), then does every
  // queued item this worker can claim, in the calling thread. Returns how
  // many it did; none once stop() was called. For the thread and for tests.
  core::Result<int> run_queued();
  bool running() const;
  const std::string& name() const { return options_.name; }

 private:
  void loop();

  QueuedWork& work_;
  BackgroundWorkerOptions options_;
  LogFn log_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool pending_ = false;
  std::thread thread_;
};

}  // namespace mentoring::app
