/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <gst/gst.h>

#include "mn-speech-text.h"

G_BEGIN_DECLS

/* The kiosk's voice. One speech thread owns espeak-ng (which keeps global
 * state and is not thread-safe) and synthesises there; the samples are
 * played through GStreamer (appsrc ! audioconvert ! audioresample ! volume
 * ! sink) as they come, so speech starts within milliseconds and stops at
 * once. A missing or failing sound output is reported in the "state"
 * property, with a sentence for staff in "state-message", and everything
 * else carries on: the calls still return at once and captions stay on the
 * screen.
 *
 * The say/stop/repeat calls never block and may be made from any thread.
 * Properties change, and notify, on the main context that was the thread
 * default when the object was made.
 *
 * The sound output is $MINYIN_AUDIO_SINK (a gst-launch description, such
 * as "fakesink sync=true" in tests) or else autoaudiosink. */

#define MN_TYPE_SPEECH_STATE (mn_speech_state_get_type ())

typedef enum
{
  MN_SPEECH_STATE_STARTING,        /* "starting": the speech thread is starting */
  MN_SPEECH_STATE_READY,           /* "ready" */
  MN_SPEECH_STATE_NO_AUDIO_OUTPUT, /* "no-audio-output": no sound device, or it failed */
  MN_SPEECH_STATE_NO_SYNTHESIZER,  /* "no-synthesizer": espeak-ng could not start */
} MnSpeechState;

GType mn_speech_state_get_type (void);

#define MN_SPEECH_DEFAULT_RATE 150   /* words per minute; espeak-ng's own is 175 */
#define MN_SPEECH_DEFAULT_VOLUME 1.0

#define MN_TYPE_SPEECH (mn_speech_get_type ())
G_DECLARE_FINAL_TYPE (MnSpeech, mn_speech, MN, SPEECH, GObject)

/* Starts the speech thread; returns at once. */
/* Loads espeak-ng now, on the calling thread. espeak-ng 1.51 switches the
 * process's LC_CTYPE while it loads, and setlocale() is not thread-safe:
 * a program whose other threads already run (GTK's) calls this on its
 * main thread before mn_speech_new(); otherwise the speech thread loads
 * espeak-ng itself. FALSE when espeak-ng cannot start (the speech object
 * then reports it as its state). Loading twice does nothing. */
gboolean      mn_speech_load_synthesizer   (GError    **error);
gboolean      mn_speech_open_library       (void);

MnSpeech     *mn_speech_new                (void);

/* As mn_speech_new(), with @sink_description (a gst-launch description of
 * the sound output) instead of $MINYIN_AUDIO_SINK; NULL for the default. */
MnSpeech     *mn_speech_new_with_sink      (const char *sink_description);

/* The display language ("zh_CN", "zh_HK", "ug", "en", ...): what follows
 * is said with the voice for it (see mn_speech_voice_for_language). */
void          mn_speech_set_language       (MnSpeech   *self,
                                            const char *language);
const char   *mn_speech_get_language       (MnSpeech   *self);

/* Words per minute, clamped to what espeak-ng accepts (80-450). */
void          mn_speech_set_rate           (MnSpeech   *self,
                                            guint       rate);
guint         mn_speech_get_rate           (MnSpeech   *self);

/* 1.0 plays the samples as synthesised; 0 is silent; up to 4.0. Takes
 * effect at once, also on what is being said. */
void          mn_speech_set_volume         (MnSpeech   *self,
                                            double      volume);
double        mn_speech_get_volume         (MnSpeech   *self);
void          mn_speech_set_default_volume (MnSpeech   *self,
                                            double      volume);
double        mn_speech_get_default_volume (MnSpeech   *self);
/* Back to the default volume: called when a person's session ends, so the
 * next person does not inherit a volume turned down or up. */
void          mn_speech_reset_volume       (MnSpeech   *self);

/* FALSE makes every say a no-op (where speech is provided another way);
 * stop still stops. TRUE by default. */
void          mn_speech_set_enabled        (MnSpeech   *self,
                                            gboolean    enabled);
gboolean      mn_speech_get_enabled        (MnSpeech   *self);

/* Follows the terminal's settings (org.minyin.Terminal): voice-rate,
 * voice-volume (percent, the default volume: the current volume is reset
 * to it) and voice-enabled, for as long as @self lives. */
void          mn_speech_bind_settings      (MnSpeech   *self,
                                            GSettings  *settings);

/* A screen's prompt: replaces whatever is being said, and is what
 * mn_speech_repeat() says again. */
void          mn_speech_say_prompt         (MnSpeech   *self,
                                            const char *text);
/* A button's name, when it is touched: replaces whatever is being said,
 * but is not what "repeat" repeats (touching the repeat button would
 * otherwise make it repeat its own name). */
void          mn_speech_say_button         (MnSpeech   *self,
                                            const char *name);
/* An error or a confirmation: replaces whatever is being said and can be
 * repeated. */
void          mn_speech_say_error          (MnSpeech   *self,
                                            const char *message);
/* Silence, now. */
void          mn_speech_stop               (MnSpeech   *self);
/* Says the last prompt or error again, in the language it was said in. */
void          mn_speech_repeat             (MnSpeech   *self);
/* The text mn_speech_repeat() would say, or NULL. */
char         *mn_speech_dup_last_text      (MnSpeech   *self);

/* Whether a change to a failed state is also logged (g_message, for the
 * journal); TRUE by default. The command line, which prints the sentence
 * itself, turns it off. */
void          mn_speech_set_log_problems   (MnSpeech   *self,
                                            gboolean    log_problems);

gboolean      mn_speech_get_speaking       (MnSpeech   *self);
MnSpeechState mn_speech_get_state          (MnSpeech   *self);
const char   *mn_speech_get_state_message  (MnSpeech   *self);

/* Blocking helpers for the command line and tests, never for the UI's
 * main loop. */

/* Waits until nothing is being said (and the speech thread has started),
 * then brings the properties up to date if called on the owner's thread.
 * FALSE if @timeout_ms passed first (-1: no limit). */
gboolean      mn_speech_wait_idle          (MnSpeech   *self,
                                            int         timeout_ms);

/* The phonemes espeak-ng chooses for @text in @language after text
 * preparation (lexicon, digits), clause by clause, separated by spaces;
 * "(en)" marks a switch to English. */
char         *mn_speech_get_phonemes       (MnSpeech    *self,
                                            const char  *language,
                                            const char  *text,
                                            GError     **error);

/* The audio for @text in @language: native-endian signed 16-bit mono
 * samples at *@sample_rate. */
GBytes       *mn_speech_synthesize         (MnSpeech    *self,
                                            const char  *language,
                                            const char  *text,
                                            guint       *sample_rate,
                                            GError     **error);

/* The sound output element (a bin with a "sink" pad), for tests and
 * benchmarks that watch what reaches it; NULL if it could not be made.
 * Waits for the speech thread to start. */
GstElement   *mn_speech_dup_audio_sink     (MnSpeech   *self);

G_END_DECLS
