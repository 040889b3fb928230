/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The kiosk's "ask about progress" and "rate a closed case" flows on a
 * real (virtual) display, driven through their actions as a finger
 * would: a typo the check digit shows, the same answer for a wrong code
 * and wrong phone digits, the timeline, an anonymous case, a rating that
 * re-opens the case with one queued update, the lock-out after five
 * failures (with a moved clock), and the wipe on reset. Screenshots of
 * every page go to BUILD/screenshots/<language>/progress/. */
#include "config.h"

#include <glib/gi18n.h>
#include <sqlite3.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-case-entry-page.h"
#include "mn-case-timeline-page.h"
#include "mn-keypad.h"
#include "mn-progress-flow.h"
#include "mn-rating-page.h"
#include "mn-start-page.h"
#include "mn-test-ui.h"

static MnProgressFlow *flow;
static MnStore *store;
static gint64 fake_now;

static gint64
fake_clock (gpointer data)
{
  return fake_now;
}

static void
wait_idle (void)
{
  while (mn_progress_flow_get_busy (flow))
    g_main_context_iteration (NULL, TRUE);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static GtkWidget *
page (const char *name)
{
  GtkWidget *p = mn_progress_flow_get_page (flow, name);

  g_assert_nonnull (p);
  return p;
}

static void
act (GtkWidget  *w,
     const char *action,
     const char *target)
{
  g_assert_true (gtk_widget_activate_action (w, action, target != NULL ? "s" : NULL, target));
}

static void
type_digits (const char *name,
             const char *digits)
{
  GtkWidget *keypad = mn_case_entry_page_get_keypad (MN_CASE_ENTRY_PAGE (page (name)));

  act (keypad, "keypad.clear", NULL);
  for (const char *p = digits; *p != '\0'; p++)
    {
      char d[2] = { *p, '\0' };

      act (keypad, "keypad.digit", d);
    }
  act (keypad, "keypad.enter", NULL);
  wait_idle ();
}

static void
show_page (const char *name)
{
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (mn_test_window), "win.show-page", "s",
                                             name));
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, name);
}

static const char *
message_of (const char *name)
{
  return mn_case_entry_page_get_message (MN_CASE_ENTRY_PAGE (page (name)));
}

