// SOCI implementation of core::LtiStore: platform registrations, deployments,
// role mappings, LTI contexts and the tool's signing keys.
#include <algorithm>

#include "core/lti_capabilities.h"
#include "storage/soci_stores.h"

namespace mentoring::storage {
using core::Result;
using core::Status;

namespace {

Status check_text(const std::string& value, std::size_t max, const char* field, bool required) {
  if (required && value.empty())
    return Status::invalid("field_required", std::string("The field '") + field + "' is required.", field);
  if (value.size() > max)
    return Status::invalid("field_too_long",
                           std::string("The field '") + field + "' is longer than " + std::to_string(max) +
                               " characters.",
                           field);
  return Status::ok();
}

Status validate_platform(const core::LtiPlatformInput& in, const std::vector<std::string>& deployment_ids) {
  MENTORING_RETURN_IF_ERROR(check_text(in.issuer, 1024, "issuer", true));
  MENTORING_RETURN_IF_ERROR(check_text(in.client_id, 255, "client_id", true));
  MENTORING_RETURN_IF_ERROR(check_text(in.auth_login_url, 2048, "auth_login_url", true));
  MENTORING_RETURN_IF_ERROR(check_text(in.auth_token_url, 2048, "auth_token_url", false));
  MENTORING_RETURN_IF_ERROR(check_text(in.jwks_url, 2048, "jwks_url", true));
  MENTORING_RETURN_IF_ERROR(check_text(in.token_audience, 2048, "token_audience", false));
  for (const auto& d : deployment_ids) MENTORING_RETURN_IF_ERROR(check_text(d, 255, "deployment_ids", true));
  return Status::ok();
}

struct ContextRow {
  std::int64_t id = 0, deploymentid = 0, schemeid = 0;
  std::string context_id, label, title;
  soci::indicator scheme_ind = soci::i_null;
};

constexpr const char* kContextColumns = "id, deploymentid, context_id, label, title, schemeid";

void bind(soci::details::prepare_temp_type& p, ContextRow& r) {
  p, soci::into(r.id), soci::into(r.deploymentid), soci::into(r.context_id), soci::into(r.label),
      soci::into(r.title), soci::into(r.schemeid, r.scheme_ind);
}

core::LtiContextLink to_context(const ContextRow& r) {
  core::LtiContextLink c;
  c.id = r.id;
  c.deploymentid = r.deploymentid;
  c.context_id = r.context_id;
  c.label = r.label;
  c.title = r.title;
  if (r.scheme_ind == soci::i_ok) c.schemeid = r.schemeid;
  return c;
}

struct KeyRow {
  std::int64_t id = 0, timecreated = 0;
  std::string kid, pem, status;
};

}  // namespace

Result<std::vector<core::LtiPlatform>> SociLtiStore::platforms_where(const std::string& where,
                                                                     const std::string* text,
                                                                     const std::int64_t* id) {
  return guarded(tx_, "reading LTI platforms", [&]() -> Result<std::vector<core::LtiPlatform>> {
    std::vector<core::LtiPlatform> out;
    core::LtiPlatform p;
    soci::details::prepare_temp_type prep =
        (tx_.sql.prepare << "SELECT id, issuer, client_id, auth_login_url, auth_token_url, jwks_url, token_audience,"
                            " timecreated, timemodified FROM " + tx_.table("lti_platforms") + where +
                                " ORDER BY id");
    if (text != nullptr) prep, soci::use(*text);
    if (id != nullptr) prep, soci::use(*id);
    prep, soci::into(p.id), soci::into(p.issuer), soci::into(p.client_id), soci::into(p.auth_login_url),
        soci::into(p.auth_token_url), soci::into(p.jwks_url), soci::into(p.token_audience), soci::into(p.timecreated),
        soci::into(p.timemodified);
    soci::statement st(prep);
    st.execute();
    while (st.fetch()) out.push_back(p);
    for (auto& platform : out) {
      std::string d;
      soci::statement ds = (tx_.sql.prepare << "SELECT deployment_id FROM " + tx_.table("lti_deployments") +
                                                   " WHERE platformid = :p ORDER BY deployment_id",
                            soci::use(platform.id), soci::into(d));
      ds.execute();
      while (ds.fetch()) platform.deployment_ids.push_back(d);
    }
    return out;
  });
}

Result<core::LtiPlatform> SociLtiStore::upsert_platform(const core::LtiPlatformInput& in,
                                                        const std::vector<std::string>& deployment_ids,
                                                        core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(validate_platform(in, deployment_ids));
  auto id = guarded(tx_, "saving an LTI platform", [&]() -> Result<std::int64_t> {
    std::int64_t id = 0;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("lti_platforms") +
                                " (issuer, client_id, auth_login_url, auth_token_url, jwks_url, token_audience,"
                                " timecreated, timemodified) VALUES (:iss, :cid, :login, :token, :jwks, :aud, :tc, :tm)"
                                " ON CONFLICT (issuer, client_id) DO UPDATE SET auth_login_url = excluded.auth_login_url,"
                                " auth_token_url = excluded.auth_token_url, jwks_url = excluded.jwks_url,"
                                " token_audience = excluded.token_audience, timemodified = excluded.timemodified"
                                " RETURNING id",
         soci::use(in.issuer), soci::use(in.client_id), soci::use(in.auth_login_url), soci::use(in.auth_token_url),
         soci::use(in.jwks_url), soci::use(in.token_audience), soci::use(now), soci::use(now), soci::into(id));
    if (!fetch_one(p)) return Status::internal("upsert_returned_nothing", "Saving an LTI platform returned no row.");
    for (const auto& d : deployment_ids) {
      tx_.sql << "INSERT INTO " + tx_.table("lti_deployments") +
                     " (platformid, deployment_id, timecreated, timemodified) VALUES (:p, :d, :tc, :tm)"
                     " ON CONFLICT (platformid, deployment_id) DO NOTHING",
          soci::use(id), soci::use(d), soci::use(now), soci::use(now);
    }
    return id;
  });
  if (!id) return id.status();
  auto found = find_platform(*id);
  if (!found) return found.status();
  if (!found->has_value()) return Status::internal("upsert_returned_nothing", "The saved LTI platform is missing.");
  return std::move(**found);
}

