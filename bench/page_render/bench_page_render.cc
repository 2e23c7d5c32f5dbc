// Time per whole page (page template inside the layout) from web::Renderer,
// whose templates are parsed once, against the same two templates parsed on
// every render with the partials passed as text (what kainjow does with
// {{> name}} tags). The comparison's {{#t}} lambda only looks the key up, so
// it slightly understates the cost of parsing every time.
//
//   build/bin/bench_page_render [--page NAME] [--renders N] [--threads T]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "adapters/web/embedded_files.h"
#include "adapters/web/renderer.h"

namespace km = kainjow::mustache;
using mentoring::web::EmbeddedFile;
using mentoring::web::embedded_templates_files;
using mentoring::web::Renderer;

namespace {

std::string template_text(const std::string& name) {
  for (const EmbeddedFile& f : embedded_templates_files()) {
    if (std::string(f.path) == name + ".mustache") return std::string(f.bytes);
  }
  std::fprintf(stderr, "no template %s\n", name.c_str());
  std::exit(2);
}

std::string parse_every_time(const Renderer& renderer, const std::string& page, const km::data& data) {
  std::string body;
  std::string html;
  for (int pass = 0; pass < 2; ++pass) {
    km::object env;
    const auto& strings = renderer.strings();
    env["t"] = km::lambda2{[&strings](const std::string& text, const km::renderer&) {
      return km::html_escape<std::string>(strings.text(text.substr(0, text.find(' '))));
    }};
    env["asset_base"] = renderer.asset_base();
    env["base_path"] = renderer.base_path();
    env["accessibility_href"] = renderer.base_path() + "/accessibility";
    for (const EmbeddedFile& f : embedded_templates_files()) {
      std::string path(f.path);
      if (path.rfind("partials/", 0) == 0) env[path.substr(0, path.size() - 9)] = std::string(f.bytes);
    }
    if (pass == 1) env["content"] = body;
    km::data env_data(env);
    km::mustache tmpl{template_text(pass == 0 ? page : "layout")};
    km::context<std::string> ctx(&data);
    ctx.push(&env_data);
    (pass == 0 ? body : html) = tmpl.render(ctx);
  }
  return html;
}

template <typename F>
double microseconds_per_page(int threads, int renders, F render) {
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&] {
      for (int i = 0; i < renders; ++i) render();
    });
  }
  for (std::thread& t : pool) t.join();
  auto end = std::chrono::steady_clock::now();
  return std::chrono::duration<double, std::micro>(end - start).count() / (static_cast<double>(renders) * threads);
}

}  // namespace

int main(int argc, char** argv) {
  std::string page = "accessibility";
  int renders = 2000;
  int threads = 1;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string opt = argv[i];
    if (opt == "--page") page = argv[i + 1];
    else if (opt == "--renders") renders = std::atoi(argv[i + 1]);
    else if (opt == "--threads") threads = std::atoi(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: bench_page_render [--page NAME] [--renders N] [--threads T]\n");
      return 2;
    }
  }
  if (renders < 1 || threads < 1) return 2;
  Renderer renderer;
  km::data data;
  data.set("page_title", "Accessibility statement for Mentoring");
  data.set("show_nhs_header", km::data::type::bool_true);
  data.set("service_href", "/");
  auto first = renderer.try_render(page, data);  // parses the templates, once
  if (!first.is_ok()) {
    std::fprintf(stderr, "%s\n", first.status().to_string().c_str());
    return 1;
  }
  const double parsed_once = microseconds_per_page(threads, renders, [&] { (void)renderer.render(page, data); });
  const double parsed_each = microseconds_per_page(threads, renders, [&] { (void)parse_every_time(renderer, page, data); });
  std::printf("{\"page\": \"%s\", \"bytes\": %zu, \"threads\": %d, \"renders_per_thread\": %d,\n"
              " \"parsed_once_us_per_page\": %.1f, \"parsed_every_render_us_per_page\": %.1f}\n",
              page.c_str(), first.value().size(), threads, renders, parsed_once, parsed_each);
  return 0;
}
