/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>
#include <unistd.h>

#include "mn-vault.h"
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

/* A device that does not answer a state change within this (a hung USB
 * microphone, a sound server that stopped responding) is given up on: the
 * kiosk says so instead of waiting. Opening a working device takes a few
 * tens of milliseconds. */
#define DEVICE_TIMEOUT_MS 2500
/* The probe's own wait for sound is PROBE_TIMEOUT_US; its answer comes
 * within this even when its thread is stuck in the device. */
#define PROBE_ANSWER_TIMEOUT_MS 3000

/* What the recording has heard so far. Shared by the note and the pad
 * probe on the streaming thread (reference counted: a pipeline that is
 * being let go on its own thread may still run the probe after the note
 * has moved on, or is gone). */
typedef struct
{
  GMutex  lock;
  guint64 samples;
  guint64 max_samples;
  double  last_level;
  gint64  started_us;
  gint64  start_latency_us;
} Meter;

/* Where the recording goes: the Ogg pages that reach the appsink are
 * sealed as they come (app/mn-vault.h, the same "MNS1" format as a filed
 * attachment, bound to the recording's file name) and only the sealed
 * bytes are written, to the descriptor mkstemp gave. Shared by the note
 * and the appsink's callbacks on the streaming thread (reference counted,
 * like the Meter: a pipeline being let go may still deliver a page). */
typedef struct
{
  GMutex         lock;
  MnVaultSealer *sealer;      /* NULL once finished, or after a failed write */
  int            fd;
  gboolean       finished;    /* the last chunk, tagged final, is written */
  int            write_errno; /* a write failed: the recording is lost */
} Writer;

/* One pipeline and its owner. Every state change of a GStreamer pipeline
 * may wait on a device (NULL to READY opens it, READY to PAUSED sets it
 * up, anything to NULL joins the streaming threads, which may be stuck in
 * a read from a hung device), so none is made on the main loop. Each
 * pipeline has one thread that makes all of its state changes, in the
 * order they were asked (a GThreadPool of one), and reports each answer
 * on the note's main context. A device that hangs holds that thread only:
 * the note gives up on it after DEVICE_TIMEOUT_MS, and the pipeline is
 * set to NULL and freed by its thread whenever the device lets go. */
typedef struct _Lane Lane;

/* The errors a lane's pipeline posted during a state change, noted by a
 * sync handler on the thread that posts them. The lane's thread reads its
 * answer from here rather than by popping the bus: popping would discard
 * every other message, an end of stream among them, that the note's bus
 * watch is (or is about to start) waiting for. Reference counted: the
 * bus holds it as its handler's data. */
typedef struct
{
  GMutex lock;
  char  *first; /* since the last take; NULL: none */
} ErrorLog;

struct _Lane
{
  GstElement   *pipeline; /* the lane's thread's once a job is queued */
  GstBus       *bus;
  ErrorLog     *errors;
  GThreadPool  *pool;     /* the note's (main) thread only */
  GMainContext *context;
  GWeakRef      owner;    /* MnVoiceNote */
};

typedef void (*LaneDone) (MnVoiceNote *self,
                          Lane        *lane,
                          gboolean     ok,
                          const char  *detail);

typedef enum
{
  JOB_STATE,   /* gst_element_set_state (target), answer to done */
  JOB_EOS,     /* end of stream from the sources down */
  JOB_RELEASE, /* to NULL, then the pipeline is freed */
} JobKind;

typedef struct
{
  Lane       *lane;
  JobKind     kind;
  GstState    target;
  const char *auto_name; /* with fake_name: fails if autoaudio* fell back */
  const char *fake_name;
  LaneDone    done;
  gboolean    ok;
  char       *detail;
} Job;

/* Where a recording or a playback is; the public state says less
 * (RECORDING covers opening, the beep and capturing). */
typedef enum
{
  PHASE_IDLE,
  PHASE_OPENING,       /* the microphone is being opened (READY) */
  PHASE_CUE,           /* the start beep plays; the microphone waits in READY */
  PHASE_STARTING,      /* capture asked (PLAYING), not answered yet */
  PHASE_CAPTURING,
  PHASE_FINISHING,     /* end of stream sent; the file is being closed */
  PHASE_PLAY_STARTING, /* playback asked, not answered yet */
  PHASE_PLAYING,
} Phase;

struct _MnVoiceNote
{
  GObject           parent_instance;

  char             *directory;
  char             *source_description;
  char             *sink_description;
  GMainContext     *context;
  guint             max_ms;

  MnVoiceNoteState  state;
  Phase             phase;
  Lane             *lane;           /* the recording's or the playback's pipeline */
  Meter            *meter;          /* the last recording's */
  MnVault          *vault;          /* seals the recording as it comes; NULL: no recording */
  Writer           *writer;         /* the last recording's */
  GSource          *bus_source;
  GSource          *tick;
  GSource          *finish_timeout;
  GSource          *device_timeout; /* while a state change is waited for */
  gint64            capturing_since_us;
  gint64            playing_since_us;
  char             *recording_path; /* the file being written */
  char             *path;           /* the finished recording */
  guint             duration_ms;
  guint             elapsed_ms;
  double            level;

  /* The beep played through the sink before capturing starts (and after
   * it stops); the recording pipeline waits in READY meanwhile. */
  Lane             *cue;
  GSource          *cue_bus_source;
  GSource          *cue_timeout;
  gboolean          capture_pending;
  gint64            cue_end_latency_us;

  /* Probes answered by their time limit whose thread is still in the
   * device (it lets go whenever the device returns). */
  guint             stuck_probes;
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

static void
set_not_written (GError    **error,
                 const char *detail)
{
  g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO,
               /* Translators: %s is the system's reason. */
               _("The voice note could not be saved on the terminal (%s). Please choose "
                 "sentences instead, and tell staff."),
               detail);
}

