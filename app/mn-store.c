/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include "mn-attachment-private.h"
#include "mn-case-code.h"
#include "mn-device.h"
#include "mn-inquiry.h"
#include "mn-questionnaire.h"
#include "mn-store.h"
#include "mn-store-private.h"
#include "mn-vault.h"

G_DEFINE_QUARK (mn-store-error-quark, mn_store_error)

#define DB_FILE "minyin.db"

/* PRAGMA application_id of every Minyin store: 0x4D4E594E, "MNYN" in
 * ASCII, written in decimal because PRAGMA takes no hex. It tells our
 * files from any other SQLite file, so that a wrong --data-dir never makes
 * us write into someone else's database. */
#define MN_STORE_APPLICATION_ID 1296980302

/* Below this size a store gets PRAGMA quick_check at open. quick_check
 * reads every page, so it runs only while its cost is bounded by this
 * constant: open time must not grow with the number of requests. Larger
 * files get the schema read and a probe of the requests table instead. */
#define QUICK_CHECK_MAX_BYTES (2 * 1024 * 1024)

/* How long a statement waits for another process (the command line beside
 * the window) to finish its write before giving up. */
#define BUSY_TIMEOUT_MS 5000

/* Below this much free space a failed write counts as a full disk. */
#define MIN_FREE_BYTES (256 * 1024)

#define MAX_CODE_CHARS 64
#define MAX_ADDRESS_CHARS 500
/* Far more than any definition asks; a bound so a bad caller cannot fill the disk. */
#define MAX_ATTRIBUTES_BYTES 16384
#define MAX_NAME_CHARS 100

/* Schema migrations, oldest first. Migration N turns a store of version
 * N-1 into version N; each one runs in its own transaction, together with
 * the update of PRAGMA user_version, so a store is always at exactly one
 * version, even if the power fails half way.
 *
 * To add a table or column (see HACKING.md, "Adding a table migration"):
 * append an entry with the next version number and its SQL; never edit
 * or reorder an entry that has shipped, since terminals in the field have
 * already run it. Then add a test that opens a store of the previous
 * version (tests/data/store-vN.sql) and finds the new schema. A build
 * refuses a store whose version is newer than the last entry here. */
typedef struct
{
  int         version;
  const char *sql;
} Migration;

static const Migration migrations[] = {
  { 1,
    /* Requests, their timeline, the outbox, and the per-day sequences of
     * the provisional case codes. */
    "CREATE TABLE requests ("
    "  id            INTEGER PRIMARY KEY,"
    "  uuid          TEXT NOT NULL UNIQUE,"
    "  case_code     TEXT NOT NULL UNIQUE,"
    "  platform_id   TEXT,"
    "  service_code  TEXT NOT NULL,"
    "  service_group TEXT,"
    "  urgency       TEXT NOT NULL"
    "                CHECK (urgency IN ('immediate', 'same_day', 'routine', 'dispute')),"
    "  channel       TEXT NOT NULL CHECK (channel IN ('kiosk', 'assisted', 'field')),"
    "  description   TEXT NOT NULL,"
    "  place_code    TEXT,"
    "  address_text  TEXT,"
    "  lat           REAL,"
    "  lon           REAL,"
    "  contact_sealed BLOB,"
    "  contact_hint  TEXT,"
    "  consent       INTEGER NOT NULL DEFAULT 0,"
    "  filed_by      TEXT,"
    "  created_at    INTEGER NOT NULL,"
    "  deadline_at   INTEGER NOT NULL,"
    "  status        TEXT NOT NULL DEFAULT 'saved',"
    "  status_notes  TEXT,"
    "  agency        TEXT,"
    "  expected_at   INTEGER,"
    "  updated_at    INTEGER NOT NULL,"
    "  purge_after   INTEGER"
    ");"
    /* uuid and case_code are indexed by their UNIQUE constraints. Most
     * requests have no platform id while they wait in the outbox, hence a
     * partial index. */
    "CREATE INDEX requests_platform_id ON requests (platform_id)"
    "  WHERE platform_id IS NOT NULL;"
    "CREATE INDEX requests_status ON requests (status);"
    "CREATE TABLE events ("
    "  id         INTEGER PRIMARY KEY,"
    "  request_id INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,"
    "  at         INTEGER NOT NULL,"
    "  kind       TEXT NOT NULL,"
    "  detail     TEXT"
    ");"
    "CREATE INDEX events_request ON events (request_id, id);"
    /* The outbox keeps every message until the platform has it: a request
     * with messages cannot be deleted (RESTRICT), and the trigger below
     * refuses to delete a message that was not sent. */
    "CREATE TABLE outbox ("
    "  id              INTEGER PRIMARY KEY,"
    "  request_id      INTEGER NOT NULL REFERENCES requests (id) ON DELETE RESTRICT,"
    "  kind            TEXT NOT NULL,"
    "  state           TEXT NOT NULL DEFAULT 'queued'"
    "                  CHECK (state IN ('queued', 'sending', 'sent', 'retry', 'quarantined')),"
    "  payload         TEXT,"
    "  attempts        INTEGER NOT NULL DEFAULT 0,"
    "  next_attempt_at INTEGER NOT NULL,"
    "  last_error      TEXT,"
    "  created_at      INTEGER NOT NULL,"
    "  sent_at         INTEGER"
    ");"
    "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
    "CREATE INDEX outbox_request ON outbox (request_id);"
    "CREATE TRIGGER outbox_keep_unsent BEFORE DELETE ON outbox"
    "  WHEN OLD.state <> 'sent'"
    "  BEGIN SELECT RAISE (ABORT, 'an unsent outbox message cannot be deleted'); END;"
    "CREATE TABLE case_sequences ("
    "  day  TEXT PRIMARY KEY,"
    "  last INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    /* Small facts about this store, such as the fingerprint of the device
     * key its contacts are sealed under. */
    "CREATE TABLE meta ("
    "  key   TEXT PRIMARY KEY,"
    "  value TEXT"
    ") WITHOUT ROWID;" },
  { 2,
    /* The platform's catalogue, for a conditional GET and for offline
     * use. */
    "CREATE TABLE catalogue_cache ("
    "  id            INTEGER PRIMARY KEY CHECK (id = 1),"
    "  body          TEXT NOT NULL,"
    "  etag          TEXT,"
    "  last_modified TEXT,"
    "  fetched_at    INTEGER NOT NULL"
    ");"
    "CREATE TABLE service_definitions ("
    "  service_code TEXT PRIMARY KEY,"
    "  body         TEXT NOT NULL,"
    "  fetched_at   INTEGER NOT NULL"
    ") WITHOUT ROWID;" },
  { 3,
    /* The gazetteer (app/mn-gazetteer.c): administrative divisions down to
     * the community, and below them the compounds, buildings and units a
     * station provisions. The integer id is the stable rowid the full-text
     * index refers to (an implicit rowid may change at VACUUM); the code
     * is the key everyone else uses. `source` says which import owns a row
     * ('divisions' or 'station'), so re-importing one never drops the
     * other. sort_key orders siblings for the pickers.
     *
     * The full-text index uses the trigram tokenizer: Chinese has no
     * spaces, and trigrams give substring search with no segmenter. It is
     * kept up to date by mn-gazetteer.c, not by triggers, because the
     * store runs with trusted_schema=OFF, under which a trigger may not
     * write to a virtual table. */
    "CREATE TABLE places ("
    "  id          INTEGER PRIMARY KEY,"
    "  code        TEXT NOT NULL UNIQUE,"
    "  parent_code TEXT,"
    "  level       TEXT NOT NULL CHECK (level IN ('province', 'city', 'district', 'street',"
    "                                             'community', 'compound', 'building', 'unit')),"
    "  name        TEXT NOT NULL,"
    "  short_name  TEXT NOT NULL,"
    "  sort_key    TEXT NOT NULL,"
    "  source      TEXT NOT NULL"
    ");"
    "CREATE INDEX places_children ON places (parent_code, sort_key);"
    "CREATE INDEX places_short_name ON places (short_name);"
    "CREATE INDEX places_source ON places (source);"
    "CREATE VIRTUAL TABLE places_fts USING fts5 (name, short_name, content='places',"
    "  content_rowid='id', tokenize='trigram');"
    /* What was imported, so that importing the same data again is a
     * no-op and the bundled demo is never laid over real data. */
    "CREATE TABLE place_imports ("
    "  source      TEXT PRIMARY KEY,"
    "  origin      TEXT NOT NULL,"
    "  digest      TEXT NOT NULL,"
    "  n_places    INTEGER NOT NULL,"
    "  imported_at INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    /* The community service station this terminal stands in: what "here,
     * at this station" means. */
    "CREATE TABLE station ("
    "  id         INTEGER PRIMARY KEY CHECK (id = 1),"
    "  code       TEXT NOT NULL,"
    "  name       TEXT NOT NULL,"
    "  place_code TEXT NOT NULL"
    ");" },
  { 4,
    /* The sync client's bookkeeping (app/mn-store-sync.c). A token is what
     * a platform in token mode answers before it has a case number. An
     * outbox message is "in doubt" when an earlier attempt may have
     * reached the platform without our hearing the answer: it is looked
     * for before it is posted again. The index serves "oldest first per
     * kind". */
    "ALTER TABLE requests ADD COLUMN platform_token TEXT;"
    "ALTER TABLE outbox ADD COLUMN in_doubt INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE outbox ADD COLUMN quarantine_reason TEXT;"
    "ALTER TABLE outbox ADD COLUMN quarantined_at INTEGER;"
    "CREATE INDEX outbox_kind_order ON outbox (kind, state, id);" },
  { 5,
    /* Ratings and the re-handling rounds (app/mn-rating.h), and the
     * counters that slow down guessing of codes and phone digits
     * (app/mn-inquiry.h). handling_round starts at 1 and grows at each
     * re-opening; the UNIQUE constraint is the rule "one rating per round
     * of handling". The guard is one row, kept across restarts. */
    "ALTER TABLE requests ADD COLUMN handling_round INTEGER NOT NULL DEFAULT 1;"
    "CREATE TABLE ratings ("
    "  id           INTEGER PRIMARY KEY,"
    "  request_id   INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,"
    "  round        INTEGER NOT NULL,"
    "  solved       INTEGER NOT NULL CHECK (solved IN (0, 1)),"
    "  satisfaction TEXT NOT NULL CHECK (satisfaction IN ('satisfied', 'basic', 'unsatisfied')),"
    "  reasons      TEXT,"
    "  voice_note   TEXT,"
    "  escalated    INTEGER NOT NULL DEFAULT 0,"
    "  created_at   INTEGER NOT NULL,"
    "  UNIQUE (request_id, round)"
    ");"
    "CREATE TABLE inquiry_guard ("
    "  id              INTEGER PRIMARY KEY CHECK (id = 1),"
    "  failures        INTEGER NOT NULL DEFAULT 0,"
    "  lockouts        INTEGER NOT NULL DEFAULT 0,"
    "  locked_until    INTEGER NOT NULL DEFAULT 0,"
    "  last_failure_at INTEGER NOT NULL DEFAULT 0"
    ");" },
  { 6,
    /* A person's answers to the category's extra questions (Open311
     * service definition attributes), as a JSON object code → "value" or
     * ["values"]; NULL when none were asked or answered. The sync code
     * sends them as attribute[CODE] / attribute[CODE][]. */
    "ALTER TABLE requests ADD COLUMN attributes TEXT;" },
  { 7,
    /* Files kept with a request (app/mn-attachment.h): voice notes now,
     * photos and consent signatures later. The file lives under the data
     * directory (path is relative to it); size and SHA-256 tell a damaged
     * or replaced file. duration_ms is NULL for what is not a sound. */
    "CREATE TABLE attachments ("
    "  id          INTEGER PRIMARY KEY,"
    "  request_id  INTEGER NOT NULL REFERENCES requests (id) ON DELETE CASCADE,"
    "  kind        TEXT NOT NULL CHECK (kind IN ('voice_note', 'photo', 'signature')),"
    "  path        TEXT NOT NULL UNIQUE,"
    "  mime        TEXT NOT NULL,"
    "  byte_size   INTEGER NOT NULL CHECK (byte_size >= 0),"
    "  sha256      TEXT NOT NULL CHECK (length (sha256) = 64),"
    "  duration_ms INTEGER,"
    "  created_at  INTEGER NOT NULL"
    ");"
    "CREATE INDEX attachments_request ON attachments (request_id);" },
  { 8,
    /* Staff accounts and the audit trail (app/mn-staff.h, app/mn-audit.h).
     * A PIN is kept only as crypto_pwhash_str. staff_guard counts wrong
     * PINs per typed number (known or not), across restarts. An audit row
     * carries the hash of the row before it; rows are never updated or
     * deleted by Minyin. */
    "CREATE TABLE staff ("
    "  id          INTEGER PRIMARY KEY,"
    "  number      TEXT NOT NULL UNIQUE,"
    "  name        TEXT NOT NULL,"
    "  pin_hash    TEXT NOT NULL,"
    "  created_at  INTEGER NOT NULL,"
    "  disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),"
    "  disabled_at INTEGER"
    ");"
    "CREATE TABLE staff_guard ("
    "  number          TEXT PRIMARY KEY,"
    "  failures        INTEGER NOT NULL DEFAULT 0,"
    "  lockouts        INTEGER NOT NULL DEFAULT 0,"
    "  locked_until    INTEGER NOT NULL DEFAULT 0,"
    "  last_failure_at INTEGER NOT NULL DEFAULT 0"
    ");"
    "CREATE TABLE audit ("
    "  id        INTEGER PRIMARY KEY,"
    "  at        INTEGER NOT NULL,"
    "  actor     TEXT NOT NULL,"
    "  action    TEXT NOT NULL,"
    "  detail    TEXT,"
    "  prev_hash TEXT NOT NULL,"
    "  hash      TEXT NOT NULL"
    ");" },
};

