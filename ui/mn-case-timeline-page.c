/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-case-code.h"
#include "mn-case-timeline-page.h"
#include "mn-flow-frame.h"

struct _MnCaseTimelinePage
{
  AdwBin       parent_instance;

  MnFlowFrame *frame;
  GtkLabel    *code_label;
  GtkLabel    *contact_label;
  GtkLabel    *notice_label;
  GtkBox      *lines_box;
  GtkWidget   *rate_button;
};

G_DEFINE_FINAL_TYPE (MnCaseTimelinePage, mn_case_timeline_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_RATE,
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
rate_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_RATE], 0);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_DONE], 0);
}

static void
clear_lines (MnCaseTimelinePage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->lines_box))) != NULL)
    gtk_box_remove (self->lines_box, child);
}

static void
mn_case_timeline_page_dispose (GObject *object)
{
  /* AdwBin unparents its child (the template's frame) itself. */

  G_OBJECT_CLASS (mn_case_timeline_page_parent_class)->dispose (object);
}

static void
mn_case_timeline_page_class_init (MnCaseTimelinePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_case_timeline_page_dispose;

  signals[SIGNAL_RATE] =
    g_signal_new ("rate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-case-timeline-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnCaseTimelinePage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnCaseTimelinePage, code_label);
  gtk_widget_class_bind_template_child (widget_class, MnCaseTimelinePage, contact_label);
  gtk_widget_class_bind_template_child (widget_class, MnCaseTimelinePage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, MnCaseTimelinePage, lines_box);
  gtk_widget_class_bind_template_child (widget_class, MnCaseTimelinePage, rate_button);

  gtk_widget_class_install_action (widget_class, "timeline.rate", NULL, rate_action);
  gtk_widget_class_install_action (widget_class, "timeline.done", NULL, done_action);
}

static void
mn_case_timeline_page_init (MnCaseTimelinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mn_case_timeline_page_new (void)
{
  return g_object_new (MN_TYPE_CASE_TIMELINE_PAGE, NULL);
}

static GtkWidget *
build_line (const MnTimelineEntry *e)
{
  GtkWidget *row = g_object_new (GTK_TYPE_BOX, "orientation", GTK_ORIENTATION_HORIZONTAL,
                                 "accessible-role", GTK_ACCESSIBLE_ROLE_LIST_ITEM, NULL);
  GtkWidget *icon = gtk_image_new_from_icon_name (e->warning ? "dialog-warning-symbolic"
                                                             : "media-record-symbolic");
  GtkWidget *label = gtk_label_new (e->text);

  gtk_widget_add_css_class (row, "mn-buttons");
  if (e->warning)
    gtk_widget_add_css_class (icon, "mn-icon");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  /* The words say it all; the icon helps the eye. */
  gtk_accessible_update_state (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_set_hexpand (label, TRUE);
  if (e->warning)
    gtk_widget_add_css_class (label, "mn-error");
  gtk_box_append (GTK_BOX (row), icon);
  gtk_box_append (GTK_BOX (row), label);

  return row;
}

char *
mn_case_timeline_page_show (MnCaseTimelinePage *self,
                            const MnCaseView   *view,
                            GPtrArray          *timeline,
                            const char         *notice,
                            gboolean            can_rate)
{
  g_autofree char *display = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *speech = NULL;
  const MnRequest *r;

  g_return_val_if_fail (MN_IS_CASE_TIMELINE_PAGE (self), NULL);
  g_return_val_if_fail (view != NULL && view->request != NULL, NULL);

  r = view->request;
  display = mn_case_code_format (r->case_code);
  /* Translators: %s is the case code in groups. */
  heading = g_strdup_printf (_("Case %s"), display);
  gtk_label_set_label (self->code_label, heading);

  /* An anonymous case shows no contact at all. */
  if (!r->anonymous && r->contact_hint != NULL)
    {
      g_autofree char *contact = g_strdup_printf (_("Phone: %s"), r->contact_hint);

      gtk_label_set_label (self->contact_label, contact);
      gtk_widget_set_visible (GTK_WIDGET (self->contact_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->contact_label), FALSE);

  gtk_label_set_label (self->notice_label, notice != NULL ? notice : "");
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), notice != NULL);

  clear_lines (self);
  for (guint i = 0; i < timeline->len; i++)
    gtk_box_append (self->lines_box, build_line (g_ptr_array_index (timeline, i)));
  gtk_widget_set_visible (self->rate_button, can_rate);

  speech = mn_inquiry_timeline_speech (view, timeline);
  if (notice != NULL)
    return g_strconcat (notice, " ", speech, NULL);
  return g_steal_pointer (&speech);
}

void
mn_case_timeline_page_reset (MnCaseTimelinePage *self)
{
  g_return_if_fail (MN_IS_CASE_TIMELINE_PAGE (self));

  clear_lines (self);
  gtk_label_set_label (self->code_label, "");
  gtk_label_set_label (self->contact_label, "");
  gtk_label_set_label (self->notice_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->contact_label), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->notice_label), FALSE);
  gtk_widget_set_visible (self->rate_button, FALSE);
}

guint
mn_case_timeline_page_count_lines (MnCaseTimelinePage *self)
{
  guint n = 0;

  g_return_val_if_fail (MN_IS_CASE_TIMELINE_PAGE (self), 0);

  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (self->lines_box)); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}
