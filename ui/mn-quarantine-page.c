/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-case-code.h"
#include "mn-flow-frame.h"
#include "mn-quarantine-page.h"
#include "mn-store-sync.h"

struct _MnQuarantinePage
{
  AdwBin       parent_instance;

  MnFlowFrame *frame;
  GtkLabel    *staff_label;
  GtkWidget   *all_box;
  GtkLabel    *status_label;
  GtkBox      *list_box;
  GtkWidget   *sign_out_button;

  guint        n_items;
};

G_DEFINE_FINAL_TYPE (MnQuarantinePage, mn_quarantine_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_RETRY,
  SIGNAL_EXPORT,
  SIGNAL_SIGN_OUT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gint64 id = parameter != NULL ? g_variant_get_int64 (parameter) : 0;

  g_signal_emit (widget, signals[SIGNAL_RETRY], 0, id);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  gint64 id = parameter != NULL ? g_variant_get_int64 (parameter) : 0;

  g_signal_emit (widget, signals[SIGNAL_EXPORT], 0, id);
}

static void
sign_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_SIGN_OUT], 0);
}

static void
mn_quarantine_page_class_init (MnQuarantinePageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_RETRY] =
    g_signal_new ("retry", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_EXPORT] =
    g_signal_new ("export", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  signals[SIGNAL_SIGN_OUT] =
    g_signal_new ("sign-out", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-quarantine-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnQuarantinePage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnQuarantinePage, staff_label);
  gtk_widget_class_bind_template_child (widget_class, MnQuarantinePage, all_box);
  gtk_widget_class_bind_template_child (widget_class, MnQuarantinePage, status_label);
  gtk_widget_class_bind_template_child (widget_class, MnQuarantinePage, list_box);

  gtk_widget_class_install_action (widget_class, "quarantine.retry", "x", retry_action);
  gtk_widget_class_install_action (widget_class, "quarantine.export", "x", export_action);
  gtk_widget_class_install_action (widget_class, "quarantine.retry-all", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "quarantine.export-all", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "quarantine.sign-out", NULL, sign_out_action);
}

static void
mn_quarantine_page_init (MnQuarantinePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Sign out sits where every page has its button to go on; Back leaves
   * to the start screen, which signs out too. */
  /* Translators: on the staff page; ends the staff session. */
  self->sign_out_button = gtk_button_new_with_label (_("Sign out"));
  gtk_widget_set_name (self->sign_out_button, "quarantine-sign-out");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->sign_out_button), "quarantine.sign-out");
  gtk_widget_add_css_class (self->sign_out_button, "mn-primary");
  mn_flow_frame_set_action_widget (self->frame, self->sign_out_button);
  mn_flow_frame_set_step (self->frame, 0, 0);
  mn_quarantine_page_set_messages (self, NULL, NULL);
}

GtkWidget *
mn_quarantine_page_new (void)
{
  return g_object_new (MN_TYPE_QUARANTINE_PAGE, NULL);
}

void
mn_quarantine_page_set_staff (MnQuarantinePage *self,
                              const char       *number,
                              const char       *name)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MN_IS_QUARANTINE_PAGE (self));

  if (name != NULL)
    /* Translators: under the staff page's title; %s are the name and the staff number. */
    text = g_strdup_printf (_("Signed in: %s (staff number %s)"), name, number);
  gtk_label_set_label (self->staff_label, text != NULL ? text : "");
}

static GtkWidget *
body_label (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  return label;
}

static GtkWidget *
item_button (const char *label,
             const char *action,
             gint64      id,
             const char *name)
{
  GtkWidget *button = gtk_button_new_with_label (label);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (button), g_variant_new_int64 (id));
  gtk_widget_set_name (button, name);
  return button;
}

static char *
format_day (gint64 at)
{
  g_autoptr(GDateTime) t = at > 0 ? g_date_time_new_from_unix_local (at) : NULL;

  return t != NULL ? g_date_time_format (t, "%Y-%m-%d %H:%M") : g_strdup ("—");
}

