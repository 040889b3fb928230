/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staff on the kiosk, on a real (virtual) display against the reference
 * platform: a request the platform refused with a permanent 400 waits in
 * quarantine (tests/staff-ui-setup.py); a resident finds no way to the
 * staff page; staff answer a call, sign in on the keypad (PIN as dots, a
 * wrong PIN gets a sentence), read the platform's reason on the page,
 * export the message (file mode 0600, reason in, phone out), press "Try
 * again" and see it requeued and sent; "Sign out" and the idle timeout end
 * the staff session; every step is in an intact audit trail. Screenshots
 * in BUILD/screenshots/<language>/staff/. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mn-audit.h"
#include "mn-keypad.h"
#include "mn-quarantine-page.h"
#include "mn-staff-flow.h"
#include "mn-staff-sign-in-page.h"
#include "mn-store-sync.h"
#include "mn-test-ui.h"

#define PIN "246810"

static MnStaffFlow *flow;
static MnStore     *store;
static char        *top_dir;
static char        *export_dir;
static char        *reason;
static char        *case_code;

static void
wait_idle (void)
{
  while (mn_staff_flow_get_busy (flow))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
act (GtkWidget  *w,
     const char *action,
     GVariant   *target)
{
  g_assert_true (gtk_widget_activate_action_variant (w, action, target));
}

static GtkWidget *
page (const char *name)
{
  GtkWidget *p = mn_staff_flow_get_page (flow, name);

  g_assert_nonnull (p);
  return p;
}

static const char *
visible (void)
{
  return mn_window_get_visible_page (mn_test_window);
}

/* Every label under @root (shown or not) whose text contains @needle. */
static gboolean
has_label (GtkWidget  *root,
           const char *needle,
           gboolean    mapped_only)
{
  if (GTK_IS_LABEL (root) && (!mapped_only || gtk_widget_get_mapped (root)) &&
      strstr (gtk_label_get_label (GTK_LABEL (root)), needle) != NULL)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    if (has_label (c, needle, mapped_only))
      return TRUE;
  return FALSE;
}

/* The mapped button named @name (gtk_widget_set_name / template name). */
static GtkButton *
find_button (const char *name)
{
  g_autoptr(GPtrArray) buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), name) == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no mapped button named %s", name);
  return NULL;
}

static void
type_on_keypad (const char *digits)
{
  GtkWidget *keypad = mn_staff_sign_in_page_get_keypad (MN_STAFF_SIGN_IN_PAGE (page ("staff-sign-in")));

  act (keypad, "keypad.clear", NULL);
  for (const char *p = digits; *p != '\0'; p++)
    {
      char d[2] = { *p, '\0' };

      act (keypad, "keypad.digit", g_variant_new_string (d));
    }
}

static void
press_enter (void)
{
  act (mn_staff_sign_in_page_get_keypad (MN_STAFF_SIGN_IN_PAGE (page ("staff-sign-in"))),
       "keypad.enter", NULL);
  wait_idle ();
}

static void
answer_call (void)
{
  mn_window_call_staff (mn_test_window);
  g_assert_true (mn_window_get_staff_called (mn_test_window));
  act (GTK_WIDGET (mn_test_window), "win.staff-sign-in", NULL);
  g_assert_false (mn_window_get_staff_called (mn_test_window));
  g_assert_cmpstr (visible (), ==, "staff-sign-in");
}

static void
sign_in (const char *number,
         const char *pin)
{
  answer_call ();
  type_on_keypad (number);
  press_enter ();
  type_on_keypad (pin);
  press_enter ();
}

static gint64
quarantined_id (void)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) list = mn_store_outbox_list (store, "quarantined", &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 1);
  return ((MnOutboxMessage *) g_ptr_array_index (list, 0))->id;
}

