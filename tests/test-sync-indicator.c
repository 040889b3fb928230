/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's sync indicator: what it says for each state, in words a
 * resident is not alarmed by, and that it follows an outbox. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "mn-sync-indicator.h"

static void
test_states (void)
{
  GtkWidget       *widget = g_object_ref_sink (mn_sync_indicator_new ());
  MnSyncIndicator *self = MN_SYNC_INDICATOR (widget);

  g_assert_nonnull (strstr (mn_sync_indicator_get_text (self), "Checking"));
  mn_sync_indicator_update (self, TRUE, 0);
  g_assert_cmpstr (mn_sync_indicator_get_text (self), ==, "Connected to the platform");
  mn_sync_indicator_update (self, TRUE, 3);
  g_assert_cmpstr (mn_sync_indicator_get_text (self), ==, "Connected · 3 requests being sent");
  mn_sync_indicator_update (self, FALSE, 1);
  g_assert_cmpstr (mn_sync_indicator_get_text (self), ==,
                   "Offline · 1 request kept safely on this terminal");
  mn_sync_indicator_update (self, FALSE, 0);
  g_assert_cmpstr (mn_sync_indicator_get_text (self), ==, "Offline");
  g_object_unref (widget);
}

static void
on_changed (MnOutbox *outbox,
            gboolean *done)
{
  *done = TRUE;
}

static void
test_follows_outbox (void)
{
  g_autofree char    *dir = g_dir_make_tmp ("minyin-indicator-XXXXXX", NULL);
  g_autoptr(GError)   error = NULL;
  g_autoptr(MnStore)  store = mn_store_open (dir, &error);
  g_autoptr(MnOutbox) outbox = NULL;
  GtkWidget          *widget = g_object_ref_sink (mn_sync_indicator_new ());
  gboolean            done = FALSE;

  g_assert_no_error (error);
  outbox = mn_outbox_new (store);
  mn_sync_indicator_set_outbox (MN_SYNC_INDICATOR (widget), outbox);
  g_signal_connect (outbox, "changed", G_CALLBACK (on_changed), &done);
  /* Not provisioned: the pass fails at once, and says so. */
  mn_outbox_start (outbox);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  mn_outbox_stop (outbox);
  g_assert_cmpstr (mn_sync_indicator_get_text (MN_SYNC_INDICATOR (widget)), ==, "Offline");
  g_object_unref (widget);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("LC_ALL", "en_US.UTF-8", TRUE);
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/sync-indicator/states", test_states);
  g_test_add_func ("/sync-indicator/follows-outbox", test_follows_outbox);
  return g_test_run ();
}
