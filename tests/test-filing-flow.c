/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The resident's filing flow from the start screen to the receipt, driven
 * through buttons and actions as a finger would: every page measured and
 * photographed, Change keeps the answers, a failed save keeps everything
 * on screen, the request is in the store with every field right, and
 * after Finish nothing of the person is left in the widget tree. What a
 * person writes by hand joins the description. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <unistd.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-category-page.h"
#include "mn-contact-page.h"
#include "mn-details-page.h"
#include "mn-filing-flow.h"
#include "mn-handwriting-pad.h"
#include "mn-keypad.h"
#include "mn-kiosk-style.h"
#include "mn-language-page.h"
#include "mn-location-page.h"
#include "mn-questions-page.h"
#include "mn-receipt-page.h"
#include "mn-start-page.h"
#include "mn-test-ui.h"
#include "mn-vault.h"
#include "mn-write-page.h"
#include "mn-attachment.h"
#include "mn-review-page.h"
#include "mn-test-hung-src.h"
#include "mn-test-sound.h"
#include "mn-voice-note.h"
#include "mn-speech-prompts.h"
#include "speech-sink-watch.h"

#define PHONE "13800138000"

static MnFilingFlow *flow;

static GtkWidget *
find_button (const char *name)
{
  g_autoptr(GPtrArray) buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), name) == 0)
      return g_ptr_array_index (buttons, i);
  g_error ("no button called %s is on screen (page %s)", name,
           mn_window_get_visible_page (mn_test_window));
  return NULL;
}

static void
press (const char *name)
{
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_click (find_button (name));
}

static void
expect_page (const char *page)
{
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, page);
}

/* Confirms the category; the flow looks up its questions on the store's
 * worker before it moves on. */
static void
confirm_category (void)
{
  press ("category-confirm");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-category") == 0)
    g_main_context_iteration (NULL, TRUE);
}

static void
check_page (const char *shot)
{
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot (shot);
  mn_test_check_sizes (shot);
  mn_test_check_drawn_contrast (shot);
}

static void
type_digits (const char *digits)
{
  GtkWidget *keypad = mn_contact_page_get_keypad (
    MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact")));

  gtk_widget_activate_action (keypad, "keypad.clear", NULL);
  for (const char *d = digits; *d != '\0'; d++)
    {
      char digit[2] = { *d, '\0' };

      g_assert_true (gtk_widget_activate_action (keypad, "keypad.digit", "s", digit));
    }
}

/* Walks every widget of the window, shown or not, for @needle in what a
 * widget displays or says. */
static gboolean
tree_contains (GtkWidget  *w,
               const char *needle)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (w))
    text = gtk_label_get_text (GTK_LABEL (w));
  else if (GTK_IS_EDITABLE (w))
    text = gtk_editable_get_text (GTK_EDITABLE (w));
  else if (MN_IS_KEYPAD (w))
    text = mn_keypad_get_text (MN_KEYPAD (w));
  if (text != NULL && strstr (text, needle) != NULL)
    {
      g_test_message ("found “%s” in a %s: “%s”", needle, G_OBJECT_TYPE_NAME (w), text);
      return TRUE;
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (tree_contains (c, needle))
      return TRUE;
  return FALSE;
}

/* From the details step to the review: the first sentence, "here, at this
 * station", the phone number, consent. */
static void
walk_details_to_review (void)
{
  press ("phrase-0");
  press ("details-next");
  press ("location-here");
  press ("location-next");
  type_digits (PHONE);
  gtk_widget_activate_action (mn_contact_page_get_keypad (
                                MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact"))),
                              "keypad.enter", NULL);
  press ("consent-agree");
  expect_page ("file-review");
}

static void
walk_to_review (void)
{
  press ("start-file");
  expect_page ("file-category");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  expect_page ("file-details");
  walk_details_to_review ();
}

static void
test_file_a_request (void)
{
  MnCategoryPage *category = MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category"));
  MnDetailsPage *details = MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"));
  MnReceiptPage *receipt = MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"));
  g_autofree char *description = NULL;
  g_autofree char *masked = mn_vault_mask_phone (PHONE);
  g_autoptr(MnRequest) stored = NULL;
  g_autoptr(MnContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *shown = NULL;

  /* The start screen offers filing now that the store is open. */
  expect_page ("start");
  check_page ("start");
  press ("start-file");
  expect_page ("file-category");
  check_page ("1-category");

  mn_test_click (mn_category_page_get_tile (category, "lifts"));
  confirm_category ();
  expect_page ("file-details");
  check_page ("2-details");

  /* Next with nothing chosen stays put. */
  press ("details-next");
  expect_page ("file-details");
  press ("phrase-0");
  press ("phrase-2");
  description = mn_details_page_dup_text (details);
  g_assert_nonnull (description);
  check_page ("2-details-chosen");
  press ("details-next");
  expect_page ("file-location");

  press ("location-next");
  expect_page ("file-location");
  press ("location-here");
  check_page ("3-location");
  press ("location-next");
  expect_page ("file-contact");

  /* A number that is no phone number: told why, on the same page. */
  type_digits ("12345");
  gtk_widget_activate_action (mn_contact_page_get_keypad (
                                MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact"))),
                              "keypad.enter", NULL);
  expect_page ("file-contact");
  check_page ("4-contact-wrong");
  type_digits (PHONE);
  check_page ("4-contact");
  gtk_widget_activate_action (mn_contact_page_get_keypad (
                                MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact"))),
                              "keypad.enter", NULL);
  expect_page ("file-consent");
  check_page ("5-consent");
  press ("consent-agree");
  expect_page ("file-review");
  check_page ("6-review");
  g_assert_true (tree_contains (GTK_WIDGET (mn_test_window), masked));
  /* The full number is never shown on the review. */
  g_assert_false (tree_contains (mn_filing_flow_get_page (flow, "file-review"), PHONE));
  /* It is said as where it starts and ends, not as seven digits. */
  {
    g_autofree char *said = mn_review_page_dup_speech (
      MN_REVIEW_PAGE (mn_filing_flow_get_page (flow, "file-review")));
    g_autofree char *number = g_strdup_printf (_("the number that starts %s and ends %s"),
                                               "138", "8000");

    g_assert_nonnull (strstr (said, number));
    g_assert_null (strstr (said, "*"));
  }

  /* Change the details: the other answers are kept, and Next comes back
   * to the review. */
  press ("review-change-details");
  expect_page ("file-details");
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (mn_details_page_get_phrase (details, 0))));
  press ("phrase-2");
  press ("details-next");
  expect_page ("file-review");
  g_clear_pointer (&description, g_free);
  description = mn_details_page_dup_text (details);
  g_assert_true (tree_contains (GTK_WIDGET (mn_test_window), masked));

  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);
  check_page ("7-receipt");
  shown = g_strdup (mn_receipt_page_get_shown (receipt));
  g_assert_nonnull (shown);
  g_assert_nonnull (mn_receipt_page_get_qr (receipt));
  code = mn_case_code_parse (shown, &error);
  g_assert_no_error (error);

  /* In the store, every field as given. */
  stored = mn_store_lookup (mn_filing_flow_get_store (flow), code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->service_code, ==, "lifts");
  g_assert_cmpstr (stored->description, ==, description);
  /* The demo station: its name in the address, its place's code. */
  g_assert_true (g_str_has_prefix (stored->address_text, _("Here, at this service station")) ||
                 strstr (stored->address_text, "服务站") != NULL);
  g_assert_nonnull (stored->place_code);
  g_assert_cmpint (stored->channel, ==, MN_CHANNEL_KIOSK);
  g_assert_true (stored->consent);
  g_assert_false (stored->anonymous);
  g_assert_cmpstr (stored->contact_hint, ==, masked);
  contact = mn_store_unseal_contact (mn_filing_flow_get_store (flow), stored->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (contact->phone, ==, PHONE);

  /* Finish: the start screen, and nothing of this person anywhere. */
  press ("receipt-finish");
  expect_page ("start");
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), PHONE));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), masked));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), "138 0013 8000"));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), shown));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), description));
  g_assert_null (mn_category_page_get_selected (category));
  g_assert_null (mn_details_page_dup_text (details));
}

