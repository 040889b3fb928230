/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Step 5 of filing: the privacy notice, shown large and spoken; "I agree"
 * ("consent.agree") emits "next"; Back returns to the phone number. */
#define MN_TYPE_CONSENT_PAGE (mn_consent_page_get_type ())
G_DECLARE_FINAL_TYPE (MnConsentPage, mn_consent_page, MN, CONSENT_PAGE, AdwBin)

GtkWidget  *mn_consent_page_new         (void);
/* The notice as shown, which is also what is said. */
const char *mn_consent_page_get_notice  (MnConsentPage *self);

G_END_DECLS
