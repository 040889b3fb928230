/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-cli-command.h"
#include "mn-cli-places.h"
#include "mn-gazetteer.h"

/* `minyin places search|children|show|station|import`: the gazetteer from
 * the command line, for staff setting up a terminal and for finding the
 * code to give `minyin file --place`. */

#define USAGE                                                                                      \
  N_("Usage: minyin places search TEXT | children [CODE] | show CODE | station | import "          \
     "[--divisions DIR] [--station FILE] [--force]")

static MnGazetteer *
open_gazetteer (MnCli *cli)
{
  MnStore *store = mn_cli_open_store (cli);

  return store != NULL ? mn_gazetteer_new (store) : NULL;
}

static void
add_place (JsonBuilder   *builder,
           const MnPlace *place,
           const char    *path)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, place->code);
  json_builder_set_member_name (builder, "parent_code");
  if (place->parent_code != NULL)
    json_builder_add_string_value (builder, place->parent_code);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "level");
  json_builder_add_string_value (builder, mn_place_level_to_string (place->level));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, place->name);
  json_builder_set_member_name (builder, "short_name");
  json_builder_add_string_value (builder, place->short_name);
  json_builder_set_member_name (builder, "has_children");
  json_builder_add_boolean_value (builder, place->has_children);
  if (path != NULL)
    {
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, path);
    }
  json_builder_end_object (builder);
}

/* The place's path from the province, for people reading a list that may
 * span several cities. */
static char *
full_path (MnGazetteer *gaz,
           const char  *code,
           GError     **error)
{
  g_autoptr(GPtrArray) path = mn_gazetteer_get_path (gaz, code, error);

  return path != NULL ? mn_place_format_path (path, MN_PLACE_LEVEL_PROVINCE) : NULL;
}

static int
print_places (MnCli       *cli,
              MnGazetteer *gaz,
              GPtrArray   *places,
              gboolean     with_path)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError)      error = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < places->len; i++)
    {
      const MnPlace   *place = g_ptr_array_index (places, i);
      g_autofree char *path = NULL;

      if (with_path)
        {
          path = full_path (gaz, place->code, &error);
          if (path == NULL)
            return mn_cli_fail_error (cli, error);
        }
      if (mn_cli_get_json (cli))
        add_place (builder, place, path);
      else if (with_path)
        mn_cli_print (cli, "%s\t%s\n", place->code, path);
      else
        mn_cli_print (cli, "%s\t%s%s\n", place->code, place->short_name,
                      place->has_children ? " …" : "");
    }
  json_builder_end_array (builder);

  if (mn_cli_get_json (cli))
    mn_cli_print_json (cli, json_builder_get_root (builder));

  return MN_CLI_EXIT_OK;
}

static int
places_search (MnCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("TEXT"));
  g_autofree char          *within = NULL;
  int                       limit = 20;
  const GOptionEntry        entries[] = {
    { "within", 0, 0, G_OPTION_ARG_FILENAME, &within,
      N_("Only places inside the place with this code"), N_("CODE") },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("Show at most N places (default 20)"),
      N_("N") },
    { NULL }
  };
  g_autoptr(MnGazetteer)    gaz = NULL;
  g_autoptr(GPtrArray)      found = NULL;
  g_autoptr(GError)         error = NULL;
  g_autofree char          *text = NULL;

  g_option_context_set_summary (context,
                                _("Find places whose name contains TEXT; the committee suffix "
                                  "may be left out (东港 finds 东港社区居委会)."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc < 2)
    return mn_cli_usage_error (cli, _("Say what to look for, e.g. ‘minyin places search "
                                      "文昌社区’."));
  if (limit < 1 || limit > 1000)
    return mn_cli_usage_error (cli, _("--limit takes a number from 1 to 1000."));

  /* Several words are one search: every word must occur. */
  text = g_strjoinv (" ", argv + 1);

  gaz = open_gazetteer (cli);
  if (gaz == NULL)
    return MN_CLI_EXIT_FAILURE;
  found = mn_gazetteer_search (gaz, text, within, (guint) limit, &error);
  if (found == NULL)
    {
      if (g_error_matches (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_INVALID))
        return mn_cli_usage_error (cli, "%s", error->message);
      return mn_cli_fail_error (cli, error);
    }
  if (found->len == 0 && !mn_cli_get_json (cli))
    return mn_cli_fail (cli, _("No place matches; try fewer characters, or part of the name."));

  return print_places (cli, gaz, found, TRUE);
}

