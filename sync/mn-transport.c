/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

/* libcurl is called through the pointers below (see curl_open()), so its
 * macros that check each curl_easy_setopt() value's type at compile time
 * cannot wrap the calls. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <glib/gi18n.h>
#include <gmodule.h>
#include <string.h>

#include "mn-transport.h"

/* An answer larger than this is not an Open311 answer a terminal needs;
 * refusing it bounds memory whatever a server (or an attacker) sends. */
#define MAX_BODY_BYTES (16 * 1024 * 1024)

/* X509_V_ERR_* values (stable in OpenSSL's ABI), as reported through
 * CURLINFO_SSL_VERIFYRESULT; OpenSSL's headers are not needed for four
 * numbers. */
#define X509_CERT_NOT_YET_VALID     9
#define X509_CERT_HAS_EXPIRED       10
#define X509_DEPTH_ZERO_SELF_SIGNED 18
#define X509_SELF_SIGNED_IN_CHAIN   19
#define X509_UNABLE_TO_GET_ISSUER   20
#define X509_UNABLE_TO_VERIFY_LEAF  21
#define X509_HOSTNAME_MISMATCH      62

/* libcurl is opened when the first transport is made (on the outbox's
 * thread, after the kiosk's first frame), not linked: linked, it and the
 * two dozen libraries it brings (OpenSSL, GnuTLS through LDAP and RTMP,
 * Kerberos ...) were loaded and relocated before the first frame, 6 ms and
 * 5.5 MB on a plain libadwaita window (tests/bench-ui.c's baseline, linked
 * with -lcurl). Only the header is used at build time. */
#define CURL_LIBRARY "libcurl.so.4"

static struct
{
  CURLcode (*global_init) (long);
  CURL *(*easy_init) (void);
  CURLcode (*easy_setopt) (CURL *, CURLoption, ...);
  CURLcode (*easy_perform) (CURL *);
  CURLcode (*easy_getinfo) (CURL *, CURLINFO, ...);
  void (*easy_cleanup) (CURL *);
  const char *(*easy_strerror) (CURLcode);
  struct curl_slist *(*slist_append) (struct curl_slist *, const char *);
  void (*slist_free_all) (struct curl_slist *);
  time_t (*getdate) (const char *, const time_t *);
} libcurl;

enum
{
  CURL_OPENED = 1,
  CURL_MISSING,
  CURL_FAILED,
};

static gboolean
curl_open (GError **error)
{
  static gsize opened;

  if (g_once_init_enter (&opened))
    {
      /* MINYIN_CURL_LIBRARY: for the test of a missing library. */
      const char *name = g_getenv ("MINYIN_CURL_LIBRARY");
      GModule *module = g_module_open (name != NULL ? name : CURL_LIBRARY,
                                       G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gboolean ok = module != NULL &&
        g_module_symbol (module, "curl_global_init", (gpointer *) &libcurl.global_init) &&
        g_module_symbol (module, "curl_easy_init", (gpointer *) &libcurl.easy_init) &&
        g_module_symbol (module, "curl_easy_setopt", (gpointer *) &libcurl.easy_setopt) &&
        g_module_symbol (module, "curl_easy_perform", (gpointer *) &libcurl.easy_perform) &&
        g_module_symbol (module, "curl_easy_getinfo", (gpointer *) &libcurl.easy_getinfo) &&
        g_module_symbol (module, "curl_easy_cleanup", (gpointer *) &libcurl.easy_cleanup) &&
        g_module_symbol (module, "curl_easy_strerror", (gpointer *) &libcurl.easy_strerror) &&
        g_module_symbol (module, "curl_slist_append", (gpointer *) &libcurl.slist_append) &&
        g_module_symbol (module, "curl_slist_free_all", (gpointer *) &libcurl.slist_free_all) &&
        g_module_symbol (module, "curl_getdate", (gpointer *) &libcurl.getdate);

      if (ok)
        {
          /* Never closed: libcurl's global state lives as long as the process. */
          g_module_make_resident (module);
          g_once_init_leave (&opened, libcurl.global_init (CURL_GLOBAL_DEFAULT) == CURLE_OK
                                      ? CURL_OPENED : CURL_FAILED);
        }
      else
        {
          g_debug ("Could not open libcurl: %s", g_module_error ());
          g_clear_pointer (&module, g_module_close);
          g_once_init_leave (&opened, CURL_MISSING);
        }
    }
  switch (opened)
    {
    case CURL_OPENED:
      return TRUE;
    case CURL_MISSING:
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("This terminal cannot reach the platform: the libcurl library is missing. "
                     "Install the libcurl4 package."));
      return FALSE;
    default:
      /* Its TLS library, or memory, failed it. */
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("This terminal cannot reach the platform: the libcurl library could not start. "
                     "Reinstall the libcurl4 and libssl3 packages, then restart the terminal."));
      return FALSE;
    }
}