#define CURRENT_VERSION ((int) G_N_ELEMENTS (migrations))

/* The statements run often are prepared once per connection. */
#define REQUEST_COLUMNS                                                                            \
  "id, uuid, case_code, platform_id, service_code, service_group, urgency, channel, "              \
  "description, place_code, address_text, lat, lon, contact_sealed IS NULL, contact_hint, "        \
  "consent, filed_by, created_at, deadline_at, status, status_notes, agency, expected_at, "        \
  "updated_at, attributes"

static const char SQL_NEXT_SEQUENCE[] =
  "INSERT INTO case_sequences (day, last) VALUES (?1, 1) "
  "ON CONFLICT (day) DO UPDATE SET last = last + 1 RETURNING last";
static const char SQL_INSERT_REQUEST[] =
  "INSERT INTO requests (uuid, case_code, service_code, service_group, urgency, channel, "
  "description, place_code, address_text, lat, lon, contact_sealed, contact_hint, consent, "
  "filed_by, created_at, deadline_at, status, updated_at, attributes) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, "
  "?20)";
static const char SQL_INSERT_EVENT[] =
  "INSERT INTO events (request_id, at, kind, detail) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_INSERT_OUTBOX[] =
  "INSERT INTO outbox (request_id, kind, state, next_attempt_at, created_at) "
  "VALUES (?1, ?2, 'queued', ?3, ?3)";
static const char SQL_BY_CASE_CODE[] =
  "SELECT " REQUEST_COLUMNS " FROM requests WHERE case_code = ?1";
static const char SQL_BY_PLATFORM_ID[] =
  "SELECT " REQUEST_COLUMNS " FROM requests WHERE platform_id = ?1";
static const char SQL_BY_UUID[] = "SELECT " REQUEST_COLUMNS " FROM requests WHERE uuid = ?1";
static const char SQL_LIST[] =
  "SELECT " REQUEST_COLUMNS " FROM requests ORDER BY id DESC LIMIT ?1";
static const char SQL_COUNT_STATUS[] = "SELECT status, count(*) FROM requests GROUP BY status";
static const char SQL_COUNT_OUTBOX[] = "SELECT state, count(*) FROM outbox GROUP BY state";
static const char SQL_REQUEST_ID[] = "SELECT id FROM requests WHERE uuid = ?1";
static const char SQL_EVENTS[] =
  "SELECT at, kind, detail FROM events WHERE request_id = ?1 ORDER BY id";
static const char SQL_SEALED[] = "SELECT contact_sealed FROM requests WHERE uuid = ?1";
static const char SQL_GET_CATALOGUE[] =
  "SELECT body, etag, last_modified, fetched_at FROM catalogue_cache WHERE id = 1";
static const char SQL_SET_CATALOGUE[] =
  "INSERT INTO catalogue_cache (id, body, etag, last_modified, fetched_at) "
  "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET body = excluded.body, "
  "etag = excluded.etag, last_modified = excluded.last_modified, "
  "fetched_at = excluded.fetched_at";
static const char SQL_GET_DEFINITION[] =
  "SELECT body, fetched_at FROM service_definitions WHERE service_code = ?1";
static const char SQL_SET_DEFINITION[] =
  "INSERT INTO service_definitions (service_code, body, fetched_at) VALUES (?1, ?2, ?3) "
  "ON CONFLICT (service_code) DO UPDATE SET body = excluded.body, "
  "fetched_at = excluded.fetched_at";

/* Everything the worker thread owns. Only that thread touches it, from
 * the open job to the quit job, after which it frees it. */
struct _MnStoreWorker
{
  char         *data_dir;
  char         *path;
  sqlite3      *db;
  GHashTable   *stmts; /* SQL text (static) → sqlite3_stmt */
  MnVault      *vault;
  MnDevice     *device;
  struct stat   device_stat;
  GAsyncQueue  *queue;
  GBytes       *decoy_sealed; /* a sealed made-up contact, see verify_case() */
  char         *decoy_uuid;
};

struct _MnStore
{
  GObject      parent_instance;

  char        *data_dir;
  char        *path;
  GThread     *thread;
  GAsyncQueue *queue;
  MnVault     *vault; /* a reference to the worker's, for mn_store_get_vault() */
};

G_DEFINE_FINAL_TYPE (MnStore, mn_store, G_TYPE_OBJECT)

/* A job for the worker. A job without a function tells the worker to
 * stop. Async jobs carry a GTask (whose task data is the job's input);
 * sync jobs carry a condition the caller waits on. */
typedef gpointer (*JobFunc) (MnStoreWorker *w,
                             gpointer       data,
                             GError       **error);

typedef struct
{
  JobFunc        func;
  gpointer       data;
  GTask         *task;
  GDestroyNotify result_free;

  GMutex         lock;
  GCond          cond;
  gboolean       done;
  gpointer       result;
  GError        *error;
} Job;

/* A successful job that has no value to return returns this. */
#define JOB_OK GINT_TO_POINTER (1)

/* ---- errors ---------------------------------------------------------- */

static void
set_disk_full (GError **error)
{
  g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_DISK_FULL,
                       _("The terminal's storage is full; nothing was saved. Ask staff to free "
                         "space; what you entered is still on screen."));
}

/* Whether the files of the store at @path can grow: there is space on its
 * file system, and the process's file size limit is not reached. */
static gboolean
storage_exhausted (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  struct statvfs   vfs;
  struct rlimit    limit;
  struct stat      st;

  /* Room for at least one more filing, with its log frames. */
  if (statvfs (dir, &vfs) == 0 &&
      ((guint64) vfs.f_bavail * vfs.f_frsize < MIN_FREE_BYTES ||
       (vfs.f_files > 0 && vfs.f_favail == 0)))
    return TRUE;

  if (getrlimit (RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    {
      if ((g_stat (path, &st) == 0 && (guint64) st.st_size + MIN_FREE_BYTES > limit.rlim_cur) ||
          (g_stat (wal, &st) == 0 && (guint64) st.st_size + MIN_FREE_BYTES > limit.rlim_cur))
        return TRUE;
    }

  return FALSE;
}

static gboolean
is_disk_full (sqlite3    *db,
              int         rc,
              const char *path)
{
  int sys;

  if ((rc & 0xff) == SQLITE_FULL)
    return TRUE;
  if ((rc & 0xff) != SQLITE_IOERR)
    return FALSE;

  /* SQLite reports a write refused for lack of space as SQLITE_FULL only
   * when the write came up short; a write that fails outright (ENOSPC,
   * EFBIG past the file size limit, EDQUOT) is an I/O error, and by the
   * time it is reported the system error number is often gone. To the
   * person filing they are all the same: there is no room. So look at the
   * error number if it survived, else at the file system itself. */
  sys = sqlite3_system_errno (db);
  if (sys == ENOSPC || sys == EFBIG || sys == EDQUOT)
    return TRUE;

  return path != NULL && storage_exhausted (path);
}

static void
set_sqlite_error (GError    **error,
                  sqlite3    *db,
                  int         rc,
                  const char *path)
{
  if (is_disk_full (db, rc, path))
    {
      set_disk_full (error);
      return;
    }

  if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_CORRUPT,
                   _("The store %s is damaged (%s); nothing more was written to it. Ask staff "
                     "to restore it from a backup."),
                   path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      return;
    }

  g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_IO,
               _("The terminal could not read or write its store %s (%s); please try again, and "
                 "ask staff if it keeps happening."),
               path, db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
}

/* ---- statements ------------------------------------------------------ */

static sqlite3_stmt *
worker_stmt (MnStoreWorker *w,
             const char    *sql,
             GError       **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (w->stmts, sql);
  int           rc;

  if (stmt != NULL)
    return stmt;

  rc = sqlite3_prepare_v3 (w->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, w->db, rc, w->path);
      return NULL;
    }
  g_hash_table_insert (w->stmts, (gpointer) sql, stmt);

  return stmt;
}

/* Cached statements are reset (not finalized) when a function is done
 * with them, whichever way it leaves. */
typedef sqlite3_stmt MnCachedStmt;

static void
cached_stmt_release (MnCachedStmt *stmt)
{
  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnCachedStmt, cached_stmt_release)

void
mn_store_bind_text (sqlite3_stmt *stmt,
                    int           idx,
                    const char   *value)
{
  if (value == NULL)
    sqlite3_bind_null (stmt, idx);
  else
    sqlite3_bind_text (stmt, idx, value, -1, SQLITE_TRANSIENT);
}

char *
mn_store_column_text (sqlite3_stmt *stmt,
                      int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

static gboolean
worker_exec (MnStoreWorker *w,
             const char    *sql,
             GError       **error)
{
  int rc = sqlite3_exec (w->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
      return FALSE;
    }

  return TRUE;
}

static void
worker_rollback (MnStoreWorker *w)
{
  /* After some errors (SQLITE_FULL, SQLITE_IOERR) SQLite has already
   * rolled the transaction back by itself. */
  if (!sqlite3_get_autocommit (w->db))
    sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
query_int (sqlite3 *db,
           const char *sql,
           gint64  *out,
           int     *out_rc)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *out = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        {
          *out = 0;
          rc = SQLITE_OK;
        }
    }
  if (rc != SQLITE_OK)
    rc = sqlite3_extended_errcode (db);
  sqlite3_finalize (stmt);
  *out_rc = rc;

  return rc == SQLITE_OK;
}

/* ---- opening --------------------------------------------------------- */

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
set_foreign (GError    **error,
             const char *path)
{
  g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_FOREIGN,
               _("The file %s holds another program's data, not a Minyin store; it was left "
                 "untouched. Move it away or choose another data directory."),
               path);
}

static void
set_corrupt (GError    **error,
             const char *path,
             const char *why)
{
  g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_CORRUPT,
               _("The store %s is damaged (%s); it was left untouched. Ask staff to restore it "
                 "from a backup."),
               path, why);
}

static void
set_too_new (GError    **error,
             const char *path,
             gint64      version)
{
  g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_TOO_NEW,
               _("The store %s was written by a newer version of Minyin (format %d; this one "
                 "reads up to %d); it was left untouched. Update Minyin on this terminal."),
               path, (int) version, CURRENT_VERSION);
}

/* Checks that a connection's database is one this build may use: ours
 * (or an empty SQLite file), not from a newer build, its schema readable
 * and its main tables present. Reads only. */
