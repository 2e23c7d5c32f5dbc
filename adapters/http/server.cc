#include "adapters/http/server.h"

#include <algorithm>
#include <array>
#include <atomic>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <ctime>
#include <exception>
#include <limits>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "adapters/http/json.h"

namespace mentoring::http {
namespace {

namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Clock = std::chrono::steady_clock;

// After an error response on a connection we will not read further, keep
// reading (and discarding) for a little while before closing: closing a
// socket with unread input makes the kernel send RST, which can destroy the
// error response before the client reads it.
constexpr auto kLingerTime = std::chrono::milliseconds(2000);

std::string for_log(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) out += (c > 0x20 && c < 0x7f) ? static_cast<char>(c) : '?';
  return out;
}

std::string http_date() {
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  const std::size_t n = std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return std::string(buf, n);
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (unsigned char c : s) {
    if (std::isalnum(c)) continue;
    if (std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) == std::string_view::npos) return false;
  }
  return true;
}

// Field values must not smuggle a line break (Beast 1.81 does not check).
bool is_field_value(std::string_view s) {
  for (unsigned char c : s)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](unsigned char x, unsigned char y) {
           return std::tolower(x) == std::tolower(y);
         });
}

std::string endpoint_text(const std::string& address, uint16_t port) {
  const bool v6 = address.find(':') != std::string::npos;
  return (v6 ? "[" + address + "]" : address) + ":" + std::to_string(port);
}

}  // namespace

// Named (not anonymous) so Server::State can derive from Core without
// linkage warnings; nothing here is declared in a header.
namespace server_detail {

class Session;

struct Core {
  Core(ServerOptions o, Handler h, LogFn l)
      : options(std::move(o)), handler(std::move(h)), log(std::move(l)),
        ioc(std::clamp(options.threads, 1, 256)), acceptor(net::make_strand(ioc)),
        accept_retry(acceptor.get_executor()) {}

  void write_log(int level, std::string_view line) const {
    if (!log) return;
    try {
      log(level, line);
    } catch (...) {
      // A broken logger must not take a connection down with it.
    }
  }

  void do_accept();
  void on_accept(const beast::error_code& ec, tcp::socket socket);

  const ServerOptions options;
  const Handler handler;
  const LogFn log;
  std::atomic<bool> stopping{false};

  // Sessions unregister themselves in their destructors, which can run while
  // the io_context below is being destroyed, so these members must be
  // declared before it.
  std::mutex mutex;
  std::condition_variable cv;
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions;
  bool accepting = false;

  std::mutex lifecycle_mutex;  // start() and stop()
  bool started = false;
  bool stopped = false;
  uint16_t port = 0;

  net::io_context ioc;
  tcp::acceptor acceptor;
  net::steady_timer accept_retry;
  std::vector<std::thread> threads;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket&& socket, server_detail::Core& state) : stream_(std::move(socket)), state_(state) {
    beast::error_code ec;
    auto remote = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? std::string("-") : remote.address().to_string();
  }

  ~Session() {
    std::lock_guard lock(state_.mutex);
    state_.sessions.erase(this);
    state_.cv.notify_all();
  }

