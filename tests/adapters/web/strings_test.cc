#include "adapters/web/strings.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "adapters/web/embedded_files.h"
#include "adapters/web/renderer.h"
#include "web_test_support.h"

namespace mentoring::web {
namespace {

// Every {{#t}}key ...{{/t}} in every template, with where it was found.
std::vector<std::pair<std::string, std::string>> keys_used_by_templates() {
  std::vector<std::pair<std::string, std::string>> used;
  const std::regex tag(R"(\{\{#t\}\}\s*([^\s{}]+))");
  for (const EmbeddedFile& file : embedded_templates_files()) {
    std::string text(file.bytes);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), tag); it != std::sregex_iterator(); ++it)
      used.emplace_back((*it)[1], std::string(file.path));
  }
  return used;
}

TEST(StringsTest, EveryKeyUsedInATemplateExistsInEnglish) {
  auto used = keys_used_by_templates();
  ASSERT_GT(used.size(), 50u) << "the template scan found too few keys; has the {{#t}} syntax changed?";
  for (const auto& [key, file] : used) {
    EXPECT_TRUE(is_valid_string_key(key)) << key << " in " << file;
    EXPECT_TRUE(Strings::english().contains(key)) << key << " used in " << file << " is missing from lang/en.json";
  }
}

TEST(StringsTest, EveryTemplateTagOpeningAStringIsClosed) {
  // An unclosed {{#t}} would swallow the rest of the template into the key.
  for (const EmbeddedFile& file : embedded_templates_files()) {
    std::string text(file.bytes);
    std::size_t opens = 0, closes = 0;
    for (std::size_t at = text.find("{{#t}}"); at != std::string::npos; at = text.find("{{#t}}", at + 1)) ++opens;
    for (std::size_t at = text.find("{{/t}}"); at != std::string::npos; at = text.find("{{/t}}", at + 1)) ++closes;
    EXPECT_EQ(opens, closes) << file.path;
  }
}

TEST(StringsTest, EnglishFileParsesAndMatchesTheSourceFile) {
  auto parsed = Strings::parse(testing::read_file(testing::source_path("adapters/web/lang/en.json")));
  ASSERT_TRUE(parsed.is_ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->keys(), Strings::english().keys());
  EXPECT_EQ(Strings::english().text("service:name"), "Mentoring");
  EXPECT_EQ(Strings::english().text("error:forbidden_title"), "You do not have permission to see this page");
}

TEST(StringsTest, MissingKeyIsVisibleAsDoubleBrackets) {
  EXPECT_EQ(text("page:no_such_key"), "[[page:no_such_key]]");
  // The same reference each time, and stable while other keys are added.
  const std::string& first = text("page:no_such_key");
  for (int i = 0; i < 100; ++i) (void)text("page:other_" + std::to_string(i));
  EXPECT_EQ(&first, &text("page:no_such_key"));
  EXPECT_EQ(first, "[[page:no_such_key]]");
}

TEST(StringsTest, MissingKeyShowsOnTheRenderedPage) {
  auto empty = Strings::parse("{}");
  ASSERT_TRUE(empty.is_ok());
  Renderer renderer(std::move(empty).value());
  kainjow::mustache::data data;
  data.set("page_title", "Page");
  data.set("forbidden", kainjow::mustache::data::type::bool_true);
  std::string html = renderer.render("error", data);
  EXPECT_NE(html.find("[[error:forbidden_title]]"), std::string::npos);
  EXPECT_NE(html.find("[[layout:skip_link]]"), std::string::npos);
}

TEST(StringsTest, PlaceholdersAreFilledAndUnknownOnesLeftVisible) {
  std::pair<std::string_view, std::string_view> values[] = {{"name", "Dr Ada Lovelace"}, {"count", "3"}};
  EXPECT_EQ(fill_placeholders("Hello {name}, you have {count} mentees.", values),
            "Hello Dr Ada Lovelace, you have 3 mentees.");
  EXPECT_EQ(fill_placeholders("{missing} and {name}", values), "{missing} and Dr Ada Lovelace");
  EXPECT_EQ(fill_placeholders("{ name } {Name} {} { {name", values), "{ name } {Name} {} { {name");
  // A value that looks like a placeholder is not filled again.
  std::pair<std::string_view, std::string_view> tricky[] = {{"a", "{b}"}, {"b", "B"}};
  EXPECT_EQ(fill_placeholders("{a}{b}", tricky), "{b}B");
  EXPECT_EQ(format_text("error:reference", {{"reference", "req-42"}}), "Reference: req-42");
}

TEST(StringsTest, ParseRejectsBadFilesWithSpecificReasons) {
  struct Case {
    const char* json;
    const char* reason;
  };
  for (const Case& c : {Case{"{", "strings_not_json"}, Case{"not json", "strings_not_json"},
                        Case{"[\"a\"]", "strings_not_object"}, Case{"\"text\"", "strings_not_object"},
                        Case{R"({"nocolon": "x"})", "strings_key_invalid"},
                        Case{R"({"Page:Title": "x"})", "strings_key_invalid"},
                        Case{R"({"page:": "x"})", "strings_key_invalid"},
                        Case{R"({"page:a:b": "x"})", "strings_key_invalid"},
                        Case{R"({"page:title": 3})", "strings_value_not_string"},
                        Case{R"({"page:title": null})", "strings_value_not_string"},
                        Case{R"({"page:title": {"x": "y"}})", "strings_value_not_string"}}) {
    auto parsed = Strings::parse(c.json);
    ASSERT_FALSE(parsed.is_ok()) << c.json;
    EXPECT_EQ(parsed.status().code(), core::Code::kInvalidArgument) << c.json;
    EXPECT_EQ(parsed.status().reason(), c.reason) << c.json;
    EXPECT_FALSE(parsed.status().message().empty());
  }
}

TEST(StringsTest, OverridesReplaceAndAddKeysWithoutChangingTheOriginal) {
  auto local = Strings::english().with_overrides(R"({"service:name": "Thames Mentoring", "page:extra": "More"})");
  ASSERT_TRUE(local.is_ok()) << local.status().to_string();
  EXPECT_EQ(local->text("service:name"), "Thames Mentoring");
  EXPECT_EQ(local->text("page:extra"), "More");
  EXPECT_EQ(local->text("error:not_found_title"), "Page not found");
  EXPECT_EQ(Strings::english().text("service:name"), "Mentoring");
  EXPECT_EQ(local->size(), Strings::english().size() + 1);

  auto bad = Strings::english().with_overrides(R"({"service:name": 1})");
  ASSERT_FALSE(bad.is_ok());
  EXPECT_EQ(bad.status().reason(), "strings_value_not_string");
}

TEST(StringsTest, KeyShapeIsComponentColonName) {
  EXPECT_TRUE(is_valid_string_key("matching:method_hybrid"));
  EXPECT_TRUE(is_valid_string_key("error:forbidden_title"));
  EXPECT_FALSE(is_valid_string_key("error"));
  EXPECT_FALSE(is_valid_string_key(":title"));
  EXPECT_FALSE(is_valid_string_key("error:Title"));
  EXPECT_FALSE(is_valid_string_key("error:title "));
  EXPECT_FALSE(is_valid_string_key("error-x:title"));
}

}  // namespace
}  // namespace mentoring::web
