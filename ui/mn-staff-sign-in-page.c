/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-flow-frame.h"
#include "mn-keypad.h"
#include "mn-staff.h"
#include "mn-staff-sign-in-page.h"
#include "mn-window.h"

struct _MnStaffSignInPage
{
  AdwBin       parent_instance;

  MnFlowFrame *frame;
  MnKeypad    *keypad;
  GtkLabel    *lead_label;
  GtkLabel    *message_label;

  gboolean     pin_step;
  char        *number;
};

G_DEFINE_FINAL_TYPE (MnStaffSignInPage, mn_staff_sign_in_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_step (MnStaffSignInPage *self)
{
  mn_keypad_clear (self->keypad);
  mn_keypad_set_secret (self->keypad, self->pin_step);
  mn_keypad_set_max_digits (self->keypad, self->pin_step ? MN_STAFF_PIN_MAX : MN_STAFF_NUMBER_MAX);
  mn_flow_frame_set_step (self->frame, self->pin_step ? 2 : 1, 2);
  if (self->pin_step)
    {
      /* Translators: shown where the PIN's dots will appear. */
      mn_keypad_set_placeholder (self->keypad, _("PIN"));
      /* Translators: the keypad's Enter key that signs a member of staff in. */
      mn_keypad_set_enter_label (self->keypad, _("Sign in"));
    }
  else
    {
      /* Translators: shown where the staff number will appear as it is typed. */
      mn_keypad_set_placeholder (self->keypad, _("Staff number"));
      mn_keypad_set_enter_label (self->keypad, _("Next"));
    }
  gtk_label_set_label (self->lead_label, mn_staff_sign_in_page_get_speech (self));
}

static void
on_keypad_activate (MnStaffSignInPage *self)
{
  const char *text = mn_keypad_get_text (self->keypad);

  if (!self->pin_step)
    {
      g_autoptr(GError) error = NULL;

      if (!mn_staff_check_number (text, &error))
        {
          mn_staff_sign_in_page_set_message (self, error->message);
          g_signal_emit (self, signals[SIGNAL_SUBMIT], 0, NULL, NULL);
          return;
        }
      g_free (self->number);
      self->number = g_strdup (text);
      self->pin_step = TRUE;
      mn_staff_sign_in_page_set_message (self, NULL);
      show_step (self);
      /* "Say it again" now says the PIN step, and it is said at once. */
      if (MN_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
        {
          MnWindow *window = MN_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));

          mn_window_set_page_speech (window, "staff-sign-in",
                                     mn_staff_sign_in_page_get_speech (self));
          mn_window_announce (window, mn_staff_sign_in_page_get_speech (self));
        }
      return;
    }
  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0, self->number, text);
}

static void
mn_staff_sign_in_page_finalize (GObject *object)
{
  MnStaffSignInPage *self = MN_STAFF_SIGN_IN_PAGE (object);

  g_free (self->number);

  G_OBJECT_CLASS (mn_staff_sign_in_page_parent_class)->finalize (object);
}

static void
mn_staff_sign_in_page_class_init (MnStaffSignInPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mn_staff_sign_in_page_finalize;

  /* A NULL number: the number was refused as typed (the message is
   * showing); the flow says it. */
  signals[SIGNAL_SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  g_type_ensure (MN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-staff-sign-in-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnStaffSignInPage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnStaffSignInPage, keypad);
  gtk_widget_class_bind_template_child (widget_class, MnStaffSignInPage, lead_label);
  gtk_widget_class_bind_template_child (widget_class, MnStaffSignInPage, message_label);
}

static void
mn_staff_sign_in_page_init (MnStaffSignInPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->keypad, "activate", G_CALLBACK (on_keypad_activate), self);
  /* Back goes to the "staff have been called" sign this page came from,
   * not to the start screen: a resident who touched "Staff sign-in" by
   * mistake keeps what they had entered, and is still waiting for staff. */
  mn_flow_frame_set_back_action_name (self->frame, "win.call-staff");
  show_step (self);
}

GtkWidget *
mn_staff_sign_in_page_new (void)
{
  return g_object_new (MN_TYPE_STAFF_SIGN_IN_PAGE, NULL);
}

gboolean
mn_staff_sign_in_page_get_pin_step (MnStaffSignInPage *self)
{
  g_return_val_if_fail (MN_IS_STAFF_SIGN_IN_PAGE (self), FALSE);

  return self->pin_step;
}

void
mn_staff_sign_in_page_set_message (MnStaffSignInPage *self,
                                   const char        *message)
{
  g_return_if_fail (MN_IS_STAFF_SIGN_IN_PAGE (self));

  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

const char *
mn_staff_sign_in_page_get_message (MnStaffSignInPage *self)
{
  g_return_val_if_fail (MN_IS_STAFF_SIGN_IN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->message_label)))
    return NULL;
  return gtk_label_get_label (self->message_label);
}

void
mn_staff_sign_in_page_set_busy (MnStaffSignInPage *self,
                                gboolean           busy)
{
  g_return_if_fail (MN_IS_STAFF_SIGN_IN_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->keypad), !busy);
}

void
mn_staff_sign_in_page_restart (MnStaffSignInPage *self,
                               const char        *message)
{
  g_return_if_fail (MN_IS_STAFF_SIGN_IN_PAGE (self));

  g_clear_pointer (&self->number, g_free);
  self->pin_step = FALSE;
  show_step (self);
  if (MN_IS_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))))
    mn_window_set_page_speech (MN_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                               "staff-sign-in", mn_staff_sign_in_page_get_speech (self));
  mn_staff_sign_in_page_set_message (self, message);
  mn_staff_sign_in_page_set_busy (self, FALSE);
}

GtkWidget *
mn_staff_sign_in_page_get_keypad (MnStaffSignInPage *self)
{
  g_return_val_if_fail (MN_IS_STAFF_SIGN_IN_PAGE (self), NULL);

  return GTK_WIDGET (self->keypad);
}

const char *
mn_staff_sign_in_page_get_speech (MnStaffSignInPage *self)
{
  g_return_val_if_fail (MN_IS_STAFF_SIGN_IN_PAGE (self), NULL);

  return self->pin_step ? _("Type your PIN, then touch Sign in. The screen shows only dots.")
                        : _("For staff only. Type your staff number, then touch Next.");
}
