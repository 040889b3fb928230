/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The levels of the gazetteer, from the largest: the five of the public
 * division codes (省 / 市 / 区县 / 街道乡镇 / 社区村), then what a station
 * provisions below them (小区 / 楼栋 / 单元). */
typedef enum
{
  MN_PLACE_LEVEL_PROVINCE,
  MN_PLACE_LEVEL_CITY,
  MN_PLACE_LEVEL_DISTRICT,
  MN_PLACE_LEVEL_STREET,
  MN_PLACE_LEVEL_COMMUNITY,
  MN_PLACE_LEVEL_COMPOUND,
  MN_PLACE_LEVEL_BUILDING,
  MN_PLACE_LEVEL_UNIT,
} MnPlaceLevel;

#define MN_PLACE_N_LEVELS (MN_PLACE_LEVEL_UNIT + 1)

/* The word stored in places.level ("street", "community", ...). */
const char *mn_place_level_to_string   (MnPlaceLevel  level);
gboolean    mn_place_level_from_string (const char   *str,
                                        MnPlaceLevel *out_level);
/* What the level is called, translated ("Street", "Compound"), for a
 * picker's heading. */
const char *mn_place_level_get_label   (MnPlaceLevel  level);

/* One place of the gazetteer. A reference-counted record with public
 * fields that the gazetteer fills and callers only read. */
typedef struct
{
  /*< private >*/
  grefcount    ref_count;

  /*< public >*/
  char        *code;         /* e.g. 330902002008, or 330902002008-01-03 below a community */
  char        *parent_code;  /* NULL for a province */
  MnPlaceLevel level;
  char        *name;         /* official name: 文昌社区居委会 */
  char        *short_name;   /* what people say and the kiosk speaks: 文昌社区 */
  gboolean     has_children; /* whether a picker can go one level further */
} MnPlace;

#define MN_TYPE_PLACE (mn_place_get_type ())
GType    mn_place_get_type (void) G_GNUC_CONST;
MnPlace *mn_place_new      (void);
MnPlace *mn_place_ref      (MnPlace *place);
void     mn_place_unref    (MnPlace *place);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnPlace, mn_place_unref)

/* Joins the short names of @path (element type MnPlace, the largest place
 * first, as mn_gazetteer_get_path() returns it) with spaces, starting at
 * the first place of level @from or below: with MN_PLACE_LEVEL_DISTRICT,
 * "定海区 昌国街道 文昌社区 东港花园 3幢 2单元", the form for display and
 * speech on a terminal that serves one city. */
char    *mn_place_format_path (GPtrArray    *path,
                               MnPlaceLevel  from);

G_END_DECLS
