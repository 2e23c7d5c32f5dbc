#include "adapters/http/router.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <set>

#include "adapters/http/json.h"

namespace mentoring::http {
namespace {

// RFC 9110 5.6.2 tchar.
bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (std::isalnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

bool is_param_name(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s)
    if (!std::isalnum(c) && c != '_') return false;
  return true;
}

// "/a/b" -> {"a", "b"}; "/" -> {""}. The leading '/' is dropped.
std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> parts;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  while (true) {
    auto slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return parts;
}

core::Status bad_pattern(const std::string& pattern, const std::string& why) {
  return core::Status::invalid("invalid_route_pattern", "The route pattern \"" + pattern + "\" " + why + ".");
}

}  // namespace

void PathParams::set(std::string name, std::string value) {
  for (auto& [k, v] : values_) {
    if (k == name) {
      v = std::move(value);
      return;
    }
  }
  values_.emplace_back(std::move(name), std::move(value));
}

bool PathParams::has(std::string_view name) const {
  return std::any_of(values_.begin(), values_.end(), [&](const auto& kv) { return kv.first == name; });
}

std::string_view PathParams::get(std::string_view name) const {
  for (const auto& [k, v] : values_)
    if (k == name) return v;
  return {};
}

core::Result<int64_t> PathParams::get_int64(std::string_view name) const {
  if (!has(name)) {
    return core::Status::internal("missing_path_parameter",
                                  "The route has no path parameter named \"" + std::string(name) + "\".");
  }
  const std::string_view text = get(name);
  const bool digits_only = !text.empty() && std::all_of(text.begin(), text.end(), [](unsigned char c) {
    return c >= '0' && c <= '9';
  });
  if (!digits_only) {
    return core::Status::invalid("invalid_path_parameter",
                                 "The " + std::string(name) + " in the address must be a whole number.",
                                 std::string(name));
  }
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec == std::errc::result_out_of_range || end != text.data() + text.size()) {
    return core::Status::invalid("invalid_path_parameter",
                                 "The " + std::string(name) + " in the address is too large to be an id.",
                                 std::string(name));
  }
  return value;
}

core::Status Router::add(std::string method, std::string pattern, RouteFn fn) {
  for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!is_token(method)) {
    return core::Status::invalid("invalid_route_method", "The route method \"" + method + "\" is not an HTTP method.");
  }
  if (!fn) return core::Status::invalid("invalid_route_handler", "The route for " + pattern + " has no handler.");
  if (pattern.empty() || pattern.front() != '/') return bad_pattern(pattern, "must start with '/'");

  Pattern parsed;
  parsed.source = pattern;
  std::set<std::string> names;
  const auto parts = split_path(pattern);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    const bool opens = part.find('{') != std::string_view::npos;
    const bool closes = part.find('}') != std::string_view::npos;
    if (!opens && !closes) {
      parsed.segments.push_back({SegmentKind::kLiteral, std::string(part)});
      continue;
    }
    if (part.size() < 2 || part.front() != '{' || part.back() != '}') {
      return bad_pattern(pattern, "has a parameter that is not a whole segment");
    }
    std::string_view name = part.substr(1, part.size() - 2);
    SegmentKind kind = SegmentKind::kParam;
    if (!name.empty() && name.front() == '*') {
      if (i + 1 != parts.size()) return bad_pattern(pattern, "has a wildcard that is not the last segment");
      kind = SegmentKind::kWildcard;
      name.remove_prefix(1);
    }
    if (!is_param_name(name)) return bad_pattern(pattern, "has a parameter name that is not [A-Za-z0-9_]+");
    if (!names.insert(std::string(name)).second) return bad_pattern(pattern, "repeats a parameter name");
    parsed.segments.push_back({kind, std::string(name)});
  }

  for (Pattern& existing : patterns_) {
    const bool same_shape = std::equal(
        existing.segments.begin(), existing.segments.end(), parsed.segments.begin(), parsed.segments.end(),
        [](const Segment& a, const Segment& b) {
          return a.kind == b.kind && (a.kind != SegmentKind::kLiteral || a.text == b.text);
        });
    if (!same_shape) continue;
    if (existing.source != parsed.source) {
      // "/a/{id}" and "/a/{key}" would match the same paths and which one
      // wins would be arbitrary.
      return bad_pattern(pattern, "matches the same paths as \"" + existing.source + "\" with other names");
    }
    for (const auto& [m, f] : existing.routes) {
      if (m == method) {
        return core::Status::already_exists("duplicate_route",
                                            "A route for " + method + " " + pattern + " is already registered.");
      }
    }
    existing.routes.emplace_back(std::move(method), std::move(fn));
    return core::Status::ok();
  }
  parsed.routes.emplace_back(std::move(method), std::move(fn));
  patterns_.push_back(std::move(parsed));
  return core::Status::ok();
}

