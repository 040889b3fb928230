/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-flow-frame.h"
#include "mn-rating-page.h"
#include "mn-window.h"

struct _MnRatingPage
{
  AdwBin       parent_instance;

  MnFlowFrame *frame;
  GtkStack    *stack;
  GtkBox      *solved_box;
  GtkBox      *satisfaction_box;
  GtkBox      *reasons_box;
  GtkLabel    *thanks_label;
  GtkLabel    *message_label;
  GtkButton   *go_button;

  GHashTable  *answer_buttons; /* "solved:yes", "satisfaction:basic", "reason:slow" → button */
  int          solved;         /* -1 not answered, 0 no, 1 yes */
  int          satisfaction;   /* -1 not answered, else MnSatisfaction */
  GHashTable  *reasons;        /* chosen preset ids */
};

G_DEFINE_FINAL_TYPE (MnRatingPage, mn_rating_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_SUBMIT,
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnRatingPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
say_answer (MnRatingPage *self,
            const char   *text)
{
  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), text);
}

static void
say (MnRatingPage *self,
     const char   *text)
{
  if (get_window (self) != NULL)
    mn_window_announce (get_window (self), text);
}

/* Chosen answers are pressed-in (:checked) and carry a check mark in
 * their words, so the choice is not shown by colour alone. */
/* The frame's "go on" button, where it is on every page, does what the
 * view in front needs. */
static void
update_go_button (MnRatingPage *self)
{
  const char *view = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (view, "reasons") == 0)
    {
      /* Translators: sends an unhappy rating, which asks for re-handling. */
      gtk_button_set_label (self->go_button, _("Send"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->go_button), "rating.send");
    }
  else if (g_strcmp0 (view, "thanks") == 0)
    {
      gtk_button_set_label (self->go_button, _("Finished"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->go_button), "rating.done");
    }
  else
    {
      /* Translators: goes on from the two rating questions. */
      gtk_button_set_label (self->go_button, _("Next"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->go_button), "rating.next");
    }
}

static void
mark (MnRatingPage *self,
      const char   *key,
      gboolean      chosen)
{
  GtkWidget *button = g_hash_table_lookup (self->answer_buttons, key);

  if (button != NULL)
    {
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), chosen);
      gtk_widget_set_visible (g_object_get_data (G_OBJECT (button), "mn-check"), chosen);
    }
}

static GtkWidget *
answer_button (MnRatingPage *self,
               const char   *key,
               const char   *action,
               const char   *target,
               const char   *icon_name,
               const char   *words)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new (words);
  g_autofree char *name = g_strdup_printf ("rating-%s", key);

  g_strdelimit (name, ":", '-');
  gtk_widget_set_name (button, name);
  /* Not a start-screen tile: three of those would not fit side by side.
   * The face is large (.mn-icon), the words below it say the same. */
  gtk_widget_add_css_class (button, "mn-answer");
  gtk_widget_set_hexpand (button, TRUE);
  if (icon_name != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

      gtk_widget_add_css_class (image, "mn-icon");

      gtk_accessible_update_state (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      gtk_box_append (GTK_BOX (box), image);
    }
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  {
    /* A chosen answer shows a tick before its words: the pressed-in look
     * alone is a shade of grey, and colour must never be the only cue. */
    GtkWidget *line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
    GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

    gtk_widget_set_halign (line, GTK_ALIGN_CENTER);
    gtk_widget_set_visible (check, FALSE);
    gtk_accessible_update_state (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
    gtk_box_append (GTK_BOX (line), check);
    gtk_box_append (GTK_BOX (line), label);
    gtk_box_append (GTK_BOX (box), line);
    g_object_set_data (G_OBJECT (button), "mn-check", check);
  }
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, words,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", target);
  g_hash_table_insert (self->answer_buttons, g_strdup (key), button);

  return button;
}

static void
solved_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnRatingPage *self = MN_RATING_PAGE (widget);
  gboolean yes = g_strcmp0 (g_variant_get_string (parameter, NULL), "yes") == 0;

  self->solved = yes ? 1 : 0;
  mark (self, "solved:yes", yes);
  mark (self, "solved:no", !yes);
  say_answer (self, yes ? _("Solved") : _("Not solved"));
}

