-- 0007 webhooks (SQLite): the inbox of verified deliveries from the host,
-- the outbox of the plugin's own events, what the host said about each
-- account that the core tables have no column for, erasure tombstones and
-- training outcomes kept for evaluation with consent. A landed step is never
-- edited.
--
-- Times ending in _ms are Unix milliseconds (event timestamps carry
-- fractions of a second and order events); the others are Unix seconds.

CREATE TABLE {prefix}webhook_inbox (
  id INTEGER PRIMARY KEY,
  msgid VARCHAR(256) NOT NULL,
  event_type VARCHAR(64) NOT NULL,
  occurred_at_ms BIGINT NOT NULL,
  body TEXT NOT NULL DEFAULT '',
  state VARCHAR(16) NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error VARCHAR(1000) NOT NULL DEFAULT '',
  claim_token VARCHAR(64) NOT NULL DEFAULT '',
  claimed_until BIGINT NOT NULL DEFAULT 0,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}webhook_inbox_msgid UNIQUE (msgid),
  CONSTRAINT ck_{prefix}webhook_inbox_state CHECK (state IN ('pending', 'done', 'ignored', 'dead'))
);

CREATE INDEX ix_{prefix}webhook_inbox_due ON {prefix}webhook_inbox (state, next_attempt_at);

CREATE TABLE {prefix}webhook_outbox (
  id INTEGER PRIMARY KEY,
  event_type VARCHAR(64) NOT NULL,
  payload TEXT NOT NULL,
  state VARCHAR(16) NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  deadline_at BIGINT NOT NULL,
  last_status INTEGER NOT NULL DEFAULT 0,
  last_error VARCHAR(1000) NOT NULL DEFAULT '',
  claim_token VARCHAR(64) NOT NULL DEFAULT '',
  claimed_until BIGINT NOT NULL DEFAULT 0,
  delivered_at BIGINT NOT NULL DEFAULT 0,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT ck_{prefix}webhook_outbox_state CHECK (state IN ('pending', 'delivered', 'dead'))
);

CREATE INDEX ix_{prefix}webhook_outbox_due ON {prefix}webhook_outbox (state, next_attempt_at);

CREATE TABLE {prefix}webhook_accounts (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  last_event_ms BIGINT NOT NULL,
  gmc_number VARCHAR(7) NOT NULL DEFAULT '',
  career_stage VARCHAR(32) NOT NULL DEFAULT '',
  specialty VARCHAR(100) NOT NULL DEFAULT '',
  programme VARCHAR(200) NOT NULL DEFAULT '',
  programme_status VARCHAR(16) NOT NULL DEFAULT '',
  site VARCHAR(200) NOT NULL DEFAULT '',
  region VARCHAR(200) NOT NULL DEFAULT '',
  placement_starts_on VARCHAR(10) NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}webhook_accounts_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}webhook_accounts_accountid UNIQUE (accountid)
);

CREATE TABLE {prefix}webhook_erasures (
  id INTEGER PRIMARY KEY,
  subject_key CHAR(64) NOT NULL,
  erased_event_ms BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}webhook_erasures_subject_key UNIQUE (subject_key)
);

CREATE TABLE {prefix}webhook_training_outcomes (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  outcome VARCHAR(16) NOT NULL,
  recorded_on VARCHAR(10) NOT NULL,
  programme VARCHAR(200) NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}webhook_training_outcomes_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id)
);

CREATE INDEX ix_{prefix}webhook_training_outcomes_accountid ON {prefix}webhook_training_outcomes (accountid);
