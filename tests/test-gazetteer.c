/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "mn-gazetteer.h"
#include "mn-store.h"

/* The demo region (assets/gazetteer): Zhoushan and the demo station. */
#define N_DISTRICTS   4
#define N_STREETS     36
#define N_COMMUNITIES 428
#define N_COMPOUNDS   6
#define N_BUILDINGS   17
#define N_UNITS       30
#define N_DEMO        (1 + 1 + N_DISTRICTS + N_STREETS + N_COMMUNITIES + N_COMPOUNDS + N_BUILDINGS + N_UNITS)

#define WENCHANG      "330902002008"  /* 文昌社区居委会, 昌国街道, 定海区 */
#define CHANGGUO      "330902002"
#define DONGGANG_UNIT "330902002008-02-03-2"

typedef struct
{
  char        *dir;
  MnStore     *store;
  MnGazetteer *gaz;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char     *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("minyin-gazetteer-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
  f->gaz = mn_gazetteer_new (f->store);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  g_clear_object (&f->gaz);
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static const char *
source_root (void)
{
  const char *root = g_getenv ("MINYIN_SOURCE_ROOT");

  return root != NULL ? root : SOURCE_ROOT;
}

/* A second connection to the store's file, to look at what the
 * gazetteer wrote. */
static gint64
count_sql (Fixture    *f,
           const char *sql)
{
  g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  gint64           n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* The full-text index holds exactly the rows of the table. */
static void
assert_index_intact (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);
  sqlite3         *db = NULL;
  char            *msg = NULL;
  int              rc;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  rc = sqlite3_exec (db, "INSERT INTO places_fts (places_fts, rank) VALUES ('integrity-check', 1)",
                     NULL, NULL, &msg);
  if (rc != SQLITE_OK)
    g_test_message ("integrity-check: %s", msg);
  g_assert_cmpint (rc, ==, SQLITE_OK);
  sqlite3_free (msg);
  sqlite3_close (db);
}

static GPtrArray *
children (Fixture    *f,
          const char *code)
{
  g_autoptr(GError) error = NULL;
  GPtrArray        *list = mn_gazetteer_get_children (f->gaz, code, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static GPtrArray *
search (Fixture    *f,
        const char *text,
        const char *within)
{
  g_autoptr(GError) error = NULL;
  GPtrArray        *list = mn_gazetteer_search (f->gaz, text, within, 0, &error);

  g_assert_no_error (error);
  g_assert_nonnull (list);
  return list;
}

static gboolean
contains_code (GPtrArray  *places,
               const char *code)
{
  for (guint i = 0; i < places->len; i++)
    if (g_str_equal (((MnPlace *) g_ptr_array_index (places, i))->code, code))
      return TRUE;
  return FALSE;
}

static const char *
first_code (GPtrArray *places)
{
  g_assert_cmpuint (places->len, >, 0);
  return ((MnPlace *) g_ptr_array_index (places, 0))->code;
}

/* Walks the tree down from @code, counting places by level. */
static void
count_tree (Fixture    *f,
            const char *code,
            guint      *counts)
{
  g_autoptr(GPtrArray) list = children (f, code);

  for (guint i = 0; i < list->len; i++)
    {
      MnPlace *p = g_ptr_array_index (list, i);

      counts[p->level]++;
      g_assert_cmpstr (p->parent_code, ==, code);
      g_assert_true (p->has_children == (p->level < MN_PLACE_LEVEL_UNIT &&
                                         (p->level < MN_PLACE_LEVEL_COMMUNITY ||
                                          p->has_children)));
      if (p->has_children)
        count_tree (f, p->code, counts);
    }
}

/* ---- tests ----------------------------------------------------------- */

static void
test_demo_counts (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) roots = NULL;
  MnGazetteerImport    result = { 0 };
  guint                counts[MN_PLACE_N_LEVELS] = { 0 };

  g_assert_true (mn_gazetteer_import_demo (f->gaz, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_false (result.skipped);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_PROVINCE], ==, 1);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_CITY], ==, 1);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_DISTRICT], ==, N_DISTRICTS);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_STREET], ==, N_STREETS);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_COMMUNITY], ==, N_COMMUNITIES);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_COMPOUND], ==, N_COMPOUNDS);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_BUILDING], ==, N_BUILDINGS);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_UNIT], ==, N_UNITS);
  g_assert_cmpuint (result.n_places, ==, N_DEMO);
  g_assert_true (result.station_set);

  /* The same numbers through the pickers' own calls. */
  roots = children (f, NULL);
  g_assert_cmpuint (roots->len, ==, 1);
  g_assert_cmpstr (first_code (roots), ==, "33");
  count_tree (f, "33", counts);
  g_assert_cmpuint (counts[MN_PLACE_LEVEL_CITY], ==, 1);
  g_assert_cmpuint (counts[MN_PLACE_LEVEL_DISTRICT], ==, N_DISTRICTS);
  g_assert_cmpuint (counts[MN_PLACE_LEVEL_STREET], ==, N_STREETS);
  g_assert_cmpuint (counts[MN_PLACE_LEVEL_COMMUNITY], ==, N_COMMUNITIES);
  g_assert_cmpuint (counts[MN_PLACE_LEVEL_COMPOUND], ==, N_COMPOUNDS);
  g_assert_cmpuint (counts[MN_PLACE_LEVEL_BUILDING], ==, N_BUILDINGS);
  g_assert_cmpuint (counts[MN_PLACE_LEVEL_UNIT], ==, N_UNITS);
  assert_index_intact (f);
}

