/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "mn-connectivity.h"
#include "mn-device.h"
#include "mn-open311.h"
#include "mn-outbox.h"
#include "mn-store-sync.h"
#include "mn-sync-config.h"
#include "mn-transport.h"

/* Claimed at once: small, because every claimed message that a crash
 * interrupts must be looked for on the platform before it is re-posted. */
#define CLAIM_BATCH       16
/* Ids per status pull (GET requests.json?service_request_id=a,b,c). */
#define PULL_BATCH        50
/* Back-off: 5 s doubling to at most 15 minutes, with jitter. */
#define BACKOFF_BASE      5
#define BACKOFF_CAP       (15 * 60)
/* A token is asked about again this soon. */
#define TOKEN_RECHECK     5
/* How long `sync --once` waits when the platform asks it to (Retry-After);
 * longer requests end the pass with the time to come back. */
#define ONCE_MAX_WAIT     10
/* With nothing due, the background worker still looks this often. */
#define IDLE_INTERVAL     60
#define LOCK_FILE         "sync.lock"

struct _MnOutbox
{
  GObject          parent_instance;

  MnStore         *store;
  char            *data_dir;

  /* Owned by whichever thread runs a pass (one at a time: pass_lock). */
  GMutex           pass_lock;
  MnSyncConfig    *config;
  MnTransport     *transport;
  GHashTable      *definitions;  /* code → MnServiceDefinition or NULL (none declared) */
  GHashTable      *metadata;     /* code → GINT_TO_POINTER (has metadata) */
  char            *device_id;

  /* The background worker. */
  GThread         *thread;
  GMutex           lock;
  GCond            cond;
  gboolean         stopping;
  gboolean         woken;
  MnTransport     *transport_for_cancel; /* under lock: the transport in use */
  GMainContext    *context;
  MnConnectivity  *connectivity;
  gulong           online_handler;

  /* Worker thread: when the catalogue and statuses were last refreshed. */
  gint64           last_full_pass;

  /* Main-thread view for the indicator. */
  gboolean         checked;  /* a pass has reported */
  gboolean         online;
  guint            waiting;
};

