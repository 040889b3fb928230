/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "mn-audit.h"
#include "mn-inquiry.h"
#include "mn-staff.h"
#include "mn-store-private.h"

G_DEFINE_QUARK (mn-staff-error-quark, mn_staff_error)

#define JOB_OK GINT_TO_POINTER (1)

static const char SQL_INSERT[] =
  "INSERT INTO staff (number, name, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_LIST[] =
  "SELECT number, name, created_at, disabled FROM staff ORDER BY length (number), number";
static const char SQL_DISABLE[] =
  "UPDATE staff SET disabled = 1, disabled_at = ?2 WHERE number = ?1";
static const char SQL_ACCOUNT[] =
  "SELECT number, name, created_at, disabled, pin_hash FROM staff WHERE number = ?1";
static const char SQL_GUARD[] =
  "SELECT failures, lockouts, locked_until, last_failure_at FROM staff_guard WHERE number = ?1";
static const char SQL_GUARD_SET[] =
  "INSERT INTO staff_guard (number, failures, lockouts, locked_until, last_failure_at) "
  "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (number) DO UPDATE SET failures = excluded.failures, "
  "lockouts = excluded.lockouts, locked_until = excluded.locked_until, "
  "last_failure_at = excluded.last_failure_at";
static const char SQL_GUARD_CLEAR[] = "DELETE FROM staff_guard WHERE number = ?1";

void
mn_staff_account_free (MnStaffAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->number);
  g_free (account->name);
  g_free (account);
}

MnStaffAccount *
mn_staff_account_copy (const MnStaffAccount *account)
{
  MnStaffAccount *copy;

  g_return_val_if_fail (account != NULL, NULL);

  copy = g_new0 (MnStaffAccount, 1);
  copy->number = g_strdup (account->number);
  copy->name = g_strdup (account->name);
  copy->created_at = account->created_at;
  copy->disabled = account->disabled;
  return copy;
}

static gboolean
all_digits (const char *s)
{
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

gboolean
mn_staff_check_number (const char *number,
                       GError    **error)
{
  if (number == NULL || *number == '\0' || !all_digits (number) ||
      strlen (number) > MN_STAFF_NUMBER_MAX)
    {
      g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID,
                   _("A staff number is 1 to %d digits."), MN_STAFF_NUMBER_MAX);
      return FALSE;
    }
  return TRUE;
}

gboolean
mn_staff_check_pin (const char *pin,
                    GError    **error)
{
  gsize len = pin != NULL ? strlen (pin) : 0;

  if (pin == NULL || !all_digits (pin) || len < MN_STAFF_PIN_MIN || len > MN_STAFF_PIN_MAX)
    {
      g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID,
                   _("A PIN is %d to %d digits, and nothing else."), MN_STAFF_PIN_MIN,
                   MN_STAFF_PIN_MAX);
      return FALSE;
    }
  return TRUE;
}

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID,
                           _("The cryptography library could not start; reinstall libsodium."));
      return FALSE;
    }
  return TRUE;
}

char *
mn_staff_hash_pin (const char *pin,
                   GError    **error)
{
  char out[crypto_pwhash_STRBYTES];

  if (!mn_staff_check_pin (pin, error) || !ensure_sodium (error))
    return NULL;
  if (crypto_pwhash_str (out, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID,
                           _("There is not enough memory to protect the PIN; close other "
                             "programs and try again."));
      return NULL;
    }
  return g_strdup (out);
}

gboolean
mn_staff_verify_pin (const char *hash,
                     const char *pin)
{
  g_return_val_if_fail (hash != NULL && pin != NULL, FALSE);

  if (sodium_init () < 0)
    return FALSE;
  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

/* What an unknown staff number is checked against, so that it costs the
 * same time as a known one. Made once per process. */
static const char *
dummy_hash (void)
{
  static char *hash;

  if (g_once_init_enter (&hash))
    {
      char *made = mn_staff_hash_pin ("000000000000", NULL);

      g_once_init_leave (&hash, made != NULL ? made : g_strdup (""));
    }
  return hash;
}

/* ---- enrol, list, disable ----------------------------------------------- */

typedef struct
{
  const char *number;
  const char *name;
  const char *hash;
} AddJob;

static gpointer
add_job (MnStoreWorker *worker,
         gpointer       data,
         GError       **error)
{
  AddJob       *job = data;
  sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_INSERT, error);
  int           rc;

  if (s == NULL)
    return NULL;
  mn_store_bind_text (s, 1, job->number);
  mn_store_bind_text (s, 2, job->name);
  mn_store_bind_text (s, 3, job->hash);
  sqlite3_bind_int64 (s, 4, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (s);
  mn_store_stmt_release (s);
  if ((rc & 0xff) == SQLITE_CONSTRAINT)
    {
      g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_EXISTS,
                   _("Staff number %s is enrolled already; choose another number."), job->number);
      return NULL;
    }
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (worker, error);
      return NULL;
    }
  return JOB_OK;
}

