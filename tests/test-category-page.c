/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Step 1 of filing: the category page on the bundled catalogue, in the
 * real window. Tiles by group, at most nine, spoken when touched, chosen
 * only with the confirm button; sizes, contrast, roles, a screenshot of
 * each group, and the reset that wipes the choice. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-catalogue.h"
#include "mn-category-page.h"
#include "mn-flow-frame.h"
#include "mn-speech-prompts.h"
#include "mn-test-ui.h"

static MnCategoryPage *page;
static MnCatalogue *catalogue;

static void
on_text (MnWindow   *w,
         const char *text,
         GString    *out)
{
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

static void
on_chosen (MnCategoryPage *p,
           const char     *code,
           char          **out)
{
  g_free (*out);
  *out = g_strdup (code);
}

static void
test_groups_and_tiles (void)
{
  guint n_groups = mn_catalogue_get_n_groups (catalogue);

  g_assert_cmpuint (n_groups, >, 1);
  for (guint g = 0; g < n_groups; g++)
    {
      const char *id = mn_catalogue_get_group_id (catalogue, g);
      g_autoptr(GPtrArray) list = mn_catalogue_list_group (catalogue, id);
      g_autofree char *shot = g_strdup_printf ("category-%s", id != NULL ? id : "none");
      g_autoptr(GPtrArray) tiles = NULL;
      guint shown = 0;

      gtk_widget_activate_action (GTK_WIDGET (page), "category.group", "s", id != NULL ? id : "");
      mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));

      /* Every category of the group has its tile (up to nine), no more. */
      for (guint i = 0; i < list->len && i < MN_CATEGORY_PAGE_MAX_TILES; i++)
        {
          const MnCategory *c = g_ptr_array_index (list, i);
          GtkWidget *tile = mn_category_page_get_tile (page, mn_category_get_code (c));

          g_assert_nonnull (tile);
          g_assert_true (gtk_widget_get_mapped (tile));
          gtk_test_accessible_assert_role (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_ROLE_BUTTON);
          gtk_test_accessible_assert_property (GTK_ACCESSIBLE (tile),
                                               GTK_ACCESSIBLE_PROPERTY_LABEL,
                                               mn_category_get_name (c));
          shown++;
        }
      tiles = mn_test_mapped_of_type (GTK_TYPE_TOGGLE_BUTTON);
      /* The group buttons are toggle buttons too. */
      g_assert_cmpuint (tiles->len, ==, shown + n_groups);
      g_assert_cmpuint (shown, <=, MN_CATEGORY_PAGE_MAX_TILES);

      mn_test_save_shot (shot);
      mn_test_check_sizes (shot);
      mn_test_check_drawn_contrast (shot);
    }
}

static void
test_touch_then_confirm (void)
{
  g_autoptr(GString) said = g_string_new (NULL);
  g_autoptr(GString) buttons = g_string_new (NULL);
  g_autofree char *chosen = NULL;
  const MnCategory *lifts = mn_catalogue_lookup (catalogue, "lifts");
  g_autofree char *next = NULL;
  GtkWidget *tile, *confirm = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gulong h1, h2, h3;

  g_assert_nonnull (lifts);
  h1 = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_text), said);
  h2 = g_signal_connect (mn_test_window, "announce-button", G_CALLBACK (on_text), buttons);
  h3 = g_signal_connect (page, "chosen", G_CALLBACK (on_chosen), &chosen);

  mn_window_show_page (mn_test_window, "category");
  gtk_widget_activate_action (GTK_WIDGET (page), "category.group", "s",
                              mn_category_get_group (lifts));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  all = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (all, i)), "category-confirm") == 0)
      confirm = g_ptr_array_index (all, i);
  g_assert_nonnull (confirm);

  /* Confirming with nothing touched says what to do and goes nowhere. */
  mn_test_click (confirm);
  g_assert_null (chosen);
  g_assert_nonnull (strstr (said->str, _("Please touch a category first.")));

  /* A touch selects and names; it does not move on. */
  tile = mn_category_page_get_tile (page, "lifts");
  mn_test_click (tile);
  g_assert_cmpstr (mn_category_page_get_selected (page), ==, "lifts");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (tile)));
  g_assert_nonnull (strstr (buttons->str, mn_category_get_name (lifts)));
  g_assert_null (chosen);
  next = g_strdup_printf (_("Next: %s"), mn_category_get_name (lifts));
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (confirm), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       next);

  /* Another touch changes the selection: one at a time. */
  mn_test_click (mn_category_page_get_tile (page, "heating"));
  g_assert_cmpstr (mn_category_page_get_selected (page), ==, "heating");
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (tile)));
  mn_test_click (tile);
  mn_test_check_sizes ("category selected");
  mn_test_check_drawn_contrast ("category selected");
  mn_test_save_shot ("category-selected");

  mn_test_click (confirm);
  g_assert_cmpstr (chosen, ==, "lifts");

  /* The session ends: nothing of this person's choice remains. */
  mn_window_reset_session (mn_test_window);
  g_assert_null (mn_category_page_get_selected (page));
  g_assert_false (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (mn_category_page_get_tile (page, "lifts") != NULL ?
                         mn_category_page_get_tile (page, "lifts") :
                         mn_category_page_get_tile (page, "heating"))));
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "start");

  g_signal_handler_disconnect (mn_test_window, h1);
  g_signal_handler_disconnect (mn_test_window, h2);
  g_signal_handler_disconnect (page, h3);
}

