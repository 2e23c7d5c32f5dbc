// SOCI implementation of core::SessionStore. Rows are found by the SHA-256 of
// the cookie's value; the value itself is never stored.
#include <algorithm>
#include <sstream>

#include "storage/soci_stores.h"

namespace mentoring::storage {
using core::Result;
using core::Status;

namespace {

constexpr const char* kColumns =
    "id, accountid, deploymentid, contextid, schemeid, capabilities, csrf_token, last_seen_at, expires_at, timecreated";

struct Row {
  core::Session s;
  std::int64_t contextid = 0, schemeid = 0;
  soci::indicator context_ind = soci::i_null, scheme_ind = soci::i_null;
  std::string capabilities;
};

void bind(soci::details::prepare_temp_type& p, Row& r) {
  p, soci::into(r.s.id), soci::into(r.s.accountid), soci::into(r.s.deploymentid),
      soci::into(r.contextid, r.context_ind), soci::into(r.schemeid, r.scheme_ind), soci::into(r.capabilities),
      soci::into(r.s.csrf_token), soci::into(r.s.last_seen_at), soci::into(r.s.expires_at),
      soci::into(r.s.timecreated);
}

core::Session to_session(const Row& r) {
  core::Session s = r.s;
  if (r.context_ind == soci::i_ok) s.contextid = r.contextid;
  if (r.scheme_ind == soci::i_ok) s.schemeid = r.schemeid;
  std::istringstream in(r.capabilities);
  for (std::string c; in >> c;) s.capabilities.push_back(c);
  std::sort(s.capabilities.begin(), s.capabilities.end());
  return s;
}

}  // namespace

Result<core::Session> SociSessionStore::create(const core::SessionInput& in, core::UnixSeconds now) {
  if (in.token_hash.size() != 64)
    return Status::invalid("session_token_hash_invalid", "A session token hash must be 64 hex characters.");
  if (in.csrf_token.empty() || in.csrf_token.size() > 64)
    return Status::invalid("session_csrf_invalid", "A session's CSRF token must be 1 to 64 characters.");
  std::vector<std::string> caps = in.capabilities;
  std::sort(caps.begin(), caps.end());
  caps.erase(std::unique(caps.begin(), caps.end()), caps.end());
  std::string joined;
  for (const auto& c : caps) {
    if (c.empty() || c.find(' ') != std::string::npos)
      return Status::invalid("capability_invalid", "A capability name must not be empty or contain spaces.");
    joined += (joined.empty() ? "" : " ") + c;
  }
  return guarded(tx_, "creating a session", [&]() -> Result<core::Session> {
    Row r;
    std::int64_t contextid = in.contextid.value_or(0), schemeid = in.schemeid.value_or(0);
    soci::indicator cind = in.contextid ? soci::i_ok : soci::i_null;
    soci::indicator sind = in.schemeid ? soci::i_ok : soci::i_null;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("sessions") +
                                " (token_hash, accountid, deploymentid, contextid, schemeid, capabilities, csrf_token,"
                                " last_seen_at, expires_at, timecreated, timemodified) VALUES (:h, :a, :d, :c, :s,"
                                " :caps, :csrf, :seen, :e, :tc, :tm) RETURNING " + kColumns,
         soci::use(in.token_hash), soci::use(in.accountid), soci::use(in.deploymentid), soci::use(contextid, cind),
         soci::use(schemeid, sind), soci::use(joined), soci::use(in.csrf_token), soci::use(now),
         soci::use(in.expires_at), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Creating a session returned no row.");
    return to_session(r);
  });
}

Result<std::optional<core::Session>> SociSessionStore::touch(const std::string& token_hash, core::UnixSeconds now,
                                                             std::int64_t idle_timeout) {
  return guarded(tx_, "reading a session", [&]() -> Result<std::optional<core::Session>> {
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("sessions") +
                                " WHERE token_hash = :h",
         soci::use(token_hash));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<core::Session>();
    if (r.s.expires_at <= now || r.s.last_seen_at + idle_timeout <= now) {
      // An ended session is removed at once, so a stolen cookie is worth
      // nothing afterwards whatever the clock does.
      tx_.sql << "DELETE FROM " + tx_.table("lti_handoffs") + " WHERE sessionid = :id", soci::use(r.s.id);
      tx_.sql << "DELETE FROM " + tx_.table("sessions") + " WHERE id = :id", soci::use(r.s.id);
      return std::optional<core::Session>();
    }
    tx_.sql << "UPDATE " + tx_.table("sessions") + " SET last_seen_at = :n, timemodified = :tm WHERE id = :id",
        soci::use(now), soci::use(now), soci::use(r.s.id);
    r.s.last_seen_at = now;
    return std::optional<core::Session>(to_session(r));
  });
}

Result<std::optional<core::Session>> SociSessionStore::find(std::int64_t id) {
  return guarded(tx_, "reading a session", [&]() -> Result<std::optional<core::Session>> {
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("sessions") + " WHERE id = :id",
         soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<core::Session>();
    return std::optional<core::Session>(to_session(r));
  });
}

Result<std::optional<core::Session>> SociSessionStore::find_by_token(const std::string& token_hash) {
  return guarded(tx_, "reading a session", [&]() -> Result<std::optional<core::Session>> {
    Row r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kColumns + " FROM " + tx_.table("sessions") +
                                " WHERE token_hash = :h",
         soci::use(token_hash));
    bind(p, r);
    if (!fetch_one(p)) return std::optional<core::Session>();
    return std::optional<core::Session>(to_session(r));
  });
}

Status SociSessionStore::remove(const std::string& token_hash) {
  return guarded(tx_, "ending a session", [&]() -> Status {
    tx_.sql << "DELETE FROM " + tx_.table("lti_handoffs") + " WHERE sessionid IN (SELECT id FROM " +
                   tx_.table("sessions") + " WHERE token_hash = :h)",
        soci::use(token_hash);
    tx_.sql << "DELETE FROM " + tx_.table("sessions") + " WHERE token_hash = :h", soci::use(token_hash);
    return Status::ok();
  });
}

Result<std::int64_t> SociSessionStore::count() {
  return guarded(tx_, "counting sessions", [&]() -> Result<std::int64_t> {
    std::int64_t n = 0;
    tx_.sql << "SELECT count(*) FROM " + tx_.table("sessions"), soci::into(n);
    return n;
  });
}

}  // namespace mentoring::storage
