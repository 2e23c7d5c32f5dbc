-- 0010 the mentoring relationship (SQLite): each party's acceptance of the
-- scheme's agreement, meetings with their agreed actions and each person's
-- own private note, the mentee's goals (personal development plan) with
-- progress notes, protected time used, and the reminders already queued so
-- each goes to the host once. Dates are YYYY-MM-DD text; instants are Unix
-- seconds (UTC). A landed step is never edited.

CREATE TABLE {prefix}agreement_acceptances (
  id INTEGER PRIMARY KEY,
  pairingid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  template_version INTEGER NOT NULL,
  accepted_at BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}agreement_acceptances_pairingid FOREIGN KEY (pairingid) REFERENCES {prefix}pairings (id),
  CONSTRAINT fk_{prefix}agreement_acceptances_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}agreement_acceptances_person UNIQUE (pairingid, accountid, template_version),
  CONSTRAINT ck_{prefix}agreement_acceptances_version CHECK (template_version >= 1)
);

CREATE TABLE {prefix}meetings (
  id INTEGER PRIMARY KEY,
  pairingid BIGINT NOT NULL,
  booked_by BIGINT NOT NULL,
  starts_at BIGINT NOT NULL,
  minutes INTEGER NOT NULL,
  mode VARCHAR(16) NOT NULL,
  place VARCHAR(200) NOT NULL,
  link VARCHAR(500) NOT NULL,
  topics TEXT NOT NULL,
  agreed_actions TEXT NOT NULL,
  state VARCHAR(16) NOT NULL,
  sequence INTEGER NOT NULL,
  recorded_by BIGINT,
  recorded_at BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}meetings_pairingid FOREIGN KEY (pairingid) REFERENCES {prefix}pairings (id),
  CONSTRAINT fk_{prefix}meetings_booked_by FOREIGN KEY (booked_by) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}meetings_recorded_by FOREIGN KEY (recorded_by) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}meetings_minutes CHECK (minutes BETWEEN 15 AND 240),
  CONSTRAINT ck_{prefix}meetings_mode CHECK (mode IN ('in_person', 'video', 'phone')),
  CONSTRAINT ck_{prefix}meetings_state CHECK (state IN ('booked', 'held', 'cancelled', 'missed')),
  CONSTRAINT ck_{prefix}meetings_sequence CHECK (sequence >= 0)
);

CREATE INDEX ix_{prefix}meetings_pairingid ON {prefix}meetings (pairingid, starts_at);
CREATE INDEX ix_{prefix}meetings_state ON {prefix}meetings (state, starts_at);

CREATE TABLE {prefix}meeting_notes (
  id INTEGER PRIMARY KEY,
  meetingid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  note TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}meeting_notes_meetingid FOREIGN KEY (meetingid) REFERENCES {prefix}meetings (id),
  CONSTRAINT fk_{prefix}meeting_notes_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT uq_{prefix}meeting_notes_author UNIQUE (meetingid, accountid)
);

CREATE INDEX ix_{prefix}meeting_notes_accountid ON {prefix}meeting_notes (accountid);

CREATE TABLE {prefix}goals (
  id INTEGER PRIMARY KEY,
  pairingid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  title VARCHAR(200) NOT NULL,
  specific_text TEXT NOT NULL,
  measurable_text TEXT NOT NULL,
  achievable_text TEXT NOT NULL,
  relevant_text TEXT NOT NULL,
  target_on CHAR(10) NOT NULL,
  review_on CHAR(10),
  status VARCHAR(16) NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}goals_pairingid FOREIGN KEY (pairingid) REFERENCES {prefix}pairings (id),
  CONSTRAINT fk_{prefix}goals_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}goals_status CHECK (status IN ('open', 'achieved', 'dropped')),
  CONSTRAINT ck_{prefix}goals_target_on CHECK (target_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
  CONSTRAINT ck_{prefix}goals_review_on CHECK (review_on IS NULL OR review_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}goals_pairingid ON {prefix}goals (pairingid);

CREATE TABLE {prefix}goal_notes (
  id INTEGER PRIMARY KEY,
  goalid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  text TEXT NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}goal_notes_goalid FOREIGN KEY (goalid) REFERENCES {prefix}goals (id),
  CONSTRAINT fk_{prefix}goal_notes_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id)
);

CREATE INDEX ix_{prefix}goal_notes_goalid ON {prefix}goal_notes (goalid);

CREATE TABLE {prefix}protected_time_entries (
  id INTEGER PRIMARY KEY,
  pairingid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  role VARCHAR(16) NOT NULL,
  used_on CHAR(10) NOT NULL,
  minutes INTEGER NOT NULL,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}protected_time_entries_pairingid FOREIGN KEY (pairingid) REFERENCES {prefix}pairings (id),
  CONSTRAINT fk_{prefix}protected_time_entries_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}protected_time_entries_role CHECK (role IN ('mentee', 'mentor')),
  CONSTRAINT ck_{prefix}protected_time_entries_minutes CHECK (minutes BETWEEN 1 AND 480),
  CONSTRAINT ck_{prefix}protected_time_entries_used_on CHECK (used_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
);

CREATE INDEX ix_{prefix}protected_time_entries_pairingid ON {prefix}protected_time_entries (pairingid, used_on);

CREATE TABLE {prefix}nudges (
  id INTEGER PRIMARY KEY,
  pairingid BIGINT NOT NULL,
  kind VARCHAR(32) NOT NULL,
  nudge_key VARCHAR(200) NOT NULL,
  due_on CHAR(10) NOT NULL,
  outboxid BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}nudges_pairingid FOREIGN KEY (pairingid) REFERENCES {prefix}pairings (id),
  CONSTRAINT uq_{prefix}nudges_key UNIQUE (nudge_key),
  CONSTRAINT ck_{prefix}nudges_kind CHECK (kind IN ('no_first_meeting_reminder', 'no_first_meeting_escalation', 'gone_quiet_reminder', 'gone_quiet_escalation'))
);

CREATE INDEX ix_{prefix}nudges_pairingid ON {prefix}nudges (pairingid);
