-- 0009 surveys and outcomes (SQLite): questionnaires and their questions,
-- survey rounds sent to named audiences, one response per person per round
-- with its answers; evaluation consent and the size of each cohort's target
-- audience; and outcome records (ARCP, exams, FY1 preparedness) imported for
-- evaluation. Outcome records are kept apart from the mentoring record and
-- are only ever read back in aggregate. A landed step is never edited. Dates
-- are ISO 8601 text (YYYY-MM-DD); lists are stored one entry per line.

CREATE TABLE {prefix}survey_questionnaires (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  name VARCHAR(200) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}survey_questionnaires_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id)
);

CREATE INDEX ix_{prefix}survey_questionnaires_schemeid ON {prefix}survey_questionnaires (schemeid);

CREATE TABLE {prefix}survey_questions (
  id INTEGER PRIMARY KEY,
  questionnaireid BIGINT NOT NULL,
  position INTEGER NOT NULL,
  question_key VARCHAR(40) NOT NULL,
  text VARCHAR(500) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  required INTEGER NOT NULL,
  options TEXT NOT NULL,
  min_value REAL,
  max_value REAL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}survey_questions_questionnaireid FOREIGN KEY (questionnaireid) REFERENCES {prefix}survey_questionnaires (id),
  CONSTRAINT uq_{prefix}survey_questions_key UNIQUE (questionnaireid, question_key),
  CONSTRAINT ck_{prefix}survey_questions_kind CHECK (kind IN ('likert', 'number', 'single_choice', 'multiple_choice', 'free_text')),
  CONSTRAINT ck_{prefix}survey_questions_required CHECK (required IN (0, 1))
);

CREATE TABLE {prefix}survey_rounds (
  id INTEGER PRIMARY KEY,
  questionnaireid BIGINT NOT NULL,
  cohortid BIGINT NOT NULL,
  phase VARCHAR(16) NOT NULL,
  audiences TEXT NOT NULL,
  opens_on CHAR(10) NOT NULL,
  closes_on CHAR(10) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}survey_rounds_questionnaireid FOREIGN KEY (questionnaireid) REFERENCES {prefix}survey_questionnaires (id),
  CONSTRAINT fk_{prefix}survey_rounds_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT ck_{prefix}survey_rounds_phase CHECK (phase IN ('baseline', 'midpoint', 'end')),
  CONSTRAINT ck_{prefix}survey_rounds_date CHECK (opens_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]' AND closes_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}survey_rounds_cohortid ON {prefix}survey_rounds (cohortid);
CREATE INDEX ix_{prefix}survey_rounds_questionnaireid ON {prefix}survey_rounds (questionnaireid);

CREATE TABLE {prefix}survey_responses (
  id INTEGER PRIMARY KEY,
  roundid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  audience VARCHAR(40) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}survey_responses_roundid FOREIGN KEY (roundid) REFERENCES {prefix}survey_rounds (id),
  CONSTRAINT fk_{prefix}survey_responses_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}survey_responses_person UNIQUE (roundid, accountid)
);

CREATE INDEX ix_{prefix}survey_responses_accountid ON {prefix}survey_responses (accountid);

CREATE TABLE {prefix}survey_answers (
  id INTEGER PRIMARY KEY,
  responseid BIGINT NOT NULL,
  question_key VARCHAR(40) NOT NULL,
  number_value REAL,
  text_value TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}survey_answers_responseid FOREIGN KEY (responseid) REFERENCES {prefix}survey_responses (id),
  CONSTRAINT uq_{prefix}survey_answers_key UNIQUE (responseid, question_key)
);

CREATE TABLE {prefix}evaluation_consents (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  given INTEGER NOT NULL,
  recorded_on CHAR(10) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}evaluation_consents_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}evaluation_consents_accountid UNIQUE (accountid),
  CONSTRAINT ck_{prefix}evaluation_consents_given CHECK (given IN (0, 1))
);

CREATE TABLE {prefix}evaluation_audiences (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  audience_size BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}evaluation_audiences_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT uq_{prefix}evaluation_audiences_cohortid UNIQUE (cohortid),
  CONSTRAINT ck_{prefix}evaluation_audiences_size CHECK (audience_size >= 0)
);

CREATE TABLE {prefix}outcome_records (
  id INTEGER PRIMARY KEY,
  accountid BIGINT NOT NULL,
  schemeid BIGINT NOT NULL,
  kind VARCHAR(20) NOT NULL,
  recorded_on CHAR(10) NOT NULL,
  arcp_code VARCHAR(8) NOT NULL,
  exam_name VARCHAR(200) NOT NULL,
  exam_passed INTEGER,
  rating INTEGER,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}outcome_records_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}outcome_records_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT ck_{prefix}outcome_records_kind CHECK (kind IN ('arcp', 'exam', 'fy1_preparedness')),
  CONSTRAINT ck_{prefix}outcome_records_date CHECK (recorded_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}outcome_records_scheme ON {prefix}outcome_records (schemeid, accountid);
