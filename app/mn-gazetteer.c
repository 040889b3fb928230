/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-gazetteer.h"
#include "mn-gazetteer-resources.h"
#include "mn-store-private.h"

G_DEFINE_QUARK (mn-gazetteer-error-quark, mn_gazetteer_error)

#define DEMO_DIVISIONS_RESOURCE "/org/minyin/Terminal/gazetteer/zhoushan.tsv"
#define DEMO_STATION_RESOURCE   "/org/minyin/Terminal/gazetteer/station-demo.tsv"
#define DEMO_DIVISIONS_ORIGIN   "demo:zhoushan"
#define DEMO_STATION_ORIGIN     "demo:station"

#define SOURCE_DIVISIONS "divisions"
#define SOURCE_STATION   "station"

#define DEFAULT_LIMIT    50
#define MAX_LIMIT        1000
#define MAX_QUERY_CHARS  64
#define MAX_CODE_CHARS   64
#define MAX_NAME_CHARS   100
/* A path longer than this is a loop in bad data, not a real address. */
#define MAX_DEPTH        16

struct _MnGazetteer
{
  GObject  parent_instance;

  MnStore *store;
  /* Touched only by jobs, which run one at a time on the store's worker
   * thread: whether this store's gazetteer was checked for the demo. */
  gboolean ready;
};

G_DEFINE_FINAL_TYPE (MnGazetteer, mn_gazetteer, G_TYPE_OBJECT)

/* ---- SQL ------------------------------------------------------------- */

#define PLACE_COLUMNS                                                                              \
  "p.code, p.parent_code, p.level, p.name, p.short_name, "                                        \
  "EXISTS (SELECT 1 FROM places c WHERE c.parent_code = p.code)"

static const char SQL_LOOKUP[] = "SELECT " PLACE_COLUMNS " FROM places p WHERE p.code = ?1";
static const char SQL_CHILDREN[] =
  "SELECT " PLACE_COLUMNS " FROM places p WHERE p.parent_code = ?1 ORDER BY p.sort_key, p.code";
static const char SQL_ROOTS[] =
  "SELECT " PLACE_COLUMNS " FROM places p WHERE p.parent_code IS NULL ORDER BY p.sort_key";

/* Full-text search: ?1 is an FTS5 expression made only of quoted strings
 * (see build_match), ?2 and ?3 short words that must also occur, ?4 a
 * code prefix or NULL, ?5 the word to rank by, ?6 the limit. An exact
 * name first, then names that start with the word, then shorter names. */
static const char SQL_SEARCH_FTS[] =
  "SELECT " PLACE_COLUMNS " FROM places_fts f JOIN places p ON p.id = f.rowid "
  "WHERE f.places_fts MATCH ?1 "
  "  AND (?2 IS NULL OR instr (p.name, ?2) > 0 OR instr (p.short_name, ?2) > 0) "
  "  AND (?3 IS NULL OR instr (p.name, ?3) > 0 OR instr (p.short_name, ?3) > 0) "
  "  AND (?4 IS NULL OR (p.code >= ?4 AND p.code < ?4 || char (1114111))) "
  "ORDER BY (p.short_name = ?5 OR p.name = ?5) DESC, instr (p.short_name, ?5) = 1 DESC, "
  "  length (p.short_name), length (p.name), p.code LIMIT ?6";

/* Words of one or two characters have no trigram: they match the start
 * of a short name through its index (a range, which is what LIKE 'x%'
 * means but LIKE could only use with a NOCASE index). */
static const char SQL_SEARCH_PREFIX[] =
  "SELECT " PLACE_COLUMNS " FROM places p "
  "WHERE p.short_name >= ?1 AND p.short_name < ?1 || char (1114111) "
  "  AND (?2 IS NULL OR instr (p.name, ?2) > 0 OR instr (p.short_name, ?2) > 0) "
  "  AND (?3 IS NULL OR instr (p.name, ?3) > 0 OR instr (p.short_name, ?3) > 0) "
  "  AND (?4 IS NULL OR (p.code >= ?4 AND p.code < ?4 || char (1114111))) "
  "ORDER BY p.short_name = ?1 DESC, length (p.short_name), length (p.name), p.code LIMIT ?6";

static const char SQL_SEARCH_CODE[] =
  "SELECT " PLACE_COLUMNS " FROM places p "
  "WHERE p.code >= ?1 AND p.code < ?1 || char (1114111) "
  "  AND (?4 IS NULL OR (p.code >= ?4 AND p.code < ?4 || char (1114111))) "
  "ORDER BY length (p.code), p.code LIMIT ?6";

static const char SQL_STATION[] = "SELECT code, name, place_code FROM station WHERE id = 1";
static const char SQL_GET_IMPORT[] =
  "SELECT origin, digest FROM place_imports WHERE source = ?1";
static const char SQL_COUNT_IMPORTS[] = "SELECT count(*) FROM place_imports";
static const char SQL_SET_IMPORT[] =
  "INSERT INTO place_imports (source, origin, digest, n_places, imported_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (source) DO UPDATE SET origin = excluded.origin, "
  "digest = excluded.digest, n_places = excluded.n_places, imported_at = excluded.imported_at";
static const char SQL_INSERT_PLACE[] =
  "INSERT INTO places (code, parent_code, level, name, short_name, sort_key, source) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_INSERT_FTS[] =
  "INSERT INTO places_fts (rowid, name, short_name) VALUES (?1, ?2, ?3)";
static const char SQL_DELETE_FTS_OF_SOURCE[] =
  "INSERT INTO places_fts (places_fts, rowid, name, short_name) "
  "SELECT 'delete', id, name, short_name FROM places WHERE source = ?1";
static const char SQL_DELETE_SOURCE[] = "DELETE FROM places WHERE source = ?1";
static const char SQL_SET_STATION[] =
  "INSERT INTO station (id, code, name, place_code) VALUES (1, ?1, ?2, ?3) "
  "ON CONFLICT (id) DO UPDATE SET code = excluded.code, name = excluded.name, "
  "place_code = excluded.place_code";
static const char SQL_ORPHAN[] =
  "SELECT s.code, s.parent_code FROM places s WHERE s.source = ?1 AND s.parent_code IS NOT NULL "
  "AND NOT EXISTS (SELECT 1 FROM places p WHERE p.code = s.parent_code) LIMIT 1";
static const char SQL_STATION_ORPHAN[] =
  "SELECT place_code FROM station WHERE id = 1 "
  "AND NOT EXISTS (SELECT 1 FROM places p WHERE p.code = station.place_code)";

/* ---- statements ------------------------------------------------------ */

typedef sqlite3_stmt MnGazStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnGazStmt, mn_store_stmt_release)


static MnPlace *
place_from_stmt (sqlite3_stmt *stmt)
{
  MnPlace *place = mn_place_new ();

  place->code = mn_store_column_text (stmt, 0);
  place->parent_code = mn_store_column_text (stmt, 1);
  if (!mn_place_level_from_string ((const char *) sqlite3_column_text (stmt, 2), &place->level))
    place->level = MN_PLACE_LEVEL_UNIT;
  place->name = mn_store_column_text (stmt, 3);
  place->short_name = mn_store_column_text (stmt, 4);
  place->has_children = sqlite3_column_int (stmt, 5) != 0;

  return place;
}

