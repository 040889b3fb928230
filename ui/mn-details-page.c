/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-application.h"
#include "mn-details-page.h"
#include "mn-flow-frame.h"
#include "mn-speech-prompts.h"
#include "mn-voice-note.h"
#include "mn-window.h"

struct _MnDetailsPage
{
  AdwBin      parent_instance;

  MnFlowFrame *frame;
  GtkGrid     *phrase_grid;
  GtkButton   *next_button;
  GtkButton   *write_button;
  GtkWidget   *note_box;
  GtkButton   *record_button;
  GtkButton   *stop_button;
  GtkButton   *play_button;
  GtkButton   *delete_note_button;
  GtkLabel    *note_status;
  GtkLevelBar *note_level;
  GtkLabel    *note_problem;

  MnVoiceNote *note;         /* the flow's; NULL when voice notes are not offered */
  gboolean     can_record;
  gboolean     next_pending; /* Next was touched while recording: go on once it is kept */

  /* Record was touched: how to record is being said, and recording starts
   * (beep, then the microphone) once the voice has finished, so that the
   * kiosk's own voice is never in the note. */
  gboolean     preparing;
  MnSpeech    *speech;           /* watched while preparing */
  gulong       speaking_handler;
  guint        prepare_check_id; /* looks once the voice has reported on what was said */
  guint        prepare_limit_id; /* a voice that never ends does not hold the recording */

  char        *written; /* what the person wrote on the write page, or NULL */

  GPtrArray   *phrases; /* char*, as shown */
  GPtrArray   *toggles; /* GtkToggleButton*, borrowed from the grid */
};

G_DEFINE_FINAL_TYPE (MnDetailsPage, mn_details_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_NEXT,
  SIGNAL_WRITE,
  SIGNAL_RECORD,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnDetailsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
clear_phrases (MnDetailsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->phrase_grid))) != NULL)
    gtk_grid_remove (self->phrase_grid, child);
  g_ptr_array_set_size (self->toggles, 0);
  g_ptr_array_set_size (self->phrases, 0);
}

static void update_note (MnDetailsPage *self);

/* The longest the page waits for the instructions to be said is how long
 * they take at the voice's rate (mn_speech_text_estimate_ms(), an upper
 * bound) and this much more, for the voice to start: a voice that never
 * says it has finished costs a resident a few seconds, not half a minute.
 * Past it something is wrong with the voice, and the flow silences it
 * before the microphone opens anyway. */
#define PREPARE_MARGIN_MS 3000

/* Stops waiting to record (the person did something else, left the page,
 * or the recording starts now). */
static void
stop_preparing (MnDetailsPage *self)
{
  if (self->speech != NULL)
    g_clear_signal_handler (&self->speaking_handler, self->speech);
  g_clear_object (&self->speech);
  g_clear_handle_id (&self->prepare_check_id, g_source_remove);
  g_clear_handle_id (&self->prepare_limit_id, g_source_remove);
  self->preparing = FALSE;
}

static void
cancel_preparing (MnDetailsPage *self)
{
  if (!self->preparing)
    return;
  stop_preparing (self);
  update_note (self);
}

static void
begin_recording (MnDetailsPage *self)
{
  stop_preparing (self);
  /* The flow silences the voice and starts the note: its beep, then the
   * microphone. */
  g_signal_emit (self, signals[SIGNAL_RECORD], 0);
  update_note (self);
}

static void
on_speaking (MnDetailsPage *self)
{
  if (self->preparing && !mn_speech_get_speaking (self->speech))
    begin_recording (self);
}

static gboolean
check_prepared (gpointer data)
{
  MnDetailsPage *self = data;

  self->prepare_check_id = 0;
  /* The voice reports what it is doing in an idle of default priority
   * queued when the instructions were said: by now it has, and a voice
   * that is not speaking has nothing more to say (disabled, no sound
   * output, or already done). */
  if (self->preparing && !mn_speech_get_speaking (self->speech))
    begin_recording (self);
  return G_SOURCE_REMOVE;
}

