// The server over real loopback sockets, with Beast's client side as the
// peer. Every client operation has a 5 s deadline so a broken server fails
// a test instead of hanging it.
#include "adapters/http/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>
#include <chrono>
#include <future>
#include <mutex>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "adapters/http/json.h"
#include "adapters/http/router.h"

namespace mentoring::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using namespace std::chrono_literals;

using BeastResponse = bhttp::response<bhttp::string_body>;

class TestClient {
 public:
  explicit TestClient(uint16_t port, const char* address = "127.0.0.1") {
    stream_.expires_after(5s);
    stream_.async_connect(tcp::endpoint(net::ip::make_address(address), port),
                          [this](beast::error_code ec) { ec_ = ec; });
    run();
  }

  beast::error_code connect_error() const { return ec_; }

  beast::error_code send_raw(const std::string& bytes) {
    stream_.expires_after(5s);
    net::async_write(stream_, net::buffer(bytes), [this](beast::error_code ec, std::size_t) { ec_ = ec; });
    run();
    return ec_;
  }

  beast::error_code send(const std::string& method, const std::string& target, const std::string& body = {},
                         std::vector<std::pair<std::string, std::string>> headers = {}) {
    bhttp::request<bhttp::string_body> req{bhttp::string_to_verb(method), target, 11};
    req.set(bhttp::field::host, "127.0.0.1");
    for (auto& [k, v] : headers) req.set(k, v);
    req.body() = body;
    req.prepare_payload();
    stream_.expires_after(5s);
    bhttp::async_write(stream_, req, [this](beast::error_code ec, std::size_t) { ec_ = ec; });
    run();
    return ec_;
  }

  // Reads one response; nullopt (with last_error()) on failure or EOF.
  std::optional<BeastResponse> read(bool head = false) {
    bhttp::response_parser<bhttp::string_body> parser;
    parser.body_limit(boost::none);
    parser.skip(head);
    stream_.expires_after(5s);
    bhttp::async_read(stream_, buffer_, parser, [this](beast::error_code ec, std::size_t) { ec_ = ec; });
    run();
    if (ec_) return std::nullopt;
    return parser.release();
  }

  std::optional<BeastResponse> request(const std::string& method, const std::string& target,
                                       const std::string& body = {}) {
    if (send(method, target, body)) return std::nullopt;
    return read(method == "HEAD");
  }

  // True when the server has closed its side: a read sees end of stream.
  bool server_closed() {
    char byte;
    stream_.expires_after(5s);
    stream_.async_read_some(net::buffer(&byte, 1), [this](beast::error_code ec, std::size_t) { ec_ = ec; });
    run();
    return ec_ == net::error::eof || ec_ == net::error::connection_reset;
  }

  beast::error_code last_error() const { return ec_; }

 private:
  void run() {
    ioc_.restart();
    ioc_.run();
  }

  net::io_context ioc_;
  beast::tcp_stream stream_{ioc_};
  beast::flat_buffer buffer_;
  beast::error_code ec_;
};

class LogSink {
 public:
  LogFn fn() {
    return [this](int level, std::string_view line) {
      std::lock_guard lock(mutex_);
      lines_.emplace_back(level, std::string(line));
    };
  }
  std::vector<std::pair<int, std::string>> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  bool contains(int level, std::string_view text) {
    for (const auto& [l, line] : lines())
      if (l == level && line.find(text) != std::string::npos) return true;
    return false;
  }

 private:
  std::mutex mutex_;
  std::vector<std::pair<int, std::string>> lines_;
};

