-- 0018 bulk import uploads (SQLite): each uploaded CSV and what became of
-- it, so that any plugin instance on the database can do the import, show
-- its preview and apply it, and a restart loses nothing. A worker claims a
-- queued upload with a conditional update and records a heartbeat while it
-- works; an upload whose worker died is queued again (or failed after its
-- second attempt). The file is kept, base64-encoded, only while it may
-- still be applied. A landed step is never edited.

CREATE TABLE {prefix}import_uploads (
  jobid INTEGER PRIMARY KEY,
  kind VARCHAR(16) NOT NULL,
  schemeid BIGINT NOT NULL,
  ownerid BIGINT NOT NULL,
  dry_run INTEGER NOT NULL,
  state VARCHAR(16) NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  claimed_by VARCHAR(100) NOT NULL DEFAULT '',
  claimed_at BIGINT,
  heartbeat_at BIGINT,
  file_base64 TEXT,
  file_bytes BIGINT NOT NULL,
  report TEXT,
  failure_code VARCHAR(100) NOT NULL DEFAULT '',
  failure_message TEXT NOT NULL DEFAULT '',
  can_apply INTEGER NOT NULL DEFAULT 0,
  applied_by BIGINT,
  finished_at BIGINT,
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}import_uploads_jobid FOREIGN KEY (jobid) REFERENCES {prefix}jobs (id),
  CONSTRAINT fk_{prefix}import_uploads_ownerid FOREIGN KEY (ownerid) REFERENCES {prefix}accounts (id),
  CONSTRAINT fk_{prefix}import_uploads_applied_by FOREIGN KEY (applied_by) REFERENCES {prefix}jobs (id),
  CONSTRAINT ck_{prefix}import_uploads_kind CHECK (kind IN ('mentees', 'mentors', 'training')),
  CONSTRAINT ck_{prefix}import_uploads_state CHECK (state IN ('queued', 'running', 'finished')),
  CONSTRAINT ck_{prefix}import_uploads_dry_run CHECK (dry_run IN (0, 1)),
  CONSTRAINT ck_{prefix}import_uploads_can_apply CHECK (can_apply IN (0, 1)),
  CONSTRAINT ck_{prefix}import_uploads_sizes CHECK (file_bytes >= 0 AND attempts >= 0)
);

-- The queue, oldest first; and running uploads, for the abandoned sweep.
CREATE INDEX ix_{prefix}import_uploads_state ON {prefix}import_uploads (state, jobid) WHERE state <> 'finished';
-- Finished uploads by age, for forgetting kept files and old reports.
CREATE INDEX ix_{prefix}import_uploads_finished ON {prefix}import_uploads (finished_at) WHERE state = 'finished';
