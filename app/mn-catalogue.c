/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "mn-catalogue.h"
#include "mn-core-resources.h"

#define DEFAULT_CATALOGUE_PATH "/org/minyin/Terminal/core/catalogue/default.catalogue.xml"
#define FALLBACK_ICON "view-more-horizontal-symbolic"

G_DEFINE_QUARK (mn-catalogue-error-quark, mn_catalogue_error)

struct _MnCategory
{
  char      *code;
  char      *name;
  char      *description;
  char      *group;
  char      *icon_name;
  GPtrArray *phrases;       /* char *, English source strings when bundled */
  gboolean   translatable;  /* name and description are msgids */
  gboolean   metadata;
};

typedef struct
{
  char     *id;            /* NULL: categories the platform put in no group */
  char     *name;
  gboolean  translatable;
} MnGroup;

struct _MnCatalogue
{
  GObject            parent_instance;

  MnCatalogueSource  source;
  gint64             fetched_at;
  GPtrArray         *categories;  /* MnCategory *, owned */
  GHashTable        *by_code;     /* code → MnCategory *, borrowed */
  GPtrArray         *groups;      /* MnGroup *, owned */
};

G_DEFINE_FINAL_TYPE (MnCatalogue, mn_catalogue, G_TYPE_OBJECT)

static void
mn_category_free (MnCategory *category)
{
  g_free (category->code);
  g_free (category->name);
  g_free (category->description);
  g_free (category->group);
  g_free (category->icon_name);
  g_clear_pointer (&category->phrases, g_ptr_array_unref);
  g_free (category);
}

static MnCategory *
mn_category_new (void)
{
  MnCategory *category = g_new0 (MnCategory, 1);

  category->phrases = g_ptr_array_new_with_free_func (g_free);
  return category;
}

static void
mn_group_free (MnGroup *group)
{
  g_free (group->id);
  g_free (group->name);
  g_free (group);
}

/* Translates a string of the bundled catalogue. The empty string is never
 * looked up: gettext would answer with the catalogue's header. */
static const char *
translate (const char *msgid,
           gboolean    translatable)
{
  if (!translatable || msgid == NULL || *msgid == '\0')
    return msgid;
  return g_dgettext (GETTEXT_PACKAGE, msgid);
}

const char *
mn_category_get_code (const MnCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);
  return category->code;
}

const char *
mn_category_get_name (const MnCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);
  return translate (category->name, category->translatable);
}

const char *
mn_category_get_description (const MnCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);
  return translate (category->description != NULL ? category->description : "",
                    category->translatable);
}

const char *
mn_category_get_group (const MnCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);
  return category->group;
}

const char *
mn_category_get_icon_name (const MnCategory *category)
{
  g_return_val_if_fail (category != NULL, NULL);
  return category->icon_name != NULL ? category->icon_name : FALLBACK_ICON;
}

guint
mn_category_get_n_phrases (const MnCategory *category)
{
  g_return_val_if_fail (category != NULL, 0);
  return category->phrases->len;
}

const char *
mn_category_get_phrase (const MnCategory *category,
                        guint             index)
{
  g_return_val_if_fail (category != NULL, NULL);
  g_return_val_if_fail (index < category->phrases->len, NULL);
  /* Phrases always come from the bundled catalogue, so they are always
   * msgids, even on a platform category. */
  return translate (g_ptr_array_index (category->phrases, index), TRUE);
}

gboolean
mn_category_has_metadata (const MnCategory *category)
{
  g_return_val_if_fail (category != NULL, FALSE);
  return category->metadata;
}

static void
mn_catalogue_finalize (GObject *object)
{
  MnCatalogue *self = MN_CATALOGUE (object);

  g_clear_pointer (&self->by_code, g_hash_table_unref);
  g_clear_pointer (&self->categories, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);

  G_OBJECT_CLASS (mn_catalogue_parent_class)->finalize (object);
}

static void
mn_catalogue_class_init (MnCatalogueClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mn_catalogue_finalize;
}

static void
mn_catalogue_init (MnCatalogue *self)
{
  self->categories = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_category_free);
  self->groups = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_group_free);
  self->by_code = g_hash_table_new (g_str_hash, g_str_equal);
}

