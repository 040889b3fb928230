/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "mn-catalogue.h"
#include "mn-store.h"

/* The categories GLOSSARY.md lists for a community kiosk. */
static const char *const expected_codes[] = {
  "lifts", "water-power", "heating", "gas", "sanitation", "noise", "property",
  "roads-lights", "parking", "illegal-building", "neighbours", "public-safety",
  "elderly-disability", "other",
};

static gboolean
is_normalized (const char *text)
{
  return text != NULL && *text != '\0' && !g_ascii_isspace (text[0]) &&
         !g_ascii_isspace (text[strlen (text) - 1]) && strstr (text, "  ") == NULL &&
         strchr (text, '\n') == NULL && strchr (text, '\t') == NULL;
}

static gboolean
icon_exists (const char *name)
{
  g_autofree char *file = g_strconcat (name, ".svg", NULL);
  g_autofree char *png = g_strconcat (name, ".symbolic.png", NULL);
  const char *const dirs[] = {
    "/usr/share/icons/Adwaita/scalable/actions", "/usr/share/icons/Adwaita/scalable/apps",
    "/usr/share/icons/Adwaita/scalable/devices", "/usr/share/icons/Adwaita/scalable/status",
    "/usr/share/icons/Adwaita/scalable/categories", "/usr/share/icons/Adwaita/scalable/emblems",
    "/usr/share/icons/Adwaita/scalable/places", "/usr/share/icons/Adwaita/scalable/emotes",
    "/usr/share/icons/Adwaita/scalable/legacy", "/usr/share/icons/Adwaita/scalable/mimetypes",
    "/usr/share/icons/Adwaita/16x16/legacy", "/usr/share/icons/Adwaita/16x16/actions",
    "/usr/share/icons/Adwaita/16x16/status", "/usr/share/icons/Adwaita/16x16/devices",
    "/usr/share/icons/Adwaita/16x16/apps", "/usr/share/icons/Adwaita/16x16/categories",
    "/usr/share/icons/Adwaita/16x16/places", "/usr/share/icons/Adwaita/16x16/emotes",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *a = g_build_filename (dirs[i], file, NULL);
      g_autofree char *b = g_build_filename (dirs[i], png, NULL);

      if (g_file_test (a, G_FILE_TEST_EXISTS) || g_file_test (b, G_FILE_TEST_EXISTS))
        return TRUE;
    }
  return FALSE;
}

