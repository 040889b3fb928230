/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mn-case-code.h"
#include "mn-device.h"
#include "mn-store.h"

/* ---- helpers --------------------------------------------------------- */

typedef struct
{
  char *dir;
} Fixture;

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char     *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) &&
              !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

static void
fixture_setup (Fixture      *f,
               gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("minyin-store-XXXXXX", &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture      *f,
                  gconstpointer data)
{
  remove_tree (f->dir);
  g_free (f->dir);
}

static MnStore *
open_store (const char *dir)
{
  g_autoptr(GError) error = NULL;
  MnStore          *store = mn_store_open (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);

  return store;
}

static MnRequest *
new_request (const char *description)
{
  MnRequest *r = mn_request_new ();

  r->service_code = g_strdup ("streetlight");
  r->description = g_strdup (description);
  r->address_text = g_strdup ("幸福路 12 号");
  r->consent = TRUE;

  return r;
}

static MnRequest *
file_one (MnStore    *store,
          const char *description,
          const char *phone)
{
  g_autoptr(MnRequest) r = new_request (description);
  g_autoptr(MnContact) c = phone != NULL ? mn_contact_new ("张三丰", phone) : NULL;
  g_autoptr(GError)    error = NULL;

  g_assert_true (mn_store_file_request (store, r, c, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&r);
}

static guint
count_of (GHashTable *counts,
          const char *word)
{
  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, word));
}

static gboolean
file_contains (const char *path,
               const void *needle,
               gsize       needle_len)
{
  g_autofree char *data = NULL;
  gsize            len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return FALSE;

  return memmem (data, len, needle, needle_len) != NULL;
}

static char *
checksum_of (const char *path)
{
  g_autofree char *data = NULL;
  gsize            len = 0;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &data, &len, &error);
  g_assert_no_error (error);

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data, len);
}

/* ---- filing and reading ---------------------------------------------- */

static void
test_file_and_lookup (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(MnStore)   store = open_store (f->dir);
  g_autoptr(MnRequest) r = new_request ("路灯不亮，晚上很危险");
  g_autoptr(MnContact) c = mn_contact_new ("张三丰", "138 0013 8000");
  g_autoptr(GError)    error = NULL;
  g_autoptr(MnRequest) found = NULL;
  g_autofree char     *display = NULL;
  g_autofree char     *db_path = g_build_filename (f->dir, "minyin.db", NULL);
  g_autoptr(MnDevice)  device = NULL;

  g_assert_cmpstr (mn_store_get_path (store), ==, db_path);
  g_assert_cmpstr (mn_store_get_data_dir (store), ==, f->dir);

  r->urgency = MN_URGENCY_IMMEDIATE;
  g_assert_true (mn_store_file_request (store, r, c, &error));
  g_assert_no_error (error);

  g_assert_cmpint (r->id, >, 0);
  g_assert_true (g_uuid_string_is_valid (r->uuid));
  g_assert_cmpuint (strlen (r->case_code), ==, MN_CASE_CODE_DIGITS);
  g_assert_cmpstr (r->status, ==, MN_STATUS_SAVED);
  g_assert_cmpstr (r->contact_hint, ==, "138****8000");
  g_assert_false (r->anonymous);
  g_assert_cmpint (r->deadline_at - r->created_at, ==, 2 * 3600);
  g_assert_cmpint (ABS (r->created_at - g_get_real_time () / G_USEC_PER_SEC), <, 60);

  /* The code carries this terminal's identity and the first sequence of
   * the day. */
  device = mn_device_load (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (device->station, ==, "0000");
  g_assert_true (g_str_has_prefix (r->case_code, "0000"));
  g_assert_true (strncmp (r->case_code + 4, device->terminal, 2) == 0);
  g_assert_true (strncmp (r->case_code + 12, "0001", 4) == 0);

  /* Any spelling of the code finds it, as do its UUID and the upper-case
   * UUID. */
  display = mn_case_code_format (r->case_code);
  {
    g_auto(GStrv)    groups = mn_case_code_groups (r->case_code);
    g_autofree char *spaced = g_strjoinv (" ", groups);
    g_autofree char *upper = g_ascii_strup (r->uuid, -1);
    const char      *keys[] = { r->case_code, display, spaced, r->uuid, upper };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      {
        found = mn_store_lookup (store, keys[i], &error);
        g_assert_no_error (error);
        g_assert_nonnull (found);
        g_assert_cmpstr (found->uuid, ==, r->uuid);
        g_assert_cmpstr (found->case_code, ==, r->case_code);
        g_assert_cmpstr (found->description, ==, "路灯不亮，晚上很危险");
        g_assert_cmpstr (found->address_text, ==, "幸福路 12 号");
        g_assert_cmpstr (found->service_code, ==, "streetlight");
        g_assert_cmpstr (found->contact_hint, ==, "138****8000");
        g_assert_cmpint (found->urgency, ==, MN_URGENCY_IMMEDIATE);
        g_assert_cmpint (found->channel, ==, MN_CHANNEL_KIOSK);
        g_assert_cmpint (found->created_at, ==, r->created_at);
        g_assert_cmpint (found->deadline_at, ==, r->deadline_at);
        g_assert_true (found->consent);
        g_assert_false (found->anonymous);
        g_assert_false (found->has_location);
        g_clear_pointer (&found, mn_request_unref);
      }
  }

  /* A valid code that is not here, and an invalid one that says why. */
  {
    g_autoptr(GDateTime) day = g_date_time_new_local (2020, 1, 1, 0, 0, 0);
    g_autofree char     *other = mn_case_code_build ("9999", "99", day, 1, NULL);
    g_autofree char     *wrong = g_strdup (r->case_code);

    found = mn_store_lookup (store, other, &error);
    g_assert_null (found);
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);

    wrong[3] = wrong[3] == '0' ? '1' : '0';
    found = mn_store_lookup (store, wrong, &error);
    g_assert_null (found);
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "compare with your receipt"));
    g_clear_error (&error);

    found = mn_store_lookup (store, "   ", &error);
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* The sealed contact opens, normalised to digits. */
  {
    g_autoptr(MnContact) back = mn_store_unseal_contact (store, r->uuid, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (back->name, ==, "张三丰");
    g_assert_cmpstr (back->phone, ==, "13800138000");
  }
}

