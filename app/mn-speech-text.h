/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What is done to a text before espeak-ng reads it. Pure functions: no
 * espeak-ng, no threads, so they are unit-tested on their own. */

#define MN_SPEECH_ERROR (mn_speech_error_quark ())

typedef enum
{
  MN_SPEECH_ERROR_NO_VOICE,        /* no voice speaks the language asked for */
  MN_SPEECH_ERROR_NO_SYNTHESIZER,  /* espeak-ng or its data could not be loaded */
  MN_SPEECH_ERROR_NO_AUDIO_OUTPUT, /* no sound device, or it failed */
  MN_SPEECH_ERROR_LEXICON,         /* the lexicon file is unreadable or malformed */
  MN_SPEECH_ERROR_FAILED,
} MnSpeechError;

GQuark       mn_speech_error_quark          (void);

/* The espeak-ng voice for a display language ("zh_CN", "zh_HK.UTF-8",
 * "ug", "en_GB", ...): cmn-latn-pinyin for Simplified Chinese (the plain
 * "cmn" voice of espeak-ng 1.51 reads Han characters with English rules),
 * yue for Hong Kong, Macau and Taiwan, ug, en. NULL when no voice speaks
 * that language (Tibetan, Mongolian). */
const char  *mn_speech_voice_for_language   (const char *language);

/* TRUE for the Mandarin voice, whose input may carry inline pinyin. */
gboolean     mn_speech_voice_is_mandarin    (const char *voice);

/* Rewrites every digit string of three digits or more (case codes, phone
 * numbers, any long number; full-width digits too) so that @voice reads it
 * digit by digit: espeak-ng would read 13800138000 as a quantity. Groups
 * joined by dashes or spaces ("3302-01-261128-0017-5", "138 0013 8000")
 * are kept as one string, with a short pause (a comma) where the
 * separators were. Mandarin says 1 as "yao" as is usual for numbers read
 * out one by one, so it cannot be heard as 7 ("qi"). */
char        *mn_speech_text_spell_digits    (const char *text,
                                             const char *voice);

/* The lexicon: per voice, words that espeak-ng misreads in the kiosk's
 * fixed prompts and what to say instead (inline pinyin for Mandarin).
 *
 * File format, UTF-8: "# comment" lines, "[voice]" section lines, and
 * "WORD READING" lines (separated by a tab or spaces). */
typedef struct _MnSpeechLexicon MnSpeechLexicon;

MnSpeechLexicon *mn_speech_lexicon_new_from_data (const char  *data,
                                                  gssize       length,
                                                  GError     **error);
MnSpeechLexicon *mn_speech_lexicon_new_from_file (const char  *path,
                                                  GError     **error);

/* The installed lexicon: $MINYIN_SPEECH_LEXICON, else
 * $MINYIN_SOURCE_ROOT/assets/speech-lexicon.txt, else
 * PKGDATADIR/speech-lexicon.txt, else the one in the source tree this
 * program was built from. */
MnSpeechLexicon *mn_speech_lexicon_load_default  (GError     **error);
char            *mn_speech_lexicon_default_path  (void);

MnSpeechLexicon *mn_speech_lexicon_ref     (MnSpeechLexicon *self);
void             mn_speech_lexicon_unref   (MnSpeechLexicon *self);

/* Number of entries for @voice, and the @index-th of them (in file order). */
guint            mn_speech_lexicon_count   (MnSpeechLexicon *self,
                                            const char      *voice);
gboolean         mn_speech_lexicon_entry   (MnSpeechLexicon *self,
                                            const char      *voice,
                                            guint            index,
                                            const char     **word,
                                            const char     **reading);

/* Replaces, left to right and longest word first, every lexicon word of
 * @voice found in @text by its reading, with spaces around the reading so
 * that it never runs into a neighbouring Latin word. */
char            *mn_speech_lexicon_apply   (MnSpeechLexicon *self,
                                            const char      *voice,
                                            const char      *text);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnSpeechLexicon, mn_speech_lexicon_unref)

/* Everything before synthesis: the lexicon (may be NULL), then digits. */
char        *mn_speech_text_prepare         (const char      *text,
                                             const char      *voice,
                                             MnSpeechLexicon *lexicon);

/* One stretch of a text and the voice that reads it. */
typedef struct
{
  char       *text;
  const char *voice;  /* static string */
} MnSpeechSegment;

/* Splits @text into stretches for @voice to read, so that Han characters
 * (a place name, a compound, an agency in a Uyghur or English sentence)
 * are read by the Mandarin voice instead of being spelt "Chinese letter"
 * one by one. Chinese voices (Mandarin, Cantonese) read everything
 * themselves: one segment. Punctuation, spaces and digits belong to the
 * stretch they are in, so a number next to a place name keeps the
 * sentence's language. Never returns an empty array for a non-empty
 * text. Free with g_ptr_array_unref. */
GPtrArray   *mn_speech_text_segments        (const char *text,
                                             const char *voice);

/* How long espeak-ng takes at most to say @text at @rate words per
 * minute (0: MN_SPEECH_DEFAULT_RATE's 150), in milliseconds, estimated
 * from its characters: a Han character is a syllable, a digit is read on
 * its own, other letters and marks are a fraction of a word. An upper
 * bound (tests/test-speech.c holds it to every fixed prompt in every
 * language), for whoever waits for the voice to finish and must not wait
 * for ever when it never says so. */
guint        mn_speech_text_estimate_ms     (const char *text,
                                             guint       rate);

G_END_DECLS
