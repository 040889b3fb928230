/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window and the start screen on a real (virtual) display: roles and
 * labels, sizes in millimetres at a set density, contrast, calling staff,
 * the page registry, and screenshots to look at. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "mn-application.h"
#include "mn-i18n.h"
#include "mn-kiosk-style.h"
#include "mn-speech.h"
#include "mn-speech-prompts.h"
#include "mn-start-page.h"
#include "mn-test-ui.h"
#include "mn-window.h"

static MnApplication *app;
static MnWindow *window;

/* The MINYIN_EVENT values logged, newline-separated; the rest of the log
 * goes where it always goes. */
static GString *events;

static GLogWriterOutput
record_events (GLogLevelFlags   level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MINYIN_EVENT"))
      {
        if (events == NULL)
          events = g_string_new (NULL);
        g_string_append_len (events, fields[i].value, fields[i].length);
        g_string_append_c (events, '\n');
      }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

static void
test_palette_contrast (void)
{
  for (int hc = 0; hc <= 1; hc++)
    {
      const MnKioskColorPair *p = mn_kiosk_style_palette (hc);

      for (; p->role != NULL; p++)
        {
          double ratio = mn_kiosk_contrast_ratio (p->foreground, p->background);

          g_test_message ("%s %s: %s on %s = %.2f:1", hc ? "high-contrast" : "normal", p->role,
                          p->foreground, p->background, ratio);
          if (ratio < p->min_contrast)
            g_error ("%s %s: %s on %s is %.2f:1, under %.1f:1", hc ? "high-contrast" : "normal",
                     p->role, p->foreground, p->background, ratio, p->min_contrast);
        }
    }
  /* The stock accent is known to fail; the check must be able to say so. */
  g_assert_cmpfloat (mn_kiosk_contrast_ratio ("#ffffff", "#1a5fb4"), <, 7.0);
  g_assert_cmpfloat (fabs (mn_kiosk_contrast_ratio ("#000000", "#ffffff") - 21.0), <, 0.01);
}

static void
test_language (void)
{
  const char *expect = g_getenv ("MINYIN_EXPECT_LANG");
  MnStartPage *page = MN_START_PAGE (mn_window_get_start_page (window));
  GtkWidget *staff = mn_start_page_get_button (page, "call-staff");
  g_autofree char *accessible = NULL;
  const char *label;

  g_assert_nonnull (staff);
  label = gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (
    gtk_button_get_child (GTK_BUTTON (staff)))));

  if (g_strcmp0 (expect, "en") == 0)
    {
      g_assert_cmpstr (label, ==, "Call staff");
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Minyin");
    }
  else
    {
      /* No language set, or Chinese: Simplified Chinese. */
      g_assert_cmpstr (label, ==, "呼叫工作人员");
      g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "民音");
      /* The font the stylesheet asks for draws Han in Simplified shapes. */
      g_assert_nonnull (strstr (mn_kiosk_style_get_css (mn_application_get_kiosk_style (app)),
                                "\"Noto Sans CJK SC\""));
      g_assert_true (pango_language_matches (gtk_get_default_language (), "zh-cn"));
    }
}

static void
test_accessible (void)
{
  MnStartPage *page = MN_START_PAGE (mn_window_get_start_page (window));
  GtkWidget *staff = mn_start_page_get_button (page, "call-staff");
  g_autoptr(GPtrArray) labels = mn_test_mapped_of_type (GTK_TYPE_LABEL);
  GtkWidget *title = NULL;

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_has_css_class (g_ptr_array_index (labels, i), "mn-title"))
      title = g_ptr_array_index (labels, i);
  g_assert_nonnull (title);
  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_ROLE_HEADING);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LEVEL, 1);

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (staff), GTK_ACCESSIBLE_ROLE_BUTTON);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (staff), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       _("Call staff"));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (staff)), ==, "win.call-staff");
}