static gboolean
verify_database (sqlite3    *db,
                 const char *path,
                 gint64      file_size,
                 GError    **error)
{
  gint64 n_tables = 0;
  gint64 app_id = 0;
  gint64 version = 0;
  gint64 n_core = 0;
  int    rc;

  /* Counting the schema makes SQLite read and parse all of it. */
  if (!query_int (db, "SELECT count(*) FROM sqlite_schema WHERE type = 'table'", &n_tables, &rc))
    {
      if ((rc & 0xff) == SQLITE_NOTADB || (rc & 0xff) == SQLITE_CORRUPT)
        set_corrupt (error, path, sqlite3_errmsg (db));
      else
        set_sqlite_error (error, db, rc, path);
      return FALSE;
    }

  if (!query_int (db, "PRAGMA application_id", &app_id, &rc) ||
      !query_int (db, "PRAGMA user_version", &version, &rc))
    {
      set_sqlite_error (error, db, rc, path);
      return FALSE;
    }

  if ((guint32) app_id != MN_STORE_APPLICATION_ID)
    {
      /* An empty SQLite file (no tables, no id) becomes a store; any other
       * SQLite file is someone else's. */
      if (app_id != 0 || n_tables > 0)
        {
          set_foreign (error, path);
          return FALSE;
        }
      return TRUE;
    }

  if (version > CURRENT_VERSION)
    {
      set_too_new (error, path, version);
      return FALSE;
    }

  if (version >= 1)
    {
      if (!query_int (db,
                      "SELECT count(*) FROM sqlite_schema WHERE type = 'table' "
                      "AND name IN ('requests', 'events', 'outbox', 'case_sequences', 'meta')",
                      &n_core, &rc))
        {
          set_sqlite_error (error, db, rc, path);
          return FALSE;
        }
      if (n_core != 5)
        {
          set_corrupt (error, path, _("tables are missing"));
          return FALSE;
        }
    }

  if (file_size >= 0 && file_size <= QUICK_CHECK_MAX_BYTES)
    {
      sqlite3_stmt *stmt = NULL;
      gboolean      ok = FALSE;

      rc = sqlite3_prepare_v2 (db, "PRAGMA quick_check (1)", -1, &stmt, NULL);
      if (rc == SQLITE_OK && sqlite3_step (stmt) == SQLITE_ROW)
        ok = g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") == 0;
      sqlite3_finalize (stmt);
      if (!ok)
        {
          set_corrupt (error, path, _("its pages do not fit together"));
          return FALSE;
        }
    }
  else if (version >= 1)
    {
      gint64 newest = 0;

      /* A bounded probe instead: the root and the newest leaf of the
       * requests table, which is where new rows go. */
      if (!query_int (db, "SELECT max(id) FROM requests", &newest, &rc) ||
          !query_int (db, "SELECT length(uuid) FROM requests ORDER BY id DESC LIMIT 1", &newest,
                      &rc))
        {
          if ((rc & 0xff) == SQLITE_CORRUPT || (rc & 0xff) == SQLITE_NOTADB)
            set_corrupt (error, path, sqlite3_errmsg (db));
          else
            set_sqlite_error (error, db, rc, path);
          return FALSE;
        }
    }

  return TRUE;
}

/* Looks at an existing file before SQLite may write anything into it or
 * beside it. Sets *out_has_wal when a write-ahead log with content lies
 * beside the file: only SQLite can read the state the log holds, so the
 * checks are then repeated on the real connection. */
static gboolean
precheck_file (const char *path,
               gboolean   *out_has_wal,
               GError    **error)
{
  static const char        magic[16] = "SQLite format 3";
  g_autofree char         *wal_path = NULL;
  g_autofree char         *abs_path = NULL;
  g_autofree char         *uri = NULL;
  g_autofree char         *escaped = NULL;
  struct stat              st;
  struct stat              wal_st;
  guint8                   header[100];
  guint32                  page_size;
  guint32                  app_id;
  guint32                  version;
  sqlite3                 *db = NULL;
  gboolean                 ok;
  FILE                    *f;
  int                      rc;

  *out_has_wal = FALSE;

  if (g_stat (path, &st) != 0)
    {
      if (errno == ENOENT)
        return TRUE;
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_IO,
                   _("The store %s cannot be examined: %s."), path, g_strerror (errno));
      return FALSE;
    }

  if (!S_ISREG (st.st_mode))
    {
      set_foreign (error, path);
      return FALSE;
    }

  /* SQLite treats an empty file as an empty database. */
  if (st.st_size == 0)
    return TRUE;

  f = g_fopen (path, "rb");
  if (f == NULL)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_IO,
                   _("The store %s cannot be read: %s. Check the permissions of the data "
                     "directory."),
                   path, g_strerror (errno));
      return FALSE;
    }
  ok = fread (header, 1, sizeof header, f) == sizeof header;
  fclose (f);

  if (!ok || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_FOREIGN,
                   _("The file %s is not a Minyin store (it is not a database at all); it was "
                     "left untouched. Move it away or choose another data directory."),
                   path);
      return FALSE;
    }

  page_size = ((guint32) header[16] << 8) | header[17];
  if (page_size == 1)
    page_size = 65536;
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0)
    {
      set_corrupt (error, path, _("its header is damaged"));
      return FALSE;
    }

  app_id = read_be32 (header + 68);
  version = read_be32 (header + 60);
  if (app_id != 0 && app_id != MN_STORE_APPLICATION_ID)
    {
      set_foreign (error, path);
      return FALSE;
    }
  if (app_id == MN_STORE_APPLICATION_ID && version > CURRENT_VERSION)
    {
      set_too_new (error, path, version);
      return FALSE;
    }

  /* With a log beside it the file's own size proves nothing: a checkpoint
   * that failed half-way (a full disk) leaves a short or ragged file that
   * SQLite completes from the log on the next open. So the size checks
   * below apply only to a file that stands alone. */
  wal_path = g_strconcat (path, "-wal", NULL);
  if (g_stat (wal_path, &wal_st) == 0 && wal_st.st_size > 0)
    {
      *out_has_wal = TRUE;
      return TRUE;
    }

  if (st.st_size % page_size != 0)
    {
      set_corrupt (error, path, _("it was cut short"));
      return FALSE;
    }

  /* The page count in the header is valid when the change counter matches
   * the "version valid for" field (SQLite 3.7.0 and later). */
  if (read_be32 (header + 24) == read_be32 (header + 92) &&
      (gint64) read_be32 (header + 28) * page_size > st.st_size)
    {
      set_corrupt (error, path, _("it was cut short"));
      return FALSE;
    }

  /* immutable=1: no locks, no journal, no -wal or -shm file is created,
   * nothing is written. The file is only read. */
  abs_path = g_canonicalize_filename (path, NULL);
  escaped = g_uri_escape_string (abs_path, "/", FALSE);
  uri = g_strconcat ("file://", escaped, "?immutable=1", NULL);

  rc = sqlite3_open_v2 (uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (error, db, rc, path);
      sqlite3_close (db);
      return FALSE;
    }
  sqlite3_extended_result_codes (db, 1);

  ok = verify_database (db, path, st.st_size, error);
  sqlite3_close (db);

  return ok;
}

static gboolean
run_migrations (MnStoreWorker *w,
                GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      const Migration  *m = &migrations[i];
      g_autofree char  *set_version = NULL;
      gint64            version = 0;
      int               rc;

      g_assert (m->version == (int) i + 1);

      /* BEGIN IMMEDIATE takes the write lock before the version is read,
       * so two processes opening an old store at once migrate it once. */
      if (!worker_exec (w, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!query_int (w->db, "PRAGMA user_version", &version, &rc))
        {
          set_sqlite_error (error, w->db, rc, w->path);
          worker_rollback (w);
          return FALSE;
        }
      if (version >= m->version)
        {
          worker_rollback (w);
          continue;
        }

      set_version = g_strdup_printf ("PRAGMA user_version = %d", m->version);
      if ((m->version == 1 &&
           !worker_exec (w, "PRAGMA application_id = " G_STRINGIFY (MN_STORE_APPLICATION_ID),
                         error)) ||
          !worker_exec (w, m->sql, error) || !worker_exec (w, set_version, error) ||
          !worker_exec (w, "COMMIT", error))
        {
          worker_rollback (w);
          g_prefix_error (error, _("The store could not be upgraded to format %d and was left "
                                   "as it was. "),
                          m->version);
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
meta_get (MnStoreWorker *w,
          const char    *key,
          char         **out_value,
          GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  rc = sqlite3_prepare_v2 (w->db, "SELECT value FROM meta WHERE key = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      mn_store_bind_text (stmt, 1, key);
      rc = sqlite3_step (stmt);
    }
  if (rc == SQLITE_ROW)
    {
      *out_value = mn_store_column_text (stmt, 0);
      rc = SQLITE_DONE;
    }
  else if (rc == SQLITE_DONE)
    *out_value = NULL;
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
      return FALSE;
    }

  return TRUE;
}

static gboolean
meta_set (MnStoreWorker *w,
          const char    *key,
          const char    *value,
          GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  rc = sqlite3_prepare_v2 (w->db,
                           "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                           "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      mn_store_bind_text (stmt, 1, key);
      mn_store_bind_text (stmt, 2, value);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);

  if (rc != SQLITE_DONE)
    {
      set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
      return FALSE;
    }

  return TRUE;
}

static void
set_key_error (GError   **error,
               GError    *vault_error)
{
  g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_KEY, vault_error->message);
}

/* Opens the vault that belongs to this store. The store remembers the
 * fingerprint of its key: a store whose key went missing must say so, not
 * quietly make a new key that cannot open the contacts already sealed. */
static gboolean
open_vault (MnStoreWorker *w,
            GError       **error)
{
  g_autofree char   *key_id = NULL;
  g_autoptr(GError)  vault_error = NULL;

  if (!meta_get (w, "vault_key_id", &key_id, error))
    return FALSE;

  w->vault = mn_vault_open (w->data_dir, key_id == NULL, &vault_error);
  if (w->vault == NULL)
    {
      if (g_error_matches (vault_error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_MISSING))
        {
          g_autofree char *key_path = g_build_filename (w->data_dir, "vault.key", NULL);

          g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_KEY,
                       _("The device key %s is missing, so the contact details saved on this "
                         "terminal cannot be opened; restore it from the backup made when the "
                         "terminal was set up."),
                       key_path);
        }
      else
        set_key_error (error, vault_error);
      return FALSE;
    }

  if (key_id == NULL)
    return meta_set (w, "vault_key_id", mn_vault_get_key_id (w->vault), error);

  if (g_strcmp0 (key_id, mn_vault_get_key_id (w->vault)) != 0)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_KEY,
                   _("The device key %s belongs to another store, so the contact details saved "
                     "here cannot be opened with it; restore this terminal's own key from its "
                     "backup."),
                   mn_vault_get_key_path (w->vault));
      return FALSE;
    }

  return TRUE;
}

/* Re-reads device.ini when it changed since it was last read, so that a
 * `minyin provision` run beside a running window takes effect at the next
 * filing. A stat is cheap next to the commit that follows. */
static gboolean
refresh_device (MnStoreWorker *w,
                GError       **error)
{
  g_autofree char     *path = g_build_filename (w->data_dir, "device.ini", NULL);
  g_autoptr(GError)    local_error = NULL;
  struct stat          st;
  MnDevice            *device;

  if (w->device != NULL && g_stat (path, &st) == 0 && st.st_mtim.tv_sec == w->device_stat.st_mtim.tv_sec &&
      st.st_mtim.tv_nsec == w->device_stat.st_mtim.tv_nsec && st.st_ino == w->device_stat.st_ino &&
      st.st_size == w->device_stat.st_size)
    return TRUE;

  device = mn_device_load (w->data_dir, &local_error);
  if (device == NULL)
    {
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_IO, local_error->message);
      return FALSE;
    }

  g_clear_pointer (&w->device, mn_device_free);
  w->device = device;
  if (g_stat (path, &w->device_stat) != 0)
    memset (&w->device_stat, 0, sizeof w->device_stat);

  return TRUE;
}

static gpointer
job_open (MnStoreWorker *w,
          gpointer       data,
          GError       **error)
{
  struct stat st;
  gboolean    has_wal = FALSE;
  int         rc;

  if (g_mkdir_with_parents (w->data_dir, 0700) != 0)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_IO,
                   _("Could not create the data directory %s: %s. Check its permissions or "
                     "choose another one."),
                   w->data_dir, g_strerror (errno));
      return NULL;
    }

  if (!precheck_file (w->path, &has_wal, error))
    return NULL;

  rc = sqlite3_open_v2 (w->path, &w->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_IO,
                   _("Could not open the store %s (%s). Check that the data directory is "
                     "writable."),
                   w->path, w->db != NULL ? sqlite3_errmsg (w->db) : sqlite3_errstr (rc));
      return NULL;
    }
  sqlite3_extended_result_codes (w->db, 1);
  sqlite3_busy_timeout (w->db, BUSY_TIMEOUT_MS);

  /* Until the file is accepted, closing must not checkpoint: that would
   * write the log's pages into a file we may be about to refuse. */
  sqlite3_db_config (w->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);

  if (has_wal &&
      !verify_database (w->db, w->path, g_stat (w->path, &st) == 0 ? st.st_size : -1, error))
    return NULL;

  /* synchronous=FULL: a commit returns only once the log is on the disk,
   * because a person is told "saved" right after it. Checkpoints stay
   * SQLite's (every 1000 pages, on the committing connection): a thread of
   * their own was tried and measured worse on a two-core terminal, its
   * writes competing with the commits they were meant to spare. */
  if (!worker_exec (w, "PRAGMA journal_mode = WAL", error) ||
      !worker_exec (w, "PRAGMA synchronous = FULL", error) ||
      !worker_exec (w, "PRAGMA foreign_keys = ON", error) ||
      !worker_exec (w, "PRAGMA trusted_schema = OFF", error))
    return NULL;

  if (!run_migrations (w, error))
    return NULL;

  sqlite3_db_config (w->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);

  if (!open_vault (w, error) || !refresh_device (w, error))
    return NULL;

  /* Copies of attachments whose filing never committed (a crash). */
  mn_attachment_sweep_orphans (w, w->data_dir);

  return JOB_OK;
}