G_DEFINE_FINAL_TYPE (MnOutbox, mn_outbox, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* What a pass does after a failure. */
typedef enum
{
  GO_ON,        /* this message failed; try the next one */
  STOP_PASS,    /* the platform cannot be used now; stop hammering it */
} Verdict;

typedef struct
{
  MnOutbox     *self;
  gboolean      ignore_schedule;
  MnSyncReport *report;
  GError       *pass_error;   /* the first reason the pass stopped, or the last failure */
  gint64        wait_until;   /* Retry-After, as a time */
  GArray       *sent;         /* MnSentMark: answered, not yet committed */
} Pass;

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* Exponential back-off with jitter: a thousand terminals back from one
 * outage spread out instead of arriving together. */
static gint64
backoff (guint attempts)
{
  double delay = BACKOFF_BASE;

  for (guint i = 1; i < attempts && delay < BACKOFF_CAP; i++)
    delay *= 2;
  delay = MIN (delay, BACKOFF_CAP);
  return (gint64) (delay * g_random_double_range (0.5, 1.0)) + 1;
}

static gboolean
is_connection_error (const GError *error)
{
  if (error == NULL || error->domain != MN_SYNC_ERROR)
    return FALSE;
  switch (error->code)
    {
    case MN_SYNC_ERROR_NOT_PROVISIONED:
    case MN_SYNC_ERROR_CONFIG:
    case MN_SYNC_ERROR_CONNECT:
    case MN_SYNC_ERROR_TLS_EXPIRED:
    case MN_SYNC_ERROR_TLS_UNTRUSTED:
    case MN_SYNC_ERROR_TLS_HOST:
    case MN_SYNC_ERROR_TLS_PIN:
    case MN_SYNC_ERROR_TLS:
    case MN_SYNC_ERROR_CAPTIVE:
    case MN_SYNC_ERROR_BUSY:
    case MN_SYNC_ERROR_TIMEOUT:
      return TRUE;
    default:
      return FALSE;
    }
}

static void
pass_note_error (Pass         *pass,
                 const GError *error)
{
  g_clear_error (&pass->pass_error);
  pass->pass_error = g_error_copy (error);
}

/* ---- set-up ---------------------------------------------------------------- */

static gboolean
ensure_transport (MnOutbox *self,
                  GError  **error)
{
  g_autoptr(MnSyncConfig) config = mn_sync_config_load (self->data_dir, error);
  g_autoptr(MnDevice)     device = NULL;

  if (config == NULL)
    return FALSE;
  /* Provisioning may have changed since the last pass: rebuild when it
   * did, keep the connection when it did not. */
  if (self->config != NULL && self->transport != NULL &&
      g_strcmp0 (self->config->base_url, config->base_url) == 0 &&
      g_strcmp0 (self->config->ca_file, config->ca_file) == 0 &&
      g_strcmp0 (self->config->pin_sha256, config->pin_sha256) == 0 &&
      self->config->total_timeout == config->total_timeout &&
      self->config->connect_timeout == config->connect_timeout)
    {
      g_clear_pointer (&self->config, mn_sync_config_free);
      self->config = g_steal_pointer (&config);
      return TRUE;
    }
  g_mutex_lock (&self->lock);
  self->transport_for_cancel = NULL;
  g_mutex_unlock (&self->lock);
  g_clear_pointer (&self->transport, mn_transport_free);
  self->transport = mn_transport_new (config, error);
  if (self->transport == NULL)
    return FALSE;
  g_clear_pointer (&self->config, mn_sync_config_free);
  self->config = g_steal_pointer (&config);
  g_mutex_lock (&self->lock);
  self->transport_for_cancel = self->transport;
  if (self->stopping)
    mn_transport_cancel (self->transport);
  g_mutex_unlock (&self->lock);

  device = mn_device_load (self->data_dir, NULL);
  g_free (self->device_id);
  self->device_id = device != NULL ? g_strdup_printf ("minyin-%s-%s", device->station,
                                                      device->terminal)
                                   : g_strdup ("minyin");
  return TRUE;
}

/* "&jurisdiction_id=…" when provisioned, else "". */
static char *
jurisdiction_query (MnOutbox *self,
                    char      sep)
{
  g_autofree char *j = NULL;

  if (self->config->jurisdiction == NULL)
    return g_strdup ("");
  j = g_uri_escape_string (self->config->jurisdiction, NULL, FALSE);
  return g_strdup_printf ("%cjurisdiction_id=%s", sep, j);
}

/* ---- catalogue ------------------------------------------------------------- */

static void
remember_services (MnOutbox  *self,
                   GPtrArray *services)
{
  g_hash_table_remove_all (self->metadata);
  for (guint i = 0; i < services->len; i++)
    {
      MnServiceInfo *info = g_ptr_array_index (services, i);

      g_hash_table_replace (self->metadata, g_strdup (info->code),
                            GINT_TO_POINTER (info->metadata ? 2 : 1));
    }
}

static gboolean
fetch_definition (MnOutbox   *self,
                  const char *code,
                  GError    **error)
{
  g_autofree char                *escaped = g_uri_escape_string (code, NULL, FALSE);
  g_autofree char                *jq = jurisdiction_query (self, '?');
  g_autofree char                *path = g_strdup_printf ("services/%s.json%s", escaped, jq);
  g_autoptr(MnResponse)           r = NULL;
  g_autoptr(JsonNode)             answer = NULL;
  g_autoptr(MnServiceDefinition)  d = NULL;
  gsize                           len = 0;
  const char                     *body;

  r = mn_transport_get (self->transport, path, NULL, NULL, error);
  if (r == NULL)
    return FALSE;
  answer = mn_open311_check_answer (r, FALSE, error);
  if (answer == NULL)
    return FALSE;
  body = g_bytes_get_data (r->body, &len);
  d = mn_service_definition_parse (body, (gssize) len, error);
  if (d == NULL)
    return FALSE;
  {
    g_autofree char *copy = g_strndup (body, len);

    if (!mn_store_set_service_definition (self->store, code, copy, error))
      return FALSE;
  }
  g_hash_table_replace (self->definitions, g_strdup (code), g_steal_pointer (&d));
  return TRUE;
}

static gboolean
refresh_catalogue (MnOutbox *self,
                   gboolean *out_changed,
                   GError  **error)
{
  g_autofree char      *body = NULL;
  g_autofree char      *etag = NULL;
  g_autofree char      *last_modified = NULL;
  g_autofree char      *path = NULL;
  g_autofree char      *jq = jurisdiction_query (self, '?');
  g_autoptr(MnResponse) r = NULL;
  g_autoptr(GPtrArray)  services = NULL;
  g_autoptr(GError)     local_error = NULL;
  gboolean              cached;
  gsize                 len = 0;
  const char           *data;

  *out_changed = FALSE;
  cached = mn_store_get_catalogue_cache (self->store, &body, &etag, &last_modified, NULL,
                                         &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  path = g_strconcat ("services.json", jq, NULL);
  r = mn_transport_get (self->transport, path, cached ? etag : NULL,
                        cached ? last_modified : NULL, error);
  if (r == NULL)
    return FALSE;

  if (r->status == 304 && cached)
    {
      services = mn_open311_parse_services (body, -1, NULL);
      if (services != NULL)
        remember_services (self, services);
      /* The cache is current: note when it was confirmed. */
      return mn_store_set_catalogue_cache (self->store, body, etag, last_modified, error);
    }

  {
    g_autoptr(JsonNode) answer = mn_open311_check_answer (r, FALSE, error);

    if (answer == NULL)
      return FALSE;
  }
  data = g_bytes_get_data (r->body, &len);
  services = mn_open311_parse_services (data, (gssize) len, error);
  if (services == NULL)
    return FALSE;
  {
    g_autofree char *copy = g_strndup (data, len);

    if (!mn_store_set_catalogue_cache (self->store, copy, r->etag, r->last_modified, error))
      return FALSE;
  }
  remember_services (self, services);
  *out_changed = TRUE;

  /* The definitions of categories with extra questions, for filing
   * offline and for knowing which attributes the platform accepts. */
  g_hash_table_remove_all (self->definitions);
  for (guint i = 0; i < services->len; i++)
    {
      MnServiceInfo *info = g_ptr_array_index (services, i);

      if (info->metadata && !fetch_definition (self, info->code, error))
        return FALSE;
    }
  return TRUE;
}

/* The definition to encode a request of @code with: from memory, the
 * store's cache, or the platform. NULL without error when the category
 * declares nothing. */
static gboolean
get_definition (MnOutbox             *self,
                const char           *code,
                MnServiceDefinition **out,
                GError              **error)
{
  g_autofree char *body = NULL;
  gpointer         value = NULL;
  g_autoptr(GError) local_error = NULL;

  *out = NULL;
  if (g_hash_table_lookup_extended (self->definitions, code, NULL, &value))
    {
      *out = value;
      return TRUE;
    }
  if (mn_store_get_service_definition (self->store, code, &body, NULL, &local_error))
    {
      MnServiceDefinition *d = mn_service_definition_parse (body, -1, NULL);

      if (d != NULL)
        {
          g_hash_table_replace (self->definitions, g_strdup (code), d);
          *out = d;
          return TRUE;
        }
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (GPOINTER_TO_INT (g_hash_table_lookup (self->metadata, code)) == 2)
    {
      if (!fetch_definition (self, code, error))
        return FALSE;
      *out = g_hash_table_lookup (self->definitions, code);
      return TRUE;
    }
  /* No metadata, or a category the catalogue does not list: nothing
   * beyond the standard fields may be sent. */
  g_hash_table_replace (self->definitions, g_strdup (code), NULL);
  return TRUE;
}

/* ---- creates --------------------------------------------------------------- */

/* Records a failed attempt and says whether the pass goes on. */
static Verdict
attempt_failed (Pass            *pass,
                MnOutboxMessage *m,
                const GError    *error,
                const MnResponse *response,
                gboolean         in_doubt)
{
  MnOutbox         *self = pass->self;
  g_autoptr(GError) store_error = NULL;
  gint64            next = now_seconds () + backoff (m->attempts + 1);

  pass_note_error (pass, error);

  if (g_error_matches (error, MN_SYNC_ERROR, MN_SYNC_ERROR_REFUSED))
    {
      pass->report->quarantined++;
      if (!mn_store_outbox_quarantine (self->store, m->id, error->message, &store_error))
        g_warning ("%s", store_error->message);
      return GO_ON;
    }

  if (g_error_matches (error, MN_SYNC_ERROR, MN_SYNC_ERROR_BUSY) && response != NULL &&
      response->retry_after >= 0)
    {
      next = now_seconds () + MAX (response->retry_after, 1);
      pass->wait_until = MAX (pass->wait_until, next);
    }

  pass->report->failed++;
  if (!mn_store_outbox_retry (self->store, m->id, next, error->message, in_doubt, FALSE,
                              &store_error))
    g_warning ("%s", store_error->message);
  return is_connection_error (error) ? STOP_PASS : GO_ON;
}

/* Gives claimed messages that were not tried back, as they were. */
static void
release (MnOutbox  *self,
         GPtrArray *claimed,
         guint      from)
{
  for (guint i = from; i < claimed->len; i++)
    {
      MnOutboxMessage  *m = g_ptr_array_index (claimed, i);
      g_autoptr(GError) error = NULL;

      if (!mn_store_outbox_retry (self->store, m->id, m->next_attempt_at, m->last_error,
                                  m->in_doubt, TRUE, &error))
        g_warning ("%s", error->message);
    }
}

/* The platform holds the message: its id is recorded with the next
 * group commit (flush_sent), one transaction and one disk flush for up to
 * a batch of messages. Until then the message stays "sending" in the
 * store, so a crash in between leaves it in doubt: it is looked for, or
 * re-posted under the same Idempotency-Key, never lost and never marked
 * sent without its platform id. */
static void
mark_sent (Pass            *pass,
           MnOutboxMessage *m,
           const char      *platform_id,
           const char      *how)
{
  MnSentMark mark = { 0 };

  mark.message_id = m->id;
  mark.platform_id = g_strdup (platform_id);
  mark.event_kind = g_strdup ("sent");
  mark.event_detail = how != NULL ? g_strdup_printf ("%s (%s)", platform_id, how)
                                  : g_strdup (platform_id);
  g_array_append_val (pass->sent, mark);
}

static void
clear_sent_mark (gpointer data)
{
  MnSentMark *mark = data;

  g_free (mark->platform_id);
  g_free (mark->event_kind);
  g_free (mark->event_detail);
}

static gboolean
flush_sent (Pass *pass)
{
  g_autoptr(GError) error = NULL;
  guint             n = pass->sent->len;
  gboolean          ok;

  if (n == 0)
    return TRUE;
  ok = mn_store_outbox_mark_sent_many (pass->self->store, pass->sent, &error);
  if (ok)
    pass->report->sent += n;
  else
    {
      /* The platform has them, the store could not say so: they stay
       * "sending" and are found on the platform next time. */
      pass_note_error (pass, error);
      pass->report->failed += n;
    }
  g_array_set_size (pass->sent, 0);
  return ok;
}

/* A token the platform answered earlier: ask it for the case number. */
static Verdict
resolve_token (Pass            *pass,
               MnOutboxMessage *m)
{
  MnOutbox             *self = pass->self;
  g_autofree char      *escaped = g_uri_escape_string (m->platform_token, NULL, FALSE);
  g_autofree char      *jq = jurisdiction_query (self, '?');
  g_autofree char      *path = g_strdup_printf ("tokens/%s.json%s", escaped, jq);
  g_autofree char      *id = NULL;
  g_autoptr(MnResponse) r = NULL;
  g_autoptr(JsonNode)   answer = NULL;
  g_autoptr(GError)     error = NULL;

  r = mn_transport_get (self->transport, path, NULL, NULL, &error);
  if (r != NULL)
    answer = mn_open311_check_answer (r, TRUE, &error);
  if (answer != NULL)
    {
      pass->report->contacted = TRUE;
      mn_open311_parse_token (answer, &id, &error);
    }
  if (id != NULL)
    {
      mark_sent (pass, m, id, _("from its token"));
      return GO_ON;
    }
  if (error == NULL || g_error_matches (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_FOUND) ||
      (r != NULL && r->status == 500))
    {
      /* Not decided yet (or the server calls a fresh token unknown): the
       * platform holds the request, so it is not posted again. */
      g_autoptr(GError) store_error = NULL;

      g_clear_error (&error);
      g_set_error_literal (&error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_FOUND,
                           _("The platform has the request but has not given it a case number "
                             "yet; the terminal will ask again."));
      pass_note_error (pass, error);
      pass->report->failed++;
      if (!mn_store_outbox_retry (self->store, m->id,
                                  now_seconds () + MIN (TOKEN_RECHECK * (m->attempts + 1), BACKOFF_CAP),
                                  error->message, FALSE, TRUE, &store_error))
        g_warning ("%s", store_error->message);
      return GO_ON;
    }
  if (g_error_matches (error, MN_SYNC_ERROR, MN_SYNC_ERROR_REFUSED))
    {
      /* A refused token lookup is not a refused request: keep it waiting. */
      error->code = MN_SYNC_ERROR_SERVER;
    }
  return attempt_failed (pass, m, error, r, FALSE);
}

/* Looks for a request whose earlier attempt is in doubt, by the client
 * uuid attribute. Returns TRUE when the answer settled it (@out_id set
 * when found). */
static gboolean
look_for (Pass            *pass,
          MnOutboxMessage *m,
          char           **out_id,
          GError         **error)
{
  MnOutbox             *self = pass->self;
  g_autofree char      *escaped = g_uri_escape_string (m->request->uuid, NULL, FALSE);
  g_autofree char      *jq = jurisdiction_query (self, '&');
  g_autofree char      *path = NULL;
  g_autoptr(MnResponse) r = NULL;
  g_autoptr(JsonNode)   answer = NULL;
  g_autoptr(GPtrArray)  cases = NULL;

  *out_id = NULL;
  /* Servers list only recent cases by default (90 days); a request kept
   * offline for long is looked for from the day it was filed. */
  {
    g_autoptr(GDateTime) since = g_date_time_new_from_unix_utc (m->request->created_at - 86400);
    g_autofree char     *iso = g_date_time_format (since, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char     *since_q = g_uri_escape_string (iso, NULL, FALSE);

    path = g_strdup_printf ("requests.json?attribute%%5Bclient_uuid%%5D=%s&start_date=%s%s",
                            escaped, since_q, jq);
  }
  r = mn_transport_get (self->transport, path, NULL, NULL, error);
  if (r == NULL)
    return FALSE;
  answer = mn_open311_check_answer (r, FALSE, error);
  if (answer == NULL)
    return FALSE;
  cases = mn_open311_parse_cases (answer, error);
  if (cases == NULL)
    return FALSE;
  pass->report->contacted = TRUE;
  if (cases->len > 0)
    *out_id = g_strdup (((MnOpen311Case *) g_ptr_array_index (cases, 0))->id);
  return TRUE;
}

static Verdict
send_create (Pass            *pass,
             MnOutboxMessage *m)
{
  MnOutbox             *self = pass->self;
  MnServiceDefinition  *definition = NULL;
  g_autoptr(MnContact)  contact = NULL;
  g_autoptr(GError)     error = NULL;
  g_autoptr(MnResponse) r = NULL;
  g_autoptr(JsonNode)   answer = NULL;
  g_autofree char      *form = NULL;
  g_autofree char      *id = NULL;
  g_autofree char      *token = NULL;

  if (m->platform_token != NULL)
    return resolve_token (pass, m);

  if (!get_definition (self, m->request->service_code, &definition, &error))
    return attempt_failed (pass, m, error, NULL, FALSE);

  /* In doubt: an earlier attempt may have created the case. Look for it
   * first where the platform lets us (client_uuid declared). Where it
   * does not, the re-post carries the same Idempotency-Key, which a
   * platform honouring it answers with the first answer; see HACKING.md
   * "Sync: a doubtful attempt" for the remaining risk. */
  if (m->in_doubt && mn_service_definition_declares (definition, "client_uuid"))
    {
      if (!look_for (pass, m, &id, &error))
        return attempt_failed (pass, m, error, NULL, TRUE);
      if (id != NULL)
        {
          pass->report->found_after_doubt++;
          mark_sent (pass, m, id, _("found on the platform after a doubtful attempt"));
          return GO_ON;
        }
    }

  if (!m->request->anonymous)
    {
      contact = mn_store_unseal_contact (self->store, m->request->uuid, &error);
      if (contact == NULL)
        return attempt_failed (pass, m, error, NULL, m->in_doubt);
    }

  form = mn_open311_encode_create (m->request, contact, definition, self->config,
                                   self->device_id);
  r = mn_transport_post_form (self->transport, "requests.json", form, m->request->uuid, &error);
  /* The form holds the contact and the key: wipe it now. */
  memset (form, 0, strlen (form));
  if (r == NULL)
    {
      gboolean sent = error->code != MN_SYNC_ERROR_CONNECT && error->code != MN_SYNC_ERROR_TLS &&
                      error->code != MN_SYNC_ERROR_TLS_EXPIRED &&
                      error->code != MN_SYNC_ERROR_TLS_UNTRUSTED &&
                      error->code != MN_SYNC_ERROR_TLS_HOST && error->code != MN_SYNC_ERROR_TLS_PIN &&
                      error->code != MN_SYNC_ERROR_CONFIG;

      return attempt_failed (pass, m, error, NULL, sent);
    }

  answer = mn_open311_check_answer (r, FALSE, &error);
  if (answer == NULL)
    {
      /* 4xx: the platform refused and holds nothing (a 404 or 400 is
       * final); 429 asks us to wait. Anything else after the request left
       * may have been committed. */
      gboolean doubt = !(r->status >= 400 && r->status < 500);

      return attempt_failed (pass, m, error, r, doubt);
    }
  pass->report->contacted = TRUE;
  if (!mn_open311_parse_created (answer, &id, &token, &error))
    return attempt_failed (pass, m, error, r, TRUE);

  if (id != NULL)
    {
      mark_sent (pass, m, id, NULL);
      return GO_ON;
    }

  {
    g_autoptr(GError) store_error = NULL;

    if (!mn_store_outbox_set_token (self->store, m->id, token, now_seconds (), &store_error))
      {
        pass_note_error (pass, store_error);
        return GO_ON;
      }
    g_free (m->platform_token);
    m->platform_token = g_steal_pointer (&token);
  }
  /* Often the number is there at once. */
  return resolve_token (pass, m);
}

/* ---- updates (feedback, re-handling) ----------------------------------------- */

static Verdict
send_update (Pass            *pass,
             MnOutboxMessage *m)
{
  MnOutbox             *self = pass->self;
  g_autoptr(GError)     error = NULL;
  g_autoptr(MnResponse) r = NULL;
  g_autoptr(JsonNode)   answer = NULL;
  g_autofree char      *form = NULL;
  g_autofree char      *update_id = NULL;

  if (m->request->platform_id == NULL)
    {
      g_autoptr(GError) store_error = NULL;

      /* The request itself has not reached the platform: the update waits
       * for it, it did not fail. */
      if (!mn_store_outbox_retry (self->store, m->id, now_seconds () + BACKOFF_BASE,
                                  _("Waits for the request itself to reach the platform."),
                                  FALSE, TRUE, &store_error))
        g_warning ("%s", store_error->message);
      pass->report->failed++;
      return GO_ON;
    }

  form = mn_open311_encode_update (m->payload, m->request->platform_id, self->config, &update_id,
                                   &error);
  if (form == NULL)
    {
      error->code = MN_SYNC_ERROR_REFUSED;
      return attempt_failed (pass, m, error, NULL, FALSE);
    }
  r = mn_transport_post_form (self->transport, "servicerequestupdates.json", form, update_id,
                              &error);
  if (r == NULL)
    return attempt_failed (pass, m, error, NULL, error->code != MN_SYNC_ERROR_CONNECT);

  if (r->status == 404 || r->status == 405 || r->status == 501)
    {
      /* The platform does not offer servicerequestupdates (or not yet):
       * the feedback stays queued and visible, and is tried again rarely. */
      g_autoptr(GError) store_error = NULL;
      g_autoptr(GError) why = g_error_new_literal (MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_FOUND,
                                                   _("The platform does not take feedback "
                                                     "through this terminal yet; it stays "
                                                     "queued here."));

      pass->report->contacted = TRUE;
      pass_note_error (pass, why);
      pass->report->failed++;
      if (!mn_store_outbox_retry (self->store, m->id, now_seconds () + BACKOFF_CAP, why->message,
                                  FALSE, TRUE, &store_error))
        g_warning ("%s", store_error->message);
      return GO_ON;
    }
  answer = mn_open311_check_answer (r, FALSE, &error);
  if (answer == NULL)
    return attempt_failed (pass, m, error, r, !(r->status >= 400 && r->status < 500));
  pass->report->contacted = TRUE;
  if (!mn_open311_parse_update (answer, &error))
    return attempt_failed (pass, m, error, r, TRUE);

  {
    g_autoptr(GError) store_error = NULL;

    if (!mn_store_outbox_mark_sent (self->store, m->id, NULL, "update_sent", update_id,
                                    &store_error))
      pass_note_error (pass, store_error);
    else
      pass->report->sent++;
  }
  return GO_ON;
}

/* ---- the outbox drain ---------------------------------------------------------- */

static gboolean
drain_kind (Pass       *pass,
            const char *kind)
{
  MnOutbox *self = pass->self;
  gint64    cursor = 0;

  for (;;)
    {
      g_autoptr(GPtrArray) claimed = NULL;
      g_autoptr(GError)    error = NULL;

      claimed = mn_store_outbox_claim (self->store, kind, cursor, CLAIM_BATCH, now_seconds (),
                                       pass->ignore_schedule, &error);
      if (claimed == NULL)
        {
          pass_note_error (pass, error);
          return FALSE;
        }
      if (claimed->len == 0)
        return TRUE;

      for (guint i = 0; i < claimed->len; i++)
        {
          MnOutboxMessage *m = g_ptr_array_index (claimed, i);
          Verdict          verdict;

          cursor = m->id;
          verdict = g_strcmp0 (kind, MN_OUTBOX_CREATE) == 0 ? send_create (pass, m)
                                                            : send_update (pass, m);
          if (verdict == STOP_PASS)
            {
              release (self, claimed, i + 1);
              flush_sent (pass);
              return FALSE;
            }
        }
      if (!flush_sent (pass))
        return FALSE;
    }
}

/* ---- status pull-back ------------------------------------------------------------ */

static gboolean
apply_cases (Pass      *pass,
             GPtrArray *cases)
{
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError)    error = NULL;
  guint                changed = 0;

  for (guint i = 0; i < cases->len; i++)
    {
      MnOpen311Case    *c = g_ptr_array_index (cases, i);
      MnPlatformStatus *st = g_new0 (MnPlatformStatus, 1);

      st->platform_id = c->id;
      st->status = mn_open311_local_status (c);
      st->status_notes = c->status_notes;
      st->agency = c->agency;
      st->expected_at = c->expected_at;
      g_ptr_array_add (statuses, st);
    }
  /* One transaction per batch: one disk flush for fifty cases. */
  if (!mn_store_apply_platform_statuses (pass->self->store, statuses, &changed, &error))
    {
      pass_note_error (pass, error);
      return FALSE;
    }
  pass->report->statuses_changed += changed;
  return TRUE;
}

static gboolean
pull_one (Pass       *pass,
          const char *id,
          GError    **error)
{
  g_autofree char      *escaped = g_uri_escape_string (id, NULL, FALSE);
  g_autofree char      *jq = jurisdiction_query (pass->self, '?');
  g_autofree char      *path = g_strdup_printf ("requests/%s.json%s", escaped, jq);
  g_autoptr(MnResponse) r = NULL;
  g_autoptr(JsonNode)   answer = NULL;
  g_autoptr(GPtrArray)  cases = NULL;

  r = mn_transport_get (pass->self->transport, path, NULL, NULL, error);
  if (r == NULL)
    return FALSE;
  /* An unknown id: 404, 500 or []: nothing to update. */
  if (r->status == 404 || r->status == 500)
    return TRUE;
  answer = mn_open311_check_answer (r, TRUE, error);
  if (answer == NULL)
    return FALSE;
  cases = mn_open311_parse_cases (answer, error);
  if (cases == NULL)
    return FALSE;
  pass->report->contacted = TRUE;
  return apply_cases (pass, cases);
}

static gboolean
pull_statuses (Pass *pass)
{
  MnOutbox            *self = pass->self;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GError)    error = NULL;

  ids = mn_store_platform_ids_to_pull (self->store, &error);
  if (ids == NULL)
    {
      pass_note_error (pass, error);
      return FALSE;
    }

  for (guint start = 0; start < ids->len; start += PULL_BATCH)
    {
      g_autoptr(GString)    path = g_string_new ("requests.json?service_request_id=");
      g_autoptr(MnResponse) r = NULL;
      g_autoptr(JsonNode)   answer = NULL;
      g_autoptr(GPtrArray)  cases = NULL;
      g_autofree char      *jq = jurisdiction_query (self, '&');
      guint                 end = MIN (start + PULL_BATCH, ids->len);

      for (guint i = start; i < end; i++)
        {
          g_autofree char *escaped = g_uri_escape_string (g_ptr_array_index (ids, i), NULL, FALSE);

          g_string_append_printf (path, "%s%s", i > start ? "," : "", escaped);
        }
      g_string_append (path, jq);

      r = mn_transport_get (self->transport, path->str, NULL, NULL, &error);
      if (r == NULL)
        {
          pass_note_error (pass, error);
          return FALSE;
        }
      if (r->status == 404 || r->status == 500)
        {
          /* Some servers refuse a whole batch for one unknown id: ask one
           * by one. */
          for (guint i = start; i < end; i++)
            if (!pull_one (pass, g_ptr_array_index (ids, i), &error))
              {
                pass_note_error (pass, error);
                return FALSE;
              }
          continue;
        }
      answer = mn_open311_check_answer (r, FALSE, &error);
      if (answer == NULL || (cases = mn_open311_parse_cases (answer, &error)) == NULL)
        {
          pass_note_error (pass, error);
          return FALSE;
        }
      pass->report->contacted = TRUE;
      if (!apply_cases (pass, cases))
        return FALSE;
    }
  return TRUE;
}

/* ---- one pass -------------------------------------------------------------------- */

/* Only one process syncs a data directory at a time (the window's worker
 * or `minyin sync`): a message marked "sending" by a live process must
 * not be taken for one a crash left behind. */
static int
take_lock (MnOutbox *self,
           GError  **error)
{
  g_autofree char *path = g_build_filename (self->data_dir, LOCK_FILE, NULL);
  int              fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("Could not open %s (%s); check that the data directory is writable."), path,
                   g_strerror (errno));
      return -1;
    }
  if (flock (fd, LOCK_EX | LOCK_NB) != 0)
    {
      close (fd);
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_LOCKED,
                           _("Another Minyin program (the window, or another 'minyin sync') is "
                             "syncing this terminal right now; wait for it to finish."));
      return -1;
    }
  return fd;
}

