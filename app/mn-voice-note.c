/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "mn-voice-note.h"

G_DEFINE_QUARK (mn-voice-note-error-quark, mn_voice_note_error)

#define DEFAULT_SOURCE "autoaudiosrc"
#define DEFAULT_SINK "autoaudiosink"
#define RATE 48000
/* Opus at 24 kbit/s is clear speech; the encoder is told it is a voice. */
#define BITRATE 24000
#define TICK_MS 100
/* How long closing the file may take before we give up on it. */
#define FINISH_TIMEOUT_MS 3000
#define PROBE_TIMEOUT_US (2 * G_USEC_PER_SEC)
/* A file from elsewhere (the command line) is refused above these. */
#define INSPECT_MAX_BYTES (16 * 1024 * 1024)
#define INSPECT_MAX_MS (10 * 60 * 1000)
#define INSPECT_TIMEOUT_US (20 * G_USEC_PER_SEC)
/* The cues: a short high beep says "speak now", a lower, longer one says
 * "stopped". 150 ms is long enough to be heard by someone hard of hearing
 * and short enough not to eat into what they say. */
#define CUE_START_HZ 880
#define CUE_START_MS 150
#define CUE_STOP_HZ 440
#define CUE_STOP_MS 250
#define CUE_SAMPLES_PER_BUFFER 480 /* 10 ms at 48 kHz */
/* A sound output that never says it has finished (stuck device) must not
 * keep the microphone closed: recording starts after this at the latest. */
#define CUE_TIMEOUT_MS 1000

struct _MnVoiceNote
{
  GObject           parent_instance;

  char             *directory;
  char             *source_description;
  char             *sink_description;
  GMainContext     *context;
  guint             max_ms;

  MnVoiceNoteState  state;
  GstElement       *pipeline;
  GSource          *bus_source;
  GSource          *tick;
  GSource          *finish_timeout;
  char             *recording_path; /* the file being written */
  char             *path;           /* the finished recording */
  guint             duration_ms;
  guint             elapsed_ms;
  double            level;
  gint64            started_us;

  /* The beep played through the sink before capturing starts (and after
   * it stops); the recording pipeline waits in READY meanwhile. */
  GstElement       *cue;
  GSource          *cue_bus_source;
  GSource          *cue_timeout;
  gboolean          capture_pending;
  gint64            cue_end_latency_us;

  /* Written by the streaming thread, read on the owner's context. */
  GMutex            lock;
  guint64           samples;
  guint64           max_samples;
  double            last_level;
  gint64            start_latency_us;
};

G_DEFINE_FINAL_TYPE (MnVoiceNote, mn_voice_note, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_ELAPSED_MS,
  PROP_LEVEL,
  PROP_DURATION_MS,
  PROP_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

GType
mn_voice_note_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { MN_VOICE_NOTE_STATE_EMPTY, "MN_VOICE_NOTE_STATE_EMPTY", "empty" },
        { MN_VOICE_NOTE_STATE_RECORDING, "MN_VOICE_NOTE_STATE_RECORDING", "recording" },
        { MN_VOICE_NOTE_STATE_FINISHING, "MN_VOICE_NOTE_STATE_FINISHING", "finishing" },
        { MN_VOICE_NOTE_STATE_RECORDED, "MN_VOICE_NOTE_STATE_RECORDED", "recorded" },
        { MN_VOICE_NOTE_STATE_PLAYING, "MN_VOICE_NOTE_STATE_PLAYING", "playing" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("MnVoiceNoteState"), values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

/* ---- sentences -------------------------------------------------------- */

static void
set_no_microphone (GError    **error,
                   const char *detail)
{
  g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE,
               /* Translators: %s says what the sound system reported. */
               _("The microphone is not working (%s), so no voice note can be recorded. Please "
                 "choose sentences instead, and tell staff to check the microphone."),
               detail);
}

static void
set_no_output (GError    **error,
               const char *detail)
{
  g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_OUTPUT,
               /* Translators: %s says what the sound system reported. */
               _("The voice note cannot be played back (%s); it is kept all the same. Tell "
                 "staff to check the speakers."),
               detail);
}

static void
set_missing_plugin (GError **error)
{
  g_set_error_literal (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_MISSING_PLUGIN,
                       _("Voice notes need the GStreamer base and good plugins "
                         "(gstreamer1.0-plugins-base, gstreamer1.0-plugins-good); ask staff to "
                         "install them."));
}

/* ---- small helpers ---------------------------------------------------- */

static gboolean
ensure_gst (GError **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!gst_init_check (NULL, NULL, &local_error))
    {
      set_no_microphone (error, local_error->message);
      return FALSE;
    }
  return TRUE;
}

static char *
source_description_for (MnVoiceNote *self)
{
  const char *env = g_getenv ("MINYIN_AUDIO_SOURCE");

  if (self != NULL && self->source_description != NULL)
    return g_strdup (self->source_description);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_strdup (DEFAULT_SOURCE);
}

static char *
sink_description_for (MnVoiceNote *self)
{
  const char *env = g_getenv ("MINYIN_AUDIO_SINK");

  if (self->sink_description != NULL)
    return g_strdup (self->sink_description);
  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_strdup (DEFAULT_SINK);
}

/* autoaudiosrc and autoaudiosink quietly put a fake element in place of a
 * device they cannot find: that is "no device", not a working one. */
