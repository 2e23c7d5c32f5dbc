#include "runtime/instance.h"

#include <unistd.h>

#include <cstdint>

#include "adapters/api/api.h"
#include "adapters/api/setup_api.h"
#include "adapters/api/matching_api.h"
#include "adapters/api/audit_api.h"
#include "adapters/api/demographics_api.h"
#include "adapters/api/import_api.h"
#include "adapters/api/privacy_api.h"
#include "adapters/export/certificate.h"
#include "adapters/api/survey_api.h"
#include "adapters/export/report_pdf.h"
#include "app/evaluation_report.h"
#include "adapters/api/relationship_api.h"
#include "adapters/api/cohort_session_api.h"
#include "adapters/api/concern_api.h"
#include "adapters/api/business_as_usual_api.h"
#include "adapters/api/mentor_application_api.h"
#include "app/mentor_recruitment.h"
#include "app/checkins.h"
#include "app/cohort_sessions.h"
#include "app/concerns.h"
#include "app/relationship.h"
#include "app/relationship_engagement.h"
#include "app/outcome_import.h"
#include "app/survey.h"
#include "app/audit.h"
#include "app/bulk_import.h"
#include "app/import_jobs.h"
#include "app/enrolment_journey.h"
#include "app/demographics.h"
#include "app/demographic_aggregates.h"
#include "app/privacy.h"
#include "storage/aes_gcm.h"
#include "adapters/http/json.h"
#include "adapters/http/router.h"
#include "adapters/http/server.h"
#include "adapters/web/cookies.h"
#include "adapters/lti/http_client.h"
#include "adapters/lti/jwks_cache.h"
#include "adapters/lti/routes.h"
#include "adapters/web/session.h"
#include "adapters/lti/tool_keys.h"
#include "adapters/lti/advantage.h"
#include "adapters/lti/advantage_routes.h"
#include "adapters/lti/service_token.h"
#include "adapters/web/routes.h"
#include "adapters/web/pages/signed_in_pages.h"
#include "adapters/web/portal_policy.h"
#include "app/jobs.h"
#include "app/matching_worker.h"
#include "app/survey_due.h"
#include "adapters/webhook/service.h"
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

