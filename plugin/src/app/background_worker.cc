#include "app/background_worker.h"

#include <chrono>

namespace mentoring::app {

namespace {
constexpr std::int64_t kBatch = 20;
}

BackgroundWorker::BackgroundWorker(QueuedWork& work, BackgroundWorkerOptions options, LogFn log)
    : work_(work), options_(std::move(options)), log_(std::move(log)) {
  if (options_.name.empty()) options_.name = "worker";
  if (options_.name.size() > 100) options_.name.resize(100);
  if (options_.poll_interval_ms < 10) options_.poll_interval_ms = 10;
}

BackgroundWorker::~BackgroundWorker() { stop(); }

void BackgroundWorker::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  pending_ = true;  // look once at start: runs may be waiting from before
  thread_ = std::thread([this] { loop(); });
}

void BackgroundWorker::stop() {
  std::thread t;
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
    t = std::move(thread_);
  }
  wake_.notify_all();
  if (t.joinable()) t.join();
}

bool BackgroundWorker::running() const {
  std::lock_guard<std::mutex> lock(mu_);
  return thread_.joinable() && !stopping_;
}

void BackgroundWorker::notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_ = true;
  }
  wake_.notify_all();
}

core::Result<int> BackgroundWorker::run_queued() {
  int done = 0;
  // Items whose worker (in any instance) stopped are dealt with first, so
  // their pages stop waiting.
  auto abandoned = work_.fail_abandoned();
  if (!abandoned) return abandoned.status();
  if (*abandoned > 0 && log_) log_(2, std::to_string(*abandoned) + " abandoned " + std::string(work_.queued_work_name()) + "s dealt with");
  for (;;) {
    auto ids = work_.queued(kBatch);
    if (!ids) return ids.status();
    if (ids->empty()) return done;
    int claimed = 0;
    for (std::int64_t id : *ids) {
      {
        std::lock_guard<std::mutex> lock(mu_);
        if (stopping_) return done;  // stopping: the rest stay queued
      }
      auto did = work_.execute(id, options_.name);
      if (!did) return did.status();
      if (*did) {
        ++done;
        ++claimed;
        if (log_) log_(1, std::string(work_.queued_work_name()) + " " + std::to_string(id) + " done by " + options_.name);
      }
    }
    // Every listed item was taken by someone else: nothing more for us now.
    if (claimed == 0) return done;
  }
}

void BackgroundWorker::loop() {
  // A database that stays unavailable is reported once, not every poll.
  std::string last_error;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait_for(lock, std::chrono::milliseconds(options_.poll_interval_ms),
                     [this] { return stopping_ || pending_; });
      if (stopping_) return;
      pending_ = false;
    }
    auto done = run_queued();
    const std::string error = done ? std::string() : done.status().to_string();
    if (!error.empty() && error != last_error && log_) log_(3, std::string(work_.queued_work_name()) + " worker: " + error);
    last_error = error;
  }
}

}  // namespace mentoring::app
