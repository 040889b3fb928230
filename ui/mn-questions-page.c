/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-flow-frame.h"
#include "mn-handwriting-pad.h"
#include "mn-handwriting.h"
#include "mn-keypad.h"
#include "mn-questions-page.h"
#include "mn-window.h"

/* One screen of the page: consecutive list questions together (their
 * buttons are small enough to share a screen), or one free-form question
 * with its own input (keypad, day chooser or handwriting pad). */
typedef struct
{
  GPtrArray *questions; /* const MnQuestion *, borrowed from the questionnaire */
  gboolean   list;
} Screen;

/* The quick day buttons: how many days before today each one is. */
static const int quick_days[] = { 0, 1, 2, 7 };
#define N_QUICK_DAYS G_N_ELEMENTS (quick_days)

/* The furthest the day steppers go: a year back, a year ahead. */
#define MAX_DAYS_AGO   366
#define MAX_DAYS_AHEAD 366

struct _MnQuestionsPage
{
  AdwBin            parent_instance;

  MnFlowFrame      *frame;
  GtkBox           *content_box;
  GtkLabel         *note_label;
  GtkStack         *input_stack;
  GtkBox           *question_box;
  MnKeypad         *keypad;
  GtkLabel         *date_label;
  GtkGrid          *day_grid;
  GtkGrid          *time_grid;
  MnHandwritingPad *pad;
  GtkLabel         *written_label;
  GtkBox           *written_box;
  GtkLabel         *written_title;
  GtkButton        *next_button;
  GtkButton        *skip_button;
  GtkWidget        *day_buttons[N_QUICK_DAYS];
  GtkWidget        *time_buttons[MN_N_TIMES_OF_DAY];

  char             *title;         /* the frame's title as the template set it */
  char             *note;          /* what to do on the free-form screen shown */
  char             *spoken_note;   /* the same as it is read out, in full */
  MnQuestionnaire  *questionnaire; /* owned, or NULL */
  GHashTable       *answers;       /* code → GPtrArray of values */
  GHashTable       *buttons;       /* "code\nkey" → value button of the screen shown (borrowed) */
  GPtrArray        *screens;       /* Screen * */
  guint             screen;
  Screen           *built;         /* the list screen whose buttons are in question_box */
  gboolean          filling;       /* the page is putting an answer into a widget */

  /* The day chooser: the chosen day as days before today, and the time
   * of day (-1: none yet). */
  gboolean          has_day;
  int               days_ago;
  int               time_of_day;
};

G_DEFINE_FINAL_TYPE (MnQuestionsPage, mn_questions_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_NEXT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void clear_warning (MnQuestionsPage *self);

/* Skip sits under the input, or beside the handwriting pad, which leaves
 * no room below it. */
static void
place_skip (MnQuestionsPage *self,
            GtkBox          *box)
{
  GtkWidget *skip = GTK_WIDGET (self->skip_button);

  if (gtk_widget_get_parent (skip) == GTK_WIDGET (box))
    return;
  g_object_ref (skip);
  gtk_box_remove (GTK_BOX (gtk_widget_get_parent (skip)), skip);
  gtk_box_append (box, skip);
  g_object_unref (skip);
}

static MnWindow *
get_window (MnQuestionsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
announce (MnQuestionsPage *self,
          const char      *text)
{
  if (get_window (self) != NULL)
    mn_window_announce (get_window (self), text);
}

static void
say_button (MnQuestionsPage *self,
            const char      *text)
{
  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), text);
}

static char *
button_key (const char *code,
            const char *key)
{
  return g_strdup_printf ("%s\n%s", code, key);
}

static void
screen_free (Screen *screen)
{
  g_ptr_array_unref (screen->questions);
  g_free (screen);
}

/* A question the kiosk can ask: a list with values, a number, a date, or
 * text when handwriting can be recognised on this terminal. */
static gboolean
is_asked (const MnQuestion *q)
{
  if (mn_question_is_list (q))
    return q->keys->len > 0;
  if (g_strcmp0 (q->datatype, "number") == 0 || g_strcmp0 (q->datatype, "datetime") == 0)
    return TRUE;
  if (mn_question_is_free_form (q))
    return mn_handwriting_get_default (NULL) != NULL;
  return FALSE;
}