static gboolean
auto_fell_back (GstElement *bin,
                const char *auto_name,
                const char *fake_name)
{
  GstIterator *it;
  GValue item = G_VALUE_INIT;
  gboolean fell_back = FALSE;

  if (!GST_IS_BIN (bin))
    return FALSE;
  it = gst_bin_iterate_recurse (GST_BIN (bin));
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *e = g_value_get_object (&item);
      GstElementFactory *f = gst_element_get_factory (e);
      GstObject *parent = GST_OBJECT_PARENT (e);

      /* GStreamer 1.22 names the stand-in "fake-auto-audio-src" (an
       * audiotestsrc playing silence) or "...-sink" (a fakesink). */
      if (f != NULL &&
          (g_str_equal (GST_OBJECT_NAME (f), fake_name) ||
           g_str_has_prefix (GST_OBJECT_NAME (e), "fake-auto-")) &&
          parent != NULL &&
          GST_IS_ELEMENT (parent) && gst_element_get_factory (GST_ELEMENT (parent)) != NULL &&
          g_str_equal (GST_OBJECT_NAME (gst_element_get_factory (GST_ELEMENT (parent))),
                       auto_name))
        fell_back = TRUE;
      g_value_reset (&item);
    }
  g_value_unset (&item);
  gst_iterator_free (it);
  return fell_back;
}

/* The first error already on @bus, as a sentence's detail, or NULL. */
static char *
pop_bus_error (GstBus      *bus,
               GstClockTime timeout)
{
  g_autoptr(GstMessage) message = gst_bus_timed_pop_filtered (bus, timeout, GST_MESSAGE_ERROR);
  g_autoptr(GError) gst_error = NULL;

  if (message == NULL)
    return NULL;
  gst_message_parse_error (message, &gst_error, NULL);
  return g_strdup (gst_error != NULL ? gst_error->message : "?");
}

static void
set_state (MnVoiceNote      *self,
           MnVoiceNoteState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_elapsed_and_level (MnVoiceNote *self,
                       guint        elapsed_ms,
                       double       level)
{
  if (self->elapsed_ms != elapsed_ms)
    {
      self->elapsed_ms = elapsed_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_MS]);
    }
  if (self->level != level)
    {
      self->level = level;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LEVEL]);
    }
}

static void
delete_file (char **path)
{
  if (*path != NULL)
    {
      if (g_unlink (*path) != 0 && errno != ENOENT)
        g_warning ("Could not delete the recording %s: %s", *path, g_strerror (errno));
      g_clear_pointer (path, g_free);
    }
}

static void
stop_cue (MnVoiceNote *self)
{
  if (self->cue_bus_source != NULL)
    {
      g_source_destroy (self->cue_bus_source);
      g_clear_pointer (&self->cue_bus_source, g_source_unref);
    }
  if (self->cue_timeout != NULL)
    {
      g_source_destroy (self->cue_timeout);
      g_clear_pointer (&self->cue_timeout, g_source_unref);
    }
  if (self->cue != NULL)
    {
      gst_element_set_state (self->cue, GST_STATE_NULL);
      g_clear_object (&self->cue);
    }
}

static void
teardown (MnVoiceNote *self)
{
  stop_cue (self);
  self->capture_pending = FALSE;
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->tick != NULL)
    {
      g_source_destroy (self->tick);
      g_clear_pointer (&self->tick, g_source_unref);
    }
  if (self->finish_timeout != NULL)
    {
      g_source_destroy (self->finish_timeout);
      g_clear_pointer (&self->finish_timeout, g_source_unref);
    }
  if (self->pipeline != NULL)
    {
      /* Joins the streaming threads: after this no probe runs. */
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
}

static GSource *
attach_timeout (MnVoiceNote *self,
                guint        ms,
                GSourceFunc  func)
{
  GSource *source = g_timeout_source_new (ms);

  g_source_set_callback (source, func, self, NULL);
  g_source_attach (source, self->context);
  return source;
}

/* ---- cues ------------------------------------------------------------- */

static void begin_capture (MnVoiceNote *self);

static void
cue_done (MnVoiceNote *self)
{
  stop_cue (self);
  if (self->capture_pending)
    {
      self->cue_end_latency_us = g_get_monotonic_time () - self->started_us;
      begin_capture (self);
    }
}

static gboolean
on_cue_bus (GstBus     *bus,
            GstMessage *message,
            gpointer    user_data)
{
  MnVoiceNote *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      /* The sink has played the last sample: the beep is over. */
      cue_done (self);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;

        gst_message_parse_error (message, &gst_error, NULL);
        g_message ("Voice note: the beep could not be played (%s)", gst_error->message);
        cue_done (self);
        return G_SOURCE_REMOVE;
      }
    default:
      return G_SOURCE_CONTINUE;
    }
}

static gboolean
on_cue_timeout (gpointer user_data)
{
  MnVoiceNote *self = user_data;

  g_message ("Voice note: the sound output did not finish the beep within %d ms",
             CUE_TIMEOUT_MS);
  cue_done (self);
  return G_SOURCE_REMOVE;
}

/* Plays a beep of @hz for @ms through the speech sink; returns at once.
 * FALSE when the sink cannot even be opened (then there is no beep, and
 * nothing waits for one). */
