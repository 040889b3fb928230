/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-category-page.h"
#include "mn-flow-frame.h"
#include "mn-window.h"

struct _MnCategoryPage
{
  AdwBin       parent_instance;

  MnFlowFrame *frame;
  GtkBox      *group_bar;
  GtkGrid     *tile_grid;
  GtkButton   *more_button;
  GtkButton   *confirm_button;

  MnCatalogue *catalogue;
  char        *group;    /* "" is the catalogue's NULL group */
  char        *selected; /* "" when nothing is selected */
  guint        chunk;    /* which nine of the group are shown */
  GHashTable  *tiles;    /* service code → tile shown now (borrowed) */
};

G_DEFINE_FINAL_TYPE (MnCategoryPage, mn_category_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_GROUP,
  PROP_SELECTED,
  N_PROPS
};

enum
{
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const char *
group_key (const char *group_id)
{
  return group_id != NULL ? group_id : "";
}

static const char *
group_id (const char *key)
{
  return key == NULL || *key == '\0' ? NULL : key;
}

/* Whoever should hear what was touched: the window the page is in. */
static MnWindow *
get_window (MnCategoryPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
clear_container (GtkWidget *parent)
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

static GtkWidget *
build_tile (const MnCategory *category)
{
  g_autofree char *name = g_strdup_printf ("category-%s", mn_category_get_code (category));
  GtkWidget *tile = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *image = gtk_image_new_from_icon_name (mn_category_get_icon_name (category));
  GtkWidget *label = gtk_label_new (mn_category_get_name (category));

  gtk_widget_set_name (tile, name);
  gtk_widget_add_css_class (tile, "mn-choice");
  gtk_widget_add_css_class (box, "mn-tile-content");
  /* The words take the width the tile has, so they wrap only when they
   * must (a label left at its minimum breaks "Lifts" into "Li-fts"). */
  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (box), image);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (tile), box);

  gtk_accessible_update_property (GTK_ACCESSIBLE (tile), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  mn_category_get_name (category),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  mn_category_get_description (category), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (tile), "category.code");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (tile), "s", mn_category_get_code (category));
  return tile;
}

static void
update_confirm (MnCategoryPage *self)
{
  const MnCategory *category = NULL;
  g_autofree char *label = NULL;

  if (self->catalogue != NULL && *self->selected != '\0')
    category = mn_catalogue_lookup (self->catalogue, self->selected);

  if (category != NULL)
    /* Translators: the confirm button once a category is touched, naming it. */
    label = g_strdup_printf (_("Next: %s"), mn_category_get_name (category));
  else
    label = g_strdup (_("Next"));
  gtk_button_set_label (self->confirm_button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->confirm_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
rebuild_tiles (MnCategoryPage *self)
{
  g_autoptr(GPtrArray) list = NULL;
  guint first, n_chunks;

  g_hash_table_remove_all (self->tiles);
  clear_container (GTK_WIDGET (self->tile_grid));
  if (self->catalogue == NULL)
    return;

  list = mn_catalogue_list_group (self->catalogue, group_id (self->group));
  n_chunks = MAX (1, (list->len + MN_CATEGORY_PAGE_MAX_TILES - 1) / MN_CATEGORY_PAGE_MAX_TILES);
  self->chunk %= n_chunks;
  first = self->chunk * MN_CATEGORY_PAGE_MAX_TILES;

  for (guint i = first; i < list->len && i < first + MN_CATEGORY_PAGE_MAX_TILES; i++)
    {
      const MnCategory *category = g_ptr_array_index (list, i);
      GtkWidget *tile = build_tile (category);
      guint n = i - first;

      gtk_grid_attach (self->tile_grid, tile, n % 3, n / 3, 1, 1);
      g_hash_table_insert (self->tiles, g_strdup (mn_category_get_code (category)), tile);
    }
  /* The whole row, so that an empty one takes no room. */
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->more_button)), n_chunks > 1);
}

static void
rebuild_groups (MnCategoryPage *self)
{
  guint n;

  clear_container (GTK_WIDGET (self->group_bar));
  if (self->catalogue == NULL)
    return;

  n = mn_catalogue_get_n_groups (self->catalogue);
  for (guint i = 0; i < n; i++)
    {
      const char *id = mn_catalogue_get_group_id (self->catalogue, i);
      const char *name = mn_catalogue_get_group_name (self->catalogue, id);
      g_autofree char *widget_name = g_strdup_printf ("group-%s", group_key (id));
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (name);

      /* Long group names (in English) wrap rather than widen the page. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
      gtk_button_set_child (GTK_BUTTON (button), label);

      gtk_widget_set_name (button, widget_name);
      gtk_widget_add_css_class (button, "mn-group");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                      -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "category.group");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", group_key (id));
      gtk_box_append (self->group_bar, button);
    }
  /* One group is no choice: the bar would only take room. */
  gtk_widget_set_visible (GTK_WIDGET (self->group_bar), n > 1);
}

static void
set_group (MnCategoryPage *self,
           const char     *key)
{
  if (key == NULL)
    key = "";
  if (g_strcmp0 (self->group, key) == 0)
    return;
  g_free (self->group);
  self->group = g_strdup (key);
  self->chunk = 0;
  rebuild_tiles (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);

  if (self->catalogue != NULL && get_window (self) != NULL)
    mn_window_say_button (get_window (self),
                          mn_catalogue_get_group_name (self->catalogue, group_id (key)));
}

static void
set_selected (MnCategoryPage *self,
              const char     *code)
{
  const MnCategory *category;

  if (code == NULL)
    code = "";
  if (g_strcmp0 (self->selected, code) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (code);
  update_confirm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);

  /* Touching a tile only names it; the person confirms below. */
  category = self->catalogue != NULL && *code != '\0' ? mn_catalogue_lookup (self->catalogue, code)
                                                      : NULL;
  if (category != NULL && get_window (self) != NULL)
    mn_window_say_button (get_window (self), mn_category_get_name (category));
}

static void
next_chunk_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  MnCategoryPage *self = MN_CATEGORY_PAGE (widget);

  self->chunk++;
  rebuild_tiles (self);
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MnCategoryPage *self = MN_CATEGORY_PAGE (widget);

  if (*self->selected == '\0')
    {
      /* Never a dead button: it says what to do first. */
      if (get_window (self) != NULL)
        mn_window_announce (get_window (self), _("Please touch a category first."));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, self->selected);
}

