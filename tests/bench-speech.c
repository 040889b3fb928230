/* SPDX-License-Identifier: GPL-3.0-or-later */
/* How fast the kiosk starts and stops talking, over 200 prompts:
 *
 *   first audio: from mn_speech_say_prompt() to the first buffer reaching
 *                the sound output's pad (target: p95 < 100 ms);
 *   silence:     from mn_speech_stop() to the last buffer or the flush at
 *                that pad, whichever is later (target: p95 < 50 ms);
 *
 * against the espeak-ng command-line tool writing the same prompt to a WAV
 * file (spawned and timed in the same run), which is what a naive
 * "synthesise, then play the file" design would wait for before the first
 * sound. The output is a fakesink that plays in real time. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "mn-speech-prompts.h"
#include "mn-speech.h"
#include "speech-sink-watch.h"

#define N_RUNS 200

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y ? 1 : 0;
}

static double
percentile (GArray *values,
            double  p)
{
  guint i;

  g_array_sort (values, cmp_double);
  i = (guint) (p * (values->len - 1) + 0.5);
  return g_array_index (values, double, MIN (i, values->len - 1));
}

static void
bench_speech (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink ("fakesink sync=true");
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) silence = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) call = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cli = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *dir = g_dir_make_tmp ("minyin-bench-XXXXXX", NULL);
  g_autofree char *wav = g_build_filename (dir, "prompt.wav", NULL);
  g_autofree char *espeak = g_find_program_in_path ("espeak-ng");
  g_autofree char *rate = g_strdup_printf ("%u", MN_SPEECH_DEFAULT_RATE);
  SinkWatch *watch;
  double first_p50, first_p95, silence_p50, silence_p95, cli_p50, cli_p95, call_p95;
  guint i;

  g_assert_nonnull (espeak);
  mn_speech_set_language (speech, "zh_CN");
  g_assert_true (mn_speech_wait_idle (speech, 10000));
  g_assert_cmpint (mn_speech_get_state (speech), ==, MN_SPEECH_STATE_READY);
  watch = sink_watch_new (speech);

  for (i = 0; i < N_RUNS; i++)
    {
      MnSpeechPrompt p = i % MN_SPEECH_N_PROMPTS;
      g_autofree char *text = mn_speech_prompt_fill (mn_speech_prompt_text (p), "3302-01-261128-0017-5");
      g_autoptr(GArray) events = NULL;
      gint64 t0, t_stop, first_at = 0, silent_at = 0;
      double ms;
      guint k, buffers_at_stop;

      sink_watch_reset (watch);
      t0 = g_get_monotonic_time ();
      mn_speech_say_prompt (speech, text);
      ms = (g_get_monotonic_time () - t0) / 1000.0;
      g_array_append_val (call, ms);
      g_assert_true (sink_watch_wait_buffers (watch, 1, 5000));

      /* Listen for 1 to 4 chunks, then interrupt, as a person touching
       * the screen would. */
      g_assert_true (sink_watch_wait_buffers (watch, 1 + i % 4, 5000));
      g_mutex_lock (&watch->lock);
      buffers_at_stop = watch->n_flush_starts;
      g_mutex_unlock (&watch->lock);
      t_stop = g_get_monotonic_time ();
      mn_speech_stop (speech);
      g_assert_true (sink_watch_wait_flush (watch, buffers_at_stop + 1, 5000));

      events = sink_watch_events (watch);
      for (k = 0; k < events->len; k++)
        {
          WatchEvent *ev = &g_array_index (events, WatchEvent, k);

          if (ev->kind == WATCH_BUFFER && first_at == 0)
            first_at = ev->at_us;
          if (ev->at_us >= t_stop && (ev->kind == WATCH_BUFFER || ev->kind == WATCH_FLUSH_START))
            silent_at = MAX (silent_at, ev->at_us);
        }
      ms = (first_at - t0) / 1000.0;
      g_array_append_val (first, ms);
      ms = (silent_at - t_stop) / 1000.0;
      g_array_append_val (silence, ms);

      /* The command-line tool on the same text, to a file. */
      {
        const char *argv[] = { espeak, "-v", "cmn-latn-pinyin", "-s", rate, "-w", wav, text, NULL };
        g_autoptr(GError) error = NULL;
        int status = 0;

        t0 = g_get_monotonic_time ();
        g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL,
                                     NULL, NULL, NULL, NULL, &status, &error));
        ms = (g_get_monotonic_time () - t0) / 1000.0;
        g_assert_no_error (error);
        g_assert_true (g_spawn_check_wait_status (status, NULL));
        g_array_append_val (cli, ms);
      }
    }

  call_p95 = percentile (call, 0.95);
  first_p50 = percentile (first, 0.50);
  first_p95 = percentile (first, 0.95);
  silence_p50 = percentile (silence, 0.50);
  silence_p95 = percentile (silence, 0.95);
  cli_p50 = percentile (cli, 0.50);
  cli_p95 = percentile (cli, 0.95);

  g_print ("# speech over %d prompts (zh_CN, cmn-latn-pinyin, %s wpm, fakesink sync=true)\n", N_RUNS, rate);
  g_print ("#   say() returns:            p50 %8.3f ms   p95 %8.3f ms\n", percentile (call, 0.5), call_p95);
  g_print ("#   say() to first audio:     p50 %8.3f ms   p95 %8.3f ms   (target p95 < 100 ms)\n", first_p50, first_p95);
  g_print ("#   stop() to silence:        p50 %8.3f ms   p95 %8.3f ms   (target p95 < 50 ms)\n", silence_p50, silence_p95);
  g_print ("#   espeak-ng -w (CLI, WAV):  p50 %8.3f ms   p95 %8.3f ms\n", cli_p50, cli_p95);
  g_print ("#   ratio CLI / first audio:  p50 %8.1fx     p95 %8.1fx\n",
           cli_p50 / MAX (first_p50, 0.001), cli_p95 / MAX (first_p95, 0.001));

  g_assert_cmpfloat (first_p95, <, 100.0);
  g_assert_cmpfloat (silence_p95, <, 50.0);

  sink_watch_free (watch);
  g_unlink (wav);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("MINYIN_LOCALEDIR");

  /* The prompts in Chinese, from the built catalogue. */
  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  setlocale (LC_MESSAGES, "zh_CN.UTF-8");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bench/speech", bench_speech);
  return g_test_run ();
}
