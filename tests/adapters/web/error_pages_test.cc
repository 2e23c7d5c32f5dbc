#include "adapters/web/pages/error_pages.h"

#include <gtest/gtest.h>

#include "web_test_support.h"

namespace mentoring::web {
namespace {

struct KindCase {
  ErrorKind kind;
  int status;
  const char* heading;
};

const KindCase kKinds[] = {
    {ErrorKind::kBadRequest, 400, "Sorry, there is a problem with your request"},
    {ErrorKind::kForbidden, 403, "You do not have permission to see this page"},
    {ErrorKind::kNotFound, 404, "Page not found"},
    {ErrorKind::kSessionExpired, 403, "Your session has ended or the form was out of date"},
    {ErrorKind::kInternal, 500, "Sorry, there is a problem with the service"},
    {ErrorKind::kUnavailable, 503, "Sorry, the service is unavailable"},
    {ErrorKind::kRefused, 409, "That could not be done"},
};

SecurityPolicy portal_policy() {
  auto policy = SecurityPolicy::parse_strict(std::vector<std::string>{"https://portal.example.ac.uk"});
  EXPECT_TRUE(policy.is_ok());
  return policy.is_ok() ? policy.value() : SecurityPolicy{};
}

TEST(ErrorPagesTest, EachKindHasItsStatusHeadingAndWhatToDoNext) {
  Renderer renderer;
  for (const KindCase& c : kKinds) {
    http::Response response = error_page(c.kind, renderer, portal_policy());
    EXPECT_EQ(response.status, c.status) << c.heading;
    EXPECT_EQ(http_status(c.kind), c.status);
    EXPECT_NE(response.body.find(std::string("<h1>") + c.heading + "</h1>"), std::string::npos) << c.heading;
    EXPECT_NE(response.body.find(std::string("<title>") + c.heading + " – Mentoring</title>"), std::string::npos);
    EXPECT_NE(response.body.find("<h2>What you can do</h2>"), std::string::npos) << c.heading;
    EXPECT_EQ(response.body.find("[["), std::string::npos) << "a string is missing on " << c.heading;
    // Only this kind's section is drawn.
    for (const KindCase& other : kKinds) {
      if (std::string_view(other.heading) != c.heading) {
        EXPECT_EQ(response.body.find(std::string("<h1>") + other.heading), std::string::npos);
      }
    }
  }
}

TEST(ErrorPagesTest, ResponsesAreHtmlNotCachedAndCarrySecurityHeaders) {
  Renderer renderer;
  for (const KindCase& c : kKinds) {
    http::Response response = error_page(c.kind, renderer, portal_policy());
    EXPECT_EQ(response.header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(response.header("Cache-Control"), "no-store");
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
    std::string_view csp = response.header("Content-Security-Policy");
    EXPECT_NE(csp.find("frame-ancestors 'self' https://portal.example.ac.uk"), std::string_view::npos);
  }
}

TEST(ErrorPagesTest, NamedFunctionsMatchTheirKinds) {
  Renderer renderer;
  SecurityPolicy policy;
  EXPECT_EQ(bad_request_page(renderer, policy).status, 400);
  EXPECT_EQ(forbidden_page(renderer, policy).status, 403);
  EXPECT_EQ(not_found_page(renderer, policy).status, 404);
  http::Response expired = session_expired_page(renderer, policy);
  EXPECT_EQ(expired.status, 403);
  EXPECT_NE(expired.body.find("Your session has ended or the form was out of date"), std::string::npos);
  EXPECT_EQ(internal_error_page(renderer, policy).status, 500);
  EXPECT_EQ(unavailable_page(renderer, policy).status, 503);
}

TEST(ErrorPagesTest, NoPageHasInlineScriptOrStyleAndAllPassTheStructureCheck) {
  Renderer renderer(Strings::english(), RendererOptions{"/m"});
  SecurityPolicy policy;
  for (bool header : {false, true}) {
    PageChrome chrome;
    chrome.show_nhs_header = header;
    chrome.service_href = "/m/";
    std::vector<std::pair<std::string, std::string>> pages;
    for (const KindCase& c : kKinds) pages.emplace_back(c.heading, error_page(c.kind, renderer, policy, chrome, "r-1").body);
    pages.emplace_back("accessibility", accessibility_page(renderer, policy, chrome).body);
    for (const auto& [name, html] : pages) {
      auto problems = testing::inline_code_problems(html);
      EXPECT_TRUE(problems.empty()) << name << ": " << (problems.empty() ? "" : problems.front());
      EXPECT_EQ(testing::page_check_report(html, renderer.asset_base()), "") << name << " header=" << header;
    }
  }
}

TEST(ErrorPagesTest, InlineCodeScanCatchesWhatItLooksFor) {
  // The scans above would pass vacuously if they never found anything.
  EXPECT_FALSE(testing::inline_code_problems("<script>alert(1)</script>").empty());
  EXPECT_FALSE(testing::inline_code_problems("<p style=\"color:red\">").empty());
  EXPECT_FALSE(testing::inline_code_problems("<img src=x onerror=\"alert(1)\">").empty());
  EXPECT_FALSE(testing::inline_code_problems("<style>p{}</style>").empty());
  EXPECT_TRUE(testing::inline_code_problems("<script type=\"module\" src=\"/a.js\"></script>").empty());
  std::string broken = "<!DOCTYPE html><html lang=\"en\"><head><title>x</title></head><body><h2>a</h2>"
                       "<div><span></div><input id=\"q\"></body></html>";
  std::string report = testing::page_check_report(broken, "/static/v");
  EXPECT_NE(report.find("lang"), std::string::npos) << report;
  EXPECT_NE(report.find("first heading is h2"), std::string::npos) << report;
  EXPECT_NE(report.find("</div> closes <span>"), std::string::npos) << report;
  EXPECT_NE(report.find("no <label for>"), std::string::npos) << report;
  EXPECT_NE(report.find("exactly one <main>"), std::string::npos) << report;
}

TEST(ErrorPagesTest, ReferenceIsShownEscaped) {
  Renderer renderer;
  http::Response response = internal_error_page(renderer, SecurityPolicy{}, {}, "<req-1>");
  EXPECT_NE(response.body.find("Reference: &lt;req-1&gt;"), std::string::npos);
  EXPECT_EQ(error_page(ErrorKind::kInternal, renderer, SecurityPolicy{}).body.find("Reference:"), std::string::npos);
}

TEST(ErrorPagesTest, ARefusalShowsItsOwnSentenceEscapedAndSaysNothingChanged) {
  Renderer renderer;
  http::Response response = refused_page(renderer, SecurityPolicy{}, {}, "The mentor <b>has</b> no free place.");
  EXPECT_EQ(response.status, 409);
  EXPECT_NE(response.body.find("<p id=\"refusal\">The mentor &lt;b&gt;has&lt;/b&gt; no free place.</p>"),
            std::string::npos)
      << response.body;
  EXPECT_NE(response.body.find("Nothing was changed."), std::string::npos);
  EXPECT_EQ(testing::page_check_report(response.body, renderer.asset_base()), "");
  EXPECT_EQ(error_page(ErrorKind::kRefused, renderer, SecurityPolicy{}).body.find("id=\"refusal\""),
            std::string::npos);
}

TEST(ErrorPagesTest, ChromeControlsTheNhsHeader) {
  Renderer renderer;
  PageChrome framed;
  EXPECT_EQ(forbidden_page(renderer, {}, framed).body.find("<header"), std::string::npos);
  PageChrome standalone;
  standalone.show_nhs_header = true;
  EXPECT_NE(forbidden_page(renderer, {}, standalone).body.find("<header class=\"nhsuk-header\""), std::string::npos);
}

TEST(ErrorPagesTest, StatusCodesMapToPageKinds) {
  EXPECT_EQ(error_kind_for(core::Status::invalid("x", "y")), ErrorKind::kBadRequest);
  EXPECT_EQ(error_kind_for(core::Status::not_found("x", "y")), ErrorKind::kNotFound);
  EXPECT_EQ(error_kind_for(core::Status::permission_denied("x", "y")), ErrorKind::kForbidden);
  EXPECT_EQ(error_kind_for(core::Status::unauthenticated("x", "y")), ErrorKind::kForbidden);
  EXPECT_EQ(error_kind_for(core::Status::unavailable("x", "y")), ErrorKind::kUnavailable);
  EXPECT_EQ(error_kind_for(core::Status::internal("x", "y")), ErrorKind::kInternal);
  EXPECT_EQ(error_kind_for(core::Status::conflict("x", "y")), ErrorKind::kRefused);
  EXPECT_EQ(error_kind_for(core::Status::failed_precondition("x", "y")), ErrorKind::kRefused);
  EXPECT_EQ(error_kind_for(core::Status::already_exists("x", "y")), ErrorKind::kRefused);
}

TEST(AccessibilityPageTest, StatementCoversTheRequiredSections) {
  Renderer renderer;
  http::Response response = accessibility_page(renderer, SecurityPolicy{});
  EXPECT_EQ(response.status, 200);
  const std::string& html = response.body;
  for (const char* needle : {"<h1>Accessibility statement for Mentoring</h1>", "WCAG", "2.2 AA",
                             "<h2>Reporting accessibility problems with this service</h2>",
                             "<h2>Enforcement procedure</h2>", "Equality and Human Rights Commission",
                             "Equality Advisory and Support Service", "rel=\"noopener noreferrer\""}) {
    EXPECT_NE(html.find(needle), std::string::npos) << needle;
  }
  EXPECT_EQ(html.find("[["), std::string::npos);
}

}  // namespace
}  // namespace mentoring::web
