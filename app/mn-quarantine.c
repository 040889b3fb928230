/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "mn-audit.h"
#include "mn-cli-command.h"
#include "mn-device.h"
#include "mn-quarantine.h"
#include "mn-store-sync.h"

#define EXPORT_FORMAT "minyin-quarantine-export/1"

GPtrArray *
mn_quarantine_list (MnStore    *store,
                    const char *actor,
                    GError    **error)
{
  g_autoptr(GPtrArray) list = NULL;
  g_autofree char     *detail = NULL;

  g_return_val_if_fail (MN_IS_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  list = mn_store_outbox_list (store, "quarantined", error);
  if (list == NULL)
    return NULL;
  /* Looking is access too: the list shows what residents asked for. */
  detail = g_strdup_printf ("%u messages", list->len);
  if (!mn_audit_append (store, actor, MN_AUDIT_QUARANTINE_VIEW, detail, error))
    return NULL;
  return g_steal_pointer (&list);
}

gboolean
mn_quarantine_retry (MnStore    *store,
                     gint64      message_id,
                     const char *actor,
                     guint      *out_count,
                     GError    **error)
{
  g_autofree char *detail = NULL;
  guint            count = 0;

  g_return_val_if_fail (MN_IS_STORE (store), FALSE);
  g_return_val_if_fail (actor != NULL, FALSE);

  if (!mn_store_outbox_requeue (store, message_id, &count, error))
    return FALSE;
  if (message_id > 0)
    detail = g_strdup_printf ("message %" G_GINT64_FORMAT, message_id);
  else
    detail = g_strdup_printf ("all (%u messages)", count);
  if (!mn_audit_append (store, actor, MN_AUDIT_RETRY, detail, error))
    return FALSE;
  if (out_count != NULL)
    *out_count = count;
  return TRUE;
}

char *
mn_quarantine_default_dir (MnStore *store)
{
  g_return_val_if_fail (MN_IS_STORE (store), NULL);

  return g_build_filename (mn_store_get_data_dir (store), "exports", NULL);
}

static gboolean
wanted (GArray *ids,
        gint64  id)
{
  if (ids == NULL || ids->len == 0)
    return TRUE;
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static void
add_string (JsonBuilder *b,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value != NULL)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_time (JsonBuilder *b,
          const char  *name,
          gint64       at)
{
  g_autofree char *text = mn_cli_format_time (at);

  add_string (b, name, text);
}

static void
add_message (MnStore               *store,
             JsonBuilder           *b,
             const MnOutboxMessage *m)
{
  /* The outbox's copy of the request lacks the masked contact hint; the
   * stored request has it (never the sealed contact itself). */
  g_autoptr(MnRequest) full = m->request->uuid != NULL
                                ? mn_store_lookup (store, m->request->uuid, NULL) : NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "outbox_id");
  json_builder_add_int_value (b, m->id);
  add_string (b, "kind", m->kind);
  json_builder_set_member_name (b, "attempts");
  json_builder_add_int_value (b, m->attempts);
  add_string (b, "reason", m->quarantine_reason);
  add_string (b, "last_error", m->last_error);
  add_time (b, "queued_at", m->created_at);
  json_builder_set_member_name (b, "payload");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    /* An update's payload is JSON the store wrote; a create has none. */
    if (m->payload != NULL && json_parser_load_from_data (parser, m->payload, -1, NULL) &&
        json_parser_get_root (parser) != NULL)
      json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
    else
      json_builder_add_null_value (b);
  }
  json_builder_set_member_name (b, "request");
  json_builder_add_value (b, mn_cli_request_to_json (full != NULL ? full : m->request));
  json_builder_end_object (b);
}

static char *
build_document (MnStore    *store,
                GPtrArray  *chosen,
                const char *actor)
{
  g_autoptr(JsonBuilder)   b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode)      root = NULL;
  g_autoptr(MnDevice)      device = mn_device_load (mn_store_get_data_dir (store), NULL);

  json_builder_begin_object (b);
  add_string (b, "format", EXPORT_FORMAT);
  add_time (b, "exported_at", g_get_real_time () / G_USEC_PER_SEC);
  add_string (b, "exported_by", actor);
  add_string (b, "station", device != NULL ? device->station : NULL);
  add_string (b, "terminal", device != NULL ? device->terminal : NULL);
  /* Said in the file, so whoever opens it on another machine knows where
   * the phone numbers are. */
  add_string (b, "contact",
              "masked: contact details stay sealed on the terminal; retry the message there, "
              "or ask the resident again");
  json_builder_set_member_name (b, "messages");
  json_builder_begin_array (b);
  for (guint i = 0; i < chosen->len; i++)
    add_message (store, b, g_ptr_array_index (chosen, i));
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  return json_generator_to_data (gen, NULL);
}

/* A name nobody else's export has: terminal, time, and a counter if two
 * exports fall in one second. */
