-- 0002 LTI (SQLite): platform registrations, deployments, login states,
-- used nonces, one-time handoff tokens, the tool's own signing keys, role
-- mappings, LTI contexts linked to schemes, and server-side sessions.
-- A landed step is never edited: change the schema with a new, higher step.
-- Instants are Unix seconds (UTC). Secrets that act as bearer tokens
-- (session ids, handoff tokens) are stored as SHA-256 hex, never as sent.

CREATE TABLE {prefix}lti_platforms (
  id INTEGER PRIMARY KEY,
  issuer VARCHAR(1024) NOT NULL,
  client_id VARCHAR(255) NOT NULL,
  auth_login_url VARCHAR(2048) NOT NULL,
  auth_token_url VARCHAR(2048) NOT NULL DEFAULT '',
  jwks_url VARCHAR(2048) NOT NULL,
  token_audience VARCHAR(2048) NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}lti_platforms_client UNIQUE (issuer, client_id)
);

CREATE TABLE {prefix}lti_deployments (
  id INTEGER PRIMARY KEY,
  platformid BIGINT NOT NULL,
  deployment_id VARCHAR(255) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_deployments_platformid FOREIGN KEY (platformid) REFERENCES {prefix}lti_platforms (id),
  CONSTRAINT uq_{prefix}lti_deployments_id UNIQUE (platformid, deployment_id)
);

CREATE TABLE {prefix}lti_login_states (
  id INTEGER PRIMARY KEY,
  state VARCHAR(128) NOT NULL,
  nonce VARCHAR(128) NOT NULL,
  platformid BIGINT NOT NULL,
  target_link_uri VARCHAR(2048) NOT NULL,
  storage_target VARCHAR(255) NOT NULL DEFAULT '',
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_login_states_platformid FOREIGN KEY (platformid) REFERENCES {prefix}lti_platforms (id),
  CONSTRAINT uq_{prefix}lti_login_states_state UNIQUE (state)
);

CREATE INDEX ix_{prefix}lti_login_states_expires ON {prefix}lti_login_states (expires_at);

CREATE TABLE {prefix}lti_nonces (
  id INTEGER PRIMARY KEY,
  platformid BIGINT NOT NULL,
  nonce VARCHAR(128) NOT NULL,
  expires_at BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_nonces_platformid FOREIGN KEY (platformid) REFERENCES {prefix}lti_platforms (id),
  CONSTRAINT uq_{prefix}lti_nonces_nonce UNIQUE (platformid, nonce)
);

CREATE TABLE {prefix}lti_tool_keys (
  id INTEGER PRIMARY KEY,
  kid VARCHAR(64) NOT NULL,
  private_key_pem TEXT NOT NULL,
  status VARCHAR(16) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}lti_tool_keys_kid UNIQUE (kid),
  CONSTRAINT ck_{prefix}lti_tool_keys_status CHECK (status IN ('active', 'previous', 'retired'))
);

-- At most one active key, even when several instances start at once.
CREATE UNIQUE INDEX uq_{prefix}lti_tool_keys_active ON {prefix}lti_tool_keys (status) WHERE status = 'active';

CREATE TABLE {prefix}lti_role_mappings (
  id INTEGER PRIMARY KEY,
  deploymentid BIGINT NOT NULL,
  lti_role VARCHAR(255) NOT NULL,
  capability VARCHAR(100) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_role_mappings_deploymentid FOREIGN KEY (deploymentid)
    REFERENCES {prefix}lti_deployments (id),
  CONSTRAINT uq_{prefix}lti_role_mappings_entry UNIQUE (deploymentid, lti_role, capability)
);

CREATE TABLE {prefix}lti_contexts (
  id INTEGER PRIMARY KEY,
  deploymentid BIGINT NOT NULL,
  context_id VARCHAR(255) NOT NULL,
  label VARCHAR(255) NOT NULL DEFAULT '',
  title VARCHAR(255) NOT NULL DEFAULT '',
  schemeid BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_contexts_deploymentid FOREIGN KEY (deploymentid) REFERENCES {prefix}lti_deployments (id),
  CONSTRAINT fk_{prefix}lti_contexts_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT uq_{prefix}lti_contexts_context UNIQUE (deploymentid, context_id)
);

CREATE TABLE {prefix}sessions (
  id INTEGER PRIMARY KEY,
  token_hash CHAR(64) NOT NULL,
  accountid BIGINT NOT NULL,
  deploymentid BIGINT NOT NULL,
  contextid BIGINT,
  schemeid BIGINT,
  capabilities TEXT NOT NULL DEFAULT '',
  csrf_token VARCHAR(64) NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}sessions_token UNIQUE (token_hash),
  CONSTRAINT fk_{prefix}sessions_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}sessions_deploymentid FOREIGN KEY (deploymentid) REFERENCES {prefix}lti_deployments (id),
  CONSTRAINT fk_{prefix}sessions_contextid FOREIGN KEY (contextid) REFERENCES {prefix}lti_contexts (id),
  CONSTRAINT fk_{prefix}sessions_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id)
);

CREATE INDEX ix_{prefix}sessions_accountid ON {prefix}sessions (accountid);
CREATE INDEX ix_{prefix}sessions_expires ON {prefix}sessions (expires_at);

CREATE TABLE {prefix}lti_handoffs (
  id INTEGER PRIMARY KEY,
  token_hash CHAR(64) NOT NULL,
  sessionid BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}lti_handoffs_token UNIQUE (token_hash),
  CONSTRAINT fk_{prefix}lti_handoffs_sessionid FOREIGN KEY (sessionid) REFERENCES {prefix}sessions (id)
);
