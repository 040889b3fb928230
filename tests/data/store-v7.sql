-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A store as migration 7 left it (before staff and the audit trail of
-- migration 8), with one anonymous request, queued.
PRAGMA application_id = 1296980302;
PRAGMA user_version = 7;
BEGIN TRANSACTION;
CREATE TABLE requests (  id            INTEGER PRIMARY KEY,  uuid          TEXT NOT NULL UNIQUE,  case_code     TEXT NOT NULL UNIQUE,  platform_id   TEXT,  service_code  TEXT NOT NULL,  service_group TEXT,  urgency       TEXT NOT NULL                CHECK (urgency IN ('immediate', 'same_day', 'routine', 'dispute')),  channel       TEXT NOT NULL CHECK (channel IN ('kiosk', 'assisted', 'field')),  description   TEXT NOT NULL,  place_code    TEXT,  address_text  TEXT,  lat           REAL,  lon           REAL,  contact_sealed BLOB,  contact_hint  TEXT,  consent       INTEGER NOT NULL DEFAULT 0,  filed_by      TEXT,  created_at    INTEGER NOT NULL,  deadline_at   INTEGER NOT NULL,  status        TEXT NOT NULL DEFAULT 'saved',  status_notes  TEXT,  agency        TEXT,  expected_at   INTEGER,  updated_at    INTEGER NOT NULL,  purge_after   INTEGER, platform_token TEXT, handling_round INTEGER NOT NULL DEFAULT 1, attributes TEXT);
INSERT INTO requests VALUES(1,'38c79f48-1e0d-4f71-9352-a9258d0fc38e','00009226112800010',NULL,'sanitation','development','routine','kiosk','楼道灯坏了',NULL,'幸福小区3号楼',NULL,NULL,NULL,NULL,0,NULL,1795854546,1796459346,'saved',NULL,NULL,NULL,1795854546,NULL,NULL,1,NULL);
CREATE TABLE events (  id         INTEGER PRIMARY KEY,  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,  at         INTEGER NOT NULL,  kind       TEXT NOT NULL,  detail     TEXT);
INSERT INTO events VALUES(1,1,1795854546,'filed','kiosk');
CREATE TABLE outbox (  id              INTEGER PRIMARY KEY,  request_id      INTEGER NOT NULL REFERENCES requests (id) ON DELETE RESTRICT,  kind            TEXT NOT NULL,  state           TEXT NOT NULL DEFAULT 'queued'                  CHECK (state IN ('queued', 'sending', 'sent', 'retry', 'quarantined')),  payload         TEXT,  attempts        INTEGER NOT NULL DEFAULT 0,  next_attempt_at INTEGER NOT NULL,  last_error      TEXT,  created_at      INTEGER NOT NULL,  sent_at         INTEGER, in_doubt INTEGER NOT NULL DEFAULT 0, quarantine_reason TEXT, quarantined_at INTEGER);
INSERT INTO outbox VALUES(1,1,'create','queued',NULL,0,1795854546,NULL,1795854546,NULL,0,NULL,NULL);
CREATE TABLE case_sequences (  day  TEXT PRIMARY KEY,  last INTEGER NOT NULL) WITHOUT ROWID;
INSERT INTO case_sequences VALUES('2026-11-28',1);
CREATE TABLE meta (  key   TEXT PRIMARY KEY,  value TEXT) WITHOUT ROWID;
CREATE TABLE catalogue_cache (  id            INTEGER PRIMARY KEY CHECK (id = 1),  body          TEXT NOT NULL,  etag          TEXT,  last_modified TEXT,  fetched_at    INTEGER NOT NULL);
CREATE TABLE service_definitions (  service_code TEXT PRIMARY KEY,  body         TEXT NOT NULL,  fetched_at   INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE places (  id          INTEGER PRIMARY KEY,  code        TEXT NOT NULL UNIQUE,  parent_code TEXT,  level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'district', 'street',                                             'community', 'compound', 'building', 'unit')),  name        TEXT NOT NULL,  short_name  TEXT NOT NULL,  sort_key    TEXT NOT NULL,  source      TEXT NOT NULL);
PRAGMA writable_schema=ON;
INSERT INTO sqlite_schema(type,name,tbl_name,rootpage,sql)VALUES('table','places_fts','places_fts',0,'CREATE VIRTUAL TABLE places_fts USING fts5 (name, short_name, content=''places'',  content_rowid=''id'', tokenize=''trigram'')');
CREATE TABLE IF NOT EXISTS 'places_fts_data'(id INTEGER PRIMARY KEY, block BLOB);
INSERT INTO places_fts_data VALUES(1,X'');
INSERT INTO places_fts_data VALUES(10,X'00000000000000');
CREATE TABLE IF NOT EXISTS 'places_fts_idx'(segid, term, pgno, PRIMARY KEY(segid, term)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS 'places_fts_docsize'(id INTEGER PRIMARY KEY, sz BLOB);
CREATE TABLE IF NOT EXISTS 'places_fts_config'(k PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO places_fts_config VALUES('version',4);
CREATE TABLE place_imports (  source      TEXT PRIMARY KEY,  origin      TEXT NOT NULL,  digest      TEXT NOT NULL,  n_places    INTEGER NOT NULL,  imported_at INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE station (  id         INTEGER PRIMARY KEY CHECK (id = 1),  code       TEXT NOT NULL,  name       TEXT NOT NULL,  place_code TEXT NOT NULL);
CREATE TABLE ratings (  id           INTEGER PRIMARY KEY,  request_id   INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,  round        INTEGER NOT NULL,  solved       INTEGER NOT NULL CHECK (solved IN (0, 1)),  satisfaction TEXT NOT NULL CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')),  reasons      TEXT,  voice_note   TEXT,  escalated    INTEGER NOT NULL DEFAULT 0,  created_at   INTEGER NOT NULL,  UNIQUE (request_id, round));
CREATE TABLE inquiry_guard (  id              INTEGER PRIMARY KEY CHECK (id = 1),  failures        INTEGER NOT NULL DEFAULT 0,  lockouts        INTEGER NOT NULL DEFAULT 0,  locked_until    INTEGER NOT NULL DEFAULT 0,  last_failure_at INTEGER NOT NULL DEFAULT 0);
CREATE TABLE attachments (  id          INTEGER PRIMARY KEY,  request_id  INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,  kind        TEXT NOT NULL CHECK (kind IN ('voice_note', 'photo', 'signature')),  path        TEXT NOT NULL UNIQUE,  mime        TEXT NOT NULL,  byte_size   INTEGER NOT NULL CHECK (byte_size >= 0),  sha256      TEXT NOT NULL CHECK (length (sha256) = 64),  duration_ms INTEGER,  created_at  INTEGER NOT NULL);
CREATE INDEX requests_platform_id ON requests (platform_id)  WHERE platform_id IS NOT NULL;
CREATE INDEX requests_status ON requests (status);
CREATE INDEX events_request ON events (request_id, id);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_request ON outbox (request_id);
CREATE TRIGGER outbox_keep_unsent BEFORE DELETE ON outbox  WHEN OLD.state <> 'sent'  BEGIN SELECT RAISE (ABORT, 'an unsent outbox message cannot be deleted'); END;
CREATE INDEX places_children ON places (parent_code, sort_key);
CREATE INDEX places_short_name ON places (short_name);
CREATE INDEX places_source ON places (source);
CREATE INDEX outbox_kind_order ON outbox (kind, state, id);
CREATE INDEX attachments_request ON attachments (request_id);
PRAGMA writable_schema=OFF;
COMMIT;
