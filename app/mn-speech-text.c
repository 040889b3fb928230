/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-speech-text.h"

G_DEFINE_QUARK (mn-speech-error-quark, mn_speech_error)

#define VOICE_MANDARIN "cmn-latn-pinyin"

const char *
mn_speech_voice_for_language (const char *language)
{
  g_autofree char *lang = NULL;
  char *cut;

  g_return_val_if_fail (language != NULL, NULL);

  /* "zh_CN.UTF-8@latin" and "zh-Hans-CN" both come down to the part that
   * says which language and region. */
  lang = g_ascii_strdown (language, -1);
  if ((cut = strpbrk (lang, ".@")) != NULL)
    *cut = '\0';
  g_strdelimit (lang, "-", '_');

  if (g_str_equal (lang, "yue") || g_str_has_prefix (lang, "yue_") ||
      g_str_equal (lang, "zh_hk") || g_str_equal (lang, "zh_tw") || g_str_equal (lang, "zh_mo") ||
      g_str_equal (lang, "zh_hant") || g_str_has_prefix (lang, "zh_hant_"))
    return "yue";
  if (g_str_equal (lang, "zh") || g_str_has_prefix (lang, "zh_") ||
      g_str_equal (lang, "cmn") || g_str_has_prefix (lang, "cmn_"))
    return VOICE_MANDARIN;
  if (g_str_equal (lang, "ug") || g_str_has_prefix (lang, "ug_"))
    return "ug";
  if (g_str_equal (lang, "en") || g_str_has_prefix (lang, "en_"))
    return "en";
  return NULL;
}

gboolean
mn_speech_voice_is_mandarin (const char *voice)
{
  return voice != NULL && g_str_equal (voice, VOICE_MANDARIN);
}

/* Digits */

static int
digit_value (gunichar c)
{
  if (c >= '0' && c <= '9')
    return (int) (c - '0');
  if (c >= 0xFF10 && c <= 0xFF19) /* full-width, as an input method types them */
    return (int) (c - 0xFF10);
  return -1;
}

static gboolean
is_group_separator (gunichar c)
{
  /* What people and our own display forms put between digit groups:
   * "3302-01-261128-0017-5", "138 0013 8000", full-width dashes. A dot is
   * not one: it makes a decimal number, which is a quantity. */
  return c == '-' || c == ' ' || c == 0x2010 || c == 0x2011 || c == 0x2012 ||
         c == 0x2013 || c == 0x2014 || c == 0xFF0D || c == 0x3000 || c == 0x00A0;
}

static const char *const mandarin_digits[10] = {
  "ling2", "yao1", "er4", "san1", "si4", "wu3", "liu4", "qi1", "ba1", "jiu3",
};

static void
append_spelled (GString    *out,
                const char *start,
                const char *end,
                const char *voice)
{
  gboolean mandarin = mn_speech_voice_is_mandarin (voice);
  gboolean need_space = FALSE;
  gboolean pending_pause = FALSE;
  const char *p;

  g_string_append_c (out, ' ');
  for (p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int d = digit_value (c);

      if (d < 0)
        {
          pending_pause = TRUE;
          continue;
        }
      if (pending_pause)
        {
          /* A comma is the shortest pause every espeak-ng voice makes. */
          g_string_append (out, ", ");
          pending_pause = FALSE;
          need_space = FALSE;
        }
      if (need_space)
        g_string_append_c (out, ' ');
      if (mandarin)
        g_string_append (out, mandarin_digits[d]);
      else
        g_string_append_c (out, (char) ('0' + d));
      need_space = TRUE;
    }
  g_string_append_c (out, ' ');
}