static void
test_start_sizes (void)
{
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "start");
  /* 96 dpi, as MINYIN_DPI sets it for this test. */
  g_assert_cmpfloat (fabs (mn_test_px_per_mm () - 96 / 25.4), <, 0.001);
  mn_test_wait_for_frame (GTK_WIDGET (window));
  mn_test_check_sizes ("start at 96 dpi");
  mn_test_check_drawn_contrast ("start at 96 dpi");
  mn_test_save_shot ("start");

  /* A 21.5" full-HD kiosk: 1920 px over 476 mm. */
  mn_kiosk_style_set_dpi (mn_application_get_kiosk_style (app), 1920 / (476 / 25.4));
  g_assert_cmpfloat (fabs (mn_test_px_per_mm () - 1920.0 / 476), <, 0.01);
  mn_test_wait_for_frame (GTK_WIDGET (window));
  mn_test_check_sizes ("start at 21.5\" full HD");
  mn_test_check_drawn_contrast ("start at 21.5\" full HD");
  mn_test_save_shot ("start-21in");
  mn_kiosk_style_set_dpi (mn_application_get_kiosk_style (app), 0);
}

static void
test_variants (void)
{
  MnKioskStyle *style = mn_application_get_kiosk_style (app);
  g_autofree char *normal_css = g_strdup (mn_kiosk_style_get_css (style));

  g_action_group_activate_action (G_ACTION_GROUP (app), "high-contrast", NULL);
  g_assert_true (mn_kiosk_style_get_high_contrast (style));
  g_assert_cmpstr (normal_css, !=, mn_kiosk_style_get_css (style));
  g_assert_nonnull (strstr (mn_kiosk_style_get_css (style), "#ffff00"));
  mn_test_wait_for_frame (GTK_WIDGET (window));
  mn_test_check_sizes ("start, high contrast");
  mn_test_check_drawn_contrast ("start, high contrast");
  mn_test_save_shot ("start-high-contrast");
  g_action_group_activate_action (G_ACTION_GROUP (app), "high-contrast", NULL);
  g_assert_false (mn_kiosk_style_get_high_contrast (style));

  g_action_group_activate_action (G_ACTION_GROUP (app), "large-text", NULL);
  g_assert_true (mn_kiosk_style_get_large_text (style));
  mn_test_wait_for_frame (GTK_WIDGET (window));
  {
    g_autoptr(GPtrArray) labels = mn_test_mapped_of_type (GTK_TYPE_LABEL);
    g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (g_ptr_array_index (labels, 0),
                                                                    "H");
    PangoRectangle ink;

    pango_layout_get_pixel_extents (layout, &ink, NULL);
    g_assert_cmpfloat (ink.height, >=, MN_KIOSK_BODY_CAP_MM * MN_KIOSK_LARGE_TEXT_SCALE *
                                         mn_test_px_per_mm () - 1);
  }
  mn_test_check_sizes ("start, large text");
  mn_test_check_drawn_contrast ("start, large text");
  mn_test_save_shot ("start-large-text");
  g_action_group_activate_action (G_ACTION_GROUP (app), "large-text", NULL);
  g_assert_false (mn_kiosk_style_get_large_text (style));
  g_assert_cmpstr (normal_css, ==, mn_kiosk_style_get_css (style));
}

static void
on_staff_call (MnWindow *w,
               gboolean  called,
               int      *calls)
{
  *calls += called ? 1 : -100;
}

static void
on_announce (MnWindow   *w,
             const char *text,
             GString    *said)
{
  g_string_append (said, text);
  g_string_append_c (said, '\n');
}