bool Router::match_one(const Pattern& pattern, const std::vector<std::string_view>& parts, PathParams* params) {
  const auto& segs = pattern.segments;
  for (std::size_t i = 0; i < segs.size(); ++i) {
    const Segment& seg = segs[i];
    if (seg.kind == SegmentKind::kWildcard) {
      std::string rest;
      for (std::size_t j = i; j < parts.size(); ++j) {
        if (parts[j] == "." || parts[j] == "..") return false;
        if (j > i) rest += '/';
        rest.append(parts[j]);
      }
      if (params) params->set(seg.text, std::move(rest));
      return true;
    }
    if (i >= parts.size()) return false;
    if (seg.kind == SegmentKind::kLiteral) {
      if (parts[i] != seg.text) return false;
    } else {
      if (parts[i].empty()) return false;
      if (params) params->set(seg.text, std::string(parts[i]));
    }
  }
  return segs.size() == parts.size();
}

int Router::match(std::string_view path, PathParams& params) const {
  const auto parts = split_path(path);
  int best = -1;
  for (std::size_t i = 0; i < patterns_.size(); ++i) {
    if (!match_one(patterns_[i], parts, nullptr)) continue;
    if (best < 0) {
      best = static_cast<int>(i);
      continue;
    }
    // Lexicographic on segment kind: literal < param < wildcard, so the
    // first difference decides which pattern is more specific.
    const auto& a = patterns_[i].segments;
    const auto& b = patterns_[best].segments;
    const bool more_specific = std::lexicographical_compare(
        a.begin(), a.end(), b.begin(), b.end(),
        [](const Segment& x, const Segment& y) { return static_cast<int>(x.kind) < static_cast<int>(y.kind); });
    if (more_specific) best = static_cast<int>(i);
  }
  if (best >= 0) match_one(patterns_[best], parts, &params);
  return best;
}

std::string Router::allow_for(const Pattern& pattern) {
  std::set<std::string> methods{"OPTIONS"};
  for (const auto& [m, f] : pattern.routes) {
    methods.insert(m);
    if (m == "GET") methods.insert("HEAD");
  }
  std::string allow;
  for (const auto& m : methods) {
    if (!allow.empty()) allow += ", ";
    allow += m;
  }
  return allow;
}

std::string Router::allowed_methods(std::string_view path) const {
  PathParams params;
  const int index = match(path, params);
  return index < 0 ? std::string() : allow_for(patterns_[index]);
}

Response Router::handle(const Request& request) const {
  PathParams params;
  const int index = match(request.path, params);
  if (index < 0) {
    return error_response(core::Status::not_found("not_found", "Nothing exists at this address."));
  }
  const Pattern& pattern = patterns_[index];
  auto find = [&](std::string_view method) -> const RouteFn* {
    for (const auto& [m, f] : pattern.routes)
      if (m == method) return &f;
    return nullptr;
  };

  if (const RouteFn* fn = find(request.method)) return (*fn)(request, params);

  if (request.method == "HEAD") {
    if (const RouteFn* get = find("GET")) {
      Response response = (*get)(request, params);
      // HEAD answers with the headers GET would send, Content-Length
      // included (RFC 9110 9.3.2), and no body.
      if (response.header("Content-Length").empty()) {
        response.set_header("Content-Length", std::to_string(response.body.size()));
      }
      response.body.clear();
      return response;
    }
  }
  if (request.method == "OPTIONS") {
    Response response;
    response.status = 204;
    response.set_header("Allow", allow_for(pattern));
    return response;
  }
  Response response = error_response(core::Status::invalid(
      "method_not_allowed", "This address does not accept " + request.method + " requests."));
  response.set_header("Allow", allow_for(pattern));
  return response;
}

}  // namespace mentoring::http