gboolean
mn_questions_page_would_ask (const MnQuestionnaire *questionnaire)
{
  if (questionnaire == NULL)
    return FALSE;
  for (guint i = 0; i < mn_questionnaire_get_n_questions (questionnaire); i++)
    if (is_asked (mn_questionnaire_get_question (questionnaire, i)))
      return TRUE;
  return FALSE;
}

static Screen *
current_screen (MnQuestionsPage *self)
{
  if (self->screens == NULL || self->screen >= self->screens->len)
    return NULL;
  return g_ptr_array_index (self->screens, self->screen);
}

/* The free-form question on screen, or NULL (none, or a list screen). */
static const MnQuestion *
current_question (MnQuestionsPage *self)
{
  Screen *s = current_screen (self);

  if (s == NULL || s->list)
    return NULL;
  return g_ptr_array_index (s->questions, 0);
}

static const char *
get_answer (MnQuestionsPage *self,
            const char      *code)
{
  GPtrArray *values = g_hash_table_lookup (self->answers, code);

  return values != NULL && values->len > 0 ? g_ptr_array_index (values, 0) : NULL;
}

/* A free-form question has one answer; NULL or "" takes it away. */
static void
set_answer (MnQuestionsPage *self,
            const char      *code,
            const char      *value)
{
  g_hash_table_remove (self->answers, code);
  if (value != NULL && *value != '\0')
    mn_questionnaire_answers_add (self->answers, code, value);
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

static void
set_pressed (GtkWidget *button,
             gboolean   pressed)
{
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), pressed);
  gtk_accessible_update_state (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_STATE_PRESSED,
                               pressed ? GTK_ACCESSIBLE_TRISTATE_TRUE
                                       : GTK_ACCESSIBLE_TRISTATE_FALSE, -1);
}

static void
update_list_state (MnQuestionsPage *self)
{
  GHashTableIter iter;
  gpointer key, button;

  g_hash_table_iter_init (&iter, self->buttons);
  while (g_hash_table_iter_next (&iter, &key, &button))
    {
      g_auto(GStrv) parts = g_strsplit (key, "\n", 2);

      /* The value buttons' action has no state, so the page sets them. */
      set_pressed (button, is_chosen (self, parts[0], parts[1]));
    }
}

/* A toggle button with a tick beside its label: colour is never the only
 * cue for what is chosen. */
static GtkWidget *
build_choice_button (const char *widget_name,
                     const char *label_text)
{
  GtkWidget *button = gtk_toggle_button_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *tick = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *label = gtk_label_new (label_text);

  gtk_widget_set_name (button, widget_name);
  gtk_widget_add_css_class (button, "mn-choice");
  gtk_widget_add_css_class (box, "mn-tile-content");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  g_object_bind_property (button, "active", tick, "visible", G_BINDING_SYNC_CREATE);
  gtk_accessible_update_state (GTK_ACCESSIBLE (tick), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (GTK_BOX (box), tick);
  gtk_box_append (GTK_BOX (box), label);
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  label_text, -1);
  return button;
}

static GtkWidget *
build_value_button (const char *code,
                    const char *key,
                    const char *name)
{
  g_autofree char *widget_name = g_strdup_printf ("answer-%s-%s", code, key);
  GtkWidget *button = build_choice_button (widget_name, name);

  /* The platform's words (Chinese in every language of the kiosk): the
   * label beside the tick. */
  gtk_widget_add_css_class (gtk_widget_get_last_child (gtk_button_get_child (GTK_BUTTON (button))),
                            "mn-han");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "questions.answer");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", code, key);
  return button;
}

/* The buttons of the list questions of @s (NULL: none). */
static void
build_list_screen (MnQuestionsPage *self,
                   Screen          *s)
{
  GtkWidget *child;

  /* The same screen again keeps its buttons (and whoever holds them). */
  if (s != NULL && s == self->built)
    {
      update_list_state (self);
      return;
    }
  self->built = s;
  g_hash_table_remove_all (self->buttons);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->question_box))) != NULL)
    gtk_box_remove (self->question_box, child);

  for (guint i = 0; s != NULL && i < s->questions->len; i++)
    {
      const MnQuestion *q = g_ptr_array_index (s->questions, i);
      GtkWidget *label, *row;

      label = gtk_label_new (q->description);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_add_css_class (label, "mn-heading");
      /* The platform's question, Chinese in every language of the kiosk:
       * the Han face and its line spacing (a Uyghur screen's is set for
       * the taller Arabic face and would crowd these lines). */
      gtk_widget_add_css_class (label, "mn-han");
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
  update_list_state (self);
}

