#include "adapters/web/security_headers.h"

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "web_test_support.h"

namespace mentoring::web {
namespace {

// Splits a CSP header into directive -> source list (a test-side parser,
// written from CSP Level 3's grammar rather than from our builder).
std::map<std::string, std::vector<std::string>> parse_csp(std::string_view header) {
  std::map<std::string, std::vector<std::string>> directives;
  std::stringstream all{std::string(header)};
  std::string directive;
  while (std::getline(all, directive, ';')) {
    std::stringstream words(directive);
    std::string name, value;
    if (!(words >> name)) continue;
    EXPECT_EQ(directives.count(name), 0u) << "directive repeated: " << name;
    auto& values = directives[name];
    while (words >> value) values.push_back(value);
  }
  return directives;
}

SecurityPolicy strict(std::vector<std::string> origins) {
  auto policy = SecurityPolicy::parse_strict(origins);
  EXPECT_TRUE(policy.is_ok()) << policy.status().to_string();
  return policy.is_ok() ? policy.value() : SecurityPolicy{};
}

TEST(SecurityHeadersTest, CspAllowsOnlySelfAndNoUnsafeSources) {
  http::Response response;
  apply_security_headers(response, SecurityPolicy{});
  std::string csp(response.header("Content-Security-Policy"));
  EXPECT_EQ(csp.find("unsafe"), std::string::npos);
  EXPECT_EQ(csp.find("*"), std::string::npos);
  auto d = parse_csp(csp);
  using V = std::vector<std::string>;
  EXPECT_EQ(d["default-src"], V{"'self'"});
  EXPECT_EQ(d["script-src"], V{"'self'"});
  EXPECT_EQ(d["style-src"], V{"'self'"});
  EXPECT_EQ(d["img-src"], (V{"'self'", "data:"}));
  EXPECT_EQ(d["font-src"], V{"'self'"});
  EXPECT_EQ(d["connect-src"], V{"'self'"});
  EXPECT_EQ(d["form-action"], V{"'self'"});
  EXPECT_EQ(d["frame-ancestors"], V{"'self'"});
  EXPECT_EQ(d["base-uri"], V{"'none'"});
  EXPECT_EQ(d["object-src"], V{"'none'"});
}

TEST(SecurityHeadersTest, FrameAncestorsAndFormActionListThePortals) {
  http::Response response;
  apply_security_headers(response, strict({"https://portal.example.ac.uk", "https://lms.trust.nhs.uk:8443"}));
  auto d = parse_csp(response.header("Content-Security-Policy"));
  using V = std::vector<std::string>;
  const V expected{"'self'", "https://portal.example.ac.uk", "https://lms.trust.nhs.uk:8443"};
  EXPECT_EQ(d["frame-ancestors"], expected);
  EXPECT_EQ(d["form-action"], expected);
  EXPECT_EQ(d["script-src"], V{"'self'"});  // portals never get script
  EXPECT_EQ(d["connect-src"], V{"'self'"});
}

TEST(SecurityHeadersTest, OtherHeadersAreSetAndNothingBreaksFraming) {
  http::Response response;
  response.set_header("Content-Security-Policy", "default-src *");
  apply_security_headers(response, SecurityPolicy{});
  EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(response.header("Referrer-Policy"), "strict-origin-when-cross-origin");
  std::string permissions(response.header("Permissions-Policy"));
  EXPECT_NE(permissions.find("camera=()"), std::string::npos);
  EXPECT_NE(permissions.find("geolocation=()"), std::string::npos);
  // Replaced, not added to.
  EXPECT_EQ(response.header("Content-Security-Policy").find("default-src *"), std::string_view::npos);
  int csp_count = 0;
  for (const auto& h : response.headers) csp_count += h.name == "Content-Security-Policy";
  EXPECT_EQ(csp_count, 1);
  // These would stop the pages working in the portal's iframe or popup.
  EXPECT_TRUE(response.header("X-Frame-Options").empty());
  EXPECT_TRUE(response.header("Cross-Origin-Opener-Policy").empty());
  EXPECT_TRUE(response.header("Cross-Origin-Embedder-Policy").empty());
  EXPECT_TRUE(response.header("Cross-Origin-Resource-Policy").empty());
}

TEST(SecurityHeadersTest, OriginsAreNormalised) {
  struct Case {
    const char* in;
    const char* out;
  };
  for (const Case& c : {Case{"https://portal.example.ac.uk", "https://portal.example.ac.uk"},
                        Case{"HTTPS://Portal.Example.AC.UK", "https://portal.example.ac.uk"},
                        Case{"https://portal.example.ac.uk:443", "https://portal.example.ac.uk"},
                        Case{"https://portal.example.ac.uk:8443", "https://portal.example.ac.uk:8443"},
                        Case{"https://203.0.113.7", "https://203.0.113.7"},
                        Case{"https://[2001:db8::1]:444", "https://[2001:db8::1]:444"},
                        Case{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
                        Case{"http://localhost:3000", "http://localhost:3000"},
                        Case{"http://[::1]", "http://[::1]"}}) {
    auto result = normalise_origin(c.in);
    ASSERT_TRUE(result.is_ok()) << c.in << ": " << result.status().to_string();
    EXPECT_EQ(result.value(), c.out) << c.in;
  }
}

TEST(SecurityHeadersTest, InvalidOriginsAreRefusedWithAClearStatus) {
  for (const char* bad : {
           "",
           "portal.example.ac.uk",                    // no scheme
           "https://",                                // no host
           "https://portal.example.ac.uk/",           // path
           "https://portal.example.ac.uk/lti",        // path
           "https://portal.example.ac.uk?x=1",        // query
           "https://portal.example.ac.uk#top",        // fragment
           "https://user:pw@portal.example.ac.uk",    // user information
           "http://portal.example.ac.uk",             // plain http off loopback
           "ftp://portal.example.ac.uk",              // scheme
           "javascript:alert(1)",                     // not an origin at all
           "*",                                       // wildcard
           "https://*.example.ac.uk",                 // wildcard host
           "'self'",                                  // a CSP keyword
           "https://a.example; script-src *",         // CSP injection
           "https://a.example,https://b.example",     // two in one
           "https://a.example;",                      // trailing ;
           "https://portal.example.ac.uk:0",          // port out of range
           "https://portal.example.ac.uk:65536",      // port out of range
           "https://portal.example.ac.uk:",           // empty port
           "https://portal_example.ac.uk",            // not a DNS name
           "https://-portal.example.ac.uk",           // not a DNS name
           "https://portal..example.ac.uk",           // empty label
           "https://pörtal.example.ac.uk",            // raw non-ASCII
           " https://portal.example.ac.uk",           // whitespace
       }) {
    auto result = normalise_origin(bad);
    ASSERT_FALSE(result.is_ok()) << "accepted: " << bad << " as " << result.value();
    EXPECT_EQ(result.status().code(), core::Code::kInvalidArgument) << bad;
    EXPECT_EQ(result.status().reason(), "portal_origin_invalid") << bad;
    EXPECT_NE(result.status().message().find("is not valid: "), std::string::npos) << bad;
  }
}

TEST(SecurityHeadersTest, ParseDropsInvalidOriginsAndReportsEach) {
  std::vector<std::string> origins{"https://good.example.ac.uk", "https://bad.example.ac.uk/path",
                                   "https://GOOD.example.ac.uk:443", "https://x; script-src *",
                                   "https://other.example.nhs.uk"};
  std::vector<core::Status> rejected;
  SecurityPolicy policy = SecurityPolicy::parse(origins, rejected);
  EXPECT_EQ(policy.portal_origins,
            (std::vector<std::string>{"https://good.example.ac.uk", "https://other.example.nhs.uk"}));
  ASSERT_EQ(rejected.size(), 2u);
  EXPECT_NE(rejected[0].message().find("https://bad.example.ac.uk/path"), std::string::npos);
  EXPECT_NE(rejected[0].message().find("path"), std::string::npos);
  EXPECT_EQ(rejected[1].reason(), "portal_origin_invalid");

  std::string csp = policy.content_security_policy();
  EXPECT_EQ(csp.find("bad.example"), std::string::npos);
  EXPECT_EQ(csp.find("script-src *"), std::string::npos);

  auto refused = SecurityPolicy::parse_strict(origins);
  ASSERT_FALSE(refused.is_ok());
  EXPECT_EQ(refused.status().reason(), "portal_origin_invalid");
}

// Cross-check with Python's URL parser: for origins we accept, the origin
// it derives (scheme://host[:port], default port left out) must equal ours.
TEST(SecurityHeadersTest, NormalisedOriginsAgreeWithPythonsUrlParser) {
  std::vector<std::string> inputs{"https://Portal.Example.ac.uk", "https://portal.example.ac.uk:443",
                                  "https://portal.example.ac.uk:8443", "http://127.0.0.1:8080",
                                  "HTTPS://LMS.TRUST.NHS.UK:9000", "https://[2001:DB8::1]:444"};
  std::string script =
      "import sys, urllib.parse\n"
      "for line in sys.stdin.read().split():\n"
      "    u = urllib.parse.urlsplit(line)\n"
      "    host = u.hostname\n"
      "    host = '[' + host + ']' if ':' in host else host\n"
      "    default = {'https': 443, 'http': 80}[u.scheme]\n"
      "    port = '' if u.port in (None, default) else ':' + str(u.port)\n"
      "    print(u.scheme + '://' + host + port)\n";
  auto dir = std::filesystem::temp_directory_path();
  auto script_path = dir / ("mentoring_origin_" + std::to_string(::getpid()) + ".py");
  auto input_path = dir / ("mentoring_origin_" + std::to_string(::getpid()) + ".txt");
  {
    std::ofstream(script_path) << script;
    std::ofstream in(input_path);
    for (const auto& i : inputs) in << i << "\n";
  }
  std::string command = "/usr/bin/python3 " + script_path.string() + " < " + input_path.string();
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::vector<std::string> expected;
  char buffer[512];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) {
    std::string line(buffer);
    while (!line.empty() && line.back() == '\n') line.pop_back();
    expected.push_back(line);
  }
  EXPECT_EQ(::pclose(pipe), 0);
  std::filesystem::remove(script_path);
  std::filesystem::remove(input_path);
  ASSERT_EQ(expected.size(), inputs.size());
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    auto ours = normalise_origin(inputs[i]);
    ASSERT_TRUE(ours.is_ok()) << inputs[i];
    // Python keeps IPv6 letters as written; compare case-insensitively there.
    std::string a = ours.value(), b = expected[i];
    for (auto& c : a) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (auto& c : b) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(a, b) << inputs[i];
  }
}

}  // namespace
}  // namespace mentoring::web
