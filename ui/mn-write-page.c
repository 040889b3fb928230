/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-flow-frame.h"
#include "mn-handwriting-pad.h"
#include "mn-window.h"
#include "mn-write-page.h"

struct _MnWritePage
{
  AdwBin            parent_instance;

  MnHandwritingPad *pad;
  GtkLabel         *text_label;
  GtkButton        *delete_button;

  GString          *text;
};

G_DEFINE_FINAL_TYPE (MnWritePage, mn_write_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_CHANGED,
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnWritePage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
text_changed (MnWritePage *self)
{
  gtk_label_set_text (self->text_label, self->text->str);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
on_character_chosen (MnWritePage *self,
                     const char  *character)
{
  if (g_utf8_strlen (self->text->str, -1) >= MN_WRITE_PAGE_MAX_CHARS)
    {
      if (get_window (self) != NULL)
        {
          /* Translators: %d is the most characters a person may write. */
          g_autofree char *said = g_strdup_printf (_("That is the most you can write here: %d "
                                                     "characters."),
                                                   MN_WRITE_PAGE_MAX_CHARS);

          mn_window_announce (get_window (self), said);
        }
      return;
    }
  g_string_append (self->text, character);
  text_changed (self);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnWritePage *self = MN_WRITE_PAGE (widget);
  const char *last;

  /* Said even with nothing to delete: every touch is heard. */
  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), gtk_button_get_label (self->delete_button));
  if (self->text->len == 0)
    return;
  last = g_utf8_find_prev_char (self->text->str, self->text->str + self->text->len);
  g_string_truncate (self->text, last - self->text->str);
  text_changed (self);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  /* A stroke left in the box is not a character: only chosen ones count. */
  mn_handwriting_pad_clear (MN_WRITE_PAGE (widget)->pad);
  g_signal_emit (widget, signals[SIGNAL_DONE], 0);
}

static void
mn_write_page_finalize (GObject *object)
{
  g_string_free (MN_WRITE_PAGE (object)->text, TRUE);

  G_OBJECT_CLASS (mn_write_page_parent_class)->finalize (object);
}

static void
mn_write_page_class_init (MnWritePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = mn_write_page_finalize;

  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  g_type_ensure (MN_TYPE_HANDWRITING_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-write-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnWritePage, pad);
  gtk_widget_class_bind_template_child (widget_class, MnWritePage, text_label);
  gtk_widget_class_bind_template_child (widget_class, MnWritePage, delete_button);
  gtk_widget_class_install_action (widget_class, "write.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "write.done", NULL, done_action);
}

static void
mn_write_page_init (MnWritePage *self)
{
  self->text = g_string_new (NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->pad, "character-chosen", G_CALLBACK (on_character_chosen), self);
}

GtkWidget *
mn_write_page_new (void)
{
  return g_object_new (MN_TYPE_WRITE_PAGE, NULL);
}

const char *
mn_write_page_get_text (MnWritePage *self)
{
  g_return_val_if_fail (MN_IS_WRITE_PAGE (self), NULL);

  return self->text->str;
}

gboolean
mn_write_page_get_available (MnWritePage *self)
{
  g_return_val_if_fail (MN_IS_WRITE_PAGE (self), FALSE);

  return mn_handwriting_pad_get_available (self->pad);
}

GtkWidget *
mn_write_page_get_pad (MnWritePage *self)
{
  g_return_val_if_fail (MN_IS_WRITE_PAGE (self), NULL);

  return GTK_WIDGET (self->pad);
}

const char *
mn_write_page_get_speech (MnWritePage *self)
{
  g_return_val_if_fail (MN_IS_WRITE_PAGE (self), NULL);

  /* Translators: said when the handwriting page shows. */
  return _("Write one character at a time in the box with your finger, then touch the character "
           "you meant. When you have finished, touch Done.");
}

void
mn_write_page_reset (MnWritePage *self)
{
  g_return_if_fail (MN_IS_WRITE_PAGE (self));

  g_string_truncate (self->text, 0);
  mn_handwriting_pad_clear (self->pad);
  text_changed (self);
}