/* Steps @stmt to the end, collecting its places. */
static GPtrArray *
collect_places (MnStoreWorker *w,
                sqlite3_stmt  *stmt,
                GError       **error)
{
  g_autoptr(GPtrArray) places = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_place_unref);
  int                  rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (places, place_from_stmt (stmt));
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (w, error);
      return NULL;
    }

  return g_steal_pointer (&places);
}

/* ---- names ----------------------------------------------------------- */

/* The committee suffixes people leave out, tried in this order; the same
 * patterns are in assets/gazetteer/make-demo.py. */
static const struct
{
  const char *pattern;
  const char *replacement;
} short_name_rules[] = {
  { "^(.*社区)[居民委员会管理名]*会$", "\\1" },
  { "^(.+?村)[村民委员会牧名]*会$", "\\1" },
  { "^(.+?)(?:居民管理委员会|居民委员会|居委会)$", "\\1社区" },
  { "^(.+?)(?:人民委员会|委员会|委会)$", "\\1" },
};

static GRegex **
short_name_regexes (void)
{
  static GRegex *regexes[G_N_ELEMENTS (short_name_rules)];
  static gsize   initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      for (guint i = 0; i < G_N_ELEMENTS (short_name_rules); i++)
        {
          g_autoptr(GError) error = NULL;

          regexes[i] = g_regex_new (short_name_rules[i].pattern, G_REGEX_OPTIMIZE, 0, &error);
          g_assert_no_error (error);
        }
      g_once_init_leave (&initialized, 1);
    }

  return regexes;
}

char *
mn_gazetteer_short_name (const char *name)
{
  GRegex **regexes;

  g_return_val_if_fail (name != NULL, NULL);

  /* Every suffix ends in 会; most names need no regular expression. */
  if (!g_str_has_suffix (name, "会"))
    return g_strdup (name);

  regexes = short_name_regexes ();
  for (guint i = 0; i < G_N_ELEMENTS (short_name_rules); i++)
    if (g_regex_match (regexes[i], name, 0, NULL))
      return g_regex_replace (regexes[i], name, -1, 0, short_name_rules[i].replacement, 0,
                              NULL);

  return g_strdup (name);
}

static int
chinese_digit (gunichar c)
{
  static const gunichar digits[] = { 0x96F6 /* 零 */, 0x4E00 /* 一 */, 0x4E8C /* 二 */,
                                     0x4E09 /* 三 */, 0x56DB /* 四 */, 0x4E94 /* 五 */,
                                     0x516D /* 六 */, 0x4E03 /* 七 */, 0x516B /* 八 */,
                                     0x4E5D /* 九 */ };

  if (c == 0x3007 /* 〇 */)
    return 0;
  if (c == 0x4E24 /* 两 */)
    return 2;
  for (guint i = 0; i < G_N_ELEMENTS (digits); i++)
    if (digits[i] == c)
      return (int) i;
  return -1;
}

#define CHINESE_TEN 0x5341 /* 十 */

/* Reads a simple Chinese numeral (一 to 九十九) at @p; returns its value
 * and moves @p past it, or returns -1. */
static gint64
read_chinese_number (const char **p)
{
  const char *s = *p;
  gunichar    c = g_utf8_get_char (s);
  int         tens = -1;
  int         ones = -1;
  int         d = chinese_digit (c);

  if (d < 0 && c != CHINESE_TEN)
    return -1;

  if (c == CHINESE_TEN)
    {
      tens = 1;
      s = g_utf8_next_char (s);
    }
  else
    {
      s = g_utf8_next_char (s);
      if (g_utf8_get_char (s) == CHINESE_TEN)
        {
          tens = d;
          s = g_utf8_next_char (s);
        }
      else
        ones = d;
    }

  if (tens >= 0)
    {
      d = chinese_digit (g_utf8_get_char (s));
      if (d > 0)
        {
          ones = d;
          s = g_utf8_next_char (s);
        }
      *p = s;
      return (gint64) tens * 10 + MAX (ones, 0);
    }

  *p = s;
  return ones;
}

static void
append_number (GString    *key,
               const char *digits)
{
  gsize len;

  /* Leading zeros would make 03 sort after 3; then the number of digits
   * first, so that shorter numbers (smaller ones) come first. */
  while (digits[0] == '0' && digits[1] != '\0')
    digits++;
  len = strlen (digits);
  g_string_append_printf (key, "%02u%s", (guint) MIN (len, 99), digits);
}

char *
mn_gazetteer_natural_key (const char *name)
{
  g_autofree char   *folded = NULL;
  g_autoptr(GString) key = g_string_new (NULL);
  const char        *p;

  g_return_val_if_fail (name != NULL, NULL);

  /* NFKC makes full-width digits ASCII. */
  folded = g_utf8_normalize (name, -1, G_NORMALIZE_NFKC);
  if (folded == NULL)
    return g_strdup (name);

  for (p = folded; *p != '\0';)
    {
      if (g_ascii_isdigit (*p))
        {
          const char      *start = p;
          g_autofree char *digits = NULL;

          while (g_ascii_isdigit (*p))
            p++;
          digits = g_strndup (start, (gsize) (p - start));
          append_number (key, digits);
        }
      else
        {
          gint64 n = read_chinese_number (&p);

          if (n >= 0)
            {
              g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n);

              append_number (key, digits);
            }
          else
            {
              const char *next = g_utf8_next_char (p);

              g_string_append_len (key, p, next - p);
              p = next;
            }
        }
    }

  return g_string_free (g_steal_pointer (&key), FALSE);
}

/* ---- importing ------------------------------------------------------- */

typedef struct
{
  MnStoreWorker     *w;
  const char        *source;
  const char        *origin;   /* a file or directory, for messages */
  gboolean           bulk;     /* the index is rebuilt at the end instead of row by row */
  MnGazetteerImport *result;
  gint64             now;
} Importer;

static gboolean
code_is_valid (const char *code)
{
  if (*code == '\0' || strlen (code) > MAX_CODE_CHARS)
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

static void
set_data_error (GError    **error,
                const char *origin,
                guint       line,
                const char *why)
{
  g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
               /* Translators: %s is a file, %u a line number, the last %s what is wrong
                * with that line (a sentence). */
               _("The address data %s is wrong at line %u: %s Nothing was imported; correct "
                 "the file or use another."),
               origin, line, why);
}

