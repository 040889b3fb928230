/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Attachments in the store (app/mn-attachment.h): a voice note is kept in
 * the same transaction as its request (both or neither, and no stray copy
 * either way), its size and hash are those of the recording, a damaged or
 * missing file is told apart, and copies left by a crash are swept at the
 * next opening. */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "mn-attachment.h"
#include "mn-store.h"
#include "mn-vault.h"
#include "mn-test-sound.h"
#include "mn-voice-note.h"

typedef struct
{
  char        *dir;
  MnStore     *store;
  MnVoiceNote *voice;   /* the recorder, which keeps its sealed recording */
  GBytes      *sound;   /* what it recorded (Ogg), opened in memory */
  char        *plain;   /* a folder outside the data directory */
  char        *note;    /* the sound as a plain file there, as `minyin file` gets it */
  guint        note_ms;
} Fixture;

static guint
count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static guint
count_requests (Fixture *f)
{
  g_autoptr(GPtrArray) all = mn_store_list_requests (f->store, 0, NULL);

  return all->len;
}

static void
record_note (Fixture *f)
{
  g_autofree char *dir = g_build_filename (f->dir, "recordings", NULL);
  g_autoptr(GError) error = NULL;

  f->voice = mn_voice_note_new_full (dir, "audiotestsrc wave=sine", "fakesink");
  mn_voice_note_set_vault (f->voice, mn_store_get_vault (f->store));
  mn_voice_note_set_max_ms (f->voice, 1500);
  g_assert_true (mn_voice_note_start (f->voice, &error));
  g_assert_no_error (error);
  while (mn_voice_note_get_state (f->voice) != MN_VOICE_NOTE_STATE_RECORDED)
    g_main_context_iteration (NULL, TRUE);
  f->note_ms = mn_voice_note_get_duration_ms (f->voice);
  f->sound = mn_voice_note_read (f->voice, &error);
  g_assert_no_error (error);
  /* The same sound as a plain file of someone's, outside the data
   * directory (the command line's case). */
  f->note = g_build_filename (f->plain, "note.ogg", NULL);
  g_assert_true (g_file_set_contents (f->note, g_bytes_get_data (f->sound, NULL),
                                      (gssize) g_bytes_get_size (f->sound), NULL));
}

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("minyin-attach-XXXXXX", NULL);
  f->plain = g_dir_make_tmp ("minyin-attach-plain-XXXXXX", NULL);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
  record_note (f);
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s' '%s'", f->dir, f->plain);

  g_clear_object (&f->voice);
  g_clear_pointer (&f->sound, g_bytes_unref);
  g_clear_object (&f->store);
  if (system (command) != 0)
    g_printerr ("# could not remove %s\n", f->dir);
  g_free (f->dir);
  g_free (f->plain);
  g_free (f->note);
}

static MnRequest *
new_request (void)
{
  MnRequest *r = mn_request_new ();

  r->service_code = g_strdup ("lifts");
  r->description = mn_voice_note_describe (12000);
  r->address_text = g_strdup ("Building 3");
  return r;
}

static GPtrArray *
one_note (Fixture *f)
{
  GPtrArray *list = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_attachment_free);

  g_ptr_array_add (list, mn_attachment_new_voice_note (f->note, MN_VOICE_NOTE_MIME, f->note_ms));
  return list;
}

