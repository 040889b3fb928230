/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "mn-questionnaire.h"

G_DEFINE_QUARK (mn-questionnaire-error-quark, mn_questionnaire_error)

struct _MnQuestionnaire
{
  GPtrArray *questions; /* MnQuestion *, sorted by order */
};

static const char *const reserved_codes[] = {
  "client_uuid", "case_code", "urgency", "channel", "helper_id", "consent",
};

gboolean
mn_questionnaire_code_is_reserved (const char *code)
{
  for (guint i = 0; i < G_N_ELEMENTS (reserved_codes); i++)
    if (g_strcmp0 (code, reserved_codes[i]) == 0)
      return TRUE;
  return FALSE;
}

static void
question_free (MnQuestion *q)
{
  g_free (q->code);
  g_free (q->datatype);
  g_free (q->description);
  g_ptr_array_unref (q->keys);
  g_ptr_array_unref (q->names);
  g_free (q->datatype_description);
  g_free (q);
}

gboolean
mn_question_is_list (const MnQuestion *q)
{
  g_return_val_if_fail (q != NULL, FALSE);
  return g_strcmp0 (q->datatype, "singlevaluelist") == 0 || mn_question_is_multiple (q);
}

gboolean
mn_question_is_multiple (const MnQuestion *q)
{
  g_return_val_if_fail (q != NULL, FALSE);
  return g_strcmp0 (q->datatype, "multivaluelist") == 0;
}

const char *
mn_question_get_value_name (const MnQuestion *q,
                            const char       *key)
{
  g_return_val_if_fail (q != NULL, NULL);
  for (guint i = 0; i < q->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (q->keys, i), key) == 0)
      return g_ptr_array_index (q->names, i);
  return NULL;
}

/* A scalar member as text: servers send codes and keys as strings or
 * numbers. */
static char *
scalar_member (JsonObject *o,
               const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return NULL;
  switch (json_node_get_value_type (n))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (n));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
    default:
      return NULL;
    }
}

/* Booleans come as true/false or as the strings "true"/"false". */
static gboolean
boolean_member (JsonObject *o,
                const char *name,
                gboolean    fallback)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return fallback;
  if (json_node_get_value_type (n) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (n);
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    {
      const char *s = json_node_get_string (n);

      if (g_ascii_strcasecmp (s, "true") == 0 || g_strcmp0 (s, "1") == 0)
        return TRUE;
      if (g_ascii_strcasecmp (s, "false") == 0 || g_strcmp0 (s, "0") == 0)
        return FALSE;
    }
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return json_node_get_int (n) != 0;
  return fallback;
}

static int
compare_order (gconstpointer a,
               gconstpointer b)
{
  const MnQuestion *qa = *(MnQuestion *const *) a;
  const MnQuestion *qb = *(MnQuestion *const *) b;

  if (qa->order != qb->order)
    return qa->order < qb->order ? -1 : 1;
  return strcmp (qa->code, qb->code);
}

static void
set_parse_error (GError **error)
{
  g_set_error_literal (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_PARSE,
                       _("The category's questions from the platform could not be read; refresh "
                         "the catalogue when the terminal is online."));
}

