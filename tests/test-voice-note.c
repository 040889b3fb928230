/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Voice notes (app/mn-voice-note.h): recorded from audiotestsrc into
 * Ogg/Opus, decoded back with GStreamer to check length and format, cut
 * at the limit, played back into a fakesink, deleted without a trace; a
 * missing or broken microphone gives a sentence, within a time limit. */
#include "config.h"

#include <glib/gstdio.h>
#include <gst/gst.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mn-attachment.h"
#include "mn-test-hung-src.h"
#include "mn-test-sound.h"
#include "mn-vault.h"
#include "mn-voice-note.h"

#define LIVE_SINE "audiotestsrc wave=sine freq=440 is-live=true"

static char *tmp_dir;
static MnVault *vault; /* the recordings are sealed under it */

/* A note that seals under the test's key, as the kiosk's does under the
 * store's. */
static MnVoiceNote *
new_note (const char *dir,
          const char *source,
          const char *sink)
{
  MnVoiceNote *note = mn_voice_note_new_full (dir, source, sink);

  mn_voice_note_set_vault (note, vault);
  return note;
}

static gboolean
bytes_contain (const guint8 *data,
               gsize         len,
               const char   *needle)
{
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

static char *
recordings_dir (void)
{
  return g_build_filename (tmp_dir, "recordings", NULL);
}

static guint
count_files (const char *dir_path)
{
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
wait_for_state (MnVoiceNote      *note,
                MnVoiceNoteState  state,
                double            seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (seconds * G_USEC_PER_SEC);

  while (mn_voice_note_get_state (note) != state)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
wait_for_elapsed (MnVoiceNote *note,
                  guint        ms)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (mn_voice_note_get_elapsed_ms (note) < ms)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_RECORDING);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
test_record_and_decode (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, "fakesink sync=true");
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *mime = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *again = NULL;
  g_autoptr(GBytes) sound = NULL;
  guint64 size = 0;
  guint decoded_ms = 0;
  double level_seen = 0;
  GStatBuf st;
  guint ms;

  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_RECORDING);
  wait_for_elapsed (note, 300);
  level_seen = mn_voice_note_get_level (note);
  wait_for_elapsed (note, 2000);
  level_seen = MAX (level_seen, mn_voice_note_get_level (note));
  /* A sine at 0.8 of full scale is loud: the bar is nearly full. */
  g_assert_cmpfloat (level_seen, >, 0.8);
  g_test_message ("first sound %.1f ms after Record",
                  mn_voice_note_get_start_latency_us (note) / 1000.0);
  g_assert_cmpint (mn_voice_note_get_start_latency_us (note), >, 0);
  g_assert_cmpint (mn_voice_note_get_start_latency_us (note), <, 500 * 1000);

  mn_voice_note_stop (note);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 3);
  ms = mn_voice_note_get_duration_ms (note);
  g_assert_cmpuint (ms, >=, 2000);
  g_assert_cmpuint (ms, <, 2600);
  path = g_strdup (mn_voice_note_get_path (note));
  g_assert_nonnull (path);
  g_assert_true (g_str_has_prefix (path, dir));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* Sealed on the disk: no sound in clear, only the vault's format. */
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_str_has_suffix (path, ".ogg.sealed"));
    g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
    g_assert_cmpuint (length, >, 4);
    g_assert_cmpmem (contents, 4, "MNS1", 4);
    g_assert_false (bytes_contain ((const guint8 *) contents, length, "OggS"));
    g_assert_false (bytes_contain ((const guint8 *) contents, length, "OpusHead"));
    /* ... and in memory it is Ogg. */
    sound = mn_voice_note_read (note, &error);
    g_assert_no_error (error);
    g_assert_cmpmem (g_bytes_get_data (sound, NULL), 4, "OggS", 4);
  }

  /* Decoded back: a sound of the same length, in Ogg. */
  g_assert_true (mn_voice_note_inspect_bytes (sound, &decoded_ms, &mime, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (mime, ==, MN_VOICE_NOTE_MIME);
  g_test_message ("recorded %u ms, decoded %u ms, %" G_GINT64_FORMAT " bytes (%.0f bytes/s)", ms,
                  decoded_ms, (gint64) st.st_size, st.st_size * 1000.0 / ms);
  g_assert_cmpuint (decoded_ms + 100, >=, ms);
  g_assert_cmpuint (decoded_ms, <=, ms + 100);
  /* Opus at 24 kbit/s: about 3 KB a second, never a raw 96 KB. */
  g_assert_cmpfloat (st.st_size * 1000.0 / ms, <, 6000);
  g_assert_cmpfloat (st.st_size * 1000.0 / ms, >, 1000);

  /* The hash is of the bytes on the disk, and stable. */
  hash = mn_attachment_hash_file (path, &size, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (size, ==, (guint64) st.st_size);
  g_assert_cmpuint (strlen (hash), ==, 64);
  again = mn_attachment_hash_file (path, NULL, NULL);
  g_assert_cmpstr (hash, ==, again);

  /* Played back through the sink, then back to RECORDED. */
  g_assert_true (mn_voice_note_play (note, &error));
  g_assert_no_error (error);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_PLAYING);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 10);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));

  /* Delete: no file left. */
  mn_voice_note_discard (note);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_assert_null (mn_voice_note_get_path (note));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 0);
}

