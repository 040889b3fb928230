/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-flow-frame.h"
#include "mn-questions-page.h"
#include "mn-window.h"

struct _MnQuestionsPage
{
  AdwBin           parent_instance;

  MnFlowFrame     *frame;
  GtkBox          *question_box;
  GtkButton       *next_button;

  MnQuestionnaire *questionnaire; /* owned, or NULL */
  GHashTable      *answers;       /* code → GPtrArray of keys */
  GHashTable      *buttons;       /* "code\nkey" → value button (borrowed) */
};

G_DEFINE_FINAL_TYPE (MnQuestionsPage, mn_questions_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_NEXT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnQuestionsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static char *
button_key (const char *code,
            const char *key)
{
  return g_strdup_printf ("%s\n%s", code, key);
}

gboolean
mn_questions_page_would_ask (const MnQuestionnaire *questionnaire)
{
  if (questionnaire == NULL)
    return FALSE;
  for (guint i = 0; i < mn_questionnaire_get_n_questions (questionnaire); i++)
    {
      const MnQuestion *q = mn_questionnaire_get_question (questionnaire, i);

      if (mn_question_is_list (q) && q->keys->len > 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_chosen (MnQuestionsPage *self,
           const char      *code,
           const char      *key)
{
  GPtrArray *values = g_hash_table_lookup (self->answers, code);

  if (values == NULL)
    return FALSE;
  for (guint i = 0; i < values->len; i++)
    if (g_strcmp0 (g_ptr_array_index (values, i), key) == 0)
      return TRUE;
  return FALSE;
}

/* Next only once every required question has a value: the platform
 * refuses a request without them, after the person has gone home. */
static gboolean
is_complete (MnQuestionsPage *self)
{
  if (self->questionnaire == NULL)
    return TRUE;
  for (guint i = 0; i < mn_questionnaire_get_n_questions (self->questionnaire); i++)
    {
      const MnQuestion *q = mn_questionnaire_get_question (self->questionnaire, i);
      GPtrArray *values;

      if (!q->required || !mn_question_is_list (q) || q->keys->len == 0)
        continue;
      values = g_hash_table_lookup (self->answers, q->code);
      if (values == NULL || values->len == 0)
        return FALSE;
    }
  return TRUE;
}

static void
update_state (MnQuestionsPage *self)
{
  GHashTableIter iter;
  gpointer key, button;

  g_hash_table_iter_init (&iter, self->buttons);
  while (g_hash_table_iter_next (&iter, &key, &button))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\n", 2);
      gboolean chosen = is_chosen (self, parts[0], parts[1]);

      /* The value buttons' action has no state, so the page sets them. */
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), chosen);
      gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_PRESSED,
                                   chosen ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                          : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "questions.next", is_complete (self));
}

static GtkWidget *
build_value_button (const char *code,
                    const char *key,
                    const char *name)
{
  g_autofree char *widget_name = g_strdup_printf ("answer-%s-%s", code, key);
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *tick = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *label = gtk_label_new (name);

  gtk_widget_set_name (button, widget_name);
  gtk_widget_add_css_class (button, "mn-choice");
  gtk_widget_add_css_class (box, "mn-tile-content");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  /* Colour is never the only cue: the chosen value also shows a tick. */
  g_object_bind_property (button, "active", tick, "visible", G_BINDING_SYNC_CREATE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (tick), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), tick);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "questions.answer");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", code, key);
  return button;
}

static void
rebuild (MnQuestionsPage *self)
{
  GtkWidget *child;

  g_hash_table_remove_all (self->buttons);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->question_box))) != NULL)
    gtk_box_remove (self->question_box, child);
  if (self->questionnaire == NULL)
    {
      update_state (self);
      return;
    }

  for (guint i = 0; i < mn_questionnaire_get_n_questions (self->questionnaire); i++)
    {
      const MnQuestion *q = mn_questionnaire_get_question (self->questionnaire, i);
      GtkWidget *label, *row;

      if (!mn_question_is_list (q) || q->keys->len == 0)
        continue;
      label = gtk_label_new (q->description);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "mn-heading");
      gtk_box_append (self->question_box, label);

      /* Up to three values side by side, more go onto further rows. */
      row = gtk_grid_new ();
      gtk_grid_set_column_homogeneous (GTK_GRID (row), TRUE);
      gtk_widget_set_halign (row, GTK_ALIGN_START);
      for (guint k = 0; k < q->keys->len; k++)
        {
          const char *key = g_ptr_array_index (q->keys, k);
          GtkWidget *button = build_value_button (q->code, key, g_ptr_array_index (q->names, k));

          gtk_grid_attach (GTK_GRID (row), button, k % 3, k / 3, 1, 1);
          g_hash_table_insert (self->buttons, button_key (q->code, key), button);
        }
      gtk_box_append (self->question_box, row);
    }
  update_state (self);
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);
  const MnQuestion *q;
  const char *code, *key, *name;
  GPtrArray *values;

  g_variant_get (parameter, "(&s&s)", &code, &key);
  if (self->questionnaire == NULL || (q = mn_questionnaire_lookup (self->questionnaire, code)) == NULL ||
      (name = mn_question_get_value_name (q, key)) == NULL)
    return;

  values = g_hash_table_lookup (self->answers, code);
  if (mn_question_is_multiple (q))
    {
      guint index;

      /* A multi-value answer toggles. */
      if (values != NULL && g_ptr_array_find_with_equal_func (values, key, g_str_equal, &index))
        g_ptr_array_remove_index (values, index);
      else
        mn_questionnaire_answers_add (self->answers, code, key);
    }
  else
    {
      /* A single value replaces the one chosen before. */
      g_hash_table_remove (self->answers, code);
      mn_questionnaire_answers_add (self->answers, code, key);
    }
  update_state (self);

  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), name);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);

  if (!is_complete (self))
    return;
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