static void
test_list_counts_events (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(MnStore)    store = open_store (f->dir);
  g_autoptr(GPtrArray)  list = NULL;
  g_autoptr(GHashTable) counts = NULL;
  g_autoptr(GPtrArray)  events = NULL;
  g_autoptr(GError)     error = NULL;
  g_autoptr(GPtrArray)  filed = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_request_unref);

  list = mn_store_list_requests (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *text = g_strdup_printf ("诉求 %u", i);

      g_ptr_array_add (filed, file_one (store, text, i % 2 ? "13800138000" : NULL));
    }

  /* Sequences run 0001.. within the day, codes are unique. */
  for (guint i = 0; i < filed->len; i++)
    {
      MnRequest       *r = g_ptr_array_index (filed, i);
      g_autofree char *seq = g_strdup_printf ("%04u", i + 1);

      g_assert_true (strncmp (r->case_code + 12, seq, 4) == 0);
      g_assert_cmpint (r->anonymous, ==, i % 2 == 0);
      if (r->anonymous)
        g_assert_null (r->contact_hint);
    }

  list = mn_store_list_requests (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);
  /* Newest first. */
  for (guint i = 0; i < 5; i++)
    g_assert_cmpstr (((MnRequest *) list->pdata[i])->uuid, ==,
                     ((MnRequest *) filed->pdata[4 - i])->uuid);
  g_clear_pointer (&list, g_ptr_array_unref);

  list = mn_store_list_requests (store, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);

  counts = mn_store_count_by_status (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_of (counts, MN_STATUS_SAVED), ==, 5);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 1);
  g_clear_pointer (&counts, g_hash_table_unref);

  counts = mn_store_count_outbox (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_of (counts, "queued"), ==, 5);
  g_assert_cmpuint (g_hash_table_size (counts), ==, 1);

  events = mn_store_list_events (store, ((MnRequest *) filed->pdata[0])->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpstr (((MnEvent *) events->pdata[0])->kind, ==, "filed");
  g_assert_cmpint (((MnEvent *) events->pdata[0])->at, ==,
                   ((MnRequest *) filed->pdata[0])->created_at);
  g_clear_pointer (&events, g_ptr_array_unref);

  events = mn_store_list_events (store, "00000000-0000-4000-8000-000000000000", &error);
  g_assert_null (events);
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* An anonymous request has no contact to open. */
  {
    g_autoptr(MnContact) none =
      mn_store_unseal_contact (store, ((MnRequest *) filed->pdata[0])->uuid, &error);

    g_assert_null (none);
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND);
    g_clear_error (&error);
  }

  /* Everything survives closing and opening again. */
  g_clear_object (&store);
  store = open_store (f->dir);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mn_store_list_requests (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 5);

  /* The sequence goes on after a restart. */
  {
    g_autoptr(MnRequest) r = file_one (store, "第六个", NULL);

    g_assert_true (strncmp (r->case_code + 12, "0006", 4) == 0);
  }
}

static void
test_bad_input (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(MnStore)   store = open_store (f->dir);
  g_autoptr(GError)    error = NULL;
  g_autoptr(GString)   too_long = g_string_new (NULL);
  g_autoptr(GPtrArray) list = NULL;
  const char          *hostile = "'); DROP TABLE requests; -- \"%s%n\\ 😀🏚️ 𠀀 \u202e";

  /* SQL metacharacters, format directives, emoji, astral CJK and a bidi
   * override: all kept verbatim. */
  {
    g_autoptr(MnRequest) r = file_one (store, hostile, NULL);
    g_autoptr(MnRequest) back = mn_store_lookup (store, r->case_code, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (back->description, ==, hostile);
  }

  /* A description over the limit is refused and nothing is written. */
  for (guint i = 0; i < MN_DESCRIPTION_MAX_CHARS + 5; i++)
    g_string_append (too_long, "长");
  {
    g_autoptr(MnRequest) r = new_request (too_long->str);

    g_assert_false (mn_store_file_request (store, r, NULL, &error));
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "5 characters over"));
    g_assert_null (r->case_code);
    g_clear_error (&error);
  }

  /* Invalid UTF-8, an empty description, no category, a bad phone, an
   * impossible position. */
  {
    g_autoptr(MnRequest) r = new_request ("abc\xff");

    g_assert_false (mn_store_file_request (store, r, NULL, &error));
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_clear_error (&error);

    g_free (r->description);
    r->description = g_strdup (" \n ");
    g_assert_false (mn_store_file_request (store, r, NULL, &error));
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_clear_error (&error);

    g_free (r->description);
    r->description = g_strdup ("ok");
    g_clear_pointer (&r->service_code, g_free);
    g_assert_false (mn_store_file_request (store, r, NULL, &error));
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_clear_error (&error);

    r->service_code = g_strdup ("road");
    {
      g_autoptr(MnContact) c = mn_contact_new (NULL, "138-0013-800O");

      g_assert_false (mn_store_file_request (store, r, c, &error));
      g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }

    r->has_location = TRUE;
    r->lat = 91.0;
    g_assert_false (mn_store_file_request (store, r, NULL, &error));
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_clear_error (&error);

    r->lat = 30.25;
    r->lon = 120.17;
    g_assert_true (mn_store_file_request (store, r, NULL, &error));
    g_assert_no_error (error);
  }

  list = mn_store_list_requests (store, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  g_assert_true (((MnRequest *) list->pdata[0])->has_location);
  g_assert_cmpfloat_with_epsilon (((MnRequest *) list->pdata[0])->lat, 30.25, 1e-9);
}

/* The phone number and the name never reach the disk in clear: not in the
 * database, not in its write-ahead log, not after a checkpoint. */