static void
on_said (MnWindow   *window,
         const char *text,
         GString    *said)
{
  g_string_append_printf (said, "%s\n", text);
}

static guint
count_requests (MnStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = mn_store_list_requests (store, 0, &error);

  g_assert_no_error (error);
  return all->len;
}

/* A second connection, for the test only: empties the write-ahead log,
 * so that the next commit has to grow a file (SQLite reuses a log's
 * space once it is checkpointed, which a full disk would not stop), and
 * checks the file is sound. */
static void
check_store_file (gboolean truncate_log)
{
  g_autofree char *path = g_build_filename (mn_test_data_dir, "minyin.db", NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, truncate_log ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY,
                                    NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  if (truncate_log)
    g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==,
                     SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* A failed save (a full disk, for real): the answers stay on screen with
 * the sentence that says so, spoken too; nothing half-saved is in the
 * store; and once there is room, the same Submit files exactly one
 * request. */
static void
test_save_fails (void)
{
  MnStore *store = mn_filing_flow_get_store (flow);
  GtkWidget *review = mn_filing_flow_get_page (flow, "file-review");
  MnDetailsPage *details = MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"));
  MnLocationPage *location = MN_LOCATION_PAGE (mn_filing_flow_get_page (flow, "file-location"));
  MnContactPage *contact = MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact"));
  const char *full = _("The terminal's storage is full; nothing was saved. Ask staff to free "
                       "space; what you entered is still on screen.");
  const char *method = mn_test_small_disk_method ();
  g_autofree char *masked = mn_vault_mask_phone (PHONE);
  g_autofree char *description = NULL;
  g_autofree char *address = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GString) said = g_string_new (NULL);
  g_autoptr(MnRequest) stored = NULL;
  g_autoptr(GError) error = NULL;
  guint before;
  gulong handler;

  g_assert_nonnull (method);
  /* In the TAP output: which way this machine let the disk be filled. */
  g_test_message ("the disk is made full with: %s", method);

  walk_to_review ();
  description = mn_details_page_dup_text (details);
  address = g_strdup (mn_location_page_get_address_text (location));
  g_assert_nonnull (description);
  g_assert_nonnull (address);
  before = count_requests (store);

  check_store_file (TRUE);
  mn_test_fill_disk ();
  handler = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
  press ("review-submit");
  /* Until the store has answered, one way or the other. */
  {
    GtkWidget *submit = find_button ("review-submit");

    while (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (submit)), _("Saving…")) == 0 &&
           g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-review") == 0)
      g_main_context_iteration (NULL, TRUE);
  }
  g_signal_handler_disconnect (mn_test_window, handler);
  g_test_message ("said: %s", said->str);

  /* Shown and said; the person is still on the review. */
  expect_page ("file-review");
  g_assert_nonnull (strstr (said->str, full));
  g_assert_true (tree_contains (review, full));
  /* Nothing half-saved, and the file is sound, while the disk is full. */
  g_assert_cmpuint (count_requests (store), ==, before);
  if (g_str_has_prefix (method, "tmpfs"))
    {
      check_store_file (FALSE);
      /* The screenshot goes to the build tree, not the full disk. */
      check_page ("6-review-disk-full");
    }
  else
    {
      /* Under the file size limit no PNG can be written either. */
      mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
      mn_test_check_sizes ("6-review-disk-full");
    }

  /* Every answer is still there: on the review, and on each page the
   * person can go back to. */
  g_assert_true (tree_contains (review, masked));
  g_assert_true (tree_contains (review, description));
  g_assert_true (tree_contains (review, address));
  press ("review-change-category");
  expect_page ("file-category");
  g_assert_cmpstr (mn_category_page_get_selected (
                     MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category"))), ==, "lifts");
  confirm_category ();
  expect_page ("file-review");
  press ("review-change-details");
  expect_page ("file-details");
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (mn_details_page_get_phrase (details, 0))));
  press ("details-next");
  expect_page ("file-review");
  press ("review-change-place");
  expect_page ("file-location");
  g_assert_cmpstr (mn_location_page_get_address_text (location), ==, address);
  press ("location-next");
  expect_page ("file-review");
  press ("review-change-contact");
  expect_page ("file-contact");
  g_assert_cmpstr (mn_contact_page_get_phone (contact), ==, PHONE);
  gtk_widget_activate_action (mn_contact_page_get_keypad (contact), "keypad.enter", NULL);
  expect_page ("file-review");
  {
    g_autofree char *again = mn_details_page_dup_text (details);

    g_assert_cmpstr (again, ==, description);
  }
  g_assert_true (tree_contains (review, masked));

  /* Staff free some space: the same person presses Submit again. */
  mn_test_free_disk ();
  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count_requests (store), ==, before + 1);
  code = mn_case_code_parse (mn_receipt_page_get_shown (
                               MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"))),
                             &error);
  g_assert_no_error (error);
  stored = mn_store_lookup (store, code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->description, ==, description);
  g_assert_cmpstr (stored->address_text, ==, address);
  g_assert_cmpstr (stored->contact_hint, ==, masked);
  check_store_file (FALSE);
  press ("receipt-finish");
  expect_page ("start");
}

/* The terminal has no store at all: the same, with the sentence for it. */
static void
test_no_store (void)
{
  g_autoptr(MnStore) store = g_object_ref (mn_filing_flow_get_store (flow));
  g_autofree char *masked = mn_vault_mask_phone (PHONE);
  guint before;

  walk_to_review ();
  mn_filing_flow_set_store (flow, NULL);
  press ("review-submit");
  expect_page ("file-review");
  g_assert_true (tree_contains (mn_filing_flow_get_page (flow, "file-review"),
                                _("This terminal cannot save requests at the moment. Nothing was "
                                  "lost: please ask a member of staff for help.")));
  g_assert_true (tree_contains (mn_filing_flow_get_page (flow, "file-review"), masked));
  check_page ("6-review-save-failed");

  mn_filing_flow_set_store (flow, store);
  before = count_requests (store);
  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (count_requests (store), ==, before + 1);
  press ("receipt-finish");
}

static void
on_printed (MnReceiptPage *page,
            gboolean       ok,
            int           *outcome)
{
  *outcome = ok ? 1 : 0;
}

/* Presses "Print receipt" and waits for the outcome; meanwhile Finish
 * and Back must leave the code on screen. */
static gboolean
print_and_wait (MnReceiptPage *receipt)
{
  int outcome = -1;
  gulong id = g_signal_connect (receipt, "printed", G_CALLBACK (on_printed), &outcome);

  press ("receipt-print");
  g_assert_true (mn_receipt_page_get_printing (receipt));
  gtk_widget_activate_action (GTK_WIDGET (receipt), "receipt.finish", NULL);
  expect_page ("file-receipt");
  while (outcome < 0)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (receipt, id);
  g_assert_false (mn_receipt_page_get_printing (receipt));
  expect_page ("file-receipt");
  return outcome == 1;
}

static gboolean
print_button_shown (void)
{
  g_autoptr(GPtrArray) buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), "receipt-print") == 0)
      return TRUE;
  return FALSE;
}

/* The receipt on paper: no button without a printer; through the print
 * operation into a PDF that says the code and the masked number only;
 * and a printer that is not there: the sentence shown and said, the code
 * still on screen. */