static void
test_first_use (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GPtrArray) found = NULL;

  /* No import was asked for: the first query brings the demo. */
  found = search (f, "文昌社区", NULL);
  g_assert_cmpstr (first_code (found), ==, WENCHANG);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==, N_DEMO);
}

static void
test_idempotent (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(MnGazetteer) other = NULL;
  MnGazetteerImport    result = { 0 };

  g_assert_true (mn_gazetteer_import_demo (f->gaz, FALSE, &result, &error));
  g_assert_false (result.skipped);
  g_assert_true (mn_gazetteer_import_demo (f->gaz, FALSE, &result, &error));
  g_assert_no_error (error);
  g_assert_true (result.skipped);
  g_assert_cmpuint (result.n_places, ==, 0);

  /* Another gazetteer on the same store, as a restarted terminal: no second copy. */
  other = mn_gazetteer_new (f->store);
  g_ptr_array_unref (mn_gazetteer_search (other, "东港", NULL, 0, &error));
  g_assert_no_error (error);

  /* Forced, it writes everything again, and still only once. */
  g_assert_true (mn_gazetteer_import_demo (f->gaz, TRUE, &result, &error));
  g_assert_no_error (error);
  g_assert_false (result.skipped);
  g_assert_cmpuint (result.n_places, ==, N_DEMO);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==, N_DEMO);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM station"), ==, 1);
  assert_index_intact (f);
}

static void
assert_names (GPtrArray          *places,
              const char * const *names)
{
  guint i;

  for (i = 0; names[i] != NULL; i++)
    {
      g_assert_cmpuint (i, <, places->len);
      g_assert_cmpstr (((MnPlace *) g_ptr_array_index (places, i))->short_name, ==, names[i]);
    }
  g_assert_cmpuint (i, ==, places->len);
}

static void
test_children_order (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GPtrArray) buildings = children (f, WENCHANG "-01");
  g_autoptr(GPtrArray) units = children (f, WENCHANG "-01-03");
  g_autoptr(GPtrArray) compounds = children (f, WENCHANG);
  g_autoptr(GPtrArray) communities = children (f, CHANGGUO);
  g_autoptr(GPtrArray) leaf = children (f, DONGGANG_UNIT);
  g_autoptr(GPtrArray) districts = children (f, "3309");
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) none = NULL;
  const char *const    building_names[] = { "1幢", "2幢", "3幢", "10幢", "12幢", NULL };
  const char *const    unit_names[] = { "1单元", "2单元", "3单元", NULL };
  const char *const    compound_names[] = { "文昌花园", "东港花园", "海景苑", NULL };
  const char *const    district_names[] = { "定海区", "普陀区", "岱山县", "嵊泗县", NULL };

  assert_names (buildings, building_names);
  assert_names (units, unit_names);
  assert_names (compounds, compound_names);
  assert_names (districts, district_names);
  g_assert_cmpuint (leaf->len, ==, 0);

  /* Communities in their official order, by code, with short names. */
  g_assert_cmpuint (communities->len, ==, 18);
  g_assert_cmpstr (first_code (communities), ==, CHANGGUO "001");
  g_assert_cmpstr (((MnPlace *) g_ptr_array_index (communities, 0))->short_name, ==, "西安社区");
  g_assert_cmpstr (((MnPlace *) g_ptr_array_index (communities, 0))->name, ==, "西安社区居委会");
  for (guint i = 1; i < communities->len; i++)
    g_assert_cmpstr (((MnPlace *) g_ptr_array_index (communities, i - 1))->code, <,
                     ((MnPlace *) g_ptr_array_index (communities, i))->code);
  g_assert_true (((MnPlace *) g_ptr_array_index (compounds, 0))->has_children);
  g_assert_cmpint (((MnPlace *) g_ptr_array_index (compounds, 0))->level, ==,
                   MN_PLACE_LEVEL_COMPOUND);

  none = mn_gazetteer_get_children (f->gaz, "999999", &error);
  g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND);
  g_assert_null (none);
}