static char *
new_file_in (MnStore    *store,
             const char *dir)
{
  g_autoptr(MnDevice)  device = mn_device_load (mn_store_get_data_dir (store), NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char     *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char     *base = g_strdup_printf ("quarantine-%s%s-%s",
                                               device != NULL ? device->station : "0000",
                                               device != NULL ? device->terminal : "00", stamp);

  for (guint n = 0;; n++)
    {
      g_autofree char *name = n == 0 ? g_strdup_printf ("%s.json", base)
                                     : g_strdup_printf ("%s-%u.json", base, n);
      char *path = g_build_filename (dir, name, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return path;
      g_free (path);
    }
}

char *
mn_quarantine_export (MnStore    *store,
                      GArray     *ids,
                      const char *dir,
                      const char *out_file,
                      const char *actor,
                      guint      *out_count,
                      GError    **error)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GPtrArray) chosen = g_ptr_array_new ();
  g_autofree char     *default_dir = NULL;
  g_autofree char     *path = NULL;
  g_autofree char     *text = NULL;
  g_autofree char     *detail = NULL;
  GString             *id_list;

  g_return_val_if_fail (MN_IS_STORE (store), NULL);
  g_return_val_if_fail (actor != NULL, NULL);

  all = mn_store_outbox_list (store, "quarantined", error);
  if (all == NULL)
    return NULL;
  id_list = g_string_new (NULL);
  for (guint i = 0; i < all->len; i++)
    {
      MnOutboxMessage *m = g_ptr_array_index (all, i);

      if (!wanted (ids, m->id))
        continue;
      g_ptr_array_add (chosen, m);
      g_string_append_printf (id_list, "%s%" G_GINT64_FORMAT, id_list->len > 0 ? "," : "", m->id);
    }
  if (chosen->len == 0)
    {
      g_string_free (id_list, TRUE);
      g_set_error_literal (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND,
                           ids != NULL && ids->len > 0
                             ? _("That message is no longer in quarantine; nothing was exported.")
                             : _("Nothing is in quarantine, so there is nothing to export."));
      return NULL;
    }

  if (out_file != NULL)
    path = g_strdup (out_file);
  else
    {
      if (dir == NULL || *dir == '\0')
        dir = default_dir = mn_quarantine_default_dir (store);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved = errno;

          g_string_free (id_list, TRUE);
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                       _("The folder %s for exports cannot be made (%s). Check that the USB "
                         "stick is in and writable."),
                       dir, g_strerror (saved));
          return NULL;
        }
      path = new_file_in (store, dir);
    }

  text = build_document (store, chosen, actor);
  /* Mode 0600: the file holds what residents asked for. Written to a
   * temporary name and renamed, so a pulled stick never holds half. */
  if (!g_file_set_contents_full (path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    {
      g_string_free (id_list, TRUE);
      return NULL;
    }

  detail = g_strdup_printf ("messages %s to %s (contacts masked)", id_list->str, path);
  g_string_free (id_list, TRUE);
  if (!mn_audit_append (store, actor, MN_AUDIT_EXPORT, detail, error))
    return NULL;
  if (out_count != NULL)
    *out_count = chosen->len;
  return g_steal_pointer (&path);
}

/* ---- off the main loop ---------------------------------------------------- */

typedef struct
{
  MnStore *store;
  char    *actor;
  gint64   message_id;
  char    *dir;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->store);
  g_free (job->actor);
  g_free (job->dir);
  g_free (job);
}

static GTask *
new_task (MnStore            *store,
          const char         *actor,
          gint64              message_id,
          const char         *dir,
          gpointer            tag,
          GCancellable       *cancellable,
          GAsyncReadyCallback callback,
          gpointer            user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Job   *job = g_new0 (Job, 1);

  job->store = g_object_ref (store);
  job->actor = g_strdup (actor);
  job->message_id = message_id;
  job->dir = g_strdup (dir);
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  return task;
}

static void
list_thread (GTask        *task,
             gpointer      source,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job       *job = task_data;
  GError    *error = NULL;
  GPtrArray *list = mn_quarantine_list (job->store, job->actor, &error);

  if (list != NULL)
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

void
mn_quarantine_list_async (MnStore            *store,
                          const char         *actor,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MN_IS_STORE (store));
  task = new_task (store, actor, 0, NULL, mn_quarantine_list_async, cancellable, callback,
                   user_data);
  g_task_run_in_thread (task, list_thread);
}

GPtrArray *
mn_quarantine_list_finish (GAsyncResult *result,
                           GError      **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mn_quarantine_list_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
retry_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  Job    *job = task_data;
  GError *error = NULL;
  guint   count = 0;

  if (mn_quarantine_retry (job->store, job->message_id, job->actor, &count, &error))
    g_task_return_int (task, count);
  else
    g_task_return_error (task, error);
}

void
mn_quarantine_retry_async (MnStore            *store,
                           gint64              message_id,
                           const char         *actor,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MN_IS_STORE (store));
  task = new_task (store, actor, message_id, NULL, mn_quarantine_retry_async, cancellable,
                   callback, user_data);
  g_task_run_in_thread (task, retry_thread);
}

gssize
mn_quarantine_retry_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mn_quarantine_retry_async, -1);
  return g_task_propagate_int (G_TASK (result), error);
}

static void
export_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job             *job = task_data;
  GError          *error = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  char            *path;

  if (job->message_id > 0)
    g_array_append_val (ids, job->message_id);
  path = mn_quarantine_export (job->store, ids, job->dir, NULL, job->actor, NULL, &error);
  if (path != NULL)
    g_task_return_pointer (task, path, g_free);
  else
    g_task_return_error (task, error);
}

void
mn_quarantine_export_async (MnStore            *store,
                            gint64              message_id,
                            const char         *dir,
                            const char         *actor,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MN_IS_STORE (store));
  task = new_task (store, actor, message_id, dir, mn_quarantine_export_async, cancellable,
                   callback, user_data);
  g_task_run_in_thread (task, export_thread);
}

char *
mn_quarantine_export_finish (GAsyncResult *result,
                             GError      **error)
{
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mn_quarantine_export_async,
                        NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
