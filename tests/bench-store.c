/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's figures (issue 2): durable save latency through
 * mn_store_file_request() against raw SQLite inserts of the same row with
 * the same pragmas (WAL, synchronous=FULL), on an empty store and on one
 * holding 1,000,000 requests; and the time to open each. TAP, with the
 * figures as comments. A benchmark, not a timed test: it reports the
 * targets it misses instead of failing on a busy machine.
 *
 * MINYIN_BENCH_REQUESTS sets the size of the big store (default 1000000),
 * MINYIN_BENCH_SAVES the number of saves measured (default 500). */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gio/gio.h>

#include "mn-store.h"

#define WARM_UP 20
#define OPEN_RUNS 15

static guint n_saves = 500;
static guint n_big = 1000000;
static guint tests_run;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char     *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* Percentile @p (0..100) of @n microsecond samples, in milliseconds. */
static double
percentile (gint64 *samples,
            guint   n,
            double  p)
{
  guint idx;

  qsort (samples, n, sizeof *samples, compare_gint64);
  idx = (guint) (p / 100.0 * (n - 1) + 0.5);

  return samples[MIN (idx, n - 1)] / 1000.0;
}

static void
check (sqlite3 *db,
       int      rc,
       int      expected)
{
  if (rc != expected)
    g_error ("SQLite: %s", sqlite3_errmsg (db));
}

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  check (db, sqlite3_exec (db, sql, NULL, NULL, NULL), SQLITE_OK);
}

static const char description[] =
  "3 号楼东侧单元门口的路灯已经坏了一个多星期，晚上老人出门看不清台阶，"
  "上周有人摔倒，请尽快派人来修。";

static MnRequest *
bench_request (void)
{
  MnRequest *r = mn_request_new ();

  r->service_code = g_strdup ("streetlight");
  r->group = g_strdup ("民生");
  r->description = g_strdup (description);
  r->address_text = g_strdup ("幸福路 12 号 3 号楼");
  r->consent = TRUE;

  return r;
}

/* The raw side: plain SQLite on its own copy of the same schema and rows,
 * the same pragmas, one autocommit INSERT per save of the same row, a
 * prepared statement. */
typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *stmt;
  guint         n;
} RawInserter;

static void
raw_open (RawInserter *raw,
          const char  *db_path)
{
  raw->db = NULL;
  check (raw->db, sqlite3_open (db_path, &raw->db), SQLITE_OK);
  exec_sql (raw->db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; "
                     "PRAGMA foreign_keys = ON;");
  sqlite3_busy_timeout (raw->db, 5000);
  check (raw->db,
         sqlite3_prepare_v2 (raw->db,
                             "INSERT INTO requests (uuid, case_code, service_code, service_group, "
                             "urgency, channel, description, address_text, contact_sealed, "
                             "contact_hint, consent, created_at, deadline_at, status, updated_at) "
                             "VALUES (?1, ?2, 'streetlight', '民生', 'routine', 'kiosk', ?3, "
                             "'幸福路 12 号 3 号楼', ?4, '138****8000', 1, ?5, ?6, 'saved', ?5)",
                             -1, &raw->stmt, NULL),
         SQLITE_OK);
}

