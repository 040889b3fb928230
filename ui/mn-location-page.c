/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-flow-frame.h"
#include "mn-kiosk-style.h"
#include "mn-location-page.h"
#include "mn-window.h"

#define MAX_PLACES 9

struct _MnLocationPage
{
  AdwBin        parent_instance;

  GtkWidget    *choices;
  GtkWidget    *here_button;
  GtkWidget    *other_button;
  GtkWidget    *picker;
  GtkLabel     *trail_label;
  GtkWidget    *up_button;
  GtkGrid      *place_grid;
  GtkWidget    *more_button;

  MnGazetteer  *gazetteer;
  GCancellable *cancellable;
  MnPlace      *station;      /* the station's place, or NULL */
  char         *station_name;
  char         *root_code;    /* where "somewhere else" starts: the station's district */

  char         *choice;       /* "", "here" or "other" */
  GPtrArray    *trail;        /* MnPlace*, the places picked, largest first */
  GPtrArray    *shown;        /* MnPlace*, the level on screen */
  guint         chunk;
  guint         loading;      /* bumped per request, so a late answer is dropped */
  GHashTable   *buttons;      /* code → button (borrowed) */
  char         *address;
};

G_DEFINE_FINAL_TYPE (MnLocationPage, mn_location_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_CHOICE,
  N_PROPS
};

enum
{
  SIGNAL_NEXT,
  SIGNAL_PLACES_LOADED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void load_level (MnLocationPage *self);

/* The choices sit in a flow box, which wraps each in a cell of its own:
 * the cell is what shows or hides, or an empty one would keep its place. */
static void
set_other_offered (MnLocationPage *self,
                   gboolean        offered)
{
  gtk_widget_set_visible (self->other_button, offered);
  gtk_widget_set_visible (gtk_widget_get_parent (self->other_button), offered);
}

static MnWindow *
get_window (MnLocationPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static const char *
place_label (MnPlace *place)
{
  return place->short_name != NULL && *place->short_name != '\0' ? place->short_name
                                                                   : place->name;
}

static void
update_address (MnLocationPage *self)
{
  g_clear_pointer (&self->address, g_free);

  if (g_strcmp0 (self->choice, "here") == 0)
    {
      /* Translators: the place of a request filed about the station itself;
       * %s is the station's name. */
      self->address = self->station_name != NULL ?
                        g_strdup_printf (_("Here, at %s"), self->station_name) :
                        g_strdup (_("Here, at this service station"));
    }
  else if (g_strcmp0 (self->choice, "other") == 0 && self->trail->len > 0)
    {
      GString *text = g_string_new (NULL);

      for (guint i = 0; i < self->trail->len; i++)
        {
          if (i > 0)
            g_string_append_c (text, ' ');
          g_string_append (text, place_label (g_ptr_array_index (self->trail, i)));
        }
      self->address = g_string_free (text, FALSE);
    }

  gtk_label_set_label (self->trail_label, self->address != NULL && self->trail->len > 0 ?
                                            self->address : _("Touch the street first."));
  {
    g_autoptr(PangoAttrList) names = self->address != NULL && self->trail->len > 0 ?
                                       mn_kiosk_place_names_attributes (self->address) : NULL;

    gtk_label_set_attributes (self->trail_label, names);
  }
  /* From the streets, up goes back to "here" or "somewhere else". */
  gtk_widget_set_visible (self->up_button, g_strcmp0 (self->choice, "other") == 0);
}

static void
clear_grid (MnLocationPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->place_grid))) != NULL)
    gtk_grid_remove (self->place_grid, child);
  g_hash_table_remove_all (self->buttons);
}

