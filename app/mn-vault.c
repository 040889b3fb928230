/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mn-vault.h"

G_DEFINE_QUARK (mn-vault-error-quark, mn_vault_error)

#define KEY_FILE "vault.key"
#define KEY_ID_BYTES 8

/* Sealed blob: one version byte, the nonce, then the secretbox (MAC and
 * cipher text) of the fields below. The version lets a later build change
 * the layout and still open what an older one sealed. */
#define SEALED_VERSION 1
#define SEALED_HEADER (1 + crypto_secretbox_NONCEBYTES)

/* A length that marks an absent field (NULL rather than ""). */
#define FIELD_ABSENT G_MAXUINT32

#define MIN_PHONE_DIGITS 3
#define MAX_PHONE_DIGITS 20

struct _MnVault
{
  gatomicrefcount ref_count; /* the store's worker and the voice note share it */
  unsigned char *key; /* sodium_malloc'd: guarded pages, never swapped, wiped on free */
  char          *key_path;
  char          *key_id;
};

static gboolean
ensure_sodium (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_IO,
                           _("The encryption library could not start; the terminal cannot protect "
                             "contact details. Ask staff to check the installation."));
      return FALSE;
    }

  return TRUE;
}

/* Creates the key file exclusively: the key is written and flushed under a
 * temporary name made with O_EXCL and mode 0600, then linked into place,
 * which fails if a key appeared meanwhile. So no process ever reads a half
 * written key, and two processes starting together agree on one key. */
static gboolean
create_key_file (const char *data_dir,
                 const char *path,
                 GError    **error)
{
  g_autofree char *tmp = g_build_filename (data_dir, KEY_FILE ".XXXXXX", NULL);
  unsigned char    key[crypto_secretbox_KEYBYTES];
  int              fd;
  int              saved_errno = 0;
  gboolean         ok;

  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_IO,
                   _("Could not create the device key in %s: %s. Check that the data "
                     "directory is writable."),
                   data_dir, g_strerror (saved_errno));
      return FALSE;
    }

  randombytes_buf (key, sizeof key);
  ok = fchmod (fd, 0600) == 0 && write (fd, key, sizeof key) == (gssize) sizeof key &&
       fsync (fd) == 0;
  if (!ok)
    saved_errno = errno;
  sodium_memzero (key, sizeof key);
  close (fd);

  if (ok && link (tmp, path) != 0 && errno != EEXIST)
    {
      ok = FALSE;
      saved_errno = errno;
    }
  g_unlink (tmp);

  if (!ok)
    {
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_IO,
                   _("Could not create the device key %s: %s. Check that the data directory "
                     "is writable."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }

  /* The new name must survive a power cut as well as the key's bytes. */
  fd = open (data_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0)
    {
      fsync (fd);
      close (fd);
    }

  return TRUE;
}

static gboolean
load_key (MnVault *vault,
          GError **error)
{
  struct stat st;
  gssize      n;
  int         fd;

  fd = open (vault->key_path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, MN_VAULT_ERROR,
                   saved_errno == ENOENT ? MN_VAULT_ERROR_KEY_MISSING : MN_VAULT_ERROR_IO,
                   _("The device key %s cannot be opened: %s. Restore it from the backup "
                     "made when the terminal was set up."),
                   vault->key_path, g_strerror (saved_errno));
      return FALSE;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    {
      close (fd);
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_INVALID,
                   _("The device key %s is not a regular file; restore it from the backup "
                     "made when the terminal was set up."),
                   vault->key_path);
      return FALSE;
    }

  /* Checked on the open file, not the name, so that nothing can swap the
   * file between the check and the read. */
  if (st.st_uid != geteuid ())
    {
      close (fd);
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_UNSAFE,
                   _("The device key %s belongs to another user; the terminal will only use a "
                     "key owned by the user it runs as. Ask staff to fix the owner."),
                   vault->key_path);
      return FALSE;
    }

  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0)
    {
      close (fd);
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_UNSAFE,
                   _("The device key %s can be read or changed by other users (mode %03o), so "
                     "the terminal refuses to use it; run “chmod 600 %s” and try again."),
                   vault->key_path, (guint) (st.st_mode & 0777), vault->key_path);
      return FALSE;
    }

  if (st.st_size != crypto_secretbox_KEYBYTES)
    {
      close (fd);
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_INVALID,
                   _("The device key %s is damaged (it has %d bytes instead of %d); restore it "
                     "from the backup made when the terminal was set up."),
                   vault->key_path, (int) st.st_size, (int) crypto_secretbox_KEYBYTES);
      return FALSE;
    }

  n = read (fd, vault->key, crypto_secretbox_KEYBYTES);
  close (fd);
  if (n != crypto_secretbox_KEYBYTES)
    {
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_IO,
                   _("The device key %s could not be read; restore it from the backup made "
                     "when the terminal was set up."),
                   vault->key_path);
      return FALSE;
    }

  return TRUE;
}