static gint64
raw_insert (RawInserter *raw)
{
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *code = g_strdup_printf ("9999%02u%011u", raw->n % 100, raw->n);
  gint64           now = g_get_real_time () / G_USEC_PER_SEC;
  guint8           sealed[85];
  gint64           start;

  raw->n++;
  randombytes_buf (sealed, sizeof sealed);
  start = g_get_monotonic_time ();
  sqlite3_bind_text (raw->stmt, 1, uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (raw->stmt, 2, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (raw->stmt, 3, description, -1, SQLITE_STATIC);
  sqlite3_bind_blob (raw->stmt, 4, sealed, sizeof sealed, SQLITE_STATIC);
  sqlite3_bind_int64 (raw->stmt, 5, now);
  sqlite3_bind_int64 (raw->stmt, 6, now + 7 * 86400);
  check (raw->db, sqlite3_step (raw->stmt), SQLITE_DONE);
  sqlite3_reset (raw->stmt);

  return g_get_monotonic_time () - start;
}

static void
raw_close (RawInserter *raw)
{
  sqlite3_finalize (raw->stmt);
  sqlite3_close (raw->db);
}

/* Saves through the store and raw inserts, alternately, so that both see
 * the same machine: other processes' disk traffic comes and goes, and
 * measuring one after the other would compare two different moments. */
static void
measure_saves (const char *store_dir,
               const char *raw_path,
               gint64     *store_samples,
               gint64     *raw_samples)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(MnStore)   store = mn_store_open (store_dir, &error);
  g_autoptr(MnContact) contact = mn_contact_new ("张三丰", "13800138000");
  RawInserter          raw;

  g_assert_no_error (error);
  raw_open (&raw, raw_path);

  for (guint i = 0; i < WARM_UP + n_saves; i++)
    {
      g_autoptr(MnRequest) r = bench_request ();
      gint64               start;
      gint64               raw_us;

      raw_us = raw_insert (&raw);
      start = g_get_monotonic_time ();
      if (!mn_store_file_request (store, r, contact, &error))
        g_error ("%s", error->message);
      if (i >= WARM_UP)
        {
          store_samples[i - WARM_UP] = g_get_monotonic_time () - start;
          raw_samples[i - WARM_UP] = raw_us;
        }
    }

  raw_close (&raw);
}

/* Drops the store's files from the page cache, so that the next open
 * reads from the disk as after a reboot. No root needed. */
static void
evict (const char *db_path)
{
  int fd = open (db_path, O_RDONLY);

  if (fd >= 0)
    {
      fdatasync (fd);
      posix_fadvise (fd, 0, 0, POSIX_FADV_DONTNEED);
      close (fd);
    }
}

/* p50 of @runs opens of the store in @dir, in ms. */
static double
measure_open (const char *dir,
              gboolean    cold,
              double     *out_max)
{
  g_autofree char *db_path = g_build_filename (dir, "minyin.db", NULL);
  gint64           samples[OPEN_RUNS];
  double           p50;

  for (guint i = 0; i < OPEN_RUNS; i++)
    {
      g_autoptr(GError) error = NULL;
      MnStore          *store;
      gint64            start;

      if (cold)
        evict (db_path);
      start = g_get_monotonic_time ();
      store = mn_store_open (dir, &error);
      samples[i] = g_get_monotonic_time () - start;
      g_assert_no_error (error);
      g_object_unref (store);
    }

  p50 = percentile (samples, OPEN_RUNS, 50);
  *out_max = samples[OPEN_RUNS - 1] / 1000.0;

  return p50;
}

/* Fills the real schema with @n requests (each with its "filed" event and
 * its outbox message) in one transaction through raw SQL: minutes through
 * the store, seconds this way. Spread over past days so they never meet
 * today's sequence; most closed and sent, as on a terminal in service. */
static void
build_big_store (const char *dir,
                 guint       n)
{
  g_autofree char   *db_path = g_build_filename (dir, "minyin.db", NULL);
  g_autofree char   *sql = NULL;
  g_autoptr(GError)  error = NULL;
  g_autoptr(MnStore) store = mn_store_open (dir, &error);
  sqlite3           *db = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);

  check (db, sqlite3_open (db_path, &db), SQLITE_OK);
  exec_sql (db, "PRAGMA journal_mode = DELETE; PRAGMA synchronous = OFF; "
                "PRAGMA cache_size = -1000000; PRAGMA temp_store = MEMORY;");
  exec_sql (db, "BEGIN");
  sql = g_strdup_printf (
    "WITH RECURSIVE n (x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < %u) "
    "INSERT INTO requests (id, uuid, case_code, platform_id, service_code, service_group, "
    "  urgency, channel, description, address_text, contact_sealed, contact_hint, consent, "
    "  created_at, deadline_at, status, agency, updated_at) "
    "SELECT x, "
    "  lower (hex (randomblob (4)) || '-' || hex (randomblob (2)) || '-4' || "
    "    substr (hex (randomblob (2)), 2) || '-a' || substr (hex (randomblob (2)), 2) || '-' || "
    "    hex (randomblob (6))), "
    "  printf ('000042%%s%%04d0', substr (strftime ('%%Y%%m%%d', "
    "    1500000000 + (x / 9999) * 86400, 'unixepoch'), 3), x %% 9999 + 1), "
    "  CASE WHEN x %% 10 < 9 THEN printf ('12345-%%d', x) END, "
    "  'streetlight', '民生', 'routine', 'kiosk', "
    "  '3 号楼东侧单元门口的路灯已经坏了一个多星期，晚上老人出门看不清台阶 #' || x, "
    "  '幸福路 ' || (x %% 200) || ' 号', "
    "  CASE WHEN x %% 10 < 7 THEN randomblob (85) END, "
    "  CASE WHEN x %% 10 < 7 THEN '138****8000' END, 1, "
    "  1500000000 + x * 8, 1500000000 + x * 8 + 604800, "
    "  CASE WHEN x %% 10 < 8 THEN 'closed' WHEN x %% 10 < 9 THEN 'sent' ELSE 'saved' END, "
    "  '街道城管科', 1500000000 + x * 8 "
    "FROM n",
    n);
  exec_sql (db, sql);
  exec_sql (db, "INSERT INTO events (request_id, at, kind, detail) "
                "SELECT id, created_at, 'filed', 'kiosk' FROM requests");
  exec_sql (db, "INSERT INTO outbox (request_id, kind, state, attempts, next_attempt_at, "
                "  created_at, sent_at) "
                "SELECT id, 'create', CASE WHEN status = 'saved' THEN 'queued' ELSE 'sent' END, "
                "  1, created_at, created_at, created_at FROM requests");
  exec_sql (db, "INSERT INTO case_sequences (day, last) "
                "SELECT DISTINCT strftime ('%Y-%m-%d', created_at, 'unixepoch'), 9999 "
                "FROM requests WHERE id % 5000 = 0");
  exec_sql (db, "COMMIT");
  exec_sql (db, "PRAGMA journal_mode = WAL");
  sqlite3_close (db);
}