static void
test_filed_together (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(MnRequest) request = new_request ();
  g_autoptr(GPtrArray) notes = one_note (f);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *full = NULL;
  g_autofree char *attach_dir = g_build_filename (f->dir, MN_ATTACHMENT_DIR, NULL);
  MnAttachment *a;
  guint64 size = 0;
  GStatBuf st;

  hash = mn_attachment_hash_file (f->note, &size, &error);
  g_assert_no_error (error);

  g_assert_true (mn_store_file_request_with_attachments (f->store, request, NULL, notes, &error));
  g_assert_no_error (error);
  g_assert_nonnull (request->uuid);

  stored = mn_store_list_attachments (f->store, request->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  a = g_ptr_array_index (stored, 0);
  g_assert_cmpstr (a->kind, ==, MN_ATTACHMENT_KIND_VOICE_NOTE);
  g_assert_cmpstr (a->mime, ==, "audio/ogg");
  /* Size and hash are of the sealed bytes on the disk, not of the sound:
   * the row is no fingerprint of the recording. */
  g_assert_cmpuint (a->byte_size, >, size);
  g_assert_cmpstr (a->sha256, !=, hash);
  g_assert_true (mn_attachment_is_sealed (a));
  g_assert_true (g_str_has_suffix (a->path, ".ogg.sealed"));
  g_assert_cmpuint (a->duration_ms, ==, f->note_ms);
  g_assert_cmpint (a->created_at, ==, request->created_at);
  g_assert_null (a->source_path);
  /* Relative to the data directory, named after the request. */
  g_assert_false (g_path_is_absolute (a->path));
  g_assert_nonnull (strstr (a->path, request->uuid));
  full = mn_attachment_dup_full_path (a, f->dir);
  g_assert_cmpint (g_stat (full, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (mn_attachment_verify (a, f->dir, &error));
  g_assert_no_error (error);
  g_assert_true (mn_store_verify_attachment (f->store, a, &error));
  g_assert_no_error (error);
  {
    g_autofree char *on_disk_hash = mn_attachment_hash_file (full, NULL, NULL);

    g_assert_cmpstr (on_disk_hash, ==, a->sha256);
  }
  /* Exactly the one file: no temporary copy is left beside it. */
  g_assert_cmpuint (count_files (attach_dir), ==, 1);

  /* A copy: the recording itself may now be deleted. */
  g_assert_cmpint (g_unlink (f->note), ==, 0);
  g_assert_true (mn_attachment_verify (a, f->dir, &error));

  /* Damaged on the disk, or gone: each said in a sentence. */
  g_assert_true (g_file_set_contents (full, "not the note", -1, NULL));
  g_assert_false (mn_attachment_verify (a, f->dir, &error));
  g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (mn_store_verify_attachment (f->store, a, &error));
  g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT);
  g_clear_error (&error);
  g_assert_cmpint (g_unlink (full), ==, 0);
  g_assert_false (mn_attachment_verify (a, f->dir, &error));
  g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_MISSING);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (mn_store_verify_attachment (f->store, a, &error));
  g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_MISSING);

  /* A request without attachments lists none. */
  {
    g_autoptr(MnRequest) plain = new_request ();
    g_autoptr(GPtrArray) none = NULL;

    g_assert_true (mn_store_file_request (f->store, plain, NULL, NULL));
    none = mn_store_list_attachments (f->store, plain->uuid, NULL);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

/* The attachment's row is refused inside the transaction (here: a kind
 * the schema does not allow): the request is not saved either, and the
 * copy made before the transaction is deleted. */
static void
test_row_fails (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(MnRequest) request = new_request ();
  g_autoptr(GPtrArray) notes = one_note (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *attach_dir = g_build_filename (f->dir, MN_ATTACHMENT_DIR, NULL);
  MnAttachment *a = g_ptr_array_index (notes, 0);
  guint before = count_requests (f);

  g_free (a->kind);
  a->kind = g_strdup ("hologram");
  g_assert_false (mn_store_file_request_with_attachments (f->store, request, NULL, notes,
                                                          &error));
  g_assert_nonnull (error);
  g_test_message ("%s", error->message);
  g_assert_null (request->uuid);
  g_assert_cmpuint (count_requests (f), ==, before);
  g_assert_cmpuint (count_files (attach_dir), ==, 0);
}

/* The recording is gone before the request is filed (the session was
 * wiped): nothing is saved, with a sentence. */
static void
test_source_missing (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(MnRequest) request = new_request ();
  g_autoptr(GPtrArray) notes = one_note (f);
  g_autoptr(GError) error = NULL;
  guint before = count_requests (f);

  g_assert_cmpint (g_unlink (f->note), ==, 0);
  g_assert_false (mn_store_file_request_with_attachments (f->store, request, NULL, notes,
                                                          &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
  g_test_message ("%s", error->message);
  g_assert_cmpuint (count_requests (f), ==, before);
}

/* Asynchronously, as the kiosk files. */
static void
on_filed (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = mn_store_file_request_finish (MN_STORE (source), result, error);

  if (ok)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "filed");
}

static void
test_async (Fixture      *f,
            gconstpointer data)
{
  g_autoptr(MnRequest) request = new_request ();
  g_autoptr(GPtrArray) notes = one_note (f);
  g_autoptr(GPtrArray) stored = NULL;
  GError *error = NULL;

  mn_store_file_request_with_attachments_async (f->store, request, NULL, notes, NULL, on_filed,
                                                &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_clear_error (&error);
  stored = mn_store_list_attachments (f->store, request->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
}

/* A crash between the copy and the commit leaves a file no row names;
 * the next opening deletes it and keeps the named ones. */
static void
test_orphans_swept (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(MnRequest) request = new_request ();
  g_autoptr(GPtrArray) notes = one_note (f);
  g_autoptr(GError) error = NULL;
  g_autofree char *attach_dir = g_build_filename (f->dir, MN_ATTACHMENT_DIR, NULL);
  g_autofree char *orphan = g_build_filename (attach_dir, "0000-1.ogg", NULL);
  g_autofree char *temp = g_build_filename (attach_dir, "0000-1.ogg.AB12CD", NULL);
  g_autoptr(GPtrArray) stored = NULL;

  g_assert_true (mn_store_file_request_with_attachments (f->store, request, NULL, notes, &error));
  g_assert_true (g_file_set_contents (orphan, "half", -1, NULL));
  g_assert_true (g_file_set_contents (temp, "half", -1, NULL));
  g_assert_cmpuint (count_files (attach_dir), ==, 3);

  g_clear_object (&f->store);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_files (attach_dir), ==, 1);
  stored = mn_store_list_attachments (f->store, request->uuid, &error);
  g_assert_true (mn_attachment_verify (g_ptr_array_index (stored, 0), f->dir, &error));
  g_assert_no_error (error);
}

static gboolean
contains (GBytes     *haystack,
          const void *needle,
          gsize       needle_len)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (haystack, &len);

  return needle_len <= len && memmem (data, len, needle, needle_len) != NULL;
}

/* The note on the disk is ciphertext: no Ogg page, no piece of the
 * recording; opened with the device key it is the recording to the byte;
 * a flipped byte, a row re-hashed to match, another key, a file moved
 * onto another record all read as damaged, never as sound. */
static void
test_sealed_at_rest (Fixture      *f,
                     gconstpointer data)
{
  g_autoptr(MnRequest) request = new_request ();
  g_autoptr(GPtrArray) notes = one_note (f);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) on_disk = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *full = NULL;
  gsize length = 0, original_len;
  const guint8 *original_data;
  MnAttachment *a;

  g_assert_true (g_file_get_contents (f->note, &contents, &length, NULL));
  original = g_bytes_new_take (g_steal_pointer (&contents), length);
  original_data = g_bytes_get_data (original, &original_len);
  /* The recording is an Ogg file, so the check below can fail. */
  g_assert_true (contains (original, "OggS", 4));

  g_assert_true (mn_store_file_request_with_attachments (f->store, request, NULL, notes, &error));
  g_assert_no_error (error);
  stored = mn_store_list_attachments (f->store, request->uuid, &error);
  a = g_ptr_array_index (stored, 0);
  full = mn_attachment_dup_full_path (a, f->dir);
  g_assert_true (g_file_get_contents (full, &contents, &length, NULL));
  on_disk = g_bytes_new_take (g_steal_pointer (&contents), length);

  g_assert_false (contains (on_disk, "OggS", 4));
  g_assert_false (contains (on_disk, "OpusHead", 8));
  /* No 32-byte run of the recording, anywhere in it. */
  for (gsize i = 0; i + 32 <= original_len; i += 16)
    g_assert_false (contains (on_disk, original_data + i, 32));

  /* Opened: the very recording, byte for byte. */
  opened = mn_store_read_attachment (f->store, a, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (opened, original));

  /* Another key: damaged, not a crash and not noise. */
  {
    g_autofree char *other_dir = g_build_filename (f->dir, "other", NULL);
    g_autoptr(MnVault) other = NULL;
    g_autoptr(GBytes) none = NULL;

    g_assert_cmpint (g_mkdir_with_parents (other_dir, 0700), ==, 0);
    other = mn_vault_open (other_dir, TRUE, &error);
    g_assert_no_error (error);
    none = mn_attachment_read (a, f->dir, other, &error);
    g_assert_null (none);
    g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT);
    g_clear_error (&error);
    /* Without any key it is not opened either. */
    none = mn_attachment_read (a, f->dir, NULL, &error);
    g_assert_null (none);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* One byte flipped in the middle of the cipher text. */
  {
    g_autofree guint8 *bad = g_memdup2 (g_bytes_get_data (on_disk, NULL), length);
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
    g_autoptr(MnAttachment) forged = mn_attachment_copy (a);

    bad[length / 2] ^= 0x01;
    g_assert_true (g_file_set_contents (full, (const char *) bad, (gssize) length, NULL));
    g_assert_false (mn_store_verify_attachment (f->store, a, &error));
    g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT);
    g_clear_error (&error);

    /* Even with a row whose hash matches the damaged file, the seal
     * itself does not open. */
    g_checksum_update (checksum, bad, length);
    g_free (forged->sha256);
    forged->sha256 = g_strdup (g_checksum_get_string (checksum));
    g_assert_false (mn_store_verify_attachment (f->store, forged, &error));
    g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT);
    g_clear_error (&error);
  }

  /* Cut short (and the row made to match): damaged. */
  {
    g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
    g_autoptr(MnAttachment) forged = mn_attachment_copy (a);
    gsize cut = length - 100;

    g_assert_true (g_file_set_contents (full, g_bytes_get_data (on_disk, NULL), (gssize) cut,
                                        NULL));
    g_checksum_update (checksum, g_bytes_get_data (on_disk, NULL), cut);
    g_free (forged->sha256);
    forged->sha256 = g_strdup (g_checksum_get_string (checksum));
    forged->byte_size = cut;
    g_assert_false (mn_store_verify_attachment (f->store, forged, &error));
    g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT);
    g_clear_error (&error);
  }

  /* Moved onto another record's name: sealed for its own name only. */
  {
    g_autoptr(MnAttachment) moved = mn_attachment_copy (a);
    g_autofree char *moved_full = NULL;

    g_free (moved->path);
    moved->path = g_build_filename (MN_ATTACHMENT_DIR, "00000000-other-1.ogg.sealed", NULL);
    moved_full = mn_attachment_dup_full_path (moved, f->dir);
    g_assert_true (g_file_set_contents (moved_full, g_bytes_get_data (on_disk, NULL),
                                        (gssize) length, NULL));
    g_assert_false (mn_store_verify_attachment (f->store, moved, &error));
    g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_CORRUPT);
    g_clear_error (&error);
  }

  /* Put back whole, it opens again. */
  g_assert_true (g_file_set_contents (full, g_bytes_get_data (on_disk, NULL), (gssize) length,
                                      NULL));
  g_assert_true (mn_store_verify_attachment (f->store, a, &error));
  g_assert_no_error (error);
}

