-- 0001 foundation (SQLite): host accounts, schemes, cohorts, enrolments.
-- A landed step is never edited: change the schema with a new, higher step
-- in both schema/sqlite/ and schema/postgresql/. `{prefix}` is replaced by the
-- configured table prefix at run time. Dates are ISO 8601 text (YYYY-MM-DD),
-- so text order is date order.

CREATE TABLE {prefix}accounts (
  id INTEGER PRIMARY KEY,
  platform VARCHAR(1024) NOT NULL,
  subject VARCHAR(255) NOT NULL,
  display_name VARCHAR(200) NOT NULL DEFAULT '',
  email VARCHAR(254) NOT NULL DEFAULT '',
  status VARCHAR(16) NOT NULL DEFAULT 'active',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT uq_{prefix}accounts_subject UNIQUE (platform, subject),
  CONSTRAINT ck_{prefix}accounts_status CHECK (status IN ('active', 'suspended'))
);

CREATE TABLE {prefix}schemes (
  id INTEGER PRIMARY KEY,
  name VARCHAR(200) NOT NULL,
  type VARCHAR(16) NOT NULL,
  aims TEXT NOT NULL DEFAULT '',
  phase VARCHAR(32) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT ck_{prefix}schemes_type CHECK (type IN ('traditional', 'near_peer', 'reverse', 'reciprocal')),
  CONSTRAINT ck_{prefix}schemes_phase CHECK (phase IN ('pilot', 'business_as_usual'))
);

CREATE TABLE {prefix}cohorts (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  opens_on CHAR(10) NOT NULL,
  closes_on CHAR(10) NOT NULL,
  starts_on CHAR(10) NOT NULL,
  ends_on CHAR(10) NOT NULL,
  matching_model VARCHAR(16) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}cohorts_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT ck_{prefix}cohorts_matching_model CHECK (matching_model IN ('assigned', 'mentee_choice', 'hybrid')),
  CONSTRAINT ck_{prefix}cohorts_date_format CHECK (
    opens_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
    AND closes_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
    AND starts_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'
    AND ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  CONSTRAINT ck_{prefix}cohorts_date_order CHECK (
    opens_on <= closes_on AND starts_on <= ends_on AND closes_on <= ends_on)
);

CREATE INDEX ix_{prefix}cohorts_schemeid ON {prefix}cohorts (schemeid);

CREATE TABLE {prefix}enrolments (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  role VARCHAR(16) NOT NULL,
  status VARCHAR(16) NOT NULL DEFAULT 'active',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}enrolments_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}enrolments_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}enrolments_member UNIQUE (cohortid, accountid, role),
  CONSTRAINT ck_{prefix}enrolments_role CHECK (role IN ('mentee', 'mentor')),
  CONSTRAINT ck_{prefix}enrolments_status CHECK (status IN ('active', 'withdrawn', 'completed'))
);

CREATE INDEX ix_{prefix}enrolments_cohort_role ON {prefix}enrolments (cohortid, role, id);
CREATE INDEX ix_{prefix}enrolments_accountid ON {prefix}enrolments (accountid);