static gboolean
play_cue (MnVoiceNote *self,
          guint        hz,
          guint        ms)
{
  g_autofree char *tone_description = NULL;
  g_autofree char *sink_description = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *tone, *sink;
  GstStateChangeReturn ret;

  stop_cue (self);
  if (!gst_is_initialized ())
    return FALSE;
  /* Whole 10 ms buffers, at a comfortable half of full scale. */
  tone_description = g_strdup_printf (
    "audiotestsrc wave=sine freq=%u volume=0.5 samplesperbuffer=%d num-buffers=%u "
    "! audio/x-raw,format=S16LE,rate=%d,channels=1 ! audioconvert ! audioresample",
    hz, CUE_SAMPLES_PER_BUFFER, MAX (1u, ms * RATE / 1000 / CUE_SAMPLES_PER_BUFFER), RATE);
  tone = gst_parse_bin_from_description (tone_description, TRUE, NULL);
  sink_description = sink_description_for (self);
  sink = gst_parse_bin_from_description (sink_description, TRUE, NULL);
  if (tone == NULL || sink == NULL)
    {
      if (tone != NULL)
        gst_object_unref (gst_object_ref_sink (tone));
      if (sink != NULL)
        gst_object_unref (gst_object_ref_sink (sink));
      return FALSE;
    }
  self->cue = gst_object_ref_sink (gst_pipeline_new ("minyin-voice-note-cue"));
  gst_bin_add_many (GST_BIN (self->cue), tone, sink, NULL);
  if (!gst_element_link (tone, sink))
    {
      stop_cue (self);
      return FALSE;
    }
  bus = gst_element_get_bus (self->cue);
  ret = gst_element_set_state (self->cue, GST_STATE_PLAYING);
  detail = pop_bus_error (bus, 0);
  if (ret == GST_STATE_CHANGE_FAILURE || detail != NULL)
    {
      g_message ("Voice note: no beep, the sound output failed (%s)",
                 detail != NULL ? detail : "state change");
      stop_cue (self);
      return FALSE;
    }
  self->cue_bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->cue_bus_source, G_SOURCE_FUNC (on_cue_bus), self, NULL);
  g_source_attach (self->cue_bus_source, self->context);
  self->cue_timeout = attach_timeout (self, CUE_TIMEOUT_MS, on_cue_timeout);
  return TRUE;
}

/* ---- recording -------------------------------------------------------- */

/* On the streaming thread: counts the samples, measures the loudness and
 * holds the note to its limit (whatever the main loop is doing). */
static GstPadProbeReturn
on_audio (GstPad          *pad,
          GstPadProbeInfo *info,
          gpointer         user_data)
{
  MnVoiceNote *self = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  double sum = 0;
  gsize n;

  g_mutex_lock (&self->lock);
  if (self->samples >= self->max_samples)
    {
      g_mutex_unlock (&self->lock);
      return GST_PAD_PROBE_DROP;
    }
  g_mutex_unlock (&self->lock);

  if (!gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_PAD_PROBE_OK;
  n = map.size / sizeof (gint16);
  for (gsize i = 0; i < n; i++)
    {
      gint16 s;

      memcpy (&s, map.data + i * sizeof s, sizeof s);
      sum += (double) s * s;
    }
  gst_buffer_unmap (buffer, &map);

  g_mutex_lock (&self->lock);
  if (self->samples == 0 && n > 0)
    self->start_latency_us = g_get_monotonic_time () - self->started_us;
  self->samples += n;
  if (n > 0)
    {
      /* Loudness in dB below full scale, -60..0 dB shown as 0..1: quiet
       * speech at arm's length is around -35 dB. */
      double rms = sqrt (sum / n) / 32768.0;
      double db = rms > 0 ? 20 * log10 (rms) : -100;

      self->last_level = CLAMP ((db + 60) / 60, 0, 1);
    }
  g_mutex_unlock (&self->lock);
  return GST_PAD_PROBE_OK;
}

static guint
samples_to_ms (guint64 samples)
{
  return (guint) MIN (samples * 1000 / RATE, G_MAXUINT);
}

static gboolean
on_tick (gpointer user_data)
{
  MnVoiceNote *self = user_data;
  guint64 samples, max_samples;
  double level;

  if (self->state == MN_VOICE_NOTE_STATE_PLAYING)
    {
      gint64 position = 0;

      if (self->pipeline != NULL &&
          gst_element_query_position (self->pipeline, GST_FORMAT_TIME, &position))
        set_elapsed_and_level (self, (guint) (position / GST_MSECOND), 0);
      return G_SOURCE_CONTINUE;
    }

  g_mutex_lock (&self->lock);
  samples = self->samples;
  max_samples = self->max_samples;
  level = self->last_level;
  g_mutex_unlock (&self->lock);

  set_elapsed_and_level (self, samples_to_ms (samples), level);
  if (self->state == MN_VOICE_NOTE_STATE_RECORDING && samples >= max_samples)
    {
      /* The limit: the note stops by itself, as if Stop was touched. */
      mn_voice_note_stop (self);
    }
  return G_SOURCE_CONTINUE;
}

static void
fail (MnVoiceNote *self,
      GError      *error)
{
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

/* The recording is over (EOS, or the time to close it ran out). */
static void
finish_recording (MnVoiceNote *self,
                  gboolean     closed)
{
  guint64 samples;
  guint ms;

  teardown (self);
  g_mutex_lock (&self->lock);
  samples = self->samples;
  self->last_level = 0;
  g_mutex_unlock (&self->lock);
  ms = samples_to_ms (samples);
  set_elapsed_and_level (self, ms, 0);

  if (!closed || ms < MN_VOICE_NOTE_MIN_MS)
    {
      g_autoptr(GError) error = NULL;

      delete_file (&self->recording_path);
      if (!closed)
        set_no_microphone (&error, _("the recording could not be finished"));
      else
        g_set_error_literal (&error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID,
                             _("Nothing was heard. Touch Record, speak, then touch Stop."));
      set_state (self, MN_VOICE_NOTE_STATE_EMPTY);
      fail (self, error);
      return;
    }

  /* A lower beep: the terminal has stopped listening. */
  play_cue (self, CUE_STOP_HZ, CUE_STOP_MS);
  self->path = g_steal_pointer (&self->recording_path);
  self->duration_ms = ms;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PATH]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DURATION_MS]);
  set_state (self, MN_VOICE_NOTE_STATE_RECORDED);
}