static MnGroup *
find_group (MnCatalogue *self,
            const char  *id)
{
  for (guint i = 0; i < self->groups->len; i++)
    {
      MnGroup *group = g_ptr_array_index (self->groups, i);

      if (g_strcmp0 (group->id, id) == 0)
        return group;
    }
  return NULL;
}

static MnGroup *
ensure_group (MnCatalogue *self,
              const char  *id,
              const char  *name,
              gboolean     translatable)
{
  MnGroup *group = find_group (self, id);

  if (group == NULL)
    {
      group = g_new0 (MnGroup, 1);
      group->id = g_strdup (id);
      group->name = g_strdup (name);
      group->translatable = translatable;
      g_ptr_array_add (self->groups, group);
    }
  return group;
}

/* Adds @category unless its code is taken; takes ownership either way.
 * Returns whether it was added. */
static gboolean
add_category (MnCatalogue *self,
              MnCategory  *category)
{
  if (g_hash_table_contains (self->by_code, category->code))
    {
      mn_category_free (category);
      return FALSE;
    }
  g_ptr_array_add (self->categories, category);
  g_hash_table_insert (self->by_code, category->code, category);
  return TRUE;
}

/* Keeps the "no group" bucket last whatever order the categories came in,
 * so a kiosk lists the platform's named groups first. */
static void
move_null_group_last (MnCatalogue *self)
{
  for (guint i = 0; i < self->groups->len; i++)
    {
      MnGroup *group = g_ptr_array_index (self->groups, i);

      if (group->id == NULL && i + 1 < self->groups->len)
        {
          g_ptr_array_steal_index (self->groups, i);
          g_ptr_array_add (self->groups, group);
          return;
        }
    }
}

/* ---- The bundled catalogue (XML, see assets/catalogue/) ---------------- */

typedef struct
{
  MnCatalogue *catalogue;
  MnGroup     *group;     /* the <group> being read */
  MnCategory  *category;  /* the <category> being read */
  GString     *text;      /* the text of <name>, <description> or <phrase> */
} BundleParser;

/* xgettext normalises white space in what it extracts from XML (ITS's
 * default), so the msgids are the element texts with runs of white space
 * made one space and the ends trimmed: do the same, or nothing would be
 * found in the catalogues. */
static char *
normalize_space (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

static void
bundle_start (GMarkupParseContext *context,
              const char          *element,
              const char         **names,
              const char         **values,
              gpointer             user_data,
              GError             **error)
{
  BundleParser *bp = user_data;

  if (strcmp (element, "catalogue") == 0)
    return;

  if (strcmp (element, "group") == 0)
    {
      const char *id = NULL;

      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "id", &id,
                                        G_MARKUP_COLLECT_INVALID))
        return;
      bp->group = ensure_group (bp->catalogue, id, NULL, TRUE);
      return;
    }

  if (strcmp (element, "category") == 0)
    {
      const char *code = NULL;
      const char *icon = NULL;

      if (bp->group == NULL)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "category outside a group");
          return;
        }
      if (!g_markup_collect_attributes (element, names, values, error,
                                        G_MARKUP_COLLECT_STRING, "code", &code,
                                        G_MARKUP_COLLECT_STRING, "icon", &icon,
                                        G_MARKUP_COLLECT_INVALID))
        return;
      bp->category = mn_category_new ();
      bp->category->code = g_strdup (code);
      bp->category->icon_name = g_strdup (icon);
      bp->category->group = g_strdup (bp->group->id);
      bp->category->translatable = TRUE;
      return;
    }

  if (strcmp (element, "name") == 0 || strcmp (element, "description") == 0 ||
      strcmp (element, "phrase") == 0)
    {
      g_string_truncate (bp->text, 0);
      return;
    }

  g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_UNKNOWN_ELEMENT,
               "unknown element <%s>", element);
}