/* Writes one place. @short_name may be NULL (derived from @name). */
static gboolean
importer_add (Importer    *imp,
              guint        line,
              const char  *code,
              const char  *parent_code,
              MnPlaceLevel level,
              const char  *name,
              const char  *short_name,
              GError     **error)
{
  g_autofree char *short_owned = NULL;
  g_autofree char *sort_key = NULL;
  g_autofree char *why = NULL;
  sqlite3_stmt    *stmt;
  sqlite3         *db = mn_store_worker_get_db (imp->w);
  gint64           id;
  int              rc;

  if (!code_is_valid (code))
    why = g_strdup_printf (_("the code “%s” is not a place code (letters, digits, dashes and dots, at most %d)."),
                           code, MAX_CODE_CHARS);
  else if (parent_code != NULL && !code_is_valid (parent_code))
    why = g_strdup_printf (_("the parent code “%s” is not a place code."), parent_code);
  else if (*name == '\0' || g_utf8_strlen (name, -1) > MAX_NAME_CHARS)
    why = g_strdup_printf (_("the name of %s is empty or longer than %d characters."), code,
                           MAX_NAME_CHARS);
  if (why != NULL)
    {
      set_data_error (error, imp->origin, line, why);
      return FALSE;
    }

  if (short_name == NULL || *short_name == '\0')
    short_name = short_owned = mn_gazetteer_short_name (name);

  /* Divisions keep their official order, which their codes follow, and
   * so do compounds, in the order the station numbered them (their names
   * have no order a resident would recognise); buildings and units are
   * ordered as people count them, 2幢 before 10幢. */
  sort_key = level <= MN_PLACE_LEVEL_COMPOUND ? g_strdup (code) : mn_gazetteer_natural_key (name);

  stmt = mn_store_worker_stmt (imp->w, SQL_INSERT_PLACE, error);
  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnGazStmt) s = stmt;

    mn_store_bind_text (s, 1, code);
    mn_store_bind_text (s, 2, parent_code);
    mn_store_bind_text (s, 3, mn_place_level_to_string (level));
    mn_store_bind_text (s, 4, name);
    mn_store_bind_text (s, 5, short_name);
    mn_store_bind_text (s, 6, sort_key);
    mn_store_bind_text (s, 7, imp->source);
    rc = sqlite3_step (s);
    if (rc != SQLITE_DONE)
      {
        if (sqlite3_extended_errcode (db) == SQLITE_CONSTRAINT_UNIQUE)
          {
            g_autofree char *dup = g_strdup_printf (_("the code %s appears twice."), code);

            set_data_error (error, imp->origin, line, dup);
          }
        else
          mn_store_worker_set_error (imp->w, error);
        return FALSE;
      }
    id = sqlite3_last_insert_rowid (db);
  }

  if (!imp->bulk)
    {
      stmt = mn_store_worker_stmt (imp->w, SQL_INSERT_FTS, error);
      if (stmt == NULL)
        return FALSE;
      {
        g_autoptr(MnGazStmt) s = stmt;

        sqlite3_bind_int64 (s, 1, id);
        mn_store_bind_text (s, 2, name);
        mn_store_bind_text (s, 3, short_name);
        if (sqlite3_step (s) != SQLITE_DONE)
          {
            mn_store_worker_set_error (imp->w, error);
            return FALSE;
          }
      }
    }

  imp->result->n_places++;
  imp->result->n_by_level[level]++;

  return TRUE;
}

static gboolean
run_text_stmt (MnStoreWorker *w,
               const char    *sql,
               const char    *arg,
               GError       **error)
{
  sqlite3_stmt *stmt = mn_store_worker_stmt (w, sql, error);

  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnGazStmt) s = stmt;

    mn_store_bind_text (s, 1, arg);
    if (sqlite3_step (s) != SQLITE_DONE)
      {
        mn_store_worker_set_error (w, error);
        return FALSE;
      }
  }

  return TRUE;
}

/* Removes every place of the importer's source, from the index too. */
static gboolean
importer_clear (Importer *imp,
                GError  **error)
{
  if (imp->bulk)
    {
      /* The whole index is rebuilt at the end: emptying it is one step,
       * where deleting 600 000 entries one by one takes as long as
       * writing them. */
      if (!mn_store_worker_exec (imp->w, "INSERT INTO places_fts (places_fts) VALUES ('delete-all')",
                                 error))
        return FALSE;
    }
  else if (!run_text_stmt (imp->w, SQL_DELETE_FTS_OF_SOURCE, imp->source, error))
    return FALSE;

  if (!run_text_stmt (imp->w, SQL_DELETE_SOURCE, imp->source, error))
    return FALSE;

  if (g_str_equal (imp->source, SOURCE_STATION))
    return mn_store_worker_exec (imp->w, "DELETE FROM station", error);

  return TRUE;
}

/* Checks that every place of the source hangs from a place that exists,
 * and so does the station: a picker must never reach a dead end. */
static gboolean
importer_check_tree (Importer   *imp,
                     const char *source,
                     GError    **error)
{
  sqlite3_stmt *stmt = mn_store_worker_stmt (imp->w, SQL_ORPHAN, error);
  int           rc;

  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnGazStmt) s = stmt;

    mn_store_bind_text (s, 1, source);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      {
        if (g_str_equal (source, imp->source))
          g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                       _("The address data %s names %s as the parent of %s, but there is no "
                         "such place; nothing was imported. Import the division data it "
                         "belongs to first, or correct the file."),
                       imp->origin, sqlite3_column_text (s, 1), sqlite3_column_text (s, 0));
        else
          g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                       _("The division data %s lacks %s, where this station’s place %s lies; "
                         "nothing was imported. Import a set that includes it."),
                       imp->origin, sqlite3_column_text (s, 1), sqlite3_column_text (s, 0));
        return FALSE;
      }
    if (rc != SQLITE_DONE)
      {
        mn_store_worker_set_error (imp->w, error);
        return FALSE;
      }
  }

  stmt = mn_store_worker_stmt (imp->w, SQL_STATION_ORPHAN, error);
  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnGazStmt) s = stmt;

    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      {
        g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                     _("The station stands in %s, which is not in the address data %s; "
                       "nothing was imported. Import data that includes it."),
                     sqlite3_column_text (s, 0), imp->origin);
        return FALSE;
      }
    if (rc != SQLITE_DONE)
      {
        mn_store_worker_set_error (imp->w, error);
        return FALSE;
      }
  }

  return TRUE;
}

static gboolean
importer_finish (Importer   *imp,
                 const char *origin,
                 const char *digest,
                 GError    **error)
{
  sqlite3_stmt *stmt;

  if (!importer_check_tree (imp, imp->source, error) ||
      !importer_check_tree (imp, SOURCE_STATION, error))
    return FALSE;

  if (imp->bulk &&
      !mn_store_worker_exec (imp->w, "INSERT INTO places_fts (places_fts) VALUES ('rebuild')",
                             error))
    return FALSE;

  stmt = mn_store_worker_stmt (imp->w, SQL_SET_IMPORT, error);
  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnGazStmt) s = stmt;

    mn_store_bind_text (s, 1, imp->source);
    mn_store_bind_text (s, 2, origin);
    mn_store_bind_text (s, 3, digest);
    sqlite3_bind_int64 (s, 4, imp->result->n_places);
    sqlite3_bind_int64 (s, 5, imp->now);
    if (sqlite3_step (s) != SQLITE_DONE)
      {
        mn_store_worker_set_error (imp->w, error);
        return FALSE;
      }
  }

  return TRUE;
}

/* The origin and digest of the last import of @source; FALSE without
 * error when there was none. */
static gboolean
get_import (MnStoreWorker *w,
            const char    *source,
            char         **out_origin,
            char         **out_digest,
            GError       **error)
{
  sqlite3_stmt *stmt = mn_store_worker_stmt (w, SQL_GET_IMPORT, error);
  int           rc;

  *out_origin = *out_digest = NULL;
  if (stmt == NULL)
    return FALSE;

  {
    g_autoptr(MnGazStmt) s = stmt;

    mn_store_bind_text (s, 1, source);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      {
        *out_origin = mn_store_column_text (s, 0);
        *out_digest = mn_store_column_text (s, 1);
        return TRUE;
      }
    if (rc != SQLITE_DONE)
      mn_store_worker_set_error (w, error);
  }

  return FALSE;
}

