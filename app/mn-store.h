/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-request.h"

G_BEGIN_DECLS

#define MN_STORE_ERROR (mn_store_error_quark ())

typedef enum
{
  MN_STORE_ERROR_CORRUPT,    /* the file is damaged; it was left untouched */
  MN_STORE_ERROR_FOREIGN,    /* a file that is not a Minyin store; left untouched */
  MN_STORE_ERROR_TOO_NEW,    /* written by a newer Minyin; left untouched */
  MN_STORE_ERROR_DISK_FULL,  /* nothing was saved; what was saved before is intact */
  MN_STORE_ERROR_IO,         /* any other failure to read or write */
  MN_STORE_ERROR_NOT_FOUND,
  MN_STORE_ERROR_INVALID,    /* the caller's data was refused, with the reason */
  MN_STORE_ERROR_KEY,        /* the device key is missing, unreadable or wrong */
} MnStoreError;

GQuark mn_store_error_quark (void);

/* The store: one SQLite file in the data directory, owned by one worker
 * thread. Every method below runs its SQL on that thread. The plain
 * methods block the caller until the worker is done (for the command line
 * and tests); the _async/_finish pairs never block (for the UI). */
#define MN_TYPE_STORE (mn_store_get_type ())
G_DECLARE_FINAL_TYPE (MnStore, mn_store, MN, STORE, GObject)

/* The data directory: @explicit_dir if not NULL, else $MINYIN_DATA_DIR,
 * else $XDG_DATA_HOME/minyin. */
char       *mn_store_resolve_data_dir (const char  *explicit_dir);

/* Opens (creating if needed, migrating forward if old) the store in
 * @data_dir. A corrupt, foreign or too-new file is reported and left
 * exactly as it was. */
MnStore    *mn_store_open             (const char  *data_dir,
                                       GError     **error);
const char *mn_store_get_data_dir     (MnStore     *self);
const char *mn_store_get_path         (MnStore     *self);

/* Files @request durably (synchronous=FULL) in one transaction: gives it a
 * fresh UUID, the next provisional case code, created_at, deadline_at and
 * status "saved", seals @contact (may be NULL, for anonymous) and keeps its
 * masked hint, appends a "filed" event and queues a "create" message in the
 * outbox. On success @request holds the stored values; on failure nothing
 * was written. The description is checked with mn_request_clean_text(). */
gboolean    mn_store_file_request        (MnStore        *self,
                                          MnRequest      *request,
                                          const MnContact *contact,
                                          GError        **error);
void        mn_store_file_request_async  (MnStore        *self,
                                          MnRequest      *request,
                                          const MnContact *contact,
                                          GCancellable   *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer        user_data);
gboolean    mn_store_file_request_finish (MnStore        *self,
                                          GAsyncResult   *result,
                                          GError        **error);

/* Finds a request by its case code (any accepted spelling), its platform
 * id or its UUID. */
MnRequest  *mn_store_lookup              (MnStore        *self,
                                          const char     *code,
                                          GError        **error);
void        mn_store_lookup_async        (MnStore        *self,
                                          const char     *code,
                                          GCancellable   *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer        user_data);
MnRequest  *mn_store_lookup_finish       (MnStore        *self,
                                          GAsyncResult   *result,
                                          GError        **error);

/* Newest first; @limit 0 means all. Element type MnRequest. */
GPtrArray  *mn_store_list_requests       (MnStore        *self,
                                          guint           limit,
                                          GError        **error);

void        mn_store_list_requests_async  (MnStore       *self,
                                           guint          limit,
                                           GCancellable  *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer       user_data);
GPtrArray  *mn_store_list_requests_finish (MnStore       *self,
                                           GAsyncResult  *result,
                                           GError       **error);

/* Status word → count of requests (char* → GUINT_TO_POINTER). */
GHashTable *mn_store_count_by_status     (MnStore        *self,
                                          GError        **error);
/* Outbox state word → count of messages. */
GHashTable *mn_store_count_outbox        (MnStore        *self,
                                          GError        **error);

/* A request's timeline, oldest first. */
typedef struct
{
  gint64  at;
  char   *kind;    /* "filed", "sent", "accepted", "status", "rated", ... */
  char   *detail;  /* may be NULL */
} MnEvent;

void        mn_event_free                (MnEvent        *event);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnEvent, mn_event_free)

/* Element type MnEvent. */
GPtrArray  *mn_store_list_events         (MnStore        *self,
                                          const char     *uuid,
                                          GError        **error);

/* Opens the sealed contact of a request, for the people allowed to see it
 * (the sync code sending it to the platform). An anonymous request has
 * none: NULL and MN_STORE_ERROR_NOT_FOUND. */
MnContact  *mn_store_unseal_contact      (MnStore        *self,
                                          const char     *uuid,
                                          GError        **error);

/* The platform's catalogue as last fetched (the body of services.json)
 * with the validators for a conditional GET. Returns FALSE without error
 * when nothing was ever fetched; the caller then uses the bundled default. */
gboolean    mn_store_get_catalogue_cache (MnStore        *self,
                                          char          **out_body,
                                          char          **out_etag,
                                          char          **out_last_modified,
                                          gint64         *out_fetched_at,
                                          GError        **error);
gboolean    mn_store_set_catalogue_cache (MnStore        *self,
                                          const char     *body,
                                          const char     *etag,
                                          const char     *last_modified,
                                          GError        **error);

/* One service's definition (the body of services/CODE.json) as last
 * fetched; FALSE without error when never fetched. */
gboolean    mn_store_get_service_definition (MnStore     *self,
                                             const char  *service_code,
                                             char       **out_body,
                                             gint64      *out_fetched_at,
                                             GError     **error);
gboolean    mn_store_set_service_definition (MnStore     *self,
                                             const char  *service_code,
                                             const char  *body,
                                             GError     **error);

/* The schema version (PRAGMA user_version) this build writes. */
int         mn_store_schema_version      (void);

G_END_DECLS
