/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Staff accounts, the audit trail and the quarantine export (issue 5):
 * PIN hashing and its check, enrolment, disabling, the lock-out after
 * wrong PINs (growing, kept across a restart, the same for unknown
 * numbers), the hash chain and what tampering with the file does to it,
 * and the export file (mode, contents, no contact details). */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/stat.h>

#include "mn-audit.h"
#include "mn-inquiry.h"
#include "mn-quarantine.h"
#include "mn-staff.h"
#include "mn-store-sync.h"

typedef struct
{
  char    *dir;
  MnStore *store;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("minyin-staff-XXXXXX", &error);
  g_assert_no_error (error);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->store);
  remove_tree (f->dir);
  g_free (f->dir);
}

static void
sql (Fixture    *f,
     const char *statement)
{
  sqlite3 *db = NULL;
  char    *message = NULL;

  g_assert_cmpint (sqlite3_open (mn_store_get_path (f->store), &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (sqlite3_exec (db, statement, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", statement, message);
  sqlite3_close (db);
}

static void
test_hash (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *hash = mn_staff_hash_pin ("246810", &error);
  g_autofree char  *again = mn_staff_hash_pin ("246810", NULL);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_null (strstr (hash, "246810"));
  /* Salted: the same PIN never hashes alike twice. */
  g_assert_cmpstr (hash, !=, again);
  g_assert_true (mn_staff_verify_pin (hash, "246810"));
  g_assert_true (mn_staff_verify_pin (again, "246810"));
  g_assert_false (mn_staff_verify_pin (hash, "246811"));
  g_assert_false (mn_staff_verify_pin (hash, ""));

  g_assert_null (mn_staff_hash_pin ("12345", &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mn_staff_check_pin ("12345a", NULL));
  g_assert_false (mn_staff_check_pin ("1234567890123", NULL));
  g_assert_true (mn_staff_check_pin ("123456789012", NULL));
  g_assert_false (mn_staff_check_number ("", NULL));
  g_assert_false (mn_staff_check_number ("12a", NULL));
  g_assert_false (mn_staff_check_number ("123456789", NULL));
  g_assert_true (mn_staff_check_number ("0042", NULL));
}

static void
test_enrol (Fixture      *f,
            gconstpointer data)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) list = NULL;
  MnStaffAccount      *a;

  g_assert_true (mn_staff_add (f->store, "7", "王芳", "135790", "cli:test", &error));
  g_assert_no_error (error);
  g_assert_true (mn_staff_add (f->store, "12", "Li Ming", "864200", "cli:test", &error));
  g_assert_false (mn_staff_add (f->store, "7", "Someone", "111111", "cli:test", &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (mn_staff_add (f->store, "8", "  ", "111111", "cli:test", &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mn_staff_add (f->store, "8", "Short PIN", "1111", "cli:test", &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_INVALID);
  g_clear_error (&error);

  list = mn_staff_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  a = g_ptr_array_index (list, 0);
  g_assert_cmpstr (a->number, ==, "7");
  g_assert_cmpstr (a->name, ==, "王芳");
  g_assert_false (a->disabled);

  /* The PIN is nowhere in the file as typed. */
  {
    g_autofree char *bytes = NULL;
    gsize            len = 0;

    g_assert_true (g_file_get_contents (mn_store_get_path (f->store), &bytes, &len, NULL));
    g_assert_null (g_strstr_len (bytes, (gssize) len, "135790"));
  }

  g_assert_true (mn_staff_disable (f->store, "12", "cli:test", &error));
  g_assert_no_error (error);
  g_assert_false (mn_staff_disable (f->store, "99", "cli:test", &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mn_staff_list (f->store, &error);
  g_assert_true (((MnStaffAccount *) g_ptr_array_index (list, 1))->disabled);

  /* A disabled account with its right PIN: refused, and said why. */
  g_assert_null (mn_staff_sign_in (f->store, "12", "864200", 1000, &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_DISABLED);
  g_clear_error (&error);
  {
    g_autoptr(MnStaffAccount) ok = mn_staff_sign_in (f->store, "7", "135790", 1000, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (ok->name, ==, "王芳");
  }
}

static void
test_lockout (Fixture      *f,
              gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *wrong_message = NULL;
  gint64            now = 1800000000;

  g_assert_true (mn_staff_add (f->store, "7", "王芳", "135790", "cli:test", &error));

  /* An unknown number and a wrong PIN get the same answer. */
  g_assert_null (mn_staff_sign_in (f->store, "7", "000000", now, &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_WRONG);
  wrong_message = g_strdup (error->message);
  g_clear_error (&error);
  g_assert_null (mn_staff_sign_in (f->store, "8", "135790", now, &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_WRONG);
  g_assert_cmpstr (error->message, ==, wrong_message);
  g_clear_error (&error);

  /* Four more wrong PINs (five in a row) lock the number. */
  for (int i = 0; i < MN_STAFF_MAX_FAILURES - 2; i++)
    {
      g_assert_null (mn_staff_sign_in (f->store, "7", "000001", now, &error));
      g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_WRONG);
      g_clear_error (&error);
    }
  g_assert_null (mn_staff_sign_in (f->store, "7", "000002", now, &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_LOCKED);
  g_clear_error (&error);
  /* Even the right PIN waits. */
  g_assert_null (mn_staff_sign_in (f->store, "7", "135790", now + 30, &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_LOCKED);
  g_clear_error (&error);

  /* Kept across a restart. */
  g_clear_object (&f->store);
  f->store = mn_store_open (f->dir, &error);
  g_assert_no_error (error);
  g_assert_null (mn_staff_sign_in (f->store, "7", "135790", now + 59, &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_LOCKED);
  g_clear_error (&error);

  /* After the first lock-out (a minute) five more wrong ones lock it for
   * longer: two minutes. */
  now += mn_inquiry_lockout_seconds (1);
  for (int i = 0; i < MN_STAFF_MAX_FAILURES; i++)
    {
      g_assert_null (mn_staff_sign_in (f->store, "7", "000003", now, &error));
      g_clear_error (&error);
    }
  g_assert_null (mn_staff_sign_in (f->store, "7", "135790", now + mn_inquiry_lockout_seconds (1) + 1,
                                   &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_LOCKED);
  g_clear_error (&error);
  {
    g_autoptr(MnStaffAccount) a =
      mn_staff_sign_in (f->store, "7", "135790", now + mn_inquiry_lockout_seconds (2), &error);

    g_assert_no_error (error);
    g_assert_nonnull (a);
  }
  /* A right PIN clears the count: one wrong one is then just wrong. */
  g_assert_null (mn_staff_sign_in (f->store, "7", "000004",
                                   now + mn_inquiry_lockout_seconds (2), &error));
  g_assert_error (error, MN_STAFF_ERROR, MN_STAFF_ERROR_WRONG);
}

static GArray *
verify (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  GArray *bad = mn_audit_verify (f->store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (bad);
  return bad;
}

static void
test_audit_chain (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GArray)    bad = NULL;
  MnAuditEntry        *e;

  g_assert_true (mn_staff_add (f->store, "7", "王芳", "135790", "cli:test", &error));
  g_assert_null (mn_staff_sign_in (f->store, "7", "000000", 1000, NULL));
  {
    g_autoptr(MnStaffAccount) a = mn_staff_sign_in (f->store, "7", "135790", 1001, NULL);

    g_assert_nonnull (a);
  }
  g_assert_true (mn_audit_append (f->store, "7", MN_AUDIT_SIGN_OUT, "signed out", &error));
  g_assert_true (mn_audit_append (f->store, "7", MN_AUDIT_QUARANTINE_VIEW, NULL, &error));

  rows = mn_audit_list (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 5);
  e = g_ptr_array_index (rows, 0);
  g_assert_cmpstr (e->action, ==, MN_AUDIT_STAFF_ADD);
  g_assert_cmpstr (e->actor, ==, "cli:test");
  g_assert_cmpstr (e->prev_hash, ==, MN_AUDIT_GENESIS);
  g_assert_cmpstr (((MnAuditEntry *) g_ptr_array_index (rows, 1))->action, ==,
                   MN_AUDIT_SIGN_IN_FAILED);
  g_assert_cmpstr (((MnAuditEntry *) g_ptr_array_index (rows, 2))->action, ==, MN_AUDIT_SIGN_IN);
  for (guint i = 1; i < rows->len; i++)
    g_assert_cmpstr (((MnAuditEntry *) g_ptr_array_index (rows, i))->prev_hash, ==,
                     ((MnAuditEntry *) g_ptr_array_index (rows, i - 1))->hash);
  /* NULL and "" details hash differently. */
  {
    g_autofree char *null_detail = mn_audit_row_hash (MN_AUDIT_GENESIS, 1, 1, "a", "b", NULL);
    g_autofree char *empty_detail = mn_audit_row_hash (MN_AUDIT_GENESIS, 1, 1, "a", "b", "");

    g_assert_cmpstr (null_detail, !=, empty_detail);
  }

  bad = verify (f);
  g_assert_cmpuint (bad->len, ==, 0);
  g_clear_pointer (&bad, g_array_unref);

  /* Someone turns a failed sign-in into a success: that row is named. */
  sql (f, "UPDATE audit SET action = 'sign-in' WHERE id = 2");
  bad = verify (f);
  g_assert_cmpuint (bad->len, ==, 1);
  g_assert_cmpint (g_array_index (bad, gint64, 0), ==, 2);
  g_clear_pointer (&bad, g_array_unref);
  sql (f, "UPDATE audit SET action = 'sign-in-failed' WHERE id = 2");
  bad = verify (f);
  g_assert_cmpuint (bad->len, ==, 0);
  g_clear_pointer (&bad, g_array_unref);

  /* A row removed from the middle: the row after the gap is named. */
  sql (f, "DELETE FROM audit WHERE id = 3");
  bad = verify (f);
  g_assert_cmpuint (bad->len, ==, 1);
  g_assert_cmpint (g_array_index (bad, gint64, 0), ==, 4);
  g_clear_pointer (&bad, g_array_unref);

  /* New rows after a break chain to the last row as stored. */
  g_assert_true (mn_audit_append (f->store, "7", MN_AUDIT_SIGN_OUT, NULL, &error));
  bad = verify (f);
  g_assert_cmpuint (bad->len, ==, 1);
}

/* Files a request with a phone number and puts its create message in
 * quarantine with @reason. Returns the outbox id. */
static gint64
quarantine_one (Fixture    *f,
                const char *reason)
{
  g_autoptr(MnRequest) r = mn_request_new ();
  g_autoptr(MnContact) c = mn_contact_new ("张三", "13812345678");
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) claimed = NULL;
  gint64               id;

  r->service_code = g_strdup ("lifts");
  r->description = g_strdup ("3号楼电梯停了两天");
  r->consent = TRUE;
  g_assert_true (mn_store_file_request (f->store, r, c, &error));
  g_assert_no_error (error);
  claimed = mn_store_outbox_claim (f->store, MN_OUTBOX_CREATE, 0, 16,
                                   g_get_real_time () / G_USEC_PER_SEC, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (claimed->len, ==, 1);
  id = ((MnOutboxMessage *) g_ptr_array_index (claimed, 0))->id;
  g_assert_true (mn_store_outbox_quarantine (f->store, id, reason, &error));
  g_assert_no_error (error);
  return id;
}

static void
test_export (Fixture      *f,
             gconstpointer data)
{
  const char *reason = "service_code lifts is not accepted at this jurisdiction (400)";
  g_autoptr(GError)     error = NULL;
  g_autoptr(GArray)     ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray)  list = NULL;
  g_autoptr(GPtrArray)  rows = NULL;
  g_autofree char      *path = NULL;
  g_autofree char      *text = NULL;
  g_autofree char      *out_dir = g_build_filename (f->dir, "stick", "minyin", NULL);
  gint64                first = quarantine_one (f, reason);
  gint64                second = quarantine_one (f, "another reason");
  JsonObject           *root;
  JsonObject           *message;
  GStatBuf              st;
  guint                 count = 0;

  list = mn_quarantine_list (f->store, "7", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);

  g_array_append_val (ids, first);
  path = mn_quarantine_export (f->store, ids, out_dir, NULL, "7", &count, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_assert_true (g_str_has_prefix (path, out_dir));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (out_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  /* The contact stays sealed: neither the phone nor the name is written. */
  g_assert_null (strstr (text, "13812345678"));
  g_assert_null (strstr (text, "张三"));
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "format"), ==,
                   "minyin-quarantine-export/1");
  g_assert_cmpstr (json_object_get_string_member (root, "exported_by"), ==, "7");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "messages")), ==, 1);
  message = json_array_get_object_element (json_object_get_array_member (root, "messages"), 0);
  g_assert_cmpint (json_object_get_int_member (message, "outbox_id"), ==, first);
  g_assert_cmpstr (json_object_get_string_member (message, "reason"), ==, reason);
  g_assert_cmpstr (json_object_get_string_member (message, "kind"), ==, "create");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (message,
                                                                                  "request"),
                                                   "description"), ==, "3号楼电梯停了两天");
  g_assert_nonnull (json_object_get_string_member (json_object_get_object_member (message,
                                                                                   "request"),
                                                    "contact_hint"));

  /* All of them, to an explicit file. */
  g_clear_pointer (&path, g_free);
  {
    g_autofree char *file = g_build_filename (f->dir, "all.json", NULL);

    path = mn_quarantine_export (f->store, NULL, NULL, file, "7", &count, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (path, ==, file);
    g_assert_cmpuint (count, ==, 2);
    g_assert_cmpint (g_stat (path, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  }

  /* Try one again: it leaves quarantine; exporting it now finds nothing. */
  g_assert_true (mn_quarantine_retry (f->store, second, "7", &count, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count, ==, 1);
  g_array_set_size (ids, 0);
  g_array_append_val (ids, second);
  g_assert_null (mn_quarantine_export (f->store, ids, out_dir, NULL, "7", NULL, &error));
  g_assert_error (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_clear_pointer (&list, g_ptr_array_unref);
  list = mn_store_outbox_list (f->store, "queued", &error);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpint (((MnOutboxMessage *) g_ptr_array_index (list, 0))->id, ==, second);

  /* Every step is in the audit trail, and the chain holds. */
  rows = mn_audit_list (f->store, &error);
  g_assert_cmpuint (rows->len, ==, 4);
  g_assert_cmpstr (((MnAuditEntry *) g_ptr_array_index (rows, 0))->action, ==,
                   MN_AUDIT_QUARANTINE_VIEW);
  g_assert_cmpstr (((MnAuditEntry *) g_ptr_array_index (rows, 1))->action, ==, MN_AUDIT_EXPORT);
  g_assert_nonnull (strstr (((MnAuditEntry *) g_ptr_array_index (rows, 1))->detail, "masked"));
  g_assert_cmpstr (((MnAuditEntry *) g_ptr_array_index (rows, 3))->action, ==, MN_AUDIT_RETRY);
  {
    g_autoptr(GArray) bad = verify (f);

    g_assert_cmpuint (bad->len, ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/staff/hash", test_hash);
  g_test_add ("/staff/enrol", Fixture, NULL, fixture_set_up, test_enrol, fixture_tear_down);
  g_test_add ("/staff/lockout", Fixture, NULL, fixture_set_up, test_lockout, fixture_tear_down);
  g_test_add ("/audit/chain", Fixture, NULL, fixture_set_up, test_audit_chain, fixture_tear_down);
  g_test_add ("/quarantine/export", Fixture, NULL, fixture_set_up, test_export, fixture_tear_down);

  return g_test_run ();
}
