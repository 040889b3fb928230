/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

/* mn_qr_texture_new() moved to mn-qr.h; included for its callers. */
#include "mn-qr.h"

G_BEGIN_DECLS

/* Step 7 of filing, shown only after the request is durably saved: the
 * case code very large, grouped as it is read, and as a QR code; "Finish"
 * ("receipt.finish") emits "finish", after which the session is wiped. */
#define MN_TYPE_RECEIPT_PAGE (mn_receipt_page_get_type ())
G_DECLARE_FINAL_TYPE (MnReceiptPage, mn_receipt_page, MN, RECEIPT_PAGE, AdwBin)

GtkWidget  *mn_receipt_page_new       (void);
/* @case_code: canonical digits; NULL clears the page. */
void        mn_receipt_page_set_code  (MnReceiptPage *self,
                                       const char    *case_code);
/* The code as shown, or NULL. */
const char *mn_receipt_page_get_shown (MnReceiptPage *self);
/* The QR code drawn, or NULL (for tests). */
GdkTexture *mn_receipt_page_get_qr    (MnReceiptPage *self);

G_END_DECLS
