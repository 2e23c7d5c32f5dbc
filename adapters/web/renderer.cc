#include "adapters/web/renderer.h"

#include <cctype>
#include <exception>
#include <optional>
#include <vector>

#include "adapters/web/embedded_files.h"
#include "adapters/web/parsed_templates.h"

namespace mentoring::web {
namespace km = kainjow::mustache;

namespace {

constexpr std::string_view kTemplateSuffix = ".mustache";
constexpr std::string_view kPartialsFolder = "partials/";

bool is_data_path(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

// {{#t}}key name=data.path ...{{/t}}: the string for `key`, its {name}
// placeholders filled from the data at each path, then escaped once as a
// whole. The strings are ours, but an override file or a data value may hold
// '<' or '&', and neither is ever read as markup.
std::string translate(const Strings& strings, const std::string& section_text, const km::renderer& render) {
  std::vector<std::string> words;
  std::size_t i = 0;
  while (i < section_text.size()) {
    while (i < section_text.size() && std::isspace(static_cast<unsigned char>(section_text[i]))) ++i;
    std::size_t start = i;
    while (i < section_text.size() && !std::isspace(static_cast<unsigned char>(section_text[i]))) ++i;
    if (i > start) words.emplace_back(section_text.substr(start, i - start));
  }
  if (words.empty()) return {};
  std::vector<std::pair<std::string, std::string>> owned;
  for (std::size_t w = 1; w < words.size(); ++w) {
    auto eq = words[w].find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string name = words[w].substr(0, eq);
    std::string path = words[w].substr(eq + 1);
    // Only plain data paths are looked up, so an argument can never smuggle
    // a tag into the nested render.
    if (!is_data_path(path)) continue;
    owned.emplace_back(std::move(name), render("{{{" + path + "}}}"));
  }
  std::vector<std::pair<std::string_view, std::string_view>> values(owned.begin(), owned.end());
  return km::html_escape<std::string>(strings.format(words[0], values));
}

std::string problem_page(const Strings& strings) {
  // No layout, no assets: this page is drawn when templates themselves fail.
  const std::string title = km::html_escape<std::string>(strings.text("error:internal_title"));
  const std::string body = km::html_escape<std::string>(strings.text("error:internal_body"));
  const std::string head_title =
      km::html_escape<std::string>(strings.format("layout:page_title", {{"title", strings.text("error:internal_title")}}));
  return "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + head_title +
         "</title>\n</head>\n<body>\n<main id=\"maincontent\">\n<h1>" + title + "</h1>\n<p>" + body +
         "</p>\n</main>\n</body>\n</html>\n";
}

}  // namespace

Renderer::Renderer() : Renderer(Strings::english()) {}

Renderer::Renderer(Strings strings, RendererOptions options)
    : strings_(std::make_shared<const Strings>(std::move(strings))), options_(std::move(options)) {
  asset_base_ = options_.base_path + "/static/" + std::string(static_assets_version());
  // What the renderer supplies sits above the page data in the context, so
  // a data key can never replace the string lambda or a partial.
  km::object env;
  std::shared_ptr<const Strings> shared_strings = strings_;
  env["t"] = km::lambda2{[shared_strings](const std::string& text, const km::renderer& render) {
    return translate(*shared_strings, text, render);
  }};
  env["asset_base"] = asset_base_;
  env["base_path"] = options_.base_path;
  env["accessibility_href"] = options_.base_path + "/accessibility";
  // Parsed templates have their partials expanded already; the text stays
  // here for the few partial tags that are not expanded (see
  // expand_partials), which are resolved while rendering.
  for (const EmbeddedFile& f : embedded_templates_files()) {
    if (f.path.substr(0, kPartialsFolder.size()) != kPartialsFolder) continue;
    if (f.path.size() <= kTemplateSuffix.size() ||
        f.path.substr(f.path.size() - kTemplateSuffix.size()) != kTemplateSuffix)
      continue;
    env[std::string(f.path.substr(0, f.path.size() - kTemplateSuffix.size()))] = std::string(f.bytes);
  }
  env_ = std::make_shared<const km::data>(std::move(env));
}

core::Result<std::string> Renderer::render_with(std::string_view template_name, const km::data& data,
                                                const std::string* content) const {
  auto lease = ParsedTemplates::instance().acquire(template_name);
  if (!lease.is_ok()) return lease.status();
  km::mustache& tmpl = lease->get();
  try {
    // Lookups go: the renderer's own values, then the page body (layout
    // only), then the page data.
    km::context<std::string> ctx(&data);
    std::optional<km::data> content_data;
    if (content != nullptr) {
      content_data.emplace(km::object{{"content", *content}});
      ctx.push(&*content_data);
    }
    ctx.push(env_.get());
    std::string html = tmpl.render(ctx);
    if (!tmpl.is_valid())
      return core::Status::internal("template_invalid", "The page template \"" + std::string(template_name) +
                                                            "\" failed to render: " + tmpl.error_message());
    return html;
  } catch (const std::exception& e) {
    return core::Status::internal("template_invalid", "The page template \"" + std::string(template_name) +
                                                          "\" failed to render: " + e.what());
  }
}

core::Result<std::string> Renderer::render_fragment(std::string_view template_name, const km::data& data) const {
  return render_with(template_name, data, nullptr);
}

core::Result<std::string> Renderer::try_render(std::string_view template_name, const km::data& data) const {
  auto body = render_with(template_name, data, nullptr);
  if (!body.is_ok()) return body.status();
  return render_with("layout", data, &body.value());
}

std::string Renderer::render(std::string_view template_name, const km::data& data) const {
  auto page = try_render(template_name, data);
  if (page.is_ok()) return std::move(page).value();
  return problem_page(*strings_);
}

std::vector<std::string> template_names() {
  std::vector<std::string> names;
  for (const EmbeddedFile& f : embedded_templates_files()) {
    if (f.path.size() > kTemplateSuffix.size() &&
        f.path.substr(f.path.size() - kTemplateSuffix.size()) == kTemplateSuffix)
      names.emplace_back(f.path.substr(0, f.path.size() - kTemplateSuffix.size()));
  }
  return names;
}

}  // namespace mentoring::web
