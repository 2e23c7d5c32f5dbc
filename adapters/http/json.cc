#include "adapters/http/json.h"

#include <boost/json/error.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <string>
#include <string_view>

namespace mentoring::http {
namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// True for "application/json", "application/json; charset=utf-8" and the
// like. Media types and parameter names are case-insensitive (RFC 9110 8.3.1).
bool is_json_utf8_content_type(std::string_view content_type) {
  std::string_view rest = content_type;
  auto semi = rest.find(';');
  if (lower(trim(rest.substr(0, semi))) != "application/json") return false;
  while (semi != std::string_view::npos) {
    rest = rest.substr(semi + 1);
    semi = rest.find(';');
    std::string_view param = trim(rest.substr(0, semi));
    if (param.empty()) continue;
    auto eq = param.find('=');
    if (eq == std::string_view::npos) return false;
    if (lower(trim(param.substr(0, eq))) != "charset") continue;
    std::string_view value = trim(param.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
    // JSON is UTF-8 on the wire (RFC 8259 8.1); anything else would be
    // decoded wrongly, so refuse it rather than guess.
    const std::string charset = lower(value);
    if (charset != "utf-8" && charset != "utf8") return false;
  }
  return true;
}

}  // namespace

int http_status_for(const core::Status& status) {
  const std::string& reason = status.reason();
  if (reason == "unsupported_media_type") return 415;
  if (reason == "method_not_allowed") return 405;
  if (reason == "header_too_large") return 431;
  switch (status.code()) {
    case core::Code::kOk: return 200;
    case core::Code::kInvalidArgument: return 400;
    case core::Code::kNotFound: return 404;
    case core::Code::kAlreadyExists: return 409;
    case core::Code::kConflict: return 409;
    case core::Code::kFailedPrecondition: return 409;
    case core::Code::kUnauthenticated: return 401;
    case core::Code::kPermissionDenied: return 403;
    case core::Code::kResourceExhausted: return ends_with(reason, "_too_large") ? 413 : 429;
    case core::Code::kUnavailable: return 503;
    case core::Code::kInternal: return 500;
  }
  return 500;
}

Response json_response(int status, const boost::json::value& body) {
  Response response;
  response.status = status;
  response.body = boost::json::serialize(body);
  response.set_header("Content-Type", kJsonContentType);
  response.set_header("Cache-Control", "no-store");
  return response;
}

Response error_response(const core::Status& status) {
  const bool hide = status.is_ok() || status.code() == core::Code::kInternal;
  boost::json::object error;
  if (hide) {
    error["code"] = core::code_name(core::Code::kInternal);
    error["reason"] = "internal_error";
    error["message"] = "Something went wrong on our side. Please try again later.";
  } else {
    error["code"] = core::code_name(status.code());
    error["reason"] = status.reason();
    error["message"] = status.message();
    if (!status.field().empty()) error["field"] = status.field();
  }
  boost::json::object body;
  body["error"] = std::move(error);
  Response response = json_response(hide ? 500 : http_status_for(status), body);
  if (hide) response.log_detail = status.is_ok() ? "error_response called with an OK status" : status.to_string();
  if (response.status == 503) response.set_header("Retry-After", "30");
  return response;
}

core::Result<boost::json::object> parse_json_object_body(const Request& request, std::size_t max_depth) {
  const std::string_view content_type = request.header("Content-Type");
  if (!is_json_utf8_content_type(content_type)) {
    return core::Status::invalid("unsupported_media_type",
                                 "The request body must be sent as application/json in UTF-8.");
  }
  if (request.body.empty()) {
    return core::Status::invalid("empty_body", "The request body is empty; a JSON object was expected.");
  }
  boost::json::parse_options options;
  options.max_depth = max_depth;
  boost::json::parser parser({}, options);
  boost::json::error_code ec;
  const std::size_t consumed = parser.write(request.body.data(), request.body.size(), ec);
  if (ec == boost::json::error::too_deep) {
    return core::Status::invalid("json_too_deep", "The JSON body is nested more than " + std::to_string(max_depth) +
                                                      " levels deep.");
  }
  if (ec) {
    return core::Status::invalid("invalid_json", "The request body is not valid JSON (" + ec.message() +
                                                     " near byte " + std::to_string(consumed) + ").");
  }
  boost::json::value value = parser.release();
  if (!value.is_object()) {
    return core::Status::invalid("not_an_object", "The JSON body must be an object.");
  }
  return std::move(value.as_object());
}

}  // namespace mentoring::http