static void
test_contact_never_in_clear (Fixture      *f,
                             gconstpointer data)
{
  g_autoptr(MnStore) store = open_store (f->dir);
  g_autofree char   *db = g_build_filename (f->dir, "minyin.db", NULL);
  g_autofree char   *wal = g_build_filename (f->dir, "minyin.db-wal", NULL);
  const char        *phone = "13912345678";
  const char        *name = "欧阳娜娜";
  const char        *hint = "139****5678";

  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(MnRequest) r = new_request ("楼道堆物");
      g_autoptr(MnContact) c = mn_contact_new (name, "139 1234 5678");
      g_autoptr(GError)    error = NULL;

      g_assert_true (mn_store_file_request (store, r, c, &error));
      g_assert_no_error (error);
    }

  /* The test must be able to fail: the masked hint is there. */
  g_assert_true (file_contains (wal, hint, strlen (hint)) || file_contains (db, hint, strlen (hint)));
  g_assert_false (file_contains (db, phone, strlen (phone)));
  g_assert_false (file_contains (wal, phone, strlen (phone)));
  g_assert_false (file_contains (db, name, strlen (name)));
  g_assert_false (file_contains (wal, name, strlen (name)));

  /* Closing checkpoints the log into the database. */
  g_clear_object (&store);
  g_assert_true (file_contains (db, hint, strlen (hint)));
  g_assert_false (file_contains (db, phone, strlen (phone)));
  g_assert_false (file_contains (db, name, strlen (name)));
}

/* ---- async ----------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  MnStore   *store;
  MnRequest *request;
  MnRequest *found;
  GPtrArray *list;
  GThread   *main_thread;
  GError    *error;
  guint      pending;
} AsyncState;

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  AsyncState *s = user_data;

  g_assert_true (g_thread_self () == s->main_thread);
  s->list = mn_store_list_requests_finish (MN_STORE (source), result, &s->error);
  g_main_loop_quit (s->loop);
}

static void
on_found (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncState *s = user_data;

  g_assert_true (g_thread_self () == s->main_thread);
  s->found = mn_store_lookup_finish (MN_STORE (source), result, &s->error);
  g_assert_no_error (s->error);
  mn_store_list_requests_async (s->store, 0, NULL, on_listed, s);
}

static void
on_filed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  AsyncState *s = user_data;

  g_assert_true (g_thread_self () == s->main_thread);
  g_assert_true (mn_store_file_request_finish (MN_STORE (source), result, &s->error));
  g_assert_no_error (s->error);
  /* The caller's request holds the stored values once finished. */
  g_assert_nonnull (s->request->case_code);
  mn_store_lookup_async (s->store, s->request->case_code, NULL, on_found, s);
}

static void
test_async (Fixture      *f,
            gconstpointer data)
{
  g_autoptr(MnStore)   store = open_store (f->dir);
  g_autoptr(MnRequest) r = new_request ("异步提交");
  g_autoptr(MnContact) c = mn_contact_new (NULL, "13800138000");
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  AsyncState           s = { 0 };

  s.loop = loop;
  s.store = store;
  s.request = r;
  s.main_thread = g_thread_self ();

  mn_store_file_request_async (store, r, c, NULL, on_filed, &s);
  /* Nothing is written into the caller's request behind its back. */
  g_assert_null (r->case_code);
  g_main_loop_run (loop);

  g_assert_no_error (s.error);
  g_assert_nonnull (s.found);
  g_assert_cmpstr (s.found->uuid, ==, r->uuid);
  g_assert_cmpstr (s.found->contact_hint, ==, "138****8000");
  g_assert_nonnull (s.list);
  g_assert_cmpuint (s.list->len, ==, 1);

  g_clear_pointer (&s.found, mn_request_unref);
  g_clear_pointer (&s.list, g_ptr_array_unref);
}

static void
on_cancelled_filing (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AsyncState *s = user_data;

  g_assert_false (mn_store_file_request_finish (MN_STORE (source), result, &s->error));
  g_main_loop_quit (s->loop);
}

static void
test_async_cancelled (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(MnStore)      store = open_store (f->dir);
  g_autoptr(MnRequest)    r = new_request ("取消");
  g_autoptr(GMainLoop)    loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GPtrArray)    list = NULL;
  AsyncState              s = { 0 };

  s.loop = loop;
  g_cancellable_cancel (cancellable);
  mn_store_file_request_async (store, r, NULL, cancellable, on_cancelled_filing, &s);
  g_main_loop_run (loop);

  g_assert_error (s.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&s.error);
  g_assert_null (r->case_code);

  list = mn_store_list_requests (store, 0, &s.error);
  g_assert_no_error (s.error);
  g_assert_cmpuint (list->len, ==, 0);
}

/* Dropping the last reference while async jobs are queued: the jobs hold
 * the store until they are done, and the worker ends cleanly. */
static void
on_filed_quit_later (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  AsyncState *s = user_data;

  g_assert_true (mn_store_file_request_finish (MN_STORE (source), result, &s->error));
  g_assert_no_error (s->error);
  if (--s->pending == 0)
    g_main_loop_quit (s->loop);
}

static void
test_async_unref_while_pending (Fixture      *f,
                                gconstpointer data)
{
  MnStore             *store = open_store (f->dir);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GPtrArray) requests = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_request_unref);
  AsyncState           s = { 0 };

  s.loop = loop;
  for (guint i = 0; i < 10; i++)
    {
      MnRequest *r = new_request ("排队");

      g_ptr_array_add (requests, r);
      mn_store_file_request_async (store, r, NULL, NULL, on_filed_quit_later, &s);
      s.pending++;
    }
  g_object_unref (store);
  g_main_loop_run (loop);

  for (guint i = 0; i < requests->len; i++)
    g_assert_nonnull (((MnRequest *) requests->pdata[i])->case_code);

  store = open_store (f->dir);
  {
    g_autoptr(GHashTable) counts = mn_store_count_by_status (store, NULL);

    g_assert_cmpuint (count_of (counts, MN_STATUS_SAVED), ==, 10);
  }
  g_object_unref (store);
}

