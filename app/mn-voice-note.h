/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-vault.h"

G_BEGIN_DECLS

/* A voice note: what a resident says about the problem, recorded at the
 * kiosk and kept with the request as an attachment (app/mn-attachment.h).
 *
 * Recording runs a GStreamer pipeline
 *
 *   SOURCE ! audioconvert ! audioresample ! audio/x-raw,S16LE,48 kHz,mono
 *          ! queue ! opusenc (voice, 24 kbit/s) ! oggmux ! appsink
 *
 * and the appsink SEALS the Ogg pages as they come (app/mn-vault.h's
 * streaming sealer: "MNS1", crypto_secretstream under the device key's
 * file subkey, bound to the file's name) into a fresh file (mode 0600)
 * of the recordings directory, voice-XXXXXX.ogg.sealed: no byte of the
 * sound is ever written in clear. A process killed while recording leaves
 * a stream without its final chunk, which never opens. Playing back opens
 * the file into memory and plays it from there (appsrc). Ogg/Opus
 * because both elements are in gstreamer1.0-plugins-base (no extra
 * package), Opus is made for speech (about 3 KB per second at 24 kbit/s,
 * so a minute is ~180 KB), and every browser and phone plays it.
 *
 * SOURCE is $MINYIN_AUDIO_SOURCE (a gst-launch description such as
 * "audiotestsrc wave=sine freq=440 is-live=true") or else autoaudiosrc.
 * Playback is through $MINYIN_AUDIO_SINK (as app/mn-speech.h) or else
 * autoaudiosink. A source that cannot be made or opened, or autoaudiosrc
 * falling back to a fake source (no microphone at all), is reported as an
 * MN_VOICE_NOTE_ERROR_NO_MICROPHONE with a sentence a person can act on;
 * nothing here ever waits for a device without a time limit.
 *
 * Nothing here waits for a device on the caller's thread either: every
 * state change of a pipeline (opening the device, starting, ending, letting
 * go) is made by a thread that owns that pipeline, and its answer comes
 * back on the note's main context. A device that does not answer within
 * 2.5 s (a hung microphone or sound server) is given up on: "failed" with
 * MN_VOICE_NOTE_ERROR_NO_MICROPHONE ("The microphone does not answer...")
 * while recording, MN_VOICE_NOTE_ERROR_NO_OUTPUT while playing back. The
 * thread stuck in it lets the pipeline go whenever the device returns.
 * So mn_voice_note_start() and mn_voice_note_play() report only what is
 * known at once (no such element, no folder); a device that cannot be
 * opened is reported as "failed", a few milliseconds later.
 *
 * Signals and properties are delivered on the main context that was the
 * thread default when the object was made:
 *  - "state" (MnVoiceNoteState), "elapsed-ms" (while recording, or the
 *    position while playing), "level" (0..1, the loudness of the last
 *    tenth of a second: something for the screen to show that sound is
 *    heard), "duration-ms" and "path" (of the finished recording).
 *  - "failed" (GError *): recording or playback stopped on an error; the
 *    state is back to what it was before (EMPTY or RECORDED).
 * A recording reaching "max-ms" stops by itself (state RECORDED).
 *
 * Cues: mn_voice_note_start() first plays a short 880 Hz beep (150 ms)
 * through the sink (the same one speech uses) and opens the microphone
 * only when the sink has finished it, so that the resident knows when to
 * speak and the beep is not in the note; the state is RECORDING from the
 * start (the screen shows it at once). A finished recording is followed
 * by a lower, longer beep (440 Hz, 250 ms). A sink that cannot be opened
 * means no beep and recording at once; one that never finishes is given
 * a second. */

#define MN_VOICE_NOTE_ERROR (mn_voice_note_error_quark ())
typedef enum
{
  MN_VOICE_NOTE_ERROR_NO_MICROPHONE, /* no sound input, or it failed */
  MN_VOICE_NOTE_ERROR_NO_OUTPUT,     /* no sound output to play it back */
  MN_VOICE_NOTE_ERROR_MISSING_PLUGIN,
  MN_VOICE_NOTE_ERROR_IO,            /* the file could not be written or read */
  MN_VOICE_NOTE_ERROR_INVALID,       /* not a sound recording, or too long */
  MN_VOICE_NOTE_ERROR_BUSY,          /* already recording or playing */
} MnVoiceNoteError;
GQuark mn_voice_note_error_quark (void);

#define MN_TYPE_VOICE_NOTE_STATE (mn_voice_note_state_get_type ())
typedef enum
{
  MN_VOICE_NOTE_STATE_EMPTY,     /* nothing recorded */
  MN_VOICE_NOTE_STATE_RECORDING,
  MN_VOICE_NOTE_STATE_FINISHING, /* stop asked; the file is being closed */
  MN_VOICE_NOTE_STATE_RECORDED,  /* a finished recording is kept */
  MN_VOICE_NOTE_STATE_PLAYING,   /* the recording is being played back */
} MnVoiceNoteState;
GType mn_voice_note_state_get_type (void);

/* The longest note: a minute is enough to say what is wrong, and bounds
 * the file (~180 KB). */
#define MN_VOICE_NOTE_MAX_MS 60000
/* What the recordings are. */
#define MN_VOICE_NOTE_MIME "audio/ogg"
/* A recording shorter than this is taken for a touch by mistake. */
#define MN_VOICE_NOTE_MIN_MS 500

#define MN_TYPE_VOICE_NOTE (mn_voice_note_get_type ())
G_DECLARE_FINAL_TYPE (MnVoiceNote, mn_voice_note, MN, VOICE_NOTE, GObject)