static gboolean
prepare_limit (gpointer data)
{
  MnDetailsPage *self = data;

  self->prepare_limit_id = 0;
  if (self->preparing)
    begin_recording (self);
  return G_SOURCE_REMOVE;
}

static MnSpeech *
get_speech (MnDetailsPage *self)
{
  MnWindow *window = get_window (self);
  GtkApplication *app = window != NULL ? gtk_window_get_application (GTK_WINDOW (window)) : NULL;

  return MN_IS_APPLICATION (app) ? mn_application_get_speech (MN_APPLICATION (app)) : NULL;
}

guint
mn_details_page_get_prepare_limit_ms (MnDetailsPage *self)
{
  MnSpeech *speech;

  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), 0);

  speech = self->speech != NULL ? self->speech : get_speech (self);
  return mn_speech_text_estimate_ms (mn_speech_prompt_text (MN_SPEECH_PROMPT_RECORD_HOW),
                                     speech != NULL ? mn_speech_get_rate (speech) : 0) +
         PREPARE_MARGIN_MS;
}

static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);
  guint index = (guint) g_ascii_strtoull (g_variant_get_string (parameter, NULL), NULL, 10);
  GtkToggleButton *toggle;
  gboolean active;

  if (index >= self->toggles->len)
    return;
  /* Touching a sentence while being told how to record: the person chose
   * sentences instead. */
  cancel_preparing (self);
  toggle = g_ptr_array_index (self->toggles, index);
  active = !gtk_toggle_button_get_active (toggle);
  gtk_toggle_button_set_active (toggle, active);
  if (get_window (self) != NULL)
    {
      g_autofree char *said = NULL;

      /* Translators: said when a phrase is unselected; %s is the phrase. */
      said = active ? g_strdup (g_ptr_array_index (self->phrases, index))
                    : g_strdup_printf (_("Removed: %s"),
                                       (char *) g_ptr_array_index (self->phrases, index));
      mn_window_say_button (get_window (self), said);
    }
}

static MnVoiceNoteState
note_state (MnDetailsPage *self)
{
  return self->note != NULL ? mn_voice_note_get_state (self->note) : MN_VOICE_NOTE_STATE_EMPTY;
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);
  g_autofree char *text = mn_details_page_dup_text (self);

  cancel_preparing (self);
  if (note_state (self) == MN_VOICE_NOTE_STATE_RECORDING ||
      note_state (self) == MN_VOICE_NOTE_STATE_FINISHING)
    {
      /* Next ends the recording; the page goes on once it is kept. */
      self->next_pending = TRUE;
      mn_voice_note_stop (self->note);
      return;
    }
  if (text == NULL && !mn_details_page_has_voice_note (self))
    {
      if (get_window (self) != NULL)
        mn_window_announce (get_window (self),
                            self->can_record && self->note != NULL
                              ? _("Please touch at least one sentence, or record a voice note, "
                                  "first.")
                              : _("Please touch at least one sentence first."));
      return;
    }
  if (note_state (self) == MN_VOICE_NOTE_STATE_PLAYING)
    mn_voice_note_stop (self->note);
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

static void
say (MnDetailsPage *self,
     const char    *text)
{
  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), text);
}