MnQuestionnaire *
mn_questionnaire_parse (const char *body,
                        gssize      length,
                        GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(MnQuestionnaire) self = NULL;
  JsonNode  *root;
  JsonNode  *attrs_node;
  JsonArray *attrs;

  g_return_val_if_fail (body != NULL, NULL);

  if (!json_parser_load_from_data (parser, body, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL)
    {
      set_parse_error (error);
      return NULL;
    }
  /* Some servers wrap the object in a one-element array. */
  if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) == 1)
    root = json_array_get_element (json_node_get_array (root), 0);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_parse_error (error);
      return NULL;
    }

  self = g_new0 (MnQuestionnaire, 1);
  self->questions = g_ptr_array_new_with_free_func ((GDestroyNotify) question_free);

  attrs_node = json_object_get_member (json_node_get_object (root), "attributes");
  if (attrs_node == NULL || JSON_NODE_HOLDS_NULL (attrs_node))
    return g_steal_pointer (&self);
  if (!JSON_NODE_HOLDS_ARRAY (attrs_node))
    {
      set_parse_error (error);
      return NULL;
    }

  attrs = json_node_get_array (attrs_node);
  for (guint i = 0; i < json_array_get_length (attrs); i++)
    {
      JsonNode   *n = json_array_get_element (attrs, i);
      JsonObject *a;
      JsonNode   *values;
      MnQuestion *q;
      char       *code;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      a = json_node_get_object (n);
      code = scalar_member (a, "code");
      /* Non-variable attributes are information for the person, not
       * questions; reserved ones the terminal answers itself. */
      if (code == NULL || *code == '\0' || mn_questionnaire_code_is_reserved (code) ||
          !boolean_member (a, "variable", TRUE) || mn_questionnaire_lookup (self, code) != NULL)
        {
          g_free (code);
          continue;
        }

      q = g_new0 (MnQuestion, 1);
      q->code = code;
      q->datatype = scalar_member (a, "datatype");
      if (q->datatype == NULL)
        q->datatype = g_strdup ("string");
      q->description = scalar_member (a, "description");
      if (q->description == NULL || *q->description == '\0')
        {
          g_free (q->description);
          q->description = g_strdup (q->code);
        }
      q->datatype_description = scalar_member (a, "datatype_description");
      q->required = boolean_member (a, "required", FALSE);
      {
        g_autofree char *order = scalar_member (a, "order");

        q->order = order != NULL ? (gint) strtol (order, NULL, 10) : G_MAXINT;
      }
      q->keys = g_ptr_array_new_with_free_func (g_free);
      q->names = g_ptr_array_new_with_free_func (g_free);
      values = json_object_get_member (a, "values");
      if (values != NULL && JSON_NODE_HOLDS_ARRAY (values))
        {
          JsonArray *va = json_node_get_array (values);

          for (guint j = 0; j < json_array_get_length (va); j++)
            {
              JsonNode *v = json_array_get_element (va, j);
              char     *key;
              char     *name;

              if (!JSON_NODE_HOLDS_OBJECT (v))
                continue;
              key = scalar_member (json_node_get_object (v), "key");
              if (key == NULL)
                continue;
              name = scalar_member (json_node_get_object (v), "name");
              g_ptr_array_add (q->keys, key);
              g_ptr_array_add (q->names, name != NULL ? name : g_strdup (key));
            }
        }
      g_ptr_array_add (self->questions, q);
    }
  g_ptr_array_sort (self->questions, compare_order);

  return g_steal_pointer (&self);
}

void
mn_questionnaire_free (MnQuestionnaire *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->questions);
  g_free (self);
}

guint
mn_questionnaire_get_n_questions (const MnQuestionnaire *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->questions->len;
}

const MnQuestion *
mn_questionnaire_get_question (const MnQuestionnaire *self,
                               guint                  index)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (index < self->questions->len, NULL);
  return g_ptr_array_index (self->questions, index);
}

const MnQuestion *
mn_questionnaire_lookup (const MnQuestionnaire *self,
                         const char            *code)
{
  g_return_val_if_fail (self != NULL, NULL);
  for (guint i = 0; i < self->questions->len; i++)
    {
      MnQuestion *q = g_ptr_array_index (self->questions, i);

      if (g_strcmp0 (q->code, code) == 0)
        return q;
    }
  return NULL;
}

/* "a (name), b (name)": what a person may give for @q. */
static char *
allowed_values (const MnQuestion *q)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < q->keys->len; i++)
    {
      const char *key = g_ptr_array_index (q->keys, i);
      const char *name = g_ptr_array_index (q->names, i);

      if (s->len > 0)
        g_string_append (s, ", ");
      if (g_strcmp0 (key, name) == 0)
        g_string_append (s, key);
      else
        g_string_append_printf (s, "%s (%s)", key, name);
    }
  return g_string_free (s, FALSE);
}