struct _MnTransport
{
  CURL        *curl;
  char        *base_url;
  char        *user_agent;
  GByteArray  *body;
  gboolean     too_big;
  char        *etag;
  char        *last_modified;
  char        *retry_after;
  char         error_buffer[CURL_ERROR_SIZE];
  guint        n_connects;
  gint         cancelled; /* atomic */
};

void
mn_response_free (MnResponse *r)
{
  if (r == NULL)
    return;
  g_clear_pointer (&r->body, g_bytes_unref);
  g_free (r->content_type);
  g_free (r->etag);
  g_free (r->last_modified);
  g_free (r);
}

static gsize
on_body (char  *data,
         size_t size,
         size_t nmemb,
         void  *user_data)
{
  MnTransport *self = user_data;
  gsize        len = size * nmemb;

  if (self->body->len + len > MAX_BODY_BYTES)
    {
      self->too_big = TRUE;
      return 0;
    }
  g_byte_array_append (self->body, (const guint8 *) data, (guint) len);
  return len;
}

static char *
header_value (const char *line,
              gsize       len,
              const char *name)
{
  gsize n = strlen (name);

  if (len <= n + 1 || g_ascii_strncasecmp (line, name, n) != 0 || line[n] != ':')
    return NULL;
  return g_strstrip (g_strndup (line + n + 1, len - n - 1));
}

static gsize
on_header (char  *data,
           size_t size,
           size_t nmemb,
           void  *user_data)
{
  MnTransport *self = user_data;
  gsize        len = size * nmemb;
  char        *value;

  /* A new status line starts a new answer (after a 100 Continue). */
  if (len > 5 && strncmp (data, "HTTP/", 5) == 0)
    {
      g_clear_pointer (&self->etag, g_free);
      g_clear_pointer (&self->last_modified, g_free);
      g_clear_pointer (&self->retry_after, g_free);
    }
  else if ((value = header_value (data, len, "ETag")) != NULL)
    g_free (g_steal_pointer (&self->etag)), self->etag = value;
  else if ((value = header_value (data, len, "Last-Modified")) != NULL)
    g_free (g_steal_pointer (&self->last_modified)), self->last_modified = value;
  else if ((value = header_value (data, len, "Retry-After")) != NULL)
    g_free (g_steal_pointer (&self->retry_after)), self->retry_after = value;
  return len;
}

static int
on_progress (void      *user_data,
             curl_off_t dltotal,
             curl_off_t dlnow,
             curl_off_t ultotal,
             curl_off_t ulnow)
{
  MnTransport *self = user_data;

  /* Non-zero aborts the transfer (CURLE_ABORTED_BY_CALLBACK). */
  return g_atomic_int_get (&self->cancelled);
}

void
mn_transport_cancel (MnTransport *self)
{
  g_return_if_fail (self != NULL);
  g_atomic_int_set (&self->cancelled, 1);
}

