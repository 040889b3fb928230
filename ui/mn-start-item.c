/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-start-item.h"

struct _MnStartItem
{
  GObject          parent_instance;

  char            *id;
  char            *title;
  char            *icon_name;
  char            *action_name;
  GVariant        *action_target;
  MnStartItemKind  kind;
  int              position;
  gboolean         translatable; /* title is a msgid, translated when read */
};

G_DEFINE_FINAL_TYPE (MnStartItem, mn_start_item, G_TYPE_OBJECT)

static void
mn_start_item_finalize (GObject *object)
{
  MnStartItem *self = MN_START_ITEM (object);

  g_free (self->id);
  g_free (self->title);
  g_free (self->icon_name);
  g_free (self->action_name);
  g_clear_pointer (&self->action_target, g_variant_unref);

  G_OBJECT_CLASS (mn_start_item_parent_class)->finalize (object);
}

static void
mn_start_item_class_init (MnStartItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mn_start_item_finalize;
}

static void
mn_start_item_init (MnStartItem *self)
{
}

/**
 * mn_start_item_new:
 * @id: a stable name, used for the button's widget name and in tests
 * @title: the words on the button, already translated
 * @icon_name: (nullable): a themed icon
 * @action_name: a detailed action such as "win.call-staff"
 * @action_target: (nullable): its parameter; a floating reference is sunk
 * @kind: how it is drawn and where
 * @position: buttons are sorted by this, smallest first
 */
MnStartItem *
mn_start_item_new (const char      *id,
                   const char      *title,
                   const char      *icon_name,
                   const char      *action_name,
                   GVariant        *action_target,
                   MnStartItemKind  kind,
                   int              position)
{
  MnStartItem *self;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (title != NULL, NULL);
  g_return_val_if_fail (action_name != NULL, NULL);

  self = g_object_new (MN_TYPE_START_ITEM, NULL);
  self->id = g_strdup (id);
  self->title = g_strdup (title);
  self->icon_name = g_strdup (icon_name);
  self->action_name = g_strdup (action_name);
  self->action_target = action_target != NULL ? g_variant_ref_sink (action_target) : NULL;
  self->kind = kind;
  self->position = position;

  return self;
}

/**
 * mn_start_item_new_translatable:
 * @title: the words on the button as an untranslated message, marked
 *   with N_() so xgettext finds it
 *
 * As mn_start_item_new(), but the title is translated each time it is
 * read, so the button follows a person's change of language. Prefer it.
 */
MnStartItem *
mn_start_item_new_translatable (const char      *id,
                                const char      *title,
                                const char      *icon_name,
                                const char      *action_name,
                                GVariant        *action_target,
                                MnStartItemKind  kind,
                                int              position)
{
  MnStartItem *self = mn_start_item_new (id, title, icon_name, action_name, action_target, kind,
                                         position);

  if (self != NULL)
    self->translatable = TRUE;
  return self;
}

const char *
mn_start_item_get_id (MnStartItem *self)
{
  g_return_val_if_fail (MN_IS_START_ITEM (self), NULL);
  return self->id;
}

const char *
mn_start_item_get_title (MnStartItem *self)
{
  g_return_val_if_fail (MN_IS_START_ITEM (self), NULL);
  return self->translatable ? g_dgettext (GETTEXT_PACKAGE, self->title) : self->title;
}

const char *
mn_start_item_get_icon_name (MnStartItem *self)
{
  g_return_val_if_fail (MN_IS_START_ITEM (self), NULL);
  return self->icon_name;
}

const char *
mn_start_item_get_action_name (MnStartItem *self)
{
  g_return_val_if_fail (MN_IS_START_ITEM (self), NULL);
  return self->action_name;
}

GVariant *
mn_start_item_get_action_target (MnStartItem *self)
{
  g_return_val_if_fail (MN_IS_START_ITEM (self), NULL);
  return self->action_target;
}

MnStartItemKind
mn_start_item_get_kind (MnStartItem *self)
{
  g_return_val_if_fail (MN_IS_START_ITEM (self), MN_START_ITEM_TILE);
  return self->kind;
}

int
mn_start_item_get_position (MnStartItem *self)
{
  g_return_val_if_fail (MN_IS_START_ITEM (self), 0);
  return self->position;
}
