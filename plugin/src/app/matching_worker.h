// The background worker for matching runs (app/matching_runs.h): a thread
// that takes queued runs and does them, so that the page that started a run
// can show its progress while it works.
//
// Queued runs live in the database (a running run no worker has claimed),
// so the queue survives a restart and is shared by every plugin instance on
// the same database: each worker looks for queued runs when told a run was
// queued (notify(), wired to MatchingService::set_background) and every
// `poll_interval_ms`, and claims each with a conditional update, so exactly
// one worker does a given run.
//
// stop() (and the destructor) lets the run in hand finish, then stops the
// thread; queued runs not yet started stay queued for the next worker.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "app/matching_runs.h"

namespace mentoring::app {

struct MatchingWorkerOptions {
  // Who claims the runs, as stored on them (at most 100 characters), e.g.
  // "host-1234". Default: "worker".
  std::string name = "worker";
  // How often to look for runs queued by other instances. Default: 2000.
  std::int64_t poll_interval_ms = 2000;
};

class MatchingWorker {
 public:
  // level: 0 debug, 1 info, 2 warning, 3 error. `service` must outlive the worker.
  using LogFn = std::function<void(int level, std::string_view line)>;
  MatchingWorker(MatchingService& service, MatchingWorkerOptions options, LogFn log = {});
  ~MatchingWorker();
  MatchingWorker(const MatchingWorker&) = delete;
  MatchingWorker& operator=(const MatchingWorker&) = delete;

  // Starts the thread; a no-op when it is running.
  void start();
  // Lets the current run finish and stops the thread. Idempotent.
  void stop();
  // A run was queued: look now rather than at the next poll. Thread-safe.
  void notify();

  // Marks abandoned runs failed (MatchingService::fail_abandoned), then
  // does every queued run this worker can claim, in the calling thread.
  // Returns how many it did; none once stop() was called. For the thread
  // and for tests.
  core::Result<int> run_queued();
  bool running() const;

 private:
  void loop();

  MatchingService& service_;
  MatchingWorkerOptions options_;
  LogFn log_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool pending_ = false;
  std::thread thread_;
};

}  // namespace mentoring::app
