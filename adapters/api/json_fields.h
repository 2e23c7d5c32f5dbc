// Strict readers for the fields of a JSON request body, shared by every
// codec of the API: each names the offending field in its error, and leaves
// `out` unchanged when an optional field is absent.
#pragma once

#include <boost/json.hpp>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "core/date.h"
#include "core/status.h"

namespace mentoring::api {

core::Status unknown_fields(const boost::json::object& o, std::initializer_list<const char*> allowed);
core::Status field_required(const char* key);
core::Status read_string(const boost::json::object& o, const char* key, std::string& out, bool is_required = false);
core::Status read_bool(const boost::json::object& o, const char* key, bool& out);
core::Status read_int64(const boost::json::object& o, const char* key, std::int64_t& out, bool is_required = false);
core::Status read_int(const boost::json::object& o, const char* key, int& out, bool is_required = false);
core::Status read_optional_int(const boost::json::object& o, const char* key, std::optional<int>& out);
core::Status read_number(const boost::json::object& o, const char* key, std::optional<double>& out);
core::Status read_date(const boost::json::object& o, const char* key, std::optional<core::Date>& out);
core::Status read_required_date(const boost::json::object& o, const char* key, core::Date& out);
core::Status read_strings(const boost::json::object& o, const char* key, std::vector<std::string>& out);

// Reads an enumerated string field with `parse`; `words` lists the accepted
// values for the message.
template <typename T, typename Parse>
core::Status read_enum(const boost::json::object& o, const char* key, T& out, Parse parse, const char* reason,
                       const char* words, bool is_required = false) {
  std::string text;
  const bool present = o.contains(key);
  MENTORING_RETURN_IF_ERROR(read_string(o, key, text, is_required));
  if (!present) return core::Status::ok();
  auto parsed = parse(text);
  if (!parsed) return core::Status::invalid(reason, std::string("The field '") + key + "' must be " + words + ".", key);
  out = *parsed;
  return core::Status::ok();
}

}  // namespace mentoring::api
