/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sodium.h>
#include <string.h>

#include "mn-audit.h"
#include "mn-store-private.h"

#define JOB_OK GINT_TO_POINTER (1)

static const char SQL_LAST[] = "SELECT hash FROM audit ORDER BY id DESC LIMIT 1";
static const char SQL_NEXT_ID[] = "SELECT coalesce(max(id), 0) + 1 FROM audit";
static const char SQL_INSERT[] =
  "INSERT INTO audit (id, at, actor, action, detail, prev_hash, hash) "
  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
static const char SQL_ALL[] =
  "SELECT id, at, actor, action, detail, prev_hash, hash FROM audit ORDER BY id";

void
mn_audit_entry_free (MnAuditEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->actor);
  g_free (entry->action);
  g_free (entry->detail);
  g_free (entry->prev_hash);
  g_free (entry->hash);
  g_free (entry);
}

static void
hash_field (crypto_generichash_state *state,
            const char               *text,
            gboolean                  present)
{
  guint64       len = present ? strlen (text) : G_MAXUINT64;
  unsigned char prefix[8];

  /* A NULL detail and an empty one are different rows. */
  for (int i = 0; i < 8; i++)
    prefix[i] = (unsigned char) (len >> (56 - 8 * i));
  crypto_generichash_update (state, prefix, sizeof prefix);
  if (present)
    crypto_generichash_update (state, (const unsigned char *) text, strlen (text));
}

char *
mn_audit_row_hash (const char *prev_hash,
                   gint64      id,
                   gint64      at,
                   const char *actor,
                   const char *action,
                   const char *detail)
{
  crypto_generichash_state state;
  unsigned char            out[32];
  char                     hex[65];
  char                     number[32];

  g_return_val_if_fail (prev_hash != NULL && actor != NULL && action != NULL, NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not start");
  crypto_generichash_init (&state, NULL, 0, sizeof out);
  hash_field (&state, "minyin-audit-1", TRUE);
  hash_field (&state, prev_hash, TRUE);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, id);
  hash_field (&state, number, TRUE);
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, at);
  hash_field (&state, number, TRUE);
  hash_field (&state, actor, TRUE);
  hash_field (&state, action, TRUE);
  hash_field (&state, detail != NULL ? detail : "", detail != NULL);
  crypto_generichash_final (&state, out, sizeof out);
  sodium_bin2hex (hex, sizeof hex, out, sizeof out);
  return g_strdup (hex);
}

typedef struct
{
  const char *actor;
  const char *action;
  const char *detail;
} AppendJob;

static gpointer
append_job (MnStoreWorker *worker,
            gpointer       data,
            GError       **error)
{
  AppendJob       *job = data;
  sqlite3_stmt    *s;
  g_autofree char *prev = NULL;
  g_autofree char *hash = NULL;
  gint64           id;
  gint64           at = g_get_real_time () / G_USEC_PER_SEC;
  int              rc;

  /* Reading the last hash and writing the next row in one write
   * transaction: two writers (the window and the command line) can never
   * chain to the same row. */
  if (!mn_store_worker_exec (worker, "BEGIN IMMEDIATE", error))
    return NULL;

  if ((s = mn_store_worker_stmt (worker, SQL_LAST, error)) == NULL)
    goto fail;
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    prev = mn_store_column_text (s, 0);
  mn_store_stmt_release (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto db_fail;
  if (prev == NULL)
    prev = g_strdup (MN_AUDIT_GENESIS);

  if ((s = mn_store_worker_stmt (worker, SQL_NEXT_ID, error)) == NULL)
    goto fail;
  rc = sqlite3_step (s);
  id = sqlite3_column_int64 (s, 0);
  mn_store_stmt_release (s);
  if (rc != SQLITE_ROW)
    goto db_fail;

  hash = mn_audit_row_hash (prev, id, at, job->actor, job->action, job->detail);
  if ((s = mn_store_worker_stmt (worker, SQL_INSERT, error)) == NULL)
    goto fail;
  sqlite3_bind_int64 (s, 1, id);
  sqlite3_bind_int64 (s, 2, at);
  mn_store_bind_text (s, 3, job->actor);
  mn_store_bind_text (s, 4, job->action);
  mn_store_bind_text (s, 5, job->detail);
  mn_store_bind_text (s, 6, prev);
  mn_store_bind_text (s, 7, hash);
  rc = sqlite3_step (s);
  mn_store_stmt_release (s);
  if (rc != SQLITE_DONE)
    goto db_fail;

  if (!mn_store_worker_exec (worker, "COMMIT", error))
    goto fail;
  return JOB_OK;

db_fail:
  mn_store_worker_set_error (worker, error);
fail:
  mn_store_worker_rollback (worker);
  return NULL;
}

gboolean
mn_audit_append (MnStore    *store,
                 const char *actor,
                 const char *action,
                 const char *detail,
                 GError    **error)
{
  AppendJob job = { actor, action, detail };

  g_return_val_if_fail (MN_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL && action != NULL, FALSE);

  return mn_store_run_job (store, append_job, &job, error) != NULL;
}

static gpointer
list_job (MnStoreWorker *worker,
          gpointer       data,
          GError       **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_audit_entry_free);
  sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_ALL, error);
  int rc;

  if (s == NULL)
    return NULL;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      MnAuditEntry *e = g_new0 (MnAuditEntry, 1);

      e->id = sqlite3_column_int64 (s, 0);
      e->at = sqlite3_column_int64 (s, 1);
      e->actor = mn_store_column_text (s, 2);
      e->action = mn_store_column_text (s, 3);
      e->detail = mn_store_column_text (s, 4);
      e->prev_hash = mn_store_column_text (s, 5);
      e->hash = mn_store_column_text (s, 6);
      g_ptr_array_add (rows, e);
    }
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (worker, error);
      mn_store_stmt_release (s);
      return NULL;
    }
  mn_store_stmt_release (s);
  return g_steal_pointer (&rows);
}