static void
test_natural_key (void)
{
  const char *const ordered[] = { "1幢", "2幢", "3幢", "9幢", "10幢", "11幢", "100幢", NULL };
  const char *const chinese[] = { "一单元", "二单元", "九单元", "十单元", "十一单元", "二十单元",
                                  NULL };

  for (guint i = 1; ordered[i] != NULL; i++)
    {
      g_autofree char *a = mn_gazetteer_natural_key (ordered[i - 1]);
      g_autofree char *b = mn_gazetteer_natural_key (ordered[i]);

      g_assert_cmpstr (a, <, b);
    }
  for (guint i = 1; chinese[i] != NULL; i++)
    {
      g_autofree char *a = mn_gazetteer_natural_key (chinese[i - 1]);
      g_autofree char *b = mn_gazetteer_natural_key (chinese[i]);

      g_assert_cmpstr (a, <, b);
    }
  {
    /* Full-width digits and leading zeros count as the same number. */
    g_autofree char *a = mn_gazetteer_natural_key ("３幢");
    g_autofree char *b = mn_gazetteer_natural_key ("03幢");
    g_autofree char *c = mn_gazetteer_natural_key ("3幢");
    g_autofree char *d = mn_gazetteer_natural_key ("三幢");

    g_assert_cmpstr (a, ==, c);
    g_assert_cmpstr (b, ==, c);
    g_assert_cmpstr (d, ==, c);
  }
}

static void
test_short_names (Fixture      *f,
                  gconstpointer data)
{
  static const struct
  {
    const char *name;
    const char *short_name;
  } cases[] = {
    { "文昌社区居委会", "文昌社区" },
    { "文昌社区居民委员会", "文昌社区" },
    { "茅岭村委会", "茅岭村" },
    { "葫芦村村委会", "葫芦村" },
    { "王家墩村村民委员会", "王家墩村" },
    { "东城居委会", "东城社区" },
    { "巴音嘎查委员会", "巴音嘎查" },
    { "昌国街道", "昌国街道" },
    { "委员会", "委员会" },
    { "", "" },
  };
  g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);
  sqlite3         *db = NULL;
  sqlite3_stmt    *stmt = NULL;
  guint            n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *s = mn_gazetteer_short_name (cases[i].name);

      g_assert_cmpstr (s, ==, cases[i].short_name);
    }

  /* make-demo.py wrote the short names of the demo; the importer of CSV
   * files derives them in C. Both must agree on every place. */
  g_ptr_array_unref (search (f, "东港", NULL));
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name, short_name FROM places WHERE source = "
                                       "'divisions'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *s = mn_gazetteer_short_name ((const char *) sqlite3_column_text (stmt, 0));

      g_assert_cmpstr (s, ==, (const char *) sqlite3_column_text (stmt, 1));
      n++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (n, ==, N_DEMO - N_COMPOUNDS - N_BUILDINGS - N_UNITS);
}

