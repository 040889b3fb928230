/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-open311.h"
#include "mn-questionnaire.h"

struct _MnServiceDefinition
{
  GHashTable *attributes; /* code → GPtrArray of accepted keys, or NULL (any value) */
};

static void
free_values (gpointer values)
{
  if (values != NULL)
    g_ptr_array_unref (values);
}

void
mn_service_definition_free (MnServiceDefinition *d)
{
  if (d == NULL)
    return;
  g_hash_table_unref (d->attributes);
  g_free (d);
}

char *
mn_open311_id_from_node (JsonNode *node)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return NULL;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      {
        g_autofree char *s = g_strstrip (g_strdup (json_node_get_string (node)));

        return *s != '\0' ? g_steal_pointer (&s) : NULL;
      }
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        /* Some servers send integers through a float ("12.0"). */
        double v = json_node_get_double (node);

        if (v >= 0 && v < 9e15 && v == (double) (gint64) v)
          return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) v);
        return NULL;
      }
    default:
      return NULL;
    }
}

gboolean
mn_open311_boolean (JsonNode *node,
                    gboolean  fallback)
{
  if (node == NULL || JSON_NODE_TYPE (node) != JSON_NODE_VALUE)
    return fallback;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return json_node_get_boolean (node);
    case G_TYPE_INT64:
      return json_node_get_int (node) != 0;
    case G_TYPE_STRING:
      {
        const char *s = json_node_get_string (node);

        if (g_ascii_strcasecmp (s, "true") == 0 || g_strcmp0 (s, "1") == 0 ||
            g_ascii_strcasecmp (s, "yes") == 0)
          return TRUE;
        if (g_ascii_strcasecmp (s, "false") == 0 || g_strcmp0 (s, "0") == 0 ||
            g_ascii_strcasecmp (s, "no") == 0 || *s == '\0')
          return FALSE;
        return fallback;
      }
    default:
      return fallback;
    }
}

static char *
string_member (JsonObject *o,
               const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_TYPE (n) != JSON_NODE_VALUE)
    return NULL;
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    return g_strdup (json_node_get_string (n));
  return mn_open311_id_from_node (n);
}

static JsonNode *
parse_json (const char *body,
            gssize      length,
            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError)     local_error = NULL;

  if (body == NULL || !json_parser_load_from_data (parser, body, length, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_MALFORMED,
                           _("The platform's answer was not valid JSON (cut short or damaged); "
                             "nothing was taken from it. The terminal will try again."));
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static void
set_shape (GError    **error,
           const char *what)
{
  g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_SHAPE,
               /* Translators: %s says what was expected, e.g. "a list of cases" */
               _("The platform's answer was not %s as Open311 says; nothing was taken from it. "
                 "Tell the administrator if this persists."),
               what);
}

MnServiceDefinition *
mn_service_definition_parse (const char *body,
                             gssize      length,
                             GError    **error)
{
  g_autoptr(JsonNode)  root = parse_json (body, length, error);
  MnServiceDefinition *d;
  JsonArray           *attrs;
  JsonNode            *attrs_node;

  if (root == NULL)
    return NULL;
  /* Some servers wrap the object in a one-element array. */
  if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) == 1)
    {
      JsonNode *first = json_array_get_element (json_node_get_array (root), 0);

      if (JSON_NODE_HOLDS_OBJECT (first))
        {
          JsonNode *copy = json_node_copy (first);

          json_node_unref (root);
          root = copy;
        }
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      set_shape (error, _("a service definition"));
      return NULL;
    }
  attrs_node = json_object_get_member (json_node_get_object (root), "attributes");
  if (attrs_node != NULL && JSON_NODE_HOLDS_NULL (attrs_node))
    attrs_node = NULL;
  if (attrs_node != NULL && !JSON_NODE_HOLDS_ARRAY (attrs_node))
    {
      set_shape (error, _("a service definition"));
      return NULL;
    }

  d = g_new0 (MnServiceDefinition, 1);
  d->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_values);
  attrs = attrs_node != NULL ? json_node_get_array (attrs_node) : NULL;
  for (guint i = 0; attrs != NULL && i < json_array_get_length (attrs); i++)
    {
      JsonNode        *n = json_array_get_element (attrs, i);
      JsonObject      *a;
      JsonNode        *values;
      g_autofree char *code = NULL;
      GPtrArray       *keys = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        continue;
      a = json_node_get_object (n);
      code = string_member (a, "code");
      if (code == NULL)
        continue;
      values = json_object_get_member (a, "values");
      if (values != NULL && JSON_NODE_HOLDS_ARRAY (values) &&
          json_array_get_length (json_node_get_array (values)) > 0)
        {
          JsonArray *va = json_node_get_array (values);

          keys = g_ptr_array_new_with_free_func (g_free);
          for (guint j = 0; j < json_array_get_length (va); j++)
            {
              JsonNode *v = json_array_get_element (va, j);
              char     *key = NULL;

              if (JSON_NODE_HOLDS_OBJECT (v))
                key = string_member (json_node_get_object (v), "key");
              else
                key = mn_open311_id_from_node (v);
              if (key != NULL)
                g_ptr_array_add (keys, key);
            }
        }
      g_hash_table_replace (d->attributes, g_steal_pointer (&code), keys);
    }
  return d;
}

