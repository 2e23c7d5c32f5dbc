-- 0008 audit log and demographic monitoring (SQLite).
--
-- audit_log: who did what to which record, written in the same transaction
-- as the change it records. Summaries never hold personal data; actorid is
-- NULL when the host's back end (the service token) acted. There is no
-- foreign key on actorid or entityid: the log outlives what it describes.
--
-- demographics: optional equity-of-access monitoring answers, one row per
-- account, the whole answer set encrypted with AES-256-GCM (hex text: a
-- 12-byte IV and the ciphertext followed by its 16-byte tag). key_version
-- names the key that encrypted the row; the AAD binds the row to accountid
-- and key_version, so a row copied to another account does not decrypt.
--
-- account_gmc: GMC reference numbers given in bulk imports, so a re-import
-- can find the account again by that number.

CREATE TABLE {prefix}audit_log (
  id INTEGER PRIMARY KEY,
  actorid BIGINT,
  action VARCHAR(32) NOT NULL,
  entity_type VARCHAR(40) NOT NULL,
  entityid BIGINT NOT NULL,
  summary VARCHAR(500) NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT ck_{prefix}audit_log_action CHECK (action IN ('create', 'update', 'delete', 'import', 'export',
    'confidential_read', 'erase'))
);

CREATE INDEX ix_{prefix}audit_log_entity ON {prefix}audit_log (entity_type, entityid, id);
CREATE INDEX ix_{prefix}audit_log_actorid ON {prefix}audit_log (actorid, id);
CREATE INDEX ix_{prefix}audit_log_time ON {prefix}audit_log (timecreated, id);

CREATE TABLE {prefix}demographics (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  key_version INTEGER NOT NULL,
  iv VARCHAR(24) NOT NULL,
  ciphertext TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}demographics_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}demographics_accountid UNIQUE (accountid),
  CONSTRAINT ck_{prefix}demographics_key_version CHECK (key_version >= 1)
);

CREATE INDEX ix_{prefix}demographics_key_version ON {prefix}demographics (key_version);

CREATE TABLE {prefix}account_gmc (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  gmc_number CHAR(7) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}account_gmc_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}account_gmc_accountid UNIQUE (accountid),
  CONSTRAINT uq_{prefix}account_gmc_number UNIQUE (gmc_number)
);