GPtrArray *
mn_audit_list (MnStore *store,
               GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (store), NULL);

  return mn_store_run_job (store, list_job, NULL, error);
}

GArray *
mn_audit_verify (MnStore *store,
                 GError **error)
{
  g_autoptr(GPtrArray) rows = mn_audit_list (store, error);
  GArray *bad;
  const char *expected_prev = MN_AUDIT_GENESIS;

  if (rows == NULL)
    return NULL;

  bad = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < rows->len; i++)
    {
      const MnAuditEntry *e = g_ptr_array_index (rows, i);
      g_autofree char *hash = mn_audit_row_hash (e->prev_hash != NULL ? e->prev_hash : "", e->id,
                                                 e->at, e->actor != NULL ? e->actor : "",
                                                 e->action != NULL ? e->action : "", e->detail);

      /* A row is sound when its own hash fits its content and it chains to
       * the row before it as that row is stored now. The next row is then
       * checked against this one's stored hash, so one edited row is
       * reported once, not with every row after it. */
      if (g_strcmp0 (hash, e->hash) != 0 || g_strcmp0 (e->prev_hash, expected_prev) != 0 ||
          e->actor == NULL || e->action == NULL)
        g_array_append_val (bad, e->id);
      expected_prev = e->hash != NULL ? e->hash : "";
    }
  return bad;
}

typedef struct
{
  MnStore *store;
  char    *actor;
  char    *action;
  char    *detail;
} AsyncAppend;

static void
async_append_free (AsyncAppend *data)
{
  g_clear_object (&data->store);
  g_free (data->actor);
  g_free (data->action);
  g_free (data->detail);
  g_free (data);
}

static void
append_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  AsyncAppend      *data = task_data;
  g_autoptr(GError) error = NULL;

  if (!mn_audit_append (data->store, data->actor, data->action, data->detail, &error))
    g_warning ("The audit trail could not record “%s”: %s", data->action, error->message);
  g_task_return_boolean (task, TRUE);
}

void
mn_audit_append_async (MnStore    *store,
                       const char *actor,
                       const char *action,
                       const char *detail)
{
  g_autoptr(GTask) task = NULL;
  AsyncAppend     *data;

  g_return_if_fail (MN_IS_STORE (store));
  g_return_if_fail (actor != NULL && action != NULL);

  task = g_task_new (NULL, NULL, NULL, NULL);
  data = g_new0 (AsyncAppend, 1);
  data->store = g_object_ref (store);
  data->actor = g_strdup (actor);
  data->action = g_strdup (action);
  data->detail = g_strdup (detail);
  g_task_set_task_data (task, data, (GDestroyNotify) async_append_free);
  g_task_run_in_thread (task, append_thread);
}

char *
mn_audit_cli_actor (void)
{
  return g_strdup_printf ("cli:%s", g_get_user_name ());
}