static void
test_limit (void)
{
  g_autofree char *dir = recordings_dir ();
  /* Not live: the source runs as fast as it can, so the limit is reached
   * at once and must hold whatever the main loop does. */
  g_autoptr(MnVoiceNote) note = new_note (dir, "audiotestsrc wave=sine",
                                                        "fakesink");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sound = NULL;
  guint decoded_ms = 0;

  mn_voice_note_set_max_ms (note, 3000);
  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  /* Nobody touches Stop. */
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 5);
  g_assert_cmpuint (mn_voice_note_get_duration_ms (note), >=, 3000);
  g_assert_cmpuint (mn_voice_note_get_duration_ms (note), <=, 3050);
  sound = mn_voice_note_read (note, &error);
  g_assert_no_error (error);
  g_assert_true (mn_voice_note_inspect_bytes (sound, &decoded_ms, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (decoded_ms, <=, 3100);

  /* The kiosk's own limit is a minute. */
  mn_voice_note_set_max_ms (note, G_MAXUINT);
  g_assert_cmpuint (mn_voice_note_get_max_ms (note), ==, MN_VOICE_NOTE_MAX_MS);
  g_assert_cmpuint (MN_VOICE_NOTE_MAX_MS, ==, 60000);
}

static void
test_new_recording_replaces (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, "audiotestsrc", "fakesink");
  g_autoptr(GError) error = NULL;
  g_autofree char *first = NULL;

  mn_voice_note_set_max_ms (note, 1000);
  g_assert_true (mn_voice_note_start (note, &error));
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 5);
  first = g_strdup (mn_voice_note_get_path (note));
  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  /* Record again: the first note is gone at once. */
  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 5);
  g_assert_cmpuint (count_files (dir), ==, 1);
  /* Dropping the object takes the file too. */
  g_clear_object (&note);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

static void
on_failed (MnVoiceNote *note,
           GError      *error,
           GError     **out)
{
  g_clear_error (out);
  *out = g_error_copy (error);
}

static void
test_too_short (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, "fakesink");
  g_autoptr(GError) error = NULL;
  GError *failed = NULL;

  g_signal_connect (note, "failed", G_CALLBACK (on_failed), &failed);
  g_assert_true (mn_voice_note_start (note, &error));
  mn_voice_note_stop (note);
  wait_for_state (note, MN_VOICE_NOTE_STATE_EMPTY, 3);
  g_assert_error (failed, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID);
  g_test_message ("%s", failed->message);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_clear_error (&failed);
}

static void
on_probed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = mn_voice_note_probe_finish (MN_VOICE_NOTE (source), result, error);

  g_assert_true (ok == (*error == NULL));
  if (ok)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "ok");
}

/* Probes with @source; the answer within three seconds. */
static GError *
probe (const char *source)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, source, "fakesink");
  GError *error = NULL;
  gint64 start = g_get_monotonic_time ();

  mn_voice_note_probe_async (note, NULL, on_probed, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* Within two seconds for a device that answers, three for one that
   * hangs (with a little slack for a busy machine). */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3500 * G_TIME_SPAN_MILLISECOND);
  return error;
}

static void
assert_sentence (const GError *error)
{
  gsize len = strlen (error->message);

  g_test_message ("%s", error->message);
  g_assert_cmpuint (len, >, 20);
  g_assert_true (error->message[len - 1] == '.');
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_no_microphone (void)
{
  g_autofree char *dir = recordings_dir ();
  const char *broken[] = {
    "nosuchsrc",                                   /* no such element */
    "alsasrc device=hw:97,0",                      /* no such device */
    "audiotestsrc ! capsfilter caps=video/x-raw",  /* gives no sound */
  };

  for (gsize i = 0; i < G_N_ELEMENTS (broken); i++)
    {
      g_autoptr(MnVoiceNote) note = new_note (dir, broken[i], "fakesink");
      g_autoptr(GError) error = NULL;
      g_autoptr(GError) probed = NULL;
      GError *failed = NULL;
      gboolean started;

      g_test_message ("source: %s", broken[i]);
      g_signal_connect (note, "failed", G_CALLBACK (on_failed), &failed);
      started = mn_voice_note_start (note, &error);
      if (started)
        {
          /* The device may fail only once it runs: then "failed" says so. */
          wait_for_state (note, MN_VOICE_NOTE_STATE_EMPTY, 3);
          g_assert_nonnull (failed);
          error = g_steal_pointer (&failed);
        }
      g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE);
      assert_sentence (error);
      g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
      g_assert_cmpuint (count_files (dir), ==, 0);
      g_clear_error (&failed);

      probed = probe (broken[i]);
      g_assert_error (probed, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE);
      assert_sentence (probed);
    }

  /* A source that never gives a sound is a broken microphone too. */
  {
    g_autoptr(GError) probed = probe ("fakesrc num-buffers=0 ! audio/x-raw");

    g_assert_error (probed, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE);
  }
  /* A working one. */
  {
    g_autoptr(GError) probed = probe (LIVE_SINE);

    g_assert_error (probed, G_IO_ERROR, G_IO_ERROR_EXISTS);
  }
  /* This machine's own default (autoaudiosrc): whatever it is, the answer
   * comes within the time limit. */
  {
    g_autoptr(GError) probed = probe ("autoaudiosrc");

    g_test_message ("autoaudiosrc here: %s", probed->message);
    if (g_getenv ("MINYIN_EXPECT_NO_MICROPHONE") != NULL)
      g_assert_error (probed, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE);
  }
}

