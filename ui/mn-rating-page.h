/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-rating.h"

G_BEGIN_DECLS

/* Rating a closed case, in three views of one page: the two big
 * questions (solved / not solved; satisfied / basically satisfied /
 * unsatisfied), each answer a face AND words; then, for an unhappy answer,
 * what is still wrong (preset reasons); then thanks.
 *
 * Actions: rating.solved (s: "yes"/"no"), rating.satisfaction (s:
 * "satisfied"/"basic"/"unsatisfied"), rating.next, rating.reason (s:
 * preset id, toggles), rating.send, rating.done.
 * Signals: "submit" (MnRating *) when the answers are complete; "done". */
#define MN_TYPE_RATING_PAGE (mn_rating_page_get_type ())
G_DECLARE_FINAL_TYPE (MnRatingPage, mn_rating_page, MN, RATING_PAGE, AdwBin)

GtkWidget  *mn_rating_page_new          (void);
/* "questions", "reasons" or "thanks". */
const char *mn_rating_page_get_view     (MnRatingPage *self);
/* What to say for the view now showing. */
const char *mn_rating_page_get_speech   (MnRatingPage *self);
void        mn_rating_page_show_thanks  (MnRatingPage *self,
                                         const char   *text);
void        mn_rating_page_set_message  (MnRatingPage *self,
                                         const char   *message);
void        mn_rating_page_set_busy     (MnRatingPage *self,
                                         gboolean      busy);
void        mn_rating_page_reset        (MnRatingPage *self);

G_END_DECLS
