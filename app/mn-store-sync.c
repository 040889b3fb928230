/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "mn-store-private.h"
#include "mn-store-sync.h"

/* The sync client's side of the store. Every function here runs on the
 * store's worker thread through run_db(). Statements are prepared
 * per call: they are cheap next to a round trip to the platform, and the
 * worker's statement cache stays private to mn-store.c. */

#define JOB_OK GINT_TO_POINTER (1)

/* The functions below take the connection and the file's path; they run
 * as store jobs through this adapter, which also remembers the worker of
 * the calling thread so that errors get the store's own sentences (disk
 * full, damaged file). Each store has its own worker thread, hence a
 * thread-local. */
typedef gpointer (*DbFunc) (sqlite3    *db,
                            const char *path,
                            gpointer    data,
                            GError    **error);

typedef struct
{
  DbFunc   func;
  gpointer data;
} DbJob;

static GPrivate current_worker;

static gpointer
db_job (MnStoreWorker *worker,
        gpointer       data,
        GError       **error)
{
  DbJob   *job = data;
  gpointer result;

  g_private_set (&current_worker, worker);
  result = job->func (mn_store_worker_get_db (worker), mn_store_worker_get_path (worker),
                      job->data, error);
  g_private_set (&current_worker, NULL);
  return result;
}

static gpointer
run_db (MnStore *store,
        DbFunc   func,
        gpointer data,
        GError **error)
{
  DbJob job = { func, data };

  return mn_store_run_job (store, db_job, &job, error);
}

static void
set_db_error (GError    **error,
              sqlite3    *db,
              const char *path)
{
  MnStoreWorker *worker = g_private_get (&current_worker);

  g_assert (worker != NULL);
  mn_store_worker_set_error (worker, error);
}
#define META_LAST_CONTACT  "sync.last_contact"
#define META_LAST_ERROR    "sync.last_error"
#define META_LAST_ERROR_AT "sync.last_error_at"
#define PULL_CLOSED_FOR    (30 * 24 * 3600)

typedef sqlite3_stmt MnStmt;
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnStmt, sqlite3_finalize)

static gint64
now_seconds (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static MnStmt *
prepare (sqlite3    *db,
         const char *path,
         const char *sql,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (error, db, path);
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}


static gboolean
exec (sqlite3    *db,
      const char *path,
      const char *sql,
      GError    **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, db, path);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (sqlite3 *db)
{
  if (!sqlite3_get_autocommit (db))
    sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
}

/* Runs a statement that returns no rows; TRUE when it changed @want_changes
 * rows or more. */
static gboolean
step_done (sqlite3      *db,
           const char   *path,
           sqlite3_stmt *stmt,
           GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, db, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_event (sqlite3    *db,
           const char *path,
           gint64      request_id,
           const char *kind,
           const char *detail,
           GError    **error)
{
  g_autoptr(MnStmt) s = prepare (db, path,
                                 "INSERT INTO events (request_id, at, kind, detail) "
                                 "VALUES (?1, ?2, ?3, ?4)",
                                 error);

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, request_id);
  sqlite3_bind_int64 (s, 2, now_seconds ());
  mn_store_bind_text (s, 3, kind);
  mn_store_bind_text (s, 4, detail);
  return step_done (db, path, s, error);
}

/* The request row a message belongs to, or 0 and NOT_FOUND. */
static gint64
message_request (sqlite3    *db,
                 const char *path,
                 gint64      message_id,
                 GError    **error)
{
  g_autoptr(MnStmt) s = prepare (db, path, "SELECT request_id FROM outbox WHERE id = ?1", error);
  int rc;

  if (s == NULL)
    return 0;
  sqlite3_bind_int64 (s, 1, message_id);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    return sqlite3_column_int64 (s, 0);
  if (rc != SQLITE_DONE)
    set_db_error (error, db, path);
  else
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, message_id);

      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                   _("Outbox message %s is not kept on this terminal."), id);
    }
  return 0;
}

void
mn_outbox_message_free (MnOutboxMessage *m)
{
  if (m == NULL)
    return;
  g_free (m->kind);
  g_free (m->state);
  g_free (m->payload);
  g_free (m->last_error);
  g_free (m->quarantine_reason);
  g_clear_pointer (&m->request, mn_request_unref);
  g_free (m->platform_token);
  g_free (m);
}