static void
test_inspect_refuses (void)
{
  g_autofree char *garbage = g_build_filename (tmp_dir, "garbage.ogg", NULL);
  g_autofree char *empty = g_build_filename (tmp_dir, "empty.ogg", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.ogg", NULL);
  g_autofree char *text = g_build_filename (tmp_dir, "words.txt", NULL);
  g_autoptr(GError) error = NULL;
  char noise[4096];

  for (gsize i = 0; i < sizeof noise; i++)
    noise[i] = (char) g_random_int ();
  g_assert_true (g_file_set_contents (garbage, noise, sizeof noise, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (text, "The lift is broken again.\n", -1, NULL));

  g_assert_false (mn_voice_note_inspect (garbage, NULL, NULL, &error));
  g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID);
  assert_sentence (error);
  g_clear_error (&error);
  g_assert_false (mn_voice_note_inspect (empty, NULL, NULL, &error));
  g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mn_voice_note_inspect (text, NULL, NULL, &error));
  g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (mn_voice_note_inspect (missing, NULL, NULL, &error));
  g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO);
  assert_sentence (error);
}

static void
test_sweep (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autofree char *a = g_build_filename (dir, "voice-left.ogg", NULL);
  g_autofree char *b = g_build_filename (dir, "voice-crash.ogg.tmp", NULL);

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (a, "x", 1, NULL));
  g_assert_true (g_file_set_contents (b, "y", 1, NULL));
  mn_voice_note_sweep (dir);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
}

static void
on_swept (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_assert_true (mn_voice_note_sweep_finish (result, NULL));
  *(gboolean *) user_data = TRUE;
}

static void
test_describe (void)
{
  g_autofree char *one = mn_voice_note_describe (800);
  g_autofree char *twelve = mn_voice_note_describe (12400);

  g_assert_cmpstr (one, ==, "(voice note, 1 second, kept at the terminal)");
  g_assert_cmpstr (twelve, ==, "(voice note, 12 seconds, kept at the terminal)");
}

static gsize
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gsize) st.st_size : 0;
}

/* What a beep written by the sink looks like: its samples, their
 * loudness and how often they cross zero (twice per period). */
static void
measure_tone (const char *path,
              gsize      *out_samples,
              double     *out_rms,
              guint      *out_crossings)
{
  g_autofree char *contents = NULL;
  gsize length = 0, n;
  double sum = 0;
  guint crossings = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  n = length / 2;
  for (gsize i = 0; i < n; i++)
    {
      gint16 s, prev = 0;

      memcpy (&s, contents + 2 * i, 2);
      if (i > 0)
        memcpy (&prev, contents + 2 * (i - 1), 2);
      sum += (double) s * s;
      if (i > 0 && ((prev < 0) != (s < 0)))
        crossings++;
    }
  *out_samples = n;
  *out_rms = n > 0 ? sqrt (sum / n) / 32768.0 : 0;
  *out_crossings = crossings;
}

/* Record: a short high beep is played through the (speech) sink first,
 * and the microphone opens only after the sink has played its last
 * sample; Stop: a lower, longer beep. The sink here writes what it plays
 * to a file, in real time (sync=true). */
