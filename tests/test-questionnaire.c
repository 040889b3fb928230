/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <string.h>

#include "mn-questionnaire.h"

/* The lift category of the reference platform, with booleans as strings
 * the way some servers send them, and two of the terminal's own facts. */
static const char LIFT[] =
  "[{\"service_code\":\"lift\",\"attributes\":["
  "{\"variable\":\"true\",\"code\":\"building\",\"datatype\":\"string\",\"required\":false,"
  "\"order\":2,\"description\":\"楼栋及单元\"},"
  "{\"variable\":true,\"code\":\"lift_trapped\",\"datatype\":\"singlevaluelist\","
  "\"required\":\"true\",\"order\":1,\"description\":\"是否有人被困\","
  "\"values\":[{\"key\":\"yes\",\"name\":\"有人被困\"},{\"key\":\"no\",\"name\":\"无人被困\"}]},"
  "{\"variable\":true,\"code\":\"noise_source\",\"datatype\":\"multivaluelist\",\"order\":3,"
  "\"description\":\"来源\",\"values\":[{\"key\":\"shop\",\"name\":\"商铺\"},"
  "{\"key\":\"pets\",\"name\":\"宠物\"}]},"
  "{\"variable\":false,\"code\":\"note\",\"datatype\":\"text\",\"description\":\"说明\"},"
  "{\"variable\":true,\"code\":\"urgency\",\"datatype\":\"singlevaluelist\",\"order\":103,"
  "\"values\":[{\"key\":\"routine\",\"name\":\"常规\"}]},"
  "{\"variable\":true,\"code\":\"client_uuid\",\"datatype\":\"string\",\"order\":101}]}]";

