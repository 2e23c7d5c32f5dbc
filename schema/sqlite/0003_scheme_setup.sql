-- 0003 scheme set-up (SQLite): SMART objectives and their measurements,
-- the governance register, who may join a scheme, mentee and mentor
-- profiles, mentor training modules and records, CPD entries and the
-- agreement template. A landed step is never edited. Dates are ISO 8601 text (YYYY-MM-DD).
-- Lists of keywords, names and codes are stored one per line (the core
-- refuses line breaks inside an entry); enumerated lists are comma-separated
-- lower-case words. Flags are 0 or 1.

CREATE TABLE {prefix}objectives (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  what VARCHAR(500) NOT NULL,
  metric VARCHAR(300) NOT NULL,
  baseline REAL NOT NULL,
  unit VARCHAR(40) NOT NULL,
  baseline_on CHAR(10) NOT NULL,
  target REAL NOT NULL,
  direction VARCHAR(16) NOT NULL,
  deadline CHAR(10) NOT NULL,
  ownerid BIGINT NOT NULL,
  aim_index INTEGER NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}objectives_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT fk_{prefix}objectives_ownerid FOREIGN KEY (ownerid) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}objectives_direction CHECK (direction IN ('increase', 'decrease')),
  CONSTRAINT ck_{prefix}objectives_date CHECK (baseline_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND deadline GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}objectives_schemeid ON {prefix}objectives (schemeid);

CREATE TABLE {prefix}objective_values (
  id INTEGER PRIMARY KEY,
  objectiveid BIGINT NOT NULL,
  measured_on CHAR(10) NOT NULL,
  value REAL NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}objective_values_objid FOREIGN KEY (objectiveid) REFERENCES {prefix}objectives (id),
  CONSTRAINT ck_{prefix}objective_values_date CHECK (measured_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}objective_values_objid ON {prefix}objective_values (objectiveid, measured_on, id);

CREATE TABLE {prefix}governance (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  responsibility VARCHAR(64) NOT NULL,
  accountid BIGINT NOT NULL,
  reports_to VARCHAR(200) NOT NULL,
  cadence VARCHAR(16) NOT NULL,
  next_report_due CHAR(10) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}governance_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT fk_{prefix}governance_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}governance_responsibility UNIQUE (schemeid, responsibility),
  CONSTRAINT ck_{prefix}governance_responsibility CHECK (responsibility IN ('set_up_and_initial_delivery',
    'funding_and_procurement', 'confidential_data', 'recruitment', 'training',
    'day_to_day_management_and_point_of_contact', 'evaluation_and_improvement')),
  CONSTRAINT ck_{prefix}governance_cadence CHECK (cadence IN ('monthly', 'quarterly', 'termly', 'annually')),
  CONSTRAINT ck_{prefix}governance_date CHECK (next_report_due GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}governance_accountid ON {prefix}governance (accountid);

CREATE TABLE {prefix}eligibility (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  career_stages TEXT NOT NULL DEFAULT '',
  specialties TEXT NOT NULL DEFAULT '',
  regions TEXT NOT NULL DEFAULT '',
  img_new_to_uk_only SMALLINT NOT NULL DEFAULT 0,
  returning_only SMALLINT NOT NULL DEFAULT 0,
  widening_only SMALLINT NOT NULL DEFAULT 0,
  mentor_minimum_stage VARCHAR(32) NOT NULL DEFAULT '',
  mentor_min_gap INTEGER NOT NULL DEFAULT 0,
  mentor_max_gap INTEGER,
  mentor_regions TEXT NOT NULL DEFAULT '',
  other_professions SMALLINT NOT NULL DEFAULT 1,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}eligibility_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT uq_{prefix}eligibility_schemeid UNIQUE (schemeid)
);

CREATE TABLE {prefix}mentee_profiles (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  career_stage VARCHAR(32) NOT NULL,
  specialty VARCHAR(100) NOT NULL DEFAULT '',
  site VARCHAR(200) NOT NULL DEFAULT '',
  region VARCHAR(200) NOT NULL DEFAULT '',
  goals TEXT NOT NULL,
  hopes TEXT NOT NULL DEFAULT '',
  transition_points TEXT NOT NULL DEFAULT '',
  topics TEXT NOT NULL DEFAULT '',
  location_preference VARCHAR(16) NOT NULL,
  meeting_mode VARCHAR(16) NOT NULL,
  languages VARCHAR(100) NOT NULL DEFAULT '',
  availability VARCHAR(500) NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentee_profiles_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}mentee_profiles_accountid UNIQUE (accountid),
  CONSTRAINT ck_{prefix}mentee_profiles_location CHECK (location_preference IN ('no_preference', 'local', 'remote')),
  CONSTRAINT ck_{prefix}mentee_profiles_mode CHECK (meeting_mode IN ('no_preference', 'in_person', 'virtual'))
);

CREATE TABLE {prefix}mentor_profiles (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  career_stage VARCHAR(32) NOT NULL,
  specialty VARCHAR(100) NOT NULL DEFAULT '',
  site VARCHAR(200) NOT NULL DEFAULT '',
  region VARCHAR(200) NOT NULL DEFAULT '',
  expertise_areas TEXT NOT NULL DEFAULT '',
  capacity INTEGER NOT NULL,
  away_until CHAR(10),
  languages VARCHAR(100) NOT NULL DEFAULT '',
  bio TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentor_profiles_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}mentor_profiles_accountid UNIQUE (accountid),
  CONSTRAINT ck_{prefix}mentor_profiles_capacity CHECK (capacity BETWEEN 1 AND 10),
  CONSTRAINT ck_{prefix}mentor_profiles_date CHECK ((away_until IS NULL OR away_until GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'))
);

CREATE TABLE {prefix}training_modules (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  code VARCHAR(40) NOT NULL,
  title VARCHAR(200) NOT NULL,
  required SMALLINT NOT NULL DEFAULT 0,
  valid_for_months INTEGER NOT NULL DEFAULT 0,
  refresher_code VARCHAR(40) NOT NULL DEFAULT '',
  sortorder INTEGER NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}training_modules_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT uq_{prefix}training_modules_code UNIQUE (schemeid, code)
);

CREATE TABLE {prefix}training_records (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  module_code VARCHAR(40) NOT NULL,
  completed_on CHAR(10) NOT NULL,
  expires_on CHAR(10),
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}training_records_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT fk_{prefix}training_records_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}training_records_date CHECK (completed_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND (expires_on IS NULL OR expires_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'))
);

CREATE INDEX ix_{prefix}training_records_account ON {prefix}training_records (accountid, schemeid, completed_on);

CREATE TABLE {prefix}cpd_entries (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  entry_on CHAR(10) NOT NULL,
  hours REAL NOT NULL,
  activity VARCHAR(300) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}cpd_entries_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}cpd_entries_date CHECK (entry_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}cpd_entries_accountid ON {prefix}cpd_entries (accountid, entry_on);

CREATE TABLE {prefix}agreement_templates (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  version INTEGER NOT NULL,
  frequency VARCHAR(16) NOT NULL,
  meeting_minutes INTEGER NOT NULL,
  duration_months INTEGER NOT NULL,
  boundaries TEXT NOT NULL DEFAULT '',
  ground_rules TEXT NOT NULL DEFAULT '',
  confidentiality TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}agreement_templates_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT uq_{prefix}agreement_templates_schemeid UNIQUE (schemeid),
  CONSTRAINT ck_{prefix}agreement_templates_frequency CHECK (frequency IN ('weekly', 'fortnightly', 'monthly', 'every_six_weeks'))
);
