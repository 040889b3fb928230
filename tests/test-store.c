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

G_GNUC_UNUSED static char *
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

int
main (int    argc,
      char **argv)
{
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
#undef ADD

  return g_test_run ();
}