static void
test_print_receipt (void)
{
  MnReceiptPage *receipt = MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"));
  GSettings *settings = mn_application_get_settings (mn_test_app);
  const char *failed = _("The receipt could not be printed. Please write down the case code, or "
                         "ask staff for help.");
  g_autofree char *masked = mn_vault_mask_phone (PHONE);
  g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "minyin-test-receipt-XXXXXX.pdf", NULL);
  g_autofree char *shown = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GString) said = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  gulong handler;
  int fd;

  g_assert_nonnull (settings);
  fd = g_mkstemp (pdf);
  g_assert_cmpint (fd, >=, 0);
  close (fd);

  g_settings_set_string (settings, "printer", "");
  walk_to_review ();
  handler = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  g_signal_handler_disconnect (mn_test_window, handler);
  shown = g_strdup (mn_receipt_page_get_shown (receipt));
  /* No printer configured: no button at all, and the voice sends nobody
   * looking for a slip. */
  g_assert_false (print_button_shown ());
  g_assert_false (mn_receipt_page_get_can_print (receipt));
  {
    const char *said_text = _("Your request is saved. Your case code is %s. Please write it down, "
                              "or take a photo of the QR code.");

    g_test_message ("said on the receipt: %s", said->str);
    g_assert_nonnull (strstr (said->str, strstr (said_text, "%s") + 2));
    g_assert_nonnull (strstr (said->str, shown));
  }
  g_string_truncate (said, 0);

  /* Through the print operation, into a file. */
  mn_receipt_page_set_print_export (receipt, pdf);
  g_assert_true (print_button_shown ());
  check_page ("7-receipt-print");
  g_assert_true (print_and_wait (receipt));
  g_assert_true (tree_contains (GTK_WIDGET (receipt),
                                _("Your receipt is printed. Please take it from the printer.")));
  g_assert_true (g_spawn_sync (NULL, (char *[]) { (char *) "pdftotext", (char *) "-enc",
                                                  (char *) "UTF-8", pdf, (char *) "-", NULL },
                               NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &text, NULL, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("the printed receipt says:\n%s", text);
  g_assert_nonnull (strstr (text, masked));
  g_assert_null (strstr (text, PHONE));
  {
    g_auto(GStrv) groups = g_strsplit (shown, "-", -1);

    for (guint i = 0; groups[i] != NULL; i++)
      g_assert_nonnull (strstr (text, groups[i]));
  }
  mn_receipt_page_set_print_export (receipt, NULL);
  g_unlink (pdf);

  /* A printer that is not there. */
  g_settings_set_string (settings, "printer", "minyin-no-such-printer");
  g_assert_true (print_button_shown ());
  handler = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
  g_assert_false (print_and_wait (receipt));
  g_signal_handler_disconnect (mn_test_window, handler);
  g_assert_nonnull (strstr (said->str, failed));
  g_assert_true (tree_contains (GTK_WIDGET (receipt), failed));
  g_assert_cmpstr (mn_receipt_page_get_shown (receipt), ==, shown);
  g_assert_true (tree_contains (GTK_WIDGET (receipt), shown));
  check_page ("7-receipt-print-failed");

  g_settings_set_string (settings, "printer", "");
  g_assert_false (print_button_shown ());
  press ("receipt-finish");
  expect_page ("start");
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), failed));
}

static void
on_places_loaded (MnLocationPage *page,
                  gboolean       *loaded)
{
  *loaded = TRUE;
}

/* Touches a place (or the "somewhere else" choice) and waits for the next
 * level's buttons, which the gazetteer sends from the store's thread. */
static void
touch_and_wait (MnLocationPage *location,
                const char     *button_name)
{
  gboolean loaded = FALSE;
  gulong id = g_signal_connect (location, "places-loaded", G_CALLBACK (on_places_loaded), &loaded);

  press (button_name);
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (location, id);
}

static void
test_pick_place (void)
{
  MnLocationPage *location = MN_LOCATION_PAGE (mn_filing_flow_get_page (flow, "file-location"));
  g_autofree char *name = NULL;
  guint level = 0;

  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  press ("phrase-0");
  press ("details-next");
  expect_page ("file-location");

  touch_and_wait (location, "location-other");
  /* Street, community, compound, building...: down to the smallest place,
   * or four levels, photographing each. */
  while (level < 4)
    {
      g_autoptr(GPtrArray) shown = mn_location_page_list_shown (location);
      g_autofree char *shot = g_strdup_printf ("3-location-level-%u", level);
      const char *pick;

      if (shown->len == 0)
        break;
      check_page (shot);
      g_assert_cmpuint (shown->len, >, 0);
      /* The station's own street and community (codes that start the
       * station's) when they are shown, so the
       * walk reaches the compounds the demo station provisions. */
      pick = g_ptr_array_index (shown, 0);
      for (guint i = 0; i < shown->len; i++)
        if (g_str_has_prefix ("330902002008", g_ptr_array_index (shown, i)))
          pick = g_ptr_array_index (shown, i);
      g_free (name);
      name = g_strdup_printf ("place-%s", pick);
      touch_and_wait (location, name);
      level++;
    }
  g_assert_cmpuint (level, >=, 2);
  g_assert_nonnull (mn_location_page_get_place_code (location));
  g_assert_nonnull (mn_location_page_get_address_text (location));
  check_page ("3-location-picked");

  /* Up one level and back down keeps working. */
  touch_and_wait (location, "location-up");
  g_assert_null (mn_location_page_get_place_button (location, "no-such-code"));

  mn_window_reset_session (mn_test_window);
  g_assert_null (mn_location_page_get_address_text (location));
}

/* Through the start screen as a person does it: Language, then the
 * language's own button. The window builds every page again. */
static void
choose_language (const char *code)
{
  MnStartPage *start = MN_START_PAGE (mn_window_get_start_page (mn_test_window));
  MnLanguagePage *page;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_click (mn_start_page_get_button (start, "language"));
  expect_page ("language");
  page = MN_LANGUAGE_PAGE (mn_window_get_page (mn_test_window, "language"));
  mn_test_click (mn_language_page_get_button (page, code));
  g_assert_cmpstr (mn_window_get_language (mn_test_window), ==, code);
  expect_page ("start");
}

/* After a change of language the location page is built again: it must
 * still offer the address pickers (its gazetteer), fit at the largest
 * text, and file the place picked down to a unit. A language chosen from
 * another (zh_HK first), so that the page is rebuilt even where the
 * target is the kiosk's default. */