/* ---- the worker ------------------------------------------------------ */

static void
finalize_stmt (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
worker_free (MnStoreWorker *w)
{
  g_clear_pointer (&w->stmts, g_hash_table_unref);
  if (w->db != NULL)
    sqlite3_close (w->db);
  g_clear_pointer (&w->vault, mn_vault_free);
  g_clear_pointer (&w->device, mn_device_free);
  g_clear_pointer (&w->queue, g_async_queue_unref);
  g_clear_pointer (&w->decoy_sealed, g_bytes_unref);
  g_free (w->decoy_uuid);
  g_free (w->data_dir);
  g_free (w->path);
  g_free (w);
}

static void
run_job (MnStoreWorker *w,
         Job           *job)
{
  GError  *error = NULL;
  gpointer result;

  if (job->task != NULL)
    {
      GTask *task = job->task;

      /* A job cancelled while it waited is not started; once started it
       * runs to its end, so that a filing is never half done. */
      if (!g_task_return_error_if_cancelled (task))
        {
          result = job->func (w, g_task_get_task_data (task), &error);
          if (error != NULL)
            g_task_return_error (task, error);
          else
            g_task_return_pointer (task, result, job->result_free);
        }
      g_free (job);
      /* This may drop the last reference to the store, which then stops
       * this thread once this job is done (see mn_store_finalize). */
      g_object_unref (task);
      return;
    }

  result = job->func (w, job->data, &error);
  g_mutex_lock (&job->lock);
  job->result = result;
  job->error = error;
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->lock);
}

static gpointer
worker_main (gpointer data)
{
  MnStoreWorker *w = data;

  for (;;)
    {
      Job *job = g_async_queue_pop (w->queue);

      if (job->func == NULL)
        {
          g_free (job);
          break;
        }
      run_job (w, job);
    }

  worker_free (w);

  return NULL;
}

static gpointer
run_sync (MnStore *self,
          JobFunc  func,
          gpointer data,
          GError **error)
{
  Job job = { 0 };

  job.func = func;
  job.data = data;
  g_mutex_init (&job.lock);
  g_cond_init (&job.cond);

  g_async_queue_push (self->queue, &job);

  g_mutex_lock (&job.lock);
  while (!job.done)
    g_cond_wait (&job.cond, &job.lock);
  g_mutex_unlock (&job.lock);

  g_mutex_clear (&job.lock);
  g_cond_clear (&job.cond);

  if (job.error != NULL)
    {
      g_propagate_error (error, job.error);
      return NULL;
    }

  return job.result;
}

static void
run_async_full (MnStore            *self,
                gpointer            source_object,
                JobFunc             func,
                gpointer            data,
                GDestroyNotify      data_free,
                GDestroyNotify      result_free,
                gpointer            source_tag,
                GCancellable       *cancellable,
                GAsyncReadyCallback callback,
                gpointer            user_data)
{
  Job *job = g_new0 (Job, 1);

  /* The task is created here, so its callback runs on the caller's
   * thread-default main context, whichever thread returns it. */
  job->task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, source_tag);
  g_task_set_task_data (job->task, data, data_free);
  job->func = func;
  job->result_free = result_free;

  g_async_queue_push (self->queue, job);
}

static void
run_async (MnStore            *self,
           JobFunc             func,
           gpointer            data,
           GDestroyNotify      data_free,
           GDestroyNotify      result_free,
           gpointer            source_tag,
           GCancellable       *cancellable,
           GAsyncReadyCallback callback,
           gpointer            user_data)
{
  run_async_full (self, self, func, data, data_free, result_free, source_tag, cancellable,
                  callback, user_data);
}

static void
mn_store_finalize (GObject *object)
{
  MnStore *self = MN_STORE (object);

  if (self->queue != NULL)
    {
      g_async_queue_push (self->queue, g_new0 (Job, 1));

      /* The last reference can be dropped by the worker itself, when it
       * completes the last async job; it cannot wait for itself to end. */
      if (self->thread == g_thread_self ())
        g_thread_unref (self->thread);
      else
        g_thread_join (self->thread);
      self->thread = NULL;
      g_clear_pointer (&self->queue, g_async_queue_unref);
    }

  g_clear_pointer (&self->vault, mn_vault_free);
  g_free (self->data_dir);
  g_free (self->path);

  G_OBJECT_CLASS (mn_store_parent_class)->finalize (object);
}

static void
mn_store_class_init (MnStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = mn_store_finalize;
}

static void
mn_store_init (MnStore *self)
{
}

/* ---- public API ------------------------------------------------------ */

char *
mn_store_resolve_data_dir (const char *explicit_dir)
{
  const char *env;

  if (explicit_dir != NULL && *explicit_dir != '\0')
    return g_canonicalize_filename (explicit_dir, NULL);

  env = g_getenv ("MINYIN_DATA_DIR");
  if (env != NULL && *env != '\0')
    return g_canonicalize_filename (env, NULL);

  return g_build_filename (g_get_user_data_dir (), "minyin", NULL);
}

/* The worker's vault, shared: the key is read-only once loaded. */
static gpointer
job_ref_vault (MnStoreWorker *w,
               gpointer       data,
               GError       **error)
{
  return mn_vault_ref (w->vault);
}

MnStore *
mn_store_open (const char *data_dir,
               GError    **error)
{
  g_autoptr(MnStore) self = NULL;
  g_autoptr(GError)  local_error = NULL;
  MnStoreWorker     *w;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (MN_TYPE_STORE, NULL);
  self->data_dir = mn_store_resolve_data_dir (data_dir);
  self->path = g_build_filename (self->data_dir, DB_FILE, NULL);

  w = g_new0 (MnStoreWorker, 1);
  w->data_dir = g_strdup (self->data_dir);
  w->path = g_strdup (self->path);
  w->stmts = g_hash_table_new_full (NULL, NULL, NULL, finalize_stmt);
  w->queue = g_async_queue_new ();
  self->queue = g_async_queue_ref (w->queue);

  self->thread = g_thread_try_new ("mn-store", worker_main, w, &local_error);
  if (self->thread == NULL)
    {
      g_clear_pointer (&self->queue, g_async_queue_unref);
      worker_free (w);
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_IO,
                   _("The store could not start its worker thread: %s."), local_error->message);
      return NULL;
    }

  if (run_sync (self, job_open, NULL, error) == NULL)
    return NULL;
  self->vault = run_sync (self, job_ref_vault, NULL, NULL);

  return g_steal_pointer (&self);
}

MnVault *
mn_store_get_vault (MnStore *self)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);

  return self->vault;
}

const char *
mn_store_get_data_dir (MnStore *self)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);

  return self->data_dir;
}

const char *
mn_store_get_path (MnStore *self)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);

  return self->path;
}

/* ---- filing ---------------------------------------------------------- */

typedef struct
{
  MnRequest *work;    /* the worker's copy of the input, then the stored values */
  MnContact *contact; /* a copy, wiped when freed */
  MnRequest *target;  /* the caller's request; only the caller's thread writes it */
  GPtrArray *attachments; /* MnAttachment copies, or NULL */
} FileJob;

static void
file_job_free (FileJob *fj)
{
  g_clear_pointer (&fj->work, mn_request_unref);
  g_clear_pointer (&fj->contact, mn_contact_free);
  g_clear_pointer (&fj->target, mn_request_unref);
  g_clear_pointer (&fj->attachments, g_ptr_array_unref);
  g_free (fj);
}

static FileJob *
file_job_new (MnRequest       *request,
              const MnContact *contact,
              GPtrArray       *attachments)
{
  FileJob   *fj = g_new0 (FileJob, 1);
  MnRequest *w = mn_request_new ();

  w->service_code = g_strdup (request->service_code);
  w->group = g_strdup (request->group);
  w->urgency = request->urgency;
  w->channel = request->channel;
  w->description = g_strdup (request->description);
  w->place_code = g_strdup (request->place_code);
  w->address_text = g_strdup (request->address_text);
  w->has_location = request->has_location;
  w->lat = request->lat;
  w->lon = request->lon;
  w->consent = request->consent;
  w->filed_by = g_strdup (request->filed_by);
  w->attributes = g_strdup (request->attributes);

  fj->work = w;
  fj->target = mn_request_ref (request);
  if (contact != NULL)
    fj->contact = mn_contact_new (contact->name, contact->phone);
  if (attachments != NULL && attachments->len > 0)
    {
      fj->attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_attachment_free);
      for (guint i = 0; i < attachments->len; i++)
        {
          MnAttachment *a = mn_attachment_copy (g_ptr_array_index (attachments, i));

          /* The job copies the file in and fills these. */
          g_clear_pointer (&a->path, g_free);
          g_clear_pointer (&a->sha256, g_free);
          g_ptr_array_add (fj->attachments, a);
        }
    }

  return fj;
}

static void
replace_string (char      **dest,
                const char *src)
{
  char *copy = g_strdup (src);

  g_free (*dest);
  *dest = copy;
}

/* Copies what the store decided into the caller's request. */
static void
apply_filed (MnRequest       *dest,
             const MnRequest *src)
{
  dest->id = src->id;
  replace_string (&dest->uuid, src->uuid);
  replace_string (&dest->case_code, src->case_code);
  replace_string (&dest->platform_id, src->platform_id);
  replace_string (&dest->service_code, src->service_code);
  replace_string (&dest->group, src->group);
  replace_string (&dest->description, src->description);
  replace_string (&dest->place_code, src->place_code);
  replace_string (&dest->address_text, src->address_text);
  replace_string (&dest->contact_hint, src->contact_hint);
  replace_string (&dest->filed_by, src->filed_by);
  replace_string (&dest->attributes, src->attributes);
  replace_string (&dest->status, src->status);
  dest->anonymous = src->anonymous;
  dest->created_at = src->created_at;
  dest->deadline_at = src->deadline_at;
  dest->updated_at = src->updated_at;
}

static gboolean
clean_field (char      **field,
             gboolean    required,
             gsize       max_chars,
             const char *what,
             GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  char             *clean;

  if (*field == NULL || **field == '\0')
    {
      g_clear_pointer (field, g_free);
      if (!required)
        return TRUE;
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID,
                   /* Translators: %s names the field: "the category", "the description"... */
                   _("Please fill in %s."), what);
      return FALSE;
    }

  clean = mn_request_clean_text (*field, max_chars, &local_error);
  if (clean == NULL)
    {
      if (!required && g_error_matches (local_error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_EMPTY))
        {
          g_clear_pointer (field, g_free);
          return TRUE;
        }
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID,
                   /* Translators: %s names the field, then comes the reason. */
                   _("In %s: %s"), what, local_error->message);
      return FALSE;
    }

  g_free (*field);
  *field = clean;

  return TRUE;
}