static char *
compute_key_id (const unsigned char *key)
{
  static const char context[] = "minyin vault key id";
  unsigned char     id[KEY_ID_BYTES];
  char              hex[KEY_ID_BYTES * 2 + 1];

  /* A keyed hash of a constant: it identifies the key and reveals nothing
   * about it. */
  crypto_generichash (id, sizeof id, (const unsigned char *) context, sizeof context - 1, key,
                      crypto_secretbox_KEYBYTES);
  sodium_bin2hex (hex, sizeof hex, id, sizeof id);

  return g_strdup (hex);
}

MnVault *
mn_vault_open (const char *data_dir,
               gboolean    create,
               GError    **error)
{
  g_autoptr(MnVault) vault = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ensure_sodium (error))
    return NULL;

  vault = g_new0 (MnVault, 1);
  g_atomic_ref_count_init (&vault->ref_count);
  vault->key_path = g_build_filename (data_dir, KEY_FILE, NULL);
  vault->key = sodium_malloc (crypto_secretbox_KEYBYTES);
  if (vault->key == NULL)
    {
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_IO,
                           _("There is not enough memory to hold the device key."));
      return NULL;
    }

  if (create && !g_file_test (vault->key_path, G_FILE_TEST_EXISTS) &&
      !create_key_file (data_dir, vault->key_path, error))
    return NULL;

  if (!load_key (vault, error))
    return NULL;

  sodium_mprotect_readonly (vault->key);
  vault->key_id = compute_key_id (vault->key);

  return g_steal_pointer (&vault);
}

MnVault *
mn_vault_ref (MnVault *vault)
{
  g_return_val_if_fail (vault != NULL, NULL);

  g_atomic_ref_count_inc (&vault->ref_count);
  return vault;
}

void
mn_vault_free (MnVault *vault)
{
  if (vault == NULL || !g_atomic_ref_count_dec (&vault->ref_count))
    return;

  /* sodium_free wipes the key before releasing it. */
  g_clear_pointer (&vault->key, sodium_free);
  g_free (vault->key_path);
  g_free (vault->key_id);
  g_free (vault);
}

const char *
mn_vault_get_key_path (MnVault *vault)
{
  g_return_val_if_fail (vault != NULL, NULL);

  return vault->key_path;
}

const char *
mn_vault_get_key_id (MnVault *vault)
{
  g_return_val_if_fail (vault != NULL, NULL);

  return vault->key_id;
}

static void
put_field (GByteArray *buf,
           const char *value)
{
  guint32 len = value != NULL ? (guint32) strlen (value) : FIELD_ABSENT;
  guint32 be = GUINT32_TO_BE (len);

  g_byte_array_append (buf, (const guint8 *) &be, sizeof be);
  if (value != NULL)
    g_byte_array_append (buf, (const guint8 *) value, len);
}

static gboolean
get_field (const guint8 **p,
           const guint8  *end,
           char         **out)
{
  guint32 be;
  guint32 len;

  if ((gsize) (end - *p) < sizeof be)
    return FALSE;
  memcpy (&be, *p, sizeof be);
  *p += sizeof be;
  len = GUINT32_FROM_BE (be);

  if (len == FIELD_ABSENT)
    {
      *out = NULL;
      return TRUE;
    }
  if ((gsize) (end - *p) < len)
    return FALSE;

  *out = g_strndup ((const char *) *p, len);
  *p += len;

  return TRUE;
}

/* Frees a buffer that held plain contact details, wiping it first. */
static void
wipe_byte_array (GByteArray *buf)
{
  sodium_memzero (buf->data, buf->len);
  g_byte_array_unref (buf);
}