/* Recordings go into @directory (created, mode 0700): a directory of
 * their own under the data directory, so mn_voice_note_sweep() can empty
 * it between people. */
MnVoiceNote      *mn_voice_note_new              (const char   *directory);
/* As above with @source_description instead of $MINYIN_AUDIO_SOURCE and
 * @sink_description instead of $MINYIN_AUDIO_SINK (NULL: the default). */
MnVoiceNote      *mn_voice_note_new_full         (const char   *directory,
                                                  const char   *source_description,
                                                  const char   *sink_description);

/* The device key the recordings are sealed under (the store's,
 * mn_store_get_vault()); a reference is kept. Without one nothing can be
 * recorded: mn_voice_note_start() fails with MN_VOICE_NOTE_ERROR_IO. */
void              mn_voice_note_set_vault        (MnVoiceNote  *self,
                                                  MnVault      *vault);

/* Another sound input (a gst-launch description; NULL: back to
 * $MINYIN_AUDIO_SOURCE or autoaudiosrc), from the next start or probe. */
void              mn_voice_note_set_source       (MnVoiceNote  *self,
                                                  const char   *source_description);

/* Shorter limit, for tests; clamped to 1..MN_VOICE_NOTE_MAX_MS. */
void              mn_voice_note_set_max_ms       (MnVoiceNote  *self,
                                                  guint         max_ms);
guint             mn_voice_note_get_max_ms       (MnVoiceNote  *self);

/* Checks, on a thread of its own, that the sound input gives sound
 * within two seconds; the UI offers recording only when it does. The
 * answer comes within three seconds even when the device hangs.
 * When the probe itself answers (TRUE, or any error but the time
 * limit's) it has let go of the device. The time limit's answer
 * (MN_VOICE_NOTE_ERROR_NO_MICROPHONE, "The microphone does not
 * answer...") comes while its thread is still stuck in the device, which
 * it lets go of whenever the device returns; until then, a further probe
 * of this note gives the same answer at once instead of opening the
 * device again. So only a TRUE answer means the device is free to record
 * with (as the filing flow uses it). */
void              mn_voice_note_probe_async      (MnVoiceNote  *self,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer      user_data);
gboolean          mn_voice_note_probe_finish     (MnVoiceNote  *self,
                                                  GAsyncResult *result,
                                                  GError      **error);

/* Starts recording (a previous recording is deleted first). Returns at
 * once; FALSE with an error when the source or the file cannot be set up.
 * Errors that come later (the device fails) arrive as "failed". */
gboolean          mn_voice_note_start            (MnVoiceNote  *self,
                                                  GError      **error);
/* Ends the recording: the file is closed, the state goes FINISHING then
 * RECORDED (or EMPTY, with "failed", when nothing usable was heard). Also
 * stops a playback. */
void              mn_voice_note_stop             (MnVoiceNote  *self);
/* Plays the recording back; returns at once. */
gboolean          mn_voice_note_play             (MnVoiceNote  *self,
                                                  GError      **error);
/* Stops everything and deletes the recording file: nothing of it is left
 * on the disk. */
void              mn_voice_note_discard          (MnVoiceNote  *self);

MnVoiceNoteState  mn_voice_note_get_state        (MnVoiceNote  *self);
/* The finished recording (sealed: see above), or NULL. */
const char       *mn_voice_note_get_path         (MnVoiceNote  *self);
/* The finished recording's sound (Ogg/Opus), opened into memory that is
 * wiped when freed; MN_VOICE_NOTE_ERROR_INVALID when the file is damaged
 * or cut short. */
GBytes           *mn_voice_note_read             (MnVoiceNote  *self,
                                                  GError      **error);
guint             mn_voice_note_get_duration_ms  (MnVoiceNote  *self);
guint             mn_voice_note_get_elapsed_ms   (MnVoiceNote  *self);
double            mn_voice_note_get_level        (MnVoiceNote  *self);
/* Microseconds from the last mn_voice_note_start() to the first sound
 * reaching the encoder; 0 before any. */
gint64            mn_voice_note_get_start_latency_us (MnVoiceNote *self);
/* Microseconds from the last mn_voice_note_start() to the end of the
 * start beep (the sink played its last sample, or gave up); 0 when no
 * beep could be played. Capturing starts only then. */
gint64            mn_voice_note_get_cue_end_latency_us (MnVoiceNote *self);

/* Deletes every file in @directory (the recordings left by a session that
 * ended, or by a crash) except the recordings of live MnVoiceNotes of this
 * process; the directory itself stays. Blocking: on the main loop, use
 * the async form, which runs it on a thread. */
void              mn_voice_note_sweep            (const char   *directory);
void              mn_voice_note_sweep_async      (const char   *directory,
                                                  GCancellable *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer      user_data);
gboolean          mn_voice_note_sweep_finish     (GAsyncResult *result,
                                                  GError      **error);

/* Decodes @path to the end with GStreamer: FALSE with
 * MN_VOICE_NOTE_ERROR_INVALID unless it is a sound recording that plays.
 * Gives its length (from the decoded samples) and its MIME type. */
gboolean          mn_voice_note_inspect          (const char   *path,
                                                  guint        *out_duration_ms,
                                                  char        **out_mime,
                                                  GError      **error);

/* The same for a sound in memory (mn_voice_note_read()). */
gboolean          mn_voice_note_inspect_bytes    (GBytes       *sound,
                                                  guint        *out_duration_ms,
                                                  char        **out_mime,
                                                  GError      **error);

/* "(voice note, 12 s, kept at the terminal)" in the current language: the
 * words that stand for the note in the request's description, since the
 * platform gets the text but not the sound (see HACKING.md). */
char             *mn_voice_note_describe         (guint         duration_ms);

G_END_DECLS