static gboolean
validate_request (MnRequest *r,
                  GError   **error)
{
  if (!clean_field (&r->service_code, TRUE, MAX_CODE_CHARS, _("the category"), error) ||
      !clean_field (&r->description, TRUE, MN_DESCRIPTION_MAX_CHARS, _("the description"),
                    error) ||
      !clean_field (&r->group, FALSE, MAX_CODE_CHARS, _("the category group"), error) ||
      !clean_field (&r->place_code, FALSE, MAX_CODE_CHARS, _("the place"), error) ||
      !clean_field (&r->address_text, FALSE, MAX_ADDRESS_CHARS, _("the address"), error) ||
      !clean_field (&r->filed_by, FALSE, MAX_CODE_CHARS, _("the helper's name"), error))
    return FALSE;

  if (mn_urgency_to_string (r->urgency) == NULL || mn_channel_to_string (r->channel) == NULL)
    {
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID,
                           _("The response level or the channel of the request is not one this "
                             "terminal knows."));
      return FALSE;
    }

  if (r->has_location && (!isfinite (r->lat) || !isfinite (r->lon) || fabs (r->lat) > 90.0 ||
                          fabs (r->lon) > 180.0))
    {
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID,
                           _("The location is not a valid latitude and longitude; take the "
                             "position again or choose an address."));
      return FALSE;
    }

  /* The answers are checked against the category's questions by whoever
   * asked them (the command line, the kiosk); the store only refuses
   * text that is not answers at all, so the sync code can rely on it. */
  if (r->attributes != NULL)
    {
      g_autoptr(GHashTable) answers = NULL;
      g_autoptr(GError)     local_error = NULL;

      if (strlen (r->attributes) > MAX_ATTRIBUTES_BYTES ||
          (answers = mn_questionnaire_answers_from_json (r->attributes, &local_error)) == NULL)
        {
          g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID,
                               _("The answers to the category's questions are damaged; answer the "
                                 "questions again."));
          return FALSE;
        }
      if (g_hash_table_size (answers) == 0)
        g_clear_pointer (&r->attributes, g_free);
    }

  return TRUE;
}

/* Checks the contact and turns it into the form that is sealed; returns
 * FALSE with an error, or TRUE with *out_contact NULL for an anonymous
 * request. */
static gboolean
prepare_contact (const MnContact *in,
                 MnContact      **out_contact,
                 GError         **error)
{
  g_autoptr(MnContact) contact = NULL;
  g_autoptr(GError)    local_error = NULL;

  *out_contact = NULL;
  if (in == NULL)
    return TRUE;

  contact = mn_contact_new (in->name, in->phone);
  if (!clean_field (&contact->name, FALSE, MAX_NAME_CHARS, _("the name"), error))
    return FALSE;

  if (contact->phone != NULL)
    {
      char *digits = mn_vault_normalize_phone (contact->phone, &local_error);

      if (digits == NULL)
        {
          gboolean blank = TRUE;

          for (const char *p = contact->phone; *p != '\0'; p++)
            if (!g_ascii_isspace (*p))
              blank = FALSE;
          if (!blank)
            {
              g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID,
                                   local_error->message);
              return FALSE;
            }
        }
      g_free (contact->phone);
      contact->phone = digits;
    }

  if (contact->name == NULL && contact->phone == NULL)
    return TRUE;

  *out_contact = g_steal_pointer (&contact);

  return TRUE;
}

static gpointer
job_file (MnStoreWorker *w,
          gpointer       data,
          GError       **error)
{
  FileJob                 *fj = data;
  MnRequest               *r = fj->work;
  g_autoptr(MnContact)     contact = NULL;
  g_autoptr(GBytes)        sealed = NULL;
  g_autoptr(GDateTime)     now = NULL;
  g_autoptr(GError)        local_error = NULL;
  g_autofree char         *day = NULL;
  g_autofree char         *uuid = NULL;
  g_autofree char         *case_code = NULL;
  g_autofree char         *hint = NULL;
  sqlite3_stmt            *stmt;
  gint64                   created_at;
  gint64                   deadline_at;
  gint64                   sequence;
  gint64                   row_id;
  int                      rc;

  if (!validate_request (r, error) || !prepare_contact (fj->contact, &contact, error))
    return NULL;

  if (!refresh_device (w, error))
    return NULL;

  uuid = g_uuid_string_random ();
  if (contact != NULL)
    {
      sealed = mn_vault_seal_contact (w->vault, contact, uuid, &local_error);
      if (sealed == NULL)
        {
          set_key_error (error, local_error);
          return NULL;
        }
      hint = mn_vault_contact_hint (contact);
    }

  now = g_date_time_new_now_local ();
  created_at = g_date_time_to_unix (now);
  deadline_at = created_at + mn_urgency_time_limit (r->urgency);
  day = g_date_time_format (now, "%Y-%m-%d");

  /* Attachments are copied in durably before the transaction, so that a
   * committed row always has its file (see app/mn-attachment.h). */
  for (guint i = 0; fj->attachments != NULL && i < fj->attachments->len; i++)
    if (!mn_attachment_stage (g_ptr_array_index (fj->attachments, i), w->data_dir, w->vault,
                              uuid, i, error))
      goto fail_files;

  if (!worker_exec (w, "BEGIN IMMEDIATE", error))
    goto fail_files;

  /* The day's next sequence number, in the same transaction as the row
   * that uses it: a rolled back filing gives its number back. */
  stmt = worker_stmt (w, SQL_NEXT_SEQUENCE, error);
  if (stmt == NULL)
    goto fail;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    mn_store_bind_text (s, 1, day);
    rc = sqlite3_step (s);
    if (rc != SQLITE_ROW)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        goto fail;
      }
    sequence = sqlite3_column_int64 (s, 0);
    /* Step to the end, so the upsert statement is complete. */
    while ((rc = sqlite3_step (s)) == SQLITE_ROW)
      ;
    if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        goto fail;
      }
  }

  case_code = mn_case_code_build (w->device->station, w->device->terminal, now,
                                  sequence > G_MAXUINT ? G_MAXUINT : (guint) sequence,
                                  &local_error);
  if (case_code == NULL)
    {
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID, local_error->message);
      goto fail;
    }

  stmt = worker_stmt (w, SQL_INSERT_REQUEST, error);
  if (stmt == NULL)
    goto fail;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    mn_store_bind_text (s, 1, uuid);
    mn_store_bind_text (s, 2, case_code);
    mn_store_bind_text (s, 3, r->service_code);
    mn_store_bind_text (s, 4, r->group);
    mn_store_bind_text (s, 5, mn_urgency_to_string (r->urgency));
    mn_store_bind_text (s, 6, mn_channel_to_string (r->channel));
    mn_store_bind_text (s, 7, r->description);
    mn_store_bind_text (s, 8, r->place_code);
    mn_store_bind_text (s, 9, r->address_text);
    if (r->has_location)
      {
        sqlite3_bind_double (s, 10, r->lat);
        sqlite3_bind_double (s, 11, r->lon);
      }
    if (sealed != NULL)
      sqlite3_bind_blob (s, 12, g_bytes_get_data (sealed, NULL), (int) g_bytes_get_size (sealed),
                         SQLITE_TRANSIENT);
    mn_store_bind_text (s, 13, hint);
    sqlite3_bind_int (s, 14, r->consent ? 1 : 0);
    mn_store_bind_text (s, 15, r->filed_by);
    sqlite3_bind_int64 (s, 16, created_at);
    sqlite3_bind_int64 (s, 17, deadline_at);
    mn_store_bind_text (s, 18, MN_STATUS_SAVED);
    sqlite3_bind_int64 (s, 19, created_at);
    mn_store_bind_text (s, 20, r->attributes);
    if (sqlite3_step (s) != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        goto fail;
      }
    row_id = sqlite3_last_insert_rowid (w->db);
  }

  stmt = worker_stmt (w, SQL_INSERT_EVENT, error);
  if (stmt == NULL)
    goto fail;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, row_id);
    sqlite3_bind_int64 (s, 2, created_at);
    mn_store_bind_text (s, 3, "filed");
    mn_store_bind_text (s, 4, mn_channel_to_string (r->channel));
    if (sqlite3_step (s) != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        goto fail;
      }
  }

  stmt = worker_stmt (w, SQL_INSERT_OUTBOX, error);
  if (stmt == NULL)
    goto fail;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, row_id);
    mn_store_bind_text (s, 2, "create");
    sqlite3_bind_int64 (s, 3, created_at);
    if (sqlite3_step (s) != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        goto fail;
      }
  }

  for (guint i = 0; fj->attachments != NULL && i < fj->attachments->len; i++)
    if (!mn_attachment_insert (w, row_id, g_ptr_array_index (fj->attachments, i), created_at,
                               error))
      goto fail;

  /* With synchronous=FULL this returns once the log is on the disk. */
  if (!worker_exec (w, "COMMIT", error))
    goto fail;

  r->id = row_id;
  r->uuid = g_steal_pointer (&uuid);
  r->case_code = g_steal_pointer (&case_code);
  r->contact_hint = g_steal_pointer (&hint);
  r->anonymous = (sealed == NULL);
  r->created_at = created_at;
  r->deadline_at = deadline_at;
  r->updated_at = created_at;
  r->status = g_strdup (MN_STATUS_SAVED);

  return mn_request_ref (r);

fail:
  worker_rollback (w);
fail_files:
  /* Nothing names the copies: they go, so no request is half saved. */
  for (guint i = 0; fj->attachments != NULL && i < fj->attachments->len; i++)
    mn_attachment_unstage (g_ptr_array_index (fj->attachments, i), w->data_dir);
  return NULL;
}

gboolean
mn_store_file_request (MnStore         *self,
                       MnRequest       *request,
                       const MnContact *contact,
                       GError         **error)
{
  return mn_store_file_request_with_attachments (self, request, contact, NULL, error);
}

gboolean
mn_store_file_request_with_attachments (MnStore         *self,
                                        MnRequest       *request,
                                        const MnContact *contact,
                                        GPtrArray       *attachments,
                                        GError         **error)
{
  FileJob   *fj;
  MnRequest *filed;

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (request != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  fj = file_job_new (request, contact, attachments);
  filed = run_sync (self, job_file, fj, error);
  if (filed != NULL)
    {
      apply_filed (request, filed);
      mn_request_unref (filed);
    }
  file_job_free (fj);

  return filed != NULL;
}

void
mn_store_file_request_async (MnStore            *self,
                             MnRequest          *request,
                             const MnContact    *contact,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  mn_store_file_request_with_attachments_async (self, request, contact, NULL, cancellable,
                                                callback, user_data);
}

void
mn_store_file_request_with_attachments_async (MnStore            *self,
                                              MnRequest          *request,
                                              const MnContact    *contact,
                                              GPtrArray          *attachments,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data)
{
  g_return_if_fail (MN_IS_STORE (self));
  g_return_if_fail (request != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  run_async (self, job_file, file_job_new (request, contact, attachments),
             (GDestroyNotify) file_job_free,
             (GDestroyNotify) mn_request_unref, mn_store_file_request_async, cancellable,
             callback, user_data);
}

gboolean
mn_store_file_request_finish (MnStore      *self,
                              GAsyncResult *result,
                              GError      **error)
{
  g_autoptr(MnRequest) filed = NULL;
  FileJob             *fj;

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mn_store_file_request_async,
                        FALSE);

  filed = g_task_propagate_pointer (G_TASK (result), error);
  if (filed == NULL)
    return FALSE;

  /* The caller's request is written here, on the caller's thread, never by
   * the worker while the UI might be reading it. */
  fj = g_task_get_task_data (G_TASK (result));
  apply_filed (fj->target, filed);

  return TRUE;
}

/* ---- reading --------------------------------------------------------- */

static MnRequest *
request_from_stmt (sqlite3_stmt *stmt)
{
  MnRequest  *r = mn_request_new ();
  const char *word;

  r->id = sqlite3_column_int64 (stmt, 0);
  r->uuid = mn_store_column_text (stmt, 1);
  r->case_code = mn_store_column_text (stmt, 2);
  r->platform_id = mn_store_column_text (stmt, 3);
  r->service_code = mn_store_column_text (stmt, 4);
  r->group = mn_store_column_text (stmt, 5);
  word = (const char *) sqlite3_column_text (stmt, 6);
  if (!mn_urgency_from_string (word, &r->urgency))
    r->urgency = MN_URGENCY_ROUTINE;
  word = (const char *) sqlite3_column_text (stmt, 7);
  if (!mn_channel_from_string (word, &r->channel))
    r->channel = MN_CHANNEL_KIOSK;
  r->description = mn_store_column_text (stmt, 8);
  r->place_code = mn_store_column_text (stmt, 9);
  r->address_text = mn_store_column_text (stmt, 10);
  r->has_location = sqlite3_column_type (stmt, 11) != SQLITE_NULL &&
                    sqlite3_column_type (stmt, 12) != SQLITE_NULL;
  r->lat = sqlite3_column_double (stmt, 11);
  r->lon = sqlite3_column_double (stmt, 12);
  r->anonymous = sqlite3_column_int (stmt, 13) != 0;
  r->contact_hint = mn_store_column_text (stmt, 14);
  r->consent = sqlite3_column_int (stmt, 15) != 0;
  r->filed_by = mn_store_column_text (stmt, 16);
  r->created_at = sqlite3_column_int64 (stmt, 17);
  r->deadline_at = sqlite3_column_int64 (stmt, 18);
  r->status = mn_store_column_text (stmt, 19);
  r->status_notes = mn_store_column_text (stmt, 20);
  r->agency = mn_store_column_text (stmt, 21);
  r->expected_at = sqlite3_column_int64 (stmt, 22);
  r->updated_at = sqlite3_column_int64 (stmt, 23);
  r->attributes = mn_store_column_text (stmt, 24);

  return r;
}

/* Runs a one-row request query keyed by @key; returns NULL without an
 * error when there is no such row. */
static MnRequest *
find_one (MnStoreWorker *w,
          const char    *sql,
          const char    *key,
          GError       **error)
{
  sqlite3_stmt *stmt = worker_stmt (w, sql, error);
  int           rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    mn_store_bind_text (s, 1, key);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      return request_from_stmt (s);
    if (rc != SQLITE_DONE)
      set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
  }

  return NULL;
}