static void
test_default (void)
{
  g_autoptr(MnCatalogue) catalogue = mn_catalogue_new_default ();
  guint n_grouped = 0;

  g_assert_cmpint (mn_catalogue_get_source (catalogue), ==, MN_CATALOGUE_SOURCE_BUNDLED);
  g_assert_cmpint (mn_catalogue_get_fetched_at (catalogue), ==, 0);
  g_assert_cmpuint (mn_catalogue_get_n_categories (catalogue), ==, G_N_ELEMENTS (expected_codes));

  for (gsize i = 0; i < G_N_ELEMENTS (expected_codes); i++)
    {
      const MnCategory *category = mn_catalogue_lookup (catalogue, expected_codes[i]);
      guint n;

      g_assert_nonnull (category);
      g_assert_cmpstr (mn_category_get_code (category), ==, expected_codes[i]);
      g_assert_true (is_normalized (mn_category_get_name (category)));
      g_assert_true (is_normalized (mn_category_get_description (category)));
      g_assert_nonnull (mn_category_get_group (category));
      g_assert_false (mn_category_has_metadata (category));

      /* The kiosk shows these as buttons: 4 to 8 per category. */
      n = mn_category_get_n_phrases (category);
      g_assert_cmpuint (n, >=, 4);
      g_assert_cmpuint (n, <=, 8);
      for (guint p = 0; p < n; p++)
        g_assert_true (is_normalized (mn_category_get_phrase (category, p)));

      if (g_file_test ("/usr/share/icons/Adwaita", G_FILE_TEST_IS_DIR))
        {
          if (!icon_exists (mn_category_get_icon_name (category)))
            g_error ("icon %s of %s is not in the Adwaita theme",
                     mn_category_get_icon_name (category), expected_codes[i]);
        }
    }

  g_assert_cmpstr (mn_category_get_phrase (mn_catalogue_lookup (catalogue, "lifts"), 1), ==,
                   "Someone is trapped in the lift");
  g_assert_null (mn_catalogue_lookup (catalogue, "lift"));
  g_assert_null (mn_catalogue_lookup (catalogue, NULL));

  /* Groups partition the categories, in file order, each with a name. */
  g_assert_cmpuint (mn_catalogue_get_n_groups (catalogue), ==, 4);
  g_assert_cmpstr (mn_catalogue_get_group_id (catalogue, 0), ==, "livelihood");
  g_assert_cmpstr (mn_catalogue_get_group_name (catalogue, "livelihood"), ==, "Livelihood");
  g_assert_cmpstr (mn_catalogue_get_group_id (catalogue, 2), ==, "law-enforcement");
  for (guint g = 0; g < mn_catalogue_get_n_groups (catalogue); g++)
    {
      const char *id = mn_catalogue_get_group_id (catalogue, g);
      g_autoptr(GPtrArray) members = mn_catalogue_list_group (catalogue, id);

      g_assert_nonnull (id);
      g_assert_true (is_normalized (mn_catalogue_get_group_name (catalogue, id)));
      g_assert_cmpuint (members->len, >, 0);
      for (guint i = 0; i < members->len; i++)
        g_assert_cmpstr (mn_category_get_group (g_ptr_array_index (members, i)), ==, id);
      n_grouped += members->len;
    }
  g_assert_cmpuint (n_grouped, ==, mn_catalogue_get_n_categories (catalogue));
}

/* The names go through gettext each time they are read, so a kiosk that
 * switches language shows the new one without reloading. Uses the zh_CN
 * catalogue of the build tree when there is one. */
