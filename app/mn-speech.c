/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <espeak-ng/speak_lib.h>
#include <glib/gi18n.h>
#include <gmodule.h>
#include <gst/app/gstappsrc.h>
#include <gst/audio/audio.h>
#include <locale.h>
#include <string.h>

#include "mn-speech.h"

/* How much audio espeak-ng hands over per callback. Small chunks reach the
 * sound output sooner after a "speak" and let a "stop" cut synthesis short
 * sooner; each costs one buffer push. */
#define SYNTH_CHUNK_MS 40

/* After a failure, do not probe the sound output again for every word. */
#define AUDIO_RETRY_INTERVAL_US (2 * G_USEC_PER_SEC)

#define DEFAULT_SINK "autoaudiosink"

/* espeak-ng: one process-wide engine. Every call into it holds this lock,
 * and the voice and rate last set are remembered with it, so a second
 * MnSpeech (tests make several) can never call it at the same time as the
 * first. A kiosk has one MnSpeech, whose speech thread is then the only
 * thread that ever calls espeak-ng. */
static GMutex espeak_lock;
/* 0: not initialised; ESPEAK_MISSING: its library could not be opened;
 * any other value < 0: it could not start. Both failures are remembered
 * apart: the speech thread's try after the application's must give the
 * same sentence (which package to install), not the other one. */
#define ESPEAK_MISSING (-2)
static int espeak_rate_hz;
static char *espeak_voice;
static int espeak_rate_wpm;

/* espeak-ng is opened when the voice first starts, not linked: linked, it
 * and the 22 libraries it brings (PulseAudio, ALSA, sonic ...) were loaded
 * and relocated before the first frame, and each of GTK's own symbol
 * lookups searched past them (measured: a plain libadwaita window linked
 * against espeak-ng and libcurl took 19 ms longer to its first frame and
 * 8 MB more). Only the header is used at build time. */
#define ESPEAK_LIBRARY "libespeak-ng.so.1"

static struct
{
  int (*Initialize) (espeak_AUDIO_OUTPUT, int, const char *, int);
  void (*SetSynthCallback) (t_espeak_callback *);
  espeak_ERROR (*SetVoiceByName) (const char *);
  espeak_ERROR (*SetParameter) (espeak_PARAMETER, int, int);
  espeak_ERROR (*Synth) (const void *, size_t, unsigned int, espeak_POSITION_TYPE,
                         unsigned int, unsigned int, unsigned int *, void *);
  const char *(*TextToPhonemes) (const void **, int, int);
} espeak;