static void
bundle_end (GMarkupParseContext *context,
            const char          *element,
            gpointer             user_data,
            GError             **error)
{
  BundleParser *bp = user_data;
  g_autofree char *text = NULL;

  if (strcmp (element, "group") == 0)
    {
      if (bp->group->name == NULL)
        g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                     "group %s has no name", bp->group->id);
      bp->group = NULL;
      return;
    }

  if (strcmp (element, "category") == 0)
    {
      MnCategory *category = g_steal_pointer (&bp->category);

      if (category->name == NULL || category->phrases->len == 0)
        {
          g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                       "category %s has no name or no phrase", category->code);
          mn_category_free (category);
          return;
        }
      if (!add_category (bp->catalogue, category))
        g_set_error (error, G_MARKUP_ERROR, G_MARKUP_ERROR_INVALID_CONTENT,
                     "a service code appears twice");
      return;
    }

  text = normalize_space (bp->text->str);

  if (strcmp (element, "phrase") == 0 && bp->category != NULL)
    g_ptr_array_add (bp->category->phrases, g_steal_pointer (&text));
  else if (strcmp (element, "description") == 0 && bp->category != NULL)
    {
      g_free (bp->category->description);
      bp->category->description = g_steal_pointer (&text);
    }
  else if (strcmp (element, "name") == 0 && bp->category != NULL)
    {
      g_free (bp->category->name);
      bp->category->name = g_steal_pointer (&text);
    }
  else if (strcmp (element, "name") == 0 && bp->group != NULL)
    {
      g_free (bp->group->name);
      bp->group->name = g_steal_pointer (&text);
    }
}

static void
bundle_text (GMarkupParseContext *context,
             const char          *text,
             gsize                len,
             gpointer             user_data,
             GError             **error)
{
  BundleParser *bp = user_data;

  g_string_append_len (bp->text, text, (gssize) len);
}

static const GMarkupParser bundle_parser = {
  .start_element = bundle_start,
  .end_element = bundle_end,
  .text = bundle_text,
};

static gboolean
load_bundle (MnCatalogue *self,
             const char  *xml,
             gsize        len,
             GError     **error)
{
  BundleParser bp = { .catalogue = self, .text = g_string_new (NULL) };
  g_autoptr(GMarkupParseContext) context = NULL;
  gboolean ok;

  context = g_markup_parse_context_new (&bundle_parser, G_MARKUP_TREAT_CDATA_AS_TEXT, &bp, NULL);
  ok = g_markup_parse_context_parse (context, xml, (gssize) len, error) &&
       g_markup_parse_context_end_parse (context, error);
  if (bp.category != NULL)
    mn_category_free (bp.category);
  g_string_free (bp.text, TRUE);
  return ok;
}

/* The parsed bundle, shared: it is immutable and read on every load of a
 * platform catalogue to lend icons and phrases. */
static MnCatalogue *
get_bundle (void)
{
  static MnCatalogue *bundle;

  if (g_once_init_enter (&bundle))
    {
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      MnCatalogue *loaded = g_object_new (MN_TYPE_CATALOGUE, NULL);
      gsize len = 0;
      const char *xml;

      /* Looked up in the library's own resource rather than the global
       * namespace: the reference to mn_core_get_resource() is what keeps
       * the resource in a static link. */
      bytes = g_resource_lookup_data (mn_core_get_resource (), DEFAULT_CATALOGUE_PATH,
                                      G_RESOURCE_LOOKUP_FLAGS_NONE, &error);
      if (bytes == NULL)
        g_error ("The bundled catalogue is missing from the build: %s", error->message);
      xml = g_bytes_get_data (bytes, &len);
      if (!load_bundle (loaded, xml, len, &error) || loaded->categories->len == 0)
        g_error ("The bundled catalogue is invalid: %s",
                 error != NULL ? error->message : "no category");
      loaded->source = MN_CATALOGUE_SOURCE_BUNDLED;
      g_once_init_leave (&bundle, loaded);
    }
  return bundle;
}

MnCatalogue *
mn_catalogue_new_default (void)
{
  return g_object_ref (get_bundle ());
}

/* ---- The platform's catalogue (Open311 services.json) ------------------ */

/* A scalar as text, whatever JSON type the server chose: codes come as
 * strings or numbers (and 0 is a valid code). NULL for null, objects and
 * arrays. */