#define MESSAGE_COLUMNS                                                                            \
  "o.id, o.kind, o.state, o.payload, o.attempts, o.in_doubt, o.last_error, "                       \
  "o.quarantine_reason, o.created_at, o.next_attempt_at, r.id, r.uuid, r.case_code, "              \
  "r.platform_id, r.service_code, r.service_group, r.urgency, r.channel, r.description, "          \
  "r.place_code, r.address_text, r.lat, r.lon, r.contact_sealed IS NULL, r.consent, r.filed_by, "  \
  "r.created_at, r.status, r.platform_token, r.attributes "

static MnOutboxMessage *
message_from_stmt (sqlite3_stmt *s)
{
  MnOutboxMessage *m = g_new0 (MnOutboxMessage, 1);
  MnRequest       *r = mn_request_new ();
  g_autofree char *urgency = NULL;
  g_autofree char *channel = NULL;

  m->id = sqlite3_column_int64 (s, 0);
  m->kind = mn_store_column_text (s, 1);
  m->state = mn_store_column_text (s, 2);
  m->payload = mn_store_column_text (s, 3);
  m->attempts = (guint) sqlite3_column_int64 (s, 4);
  m->in_doubt = sqlite3_column_int (s, 5) != 0;
  m->last_error = mn_store_column_text (s, 6);
  m->quarantine_reason = mn_store_column_text (s, 7);
  m->created_at = sqlite3_column_int64 (s, 8);
  m->next_attempt_at = sqlite3_column_int64 (s, 9);

  r->id = sqlite3_column_int64 (s, 10);
  r->uuid = mn_store_column_text (s, 11);
  r->case_code = mn_store_column_text (s, 12);
  r->platform_id = mn_store_column_text (s, 13);
  r->service_code = mn_store_column_text (s, 14);
  r->group = mn_store_column_text (s, 15);
  urgency = mn_store_column_text (s, 16);
  mn_urgency_from_string (urgency, &r->urgency);
  channel = mn_store_column_text (s, 17);
  mn_channel_from_string (channel, &r->channel);
  r->description = mn_store_column_text (s, 18);
  r->place_code = mn_store_column_text (s, 19);
  r->address_text = mn_store_column_text (s, 20);
  r->has_location = sqlite3_column_type (s, 21) != SQLITE_NULL &&
                    sqlite3_column_type (s, 22) != SQLITE_NULL;
  r->lat = sqlite3_column_double (s, 21);
  r->lon = sqlite3_column_double (s, 22);
  r->anonymous = sqlite3_column_int (s, 23) != 0;
  r->consent = sqlite3_column_int (s, 24) != 0;
  r->filed_by = mn_store_column_text (s, 25);
  r->created_at = sqlite3_column_int64 (s, 26);
  r->status = mn_store_column_text (s, 27);
  m->platform_token = mn_store_column_text (s, 28);
  r->attributes = mn_store_column_text (s, 29);
  m->request = r;

  return m;
}

/* ---- claim ------------------------------------------------------------- */

typedef struct
{
  const char *kind;
  gint64      after_id;
  guint       limit;
  gint64      now;
  gboolean    ignore_schedule;
} ClaimJob;

static gpointer
db_claim (sqlite3    *db,
          const char *path,
          gpointer    data,
          GError    **error)
{
  ClaimJob            *job = data;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_outbox_message_free);
  int                  rc;

  /* IMMEDIATE: the rows read are the rows marked, even with the window
   * and the command line open on the same store. */
  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;

  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "SELECT " MESSAGE_COLUMNS
                                   "FROM outbox o JOIN requests r ON r.id = o.request_id "
                                   "WHERE o.kind = ?1 AND o.state IN ('queued', 'retry', 'sending') "
                                   "AND (?2 OR o.next_attempt_at <= ?3) AND o.id > ?5 "
                                   "ORDER BY o.id LIMIT ?4",
                                   error);
    if (s == NULL)
      goto fail;
    mn_store_bind_text (s, 1, job->kind);
    sqlite3_bind_int (s, 2, job->ignore_schedule ? 1 : 0);
    sqlite3_bind_int64 (s, 3, job->now);
    sqlite3_bind_int64 (s, 4, job->limit);
    sqlite3_bind_int64 (s, 5, job->after_id);
    while ((rc = sqlite3_step (s)) == SQLITE_ROW)
      {
        MnOutboxMessage *m = message_from_stmt (s);

        /* "sending" in the store means the process that claimed it died
         * during the attempt: the platform may hold it. */
        if (g_strcmp0 (m->state, "sending") == 0)
          m->in_doubt = TRUE;
        g_ptr_array_add (list, m);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (error, db, path);
        goto fail;
      }
  }

  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "UPDATE outbox SET state = 'sending', attempts = attempts + 1, "
                                   "in_doubt = ?2 WHERE id = ?1",
                                   error);
    if (s == NULL)
      goto fail;
    for (guint i = 0; i < list->len; i++)
      {
        MnOutboxMessage *m = g_ptr_array_index (list, i);

        sqlite3_reset (s);
        sqlite3_bind_int64 (s, 1, m->id);
        sqlite3_bind_int (s, 2, m->in_doubt ? 1 : 0);
        if (!step_done (db, path, s, error))
          goto fail;
      }
  }

  if (!exec (db, path, "COMMIT", error))
    goto fail;

  return g_steal_pointer (&list);