static gboolean
espeak_open (void)
{
  static gsize opened;

  if (g_once_init_enter (&opened))
    {
      /* MINYIN_ESPEAK_LIBRARY: for the test of a missing library. */
      const char *name = g_getenv ("MINYIN_ESPEAK_LIBRARY");
      GModule *module = g_module_open (name != NULL ? name : ESPEAK_LIBRARY,
                                       G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
      gboolean ok = module != NULL &&
        g_module_symbol (module, "espeak_Initialize", (gpointer *) &espeak.Initialize) &&
        g_module_symbol (module, "espeak_SetSynthCallback", (gpointer *) &espeak.SetSynthCallback) &&
        g_module_symbol (module, "espeak_SetVoiceByName", (gpointer *) &espeak.SetVoiceByName) &&
        g_module_symbol (module, "espeak_SetParameter", (gpointer *) &espeak.SetParameter) &&
        g_module_symbol (module, "espeak_Synth", (gpointer *) &espeak.Synth) &&
        g_module_symbol (module, "espeak_TextToPhonemes", (gpointer *) &espeak.TextToPhonemes);

      if (!ok)
        {
          /* Said as the voice's state, by whoever starts it. */
          g_debug ("Could not open espeak-ng: %s", g_module_error ());
          memset (&espeak, 0, sizeof espeak);
          g_clear_pointer (&module, g_module_close);
        }
      /* Never closed: espeak-ng keeps process-wide state. */
      else
        g_module_make_resident (module);
      g_once_init_leave (&opened, ok ? 1 : 2);
    }
  return opened == 1;
}

/**
 * mn_speech_open_library:
 *
 * Opens espeak-ng's library (and the libraries it needs), as the voice's
 * first start would. Safe on any thread: the application calls it on a
 * worker after the first frame, so that the main thread's own start of the
 * voice finds it loaded.
 *
 * Returns: whether espeak-ng could be opened
 */
gboolean
mn_speech_open_library (void)
{
  return espeak_open ();
}

typedef enum
{
  TARGET_PLAY,
  TARGET_COLLECT,
} TargetKind;

typedef struct _Worker Worker;

/* Where the samples of one synthesis go (espeak-ng's user data). */
typedef struct
{
  TargetKind kind;
  Worker *worker;
  gint id;             /* TARGET_PLAY: the utterance, aborted when no longer current */
  GstClockTime pts;
  guint64 n_samples;
  GByteArray *collected; /* TARGET_COLLECT */
  gboolean aborted;
} Target;

typedef enum
{
  KIND_PROMPT,
  KIND_BUTTON,
  KIND_ERROR,
} SayKind;

typedef struct
{
  Worker *worker;
  gint id;
  SayKind kind;
  char *text;
  char *language;
  guint rate;
} SayRequest;

typedef enum
{
  CALL_PHONEMES,
  CALL_SYNTHESIZE,
} CallKind;

/* A blocking call from the command line or a test, answered by the speech
 * thread. */
typedef struct
{
  Worker *worker;
  CallKind kind;
  char *language;
  char *text;
  guint rate;
  GMutex lock;
  GCond cond;
  gboolean done;
  char *phonemes;
  GBytes *samples;
  guint sample_rate;
  GError *error;
} Call;

struct _Worker
{
  gatomicrefcount ref_count;

  GMainContext *context;     /* the speech thread's */
  GMainLoop *loop;
  GThread *thread;
  GMainContext *owner_context;
  GWeakRef owner;
  char *sink_description;

  /* The latest say or stop: a synthesis whose id is no longer this one is
   * cut short, and a queued say that is no longer current is dropped. */
  gint current_id;
  gint owner_sync_pending;

  GMutex lock;               /* guards the fields down to the next blank line */
  GCond cond;
  gboolean started;
  gint active_id;            /* the utterance to be heard; 0 when silent */
  MnSpeechState state;
  char *state_message;
  double volume;
  GstElement *sink;          /* set once, when started */

  /* The speech thread's own. */
  GstElement *pipeline;
  GstElement *appsrc;
  GstElement *volume_element;
  GSource *bus_source;
  gboolean audio_ok;
  gint64 last_audio_attempt;
  gboolean dirty;            /* data was pushed since the last flush */
  gint eos_wait_id;          /* utterance whose end of stream we wait for */
  MnSpeechLexicon *lexicon;
};

struct _MnSpeech
{
  GObject parent_instance;

  Worker *worker;

  GMutex lock;               /* what any thread may read through the calls */
  char *language;
  guint rate;
  char *last_text;
  char *last_language;

  /* The owner's view, changed only on the owner's context. */
  gboolean speaking;
  MnSpeechState state;
  char *state_message;
  double volume;
  double default_volume;
  gboolean enabled;
  gboolean log_problems;
};

G_DEFINE_FINAL_TYPE (MnSpeech, mn_speech, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LANGUAGE,
  PROP_RATE,
  PROP_VOLUME,
  PROP_DEFAULT_VOLUME,
  PROP_ENABLED,
  PROP_SPEAKING,
  PROP_STATE,
  PROP_STATE_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
mn_speech_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { MN_SPEECH_STATE_STARTING, "MN_SPEECH_STATE_STARTING", "starting" },
        { MN_SPEECH_STATE_READY, "MN_SPEECH_STATE_READY", "ready" },
        { MN_SPEECH_STATE_NO_AUDIO_OUTPUT, "MN_SPEECH_STATE_NO_AUDIO_OUTPUT", "no-audio-output" },
        { MN_SPEECH_STATE_NO_SYNTHESIZER, "MN_SPEECH_STATE_NO_SYNTHESIZER", "no-synthesizer" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("MnSpeechState"), values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

/* Worker lifetime */

static Worker *
worker_ref (Worker *w)
{
  g_atomic_ref_count_inc (&w->ref_count);
  return w;
}

static void
worker_unref (gpointer data)
{
  Worker *w = data;

  if (!g_atomic_ref_count_dec (&w->ref_count))
    return;

  g_assert (w->pipeline == NULL);
  g_clear_object (&w->sink);
  g_clear_pointer (&w->lexicon, mn_speech_lexicon_unref);
  g_clear_pointer (&w->loop, g_main_loop_unref);
  g_clear_pointer (&w->context, g_main_context_unref);
  g_clear_pointer (&w->owner_context, g_main_context_unref);
  g_weak_ref_clear (&w->owner);
  g_free (w->sink_description);
  g_free (w->state_message);
  g_mutex_clear (&w->lock);
  g_cond_clear (&w->cond);
  g_free (w);
}

static gboolean
worker_is_current (Worker *w,
                   gint    id)
{
  return g_atomic_int_get (&w->current_id) == id;
}

/* Bringing the owner's view up to date */

static void mn_speech_sync_from_worker (MnSpeech *self);

static gboolean
owner_sync_cb (gpointer data)
{
  Worker *w = data;
  g_autoptr(MnSpeech) self = NULL;

  g_atomic_int_set (&w->owner_sync_pending, 0);
  self = g_weak_ref_get (&w->owner);
  if (self != NULL)
    mn_speech_sync_from_worker (self);
  return G_SOURCE_REMOVE;
}

/* Called from any thread, never with w->lock held, whenever what the
 * owner sees may have changed. Several changes in a row make one visit to
 * the owner's context. */
static void
worker_changed (Worker *w)
{
  GSource *source;

  if (!g_atomic_int_compare_and_exchange (&w->owner_sync_pending, 0, 1))
    return;

  source = g_idle_source_new ();
  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, owner_sync_cb, worker_ref (w), worker_unref);
  g_source_set_static_name (source, "[minyin] speech state");
  g_source_attach (source, w->owner_context);
  g_source_unref (source);
}

static void
worker_set_state (Worker        *w,
                  MnSpeechState  state,
                  const char    *message)
{
  gboolean changed;

  g_mutex_lock (&w->lock);
  changed = w->state != state || g_strcmp0 (w->state_message, message) != 0;
  w->state = state;
  g_free (w->state_message);
  w->state_message = g_strdup (message);
  g_mutex_unlock (&w->lock);

  if (changed)
    {
      worker_changed (w);
    }
}

/* The utterance @id is over (played out, cut short, or could not play). */
static void
worker_finish (Worker *w,
               gint    id)
{
  gboolean changed = FALSE;

  g_mutex_lock (&w->lock);
  if (id != 0 && w->active_id == id)
    {
      w->active_id = 0;
      changed = TRUE;
      g_cond_broadcast (&w->cond);
    }
  g_mutex_unlock (&w->lock);

  if (changed)
    worker_changed (w);
}

/* espeak-ng (speech thread only, under espeak_lock) */

static int
synth_cb (short        *wav,
          int           n_samples,
          espeak_EVENT *events)
{
  Target *t = events != NULL ? events->user_data : NULL;

  if (t == NULL || wav == NULL || n_samples <= 0)
    return 0;

  if (t->kind == TARGET_COLLECT)
    {
      g_byte_array_append (t->collected, (const guint8 *) wav, (guint) n_samples * sizeof (short));
      return 0;
    }

  /* A newer say or a stop came in: stop synthesising this one. */
  if (!worker_is_current (t->worker, t->id))
    {
      t->aborted = TRUE;
      return 1;
    }

  {
    GstBuffer *buffer = gst_buffer_new_memdup (wav, (gsize) n_samples * sizeof (short));
    GstClockTime end;

    t->n_samples += (guint64) n_samples;
    end = gst_util_uint64_scale (t->n_samples, GST_SECOND, (guint64) espeak_rate_hz);
    GST_BUFFER_PTS (buffer) = t->pts;
    GST_BUFFER_DURATION (buffer) = end - t->pts;
    t->pts = end;
    /* Never blocks: the queue is unbounded, and a whole prompt is a few
     * hundred kilobytes. */
    gst_app_src_push_buffer (GST_APP_SRC (t->worker->appsrc), buffer);
  }
  return 0;
}

static gboolean
locale_is_utf8 (const char *name)
{
  g_autofree char *folded = g_ascii_strdown (name, -1);

  return strstr (folded, "utf-8") != NULL || strstr (folded, "utf8") != NULL;
}

static gboolean
espeak_ensure_locked (GError **error)
{
  if (espeak_rate_hz == 0 && !espeak_open ())
    espeak_rate_hz = ESPEAK_MISSING;
  if (espeak_rate_hz == 0)
    {
      /* espeak_ng_Initialize() (1.51) first sets the process's LC_CTYPE to
       * C.UTF-8 so that its wide-character tests work, and leaves it so.
       * Every other thread would then see the C locale. Any UTF-8 ctype
       * serves espeak-ng as well, so a UTF-8 locale the process had is put
       * back at once (only the few milliseconds of loading its data see
       * C.UTF-8; the UI pins its default language before the voice
       * starts). A non-UTF-8 locale stays replaced, as before. */
      g_autofree char *ctype = g_strdup (setlocale (LC_CTYPE, NULL));

      /* DONT_EXIT: a missing data file must not end the kiosk. */
      espeak_rate_hz = espeak.Initialize (AUDIO_OUTPUT_SYNCHRONOUS, SYNTH_CHUNK_MS, NULL,
                                          espeakINITIALIZE_DONT_EXIT);
      if (ctype != NULL && locale_is_utf8 (ctype) &&
          g_strcmp0 (setlocale (LC_CTYPE, NULL), ctype) != 0)
        setlocale (LC_CTYPE, ctype);
      if (espeak_rate_hz <= 0)
        espeak_rate_hz = -1;
      else
        espeak.SetSynthCallback (synth_cb);
    }
  if (espeak_rate_hz == ESPEAK_MISSING)
    {
      g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_NO_SYNTHESIZER,
                   _("The speech synthesizer espeak-ng is not installed. Install the libespeak-ng1 package."));
      return FALSE;
    }
  if (espeak_rate_hz < 0)
    {
      g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_NO_SYNTHESIZER,
                   _("The speech synthesizer espeak-ng could not start. Reinstall the espeak-ng-data package."));
      return FALSE;
    }
  return TRUE;
}