MnTransport *
mn_transport_new (const MnSyncConfig *config,
                  GError            **error)
{
  g_autoptr(MnSyncConfig) checked = mn_sync_config_new ();
  MnTransport            *self;

  g_return_val_if_fail (config != NULL, NULL);

  checked->base_url = g_strdup (config->base_url);
  checked->ca_file = g_strdup (config->ca_file);
  checked->pin_sha256 = g_strdup (config->pin_sha256);
  if (!mn_sync_config_check (checked, error))
    return NULL;

  if (!curl_open (error))
    return NULL;

  self = g_new0 (MnTransport, 1);
  self->curl = libcurl.easy_init ();
  self->base_url = g_strdup (checked->base_url);
  self->user_agent = g_strdup_printf ("Minyin/%s", PACKAGE_VERSION);
  self->body = g_byte_array_new ();

  if (g_str_has_prefix (self->base_url, "http:"))
    g_message ("The platform %s is reached over plain HTTP: allowed only because it is this "
               "machine (loopback), for development and tests.",
               self->base_url);

  libcurl.easy_setopt (self->curl, CURLOPT_PROTOCOLS_STR, "https,http");
  libcurl.easy_setopt (self->curl, CURLOPT_FOLLOWLOCATION, 0L);
  libcurl.easy_setopt (self->curl, CURLOPT_NOSIGNAL, 1L);
  libcurl.easy_setopt (self->curl, CURLOPT_SSL_VERIFYPEER, 1L);
  libcurl.easy_setopt (self->curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (checked->ca_file != NULL)
    libcurl.easy_setopt (self->curl, CURLOPT_CAINFO, checked->ca_file);
  if (checked->pin_sha256 != NULL)
    libcurl.easy_setopt (self->curl, CURLOPT_PINNEDPUBLICKEY, checked->pin_sha256);
  libcurl.easy_setopt (self->curl, CURLOPT_CONNECTTIMEOUT, (long) config->connect_timeout);
  libcurl.easy_setopt (self->curl, CURLOPT_TIMEOUT, (long) config->total_timeout);
  libcurl.easy_setopt (self->curl, CURLOPT_LOW_SPEED_LIMIT, 1L);
  libcurl.easy_setopt (self->curl, CURLOPT_LOW_SPEED_TIME, (long) config->low_speed_time);
  libcurl.easy_setopt (self->curl, CURLOPT_ACCEPT_ENCODING, "");
  libcurl.easy_setopt (self->curl, CURLOPT_TCP_KEEPALIVE, 1L);
  libcurl.easy_setopt (self->curl, CURLOPT_USERAGENT, self->user_agent);
  libcurl.easy_setopt (self->curl, CURLOPT_ERRORBUFFER, self->error_buffer);
  libcurl.easy_setopt (self->curl, CURLOPT_WRITEFUNCTION, on_body);
  libcurl.easy_setopt (self->curl, CURLOPT_WRITEDATA, self);
  libcurl.easy_setopt (self->curl, CURLOPT_HEADERFUNCTION, on_header);
  libcurl.easy_setopt (self->curl, CURLOPT_HEADERDATA, self);
  libcurl.easy_setopt (self->curl, CURLOPT_XFERINFOFUNCTION, on_progress);
  libcurl.easy_setopt (self->curl, CURLOPT_XFERINFODATA, self);
  libcurl.easy_setopt (self->curl, CURLOPT_NOPROGRESS, 0L);

  return self;
}

void
mn_transport_free (MnTransport *self)
{
  if (self == NULL)
    return;
  libcurl.easy_cleanup (self->curl);
  g_free (self->base_url);
  g_free (self->user_agent);
  g_byte_array_unref (self->body);
  g_free (self->etag);
  g_free (self->last_modified);
  g_free (self->retry_after);
  g_free (self);
}

guint
mn_transport_get_n_connects (MnTransport *self)
{
  return self->n_connects;
}

static gint64
parse_retry_after (const char *value)
{
  char   *end = NULL;
  gint64  seconds;
  time_t  when;

  if (value == NULL)
    return -1;
  seconds = g_ascii_strtoll (value, &end, 10);
  if (end != value && *end == '\0')
    return MAX (seconds, 0);
  when = libcurl.getdate (value, NULL);
  if (when < 0)
    return -1;
  return MAX ((gint64) when - g_get_real_time () / G_USEC_PER_SEC, 0);
}

/* Maps a libcurl failure to a sentence a person can act on. @sent tells
 * whether any of the request left the terminal: then the platform may
 * have acted on it. */
static void
set_curl_error (MnTransport *self,
                CURLcode     code,
                gboolean     sent,
                GError     **error)
{
  long        verify = 0;
  const char *detail = self->error_buffer[0] != '\0' ? self->error_buffer
                                                     : libcurl.easy_strerror (code);

  switch (code)
    {
    case CURLE_PEER_FAILED_VERIFICATION:
      libcurl.easy_getinfo (self->curl, CURLINFO_SSL_VERIFYRESULT, &verify);
      if (verify == X509_CERT_HAS_EXPIRED || verify == X509_CERT_NOT_YET_VALID ||
          strstr (detail, "expired") != NULL)
        g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_TLS_EXPIRED,
                             _("The platform's certificate has expired; ask the administrator to "
                               "renew it."));
      else if (verify == X509_UNABLE_TO_GET_ISSUER || verify == X509_SELF_SIGNED_IN_CHAIN ||
               verify == X509_DEPTH_ZERO_SELF_SIGNED || verify == X509_UNABLE_TO_VERIFY_LEAF)
        g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_TLS_UNTRUSTED,
                             _("The platform's certificate is not signed by the provisioned "
                               "authority; check the network, or ask the administrator to "
                               "provision the right certificate authority."));
      else if (verify == 0 || verify == X509_HOSTNAME_MISMATCH ||
               strstr (detail, "subject name") != NULL)
        g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_TLS_HOST,
                             _("The platform's certificate is for another server name; check the "
                               "platform address with the administrator."));
      else
        g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_TLS,
                     _("The platform's certificate was refused (%s); ask the administrator."),
                     detail);
      return;
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_TLS_PIN,
                           _("The platform's key does not match the pinned key; something may "
                             "be intercepting the connection. Tell the administrator."));
      return;
    case CURLE_SSL_CACERT_BADFILE:
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                           _("The provisioned certificate authority file cannot be used; ask the "
                             "administrator to provision it again."));
      return;
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_USE_SSL_FAILED:
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_TLS,
                   _("A secure connection to the platform could not be made (%s); check the "
                     "network, and tell the administrator if it persists."),
                   detail);
      return;
    case CURLE_UNSUPPORTED_PROTOCOL:
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                           _("The platform address uses a protocol the terminal refuses; it "
                             "must be https://."));
      return;
    case CURLE_ABORTED_BY_CALLBACK:
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONNECT,
                           _("Sending was stopped because the terminal is shutting down; the "
                             "requests wait here and go at the next start."));
      return;
    case CURLE_WRITE_ERROR:
      if (self->too_big)
        {
          g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_SHAPE,
                               _("The platform's answer was far too large to be an Open311 "
                                 "answer; it was ignored. Tell the administrator."));
          return;
        }
      break;
    default:
      break;
    }

  if (!sent || code == CURLE_COULDNT_RESOLVE_HOST || code == CURLE_COULDNT_RESOLVE_PROXY ||
      code == CURLE_COULDNT_CONNECT)
    g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONNECT,
                 _("The platform cannot be reached (%s); the requests wait on this terminal and "
                   "go as soon as the network is back."),
                 detail);
  else if (code == CURLE_OPERATION_TIMEDOUT)
    g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_TIMEOUT,
                 _("The platform did not answer in time (%s); the terminal will check whether "
                   "it got the request before sending it again."),
                 detail);
  else
    g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_DROPPED,
                 _("The connection to the platform broke before its answer (%s); the terminal "
                   "will check whether it got the request before sending it again."),
                 detail);
}