static void
show_chunk (MnLocationPage *self)
{
  guint n_chunks = MAX (1, (self->shown->len + MAX_PLACES - 1) / MAX_PLACES);
  guint first;

  clear_grid (self);
  self->chunk %= n_chunks;
  first = self->chunk * MAX_PLACES;
  for (guint i = first; i < self->shown->len && i < first + MAX_PLACES; i++)
    {
      MnPlace *place = g_ptr_array_index (self->shown, i);
      g_autofree char *name = g_strdup_printf ("place-%s", place->code);
      GtkWidget *button = gtk_button_new_with_label (place_label (place));
      GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));
      guint n = i - first;

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      /* Place names are Chinese in every language (street signs). */
      gtk_widget_add_css_class (label, "mn-han");
      gtk_widget_set_name (button, name);
      gtk_widget_add_css_class (button, "mn-choice");
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      place_label (place), -1);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "location.pick");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", place->code);
      gtk_grid_attach (self->place_grid, button, n % 3, n / 3, 1, 1);
      g_hash_table_insert (self->buttons, g_strdup (place->code), button);
    }
  gtk_widget_set_visible (self->more_button, n_chunks > 1);
}

static void
on_children (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  MnLocationPage *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) children = mn_gazetteer_get_children_finish (MN_GAZETTEER (source), result,
                                                                    &error);
  guint request = GPOINTER_TO_UINT (g_object_steal_data (G_OBJECT (self), "mn-request"));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_object_unref (self);
      return;
    }
  if (request == self->loading)
    {
      g_ptr_array_set_size (self->shown, 0);
      if (children != NULL)
        for (guint i = 0; i < children->len; i++)
          g_ptr_array_add (self->shown, mn_place_ref (g_ptr_array_index (children, i)));
      else
        g_warning ("%s", error->message);
      self->chunk = 0;
      show_chunk (self);
      g_signal_emit (self, signals[SIGNAL_PLACES_LOADED], 0);
    }
  g_object_unref (self);
}

/* Shows the places below the last one picked (or below the root). */
static void
load_level (MnLocationPage *self)
{
  const char *parent = self->root_code;

  if (self->gazetteer == NULL)
    return;
  if (self->trail->len > 0)
    {
      MnPlace *last = g_ptr_array_index (self->trail, self->trail->len - 1);

      if (!last->has_children)
        {
          /* The smallest place there is: nothing more to pick. */
          g_ptr_array_set_size (self->shown, 0);
          show_chunk (self);
          g_signal_emit (self, signals[SIGNAL_PLACES_LOADED], 0);
          return;
        }
      parent = last->code;
    }

  self->loading++;
  g_object_set_data (G_OBJECT (self), "mn-request", GUINT_TO_POINTER (self->loading));
  mn_gazetteer_get_children_async (self->gazetteer, parent, self->cancellable, on_children,
                                   g_object_ref (self));
}

static void
set_choice (MnLocationPage *self,
            const char     *choice)
{
  if (choice == NULL)
    choice = "";
  if (g_strcmp0 (self->choice, choice) == 0)
    return;
  g_free (self->choice);
  self->choice = g_strdup (choice);
  /* The pickers take the choices' place: at the largest text in English
   * or Uyghur (where the two stand one above the other) both do not fit
   * on one screen. "Up one level" from the streets brings them back. */
  gtk_widget_set_visible (self->picker, g_str_equal (choice, "other"));
  gtk_widget_set_visible (self->choices, !g_str_equal (choice, "other"));
  if (g_str_equal (choice, "other") && self->shown->len == 0 && self->trail->len == 0)
    load_level (self);
  update_address (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOICE]);

  if (*choice != '\0' && get_window (self) != NULL)
    mn_window_say_button (get_window (self),
                          g_str_equal (choice, "here") ? self->address : _("Somewhere else"));
}

static MnPlace *
find_shown (MnLocationPage *self,
            const char     *code)
{
  for (guint i = 0; i < self->shown->len; i++)
    {
      MnPlace *place = g_ptr_array_index (self->shown, i);

      if (g_strcmp0 (place->code, code) == 0)
        return place;
    }
  return NULL;
}