static GDateTime *
chosen_day (MnQuestionsPage *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_add_days (now, -self->days_ago);
}

/* The day chooser shows what is chosen and, once it is complete, holds
 * it as the answer. */
static void
update_datetime (MnQuestionsPage *self)
{
  const MnQuestion *q = current_question (self);
  gboolean wants_time;

  if (q == NULL || g_strcmp0 (q->datatype, "datetime") != 0)
    return;
  wants_time = mn_question_wants_time (q);
  clear_warning (self);

  for (guint k = 0; k < N_QUICK_DAYS; k++)
    set_pressed (self->day_buttons[k], self->has_day && self->days_ago == quick_days[k]);
  for (guint t = 0; t < MN_N_TIMES_OF_DAY; t++)
    set_pressed (self->time_buttons[t], self->time_of_day == (int) t);
  gtk_widget_set_visible (GTK_WIDGET (self->time_grid), wants_time);

  if (!self->has_day)
    {
      /* Translators: on the date chooser before any day is touched. */
      gtk_label_set_label (self->date_label, _("No day chosen yet"));
      set_answer (self, q->code, NULL);
      return;
    }

  {
    g_autoptr(GDateTime) now = g_date_time_new_now_local ();
    g_autoptr(GDateTime) day = chosen_day (self);
    g_autofree char *words = mn_questionnaire_describe_date (day, now);

    gtk_label_set_label (self->date_label, words);
    if (!wants_time || self->time_of_day >= 0)
      {
        g_autofree char *iso = mn_questionnaire_format_datetime (day, wants_time ? self->time_of_day
                                                                                 : -1);

        set_answer (self, q->code, iso);
      }
    else
      set_answer (self, q->code, NULL);
  }
}

/* The datetime answer back into the chooser (Back, Change from the
 * review). */
static void
fill_datetime (MnQuestionsPage  *self,
               const MnQuestion *q)
{
  g_autoptr(GDateTime) parsed = mn_questionnaire_parse_datetime (get_answer (self, q->code));

  self->has_day = FALSE;
  self->days_ago = 0;
  self->time_of_day = -1;
  if (parsed != NULL)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      g_autoptr(GDateTime) local = g_date_time_to_local (parsed);
      GDate a, b;

      g_date_clear (&a, 1);
      g_date_clear (&b, 1);
      g_date_set_dmy (&a, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                      g_date_time_get_year (local));
      g_date_set_dmy (&b, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                      g_date_time_get_year (now));
      self->has_day = TRUE;
      self->days_ago = CLAMP (g_date_days_between (&a, &b), -MAX_DAYS_AHEAD, MAX_DAYS_AGO);
      if (mn_question_wants_time (q))
        self->time_of_day = mn_time_of_day_from_hour (g_date_time_get_hour (local));
    }
  update_datetime (self);
}

static void
update_written (MnQuestionsPage *self)
{
  const MnQuestion *q = current_question (self);
  const char *text = q != NULL ? get_answer (self, q->code) : NULL;

  clear_warning (self);
  gtk_label_set_label (self->written_label, text != NULL ? text : "");
}

/* What a person is told to do on a free-form question's screen; @shown:
 * the same on screen (the handwriting screen shows none, see show_screen). */
static char *
dup_instructions (const MnQuestion *q,
                  gboolean          shown)
{
  GString *text = g_string_new (NULL);

  if (g_strcmp0 (q->datatype, "number") == 0)
    {
      g_autofree char *hint = mn_question_dup_number_hint (q);

      g_string_append_printf (text, "%s %s", hint,
                              /* Translators: on a number question, after what it takes. */
                              _("Type it on the keypad, then touch Next."));
    }
  else if (g_strcmp0 (q->datatype, "datetime") == 0)
    g_string_append (text, mn_question_wants_time (q)
                             ? _("Touch the day, then the time of day, then Next.")
                             : _("Touch the day, then Next."));
  else
    {
      guint max = mn_question_get_max_chars (q);

      g_string_append (text, _("Write one character at a time in the box with your finger, "
                               "then touch the character you meant. When you have finished, "
                               "touch Next."));
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              /* Translators: the most characters a written answer may have. */
                              ngettext ("At most %u character.", "At most %u characters.", max),
                              max);
    }
  g_string_append_c (text, ' ');
  if (q->required)
    g_string_append (text, _("This question must be answered: the office needs the answer to "
                             "deal with your request."));
  else
    g_string_append (text, _("If you do not know, touch “Skip this question”."));
  return g_string_free (text, FALSE);
}