static char *
node_to_text (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_STRING:
      return g_strdup (json_node_get_string (node));
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        double v = json_node_get_double (node);
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        if (v == (double) (gint64) v)
          return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) v);
        return g_strdup (g_ascii_dtostr (buf, sizeof buf, v));
      }
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    default:
      return NULL;
    }
}

static gboolean
node_to_bool (JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node);
  text = node_to_text (node);
  return text != NULL && (g_ascii_strcasecmp (g_strstrip (text), "true") == 0 ||
                          strcmp (text, "1") == 0);
}

/* Text from the platform goes on a kiosk screen and into speech: one line,
 * no control characters, no outer white space. NULL if nothing is left. */
static char *
clean_line (char *text)
{
  GString *out;

  if (text == NULL)
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029)
        c = ' ';
      g_string_append_unichar (out, c);
    }
  g_free (text);
  g_strstrip (out->str);
  out->len = strlen (out->str);
  if (out->len == 0)
    {
      g_string_free (out, TRUE);
      return NULL;
    }
  return g_string_free (out, FALSE);
}

static JsonArray *
find_service_array (JsonNode *root)
{
  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);

  /* Some servers wrap the list; accept the obvious wrapping only. */
  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonObject *object = json_node_get_object (root);
      JsonNode *inner = json_object_get_member (object, "services");

      if (inner != NULL && JSON_NODE_HOLDS_ARRAY (inner))
        return json_node_get_array (inner);
    }
  return NULL;
}

MnCatalogue *
mn_catalogue_new_from_json (const char *body,
                            gssize      length,
                            gint64      fetched_at,
                            GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(MnCatalogue) self = NULL;
  g_autoptr(GError) local_error = NULL;
  MnCatalogue *bundle;
  JsonArray *services;
  guint n;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!json_parser_load_from_data (parser, body, length, &local_error) ||
      json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, MN_CATALOGUE_ERROR, MN_CATALOGUE_ERROR_PARSE,
                           _("The platform’s answer is not a catalogue; a network login page may "
                             "be in the way, so check the connection and fetch it again."));
      return NULL;
    }

  services = find_service_array (json_parser_get_root (parser));
  if (services == NULL)
    {
      g_set_error_literal (error, MN_CATALOGUE_ERROR, MN_CATALOGUE_ERROR_SHAPE,
                           _("The platform’s answer is not a list of categories; check the "
                             "platform address in the settings."));
      return NULL;
    }

  bundle = get_bundle ();
  self = g_object_new (MN_TYPE_CATALOGUE, NULL);
  self->source = MN_CATALOGUE_SOURCE_PLATFORM;
  self->fetched_at = fetched_at;

  n = json_array_get_length (services);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (services, i);
      JsonObject *object;
      MnCategory *category;
      const MnCategory *known;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);

      category = mn_category_new ();
      category->code = clean_line (node_to_text (json_object_get_member (object, "service_code")));
      category->name = clean_line (node_to_text (json_object_get_member (object, "service_name")));
      if (category->code == NULL || category->name == NULL)
        {
          mn_category_free (category);
          continue;
        }
      category->description =
        clean_line (node_to_text (json_object_get_member (object, "description")));
      category->group = clean_line (node_to_text (json_object_get_member (object, "group")));
      category->metadata = node_to_bool (json_object_get_member (object, "metadata"));

      /* Open311 has no icons or preset phrases: lend those of the bundled
       * category with the same code, so a platform that uses our codes
       * keeps the kiosk's picture buttons. */
      known = g_hash_table_lookup (bundle->by_code, category->code);
      if (known != NULL)
        {
          category->icon_name = g_strdup (known->icon_name);
          for (guint j = 0; j < known->phrases->len; j++)
            g_ptr_array_add (category->phrases, g_strdup (g_ptr_array_index (known->phrases, j)));
        }

      if (add_category (self, category))
        ensure_group (self, category->group, category->group, FALSE);
    }

  if (self->categories->len == 0)
    {
      g_set_error_literal (error, MN_CATALOGUE_ERROR, MN_CATALOGUE_ERROR_EMPTY,
                           _("The platform’s catalogue has no category the terminal can use; "
                             "ask the platform operator to check it."));
      return NULL;
    }

  move_null_group_last (self);
  return g_steal_pointer (&self);
}

