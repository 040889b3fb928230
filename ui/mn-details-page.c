/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-details-page.h"
#include "mn-flow-frame.h"
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
  gboolean busy = state == MN_VOICE_NOTE_STATE_RECORDING || state == MN_VOICE_NOTE_STATE_FINISHING;
  gboolean kept = state == MN_VOICE_NOTE_STATE_RECORDED || state == MN_VOICE_NOTE_STATE_PLAYING;
  g_autofree char *status = NULL;

  gtk_widget_set_visible (self->note_box, offered);
  if (!offered)
    return;

  /* Only the buttons that do something now are shown (a greyed button is
   * one more thing to wonder about). */
  gtk_widget_set_visible (GTK_WIDGET (self->record_button),
                          self->can_record && (state == MN_VOICE_NOTE_STATE_EMPTY ||
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
  gtk_widget_set_visible (GTK_WIDGET (self->stop_button),
                          state == MN_VOICE_NOTE_STATE_RECORDING ||
                          state == MN_VOICE_NOTE_STATE_PLAYING);
  gtk_widget_set_visible (GTK_WIDGET (self->play_button), state == MN_VOICE_NOTE_STATE_RECORDED);
  gtk_widget_set_visible (GTK_WIDGET (self->delete_note_button), kept);
  gtk_widget_set_visible (GTK_WIDGET (self->note_level), busy);
  gtk_level_bar_set_value (self->note_level, busy ? mn_voice_note_get_level (self->note) : 0);

  if (busy)
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

  /* Not said aloud: the kiosk's voice must not be in the recording. The
   * flow silences it and starts recording. */
  if (self->note == NULL || !self->can_record)
    return;
  mn_details_page_set_voice_problem (self, NULL);
  g_signal_emit (self, signals[SIGNAL_RECORD], 0);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);

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

  g_clear_pointer (&self->phrases, g_ptr_array_unref);
  g_clear_pointer (&self->toggles, g_ptr_array_unref);
  if (self->note != NULL)
    g_signal_handlers_disconnect_by_data (self->note, self);
  g_clear_object (&self->note);

  G_OBJECT_CLASS (mn_details_page_parent_class)->dispose (object);
}

static void
mn_details_page_class_init (MnDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_details_page_dispose;
  object_class->finalize = mn_details_page_finalize;

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
