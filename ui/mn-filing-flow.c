/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-application.h"
#include "mn-attachment.h"
#include "mn-case-code.h"
#include "mn-category-page.h"
#include "mn-consent-page.h"
#include "mn-contact-page.h"
#include "mn-details-page.h"
#include "mn-filing-flow.h"
#include "mn-gazetteer.h"
#include "mn-location-page.h"
#include "mn-questionnaire.h"
#include "mn-questions-page.h"
#include "mn-receipt-page.h"
#include "mn-review-page.h"
#include "mn-speech-prompts.h"
#include "mn-vault.h"
#include "mn-voice-note.h"
#include "mn-write-page.h"

struct _MnFilingFlow
{
  GObject         parent_instance;

  MnWindow       *window; /* weak: the window owns the pages */
  MnCatalogue    *catalogue;
  MnCatalogue    *pending_catalogue; /* arrived while someone was filing */
  MnStore        *store;
  MnStartItem    *start_item;
  gboolean        start_item_shown;
  MnGazetteer    *gazetteer;   /* once there is a store; given to every location page built */

  MnCategoryPage *category;
  MnQuestionsPage *questions;
  MnDetailsPage  *details;
  MnWritePage    *write;
  MnLocationPage *location;
  MnContactPage  *contact;
  MnConsentPage  *consent;
  MnReviewPage   *review;
  MnReceiptPage  *receipt;

  char           *service_code; /* chosen category, or NULL */
  gboolean        reviewing;    /* the person has seen the review: pages return there */
  guint           session;      /* bumped on reset, so a late save finds its session gone */
  GCancellable   *saving;
  GCancellable   *loading;      /* the chosen category's definition, read on the store's worker */

  /* The voice note of the person filing: its file lives in
   * DATA_DIR/recordings until the request is saved (the store copies it)
   * and is deleted at the end of every session. */
  MnVoiceNote    *note;
  char           *recordings_dir;
  MnVoiceNoteState note_state;  /* the last one seen, to tell what changed */
  gboolean        probed;       /* the microphone was checked for this session */
  gboolean        no_microphone; /* found missing this session: a rebuilt details page must know */
  GCancellable   *probing;
  /* Record was touched while the probe still held the microphone (an
   * ALSA device opens once): recording starts when the probe is done. */
  gboolean        record_when_probed;
  gboolean        muted;        /* the voice is silenced while recording */
  double          volume;       /* the voice's volume before that */
};

G_DEFINE_FINAL_TYPE (MnFilingFlow, mn_filing_flow, G_TYPE_OBJECT)

enum
{
  SIGNAL_FILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
go (MnFilingFlow *self,
    const char   *page)
{
  if (self->window != NULL)
    mn_window_show_page (self->window, page);
}

static void
go_on (MnFilingFlow *self,
       const char   *next)
{
  go (self, self->reviewing ? "file-review" : next);
}

static void
fill_review (MnFilingFlow *self)
{
  const MnCategory *category = NULL;
  g_autofree char *details = mn_details_page_dup_text (self->details);
  g_autofree char *masked = NULL;
  g_autofree char *speech = NULL;
  g_autofree char *said = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *about = NULL;
  const char *phone = mn_contact_page_get_phone (self->contact);

  if (self->catalogue != NULL && self->service_code != NULL)
    category = mn_catalogue_lookup (self->catalogue, self->service_code);
  /* The number is shown masked even to the person who typed it: someone
   * may be standing behind them. */
  if (phone != NULL)
    masked = mn_vault_mask_phone (phone);
  /* The answers to the category's questions go with the category, so
   * that they are shown and read right after it. */
  summary = mn_questions_page_dup_summary (self->questions);
  if (category != NULL && summary != NULL)
    about = g_strdup_printf ("%s\n%s", mn_category_get_name (category), summary);
  else if (category != NULL)
    about = g_strdup (mn_category_get_name (category));
  if (details == NULL && mn_details_page_has_voice_note (self->details))
    /* Translators: on the review page, when the voice note is the whole
     * description. */
    details = g_strdup (_("Said in the voice note"));
  mn_review_page_set (self->review, about, details, mn_location_page_get_address_text (self->location), masked);
  if (mn_details_page_has_voice_note (self->details))
    {
      guint seconds = (mn_voice_note_get_duration_ms (self->note) + 500) / 1000;
      /* Translators: the length of the voice note on the review page. */
      g_autofree char *length = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u second",
                                                              "%u seconds", seconds),
                                                 seconds);

      mn_review_page_set_voice_note (self->review, length);
    }
  else
    mn_review_page_set_voice_note (self->review, NULL);

  speech = mn_review_page_dup_speech (self->review);
  said = g_strdup_printf ("%s\n%s", mn_speech_prompt_text (MN_SPEECH_PROMPT_REVIEW), speech);
  if (self->window != NULL)
    mn_window_set_page_speech (self->window, "file-review", said);
}