static void
pick_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnLocationPage *self = MN_LOCATION_PAGE (widget);
  MnPlace *place = find_shown (self, g_variant_get_string (parameter, NULL));

  if (place == NULL)
    return;
  g_ptr_array_add (self->trail, mn_place_ref (place));
  update_address (self);
  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), place_label (place));
  load_level (self);
}

static void
up_action (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  MnLocationPage *self = MN_LOCATION_PAGE (widget);

  if (self->trail->len == 0)
    {
      set_choice (self, "");
      return;
    }
  g_ptr_array_set_size (self->trail, self->trail->len - 1);
  update_address (self);
  load_level (self);
}

static void
more_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnLocationPage *self = MN_LOCATION_PAGE (widget);

  self->chunk++;
  show_chunk (self);
}

static gboolean
place_is_enough (MnLocationPage *self)
{
  MnPlace *last;

  if (g_strcmp0 (self->choice, "here") == 0)
    return TRUE;
  if (g_strcmp0 (self->choice, "other") != 0 || self->trail->len == 0)
    return FALSE;
  /* A street is too large for anyone to find the problem in. */
  last = g_ptr_array_index (self->trail, self->trail->len - 1);
  return last->level >= MN_PLACE_LEVEL_COMMUNITY;
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnLocationPage *self = MN_LOCATION_PAGE (widget);

  if (!place_is_enough (self))
    {
      if (get_window (self) != NULL)
        mn_window_announce (get_window (self),
                            *self->choice == '\0' ?
                              _("Please touch where the problem is first.") :
                              _("Please choose at least the community."));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

static void
on_station_path (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MnLocationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) path = mn_gazetteer_get_path_finish (MN_GAZETTEER (source), result, &error);

  if (path == NULL)
    return;
  /* "Somewhere else" starts with the streets of the station's district:
   * residents come from around the station. */
  for (guint i = 0; i < path->len; i++)
    {
      MnPlace *place = g_ptr_array_index (path, i);

      if (place->level == MN_PLACE_LEVEL_DISTRICT)
        {
          g_free (self->root_code);
          self->root_code = g_strdup (place->code);
        }
    }
}

static void
on_station (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(MnLocationPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  MnPlace *place = mn_gazetteer_get_station_place_finish (MN_GAZETTEER (source), result, &name,
                                                          &error);

  if (place == NULL)
    return; /* not provisioned: "here" without a name, the pickers from the top */
  g_clear_pointer (&self->station, mn_place_unref);
  self->station = place;
  g_free (self->station_name);
  self->station_name = g_steal_pointer (&name);
  update_address (self);
  mn_gazetteer_get_path_async (MN_GAZETTEER (source), place->code, self->cancellable,
                               on_station_path, g_object_ref (self));
}

static void
mn_location_page_dispose (GObject *object)
{
  MnLocationPage *self = MN_LOCATION_PAGE (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->gazetteer);
  g_clear_pointer (&self->station, mn_place_unref);
  g_clear_pointer (&self->trail, g_ptr_array_unref);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->buttons, g_hash_table_unref);

  G_OBJECT_CLASS (mn_location_page_parent_class)->dispose (object);
}

static void
mn_location_page_finalize (GObject *object)
{
  MnLocationPage *self = MN_LOCATION_PAGE (object);

  g_free (self->choice);
  g_free (self->station_name);
  g_free (self->root_code);
  g_free (self->address);

  G_OBJECT_CLASS (mn_location_page_parent_class)->finalize (object);
}

static void
mn_location_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_CHOICE:
      g_value_set_string (value, MN_LOCATION_PAGE (object)->choice);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_location_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_CHOICE:
      set_choice (MN_LOCATION_PAGE (object), g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_location_page_class_init (MnLocationPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_location_page_dispose;
  object_class->finalize = mn_location_page_finalize;
  object_class->get_property = mn_location_page_get_property;
  object_class->set_property = mn_location_page_set_property;

  properties[PROP_CHOICE] =
    g_param_spec_string ("choice", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PLACES_LOADED] =
    g_signal_new ("places-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-location-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, choices);
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, here_button);
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, other_button);
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, picker);
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, trail_label);
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, up_button);
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, place_grid);
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, more_button);
  gtk_widget_class_install_property_action (widget_class, "location.choice", "choice");
  gtk_widget_class_install_action (widget_class, "location.pick", "s", pick_action);
  gtk_widget_class_install_action (widget_class, "location.up", NULL, up_action);
  gtk_widget_class_install_action (widget_class, "location.more", NULL, more_action);
  gtk_widget_class_install_action (widget_class, "location.next", NULL, next_action);
}