static void
count_outbox (MnOutbox     *self,
              MnSyncReport *report)
{
  g_autoptr(GHashTable) counts = mn_store_count_outbox (self->store, NULL);

  if (counts == NULL)
    return;
  report->waiting = GPOINTER_TO_UINT (g_hash_table_lookup (counts, "queued")) +
                    GPOINTER_TO_UINT (g_hash_table_lookup (counts, "retry")) +
                    GPOINTER_TO_UINT (g_hash_table_lookup (counts, "sending"));
  report->in_quarantine = GPOINTER_TO_UINT (g_hash_table_lookup (counts, "quarantined"));
}

static gboolean
run_pass (Pass *pass)
{
  MnOutbox         *self = pass->self;
  g_autoptr(GError) error = NULL;
  gboolean          go_on;
  gboolean          full;

  if (!ensure_transport (self, &error))
    {
      pass_note_error (pass, error);
      return FALSE;
    }

  /* The catalogue first: it is also the cheap probe that the platform
   * (and not a Wi-Fi login page) is there. The background worker, which
   * wakes whenever a message falls due, refreshes it and pulls statuses
   * only now and then; a pass someone asked for always does. */
  full = pass->ignore_schedule || now_seconds () - self->last_full_pass >= IDLE_INTERVAL;
  if (!full)
    ;
  else if (!refresh_catalogue (self, &pass->report->catalogue_changed, &error))
    {
      pass_note_error (pass, error);
      if (is_connection_error (error))
        return FALSE;
      g_clear_error (&error);
    }
  else
    pass->report->contacted = TRUE;

  go_on = drain_kind (pass, MN_OUTBOX_CREATE);
  if (go_on)
    go_on = drain_kind (pass, MN_OUTBOX_UPDATE);
  if (go_on && full)
    {
      go_on = pull_statuses (pass);
      if (go_on)
        self->last_full_pass = now_seconds ();
    }
  return go_on;
}

