// Checks an outbound event the plugin wrote against its JSON Schema in
// docs/webhook-schemas/ (the subset of draft 2020-12 those schemas use, as
// integration/webhook/schemas_test.py reads it).
#pragma once

#include <boost/json.hpp>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "app/webhook_outbox.h"
#include "core/webhook_stores.h"

namespace mentoring::testing {

inline std::vector<std::string> schema_errors(const boost::json::value& schema, const boost::json::value& v,
                                              const std::string& path = "$") {
  namespace json = boost::json;
  std::vector<std::string> out;
  const json::object& s = schema.as_object();
  if (auto* t = s.if_contains("type")) {
    const std::string type(t->as_string());
    bool ok = false;
    if (type == "string")
      ok = v.is_string();
    else if (type == "integer")
      ok = v.is_int64() || v.is_uint64();
    else if (type == "object")
      ok = v.is_object();
    else if (type == "array")
      ok = v.is_array();
    else if (type == "boolean")
      ok = v.is_bool();
    else if (type == "null")
      ok = v.is_null();
    if (!ok) return {path + ": not of type " + type + ": " + json::serialize(v)};
  }
  if (auto* c = s.if_contains("const"); c && *c != v) out.push_back(path + ": not " + json::serialize(*c));
  if (auto* e = s.if_contains("enum")) {
    bool found = false;
    for (const auto& x : e->as_array()) found = found || x == v;
    if (!found) out.push_back(path + ": " + json::serialize(v) + " is not one of " + json::serialize(*e));
  }
  if (v.is_string()) {
    if (auto* p = s.if_contains("pattern")) {
      if (!std::regex_search(std::string(v.as_string()), std::regex(std::string(p->as_string()))))
        out.push_back(path + ": " + json::serialize(v) + " does not match " + std::string(p->as_string()));
    }
  }
  if (v.is_int64()) {
    if (auto* m = s.if_contains("minimum"); m && v.as_int64() < m->to_number<std::int64_t>())
      out.push_back(path + ": below the minimum");
  }
  if (v.is_object()) {
    const json::object& o = v.as_object();
    if (auto* r = s.if_contains("required"))
      for (const auto& k : r->as_array())
        if (!o.contains(k.as_string())) out.push_back(path + ": " + std::string(k.as_string()) + " is required");
    const json::object* props = s.if_contains("properties") ? &s.at("properties").as_object() : nullptr;
    const bool closed = s.if_contains("additionalProperties") && s.at("additionalProperties") == false;
    for (const auto& [k, x] : o) {
      if (props && props->contains(k)) {
        auto more = schema_errors(props->at(k), x, path + "." + std::string(k));
        out.insert(out.end(), more.begin(), more.end());
      } else if (closed) {
        out.push_back(path + ": " + std::string(k) + " is not allowed");
      }
    }
  }
  if (v.is_array()) {
    const json::array& a = v.as_array();
    if (auto* m = s.if_contains("minItems"); m && static_cast<std::int64_t>(a.size()) < m->to_number<std::int64_t>())
      out.push_back(path + ": too few items");
    if (auto* items = s.if_contains("items"))
      for (std::size_t i = 0; i < a.size(); ++i) {
        auto more = schema_errors(*items, a[i], path + "[" + std::to_string(i) + "]");
        out.insert(out.end(), more.begin(), more.end());
      }
  }
  return out;
}

inline boost::json::value load_event_schema(const std::string& type) {
  std::ifstream in(std::string(MENTORING_SOURCE_DIR) + "/docs/webhook-schemas/" + type + ".json");
  std::stringstream text;
  text << in.rdbuf();
  return boost::json::parse(text.str());
}

// The body the dispatcher sends for an outbox row (the envelope, byte for
// byte), checked against the event's schema; empty when it passes.
inline std::vector<std::string> event_schema_errors(const core::OutboxEntry& entry) {
  return schema_errors(load_event_schema(entry.event_type), boost::json::parse(app::outbound_body(entry)));
}

}  // namespace mentoring::testing