static void
test_search (Fixture      *f,
             gconstpointer data)
{
  /* The official name, the spoken one, a longer official form, and the
   * village form, all find the same place first. */
  const char *const wenchang[] = { "文昌社区", "文昌社区居委会", "文昌社区居民委员会", "  文昌社区 ",
                                   "文昌社", NULL };

  for (guint i = 0; wenchang[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) found = search (f, wenchang[i], NULL);

      g_assert_cmpstr (first_code (found), ==, WENCHANG);
    }

  {
    g_autoptr(GPtrArray) found = search (f, "茅岭村委会", NULL);

    g_assert_cmpstr (first_code (found), ==, CHANGGUO "200");
  }
  {
    /* Two characters: no trigram, the prefix of the short name. */
    g_autoptr(GPtrArray) found = search (f, "东港", NULL);

    g_assert_true (contains_code (found, "330903003"));         /* 东港街道 */
    g_assert_true (contains_code (found, WENCHANG "-02"));      /* 东港花园 */
    for (guint i = 0; i < found->len; i++)
      g_assert_true (g_str_has_prefix (((MnPlace *) g_ptr_array_index (found, i))->short_name,
                                       "东港"));
  }
  {
    /* One character. */
    g_autoptr(GPtrArray) found = search (f, "文", NULL);

    g_assert_true (contains_code (found, WENCHANG));
  }
  {
    /* Words that must all occur, short ones included. */
    g_autoptr(GPtrArray) found = search (f, "东港 花园", NULL);

    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (first_code (found), ==, WENCHANG "-02");
  }
  {
    /* Inside one district only. */
    g_autoptr(GPtrArray) found = search (f, "沈家门", "330903");
    g_autoptr(GPtrArray) elsewhere = search (f, "沈家门", "330902");

    g_assert_cmpuint (found->len, ==, 1);
    g_assert_cmpstr (first_code (found), ==, "330903001");
    g_assert_cmpuint (elsewhere->len, ==, 0);
    for (guint i = 0; i < found->len; i++)
      g_assert_true (g_str_has_prefix (((MnPlace *) g_ptr_array_index (found, i))->code, "330903"));
  }
  {
    /* Digits search codes. */
    g_autoptr(GPtrArray) found = search (f, WENCHANG, NULL);

    g_assert_cmpstr (first_code (found), ==, WENCHANG);
  }
  {
    /* Full-width digits, as some input methods type them. */
    g_autoptr(GPtrArray) found = search (f, "３３０９０２００２００８", NULL);

    g_assert_cmpstr (first_code (found), ==, WENCHANG);
  }
  {
    g_autoptr(GPtrArray) found = search (f, "不存在的地方", NULL);
    g_autoptr(GPtrArray) empty = search (f, "   ", NULL);

    g_assert_cmpuint (found->len, ==, 0);
    g_assert_cmpuint (empty->len, ==, 0);
  }
  {
    g_autoptr(GError) error = NULL;
    GPtrArray        *found = mn_gazetteer_search (f->gaz, "东", NULL, 3, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (found->len, ==, 3);
    g_ptr_array_unref (found);
  }
}

static void
test_hostile (Fixture      *f,
              gconstpointer data)
{
  const char *const queries[] = {
    "\"", "\"\"", "*", "文昌*", "NEAR(", "NEAR(文昌 社区)", "'", "''", "文昌社区\" OR \"茅岭村",
    "name:文昌社区", "short_name:文昌", "社区 NOT 文昌", "{name short_name}:文昌社区", "^文昌社区",
    "%", "_", "文昌%", "\\", "'; DROP TABLE places; --", "\" OR 1=1 --", "(", ")", "AND", "OR",
    "+", "-文昌", "文昌社区)", "社区居委会\"", "\t\n", "\xe3\x80\x80文昌社区", NULL,
  };

  for (guint i = 0; queries[i] != NULL; i++)
    {
      g_autoptr(GError)    error = NULL;
      g_autoptr(GPtrArray) found = mn_gazetteer_search (f->gaz, queries[i], NULL, 0, &error);
      g_auto(GStrv)        words = g_strsplit_set (queries[i], " \t\n", -1);

      g_test_message ("query %s: %u found", queries[i], found != NULL ? found->len : 0);
      g_assert_no_error (error);
      g_assert_nonnull (found);

      /* Every place found holds every word literally: nothing was read
       * as an operator. */
      for (guint j = 0; j < found->len; j++)
        {
          MnPlace *p = g_ptr_array_index (found, j);

          for (guint k = 0; words[k] != NULL; k++)
            {
              g_autofree char *word = g_utf8_normalize (words[k], -1, G_NORMALIZE_NFC);
              g_autofree char *core = NULL;

              g_strstrip (word);
              if (*word == '\0' || g_str_has_prefix (word, "\xe3\x80\x80"))
                continue;
              core = mn_gazetteer_short_name (word);
              g_assert_true (strstr (p->name, core) != NULL || strstr (p->short_name, core) != NULL);
            }
        }
    }

  {
    /* Read as FTS5 syntax, each of these would find 文昌社区 (a column
     * filter, a prefix query, an OR, a NEAR group); read as text, nothing
     * holds them. */
    const char *const injections[] = { "文昌社区\" OR \"茅岭村", "name:文昌社区", "文昌*",
                                       "NEAR(文昌社区 茅岭村)", "{name short_name}:文昌社区",
                                       "\" OR 1=1 --", NULL };

    for (guint i = 0; injections[i] != NULL; i++)
      {
        g_autoptr(GPtrArray) found = search (f, injections[i], NULL);

        g_assert_cmpuint (found->len, ==, 0);
      }
  }

  /* The table is still there and whole. */
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==, N_DEMO);

  {
    g_autoptr(GError) error = NULL;
    GPtrArray        *found = mn_gazetteer_search (f->gaz, "\xff\xfe", NULL, 0, &error);
    g_autofree char  *longer = NULL;
    GString          *s = g_string_new (NULL);

    g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_INVALID);
    g_assert_null (found);
    g_clear_error (&error);

    for (guint i = 0; i < 65; i++)
      g_string_append (s, "文");
    longer = g_string_free (s, FALSE);
    found = mn_gazetteer_search (f->gaz, longer, NULL, 0, &error);
    g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_INVALID);
    g_assert_null (found);
  }
}

