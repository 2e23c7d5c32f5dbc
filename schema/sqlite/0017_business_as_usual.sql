-- 0017 the move from pilot to business-as-usual (SQLite): each scheme's plan
-- for keeping the scheme going (senior sponsor, funding, administrative time
-- and cost, mentor recruitment and promotion), and the dated history of its
-- phase changes. A landed step is never edited.

CREATE TABLE {prefix}bau_plans (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  senior_sponsor VARCHAR(200) NOT NULL DEFAULT '',
  funding_source VARCHAR(200) NOT NULL DEFAULT '',
  funding_ends_on CHAR(10),
  funding_review_on CHAR(10),
  admin_hours_per_month REAL NOT NULL DEFAULT 0,
  annual_cost_pence BIGINT NOT NULL DEFAULT 0,
  mentor_recruitment_plan TEXT NOT NULL DEFAULT '',
  promotion_plan TEXT NOT NULL DEFAULT '',
  timecreated BIGINT NOT NULL,
  timemodified BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}bau_plans_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT uq_{prefix}bau_plans_schemeid UNIQUE (schemeid),
  CONSTRAINT ck_{prefix}bau_plans_date CHECK (
    (funding_ends_on IS NULL OR funding_ends_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')
    AND (funding_review_on IS NULL OR funding_review_on GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]')),
  CONSTRAINT ck_{prefix}bau_plans_amounts CHECK (admin_hours_per_month >= 0 AND annual_cost_pence >= 0)
);

CREATE TABLE {prefix}scheme_phase_changes (
  id INTEGER PRIMARY KEY,
  schemeid BIGINT NOT NULL,
  from_phase VARCHAR(32) NOT NULL,
  to_phase VARCHAR(32) NOT NULL,
  changed_by BIGINT,
  note TEXT NOT NULL DEFAULT '',
  changed_at BIGINT NOT NULL,
  CONSTRAINT fk_{prefix}scheme_phase_changes_schemeid FOREIGN KEY (schemeid) REFERENCES {prefix}schemes (id),
  CONSTRAINT fk_{prefix}scheme_phase_changes_changed_by FOREIGN KEY (changed_by) REFERENCES {prefix}accounts (id),
  CONSTRAINT ck_{prefix}scheme_phase_changes_from CHECK (from_phase IN ('pilot', 'business_as_usual')),
  CONSTRAINT ck_{prefix}scheme_phase_changes_to CHECK (to_phase IN ('pilot', 'business_as_usual'))
);

CREATE INDEX ix_{prefix}scheme_phase_changes_schemeid ON {prefix}scheme_phase_changes (schemeid, id);
CREATE INDEX ix_{prefix}scheme_phase_changes_changed_by ON {prefix}scheme_phase_changes (changed_by);
