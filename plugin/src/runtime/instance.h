// One plugin instance: the options, the database, the use cases and the
// HTTP routes wired together. The C ABI (abi/mentoring_abi.cc) owns one of
// these per mentoring_open() and forwards to it; tests use it directly.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string_view>

#include "adapters/http/message.h"
#include "core/clock.h"
#include "core/status.h"
#include "runtime/options.h"

namespace mentoring::runtime {

// level: 0 debug, 1 info, 2 warning, 3 error. Must be safe to call from any thread.
using LogFn = std::function<void(int level, std::string_view line)>;

class Instance {
 public:
  // Connects to the database and, when options.database_migrate is set,
  // migrates it. `clock` must outlive the instance.
  static core::Result<std::unique_ptr<Instance>> open(const Options& options, const core::Clock& clock, LogFn log);
  ~Instance();
  Instance(const Instance&) = delete;
  Instance& operator=(const Instance&) = delete;

  // Handles one request in-process. `request.path`/`query` are filled from
  // `request.target` here. Thread-safe.
  http::Response handle(http::Request request);

  // Starts the listener configured by http.*; returns the bound port.
  core::Result<std::uint16_t> serve_start();
  // Graceful stop; a no-op when not serving.
  void serve_stop();

  // Brings the schema up to date; returns the version reached.
  core::Result<int> migrate();

  const Options& options() const { return options_; }

 private:
  struct Impl;
  explicit Instance(std::unique_ptr<Impl> impl, Options options);
  std::unique_ptr<Impl> impl_;
  Options options_;
};

}  // namespace mentoring::runtime