/* One tab-separated file: code, parent, level, name, short name. Lines
 * starting with # are comments. A station file may hold the levels below
 * community and one row of level "station". */
static gboolean
import_tsv_rows (Importer   *imp,
                 GBytes     *bytes,
                 gboolean    station_file,
                 GError    **error)
{
  gsize            size = 0;
  const char      *data = g_bytes_get_data (bytes, &size);
  g_autofree char *text = NULL;
  g_auto(GStrv)    lines = NULL;
  gboolean         have_station = FALSE;

  if (!g_utf8_validate_len (data, size, NULL))
    {
      set_data_error (error, imp->origin, 1, _("it is not UTF-8 text."));
      return FALSE;
    }
  text = g_strndup (data, size);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      char         *line = lines[i];
      gsize         len = strlen (line);
      MnPlaceLevel  level;
      guint         lineno = i + 1;

      if (len > 0 && line[len - 1] == '\r')
        line[--len] = '\0';
      if (len == 0 || line[0] == '#')
        continue;

      fields = g_strsplit (line, "\t", -1);
      if (g_strv_length (fields) < 4 || g_strv_length (fields) > 5)
        {
          set_data_error (error, imp->origin, lineno,
                          _("a line needs code, parent, level, name and short name, separated "
                            "by tabs."));
          return FALSE;
        }

      if (station_file && g_str_equal (fields[2], "station"))
        {
          sqlite3_stmt *stmt;

          if (have_station || !code_is_valid (fields[0]) || !code_is_valid (fields[1]) ||
              *fields[3] == '\0')
            {
              set_data_error (error, imp->origin, lineno,
                              _("there must be one station row, with a code, the code of its "
                                "place and a name."));
              return FALSE;
            }
          have_station = TRUE;
          stmt = mn_store_worker_stmt (imp->w, SQL_SET_STATION, error);
          if (stmt == NULL)
            return FALSE;
          {
            g_autoptr(MnGazStmt) s = stmt;

            mn_store_bind_text (s, 1, fields[0]);
            mn_store_bind_text (s, 2, fields[3]);
            mn_store_bind_text (s, 3, fields[1]);
            if (sqlite3_step (s) != SQLITE_DONE)
              {
                mn_store_worker_set_error (imp->w, error);
                return FALSE;
              }
          }
          imp->result->station_set = TRUE;
          continue;
        }

      if (!mn_place_level_from_string (fields[2], &level) ||
          (station_file ? level < MN_PLACE_LEVEL_COMPOUND : level > MN_PLACE_LEVEL_COMMUNITY))
        {
          g_autofree char *why =
            g_strdup_printf (station_file
                               ? _("the level “%s” is not one a station names (compound, "
                                   "building, unit or station).")
                               : _("the level “%s” is not a division level (province, city, "
                                   "district, street or community)."),
                             fields[2]);

          set_data_error (error, imp->origin, lineno, why);
          return FALSE;
        }

      if (!importer_add (imp, lineno, fields[0], *fields[1] != '\0' ? fields[1] : NULL, level,
                         fields[3], fields[4], error))
        return FALSE;
    }

  return TRUE;
}

typedef enum
{
  IMPORT_DEMO,
  IMPORT_DIVISIONS,
  IMPORT_STATION,
} ImportKind;

typedef struct
{
  MnGazetteer       *self;
  ImportKind         kind;
  char              *path;
  gboolean           force;
  MnGazetteerImport  result;
} ImportJob;

static void
import_job_free (ImportJob *job)
{
  g_clear_object (&job->self);
  g_free (job->path);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ImportJob, import_job_free)

