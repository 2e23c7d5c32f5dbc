// Cross-checks against tests/adapters/webhook/sign.py, an independent
// signer and verifier written with Python's standard library only (hmac,
// hashlib, base64), run with Debian's /usr/bin/python3.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <string>
#include <vector>

#include "adapters/webhook/outbound_signer.h"
#include "adapters/webhook/signature.h"

namespace mentoring::webhook {
namespace {

constexpr const char* kPython = "/usr/bin/python3";

std::string quote(std::string_view arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

std::string hex(std::string_view bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

// Runs sign.py with `args` and returns its stdout without the final newline.
std::string python(const std::vector<std::string>& args) {
  std::string command = std::string(kPython) + " " +
                        quote(std::string(MENTORING_SOURCE_DIR) + "/tests/adapters/webhook/sign.py");
  for (const std::string& arg : args) command += " " + quote(arg);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    ADD_FAILURE() << "popen failed: " << command;
    return {};
  }
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  int rc = pclose(pipe);
  EXPECT_EQ(rc, 0) << command;
  if (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

class IndependentSignerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (access(kPython, X_OK) != 0)
      GTEST_SKIP() << kPython << " is not installed; the independent signer cannot run.";
  }

  // A fixed seed keeps failures reproducible; change it to explore.
  std::mt19937_64 rng_{20261105};

  std::string random_bytes(std::size_t n) {
    std::string out(n, '\0');
    for (char& c : out) c = static_cast<char>(rng_() & 0xff);
    return out;
  }

  std::size_t uniform(std::size_t lo, std::size_t hi) {
    return std::uniform_int_distribution<std::size_t>(lo, hi)(rng_);
  }

  WebhookSecret random_secret(std::string* text = nullptr) {
    std::string key = random_bytes(uniform(kMinSecretBytes, kMaxSecretBytes));
    // Python serialises the key; C++ must parse what Python wrote.
    std::string serialized = python({"secret", hex(key)});
    auto parsed = WebhookSecret::parse(serialized);
    EXPECT_TRUE(parsed.is_ok()) << serialized << ": " << parsed.status().to_string();
    EXPECT_EQ(parsed->serialize(), serialized);
    if (text != nullptr) *text = serialized;
    return *parsed;
  }

  std::string random_id() {
    // Printable ASCII except '.', the characters validate_id() allows.
    std::string id;
    for (std::size_t i = uniform(1, 64); i > 0; --i) {
      char c;
      do c = static_cast<char>(uniform(0x21, 0x7e));
      while (c == '.');
      id += c;
    }
    return id;
  }

  // Bodies of three kinds: arbitrary bytes (NUL, invalid UTF-8), UTF-8 text
  // with multi-byte characters, and empty.
  std::string random_body(int kind) {
    if (kind == 0) return random_bytes(uniform(1, 4096));
    if (kind == 1) {
      static const char* pieces[] = {"{\"name\":\"", "Siân", "Zoë", "Dr Ōkami", "é", "–",
                                     "医生", "🩺", "\\u0000", "\",\"x\":[1,2]}", " ", "\n"};
      std::string body;
      for (std::size_t i = uniform(1, 60); i > 0; --i) body += pieces[uniform(0, 11)];
      return body;
    }
    return {};
  }
};

TEST_F(IndependentSignerTest, SignMatchesPythonForRandomKeysIdsAndBodies) {
  for (int i = 0; i < 18; ++i) {
    std::string secret_text;
    WebhookSecret secret = random_secret(&secret_text);
    std::string id = random_id();
    auto ts = static_cast<std::int64_t>(uniform(0, 4'000'000'000));
    std::string body = random_body(i % 3);

    auto ours = sign(secret, id, ts, body);
    ASSERT_TRUE(ours.is_ok()) << ours.status().to_string();
    EXPECT_EQ(*ours, python({"sign", secret_text, id, std::to_string(ts), hex(body)}))
        << "case " << i << " id=" << id << " ts=" << ts << " body bytes=" << body.size();
  }
}

TEST_F(IndependentSignerTest, VerifyAcceptsWhatPythonSignsAndRejectsTampering) {
  for (int i = 0; i < 9; ++i) {
    std::string old_text, new_text;
    WebhookSecret old_secret = random_secret(&old_text);
    WebhookSecret new_secret = random_secret(&new_text);
    std::string id = random_id();
    const std::int64_t now = 1'785'888'000;
    std::string ts = std::to_string(now - static_cast<std::int64_t>(uniform(0, 300)));
    std::string body = random_body(i % 3);
    // The host still signs with the old secret while the plugin already
    // holds both.
    std::string signature = python({"sign", old_text, id, ts, hex(body)});
    EXPECT_TRUE(verify({new_secret, old_secret}, {id, ts, signature}, body, now).is_ok())
        << "case " << i;
    EXPECT_EQ(verify({new_secret}, {id, ts, signature}, body, now).reason(),
              "webhook_signature_invalid");
    std::string tampered = body + '\0';
    EXPECT_EQ(verify({old_secret}, {id, ts, signature}, tampered, now).reason(),
              "webhook_signature_invalid");
  }
}

TEST_F(IndependentSignerTest, PythonVerifiesOutboundHeadersUnderEitherRotatedSecret) {
  for (int i = 0; i < 6; ++i) {
    std::string old_text, new_text, other_text;
    WebhookSecret old_secret = random_secret(&old_text);
    WebhookSecret new_secret = random_secret(&new_text);
    random_secret(&other_text);
    std::string id = random_id();
    const std::int64_t now = 1'785'888'000 + i;
    std::string body = random_body(i % 3);

    auto headers = sign_outbound({new_secret, old_secret}, id, now, body);
    ASSERT_TRUE(headers.is_ok()) << headers.status().to_string();
    const std::string now_text = std::to_string(now);
    auto python_verify = [&](const std::string& secrets, const std::string& sent_body) {
      return python({"verify", secrets, headers->id, headers->timestamp, headers->signature,
                     now_text, hex(sent_body)});
    };
    EXPECT_EQ(python_verify(new_text, body), "ok") << "case " << i;
    EXPECT_EQ(python_verify(old_text, body), "ok") << "case " << i;
    EXPECT_EQ(python_verify(other_text, body), "fail: no matching signature");
    EXPECT_EQ(python_verify(new_text, body + "x"), "fail: no matching signature");
  }
}

}  // namespace
}  // namespace mentoring::webhook