gboolean
mn_outbox_sync (MnOutbox     *self,
                gboolean      ignore_schedule,
                MnSyncReport *report,
                GCancellable *cancellable,
                GError      **error)
{
  MnSyncReport      local_report = { 0 };
  Pass              pass = { 0 };
  g_autoptr(GError) store_error = NULL;
  gboolean          ok;
  int               fd;

  g_return_val_if_fail (MN_IS_OUTBOX (self), FALSE);

  if (report == NULL)
    report = &local_report;
  memset (report, 0, sizeof *report);

  fd = take_lock (self, error);
  if (fd < 0)
    return FALSE;

  g_mutex_lock (&self->pass_lock);
  pass.self = self;
  pass.ignore_schedule = ignore_schedule;
  pass.report = report;
  pass.sent = g_array_new (FALSE, TRUE, sizeof (MnSentMark));
  g_array_set_clear_func (pass.sent, clear_sent_mark);

  for (guint round = 0;; round++)
    {
      gint64 wait;

      pass.wait_until = 0;
      ok = run_pass (&pass);
      /* The worker thread never sleeps here: it reschedules instead, and
       * must stay quick to stop. */
      if (ok || pass.wait_until == 0 || !ignore_schedule || round >= 3 ||
          self->thread != NULL || g_cancellable_is_cancelled (cancellable))
        break;
      /* The platform asked to wait (Retry-After): a pass a person asked
       * for waits that long, if it is short, and goes on. */
      wait = pass.wait_until - now_seconds ();
      if (wait > ONCE_MAX_WAIT)
        break;
      if (wait > 0)
        g_usleep ((gulong) wait * G_USEC_PER_SEC);
    }

  count_outbox (self, report);
  if (ok && report->waiting > 0)
    {
      ok = FALSE;
      if (pass.pass_error == NULL)
        g_set_error (&pass.pass_error, MN_SYNC_ERROR, MN_SYNC_ERROR_SERVER,
                     ngettext ("%u message is still waiting to be sent; it goes later by itself.",
                               "%u messages are still waiting to be sent; they go later by "
                               "themselves.",
                               report->waiting),
                     report->waiting);
    }
  if (ok && report->quarantined > 0)
    {
      ok = FALSE;
      if (pass.pass_error == NULL)
        g_set_error (&pass.pass_error, MN_SYNC_ERROR, MN_SYNC_ERROR_REFUSED,
                     _("The platform refused some requests; staff can see them with 'minyin "
                       "quarantine'."));
    }

  if (!mn_store_set_sync_state (self->store, report->contacted ? now_seconds () : 0,
                                ok ? NULL : pass.pass_error->message, &store_error))
    g_warning ("%s", store_error->message);

  g_mutex_unlock (&self->pass_lock);
  g_array_unref (pass.sent);
  flock (fd, LOCK_UN);
  close (fd);

  if (!ok)
    {
      g_propagate_error (error, g_steal_pointer (&pass.pass_error));
      return FALSE;
    }
  g_clear_error (&pass.pass_error);
  return TRUE;
}

