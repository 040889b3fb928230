/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-flow-frame.h"
#include "mn-kiosk-style.h"
#include "mn-review-page.h"

struct _MnReviewPage
{
  AdwBin     parent_instance;

  GtkLabel  *category_title;
  GtkLabel  *category_value;
  GtkButton *category_change;
  GtkLabel  *details_title;
  GtkLabel  *details_value;
  GtkButton *details_change;
  GtkLabel  *note_title;
  GtkLabel  *note_value;
  GtkButton *note_play;
  GtkLabel  *place_title;
  GtkLabel  *place_value;
  GtkButton *place_change;
  GtkLabel  *contact_title;
  GtkLabel  *contact_value;
  GtkButton *contact_change;
  GtkLabel  *status_label;
  GtkButton *submit_button;

  gboolean   busy;
};

G_DEFINE_FINAL_TYPE (MnReviewPage, mn_review_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_SUBMIT,
  SIGNAL_PLAY_NOTE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
submit_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnReviewPage *self = MN_REVIEW_PAGE (widget);

  /* A second press while saving must not file the request twice. */
  if (self->busy)
    return;
  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0);
}

static void
play_note_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_PLAY_NOTE], 0);
}

static void
mn_review_page_class_init (MnReviewPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signals[SIGNAL_SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PLAY_NOTE] = g_signal_new ("play-note", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                            0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-review-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MnReviewPage, name)
  BIND (category_title); BIND (category_value); BIND (category_change);
  BIND (details_title); BIND (details_value); BIND (details_change);
  BIND (note_title); BIND (note_value); BIND (note_play);
  BIND (place_title); BIND (place_value); BIND (place_change);
  BIND (contact_title); BIND (contact_value); BIND (contact_change);
  BIND (status_label);
  BIND (submit_button);
#undef BIND
  gtk_widget_class_install_action (widget_class, "review.submit", NULL, submit_action);
  gtk_widget_class_install_action (widget_class, "review.play-note", NULL, play_note_action);
}

static void
name_change_button (GtkButton *button,
                    GtkLabel  *title)
{
  /* "Change: Where", so that each of the four is told apart by ear. */
  g_autofree char *name = g_strdup_printf (_("Change: %s"), gtk_label_get_label (title));

  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
}

static void
mn_review_page_init (MnReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  name_change_button (self->category_change, self->category_title);
  name_change_button (self->details_change, self->details_title);
  name_change_button (self->place_change, self->place_title);
  name_change_button (self->contact_change, self->contact_title);
  {
    /* "Play: Voice note", told apart by ear from the Change buttons. */
    g_autofree char *name = g_strdup_printf (_("Play: %s"),
                                             gtk_label_get_label (self->note_title));

    gtk_accessible_update_property (GTK_ACCESSIBLE (self->note_play),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
}

GtkWidget *
mn_review_page_new (void)
{
  return g_object_new (MN_TYPE_REVIEW_PAGE, NULL);
}

void
mn_review_page_set (MnReviewPage *self,
                    const char   *category,
                    const char   *details,
                    const char   *place,
                    const char   *contact)
{
  g_return_if_fail (MN_IS_REVIEW_PAGE (self));

  gtk_label_set_label (self->category_value, category != NULL ? category : "");
  gtk_label_set_label (self->details_value, details != NULL ? details : "");
  gtk_label_set_label (self->place_value, place != NULL ? place : "");
  {
    g_autoptr(PangoAttrList) names = mn_kiosk_place_names_attributes (place);

    gtk_label_set_attributes (self->place_value, names);
  }
  gtk_label_set_label (self->contact_value,
                       /* Translators: on the review page, for a request without a phone. */
                       contact != NULL ? contact : _("Anonymous, no phone number"));
}

void
mn_review_page_set_voice_note (MnReviewPage *self,
                               const char   *text)
{
  g_return_if_fail (MN_IS_REVIEW_PAGE (self));

  gtk_label_set_label (self->note_value, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_title), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->note_value), text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->note_play), text != NULL);
}

