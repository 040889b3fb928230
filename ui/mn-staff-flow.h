/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-staff.h"
#include "mn-window.h"

G_BEGIN_DECLS

/* Staff on the kiosk (issue 5): the way in is the small "Staff sign-in"
 * button on the "staff have been called" sign (win.staff-sign-in), then
 * the staff number and PIN on the keypad (page "staff-sign-in"), then the
 * quarantined messages (page "staff-quarantine").
 *
 * The staff session is the window's session: it ends on "Sign out", on
 * Back, and on the window's "reset" (the idle timeout, the start screen),
 * and everything the staff page showed is wiped then. The quarantine page
 * shows nothing unless someone is signed in: reached any other way (an
 * action from a script), it sends the person to the sign-in page. Sign-in,
 * views, retries, exports and sign-out go to the audit trail.
 *
 * Signal "retried": messages went back to the queue; the application
 * wakes the sync worker. */
#define MN_TYPE_STAFF_FLOW (mn_staff_flow_get_type ())
G_DECLARE_FINAL_TYPE (MnStaffFlow, mn_staff_flow, MN, STAFF_FLOW, GObject)

MnStaffFlow          *mn_staff_flow_new          (MnWindow    *window);
void                  mn_staff_flow_set_store    (MnStaffFlow *self,
                                                  MnStore     *store);
/* Where exports go: the "export-dir" key (empty: DATA_DIR/exports). */
void                  mn_staff_flow_set_settings (MnStaffFlow *self,
                                                  GSettings   *settings);
/* The account signed in, or NULL. */
const MnStaffAccount *mn_staff_flow_get_account  (MnStaffFlow *self);
/* Whether a sign-in, list, retry or export runs (tests wait for it). */
gboolean              mn_staff_flow_get_busy     (MnStaffFlow *self);
GtkWidget            *mn_staff_flow_get_page     (MnStaffFlow *self,
                                                  const char  *name);
/* The file the last export wrote, or NULL. */
const char           *mn_staff_flow_get_last_export (MnStaffFlow *self);

G_END_DECLS
