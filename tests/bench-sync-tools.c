/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Helpers of the sync benchmark (tests/bench-sync.py):
 *
 *   bench-sync-tools fill DATA_DIR N
 *     files N requests into the store of DATA_DIR through the store's own
 *     API (what `minyin file` does, without a process per request);
 *
 *   bench-sync-tools curl-loop URL CA N
 *     the bare baseline: N form POSTs to URL/requests.json on one reused
 *     libcurl handle, each with its own Idempotency-Key, no store, no
 *     parsing beyond the status; prints the seconds taken. */
#include "config.h"

#include <curl/curl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mn-device.h"
#include "mn-store.h"

/* The day's sequence of case codes is per store; a second terminal
 * identity starts its own. */
static gboolean
restart_sequence (const char *data_dir)
{
  g_autofree char *path = g_build_filename (data_dir, "minyin.db", NULL);
  sqlite3         *db = NULL;
  int              rc = sqlite3_open (path, &db);

  if (rc == SQLITE_OK)
    rc = sqlite3_exec (db, "UPDATE case_sequences SET day = day || '-terminal-' || last",
                       NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    fprintf (stderr, "%s\n", sqlite3_errmsg (db));
  sqlite3_close (db);
  return rc == SQLITE_OK;
}

static int
fill (const char *data_dir,
      guint       n)
{
  g_autoptr(GError)  error = NULL;
  g_autoptr(MnStore) store = mn_store_open (data_dir, &error);
  const char        *codes[] = { "sanitation", "noise", "illegal_build", "road_light" };

  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MnRequest) r = mn_request_new ();

      /* A terminal gives out at most 9999 case codes a day: beyond that,
       * the requests are filed as a second terminal of the station (the
       * store follows device.ini), as two kiosks of one station would. */
      if (i > 0 && i % 9000 == 0)
        {
          MnDevice         device = { (char *) "3309", NULL };
          g_autofree char *terminal = g_strdup_printf ("%02u", 1 + i / 9000);

          device.terminal = terminal;
          g_clear_object (&store);
          if (!mn_device_save (&device, data_dir, &error) || !restart_sequence (data_dir) ||
              (store = mn_store_open (data_dir, &error)) == NULL)
            {
              fprintf (stderr, "%s\n", error != NULL ? error->message : "");
              return 1;
            }
        }

      r->service_code = g_strdup (codes[i % G_N_ELEMENTS (codes)]);
      r->description = g_strdup_printf ("bench #%u: 楼道灯坏了，晚上看不见台阶，老人上下楼很危险。", i);
      r->address_text = g_strdup ("幸福小区 3 号楼");
      r->urgency = MN_URGENCY_ROUTINE;
      r->channel = MN_CHANNEL_KIOSK;
      if (!mn_store_file_request (store, r, NULL, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
    }
  return 0;
}

static size_t
discard (char  *data,
         size_t size,
         size_t nmemb,
         void  *user_data)
{
  return size * nmemb;
}

static int
curl_loop (const char *base_url,
           const char *ca,
           guint       n)
{
  g_autofree char *url = g_strconcat (base_url, "requests.json", NULL);
  CURL            *curl;
  gint64           start;
  guint            ok = 0;

  curl_global_init (CURL_GLOBAL_DEFAULT);
  curl = curl_easy_init ();
  curl_easy_setopt (curl, CURLOPT_URL, url);
  curl_easy_setopt (curl, CURLOPT_CAINFO, ca);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt (curl, CURLOPT_ACCEPT_ENCODING, "");

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_autofree char   *uuid = g_uuid_string_random ();
      g_autofree char   *key = g_strconcat ("Idempotency-Key: ", uuid, NULL);
      g_autofree char   *body = NULL;
      g_autofree char   *desc = g_uri_escape_string ("bench: 楼道灯坏了，晚上看不见台阶，老人上下楼很危险。", NULL, FALSE);
      struct curl_slist *headers = NULL;
      long               status = 0;

      /* The same shape as the terminal's own requests (a category that
       * declares client_uuid and urgency), so the platform does the same
       * work for both. */
      body = g_strdup_printf ("service_code=sanitation&address_string=%%E5%%B9%%B8&description=%s%%20%u"
                              "&device_id=bench&attribute%%5Bclient_uuid%%5D=%s"
                              "&attribute%%5Burgency%%5D=routine",
                              desc, i, uuid);
      headers = curl_slist_append (headers, key);
      headers = curl_slist_append (headers, "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
      headers = curl_slist_append (headers, "Expect:");
      curl_easy_setopt (curl, CURLOPT_HTTPHEADER, headers);
      curl_easy_setopt (curl, CURLOPT_COPYPOSTFIELDS, body);
      if (curl_easy_perform (curl) == CURLE_OK)
        {
          curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
          if (status == 200 || status == 201)
            ok++;
        }
      curl_slist_free_all (headers);
    }
  printf ("%.3f %u\n", (g_get_monotonic_time () - start) / 1e6, ok);
  curl_easy_cleanup (curl);
  return ok == n ? 0 : 1;
}

int
main (int    argc,
      char **argv)
{
  if (argc == 4 && strcmp (argv[1], "fill") == 0)
    return fill (argv[2], (guint) atoi (argv[3]));
  if (argc == 5 && strcmp (argv[1], "curl-loop") == 0)
    return curl_loop (argv[2], argv[3], (guint) atoi (argv[4]));
  fprintf (stderr, "usage: bench-sync-tools fill DATA_DIR N | curl-loop URL CA N\n");
  return 2;
}
