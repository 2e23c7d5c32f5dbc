// SOCI implementation of core::LtiAdvantageStore: service endpoints per LTI
// context, rosters from Names and Role Provisioning, line items of
// Assignment and Grade Services, and pending Deep Linking requests.
#include <algorithm>
#include <sstream>

#include "storage/lti_advantage_soci_store.h"

namespace mentoring::storage {
using core::Result;
using core::Status;

namespace {

constexpr std::size_t kMaxUrl = 2048;

Status check_url_length(const std::string& value, const char* field) {
  if (value.size() > kMaxUrl)
    return Status::invalid("field_too_long", std::string("The field '") + field + "' is longer than 2048 characters.",
                           field);
  return Status::ok();
}

// Role URIs and scopes never contain spaces, so a space separates them.
std::string join_words(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

std::vector<std::string> split_words(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string w;
  while (in >> w) out.push_back(w);
  return out;
}

}  // namespace

Result<std::optional<core::LtiContextTarget>> SociLtiAdvantageStore::find_context_target(std::int64_t contextid) {
  return guarded(tx_, "reading an LTI context", [&]() -> Result<std::optional<core::LtiContextTarget>> {
    core::LtiContextTarget t;
    std::int64_t schemeid = 0;
    soci::indicator scheme_ind = soci::i_null;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT c.id, c.deploymentid, c.context_id, c.label, c.title, c.schemeid,"
                            " d.platformid, d.deployment_id, p.issuer, p.client_id, p.auth_login_url,"
                            " p.auth_token_url, p.jwks_url, p.token_audience, p.timecreated, p.timemodified FROM " +
                                tx_.table("lti_contexts") + " c JOIN " + tx_.table("lti_deployments") +
                                " d ON d.id = c.deploymentid JOIN " + tx_.table("lti_platforms") +
                                " p ON p.id = d.platformid WHERE c.id = :id",
         soci::use(contextid), soci::into(t.context.id), soci::into(t.context.deploymentid),
         soci::into(t.context.context_id), soci::into(t.context.label), soci::into(t.context.title),
         soci::into(schemeid, scheme_ind), soci::into(t.deployment.platformid), soci::into(t.deployment.deployment_id),
         soci::into(t.platform.issuer), soci::into(t.platform.client_id), soci::into(t.platform.auth_login_url),
         soci::into(t.platform.auth_token_url), soci::into(t.platform.jwks_url), soci::into(t.platform.token_audience),
         soci::into(t.platform.timecreated), soci::into(t.platform.timemodified));
    if (!fetch_one(p)) return std::optional<core::LtiContextTarget>();
    if (scheme_ind == soci::i_ok) t.context.schemeid = schemeid;
    t.deployment.id = t.context.deploymentid;
    t.platform.id = t.deployment.platformid;
    std::string d;
    soci::statement ds = (tx_.sql.prepare << "SELECT deployment_id FROM " + tx_.table("lti_deployments") +
                                                 " WHERE platformid = :p ORDER BY deployment_id",
                          soci::use(t.platform.id), soci::into(d));
    ds.execute();
    while (ds.fetch()) t.platform.deployment_ids.push_back(d);
    return std::optional<core::LtiContextTarget>(std::move(t));
  });
}

Status SociLtiAdvantageStore::save_context_services(const core::LtiContextServices& in, core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(check_url_length(in.nrps_url, "nrps_url"));
  MENTORING_RETURN_IF_ERROR(check_url_length(in.ags_lineitems_url, "ags_lineitems_url"));
  MENTORING_RETURN_IF_ERROR(check_url_length(in.ags_lineitem_url, "ags_lineitem_url"));
  std::vector<std::string> scopes = in.ags_scopes;
  std::sort(scopes.begin(), scopes.end());
  scopes.erase(std::unique(scopes.begin(), scopes.end()), scopes.end());
  const std::string joined = join_words(scopes);
  return guarded(tx_, "saving an LTI context's services", [&]() -> Status {
    tx_.sql << "INSERT INTO " + tx_.table("lti_context_services") +
                   " (contextid, nrps_url, ags_lineitems_url, ags_lineitem_url, ags_scopes, timecreated, timemodified)"
                   " VALUES (:c, :n, :ls, :l, :s, :tc, :tm) ON CONFLICT (contextid) DO UPDATE SET"
                   " nrps_url = excluded.nrps_url, ags_lineitems_url = excluded.ags_lineitems_url,"
                   " ags_lineitem_url = excluded.ags_lineitem_url, ags_scopes = excluded.ags_scopes,"
                   " timemodified = excluded.timemodified",
        soci::use(in.contextid), soci::use(in.nrps_url), soci::use(in.ags_lineitems_url),
        soci::use(in.ags_lineitem_url), soci::use(joined), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<std::optional<core::LtiContextServices>> SociLtiAdvantageStore::find_context_services(std::int64_t contextid) {
  return guarded(tx_, "reading an LTI context's services", [&]() -> Result<std::optional<core::LtiContextServices>> {
    core::LtiContextServices s;
    std::string scopes;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT contextid, nrps_url, ags_lineitems_url, ags_lineitem_url, ags_scopes FROM " +
                                tx_.table("lti_context_services") + " WHERE contextid = :c",
         soci::use(contextid), soci::into(s.contextid), soci::into(s.nrps_url), soci::into(s.ags_lineitems_url),
         soci::into(s.ags_lineitem_url), soci::into(scopes));
    if (!fetch_one(p)) return std::optional<core::LtiContextServices>();
    s.ags_scopes = split_words(scopes);
    return std::optional<core::LtiContextServices>(std::move(s));
  });
}

Result<core::RosterChange> SociLtiAdvantageStore::upsert_roster_member(std::int64_t contextid, std::int64_t accountid,
                                                                       const std::vector<std::string>& roles,
                                                                       core::RosterStatus status,
                                                                       core::UnixSeconds now) {
  for (const auto& r : roles) {
    if (r.empty() || r.size() > 255 || r.find_first_of(" \t\r\n") != std::string::npos)
      return Status::invalid("roster_role_invalid", "A roster role must be 1 to 255 characters without spaces.",
                             "roles");
  }
  const std::string joined = join_words(roles);
  const std::string status_text = core::roster_status_name(status);
  return guarded(tx_, "saving a roster member", [&]() -> Result<core::RosterChange> {
    std::int64_t id = 0;
    std::string old_roles, old_status;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT id, roles, status FROM " + tx_.table("lti_roster") +
                                " WHERE contextid = :c AND accountid = :a",
         soci::use(contextid), soci::use(accountid), soci::into(id), soci::into(old_roles), soci::into(old_status));
    if (!fetch_one(p)) {
      tx_.sql << "INSERT INTO " + tx_.table("lti_roster") +
                     " (contextid, accountid, roles, status, timeseen, timecreated, timemodified)"
                     " VALUES (:c, :a, :r, :s, :ts, :tc, :tm)",
          soci::use(contextid), soci::use(accountid), soci::use(joined), soci::use(status_text), soci::use(now),
          soci::use(now), soci::use(now);
      return core::RosterChange::kAdded;
    }
    if (old_roles == joined && old_status == status_text) {
      tx_.sql << "UPDATE " + tx_.table("lti_roster") + " SET timeseen = :ts WHERE id = :id", soci::use(now),
          soci::use(id);
      return core::RosterChange::kUnchanged;
    }
    tx_.sql << "UPDATE " + tx_.table("lti_roster") +
                   " SET roles = :r, status = :s, timeseen = :ts, timemodified = :tm WHERE id = :id",
        soci::use(joined), soci::use(status_text), soci::use(now), soci::use(now), soci::use(id);
    return core::RosterChange::kUpdated;
  });
}

Result<std::vector<core::RosterEntry>> SociLtiAdvantageStore::list_roster(std::int64_t contextid) {
  return guarded(tx_, "reading a roster", [&]() -> Result<std::vector<core::RosterEntry>> {
    std::vector<core::RosterEntry> out;
    core::RosterEntry e;
    std::string roles, status;
    soci::statement st =
        (tx_.sql.prepare << "SELECT r.id, r.contextid, r.accountid, r.roles, r.status, r.timeseen, a.subject,"
                            " a.display_name, a.email FROM " +
                                tx_.table("lti_roster") + " r JOIN " + tx_.table("accounts") +
                                " a ON a.id = r.accountid WHERE r.contextid = :c ORDER BY a.display_name, r.id",
         soci::use(contextid), soci::into(e.id), soci::into(e.contextid), soci::into(e.accountid), soci::into(roles),
         soci::into(status), soci::into(e.timeseen), soci::into(e.subject), soci::into(e.display_name),
         soci::into(e.email));
    st.execute();
    while (st.fetch()) {
      e.roles = split_words(roles);
      if (!core::parse_roster_status(status, e.status)) return stored_value_invalid("lti_roster", "status", status);
      out.push_back(e);
    }
    return out;
  });
}

Result<std::optional<std::string>> SociLtiAdvantageStore::find_line_item(std::int64_t contextid,
                                                                         const std::string& milestone) {
  return guarded(tx_, "reading a line item", [&]() -> Result<std::optional<std::string>> {
    std::string url;
    soci::details::prepare_temp_type p = (tx_.sql.prepare << "SELECT lineitem_url FROM " + tx_.table("lti_line_items") +
                                                                 " WHERE contextid = :c AND milestone = :m",
                                          soci::use(contextid), soci::use(milestone), soci::into(url));
    if (!fetch_one(p)) return std::optional<std::string>();
    return std::optional<std::string>(url);
  });
}

Status SociLtiAdvantageStore::save_line_item(std::int64_t contextid, const std::string& milestone,
                                             const std::string& url, core::UnixSeconds now) {
  if (milestone.empty() || milestone.size() > 64)
    return Status::invalid("field_too_long", "The field 'milestone' must be 1 to 64 characters.", "milestone");
  if (url.empty()) return Status::invalid("field_required", "The field 'lineitem_url' is required.", "lineitem_url");
  MENTORING_RETURN_IF_ERROR(check_url_length(url, "lineitem_url"));
  return guarded(tx_, "saving a line item", [&]() -> Status {
    tx_.sql << "INSERT INTO " + tx_.table("lti_line_items") +
                   " (contextid, milestone, lineitem_url, timecreated, timemodified) VALUES (:c, :m, :u, :tc, :tm)"
                   " ON CONFLICT (contextid, milestone) DO UPDATE SET lineitem_url = excluded.lineitem_url,"
                   " timemodified = excluded.timemodified",
        soci::use(contextid), soci::use(milestone), soci::use(url), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<std::optional<core::LtiDeployment>> SociLtiAdvantageStore::find_deployment_by_id(std::int64_t deploymentid) {
  return guarded(tx_, "reading a deployment", [&]() -> Result<std::optional<core::LtiDeployment>> {
    core::LtiDeployment d;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT id, platformid, deployment_id FROM " + tx_.table("lti_deployments") +
                                " WHERE id = :id",
         soci::use(deploymentid), soci::into(d.id), soci::into(d.platformid), soci::into(d.deployment_id));
    if (!fetch_one(p)) return std::optional<core::LtiDeployment>();
    return std::optional<core::LtiDeployment>(d);
  });
}

Result<bool> SociLtiAdvantageStore::deep_linking_allowed(std::int64_t deploymentid) {
  return guarded(tx_, "reading a deployment", [&]() -> Result<bool> {
    int allowed = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT deep_linking FROM " + tx_.table("lti_deployments") + " WHERE id = :id",
         soci::use(deploymentid), soci::into(allowed));
    if (!fetch_one(p)) return Status::not_found("lti_deployment_not_found", "There is no such deployment.");
    return allowed != 0;
  });
}

Status SociLtiAdvantageStore::set_deep_linking_allowed(std::int64_t deploymentid, bool allowed, core::UnixSeconds now) {
  return guarded(tx_, "updating a deployment", [&]() -> Status {
    const int value = allowed ? 1 : 0;
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("lti_deployments") +
                                                 " SET deep_linking = :v, timemodified = :tm WHERE id = :id",
                          soci::use(value), soci::use(now), soci::use(deploymentid));
    st.execute(true);
    if (st.get_affected_rows() == 0)
      return Status::not_found("lti_deployment_not_found", "There is no such deployment.");
    return Status::ok();
  });
}

Status SociLtiAdvantageStore::create_deep_link_request(const core::DeepLinkRequestInput& in, core::UnixSeconds now) {
  if (in.token_hash.size() != 64)
    return Status::invalid("field_invalid", "The field 'token_hash' must be 64 hexadecimal characters.", "token_hash");
  MENTORING_RETURN_IF_ERROR(check_url_length(in.return_url, "deep_link_return_url"));
  if (in.data && in.data->size() > 4096)
    return Status::invalid("field_too_long", "The field 'data' is longer than 4096 characters.", "data");
  return guarded(tx_, "saving a Deep Linking request", [&]() -> Status {
    const std::string data = in.data.value_or("");
    const int has_data = in.data ? 1 : 0;
    tx_.sql << "INSERT INTO " + tx_.table("lti_deep_links") +
                   " (token_hash, accountid, deploymentid, return_url, data, has_data, expires_at, used_at,"
                   " timecreated, timemodified) VALUES (:h, :a, :d, :u, :data, :hd, :e, 0, :tc, :tm)",
        soci::use(in.token_hash), soci::use(in.accountid), soci::use(in.deploymentid), soci::use(in.return_url),
        soci::use(data), soci::use(has_data), soci::use(in.expires_at), soci::use(now), soci::use(now);
    return Status::ok();
  });
}

Result<std::optional<core::DeepLinkRequest>> SociLtiAdvantageStore::find_deep_link_request(
    const std::string& token_hash) {
  return guarded(tx_, "reading a Deep Linking request", [&]() -> Result<std::optional<core::DeepLinkRequest>> {
    core::DeepLinkRequest r;
    std::string data;
    int has_data = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare
             << "SELECT id, accountid, deploymentid, return_url, data, has_data, expires_at, used_at FROM " +
                    tx_.table("lti_deep_links") + " WHERE token_hash = :h",
         soci::use(token_hash), soci::into(r.id), soci::into(r.accountid), soci::into(r.deploymentid),
         soci::into(r.return_url), soci::into(data), soci::into(has_data), soci::into(r.expires_at),
         soci::into(r.used_at));
    if (!fetch_one(p)) return std::optional<core::DeepLinkRequest>();
    if (has_data != 0) r.data = data;
    return std::optional<core::DeepLinkRequest>(std::move(r));
  });
}

Result<core::OneTimeOutcome> SociLtiAdvantageStore::consume_deep_link_request(const std::string& token_hash,
                                                                              core::UnixSeconds now) {
  auto consumed = guarded(tx_, "consuming a Deep Linking request", [&]() -> Result<bool> {
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("lti_deep_links") +
                                                 " SET used_at = :u, timemodified = :tm WHERE token_hash = :h"
                                                 " AND used_at = 0 AND expires_at > :now",
                          soci::use(now), soci::use(now), soci::use(token_hash), soci::use(now));
    st.execute(true);
    return st.get_affected_rows() == 1;
  });
  if (!consumed) return consumed.status();
  if (*consumed) return core::OneTimeOutcome::kConsumed;
  auto found = find_deep_link_request(token_hash);
  if (!found) return found.status();
  if (!*found) return core::OneTimeOutcome::kUnknown;
  return (*found)->used_at != 0 ? core::OneTimeOutcome::kAlreadyUsed : core::OneTimeOutcome::kExpired;
}

}  // namespace mentoring::storage
