/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-rating.h"
#include "mn-request.h"
#include "mn-vault.h"

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
  MN_STORE_ERROR_NO_MATCH,   /* code and phone digits do not match a case (either may be wrong) */
  MN_STORE_ERROR_LOCKED,     /* too many failed attempts; the kiosk waits before checking more */
  MN_STORE_ERROR_NOT_CLOSED, /* a case that is not closed cannot be rated yet */
  MN_STORE_ERROR_ALREADY_RATED, /* this round of handling was rated already */
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
/* The store's device key (app/mn-vault.h), for sealing the voice note
 * while it is recorded (app/mn-voice-note.h); valid as long as the store,
 * mn_vault_ref() to keep it longer. Any thread may use it. */
MnVault    *mn_store_get_vault        (MnStore     *self);

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

/* As mn_store_file_request(), keeping @attachments (element type
 * MnAttachment, app/mn-attachment.h, with their source_path set) with the
 * request: each file is copied into the data directory, and its row is
 * committed in the same transaction as the request. Either the request and
 * every attachment are saved, or none of them (and no copy is left). The
 * _async variant ends with mn_store_file_request_finish(). */
gboolean    mn_store_file_request_with_attachments       (MnStore         *self,
                                                          MnRequest       *request,
                                                          const MnContact *contact,
                                                          GPtrArray       *attachments,
                                                          GError         **error);
void        mn_store_file_request_with_attachments_async (MnStore         *self,
                                                          MnRequest       *request,
                                                          const MnContact *contact,
                                                          GPtrArray       *attachments,
                                                          GCancellable    *cancellable,
                                                          GAsyncReadyCallback callback,
                                                          gpointer         user_data);

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
/* The same without blocking (for the UI): the _finish gives FALSE without
 * error when the definition was never fetched. */
void        mn_store_get_service_definition_async  (MnStore            *self,
                                                    const char         *service_code,
                                                    GCancellable       *cancellable,
                                                    GAsyncReadyCallback callback,
                                                    gpointer            user_data);
gboolean    mn_store_get_service_definition_finish (MnStore            *self,
                                                    GAsyncResult       *result,
                                                    char              **out_body,
                                                    GError            **error);
gboolean    mn_store_set_service_definition (MnStore     *self,
                                             const char  *service_code,
                                             const char  *body,
                                             GError     **error);

/* ---- asking about a case, and rating it (app/mn-inquiry.h) ------------
 *
 * A resident proves a case is theirs with its code (the provisional case
 * code, or the platform's case number) and the last four digits of the
 * phone they gave when filing; an anonymous case needs the code alone
 * (any digits given are ignored) and shows no contact details. The phone
 * is compared on the store's worker against the unsealed contact, which is
 * wiped at once. Whether the code is unknown or the digits are wrong, the
 * answer is the same MN_STORE_ERROR_NO_MATCH with the same sentence, after
 * the same work (an unknown code unseals a dummy contact; both lookups
 * always run; the attempt counter is written either way).
 *
 * After MN_INQUIRY_MAX_FAILURES failures in a row the terminal refuses
 * every check (MN_STORE_ERROR_LOCKED) until a time that grows with each
 * lock-out (mn_inquiry_lockout_seconds()). The counters are in the store
 * (table inquiry_guard), so a restart does not reset them; @now is passed
 * in so that tests can move the clock. */

typedef struct
{
  MnRequest *request;
  GPtrArray *events;        /* MnEvent, oldest first */
  gint64     last_contact;  /* the sync client's last contact with the platform (meta
                             * "sync.last_contact"), 0 when never */
  guint      round;         /* round of handling, from 1; +1 at each re-opening */
  gboolean   rated;         /* this round has been rated */
  gboolean   escalated;     /* after mn_store_rate_case(): the rating escalated the case */
} MnCaseView;

void        mn_case_view_free            (MnCaseView     *view);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnCaseView, mn_case_view_free)

MnCaseView *mn_store_open_case           (MnStore        *self,
                                          const char     *code,
                                          const char     *phone_last4,
                                          gint64          now,
                                          GError        **error);
void        mn_store_open_case_async     (MnStore        *self,
                                          const char     *code,
                                          const char     *phone_last4,
                                          gint64          now,
                                          GCancellable   *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer        user_data);
MnCaseView *mn_store_open_case_finish    (MnStore        *self,
                                          GAsyncResult   *result,
                                          GError        **error);

/* Checks code and digits as above, then, in the same durable transaction:
 * refuses a case that is not closed (NOT_CLOSED) or whose current round is
 * rated (ALREADY_RATED); stores the rating (table ratings, one per request
 * and round); appends a "rated" event; and queues an outbox message of
 * kind "update" whose payload is JSON:
 *
 *   { "update_id":   a fresh UUID, the platform's idempotency key,
 *     "status":      "REOPEN" for an unhappy rating, "CLOSED" otherwise,
 *     "description": the answers, the reasons, and an escalation sentence,
 *     "updated_at":  UNIX seconds,
 *     "escalated":   true when a re-handled case is rated unhappy again,
 *     "rating": { "solved": bool, "satisfaction": "satisfied"|"basic"|
 *                 "unsatisfied", "round": n, "reasons": [text...],
 *                 "voice_note": path or null } }
 *
 * The sync client sends it to servicerequestupdates.json with
 * service_request_id taken from the request's platform_id at send time
 * (the message waits while the request has none). An unhappy rating also
 * sets the status to "reopened", starts the next round and appends a
 * "reopened" event, and an "escalated" event when it escalates. Either all
 * of it is on disk when this returns TRUE, or none of it. Returns the case
 * as it now stands. */
MnCaseView *mn_store_rate_case           (MnStore        *self,
                                          const char     *code,
                                          const char     *phone_last4,
                                          const MnRating *rating,
                                          gint64          now,
                                          GError        **error);
void        mn_store_rate_case_async     (MnStore        *self,
                                          const char     *code,
                                          const char     *phone_last4,
                                          const MnRating *rating,
                                          gint64          now,
                                          GCancellable   *cancellable,
                                          GAsyncReadyCallback callback,
                                          gpointer        user_data);
MnCaseView *mn_store_rate_case_finish    (MnStore        *self,
                                          GAsyncResult   *result,
                                          GError        **error);

/* The lock-out state, for staff and tests: the time until which checks
 * are refused (0 or past: none), failures since the last success or lock,
 * and how many lock-outs count towards the next one's length. */
gboolean    mn_store_get_inquiry_guard   (MnStore        *self,
                                          gint64         *out_locked_until,
                                          guint          *out_failures,
                                          guint          *out_lockouts,
                                          GError        **error);

/* The schema version (PRAGMA user_version) this build writes. */
int         mn_store_schema_version      (void);

G_END_DECLS