static char *
allowed_codes (const MnQuestionnaire *self)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < self->questions->len; i++)
    {
      const MnQuestion *q = g_ptr_array_index (self->questions, i);

      if (s->len > 0)
        g_string_append (s, ", ");
      g_string_append (s, q->code);
    }
  return g_string_free (s, FALSE);
}

gboolean
mn_question_is_free_form (const MnQuestion *q)
{
  g_return_val_if_fail (q != NULL, FALSE);
  return g_strcmp0 (q->datatype, "string") == 0 || g_strcmp0 (q->datatype, "text") == 0 ||
         g_strcmp0 (q->datatype, "number") == 0 || g_strcmp0 (q->datatype, "datetime") == 0;
}

/* Case-insensitive search for any of @words in the platform's hint. */
static gboolean
description_mentions (const MnQuestion  *q,
                      const char *const *words)
{
  g_autofree char *folded = NULL;

  if (q->datatype_description == NULL || !g_utf8_validate (q->datatype_description, -1, NULL))
    return FALSE;
  folded = g_utf8_casefold (q->datatype_description, -1);
  for (guint i = 0; words[i] != NULL; i++)
    if (strstr (folded, words[i]) != NULL)
      return TRUE;
  return FALSE;
}

void
mn_question_get_number_rule (const MnQuestion *q,
                             MnNumberRule     *rule)
{
  static const char *const integer_words[] = { "integer", "whole", "整数", "整數", NULL };
  static const char *const decimal_words[] = { "decimal", "小数", "小數", NULL };
  g_autoptr(GRegex) range = NULL;
  g_autoptr(GMatchInfo) match = NULL;

  g_return_if_fail (q != NULL && rule != NULL);

  rule->format = MN_NUMBER_ANY;
  rule->has_range = FALSE;
  rule->min = rule->max = 0;
  if (q->datatype_description == NULL || !g_utf8_validate (q->datatype_description, -1, NULL))
    return;

  if (description_mentions (q, integer_words))
    rule->format = MN_NUMBER_INTEGER;
  else if (description_mentions (q, decimal_words))
    rule->format = MN_NUMBER_DECIMAL;

  range = g_regex_new ("(-?[0-9]{1,9}(?:\\.[0-9]{1,6})?)\\s*(?:-|–|—|~|～|至|到|to|\\.\\.)\\s*"
                       "(-?[0-9]{1,9}(?:\\.[0-9]{1,6})?)",
                       G_REGEX_CASELESS, 0, NULL);
  if (g_regex_match (range, q->datatype_description, 0, &match))
    {
      g_autofree char *low = g_match_info_fetch (match, 1);
      g_autofree char *high = g_match_info_fetch (match, 2);
      double a = g_ascii_strtod (low, NULL);
      double b = g_ascii_strtod (high, NULL);

      if (a <= b)
        {
          rule->has_range = TRUE;
          rule->min = a;
          rule->max = b;
          /* "0.5 to 40" asks for decimals without saying so. */
          if (rule->format == MN_NUMBER_ANY && (strchr (low, '.') != NULL || strchr (high, '.') != NULL))
            rule->format = MN_NUMBER_DECIMAL;
        }
    }
}

/* The platform refuses a description over 4,000 characters; no answer
 * to one question needs more. */
#define HARD_MAX_CHARS 4000

guint
mn_question_get_max_chars (const MnQuestion *q)
{
  g_autoptr(GRegex) cap = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  guint fallback;

  g_return_val_if_fail (q != NULL, 0);

  if (g_strcmp0 (q->datatype, "string") == 0)
    fallback = 100;
  else if (g_strcmp0 (q->datatype, "text") == 0)
    fallback = 500;
  else
    return 0;
  if (q->datatype_description == NULL || !g_utf8_validate (q->datatype_description, -1, NULL))
    return fallback;

  cap = g_regex_new ("(?:max(?:imum)?|at most|up to|最多|不超过|不超過)\\s*([0-9]{1,6})"
                     "|([0-9]{1,6})\\s*(?:characters|chars|个字|個字|字)",
                     G_REGEX_CASELESS, 0, NULL);
  if (g_regex_match (cap, q->datatype_description, 0, &match))
    {
      g_autofree char *a = g_match_info_fetch (match, 1);
      g_autofree char *b = g_match_info_fetch (match, 2);
      guint64 n = g_ascii_strtoull (a != NULL && *a != '\0' ? a : b, NULL, 10);

      if (n >= 1 && n <= HARD_MAX_CHARS)
        return (guint) n;
    }
  return fallback;
}

