// The LTI Advantage page templates (lti_*.mustache) pass the same checks as
// every other page: check_page.py (landmarks, one h1, labels, scripts only
// from the asset base as modules) and no inline code.
#include <gtest/gtest.h>

#include "../web/web_test_support.h"
#include "adapters/web/pages/error_pages.h"
#include "adapters/web/renderer.h"

namespace mentoring::lti {
namespace {
namespace km = kainjow::mustache;

std::string render(const std::string& name, km::data data) {
  web::Renderer renderer;
  auto html = renderer.try_render(name, data);
  EXPECT_TRUE(html.is_ok()) << html.status().to_string();
  return html.is_ok() ? *html : std::string();
}

void expect_clean(const std::string& html) {
  web::Renderer renderer;
  EXPECT_EQ(web::testing::page_check_report(html, renderer.asset_base()), "");
  EXPECT_TRUE(web::testing::inline_code_problems(html).empty());
}

TEST(LtiPagesTest, SchemeChoiceListsSchemesAsLabelledRadios) {
  km::data data = web::page_data("Choose", {});
  km::data schemes{km::data::type::list};
  km::data a;
  a.set("id", "3");
  a.set("name", "FY1 <North> West");
  a.set("first", true);
  schemes.push_back(a);
  km::data b;
  b.set("id", "4");
  b.set("name", "GP trainees");
  schemes.push_back(b);
  data.set("has_schemes", true);
  data.set("schemes", schemes);
  data.set("request", "req-token");
  data.set("csrf_token", "csrf-token");
  const std::string html = render("lti_deep_link", data);
  expect_clean(html);
  EXPECT_NE(html.find("FY1 &lt;North&gt; West"), std::string::npos);
  EXPECT_NE(html.find(R"(id="scheme-3" name="schemeid" type="radio" value="3" checked)"), std::string::npos);
  EXPECT_NE(html.find(R"(name="csrf_token" value="csrf-token")"), std::string::npos);
}

TEST(LtiPagesTest, SchemeChoiceWithoutSchemesSaysSo) {
  km::data data = web::page_data("Choose", {});
  data.set("has_schemes", false);
  const std::string html = render("lti_deep_link", data);
  expect_clean(html);
  EXPECT_NE(html.find("id=\"no-schemes\""), std::string::npos);
  EXPECT_EQ(html.find("<form"), std::string::npos);
}

TEST(LtiPagesTest, ReturnFormPostsTheJwtWithAVisibleButton) {
  km::data data = web::page_data("Returning", {});
  data.set("return_url", "https://portal.example/return?a=1&b=2");
  data.set("jwt", "aaa.bbb.ccc");
  const std::string html = render("lti_deep_link_return", data);
  expect_clean(html);
  EXPECT_NE(html.find(R"(action="https://portal.example/return?a=1&amp;b=2")"), std::string::npos);
  EXPECT_NE(html.find(R"(name="JWT" value="aaa.bbb.ccc")"), std::string::npos);
  EXPECT_NE(html.find("<button"), std::string::npos);
}

TEST(LtiPagesTest, RegistrationPageLoadsTheCloseScript) {
  const std::string html = render("lti_registered", web::page_data("Registered", {}));
  expect_clean(html);
  EXPECT_NE(html.find("data-lti-close"), std::string::npos);
  EXPECT_NE(html.find("/js/lti.js"), std::string::npos);
}

}  // namespace
}  // namespace mentoring::lti