static gboolean
on_finish_timeout (gpointer user_data)
{
  MnVoiceNote *self = user_data;

  g_clear_pointer (&self->finish_timeout, g_source_unref);
  g_warning ("The recording did not end within %d ms; it is dropped.", FINISH_TIMEOUT_MS);
  finish_recording (self, FALSE);
  return G_SOURCE_REMOVE;
}

static void
finish_playing (MnVoiceNote *self)
{
  teardown (self);
  set_elapsed_and_level (self, 0, 0);
  set_state (self, MN_VOICE_NOTE_STATE_RECORDED);
}

static gboolean
on_bus (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  MnVoiceNote *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_EOS:
      if (self->state == MN_VOICE_NOTE_STATE_RECORDING ||
          self->state == MN_VOICE_NOTE_STATE_FINISHING)
        finish_recording (self, TRUE);
      else if (self->state == MN_VOICE_NOTE_STATE_PLAYING)
        finish_playing (self);
      break;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        g_message ("Voice note: %s (%s)", gst_error->message, debug != NULL ? debug : "");
        if (self->state == MN_VOICE_NOTE_STATE_PLAYING)
          {
            set_no_output (&error, gst_error->message);
            finish_playing (self);
          }
        else
          {
            teardown (self);
            delete_file (&self->recording_path);
            set_elapsed_and_level (self, 0, 0);
            set_no_microphone (&error, gst_error->message);
            set_state (self, MN_VOICE_NOTE_STATE_EMPTY);
          }
        fail (self, error);
      }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
watch_bus (MnVoiceNote *self)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);

  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus), self, NULL);
  g_source_attach (self->bus_source, self->context);
}

/* A fresh, private, empty file for the recording. */
static char *
new_recording_file (MnVoiceNote *self,
                    GError     **error)
{
  g_autofree char *template = NULL;
  int fd;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO,
                   /* Translators: %s is a folder, then the system's reason. */
                   _("The folder for voice notes %s cannot be made (%s); tell staff."),
                   self->directory, g_strerror (saved));
      return NULL;
    }
  template = g_build_filename (self->directory, "voice-XXXXXX.ogg", NULL);
  fd = g_mkstemp_full (template, O_RDWR, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO,
                   _("The folder for voice notes %s cannot be made (%s); tell staff."),
                   self->directory, g_strerror (saved));
      return NULL;
    }
  close (fd);
  return g_steal_pointer (&template);
}

/* Sets the (READY) recording pipeline capturing. */
static gboolean
capture (MnVoiceNote *self,
         GError     **error)
{
  g_autoptr(GstBus) bus = gst_element_get_bus (self->pipeline);
  g_autofree char *detail = NULL;
  GstStateChangeReturn ret;

  ret = gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  detail = pop_bus_error (bus, 0);
  if (ret == GST_STATE_CHANGE_FAILURE || detail != NULL)
    {
      teardown (self);
      delete_file (&self->recording_path);
      set_no_microphone (error, detail != NULL ? detail : _("the microphone could not be opened"));
      return FALSE;
    }
  return TRUE;
}

/* The start beep is over (or could not be played): the microphone
 * opens. */
static void
begin_capture (MnVoiceNote *self)
{
  g_autoptr(GError) error = NULL;

  self->capture_pending = FALSE;
  if (self->pipeline == NULL || self->state != MN_VOICE_NOTE_STATE_RECORDING)
    return;
  if (!capture (self, &error))
    {
      set_elapsed_and_level (self, 0, 0);
      set_state (self, MN_VOICE_NOTE_STATE_EMPTY);
      fail (self, error);
    }
}

