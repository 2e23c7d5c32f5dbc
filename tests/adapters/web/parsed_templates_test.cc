#include "adapters/web/parsed_templates.h"

#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "adapters/web/embedded_files.h"
#include "adapters/web/renderer.h"

namespace mentoring::web {
namespace {

namespace km = kainjow::mustache;

using PartialMap = std::map<std::string, std::string, std::less<>>;

std::function<std::optional<std::string_view>(std::string_view)> lookup(const PartialMap& partials) {
  return [&partials](std::string_view name) -> std::optional<std::string_view> {
    auto it = partials.find(name);
    if (it == partials.end()) return std::nullopt;
    return std::string_view(it->second);
  };
}

std::map<std::string, std::string> compiled_in_templates() {
  std::map<std::string, std::string> out;
  for (const EmbeddedFile& f : embedded_templates_files()) {
    const std::string path(f.path);
    if (path.size() > 9 && path.substr(path.size() - 9) == ".mustache")
      out.emplace(path.substr(0, path.size() - 9), std::string(f.bytes));
  }
  return out;
}

TEST(ExpandPartialsTest, ReplacesPartialTagsRecursivelyAndKeepsEverythingElse) {
  PartialMap partials{{"a", "<a>{{x}}{{> b}}</a>"}, {"b", "[{{{y}}}]"}};
  auto out = expand_partials("1{{>a}}2{{ > b }}3{{> unknown}}4{{#s}}{{> b}}{{/s}}", lookup(partials));
  ASSERT_TRUE(out.is_ok()) << out.status().to_string();
  EXPECT_EQ(out.value(), "1<a>{{x}}[{{{y}}}]</a>2[{{{y}}}]3{{> unknown}}4{{#s}}[{{{y}}}]{{/s}}");
}

TEST(ExpandPartialsTest, LeavesPartialsInsideTheStringLambdaAndSetDelimiterTemplatesAlone) {
  PartialMap partials{{"b", "B"}};
  auto in_lambda = expand_partials("{{#t}}key {{> b}}{{/t}}{{> b}}", lookup(partials));
  ASSERT_TRUE(in_lambda.is_ok());
  EXPECT_EQ(in_lambda.value(), "{{#t}}key {{> b}}{{/t}}B");
  auto delimiters = expand_partials("{{> b}}{{=<% %>=}}<%> b%>", lookup(partials));
  ASSERT_TRUE(delimiters.is_ok());
  EXPECT_EQ(delimiters.value(), "{{> b}}{{=<% %>=}}<%> b%>");
}

TEST(ExpandPartialsTest, RefusesAPartialThatIncludesItselfAndUnclosedTags) {
  PartialMap partials{{"a", "x{{> b}}"}, {"b", "y{{> a}}"}};
  auto cycle = expand_partials("{{> a}}", lookup(partials));
  ASSERT_FALSE(cycle.is_ok());
  EXPECT_EQ(cycle.status().reason(), "template_invalid");
  auto unclosed = expand_partials("text {{ name", lookup(partials));
  ASSERT_FALSE(unclosed.is_ok());
  EXPECT_EQ(unclosed.status().reason(), "template_invalid");
}

// Every name a template's tags use, as a nested object with every leaf set
// to a string that needs escaping: sections render, inverted sections do not.
struct NameTree {
  std::map<std::string, NameTree> children;
};

km::data to_data(const NameTree& tree) {
  if (tree.children.empty()) return km::data("v<&\">");
  km::object object;
  for (const auto& [name, child] : tree.children) object[name] = to_data(child);
  return km::data(object);
}

km::data every_name_set(const std::string& text) {
  const std::regex tag(R"(\{\{\{?\s*[#^/&]?\s*([A-Za-z0-9_.:-]+))");
  NameTree root;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator(); ++it) {
    std::string name = (*it)[1];
    if (name == "t") continue;
    NameTree* node = &root;
    std::size_t start = 0;
    while (true) {
      std::size_t dot = name.find('.', start);
      node = &node->children[name.substr(start, dot == std::string::npos ? std::string::npos : dot - start)];
      if (dot == std::string::npos) break;
      start = dot + 1;
    }
  }
  return to_data(root);
}

std::string render_with_partial_tags(const std::string& source, const km::data& data,
                                     const std::map<std::string, std::string>& templates) {
  km::object env;
  env["t"] = km::lambda2{[](const std::string& text, const km::renderer&) { return "<" + text + ">"; }};
  for (const auto& [name, text] : templates) {
    if (name.rfind("partials/", 0) == 0) env[name] = text;
  }
  km::data env_data(env);
  km::context<std::string> ctx(&data);
  ctx.push(&env_data);
  km::mustache tmpl(source);
  std::string out = tmpl.render(ctx);
  EXPECT_TRUE(tmpl.is_valid()) << tmpl.error_message();
  return out;
}

// The expansion is checked against kainjow itself rendering the partial tags,
// for every compiled-in template, with every name set and with none set.
TEST(ExpandPartialsTest, ExpandedTemplatesRenderExactlyAsTheirPartialTagsDo) {
  const auto templates = compiled_in_templates();
  PartialMap partials;
  for (const auto& [name, text] : templates) partials.emplace(name, text);
  int with_partials = 0;
  for (const auto& [name, text] : templates) {
    auto expanded = expand_partials(text, lookup(partials));
    ASSERT_TRUE(expanded.is_ok()) << name << ": " << expanded.status().to_string();
    if (expanded.value() != text) ++with_partials;
    EXPECT_EQ(expanded.value().find("{{>"), std::string::npos) << name;
    km::data full = every_name_set(expanded.value());
    EXPECT_EQ(render_with_partial_tags(expanded.value(), full, templates),
              render_with_partial_tags(text, full, templates))
        << name;
    km::data empty;
    EXPECT_EQ(render_with_partial_tags(expanded.value(), empty, templates),
              render_with_partial_tags(text, empty, templates))
        << name;
  }
  EXPECT_GE(with_partials, 10);
}

TEST(ParsedTemplatesTest, UnknownTemplateIsNotFound) {
  auto lease = ParsedTemplates::instance().acquire("no_such_page");
  ASSERT_FALSE(lease.is_ok());
  EXPECT_EQ(lease.status().reason(), "template_not_found");
}

km::data page_data(const std::string& title, const std::string& reference) {
  km::data data;
  data.set("page_title", title);
  data.set("show_nhs_header", km::data::type::bool_true);
  data.set("back_href", "/back?from=" + reference);
  data.set("internal", km::data::type::bool_true);
  data.set("reference", reference);
  return data;
}

// Threads render the same pages at once, each with its own data; every output
// must be the one a render on its own gives.
TEST(ParsedTemplatesTest, ConcurrentRendersOfTheSamePageAreEachCorrect) {
  Renderer renderer;
  constexpr int kThreads = 8;
  constexpr int kRounds = 150;
  std::vector<std::string> expected_error(kThreads), expected_accessibility(kThreads);
  for (int i = 0; i < kThreads; ++i) {
    expected_error[i] = renderer.render("error", page_data("Problem " + std::to_string(i), "ref-" + std::to_string(i)));
    expected_accessibility[i] =
        renderer.render("accessibility", page_data("Statement " + std::to_string(i), "a" + std::to_string(i)));
    ASSERT_NE(expected_error[i].find("Reference: ref-" + std::to_string(i)), std::string::npos);
    ASSERT_NE(expected_accessibility[i].find("<title>Statement " + std::to_string(i)), std::string::npos);
  }
  ASSERT_NE(expected_error[0], expected_error[1]);
  std::vector<int> wrong(kThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < kThreads; ++i) {
    threads.emplace_back([&, i] {
      const km::data error = page_data("Problem " + std::to_string(i), "ref-" + std::to_string(i));
      const km::data statement = page_data("Statement " + std::to_string(i), "a" + std::to_string(i));
      for (int r = 0; r < kRounds; ++r) {
        if (renderer.render("error", error) != expected_error[i]) ++wrong[i];
        if (renderer.render("accessibility", statement) != expected_accessibility[i]) ++wrong[i];
      }
    });
  }
  for (std::thread& t : threads) t.join();
  for (int i = 0; i < kThreads; ++i) EXPECT_EQ(wrong[i], 0) << "thread " << i;
}

// A render that fails leaves its parsed copy unusable (kainjow keeps the
// error); it must not go back to the pool.
TEST(ParsedTemplatesTest, AFailedRenderDoesNotSpoilLaterRenders) {
  Renderer renderer;
  const std::string good = renderer.render("accessibility", page_data("Fine", "x"));
  km::data bad = page_data("x", "x");
  bad.set("page_title", km::lambda2{[](const std::string&, const km::renderer&) { return std::string(); }});
  for (int i = 0; i < 3; ++i) {
    auto failed = renderer.try_render("accessibility", bad);
    ASSERT_FALSE(failed.is_ok());
    EXPECT_EQ(failed.status().reason(), "template_invalid");
  }
  EXPECT_EQ(renderer.render("accessibility", page_data("Fine", "x")), good);
}

}  // namespace
}  // namespace mentoring::web