gboolean
mn_question_wants_time (const MnQuestion *q)
{
  static const char *const time_words[] = { "time", "时间", "時間", "时刻", "時刻", NULL };
  static const char *const date_words[] = { "date", "日期", NULL };

  g_return_val_if_fail (q != NULL, TRUE);
  if (description_mentions (q, time_words))
    return TRUE;
  return !description_mentions (q, date_words);
}

/* A bound as people write it: 20, not 20.000000. */
static char *
format_bound (double value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.6g", value));
}

char *
mn_question_dup_number_hint (const MnQuestion *q)
{
  MnNumberRule rule;

  g_return_val_if_fail (q != NULL, NULL);

  mn_question_get_number_rule (q, &rule);
  if (rule.has_range)
    {
      g_autofree char *low = format_bound (rule.min);
      g_autofree char *high = format_bound (rule.max);

      if (rule.format == MN_NUMBER_INTEGER)
        /* Translators: the two %s are the smallest and largest numbers allowed. */
        return g_strdup_printf (_("Give a whole number from %s to %s."), low, high);
      /* Translators: the two %s are the smallest and largest numbers allowed. */
      return g_strdup_printf (_("Give a number from %s to %s."), low, high);
    }
  if (rule.format == MN_NUMBER_INTEGER)
    return g_strdup (_("Give a whole number, such as 3."));
  return g_strdup (_("Give a number, such as 18 or 18.5."));
}

static gboolean
check_number (const MnQuestion *q,
              const char       *v,
              GError          **error)
{
  g_autoptr(GRegex) plain = g_regex_new ("^-?[0-9]{1,15}(\\.[0-9]{1,6})?$", 0, 0, NULL);
  MnNumberRule rule;
  gboolean ok;

  mn_question_get_number_rule (q, &rule);
  /* Only plain decimal digits: strtod would take "1e9", "0x1A", "inf",
   * " 3" and a locale's comma, none of which a platform reads alike. */
  ok = g_regex_match (plain, v, 0, NULL);
  if (ok && rule.format == MN_NUMBER_INTEGER && strchr (v, '.') != NULL)
    ok = FALSE;
  if (ok && rule.has_range)
    {
      double n = g_ascii_strtod (v, NULL);

      ok = n >= rule.min && n <= rule.max;
    }
  if (!ok)
    {
      g_autofree char *hint = mn_question_dup_number_hint (q);

      g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                   /* Translators: %s is a question's code, then a sentence saying what
                    * numbers it takes. */
                   _("The answer to ‘%s’ was not accepted. %s"), q->code, hint);
    }
  return ok;
}

GDateTime *
mn_questionnaire_parse_datetime (const char *value)
{
  /* GLib reads more of ISO 8601 than platforms do (week dates, ordinal
   * dates, no separators): only the common extended form, and always with
   * an offset, so that the time means one moment everywhere. */
  g_autoptr(GRegex) form = g_regex_new ("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?"
                                        "(Z|[+-][0-9]{2}:[0-9]{2})$",
                                        0, 0, NULL);

  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *seconds = NULL;

  if (value == NULL || !g_regex_match (form, value, 0, &match))
    return NULL;
  seconds = g_match_info_fetch (match, 1);
  if (seconds == NULL || *seconds == '\0')
    {
      /* GLib 2.74 wants the seconds; "T09:00" means "T09:00:00". */
      g_autofree char *full = g_strdup_printf ("%.16s:00%s", value, value + 16);

      return g_date_time_new_from_iso8601 (full, NULL);
    }
  return g_date_time_new_from_iso8601 (value, NULL);
}

