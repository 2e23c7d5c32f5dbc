// Serves the files under adapters/web/static/ (CSS, JavaScript, icons) from
// the copies compiled into the library.
//
// URLs carry the asset version (static_assets_version(), a hash of every
// file) so that browsers may cache them for a year without asking again:
//   /static/<version>/css/mentoring.css -> immutable, one year
//   /static/css/mentoring.css           -> five minutes (links without a version)
//   /static/<older version>/...         -> today's file, five minutes (pages
//                                          cached before an upgrade still work)
// Every response has a strong ETag; If-None-Match with it gives 304.
#pragma once

#include <string_view>

#include "adapters/http/message.h"

namespace mentoring::web {

// `relative_path` is what follows "/static/" in the request's decoded path,
// e.g. "3f2a9c0d1e4b/css/mentoring.css". Only GET and HEAD are served (405
// with Allow otherwise). A path that could reach outside the folder ("..",
// ".", empty segments, backslashes, NULs, '%' left from double encoding, any
// character outside [A-Za-z0-9._/-]) gives 400; a file that does not exist
// gives 404. Responses are plain text on error, the file otherwise, always
// with X-Content-Type-Options: nosniff.
http::Response serve_static(const http::Request& request, std::string_view relative_path);

// True when `relative_path` is safe to look up: non-empty segments of
// [A-Za-z0-9._-] separated by '/', none of them "." or "..".
bool is_safe_static_path(std::string_view relative_path);

// The URL path of a static file: "<base_path>/static/<version>/<file>".
std::string static_url(std::string_view base_path, std::string_view file);

}  // namespace mentoring::web
