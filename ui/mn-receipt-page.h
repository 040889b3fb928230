/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

/* mn_qr_texture_new() moved to mn-qr.h; included for its callers. */
#include "mn-qr.h"
#include "mn-receipt-slip.h"

G_BEGIN_DECLS

/* Step 7 of filing, shown only after the request is durably saved: the
 * case code very large, grouped as it is read, and as a QR code; "Finish"
 * ("receipt.finish") emits "finish", after which the session is wiped. */
#define MN_TYPE_RECEIPT_PAGE (mn_receipt_page_get_type ())
G_DECLARE_FINAL_TYPE (MnReceiptPage, mn_receipt_page, MN, RECEIPT_PAGE, AdwBin)

GtkWidget  *mn_receipt_page_new       (void);
/* @case_code: canonical digits; NULL clears the page. A slip printed
 * from it says the code and the time only: prefer set_slip(). */
void        mn_receipt_page_set_code  (MnReceiptPage *self,
                                       const char    *case_code);
/* The whole receipt: the screen shows its code and QR code, and "Print
 * receipt" ("receipt.print", shown only when the printer setting names a
 * printer) prints it. NULL clears the page. While it prints, Finish and
 * Back do nothing and the idle timer is held off; the outcome is shown,
 * spoken, and emitted as "printed" (gboolean ok). */
void        mn_receipt_page_set_slip  (MnReceiptPage       *self,
                                       const MnReceiptSlip *slip);
gboolean    mn_receipt_page_get_printing (MnReceiptPage *self);
/* Whether "Print receipt" is offered (a printer is set, and a slip). */
gboolean    mn_receipt_page_get_can_print (MnReceiptPage *self);
/* Shows or hides the print button after the printer setting changed. */
void        mn_receipt_page_update_print (MnReceiptPage *self);
/* Tests: "Print receipt" writes the slip into @pdf_path through the same
 * print operation (and is offered even without a printer); NULL prints
 * again. */
void        mn_receipt_page_set_print_export (MnReceiptPage *self,
                                              const char    *pdf_path);
/* The code as shown, or NULL. */
const char *mn_receipt_page_get_shown (MnReceiptPage *self);
/* The QR code drawn, or NULL (for tests). */
GdkTexture *mn_receipt_page_get_qr    (MnReceiptPage *self);

G_END_DECLS