static MnResponse *
perform (MnTransport       *self,
         struct curl_slist *headers,
         GError           **error)
{
  MnResponse *r;
  CURLcode    code;
  long        status = 0;
  long        request_size = 0;
  long        connects = 0;
  char       *content_type = NULL;

  g_byte_array_set_size (self->body, 0);
  self->too_big = FALSE;
  self->error_buffer[0] = '\0';
  g_clear_pointer (&self->etag, g_free);
  g_clear_pointer (&self->last_modified, g_free);
  g_clear_pointer (&self->retry_after, g_free);

  libcurl.easy_setopt (self->curl, CURLOPT_HTTPHEADER, headers);
  code = libcurl.easy_perform (self->curl);
  libcurl.easy_setopt (self->curl, CURLOPT_HTTPHEADER, NULL);

  libcurl.easy_getinfo (self->curl, CURLINFO_NUM_CONNECTS, &connects);
  self->n_connects += (guint) connects;
  libcurl.easy_getinfo (self->curl, CURLINFO_REQUEST_SIZE, &request_size);

  if (code != CURLE_OK)
    {
      set_curl_error (self, code, request_size > 0, error);
      g_byte_array_set_size (self->body, 0);
      return NULL;
    }

  libcurl.easy_getinfo (self->curl, CURLINFO_RESPONSE_CODE, &status);
  libcurl.easy_getinfo (self->curl, CURLINFO_CONTENT_TYPE, &content_type);

  r = g_new0 (MnResponse, 1);
  r->status = (guint) status;
  r->body = g_bytes_new (self->body->data, self->body->len);
  r->content_type = g_strdup (content_type);
  r->etag = g_steal_pointer (&self->etag);
  r->last_modified = g_steal_pointer (&self->last_modified);
  r->retry_after = parse_retry_after (self->retry_after);
  g_byte_array_set_size (self->body, 0);
  return r;
}