static MnRequest *
file_one (const char *phone)
{
  g_autoptr(MnRequest) r = mn_request_new ();
  g_autoptr(MnContact) c = phone != NULL ? mn_contact_new (NULL, phone) : NULL;
  g_autoptr(GError)    error = NULL;

  r->service_code = g_strdup ("lifts");
  r->description = g_strdup ("3号楼电梯停了两天");
  r->consent = TRUE;
  g_assert_true (mn_store_file_request (store, r, c, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&r);
}

static void
sql (const char *statement)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (mn_store_get_path (store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, statement, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
sql_int (const char *query)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        value = -1;

  g_assert_cmpint (sqlite3_open (mn_store_get_path (store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
test_progress (void)
{
  g_autoptr(MnRequest) r = file_one ("13800138000");
  g_autoptr(GDateTime) day = g_date_time_new_now_local ();
  g_autofree char     *unknown = mn_case_code_build ("0000", "00", day, 9999, NULL);
  g_autofree char     *typo = g_strdup (r->case_code);
  g_autofree char     *wrong_code_message = NULL;

  g_assert_nonnull (mn_start_page_get_button (MN_START_PAGE (mn_window_get_start_page (mn_test_window)),
                                              "progress"));
  mn_test_save_shot ("start");

  show_page ("progress-code");
  mn_test_save_shot ("progress-code");
  mn_test_check_sizes ("progress-code");

  /* A wrong day in the date: the check digit says where to look. */
  typo[10] = typo[10] == '3' ? '4' : '3';
  if (mn_case_code_check_digit (typo, MN_CASE_CODE_DIGITS) != 0)
    {
      type_digits ("progress-code", typo);
      g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "progress-code");
      g_assert_nonnull (message_of ("progress-code"));
      mn_test_save_shot ("progress-code-hint");
    }

  /* An unknown code, then wrong digits: the same words. */
  type_digits ("progress-code", unknown);
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "progress-phone");
  mn_test_save_shot ("progress-phone");
  mn_test_check_sizes ("progress-phone");
  type_digits ("progress-phone", "8000");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "progress-code");
  wrong_code_message = g_strdup (message_of ("progress-code"));
  g_assert_nonnull (wrong_code_message);
  mn_test_save_shot ("progress-no-match");

  type_digits ("progress-code", r->case_code);
  type_digits ("progress-phone", "9000");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "progress-code");
  g_assert_cmpstr (message_of ("progress-code"), ==, wrong_code_message);

  /* Too few digits: said, and not counted. */
  type_digits ("progress-code", r->case_code);
  type_digits ("progress-phone", "80");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "progress-phone");
  g_assert_nonnull (message_of ("progress-phone"));

  /* Right: the timeline, with an agency and an overdue date. */
  {
    g_autofree char *s = g_strdup_printf (
      "UPDATE requests SET platform_id = '12345-678', status = 'in_progress', "
      "agency = '幸福里物业服务中心', expected_at = %" G_GINT64_FORMAT ", "
      "status_notes = '已派维修人员，等待电梯配件' WHERE uuid = '%s';"
      "INSERT INTO events (request_id, at, kind, detail) SELECT id, %" G_GINT64_FORMAT
      ", 'sent', '12345-678' FROM requests WHERE uuid = '%s';"
      "INSERT OR REPLACE INTO meta (key, value) VALUES ('sync.last_contact', '%" G_GINT64_FORMAT
      "');",
      fake_now - 3600, r->uuid, fake_now - 86400, r->uuid, fake_now - 900);
    sql (s);
  }
  type_digits ("progress-phone", "8000");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "case-result");
  g_assert_cmpuint (mn_case_timeline_page_count_lines (MN_CASE_TIMELINE_PAGE (page ("case-result"))),
                    >=, 5);
  mn_test_save_shot ("progress-result");
  mn_test_check_sizes ("progress-result");

  act (page ("case-result"), "timeline.done", NULL);
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "start");
  g_assert_cmpuint (mn_case_timeline_page_count_lines (MN_CASE_TIMELINE_PAGE (page ("case-result"))),
                    ==, 0);
}

static void
test_anonymous (void)
{
  g_autoptr(MnRequest) r = file_one (NULL);

  show_page ("progress-code");
  type_digits ("progress-code", r->case_code);
  act (page ("progress-phone"), "case-entry.no-phone", NULL);
  wait_idle ();
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "case-result");
  mn_test_save_shot ("progress-anonymous");
  mn_window_reset_session (mn_test_window);
}

static void
test_rate (void)
{
  g_autoptr(MnRequest) r = file_one ("13912345678");
  g_autofree char     *q = NULL;

  /* Not closed: told so, with the timeline. */
  show_page ("rate-code");
  mn_test_save_shot ("rate-code");
  type_digits ("rate-code", r->case_code);
  type_digits ("rate-phone", "5678");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "case-result");
  mn_test_save_shot ("rate-not-closed");
  mn_window_reset_session (mn_test_window);

  q = g_strdup_printf ("UPDATE requests SET status = 'closed', agency = '幸福里物业服务中心' "
                       "WHERE uuid = '%s'", r->uuid);
  sql (q);
  show_page ("rate-code");
  type_digits ("rate-code", r->case_code);
  type_digits ("rate-phone", "5678");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "rate");
  g_assert_cmpstr (mn_rating_page_get_view (MN_RATING_PAGE (page ("rate"))), ==, "questions");
  mn_test_save_shot ("rate-questions");
  mn_test_check_sizes ("rate-questions");

  /* Next without answers: told what is missing. */
  act (page ("rate"), "rating.next", NULL);
  g_assert_cmpstr (mn_rating_page_get_view (MN_RATING_PAGE (page ("rate"))), ==, "questions");

  act (page ("rate"), "rating.solved", "no");
  act (page ("rate"), "rating.satisfaction", "unsatisfied");
  mn_test_save_shot ("rate-questions-answered");
  act (page ("rate"), "rating.next", NULL);
  g_assert_cmpstr (mn_rating_page_get_view (MN_RATING_PAGE (page ("rate"))), ==, "reasons");
  act (page ("rate"), "rating.reason", "not-fixed");
  act (page ("rate"), "rating.reason", "came-back");
  mn_test_save_shot ("rate-reasons");
  mn_test_check_sizes ("rate-reasons");
  act (page ("rate"), "rating.send", NULL);
  wait_idle ();
  g_assert_cmpstr (mn_rating_page_get_view (MN_RATING_PAGE (page ("rate"))), ==, "thanks");
  mn_test_save_shot ("rate-thanks");

  g_clear_pointer (&q, g_free);
  q = g_strdup_printf ("SELECT count(*) FROM outbox o JOIN requests r ON r.id = o.request_id "
                       "WHERE r.uuid = '%s' AND o.kind = 'update' AND r.status = 'reopened'",
                       r->uuid);
  g_assert_cmpint (sql_int (q), ==, 1);

  act (page ("rate"), "rating.done", NULL);
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "start");
  g_assert_cmpstr (mn_rating_page_get_view (MN_RATING_PAGE (page ("rate"))), ==, "questions");
}