gboolean
mn_voice_note_start (MnVoiceNote *self,
                     GError     **error)
{
  g_autofree char *description = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) pad = NULL;
  GstElement *source, *convert, *resample, *filter, *queue, *encoder, *mux, *sink;
  GstStateChangeReturn ret;

  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == MN_VOICE_NOTE_STATE_RECORDING ||
      self->state == MN_VOICE_NOTE_STATE_FINISHING)
    {
      g_set_error_literal (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_BUSY,
                           _("A voice note is being recorded already."));
      return FALSE;
    }
  if (!ensure_gst (error))
    return FALSE;

  /* A new note replaces the old one. */
  mn_voice_note_discard (self);

  description = source_description_for (self);
  source = gst_parse_bin_from_description (description, TRUE, &local_error);
  if (source == NULL)
    {
      set_no_microphone (error, local_error->message);
      return FALSE;
    }

  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  queue = gst_element_factory_make ("queue", NULL);
  encoder = gst_element_factory_make ("opusenc", NULL);
  mux = gst_element_factory_make ("oggmux", NULL);
  sink = gst_element_factory_make ("filesink", NULL);
  if (convert == NULL || resample == NULL || filter == NULL || queue == NULL || encoder == NULL ||
      mux == NULL || sink == NULL)
    {
      GstElement *all[] = { source, convert, resample, filter, queue, encoder, mux, sink };

      for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
        if (all[i] != NULL)
          gst_object_unref (gst_object_ref_sink (all[i]));
      set_missing_plugin (error);
      return FALSE;
    }

  self->recording_path = new_recording_file (self, error);
  if (self->recording_path == NULL)
    {
      GstElement *all[] = { source, convert, resample, filter, queue, encoder, mux, sink };

      for (gsize i = 0; i < G_N_ELEMENTS (all); i++)
        gst_object_unref (gst_object_ref_sink (all[i]));
      return FALSE;
    }

  caps = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "rate", G_TYPE_INT,
                              RATE, "channels", G_TYPE_INT, 1, NULL);
  g_object_set (filter, "caps", caps, NULL);
  g_object_set (encoder, "bitrate", BITRATE, NULL);
  gst_util_set_object_arg (G_OBJECT (encoder), "audio-type", "voice");
  g_object_set (sink, "location", self->recording_path, "async", FALSE, NULL);

  self->pipeline = gst_pipeline_new ("minyin-voice-note");
  gst_bin_add_many (GST_BIN (self->pipeline), source, convert, resample, filter, queue, encoder,
                    mux, sink, NULL);
  if (!gst_element_link_many (source, convert, resample, filter, queue, encoder, mux, sink, NULL))
    {
      teardown (self);
      delete_file (&self->recording_path);
      set_no_microphone (error, _("the sound input gives no sound"));
      return FALSE;
    }

  g_mutex_lock (&self->lock);
  self->samples = 0;
  self->max_samples = (guint64) self->max_ms * RATE / 1000;
  self->last_level = 0;
  self->start_latency_us = 0;
  self->started_us = g_get_monotonic_time ();
  g_mutex_unlock (&self->lock);

  pad = gst_element_get_static_pad (filter, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_audio, self, NULL);

  /* The device is opened now (READY), so that a missing microphone is
   * said at once, but nothing is captured until the beep is over: the
   * resident hears when to speak, and the beep is not in the note. */
  bus = gst_element_get_bus (self->pipeline);
  ret = gst_element_set_state (self->pipeline, GST_STATE_READY);
  detail = pop_bus_error (bus, 0);
  if (ret == GST_STATE_CHANGE_FAILURE || detail != NULL)
    {
      teardown (self);
      delete_file (&self->recording_path);
      set_no_microphone (error, detail != NULL ? detail : _("the microphone could not be opened"));
      return FALSE;
    }
  if (auto_fell_back (source, "autoaudiosrc", "fakesrc"))
    {
      teardown (self);
      delete_file (&self->recording_path);
      set_no_microphone (error, _("no microphone was found"));
      return FALSE;
    }

  self->cue_end_latency_us = 0;
  if (play_cue (self, CUE_START_HZ, CUE_START_MS))
    self->capture_pending = TRUE;
  else if (!capture (self, error))
    return FALSE;

  watch_bus (self);
  self->tick = attach_timeout (self, TICK_MS, on_tick);
  /* Below the screen's redraw: on a busy terminal the seconds may show a
   * little late, but they never keep the screen from being drawn (the
   * limit itself is held on the streaming thread, see on_audio()). */
  g_source_set_priority (self->tick, G_PRIORITY_DEFAULT_IDLE);
  set_elapsed_and_level (self, 0, 0);
  set_state (self, MN_VOICE_NOTE_STATE_RECORDING);
  return TRUE;
}

void
mn_voice_note_stop (MnVoiceNote *self)
{
  g_return_if_fail (MN_IS_VOICE_NOTE (self));

  if (self->state == MN_VOICE_NOTE_STATE_PLAYING)
    {
      finish_playing (self);
      return;
    }
  if (self->state != MN_VOICE_NOTE_STATE_RECORDING)
    return;
  if (self->capture_pending)
    {
      /* Stopped during the beep: nothing was captured, nothing is kept. */
      finish_recording (self, TRUE);
      return;
    }

  /* End of stream from the source down: the encoder flushes and the muxer
   * writes the last page, so the file is a complete Ogg file. */
  set_state (self, MN_VOICE_NOTE_STATE_FINISHING);
  gst_element_send_event (self->pipeline, gst_event_new_eos ());
  self->finish_timeout = attach_timeout (self, FINISH_TIMEOUT_MS, on_finish_timeout);
}

/* ---- playback --------------------------------------------------------- */

gboolean
mn_voice_note_play (MnVoiceNote *self,
                    GError     **error)
{
  g_autofree char *description = NULL;
  g_autofree char *uri = NULL;
  g_autofree char *detail = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstBus) bus = NULL;
  GstElement *playbin, *sink;
  GstStateChangeReturn ret;

  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == MN_VOICE_NOTE_STATE_PLAYING)
    finish_playing (self);
  if (self->state != MN_VOICE_NOTE_STATE_RECORDED || self->path == NULL)
    {
      g_set_error_literal (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_BUSY,
                           _("There is no voice note to play yet."));
      return FALSE;
    }
  if (!ensure_gst (error))
    return FALSE;

  description = sink_description_for (self);
  sink = gst_parse_bin_from_description (description, TRUE, &local_error);
  if (sink == NULL)
    {
      set_no_output (error, local_error->message);
      return FALSE;
    }
  playbin = gst_element_factory_make ("playbin", "minyin-voice-note-playback");
  if (playbin == NULL)
    {
      gst_object_unref (gst_object_ref_sink (sink));
      set_missing_plugin (error);
      return FALSE;
    }
  uri = g_filename_to_uri (self->path, NULL, NULL);
  g_object_set (playbin, "uri", uri, "audio-sink", sink, NULL);
  gst_util_set_object_arg (G_OBJECT (playbin), "flags", "audio");
  self->pipeline = gst_object_ref_sink (playbin);

  bus = gst_element_get_bus (self->pipeline);
  ret = gst_element_set_state (self->pipeline, GST_STATE_PLAYING);
  detail = pop_bus_error (bus, 0);
  if (ret == GST_STATE_CHANGE_FAILURE || detail != NULL)
    {
      teardown (self);
      set_no_output (error, detail != NULL ? detail : _("the sound device could not be opened"));
      return FALSE;
    }
  if (auto_fell_back (sink, "autoaudiosink", "fakesink"))
    {
      teardown (self);
      set_no_output (error, _("no sound device was found"));
      return FALSE;
    }
  watch_bus (self);
  self->tick = attach_timeout (self, TICK_MS, on_tick);
  set_state (self, MN_VOICE_NOTE_STATE_PLAYING);
  return TRUE;
}