Result<std::vector<core::LtiPlatform>> SociLtiStore::find_platforms(const std::string& issuer) {
  return platforms_where(" WHERE issuer = :iss", &issuer, nullptr);
}

Result<std::optional<core::LtiPlatform>> SociLtiStore::find_platform(std::int64_t id) {
  auto rows = platforms_where(" WHERE id = :id", nullptr, &id);
  if (!rows) return rows.status();
  if (rows->empty()) return std::optional<core::LtiPlatform>();
  return std::optional<core::LtiPlatform>(std::move(rows->front()));
}

Result<std::vector<core::LtiPlatform>> SociLtiStore::list_platforms() { return platforms_where("", nullptr, nullptr); }

Result<std::optional<core::LtiDeployment>> SociLtiStore::find_deployment(std::int64_t platformid,
                                                                         const std::string& deployment_id) {
  return guarded(tx_, "reading an LTI deployment", [&]() -> Result<std::optional<core::LtiDeployment>> {
    core::LtiDeployment d;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "SELECT id, platformid, deployment_id FROM " + tx_.table("lti_deployments") +
                                " WHERE platformid = :p AND deployment_id = :d",
         soci::use(platformid), soci::use(deployment_id), soci::into(d.id), soci::into(d.platformid),
         soci::into(d.deployment_id));
    if (!fetch_one(p)) return std::optional<core::LtiDeployment>();
    return std::optional<core::LtiDeployment>(d);
  });
}

Result<std::vector<core::RoleMapping>> SociLtiStore::role_mappings(std::int64_t deploymentid) {
  return guarded(tx_, "reading LTI role mappings", [&]() -> Result<std::vector<core::RoleMapping>> {
    std::vector<core::RoleMapping> out;
    core::RoleMapping m;
    soci::statement st = (tx_.sql.prepare << "SELECT id, deploymentid, lti_role, capability FROM " +
                                                 tx_.table("lti_role_mappings") +
                                                 " WHERE deploymentid = :d ORDER BY id",
                          soci::use(deploymentid), soci::into(m.id), soci::into(m.deploymentid),
                          soci::into(m.lti_role), soci::into(m.capability));
    st.execute();
    while (st.fetch()) out.push_back(m);
    return out;
  });
}