/* ---- the voice note ---------------------------------------------------- */

/* The details page's prompt tells how to record only where one can. */
static void
set_details_speech (MnFilingFlow *self,
                    gboolean      can_record)
{
  g_autofree char *said = NULL;

  if (self->window == NULL)
    return;
  /* How to record is said when Record is touched (MnDetailsPage), not to
   * everyone here. */
  said = g_strdup (mn_speech_prompt_text (can_record && self->note != NULL
                                            ? MN_SPEECH_PROMPT_CHOOSE_DETAILS_OR_RECORD
                                            : MN_SPEECH_PROMPT_CHOOSE_DETAILS));
  mn_window_set_page_speech (self->window, "file-details", said);
}

static MnSpeech *
get_speech (MnFilingFlow *self)
{
  GtkApplication *app = self->window != NULL ? gtk_window_get_application (GTK_WINDOW (self->window))
                                             : NULL;

  return MN_IS_APPLICATION (app) ? mn_application_get_speech (MN_APPLICATION (app)) : NULL;
}

/* The kiosk's own voice must not end up in the recording. */
static void
mute_voice (MnFilingFlow *self)
{
  MnSpeech *speech = get_speech (self);

  if (speech == NULL || self->muted)
    return;
  mn_speech_stop (speech);
  self->volume = mn_speech_get_volume (speech);
  mn_speech_set_volume (speech, 0);
  self->muted = TRUE;
}

static void
unmute_voice (MnFilingFlow *self)
{
  MnSpeech *speech = get_speech (self);

  if (!self->muted)
    return;
  self->muted = FALSE;
  if (speech != NULL)
    mn_speech_set_volume (speech, self->volume);
}

static void
on_note_state (MnFilingFlow *self)
{
  MnVoiceNoteState before = self->note_state;
  MnVoiceNoteState now = mn_voice_note_get_state (self->note);

  self->note_state = now;
  if (now != MN_VOICE_NOTE_STATE_RECORDING)
    unmute_voice (self);
  if (now == MN_VOICE_NOTE_STATE_PLAYING)
    {
      MnSpeech *speech = get_speech (self);

      /* The person wants to hear the note, not the kiosk. */
      if (speech != NULL)
        mn_speech_stop (speech);
    }
  if (now == MN_VOICE_NOTE_STATE_RECORDED &&
      (before == MN_VOICE_NOTE_STATE_RECORDING || before == MN_VOICE_NOTE_STATE_FINISHING) &&
      self->window != NULL)
    {
      guint seconds = (mn_voice_note_get_duration_ms (self->note) + 500) / 1000;
      g_autofree char *said = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                            /* Translators: said when a recording
                                                             * ends. */
                                                            "Your voice note is kept: %u second. "
                                                            "Touch Play back to hear it.",
                                                            "Your voice note is kept: %u "
                                                            "seconds. Touch Play back to hear it.",
                                                            seconds),
                                               seconds);

      mn_window_announce (self->window, said);
    }
}

/* Someone speaking into the microphone is using the kiosk: the idle
 * timeout must not wipe the note while they talk. */
static void
on_note_elapsed (MnFilingFlow *self)
{
  if (self->window != NULL && mn_voice_note_get_state (self->note) == MN_VOICE_NOTE_STATE_RECORDING)
    mn_window_note_activity (self->window);
}

static void
on_note_failed (MnFilingFlow *self,
                GError       *error)
{
  mn_details_page_set_voice_problem (self->details, error->message);
  /* Playing back from the review: the sound output's failure (it now
   * arrives after Play returned) is shown there too. */
  if (g_error_matches (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_OUTPUT))
    mn_review_page_set_error (self->review, error->message);
  if (g_error_matches (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE))
    {
      self->no_microphone = TRUE;
      mn_details_page_set_can_record (self->details, FALSE);
      set_details_speech (self, FALSE);
    }
  if (self->window != NULL)
    mn_window_announce (self->window, error->message);
}

static void
on_record (MnFilingFlow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->note == NULL)
    return;
  if (self->probing != NULL)
    {
      self->record_when_probed = TRUE;
      return;
    }
  mute_voice (self);
  if (!mn_voice_note_start (self->note, &error))
    {
      unmute_voice (self);
      on_note_failed (self, error);
    }
}

static void
on_play_note (MnFilingFlow *self)
{
  g_autoptr(GError) error = NULL;

  if (self->note != NULL && !mn_voice_note_play (self->note, &error))
    {
      mn_review_page_set_error (self->review, error->message);
      if (self->window != NULL)
        mn_window_announce (self->window, error->message);
    }
}