void
mn_voice_note_discard (MnVoiceNote *self)
{
  g_return_if_fail (MN_IS_VOICE_NOTE (self));

  teardown (self);
  delete_file (&self->recording_path);
  delete_file (&self->path);
  self->duration_ms = 0;
  set_elapsed_and_level (self, 0, 0);
  set_state (self, MN_VOICE_NOTE_STATE_EMPTY);
}

/* ---- probing the microphone ------------------------------------------- */

typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean heard;
} ProbeData;

static GstPadProbeReturn
on_probe_buffer (GstPad          *pad,
                 GstPadProbeInfo *info,
                 gpointer         user_data)
{
  ProbeData *data = user_data;

  g_mutex_lock (&data->lock);
  data->heard = TRUE;
  g_cond_signal (&data->cond);
  g_mutex_unlock (&data->lock);
  return GST_PAD_PROBE_OK;
}

static gboolean
probe_source (const char *description,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstPad) pad = NULL;
  g_autofree char *detail = NULL;
  GstElement *source, *sink;
  ProbeData data = { 0 };
  gulong probe_id;
  gint64 deadline;
  gboolean heard;

  if (!ensure_gst (error))
    return FALSE;
  source = gst_parse_bin_from_description (description, TRUE, &local_error);
  if (source == NULL)
    {
      set_no_microphone (error, local_error->message);
      return FALSE;
    }
  sink = gst_element_factory_make ("fakesink", NULL);
  pipeline = gst_object_ref_sink (gst_pipeline_new ("minyin-microphone-probe"));
  gst_bin_add_many (GST_BIN (pipeline), source, sink, NULL);
  if (!gst_element_link (source, sink))
    {
      set_no_microphone (error, _("the sound input gives no sound"));
      return FALSE;
    }
  g_mutex_init (&data.lock);
  g_cond_init (&data.cond);
  pad = gst_element_get_static_pad (sink, "sink");
  probe_id = gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_probe_buffer, &data, NULL);

  bus = gst_element_get_bus (pipeline);
  if (gst_element_set_state (pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    detail = pop_bus_error (bus, 0);
  if (detail == NULL && auto_fell_back (source, "autoaudiosrc", "fakesrc"))
    detail = g_strdup (_("no microphone was found"));

  /* Wait for the first sound, an error, or the time limit. */
  deadline = g_get_monotonic_time () + PROBE_TIMEOUT_US;
  g_mutex_lock (&data.lock);
  while (detail == NULL && !data.heard && g_get_monotonic_time () < deadline)
    {
      g_cond_wait_until (&data.cond, &data.lock, MIN (deadline, g_get_monotonic_time () + 50000));
      g_mutex_unlock (&data.lock);
      detail = pop_bus_error (bus, 0);
      g_mutex_lock (&data.lock);
    }
  heard = data.heard;
  g_mutex_unlock (&data.lock);

  gst_element_set_state (pipeline, GST_STATE_NULL);
  gst_pad_remove_probe (pad, probe_id);
  g_mutex_clear (&data.lock);
  g_cond_clear (&data.cond);

  if (detail == NULL && !heard)
    detail = g_strdup (_("no sound came from it within two seconds"));
  if (detail != NULL)
    {
      set_no_microphone (error, detail);
      return FALSE;
    }
  return TRUE;
}

static void
probe_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  GError *error = NULL;

  if (probe_source (task_data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
mn_voice_note_probe_async (MnVoiceNote        *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MN_IS_VOICE_NOTE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mn_voice_note_probe_async);
  g_task_set_task_data (task, source_description_for (self), g_free);
  g_task_run_in_thread (task, probe_thread);
}

gboolean
mn_voice_note_probe_finish (MnVoiceNote  *self,
                            GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- checking a file -------------------------------------------------- */

typedef struct
{
  GstElement *pipeline;
  GMutex      lock;
  guint64     samples;
  gboolean    has_audio;
  char       *mime;
} InspectData;

static GstPadProbeReturn
on_inspect_buffer (GstPad          *pad,
                   GstPadProbeInfo *info,
                   gpointer         user_data)
{
  InspectData *data = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);

  g_mutex_lock (&data->lock);
  data->samples += gst_buffer_get_size (buffer) / sizeof (gint16);
  g_mutex_unlock (&data->lock);
  return GST_PAD_PROBE_OK;
}

/* The name GStreamer's type finder gives the file, as a MIME type. */
static char *
mime_for_caps (GstCaps *caps)
{
  const char *name;

  if (caps == NULL || gst_caps_is_empty (caps))
    return g_strdup ("application/octet-stream");
  name = gst_structure_get_name (gst_caps_get_structure (caps, 0));
  if (g_str_equal (name, "application/ogg") || g_str_equal (name, "audio/ogg"))
    return g_strdup ("audio/ogg");
  if (g_str_equal (name, "audio/x-wav"))
    return g_strdup ("audio/wav");
  if (g_str_equal (name, "audio/x-flac"))
    return g_strdup ("audio/flac");
  if (g_str_equal (name, "application/x-id3") || g_str_equal (name, "audio/mpeg"))
    return g_strdup ("audio/mpeg");
  return g_strdup (name);
}

/* The file's type, by GStreamer's type finder on its own (decodebin
 * downstream of a typefind keeps it from reporting). */
static char *
find_mime (const char *path)
{
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  g_autoptr(GstCaps) caps = NULL;
  GstElement *source = gst_element_factory_make ("filesrc", NULL);
  GstElement *typefind = gst_element_factory_make ("typefind", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

  g_object_set (source, "location", path, NULL);
  gst_bin_add_many (GST_BIN (pipeline), source, typefind, sink, NULL);
  gst_element_link_many (source, typefind, sink, NULL);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  gst_element_get_state (pipeline, NULL, NULL, 5 * GST_SECOND);
  g_object_get (typefind, "caps", &caps, NULL);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return mime_for_caps (caps);
}

static void
on_decoded_pad (GstElement  *decodebin,
                GstPad      *pad,
                InspectData *data)
{
  g_autoptr(GstCaps) caps = gst_pad_query_caps (pad, NULL);
  g_autoptr(GstCaps) want = NULL;
  g_autoptr(GstPad) sinkpad = NULL;
  GstElement *convert, *resample, *filter, *sink;

  if (caps == NULL || gst_caps_is_empty (caps) ||
      !g_str_has_prefix (gst_structure_get_name (gst_caps_get_structure (caps, 0)), "audio/"))
    return;
  g_mutex_lock (&data->lock);
  if (data->has_audio)
    {
      /* One audio stream is counted; a second one is not a voice note's. */
      g_mutex_unlock (&data->lock);
      return;
    }
  data->has_audio = TRUE;
  g_mutex_unlock (&data->lock);

  convert = gst_element_factory_make ("audioconvert", NULL);
  resample = gst_element_factory_make ("audioresample", NULL);
  filter = gst_element_factory_make ("capsfilter", NULL);
  sink = gst_element_factory_make ("fakesink", NULL);
  want = gst_caps_new_simple ("audio/x-raw", "format", G_TYPE_STRING, "S16LE", "rate", G_TYPE_INT,
                              RATE, "channels", G_TYPE_INT, 1, NULL);
  g_object_set (filter, "caps", want, NULL);
  g_object_set (sink, "sync", FALSE, NULL);
  gst_bin_add_many (GST_BIN (data->pipeline), convert, resample, filter, sink, NULL);
  gst_element_link_many (convert, resample, filter, sink, NULL);
  sinkpad = gst_element_get_static_pad (sink, "sink");
  gst_pad_add_probe (sinkpad, GST_PAD_PROBE_TYPE_BUFFER, on_inspect_buffer, data, NULL);
  gst_element_sync_state_with_parent (sink);
  gst_element_sync_state_with_parent (filter);
  gst_element_sync_state_with_parent (resample);
  gst_element_sync_state_with_parent (convert);
  g_clear_object (&sinkpad);
  sinkpad = gst_element_get_static_pad (convert, "sink");
  gst_pad_link (pad, sinkpad);
}

static void
set_invalid (GError    **error,
             const char *path,
             const char *detail)
{
  g_autofree char *name = g_filename_display_name (path);

  g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID,
               /* Translators: the first %s is a file, the second the reason. */
               _("%s is not a sound recording that can be played (%s); give a voice note "
                 "recorded as Ogg, WAV, FLAC or MP3."),
               name, detail);
}

gboolean
mn_voice_note_inspect (const char *path,
                       guint      *out_duration_ms,
                       char      **out_mime,
                       GError    **error)
{
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) message = NULL;
  GstElement *source, *typefind, *decodebin;
  InspectData data = { 0 };
  GStatBuf st;
  gboolean ok = FALSE;
  guint ms;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      g_autofree char *name = g_filename_display_name (path);

      g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO,
                   /* Translators: %s is a file name. */
                   _("The voice note %s does not exist or cannot be read; check the name, or "
                     "record it again."),
                   name);
      return FALSE;
    }
  if (st.st_size > INSPECT_MAX_BYTES)
    {
      set_invalid (error, path, _("it is larger than 16 MB"));
      return FALSE;
    }
  if (st.st_size == 0)
    {
      set_invalid (error, path, _("it is empty"));
      return FALSE;
    }
  if (!ensure_gst (error))
    return FALSE;

  source = gst_element_factory_make ("filesrc", NULL);
  typefind = gst_element_factory_make ("typefind", NULL);
  decodebin = gst_element_factory_make ("decodebin", NULL);
  if (source == NULL || typefind == NULL || decodebin == NULL)
    {
      if (source != NULL)
        gst_object_unref (gst_object_ref_sink (source));
      if (typefind != NULL)
        gst_object_unref (gst_object_ref_sink (typefind));
      if (decodebin != NULL)
        gst_object_unref (gst_object_ref_sink (decodebin));
      set_missing_plugin (error);
      return FALSE;
    }
  g_mutex_init (&data.lock);
  data.pipeline = gst_object_ref_sink (gst_pipeline_new ("minyin-voice-note-check"));
  g_object_set (source, "location", path, NULL);
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decoded_pad), &data);
  gst_bin_add_many (GST_BIN (data.pipeline), source, typefind, decodebin, NULL);
  gst_element_link_many (source, typefind, decodebin, NULL);

  bus = gst_element_get_bus (data.pipeline);
  gst_element_set_state (data.pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, INSPECT_TIMEOUT_US * GST_USECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (data.pipeline, GST_STATE_NULL);
  data.mime = find_mime (path);

  ms = samples_to_ms (data.samples);
  if (message == NULL)
    set_invalid (error, path, _("it did not play to the end within 20 seconds"));
  else if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      set_invalid (error, path, gst_error->message);
    }
  else if (!data.has_audio || ms == 0)
    set_invalid (error, path, _("it holds no sound"));
  else if (ms > INSPECT_MAX_MS)
    set_invalid (error, path, _("it is longer than ten minutes"));
  else
    {
      ok = TRUE;
      if (out_duration_ms != NULL)
        *out_duration_ms = ms;
      if (out_mime != NULL)
        *out_mime = g_strdup (data.mime);
    }

  gst_object_unref (data.pipeline);
  g_free (data.mime);
  g_mutex_clear (&data.lock);
  return ok;
}

