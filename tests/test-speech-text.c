/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Text preparation for speech: voices by language, digit strings read one
 * by one, and the lexicon of misread words, each checked against what
 * espeak-ng really says (its phonemes). This program calls espeak-ng from
 * its one thread only and makes no MnSpeech. */
#include "config.h"

#include <espeak-ng/speak_lib.h>
#include <string.h>

#include "mn-speech-text.h"
#include "mn-vault.h"

static char *
phonemes (const char *voice,
          const char *text)
{
  GString *out = g_string_new (NULL);
  const void *p = text;

  g_assert_cmpint (espeak_SetVoiceByName (voice), ==, EE_OK);
  while (p != NULL)
    {
      const char *clause = espeak_TextToPhonemes (&p, espeakCHARS_UTF8, 0);
      if (clause == NULL)
        break;
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, clause);
    }
  return g_string_free (out, FALSE);
}

/* Phonemes without stress marks and word boundaries, so that a word read
 * from characters and the same word read from pinyin compare equal. */
static char *
normalise (const char *ph)
{
  GString *out = g_string_new (NULL);
  const char *p;

  for (p = ph; *p != '\0'; p++)
    if (strchr ("',_| ", *p) == NULL)
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

/* Syllables of a tonal voice: every syllable carries a tone number. */
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

/* Words of a non-tonal voice. */
static guint
count_words (const char *ph)
{
  g_auto(GStrv) words = g_strsplit_set (ph, " ", -1);
  guint n = 0, i;

  for (i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0' && !g_str_equal (words[i], "_|") && !g_str_equal (words[i], "_!"))
      n++;
  return n;
}

static void
test_voices (void)
{
  g_assert_cmpstr (mn_speech_voice_for_language ("zh_CN"), ==, "cmn-latn-pinyin");
  g_assert_cmpstr (mn_speech_voice_for_language ("zh_CN.UTF-8"), ==, "cmn-latn-pinyin");
  g_assert_cmpstr (mn_speech_voice_for_language ("zh"), ==, "cmn-latn-pinyin");
  g_assert_cmpstr (mn_speech_voice_for_language ("zh-Hans-CN"), ==, "cmn-latn-pinyin");
  g_assert_cmpstr (mn_speech_voice_for_language ("zh_HK"), ==, "yue");
  g_assert_cmpstr (mn_speech_voice_for_language ("zh_TW.UTF-8"), ==, "yue");
  g_assert_cmpstr (mn_speech_voice_for_language ("zh-Hant"), ==, "yue");
  g_assert_cmpstr (mn_speech_voice_for_language ("ug"), ==, "ug");
  g_assert_cmpstr (mn_speech_voice_for_language ("ug_CN.UTF-8"), ==, "ug");
  g_assert_cmpstr (mn_speech_voice_for_language ("en"), ==, "en");
  g_assert_cmpstr (mn_speech_voice_for_language ("en_US.UTF-8"), ==, "en");
  g_assert_null (mn_speech_voice_for_language ("bo_CN"));
  g_assert_null (mn_speech_voice_for_language ("mn"));
  g_assert_true (mn_speech_voice_is_mandarin ("cmn-latn-pinyin"));
  g_assert_false (mn_speech_voice_is_mandarin ("cmn"));
}

static void
test_spell_digits_text (void)
{
  struct { const char *voice, *in, *out; } cases[] = {
    { "en", "Call 13800138000 now", "Call  1 3 8 0 0 1 3 8 0 0 0  now" },
    { "en", "Room 12, floor 3", "Room 12, floor 3" },
    { "en", "Code 3302-01-261128-0017-5.", "Code  3 3 0 2, 0 1, 2 6 1 1 2 8, 0 0 1 7, 5 ." },
    { "en", "138 0013 8000", " 1 3 8, 0 0 1 3, 8 0 0 0 " },
    { "en", "It costs 12.50 or 1,250.75", "It costs 12.50 or 1,250.75" },
    { "en", "a - 123 - b", "a -  1 2 3  - b" },
    { "yue", "１２３", " 1 2 3 " },
    { "cmn-latn-pinyin", "电话13807", "电话 yao1 san1 ba1 ling2 qi1 " },
    { "cmn-latn-pinyin", "编码是3302-01。", "编码是 san1 san1 ling2 er4, ling2 yao1 。" },
    { "ug", "99", "99" },
  };
  guint i;

  for (i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *out = mn_speech_text_spell_digits (cases[i].in, cases[i].voice);
      g_assert_cmpstr (out, ==, cases[i].out);
    }
}

/* espeak-ng reads a phone number as a quantity; prepared, every voice
 * reads it one syllable (tonal voices) or one word per digit. */
static void
test_digits_one_per_digit (void)
{
  const char *voices[] = { "cmn-latn-pinyin", "yue", "ug", "en" };
  const char *numbers[] = { "13800138000", "3302-01-261128-0017-5", "110", "0571 8888 6666" };
  guint v, n;

  for (v = 0; v < G_N_ELEMENTS (voices); v++)
    for (n = 0; n < G_N_ELEMENTS (numbers); n++)
      {
        gboolean tonal = g_str_equal (voices[v], "cmn-latn-pinyin") || g_str_equal (voices[v], "yue");
        g_autofree char *prepared = mn_speech_text_prepare (numbers[n], voices[v], NULL);
        g_autofree char *raw_ph = phonemes (voices[v], numbers[n]);
        g_autofree char *ph = phonemes (voices[v], prepared);
        guint digits = 0, got, raw;
        const char *p;

        for (p = numbers[n]; *p; p++)
          digits += g_ascii_isdigit (*p) ? 1 : 0;

        got = tonal ? count_tones (ph) : count_words (ph);
        raw = tonal ? count_tones (raw_ph) : count_words (raw_ph);
        g_test_message ("%s %s: raw [%s] (%u) prepared [%s] (%u)", voices[v], numbers[n],
                        raw_ph, raw, ph, got);
        g_assert_cmpuint (got, ==, digits);
        g_assert_null (strstr (ph, "("));
        /* The reason for all this: unprepared, the long number is read as
         * a quantity, which has a different number of syllables. */
        if (g_str_equal (numbers[n], "13800138000"))
          g_assert_cmpuint (raw, !=, digits);
      }
}

static void
test_lexicon_parse (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnSpeechLexicon) lex = NULL;
  const char *word, *reading;
  g_autofree char *applied = NULL;
  MnSpeechLexicon *bad;

  lex = mn_speech_lexicon_new_from_data ("# c\n\n[v]\n重新\tchong2xin1\n重 zhong4\n[w]\nab  x y\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mn_speech_lexicon_count (lex, "v"), ==, 2);
  g_assert_cmpuint (mn_speech_lexicon_count (lex, "w"), ==, 1);
  g_assert_cmpuint (mn_speech_lexicon_count (lex, "none"), ==, 0);
  g_assert_true (mn_speech_lexicon_entry (lex, "w", 0, &word, &reading));
  g_assert_cmpstr (word, ==, "ab");
  g_assert_cmpstr (reading, ==, "x y");
  g_assert_false (mn_speech_lexicon_entry (lex, "w", 1, NULL, NULL));

  /* Longest word first; untouched elsewhere, and for other voices. */
  applied = mn_speech_lexicon_apply (lex, "v", "请重新输入重量");
  g_assert_cmpstr (applied, ==, "请 chong2xin1 输入 zhong4 量");
  g_clear_pointer (&applied, g_free);
  applied = mn_speech_lexicon_apply (lex, "en", "请重新输入");
  g_assert_cmpstr (applied, ==, "请重新输入");

  bad = mn_speech_lexicon_new_from_data ("银行 yin2hang2\n", -1, &error);
  g_assert_null (bad);
  g_assert_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON);
  g_clear_error (&error);
  bad = mn_speech_lexicon_new_from_data ("[v]\n银行\n", -1, &error);
  g_assert_null (bad);
  g_assert_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON);
  g_clear_error (&error);
  bad = mn_speech_lexicon_new_from_data ("[]\n", -1, &error);
  g_assert_null (bad);
  g_assert_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON);
  g_clear_error (&error);
  bad = mn_speech_lexicon_new_from_file ("/nonexistent/lexicon.txt", &error);
  g_assert_null (bad);
  g_assert_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON);
}