GBytes *
mn_vault_seal_contact (MnVault         *vault,
                       const MnContact *contact,
                       const char      *context,
                       GError         **error)
{
  GByteArray *plain;
  guint8     *sealed;
  gsize       sealed_len;

  g_return_val_if_fail (vault != NULL, NULL);
  g_return_val_if_fail (contact != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  plain = g_byte_array_new ();
  put_field (plain, context);
  put_field (plain, contact->name);
  put_field (plain, contact->phone);

  sealed_len = SEALED_HEADER + crypto_secretbox_MACBYTES + plain->len;
  sealed = g_malloc (sealed_len);
  sealed[0] = SEALED_VERSION;
  randombytes_buf (sealed + 1, crypto_secretbox_NONCEBYTES);

  if (crypto_secretbox_easy (sealed + SEALED_HEADER, plain->data, plain->len, sealed + 1,
                             vault->key) != 0)
    {
      wipe_byte_array (plain);
      g_free (sealed);
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_SEAL,
                           _("The contact details could not be encrypted, so they were not "
                             "saved; please try again."));
      return NULL;
    }

  wipe_byte_array (plain);

  return g_bytes_new_take (sealed, sealed_len);
}

MnContact *
mn_vault_unseal_contact (MnVault    *vault,
                         GBytes     *sealed,
                         const char *context,
                         GError    **error)
{
  g_autoptr(MnContact) contact = NULL;
  g_autofree char     *sealed_context = NULL;
  const guint8        *data;
  const guint8        *p;
  gsize                len;
  guint8              *plain;
  gsize                plain_len;
  gboolean             ok;

  g_return_val_if_fail (vault != NULL, NULL);
  g_return_val_if_fail (sealed != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (sealed, &len);
  if (len < SEALED_HEADER + crypto_secretbox_MACBYTES || data[0] != SEALED_VERSION)
    {
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL,
                           _("The sealed contact details are damaged and cannot be opened."));
      return NULL;
    }

  plain_len = len - SEALED_HEADER - crypto_secretbox_MACBYTES;
  plain = sodium_malloc (plain_len + 1);
  if (plain == NULL)
    {
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_IO,
                           _("There is not enough memory to open the contact details."));
      return NULL;
    }

  if (crypto_secretbox_open_easy (plain, data + SEALED_HEADER, len - SEALED_HEADER, data + 1,
                                  vault->key) != 0)
    {
      sodium_free (plain);
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL,
                           _("The contact details cannot be opened with this terminal's device "
                             "key: they are damaged or were sealed under another key."));
      return NULL;
    }

  contact = g_new0 (MnContact, 1);
  p = plain;
  ok = get_field (&p, plain + plain_len, &sealed_context) &&
       get_field (&p, plain + plain_len, &contact->name) &&
       get_field (&p, plain + plain_len, &contact->phone) && p == plain + plain_len;
  sodium_free (plain);

  if (!ok || g_strcmp0 (sealed_context, context) != 0)
    {
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL,
                           _("The sealed contact details do not belong to this request; they "
                             "were not opened."));
      return NULL;
    }

  return g_steal_pointer (&contact);
}

/* ---- files kept with a request ------------------------------------------ */

#define FILE_MAGIC "MNS1"
#define FILE_MAGIC_LEN 4
#define FILE_CHUNK 65536
#define FILE_KDF_CONTEXT "MnAttach"
#define FILE_KDF_ID 1

G_STATIC_ASSERT (crypto_kdf_KEYBYTES == crypto_secretbox_KEYBYTES);

/* A subkey of its own for files: what is learnt about one use of a key
 * (how many messages, of which lengths) says nothing about the other. */
static unsigned char *
derive_file_key (MnVault *vault,
                 GError **error)
{
  unsigned char *subkey = sodium_malloc (crypto_secretstream_xchacha20poly1305_KEYBYTES);

  if (subkey == NULL ||
      crypto_kdf_derive_from_key (subkey, crypto_secretstream_xchacha20poly1305_KEYBYTES,
                                  FILE_KDF_ID, FILE_KDF_CONTEXT, vault->key) != 0)
    {
      if (subkey != NULL)
        sodium_free (subkey);
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_SEAL,
                           _("The key for voice notes could not be made; ask staff to check "
                             "the installation."));
      return NULL;
    }
  return subkey;
}

