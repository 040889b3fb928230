/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "mn-cli-speak.h"
#include "mn-speech.h"

/* The display language when --lang is not given: what gettext uses. */
static char *
display_language (void)
{
  const char *language = g_getenv ("LANGUAGE");
  const char *messages;

  if (language != NULL && *language != '\0')
    {
      g_auto(GStrv) parts = g_strsplit (language, ":", 2);
      return g_strdup (parts[0]);
    }

  messages = setlocale (LC_MESSAGES, NULL);
  if (messages != NULL && !g_str_equal (messages, "C") && !g_str_equal (messages, "POSIX") &&
      !g_str_has_prefix (messages, "C."))
    return g_strdup (messages);

  return g_strdup ("zh_CN");
}

static void
put_le16 (GByteArray *out,
          guint16     v)
{
  guint8 b[2] = { v & 0xff, v >> 8 };
  g_byte_array_append (out, b, 2);
}

static void
put_le32 (GByteArray *out,
          guint32     v)
{
  guint8 b[4] = { v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >> 24 };
  g_byte_array_append (out, b, 4);
}

static gboolean
write_wav (const char  *path,
           GBytes      *samples,
           guint        rate,
           GError     **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  gsize n_bytes = 0;
  const gint16 *data = g_bytes_get_data (samples, &n_bytes);
  gsize i;

  g_byte_array_append (out, (const guint8 *) "RIFF", 4);
  put_le32 (out, (guint32) (36 + n_bytes));
  g_byte_array_append (out, (const guint8 *) "WAVEfmt ", 8);
  put_le32 (out, 16);        /* PCM format chunk */
  put_le16 (out, 1);         /* PCM */
  put_le16 (out, 1);         /* mono */
  put_le32 (out, rate);
  put_le32 (out, rate * 2);  /* bytes per second */
  put_le16 (out, 2);         /* bytes per frame */
  put_le16 (out, 16);        /* bits per sample */
  g_byte_array_append (out, (const guint8 *) "data", 4);
  put_le32 (out, (guint32) n_bytes);
  /* WAV is little-endian whatever the machine is. */
  for (i = 0; i < n_bytes / 2; i++)
    put_le16 (out, (guint16) data[i]);

  return g_file_set_contents (path, (const char *) out->data, (gssize) out->len, error);
}

int
mn_cli_speak_main (int    argc,
                   char **argv)
{
  g_autofree char *language = NULL;
  g_autofree char *wav = NULL;
  gboolean phonemes = FALSE;
  int rate = 0;
  g_auto(GStrv) words = NULL;
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MnSpeech) speech = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) args = NULL;
  const GOptionEntry entries[] = {
    { "lang", 'l', 0, G_OPTION_ARG_STRING, &language,
      N_("Speak in this display language (zh_CN, zh_HK, ug, en); the terminal's language by default"), N_("LANG") },
    { "phonemes", 'p', 0, G_OPTION_ARG_NONE, &phonemes,
      N_("Print the phonemes espeak-ng chose instead of speaking"), NULL },
    { "wav", 'w', 0, G_OPTION_ARG_FILENAME, &wav,
      N_("Write the audio to this WAV file instead of speaking"), N_("FILE") },
    { "rate", 'r', 0, G_OPTION_ARG_INT, &rate,
      N_("Words per minute (80 to 450)"), N_("N") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &words, NULL, N_("TEXT") },
    { NULL }
  };

  /* GOptionContext takes the first argument as the program's name; a
   * dispatcher may hand us "minyin speak ..." or "speak ...". */
  args = g_new0 (char *, argc + 1);
  {
    int i, j = 0;
    for (i = 0; i < argc; i++)
      if (!(i == 1 && g_str_equal (argv[i], "speak")))
        args[j++] = g_strdup (argv[i]);
    argc = j;
  }

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                _("Says TEXT with the terminal's voice. Without --phonemes or --wav, TEXT is played on the sound output, to check a kiosk's speakers."));
  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr (_("%s Run “minyin speak --help” to see the options.\n"), error->message);
      return 2;
    }

  if (words == NULL || words[0] == NULL)
    {
      g_printerr (_("Nothing to say. Give the text after the options, for example: minyin speak 请选择类别\n"));
      return 2;
    }
  text = g_strjoinv (" ", words);

  if (language == NULL)
    language = display_language ();
  if (mn_speech_voice_for_language (language) == NULL)
    {
      g_printerr (_("There is no voice for the language “%s”. Use zh_CN, zh_HK, ug or en.\n"), language);
      return 2;
    }

  /* Phonemes and WAV files need no sound output: do not probe for one. */
  speech = (phonemes || wav != NULL) ? mn_speech_new_with_sink ("fakesink") : mn_speech_new ();
  mn_speech_set_log_problems (speech, FALSE);
  if (rate > 0)
    mn_speech_set_rate (speech, (guint) rate);
  mn_speech_set_language (speech, language);

  if (phonemes)
    {
      g_autofree char *ph = mn_speech_get_phonemes (speech, language, text, &error);

      if (ph == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      g_print ("%s\n", ph);
    }

  if (wav != NULL)
    {
      guint sample_rate = 0;
      g_autoptr(GBytes) samples = mn_speech_synthesize (speech, language, text, &sample_rate, &error);

      if (samples == NULL || !write_wav (wav, samples, sample_rate, &error))
        {
          g_printerr (_("The audio could not be written: %s\n"), error->message);
          return 1;
        }
    }

  if (!phonemes && wav == NULL)
    {
      mn_speech_say_prompt (speech, text);
      mn_speech_wait_idle (speech, -1);
      if (mn_speech_get_state (speech) != MN_SPEECH_STATE_READY)
        {
          g_printerr ("%s\n", mn_speech_get_state_message (speech));
          return 1;
        }
    }

  return 0;
}