static gboolean
check_datetime (const MnQuestion *q,
                const char       *v,
                GError          **error)
{
  g_autoptr(GDateTime) parsed = mn_questionnaire_parse_datetime (v);

  if (parsed == NULL)
    {
      g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                   /* Translators: %s is a question's code; keep the example as it is. */
                   _("The answer to ‘%s’ must be a date and time with its offset from UTC, such "
                     "as 2026-11-28T09:00:00+08:00."),
                   q->code);
      return FALSE;
    }
  return TRUE;
}

/* Characters that have no business in an answer: C0/C1 controls (a line
 * break only in text), and the invisible direction overrides that make
 * staff read something other than what is stored. */
static gboolean
is_hostile_char (gunichar c,
                 gboolean multiline)
{
  if (c == '\n' || c == '\t')
    return !multiline;
  if (g_unichar_type (c) == G_UNICODE_CONTROL)
    return TRUE;
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0xFEFF;
}

static gboolean
check_text (const MnQuestion *q,
            const char       *v,
            GError          **error)
{
  gboolean multiline = g_strcmp0 (q->datatype, "text") == 0;
  guint max = mn_question_get_max_chars (q);
  gboolean blank = TRUE;
  glong length;

  if (!g_utf8_validate (v, -1, NULL))
    {
      g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                   /* Translators: %s is a question's code. */
                   _("The answer to ‘%s’ is not valid UTF-8 text; check the terminal’s "
                     "character set and type it again."),
                   q->code);
      return FALSE;
    }
  for (const char *p = v; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_hostile_char (c, multiline))
        {
          g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                       /* Translators: %s is a question's code. */
                       _("The answer to ‘%s’ contains control characters; give plain text."),
                       q->code);
          return FALSE;
        }
      if (!g_unichar_isspace (c))
        blank = FALSE;
    }
  if (blank)
    {
      g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                   /* Translators: %s is a question's code. */
                   _("The answer to ‘%s’ is empty; give an answer or leave the question out."),
                   q->code);
      return FALSE;
    }
  length = g_utf8_strlen (v, -1);
  if (length > (glong) max)
    {
      g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                   /* Translators: %s is a question's code, %u the most characters allowed. */
                   ngettext ("The answer to ‘%s’ may have at most %u character; shorten it.",
                             "The answer to ‘%s’ may have at most %u characters; shorten it.",
                             max),
                   q->code, max);
      return FALSE;
    }
  return TRUE;
}

gboolean
mn_question_check_value (const MnQuestion *q,
                         const char       *v,
                         GError          **error)
{
  g_return_val_if_fail (q != NULL, FALSE);
  g_return_val_if_fail (v != NULL, FALSE);

  if (mn_question_is_list (q))
    {
      if (mn_question_get_value_name (q, v) == NULL)
        {
          g_autofree char *allowed = allowed_values (q);
          g_autofree char *shown = g_utf8_make_valid (v, MIN (strlen (v), 64));

          g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                       /* Translators: a value, a question's code, then the list of
                        * allowed values with their names. */
                       _("‘%s’ is not an answer to ‘%s’; give one of: %s."), shown, q->code,
                       allowed);
          return FALSE;
        }
      return TRUE;
    }
  if (g_strcmp0 (q->datatype, "number") == 0)
    return check_number (q, v, error);
  if (g_strcmp0 (q->datatype, "datetime") == 0)
    return check_datetime (q, v, error);
  /* string, text, and any datatype a platform invents: text rules. */
  return check_text (q, v, error);
}

/* ---------------------------------------------------------------- dates */

static const int time_of_day_hours[MN_N_TIMES_OF_DAY] = { 9, 15, 19, 23 };

