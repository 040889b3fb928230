/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Asking about progress and rating (app/mn-inquiry.h, app/mn-rating.h and
 * their store jobs): the same answer for a wrong code and wrong digits,
 * at the same time; the lock-out, its growth and its survival across a
 * restart; anonymous cases; the timeline; one rating per round;
 * re-opening and escalation with their outbox messages. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-i18n.h"
#include "mn-inquiry.h"
#include "mn-rating.h"
#include "mn-store.h"

typedef struct
{
  char    *dir;
  MnStore *store;
  gint64   now;
} Fixture;

static void
remove_tree (const char *path)
{
  GDir       *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  if (dir != NULL)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("minyin-inquiry-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
  f->now = g_get_real_time () / G_USEC_PER_SEC;
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static gint64
fixture_clock (gpointer data)
{
  return ((Fixture *) data)->now;
}

static MnRequest *
file_one (Fixture    *f,
          const char *phone)
{
  g_autoptr(MnRequest) r = mn_request_new ();
  g_autoptr(MnContact) c = phone != NULL ? mn_contact_new (NULL, phone) : NULL;
  g_autoptr(GError)    error = NULL;

  r->service_code = g_strdup ("lifts");
  r->description = g_strdup ("电梯停了两天");
  r->consent = TRUE;
  g_assert_true (mn_store_file_request (f->store, r, c, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&r);
}

static void
sql (Fixture    *f,
     const char *statement)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (mn_store_get_path (f->store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, statement, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
sql_int (Fixture    *f,
         const char *query)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        value = -1;

  g_assert_cmpint (sqlite3_open (mn_store_get_path (f->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, query, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

/* ---- pure rules ---- */

static void
test_lockout_growth (void)
{
  g_assert_cmpint (mn_inquiry_lockout_seconds (1), ==, 60);
  g_assert_cmpint (mn_inquiry_lockout_seconds (2), ==, 120);
  g_assert_cmpint (mn_inquiry_lockout_seconds (3), ==, 240);
  g_assert_cmpint (mn_inquiry_lockout_seconds (7), ==, 3600);
  g_assert_cmpint (mn_inquiry_lockout_seconds (60), ==, 3600);
}

static void
test_code_hint (void)
{
  g_autoptr(GDateTime) today = g_date_time_new_local (2026, 11, 28, 10, 0, 0);
  g_autofree char *code = mn_case_code_build ("3302", "01", today, 17, NULL);
  char bad[MN_CASE_CODE_DIGITS + 1];
  g_autofree char *msg = NULL;

  g_assert_nonnull (code);
  g_assert_null (mn_inquiry_check_code (code, "3302", "01", today));
  /* Something else (a platform case number) is for the store to judge. */
  g_assert_null (mn_inquiry_check_code ("4711", "3302", "01", today));
  g_assert_nonnull (mn_inquiry_check_code ("", "3302", "01", today));

  /* A wrong day (28 → 38): only a repair inside the date is plausible. */
  memcpy (bad, code, sizeof bad);
  bad[10] = '3';
  if (mn_case_code_check_digit (bad, MN_CASE_CODE_DIGITS) != 0)
    {
      g_assert_cmpuint (mn_inquiry_code_hint (bad, "3302", "01", today), ==, MN_CODE_GROUP_DATE);
      msg = mn_inquiry_check_code (bad, "3302", "01", today);
      g_assert_nonnull (strstr (msg, "261138"));
      g_clear_pointer (&msg, g_free);
    }

  /* A wrong station digit: the station must be this terminal's. */
  memcpy (bad, code, sizeof bad);
  bad[1] = '4';
  g_assert_cmpuint (mn_inquiry_code_hint (bad, "3302", "01", today), ==, MN_CODE_GROUP_STATION);

  /* Honesty: whatever single digit is wrong, a hint never leaves out the
   * group where it really is. */
  for (guint i = 0; i < MN_CASE_CODE_DIGITS; i++)
    for (char d = '0'; d <= '9'; d++)
      {
        static const guint group_of[] = { 0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 4 };
        guint hint;

        if (d == code[i])
          continue;
        memcpy (bad, code, sizeof bad);
        bad[i] = d;
        hint = mn_inquiry_code_hint (bad, "3302", "01", today);
        g_assert_true (hint == 0 || (hint & (1u << group_of[i])) != 0);
      }
  memcpy (bad, code, sizeof bad);
  bad[15] = bad[15] == '7' ? '8' : '7';
  msg = mn_inquiry_check_code (bad, "3302", "01", today);
  g_assert_nonnull (msg);
}

/* ---- the store's checks ---- */

static void
test_same_answer (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(MnRequest) r = file_one (f, "13800138000");
  g_autoptr(MnRequest) other = file_one (f, "13900139000");
  g_autoptr(MnInquiry) inquiry = mn_inquiry_new (f->store);
  g_autofree char     *unknown = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_now_local ();
  double               t_code[4], t_phone[4];
  char                *first_message = NULL;

  /* A well-formed code that was never issued here. */
  unknown = mn_case_code_build ("0000", "00", day, 9999, NULL);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GError) e1 = NULL;
      g_autoptr(GError) e2 = NULL;
      g_autoptr(MnCaseView) v1 = NULL;
      g_autoptr(MnCaseView) v2 = NULL;
      gint64 t0;

      t0 = g_get_monotonic_time ();
      v1 = mn_inquiry_open (inquiry, unknown, "8000", &e1);
      t_code[i] = (g_get_monotonic_time () - t0) / 1000.0;
      t0 = g_get_monotonic_time ();
      v2 = mn_inquiry_open (inquiry, r->case_code, "9000", &e2);
      t_phone[i] = (g_get_monotonic_time () - t0) / 1000.0;

      g_assert_null (v1);
      g_assert_null (v2);
      g_assert_error (e1, MN_STORE_ERROR, MN_STORE_ERROR_NO_MATCH);
      g_assert_error (e2, MN_STORE_ERROR, MN_STORE_ERROR_NO_MATCH);
      g_assert_cmpstr (e1->message, ==, e2->message);
      if (first_message == NULL)
        first_message = g_strdup (e1->message);
      g_assert_cmpstr (e1->message, ==, first_message);

      /* Never sooner than the floor, never much later. */
      g_assert_cmpfloat (t_code[i], >=, MN_INQUIRY_ANSWER_FLOOR_MS);
      g_assert_cmpfloat (t_phone[i], >=, MN_INQUIRY_ANSWER_FLOOR_MS);
      g_assert_cmpfloat (t_code[i], <, MN_INQUIRY_ANSWER_FLOOR_MS + 150);
      g_assert_cmpfloat (t_phone[i], <, MN_INQUIRY_ANSWER_FLOOR_MS + 150);
      g_assert_cmpfloat (ABS (t_code[i] - t_phone[i]), <, 60);

      /* A success in between, so the lock-out never starts here. */
      {
        g_autoptr(MnCaseView) ok = mn_inquiry_open (inquiry, r->case_code, "8000", NULL);
        g_assert_nonnull (ok);
      }
    }
  g_test_message ("wrong code %.1f ms, wrong digits %.1f ms (first round)", t_code[0], t_phone[0]);

  /* Under the floor: the store's own work for the two, for the record
   * (both unseal a contact and write the counter; fsync dominates). */
  {
    double raw_code = 0, raw_phone = 0;

    for (guint i = 0; i < 8; i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        g_autoptr(MnCaseView) a = mn_store_open_case (f->store, unknown, "8000", f->now, NULL);
        g_autoptr(MnCaseView) b = NULL;
        g_autoptr(MnCaseView) ok = NULL;

        raw_code += (g_get_monotonic_time () - t0) / 1000.0;
        t0 = g_get_monotonic_time ();
        b = mn_store_open_case (f->store, r->case_code, "9000", f->now, NULL);
        raw_phone += (g_get_monotonic_time () - t0) / 1000.0;
        ok = mn_store_open_case (f->store, r->case_code, "8000", f->now, NULL);
        g_assert_nonnull (ok);
      }
    g_test_message ("store alone, mean of 8: wrong code %.2f ms, wrong digits %.2f ms",
                    raw_code / 8, raw_phone / 8);
  }
  g_free (first_message);
}

static void
test_open_and_timeline (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(MnRequest)  r = file_one (f, "13800138000");
  g_autoptr(MnCaseView) view = NULL;
  g_autoptr(GPtrArray)  timeline = NULL;
  g_autoptr(GError)     error = NULL;
  g_autofree char      *speech = NULL;
  g_autofree char      *display = mn_case_code_format (r->case_code);
  gboolean              overdue = FALSE;

  view = mn_store_open_case (f->store, display, "8000", f->now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (view->request->uuid, ==, r->uuid);
  g_assert_cmpstr (view->request->contact_hint, ==, "138****8000");
  g_assert_cmpuint (view->round, ==, 1);
  g_assert_false (view->rated);

  /* Sent, with an agency and an expected date already past, seen at the
   * last contact: overdue in words, and "as of". */
  {
    g_autofree char *s = g_strdup_printf (
      "UPDATE requests SET platform_id = 'P-77', status = 'in_progress', agency = '物业公司', "
      "expected_at = %" G_GINT64_FORMAT ", status_notes = '已派维修工' WHERE uuid = '%s';"
      "INSERT INTO events (request_id, at, kind, detail) SELECT id, %" G_GINT64_FORMAT
      ", 'sent', 'P-77' FROM requests WHERE uuid = '%s';"
      "INSERT INTO meta (key, value) VALUES ('sync.last_contact', '%" G_GINT64_FORMAT "');",
      f->now - 3600, r->uuid, f->now - 7200, r->uuid, f->now - 600);
    sql (f, s);
  }
  g_clear_pointer (&view, mn_case_view_free);
  /* The platform's case number works as well. */
  view = mn_store_open_case (f->store, "P-77", "8000", f->now, &error);
  g_assert_no_error (error);
  g_assert_cmpint (view->last_contact, ==, f->now - 600);
  timeline = mn_inquiry_build_timeline (view, f->now);
  for (guint i = 0; i < timeline->len; i++)
    {
      MnTimelineEntry *e = g_ptr_array_index (timeline, i);

      g_test_message ("%s", e->text);
      if (e->kind == MN_TIMELINE_OVERDUE)
        overdue = e->warning;
    }
  g_assert_true (overdue);
  g_assert_cmpint (((MnTimelineEntry *) g_ptr_array_index (timeline, timeline->len - 1))->kind,
                   ==, MN_TIMELINE_AS_OF);
  speech = mn_inquiry_timeline_speech (view, timeline);
  g_assert_nonnull (strstr (speech, "物业公司"));
}

static void
test_anonymous (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(MnRequest)  r = file_one (f, NULL);
  g_autoptr(MnCaseView) v1 = NULL;
  g_autoptr(MnCaseView) v2 = NULL;
  g_autoptr(GError)     error = NULL;

  v1 = mn_store_open_case (f->store, r->case_code, NULL, f->now, &error);
  g_assert_no_error (error);
  g_assert_true (v1->request->anonymous);
  g_assert_null (v1->request->contact_hint);
  v2 = mn_store_open_case (f->store, r->case_code, "1234", f->now, &error);
  g_assert_no_error (error);
  g_assert_null (v2->request->contact_hint);
}

static void
test_lockout (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(MnRequest) r = file_one (f, "13800138000");
  g_autoptr(GError)    error = NULL;
  gint64               until = 0;
  guint                failures = 0, lockouts = 0;

  for (guint round = 1; round <= 3; round++)
    {
      for (guint i = 0; i < MN_INQUIRY_MAX_FAILURES; i++)
        {
          g_autoptr(MnCaseView) v = mn_store_open_case (f->store, r->case_code, "0000", f->now,
                                                        &error);
          g_assert_null (v);
          if (i + 1 < MN_INQUIRY_MAX_FAILURES)
            g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NO_MATCH);
          else
            g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_LOCKED);
          g_clear_error (&error);
        }
      g_assert_true (mn_store_get_inquiry_guard (f->store, &until, &failures, &lockouts, NULL));
      g_assert_cmpuint (lockouts, ==, round);
      g_assert_cmpint (until - f->now, ==, mn_inquiry_lockout_seconds (round));

      /* Locked: even the right digits are not checked. */
      {
        g_autoptr(MnCaseView) v = mn_store_open_case (f->store, r->case_code, "8000",
                                                      until - 1, &error);
        g_assert_null (v);
        g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_LOCKED);
        g_clear_error (&error);
      }

      /* A restart does not lift it. */
      g_clear_object (&f->store);
      f->store = mn_store_open (f->dir, &error);
      g_assert_no_error (error);
      {
        g_autoptr(MnCaseView) v = mn_store_open_case (f->store, r->case_code, "8000",
                                                      until - 1, &error);
        g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_LOCKED);
        g_clear_error (&error);
      }
      f->now = until;
    }

  /* Once the time is over, the right digits open the case. */
  {
    g_autoptr(MnCaseView) v = mn_store_open_case (f->store, r->case_code, "8000", f->now, &error);
    g_assert_no_error (error);
    g_assert_nonnull (v);
  }
  /* And a day without failures forgets the lock-outs. */
  f->now += MN_INQUIRY_LOCKOUT_MEMORY + 1;
  {
    g_autoptr(MnCaseView) v = mn_store_open_case (f->store, r->case_code, "0000", f->now, &error);
    g_clear_error (&error);
  }
  g_assert_true (mn_store_get_inquiry_guard (f->store, &until, &failures, &lockouts, NULL));
  g_assert_cmpuint (lockouts, ==, 0);
  g_assert_cmpuint (failures, ==, 1);
}

/* The async path the kiosk uses, with a moved clock. */
static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(MnCaseView) view = mn_inquiry_open_finish (MN_INQUIRY (source), result, error);

  if (*error == NULL)
    g_assert_nonnull (view);
  g_main_context_wakeup (NULL);
}

static void
test_async_clock (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(MnRequest) r = file_one (f, "13800138000");
  g_autoptr(MnInquiry) inquiry = mn_inquiry_new (f->store);

  mn_inquiry_set_clock (inquiry, fixture_clock, f);
  mn_inquiry_set_floor_ms (inquiry, 0);
  for (guint i = 0; i <= MN_INQUIRY_MAX_FAILURES; i++)
    {
      GError *error = NULL;
      gboolean done = FALSE;

      mn_inquiry_open_async (inquiry, r->case_code, i < MN_INQUIRY_MAX_FAILURES ? "1111" : "8000",
                             NULL, on_opened, &error);
      while (error == NULL && !done)
        {
          g_main_context_iteration (NULL, TRUE);
          /* on_opened either set an error or asserted a view. */
          done = TRUE;
          while (g_main_context_pending (NULL))
            g_main_context_iteration (NULL, FALSE);
        }
      if (i < MN_INQUIRY_MAX_FAILURES)
        g_assert_nonnull (error);
      else
        g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_LOCKED);
      g_clear_error (&error);
    }
  /* Moving the clock past the lock-out opens the case again. */
  f->now += mn_inquiry_lockout_seconds (1);
  {
    GError *error = NULL;

    mn_inquiry_open_async (inquiry, r->case_code, "8000", NULL, on_opened, &error);
    g_main_context_iteration (NULL, TRUE);
    while (g_main_context_pending (NULL))
      g_main_context_iteration (NULL, FALSE);
    g_assert_no_error (error);
  }
}

static guint
count_updates (Fixture *f,
               char   **last_payload)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint         n = 0;

  g_assert_cmpint (sqlite3_open (mn_store_get_path (f->store), &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT payload FROM outbox WHERE kind = 'update' "
                                           "ORDER BY id", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      n++;
      if (last_payload != NULL)
        {
          g_free (*last_payload);
          *last_payload = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
        }
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static void
close_case (Fixture   *f,
            MnRequest *r)
{
  g_autofree char *s = g_strdup_printf ("UPDATE requests SET status = 'closed' WHERE uuid = '%s'",
                                        r->uuid);
  sql (f, s);
}

static void
test_rating_rounds (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(MnRequest) r = file_one (f, "13800138000");
  g_autoptr(MnRating)  happy = mn_rating_new (TRUE, MN_SATISFACTION_SATISFIED);
  g_autoptr(MnRating)  unhappy = mn_rating_new (FALSE, MN_SATISFACTION_UNSATISFIED);
  g_autoptr(MnRating)  silent = mn_rating_new (TRUE, MN_SATISFACTION_UNSATISFIED);
  g_autoptr(GError)    error = NULL;
  g_autofree char     *payload = NULL;
  g_autofree char     *uuid_q = NULL;

  g_assert_true (mn_rating_add_reason (unhappy, "not-fixed", NULL));
  g_assert_true (mn_rating_add_reason (unhappy, "楼道里还是很臭", NULL));
  g_assert_cmpuint (unhappy->reasons->len, ==, 2);

  /* An unhappy rating without a reason is refused before anything. */
  g_assert_false (mn_rating_validate (silent, NULL));
  close_case (f, r);
  g_assert_null (mn_store_rate_case (f->store, r->case_code, "8000", silent, f->now, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Wrong digits: the same answer as for asking, nothing stored. */
  g_assert_null (mn_store_rate_case (f->store, r->case_code, "8001", unhappy, f->now, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NO_MATCH);
  g_clear_error (&error);
  g_assert_cmpuint (count_updates (f, NULL), ==, 0);

  /* Round 1, unhappy: re-opened at once, one update, no escalation. */
  {
    g_autoptr(MnCaseView) v = mn_store_rate_case (f->store, r->case_code, "8000", unhappy,
                                                  f->now, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (v->request->status, ==, MN_STATUS_REOPENED);
    g_assert_cmpuint (v->round, ==, 2);
    g_assert_false (v->escalated);
  }
  g_assert_cmpuint (count_updates (f, &payload), ==, 1);
  {
    g_autoptr(JsonParser) p = json_parser_new ();
    JsonObject *o;

    g_assert_true (json_parser_load_from_data (p, payload, -1, NULL));
    o = json_node_get_object (json_parser_get_root (p));
    g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "REOPEN");
    g_assert_false (json_object_get_boolean_member (o, "escalated"));
    g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (o, "update_id")));
    g_assert_nonnull (strstr (json_object_get_string_member (o, "description"), "楼道里还是很臭"));
  }

  /* Not closed now: cannot be rated; still one update. */
  g_assert_null (mn_store_rate_case (f->store, r->case_code, "8000", happy, f->now, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_CLOSED);
  g_clear_error (&error);

  /* The status pull shows it closed again while our update still waits
   * in the outbox: that closure cannot be rated (nor escalate). */
  close_case (f, r);
  g_assert_null (mn_store_rate_case (f->store, r->case_code, "8000", unhappy, f->now, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_ALREADY_RATED);
  g_clear_error (&error);
  g_assert_cmpuint (count_updates (f, NULL), ==, 1);
  sql (f, "UPDATE outbox SET state = 'sent' WHERE kind = 'update'");

  /* Closed again after re-handling; round 2 rated unhappy: escalated. */
  {
    g_autoptr(MnCaseView) v = mn_store_rate_case (f->store, r->case_code, "8000", unhappy,
                                                  f->now + 10, &error);
    gboolean seen = FALSE;

    g_assert_no_error (error);
    g_assert_true (v->escalated);
    g_assert_cmpuint (v->round, ==, 3);
    for (guint i = 0; i < v->events->len; i++)
      if (g_strcmp0 (((MnEvent *) g_ptr_array_index (v->events, i))->kind, "escalated") == 0)
        seen = TRUE;
    g_assert_true (seen);
  }
  g_assert_cmpuint (count_updates (f, &payload), ==, 2);
  g_assert_nonnull (strstr (payload, "\"escalated\":true"));

  /* Round 3: satisfied is queued as feedback, status unchanged; then the
   * round is rated and a second rating is refused. */
  sql (f, "UPDATE outbox SET state = 'sent' WHERE kind = 'update'");
  close_case (f, r);
  {
    g_autoptr(MnCaseView) v = mn_store_rate_case (f->store, r->case_code, "8000", happy,
                                                  f->now + 20, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (v->request->status, ==, MN_STATUS_CLOSED);
    g_assert_true (v->rated);
  }
  g_assert_cmpuint (count_updates (f, &payload), ==, 3);
  g_assert_nonnull (strstr (payload, "\"status\":\"CLOSED\""));
  g_assert_null (mn_store_rate_case (f->store, r->case_code, "8000", unhappy, f->now, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_ALREADY_RATED);
  g_assert_cmpuint (count_updates (f, NULL), ==, 3);
  uuid_q = g_strdup_printf ("SELECT count(*) FROM ratings r JOIN requests q ON q.id = "
                            "r.request_id WHERE q.uuid = '%s'", r->uuid);
  g_assert_cmpint (sql_int (f, uuid_q), ==, 3);
}

/* A store made before ratings existed (format 1) is migrated and its
 * cases can be asked about: every old case is in its first round. */
static void
test_migrated_store (void)
{
  g_autofree char      *fixture = g_build_filename (SOURCE_ROOT, "tests", "data", "store-v1.sql",
                                                    NULL);
  g_autofree char      *sql_text = NULL;
  g_autofree char      *dir = g_dir_make_tmp ("minyin-inquiry-v1-XXXXXX", NULL);
  g_autofree char      *path = g_build_filename (dir, "minyin.db", NULL);
  g_autoptr(MnStore)    store = NULL;
  g_autoptr(MnCaseView) view = NULL;
  g_autoptr(GError)     error = NULL;
  sqlite3              *db = NULL;

  g_assert_true (g_file_get_contents (fixture, &sql_text, NULL, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql_text, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  store = mn_store_open (dir, &error);
  g_assert_no_error (error);
  /* Anonymous in the fixture: the code alone opens it. */
  view = mn_store_open_case (store, "0000-42-261127-0001-7", NULL,
                             g_get_real_time () / G_USEC_PER_SEC, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (view->round, ==, 1);
  g_assert_false (view->rated);
  g_clear_object (&store);
  remove_tree (dir);
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  mn_i18n_init ();

  g_test_add_func ("/inquiry/lockout-growth", test_lockout_growth);
  g_test_add_func ("/inquiry/code-hint", test_code_hint);
  g_test_add_func ("/inquiry/migrated-store", test_migrated_store);
  g_test_add ("/inquiry/same-answer", Fixture, NULL, setup, test_same_answer, teardown);
  g_test_add ("/inquiry/open-and-timeline", Fixture, NULL, setup, test_open_and_timeline, teardown);
  g_test_add ("/inquiry/anonymous", Fixture, NULL, setup, test_anonymous, teardown);
  g_test_add ("/inquiry/lockout", Fixture, NULL, setup, test_lockout, teardown);
  g_test_add ("/inquiry/async-clock", Fixture, NULL, setup, test_async_clock, teardown);
  g_test_add ("/inquiry/rating-rounds", Fixture, NULL, setup, test_rating_rounds, teardown);

  return g_test_run ();
}