static GtkWidget *
build_item (const MnOutboxMessage *m,
            MnCatalogue           *catalogue)
{
  GtkWidget        *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget        *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget        *w;
  const MnCategory *category = NULL;
  g_autofree char  *code = m->request->case_code != NULL ? mn_case_code_format (m->request->case_code)
                                                         : NULL;
  g_autofree char  *heading = NULL;
  g_autofree char  *facts = NULL;
  g_autofree char  *reason = NULL;
  g_autofree char  *filed = format_day (m->request->created_at);
  const char       *kind;

  if (catalogue != NULL && m->request->service_code != NULL)
    category = mn_catalogue_lookup (catalogue, m->request->service_code);

  kind = g_strcmp0 (m->kind, MN_OUTBOX_UPDATE) == 0
           /* Translators: the kind of a refused message: a resident's
            * rating or re-handling request for a case already sent. */
           ? _("Update (rating or re-handling)")
           /* Translators: the kind of a refused message: a request never sent yet. */
           : _("New request");
  heading = g_strdup_printf ("%s · %s", code != NULL ? code : "—", kind);
  /* Translators: one line per refused message on the staff page: the
   * category, when the request was filed, and how many times it was sent. */
  facts = g_strdup_printf (ngettext ("%s · filed %s · %u attempt", "%s · filed %s · %u attempts",
                                     m->attempts),
                           category != NULL ? mn_category_get_name (category)
                                            : (m->request->service_code != NULL
                                                 ? m->request->service_code : "—"),
                           filed, m->attempts);
  /* Translators: before the platform's own words, shown in full. */
  reason = g_strdup_printf (_("The platform said: %s"),
                            m->quarantine_reason != NULL ? m->quarantine_reason
                                                         : _("(no reason given)"));

  gtk_widget_add_css_class (box, "mn-buttons");
  gtk_widget_add_css_class (box, "mn-quarantine-item");
  w = body_label (heading);
  gtk_widget_add_css_class (w, "mn-heading");
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
  gtk_box_append (GTK_BOX (box), w);
  gtk_box_append (GTK_BOX (box), body_label (facts));
  w = body_label (reason);
  gtk_widget_set_name (w, "quarantine-reason");
  gtk_box_append (GTK_BOX (box), w);

  gtk_widget_add_css_class (buttons, "mn-buttons");
  /* Translators: staff page: put this one message back in the queue. */
  gtk_box_append (GTK_BOX (buttons), item_button (_("Try again"), "quarantine.retry", m->id,
                                                  "quarantine-retry"));
  /* Translators: staff page: write this one message to a file. */
  gtk_box_append (GTK_BOX (buttons), item_button (_("Export"), "quarantine.export", m->id,
                                                  "quarantine-export"));
  gtk_box_append (GTK_BOX (box), buttons);
  return box;
}

void
mn_quarantine_page_set_messages (MnQuarantinePage *self,
                                 GPtrArray        *messages,
                                 MnCatalogue      *catalogue)
{
  GtkWidget *child;

  g_return_if_fail (MN_IS_QUARANTINE_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_box_remove (self->list_box, child);

  self->n_items = messages != NULL ? messages->len : 0;
  for (guint i = 0; i < self->n_items; i++)
    {
      if (i > 0)
        gtk_box_append (self->list_box, gtk_separator_new (GTK_ORIENTATION_HORIZONTAL));
      gtk_box_append (self->list_box, build_item (g_ptr_array_index (messages, i), catalogue));
    }
  if (self->n_items == 0)
    gtk_box_append (self->list_box,
                    body_label (_("Nothing is in quarantine: every message has reached the "
                                  "platform or is waiting its turn.")));
  gtk_widget_set_visible (self->all_box, self->n_items > 0);
}

guint
mn_quarantine_page_get_n_items (MnQuarantinePage *self)
{
  g_return_val_if_fail (MN_IS_QUARANTINE_PAGE (self), 0);

  return self->n_items;
}

void
mn_quarantine_page_set_status (MnQuarantinePage *self,
                               const char       *text,
                               gboolean          is_error)
{
  g_return_if_fail (MN_IS_QUARANTINE_PAGE (self));

  gtk_label_set_label (self->status_label, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "mn-error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "mn-error");
}

const char *
mn_quarantine_page_get_status (MnQuarantinePage *self)
{
  g_return_val_if_fail (MN_IS_QUARANTINE_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->status_label)))
    return NULL;
  return gtk_label_get_label (self->status_label);
}

void
mn_quarantine_page_set_busy (MnQuarantinePage *self,
                             gboolean          busy)
{
  g_return_if_fail (MN_IS_QUARANTINE_PAGE (self));

  /* One action at a time: a second press while a file is written would
   * only write it twice. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quarantine.retry", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quarantine.export", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quarantine.retry-all", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "quarantine.export-all", !busy);
}

void
mn_quarantine_page_clear (MnQuarantinePage *self)
{
  g_return_if_fail (MN_IS_QUARANTINE_PAGE (self));

  mn_quarantine_page_set_staff (self, NULL, NULL);
  mn_quarantine_page_set_messages (self, NULL, NULL);
  mn_quarantine_page_set_status (self, NULL, FALSE);
  mn_quarantine_page_set_busy (self, FALSE);
}

char *
mn_quarantine_page_get_speech (MnQuarantinePage *self)
{
  g_return_val_if_fail (MN_IS_QUARANTINE_PAGE (self), NULL);

  if (self->n_items == 0)
    return g_strdup (_("Nothing is in quarantine: every message has reached the platform or is "
                       "waiting its turn."));
  return g_strdup_printf (ngettext ("The platform refused %u message. Its reason is shown under "
                                    "it.",
                                    "The platform refused %u messages. Their reasons are shown "
                                    "under each.",
                                    self->n_items),
                          self->n_items);
}