static gboolean
import_in_transaction (Importer   *imp,
                       GBytes     *bytes,
                       gboolean    station_file,
                       const char *origin,
                       const char *digest,
                       GError    **error)
{
  if (!mn_store_worker_exec (imp->w, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!importer_clear (imp, error) || !import_tsv_rows (imp, bytes, station_file, error) ||
      !importer_finish (imp, origin, digest, error) ||
      !mn_store_worker_exec (imp->w, "COMMIT", error))
    {
      mn_store_worker_rollback (imp->w);
      return FALSE;
    }

  return TRUE;
}

/* Imports one TSV (demo or station file) unless its digest was already
 * imported for the source, or data from elsewhere is there and @force is
 * not set. */
static gboolean
import_tsv (MnStoreWorker     *w,
            const char        *source,
            const char        *origin,
            GBytes            *bytes,
            gboolean           station_file,
            gboolean           only_over_demo,
            gboolean           force,
            MnGazetteerImport *result,
            GError           **error)
{
  g_autofree char *old_origin = NULL;
  g_autofree char *old_digest = NULL;
  g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
  g_autoptr(GError) local_error = NULL;
  Importer         imp = { 0 };

  if (!get_import (w, source, &old_origin, &old_digest, &local_error) && local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (!force && g_strcmp0 (old_digest, digest) == 0)
    {
      result->skipped = TRUE;
      return TRUE;
    }
  if (!force && only_over_demo && old_origin != NULL && !g_str_has_prefix (old_origin, "demo:"))
    {
      result->skipped = TRUE;
      return TRUE;
    }

  imp.w = w;
  imp.source = source;
  imp.origin = origin;
  /* Division data is imported in bulk; a station's few places row by
   * row, which leaves the index of the divisions alone. */
  imp.bulk = !station_file;
  imp.result = result;
  imp.now = g_get_real_time () / G_USEC_PER_SEC;

  return import_in_transaction (&imp, bytes, station_file, origin, digest, error);
}

static GBytes *
lookup_demo (const char *path)
{
  g_autoptr(GError) error = NULL;
  GBytes           *bytes;

  /* Naming the resource getter keeps the bundle in a static link. */
  bytes = g_resource_lookup_data (mn_gazetteer_data_get_resource (), path,
                                  G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
  /* The bundle is compiled in: a missing file is a build error. */
  g_assert_no_error (error);

  return bytes;
}

static gboolean
import_demo_in_worker (MnStoreWorker     *w,
                       gboolean           force,
                       MnGazetteerImport *result,
                       GError           **error)
{
  g_autoptr(GBytes)  divisions = lookup_demo (DEMO_DIVISIONS_RESOURCE);
  g_autoptr(GBytes)  station = lookup_demo (DEMO_STATION_RESOURCE);
  MnGazetteerImport  r1 = { 0 };
  MnGazetteerImport  r2 = { 0 };

  if (!import_tsv (w, SOURCE_DIVISIONS, DEMO_DIVISIONS_ORIGIN, divisions, FALSE, TRUE, force,
                   &r1, error) ||
      !import_tsv (w, SOURCE_STATION, DEMO_STATION_ORIGIN, station, TRUE, TRUE, force, &r2,
                   error))
    return FALSE;

  memset (result, 0, sizeof *result);
  result->skipped = r1.skipped && r2.skipped;
  result->n_places = r1.n_places + r2.n_places;
  for (guint i = 0; i < MN_PLACE_N_LEVELS; i++)
    result->n_by_level[i] = r1.n_by_level[i] + r2.n_by_level[i];
  result->station_set = r2.station_set;

  return TRUE;
}

/* Before the first query of a fresh store: the demo, so that a terminal
 * that was never given address data still has places to pick. */
static gboolean
ensure_ready (MnGazetteer   *self,
              MnStoreWorker *w,
              GError       **error)
{
  MnGazetteerImport result = { 0 };
  sqlite3_stmt     *stmt;
  gint64            n_imports = 0;

  if (self->ready)
    return TRUE;

  stmt = mn_store_worker_stmt (w, SQL_COUNT_IMPORTS, error);
  if (stmt == NULL)
    return FALSE;
  {
    g_autoptr(MnGazStmt) s = stmt;

    if (sqlite3_step (s) != SQLITE_ROW)
      {
        mn_store_worker_set_error (w, error);
        return FALSE;
      }
    n_imports = sqlite3_column_int64 (s, 0);
  }

  if (n_imports == 0 && !import_demo_in_worker (w, FALSE, &result, error))
    return FALSE;

  self->ready = TRUE;
  return TRUE;
}

/* ---- CSV (the division data) ----------------------------------------- */

/* Splits one CSV line into @fields (quoted fields with "" for a quote).
 * FALSE for an unterminated quote. */
static gboolean
split_csv (const char *line,
           GPtrArray  *fields)
{
  g_autoptr(GString) field = g_string_new (NULL);
  const char        *p = line;

  g_ptr_array_set_size (fields, 0);
  for (;;)
    {
      g_string_truncate (field, 0);
      if (*p == '"')
        {
          p++;
          for (;;)
            {
              if (*p == '\0')
                return FALSE;
              if (*p == '"')
                {
                  if (p[1] == '"')
                    {
                      g_string_append_c (field, '"');
                      p += 2;
                      continue;
                    }
                  p++;
                  break;
                }
              g_string_append_c (field, *p++);
            }
          while (*p != ',' && *p != '\0')
            p++;
        }
      else
        {
          while (*p != ',' && *p != '\0')
            g_string_append_c (field, *p++);
        }
      g_ptr_array_add (fields, g_strdup (field->str));
      if (*p == '\0')
        return TRUE;
      p++;
    }
}

static const struct
{
  const char  *file;
  const char  *parent_column; /* NULL for provinces */
  MnPlaceLevel level;
} division_files[] = {
  { "provinces.csv", NULL, MN_PLACE_LEVEL_PROVINCE },
  { "cities.csv", "provinceCode", MN_PLACE_LEVEL_CITY },
  { "areas.csv", "cityCode", MN_PLACE_LEVEL_DISTRICT },
  { "streets.csv", "areaCode", MN_PLACE_LEVEL_STREET },
  { "villages.csv", "streetCode", MN_PLACE_LEVEL_COMMUNITY },
};

static int
column_index (GPtrArray  *header,
              const char *name)
{
  for (guint i = 0; i < header->len; i++)
    if (g_str_equal (g_ptr_array_index (header, i), name))
      return (int) i;
  return -1;
}

static gboolean
import_csv_file (Importer    *imp,
                 const char  *path,
                 const char  *parent_column,
                 MnPlaceLevel level,
                 GError     **error)
{
  g_autoptr(GFile)            file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = NULL;
  g_autoptr(GDataInputStream) data = NULL;
  g_autoptr(GPtrArray)        header = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray)        fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError)           local_error = NULL;
  int                         code_col = -1;
  int                         name_col = -1;
  int                         parent_col = -1;
  guint                       lineno = 0;
  const char                 *saved_origin = imp->origin;
  gboolean                    ok = FALSE;

  in = g_file_read (file, NULL, &local_error);
  if (in == NULL)
    {
      g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                   _("The division file %s cannot be read (%s); nothing was imported. Check "
                     "the directory given with --divisions."),
                   path, local_error->message);
      return FALSE;
    }
  data = g_data_input_stream_new (G_INPUT_STREAM (in));
  g_data_input_stream_set_newline_type (data, G_DATA_STREAM_NEWLINE_TYPE_ANY);
  imp->origin = path;

  for (;;)
    {
      g_autofree char *line = NULL;
      const char      *parent = NULL;

      line = g_data_input_stream_read_line (data, NULL, NULL, &local_error);
      if (line == NULL)
        {
          if (local_error != NULL)
            {
              g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                           _("The division file %s cannot be read (%s); nothing was imported."),
                           path, local_error->message);
              goto out;
            }
          break;
        }
      lineno++;
      if (!g_utf8_validate (line, -1, NULL))
        {
          set_data_error (error, path, lineno, _("it is not UTF-8 text."));
          goto out;
        }
      if (*line == '\0')
        continue;

      if (header->len == 0)
        {
          /* A byte order mark some editors write is not part of the name. */
          if (!split_csv (g_str_has_prefix (line, "\xEF\xBB\xBF") ? line + 3 : line, header))
            {
              set_data_error (error, path, lineno, _("a quote is not closed."));
              goto out;
            }
          code_col = column_index (header, "code");
          name_col = column_index (header, "name");
          if (parent_column != NULL)
            parent_col = column_index (header, parent_column);
          if (code_col < 0 || name_col < 0 || (parent_column != NULL && parent_col < 0))
            {
              g_autofree char *why =
                g_strdup_printf (_("the first line must name the columns code, name%s%s."),
                                 parent_column != NULL ? ", " : "",
                                 parent_column != NULL ? parent_column : "");

              set_data_error (error, path, lineno, why);
              goto out;
            }
          continue;
        }

      if (!split_csv (line, fields))
        {
          set_data_error (error, path, lineno, _("a quote is not closed."));
          goto out;
        }
      if ((int) fields->len <= MAX (MAX (code_col, name_col), parent_col))
        {
          set_data_error (error, path, lineno, _("it has fewer columns than the first line."));
          goto out;
        }
      if (parent_col >= 0)
        parent = g_ptr_array_index (fields, parent_col);

      if (!importer_add (imp, lineno, g_ptr_array_index (fields, code_col), parent, level,
                         g_ptr_array_index (fields, name_col), NULL, error))
        goto out;
    }

  if (header->len == 0)
    {
      set_data_error (error, path, 1, _("the file is empty."));
      goto out;
    }
  ok = TRUE;

out:
  imp->origin = saved_origin;
  return ok;
}

/* The SHA-256 of the division files, read in blocks. */
static char *
digest_files (const char *dir,
              GError    **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8               buffer[65536];

  for (guint i = 0; i < G_N_ELEMENTS (division_files); i++)
    {
      g_autofree char  *path = g_build_filename (dir, division_files[i].file, NULL);
      g_autoptr(GFile)  file = g_file_new_for_path (path);
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GFileInputStream) in = g_file_read (file, NULL, &local_error);
      gssize            n;

      if (in == NULL)
        {
          g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                       _("The division file %s cannot be read (%s); nothing was imported. Give "
                         "a directory holding provinces.csv, cities.csv, areas.csv, "
                         "streets.csv and villages.csv."),
                       path, local_error->message);
          return NULL;
        }
      g_checksum_update (checksum, (const guchar *) division_files[i].file, -1);
      while ((n = g_input_stream_read (G_INPUT_STREAM (in), buffer, sizeof buffer, NULL,
                                       &local_error)) > 0)
        g_checksum_update (checksum, buffer, (gssize) n);
      if (n < 0)
        {
          g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                       _("The division file %s cannot be read (%s); nothing was imported."),
                       path, local_error->message);
          return NULL;
        }
    }

  return g_strdup (g_checksum_get_string (checksum));
}

