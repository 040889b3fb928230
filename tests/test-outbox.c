/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The background sync worker (mn_outbox_start) against the reference
 * platform: it drains what was filed, sleeps until a retry falls due
 * (Retry-After), wakes at once when asked (a request was filed, the
 * network came back), and never duplicates. The platform is started by
 * tests/platform/start-background.sh with a private directory. */
#include "config.h"

#include <curl/curl.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <unistd.h>

#include "mn-outbox.h"
#include "mn-store-sync.h"
#include "mn-sync-config.h"

typedef struct
{
  char     *dir;
  char     *url;
  char     *ca;
  char     *admin;
  MnStore  *store;
  MnOutbox *outbox;
  guint     changes;
} Fixture;

static char *
fact (const char *facts,
      const char *key)
{
  g_auto(GStrv) lines = g_strsplit (facts, "\n", -1);
  gsize         n = strlen (key);

  for (guint i = 0; lines[i] != NULL; i++)
    if (strncmp (lines[i], key, n) == 0 && lines[i][n] == ' ')
      return g_strdup (lines[i] + n + 1);
  return NULL;
}

static size_t
collect (char  *data,
         size_t size,
         size_t nmemb,
         void  *user_data)
{
  g_string_append_len (user_data, data, (gssize) (size * nmemb));
  return size * nmemb;
}

/* Admin API call (plain HTTP on loopback); returns the body. */
static char *
admin (Fixture    *f,
       const char *method,
       const char *path,
       const char *body)
{
  g_autofree char *url = g_strconcat (f->admin, path, NULL);
  GString         *out = g_string_new (NULL);
  CURL            *curl = curl_easy_init ();

  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, method);
  if (body != NULL)
    curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, out);
  g_assert_cmpint (curl_easy_perform (curl), ==, CURLE_OK);
  curl_easy_cleanup (curl);
  return g_string_free (out, FALSE);
}

static gint64
platform_cases (Fixture *f)
{
  g_autofree char       *body = admin (f, "GET", "cases", NULL);
  g_autoptr(JsonParser)  parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, body, -1, NULL));
  return json_object_get_int_member (json_node_get_object (json_parser_get_root (parser)), "count");
}

static void
file_requests (Fixture *f,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MnRequest) r = mn_request_new ();
      g_autoptr(GError)    error = NULL;
      g_autofree char     *uuid = g_uuid_string_random ();

      r->service_code = g_strdup (i % 2 ? "noise" : "sanitation");
      r->description = g_strdup_printf ("worker test %u %s", i, uuid);
      r->address_text = g_strdup ("幸福小区 3 号楼");
      g_assert_true (mn_store_file_request (f->store, r, NULL, &error));
      g_assert_no_error (error);
    }
}

static guint
waiting (Fixture *f)
{
  g_autoptr(GHashTable) counts = mn_store_count_outbox (f->store, NULL);

  return GPOINTER_TO_UINT (g_hash_table_lookup (counts, "queued")) +
         GPOINTER_TO_UINT (g_hash_table_lookup (counts, "retry")) +
         GPOINTER_TO_UINT (g_hash_table_lookup (counts, "sending"));
}

