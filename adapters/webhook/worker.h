// The background worker that applies inbox deliveries and sends outbox
// events. One thread per plugin instance; several instances sharing one
// database split the work through row claims (core/webhook_stores.h).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "app/webhook_inbox.h"
#include "app/webhook_outbox.h"

namespace mentoring::webhook {

// 32 hex characters from OpenSSL's RAND_bytes: a claim token.
std::string random_token();
// A number in [0, 1) from RAND_bytes: retry jitter.
double random_unit();

class Worker {
 public:
  using LogFn = std::function<void(int level, std::string_view line)>;
  // `inbox` and `outbox` must outlive the worker. `poll_ms` is the longest
  // sleep between rounds when nothing wakes the worker.
  Worker(app::WebhookInbox& inbox, app::WebhookOutbox& outbox, int poll_ms, LogFn log);
  // Stops and joins.
  ~Worker();
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  void start();
  // Finishes the row in hand, then returns; idempotent.
  void stop();
  // Runs a round now instead of at the end of the sleep.
  void wake();

 private:
  void run();

  app::WebhookInbox& inbox_;
  app::WebhookOutbox& outbox_;
  int poll_ms_;
  LogFn log_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace mentoring::webhook
