/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Staff sign-in on the kiosk's keypad, in two steps on one page: the staff
 * number (digits shown), then the PIN (dots only, and the keys do not say
 * their digits). A wrong PIN or a lock-out shows as a sentence above the
 * keypad, said as well.
 *
 * Signal "submit" (const char *number, const char *pin) after the PIN's
 * Enter. The page forgets both on mn_staff_sign_in_page_reset(). */
#define MN_TYPE_STAFF_SIGN_IN_PAGE (mn_staff_sign_in_page_get_type ())
G_DECLARE_FINAL_TYPE (MnStaffSignInPage, mn_staff_sign_in_page, MN, STAFF_SIGN_IN_PAGE, AdwBin)

GtkWidget  *mn_staff_sign_in_page_new         (void);
/* TRUE while the PIN is asked for. */
gboolean    mn_staff_sign_in_page_get_pin_step (MnStaffSignInPage *self);
/* Shows @message (NULL hides it); the flow also says it. */
void        mn_staff_sign_in_page_set_message (MnStaffSignInPage *self,
                                               const char        *message);
const char *mn_staff_sign_in_page_get_message (MnStaffSignInPage *self);
void        mn_staff_sign_in_page_set_busy    (MnStaffSignInPage *self,
                                               gboolean           busy);
/* Back to the number step with nothing typed; @message stays shown
 * (NULL: none). */
void        mn_staff_sign_in_page_restart     (MnStaffSignInPage *self,
                                               const char        *message);
GtkWidget  *mn_staff_sign_in_page_get_keypad  (MnStaffSignInPage *self);
/* What is said when the page shows, for the step it is at. */
const char *mn_staff_sign_in_page_get_speech  (MnStaffSignInPage *self);

G_END_DECLS
