// The extern "C" layer: every function is noexcept, turns a Status into a
// mentoring_status_t and a message exactly once, and never lets an
// exception out. Nothing here knows about the domain.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <mutex>
#include <new>
#include <string>

#include "core/clock.h"
#include "mentoring/mentoring.h"
#include "runtime/instance.h"
#include "runtime/options.h"

using mentoring::core::Code;
using mentoring::core::Status;

struct mentoring_plugin {
  std::unique_ptr<mentoring::core::Clock> clock;
  std::unique_ptr<mentoring::runtime::Instance> instance;
};

namespace {

char* copy_string(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p) std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

mentoring_status_t save_error(char** errptr, mentoring_status_t code, const std::string& message) {
  if (errptr) {
    std::free(*errptr);
    *errptr = copy_string(message);
  }
  return code;
}

mentoring_status_t to_c(Code code) {
  switch (code) {
    case Code::kOk: return MENTORING_OK;
    case Code::kInvalidArgument: return MENTORING_ERR_INVALID_ARGUMENT;
    case Code::kNotFound: return MENTORING_ERR_NOT_FOUND;
    case Code::kAlreadyExists:
    case Code::kConflict: return MENTORING_ERR_CONFLICT;
    case Code::kFailedPrecondition: return MENTORING_ERR_FAILED_PRECONDITION;
    case Code::kUnavailable: return MENTORING_ERR_UNAVAILABLE;
    case Code::kUnauthenticated:
    case Code::kPermissionDenied: return MENTORING_ERR_PERMISSION_DENIED;
    case Code::kResourceExhausted:
    case Code::kInternal: return MENTORING_ERR_INTERNAL;
  }
  return MENTORING_ERR_INTERNAL;
}

mentoring_status_t save_status(char** errptr, const Status& st) {
  return save_error(errptr, to_c(st.code()), st.message() + " [" + st.reason() + "]");
}

class SystemClock final : public mentoring::core::Clock {
 public:
  std::int64_t now_ms() const override {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
  }
};

class HostClock final : public mentoring::core::Clock {
 public:
  HostClock(int64_t (*fn)(void*), void* ctx) : fn_(fn), ctx_(ctx) {}
  std::int64_t now_ms() const override { return fn_(ctx_); }

 private:
  int64_t (*fn_)(void*);
  void* ctx_;
};

void default_log(mentoring_log_level_t level, std::string_view line) {
  static std::mutex mu;
  static const char* kNames[] = {"debug", "info", "warning", "error"};
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
  std::lock_guard<std::mutex> lock(mu);
  std::fprintf(stderr, "%s %s %.*s\n", stamp, kNames[level], static_cast<int>(line.size()), line.data());
}

// Reads a field of the host table only when the host's struct has it.
template <typename T>
T host_field(const mentoring_host_v1_t* host, T mentoring_host_v1_t::*field, std::size_t offset) {
  if (!host || host->struct_size < offset + sizeof(T)) return T{};
  return host->*field;
}

}  // namespace