char *
mn_speech_text_spell_digits (const char *text,
                             const char *voice)
{
  GString *out;
  const char *p;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (text, -1, NULL), NULL);

  out = g_string_sized_new (strlen (text) + 16);
  p = text;
  while (*p != '\0')
    {
      gunichar c = g_utf8_get_char (p);
      const char *start, *end, *q;
      guint n_digits = 0;
      gboolean decimal = FALSE;

      if (digit_value (c) < 0)
        {
          const char *next = g_utf8_next_char (p);
          g_string_append_len (out, p, next - p);
          p = next;
          continue;
        }

      /* One digit string: digit runs joined by single separators. */
      start = p;
      end = p;
      q = p;
      for (;;)
        {
          while (*q != '\0' && digit_value (g_utf8_get_char (q)) >= 0)
            {
              n_digits++;
              q = g_utf8_next_char (q);
            }
          end = q;
          if (*q != '\0' && is_group_separator (g_utf8_get_char (q)))
            {
              const char *after = g_utf8_next_char (q);
              if (*after != '\0' && digit_value (g_utf8_get_char (after)) >= 0)
                {
                  q = after;
                  continue;
                }
            }
          break;
        }

      /* 3.14 or 1,000.50 is an amount, not a code: leave it to the voice. */
      if ((*end == '.' || *end == ',') && digit_value (g_utf8_get_char (end + 1)) >= 0)
        decimal = TRUE;
      if (start > text && (start[-1] == '.' || start[-1] == ',') &&
          start - 1 > text && digit_value (g_utf8_get_char (g_utf8_prev_char (start - 1))) >= 0)
        decimal = TRUE;

      if (n_digits >= 3 && !decimal)
        append_spelled (out, start, end, voice);
      else
        g_string_append_len (out, start, end - start);
      p = end;
    }

  return g_string_free (out, FALSE);
}

guint
mn_speech_text_estimate_ms (const char *text,
                            guint       rate)
{
  /* At 150 words a minute; measured with espeak-ng 1.51 at most ~300 ms
   * a Han character (punctuation included) in Mandarin, ~90 ms a
   * character in Uyghur and English, ~330 ms a digit read on its own. */
  guint64 ms = 0;
  const char *p;

  g_return_val_if_fail (text != NULL, 0);

  if (rate == 0)
    rate = 150;
  rate = CLAMP (rate, 80, 450);
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (digit_value (c) >= 0)
        ms += 400;
      else if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN || g_unichar_iswide (c))
        ms += 360;
      else if (!g_unichar_isspace (c))
        ms += 100;
    }
  return (guint) MIN (ms * 150 / rate, G_MAXUINT);
}

/* Lexicon */

typedef struct
{
  char *word;
  char *reading;
} Entry;

struct _MnSpeechLexicon
{
  gatomicrefcount ref_count;
  GHashTable *by_voice; /* voice name → GPtrArray of Entry */
};

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->word);
  g_free (e->reading);
  g_free (e);
}

MnSpeechLexicon *
mn_speech_lexicon_new_from_data (const char  *data,
                                 gssize       length,
                                 GError     **error)
{
  g_autoptr(MnSpeechLexicon) self = NULL;
  g_autofree char *copy = NULL;
  g_auto(GStrv) lines = NULL;
  const char *voice = NULL;
  guint i;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = length < 0 ? g_strdup (data) : g_strndup (data, length);
  if (!g_utf8_validate (copy, -1, NULL))
    {
      g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON,
                   _("The speech lexicon is not valid UTF-8 text. Save it as UTF-8 and try again."));
      return NULL;
    }

  self = g_new0 (MnSpeechLexicon, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->by_voice = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) g_ptr_array_unref);

  lines = g_strsplit (copy, "\n", -1);
  for (i = 0; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      g_auto(GStrv) fields = NULL;
      GPtrArray *entries;
      Entry *e;

      if (*line == '\0' || *line == '#')
        continue;

      if (*line == '[')
        {
          char *close = strchr (line, ']');
          g_autofree char *name = NULL;
          gpointer key = NULL;

          if (close == NULL || close == line + 1)
            {
              g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON,
                           _("Line %u of the speech lexicon opens a section without a voice name. Write it as [voice]."),
                           i + 1);
              return NULL;
            }
          name = g_strndup (line + 1, close - line - 1);
          if (!g_hash_table_lookup_extended (self->by_voice, name, &key, NULL))
            {
              key = g_strdup (name);
              g_hash_table_insert (self->by_voice, key,
                                   g_ptr_array_new_with_free_func (entry_free));
            }
          /* The current section is named by the key the table owns. */
          voice = key;
          continue;
        }

      g_strdelimit (line, "\t", ' ');
      fields = g_strsplit (line, " ", 2);
      if (voice == NULL || fields[0] == NULL || fields[1] == NULL ||
          *g_strstrip (fields[1]) == '\0')
        {
          g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON,
                       voice == NULL
                         ? _("Line %u of the speech lexicon comes before any [voice] section. Put it under the voice it is for.")
                         : _("Line %u of the speech lexicon needs a word and its reading, separated by a space."),
                       i + 1);
          return NULL;
        }

      entries = g_hash_table_lookup (self->by_voice, voice);
      e = g_new0 (Entry, 1);
      e->word = g_strdup (fields[0]);
      e->reading = g_strdup (fields[1]);
      g_ptr_array_add (entries, e);
    }

  return g_steal_pointer (&self);
}

