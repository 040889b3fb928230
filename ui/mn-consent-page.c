/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mn-consent-page.h"
#include "mn-flow-frame.h"

struct _MnConsentPage
{
  AdwBin    parent_instance;

  GtkLabel *notice_label;
};

G_DEFINE_FINAL_TYPE (MnConsentPage, mn_consent_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_NEXT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
agree_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_NEXT], 0);
}

static void
mn_consent_page_class_init (MnConsentPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-consent-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnConsentPage, notice_label);
  gtk_widget_class_install_action (widget_class, "consent.agree", NULL, agree_action);
}

static void
mn_consent_page_init (MnConsentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mn_consent_page_new (void)
{
  return g_object_new (MN_TYPE_CONSENT_PAGE, NULL);
}

const char *
mn_consent_page_get_notice (MnConsentPage *self)
{
  g_return_val_if_fail (MN_IS_CONSENT_PAGE (self), NULL);

  return gtk_label_get_label (self->notice_label);
}
