// LTI 1.3 registrations, the login step's state, the tool's keys and
// server-side sessions: their values and their storage ports.
//
// Bearer secrets (session ids, handoff tokens) reach these ports already
// hashed (SHA-256, lower-case hex): the database never holds a value that
// signs someone in. Randomness and hashing are the caller's (adapters/lti).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace mentoring::core {

// A platform (the host portal) as registered with us: one row per
// (issuer, client_id).
struct LtiPlatformInput {
  std::string issuer;          // the platform's "iss", 1..1024 characters
  std::string client_id;       // our client id at that platform, 1..255
  std::string auth_login_url;  // OIDC authorization endpoint
  std::string auth_token_url;  // OAuth 2 token endpoint ("" when not given)
  std::string jwks_url;        // where the platform publishes its keys
  std::string token_audience;  // "aud" of client assertions ("" = auth_token_url)
};

struct LtiPlatform {
  std::int64_t id = 0;
  std::string issuer;
  std::string client_id;
  std::string auth_login_url;
  std::string auth_token_url;
  std::string jwks_url;
  std::string token_audience;
  std::vector<std::string> deployment_ids;  // sorted
  UnixSeconds timecreated = 0;
  UnixSeconds timemodified = 0;
};

struct LtiDeployment {
  std::int64_t id = 0;
  std::int64_t platformid = 0;
  std::string deployment_id;
};

// One OIDC login in flight: created at /lti/login, consumed once at
// /lti/launch.
struct LoginStateInput {
  std::string state;            // random, base64url
  std::string nonce;            // random, base64url
  std::int64_t platformid = 0;
  std::string target_link_uri;  // the one the platform asked for, already checked
  std::string storage_target;   // lti_storage_target when sent, else ""
  UnixSeconds expires_at = 0;
};

struct LoginState {
  std::int64_t id = 0;
  std::string state;
  std::string nonce;
  std::int64_t platformid = 0;
  std::string target_link_uri;
  std::string storage_target;
  UnixSeconds expires_at = 0;
  UnixSeconds used_at = 0;  // 0 while unused
};

// The tool's own RSA signing key. The private key is PKCS#8 PEM, stored
// unencrypted (see docs/lti.md).
enum class ToolKeyStatus { kActive, kPrevious, kRetired };
const char* tool_key_status_name(ToolKeyStatus status);
bool parse_tool_key_status(const std::string& text, ToolKeyStatus& out);

struct ToolKey {
  std::int64_t id = 0;
  std::string kid;
  std::string private_key_pem;
  ToolKeyStatus status = ToolKeyStatus::kActive;
  UnixSeconds timecreated = 0;
};

// An LTI context (course, programme) seen in a launch, and the scheme staff
// linked it to (none until they do).
struct LtiContextLink {
  std::int64_t id = 0;
  std::int64_t deploymentid = 0;
  std::string context_id;
  std::string label;
  std::string title;
  std::optional<std::int64_t> schemeid;
};

// An extra capability given to an LTI role in one deployment, on top of the
// built-in defaults (see adapters/lti/role_mapping.h).
struct RoleMapping {
  std::int64_t id = 0;
  std::int64_t deploymentid = 0;
  std::string lti_role;    // the role URI as the platform sends it
  std::string capability;  // e.g. "mentoring/confidential:view"
};

struct SessionInput {
  std::string token_hash;  // SHA-256 hex of the cookie's value
  std::int64_t accountid = 0;
  std::int64_t deploymentid = 0;
  std::optional<std::int64_t> contextid;
  std::optional<std::int64_t> schemeid;
  std::vector<std::string> capabilities;
  std::string csrf_token;
  UnixSeconds expires_at = 0;  // the absolute limit
};

struct Session {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  std::int64_t deploymentid = 0;
  std::optional<std::int64_t> contextid;
  std::optional<std::int64_t> schemeid;
  std::vector<std::string> capabilities;  // sorted
  std::string csrf_token;
  UnixSeconds last_seen_at = 0;
  UnixSeconds expires_at = 0;
  UnixSeconds timecreated = 0;
};

// Why a one-time value could not be used.
enum class OneTimeOutcome { kConsumed, kUnknown, kExpired, kAlreadyUsed };

struct ConsumedLoginState {
  OneTimeOutcome outcome = OneTimeOutcome::kUnknown;
  LoginState state;  // filled when the row exists
};

struct ConsumedHandoff {
  OneTimeOutcome outcome = OneTimeOutcome::kUnknown;
  std::int64_t sessionid = 0;  // filled when consumed
};

