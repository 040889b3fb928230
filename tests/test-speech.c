/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The speech service: every fixed prompt in every language (phonemes of
 * that language, audible, of a plausible length), stop, replace, repeat,
 * volume, many threads at once, and no sound device. The sound output is a
 * fakesink that plays in real time (sync=true): neither developers' nor
 * CI's machines have a sound card. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <locale.h>
#include <string.h>

#include "mn-cli-speak.h"
#include "mn-speech-prompts.h"
#include "mn-speech.h"
#include "speech-sink-watch.h"

#define SINK "fakesink sync=true"
#define CASE_CODE "3302-01-261128-0017-5"

/* Until po/ carries these languages, the test speaks these renderings of
 * the prompts; a catalogue's translation, where there is one, is spoken
 * instead (and so tested). */
static const char *const reference_zh_CN[MN_SPEECH_N_PROMPTS] = {
  "欢迎使用。请触摸屏幕，提交诉求，或者查询您以前提交的诉求。",
  "请选择类别。",
  "请选择最符合您问题的描述。",
  "请选择问题所在的地址。",
  "请输入手机号码，或者选择匿名。",
  "请核对您的诉求。无误请按提交，需要修改请按更改。",
  "您的诉求已保存。您的事项编码是%s。请保管好打印的凭条。",
  "请用键盘输入您的事项编码。",
  "已呼叫工作人员，请稍候。",
  "您还在吗？请按更多时间继续。",
  "时间到了。您输入的内容已经清除。",
  "您对诉求的处理结果满意吗？",
  "出了点问题。请重试，或者请工作人员帮忙。",
  "手机号码不完整。请检查后重新输入。",
  "没有找到这个事项编码。请检查数字后重试。",
  "您的诉求没能保存，内容没有丢失。请工作人员帮忙。",
  "请点选符合的句子，或者录一段语音留言。",
  "听到“嘀”声后说话，说完点“停止”。",
};

static const char *const reference_zh_HK[MN_SPEECH_N_PROMPTS] = {
  "歡迎使用。請觸摸屏幕，提交訴求，或者查詢您以前提交的訴求。",
  "請選擇類別。",
  "請選擇最符合您問題的描述。",
  "請選擇問題所在的地址。",
  "請輸入手機號碼，或者選擇匿名。",
  "請核對您的訴求。無誤請按提交，需要修改請按更改。",
  "您的訴求已保存。您的事項編碼是%s。請保管好打印的憑條。",
  "請用鍵盤輸入您的事項編碼。",
  "已呼叫工作人員，請稍候。",
  "您還在嗎？請按更多時間繼續。",
  "時間到了。您輸入的內容已經清除。",
  "您對訴求的處理結果滿意嗎？",
  "出了點問題。請重試，或者請工作人員幫忙。",
  "手機號碼不完整。請檢查後重新輸入。",
  "沒有找到這個事項編碼。請檢查數字後重試。",
  "您的訴求沒能保存，內容沒有丟失。請工作人員幫忙。",
  "請選擇符合的句子，或者錄一段語音留言。",
  "聽到「嘀」一聲後說話，說完後按「停止」。",
};

static const char *const reference_ug[MN_SPEECH_N_PROMPTS] = {
  "خۇش كەلدىڭىز. ئىلتىماس سۇنۇش ياكى ئىلگىرى سۇنغان ئىلتىماسىڭىزنى كۆرۈش ئۈچۈن ئېكراننى بېسىڭ.",
  "بىر تۈرنى تاللاڭ.",
  "مەسىلىڭىزنى ئەڭ ياخشى چۈشەندۈرىدىغاننى تاللاڭ.",
  "مەسىلە بار ئادرېسنى تاللاڭ.",
  "كۇنۇپكا تاختىسىدا تېلېفون نومۇرىڭىزنى كىرگۈزۈڭ ياكى نامسىز بولۇشنى تاللاڭ.",
  "ئىلتىماسىڭىزنى تەكشۈرۈڭ. توغرا بولسا سۇنۇشنى، ئۆزگەرتمەكچى بولسىڭىز ئۆزگەرتىشنى بېسىڭ.",
  "ئىلتىماسىڭىز ساقلاندى. دېلو نومۇرىڭىز %s. بېسىلغان تالوننى ساقلاپ قويۇڭ.",
  "كۇنۇپكا تاختىسىدا دېلو نومۇرىڭىزنى كىرگۈزۈڭ.",
  "خادىملار چاقىرىلدى، سەل ساقلاڭ.",
  "سىز يەنىلا بارمۇ؟ داۋاملاشتۇرۇش ئۈچۈن تېخىمۇ كۆپ ۋاقىتنى بېسىڭ.",
  "ۋاقىت توشتى. كىرگۈزگەنلىرىڭىز ئۆچۈرۈلدى.",
  "ئىلتىماسىڭىزنىڭ بىر تەرەپ قىلىنىشىدىن رازىمۇ؟",
  "خاتالىق كۆرۈلدى. قايتا سىناڭ ياكى خادىملاردىن ياردەم سوراڭ.",
  "تېلېفون نومۇرى تولۇق ئەمەس. تەكشۈرۈپ قايتا كىرگۈزۈڭ.",
  "بۇ دېلو نومۇرى تېپىلمىدى. رەقەملەرنى تەكشۈرۈپ قايتا سىناڭ.",
  "ئىلتىماسىڭىز ساقلانمىدى، ھېچنېمە يوقالمىدى. خادىملاردىن ياردەم سوراڭ.",
  "ماس كېلىدىغان جۈملىلەرنى تاللاڭ، ياكى ئاۋازلىق ئىزاھات خاتىرىلەڭ.",
  "«دىت» قىلغان ئاۋازدىن كېيىن سۆزلەڭ، ئاندىن «توختىتىش»نى بېسىڭ.",
};

