/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mn-attachment.h"
#include "mn-store-private.h"

G_BEGIN_DECLS

/* The store's side of attachments (app/mn-store.c calls these from its
 * filing job, on the worker thread). */

/* Seals @attachment's source file with @vault and writes it durably into
 * DATA_DIR/attachments/ as the @index-th attachment of request @uuid, and
 * fills in its path, size and hash (of the sealed bytes). Errors are
 * MN_STORE_ERROR sentences. */
gboolean mn_attachment_stage         (MnAttachment  *attachment,
                                      const char    *data_dir,
                                      MnVault       *vault,
                                      const char    *uuid,
                                      guint          index,
                                      GError       **error);
/* Deletes a staged copy again (its transaction failed). */
void     mn_attachment_unstage       (MnAttachment  *attachment,
                                      const char    *data_dir);
/* Inserts the row of a staged attachment, inside the caller's
 * transaction. */
gboolean mn_attachment_insert        (MnStoreWorker *worker,
                                      gint64         request_id,
                                      const MnAttachment *attachment,
                                      gint64         now,
                                      GError       **error);
/* Deletes files under DATA_DIR/attachments/ that no row names (left by a
 * crash between the copy and the commit). */
void     mn_attachment_sweep_orphans (MnStoreWorker *worker,
                                      const char    *data_dir);

G_END_DECLS
