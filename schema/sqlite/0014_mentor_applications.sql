-- 0014 mentor recruitment by application (SQLite): a person's application
-- to mentor in a cohort, with staff's decision, and each scheme's setting
-- for whether applications need approval (no row: they do). A landed step
-- is never edited.

CREATE TABLE {prefix}mentor_applications (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  cohortid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  motivation TEXT NOT NULL,
  expertise_areas TEXT NOT NULL,
  capacity INTEGER NOT NULL,
  availability TEXT NOT NULL,
  declaration SMALLINT NOT NULL,
  status VARCHAR(16) NOT NULL,
  decided_by BIGINT,
  decided_at BIGINT,
  decision_reason TEXT NOT NULL DEFAULT '',
  enrolmentid BIGINT,
  approval_error_reason VARCHAR(64) NOT NULL DEFAULT '',
  approval_error_message TEXT NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentor_applications_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT fk_{prefix}mentor_applications_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}mentor_applications_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}mentor_applications_decided_by FOREIGN KEY (decided_by) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}mentor_applications_enrolmentid FOREIGN KEY (enrolmentid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT ck_{prefix}mentor_applications_status CHECK (status IN ('pending', 'approved', 'declined')),
  CONSTRAINT ck_{prefix}mentor_applications_capacity CHECK (capacity BETWEEN 1 AND 10),
  CONSTRAINT ck_{prefix}mentor_applications_declaration CHECK (declaration = 1)
);

-- One pending application per person and cohort; decided ones may repeat.
CREATE UNIQUE INDEX uq_{prefix}mentor_applications_pending ON {prefix}mentor_applications (cohortid, accountid)
  WHERE status = 'pending';
CREATE INDEX ix_{prefix}mentor_applications_schemeid ON {prefix}mentor_applications (schemeid, status);
CREATE INDEX ix_{prefix}mentor_applications_accountid ON {prefix}mentor_applications (accountid);

CREATE TABLE {prefix}mentor_recruitment (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  approval_required SMALLINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentor_recruitment_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT uq_{prefix}mentor_recruitment_schemeid UNIQUE (schemeid),
  CONSTRAINT ck_{prefix}mentor_recruitment_approval CHECK (approval_required IN (0, 1))
);