typedef struct
{
  const char *language;
  const char *locale;
  const char *const *reference;
} Language;

static const Language languages[] = {
  { "zh_CN", "zh_CN.UTF-8", reference_zh_CN },
  { "zh_HK", "zh_HK.UTF-8", reference_zh_HK },
  { "ug", "ug_CN.UTF-8", reference_ug },
  { "en", "en_US.UTF-8", NULL },
};

/* The prompt as the kiosk shows it in @lang: gettext's translation if the
 * catalogue has one, else the reference above. */
static char *
prompt_in (const Language *lang,
           MnSpeechPrompt  prompt)
{
  const char *text;

  /* LC_MESSAGES alone (LANGUAGE is unset in main): the environment must
   * not change once the speech threads run. */
  setlocale (LC_MESSAGES, lang->locale);
  text = mn_speech_prompt_text (prompt);
  if (lang->reference != NULL && g_str_equal (text, mn_speech_prompt_msgid (prompt)))
    text = lang->reference[prompt];
  else if (lang->reference != NULL)
    g_test_message ("%s %s: from the catalogue", lang->language, mn_speech_prompt_name (prompt));
  return mn_speech_prompt_fill (text, CASE_CODE);
}

static guint
count_tones (const char *ph)
{
  guint n = 0;
  const char *p;

  for (p = ph; *p != '\0'; p++)
    if (g_ascii_isdigit (*p) && (p == ph || !g_ascii_isdigit (p[-1])))
      n++;
  return n;
}

/* Rough units of speech: a Han character or a digit is a syllable; in
 * other scripts a word is. */
static guint
count_units (const char *text)
{
  guint n = 0;
  gboolean in_word = FALSE;
  const char *p;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isdigit (c) || g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
        {
          n++;
          in_word = FALSE;
        }
      else if (g_unichar_isalpha (c) || g_unichar_ismark (c))
        {
          if (!in_word)
            n++;
          in_word = TRUE;
        }
      else
        in_word = FALSE;
    }
  return n;
}

static guint
count_han (const char *text)
{
  guint n = 0;
  const char *p;

  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_get_script (g_utf8_get_char (p)) == G_UNICODE_SCRIPT_HAN)
      n++;
  return n;
}

static double
rms_of (GBytes *samples)
{
  gsize size = 0;
  const gint16 *s = g_bytes_get_data (samples, &size);
  double sum = 0;
  gsize i, n = size / 2;

  for (i = 0; i < n; i++)
    sum += (double) s[i] * s[i];
  return n > 0 ? sqrt (sum / n) : 0;
}

/* Every fixed prompt, in every language: phonemes of that language, tones
 * for Chinese, audible, and as long as its text. */