/* ---- identity, catalogue --------------------------------------------- */

static void
test_provisioning (Fixture      *f,
                   gconstpointer data)
{
  g_autoptr(MnStore)   store = open_store (f->dir);
  g_autoptr(MnRequest) first = file_one (store, "一", NULL);
  g_autoptr(MnRequest) second = NULL;
  g_autoptr(MnDevice)  device = g_new0 (MnDevice, 1);
  g_autoptr(MnDevice)  again = NULL;
  g_autoptr(GError)    error = NULL;

  /* The random terminal number is kept. */
  again = mn_device_load (f->dir, &error);
  g_assert_no_error (error);
  g_assert_true (strncmp (first->case_code + 4, again->terminal, 2) == 0);

  device->station = g_strdup ("3302");
  device->terminal = g_strdup ("07");
  g_assert_true (mn_device_save (device, f->dir, &error));
  g_assert_no_error (error);

  /* The running store files under the new identity at once. */
  second = file_one (store, "二", NULL);
  g_assert_true (g_str_has_prefix (second->case_code, "330207"));
  g_assert_true (strncmp (second->case_code + 12, "0002", 4) == 0);
}

static void
test_device_file (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError)   error = NULL;
  g_autoptr(MnDevice) a = mn_device_load (f->dir, &error);
  g_autoptr(MnDevice) b = NULL;
  g_autofree char    *path = g_build_filename (f->dir, "device.ini", NULL);

  g_assert_no_error (error);
  g_assert_cmpstr (a->station, ==, "0000");
  g_assert_cmpuint (strlen (a->terminal), ==, 2);
  b = mn_device_load (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (a->terminal, ==, b->terminal);
  g_clear_pointer (&b, mn_device_free);

  /* A bad identity is refused with a sentence, and not saved. */
  b = g_new0 (MnDevice, 1);
  b->station = g_strdup ("33");
  b->terminal = g_strdup ("01");
  g_assert_false (mn_device_save (b, f->dir, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_clear_pointer (&b, mn_device_free);

  g_assert_true (g_file_set_contents (path, "[device]\nstation=12\nterminal=x\n", -1, NULL));
  b = mn_device_load (f->dir, &error);
  g_assert_null (b);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "provision"));
}

static void
test_catalogue_cache (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(MnStore) store = open_store (f->dir);
  g_autoptr(GError)  error = NULL;
  g_autofree char   *body = NULL;
  g_autofree char   *etag = NULL;
  g_autofree char   *modified = NULL;
  gint64             fetched_at = 0;

  g_assert_false (mn_store_get_catalogue_cache (store, &body, &etag, &modified, &fetched_at,
                                                &error));
  g_assert_no_error (error);
  g_assert_null (body);

  g_assert_true (mn_store_set_catalogue_cache (store, "[{\"service_code\":\"a\"}]", "\"v1\"",
                                               NULL, &error));
  g_assert_true (mn_store_set_catalogue_cache (store, "[{\"service_code\":\"b\"}]", "\"v2\"",
                                               "Sat, 28 Nov 2026 09:00:00 GMT", &error));
  g_assert_no_error (error);
  g_assert_true (mn_store_get_catalogue_cache (store, &body, &etag, &modified, &fetched_at,
                                               &error));
  g_assert_cmpstr (body, ==, "[{\"service_code\":\"b\"}]");
  g_assert_cmpstr (etag, ==, "\"v2\"");
  g_assert_cmpstr (modified, ==, "Sat, 28 Nov 2026 09:00:00 GMT");
  g_assert_cmpint (fetched_at, >, 0);
  g_clear_pointer (&body, g_free);

  g_assert_false (mn_store_get_service_definition (store, "b", &body, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (mn_store_set_service_definition (store, "b", "{\"attributes\":[]}", &error));
  g_assert_true (mn_store_get_service_definition (store, "b", &body, &fetched_at, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (body, ==, "{\"attributes\":[]}");
}

/* ---- the device key -------------------------------------------------- */

static void
test_key_refused (Fixture      *f,
                  gconstpointer data)
{
  g_autofree char   *key = g_build_filename (f->dir, "vault.key", NULL);
  g_autoptr(GError)  error = NULL;
  g_autoptr(MnStore) store = open_store (f->dir);
  struct stat        st;

  /* Created private. */
  g_assert_cmpint (g_stat (key, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (st.st_size, ==, 32);
  g_clear_object (&store);

  /* Readable by others: refused with the command that fixes it. */
  g_assert_cmpint (g_chmod (key, 0644), ==, 0);
  store = mn_store_open (f->dir, &error);
  g_assert_null (store);
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_KEY);
  g_assert_nonnull (strstr (error->message, "chmod 600"));
  g_clear_error (&error);

  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
  store = open_store (f->dir);
  g_clear_object (&store);

  /* Missing, for a store that has sealed under it: refused, no new key
   * made in its place. */
  {
    g_autofree char *saved = NULL;
    gsize            len;

    g_assert_true (g_file_get_contents (key, &saved, &len, NULL));
    g_assert_cmpint (g_unlink (key), ==, 0);
    store = mn_store_open (f->dir, &error);
    g_assert_null (store);
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_KEY);
    g_assert_false (g_file_test (key, G_FILE_TEST_EXISTS));
    g_clear_error (&error);

    /* Another key in its place: refused as well. */
    {
      g_autofree char *other = g_strnfill (32, 'k');
      int              fd = open (key, O_WRONLY | O_CREAT | O_EXCL, 0600);

      g_assert_cmpint (fd, >=, 0);
      g_assert_cmpint (write (fd, other, 32), ==, 32);
      close (fd);
    }
    store = mn_store_open (f->dir, &error);
    g_assert_null (store);
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_KEY);
    g_clear_error (&error);
  }
}


/* ---- old, damaged and foreign files ---------------------------------- */

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("SQL failed: %s", msg);
}

static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);

  return db;
}

