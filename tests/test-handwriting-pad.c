/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The handwriting pad on a virtual display: recorded strokes fed through
 * the pad's own stroke path, candidates shown as large buttons, choosing
 * one (spoken, emitted, box emptied), undo and clear, and a screenshot. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>

#include "mn-handwriting-pad.h"
#include "mn-i18n.h"
#include "mn-kiosk-style.h"
#include "mn-window.h"

static MnWindow *window;
static MnHandwritingPad *pad;
static MnKioskStyle *style;
static GPtrArray *announced;

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *done)
{
  *done = TRUE;
}

static void
wait_for_frame (GtkWidget *w)
{
  GdkFrameClock *clock;
  gboolean done = FALSE;
  gulong id;

  while (!gtk_widget_get_mapped (w))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (w);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &done);
  gtk_widget_queue_draw (w);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_changed (MnHandwritingPad *p,
            gboolean         *changed)
{
  *changed = TRUE;
}

/* Feeds @strokes (the fixture's text form, 1000 × 1000) and waits for the
 * recognition to replace the candidates. */
static void
feed (const char *strokes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnInk) ink = mn_ink_new_from_string (strokes, 1000, 1000, &error);
  gboolean changed = FALSE;
  gulong id;

  g_assert_no_error (error);
  id = g_signal_connect (pad, "candidates-changed", G_CALLBACK (on_changed), &changed);
  mn_handwriting_pad_clear (pad);
  changed = FALSE;
  mn_handwriting_pad_feed_ink (pad, ink);
  /* One recognition per stroke, each cancelling the one before: only
   * the last (the whole character) reports. */
  while (!changed)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (pad, id);
}

static int
rank_of (const char *character)
{
  const char * const *c = mn_handwriting_pad_get_candidates (pad);

  for (int i = 0; c[i] != NULL; i++)
    if (g_str_equal (c[i], character))
      return i;
  return -1;
}

static void
test_recorded_strokes (void)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "tests", "data",
                                            "handwriting-strokes.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  guint tried = 0;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 2);
      feed (fields[1]);
      if (rank_of (fields[0]) < 0 || rank_of (fields[0]) >= 5)
        g_test_fail_printf ("the pad did not offer %s among its first five", fields[0]);
      tried++;
    }
  g_assert_cmpuint (tried, >=, 20);
}

static void
test_candidates_are_large (void)
{
  double ppm = mn_kiosk_style_get_px_per_mm (style);
  GtkWidget *first;
  int n = 0;

  feed ("100,500 900,500;500,100 500,900");
  wait_for_frame (GTK_WIDGET (window));
  g_assert_cmpstr (mn_handwriting_pad_get_candidates (pad)[0], ==, "十");
  first = mn_handwriting_pad_get_candidate_button (pad, 0);
  g_assert_nonnull (first);
  g_assert_true (gtk_widget_get_mapped (first));
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (first)), ==, "十");
  for (guint i = 0; mn_handwriting_pad_get_candidate_button (pad, i) != NULL; i++)
    {
      GtkWidget *b = mn_handwriting_pad_get_candidate_button (pad, i);

      g_assert_true (gtk_widget_get_mapped (b));
      g_assert_cmpfloat (MIN (gtk_widget_get_width (b), gtk_widget_get_height (b)), >=,
                         MN_KIOSK_TARGET_MIN_MM * ppm - 0.5);
      n++;
    }
  g_assert_cmpint (n, ==, MN_HANDWRITING_PAD_MAX_CANDIDATES);

  /* The box is large enough to write in with a finger: 80 mm at least. */
  {
    const MnInk *ink = mn_handwriting_pad_get_ink (pad);

    g_assert_cmpfloat (mn_ink_get_width (ink), >=, 80 * ppm);
    g_assert_cmpfloat (mn_ink_get_height (ink), >=, 80 * ppm);
  }

  {
    g_autofree char *dir = g_build_filename (BUILD_ROOT, "screenshots", "handwriting", NULL);
    g_autofree char *file = g_build_filename (dir, "pad-candidates.png", NULL);
    g_autoptr(GError) error = NULL;

    g_mkdir_with_parents (dir, 0755);
    g_assert_true (mn_window_save_screenshot (window, file, &error));
    g_assert_no_error (error);
    g_test_message ("screenshot: %s", file);
  }
}

