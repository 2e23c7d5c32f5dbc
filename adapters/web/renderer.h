// Turns a page template and its data into a whole HTML page.
//
// Templates are Mustache (kainjow), compiled into the library from
// adapters/web/templates/, parsed once with their partials expanded and
// reused by every render and thread (adapters/web/parsed_templates.h).
// Data is HTML-escaped by {{name}}; the triple {{{name}}} form is for HTML
// the renderer itself produced and must not be used on data. A page template
// (say error.mustache) holds only what goes inside <main>; render() puts it
// into layout.mustache. A Renderer may be used by several threads at once.
//
// What every template can use, supplied by the renderer (page data cannot
// override these):
//   {{#t}}component:name{{/t}}       the string for that key, escaped
//   {{#t}}error:reference reference=request_id{{/t}}
//                                    ... with {reference} filled from the data
//                                    value request_id (dotted names work)
//   {{asset_base}}                   URL prefix of static files, e.g.
//                                    "/mentoring/static/3f2a9c0d1e4b"
//   {{base_path}}                    where the pages are mounted ("" or "/mentoring")
//   {{accessibility_href}}           the accessibility statement's URL
//   {{> partials/NAME}}              templates/partials/NAME.mustache
//
// The layout's own data contract (keys in the page data):
//   page_title       string, required: the page's name, also its <h1> as a
//                    rule; the <title> becomes "<page_title> – Mentoring"
//   has_errors       bool: the page shows validation errors; the <title>
//                    starts with "Error: "
//   show_nhs_header  bool: draw the NHS header (logo and service name).
//                    False (or absent) inside the host portal's iframe,
//                    where the portal has its own header.
//   hide_nhs_logo    bool: with show_nhs_header, leave out the NHS logo
//                    (for hosts that are not NHS-branded)
//   service_href     string: where the service name links to; no link if absent
//   back_href        string: draws a "Back" link above <main> to this URL
// Everything else in the data is for the page template.
#pragma once

#include <kainjow/mustache.hpp>

#include <memory>
#include <string>
#include <string_view>

#include "adapters/web/strings.h"
#include "core/status.h"

namespace mentoring::web {

struct RendererOptions {
  // Where the host mounts the plugin's pages: "" (the root) or a path like
  // "/mentoring", without a trailing slash. Default: "".
  std::string base_path;
};

class Renderer {
 public:
  // Default: English strings, pages at the root.
  Renderer();
  explicit Renderer(Strings strings, RendererOptions options = {});

  // templates/<template_name>.mustache inside the layout, as a whole page.
  // Never fails: a missing or broken template (a bug the tests catch) gives
  // a plain "problem with the service" page instead; use try_render to see
  // the Status.
  std::string render(std::string_view template_name, const kainjow::mustache::data& data) const;

  // As render, reporting failures:
  //   not_found template_not_found     no such template
  //   internal  template_invalid       the template does not parse or render
  core::Result<std::string> try_render(std::string_view template_name,
                                       const kainjow::mustache::data& data) const;

  // One template on its own, without the layout (for fragments).
  core::Result<std::string> render_fragment(std::string_view template_name,
                                            const kainjow::mustache::data& data) const;

  const Strings& strings() const { return *strings_; }
  // "<base_path>/static/<version>", the prefix of every asset URL.
  const std::string& asset_base() const { return asset_base_; }
  const std::string& base_path() const { return options_.base_path; }

 private:
  core::Result<std::string> render_with(std::string_view template_name, const kainjow::mustache::data& data,
                                        const std::string* content) const;

  std::shared_ptr<const Strings> strings_;
  RendererOptions options_;
  std::string asset_base_;
  // What the renderer supplies to every template (the string lambda, the
  // URLs, the partials' text), built once and only read while rendering.
  std::shared_ptr<const kainjow::mustache::data> env_;
};

// The template names under templates/ (without ".mustache"), sorted;
// partials appear as "partials/NAME".
std::vector<std::string> template_names();

}  // namespace mentoring::web
