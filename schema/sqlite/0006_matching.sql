-- 0006 matching (SQLite): mentor places (a load counter per mentor, so
-- accepting a request can never over-fill a mentor), pairings, mentee
-- requests and the waiting list for a full mentor (mentee choice), matching
-- runs with their proposals and hybrid shortlists, and administrators' pins
-- and bans. A landed step is never edited. Times are Unix seconds. Mentees
-- and mentors are named by their enrolment in the cohort.

CREATE TABLE {prefix}mentor_places (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  capacity INTEGER NOT NULL,
  active INTEGER NOT NULL DEFAULT 0,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentor_places_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}mentor_places_mentorid FOREIGN KEY (mentorid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT uq_{prefix}mentor_places_mentorid UNIQUE (mentorid),
  CONSTRAINT ck_{prefix}mentor_places_counts CHECK (capacity >= 0 AND active >= 0)
);

CREATE INDEX ix_{prefix}mentor_places_cohortid ON {prefix}mentor_places (cohortid);

CREATE TABLE {prefix}pairings (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  menteeid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  state VARCHAR(16) NOT NULL,
  source VARCHAR(16) NOT NULL,
  runid BIGINT,
  started_at BIGINT,
  ended_at BIGINT,
  end_reason VARCHAR(32),
  ended_by VARCHAR(16),
  end_note TEXT NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}pairings_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}pairings_menteeid FOREIGN KEY (menteeid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT fk_{prefix}pairings_mentorid FOREIGN KEY (mentorid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT ck_{prefix}pairings_state CHECK (state IN ('proposed', 'active', 'ended')),
  CONSTRAINT ck_{prefix}pairings_source CHECK (source IN ('assigned', 'choice', 'hybrid', 'admin')),
  CONSTRAINT ck_{prefix}pairings_end_reason CHECK (end_reason IS NULL OR end_reason IN ('completed',
    'not_a_good_fit', 'mentee_withdrew', 'mentor_withdrew', 'other')),
  CONSTRAINT ck_{prefix}pairings_ended_by CHECK (ended_by IS NULL OR ended_by IN ('mentee', 'mentor', 'admin'))
);

CREATE INDEX ix_{prefix}pairings_cohortid ON {prefix}pairings (cohortid, state);
CREATE INDEX ix_{prefix}pairings_mentorid ON {prefix}pairings (mentorid, state);
-- A mentee has at most one active pairing (an enrolment belongs to one cohort).
CREATE UNIQUE INDEX uq_{prefix}pairings_active_mentee ON {prefix}pairings (menteeid) WHERE state = 'active';

CREATE TABLE {prefix}mentee_requests (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  menteeid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  state VARCHAR(16) NOT NULL,
  source VARCHAR(16) NOT NULL,
  expires_at BIGINT NOT NULL,
  decided_at BIGINT,
  pairingid BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentee_requests_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}mentee_requests_menteeid FOREIGN KEY (menteeid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT fk_{prefix}mentee_requests_mentorid FOREIGN KEY (mentorid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT ck_{prefix}mentee_requests_state CHECK (state IN ('pending', 'accepted', 'declined', 'lapsed',
    'withdrawn')),
  CONSTRAINT ck_{prefix}mentee_requests_source CHECK (source IN ('choice', 'hybrid'))
);

CREATE INDEX ix_{prefix}mentee_requests_cohort ON {prefix}mentee_requests (cohortid, state, expires_at);
CREATE INDEX ix_{prefix}mentee_requests_mentorid ON {prefix}mentee_requests (mentorid, state);
-- One pending request per mentee: a mentee asks one mentor at a time.
CREATE UNIQUE INDEX uq_{prefix}mentee_requests_pending ON {prefix}mentee_requests (menteeid) WHERE state = 'pending';

CREATE TABLE {prefix}mentor_waitlist (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  menteeid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  message TEXT NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}mentor_waitlist_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}mentor_waitlist_menteeid FOREIGN KEY (menteeid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT fk_{prefix}mentor_waitlist_mentorid FOREIGN KEY (mentorid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT uq_{prefix}mentor_waitlist_pair UNIQUE (mentorid, menteeid)
);

CREATE TABLE {prefix}matching_runs (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  model VARCHAR(16) NOT NULL,
  state VARCHAR(16) NOT NULL,
  parameters TEXT NOT NULL DEFAULT '',
  report TEXT NOT NULL DEFAULT '',
  error TEXT NOT NULL DEFAULT '',
  choice_deadline BIGINT,
  parentid BIGINT,
  started_at BIGINT NOT NULL,
  finished_at BIGINT,
  published_at BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}matching_runs_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT ck_{prefix}matching_runs_model CHECK (model IN ('assigned', 'hybrid', 'fallback')),
  CONSTRAINT ck_{prefix}matching_runs_state CHECK (state IN ('running', 'ready', 'published', 'discarded',
    'superseded', 'failed'))
);

CREATE INDEX ix_{prefix}matching_runs_cohortid ON {prefix}matching_runs (cohortid, id);
-- One run at a time per cohort.
CREATE UNIQUE INDEX uq_{prefix}matching_runs_running ON {prefix}matching_runs (cohortid) WHERE state = 'running';

CREATE TABLE {prefix}matching_proposals (
  id INTEGER PRIMARY KEY,
  runid BIGINT NOT NULL,
  menteeid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  score INTEGER NOT NULL,
  source VARCHAR(16) NOT NULL,
  explanation TEXT NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}matching_proposals_runid FOREIGN KEY (runid) REFERENCES {prefix}matching_runs (id),
  CONSTRAINT uq_{prefix}matching_proposals_mentee UNIQUE (runid, menteeid)
);

CREATE TABLE {prefix}matching_shortlists (
  id INTEGER PRIMARY KEY,
  runid BIGINT NOT NULL,
  menteeid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  rank INTEGER NOT NULL,
  score INTEGER NOT NULL,
  strong SMALLINT NOT NULL DEFAULT 0,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}matching_shortlists_runid FOREIGN KEY (runid) REFERENCES {prefix}matching_runs (id),
  CONSTRAINT uq_{prefix}matching_shortlists_entry UNIQUE (runid, menteeid, mentorid)
);

CREATE TABLE {prefix}matching_rules (
  id INTEGER PRIMARY KEY,
  cohortid BIGINT NOT NULL,
  menteeid BIGINT NOT NULL,
  mentorid BIGINT NOT NULL,
  kind VARCHAR(8) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}matching_rules_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}matching_rules_menteeid FOREIGN KEY (menteeid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT fk_{prefix}matching_rules_mentorid FOREIGN KEY (mentorid) REFERENCES {prefix}enrolments (id),
  CONSTRAINT uq_{prefix}matching_rules_pair UNIQUE (cohortid, menteeid, mentorid),
  CONSTRAINT ck_{prefix}matching_rules_kind CHECK (kind IN ('pin', 'ban'))
);