static void
on_changed (MnOutbox *outbox,
            Fixture  *f)
{
  f->changes++;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop (the worker reports on it) until nothing waits,
 * or @seconds pass; returns the seconds it took. */
static double
wait_drained (Fixture *f,
              guint    seconds)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add_seconds (seconds, on_timeout, &timed_out);
  gint64   start = g_get_monotonic_time ();

  while (!timed_out)
    {
      guint before = f->changes;

      while (f->changes == before && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      if (waiting (f) == 0 && mn_outbox_get_waiting (f->outbox) == 0)
        break;
    }
  if (!timed_out)
    g_source_remove (id);
  g_assert_false (timed_out);
  return (g_get_monotonic_time () - start) / 1e6;
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autofree char       *script = g_build_filename (g_getenv ("MINYIN_SOURCE_ROOT"), "tests",
                                                    "platform", "start-background.sh", NULL);
  g_autofree char       *platform_dir = NULL;
  g_autofree char       *pid = g_strdup_printf ("%d", (int) getpid ());
  g_autofree char       *out = NULL;
  g_autoptr(GError)      error = NULL;
  g_autoptr(MnSyncConfig) config = mn_sync_config_new ();
  int                    status = 0;
  const char            *argv[] = { "sh", script, NULL, "--quiet", "--watch-pid", pid,
                                    "--max-lifetime", "300", NULL };

  f->dir = g_dir_make_tmp ("minyin-outbox-XXXXXX", NULL);
  platform_dir = g_build_filename (f->dir, "platform", NULL);
  argv[2] = platform_dir;
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  f->url = fact (out, "URL");
  f->ca = fact (out, "CA");
  f->admin = fact (out, "ADMIN");
  g_assert_nonnull (f->admin);

  config->base_url = g_strdup (f->url);
  config->ca_file = g_strdup (f->ca);
  config->total_timeout = 5;
  {
    g_autofree char *data_dir = g_build_filename (f->dir, "terminal", NULL);

    g_assert_true (mn_sync_config_save (config, data_dir, &error));
    f->store = mn_store_open (data_dir, &error);
    g_assert_no_error (error);
  }
  f->outbox = mn_outbox_new (f->store);
  g_signal_connect (f->outbox, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_free (admin (f, "POST", "shutdown", "{}"));
  mn_outbox_stop (f->outbox);
  g_clear_object (&f->outbox);
  g_clear_object (&f->store);
  g_free (f->url);
  g_free (f->ca);
  g_free (f->admin);
  g_free (f->dir);
}

static void
test_worker (Fixture      *f,
             gconstpointer data)
{
  double took;

  /* What was filed before the worker started goes at once. */
  file_requests (f, 4);
  mn_outbox_start (f->outbox);
  wait_drained (f, 20);
  g_assert_true (mn_outbox_get_online (f->outbox));
  g_assert_cmpint (platform_cases (f), ==, 4);

  /* The platform is busy for a moment: the worker sleeps until the
   * Retry-After has passed, then sends, without being woken. */
  g_free (admin (f, "POST", "faults",
                 "{\"kind\": \"http503\", \"count\": 1, \"retry_after\": 2, "
                 "\"path\": \"requests\\\\.json$\", \"method\": \"POST\"}"));
  file_requests (f, 2);
  mn_outbox_wake (f->outbox);
  took = wait_drained (f, 20);
  g_test_message ("drained after a 503 with Retry-After 2 in %.1f s", took);
  g_assert_cmpfloat (took, >=, 1.5);
  g_assert_cmpint (platform_cases (f), ==, 6);

  /* The answer is lost after the platform stored the case: in doubt, the
   * next attempt finds it (client_uuid) or is replayed (Idempotency-Key),
   * never duplicated. */
  g_free (admin (f, "POST", "faults",
                 "{\"kind\": \"drop_after_commit\", \"count\": 2, "
                 "\"path\": \"requests\\\\.json$\", \"method\": \"POST\"}"));
  file_requests (f, 3);
  mn_outbox_wake (f->outbox);
  wait_drained (f, 60);
  g_assert_cmpint (platform_cases (f), ==, 9);

  /* The platform hangs: stopping the worker (the window closing) does not
   * wait for the timeout, and the request is kept for the next start. */
  {
    gint64 start;
    guint  tries = 0;

    g_free (admin (f, "POST", "faults",
                   "{\"kind\": \"hang\", \"hang_seconds\": 60, "
                   "\"path\": \"requests\\\\.json$\", \"method\": \"POST\"}"));
    g_free (admin (f, "POST", "stats/reset", "{}"));
    file_requests (f, 1);
    mn_outbox_wake (f->outbox);
    /* Wait until the POST is at the platform (it will never be answered). */
    for (;;)
      {
        g_autofree char *stats = admin (f, "GET", "stats", NULL);

        if (strstr (stats, "\"POST /open311/v2/requests.json\"") != NULL || ++tries > 200)
          break;
        g_usleep (G_USEC_PER_SEC / 20);
      }
    g_assert_cmpuint (tries, <=, 200);
    start = g_get_monotonic_time ();
    mn_outbox_stop (f->outbox);
    g_test_message ("stopped in %.2f s during a hung POST",
                    (g_get_monotonic_time () - start) / 1e6);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
    g_assert_cmpuint (waiting (f), ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add ("/outbox/worker", Fixture, NULL, fixture_set_up, test_worker, fixture_tear_down);
  return g_test_run ();
}