std::string error_reason(const BeastResponse& response) {
  return std::string(boost::json::parse(response.body()).at("error").at("reason").as_string());
}

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    options_.port = 0;
    options_.threads = 2;
    options_.max_body_bytes = 1024;
    options_.max_header_bytes = 2048;
    options_.shutdown_grace_ms = 5000;
    add("GET", "/hello", [](const Request& req, const PathParams&) {
      Response response;
      response.body = "hello " + std::string(req.query_param("name")) + " from " + req.remote_address;
      response.set_header("Content-Type", "text/plain");
      return response;
    });
    add("POST", "/echo", [this](const Request& req, const PathParams&) {
      ++handled_;
      Response response;
      response.body = req.method + " " + req.path + " " + req.body;
      return response;
    });
    add("GET", "/echo/{n}", [](const Request&, const PathParams& params) {
      Response response;
      response.body = "n=" + std::string(params.get("n"));
      return response;
    });
    add("GET", "/boom", [](const Request&, const PathParams&) -> Response {
      throw std::runtime_error("driver said: password=hunter2");
    });
    add("GET", "/bad-header", [](const Request&, const PathParams&) {
      Response response;
      response.set_header("X-Injected", "a\r\nSet-Cookie: evil=1");
      return response;
    });
    add("GET", "/slow", [this](const Request&, const PathParams&) {
      slow_started_.set_value();
      std::this_thread::sleep_for(300ms);
      slow_finished_ = true;
      Response response;
      response.body = "slow done";
      return response;
    });
  }

  void add(const char* method, const char* pattern, RouteFn fn) {
    ASSERT_TRUE(router_.add(method, pattern, std::move(fn)).is_ok());
  }

  uint16_t start() {
    server_.emplace(options_, [this](const Request& request) { return router_.handle(request); }, log_.fn());
    auto port = server_->start();
    EXPECT_TRUE(port.is_ok()) << port.status().to_string();
    return port.is_ok() ? *port : 0;
  }

  ServerOptions options_;
  Router router_;
  LogSink log_;
  std::optional<Server> server_;
  std::atomic<int> handled_{0};
  std::promise<void> slow_started_;
  std::atomic<bool> slow_finished_{false};
};

TEST_F(ServerTest, AnswersASimpleGet) {
  const uint16_t port = start();
  ASSERT_NE(port, 0);
  TestClient client(port);
  auto response = client.request("GET", "/hello?name=Ana&token=s3cret");
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ(response->body(), "hello Ana from 127.0.0.1");
  EXPECT_EQ((*response)[bhttp::field::content_type], "text/plain");
  EXPECT_EQ((*response)[bhttp::field::content_length], std::to_string(response->body().size()));
  EXPECT_FALSE((*response)[bhttp::field::date].empty());
}

TEST_F(ServerTest, WritesOneAccessLogLineWithoutTheQueryString) {
  TestClient client(start());
  auto response = client.request("GET", "/hello?name=Ana&token=s3cret");
  ASSERT_TRUE(response);
  server_->stop();  // the line is written once the response is sent
  const std::string expected = "127.0.0.1 GET /hello 200 " + std::to_string(response->body().size()) + " ";
  int access_lines = 0;
  for (const auto& [level, line] : log_.lines()) {
    if (level == kLogInfo && line.rfind(expected, 0) == 0 && line.size() > 2 && line.substr(line.size() - 2) == "ms") {
      ++access_lines;
    }
  }
  EXPECT_EQ(access_lines, 1);
  for (const auto& [level, line] : log_.lines()) EXPECT_EQ(line.find("s3cret"), std::string::npos) << line;
}

TEST_F(ServerTest, KeepAliveServesTwoRequestsOnOneConnection) {
  TestClient client(start());
  auto first = client.request("POST", "/echo", "one");
  ASSERT_TRUE(first);
  EXPECT_TRUE(first->keep_alive());
  auto second = client.request("POST", "/echo", "two");
  ASSERT_TRUE(second) << client.last_error().message();
  EXPECT_EQ(second->body(), "POST /echo two");
  EXPECT_EQ(handled_.load(), 2);
}

TEST_F(ServerTest, PipelinedRequestsAreAnsweredInOrder) {
  TestClient client(start());
  const std::string one = "GET /echo/1 HTTP/1.1\r\nHost: x\r\n\r\n";
  const std::string two = "GET /echo/2 HTTP/1.1\r\nHost: x\r\n\r\n";
  ASSERT_FALSE(client.send_raw(one + two));
  auto first = client.read();
  auto second = client.read();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->body(), "n=1");
  EXPECT_EQ(second->body(), "n=2");
}

TEST_F(ServerTest, HeadGetsGetHeadersWithoutBody) {
  TestClient client(start());
  auto response = client.request("HEAD", "/echo/12345");
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 200u);
  EXPECT_EQ((*response)[bhttp::field::content_length], "7");  // "n=12345"
  EXPECT_TRUE(response->body().empty());
  // The connection is still in step: the next response parses.
  auto next = client.request("GET", "/echo/9");
  ASSERT_TRUE(next);
  EXPECT_EQ(next->body(), "n=9");
}