static char *
seconds_text (guint ms)
{
  guint seconds = (ms + 500) / 1000;

  /* Translators: the length of the voice note, in whole seconds. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Voice note, %u second",
                                       "Voice note, %u seconds", seconds),
                          seconds);
}

static void
update_note (MnDetailsPage *self)
{
  MnVoiceNoteState state = note_state (self);
  gboolean offered = self->note != NULL;
  gboolean preparing = self->preparing;
  gboolean busy = state == MN_VOICE_NOTE_STATE_RECORDING || state == MN_VOICE_NOTE_STATE_FINISHING;
  gboolean kept = state == MN_VOICE_NOTE_STATE_RECORDED || state == MN_VOICE_NOTE_STATE_PLAYING;
  g_autofree char *status = NULL;

  gtk_widget_set_visible (self->note_box, offered);
  if (!offered)
    return;

  /* Only the buttons that do something now are shown (a greyed button is
   * one more thing to wonder about). */
  gtk_widget_set_visible (GTK_WIDGET (self->record_button),
                          self->can_record && !preparing &&
                            (state == MN_VOICE_NOTE_STATE_EMPTY ||
                             state == MN_VOICE_NOTE_STATE_RECORDED));
  {
    const char *record = state == MN_VOICE_NOTE_STATE_RECORDED
                           /* Translators: records the voice note again, replacing the one
                            * kept. */
                           ? _("Record again")
                           : _("Record a voice note");

    if (g_strcmp0 (gtk_button_get_label (self->record_button), record) != 0)
      gtk_button_set_label (self->record_button, record);
  }
  /* While the instructions are said, Stop means "do not record". */
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button),
                          preparing ||
                          state == MN_VOICE_NOTE_STATE_RECORDING ||
                          state == MN_VOICE_NOTE_STATE_PLAYING);
  gtk_widget_set_visible (GTK_WIDGET (self->play_button),
                          !preparing && state == MN_VOICE_NOTE_STATE_RECORDED);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_note_button), kept && !preparing);
  gtk_widget_set_visible (GTK_WIDGET (self->note_level), busy);
  gtk_level_bar_set_value (self->note_level, busy ? mn_voice_note_get_level (self->note) : 0);

  if (preparing)
    /* What is being said, on the screen too. */
    status = g_strdup (mn_speech_prompt_text (MN_SPEECH_PROMPT_RECORD_HOW));
  else if (busy)
    {
      guint elapsed = mn_voice_note_get_elapsed_ms (self->note) / 1000;
      guint max = mn_voice_note_get_max_ms (self->note) / 1000;

      /* Translators: shown while recording: seconds so far, of the most. */
      status = g_strdup_printf (_("● Recording: %u of %u seconds"), elapsed, max);
    }
  else if (state == MN_VOICE_NOTE_STATE_PLAYING)
    {
      /* Translators: shown while the voice note plays. */
      status = g_strdup (_("Playing the voice note…"));
    }
  else if (kept)
    status = seconds_text (mn_voice_note_get_duration_ms (self->note));
  /* Ten times a second while recording: only a changed text is set, since
   * each change lays the page out again. */
  if (g_strcmp0 (gtk_label_get_label (self->note_status), status != NULL ? status : "") != 0)
    gtk_label_set_label (self->note_status, status != NULL ? status : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_status), status != NULL);
}

static void
on_note_state (MnDetailsPage *self)
{
  MnVoiceNoteState state = note_state (self);

  update_note (self);
  if (state == MN_VOICE_NOTE_STATE_RECORDED && self->next_pending)
    {
      self->next_pending = FALSE;
      g_signal_emit (self, signals[SIGNAL_NEXT], 0);
    }
  else if (state == MN_VOICE_NOTE_STATE_EMPTY)
    self->next_pending = FALSE;
}

static void
record_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);
  MnWindow *window = get_window (self);
  MnSpeech *speech = get_speech (self);

  if (self->note == NULL || !self->can_record || self->preparing)
    return;
  mn_details_page_set_voice_problem (self, NULL);
  /* How to record is said here, to whoever touched Record, and not in the
   * page's prompt to everyone. Then the flow silences the voice and the
   * note beeps and listens: the kiosk's voice is never in the recording. */
  if (window == NULL || speech == NULL)
    {
      begin_recording (self);
      return;
    }
  self->preparing = TRUE;
  self->speech = g_object_ref (speech);
  self->speaking_handler = g_signal_connect_swapped (speech, "notify::speaking",
                                                     G_CALLBACK (on_speaking), self);
  update_note (self);
  mn_window_announce (window, mn_speech_prompt_text (MN_SPEECH_PROMPT_RECORD_HOW));
  self->prepare_check_id = g_idle_add_full (G_PRIORITY_LOW, check_prepared, self, NULL);
  self->prepare_limit_id = g_timeout_add (mn_details_page_get_prepare_limit_ms (self),
                                          prepare_limit, self);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);

  if (self->preparing)
    {
      /* Stop before the beep: nothing is recorded. */
      cancel_preparing (self);
      if (get_speech (self) != NULL)
        mn_speech_stop (get_speech (self));
      return;
    }
  if (self->note != NULL)
    mn_voice_note_stop (self->note);
}

