-- SPDX-License-Identifier: GPL-3.0-or-later
--
-- A store exactly as migration 1 left it (format 1, before the catalogue
-- cache of migration 2), with two requests filed on 27 November 2026 by
-- terminal 42 of the demo station: one anonymous and still queued, one
-- already sent to the platform. test-store loads this into a file and
-- checks that opening it migrates to the current format, keeping the rows.
--
-- Never edit this file to follow later migrations: it stands for the
-- files terminals in the field have on disk.

PRAGMA application_id = 1296980302;
PRAGMA user_version = 1;

CREATE TABLE requests (
  id            INTEGER PRIMARY KEY,
  uuid          TEXT NOT NULL UNIQUE,
  case_code     TEXT NOT NULL UNIQUE,
  platform_id   TEXT,
  service_code  TEXT NOT NULL,
  service_group TEXT,
  urgency       TEXT NOT NULL
                CHECK (urgency IN ('immediate', 'same_day', 'routine', 'dispute')),
  channel       TEXT NOT NULL CHECK (channel IN ('kiosk', 'assisted', 'field')),
  description   TEXT NOT NULL,
  place_code    TEXT,
  address_text  TEXT,
  lat           REAL,
  lon           REAL,
  contact_sealed BLOB,
  contact_hint  TEXT,
  consent       INTEGER NOT NULL DEFAULT 0,
  filed_by      TEXT,
  created_at    INTEGER NOT NULL,
  deadline_at   INTEGER NOT NULL,
  status        TEXT NOT NULL DEFAULT 'saved',
  status_notes  TEXT,
  agency        TEXT,
  expected_at   INTEGER,
  updated_at    INTEGER NOT NULL,
  purge_after   INTEGER
);
CREATE INDEX requests_platform_id ON requests (platform_id) WHERE platform_id IS NOT NULL;
CREATE INDEX requests_status ON requests (status);
CREATE TABLE events (
  id         INTEGER PRIMARY KEY,
  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  kind       TEXT NOT NULL,
  detail     TEXT
);
CREATE INDEX events_request ON events (request_id, id);
CREATE TABLE outbox (
  id              INTEGER PRIMARY KEY,
  request_id      INTEGER NOT NULL REFERENCES requests (id) ON DELETE RESTRICT,
  kind            TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'queued'
                  CHECK (state IN ('queued', 'sending', 'sent', 'retry', 'quarantined')),
  payload         TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error      TEXT,
  created_at      INTEGER NOT NULL,
  sent_at         INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
CREATE INDEX outbox_request ON outbox (request_id);
CREATE TRIGGER outbox_keep_unsent BEFORE DELETE ON outbox
  WHEN OLD.state <> 'sent'
  BEGIN SELECT RAISE (ABORT, 'an unsent outbox message cannot be deleted'); END;
CREATE TABLE case_sequences (
  day  TEXT PRIMARY KEY,
  last INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT
) WITHOUT ROWID;

INSERT INTO requests (id, uuid, case_code, platform_id, service_code, service_group, urgency,
                      channel, description, place_code, address_text, lat, lon, contact_sealed,
                      contact_hint, consent, filed_by, created_at, deadline_at, status,
                      status_notes, agency, expected_at, updated_at, purge_after)
VALUES
  (1, '6f1c2a9e-3b7d-4c51-9a0e-2d8f41b7c613', '00004226112700017', NULL, 'streetlight', '民生',
   'routine', 'kiosk', '3 号楼门口的路灯坏了一个星期，晚上很黑。', NULL, '幸福路 12 号', NULL, NULL,
   NULL, NULL, 1, NULL, 1795766400, 1796371200, 'saved', NULL, NULL, NULL, 1795766400, NULL),
  (2, 'b2e0d4f8-7a16-4e93-8c2d-5f9a03e1d7b4', '00004226112700025', '12345-2026-000981', 'noise',
   '民生', 'same_day', 'assisted', '夜里 11 点后还有装修噪音 ''电钻'' 😠', 'P330106', NULL, 30.25,
   120.17, NULL, NULL, 1, 'staff-07', 1795770000, 1795856400, 'sent', NULL, '街道城管科', NULL,
   1795773600, NULL);

INSERT INTO events (request_id, at, kind, detail) VALUES
  (1, 1795766400, 'filed', 'kiosk'),
  (2, 1795770000, 'filed', 'assisted'),
  (2, 1795773600, 'sent', '12345-2026-000981');

INSERT INTO outbox (request_id, kind, state, attempts, next_attempt_at, created_at, sent_at) VALUES
  (1, 'create', 'queued', 0, 1795766400, 1795766400, NULL),
  (2, 'create', 'sent', 1, 1795770000, 1795770000, 1795773600);

INSERT INTO case_sequences (day, last) VALUES ('2026-11-27', 2);
