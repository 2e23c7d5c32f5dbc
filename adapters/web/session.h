// Server-side sessions: created by a successful LTI launch (or a handoff),
// carried by the `mentoring_session` cookie, checked on every request.
//
// The cookie holds 256 random bits; the database holds only their SHA-256,
// so a leaked database does not sign anyone in. A session ends after
// idle_timeout_seconds without a request and, whatever happens,
// absolute_timeout_seconds after it began. Each session has its own CSRF
// token for forms and state-changing API calls.
//
// The middleware for pages and API handlers:
//
//   auto signed_in = sessions.authenticate(request);
//   if (!signed_in) return ...;                 // unauthenticated, see reasons
//   if (!signed_in->has(core::capability::kSchemeManage)) return ... 403;
//   MENTORING_RETURN_IF_ERROR(sessions.check_csrf(*signed_in, form_field));
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "adapters/http/message.h"
#include "adapters/web/cookies.h"
#include "core/account.h"
#include "core/clock.h"
#include "core/stores.h"

namespace mentoring::web {

inline constexpr std::string_view kSessionCookie = "mentoring_session";
// The header API clients send the CSRF token in (forms use the field "csrf_token").
inline constexpr std::string_view kCsrfHeader = "X-CSRF-Token";
// A session's idle timer is moved (a write) at most this often; requests in
// between only read. The idle timeout therefore counts from the last
// recorded request, which may be up to this much older than the latest.
inline constexpr std::int64_t kSessionTouchIntervalSeconds = 60;

struct SessionSettings {
  // Default: 30 minutes.
  std::int64_t idle_timeout_seconds = 1800;
  // Default: 12 hours.
  std::int64_t absolute_timeout_seconds = 43200;
  // Secure (SameSite=None; Partitioned) cookies; see cookies_secure_for().
  bool cookie_secure = true;
};

// Who is signed in, as the middleware returns it.
struct SignedIn {
  core::Session session;
  core::Account account;

  bool has(std::string_view capability) const {
    return std::find(session.capabilities.begin(), session.capabilities.end(), capability) !=
           session.capabilities.end();
  }
  const std::string& csrf_token() const { return session.csrf_token; }
};

// What create() hands back: the cookie value (shown to the browser once,
// never stored) and the stored session.
struct NewSession {
  std::string token;
  core::Session session;
};

struct SessionGrant {
  std::int64_t accountid = 0;
  std::int64_t deploymentid = 0;
  std::optional<std::int64_t> contextid;
  std::optional<std::int64_t> schemeid;
  std::vector<std::string> capabilities;
};

class SessionManager {
 public:
  SessionManager(core::Database& db, const core::Clock& clock, SessionSettings settings);

  // Creates a session inside the caller's transaction.
  core::Result<NewSession> create(core::Stores& stores, const SessionGrant& grant) const;

  // The middleware. Reads the session cookie, finds the session and loads
  // the account in a read-only transaction (a session of a scheme in which
  // the account has an active mentor enrolment also holds
  // mentoring/mentor:participate, app::is_scheme_mentor); only when the idle timer was last
  // moved kSessionTouchIntervalSeconds or more ago, or the session has ended
  // (and is deleted), does it write. Errors (unauthenticated):
  //   "session_missing"   no session cookie
  //   "session_invalid"   unknown, ended (idle or absolute timeout) or
  //                       malformed cookie
  //   "account_suspended" (permission_denied) the account was suspended
  // and the database's own errors (unavailable ...).
  core::Result<SignedIn> authenticate(const http::Request& request) const;

  // Compares the CSRF token a request sent with the session's, in constant
  // time. Error: permission_denied "csrf_token_invalid".
  core::Status check_csrf(const SignedIn& signed_in, std::string_view sent) const;
  // The same, reading the X-CSRF-Token header.
  core::Status check_csrf(const SignedIn& signed_in, const http::Request& request) const;

  // Ends the session the request's cookie names (no error when there is none).
  core::Status sign_out(const http::Request& request) const;

  // Set-Cookie values that start and end a session cookie.
  std::string session_cookie(const std::string& token) const;
  std::string clear_session_cookie() const;

  const SessionSettings& settings() const { return settings_; }

 private:
  core::Database& db_;
  const core::Clock& clock_;
  SessionSettings settings_;
};

}  // namespace mentoring::web