static void
test_no_way_in (void)
{
  GListModel *items = mn_window_get_start_items (mn_test_window);

  g_assert_cmpstr (visible (), ==, "start");
  /* No start-screen button leads to a staff page. */
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(MnStartItem) item = g_list_model_get_item (items, i);
      GVariant *target = mn_start_item_get_action_target (item);

      g_assert_null (strstr (mn_start_item_get_action_name (item), "staff-sign-in"));
      if (target != NULL && g_variant_is_of_type (target, G_VARIANT_TYPE_STRING))
        g_assert_false (g_str_has_prefix (g_variant_get_string (target, NULL), "staff"));
    }
  /* The sign-in button works only on the staff-called sign. */
  gtk_widget_activate_action (GTK_WIDGET (mn_test_window), "win.staff-sign-in", NULL);
  g_assert_cmpstr (visible (), ==, "start");

  /* The quarantine page reached by force shows nothing and hands over to
   * the sign-in. */
  act (GTK_WIDGET (mn_test_window), "win.show-page", g_variant_new_string ("staff-quarantine"));
  wait_idle ();
  g_assert_cmpstr (visible (), ==, "staff-sign-in");
  g_assert_false (has_label (page ("staff-quarantine"), "Injected fault", FALSE));
  g_assert_cmpuint (mn_quarantine_page_get_n_items (MN_QUARANTINE_PAGE (page ("staff-quarantine"))),
                    ==, 0);
  mn_window_reset_session (mn_test_window);
}

static void
on_announce (MnWindow   *window,
             const char *text,
             GString    *said)
{
  g_string_append_printf (said, "%s\n", text);
}

static void
on_announce_button (MnWindow   *window,
                    const char *text,
                    GString    *said)
{
  g_string_append_printf (said, "%s\n", text);
}

static void
test_wrong_pin (void)
{
  g_autoptr(GString) said = g_string_new (NULL);
  MnStaffSignInPage *p = MN_STAFF_SIGN_IN_PAGE (page ("staff-sign-in"));
  GtkWidget         *keypad = mn_staff_sign_in_page_get_keypad (p);
  const char        *wrong = _("That staff number and PIN do not match. Check both and try again.");

  mn_window_call_staff (mn_test_window);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_check_sizes ("staff called, with the staff sign-in button");
  mn_test_save_shot ("staff-called");
  act (GTK_WIDGET (mn_test_window), "win.staff-sign-in", NULL);
  g_assert_cmpstr (visible (), ==, "staff-sign-in");
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_check_sizes ("staff sign-in");
  mn_test_save_shot ("sign-in-number");

  type_on_keypad ("7");
  press_enter ();
  g_assert_true (mn_staff_sign_in_page_get_pin_step (p));
  g_assert_true (mn_keypad_get_secret (MN_KEYPAD (keypad)));
  g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_announce), said);
  g_signal_connect (mn_test_window, "announce-button", G_CALLBACK (on_announce_button), said);
  act (GTK_WIDGET (mn_test_window), "win.repeat", NULL);
  g_assert_nonnull (strstr (said->str, mn_staff_sign_in_page_get_speech (p)));
  type_on_keypad ("135");
  /* The room hears "typed", never the digits. */
  g_assert_null (strstr (said->str, "1"));
  g_assert_nonnull (strstr (said->str, _("Typed")));
  g_signal_handlers_disconnect_by_func (mn_test_window, on_announce, said);
  g_signal_handlers_disconnect_by_func (mn_test_window, on_announce_button, said);
  /* Dots on the glass, never the digits. */
  g_assert_true (has_label (keypad, "● ● ●", TRUE));
  g_assert_false (has_label (keypad, "135", FALSE));
  g_assert_false (has_label (keypad, "1 3 5", FALSE));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot ("sign-in-pin");
  type_on_keypad ("111111");
  press_enter ();

  g_assert_null (mn_staff_flow_get_account (flow));
  g_assert_cmpstr (visible (), ==, "staff-sign-in");
  g_assert_cmpstr (mn_staff_sign_in_page_get_message (p), ==, wrong);
  g_assert_false (mn_staff_sign_in_page_get_pin_step (p));
  g_assert_false (mn_keypad_get_secret (MN_KEYPAD (keypad)));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot ("sign-in-wrong");

  /* An unknown number reads the same. */
  type_on_keypad ("8");
  press_enter ();
  type_on_keypad (PIN);
  press_enter ();
  g_assert_cmpstr (mn_staff_sign_in_page_get_message (p), ==, wrong);
  g_assert_null (mn_staff_flow_get_account (flow));

  mn_window_reset_session (mn_test_window);

  /* A resident in the middle of something touches "Staff sign-in" by
   * mistake: Back raises the sign again, and cancelling the call returns
   * them to their page, not to the start screen. */
  act (GTK_WIDGET (mn_test_window), "win.show-page", g_variant_new_string ("progress-code"));
  answer_call ();
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_click (GTK_WIDGET (find_button ("flow-back")));
  g_assert_true (mn_window_get_staff_called (mn_test_window));
  mn_window_cancel_staff_call (mn_test_window);
  g_assert_cmpstr (visible (), ==, "progress-code");
  g_assert_null (mn_staff_sign_in_page_get_message (p));
  mn_window_reset_session (mn_test_window);
}

