-- 0015 outbox idempotency (SQLite): an event that must reach the host once
-- (mentoring.survey_due, mentoring.certificate_issued) carries its
-- idempotency key in a column with a unique index, so two transactions
-- that both decide to announce the same thing cannot both queue it, and
-- survey_due_notices records which people each survey round was announced
-- to, so people who enrol after a round was created hear of it once as
-- well. A landed step is never edited.

ALTER TABLE {prefix}webhook_outbox ADD COLUMN idempotency_key VARCHAR(200);

-- Rows queued before this step name their key only in the payload.
UPDATE {prefix}webhook_outbox SET idempotency_key = json_extract(payload, '$.idempotency_key')
  WHERE event_type IN ('mentoring.survey_due', 'mentoring.certificate_issued') AND json_valid(payload)
    AND json_type(payload, '$.idempotency_key') = 'text';

-- Two end-of-scheme check-ins committed at the same moment may already have
-- queued one certificate twice: the earliest row stays.
DELETE FROM {prefix}webhook_outbox
  WHERE idempotency_key IS NOT NULL
    AND id NOT IN (SELECT MIN(id) FROM {prefix}webhook_outbox WHERE idempotency_key IS NOT NULL GROUP BY idempotency_key);

CREATE UNIQUE INDEX uq_{prefix}webhook_outbox_idempotency_key ON {prefix}webhook_outbox (idempotency_key);

CREATE TABLE {prefix}survey_due_notices (
  roundid BIGINT NOT NULL,
  accountid BIGINT NOT NULL,
  timecreated BIGINT NOT NULL,
  CONSTRAINT pk_{prefix}survey_due_notices PRIMARY KEY (roundid, accountid),
  CONSTRAINT fk_{prefix}survey_due_notices_roundid FOREIGN KEY (roundid) REFERENCES {prefix}survey_rounds (id),
  CONSTRAINT fk_{prefix}survey_due_notices_accountid FOREIGN KEY (accountid) REFERENCES {prefix}accounts (id)
);

CREATE INDEX ix_{prefix}survey_due_notices_accountid ON {prefix}survey_due_notices (accountid);

-- Rounds created before this step announced themselves to the people
-- enrolled (in an audience) when the round was created; those people are
-- recorded as told, so only people who enrolled later hear of it now.
INSERT INTO {prefix}survey_due_notices (roundid, accountid, timecreated)
  SELECT DISTINCT r.id, e.accountid, r.timecreated
    FROM {prefix}survey_rounds r
    JOIN {prefix}enrolments e ON e.cohortid = r.cohortid AND e.timecreated <= r.timecreated
   WHERE (e.role = 'mentee' AND (char(10) || r.audiences || char(10)) LIKE '%' || char(10) || 'mentees' || char(10) || '%')
      OR (e.role = 'mentor' AND (char(10) || r.audiences || char(10)) LIKE '%' || char(10) || 'mentors' || char(10) || '%')
  ON CONFLICT (roundid, accountid) DO NOTHING;

-- And everyone an announcement is still queued or logged for
-- (survey_round:<round>:account:<account>). The statements spell the
-- colon as char(58): the driver would read it as a parameter.
INSERT INTO {prefix}survey_due_notices (roundid, accountid, timecreated)
  SELECT DISTINCT k.roundid, k.accountid, k.timecreated
    FROM (SELECT CAST(substr(o.idempotency_key, 14, instr(o.idempotency_key, char(58) || 'account' || char(58)) - 14)
                      AS INTEGER) AS roundid,
                 CAST(substr(o.idempotency_key, instr(o.idempotency_key, char(58) || 'account' || char(58)) + 9)
                      AS INTEGER) AS accountid,
                 o.timecreated
            FROM {prefix}webhook_outbox o
           WHERE o.event_type = 'mentoring.survey_due'
             AND o.idempotency_key LIKE 'survey_round' || char(58) || '%' || char(58) || 'account' || char(58) || '%') k
   WHERE k.roundid IN (SELECT id FROM {prefix}survey_rounds) AND k.accountid IN (SELECT id FROM {prefix}accounts)
  ON CONFLICT (roundid, accountid) DO NOTHING;
