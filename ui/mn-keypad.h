/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The kiosk's number pad (ACCESSIBILITY.md, "Input without typing"): the
 * digits 1-2-3 on top, as on a telephone, Clear and Delete on the bottom
 * row beside 0, and one large Enter key below. What was typed shows above
 * the keys in large print, in groups (a case code as on the receipt: 4 2 6
 * 4 1; a phone number as people say it: 3 4 4).
 *
 * Every key is a button bound to an action of the keypad, so a test or an
 * accessibility tool presses it like a finger would:
 *   keypad.digit (s)   appends the digit, unless "max-digits" are there
 *   keypad.delete      removes the last digit
 *   keypad.clear       removes them all
 *   keypad.enter       emits "activate"
 *   keypad.point       appends a decimal point (only with "allow-point";
 *                      its key shows only then, below the others)
 * A touched key says what it is: the keypad asks the window it is in to
 * announce it (mn_window_announce()), so every page gets that for free.
 * A hardware keyboard (a USB keypad on some kiosks) works as well.
 *
 * Properties: "text" (the digits, read-write), "max-digits" (0: no limit),
 * "groups" (group sizes as "4,2,6,4,1"; empty: one group), "enter-label"
 * (what Enter says: "Next", "Check"...), "placeholder" (shown while
 * nothing is typed), "secret" (a PIN: dots instead of digits on screen,
 * and a key says "typed" instead of its digit).
 *
 * Signals: "activate" when Enter is pressed. Enter is never greyed out:
 * a person who presses it too early is told why by the page, which a
 * dimmed button cannot do. */
#define MN_TYPE_KEYPAD (mn_keypad_get_type ())
G_DECLARE_FINAL_TYPE (MnKeypad, mn_keypad, MN, KEYPAD, GtkWidget)

GtkWidget  *mn_keypad_new             (void);
const char *mn_keypad_get_text        (MnKeypad   *self);
void        mn_keypad_set_text        (MnKeypad   *self,
                                       const char *text);
/* Removes the digits and wipes the memory that held them. */
void        mn_keypad_clear           (MnKeypad   *self);
guint       mn_keypad_get_max_digits  (MnKeypad   *self);
void        mn_keypad_set_max_digits  (MnKeypad   *self,
                                       guint       max_digits);
const char *mn_keypad_get_groups      (MnKeypad   *self);
void        mn_keypad_set_groups      (MnKeypad   *self,
                                       const char *groups);
const char *mn_keypad_get_enter_label (MnKeypad   *self);
void        mn_keypad_set_enter_label (MnKeypad   *self,
                                       const char *label);
const char *mn_keypad_get_placeholder (MnKeypad   *self);
void        mn_keypad_set_placeholder (MnKeypad   *self,
                                       const char *placeholder);
gboolean    mn_keypad_get_allow_point (MnKeypad   *self);
void        mn_keypad_set_allow_point (MnKeypad   *self,
                                       gboolean    allow_point);
gboolean    mn_keypad_get_secret      (MnKeypad   *self);
void        mn_keypad_set_secret      (MnKeypad   *self,
                                       gboolean    secret);
/* The digits as shown, with a space between groups. */
char       *mn_keypad_format          (MnKeypad   *self);

G_END_DECLS