static void
set_damaged (GError **error)
{
  g_set_error_literal (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID,
                       _("The voice note is damaged and cannot be played back. Delete it and "
                         "record it again."));
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

/* The first error already on @bus, as a sentence's detail, or NULL.
 * Pops (and so discards) every other message on it: only for a bus that
 * nothing else watches (the probe's). A lane's bus, which the note
 * watches for the end of the stream, keeps its messages (ErrorLog). */
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
set_no_answer (GError **error)
{
  g_set_error_literal (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE,
                       _("The microphone does not answer, so no voice note can be recorded. "
                         "Please choose sentences instead, or ask staff for help."));
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

/* ---- the recordings on the disk --------------------------------------- */

/* The recordings this process is writing or keeps until they are filed.
 * The sweep (on a thread of its own, mn_voice_note_sweep_async()) leaves
 * them alone: a session's sweep may still run when the next person
 * touches Record. The lock is held from creating a file to registering it
 * (and by a note deleting its own file), but the sweep holds it only to
 * look names up: it deletes outside it, so a slow or hung disk under the
 * sweep never makes Record or Delete wait on the main thread. A name the
 * sweep is about to delete is claimed (sweep_claims) while it does: a
 * recording that mkstemp happens to make under that very name (after the
 * leftover went) is not used, so the sweep can never delete a live one. */
static GMutex live_lock;
static GHashTable *live_paths;   /* char* */
static GHashTable *sweep_claims; /* char* → count of sweeps deleting it */

static void
delete_file (char **path)
{
  if (*path != NULL)
    {
      g_mutex_lock (&live_lock);
      if (g_unlink (*path) != 0 && errno != ENOENT)
        g_warning ("Could not delete the recording %s: %s", *path, g_strerror (errno));
      if (live_paths != NULL)
        g_hash_table_remove (live_paths, *path);
      g_mutex_unlock (&live_lock);
      g_clear_pointer (path, g_free);
    }
}

/* A fresh, private, empty file for the recording, and @out_fd open on it
 * for writing. The sealed pages go to that descriptor, never to the name: a pipeline that is still being let go on its thread can then
 * never make the file again after it was deleted (filesink would, since
 * it opens its file on the way to READY). */
static char *
new_recording_file (MnVoiceNote *self,
                    int         *out_fd,
                    GError     **error)
{
  g_autofree char *template = NULL;
  int fd, saved;

  if (g_mkdir_with_parents (self->directory, 0700) != 0)
    {
      saved = errno;
      g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO,
                   /* Translators: %s is a folder, then the system's reason. */
                   _("The folder for voice notes %s cannot be made (%s); tell staff."),
                   self->directory, g_strerror (saved));
      return NULL;
    }
  g_mutex_lock (&live_lock);
  for (guint attempt = 0;; attempt++)
    {
      g_free (template);
      template = g_build_filename (self->directory, "voice-XXXXXX.ogg.sealed", NULL);
      fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
      saved = errno;
      if (fd < 0 || sweep_claims == NULL || !g_hash_table_contains (sweep_claims, template))
        break;
      /* A sweep is deleting this name (a leftover that had it): it may
       * delete this new file too, so another name. A name claimed every
       * time is a failure (EEXIST), never a file a sweep may delete. */
      close (fd);
      g_unlink (template);
      fd = -1;
      saved = EEXIST;
      if (attempt >= 16)
        break;
    }
  if (fd >= 0)
    {
      if (live_paths == NULL)
        live_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_hash_table_add (live_paths, g_strdup (template));
    }
  g_mutex_unlock (&live_lock);
  if (fd < 0)
    {
      g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO,
                   _("The folder for voice notes %s cannot be made (%s); tell staff."),
                   self->directory, g_strerror (saved));
      return NULL;
    }
  *out_fd = fd;
  return g_steal_pointer (&template);
}

/* ---- the sealed writer ------------------------------------------------ */

static void
writer_clear (Writer *writer)
{
  mn_vault_sealer_free (writer->sealer);
  if (writer->fd >= 0)
    close (writer->fd);
  g_mutex_clear (&writer->lock);
}

static void
writer_release (gpointer writer)
{
  g_atomic_rc_box_release_full (writer, (GDestroyNotify) writer_clear);
}

/* With the lock held. */
static void
writer_write (Writer     *writer,
              GByteArray *out)
{
  gsize done = 0;

  while (done < out->len && writer->write_errno == 0)
    {
      gssize n = write (writer->fd, out->data + done, out->len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          writer->write_errno = n < 0 ? errno : EIO;
          g_clear_pointer (&writer->sealer, mn_vault_sealer_free);
          break;
        }
      done += (gsize) n;
    }
}

/* Takes @fd. The header is on the disk when this returns. */
static Writer *
writer_new (MnVault    *vault,
            int         fd,
            const char *path,
            GError    **error)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GError) local_error = NULL;
  Writer *writer = g_atomic_rc_box_new0 (Writer);

  g_mutex_init (&writer->lock);
  writer->fd = fd;
  /* Bound to the recording's own name: the filing job opens it under that
   * name and seals it again for its name under attachments/. */
  writer->sealer = mn_vault_sealer_new (vault, name, out, &local_error);
  if (writer->sealer != NULL)
    writer_write (writer, out);
  if (writer->sealer == NULL)
    {
      set_not_written (error, local_error != NULL ? local_error->message
                                                  : g_strerror (writer->write_errno));
      writer_release (writer);
      return NULL;
    }
  return writer;
}

/* On the streaming thread: an Ogg page (or a few) from the muxer. */
static GstFlowReturn
on_sealed_sample (GstAppSink *sink,
                  gpointer    user_data)
{
  Writer *writer = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  g_autoptr(GByteArray) out = NULL;
  GstBuffer *buffer = sample != NULL ? gst_sample_get_buffer (sample) : NULL;
  GstMapInfo map;
  gboolean failed;

  if (buffer == NULL || !gst_buffer_map (buffer, &map, GST_MAP_READ))
    return GST_FLOW_OK;
  out = g_byte_array_new ();
  g_mutex_lock (&writer->lock);
  if (writer->sealer != NULL)
    {
      mn_vault_sealer_push (writer->sealer, map.data, map.size, out);
      writer_write (writer, out);
    }
  failed = writer->write_errno != 0;
  g_mutex_unlock (&writer->lock);
  gst_buffer_unmap (buffer, &map);
  if (failed)
    {
      /* on_bus() tells this from a failing microphone by write_errno. */
      GST_ELEMENT_ERROR (sink, RESOURCE, WRITE, ("the recording could not be written"), (NULL));
      return GST_FLOW_ERROR;
    }
  return GST_FLOW_OK;
}

/* On the streaming thread, when every page has been taken (appsink calls
 * this before it lets the EOS message go to the bus, so the note finds
 * the stream finished when it hears of the end). */
static void
on_sealed_eos (GstAppSink *sink,
               gpointer    user_data)
{
  Writer *writer = user_data;
  g_autoptr(GByteArray) out = g_byte_array_new ();

  g_mutex_lock (&writer->lock);
  if (writer->sealer != NULL)
    {
      mn_vault_sealer_finish (writer->sealer, out);
      g_clear_pointer (&writer->sealer, mn_vault_sealer_free);
      writer_write (writer, out);
      writer->finished = writer->write_errno == 0;
    }
  g_mutex_unlock (&writer->lock);
}

