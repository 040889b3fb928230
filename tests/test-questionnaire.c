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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/questionnaire/parse", test_parse);
  g_test_add_func ("/questionnaire/check", test_check);
  g_test_add_func ("/questionnaire/json", test_json);
  return g_test_run ();
}
