/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* What staff do with quarantined outbox messages (PROTOCOL.md: "quarantine
 * with the server's reason, visible to staff, never deleted"): look at
 * them, put them back in the queue, export them to a file. The kiosk's
 * staff page and the commands `minyin quarantine` / `minyin export
 * --quarantined` share this code; each call writes one row to the audit
 * trail under @actor (a staff number, or "cli:USER").
 *
 * An export is JSON (format "minyin-quarantine-export/1"): the terminal,
 * when and by whom, and per message its outbox id, kind, attempts, the
 * platform's reason, the update's payload and the request as `minyin show
 * --json` prints it. Contact details stay sealed on the terminal: the file
 * holds only the masked hint (HACKING.md, "Staff and the audit trail",
 * says why). The file is written with mode 0600, atomically, into a
 * directory of mode 0700. */

/* Element type MnOutboxMessage (mn-store-sync.h), oldest first. */
GPtrArray *mn_quarantine_list           (MnStore        *store,
                                         const char     *actor,
                                         GError        **error);
/* Puts message @message_id (0: every quarantined one) back in the queue.
 * The caller wakes the sync worker. */
gboolean   mn_quarantine_retry          (MnStore        *store,
                                         gint64          message_id,
                                         const char     *actor,
                                         guint          *out_count,
                                         GError        **error);

/* DATA_DIR/exports: where exports go unless the settings say otherwise. */
char      *mn_quarantine_default_dir    (MnStore        *store);

/* Writes the quarantined messages whose ids are in @ids (NULL or empty:
 * all of them) to @out_file, or when that is NULL to a new file named
 * after the terminal and the time in @dir (NULL: the default). Returns
 * the file's path; NOT_FOUND (MN_STORE_ERROR) when nothing matches. */
char      *mn_quarantine_export         (MnStore        *store,
                                         GArray         *ids,
                                         const char     *dir,
                                         const char     *out_file,
                                         const char     *actor,
                                         guint          *out_count,
                                         GError        **error);

/* The same off the calling thread, for the window. The result of
 * list_finish is a GPtrArray of MnOutboxMessage; of retry_finish the
 * count; of export_finish the path. */
void       mn_quarantine_list_async     (MnStore            *store,
                                         const char         *actor,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray *mn_quarantine_list_finish    (GAsyncResult       *result,
                                         GError            **error);
void       mn_quarantine_retry_async    (MnStore            *store,
                                         gint64              message_id,
                                         const char         *actor,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
gssize     mn_quarantine_retry_finish   (GAsyncResult       *result,
                                         GError            **error);
void       mn_quarantine_export_async   (MnStore            *store,
                                         gint64              message_id,
                                         const char         *dir,
                                         const char         *actor,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
char      *mn_quarantine_export_finish  (GAsyncResult       *result,
                                         GError            **error);

G_END_DECLS