static void
test_paths (Fixture      *f,
            gconstpointer data)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) path = mn_gazetteer_get_path (f->gaz, DONGGANG_UNIT, &error);
  g_autofree char     *local = NULL;
  g_autofree char     *full = NULL;
  g_autoptr(GPtrArray) province = NULL;
  g_autofree char     *province_text = NULL;
  GPtrArray           *none;

  g_assert_no_error (error);
  g_assert_cmpuint (path->len, ==, 8);
  local = mn_place_format_path (path, MN_PLACE_LEVEL_DISTRICT);
  g_assert_cmpstr (local, ==, "定海区 昌国街道 文昌社区 东港花园 3幢 2单元");
  full = mn_place_format_path (path, MN_PLACE_LEVEL_PROVINCE);
  g_assert_cmpstr (full, ==, "浙江省 舟山市 定海区 昌国街道 文昌社区 东港花园 3幢 2单元");
  g_assert_cmpint (((MnPlace *) g_ptr_array_index (path, 7))->level, ==, MN_PLACE_LEVEL_UNIT);

  province = mn_gazetteer_get_path (f->gaz, "33", &error);
  g_assert_no_error (error);
  province_text = mn_place_format_path (province, MN_PLACE_LEVEL_DISTRICT);
  g_assert_cmpstr (province_text, ==, "浙江省");

  none = mn_gazetteer_get_path (f->gaz, "330902002008-99", &error);
  g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND);
  g_assert_null (none);
}

static void
test_lookup_and_station (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(GError)  error = NULL;
  g_autoptr(MnPlace) place = mn_gazetteer_lookup (f->gaz, WENCHANG, &error);
  g_autoptr(MnPlace) station = NULL;
  g_autofree char   *station_name = NULL;
  MnPlace           *none;

  g_assert_no_error (error);
  g_assert_cmpstr (place->name, ==, "文昌社区居委会");
  g_assert_cmpstr (place->short_name, ==, "文昌社区");
  g_assert_cmpstr (place->parent_code, ==, CHANGGUO);
  g_assert_cmpint (place->level, ==, MN_PLACE_LEVEL_COMMUNITY);
  g_assert_true (place->has_children);

  station = mn_gazetteer_get_station_place (f->gaz, &station_name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (station->code, ==, WENCHANG);
  g_assert_cmpstr (station_name, ==, "文昌社区服务站");

  none = mn_gazetteer_lookup (f->gaz, "330999999999", &error);
  g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "minyin places search"));
  g_assert_null (none);
}