MnCatalogue *
mn_catalogue_load (MnStore *store,
                   GError **error)
{
  g_autofree char *body = NULL;
  gint64 fetched_at = 0;
  g_autoptr(GError) local_error = NULL;
  MnCatalogue *catalogue;

  g_return_val_if_fail (MN_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!mn_store_get_catalogue_cache (store, &body, NULL, NULL, &fetched_at, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      return mn_catalogue_new_default ();
    }

  catalogue = mn_catalogue_new_from_json (body, -1, fetched_at, &local_error);
  if (catalogue == NULL)
    {
      /* The sync code checks a catalogue before caching it, so this is a
       * damaged cache: the terminal must still let people file. */
      g_message ("Ignoring the cached platform catalogue: %s", local_error->message);
      return mn_catalogue_new_default ();
    }
  return catalogue;
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  MnCatalogue *catalogue = mn_catalogue_load (MN_STORE (task_data), &error);

  if (catalogue == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, catalogue, g_object_unref);
}

void
mn_catalogue_load_async (MnStore             *store,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MN_IS_STORE (store));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mn_catalogue_load_async);
  g_task_set_task_data (task, g_object_ref (store), g_object_unref);
  /* Parsing a platform catalogue is quick, but reading it waits on the
   * store's thread, which may be busy with a save. */
  g_task_run_in_thread (task, load_thread);
}

MnCatalogue *
mn_catalogue_load_finish (GAsyncResult *result,
                          GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == mn_catalogue_load_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

MnCatalogueSource
mn_catalogue_get_source (MnCatalogue *self)
{
  g_return_val_if_fail (MN_IS_CATALOGUE (self), MN_CATALOGUE_SOURCE_BUNDLED);
  return self->source;
}

gint64
mn_catalogue_get_fetched_at (MnCatalogue *self)
{
  g_return_val_if_fail (MN_IS_CATALOGUE (self), 0);
  return self->fetched_at;
}

guint
mn_catalogue_get_n_categories (MnCatalogue *self)
{
  g_return_val_if_fail (MN_IS_CATALOGUE (self), 0);
  return self->categories->len;
}

const MnCategory *
mn_catalogue_get_category (MnCatalogue *self,
                           guint        index)
{
  g_return_val_if_fail (MN_IS_CATALOGUE (self), NULL);
  g_return_val_if_fail (index < self->categories->len, NULL);
  return g_ptr_array_index (self->categories, index);
}

const MnCategory *
mn_catalogue_lookup (MnCatalogue *self,
                     const char  *service_code)
{
  g_return_val_if_fail (MN_IS_CATALOGUE (self), NULL);
  if (service_code == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_code, service_code);
}

guint
mn_catalogue_get_n_groups (MnCatalogue *self)
{
  g_return_val_if_fail (MN_IS_CATALOGUE (self), 0);
  return self->groups->len;
}

const char *
mn_catalogue_get_group_id (MnCatalogue *self,
                           guint        index)
{
  MnGroup *group;

  g_return_val_if_fail (MN_IS_CATALOGUE (self), NULL);
  g_return_val_if_fail (index < self->groups->len, NULL);
  group = g_ptr_array_index (self->groups, index);
  return group->id;
}

const char *
mn_catalogue_get_group_name (MnCatalogue *self,
                             const char  *group_id)
{
  MnGroup *group;

  g_return_val_if_fail (MN_IS_CATALOGUE (self), NULL);

  group = find_group (self, group_id);
  if (group == NULL || group->name == NULL)
    /* Translators: the heading for the platform's categories that belong
     * to no group. */
    return _("Other categories");
  return translate (group->name, group->translatable);
}

GPtrArray *
mn_catalogue_list_group (MnCatalogue *self,
                         const char  *group_id)
{
  GPtrArray *list;

  g_return_val_if_fail (MN_IS_CATALOGUE (self), NULL);

  list = g_ptr_array_new ();
  for (guint i = 0; i < self->categories->len; i++)
    {
      MnCategory *category = g_ptr_array_index (self->categories, i);

      if (g_strcmp0 (category->group, group_id) == 0)
        g_ptr_array_add (list, category);
    }
  return list;
}
