/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-place.h"

G_DEFINE_BOXED_TYPE (MnPlace, mn_place, mn_place_ref, mn_place_unref)

static const char *const level_words[MN_PLACE_N_LEVELS] = {
  "province", "city", "district", "street", "community", "compound", "building", "unit",
};

const char *
mn_place_level_to_string (MnPlaceLevel level)
{
  g_return_val_if_fail (level <= MN_PLACE_LEVEL_UNIT, NULL);

  return level_words[level];
}

gboolean
mn_place_level_from_string (const char   *str,
                            MnPlaceLevel *out_level)
{
  g_return_val_if_fail (out_level != NULL, FALSE);

  if (str == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (level_words); i++)
    if (g_str_equal (str, level_words[i]))
      {
        *out_level = (MnPlaceLevel) i;
        return TRUE;
      }

  return FALSE;
}

const char *
mn_place_level_get_label (MnPlaceLevel level)
{
  /* Translators: the levels of an address, largest first, used as the
   * heading of the kiosk's location pickers. "Street" is the sub-district
   * (街道 / 镇 / 乡), "Community" the residents' or villagers' committee
   * (社区 / 村), "Compound" a residential compound (小区), "Unit" a
   * stairwell of a building (单元). */
  static const char *const labels[MN_PLACE_N_LEVELS] = {
    N_("Province"), N_("City"), N_("District"), N_("Street"),
    N_("Community"), N_("Compound"), N_("Building"), N_("Unit"),
  };

  g_return_val_if_fail (level <= MN_PLACE_LEVEL_UNIT, NULL);

  return _(labels[level]);
}

MnPlace *
mn_place_new (void)
{
  MnPlace *place = g_new0 (MnPlace, 1);

  g_ref_count_init (&place->ref_count);

  return place;
}

MnPlace *
mn_place_ref (MnPlace *place)
{
  g_return_val_if_fail (place != NULL, NULL);

  g_ref_count_inc (&place->ref_count);

  return place;
}

void
mn_place_unref (MnPlace *place)
{
  g_return_if_fail (place != NULL);

  if (!g_ref_count_dec (&place->ref_count))
    return;

  g_free (place->code);
  g_free (place->parent_code);
  g_free (place->name);
  g_free (place->short_name);
  g_free (place);
}

char *
mn_place_format_path (GPtrArray    *path,
                      MnPlaceLevel  from)
{
  g_autoptr(GString) out = g_string_new (NULL);

  g_return_val_if_fail (path != NULL, NULL);

  for (guint i = 0; i < path->len; i++)
    {
      const MnPlace *place = g_ptr_array_index (path, i);

      if (place->level < from)
        continue;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, place->short_name);
    }

  /* A place above @from (a province on a city's terminal) is still named. */
  if (out->len == 0 && path->len > 0)
    g_string_append (out, ((const MnPlace *) g_ptr_array_index (path, path->len - 1))->short_name);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