static char *
query_text (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char         *text = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return text;
}

static gint64
query_int64 (sqlite3    *db,
             const char *sql)
{
  g_autofree char *text = query_text (db, sql);

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : -1;
}

/* The schema as "name: sql" lines, sorted, with white space collapsed
 * and dropped around brackets and commas, so that only layout may differ
 * between two identical schemas. */
static char *
schema_of (sqlite3 *db)
{
  g_autoptr(GRegex) spaces = g_regex_new ("\\s+", 0, 0, NULL);
  g_autoptr(GRegex) around = g_regex_new ("\\s*([(),])\\s*", 0, 0, NULL);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name, sql FROM sqlite_schema WHERE sql IS NOT NULL "
                                       "ORDER BY name",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *flat = g_regex_replace_literal (spaces,
                                                       (const char *) sqlite3_column_text (stmt, 1),
                                                       -1, 0, " ", 0, NULL);
      g_autofree char *tight = g_regex_replace (around, flat, -1, 0, "\\1", 0, NULL);

      g_ptr_array_add (lines, g_strdup_printf ("%s: %s", sqlite3_column_text (stmt, 0), tight));
    }
  sqlite3_finalize (stmt);
  g_ptr_array_add (lines, NULL);

  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* Answers to a category's questions are kept as given and come back
 * through lookup and list; text that is not answers is refused. */
static void
test_attributes (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(MnStore)   store = open_store (f->dir);
  g_autoptr(MnRequest) r = new_request ("电梯困人");
  g_autoptr(MnRequest) found = NULL;
  g_autoptr(MnRequest) bad = new_request ("损坏的答案");
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError)    error = NULL;

  r->attributes = g_strdup ("{\"lift_trapped\":\"yes\",\"noise_source\":[\"shop\"]}");
  g_assert_true (mn_store_file_request (store, r, NULL, &error));
  g_assert_no_error (error);
  found = mn_store_lookup (store, r->case_code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->attributes, ==, r->attributes);
  listed = mn_store_list_requests (store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((MnRequest *) g_ptr_array_index (listed, 0))->attributes, ==, r->attributes);

  bad->attributes = g_strdup ("{\"lift_trapped\": 3}");
  g_assert_false (mn_store_file_request (store, bad, NULL, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
}

static void
test_migrate_v1 (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char     *fixture = g_build_filename (SOURCE_ROOT, "tests", "data", "store-v1.sql",
                                                   NULL);
  g_autofree char     *sql = NULL;
  g_autofree char     *path = g_build_filename (f->dir, "minyin.db", NULL);
  g_autofree char     *fresh_dir = g_build_filename (f->dir, "fresh", NULL);
  g_autofree char     *fresh_path = g_build_filename (fresh_dir, "minyin.db", NULL);
  g_autofree char     *migrated_schema = NULL;
  g_autofree char     *fresh_schema = NULL;
  g_autoptr(GError)    error = NULL;
  g_autoptr(MnStore)   store = NULL;
  g_autoptr(MnRequest) r = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GHashTable) outbox = NULL;
  sqlite3             *db;

  g_assert_true (g_file_get_contents (fixture, &sql, NULL, &error));
  g_assert_no_error (error);
  db = raw_open (path);
  exec_sql (db, sql);
  g_assert_cmpint (query_int64 (db, "PRAGMA user_version"), ==, 1);
  sqlite3_close (db);

  store = open_store (f->dir);

  /* The rows are all there, readable through the current code. */
  r = mn_store_lookup (store, "0000-42-261127-0001-7", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->description, ==, "3 号楼门口的路灯坏了一个星期，晚上很黑。");
  g_assert_true (r->anonymous);
  g_assert_cmpstr (r->status, ==, MN_STATUS_SAVED);
  g_clear_pointer (&r, mn_request_unref);

  r = mn_store_lookup (store, "12345-2026-000981", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (r->case_code, ==, "00004226112700025");
  g_assert_cmpstr (r->description, ==, "夜里 11 点后还有装修噪音 '电钻' 😠");
  g_assert_cmpint (r->urgency, ==, MN_URGENCY_SAME_DAY);
  g_assert_cmpint (r->channel, ==, MN_CHANNEL_ASSISTED);
  g_assert_cmpstr (r->agency, ==, "街道城管科");
  g_assert_cmpstr (r->filed_by, ==, "staff-07");
  g_assert_true (r->has_location);

  events = mn_store_list_events (store, r->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  outbox = mn_store_count_outbox (store, &error);
  g_assert_cmpuint (count_of (outbox, "queued"), ==, 1);
  g_assert_cmpuint (count_of (outbox, "sent"), ==, 1);

  /* What migration 2 added works, and new filings go on. */
  g_assert_true (mn_store_set_catalogue_cache (store, "[]", NULL, NULL, &error));
  g_assert_no_error (error);
  g_clear_pointer (&r, mn_request_unref);
  r = file_one (store, "迁移之后", "13800138000");
  g_assert_cmpint (r->id, ==, 3);
  g_clear_object (&store);

  /* And the migrated schema is exactly what a new store gets: the fixture
   * is faithful to migration 1, and the migrations compose. */
  db = raw_open (path);
  g_assert_cmpint (query_int64 (db, "PRAGMA user_version"), ==, mn_store_schema_version ());
  g_assert_cmpint (query_int64 (db, "PRAGMA application_id"), ==, 1296980302);
  {
    g_autofree char *check = query_text (db, "PRAGMA integrity_check");

    g_assert_cmpstr (check, ==, "ok");
  }
  migrated_schema = schema_of (db);
  sqlite3_close (db);

  store = open_store (fresh_dir);
  g_clear_object (&store);
  db = raw_open (fresh_path);
  fresh_schema = schema_of (db);
  sqlite3_close (db);
  g_assert_cmpstr (migrated_schema, ==, fresh_schema);
}

/* A store of version 7 (before staff accounts and the audit trail) opens
 * with its request intact and the tables of migration 8 usable. */
static void
test_migrate_v7 (Fixture      *f,
                 gconstpointer data)
{
  g_autofree char      *fixture = g_build_filename (SOURCE_ROOT, "tests", "data", "store-v7.sql",
                                                    NULL);
  g_autofree char      *sql = NULL;
  g_autofree char      *path = g_build_filename (f->dir, "minyin.db", NULL);
  g_autoptr(GError)     error = NULL;
  g_autoptr(MnStore)    store = NULL;
  g_autoptr(GPtrArray)  listed = NULL;
  g_autoptr(GHashTable) outbox = NULL;
  sqlite3              *db;

  g_assert_true (g_file_get_contents (fixture, &sql, NULL, &error));
  g_assert_no_error (error);
  db = raw_open (path);
  exec_sql (db, sql);
  g_assert_cmpint (query_int64 (db, "PRAGMA user_version"), ==, 7);
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM sqlite_schema WHERE name = 'audit'"),
                   ==, 0);
  sqlite3_close (db);

  store = open_store (f->dir);
  listed = mn_store_list_requests (store, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (listed->len, ==, 1);
  g_assert_cmpstr (((MnRequest *) g_ptr_array_index (listed, 0))->description, ==, "楼道灯坏了");
  outbox = mn_store_count_outbox (store, &error);
  g_assert_cmpuint (count_of (outbox, "queued"), ==, 1);
  g_clear_object (&store);

  db = raw_open (path);
  g_assert_cmpint (query_int64 (db, "PRAGMA user_version"), ==, mn_store_schema_version ());
  exec_sql (db, "INSERT INTO staff (number, name, pin_hash, created_at) VALUES ('7', 'x', 'h', 1);"
                "INSERT INTO staff_guard (number) VALUES ('7');"
                "INSERT INTO audit (at, actor, action, prev_hash, hash) VALUES (1, 'a', 'b', 'p', 'h');");
  g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM audit"), ==, 1);
  sqlite3_close (db);
}

/* Opens @dir's store expecting @code, and checks that the file is
 * byte-identical afterwards and that nothing was created beside it. */
static void
assert_refused_untouched (const char *dir,
                          int         code)
{
  g_autofree char   *path = g_build_filename (dir, "minyin.db", NULL);
  g_autofree char   *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char   *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char   *journal = g_strconcat (path, "-journal", NULL);
  g_autofree char   *before = checksum_of (path);
  g_autofree char   *after = NULL;
  g_autoptr(GError)  error = NULL;
  g_autoptr(MnStore) store = NULL;
  struct stat        st_before;
  struct stat        st_after;

  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_stat (path, &st_before), ==, 0);

  store = mn_store_open (dir, &error);
  g_assert_null (store);
  g_assert_error (error, MN_STORE_ERROR, code);
  g_test_message ("refused: %s", error->message);
  /* One sentence, naming the file. */
  g_assert_nonnull (strstr (error->message, path));
  g_assert_null (strchr (error->message, '\n'));

  after = checksum_of (path);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpint (g_stat (path, &st_after), ==, 0);
  g_assert_cmpint (st_before.st_mtim.tv_sec, ==, st_after.st_mtim.tv_sec);
  g_assert_cmpint (st_before.st_mtim.tv_nsec, ==, st_after.st_mtim.tv_nsec);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (shm, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (journal, G_FILE_TEST_EXISTS));
}

static void
test_refuse_not_sqlite (Fixture      *f,
                        gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);
  g_autofree char *big = g_strnfill (8192, 'x');

  g_assert_true (g_file_set_contents (path, "这不是数据库，是一封信。\n", -1, NULL));
  assert_refused_untouched (f->dir, MN_STORE_ERROR_FOREIGN);

  g_assert_true (g_file_set_contents (path, big, -1, NULL));
  assert_refused_untouched (f->dir, MN_STORE_ERROR_FOREIGN);

  /* A file shorter than SQLite's header. */
  g_assert_true (g_file_set_contents (path, "SQLite", -1, NULL));
  assert_refused_untouched (f->dir, MN_STORE_ERROR_FOREIGN);
}

