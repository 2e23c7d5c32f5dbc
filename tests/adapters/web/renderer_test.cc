#include "adapters/web/renderer.h"

#include <gtest/gtest.h>

#include <regex>

#include "adapters/web/embedded_files.h"
#include "adapters/web/static_files.h"
#include "web_test_support.h"

namespace mentoring::web {
namespace {

namespace km = kainjow::mustache;

km::data accessibility_data(const std::string& title, bool header) {
  km::data data;
  data.set("page_title", title);
  data.set("show_nhs_header", header ? km::data::type::bool_true : km::data::type::bool_false);
  return data;
}

std::string title_of(const std::string& html) {
  std::smatch m;
  std::regex title("<title>([^<]*)</title>");
  return std::regex_search(html, m, title) ? m[1].str() : std::string("(no title)");
}

TEST(RendererTest, EscapesScriptInData) {
  Renderer renderer;
  km::data data = accessibility_data("<script>alert('x')</script>", true);
  data.set("back_href", "\"><script>alert(1)</script>");
  data.set("service_href", "/home?a=1&b=\"2\"");
  std::string html = renderer.render("accessibility", data);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; – Mentoring"), std::string::npos);
  EXPECT_NE(html.find("href=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""), std::string::npos);
  EXPECT_NE(html.find("href=\"/home?a=1&amp;b=&quot;2&quot;\""), std::string::npos);
  EXPECT_TRUE(testing::inline_code_problems(html).empty());
}

TEST(RendererTest, DataIsNeverReadAsATemplate) {
  Renderer renderer;
  std::string html = renderer.render("accessibility", accessibility_data("{{asset_base}} {{> partials/footer}}", true));
  EXPECT_EQ(title_of(html), "{{asset_base}} {{&gt; partials/footer}} – Mentoring");
  // Data cannot replace what the renderer supplies, either.
  km::data data = accessibility_data("Title", true);
  data.set("t", "hijacked");
  data.set("asset_base", "https://evil.example");
  data.set("partials/footer", "<p>hijacked</p>");
  data.set("content", "<p>hijacked</p>");
  html = renderer.render("accessibility", data);
  EXPECT_EQ(html.find("hijacked"), std::string::npos);
  EXPECT_EQ(html.find("evil.example"), std::string::npos);
  EXPECT_NE(html.find(renderer.asset_base() + "/css/mentoring.css"), std::string::npos);
}

TEST(RendererTest, LayoutWithNhsHeaderHasLogoServiceNameAndBanner) {
  Renderer renderer;
  km::data data = accessibility_data("Accessibility statement for Mentoring", true);
  data.set("service_href", "/mentoring/");
  std::string html = renderer.render("accessibility", data);
  EXPECT_NE(html.find("<header class=\"nhsuk-header\""), std::string::npos);
  EXPECT_NE(html.find("role=\"banner\""), std::string::npos);
  EXPECT_NE(html.find("<svg class=\"nhsuk-header__logo\""), std::string::npos);
  EXPECT_NE(html.find("<span class=\"nhsuk-header__service-name\">Mentoring</span>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/mentoring/\" aria-label=\"NHS Mentoring homepage\""), std::string::npos);
  EXPECT_EQ(html.find("app-embedded"), std::string::npos);
  EXPECT_EQ(testing::page_check_report(html, renderer.asset_base()), "");
}

TEST(RendererTest, LayoutInsideThePortalFrameHasNoNhsHeader) {
  Renderer renderer;
  std::string html = renderer.render("accessibility", accessibility_data("Accessibility statement for Mentoring", false));
  EXPECT_EQ(html.find("<header"), std::string::npos);
  EXPECT_EQ(html.find("nhsuk-header__logo"), std::string::npos);
  EXPECT_NE(html.find("<body class=\"nhsuk-template__body app-embedded\">"), std::string::npos);
  // The skip link, main landmark and footer are there either way.
  EXPECT_NE(html.find("<a class=\"nhsuk-skip-link\" data-module=\"nhsuk-skip-link\" href=\"#maincontent\">"),
            std::string::npos);
  EXPECT_NE(html.find("<main class=\"nhsuk-main-wrapper\" id=\"maincontent\">"), std::string::npos);
  EXPECT_NE(html.find("<footer class=\"nhsuk-footer\" role=\"contentinfo\">"), std::string::npos);
  EXPECT_NE(html.find("Mentoring for doctors in postgraduate training"), std::string::npos);
  EXPECT_EQ(testing::page_check_report(html, renderer.asset_base()), "");
}

TEST(RendererTest, HeaderCanLeaveOutTheNhsLogo) {
  Renderer renderer;
  km::data data = accessibility_data("Accessibility statement for Mentoring", true);
  data.set("hide_nhs_logo", km::data::type::bool_true);
  data.set("service_href", "/");
  std::string html = renderer.render("accessibility", data);
  EXPECT_NE(html.find("<header class=\"nhsuk-header\""), std::string::npos);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("aria-label=\"Mentoring homepage\""), std::string::npos);
  EXPECT_EQ(testing::page_check_report(html, renderer.asset_base()), "");
}

TEST(RendererTest, PageTitleEndsWithTheServiceNameAndMarksErrors) {
  Renderer renderer;
  km::data data = accessibility_data("Choose a mentor", false);
  EXPECT_EQ(title_of(renderer.render("accessibility", data)), "Choose a mentor – Mentoring");
  data.set("has_errors", km::data::type::bool_true);
  EXPECT_EQ(title_of(renderer.render("accessibility", data)), "Error: Choose a mentor – Mentoring");
}

TEST(RendererTest, AssetUrlsUseTheBasePathAndVersionAndAllResolve) {
  Renderer renderer(Strings::english(), RendererOptions{"/mentoring"});
  EXPECT_EQ(renderer.asset_base(), "/mentoring/static/" + std::string(static_assets_version()));
  std::string html = renderer.render("accessibility", accessibility_data("Accessibility", true));
  EXPECT_NE(html.find("href=\"/mentoring/accessibility\""), std::string::npos);

  const std::regex asset("(?:href|src)=\"(/mentoring/static/[^\"]+)\"");
  int count = 0;
  for (auto it = std::sregex_iterator(html.begin(), html.end(), asset); it != std::sregex_iterator(); ++it) {
    std::string url = (*it)[1];
    std::string rest = url.substr(std::string("/mentoring/static/").size());
    http::Response response = serve_static(testing::get(url), rest);
    EXPECT_EQ(response.status, 200) << url;
    EXPECT_EQ(response.header("Cache-Control"), "public, max-age=31536000, immutable") << url;
    ++count;
  }
  EXPECT_GE(count, 5);  // stylesheet, icons, script
  EXPECT_NE(html.find("<script type=\"module\" src=\"/mentoring/static/"), std::string::npos);
  EXPECT_EQ(testing::page_check_report(html, renderer.asset_base()), "");
}

TEST(RendererTest, StringPlaceholdersTakeValuesFromData) {
  Renderer renderer;
  km::data data;
  data.set("page_title", "Problem");
  data.set("internal", km::data::type::bool_true);
  data.set("reference", "abc & 123");
  std::string html = renderer.render("error", data);
  EXPECT_NE(html.find("Reference: abc &amp; 123"), std::string::npos);
}

TEST(RendererTest, OverriddenStringsAppearEscaped) {
  auto local = Strings::english().with_overrides(R"({"service:name": "North <b>West</b> Mentoring"})");
  ASSERT_TRUE(local.is_ok());
  Renderer renderer(std::move(local).value());
  std::string html = renderer.render("accessibility", accessibility_data("A", true));
  EXPECT_NE(html.find("North &lt;b&gt;West&lt;/b&gt; Mentoring"), std::string::npos);
  EXPECT_EQ(html.find("<b>West"), std::string::npos);
}

TEST(RendererTest, UnknownTemplateIsReportedAndRenderFallsBackToAPlainProblemPage) {
  Renderer renderer;
  auto result = renderer.try_render("no_such_page", accessibility_data("x", true));
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "template_not_found");
  std::string html = renderer.render("no_such_page", accessibility_data("x", true));
  EXPECT_NE(html.find("<h1>Sorry, there is a problem with the service</h1>"), std::string::npos);
  EXPECT_TRUE(testing::inline_code_problems(html).empty());
  EXPECT_EQ(renderer.try_render("../lang/en", km::data()).status().reason(), "template_not_found");
}

TEST(RendererTest, EveryTemplateParses) {
  Renderer renderer;
  auto names = template_names();
  ASSERT_GE(names.size(), 5u);
  for (const std::string& name : names) {
    auto result = renderer.render_fragment(name, accessibility_data("T", true));
    EXPECT_TRUE(result.is_ok()) << name << ": " << result.status().to_string();
  }
}

}  // namespace
}  // namespace mentoring::web