static void
mn_category_page_dispose (GObject *object)
{
  MnCategoryPage *self = MN_CATEGORY_PAGE (object);

  g_clear_object (&self->catalogue);
  g_clear_pointer (&self->tiles, g_hash_table_unref);

  G_OBJECT_CLASS (mn_category_page_parent_class)->dispose (object);
}

static void
mn_category_page_finalize (GObject *object)
{
  MnCategoryPage *self = MN_CATEGORY_PAGE (object);

  g_free (self->group);
  g_free (self->selected);

  G_OBJECT_CLASS (mn_category_page_parent_class)->finalize (object);
}

static void
mn_category_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MnCategoryPage *self = MN_CATEGORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_GROUP:
      g_value_set_string (value, self->group);
      break;
    case PROP_SELECTED:
      g_value_set_string (value, self->selected);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_category_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MnCategoryPage *self = MN_CATEGORY_PAGE (object);

  switch (prop_id)
    {
    case PROP_GROUP:
      set_group (self, g_value_get_string (value));
      break;
    case PROP_SELECTED:
      set_selected (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_category_page_class_init (MnCategoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_category_page_dispose;
  object_class->finalize = mn_category_page_finalize;
  object_class->get_property = mn_category_page_get_property;
  object_class->set_property = mn_category_page_set_property;

  /* Strings, never NULL: they are the states of the tiles' actions. */
  properties[PROP_GROUP] =
    g_param_spec_string ("group", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-category-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnCategoryPage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnCategoryPage, group_bar);
  gtk_widget_class_bind_template_child (widget_class, MnCategoryPage, tile_grid);
  gtk_widget_class_bind_template_child (widget_class, MnCategoryPage, more_button);
  gtk_widget_class_bind_template_child (widget_class, MnCategoryPage, confirm_button);

  gtk_widget_class_install_property_action (widget_class, "category.group", "group");
  gtk_widget_class_install_property_action (widget_class, "category.code", "selected");
  gtk_widget_class_install_action (widget_class, "category.next-chunk", NULL, next_chunk_action);
  gtk_widget_class_install_action (widget_class, "category.confirm", NULL, confirm_action);
}

static void
mn_category_page_init (MnCategoryPage *self)
{
  self->group = g_strdup ("");
  self->selected = g_strdup ("");
  self->tiles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_confirm (self);
}

GtkWidget *
mn_category_page_new (void)
{
  return g_object_new (MN_TYPE_CATEGORY_PAGE, NULL);
}

void
mn_category_page_set_catalogue (MnCategoryPage *self,
                                MnCatalogue    *catalogue)
{
  g_return_if_fail (MN_IS_CATEGORY_PAGE (self));
  g_return_if_fail (catalogue == NULL || MN_IS_CATALOGUE (catalogue));

  if (!g_set_object (&self->catalogue, catalogue))
    return;
  rebuild_groups (self);
  mn_category_page_reset (self);
}

MnCatalogue *
mn_category_page_get_catalogue (MnCategoryPage *self)
{
  g_return_val_if_fail (MN_IS_CATEGORY_PAGE (self), NULL);

  return self->catalogue;
}

const char *
mn_category_page_get_selected (MnCategoryPage *self)
{
  g_return_val_if_fail (MN_IS_CATEGORY_PAGE (self), NULL);

  return *self->selected != '\0' ? self->selected : NULL;
}

void
mn_category_page_reset (MnCategoryPage *self)
{
  const char *first = NULL;

  g_return_if_fail (MN_IS_CATEGORY_PAGE (self));

  if (self->catalogue != NULL && mn_catalogue_get_n_groups (self->catalogue) > 0)
    first = mn_catalogue_get_group_id (self->catalogue, 0);

  /* Quietly: a reset is not a touch, nothing is said. */
  g_free (self->selected);
  self->selected = g_strdup ("");
  g_free (self->group);
  self->group = g_strdup (group_key (first));
  self->chunk = 0;
  rebuild_tiles (self);
  update_confirm (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUP]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

GtkWidget *
mn_category_page_get_tile (MnCategoryPage *self,
                           const char     *service_code)
{
  g_return_val_if_fail (MN_IS_CATEGORY_PAGE (self), NULL);
  g_return_val_if_fail (service_code != NULL, NULL);

  return g_hash_table_lookup (self->tiles, service_code);
}