/* Whether the recording is whole on the disk; else the errno of the
 * failed write (0 when it simply never ended). */
static gboolean
writer_finished (Writer *writer,
                 int    *out_errno)
{
  gboolean finished;

  if (writer == NULL)
    return FALSE;
  g_mutex_lock (&writer->lock);
  finished = writer->finished;
  *out_errno = writer->write_errno;
  g_mutex_unlock (&writer->lock);
  return finished;
}

/* ---- the meter -------------------------------------------------------- */

static void
meter_clear (Meter *meter)
{
  g_mutex_clear (&meter->lock);
}

static Meter *
meter_new (guint max_ms)
{
  Meter *meter = g_atomic_rc_box_new0 (Meter);

  g_mutex_init (&meter->lock);
  meter->max_samples = (guint64) max_ms * RATE / 1000;
  meter->started_us = g_get_monotonic_time ();
  return meter;
}

static void
meter_release (gpointer meter)
{
  g_atomic_rc_box_release_full (meter, (GDestroyNotify) meter_clear);
}

static guint64
meter_samples (Meter *meter,
               double *out_level)
{
  guint64 samples;

  if (meter == NULL)
    return 0;
  g_mutex_lock (&meter->lock);
  samples = meter->samples;
  if (out_level != NULL)
    *out_level = meter->last_level;
  g_mutex_unlock (&meter->lock);
  return samples;
}

/* ---- the lanes (one owner thread per pipeline) ------------------------ */

static void
error_log_clear (ErrorLog *log)
{
  g_free (log->first);
  g_mutex_clear (&log->lock);
}

static void
error_log_release (gpointer log)
{
  g_atomic_rc_box_release_full (log, (GDestroyNotify) error_log_clear);
}

/* The first error noted since the last take, or NULL; forgets it. */
static char *
error_log_take (ErrorLog *log)
{
  char *first;

  g_mutex_lock (&log->lock);
  first = g_steal_pointer (&log->first);
  g_mutex_unlock (&log->lock);
  return first;
}

/* On whichever thread posts @message: notes an error and lets every
 * message through to the bus's queue (and so to the note's watch). */
static GstBusSyncReply
on_bus_sync (GstBus     *bus,
             GstMessage *message,
             gpointer    user_data)
{
  ErrorLog *log = user_data;

  if (GST_MESSAGE_TYPE (message) == GST_MESSAGE_ERROR)
    {
      g_autoptr(GError) gst_error = NULL;

      gst_message_parse_error (message, &gst_error, NULL);
      g_mutex_lock (&log->lock);
      if (log->first == NULL)
        log->first = g_strdup (gst_error != NULL ? gst_error->message : "?");
      g_mutex_unlock (&log->lock);
    }
  return GST_BUS_PASS;
}

static void
lane_clear (Lane *lane)
{
  /* Released jobs have freed the pipeline already; one never run (a lane
   * made and dropped at once) is freed here. */
  g_clear_object (&lane->pipeline);
  g_clear_object (&lane->bus);
  g_clear_pointer (&lane->errors, error_log_release);
  g_weak_ref_clear (&lane->owner);
  g_main_context_unref (lane->context);
}

static void
lane_unref (Lane *lane)
{
  g_atomic_rc_box_release_full (lane, (GDestroyNotify) lane_clear);
}

static void
job_free (Job *job)
{
  lane_unref (job->lane);
  g_free (job->detail);
  g_free (job);
}

/* On the note's context: the answer goes to the note, if it is still
 * there (the callback itself tells a stale lane from its current one). */
static gboolean
job_deliver (gpointer user_data)
{
  Job *job = user_data;
  g_autoptr(MnVoiceNote) self = g_weak_ref_get (&job->lane->owner);

  if (self != NULL)
    job->done (self, job->lane, job->ok, job->detail);
  return G_SOURCE_REMOVE;
}

/* Runs @func on @context's thread. Not g_main_context_invoke(): from a
 * thread with no context of its own it may acquire the default context
 * and run @func right there, on the wrong thread. */
static void
send_to (GMainContext  *context,
         GSourceFunc    func,
         gpointer       data,
         GDestroyNotify notify)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, data, notify);
  g_source_attach (source, context);
  g_source_unref (source);
}

/* On the lane's thread: the only place the pipeline's state changes. */
static void
lane_run (gpointer data,
          gpointer user_data)
{
  Job *job = data;
  Lane *lane = job->lane;

  switch (job->kind)
    {
    case JOB_STATE:
      {
        GstStateChangeReturn ret;

        /* Errors from before this change were answered already (or are
         * the bus watch's); this change's are noted as they are posted,
         * and nothing is taken off the bus. */
        g_free (error_log_take (lane->errors));
        ret = gst_element_set_state (lane->pipeline, job->target);
        job->detail = error_log_take (lane->errors);
        job->ok = ret != GST_STATE_CHANGE_FAILURE && job->detail == NULL;
        if (job->ok && job->auto_name != NULL &&
            auto_fell_back (lane->pipeline, job->auto_name, job->fake_name))
          {
            job->ok = FALSE;
            job->detail = g_strdup (g_str_equal (job->fake_name, "fakesrc")
                                      ? _("no microphone was found")
                                      : _("no sound device was found"));
          }
      }
      break;
    case JOB_EOS:
      gst_element_send_event (lane->pipeline, gst_event_new_eos ());
      break;
    case JOB_RELEASE:
      /* Joins the streaming threads: after this no pad probe runs. */
      gst_element_set_state (lane->pipeline, GST_STATE_NULL);
      g_clear_object (&lane->pipeline);
      break;
    }
  if (job->done != NULL)
    send_to (lane->context, job_deliver, job, (GDestroyNotify) job_free);
  else
    job_free (job);
}

/* Takes @pipeline (floating or not). */
static Lane *
lane_new (MnVoiceNote *self,
          GstElement  *pipeline)
{
  Lane *lane = g_atomic_rc_box_new0 (Lane);

  lane->pipeline = gst_object_ref_sink (pipeline);
  lane->bus = gst_element_get_bus (lane->pipeline);
  lane->errors = g_atomic_rc_box_new0 (ErrorLog);
  g_mutex_init (&lane->errors->lock);
  gst_bus_set_sync_handler (lane->bus, on_bus_sync, g_atomic_rc_box_acquire (lane->errors),
                            error_log_release);
  lane->context = g_main_context_ref (self->context);
  g_weak_ref_init (&lane->owner, self);
  /* One thread at most, not exclusive: it comes from (and goes back to)
   * GLib's idle threads, and the jobs run one after the other. */
  lane->pool = g_thread_pool_new (lane_run, NULL, 1, FALSE, NULL);
  return lane;
}