gboolean
mn_speech_load_synthesizer (GError **error)
{
  gboolean ok;

  g_mutex_lock (&espeak_lock);
  ok = espeak_ensure_locked (error);
  g_mutex_unlock (&espeak_lock);
  return ok;
}

static gboolean
espeak_voice_locked (const char  *voice,
                     guint        rate,
                     GError     **error)
{
  if (g_strcmp0 (espeak_voice, voice) != 0)
    {
      if (espeak.SetVoiceByName (voice) != EE_OK)
        {
          g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_NO_VOICE,
                       _("The voice “%s” is not installed. Reinstall the espeak-ng-data package."),
                       voice);
          return FALSE;
        }
      g_free (espeak_voice);
      espeak_voice = g_strdup (voice);
      /* A new voice starts at its own default rate. */
      espeak_rate_wpm = 0;
    }

  if (rate != 0 && (int) rate != espeak_rate_wpm)
    {
      espeak.SetParameter (espeakRATE, (int) rate, 0);
      espeak_rate_wpm = (int) rate;
    }
  return TRUE;
}

/* Speaks @text as @language does: each stretch of it in its own voice (Han
 * characters inside an English or Uyghur sentence by the Mandarin voice),
 * prepared for that voice. Samples go to @target; with @phonemes, the
 * phonemes are appended there instead. */
static gboolean
espeak_speak_locked (const char      *language,
                     guint            rate,
                     const char      *text,
                     MnSpeechLexicon *lexicon,
                     Target          *target,
                     GString         *phonemes,
                     GError         **error)
{
  g_autoptr(GPtrArray) segments = NULL;
  const char *voice;

  if (!espeak_ensure_locked (error))
    return FALSE;

  voice = mn_speech_voice_for_language (language);
  if (voice == NULL)
    {
      g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_NO_VOICE,
                   _("There is no voice for the language “%s”. The screen shows the text instead."),
                   language);
      return FALSE;
    }

  segments = mn_speech_text_segments (text, voice);
  for (guint i = 0; i < segments->len; i++)
    {
      MnSpeechSegment *segment = g_ptr_array_index (segments, i);
      g_autofree char *prepared = NULL;

      if (!espeak_voice_locked (segment->voice, rate, error))
        return FALSE;
      prepared = mn_speech_text_prepare (segment->text, segment->voice, lexicon);
      if (phonemes != NULL)
        {
          const void *p = prepared;

          while (p != NULL)
            {
              const char *clause = espeak.TextToPhonemes (&p, espeakCHARS_UTF8, 0);

              if (clause == NULL)
                break;
              if (phonemes->len > 0 && *clause != '\0')
                g_string_append_c (phonemes, ' ');
              g_string_append (phonemes, clause);
            }
          continue;
        }
      espeak.Synth (prepared, strlen (prepared) + 1, 0, POS_CHARACTER, 0,
                    espeakCHARS_UTF8, NULL, target);
      if (target->aborted)
        break;
    }
  return TRUE;
}

/* The pipeline (speech thread only) */

static gboolean bus_cb (GstBus *bus, GstMessage *message, gpointer data);

static char *
sink_description_for (Worker *w)
{
  const char *env = g_getenv ("MINYIN_AUDIO_SINK");

  if (w->sink_description != NULL)
    return g_strdup (w->sink_description);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_strdup (DEFAULT_SINK);
}

static char *
no_output_message (const char *detail)
{
  /* Translators: shown to staff on the kiosk's status page; %s says what
   * the sound system reported. */
  return g_strdup_printf (_("No sound output is working (%s). Check that the speakers are connected and switched on; the screen still shows every prompt."),
                          detail);
}

/* autoaudiosink quietly falls back to a fakesink when it finds no device:
 * that must count as "no sound output", not as working speech. */