const char *
mn_time_of_day_get_name (MnTimeOfDay t)
{
  static const char *const names[MN_N_TIMES_OF_DAY] = {
    /* Translators: a coarse time of day a person picks for when something
     * happened (about 9 o'clock). */
    N_("Morning"),
    /* Translators: a coarse time of day (about 3 in the afternoon). */
    N_("Afternoon"),
    /* Translators: a coarse time of day (about 7 in the evening). */
    N_("Evening"),
    /* Translators: a coarse time of day (about 11 at night). */
    N_("Night"),
  };

  g_return_val_if_fail (t < MN_N_TIMES_OF_DAY, NULL);
  return _(names[t]);
}

MnTimeOfDay
mn_time_of_day_from_hour (int hour)
{
  if (hour >= 5 && hour <= 11)
    return MN_TIME_OF_DAY_MORNING;
  if (hour >= 12 && hour <= 17)
    return MN_TIME_OF_DAY_AFTERNOON;
  if (hour >= 18 && hour <= 21)
    return MN_TIME_OF_DAY_EVENING;
  return MN_TIME_OF_DAY_NIGHT;
}

char *
mn_questionnaire_format_datetime (GDateTime *day,
                                  int        time_of_day)
{
  g_autoptr(GDateTime) at = NULL;
  int hour;

  g_return_val_if_fail (day != NULL, NULL);
  g_return_val_if_fail (time_of_day < MN_N_TIMES_OF_DAY, NULL);

  hour = time_of_day >= 0 ? time_of_day_hours[time_of_day] : 12;
  at = g_date_time_new (g_date_time_get_timezone (day), g_date_time_get_year (day),
                        g_date_time_get_month (day), g_date_time_get_day_of_month (day), hour, 0,
                        0);
  /* PROTOCOL.md: ISO 8601 with the terminal's offset, always written
   * +HH:MM (g_date_time_format_iso8601 writes Z for UTC, which some
   * platforms read as "not local"). */
  return g_date_time_format (at, "%Y-%m-%dT%H:%M:%S%:z");
}

static const char *
month_name (int month)
{
  static const char *const names[12] = {
    /* Translators: month names, used in dates such as "27 November 2026". */
    N_("January"), N_("February"), N_("March"), N_("April"), N_("May"), N_("June"), N_("July"),
    N_("August"), N_("September"), N_("October"), N_("November"), N_("December"),
  };

  g_assert (month >= 1 && month <= 12);
  return _(names[month - 1]);
}

static const char *
weekday_name (int weekday)
{
  static const char *const names[7] = {
    /* Translators: weekday names, Monday first. */
    N_("Monday"), N_("Tuesday"), N_("Wednesday"), N_("Thursday"), N_("Friday"), N_("Saturday"),
    N_("Sunday"),
  };

  g_assert (weekday >= 1 && weekday <= 7);
  return _(names[weekday - 1]);
}