static int
places_children (MnCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("[CODE]"));
  g_autoptr(MnGazetteer)    gaz = NULL;
  g_autoptr(GPtrArray)      children = NULL;
  g_autoptr(GError)         error = NULL;

  g_option_context_set_summary (context,
                                _("List the places directly inside CODE, in the order the "
                                  "kiosk’s pickers show them; without CODE, the provinces."));
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc > 2)
    return mn_cli_usage_error (cli, _("Give one place code, e.g. ‘minyin places children "
                                      "330902002’."));

  gaz = open_gazetteer (cli);
  if (gaz == NULL)
    return MN_CLI_EXIT_FAILURE;
  children = mn_gazetteer_get_children (gaz, argc == 2 ? argv[1] : NULL, &error);
  if (children == NULL)
    {
      if (g_error_matches (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND))
        return mn_cli_usage_error (cli, "%s", error->message);
      return mn_cli_fail_error (cli, error);
    }

  return print_places (cli, gaz, children, FALSE);
}

static int
show_place (MnCli       *cli,
            MnGazetteer *gaz,
            MnPlace     *place,
            const char  *station_name)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) path = mn_gazetteer_get_path (gaz, place->code, &error);
  g_autoptr(GPtrArray) children = NULL;
  g_autofree char     *full = NULL;
  g_autofree char     *local = NULL;

  if (path == NULL)
    return mn_cli_fail_error (cli, error);
  children = mn_gazetteer_get_children (gaz, place->code, &error);
  if (children == NULL)
    return mn_cli_fail_error (cli, error);
  full = mn_place_format_path (path, MN_PLACE_LEVEL_PROVINCE);
  local = mn_place_format_path (path, MN_PLACE_LEVEL_DISTRICT);

  if (mn_cli_get_json (cli))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      JsonNode              *root;

      add_place (builder, place, full);
      root = json_builder_get_root (builder);
      json_object_set_string_member (json_node_get_object (root), "spoken_path", local);
      json_object_set_int_member (json_node_get_object (root), "n_children", children->len);
      if (station_name != NULL)
        json_object_set_string_member (json_node_get_object (root), "station", station_name);
      mn_cli_print_json (cli, root);
      return MN_CLI_EXIT_OK;
    }

  if (station_name != NULL)
    mn_cli_print (cli, _("Station: %s\n"), station_name);
  mn_cli_print (cli, _("Code: %s\n"), place->code);
  mn_cli_print (cli, _("Level: %s\n"), mn_place_level_get_label (place->level));
  mn_cli_print (cli, _("Name: %s\n"), place->name);
  mn_cli_print (cli, _("Short name: %s\n"), place->short_name);
  mn_cli_print (cli, _("Path: %s\n"), full);
  mn_cli_print (cli, _("Spoken as: %s\n"), local);
  mn_cli_print (cli, _("Places inside: %u\n"), children->len);

  return MN_CLI_EXIT_OK;
}

static int
places_show (MnCli  *cli,
             int     argc,
             char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(MnGazetteer)    gaz = NULL;
  g_autoptr(MnPlace)        place = NULL;
  g_autoptr(GError)         error = NULL;

  g_option_context_set_summary (context, _("Show one place: its names, its path and how many "
                                           "places it holds."));
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc != 2)
    return mn_cli_usage_error (cli, _("Give one place code, e.g. ‘minyin places show "
                                      "330902002008’; find codes with ‘minyin places search’."));

  gaz = open_gazetteer (cli);
  if (gaz == NULL)
    return MN_CLI_EXIT_FAILURE;
  place = mn_gazetteer_lookup (gaz, argv[1], &error);
  if (place == NULL)
    {
      if (g_error_matches (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND))
        return mn_cli_usage_error (cli, "%s", error->message);
      return mn_cli_fail_error (cli, error);
    }

  return show_place (cli, gaz, place, NULL);
}

static int
places_station (MnCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MnGazetteer)    gaz = NULL;
  g_autoptr(MnPlace)        place = NULL;
  g_autoptr(GError)         error = NULL;
  g_autofree char          *name = NULL;

  g_option_context_set_summary (context, _("Show the station this terminal stands in: the place "
                                           "“here, at this station” means."));
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc != 1)
    return mn_cli_usage_error (cli, _("‘minyin places station’ takes no words after it."));

  gaz = open_gazetteer (cli);
  if (gaz == NULL)
    return MN_CLI_EXIT_FAILURE;
  place = mn_gazetteer_get_station_place (gaz, &name, &error);
  if (place == NULL)
    return mn_cli_fail_error (cli, error);

  return show_place (cli, gaz, place, name);
}

static void
add_counts (JsonBuilder             *builder,
            const MnGazetteerImport *result)
{
  json_builder_set_member_name (builder, "levels");
  json_builder_begin_object (builder);
  for (int i = 0; i < MN_PLACE_N_LEVELS; i++)
    {
      json_builder_set_member_name (builder, mn_place_level_to_string (i));
      json_builder_add_int_value (builder, result->n_by_level[i]);
    }
  json_builder_end_object (builder);
}