static void
test_cues (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autofree char *tone = g_build_filename (tmp_dir, "cue.raw", NULL);
  g_autofree char *sink = g_strdup_printf ("filesink sync=true location=%s", tone);
  g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, sink);
  g_autoptr(GError) error = NULL;
  gint64 deadline, cue_us, first_sound_us;
  gsize samples;
  double rms;
  guint crossings;

  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  /* Shown as recording at once (the screen says so during the beep)... */
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_RECORDING);
  /* ...but nothing is captured while the beep plays. */
  g_assert_cmpint (mn_voice_note_get_start_latency_us (note), ==, 0);
  wait_for_elapsed (note, 1000);

  cue_us = mn_voice_note_get_cue_end_latency_us (note);
  first_sound_us = mn_voice_note_get_start_latency_us (note);
  g_test_message ("beep over %.1f ms after Record, first sound captured at %.1f ms",
                  cue_us / 1000.0, first_sound_us / 1000.0);
  /* The beep lasted its 150 ms on the sink's clock, and the recording
   * began after it ended: the beep is not in the note. */
  g_assert_cmpint (cue_us, >=, 140 * 1000);
  g_assert_cmpint (cue_us, <, 1000 * 1000);
  g_assert_cmpint (first_sound_us, >=, cue_us);

  /* What the sink played: 150 ms of 880 Hz, clearly loud. */
  measure_tone (tone, &samples, &rms, &crossings);
  g_test_message ("start beep: %" G_GSIZE_FORMAT " samples, rms %.2f, %u zero crossings",
                  samples, rms, crossings);
  g_assert_cmpuint (samples, ==, 48000 * 150 / 1000);
  g_assert_cmpfloat (rms, >, 0.25);
  g_assert_cmpuint (crossings, >=, 2 * 880 * 150 / 1000 - 4);
  g_assert_cmpuint (crossings, <=, 2 * 880 * 150 / 1000 + 4);

  mn_voice_note_stop (note);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 3);
  g_assert_cmpuint (mn_voice_note_get_duration_ms (note), >=, 1000);

  /* The stop beep: another pitch and length, in the same sink. */
  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (file_size (tone) != 2 * 48000 * 250 / 1000)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  measure_tone (tone, &samples, &rms, &crossings);
  g_test_message ("stop beep: %" G_GSIZE_FORMAT " samples, rms %.2f, %u zero crossings",
                  samples, rms, crossings);
  g_assert_cmpfloat (rms, >, 0.25);
  g_assert_cmpuint (crossings, >=, 2 * 440 * 250 / 1000 - 4);
  g_assert_cmpuint (crossings, <=, 2 * 440 * 250 / 1000 + 4);
  mn_voice_note_discard (note);
}

/* A sound output that cannot be opened means no beep and recording at
 * once; one that never finishes the beep holds the microphone closed for
 * a second at most. Either way the note is recorded. */
static void
test_cue_sink_broken (void)
{
  const char *sinks[] = {
    "filesink location=/nonexistent-minyin-dir/cue.raw",
    "no-such-sink-element",
    /* Plays its first sample only after 30 s: stuck. */
    "fakesink sync=true ts-offset=30000000000",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (sinks); i++)
    {
      g_autofree char *dir = recordings_dir ();
      g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, sinks[i]);
      g_autoptr(GError) error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      gint64 cue_us;

      g_test_message ("sink: %s", sinks[i]);
      g_assert_true (mn_voice_note_start (note, &error));
      g_assert_no_error (error);
      /* start() itself never waits on the sink. */
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 500 * 1000);
      wait_for_elapsed (note, 600);
      cue_us = mn_voice_note_get_cue_end_latency_us (note);
      g_test_message ("beep over at %.1f ms, first sound at %.1f ms", cue_us / 1000.0,
                      mn_voice_note_get_start_latency_us (note) / 1000.0);
      if (i < 2)
        {
          g_assert_cmpint (cue_us, ==, 0);
          g_assert_cmpint (mn_voice_note_get_start_latency_us (note), <, 500 * 1000);
        }
      else
        {
          g_assert_cmpint (cue_us, >=, 900 * 1000);
          g_assert_cmpint (cue_us, <, 2 * 1000 * 1000);
          g_assert_cmpint (mn_voice_note_get_start_latency_us (note), >=, cue_us);
        }
      mn_voice_note_stop (note);
      wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 3);
      g_assert_cmpuint (mn_voice_note_get_duration_ms (note), >=, 600);
      mn_voice_note_discard (note);
    }
}

/* Stop during the beep: nothing was captured, nothing is kept. */
static void
test_stop_during_cue (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, "fakesink sync=true");
  g_autoptr(GError) error = NULL;
  GError *failed = NULL;

  g_signal_connect (note, "failed", G_CALLBACK (on_failed), &failed);
  g_assert_true (mn_voice_note_start (note, &error));
  mn_voice_note_stop (note);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_assert_nonnull (failed);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_clear_error (&failed);
}

/* ---- a device that hangs ---------------------------------------------- */

/* The longest stretch the main loop spent between two polls (it could
 * not react to anything meanwhile), as tests/bench-ui.c measures it; and
 * the longest gap between two "frames" (a 16 ms timeout). */
static GPollFunc real_poll;
static gint64 busy_since;
static gint64 longest_busy;
static gint64 last_frame;
static gint64 longest_frame_gap;

static gint
timed_poll (GPollFD *fds,
            guint    nfds,
            gint     timeout)
{
  gint result;

  if (busy_since != 0)
    longest_busy = MAX (longest_busy, g_get_monotonic_time () - busy_since);
  result = real_poll (fds, nfds, timeout);
  busy_since = g_get_monotonic_time ();
  return result;
}

static gboolean
on_frame (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_frame != 0)
    longest_frame_gap = MAX (longest_frame_gap, now - last_frame);
  last_frame = now;
  return G_SOURCE_CONTINUE;
}

static guint frame_source;