static char *
dup_screen_speech (MnQuestionsPage *self)
{
  Screen *s = current_screen (self);
  GString *text = g_string_new (mn_flow_frame_get_title (self->frame));

  if (s == NULL)
    return g_string_free (text, FALSE);
  if (s->list)
    {
      for (guint i = 0; i < s->questions->len; i++)
        g_string_append_printf (text, "\n%s",
                                ((const MnQuestion *) g_ptr_array_index (s->questions, i))
                                  ->description);
    }
  else
    {
      const MnQuestion *q = g_ptr_array_index (s->questions, 0);
      const char *answer = get_answer (self, q->code);

      /* The title is the question itself. */
      g_string_append_printf (text, "\n%s", self->spoken_note);
      if (answer != NULL)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_local ();
          g_autofree char *words = mn_question_describe_value (q, answer, now);

          g_string_append_c (text, '\n');
          /* Translators: read when a person comes back to a question they answered. */
          g_string_append_printf (text, _("Your answer: %s"), words);
        }
    }
  return g_string_free (text, FALSE);
}

/* Shows screen self->screen; with @say, reads it out (moving between the
 * page's own screens; the window reads the page's speech when the page
 * itself appears). */
static void
show_screen (MnQuestionsPage *self,
             gboolean         say)
{
  Screen *s = current_screen (self);
  const MnQuestion *q;
  g_autofree char *speech = NULL;

  if (s != NULL && !s->list && self->screens->len > 1)
    {
      /* One question on screen: it is the heading, large, with where it
       * stands among the others. */
      g_autofree char *title = g_strdup_printf (
        /* Translators: a question asked at the kiosk (%s), which one it is (the
         * first %u) and of how many (the second %u). */
        _("%s (question %u of %u)"),
        ((const MnQuestion *) g_ptr_array_index (s->questions, 0))->description,
        self->screen + 1, self->screens->len);

      mn_flow_frame_set_title (self->frame, title);
    }
  else if (s != NULL && !s->list)
    mn_flow_frame_set_title (self->frame,
                             ((const MnQuestion *) g_ptr_array_index (s->questions, 0))->description);
  else if (self->screens != NULL && self->screens->len > 1)
    {
      g_autofree char *title = g_strdup_printf (
        /* Translators: the page's heading when it asks several questions one after
         * the other: which one this is, of how many. */
        _("Please answer these questions (%u of %u)"), self->screen + 1, self->screens->len);

      mn_flow_frame_set_title (self->frame, title);
    }
  else
    mn_flow_frame_set_title (self->frame, self->title);

  gtk_widget_set_visible (GTK_WIDGET (self->next_button), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->skip_button), FALSE);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->content_box), GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_hexpand (GTK_WIDGET (self->note_label), FALSE);
  place_skip (self, self->content_box);
  mn_handwriting_pad_clear (self->pad);
  if (s == NULL || s->list)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), FALSE);
      gtk_stack_set_visible_child_name (self->input_stack, "list");
      build_list_screen (self, s);
    }
  else
    {
      q = g_ptr_array_index (s->questions, 0);
      g_free (self->note);
      g_free (self->spoken_note);
      self->note = dup_instructions (q, TRUE);
      self->spoken_note = dup_instructions (q, FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), TRUE);
      clear_warning (self);
      gtk_widget_set_visible (GTK_WIDGET (self->skip_button), !q->required);

      self->filling = TRUE;
      if (g_strcmp0 (q->datatype, "number") == 0)
        {
          MnNumberRule rule;
          const char *answer = get_answer (self, q->code);

          mn_question_get_number_rule (q, &rule);
          mn_keypad_set_allow_point (self->keypad, rule.format == MN_NUMBER_DECIMAL);
          mn_keypad_set_text (self->keypad, answer != NULL ? answer : "");
          gtk_stack_set_visible_child_name (self->input_stack, "number");
          /* The keypad's own Enter is this screen's Next: one Next, not two. */
          gtk_widget_set_visible (GTK_WIDGET (self->next_button), FALSE);
          /* Instructions, keypad and Skip side by side: one above the other
           * they do not fit a kiosk's screen. */
          gtk_orientable_set_orientation (GTK_ORIENTABLE (self->content_box),
                                          GTK_ORIENTATION_HORIZONTAL);
          gtk_widget_set_hexpand (GTK_WIDGET (self->note_label), TRUE);
        }
      else if (g_strcmp0 (q->datatype, "datetime") == 0)
        {
          gtk_stack_set_visible_child_name (self->input_stack, "datetime");
          fill_datetime (self, q);
        }
      else
        {
          g_autofree char *written_title = g_strdup_printf (
            /* Translators: before the characters written so far, with the most
             * the answer may have. */
            ngettext ("You wrote (at most %u character):", "You wrote (at most %u characters):",
                      mn_question_get_max_chars (q)),
            mn_question_get_max_chars (q));

          gtk_stack_set_visible_child_name (self->input_stack, "text");
          place_skip (self, self->written_box);
          gtk_label_set_label (self->written_title, written_title);
          /* The pad says what to do and the row below it the rest: the
           * instructions are read out, and shown only as a warning, for the
           * pad leaves no room for them on a kiosk's screen. */
          update_written (self);
        }
      self->filling = FALSE;
      /* Now that the input is chosen: whether the instructions show. */
      clear_warning (self);
    }

  speech = dup_screen_speech (self);
  if (get_window (self) != NULL)
    {
      mn_window_set_page_speech (get_window (self), "file-questions", speech);
      if (say)
        mn_window_announce (get_window (self), speech);
    }
}

