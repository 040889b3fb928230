/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The questions step with free-form questions, driven as a finger would:
 * a required date and time on the day chooser, a required decimal number
 * on the keypad (a wrong one is refused aloud), a text written on the
 * handwriting pad, an optional date skipped; Back and Change keep every
 * answer; the review lists them in words; the request in the store
 * carries them (the datetime in ISO 8601 with the terminal's offset).
 * Every screen is measured and photographed, in Uyghur too. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-category-page.h"
#include "mn-contact-page.h"
#include "mn-filing-flow.h"
#include "mn-handwriting-pad.h"
#include "mn-keypad.h"
#include "mn-questions-page.h"
#include "mn-receipt-page.h"
#include "mn-test-ui.h"

#define PHONE "13800138000"
#define CATEGORY "water-power"

/* The reference platform's leak category, with a decimal number and an
 * optional date-only question besides. */
#define DEFINITION \
  "{\"service_code\":\"water-power\",\"attributes\":[" \
  "{\"variable\":true,\"code\":\"leak_since\",\"datatype\":\"datetime\",\"required\":true," \
  "\"order\":1,\"description\":\"什么时候开始漏水\",\"datatype_description\":\"日期和时间\"}," \
  "{\"variable\":true,\"code\":\"water_depth\",\"datatype\":\"number\",\"required\":true," \
  "\"order\":2,\"description\":\"积水有多深（厘米）\",\"datatype_description\":\"0.5-50\"}," \
  "{\"variable\":true,\"code\":\"leak_where\",\"datatype\":\"text\",\"required\":false," \
  "\"order\":3,\"description\":\"漏水的位置\",\"datatype_description\":\"最多 30 字\"}," \
  "{\"variable\":true,\"code\":\"last_repair\",\"datatype\":\"datetime\",\"required\":false," \
  "\"order\":4,\"description\":\"上次维修是哪一天\",\"datatype_description\":\"date only\"}," \
  "{\"variable\":true,\"code\":\"client_uuid\",\"datatype\":\"string\",\"order\":101}]}"

static MnFilingFlow *flow;
static GString *said; /* everything announced */

static GtkWidget *
find_button (const char *name)
{
  g_autoptr(GPtrArray) buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);

  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (buttons, i)), name) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static GtkWidget *
find_label (const char *name)
{
  g_autoptr(GPtrArray) labels = mn_test_mapped_of_type (GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (g_ptr_array_index (labels, i)), name) == 0)
      return g_ptr_array_index (labels, i);
  g_error ("no label called %s is on screen", name);
  return NULL;
}

static void
press (const char *name)
{
  GtkWidget *button;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  button = find_button (name);
  if (button == NULL)
    g_error ("no button called %s is on screen (page %s)", name,
             mn_window_get_visible_page (mn_test_window));
  mn_test_click (button);
}

static void
expect_page (const char *page)
{
  g_assert_cmpstr (mn_window_get_visible_page (mn_test_window), ==, page);
}

static MnQuestionsPage *
questions_page (void)
{
  return MN_QUESTIONS_PAGE (mn_filing_flow_get_page (flow, "file-questions"));
}

static const char *
current_code (void)
{
  const MnQuestion *q = mn_questions_page_get_current_question (questions_page ());

  return q != NULL ? q->code : NULL;
}

static void
check_page (const char *shot)
{
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot (shot);
  mn_test_check_sizes (shot);
  mn_test_check_drawn_contrast (shot);
}

/* In Uyghur: the text checks (7 mm capitals; lines 1.4 font sizes apart,
 * measured in each label's own script, so the platform's Chinese
 * questions among Uyghur are held to the Han face's spacing; no text over
 * text), the buttons (>= 16 mm; every one sensitive and in sight is left
 * to the Chinese and English runs) and the contrast as drawn. */
