/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-inquiry.h"

G_BEGIN_DECLS

/* Where a case stands, in large print: its code, the masked contact (not
 * for anonymous cases), a notice (e.g. "not closed yet, cannot be rated"),
 * and the timeline, overdue marked with an icon AND in words.
 *
 * Actions: timeline.rate (shown when the case can be rated now),
 * timeline.done. Signals: "rate", "done". */
#define MN_TYPE_CASE_TIMELINE_PAGE (mn_case_timeline_page_get_type ())
G_DECLARE_FINAL_TYPE (MnCaseTimelinePage, mn_case_timeline_page, MN, CASE_TIMELINE_PAGE, AdwBin)

GtkWidget *mn_case_timeline_page_new      (void);
/* Shows @view's @timeline; @notice may be NULL; @can_rate shows the
 * rating button. Returns the text to speak. */
char      *mn_case_timeline_page_show     (MnCaseTimelinePage *self,
                                           const MnCaseView   *view,
                                           GPtrArray          *timeline,
                                           const char         *notice,
                                           gboolean            can_rate);
void       mn_case_timeline_page_reset    (MnCaseTimelinePage *self);
/* How many timeline lines are shown, for tests. */
guint      mn_case_timeline_page_count_lines (MnCaseTimelinePage *self);

G_END_DECLS