namespace {
// Background work reads and writes the plugin's tables; on a database that is
// not migrated yet (`mentoringd migrate` opens one before migrating it) it
// waits for the next start.
bool schema_is_current(storage::SociDatabase& db) {
  auto version = db.schema_version();
  return version && *version == db.latest_schema_version();
}
}  // namespace

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
        lti_ctx{*db, clock, jwks, tool_keys, sessions, web, lti_settings(o), log},
        lti_tokens(http_client, [this](const boost::json::object& claims) { return tool_keys.sign(claims); }, clock),
        lti_advantage(*db, clock, http_client, lti_tokens),
        lti_advantage_routes{lti_ctx, lti_advantage, http_client},
        jobs(*db, clock),
        portals(*db, clock, web.policy, o.web_portal_cache_seconds),
        pages{web.renderer, web.policy, sessions, *db, clock, page_chrome(o), set_up_page_services()},
        matching(*db, clock),
        matching_worker(matching, matching_worker_options(), log),
        pairing_service(*db, clock, o.matching_reply_days, o.matching_ranked_choices),
        matching_api{matching, pairing_service, o.api_service_token},
        demographics_cipher(make_demographics_cipher(o)),
        audit_service(*db),
        demographics(*db, clock, *demographics_cipher),
        bulk_import(*db, clock),
        privacy(*db, clock, demographics_cipher.get()),
        audit_api{audit_service, o.api_service_token},
        demographics_api{demographics, o.api_service_token},
        import_api{bulk_import, o.api_service_token, {}},
        privacy_api{privacy, training, exports::render_certificate_pdf, o.api_service_token},
        import_jobs(*db, clock, bulk_import, jobs, import_jobs_options()),
        enrolment_journey(*db, clock),
        demographic_aggregates(*db, *demographics_cipher),
        engagement_aggregates(*db),
        surveys(*db, clock),
        outcomes(*db, clock),
        reports(*db, clock, demographic_aggregates, engagement_aggregates),
        evaluation_api{surveys, outcomes, reports, exports::render_report_pdf, o.api_service_token},
        relationships(*db, clock),
        reminder_sweep(*db, clock),
        reminder_worker(reminder_sweep, app::ReminderWorker::kDefaultIntervalMs, log),
        survey_due_sweep(*db, clock),
        relationship_api{relationships, reminder_sweep, o.api_service_token},
        concerns(*db, clock, *demographics_cipher, o.matching_reply_days),
        checkins(*db, clock),
        concern_api{concerns, checkins, o.api_service_token},
        cohort_sessions(*db, clock),
        cohort_session_api{cohort_sessions, o.api_service_token},
        mentor_recruitment(*db, clock),
        mentor_application_api{mentor_recruitment, o.api_service_token},
        business_as_usual(*db, clock),
        business_as_usual_api{business_as_usual, o.api_service_token} {
    api::add_health_routes(router, api);
    api::add_api_routes(router, api);
    enrolments.set_gate(&eligible_enrolment);
    reminder_worker.add_sweep([this] {
      auto r = survey_due_sweep.run();
      if (!log) return;
      if (!r)
        log(2, "survey announcement sweep failed: " + r.status().to_string());
      else if (r->queued > 0)
        log(1, "survey announcement sweep queued " + std::to_string(r->queued) + " announcements");
    });
    api::add_setup_routes(router, setup_api);
    web::add_public_web_routes(router, web);
    lti::add_lti_routes(router, lti_ctx);
    lti::add_advantage_routes(router, lti_advantage_routes);
    // Every response's frame-ancestors follow the registered portals.
    web.portals = &portals;
    pages.services.imports = &import_jobs;
    pages.services.enrolment = &enrolment_journey;
    pages.services.demographics = &demographics;
    pages.services.training = &training;
    pages.services.render_certificate = exports::render_certificate_pdf;
    web::add_signed_in_pages(router, pages);
    matching.set_jobs(&jobs);
    matching.set_background([this] { matching_worker.notify(); });
    matching.set_heartbeat_timeout(o.matching_run_heartbeat_timeout_s);
    const bool schema_current = schema_is_current(*db);
    if (schema_current) {
      matching_worker.start();
      import_jobs.worker().start();
    }
    pages.services.matching = &matching;
    pages.services.pairings = &pairing_service;
    api::add_matching_routes(router, matching_api);
    api::add_audit_routes(router, audit_api);
    api::add_demographics_routes(router, demographics_api);
    api::add_import_routes(router, import_api);
    api::add_privacy_routes(router, privacy_api);
    api::add_survey_routes(router, evaluation_api);
    api::add_outcome_routes(router, evaluation_api);
    api::add_report_routes(router, evaluation_api);
    pages.services.relationships = &relationships;
    api::add_relationship_routes(router, relationship_api);
    pages.services.concerns = &concerns;
    pages.services.checkins = &checkins;
    // The API's report carries the same check-in tallies as the report page.
    evaluation_api.checkins = &checkins;
    pages.services.surveys = &surveys;
    pages.services.reports = &reports;
    pages.services.audit = &audit_service;
    pages.services.render_report_pdf = exports::render_report_pdf;
    api::add_concern_routes(router, concern_api);
    api::add_checkin_routes(router, concern_api);
    api::add_cohort_session_routes(router, cohort_session_api);
    api::add_concern_rekey_routes(router, concern_api);
    pages.services.mentor_recruitment = &mentor_recruitment;
    pages.services.cohort_sessions = &cohort_sessions;
    pages.services.business_as_usual = &business_as_usual;
    api::add_mentor_application_routes(router, mentor_application_api);
    api::add_business_as_usual_routes(router, business_as_usual_api);
    // Concern text stored before schema step 0013 is sealed now; without a
    // key it stays as it is until the plugin starts with one.
    if (schema_current && demographics_cipher->current_version() > 0) {
      auto sealed = concerns.seal_plain_rows();
      if (!sealed)
        log(2, "sealing stored concern text failed: " + sealed.status().to_string());
      else if (sealed->concerns + sealed->actions > 0)
        log(1, "sealed the text of " + std::to_string(sealed->concerns) + " concerns and " +
                   std::to_string(sealed->actions) + " concern actions");
    }
  }

  // parse_options has already checked the keyring, so this cannot fail;
  // if it did, demographic monitoring would stay off rather than the plugin
  // failing to start.
  static std::unique_ptr<storage::AesGcmCipher> make_demographics_cipher(const Options& o) {
    auto cipher = storage::AesGcmCipher::from_config(o.privacy_demographics_keys, o.privacy_demographics_key_version);
    if (cipher) return std::move(cipher).value();
    return std::move(storage::AesGcmCipher::from_config("", 0)).value();
  }
  // Runs are claimed in the database, so the name only has to tell the
  // instances on one database apart.
  app::MatchingWorkerOptions matching_worker_options() const {
    app::MatchingWorkerOptions w;
    w.name = "instance-" + std::to_string(::getpid()) + "-" + std::to_string(reinterpret_cast<std::uintptr_t>(this));
    return w;
  }
  // Started in the constructor's body, once the schema is known to be current.
  app::ImportJobsOptions import_jobs_options() const {
    app::ImportJobsOptions w;
    w.worker = matching_worker_options();
    w.start_worker = false;
    return w;
  }
  // The services that exist when the pages are built; the rest are set in
  // the constructor's body.
  web::PageServices set_up_page_services() {
    web::PageServices p;
    p.profiles = &profiles;
    p.schemes = &schemes;
    p.governance = &governance;
    p.jobs = &jobs;
    return p;
  }
  static web::PageChrome page_chrome(const Options& o) {
    web::PageChrome c;
    c.show_nhs_header = o.web_show_nhs_header;
    return c;
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
  lti::ServiceTokens lti_tokens;
  lti::AdvantageServices lti_advantage;
  lti::AdvantageRoutesContext lti_advantage_routes;
  // Progress of long work, and the signed-in pages.
  app::JobService jobs;
  web::PortalPolicyCache portals;
  web::PageContext pages;
  http::Router router;
  // Matching runs, mentee requests and pairings.
  app::MatchingService matching;
  // Does queued matching runs in the background; declared after `matching`
  // so that it stops before the service it uses goes.
  app::MatchingWorker matching_worker;
  app::PairingService pairing_service;
  api::MatchingApiContext matching_api;
  // Audit log, demographic monitoring, bulk CSV import and export, subject
  // access export and erasure.
  std::unique_ptr<storage::AesGcmCipher> demographics_cipher;
  app::AuditService audit_service;
  app::DemographicsService demographics;
  app::BulkImportService bulk_import;
  app::PrivacyService privacy;
  api::AuditApiContext audit_api;
  api::DemographicsApiContext demographics_api;
  api::ImportApiContext import_api;
  api::PrivacyApiContext privacy_api;
  // Staff imports from the pages, run one at a time in the background.
  app::ImportJobs import_jobs;
  // Trainees joining and leaving a scheme from the pages.
  app::EnrolmentJourney enrolment_journey;
  // Evaluation: surveys, outcome imports and the evaluation report. Equity
  // of access comes from the encrypted monitoring answers (counts only);
  // engagement from the pairings and meetings.
  app::DemographicEquityAggregates demographic_aggregates;
  app::RelationshipEngagementAggregates engagement_aggregates;
  app::SurveyService surveys;
  app::OutcomeService outcomes;
  app::EvaluationReportService reports;
  api::EvaluationApiContext evaluation_api;
  // The mentoring relationship (agreement, meetings, goals, protected time)
  // and the reminders that keep pairs meeting, swept on the worker's thread
  // when background work is on (webhook.worker).
  app::RelationshipService relationships;
  app::ReminderSweep reminder_sweep;
  app::ReminderWorker reminder_worker;
  // Survey rounds announced to people who enrolled after a round was
  // created and were missed (app/survey_due.h), swept with the reminders.
  app::SurveyDueSweep survey_due_sweep;
  api::RelationshipApiContext relationship_api;
  // Concerns to the scheme's point of contact, and the midpoint and end
  // check-ins.
  app::ConcernService concerns;
  app::CheckinService checkins;
  api::ConcernApiContext concern_api;
  // The cohort's midpoint group check-in and end-of-scheme meeting.
  app::CohortSessionService cohort_sessions;
  api::CohortSessionApiContext cohort_session_api;
  // Mentor recruitment by application with staff approval.
  app::MentorRecruitmentService mentor_recruitment;
  api::MentorApplicationApiContext mentor_application_api;
  // The move from pilot to business-as-usual.
  app::BusinessAsUsualService business_as_usual;
  api::BusinessAsUsualApiContext business_as_usual_api;

  std::mutex server_mu;  // guards server
  std::unique_ptr<http::Server> server;
  // Webhook inbox, outbox, routes and worker. Declared last so that it is
  // destroyed first: the worker stops before the database it uses goes.
  std::unique_ptr<webhook::WebhookService> webhooks;
};