/* Tells the person what is wrong, on screen as well as aloud: the
 * warning takes the place of the instructions (the screen must not grow
 * out of sight) until the answer changes. */
static void
warn (MnQuestionsPage *self,
      const char      *text)
{
  if (current_question (self) != NULL)
    {
      gtk_label_set_label (self->note_label, text);
      gtk_widget_add_css_class (GTK_WIDGET (self->note_label), "mn-heading");
      gtk_widget_set_visible (GTK_WIDGET (self->note_label), TRUE);
    }
  announce (self, text);
}

static void
clear_warning (MnQuestionsPage *self)
{
  const MnQuestion *q = current_question (self);

  if (self->note != NULL && q != NULL)
    gtk_label_set_label (self->note_label, self->note);
  gtk_widget_remove_css_class (GTK_WIDGET (self->note_label), "mn-heading");
  gtk_widget_set_visible (GTK_WIDGET (self->note_label),
                          q != NULL && g_strcmp0 (gtk_stack_get_visible_child_name (self->input_stack),
                                                  "text") != 0);
}

static void
go_forward (MnQuestionsPage *self)
{
  if (self->screens != NULL && self->screen + 1 < self->screens->len)
    {
      self->screen++;
      show_screen (self, TRUE);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

/* The screen's answers are complete and acceptable, or the person is
 * told (spoken and shown) what is missing. */
static gboolean
check_screen (MnQuestionsPage *self)
{
  Screen *s = current_screen (self);
  const MnQuestion *q;
  const char *answer;

  if (s == NULL)
    return TRUE;
  if (s->list)
    {
      for (guint i = 0; i < s->questions->len; i++)
        {
          q = g_ptr_array_index (s->questions, i);
          if (q->required && get_answer (self, q->code) == NULL)
            {
              /* Translators: %s is a question the person has not answered yet. */
              g_autofree char *said = g_strdup_printf (_("Please answer this question first: %s"),
                                                       q->description);

              announce (self, said);
              return FALSE;
            }
        }
      return TRUE;
    }

  q = g_ptr_array_index (s->questions, 0);
  answer = get_answer (self, q->code);
  if (answer == NULL)
    {
      if (g_strcmp0 (q->datatype, "datetime") == 0 && self->has_day && mn_question_wants_time (q))
        {
          warn (self, _("Touch the time of day: Morning, Afternoon, Evening or Night."));
          return FALSE;
        }
      if (q->required)
        {
          warn (self, _("This question cannot be skipped: the office needs the answer to deal "
                        "with your request."));
          return FALSE;
        }
      return TRUE;
    }
  if (!mn_question_check_value (q, answer, NULL))
    {
      g_autofree char *hint = NULL;

      /* Only a number can be wrong here: the chooser and the pad give
       * nothing else a check refuses. */
      if (g_strcmp0 (q->datatype, "number") == 0)
        hint = mn_question_dup_number_hint (q);
      else
        hint = g_strdup (_("This answer cannot be used; please give it again."));
      warn (self, hint);
      return FALSE;
    }
  return TRUE;
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
  update_list_state (self);
  say_button (self, name);
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);

  if (!check_screen (self))
    return;
  go_forward (self);
}

static void
skip_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);
  const MnQuestion *q = current_question (self);

  if (q == NULL)
    return;
  if (q->required)
    {
      /* The button is hidden then; a stray activation is still explained. */
      warn (self, _("This question cannot be skipped: the office needs the answer to deal with "
                    "your request."));
      return;
    }
  say_button (self, gtk_button_get_label (self->skip_button));
  /* Skipped means unanswered, even if something was started. */
  set_answer (self, q->code, NULL);
  go_forward (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);

  /* Whatever was given on this screen stays: Back never loses an answer. */
  if (self->screen > 0)
    {
      self->screen--;
      show_screen (self, TRUE);
      return;
    }
  gtk_widget_activate_action (widget, "win.show-page", "s", "file-category");
}

