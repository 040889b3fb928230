/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-questionnaire.h"

G_BEGIN_DECLS

/* The step right after the category, shown only when the category's
 * cached service definition has questions the kiosk can ask. They come in
 * "screens", in the definition's order: consecutive list questions share
 * one screen, each large with one big button per value (single-value:
 * touching one picks it; multi-value: each button toggles; the chosen
 * values carry a tick as well as the colour); each free-form question has
 * a screen of its own:
 *  - number: the keypad (a decimal point key when the definition invites
 *    one), its Enter being Next;
 *  - datetime: a day chooser (Today, Yesterday, 2 days ago, A week ago,
 *    One day earlier / later, the date in words) and, unless the question
 *    asks for a date only, Morning / Afternoon / Evening / Night; stored as
 *    ISO 8601 with the terminal's offset;
 *  - string, text: the handwriting pad, up to the question's length cap
 *    (only when handwriting can be recognised here; else not asked).
 * An optional free-form question has a "Skip this question" button; a
 * required one says why it cannot be skipped. Next ("questions.next")
 * checks the screen with mn_question_check_value() and says what is
 * missing or wrong, aloud and on screen, instead of being greyed out;
 * after the last screen it emits "next". Back ("questions.back") goes to
 * the previous screen, from the first to the category. Answers stay until
 * the questionnaire changes or the page is reset.
 *
 * Actions: questions.answer (ss), questions.next, questions.skip,
 * questions.back, questions.day-ago (i), questions.step-day (i),
 * questions.time-of-day (i), questions.delete-char. */
#define MN_TYPE_QUESTIONS_PAGE (mn_questions_page_get_type ())
G_DECLARE_FINAL_TYPE (MnQuestionsPage, mn_questions_page, MN, QUESTIONS_PAGE, AdwBin)

GtkWidget  *mn_questions_page_new               (void);
/* TRUE when @questionnaire has a question this page asks. */
gboolean    mn_questions_page_would_ask         (const MnQuestionnaire *questionnaire);
/* Takes @questionnaire (may be NULL) and forgets earlier answers. */
void        mn_questions_page_set_questionnaire (MnQuestionsPage *self,
                                                 MnQuestionnaire *questionnaire);
const MnQuestionnaire *mn_questions_page_get_questionnaire (MnQuestionsPage *self);
/* Back to the first screen, answers kept (the flow shows the page again). */
void        mn_questions_page_restart           (MnQuestionsPage *self);
guint       mn_questions_page_get_n_screens     (MnQuestionsPage *self);
guint       mn_questions_page_get_screen        (MnQuestionsPage *self);
/* The free-form question on screen, or NULL on a list screen. */
const MnQuestion *mn_questions_page_get_current_question (MnQuestionsPage *self);
/* The inputs, for tests. */
GtkWidget  *mn_questions_page_get_keypad        (MnQuestionsPage *self);
GtkWidget  *mn_questions_page_get_pad           (MnQuestionsPage *self);
/* The JSON of the answers that pass the check (mn_questionnaire_answers_to_json),
 * or NULL. */
char       *mn_questions_page_dup_json          (MnQuestionsPage *self);
/* "Question answer" per answered question, one a line (a value's name, a
 * date in words), or NULL. */
char       *mn_questions_page_dup_summary       (MnQuestionsPage *self);
/* What is read when the page appears: the screen shown, its question(s)
 * and what to do. */
char       *mn_questions_page_dup_speech        (MnQuestionsPage *self);
/* The button of value @key of question @code, or NULL. */
GtkWidget  *mn_questions_page_get_value_button  (MnQuestionsPage *self,
                                                 const char      *code,
                                                 const char      *key);
/* Forgets the questionnaire and the answers. */
void        mn_questions_page_reset             (MnQuestionsPage *self);

G_END_DECLS