/* Whole calendar days from @when's date to @now's (positive: in the past). */
static gint64
days_before (GDateTime *when,
             GDateTime *now)
{
  GDate a, b;

  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  g_date_set_dmy (&a, g_date_time_get_day_of_month (when), g_date_time_get_month (when),
                  g_date_time_get_year (when));
  g_date_set_dmy (&b, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return g_date_days_between (&a, &b);
}

/* A catalogue for a right-to-left language wraps each placeholder in a
 * left-to-right isolate (U+2066 ... U+2069), right for a number, wrong for
 * words put together here: inside it "2026-يىلى 27-نويابىر" would be laid
 * out left to right. Such a piece goes into @template inside a
 * first-strong isolate of its own (U+2068), which takes the direction of
 * its words again; other languages get it as it is. */
static char *
piece_for (const char *template,
           const char *piece)
{
  if (strstr (template, "\u2066") == NULL)
    return g_strdup (piece);
  return g_strconcat ("\u2068", piece, "\u2069", NULL);
}

char *
mn_questionnaire_describe_date (GDateTime *when,
                                GDateTime *now)
{
  g_autofree char *date = NULL;
  g_autofree char *full = NULL;
  g_autofree char *piece = NULL;
  const char *template;
  gint64 ago;

  g_return_val_if_fail (when != NULL && now != NULL, NULL);

  /* The names come from our catalogues, not the C library's: the kiosk
   * changes language without changing its locale. */
  date = g_strdup_printf (
    /* Translators: a date: %1$s the month's name, %2$d the day of the month,
     * %3$d the year. Reorder as your language writes dates. */
    _("%2$d %1$s %3$d"), month_name (g_date_time_get_month (when)),
    g_date_time_get_day_of_month (when), g_date_time_get_year (when));
  /* Translators: %1$s a weekday's name, %2$s a date; swap them if your
   * language puts the weekday after the date. */
  template = C_("weekday and date", "%1$s, %2$s");
  piece = piece_for (template, date);
  full = g_strdup_printf (template, weekday_name (g_date_time_get_day_of_week (when)), piece);
  g_clear_pointer (&piece, g_free);

  ago = days_before (when, now);
  if (ago == 0)
    /* Translators: %s is a date in words. */
    template = _("Today: %s");
  else if (ago == 1)
    /* Translators: %s is a date in words. */
    template = _("Yesterday: %s");
  else if (ago > 1 && ago <= 7)
    /* Translators: %d is how many days ago, %s a date in words. */
    template = ngettext ("%d day ago: %s", "%d days ago: %s", (gulong) ago);
  else
    return g_steal_pointer (&full);
  piece = piece_for (template, full);
  if (ago > 1)
    return g_strdup_printf (template, (int) ago, piece);
  return g_strdup_printf (template, piece);
}

char *
mn_question_describe_value (const MnQuestion *q,
                            const char       *value,
                            GDateTime        *now)
{
  g_return_val_if_fail (q != NULL && value != NULL, NULL);

  if (mn_question_is_list (q))
    {
      const char *name = mn_question_get_value_name (q, value);

      return g_strdup (name != NULL ? name : value);
    }
  if (g_strcmp0 (q->datatype, "datetime") == 0 && now != NULL)
    {
      g_autoptr(GDateTime) parsed = mn_questionnaire_parse_datetime (value);
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *date = NULL;

      if (parsed == NULL)
        return g_strdup (value);
      /* Read in the terminal's zone, as it was chosen. */
      local = g_date_time_to_timezone (parsed, g_date_time_get_timezone (now));
      date = mn_questionnaire_describe_date (local, now);
      if (!mn_question_wants_time (q))
        return g_steal_pointer (&date);
      {
        /* Translators: %1$s a date in words, %2$s a time of day (Morning...). */
        const char *template = C_("date and time of day", "%1$s, %2$s");
        g_autofree char *piece = piece_for (template, date);

        return g_strdup_printf (
          template, piece,
          mn_time_of_day_get_name (mn_time_of_day_from_hour (g_date_time_get_hour (local))));
      }
    }
  return g_strdup (value);
}

gboolean
mn_questionnaire_check (const MnQuestionnaire *self,
                        GHashTable            *answers,
                        GError               **error)
{
  GHashTableIter iter;
  gpointer       key, value;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (answers != NULL, FALSE);

  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const MnQuestion *q = mn_questionnaire_lookup (self, key);
      GPtrArray        *values = value;

      if (q == NULL)
        {
          g_autofree char *codes = allowed_codes (self);

          if (*codes == '\0')
            g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                         /* Translators: %s is a question's code such as lift_trapped. */
                         _("This category asks no question ‘%s’; leave it out."),
                         (const char *) key);
          else
            g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                         /* Translators: the first %s is a question's code, the second the
                          * list of codes the category asks. */
                         _("This category asks no question ‘%s’; it asks: %s."),
                         (const char *) key, codes);
          return FALSE;
        }
      if (values->len > 1 && !mn_question_is_multiple (q))
        {
          g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                       /* Translators: %s is a question's code. */
                       _("The question ‘%s’ takes one answer; give it once."), q->code);
          return FALSE;
        }
      for (guint i = 0; i < values->len; i++)
        {
          const char *v = g_ptr_array_index (values, i);

          if (!mn_question_check_value (q, v, error))
            return FALSE;
        }
    }

  for (guint i = 0; i < self->questions->len; i++)
    {
      const MnQuestion *q = g_ptr_array_index (self->questions, i);
      GPtrArray        *values = g_hash_table_lookup (answers, q->code);

      if (q->required && (values == NULL || values->len == 0))
        {
          if (q->keys->len > 0)
            {
              g_autofree char *allowed = allowed_values (q);

              g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_MISSING,
                           /* Translators: a question's code, its wording, then the allowed
                            * values. */
                           _("This category needs an answer to ‘%s’ (%s): give one of %s."),
                           q->code, q->description, allowed);
            }
          else
            g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_MISSING,
                         /* Translators: a question's code, then its wording. */
                         _("This category needs an answer to ‘%s’ (%s)."), q->code,
                         q->description);
          return FALSE;
        }
    }

  return TRUE;
}