gboolean
mn_outbox_refresh_catalogue (MnOutbox *self,
                             gboolean *out_changed,
                             GError  **error)
{
  gboolean changed = FALSE;
  gboolean ok;

  g_return_val_if_fail (MN_IS_OUTBOX (self), FALSE);

  g_mutex_lock (&self->pass_lock);
  ok = ensure_transport (self, error) && refresh_catalogue (self, &changed, error);
  g_mutex_unlock (&self->pass_lock);
  if (ok)
    mn_store_set_sync_state (self->store, now_seconds (), NULL, NULL);
  if (out_changed != NULL)
    *out_changed = changed;
  return ok;
}

/* ---- the background worker ----------------------------------------------------------- */

typedef struct
{
  MnOutbox *self;
  gboolean  online;
  guint     waiting;
} ChangedData;

static gboolean
emit_changed (gpointer data)
{
  ChangedData *d = data;

  d->self->checked = TRUE;
  d->self->online = d->online;
  d->self->waiting = d->waiting;
  g_signal_emit (d->self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
changed_data_free (gpointer data)
{
  ChangedData *d = data;

  g_object_unref (d->self);
  g_free (d);
}

static gboolean
mn_outbox_get_next_due (MnOutbox *self,
                        gint64   *out_next_due)
{
  return mn_store_outbox_next_due (self->store, out_next_due, NULL);
}

static gpointer
worker_main (gpointer data)
{
  MnOutbox *self = data;
  gboolean  ignore_schedule = TRUE;

  for (;;)
    {
      MnSyncReport      report = { 0 };
      g_autoptr(GError) error = NULL;
      ChangedData      *d;
      gint64            deadline;

      mn_outbox_sync (self, ignore_schedule, &report, NULL, &error);

      d = g_new0 (ChangedData, 1);
      d->self = g_object_ref (self);
      d->online = report.contacted;
      d->waiting = report.waiting;
      g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, emit_changed, d,
                                  changed_data_free);

      /* Sleep until the first waiting message falls due (its back-off
       * or Retry-After), and at most IDLE_INTERVAL, for statuses. */
      {
        gint64 next_due = 0;
        gint64 wait = IDLE_INTERVAL;

        if (mn_outbox_get_next_due (self, &next_due) && next_due > 0)
          wait = CLAMP (next_due - now_seconds (), 1, IDLE_INTERVAL);
        deadline = g_get_monotonic_time () + wait * G_TIME_SPAN_SECOND;
      }
      g_mutex_lock (&self->lock);
      while (!self->stopping && !self->woken)
        if (!g_cond_wait_until (&self->cond, &self->lock, deadline))
          break;
      ignore_schedule = self->woken;
      self->woken = FALSE;
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      g_mutex_unlock (&self->lock);
    }
  return NULL;
}

static void
on_online (MnConnectivity *connectivity,
           gpointer        user_data)
{
  /* The connection came back: everything waiting goes now, not at its
   * back-off time. */
  mn_outbox_wake (user_data);
}

void
mn_outbox_start (MnOutbox *self)
{
  g_return_if_fail (MN_IS_OUTBOX (self));

  if (self->thread != NULL)
    return;
  self->stopping = FALSE;
  self->connectivity = mn_connectivity_new ();
  self->online_handler = g_signal_connect (self->connectivity, "online", G_CALLBACK (on_online),
                                           self);
  self->thread = g_thread_new ("mn-outbox", worker_main, self);
}

void
mn_outbox_stop (MnOutbox *self)
{
  g_return_if_fail (MN_IS_OUTBOX (self));

  if (self->thread == NULL)
    return;
  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  /* A transfer in progress ends now, not at its timeout: the window must
   * close at once. A message cut off this way is in doubt, and looked for
   * at the next start. */
  if (self->transport_for_cancel != NULL)
    mn_transport_cancel (self->transport_for_cancel);
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
  g_thread_join (g_steal_pointer (&self->thread));
  self->stopping = FALSE;
  /* The cancelled transport is of no further use. */
  self->transport_for_cancel = NULL;
  g_clear_pointer (&self->transport, mn_transport_free);
  g_clear_signal_handler (&self->online_handler, self->connectivity);
  g_clear_object (&self->connectivity);
}

void
mn_outbox_wake (MnOutbox *self)
{
  g_return_if_fail (MN_IS_OUTBOX (self));

  g_mutex_lock (&self->lock);
  self->woken = TRUE;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

gboolean
mn_outbox_get_checked (MnOutbox *self)
{
  g_return_val_if_fail (MN_IS_OUTBOX (self), FALSE);
  return self->checked;
}

gboolean
mn_outbox_get_online (MnOutbox *self)
{
  g_return_val_if_fail (MN_IS_OUTBOX (self), FALSE);
  return self->online;
}

guint
mn_outbox_get_waiting (MnOutbox *self)
{
  g_return_val_if_fail (MN_IS_OUTBOX (self), 0);
  return self->waiting;
}

/* ---- GObject ------------------------------------------------------------------------ */

static void
mn_outbox_dispose (GObject *object)
{
  MnOutbox *self = MN_OUTBOX (object);

  mn_outbox_stop (self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (mn_outbox_parent_class)->dispose (object);
}

static void
mn_outbox_finalize (GObject *object)
{
  MnOutbox *self = MN_OUTBOX (object);

  g_clear_pointer (&self->transport, mn_transport_free);
  g_clear_pointer (&self->config, mn_sync_config_free);
  g_clear_pointer (&self->definitions, g_hash_table_unref);
  g_clear_pointer (&self->metadata, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->device_id);
  g_free (self->data_dir);
  g_mutex_clear (&self->pass_lock);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  G_OBJECT_CLASS (mn_outbox_parent_class)->finalize (object);
}

static void
mn_outbox_class_init (MnOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mn_outbox_dispose;
  object_class->finalize = mn_outbox_finalize;

  /* Emitted on the creator's main context after every pass: read
   * mn_outbox_get_online() and mn_outbox_get_waiting(). */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
mn_outbox_init (MnOutbox *self)
{
  g_mutex_init (&self->pass_lock);
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->definitions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) mn_service_definition_free);
  self->metadata = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

MnOutbox *
mn_outbox_new (MnStore *store)
{
  MnOutbox *self;

  g_return_val_if_fail (MN_IS_STORE (store), NULL);

  self = g_object_new (MN_TYPE_OUTBOX, NULL);
  self->store = g_object_ref (store);
  self->data_dir = g_strdup (mn_store_get_data_dir (store));
  self->context = g_main_context_ref_thread_default ();
  return self;
}
