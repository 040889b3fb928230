/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* One keypad step of asking about a case: the case code (17 digits as on
 * the receipt, or the platform's case number), or the last four digits
 * of the phone given when filing, with a "no phone was given" button for
 * anonymous cases. Shows and says a message when something is wrong.
 *
 * Signals: "submit" when Enter is pressed; "no-phone" when the person
 * says they filed without a phone (phone step only).
 * Action: case-entry.no-phone. */
#define MN_TYPE_CASE_ENTRY_PAGE (mn_case_entry_page_get_type ())
G_DECLARE_FINAL_TYPE (MnCaseEntryPage, mn_case_entry_page, MN, CASE_ENTRY_PAGE, AdwBin)

GtkWidget  *mn_case_entry_page_new          (gboolean         phone_step);
void        mn_case_entry_page_set_step     (MnCaseEntryPage *self,
                                             const char      *title,
                                             guint            step,
                                             guint            n_steps,
                                             const char      *back_action);
const char *mn_case_entry_page_get_text     (MnCaseEntryPage *self);
/* Shows @message (NULL hides it); the flow also says it. */
void        mn_case_entry_page_set_message  (MnCaseEntryPage *self,
                                             const char      *message);
const char *mn_case_entry_page_get_message  (MnCaseEntryPage *self);
/* While a check runs, nothing can be pressed twice. */
void        mn_case_entry_page_set_busy     (MnCaseEntryPage *self,
                                             gboolean         busy);
/* Wipes what was typed and any message. */
void        mn_case_entry_page_reset        (MnCaseEntryPage *self);
GtkWidget  *mn_case_entry_page_get_keypad   (MnCaseEntryPage *self);

G_END_DECLS
