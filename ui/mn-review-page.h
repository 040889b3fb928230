/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Step 6 of filing: everything the person gave, large, each part with a
 * Change button that goes back to its page (the answers stay); Submit
 * ("review.submit") emits "submit". While the request is being saved the
 * page says so; when saving fails it shows why and keeps everything. */
#define MN_TYPE_REVIEW_PAGE (mn_review_page_get_type ())
G_DECLARE_FINAL_TYPE (MnReviewPage, mn_review_page, MN, REVIEW_PAGE, AdwBin)

GtkWidget *mn_review_page_new        (void);
/* @contact: a masked phone number, or NULL for anonymous. */
void       mn_review_page_set        (MnReviewPage *self,
                                      const char   *category,
                                      const char   *details,
                                      const char   *place,
                                      const char   *contact);
/* The row of the voice note: @text such as "12 seconds", with a Play
 * button ("review.play-note", emits "play-note"); NULL hides the row. */
void       mn_review_page_set_voice_note (MnReviewPage *self,
                                          const char   *text);
/* What is read aloud: every part, in order. */
char      *mn_review_page_dup_speech (MnReviewPage *self);
/* NULL clears the message. */
void       mn_review_page_set_error  (MnReviewPage *self,
                                      const char   *message);
void       mn_review_page_set_busy   (MnReviewPage *self,
                                      gboolean      busy);
void       mn_review_page_reset      (MnReviewPage *self);

G_END_DECLS