fail:
  rollback (db);
  return NULL;
}

GPtrArray *
mn_store_outbox_claim (MnStore    *self,
                       const char *kind,
                       gint64      after_id,
                       guint       limit,
                       gint64      now,
                       gboolean    ignore_schedule,
                       GError    **error)
{
  ClaimJob job = { kind, after_id, limit, now, ignore_schedule };

  g_return_val_if_fail (MN_IS_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);
  g_return_val_if_fail (limit > 0, NULL);

  return run_db (self, db_claim, &job, error);
}

/* ---- the outcome of an attempt ------------------------------------------ */

typedef struct
{
  gint64      message_id;
  const char *platform_id;
  const char *token;
  const char *event_kind;
  const char *event_detail;
  const char *text;
  gint64      at;
  gboolean    in_doubt;
  gboolean    clear_doubt;
} OutcomeJob;

/* One message's "sent" bookkeeping, inside the caller's transaction. */
static gboolean
mark_one_sent (sqlite3          *db,
               const char       *path,
               const MnSentMark *mark,
               gint64            now,
               GError          **error)
{
  gint64 request_id = message_request (db, path, mark->message_id, error);

  if (request_id == 0)
    return FALSE;

  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "UPDATE outbox SET state = 'sent', sent_at = ?2, "
                                   "last_error = NULL, in_doubt = 0 WHERE id = ?1",
                                   error);
    if (s == NULL)
      return FALSE;
    sqlite3_bind_int64 (s, 1, mark->message_id);
    sqlite3_bind_int64 (s, 2, now);
    if (!step_done (db, path, s, error))
      return FALSE;
  }

  if (mark->platform_id != NULL)
    {
      g_autoptr(MnStmt) s = prepare (db, path,
                                     "UPDATE requests SET platform_id = ?2, updated_at = ?3, "
                                     "status = CASE status WHEN 'saved' THEN 'sent' ELSE status END "
                                     "WHERE id = ?1",
                                     error);
      if (s == NULL)
        return FALSE;
      sqlite3_bind_int64 (s, 1, request_id);
      mn_store_bind_text (s, 2, mark->platform_id);
      sqlite3_bind_int64 (s, 3, now);
      if (!step_done (db, path, s, error))
        return FALSE;
    }

  return add_event (db, path, request_id, mark->event_kind, mark->event_detail, error);
}

static gpointer
db_mark_sent (sqlite3    *db,
              const char *path,
              gpointer    data,
              GError    **error)
{
  GArray *marks = data;
  gint64  now = now_seconds ();

  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  for (guint i = 0; i < marks->len; i++)
    if (!mark_one_sent (db, path, &g_array_index (marks, MnSentMark, i), now, error))
      goto fail;
  if (!exec (db, path, "COMMIT", error))
    goto fail;
  return JOB_OK;

fail:
  rollback (db);
  return NULL;
}

gboolean
mn_store_outbox_mark_sent_many (MnStore *self,
                                GArray  *marks,
                                GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (marks != NULL, FALSE);

  if (marks->len == 0)
    return TRUE;
  return run_db (self, db_mark_sent, marks, error) != NULL;
}