TEST_F(ServerTest, OversizedBodyGets413AndServerServesTheNextConnection) {
  const uint16_t port = start();
  {
    TestClient client(port);
    ASSERT_FALSE(client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" +
                                 std::string(100, 'x')));
    auto response = client.read();
    ASSERT_TRUE(response) << client.last_error().message();
    EXPECT_EQ(response->result_int(), 413u);
    EXPECT_EQ(error_reason(*response), "body_too_large");
    EXPECT_FALSE(response->keep_alive());
    EXPECT_TRUE(client.server_closed());
  }
  EXPECT_EQ(handled_.load(), 0);
  TestClient next(port);
  auto ok = next.request("POST", "/echo", std::string(1024, 'y'));  // exactly at the limit
  ASSERT_TRUE(ok) << next.last_error().message();
  EXPECT_EQ(ok->result_int(), 200u);
}

TEST_F(ServerTest, OversizedChunkedBodyGets413) {
  TestClient client(start());
  const std::string chunk(1500, 'z');
  ASSERT_FALSE(client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5dc\r\n" + chunk +
                               "\r\n0\r\n\r\n"));
  auto response = client.read();
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 413u);
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(ServerTest, OversizedHeaderGets431) {
  TestClient client(start());
  ASSERT_FALSE(client.send_raw("GET /hello HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(4000, 'a') + "\r\n\r\n"));
  auto response = client.read();
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 431u);
  EXPECT_EQ(error_reason(*response), "header_too_large");
  EXPECT_TRUE(client.server_closed());
}

TEST_F(ServerTest, GarbageBytesGet400AndClose) {
  TestClient client(start());
  ASSERT_FALSE(client.send_raw(std::string("\x16\x03\x01\x02\x00garbage\r\n\r\n", 17)));
  auto response = client.read();
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 400u);
  EXPECT_EQ(error_reason(*response), "malformed_request");
  EXPECT_EQ((*response)[bhttp::field::content_type], "application/json; charset=utf-8");
  EXPECT_TRUE(client.server_closed());
}

TEST_F(ServerTest, InvalidTargetGets400) {
  TestClient client(start());
  ASSERT_FALSE(client.send_raw("GET /hello%zz HTTP/1.1\r\nHost: x\r\n\r\n"));
  auto response = client.read();
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 400u);
  EXPECT_EQ(error_reason(*response), "invalid_target");
}

TEST_F(ServerTest, ThrowingHandlerGets500AndServerKeepsServing) {
  TestClient client(start());
  auto response = client.request("GET", "/boom");
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 500u);
  EXPECT_EQ(response->body().find("hunter2"), std::string::npos);
  EXPECT_EQ(error_reason(*response), "internal_error");
  auto next = client.request("GET", "/echo/5");
  ASSERT_TRUE(next) << client.last_error().message();
  EXPECT_EQ(next->body(), "n=5");
  server_->stop();
  EXPECT_TRUE(log_.contains(kLogError, "hunter2"));  // the operator still sees why
}

TEST_F(ServerTest, HeaderWithLineBreakFromHandlerBecomes500) {
  TestClient client(start());
  auto response = client.request("GET", "/bad-header");
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->result_int(), 500u);
  EXPECT_EQ(response->count("Set-Cookie"), 0u);
}

TEST_F(ServerTest, ExpectContinueIsAnsweredBeforeTheBody) {
  TestClient client(start());
  ASSERT_FALSE(client.send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"));
  auto interim = client.read();
  ASSERT_TRUE(interim) << client.last_error().message();
  EXPECT_EQ(interim->result_int(), 100u);
  ASSERT_FALSE(client.send_raw("hello"));
  auto response = client.read();
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->body(), "POST /echo hello");
}

TEST_F(ServerTest, ReadTimeoutClosesAStalledConnection) {
  options_.read_timeout_ms = 200;
  TestClient client(start());
  ASSERT_FALSE(client.send_raw("GET /hello HTTP/1.1\r\nHost: x\r\n"));  // never finished
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.server_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
}

TEST_F(ServerTest, IdleTimeoutClosesAKeptAliveConnection) {
  options_.idle_timeout_ms = 200;
  TestClient client(start());
  ASSERT_TRUE(client.request("GET", "/echo/1"));
  const auto begin = std::chrono::steady_clock::now();
  EXPECT_TRUE(client.server_closed());
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 2s);
}

