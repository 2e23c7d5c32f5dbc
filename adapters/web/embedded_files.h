// Files compiled into the library: the web pages' static assets, templates
// and strings. The definitions are generated at build time by
// cmake/EmbedAssets.cmake from adapters/web/static/, adapters/web/templates/
// and adapters/web/lang/, so the plugin never reads them from disk and needs
// no install location.
#pragma once

#include <span>
#include <string_view>

namespace mentoring::web {

struct EmbeddedFile {
  std::string_view path;          // relative to its folder: "css/mentoring.css"
  std::string_view content_type;  // "text/css; charset=utf-8"
  std::string_view etag;          // strong ETag, quoted: "\"3f2a...\"" (SHA-256 prefix)
  std::string_view bytes;
};

// Every file under adapters/web/static/, sorted by path.
std::span<const EmbeddedFile> embedded_static_files();
// Every file under adapters/web/templates/ ("layout.mustache", ...).
std::span<const EmbeddedFile> embedded_templates_files();
// Every file under adapters/web/lang/ ("en.json").
std::span<const EmbeddedFile> embedded_lang_files();

// A short hash over every static file's path and content. Put it in asset
// URLs (/static/<version>/css/mentoring.css) so they can be cached forever:
// any change to any file changes the version.
std::string_view static_assets_version();

// The file at exactly `path` in `files`, or null.
const EmbeddedFile* find_embedded_file(std::span<const EmbeddedFile> files, std::string_view path);

}  // namespace mentoring::web