static void
measure_begin (void)
{
  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);
  busy_since = 0;
  longest_busy = 0;
  last_frame = 0;
  longest_frame_gap = 0;
  frame_source = g_timeout_add (16, on_frame, NULL);
}

static void
measure_end (const char *what)
{
  g_main_context_set_poll_func (NULL, real_poll);
  g_source_remove (frame_source);
  g_test_message ("%s: longest main-loop stretch %.1f ms, longest gap between 16 ms frames "
                  "%.1f ms", what, longest_busy / 1000.0, longest_frame_gap / 1000.0);
  /* No more than a frame or two at 60 Hz. (The gap between frames is
   * only printed: on a machine shared with builds it says more about the
   * load than about this code.) */
  g_assert_cmpint (longest_busy, <, 33 * G_TIME_SPAN_MILLISECOND);
}

static gboolean
busy_idle (gpointer user_data)
{
  gint64 until = g_get_monotonic_time () + 40 * G_TIME_SPAN_MILLISECOND;

  /* Busy on purpose, like a blocking call on the main loop. */
  while (g_get_monotonic_time () < until)
    ;
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The instrument sees a stall: a 40 ms callback is measured as one. */
static void
check_measure (void)
{
  gboolean done = FALSE;

  real_poll = g_main_context_get_poll_func (NULL);
  g_main_context_set_poll_func (NULL, timed_poll);
  busy_since = 0;
  longest_busy = 0;
  g_idle_add (busy_idle, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_main_context_iteration (NULL, FALSE);
  g_main_context_set_poll_func (NULL, real_poll);
  g_assert_cmpint (longest_busy, >=, 40 * G_TIME_SPAN_MILLISECOND);
}

#define NO_ANSWER "The microphone does not answer, so no voice note can be recorded. Please " \
                  "choose sentences instead, or ask staff for help."

/* A microphone whose driver never returns from opening: Record returns at
 * once, the main loop keeps running, and after the time limit "failed"
 * says the microphone does not answer; the probe answers the same within
 * its limit. Once the device comes back, recording works again. */
static void
test_device_hangs (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, "mnhungsrc wave=sine is-live=true",
                                                        "fakesink sync=true");
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) probed = NULL;
  GError *failed = NULL;
  guint held = mn_test_hung_src_held ();
  gint64 t0, start_us, answer_us;

  check_measure ();
  g_signal_connect (note, "failed", G_CALLBACK (on_failed), &failed);
  mn_test_hung_src_hold (GST_STATE_CHANGE_NULL_TO_READY);
  measure_begin ();
  t0 = g_get_monotonic_time ();
  g_assert_true (mn_voice_note_start (note, &error));
  start_us = g_get_monotonic_time () - t0;
  g_assert_no_error (error);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_RECORDING);
  while (failed == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time () - t0, <, 5 * G_USEC_PER_SEC);
      g_main_context_iteration (NULL, TRUE);
    }
  answer_us = g_get_monotonic_time () - t0;
  measure_end ("recording, device hangs in open");
  g_test_message ("start() took %.2f ms; the answer came after %.0f ms", start_us / 1000.0,
                  answer_us / 1000.0);
  /* The device was really held, and Record did not wait for it. */
  g_assert_cmpuint (mn_test_hung_src_held (), >, held);
  g_assert_cmpint (start_us, <, 33 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (answer_us, >=, 2400 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (answer_us, <, 4 * G_USEC_PER_SEC);
  g_assert_error (failed, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE);
  g_assert_cmpstr (failed->message, ==, NO_ANSWER);
  assert_sentence (failed);
  g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_EMPTY);
  g_assert_cmpuint (count_files (dir), ==, 0);
  g_clear_error (&failed);

  /* The probe, stuck in the same device, answers within its limit. */
  held = mn_test_hung_src_held ();
  measure_begin ();
  probed = probe ("mnhungsrc wave=sine is-live=true");
  measure_end ("probe, device hangs in open");
  g_assert_cmpuint (mn_test_hung_src_held (), >, held);
  g_assert_error (probed, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE);
  g_assert_cmpstr (probed->message, ==, NO_ANSWER);
  g_clear_error (&probed);

  /* The note's own probe answers by its limit with its thread still in
   * the device; the next probe does not open the device again behind it,
   * and answers the same at once. */
  held = mn_test_hung_src_held ();
  mn_voice_note_probe_async (note, NULL, on_probed, &probed);
  while (probed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (mn_test_hung_src_held (), ==, held + 1);
  g_assert_cmpstr (probed->message, ==, NO_ANSWER);
  g_clear_error (&probed);
  t0 = g_get_monotonic_time ();
  mn_voice_note_probe_async (note, NULL, on_probed, &probed);
  while (probed == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_error (probed, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_NO_MICROPHONE);
  g_assert_cmpstr (probed->message, ==, NO_ANSWER);
  g_assert_cmpuint (mn_test_hung_src_held (), ==, held + 1);
  g_clear_error (&probed);

  /* The device comes back: the stuck threads go on and let go of it, and
   * the next Record works. */
  mn_test_hung_src_release ();
  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  wait_for_elapsed (note, 600);
  mn_voice_note_stop (note);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 3);
  g_assert_null (failed);
  mn_voice_note_discard (note);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

/* A device that hangs when it is let go (a driver stuck in close, or
 * streaming threads that cannot be joined): the note is kept, and Delete
 * and the end of the object return at once. */
static void
test_device_hangs_in_close (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, "mnhungsrc wave=sine is-live=true",
                                                        "fakesink sync=true");
  g_autoptr(GError) error = NULL;
  guint held = mn_test_hung_src_held ();
  gint64 t0;

  mn_test_hung_src_hold (GST_STATE_CHANGE_READY_TO_NULL);
  measure_begin ();
  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  wait_for_elapsed (note, 600);
  mn_voice_note_stop (note);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 3);
  /* Letting the pipeline go is stuck on its thread by now. */
  mn_test_hung_src_wait_held (held, 5);
  g_assert_cmpuint (mn_voice_note_get_duration_ms (note), >=, 600);
  t0 = g_get_monotonic_time ();
  mn_voice_note_discard (note);
  g_clear_object (&note);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 33 * G_TIME_SPAN_MILLISECOND);
  measure_end ("recording, device hangs in close");
  g_assert_cmpuint (count_files (dir), ==, 0);
  mn_test_hung_src_release ();
}

