#include "adapters/web/static_files.h"

#include <string>

#include "adapters/web/embedded_files.h"

namespace mentoring::web {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kShort = "public, max-age=300";

http::Response plain(int status, std::string_view body) {
  http::Response response;
  response.status = status;
  response.set_header("Content-Type", "text/plain; charset=utf-8");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_header("Cache-Control", "no-store");
  response.body = std::string(body);
  return response;
}

bool is_version_segment(std::string_view segment) {
  if (segment.size() != static_assets_version().size()) return false;
  for (char c : segment)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// If-None-Match uses the weak comparison (RFC 9110 13.1.2): W/"x" matches "x".
bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  std::size_t start = 0;
  while (start <= if_none_match.size()) {
    std::size_t comma = if_none_match.find(',', start);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view candidate = trim(if_none_match.substr(start, comma - start));
    if (candidate == "*") return true;
    if (candidate.substr(0, 2) == "W/") candidate.remove_prefix(2);
    if (!candidate.empty() && candidate == etag) return true;
    start = comma + 1;
  }
  return false;
}

}  // namespace

bool is_safe_static_path(std::string_view path) {
  if (path.empty()) return false;
  std::size_t segment_start = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '/') {
      std::string_view segment = path.substr(segment_start, i - segment_start);
      if (segment.empty() || segment == "." || segment == "..") return false;
      segment_start = i + 1;
      continue;
    }
    char c = path[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
              c == '-';
    if (!ok) return false;
  }
  return true;
}

std::string static_url(std::string_view base_path, std::string_view file) {
  std::string url(base_path);
  url += "/static/";
  url += static_assets_version();
  url += '/';
  url += file;
  return url;
}

http::Response serve_static(const http::Request& request, std::string_view relative_path) {
  if (request.method != "GET" && request.method != "HEAD") {
    http::Response response = plain(405, "Method not allowed\n");
    response.set_header("Allow", "GET, HEAD");
    return response;
  }
  if (!is_safe_static_path(relative_path)) return plain(400, "Bad static file path\n");

  std::string_view file_path = relative_path;
  std::string_view cache_control = kShort;
  auto slash = relative_path.find('/');
  if (slash != std::string_view::npos && is_version_segment(relative_path.substr(0, slash))) {
    file_path = relative_path.substr(slash + 1);
    if (relative_path.substr(0, slash) == static_assets_version()) cache_control = kImmutable;
  }

  const EmbeddedFile* file = find_embedded_file(embedded_static_files(), file_path);
  if (file == nullptr) return plain(404, "Not found\n");

  http::Response response;
  response.set_header("ETag", std::string(file->etag));
  response.set_header("Cache-Control", std::string(cache_control));
  response.set_header("X-Content-Type-Options", "nosniff");
  // Only our own pages load these files.
  response.set_header("Cross-Origin-Resource-Policy", "same-origin");
  if (etag_matches(request.header("If-None-Match"), file->etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.set_header("Content-Type", std::string(file->content_type));
  if (request.method == "GET") response.body = std::string(file->bytes);
  return response;
}

}  // namespace mentoring::web
