/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-inquiry.h"
#include "mn-window.h"

G_BEGIN_DECLS

/* The kiosk's two ways back to a case (issue 6):
 *
 *   "Ask about progress": progress-code → progress-phone → case-result
 *   "Rate a closed case": rate-code → rate-phone → rate (questions →
 *                         reasons → thanks), or case-result with the
 *                         reason when the case cannot be rated now
 *
 * The checks go through MnInquiry (same answer for a wrong code or wrong
 * digits, answer floor, lock-out). Both start buttons appear once there
 * is a store. On the window's "reset" every page, the typed code and
 * digits are wiped. Page speech is set for every page. */
#define MN_TYPE_PROGRESS_FLOW (mn_progress_flow_get_type ())
G_DECLARE_FINAL_TYPE (MnProgressFlow, mn_progress_flow, MN, PROGRESS_FLOW, GObject)

MnProgressFlow *mn_progress_flow_new       (MnWindow       *window);
void            mn_progress_flow_set_store (MnProgressFlow *self,
                                            MnStore        *store);
/* The checks, for tests (to move the clock, shorten the answer floor). */
MnInquiry      *mn_progress_flow_get_inquiry (MnProgressFlow *self);
GtkWidget      *mn_progress_flow_get_page  (MnProgressFlow *self,
                                            const char     *name);
/* Whether a check is running (tests wait for it to end). */
gboolean        mn_progress_flow_get_busy  (MnProgressFlow *self);

G_END_DECLS