gboolean
mn_store_outbox_mark_sent (MnStore    *self,
                           gint64      message_id,
                           const char *platform_id,
                           const char *event_kind,
                           const char *event_detail,
                           GError    **error)
{
  MnSentMark        mark = { message_id, (char *) platform_id, (char *) event_kind,
                               (char *) event_detail };
  g_autoptr(GArray) marks = g_array_new (FALSE, FALSE, sizeof (MnSentMark));

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (event_kind != NULL, FALSE);

  g_array_append_val (marks, mark);
  return mn_store_outbox_mark_sent_many (self, marks, error);
}

static gpointer
db_set_token (sqlite3    *db,
              const char *path,
              gpointer    data,
              GError    **error)
{
  OutcomeJob *job = data;
  gint64      request_id;

  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  request_id = message_request (db, path, job->message_id, error);
  if (request_id == 0)
    goto fail;

  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "UPDATE requests SET platform_token = ?2 WHERE id = ?1", error);
    if (s == NULL)
      goto fail;
    sqlite3_bind_int64 (s, 1, request_id);
    mn_store_bind_text (s, 2, job->token);
    if (!step_done (db, path, s, error))
      goto fail;
  }
  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "UPDATE outbox SET state = 'retry', next_attempt_at = ?2, "
                                   "in_doubt = 0, last_error = NULL WHERE id = ?1",
                                   error);
    if (s == NULL)
      goto fail;
    sqlite3_bind_int64 (s, 1, job->message_id);
    sqlite3_bind_int64 (s, 2, job->at);
    if (!step_done (db, path, s, error))
      goto fail;
  }
  if (!add_event (db, path, request_id, "accepted", job->token, error) ||
      !exec (db, path, "COMMIT", error))
    goto fail;
  return JOB_OK;

fail:
  rollback (db);
  return NULL;
}

gboolean
mn_store_outbox_set_token (MnStore    *self,
                           gint64      message_id,
                           const char *token,
                           gint64      next_attempt_at,
                           GError    **error)
{
  OutcomeJob job = { 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  job.message_id = message_id;
  job.token = token;
  job.at = next_attempt_at;
  return run_db (self, db_set_token, &job, error) != NULL;
}

static gpointer
db_retry (sqlite3    *db,
          const char *path,
          gpointer    data,
          GError    **error)
{
  OutcomeJob       *job = data;
  g_autoptr(MnStmt) s = prepare (db, path,
                                 "UPDATE outbox SET state = 'retry', next_attempt_at = ?2, "
                                 "last_error = ?3, "
                                 "in_doubt = CASE WHEN ?5 THEN ?4 ELSE (in_doubt OR ?4) END "
                                 "WHERE id = ?1 AND state <> 'sent'",
                                 error);

  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, job->message_id);
  sqlite3_bind_int64 (s, 2, job->at);
  mn_store_bind_text (s, 3, job->text);
  sqlite3_bind_int (s, 4, job->in_doubt ? 1 : 0);
  sqlite3_bind_int (s, 5, job->clear_doubt ? 1 : 0);
  if (!step_done (db, path, s, error))
    return NULL;
  return JOB_OK;
}

gboolean
mn_store_outbox_retry (MnStore    *self,
                       gint64      message_id,
                       gint64      next_attempt_at,
                       const char *last_error,
                       gboolean    in_doubt,
                       gboolean    clear_doubt,
                       GError    **error)
{
  OutcomeJob job = { 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);

  job.message_id = message_id;
  job.at = next_attempt_at;
  job.text = last_error;
  job.in_doubt = in_doubt;
  job.clear_doubt = clear_doubt;
  return run_db (self, db_retry, &job, error) != NULL;
}

static gpointer
db_quarantine (sqlite3    *db,
               const char *path,
               gpointer    data,
               GError    **error)
{
  OutcomeJob *job = data;
  gint64      request_id;

  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  request_id = message_request (db, path, job->message_id, error);
  if (request_id == 0)
    goto fail;
  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "UPDATE outbox SET state = 'quarantined', quarantine_reason = ?2, "
                                   "last_error = ?2, quarantined_at = ?3 WHERE id = ?1",
                                   error);
    if (s == NULL)
      goto fail;
    sqlite3_bind_int64 (s, 1, job->message_id);
    mn_store_bind_text (s, 2, job->text);
    sqlite3_bind_int64 (s, 3, now_seconds ());
    if (!step_done (db, path, s, error))
      goto fail;
  }
  if (!add_event (db, path, request_id, "quarantined", job->text, error) ||
      !exec (db, path, "COMMIT", error))
    goto fail;
  return JOB_OK;