static gboolean
on_poll (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
on_pass (MnOutbox *outbox,
         gboolean *passed)
{
  *passed = TRUE;
}

/* The sync worker runs on its own thread; its result is in the store,
 * looked at after each of its passes (the outbox's "changed"). */
static void
wait_until_sent (void)
{
  MnOutbox *outbox = mn_application_get_outbox (mn_test_app);
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;
  gboolean passed = FALSE;
  gulong id;

  g_assert_nonnull (outbox);
  id = g_signal_connect (outbox, "changed", G_CALLBACK (on_pass), &passed);
  for (;;)
    {
      g_autoptr(GPtrArray) unsent = mn_store_outbox_list (store, NULL, NULL);
      gboolean tick = FALSE;
      guint timeout;

      if (unsent != NULL && unsent->len == 0)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      /* A pass, or at the latest a second (a pass can end before we
       * connected). */
      timeout = g_timeout_add (1000, on_poll, &tick);
      while (!passed && !tick)
        g_main_context_iteration (NULL, TRUE);
      if (!tick)
        g_source_remove (timeout);
      passed = FALSE;
    }
  g_signal_handler_disconnect (outbox, id);
}

static void
test_quarantine_page (void)
{
  MnQuarantinePage *q;
  gint64            id = quarantined_id ();
  const char       *path;
  g_autofree char  *text = NULL;
  GStatBuf          st;

  sign_in ("7", PIN);
  g_assert_nonnull (mn_staff_flow_get_account (flow));
  g_assert_cmpstr (mn_staff_flow_get_account (flow)->name, ==, "王芳");
  g_assert_cmpstr (visible (), ==, "staff-quarantine");
  wait_idle ();
  q = MN_QUARANTINE_PAGE (page ("staff-quarantine"));
  g_assert_cmpuint (mn_quarantine_page_get_n_items (q), ==, 1);
  /* The platform's reason, in full, on the glass. */
  g_assert_true (has_label (GTK_WIDGET (q), reason, TRUE));
  g_assert_true (has_label (GTK_WIDGET (q), "HTTP 400", TRUE));
  g_assert_true (has_label (GTK_WIDGET (q), _("New request"), TRUE));
  g_assert_true (has_label (GTK_WIDGET (q), "王芳", TRUE));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_check_sizes ("staff quarantine page");
  mn_test_check_drawn_contrast ("staff quarantine page");
  mn_test_save_shot ("quarantine");

  /* Export this one. */
  act (GTK_WIDGET (q), "quarantine.export", g_variant_new_int64 (id));
  wait_idle ();
  path = mn_staff_flow_get_last_export (flow);
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, export_dir));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, reason));
  g_assert_nonnull (strstr (text, case_code));
  g_assert_null (strstr (text, "13800138000"));
  g_assert_null (strstr (text, "张三"));
  g_assert_nonnull (strstr (mn_quarantine_page_get_status (q), path));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot ("quarantine-exported");

  /* Export all: a second, new file beside the first. */
  {
    g_autofree char *first = g_strdup (path);

    act (GTK_WIDGET (q), "quarantine.export-all", NULL);
    wait_idle ();
    path = mn_staff_flow_get_last_export (flow);
    g_assert_cmpstr (path, !=, first);
    g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (first, G_FILE_TEST_EXISTS));
  }

  /* Try again: back in the queue at once, then sent by the worker. */
  act (GTK_WIDGET (q), "quarantine.retry", g_variant_new_int64 (id));
  wait_idle ();
  g_assert_nonnull (strstr (mn_quarantine_page_get_status (q), "1"));
  {
    g_autoptr(GPtrArray) left = mn_store_outbox_list (store, "quarantined", NULL);

    g_assert_cmpuint (left->len, ==, 0);
  }
  wait_until_sent ();
  {
    g_autoptr(MnRequest) r = mn_store_lookup (store, case_code, NULL);

    g_assert_nonnull (r);
    g_assert_nonnull (r->platform_id);
  }
  g_assert_cmpuint (mn_quarantine_page_get_n_items (q), ==, 0);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot ("quarantine-retried");

  /* Sign out. */
  act (GTK_WIDGET (q), "quarantine.sign-out", NULL);
  g_assert_cmpstr (visible (), ==, "start");
  g_assert_null (mn_staff_flow_get_account (flow));
  g_assert_false (has_label (GTK_WIDGET (q), "王芳", FALSE));
}