/* Copies the store file of @from_dir to @to_path (closed stores have no
 * log beside them). */
static void
copy_file (const char *from_dir,
           const char *to_path)
{
  g_autofree char   *from = g_build_filename (from_dir, "minyin.db", NULL);
  g_autoptr(GFile)   src = g_file_new_for_path (from);
  g_autoptr(GFile)   dst = g_file_new_for_path (to_path);
  g_autoptr(GFile)   parent = g_file_get_parent (dst);
  g_autoptr(GError)  error = NULL;

  g_file_make_directory_with_parents (parent, NULL, NULL);
  g_file_copy (src, dst, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
report_saves (const char *label,
              gint64     *store_samples,
              gint64     *raw_samples)
{
  double s50 = percentile (store_samples, n_saves, 50);
  double s99 = percentile (store_samples, n_saves, 99);
  double r50 = percentile (raw_samples, n_saves, 50);
  double r99 = percentile (raw_samples, n_saves, 99);
  gboolean ok = s50 <= 2 * r50 && s99 < 10.0;

  printf ("# %s: store save p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", label, s50, s99,
          store_samples[n_saves - 1] / 1000.0);
  printf ("# %s: raw SQLite insert p50 %.3f ms, p99 %.3f ms, max %.3f ms\n", label, r50, r99,
          raw_samples[n_saves - 1] / 1000.0);
  printf ("# %s: ratio store/raw p50 %.2fx, p99 %.2fx; targets (≤ 2x raw, p99 < 10 ms): %s\n",
          label, s50 / r50, s99 / r99, ok ? "met" : "MISSED");
  printf ("ok %u - %s saves measured\n", ++tests_run, label);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *root = g_dir_make_tmp ("minyin-bench-XXXXXX", &error);
  g_autofree char  *empty_dir = NULL;
  g_autofree char  *raw_dir = NULL;
  g_autofree char  *big_dir = NULL;
  g_autofree char  *big_path = NULL;
  g_autofree char  *raw_path = NULL;
  g_autofree gint64 *store_samples = NULL;
  g_autofree gint64 *raw_samples = NULL;
  const char       *env;
  double            open_empty;
  double            open_empty_cold;
  double            open_big;
  double            open_big_cold;
  double            max_ms;
  gint64            start;

  g_assert_no_error (error);
  if (sodium_init () < 0)
    g_error ("libsodium would not start");

  if ((env = g_getenv ("MINYIN_BENCH_SAVES")) != NULL)
    n_saves = MAX (10, (guint) g_ascii_strtoull (env, NULL, 10));
  if ((env = g_getenv ("MINYIN_BENCH_REQUESTS")) != NULL)
    n_big = MAX (1, (guint) g_ascii_strtoull (env, NULL, 10));

  store_samples = g_new0 (gint64, n_saves);
  raw_samples = g_new0 (gint64, n_saves);
  empty_dir = g_build_filename (root, "empty", NULL);
  raw_dir = g_build_filename (root, "raw", NULL);
  big_dir = g_build_filename (root, "big", NULL);
  big_path = g_build_filename (big_dir, "minyin.db", NULL);
  raw_path = g_build_filename (raw_dir, "minyin.db", NULL);

  printf ("1..5\n");
  printf ("# data in %s; %u saves measured per case after %u to warm up\n", root, n_saves,
          WARM_UP);

  /* An empty store. The raw inserts go into a copy of it. */
  open_empty = measure_open (empty_dir, FALSE, &max_ms);
  open_empty_cold = measure_open (empty_dir, TRUE, &max_ms);
  copy_file (empty_dir, raw_path);
  measure_saves (empty_dir, raw_path, store_samples, raw_samples);
  report_saves ("empty store", store_samples, raw_samples);

  /* A store of a million requests. */
  start = g_get_monotonic_time ();
  build_big_store (big_dir, n_big);
  {
    struct stat st;

    g_stat (big_path, &st);
    printf ("# built a store of %u requests (%.0f MB) in %.1f s\n", n_big,
            st.st_size / 1e6, (g_get_monotonic_time () - start) / 1e6);
  }
  printf ("ok %u - big store built\n", ++tests_run);

  open_big = measure_open (big_dir, FALSE, &max_ms);
  open_big_cold = measure_open (big_dir, TRUE, &max_ms);
  printf ("# open, page cache warm: empty p50 %.2f ms, %u requests p50 %.2f ms (%.2fx)\n",
          open_empty, n_big, open_big, open_big / open_empty);
  printf ("# open, cold (file evicted from the page cache): empty p50 %.2f ms, %u requests "
          "p50 %.2f ms (%.2fx), slowest %.2f ms; target < 50 ms: %s\n",
          open_empty_cold, n_big, open_big_cold, open_big_cold / open_empty_cold, max_ms,
          open_big_cold < 50.0 ? "met" : "MISSED");
  printf ("ok %u - open measured\n", ++tests_run);

  g_unlink (raw_path);
  copy_file (big_dir, raw_path);
  measure_saves (big_dir, raw_path, store_samples, raw_samples);
  {
    g_autofree char *label = g_strdup_printf ("store of %u requests", n_big);

    report_saves (label, store_samples, raw_samples);
  }

  /* Opening still costs the same after those saves. */
  open_big_cold = measure_open (big_dir, TRUE, &max_ms);
  printf ("# open after the saves, cold: p50 %.2f ms\n", open_big_cold);
  printf ("ok %u - reopen measured\n", ++tests_run);

  remove_tree (root);

  return 0;
}
