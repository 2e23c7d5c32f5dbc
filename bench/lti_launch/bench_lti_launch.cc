// Drives complete LTI 1.3 launches against mentoringd over loopback, the way
// a browser does after a portal link is clicked:
//   1. GET /lti/login (third-party login initiation) -> 302 to the platform,
//      carrying state and nonce, and a state cookie;
//   2. the platform's part: an id_token for that nonce, signed RS256 with the
//      platform's key (OpenSSL, through the plugin's jose.h; the platform's
//      JWKS is served by run.py);
//   3. POST /lti/launch (id_token, state, state cookie) -> 303 with the
//      session cookie;
//   4. GET the page it redirects to, with the session cookie -> 200.
// `--concurrency` threads each keep one HTTP/1.1 connection and run launches
// back to back for `--seconds`; launches/s and latency percentiles of whole
// launches (steps 1 to 4, signing included) are printed as JSON.
#include <algorithm>
#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json.hpp>
#include <boost/url/parse.hpp>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "adapters/lti/jose.h"
#include "adapters/lti/service_token.h"

namespace {
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace json = boost::json;
using tcp = boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

struct Options {
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string public_url;  // http://127.0.0.1:<port>
  std::string issuer, client_id, deployment_id, key_file, kid;
  int concurrency = 32;
  double seconds = 10;
  int users = 1000;
};

std::string lti(const char* name) { return std::string("https://purl.imsglobal.org/spec/lti/claim/") + name; }

class Connection {
 public:
  Connection(const Options& o) : o_(o), stream_(ioc_) {}

  bhttp::response<bhttp::string_body> send(bhttp::verb verb, const std::string& target, const std::string& cookie,
                                           const std::string& body = {}) {
    for (int attempt = 0;; ++attempt) {
      try {
        if (!open_) connect();
        bhttp::request<bhttp::string_body> req{verb, target, 11};
        req.set(bhttp::field::host, o_.host + ":" + o_.port);
        req.set(bhttp::field::user_agent, "bench-lti-launch");
        if (!cookie.empty()) req.set(bhttp::field::cookie, cookie);
        if (verb == bhttp::verb::post) {
          req.set(bhttp::field::content_type, "application/x-www-form-urlencoded");
          req.body() = body;
        }
        req.prepare_payload();
        bhttp::write(stream_, req);
        bhttp::response<bhttp::string_body> res;
        bhttp::read(stream_, buffer_, res);
        if (!res.keep_alive()) close();
        return res;
      } catch (const std::exception&) {
        close();
        if (attempt >= 1) throw;
      }
    }
  }

 private:
  void connect() {
    tcp::resolver resolver(ioc_);
    stream_.connect(resolver.resolve(o_.host, o_.port));
    stream_.socket().set_option(tcp::no_delay(true));
    open_ = true;
  }
  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ec);
    stream_.close();
    buffer_.clear();
    open_ = false;
  }

  const Options& o_;
  boost::asio::io_context ioc_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  bool open_ = false;
};

std::string query_param(const std::string& url, const std::string& name) {
  auto u = boost::urls::parse_uri_reference(url);
  if (!u) return {};
  for (auto p : u->params())
    if (p.key == name) return std::string(p.value);
  return {};
}

// "name=value" of the first Set-Cookie whose name starts with `prefix`.
std::string cookie_from(const bhttp::response<bhttp::string_body>& res, const std::string& prefix) {
  for (const auto& f : res) {
    if (f.name() != bhttp::field::set_cookie) continue;
    std::string v(f.value());
    if (v.rfind(prefix, 0) != 0) continue;
    return v.substr(0, v.find(';'));
  }
  return {};
}

struct Result {
  std::vector<double> latencies_ms;
  std::map<std::string, int> failures;
};

std::string id_token(const Options& o, mentoring::lti::EvpPkey& key, const std::string& nonce, int user) {
  const std::int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string sub = "bench-user-" + std::to_string(user);
  json::object claims{
      {"iss", o.issuer},
      {"aud", o.client_id},
      {"sub", sub},
      {"iat", now},
      {"exp", now + 300},
      {"nonce", nonce},
      {"name", "Dr Bench " + std::to_string(user)},
      {"email", sub + "@example.nhs.uk"},
      {lti("message_type"), "LtiResourceLinkRequest"},
      {lti("version"), "1.3.0"},
      {lti("deployment_id"), o.deployment_id},
      {lti("target_link_uri"), o.public_url + "/lti/launch"},
      {lti("roles"), json::array{"http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"}},
      {lti("context"), json::object{{"id", "bench-course"}, {"label", "FY1"}, {"title", "Foundation Year 1"}}},
      {lti("resource_link"), json::object{{"id", "resource-mentoring"}, {"title", "Mentoring"}}},
  };
  auto jwt = mentoring::lti::sign_rs256(json::object{{"typ", "JWT"}}, claims, key.get(), o.kid);
  if (!jwt) throw std::runtime_error("signing failed: " + jwt.status().to_string());
  return *jwt;
}