/* Every entry of the shipped lexicon fixes a real misreading: without it
 * espeak-ng says something else, with it espeak-ng says the reading. */
static void
test_lexicon_entries (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnSpeechLexicon) lex = mn_speech_lexicon_load_default (&error);
  const char *voice = "cmn-latn-pinyin";
  guint i, n;

  g_assert_no_error (error);
  n = mn_speech_lexicon_count (lex, voice);
  g_assert_cmpuint (n, >=, 10);

  for (i = 0; i < n; i++)
    {
      const char *word, *reading;
      g_autofree char *raw = NULL, *fixed = NULL, *want = NULL;
      g_autofree char *raw_n = NULL, *fixed_n = NULL, *want_n = NULL;
      g_autofree char *prepared = NULL;
      g_autofree char *sentence = NULL, *sentence_ph = NULL, *sentence_n = NULL;

      g_assert_true (mn_speech_lexicon_entry (lex, voice, i, &word, &reading));
      prepared = mn_speech_text_prepare (word, voice, lex);
      raw = phonemes (voice, word);
      fixed = phonemes (voice, prepared);
      want = phonemes (voice, reading);
      raw_n = normalise (raw);
      fixed_n = normalise (fixed);
      want_n = normalise (want);
      g_test_message ("%s: raw %s, fixed %s, wanted %s", word, raw, fixed, want);

      g_assert_cmpstr (fixed_n, ==, want_n);
      if (g_str_equal (raw_n, want_n))
        g_error ("The lexicon entry %s is not needed: espeak-ng already says %s", word, reading);
      /* Mandarin: one tone per character, no switch to another language. */
      g_assert_cmpuint (count_tones (fixed), ==, g_utf8_strlen (word, -1));
      g_assert_null (strstr (fixed, "("));

      /* Inside a sentence too, where the word meets other characters. */
      sentence = g_strconcat ("请", word, "。", NULL);
      g_clear_pointer (&prepared, g_free);
      prepared = mn_speech_text_prepare (sentence, voice, lex);
      sentence_ph = phonemes (voice, prepared);
      sentence_n = normalise (sentence_ph);
      g_assert_nonnull (strstr (sentence_n, want_n + strlen (want_n) / 2));
    }
}