static void
mn_location_page_init (MnLocationPage *self)
{
  self->choice = g_strdup ("");
  self->trail = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_place_unref);
  self->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_place_unref);
  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The cells are layout only: a finger touches the buttons, and focus
   * goes from button to button. */
  gtk_widget_set_focusable (gtk_widget_get_parent (self->here_button), FALSE);
  gtk_widget_set_focusable (gtk_widget_get_parent (self->other_button), FALSE);
  /* Without a gazetteer there is nothing to pick from. */
  set_other_offered (self, FALSE);
  update_address (self);
}

GtkWidget *
mn_location_page_new (void)
{
  return g_object_new (MN_TYPE_LOCATION_PAGE, NULL);
}

void
mn_location_page_set_gazetteer (MnLocationPage *self,
                                MnGazetteer    *gazetteer)
{
  g_return_if_fail (MN_IS_LOCATION_PAGE (self));
  g_return_if_fail (gazetteer == NULL || MN_IS_GAZETTEER (gazetteer));

  if (!g_set_object (&self->gazetteer, gazetteer))
    return;
  mn_location_page_reset (self);
  set_other_offered (self, gazetteer != NULL);
  if (gazetteer != NULL)
    mn_gazetteer_get_station_place_async (gazetteer, self->cancellable, on_station,
                                          g_object_ref (self));
}

const char *
mn_location_page_get_station_name (MnLocationPage *self)
{
  g_return_val_if_fail (MN_IS_LOCATION_PAGE (self), NULL);

  return self->station_name;
}

const char *
mn_location_page_get_address_text (MnLocationPage *self)
{
  g_return_val_if_fail (MN_IS_LOCATION_PAGE (self), NULL);

  return place_is_enough (self) ? self->address : NULL;
}

const char *
mn_location_page_get_place_code (MnLocationPage *self)
{
  g_return_val_if_fail (MN_IS_LOCATION_PAGE (self), NULL);

  if (!place_is_enough (self))
    return NULL;
  if (g_strcmp0 (self->choice, "here") == 0)
    return self->station != NULL ? self->station->code : NULL;
  return ((MnPlace *) g_ptr_array_index (self->trail, self->trail->len - 1))->code;
}

GtkWidget *
mn_location_page_get_place_button (MnLocationPage *self,
                                   const char     *code)
{
  g_return_val_if_fail (MN_IS_LOCATION_PAGE (self), NULL);

  return g_hash_table_lookup (self->buttons, code);
}

GPtrArray *
mn_location_page_list_shown (MnLocationPage *self)
{
  GPtrArray *codes = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (MN_IS_LOCATION_PAGE (self), codes);

  for (guint i = 0; i < self->shown->len; i++)
    g_ptr_array_add (codes, g_strdup (((MnPlace *) g_ptr_array_index (self->shown, i))->code));
  return codes;
}

void
mn_location_page_reset (MnLocationPage *self)
{
  g_return_if_fail (MN_IS_LOCATION_PAGE (self));

  self->loading++;
  g_ptr_array_set_size (self->trail, 0);
  g_ptr_array_set_size (self->shown, 0);
  self->chunk = 0;
  clear_grid (self);
  g_free (self->choice);
  self->choice = g_strdup ("");
  gtk_widget_set_visible (self->picker, FALSE);
  gtk_widget_set_visible (self->choices, TRUE);
  gtk_widget_set_visible (self->more_button, FALSE);
  update_address (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOICE]);
}
