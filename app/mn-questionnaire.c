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

          if (mn_question_is_list (q) && mn_question_get_value_name (q, v) == NULL)
            {
              g_autofree char *allowed = allowed_values (q);

              g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                           /* Translators: a value, a question's code, then the list of
                            * allowed values with their names. */
                           _("‘%s’ is not an answer to ‘%s’; give one of: %s."), v, q->code,
                           allowed);
              return FALSE;
            }
          if (g_strcmp0 (q->datatype, "number") == 0)
            {
              char *end = NULL;

              g_ascii_strtod (v, &end);
              if (*v == '\0' || end == NULL || *end != '\0')
                {
                  g_set_error (error, MN_QUESTIONNAIRE_ERROR, MN_QUESTIONNAIRE_ERROR_INVALID,
                               /* Translators: %s is a question's code. */
                               _("The answer to ‘%s’ must be a number, such as 18 or 18.5."),
                               q->code);
                  return FALSE;
                }
            }
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