static gboolean
import_divisions_in_worker (MnStoreWorker     *w,
                            const char        *dir,
                            MnGazetteerImport *result,
                            GError           **error)
{
  g_autofree char  *digest = NULL;
  g_autofree char  *old_origin = NULL;
  g_autofree char  *old_digest = NULL;
  g_autofree char  *abs_dir = g_canonicalize_filename (dir, NULL);
  g_autoptr(GError) local_error = NULL;
  Importer          imp = { 0 };

  memset (result, 0, sizeof *result);
  digest = digest_files (abs_dir, error);
  if (digest == NULL)
    return FALSE;

  if (!get_import (w, SOURCE_DIVISIONS, &old_origin, &old_digest, &local_error) &&
      local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (g_strcmp0 (old_digest, digest) == 0)
    {
      result->skipped = TRUE;
      return TRUE;
    }

  imp.w = w;
  imp.source = SOURCE_DIVISIONS;
  imp.origin = abs_dir;
  imp.bulk = TRUE;
  imp.result = result;
  imp.now = g_get_real_time () / G_USEC_PER_SEC;

  if (!mn_store_worker_exec (w, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!importer_clear (&imp, error))
    goto fail;
  for (guint i = 0; i < G_N_ELEMENTS (division_files); i++)
    {
      g_autofree char *path = g_build_filename (abs_dir, division_files[i].file, NULL);

      if (!import_csv_file (&imp, path, division_files[i].parent_column,
                            division_files[i].level, error))
        goto fail;
    }
  if (!importer_finish (&imp, abs_dir, digest, error) ||
      !mn_store_worker_exec (w, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  mn_store_worker_rollback (w);
  memset (result, 0, sizeof *result);
  return FALSE;
}

static gpointer
job_import (MnStoreWorker *w,
            gpointer       data,
            GError       **error)
{
  ImportJob *job = data;
  gboolean   ok = FALSE;

  switch (job->kind)
    {
    case IMPORT_DEMO:
      ok = import_demo_in_worker (w, job->force, &job->result, error);
      break;

    case IMPORT_DIVISIONS:
      ok = import_divisions_in_worker (w, job->path, &job->result, error);
      break;

    case IMPORT_STATION:
      {
        g_autoptr(GError) local_error = NULL;
        g_autofree char  *contents = NULL;
        gsize             len = 0;
        g_autoptr(GBytes) bytes = NULL;

        if (!g_file_get_contents (job->path, &contents, &len, &local_error))
          {
            g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_DATA,
                         _("The station file %s cannot be read (%s); nothing was imported."),
                         job->path, local_error->message);
            break;
          }
        bytes = g_bytes_new_take (g_steal_pointer (&contents), len);
        ok = import_tsv (w, SOURCE_STATION, job->path, bytes, TRUE, FALSE, FALSE, &job->result,
                         error);
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (!ok)
    return NULL;

  /* The demo check is done: there is data now, from one import or
   * another. */
  job->self->ready = TRUE;
  return job;
}

static gboolean
run_import (MnGazetteer       *self,
            ImportKind         kind,
            const char        *path,
            gboolean           force,
            MnGazetteerImport *out_result,
            GError           **error)
{
  g_autoptr(ImportJob) job = g_new0 (ImportJob, 1);

  job->self = g_object_ref (self);
  job->kind = kind;
  job->path = g_strdup (path);
  job->force = force;

  if (mn_store_run_job (self->store, job_import, job, error) == NULL)
    return FALSE;

  if (out_result != NULL)
    *out_result = job->result;
  return TRUE;
}

gboolean
mn_gazetteer_import_demo (MnGazetteer       *self,
                          gboolean           force,
                          MnGazetteerImport *out_result,
                          GError           **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_import (self, IMPORT_DEMO, NULL, force, out_result, error);
}

gboolean
mn_gazetteer_import_divisions (MnGazetteer       *self,
                               const char        *dir,
                               MnGazetteerImport *out_result,
                               GError           **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), FALSE);
  g_return_val_if_fail (dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_import (self, IMPORT_DIVISIONS, dir, FALSE, out_result, error);
}

static void
import_job_free_keep_result (gpointer data)
{
  /* The job is the task's data and its result at once; the data side
   * frees it. */
}

void
mn_gazetteer_import_divisions_async (MnGazetteer        *self,
                                     const char         *dir,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  ImportJob *job;

  g_return_if_fail (MN_IS_GAZETTEER (self));
  g_return_if_fail (dir != NULL);

  job = g_new0 (ImportJob, 1);
  job->self = g_object_ref (self);
  job->kind = IMPORT_DIVISIONS;
  job->path = g_strdup (dir);

  mn_store_run_job_async (self->store, self, job_import, job, (GDestroyNotify) import_job_free,
                          import_job_free_keep_result, mn_gazetteer_import_divisions_async,
                          cancellable, callback, user_data);
}

gboolean
mn_gazetteer_import_divisions_finish (MnGazetteer       *self,
                                      GAsyncResult      *result,
                                      MnGazetteerImport *out_result,
                                      GError           **error)
{
  ImportJob *job;

  g_return_val_if_fail (MN_IS_GAZETTEER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  job = g_task_propagate_pointer (G_TASK (result), error);
  if (job == NULL)
    return FALSE;
  if (out_result != NULL)
    *out_result = job->result;
  return TRUE;
}

gboolean
mn_gazetteer_import_station (MnGazetteer       *self,
                             const char        *path,
                             MnGazetteerImport *out_result,
                             GError           **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return run_import (self, IMPORT_STATION, path, FALSE, out_result, error);
}

/* ---- queries --------------------------------------------------------- */

typedef struct
{
  MnGazetteer *self;
  char        *text;    /* a code, or the search text */
  char        *within;
  guint        limit;
} Query;

static Query *
query_new (MnGazetteer *self,
           const char  *text,
           const char  *within,
           guint        limit)
{
  Query *q = g_new0 (Query, 1);

  q->self = g_object_ref (self);
  q->text = g_strdup (text);
  q->within = g_strdup (within);
  q->limit = limit;

  return q;
}

static void
query_free (Query *q)
{
  g_clear_object (&q->self);
  g_free (q->text);
  g_free (q->within);
  g_free (q);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Query, query_free)

static void
set_not_found (GError    **error,
               const char *code)
{
  g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND,
               _("There is no place with the code %s in this terminal’s address data; find "
                 "the code with ‘minyin places search’."),
               code);
}

/* The place with @code, NULL without error when there is none. */
static MnPlace *
find_place (MnStoreWorker *w,
            const char    *code,
            GError       **error)
{
  sqlite3_stmt *stmt = mn_store_worker_stmt (w, SQL_LOOKUP, error);
  int           rc;

  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnGazStmt) s = stmt;

    mn_store_bind_text (s, 1, code);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      return place_from_stmt (s);
    if (rc != SQLITE_DONE)
      mn_store_worker_set_error (w, error);
  }

  return NULL;
}

static gpointer
job_lookup (MnStoreWorker *w,
            gpointer       data,
            GError       **error)
{
  Query            *q = data;
  g_autoptr(GError) local_error = NULL;
  MnPlace          *place;

  if (!ensure_ready (q->self, w, error))
    return NULL;

  place = find_place (w, q->text, &local_error);
  if (place == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_not_found (error, q->text);
    }

  return place;
}

static gpointer
job_children (MnStoreWorker *w,
              gpointer       data,
              GError       **error)
{
  Query               *q = data;
  g_autoptr(GPtrArray) children = NULL;
  sqlite3_stmt        *stmt;

  if (!ensure_ready (q->self, w, error))
    return NULL;

  stmt = mn_store_worker_stmt (w, q->text != NULL ? SQL_CHILDREN : SQL_ROOTS, error);
  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnGazStmt) s = stmt;

    if (q->text != NULL)
      mn_store_bind_text (s, 1, q->text);
    children = collect_places (w, s, error);
    if (children == NULL)
      return NULL;
  }

  /* No children: a leaf, or no such place at all, which the caller must
   * hear about. */
  if (children->len == 0 && q->text != NULL)
    {
      g_autoptr(GError)  local_error = NULL;
      g_autoptr(MnPlace) place = find_place (w, q->text, &local_error);

      if (place == NULL)
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            set_not_found (error, q->text);
          return NULL;
        }
    }

  return g_steal_pointer (&children);
}