static void
on_chosen (MnHandwritingPad *p,
           const char       *character,
           char            **out)
{
  g_free (*out);
  *out = g_strdup (character);
  /* The box is already empty for the next character. */
  g_assert_cmpuint (mn_ink_get_n_strokes (mn_handwriting_pad_get_ink (p)), ==, 0);
}

static void
test_choose_speaks_and_emits (void)
{
  g_autofree char *chosen = NULL;
  GtkWidget *button;
  gulong id;

  feed ("250,450 750,450;500,150 500,850;150,850 850,850");
  g_assert_cmpstr (mn_handwriting_pad_get_candidates (pad)[0], ==, "土");
  button = mn_handwriting_pad_get_candidate_button (pad, 0);
  id = g_signal_connect (pad, "character-chosen", G_CALLBACK (on_chosen), &chosen);
  g_ptr_array_set_size (announced, 0);
  g_signal_emit_by_name (button, "clicked");
  g_signal_handler_disconnect (pad, id);

  g_assert_cmpstr (chosen, ==, "土");
  g_assert_cmpuint (announced->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (announced, 0), ==, "土");
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (mn_handwriting_pad_get_candidates (pad)[0]);
}

static void
test_undo_and_clear (void)
{
  gboolean changed = FALSE;
  gulong id;

  feed ("250,450 750,450;500,150 500,850;150,850 850,850");
  g_assert_cmpstr (mn_handwriting_pad_get_candidates (pad)[0], ==, "土");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (pad), "pad.undo", NULL));
  id = g_signal_connect (pad, "candidates-changed", G_CALLBACK (on_changed), &changed);
  while (!changed)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (mn_ink_get_n_strokes (mn_handwriting_pad_get_ink (pad)), ==, 2);
  g_assert_cmpstr (mn_handwriting_pad_get_candidates (pad)[0], ==, "十");

  gtk_widget_activate_action (GTK_WIDGET (pad), "pad.clear", NULL);
  g_signal_handler_disconnect (pad, id);
  g_assert_cmpuint (mn_ink_get_n_strokes (mn_handwriting_pad_get_ink (pad)), ==, 0);
  g_assert_null (mn_handwriting_pad_get_candidates (pad)[0]);
  g_assert_null (mn_handwriting_pad_get_candidate_button (pad, 0));
  /* Nothing to undo or clear any more: the buttons say so by greying. */
  wait_for_frame (GTK_WIDGET (window));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (pad), "pad.undo", NULL) &&
                  mn_ink_get_n_strokes (mn_handwriting_pad_get_ink (pad)) > 0);
}

static void
on_announce (MnWindow   *w,
             const char *text,
             gpointer    user_data)
{
  g_ptr_array_add (announced, g_strdup (text));
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_setenv ("MINYIN_DPI", "96", TRUE);
  mn_i18n_init ();
  g_test_init (&argc, &argv, NULL);
#ifndef HAVE_ZINNIA
  g_test_skip ("built without zinnia");
  return g_test_run ();
#endif
  if (!gtk_init_check ())
    {
      g_test_skip ("no display");
      return g_test_run ();
    }
  adw_init ();

  style = mn_kiosk_style_new (gdk_display_get_default (), NULL);
  announced = g_ptr_array_new_with_free_func (g_free);
  window = mn_window_new (NULL, TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_signal_connect (window, "announce", G_CALLBACK (on_announce), NULL);
  pad = MN_HANDWRITING_PAD (mn_handwriting_pad_new ());
  mn_window_add_page (window, "handwriting", GTK_WIDGET (pad), NULL);
  mn_window_show_page (window, "handwriting");
  gtk_window_present (GTK_WINDOW (window));
  wait_for_frame (GTK_WIDGET (window));
  g_assert_true (mn_handwriting_pad_get_available (pad));

  g_test_add_func ("/handwriting-pad/recorded-strokes", test_recorded_strokes);
  g_test_add_func ("/handwriting-pad/candidates-are-large", test_candidates_are_large);
  g_test_add_func ("/handwriting-pad/choose-speaks-and-emits", test_choose_speaks_and_emits);
  g_test_add_func ("/handwriting-pad/undo-and-clear", test_undo_and_clear);
  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&style);
  g_ptr_array_unref (announced);
  return status;
}