static gboolean
autosink_fell_back (GstElement *sink)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  gboolean fell_back = FALSE;
  gboolean has_auto = FALSE;

  if (!GST_IS_BIN (sink))
    return FALSE;

  it = gst_bin_iterate_recurse (GST_BIN (sink));
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *e = g_value_get_object (&item);
      GstElementFactory *f = gst_element_get_factory (e);
      const char *name = f != NULL ? GST_OBJECT_NAME (f) : "";

      if (g_str_equal (name, "autoaudiosink"))
        has_auto = TRUE;
      else if (g_str_equal (name, "fakesink") && GST_OBJECT_PARENT (e) != NULL &&
               GST_IS_ELEMENT (GST_OBJECT_PARENT (e)) &&
               gst_element_get_factory (GST_ELEMENT (GST_OBJECT_PARENT (e))) != NULL &&
               g_str_equal (GST_OBJECT_NAME (gst_element_get_factory (GST_ELEMENT (GST_OBJECT_PARENT (e)))),
                            "autoaudiosink"))
        fell_back = TRUE;
      g_value_reset (&item);
    }
  g_value_unset (&item);
  gst_iterator_free (it);

  return has_auto && fell_back;
}

static void
pipeline_teardown (Worker *w)
{
  if (w->bus_source != NULL)
    {
      g_source_destroy (w->bus_source);
      g_clear_pointer (&w->bus_source, g_source_unref);
    }
  if (w->pipeline != NULL)
    {
      gst_element_set_state (w->pipeline, GST_STATE_NULL);
      g_clear_object (&w->pipeline);
    }
  w->appsrc = NULL;
  w->volume_element = NULL;
  w->audio_ok = FALSE;
  w->dirty = FALSE;
}

static gboolean
seek_data_cb (GstAppSrc *src,
              guint64    offset,
              gpointer   data)
{
  /* Seeking to 0 is how a flush is done; there is nothing to seek. */
  return TRUE;
}

/* Builds the pipeline and sets it playing. On failure the state says why
 * and audio_ok stays FALSE; speech then goes on without sound. */
static void
pipeline_start (Worker *w)
{
  g_autofree char *description = sink_description_for (w);
  g_autoptr(GError) error = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  g_autofree char *msg = NULL;
  GstElement *sink, *convert, *resample;
  GstStateChangeReturn ret;
  double volume;

  pipeline_teardown (w);
  w->last_audio_attempt = g_get_monotonic_time ();

  if (espeak_rate_hz <= 0)
    return;

  sink = gst_parse_bin_from_description (description, TRUE, &error);
  if (sink == NULL)
    {
      msg = no_output_message (error->message);
      worker_set_state (w, MN_SPEECH_STATE_NO_AUDIO_OUTPUT, msg);
      return;
    }
  gst_object_ref_sink (sink);

  g_mutex_lock (&w->lock);
  g_set_object (&w->sink, sink);
  volume = w->volume;
  g_mutex_unlock (&w->lock);

  w->pipeline = gst_pipeline_new ("minyin-speech");
  w->appsrc = gst_element_factory_make ("appsrc", "speech-source");
  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  w->volume_element = gst_element_factory_make ("volume", NULL);
  if (w->appsrc == NULL || convert == NULL || resample == NULL || w->volume_element == NULL)
    {
      gst_object_unref (sink);
      g_clear_object (&w->pipeline);
      msg = no_output_message (_("the GStreamer base plugins are missing"));
      worker_set_state (w, MN_SPEECH_STATE_NO_AUDIO_OUTPUT, msg);
      return;
    }

  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, GST_AUDIO_NE (S16),
                              "rate", G_TYPE_INT, espeak_rate_hz,
                              "channels", G_TYPE_INT, 1,
                              "layout", G_TYPE_STRING, "interleaved",
                              NULL);
  /* Seekable, so that a flushing seek to 0 empties the pipeline at once
   * (a stop) and readies it for the next prompt; unbounded and
   * non-blocking, so the speech thread never waits on playback. */
  g_object_set (w->appsrc,
                "caps", caps,
                "format", GST_FORMAT_TIME,
                "stream-type", GST_APP_STREAM_TYPE_SEEKABLE,
                "max-bytes", (guint64) 0,
                "block", FALSE,
                NULL);
  g_signal_connect (w->appsrc, "seek-data", G_CALLBACK (seek_data_cb), NULL);
  g_object_set (w->volume_element, "volume", volume, NULL);

  gst_bin_add_many (GST_BIN (w->pipeline), w->appsrc, convert, resample, w->volume_element, sink, NULL);
  if (!gst_element_link_many (w->appsrc, convert, resample, w->volume_element, sink, NULL))
    {
      gst_object_unref (sink);
      pipeline_teardown (w);
      msg = no_output_message (_("the sound output cannot play speech"));
      worker_set_state (w, MN_SPEECH_STATE_NO_AUDIO_OUTPUT, msg);
      return;
    }
  gst_object_unref (sink);

  bus = gst_element_get_bus (w->pipeline);
  ret = gst_element_set_state (w->pipeline, GST_STATE_PLAYING);
  message = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
  if (ret == GST_STATE_CHANGE_FAILURE || message != NULL)
    {
      g_autoptr(GError) gst_error = NULL;

      if (message != NULL)
        gst_message_parse_error (message, &gst_error, NULL);
      msg = no_output_message (gst_error != NULL ? gst_error->message
                                                 : _("the sound device could not be opened"));
      pipeline_teardown (w);
      worker_set_state (w, MN_SPEECH_STATE_NO_AUDIO_OUTPUT, msg);
      return;
    }

  if (autosink_fell_back (sink))
    {
      msg = no_output_message (_("no sound device was found"));
      pipeline_teardown (w);
      worker_set_state (w, MN_SPEECH_STATE_NO_AUDIO_OUTPUT, msg);
      return;
    }

  w->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (w->bus_source, G_SOURCE_FUNC (bus_cb), w, NULL);
  g_source_attach (w->bus_source, w->context);
  w->audio_ok = TRUE;
  worker_set_state (w, MN_SPEECH_STATE_READY, NULL);
}

/* Drops everything queued or playing, at once, and rewinds for the next
 * prompt. */