static void
test_lockout (void)
{
  g_autoptr(MnRequest) r = file_one ("13800001111");
  g_autofree char     *no_match = NULL;

  show_page ("progress-code");
  for (guint i = 0; i < MN_INQUIRY_MAX_FAILURES; i++)
    {
      type_digits ("progress-code", r->case_code);
      type_digits ("progress-phone", "2222");
      g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "progress-code");
      if (no_match == NULL)
        no_match = g_strdup (message_of ("progress-code"));
    }
  /* The fifth failure locks: another sentence, and now even the right
   * digits are refused. */
  g_assert_cmpstr (message_of ("progress-code"), !=, no_match);
  mn_test_save_shot ("progress-locked");
  type_digits ("progress-code", r->case_code);
  type_digits ("progress-phone", "1111");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "progress-code");
  g_assert_cmpstr (message_of ("progress-code"), !=, no_match);

  /* A minute later the right digits open it. */
  fake_now += mn_inquiry_lockout_seconds (1);
  type_digits ("progress-code", r->case_code);
  type_digits ("progress-phone", "1111");
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "case-result");
  mn_window_reset_session (mn_test_window);
}

static void
test_reset_wipes (void)
{
  g_autoptr(MnRequest) r = file_one ("13800002222");
  GtkWidget *keypad;

  show_page ("progress-code");
  type_digits ("progress-code", r->case_code);
  keypad = mn_case_entry_page_get_keypad (MN_CASE_ENTRY_PAGE (page ("progress-phone")));
  act (keypad, "keypad.digit", "2");
  act (keypad, "keypad.digit", "2");
  mn_window_reset_session (mn_test_window);

  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, "start");
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (keypad)), ==, "");
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (mn_case_entry_page_get_keypad (
                     MN_CASE_ENTRY_PAGE (page ("progress-code"))))), ==, "");
  g_assert_null (message_of ("progress-code"));
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (!mn_test_ui_init (&argc, &argv, "progress"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  flow = mn_application_get_progress_flow (mn_test_app);
  g_assert_nonnull (flow);
  g_assert_nonnull (mn_progress_flow_get_inquiry (flow));
  store = mn_inquiry_get_store (mn_progress_flow_get_inquiry (flow));
  fake_now = g_get_real_time () / G_USEC_PER_SEC;
  mn_inquiry_set_clock (mn_progress_flow_get_inquiry (flow), fake_clock, NULL);
  /* The floor itself is tested in test-inquiry; here it only slows down. */
  mn_inquiry_set_floor_ms (mn_progress_flow_get_inquiry (flow), 20);

  g_test_add_func ("/progress/ask", test_progress);
  g_test_add_func ("/progress/anonymous", test_anonymous);
  g_test_add_func ("/progress/rate", test_rate);
  g_test_add_func ("/progress/lockout", test_lockout);
  g_test_add_func ("/progress/reset-wipes", test_reset_wipes);

  status = g_test_run ();
  mn_test_ui_shutdown ();
  return status;
}
