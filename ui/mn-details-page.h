/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-catalogue.h"
#include "mn-voice-note.h"

G_BEGIN_DECLS

/* Step 2 of filing: what is wrong, picked from the category's preset
 * phrases (several may be combined), so nobody has to type. Touching a
 * phrase selects or unselects it and says it; the page's Next button
 * ("details.next") emits "next" once at least one is chosen.
 *
 * "Write it myself" ("details.write") says its name and emits "write":
 * the flow opens the handwriting page, whose text comes back through
 * mn_details_page_set_written() and counts as a description too.
 *
 * A voice note (app/mn-voice-note.h), given by the flow with
 * mn_details_page_set_voice_note(), may stand in for the sentences or add
 * to them: Record ("details.record") says nothing (the kiosk's voice must
 * not be recorded) and emits "record", on which the flow silences the
 * voice and starts the note; while it records the page shows the seconds
 * and a level bar, and Stop ends it (so does Next, which then goes on).
 * Play back and Delete act on the note directly.
 *
 * Actions: details.toggle (s, a phrase's index), details.next,
 * details.write, details.record, details.stop, details.play,
 * details.delete-note. */
#define MN_TYPE_DETAILS_PAGE (mn_details_page_get_type ())
G_DECLARE_FINAL_TYPE (MnDetailsPage, mn_details_page, MN, DETAILS_PAGE, AdwBin)

GtkWidget *mn_details_page_new          (void);
/* Shows the phrases of @category (borrowed; it must outlive the page's
 * use of it) and forgets any earlier choice. */
void       mn_details_page_set_category (MnDetailsPage    *self,
                                         const MnCategory *category);
/* The chosen phrases joined into one description, in the order shown,
 * then what the person wrote; NULL when there is neither. */
char      *mn_details_page_dup_text     (MnDetailsPage    *self);
/* The toggle of phrase @index (for tests). */
GtkWidget *mn_details_page_get_phrase   (MnDetailsPage    *self,
                                         guint             index);
/* Forgets the phrases chosen and the text written. */
void       mn_details_page_reset        (MnDetailsPage    *self);
/* What the person wrote by hand (NULL or "" for nothing); kept across a
 * change of category, wiped by mn_details_page_reset(). */
void       mn_details_page_set_written  (MnDetailsPage    *self,
                                         const char       *text);
/* Shows "Write it myself" only when handwriting can be recognised. */
void       mn_details_page_set_can_write (MnDetailsPage   *self,
                                          gboolean         can_write);
GtkWidget *mn_details_page_get_write_button (MnDetailsPage *self);

/* The flow's voice note (a reference is kept), or NULL to offer none. */
void       mn_details_page_set_voice_note    (MnDetailsPage *self,
                                              MnVoiceNote   *note);
/* FALSE hides Record (no working microphone); a note already kept can
 * still be played and deleted. */
void       mn_details_page_set_can_record    (MnDetailsPage *self,
                                              gboolean       can_record);
/* A sentence under the buttons (why recording failed), NULL to clear. */
void       mn_details_page_set_voice_problem (MnDetailsPage *self,
                                              const char    *sentence);
/* A finished note is kept. */
gboolean   mn_details_page_has_voice_note    (MnDetailsPage *self);
/* For tests: the level bar, and the status text shown (NULL: none). */
GtkWidget  *mn_details_page_get_level_bar    (MnDetailsPage *self);
const char *mn_details_page_get_note_status  (MnDetailsPage *self);

/* How long Record waits at most for its instructions to be said before
 * it records anyway (their estimated length at the voice's rate, and a
 * few seconds), in milliseconds. */
guint      mn_details_page_get_prepare_limit_ms (MnDetailsPage *self);

G_END_DECLS
