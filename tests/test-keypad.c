/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's number pad, pressed through its actions as a finger would:
 * digits, the limit, Delete, Clear, Enter, grouping, and that a cleared
 * pad leaves nothing behind in what it shows. */
#include "config.h"

#include <gtk/gtk.h>

#include "mn-i18n.h"
#include "mn-keypad.h"

static void
press (GtkWidget  *keypad,
       const char *action,
       const char *digit)
{
  g_assert_true (gtk_widget_activate_action (keypad, action, digit != NULL ? "s" : NULL, digit));
}

static void
on_activate (MnKeypad *keypad,
             guint    *count)
{
  (*count)++;
}

static GtkWidget *
find_named (GtkWidget  *w,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (w), name) == 0)
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_digits (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *keypad = mn_keypad_new ();
  GtkWidget *display;
  g_autofree char *shown = NULL;
  guint activated = 0;

  gtk_window_set_child (GTK_WINDOW (window), keypad);
  g_signal_connect (keypad, "activate", G_CALLBACK (on_activate), &activated);
  mn_keypad_set_max_digits (MN_KEYPAD (keypad), 4);
  mn_keypad_set_placeholder (MN_KEYPAD (keypad), "____");

  display = find_named (keypad, "keypad-display");
  g_assert_nonnull (display);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (display)), ==, "____");

  /* Twelve keys and Enter, each a button with an action. */
  for (char d = '0'; d <= '9'; d++)
    {
      char name[16];

      g_snprintf (name, sizeof name, "keypad-%c", d);
      g_assert_true (GTK_IS_BUTTON (find_named (keypad, name)));
    }
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (find_named (keypad, "keypad-clear"))),
                   ==, "keypad.clear");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (find_named (keypad, "keypad-delete"))),
                   ==, "keypad.delete");
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (find_named (keypad, "keypad-enter"))),
                   ==, "keypad.enter");

  press (keypad, "keypad.digit", "1");
  press (keypad, "keypad.digit", "2");
  press (keypad, "keypad.digit", "3");
  press (keypad, "keypad.digit", "4");
  press (keypad, "keypad.digit", "5"); /* over the limit: refused */
  press (keypad, "keypad.digit", "x"); /* not a digit: ignored */
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "1234");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (display)), ==, "1234");

  press (keypad, "keypad.delete", NULL);
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "123");
  press (keypad, "keypad.enter", NULL);
  g_assert_cmpuint (activated, ==, 1);

  press (keypad, "keypad.clear", NULL);
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (display)), ==, "____");
  press (keypad, "keypad.delete", NULL); /* on an empty pad: nothing happens */
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "");

  /* Groups as on a receipt. */
  mn_keypad_set_max_digits (MN_KEYPAD (keypad), 17);
  mn_keypad_set_groups (MN_KEYPAD (keypad), "4,2,6,4,1");
  mn_keypad_set_text (MN_KEYPAD (keypad), "3302-01-261128-0017-5");
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "33020126112800175");
  shown = mn_keypad_format (MN_KEYPAD (keypad));
  g_assert_cmpstr (shown, ==, "3302 01 261128 0017 5");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (display)), ==, "3302 01 261128 0017 5");
  g_clear_pointer (&shown, g_free);
  mn_keypad_set_text (MN_KEYPAD (keypad), "330201");
  shown = mn_keypad_format (MN_KEYPAD (keypad));
  g_assert_cmpstr (shown, ==, "3302 01");

  /* Lowering the limit cuts what is there. */
  mn_keypad_set_max_digits (MN_KEYPAD (keypad), 3);
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "330");

  mn_keypad_set_enter_label (MN_KEYPAD (keypad), "Check");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (find_named (keypad, "keypad-enter"))), ==,
                   "Check");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The decimal point key: there only when allowed, one point at most, a
 * leading one written "0.", and a point dropped when it is no longer
 * allowed. */
static void
test_point (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *keypad = mn_keypad_new ();

  gtk_window_set_child (GTK_WINDOW (window), keypad);
  g_assert_null (find_named (keypad, "keypad-point"));
  /* Without allow-point, the action does nothing and set_text drops it. */
  press (keypad, "keypad.point", NULL);
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "");
  mn_keypad_set_text (MN_KEYPAD (keypad), "1.5");
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "15");

  mn_keypad_clear (MN_KEYPAD (keypad));
  mn_keypad_set_allow_point (MN_KEYPAD (keypad), TRUE);
  g_assert_nonnull (find_named (keypad, "keypad-point"));
  press (keypad, "keypad.point", NULL);
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "0.");
  press (keypad, "keypad.digit", "5");
  press (keypad, "keypad.point", NULL);
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "0.5");
  mn_keypad_set_text (MN_KEYPAD (keypad), "12.3.4");
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "12.34");
  mn_keypad_set_text (MN_KEYPAD (keypad), ".7");
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "7");

  mn_keypad_set_text (MN_KEYPAD (keypad), "2.5");
  mn_keypad_set_allow_point (MN_KEYPAD (keypad), FALSE);
  g_assert_null (find_named (keypad, "keypad-point"));
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "2");
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  mn_i18n_init ();
  if (gdk_display_get_default () == NULL)
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }

  g_test_add_func ("/keypad/digits", test_digits);
  g_test_add_func ("/keypad/point", test_point);

  return g_test_run ();
}