static void
satisfaction_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MnRatingPage *self = MN_RATING_PAGE (widget);
  MnSatisfaction level;

  if (!mn_satisfaction_from_string (g_variant_get_string (parameter, NULL), &level))
    return;
  self->satisfaction = (int) level;
  for (MnSatisfaction s = MN_SATISFACTION_SATISFIED; s <= MN_SATISFACTION_UNSATISFIED; s++)
    {
      g_autofree char *key = g_strdup_printf ("satisfaction:%s", mn_satisfaction_to_string (s));

      mark (self, key, s == level);
    }
  say_answer (self, mn_satisfaction_label (level));
}

static void
reason_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnRatingPage *self = MN_RATING_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  g_autofree char *key = g_strdup_printf ("reason:%s", id);
  gboolean chosen;

  if (mn_rating_reason_text (id) == NULL)
    return;
  chosen = !g_hash_table_contains (self->reasons, id);
  if (chosen)
    g_hash_table_add (self->reasons, g_strdup (id));
  else
    g_hash_table_remove (self->reasons, id);
  mark (self, key, chosen);
  say_answer (self, mn_rating_reason_text (id));
}

static MnRating *
build_rating (MnRatingPage *self)
{
  MnRating *rating = mn_rating_new (self->solved == 1, (MnSatisfaction) self->satisfaction);

  /* In the order of the list, so the description reads the same way. */
  for (const MnRatingReason *r = mn_rating_preset_reasons (); r->id != NULL; r++)
    if (g_hash_table_contains (self->reasons, r->id))
      mn_rating_add_reason (rating, r->id, NULL);
  return rating;
}

static void
submit (MnRatingPage *self)
{
  g_autoptr(MnRating) rating = build_rating (self);

  g_signal_emit (self, signals[SIGNAL_SUBMIT], 0, rating);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnRatingPage *self = MN_RATING_PAGE (widget);

  if (self->solved < 0 || self->satisfaction < 0)
    {
      const char *missing = self->solved < 0 ? _("Please answer: was the problem solved?")
                                             : _("Please answer: how satisfied are you?");

      mn_rating_page_set_message (self, missing);
      say (self, missing);
      return;
    }
  mn_rating_page_set_message (self, NULL);
  if (self->solved == 0 || self->satisfaction == MN_SATISFACTION_UNSATISFIED)
    {
      gtk_stack_set_visible_child_name (self->stack, "reasons");
      mn_flow_frame_set_step (self->frame, 4, 5);
      update_go_button (self);
      say (self, mn_rating_page_get_speech (self));
      return;
    }
  submit (self);
}

static void
send_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnRatingPage *self = MN_RATING_PAGE (widget);

  if (g_hash_table_size (self->reasons) == 0)
    {
      const char *missing = _("Please touch at least one answer, so that the case can be handled "
                              "again.");

      mn_rating_page_set_message (self, missing);
      say (self, missing);
      return;
    }
  mn_rating_page_set_message (self, NULL);
  submit (self);
}

static void
done_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_DONE], 0);
}

static void
mn_rating_page_dispose (GObject *object)
{
  MnRatingPage *self = MN_RATING_PAGE (object);

  /* AdwBin unparents its child (the template's frame) itself. */
  g_clear_pointer (&self->answer_buttons, g_hash_table_unref);
  g_clear_pointer (&self->reasons, g_hash_table_unref);

  G_OBJECT_CLASS (mn_rating_page_parent_class)->dispose (object);
}

static void
mn_rating_page_class_init (MnRatingPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_rating_page_dispose;

  signals[SIGNAL_SUBMIT] =
    g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_DONE] =
    g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-rating-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, solved_box);
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, satisfaction_box);
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, reasons_box);
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, thanks_label);
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, MnRatingPage, go_button);

  gtk_widget_class_install_action (widget_class, "rating.solved", "s", solved_action);
  gtk_widget_class_install_action (widget_class, "rating.satisfaction", "s", satisfaction_action);
  gtk_widget_class_install_action (widget_class, "rating.reason", "s", reason_action);
  gtk_widget_class_install_action (widget_class, "rating.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "rating.send", NULL, send_action);
  gtk_widget_class_install_action (widget_class, "rating.done", NULL, done_action);
}

