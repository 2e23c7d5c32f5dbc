// SOCI implementation of core::LtiLaunchStore: the one-time values of an LTI
// launch. Each "consume" is a single UPDATE ... WHERE used_at = 0 RETURNING,
// so two instances (or threads) racing for the same value cannot both win:
// PostgreSQL re-checks the WHERE clause after the row lock, and SQLite's
// BEGIN IMMEDIATE serialises the writers.
#include "storage/soci_stores.h"

namespace mentoring::storage {
using core::Result;
using core::Status;

namespace {

constexpr const char* kStateColumns = "id, state, nonce, platformid, target_link_uri, storage_target, expires_at, used_at";

void bind(soci::details::prepare_temp_type& p, core::LoginState& s) {
  p, soci::into(s.id), soci::into(s.state), soci::into(s.nonce), soci::into(s.platformid),
      soci::into(s.target_link_uri), soci::into(s.storage_target), soci::into(s.expires_at), soci::into(s.used_at);
}

}  // namespace

Status SociLtiLaunchStore::create_login_state(const core::LoginStateInput& in, core::UnixSeconds now) {
  if (in.state.empty() || in.state.size() > 128 || in.nonce.empty() || in.nonce.size() > 128)
    return Status::invalid("login_state_invalid", "A login state and nonce must be 1 to 128 characters.");
  return guarded(tx_, "saving an LTI login state", [&]() -> Status {
    tx_.sql << "INSERT INTO " + tx_.table("lti_login_states") +
                   " (state, nonce, platformid, target_link_uri, storage_target, expires_at, used_at, timecreated,"
                   " timemodified) VALUES (:s, :n, :p, :t, :st, :e, 0, :tc, :tm)",
        soci::use(in.state), soci::use(in.nonce), soci::use(in.platformid), soci::use(in.target_link_uri),
        soci::use(in.storage_target), soci::use(in.expires_at), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<std::optional<core::LoginState>> SociLtiLaunchStore::find_login_state(const std::string& state) {
  return guarded(tx_, "reading an LTI login state", [&]() -> Result<std::optional<core::LoginState>> {
    core::LoginState s;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kStateColumns + " FROM " + tx_.table("lti_login_states") +
                                " WHERE state = :s",
         soci::use(state));
    bind(p, s);
    if (!fetch_one(p)) return std::optional<core::LoginState>();
    return std::optional<core::LoginState>(s);
  });
}

Result<core::ConsumedLoginState> SociLtiLaunchStore::consume_login_state(const std::string& state,
                                                                          core::UnixSeconds now) {
  auto consumed = guarded(tx_, "consuming an LTI login state", [&]() -> Result<core::ConsumedLoginState> {
    core::ConsumedLoginState out;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("lti_login_states") +
                                " SET used_at = :u, timemodified = :tm WHERE state = :s AND used_at = 0"
                                " AND expires_at > :now RETURNING " + kStateColumns,
         soci::use(now), soci::use(now), soci::use(state), soci::use(now));
    bind(p, out.state);
    if (fetch_one(p)) out.outcome = core::OneTimeOutcome::kConsumed;
    return out;
  });
  if (!consumed || consumed->outcome == core::OneTimeOutcome::kConsumed) return consumed;
  auto found = find_login_state(state);
  if (!found) return found.status();
  core::ConsumedLoginState out;
  if (!found->has_value()) return out;
  out.state = **found;
  out.outcome = out.state.used_at != 0 ? core::OneTimeOutcome::kAlreadyUsed : core::OneTimeOutcome::kExpired;
  return out;
}

Status SociLtiLaunchStore::record_nonce(std::int64_t platformid, const std::string& nonce,
                                        core::UnixSeconds expires_at, core::UnixSeconds now) {
  if (nonce.empty() || nonce.size() > 128)
    return Status::invalid("lti_nonce_invalid", "A nonce must be 1 to 128 characters.");
  return guarded(tx_, "recording an LTI nonce", [&]() -> Status {
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("lti_nonces") +
                                " (platformid, nonce, expires_at, timecreated, timemodified) VALUES (:p, :n, :e, :tc,"
                                " :tm) ON CONFLICT (platformid, nonce) DO NOTHING RETURNING id",
         soci::use(platformid), soci::use(nonce), soci::use(expires_at), soci::use(now), soci::use(now),
         soci::into(id));
    if (!fetch_one(p))
      return Status::already_exists("lti_nonce_replayed", "This launch's nonce was used before: the launch is a replay.");
    return Status::ok();
  });
}

Status SociLtiLaunchStore::create_handoff(const std::string& token_hash, std::int64_t sessionid,
                                          core::UnixSeconds expires_at, core::UnixSeconds now) {
  return guarded(tx_, "saving a handoff token", [&]() -> Status {
    tx_.sql << "INSERT INTO " + tx_.table("lti_handoffs") +
                   " (token_hash, sessionid, expires_at, used_at, timecreated, timemodified)"
                   " VALUES (:h, :s, :e, 0, :tc, :tm)",
        soci::use(token_hash), soci::use(sessionid), soci::use(expires_at), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<core::ConsumedHandoff> SociLtiLaunchStore::consume_handoff(const std::string& token_hash,
                                                                   core::UnixSeconds now) {
  return guarded(tx_, "consuming a handoff token", [&]() -> Result<core::ConsumedHandoff> {
    core::ConsumedHandoff out;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("lti_handoffs") +
                                " SET used_at = :u, timemodified = :tm WHERE token_hash = :h AND used_at = 0"
                                " AND expires_at > :now RETURNING sessionid",
         soci::use(now), soci::use(now), soci::use(token_hash), soci::use(now), soci::into(out.sessionid));
    if (fetch_one(p)) {
      out.outcome = core::OneTimeOutcome::kConsumed;
      return out;
    }
    std::int64_t used_at = 0;
    soci::details::prepare_temp_type q =
        (tx_.sql.prepare << "SELECT used_at FROM " + tx_.table("lti_handoffs") + " WHERE token_hash = :h",
         soci::use(token_hash), soci::into(used_at));
    if (!fetch_one(q)) return out;
    out.outcome = used_at != 0 ? core::OneTimeOutcome::kAlreadyUsed : core::OneTimeOutcome::kExpired;
    return out;
  });
}

Result<std::int64_t> SociLtiLaunchStore::purge_expired(core::UnixSeconds now) {
  return guarded(tx_, "removing expired LTI values", [&]() -> Result<std::int64_t> {
    std::int64_t total = 0;
    for (const char* table : {"lti_login_states", "lti_nonces", "lti_handoffs", "lti_deep_links"}) {
      soci::statement st = (tx_.sql.prepare << "DELETE FROM " + tx_.table(table) + " WHERE expires_at <= :now",
                            soci::use(now));
      st.execute(true);
      total += static_cast<std::int64_t>(st.get_affected_rows());
    }
    // Sessions past their absolute end that no live handoff points at.
    soci::statement st = (tx_.sql.prepare << "DELETE FROM " + tx_.table("sessions") +
                                                 " WHERE expires_at <= :now AND id NOT IN (SELECT sessionid FROM " +
                                                 tx_.table("lti_handoffs") + ")",
                          soci::use(now));
    st.execute(true);
    total += static_cast<std::int64_t>(st.get_affected_rows());
    return total;
  });
}

}  // namespace mentoring::storage
