/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-sync-config.h"

G_BEGIN_DECLS

/* HTTPS to the platform, with libcurl. One easy handle, reused for every
 * call, so calls share one kept-alive connection. Blocking: used only from
 * the sync worker thread or the command line, never from the GTK main
 * loop. Not thread-safe: one transport per thread. */
typedef struct _MnTransport MnTransport;

typedef struct
{
  guint   status;          /* HTTP status */
  GBytes *body;            /* decoded (gzip undone), never NULL */
  char   *content_type;    /* may be NULL */
  char   *etag;            /* may be NULL */
  char   *last_modified;   /* may be NULL */
  gint64  retry_after;     /* seconds to wait (Retry-After), -1 when absent */
} MnResponse;

void         mn_response_free        (MnResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnResponse, mn_response_free)

/* Checks the configuration (https, or http only to loopback, which is
 * logged) and prepares a handle. */
MnTransport *mn_transport_new        (const MnSyncConfig *config,
                                      GError            **error);
void         mn_transport_free       (MnTransport        *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnTransport, mn_transport_free)

/* GET base_url + @path (e.g. "services.json", "requests.json?x=y"). With
 * @if_none_match / @if_modified_since a 304 may come back. Any HTTP answer
 * is returned (the caller judges the status); a NULL return is a failure
 * to get an answer at all, with an MN_SYNC_ERROR: CONNECT (nothing was
 * sent), TLS_*, TIMEOUT or DROPPED. */
MnResponse  *mn_transport_get        (MnTransport        *self,
                                      const char         *path,
                                      const char         *if_none_match,
                                      const char         *if_modified_since,
                                      GError            **error);

/* POST an application/x-www-form-urlencoded @form to base_url + @path,
 * with an Idempotency-Key header. */
MnResponse  *mn_transport_post_form  (MnTransport        *self,
                                      const char         *path,
                                      const char         *form,
                                      const char         *idempotency_key,
                                      GError            **error);

/* Makes the transfer in progress (from another thread) and every later
 * one fail at once with MN_SYNC_ERROR_CONNECT-like "cancelled" errors, so
 * that a worker stops without waiting for a timeout. Thread-safe. */
void         mn_transport_cancel     (MnTransport        *self);

/* How many connections the handle opened so far (for tests and figures:
 * reuse keeps this at 1). */
guint        mn_transport_get_n_connects (MnTransport    *self);

G_END_DECLS