/* The vault's file seal on its own: sizes around the chunk boundary, an
 * empty file, and a stream with its final chunk dropped. */
static void
test_seal_round_trip (Fixture      *f,
                      gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnVault) vault = mn_vault_open (f->dir, TRUE, &error);
  const gsize sizes[] = { 0, 1, 65535, 65536, 65537, 3 * 65536 + 5 };

  g_assert_no_error (error);
  for (gsize k = 0; k < G_N_ELEMENTS (sizes); k++)
    {
      guint8 *buf = g_malloc (sizes[k] + 1);
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) sealed = NULL;
      g_autoptr(GBytes) opened = NULL;
      g_autoptr(GBytes) shorter = NULL;
      g_autoptr(GBytes) none = NULL;
      gsize sealed_len;

      for (gsize i = 0; i < sizes[k]; i++)
        buf[i] = (guint8) (i * 7 + k);
      plain = g_bytes_new_take (buf, sizes[k]);
      sealed = mn_vault_seal_file_contents (vault, plain, "x-1.ogg.sealed", &error);
      g_assert_no_error (error);
      opened = mn_vault_unseal_file_contents (vault, sealed, "x-1.ogg.sealed", &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (opened, plain));
      none = mn_vault_unseal_file_contents (vault, sealed, "x-2.ogg.sealed", &error);
      g_assert_null (none);
      g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL);
      g_clear_error (&error);
      /* Without its last chunk (a whole 64 KiB + tag): truncation is seen. */
      g_bytes_get_data (sealed, &sealed_len);
      if (sizes[k] > 65536)
        {
          gsize last = (sizes[k] % 65536 == 0 ? 65536 : sizes[k] % 65536) + 17;

          shorter = g_bytes_new_from_bytes (sealed, 0, sealed_len - last);
          none = mn_vault_unseal_file_contents (vault, shorter, "x-1.ogg.sealed", &error);
          g_assert_null (none);
          g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL);
          g_clear_error (&error);
        }
    }
}