TEST_F(ServerTest, StopLetsASlowRequestFinishAndClosesIdleConnections) {
  const uint16_t port = start();
  TestClient idle(port);
  ASSERT_TRUE(idle.request("GET", "/echo/1"));  // now idle, kept alive

  std::optional<BeastResponse> slow_response;
  std::thread slow([&] {
    TestClient client(port);
    slow_response = client.request("GET", "/slow");
  });
  slow_started_.get_future().wait();
  const auto begin = std::chrono::steady_clock::now();
  server_->stop();
  const auto took = std::chrono::steady_clock::now() - begin;
  EXPECT_TRUE(slow_finished_.load());  // stop() returned only after the handler
  slow.join();
  ASSERT_TRUE(slow_response);
  EXPECT_EQ(slow_response->result_int(), 200u);
  EXPECT_EQ(slow_response->body(), "slow done");
  EXPECT_FALSE(slow_response->keep_alive());  // Connection: close while stopping
  // The idle connection did not hold stop() for the 5 s grace period.
  EXPECT_LT(took, 2s);
  EXPECT_TRUE(idle.server_closed());
  // No longer listening.
  TestClient late(port);
  EXPECT_TRUE(late.connect_error());
}

TEST_F(ServerTest, ConcurrentClientsAreAllAnswered) {
  options_.threads = 4;
  const uint16_t port = start();
  constexpr int kClients = 16;
  constexpr int kRequestsEach = 5;
  std::atomic<int> correct{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      TestClient client(port);
      for (int r = 0; r < kRequestsEach; ++r) {
        const std::string n = std::to_string(c * 100 + r);
        auto response = client.request("GET", "/echo/" + n);
        if (response && response->result_int() == 200 && response->body() == "n=" + n) ++correct;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(correct.load(), kClients * kRequestsEach);
}

TEST_F(ServerTest, StartFailsClearlyWhenThePortIsTaken) {
  const uint16_t port = start();
  ServerOptions options = options_;
  options.port = port;
  Server second(options, [](const Request&) { return Response(); }, {});
  auto result = second.start();
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().code(), core::Code::kUnavailable);
  EXPECT_EQ(result.status().reason(), "listen_failed");
  EXPECT_NE(result.status().message().find("127.0.0.1:" + std::to_string(port)), std::string::npos)
      << result.status().message();
}

TEST_F(ServerTest, StartFailsClearlyOnABadAddress) {
  options_.address = "999.1.2.3";
  Server server(options_, [](const Request&) { return Response(); }, {});
  auto result = server.start();
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "listen_failed");
  EXPECT_NE(result.status().message().find("999.1.2.3"), std::string::npos);
}

TEST_F(ServerTest, StartRejectsInvalidOptions) {
  options_.threads = 0;
  Server server(options_, [](const Request&) { return Response(); }, {});
  auto result = server.start();
  ASSERT_FALSE(result.is_ok());
  EXPECT_EQ(result.status().reason(), "invalid_server_options");
}

TEST_F(ServerTest, ListensOnIpv6Loopback) {
  options_.address = "::1";
  Server server(options_, [](const Request& r) { Response x; x.body = r.remote_address; return x; }, {});
  auto port = server.start();
  if (!port.is_ok()) GTEST_SKIP() << "no IPv6 loopback here: " << port.status().message();
  TestClient client(*port, "::1");
  auto response = client.request("GET", "/");
  ASSERT_TRUE(response) << client.last_error().message();
  EXPECT_EQ(response->body(), "::1");
}

TEST_F(ServerTest, StartTwiceFailsAndStopIsIdempotent) {
  start();
  auto again = server_->start();
  ASSERT_FALSE(again.is_ok());
  EXPECT_EQ(again.status().reason(), "server_already_started");
  server_->stop();
  server_->stop();
  EXPECT_EQ(server_->port(), 0);
}

TEST(ServerLifecycleTest, StopWithoutStartDoesNothing) {
  Server server(ServerOptions{}, [](const Request&) { return Response(); }, {});
  server.stop();
  EXPECT_EQ(server.port(), 0);
}

}  // namespace
}  // namespace mentoring::http
