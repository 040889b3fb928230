/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-place.h"
#include "mn-store.h"

G_BEGIN_DECLS

#define MN_GAZETTEER_ERROR (mn_gazetteer_error_quark ())

typedef enum
{
  MN_GAZETTEER_ERROR_NOT_FOUND, /* no place with that code, or no station set */
  MN_GAZETTEER_ERROR_DATA,      /* an import file is unreadable or malformed; nothing changed */
  MN_GAZETTEER_ERROR_INVALID,   /* the caller's query was refused, with the reason */
} MnGazetteerError;

GQuark mn_gazetteer_error_quark (void);

/* The gazetteer: coded places from the province down to the unit
 * (stairwell), kept in the store's `places` table with a trigram
 * full-text index, and the station this terminal stands in.
 *
 * Its SQL runs as jobs on the store's worker thread. The plain methods
 * block until the job is done (command line, tests); the _async/_finish
 * pairs never block, for the UI.
 *
 * A store whose gazetteer is empty gets the bundled demo (Zhoushan and a
 * demo station) at the first query, so a fresh terminal has places to
 * pick; an imported division set or station is never overwritten by the
 * demo. */
#define MN_TYPE_GAZETTEER (mn_gazetteer_get_type ())
G_DECLARE_FINAL_TYPE (MnGazetteer, mn_gazetteer, MN, GAZETTEER, GObject)

MnGazetteer *mn_gazetteer_new       (MnStore     *store);
MnStore     *mn_gazetteer_get_store (MnGazetteer *self);

/* What an import did. */
typedef struct
{
  gboolean skipped;                         /* the same data was already there */
  guint    n_places;                        /* places written */
  guint    n_by_level[MN_PLACE_N_LEVELS];   /* indexed by MnPlaceLevel */
  gboolean station_set;                     /* a station row was imported */
} MnGazetteerImport;

/* Imports the bundled demo (the Zhoushan division codes and the demo
 * station), unless the same demo is already there. Division data or a
 * station imported from elsewhere is left alone unless @force. */
gboolean   mn_gazetteer_import_demo             (MnGazetteer        *self,
                                                 gboolean            force,
                                                 MnGazetteerImport  *out_result,
                                                 GError            **error);

/* Replaces the division data with the CSV set in @dir (provinces.csv,
 * cities.csv, areas.csv, streets.csv, villages.csv, as in
 * ../shared/data/divisions), in one transaction: on any error nothing
 * changed. Places a station provisioned below the communities are kept;
 * a set that lacks their communities is refused. Importing the same files
 * again is a no-op. The whole country takes tens of seconds: use the
 * async pair from the UI. */
gboolean   mn_gazetteer_import_divisions        (MnGazetteer        *self,
                                                 const char         *dir,
                                                 MnGazetteerImport  *out_result,
                                                 GError            **error);
void       mn_gazetteer_import_divisions_async  (MnGazetteer        *self,
                                                 const char         *dir,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
gboolean   mn_gazetteer_import_divisions_finish (MnGazetteer        *self,
                                                 GAsyncResult       *result,
                                                 MnGazetteerImport  *out_result,
                                                 GError            **error);

/* Replaces the places below community level, and the station, with the
 * tab-separated file @path (code, parent, level, name, short name; a row
 * of level "station" names the station and, as its parent, its place).
 * Every parent must exist. */
gboolean   mn_gazetteer_import_station          (MnGazetteer        *self,
                                                 const char         *path,
                                                 MnGazetteerImport  *out_result,
                                                 GError            **error);

/* The place with @code, or NULL and MN_GAZETTEER_ERROR_NOT_FOUND. */
MnPlace   *mn_gazetteer_lookup                  (MnGazetteer        *self,
                                                 const char         *code,
                                                 GError            **error);
void       mn_gazetteer_lookup_async            (MnGazetteer        *self,
                                                 const char         *code,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
MnPlace   *mn_gazetteer_lookup_finish           (MnGazetteer        *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* The places directly below @parent_code (NULL: the provinces), for a
 * picker: divisions in their official order and compounds in the
 * station's (both by code), buildings and units in natural order (2幢
 * before 10幢, 二单元 before 十单元). Element type MnPlace; empty when the
 * place has no children; MN_GAZETTEER_ERROR_NOT_FOUND when @parent_code
 * is no place. */
GPtrArray *mn_gazetteer_get_children            (MnGazetteer        *self,
                                                 const char         *parent_code,
                                                 GError            **error);
void       mn_gazetteer_get_children_async      (MnGazetteer        *self,
                                                 const char         *parent_code,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
GPtrArray *mn_gazetteer_get_children_finish     (MnGazetteer        *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* The place with @code and every place above it, the largest first
 * (province ... unit). Format it with mn_place_format_path(). */
GPtrArray *mn_gazetteer_get_path                (MnGazetteer        *self,
                                                 const char         *code,
                                                 GError            **error);
void       mn_gazetteer_get_path_async          (MnGazetteer        *self,
                                                 const char         *code,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
GPtrArray *mn_gazetteer_get_path_finish         (MnGazetteer        *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* Places whose name contains @text, best first, at most @limit (0: 50).
 * Tolerant of what people leave out or add: "东港" finds 东港社区居委会,
 * "文昌社区居委会" and "文昌社区居民委员会" find 文昌社区. Words of three
 * characters or more are found anywhere in a name (trigram index); a text
 * of only one- or two-character words matches the start of short names.
 * Words separated by spaces must all occur. Digits alone search codes by
 * prefix. @within, when not NULL, keeps only places whose code starts
 * with it (a district, the station's street). Any text is safe: it is
 * never read as query syntax. MN_GAZETTEER_ERROR_INVALID for text that is
 * not UTF-8 or longer than 64 characters. */
GPtrArray *mn_gazetteer_search                  (MnGazetteer        *self,
                                                 const char         *text,
                                                 const char         *within,
                                                 guint               limit,
                                                 GError            **error);
void       mn_gazetteer_search_async            (MnGazetteer        *self,
                                                 const char         *text,
                                                 const char         *within,
                                                 guint               limit,
                                                 GCancellable       *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer            user_data);
GPtrArray *mn_gazetteer_search_finish           (MnGazetteer        *self,
                                                 GAsyncResult       *result,
                                                 GError            **error);

/* The place of the station this terminal stands in ("here, at this
 * station"), and the station's name if @out_station_name is not NULL.
 * MN_GAZETTEER_ERROR_NOT_FOUND when no station was provisioned. */
MnPlace   *mn_gazetteer_get_station_place       (MnGazetteer        *self,
                                                 char              **out_station_name,
                                                 GError            **error);
void       mn_gazetteer_get_station_place_async  (MnGazetteer        *self,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
MnPlace   *mn_gazetteer_get_station_place_finish (MnGazetteer        *self,
                                                  GAsyncResult       *result,
                                                  char              **out_station_name,
                                                  GError            **error);

/* The short name people say for an official name: 文昌社区居委会 →
 * 文昌社区, 茅岭村委会 → 茅岭村; other names unchanged. */
char      *mn_gazetteer_short_name              (const char         *name);

/* The sort key of a name in natural order: runs of digits (Arabic,
 * full-width, or simple Chinese numerals up to 九十九) compare as
 * numbers. */
char      *mn_gazetteer_natural_key             (const char         *name);

G_END_DECLS