static void
check_page_rtl (const char *shot)
{
  g_autoptr(GPtrArray) buttons = NULL;
  double ppm;

  GdkRectangle screen;
  GdkMonitor *monitor;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_save_shot (shot);
  monitor = gdk_display_get_monitor_at_surface (
    gtk_widget_get_display (GTK_WIDGET (mn_test_window)),
    gtk_native_get_surface (GTK_NATIVE (mn_test_window)));
  gdk_monitor_get_geometry (monitor, &screen);
  /* Nothing may push the window off the screen. */
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (mn_test_window)), <=, screen.width);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (mn_test_window)), <=, screen.height);
  ppm = mn_test_px_per_mm ();
  buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);
      double w = gtk_widget_get_width (b) / ppm;
      double h = gtk_widget_get_height (b) / ppm;
      graphene_rect_t bounds;

      if (MIN (w, h) < 16.0 - 0.05)
        g_error ("%s: button %s is %.1f x %.1f mm", shot, gtk_widget_get_name (b), w, h);
      g_assert_true (gtk_widget_compute_bounds (b, GTK_WIDGET (mn_test_window), &bounds));
      if (bounds.origin.x < 0 || bounds.origin.y < 0 ||
          bounds.origin.x + bounds.size.width > gtk_widget_get_width (GTK_WIDGET (mn_test_window)) ||
          bounds.origin.y + bounds.size.height > gtk_widget_get_height (GTK_WIDGET (mn_test_window)))
        g_error ("%s: button %s is outside the window", shot, gtk_widget_get_name (b));
    }
  mn_test_check_text (shot);
  mn_test_check_drawn_contrast (shot);
}

static void
on_announce (MnWindow   *window,
             const char *text,
             gpointer    data)
{
  g_string_append_printf (said, "%s\n", text);
}

/* What was said since the last call. */
static char *
take_said (void)
{
  char *text = g_strdup (said->str);

  g_string_truncate (said, 0);
  return text;
}

static gboolean
is_pressed (const char *name)
{
  GtkWidget *button = find_button (name);

  g_assert_nonnull (button);
  return gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (button));
}

static void
keypad_type (const char *keys)
{
  GtkWidget *keypad = mn_questions_page_get_keypad (questions_page ());

  gtk_widget_activate_action (keypad, "keypad.clear", NULL);
  for (const char *k = keys; *k != '\0'; k++)
    {
      char digit[2] = { *k, '\0' };

      if (*k == '.')
        g_assert_true (gtk_widget_activate_action (keypad, "keypad.point", NULL));
      else
        g_assert_true (gtk_widget_activate_action (keypad, "keypad.digit", "s", digit));
    }
}

static char *
write_recorded (MnHandwritingPad *pad,
                guint             n,
                const char       *shot)
{
  char *first = mn_test_feed_recorded (pad, n);

  if (shot != NULL && g_str_has_prefix (shot, "ug-"))
    check_page_rtl (shot);
  else if (shot != NULL)
    check_page (shot);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  mn_test_click (mn_handwriting_pad_get_candidate_button (pad, 0));
  return first;
}

static void
start_filing (void)
{
  press ("start-file");
  expect_page ("file-category");
  mn_test_click (mn_category_page_get_tile (
    MN_CATEGORY_PAGE (mn_filing_flow_get_page (flow, "file-category")), CATEGORY));
  press ("category-confirm");
  /* The flow reads the definition on the store's worker first. */
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-category") == 0)
    g_main_context_iteration (NULL, TRUE);
  expect_page ("file-questions");
}

/* Yesterday at 19:00 on this terminal's clock and offset. */
static char *
yesterday_evening (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = g_date_time_add_days (now, -1);

  return mn_questionnaire_format_datetime (day, MN_TIME_OF_DAY_EVENING);
}