fail:
  rollback (db);
  return NULL;
}

gboolean
mn_store_outbox_quarantine (MnStore    *self,
                            gint64      message_id,
                            const char *reason,
                            GError    **error)
{
  OutcomeJob job = { 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  job.message_id = message_id;
  job.text = reason;
  return run_db (self, db_quarantine, &job, error) != NULL;
}

static gpointer
db_requeue (sqlite3    *db,
            const char *path,
            gpointer    data,
            GError    **error)
{
  OutcomeJob          *job = data;
  g_autoptr(GArray)    ids = g_array_new (FALSE, FALSE, sizeof (gint64) * 2);
  int                  rc;

  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "SELECT id, request_id FROM outbox WHERE state = 'quarantined' "
                                   "AND (?1 = 0 OR id = ?1) ORDER BY id",
                                   error);
    if (s == NULL)
      goto fail;
    sqlite3_bind_int64 (s, 1, job->message_id);
    while ((rc = sqlite3_step (s)) == SQLITE_ROW)
      {
        gint64 pair[2] = { sqlite3_column_int64 (s, 0), sqlite3_column_int64 (s, 1) };

        g_array_append_vals (ids, pair, 1);
      }
    if (rc != SQLITE_DONE)
      {
        set_db_error (error, db, path);
        goto fail;
      }
  }
  if (job->message_id != 0 && ids->len == 0)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, job->message_id);

      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                   _("Outbox message %s is not in quarantine; nothing was changed."), id);
      goto fail;
    }
  for (guint i = 0; i < ids->len; i++)
    {
      gint64           *pair = &g_array_index (ids, gint64, i * 2);
      g_autoptr(MnStmt) s = prepare (db, path,
                                     "UPDATE outbox SET state = 'queued', next_attempt_at = ?2 "
                                     "WHERE id = ?1",
                                     error);
      if (s == NULL)
        goto fail;
      sqlite3_bind_int64 (s, 1, pair[0]);
      sqlite3_bind_int64 (s, 2, now_seconds ());
      if (!step_done (db, path, s, error) ||
          !add_event (db, path, pair[1], "requeued", NULL, error))
        goto fail;
    }
  if (!exec (db, path, "COMMIT", error))
    goto fail;
  job->at = ids->len;
  return JOB_OK;

fail:
  rollback (db);
  return NULL;
}

gboolean
mn_store_outbox_requeue (MnStore *self,
                         gint64   message_id,
                         guint   *out_count,
                         GError **error)
{
  OutcomeJob job = { 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);

  job.message_id = message_id;
  if (run_db (self, db_requeue, &job, error) == NULL)
    return FALSE;
  if (out_count != NULL)
    *out_count = (guint) job.at;
  return TRUE;
}

static gpointer
db_next_due (sqlite3    *db,
             const char *path,
             gpointer    data,
             GError    **error)
{
  g_autoptr(MnStmt) s = prepare (db, path,
                                 "SELECT min(next_attempt_at) FROM outbox "
                                 "WHERE state IN ('queued', 'retry', 'sending')",
                                 error);

  if (s == NULL)
    return NULL;
  if (sqlite3_step (s) != SQLITE_ROW)
    {
      set_db_error (error, db, path);
      return NULL;
    }
  *(gint64 *) data = sqlite3_column_int64 (s, 0);
  return JOB_OK;
}

gboolean
mn_store_outbox_next_due (MnStore *self,
                          gint64  *out_next_due,
                          GError **error)
{
  gint64 next = 0;

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);

  if (run_db (self, db_next_due, &next, error) == NULL)
    return FALSE;
  if (out_next_due != NULL)
    *out_next_due = next;
  return TRUE;
}

static gpointer
db_list (sqlite3    *db,
         const char *path,
         gpointer    data,
         GError    **error)
{
  const char          *state = data;
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_outbox_message_free);
  g_autoptr(MnStmt)    s = prepare (db, path,
                                    "SELECT " MESSAGE_COLUMNS
                                    "FROM outbox o JOIN requests r ON r.id = o.request_id "
                                    "WHERE (?1 IS NULL AND o.state <> 'sent') OR o.state = ?1 "
                                    "ORDER BY o.id",
                                    error);
  int                  rc;

  if (s == NULL)
    return NULL;
  mn_store_bind_text (s, 1, state);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (list, message_from_stmt (s));
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, db, path);
      return NULL;
    }
  return g_steal_pointer (&list);
}

