#include "adapters/webhook/worker.h"

#include <openssl/rand.h>

#include <chrono>
#include <cstring>

namespace mentoring::webhook {

std::string random_token() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) {
    // Without randomness a claim token could repeat; fall back on the
    // thread and the time, which are unique enough to tell claims apart.
    const auto t = std::chrono::steady_clock::now().time_since_epoch().count();
    const auto id = std::hash<std::thread::id>()(std::this_thread::get_id());
    return "c" + std::to_string(t) + "_" + std::to_string(id);
  }
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : bytes) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

double random_unit() {
  std::uint32_t v = 0;
  unsigned char bytes[4];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return 0.5;
  std::memcpy(&v, bytes, sizeof v);
  return static_cast<double>(v) / 4294967296.0;
}

Worker::Worker(app::WebhookInbox& inbox, app::WebhookOutbox& outbox, int poll_ms, LogFn log)
    : inbox_(inbox), outbox_(outbox), poll_ms_(poll_ms), log_(std::move(log)) {}

Worker::~Worker() { stop(); }

void Worker::start() {
  std::lock_guard<std::mutex> lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Worker::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

// How long a woken worker waits for more deliveries before a round.
constexpr int kCoalesceMs = 20;

void Worker::wake() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    woken_ = true;
  }
  cv_.notify_all();
}

void Worker::run() {
  auto last_purge = std::chrono::steady_clock::now() - std::chrono::hours(2);
  while (true) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      woken_ = false;
    }
    // Work until a round finds nothing due, so a burst is cleared without
    // waiting a poll interval between batches.
    int rounds = 0;
    while (rounds++ < 1000) {
      auto in = inbox_.process_due();
      if (!in && log_) log_(2, "webhook inbox: " + in.status().to_string());
      auto out = outbox_.dispatch_due();
      if (!out && log_) log_(2, "webhook outbox: " + out.status().to_string());
      const bool busy = (in && *in > 0) || (out && *out > 0);
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      if (!busy) break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now - last_purge > std::chrono::hours(1)) {
      last_purge = now;
      auto a = inbox_.purge();
      auto b = outbox_.purge();
      if ((!a || !b) && log_) log_(2, "webhook purge: " + (!a ? a.status() : b.status()).to_string());
    }
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(poll_ms_), [this] { return stopping_ || woken_; });
    // Woken by a new delivery: let the next few arrive too, so one round
    // (one commit) applies them together rather than one commit each. The
    // deliveries were acknowledged already; only applying them waits.
    if (woken_ && !stopping_)
      cv_.wait_for(lock, std::chrono::milliseconds(kCoalesceMs), [this] { return stopping_; });
  }
}

}  // namespace mentoring::webhook