Result<core::RoleMapping> SociLtiStore::add_role_mapping(std::int64_t deploymentid, const std::string& lti_role,
                                                         const std::string& capability, core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(check_text(lti_role, 255, "lti_role", true));
  if (!core::capability::is_valid_capability(capability))
    return Status::invalid("capability_invalid", "The capability must look like mentoring/area:action.", "capability");
  return guarded(tx_, "saving an LTI role mapping", [&]() -> Result<core::RoleMapping> {
    core::RoleMapping m;
    m.deploymentid = deploymentid;
    m.lti_role = lti_role;
    m.capability = capability;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("lti_role_mappings") +
                                " (deploymentid, lti_role, capability, timecreated, timemodified)"
                                " VALUES (:d, :r, :c, :tc, :tm) ON CONFLICT (deploymentid, lti_role, capability)"
                                " DO NOTHING RETURNING id",
         soci::use(deploymentid), soci::use(lti_role), soci::use(capability), soci::use(now), soci::use(now),
         soci::into(m.id));
    if (!fetch_one(p))
      return Status::already_exists("role_mapping_exists", "That role already has that capability in this deployment.");
    return m;
  });
}

Result<core::LtiContextLink> SociLtiStore::upsert_context(std::int64_t deploymentid, const std::string& context_id,
                                                          const std::string& label, const std::string& title,
                                                          core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(check_text(context_id, 255, "context_id", true));
  // Labels and titles are display text from the platform: cut, not refused.
  const std::string l = label.substr(0, 255), t = title.substr(0, 255);
  return guarded(tx_, "saving an LTI context", [&]() -> Result<core::LtiContextLink> {
    ContextRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("lti_contexts") +
                                " (deploymentid, context_id, label, title, timecreated, timemodified)"
                                " VALUES (:d, :c, :l, :t, :tc, :tm) ON CONFLICT (deploymentid, context_id) DO UPDATE"
                                " SET label = excluded.label, title = excluded.title,"
                                " timemodified = excluded.timemodified RETURNING " + kContextColumns,
         soci::use(deploymentid), soci::use(context_id), soci::use(l), soci::use(t), soci::use(now), soci::use(now));
    bind(p, r);
    if (!fetch_one(p)) return Status::internal("upsert_returned_nothing", "Saving an LTI context returned no row.");
    return to_context(r);
  });
}

Result<std::vector<core::LtiContextLink>> SociLtiStore::list_contexts() {
  return guarded(tx_, "reading LTI contexts", [&]() -> Result<std::vector<core::LtiContextLink>> {
    std::vector<core::LtiContextLink> out;
    ContextRow r;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << std::string("SELECT ") + kContextColumns + " FROM " + tx_.table("lti_contexts") +
                                " ORDER BY id");
    bind(p, r);
    soci::statement st(p);
    st.execute();
    while (st.fetch()) out.push_back(to_context(r));
    return out;
  });
}

Result<core::LtiContextLink> SociLtiStore::link_context(std::int64_t id, std::optional<std::int64_t> schemeid,
                                                        core::UnixSeconds now) {
  return guarded(tx_, "linking an LTI context to a scheme", [&]() -> Result<core::LtiContextLink> {
    ContextRow r;
    std::int64_t scheme_value = schemeid.value_or(0);
    soci::indicator ind = schemeid ? soci::i_ok : soci::i_null;
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "UPDATE " + tx_.table("lti_contexts") +
                                " SET schemeid = :s, timemodified = :tm WHERE id = :id RETURNING " + kContextColumns,
         soci::use(scheme_value, ind), soci::use(now), soci::use(id));
    bind(p, r);
    if (!fetch_one(p)) return Status::not_found("lti_context_not_found", "There is no LTI context with that id.");
    return to_context(r);
  });
}

