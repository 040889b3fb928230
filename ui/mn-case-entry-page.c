/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-case-code.h"
#include "mn-case-entry-page.h"
#include "mn-flow-frame.h"
#include "mn-keypad.h"

struct _MnCaseEntryPage
{
  AdwBin       parent_instance;

  MnFlowFrame *frame;
  MnKeypad    *keypad;
  GtkLabel    *lead_label;
  GtkLabel    *message_label;
  GtkWidget   *no_phone_button;

  gboolean     phone_step;
};

G_DEFINE_FINAL_TYPE (MnCaseEntryPage, mn_case_entry_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_SUBMIT,
  SIGNAL_NO_PHONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
on_keypad_activate (MnCaseEntryPage *self)
{
  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0);
}

static void
no_phone_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_NO_PHONE], 0);
}

static void
mn_case_entry_page_dispose (GObject *object)
{
  /* AdwBin unparents its child (the template's frame) itself. */

  G_OBJECT_CLASS (mn_case_entry_page_parent_class)->dispose (object);
}

static void
mn_case_entry_page_class_init (MnCaseEntryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_case_entry_page_dispose;

  signals[SIGNAL_SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_NO_PHONE] =
    g_signal_new ("no-phone", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  g_type_ensure (MN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-case-entry-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnCaseEntryPage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnCaseEntryPage, keypad);
  gtk_widget_class_bind_template_child (widget_class, MnCaseEntryPage, lead_label);
  gtk_widget_class_bind_template_child (widget_class, MnCaseEntryPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, MnCaseEntryPage, no_phone_button);

  gtk_widget_class_install_action (widget_class, "case-entry.no-phone", NULL, no_phone_action);
}

static void
mn_case_entry_page_init (MnCaseEntryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->keypad, "activate", G_CALLBACK (on_keypad_activate), self);
}

GtkWidget *
mn_case_entry_page_new (gboolean phone_step)
{
  MnCaseEntryPage *self = g_object_new (MN_TYPE_CASE_ENTRY_PAGE, NULL);

  self->phone_step = phone_step;
  if (phone_step)
    {
      mn_keypad_set_max_digits (self->keypad, 4);
      mn_keypad_set_placeholder (self->keypad, "_ _ _ _");
      /* Translators: the keypad's Enter key when checking the phone digits. */
      mn_keypad_set_enter_label (self->keypad, _("Check"));
      gtk_label_set_label (self->lead_label,
                           _("Type the last four digits of the phone number you gave when "
                             "filing."));
      gtk_widget_set_visible (self->no_phone_button, TRUE);
    }
  else
    {
      mn_keypad_set_max_digits (self->keypad, 20);
      mn_keypad_set_groups (self->keypad, "4,2,6,4,1");
      /* Translators: shown where the case code will appear as it is typed. */
      mn_keypad_set_placeholder (self->keypad, _("17 digits"));
      /* Translators: the keypad's Enter key, going on to the next step. */
      mn_keypad_set_enter_label (self->keypad, _("Next"));
      gtk_label_set_label (self->lead_label,
                           _("Type the case code from your receipt, 17 digits, or the case "
                             "number the platform gave you."));
      gtk_widget_set_visible (self->no_phone_button, FALSE);
    }

  return GTK_WIDGET (self);
}

void
mn_case_entry_page_set_step (MnCaseEntryPage *self,
                             const char      *title,
                             guint            step,
                             guint            n_steps,
                             const char      *back_action)
{
  g_return_if_fail (MN_IS_CASE_ENTRY_PAGE (self));

  mn_flow_frame_set_title (self->frame, title);
  mn_flow_frame_set_step (self->frame, step, n_steps);
  mn_flow_frame_set_back_action_name (self->frame, back_action);
}

const char *
mn_case_entry_page_get_text (MnCaseEntryPage *self)
{
  g_return_val_if_fail (MN_IS_CASE_ENTRY_PAGE (self), NULL);

  return mn_keypad_get_text (self->keypad);
}

void
mn_case_entry_page_set_message (MnCaseEntryPage *self,
                                const char      *message)
{
  g_return_if_fail (MN_IS_CASE_ENTRY_PAGE (self));

  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

const char *
mn_case_entry_page_get_message (MnCaseEntryPage *self)
{
  g_return_val_if_fail (MN_IS_CASE_ENTRY_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_label (self->message_label);
}

void
mn_case_entry_page_set_busy (MnCaseEntryPage *self,
                             gboolean         busy)
{
  g_return_if_fail (MN_IS_CASE_ENTRY_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad), !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "case-entry.no-phone", !busy);
}

void
mn_case_entry_page_reset (MnCaseEntryPage *self)
{
  g_return_if_fail (MN_IS_CASE_ENTRY_PAGE (self));

  mn_keypad_clear (self->keypad);
  mn_case_entry_page_set_message (self, NULL);
  mn_case_entry_page_set_busy (self, FALSE);
}

GtkWidget *
mn_case_entry_page_get_keypad (MnCaseEntryPage *self)
{
  g_return_val_if_fail (MN_IS_CASE_ENTRY_PAGE (self), NULL);

  return GTK_WIDGET (self->keypad);
}
