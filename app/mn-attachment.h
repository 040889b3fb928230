/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"
#include "mn-vault.h"

G_BEGIN_DECLS

/* Files kept with a request: voice notes now, photos and consent
 * signatures later (table attachments, migration 7).
 *
 * The sound is a file under DATA_DIR/attachments/, named after the
 * request's UUID, and the row keeps its path relative to the data
 * directory, its MIME type, size, SHA-256 and length.
 *
 * The file is SEALED (personal data is encrypted at rest): its bytes are
 * mn_vault_seal_file_contents() of the recording under the device key,
 * with the file's name (e.g. "<uuid>-1.ogg.sealed") as the context, so
 * the name ends in MN_ATTACHMENT_SEALED_SUFFIX while the row's MIME type
 * stays what the sound is (audio/ogg). The row's size and SHA-256 are of
 * the SEALED bytes on the disk: they can be checked without the key (a
 * backup, `minyin show` on another machine) and they are no fingerprint
 * of the recording. Opening it (mn_attachment_read()) checks the hash,
 * then authenticated decryption proves the sound itself whole and sealed
 * by this terminal's key; either failing is "damaged". The sound is only
 * ever opened into memory.
 *
 * A row whose path does not end in ".sealed" (filed by a build before
 * sealing; none was ever deployed) is read as the plain file it names,
 * still checked against its hash.
 *
 * Files rather than
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
/* How the names of sealed files end. */
#define MN_ATTACHMENT_SEALED_SUFFIX ".sealed"

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
  gboolean source_sealed; /* to file: source_path is a sealed recording (see below) */
} MnAttachment;

#define MN_TYPE_ATTACHMENT (mn_attachment_get_type ())
GType         mn_attachment_get_type       (void) G_GNUC_CONST;
/* An attachment to file: @source_path is copied in when the request is
 * filed; size and hash are taken then. */
MnAttachment *mn_attachment_new_voice_note (const char         *source_path,
                                            const char         *mime,
                                            guint               duration_ms);
/* An attachment to file from a recording sealed while it was recorded
 * (app/mn-voice-note.h): @source_path holds mn_vault_seal_file_contents()
 * bytes for its own base name. Filing opens it into memory (a stream cut
 * short, or not sealed under the store's key, is refused as damaged) and
 * seals it again for its name under attachments/: the name is what the
 * seal is bound to, and the recording's name cannot be the filed one
 * (the request's UUID is not known while recording). No plain byte is
 * written anywhere on the way. */
MnAttachment *mn_attachment_new_sealed_voice_note (const char  *source_path,
                                                   const char  *mime,
                                                   guint        duration_ms);
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
 * or damaged file is reported in a sentence, never played. Needs no key,
 * so it cannot tell a sealed file made under another key; use
 * mn_store_verify_attachment() for the full check. */
gboolean      mn_attachment_verify         (const MnAttachment *attachment,
                                            const char         *data_dir,
                                            GError            **error);

/* Whether the stored file is sealed (its path ends in ".sealed"). */
gboolean      mn_attachment_is_sealed      (const MnAttachment *attachment);

/* Reads the stored file, checks its size and hash, and opens it with
 * @vault when it is sealed: the sound, in memory only (wiped when
 * freed). MN_ATTACHMENT_ERROR_MISSING, or _CORRUPT when the hash does not
 * match or authenticated decryption fails (damaged, or another key). */
GBytes       *mn_attachment_read           (const MnAttachment *attachment,
                                            const char         *data_dir,
                                            MnVault            *vault,
                                            GError            **error);

/* The same with the store's own vault, on its worker thread. */
GBytes       *mn_store_read_attachment     (MnStore            *store,
                                            const MnAttachment *attachment,
                                            GError            **error);
/* mn_store_read_attachment() with the sound thrown away: what
 * `minyin show` says about each attachment. */
gboolean      mn_store_verify_attachment   (MnStore            *store,
                                            const MnAttachment *attachment,
                                            GError            **error);

/* The attachments of the request @uuid, oldest first (element type
 * MnAttachment); empty when none. */
GPtrArray    *mn_store_list_attachments    (MnStore            *store,
                                            const char         *uuid,
                                            GError            **error);

G_END_DECLS
