/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's side of sync (app/mn-store-sync.c): claims oldest first per
 * kind, a stuck message never blocks the rest, "sent" only together with
 * the platform id, doubt survives a crash, quarantine and requeue, status
 * pull-back with its event. */
#include "config.h"

#include "mn-rating.h"
#include "mn-store-sync.h"

typedef struct
{
  char    *dir;
  MnStore *store;
} Fixture;

static char *
file_one (MnStore    *store,
          const char *description)
{
  g_autoptr(MnRequest) r = mn_request_new ();
  g_autoptr(GError)    error = NULL;

  r->service_code = g_strdup ("noise");
  r->description = g_strdup (description);
  r->address_text = g_strdup ("幸福小区 3 号楼");
  g_assert_true (mn_store_file_request (store, r, NULL, &error));
  g_assert_no_error (error);
  return g_strdup (r->uuid);
}

static void
set_up (Fixture      *f,
        gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("minyin-store-sync-XXXXXX", NULL);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
}

static void
tear_down (Fixture      *f,
           gconstpointer data)
{
  g_clear_object (&f->store);
  g_free (f->dir);
}

static GPtrArray *
claim (Fixture    *f,
       const char *kind,
       gint64      after,
       gboolean    ignore_schedule)
{
  g_autoptr(GError) error = NULL;
  GPtrArray        *list = mn_store_outbox_claim (f->store, kind, after, 10,
                                                  g_get_real_time () / G_USEC_PER_SEC,
                                                  ignore_schedule, &error);

  g_assert_no_error (error);
  return list;
}

static void
test_order_and_stuck (Fixture      *f,
                      gconstpointer data)
{
  g_autofree char     *a = file_one (f->store, "first");
  g_autofree char     *b = file_one (f->store, "second");
  g_autofree char     *c = file_one (f->store, "third");
  g_autoptr(GPtrArray) first = claim (f, MN_OUTBOX_CREATE, 0, FALSE);
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) updates = NULL;
  g_autoptr(GError)    error = NULL;
  MnOutboxMessage     *m;
  gint64               later = g_get_real_time () / G_USEC_PER_SEC + 3600;

  g_assert_cmpuint (first->len, ==, 3);
  m = g_ptr_array_index (first, 0);
  g_assert_cmpstr (m->request->uuid, ==, a);
  g_assert_cmpstr (((MnOutboxMessage *) g_ptr_array_index (first, 2))->request->uuid, ==, c);
  g_assert_false (m->in_doubt);

  /* The first one is stuck (retry in an hour); the others are not held
   * back by it. */
  g_assert_true (mn_store_outbox_retry (f->store, m->id, later, "busy", FALSE, FALSE, &error));
  for (guint i = 1; i < 3; i++)
    {
      MnOutboxMessage *o = g_ptr_array_index (first, i);

      g_assert_true (mn_store_outbox_retry (f->store, o->id, 0, "drop", TRUE, FALSE, &error));
    }
  again = claim (f, MN_OUTBOX_CREATE, 0, FALSE);
  g_assert_cmpuint (again->len, ==, 2);
  m = g_ptr_array_index (again, 0);
  g_assert_cmpstr (m->request->uuid, ==, b);
  g_assert_true (m->in_doubt);
  g_assert_cmpuint (m->attempts, ==, 1);

  /* Other kinds are not mixed in. */
  updates = claim (f, MN_OUTBOX_UPDATE, 0, TRUE);
  g_assert_cmpuint (updates->len, ==, 0);
}

