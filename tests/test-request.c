/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mn-request.h"

static void
test_urgency_words (void)
{
  const struct
  {
    MnUrgency   urgency;
    const char *word;
    gint64      limit;
  } levels[] = {
    { MN_URGENCY_IMMEDIATE, "immediate", 2 * 3600 },
    { MN_URGENCY_SAME_DAY, "same_day", 24 * 3600 },
    { MN_URGENCY_ROUTINE, "routine", 7 * 24 * 3600 },
    { MN_URGENCY_DISPUTE, "dispute", 15 * 24 * 3600 },
  };
  MnUrgency u = MN_URGENCY_ROUTINE;

  for (guint i = 0; i < G_N_ELEMENTS (levels); i++)
    {
      g_assert_cmpstr (mn_urgency_to_string (levels[i].urgency), ==, levels[i].word);
      g_assert_true (mn_urgency_from_string (levels[i].word, &u));
      g_assert_cmpint (u, ==, levels[i].urgency);
      g_assert_cmpint (mn_urgency_time_limit (levels[i].urgency), ==, levels[i].limit);
    }

  g_assert_true (mn_urgency_from_string ("Same-Day", &u));
  g_assert_cmpint (u, ==, MN_URGENCY_SAME_DAY);
  g_assert_false (mn_urgency_from_string ("urgent", &u));
  g_assert_false (mn_urgency_from_string (NULL, &u));
  g_assert_false (mn_urgency_from_string ("", &u));
}

static void
test_channel_words (void)
{
  const char *words[] = { "kiosk", "assisted", "field" };
  MnChannel   c;

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      g_assert_true (mn_channel_from_string (words[i], &c));
      g_assert_cmpstr (mn_channel_to_string (c), ==, words[i]);
    }
  g_assert_false (mn_channel_from_string ("web", &c));
}

static void
test_request_refcount (void)
{
  MnRequest *r = mn_request_new ();
  GType      type = MN_TYPE_REQUEST;
  MnRequest *copy;

  g_assert_true (G_TYPE_IS_BOXED (type));
  r->description = g_strdup ("路灯坏了");
  copy = g_boxed_copy (type, r);
  g_assert_true (copy == r);
  g_boxed_free (type, copy);
  g_assert_cmpstr (r->description, ==, "路灯坏了");
  g_assert_cmpint (r->urgency, ==, MN_URGENCY_ROUTINE);
  mn_request_unref (r);
}

static void
test_contact (void)
{
  g_autoptr(MnContact) c = mn_contact_new ("张三", "13800138000");

  g_assert_cmpstr (c->name, ==, "张三");
  g_assert_cmpstr (c->phone, ==, "13800138000");
  mn_contact_free (NULL);
}

static void
test_clean_text (void)
{
  struct
  {
    const char *in;
    const char *out;
  } ok[] = {
    { "  路灯坏了  ", "路灯坏了" },
    { "\u3000路灯\u3000", "路灯" },                      /* ideographic spaces */
    { "line1\r\nline2\rline3", "line1\nline2\nline3" },  /* CR LF and CR → LF */
    { "tab\there", "tab\there" },
    { "bell\aesc\x1b[31mred", "bellesc[31mred" },         /* controls removed */
    { "c1\xc2\x85x", "c1x" },                             /* NEL, a C1 control */
    { "'; DROP TABLE requests; --", "'; DROP TABLE requests; --" },
    { "Robert\"); %s %n \\ 😀🏠", "Robert\"); %s %n \\ 😀🏠" },
    { "e\xcc\x81", "\xc3\xa9" },                          /* NFC */
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char  *clean = mn_request_clean_text (ok[i].in, 100, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (clean, ==, ok[i].out);
    }
}

static void
test_clean_text_refusals (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *clean = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);

  clean = mn_request_clean_text ("abc\xff\xfe", 100, &error);
  g_assert_null (clean);
  g_assert_error (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_INVALID_TEXT);
  g_clear_error (&error);

  clean = mn_request_clean_text (" \t\r\n\u3000\x01 ", 100, &error);
  g_assert_null (clean);
  g_assert_error (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_EMPTY);
  g_clear_error (&error);

  /* Characters, not bytes: 4,000 Chinese characters are within the limit,
   * 4,003 are three over, and the message says so. */
  for (guint i = 0; i < MN_DESCRIPTION_MAX_CHARS; i++)
    g_string_append (long_text, "诉");
  clean = mn_request_clean_text (long_text->str, MN_DESCRIPTION_MAX_CHARS, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_utf8_strlen (clean, -1), ==, MN_DESCRIPTION_MAX_CHARS);
  g_clear_pointer (&clean, g_free);

  g_string_append (long_text, "求求求");
  clean = mn_request_clean_text (long_text->str, MN_DESCRIPTION_MAX_CHARS, &error);
  g_assert_null (clean);
  g_assert_error (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "3 characters over"));
  g_assert_nonnull (strstr (error->message, "4000"));
  g_clear_error (&error);

  clean = mn_request_clean_text ("abcd", 3, &error);
  g_assert_error (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "1 character over"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/request/urgency", test_urgency_words);
  g_test_add_func ("/request/channel", test_channel_words);
  g_test_add_func ("/request/refcount", test_request_refcount);
  g_test_add_func ("/request/contact", test_contact);
  g_test_add_func ("/request/clean-text", test_clean_text);
  g_test_add_func ("/request/clean-text-refusals", test_clean_text_refusals);

  return g_test_run ();
}