gboolean
mn_staff_add (MnStore    *store,
              const char *number,
              const char *name,
              const char *pin,
              const char *actor,
              GError    **error)
{
  g_autofree char *hash = NULL;
  g_autofree char *clean = NULL;
  g_autofree char *detail = NULL;
  AddJob           job;

  g_return_val_if_fail (MN_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!mn_staff_check_number (number, error))
    return FALSE;
  clean = name != NULL && g_utf8_validate (name, -1, NULL) ? g_strstrip (g_strdup (name)) : NULL;
  if (clean == NULL || *clean == '\0' || g_utf8_strlen (clean, -1) > MN_STAFF_NAME_MAX)
    {
      g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID,
                   _("Give the staff member’s name, at most %d characters."), MN_STAFF_NAME_MAX);
      return FALSE;
    }
  for (const char *p = clean; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_iscntrl (g_utf8_get_char (p)))
      {
        g_set_error_literal (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID,
                             _("A name cannot contain control characters."));
        return FALSE;
      }
  if ((hash = mn_staff_hash_pin (pin, error)) == NULL)
    return FALSE;

  job.number = number;
  job.name = clean;
  job.hash = hash;
  if (mn_store_run_job (store, add_job, &job, error) == NULL)
    return FALSE;
  detail = g_strdup_printf ("staff %s", number);
  return mn_audit_append (store, actor, MN_AUDIT_STAFF_ADD, detail, error);
}

static MnStaffAccount *
account_from_row (sqlite3_stmt *s)
{
  MnStaffAccount *a = g_new0 (MnStaffAccount, 1);

  a->number = mn_store_column_text (s, 0);
  a->name = mn_store_column_text (s, 1);
  a->created_at = sqlite3_column_int64 (s, 2);
  a->disabled = sqlite3_column_int (s, 3) != 0;
  return a;
}

static gpointer
list_job (MnStoreWorker *worker,
          gpointer       data,
          GError       **error)
{
  g_autoptr(GPtrArray) rows =
    g_ptr_array_new_with_free_func ((GDestroyNotify) mn_staff_account_free);
  sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_LIST, error);
  int rc;

  if (s == NULL)
    return NULL;
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    g_ptr_array_add (rows, account_from_row (s));
  mn_store_stmt_release (s);
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (worker, error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

GPtrArray *
mn_staff_list (MnStore *store,
               GError **error)
{
  g_return_val_if_fail (MN_IS_STORE (store), NULL);

  return mn_store_run_job (store, list_job, NULL, error);
}

static gpointer
disable_job (MnStoreWorker *worker,
             gpointer       data,
             GError       **error)
{
  const char   *number = data;
  sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_DISABLE, error);
  int           rc;

  if (s == NULL)
    return NULL;
  mn_store_bind_text (s, 1, number);
  sqlite3_bind_int64 (s, 2, g_get_real_time () / G_USEC_PER_SEC);
  rc = sqlite3_step (s);
  mn_store_stmt_release (s);
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (worker, error);
      return NULL;
    }
  if (sqlite3_changes (mn_store_worker_get_db (worker)) == 0)
    {
      g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_NOT_FOUND,
                   _("No staff member has number %s; see ‘minyin staff list’."), number);
      return NULL;
    }
  return JOB_OK;
}

gboolean
mn_staff_disable (MnStore    *store,
                  const char *number,
                  const char *actor,
                  GError    **error)
{
  g_autofree char *detail = NULL;

  g_return_val_if_fail (MN_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!mn_staff_check_number (number, error))
    return FALSE;
  if (mn_store_run_job (store, disable_job, (gpointer) number, error) == NULL)
    return FALSE;
  detail = g_strdup_printf ("staff %s", number);
  return mn_audit_append (store, actor, MN_AUDIT_STAFF_DISABLE, detail, error);
}