static void
print_import (MnCli                   *cli,
              const char              *what,
              const MnGazetteerImport *result)
{
  if (mn_cli_get_json (cli))
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "imported");
      json_builder_add_string_value (builder, what);
      json_builder_set_member_name (builder, "skipped");
      json_builder_add_boolean_value (builder, result->skipped);
      json_builder_set_member_name (builder, "n_places");
      json_builder_add_int_value (builder, result->n_places);
      json_builder_set_member_name (builder, "station_set");
      json_builder_add_boolean_value (builder, result->station_set);
      add_counts (builder, result);
      json_builder_end_object (builder);
      mn_cli_print_json (cli, json_builder_get_root (builder));
      return;
    }

  if (result->skipped)
    {
      mn_cli_print (cli, "%s\n", _("The address data is already up to date; nothing was "
                                   "imported."));
      return;
    }

  mn_cli_print (cli,
                ngettext ("Imported %u place:", "Imported %u places:", result->n_places),
                result->n_places);
  for (int i = 0; i < MN_PLACE_N_LEVELS; i++)
    if (result->n_by_level[i] > 0)
      mn_cli_print (cli, " %s %u", mn_place_level_get_label (i), result->n_by_level[i]);
  mn_cli_print (cli, "\n");
}

static int
places_import (MnCli  *cli,
               int     argc,
               char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autofree char          *divisions = NULL;
  g_autofree char          *station = NULL;
  gboolean                  force = FALSE;
  const GOptionEntry        entries[] = {
    { "divisions", 0, 0, G_OPTION_ARG_FILENAME, &divisions,
      N_("Import the division data in DIR (provinces.csv … villages.csv) instead of the demo"),
      N_("DIR") },
    { "station", 0, 0, G_OPTION_ARG_FILENAME, &station,
      N_("Import the station’s compounds, buildings and units from FILE (tab-separated)"),
      N_("FILE") },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      N_("Import the bundled demo even over data imported from elsewhere"), NULL },
    { NULL }
  };
  g_autoptr(MnGazetteer)    gaz = NULL;
  g_autoptr(GError)         error = NULL;
  MnGazetteerImport         result = { 0 };

  g_option_context_set_summary (context,
                                _("Import address data: the bundled demo (Zhoushan and a demo "
                                  "station) unless --divisions or --station is given. Importing "
                                  "the same data again changes nothing."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc != 1)
    return mn_cli_usage_error (cli, _("‘minyin places import’ takes only options; give a "
                                      "directory with --divisions DIR."));
  if (force && (divisions != NULL || station != NULL))
    return mn_cli_usage_error (cli, _("--force is for the bundled demo only; leave it out with "
                                      "--divisions or --station."));
  if (divisions != NULL && !g_file_test (divisions, G_FILE_TEST_IS_DIR))
    return mn_cli_usage_error (cli, _("--divisions needs a directory holding provinces.csv, "
                                      "cities.csv, areas.csv, streets.csv and villages.csv."));

  gaz = open_gazetteer (cli);
  if (gaz == NULL)
    return MN_CLI_EXIT_FAILURE;

  if (divisions != NULL)
    {
      if (!mn_gazetteer_import_divisions (gaz, divisions, &result, &error))
        return mn_cli_fail_error (cli, error);
      print_import (cli, "divisions", &result);
    }
  if (station != NULL)
    {
      if (!mn_gazetteer_import_station (gaz, station, &result, &error))
        return mn_cli_fail_error (cli, error);
      print_import (cli, "station", &result);
    }
  if (divisions == NULL && station == NULL)
    {
      if (!mn_gazetteer_import_demo (gaz, force, &result, &error))
        return mn_cli_fail_error (cli, error);
      print_import (cli, "demo", &result);
    }

  return MN_CLI_EXIT_OK;
}

static const struct
{
  const char *word;
  int (*run) (MnCli *cli, int argc, char **argv);
} subcommands[] = {
  { "search", places_search },
  { "children", places_children },
  { "show", places_show },
  { "station", places_station },
  { "import", places_import },
};

int
mn_cli_places_run (MnCli  *cli,
                   int     argc,
                   char  **argv)
{
  if (argc >= 2)
    for (guint i = 0; i < G_N_ELEMENTS (subcommands); i++)
      if (strcmp (argv[1], subcommands[i].word) == 0)
        return subcommands[i].run (cli, argc - 1, argv + 1);

  if (argc >= 2 && (g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")))
    {
      mn_cli_print (cli, "%s\n", _(USAGE));
      return MN_CLI_EXIT_OK;
    }

  if (argc < 2)
    return mn_cli_usage_error (cli, _("Say what to do with the address data, e.g. ‘minyin "
                                      "places search 文昌社区’."));
  {
    g_autofree char *shown = g_utf8_make_valid (argv[1], -1);

    return mn_cli_usage_error (cli,
                               /* Translators: %s is the word given after "places". */
                               _("Unknown places command ‘%s’; use search, children, show, "
                                 "station or import."),
                               shown);
  }
}