static gboolean
on_visible_changed (gpointer data)
{
  return g_strcmp0 (visible (), "start") != 0;
}

static void
test_idle_signs_out (void)
{
  MnQuarantinePage *q;

  sign_in ("7", PIN);
  wait_idle ();
  g_assert_nonnull (mn_staff_flow_get_account (flow));
  q = MN_QUARANTINE_PAGE (page ("staff-quarantine"));
  g_assert_true (has_label (GTK_WIDGET (q), "王芳", TRUE));

  /* Nobody touches the kiosk: the session ends and the staff are out. */
  mn_window_set_idle_timeout (mn_test_window, 0.2, 0.2);
  mn_window_note_activity (mn_test_window);
  while (on_visible_changed (NULL))
    g_main_context_iteration (NULL, TRUE);
  mn_window_set_idle_timeout (mn_test_window, 0, 20);
  g_assert_null (mn_staff_flow_get_account (flow));
  g_assert_false (has_label (GTK_WIDGET (q), "王芳", FALSE));

  /* The page is closed again. */
  act (GTK_WIDGET (mn_test_window), "win.show-page", g_variant_new_string ("staff-quarantine"));
  wait_idle ();
  g_assert_cmpstr (visible (), ==, "staff-sign-in");
  mn_window_reset_session (mn_test_window);
}