static void
test_freeform (void)
{
  MnStore *store = mn_filing_flow_get_store (flow);
  gboolean can_write;
  g_autofree char *expected_since = yesterday_evening ();
  g_autofree char *written = NULL;
  g_autofree char *text = NULL;
  g_autofree char *since_words = NULL;
  g_autofree char *code = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MnRequest) stored = NULL;
  g_autoptr(GHashTable) answers = NULL;
  GPtrArray *values;

  g_assert_true (mn_store_set_service_definition (store, CATEGORY, DEFINITION, &error));
  g_assert_no_error (error);
  can_write = mn_handwriting_pad_get_available (
    MN_HANDWRITING_PAD (mn_questions_page_get_pad (questions_page ())));

  start_filing ();
  /* One screen per free-form question; the text one only where
   * handwriting can be recognised. */
  g_assert_cmpuint (mn_questions_page_get_n_screens (questions_page ()), ==, can_write ? 4 : 3);

  /* ---- datetime, required ---- */
  g_assert_cmpstr (current_code (), ==, "leak_since");
  /* What is read when the page appears: the question, what to do, and
   * why it cannot be left out. */
  {
    g_autofree char *speech = mn_questions_page_dup_speech (questions_page ());

    g_assert_nonnull (strstr (speech, "什么时候开始漏水"));
    g_assert_nonnull (strstr (speech, _("Touch the day, then the time of day, then Next.")));
    g_assert_nonnull (strstr (speech, _("This question must be answered: the office needs the "
                                        "answer to deal with your request.")));
  }
  check_page ("q1-datetime-empty");
  /* Required: no Skip, and Next says why it cannot be skipped. */
  g_assert_null (find_button ("questions-skip"));
  g_free (take_said ());
  press ("questions-next");
  text = take_said ();
  g_assert_nonnull (strstr (text, _("This question cannot be skipped: the office needs the "
                                    "answer to deal with your request.")));
  g_assert_cmpstr (current_code (), ==, "leak_since");
  g_clear_pointer (&text, g_free);

  press ("questions-day-1");
  g_assert_true (is_pressed ("questions-day-1"));
  /* A day without a time of day is not an answer yet. */
  press ("questions-next");
  text = take_said ();
  g_assert_nonnull (strstr (text, _("Touch the time of day: Morning, Afternoon, Evening or "
                                    "Night.")));
  g_assert_cmpstr (current_code (), ==, "leak_since");
  g_clear_pointer (&text, g_free);
  /* The steppers move the chosen day and say the new date. */
  press ("questions-day-earlier");
  g_assert_true (is_pressed ("questions-day-2"));
  g_assert_false (is_pressed ("questions-day-1"));
  press ("questions-day-later");
  g_assert_true (is_pressed ("questions-day-1"));
  press ("questions-time-evening");
  g_assert_true (is_pressed ("questions-time-evening"));
  check_page ("q1-datetime");
  press ("questions-next");

  /* ---- number, required, decimal, 0.5 to 50 ---- */
  g_assert_cmpstr (current_code (), ==, "water_depth");
  /* The screen's question is read when it appears. */
  text = take_said ();
  g_assert_nonnull (strstr (text, "积水有多深（厘米）"));
  g_clear_pointer (&text, g_free);
  g_assert_true (mn_keypad_get_allow_point (MN_KEYPAD (mn_questions_page_get_keypad (questions_page ()))));
  keypad_type ("60");
  gtk_widget_activate_action (mn_questions_page_get_keypad (questions_page ()), "keypad.enter",
                              NULL);
  /* Out of range: the hint is spoken and shown, the screen stays. */
  text = take_said ();
  g_assert_nonnull (strstr (text, "0.5"));
  g_assert_nonnull (strstr (text, "50"));
  g_assert_cmpstr (current_code (), ==, "water_depth");
  check_page ("q2-number-wrong");
  g_clear_pointer (&text, g_free);
  keypad_type ("1.5");
  check_page ("q2-number");
  press ("keypad-enter");

  /* ---- text, optional, at most 30 characters ---- */
  if (can_write)
    {
      MnHandwritingPad *pad = MN_HANDWRITING_PAD (mn_questions_page_get_pad (questions_page ()));
      g_autofree char *one = NULL;
      g_autofree char *two = NULL;
      g_autofree char *three = NULL;

      g_assert_cmpstr (current_code (), ==, "leak_where");
      g_assert_nonnull (find_button ("questions-skip"));
      {
        g_autofree char *speech = mn_questions_page_dup_speech (questions_page ());

        /* Optional: the way out is said, and the length cap. */
        g_assert_nonnull (strstr (speech, _("If you do not know, touch “Skip this question”.")));
        g_assert_nonnull (strstr (speech, "30"));
      }
      one = write_recorded (pad, 0, NULL);
      two = write_recorded (pad, 1, NULL);
      three = write_recorded (pad, 2, "q3-text");
      press ("questions-delete");
      written = g_strconcat (one, two, NULL);
      g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_label ("questions-written"))), ==,
                       written);

      /* Back, and Back again: every answer is still there. */
      press ("flow-back");
      g_assert_cmpstr (current_code (), ==, "water_depth");
      g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (mn_questions_page_get_keypad (questions_page ()))),
                       ==, "1.5");
      press ("flow-back");
      g_assert_cmpstr (current_code (), ==, "leak_since");
      g_assert_true (is_pressed ("questions-day-1"));
      g_assert_true (is_pressed ("questions-time-evening"));
      press ("questions-next");
      press ("keypad-enter");
      g_assert_cmpstr (current_code (), ==, "leak_where");
      press ("questions-next");
    }

  /* ---- date only, optional: skipped ---- */
  g_assert_cmpstr (current_code (), ==, "last_repair");
  /* A date only: no time of day is asked. */
  g_assert_null (find_button ("questions-time-evening"));
  press ("questions-day-0");
  check_page ("q4-date-only");
  g_free (take_said ());
  press ("questions-skip");
  expect_page ("file-details");

  press ("phrase-0");
  press ("details-next");
  press ("location-here");
  press ("location-next");
  {
    GtkWidget *keypad = mn_contact_page_get_keypad (
      MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact")));

    for (const char *d = PHONE; *d != '\0'; d++)
      {
        char digit[2] = { *d, '\0' };

        gtk_widget_activate_action (keypad, "keypad.digit", "s", digit);
      }
    gtk_widget_activate_action (keypad, "keypad.enter", NULL);
  }
  press ("consent-agree");
  expect_page ("file-review");

  /* The review lists the answers in words; the skipped one is absent. */
  {
    const MnQuestion *q = mn_questionnaire_lookup (
      mn_questions_page_get_questionnaire (questions_page ()), "leak_since");
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autofree char *summary = mn_questions_page_dup_summary (questions_page ());

    since_words = mn_question_describe_value (q, expected_since, now);
    g_assert_nonnull (strstr (summary, since_words));
    g_assert_nonnull (strstr (summary, "积水有多深（厘米） 1.5"));
    if (written != NULL)
      g_assert_nonnull (strstr (summary, written));
    g_assert_null (strstr (summary, "上次维修"));
  }
  check_page ("q5-review");

  /* Change the category: the same one keeps every answer, and each Next
   * goes through them back to the review. */
  press ("review-change-category");
  expect_page ("file-category");
  press ("category-confirm");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-category") == 0)
    g_main_context_iteration (NULL, TRUE);
  expect_page ("file-questions");
  g_assert_cmpstr (current_code (), ==, "leak_since");
  g_assert_true (is_pressed ("questions-day-1"));
  g_assert_true (is_pressed ("questions-time-evening"));
  press ("questions-next");
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (mn_questions_page_get_keypad (questions_page ()))),
                   ==, "1.5");
  press ("keypad-enter");
  if (can_write)
    press ("questions-next");
  press ("questions-next");
  expect_page ("file-review");

  press ("review-submit");
  while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
    g_main_context_iteration (NULL, TRUE);
  code = mn_case_code_parse (mn_receipt_page_get_shown (
                               MN_RECEIPT_PAGE (mn_filing_flow_get_page (flow, "file-receipt"))),
                             &error);
  g_assert_no_error (error);
  stored = mn_store_lookup (store, code, &error);
  g_assert_no_error (error);
  g_test_message ("stored answers: %s", stored->attributes);
  answers = mn_questionnaire_answers_from_json (stored->attributes, &error);
  g_assert_no_error (error);
  values = g_hash_table_lookup (answers, "leak_since");
  g_assert_nonnull (values);
  g_assert_cmpstr (g_ptr_array_index (values, 0), ==, expected_since);
  /* The terminal's offset (the test runs at +08:00), never "Z" or none. */
  g_assert_true (g_str_has_suffix (expected_since, "+08:00"));
  values = g_hash_table_lookup (answers, "water_depth");
  g_assert_nonnull (values);
  g_assert_cmpstr (g_ptr_array_index (values, 0), ==, "1.5");
  values = g_hash_table_lookup (answers, "leak_where");
  if (written != NULL)
    {
      g_assert_nonnull (values);
      g_assert_cmpstr (g_ptr_array_index (values, 0), ==, written);
    }
  else
    g_assert_null (values);
  g_assert_null (g_hash_table_lookup (answers, "last_repair"));

  /* Finish wipes the answers from the page. */
  press ("receipt-finish");
  expect_page ("start");
  g_assert_null (mn_questions_page_get_questionnaire (questions_page ()));
  g_assert_cmpstr (mn_keypad_get_text (MN_KEYPAD (mn_questions_page_get_keypad (questions_page ()))),
                   ==, "");
  g_string_truncate (said, 0);
}

