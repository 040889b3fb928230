/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The gazetteer at the scale of the whole country (620 000 communities):
 * import time, store size, and search latency through the gazetteer's
 * trigram index against a plain LIKE scan of the same table, in the same
 * run, on the same file. The division data is not in the repository: it
 * is read from $MINYIN_DIVISIONS_DIR or the shared notes beside the
 * source tree, and the benchmark is skipped without it. */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "mn-gazetteer.h"
#include "mn-store.h"

#define N_NAMES    100
#define N_ROUNDS   2
#define LIMIT      50

static const char *
find_divisions (void)
{
  static char *found = NULL;
  const char  *env = g_getenv ("MINYIN_DIVISIONS_DIR");
  const char  *root = g_getenv ("MINYIN_SOURCE_ROOT");
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  const char  *candidates[4];

  if (root == NULL)
    root = SOURCE_ROOT;
  a = g_build_filename (root, "..", "shared", "data", "divisions", NULL);
  b = g_build_filename (root, "..", "..", "shared", "data", "divisions", NULL);
  candidates[0] = env;
  candidates[1] = a;
  candidates[2] = b;
  candidates[3] = "/work/shared/data/divisions";

  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      g_autofree char *probe = NULL;

      if (candidates[i] == NULL)
        continue;
      probe = g_build_filename (candidates[i], "villages.csv", NULL);
      if (g_file_test (probe, G_FILE_TEST_IS_REGULAR))
        {
          found = g_canonicalize_filename (candidates[i], NULL);
          return found;
        }
    }
  return NULL;
}

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
percentile (GArray *ms,
            double  p)
{
  guint i;

  g_array_sort (ms, compare_double);
  i = (guint) (p * (ms->len - 1) + 0.5);
  return g_array_index (ms, double, i);
}

/* The baseline: what a search without the index does, a scan of every
 * name with LIKE, ranked and limited the same way. */
static const char SQL_LIKE[] =
  "SELECT code FROM places p "
  "WHERE p.name LIKE '%' || ?1 || '%' ESCAPE '\\' OR p.short_name LIKE '%' || ?1 || '%' ESCAPE '\\' "
  "ORDER BY (p.short_name = ?1 OR p.name = ?1) DESC, instr (p.short_name, ?1) = 1 DESC, "
  "length (p.short_name), length (p.name), p.code LIMIT ?2";

typedef struct
{
  const char *label;
  GPtrArray  *queries;
} QuerySet;

static void
run_set (MnGazetteer *gaz,
         sqlite3     *db,
         QuerySet    *set,
         gboolean     check_same)
{
  g_autoptr(GArray) fts_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) like_ms = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt     *stmt = NULL;
  guint             n_same = 0;
  guint             n_found = 0;
  double            fts50, fts95, like50, like95;

  g_assert_cmpint (sqlite3_prepare_v2 (db, SQL_LIKE, -1, &stmt, NULL), ==, SQLITE_OK);

  for (guint round = 0; round < N_ROUNDS; round++)
    for (guint i = 0; i < set->queries->len; i++)
      {
        const char          *q = g_ptr_array_index (set->queries, i);
        g_autoptr(GError)    error = NULL;
        g_autoptr(GPtrArray) found = NULL;
        g_autoptr(GPtrArray) baseline = g_ptr_array_new_with_free_func (g_free);
        gint64               t0, t1, t2;
        double               ms;

        t0 = g_get_monotonic_time ();
        found = mn_gazetteer_search (gaz, q, NULL, LIMIT, &error);
        t1 = g_get_monotonic_time ();
        g_assert_no_error (error);

        sqlite3_bind_text (stmt, 1, q, -1, SQLITE_STATIC);
        sqlite3_bind_int (stmt, 2, LIMIT);
        while (sqlite3_step (stmt) == SQLITE_ROW)
          g_ptr_array_add (baseline, g_strdup ((const char *) sqlite3_column_text (stmt, 0)));
        sqlite3_reset (stmt);
        t2 = g_get_monotonic_time ();

        ms = (t1 - t0) / 1000.0;
        g_array_append_val (fts_ms, ms);
        ms = (t2 - t1) / 1000.0;
        g_array_append_val (like_ms, ms);

        if (round == 0)
          {
            gboolean same = found->len == baseline->len;

            if (found->len > 0)
              n_found++;
            for (guint j = 0; same && j < found->len; j++)
              same = g_str_equal (((MnPlace *) g_ptr_array_index (found, j))->code,
                                  g_ptr_array_index (baseline, j));
            if (same)
              n_same++;
            else if (check_same)
              g_test_message ("differs from the scan: %s (%u vs %u)", q, found->len,
                              baseline->len);
          }
      }
  sqlite3_finalize (stmt);

  fts50 = percentile (fts_ms, 0.50);
  fts95 = percentile (fts_ms, 0.95);
  like50 = percentile (like_ms, 0.50);
  like95 = percentile (like_ms, 0.95);
  g_test_message ("%-28s %3u queries x %u: index p50 %7.3f ms p95 %7.3f ms | LIKE scan p50 %8.3f ms "
                  "p95 %8.3f ms | p50 %6.1fx faster, p95 %6.1fx | found %u, same as scan %u",
                  set->label, set->queries->len, N_ROUNDS, fts50, fts95, like50, like95,
                  like50 / fts50, like95 / fts95, n_found, n_same);
  printf ("# %s: index p50 %.3f ms, p95 %.3f ms; LIKE p50 %.3f ms, p95 %.3f ms; ratio p50 %.1fx, "
          "p95 %.1fx\n", set->label, fts50, fts95, like50, like95, like50 / fts50, like95 / fts95);

  /* Words of three characters or more must find exactly what the scan
   * finds, in the same order: the index is an accelerator, not a
   * different search. */
  if (check_same)
    g_assert_cmpuint (n_same, ==, set->queries->len);
  g_assert_cmpuint (n_found, >, set->queries->len / 2);
}