static void
test_refuse_foreign (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);
  sqlite3         *db;

  /* Someone else's database: a table, no application id. */
  db = raw_open (path);
  exec_sql (db, "CREATE TABLE foo (a, b); INSERT INTO foo VALUES (1, 'x');");
  sqlite3_close (db);
  assert_refused_untouched (f->dir, MN_STORE_ERROR_FOREIGN);
  g_unlink (path);

  /* The same in WAL mode: reading it the ordinary way would create the
   * -wal and -shm files beside it. */
  db = raw_open (path);
  exec_sql (db, "PRAGMA journal_mode = WAL; CREATE TABLE foo (a); INSERT INTO foo VALUES (1);");
  sqlite3_close (db);
  assert_refused_untouched (f->dir, MN_STORE_ERROR_FOREIGN);
  g_unlink (path);

  /* Another application's id, even with no tables. */
  db = raw_open (path);
  exec_sql (db, "PRAGMA application_id = 1598903374; PRAGMA user_version = 1;");
  sqlite3_close (db);
  assert_refused_untouched (f->dir, MN_STORE_ERROR_FOREIGN);
}

static void
test_refuse_too_new (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char   *path = g_build_filename (f->dir, "minyin.db", NULL);
  g_autoptr(MnStore) store = open_store (f->dir);
  g_autoptr(MnRequest) r = file_one (store, "来自未来", NULL);
  sqlite3           *db;

  g_clear_object (&store);
  db = raw_open (path);
  exec_sql (db, "PRAGMA user_version = 99");
  sqlite3_close (db);

  assert_refused_untouched (f->dir, MN_STORE_ERROR_TOO_NEW);
}

/* Overwrites @len bytes of @path at @offset with @byte. */
static void
damage (const char *path,
        goffset     offset,
        gsize       len,
        guint8      byte)
{
  g_autofree guint8 *junk = g_malloc (len);
  int                fd = open (path, O_WRONLY);

  memset (junk, byte, len);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, junk, len, offset), ==, (gssize) len);
  close (fd);
}

