-- 0011 concerns and check-ins (SQLite): concerns a mentee or mentor raises
-- with the scheme's point of contact, with the history of what was done
-- about each; and the midpoint and end check-in forms each party of a
-- pairing answers. Concern and action text is confidential: the stores hand
-- it only to use cases that have checked who is asking. A landed step is
-- never edited.

CREATE TABLE {prefix}concerns (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  cohortid BIGINT NOT NULL,
  pairingid BIGINT NOT NULL,
  raised_by BIGINT NOT NULL,
  raiser_role VARCHAR(16) NOT NULL,
  routed_to BIGINT NOT NULL,
  category VARCHAR(32) NOT NULL,
  urgency VARCHAR(16) NOT NULL,
  text TEXT NOT NULL,
  state VARCHAR(16) NOT NULL,
  outcome VARCHAR(16),
  acknowledged_at BIGINT,
  escalated_at BIGINT,
  resolved_at BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}concerns_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT fk_{prefix}concerns_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}concerns_pairingid FOREIGN KEY (pairingid) REFERENCES {prefix}pairings (id),
  CONSTRAINT fk_{prefix}concerns_raised_by FOREIGN KEY (raised_by) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}concerns_routed_to FOREIGN KEY (routed_to) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}concerns_raiser_role CHECK (raiser_role IN ('mentee', 'mentor')),
  CONSTRAINT ck_{prefix}concerns_category CHECK (category IN ('meetings', 'personality_fit', 'conduct', 'wellbeing', 'other')),
  CONSTRAINT ck_{prefix}concerns_urgency CHECK (urgency IN ('routine', 'soon', 'urgent')),
  CONSTRAINT ck_{prefix}concerns_state CHECK (state IN ('raised', 'acknowledged', 'escalated', 'resolved')),
  CONSTRAINT ck_{prefix}concerns_outcome CHECK (outcome IS NULL OR outcome IN ('resolved', 'rematch', 'signposted', 'withdrawn'))
);

CREATE INDEX ix_{prefix}concerns_schemeid ON {prefix}concerns (schemeid, state);
CREATE INDEX ix_{prefix}concerns_raised_by ON {prefix}concerns (raised_by);
CREATE INDEX ix_{prefix}concerns_pairingid ON {prefix}concerns (pairingid);

CREATE TABLE {prefix}concern_actions (
  id INTEGER PRIMARY KEY,
  concernid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  kind VARCHAR(16) NOT NULL,
  text TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}concern_actions_concernid FOREIGN KEY (concernid) REFERENCES {prefix}concerns (id) ON DELETE CASCADE,
  CONSTRAINT fk_{prefix}concern_actions_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}concern_actions_kind CHECK (kind IN ('raised', 'acknowledged', 'note', 'escalated', 'resolved'))
);

CREATE INDEX ix_{prefix}concern_actions_concernid ON {prefix}concern_actions (concernid);

CREATE TABLE {prefix}checkin_responses (
  id INTEGER PRIMARY KEY,
  pairingid BIGINT NOT NULL,
  cohortid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  role VARCHAR(16) NOT NULL,
  phase VARCHAR(16) NOT NULL,
  working VARCHAR(16) NOT NULL,
  frequency VARCHAR(16) NOT NULL,
  goals_progress INTEGER NOT NULL,
  would_continue VARCHAR(16) NOT NULL,
  comments TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}checkin_responses_pairingid FOREIGN KEY (pairingid) REFERENCES {prefix}pairings (id),
  CONSTRAINT fk_{prefix}checkin_responses_cohortid FOREIGN KEY (cohortid) REFERENCES {prefix}cohorts (id),
  CONSTRAINT fk_{prefix}checkin_responses_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}checkin_responses_person UNIQUE (pairingid, accountid, phase),
  CONSTRAINT ck_{prefix}checkin_responses_role CHECK (role IN ('mentee', 'mentor')),
  CONSTRAINT ck_{prefix}checkin_responses_phase CHECK (phase IN ('midpoint', 'end')),
  CONSTRAINT ck_{prefix}checkin_responses_working CHECK (working IN ('yes', 'partly', 'no')),
  CONSTRAINT ck_{prefix}checkin_responses_frequency CHECK (frequency IN ('weekly', 'fortnightly', 'monthly', 'less_often', 'not_met')),
  CONSTRAINT ck_{prefix}checkin_responses_goals CHECK (goals_progress BETWEEN 1 AND 5),
  CONSTRAINT ck_{prefix}checkin_responses_continue CHECK (would_continue IN ('yes', 'unsure', 'no'))
);

CREATE INDEX ix_{prefix}checkin_responses_cohortid ON {prefix}checkin_responses (cohortid, phase);
CREATE INDEX ix_{prefix}checkin_responses_accountid ON {prefix}checkin_responses (accountid);
