-- 0013 sealed concern text (PostgreSQL): the text of a concern and of each action
-- on it is stored sealed with AES-256-GCM, as hex ciphertext (tag appended)
-- in `text`, with its hex IV and the version of the key that sealed it.
-- Key version 0 marks a row written before this step: its text is still
-- plain, and the plugin seals it when it next starts with a key configured
-- (ConcernService seal_plain_rows in app/concerns.h). A landed step is never edited.

ALTER TABLE {prefix}concerns ADD COLUMN text_key_version INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_{prefix}concerns_text_key_version CHECK (text_key_version >= 0);
ALTER TABLE {prefix}concerns ADD COLUMN text_iv VARCHAR(24) NOT NULL DEFAULT '';
ALTER TABLE {prefix}concern_actions ADD COLUMN text_key_version INTEGER NOT NULL DEFAULT 0 CONSTRAINT ck_{prefix}concern_actions_text_key_version CHECK (text_key_version >= 0);
ALTER TABLE {prefix}concern_actions ADD COLUMN text_iv VARCHAR(24) NOT NULL DEFAULT '';

-- The startup sealing step finds the plain rows left.
CREATE INDEX ix_{prefix}concerns_unsealed ON {prefix}concerns (id) WHERE text_key_version = 0;
CREATE INDEX ix_{prefix}concern_actions_unsealed ON {prefix}concern_actions (id) WHERE text_key_version = 0;