static gpointer
job_path (MnStoreWorker *w,
          gpointer       data,
          GError       **error)
{
  Query               *q = data;
  g_autoptr(GPtrArray) path = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_place_unref);
  g_autofree char     *code = g_strdup (q->text);

  if (!ensure_ready (q->self, w, error))
    return NULL;

  while (code != NULL && path->len < MAX_DEPTH)
    {
      g_autoptr(GError) local_error = NULL;
      MnPlace          *place = find_place (w, code, &local_error);

      if (place == NULL)
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return NULL;
            }
          /* The place asked for is unknown; an unknown ancestor only cuts
           * the path short. */
          if (path->len == 0)
            {
              set_not_found (error, q->text);
              return NULL;
            }
          break;
        }
      g_ptr_array_insert (path, 0, place);
      g_free (code);
      code = g_strdup (place->parent_code);
    }

  return g_steal_pointer (&path);
}

/* Quotes @term as an FTS5 string, in which every character is literal:
 * operators, column filters, NEAR( and * lose their meaning. */
static void
append_fts_string (GString    *match,
                   const char *term)
{
  if (match->len > 0)
    g_string_append_c (match, ' ');
  g_string_append_c (match, '"');
  for (const char *p = term; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (match, '"');
      g_string_append_c (match, *p);
    }
  g_string_append_c (match, '"');
}

static gboolean
all_digits (const char *s)
{
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* Cleans search text: valid UTF-8, NFC, full-width digits made ASCII
 * (some input methods type them), split at white space (the ideographic
 * space included), the committee suffixes dropped from each word. Not
 * NFKC: official names keep their full-width brackets, 中国矿业大学（北京）,
 * and a query must match them as written. NULL and an error for text that
 * is not acceptable. */
static GPtrArray *
split_query (const char *text,
             GError    **error)
{
  g_autofree char     *folded = NULL;
  g_auto(GStrv)        words = NULL;
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func (g_free);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_INVALID,
                           _("The search text is not valid text; type it again."));
      return NULL;
    }
  folded = g_utf8_normalize (text, -1, G_NORMALIZE_NFC);
  if (folded == NULL || g_utf8_strlen (folded, -1) > MAX_QUERY_CHARS)
    {
      g_set_error (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_INVALID,
                   _("The search text is longer than %d characters; search for a shorter "
                     "part of the name."),
                   MAX_QUERY_CHARS);
      return NULL;
    }

  /* Control characters and white space separate words. */
  {
    g_autoptr(GString) clean = g_string_sized_new (strlen (folded));

    for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);

        if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
          g_string_append_c (clean, ' ');
        else if (c >= 0xFF10 && c <= 0xFF19)
          g_string_append_c (clean, (char) ('0' + (c - 0xFF10)));
        else
          g_string_append_unichar (clean, c);
      }
    words = g_strsplit (clean->str, " ", -1);
  }
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = NULL;

      if (*words[i] == '\0')
        continue;
      word = mn_gazetteer_short_name (words[i]);
      /* "居委会" alone would become empty: keep the word as typed. */
      if (*word == '\0')
        g_ptr_array_add (terms, g_strdup (words[i]));
      else
        g_ptr_array_add (terms, g_steal_pointer (&word));
    }

  return g_steal_pointer (&terms);
}

static gpointer
job_search (MnStoreWorker *w,
            gpointer       data,
            GError       **error)
{
  Query               *q = data;
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(GString)   match = g_string_new (NULL);
  const char          *short_terms[2] = { NULL, NULL };
  const char          *rank_term = NULL;
  const char          *sql;
  guint                n_short = 0;
  sqlite3_stmt        *stmt;

  if (!ensure_ready (q->self, w, error))
    return NULL;

  terms = split_query (q->text, error);
  if (terms == NULL)
    return NULL;
  if (terms->len == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) mn_place_unref);

  for (guint i = 0; i < terms->len; i++)
    {
      const char *term = g_ptr_array_index (terms, i);

      /* Trigrams need three characters; shorter words filter what the
       * longer ones found, or search name prefixes when there is no
       * longer one. Beyond two short words, more would not narrow a
       * search of names this short. */
      if (g_utf8_strlen (term, -1) >= 3)
        {
          append_fts_string (match, term);
          if (rank_term == NULL || strlen (term) > strlen (rank_term))
            rank_term = term;
        }
      else if (n_short < G_N_ELEMENTS (short_terms))
        short_terms[n_short++] = term;
    }

  if (terms->len == 1 && all_digits (g_ptr_array_index (terms, 0)))
    {
      sql = SQL_SEARCH_CODE;
      rank_term = g_ptr_array_index (terms, 0);
    }
  else if (match->len > 0)
    sql = SQL_SEARCH_FTS;
  else
    {
      sql = SQL_SEARCH_PREFIX;
      rank_term = short_terms[0];
      short_terms[0] = short_terms[1];
      short_terms[1] = NULL;
    }

  stmt = mn_store_worker_stmt (w, sql, error);
  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnGazStmt) s = stmt;

    mn_store_bind_text (s, 1, sql == SQL_SEARCH_FTS ? match->str : rank_term);
    if (sql != SQL_SEARCH_CODE)
      {
        mn_store_bind_text (s, 2, short_terms[0]);
        mn_store_bind_text (s, 3, short_terms[1]);
      }
    mn_store_bind_text (s, 4, q->within != NULL && *q->within != '\0' ? q->within : NULL);
    if (sql == SQL_SEARCH_FTS)
      mn_store_bind_text (s, 5, rank_term);
    sqlite3_bind_int64 (s, 6, q->limit == 0 ? DEFAULT_LIMIT : MIN (q->limit, MAX_LIMIT));

    return collect_places (w, s, error);
  }
}

typedef struct
{
  MnPlace *place;
  char    *name;
} StationResult;