GPtrArray *
mn_store_outbox_list (MnStore    *self,
                      const char *state,
                      GError    **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);

  return run_db (self, db_list, (gpointer) state, error);
}

/* ---- feedback and re-handling -------------------------------------------- */

typedef struct
{
  const char *uuid;
  const char *status;
  const char *description;
  const char *event_kind;
} UpdateJob;

static gpointer
db_queue_update (sqlite3    *db,
                 const char *path,
                 gpointer    data,
                 GError    **error)
{
  UpdateJob              *job = data;
  g_autoptr(JsonBuilder)  b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode)     root = NULL;
  g_autofree char        *update_id = g_uuid_string_random ();
  g_autofree char        *payload = NULL;
  gint64                  request_id = 0;
  gint64                  now = now_seconds ();
  int                     rc;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "update_id");
  json_builder_add_string_value (b, update_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, job->status);
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, job->description != NULL ? job->description : "");
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_int_value (b, now);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  payload = json_generator_to_data (gen, NULL);

  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  {
    g_autoptr(MnStmt) s = prepare (db, path, "SELECT id FROM requests WHERE uuid = ?1", error);
    if (s == NULL)
      goto fail;
    mn_store_bind_text (s, 1, job->uuid);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      request_id = sqlite3_column_int64 (s, 0);
    else if (rc != SQLITE_DONE)
      {
        set_db_error (error, db, path);
        goto fail;
      }
  }
  if (request_id == 0)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                   _("No request with the identifier %s is kept on this terminal."), job->uuid);
      goto fail;
    }
  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "INSERT INTO outbox (request_id, kind, state, payload, "
                                   "next_attempt_at, created_at) VALUES (?1, 'update', 'queued', "
                                   "?2, ?3, ?3)",
                                   error);
    if (s == NULL)
      goto fail;
    sqlite3_bind_int64 (s, 1, request_id);
    mn_store_bind_text (s, 2, payload);
    sqlite3_bind_int64 (s, 3, now);
    if (!step_done (db, path, s, error))
      goto fail;
  }
  if (!add_event (db, path, request_id, job->event_kind, job->description, error) ||
      !exec (db, path, "COMMIT", error))
    goto fail;
  return JOB_OK;

fail:
  rollback (db);
  return NULL;
}

gboolean
mn_store_queue_update (MnStore    *self,
                       const char *uuid,
                       const char *status,
                       const char *description,
                       const char *event_kind,
                       GError    **error)
{
  UpdateJob job = { uuid, status, description, event_kind };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL && status != NULL && event_kind != NULL, FALSE);

  return run_db (self, db_queue_update, &job, error) != NULL;
}

/* ---- status pull-back ---------------------------------------------------- */

static gpointer
db_ids_to_pull (sqlite3    *db,
                const char *path,
                gpointer    data,
                GError    **error)
{
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(MnStmt)    s = prepare (db, path,
                                    "SELECT platform_id FROM requests WHERE platform_id IS NOT NULL "
                                    "AND (status <> 'closed' OR updated_at > ?1) ORDER BY id",
                                    error);
  int                  rc;

  if (s == NULL)
    return NULL;
  sqlite3_bind_int64 (s, 1, now_seconds () - PULL_CLOSED_FOR);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (ids, mn_store_column_text (s, 0));
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, db, path);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GPtrArray *
mn_store_platform_ids_to_pull (MnStore *self,
                               GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);

  return run_db (self, db_ids_to_pull, NULL, error);
}

typedef struct
{
  const char *platform_id;
  const char *status;
  const char *notes;
  const char *agency;
  gint64      expected_at;
  gboolean    changed;
} StatusJob;