static void
test_parse (void)
{
  g_autoptr(GError)          error = NULL;
  g_autoptr(MnQuestionnaire) q = mn_questionnaire_parse (LIFT, -1, &error);
  const MnQuestion          *first;

  g_assert_no_error (error);
  /* Sorted by order; the information-only and the terminal's own left out. */
  g_assert_cmpuint (mn_questionnaire_get_n_questions (q), ==, 3);
  first = mn_questionnaire_get_question (q, 0);
  g_assert_cmpstr (first->code, ==, "lift_trapped");
  g_assert_true (first->required);
  g_assert_true (mn_question_is_list (first));
  g_assert_false (mn_question_is_multiple (first));
  g_assert_cmpstr (mn_question_get_value_name (first, "yes"), ==, "有人被困");
  g_assert_cmpstr (mn_questionnaire_get_question (q, 1)->code, ==, "building");
  g_assert_false (mn_questionnaire_get_question (q, 1)->required);
  g_assert_null (mn_questionnaire_lookup (q, "urgency"));
  g_assert_null (mn_questionnaire_lookup (q, "note"));

  g_assert_null (mn_questionnaire_parse ("<html>portal</html>", -1, &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_PARSE);
}

static void
test_check (void)
{
  g_autoptr(MnQuestionnaire) q = mn_questionnaire_parse (LIFT, -1, NULL);
  g_autoptr(GHashTable)      answers = mn_questionnaire_answers_new ();
  g_autoptr(GError)          error = NULL;

  g_assert_false (mn_questionnaire_check (q, answers, &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "lift_trapped"));
  g_clear_error (&error);

  mn_questionnaire_answers_add (answers, "lift_trapped", "maybe");
  g_assert_false (mn_questionnaire_check (q, answers, &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "yes (有人被困), no (无人被困)"));
  g_clear_error (&error);

  g_hash_table_remove_all (answers);
  mn_questionnaire_answers_add (answers, "lift_trapped", "yes");
  mn_questionnaire_answers_add (answers, "lift_trapped", "no");
  g_assert_false (mn_questionnaire_check (q, answers, &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID);
  g_clear_error (&error);

  g_hash_table_remove_all (answers);
  mn_questionnaire_answers_add (answers, "lift_trapped", "yes");
  mn_questionnaire_answers_add (answers, "floor", "3");
  g_assert_false (mn_questionnaire_check (q, answers, &error));
  g_assert_nonnull (strstr (error->message, "lift_trapped, building, noise_source"));
  g_clear_error (&error);

  g_hash_table_remove (answers, "floor");
  mn_questionnaire_answers_add (answers, "noise_source", "shop");
  g_assert_true (mn_questionnaire_check (q, answers, &error));
  g_assert_no_error (error);
}

static void
test_json (void)
{
  g_autoptr(MnQuestionnaire) q = mn_questionnaire_parse (LIFT, -1, NULL);
  g_autoptr(GHashTable)      answers = mn_questionnaire_answers_new ();
  g_autoptr(GHashTable)      back = NULL;
  g_autofree char           *json = NULL;
  g_autoptr(GError)          error = NULL;

  g_assert_null (mn_questionnaire_answers_to_json (q, answers));
  mn_questionnaire_answers_add (answers, "noise_source", "shop");
  mn_questionnaire_answers_add (answers, "lift_trapped", "yes");
  json = mn_questionnaire_answers_to_json (q, answers);
  /* Codes sorted; a multi-value question is a list even with one value. */
  g_assert_cmpstr (json, ==, "{\"lift_trapped\":\"yes\",\"noise_source\":[\"shop\"]}");
  back = mn_questionnaire_answers_from_json (json, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (back), ==, 2);
  g_assert_null (mn_questionnaire_answers_from_json ("[1]", &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_PARSE);
}

/* The free-form questions of the reference platform's water-leak
 * category, and a few more shapes of datatype_description. */
static const char FREEFORM[] =
  "{\"service_code\":\"leak\",\"attributes\":["
  "{\"variable\":true,\"code\":\"leak_since\",\"datatype\":\"datetime\",\"required\":true,"
  "\"order\":1,\"description\":\"什么时候开始漏水\",\"datatype_description\":\"日期和时间\"},"
  "{\"variable\":true,\"code\":\"leak_spots\",\"datatype\":\"number\",\"required\":true,"
  "\"order\":2,\"description\":\"有几处漏水\",\"datatype_description\":\"整数，1-20\"},"
  "{\"variable\":true,\"code\":\"leak_where\",\"datatype\":\"text\",\"required\":false,"
  "\"order\":3,\"description\":\"漏水的位置\",\"datatype_description\":\"最多 30 字\"},"
  "{\"variable\":true,\"code\":\"temp\",\"datatype\":\"number\",\"order\":4,"
  "\"description\":\"温度\",\"datatype_description\":\"-5.5 ~ 40\"},"
  "{\"variable\":true,\"code\":\"depth\",\"datatype\":\"number\",\"order\":5,"
  "\"description\":\"水深\",\"datatype_description\":\"decimal\"},"
  "{\"variable\":true,\"code\":\"count\",\"datatype\":\"number\",\"order\":6,"
  "\"description\":\"数量\",\"datatype_description\":null},"
  "{\"variable\":true,\"code\":\"day\",\"datatype\":\"datetime\",\"order\":7,"
  "\"description\":\"哪一天\",\"datatype_description\":\"date only\"},"
  "{\"variable\":true,\"code\":\"room\",\"datatype\":\"string\",\"order\":8,"
  "\"description\":\"房号\"}]}";

static gboolean
value_ok (const MnQuestionnaire *q,
          const char            *code,
          const char            *value)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = mn_question_check_value (mn_questionnaire_lookup (q, code), value, &error);

  g_assert_true (ok == (error == NULL));
  if (error != NULL)
    {
      g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID);
      /* A sentence naming the question, never echoing a hostile value. */
      g_assert_nonnull (strstr (error->message, code));
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      g_assert_cmpuint (strlen (error->message), <, 400);
    }
  return ok;
}

static void
test_number (void)
{
  g_autoptr(MnQuestionnaire) q = mn_questionnaire_parse (FREEFORM, -1, NULL);
  MnNumberRule rule;

  mn_question_get_number_rule (mn_questionnaire_lookup (q, "leak_spots"), &rule);
  g_assert_cmpint (rule.format, ==, MN_NUMBER_INTEGER);
  g_assert_true (rule.has_range);
  g_assert_cmpfloat (rule.min, ==, 1);
  g_assert_cmpfloat (rule.max, ==, 20);
  mn_question_get_number_rule (mn_questionnaire_lookup (q, "temp"), &rule);
  g_assert_cmpint (rule.format, ==, MN_NUMBER_DECIMAL);
  g_assert_cmpfloat (rule.min, ==, -5.5);
  g_assert_cmpfloat (rule.max, ==, 40);
  mn_question_get_number_rule (mn_questionnaire_lookup (q, "depth"), &rule);
  g_assert_cmpint (rule.format, ==, MN_NUMBER_DECIMAL);
  g_assert_false (rule.has_range);
  mn_question_get_number_rule (mn_questionnaire_lookup (q, "count"), &rule);
  g_assert_cmpint (rule.format, ==, MN_NUMBER_ANY);

  /* Bounds, inclusive. */
  g_assert_true (value_ok (q, "leak_spots", "1"));
  g_assert_true (value_ok (q, "leak_spots", "20"));
  g_assert_true (value_ok (q, "leak_spots", "007"));
  g_assert_false (value_ok (q, "leak_spots", "0"));
  g_assert_false (value_ok (q, "leak_spots", "21"));
  g_assert_false (value_ok (q, "leak_spots", "-3"));
  /* Whole numbers only. */
  g_assert_false (value_ok (q, "leak_spots", "2.5"));
  g_assert_true (value_ok (q, "temp", "-5.5"));
  g_assert_true (value_ok (q, "temp", "18.5"));
  g_assert_false (value_ok (q, "temp", "-5.6"));
  g_assert_false (value_ok (q, "temp", "40.01"));
  g_assert_true (value_ok (q, "count", "18.5"));
  /* Only plain digits: what strtod would also take is refused. */
  for (guint i = 0; i < 14; i++)
    {
      static const char *const bad[] = {
        "", " 3", "3 ", "+3", "1e3", "0x1A", "inf", "nan", "3.", ".5", "1,5", "1.2.3",
        "12345678901234567", "３",
      };

      g_assert_false (value_ok (q, "count", bad[i]));
    }
  /* The hint a person hears says what is allowed. */
  {
    g_autofree char *hint = mn_question_dup_number_hint (mn_questionnaire_lookup (q, "leak_spots"));

    g_assert_nonnull (strstr (hint, "1"));
    g_assert_nonnull (strstr (hint, "20"));
  }
}

static void
test_datetime (void)
{
  g_autoptr(MnQuestionnaire) q = mn_questionnaire_parse (FREEFORM, -1, NULL);
  g_autoptr(GTimeZone) shanghai = g_time_zone_new_identifier ("+08:00");
  g_autoptr(GDateTime) day = g_date_time_new (shanghai, 2026, 11, 27, 3, 4, 5);
  g_autoptr(GDateTime) now = g_date_time_new (shanghai, 2026, 11, 28, 10, 0, 0);
  g_autoptr(GDateTime) back = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *noon = NULL;
  g_autofree char *words = NULL;

  g_assert_true (value_ok (q, "leak_since", "2026-11-28T09:00:00+08:00"));
  g_assert_true (value_ok (q, "leak_since", "2026-11-28T09:00+08:00"));
  g_assert_true (value_ok (q, "leak_since", "2026-11-28T01:00:00Z"));
  g_assert_true (value_ok (q, "leak_since", "2026-11-28T01:00:00-05:30"));
  /* No offset: the moment is unknown. */
  g_assert_false (value_ok (q, "leak_since", "2026-11-28T09:00:00"));
  g_assert_false (value_ok (q, "leak_since", "2026-11-28"));
  g_assert_false (value_ok (q, "leak_since", "2026-11-28 09:00:00+08:00"));
  g_assert_false (value_ok (q, "leak_since", "2026-W48-6T09:00:00+08:00"));
  g_assert_false (value_ok (q, "leak_since", "2026-13-28T09:00:00+08:00"));
  g_assert_false (value_ok (q, "leak_since", "2026-02-30T09:00:00+08:00"));
  g_assert_false (value_ok (q, "leak_since", "2026-11-28T25:00:00+08:00"));
  g_assert_false (value_ok (q, "leak_since", "yesterday"));
  g_assert_false (value_ok (q, "leak_since", "2026-11-28T09:00:00+08:00\n"));

  /* What the kiosk's chooser stores: the chosen day, the time of day's
   * hour, the terminal's offset. */
  iso = mn_questionnaire_format_datetime (day, MN_TIME_OF_DAY_EVENING);
  g_assert_cmpstr (iso, ==, "2026-11-27T19:00:00+08:00");
  g_assert_true (value_ok (q, "leak_since", iso));
  noon = mn_questionnaire_format_datetime (day, -1);
  g_assert_cmpstr (noon, ==, "2026-11-27T12:00:00+08:00");
  back = mn_questionnaire_parse_datetime (iso);
  g_assert_nonnull (back);
  g_assert_cmpint (mn_time_of_day_from_hour (g_date_time_get_hour (back)), ==,
                   MN_TIME_OF_DAY_EVENING);
  for (int t = 0; t < MN_N_TIMES_OF_DAY; t++)
    {
      g_autofree char *s = mn_questionnaire_format_datetime (day, t);
      g_autoptr(GDateTime) p = mn_questionnaire_parse_datetime (s);

      g_assert_cmpint (mn_time_of_day_from_hour (g_date_time_get_hour (p)), ==, t);
    }

  g_assert_true (mn_question_wants_time (mn_questionnaire_lookup (q, "leak_since")));
  g_assert_false (mn_question_wants_time (mn_questionnaire_lookup (q, "day")));

  /* In words, English in this test: weekday, day, month, year, how long ago. */
  words = mn_question_describe_value (mn_questionnaire_lookup (q, "leak_since"), iso, now);
  g_assert_cmpstr (words, ==, "Yesterday: Friday, 27 November 2026, Evening");
  g_clear_pointer (&words, g_free);
  words = mn_question_describe_value (mn_questionnaire_lookup (q, "day"), noon, now);
  g_assert_cmpstr (words, ==, "Yesterday: Friday, 27 November 2026");
  g_clear_pointer (&words, g_free);
  {
    g_autoptr(GDateTime) week = g_date_time_add_days (now, -7);
    g_autoptr(GDateTime) long_ago = g_date_time_add_days (now, -30);

    words = mn_questionnaire_describe_date (week, now);
    g_assert_cmpstr (words, ==, "7 days ago: Saturday, 21 November 2026");
    g_clear_pointer (&words, g_free);
    words = mn_questionnaire_describe_date (long_ago, now);
    g_assert_cmpstr (words, ==, "Thursday, 29 October 2026");
    g_clear_pointer (&words, g_free);
    words = mn_questionnaire_describe_date (now, now);
    g_assert_true (g_str_has_prefix (words, "Today: "));
  }
}

static void
test_text (void)
{
  g_autoptr(MnQuestionnaire) q = mn_questionnaire_parse (FREEFORM, -1, NULL);
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autoptr(GString) thirty = g_string_new (NULL);

  g_assert_cmpuint (mn_question_get_max_chars (mn_questionnaire_lookup (q, "leak_where")), ==, 30);
  g_assert_cmpuint (mn_question_get_max_chars (mn_questionnaire_lookup (q, "room")), ==, 100);
  g_assert_cmpuint (mn_question_get_max_chars (mn_questionnaire_lookup (q, "leak_spots")), ==, 0);

  g_assert_true (value_ok (q, "leak_where", "厨房水管"));
  g_assert_true (value_ok (q, "leak_where", "厨房\n卫生间"));
  g_assert_true (value_ok (q, "room", "3号楼 2单元 501"));
  /* Counted in characters, not bytes. */
  for (guint i = 0; i < 30; i++)
    g_string_append (thirty, "漏");
  g_assert_true (value_ok (q, "leak_where", thirty->str));
  g_string_append (thirty, "水");
  g_assert_false (value_ok (q, "leak_where", thirty->str));
  /* 10,000 characters. */
  for (guint i = 0; i < 10000; i++)
    g_string_append_c (long_text, 'a' + i % 26);
  g_assert_false (value_ok (q, "room", long_text->str));
  /* Hostile: control characters, line breaks in a one-line answer,
   * direction overrides, invalid UTF-8, blank. */
  g_assert_false (value_ok (q, "room", "501\n"));
  g_assert_false (value_ok (q, "leak_where", "厨房\x1b[2J"));
  g_assert_false (value_ok (q, "leak_where", "a\x7f"));
  g_assert_false (value_ok (q, "leak_where", "a\xc2\x85"));
  g_assert_false (value_ok (q, "leak_where", "\xe2\x80\xae" "evil"));
  g_assert_false (value_ok (q, "leak_where", "\xe2\x81\xa6" "1\xe2\x81\xa9"));
  g_assert_false (value_ok (q, "leak_where", "\xff\xfe"));
  g_assert_false (value_ok (q, "leak_where", "ab\xe6\xbc"));
  g_assert_false (value_ok (q, "leak_where", "   \n "));
  g_assert_false (value_ok (q, "leak_where", ""));
}

/* The whole questionnaire goes through the same per-value check. */
static void
test_check_freeform (void)
{
  g_autoptr(MnQuestionnaire) q = mn_questionnaire_parse (FREEFORM, -1, NULL);
  g_autoptr(GHashTable) answers = mn_questionnaire_answers_new ();
  g_autoptr(GError) error = NULL;

  mn_questionnaire_answers_add (answers, "leak_since", "2026-11-27T19:00:00+08:00");
  g_assert_false (mn_questionnaire_check (q, answers, &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_MISSING);
  g_assert_nonnull (strstr (error->message, "leak_spots"));
  g_clear_error (&error);
  mn_questionnaire_answers_add (answers, "leak_spots", "25");
  g_assert_false (mn_questionnaire_check (q, answers, &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID);
  g_clear_error (&error);
  g_hash_table_remove (answers, "leak_spots");
  mn_questionnaire_answers_add (answers, "leak_spots", "2");
  mn_questionnaire_answers_add (answers, "leak_where", "厨房\x01");
  g_assert_false (mn_questionnaire_check (q, answers, &error));
  g_assert_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID);
  g_clear_error (&error);
  g_hash_table_remove (answers, "leak_where");
  mn_questionnaire_answers_add (answers, "leak_where", "厨房");
  g_assert_true (mn_questionnaire_check (q, answers, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/questionnaire/parse", test_parse);
  g_test_add_func ("/questionnaire/check", test_check);
  g_test_add_func ("/questionnaire/json", test_json);
  g_test_add_func ("/questionnaire/number", test_number);
  g_test_add_func ("/questionnaire/datetime", test_datetime);
  g_test_add_func ("/questionnaire/text", test_text);
  g_test_add_func ("/questionnaire/check-freeform", test_check_freeform);
  return g_test_run ();
}