typedef struct
{
  MnFilingFlow *flow;
  guint         session;
} ProbeData;

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  ProbeData *data = user_data;
  MnFilingFlow *self = data->flow;
  g_autoptr(GError) error = NULL;
  gboolean ok = mn_voice_note_probe_finish (MN_VOICE_NOTE (source), result, &error);

  if (data->session == self->session && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_object (&self->probing);
      /* No microphone: Record is not offered, and the page says why (a
       * helper can have it fixed; the resident chooses sentences). */
      if (!ok && mn_voice_note_get_state (self->note) == MN_VOICE_NOTE_STATE_EMPTY)
        {
          g_message ("%s", error->message);
          self->no_microphone = TRUE;
          mn_details_page_set_can_record (self->details, FALSE);
          mn_details_page_set_voice_problem (self->details, error->message);
          set_details_speech (self, FALSE);
        }
      if (self->record_when_probed)
        {
          self->record_when_probed = FALSE;
          if (ok)
            on_record (self);
          else if (self->window != NULL)
            /* They touched Record and wait for the beep: say why none
             * comes. */
            mn_window_announce (self->window, error->message);
        }
    }
  g_object_unref (data->flow);
  g_free (data);
}

static void
probe_microphone (MnFilingFlow *self)
{
  ProbeData *data;

  if (self->note == NULL || self->probed)
    return;
  self->probed = TRUE;
  self->probing = g_cancellable_new ();
  data = g_new0 (ProbeData, 1);
  data->flow = g_object_ref (self);
  data->session = self->session;
  mn_voice_note_probe_async (self->note, self->probing, on_probed, data);
}

typedef struct
{
  MnFilingFlow *flow;
  guint         session;
  char         *code;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_object_unref (data->flow);
  g_free (data->code);
  g_free (data);
}

static void
show_questions_or_details (MnFilingFlow *self)
{
  if (mn_questions_page_get_questionnaire (self->questions) != NULL)
    {
      g_autofree char *speech = NULL;

      /* From the first question again, with the answers given so far. */
      mn_questions_page_restart (self->questions);
      speech = mn_questions_page_dup_speech (self->questions);

      if (self->window != NULL)
        mn_window_set_page_speech (self->window, "file-questions", speech);
      go (self, "file-questions");
    }
  else
    go_on (self, "file-details");
}

static void
on_definition_loaded (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  LoadData *data = user_data;
  MnFilingFlow *self = data->flow;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gboolean found = mn_store_get_service_definition_finish (MN_STORE (source), result, &body,
                                                           &error);

  if (data->session != self->session || g_strcmp0 (data->code, self->service_code) != 0 ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The person is gone, or chose again: this answer is for nobody. */
      load_data_free (data);
      return;
    }
  g_clear_object (&self->loading);

  if (found)
    {
      g_autoptr(GError) parse_error = NULL;
      g_autoptr(MnQuestionnaire) questionnaire = mn_questionnaire_parse (body, -1, &parse_error);

      if (questionnaire == NULL)
        g_warning ("The cached definition of %s is not usable: %s", data->code,
                   parse_error->message);
      else if (mn_questions_page_would_ask (questionnaire))
        mn_questions_page_set_questionnaire (self->questions, g_steal_pointer (&questionnaire));
    }
  else if (error != NULL)
    {
      /* Without the questions the request can still be filed; the sync
       * reports it if the platform insists. */
      g_warning ("Could not read the definition of %s: %s", data->code, error->message);
    }
  show_questions_or_details (self);
  load_data_free (data);
}

static void
on_category_chosen (MnFilingFlow *self,
                    const char   *code)
{
  const MnCategory *category = mn_catalogue_lookup (self->catalogue, code);
  LoadData *data;

  if (g_strcmp0 (self->service_code, code) == 0)
    {
      /* The same category: its answers are kept. */
      if (self->loading == NULL)
        show_questions_or_details (self);
      return;
    }

  probe_microphone (self);

  /* Another category has other phrases and other questions: those must
   * be picked again. */
  g_free (self->service_code);
  self->service_code = g_strdup (code);
  mn_details_page_set_category (self->details, category);
  mn_questions_page_reset (self->questions);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->store == NULL)
    {
      go (self, "file-details");
      return;
    }

  /* The definition is read on the store's worker: the screen never waits
   * on the disk. The category page stays until it is known. */
  self->loading = g_cancellable_new ();
  data = g_new0 (LoadData, 1);
  data->flow = g_object_ref (self);
  data->session = self->session;
  data->code = g_strdup (code);
  mn_store_get_service_definition_async (self->store, code, self->loading, on_definition_loaded,
                                         data);
}

static void
on_questions_next (MnFilingFlow *self)
{
  go_on (self, "file-details");
}

static void
on_details_next (MnFilingFlow *self)
{
  go_on (self, "file-location");
}

static void
on_details_write (MnFilingFlow *self)
{
  go (self, "file-write");
}

/* The details page holds the written text too, so that its Next, the
 * review and the saved description all see it; Back and Done keep it. */
static void
on_write_changed (MnFilingFlow *self)
{
  mn_details_page_set_written (self->details, mn_write_page_get_text (self->write));
}

