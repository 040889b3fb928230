/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-handwriting.h"

G_BEGIN_DECLS

/* A pad for writing one Chinese character at a time with a finger, for
 * the kiosk's free-text fields (no system keyboard or input method can
 * appear on a kiosk). A large box takes strokes by a single-finger drag;
 * after each stroke the best candidates show as large buttons; touching
 * one says it aloud (through the window's "announce"), emits
 * "character-chosen" and empties the box for the next character. "Undo
 * stroke" and "Clear" buttons sit beside them.
 *
 * Using it in a page:
 *
 *     GtkWidget *pad = mn_handwriting_pad_new ();
 *     g_signal_connect (pad, "character-chosen", G_CALLBACK (on_char), self);
 *     // on_char (MnHandwritingPad *pad, const char *character, gpointer data)
 *     //   appends @character to the field's text.
 *     // On the window's "reset": mn_handwriting_pad_clear (pad).
 *
 * Without zinnia or its model the pad shows a sentence saying handwriting
 * is unavailable instead of the box (see mn_handwriting_pad_get_available).
 *
 * Signals:
 *  - "character-chosen" (const char *character)
 *  - "candidates-changed": the candidate buttons were replaced.
 *
 * Actions (in the "pad" group): pad.undo, pad.clear, pad.choose (s). */
#define MN_TYPE_HANDWRITING_PAD (mn_handwriting_pad_get_type ())
G_DECLARE_FINAL_TYPE (MnHandwritingPad, mn_handwriting_pad, MN, HANDWRITING_PAD, AdwBin)

#define MN_HANDWRITING_PAD_MAX_CANDIDATES 6

GtkWidget     *mn_handwriting_pad_new              (void);

/* Uses @recognizer instead of the process's shared one. */
void           mn_handwriting_pad_set_recognizer   (MnHandwritingPad *self,
                                                    MnHandwriting    *recognizer);
gboolean       mn_handwriting_pad_get_available    (MnHandwritingPad *self);

/* Empties the box and the candidates (also what a session reset does). */
void           mn_handwriting_pad_clear            (MnHandwritingPad *self);
/* Takes the last stroke away and recognises what is left. */
void           mn_handwriting_pad_undo_stroke      (MnHandwritingPad *self);

/* What has been drawn, in the box's own coordinates. */
const MnInk   *mn_handwriting_pad_get_ink          (MnHandwritingPad *self);
/* Draws @ink (scaled into the box) as if by a finger, stroke by stroke,
 * and recognises it: for tests and demonstrations. */
void           mn_handwriting_pad_feed_ink         (MnHandwritingPad *self,
                                                    const MnInk      *ink);

/* The candidates now shown, best first (NULL-terminated; empty when none). */
const char * const *mn_handwriting_pad_get_candidates (MnHandwritingPad *self);
/* The button of candidate @index, or NULL. */
GtkWidget     *mn_handwriting_pad_get_candidate_button (MnHandwritingPad *self,
                                                        guint             index);
/* Chooses @character as if its button was touched. */
void           mn_handwriting_pad_choose           (MnHandwritingPad *self,
                                                    const char       *character);

G_END_DECLS