MnSpeechLexicon *
mn_speech_lexicon_new_from_file (const char  *path,
                                 GError     **error)
{
  g_autofree char *data = NULL;
  gsize length = 0;
  g_autoptr(GError) local_error = NULL;
  MnSpeechLexicon *self;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, &local_error))
    {
      g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON,
                   _("The speech lexicon could not be read (%s). Reinstall Minyin to restore it."),
                   local_error->message);
      return NULL;
    }

  self = mn_speech_lexicon_new_from_data (data, (gssize) length, &local_error);
  if (self == NULL)
    g_set_error (error, MN_SPEECH_ERROR, MN_SPEECH_ERROR_LEXICON, "%s (%s)",
                 local_error->message, path);
  return self;
}

char *
mn_speech_lexicon_default_path (void)
{
  const char *env = g_getenv ("MINYIN_SPEECH_LEXICON");
  const char *root = g_getenv ("MINYIN_SOURCE_ROOT");
  g_autofree char *from_root = NULL;
  g_autofree char *installed = NULL;

  if (env != NULL && *env != '\0')
    return g_strdup (env);

  if (root != NULL && *root != '\0')
    {
      from_root = g_build_filename (root, "assets", "speech-lexicon.txt", NULL);
      if (g_file_test (from_root, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&from_root);
    }

  installed = g_build_filename (PKGDATADIR, "speech-lexicon.txt", NULL);
  if (g_file_test (installed, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&installed);

  /* Running from the build tree without an install. */
  return g_build_filename (SOURCE_ROOT, "assets", "speech-lexicon.txt", NULL);
}

MnSpeechLexicon *
mn_speech_lexicon_load_default (GError **error)
{
  g_autofree char *path = mn_speech_lexicon_default_path ();

  return mn_speech_lexicon_new_from_file (path, error);
}

MnSpeechLexicon *
mn_speech_lexicon_ref (MnSpeechLexicon *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
mn_speech_lexicon_unref (MnSpeechLexicon *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_hash_table_unref (self->by_voice);
      g_free (self);
    }
}

guint
mn_speech_lexicon_count (MnSpeechLexicon *self,
                         const char      *voice)
{
  GPtrArray *entries;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (voice != NULL, 0);

  entries = g_hash_table_lookup (self->by_voice, voice);
  return entries != NULL ? entries->len : 0;
}

gboolean
mn_speech_lexicon_entry (MnSpeechLexicon *self,
                         const char      *voice,
                         guint            index,
                         const char     **word,
                         const char     **reading)
{
  GPtrArray *entries;
  Entry *e;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (voice != NULL, FALSE);

  entries = g_hash_table_lookup (self->by_voice, voice);
  if (entries == NULL || index >= entries->len)
    return FALSE;

  e = g_ptr_array_index (entries, index);
  if (word != NULL)
    *word = e->word;
  if (reading != NULL)
    *reading = e->reading;
  return TRUE;
}

char *
mn_speech_lexicon_apply (MnSpeechLexicon *self,
                         const char      *voice,
                         const char      *text)
{
  GPtrArray *entries;
  GString *out;
  const char *p;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (voice != NULL, NULL);
  g_return_val_if_fail (text != NULL, NULL);

  entries = g_hash_table_lookup (self->by_voice, voice);
  if (entries == NULL || entries->len == 0)
    return g_strdup (text);

  out = g_string_sized_new (strlen (text) + 16);
  p = text;
  while (*p != '\0')
    {
      Entry *best = NULL;
      gsize best_len = 0;
      guint i;

      /* Longest word first, so that a longer fixed phrase (还款) wins over
       * any shorter entry it starts with. The lexicon is small: a linear
       * scan per character costs nothing next to synthesis. */
      for (i = 0; i < entries->len; i++)
        {
          Entry *e = g_ptr_array_index (entries, i);
          gsize len = strlen (e->word);

          if (len > best_len && strncmp (p, e->word, len) == 0)
            {
              best = e;
              best_len = len;
            }
        }

      if (best != NULL)
        {
          g_string_append_c (out, ' ');
          g_string_append (out, best->reading);
          g_string_append_c (out, ' ');
          p += best_len;
        }
      else
        {
          const char *next = g_utf8_next_char (p);
          g_string_append_len (out, p, next - p);
          p = next;
        }
    }

  return g_string_free (out, FALSE);
}

char *
mn_speech_text_prepare (const char      *text,
                        const char      *voice,
                        MnSpeechLexicon *lexicon)
{
  g_autofree char *valid = NULL;
  g_autofree char *fixed = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (voice != NULL, NULL);

  /* Text may come from a person or the platform: never let a bad byte
   * stop the voice. */
  valid = g_utf8_make_valid (text, -1);
  fixed = lexicon != NULL ? mn_speech_lexicon_apply (lexicon, voice, valid) : g_strdup (valid);
  {
    /* A masked phone number, 138****8000: every voice read the stars as
     * the English word "asterisk", four times. The digits either side are
     * read as one number with a pause where the hidden ones are. */
    static GRegex *masked;
    /* The masks that hide the start (****12, +*********12, +86 ****12),
     * or everything (****, +**, +86 **): the stars next to a digit or a
     * plus (or after a number and a space), and any run of three or more,
     * are a short pause (a comma, the shortest every voice
     * makes). Two stars around a word (** 注意 **) are left alone. */
    static GRegex *hidden;
    g_autofree char *unmasked = NULL;

    if (g_once_init_enter (&masked))
      g_once_init_leave (&masked, g_regex_new ("(?<=[0-9０-９])[*＊•●]+(?=[0-9０-９])", 0, 0, NULL));
    if (g_once_init_enter (&hidden))
      g_once_init_leave (&hidden,
                         g_regex_new ("(?<=[0-9０-９+＋])[*＊•●]+|(?<=[0-9０-９] )[*＊•●]+|"
                                      "[*＊•●]+(?=[0-9０-９])|[*＊•●]{3,}",
                                      0, 0, NULL));
    unmasked = g_regex_replace_literal (masked, fixed, -1, 0, "-", 0, NULL);
    if (unmasked != NULL)
      {
        g_free (fixed);
        fixed = g_steal_pointer (&unmasked);
      }
    unmasked = g_regex_replace_literal (hidden, fixed, -1, 0, ", ", 0, NULL);
    if (unmasked != NULL)
      {
        g_free (fixed);
        fixed = g_steal_pointer (&unmasked);
      }
  }
  return mn_speech_text_spell_digits (fixed, voice);
}

/* Scripts */

static void
segment_free (gpointer data)
{
  MnSpeechSegment *segment = data;

  g_free (segment->text);
  g_free (segment);
}

/* Runs alternate between two voices, so neighbours never share one. */
static void
segment_add (GPtrArray  *segments,
             const char *start,
             const char *end,
             const char *voice)
{
  MnSpeechSegment *segment;

  if (end <= start)
    return;
  segment = g_new0 (MnSpeechSegment, 1);
  segment->text = g_strndup (start, (gsize) (end - start));
  segment->voice = voice;
  g_ptr_array_add (segments, segment);
}

/* Han ideographs (with the iteration mark 々 and 〇) are what a non-Chinese
 * voice cannot read; everything else is read by the sentence's voice. */
static gboolean
is_han (gunichar c)
{
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN;
}

/* Neither Han nor letters of another script: spaces, punctuation, digits,
 * symbols. They stay with the stretch they are in. */
static gboolean
is_neutral (gunichar c)
{
  GUnicodeScript script = g_unichar_get_script (c);

  return script == G_UNICODE_SCRIPT_COMMON || script == G_UNICODE_SCRIPT_INHERITED ||
         script == G_UNICODE_SCRIPT_UNKNOWN;
}

GPtrArray *
mn_speech_text_segments (const char *text,
                         const char *voice)
{
  GPtrArray *segments = g_ptr_array_new_with_free_func (segment_free);
  const char *han_voice = mn_speech_voice_for_language ("zh_CN");
  const char *run_start = text;
  const char *run_voice = voice;
  const char *p;

  g_return_val_if_fail (text != NULL, segments);
  g_return_val_if_fail (voice != NULL, segments);

  if (mn_speech_voice_is_mandarin (voice) || g_str_equal (voice, "yue"))
    {
      segment_add (segments, text, text + strlen (text), voice);
      return segments;
    }

  /* A neutral character takes the voice of the run it is in; a run
   * changes voice only at a letter of the other kind. */
  for (p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      const char *want;

      if (is_neutral (c))
        continue;
      want = is_han (c) ? han_voice : voice;
      if (want != run_voice)
        {
          /* Neutral characters just before the change (a space, a colon)
           * end the old run; what starts the new one is its first letter. */
          segment_add (segments, run_start, p, run_voice);
          run_start = p;
          run_voice = want;
        }
    }
  segment_add (segments, run_start, p, run_voice);
  return segments;
}