// Registrations, contexts, role mappings and the tool's keys.
class LtiStore {
 public:
  virtual ~LtiStore() = default;
  // Inserts or (same issuer and client_id) updates the platform, and adds
  // each deployment id not yet registered (none is removed). Validates the
  // input: invalid_argument with the field's name.
  virtual Result<LtiPlatform> upsert_platform(const LtiPlatformInput& input,
                                              const std::vector<std::string>& deployment_ids, UnixSeconds now) = 0;
  // Every registration of `issuer` (several client ids are possible).
  virtual Result<std::vector<LtiPlatform>> find_platforms(const std::string& issuer) = 0;
  virtual Result<std::optional<LtiPlatform>> find_platform(std::int64_t id) = 0;
  virtual Result<std::vector<LtiPlatform>> list_platforms() = 0;
  virtual Result<std::optional<LtiDeployment>> find_deployment(std::int64_t platformid,
                                                               const std::string& deployment_id) = 0;

  // The extra capabilities mapped for any of `roles` in the deployment.
  virtual Result<std::vector<RoleMapping>> role_mappings(std::int64_t deploymentid) = 0;
  // AlreadyExists when that exact mapping exists; NotFound (referenced_record_not_found)
  // when the deployment does not.
  virtual Result<RoleMapping> add_role_mapping(std::int64_t deploymentid, const std::string& lti_role,
                                               const std::string& capability, UnixSeconds now) = 0;

  // Records the context (updating label and title); keeps its scheme link.
  virtual Result<LtiContextLink> upsert_context(std::int64_t deploymentid, const std::string& context_id,
                                                const std::string& label, const std::string& title,
                                                UnixSeconds now) = 0;
  virtual Result<std::vector<LtiContextLink>> list_contexts() = 0;
  // NotFound "lti_context_not_found"; a missing scheme is referenced_record_not_found.
  virtual Result<LtiContextLink> link_context(std::int64_t id, std::optional<std::int64_t> schemeid,
                                              UnixSeconds now) = 0;
  // Links the context only while it has no scheme (one conditional update,
  // so a concurrent link is never overwritten); nullopt when it already had
  // one. NotFound as link_context.
  virtual Result<std::optional<LtiContextLink>> link_context_if_unlinked(std::int64_t id, std::int64_t schemeid,
                                                                         UnixSeconds now) = 0;

  // The tool's keys, newest first; `include_retired` adds retired ones.
  virtual Result<std::vector<ToolKey>> tool_keys(bool include_retired) = 0;
  // AlreadyExists (duplicate_record) when another active key exists and
  // `status` is active.
  virtual Result<ToolKey> add_tool_key(const std::string& kid, const std::string& private_key_pem,
                                       ToolKeyStatus status, UnixSeconds now) = 0;
  // Active -> previous; returns how many keys changed.
  virtual Result<std::int64_t> demote_active_key(UnixSeconds now) = 0;
  // Previous -> retired; returns how many keys changed.
  virtual Result<std::int64_t> retire_previous_keys(UnixSeconds now) = 0;
};

// One-time values of the launch: login states, nonces and handoff tokens.
class LtiLaunchStore {
 public:
  virtual ~LtiLaunchStore() = default;
  virtual Status create_login_state(const LoginStateInput& input, UnixSeconds now) = 0;
  // Reads without consuming (for the early, clear errors).
  virtual Result<std::optional<LoginState>> find_login_state(const std::string& state) = 0;
  // Marks the state used if it exists, is unused and not expired, in one
  // statement, so of two concurrent callers exactly one gets kConsumed.
  virtual Result<ConsumedLoginState> consume_login_state(const std::string& state, UnixSeconds now) = 0;
  // Records a nonce as used; AlreadyExists "lti_nonce_replayed" when it was.
  virtual Status record_nonce(std::int64_t platformid, const std::string& nonce, UnixSeconds expires_at,
                              UnixSeconds now) = 0;
  virtual Status create_handoff(const std::string& token_hash, std::int64_t sessionid, UnixSeconds expires_at,
                                UnixSeconds now) = 0;
  virtual Result<ConsumedHandoff> consume_handoff(const std::string& token_hash, UnixSeconds now) = 0;
  // Deletes expired states, nonces and handoffs, and sessions past their
  // absolute expiry; returns rows removed.
  virtual Result<std::int64_t> purge_expired(UnixSeconds now) = 0;
};

class SessionStore {
 public:
  virtual ~SessionStore() = default;
  virtual Result<Session> create(const SessionInput& input, UnixSeconds now) = 0;
  // The session whose token hashes to `token_hash`, if it is not past its
  // absolute expiry and was seen within `idle_timeout` seconds; its
  // last_seen_at is then moved to `now`. Expired sessions are deleted.
  virtual Result<std::optional<Session>> touch(const std::string& token_hash, UnixSeconds now,
                                               std::int64_t idle_timeout) = 0;
  virtual Result<std::optional<Session>> find(std::int64_t id) = 0;
  // The session whose token hashes to `token_hash`, ended or not, without
  // changing anything (for read-only transactions; the caller decides
  // whether it has ended and calls touch() when something must be written).
  virtual Result<std::optional<Session>> find_by_token(const std::string& token_hash) = 0;
  virtual Status remove(const std::string& token_hash) = 0;
  virtual Result<std::int64_t> count() = 0;
};