static void
lane_push (Lane       *lane,
           JobKind     kind,
           GstState    target,
           const char *auto_name,
           const char *fake_name,
           LaneDone    done)
{
  Job *job = g_new0 (Job, 1);

  g_assert (lane->pool != NULL);
  job->lane = g_atomic_rc_box_acquire (lane);
  job->kind = kind;
  job->target = target;
  job->auto_name = auto_name;
  job->fake_name = fake_name;
  job->done = done;
  g_thread_pool_push (lane->pool, job, NULL);
}

/* Lets the lane's pipeline go: set to NULL and freed on its thread, after
 * whatever is still queued there; returns at once. */
static void
lane_release (Lane **lane)
{
  if (*lane == NULL)
    return;
  lane_push (*lane, JOB_RELEASE, GST_STATE_NULL, NULL, NULL, NULL);
  /* Neither waits nor drops the queue: the pool goes when its last job is
   * done. */
  g_thread_pool_free ((*lane)->pool, FALSE, FALSE);
  (*lane)->pool = NULL;
  g_clear_pointer (lane, lane_unref);
}

/* ---- sources on the note's context ------------------------------------ */

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

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

static void
stop_cue (MnVoiceNote *self)
{
  clear_source (&self->cue_bus_source);
  clear_source (&self->cue_timeout);
  lane_release (&self->cue);
}

static void
teardown (MnVoiceNote *self)
{
  stop_cue (self);
  self->capture_pending = FALSE;
  clear_source (&self->bus_source);
  clear_source (&self->tick);
  clear_source (&self->finish_timeout);
  clear_source (&self->device_timeout);
  lane_release (&self->lane);
  self->phase = PHASE_IDLE;
}