static char *
mini_dir (void)
{
  return g_build_filename (source_root (), "tests", "data", "divisions-mini", NULL);
}

/* Copies the mini division set to a temporary directory, with @file
 * replaced by @contents. */
static char *
broken_copy (const char *file,
             const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *src = mini_dir ();
  char             *dst = g_dir_make_tmp ("minyin-divisions-XXXXXX", &error);
  const char *const files[] = { "provinces.csv", "cities.csv", "areas.csv", "streets.csv",
                                "villages.csv", NULL };

  g_assert_no_error (error);
  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *from = g_build_filename (src, files[i], NULL);
      g_autofree char *to = g_build_filename (dst, files[i], NULL);
      g_autofree char *text = NULL;

      if (g_str_equal (files[i], file))
        text = g_strdup (contents);
      else
        g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
      g_assert_true (g_file_set_contents (to, text, -1, NULL));
    }

  return dst;
}

static void
test_import_divisions (Fixture      *f,
                       gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *dir = mini_dir ();
  MnGazetteerImport result = { 0 };
  const gint64      n_mini = 2 + 2 + 2 + 2 + 28;
  const gint64      n_station = N_COMPOUNDS + N_BUILDINGS + N_UNITS;

  g_assert_true (mn_gazetteer_import_demo (f->gaz, FALSE, &result, &error));
  g_assert_true (mn_gazetteer_import_divisions (f->gaz, dir, &result, &error));
  g_assert_no_error (error);
  g_assert_false (result.skipped);
  g_assert_cmpuint (result.n_places, ==, n_mini);
  g_assert_cmpuint (result.n_by_level[MN_PLACE_LEVEL_COMMUNITY], ==, 28);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==, n_mini + n_station);
  assert_index_intact (f);

  {
    /* The new data is searchable, short names derived; the old is gone;
     * the station's places are kept. */
    g_autoptr(GPtrArray) beijing = search (f, "多福巷社区", NULL);
    g_autoptr(GPtrArray) putuo = search (f, "沈家门街道", NULL);
    g_autoptr(GPtrArray) path = mn_gazetteer_get_path (f->gaz, DONGGANG_UNIT, &error);
    g_autofree char     *text = NULL;

    g_assert_no_error (error);
    g_assert_cmpstr (first_code (beijing), ==, "110101001001");
    g_assert_cmpstr (((MnPlace *) g_ptr_array_index (beijing, 0))->short_name, ==, "多福巷社区");
    g_assert_cmpuint (putuo->len, ==, 0);
    text = mn_place_format_path (path, MN_PLACE_LEVEL_DISTRICT);
    g_assert_cmpstr (text, ==, "定海区 昌国街道 文昌社区 东港花园 3幢 2单元");
  }

  /* The same files again: nothing to do. The demo does not come back over
   * real data. */
  g_assert_true (mn_gazetteer_import_divisions (f->gaz, dir, &result, &error));
  g_assert_true (result.skipped);
  g_assert_true (mn_gazetteer_import_demo (f->gaz, FALSE, &result, &error));
  g_assert_true (result.skipped);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==, n_mini + n_station);

  {
    /* Broken files change nothing, and say where they are wrong. */
    const struct
    {
      const char *file;
      const char *contents;
    } broken[] = {
      { "villages.csv", "code,name,streetCode\n110101001001,\"多福巷社区居委会,110101001\n" },
      { "villages.csv", "code,title,streetCode\n110101001001,x,110101001\n" },
      { "streets.csv", "code,name,areaCode\n110101001,东华门街道,110101\n" },    /* no 昌国街道 */
      { "areas.csv", "code,name,cityCode\n110101,东城区,1101\n110101,西城区,1101\n" }, /* twice */
      { "provinces.csv", "" },
      { "cities.csv", "code,name,provinceCode\n1101,\xff\xfe,11\n" },
      { "cities.csv", "code,name,provinceCode\n11 01,市辖区,11\n" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (broken); i++)
      {
        g_autofree char  *bad = broken_copy (broken[i].file, broken[i].contents);
        g_autoptr(GError) bad_error = NULL;

        g_assert_false (mn_gazetteer_import_divisions (f->gaz, bad, &result, &bad_error));
        g_assert_error (bad_error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA);
        g_test_message ("%s", bad_error->message);
        g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==, n_mini + n_station);
        remove_tree (bad);
      }

    g_assert_false (mn_gazetteer_import_divisions (f->gaz, "/nonexistent", &result, &error));
    g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA);
    g_clear_error (&error);
  }
  assert_index_intact (f);
}