gboolean
mn_service_definition_declares (const MnServiceDefinition *d,
                                const char                *code)
{
  return d != NULL && g_hash_table_contains (d->attributes, code);
}

gboolean
mn_service_definition_accepts (const MnServiceDefinition *d,
                               const char                *code,
                               const char                *value)
{
  GPtrArray *keys;

  if (!mn_service_definition_declares (d, code) || value == NULL)
    return FALSE;
  keys = g_hash_table_lookup (d->attributes, code);
  if (keys == NULL)
    return TRUE;
  for (guint i = 0; i < keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (keys, i), value) == 0)
      return TRUE;
  return FALSE;
}

GPtrArray *
mn_open311_parse_services (const char *body,
                           gssize      length,
                           GError    **error)
{
  g_autoptr(JsonNode)  root = parse_json (body, length, error);
  g_autoptr(GPtrArray) list = NULL;
  JsonArray           *array;

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (root))
    {
      set_shape (error, _("a list of services"));
      return NULL;
    }
  array = json_node_get_array (root);
  list = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode      *n = json_array_get_element (array, i);
      MnServiceInfo *info;
      char          *code;

      if (!JSON_NODE_HOLDS_OBJECT (n) ||
          (code = string_member (json_node_get_object (n), "service_code")) == NULL)
        {
          set_shape (error, _("a list of services"));
          return NULL;
        }
      info = g_malloc0 (sizeof (MnServiceInfo) + strlen (code) + 1);
      /* One block per entry: the code lives right after the struct. */
      info->code = (char *) (info + 1);
      strcpy (info->code, code);
      g_free (code);
      info->metadata = mn_open311_boolean (json_object_get_member (json_node_get_object (n),
                                                                   "metadata"),
                                           FALSE);
      g_ptr_array_add (list, info);
    }
  if (list->len == 0)
    {
      set_shape (error, _("a list of services with at least one service"));
      return NULL;
    }
  return g_steal_pointer (&list);
}

static void
form_add (GString    *form,
          const char *name,
          const char *value)
{
  g_autofree char *n = NULL;
  g_autofree char *v = NULL;

  if (value == NULL)
    return;
  n = g_uri_escape_string (name, NULL, FALSE);
  v = g_uri_escape_string (value, NULL, FALSE);
  if (form->len > 0)
    g_string_append_c (form, '&');
  g_string_append_printf (form, "%s=%s", n, v);
}

static void
form_add_attribute (GString                   *form,
                    const MnServiceDefinition *d,
                    const char                *code,
                    const char                *value)
{
  g_autofree char *name = NULL;

  /* A strict server refuses what it did not ask for, and a value outside
   * a list it declared: send only what the definition accepts. */
  if (!mn_service_definition_accepts (d, code, value))
    return;
  name = g_strdup_printf ("attribute[%s]", code);
  form_add (form, name, value);
}

/* The person's answers to the category's questions (MnRequest.attributes):
 * a string goes as attribute[CODE], an array as attribute[CODE][] once per
 * value. Still only what the definition declares and accepts; the facts
 * the terminal sends itself are never taken from the answers. */