static void
test_translated (void)
{
  g_autoptr(MnCatalogue) catalogue = mn_catalogue_new_default ();
  const MnCategory *lifts = mn_catalogue_lookup (catalogue, "lifts");
  g_autofree char *mo = g_build_filename (BUILD_LOCALEDIR, "zh_CN", "LC_MESSAGES",
                                          GETTEXT_PACKAGE ".mo", NULL);
  const char *name;

  if (!g_file_test (mo, G_FILE_TEST_EXISTS) || setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
    {
      g_test_skip ("no zh_CN catalogue or locale in this build");
      return;
    }

  bindtextdomain (GETTEXT_PACKAGE, BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_setenv ("LANGUAGE", "zh_CN", TRUE);
  name = mn_category_get_name (lifts);
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "C.UTF-8");

  if (g_strcmp0 (name, "Lifts") == 0)
    {
      g_test_skip ("the zh_CN catalogue does not translate the categories yet");
      return;
    }
  g_assert_cmpstr (name, ==, "电梯故障");
  g_assert_cmpstr (mn_category_get_name (lifts), ==, "Lifts");
}

static void
test_json_tolerant (void)
{
  /* What real servers send: numbers and strings as codes (0 included),
   * float noise, "true" as a string, nulls, a duplicate, junk entries,
   * control characters, a code the bundle knows. */
  static const char body[] =
    "[\n"
    "  {\"service_code\": 0, \"service_name\": \"电梯\", \"group\": \"民生\", "
    "   \"metadata\": \"true\", \"type\": \"realtime\", \"keywords\": \"lift, elevator\"},\n"
    "  {\"service_code\": \"lifts\", \"service_name\": \"Lifts\\u001b[31m\\nnow\", "
    "   \"description\": null, \"group\": \"民生\", \"metadata\": false, "
    "   \"keywords\": [\"a\", \"b\"]},\n"
    "  {\"service_code\": 17.0, \"service_name\": \"Noise\", \"metadata\": 1},\n"
    "  {\"service_code\": \"lifts\", \"service_name\": \"Duplicate\"},\n"
    "  {\"service_code\": null, \"service_name\": \"No code\"},\n"
    "  {\"service_code\": \"x\"},\n"
    "  {\"service_code\": \"   \", \"service_name\": \"Blank code\"},\n"
    "  42, null, \"text\",\n"
    "  {\"service_code\": \"roads\", \"service_name\": \"Roads\", \"group\": \"发展\", "
    "   \"description\": \"  Holes  \", \"metadata\": \"false\"}\n"
    "]";
  g_autoptr(GError) error = NULL;
  g_autoptr(MnCatalogue) catalogue = mn_catalogue_new_from_json (body, -1, 1764300000, &error);
  const MnCategory *c;

  g_assert_no_error (error);
  g_assert_cmpint (mn_catalogue_get_source (catalogue), ==, MN_CATALOGUE_SOURCE_PLATFORM);
  g_assert_cmpint (mn_catalogue_get_fetched_at (catalogue), ==, 1764300000);
  g_assert_cmpuint (mn_catalogue_get_n_categories (catalogue), ==, 4);

  c = mn_catalogue_get_category (catalogue, 0);
  g_assert_cmpstr (mn_category_get_code (c), ==, "0");
  g_assert_cmpstr (mn_category_get_name (c), ==, "电梯");
  g_assert_true (mn_category_has_metadata (c));
  g_assert_cmpuint (mn_category_get_n_phrases (c), ==, 0);
  g_assert_cmpstr (mn_category_get_icon_name (c), ==, "view-more-horizontal-symbolic");
  g_assert_cmpstr (mn_category_get_description (c), ==, "");

  c = mn_catalogue_lookup (catalogue, "lifts");
  g_assert_nonnull (c);
  /* Control characters are gone; the platform's own name is kept. */
  g_assert_cmpstr (mn_category_get_name (c), ==, "Lifts [31m now");
  g_assert_false (mn_category_has_metadata (c));
  g_assert_cmpstr (mn_category_get_icon_name (c), ==, "go-top-symbolic");
  g_assert_cmpuint (mn_category_get_n_phrases (c), >=, 4);
  g_assert_cmpstr (mn_category_get_phrase (c, 0), ==, "The lift has stopped");

  c = mn_catalogue_lookup (catalogue, "17");
  g_assert_nonnull (c);
  g_assert_true (mn_category_has_metadata (c));
  g_assert_null (mn_category_get_group (c));

  c = mn_catalogue_lookup (catalogue, "roads");
  g_assert_cmpstr (mn_category_get_description (c), ==, "Holes");
  g_assert_false (mn_category_has_metadata (c));

  /* Named groups first in order of appearance, the ungrouped last. */
  g_assert_cmpuint (mn_catalogue_get_n_groups (catalogue), ==, 3);
  g_assert_cmpstr (mn_catalogue_get_group_id (catalogue, 0), ==, "民生");
  g_assert_cmpstr (mn_catalogue_get_group_name (catalogue, "民生"), ==, "民生");
  g_assert_cmpstr (mn_catalogue_get_group_id (catalogue, 1), ==, "发展");
  g_assert_null (mn_catalogue_get_group_id (catalogue, 2));
  g_assert_cmpstr (mn_catalogue_get_group_name (catalogue, NULL), ==, "Other categories");
  {
    g_autoptr(GPtrArray) members = mn_catalogue_list_group (catalogue, "民生");
    g_assert_cmpuint (members->len, ==, 2);
  }
}

static void
test_json_wrapped (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnCatalogue) catalogue =
    mn_catalogue_new_from_json ("{\"services\": [{\"service_code\": \"a\", "
                                "\"service_name\": \"A\"}]}",
                                -1, 0, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (mn_catalogue_get_n_categories (catalogue), ==, 1);
}

typedef struct
{
  const char       *body;
  MnCatalogueError  code;
} BadBody;

static const BadBody bad_bodies[] = {
  { "<html><body>Please log in to the hotel Wi-Fi</body></html>", MN_CATALOGUE_ERROR_PARSE },
  { "", MN_CATALOGUE_ERROR_PARSE },
  { "[{\"service_code\": \"a\"", MN_CATALOGUE_ERROR_PARSE },
  { "{\"code\": 403, \"description\": \"forbidden\"}", MN_CATALOGUE_ERROR_SHAPE },
  { "\"services\"", MN_CATALOGUE_ERROR_SHAPE },
  { "null", MN_CATALOGUE_ERROR_SHAPE },
  { "[]", MN_CATALOGUE_ERROR_EMPTY },
  { "[{\"code\": 400, \"description\": \"api_key missing\"}]", MN_CATALOGUE_ERROR_EMPTY },
  { "[null, 1, [], {}]", MN_CATALOGUE_ERROR_EMPTY },
};

static void
test_json_bad (gconstpointer data)
{
  const BadBody *bad = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MnCatalogue) catalogue = mn_catalogue_new_from_json (bad->body, -1, 0, &error);

  g_assert_null (catalogue);
  g_assert_error (error, MN_CATALOGUE_ERROR, (gint) bad->code);
  g_assert_true (g_str_has_suffix (error->message, "."));
}

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* The catalogue a terminal offers: bundled until the platform's is cached,
 * then the platform's; a damaged cache falls back to the bundled one. */
