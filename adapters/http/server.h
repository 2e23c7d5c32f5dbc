// The HTTP/1.1 listener: moves bytes between sockets and one Handler.
//
// Built on Boost.Beast as in its advanced server example: one io_context run
// by `threads` threads, one strand per connection. Each request is parsed by
// Beast, turned into an http::Request, passed to the Handler, and the
// Response written back. The Handler runs on a server thread and may block
// it (a database call), so it must be thread-safe; with N threads at most N
// requests are handled at once.
//
// Limits sit here, where bytes come in, before any handler sees a request:
//   request head over max_header_bytes   431 JSON, then close
//   body over max_body_bytes             413 JSON, then close (checked
//                                        against Content-Length before the
//                                        body is read)
//   bytes that are not HTTP/1.x          400 JSON, then close
//   target that is not origin-form       400 JSON (reason "invalid_target")
//   a read, write or idle timeout        the connection is closed
//   a handler that throws                500 JSON; the server keeps going
// "Expect: 100-continue" is answered before the body is read.
//
// One access-log line per request at info level:
//   127.0.0.1 GET /api/v1/schemes 200 123 4ms
// (remote address, method, path without the query string so tokens in
// query parameters stay out of logs, status, body bytes, milliseconds).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "adapters/http/message.h"
#include "core/status.h"

namespace mentoring::http {

struct ServerOptions {
  // Literal IPv4 or IPv6 address to listen on (no host names). Default:
  // loopback only; the host's reverse proxy faces the network.
  std::string address = "127.0.0.1";
  // TCP port; 0 picks a free one (start() returns it). Default: 8080.
  uint16_t port = 8080;
  // Threads running the io_context, 1..256. Default: 2.
  int threads = 2;
  // Largest request body accepted. Default: 1 MiB.
  std::size_t max_body_bytes = 1024 * 1024;
  // Largest request line plus header fields accepted. Default: 16 KiB.
  std::size_t max_header_bytes = 16 * 1024;
  // Time allowed to receive one whole request once its first byte (or the
  // connection) arrived. Default: 30 s.
  int read_timeout_ms = 30000;
  // Time allowed to send one response. Default: 30 s.
  int write_timeout_ms = 30000;
  // How long a keep-alive connection may wait for its next request.
  // Default: 60 s.
  int idle_timeout_ms = 60000;
  // How long stop() lets requests in flight finish before closing their
  // connections. Default: 10 s.
  int shutdown_grace_ms = 10000;
};

class Server {
 public:
  // `handler` answers every well-formed request; `log` receives access-log
  // lines (info) and errors (error). Both must be thread-safe. `log` may be
  // empty. Nothing happens until start().
  Server(ServerOptions options, Handler handler, LogFn log);
  // Calls stop().
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Validates the options, binds, listens and starts the threads. Returns
  // the bound port (useful with port 0). Errors: invalid_argument
  // "invalid_server_options"; unavailable "listen_failed" naming
  // address:port and the system's reason (port in use, bad address);
  // failed_precondition "server_already_started" on a second call, also
  // after stop().
  [[nodiscard]] core::Result<uint16_t> start();

  // Graceful shutdown: stops accepting, closes idle keep-alive connections,
  // lets requests in flight finish (their responses carry
  // "Connection: close") for up to shutdown_grace_ms, then closes whatever
  // is left and joins the threads. Returns when all threads have finished;
  // a handler that never returns therefore blocks it. Idempotent; must not
  // be called from inside a handler.
  void stop();

  // The bound port while running (after a successful start(), before
  // stop()), else 0.
  uint16_t port() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace mentoring::http