static char *
full_url (MnTransport *self,
          const char  *path)
{
  return g_strconcat (self->base_url, path, NULL);
}

MnResponse *
mn_transport_get (MnTransport *self,
                  const char  *path,
                  const char  *if_none_match,
                  const char  *if_modified_since,
                  GError     **error)
{
  g_autofree char   *url = NULL;
  g_autofree char   *inm = NULL;
  g_autofree char   *ims = NULL;
  struct curl_slist *headers = NULL;
  MnResponse        *r;

  g_return_val_if_fail (self != NULL && path != NULL, NULL);

  url = full_url (self, path);
  headers = libcurl.slist_append (headers, "Accept: application/json");
  if (if_none_match != NULL)
    headers = libcurl.slist_append (headers, (inm = g_strconcat ("If-None-Match: ", if_none_match, NULL)));
  if (if_modified_since != NULL)
    headers = libcurl.slist_append (headers,
                                 (ims = g_strconcat ("If-Modified-Since: ", if_modified_since, NULL)));
  libcurl.easy_setopt (self->curl, CURLOPT_URL, url);
  libcurl.easy_setopt (self->curl, CURLOPT_HTTPGET, 1L);
  r = perform (self, headers, error);
  libcurl.slist_free_all (headers);
  return r;
}

MnResponse *
mn_transport_post_form (MnTransport *self,
                        const char  *path,
                        const char  *form,
                        const char  *idempotency_key,
                        GError     **error)
{
  g_autofree char   *url = NULL;
  g_autofree char   *key = NULL;
  struct curl_slist *headers = NULL;
  MnResponse        *r;

  g_return_val_if_fail (self != NULL && path != NULL && form != NULL, NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);

  url = full_url (self, path);
  headers = libcurl.slist_append (headers, "Accept: application/json");
  headers = libcurl.slist_append (headers,
                               "Content-Type: application/x-www-form-urlencoded; charset=utf-8");
  key = g_strconcat ("Idempotency-Key: ", idempotency_key, NULL);
  headers = libcurl.slist_append (headers, key);
  /* No "Expect: 100-continue": it costs a round trip per request. */
  headers = libcurl.slist_append (headers, "Expect:");
  libcurl.easy_setopt (self->curl, CURLOPT_URL, url);
  libcurl.easy_setopt (self->curl, CURLOPT_POST, 1L);
  libcurl.easy_setopt (self->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) strlen (form));
  libcurl.easy_setopt (self->curl, CURLOPT_COPYPOSTFIELDS, form);
  r = perform (self, headers, error);
  libcurl.slist_free_all (headers);
  return r;
}