static void
station_result_free (StationResult *r)
{
  g_clear_pointer (&r->place, mn_place_unref);
  g_free (r->name);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (StationResult, station_result_free)

static gpointer
job_station (MnStoreWorker *w,
             gpointer       data,
             GError       **error)
{
  Query                   *q = data;
  g_autoptr(StationResult) r = g_new0 (StationResult, 1);
  g_autofree char         *place_code = NULL;
  g_autoptr(GError)        local_error = NULL;
  sqlite3_stmt            *stmt;
  int                      rc;

  if (!ensure_ready (q->self, w, error))
    return NULL;

  stmt = mn_store_worker_stmt (w, SQL_STATION, error);
  if (stmt == NULL)
    return NULL;

  {
    g_autoptr(MnGazStmt) s = stmt;

    rc = sqlite3_step (s);
    if (rc == SQLITE_DONE)
      {
        g_set_error_literal (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND,
                             _("This terminal does not know which station it stands in; ask "
                               "staff to import the station’s address data with ‘minyin "
                               "places import --station FILE’."));
        return NULL;
      }
    if (rc != SQLITE_ROW)
      {
        mn_store_worker_set_error (w, error);
        return NULL;
      }
    r->name = mn_store_column_text (s, 1);
    place_code = mn_store_column_text (s, 2);
  }

  r->place = find_place (w, place_code, &local_error);
  if (r->place == NULL)
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        set_not_found (error, place_code);
      return NULL;
    }

  return g_steal_pointer (&r);
}

/* ---- the public pairs ------------------------------------------------ */

static gpointer
run_query (MnGazetteer   *self,
           MnStoreJobFunc func,
           const char    *text,
           const char    *within,
           guint          limit,
           GError       **error)
{
  g_autoptr(Query) q = query_new (self, text, within, limit);

  return mn_store_run_job (self->store, func, q, error);
}

static void
run_query_async (MnGazetteer        *self,
                 MnStoreJobFunc      func,
                 const char         *text,
                 const char         *within,
                 guint               limit,
                 GDestroyNotify      result_free,
                 gpointer            source_tag,
                 GCancellable       *cancellable,
                 GAsyncReadyCallback callback,
                 gpointer            user_data)
{
  mn_store_run_job_async (self->store, self, func, query_new (self, text, within, limit),
                          (GDestroyNotify) query_free, result_free, source_tag, cancellable,
                          callback, user_data);
}

static gpointer
finish_pointer (MnGazetteer  *self,
                GAsyncResult *result,
                gpointer      source_tag,
                GError      **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MnPlace *
mn_gazetteer_lookup (MnGazetteer *self,
                     const char  *code,
                     GError     **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_query (self, job_lookup, code, NULL, 0, error);
}

void
mn_gazetteer_lookup_async (MnGazetteer        *self,
                           const char         *code,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (MN_IS_GAZETTEER (self));
  g_return_if_fail (code != NULL);

  run_query_async (self, job_lookup, code, NULL, 0, (GDestroyNotify) mn_place_unref,
                   mn_gazetteer_lookup_async, cancellable, callback, user_data);
}

MnPlace *
mn_gazetteer_lookup_finish (MnGazetteer  *self,
                            GAsyncResult *result,
                            GError      **error)
{
  return finish_pointer (self, result, mn_gazetteer_lookup_async, error);
}

GPtrArray *
mn_gazetteer_get_children (MnGazetteer *self,
                           const char  *parent_code,
                           GError     **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_query (self, job_children, parent_code, NULL, 0, error);
}

void
mn_gazetteer_get_children_async (MnGazetteer        *self,
                                 const char         *parent_code,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (MN_IS_GAZETTEER (self));

  run_query_async (self, job_children, parent_code, NULL, 0, (GDestroyNotify) g_ptr_array_unref,
                   mn_gazetteer_get_children_async, cancellable, callback, user_data);
}

GPtrArray *
mn_gazetteer_get_children_finish (MnGazetteer  *self,
                                  GAsyncResult *result,
                                  GError      **error)
{
  return finish_pointer (self, result, mn_gazetteer_get_children_async, error);
}

GPtrArray *
mn_gazetteer_get_path (MnGazetteer *self,
                       const char  *code,
                       GError     **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_query (self, job_path, code, NULL, 0, error);
}

void
mn_gazetteer_get_path_async (MnGazetteer        *self,
                             const char         *code,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data)
{
  g_return_if_fail (MN_IS_GAZETTEER (self));
  g_return_if_fail (code != NULL);

  run_query_async (self, job_path, code, NULL, 0, (GDestroyNotify) g_ptr_array_unref,
                   mn_gazetteer_get_path_async, cancellable, callback, user_data);
}

GPtrArray *
mn_gazetteer_get_path_finish (MnGazetteer  *self,
                              GAsyncResult *result,
                              GError      **error)
{
  return finish_pointer (self, result, mn_gazetteer_get_path_async, error);
}

GPtrArray *
mn_gazetteer_search (MnGazetteer *self,
                     const char  *text,
                     const char  *within,
                     guint        limit,
                     GError     **error)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), NULL);
  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return run_query (self, job_search, text, within, limit, error);
}

void
mn_gazetteer_search_async (MnGazetteer        *self,
                           const char         *text,
                           const char         *within,
                           guint               limit,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_return_if_fail (MN_IS_GAZETTEER (self));
  g_return_if_fail (text != NULL);

  run_query_async (self, job_search, text, within, limit, (GDestroyNotify) g_ptr_array_unref,
                   mn_gazetteer_search_async, cancellable, callback, user_data);
}

GPtrArray *
mn_gazetteer_search_finish (MnGazetteer  *self,
                            GAsyncResult *result,
                            GError      **error)
{
  return finish_pointer (self, result, mn_gazetteer_search_async, error);
}

MnPlace *
mn_gazetteer_get_station_place (MnGazetteer *self,
                                char       **out_station_name,
                                GError     **error)
{
  g_autoptr(StationResult) r = NULL;

  g_return_val_if_fail (MN_IS_GAZETTEER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  r = run_query (self, job_station, NULL, NULL, 0, error);
  if (r == NULL)
    return NULL;
  if (out_station_name != NULL)
    *out_station_name = g_steal_pointer (&r->name);
  return g_steal_pointer (&r->place);
}

void
mn_gazetteer_get_station_place_async (MnGazetteer        *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data)
{
  g_return_if_fail (MN_IS_GAZETTEER (self));

  run_query_async (self, job_station, NULL, NULL, 0, (GDestroyNotify) station_result_free,
                   mn_gazetteer_get_station_place_async, cancellable, callback, user_data);
}

MnPlace *
mn_gazetteer_get_station_place_finish (MnGazetteer  *self,
                                       GAsyncResult *result,
                                       char        **out_station_name,
                                       GError      **error)
{
  g_autoptr(StationResult) r = finish_pointer (self, result,
                                               mn_gazetteer_get_station_place_async, error);

  if (r == NULL)
    return NULL;
  if (out_station_name != NULL)
    *out_station_name = g_steal_pointer (&r->name);
  return g_steal_pointer (&r->place);
}

/* ---- the object ------------------------------------------------------ */

static void
mn_gazetteer_dispose (GObject *object)
{
  MnGazetteer *self = MN_GAZETTEER (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (mn_gazetteer_parent_class)->dispose (object);
}

static void
mn_gazetteer_class_init (MnGazetteerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mn_gazetteer_dispose;
}

static void
mn_gazetteer_init (MnGazetteer *self)
{
}

MnGazetteer *
mn_gazetteer_new (MnStore *store)
{
  MnGazetteer *self;

  g_return_val_if_fail (MN_IS_STORE (store), NULL);

  self = g_object_new (MN_TYPE_GAZETTEER, NULL);
  self->store = g_object_ref (store);

  return self;
}

MnStore *
mn_gazetteer_get_store (MnGazetteer *self)
{
  g_return_val_if_fail (MN_IS_GAZETTEER (self), NULL);

  return self->store;
}