/* A required text that runs into its cap is told so; the characters
 * past it are not taken. */
static void
test_text_cap (void)
{
  MnStore *store = mn_filing_flow_get_store (flow);
  MnHandwritingPad *pad;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!mn_handwriting_pad_get_available (
        MN_HANDWRITING_PAD (mn_questions_page_get_pad (questions_page ()))))
    {
      g_test_skip ("No handwriting model on this machine.");
      return;
    }
  g_assert_true (mn_store_set_service_definition (
    store, CATEGORY,
    "{\"attributes\":[{\"variable\":true,\"code\":\"room\",\"datatype\":\"string\","
    "\"required\":true,\"order\":1,\"description\":\"房号\",\"datatype_description\":\"最多 2 字\"}]}",
    &error));
  start_filing ();
  pad = MN_HANDWRITING_PAD (mn_questions_page_get_pad (questions_page ()));
  g_assert_cmpstr (current_code (), ==, "room");
  /* Required: no Skip. */
  g_assert_null (find_button ("questions-skip"));
  g_free (write_recorded (pad, 0, NULL));
  g_free (write_recorded (pad, 1, NULL));
  g_string_truncate (said, 0);
  g_free (write_recorded (pad, 2, NULL));
  text = take_said ();
  g_assert_nonnull (strstr (text, "2"));
  {
    g_autofree char *json = mn_questions_page_dup_json (questions_page ());
    g_autoptr(GHashTable) answers = mn_questionnaire_answers_from_json (json, NULL);
    GPtrArray *values = g_hash_table_lookup (answers, "room");

    g_assert_nonnull (values);
    g_assert_cmpint (g_utf8_strlen (g_ptr_array_index (values, 0), -1), ==, 2);
  }
  press ("questions-next");
  expect_page ("file-details");
  mn_window_reset_session (mn_test_window);
}