static void
pipeline_flush (Worker *w)
{
  if (w->pipeline != NULL && w->dirty)
    gst_element_seek_simple (w->pipeline, GST_FORMAT_TIME, GST_SEEK_FLAG_FLUSH, 0);
  w->dirty = FALSE;
  w->eos_wait_id = 0;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    data)
{
  Worker *w = data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      if (w->eos_wait_id != 0)
        {
          gint id = w->eos_wait_id;
          w->eos_wait_id = 0;
          worker_finish (w, id);
        }
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *msg = NULL;
        gint id = w->eos_wait_id;

        gst_message_parse_error (message, &error, NULL);
        msg = no_output_message (error->message);
        /* The next say tries the sound output again (after a pause), in
         * case it was unplugged and plugged back. */
        pipeline_teardown (w);
        worker_set_state (w, MN_SPEECH_STATE_NO_AUDIO_OUTPUT, msg);
        worker_finish (w, id);
        return G_SOURCE_REMOVE;
      }

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

/* Requests, run on the speech thread */

static void
say_request_free (gpointer data)
{
  SayRequest *r = data;

  worker_unref (r->worker);
  g_free (r->text);
  g_free (r->language);
  g_free (r);
}

static gboolean
say_cb (gpointer data)
{
  SayRequest *r = data;
  Worker *w = r->worker;
  g_autoptr(GError) error = NULL;
  Target target = { TARGET_PLAY, w, r->id, 0, 0, NULL, FALSE };

  /* Replaced or stopped before its turn came. */
  if (!worker_is_current (w, r->id))
    return G_SOURCE_REMOVE;

  if (!w->audio_ok &&
      g_get_monotonic_time () - w->last_audio_attempt >= AUDIO_RETRY_INTERVAL_US)
    pipeline_start (w);

  if (!w->audio_ok)
    {
      worker_finish (w, r->id);
      return G_SOURCE_REMOVE;
    }

  pipeline_flush (w);

  g_mutex_lock (&espeak_lock);
  w->dirty = TRUE;
  if (!espeak_speak_locked (r->language, r->rate, r->text, w->lexicon, &target, NULL, &error))
    {
      g_mutex_unlock (&espeak_lock);
      g_message ("Speech: %s", error->message);
      worker_finish (w, r->id);
      return G_SOURCE_REMOVE;
    }
  g_mutex_unlock (&espeak_lock);

  if (target.aborted || !worker_is_current (w, r->id))
    {
      /* Whatever replaced it flushes before it speaks, or a stop does. */
      return G_SOURCE_REMOVE;
    }

  if (target.n_samples == 0)
    {
      worker_finish (w, r->id);
      return G_SOURCE_REMOVE;
    }

  /* The end of stream comes back on the bus once the sink has played the
   * last sample: that is when speaking is over. */
  w->eos_wait_id = r->id;
  gst_app_src_end_of_stream (GST_APP_SRC (w->appsrc));
  return G_SOURCE_REMOVE;
}

static gboolean
stop_cb (gpointer data)
{
  Worker *w = data;

  pipeline_flush (w);
  return G_SOURCE_REMOVE;
}

static gboolean
volume_cb (gpointer data)
{
  Worker *w = data;
  double volume;

  g_mutex_lock (&w->lock);
  volume = w->volume;
  g_mutex_unlock (&w->lock);
  if (w->volume_element != NULL)
    g_object_set (w->volume_element, "volume", volume, NULL);
  return G_SOURCE_REMOVE;
}

static void
call_answer (Call *c)
{
  g_mutex_lock (&c->lock);
  c->done = TRUE;
  g_cond_signal (&c->cond);
  g_mutex_unlock (&c->lock);
}

static gboolean
call_cb (gpointer data)
{
  Call *c = data;
  Worker *w = c->worker;

  g_mutex_lock (&espeak_lock);
  if (c->kind == CALL_PHONEMES)
    {
      GString *out = g_string_new (NULL);

      if (espeak_speak_locked (c->language, c->rate, c->text, w->lexicon, NULL, out, &c->error))
        c->phonemes = g_string_free (out, FALSE);
      else
        g_string_free (out, TRUE);
    }
  else
    {
      Target target = { TARGET_COLLECT, w, 0, 0, 0, g_byte_array_new (), FALSE };

      if (espeak_speak_locked (c->language, c->rate, c->text, w->lexicon, &target, NULL, &c->error))
        {
          c->samples = g_byte_array_free_to_bytes (target.collected);
          c->sample_rate = (guint) espeak_rate_hz;
        }
      else
        g_byte_array_unref (target.collected);
    }
  g_mutex_unlock (&espeak_lock);

  call_answer (c);
  return G_SOURCE_REMOVE;
}

static gboolean
quit_cb (gpointer data)
{
  Worker *w = data;

  g_main_loop_quit (w->loop);
  return G_SOURCE_REMOVE;
}

static gpointer
worker_thread (gpointer data)
{
  Worker *w = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) lexicon_error = NULL;
  gboolean synth_ok;

  g_main_context_push_thread_default (w->context);

  w->lexicon = mn_speech_lexicon_load_default (&lexicon_error);
  if (w->lexicon == NULL)
    g_warning ("Speech: %s Words with several readings may be misread.", lexicon_error->message);

  g_mutex_lock (&espeak_lock);
  synth_ok = espeak_ensure_locked (&error);
  g_mutex_unlock (&espeak_lock);

  if (!synth_ok)
    worker_set_state (w, MN_SPEECH_STATE_NO_SYNTHESIZER, error->message);
  else if (!gst_init_check (NULL, NULL, &error))
    {
      g_autofree char *msg = no_output_message (error->message);
      worker_set_state (w, MN_SPEECH_STATE_NO_AUDIO_OUTPUT, msg);
    }
  else
    pipeline_start (w);

  g_mutex_lock (&w->lock);
  w->started = TRUE;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);
  worker_changed (w);

  g_main_loop_run (w->loop);

  /* Run what is still queued (each say is no longer current and is
   * dropped), so no source keeps the worker alive from its own context. */
  while (g_main_context_iteration (w->context, FALSE))
    ;
  pipeline_teardown (w);
  g_main_context_pop_thread_default (w->context);
  worker_unref (w);
  return NULL;
}