/* A sweep on its thread spares the recording being made. */
static void
test_sweep_spares_live (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autofree char *left = g_build_filename (dir, "voice-left.ogg", NULL);
  g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, "fakesink");
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;

  g_mkdir_with_parents (dir, 0700);
  g_assert_true (g_file_set_contents (left, "x", 1, NULL));
  g_assert_true (mn_voice_note_start (note, &error));
  mn_voice_note_sweep_async (dir, NULL, on_swept, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (g_file_test (left, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (count_files (dir), ==, 1);
  wait_for_elapsed (note, 600);
  mn_voice_note_stop (note);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 3);
  g_assert_true (g_file_test (mn_voice_note_get_path (note), G_FILE_TEST_EXISTS));
  mn_voice_note_discard (note);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

/* A sink that finishes a very short sound before its state change returns,
 * about one time in five: the end of the stream is then already on the bus
 * when the note's lane looks at it. It must still reach the note. */
#define QUICK_SINK "fakesink sync=false async=false"
/* The same, every time: a second branch in the sink's bin (a source that
 * the test holds in its change to PLAYING) keeps the state change from
 * returning until the beep has long reached its end. */
#define HELD_SINK "fakesink sync=false async=false " \
                  "mnhungsrc num-buffers=1 ! fakesink sync=false async=false"

static gboolean
on_release (gpointer user_data)
{
  mn_test_hung_src_release ();
  return G_SOURCE_REMOVE;
}

/* The start beep ends with its end of stream, not at its one-second limit
 * (CUE_TIMEOUT_MS), even when that end came before the sink's state
 * change returned. */
static void
test_short_beep_ends (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, HELD_SINK);
  GError *failed = NULL;

  g_signal_connect (note, "failed", G_CALLBACK (on_failed), &failed);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 deadline = g_get_monotonic_time () + 3 * G_USEC_PER_SEC;
      gboolean held = i % 2 == 0;
      guint before = mn_test_hung_src_held ();

      if (held)
        mn_test_hung_src_hold (GST_STATE_CHANGE_PAUSED_TO_PLAYING);
      g_assert_true (mn_voice_note_start (note, &error));
      g_assert_no_error (error);
      if (held)
        {
          /* The beep's 150 ms pass in a few ms at sync=false; 200 ms on,
           * its end is on the bus, and the state change returns. */
          mn_test_hung_src_wait_held (before, 3);
          g_timeout_add (200, on_release, NULL);
        }
      /* Capturing begins when the beep is over. */
      while (mn_voice_note_get_start_latency_us (note) == 0)
        {
          g_assert_cmpint (g_get_monotonic_time (), <, deadline);
          g_assert_null (failed);
          g_main_context_iteration (NULL, TRUE);
        }
      g_test_message ("beep %u (%s): over after %.0f ms", i, held ? "held" : "free",
                      mn_voice_note_get_cue_end_latency_us (note) / 1000.0);
      g_assert_cmpint (mn_voice_note_get_cue_end_latency_us (note), >, 0);
      g_assert_cmpint (mn_voice_note_get_cue_end_latency_us (note), <,
                       700 * G_TIME_SPAN_MILLISECOND);
      mn_voice_note_discard (note);
    }
  g_assert_cmpuint (count_files (dir), ==, 0);
}