static void
test_import_station (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *path = g_build_filename (f->dir, "station.tsv", NULL);
  g_autofree char  *bad = g_build_filename (f->dir, "bad.tsv", NULL);
  MnGazetteerImport result = { 0 };
  g_autoptr(MnPlace) station = NULL;
  g_autoptr(GPtrArray) compounds = NULL;

  g_assert_true (mn_gazetteer_import_demo (f->gaz, FALSE, &result, &error));
  g_assert_true (g_file_set_contents (path,
                                      "# a station in 沈家门\n"
                                      "330903001001-S\t330903001001\tstation\t测试服务站\t\n"
                                      "330903001001-01\t330903001001\tcompound\t海港小区\t\n"
                                      "330903001001-01-02\t330903001001-01\tbuilding\t2号楼\t\n",
                                      -1, NULL));
  g_assert_true (mn_gazetteer_import_station (f->gaz, path, &result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (result.n_places, ==, 2);
  g_assert_true (result.station_set);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==,
                   N_DEMO - N_COMPOUNDS - N_BUILDINGS - N_UNITS + 2);
  assert_index_intact (f);

  station = mn_gazetteer_get_station_place (f->gaz, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (station->code, ==, "330903001001");
  compounds = search (f, "东港花园", NULL);
  g_assert_cmpuint (compounds->len, ==, 0);

  /* A place hanging from nothing is refused, and nothing changes. */
  g_assert_true (g_file_set_contents (bad,
                                      "330903001001-01\t330903001999\tcompound\t海港小区\t\n",
                                      -1, NULL));
  g_assert_false (mn_gazetteer_import_station (f->gaz, bad, &result, &error));
  g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA);
  g_clear_error (&error);
  g_assert_true (g_file_set_contents (bad, "330903001001-01\t330903001001\tstreet\t海港\t\n", -1,
                                      NULL));
  g_assert_false (mn_gazetteer_import_station (f->gaz, bad, &result, &error));
  g_assert_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA);
  g_clear_error (&error);
  g_assert_cmpint (count_sql (f, "SELECT count(*) FROM places"), ==,
                   N_DEMO - N_COMPOUNDS - N_BUILDINGS - N_UNITS + 2);
  assert_index_intact (f);
}

typedef struct
{
  GMainLoop *loop;
  GPtrArray *children;
  GPtrArray *found;
  MnPlace   *station;
  GPtrArray *path;
  GThread   *thread;
  guint      pending;
} AsyncState;

static void
async_done (AsyncState *s)
{
  g_assert_true (g_thread_self () == s->thread);
  if (--s->pending == 0)
    g_main_loop_quit (s->loop);
}

static void
on_children (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  AsyncState       *s = user_data;
  g_autoptr(GError) error = NULL;

  s->children = mn_gazetteer_get_children_finish (MN_GAZETTEER (source), result, &error);
  g_assert_no_error (error);
  async_done (s);
}

static void
on_search (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState       *s = user_data;
  g_autoptr(GError) error = NULL;

  s->found = mn_gazetteer_search_finish (MN_GAZETTEER (source), result, &error);
  g_assert_no_error (error);
  async_done (s);
}

static void
on_station (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncState       *s = user_data;
  g_autoptr(GError) error = NULL;

  s->station = mn_gazetteer_get_station_place_finish (MN_GAZETTEER (source), result, NULL, &error);
  g_assert_no_error (error);
  async_done (s);
}

static void
on_path (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncState       *s = user_data;
  g_autoptr(GError) error = NULL;

  s->path = mn_gazetteer_get_path_finish (MN_GAZETTEER (source), result, &error);
  g_assert_no_error (error);
  async_done (s);
}