static gboolean
apply_one_status (sqlite3    *db,
                  const char *path,
                  StatusJob  *job,
                  GError    **error)
{
  g_autofree char  *old_status = NULL;
  g_autofree char  *old_notes = NULL;
  g_autofree char  *old_agency = NULL;
  g_autofree char  *detail = NULL;
  gint64            old_expected = 0;
  gint64            request_id = 0;
  int               rc;

  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "SELECT id, status, status_notes, agency, expected_at "
                                   "FROM requests WHERE platform_id = ?1",
                                   error);
    if (s == NULL)
      return FALSE;
    mn_store_bind_text (s, 1, job->platform_id);
    rc = sqlite3_step (s);
    if (rc == SQLITE_ROW)
      {
        request_id = sqlite3_column_int64 (s, 0);
        old_status = mn_store_column_text (s, 1);
        old_notes = mn_store_column_text (s, 2);
        old_agency = mn_store_column_text (s, 3);
        old_expected = sqlite3_column_int64 (s, 4);
      }
    else if (rc != SQLITE_DONE)
      {
        set_db_error (error, db, path);
        return FALSE;
      }
  }
  if (request_id == 0)
    {
      g_set_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                   _("No request with the platform case number %s is kept on this terminal."),
                   job->platform_id);
      return FALSE;
    }

  /* A resident's unhappy rating re-opened the case here, and the re-handling
   * update has not reached the platform yet: the platform still says
   * "closed" only because it has not heard. Keep "reopened" until the update
   * is sent; after that the platform's word counts again. */
  if (g_strcmp0 (old_status, MN_STATUS_REOPENED) == 0 &&
      g_strcmp0 (job->status, MN_STATUS_CLOSED) == 0)
    {
      g_autoptr(MnStmt) s = prepare (db, path,
                                     "SELECT 1 FROM outbox WHERE request_id = ?1 "
                                     "AND kind = 'update' AND state <> 'sent' LIMIT 1",
                                     error);
      if (s == NULL)
        return FALSE;
      sqlite3_bind_int64 (s, 1, request_id);
      rc = sqlite3_step (s);
      if (rc == SQLITE_ROW)
        job->status = MN_STATUS_REOPENED;
      else if (rc != SQLITE_DONE)
        {
          set_db_error (error, db, path);
          return FALSE;
        }
    }

  job->changed = g_strcmp0 (old_status, job->status) != 0 ||
                 g_strcmp0 (old_notes, job->notes) != 0 ||
                 g_strcmp0 (old_agency, job->agency) != 0 || old_expected != job->expected_at;
  if (!job->changed)
    return TRUE;

  {
    g_autoptr(MnStmt) s = prepare (db, path,
                                   "UPDATE requests SET status = ?2, status_notes = ?3, agency = ?4, "
                                   "expected_at = ?5, updated_at = ?6 WHERE id = ?1",
                                   error);
    if (s == NULL)
      return FALSE;
    sqlite3_bind_int64 (s, 1, request_id);
    mn_store_bind_text (s, 2, job->status);
    mn_store_bind_text (s, 3, job->notes);
    mn_store_bind_text (s, 4, job->agency);
    if (job->expected_at != 0)
      sqlite3_bind_int64 (s, 5, job->expected_at);
    else
      sqlite3_bind_null (s, 5);
    sqlite3_bind_int64 (s, 6, now_seconds ());
    if (!step_done (db, path, s, error))
      return FALSE;
  }
  /* The timeline keeps the status word and the platform's notes. */
  detail = job->notes != NULL && *job->notes != '\0'
             ? g_strdup_printf ("%s: %s", job->status, job->notes)
             : g_strdup (job->status);
  return add_event (db, path, request_id, "status", detail, error);
}

static gpointer
db_apply_status (sqlite3    *db,
                 const char *path,
                 gpointer    data,
                 GError    **error)
{
  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!apply_one_status (db, path, data, error) || !exec (db, path, "COMMIT", error))
    {
      rollback (db);
      return NULL;
    }
  return JOB_OK;
}

typedef struct
{
  GPtrArray *statuses;
  guint      changed;
} StatusBatch;

static gpointer
db_apply_statuses (sqlite3    *db,
                   const char *path,
                   gpointer    data,
                   GError    **error)
{
  StatusBatch *batch = data;

  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  for (guint i = 0; i < batch->statuses->len; i++)
    {
      MnPlatformStatus *st = g_ptr_array_index (batch->statuses, i);
      StatusJob         job = { st->platform_id, st->status, st->status_notes, st->agency,
                                st->expected_at, FALSE };
      GError           *local_error = NULL;

      if (!apply_one_status (db, path, &job, &local_error))
        {
          /* A case this terminal did not file: nothing to update. */
          if (g_error_matches (local_error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND))
            {
              g_clear_error (&local_error);
              continue;
            }
          g_propagate_error (error, local_error);
          rollback (db);
          return NULL;
        }
      if (job.changed)
        batch->changed++;
    }
  if (!exec (db, path, "COMMIT", error))
    {
      rollback (db);
      return NULL;
    }
  return JOB_OK;
}

