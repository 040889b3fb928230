/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mn-attachment-private.h"

G_DEFINE_QUARK (mn-attachment-error-quark, mn_attachment_error)

G_DEFINE_BOXED_TYPE (MnAttachment, mn_attachment, mn_attachment_copy, mn_attachment_free)

static const char SQL_INSERT_ATTACHMENT[] =
  "INSERT INTO attachments (request_id, kind, path, mime, byte_size, sha256, duration_ms, "
  "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_LIST_ATTACHMENTS[] =
  "SELECT a.kind, a.path, a.mime, a.byte_size, a.sha256, a.duration_ms, a.created_at "
  "FROM attachments a JOIN requests r ON r.id = a.request_id WHERE r.uuid = ?1 ORDER BY a.id";
static const char SQL_ATTACHMENT_KNOWN[] = "SELECT 1 FROM attachments WHERE path = ?1";

MnAttachment *
mn_attachment_new_voice_note (const char *source_path,
                              const char *mime,
                              guint       duration_ms)
{
  MnAttachment *a;

  g_return_val_if_fail (source_path != NULL, NULL);

  a = g_new0 (MnAttachment, 1);
  a->kind = g_strdup (MN_ATTACHMENT_KIND_VOICE_NOTE);
  a->source_path = g_strdup (source_path);
  a->mime = g_strdup (mime != NULL ? mime : "audio/ogg");
  a->duration_ms = duration_ms;
  return a;
}

MnAttachment *
mn_attachment_new_sealed_voice_note (const char *source_path,
                                     const char *mime,
                                     guint       duration_ms)
{
  MnAttachment *a = mn_attachment_new_voice_note (source_path, mime, duration_ms);

  a->source_sealed = TRUE;
  return a;
}

MnAttachment *
mn_attachment_copy (const MnAttachment *attachment)
{
  MnAttachment *a;

  g_return_val_if_fail (attachment != NULL, NULL);

  a = g_new0 (MnAttachment, 1);
  a->kind = g_strdup (attachment->kind);
  a->source_path = g_strdup (attachment->source_path);
  a->path = g_strdup (attachment->path);
  a->mime = g_strdup (attachment->mime);
  a->byte_size = attachment->byte_size;
  a->sha256 = g_strdup (attachment->sha256);
  a->duration_ms = attachment->duration_ms;
  a->created_at = attachment->created_at;
  a->source_sealed = attachment->source_sealed;
  return a;
}

void
mn_attachment_free (MnAttachment *attachment)
{
  if (attachment == NULL)
    return;
  g_free (attachment->kind);
  g_free (attachment->source_path);
  g_free (attachment->path);
  g_free (attachment->mime);
  g_free (attachment->sha256);
  g_free (attachment);
}

char *
mn_attachment_hash_file (const char *path,
                         guint64    *out_size,
                         GError    **error)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 buffer[65536];
  guint64 size = 0;
  ssize_t n;
  int fd;

  g_return_val_if_fail (path != NULL, NULL);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    {
      int saved = errno;
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, MN_ATTACHMENT_ERROR,
                   saved == ENOENT ? MN_ATTACHMENT_ERROR_MISSING : MN_ATTACHMENT_ERROR_IO,
                   /* Translators: %s is a file, then the system's reason. */
                   _("The attached file %s cannot be read (%s)."), name, g_strerror (saved));
      return NULL;
    }
  while ((n = read (fd, buffer, sizeof buffer)) != 0)
    {
      if (n < 0)
        {
          int saved = errno;
          g_autofree char *name = g_filename_display_name (path);

          if (saved == EINTR)
            continue;
          close (fd);
          g_set_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_IO,
                       _("The attached file %s cannot be read (%s)."), name, g_strerror (saved));
          return NULL;
        }
      g_checksum_update (checksum, buffer, n);
      size += (guint64) n;
    }
  close (fd);
  if (out_size != NULL)
    *out_size = size;
  return g_strdup (g_checksum_get_string (checksum));
}