static void
test_pick_place_languages (void)
{
  /* Street, community, compound, building, unit: 2幢 2单元 of the demo
   * station's compound. */
  const char *target = "330902002008-01-02-2";
  const char *languages[] = { "ug", "en" };
  MnKioskStyle *style = mn_application_get_kiosk_style (mn_test_app);

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    {
      const char *lang = languages[l];
      MnLocationPage *location;
      g_autofree char *shot = NULL;
      g_autofree char *code = NULL;
      g_autoptr(MnRequest) stored = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) names = g_string_new (NULL);
      guint level = 0;

      choose_language ("zh_HK");
      choose_language (lang);
      mn_kiosk_style_set_large_text (style, TRUE);

      press ("start-file");
      mn_test_click (mn_category_page_get_tile (
        MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
      confirm_category ();
      press ("phrase-0");
      press ("details-next");
      expect_page ("file-location");
      location = MN_LOCATION_PAGE (mn_filing_flow_get_page (flow, "file-location"));
      g_assert_true (GTK_WIDGET (location) == mn_window_get_page (mn_test_window, "file-location"));

      /* Both choices, inside the window, large enough and apart. */
      shot = g_strdup_printf ("3-location-%s-large", lang);
      check_page (shot);
      touch_and_wait (location, "location-other");
      g_free (shot);
      shot = g_strdup_printf ("3-location-%s-large-other", lang);
      check_page (shot);

      /* Down the target's places, one level at a time, to its unit. */
      while (TRUE)
        {
          g_autoptr(GPtrArray) shown = mn_location_page_list_shown (location);
          const char *pick = NULL;
          g_autofree char *name = NULL;

          if (shown->len == 0)
            break;
          for (guint i = 0; i < shown->len; i++)
            if (g_str_has_prefix (target, g_ptr_array_index (shown, i)))
              pick = g_ptr_array_index (shown, i);
          g_assert_nonnull (pick);
          /* Nine at a time: "More places" until it is on screen. */
          for (guint more = 0; mn_location_page_get_place_button (location, pick) == NULL; more++)
            {
              g_assert_cmpuint (more, <, 20);
              press ("location-more");
            }
          if (level == 3)
            {
              g_free (shot);
              shot = g_strdup_printf ("3-location-%s-large-buildings", lang);
              check_page (shot);
            }
          name = g_strdup_printf ("place-%s", pick);
          g_string_append_printf (names, "%s%s", names->len > 0 ? " " : "",
                                  gtk_button_get_label (GTK_BUTTON (find_button (name))));
          touch_and_wait (location, name);
          level++;
          g_assert_cmpuint (level, <=, 6);
        }
      g_assert_cmpuint (level, ==, 5);
      g_assert_cmpstr (mn_location_page_get_place_code (location), ==, target);
      /* Place names stay Chinese: they are what the street signs say. */
      g_assert_cmpstr (mn_location_page_get_address_text (location), ==, names->str);
      g_assert_nonnull (strstr (names->str, "2幢 2单元"));
      g_free (shot);
      shot = g_strdup_printf ("3-location-%s-large-unit", lang);
      check_page (shot);

      press ("location-next");
      expect_page ("file-contact");
      type_digits (PHONE);
      gtk_widget_activate_action (mn_contact_page_get_keypad (
                                    MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact"))),
                                  "keypad.enter", NULL);
      press ("consent-agree");
      expect_page ("file-review");
      g_assert_true (tree_contains (mn_filing_flow_get_page (flow, "file-review"), "2幢 2单元"));
      press ("review-submit");
      while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
        g_main_context_iteration (NULL, TRUE);
      code = mn_case_code_parse (mn_receipt_page_get_shown (
                                   MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"))),
                                 &error);
      g_assert_no_error (error);

      /* In the store: the unit's code and the address as picked. */
      stored = mn_store_lookup (mn_filing_flow_get_store (flow), code, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (stored->place_code, ==, target);
      g_assert_cmpstr (stored->address_text, ==, names->str);

      mn_kiosk_style_set_large_text (style, FALSE);
      press ("receipt-finish");
      expect_page ("start");
    }
}

static void
test_catalogue_waits (void)
{
  MnCategoryPage *category = MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category"));
  g_autoptr(MnCatalogue) fresh = mn_catalogue_new_default ();
  MnCatalogue *before = mn_category_page_get_catalogue (category);

  press ("start-file");
  mn_test_click (mn_category_page_get_tile (category, "lifts"));
  /* A refreshed catalogue arrives while the person is choosing. */
  mn_filing_flow_set_catalogue (flow, fresh);
  g_assert_true (mn_category_page_get_catalogue (category) == before);
  g_assert_cmpstr (mn_category_page_get_selected (category), ==, "lifts");
  /* It is used from the next person on. */
  mn_window_reset_session (mn_test_window);
  g_assert_true (mn_category_page_get_catalogue (category) == fresh);
}

/* ---- the voice note ---------------------------------------------------- */

static void on_said (MnWindow *window, const char *text, GString *said);

typedef struct
{
  gint64 recording_us; /* when the note went RECORDING: its beep, then the microphone */
} NoteTimes;

static void
on_note_times (NoteTimes   *times,
               GParamSpec  *pspec,
               MnVoiceNote *note)
{
  if (mn_voice_note_get_state (note) == MN_VOICE_NOTE_STATE_RECORDING && times->recording_us == 0)
    times->recording_us = g_get_monotonic_time ();
}


static char *
recordings_dir (void)
{
  return g_build_filename (mn_test_data_dir, "recordings", NULL);
}

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

static void
wait_note (MnVoiceNoteState state)
{
  MnVoiceNote *note = mn_filing_flow_get_voice_note (flow);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (mn_voice_note_get_state (note) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_elapsed (guint ms)
{
  MnVoiceNote *note = mn_filing_flow_get_voice_note (flow);

  /* Record first says how to record: the note starts after that. */
  wait_note (MN_VOICE_NOTE_STATE_RECORDING);
  while (mn_voice_note_get_elapsed_ms (note) < ms)
    {
      g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_RECORDING);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* Records a note of about @ms on the details page, through its buttons. */
static void
record_note (guint ms)
{
  press ("details-record");
  /* The microphone's check may still hold the device (on a busy
   * machine): then recording starts when it is done. */
  wait_note (MN_VOICE_NOTE_STATE_RECORDING);
  wait_elapsed (ms);
  press ("details-stop");
  wait_note (MN_VOICE_NOTE_STATE_RECORDED);
}

static void
test_voice_note (void)
{
  MnDetailsPage *details = MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"));
  MnReceiptPage *receipt = MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"));
  MnVoiceNote *note = mn_filing_flow_get_voice_note (flow);
  MnSpeech *speech = mn_application_get_speech (mn_test_app);
  MnStore *store = mn_filing_flow_get_store (flow);
  g_autofree char *dir = recordings_dir ();
  g_autofree char *path = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *code = NULL;
  g_autofree char *full = NULL;
  g_autoptr(MnRequest) stored = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  MnAttachment *kept;
  GtkWidget *level;
  double volume = speech != NULL ? mn_speech_get_volume (speech) : 1;
  guint64 size = 0;
  guint duration_ms;

  g_assert_nonnull (note);
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  {
    g_autoptr(GString) said = g_string_new (NULL);
    gulong handler = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);

    confirm_category ();
    expect_page ("file-details");
    g_signal_handler_disconnect (mn_test_window, handler);
    /* The page offers a note in a few words; how to record is said only
     * to whoever touches Record. */
    g_assert_nonnull (strstr (said->str, mn_speech_prompt_text (
                                           MN_SPEECH_PROMPT_CHOOSE_DETAILS_OR_RECORD)));
    g_assert_null (strstr (said->str, mn_speech_prompt_text (MN_SPEECH_PROMPT_RECORD_HOW)));
  }
  /* A voice that never says it has finished the instructions holds
   * Record for their length at its rate and a few seconds, not half a
   * minute (the estimate itself is checked against espeak-ng in the
   * speech tests). */
  {
    guint limit = mn_details_page_get_prepare_limit_ms (details);
    guint said = mn_speech_text_estimate_ms (mn_speech_prompt_text (MN_SPEECH_PROMPT_RECORD_HOW),
                                             speech != NULL ? mn_speech_get_rate (speech) : 0);

    g_test_message ("Record waits at most %u ms for its instructions", limit);
    g_assert_cmpuint (said, >, 1000);
    g_assert_cmpuint (limit, >, said);
    g_assert_cmpuint (limit, <=, said + 5000);
    g_assert_cmpuint (limit, <, 15000);
  }

  /* Record, then Stop while the instructions are said: nothing records,
   * and Record is back. */
  press ("details-record");
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  /* At once, not after a frame: the test's voice is quicker than a
   * person's. */
  mn_test_click (find_button ("details-stop"));
  if (speech != NULL)
    while (mn_speech_get_speaking (speech))
      g_main_context_iteration (NULL, TRUE);
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_assert_true (gtk_widget_get_mapped (find_button ("details-record")));

  /* Recording: first the instructions are said, then (the note's beep
   * and) the microphone, with the voice silenced; the seconds and the
   * level show. */
  {
    g_autoptr(GString) said = g_string_new (NULL);
    gulong handler = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
    SinkWatch *watch = speech != NULL ? sink_watch_new (speech) : NULL;
    NoteTimes times = { 0 };
    gulong state_handler = g_signal_connect_swapped (note, "notify::state",
                                                     G_CALLBACK (on_note_times), &times);
    g_autoptr(GArray) events = NULL;
    gboolean instructions_heard = FALSE, instructions_ended = FALSE;
    guint silent_buffers = 0;

    press ("details-record");
    g_signal_handler_disconnect (mn_test_window, handler);
    g_assert_nonnull (strstr (said->str, mn_speech_prompt_text (MN_SPEECH_PROMPT_RECORD_HOW)));
    /* Not yet recording: the screen shows what is said, and Stop. */
    g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
    g_assert_cmpstr (mn_details_page_get_note_status (details), ==,
                     mn_speech_prompt_text (MN_SPEECH_PROMPT_RECORD_HOW));
    g_assert_true (gtk_widget_get_mapped (find_button ("details-stop")));
    wait_note (MN_VOICE_NOTE_STATE_RECORDING);
    if (speech != NULL)
      {
        /* The voice had finished, and is silenced. */
        g_assert_false (mn_speech_get_speaking (speech));
        g_assert_cmpfloat (mn_speech_get_volume (speech), ==, 0);
        /* Something announced while the microphone listens (the idle
         * warning, say) reaches the speakers silent. */
        mn_window_announce (mn_test_window, mn_speech_prompt_text (MN_SPEECH_PROMPT_STILL_THERE));
      }
    wait_elapsed (2300);
    g_signal_handler_disconnect (note, state_handler);
    if (watch != NULL)
      {
        events = sink_watch_events (watch);
        for (guint i = 0; i < events->len; i++)
          {
            const WatchEvent *ev = &g_array_index (events, WatchEvent, i);

            if (ev->at_us < times.recording_us)
              {
                instructions_heard |= ev->kind == WATCH_BUFFER && ev->sum_squares > 0;
                instructions_ended |= ev->kind == WATCH_EOS;
              }
            else if (ev->kind == WATCH_BUFFER)
              {
                /* Nothing audible while the note records. */
                g_assert_cmpfloat (ev->sum_squares, ==, 0);
                silent_buffers++;
              }
          }
        /* The instructions played to their end before the note started. */
        g_assert_true (instructions_heard);
        g_assert_true (instructions_ended);
        g_assert_cmpuint (silent_buffers, >, 0);
        sink_watch_free (watch);
      }
  }
  level = mn_details_page_get_level_bar (details);
  g_assert_true (gtk_widget_get_mapped (level));
  g_assert_cmpfloat (gtk_level_bar_get_value (GTK_LEVEL_BAR (level)), >, 0.5);
  g_assert_nonnull (mn_details_page_get_note_status (details));
  {
    g_autofree char *seconds = g_strdup_printf ("%u", mn_voice_note_get_elapsed_ms (note) / 1000);

    /* The seconds so far are on the screen. */
    g_assert_nonnull (strstr (mn_details_page_get_note_status (details), seconds));
  }
  /* The page is held still while it is measured and photographed (its
   * seconds change under the camera otherwise); the note records on. */
  g_signal_handlers_block_matched (note, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, details);
  /* While it records, no sound lies in clear anywhere in the data
   * directory: the recording is sealed as it comes. */
  mn_test_assert_no_plain_sound (mn_test_data_dir);
  check_page ("2-details-recording");
  g_signal_handlers_unblock_matched (note, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, details);
  mn_details_page_set_voice_note (details, note);
  /* Measuring the page is slow under a sanitizer: a note that reached its
   * minute meanwhile has stopped by itself, as it must. */
  if (mn_voice_note_get_state (note) == MN_VOICE_NOTE_STATE_RECORDING)
    press ("details-stop");
  wait_note (MN_VOICE_NOTE_STATE_RECORDED);
  if (speech != NULL)
    g_assert_cmpfloat (mn_speech_get_volume (speech), ==, volume);
  g_assert_true (mn_details_page_has_voice_note (details));
  check_page ("2-details-voice-note");
  path = g_strdup (mn_voice_note_get_path (note));
  duration_ms = mn_voice_note_get_duration_ms (note);
  g_assert_cmpuint (duration_ms, >=, 2300);
  g_assert_true (g_str_has_prefix (path, dir));

  /* Played back before saving. */
  press ("details-play");
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_PLAYING);
  wait_note (MN_VOICE_NOTE_STATE_RECORDED);

  /* Back and on again keeps the note. */
  press ("flow-back");
  expect_page ("file-category");
  confirm_category ();
  expect_page ("file-details");
  g_assert_true (mn_details_page_has_voice_note (details));
  g_assert_cmpstr (mn_voice_note_get_path (note), ==, path);

  /* The note alone is a description: Next goes on without a sentence. */
  g_assert_null (mn_details_page_dup_text (details));
  press ("details-next");
  expect_page ("file-location");
  press ("location-here");
  press ("location-next");
  press ("contact-anonymous");
  press ("consent-agree");
  expect_page ("file-review");
  g_assert_true (tree_contains (mn_filing_flow_get_page (flow, "file-review"),
                                _("Voice note")));
  check_page ("6-review-voice-note");
  press ("review-play-note");
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_PLAYING);
  wait_note (MN_VOICE_NOTE_STATE_RECORDED);

  /* Change the details: the note is still there, and so is the review. */
  press ("review-change-details");
  expect_page ("file-details");
  g_assert_true (mn_details_page_has_voice_note (details));
  press ("details-next");
  expect_page ("file-review");

  /* What was recorded, opened in memory: the filed note must read back
   * as exactly these Ogg bytes. */
  {
    g_autoptr(GBytes) recorded = mn_voice_note_read (note, &error);

    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (recorded, NULL), 4, "OggS", 4);
    size = g_bytes_get_size (recorded);
    hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, recorded);
  }
  mn_test_assert_no_plain_sound (mn_test_data_dir);
  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);

  /* In the store: the request, described in words, with its note. */
  code = mn_case_code_parse (mn_receipt_page_get_shown (receipt), &error);
  g_assert_no_error (error);
  stored = mn_store_lookup (store, code, &error);
  g_assert_no_error (error);
  expected = mn_voice_note_describe (duration_ms);
  g_assert_cmpstr (stored->description, ==, expected);
  g_assert_true (stored->anonymous);
  attachments = mn_store_list_attachments (store, stored->uuid, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (attachments->len, ==, 1);
  kept = g_ptr_array_index (attachments, 0);
  g_assert_cmpstr (kept->kind, ==, MN_ATTACHMENT_KIND_VOICE_NOTE);
  g_assert_cmpuint (kept->duration_ms, ==, duration_ms);
  g_assert_true (mn_attachment_verify (kept, mn_test_data_dir, &error));
  g_assert_no_error (error);
  /* Sealed at rest: the file is not the recording, and opens (in memory)
   * to exactly the recording. */
  g_assert_true (mn_attachment_is_sealed (kept));
  g_assert_cmpstr (kept->sha256, !=, hash);
  {
    g_autoptr(GBytes) sound = mn_store_read_attachment (store, kept, &error);
    g_autofree char *sound_hash = NULL;

    g_assert_no_error (error);
    g_assert_cmpuint (g_bytes_get_size (sound), ==, size);
    sound_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, sound);
    g_assert_cmpstr (sound_hash, ==, hash);
  }
  full = mn_attachment_dup_full_path (kept, mn_test_data_dir);
  g_assert_true (g_file_test (full, G_FILE_TEST_IS_REGULAR));
  mn_test_assert_no_plain_sound (mn_test_data_dir);
  /* The recording itself is gone as soon as the store has its copy. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 0);

  press ("receipt-finish");
  expect_page ("start");
  g_assert_false (mn_details_page_has_voice_note (details));
  g_assert_null (mn_details_page_get_note_status (details));
  {
    guint seconds = (duration_ms + 500) / 1000;
    g_autofree char *length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second",
                                                            "%u seconds", seconds),
                                               seconds);

    g_assert_false (tree_contains (mn_filing_flow_get_page (flow, "file-review"), length));
  }

  /* A note recorded and then the session ends (Back to the start
   * screen): nothing of it is left on the disk. */
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  record_note (700);
  g_clear_pointer (&path, g_free);
  path = g_strdup (mn_voice_note_get_path (note));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  /* Delete takes it at once. */
  press ("details-delete-note");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_false (mn_details_page_has_voice_note (details));
  /* Recording when the session ends: stopped and deleted. */
  press ("details-record");
  wait_note (MN_VOICE_NOTE_STATE_RECORDING);
  wait_elapsed (300);
  mn_window_reset_session (mn_test_window);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_assert_cmpuint (count_files (dir), ==, 0);
  if (speech != NULL)
    g_assert_cmpfloat (mn_speech_get_volume (speech), >, 0);
}

/* No working microphone: Record is not offered, the page says why (a
 * sentence staff can act on), and the sentences still work. */
static void
test_no_microphone (void)
{
  MnDetailsPage *details = MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"));
  MnVoiceNote *note = mn_filing_flow_get_voice_note (flow);
  g_autoptr(GPtrArray) buttons = NULL;
  g_autoptr(GString) said = g_string_new (NULL);
  gulong handler;

  mn_voice_note_set_source (note, "alsasrc device=hw:97,0");
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  expect_page ("file-details");
  /* The check runs on its own thread, within two seconds; then the
   * page shows the sentence. */
  {
    g_auto(GStrv) parts = g_strsplit (_("The microphone is not working (%s), so no voice note "
                                        "can be recorded. Please choose sentences instead, and "
                                        "tell staff to check the microphone."),
                                      "%s", 2);
    gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

    while (!tree_contains (GTK_WIDGET (details), parts[0]))
      {
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        g_main_context_iteration (NULL, TRUE);
      }
  }
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    g_assert_cmpstr (gtk_widget_get_name (g_ptr_array_index (buttons, i)), !=, "details-record");
  check_page ("2-details-no-microphone");

  /* Next with nothing chosen asks for a sentence only. */
  handler = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
  press ("details-next");
  g_signal_handler_disconnect (mn_test_window, handler);
  expect_page ("file-details");
  g_assert_nonnull (strstr (said->str, _("Please touch at least one sentence first.")));
  press ("phrase-0");
  press ("details-next");
  expect_page ("file-location");

  /* The next person gets the microphone checked again. */
  mn_voice_note_set_source (note, NULL);
  mn_window_reset_session (mn_test_window);
}

/* Every masked form mn_vault_mask_phone() gives with digits on both
 * sides is said as where it starts and ends, never with its stars. */
static void
test_review_says_masked_numbers (void)
{
  static const struct
  {
    const char *shown, *start, *end;
  } numbers[] = {
    { "138****8000", "138", "8000" },
    { "0571-12****34", "0571-12", "34" },
    { "+86 138****8000", "+86 138", "8000" },
  };
  GtkWidget *review = g_object_ref_sink (mn_review_page_new ());

  for (gsize i = 0; i < G_N_ELEMENTS (numbers); i++)
    {
      g_autofree char *said = NULL;
      g_autofree char *number = g_strdup_printf (_("the number that starts %s and ends %s"),
                                                 numbers[i].start, numbers[i].end);

      mn_review_page_set (MN_REVIEW_PAGE (review), "lifts", "broken", "here", numbers[i].shown);
      said = mn_review_page_dup_speech (MN_REVIEW_PAGE (review));
      g_assert_nonnull (strstr (said, number));
      g_assert_null (strstr (said, "*"));
    }
  {
    /* Short and foreign numbers show only how they end. */
    static const struct
    {
      const char *shown, *end;
    } ends[] = {
      { "***45", "45" },
      { "*10", "10" },
      { "+**********58", "58" },
      { "+86 ***45", "45" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (ends); i++)
      {
        g_autofree char *said = NULL;
        g_autofree char *number = g_strdup_printf (_("the number that ends %s"), ends[i].end);

        mn_review_page_set (MN_REVIEW_PAGE (review), "lifts", "broken", "here", ends[i].shown);
        said = mn_review_page_dup_speech (MN_REVIEW_PAGE (review));
        g_assert_nonnull (strstr (said, number));
        g_assert_null (strstr (said, "*"));
      }
  }
  g_object_unref (review);
}

/* Whether Record is on the screen now. */
static gboolean
record_offered (void)
{
  g_autoptr(GPtrArray) buttons = NULL;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), "details-record") == 0)
      return TRUE;
  return FALSE;
}

