-- 0016 ranked mentor choices and matching run heartbeats (SQLite).
-- A mentee under mentee choice or hybrid matching may rank a few mentors:
-- the request goes to the first, and moves on to the next when a mentor
-- declines, lets it lapse or fills up. A matching run's worker records a
-- heartbeat as it works, so a run whose worker died is failed within minutes.
-- A landed step is never edited.

CREATE TABLE {prefix}mentee_choice_lists (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  menteeid BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  source VARCHAR(16) NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentee_choice_lists_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}mentee_choice_lists_menteeid FOREIGN KEY (menteeid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT ck_{prefix}mentee_choice_lists_state CHECK (state IN ('active', 'accepted', 'exhausted', 'withdrawn',
    'closed')),
  CONSTRAINT ck_{prefix}mentee_choice_lists_source CHECK (source IN ('choice', 'hybrid'))
);

CREATE INDEX ix_{prefix}mentee_choice_lists_cohort ON {prefix}mentee_choice_lists (cohortid, state);
CREATE INDEX ix_{prefix}mentee_choice_lists_menteeid ON {prefix}mentee_choice_lists (menteeid, id);
-- One list in progress per mentee.
CREATE UNIQUE INDEX uq_{prefix}mentee_choice_lists_active ON {prefix}mentee_choice_lists (menteeid) WHERE state = 'active';

CREATE TABLE {prefix}mentee_choices (
  id INTEGER PRIMARY KEY,
  listid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  rank INTEGER NOT NULL,
  state VARCHAR(16) NOT NULL,
  requestid BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentee_choices_listid FOREIGN KEY (listid) REFERENCES {prefix}mentee_choice_lists (id),
  CONSTRAINT fk_{prefix}mentee_choices_mentorid FOREIGN KEY (mentorid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT fk_{prefix}mentee_choices_requestid FOREIGN KEY (requestid) REFERENCES {prefix}mentee_requests (id),
  CONSTRAINT uq_{prefix}mentee_choices_rank UNIQUE (listid, rank),
  CONSTRAINT uq_{prefix}mentee_choices_mentor UNIQUE (listid, mentorid),
  CONSTRAINT ck_{prefix}mentee_choices_rank CHECK (rank >= 1),
  CONSTRAINT ck_{prefix}mentee_choices_state CHECK (state IN ('waiting', 'requested', 'accepted', 'declined',
    'lapsed', 'mentor_full', 'unavailable', 'withdrawn', 'not_needed'))
);

CREATE INDEX ix_{prefix}mentee_choices_requestid ON {prefix}mentee_choices (requestid);

-- The last sign of life from the worker doing a claimed run.
ALTER TABLE {prefix}matching_runs ADD COLUMN heartbeat_at BIGINT;
