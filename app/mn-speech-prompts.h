/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The kiosk's fixed spoken prompts, in one place so that every one of them
 * is tested in every language the kiosk speaks (tests/test-speech.c). The
 * pages say them with mn_speech_say_prompt (speech, mn_speech_prompt_text
 * (...)). The texts are gettext messages, translated in po/. */
typedef enum
{
  MN_SPEECH_PROMPT_WELCOME,
  MN_SPEECH_PROMPT_CHOOSE_CATEGORY,
  MN_SPEECH_PROMPT_CHOOSE_DETAILS,
  MN_SPEECH_PROMPT_CHOOSE_ADDRESS,
  MN_SPEECH_PROMPT_ENTER_PHONE,
  MN_SPEECH_PROMPT_REVIEW,
  MN_SPEECH_PROMPT_SUBMITTED,
  MN_SPEECH_PROMPT_ENTER_CASE_CODE,
  MN_SPEECH_PROMPT_STAFF_CALLED,
  MN_SPEECH_PROMPT_STILL_THERE,
  MN_SPEECH_PROMPT_TIME_UP,
  MN_SPEECH_PROMPT_RATE_HANDLING,
  MN_SPEECH_PROMPT_ERROR_TRY_AGAIN,
  MN_SPEECH_PROMPT_ERROR_PHONE,
  MN_SPEECH_PROMPT_ERROR_CASE_CODE,
  MN_SPEECH_PROMPT_ERROR_SAVE,
  MN_SPEECH_PROMPT_CHOOSE_DETAILS_OR_RECORD, /* the details step, where a voice note can be recorded */
  MN_SPEECH_PROMPT_RECORD_HOW,               /* said when Record is touched, before the beep */

  MN_SPEECH_N_PROMPTS
} MnSpeechPrompt;

/* A stable name ("welcome", "submitted", ...) for logs and tests. */
const char *mn_speech_prompt_name      (MnSpeechPrompt prompt);

/* The untranslated message (the gettext msgid). */
const char *mn_speech_prompt_msgid     (MnSpeechPrompt prompt);

/* The prompt in the current display language. */
const char *mn_speech_prompt_text      (MnSpeechPrompt prompt);

/* TRUE if the prompt has a "%s" where a case code goes. */
gboolean    mn_speech_prompt_takes_code (MnSpeechPrompt prompt);

/* @text (a translated prompt) with its "%s" replaced by @code, as given
 * (the display form "3302-01-261128-0017-5" is read digit by digit with
 * pauses between groups). Without a "%s", a copy of @text. */
char       *mn_speech_prompt_fill      (const char *text,
                                        const char *code);

G_END_DECLS
