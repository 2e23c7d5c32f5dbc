#include "adapters/web/static_files.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <regex>
#include <set>

#include "adapters/web/embedded_files.h"
#include "web_test_support.h"

namespace mentoring::web {
namespace {

using testing::get;
using testing::read_file;
using testing::source_path;

// "/static/<rest>" -> serve_static(request, "<rest>"), the way the router
// will call it with the decoded path.
http::Response fetch(const std::string& target, std::vector<http::Header> headers = {}) {
  http::Request request = get(target, std::move(headers));
  std::string_view path = request.path;
  EXPECT_EQ(path.substr(0, 8), "/static/") << target;
  return serve_static(request, path.substr(8));
}

std::string versioned(const std::string& file) { return "/static/" + std::string(static_assets_version()) + "/" + file; }

std::string sha256_hex(std::string_view bytes) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex.push_back(kHex[digest[i] >> 4]);
    hex.push_back(kHex[digest[i] & 0xf]);
  }
  return hex;
}

TEST(StaticFilesTest, EveryFileUnderStaticIsEmbeddedWithItsExactBytes) {
  std::set<std::string> on_disk;
  const std::string root = source_path("adapters/web/static");
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file()) continue;
    std::string rel = std::filesystem::relative(entry.path(), root).generic_string();
    on_disk.insert(rel);
    const EmbeddedFile* file = find_embedded_file(embedded_static_files(), rel);
    ASSERT_NE(file, nullptr) << rel;
    EXPECT_EQ(file->bytes, read_file(entry.path().string())) << rel;
  }
  EXPECT_EQ(on_disk.size(), embedded_static_files().size());
  EXPECT_TRUE(on_disk.count("css/mentoring.css"));
  EXPECT_TRUE(on_disk.count("js/mentoring.js"));
  EXPECT_TRUE(on_disk.count("js/nhsuk-frontend.min.js"));
}

TEST(StaticFilesTest, ServesEachKindWithItsContentType) {
  struct Case {
    const char* file;
    const char* type;
  };
  for (const Case& c : {Case{"css/mentoring.css", "text/css; charset=utf-8"},
                        Case{"js/mentoring.js", "text/javascript; charset=utf-8"},
                        Case{"js/nhsuk-frontend.min.js", "text/javascript; charset=utf-8"},
                        Case{"images/favicon.svg", "image/svg+xml"}, Case{"images/favicon.ico", "image/x-icon"},
                        Case{"images/nhsuk-icon-180.png", "image/png"}}) {
    http::Response response = fetch(versioned(c.file));
    EXPECT_EQ(response.status, 200) << c.file;
    EXPECT_EQ(response.header("Content-Type"), c.type) << c.file;
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff") << c.file;
    EXPECT_EQ(response.body, read_file(source_path("adapters/web/static/") + c.file)) << c.file;
  }
}

TEST(StaticFilesTest, EtagIsTheSha256OfTheBytes) {
  for (const EmbeddedFile& file : embedded_static_files()) {
    http::Response response = fetch(versioned(std::string(file.path)));
    ASSERT_EQ(response.status, 200) << file.path;
    EXPECT_EQ(response.header("ETag"), "\"" + sha256_hex(response.body).substr(0, 32) + "\"") << file.path;
  }
}

TEST(StaticFilesTest, MatchingIfNoneMatchGivesNotModifiedWithoutBody) {
  http::Response first = fetch(versioned("css/mentoring.css"));
  std::string etag(first.header("ETag"));
  ASSERT_FALSE(etag.empty());

  http::Response again = fetch(versioned("css/mentoring.css"), {{"If-None-Match", etag}});
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
  EXPECT_EQ(again.header("ETag"), etag);

  // A list, and the weak form, match too (RFC 9110 weak comparison).
  EXPECT_EQ(fetch(versioned("css/mentoring.css"), {{"If-None-Match", "\"nope\", W/" + etag}}).status, 304);
  EXPECT_EQ(fetch(versioned("css/mentoring.css"), {{"If-None-Match", "*"}}).status, 304);
}