static void
test_call_staff (void)
{
  MnStartPage *page = MN_START_PAGE (mn_window_get_start_page (window));
  GtkWidget *staff = mn_start_page_get_button (page, "call-staff");
  g_autoptr(GString) said = g_string_new (NULL);
  g_autoptr(GPtrArray) buttons = NULL;
  int calls = 0;
  gulong h1, h2;

  h1 = g_signal_connect (window, "staff-call", G_CALLBACK (on_staff_call), &calls);
  h2 = g_signal_connect (window, "announce", G_CALLBACK (on_announce), said);

  /* Pressed as a finger would: through the button and its action. */
  if (events != NULL)
    g_string_truncate (events, 0);
  mn_test_click (staff);
  g_assert_nonnull (events);
  g_assert_cmpstr (events->str, ==, "staff-called\n");
  g_assert_true (mn_window_get_staff_called (window));
  g_assert_cmpint (calls, ==, 1);
  g_assert_nonnull (strstr (said->str, mn_speech_prompt_text (MN_SPEECH_PROMPT_STAFF_CALLED)));
  {
    /* The voice service got it (the hook is connected). */
    g_autofree char *last = mn_speech_dup_last_text (mn_application_get_speech (app));

    g_assert_cmpstr (last, ==, mn_speech_prompt_text (MN_SPEECH_PROMPT_STAFF_CALLED));
  }

  mn_test_wait_for_frame (GTK_WIDGET (window));
  /* The sign covers the page: the start screen's button is gone. */
  g_assert_false (gtk_widget_get_mapped (staff));
  buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  /* Cancel, and the small way in for the member of staff who answers. */
  g_assert_cmpuint (buttons->len, ==, 2);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (g_ptr_array_index (buttons, 0)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, _("Cancel the call"));
  g_assert_cmpstr (gtk_button_get_label (g_ptr_array_index (buttons, 1)), ==, _("Staff sign-in"));
  mn_test_check_sizes ("staff called");
  mn_test_check_drawn_contrast ("staff called");
  mn_test_save_shot ("staff-called");

  /* Calling twice changes nothing and logs nothing. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.call-staff", NULL);
  g_assert_cmpint (calls, ==, 1);

  mn_test_click (g_ptr_array_index (buttons, 0));
  g_assert_cmpstr (events->str, ==, "staff-called\nstaff-call-cancelled\n");
  g_assert_false (mn_window_get_staff_called (window));
  g_assert_cmpint (calls, ==, 1 - 100);
  mn_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (staff));
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "start");

  g_signal_handler_disconnect (window, h1);
  g_signal_handler_disconnect (window, h2);
}

/* A page registers itself and its start button; the button appears, leads
 * to the page, and the window stays within the size rules. Done on a
 * second window so the first keeps today's start screen. */
static void
test_page_registry (void)
{
  MnWindow *other = mn_window_new (GTK_APPLICATION (app), TRUE);
  GtkWidget *page = gtk_label_new ("a page");
  g_autoptr(MnStartItem) item = NULL;
  GtkWidget *button;
  MnStartPage *start = MN_START_PAGE (mn_window_get_start_page (other));
  GListModel *items = mn_window_get_start_items (other);

  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 1);
  g_assert_null (mn_start_page_get_button (start, "file"));

  item = mn_start_item_new ("file", "File a request", "document-new-symbolic", "win.show-page",
                            g_variant_new_string ("file"), MN_START_ITEM_PRIMARY, 10);
  mn_window_add_page (other, "file", page, item);
  g_assert_cmpuint (g_list_model_get_n_items (items), ==, 2);
  {
    /* Sorted by position: the new item before "call staff" (1000). */
    g_autoptr(MnStartItem) first = g_list_model_get_item (items, 0);
    g_assert_cmpstr (mn_start_item_get_id (first), ==, "file");
  }

  button = mn_start_page_get_button (start, "file");
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_has_css_class (button, "mn-primary"));
  g_assert_nonnull (mn_start_page_get_button (start, "call-staff"));

  gtk_window_set_default_size (GTK_WINDOW (other), 1920, 1080);
  gtk_window_present (GTK_WINDOW (other));
  mn_test_wait_for_frame (GTK_WIDGET (other));
  mn_test_click (button);
  g_assert_cmpstr (mn_window_get_visible_page (other), ==, "file");
  gtk_widget_activate_action (GTK_WIDGET (other), "win.go-home", NULL);
  g_assert_cmpstr (mn_window_get_visible_page (other), ==, "start");

  gtk_window_destroy (GTK_WINDOW (other));
}

static void
on_reset (MnWindow *w,
          GtkLabel *entered)
{
  /* What a page does on "reset": forget what the person gave. */
  gtk_label_set_label (entered, "");
}

