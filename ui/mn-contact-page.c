/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-contact-page.h"
#include "mn-flow-frame.h"
#include "mn-keypad.h"
#include "mn-phone.h"
#include "mn-speech-prompts.h"
#include "mn-window.h"

struct _MnContactPage
{
  AdwBin     parent_instance;

  MnKeypad  *keypad;
  GtkLabel  *error_label;
  GtkButton *anonymous_button;

  char      *phone;
  gboolean   anonymous;
};

G_DEFINE_FINAL_TYPE (MnContactPage, mn_contact_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_NEXT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnContactPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
wipe_phone (MnContactPage *self)
{
  if (self->phone != NULL)
    {
      memset (self->phone, 0, strlen (self->phone));
      g_clear_pointer (&self->phone, g_free);
    }
}

static void
on_keypad_activate (MnContactPage *self)
{
  g_autoptr(GError) error = NULL;
  char *phone;

  phone = mn_phone_normalize (mn_keypad_get_text (self->keypad), NULL, &error);
  if (phone == NULL)
    {
      /* Said and shown: what is wrong, in a sentence. */
      gtk_label_set_label (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      if (get_window (self) != NULL)
        mn_window_announce (get_window (self),
                            mn_speech_prompt_text (MN_SPEECH_PROMPT_ERROR_PHONE));
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  wipe_phone (self);
  self->phone = phone;
  self->anonymous = FALSE;
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

static void
anonymous_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  MnContactPage *self = MN_CONTACT_PAGE (widget);

  mn_keypad_clear (self->keypad);
  wipe_phone (self);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  self->anonymous = TRUE;
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

static void
mn_contact_page_dispose (GObject *object)
{
  wipe_phone (MN_CONTACT_PAGE (object));

  G_OBJECT_CLASS (mn_contact_page_parent_class)->dispose (object);
}

static void
mn_contact_page_class_init (MnContactPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_contact_page_dispose;

  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  g_type_ensure (MN_TYPE_KEYPAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-contact-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnContactPage, keypad);
  gtk_widget_class_bind_template_child (widget_class, MnContactPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, MnContactPage, anonymous_button);
  gtk_widget_class_install_action (widget_class, "contact.anonymous", NULL, anonymous_action);
}

static void
mn_contact_page_init (MnContactPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  mn_keypad_set_enter_label (self->keypad, _("Next"));
  mn_keypad_set_placeholder (self->keypad, _("Phone number"));
  g_signal_connect_swapped (self->keypad, "activate", G_CALLBACK (on_keypad_activate), self);
}

GtkWidget *
mn_contact_page_new (void)
{
  return g_object_new (MN_TYPE_CONTACT_PAGE, NULL);
}

const char *
mn_contact_page_get_phone (MnContactPage *self)
{
  g_return_val_if_fail (MN_IS_CONTACT_PAGE (self), NULL);

  return self->anonymous ? NULL : self->phone;
}

gboolean
mn_contact_page_get_anonymous (MnContactPage *self)
{
  g_return_val_if_fail (MN_IS_CONTACT_PAGE (self), FALSE);

  return self->anonymous;
}

GtkWidget *
mn_contact_page_get_keypad (MnContactPage *self)
{
  g_return_val_if_fail (MN_IS_CONTACT_PAGE (self), NULL);

  return GTK_WIDGET (self->keypad);
}

void
mn_contact_page_reset (MnContactPage *self)
{
  g_return_if_fail (MN_IS_CONTACT_PAGE (self));

  mn_keypad_clear (self->keypad);
  wipe_phone (self);
  self->anonymous = FALSE;
  gtk_label_set_label (self->error_label, "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}
