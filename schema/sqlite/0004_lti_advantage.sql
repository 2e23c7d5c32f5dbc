-- 0004 LTI Advantage (SQLite): the service endpoints a launch announced for
-- its context (Names and Role Provisioning, Assignment and Grade Services),
-- the roster fetched from the platform, the line items created for scheme
-- milestones, pending Deep Linking requests, and which deployments accept
-- Deep Linking.
-- A landed step is never edited: change the schema with a new, higher step.
-- Instants are Unix seconds (UTC).

-- 1 when the deployment accepts LtiDeepLinkingRequest launches.
ALTER TABLE {prefix}lti_deployments ADD COLUMN deep_linking INTEGER NOT NULL DEFAULT 0;

CREATE TABLE {prefix}lti_context_services (
  id INTEGER PRIMARY KEY,
  contextid BIGINT NOT NULL,
  nrps_url VARCHAR(2048) NOT NULL DEFAULT '',
  ags_lineitems_url VARCHAR(2048) NOT NULL DEFAULT '',
  ags_lineitem_url VARCHAR(2048) NOT NULL DEFAULT '',
  ags_scopes TEXT NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_context_services_contextid FOREIGN KEY (contextid) REFERENCES {prefix}lti_contexts (id),
  CONSTRAINT uq_{prefix}lti_context_services_context UNIQUE (contextid)
);

CREATE TABLE {prefix}lti_roster (
  id INTEGER PRIMARY KEY,
  contextid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  roles TEXT NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL,
  timeseen BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_roster_contextid FOREIGN KEY (contextid) REFERENCES {prefix}lti_contexts (id),
  CONSTRAINT fk_{prefix}lti_roster_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}lti_roster_member UNIQUE (contextid, accountid),
  CONSTRAINT ck_{prefix}lti_roster_status CHECK (status IN ('Active', 'Inactive', 'Deleted'))
);

CREATE INDEX ix_{prefix}lti_roster_accountid ON {prefix}lti_roster (accountid);

CREATE TABLE {prefix}lti_line_items (
  id INTEGER PRIMARY KEY,
  contextid BIGINT NOT NULL,
  milestone VARCHAR(64) NOT NULL,
  lineitem_url VARCHAR(2048) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}lti_line_items_contextid FOREIGN KEY (contextid) REFERENCES {prefix}lti_contexts (id),
  CONSTRAINT uq_{prefix}lti_line_items_milestone UNIQUE (contextid, milestone)
);

CREATE TABLE {prefix}lti_deep_links (
  id INTEGER PRIMARY KEY,
  token_hash CHAR(64) NOT NULL,
  accountid BIGINT NOT NULL,
  deploymentid BIGINT NOT NULL,
  return_url VARCHAR(2048) NOT NULL,
  data TEXT NOT NULL DEFAULT '',
  has_data INTEGER NOT NULL DEFAULT 0,
  expires_at BIGINT NOT NULL,
  used_at BIGINT NOT NULL DEFAULT 0,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}lti_deep_links_token UNIQUE (token_hash),
  CONSTRAINT fk_{prefix}lti_deep_links_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}lti_deep_links_deploymentid FOREIGN KEY (deploymentid)
    REFERENCES {prefix}lti_deployments (id)
);

CREATE INDEX ix_{prefix}lti_deep_links_expires ON {prefix}lti_deep_links (expires_at);
