/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-catalogue.h"

G_BEGIN_DECLS

/* The staff page of quarantined messages: per message its case code, kind
 * (new request or update), category, when it was filed, how many attempts
 * were made and the platform's reason in full, with "Try again" and
 * "Export"; above them "Try all again" and "Export all"; a line that says
 * what the last action did; and "Sign out" where every page has its "go
 * on" button.
 *
 * Actions (the buttons' and a test's way in): quarantine.retry (x: the
 * outbox id), quarantine.export (x), quarantine.retry-all,
 * quarantine.export-all, quarantine.sign-out. They emit the signals
 * "retry" (gint64 id, 0 for all), "export" (gint64 id, 0 for all) and
 * "sign-out"; the staff flow does the work. */
#define MN_TYPE_QUARANTINE_PAGE (mn_quarantine_page_get_type ())
G_DECLARE_FINAL_TYPE (MnQuarantinePage, mn_quarantine_page, MN, QUARANTINE_PAGE, AdwBin)

GtkWidget  *mn_quarantine_page_new          (void);
/* Who is signed in, shown under the title. NULL @name: nobody. */
void        mn_quarantine_page_set_staff    (MnQuarantinePage *self,
                                             const char       *number,
                                             const char       *name);
/* Element type MnOutboxMessage; NULL or empty: the page says nothing is
 * in quarantine. @catalogue (may be NULL) names the categories. */
void        mn_quarantine_page_set_messages (MnQuarantinePage *self,
                                             GPtrArray        *messages,
                                             MnCatalogue      *catalogue);
guint       mn_quarantine_page_get_n_items  (MnQuarantinePage *self);
/* The line under the buttons (what the last action did); NULL hides it. */
void        mn_quarantine_page_set_status   (MnQuarantinePage *self,
                                             const char       *text,
                                             gboolean          is_error);
const char *mn_quarantine_page_get_status   (MnQuarantinePage *self);
void        mn_quarantine_page_set_busy     (MnQuarantinePage *self,
                                             gboolean          busy);
/* Forgets everything shown (sign-out). */
void        mn_quarantine_page_clear        (MnQuarantinePage *self);
/* What is said when the page shows. */
char       *mn_quarantine_page_get_speech   (MnQuarantinePage *self);

G_END_DECLS