static gpointer
job_lookup (MnStoreWorker *w,
            gpointer       data,
            GError       **error)
{
  const char          *input = data;
  g_autofree char     *trimmed = g_strstrip (g_strdup (input));
  g_autofree char     *canonical = NULL;
  g_autoptr(GError)    parse_error = NULL;
  GError              *local_error = NULL;
  MnRequest           *r;

  if (*trimmed == '\0')
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID,
                   _("Please enter the case code from your receipt: %d digits."),
                   MN_CASE_CODE_DIGITS);
      return NULL;
    }

  canonical = mn_case_code_parse (trimmed, &parse_error);
  if (canonical != NULL)
    {
      r = find_one (w, SQL_BY_CASE_CODE, canonical, &local_error);
      if (r != NULL || local_error != NULL)
        goto out;
    }

  /* The platform's case number, which replaces ours on receipts printed
   * after sync, or the request's UUID (from the command line, logs). */
  r = find_one (w, SQL_BY_PLATFORM_ID, trimmed, &local_error);
  if (r != NULL || local_error != NULL)
    goto out;

  if (g_uuid_string_is_valid (trimmed))
    {
      g_autofree char *lower = g_ascii_strdown (trimmed, -1);

      r = find_one (w, SQL_BY_UUID, lower, &local_error);
      if (r != NULL || local_error != NULL)
        goto out;
    }

  /* Nothing matched. If the input was meant as a case code but is not a
   * valid one, saying what is wrong with it helps more than "not found". */
  if (canonical == NULL && !g_uuid_string_is_valid (trimmed) &&
      !g_error_matches (parse_error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_BAD_CHARACTER))
    g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID, parse_error->message);
  else
    g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                 _("No request with the code %s is kept on this terminal; check the code on "
                   "your receipt, or ask at the terminal where it was filed."),
                 trimmed);
  return NULL;

out:
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return r;
}

MnRequest *
mn_store_lookup (MnStore    *self,
                 const char *code,
                 GError    **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_sync (self, job_lookup, (gpointer) code, error);
}

void
mn_store_lookup_async (MnStore            *self,
                       const char         *code,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  g_return_if_fail (MN_IS_STORE (self));
  g_return_if_fail (code != NULL);

  run_async (self, job_lookup, g_strdup (code), g_free, (GDestroyNotify) mn_request_unref,
             mn_store_lookup_async, cancellable, callback, user_data);
}

MnRequest *
mn_store_lookup_finish (MnStore      *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
job_list (MnStoreWorker *w,
          gpointer       data,
          GError       **error)
{
  guint                limit = GPOINTER_TO_UINT (data);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_request_unref);
  sqlite3_stmt        *stmt = worker_stmt (w, SQL_LIST, error);
  int                  rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, limit == 0 ? -1 : (gint64) limit);
    while ((rc = sqlite3_step (s)) == SQLITE_ROW)
      g_ptr_array_add (list, request_from_stmt (s));
    if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
  }

  return g_steal_pointer (&list);
}

GPtrArray *
mn_store_list_requests (MnStore *self,
                        guint    limit,
                        GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_sync (self, job_list, GUINT_TO_POINTER (limit), error);
}

void
mn_store_list_requests_async (MnStore            *self,
                              guint               limit,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_return_if_fail (MN_IS_STORE (self));

  run_async (self, job_list, GUINT_TO_POINTER (limit), NULL,
             (GDestroyNotify) g_ptr_array_unref, mn_store_list_requests_async, cancellable,
             callback, user_data);
}

GPtrArray *
mn_store_list_requests_finish (MnStore      *self,
                               GAsyncResult *result,
                               GError      **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
job_count (MnStoreWorker *w,
           gpointer       data,
           GError       **error)
{
  const char           *sql = data;
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sqlite3_stmt         *stmt = worker_stmt (w, sql, error);
  int                   rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    while ((rc = sqlite3_step (s)) == SQLITE_ROW)
      g_hash_table_insert (counts, mn_store_column_text (s, 0),
                           GUINT_TO_POINTER ((guint) sqlite3_column_int64 (s, 1)));
    if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
  }

  return g_steal_pointer (&counts);
}

GHashTable *
mn_store_count_by_status (MnStore *self,
                          GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_sync (self, job_count, (gpointer) SQL_COUNT_STATUS, error);
}

GHashTable *
mn_store_count_outbox (MnStore *self,
                       GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_sync (self, job_count, (gpointer) SQL_COUNT_OUTBOX, error);
}

void
mn_event_free (MnEvent *event)
{
  if (event == NULL)
    return;

  g_free (event->kind);
  g_free (event->detail);
  g_free (event);
}

/* The row id of the request with @uuid, or 0 and NOT_FOUND. */
static gint64
request_id_for_uuid (MnStoreWorker *w,
                     const char    *uuid,
                     GError       **error)
{
  sqlite3_stmt *stmt = worker_stmt (w, SQL_REQUEST_ID, error);
  int           rc;

  if (stmt == NULL)
    return 0;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    mn_store_bind_text (s, 1, uuid);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      return sqlite3_column_int64 (s, 0);
    if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return 0;
      }
  }

  g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
               _("No request with the identifier %s is kept on this terminal."), uuid);
  return 0;
}

static gpointer
job_events (MnStoreWorker *w,
            gpointer       data,
            GError       **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_event_free);
  sqlite3_stmt        *stmt;
  gint64               id;
  int                  rc;

  id = request_id_for_uuid (w, data, error);
  if (id == 0)
    return NULL;

  stmt = worker_stmt (w, SQL_EVENTS, error);
  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, id);
    while ((rc = sqlite3_step (s)) == SQLITE_ROW)
      {
        MnEvent *event = g_new0 (MnEvent, 1);

        event->at = sqlite3_column_int64 (s, 0);
        event->kind = mn_store_column_text (s, 1);
        event->detail = mn_store_column_text (s, 2);
        g_ptr_array_add (events, event);
      }
    if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
  }

  return g_steal_pointer (&events);
}

GPtrArray *
mn_store_list_events (MnStore    *self,
                      const char *uuid,
                      GError    **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_sync (self, job_events, (gpointer) uuid, error);
}

static gpointer
job_unseal (MnStoreWorker *w,
            gpointer       data,
            GError       **error)
{
  const char          *uuid = data;
  g_autoptr(GBytes)    sealed = NULL;
  g_autoptr(GError)    local_error = NULL;
  sqlite3_stmt        *stmt = worker_stmt (w, SQL_SEALED, error);
  MnContact           *contact;
  int                  rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    mn_store_bind_text (s, 1, uuid);
    rc = sqlite3_step (s);
    if (rc == SQLITE_DONE)
      {
        g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                     _("No request with the identifier %s is kept on this terminal."), uuid);
        return NULL;
      }
    if (rc != SQLITE_ROW)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
    if (sqlite3_column_type (s, 0) == SQLITE_NULL)
      {
        g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                             _("This request was filed anonymously; it has no contact details."));
        return NULL;
      }
    sealed = g_bytes_new (sqlite3_column_blob (s, 0), (gsize) sqlite3_column_bytes (s, 0));
  }

  contact = mn_vault_unseal_contact (w->vault, sealed, uuid, &local_error);
  if (contact == NULL)
    set_key_error (error, local_error);

  return contact;
}

MnContact *
mn_store_unseal_contact (MnStore    *self,
                         const char *uuid,
                         GError    **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_sync (self, job_unseal, (gpointer) uuid, error);
}

/* ---- catalogue ------------------------------------------------------- */

typedef struct
{
  gboolean found;
  char    *service_code;
  char    *body;
  char    *etag;
  char    *last_modified;
  gint64   fetched_at;
} CacheEntry;

static void
cache_entry_free (CacheEntry *e)
{
  g_free (e->service_code);
  g_free (e->body);
  g_free (e->etag);
  g_free (e->last_modified);
  g_free (e);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CacheEntry, cache_entry_free)

static gpointer
job_get_catalogue (MnStoreWorker *w,
                   gpointer       data,
                   GError       **error)
{
  g_autoptr(CacheEntry) e = g_new0 (CacheEntry, 1);
  sqlite3_stmt         *stmt = worker_stmt (w, SQL_GET_CATALOGUE, error);
  int                   rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      {
        e->found = TRUE;
        e->body = mn_store_column_text (s, 0);
        e->etag = mn_store_column_text (s, 1);
        e->last_modified = mn_store_column_text (s, 2);
        e->fetched_at = sqlite3_column_int64 (s, 3);
      }
    else if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
  }

  return g_steal_pointer (&e);
}

gboolean
mn_store_get_catalogue_cache (MnStore *self,
                              char   **out_body,
                              char   **out_etag,
                              char   **out_last_modified,
                              gint64  *out_fetched_at,
                              GError **error)
{
  g_autoptr(CacheEntry) e = NULL;

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  e = run_sync (self, job_get_catalogue, NULL, error);
  if (e == NULL || !e->found)
    return FALSE;

  if (out_body != NULL)
    *out_body = g_steal_pointer (&e->body);
  if (out_etag != NULL)
    *out_etag = g_steal_pointer (&e->etag);
  if (out_last_modified != NULL)
    *out_last_modified = g_steal_pointer (&e->last_modified);
  if (out_fetched_at != NULL)
    *out_fetched_at = e->fetched_at;

  return TRUE;
}

static gpointer
job_set_catalogue (MnStoreWorker *w,
                   gpointer       data,
                   GError       **error)
{
  CacheEntry   *e = data;
  sqlite3_stmt *stmt = worker_stmt (w, e->service_code != NULL ? SQL_SET_DEFINITION
                                                               : SQL_SET_CATALOGUE,
                                    error);

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    if (e->service_code != NULL)
      {
        mn_store_bind_text (s, 1, e->service_code);
        mn_store_bind_text (s, 2, e->body);
        sqlite3_bind_int64 (s, 3, e->fetched_at);
      }
    else
      {
        mn_store_bind_text (s, 1, e->body);
        mn_store_bind_text (s, 2, e->etag);
        mn_store_bind_text (s, 3, e->last_modified);
        sqlite3_bind_int64 (s, 4, e->fetched_at);
      }
    if (sqlite3_step (s) != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
  }

  return JOB_OK;
}

gboolean
mn_store_set_catalogue_cache (MnStore    *self,
                              const char *body,
                              const char *etag,
                              const char *last_modified,
                              GError    **error)
{
  CacheEntry e = { 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  e.body = (char *) body;
  e.etag = (char *) etag;
  e.last_modified = (char *) last_modified;
  e.fetched_at = g_get_real_time () / G_USEC_PER_SEC;

  return run_sync (self, job_set_catalogue, &e, error) != NULL;
}

static gpointer
job_get_definition (MnStoreWorker *w,
                    gpointer       data,
                    GError       **error)
{
  g_autoptr(CacheEntry) e = g_new0 (CacheEntry, 1);
  sqlite3_stmt         *stmt = worker_stmt (w, SQL_GET_DEFINITION, error);
  int                   rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    mn_store_bind_text (s, 1, data);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      {
        e->found = TRUE;
        e->body = mn_store_column_text (s, 0);
        e->fetched_at = sqlite3_column_int64 (s, 1);
      }
    else if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
  }

  return g_steal_pointer (&e);
}