/* Han characters in a sentence of another language go to the Mandarin
 * voice; Chinese voices keep everything. */
static void
test_segments (void)
{
  static const struct
  {
    const char *voice;
    const char *text;
    const char *want; /* segments as "voice:text|voice:text" */
  } cases[] = {
    { "en", "Location: 定海区 环南街道, building 3",
      "en:Location: |cmn-latn-pinyin:定海区 环南街道, |en:building 3" },
    { "en", "Building 3, 定海区.", "en:Building 3, |cmn-latn-pinyin:定海区." },
    { "en", "定海区 is here", "cmn-latn-pinyin:定海区 |en:is here" },
    { "en", "No Han at all, 13800138000.", "en:No Han at all, 13800138000." },
    { "ug", "ئورنى: 定海区", "ug:ئورنى: |cmn-latn-pinyin:定海区" },
    { "cmn-latn-pinyin", "定海区 Building 3", "cmn-latn-pinyin:定海区 Building 3" },
    { "yue", "定海區 Lift", "yue:定海區 Lift" },
    { "en", "", "" },
    { "en", "3302-01", "en:3302-01" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) segments = mn_speech_text_segments (cases[i].text, cases[i].voice);
      g_autoptr(GString) got = g_string_new (NULL);

      for (guint j = 0; j < segments->len; j++)
        {
          MnSpeechSegment *s = g_ptr_array_index (segments, j);

          g_string_append_printf (got, "%s%s:%s", j > 0 ? "|" : "", s->voice, s->text);
        }
      g_assert_cmpstr (got->str, ==, cases[i].want);
    }
}