static void
play_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->note == NULL)
    return;
  /* Nothing said: the person wants to hear the note, not the button (the
   * flow silences the voice when playing starts). */
  if (!mn_voice_note_play (self->note, &error))
    mn_details_page_set_voice_problem (self, error->message);
}

static void
delete_note_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);

  if (self->note == NULL)
    return;
  mn_voice_note_discard (self->note);
  /* Translators: said when the voice note was deleted. */
  say (self, _("The voice note is deleted."));
}

static void
write_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);

  cancel_preparing (self);
  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), gtk_button_get_label (self->write_button));
  g_signal_emit (self, signals[SIGNAL_WRITE], 0);
}

static void
mn_details_page_finalize (GObject *object)
{
  g_free (MN_DETAILS_PAGE (object)->written);

  G_OBJECT_CLASS (mn_details_page_parent_class)->finalize (object);
}

static void
mn_details_page_dispose (GObject *object)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (object);

  stop_preparing (self);
  g_clear_pointer (&self->phrases, g_ptr_array_unref);
  g_clear_pointer (&self->toggles, g_ptr_array_unref);
  if (self->note != NULL)
    g_signal_handlers_disconnect_by_data (self->note, self);
  g_clear_object (&self->note);

  G_OBJECT_CLASS (mn_details_page_parent_class)->dispose (object);
}

/* Leaving the page (Back, Call staff, the idle timeout) while the
 * instructions are said: no recording starts behind the person's back. */
static void
mn_details_page_unmap (GtkWidget *widget)
{
  cancel_preparing (MN_DETAILS_PAGE (widget));

  GTK_WIDGET_CLASS (mn_details_page_parent_class)->unmap (widget);
}

static void
mn_details_page_class_init (MnDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_details_page_dispose;
  object_class->finalize = mn_details_page_finalize;
  widget_class->unmap = mn_details_page_unmap;

  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_WRITE] = g_signal_new ("write", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RECORD] = g_signal_new ("record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, phrase_grid);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, write_button);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, note_box);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, record_button);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, stop_button);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, play_button);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, delete_note_button);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, note_status);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, note_level);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, note_problem);
  gtk_widget_class_install_action (widget_class, "details.record", NULL, record_action);
  gtk_widget_class_install_action (widget_class, "details.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "details.play", NULL, play_action);
  gtk_widget_class_install_action (widget_class, "details.delete-note", NULL,
                                   delete_note_action);
  gtk_widget_class_install_action (widget_class, "details.toggle", "s", toggle_action);
  gtk_widget_class_install_action (widget_class, "details.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "details.write", NULL, write_action);
}

static void
mn_details_page_init (MnDetailsPage *self)
{
  self->phrases = g_ptr_array_new_with_free_func (g_free);
  self->toggles = g_ptr_array_new ();
  self->can_record = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
  update_note (self);
}

GtkWidget *
mn_details_page_new (void)
{
  return g_object_new (MN_TYPE_DETAILS_PAGE, NULL);
}

void
mn_details_page_set_category (MnDetailsPage    *self,
                              const MnCategory *category)
{
  guint n;

  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  clear_phrases (self);
  if (category == NULL)
    return;

  n = mn_category_get_n_phrases (category);
  for (guint i = 0; i < n; i++)
    {
      const char *phrase = mn_category_get_phrase (category, i);
      g_autofree char *name = g_strdup_printf ("phrase-%u", i);
      g_autofree char *target = g_strdup_printf ("%u", i);
      GtkWidget *toggle = gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (phrase);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_button_set_child (GTK_BUTTON (toggle), label);
      gtk_widget_set_name (toggle, name);
      gtk_widget_add_css_class (toggle, "mn-choice");
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      phrase, -1);
      /* A plain action, not the toggle's own: the page decides and says
       * what happened, so every touch is heard. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (toggle), "details.toggle");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (toggle), "s", target);
      gtk_grid_attach (self->phrase_grid, toggle, i % 2, i / 2, 1, 1);
      g_ptr_array_add (self->toggles, toggle);
      g_ptr_array_add (self->phrases, g_strdup (phrase));
    }
}

char *
mn_details_page_dup_text (MnDetailsPage *self)
{
  GString *text = NULL;

  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  for (guint i = 0; i < self->toggles->len; i++)
    {
      if (!gtk_toggle_button_get_active (g_ptr_array_index (self->toggles, i)))
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      else
        /* Translators: joins the chosen phrases into one description. */
        g_string_append (text, _("; "));
      g_string_append (text, g_ptr_array_index (self->phrases, i));
    }
  /* The person's own words come after the sentences they chose. */
  if (self->written != NULL)
    {
      if (text == NULL)
        text = g_string_new (NULL);
      else
        g_string_append (text, _("; "));
      g_string_append (text, self->written);
    }
  return text != NULL ? g_string_free (text, FALSE) : NULL;
}

GtkWidget *
mn_details_page_get_phrase (MnDetailsPage *self,
                            guint          index)
{
  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  return index < self->toggles->len ? g_ptr_array_index (self->toggles, index) : NULL;
}

void
mn_details_page_reset (MnDetailsPage *self)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  stop_preparing (self);
  clear_phrases (self);
  g_clear_pointer (&self->written, g_free);
  self->next_pending = FALSE;
  mn_details_page_set_voice_problem (self, NULL);
  update_note (self);
}