extern "C" {

uint32_t mentoring_abi_version(void) { return MENTORING_ABI_VERSION; }
const char* mentoring_version_string(void) { return MENTORING_VERSION_STRING; }
const char* mentoring_options_describe(void) { return mentoring::runtime::describe_options().c_str(); }

void mentoring_free(void* p) { std::free(p); }

mentoring_status_t mentoring_open(uint32_t abi_version, const mentoring_host_v1_t* host, const char* config_json,
                                  size_t config_len, mentoring_plugin_t** out, char** errptr) {
  if (!out) return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_open: out must not be NULL");
  *out = nullptr;
  if (abi_version != MENTORING_ABI_VERSION)
    return save_error(errptr, MENTORING_ERR_ABI_MISMATCH,
                      "mentoring_open: host was built for ABI version " + std::to_string(abi_version) +
                          " but this library implements version " + std::to_string(MENTORING_ABI_VERSION));
  if (host && host->struct_size < offsetof(mentoring_host_v1_t, now_ms))
    return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_open: host table struct_size is too small");
  if (!config_json && config_len > 0)
    return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_open: config_json is NULL");
  try {
    auto options = mentoring::runtime::parse_options(std::string_view(config_json ? config_json : "", config_len));
    if (!options) return save_status(errptr, options.status());

    auto plugin = std::make_unique<mentoring_plugin>();
    auto now_fn = host_field(host, &mentoring_host_v1_t::now_ms, offsetof(mentoring_host_v1_t, now_ms));
    void* ctx = host ? host->ctx : nullptr;
    if (now_fn) plugin->clock = std::make_unique<HostClock>(now_fn, ctx);
    else plugin->clock = std::make_unique<SystemClock>();

    auto log_fn = host_field(host, &mentoring_host_v1_t::log, offsetof(mentoring_host_v1_t, log));
    const int min_level = options->log_level_number();
    mentoring::runtime::LogFn log = [log_fn, ctx, min_level](int level, std::string_view line) {
      if (level < min_level) return;
      const auto lvl = static_cast<mentoring_log_level_t>(level < 0 ? 0 : level > 3 ? 3 : level);
      if (log_fn) log_fn(ctx, lvl, line.data(), line.size());
      else default_log(lvl, line);
    };

    auto instance = mentoring::runtime::Instance::open(*options, *plugin->clock, std::move(log));
    if (!instance) return save_status(errptr, instance.status());
    plugin->instance = std::move(instance).value();
    *out = plugin.release();
    return MENTORING_OK;
  } catch (const std::bad_alloc&) {
    return save_error(errptr, MENTORING_ERR_INTERNAL, "mentoring_open: out of memory");
  } catch (const std::exception& e) {
    return save_error(errptr, MENTORING_ERR_INTERNAL, std::string("mentoring_open: ") + e.what());
  }
}

void mentoring_close(mentoring_plugin_t* plugin) {
  if (!plugin) return;
  try {
    plugin->instance.reset();
  } catch (...) {
    // Closing must not fail; anything left is released with the process.
  }
  delete plugin;
}

mentoring_status_t mentoring_migrate(mentoring_plugin_t* plugin, int64_t* version_out, char** errptr) {
  if (!plugin) return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_migrate: plugin is NULL");
  try {
    auto v = plugin->instance->migrate();
    if (!v) return save_status(errptr, v.status());
    if (version_out) *version_out = *v;
    return MENTORING_OK;
  } catch (const std::exception& e) {
    return save_error(errptr, MENTORING_ERR_INTERNAL, std::string("mentoring_migrate: ") + e.what());
  }
}

mentoring_status_t mentoring_handle_http(mentoring_plugin_t* plugin, const mentoring_http_request_v1_t* request,
                                         mentoring_http_response_v1_t** response, char** errptr) {
  if (!plugin || !request || !response)
    return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_handle_http: NULL argument");
  *response = nullptr;
  if (request->struct_size < sizeof(mentoring_http_request_v1_t))
    return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_handle_http: request struct_size too small");
  if (!request->method || !request->target || (request->header_count && !request->headers) ||
      (request->body_len && !request->body))
    return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_handle_http: NULL field in request");
  try {
    mentoring::http::Request req;
    req.method.assign(request->method, request->method_len);
    req.target.assign(request->target, request->target_len);
    req.headers.reserve(request->header_count);
    for (size_t i = 0; i < request->header_count; ++i) {
      const mentoring_header_v1_t& h = request->headers[i];
      if ((!h.name && h.name_len) || (!h.value && h.value_len))
        return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_handle_http: NULL header field");
      req.headers.push_back({std::string(h.name ? h.name : "", h.name_len), std::string(h.value ? h.value : "", h.value_len)});
    }
    if (request->body_len) req.body.assign(request->body, request->body_len);
    if (request->remote_address) req.remote_address = request->remote_address;

    mentoring::http::Response res = plugin->instance->handle(std::move(req));

    auto* out = static_cast<mentoring_http_response_v1_t*>(std::calloc(1, sizeof(mentoring_http_response_v1_t)));
    if (!out) throw std::bad_alloc();
    out->struct_size = sizeof(mentoring_http_response_v1_t);
    out->status = res.status;
    out->header_count = res.headers.size();
    out->headers = static_cast<mentoring_header_v1_t*>(std::calloc(res.headers.size() + 1, sizeof(mentoring_header_v1_t)));
    out->body = static_cast<char*>(std::malloc(res.body.size() + 1));
    if (!out->headers || !out->body) {
      mentoring_http_response_free(out);
      throw std::bad_alloc();
    }
    for (size_t i = 0; i < res.headers.size(); ++i) {
      out->headers[i].name = copy_string(res.headers[i].name);
      out->headers[i].name_len = res.headers[i].name.size();
      out->headers[i].value = copy_string(res.headers[i].value);
      out->headers[i].value_len = res.headers[i].value.size();
    }
    std::memcpy(out->body, res.body.data(), res.body.size());
    out->body[res.body.size()] = '\0';
    out->body_len = res.body.size();
    *response = out;
    return MENTORING_OK;
  } catch (const std::bad_alloc&) {
    return save_error(errptr, MENTORING_ERR_INTERNAL, "mentoring_handle_http: out of memory");
  } catch (const std::exception& e) {
    return save_error(errptr, MENTORING_ERR_INTERNAL, std::string("mentoring_handle_http: ") + e.what());
  }
}

void mentoring_http_response_free(mentoring_http_response_v1_t* r) {
  if (!r) return;
  if (r->headers) {
    for (size_t i = 0; i < r->header_count; ++i) {
      std::free(const_cast<char*>(r->headers[i].name));
      std::free(const_cast<char*>(r->headers[i].value));
    }
    std::free(r->headers);
  }
  std::free(r->body);
  std::free(r);
}

mentoring_status_t mentoring_serve_start(mentoring_plugin_t* plugin, uint16_t* port_out, char** errptr) {
  if (!plugin) return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_serve_start: plugin is NULL");
  try {
    auto port = plugin->instance->serve_start();
    if (!port) return save_status(errptr, port.status());
    if (port_out) *port_out = *port;
    return MENTORING_OK;
  } catch (const std::exception& e) {
    return save_error(errptr, MENTORING_ERR_INTERNAL, std::string("mentoring_serve_start: ") + e.what());
  }
}

mentoring_status_t mentoring_serve_stop(mentoring_plugin_t* plugin, char** errptr) {
  if (!plugin) return save_error(errptr, MENTORING_ERR_INVALID_ARGUMENT, "mentoring_serve_stop: plugin is NULL");
  try {
    plugin->instance->serve_stop();
    return MENTORING_OK;
  } catch (const std::exception& e) {
    return save_error(errptr, MENTORING_ERR_INTERNAL, std::string("mentoring_serve_stop: ") + e.what());
  }
}

}  // extern "C"