gboolean
mn_store_get_service_definition (MnStore    *self,
                                  const char *service_code,
                                  char      **out_body,
                                  gint64     *out_fetched_at,
                                  GError    **error)
{
  g_autoptr(CacheEntry) e = NULL;

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (service_code != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  e = run_sync (self, job_get_definition, (gpointer) service_code, error);
  if (e == NULL || !e->found)
    return FALSE;

  if (out_body != NULL)
    *out_body = g_steal_pointer (&e->body);
  if (out_fetched_at != NULL)
    *out_fetched_at = e->fetched_at;

  return TRUE;
}

void
mn_store_get_service_definition_async (MnStore            *self,
                                        const char         *service_code,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data)
{
  g_return_if_fail (MN_IS_STORE (self));
  g_return_if_fail (service_code != NULL);

  run_async (self, job_get_definition, g_strdup (service_code), g_free,
             (GDestroyNotify) cache_entry_free, mn_store_get_service_definition_async,
             cancellable, callback, user_data);
}

gboolean
mn_store_get_service_definition_finish (MnStore      *self,
                                         GAsyncResult *result,
                                         char        **out_body,
                                         GError      **error)
{
  g_autoptr(CacheEntry) e = NULL;

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  e = g_task_propagate_pointer (G_TASK (result), error);
  if (e == NULL || !e->found)
    return FALSE;
  if (out_body != NULL)
    *out_body = g_steal_pointer (&e->body);

  return TRUE;
}

gboolean
mn_store_set_service_definition (MnStore    *self,
                                  const char *service_code,
                                  const char *body,
                                  GError    **error)
{
  CacheEntry e = { 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (service_code != NULL, FALSE);
  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  e.service_code = (char *) service_code;
  e.body = (char *) body;
  e.fetched_at = g_get_real_time () / G_USEC_PER_SEC;

  return run_sync (self, job_set_catalogue, &e, error) != NULL;
}

int
mn_store_schema_version (void)
{
  return CURRENT_VERSION;
}

/* ---- jobs of other core modules (mn-store-private.h) ------------------ */

gpointer
mn_store_run_job (MnStore       *self,
                  MnStoreJobFunc func,
                  gpointer       data,
                  GError       **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_sync (self, func, data, error);
}

void
mn_store_run_job_async (MnStore            *self,
                        gpointer            source_object,
                        MnStoreJobFunc      func,
                        gpointer            data,
                        GDestroyNotify      data_free,
                        GDestroyNotify      result_free,
                        gpointer            source_tag,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_return_if_fail (MN_IS_STORE (self));
  g_return_if_fail (G_IS_OBJECT (source_object));
  g_return_if_fail (func != NULL);

  run_async_full (self, source_object, func, data, data_free, result_free, source_tag,
                  cancellable, callback, user_data);
}

sqlite3 *
mn_store_worker_get_db (MnStoreWorker *worker)
{
  return worker->db;
}

const char *
mn_store_worker_get_path (MnStoreWorker *worker)
{
  return worker->path;
}

MnVault *
mn_store_worker_get_vault (MnStoreWorker *worker)
{
  return worker->vault;
}

sqlite3_stmt *
mn_store_worker_stmt (MnStoreWorker *worker,
                      const char    *sql,
                      GError       **error)
{
  return worker_stmt (worker, sql, error);
}

void
mn_store_stmt_release (sqlite3_stmt *stmt)
{
  if (stmt != NULL)
    cached_stmt_release (stmt);
}

void
mn_store_worker_set_error (MnStoreWorker *worker,
                           GError       **error)
{
  set_sqlite_error (error, worker->db, sqlite3_extended_errcode (worker->db), worker->path);
}

gboolean
mn_store_worker_exec (MnStoreWorker *worker,
                      const char    *sql,
                      GError       **error)
{
  return worker_exec (worker, sql, error);
}

void
mn_store_worker_rollback (MnStoreWorker *worker)
{
  worker_rollback (worker);
}

/* ---- asking about a case, and rating it --------------------------------- */

typedef struct
{
  gint64 failures;
  gint64 lockouts;
  gint64 locked_until;
  gint64 last_failure_at;
} Guard;

static const char SQL_GUARD_GET[] =
  "SELECT failures, lockouts, locked_until, last_failure_at FROM inquiry_guard WHERE id = 1";
static const char SQL_GUARD_SET[] =
  "INSERT INTO inquiry_guard (id, failures, lockouts, locked_until, last_failure_at) "
  "VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET failures = excluded.failures, "
  "lockouts = excluded.lockouts, locked_until = excluded.locked_until, "
  "last_failure_at = excluded.last_failure_at";
static const char SQL_ROUND[] =
  "SELECT r.handling_round, EXISTS (SELECT 1 FROM ratings WHERE request_id = r.id "
  "AND round = r.handling_round) FROM requests r WHERE r.id = ?1";
static const char SQL_UNSENT_UPDATES[] =
  "SELECT count(*) FROM outbox WHERE request_id = ?1 AND kind = 'update' AND state <> 'sent'";
static const char SQL_LAST_CONTACT[] = "SELECT value FROM meta WHERE key = 'sync.last_contact'";
static const char SQL_INSERT_RATING[] =
  "INSERT INTO ratings (request_id, round, solved, satisfaction, reasons, voice_note, escalated, "
  "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_REOPEN[] =
  "UPDATE requests SET status = 'reopened', handling_round = handling_round + 1, "
  "updated_at = ?2 WHERE id = ?1";
static const char SQL_INSERT_UPDATE_MESSAGE[] =
  "INSERT INTO outbox (request_id, kind, state, payload, next_attempt_at, created_at) "
  "VALUES (?1, 'update', 'queued', ?2, ?3, ?3)";

void
mn_case_view_free (MnCaseView *view)
{
  if (view == NULL)
    return;
  g_clear_pointer (&view->request, mn_request_unref);
  g_clear_pointer (&view->events, g_ptr_array_unref);
  g_free (view);
}

static gboolean
step_done (MnStoreWorker *w,
           sqlite3_stmt  *s,
           GError       **error)
{
  if (sqlite3_step (s) != SQLITE_DONE)
    {
      set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
guard_read (MnStoreWorker *w,
            Guard         *g,
            GError       **error)
{
  sqlite3_stmt *stmt = worker_stmt (w, SQL_GUARD_GET, error);
  int           rc;

  memset (g, 0, sizeof *g);
  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      {
        g->failures = sqlite3_column_int64 (s, 0);
        g->lockouts = sqlite3_column_int64 (s, 1);
        g->locked_until = sqlite3_column_int64 (s, 2);
        g->last_failure_at = sqlite3_column_int64 (s, 3);
      }
    else if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return FALSE;
      }
  }

  return TRUE;
}

static gboolean
guard_write (MnStoreWorker *w,
             const Guard   *g,
             GError       **error)
{
  sqlite3_stmt *stmt = worker_stmt (w, SQL_GUARD_SET, error);

  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, g->failures);
    sqlite3_bind_int64 (s, 2, g->lockouts);
    sqlite3_bind_int64 (s, 3, g->locked_until);
    sqlite3_bind_int64 (s, 4, g->last_failure_at);
    return step_done (w, s, error);
  }
}

static void
set_locked (GError **error,
            gint64   seconds)
{
  int minutes = (int) MAX (1, (seconds + 59) / 60);

  g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_LOCKED,
               ngettext ("Too many codes that did not match were tried here. To protect "
                         "everyone's cases the terminal checks again in %d minute; staff can "
                         "help you meanwhile.",
                         "Too many codes that did not match were tried here. To protect "
                         "everyone's cases the terminal checks again in %d minutes; staff can "
                         "help you meanwhile.",
                         minutes),
               minutes);
}

static void
set_no_match (GError **error)
{
  /* One sentence for an unknown code and for wrong digits alike: telling
   * them apart would tell a guesser which codes exist. */
  g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_NO_MATCH,
                       _("The code and the phone digits do not match a case on this terminal. "
                         "Check both against your receipt and try again, or ask staff."));
}

/* The sealed contact of @uuid, or NULL (anonymous, or no such row). */
static GBytes *
read_sealed (MnStoreWorker *w,
             const char    *uuid,
             GError       **error)
{
  sqlite3_stmt *stmt = worker_stmt (w, SQL_SEALED, error);
  int           rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnCachedStmt) s = stmt;

    mn_store_bind_text (s, 1, uuid);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW && sqlite3_column_type (s, 0) != SQLITE_NULL)
      return g_bytes_new (sqlite3_column_blob (s, 0), (gsize) sqlite3_column_bytes (s, 0));
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
      set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
  }

  return NULL;
}

/* Compares the last four digits of @phone with @given without an early
 * exit, so the time taken says nothing about how many digits were right. */
static gboolean
last4_equal (const char *phone,
             const char *given)
{
  char   expected[4] = { 1, 1, 1, 1 }; /* never equal to a digit */
  char   typed[4] = { 0, 0, 0, 0 };
  gsize  n_given = 0;
  guint8 diff = 0;

  if (phone != NULL && strlen (phone) >= 4)
    memcpy (expected, phone + strlen (phone) - 4, 4);
  for (const char *p = given; p != NULL && *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      {
        if (n_given < 4)
          typed[n_given] = *p;
        n_given++;
      }

  for (guint i = 0; i < 4; i++)
    diff |= (guint8) (expected[i] ^ typed[i]);

  return diff == 0 && n_given == 4;
}

/* Checks @code and @last4 inside the caller's write transaction and
 * counts the attempt (see mn-store.h). Returns the request on a match;
 * otherwise NULL with NO_MATCH or LOCKED (the guard row is then changed
 * and the caller commits), or another error (the caller rolls back). */
static MnRequest *
verify_case (MnStoreWorker *w,
             const char    *code,
             const char    *last4,
             gint64         now,
             GError       **error)
{
  g_autofree char     *trimmed = g_strstrip (g_strdup (code != NULL ? code : ""));
  g_autofree char     *canonical = mn_case_code_parse (trimmed, NULL);
  g_autoptr(MnRequest) by_code = NULL;
  g_autoptr(MnRequest) by_platform = NULL;
  g_autoptr(GBytes)    sealed = NULL;
  g_autoptr(MnContact) contact = NULL;
  g_autoptr(GError)    local_error = NULL;
  MnRequest           *r;
  gboolean             digits_match;
  gboolean             match;
  Guard                g;

  if (!guard_read (w, &g, error))
    return NULL;
  if (g.locked_until > now)
    {
      set_locked (error, g.locked_until - now);
      return NULL;
    }
  if (g.last_failure_at != 0 && now - g.last_failure_at > MN_INQUIRY_LOCKOUT_MEMORY)
    g.lockouts = g.failures = 0;

  /* Both lookups always run, whichever finds the case. */
  by_code = find_one (w, SQL_BY_CASE_CODE, canonical != NULL ? canonical : "", &local_error);
  if (local_error == NULL)
    by_platform = find_one (w, SQL_BY_PLATFORM_ID, trimmed, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  r = by_code != NULL ? by_code : by_platform;

  /* An unknown code and an anonymous case unseal a made-up contact, so
   * that they cost what a real comparison costs. */
  if (w->decoy_sealed == NULL)
    {
      g_autoptr(MnContact) decoy = mn_contact_new (NULL, "13800000000");

      w->decoy_uuid = g_uuid_string_random ();
      w->decoy_sealed = mn_vault_seal_contact (w->vault, decoy, w->decoy_uuid, &local_error);
      if (w->decoy_sealed == NULL)
        {
          set_key_error (error, local_error);
          return NULL;
        }
    }
  sealed = read_sealed (w, r != NULL ? r->uuid : w->decoy_uuid, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  contact = mn_vault_unseal_contact (w->vault, sealed != NULL ? sealed : w->decoy_sealed,
                                     sealed != NULL ? r->uuid : w->decoy_uuid, &local_error);
  if (contact == NULL)
    {
      set_key_error (error, local_error);
      return NULL;
    }
  digits_match = last4_equal (contact->phone, last4);

  if (r == NULL)
    match = FALSE;
  else if (sealed == NULL || r->anonymous)
    match = TRUE; /* anonymous: the code alone */
  else
    match = digits_match;
  /* The contact is wiped here, not when the function returns. */
  g_clear_pointer (&contact, mn_contact_free);

  if (match)
    g.failures = 0;
  else
    {
      g.failures++;
      g.last_failure_at = now;
      if (g.failures >= MN_INQUIRY_MAX_FAILURES)
        {
          g.lockouts++;
          g.locked_until = now + mn_inquiry_lockout_seconds ((guint) MIN (g.lockouts, 64));
          g.failures = 0;
        }
    }
  if (!guard_write (w, &g, error))
    return NULL;

  if (!match)
    {
      if (g.locked_until > now)
        set_locked (error, g.locked_until - now);
      else
        set_no_match (error);
      return NULL;
    }

  return mn_request_ref (r);
}

static MnCaseView *
load_view (MnStoreWorker *w,
           MnRequest     *r,
           GError       **error)
{
  g_autoptr(MnCaseView) view = g_new0 (MnCaseView, 1);
  sqlite3_stmt         *stmt;
  int                   rc;

  view->request = mn_request_ref (r);
  view->events = job_events (w, r->uuid, error);
  if (view->events == NULL)
    return NULL;

  stmt = worker_stmt (w, SQL_ROUND, error);
  if (stmt == NULL)
    return NULL;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, r->id);
    rc = sqlite3_step (s);
    if (rc != SQLITE_ROW)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
    view->round = (guint) MAX (1, sqlite3_column_int64 (s, 0));
    view->rated = sqlite3_column_int (s, 1) != 0;
  }

  /* Written by the sync client (app/mn-store-sync.c) after every
   * well-formed answer of the platform. */
  stmt = worker_stmt (w, SQL_LAST_CONTACT, error);
  if (stmt == NULL)
    return NULL;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      view->last_contact = g_ascii_strtoll ((const char *) sqlite3_column_text (s, 0), NULL, 10);
    else if (rc != SQLITE_DONE)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        return NULL;
      }
  }

  return g_steal_pointer (&view);
}