void
mn_details_page_set_written (MnDetailsPage *self,
                             const char    *text)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  g_free (self->written);
  self->written = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
mn_details_page_set_can_write (MnDetailsPage *self,
                               gboolean       can_write)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->write_button), can_write);
}

GtkWidget *
mn_details_page_get_write_button (MnDetailsPage *self)
{
  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  return GTK_WIDGET (self->write_button);
}

void
mn_details_page_set_voice_note (MnDetailsPage *self,
                                MnVoiceNote   *note)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));
  g_return_if_fail (note == NULL || MN_IS_VOICE_NOTE (note));

  stop_preparing (self);
  if (self->note != NULL)
    g_signal_handlers_disconnect_by_data (self->note, self);
  g_set_object (&self->note, note);
  if (note != NULL)
    {
      g_signal_connect_swapped (note, "notify::state", G_CALLBACK (on_note_state), self);
      g_signal_connect_swapped (note, "notify::elapsed-ms", G_CALLBACK (update_note), self);
      g_signal_connect_swapped (note, "notify::level", G_CALLBACK (update_note), self);
      g_signal_connect_swapped (note, "notify::duration-ms", G_CALLBACK (update_note), self);
    }
  update_note (self);
}

void
mn_details_page_set_voice_problem (MnDetailsPage *self,
                                   const char    *sentence)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  gtk_label_set_label (self->note_problem, sentence != NULL ? sentence : "");
  gtk_widget_set_visible (GTK_WIDGET (self->note_problem), sentence != NULL);
}

void
mn_details_page_set_can_record (MnDetailsPage *self,
                                gboolean       can_record)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  self->can_record = !!can_record;
  if (!self->can_record)
    stop_preparing (self);
  update_note (self);
}

gboolean
mn_details_page_has_voice_note (MnDetailsPage *self)
{
  MnVoiceNoteState state;

  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), FALSE);

  state = note_state (self);
  return state == MN_VOICE_NOTE_STATE_RECORDED || state == MN_VOICE_NOTE_STATE_PLAYING;
}

GtkWidget *
mn_details_page_get_level_bar (MnDetailsPage *self)
{
  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  return GTK_WIDGET (self->note_level);
}

const char *
mn_details_page_get_note_status (MnDetailsPage *self)
{
  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  return gtk_widget_get_visible (GTK_WIDGET (self->note_status))
           ? gtk_label_get_label (self->note_status)
           : NULL;
}