TEST(StaticFilesTest, StaleIfNoneMatchGetsTheFile) {
  http::Response response = fetch(versioned("css/mentoring.css"), {{"If-None-Match", "\"0000\""}});
  EXPECT_EQ(response.status, 200);
  EXPECT_FALSE(response.body.empty());
  // Another file's ETag does not match this one.
  std::string js_etag(fetch(versioned("js/mentoring.js")).header("ETag"));
  EXPECT_EQ(fetch(versioned("css/mentoring.css"), {{"If-None-Match", js_etag}}).status, 200);
}

TEST(StaticFilesTest, VersionedUrlsAreImmutableAndOthersShortLived) {
  EXPECT_EQ(fetch(versioned("css/mentoring.css")).header("Cache-Control"), "public, max-age=31536000, immutable");

  http::Response unversioned = fetch("/static/css/mentoring.css");
  EXPECT_EQ(unversioned.status, 200);
  EXPECT_EQ(unversioned.header("Cache-Control"), "public, max-age=300");

  // A page cached before an upgrade still gets today's file, but only briefly.
  std::string old_version(static_assets_version().size(), '0');
  ASSERT_NE(old_version, static_assets_version());
  http::Response old = fetch("/static/" + old_version + "/css/mentoring.css");
  EXPECT_EQ(old.status, 200);
  EXPECT_EQ(old.header("Cache-Control"), "public, max-age=300");
}

TEST(StaticFilesTest, UnknownFilesAreNotFound) {
  for (const char* target : {"/static/css/missing.css", "/static/css", "/static/nothing",
                             "/static/css/mentoring.css.map", "/static/js/nhsuk-frontend.min.js.map"}) {
    http::Response response = fetch(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.header("X-Content-Type-Options"), "nosniff");
  }
  EXPECT_EQ(fetch(versioned("css/missing.css")).status, 404);
}

TEST(StaticFilesTest, TraversalAttemptsAreRefusedIncludingEncodedOnes) {
  for (const char* target : {
           "/static/../CMakeLists.txt",
           "/static/css/../../../../etc/passwd",
           "/static/%2e%2e/%2e%2e/etc/passwd",          // decoded to ../../etc/passwd
           "/static/%2E%2E/adapters/web/strings.cc",
           "/static/css/%2e%2e%2fmentoring.css",        // encoded slash
           "/static/%252e%252e/%252e%252e/etc/passwd",  // double encoding leaves %2e%2e
           "/static/css%5c..%5c..%5cstrings.cc",        // backslashes
           "/static/css/mentoring.css%00.png",          // NUL
           "/static/./css/mentoring.css",
           "/static//css/mentoring.css",
           "/static/css/",
           "/static/",
       }) {
    http::Response response = fetch(target);
    EXPECT_EQ(response.status, 400) << target;
    EXPECT_EQ(response.body.find("mentoring"), std::string::npos) << target;
  }
  // Direct calls with a raw path (not decoded by the router) too.
  http::Request request = get("/static/x");
  for (std::string_view raw : {std::string_view("..\\..\\x"), std::string_view("css/\0mentoring.css", 19),
                               std::string_view("/etc/passwd"), std::string_view("css/mentoring.css/")})
    EXPECT_EQ(serve_static(request, raw).status, 400) << raw;
}

TEST(StaticFilesTest, HeadHasHeadersWithoutBodyAndOtherMethodsAreRefused) {
  http::Request head = get(versioned("css/mentoring.css"));
  head.method = "HEAD";
  http::Response response = serve_static(head, std::string(static_assets_version()) + "/css/mentoring.css");
  EXPECT_EQ(response.status, 200);
  EXPECT_TRUE(response.body.empty());
  EXPECT_FALSE(response.header("ETag").empty());

  http::Request post = get(versioned("css/mentoring.css"));
  post.method = "POST";
  http::Response refused = serve_static(post, "css/mentoring.css");
  EXPECT_EQ(refused.status, 405);
  EXPECT_EQ(refused.header("Allow"), "GET, HEAD");
}