/* ---- the rest --------------------------------------------------------- */

void
mn_voice_note_sweep (const char *directory)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  g_return_if_fail (directory != NULL);

  dir = g_dir_open (directory, 0, NULL);
  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (directory, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not delete the leftover recording %s: %s", path, g_strerror (errno));
    }
}

char *
mn_voice_note_describe (guint duration_ms)
{
  guint seconds = MAX (1, (duration_ms + 500) / 1000);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       /* Translators: stands for the recorded voice note in
                                        * the request's text sent to the platform (which gets
                                        * the words, not the sound); %u is its length. */
                                       "(voice note, %u second, kept at the terminal)",
                                       "(voice note, %u seconds, kept at the terminal)", seconds),
                          seconds);
}

static void
mn_voice_note_dispose (GObject *object)
{
  MnVoiceNote *self = MN_VOICE_NOTE (object);

  /* An object that goes away takes its recording with it: nothing a
   * person said may stay on the disk by accident. */
  teardown (self);
  delete_file (&self->recording_path);
  delete_file (&self->path);

  G_OBJECT_CLASS (mn_voice_note_parent_class)->dispose (object);
}

static void
mn_voice_note_finalize (GObject *object)
{
  MnVoiceNote *self = MN_VOICE_NOTE (object);

  g_free (self->directory);
  g_free (self->source_description);
  g_free (self->sink_description);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (mn_voice_note_parent_class)->finalize (object);
}