static void
form_add_answers (GString                   *form,
                  const MnServiceDefinition *d,
                  const char                *answers)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GList)    members = NULL;
  JsonObject         *object;

  if (answers == NULL || d == NULL)
    return;
  root = parse_json (answers, -1, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;
  object = json_node_get_object (root);
  members = g_list_sort (json_object_get_members (object), (GCompareFunc) g_strcmp0);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *code = l->data;
      JsonNode   *n = json_object_get_member (object, code);

      if (mn_questionnaire_code_is_reserved (code))
        continue;
      if (JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
        form_add_attribute (form, d, code, json_node_get_string (n));
      else if (JSON_NODE_HOLDS_ARRAY (n))
        {
          JsonArray       *a = json_node_get_array (n);
          g_autofree char *name = g_strdup_printf ("attribute[%s][]", code);

          for (guint i = 0; i < json_array_get_length (a); i++)
            {
              JsonNode   *v = json_array_get_element (a, i);
              const char *value;

              if (!JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
                continue;
              value = json_node_get_string (v);
              if (mn_service_definition_accepts (d, code, value))
                form_add (form, name, value);
            }
        }
    }
}

static void
form_add_double (GString    *form,
                 const char *name,
                 double      value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  form_add (form, name, g_ascii_formatd (buffer, sizeof buffer, "%.7f", value));
}

char *
mn_open311_encode_create (const MnRequest           *r,
                          const MnContact           *contact,
                          const MnServiceDefinition *d,
                          const MnSyncConfig        *config,
                          const char                *device_id)
{
  GString *form = g_string_new (NULL);

  g_return_val_if_fail (r != NULL && config != NULL, NULL);

  form_add (form, "api_key", config->api_key);
  form_add (form, "jurisdiction_id", config->jurisdiction);
  form_add (form, "service_code", r->service_code);
  if (r->has_location)
    {
      form_add_double (form, "lat", r->lat);
      form_add_double (form, "long", r->lon);
    }
  form_add (form, "address_string", r->address_text);
  form_add (form, "address_id", r->place_code);
  if (!r->has_location && r->address_text == NULL && r->place_code == NULL)
    /* Open311 needs a location; a request filed without one is about the
     * station the terminal stands in. */
    form_add (form, "address_string", device_id);
  form_add (form, "description", r->description);
  if (contact != NULL)
    {
      form_add (form, "last_name", contact->name);
      form_add (form, "phone", contact->phone);
    }
  form_add (form, "device_id", device_id);

  form_add_attribute (form, d, "client_uuid", r->uuid);
  form_add_attribute (form, d, "case_code", r->case_code);
  form_add_attribute (form, d, "urgency", mn_urgency_to_string (r->urgency));
  form_add_attribute (form, d, "channel", mn_channel_to_string (r->channel));
  form_add_attribute (form, d, "helper_id", r->filed_by);
  form_add_attribute (form, d, "consent", r->consent ? "yes" : "no");
  form_add_answers (form, d, r->attributes);

  return g_string_free (form, FALSE);
}

char *
mn_open311_encode_update (const char         *payload,
                          const char         *platform_id,
                          const MnSyncConfig *config,
                          char              **out_update_id,
                          GError            **error)
{
  g_autoptr(JsonNode)  root = parse_json (payload, -1, NULL);
  g_autoptr(GDateTime) when = NULL;
  g_autofree char     *update_id = NULL;
  g_autofree char     *status = NULL;
  g_autofree char     *description = NULL;
  g_autofree char     *iso = NULL;
  JsonObject          *o;
  GString             *form;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root) ||
      (update_id = string_member ((o = json_node_get_object (root)), "update_id")) == NULL ||
      (status = string_member (o, "status")) == NULL)
    {
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_SHAPE,
                           _("A feedback message on this terminal is damaged and cannot be sent; "
                             "staff can see it in the quarantine list."));
      return NULL;
    }
  description = string_member (o, "description");
  when = g_date_time_new_from_unix_local (json_object_get_int_member_with_default (o, "updated_at",
                                                                                    g_get_real_time () / G_USEC_PER_SEC));
  iso = g_date_time_format_iso8601 (when);

  form = g_string_new (NULL);
  form_add (form, "api_key", config->api_key);
  form_add (form, "jurisdiction_id", config->jurisdiction);
  form_add (form, "service_request_id", platform_id);
  form_add (form, "update_id", update_id);
  form_add (form, "status", status);
  form_add (form, "description", description != NULL && *description != '\0' ? description : status);
  form_add (form, "updated_datetime", iso);
  if (out_update_id != NULL)
    *out_update_id = g_steal_pointer (&update_id);
  return g_string_free (form, FALSE);
}

static gboolean
looks_like_html (const MnResponse *r)
{
  gsize       len = 0;
  const char *data = g_bytes_get_data (r->body, &len);
  gsize       i = 0;

  if (r->content_type != NULL && (g_str_has_prefix (r->content_type, "text/html") ||
                                  g_str_has_prefix (r->content_type, "application/xhtml")))
    return TRUE;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '<';
}