static void
day_ago_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *words = NULL;

  self->has_day = TRUE;
  self->days_ago = CLAMP (g_variant_get_int32 (parameter), -MAX_DAYS_AHEAD, MAX_DAYS_AGO);
  update_datetime (self);
  day = chosen_day (self);
  words = mn_questionnaire_describe_date (day, now);
  say_button (self, words);
}

static void
step_day_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);
  int step = g_variant_get_int32 (parameter);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) day = NULL;
  g_autofree char *words = NULL;

  /* From today when nothing was chosen: "one day earlier" is yesterday. */
  if (!self->has_day)
    self->days_ago = 0;
  self->has_day = TRUE;
  self->days_ago = CLAMP (self->days_ago - step, -MAX_DAYS_AHEAD, MAX_DAYS_AGO);
  update_datetime (self);
  day = chosen_day (self);
  words = mn_questionnaire_describe_date (day, now);
  /* The new date, not the button's name: that is what the person needs. */
  say_button (self, words);
}

static void
time_of_day_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);
  int t = g_variant_get_int32 (parameter);

  if (t < 0 || t >= MN_N_TIMES_OF_DAY)
    return;
  self->time_of_day = t;
  update_datetime (self);
  say_button (self, mn_time_of_day_get_name (t));
}

static void
delete_char_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (widget);
  const MnQuestion *q = current_question (self);
  const char *text;

  say_button (self, _("Delete last character"));
  if (q == NULL || (text = get_answer (self, q->code)) == NULL)
    return;
  {
    g_autofree char *shorter = g_strndup (text, g_utf8_find_prev_char (text, text + strlen (text)) -
                                                  text);

    set_answer (self, q->code, shorter);
  }
  update_written (self);
}

static void
on_character_chosen (MnQuestionsPage *self,
                     const char      *character)
{
  const MnQuestion *q = current_question (self);
  const char *text;
  guint max;

  if (q == NULL || !mn_question_is_free_form (q))
    return;
  text = get_answer (self, q->code);
  max = mn_question_get_max_chars (q);
  if (text != NULL && g_utf8_strlen (text, -1) >= (glong) max)
    {
      /* Translators: %d is the most characters a person may write. */
      g_autofree char *said = g_strdup_printf (_("That is the most you can write here: %d "
                                                 "characters."),
                                               (int) max);

      warn (self, said);
      return;
    }
  {
    g_autofree char *longer = g_strconcat (text != NULL ? text : "", character, NULL);

    set_answer (self, q->code, longer);
  }
  update_written (self);
}

static void
on_keypad_text (MnQuestionsPage *self)
{
  const MnQuestion *q = current_question (self);

  if (self->filling || q == NULL || g_strcmp0 (q->datatype, "number") != 0)
    return;
  clear_warning (self);
  set_answer (self, q->code, mn_keypad_get_text (self->keypad));
}

static void
on_keypad_activate (MnQuestionsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "questions.next", NULL);
}

