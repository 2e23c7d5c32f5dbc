// Helpers shared by the LTI adapter tests: running the independent Python
// implementation (tests/adapters/lti/make_tokens.py) and reading files.
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace mentoring::lti::testing {

// Debian's interpreter: the one with python3-jwt and python3-cryptography.
inline constexpr const char* kPython = "/usr/bin/python3";

inline std::string script_path() { return std::string(MENTORING_SOURCE_DIR) + "/tests/adapters/lti/make_tokens.py"; }

inline std::string shell_quote(std::string_view arg) {
  std::string out = "'";
  for (char c : arg) {
    if (c == '\'')
      out += "'\\''";
    else
      out += c;
  }
  return out + "'";
}

// Runs make_tokens.py with `args`; returns its stdout, and its exit status in
// `rc`.
inline std::string run_script(const std::vector<std::string>& args, int& rc) {
  std::string command = std::string(kPython) + " " + shell_quote(script_path());
  for (const std::string& arg : args) command += " " + shell_quote(arg);
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) {
    rc = -1;
    return {};
  }
  std::string out;
  char buffer[4096];
  std::size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) out.append(buffer, n);
  rc = pclose(pipe);
  return out;
}

inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline void write_file(const std::filesystem::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

// A fresh, private path under the system temporary directory.
inline std::filesystem::path temp_path(std::string_view stem) {
  return std::filesystem::temp_directory_path() /
         (std::string(stem) + "-" + std::to_string(getpid()) + "-" + std::to_string(std::rand()));
}

// Hex SHA-256 of `data`, used to key the generated-case cache by the
// script's own content.
inline std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

}  // namespace mentoring::lti::testing
