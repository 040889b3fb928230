/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "mn-flow-frame.h"
#include "mn-i18n.h"
#include "mn-kiosk-style.h"

struct _MnFlowFrame
{
  GtkWidget  parent_instance;

  GtkLabel  *step_label;
  GtkLabel  *title_label;
  AdwBin    *content_bin;
  GtkWidget *footer;
  GtkButton *back_button;
  GtkButton *repeat_button;
  GtkButton *staff_button;
  AdwBin    *action_bin;

  guint      step;
  guint      n_steps;
};

G_DEFINE_FINAL_TYPE (MnFlowFrame, mn_flow_frame, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_CONTENT,
  PROP_TITLE,
  PROP_STEP,
  PROP_N_STEPS,
  PROP_BACK_ACTION_NAME,
  PROP_ACTION_WIDGET,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update_step (MnFlowFrame *self)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->step_label), self->step > 0 && self->n_steps > 0);
  if (self->step == 0 || self->n_steps == 0)
    return;
  /* Translators: the step indicator of the resident's flow, "Step 2 of 7". */
  text = g_strdup_printf (_("Step %u of %u"), self->step, self->n_steps);
  gtk_label_set_label (self->step_label, text);
}

static void
mn_flow_frame_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), MN_TYPE_FLOW_FRAME);
  /* The template's unnamed children (header, scroller) are ours too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (mn_flow_frame_parent_class)->dispose (object);
}

static void
mn_flow_frame_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MnFlowFrame *self = MN_FLOW_FRAME (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      g_value_set_object (value, mn_flow_frame_get_content (self));
      break;
    case PROP_TITLE:
      g_value_set_string (value, mn_flow_frame_get_title (self));
      break;
    case PROP_STEP:
      g_value_set_uint (value, self->step);
      break;
    case PROP_N_STEPS:
      g_value_set_uint (value, self->n_steps);
      break;
    case PROP_BACK_ACTION_NAME:
      g_value_set_string (value, gtk_actionable_get_action_name (GTK_ACTIONABLE (self->back_button)));
      break;
    case PROP_ACTION_WIDGET:
      g_value_set_object (value, adw_bin_get_child (self->action_bin));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_flow_frame_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  MnFlowFrame *self = MN_FLOW_FRAME (object);

  switch (prop_id)
    {
    case PROP_CONTENT:
      mn_flow_frame_set_content (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      mn_flow_frame_set_title (self, g_value_get_string (value));
      break;
    case PROP_STEP:
      mn_flow_frame_set_step (self, g_value_get_uint (value), self->n_steps);
      break;
    case PROP_N_STEPS:
      mn_flow_frame_set_step (self, self->step, g_value_get_uint (value));
      break;
    case PROP_BACK_ACTION_NAME:
      mn_flow_frame_set_back_action_name (self, g_value_get_string (value));
      break;
    case PROP_ACTION_WIDGET:
      mn_flow_frame_set_action_widget (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_flow_frame_class_init (MnFlowFrameClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_flow_frame_dispose;
  object_class->get_property = mn_flow_frame_get_property;
  object_class->set_property = mn_flow_frame_set_property;

  properties[PROP_CONTENT] =
    g_param_spec_object ("content", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STEP] =
    g_param_spec_uint ("step", NULL, NULL, 0, 100, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_STEPS] =
    g_param_spec_uint ("n-steps", NULL, NULL, 0, 100, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACK_ACTION_NAME] =
    g_param_spec_string ("back-action-name", NULL, NULL, "win.go-home",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACTION_WIDGET] =
    g_param_spec_object ("action-widget", NULL, NULL, GTK_TYPE_WIDGET,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (ADW_TYPE_BIN);
  g_type_ensure (ADW_TYPE_BUTTON_CONTENT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-flow-frame.ui");
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, step_label);
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, title_label);
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, content_bin);
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, footer);
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, back_button);
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, repeat_button);
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, staff_button);
  gtk_widget_class_bind_template_child (widget_class, MnFlowFrame, action_bin);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mn_flow_frame_init (MnFlowFrame *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title_label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  /* The bottom buttons get their accessible names from their
   * AdwButtonContent (it labels its button); setting a label as well
   * would make screen readers say each name twice. */
  update_step (self);
}

GtkWidget *
mn_flow_frame_new (void)
{
  return g_object_new (MN_TYPE_FLOW_FRAME, NULL);
}

void
mn_flow_frame_set_content (MnFlowFrame *self,
                           GtkWidget   *content)
{
  g_return_if_fail (MN_IS_FLOW_FRAME (self));
  g_return_if_fail (content == NULL || GTK_IS_WIDGET (content));

  if (adw_bin_get_child (self->content_bin) == content)
    return;
  adw_bin_set_child (self->content_bin, content);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTENT]);
}

GtkWidget *
mn_flow_frame_get_content (MnFlowFrame *self)
{
  g_return_val_if_fail (MN_IS_FLOW_FRAME (self), NULL);

  return adw_bin_get_child (self->content_bin);
}

void
mn_flow_frame_set_title (MnFlowFrame *self,
                         const char  *title)
{
  g_return_if_fail (MN_IS_FLOW_FRAME (self));

  if (g_strcmp0 (gtk_label_get_label (self->title_label), title) == 0)
    return;
  gtk_label_set_label (self->title_label, title);
  {
    /* A question from the platform, a place: Chinese among the words of
     * another language keeps the Han face and its line spacing. */
    g_autoptr(PangoAttrList) han = mn_kiosk_han_attributes (title, mn_i18n_get_language ());

    gtk_label_set_attributes (self->title_label, han);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

const char *
mn_flow_frame_get_title (MnFlowFrame *self)
{
  g_return_val_if_fail (MN_IS_FLOW_FRAME (self), NULL);

  return gtk_label_get_label (self->title_label);
}

void
mn_flow_frame_set_step (MnFlowFrame *self,
                        guint        step,
                        guint        n_steps)
{
  g_return_if_fail (MN_IS_FLOW_FRAME (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->step != step)
    {
      self->step = step;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STEP]);
    }
  if (self->n_steps != n_steps)
    {
      self->n_steps = n_steps;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_STEPS]);
    }
  update_step (self);
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
mn_flow_frame_get_step_text (MnFlowFrame *self)
{
  g_return_val_if_fail (MN_IS_FLOW_FRAME (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->step_label)) ?
           gtk_label_get_label (self->step_label) : NULL;
}

void
mn_flow_frame_set_back_action_name (MnFlowFrame *self,
                                    const char  *action_name)
{
  g_return_if_fail (MN_IS_FLOW_FRAME (self));

  /* Detailed ("win.show-page::file-details"): Back usually names a page. */
  gtk_actionable_set_detailed_action_name (GTK_ACTIONABLE (self->back_button), action_name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACK_ACTION_NAME]);
}

void
mn_flow_frame_set_action_widget (MnFlowFrame *self,
                                 GtkWidget   *widget)
{
  g_return_if_fail (MN_IS_FLOW_FRAME (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  if (adw_bin_get_child (self->action_bin) == widget)
    return;
  adw_bin_set_child (self->action_bin, widget);
  gtk_widget_set_visible (GTK_WIDGET (self->action_bin), widget != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION_WIDGET]);
}