/* Waits until the microphone probe (started when the category was
 * chosen) is inside the held device. */
static void
wait_held (guint before)
{
  mn_test_hung_src_wait_held (before, 5);
}

static void
set_true (gboolean *flag)
{
  *flag = TRUE;
}

/* Record touched while the microphone probe still holds the device (an
 * ALSA device opens once): nothing starts then, the recording starts as
 * soon as the probe has let go, and Record is offered again afterwards. */
static void
test_record_while_probing (void)
{
  MnDetailsPage *details = MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"));
  MnVoiceNote *note = mn_filing_flow_get_voice_note (flow);
  guint held = mn_test_hung_src_held ();
  gboolean asked = FALSE;
  gulong asked_handler = g_signal_connect_swapped (details, "record", G_CALLBACK (set_true),
                                                   &asked);
  gint64 deadline = g_get_monotonic_time () + 40 * G_USEC_PER_SEC;

  /* The device holds whoever opens it until the test lets it go. */
  mn_voice_note_set_source (note, "mnhungsrc wave=sine freq=440 is-live=true");
  mn_test_hung_src_hold (GST_STATE_CHANGE_NULL_TO_READY);
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  expect_page ("file-details");
  wait_held (held);
  g_assert_true (record_offered ());
  press ("details-record");
  /* Record first says how to record; then the page asks the flow to
   * record, while the probe still has the device. */
  while (!asked)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  /* Nothing is opened a second time meanwhile. */
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_assert_cmpuint (mn_test_hung_src_held (), ==, held + 1);
  mn_test_run_for (0.1);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_signal_handler_disconnect (details, asked_handler);

  /* The probe hears the device and lets go: the recording starts by
   * itself. */
  mn_test_hung_src_release ();
  wait_note (MN_VOICE_NOTE_STATE_RECORDING);
  wait_elapsed (600);
  press ("details-stop");
  wait_note (MN_VOICE_NOTE_STATE_RECORDED);
  g_assert_true (mn_details_page_has_voice_note (details));
  g_assert_cmpuint (mn_voice_note_get_duration_ms (note), >=, 600);
  /* Record is still offered (to record again), and no problem is shown. */
  g_assert_true (record_offered ());
  g_assert_false (tree_contains (GTK_WIDGET (details), _("The microphone does not answer, so no "
                                                         "voice note can be recorded. Please "
                                                         "choose sentences instead, or ask staff "
                                                         "for help.")));
  mn_voice_note_set_source (note, NULL);
  mn_window_reset_session (mn_test_window);
}