static void
make_store_with_rows (const char *dir,
                      guint       n)
{
  g_autoptr(MnStore) store = open_store (dir);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char     *text = g_strnfill (300, 'a' + i % 26);
      g_autoptr(MnRequest) r = file_one (store, text, "13800138000");
    }
}

static void
test_refuse_corrupt (Fixture      *f,
                     gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);
  g_autofree char *saved = NULL;
  gsize            len = 0;
  sqlite3         *db;
  gint64           page_size;
  gint64           requests_root;

  make_store_with_rows (f->dir, 40);
  g_assert_true (g_file_get_contents (path, &saved, &len, NULL));
  db = raw_open (path);
  page_size = query_int64 (db, "PRAGMA page_size");
  requests_root = query_int64 (db, "SELECT rootpage FROM sqlite_schema WHERE name = 'requests'");
  sqlite3_close (db);
  g_assert_cmpint (requests_root, >, 1);

  /* A damaged table page: the header is fine, the schema reads, the pages
   * do not fit together. */
  damage (path, (requests_root - 1) * page_size, page_size, 0xA5);
  assert_refused_untouched (f->dir, MN_STORE_ERROR_CORRUPT);

  /* A damaged schema page. */
  g_assert_true (g_file_set_contents (path, saved, len, NULL));
  damage (path, 100, page_size - 100, 0x5A);
  assert_refused_untouched (f->dir, MN_STORE_ERROR_CORRUPT);

  /* Cut short, in the middle of a page. */
  g_assert_true (g_file_set_contents (path, saved, len / 2 + 17, NULL));
  assert_refused_untouched (f->dir, MN_STORE_ERROR_CORRUPT);

  /* Cut short at a page boundary: the header says there are more. */
  g_assert_true (g_file_set_contents (path, saved, page_size * 3, NULL));
  assert_refused_untouched (f->dir, MN_STORE_ERROR_CORRUPT);

  /* A damaged page size in the header. */
  g_assert_true (g_file_set_contents (path, saved, len, NULL));
  damage (path, 16, 2, 0x03);
  assert_refused_untouched (f->dir, MN_STORE_ERROR_CORRUPT);

  /* The intact file still opens: the checks refuse damage, not stores. */
  g_assert_true (g_file_set_contents (path, saved, len, NULL));
  {
    g_autoptr(MnStore)   store = open_store (f->dir);
    g_autoptr(GPtrArray) list = mn_store_list_requests (store, 0, NULL);

    g_assert_cmpuint (list->len, ==, 40);
  }
}

/* An empty file (a crash right after SQLite created it) becomes a store. */
static void
test_empty_file_adopted (Fixture      *f,
                         gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  {
    g_autoptr(MnStore)   store = open_store (f->dir);
    g_autoptr(MnRequest) r = file_one (store, "空文件", NULL);

    g_assert_nonnull (r->case_code);
  }
}

/* ---- a full disk ----------------------------------------------------- */

static guint
count_requests (const char *dir)
{
  g_autoptr(MnStore)    store = open_store (dir);
  g_autoptr(GError)     error = NULL;
  g_autoptr(GHashTable) counts = mn_store_count_by_status (store, &error);

  g_assert_no_error (error);

  return count_of (counts, MN_STATUS_SAVED);
}

static goffset
size_of (const char *path)
{
  struct stat st;

  return g_stat (path, &st) == 0 ? st.st_size : 0;
}

/* The file size limit makes every write past it fail with EFBIG, as a
 * full disk fails with ENOSPC, in a child process so that the limit does
 * not reach the rest of the tests. */
static void
test_disk_full (void)
{
  /* The child finds the directory by its parent's process id: setting an
   * environment variable once threads run is not safe. */
  g_autofree char *name = g_strdup_printf ("minyin-full-%d",
                                           (int) (g_test_subprocess () ? getppid () : getpid ()));
  g_autofree char *dir = g_build_filename (g_get_tmp_dir (), name, NULL);

  if (g_test_subprocess ())
    {
      g_autoptr(MnStore) store = open_store (dir);
      g_autofree char   *db = g_build_filename (dir, "minyin.db", NULL);
      g_autofree char   *wal = g_strconcat (db, "-wal", NULL);
      g_autoptr(GString) big = g_string_new (NULL);
      g_autoptr(GPtrArray) saved = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_request_unref);
      struct rlimit      limit;

      for (guint i = 0; i < 5; i++)
        g_ptr_array_add (saved, file_one (store, "磁盘满之前", "13800138000"));

      /* No file may grow any more. */
      signal (SIGXFSZ, SIG_IGN);
      limit.rlim_cur = MAX (size_of (db), size_of (wal));
      limit.rlim_max = RLIM_INFINITY;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);

      for (guint i = 0; i < 1000; i++)
        g_string_append (big, "满");

      for (guint attempt = 0; attempt < 3; attempt++)
        {
          g_autoptr(MnRequest) r = new_request (big->str);
          g_autoptr(MnContact) c = mn_contact_new ("李四", "13900000000");
          g_autoptr(GError)    error = NULL;

          g_assert_false (mn_store_file_request (store, r, c, &error));
          g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_DISK_FULL);
          g_assert_cmpstr (error->message, ==,
                           "The terminal's storage is full; nothing was saved. Ask staff to free "
                           "space; what you entered is still on screen.");
          g_assert_null (r->case_code);
        }

      /* What was saved before is still there and readable. */
      for (guint i = 0; i < saved->len; i++)
        {
          MnRequest           *s = g_ptr_array_index (saved, i);
          g_autoptr(GError)    error = NULL;
          g_autoptr(MnRequest) back = mn_store_lookup (store, s->case_code, &error);

          g_assert_no_error (error);
          g_assert_cmpstr (back->uuid, ==, s->uuid);
        }

      /* Space comes back: the same store files again, without a restart,
       * and the day's sequence did not skip. */
      limit.rlim_cur = RLIM_INFINITY;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
      {
        g_autoptr(MnRequest) r = file_one (store, big->str, "13800138000");

        g_assert_true (strncmp (r->case_code + 12, "0006", 4) == 0);
      }
      return;
    }

  {
    const char      *tmp = dir;
    g_autofree char *db_path = NULL;
    sqlite3         *db;

    remove_tree (tmp);
    g_assert_cmpint (g_mkdir (tmp, 0700), ==, 0);
    g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
    g_test_trap_assert_passed ();

    g_assert_cmpuint (count_requests (tmp), ==, 6);
    db_path = g_build_filename (tmp, "minyin.db", NULL);
    db = raw_open (db_path);
    {
      g_autofree char *check = query_text (db, "PRAGMA integrity_check");

      g_assert_cmpstr (check, ==, "ok");
    }
    g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM outbox"), ==, 6);
    g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM events"), ==, 6);
    sqlite3_close (db);
    remove_tree (tmp);
  }
}