Result<std::optional<core::LtiContextLink>> SociLtiStore::link_context_if_unlinked(std::int64_t id,
                                                                                   std::int64_t schemeid,
                                                                                   core::UnixSeconds now) {
  return guarded(tx_, "linking an unlinked LTI context to a scheme",
                 [&]() -> Result<std::optional<core::LtiContextLink>> {
                   ContextRow r;
                   soci::details::prepare_temp_type p =
                       (tx_.sql.prepare << "UPDATE " + tx_.table("lti_contexts") +
                                               " SET schemeid = :s, timemodified = :tm WHERE id = :id AND schemeid IS "
                                               "NULL RETURNING " + kContextColumns,
                        soci::use(schemeid), soci::use(now), soci::use(id));
                   bind(p, r);
                   if (fetch_one(p)) return std::optional<core::LtiContextLink>(to_context(r));
                   std::int64_t found = 0;
                   tx_.sql << "SELECT count(*) FROM " + tx_.table("lti_contexts") + " WHERE id = :id", soci::use(id),
                       soci::into(found);
                   if (found == 0)
                     return Status::not_found("lti_context_not_found", "There is no LTI context with that id.");
                   return std::optional<core::LtiContextLink>();
                 });
}

Result<std::vector<core::ToolKey>> SociLtiStore::tool_keys(bool include_retired) {
  return guarded(tx_, "reading the tool's keys", [&]() -> Result<std::vector<core::ToolKey>> {
    std::vector<core::ToolKey> out;
    KeyRow r;
    soci::statement st = (tx_.sql.prepare << "SELECT id, kid, private_key_pem, status, timecreated FROM " +
                                                 tx_.table("lti_tool_keys") +
                                                 (include_retired ? "" : " WHERE status <> 'retired'") +
                                                 " ORDER BY id DESC",
                          soci::into(r.id), soci::into(r.kid), soci::into(r.pem), soci::into(r.status),
                          soci::into(r.timecreated));
    st.execute();
    while (st.fetch()) {
      core::ToolKey k;
      k.id = r.id;
      k.kid = r.kid;
      k.private_key_pem = r.pem;
      k.timecreated = r.timecreated;
      if (!core::parse_tool_key_status(r.status, k.status))
        return stored_value_invalid(tx_.table("lti_tool_keys"), "status", r.status);
      out.push_back(std::move(k));
    }
    return out;
  });
}

Result<core::ToolKey> SociLtiStore::add_tool_key(const std::string& kid, const std::string& private_key_pem,
                                                 core::ToolKeyStatus status, core::UnixSeconds now) {
  MENTORING_RETURN_IF_ERROR(check_text(kid, 64, "kid", true));
  return guarded(tx_, "saving a tool key", [&]() -> Result<core::ToolKey> {
    core::ToolKey k;
    k.kid = kid;
    k.private_key_pem = private_key_pem;
    k.status = status;
    k.timecreated = now;
    const std::string s = core::tool_key_status_name(status);
    soci::details::prepare_temp_type p =
        (tx_.sql.prepare << "INSERT INTO " + tx_.table("lti_tool_keys") +
                                " (kid, private_key_pem, status, timecreated, timemodified)"
                                " VALUES (:k, :pem, :s, :tc, :tm) RETURNING id",
         soci::use(kid), soci::use(private_key_pem), soci::use(s), soci::use(now), soci::use(now), soci::into(k.id));
    if (!fetch_one(p)) return Status::internal("insert_returned_nothing", "Saving a tool key returned no row.");
    return k;
  });
}

Result<std::int64_t> SociLtiStore::demote_active_key(core::UnixSeconds now) {
  return guarded(tx_, "demoting the tool's active key", [&]() -> Result<std::int64_t> {
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("lti_tool_keys") +
                                                 " SET status = 'previous', timemodified = :tm WHERE status = 'active'",
                          soci::use(now));
    st.execute(true);
    return static_cast<std::int64_t>(st.get_affected_rows());
  });
}

Result<std::int64_t> SociLtiStore::retire_previous_keys(core::UnixSeconds now) {
  return guarded(tx_, "retiring the tool's previous keys", [&]() -> Result<std::int64_t> {
    soci::statement st = (tx_.sql.prepare << "UPDATE " + tx_.table("lti_tool_keys") +
                                                 " SET status = 'retired', timemodified = :tm WHERE status = 'previous'",
                          soci::use(now));
    st.execute(true);
    return static_cast<std::int64_t>(st.get_affected_rows());
  });
}

}  // namespace mentoring::storage