static void
mn_questions_page_dispose (GObject *object)
{
  MnQuestionsPage *self = MN_QUESTIONS_PAGE (object);

  g_clear_pointer (&self->buttons, g_hash_table_unref);
  g_clear_pointer (&self->answers, g_hash_table_unref);
  g_clear_pointer (&self->screens, g_ptr_array_unref);
  self->built = NULL;
  g_clear_pointer (&self->questionnaire, mn_questionnaire_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->note, g_free);
  g_clear_pointer (&self->spoken_note, g_free);

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
  g_type_ensure (MN_TYPE_KEYPAD);
  g_type_ensure (MN_TYPE_HANDWRITING_PAD);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-questions-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, MnQuestionsPage, name)
  BIND (frame); BIND (content_box); BIND (note_label); BIND (input_stack); BIND (question_box);
  BIND (keypad); BIND (date_label); BIND (day_grid); BIND (time_grid);
  BIND (pad); BIND (written_label); BIND (written_box); BIND (written_title); BIND (next_button); BIND (skip_button);
#undef BIND

  gtk_widget_class_install_action (widget_class, "questions.answer", "(ss)", answer_action);
  gtk_widget_class_install_action (widget_class, "questions.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "questions.skip", NULL, skip_action);
  gtk_widget_class_install_action (widget_class, "questions.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "questions.day-ago", "i", day_ago_action);
  gtk_widget_class_install_action (widget_class, "questions.step-day", "i", step_day_action);
  gtk_widget_class_install_action (widget_class, "questions.time-of-day", "i",
                                   time_of_day_action);
  gtk_widget_class_install_action (widget_class, "questions.delete-char", NULL,
                                   delete_char_action);
}

static void
build_chooser (MnQuestionsPage *self)
{
  static const char *const time_names[MN_N_TIMES_OF_DAY] = {
    "morning", "afternoon", "evening", "night",
  };

  for (guint k = 0; k < N_QUICK_DAYS; k++)
    {
      g_autofree char *name = g_strdup_printf ("questions-day-%d", quick_days[k]);
      g_autofree char *label = NULL;

      if (quick_days[k] == 0)
        label = g_strdup (_("Today"));
      else if (quick_days[k] == 1)
        label = g_strdup (_("Yesterday"));
      else if (quick_days[k] == 7)
        label = g_strdup (_("A week ago"));
      else
        label = g_strdup_printf (ngettext ("%d day ago", "%d days ago", quick_days[k]),
                                 quick_days[k]);
      self->day_buttons[k] = build_choice_button (name, label);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->day_buttons[k]),
                                      "questions.day-ago");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->day_buttons[k]), "i",
                                        quick_days[k]);
      gtk_grid_attach (self->day_grid, self->day_buttons[k], k, 0, 1, 1);
    }
  for (guint t = 0; t < MN_N_TIMES_OF_DAY; t++)
    {
      g_autofree char *name = g_strdup_printf ("questions-time-%s", time_names[t]);

      self->time_buttons[t] = build_choice_button (name, mn_time_of_day_get_name (t));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->time_buttons[t]),
                                      "questions.time-of-day");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (self->time_buttons[t]), "i", (int) t);
      gtk_grid_attach (self->time_grid, self->time_buttons[t], t, 0, 1, 1);
    }
}

static void
mn_questions_page_init (MnQuestionsPage *self)
{
  self->answers = mn_questionnaire_answers_new ();
  self->buttons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->time_of_day = -1;
  gtk_widget_init_template (GTK_WIDGET (self));
  self->title = g_strdup (mn_flow_frame_get_title (self->frame));
  build_chooser (self);
  /* Dates, times and numbers read left to right in every language. */
  gtk_widget_set_direction (GTK_WIDGET (self->keypad), GTK_TEXT_DIR_LTR);
  /* Translators: the keypad's Enter key on a number question. */
  mn_keypad_set_enter_label (self->keypad, _("Next"));
  g_signal_connect_swapped (self->keypad, "notify::text", G_CALLBACK (on_keypad_text), self);
  g_signal_connect_swapped (self->keypad, "activate", G_CALLBACK (on_keypad_activate), self);
  g_signal_connect_swapped (self->pad, "character-chosen", G_CALLBACK (on_character_chosen),
                            self);
  show_screen (self, FALSE);
}