TEST(StaticFilesTest, StaticUrlCarriesBasePathAndVersion) {
  EXPECT_EQ(static_url("/mentoring", "css/mentoring.css"),
            "/mentoring/static/" + std::string(static_assets_version()) + "/css/mentoring.css");
  EXPECT_EQ(fetch(static_url("", "js/mentoring.js")).status, 200);
}

TEST(StaticFilesTest, AssetVersionIsAShortLowercaseHash) {
  EXPECT_TRUE(std::regex_match(std::string(static_assets_version()), std::regex("[0-9a-f]{12}")));
}

// The built stylesheet must stay inside our origin and prefix: the CSP
// allows 'self' only, and NHS.UK frontend's precompiled CSS would load a
// font from an NHS host and images from /assets/.
TEST(BuiltAssetsTest, CssRefersToNoOutsideOrAbsoluteUrl) {
  const EmbeddedFile* css = find_embedded_file(embedded_static_files(), "css/mentoring.css");
  ASSERT_NE(css, nullptr);
  std::string text(css->bytes);
  ASSERT_GT(text.size(), 10000u) << "the stylesheet looks empty";
  EXPECT_NE(text.find(".nhsuk-header"), std::string::npos) << "NHS.UK frontend is missing from the stylesheet";
  EXPECT_NE(text.find(".app-progress"), std::string::npos) << "our own styles are missing";
  EXPECT_EQ(text.find("http://"), std::string::npos);
  EXPECT_EQ(text.find("https://"), std::string::npos);
  EXPECT_EQ(text.find("/assets/"), std::string::npos);
  EXPECT_EQ(text.find("@font-face"), std::string::npos);
  EXPECT_EQ(text.find("Frutiger"), std::string::npos);
  EXPECT_EQ(text.find("sourceMappingURL"), std::string::npos);

  // Every url() is relative and names a file we serve.
  const std::regex url(R"(url\(\s*["']?([^"')]+)["']?\s*\))");
  int count = 0;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), url); it != std::sregex_iterator(); ++it) {
    std::string target = (*it)[1];
    if (target.rfind("data:", 0) == 0) continue;
    ++count;
    ASSERT_EQ(target.rfind("../", 0), 0u) << target;
    EXPECT_NE(find_embedded_file(embedded_static_files(), target.substr(3)), nullptr) << target;
  }
  EXPECT_GT(count, 0);
}

TEST(BuiltAssetsTest, ScriptsAreModulesWithoutSourceMapsAndTheImportResolves) {
  const EmbeddedFile* ours = find_embedded_file(embedded_static_files(), "js/mentoring.js");
  const EmbeddedFile* frontend = find_embedded_file(embedded_static_files(), "js/nhsuk-frontend.min.js");
  ASSERT_NE(ours, nullptr);
  ASSERT_NE(frontend, nullptr);
  EXPECT_NE(ours->bytes.find("from './nhsuk-frontend.min.js'"), std::string::npos);
  EXPECT_NE(ours->bytes.find("initAll()"), std::string::npos);
  EXPECT_NE(frontend->bytes.find("initAll"), std::string::npos);
  EXPECT_NE(frontend->bytes.find("export{"), std::string::npos);
  EXPECT_EQ(frontend->bytes.find("sourceMappingURL"), std::string::npos);
  for (const EmbeddedFile& file : embedded_static_files()) {
    EXPECT_FALSE(file.path.ends_with(".map")) << file.path;
  }
}

TEST(BuiltAssetsTest, StaticFolderStaysSmall) {
  std::size_t total = 0;
  for (const EmbeddedFile& file : embedded_static_files()) total += file.bytes.size();
  EXPECT_LT(total, 400u * 1024u);
}

}  // namespace
}  // namespace mentoring::web