/* The kiosk's way: the recording sealed while it was made is filed as it
 * is (opened in memory and sealed again for its name under attachments/,
 * never written in clear), and reads back as the very sound recorded; a
 * recording cut short is refused and nothing is saved. */
static void
test_sealed_recording_filed (Fixture      *f,
                             gconstpointer data)
{
  g_autoptr(MnRequest) request = new_request ();
  g_autoptr(GPtrArray) notes = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_attachment_free);
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autofree char *full = NULL;
  g_autofree char *hash = NULL;
  const char *recording = mn_voice_note_get_path (f->voice);
  guint64 size = 0;
  MnAttachment *a;

  g_assert_true (g_str_has_prefix (recording, f->dir));
  g_assert_cmpmem (g_bytes_get_data (f->sound, NULL), 4, "OggS", 4);
  mn_test_assert_no_plain_sound (f->dir);

  g_ptr_array_add (notes, mn_attachment_new_sealed_voice_note (recording, MN_VOICE_NOTE_MIME,
                                                               f->note_ms));
  g_assert_true (mn_store_file_request_with_attachments (f->store, request, NULL, notes, &error));
  g_assert_no_error (error);
  mn_test_assert_no_plain_sound (f->dir);

  stored = mn_store_list_attachments (f->store, request->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stored->len, ==, 1);
  a = g_ptr_array_index (stored, 0);
  g_assert_true (mn_attachment_is_sealed (a));
  g_assert_cmpstr (a->mime, ==, MN_VOICE_NOTE_MIME);
  g_assert_cmpuint (a->duration_ms, ==, f->note_ms);
  /* Size and hash of the sealed bytes on the disk. */
  full = mn_attachment_dup_full_path (a, f->dir);
  hash = mn_attachment_hash_file (full, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (hash, ==, a->sha256);
  g_assert_cmpuint (size, ==, a->byte_size);
  /* Read back: the Ogg bytes that were recorded, to the byte. */
  opened = mn_store_read_attachment (f->store, a, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (opened, f->sound));

  /* A recording cut short (its final chunk gone: a killed recorder): not
   * filed, nothing saved, no copy left. */
  {
    g_autoptr(MnRequest) again = new_request ();
    g_autofree char *contents = NULL;
    g_autofree char *attach_dir = g_build_filename (f->dir, MN_ATTACHMENT_DIR, NULL);
    gsize length = 0;
    guint before = count_requests (f);

    g_assert_true (g_file_get_contents (recording, &contents, &length, NULL));
    g_assert_true (g_file_set_contents (recording, contents, (gssize) (length - 30), NULL));
    g_assert_false (mn_store_file_request_with_attachments (f->store, again, NULL, notes,
                                                            &error));
    g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID);
    g_test_message ("%s", error->message);
    g_assert_cmpuint (count_requests (f), ==, before);
    g_assert_cmpuint (count_files (attach_dir), ==, 1);
  }
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("LANGUAGE", "en", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/attachment/filed-together", test_filed_together);
  ADD ("/attachment/row-fails", test_row_fails);
  ADD ("/attachment/source-missing", test_source_missing);
  ADD ("/attachment/async", test_async);
  ADD ("/attachment/orphans-swept", test_orphans_swept);
  ADD ("/attachment/sealed-at-rest", test_sealed_at_rest);
  ADD ("/attachment/seal-round-trip", test_seal_round_trip);
  ADD ("/attachment/sealed-recording-filed", test_sealed_recording_filed);
#undef ADD

  return g_test_run ();
}