void run_worker(const Options& o, mentoring::lti::EvpPkey key, int index, Clock::time_point end, Result& out) {
  Connection conn(o);
  int n = 0;
  const std::string login_base = "/lti/login?iss=" + mentoring::lti::form_encode(o.issuer) +
                                 "&target_link_uri=" + mentoring::lti::form_encode(o.public_url + "/lti/launch") +
                                 "&client_id=" + mentoring::lti::form_encode(o.client_id) +
                                 "&lti_deployment_id=" + mentoring::lti::form_encode(o.deployment_id);
  while (Clock::now() < end) {
    const int user = (index * 7919 + n++) % o.users;
    const auto start = Clock::now();
    try {
      auto login = conn.send(bhttp::verb::get, login_base + "&login_hint=bench-user-" + std::to_string(user), "");
      if (login.result_int() != 302) {
        ++out.failures["login_" + std::to_string(login.result_int())];
        continue;
      }
      const std::string location(login[bhttp::field::location]);
      const std::string state = query_param(location, "state");
      const std::string nonce = query_param(location, "nonce");
      const std::string state_cookie = cookie_from(login, "lti_state_");
      const std::string token = id_token(o, key, nonce, user);
      auto launch = conn.send(bhttp::verb::post, "/lti/launch", state_cookie,
                              "id_token=" + token + "&state=" + mentoring::lti::form_encode(state));
      if (launch.result_int() != 303) {
        std::string reason(launch["X-Mentoring-Reason"]);
        ++out.failures["launch_" + std::to_string(launch.result_int()) + (reason.empty() ? "" : "_" + reason)];
        continue;
      }
      const std::string session = cookie_from(launch, "mentoring_session=");
      auto page = conn.send(bhttp::verb::get, std::string(launch[bhttp::field::location]), session);
      if (page.result_int() != 200) {
        ++out.failures["page_" + std::to_string(page.result_int())];
        continue;
      }
      out.latencies_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    } catch (const std::exception& e) {
      ++out.failures[std::string("transport: ") + e.what()];
    }
  }
}

double percentile(std::vector<double>& v, double p) {
  if (v.empty()) return 0;
  const std::size_t i = std::min(v.size() - 1, static_cast<std::size_t>(p * static_cast<double>(v.size())));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(i), v.end());
  return v[i];
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto eq = a.find('=');
    if (a.rfind("--", 0) != 0 || eq == std::string::npos) {
      std::cerr << "usage: bench_lti_launch --port=P --issuer=I --client-id=C --deployment-id=D --key=platform.pem"
                   " --kid=K [--concurrency=32] [--seconds=10] [--users=1000]\n";
      return 2;
    }
    std::string k = a.substr(2, eq - 2), v = a.substr(eq + 1);
    if (k == "port")
      o.port = v;
    else if (k == "issuer")
      o.issuer = v;
    else if (k == "client-id")
      o.client_id = v;
    else if (k == "deployment-id")
      o.deployment_id = v;
    else if (k == "key")
      o.key_file = v;
    else if (k == "kid")
      o.kid = v;
    else if (k == "concurrency")
      o.concurrency = std::stoi(v);
    else if (k == "seconds")
      o.seconds = std::stod(v);
    else if (k == "users")
      o.users = std::stoi(v);
    else {
      std::cerr << "unknown option --" << k << "\n";
      return 2;
    }
  }
  o.public_url = "http://" + o.host + ":" + o.port;
  std::ifstream in(o.key_file);
  std::stringstream pem;
  pem << in.rdbuf();
  auto key = mentoring::lti::private_key_from_pem(pem.str());
  if (!key) {
    std::cerr << "cannot read the platform key: " << key.status().to_string() << "\n";
    return 2;
  }
  std::vector<Result> results(static_cast<std::size_t>(o.concurrency));
  std::vector<std::thread> threads;
  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  for (int i = 0; i < o.concurrency; ++i)
    threads.emplace_back(run_worker, std::cref(o), *key, i, end, std::ref(results[static_cast<std::size_t>(i)]));
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  std::vector<double> all;
  std::map<std::string, int> failures;
  for (auto& r : results) {
    all.insert(all.end(), r.latencies_ms.begin(), r.latencies_ms.end());
    for (auto& [k, v] : r.failures) failures[k] += v;
  }
  json::object fail;
  for (auto& [k, v] : failures) fail[k] = v;
  const std::size_t launches = all.size();
  json::object report{{"concurrency", o.concurrency},
                      {"seconds", elapsed},
                      {"launches", launches},
                      {"launches_per_second", static_cast<double>(launches) / elapsed},
                      {"p50_ms", percentile(all, 0.50)},
                      {"p90_ms", percentile(all, 0.90)},
                      {"p99_ms", percentile(all, 0.99)},
                      {"max_ms", all.empty() ? 0.0 : *std::max_element(all.begin(), all.end())},
                      {"failures", fail}};
  std::cout << json::serialize(report) << std::endl;
  return failures.empty() ? 0 : 1;
}
