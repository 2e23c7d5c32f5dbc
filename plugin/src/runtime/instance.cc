#include "runtime/instance.h"

#include "adapters/api/api.h"
#include "adapters/http/json.h"
#include "adapters/http/router.h"
#include "adapters/http/server.h"
#include "adapters/web/routes.h"
#include "app/accounts.h"
#include "app/enrolment.h"
#include "app/scheme_setup.h"
#include "mentoring/version.h"
#include "storage/database.h"

namespace mentoring::runtime {
using core::Result;
using core::Status;

struct Instance::Impl {
  Impl(std::unique_ptr<storage::SociDatabase> database, const core::Clock& clk, LogFn log_fn, const Options& o)
      : clock(clk),
        log(std::move(log_fn)),
        db(std::move(database)),
        accounts(*db, clock),
        schemes(*db, clock),
        enrolments(*db, clock),
        api{*db, accounts, schemes, enrolments, o.api_service_token, MENTORING_VERSION_STRING} {
    api::add_health_routes(router, api);
    api::add_api_routes(router, api);
    web::add_public_web_routes(router, web);
  }

  // Every response, in-process or from the listener, goes through here.
  http::Response dispatch(const http::Request& req) const {
    return web::finish_response(req, router.handle(req), web);
  }

  const core::Clock& clock;
  LogFn log;
  std::unique_ptr<storage::SociDatabase> db;
  app::Accounts accounts;
  app::SchemeSetup schemes;
  app::EnrolmentService enrolments;
  api::ApiContext api;
  web::WebContext web;
  http::Router router;

  std::mutex server_mu;  // guards server
  std::unique_ptr<http::Server> server;
};

Instance::Instance(std::unique_ptr<Impl> impl, Options options) : impl_(std::move(impl)), options_(std::move(options)) {}

Instance::~Instance() { serve_stop(); }

Result<std::unique_ptr<Instance>> Instance::open(const Options& options, const core::Clock& clock, LogFn log) {
  storage::ConnectionSettings settings;
  settings.url = options.database_url;
  settings.pool_size = options.effective_pool_size();
  settings.table_prefix = options.database_table_prefix;
  settings.busy_timeout_ms = options.database_busy_timeout_ms;
  auto db = storage::open_database(settings);
  if (!db) return db.status();
  if (options.database_migrate) {
    auto version = (*db)->migrate();
    if (!version) return version.status();
    log(1, "database schema at version " + std::to_string(*version));
  } else {
    // Even without migrating, a schema newer than this build is refused:
    // this build would misread it.
    auto version = (*db)->schema_version();
    if (!version) return version.status();
  }
  auto impl = std::make_unique<Impl>(std::move(db).value(), clock, std::move(log), options);
  return std::unique_ptr<Instance>(new Instance(std::move(impl), options));
}

http::Response Instance::handle(http::Request request) {
  if (!http::parse_target(request))
    return http::error_response(Status::invalid("bad_request_target", "The request target is not a valid path."));
  return impl_->dispatch(request);
}

Result<std::uint16_t> Instance::serve_start() {
  std::lock_guard<std::mutex> lock(impl_->server_mu);
  if (impl_->server)
    return Status::failed_precondition("already_serving", "The plugin is already serving HTTP.");
  http::ServerOptions so;
  so.address = options_.http_address;
  so.port = static_cast<std::uint16_t>(options_.http_port);
  so.threads = options_.http_threads;
  so.max_body_bytes = static_cast<std::size_t>(options_.http_max_body_bytes);
  so.max_header_bytes = static_cast<std::size_t>(options_.http_max_header_bytes);
  so.read_timeout_ms = options_.http_read_timeout_ms;
  so.write_timeout_ms = options_.http_write_timeout_ms;
  so.idle_timeout_ms = options_.http_idle_timeout_ms;
  so.shutdown_grace_ms = options_.http_shutdown_grace_ms;
  Impl* impl = impl_.get();
  const bool access_log = options_.log_access;
  auto server = std::make_unique<http::Server>(
      so, [impl](const http::Request& req) { return impl->dispatch(req); },
      [impl, access_log](int level, std::string_view line) {
        if (level == 1 && !access_log) return;
        impl->log(level, line);
      });
  auto port = server->start();
  if (!port) return port.status();
  impl_->server = std::move(server);
  impl_->log(1, "listening on " + options_.http_address + ":" + std::to_string(*port));
  return *port;
}

void Instance::serve_stop() {
  std::unique_ptr<http::Server> server;
  {
    std::lock_guard<std::mutex> lock(impl_->server_mu);
    server = std::move(impl_->server);
  }
  if (server) server->stop();
}

Result<int> Instance::migrate() { return impl_->db->migrate(); }

}  // namespace mentoring::runtime