static void
mn_rating_page_init (MnRatingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->answer_buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->solved = self->satisfaction = -1;
  update_go_button (self);

  gtk_box_append (self->solved_box,
                  answer_button (self, "solved:yes", "rating.solved", "yes",
                                 "face-smile-symbolic", _("Solved")));
  gtk_box_append (self->solved_box,
                  answer_button (self, "solved:no", "rating.solved", "no", "face-sad-symbolic",
                                 _("Not solved")));
  gtk_box_append (self->satisfaction_box,
                  answer_button (self, "satisfaction:satisfied", "rating.satisfaction",
                                 "satisfied", "face-smile-big-symbolic",
                                 mn_satisfaction_label (MN_SATISFACTION_SATISFIED)));
  gtk_box_append (self->satisfaction_box,
                  answer_button (self, "satisfaction:basic", "rating.satisfaction", "basic",
                                 "face-plain-symbolic",
                                 mn_satisfaction_label (MN_SATISFACTION_BASIC)));
  gtk_box_append (self->satisfaction_box,
                  answer_button (self, "satisfaction:unsatisfied", "rating.satisfaction",
                                 "unsatisfied", "face-sad-symbolic",
                                 mn_satisfaction_label (MN_SATISFACTION_UNSATISFIED)));
  {
    GtkWidget *row = NULL;
    guint n = 0;

    /* Two to a row; boxes take their spacing from the kiosk stylesheet
     * (.mn-buttons), which keeps targets 8 mm apart at any density. */
    for (const MnRatingReason *r = mn_rating_preset_reasons (); r->id != NULL; r++, n++)
      {
        g_autofree char *key = g_strdup_printf ("reason:%s", r->id);

        if (n % 2 == 0)
          {
            row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
            gtk_box_set_homogeneous (GTK_BOX (row), TRUE);
            gtk_widget_add_css_class (row, "mn-buttons");
            gtk_box_append (self->reasons_box, row);
          }
        gtk_box_append (GTK_BOX (row),
                        answer_button (self, key, "rating.reason", r->id, NULL, _(r->text)));
      }
  }
}

GtkWidget *
mn_rating_page_new (void)
{
  return g_object_new (MN_TYPE_RATING_PAGE, NULL);
}

const char *
mn_rating_page_get_view (MnRatingPage *self)
{
  g_return_val_if_fail (MN_IS_RATING_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

const char *
mn_rating_page_get_speech (MnRatingPage *self)
{
  const char *view;

  g_return_val_if_fail (MN_IS_RATING_PAGE (self), NULL);

  view = mn_rating_page_get_view (self);
  if (g_strcmp0 (view, "reasons") == 0)
    return _("What is still wrong? Touch every answer that fits, then touch Send, and the case "
             "will be handled again.");
  if (g_strcmp0 (view, "thanks") == 0)
    return gtk_label_get_label (self->thanks_label);
  return _("Two questions. Was the problem solved: solved, or not solved? And how satisfied "
           "are you: satisfied, basically satisfied, or unsatisfied? Then touch Next.");
}

void
mn_rating_page_show_thanks (MnRatingPage *self,
                            const char   *text)
{
  g_return_if_fail (MN_IS_RATING_PAGE (self));

  gtk_label_set_label (self->thanks_label, text);
  gtk_stack_set_visible_child_name (self->stack, "thanks");
  mn_flow_frame_set_step (self->frame, 5, 5);
  update_go_button (self);
}

void
mn_rating_page_set_message (MnRatingPage *self,
                            const char   *message)
{
  g_return_if_fail (MN_IS_RATING_PAGE (self));

  gtk_label_set_label (self->message_label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
}

void
mn_rating_page_set_busy (MnRatingPage *self,
                         gboolean      busy)
{
  g_return_if_fail (MN_IS_RATING_PAGE (self));

  gtk_widget_set_sensitive (GTK_WIDGET (self->stack), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->go_button), !busy);
}

void
mn_rating_page_reset (MnRatingPage *self)
{
  GHashTableIter iter;
  gpointer button;

  g_return_if_fail (MN_IS_RATING_PAGE (self));

  self->solved = self->satisfaction = -1;
  g_hash_table_remove_all (self->reasons);
  g_hash_table_iter_init (&iter, self->answer_buttons);
  while (g_hash_table_iter_next (&iter, NULL, &button))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), FALSE);
  gtk_label_set_label (self->thanks_label, "");
  mn_rating_page_set_message (self, NULL);
  mn_rating_page_set_busy (self, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "questions");
  mn_flow_frame_set_step (self->frame, 3, 5);
  update_go_button (self);
}
