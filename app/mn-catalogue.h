/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* The request categories a terminal offers: the platform's catalogue (the
 * body of GET services.json, as cached by the store) or, until one has
 * been fetched, the default bundled in the core library's resources.
 *
 * A catalogue is immutable once loaded, so it can be shared between
 * threads. Names, descriptions and phrases of bundled categories are
 * translated each time they are asked for, so a language switch at the
 * kiosk takes effect without reloading. */

#define MN_CATALOGUE_ERROR (mn_catalogue_error_quark ())

typedef enum
{
  MN_CATALOGUE_ERROR_PARSE,   /* not JSON, or HTML from a captive portal */
  MN_CATALOGUE_ERROR_SHAPE,   /* JSON, but not an Open311 list of services */
  MN_CATALOGUE_ERROR_EMPTY,   /* a list with no usable category */
} MnCatalogueError;

GQuark mn_catalogue_error_quark (void);

typedef enum
{
  MN_CATALOGUE_SOURCE_BUNDLED,
  MN_CATALOGUE_SOURCE_PLATFORM,
} MnCatalogueSource;

/* One category (one Open311 service). Owned by its catalogue: valid as
 * long as the catalogue is. */
typedef struct _MnCategory MnCategory;

const char *mn_category_get_code        (const MnCategory *category);
const char *mn_category_get_name        (const MnCategory *category);
/* May be the empty string. */
const char *mn_category_get_description (const MnCategory *category);
/* The group's id (a stable word for bundled groups, the platform's group
 * text otherwise); NULL when the platform gave no group. */
const char *mn_category_get_group       (const MnCategory *category);
/* Always a themed icon name that exists in the Adwaita theme. */
const char *mn_category_get_icon_name   (const MnCategory *category);
/* Preset phrases for the kiosk: short sentences a resident taps instead
 * of typing. A platform category gets those of the bundled category with
 * the same service code, or none. */
guint       mn_category_get_n_phrases   (const MnCategory *category);
const char *mn_category_get_phrase      (const MnCategory *category,
                                         guint             index);
/* TRUE when the platform declares extra questions for this category
 * (Open311 "metadata"): fetch services/{code}.json before filing. */
gboolean    mn_category_has_metadata    (const MnCategory *category);

#define MN_TYPE_CATALOGUE (mn_catalogue_get_type ())
G_DECLARE_FINAL_TYPE (MnCatalogue, mn_catalogue, MN, CATALOGUE, GObject)

/* The bundled default; never fails (the resource is compiled in and its
 * validity is tested). */
MnCatalogue       *mn_catalogue_new_default   (void);

/* Parses an Open311 services.json body. Tolerates what real servers send:
 * service codes as numbers or strings, booleans as "true"/"false",
 * keywords as a string or a list, null or missing optional fields, a
 * wrapping {"services": [...]} object; entries without a usable code or
 * name are skipped, duplicate codes keep the first. */
MnCatalogue       *mn_catalogue_new_from_json (const char  *body,
                                               gssize       length,
                                               gint64       fetched_at,
                                               GError     **error);

/* What the terminal offers now: the platform's catalogue cached in @store
 * if there is a usable one, else the bundled default. Fails only when the
 * store cannot be read. */
MnCatalogue       *mn_catalogue_load          (MnStore     *store,
                                               GError     **error);
/* The same without blocking the caller (for the UI): reads the cache and
 * parses it on a worker thread. */
void               mn_catalogue_load_async    (MnStore             *store,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
MnCatalogue       *mn_catalogue_load_finish   (GAsyncResult        *result,
                                               GError             **error);

MnCatalogueSource  mn_catalogue_get_source     (MnCatalogue *self);
/* When the platform's catalogue was fetched (UNIX seconds), 0 for the
 * bundled one. */
gint64             mn_catalogue_get_fetched_at (MnCatalogue *self);

guint              mn_catalogue_get_n_categories (MnCatalogue *self);
const MnCategory  *mn_catalogue_get_category     (MnCatalogue *self,
                                                  guint        index);
/* NULL if no category has @service_code. */
const MnCategory  *mn_catalogue_lookup           (MnCatalogue *self,
                                                  const char  *service_code);

/* Groups in the order they first appear; categories without a group come
 * last, under the id NULL. */
guint              mn_catalogue_get_n_groups     (MnCatalogue *self);
/* The id of group @index (NULL for "no group"). */
const char        *mn_catalogue_get_group_id     (MnCatalogue *self,
                                                  guint        index);
/* The group's name as a person reads it, translated for bundled groups;
 * "Other categories" for the NULL group. */
const char        *mn_catalogue_get_group_name   (MnCatalogue *self,
                                                  const char  *group_id);
/* The categories of a group, in catalogue order (element type
 * const MnCategory *, owned by the catalogue). */
GPtrArray         *mn_catalogue_list_group       (MnCatalogue *self,
                                                  const char  *group_id);

G_END_DECLS