/* A masked phone number is read as its digits with a pause, never as
 * "asterisk" four times. */
static void
test_masked_number (void)
{
  static const char *const voices[] = { "cmn-latn-pinyin", "yue", "en", "ug" };

  for (guint i = 0; i < G_N_ELEMENTS (voices); i++)
    {
      g_autofree char *prepared = mn_speech_text_prepare ("电话 138****8000.", voices[i], NULL);
      g_autofree char *plain = mn_speech_text_prepare ("电话 138-8000.", voices[i], NULL);

      g_assert_null (strchr (prepared, '*'));
      g_assert_cmpstr (prepared, ==, plain);
    }
  {
    /* Stars that hide no digits are left alone. */
    g_autofree char *prepared = mn_speech_text_prepare ("** 注意 **", "en", NULL);

    g_assert_cmpstr (prepared, ==, "** 注意 **");
  }
}

/* Whatever mn_vault_mask_phone() makes of a number, no voice says
 * "asterisk": by espeak-ng's phonemes, in all four voices. */
static void
test_masks_never_asterisk (void)
{
  static const char *const voices[] = { "cmn-latn-pinyin", "yue", "en", "ug" };
  static const char *const phones[] = {
    "13800138000", "+86 138 0013 8000", "010-12345678", "0571-88881234", "88881234",
    "12345", "110", "123", "+44 20 7946 0958", "+1 212 555 0100", "+12", "+8612",
    "+86123", "0086123456", "not a phone",
  };
  g_autofree char *star = NULL;

  /* The check can fail: a star alone is "asterisk" in every voice. */
  for (guint v = 0; v < G_N_ELEMENTS (voices); v++)
    {
      g_autofree char *ph = phonemes (voices[v], "*");
      g_autofree char *flat = normalise (ph);

      g_assert_nonnull (strstr (flat, "st@r"));
    }
  for (guint i = 0; i < G_N_ELEMENTS (phones); i++)
    {
      g_autofree char *mask = mn_vault_mask_phone (phones[i]);

      g_assert_nonnull (strchr (mask, '*'));
      for (guint v = 0; v < G_N_ELEMENTS (voices); v++)
        {
          g_autofree char *sentence = g_strdup_printf ("电话 %s。", mask);
          g_autofree char *prepared = mn_speech_text_prepare (sentence, voices[v], NULL);
          g_autofree char *ph = phonemes (voices[v], prepared);
          g_autofree char *flat = normalise (ph);

          g_test_message ("%s %s → %s → %s", voices[v], mask, prepared, ph);
          g_assert_null (strchr (prepared, '*'));
          g_assert_null (strstr (flat, "st@r"));
        }
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  if (espeak_Initialize (AUDIO_OUTPUT_RETRIEVAL, 0, NULL, espeakINITIALIZE_DONT_EXIT) <= 0)
    g_error ("espeak-ng could not start: install espeak-ng-data");

  g_test_add_func ("/speech-text/voices", test_voices);
  g_test_add_func ("/speech-text/spell-digits", test_spell_digits_text);
  g_test_add_func ("/speech-text/digits-one-per-digit", test_digits_one_per_digit);
  g_test_add_func ("/speech-text/lexicon-parse", test_lexicon_parse);
  g_test_add_func ("/speech-text/lexicon-entries", test_lexicon_entries);
  g_test_add_func ("/speech-text/segments", test_segments);
  g_test_add_func ("/speech-text/masked-number", test_masked_number);
  g_test_add_func ("/speech-text/masks-never-asterisk", test_masks_never_asterisk);

  return g_test_run ();
}