char *
mn_open311_error_reason (const MnResponse *r)
{
  gsize               len = 0;
  const char         *data = g_bytes_get_data (r->body, &len);
  g_autoptr(JsonNode) root = NULL;
  JsonNode           *first = NULL;

  if (len == 0 || looks_like_html (r))
    return NULL;
  root = parse_json (data, (gssize) len, NULL);
  if (root == NULL)
    {
      /* Plain text: keep one short line of it. */
      g_autofree char *text = g_utf8_make_valid (data, (gssize) MIN (len, 300));

      g_strdelimit (text, "\r\n\t", ' ');
      g_strstrip (text);
      return *text != '\0' ? g_steal_pointer (&text) : NULL;
    }
  if (JSON_NODE_HOLDS_ARRAY (root) && json_array_get_length (json_node_get_array (root)) > 0)
    first = json_array_get_element (json_node_get_array (root), 0);
  else if (JSON_NODE_HOLDS_OBJECT (root))
    first = root;
  if (first != NULL && JSON_NODE_HOLDS_OBJECT (first))
    {
      JsonObject *o = json_node_get_object (first);
      const char *names[] = { "description", "message", "error_description", "error", "detail" };

      for (gsize i = 0; i < G_N_ELEMENTS (names); i++)
        {
          JsonNode *n = json_object_get_member (o, names[i]);

          if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
            return g_strdup (json_node_get_string (n));
          if (n != NULL && JSON_NODE_HOLDS_OBJECT (n))
            {
              char *inner = string_member (json_node_get_object (n), "message");

              if (inner != NULL)
                return inner;
            }
        }
    }
  return NULL;
}

JsonNode *
mn_open311_check_answer (const MnResponse *r,
                         gboolean          not_found_ok,
                         GError          **error)
{
  gsize       len = 0;
  const char *data;

  g_return_val_if_fail (r != NULL, NULL);

  data = g_bytes_get_data (r->body, &len);
  if (r->status == 429 || r->status == 503)
    {
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_BUSY,
                           _("The platform is busy and asked the terminal to wait; the requests "
                             "wait here and go later by themselves."));
      return NULL;
    }
  if (r->status >= 300 && r->status < 400)
    {
      /* The platform never redirects a terminal; a Wi-Fi login does. */
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CAPTIVE,
                           _("The answer looked like a Wi-Fi login page, not the platform: "
                             "connect the terminal to the network properly."));
      return NULL;
    }
  if (r->status == 404 && not_found_ok)
    {
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_FOUND,
                           _("The platform does not know this case."));
      return NULL;
    }
  if (r->status >= 400 && r->status < 500)
    {
      g_autofree char *reason = mn_open311_error_reason (r);

      if (reason == NULL && looks_like_html (r))
        {
          g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CAPTIVE,
                               _("The answer looked like a Wi-Fi login page, not the platform: "
                                 "connect the terminal to the network properly."));
          return NULL;
        }
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_REFUSED,
                   _("The platform refused it (HTTP %u): %s"), r->status,
                   reason != NULL ? reason : _("no reason given"));
      return NULL;
    }
  if (r->status >= 500 || r->status < 200)
    {
      g_autofree char *reason = mn_open311_error_reason (r);

      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_SERVER,
                   _("The platform had an internal problem (HTTP %u%s%s); the terminal will try "
                     "again later."),
                   r->status, reason != NULL ? ": " : "", reason != NULL ? reason : "");
      return NULL;
    }
  if (looks_like_html (r))
    {
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CAPTIVE,
                           _("The answer looked like a Wi-Fi login page, not the platform: "
                             "connect the terminal to the network properly."));
      return NULL;
    }
  return parse_json (data, (gssize) len, error);
}

gboolean
mn_open311_parse_created (JsonNode *answer,
                          char    **out_id,
                          char    **out_token,
                          GError  **error)
{
  JsonArray  *array;
  JsonObject *o;
  JsonNode   *first;

  *out_id = NULL;
  *out_token = NULL;
  if (answer == NULL || !JSON_NODE_HOLDS_ARRAY (answer) ||
      json_array_get_length ((array = json_node_get_array (answer))) == 0 ||
      !JSON_NODE_HOLDS_OBJECT ((first = json_array_get_element (array, 0))))
    {
      set_shape (error, _("a list holding the new case"));
      return FALSE;
    }
  o = json_node_get_object (first);
  /* An Open311 error array at 200 is not a success. */
  if (json_object_has_member (o, "code") && json_object_has_member (o, "description") &&
      !json_object_has_member (o, "service_request_id") && !json_object_has_member (o, "token"))
    {
      set_shape (error, _("a list holding the new case"));
      return FALSE;
    }
  *out_id = mn_open311_id_from_node (json_object_get_member (o, "service_request_id"));
  if (*out_id == NULL)
    *out_token = mn_open311_id_from_node (json_object_get_member (o, "token"));
  if (*out_id == NULL && *out_token == NULL)
    {
      set_shape (error, _("a list holding the new case"));
      return FALSE;
    }
  return TRUE;
}

