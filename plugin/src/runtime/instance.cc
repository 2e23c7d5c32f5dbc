#include "runtime/instance.h"

#include "adapters/api/api.h"
#include "adapters/api/setup_api.h"
#include "adapters/http/json.h"
#include "adapters/http/router.h"
#include "adapters/http/server.h"
#include "adapters/web/cookies.h"
#include "adapters/lti/http_client.h"
#include "adapters/lti/jwks_cache.h"
#include "adapters/lti/routes.h"
#include "adapters/web/session.h"
#include "adapters/lti/tool_keys.h"
#include "adapters/web/routes.h"
#include "app/accounts.h"
#include "app/enrolment.h"
#include "app/scheme_setup.h"
#include "app/setup_objectives.h"
#include "app/setup_profiles.h"
#include "app/setup_training.h"
#include "mentoring/version.h"
#include "storage/database.h"
#include "storage/setup_soci_stores.h"

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
        api{*db, accounts, schemes, enrolments, o.api_service_token, MENTORING_VERSION_STRING},
        setup_db(*db),
        objectives(setup_db, clock),
        governance(setup_db, clock),
        eligibility(setup_db, clock),
        profiles(setup_db, clock),
        training(setup_db, clock),
        agreements(setup_db, clock),
        eligible_enrolment(setup_db, clock),
        setup_api{objectives, governance, eligibility, profiles, training, agreements, o.api_service_token},
        http_client(o.lti_jwks_timeout_ms),
        jwks(http_client, clock, jwks_policy(o)),
        tool_keys(*db, clock),
        sessions(*db, clock, session_settings(o)),
        lti_ctx{*db, clock, jwks, tool_keys, sessions, web, lti_settings(o), log} {
    api::add_health_routes(router, api);
    api::add_api_routes(router, api);
    enrolments.set_gate(&eligible_enrolment);
    api::add_setup_routes(router, setup_api);
    web::add_public_web_routes(router, web);
    lti::add_lti_routes(router, lti_ctx);
  }

  static lti::JwksCachePolicy jwks_policy(const Options& o) {
    lti::JwksCachePolicy p;
    p.min_refetch_interval_seconds = o.lti_jwks_refetch_interval_seconds;
    return p;
  }
  static web::SessionSettings session_settings(const Options& o) {
    web::SessionSettings s;
    s.idle_timeout_seconds = o.session_idle_timeout_seconds;
    s.absolute_timeout_seconds = o.session_absolute_timeout_seconds;
    s.cookie_secure = web::cookies_secure_for(o.http_public_url, o.session_cookie_secure);
    return s;
  }
  static lti::LtiSettings lti_settings(const Options& o) {
    lti::LtiSettings s;
    s.public_url = o.http_public_url;
    while (!s.public_url.empty() && s.public_url.back() == '/') s.public_url.pop_back();
    s.clock_skew_seconds = o.lti_clock_skew_seconds;
    s.state_ttl_seconds = o.lti_state_ttl_seconds;
    s.cookie_secure = web::cookies_secure_for(o.http_public_url, o.session_cookie_secure);
    s.service_token = o.api_service_token;
    return s;
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
  storage::SociSetupDatabase setup_db;
  app::ObjectiveService objectives;
  app::GovernanceService governance;
  app::EligibilityService eligibility;
  app::ProfileService profiles;
  app::TrainingService training;
  app::AgreementService agreements;
  app::EligibleEnrolment eligible_enrolment;
  api::SetupApiContext setup_api;
  web::WebContext web;
  lti::CurlHttpClient http_client;
  lti::JwksCache jwks;
  lti::ToolKeys tool_keys;
  web::SessionManager sessions;
  lti::LtiContext lti_ctx;
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
  // The tool's signing key exists from the first start, so /lti/jwks is never
  // empty. Without a migrated schema there is nowhere to keep it yet.
  if (options.database_migrate) {
    auto kid = impl->tool_keys.ensure_key();
    if (!kid) return kid.status();
  }
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
