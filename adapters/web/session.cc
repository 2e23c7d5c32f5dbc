#include "adapters/web/session.h"

#include "adapters/web/secrets.h"
#include "app/mentor_invitation_accept.h"
#include "core/lti_capabilities.h"

namespace mentoring::web {
using core::Result;
using core::Status;

namespace {

// base64url of 32 bytes is 43 characters; anything else is not ours.
bool looks_like_token(std::string_view token) {
  if (token.size() != 43) return false;
  for (char c : token)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
      return false;
  return true;
}

}  // namespace

SessionManager::SessionManager(core::Database& db, const core::Clock& clock, SessionSettings settings)
    : db_(db), clock_(clock), settings_(settings) {}

Result<NewSession> SessionManager::create(core::Stores& stores, const SessionGrant& grant) const {
  auto token = random_token(32);
  if (!token) return token.status();
  auto csrf = random_token(32);
  if (!csrf) return csrf.status();
  const core::UnixSeconds now = clock_.now();
  core::SessionInput in;
  in.token_hash = sha256_hex(*token);
  in.accountid = grant.accountid;
  in.deploymentid = grant.deploymentid;
  in.contextid = grant.contextid;
  in.schemeid = grant.schemeid;
  in.capabilities = grant.capabilities;
  in.csrf_token = *csrf;
  in.expires_at = now + settings_.absolute_timeout_seconds;
  auto session = stores.sessions.create(in, now);
  if (!session) return session.status();
  return NewSession{std::move(token).value(), std::move(session).value()};
}

Result<SignedIn> SessionManager::authenticate(const http::Request& request) const {
  const auto cookie = read_cookie(request, kSessionCookie);
  if (!cookie || cookie->empty())
    return Status::unauthenticated("session_missing", "You are not signed in: open Mentoring from your training portal.");
  if (!looks_like_token(*cookie))
    return Status::unauthenticated("session_invalid", "Your session has ended: open Mentoring from your training portal again.");
  const std::string hash = sha256_hex(*cookie);
  const core::UnixSeconds now = clock_.now();
  std::optional<SignedIn> out;
  auto load_account = [&](core::Stores& s, core::Session session) -> Status {
    auto account = s.accounts.find(session.accountid);
    if (!account) return account.status();
    if (!account->has_value())
      return Status::internal("session_account_missing", "A session names an account that does not exist.");
    // A mentor of the session's scheme takes part as a mentor whatever
    // roles the launch sent: staff approved their application, or they
    // accepted the invitation of the end-of-scheme meeting.
    const std::string_view mentor = core::capability::kMentorParticipate;
    auto& caps = session.capabilities;  // sorted
    const auto at = std::lower_bound(caps.begin(), caps.end(), mentor);
    if (session.schemeid && (at == caps.end() || *at != mentor)) {
      auto enrolled = app::is_scheme_mentor(s, *session.schemeid, session.accountid);
      if (!enrolled) return enrolled.status();
      if (*enrolled) caps.emplace(at, mentor);
    }
    out = SignedIn{std::move(session), std::move(**account)};
    return Status::ok();
  };
  // Most requests only read: the session is live and its idle timer was
  // moved less than a minute ago.
  bool write = false;
  Status st = db_.read_only([&](core::Stores& s) -> Status {
    auto session = s.sessions.find_by_token(hash);
    if (!session) return session.status();
    if (!session->has_value()) return Status::ok();
    const core::Session& found = **session;
    const bool ended = found.expires_at <= now || found.last_seen_at + settings_.idle_timeout_seconds <= now;
    if (ended || now - found.last_seen_at >= kSessionTouchIntervalSeconds) {
      write = true;
      return Status::ok();
    }
    return load_account(s, found);
  });
  if (st && write) {
    st = db_.transact([&](core::Stores& s) -> Status {
      out.reset();
      auto session = s.sessions.touch(hash, now, settings_.idle_timeout_seconds);
      if (!session) return session.status();
      if (!session->has_value()) return Status::ok();
      return load_account(s, std::move(**session));
    });
  }
  if (!st) return st;
  if (!out)
    return Status::unauthenticated("session_invalid", "Your session has ended: open Mentoring from your training portal again.");
  if (out->account.status == core::AccountStatus::kSuspended)
    return Status::permission_denied("account_suspended", "This account is suspended.");
  return std::move(*out);
}

Status SessionManager::check_csrf(const SignedIn& signed_in, std::string_view sent) const {
  if (sent.empty() || !constant_time_equals(sent, signed_in.session.csrf_token))
    return Status::permission_denied("csrf_token_invalid", "The form was out of date or was not sent by this service.");
  return Status::ok();
}

Status SessionManager::check_csrf(const SignedIn& signed_in, const http::Request& request) const {
  return check_csrf(signed_in, request.header(kCsrfHeader));
}

Status SessionManager::sign_out(const http::Request& request) const {
  const auto cookie = read_cookie(request, kSessionCookie);
  if (!cookie || !looks_like_token(*cookie)) return Status::ok();
  const std::string hash = sha256_hex(*cookie);
  return db_.transact([&](core::Stores& s) { return s.sessions.remove(hash); });
}

std::string SessionManager::session_cookie(const std::string& token) const {
  CookieAttributes a;
  a.path = "/";
  a.max_age = settings_.absolute_timeout_seconds;
  a.secure = settings_.cookie_secure;
  return set_cookie_header(kSessionCookie, token, a);
}

std::string SessionManager::clear_session_cookie() const {
  CookieAttributes a;
  a.path = "/";
  a.max_age = 0;
  a.secure = settings_.cookie_secure;
  return set_cookie_header(kSessionCookie, "", a);
}

}  // namespace mentoring::web