char *
mn_attachment_dup_full_path (const MnAttachment *attachment,
                             const char         *data_dir)
{
  g_return_val_if_fail (attachment != NULL && attachment->path != NULL, NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_build_filename (data_dir, attachment->path, NULL);
}

gboolean
mn_attachment_verify (const MnAttachment *attachment,
                      const char         *data_dir,
                      GError            **error)
{
  g_autofree char *full = NULL;
  g_autofree char *hash = NULL;
  g_autoptr(GError) local_error = NULL;
  guint64 size = 0;

  g_return_val_if_fail (attachment != NULL && attachment->path != NULL, FALSE);

  full = mn_attachment_dup_full_path (attachment, data_dir);
  hash = mn_attachment_hash_file (full, &size, &local_error);
  if (hash == NULL)
    {
      if (g_error_matches (local_error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_MISSING))
        g_set_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_MISSING,
                     /* Translators: %s is a file under the data directory. */
                     _("The attached file %s is missing from this terminal; restore the data "
                       "directory from its backup."),
                     attachment->path);
      else
        g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (size != attachment->byte_size || g_strcmp0 (hash, attachment->sha256) != 0)
    {
      g_set_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT,
                   /* Translators: %s is a file under the data directory. */
                   _("The attached file %s is damaged (it is not what was saved); restore the "
                     "data directory from its backup."),
                   attachment->path);
      return FALSE;
    }
  return TRUE;
}

gboolean
mn_attachment_is_sealed (const MnAttachment *attachment)
{
  g_return_val_if_fail (attachment != NULL, FALSE);

  return attachment->path != NULL &&
         g_str_has_suffix (attachment->path, MN_ATTACHMENT_SEALED_SUFFIX);
}

static void
set_damaged (GError            **error,
             const MnAttachment *attachment)
{
  g_set_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT,
               _("The attached file %s is damaged (it is not what was saved); restore the "
                 "data directory from its backup."),
               attachment->path);
}

GBytes *
mn_attachment_read (const MnAttachment *attachment,
                    const char         *data_dir,
                    MnVault            *vault,
                    GError            **error)
{
  g_autofree char *full = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) plain = NULL;
  gsize length = 0;

  g_return_val_if_fail (attachment != NULL && attachment->path != NULL, NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  full = mn_attachment_dup_full_path (attachment, data_dir);
  if (!g_file_get_contents (full, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_MISSING,
                     _("The attached file %s is missing from this terminal; restore the data "
                       "directory from its backup."),
                     attachment->path);
      else
        g_set_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_IO,
                     _("The attached file %s cannot be read (%s)."), attachment->path,
                     local_error->message);
      return NULL;
    }

  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

    g_checksum_update (checksum, (const guchar *) contents, length);
    if (length != attachment->byte_size ||
        g_strcmp0 (g_checksum_get_string (checksum), attachment->sha256) != 0)
      {
        set_damaged (error, attachment);
        return NULL;
      }
  }
  bytes = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (!mn_attachment_is_sealed (attachment))
    return g_steal_pointer (&bytes);

  if (vault == NULL)
    {
      g_set_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_IO,
                   /* Translators: %s is a file under the data directory. */
                   _("The attached file %s is sealed and this terminal’s device key is not "
                     "open; restore vault.key from its backup."),
                   attachment->path);
      return NULL;
    }
  name = g_path_get_basename (attachment->path);
  plain = mn_vault_unseal_file_contents (vault, bytes, name, &local_error);
  if (plain == NULL)
    {
      /* A hash that matches and a seal that does not open: the key is not
       * the one it was sealed with, or the row and file were both made
       * up. Either way the sound cannot be trusted. */
      g_debug ("%s: %s", attachment->path, local_error->message);
      set_damaged (error, attachment);
      return NULL;
    }
  return g_steal_pointer (&plain);
}

/* ---- the store's side ------------------------------------------------- */

static const char *
extension_for (const char *mime)
{
  if (g_strcmp0 (mime, "audio/ogg") == 0)
    return "ogg";
  if (g_strcmp0 (mime, "audio/wav") == 0)
    return "wav";
  if (g_strcmp0 (mime, "audio/flac") == 0)
    return "flac";
  if (g_strcmp0 (mime, "audio/mpeg") == 0)
    return "mp3";
  return "bin";
}

static void
set_keep_error (GError    **error,
                int         code,
                const char *detail)
{
  if (code == MN_STORE_ERROR_DISK_FULL)
    g_set_error_literal (error, MN_STORE_ERROR, code,
                         _("The terminal’s disk is full, so the voice note could not be kept and "
                           "nothing was saved. Please ask a member of staff for help."));
  else
    g_set_error (error, MN_STORE_ERROR, code,
                 /* Translators: %s is the system's reason. */
                 _("The voice note could not be kept (%s), so nothing was saved. Record it "
                   "again, or delete it and file without it."),
                 detail);
}

static gboolean
sync_directory (const char *dir)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int rc;

  if (fd < 0)
    return FALSE;
  rc = fsync (fd);
  close (fd);
  return rc == 0;
}

