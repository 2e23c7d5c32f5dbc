// Helpers shared by the web adapter's tests.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "adapters/http/message.h"

namespace mentoring::web::testing {

inline std::string source_path(const std::string& relative) {
  return std::string(MENTORING_SOURCE_DIR) + "/" + relative;
}

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// A request as the transport would hand it over, decoded by message.h.
inline http::Request get(const std::string& target, std::vector<http::Header> headers = {}) {
  http::Request request;
  request.method = "GET";
  request.target = target;
  request.headers = std::move(headers);
  EXPECT_TRUE(http::parse_target(request)) << target;
  return request;
}

// Inline script or style anywhere in `html`: what the CSP would block and
// what would break the page. Independent of check_page.py on purpose.
inline std::vector<std::string> inline_code_problems(const std::string& html) {
  std::vector<std::string> problems;
  const std::regex script_tag(R"(<script\b[^>]*>)", std::regex::icase);
  for (auto it = std::sregex_iterator(html.begin(), html.end(), script_tag); it != std::sregex_iterator(); ++it) {
    if (it->str().find(" src=\"") == std::string::npos) problems.push_back("script without src: " + it->str());
  }
  const std::regex style_tag(R"(<style\b)", std::regex::icase);
  if (std::regex_search(html, style_tag)) problems.push_back("<style> element");
  const std::regex style_attr(R"(<[^>]*\sstyle\s*=)", std::regex::icase);
  if (std::regex_search(html, style_attr)) problems.push_back("style= attribute");
  const std::regex handler_attr(R"(<[^>]*\son[a-z]+\s*=)", std::regex::icase);
  if (std::regex_search(html, handler_attr)) problems.push_back("on*= event handler attribute");
  if (html.find("javascript:") != std::string::npos) problems.push_back("javascript: URL");
  return problems;
}

// Runs tests/adapters/web/check_page.py (Debian's python3, standard
// library only) on `html`; returns its report, empty when the page passes.
inline std::string page_check_report(const std::string& html, const std::string& asset_base) {
  const std::string python = "/usr/bin/python3";
  if (!std::filesystem::exists(python)) return "missing " + python;
  auto dir = std::filesystem::temp_directory_path();
  auto path = dir / ("mentoring_page_" + std::to_string(::getpid()) + "_" +
                     std::to_string(reinterpret_cast<std::uintptr_t>(&html)) + ".html");
  {
    std::ofstream out(path, std::ios::binary);
    out << html;
  }
  const std::string command = python + " " + source_path("tests/adapters/web/check_page.py") + " '" + asset_base +
                              "' < '" + path.string() + "' 2>&1";
  std::string report;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (pipe == nullptr) return "could not run " + command;
  std::array<char, 512> buffer{};
  while (std::fgets(buffer.data(), buffer.size(), pipe) != nullptr) report += buffer.data();
  int rc = ::pclose(pipe);
  std::filesystem::remove(path);
  if (rc != 0 && report.empty()) report = "check_page.py failed with status " + std::to_string(rc);
  return report;
}

}  // namespace mentoring::web::testing