static void
fail (MnVoiceNote *self,
      GError      *error)
{
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

static guint
samples_to_ms (guint64 samples)
{
  return (guint) MIN (samples * 1000 / RATE, G_MAXUINT);
}

/* The recording could not be made: nothing is kept, and "failed" says
 * why. Takes @error. */
static void
abort_recording (MnVoiceNote *self,
                 GError      *error)
{
  teardown (self);
  delete_file (&self->recording_path);
  g_clear_pointer (&self->writer, writer_release);
  set_elapsed_and_level (self, 0, 0);
  set_state (self, MN_VOICE_NOTE_STATE_EMPTY);
  fail (self, error);
  g_error_free (error);
}

/* The playback could not go on: the note is still kept. Takes @error. */
static void
abort_playing (MnVoiceNote *self,
               GError      *error)
{
  teardown (self);
  set_elapsed_and_level (self, 0, 0);
  set_state (self, MN_VOICE_NOTE_STATE_RECORDED);
  fail (self, error);
  g_error_free (error);
}

/* A state change was asked of a device and no answer came. */
static gboolean
on_device_timeout (gpointer user_data)
{
  MnVoiceNote *self = user_data;
  GError *error = NULL;

  g_clear_pointer (&self->device_timeout, g_source_unref);
  g_message ("Voice note: the sound device did not answer within %d ms", DEVICE_TIMEOUT_MS);
  if (self->phase == PHASE_PLAY_STARTING)
    {
      set_no_output (&error, _("the sound device does not answer"));
      abort_playing (self, error);
    }
  else
    {
      set_no_answer (&error);
      abort_recording (self, error);
    }
  return G_SOURCE_REMOVE;
}

static void
arm_device_timeout (MnVoiceNote *self)
{
  clear_source (&self->device_timeout);
  self->device_timeout = attach_timeout (self, DEVICE_TIMEOUT_MS, on_device_timeout);
}

/* ---- cues ------------------------------------------------------------- */

static void begin_capture (MnVoiceNote *self);

/* The beep is over; @played is FALSE when the sink could not play it at
 * all (then there was no beep, and its end is not measured). */
static void
cue_done (MnVoiceNote *self,
          gboolean     played)
{
  stop_cue (self);
  if (self->capture_pending)
    {
      if (played)
        self->cue_end_latency_us = g_get_monotonic_time () - self->meter->started_us;
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
      g_clear_pointer (&self->cue_bus_source, g_source_unref);
      cue_done (self, TRUE);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gst_error = NULL;

        gst_message_parse_error (message, &gst_error, NULL);
        g_message ("Voice note: the beep could not be played (%s)", gst_error->message);
        g_clear_pointer (&self->cue_bus_source, g_source_unref);
        cue_done (self, TRUE);
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

  g_clear_pointer (&self->cue_timeout, g_source_unref);
  g_message ("Voice note: the sound output did not finish the beep within %d ms",
             CUE_TIMEOUT_MS);
  cue_done (self, TRUE);
  return G_SOURCE_REMOVE;
}

/* The sink's answer to PLAYING. */
static void
on_cue_started (MnVoiceNote *self,
                Lane        *lane,
                gboolean     ok,
                const char  *detail)
{
  if (lane != self->cue)
    return;
  if (!ok)
    {
      /* No beep: the microphone opens at once. */
      g_message ("Voice note: no beep, the sound output failed (%s)",
                 detail != NULL ? detail : "state change");
      cue_done (self, FALSE);
      return;
    }
  self->cue_bus_source = gst_bus_create_watch (lane->bus);
  g_source_set_callback (self->cue_bus_source, G_SOURCE_FUNC (on_cue_bus), self, NULL);
  g_source_attach (self->cue_bus_source, self->context);
}

/* Plays a beep of @hz for @ms through the speech sink; returns at once.
 * FALSE when the sink cannot even be made (then there is no beep, and
 * nothing waits for one). One that fails or hangs on its thread ends the
 * beep early (on_cue_started(), CUE_TIMEOUT_MS). */
static gboolean
play_cue (MnVoiceNote *self,
          guint        hz,
          guint        ms)
{
  g_autofree char *tone_description = NULL;
  g_autofree char *sink_description = NULL;
  GstElement *tone, *sink, *pipeline;

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
  pipeline = gst_pipeline_new ("minyin-voice-note-cue");
  gst_bin_add_many (GST_BIN (pipeline), tone, sink, NULL);
  if (!gst_element_link (tone, sink))
    {
      gst_object_unref (gst_object_ref_sink (pipeline));
      return FALSE;
    }
  self->cue = lane_new (self, pipeline);
  lane_push (self->cue, JOB_STATE, GST_STATE_PLAYING, NULL, NULL, on_cue_started);
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
  Meter *meter = user_data;
  GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
  GstMapInfo map;
  double sum = 0;
  gsize n;

  g_mutex_lock (&meter->lock);
  if (meter->samples >= meter->max_samples)
    {
      g_mutex_unlock (&meter->lock);
      return GST_PAD_PROBE_DROP;
    }
  g_mutex_unlock (&meter->lock);

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

  g_mutex_lock (&meter->lock);
  if (meter->samples == 0 && n > 0)
    meter->start_latency_us = g_get_monotonic_time () - meter->started_us;
  meter->samples += n;
  if (n > 0)
    {
      /* Loudness in dB below full scale, -60..0 dB shown as 0..1: quiet
       * speech at arm's length is around -35 dB. */
      double rms = sqrt (sum / n) / 32768.0;
      double db = rms > 0 ? 20 * log10 (rms) : -100;

      meter->last_level = CLAMP ((db + 60) / 60, 0, 1);
    }
  g_mutex_unlock (&meter->lock);
  return GST_PAD_PROBE_OK;
}

static gboolean
on_tick (gpointer user_data)
{
  MnVoiceNote *self = user_data;
  guint64 samples;
  double level = 0;

  if (self->state == MN_VOICE_NOTE_STATE_PLAYING)
    {
      /* The position by the clock on the wall, not by asking the
       * pipeline: a query may wait on the sound device too. */
      if (self->phase == PHASE_PLAYING)
        set_elapsed_and_level (self,
                               MIN (self->duration_ms,
                                    (guint) ((g_get_monotonic_time () - self->playing_since_us) /
                                             1000)),
                               0);
      return G_SOURCE_CONTINUE;
    }

  samples = meter_samples (self->meter, &level);
  set_elapsed_and_level (self, samples_to_ms (samples), level);
  if (self->phase == PHASE_CAPTURING && samples == 0 &&
      g_get_monotonic_time () - self->capturing_since_us > DEVICE_TIMEOUT_MS * G_TIME_SPAN_MILLISECOND)
    {
      GError *error = NULL;

      /* Capturing, but not one sample came: the device hangs in its
       * read. */
      g_message ("Voice note: no sound came within %d ms of capturing", DEVICE_TIMEOUT_MS);
      set_no_answer (&error);
      abort_recording (self, error);
      return G_SOURCE_REMOVE;
    }
  if (self->state == MN_VOICE_NOTE_STATE_RECORDING && samples >= self->meter->max_samples)
    {
      /* The limit: the note stops by itself, as if Stop was touched. */
      mn_voice_note_stop (self);
    }
  return G_SOURCE_CONTINUE;
}

/* The recording is over (EOS, or the time to close it ran out). */
static void
finish_recording (MnVoiceNote *self,
                  gboolean     closed)
{
  int write_errno = 0;
  guint ms;

  teardown (self);
  if (self->meter != NULL)
    {
      g_mutex_lock (&self->meter->lock);
      self->meter->last_level = 0;
      g_mutex_unlock (&self->meter->lock);
    }
  ms = samples_to_ms (meter_samples (self->meter, NULL));
  set_elapsed_and_level (self, ms, 0);

  if (closed && ms >= MN_VOICE_NOTE_MIN_MS && !writer_finished (self->writer, &write_errno))
    {
      GError *error = NULL;

      /* The sealed stream has no final chunk: it would never open. */
      if (write_errno != 0)
        set_not_written (&error, g_strerror (write_errno));
      else
        set_no_microphone (&error, _("the recording could not be finished"));
      abort_recording (self, error);
      return;
    }
  if (!closed || ms < MN_VOICE_NOTE_MIN_MS)
    {
      GError *error = NULL;

      if (!closed)
        set_no_microphone (&error, _("the recording could not be finished"));
      else
        g_set_error_literal (&error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID,
                             _("Nothing was heard. Touch Record, speak, then touch Stop."));
      abort_recording (self, error);
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
        g_autofree char *debug = NULL;
        GError *error = NULL;

        gst_message_parse_error (message, &gst_error, &debug);
        g_message ("Voice note: %s (%s)", gst_error->message, debug != NULL ? debug : "");
        if (self->state == MN_VOICE_NOTE_STATE_PLAYING)
          {
            set_no_output (&error, gst_error->message);
            abort_playing (self, error);
          }
        else
          {
            int write_errno = 0;

            writer_finished (self->writer, &write_errno);
            if (write_errno != 0)
              set_not_written (&error, g_strerror (write_errno));
            else
              set_no_microphone (&error, gst_error->message);
            abort_recording (self, error);
          }
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
  clear_source (&self->bus_source);
  self->bus_source = gst_bus_create_watch (self->lane->bus);
  g_source_set_callback (self->bus_source, G_SOURCE_FUNC (on_bus), self, NULL);
  g_source_attach (self->bus_source, self->context);
}

/* The microphone's answer to PLAYING. */
static void
on_capturing (MnVoiceNote *self,
              Lane        *lane,
              gboolean     ok,
              const char  *detail)
{
  GError *error = NULL;

  if (lane != self->lane || self->phase != PHASE_STARTING)
    return;
  clear_source (&self->device_timeout);
  if (!ok)
    {
      set_no_microphone (&error, detail != NULL ? detail
                                                : _("the microphone could not be opened"));
      abort_recording (self, error);
      return;
    }
  self->phase = PHASE_CAPTURING;
  self->capturing_since_us = g_get_monotonic_time ();
}

/* The start beep is over (or could not be played): the microphone
 * starts capturing. */
static void
begin_capture (MnVoiceNote *self)
{
  self->capture_pending = FALSE;
  if (self->lane == NULL || self->phase != PHASE_CUE)
    return;
  self->phase = PHASE_STARTING;
  lane_push (self->lane, JOB_STATE, GST_STATE_PLAYING, NULL, NULL, on_capturing);
  arm_device_timeout (self);
}

/* The microphone's answer to READY (opened). */
static void
on_opened (MnVoiceNote *self,
           Lane        *lane,
           gboolean     ok,
           const char  *detail)
{
  GError *error = NULL;

  if (lane != self->lane || self->phase != PHASE_OPENING)
    return;
  clear_source (&self->device_timeout);
  if (!ok)
    {
      set_no_microphone (&error, detail != NULL ? detail
                                                : _("the microphone could not be opened"));
      abort_recording (self, error);
      return;
    }
  watch_bus (self);
  /* The device is open, so that a missing microphone was said before
   * any beep; nothing is captured until the beep is over: the resident
   * hears when to speak, and the beep is not in the note. */
  self->phase = PHASE_CUE;
  self->cue_end_latency_us = 0;
  if (play_cue (self, CUE_START_HZ, CUE_START_MS))
    self->capture_pending = TRUE;
  else
    begin_capture (self);
}

gboolean
mn_voice_note_start (MnVoiceNote *self,
                     GError     **error)
{
  g_autofree char *description = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autoptr(GstPad) pad = NULL;
  GstElement *source, *convert, *resample, *filter, *queue, *encoder, *mux, *sink, *pipeline;
  int fd = -1;

  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->state == MN_VOICE_NOTE_STATE_RECORDING ||
      self->state == MN_VOICE_NOTE_STATE_FINISHING)
    {
      g_set_error_literal (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_BUSY,
                           _("A voice note is being recorded already."));
      return FALSE;
    }
  if (self->vault == NULL)
    {
      /* Without the key the recording would lie on the disk in clear. */
      set_not_written (error, _("the device key is not open"));
      return FALSE;
    }
  if (!ensure_gst (error))
    return FALSE;

  /* A new note replaces the old one. */
  mn_voice_note_discard (self);

  /* Making the elements opens nothing: autoaudiosrc picks its device,
   * and alsasrc opens it, only on the way to READY, on the lane. */
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
  sink = gst_element_factory_make ("appsink", NULL);
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

  self->recording_path = new_recording_file (self, &fd, error);
  if (self->recording_path != NULL)
    {
      self->writer = writer_new (self->vault, fd, self->recording_path, error);
      if (self->writer == NULL)
        delete_file (&self->recording_path);
    }
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
  /* Pages are sealed as they come (on_sealed_sample()), never written in
   * clear; not synchronised to the clock, and no preroll to wait for. */
  {
    GstAppSinkCallbacks callbacks = {
      .eos = on_sealed_eos,
      .new_sample = on_sealed_sample,
    };

    g_object_set (sink, "sync", FALSE, "async", FALSE, NULL);
    gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks,
                                g_atomic_rc_box_acquire (self->writer), writer_release);
  }

  pipeline = gst_object_ref_sink (gst_pipeline_new ("minyin-voice-note"));
  gst_bin_add_many (GST_BIN (pipeline), source, convert, resample, filter, queue, encoder,
                    mux, sink, NULL);
  if (!gst_element_link_many (source, convert, resample, filter, queue, encoder, mux, sink, NULL))
    {
      gst_object_unref (pipeline);
      delete_file (&self->recording_path);
      g_clear_pointer (&self->writer, writer_release);
      set_no_microphone (error, _("the sound input gives no sound"));
      return FALSE;
    }

  g_clear_pointer (&self->meter, meter_release);
  self->meter = meter_new (self->max_ms);
  pad = gst_element_get_static_pad (filter, "src");
  gst_pad_add_probe (pad, GST_PAD_PROBE_TYPE_BUFFER, on_audio,
                     g_atomic_rc_box_acquire (self->meter), meter_release);

  self->lane = lane_new (self, pipeline);
  gst_object_unref (pipeline);
  self->phase = PHASE_OPENING;
  lane_push (self->lane, JOB_STATE, GST_STATE_READY, "autoaudiosrc", "fakesrc", on_opened);
  arm_device_timeout (self);

  self->tick = attach_timeout (self, TICK_MS, on_tick);
  /* Below the screen's redraw: on a busy terminal the seconds may show a
   * little late, but they never keep the screen from being drawn (the
   * limit itself is held on the streaming thread, see on_audio()). */
  g_source_set_priority (self->tick, G_PRIORITY_DEFAULT_IDLE);
  set_elapsed_and_level (self, 0, 0);
  /* RECORDING from the touch: the screen shows it at once, while the
   * microphone opens and the beep plays. */
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
  if (self->phase == PHASE_OPENING || self->phase == PHASE_CUE)
    {
      /* Stopped before the microphone was capturing: nothing was heard,
       * nothing is kept. */
      finish_recording (self, TRUE);
      return;
    }

  /* End of stream from the source down: the encoder flushes, the muxer
   * gives the last page and the appsink's end seals the last chunk, so the
   * file is a complete sealed Ogg file. Sent on the
   * lane, after the PLAYING it may still be waiting for. */
  clear_source (&self->device_timeout);
  self->phase = PHASE_FINISHING;
  set_state (self, MN_VOICE_NOTE_STATE_FINISHING);
  lane_push (self->lane, JOB_EOS, GST_STATE_VOID_PENDING, NULL, NULL, NULL);
  self->finish_timeout = attach_timeout (self, FINISH_TIMEOUT_MS, on_finish_timeout);
}

/* ---- playback --------------------------------------------------------- */

/* The sound output's answer to PLAYING. */
static void
on_play_started (MnVoiceNote *self,
                 Lane        *lane,
                 gboolean     ok,
                 const char  *detail)
{
  GError *error = NULL;

  if (lane != self->lane || self->phase != PHASE_PLAY_STARTING)
    return;
  clear_source (&self->device_timeout);
  if (!ok)
    {
      set_no_output (&error, detail != NULL ? detail
                                            : _("the sound device could not be opened"));
      abort_playing (self, error);
      return;
    }
  watch_bus (self);
  self->phase = PHASE_PLAYING;
  self->playing_since_us = g_get_monotonic_time ();
}

/* Opens the sealed recording @path into memory (wiped when freed). */
static GBytes *
open_recording (MnVault    *vault,
                const char *path,
                GError    **error)
{
  g_autofree char *contents = NULL;
  g_autofree char *name = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) local_error = NULL;
  GBytes *plain;
  gsize length = 0;

  if (vault == NULL)
    {
      set_not_written (error, _("the device key is not open"));
      return NULL;
    }
  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      g_set_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO,
                   /* Translators: %s is the system's reason. */
                   _("The voice note cannot be read (%s). Delete it and record it again."),
                   local_error->message);
      return NULL;
    }
  sealed = g_bytes_new_take (g_steal_pointer (&contents), length);
  name = g_path_get_basename (path);
  plain = mn_vault_unseal_file_contents (vault, sealed, name, &local_error);
  if (plain == NULL)
    {
      g_message ("Voice note %s: %s", path, local_error->message);
      set_damaged (error);
    }
  return plain;
}