/* The longest stretch between two polls of the main loop (as in
 * tests/bench-ui.c). */
static GPollFunc real_poll;
static gint64 busy_since;
static gint64 longest_busy;

static gint
timed_poll (GPollFD *fds,
            guint    nfds,
            gint     timeout)
{
  gint result;

  if (busy_since != 0)
    longest_busy = MAX (longest_busy, g_get_monotonic_time () - busy_since);
  result = real_poll (fds, nfds, timeout);
  busy_since = g_get_monotonic_time ();
  return result;
}

/* A microphone that hangs when it is opened, and Record touched while the
 * probe is stuck in it: the screen keeps being drawn, and within the
 * device's time limit the page shows, and the kiosk says, that the
 * microphone does not answer; Record is no longer offered. */
static void
test_microphone_hangs (void)
{
  MnDetailsPage *details = MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"));
  MnVoiceNote *note = mn_filing_flow_get_voice_note (flow);
  const char *sentence = _("The microphone does not answer, so no voice note can be recorded. "
                           "Please choose sentences instead, or ask staff for help.");
  g_autoptr(GString) said = g_string_new (NULL);
  guint held = mn_test_hung_src_held ();
  gulong handler;
  gint64 t0, shown_us;

  mn_voice_note_set_source (note, "mnhungsrc wave=sine freq=440 is-live=true");
  mn_test_hung_src_hold (GST_STATE_CHANGE_NULL_TO_READY);
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  expect_page ("file-details");
  wait_held (held);

  handler = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);
  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);
  busy_since = 0;
  longest_busy = 0;
  t0 = g_get_monotonic_time ();
  press ("details-record");
  /* (Record first says how to record; the probe's time limit runs from
   * the category's confirmation, the recording's from its start.) */
  while (!tree_contains (GTK_WIDGET (details), sentence) || strstr (said->str, sentence) == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }
  shown_us = g_get_monotonic_time () - t0;
  g_main_context_set_poll_func (NULL, real_poll);
  g_signal_handler_disconnect (mn_test_window, handler);
  g_test_message ("the sentence showed after %.0f ms; longest main-loop stretch meanwhile "
                  "%.1f ms", shown_us / 1000.0, longest_busy / 1000.0);
  /* Drawing the page with its new sentence is the longest stretch (a
   * frame or two when the machine is idle, up to ~100 ms while the whole
   * suite runs on two cores), never the device's time, which is held
   * forever here: the frame-sized bound is /voice-note/device-hangs's,
   * without GTK. */
  g_assert_cmpint (longest_busy, <, 250 * G_TIME_SPAN_MILLISECOND);
  g_assert_nonnull (strstr (said->str, sentence));
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_assert_false (record_offered ());
  check_page ("2-details-microphone-hangs");

  /* The sentences still work. */
  press ("phrase-0");
  press ("details-next");
  expect_page ("file-location");
  mn_test_hung_src_release ();
  mn_voice_note_set_source (note, NULL);
  mn_window_reset_session (mn_test_window);
}