/* Every kind of screen in Uyghur, right to left, with the keypad and the
 * numbers left to right. */
static void
test_uyghur (void)
{
  MnStore *store = mn_filing_flow_get_store (flow);
  g_autoptr(GError) error = NULL;

  g_assert_true (mn_store_set_service_definition (store, CATEGORY, DEFINITION, &error));
  g_assert_true (mn_window_set_language (mn_test_window, "ug", &error));
  g_assert_no_error (error);
  start_filing ();
  g_assert_cmpint (gtk_widget_get_direction (GTK_WIDGET (questions_page ())), ==,
                   GTK_TEXT_DIR_RTL);
  press ("questions-day-1");
  press ("questions-time-evening");
  check_page_rtl ("ug-q1-datetime");
  press ("questions-next");
  g_assert_cmpint (gtk_widget_get_direction (mn_questions_page_get_keypad (questions_page ())), ==,
                   GTK_TEXT_DIR_LTR);
  keypad_type ("60");
  press ("keypad-enter");
  check_page_rtl ("ug-q2-number-wrong");
  keypad_type ("2.5");
  press ("keypad-enter");
  if (g_strcmp0 (current_code (), "leak_where") == 0)
    {
      g_free (write_recorded (MN_HANDWRITING_PAD (mn_questions_page_get_pad (questions_page ())), 0,
                              "ug-q3-text"));
      press ("questions-next");
    }
  check_page_rtl ("ug-q4-date-only");
  mn_window_reset_session (mn_test_window);
}

int
main (int    argc,
      char **argv)
{
  int status;

  /* A known offset, so that the stored datetime can be checked for it. */
  g_setenv ("TZ", "Asia/Shanghai", TRUE);
  if (!mn_test_ui_init (&argc, &argv, "questions"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  flow = mn_application_get_filing_flow (mn_test_app);
  said = g_string_new (NULL);
  g_signal_connect (mn_test_window, "announce", G_CALLBACK (on_announce), NULL);

  g_test_add_func ("/questions/free-form", test_freeform);
  g_test_add_func ("/questions/text-cap", test_text_cap);
  g_test_add_func ("/questions/uyghur", test_uyghur);

  status = g_test_run ();
  mn_test_ui_shutdown ();
  g_string_free (said, TRUE);
  return status;
}