static void
on_write_done (MnFilingFlow *self)
{
  go (self, "file-details");
}

static void
on_location_next (MnFilingFlow *self)
{
  go_on (self, "file-contact");
}

static void
on_contact_next (MnFilingFlow *self)
{
  go_on (self, "file-consent");
}

static void
on_consent_next (MnFilingFlow *self)
{
  go (self, "file-review");
}

static void
on_visible_page (MnFilingFlow *self)
{
  const char *page = mn_window_get_visible_page (self->window);

  /* The review is always up to date when it shows, and from then on each
   * page's Next comes back to it: a change keeps the other answers. */
  if (g_strcmp0 (page, "file-review") == 0)
    {
      self->reviewing = TRUE;
      fill_review (self);
    }
  /* Leaving the details page ends a recording (and keeps it: Back and
   * Change keep what was said); a playback stops off its pages. */
  if (self->note != NULL && g_strcmp0 (page, "file-details") != 0)
    {
      MnVoiceNoteState state = mn_voice_note_get_state (self->note);

      if (state == MN_VOICE_NOTE_STATE_RECORDING ||
          (state == MN_VOICE_NOTE_STATE_PLAYING && g_strcmp0 (page, "file-review") != 0))
        mn_voice_note_stop (self->note);
    }
}

typedef struct
{
  MnFilingFlow *flow;
  guint         session;
  MnRequest    *request;
} SaveData;

static void
save_data_free (SaveData *data)
{
  g_object_unref (data->flow);
  mn_request_unref (data->request);
  g_free (data);
}

static void
on_saved (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SaveData *data = user_data;
  MnFilingFlow *self = data->flow;
  g_autoptr(GError) error = NULL;
  gboolean ok = mn_store_file_request_finish (MN_STORE (source), result, &error);

  if (data->session != self->session || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* The person is gone: nothing of theirs may come back on screen. */
      save_data_free (data);
      return;
    }
  g_clear_object (&self->saving);
  mn_review_page_set_busy (self->review, FALSE);

  if (!ok)
    {
      /* Everything stays on screen; the person (or staff) can try again. */
      mn_review_page_set_error (self->review, error->message);
      /* A full disk is said as it is shown: the person (or staff at their
       * call) knows what to ask for. Other errors may carry a file name,
       * which is no use read aloud. */
      if (self->window != NULL)
        mn_window_announce (self->window,
                            g_error_matches (error, MN_STORE_ERROR, MN_STORE_ERROR_DISK_FULL) ?
                              error->message :
                              mn_speech_prompt_text (MN_SPEECH_PROMPT_ERROR_SAVE));
      save_data_free (data);
      return;
    }

  {
    g_autofree char *shown = NULL;
    g_autofree char *speech = NULL;

    g_autoptr(MnReceiptSlip) slip = mn_receipt_slip_new ();
    const MnCategory *category = NULL;
    const char *phone = mn_contact_page_get_phone (self->contact);

    /* The store has its own copy now; the recording goes at once. */
    if (self->note != NULL)
      mn_voice_note_discard (self->note);

    if (self->catalogue != NULL && self->service_code != NULL)
      category = mn_catalogue_lookup (self->catalogue, self->service_code);
    slip->case_code = g_strdup (data->request->case_code);
    slip->station_name = g_strdup (mn_location_page_get_station_name (self->location));
    slip->category = category != NULL ? g_strdup (mn_category_get_name (category)) : NULL;
    slip->filed_at = data->request->created_at;
    slip->deadline_at = data->request->deadline_at;
    /* Only ever the masked number on paper: a slip left behind must not
     * give anyone the person's phone. */
    if (data->request->contact_hint != NULL)
      slip->contact_hint = g_strdup (data->request->contact_hint);
    else if (phone != NULL)
      slip->contact_hint = mn_vault_mask_phone (phone);
    slip->language = self->window != NULL ? g_strdup (mn_window_get_language (self->window)) : NULL;
    mn_receipt_page_set_slip (self->receipt, slip);
    shown = mn_case_code_format (data->request->case_code);
    /* The fixed "submitted" prompt speaks of a printed slip; the page
     * prints only on request, and a kiosk without a printer must not
     * send the person looking for one. */
    if (mn_receipt_page_get_can_print (self->receipt))
      speech = mn_speech_prompt_fill (
        /* Translators: spoken on the receipt page; %s is the case code,
         * read digit by digit. Keep the %s; "Print receipt" is the
         * button's label. */
        _("Your request is saved. Your case code is %s. Touch “Print receipt” if you would like it on paper."),
        shown);
    else
      speech = mn_speech_prompt_fill (
        /* Translators: spoken on the receipt page of a kiosk without a
         * printer; %s is the case code, read digit by digit. Keep the %s. */
        _("Your request is saved. Your case code is %s. Please write it down, or take a photo of the QR code."),
        shown);
    if (self->window != NULL)
      mn_window_set_page_speech (self->window, "file-receipt", speech);
    go (self, "file-receipt");
    g_signal_emit (self, signals[SIGNAL_FILED], 0, data->request);
  }
  save_data_free (data);
}