  void run() {
    {
      std::lock_guard lock(state_.mutex);
      state_.sessions.emplace(this, weak_from_this());
    }
    net::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->wait_for_request(); });
  }

  // Runs on the strand (posted by Server::stop): a connection between
  // requests has nothing in flight and is closed at once.
  void close_if_idle() {
    if (phase_ == Phase::kIdle) close();
  }
  void force_close() { close(); }
  // The connection's strand, for posting the two calls above.
  net::any_io_executor executor() { return stream_.get_executor(); }

 private:
  enum class Phase { kIdle, kReading, kHandling, kWriting, kClosing };

  const ServerOptions& opts() const { return state_.options; }

  // Waits for the first byte of the next request. A new connection gets the
  // read timeout, a kept-alive one the (longer) idle timeout; once bytes
  // arrive the whole request must come within the read timeout.
  void wait_for_request() {
    if (closed_) return;
    if (state_.stopping.load()) return close();
    if (buffer_.size() > 0) return read_header();  // pipelined request
    phase_ = Phase::kIdle;
    stream_.expires_after(std::chrono::milliseconds(first_request_ ? opts().read_timeout_ms : opts().idle_timeout_ms));
    stream_.async_read_some(buffer_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->on_first_bytes(ec, n);
    });
  }

  void on_first_bytes(beast::error_code ec, std::size_t n) {
    buffer_.commit(n);
    if (ec || closed_) return close();
    read_header();
  }

  void read_header() {
    phase_ = Phase::kReading;
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(
        std::min<std::size_t>(opts().max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
    parser_->body_limit(opts().max_body_bytes);
    stream_.expires_after(std::chrono::milliseconds(opts().read_timeout_ms));
    bhttp::async_read_header(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->on_header(ec);
    });
  }

  void on_header(beast::error_code ec) {
    if (ec) return on_read_error(ec);
    started_ = Clock::now();
    const auto& req = parser_->get();
    if (!parser_->is_done() && iequals(req[bhttp::field::expect], "100-continue")) {
      // The body limit was already checked against Content-Length, so the
      // client may go ahead.
      auto cont = std::make_shared<bhttp::response<bhttp::empty_body>>(bhttp::status::continue_, req.version());
      stream_.expires_after(std::chrono::milliseconds(opts().write_timeout_ms));
      bhttp::async_write(stream_, *cont, [self = shared_from_this(), cont](beast::error_code ec, std::size_t) {
        if (ec) return self->close();
        self->stream_.expires_after(std::chrono::milliseconds(self->opts().read_timeout_ms));
        self->read_body();
      });
      return;
    }
    read_body();
  }

  void read_body() {
    if (parser_->is_done()) return handle_request();
    bhttp::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (ec) return self->on_read_error(ec);
      self->handle_request();
    });
  }

  void on_read_error(beast::error_code ec) {
    if (closed_) return;
    if (ec == bhttp::error::header_limit) {
      return send_error_and_close(core::Status::invalid(
          "header_too_large", "The request line and headers are larger than " +
                                  std::to_string(opts().max_header_bytes) + " bytes."));
    }
    if (ec == bhttp::error::body_limit) {
      return send_error_and_close(core::Status::resource_exhausted(
          "body_too_large", "The request body is larger than " + std::to_string(opts().max_body_bytes) + " bytes."));
    }
    if (ec == beast::error::timeout) {
      state_.write_log(kLogDebug, remote_ + " connection closed: request not received in time");
      return close();
    }
    const bool http_syntax = ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
                             ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message;
    if (http_syntax) {
      return send_error_and_close(
          core::Status::invalid("malformed_request", "The request is not valid HTTP/1.1 (" + ec.message() + ")."));
    }
    close();  // the peer went away
  }

  // Answers a request we could not read in full and closes the connection:
  // after a framing error the rest of the stream cannot be trusted.
  void send_error_and_close(const core::Status& status) {
    started_ = Clock::now();
    log_method_ = "-";
    log_path_ = "-";
    if (parser_ && parser_->is_header_done()) {
      const auto& req = parser_->get();
      log_method_ = for_log(req.method_string());
      std::string_view target = req.target();
      log_path_ = for_log(target.substr(0, target.find('?')));
    }
    send(error_response(status), false, false, true);
  }

  void handle_request() {
    phase_ = Phase::kHandling;
    auto& breq = parser_->get();
    Request request;
    request.method = std::string(breq.method_string());
    for (char& c : request.method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    request.target = std::string(breq.target());
    request.remote_address = remote_;
    for (const auto& field : breq) request.headers.push_back({std::string(field.name_string()), std::string(field.value())});
    request.body = std::move(breq.body());
    const bool keep_alive = breq.keep_alive();
    const bool head = request.method == "HEAD";
    version_ = breq.version();
    log_method_ = for_log(request.method);
    std::string_view target = request.target;
    log_path_ = for_log(target.substr(0, target.find('?')));

    Response response;
    try {
      if (!parse_target(request)) {
        response = error_response(core::Status::invalid(
            "invalid_target", "The request target is not a valid path and query.", "target"));
      } else {
        response = state_.handler(request);
      }
    } catch (const std::exception& e) {
      response = error_response(core::Status::internal("handler_exception", e.what()));
    } catch (...) {
      response = error_response(core::Status::internal("handler_exception", "a non-standard exception was thrown"));
    }
    send(std::move(response), keep_alive, head, false);
  }

  // Turns `response` into Beast's form, refusing what would corrupt the
  // stream (a status outside 200-599, a header with a line break).
  std::shared_ptr<bhttp::response<bhttp::string_body>> to_beast(Response& response, bool keep_alive, bool head) {
    std::string problem;
    if (response.status < 200 || response.status > 599) {
      problem = "handler returned status " + std::to_string(response.status);
    }
    for (const auto& h : response.headers) {
      if (problem.empty() && (!is_token(h.name) || !is_field_value(h.value))) {
        problem = "handler returned a malformed header \"" + for_log(h.name) + "\"";
      }
    }
    if (!problem.empty()) {
      response = error_response(core::Status::internal("invalid_response", problem));
    }

    auto res = std::make_shared<bhttp::response<bhttp::string_body>>();
    res->version(version_);
    res->result(static_cast<unsigned>(response.status));
    std::string_view declared_length;
    for (const auto& h : response.headers) {
      // Framing and connection headers are the transport's business.
      if (iequals(h.name, "Content-Length")) {
        declared_length = h.value;
        continue;
      }
      if (iequals(h.name, "Transfer-Encoding") || iequals(h.name, "Connection") || iequals(h.name, "Keep-Alive")) {
        continue;
      }
      res->insert(h.name, h.value);
    }
    res->set(bhttp::field::date, http_date());
    const bool no_body = response.status == 204 || response.status == 304;
    if (no_body) {
      log_bytes_ = 0;
    } else if (head) {
      // The router keeps the GET body's length in Content-Length for HEAD.
      const bool valid = !declared_length.empty() && std::all_of(declared_length.begin(), declared_length.end(),
                                                                 [](unsigned char c) { return std::isdigit(c); });
      res->set(bhttp::field::content_length,
               valid ? std::string(declared_length) : std::to_string(response.body.size()));
      log_bytes_ = 0;
    } else {
      log_bytes_ = response.body.size();
      res->body() = std::move(response.body);
      res->prepare_payload();
    }
    res->keep_alive(keep_alive);
    return res;
  }

  void send(Response response, bool keep_alive, bool head, bool linger) {
    if (closed_) return;
    phase_ = Phase::kWriting;
    keep_alive = keep_alive && !linger && !state_.stopping.load();
    auto res = to_beast(response, keep_alive, head);
    log_status_ = static_cast<int>(res->result_int());
    log_detail_ = std::move(response.log_detail);
    stream_.expires_after(std::chrono::milliseconds(opts().write_timeout_ms));
    bhttp::async_write(stream_, *res, [self = shared_from_this(), res, keep_alive, linger](beast::error_code ec, std::size_t) {
      self->on_write(ec, keep_alive, linger);
    });
  }

  void on_write(beast::error_code ec, bool keep_alive, bool linger) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started_).count();
    state_.write_log(kLogInfo, remote_ + " " + log_method_ + " " + log_path_ + " " + std::to_string(log_status_) + " " +
                                   std::to_string(log_bytes_) + " " + std::to_string(ms) + "ms");
    if (!log_detail_.empty()) {
      state_.write_log(kLogError, log_method_ + " " + log_path_ + " failed: " + log_detail_);
      log_detail_.clear();
    }
    if (ec) return close();
    if (linger) return linger_close();
    if (!keep_alive) {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
      return close();
    }
    first_request_ = false;
    parser_.reset();
    wait_for_request();
  }

  void linger_close() {
    phase_ = Phase::kClosing;
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(std::min<Clock::duration>(kLingerTime, std::chrono::milliseconds(opts().read_timeout_ms)));
    drain();
  }

  void drain() {
    stream_.async_read_some(net::buffer(drain_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      self->drained_ += n;
      const std::size_t limit = std::max<std::size_t>(self->opts().max_body_bytes, 64 * 1024);
      if (ec || self->closed_ || self->drained_ > limit) return self->close();
      self->drain();
    });
  }

  void close() {
    if (closed_) return;
    closed_ = true;
    phase_ = Phase::kClosing;
    stream_.close();
  }

  beast::tcp_stream stream_;
  server_detail::Core& state_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::string remote_;
  Phase phase_ = Phase::kIdle;
  bool first_request_ = true;
  bool closed_ = false;
  unsigned version_ = 11;
  Clock::time_point started_ = Clock::now();
  std::string log_method_ = "-";
  std::string log_path_ = "-";
  std::string log_detail_;
  int log_status_ = 0;
  std::size_t log_bytes_ = 0;
  std::array<char, 4096> drain_{};
  std::size_t drained_ = 0;
};

}  // namespace server_detail