Instance::Instance(std::unique_ptr<Impl> impl, Options options) : impl_(std::move(impl)), options_(std::move(options)) {}

Instance::~Instance() { serve_stop(); }

Result<std::unique_ptr<Instance>> Instance::open(const Options& options, const core::Clock& clock, LogFn log) {
  storage::ConnectionSettings settings;
  settings.url = options.database_url;
  settings.pool_size = options.effective_pool_size();
  settings.table_prefix = options.database_table_prefix;
  settings.busy_timeout_ms = options.database_busy_timeout_ms;
  settings.sqlite_synchronous = options.database_sqlite_synchronous;
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
  {
    webhook::WebhookConfig wc;
    auto inbound = parse_webhook_secrets(options.webhook_inbound_secrets, "webhook.inbound_secrets");
    if (!inbound) return inbound.status();
    auto outbound = parse_webhook_secrets(options.webhook_outbound_secrets, "webhook.outbound_secrets");
    if (!outbound) return outbound.status();
    wc.inbound_secrets = std::move(inbound).value();
    wc.outbound_secrets = std::move(outbound).value();
    wc.target_url = options.webhook_target_url;
    wc.service_token = options.api_service_token;
    wc.verify.tolerance_seconds = options.webhook_tolerance_seconds;
    wc.verify.max_body_bytes = static_cast<std::size_t>(options.webhook_max_body_bytes);
    wc.inbox.max_attempts = options.webhook_inbox_max_attempts;
    wc.inbox.retry_base_seconds = options.webhook_retry_base_seconds;
    wc.inbox.retry_max_seconds = options.webhook_retry_max_seconds;
    wc.inbox.retention_seconds = std::int64_t{options.webhook_retention_days} * 86400;
    wc.outbox.dead_after_seconds = options.webhook_dead_after_seconds;
    wc.outbox.retry_base_seconds = options.webhook_retry_base_seconds;
    wc.outbox.retry_max_seconds = options.webhook_retry_max_seconds;
    wc.outbox.retention_seconds = std::int64_t{options.webhook_retention_days} * 86400;
    wc.outbox.lease_seconds = std::max<std::int64_t>(120, options.webhook_send_timeout_ms / 1000 * 2 + 10);
    wc.send_timeout_ms = options.webhook_send_timeout_ms;
    wc.poll_interval_ms = options.webhook_poll_interval_ms;
    impl->webhooks = std::make_unique<webhook::WebhookService>(*impl->db, clock, std::move(wc), impl->log);
    impl->webhooks->add_routes(impl->router);
    if (options.webhook_worker && schema_is_current(*impl->db)) {
      impl->webhooks->start_worker();
      impl->reminder_worker.start();
    }
  }
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
