/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Step 4 of filing: how the agency can call back. A phone number on the
 * large keypad (checked as a mainland mobile or landline; a wrong one is
 * explained on screen and aloud), or "Stay anonymous". Either emits
 * "next".
 *
 * Actions: contact.anonymous. The keypad's own actions (keypad.*) type. */
#define MN_TYPE_CONTACT_PAGE (mn_contact_page_get_type ())
G_DECLARE_FINAL_TYPE (MnContactPage, mn_contact_page, MN, CONTACT_PAGE, AdwBin)

GtkWidget  *mn_contact_page_new          (void);
/* The checked number (plain digits), or NULL when anonymous or not given. */
const char *mn_contact_page_get_phone    (MnContactPage *self);
gboolean    mn_contact_page_get_anonymous (MnContactPage *self);
/* The keypad, for tests. */
GtkWidget  *mn_contact_page_get_keypad   (MnContactPage *self);
/* Wipes the number from the keypad and from memory. */
void        mn_contact_page_reset        (MnContactPage *self);

G_END_DECLS