static void
test_frame (void)
{
  GtkWidget *frame = gtk_widget_get_first_child (GTK_WIDGET (page));
  g_autofree char *step = g_strdup_printf (_("Step %u of %u"), 1, 7);

  mn_window_show_page (mn_test_window, "category");
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  g_assert_true (MN_IS_FLOW_FRAME (frame));
  g_assert_cmpstr (mn_flow_frame_get_step_text (MN_FLOW_FRAME (frame)), ==, step);

  /* Back, Repeat and Call staff, by name, as assistive software finds them. */
  {
    g_autoptr(GPtrArray) buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
    const char *want[] = { "flow-back", "flow-repeat", "flow-call-staff" };

    for (guint w = 0; w < G_N_ELEMENTS (want); w++)
      {
        gboolean found = FALSE;

        for (guint i = 0; i < buttons->len; i++)
          if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), want[w]) == 0)
            found = TRUE;
        g_assert_true (found);
      }
  }

  /* More groups than the one shown: a page of no more than nine. */
  g_assert_cmpuint (mn_catalogue_get_n_categories (catalogue), >, MN_CATEGORY_PAGE_MAX_TILES);
}

static void
test_more_categories (void)
{
  /* A platform catalogue with twelve categories in one group: nine, then
   * three behind "More categories". */
  GString *json = g_string_new ("[");
  g_autoptr(MnCatalogue) big = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *more = NULL;
  g_autoptr(GPtrArray) buttons = NULL;

  for (int i = 0; i < 12; i++)
    g_string_append_printf (json,
                            "%s{\"service_code\":\"c%d\",\"service_name\":\"类别%d\","
                            "\"group\":\"民生\",\"type\":\"realtime\",\"metadata\":false}",
                            i ? "," : "", i, i);
  g_string_append (json, "]");
  big = mn_catalogue_new_from_json (json->str, -1, 0, &error);
  g_string_free (json, TRUE);
  g_assert_no_error (error);

  mn_category_page_set_catalogue (page, big);
  mn_window_show_page (mn_test_window, "category");
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  g_assert_nonnull (mn_category_page_get_tile (page, "c8"));
  g_assert_null (mn_category_page_get_tile (page, "c9"));
  buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), "category-more") == 0)
      more = g_ptr_array_index (buttons, i);
  g_assert_nonnull (more);
  mn_test_check_sizes ("nine categories");
  mn_test_save_shot ("category-nine");

  mn_test_click (more);
  g_assert_nonnull (mn_category_page_get_tile (page, "c11"));
  g_assert_null (mn_category_page_get_tile (page, "c0"));

  mn_category_page_set_catalogue (page, catalogue);
}

static void
on_reset (MnWindow       *w,
          MnCategoryPage *p)
{
  mn_category_page_reset (p);
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (!mn_test_ui_init (&argc, &argv, "category"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }

  catalogue = mn_catalogue_new_default ();
  page = MN_CATEGORY_PAGE (mn_category_page_new ());
  mn_category_page_set_catalogue (page, catalogue);
  /* As the flow will register it: no start button until the whole flow
   * can file a request. */
  mn_window_add_page (mn_test_window, "category", GTK_WIDGET (page), NULL);
  mn_window_set_page_speech (mn_test_window, "category",
                             mn_speech_prompt_text (MN_SPEECH_PROMPT_CHOOSE_CATEGORY));
  g_signal_connect (mn_test_window, "reset", G_CALLBACK (on_reset), page);

  g_test_add_func ("/category/frame", test_frame);
  g_test_add_func ("/category/groups-and-tiles", test_groups_and_tiles);
  g_test_add_func ("/category/touch-then-confirm", test_touch_then_confirm);
  g_test_add_func ("/category/more", test_more_categories);

  status = g_test_run ();
  g_clear_object (&catalogue);
  mn_test_ui_shutdown ();
  return status;
}