/* A masked number (138****8000) read as it is shown comes out as seven
 * digits with a pause: a person checking it hears a number that is not
 * theirs. Said as where it starts and where it ends, it is recognised.
 * The start is everything before the hidden digits, so that a landline
 * (0571-12****34) and a number with its country code (+86 138****8000)
 * are said the same way as a mobile. */
static char *
spoken_contact (const char *shown)
{
  static GRegex *masked;
  static GRegex *end_only;
  g_autoptr(GMatchInfo) match = NULL;

  if (g_once_init_enter (&masked))
    g_once_init_leave (&masked, g_regex_new ("^([^*]*[0-9])[*]+([0-9]+)$", 0, 0, NULL));
  if (g_once_init_enter (&end_only))
    g_once_init_leave (&end_only, g_regex_new ("^(?:[+]86 |[^0-9*])*[*]+([0-9]+)$", 0, 0, NULL));
  if (g_regex_match (masked, shown, 0, &match))
    {
      g_autofree char *start = g_match_info_fetch (match, 1);
      g_autofree char *end = g_match_info_fetch (match, 2);

      /* Translators: how the review page says a phone number whose middle
       * digits are hidden on screen (138****8000): the digits that start it,
       * then those that end it; each is read digit by digit. */
      return g_strdup_printf (_("the number that starts %s and ends %s"), start, end);
    }
  g_clear_pointer (&match, g_match_info_free);
  if (g_regex_match (end_only, shown, 0, &match))
    {
      g_autofree char *end = g_match_info_fetch (match, 1);

      /* Translators: how the review page says a short or foreign phone
       * number of which only the last digits are shown (***45,
       * +*********58): the digits that end it, read digit by digit. */
      return g_strdup_printf (_("the number that ends %s"), end);
    }
  return g_strdup (shown);
}

char *
mn_review_page_dup_speech (MnReviewPage *self)
{
  g_autofree char *note = NULL;
  g_autofree char *contact = NULL;

  g_return_val_if_fail (MN_IS_REVIEW_PAGE (self), NULL);

  contact = spoken_contact (gtk_label_get_label (self->contact_value));
  if (gtk_widget_get_visible (GTK_WIDGET (self->note_value)))
    note = g_strdup_printf ("\n%s: %s.", gtk_label_get_label (self->note_title),
                            gtk_label_get_label (self->note_value));
  return g_strdup_printf ("%s: %s.\n%s: %s.%s\n%s: %s.\n%s: %s.",
                          gtk_label_get_label (self->category_title),
                          gtk_label_get_label (self->category_value),
                          gtk_label_get_label (self->details_title),
                          gtk_label_get_label (self->details_value),
                          note != NULL ? note : "",
                          gtk_label_get_label (self->place_title),
                          gtk_label_get_label (self->place_value),
                          gtk_label_get_label (self->contact_title),
                          contact);
}

void
mn_review_page_set_error (MnReviewPage *self,
                          const char   *message)
{
  g_return_if_fail (MN_IS_REVIEW_PAGE (self));

  gtk_label_set_label (self->status_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), message != NULL);
}

void
mn_review_page_set_busy (MnReviewPage *self,
                         gboolean      busy)
{
  g_return_if_fail (MN_IS_REVIEW_PAGE (self));

  self->busy = !!busy;
  gtk_button_set_label (self->submit_button,
                        /* Translators: the Submit button while the request is saved. */
                        busy ? _("Saving…") : _("Submit"));
}

void
mn_review_page_reset (MnReviewPage *self)
{
  g_return_if_fail (MN_IS_REVIEW_PAGE (self));

  mn_review_page_set (self, NULL, NULL, NULL, NULL);
  mn_review_page_set_voice_note (self, NULL);
  gtk_label_set_label (self->contact_value, "");
  mn_review_page_set_error (self, NULL);
  mn_review_page_set_busy (self, FALSE);
}
