/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-flow-frame.h"
#include "mn-location-page.h"
#include "mn-window.h"

struct _MnLocationPage
{
  AdwBin     parent_instance;

  GtkWidget *here_button;
  char      *choice; /* "" when nothing is chosen */
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
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnLocationPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
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
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOICE]);
  if (*choice != '\0' && get_window (self) != NULL)
    mn_window_say_button (get_window (self), mn_location_page_get_address_text (self));
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnLocationPage *self = MN_LOCATION_PAGE (widget);

  if (*self->choice == '\0')
    {
      if (get_window (self) != NULL)
        mn_window_announce (get_window (self), _("Please touch where the problem is first."));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

static void
mn_location_page_finalize (GObject *object)
{
  g_free (MN_LOCATION_PAGE (object)->choice);

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

  object_class->finalize = mn_location_page_finalize;
  object_class->get_property = mn_location_page_get_property;
  object_class->set_property = mn_location_page_set_property;

  properties[PROP_CHOICE] =
    g_param_spec_string ("choice", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-location-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnLocationPage, here_button);
  gtk_widget_class_install_property_action (widget_class, "location.choice", "choice");
  gtk_widget_class_install_action (widget_class, "location.next", NULL, next_action);
}

static void
mn_location_page_init (MnLocationPage *self)
{
  self->choice = g_strdup ("");
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mn_location_page_new (void)
{
  return g_object_new (MN_TYPE_LOCATION_PAGE, NULL);
}

const char *
mn_location_page_get_address_text (MnLocationPage *self)
{
  g_return_val_if_fail (MN_IS_LOCATION_PAGE (self), NULL);

  if (g_strcmp0 (self->choice, "here") == 0)
    return _("Here, at this service station");
  return NULL;
}

void
mn_location_page_reset (MnLocationPage *self)
{
  g_return_if_fail (MN_IS_LOCATION_PAGE (self));

  g_free (self->choice);
  self->choice = g_strdup ("");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHOICE]);
}