GHashTable *
mn_questionnaire_answers_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                (GDestroyNotify) g_ptr_array_unref);
}

void
mn_questionnaire_answers_add (GHashTable *answers,
                              const char *code,
                              const char *value)
{
  GPtrArray *values;

  g_return_if_fail (answers != NULL && code != NULL && value != NULL);

  values = g_hash_table_lookup (answers, code);
  if (values == NULL)
    {
      values = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (answers, g_strdup (code), values);
    }
  for (guint i = 0; i < values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (values, i), value) == 0)
      return;
  g_ptr_array_add (values, g_strdup (value));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

char *
mn_questionnaire_answers_to_json (const MnQuestionnaire *self,
                                  GHashTable            *answers)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode)    root = NULL;
  g_autoptr(GPtrArray)   codes = NULL;
  GHashTableIter         iter;
  gpointer               key, value;

  if (answers == NULL)
    return NULL;

  codes = g_ptr_array_new ();
  g_hash_table_iter_init (&iter, answers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (((GPtrArray *) value)->len > 0)
      g_ptr_array_add (codes, key);
  if (codes->len == 0)
    return NULL;
  g_ptr_array_sort (codes, compare_strings);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  for (guint i = 0; i < codes->len; i++)
    {
      const char       *code = g_ptr_array_index (codes, i);
      GPtrArray        *values = g_hash_table_lookup (answers, code);
      const MnQuestion *q = self != NULL ? mn_questionnaire_lookup (self, code) : NULL;

      json_builder_set_member_name (builder, code);
      if (values->len > 1 || (q != NULL && mn_question_is_multiple (q)))
        {
          json_builder_begin_array (builder);
          for (guint j = 0; j < values->len; j++)
            json_builder_add_string_value (builder, g_ptr_array_index (values, j));
          json_builder_end_array (builder);
        }
      else
        json_builder_add_string_value (builder, g_ptr_array_index (values, 0));
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
set_answers_error (GError **error)
{
  g_set_error_literal (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_PARSE,
                       _("The answers to the category's questions are damaged; answer the "
                         "questions again."));
}

GHashTable *
mn_questionnaire_answers_from_json (const char *json,
                                    GError    **error)
{
  g_autoptr(GHashTable) answers = mn_questionnaire_answers_new ();
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GList)      members = NULL;
  JsonNode             *root;
  JsonObject           *object;

  if (json == NULL || *json == '\0')
    return g_steal_pointer (&answers);

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, json, -1, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      set_answers_error (error);
      return NULL;
    }

  object = json_node_get_object (root);
  members = json_object_get_members (object);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *code = l->data;
      JsonNode   *n = json_object_get_member (object, code);

      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        mn_questionnaire_answers_add (answers, code, json_node_get_string (n));
      else if (JSON_NODE_HOLDS_ARRAY (n))
        {
          JsonArray *a = json_node_get_array (n);

          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonNode *v = json_array_get_element (a, i);

              if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
                {
                  set_answers_error (error);
                  return NULL;
                }
              mn_questionnaire_answers_add (answers, code, json_node_get_string (v));
            }
        }
      else
        {
          set_answers_error (error);
          return NULL;
        }
    }

  return g_steal_pointer (&answers);
}