gboolean
mn_open311_parse_token (JsonNode *answer,
                        char    **out_id,
                        GError  **error)
{
  JsonArray *array;
  JsonNode  *first;

  *out_id = NULL;
  if (answer == NULL || !JSON_NODE_HOLDS_ARRAY (answer))
    {
      set_shape (error, _("a list answering for the token"));
      return FALSE;
    }
  array = json_node_get_array (answer);
  if (json_array_get_length (array) == 0)
    {
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_FOUND,
                           _("The platform does not know this token yet."));
      return FALSE;
    }
  first = json_array_get_element (array, 0);
  if (!JSON_NODE_HOLDS_OBJECT (first))
    {
      set_shape (error, _("a list answering for the token"));
      return FALSE;
    }
  *out_id = mn_open311_id_from_node (json_object_get_member (json_node_get_object (first),
                                                             "service_request_id"));
  return TRUE;
}

void
mn_open311_case_free (MnOpen311Case *c)
{
  if (c == NULL)
    return;
  g_free (c->id);
  g_free (c->status);
  g_free (c->status_notes);
  g_free (c->agency);
  g_free (c->token);
  g_free (c);
}

static gint64
time_member (JsonObject *o,
             const char *name)
{
  g_autofree char     *text = string_member (o, name);
  g_autoptr(GDateTime) dt = NULL;

  if (text == NULL || *text == '\0')
    return 0;
  dt = g_date_time_new_from_iso8601 (text, NULL);
  if (dt == NULL)
    {
      /* Some servers omit the zone: read it as local time. */
      g_autoptr(GTimeZone) tz = g_time_zone_new_local ();

      dt = g_date_time_new_from_iso8601 (text, tz);
    }
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

GPtrArray *
mn_open311_parse_cases (JsonNode *answer,
                        GError  **error)
{
  g_autoptr(GPtrArray) list = NULL;
  JsonArray           *array;

  if (answer == NULL || !JSON_NODE_HOLDS_ARRAY (answer))
    {
      set_shape (error, _("a list of cases"));
      return NULL;
    }
  array = json_node_get_array (answer);
  list = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_open311_case_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode      *n = json_array_get_element (array, i);
      JsonObject    *o;
      MnOpen311Case *c;

      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          set_shape (error, _("a list of cases"));
          return NULL;
        }
      o = json_node_get_object (n);
      c = g_new0 (MnOpen311Case, 1);
      c->id = mn_open311_id_from_node (json_object_get_member (o, "service_request_id"));
      if (c->id == NULL)
        {
          mn_open311_case_free (c);
          set_shape (error, _("a list of cases"));
          return NULL;
        }
      c->status = string_member (o, "status");
      if (c->status != NULL)
        {
          char *lower = g_ascii_strdown (c->status, -1);

          g_free (c->status);
          c->status = lower;
        }
      c->status_notes = string_member (o, "status_notes");
      c->agency = string_member (o, "agency_responsible");
      c->expected_at = time_member (o, "expected_datetime");
      c->updated_at = time_member (o, "updated_datetime");
      c->token = string_member (o, "token");
      g_ptr_array_add (list, c);
    }
  return g_steal_pointer (&list);
}

gboolean
mn_open311_parse_update (JsonNode *answer,
                         GError  **error)
{
  JsonArray *array;
  JsonNode  *first;

  if (answer == NULL || !JSON_NODE_HOLDS_ARRAY (answer) ||
      json_array_get_length ((array = json_node_get_array (answer))) == 0 ||
      !JSON_NODE_HOLDS_OBJECT ((first = json_array_get_element (array, 0))) ||
      !json_object_has_member (json_node_get_object (first), "update_id"))
    {
      set_shape (error, _("a list holding the update"));
      return FALSE;
    }
  return TRUE;
}

const char *
mn_open311_local_status (const MnOpen311Case *c)
{
  if (g_strcmp0 (c->status, "closed") == 0)
    return MN_STATUS_CLOSED;
  /* Open311 knows only open and closed. An agency is often named at
   * once, on receipt; an expected date means someone has taken the case
   * on, which a resident calls "in progress". */
  if (c->expected_at != 0)
    return MN_STATUS_IN_PROGRESS;
  return MN_STATUS_SENT;
}
