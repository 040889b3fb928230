/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-speech-prompts.h"

typedef struct
{
  const char *name;
  const char *msgid;
} Prompt;

/* Spoken to people who may not be able to read the screen: short
 * sentences, the name of the button to press as it is written on it. */
static const Prompt prompts[MN_SPEECH_N_PROMPTS] = {
  [MN_SPEECH_PROMPT_WELCOME] = { "welcome",
    /* Translators: spoken on the kiosk's start screen. */
    N_("Welcome. Touch the screen to file a request, or to follow one you filed before.") },
  [MN_SPEECH_PROMPT_CHOOSE_CATEGORY] = { "choose-category",
    /* Translators: spoken when the list of request categories appears. */
    N_("Please choose a category.") },
  [MN_SPEECH_PROMPT_CHOOSE_DETAILS] = { "choose-details",
    /* Translators: spoken over the preset phrases of a category. */
    N_("Please choose what describes your problem best.") },
  [MN_SPEECH_PROMPT_CHOOSE_ADDRESS] = { "choose-address",
    N_("Please choose the address where the problem is.") },
  [MN_SPEECH_PROMPT_ENTER_PHONE] = { "enter-phone",
    /* Translators: spoken over the number keypad (the keypad is the only
     * way to enter it: no need to say so). */
    N_("Please enter your phone number, or choose to stay anonymous.") },
  [MN_SPEECH_PROMPT_REVIEW] = { "review",
    /* Translators: "Submit" and "Change" are the labels of the buttons;
     * the request itself is read out right after this. */
    N_("Please check your request. Touch Submit if it is right, or Change to correct it.") },
  [MN_SPEECH_PROMPT_SUBMITTED] = { "submitted",
    /* Translators: %s is the case code, such as 3302-01-261128-0017-5; it
     * is read digit by digit. Keep the %s. */
    N_("Your request is saved. Your case code is %s. Please keep the printed slip.") },
  [MN_SPEECH_PROMPT_ENTER_CASE_CODE] = { "enter-case-code",
    N_("Please enter your case code on the keypad.") },
  [MN_SPEECH_PROMPT_STAFF_CALLED] = { "staff-called",
    N_("Staff have been called, please wait.") },
  [MN_SPEECH_PROMPT_STILL_THERE] = { "still-there",
    /* Translators: idle warning; "More time" is the label of the button. */
    N_("Are you still there? Touch More time to continue.") },
  [MN_SPEECH_PROMPT_TIME_UP] = { "time-up",
    N_("Time is up. What you entered has been cleared.") },
  [MN_SPEECH_PROMPT_RATE_HANDLING] = { "rate-handling",
    N_("Are you satisfied with how your request was handled?") },
  [MN_SPEECH_PROMPT_ERROR_TRY_AGAIN] = { "error-try-again",
    N_("Something went wrong. Please try again, or ask staff for help.") },
  [MN_SPEECH_PROMPT_ERROR_PHONE] = { "error-phone",
    N_("This phone number is not complete. Please check it and enter it again.") },
  [MN_SPEECH_PROMPT_ERROR_CASE_CODE] = { "error-case-code",
    N_("This case code was not found. Please check the digits and try again.") },
  [MN_SPEECH_PROMPT_ERROR_SAVE] = { "error-save",
    N_("Your request could not be saved. Nothing was lost; please ask staff for help.") },
  [MN_SPEECH_PROMPT_CHOOSE_DETAILS_OR_RECORD] = { "choose-details-or-record",
    /* Translators: spoken over the preset phrases of a category, where a
     * voice note can be recorded. How to record is said only to whoever
     * touches "Record a voice note". */
    N_("Please choose the sentences that fit, or record a voice note.") },
  [MN_SPEECH_PROMPT_RECORD_HOW] = { "record-how",
    /* Translators: said when "Record a voice note" is touched, before the
     * beep; "Stop" is the label of the button that ends the recording. */
    N_("Speak after the beep, then touch Stop.") },
};

const char *
mn_speech_prompt_name (MnSpeechPrompt prompt)
{
  g_return_val_if_fail (prompt < MN_SPEECH_N_PROMPTS, NULL);

  return prompts[prompt].name;
}

const char *
mn_speech_prompt_msgid (MnSpeechPrompt prompt)
{
  g_return_val_if_fail (prompt < MN_SPEECH_N_PROMPTS, NULL);

  return prompts[prompt].msgid;
}

const char *
mn_speech_prompt_text (MnSpeechPrompt prompt)
{
  g_return_val_if_fail (prompt < MN_SPEECH_N_PROMPTS, NULL);

  return g_dgettext (GETTEXT_PACKAGE, prompts[prompt].msgid);
}

gboolean
mn_speech_prompt_takes_code (MnSpeechPrompt prompt)
{
  g_return_val_if_fail (prompt < MN_SPEECH_N_PROMPTS, FALSE);

  return strstr (prompts[prompt].msgid, "%s") != NULL;
}

char *
mn_speech_prompt_fill (const char *text,
                       const char *code)
{
  const char *at;
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);

  /* Not printf: a translation is data, and a stray conversion in it must
   * not be able to read the stack. */
  at = strstr (text, "%s");
  if (at == NULL)
    return g_strdup (text);

  out = g_string_new_len (text, at - text);
  g_string_append (out, code != NULL ? code : "");
  g_string_append (out, at + 2);
  return g_string_free (out, FALSE);
}
