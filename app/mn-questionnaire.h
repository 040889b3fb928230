/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A category's extra questions (the "attributes" of an Open311 service
 * definition, services/CODE.json) and a person's answers to them.
 *
 * Answers are kept as a JSON object, code → value (a string) or [values]
 * (an array of strings, for a multi-value question). That text is what
 * the store keeps in requests.attributes and MnRequest.attributes, and
 * what the sync code turns into attribute[CODE] / attribute[CODE][]. In
 * memory the answers are a GHashTable code → GPtrArray of strings. */

#define MN_QUESTIONNAIRE_ERROR (mn_questionnaire_error_quark ())
typedef enum
{
  MN_QUESTIONNAIRE_ERROR_PARSE,   /* the definition or the answers are not usable JSON */
  MN_QUESTIONNAIRE_ERROR_INVALID, /* an answer the definition does not allow */
  MN_QUESTIONNAIRE_ERROR_MISSING, /* a required question is not answered */
} MnQuestionnaireError;
GQuark mn_questionnaire_error_quark (void);

/* One question a person answers. Owned by its questionnaire. @keys and
 * @names are parallel arrays of strings, empty for free-form questions. */
typedef struct
{
  char      *code;
  char      *datatype;    /* string, number, datetime, text, singlevaluelist, multivaluelist */
  char      *description; /* the question as the platform words it; never NULL */
  gboolean   required;
  gint       order;
  GPtrArray *keys;
  GPtrArray *names;
} MnQuestion;

gboolean    mn_question_is_list       (const MnQuestion *question);
gboolean    mn_question_is_multiple   (const MnQuestion *question);
/* The display name of value @key, or NULL when the question has no such
 * value. */
const char *mn_question_get_value_name (const MnQuestion *question,
                                        const char       *key);

typedef struct _MnQuestionnaire MnQuestionnaire;

/* Parses a services/CODE.json body, tolerating what real servers send
 * (a one-element array around the object, booleans as strings, numbers
 * as codes). Keeps only the questions a person answers: `variable`, and
 * not one of the facts the terminal fills in itself (see
 * mn_questionnaire_code_is_reserved()); sorted by `order`. */
MnQuestionnaire  *mn_questionnaire_parse          (const char  *body,
                                                   gssize       length,
                                                   GError     **error);
void              mn_questionnaire_free           (MnQuestionnaire *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnQuestionnaire, mn_questionnaire_free)

guint             mn_questionnaire_get_n_questions (const MnQuestionnaire *self);
const MnQuestion *mn_questionnaire_get_question    (const MnQuestionnaire *self,
                                                    guint                  index);
const MnQuestion *mn_questionnaire_lookup          (const MnQuestionnaire *self,
                                                    const char            *code);

/* TRUE for the attributes through which the terminal sends its own facts
 * (client_uuid, case_code, urgency, channel, helper_id, consent): a person
 * is never asked them and cannot answer them. */
gboolean          mn_questionnaire_code_is_reserved (const char *code);

/* Checks @answers (code → GPtrArray of strings) against the questions:
 * an unknown code, a value outside a list, two values for a single-value
 * question, a number that is not one, or a required question left
 * unanswered each fail with one sentence saying what is allowed. */
gboolean          mn_questionnaire_check           (const MnQuestionnaire *self,
                                                    GHashTable            *answers,
                                                    GError               **error);

/* A new, empty answers table. */
GHashTable       *mn_questionnaire_answers_new     (void);
/* Adds @value to the answers of @code (repeat for several values). */
void              mn_questionnaire_answers_add     (GHashTable  *answers,
                                                    const char  *code,
                                                    const char  *value);
/* The JSON text of @answers, codes sorted; NULL when there are none. A
 * code gets an array when @self (may be NULL) says its question is
 * multi-value or when it has more than one value. */
char             *mn_questionnaire_answers_to_json (const MnQuestionnaire *self,
                                                    GHashTable            *answers);
/* Reads answers back from their JSON text (NULL gives an empty table).
 * Fails on text that is not a JSON object of strings or string arrays. */
GHashTable       *mn_questionnaire_answers_from_json (const char  *json,
                                                      GError     **error);

G_END_DECLS
