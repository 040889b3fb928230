/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-sync-indicator.h"

struct _MnSyncIndicator
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkImage  *icon;
  GtkLabel  *label;
  MnOutbox  *outbox;
  gulong     changed_handler;
};

G_DEFINE_FINAL_TYPE (MnSyncIndicator, mn_sync_indicator, GTK_TYPE_WIDGET)

void
mn_sync_indicator_update (MnSyncIndicator *self,
                          gboolean         online,
                          guint            waiting)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MN_IS_SYNC_INDICATOR (self));

  /* Calm words: waiting requests are safe on the terminal, nothing for a
   * resident to do about it. */
  if (online && waiting == 0)
    text = g_strdup (_("Connected to the platform"));
  else if (online)
    text = g_strdup_printf (ngettext ("Connected · %u request being sent",
                                      "Connected · %u requests being sent", waiting),
                            waiting);
  else if (waiting == 0)
    text = g_strdup (_("Offline"));
  else
    text = g_strdup_printf (ngettext ("Offline · %u request kept safely on this terminal",
                                      "Offline · %u requests kept safely on this terminal",
                                      waiting),
                            waiting);

  gtk_label_set_text (self->label, text);
  gtk_image_set_from_icon_name (self->icon, online ? "network-transmit-receive-symbolic"
                                                   : "network-offline-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

const char *
mn_sync_indicator_get_text (MnSyncIndicator *self)
{
  g_return_val_if_fail (MN_IS_SYNC_INDICATOR (self), NULL);
  return gtk_label_get_text (self->label);
}

static void
on_changed (MnOutbox        *outbox,
            MnSyncIndicator *self)
{
  /* Before the first pass nobody knows yet: "Offline" would be a guess,
   * and a wrong one on a kiosk that is about to connect. */
  if (!mn_outbox_get_checked (outbox))
    return;
  mn_sync_indicator_update (self, mn_outbox_get_online (outbox), mn_outbox_get_waiting (outbox));
}

void
mn_sync_indicator_set_outbox (MnSyncIndicator *self,
                              MnOutbox        *outbox)
{
  g_return_if_fail (MN_IS_SYNC_INDICATOR (self));
  g_return_if_fail (outbox == NULL || MN_IS_OUTBOX (outbox));

  if (self->outbox != NULL)
    g_clear_signal_handler (&self->changed_handler, self->outbox);
  g_set_object (&self->outbox, outbox);
  if (outbox != NULL)
    {
      self->changed_handler = g_signal_connect (outbox, "changed", G_CALLBACK (on_changed), self);
      on_changed (outbox, self);
    }
}

/* Like a GtkBinLayout, with one difference: asked for its height without
 * a width, it answers with the height of its words on one line at least.
 * A wrapping label answers with the height of its unwrapped layout, and
 * for Uyghur (Arabic-script words with digits from another face) that is
 * a few pixels less than the same single line laid out at a given width,
 * which the box above it reports as a GTK critical ("Expect overlapping
 * widgets") and then resolves by guessing. */
static void
mn_sync_indicator_measure (GtkWidget      *widget,
                           GtkOrientation  orientation,
                           int             for_size,
                           int            *minimum,
                           int            *natural,
                           int            *minimum_baseline,
                           int            *natural_baseline)
{
  *minimum = *natural = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int min = 0, nat = 0;

      if (!gtk_widget_should_layout (child))
        continue;
      gtk_widget_measure (child, orientation, for_size, &min, &nat, NULL, NULL);
      if (orientation == GTK_ORIENTATION_VERTICAL && for_size < 0)
        {
          int one_line = 0, min_w = 0, nat_w = 0, nat_h = 0;

          gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
          gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, nat_w, &one_line, &nat_h, NULL,
                              NULL);
          min = MAX (min, one_line);
          nat = MAX (nat, nat_h);
        }
      *minimum = MAX (*minimum, min);
      *natural = MAX (*natural, nat);
    }
}

static void
mn_sync_indicator_size_allocate (GtkWidget *widget,
                                 int        width,
                                 int        height,
                                 int        baseline)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_should_layout (child))
      gtk_widget_allocate (child, width, height, baseline, NULL);
}

static void
mn_sync_indicator_dispose (GObject *object)
{
  MnSyncIndicator *self = MN_SYNC_INDICATOR (object);

  mn_sync_indicator_set_outbox (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), MN_TYPE_SYNC_INDICATOR);
  G_OBJECT_CLASS (mn_sync_indicator_parent_class)->dispose (object);
}

static void
mn_sync_indicator_class_init (MnSyncIndicatorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_sync_indicator_dispose;

  widget_class->measure = mn_sync_indicator_measure;
  widget_class->size_allocate = mn_sync_indicator_size_allocate;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, MnSyncIndicator, box);
  gtk_widget_class_bind_template_child (widget_class, MnSyncIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, MnSyncIndicator, label);
}

void
mn_sync_indicator_show_checking (MnSyncIndicator *self)
{
  const char *text;

  g_return_if_fail (MN_IS_SYNC_INDICATOR (self));

  text = _("Checking the connection to the platform…");
  gtk_label_set_text (self->label, text);
  gtk_image_set_from_icon_name (self->icon, "network-idle-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static void
mn_sync_indicator_init (MnSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Until the first pass says otherwise: neither online nor offline. */
  mn_sync_indicator_show_checking (self);
}

GtkWidget *
mn_sync_indicator_new (void)
{
  return g_object_new (MN_TYPE_SYNC_INDICATOR, NULL);
}