using server_detail::Session;

struct Server::State : server_detail::Core {
  using Core::Core;
};

void server_detail::Core::do_accept() {
  acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket socket) {
    on_accept(ec, std::move(socket));
  });
}

void server_detail::Core::on_accept(const beast::error_code& ec, tcp::socket socket) {
  if (ec == net::error::operation_aborted || stopping.load() || !acceptor.is_open()) {
    std::lock_guard lock(mutex);
    accepting = false;
    cv.notify_all();
    return;  // `socket`, if any, closes here
  }
  if (ec) {
    // Typically EMFILE: back off briefly instead of spinning.
    write_log(kLogWarning, "accept failed: " + ec.message());
    accept_retry.expires_after(std::chrono::milliseconds(50));
    accept_retry.async_wait([this](beast::error_code wait_ec) {
      if (wait_ec || stopping.load()) return on_accept(net::error::operation_aborted, tcp::socket(ioc));
      do_accept();
    });
    return;
  }
  std::make_shared<Session>(std::move(socket), *this)->run();
  do_accept();
}

Server::Server(ServerOptions options, Handler handler, LogFn log)
    : state_(std::make_unique<State>(std::move(options), std::move(handler), std::move(log))) {}

Server::~Server() { stop(); }

uint16_t Server::port() const {
  std::lock_guard lock(state_->lifecycle_mutex);
  return state_->started && !state_->stopped ? state_->port : 0;
}