/* ---- killed at any moment -------------------------------------------- */

/* The child side: files requests one after another and prints each case
 * code as soon as mn_store_file_request() returns, as the screen shows
 * it. */
static int
run_filer (const char *dir)
{
  g_autoptr(GError)  error = NULL;
  g_autoptr(MnStore) store = mn_store_open (dir, &error);

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  for (guint i = 0;; i++)
    {
      g_autoptr(MnRequest) r = new_request ("断电也不能丢");
      g_autoptr(MnContact) c = i % 2 ? mn_contact_new ("王五", "13700000000") : NULL;

      if (!mn_store_file_request (store, r, c, &error))
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%s\n", r->case_code);
      fflush (stdout);
    }
}

static const char *test_exe;

/* SIGKILL at random moments: while the store is being created, opened,
 * migrated, in the middle of a filing, right after one. Every code that
 * was printed must be in the store afterwards, and the store must stay
 * whole. */
static void
test_killed_anywhere (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(GRand)      rand = g_rand_new_with_seed (g_test_rand_int ());
  g_autoptr(GHashTable) printed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint                 rounds = g_test_thorough () ? 1000 : 200;
  guint                 kills = 0;

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError)           error = NULL;
      g_autoptr(GSubprocess)      child = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      guint                       wait_for = (guint) g_rand_int_range (rand, 0, 4);
      guint                       delay_us = (guint) g_rand_int_range (rand, 0, 4000);
      char                       *line;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                &error, test_exe, "--filer", f->dir, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      for (guint i = 0; i < wait_for; i++)
        {
          line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
          g_assert_no_error (error);
          if (line == NULL)
            break;
          g_hash_table_add (printed, line);
        }

      /* The random moment itself: sleeping is the point here. */
      g_usleep (delay_us);
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      if (g_subprocess_get_if_signaled (child))
        kills++;

      /* Whatever it printed before dying counts as shown. */
      while ((line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error)) != NULL)
        g_hash_table_add (printed, line);
      g_assert_no_error (error);

      /* Every round: the store opens and holds every printed code. */
      {
        g_autoptr(MnStore) store = open_store (f->dir);
        GHashTableIter     iter;
        gpointer           code;

        g_hash_table_iter_init (&iter, printed);
        while (g_hash_table_iter_next (&iter, &code, NULL))
          {
            g_autoptr(MnRequest) r = mn_store_lookup (store, code, &error);

            g_assert_no_error (error);
            g_assert_cmpstr (r->case_code, ==, code);
          }
      }
    }

  g_test_message ("%u kills, %u codes printed and found", kills,
                  g_hash_table_size (printed));
  g_assert_cmpuint (kills, >=, rounds * 9 / 10);
  g_assert_cmpuint (g_hash_table_size (printed), >, rounds / 2);

  {
    g_autofree char *path = g_build_filename (f->dir, "minyin.db", NULL);
    sqlite3         *db = raw_open (path);
    g_autofree char *check = query_text (db, "PRAGMA integrity_check");

    g_assert_cmpstr (check, ==, "ok");
    /* Each filing is whole: a request, its event, its outbox message. */
    g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM requests"), ==,
                     query_int64 (db, "SELECT count(*) FROM outbox"));
    g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM requests"), ==,
                     query_int64 (db, "SELECT count(*) FROM events"));
    g_assert_cmpint (query_int64 (db, "SELECT count(*) FROM requests"), >=,
                     g_hash_table_size (printed));
    sqlite3_close (db);
  }
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && strcmp (argv[1], "--filer") == 0)
    return run_filer (argv[2]);

  test_exe = argv[0];
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/file-and-lookup", test_file_and_lookup);
  ADD ("/store/list-counts-events", test_list_counts_events);
  ADD ("/store/bad-input", test_bad_input);
  ADD ("/store/contact-never-in-clear", test_contact_never_in_clear);
  ADD ("/store/async", test_async);
  ADD ("/store/async-cancelled", test_async_cancelled);
  ADD ("/store/async-unref-while-pending", test_async_unref_while_pending);
  ADD ("/store/provisioning", test_provisioning);
  ADD ("/store/device-file", test_device_file);
  ADD ("/store/catalogue-cache", test_catalogue_cache);
  ADD ("/store/key-refused", test_key_refused);
  ADD ("/store/migrate-v1", test_migrate_v1);
  ADD ("/store/migrate-v7", test_migrate_v7);
  ADD ("/store/attributes", test_attributes);
  ADD ("/store/refuse/not-sqlite", test_refuse_not_sqlite);
  ADD ("/store/refuse/foreign", test_refuse_foreign);
  ADD ("/store/refuse/too-new", test_refuse_too_new);
  ADD ("/store/refuse/corrupt", test_refuse_corrupt);
  ADD ("/store/empty-file-adopted", test_empty_file_adopted);
  ADD ("/store/killed-anywhere", test_killed_anywhere);
#undef ADD
  g_test_add_func ("/store/disk-full", test_disk_full);

  return g_test_run ();
}
