/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-case-code.h"
#include "mn-flow-frame.h"
#include "mn-qr.h"
#include "mn-receipt-page.h"

struct _MnReceiptPage
{
  AdwBin      parent_instance;

  GtkLabel   *code_label;
  GtkImage   *qr_image;
  GdkTexture *qr;
  char       *shown;
};

G_DEFINE_FINAL_TYPE (MnReceiptPage, mn_receipt_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_FINISH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_FINISH], 0);
}

static void
mn_receipt_page_dispose (GObject *object)
{
  MnReceiptPage *self = MN_RECEIPT_PAGE (object);

  g_clear_object (&self->qr);
  g_clear_pointer (&self->shown, g_free);

  G_OBJECT_CLASS (mn_receipt_page_parent_class)->dispose (object);
}

static void
mn_receipt_page_class_init (MnReceiptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_receipt_page_dispose;

  signals[SIGNAL_FINISH] = g_signal_new ("finish", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-receipt-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnReceiptPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, MnReceiptPage, qr_image);
  gtk_widget_class_install_action (widget_class, "receipt.finish", NULL, finish_action);
}

static void
mn_receipt_page_init (MnReceiptPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A case code is read left to right in every language, Uyghur too. */
  gtk_widget_set_direction (GTK_WIDGET (self->code_label), GTK_TEXT_DIR_LTR);
}

GtkWidget *
mn_receipt_page_new (void)
{
  return g_object_new (MN_TYPE_RECEIPT_PAGE, NULL);
}

void
mn_receipt_page_set_code (MnReceiptPage *self,
                          const char    *case_code)
{
  g_return_if_fail (MN_IS_RECEIPT_PAGE (self));

  g_clear_pointer (&self->shown, g_free);
  g_clear_object (&self->qr);
  if (case_code != NULL)
    {
      /* Grouped as on the slip and as it is read out, 4-2-6-4-1. */
      self->shown = mn_case_code_format (case_code);
      /* Whole modules of about 2 mm at a kiosk's density scan from a
       * phone held at arm's length. */
      self->qr = mn_qr_texture_new (case_code, 8);
    }
  gtk_label_set_label (self->code_label, self->shown != NULL ? self->shown : "");
  /* Drawn at its own size, one texture pixel to one screen pixel, so the
   * modules stay sharp. */
  gtk_image_set_from_paintable (self->qr_image, GDK_PAINTABLE (self->qr));
  gtk_image_set_pixel_size (self->qr_image, self->qr != NULL ? gdk_texture_get_width (self->qr) : -1);
}

const char *
mn_receipt_page_get_shown (MnReceiptPage *self)
{
  g_return_val_if_fail (MN_IS_RECEIPT_PAGE (self), NULL);

  return self->shown;
}

GdkTexture *
mn_receipt_page_get_qr (MnReceiptPage *self)
{
  g_return_val_if_fail (MN_IS_RECEIPT_PAGE (self), NULL);

  return self->qr;
}
