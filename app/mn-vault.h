/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "mn-request.h"

G_BEGIN_DECLS

/* The privacy vault: seals a resident's contact details (name, phone) with
 * libsodium's crypto_secretbox under this terminal's device key, so that
 * the store file never holds them in clear, and makes the masked hints
 * (138****8000) shown on screen instead.
 *
 * The key is 32 random bytes in DATA_DIR/vault.key, created once with mode
 * 0600 and refused if any other user could read or change it. Losing it
 * loses the contact details of requests not yet sent, so back it up with
 * the store. */

#define MN_VAULT_ERROR (mn_vault_error_quark ())

typedef enum
{
  MN_VAULT_ERROR_KEY_MISSING,  /* no key file, and creating one was not allowed */
  MN_VAULT_ERROR_KEY_UNSAFE,   /* readable or writable by others, or not ours */
  MN_VAULT_ERROR_KEY_INVALID,  /* wrong size, not a regular file, or not this store's key */
  MN_VAULT_ERROR_IO,
  MN_VAULT_ERROR_SEAL,
  MN_VAULT_ERROR_UNSEAL,       /* damaged, or sealed under another key or for another record */
  MN_VAULT_ERROR_INVALID_PHONE,
} MnVaultError;

GQuark mn_vault_error_quark (void);

typedef struct _MnVault MnVault;

/* Loads DATA_DIR/vault.key; if it does not exist and @create is TRUE,
 * makes a new one. */
MnVault    *mn_vault_open            (const char      *data_dir,
                                      gboolean         create,
                                      GError         **error);
/* The vault is reference counted (the store's worker and the voice
 * recorder share one; the key is read-only once loaded, so any thread may
 * use it). mn_vault_free() drops a reference; the last one wipes the key. */
MnVault    *mn_vault_ref             (MnVault         *vault);
void        mn_vault_free            (MnVault         *vault);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnVault, mn_vault_free)

const char *mn_vault_get_key_path    (MnVault         *vault);

/* A fingerprint of the key (hex), safe to store: it tells whether a key
 * file belongs to a store without revealing anything about the key. */
const char *mn_vault_get_key_id      (MnVault         *vault);

/* Seals @contact for the record named @context (the request's UUID): the
 * context is sealed inside, so a sealed blob copied onto another record
 * does not open there. */
GBytes     *mn_vault_seal_contact    (MnVault         *vault,
                                      const MnContact *contact,
                                      const char      *context,
                                      GError         **error);
MnContact  *mn_vault_unseal_contact  (MnVault         *vault,
                                      GBytes          *sealed,
                                      const char      *context,
                                      GError         **error);

/* Seals the contents of a file kept with a request (a voice note) for the
 * file named @context, so that what lies on the disk is ciphertext. The
 * bytes are cut into 64 KiB chunks sealed one after the other with
 * crypto_secretstream_xchacha20poly1305 under a subkey derived from the
 * device key (crypto_kdf, context "MnAttach"), with @context as the
 * additional data of every chunk and the last chunk tagged final: a file
 * renamed onto another record, cut short, lengthened or changed in any
 * byte does not open. Layout: "MNS1", the stream header, the chunks. */
GBytes     *mn_vault_seal_file_contents   (MnVault         *vault,
                                           GBytes          *plain,
                                           const char      *context,
                                           GError         **error);
/* The same format written as the bytes come (a voice note while it is
 * recorded): mn_vault_sealer_new() appends the magic and the stream header
 * to @out, each push appends whatever whole chunks are ready, finish
 * appends the last chunk, tagged final. The plain bytes waiting for a
 * whole chunk (64 KiB at most) stay in locked memory, wiped when sealed
 * or freed. A stream that was never finished (the process was killed) is
 * refused by mn_vault_unseal_file_contents() as cut short.
 * mn_vault_seal_file_contents() is this, in one go. Not thread-safe: one
 * thread at a time per sealer. */
typedef struct _MnVaultSealer MnVaultSealer;
MnVaultSealer *mn_vault_sealer_new    (MnVault         *vault,
                                       const char      *context,
                                       GByteArray      *out,
                                       GError         **error);
void        mn_vault_sealer_push      (MnVaultSealer   *sealer,
                                       const guint8    *data,
                                       gsize            len,
                                       GByteArray      *out);
void        mn_vault_sealer_finish    (MnVaultSealer   *sealer,
                                       GByteArray      *out);
void        mn_vault_sealer_free      (MnVaultSealer   *sealer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnVaultSealer, mn_vault_sealer_free)

/* Opens what mn_vault_seal_file_contents() sealed, into memory only;
 * MN_VAULT_ERROR_UNSEAL when it is damaged, truncated, sealed for another
 * file or under another key. */
GBytes     *mn_vault_unseal_file_contents (MnVault         *vault,
                                           GBytes          *sealed,
                                           const char      *context,
                                           GError         **error);

/* Checks a phone number as a person typed it and returns it as digits
 * (with a leading + for an international number): separators (spaces,
 * dashes, dots, brackets) and full-width digits are accepted. */
char       *mn_vault_normalize_phone (const char      *phone,
                                      GError         **error);

/* Masks a phone number for display: 13800138000 → 138****8000, a landline
 * keeps its area code (010-12****78), short numbers show only their last
 * two digits. */
char       *mn_vault_mask_phone      (const char      *phone);

/* The hint stored beside a sealed contact: the masked phone, else the
 * name's first character followed by stars (张**), else NULL. */
char       *mn_vault_contact_hint    (const MnContact *contact);

G_END_DECLS