static void
test_timeout_wipes (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autofree char *path = NULL;

  walk_to_review ();
  /* With a voice note too. */
  gtk_widget_activate_action (GTK_WIDGET (mn_test_window), "win.show-page", "s", "file-details");
  expect_page ("file-details");
  record_note (700);
  path = g_strdup (mn_voice_note_get_path (mn_filing_flow_get_voice_note (flow)));
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  press ("details-next");
  expect_page ("file-review");
  /* Nobody touches the screen: warning, then the start screen, wiped. */
  mn_window_set_idle_timeout (mn_test_window, 0.05, 0.1);
  mn_window_note_activity (mn_test_window);
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "start") != 0)
    g_main_context_iteration (NULL, TRUE);
  mn_window_set_idle_timeout (mn_test_window, 90, 20);
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), PHONE));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), "138****8000"));
  g_assert_null (mn_details_page_dup_text (
    MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"))));
  /* The recording is gone from the disk, temporary files included. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_assert_false (mn_details_page_has_voice_note (
    MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"))));
  g_assert_null (mn_details_page_get_note_status (
    MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"))));
}

static char *
write_recorded (MnHandwritingPad *pad,
                guint             n,
                const char       *shot)
{
  char *first = mn_test_feed_recorded (pad, n);

  if (shot != NULL)
    check_page (shot);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_click (mn_handwriting_pad_get_candidate_button (pad, 0));
  return first;
}

static void
test_write_it_myself (void)
{
  MnDetailsPage *details = MN_DETAILS_PAGE (mn_filing_flow_get_page (flow, "file-details"));
  MnWritePage *write = MN_WRITE_PAGE (mn_filing_flow_get_page (flow, "file-write"));
  MnHandwritingPad *pad = MN_HANDWRITING_PAD (mn_write_page_get_pad (write));
  MnReceiptPage *receipt = MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"));
  g_autofree char *one = NULL;
  g_autofree char *two = NULL;
  g_autofree char *three = NULL;
  g_autofree char *written = NULL;
  g_autofree char *phrase = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *code = NULL;
  g_autoptr(MnRequest) stored = NULL;
  g_autoptr(GError) error = NULL;

  if (!mn_write_page_get_available (write))
    {
      /* No recogniser: the details page must not offer what cannot work. */
      g_assert_false (gtk_widget_get_visible (mn_details_page_get_write_button (details)));
      g_test_skip ("No handwriting model on this machine.");
      return;
    }

  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  expect_page ("file-details");
  press ("phrase-0");
  phrase = mn_details_page_dup_text (details);
  press ("details-write");
  expect_page ("file-write");

  one = write_recorded (pad, 0, NULL);
  two = write_recorded (pad, 1, NULL);
  three = write_recorded (pad, 2, "2-write");
  written = g_strconcat (one, two, three, NULL);
  g_assert_cmpstr (mn_write_page_get_text (write), ==, written);
  /* Delete takes the last character only. */
  press ("write-delete");
  g_clear_pointer (&written, g_free);
  written = g_strconcat (one, two, NULL);
  g_assert_cmpstr (mn_write_page_get_text (write), ==, written);
  g_assert_true (tree_contains (GTK_WIDGET (write), written));

  /* Back keeps it, Done returns to the details page with it. */
  press ("flow-back");
  expect_page ("file-details");
  press ("details-write");
  expect_page ("file-write");
  g_assert_cmpstr (mn_write_page_get_text (write), ==, written);
  press ("write-done");
  expect_page ("file-details");
  expected = g_strdup_printf ("%s%s%s", phrase, _("; "), written);
  {
    g_autofree char *text = mn_details_page_dup_text (details);

    g_assert_cmpstr (text, ==, expected);
  }

  press ("details-next");
  press ("location-here");
  press ("location-next");
  type_digits (PHONE);
  gtk_widget_activate_action (mn_contact_page_get_keypad (
                                MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact"))),
                              "keypad.enter", NULL);
  press ("consent-agree");
  expect_page ("file-review");
  g_assert_true (tree_contains (mn_filing_flow_get_page (flow, "file-review"), written));
  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);
  code = mn_case_code_parse (mn_receipt_page_get_shown (receipt), &error);
  g_assert_no_error (error);
  stored = mn_store_lookup (mn_filing_flow_get_store (flow), code, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (stored->description, ==, expected);

  /* Finish wipes what was written. */
  press ("receipt-finish");
  expect_page ("start");
  g_assert_cmpstr (mn_write_page_get_text (write), ==, "");
  g_assert_null (mn_details_page_dup_text (details));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), written));

  /* So does the window's reset, from the middle of writing. */
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), "lifts"));
  confirm_category ();
  press ("details-write");
  g_free (write_recorded (pad, 0, NULL));
  g_assert_cmpstr (mn_write_page_get_text (write), !=, "");
  mn_window_reset_session (mn_test_window);
  g_assert_cmpstr (mn_write_page_get_text (write), ==, "");
  g_assert_null (mn_details_page_dup_text (details));
}

/* The reference platform's lift question: required, yes or no. */
#define LIFT_DEFINITION \
  "{\"service_code\":\"lifts\",\"attributes\":[" \
  "{\"variable\":true,\"code\":\"lift_trapped\",\"datatype\":\"singlevaluelist\"," \
  "\"required\":true,\"order\":1,\"description\":\"Is anyone trapped in the lift?\"," \
  "\"values\":[{\"key\":\"yes\",\"name\":\"Yes, someone is trapped\"}," \
  "{\"key\":\"no\",\"name\":\"No\"}]}," \
  "{\"variable\":true,\"code\":\"lift_faults\",\"datatype\":\"multivaluelist\"," \
  "\"required\":false,\"order\":2,\"description\":\"What else is wrong?\"," \
  "\"values\":[{\"key\":\"door\",\"name\":\"Door\"},{\"key\":\"light\",\"name\":\"Light\"}]}]}"