gboolean
mn_store_apply_platform_statuses (MnStore   *self,
                                  GPtrArray *statuses,
                                  guint     *out_changed,
                                  GError   **error)
{
  StatusBatch batch = { statuses, 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (statuses != NULL, FALSE);

  if (run_db (self, db_apply_statuses, &batch, error) == NULL)
    return FALSE;
  if (out_changed != NULL)
    *out_changed = batch.changed;
  return TRUE;
}

gboolean
mn_store_apply_platform_status (MnStore    *self,
                                const char *platform_id,
                                const char *status,
                                const char *status_notes,
                                const char *agency,
                                gint64      expected_at,
                                gboolean   *out_changed,
                                GError    **error)
{
  StatusJob job = { platform_id, status, status_notes, agency, expected_at, FALSE };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);
  g_return_val_if_fail (platform_id != NULL && status != NULL, FALSE);

  if (run_db (self, db_apply_status, &job, error) == NULL)
    return FALSE;
  if (out_changed != NULL)
    *out_changed = job.changed;
  return TRUE;
}

/* ---- sync facts ----------------------------------------------------------- */

void
mn_sync_state_free (MnSyncState *state)
{
  if (state == NULL)
    return;
  g_free (state->last_error);
  g_free (state);
}

static gpointer
db_get_state (sqlite3    *db,
              const char *path,
              gpointer    data,
              GError    **error)
{
  g_autoptr(MnSyncState) state = g_new0 (MnSyncState, 1);
  g_autoptr(MnStmt)      s = prepare (db, path,
                                      "SELECT key, value FROM meta WHERE key LIKE 'sync.%'", error);
  int                    rc;

  if (s == NULL)
    return NULL;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      const char *key = (const char *) sqlite3_column_text (s, 0);

      if (g_strcmp0 (key, META_LAST_CONTACT) == 0)
        state->last_contact = sqlite3_column_int64 (s, 1);
      else if (g_strcmp0 (key, META_LAST_ERROR_AT) == 0)
        state->last_error_at = sqlite3_column_int64 (s, 1);
      else if (g_strcmp0 (key, META_LAST_ERROR) == 0)
        state->last_error = mn_store_column_text (s, 1);
    }
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, db, path);
      return NULL;
    }
  return g_steal_pointer (&state);
}

MnSyncState *
mn_store_get_sync_state (MnStore *self,
                         GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (self), NULL);

  return run_db (self, db_get_state, NULL, error);
}

static gboolean
meta_put (sqlite3    *db,
          const char *path,
          const char *key,
          const char *value,
          GError    **error)
{
  g_autoptr(MnStmt) s = prepare (db, path,
                                 value != NULL
                                   ? "INSERT INTO meta (key, value) VALUES (?1, ?2) "
                                     "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                                   : "DELETE FROM meta WHERE key = ?1",
                                 error);

  if (s == NULL)
    return FALSE;
  mn_store_bind_text (s, 1, key);
  if (value != NULL)
    mn_store_bind_text (s, 2, value);
  return step_done (db, path, s, error);
}

static gpointer
db_set_state (sqlite3    *db,
              const char *path,
              gpointer    data,
              GError    **error)
{
  OutcomeJob      *job = data;
  g_autofree char *contact = g_strdup_printf ("%" G_GINT64_FORMAT, job->at);
  g_autofree char *error_at = g_strdup_printf ("%" G_GINT64_FORMAT, now_seconds ());

  if (!exec (db, path, "BEGIN IMMEDIATE", error))
    return NULL;
  if ((job->at != 0 && !meta_put (db, path, META_LAST_CONTACT, contact, error)) ||
      !meta_put (db, path, META_LAST_ERROR, job->text, error) ||
      !meta_put (db, path, META_LAST_ERROR_AT, job->text != NULL ? error_at : NULL, error) ||
      !exec (db, path, "COMMIT", error))
    {
      rollback (db);
      return NULL;
    }
  return JOB_OK;
}

gboolean
mn_store_set_sync_state (MnStore    *self,
                         gint64      last_contact,
                         const char *last_error,
                         GError    **error)
{
  OutcomeJob job = { 0 };

  g_return_val_if_fail (MN_IS_STORE (self), FALSE);

  job.at = last_contact;
  job.text = last_error;
  return run_db (self, db_set_state, &job, error) != NULL;
}
