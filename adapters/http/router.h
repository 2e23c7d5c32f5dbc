// A pure router: Request in, Response out, no sockets.
//
//   Router router;
//   MENTORING_RETURN_IF_ERROR(router.add("GET", "/api/v1/schemes/{id}",
//       [&](const Request& req, const PathParams& params) -> Response {
//         auto id = params.get_int64("id");
//         if (!id) return error_response(id.status());
//         ...
//       }));
//   Response response = router.handle(request);
//
// Patterns are split on '/'. A segment is either literal text, a parameter
// "{name}" that matches exactly one non-empty segment, or, as the last
// segment only, a wildcard "{*name}" that matches the rest of the path (zero
// or more segments, joined with '/'); a wildcard never matches a path with a
// "." or ".." segment, so a static-file handler cannot be walked out of its
// folder. Matching is on Request::path (already percent-decoded) and is
// exact: "/a" and "/a/" are different paths.
//
// When several patterns match a path, the most specific wins, comparing
// segment by segment: literal beats parameter beats wildcard. Registration
// order does not matter. The method is then looked up among the routes of
// that one pattern, so "/schemes/new" (POST) makes GET "/schemes/new" a 405
// even if "/schemes/{id}" has a GET route.
//
//   no pattern matches           404 JSON, reason "not_found"
//   pattern matches, no method   405 JSON, reason "method_not_allowed",
//                                Allow header
//   HEAD without a HEAD route    the GET route runs; body dropped, its
//                                Content-Length header kept
//   OPTIONS without a route      204 with Allow
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "adapters/http/message.h"
#include "core/status.h"

namespace mentoring::http {

// The values a pattern's "{name}" and "{*name}" segments captured.
class PathParams {
 public:
  PathParams() = default;

  void set(std::string name, std::string value);
  bool has(std::string_view name) const;
  // The captured value, or empty when the pattern has no such parameter.
  std::string_view get(std::string_view name) const;

  // The parameter as a non-negative decimal integer (database ids). Only
  // ASCII digits are accepted: no sign, no spaces, no hex. Errors are
  // invalid_argument "invalid_path_parameter" with `field` set to `name`
  // (non-numeric, or more than INT64_MAX). A name the pattern does not have
  // is a programming error: internal "missing_path_parameter".
  core::Result<int64_t> get_int64(std::string_view name) const;

  const std::vector<std::pair<std::string, std::string>>& all() const { return values_; }

 private:
  std::vector<std::pair<std::string, std::string>> values_;
};

using RouteFn = std::function<Response(const Request&, const PathParams&)>;

class Router {
 public:
  Router() = default;

  // Registers `fn` for `method` (case-insensitive, stored upper-case) on
  // `pattern`. Fails with invalid_argument "invalid_route_pattern" when the
  // pattern does not start with '/', has an empty or malformed "{...}"
  // segment, repeats a parameter name, or has a wildcard that is not last;
  // "invalid_route_method" for a method that is not an HTTP token; and
  // already_exists "duplicate_route" when method and pattern are registered.
  core::Status add(std::string method, std::string pattern, RouteFn fn);

  // Routes `request` (its `path` must already be filled by parse_target).
  // A handler's exceptions are not caught here; the transport turns them
  // into a 500.
  Response handle(const Request& request) const;

  // The value of the Allow header for `path`, or empty when no pattern
  // matches it. Methods are sorted; GET implies HEAD; OPTIONS is always in.
  std::string allowed_methods(std::string_view path) const;

 private:
  enum class SegmentKind { kLiteral, kParam, kWildcard };
  struct Segment {
    SegmentKind kind;
    std::string text;  // literal text or parameter name
  };
  struct Pattern {
    std::string source;
    std::vector<Segment> segments;
    std::vector<std::pair<std::string, RouteFn>> routes;  // method -> fn
  };

  // Index into patterns_ of the most specific pattern matching `path`, or -1;
  // fills `params` with its captures.
  int match(std::string_view path, PathParams& params) const;
  static bool match_one(const Pattern& pattern, const std::vector<std::string_view>& parts, PathParams* params);
  static std::string allow_for(const Pattern& pattern);

  std::vector<Pattern> patterns_;
};

}  // namespace mentoring::http