static void
on_submit (MnFilingFlow *self)
{
  g_autoptr(MnRequest) request = NULL;
  g_autoptr(MnContact) contact = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  const MnCategory *category = NULL;
  SaveData *data;
  const char *phone;

  if (self->saving != NULL)
    return;
  if (self->store == NULL)
    {
      mn_review_page_set_error (self->review,
                                _("This terminal cannot save requests at the moment. Nothing was "
                                  "lost: please ask a member of staff for help."));
      if (self->window != NULL)
        mn_window_announce (self->window, mn_speech_prompt_text (MN_SPEECH_PROMPT_ERROR_SAVE));
      return;
    }

  if (self->catalogue != NULL && self->service_code != NULL)
    category = mn_catalogue_lookup (self->catalogue, self->service_code);

  request = mn_request_new ();
  request->service_code = g_strdup (self->service_code);
  request->group = category != NULL ? g_strdup (mn_category_get_group (category)) : NULL;
  request->urgency = MN_URGENCY_ROUTINE;
  request->channel = MN_CHANNEL_KIOSK;
  request->description = mn_details_page_dup_text (self->details);
  if (mn_details_page_has_voice_note (self->details))
    {
      const char *path = mn_voice_note_get_path (self->note);
      guint duration_ms = mn_voice_note_get_duration_ms (self->note);
      /* The platform gets the words, not the sound (Open311 media_url
       * wants a hosted URL): the description says a note is kept here,
       * in the language the person used. */
      g_autofree char *words = mn_voice_note_describe (duration_ms);

      if (mn_voice_note_get_state (self->note) == MN_VOICE_NOTE_STATE_PLAYING)
        mn_voice_note_stop (self->note);
      attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_attachment_free);
      g_ptr_array_add (attachments,
                       mn_attachment_new_sealed_voice_note (path, MN_VOICE_NOTE_MIME,
                                                            duration_ms));
      if (request->description != NULL)
        {
          char *joined = g_strconcat (request->description, _("; "), words, NULL);

          g_free (request->description);
          request->description = joined;
        }
      else
        request->description = g_steal_pointer (&words);
    }
  request->address_text = g_strdup (mn_location_page_get_address_text (self->location));
  request->place_code = g_strdup (mn_location_page_get_place_code (self->location));
  request->consent = TRUE;
  request->attributes = mn_questions_page_dup_json (self->questions);
  phone = mn_contact_page_get_phone (self->contact);
  request->anonymous = phone == NULL;
  if (phone != NULL)
    contact = mn_contact_new (NULL, phone);

  mn_review_page_set_error (self->review, NULL);
  mn_review_page_set_busy (self->review, TRUE);
  self->saving = g_cancellable_new ();
  data = g_new0 (SaveData, 1);
  data->flow = g_object_ref (self);
  data->session = self->session;
  data->request = mn_request_ref (request);
  mn_store_file_request_with_attachments_async (self->store, request, contact, attachments,
                                                self->saving, on_saved, data);
}

static void
on_receipt_finish (MnFilingFlow *self)
{
  if (self->window != NULL)
    mn_window_reset_session (self->window);
}

static void
on_reset (MnFilingFlow *self)
{
  self->session++;
  if (self->saving != NULL)
    g_cancellable_cancel (self->saving);
  g_clear_object (&self->saving);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  g_clear_pointer (&self->service_code, g_free);
  self->reviewing = FALSE;
  /* Nothing the person said stays on the disk: the note, and anything
   * else in the recordings folder (a crash's leftovers). */
  if (self->probing != NULL)
    g_cancellable_cancel (self->probing);
  g_clear_object (&self->probing);
  self->record_when_probed = FALSE;
  self->probed = FALSE;
  self->no_microphone = FALSE;
  if (self->note != NULL)
    mn_voice_note_discard (self->note);
  /* On a thread: a slow or hung disk must not hold the screen. The
   * sweep leaves the recording of whoever comes next alone. */
  if (self->recordings_dir != NULL)
    mn_voice_note_sweep_async (self->recordings_dir, NULL, NULL, NULL);
  unmute_voice (self);
  set_details_speech (self, TRUE);
  /* The pages are built after the first frame, all at once when one is
   * needed earlier (mn_window_add_page_factory()): before that there is
   * nothing on them to forget. */
  if (self->category != NULL)
    {
      mn_details_page_set_can_record (self->details, TRUE);
      mn_category_page_reset (self->category);
      mn_questions_page_reset (self->questions);
      mn_details_page_reset (self->details);
      mn_write_page_reset (self->write);
      mn_location_page_reset (self->location);
      mn_contact_page_reset (self->contact);
      mn_review_page_reset (self->review);
      mn_receipt_page_set_code (self->receipt, NULL);
    }
  if (self->pending_catalogue != NULL)
    {
      g_autoptr(MnCatalogue) pending = g_steal_pointer (&self->pending_catalogue);

      mn_filing_flow_set_catalogue (self, pending);
    }
  if (self->window != NULL)
    {
      mn_window_set_page_speech (self->window, "file-review", NULL);
      mn_window_set_page_speech (self->window, "file-receipt", NULL);
      mn_window_set_page_speech (self->window, "file-questions", NULL);
    }
}

