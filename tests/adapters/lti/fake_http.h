// A scripted HttpClient for the LTI Advantage tests: a handler answers each
// request, and every request is recorded.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "adapters/lti/http_client.h"

namespace mentoring::lti::testing {

class RoutedHttp final : public HttpClient {
 public:
  using Handler = std::function<core::Result<HttpResponse>(const HttpRequest&)>;
  explicit RoutedHttp(Handler handler) : handler_(std::move(handler)) {}

  core::Result<HttpGetResponse> get(const std::string& url, std::size_t max_bytes) override {
    HttpRequest r;
    r.url = url;
    r.max_bytes = max_bytes;
    auto res = send(r);
    if (!res) return res.status();
    return HttpGetResponse{res->status, res->body, res->header("cache-control")};
  }
  core::Result<HttpResponse> send(const HttpRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mu_);
      requests.push_back(request);
    }
    return handler_(request);
  }
  std::vector<HttpRequest> requests;

 private:
  std::mutex mu_;
  Handler handler_;
};

inline HttpResponse json_answer(int status, const std::string& body,
                                std::vector<std::pair<std::string, std::string>> headers = {}) {
  HttpResponse r;
  r.status = status;
  r.body = body;
  r.headers = std::move(headers);
  return r;
}

// The value of `name` in an application/x-www-form-urlencoded body.
inline std::string form_value(const std::string& body, const std::string& name) {
  std::size_t pos = 0;
  while (pos <= body.size()) {
    auto amp = body.find('&', pos);
    if (amp == std::string::npos) amp = body.size();
    const std::string pair = body.substr(pos, amp - pos);
    const auto eq = pair.find('=');
    if (eq != std::string::npos && pair.substr(0, eq) == name) {
      std::string out;
      const std::string v = pair.substr(eq + 1);
      for (std::size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%' && i + 2 < v.size()) {
          out += static_cast<char>(std::stoi(v.substr(i + 1, 2), nullptr, 16));
          i += 2;
        } else {
          out += v[i] == '+' ? ' ' : v[i];
        }
      }
      return out;
    }
    pos = amp + 1;
  }
  return {};
}

}  // namespace mentoring::lti::testing
