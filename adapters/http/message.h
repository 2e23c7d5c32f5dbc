// HTTP requests and responses as plain values, independent of the transport.
//
// The Beast listener and the C ABI's mentoring_handle_http both turn their
// bytes into a Request, call one Handler, and write the Response back. Route
// handlers therefore never touch sockets and are unit-tested as functions.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mentoring::http {

struct Header {
  std::string name;
  std::string value;
};

struct Request {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // origin-form as received: "/api/v1/schemes?limit=10"
  std::string path;    // percent-decoded path without the query: "/api/v1/schemes"
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;

  // Case-insensitive header lookup; the first value, or empty.
  std::string_view header(std::string_view name) const;
  // The first query parameter named `name`, or empty.
  std::string_view query_param(std::string_view name) const;
  bool has_query_param(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;
  // Detail for the operator's log, never sent to the client: error_response()
  // puts the full Status of an internal error here so driver messages reach
  // the log without leaking to the browser. The transport logs it at error
  // level when it is not empty.
  std::string log_detail;

  void set_header(std::string name, std::string value);
  std::string_view header(std::string_view name) const;
};

using Handler = std::function<Response(const Request&)>;

// Log severities passed to LogFn.
enum LogLevel : int { kLogDebug = 0, kLogInfo = 1, kLogWarning = 2, kLogError = 3 };

// Where the transport writes log lines (one line each, no trailing newline).
// Called from server threads concurrently: must be thread-safe.
using LogFn = std::function<void(int level, std::string_view line)>;

// Splits `target` into path and query (decoding both). False when the target
// is not a valid origin-form URI (must start with '/', valid % escapes).
bool parse_target(Request& request);

}  // namespace mentoring::http