static void
worker_wait_started (Worker *w)
{
  g_mutex_lock (&w->lock);
  while (!w->started)
    g_cond_wait (&w->cond, &w->lock);
  g_mutex_unlock (&w->lock);
}

/* MnSpeech */

static void
mn_speech_sync_from_worker (MnSpeech *self)
{
  Worker *w = self->worker;
  gboolean speaking;
  MnSpeechState state;
  g_autofree char *message = NULL;

  g_mutex_lock (&w->lock);
  speaking = w->active_id != 0;
  state = w->started ? w->state : MN_SPEECH_STATE_STARTING;
  message = g_strdup (w->state_message);
  g_mutex_unlock (&w->lock);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->speaking != speaking)
    {
      self->speaking = speaking;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SPEAKING]);
    }
  if (self->state != state)
    {
      self->state = state;
      /* A message, not a warning: a kiosk without speakers (or a test
       * machine without a sound card) is a state to show staff, not a
       * programming error; the journal keeps it. */
      if (self->log_problems &&
          (state == MN_SPEECH_STATE_NO_AUDIO_OUTPUT || state == MN_SPEECH_STATE_NO_SYNTHESIZER))
        g_message ("Speech: %s", message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (g_strcmp0 (self->state_message, message) != 0)
    {
      g_free (self->state_message);
      self->state_message = g_steal_pointer (&message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE_MESSAGE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
mn_speech_dispose (GObject *object)
{
  MnSpeech *self = MN_SPEECH (object);
  Worker *w = self->worker;

  if (w != NULL)
    {
      g_atomic_int_inc (&w->current_id);
      g_main_context_invoke_full (w->context, G_PRIORITY_HIGH, quit_cb, worker_ref (w), worker_unref);
      g_thread_join (w->thread);
      w->thread = NULL;
      g_clear_pointer (&self->worker, worker_unref);
    }

  G_OBJECT_CLASS (mn_speech_parent_class)->dispose (object);
}

static void
mn_speech_finalize (GObject *object)
{
  MnSpeech *self = MN_SPEECH (object);

  g_free (self->language);
  g_free (self->last_text);
  g_free (self->last_language);
  g_free (self->state_message);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (mn_speech_parent_class)->finalize (object);
}

static void
mn_speech_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MnSpeech *self = MN_SPEECH (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      g_mutex_lock (&self->lock);
      g_value_set_string (value, self->language);
      g_mutex_unlock (&self->lock);
      break;
    case PROP_RATE:
      g_value_set_uint (value, mn_speech_get_rate (self));
      break;
    case PROP_VOLUME:
      g_value_set_double (value, self->volume);
      break;
    case PROP_DEFAULT_VOLUME:
      g_value_set_double (value, self->default_volume);
      break;
    case PROP_ENABLED:
      g_value_set_boolean (value, mn_speech_get_enabled (self));
      break;
    case PROP_SPEAKING:
      g_value_set_boolean (value, self->speaking);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_STATE_MESSAGE:
      g_value_set_string (value, self->state_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_speech_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MnSpeech *self = MN_SPEECH (object);

  switch (prop_id)
    {
    case PROP_LANGUAGE:
      mn_speech_set_language (self, g_value_get_string (value));
      break;
    case PROP_RATE:
      mn_speech_set_rate (self, g_value_get_uint (value));
      break;
    case PROP_VOLUME:
      mn_speech_set_volume (self, g_value_get_double (value));
      break;
    case PROP_DEFAULT_VOLUME:
      mn_speech_set_default_volume (self, g_value_get_double (value));
      break;
    case PROP_ENABLED:
      mn_speech_set_enabled (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_speech_class_init (MnSpeechClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mn_speech_dispose;
  object_class->finalize = mn_speech_finalize;
  object_class->get_property = mn_speech_get_property;
  object_class->set_property = mn_speech_set_property;

  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, "zh_CN",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RATE] =
    g_param_spec_uint ("rate", NULL, NULL, espeakRATE_MINIMUM, espeakRATE_MAXIMUM,
                       MN_SPEECH_DEFAULT_RATE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VOLUME] =
    g_param_spec_double ("volume", NULL, NULL, 0.0, 4.0, MN_SPEECH_DEFAULT_VOLUME,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEFAULT_VOLUME] =
    g_param_spec_double ("default-volume", NULL, NULL, 0.0, 4.0, MN_SPEECH_DEFAULT_VOLUME,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENABLED] =
    g_param_spec_boolean ("enabled", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SPEAKING] =
    g_param_spec_boolean ("speaking", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, MN_TYPE_SPEECH_STATE, MN_SPEECH_STATE_STARTING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE_MESSAGE] =
    g_param_spec_string ("state-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mn_speech_init (MnSpeech *self)
{
  g_mutex_init (&self->lock);
  self->language = g_strdup ("zh_CN");
  self->rate = MN_SPEECH_DEFAULT_RATE;
  self->volume = MN_SPEECH_DEFAULT_VOLUME;
  self->default_volume = MN_SPEECH_DEFAULT_VOLUME;
  self->state = MN_SPEECH_STATE_STARTING;
  self->enabled = TRUE;
  self->log_problems = TRUE;
}

MnSpeech *
mn_speech_new_with_sink (const char *sink_description)
{
  MnSpeech *self = g_object_new (MN_TYPE_SPEECH, NULL);
  Worker *w = g_new0 (Worker, 1);

  g_atomic_ref_count_init (&w->ref_count);
  g_mutex_init (&w->lock);
  g_cond_init (&w->cond);
  w->context = g_main_context_new ();
  w->loop = g_main_loop_new (w->context, FALSE);
  w->owner_context = g_main_context_ref_thread_default ();
  g_weak_ref_init (&w->owner, self);
  w->sink_description = g_strdup (sink_description);
  w->state = MN_SPEECH_STATE_STARTING;
  w->volume = self->volume;
  self->worker = w;

  w->thread = g_thread_new ("mn-speech", worker_thread, worker_ref (w));
  return self;
}

MnSpeech *
mn_speech_new (void)
{
  return mn_speech_new_with_sink (NULL);
}

void
mn_speech_set_language (MnSpeech   *self,
                        const char *language)
{
  gboolean changed;

  g_return_if_fail (MN_IS_SPEECH (self));
  g_return_if_fail (language != NULL);

  g_mutex_lock (&self->lock);
  changed = g_strcmp0 (self->language, language) != 0;
  if (changed)
    {
      g_free (self->language);
      self->language = g_strdup (language);
    }
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
}

const char *
mn_speech_get_language (MnSpeech *self)
{
  g_return_val_if_fail (MN_IS_SPEECH (self), NULL);

  return self->language;
}

void
mn_speech_set_rate (MnSpeech *self,
                    guint     rate)
{
  gboolean changed;

  g_return_if_fail (MN_IS_SPEECH (self));

  rate = CLAMP (rate, espeakRATE_MINIMUM, espeakRATE_MAXIMUM);
  g_mutex_lock (&self->lock);
  changed = self->rate != rate;
  self->rate = rate;
  g_mutex_unlock (&self->lock);

  if (changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RATE]);
}

guint
mn_speech_get_rate (MnSpeech *self)
{
  guint rate;

  g_return_val_if_fail (MN_IS_SPEECH (self), 0);

  g_mutex_lock (&self->lock);
  rate = self->rate;
  g_mutex_unlock (&self->lock);
  return rate;
}

void
mn_speech_set_volume (MnSpeech *self,
                      double    volume)
{
  Worker *w;

  g_return_if_fail (MN_IS_SPEECH (self));

  volume = CLAMP (volume, 0.0, 4.0);
  if (self->volume == volume)
    return;

  self->volume = volume;
  w = self->worker;
  g_mutex_lock (&w->lock);
  w->volume = volume;
  g_mutex_unlock (&w->lock);
  g_main_context_invoke_full (w->context, G_PRIORITY_HIGH, volume_cb, worker_ref (w), worker_unref);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VOLUME]);
}

double
mn_speech_get_volume (MnSpeech *self)
{
  g_return_val_if_fail (MN_IS_SPEECH (self), 0.0);

  return self->volume;
}

void
mn_speech_set_default_volume (MnSpeech *self,
                              double    volume)
{
  g_return_if_fail (MN_IS_SPEECH (self));

  volume = CLAMP (volume, 0.0, 4.0);
  if (self->default_volume == volume)
    return;
  self->default_volume = volume;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEFAULT_VOLUME]);
}

double
mn_speech_get_default_volume (MnSpeech *self)
{
  g_return_val_if_fail (MN_IS_SPEECH (self), 0.0);

  return self->default_volume;
}

void
mn_speech_reset_volume (MnSpeech *self)
{
  g_return_if_fail (MN_IS_SPEECH (self));

  mn_speech_set_volume (self, self->default_volume);
}

void
mn_speech_set_enabled (MnSpeech *self,
                       gboolean  enabled)
{
  gboolean changed;

  g_return_if_fail (MN_IS_SPEECH (self));

  enabled = !!enabled;
  g_mutex_lock (&self->lock);
  changed = self->enabled != enabled;
  self->enabled = enabled;
  g_mutex_unlock (&self->lock);

  if (changed)
    {
      if (!enabled)
        mn_speech_stop (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENABLED]);
    }
}

gboolean
mn_speech_get_enabled (MnSpeech *self)
{
  gboolean enabled;

  g_return_val_if_fail (MN_IS_SPEECH (self), FALSE);

  g_mutex_lock (&self->lock);
  enabled = self->enabled;
  g_mutex_unlock (&self->lock);
  return enabled;
}

static gboolean
percent_to_fraction (GValue   *value,
                     GVariant *variant,
                     gpointer  data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 100.0);
  return TRUE;
}

static void
default_volume_changed_cb (MnSpeech   *self,
                           GParamSpec *pspec,
                           gpointer    data)
{
  mn_speech_reset_volume (self);
}

void
mn_speech_bind_settings (MnSpeech  *self,
                         GSettings *settings)
{
  g_return_if_fail (MN_IS_SPEECH (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_settings_bind (settings, "voice-rate", self, "rate", G_SETTINGS_BIND_GET);
  g_settings_bind (settings, "voice-enabled", self, "enabled", G_SETTINGS_BIND_GET);
  g_settings_bind_with_mapping (settings, "voice-volume", self, "default-volume",
                                G_SETTINGS_BIND_GET, percent_to_fraction, NULL, NULL, NULL);
  /* Staff changing the default mean it for everyone from now on. */
  g_signal_connect (self, "notify::default-volume", G_CALLBACK (default_volume_changed_cb), NULL);
  mn_speech_reset_volume (self);
}

static void
say (MnSpeech   *self,
     SayKind     kind,
     const char *text,
     const char *language)
{
  Worker *w = self->worker;
  SayRequest *r;

  g_mutex_lock (&self->lock);
  if (!self->enabled)
    {
      g_mutex_unlock (&self->lock);
      return;
    }
  g_mutex_unlock (&self->lock);

  r = g_new0 (SayRequest, 1);
  r->worker = worker_ref (w);
  r->kind = kind;
  r->text = g_strdup (text);

  g_mutex_lock (&self->lock);
  r->language = g_strdup (language != NULL ? language : self->language);
  r->rate = self->rate;
  if (kind != KIND_BUTTON)
    {
      g_free (self->last_text);
      self->last_text = g_strdup (text);
      g_free (self->last_language);
      self->last_language = g_strdup (r->language);
    }
  g_mutex_unlock (&self->lock);

  /* The id and the "current" mark move together under the lock, so that
   * of several threads saying at once, the last one to get here is the one
   * heard, whichever order the speech thread sees them in. */
  g_mutex_lock (&w->lock);
  r->id = g_atomic_int_add (&w->current_id, 1) + 1;
  w->active_id = r->id;
  g_mutex_unlock (&w->lock);

  g_main_context_invoke_full (w->context, G_PRIORITY_DEFAULT, say_cb, r, say_request_free);
  worker_changed (w);
}

void
mn_speech_say_prompt (MnSpeech   *self,
                      const char *text)
{
  g_return_if_fail (MN_IS_SPEECH (self));
  g_return_if_fail (text != NULL);

  say (self, KIND_PROMPT, text, NULL);
}

void
mn_speech_say_button (MnSpeech   *self,
                      const char *name)
{
  g_return_if_fail (MN_IS_SPEECH (self));
  g_return_if_fail (name != NULL);

  say (self, KIND_BUTTON, name, NULL);
}

void
mn_speech_say_error (MnSpeech   *self,
                     const char *message)
{
  g_return_if_fail (MN_IS_SPEECH (self));
  g_return_if_fail (message != NULL);

  say (self, KIND_ERROR, message, NULL);
}

void
mn_speech_stop (MnSpeech *self)
{
  Worker *w;
  gint was_active;

  g_return_if_fail (MN_IS_SPEECH (self));

  w = self->worker;
  g_mutex_lock (&w->lock);
  g_atomic_int_inc (&w->current_id);
  was_active = w->active_id;
  w->active_id = 0;
  g_cond_broadcast (&w->cond);
  g_mutex_unlock (&w->lock);

  /* Ahead of any queued say: the synthesis in progress sees the new id at
   * its next chunk and gives up, then this flushes the pipeline. */
  g_main_context_invoke_full (w->context, G_PRIORITY_HIGH, stop_cb, worker_ref (w), worker_unref);
  if (was_active != 0)
    worker_changed (w);
}

void
mn_speech_repeat (MnSpeech *self)
{
  g_autofree char *text = NULL;
  g_autofree char *language = NULL;

  g_return_if_fail (MN_IS_SPEECH (self));

  g_mutex_lock (&self->lock);
  text = g_strdup (self->last_text);
  language = g_strdup (self->last_language);
  g_mutex_unlock (&self->lock);

  if (text != NULL)
    say (self, KIND_PROMPT, text, language);
}

char *
mn_speech_dup_last_text (MnSpeech *self)
{
  char *text;

  g_return_val_if_fail (MN_IS_SPEECH (self), NULL);

  g_mutex_lock (&self->lock);
  text = g_strdup (self->last_text);
  g_mutex_unlock (&self->lock);
  return text;
}

void
mn_speech_set_log_problems (MnSpeech *self,
                            gboolean  log_problems)
{
  g_return_if_fail (MN_IS_SPEECH (self));

  self->log_problems = !!log_problems;
}

gboolean
mn_speech_get_speaking (MnSpeech *self)
{
  g_return_val_if_fail (MN_IS_SPEECH (self), FALSE);

  return self->speaking;
}

MnSpeechState
mn_speech_get_state (MnSpeech *self)
{
  g_return_val_if_fail (MN_IS_SPEECH (self), MN_SPEECH_STATE_STARTING);

  return self->state;
}

const char *
mn_speech_get_state_message (MnSpeech *self)
{
  g_return_val_if_fail (MN_IS_SPEECH (self), NULL);

  return self->state_message;
}

gboolean
mn_speech_wait_idle (MnSpeech *self,
                     int       timeout_ms)
{
  Worker *w;
  gint64 deadline;
  gboolean idle = TRUE;

  g_return_val_if_fail (MN_IS_SPEECH (self), FALSE);

  w = self->worker;
  deadline = timeout_ms < 0 ? G_MAXINT64 : g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  g_mutex_lock (&w->lock);
  while (!w->started || w->active_id != 0)
    {
      if (timeout_ms < 0)
        g_cond_wait (&w->cond, &w->lock);
      else if (!g_cond_wait_until (&w->cond, &w->lock, deadline))
        {
          idle = !(!w->started || w->active_id != 0);
          break;
        }
    }
  g_mutex_unlock (&w->lock);

  /* Only on the owner's thread: properties never change elsewhere. */
  {
    g_autoptr(GMainContext) here = g_main_context_ref_thread_default ();

    if (g_main_context_is_owner (w->owner_context))
      mn_speech_sync_from_worker (self);
    else if (here == w->owner_context && g_main_context_acquire (w->owner_context))
      {
        mn_speech_sync_from_worker (self);
        g_main_context_release (w->owner_context);
      }
  }
  return idle;
}

static gboolean
run_call (MnSpeech  *self,
          Call      *c)
{
  Worker *w = self->worker;

  g_mutex_init (&c->lock);
  g_cond_init (&c->cond);
  c->worker = w;
  c->rate = mn_speech_get_rate (self);
  worker_wait_started (w);
  g_main_context_invoke (w->context, call_cb, c);

  g_mutex_lock (&c->lock);
  while (!c->done)
    g_cond_wait (&c->cond, &c->lock);
  g_mutex_unlock (&c->lock);

  g_mutex_clear (&c->lock);
  g_cond_clear (&c->cond);
  return c->error == NULL;
}

char *
mn_speech_get_phonemes (MnSpeech    *self,
                        const char  *language,
                        const char  *text,
                        GError     **error)
{
  Call c = { 0 };

  g_return_val_if_fail (MN_IS_SPEECH (self), NULL);
  g_return_val_if_fail (language != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  c.kind = CALL_PHONEMES;
  c.language = (char *) language;
  c.text = (char *) text;
  if (!run_call (self, &c))
    {
      g_propagate_error (error, c.error);
      return NULL;
    }
  return c.phonemes;
}

GBytes *
mn_speech_synthesize (MnSpeech    *self,
                      const char  *language,
                      const char  *text,
                      guint       *sample_rate,
                      GError     **error)
{
  Call c = { 0 };

  g_return_val_if_fail (MN_IS_SPEECH (self), NULL);
  g_return_val_if_fail (language != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  c.kind = CALL_SYNTHESIZE;
  c.language = (char *) language;
  c.text = (char *) text;
  if (!run_call (self, &c))
    {
      g_propagate_error (error, c.error);
      return NULL;
    }
  if (sample_rate != NULL)
    *sample_rate = c.sample_rate;
  return c.samples;
}

GstElement *
mn_speech_dup_audio_sink (MnSpeech *self)
{
  Worker *w;
  GstElement *sink;

  g_return_val_if_fail (MN_IS_SPEECH (self), NULL);

  w = self->worker;
  worker_wait_started (w);
  g_mutex_lock (&w->lock);
  sink = w->sink != NULL ? g_object_ref (w->sink) : NULL;
  g_mutex_unlock (&w->lock);
  return sink;
}
