/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* Files kept with a request: voice notes now, photos and consent
 * signatures later (table attachments, migration 7).
 *
 * The sound is a file under DATA_DIR/attachments/, named after the
 * request's UUID, and the row keeps its path relative to the data
 * directory, its MIME type, size, SHA-256 and length. Files rather than
 * BLOBs: GStreamer plays a file directly, photos will be megabytes (a
 * store of a million requests must stay quick to open and to back up
 * incrementally), and the hash finds a file damaged on the disk.
 *
 * Filing with attachments (mn_store_file_request_with_attachments) copies
 * each file in durably (written, fsynced, renamed, directory fsynced)
 * BEFORE the transaction that inserts the request and the attachment rows,
 * and deletes the copies again if that transaction fails. So a committed
 * row always has its file; a crash between the copy and the commit leaves
 * only a file no row names, which the next opening of the store deletes.
 * The attachment rows go with the request (ON DELETE CASCADE). */

#define MN_ATTACHMENT_KIND_VOICE_NOTE "voice_note"
/* The largest file kept (a minute of Opus is ~180 KB). */
#define MN_ATTACHMENT_MAX_BYTES (16 * 1024 * 1024)
/* The folder, under the data directory. */
#define MN_ATTACHMENT_DIR "attachments"

#define MN_ATTACHMENT_ERROR (mn_attachment_error_quark ())
typedef enum
{
  MN_ATTACHMENT_ERROR_MISSING, /* the file is gone from the disk */
  MN_ATTACHMENT_ERROR_CORRUPT, /* its size or hash is not what was stored */
  MN_ATTACHMENT_ERROR_IO,
} MnAttachmentError;
GQuark mn_attachment_error_quark (void);

typedef struct
{
  char   *kind;        /* MN_ATTACHMENT_KIND_* */
  char   *source_path; /* to file: the file to copy in; NULL once stored */
  char   *path;        /* stored: relative to the data directory */
  char   *mime;
  guint64 byte_size;
  char   *sha256;      /* lower-case hex */
  guint   duration_ms; /* 0 when not a sound */
  gint64  created_at;
} MnAttachment;

#define MN_TYPE_ATTACHMENT (mn_attachment_get_type ())
GType         mn_attachment_get_type       (void) G_GNUC_CONST;
/* An attachment to file: @source_path is copied in when the request is
 * filed; size and hash are taken then. */
MnAttachment *mn_attachment_new_voice_note (const char         *source_path,
                                            const char         *mime,
                                            guint               duration_ms);
MnAttachment *mn_attachment_copy           (const MnAttachment *attachment);
void          mn_attachment_free           (MnAttachment       *attachment);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnAttachment, mn_attachment_free)

/* The SHA-256 (hex) and size of a file. */
char         *mn_attachment_hash_file      (const char         *path,
                                            guint64            *out_size,
                                            GError            **error);

/* A stored attachment's file. */
char         *mn_attachment_dup_full_path  (const MnAttachment *attachment,
                                            const char         *data_dir);
/* Checks that the stored file is there with its size and hash: a missing
 * or damaged file is reported in a sentence, never played. */
gboolean      mn_attachment_verify         (const MnAttachment *attachment,
                                            const char         *data_dir,
                                            GError            **error);

/* The attachments of the request @uuid, oldest first (element type
 * MnAttachment); empty when none. */
GPtrArray    *mn_store_list_attachments    (MnStore            *store,
                                            const char         *uuid,
                                            GError            **error);

G_END_DECLS