static void
test_prompts (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  guint l, p;

  for (l = 0; l < G_N_ELEMENTS (languages); l++)
    for (p = 0; p < MN_SPEECH_N_PROMPTS; p++)
      {
        const Language *lang = &languages[l];
        g_autofree char *text = prompt_in (lang, p);
        g_autoptr(GError) error = NULL;
        g_autofree char *ph = mn_speech_get_phonemes (speech, lang->language, text, &error);
        g_autoptr(GBytes) samples = NULL;
        guint rate = 0, units = count_units (text);
        double seconds, rms;

        g_assert_no_error (error);
        g_assert_nonnull (ph);
        g_test_message ("%s %s: %s", lang->language, mn_speech_prompt_name (p), ph);

        /* "(en)" and the like: espeak-ng switched language mid-text. */
        g_assert_null (strstr (ph, "("));
        if (g_str_has_prefix (lang->language, "zh"))
          {
            /* A tone on every character, and on every digit of a code. */
            guint han = count_han (text);
            guint tones = count_tones (ph);

            if (mn_speech_prompt_takes_code (p))
              han += 17;
            g_assert_cmpuint (tones, >=, han);
          }
        else
          g_assert_cmpuint (strlen (ph), >, units);

        samples = mn_speech_synthesize (speech, lang->language, text, &rate, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (rate, >, 8000);
        seconds = (double) g_bytes_get_size (samples) / 2 / rate;
        rms = rms_of (samples);
        g_test_message ("  %u units, %.2f s, rms %.0f", units, seconds, rms);
        g_assert_cmpfloat (rms, >, 500.0);
        /* Between a fast 0.12 s and a slow 0.8 s per unit, at 150 words a
         * minute. */
        g_assert_cmpfloat (seconds, >, 0.12 * units);
        g_assert_cmpfloat (seconds, <, 0.8 * units + 0.5);
        /* The estimate whoever waits for the voice relies on is an upper
         * bound, and not a wild one. */
        {
          guint estimate = mn_speech_text_estimate_ms (text, mn_speech_get_rate (speech));

          g_test_message ("  estimated %.2f s", estimate / 1000.0);
          g_assert_cmpfloat (seconds * 1000, <=, estimate);
          g_assert_cmpfloat (estimate, <, seconds * 1000 * 2.5 + 1000);
        }
      }

  setlocale (LC_MESSAGES, "");
}

/* The Record instructions at the slowest, default and fastest rates: the
 * estimate (the longest the details page waits for them to be said) holds
 * in every language, and is seconds, not half a minute. */
static void
test_estimate_rates (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  static const guint rates[] = { 80, MN_SPEECH_DEFAULT_RATE, 450 };

  for (guint l = 0; l < G_N_ELEMENTS (languages); l++)
    for (guint r = 0; r < G_N_ELEMENTS (rates); r++)
      {
        const Language *lang = &languages[l];
        g_autofree char *text = prompt_in (lang, MN_SPEECH_PROMPT_RECORD_HOW);
        g_autoptr(GError) error = NULL;
        g_autoptr(GBytes) samples = NULL;
        guint sample_rate = 0, estimate;
        double ms;

        mn_speech_set_rate (speech, rates[r]);
        samples = mn_speech_synthesize (speech, lang->language, text, &sample_rate, &error);
        g_assert_no_error (error);
        ms = (double) g_bytes_get_size (samples) / 2 / sample_rate * 1000;
        estimate = mn_speech_text_estimate_ms (text, rates[r]);
        g_test_message ("%s at %u: said in %.0f ms, estimated %u ms", lang->language, rates[r],
                        ms, estimate);
        g_assert_cmpfloat (ms, <=, estimate);
        g_assert_cmpfloat (estimate, <, ms * 2.5 + 1000);
        g_assert_cmpuint (estimate, <=, 15000);
      }
  setlocale (LC_MESSAGES, "");
}

/* A place name inside an English or Uyghur sentence is read in Mandarin,
 * with its tones, not spelt "Chinese letter" character by character. */
static void
test_mixed_scripts (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  static const char *const sentences[][2] = {
    { "en", "Location: 定海区 环南街道, building 3" },
    { "ug", "ئورنى: 定海区 环南街道" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (sentences); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *ph = mn_speech_get_phonemes (speech, sentences[i][0], sentences[i][1], &error);
      g_autoptr(GBytes) samples = NULL;
      guint rate = 0;

      g_assert_no_error (error);
      g_test_message ("%s: %s", sentences[i][0], ph);
      g_assert_null (strstr (ph, "tS'aIni:z"));
      g_assert_null (strstr (ph, "("));
      g_assert_cmpuint (count_tones (ph), >=, count_han (sentences[i][1]));

      samples = mn_speech_synthesize (speech, sentences[i][0], sentences[i][1], &rate, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (rms_of (samples), >, 500.0);
    }
}

static void
test_states (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  GEnumClass *klass;

  g_assert_true (mn_speech_wait_idle (speech, 10000));
  g_assert_cmpint (mn_speech_get_state (speech), ==, MN_SPEECH_STATE_READY);
  g_assert_null (mn_speech_get_state_message (speech));

  klass = g_type_class_ref (MN_TYPE_SPEECH_STATE);
  g_assert_cmpstr (g_enum_get_value (klass, MN_SPEECH_STATE_NO_AUDIO_OUTPUT)->value_nick, ==, "no-audio-output");
  g_type_class_unref (klass);

  mn_speech_set_rate (speech, 20);
  g_assert_cmpuint (mn_speech_get_rate (speech), ==, 80);
  mn_speech_set_language (speech, "ug");
  g_assert_cmpstr (mn_speech_get_language (speech), ==, "ug");
}

/* The terminal's settings drive rate, default volume and on/off. */
static void
test_settings (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  g_autoptr(GSettings) settings = g_settings_new ("org.minyin.Terminal");
  g_autofree char *last = NULL;

  g_settings_set_uint (settings, "voice-rate", 120);
  g_settings_set_uint (settings, "voice-volume", 60);
  mn_speech_bind_settings (speech, settings);
  g_assert_cmpuint (mn_speech_get_rate (speech), ==, 120);
  g_assert_cmpfloat_with_epsilon (mn_speech_get_default_volume (speech), 0.6, 1e-9);
  g_assert_cmpfloat_with_epsilon (mn_speech_get_volume (speech), 0.6, 1e-9);

  /* A person turns it up; staff change the default: back to the default. */
  mn_speech_set_volume (speech, 1.0);
  g_settings_set_uint (settings, "voice-volume", 90);
  g_assert_cmpfloat_with_epsilon (mn_speech_get_volume (speech), 0.9, 1e-9);

  g_settings_set_boolean (settings, "voice-enabled", FALSE);
  g_assert_false (mn_speech_get_enabled (speech));
  mn_speech_say_prompt (speech, "请选择类别。");
  last = mn_speech_dup_last_text (speech);
  g_assert_null (last);
  g_assert_true (mn_speech_wait_idle (speech, 1000));
  g_assert_false (mn_speech_get_speaking (speech));
  g_settings_set_boolean (settings, "voice-enabled", TRUE);
  g_assert_true (mn_speech_get_enabled (speech));
  g_settings_reset (settings, "voice-rate");
  g_settings_reset (settings, "voice-volume");
  g_settings_reset (settings, "voice-enabled");
}

static double
rms_of_buffers (GArray *events)
{
  double sum = 0;
  guint64 n = 0;
  guint i;

  for (i = 0; i < events->len; i++)
    {
      WatchEvent *ev = &g_array_index (events, WatchEvent, i);
      if (ev->kind == WATCH_BUFFER)
        {
          sum += ev->sum_squares;
          n += ev->n_samples;
        }
    }
  return n > 0 ? sqrt (sum / (double) n) : 0;
}

/* Audio after the last flush, in seconds. */
static double
seconds_after_last_flush (GArray *events)
{
  GstClockTime total = 0;
  guint i;

  for (i = 0; i < events->len; i++)
    {
      WatchEvent *ev = &g_array_index (events, WatchEvent, i);
      if (ev->kind == WATCH_FLUSH_STOP)
        total = 0;
      else if (ev->kind == WATCH_BUFFER)
        total += ev->duration;
    }
  return (double) total / GST_SECOND;
}

/* No two utterances mixed: within what reaches the sink, timestamps only
 * ever restart after a flush. */
static void
assert_no_interleaving (GArray *events)
{
  GstClockTime expected = 0;
  guint i;

  for (i = 0; i < events->len; i++)
    {
      WatchEvent *ev = &g_array_index (events, WatchEvent, i);
      if (ev->kind == WATCH_FLUSH_STOP)
        expected = 0;
      else if (ev->kind == WATCH_BUFFER)
        {
          if (ev->pts != expected)
            g_error ("buffer %u at %" GST_TIME_FORMAT ", expected %" GST_TIME_FORMAT
                     ": two utterances were mixed", i, GST_TIME_ARGS (ev->pts), GST_TIME_ARGS (expected));
          expected = ev->pts + ev->duration;
        }
    }
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    data)
{
  GPtrArray *seen = data;

  /* Properties change on the main context only. */
  g_assert_true (g_main_context_is_owner (g_main_context_default ()));
  g_ptr_array_add (seen, GINT_TO_POINTER (mn_speech_get_speaking (MN_SPEECH (object)) ? 1 : 2));
}

static void
iterate_until_speaking_is (MnSpeech *speech,
                           gboolean  value)
{
  gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

  while (mn_speech_get_speaking (speech) != value)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static char *
long_text (void)
{
  GString *s = g_string_new (NULL);
  guint i;

  for (i = 0; i < 6; i++)
    g_string_append (s, reference_zh_CN[i]);
  return g_string_free (s, FALSE);
}

/* Stop during a long prompt: silence within 50 ms, nothing after, and
 * "speaking" goes back to FALSE. */
static void
test_stop (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  g_autofree char *text = long_text ();
  SinkWatch *watch = sink_watch_new (speech);
  g_autoptr(GArray) events = NULL;
  gint64 stop_at, silent_at = 0, call_us;
  guint i, buffers_at_flush;

  g_signal_connect (speech, "notify::speaking", G_CALLBACK (notify_cb), seen);
  mn_speech_say_prompt (speech, text);
  iterate_until_speaking_is (speech, TRUE);
  /* Let it talk for a while (10 chunks, 0.4 s) before interrupting. */
  g_assert_true (sink_watch_wait_buffers (watch, 10, 5000));

  stop_at = g_get_monotonic_time ();
  mn_speech_stop (speech);
  call_us = g_get_monotonic_time () - stop_at;
  g_assert_true (sink_watch_wait_flush (watch, 1, 1000));
  g_mutex_lock (&watch->lock);
  buffers_at_flush = watch->n_buffers;
  g_mutex_unlock (&watch->lock);
  /* Nothing may arrive after the flush: wait for a buffer that must not
   * come, for longer than a chunk lasts. */
  g_assert_false (sink_watch_wait_buffers (watch, buffers_at_flush + 1, 300));

  events = sink_watch_events (watch);
  for (i = 0; i < events->len; i++)
    {
      WatchEvent *ev = &g_array_index (events, WatchEvent, i);
      if (ev->at_us >= stop_at && (ev->kind == WATCH_BUFFER || ev->kind == WATCH_FLUSH_START))
        silent_at = MAX (silent_at, ev->at_us);
    }
  g_test_message ("stop() returned in %" G_GINT64_FORMAT " us; silence after %.2f ms",
                  call_us, (silent_at - stop_at) / 1000.0);
  g_assert_cmpint (call_us, <, 5000);
  g_assert_cmpint (silent_at - stop_at, <, 50000);

  iterate_until_speaking_is (speech, FALSE);
  g_assert_cmpuint (seen->len, >=, 2);

  sink_watch_free (watch);
}

/* A new prompt replaces the old one, which is cut off; the new one plays
 * in full; speaking stays TRUE across and ends FALSE. */
static void
test_replace (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  g_autofree char *text = long_text ();
  const char *second = reference_zh_CN[MN_SPEECH_PROMPT_STAFF_CALLED];
  SinkWatch *watch = sink_watch_new (speech);
  g_autoptr(GArray) events = NULL;
  g_autoptr(GBytes) expected = NULL;
  guint rate = 0;
  double want, got;

  expected = mn_speech_synthesize (speech, "zh_CN", second, &rate, NULL);
  want = (double) g_bytes_get_size (expected) / 2 / rate;

  mn_speech_say_prompt (speech, text);
  g_assert_true (sink_watch_wait_buffers (watch, 5, 5000));
  mn_speech_say_prompt (speech, second);
  g_assert_true (mn_speech_wait_idle (speech, 20000));
  g_assert_false (mn_speech_get_speaking (speech));

  events = sink_watch_events (watch);
  assert_no_interleaving (events);
  got = seconds_after_last_flush (events);
  g_test_message ("second prompt: %.4f s synthesised, %.4f s played", want, got);
  /* espeak-ng's pauses vary by a few tens of milliseconds with what it
   * said before; a whole other prompt or a lost chunk is far more. */
  g_assert_cmpfloat (fabs (got - want), <, 0.1);

  sink_watch_free (watch);
}

/* Repeat says the last prompt or error again, not a button's name. */
static void
test_repeat (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  const char *prompt = reference_zh_CN[MN_SPEECH_PROMPT_CHOOSE_CATEGORY];
  SinkWatch *watch = sink_watch_new (speech);
  g_autoptr(GArray) events = NULL;
  g_autoptr(GBytes) expected = NULL;
  g_autofree char *last = NULL;
  guint rate = 0;
  double want, got;

  mn_speech_say_prompt (speech, prompt);
  mn_speech_say_button (speech, "重复");
  last = mn_speech_dup_last_text (speech);
  g_assert_cmpstr (last, ==, prompt);
  g_assert_true (mn_speech_wait_idle (speech, 20000));

  /* The prompt in English now: repeat keeps the language it was said in. */
  mn_speech_set_language (speech, "en");
  sink_watch_reset (watch);
  mn_speech_repeat (speech);
  g_assert_true (mn_speech_wait_idle (speech, 20000));

  expected = mn_speech_synthesize (speech, "zh_CN", prompt, &rate, NULL);
  want = (double) g_bytes_get_size (expected) / 2 / rate;
  events = sink_watch_events (watch);
  got = seconds_after_last_flush (events);
  g_test_message ("repeat: %.4f s synthesised, %.4f s played", want, got);
  /* espeak-ng's pauses vary by a few tens of milliseconds with what it
   * said before; a whole other prompt or a lost chunk is far more. */
  g_assert_cmpfloat (fabs (got - want), <, 0.1);

  mn_speech_say_error (speech, "Wrong number");
  g_clear_pointer (&last, g_free);
  last = mn_speech_dup_last_text (speech);
  g_assert_cmpstr (last, ==, "Wrong number");
  mn_speech_stop (speech);

  sink_watch_free (watch);
}

/* Volume 0 is silence at the sink; reset brings the default back. */
static void
test_volume (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  const char *prompt = reference_zh_CN[MN_SPEECH_PROMPT_CHOOSE_CATEGORY];
  SinkWatch *watch = sink_watch_new (speech);
  g_autoptr(GArray) quiet = NULL;
  g_autoptr(GArray) loud = NULL;

  mn_speech_set_default_volume (speech, 0.8);
  mn_speech_set_volume (speech, 0.0);
  g_assert_cmpfloat (mn_speech_get_volume (speech), ==, 0.0);
  mn_speech_say_prompt (speech, prompt);
  g_assert_true (mn_speech_wait_idle (speech, 20000));
  quiet = sink_watch_events (watch);

  mn_speech_reset_volume (speech);
  g_assert_cmpfloat (mn_speech_get_volume (speech), ==, 0.8);
  sink_watch_reset (watch);
  mn_speech_say_prompt (speech, prompt);
  g_assert_true (mn_speech_wait_idle (speech, 20000));
  loud = sink_watch_events (watch);

  g_test_message ("rms at volume 0: %.1f, at 0.8: %.1f", rms_of_buffers (quiet), rms_of_buffers (loud));
  g_assert_cmpfloat (rms_of_buffers (quiet), ==, 0.0);
  g_assert_cmpfloat (rms_of_buffers (loud), >, 500.0);

  sink_watch_free (watch);
}

typedef struct
{
  MnSpeech *speech;
  guint seed;
} ThreadData;

static gpointer
hammer (gpointer data)
{
  ThreadData *td = data;
  GRand *rand = g_rand_new_with_seed (td->seed);
  guint i;

  for (i = 0; i < 50; i++)
    {
      MnSpeechPrompt p = g_rand_int_range (rand, 0, MN_SPEECH_N_PROMPTS);
      const char *text = reference_zh_CN[p];

      switch (g_rand_int_range (rand, 0, 6))
        {
        case 0: mn_speech_say_prompt (td->speech, text); break;
        case 1: mn_speech_say_button (td->speech, "提交"); break;
        case 2: mn_speech_say_error (td->speech, text); break;
        case 3: mn_speech_stop (td->speech); break;
        case 4: mn_speech_repeat (td->speech); break;
        default:
          /* Let some of them get to the sound output. */
          mn_speech_say_prompt (td->speech, "1 2 3");
          g_usleep (g_rand_int_range (rand, 0, 30000));
          break;
        }
    }
  g_rand_free (rand);
  return NULL;
}

/* 8 threads × 50 calls at once: no crash, no mixed audio, and afterwards
 * the service still speaks a prompt in full and ends idle. */
static void
test_threads (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (SINK);
  g_autoptr(GPtrArray) seen = g_ptr_array_new ();
  const char *final = reference_zh_CN[MN_SPEECH_PROMPT_TIME_UP];
  SinkWatch *watch = sink_watch_new (speech);
  GThread *threads[8];
  ThreadData data[8];
  g_autoptr(GArray) events = NULL;
  g_autoptr(GBytes) expected = NULL;
  guint i, rate = 0;
  double want, got;
  gint64 start;

  g_signal_connect (speech, "notify::speaking", G_CALLBACK (notify_cb), seen);
  start = g_get_monotonic_time ();
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    {
      data[i].speech = speech;
      data[i].seed = 1000 + i;
      threads[i] = g_thread_new ("hammer", hammer, &data[i]);
    }
  for (i = 0; i < G_N_ELEMENTS (threads); i++)
    g_thread_join (threads[i]);
  g_test_message ("400 calls from 8 threads in %.1f ms", (g_get_monotonic_time () - start) / 1000.0);

  mn_speech_say_prompt (speech, final);
  g_assert_true (mn_speech_wait_idle (speech, 20000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_false (mn_speech_get_speaking (speech));

  events = sink_watch_events (watch);
  assert_no_interleaving (events);
  expected = mn_speech_synthesize (speech, "zh_CN", final, &rate, NULL);
  want = (double) g_bytes_get_size (expected) / 2 / rate;
  got = seconds_after_last_flush (events);
  g_test_message ("%u events at the sink; last prompt %.4f s synthesised, %.4f s played",
                  events->len, want, got);
  /* espeak-ng's pauses vary by a few tens of milliseconds with what it
   * said before; a whole other prompt or a lost chunk is far more. */
  g_assert_cmpfloat (fabs (got - want), <, 0.1);

  sink_watch_free (watch);
}

static void
assert_no_output_carries_on (const char *sink)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink (sink);
  g_autoptr(GError) error = NULL;
  g_autofree char *ph = NULL;
  gint64 start;

  g_assert_true (mn_speech_wait_idle (speech, 10000));
  g_assert_cmpint (mn_speech_get_state (speech), ==, MN_SPEECH_STATE_NO_AUDIO_OUTPUT);
  g_assert_nonnull (mn_speech_get_state_message (speech));
  g_test_message ("%s: %s", sink, mn_speech_get_state_message (speech));

  start = g_get_monotonic_time ();
  mn_speech_say_prompt (speech, reference_zh_CN[MN_SPEECH_PROMPT_WELCOME]);
  mn_speech_say_button (speech, "提交");
  mn_speech_repeat (speech);
  mn_speech_stop (speech);
  mn_speech_say_error (speech, reference_zh_CN[MN_SPEECH_PROMPT_ERROR_TRY_AGAIN]);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5000);
  /* Nothing can be heard, so nothing is being said. */
  g_assert_true (mn_speech_wait_idle (speech, 2000));
  g_assert_false (mn_speech_get_speaking (speech));

  /* The rest carries on: phonemes and synthesis still work. */
  ph = mn_speech_get_phonemes (speech, "zh_CN", "请选择类别", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_tones (ph), ==, 5);
}

static void
test_no_audio_output (void)
{
  /* A device that will not open, and one that does not exist at all. */
  assert_no_output_carries_on ("fakesink state-error=null-to-ready");
  assert_no_output_carries_on ("nosuchaudiosink");
}

/* The device fails while speaking (an error on the bus): reported, and
 * speaking ends. */
static void
test_output_fails_midway (void)
{
  g_autoptr(MnSpeech) speech = mn_speech_new_with_sink ("identity error-after=5 ! fakesink sync=true");
  g_autofree char *text = long_text ();

  g_assert_true (mn_speech_wait_idle (speech, 10000));
  g_assert_cmpint (mn_speech_get_state (speech), ==, MN_SPEECH_STATE_READY);

  mn_speech_say_prompt (speech, text);
  g_assert_true (mn_speech_wait_idle (speech, 5000));
  g_assert_cmpint (mn_speech_get_state (speech), ==, MN_SPEECH_STATE_NO_AUDIO_OUTPUT);
  g_assert_false (mn_speech_get_speaking (speech));
  g_test_message ("%s", mn_speech_get_state_message (speech));
}

static void
test_cli_phonemes (void)
{
  if (g_test_subprocess ())
    {
      const char *argv[] = { "speak", "--lang", "zh_CN", "--phonemes", "请到银行办理", NULL };
      exit (mn_cli_speak_main (5, (char **) argv));
    }
  g_test_trap_subprocess (NULL, 20000000, 0);
  g_test_trap_assert_passed ();
  /* 行 as hang2, from the lexicon. */
  g_test_trap_assert_stdout ("*ji35nX'a35N*");
}

static void
test_cli_wav (void)
{
  g_autofree char *dir = g_dir_make_tmp ("minyin-speech-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "out.wav", NULL);

  if (g_test_subprocess ())
    {
      const char *argv[] = { "minyin", "speak", "--lang", "en", "--wav", g_getenv ("WAV_OUT"), "Case 3302-01", NULL };
      exit (mn_cli_speak_main (7, (char **) argv));
    }
  {
    g_autofree char *data = NULL;
    gsize length = 0;

    g_setenv ("WAV_OUT", path, TRUE);
    g_test_trap_subprocess (NULL, 20000000, 0);
    g_test_trap_assert_passed ();
    g_assert_true (g_file_get_contents (path, &data, &length, NULL));
    g_assert_cmpuint (length, >, 44 + 22050);
    g_assert_cmpmem (data, 4, "RIFF", 4);
    g_assert_cmpmem (data + 8, 8, "WAVEfmt ", 8);
    g_unlink (path);
    g_rmdir (dir);
  }
}

static void
test_cli_no_output (void)
{
  if (g_test_subprocess ())
    {
      const char *argv[] = { "speak", "--lang", "en", "hello", NULL };
      g_setenv ("MINYIN_AUDIO_SINK", "fakesink state-error=null-to-ready", TRUE);
      setlocale (LC_ALL, "C.UTF-8");
      exit (mn_cli_speak_main (4, (char **) argv));
    }
  g_test_trap_subprocess (NULL, 20000000, 0);
  g_test_trap_assert_failed ();
  /* One sentence, not also a log line. */
  g_test_trap_assert_stderr ("No sound output is working*speakers*\n");
}

/* espeak-ng's library is opened when the voice starts: without it, one
 * sentence that says which package to install. */
static void
test_cli_no_synthesizer (void)
{
  if (g_test_subprocess ())
    {
      const char *argv[] = { "speak", "--lang", "en", "hello", NULL };
      g_setenv ("MINYIN_ESPEAK_LIBRARY", "libespeak-ng-not-there.so.1", TRUE);
      setlocale (LC_ALL, "C.UTF-8");
      exit (mn_cli_speak_main (4, (char **) argv));
    }
  g_test_trap_subprocess (NULL, 20000000, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*espeak-ng is not installed. Install the libespeak-ng1 package.\n");
}

/* The kiosk's order: the application loads the synthesizer on the main
 * thread (mn_speech_load_synthesizer()), then the speech thread tries
 * again; the state it reports still says which package to install, not
 * "reinstall espeak-ng-data" (as it did when the second try read only
 * "failed"). */
static void
test_no_synthesizer_state (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MnSpeech) speech = NULL;

      g_setenv ("MINYIN_ESPEAK_LIBRARY", "libespeak-ng-not-there.so.1", TRUE);
      setlocale (LC_ALL, "C.UTF-8");
      g_assert_false (mn_speech_load_synthesizer (&error));
      g_assert_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_NO_SYNTHESIZER);
      g_printerr ("load: %s\n", error->message);
      speech = mn_speech_new ();
      mn_speech_say_prompt (speech, "hello");
      g_assert_true (mn_speech_wait_idle (speech, 10000));
      g_assert_cmpint (mn_speech_get_state (speech), ==, MN_SPEECH_STATE_NO_SYNTHESIZER);
      g_printerr ("state: %s\n", mn_speech_get_state_message (speech));
      exit (0);
    }
  g_test_trap_subprocess (NULL, 20000000, 0);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("load: *espeak-ng is not installed. Install the libespeak-ng1 package.\n"
                             "state: *espeak-ng is not installed. Install the libespeak-ng1 package.\n");
}

static void
test_cli_usage (void)
{
  if (g_test_subprocess ())
    {
      const char *argv[] = { "speak", "--lang", "bo", "ཀ", NULL };
      setlocale (LC_ALL, "C.UTF-8");
      exit (mn_cli_speak_main (4, (char **) argv));
    }
  g_test_trap_subprocess (NULL, 20000000, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*no voice*");
}

int
main (int    argc,
      char **argv)
{
  const char *localedir = g_getenv ("MINYIN_LOCALEDIR");

  g_unsetenv ("LANGUAGE");
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : BUILD_LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);
  /* Messages of the service (an expected "no sound output") are not
   * failures here. */
  g_log_set_always_fatal (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL);
  g_setenv ("MINYIN_AUDIO_SINK", SINK, TRUE);

  g_test_add_func ("/speech/prompts", test_prompts);
  g_test_add_func ("/speech/estimate-rates", test_estimate_rates);
  g_test_add_func ("/speech/mixed-scripts", test_mixed_scripts);
  g_test_add_func ("/speech/states", test_states);
  g_test_add_func ("/speech/settings", test_settings);
  g_test_add_func ("/speech/stop", test_stop);
  g_test_add_func ("/speech/replace", test_replace);
  g_test_add_func ("/speech/repeat", test_repeat);
  g_test_add_func ("/speech/volume", test_volume);
  g_test_add_func ("/speech/threads", test_threads);
  g_test_add_func ("/speech/no-audio-output", test_no_audio_output);
  g_test_add_func ("/speech/output-fails-midway", test_output_fails_midway);
  g_test_add_func ("/speech/cli/phonemes", test_cli_phonemes);
  g_test_add_func ("/speech/cli/wav", test_cli_wav);
  g_test_add_func ("/speech/cli/no-output", test_cli_no_output);
  g_test_add_func ("/speech/cli/no-synthesizer", test_cli_no_synthesizer);
  g_test_add_func ("/speech/no-synthesizer-state", test_no_synthesizer_state);
  g_test_add_func ("/speech/cli/usage", test_cli_usage);

  return g_test_run ();
}