static void
mn_questions_page_dispose (GObject *object)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (object);

  g_clear_pointer (&self->buttons, g_hash_table_unref);
  g_clear_pointer (&self->answers, g_hash_table_unref);
  g_clear_pointer (&self->questionnaire, mn_questionnaire_free);

  G_OBJECT_CLASS (mn_questions_page_parent_class)->dispose (object);
}

static void
mn_questions_page_class_init (MnQuestionsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_questions_page_dispose;

  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-questions-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnQuestionsPage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnQuestionsPage, question_box);
  gtk_widget_class_bind_template_child (widget_class, MnQuestionsPage, next_button);

  gtk_widget_class_install_action (widget_class, "questions.answer", "(ss)", answer_action);
  gtk_widget_class_install_action (widget_class, "questions.next", NULL, next_action);
}

static void
mn_questions_page_init (MnQuestionsPage *self)
{
  self->answers = mn_questionnaire_answers_new ();
  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  gtk_widget_init_template (GTK_WIDGET (self));
  update_state (self);
}

GtkWidget *
mn_questions_page_new (void)
{
  return g_object_new (MN_TYPE_QUESTIONS_PAGE, NULL);
}

void
mn_questions_page_set_questionnaire (MnQuestionsPage *self,
                                     MnQuestionnaire *questionnaire)
{
  g_return_if_fail (MN_IS_QUESTIONS_PAGE (self));

  g_clear_pointer (&self->questionnaire, mn_questionnaire_free);
  self->questionnaire = questionnaire;
  g_hash_table_remove_all (self->answers);
  rebuild (self);
}

const MnQuestionnaire *
mn_questions_page_get_questionnaire (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  return self->questionnaire;
}

char *
mn_questions_page_dup_json (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  if (self->questionnaire == NULL)
    return NULL;
  /* A multi-value question whose values were all touched off again is
   * no answer. */
  {
    GHashTableIter iter;
    gpointer values;

    g_hash_table_iter_init (&iter, self->answers);
    while (g_hash_table_iter_next (&iter, NULL, &values))
      if (((GPtrArray *) values)->len == 0)
        g_hash_table_iter_remove (&iter);
  }
  return mn_questionnaire_answers_to_json (self->questionnaire, self->answers);
}

char *
mn_questions_page_dup_summary (MnQuestionsPage *self)
{
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  if (self->questionnaire == NULL)
    return NULL;
  for (guint i = 0; i < mn_questionnaire_get_n_questions (self->questionnaire); i++)
    {
      const MnQuestion *q = mn_questionnaire_get_question (self->questionnaire, i);
      GPtrArray *values = g_hash_table_lookup (self->answers, q->code);

      if (values == NULL || values->len == 0)
        continue;
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append_printf (text, "%s ", q->description);
      for (guint k = 0; k < values->len; k++)
        {
          const char *name = mn_question_get_value_name (q, g_ptr_array_index (values, k));

          if (k > 0)
            /* Translators: between two chosen answers of one question. */
            g_string_append (text, _(", "));
          g_string_append (text, name != NULL ? name : (const char *) g_ptr_array_index (values, k));
        }
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

char *
mn_questions_page_dup_speech (MnQuestionsPage *self)
{
  g_autoptr(GString) text = NULL;

  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  text = g_string_new (mn_flow_frame_get_title (self->frame));
  if (self->questionnaire == NULL)
    return g_string_free (g_steal_pointer (&text), FALSE);
  for (guint i = 0; i < mn_questionnaire_get_n_questions (self->questionnaire); i++)
    {
      const MnQuestion *q = mn_questionnaire_get_question (self->questionnaire, i);

      if (!mn_question_is_list (q) || q->keys->len == 0)
        continue;
      g_string_append_printf (text, "\n%s", q->description);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

GtkWidget *
mn_questions_page_get_value_button (MnQuestionsPage *self,
                                    const char      *code,
                                    const char      *key)
{
  g_autofree char *k = NULL;

  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  k = button_key (code, key);
  return g_hash_table_lookup (self->buttons, k);
}

void
mn_questions_page_reset (MnQuestionsPage *self)
{
  g_return_if_fail (MN_IS_QUESTIONS_PAGE (self));

  mn_questions_page_set_questionnaire (self, NULL);
}