static void
test_sent_and_crash (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char      *a = file_one (f->store, "sent");
  g_autofree char      *b = file_one (f->store, "crashed");
  g_autoptr(GPtrArray)  claimed = claim (f, MN_OUTBOX_CREATE, 0, TRUE);
  g_autoptr(GPtrArray)  after_crash = NULL;
  g_autoptr(MnRequest)  r = NULL;
  g_autoptr(GPtrArray)  events = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GError)     error = NULL;
  MnOutboxMessage      *m = g_ptr_array_index (claimed, 0);
  gboolean              has_sent = FALSE;

  g_assert_true (mn_store_outbox_mark_sent (f->store, m->id, "0", "sent", "0", &error));
  g_assert_no_error (error);
  r = mn_store_lookup (f->store, a, &error);
  g_assert_cmpstr (r->platform_id, ==, "0");
  g_assert_cmpstr (r->status, ==, MN_STATUS_SENT);
  events = mn_store_list_events (f->store, a, &error);
  for (guint i = 0; i < events->len; i++)
    has_sent |= g_strcmp0 (((MnEvent *) g_ptr_array_index (events, i))->kind, "sent") == 0;
  g_assert_true (has_sent);

  /* The second was claimed ("sending") by a process that died: the next
   * claim says it is in doubt. */
  after_crash = claim (f, MN_OUTBOX_CREATE, 0, TRUE);
  g_assert_cmpuint (after_crash->len, ==, 1);
  m = g_ptr_array_index (after_crash, 0);
  g_assert_cmpstr (m->request->uuid, ==, b);
  g_assert_true (m->in_doubt);

  counts = mn_store_count_outbox (f->store, &error);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "sent")), ==, 1);
  g_assert_cmpuint (GPOINTER_TO_UINT (g_hash_table_lookup (counts, "sending")), ==, 1);
}

static void
test_quarantine (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char     *a = file_one (f->store, "refused");
  g_autoptr(GPtrArray) claimed = claim (f, MN_OUTBOX_CREATE, 0, TRUE);
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GPtrArray) back = NULL;
  g_autoptr(GError)    error = NULL;
  MnOutboxMessage     *m = g_ptr_array_index (claimed, 0);
  guint                count = 0;

  g_assert_true (mn_store_outbox_quarantine (f->store, m->id, "HTTP 400: bad", &error));
  none = claim (f, MN_OUTBOX_CREATE, 0, TRUE);
  g_assert_cmpuint (none->len, ==, 0);
  listed = mn_store_outbox_list (f->store, "quarantined", &error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((MnOutboxMessage *) g_ptr_array_index (listed, 0))->quarantine_reason, ==,
                   "HTTP 400: bad");

  g_assert_false (mn_store_outbox_requeue (f->store, m->id + 100, &count, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (mn_store_outbox_requeue (f->store, 0, &count, &error));
  g_assert_cmpuint (count, ==, 1);
  back = claim (f, MN_OUTBOX_CREATE, 0, FALSE);
  g_assert_cmpuint (back->len, ==, 1);
}

static void
test_status (Fixture      *f,
             gconstpointer data)
{
  g_autofree char      *a = file_one (f->store, "status");
  g_autoptr(GPtrArray)  claimed = claim (f, MN_OUTBOX_CREATE, 0, TRUE);
  g_autoptr(GPtrArray)  ids = NULL;
  g_autoptr(GPtrArray)  statuses = g_ptr_array_new ();
  g_autoptr(MnRequest)  r = NULL;
  g_autoptr(GError)     error = NULL;
  MnPlatformStatus      st = { "SQ7", MN_STATUS_IN_PROGRESS, "处理中", "街道", 1740794400 };
  MnPlatformStatus      unknown = { "nobody", MN_STATUS_CLOSED, NULL, NULL, 0 };
  guint                 changed = 0;
  gboolean              one_changed = TRUE;

  g_assert_true (mn_store_outbox_mark_sent (f->store,
                                            ((MnOutboxMessage *) g_ptr_array_index (claimed, 0))->id,
                                            "SQ7", "sent", "SQ7", &error));
  ids = mn_store_platform_ids_to_pull (f->store, &error);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (ids, 0), ==, "SQ7");

  g_ptr_array_add (statuses, &st);
  g_ptr_array_add (statuses, &unknown);
  g_assert_true (mn_store_apply_platform_statuses (f->store, statuses, &changed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changed, ==, 1);
  r = mn_store_lookup (f->store, "SQ7", &error);
  g_assert_cmpstr (r->status, ==, MN_STATUS_IN_PROGRESS);
  g_assert_cmpstr (r->agency, ==, "街道");
  g_assert_cmpint (r->expected_at, ==, 1740794400);

  /* The same again changes nothing and adds no event. */
  g_assert_true (mn_store_apply_platform_status (f->store, "SQ7", MN_STATUS_IN_PROGRESS, "处理中",
                                                 "街道", 1740794400, &one_changed, &error));
  g_assert_false (one_changed);
}

static void
test_sync_state (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GError)      error = NULL;
  g_autoptr(MnSyncState) empty = mn_store_get_sync_state (f->store, &error);
  g_autoptr(MnSyncState) after = NULL;
  g_autoptr(MnSyncState) cleared = NULL;

  g_assert_cmpint (empty->last_contact, ==, 0);
  g_assert_null (empty->last_error);
  g_assert_true (mn_store_set_sync_state (f->store, 1000, "no network", &error));
  after = mn_store_get_sync_state (f->store, &error);
  g_assert_cmpint (after->last_contact, ==, 1000);
  g_assert_cmpstr (after->last_error, ==, "no network");
  g_assert_cmpint (after->last_error_at, >, 0);
  g_assert_true (mn_store_set_sync_state (f->store, 0, NULL, &error));
  cleared = mn_store_get_sync_state (f->store, &error);
  g_assert_cmpint (cleared->last_contact, ==, 1000);
  g_assert_null (cleared->last_error);
}

