// JSON responses and request bodies, and the one mapping from core::Code to
// an HTTP status.
//
// Every handler answers errors through error_response(), so a client always
// sees the same body shape:
//
//   {"error":{"code":"invalid_argument","reason":"cohort_dates_out_of_order",
//             "message":"The cohort closes before it opens.","field":"closes_on"}}
//
// "field" is present only when the Status names one. "code" is the Code's
// stable name (core::code_name), "reason" the Status's snake_case reason.
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <cstddef>

#include "adapters/http/message.h"
#include "core/status.h"

namespace mentoring::http {

inline constexpr const char* kJsonContentType = "application/json; charset=utf-8";

// Default nesting limit for request bodies: our API objects are at most a few
// levels deep, and a low limit keeps a hostile body from costing stack.
inline constexpr std::size_t kDefaultJsonMaxDepth = 16;

// HTTP status for a Status. This is the only place the mapping lives:
//
//   invalid_argument     400  (we use 400 for every input error, never 422,
//                              so clients have one code to handle)
//   not_found            404
//   already_exists       409
//   conflict             409
//   failed_precondition  409  (valid request, but not in the current state)
//   unauthenticated      401
//   permission_denied    403
//   resource_exhausted   429, or 413 when the reason is a size limit
//                              (reason ends in "_too_large")
//   unavailable          503
//   internal             500
//   ok                   200
//
// A few reasons are protocol-level and get their own status whatever the
// code: "unsupported_media_type" 415, "method_not_allowed" 405,
// "header_too_large" 431.
int http_status_for(const core::Status& status);

// A response with `body` serialised as JSON, Content-Type
// application/json; charset=utf-8 and Cache-Control: no-store (API answers
// carry personal data and must not sit in shared caches).
Response json_response(int status, const boost::json::value& body);

// The JSON error body above, with the status from http_status_for().
// For internal errors (and an OK Status passed by mistake) the client gets a
// generic message and reason "internal_error"; the real Status goes into
// Response::log_detail for the server log, so driver and library messages
// never reach a browser. 503 responses also carry Retry-After.
Response error_response(const core::Status& status);

// The JSON object in the request body. Checks, in order:
//   - Content-Type is application/json (parameters allowed; a charset other
//     than utf-8 is refused): otherwise invalid_argument
//     "unsupported_media_type" (415);
//   - the body is not empty: "empty_body" (400);
//   - the body parses as JSON (strict RFC 8259, UTF-8 checked): otherwise
//     "invalid_json" (400); the message names the byte offset where the
//     parser stopped (the start of the token it could not finish);
//   - nesting is at most `max_depth`: otherwise "json_too_deep" (400);
//   - the top-level value is an object: otherwise "not_an_object" (400).
// Duplicate keys keep the last value (Boost.JSON's behaviour).
core::Result<boost::json::object> parse_json_object_body(const Request& request,
                                                         std::size_t max_depth = kDefaultJsonMaxDepth);

}  // namespace mentoring::http