gboolean
mn_attachment_stage (MnAttachment *attachment,
                     const char   *data_dir,
                     MnVault      *vault,
                     const char   *uuid,
                     guint         index,
                     GError      **error)
{
  g_autofree char *dir = NULL;
  g_autofree char *name = NULL;
  g_autofree char *full = NULL;
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) local_error = NULL;
  char *contents = NULL;
  GStatBuf st;
  gsize length = 0;
  const guint8 *bytes;
  gsize sealed_length;

  g_return_val_if_fail (attachment != NULL && attachment->source_path != NULL, FALSE);
  g_return_val_if_fail (vault != NULL, FALSE);

  if (g_stat (attachment->source_path, &st) != 0)
    {
      set_keep_error (error, MN_STORE_ERROR_INVALID, g_strerror (errno));
      return FALSE;
    }
  if (!S_ISREG (st.st_mode) || st.st_size > MN_ATTACHMENT_MAX_BYTES || st.st_size == 0)
    {
      set_keep_error (error, MN_STORE_ERROR_INVALID,
                      _("it is empty, larger than 16 MB or not a file"));
      return FALSE;
    }
  if (!g_file_get_contents (attachment->source_path, &contents, &length, &local_error))
    {
      set_keep_error (error, MN_STORE_ERROR_INVALID, local_error->message);
      return FALSE;
    }
  if (attachment->source_sealed)
    {
      g_autoptr(GBytes) recorded = g_bytes_new_take (contents, length);
      g_autofree char *recorded_name = g_path_get_basename (attachment->source_path);

      /* Opened into memory only (wiped when freed), to be sealed again for
       * its name under attachments/ below. */
      plain = mn_vault_unseal_file_contents (vault, recorded, recorded_name, &local_error);
      if (plain == NULL)
        {
          g_debug ("%s: %s", attachment->source_path, local_error->message);
          set_keep_error (error, MN_STORE_ERROR_INVALID,
                          _("the recording is damaged or was cut short"));
          return FALSE;
        }
    }
  else
    plain = g_bytes_new_take (contents, length);

  dir = g_build_filename (data_dir, MN_ATTACHMENT_DIR, NULL);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_keep_error (error, errno == ENOSPC ? MN_STORE_ERROR_DISK_FULL : MN_STORE_ERROR_IO,
                      g_strerror (errno));
      return FALSE;
    }
  name = g_strdup_printf ("%s-%u.%s%s", uuid, index + 1, extension_for (attachment->mime),
                          MN_ATTACHMENT_SEALED_SUFFIX);
  /* Sealed for this very name: a file moved onto another record's name
   * does not open there. */
  sealed = mn_vault_seal_file_contents (vault, plain, name, &local_error);
  if (sealed == NULL)
    {
      set_keep_error (error, MN_STORE_ERROR_KEY, local_error->message);
      return FALSE;
    }
  bytes = g_bytes_get_data (sealed, &sealed_length);
  full = g_build_filename (dir, name, NULL);
  /* Written to a temporary file, fsynced and renamed over: the copy is
   * whole on the disk before the request that names it is committed. */
  if (!g_file_set_contents_full (full, (const char *) bytes, (gssize) sealed_length,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error) ||
      !sync_directory (dir))
    {
      int code = g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOSPC)
                   ? MN_STORE_ERROR_DISK_FULL
                   : MN_STORE_ERROR_IO;

      g_unlink (full);
      set_keep_error (error, code, local_error != NULL ? local_error->message : g_strerror (errno));
      return FALSE;
    }

  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

    /* Of the sealed bytes: see app/mn-attachment.h. */
    g_checksum_update (checksum, bytes, sealed_length);
    g_free (attachment->sha256);
    attachment->sha256 = g_strdup (g_checksum_get_string (checksum));
  }
  attachment->byte_size = sealed_length;
  g_free (attachment->path);
  attachment->path = g_build_filename (MN_ATTACHMENT_DIR, name, NULL);
  return TRUE;
}

void
mn_attachment_unstage (MnAttachment *attachment,
                       const char   *data_dir)
{
  g_autofree char *full = NULL;

  if (attachment == NULL || attachment->path == NULL)
    return;
  full = g_build_filename (data_dir, attachment->path, NULL);
  if (g_unlink (full) != 0 && errno != ENOENT)
    g_warning ("Could not delete the unsaved attachment %s: %s", full, g_strerror (errno));
  g_clear_pointer (&attachment->path, g_free);
}

