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
  char      *datatype_description; /* the platform's hint about the format, or NULL */
} MnQuestion;

gboolean    mn_question_is_list       (const MnQuestion *question);
gboolean    mn_question_is_multiple   (const MnQuestion *question);
/* TRUE for string, text, number and datetime: answered without a list. */
gboolean    mn_question_is_free_form  (const MnQuestion *question);

/* What a number question accepts. The Open311 definition has no fields
 * for it, so it is read from `datatype_description`: "integer", "whole",
 * 整数 make it whole numbers only; "decimal", 小数, or a bound written with
 * a decimal point allow a decimal point; a range such as "1-20", "0.5 ~
 * 40", "1 至 20", "1 to 20" gives the bounds. */
typedef enum
{
  MN_NUMBER_ANY,     /* the description says nothing: whole or decimal */
  MN_NUMBER_INTEGER, /* whole numbers only */
  MN_NUMBER_DECIMAL, /* the description invites a decimal point */
} MnNumberFormat;

typedef struct
{
  MnNumberFormat format;
  gboolean       has_range;
  double         min;
  double         max;
} MnNumberRule;

void        mn_question_get_number_rule (const MnQuestion *question,
                                         MnNumberRule     *rule);
/* The most characters a string or text answer may have: 100 for string,
 * 500 for text, or a smaller/larger cap (at most 4000, the platform's
 * limit for a description) read from `datatype_description` ("最多 50 字",
 * "at most 50 characters", "max 50"). 0 for other datatypes. */
guint       mn_question_get_max_chars   (const MnQuestion *question);
/* For a datetime question: FALSE when its description asks for a date
 * only (it says "date" / 日期 and not "time" / 时间). */
gboolean    mn_question_wants_time      (const MnQuestion *question);
/* One sentence telling a person what a number question accepts ("Give a
 * whole number from 1 to 20."), in the current language. */
char       *mn_question_dup_number_hint (const MnQuestion *question);

/* THE check of one value against its question, for every way an answer
 * comes in (the kiosk's questions step, `minyin file --attribute`, stored
 * answers): a list value must be one of the keys; a number must be plain
 * digits with at most one decimal point (no exponent, no "inf"), within
 * the rule above; a datetime must be ISO 8601 with seconds optional and an
 * offset from UTC ("2026-11-28T09:00:00+08:00" or "...Z"); a string or text
 * must be valid UTF-8, not blank, without control characters (text may
 * hold line breaks) or direction overrides, and at most
 * mn_question_get_max_chars() characters. Fails with
 * MN_QUESTIONNAIRE_ERROR_INVALID and a sentence naming the question's
 * code; never repeats the refused value (it may be hostile). */
gboolean    mn_question_check_value     (const MnQuestion *question,
                                         const char       *value,
                                         GError          **error);
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

/* The coarse times of day a person can pick for a datetime answer at the
 * kiosk, each stored as one hour of the chosen day. */
typedef enum
{
  MN_TIME_OF_DAY_MORNING,   /* 09:00 */
  MN_TIME_OF_DAY_AFTERNOON, /* 15:00 */
  MN_TIME_OF_DAY_EVENING,   /* 19:00 */
  MN_TIME_OF_DAY_NIGHT,     /* 23:00 */
  MN_N_TIMES_OF_DAY
} MnTimeOfDay;

/* "Morning"..., translated. */
const char  *mn_time_of_day_get_name     (MnTimeOfDay time_of_day);
/* The time of day an hour falls in (5-11 morning, 12-17 afternoon, 18-21
 * evening, else night). */
MnTimeOfDay  mn_time_of_day_from_hour    (int         hour);
/* The ISO 8601 text of @day's date at @time_of_day's hour (or at noon when
 * @time_of_day is negative: a date-only answer, noon so that no time zone
 * moves it to another day), with @day's offset: "2026-11-27T19:00:00+08:00".
 * @day is in the terminal's zone (g_date_time_new_now_local() and days
 * added to it). */
char        *mn_questionnaire_format_datetime (GDateTime *day,
                                               int        time_of_day);
/* Parses an answer as mn_question_check_value() accepts it; NULL if not. */
GDateTime   *mn_questionnaire_parse_datetime  (const char *value);
/* @when's date in words in the current language, with how long ago it is
 * from @now when that is a week or less ("Yesterday: Friday, 27 November
 * 2026"), for the screen and the voice. Both in the terminal's zone. */
char        *mn_questionnaire_describe_date    (GDateTime *when,
                                                GDateTime *now);
/* An answer as a person reads it: a list value's name, a datetime in
 * words (with the time of day when @question wants one), else the value. */
char        *mn_question_describe_value        (const MnQuestion *question,
                                                const char       *value,
                                                GDateTime        *now);

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