static void
test_country (void)
{
  const char          *divisions = find_divisions ();
  g_autoptr(GError)    error = NULL;
  g_autofree char     *dir = NULL;
  g_autofree char     *db_path = NULL;
  g_autoptr(MnStore)   store = NULL;
  g_autoptr(MnGazetteer) gaz = NULL;
  MnGazetteerImport    result = { 0 };
  gint64               t0, t1;
  GStatBuf             st;
  sqlite3             *db = NULL;
  sqlite3_stmt        *stmt = NULL;
  g_autoptr(GRand)     rand = g_rand_new_with_seed (20260101);
  g_autoptr(GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) official = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) fragments = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) prefixes = g_ptr_array_new_with_free_func (g_free);
  QuerySet             set;

  if (divisions == NULL)
    {
      g_test_skip ("no division data: set MINYIN_DIVISIONS_DIR to ../shared/data/divisions");
      return;
    }

  dir = g_dir_make_tmp ("minyin-bench-gazetteer-XXXXXX", &error);
  g_assert_no_error (error);
  store = mn_store_open (dir, &error);
  g_assert_no_error (error);
  gaz = mn_gazetteer_new (store);

  t0 = g_get_monotonic_time ();
  g_assert_true (mn_gazetteer_import_demo (gaz, FALSE, &result, &error));
  t1 = g_get_monotonic_time ();
  g_test_message ("demo import: %u places in %.1f ms", result.n_places, (t1 - t0) / 1000.0);
  printf ("# demo import: %u places in %.1f ms\n", result.n_places, (t1 - t0) / 1000.0);

  t0 = g_get_monotonic_time ();
  g_assert_true (mn_gazetteer_import_divisions (gaz, divisions, &result, &error));
  t1 = g_get_monotonic_time ();
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_COMMUNITY], >, 600000);
  db_path = g_build_filename (dir, "minyin.db", NULL);
  g_assert_cmpint (g_stat (db_path, &st), ==, 0);
  printf ("# country import: %u places (%u communities) in %.1f s; store %.1f MB\n",
          result.n_places, result.n_by_level[MN_PLACE_LEVEL_COMMUNITY], (t1 - t0) / 1e6,
          st.st_size / 1048576.0);

  t0 = g_get_monotonic_time ();
  g_assert_true (mn_gazetteer_import_divisions (gaz, divisions, &result, &error));
  t1 = g_get_monotonic_time ();
  g_assert_true (result.skipped);
  printf ("# country import again (no change, skipped): %.1f s\n", (t1 - t0) / 1e6);

  /* Typical queries, drawn from the data with a fixed seed: the short
   * name of a community (what a resident says), its official name,
   * a three-character fragment from inside a name, and the first one or
   * two characters (the prefix fallback). */
  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name, short_name FROM places WHERE level = "
                                       "'community'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (all, g_strdup_printf ("%s\t%s", sqlite3_column_text (stmt, 0),
                                           sqlite3_column_text (stmt, 1)));
  sqlite3_finalize (stmt);

  while (names->len < N_NAMES)
    {
      const char      *row = g_ptr_array_index (all, g_rand_int_range (rand, 0, (gint32) all->len));
      g_auto(GStrv)    parts = g_strsplit (row, "\t", 2);
      glong            n = g_utf8_strlen (parts[1], -1);
      const char      *mid;

      if (n < 4)
        continue;
      g_ptr_array_add (names, g_strdup (parts[1]));
      g_ptr_array_add (official, g_strdup (parts[0]));
      mid = g_utf8_offset_to_pointer (parts[1], g_rand_int_range (rand, 0, (gint32) n - 2));
      g_ptr_array_add (fragments, g_utf8_substring (mid, 0, 3));
      g_ptr_array_add (prefixes, g_utf8_substring (parts[1], 0, names->len % 2 ? 2 : 1));
    }

  set.label = "community short names";
  set.queries = names;
  run_set (gaz, db, &set, TRUE);
  set.label = "official names (suffix)";
  set.queries = official;
  run_set (gaz, db, &set, FALSE);
  set.label = "3-character fragments";
  set.queries = fragments;
  run_set (gaz, db, &set, TRUE);
  set.label = "1-2 character prefixes";
  set.queries = prefixes;
  run_set (gaz, db, &set, FALSE);

  sqlite3_close (db);
  g_clear_object (&gaz);
  g_clear_object (&store);

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char     *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (dir, name, NULL);

        g_unlink (child);
      }
    g_rmdir (dir);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/gazetteer-bench/country", test_country);
  return g_test_run ();
}