/* A very short playback ends (the Play button comes back) every time. */
static void
test_short_playback_ends (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, LIVE_SINE, QUICK_SINK);
  g_autoptr(GError) error = NULL;
  GError *failed = NULL;

  g_signal_connect (note, "failed", G_CALLBACK (on_failed), &failed);
  g_assert_true (mn_voice_note_start (note, &error));
  g_assert_no_error (error);
  wait_for_elapsed (note, 600);
  mn_voice_note_stop (note);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 3);
  for (guint i = 0; i < 40; i++)
    {
      g_assert_true (mn_voice_note_play (note, &error));
      g_assert_no_error (error);
      g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_PLAYING);
      /* Played as fast as it decodes: far less than the 2 s given. */
      wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 2);
      g_assert_null (failed);
    }
  mn_voice_note_discard (note);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

static gsize
sealed_size (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  gsize size = 0;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (g_stat (path, &st) == 0)
        size = MAX (size, (gsize) st.st_size);
    }
  return size;
}

/* While a note is recorded, and once it is, nothing under the data
 * directory holds sound in clear: a live recording (a second of speech),
 * then a minute at full speed, whose sealed chunks are written while it
 * runs (over 64 KiB each), scanned at every turn of the main loop. */
static void
test_sealed_while_recording (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) live = new_note (dir, LIVE_SINE, "fakesink");
  g_autoptr(MnVoiceNote) fast = new_note (dir, "audiotestsrc wave=sine", "fakesink");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sound = NULL;
  guint scans = 0;
  gsize largest_while_recording = 0;

  g_assert_true (mn_voice_note_start (live, &error));
  g_assert_no_error (error);
  wait_for_elapsed (live, 1000);
  /* The folder and the recording are there (and the key), all scanned. */
  g_assert_cmpuint (mn_test_assert_no_plain_sound (tmp_dir), >=, 2);
  mn_voice_note_stop (live);
  wait_for_state (live, MN_VOICE_NOTE_STATE_RECORDED, 3);
  mn_test_assert_no_plain_sound (tmp_dir);
  mn_voice_note_discard (live);

  mn_voice_note_set_max_ms (fast, MN_VOICE_NOTE_MAX_MS);
  g_assert_true (mn_voice_note_start (fast, &error));
  g_assert_no_error (error);
  while (mn_voice_note_get_state (fast) != MN_VOICE_NOTE_STATE_RECORDED)
    {
      g_assert_cmpint (mn_voice_note_get_state (fast), !=, MN_VOICE_NOTE_STATE_EMPTY);
      mn_test_assert_no_plain_sound (tmp_dir);
      if (mn_voice_note_get_state (fast) == MN_VOICE_NOTE_STATE_RECORDING)
        largest_while_recording = MAX (largest_while_recording, sealed_size (dir));
      scans++;
      g_main_context_iteration (NULL, TRUE);
    }
  g_test_message ("%u scans; %" G_GSIZE_FORMAT " sealed bytes on the disk while recording, "
                  "%" G_GSIZE_FORMAT " at the end", scans, largest_while_recording,
                  sealed_size (dir));
  mn_test_assert_no_plain_sound (tmp_dir);
  /* A minute of Opus is ~190 KB: chunks were sealed and written while it
   * was recorded, not only the last one at the end. */
  g_assert_cmpuint (sealed_size (dir), >, 2 * 65536);
  g_assert_cmpuint (largest_while_recording, >, 65536);
  sound = mn_voice_note_read (fast, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (sound, NULL), 4, "OggS", 4);
  g_assert_true (bytes_contain (g_bytes_get_data (sound, NULL), g_bytes_get_size (sound),
                                "OpusHead"));
}

/* The recording file damaged or cut short after it was made: neither
 * played nor read, with a sentence; a whole one plays from memory. */
static void
test_damaged_refused (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(MnVoiceNote) note = new_note (dir, "audiotestsrc wave=sine", "fakesink sync=false");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) sound = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  const char *path;

  mn_voice_note_set_max_ms (note, 2000);
  g_assert_true (mn_voice_note_start (note, &error));
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 5);
  path = mn_voice_note_get_path (note);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));

  /* Whole: plays (from memory) to the end. */
  g_assert_true (mn_voice_note_play (note, &error));
  g_assert_no_error (error);
  wait_for_state (note, MN_VOICE_NOTE_STATE_RECORDED, 10);

  /* Cut short by one byte, then by its whole last chunk's tag. */
  for (gsize cut = 1; cut <= 17; cut += 16)
    {
      g_assert_true (g_file_set_contents (path, contents, (gssize) (length - cut), NULL));
      sound = mn_voice_note_read (note, &error);
      g_assert_null (sound);
      g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID);
      assert_sentence (error);
      g_clear_error (&error);
      g_assert_false (mn_voice_note_play (note, &error));
      g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_RECORDED);
    }
  /* A flipped byte. */
  contents[length / 2] ^= 0x20;
  g_assert_true (g_file_set_contents (path, contents, (gssize) length, NULL));
  g_assert_false (mn_voice_note_play (note, &error));
  g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_INVALID);
  g_clear_error (&error);

  /* No key: nothing is recorded at all, rather than in clear. */
  {
    g_autoptr(MnVoiceNote) keyless = mn_voice_note_new_full (dir, LIVE_SINE, "fakesink");

    g_assert_false (mn_voice_note_start (keyless, &error));
    g_assert_error (error, MN_VOICE_NOTE_ERROR, MN_VOICE_NOTE_ERROR_IO);
    assert_sentence (error);
    g_clear_error (&error);
  }
}