static void
test_questions (void)
{
  MnStore *store = mn_filing_flow_get_store (flow);
  MnQuestionsPage *questions = MN_QUESTIONS_PAGE (mn_filing_flow_get_page (flow, "file-questions"));
  MnCategoryPage *category = MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category"));
  GtkWidget *next, *yes, *no;
  g_autoptr(GString) buttons_said = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(MnRequest) stored = NULL;
  g_autoptr(GHashTable) answers = NULL;
  g_autofree char *shown = NULL;
  g_autofree char *code = NULL;
  GPtrArray *values;
  gulong handler;

  /* No definition cached for the category: the page is skipped. */
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (category, "lifts"));
  confirm_category ();
  expect_page ("file-details");
  g_assert_null (mn_questions_page_get_questionnaire (questions));
  mn_window_reset_session (mn_test_window);

  g_assert_true (mn_store_set_service_definition (store, "lifts", LIFT_DEFINITION, &error));
  g_assert_no_error (error);

  press ("start-file");
  mn_test_click (mn_category_page_get_tile (category, "lifts"));
  confirm_category ();
  expect_page ("file-questions");
  g_assert_nonnull (mn_questions_page_get_questionnaire (questions));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot ("1b-questions");
  next = find_button ("questions-next");
  yes = find_button ("answer-lift_trapped-yes");
  no = find_button ("answer-lift_trapped-no");
  g_assert_true (yes == mn_questions_page_get_value_button (questions, "lift_trapped", "yes"));
  /* Required and not answered: Next stays (a greyed button explains
   * nothing) and says which question needs an answer. */
  g_assert_true (gtk_widget_is_sensitive (next));
  {
    g_autoptr(GString) said = g_string_new (NULL);
    gulong id = g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_said), said);

    gtk_widget_activate_action (GTK_WIDGET (questions), "questions.next", NULL);
    g_signal_handler_disconnect (mn_test_window, id);
    g_assert_nonnull (strstr (said->str, "Is anyone trapped in the lift?"));
  }
  expect_page ("file-questions");

  handler = g_signal_connect (mn_test_window, "announce-button", G_CALLBACK (on_said), buttons_said);
  press ("answer-lift_trapped-no");
  press ("answer-lift_trapped-yes");
  g_signal_handler_disconnect (mn_test_window, handler);
  g_assert_nonnull (strstr (buttons_said->str, "Yes, someone is trapped"));
  /* One value of a single-value question. */
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  g_assert_false (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (no)));
  g_assert_true (gtk_widget_is_sensitive (next));
  /* A multi-value question toggles each value on its own. */
  press ("answer-lift_faults-door");
  press ("answer-lift_faults-light");
  press ("answer-lift_faults-door");
  g_assert_false (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (mn_questions_page_get_value_button (questions, "lift_faults", "door"))));
  g_assert_true (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (mn_questions_page_get_value_button (questions, "lift_faults", "light"))));
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  check_page ("1b-questions-answered");

  press ("questions-next");
  expect_page ("file-details");
  /* Back to the category and on again: the answer is kept. */
  gtk_widget_activate_action (GTK_WIDGET (mn_test_window), "win.show-page", "s", "file-category");
  confirm_category ();
  expect_page ("file-questions");
  g_assert_true (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (yes)));
  press ("questions-next");
  walk_details_to_review ();
  /* The review shows the question and the answer's name. */
  g_assert_true (tree_contains (mn_filing_flow_get_page (flow, "file-review"),
                                "Is anyone trapped in the lift? Yes, someone is trapped"));
  check_page ("6-review-answers");

  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);
  shown = g_strdup (mn_receipt_page_get_shown (
    MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"))));
  code = mn_case_code_parse (shown, &error);
  g_assert_no_error (error);
  stored = mn_store_lookup (store, code, &error);
  g_assert_no_error (error);
  g_assert_nonnull (stored->attributes);
  answers = mn_questionnaire_answers_from_json (stored->attributes, &error);
  g_assert_no_error (error);
  values = g_hash_table_lookup (answers, "lift_trapped");
  g_assert_nonnull (values);
  g_assert_cmpuint (values->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (values, 0), ==, "yes");
  values = g_hash_table_lookup (answers, "lift_faults");
  g_assert_nonnull (values);
  g_assert_cmpuint (values->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (values, 0), ==, "light");

  /* Finish wipes the answers. */
  press ("receipt-finish");
  expect_page ("start");
  g_assert_null (mn_questions_page_get_questionnaire (questions));
  g_assert_null (mn_questions_page_dup_json (questions));
  g_assert_false (tree_contains (GTK_WIDGET (mn_test_window), "Yes, someone is trapped"));

  /* The next person starts unanswered, and a reset in the middle wipes. */
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (category, "lifts"));
  confirm_category ();
  expect_page ("file-questions");
  g_assert_false (gtk_toggle_button_get_active (
    GTK_TOGGLE_BUTTON (mn_questions_page_get_value_button (questions, "lift_trapped", "yes"))));
  press ("answer-lift_trapped-no");
  mn_window_reset_session (mn_test_window);
  g_assert_null (mn_questions_page_dup_json (questions));

  /* A definition without list questions: no page. */
  g_assert_true (mn_store_set_service_definition (store, "lifts",
                                                  "{\"service_code\":\"lifts\",\"attributes\":[]}",
                                                  &error));
  press ("start-file");
  mn_test_click (mn_category_page_get_tile (category, "lifts"));
  confirm_category ();
  expect_page ("file-details");
  mn_window_reset_session (mn_test_window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* The data directory on a small disk of its own, to be filled. */
  mn_test_want_small_disk (8 * 1024 * 1024);
  /* A microphone that hears a tone, before any thread exists (setenv is
   * not thread-safe). */
  g_setenv ("MINYIN_AUDIO_SOURCE", "audiotestsrc wave=sine freq=440 is-live=true", FALSE);
  if (!mn_test_ui_init (&argc, &argv, "filing"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  gst_init (NULL, NULL);
  mn_test_hung_src_register ();
  flow = mn_application_get_filing_flow (mn_test_app);
  g_assert_nonnull (mn_start_page_get_button (
    MN_START_PAGE (mn_window_get_start_page (mn_test_window)), "file"));

  g_test_add_func ("/filing/file-a-request", test_file_a_request);
  g_test_add_func ("/filing/save-fails", test_save_fails);
  g_test_add_func ("/filing/no-store", test_no_store);
  g_test_add_func ("/filing/print-receipt", test_print_receipt);
  g_test_add_func ("/filing/pick-place", test_pick_place);
  g_test_add_func ("/filing/pick-place-languages", test_pick_place_languages);
  g_test_add_func ("/filing/catalogue-waits", test_catalogue_waits);
  g_test_add_func ("/filing/timeout-wipes", test_timeout_wipes);
  g_test_add_func ("/filing/questions", test_questions);
  g_test_add_func ("/filing/write-it-myself", test_write_it_myself);
  g_test_add_func ("/filing/voice-note", test_voice_note);
  g_test_add_func ("/filing/no-microphone", test_no_microphone);
  g_test_add_func ("/filing/record-while-probing", test_record_while_probing);
  g_test_add_func ("/filing/review-says-masked-numbers", test_review_says_masked_numbers);
  g_test_add_func ("/filing/microphone-hangs", test_microphone_hangs);

  status = g_test_run ();
  mn_test_ui_shutdown ();
  return status;
}