/* ---- sign-in -------------------------------------------------------------- */

typedef struct
{
  const char     *number;
  gint64          now;
  /* out of the first job */
  MnStaffAccount *account;
  char           *hash;
  gint64          locked_until;
  /* into the second */
  gboolean        right;
  gint64          failures;
  gint64          lockouts;
  gint64          last_failure_at;
} SignInJob;

static gpointer
read_job (MnStoreWorker *worker,
          gpointer       data,
          GError       **error)
{
  SignInJob    *job = data;
  sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_ACCOUNT, error);
  int           rc;

  if (s == NULL)
    return NULL;
  mn_store_bind_text (s, 1, job->number);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      job->account = account_from_row (s);
      job->hash = mn_store_column_text (s, 4);
    }
  mn_store_stmt_release (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto db_fail;

  if ((s = mn_store_worker_stmt (worker, SQL_GUARD, error)) == NULL)
    return NULL;
  mn_store_bind_text (s, 1, job->number);
  rc = sqlite3_step (s);
  if (rc == SQLITE_ROW)
    {
      job->failures = sqlite3_column_int64 (s, 0);
      job->lockouts = sqlite3_column_int64 (s, 1);
      job->locked_until = sqlite3_column_int64 (s, 2);
      job->last_failure_at = sqlite3_column_int64 (s, 3);
    }
  mn_store_stmt_release (s);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    goto db_fail;
  return JOB_OK;

db_fail:
  mn_store_worker_set_error (worker, error);
  return NULL;
}

static gpointer
record_job (MnStoreWorker *worker,
            gpointer       data,
            GError       **error)
{
  SignInJob    *job = data;
  sqlite3_stmt *s;
  int           rc;

  if (job->right)
    {
      if ((s = mn_store_worker_stmt (worker, SQL_GUARD_CLEAR, error)) == NULL)
        return NULL;
      mn_store_bind_text (s, 1, job->number);
    }
  else
    {
      if ((s = mn_store_worker_stmt (worker, SQL_GUARD_SET, error)) == NULL)
        return NULL;
      mn_store_bind_text (s, 1, job->number);
      sqlite3_bind_int64 (s, 2, job->failures);
      sqlite3_bind_int64 (s, 3, job->lockouts);
      sqlite3_bind_int64 (s, 4, job->locked_until);
      sqlite3_bind_int64 (s, 5, job->last_failure_at);
    }
  rc = sqlite3_step (s);
  mn_store_stmt_release (s);
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (worker, error);
      return NULL;
    }
  return JOB_OK;
}

static void
set_locked_error (GError **error,
                  gint64   seconds)
{
  guint minutes = (guint) MAX (1, (seconds + 59) / 60);

  g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_LOCKED,
               ngettext ("Too many wrong PINs for this staff number. Try again in %u minute.",
                         "Too many wrong PINs for this staff number. Try again in %u minutes.",
                         minutes),
               minutes);
}

