-- 0019 group sessions per cohort (SQLite): the midpoint group check-in and
-- the end-of-scheme meeting, and who attended each. An attendance row also
-- records, once, the effects of attending the end-of-scheme meeting: the
-- mentor's CPD entry and the completed mentee's invitation to mentor. A
-- landed step is never edited.

CREATE TABLE {prefix}cohort_sessions (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  title VARCHAR(200) NOT NULL,
  starts_at BIGINT NOT NULL,
  minutes INTEGER NOT NULL,
  location VARCHAR(500) NOT NULL DEFAULT '',
  created_by BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}cohort_sessions_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}cohort_sessions_created_by FOREIGN KEY (created_by) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}cohort_sessions_kind CHECK (kind IN ('midpoint', 'end')),
  CONSTRAINT ck_{prefix}cohort_sessions_minutes CHECK (minutes BETWEEN 15 AND 480)
);

CREATE INDEX ix_{prefix}cohort_sessions_cohortid ON {prefix}cohort_sessions (cohortid, starts_at);
CREATE INDEX ix_{prefix}cohort_sessions_created_by ON {prefix}cohort_sessions (created_by);

CREATE TABLE {prefix}cohort_session_attendance (
  id INTEGER PRIMARY KEY,
  sessionid BIGINT NOT NULL,
  enrolmentid BIGINT NOT NULL,
  attended SMALLINT NOT NULL,
  recorded_by BIGINT,
  cpd_entryid BIGINT,
  mentor_invited_at BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}cohort_session_attendance_sessionid FOREIGN KEY (sessionid)
    REFERENCES {prefix}cohort_sessions (id),
  CONSTRAINT fk_{prefix}cohort_session_attendance_enrolmentid FOREIGN KEY (enrolmentid)
    REFERENCES {prefix}enrolments (id),
  CONSTRAINT fk_{prefix}cohort_session_attendance_recorded_by FOREIGN KEY (recorded_by)
    REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}cohort_session_attendance UNIQUE (sessionid, enrolmentid),
  CONSTRAINT ck_{prefix}cohort_session_attendance_attended CHECK (attended IN (0, 1))
);

CREATE INDEX ix_{prefix}cohort_session_attendance_enrolmentid ON {prefix}cohort_session_attendance (enrolmentid);
CREATE INDEX ix_{prefix}cohort_session_attendance_recorded_by ON {prefix}cohort_session_attendance (recorded_by);
