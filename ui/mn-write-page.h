/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Part of step 2 of filing, opened by "Write it myself" on the details
 * page: for a problem no preset sentence fits, the person writes it one
 * character at a time on the handwriting pad. The characters written so
 * far show large beside the pad; "Delete last character" takes one away;
 * "Done" ("write.done") emits "done". The text is at most
 * MN_WRITE_PAGE_MAX_CHARS characters; "changed" is emitted whenever it
 * changes.
 *
 * Actions: write.delete, write.done. */
#define MN_TYPE_WRITE_PAGE (mn_write_page_get_type ())
G_DECLARE_FINAL_TYPE (MnWritePage, mn_write_page, MN, WRITE_PAGE, AdwBin)

#define MN_WRITE_PAGE_MAX_CHARS 200

GtkWidget  *mn_write_page_new           (void);
/* What has been written (never NULL; "" for nothing). */
const char *mn_write_page_get_text      (MnWritePage *self);
/* FALSE when no handwriting can be recognised on this terminal. */
gboolean    mn_write_page_get_available (MnWritePage *self);
/* The handwriting pad (for tests). */
GtkWidget  *mn_write_page_get_pad       (MnWritePage *self);
/* What the page says when it shows, in the language it was built in. */
const char *mn_write_page_get_speech    (MnWritePage *self);
/* Forgets what was written and empties the pad. */
void        mn_write_page_reset         (MnWritePage *self);

G_END_DECLS