/* A case re-opened by an unhappy rating stays "reopened" while the
 * re-handling update waits in the outbox, even though the platform, which
 * has not heard yet, still says "closed"; once the update is sent the
 * platform's word counts again. */
static void
test_reopened_kept_until_update_sent (Fixture      *f,
                                      gconstpointer data)
{
  g_autofree char      *uuid = file_one (f->store, "reopen");
  g_autoptr(GPtrArray)  claimed = claim (f, MN_OUTBOX_CREATE, 0, TRUE);
  g_autoptr(GPtrArray)  updates = NULL;
  g_autoptr(MnRating)   rating = mn_rating_new (FALSE, MN_SATISFACTION_UNSATISFIED);
  g_autoptr(MnCaseView) view = NULL;
  g_autoptr(MnRequest)  r = NULL;
  g_autoptr(MnRequest)  after = NULL;
  g_autoptr(GError)     error = NULL;
  gboolean              changed = FALSE;
  gint64                now = g_get_real_time () / G_USEC_PER_SEC;

  g_assert_true (mn_store_outbox_mark_sent (f->store,
                                            ((MnOutboxMessage *) g_ptr_array_index (claimed, 0))->id,
                                            "RO1", "sent", "RO1", &error));
  g_assert_no_error (error);
  g_assert_true (mn_store_apply_platform_status (f->store, "RO1", MN_STATUS_CLOSED, "已修复",
                                                 "物业", 0, &changed, &error));
  g_assert_no_error (error);

  g_assert_true (mn_rating_add_reason (rating, "still broken: the lift stopped again", &error));
  view = mn_store_rate_case (f->store, "RO1", NULL, rating, now, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (view->request->status, ==, MN_STATUS_REOPENED);

  /* The platform has not heard of the re-opening yet. */
  g_assert_true (mn_store_apply_platform_status (f->store, "RO1", MN_STATUS_CLOSED, "已修复",
                                                 "物业", 0, &changed, &error));
  g_assert_no_error (error);
  r = mn_store_lookup (f->store, "RO1", &error);
  g_assert_cmpstr (r->status, ==, MN_STATUS_REOPENED);

  /* The update reaches the platform; a later "closed" is the platform's
   * answer to it and counts. */
  updates = claim (f, MN_OUTBOX_UPDATE, 0, TRUE);
  g_assert_cmpuint (updates->len, ==, 1);
  g_assert_true (mn_store_outbox_mark_sent (f->store,
                                            ((MnOutboxMessage *) g_ptr_array_index (updates, 0))->id,
                                            NULL, "update-sent", NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mn_store_apply_platform_status (f->store, "RO1", MN_STATUS_CLOSED, "已再次修复",
                                                 "物业", 0, &changed, &error));
  g_assert_no_error (error);
  after = mn_store_lookup (f->store, "RO1", &error);
  g_assert_cmpstr (after->status, ==, MN_STATUS_CLOSED);
  (void) uuid;
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/store-sync/order-and-stuck", Fixture, NULL, set_up, test_order_and_stuck,
              tear_down);
  g_test_add ("/store-sync/sent-and-crash", Fixture, NULL, set_up, test_sent_and_crash,
              tear_down);
  g_test_add ("/store-sync/quarantine", Fixture, NULL, set_up, test_quarantine, tear_down);
  g_test_add ("/store-sync/status", Fixture, NULL, set_up, test_status, tear_down);
  g_test_add ("/store-sync/sync-state", Fixture, NULL, set_up, test_sync_state, tear_down);
  g_test_add ("/store-sync/reopened-kept-until-update-sent", Fixture, NULL, set_up,
              test_reopened_kept_until_update_sent, tear_down);
  return g_test_run ();
}