GtkWidget *
mn_questions_page_new (void)
{
  return g_object_new (MN_TYPE_QUESTIONS_PAGE, NULL);
}

static void
build_screens (MnQuestionsPage *self)
{
  Screen *last = NULL;

  g_clear_pointer (&self->screens, g_ptr_array_unref);
  self->built = NULL;
  self->screen = 0;
  if (self->questionnaire == NULL)
    return;
  self->screens = g_ptr_array_new_with_free_func ((GDestroyNotify) screen_free);
  for (guint i = 0; i < mn_questionnaire_get_n_questions (self->questionnaire); i++)
    {
      const MnQuestion *q = mn_questionnaire_get_question (self->questionnaire, i);

      if (!is_asked (q))
        continue;
      if (mn_question_is_list (q) && last != NULL && last->list)
        {
          g_ptr_array_add (last->questions, (gpointer) q);
          continue;
        }
      last = g_new0 (Screen, 1);
      last->questions = g_ptr_array_new ();
      last->list = mn_question_is_list (q);
      g_ptr_array_add (last->questions, (gpointer) q);
      g_ptr_array_add (self->screens, last);
    }
}

void
mn_questions_page_set_questionnaire (MnQuestionsPage *self,
                                     MnQuestionnaire *questionnaire)
{
  g_return_if_fail (MN_IS_QUESTIONS_PAGE (self));

  g_clear_pointer (&self->screens, g_ptr_array_unref);
  self->built = NULL;
  g_clear_pointer (&self->questionnaire, mn_questionnaire_free);
  self->questionnaire = questionnaire;
  g_hash_table_remove_all (self->answers);
  self->has_day = FALSE;
  self->days_ago = 0;
  self->time_of_day = -1;
  self->filling = TRUE;
  mn_keypad_clear (self->keypad);
  self->filling = FALSE;
  mn_handwriting_pad_clear (self->pad);
  build_screens (self);
  show_screen (self, FALSE);
}

const MnQuestionnaire *
mn_questions_page_get_questionnaire (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  return self->questionnaire;
}

void
mn_questions_page_restart (MnQuestionsPage *self)
{
  g_return_if_fail (MN_IS_QUESTIONS_PAGE (self));

  self->screen = 0;
  show_screen (self, FALSE);
}

guint
mn_questions_page_get_n_screens (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), 0);

  return self->screens != NULL ? self->screens->len : 0;
}

guint
mn_questions_page_get_screen (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), 0);

  return self->screen;
}

const MnQuestion *
mn_questions_page_get_current_question (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  return current_question (self);
}

GtkWidget *
mn_questions_page_get_keypad (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  return GTK_WIDGET (self->keypad);
}

GtkWidget *
mn_questions_page_get_pad (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  return GTK_WIDGET (self->pad);
}

char *
mn_questions_page_dup_json (MnQuestionsPage *self)
{
  GHashTableIter iter;
  gpointer code, values;

  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  if (self->questionnaire == NULL)
    return NULL;
  /* A multi-value question whose values were all touched off again is no
   * answer; nor is anything the one check refuses (a screen left by Back
   * with a half-typed number): the platform would refuse the request for
   * it after the person has gone home. */
  g_hash_table_iter_init (&iter, self->answers);
  while (g_hash_table_iter_next (&iter, &code, &values))
    {
      const MnQuestion *q = mn_questionnaire_lookup (self->questionnaire, code);
      GPtrArray *list = values;
      gboolean usable = q != NULL && list->len > 0;

      for (guint i = 0; usable && i < list->len; i++)
        usable = mn_question_check_value (q, g_ptr_array_index (list, i), NULL);
      if (!usable)
        g_hash_table_iter_remove (&iter);
    }
  return mn_questionnaire_answers_to_json (self->questionnaire, self->answers);
}

char *
mn_questions_page_dup_summary (MnQuestionsPage *self)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

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
          g_autofree char *words = mn_question_describe_value (q, g_ptr_array_index (values, k),
                                                               now);

          if (k > 0)
            /* Translators: between two chosen answers of one question. */
            g_string_append (text, _(", "));
          g_string_append (text, words);
        }
    }
  return text->len > 0 ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

char *
mn_questions_page_dup_speech (MnQuestionsPage *self)
{
  g_return_val_if_fail (MN_IS_QUESTIONS_PAGE (self), NULL);

  return dup_screen_speech (self);
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
