-- 0005 web jobs (SQLite): progress of long work (matching runs, imports)
-- shown to the person who started it and to staff, and the one-time tokens
-- of submitted forms, so that a form sent twice takes effect once.
-- A landed step is never edited.

CREATE TABLE {prefix}jobs (
  id INTEGER PRIMARY KEY,
  kind VARCHAR(64) NOT NULL,
  ownerid BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  done BIGINT NOT NULL,
  total BIGINT NOT NULL,
  message VARCHAR(500) NOT NULL,
  started_ms BIGINT NOT NULL,
  updated_ms BIGINT NOT NULL,
  finished_ms BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}jobs_ownerid FOREIGN KEY (ownerid) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}jobs_state CHECK (state IN ('queued', 'running', 'succeeded', 'failed')),
  CONSTRAINT ck_{prefix}jobs_progress CHECK (done >= 0 AND total >= 0 AND done <= total)
);

CREATE INDEX ix_{prefix}jobs_ownerid ON {prefix}jobs (ownerid);
CREATE INDEX ix_{prefix}jobs_state ON {prefix}jobs (state);

CREATE TABLE {prefix}form_submissions (
  id INTEGER PRIMARY KEY,
  token_hash CHAR(64) NOT NULL,
  accountid BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}form_submissions_token UNIQUE (token_hash),
  CONSTRAINT fk_{prefix}form_submissions_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id)
);

CREATE INDEX ix_{prefix}form_submissions_time ON {prefix}form_submissions (timecreated);