gboolean
mn_attachment_insert (MnStoreWorker      *worker,
                      gint64              request_id,
                      const MnAttachment *attachment,
                      gint64              now,
                      GError            **error)
{
  sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_INSERT_ATTACHMENT, error);
  int rc;

  if (s == NULL)
    return FALSE;
  sqlite3_bind_int64 (s, 1, request_id);
  mn_store_bind_text (s, 2, attachment->kind);
  mn_store_bind_text (s, 3, attachment->path);
  mn_store_bind_text (s, 4, attachment->mime);
  sqlite3_bind_int64 (s, 5, (sqlite3_int64) attachment->byte_size);
  mn_store_bind_text (s, 6, attachment->sha256);
  if (attachment->duration_ms > 0)
    sqlite3_bind_int64 (s, 7, attachment->duration_ms);
  sqlite3_bind_int64 (s, 8, now);
  rc = sqlite3_step (s);
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (worker, error);
      mn_store_stmt_release (s);
      return FALSE;
    }
  mn_store_stmt_release (s);
  return TRUE;
}

void
mn_attachment_sweep_orphans (MnStoreWorker *worker,
                             const char    *data_dir)
{
  g_autofree char *dir_path = g_build_filename (data_dir, MN_ATTACHMENT_DIR, NULL);
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *relative = g_build_filename (MN_ATTACHMENT_DIR, name, NULL);
      g_autofree char *full = g_build_filename (dir_path, name, NULL);
      sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_ATTACHMENT_KNOWN, NULL);
      gboolean known;

      if (s == NULL)
        return;
      mn_store_bind_text (s, 1, relative);
      known = sqlite3_step (s) == SQLITE_ROW;
      mn_store_stmt_release (s);
      if (known || g_file_test (full, G_FILE_TEST_IS_DIR))
        continue;
      g_message ("Deleting %s: no saved request names it (filing was interrupted).", full);
      g_unlink (full);
    }
}

static gpointer
job_list (MnStoreWorker *worker,
          gpointer       data,
          GError       **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_attachment_free);
  sqlite3_stmt *s = mn_store_worker_stmt (worker, SQL_LIST_ATTACHMENTS, error);
  int rc;

  if (s == NULL)
    return NULL;
  mn_store_bind_text (s, 1, data);
  while ((rc = sqlite3_step (s)) == SQLITE_ROW)
    {
      MnAttachment *a = g_new0 (MnAttachment, 1);

      a->kind = mn_store_column_text (s, 0);
      a->path = mn_store_column_text (s, 1);
      a->mime = mn_store_column_text (s, 2);
      a->byte_size = (guint64) sqlite3_column_int64 (s, 3);
      a->sha256 = mn_store_column_text (s, 4);
      a->duration_ms = (guint) sqlite3_column_int64 (s, 5);
      a->created_at = sqlite3_column_int64 (s, 6);
      g_ptr_array_add (list, a);
    }
  if (rc != SQLITE_DONE)
    {
      mn_store_worker_set_error (worker, error);
      mn_store_stmt_release (s);
      return NULL;
    }
  mn_store_stmt_release (s);
  return g_steal_pointer (&list);
}

GPtrArray *
mn_store_list_attachments (MnStore    *store,
                           const char *uuid,
                           GError    **error)
{
  g_return_val_if_fail (MN_IS_STORE (store), NULL);
  g_return_val_if_fail (uuid != NULL, NULL);

  return mn_store_run_job (store, job_list, (gpointer) uuid, error);
}

typedef struct
{
  const MnAttachment *attachment;
  const char         *data_dir;
  gboolean            keep;
} ReadJob;

static gpointer
job_read (MnStoreWorker *worker,
          gpointer       data,
          GError       **error)
{
  ReadJob *job = data;
  g_autoptr(GBytes) plain = NULL;

  plain = mn_attachment_read (job->attachment, job->data_dir, mn_store_worker_get_vault (worker),
                              error);
  if (plain == NULL)
    return NULL;
  return job->keep ? g_steal_pointer (&plain) : GINT_TO_POINTER (TRUE);
}

GBytes *
mn_store_read_attachment (MnStore            *store,
                          const MnAttachment *attachment,
                          GError            **error)
{
  ReadJob job = { attachment, mn_store_get_data_dir (store), TRUE };

  g_return_val_if_fail (MN_IS_STORE (store), NULL);
  g_return_val_if_fail (attachment != NULL, NULL);

  return mn_store_run_job (store, job_read, &job, error);
}

gboolean
mn_store_verify_attachment (MnStore            *store,
                            const MnAttachment *attachment,
                            GError            **error)
{
  ReadJob job = { attachment, mn_store_get_data_dir (store), FALSE };

  g_return_val_if_fail (MN_IS_STORE (store), FALSE);
  g_return_val_if_fail (attachment != NULL, FALSE);

  return mn_store_run_job (store, job_read, &job, error) != NULL;
}