typedef struct
{
  char     *code;
  char     *last4;
  MnRating *rating; /* NULL to only look */
  gint64    now;
} CaseJob;

static void
case_job_free (CaseJob *job)
{
  g_free (job->code);
  if (job->last4 != NULL)
    memset (job->last4, 0, strlen (job->last4));
  g_free (job->last4);
  g_clear_pointer (&job->rating, mn_rating_free);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CaseJob, case_job_free)

static CaseJob *
case_job_new (const char     *code,
              const char     *last4,
              const MnRating *rating,
              gint64          now)
{
  CaseJob *job = g_new0 (CaseJob, 1);

  job->code = g_strdup (code);
  job->last4 = g_strdup (last4);
  job->rating = rating != NULL ? mn_rating_copy (rating) : NULL;
  job->now = now;

  return job;
}

/* Ends the transaction of a failed check: the attempt was counted, so a
 * NO_MATCH or LOCKED is committed; anything else rolls back. */
static void
finish_failed_check (MnStoreWorker *w,
                     GError       **error)
{
  if (error != NULL && *error != NULL &&
      ((*error)->code == MN_STORE_ERROR_NO_MATCH || (*error)->code == MN_STORE_ERROR_LOCKED) &&
      (*error)->domain == MN_STORE_ERROR)
    {
      g_autoptr(GError) commit_error = NULL;

      if (!sqlite3_get_autocommit (w->db) && !worker_exec (w, "COMMIT", &commit_error))
        {
          worker_rollback (w);
          g_clear_error (error);
          g_propagate_error (error, g_steal_pointer (&commit_error));
        }
      return;
    }
  worker_rollback (w);
}

static gpointer
job_open_case (MnStoreWorker *w,
               gpointer       data,
               GError       **error)
{
  CaseJob             *job = data;
  g_autoptr(MnRequest) r = NULL;
  MnCaseView          *view;

  if (!worker_exec (w, "BEGIN IMMEDIATE", error))
    return NULL;

  r = verify_case (w, job->code, job->last4, job->now, error);
  if (r == NULL)
    {
      finish_failed_check (w, error);
      return NULL;
    }
  view = load_view (w, r, error);
  if (view == NULL || !worker_exec (w, "COMMIT", error))
    {
      worker_rollback (w);
      g_clear_pointer (&view, mn_case_view_free);
      return NULL;
    }

  return view;
}

static gboolean
insert_event (MnStoreWorker *w,
              gint64         request_id,
              gint64         at,
              const char    *kind,
              const char    *detail,
              GError       **error)
{
  sqlite3_stmt *stmt = worker_stmt (w, SQL_INSERT_EVENT, error);

  if (stmt == NULL)
    return FALSE;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, request_id);
    sqlite3_bind_int64 (s, 2, at);
    mn_store_bind_text (s, 3, kind);
    mn_store_bind_text (s, 4, detail);
    return step_done (w, s, error);
  }
}

static gboolean
store_rating (MnStoreWorker  *w,
              MnRequest      *r,
              const MnRating *rating,
              guint           round,
              gboolean        escalated,
              gint64          now,
              GError        **error)
{
  g_autofree char *reasons = NULL;
  g_autofree char *description = mn_rating_describe (rating, round, escalated);
  g_autofree char *update_id = g_uuid_string_random ();
  g_autofree char *payload = mn_rating_build_payload (rating, update_id, round, escalated, now);
  sqlite3_stmt    *stmt;

  {
    GString *joined = g_string_new (NULL);

    for (guint i = 0; i < rating->reasons->len; i++)
      g_string_append_printf (joined, "%s%s", i > 0 ? "\n" : "",
                              (const char *) g_ptr_array_index (rating->reasons, i));
    reasons = g_string_free (joined, FALSE);
  }

  stmt = worker_stmt (w, SQL_INSERT_RATING, error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, r->id);
    sqlite3_bind_int64 (s, 2, round);
    sqlite3_bind_int (s, 3, rating->solved ? 1 : 0);
    mn_store_bind_text (s, 4, mn_satisfaction_to_string (rating->satisfaction));
    mn_store_bind_text (s, 5, *reasons != '\0' ? reasons : NULL);
    mn_store_bind_text (s, 6, rating->voice_note);
    sqlite3_bind_int (s, 7, escalated ? 1 : 0);
    sqlite3_bind_int64 (s, 8, now);
    if (!step_done (w, s, error))
      return FALSE;
  }

  if (!insert_event (w, r->id, now, "rated", description, error))
    return FALSE;

  if (mn_rating_is_unhappy (rating))
    {
      stmt = worker_stmt (w, SQL_REOPEN, error);
      if (stmt == NULL)
        return FALSE;
      {
        g_autoptr(MnCachedStmt) s = stmt;

        sqlite3_bind_int64 (s, 1, r->id);
        sqlite3_bind_int64 (s, 2, now);
        if (!step_done (w, s, error))
          return FALSE;
      }
      if (!insert_event (w, r->id, now, "reopened", NULL, error) ||
          (escalated && !insert_event (w, r->id, now, "escalated", NULL, error)))
        return FALSE;
    }

  stmt = worker_stmt (w, SQL_INSERT_UPDATE_MESSAGE, error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, r->id);
    mn_store_bind_text (s, 2, payload);
    sqlite3_bind_int64 (s, 3, now);
    return step_done (w, s, error);
  }
}

static gpointer
job_rate_case (MnStoreWorker *w,
               gpointer       data,
               GError       **error)
{
  CaseJob               *job = data;
  sqlite3_stmt          *stmt;
  g_autoptr(MnRequest)   r = NULL;
  g_autoptr(MnRequest)   after = NULL;
  g_autoptr(MnCaseView)  before = NULL;
  g_autoptr(GError)      rating_error = NULL;
  MnCaseView            *view;
  gboolean               escalated;

  if (!mn_rating_validate (job->rating, &rating_error))
    {
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID, rating_error->message);
      return NULL;
    }

  if (!worker_exec (w, "BEGIN IMMEDIATE", error))
    return NULL;

  r = verify_case (w, job->code, job->last4, job->now, error);
  if (r == NULL)
    {
      finish_failed_check (w, error);
      return NULL;
    }
  before = load_view (w, r, error);
  if (before == NULL)
    goto fail;

  if (g_strcmp0 (r->status, MN_STATUS_CLOSED) != 0)
    {
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_CLOSED,
                           _("This case is not closed yet, so it cannot be rated now; its "
                             "progress is shown instead. You can rate it once it is closed."));
      /* The check itself succeeded: keep the reset of the counter. */
      if (!worker_exec (w, "COMMIT", NULL))
        worker_rollback (w);
      return NULL;
    }
  if (before->rated)
    {
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_ALREADY_RATED,
                           _("This case has already been rated for this round of handling; "
                             "thank you. If it is handled again, you can rate it again."));
      if (!worker_exec (w, "COMMIT", NULL))
        worker_rollback (w);
      return NULL;
    }

  /* A status pull can show the case closed again before the platform has
   * our earlier rating (the update waits in the outbox, e.g. while the
   * platform does not take updates). Rating that closure would judge a
   * round of handling that never happened, and escalate for nothing. */
  stmt = worker_stmt (w, SQL_UNSENT_UPDATES, error);
  if (stmt == NULL)
    goto fail;
  {
    g_autoptr(MnCachedStmt) s = stmt;

    sqlite3_bind_int64 (s, 1, r->id);
    if (sqlite3_step (s) != SQLITE_ROW)
      {
        set_sqlite_error (error, w->db, sqlite3_extended_errcode (w->db), w->path);
        goto fail;
      }
    if (sqlite3_column_int64 (s, 0) > 0 && before->round >= 2)
      {
        g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_ALREADY_RATED,
                             _("Your last rating of this case has not reached the platform yet, "
                               "so this closure cannot be rated; it will be handled again once "
                               "the platform has it."));
        sqlite3_reset (s);
        if (!worker_exec (w, "COMMIT", NULL))
          worker_rollback (w);
        return NULL;
      }
  }

  /* Round 2 and later exist only because an earlier rating was unhappy:
   * unhappy again is an escalation. */
  escalated = mn_rating_is_unhappy (job->rating) && before->round >= 2;
  if (!store_rating (w, r, job->rating, before->round, escalated, job->now, error))
    goto fail;

  /* With synchronous=FULL this returns once the log is on the disk. */
  if (!worker_exec (w, "COMMIT", error))
    goto fail;

  after = find_one (w, SQL_BY_UUID, r->uuid, error);
  if (after == NULL)
    return NULL;
  view = load_view (w, after, error);
  if (view != NULL)
    view->escalated = escalated;
  return view;

fail:
  worker_rollback (w);
  return NULL;
}

MnCaseView *
mn_store_open_case (MnStore    *self,
                    const char *code,
                    const char *phone_last4,
                    gint64      now,
                    GError    **error)
{
  g_autoptr(CaseJob) job = NULL;

  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = case_job_new (code, phone_last4, NULL, now);
  return run_sync (self, job_open_case, job, error);
}

void
mn_store_open_case_async (MnStore            *self,
                          const char         *code,
                          const char         *phone_last4,
                          gint64              now,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_return_if_fail (MN_IS_STORE (self));
  g_return_if_fail (code != NULL);

  run_async (self, job_open_case, case_job_new (code, phone_last4, NULL, now),
             (GDestroyNotify) case_job_free, (GDestroyNotify) mn_case_view_free,
             mn_store_open_case_async, cancellable, callback, user_data);
}

MnCaseView *
mn_store_open_case_finish (MnStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MnCaseView *
mn_store_rate_case (MnStore        *self,
                    const char     *code,
                    const char     *phone_last4,
                    const MnRating *rating,
                    gint64          now,
                    GError        **error)
{
  g_autoptr(CaseJob) job = NULL;

  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (rating != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  job = case_job_new (code, phone_last4, rating, now);
  return run_sync (self, job_rate_case, job, error);
}

void
mn_store_rate_case_async (MnStore            *self,
                          const char         *code,
                          const char         *phone_last4,
                          const MnRating     *rating,
                          gint64              now,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_return_if_fail (MN_IS_STORE (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (rating != NULL);

  run_async (self, job_rate_case, case_job_new (code, phone_last4, rating, now),
             (GDestroyNotify) case_job_free, (GDestroyNotify) mn_case_view_free,
             mn_store_rate_case_async, cancellable, callback, user_data);
}

MnCaseView *
mn_store_rate_case_finish (MnStore      *self,
                           GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gpointer
job_guard (MnStoreWorker *w,
           gpointer       data,
           GError       **error)
{
  Guard *g = data;

  return guard_read (w, g, error) ? JOB_OK : NULL;
}

gboolean
mn_store_get_inquiry_guard (MnStore *self,
                            gint64  *out_locked_until,
                            guint   *out_failures,
                            guint   *out_lockouts,
                            GError **error)
{
  Guard g;

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (run_sync (self, job_guard, &g, error) == NULL)
    return FALSE;
  if (out_locked_until != NULL)
    *out_locked_until = g.locked_until;
  if (out_failures != NULL)
    *out_failures = (guint) g.failures;
  if (out_lockouts != NULL)
    *out_lockouts = (guint) g.lockouts;
  return TRUE;
}