static void
update_start_item (MnFilingFlow *self)
{
  GListModel *items;
  gboolean want = self->store != NULL && self->catalogue != NULL;

  if (self->window == NULL || want == self->start_item_shown)
    return;

  if (want)
    {
      mn_window_add_start_item (self->window, self->start_item);
    }
  else
    {
      guint position;

      items = mn_window_get_start_items (self->window);
      if (g_list_store_find (G_LIST_STORE (items), self->start_item, &position))
        g_list_store_remove (G_LIST_STORE (items), position);
    }
  self->start_item_shown = want;
}

static void
mn_filing_flow_dispose (GObject *object)
{
  MnFilingFlow *self = MN_FILING_FLOW (object);

  if (self->saving != NULL)
    g_cancellable_cancel (self->saving);
  g_clear_object (&self->saving);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->window != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->window, self);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  g_clear_object (&self->catalogue);
  g_clear_object (&self->pending_catalogue);
  g_clear_object (&self->store);
  g_clear_object (&self->gazetteer);
  g_clear_object (&self->start_item);
  if (self->probing != NULL)
    g_cancellable_cancel (self->probing);
  g_clear_object (&self->probing);
  if (self->note != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->note, self);
      mn_voice_note_discard (self->note);
      g_clear_object (&self->note);
    }

  G_OBJECT_CLASS (mn_filing_flow_parent_class)->dispose (object);
}

static void
mn_filing_flow_finalize (GObject *object)
{
  g_free (MN_FILING_FLOW (object)->service_code);
  g_free (MN_FILING_FLOW (object)->recordings_dir);

  G_OBJECT_CLASS (mn_filing_flow_parent_class)->finalize (object);
}