static void
test_idle_reset (void)
{
  GtkWidget *entered = gtk_label_new ("电梯停了两天");
  g_autoptr(GString) said = g_string_new (NULL);
  g_autoptr(GPtrArray) buttons = NULL;
  gulong h1, h2;

  gtk_widget_add_css_class (entered, "mn-heading");
  mn_window_add_page (window, "form", entered, NULL);
  mn_window_set_page_speech (window, "form", "form page");
  h1 = g_signal_connect (window, "reset", G_CALLBACK (on_reset), entered);
  h2 = g_signal_connect (window, "announce", G_CALLBACK (on_announce), said);

  /* On the start screen nothing runs out. */
  mn_window_set_idle_timeout (window, 0.05, 5);
  mn_test_run_for (0.2);
  g_assert_false (mn_window_get_idle_warning (window));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "form");
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "form");
  g_assert_nonnull (strstr (said->str, "form page"));
  while (!mn_window_get_idle_warning (window))
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (strstr (said->str, mn_speech_prompt_text (MN_SPEECH_PROMPT_STILL_THERE)));

  mn_test_wait_for_frame (GTK_WIDGET (window));
  buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  g_assert_cmpuint (buttons->len, ==, 1);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (g_ptr_array_index (buttons, 0)),
                                       GTK_ACCESSIBLE_PROPERTY_LABEL, _("More time"));
  mn_test_check_sizes ("idle warning");
  mn_test_check_drawn_contrast ("idle warning");
  mn_test_save_shot ("idle-warning");

  /* "Repeat" says the warning again. */
  g_string_truncate (said, 0);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.repeat", NULL);
  g_assert_nonnull (strstr (said->str, mn_speech_prompt_text (MN_SPEECH_PROMPT_STILL_THERE)));

  /* More time: the page and what was entered are still there. */
  mn_window_set_idle_timeout (window, 5, 5);
  mn_test_click (g_ptr_array_index (buttons, 0));
  g_assert_false (mn_window_get_idle_warning (window));
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "form");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (entered)), ==, "电梯停了两天");

  /* While staff are called the clock stops. */
  mn_window_set_idle_timeout (window, 0.05, 0.05);
  mn_window_call_staff (window);
  mn_test_run_for (0.3);
  g_assert_false (mn_window_get_idle_warning (window));
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "form");
  mn_window_cancel_staff_call (window);

  /* Nobody comes back: warning, then the start screen, wiped. */
  while (g_strcmp0 (mn_window_get_visible_page (window), "start") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (mn_window_get_idle_warning (window));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (entered)), ==, "");
  {
    g_autofree char *last = g_strconcat (mn_speech_prompt_text (MN_SPEECH_PROMPT_TIME_UP), "\n",
                                         NULL);

    g_assert_true (g_str_has_suffix (said->str, last));
  }
  mn_test_wait_for_frame (GTK_WIDGET (window));
  g_assert_true (gtk_widget_get_mapped (
    mn_start_page_get_button (MN_START_PAGE (mn_window_get_start_page (window)), "call-staff")));

  mn_window_set_idle_timeout (window, 90, 20);
  g_signal_handler_disconnect (window, h1);
  g_signal_handler_disconnect (window, h2);
}

static void
test_generated_css (void)
{
  g_autofree char *a = mn_kiosk_style_build_css (4.0, FALSE, 1.0, NULL);
  g_autofree char *b = mn_kiosk_style_build_css (8.0, FALSE, 1.0, NULL);
  g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

  /* Twice the density, twice the pixels: the body font at 7 mm / 0.7 em. */
  g_assert_nonnull (strstr (a, "font-size: 40px"));
  g_assert_nonnull (strstr (b, "font-size: 80px"));
  g_assert_nonnull (strstr (a, "line-height: 1.05"));
  g_assert_cmpstr (mn_kiosk_font_family_for_language ("zh_HK"), !=,
                   mn_kiosk_font_family_for_language ("zh_CN"));
  g_assert_true (g_str_has_prefix (mn_kiosk_font_family_for_language ("zh_CN"),
                                   "\"Noto Sans CJK SC\""));
  /* It parses (a parsing error would be critical, which fails the test). */
  gtk_css_provider_load_from_data (provider, a, -1);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_log_set_writer_func (record_events, NULL, NULL);
  if (!mn_test_ui_init (&argc, &argv, "window"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  app = mn_test_app;
  window = mn_test_window;
  g_assert_nonnull (mn_application_get_settings (app));

  g_test_add_func ("/window/palette-contrast", test_palette_contrast);
  g_test_add_func ("/window/generated-css", test_generated_css);
  g_test_add_func ("/window/language", test_language);
  g_test_add_func ("/window/accessible", test_accessible);
  g_test_add_func ("/window/start-sizes", test_start_sizes);
  g_test_add_func ("/window/variants", test_variants);
  g_test_add_func ("/window/call-staff", test_call_staff);
  g_test_add_func ("/window/page-registry", test_page_registry);
  g_test_add_func ("/window/idle-reset", test_idle_reset);

  status = g_test_run ();
  mn_test_ui_shutdown ();
  return status;
}
