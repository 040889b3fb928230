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
#include "mn-voice-note.h"

typedef struct
{
  char    *dir;
  MnStore *store;
  char    *note;  /* a real recording, made once per test */
  guint    note_ms;
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
  g_autoptr(MnVoiceNote) note = mn_voice_note_new_full (dir, "audiotestsrc wave=sine",
                                                        "fakesink");
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = g_build_filename (f->dir, "note.ogg", NULL);

  mn_voice_note_set_max_ms (note, 1500);
  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  while (mn_voice_note_get_state (note) != MN_VOICE_NOTE_STATE_RECORDED)
    g_main_context_iteration (NULL, TRUE);
  /* Moved out of the recordings folder, or dropping the object would
   * delete it. */
  g_assert_cmpint (g_rename (mn_voice_note_get_path (note), kept), ==, 0);
  f->note = g_steal_pointer (&kept);
  f->note_ms = mn_voice_note_get_duration_ms (note);
}

static void
setup (Fixture      *f,
       gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("minyin-attach-XXXXXX", NULL);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
  record_note (f);
}

static void
teardown (Fixture      *f,
          gconstpointer data)
{
  g_autofree char *command = g_strdup_printf ("rm -rf '%s'", f->dir);

  g_clear_object (&f->store);
  if (system (command) != 0)
    g_printerr ("# could not remove %s\n", f->dir);
  g_free (f->dir);
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
  g_assert_cmpuint (a->byte_size, ==, size);
  g_assert_cmpstr (a->sha256, ==, hash);
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
  g_assert_cmpint (g_unlink (full), ==, 0);
  g_assert_false (mn_attachment_verify (a, f->dir, &error));
  g_assert_error (error, MN_ATTACHMENT_ERROR, MN_ATTACHMENT_ERROR_MISSING);
  g_test_message ("%s", error->message);

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
#undef ADD

  return g_test_run ();
}