GBytes *
mn_voice_note_read (MnVoiceNote *self,
                    GError     **error)
{
  g_return_val_if_fail (MN_IS_VOICE_NOTE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (self->path == NULL)
    {
      g_set_error_literal (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_BUSY,
                           _("There is no voice note to play yet."));
      return NULL;
    }
  return open_recording (self->vault, self->path, error);
}

static void
unref_bytes (gpointer  data,
             GClosure *closure)
{
  g_bytes_unref (data);
}

/* On a streaming thread, the first time @source wants data: the whole
 * sound goes in at once, from memory, then the end. The buffer holds the
 * GBytes (wiped when freed), so the plain sound is wiped when the
 * pipeline lets it go. */
static void
on_need_data (GstElement *source,
              guint       length_hint,
              gpointer    user_data)
{
  GBytes *plain = user_data;
  gsize length = g_bytes_get_size (plain);
  GstFlowReturn ret;

  if (g_object_get_data (G_OBJECT (source), "minyin-fed") != NULL)
    return;
  g_object_set_data (G_OBJECT (source), "minyin-fed", GINT_TO_POINTER (TRUE));
  if (length > 0)
    {
      GstBuffer *buffer =
        gst_buffer_new_wrapped_full (GST_MEMORY_FLAG_READONLY,
                                     (gpointer) g_bytes_get_data (plain, NULL), length, 0,
                                     length, g_bytes_ref (plain), (GDestroyNotify) g_bytes_unref);

      g_signal_emit_by_name (source, "push-buffer", buffer, &ret);
      gst_buffer_unref (buffer);
    }
  g_signal_emit_by_name (source, "end-of-stream", &ret);
}

/* Makes @source (an appsrc) give @plain when it starts. */
static void
feed_from_memory (GstElement *source,
                  GBytes     *plain)
{
  g_object_set (source, "size", (gint64) g_bytes_get_size (plain), "format", GST_FORMAT_BYTES,
                NULL);
  g_signal_connect_data (source, "need-data", G_CALLBACK (on_need_data), g_bytes_ref (plain),
                         unref_bytes, 0);
}

/* On the lane's thread, as playbin makes its "appsrc://" source. */
static void
on_source_setup (GstElement *playbin,
                 GstElement *source,
                 gpointer    user_data)
{
  feed_from_memory (source, user_data);
}

gboolean
mn_voice_note_play (MnVoiceNote *self,
                    GError     **error)
{
  g_autofree char *description = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) plain = NULL;
  GstElement *playbin, *sink;

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
  /* Played from memory: the sealed file is opened here (a few hundred
   * KB, a millisecond), never written anywhere in clear. */
  plain = open_recording (self->vault, self->path, error);
  if (plain == NULL)
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
  g_object_set (playbin, "uri", "appsrc://", "audio-sink", sink, NULL);
  g_signal_connect_data (playbin, "source-setup", G_CALLBACK (on_source_setup),
                         g_steal_pointer (&plain), unref_bytes, 0);
  gst_util_set_object_arg (G_OBJECT (playbin), "flags", "audio");

  /* A stop beep still playing gives way to the note. */
  stop_cue (self);
  self->lane = lane_new (self, playbin);
  self->phase = PHASE_PLAY_STARTING;
  lane_push (self->lane, JOB_STATE, GST_STATE_PLAYING, "autoaudiosink", "fakesink",
             on_play_started);
  arm_device_timeout (self);
  self->tick = attach_timeout (self, TICK_MS, on_tick);
  set_elapsed_and_level (self, 0, 0);
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
  g_clear_pointer (&self->writer, writer_release);
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

/* On the probe's thread, which owns the pipeline. May block as long as
 * the device does; the caller's answer does not wait for it
 * (PROBE_ANSWER_TIMEOUT_MS). */
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

  /* The device is let go before the answer: Record touched meanwhile
   * opens it next (an ALSA device opens once). */
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

/* One probe: its task is answered once, on the caller's context, by the
 * probe's thread or by the time limit, whichever comes first. */
typedef struct
{
  GTask   *task;  /* the caller's context only; NULL once answered */
  GMainContext *context;
  GSource *timeout;
  GWeakRef owner; /* MnVoiceNote */
  gboolean stuck; /* answered by the time limit, counted in the owner's stuck_probes */
  char    *description;
  gboolean ok;
  GError  *error;
} Probe;

static void
probe_clear (Probe *probe)
{
  /* Answered, unless its context went away without running again. */
  g_clear_object (&probe->task);
  g_free (probe->description);
  g_clear_error (&probe->error);
  g_weak_ref_clear (&probe->owner);
  g_main_context_unref (probe->context);
}

static void
probe_unref (Probe *probe)
{
  g_atomic_rc_box_release_full (probe, (GDestroyNotify) probe_clear);
}

static void
probe_answer (Probe    *probe,
              gboolean  ok,
              GError   *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&probe->task);

  if (task == NULL)
    return;
  clear_source (&probe->timeout);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
on_probe_done (gpointer user_data)
{
  Probe *probe = user_data;

  if (probe->stuck)
    {
      g_autoptr(MnVoiceNote) owner = g_weak_ref_get (&probe->owner);

      /* The device returned and the probe has let go of it. */
      if (owner != NULL)
        owner->stuck_probes--;
    }
  probe_answer (probe, probe->ok, probe->error != NULL ? g_error_copy (probe->error) : NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_probe_timeout (gpointer user_data)
{
  Probe *probe = user_data;
  GError *error = NULL;
  g_autoptr(MnVoiceNote) owner = g_weak_ref_get (&probe->owner);

  g_message ("Voice note: the microphone probe got no answer within %d ms",
             PROBE_ANSWER_TIMEOUT_MS);
  /* Its thread still holds the device: until it lets go, this note's
   * next probe answers the same at once (on_probe_done() counts it off). */
  probe->stuck = TRUE;
  if (owner != NULL)
    owner->stuck_probes++;
  set_no_answer (&error);
  g_clear_pointer (&probe->timeout, g_source_unref);
  probe_answer (probe, FALSE, error);
  return G_SOURCE_REMOVE;
}

static gpointer
probe_thread (gpointer user_data)
{
  Probe *probe = user_data;

  probe->ok = probe_source (probe->description, &probe->error);
  g_assert (probe->ok == (probe->error == NULL));
  send_to (probe->context, on_probe_done, probe, (GDestroyNotify) probe_unref);
  return NULL;
}

void
mn_voice_note_probe_async (MnVoiceNote        *self,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  Probe *probe;
  GThread *thread;

  g_return_if_fail (MN_IS_VOICE_NOTE (self));

  if (self->stuck_probes > 0)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
      GError *error = NULL;

      /* An earlier probe is still stuck in the device: another would only
       * get stuck behind it (and an ALSA device opens once). */
      g_task_set_source_tag (task, mn_voice_note_probe_async);
      g_message ("Voice note: an earlier microphone probe still waits for the device");
      set_no_answer (&error);
      g_task_return_error (task, error);
      return;
    }
  probe = g_atomic_rc_box_new0 (Probe);
  probe->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (probe->task, mn_voice_note_probe_async);
  g_weak_ref_init (&probe->owner, self);
  probe->description = source_description_for (self);
  probe->context = g_main_context_ref (g_task_get_context (probe->task));
  probe->timeout = g_timeout_source_new (PROBE_ANSWER_TIMEOUT_MS);
  g_source_set_callback (probe->timeout, on_probe_timeout, g_atomic_rc_box_acquire (probe),
                         (GDestroyNotify) probe_unref);
  g_source_attach (probe->timeout, probe->context);
  /* A thread of its own, not GTask's pool: a probe stuck in a hung device
   * must not hold a thread that other work waits for. */
  thread = g_thread_new ("minyin-mic-probe", probe_thread, g_atomic_rc_box_acquire (probe));
  g_thread_unref (thread);
  probe_unref (probe);
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
/* A source of the file @path, or of @plain in memory. */
static GstElement *
make_source (const char *path,
             GBytes     *plain)
{
  GstElement *source;

  if (plain != NULL)
    {
      source = gst_element_factory_make ("appsrc", NULL);
      if (source != NULL)
        feed_from_memory (source, plain);
      return source;
    }
  source = gst_element_factory_make ("filesrc", NULL);
  if (source != NULL)
    g_object_set (source, "location", path, NULL);
  return source;
}

static char *
find_mime (const char *path,
           GBytes     *plain)
{
  g_autoptr(GstElement) pipeline = gst_object_ref_sink (gst_pipeline_new (NULL));
  g_autoptr(GstCaps) caps = NULL;
  GstElement *source = make_source (path, plain);
  GstElement *typefind = gst_element_factory_make ("typefind", NULL);
  GstElement *sink = gst_element_factory_make ("fakesink", NULL);

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

static gboolean inspect (const char *path,
                         GBytes     *plain,
                         guint      *out_duration_ms,
                         char      **out_mime,
                         GError    **error);

gboolean
mn_voice_note_inspect (const char *path,
                       guint      *out_duration_ms,
                       char      **out_mime,
                       GError    **error)
{
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return inspect (path, NULL, out_duration_ms, out_mime, error);
}

gboolean
mn_voice_note_inspect_bytes (GBytes     *sound,
                             guint      *out_duration_ms,
                             char      **out_mime,
                             GError    **error)
{
  g_return_val_if_fail (sound != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Translators: stands for a voice note held in memory where a file name
   * would be, in "... is not a sound recording that can be played". */
  return inspect (_("The voice note"), sound, out_duration_ms, out_mime, error);
}

/* @path names the file, or (with @plain) stands for the sound in memory. */
static gboolean
inspect (const char *path,
         GBytes     *plain,
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

  if (plain != NULL)
    {
      st.st_mode = S_IFREG;
      st.st_size = (off_t) g_bytes_get_size (plain);
    }
  else if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
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

  source = make_source (path, plain);
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
  g_signal_connect (decodebin, "pad-added", G_CALLBACK (on_decoded_pad), &data);
  gst_bin_add_many (GST_BIN (data.pipeline), source, typefind, decodebin, NULL);
  gst_element_link_many (source, typefind, decodebin, NULL);

  bus = gst_element_get_bus (data.pipeline);
  gst_element_set_state (data.pipeline, GST_STATE_PLAYING);
  message = gst_bus_timed_pop_filtered (bus, INSPECT_TIMEOUT_US * GST_USECOND,
                                        GST_MESSAGE_EOS | GST_MESSAGE_ERROR);
  gst_element_set_state (data.pipeline, GST_STATE_NULL);
  data.mime = find_mime (path, plain);

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

/* With live_lock held: @path is being deleted by one more (+1) or one
 * fewer (-1) sweep; two sweeps may run at once. */
static void
sweep_claim (const char *path,
             int         delta)
{
  guint n;

  if (sweep_claims == NULL)
    sweep_claims = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  n = GPOINTER_TO_UINT (g_hash_table_lookup (sweep_claims, path));
  if (delta > 0)
    g_hash_table_insert (sweep_claims, g_strdup (path), GUINT_TO_POINTER (n + 1));
  else if (n > 1)
    g_hash_table_insert (sweep_claims, g_strdup (path), GUINT_TO_POINTER (n - 1));
  else
    g_hash_table_remove (sweep_claims, path);
}

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
      gboolean live;

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      /* A recording of this process (being made, or kept until filed)
       * stays; everything else is a leftover. Only the look-up and the
       * claim are under the lock; the deletion is not (see live_lock). */
      g_mutex_lock (&live_lock);
      live = live_paths != NULL && g_hash_table_contains (live_paths, path);
      if (!live)
        sweep_claim (path, +1);
      g_mutex_unlock (&live_lock);
      if (live)
        continue;
      if (g_unlink (path) != 0 && errno != ENOENT)
        g_warning ("Could not delete the leftover recording %s: %s", path, g_strerror (errno));
      g_mutex_lock (&live_lock);
      sweep_claim (path, -1);
      g_mutex_unlock (&live_lock);
    }
}

static void
sweep_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  mn_voice_note_sweep (task_data);
  g_task_return_boolean (task, TRUE);
}

void
mn_voice_note_sweep_async (const char         *directory,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (directory != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mn_voice_note_sweep_async);
  g_task_set_task_data (task, g_strdup (directory), g_free);
  g_task_run_in_thread (task, sweep_thread);
}

gboolean
mn_voice_note_sweep_finish (GAsyncResult *result,
                            GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
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
  g_clear_pointer (&self->meter, meter_release);
  g_clear_pointer (&self->writer, writer_release);
  g_clear_pointer (&self->vault, mn_vault_free);

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
mn_voice_note_set_vault (MnVoiceNote *self,
                         MnVault     *vault)
{
  g_return_if_fail (MN_IS_VOICE_NOTE (self));

  if (vault != NULL)
    mn_vault_ref (vault);
  g_clear_pointer (&self->vault, mn_vault_free);
  self->vault = vault;
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

  if (self->meter == NULL)
    return 0;
  g_mutex_lock (&self->meter->lock);
  latency = self->meter->start_latency_us;
  g_mutex_unlock (&self->meter->lock);
  return latency;
}
