// LTI client-side OIDC storage: the checks of the server side (frame name,
// origins, the launch posted again by the tool's own page) and the two pages
// that run static/js/lti_storage.js. The postMessage exchange itself runs in
// chromium in integration/browser/enrolment.test.js.
#include "adapters/lti/client_storage.h"

#include <gtest/gtest.h>

#include "../web/web_test_support.h"
#include "adapters/web/pages/error_pages.h"
#include "adapters/web/renderer.h"

namespace mentoring::lti {
namespace {
namespace km = kainjow::mustache;

TEST(ClientStorageTest, KeysCarryTheValue) {
  EXPECT_EQ(storage_state_key("abc"), "state_abc");
  EXPECT_EQ(storage_nonce_key("xyz"), "nonce_xyz");
}

TEST(ClientStorageTest, StorageTargetIsAPlainFrameName) {
  EXPECT_TRUE(check_storage_target("_parent").is_ok());
  EXPECT_TRUE(check_storage_target("post_message_forwarding").is_ok());
  EXPECT_TRUE(check_storage_target("frame-1.storage:x").is_ok());
  for (const char* bad : {"", "a b", "x\"y", "<script>", "a'b", "f&g", "name\n"}) {
    auto st = check_storage_target(bad);
    EXPECT_EQ(st.reason(), "login_storage_target_invalid") << bad;
    EXPECT_EQ(st.field(), "lti_storage_target") << bad;
  }
  EXPECT_TRUE(check_storage_target(std::string(255, 'f')).is_ok());
  EXPECT_EQ(check_storage_target(std::string(256, 'f')).reason(), "login_storage_target_invalid");
}

TEST(ClientStorageTest, OriginIsWhatBrowsersReport) {
  EXPECT_EQ(url_origin("https://Moodle.Example.ac.uk/mod/lti/auth.php?x=1").value(), "https://moodle.example.ac.uk");
  EXPECT_EQ(url_origin("https://portal.example:443/auth").value(), "https://portal.example");
  EXPECT_EQ(url_origin("https://portal.example:8443/auth").value(), "https://portal.example:8443");
  EXPECT_EQ(url_origin("http://127.0.0.1:9001/auth").value(), "http://127.0.0.1:9001");
  EXPECT_EQ(url_origin("http://127.0.0.1:80/auth").value(), "http://127.0.0.1");
  EXPECT_EQ(url_origin("http://[::1]:9001/auth").value(), "http://[::1]:9001");
  EXPECT_EQ(url_origin("https://mentoring.example.nhs.uk").value(), "https://mentoring.example.nhs.uk");
  for (const char* bad : {"", "/auth", "javascript:alert(1)", "ftp://portal.example/x", "file:///etc/passwd"})
    EXPECT_EQ(url_origin(bad).status().reason(), "login_auth_url_invalid") << bad;
}

constexpr const char* kTool = "https://mentoring.example.nhs.uk";

StorageProof proof(std::string origin, std::string state, std::string nonce, std::string error = {}) {
  return StorageProof{std::move(origin), std::move(state), std::move(nonce), std::move(error)};
}

TEST(ClientStorageTest, ProofFromTheToolsOwnPageWithTheStoredValuesPasses) {
  EXPECT_TRUE(check_storage_proof(proof(kTool, "s-1", "n-1"), kTool, "s-1", "n-1").is_ok());
}

TEST(ClientStorageTest, ProofFromAnotherOriginIsRefused) {
  for (const char* origin : {"", "null", "https://portal.example", "https://mentoring.example.nhs.uk:8443",
                             "http://mentoring.example.nhs.uk", "https://mentoring.example.nhs.uk.evil.example"}) {
    auto st = check_storage_proof(proof(origin, "s-1", "n-1"), kTool, "s-1", "n-1");
    EXPECT_EQ(st.reason(), "launch_storage_origin_invalid") << origin;
    EXPECT_EQ(st.code(), core::Code::kUnauthenticated);
  }
  // Even a reported failure must come from the tool's page.
  EXPECT_EQ(check_storage_proof(proof("https://evil.example", "", "", "no_answer"), kTool, "s-1", "n-1").reason(),
            "launch_storage_origin_invalid");
}

TEST(ClientStorageTest, ValuesThatDifferAreRefused) {
  EXPECT_EQ(check_storage_proof(proof(kTool, "s-2", "n-1"), kTool, "s-1", "n-1").reason(), "launch_storage_mismatch");
  EXPECT_EQ(check_storage_proof(proof(kTool, "s-1", "n-2"), kTool, "s-1", "n-1").reason(), "launch_storage_mismatch");
  EXPECT_EQ(check_storage_proof(proof(kTool, "", ""), kTool, "s-1", "n-1").reason(), "launch_storage_mismatch");
  EXPECT_EQ(check_storage_proof(proof(kTool, "s-1", ""), kTool, "s-1", "").reason(), "launch_storage_mismatch");
}

TEST(ClientStorageTest, ReportedFailuresAreNamed) {
  EXPECT_EQ(check_storage_proof(proof(kTool, "", "", "no_answer"), kTool, "s", "n").reason(),
            "launch_storage_unavailable");
  EXPECT_EQ(check_storage_proof(proof(kTool, "", "", "platform_error"), kTool, "s", "n").reason(),
            "launch_storage_unavailable");
  EXPECT_EQ(check_storage_proof(proof(kTool, "", "", "anything else"), kTool, "s", "n").reason(),
            "launch_storage_unavailable");
  EXPECT_EQ(check_storage_proof(proof(kTool, "", "", "mismatch"), kTool, "s", "n").reason(), "launch_storage_mismatch");
  // A reported failure wins over values sent with it.
  EXPECT_EQ(check_storage_proof(proof(kTool, "s", "n", "no_answer"), kTool, "s", "n").reason(),
            "launch_storage_unavailable");
}

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

TEST(ClientStoragePagesTest, LoginPageCarriesEscapedValuesAndAContinueLink) {
  km::data data = web::page_data("Signing in", {});
  data.set("platform_origin", "https://portal.example");
  data.set("storage_target", "_parent");
  data.set("state", "st\"<x>");
  data.set("nonce", "no-1");
  data.set("redirect", "https://portal.example/auth?a=1&state=s");
  const std::string html = render("lti_storage_login", data);
  expect_clean(html);
  EXPECT_NE(html.find(R"(data-lti-storage="put")"), std::string::npos);
  EXPECT_NE(html.find(R"(data-platform-origin="https://portal.example")"), std::string::npos);
  EXPECT_NE(html.find(R"(data-state="st&quot;&lt;x&gt;")"), std::string::npos);
  EXPECT_NE(html.find(R"(href="https://portal.example/auth?a=1&amp;state=s")"), std::string::npos);
  EXPECT_NE(html.find("/js/lti_storage.js"), std::string::npos);
}

TEST(ClientStoragePagesTest, LaunchPagePostsBackToTheToolOnly) {
  km::data data = web::page_data("Checking", {});
  data.set("platform_origin", "https://portal.example");
  data.set("storage_target", "post_message_forwarding");
  data.set("state", "s-1");
  data.set("nonce", "n-1");
  data.set("id_token", "aaa.bbb.ccc");
  const std::string html = render("lti_storage_launch", data);
  expect_clean(html);
  EXPECT_NE(html.find(R"(action="/lti/launch")"), std::string::npos);
  EXPECT_NE(html.find(R"(data-lti-storage="get")"), std::string::npos);
  EXPECT_NE(html.find(R"(data-storage-target="post_message_forwarding")"), std::string::npos);
  EXPECT_NE(html.find(R"(name="id_token" value="aaa.bbb.ccc")"), std::string::npos);
  for (const char* f : {"lti_storage_state", "lti_storage_nonce", "lti_storage_error"})
    EXPECT_NE(html.find(std::string("name=\"") + f + "\" value=\"\""), std::string::npos) << f;
}

}  // namespace
}  // namespace mentoring::lti