// ---------------------------------------------------------------------------
// LTI Advantage (schema step 0004)

// The service endpoints a launch announced for its context. Empty strings
// mean "not offered".
struct LtiContextServices {
  std::int64_t contextid = 0;
  std::string nrps_url;                 // NRPS 2.0 context_memberships_url
  std::string ags_lineitems_url;        // AGS 2.0 "lineitems"
  std::string ags_lineitem_url;         // AGS 2.0 "lineitem" (the launch's own), may be empty
  std::vector<std::string> ags_scopes;  // AGS scopes the platform granted, sorted
};

// A context with its deployment and platform: what a service call needs.
struct LtiContextTarget {
  LtiContextLink context;
  LtiDeployment deployment;
  LtiPlatform platform;
};

// Membership status as NRPS 2.0 names it.
enum class RosterStatus { kActive, kInactive, kDeleted };
const char* roster_status_name(RosterStatus status);  // "Active", "Inactive", "Deleted"
bool parse_roster_status(const std::string& text, RosterStatus& out);

struct RosterEntry {
  std::int64_t id = 0;
  std::int64_t contextid = 0;
  std::int64_t accountid = 0;
  std::vector<std::string> roles;  // role URIs as the platform sent them
  RosterStatus status = RosterStatus::kActive;
  UnixSeconds timeseen = 0;
  // From the account, for listings.
  std::string subject;
  std::string display_name;
  std::string email;
};

// What upsert_roster_member did.
enum class RosterChange { kAdded, kUpdated, kUnchanged };

// A Deep Linking request waiting for staff to choose what to place.
struct DeepLinkRequestInput {
  std::string token_hash;  // SHA-256 hex of the one-time token in the page's URL
  std::int64_t accountid = 0;
  std::int64_t deploymentid = 0;
  std::string return_url;
  std::optional<std::string> data;  // echoed back unchanged when present
  UnixSeconds expires_at = 0;
};

struct DeepLinkRequest {
  std::int64_t id = 0;
  std::int64_t accountid = 0;
  std::int64_t deploymentid = 0;
  std::string return_url;
  std::optional<std::string> data;
  UnixSeconds expires_at = 0;
  UnixSeconds used_at = 0;  // 0 while unused
};

// Services of LTI Advantage: endpoints per context, rosters, line items,
// Deep Linking requests and which deployments accept Deep Linking.
class LtiAdvantageStore {
 public:
  virtual ~LtiAdvantageStore() = default;

  // The context with its deployment and platform; nullopt when there is no
  // context `contextid`.
  virtual Result<std::optional<LtiContextTarget>> find_context_target(std::int64_t contextid) = 0;
  // Replaces the context's endpoints. NotFound (referenced_record_not_found)
  // when the context does not exist; invalid_argument for URLs over 2048
  // characters.
  virtual Status save_context_services(const LtiContextServices& services, UnixSeconds now) = 0;
  virtual Result<std::optional<LtiContextServices>> find_context_services(std::int64_t contextid) = 0;

  // Records that the account is a member of the context with these roles
  // and status, seen at `now`.
  virtual Result<RosterChange> upsert_roster_member(std::int64_t contextid, std::int64_t accountid,
                                                    const std::vector<std::string>& roles, RosterStatus status,
                                                    UnixSeconds now) = 0;
  // The context's roster ordered by display name then id.
  virtual Result<std::vector<RosterEntry>> list_roster(std::int64_t contextid) = 0;

  // The line item URL recorded for (context, milestone).
  virtual Result<std::optional<std::string>> find_line_item(std::int64_t contextid, const std::string& milestone) = 0;
  // Records (or replaces) the line item URL for (context, milestone).
  virtual Status save_line_item(std::int64_t contextid, const std::string& milestone, const std::string& url,
                                UnixSeconds now) = 0;

  // The deployment with that row id.
  virtual Result<std::optional<LtiDeployment>> find_deployment_by_id(std::int64_t deploymentid) = 0;
  // Whether the deployment accepts LtiDeepLinkingRequest launches.
  virtual Result<bool> deep_linking_allowed(std::int64_t deploymentid) = 0;
  virtual Status set_deep_linking_allowed(std::int64_t deploymentid, bool allowed, UnixSeconds now) = 0;

  virtual Status create_deep_link_request(const DeepLinkRequestInput& input, UnixSeconds now) = 0;
  // Reads without consuming.
  virtual Result<std::optional<DeepLinkRequest>> find_deep_link_request(const std::string& token_hash) = 0;
  // Marks it used when unused and unexpired, in one statement, so of two
  // concurrent callers exactly one gets kConsumed.
  virtual Result<OneTimeOutcome> consume_deep_link_request(const std::string& token_hash, UnixSeconds now) = 0;
};

}  // namespace mentoring::core
