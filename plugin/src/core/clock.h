// Ports for time and randomness. The core never reads the system clock or an
// entropy source itself: the host (through the C ABI) or a test supplies them.
#pragma once

#include <cstdint>
#include <string>

namespace mentoring::core {

// Seconds since the Unix epoch, UTC. Stored as `timecreated`/`timemodified`.
using UnixSeconds = std::int64_t;

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, UTC.
  virtual std::int64_t now_ms() const = 0;
  UnixSeconds now() const { return now_ms() / 1000; }
};

// A clock that says what it is told: for tests and deterministic replays.
class FixedClock final : public Clock {
 public:
  explicit FixedClock(std::int64_t ms) : ms_(ms) {}
  std::int64_t now_ms() const override { return ms_; }
  void set_ms(std::int64_t ms) { ms_ = ms; }
  void advance_ms(std::int64_t ms) { ms_ += ms; }

 private:
  std::int64_t ms_;
};

}  // namespace mentoring::core