static void
mn_filing_flow_class_init (MnFilingFlowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mn_filing_flow_dispose;
  object_class->finalize = mn_filing_flow_finalize;

  signals[SIGNAL_FILED] = g_signal_new ("filed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, MN_TYPE_REQUEST);
}

static void
mn_filing_flow_init (MnFilingFlow *self)
{
}

/* The flow's pages are built by factories, so that a change of language
 * builds them again in the new language (mn_window_add_page_factory()):
 * each build connects the new page and takes its place in the flow. */
enum
{
  PAGE_CATEGORY,
  PAGE_QUESTIONS,
  PAGE_DETAILS,
  PAGE_WRITE,
  PAGE_LOCATION,
  PAGE_CONTACT,
  PAGE_CONSENT,
  PAGE_REVIEW,
  PAGE_RECEIPT,
  N_PAGES
};

static const char * const page_names[N_PAGES] = {
  "file-category", "file-questions", "file-details", "file-write", "file-location", "file-contact",
  "file-consent", "file-review", "file-receipt",
};

typedef struct
{
  MnFilingFlow *flow; /* strong: the window keeps the factories, the flow keeps the window weakly */
  guint         page;
} PageRef;

static void
page_ref_free (PageRef *ref)
{
  g_object_unref (ref->flow);
  g_free (ref);
}

static void
set_prompt (MnFilingFlow   *self,
            guint           page,
            MnSpeechPrompt  prompt)
{
  mn_window_set_page_speech (self->window, page_names[page], mn_speech_prompt_text (prompt));
}

/* The places to pick come from the store; every location page gets them,
 * the first one and each one built again after a change of language
 * (without them a page offers only "here, at this station"). One
 * gazetteer for the store, shared by the pages. */
static void
apply_gazetteer (MnFilingFlow *self)
{
  if (self->store == NULL || self->location == NULL)
    return;
  if (self->gazetteer == NULL)
    self->gazetteer = mn_gazetteer_new (self->store);
  mn_location_page_set_gazetteer (self->location, self->gazetteer);
}

static GtkWidget *
build_page (MnWindow *window,
            gpointer  user_data)
{
  PageRef *ref = user_data;
  MnFilingFlow *self = ref->flow;

  switch (ref->page)
    {
    case PAGE_CATEGORY:
      self->category = MN_CATEGORY_PAGE (mn_category_page_new ());
      if (self->catalogue != NULL)
        mn_category_page_set_catalogue (self->category, self->catalogue);
      g_signal_connect_swapped (self->category, "chosen", G_CALLBACK (on_category_chosen), self);
      set_prompt (self, ref->page, MN_SPEECH_PROMPT_CHOOSE_CATEGORY);
      return GTK_WIDGET (self->category);
    case PAGE_QUESTIONS:
      self->questions = MN_QUESTIONS_PAGE (mn_questions_page_new ());
      g_signal_connect_swapped (self->questions, "next", G_CALLBACK (on_questions_next), self);
      return GTK_WIDGET (self->questions);
    case PAGE_DETAILS:
      self->details = MN_DETAILS_PAGE (mn_details_page_new ());
      g_signal_connect_swapped (self->details, "next", G_CALLBACK (on_details_next), self);
      g_signal_connect_swapped (self->details, "write", G_CALLBACK (on_details_write), self);
      g_signal_connect_swapped (self->details, "record", G_CALLBACK (on_record), self);
      mn_details_page_set_voice_note (self->details, self->note);
      if (self->write != NULL)
        mn_details_page_set_can_write (self->details, mn_write_page_get_available (self->write));
      /* A microphone found missing stays missing on a page built again
       * after a change of language: Record is not offered again. */
      mn_details_page_set_can_record (self->details, !self->no_microphone);
      set_details_speech (self, !self->no_microphone);
      return GTK_WIDGET (self->details);
    case PAGE_WRITE:
      /* Built right after the details page (registration order), which
       * offers it only when handwriting can be recognised. */
      self->write = MN_WRITE_PAGE (mn_write_page_new ());
      g_signal_connect_swapped (self->write, "changed", G_CALLBACK (on_write_changed), self);
      g_signal_connect_swapped (self->write, "done", G_CALLBACK (on_write_done), self);
      if (self->details != NULL)
        mn_details_page_set_can_write (self->details, mn_write_page_get_available (self->write));
      mn_window_set_page_speech (window, "file-write", mn_write_page_get_speech (self->write));
      return GTK_WIDGET (self->write);
    case PAGE_LOCATION:
      self->location = MN_LOCATION_PAGE (mn_location_page_new ());
      g_signal_connect_swapped (self->location, "next", G_CALLBACK (on_location_next), self);
      apply_gazetteer (self);
      set_prompt (self, ref->page, MN_SPEECH_PROMPT_CHOOSE_ADDRESS);
      return GTK_WIDGET (self->location);
    case PAGE_CONTACT:
      self->contact = MN_CONTACT_PAGE (mn_contact_page_new ());
      g_signal_connect_swapped (self->contact, "next", G_CALLBACK (on_contact_next), self);
      set_prompt (self, ref->page, MN_SPEECH_PROMPT_ENTER_PHONE);
      return GTK_WIDGET (self->contact);
    case PAGE_CONSENT:
      self->consent = MN_CONSENT_PAGE (mn_consent_page_new ());
      g_signal_connect_swapped (self->consent, "next", G_CALLBACK (on_consent_next), self);
      mn_window_set_page_speech (window, "file-consent",
                                 mn_consent_page_get_notice (self->consent));
      return GTK_WIDGET (self->consent);
    case PAGE_REVIEW:
      self->review = MN_REVIEW_PAGE (mn_review_page_new ());
      g_signal_connect_swapped (self->review, "submit", G_CALLBACK (on_submit), self);
      g_signal_connect_swapped (self->review, "play-note", G_CALLBACK (on_play_note), self);
      return GTK_WIDGET (self->review);
    case PAGE_RECEIPT:
    default:
      self->receipt = MN_RECEIPT_PAGE (mn_receipt_page_new ());
      g_signal_connect_swapped (self->receipt, "finish", G_CALLBACK (on_receipt_finish), self);
      return GTK_WIDGET (self->receipt);
    }
}

/* New pages know nothing of what was chosen on the old ones. */
static void
on_language (MnFilingFlow *self)
{
  g_clear_pointer (&self->service_code, g_free);
  if (self->loading != NULL)
    g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->reviewing = FALSE;
  /* The sentence saying why there is no Record button was in the old
   * language: the next category chosen checks the microphone again, and
   * says it in the new one. */
  if (self->no_microphone && self->probing == NULL)
    self->probed = FALSE;
}

MnFilingFlow *
mn_filing_flow_new (MnWindow    *window,
                    MnCatalogue *catalogue)
{
  MnFilingFlow *self;

  g_return_val_if_fail (MN_IS_WINDOW (window), NULL);
  g_return_val_if_fail (catalogue == NULL || MN_IS_CATALOGUE (catalogue), NULL);

  self = g_object_new (MN_TYPE_FILING_FLOW, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  g_set_object (&self->catalogue, catalogue);

  for (guint i = 0; i < N_PAGES; i++)
    {
      PageRef *ref = g_new0 (PageRef, 1);

      ref->flow = g_object_ref (self);
      ref->page = i;
      mn_window_add_page_factory (window, page_names[i], build_page, ref,
                                  (GDestroyNotify) page_ref_free, NULL);
    }

  g_signal_connect_swapped (window, "notify::language", G_CALLBACK (on_language), self);
  g_signal_connect_swapped (window, "notify::visible-page", G_CALLBACK (on_visible_page), self);
  g_signal_connect_swapped (window, "reset", G_CALLBACK (on_reset), self);

  self->start_item = mn_start_item_new_translatable ("file",
                                                     /* Translators: the start screen's main
                                                      * button. */
                                                     N_("File a request"),
                                                     "document-edit-symbolic", "win.show-page",
                                                     g_variant_new_string ("file-category"),
                                                     MN_START_ITEM_PRIMARY, 10);
  update_start_item (self);
  return self;
}

void
mn_filing_flow_set_catalogue (MnFilingFlow *self,
                              MnCatalogue  *catalogue)
{
  g_return_if_fail (MN_IS_FILING_FLOW (self));
  g_return_if_fail (catalogue == NULL || MN_IS_CATALOGUE (catalogue));

  /* A catalogue refreshed while a person is filing waits until they are
   * done: their tiles must not change or lose the choice under them. */
  if (self->window != NULL && self->catalogue != NULL &&
      g_str_has_prefix (mn_window_get_visible_page (self->window), "file-"))
    {
      g_set_object (&self->pending_catalogue, catalogue);
      return;
    }
  if (!g_set_object (&self->catalogue, catalogue))
    return;
  if (self->category != NULL)
    mn_category_page_set_catalogue (self->category, catalogue);
  update_start_item (self);
}

void
mn_filing_flow_set_store (MnFilingFlow *self,
                          MnStore      *store)
{
  g_return_if_fail (MN_IS_FILING_FLOW (self));
  g_return_if_fail (store == NULL || MN_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;
  /* The places to pick come from the same store. A store taken away
   * (tests do) keeps the pickers as they were. */
  if (store != NULL && self->note == NULL)
    {
      self->recordings_dir = g_build_filename (mn_store_get_data_dir (store), "recordings", NULL);
      /* Whatever a crash left there belongs to nobody now (deleted on a
       * thread, as at every reset). */
      mn_voice_note_sweep_async (self->recordings_dir, NULL, NULL, NULL);
      self->note = mn_voice_note_new (self->recordings_dir);
      self->note_state = mn_voice_note_get_state (self->note);
      g_signal_connect_swapped (self->note, "notify::state", G_CALLBACK (on_note_state), self);
      g_signal_connect_swapped (self->note, "failed", G_CALLBACK (on_note_failed), self);
      g_signal_connect_swapped (self->note, "notify::elapsed-ms", G_CALLBACK (on_note_elapsed),
                                self);
      if (self->details != NULL)
        mn_details_page_set_voice_note (self->details, self->note);
      set_details_speech (self, TRUE);
    }
  /* The note is sealed as it is recorded, under this store's key (the
   * filing job opens it with the same one). */
  if (store != NULL && self->note != NULL)
    mn_voice_note_set_vault (self->note, mn_store_get_vault (store));
  if (store != NULL)
    {
      /* Places of another store: a gazetteer of its own. */
      g_clear_object (&self->gazetteer);
      apply_gazetteer (self);
    }
  update_start_item (self);
}

MnStore *
mn_filing_flow_get_store (MnFilingFlow *self)
{
  g_return_val_if_fail (MN_IS_FILING_FLOW (self), NULL);

  return self->store;
}

MnVoiceNote *
mn_filing_flow_get_voice_note (MnFilingFlow *self)
{
  g_return_val_if_fail (MN_IS_FILING_FLOW (self), NULL);

  return self->note;
}

GtkWidget *
mn_filing_flow_get_page (MnFilingFlow *self,
                         const char   *name)
{
  g_return_val_if_fail (MN_IS_FILING_FLOW (self), NULL);

  /* Built now if not yet. */
  if (self->window != NULL && g_str_has_prefix (name, "file-"))
    mn_window_get_page (self->window, name);
  if (g_strcmp0 (name, "file-category") == 0)
    return GTK_WIDGET (self->category);
  if (g_strcmp0 (name, "file-questions") == 0)
    return GTK_WIDGET (self->questions);
  if (g_strcmp0 (name, "file-details") == 0)
    return GTK_WIDGET (self->details);
  if (g_strcmp0 (name, "file-write") == 0)
    return GTK_WIDGET (self->write);
  if (g_strcmp0 (name, "file-location") == 0)
    return GTK_WIDGET (self->location);
  if (g_strcmp0 (name, "file-contact") == 0)
    return GTK_WIDGET (self->contact);
  if (g_strcmp0 (name, "file-consent") == 0)
    return GTK_WIDGET (self->consent);
  if (g_strcmp0 (name, "file-review") == 0)
    return GTK_WIDGET (self->review);
  if (g_strcmp0 (name, "file-receipt") == 0)
    return GTK_WIDGET (self->receipt);
  return NULL;
}