static void
test_async (Fixture      *f,
            gconstpointer data)
{
  AsyncState       s = { 0 };
  g_autofree char *text = NULL;

  s.loop = g_main_loop_new (NULL, FALSE);
  s.thread = g_thread_self ();
  s.pending = 4;

  /* Fresh store: the first of these brings the demo in, on the worker. */
  mn_gazetteer_get_children_async (f->gaz, CHANGGUO, NULL, on_children, &s);
  mn_gazetteer_search_async (f->gaz, "东港", NULL, 10, NULL, on_search, &s);
  mn_gazetteer_get_station_place_async (f->gaz, NULL, on_station, &s);
  mn_gazetteer_get_path_async (f->gaz, DONGGANG_UNIT, NULL, on_path, &s);
  g_main_loop_run (s.loop);

  g_assert_cmpuint (s.children->len, ==, 18);
  g_assert_true (contains_code (s.found, WENCHANG "-02"));
  g_assert_cmpstr (s.station->code, ==, WENCHANG);
  text = mn_place_format_path (s.path, MN_PLACE_LEVEL_DISTRICT);
  g_assert_cmpstr (text, ==, "定海区 昌国街道 文昌社区 东港花园 3幢 2单元");

  g_ptr_array_unref (s.children);
  g_ptr_array_unref (s.found);
  g_ptr_array_unref (s.path);
  mn_place_unref (s.station);
  g_main_loop_unref (s.loop);
}

/* A store written before the gazetteer existed (format 1, with requests)
 * is migrated at open, keeps its requests and gets the demo at first use. */
static void
test_old_store (void)
{
  g_autoptr(GError)      error = NULL;
  g_autofree char       *dir = g_dir_make_tmp ("minyin-gazetteer-old-XXXXXX", &error);
  g_autofree char       *fixture = g_build_filename (source_root (), "tests", "data",
                                                     "store-v1.sql", NULL);
  g_autofree char       *path = g_build_filename (dir, "minyin.db", NULL);
  g_autofree char       *sql = NULL;
  g_autoptr(MnStore)     store = NULL;
  g_autoptr(MnGazetteer) gaz = NULL;
  g_autoptr(MnRequest)   r = NULL;
  g_autoptr(GPtrArray)   found = NULL;
  sqlite3               *db = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (fixture, &sql, NULL, &error));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = mn_store_open (dir, &error);
  g_assert_no_error (error);
  gaz = mn_gazetteer_new (store);
  found = mn_gazetteer_search (gaz, "文昌社区", NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first_code (found), ==, WENCHANG);
  r = mn_store_lookup (store, "0000-42-261127-0001-7", &error);
  g_assert_no_error (error);
  g_assert_nonnull (r);

  g_clear_object (&gaz);
  g_clear_object (&store);
  remove_tree (dir);
}

static void
test_levels (void)
{
  for (int i = 0; i < MN_PLACE_N_LEVELS; i++)
    {
      MnPlaceLevel level;

      g_assert_true (mn_place_level_from_string (mn_place_level_to_string (i), &level));
      g_assert_cmpint (level, ==, i);
      g_assert_nonnull (mn_place_level_get_label (i));
    }
  {
    MnPlaceLevel level;

    g_assert_false (mn_place_level_from_string ("station", &level));
    g_assert_false (mn_place_level_from_string (NULL, &level));
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/gazetteer/demo-counts", test_demo_counts);
  ADD ("/gazetteer/first-use", test_first_use);
  ADD ("/gazetteer/idempotent", test_idempotent);
  ADD ("/gazetteer/children-order", test_children_order);
  ADD ("/gazetteer/short-names", test_short_names);
  ADD ("/gazetteer/search", test_search);
  ADD ("/gazetteer/hostile", test_hostile);
  ADD ("/gazetteer/paths", test_paths);
  ADD ("/gazetteer/lookup-station", test_lookup_and_station);
  ADD ("/gazetteer/import-divisions", test_import_divisions);
  ADD ("/gazetteer/import-station", test_import_station);
  ADD ("/gazetteer/async", test_async);
#undef ADD
  g_test_add_func ("/gazetteer/natural-key", test_natural_key);
  g_test_add_func ("/gazetteer/levels", test_levels);
  g_test_add_func ("/gazetteer/old-store", test_old_store);

  return g_test_run ();
}