/* Plain sound is wiped from memory when the last reference goes. */
typedef struct
{
  guint8 *data;
  gsize   len;
} Wiped;

static void
wiped_free (gpointer p)
{
  Wiped *w = p;

  sodium_memzero (w->data, w->len);
  g_free (w->data);
  g_free (w);
}

/* The streaming sealer. Its state, and the plain bytes waiting to make a
 * whole chunk, are in sodium_malloc'd memory (never swapped out, wiped
 * when freed). A full chunk is sealed only when more bytes come after it,
 * so that the last chunk (tagged final) is never empty unless the whole
 * file is: what it writes is byte for byte what the one-shot sealer
 * always wrote. */
struct _MnVaultSealer
{
  crypto_secretstream_xchacha20poly1305_state state;
  gsize  fill;
  char  *context; /* not secret: the file's name */
  guint8 chunk[FILE_CHUNK];
};

MnVaultSealer *
mn_vault_sealer_new (MnVault    *vault,
                     const char *context,
                     GByteArray *out,
                     GError    **error)
{
  guint8 header[FILE_MAGIC_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  unsigned char *subkey;
  MnVaultSealer *sealer;

  g_return_val_if_fail (vault != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (out != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  subkey = derive_file_key (vault, error);
  if (subkey == NULL)
    return NULL;
  sealer = sodium_malloc (sizeof *sealer);
  if (sealer == NULL)
    {
      sodium_free (subkey);
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_SEAL,
                           _("There is not enough memory to encrypt the voice note."));
      return NULL;
    }
  memset (sealer, 0, sizeof *sealer);
  sealer->context = g_strdup (context);
  memcpy (header, FILE_MAGIC, FILE_MAGIC_LEN);
  crypto_secretstream_xchacha20poly1305_init_push (&sealer->state, header + FILE_MAGIC_LEN,
                                                   subkey);
  sodium_free (subkey);
  g_byte_array_append (out, header, sizeof header);
  return sealer;
}

static void
seal_chunk (MnVaultSealer *sealer,
            GByteArray    *out,
            unsigned char  tag)
{
  guint old = out->len;
  unsigned long long written = 0;

  g_byte_array_set_size (out, old + sealer->fill + crypto_secretstream_xchacha20poly1305_ABYTES);
  crypto_secretstream_xchacha20poly1305_push (&sealer->state, out->data + old, &written,
                                              sealer->chunk, sealer->fill,
                                              (const unsigned char *) sealer->context,
                                              strlen (sealer->context), tag);
  g_assert (written == sealer->fill + crypto_secretstream_xchacha20poly1305_ABYTES);
  sodium_memzero (sealer->chunk, sealer->fill);
  sealer->fill = 0;
}

void
mn_vault_sealer_push (MnVaultSealer *sealer,
                      const guint8  *data,
                      gsize          len,
                      GByteArray    *out)
{
  g_return_if_fail (sealer != NULL);
  g_return_if_fail (out != NULL);

  while (len > 0)
    {
      gsize n;

      /* A full chunk goes out only now that more follows it. */
      if (sealer->fill == FILE_CHUNK)
        seal_chunk (sealer, out, crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
      n = MIN (len, FILE_CHUNK - sealer->fill);
      memcpy (sealer->chunk + sealer->fill, data, n);
      sealer->fill += n;
      data += n;
      len -= n;
    }
}

void
mn_vault_sealer_finish (MnVaultSealer *sealer,
                        GByteArray    *out)
{
  g_return_if_fail (sealer != NULL);
  g_return_if_fail (out != NULL);

  seal_chunk (sealer, out, crypto_secretstream_xchacha20poly1305_TAG_FINAL);
}

void
mn_vault_sealer_free (MnVaultSealer *sealer)
{
  if (sealer == NULL)
    return;
  g_free (sealer->context);
  /* sodium_free wipes the state and whatever plain bytes were left. */
  sodium_free (sealer);
}

GBytes *
mn_vault_seal_file_contents (MnVault    *vault,
                             GBytes     *plain,
                             const char *context,
                             GError    **error)
{
  MnVaultSealer *sealer;
  GByteArray *out;
  const guint8 *in;
  gsize in_len, n_chunks;

  g_return_val_if_fail (vault != NULL, NULL);
  g_return_val_if_fail (plain != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  in = g_bytes_get_data (plain, &in_len);
  /* At least one chunk, so that an empty file still ends with a final tag. */
  n_chunks = in_len == 0 ? 1 : (in_len + FILE_CHUNK - 1) / FILE_CHUNK;
  out = g_byte_array_sized_new (FILE_MAGIC_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES +
                                in_len + n_chunks * crypto_secretstream_xchacha20poly1305_ABYTES);
  sealer = mn_vault_sealer_new (vault, context, out, error);
  if (sealer == NULL)
    {
      g_byte_array_unref (out);
      return NULL;
    }
  mn_vault_sealer_push (sealer, in, in_len, out);
  mn_vault_sealer_finish (sealer, out);
  mn_vault_sealer_free (sealer);
  return g_byte_array_free_to_bytes (out);
}

GBytes *
mn_vault_unseal_file_contents (MnVault    *vault,
                               GBytes     *sealed,
                               const char *context,
                               GError    **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  unsigned char *subkey;
  const guint8 *in, *p, *end;
  gsize in_len;
  Wiped *plain;
  gboolean final = FALSE;

  g_return_val_if_fail (vault != NULL, NULL);
  g_return_val_if_fail (sealed != NULL, NULL);
  g_return_val_if_fail (context != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  in = g_bytes_get_data (sealed, &in_len);
  if (in_len < FILE_MAGIC_LEN + crypto_secretstream_xchacha20poly1305_HEADERBYTES +
                 crypto_secretstream_xchacha20poly1305_ABYTES ||
      memcmp (in, FILE_MAGIC, FILE_MAGIC_LEN) != 0)
    {
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL,
                           _("The sealed file cannot be opened with this terminal's device key: "
                             "it is damaged, cut short, or was sealed under another key or for "
                             "another request."));
      return NULL;
    }
  subkey = derive_file_key (vault, error);
  if (subkey == NULL)
    return NULL;

  p = in + FILE_MAGIC_LEN;
  end = in + in_len;
  if (crypto_secretstream_xchacha20poly1305_init_pull (&state, p, subkey) != 0)
    {
      sodium_free (subkey);
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL,
                           _("The sealed file cannot be opened with this terminal's device key: "
                             "it is damaged, cut short, or was sealed under another key or for "
                             "another request."));
      return NULL;
    }
  sodium_free (subkey);
  p += crypto_secretstream_xchacha20poly1305_HEADERBYTES;

  plain = g_new0 (Wiped, 1);
  plain->data = g_malloc (in_len);
  while (p < end && !final)
    {
      gsize n = MIN ((gsize) (end - p), FILE_CHUNK + crypto_secretstream_xchacha20poly1305_ABYTES);
      unsigned long long got = 0;
      unsigned char tag = 0;

      if (crypto_secretstream_xchacha20poly1305_pull (&state, plain->data + plain->len, &got, &tag,
                                                      p, n, (const unsigned char *) context,
                                                      strlen (context)) != 0)
        break;
      plain->len += got;
      p += n;
      final = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;
    }
  sodium_memzero (&state, sizeof state);
  /* Every chunk opened, the last one says it is the last, and nothing
   * follows it: the file is whole, not cut short nor lengthened. */
  if (!final || p != end)
    {
      wiped_free (plain);
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL,
                           _("The sealed file cannot be opened with this terminal's device key: "
                             "it is damaged, cut short, or was sealed under another key or for "
                             "another request."));
      return NULL;
    }
  return g_bytes_new_with_free_func (plain->data, plain->len, wiped_free, plain);
}

static gboolean
is_phone_separator (gunichar c)
{
  switch (c)
    {
    case ' ':
    case '-':
    case '.':
    case '(':
    case ')':
    case 0x3000: /* ideographic space */
    case 0xFF08: /* full-width brackets */
    case 0xFF09:
    case 0xFF0D: /* full-width hyphen-minus */
    case 0x2010:
    case 0x2013:
    case 0x2014:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
mn_vault_normalize_phone (const char *phone,
                          GError    **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint n_digits = 0;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (phone == NULL || !g_utf8_validate (phone, -1, NULL))
    {
      g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_INVALID_PHONE,
                           _("A phone number has only digits; please type it again."));
      return NULL;
    }

  for (const char *p = phone; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int      value = g_unichar_digit_value (c);

      if (value >= 0)
        {
          g_string_append_c (out, (char) ('0' + value));
          n_digits++;
        }
      else if ((c == '+' || c == 0xFF0B) && out->len == 0)
        g_string_append_c (out, '+');
      else if (!is_phone_separator (c) && !g_unichar_isspace (c))
        {
          g_set_error_literal (error, MN_VAULT_ERROR, MN_VAULT_ERROR_INVALID_PHONE,
                               _("A phone number has only digits (spaces or dashes may separate "
                                 "them); please check it."));
          return NULL;
        }
    }

  if (n_digits < MIN_PHONE_DIGITS || n_digits > MAX_PHONE_DIGITS)
    {
      g_set_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_INVALID_PHONE,
                   /* Translators: the numbers are the lower and upper limits, then how many
                    * digits were typed. */
                   ngettext ("A phone number has between %d and %d digits, but this one has %u; "
                             "please check it.",
                             "A phone number has between %d and %d digits, but this one has %u; "
                             "please check it.",
                             n_digits),
                   MIN_PHONE_DIGITS, MAX_PHONE_DIGITS, n_digits);
      return NULL;
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Keeps @head leading and @tail trailing digits of @digits and stars the
 * rest. */
static void
append_masked (GString    *out,
               const char *digits,
               gsize       head,
               gsize       tail)
{
  gsize n = strlen (digits);

  if (head + tail >= n)
    {
      /* Too short to show anything safely: keep at most the last two. */
      tail = n > 2 ? 2 : 0;
      head = 0;
    }

  g_string_append_len (out, digits, head);
  for (gsize i = head; i < n - tail; i++)
    g_string_append_c (out, '*');
  g_string_append (out, digits + n - tail);
}

static void
append_domestic (GString    *out,
                 const char *digits)
{
  gsize n = strlen (digits);

  if (n == 11 && digits[0] == '1')
    {
      /* A mainland mobile number: the operator prefix and the last four, as
       * banks and couriers print it, so a person recognises their own. */
      append_masked (out, digits, 3, 4);
    }
  else if (digits[0] == '0' && n >= 10)
    {
      /* A landline with its area code: 010 and 02x are three digits, the
       * others four. The area code says only the city. */
      gsize area = (digits[1] == '1' || digits[1] == '2') ? 3 : 4;

      g_string_append_len (out, digits, area);
      g_string_append_c (out, '-');
      append_masked (out, digits + area, 2, 2);
    }
  else if (n >= 7)
    append_masked (out, digits, 2, 2);
  else
    append_masked (out, digits, 0, 2);
}

char *
mn_vault_mask_phone (const char *phone)
{
  g_autofree char *digits = NULL;
  GString         *out;
  const char      *p;

  if (phone == NULL)
    return NULL;

  digits = mn_vault_normalize_phone (phone, NULL);
  if (digits == NULL)
    return g_strdup ("****");

  out = g_string_new (NULL);
  p = digits;
  if (g_str_has_prefix (p, "+86"))
    {
      g_string_append (out, "+86 ");
      p += 3;
    }
  else if (g_str_has_prefix (p, "0086") && strlen (p) > 12)
    {
      g_string_append (out, "+86 ");
      p += 4;
    }
  else if (*p == '+')
    {
      /* Another country: its code length varies, so show only the last two
       * digits. */
      g_string_append_c (out, '+');
      append_masked (out, p + 1, 0, 2);
      return g_string_free (out, FALSE);
    }

  append_domestic (out, p);

  return g_string_free (out, FALSE);
}

char *
mn_vault_contact_hint (const MnContact *contact)
{
  g_return_val_if_fail (contact != NULL, NULL);

  if (contact->phone != NULL && *contact->phone != '\0')
    return mn_vault_mask_phone (contact->phone);

  if (contact->name != NULL && *contact->name != '\0' &&
      g_utf8_validate (contact->name, -1, NULL))
    {
      GString *out = g_string_new (NULL);
      glong    n = g_utf8_strlen (contact->name, -1);

      g_string_append_unichar (out, g_utf8_get_char (contact->name));
      for (glong i = 1; i < MAX (2, MIN (n, 3)); i++)
        g_string_append_c (out, '*');

      return g_string_free (out, FALSE);
    }

  return NULL;
}
