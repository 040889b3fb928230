/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-questionnaire.h"

G_BEGIN_DECLS

/* The step right after the category, shown only when the category's
 * cached service definition has list questions: each question large, with
 * one big button per value (single-value: touching one picks it; multi-
 * value: each button toggles). The chosen values carry a tick as well as
 * the colour. Next ("questions.next") stays insensitive until every
 * required list question is answered, then emits "next". Free-form
 * questions are not asked at the kiosk. */
#define MN_TYPE_QUESTIONS_PAGE (mn_questions_page_get_type ())
G_DECLARE_FINAL_TYPE (MnQuestionsPage, mn_questions_page, MN, QUESTIONS_PAGE, AdwBin)

GtkWidget  *mn_questions_page_new               (void);
/* TRUE when @questionnaire has a question this page asks. */
gboolean    mn_questions_page_would_ask         (const MnQuestionnaire *questionnaire);
/* Takes @questionnaire (may be NULL) and forgets earlier answers. */
void        mn_questions_page_set_questionnaire (MnQuestionsPage *self,
                                                 MnQuestionnaire *questionnaire);
const MnQuestionnaire *mn_questions_page_get_questionnaire (MnQuestionsPage *self);
/* The JSON of the answers (mn_questionnaire_answers_to_json), or NULL. */
char       *mn_questions_page_dup_json          (MnQuestionsPage *self);
/* "Question: value name" per answered question, one a line, or NULL. */
char       *mn_questions_page_dup_summary       (MnQuestionsPage *self);
/* The questions as they are read when the page appears. */
char       *mn_questions_page_dup_speech        (MnQuestionsPage *self);
/* The button of value @key of question @code, or NULL. */
GtkWidget  *mn_questions_page_get_value_button  (MnQuestionsPage *self,
                                                 const char      *code,
                                                 const char      *key);
/* Forgets the questionnaire and the answers. */
void        mn_questions_page_reset             (MnQuestionsPage *self);

G_END_DECLS