static void
test_audit (void)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray)    bad = NULL;
  GString             *actions = g_string_new (NULL);
  gboolean             idle_sign_out = FALSE;
  gboolean             button_sign_out = FALSE;

  /* The last sign-out is written off the main loop: run until it is. */
  for (int tries = 0; tries < 100 && !idle_sign_out; tries++)
    {
      gboolean tick = FALSE;

      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = mn_audit_list (store, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < rows->len; i++)
        {
          MnAuditEntry *e = g_ptr_array_index (rows, i);

          if (g_strcmp0 (e->action, MN_AUDIT_SIGN_OUT) == 0 && e->detail != NULL)
            {
              idle_sign_out |= strstr (e->detail, "idle") != NULL;
              button_sign_out |= strcmp (e->detail, "signed out") == 0;
            }
        }
      g_timeout_add (50, on_poll, &tick);
      while (!tick && !idle_sign_out)
        g_main_context_iteration (NULL, TRUE);
    }
  g_assert_true (idle_sign_out);
  g_assert_true (button_sign_out);
  for (guint i = 0; i < rows->len; i++)
    {
      MnAuditEntry *e = g_ptr_array_index (rows, i);

      g_string_append_printf (actions, "%s:%s ", e->actor, e->action);
    }
  g_test_message ("audit: %s", actions->str);
  g_assert_nonnull (strstr (actions->str, "7:sign-in-failed"));
  g_assert_nonnull (strstr (actions->str, "8:sign-in-failed"));
  g_assert_nonnull (strstr (actions->str, "7:sign-in "));
  g_assert_nonnull (strstr (actions->str, "7:quarantine-view"));
  g_assert_nonnull (strstr (actions->str, "7:export 7:export"));
  g_assert_nonnull (strstr (actions->str, "7:retry"));
  g_string_free (actions, TRUE);

  bad = mn_audit_verify (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bad->len, ==, 0);
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

/* Runs tests/staff-ui-setup.py for a terminal in @data_dir. */
static gboolean
prepare_terminal (const char *data_dir)
{
  g_autofree char  *script = g_build_filename (g_getenv ("MINYIN_SOURCE_ROOT"), "tests",
                                               "staff-ui-setup.py", NULL);
  g_autofree char  *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char  *out = NULL;
  g_autofree char  *err = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv)     lines = NULL;
  int               status = 0;
  const char       *argv[] = { "/usr/bin/python3", script, data_dir, pid, NULL };

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     &error) ||
      !g_spawn_check_wait_status (status, &error))
    {
      g_printerr ("# the terminal could not be prepared: %s\n%s\n",
                  error != NULL ? error->message : "", err != NULL ? err : "");
      return FALSE;
    }
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "REASON "))
        reason = g_strdup (lines[i] + 7);
      else if (g_str_has_prefix (lines[i], "CODE "))
        case_code = g_strdup (lines[i] + 5);
    }
  return reason != NULL && case_code != NULL;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *data_dir = NULL;
  g_autofree char  *platform_dir = NULL;
  int               status;

  top_dir = g_dir_make_tmp ("minyin-staff-ui-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (top_dir, "terminal", NULL);
  platform_dir = g_strconcat (data_dir, "-platform", NULL);
  export_dir = g_build_filename (top_dir, "stick", NULL);

  /* Needs a display before anything is prepared. */
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_rmdir (top_dir);
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  if (!prepare_terminal (data_dir))
    {
      printf ("Bail out! the reference platform or the terminal could not be prepared\n");
      remove_tree (top_dir);
      return 1;
    }
  g_setenv ("MINYIN_TEST_DATA_DIR", data_dir, TRUE);
  if (!mn_test_ui_init (&argc, &argv, "staff"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  flow = mn_application_get_staff_flow (mn_test_app);
  g_assert_nonnull (flow);
  store = mn_filing_flow_get_store (mn_application_get_filing_flow (mn_test_app));
  g_assert_nonnull (store);
  g_assert_nonnull (mn_application_get_settings (mn_test_app));
  g_settings_set_string (mn_application_get_settings (mn_test_app), "export-dir", export_dir);
  /* Only the idle test uses the clock. */
  mn_window_set_idle_timeout (mn_test_window, 0, 20);

  g_test_add_func ("/staff/no-way-in", test_no_way_in);
  g_test_add_func ("/staff/wrong-pin", test_wrong_pin);
  g_test_add_func ("/staff/quarantine-page", test_quarantine_page);
  g_test_add_func ("/staff/idle-signs-out", test_idle_signs_out);
  g_test_add_func ("/staff/audit", test_audit);

  status = g_test_run ();
  mn_test_ui_shutdown ();
  remove_tree (platform_dir);
  remove_tree (top_dir);
  g_free (top_dir);
  g_free (export_dir);
  return status;
}