static void
test_load_from_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("minyin-test-catalogue-XXXXXX", &error);
  g_autoptr(MnStore) store = NULL;
  g_autoptr(MnCatalogue) first = NULL;
  g_autoptr(MnCatalogue) second = NULL;
  g_autoptr(MnCatalogue) third = NULL;

  g_assert_no_error (error);
  store = mn_store_open (dir, &error);
  g_assert_no_error (error);

  first = mn_catalogue_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mn_catalogue_get_source (first), ==, MN_CATALOGUE_SOURCE_BUNDLED);

  g_assert_true (mn_store_set_catalogue_cache (store,
                                               "[{\"service_code\": \"lifts\", "
                                               "\"service_name\": \"电梯故障\"}]",
                                               "\"v1\"", NULL, &error));
  g_assert_no_error (error);
  second = mn_catalogue_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mn_catalogue_get_source (second), ==, MN_CATALOGUE_SOURCE_PLATFORM);
  g_assert_cmpuint (mn_catalogue_get_n_categories (second), ==, 1);
  g_assert_cmpint (mn_catalogue_get_fetched_at (second), >, 0);
  g_assert_cmpstr (mn_category_get_name (mn_catalogue_get_category (second, 0)), ==, "电梯故障");

  g_assert_true (mn_store_set_catalogue_cache (store, "<html>", NULL, NULL, &error));
  g_assert_no_error (error);
  third = mn_catalogue_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (mn_catalogue_get_source (third), ==, MN_CATALOGUE_SOURCE_BUNDLED);

  /* The same through the asynchronous call the kiosk uses. */
  {
    g_autoptr(GMainContext) context = g_main_context_new ();
    g_autoptr(GAsyncResult) result = NULL;
    g_autoptr(MnCatalogue) loaded = NULL;

    g_main_context_push_thread_default (context);
    mn_catalogue_load_async (store, NULL, store_result, &result);
    while (result == NULL)
      g_main_context_iteration (context, TRUE);
    g_main_context_pop_thread_default (context);
    loaded = mn_catalogue_load_finish (result, &error);
    g_assert_no_error (error);
    g_assert_cmpint (mn_catalogue_get_source (loaded), ==, MN_CATALOGUE_SOURCE_BUNDLED);
    g_assert_cmpuint (mn_catalogue_get_n_categories (loaded), ==, 14);
  }

  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/catalogue/default", test_default);
  g_test_add_func ("/catalogue/translated", test_translated);
  g_test_add_func ("/catalogue/json/tolerant", test_json_tolerant);
  g_test_add_func ("/catalogue/json/wrapped", test_json_wrapped);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_bodies); i++)
    {
      g_autofree char *path = g_strdup_printf ("/catalogue/json/bad/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &bad_bodies[i], test_json_bad);
    }
  g_test_add_func ("/catalogue/load-from-store", test_load_from_store);

  return g_test_run ();
}