/* The process killed in the middle of a recording (power cut, crash):
 * what is left on the disk is sealed bytes only, a stream without its
 * final chunk that does not open, and the next start's sweep deletes it. */
static void
test_killed_mid_recording (void)
{
  g_autofree char *dir = recordings_dir ();
  g_autoptr(GDir) d = NULL;
  g_autofree char *left = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;
  gsize length = 0;

  if (g_test_subprocess ())
    {
      g_autoptr(MnVoiceNote) note = new_note (dir, "audiotestsrc wave=sine", "fakesink");

      g_assert_true (mn_voice_note_start (note, &error));
      /* Killed once a sealed chunk or two are on the disk. */
      while (sealed_size (dir) < 2 * 65536)
        {
          g_assert_cmpint (mn_voice_note_get_state (note), ==, MN_VOICE_NOTE_STATE_RECORDING);
          g_main_context_iteration (NULL, TRUE);
        }
      kill (getpid (), SIGKILL);
      g_assert_not_reached ();
    }

  mn_voice_note_sweep (dir);
  g_test_trap_subprocess (NULL, 20 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  name = g_dir_read_name (d);
  g_assert_nonnull (name);
  g_assert_null (g_dir_read_name (d));
  g_assert_true (g_str_has_suffix (name, ".ogg.sealed"));
  left = g_build_filename (dir, name, NULL);
  g_assert_true (g_file_get_contents (left, &contents, &length, NULL));
  g_test_message ("left by the killed recorder: %s, %" G_GSIZE_FORMAT " bytes", name, length);
  g_assert_cmpuint (length, >=, 2 * 65536);
  g_assert_cmpmem (contents, 4, "MNS1", 4);
  mn_test_assert_no_plain_sound (tmp_dir);

  /* Not whole: refused as damaged (cut short), not opened. */
  sealed = g_bytes_new_take (g_steal_pointer (&contents), length);
  opened = mn_vault_unseal_file_contents (vault, sealed, name, &error);
  g_assert_null (opened);
  g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL);

  /* The next start sweeps it. */
  mn_voice_note_sweep (dir);
  g_assert_cmpuint (count_files (dir), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  g_setenv ("LANGUAGE", "en", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);
  mn_test_hung_src_register ();
  /* A killed subprocess (/voice-note/killed-mid-recording) works in its
   * parent's folder, with its key. */
  if (g_getenv ("MINYIN_TEST_VOICE_DIR") != NULL)
    tmp_dir = g_strdup (g_getenv ("MINYIN_TEST_VOICE_DIR"));
  else
    {
      tmp_dir = g_dir_make_tmp ("minyin-voice-XXXXXX", NULL);
      g_setenv ("MINYIN_TEST_VOICE_DIR", tmp_dir, TRUE);
    }
  vault = mn_vault_open (tmp_dir, TRUE, NULL);
  g_assert_nonnull (vault);

  g_test_add_func ("/voice-note/record-and-decode", test_record_and_decode);
  g_test_add_func ("/voice-note/limit", test_limit);
  g_test_add_func ("/voice-note/new-recording-replaces", test_new_recording_replaces);
  g_test_add_func ("/voice-note/too-short", test_too_short);
  g_test_add_func ("/voice-note/no-microphone", test_no_microphone);
  g_test_add_func ("/voice-note/inspect-refuses", test_inspect_refuses);
  g_test_add_func ("/voice-note/sweep", test_sweep);
  g_test_add_func ("/voice-note/describe", test_describe);
  g_test_add_func ("/voice-note/cues", test_cues);
  g_test_add_func ("/voice-note/cue-sink-broken", test_cue_sink_broken);
  g_test_add_func ("/voice-note/stop-during-cue", test_stop_during_cue);
  g_test_add_func ("/voice-note/device-hangs", test_device_hangs);
  g_test_add_func ("/voice-note/device-hangs-in-close", test_device_hangs_in_close);
  g_test_add_func ("/voice-note/sweep-spares-live", test_sweep_spares_live);
  g_test_add_func ("/voice-note/short-beep-ends", test_short_beep_ends);
  g_test_add_func ("/voice-note/short-playback-ends", test_short_playback_ends);
  g_test_add_func ("/voice-note/sealed-while-recording", test_sealed_while_recording);
  g_test_add_func ("/voice-note/damaged-refused", test_damaged_refused);
  g_test_add_func ("/voice-note/killed-mid-recording", test_killed_mid_recording);

  status = g_test_run ();
  g_clear_pointer (&vault, mn_vault_free);
  if (g_test_subprocess ())
    return status;
  {
    g_autofree char *command = g_strdup_printf ("rm -rf '%s'", tmp_dir);
    if (system (command) != 0)
      g_printerr ("# could not remove %s\n", tmp_dir);
  }
  g_free (tmp_dir);
  return status;
}
