#include "adapters/api/json_fields.h"

#include <limits>
#include <set>
#include <string_view>

namespace mentoring::api {
namespace json = boost::json;
using core::Status;

Status unknown_fields(const boost::json::object& o, std::initializer_list<const char*> allowed) {
  const std::set<std::string_view> names(allowed.begin(), allowed.end());
  for (const auto& kv : o)
    if (!names.count(kv.key()))
      return Status::invalid("unknown_field", "The field '" + std::string(kv.key()) + "' is not recognised.",
                             std::string(kv.key()));
  return Status::ok();
}

Status field_required(const char* key) {
  return Status::invalid("field_required", std::string("The field '") + key + "' is required.", key);
}

// Each reader leaves `out` as it was when the field is absent and not required.
Status read_string(const boost::json::object& o, const char* key, std::string& out, bool is_required) {
  const json::value* v = o.if_contains(key);
  if (!v) return is_required ? field_required(key) : Status::ok();
  if (!v->is_string())
    return Status::invalid("field_not_string", std::string("The field '") + key + "' must be a string.", key);
  out = std::string(v->as_string());
  return Status::ok();
}

Status read_bool(const boost::json::object& o, const char* key, bool& out) {
  const json::value* v = o.if_contains(key);
  if (!v) return Status::ok();
  if (!v->is_bool())
    return Status::invalid("field_not_boolean", std::string("The field '") + key + "' must be true or false.", key);
  out = v->as_bool();
  return Status::ok();
}

Status read_int64(const boost::json::object& o, const char* key, std::int64_t& out, bool is_required) {
  const json::value* v = o.if_contains(key);
  if (!v) return is_required ? field_required(key) : Status::ok();
  if (v->is_int64()) {
    out = v->as_int64();
    return Status::ok();
  }
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    out = static_cast<std::int64_t>(v->as_uint64());
    return Status::ok();
  }
  return Status::invalid("field_not_integer", std::string("The field '") + key + "' must be a whole number.", key);
}

Status read_int(const boost::json::object& o, const char* key, int& out, bool is_required) {
  std::int64_t wide = out;
  MENTORING_RETURN_IF_ERROR(read_int64(o, key, wide, is_required));
  if (wide < std::numeric_limits<int>::min() || wide > std::numeric_limits<int>::max())
    return Status::invalid("field_out_of_range", std::string("The field '") + key + "' is out of range.", key);
  out = static_cast<int>(wide);
  return Status::ok();
}

Status read_optional_int(const boost::json::object& o, const char* key, std::optional<int>& out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) {
    out.reset();
    return Status::ok();
  }
  int value = 0;
  MENTORING_RETURN_IF_ERROR(read_int(o, key, value, true));
  out = value;
  return Status::ok();
}

Status read_number(const boost::json::object& o, const char* key, std::optional<double>& out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return Status::ok();
  if (v->is_double())
    out = v->as_double();
  else if (v->is_int64())
    out = static_cast<double>(v->as_int64());
  else if (v->is_uint64())
    out = static_cast<double>(v->as_uint64());
  else
    return Status::invalid("field_not_number", std::string("The field '") + key + "' must be a number.", key);
  return Status::ok();
}

Status read_date(const boost::json::object& o, const char* key, std::optional<core::Date>& out) {
  const json::value* v = o.if_contains(key);
  if (!v || v->is_null()) return Status::ok();
  std::string text;
  MENTORING_RETURN_IF_ERROR(read_string(o, key, text, true));
  auto d = core::Date::parse(text);
  if (!d)
    return Status::invalid("field_not_date", std::string("The field '") + key + "' must be a date like 2026-08-05.",
                           key);
  out = *d;
  return Status::ok();
}

Status read_required_date(const boost::json::object& o, const char* key, core::Date& out) {
  std::optional<core::Date> d;
  MENTORING_RETURN_IF_ERROR(read_date(o, key, d));
  if (!d) return field_required(key);
  out = *d;
  return Status::ok();
}

Status read_strings(const boost::json::object& o, const char* key, std::vector<std::string>& out) {
  const json::value* v = o.if_contains(key);
  if (!v) return Status::ok();
  const Status wrong =
      Status::invalid("field_not_string_list", std::string("The field '") + key + "' must be a list of strings.", key);
  if (!v->is_array()) return wrong;
  out.clear();
  for (const auto& item : v->as_array()) {
    if (!item.is_string()) return wrong;
    out.emplace_back(item.as_string());
  }
  return Status::ok();
}

}  // namespace mentoring::api
