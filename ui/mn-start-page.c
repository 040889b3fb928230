/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-start-item.h"
#include "mn-start-page.h"

struct _MnStartPage
{
  AdwBin      parent_instance;

  GtkLabel   *title_label;
  GtkLabel   *lead_label;
  GtkGrid    *tile_grid;
  GtkBox     *staff_box;

  GListModel *items;
  GHashTable *buttons; /* item id → GtkButton (borrowed from the tree) */
};

G_DEFINE_FINAL_TYPE (MnStartPage, mn_start_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWidget *
build_button (MnStartItem *item)
{
  g_autofree char *name = g_strdup_printf ("start-%s", mn_start_item_get_id (item));
  GtkWidget *button = gtk_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (mn_start_item_get_title (item));
  const char *icon_name = mn_start_item_get_icon_name (item);

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "mn-tile");
  switch (mn_start_item_get_kind (item))
    {
    case MN_START_ITEM_PRIMARY:
      gtk_widget_add_css_class (button, "mn-primary");
      break;
    case MN_START_ITEM_STAFF:
      gtk_widget_add_css_class (button, "mn-staff");
      break;
    case MN_START_ITEM_TILE:
    default:
      break;
    }

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  if (icon_name != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

      /* The words say it all; the picture only helps those who read
       * poorly, so screen readers skip it. */
      gtk_accessible_update_state (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_box_append (GTK_BOX (box), image);
    }
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  mn_start_item_get_title (item), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), mn_start_item_get_action_name (item));
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button),
                                          mn_start_item_get_action_target (item));
  return button;
}

static void
clear_children (GtkWidget *parent)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_GRID (parent))
        gtk_grid_remove (GTK_GRID (parent), child);
      else
        gtk_box_remove (GTK_BOX (parent), child);
    }
}

static void
mn_start_page_rebuild (MnStartPage *self)
{
  g_autoptr(GPtrArray) tiles = g_ptr_array_new ();
  guint n = self->items != NULL ? g_list_model_get_n_items (self->items) : 0;
  guint columns;

  g_hash_table_remove_all (self->buttons);
  clear_children (GTK_WIDGET (self->tile_grid));
  clear_children (GTK_WIDGET (self->staff_box));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(MnStartItem) item = g_list_model_get_item (self->items, i);
      GtkWidget *button = build_button (item);

      g_hash_table_insert (self->buttons, g_strdup (mn_start_item_get_id (item)), button);
      if (mn_start_item_get_kind (item) == MN_START_ITEM_STAFF)
        gtk_box_append (self->staff_box, button);
      else
        g_ptr_array_add (tiles, button);
    }

  /* Two columns read best; three tiles (file, ask about progress, rate)
   * go in one row, because a second row of tiles pushes the call-staff
   * button off the screen in large text; more than four take three
   * columns, so every tile stays at the size its text needs. */
  columns = (tiles->len == 3 || tiles->len > 4) ? 3 : 2;
  for (guint i = 0; i < tiles->len; i++)
    gtk_grid_attach (self->tile_grid, g_ptr_array_index (tiles, i), i % columns, i / columns, 1, 1);

  gtk_widget_set_visible (GTK_WIDGET (self->tile_grid), tiles->len > 0);
  /* With nothing but the call-staff button, it stands in the middle of
   * the screen rather than at the bottom of an empty one. */
  gtk_widget_set_vexpand (GTK_WIDGET (self->staff_box), tiles->len == 0);
  gtk_widget_set_valign (GTK_WIDGET (self->staff_box),
                         tiles->len == 0 ? GTK_ALIGN_CENTER : GTK_ALIGN_END);

  if (tiles->len > 0)
    gtk_label_set_label (self->lead_label, _("Touch the large button for what you want to do."));
  else
    gtk_label_set_label (self->lead_label,
                         _("If you need help, press the button below and a member of staff will "
                           "come to you."));
}

static void
on_items_changed (MnStartPage *self,
                  guint        position,
                  guint        removed,
                  guint        added,
                  GListModel  *model)
{
  mn_start_page_rebuild (self);
}

static void
mn_start_page_dispose (GObject *object)
{
  MnStartPage *self = MN_START_PAGE (object);

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, on_items_changed, self);
  g_clear_object (&self->items);
  g_clear_pointer (&self->buttons, g_hash_table_unref);

  G_OBJECT_CLASS (mn_start_page_parent_class)->dispose (object);
}

static void
mn_start_page_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MnStartPage *self = MN_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_ITEMS:
      g_value_set_object (value, self->items);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_start_page_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MnStartPage *self = MN_START_PAGE (object);

  switch (prop_id)
    {
    case PROP_ITEMS:
      mn_start_page_set_items (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_start_page_class_init (MnStartPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_start_page_dispose;
  object_class->get_property = mn_start_page_get_property;
  object_class->set_property = mn_start_page_set_property;

  properties[PROP_ITEMS] =
    g_param_spec_object ("items", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-start-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnStartPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MnStartPage, lead_label);
  gtk_widget_class_bind_template_child (widget_class, MnStartPage, tile_grid);
  gtk_widget_class_bind_template_child (widget_class, MnStartPage, staff_box);
}

static void
mn_start_page_init (MnStartPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title_label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  mn_start_page_rebuild (self);
}

GtkWidget *
mn_start_page_new (void)
{
  return g_object_new (MN_TYPE_START_PAGE, NULL);
}

void
mn_start_page_set_items (MnStartPage *self,
                         GListModel  *items)
{
  g_return_if_fail (MN_IS_START_PAGE (self));
  g_return_if_fail (items == NULL || G_IS_LIST_MODEL (items));

  if (self->items == items)
    return;

  if (self->items != NULL)
    g_signal_handlers_disconnect_by_func (self->items, on_items_changed, self);
  g_set_object (&self->items, items);
  if (items != NULL)
    g_signal_connect_object (items, "items-changed", G_CALLBACK (on_items_changed), self,
                             G_CONNECT_SWAPPED);
  mn_start_page_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEMS]);
}

GListModel *
mn_start_page_get_items (MnStartPage *self)
{
  g_return_val_if_fail (MN_IS_START_PAGE (self), NULL);

  return self->items;
}

GtkWidget *
mn_start_page_get_button (MnStartPage *self,
                          const char  *id)
{
  g_return_val_if_fail (MN_IS_START_PAGE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return g_hash_table_lookup (self->buttons, id);
}

char *
mn_start_page_get_speech (MnStartPage *self)
{
  g_return_val_if_fail (MN_IS_START_PAGE (self), NULL);

  return g_strdup_printf ("%s\n%s", gtk_label_get_label (self->title_label),
                          gtk_label_get_label (self->lead_label));
}