static void
mn_voice_note_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  MnVoiceNote *self = MN_VOICE_NOTE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_ELAPSED_MS:
      g_value_set_uint (value, self->elapsed_ms);
      break;
    case PROP_LEVEL:
      g_value_set_double (value, self->level);
      break;
    case PROP_DURATION_MS:
      g_value_set_uint (value, self->duration_ms);
      break;
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_voice_note_class_init (MnVoiceNoteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = mn_voice_note_dispose;
  object_class->finalize = mn_voice_note_finalize;
  object_class->get_property = mn_voice_note_get_property;

  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, MN_TYPE_VOICE_NOTE_STATE,
                                              MN_VOICE_NOTE_STATE_EMPTY, flags);
  properties[PROP_ELAPSED_MS] = g_param_spec_uint ("elapsed-ms", NULL, NULL, 0, G_MAXUINT, 0,
                                                   flags);
  properties[PROP_LEVEL] = g_param_spec_double ("level", NULL, NULL, 0, 1, 0, flags);
  properties[PROP_DURATION_MS] = g_param_spec_uint ("duration-ms", NULL, NULL, 0, G_MAXUINT, 0,
                                                    flags);
  properties[PROP_PATH] = g_param_spec_string ("path", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
mn_voice_note_init (MnVoiceNote *self)
{
  g_mutex_init (&self->lock);
  self->max_ms = MN_VOICE_NOTE_MAX_MS;
  self->context = g_main_context_ref_thread_default ();
}

MnVoiceNote *
mn_voice_note_new (const char *directory)
{
  return mn_voice_note_new_full (directory, NULL, NULL);
}

MnVoiceNote *
mn_voice_note_new_full (const char *directory,
                        const char *source_description,
                        const char *sink_description)
{
  MnVoiceNote *self;

  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (MN_TYPE_VOICE_NOTE, NULL);
  self->directory = g_strdup (directory);
  self->source_description = g_strdup (source_description);
  self->sink_description = g_strdup (sink_description);
  return self;
}

void
mn_voice_note_set_source (MnVoiceNote *self,
                          const char  *source_description)
{
  g_return_if_fail (MN_IS_VOICE_NOTE (self));

  g_free (self->source_description);
  self->source_description = g_strdup (source_description);
}

void
mn_voice_note_set_max_ms (MnVoiceNote *self,
                          guint        max_ms)
{
  g_return_if_fail (MN_IS_VOICE_NOTE (self));

  self->max_ms = CLAMP (max_ms, 1, MN_VOICE_NOTE_MAX_MS);
}

guint
mn_voice_note_get_max_ms (MnVoiceNote *self)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), 0);

  return self->max_ms;
}

MnVoiceNoteState
mn_voice_note_get_state (MnVoiceNote *self)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), MN_VOICE_NOTE_STATE_EMPTY);

  return self->state;
}

const char *
mn_voice_note_get_path (MnVoiceNote *self)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), NULL);

  return self->path;
}

guint
mn_voice_note_get_duration_ms (MnVoiceNote *self)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), 0);

  return self->duration_ms;
}

guint
mn_voice_note_get_elapsed_ms (MnVoiceNote *self)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), 0);

  return self->elapsed_ms;
}

double
mn_voice_note_get_level (MnVoiceNote *self)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), 0);

  return self->level;
}

gint64
mn_voice_note_get_cue_end_latency_us (MnVoiceNote *self)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), 0);

  return self->cue_end_latency_us;
}

gint64
mn_voice_note_get_start_latency_us (MnVoiceNote *self)
{
  gint64 latency;

  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), 0);

  g_mutex_lock (&self->lock);
  latency = self->start_latency_us;
  g_mutex_unlock (&self->lock);
  return latency;
}