core::Result<uint16_t> Server::start() {
  State& s = *state_;
  std::lock_guard lock(s.lifecycle_mutex);
  if (s.started) return core::Status::failed_precondition("server_already_started", "The server was already started.");
  const ServerOptions& o = s.options;
  auto bad = [](std::string message) { return core::Status::invalid("invalid_server_options", std::move(message)); };
  if (o.threads < 1 || o.threads > 256) return bad("threads must be between 1 and 256.");
  if (o.max_body_bytes == 0) return bad("max_body_bytes must be greater than 0.");
  if (o.max_header_bytes < 1024 || o.max_header_bytes > std::numeric_limits<std::uint32_t>::max()) {
    return bad("max_header_bytes must be at least 1024.");
  }
  if (o.read_timeout_ms <= 0 || o.write_timeout_ms <= 0 || o.idle_timeout_ms <= 0 || o.shutdown_grace_ms < 0) {
    return bad("Timeouts must be positive and shutdown_grace_ms not negative.");
  }
  if (!s.handler) return bad("A request handler is required.");

  const std::string where = endpoint_text(o.address, o.port);
  auto listen_failed = [&](const std::string& why) {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    return core::Status::unavailable("listen_failed", "Cannot listen on " + where + ": " + why + ".");
  };
  beast::error_code ec;
  const auto address = net::ip::make_address(o.address, ec);
  if (ec) return listen_failed("\"" + o.address + "\" is not an IP address");
  const tcp::endpoint endpoint(address, o.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (ec) return listen_failed(ec.message());
  s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (ec) return listen_failed(ec.message());
  s.acceptor.bind(endpoint, ec);
  if (ec) return listen_failed(ec.message());
  s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec) return listen_failed(ec.message());
  const auto local = s.acceptor.local_endpoint(ec);
  if (ec) return listen_failed(ec.message());

  s.port = local.port();
  s.started = true;
  s.accepting = true;
  s.do_accept();
  for (int i = 0; i < o.threads; ++i) {
    s.threads.emplace_back([&s] {
      while (true) {
        try {
          s.ioc.run();
          return;
        } catch (const std::exception& e) {
          s.write_log(kLogError, std::string("server thread caught: ") + e.what());
        } catch (...) {
          s.write_log(kLogError, "server thread caught a non-standard exception");
        }
      }
    });
  }
  s.write_log(kLogInfo, "listening on " + endpoint_text(local.address().to_string(), s.port));
  return s.port;
}

void Server::stop() {
  State& s = *state_;
  std::lock_guard lifecycle(s.lifecycle_mutex);
  if (!s.started || s.stopped) return;
  s.stopped = true;
  s.stopping.store(true);

  net::post(s.acceptor.get_executor(), [&s] {
    beast::error_code ignored;
    s.acceptor.close(ignored);
    s.accept_retry.cancel();
  });

  // Copies taken under the lock, used and released outside it: dropping the
  // last reference runs ~Session, which takes the same lock.
  auto live_sessions = [&s] {
    std::vector<std::shared_ptr<Session>> live;
    std::lock_guard lock(s.mutex);
    for (auto& [ptr, weak] : s.sessions)
      if (auto session = weak.lock()) live.push_back(std::move(session));
    return live;
  };
  for (auto& session : live_sessions()) {
    net::post(session->executor(), [session] { session->close_if_idle(); });
  }

  const auto deadline = Clock::now() + std::chrono::milliseconds(s.options.shutdown_grace_ms);
  bool drained;
  {
    std::unique_lock lock(s.mutex);
    drained = s.cv.wait_until(lock, deadline, [&s] { return s.sessions.empty() && !s.accepting; });
  }
  if (!drained) {
    s.write_log(kLogWarning, "shutdown grace period over; closing remaining connections");
    for (auto& session : live_sessions()) {
      net::post(session->executor(), [session] { session->force_close(); });
    }
    std::unique_lock lock(s.mutex);
    s.cv.wait_for(lock, std::chrono::milliseconds(500), [&s] { return s.sessions.empty(); });
  }
  s.ioc.stop();
  for (auto& t : s.threads) t.join();
  s.threads.clear();
  s.write_log(kLogInfo, "stopped");
}

}  // namespace mentoring::http