MnStaffAccount *
mn_staff_sign_in (MnStore    *store,
                  const char *number,
                  const char *pin,
                  gint64      now,
                  GError    **error)
{
  SignInJob         job = { 0 };
  g_autoptr(GError) local = NULL;
  const char       *actor;
  gboolean          hash_right;
  MnStaffAccount   *result = NULL;

  g_return_val_if_fail (MN_IS_STORE (store), NULL);

  /* A shape error is a typing slip, told at once; it is not an attempt. */
  if (!mn_staff_check_number (number, error))
    return NULL;
  if (pin == NULL || !all_digits (pin) || strlen (pin) < MN_STAFF_PIN_MIN ||
      strlen (pin) > MN_STAFF_PIN_MAX)
    {
      g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID,
                   _("A PIN is %d to %d digits. Type it again."), MN_STAFF_PIN_MIN,
                   MN_STAFF_PIN_MAX);
      return NULL;
    }
  actor = number;

  job.number = number;
  job.now = now;
  if (mn_store_run_job (store, read_job, &job, error) == NULL)
    goto out;

  if (job.locked_until > now)
    {
      set_locked_error (error, job.locked_until - now);
      mn_audit_append (store, actor, MN_AUDIT_SIGN_IN_FAILED, "locked out", NULL);
      goto out;
    }

  /* The same work whether the number exists or not; the dummy hash is
   * made (once per process) before either check, so that even the first
   * attempt takes equally long for a known and an unknown number. */
  {
    const char *dummy = dummy_hash ();

    hash_right = mn_staff_verify_pin (job.hash != NULL ? job.hash : dummy, pin);
  }
  job.right = hash_right && job.account != NULL;

  if (job.right)
    {
      if (!mn_store_run_job (store, record_job, &job, error))
        goto out;
      if (job.account->disabled)
        {
          g_set_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_DISABLED,
                       _("This staff account is disabled. Ask the station administrator."));
          mn_audit_append (store, actor, MN_AUDIT_SIGN_IN_FAILED, "account disabled", NULL);
          goto out;
        }
      if (!mn_audit_append (store, actor, MN_AUDIT_SIGN_IN, NULL, error))
        goto out;
      result = g_steal_pointer (&job.account);
      goto out;
    }

  /* Wrong: one more failure; an old lock-out is forgotten after a day. */
  if (job.last_failure_at > 0 && now - job.last_failure_at > MN_INQUIRY_LOCKOUT_MEMORY)
    job.lockouts = 0;
  job.failures++;
  job.last_failure_at = now;
  if (job.failures >= MN_STAFF_MAX_FAILURES)
    {
      job.lockouts++;
      job.failures = 0;
      job.locked_until = now + mn_inquiry_lockout_seconds ((guint) job.lockouts);
    }
  if (!mn_store_run_job (store, record_job, &job, &local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      goto out;
    }
  mn_audit_append (store, actor, MN_AUDIT_SIGN_IN_FAILED, "wrong number or PIN", NULL);
  if (job.locked_until > now)
    set_locked_error (error, job.locked_until - now);
  else
    g_set_error_literal (error, MN_STAFF_ERROR, MN_STAFF_ERROR_WRONG,
                         _("That staff number and PIN do not match. Check both and try again."));

out:
  g_clear_pointer (&job.account, mn_staff_account_free);
  if (job.hash != NULL)
    sodium_memzero (job.hash, strlen (job.hash));
  g_free (job.hash);
  return result;
}

typedef struct
{
  MnStore *store;
  char    *number;
  char    *pin;
} AsyncSignIn;

static void
async_sign_in_free (AsyncSignIn *data)
{
  g_clear_object (&data->store);
  g_free (data->number);
  if (data->pin != NULL)
    sodium_memzero (data->pin, strlen (data->pin));
  g_free (data->pin);
  g_free (data);
}

static void
sign_in_thread (GTask        *task,
                gpointer      source,
                gpointer      task_data,
                GCancellable *cancellable)
{
  AsyncSignIn    *data = task_data;
  GError         *error = NULL;
  MnStaffAccount *account = mn_staff_sign_in (data->store, data->number, data->pin,
                                              g_get_real_time () / G_USEC_PER_SEC, &error);

  if (account != NULL)
    g_task_return_pointer (task, account, (GDestroyNotify) mn_staff_account_free);
  else
    g_task_return_error (task, error);
}

void
mn_staff_sign_in_async (MnStore            *store,
                        const char         *number,
                        const char         *pin,
                        GCancellable       *cancellable,
                        GAsyncReadyCallback callback,
                        gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;
  AsyncSignIn     *data;

  g_return_if_fail (MN_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mn_staff_sign_in_async);
  /* A sign-in the thread completed is reported even when the caller gave
   * up meanwhile: the audit trail has it, and the caller must write the
   * matching sign-out. */
  g_task_set_check_cancellable (task, FALSE);
  data = g_new0 (AsyncSignIn, 1);
  data->store = g_object_ref (store);
  data->number = g_strdup (number);
  data->pin = g_strdup (pin);
  g_task_set_task_data (task, data, (GDestroyNotify) async_sign_in_free);
  /* The PIN check takes a tenth of a second and 64 MiB: a thread of its own. */
  g_task_run_in_thread (task, sign_in_thread);
}

MnStaffAccount *
mn_staff_sign_in_finish (GAsyncResult *result,
                         GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mn_staff_sign_in_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
