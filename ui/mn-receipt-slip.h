/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The printed receipt (受理回执) of a filed request: what it says, drawn
 * with cairo and Pango onto any surface (a PDF or PNG in tests, a printer
 * through GtkPrintOperation on the kiosk), and printing it without a
 * dialog. It never carries the full phone number: only the masked hint. */

#define MN_RECEIPT_SLIP_ERROR (mn_receipt_slip_error_quark ())
GQuark mn_receipt_slip_error_quark (void);

typedef enum
{
  MN_RECEIPT_SLIP_ERROR_NO_PRINTER, /* the configured printer does not exist or is off */
  MN_RECEIPT_SLIP_ERROR_FAILED,     /* the printer refused or lost the job (out of paper...) */
  MN_RECEIPT_SLIP_ERROR_TIMED_OUT,  /* the job did not finish in time */
} MnReceiptSlipError;

/* Paper, as the receipt-paper setting names it. Rolls are cut to the
 * length of the slip; sheets get one page. */
typedef enum
{
  MN_RECEIPT_PAPER_ROLL_58,
  MN_RECEIPT_PAPER_ROLL_80,
  MN_RECEIPT_PAPER_A4,
  MN_RECEIPT_PAPER_A5,
} MnReceiptPaper;

/* "roll-58", "roll-80", "a4", "a5"; FALSE for anything else. */
gboolean mn_receipt_paper_from_string (const char     *nick,
                                       MnReceiptPaper *out_paper);

typedef struct
{
  char   *station_name; /* or NULL */
  char   *case_code;    /* canonical digits */
  char   *category;     /* its name in the person's language, or NULL */
  gint64  filed_at;     /* Unix seconds */
  gint64  deadline_at;  /* Unix seconds, 0 when none was committed */
  char   *contact_hint; /* masked (138****8000), NULL when anonymous */
  char   *language;     /* e.g. "zh_HK": the glyphs and direction of the text; NULL = the locale's */
} MnReceiptSlip;

#define MN_TYPE_RECEIPT_SLIP (mn_receipt_slip_get_type ())
GType          mn_receipt_slip_get_type (void) G_GNUC_CONST;
MnReceiptSlip *mn_receipt_slip_new      (void);
MnReceiptSlip *mn_receipt_slip_copy     (const MnReceiptSlip *slip);
void           mn_receipt_slip_free     (MnReceiptSlip       *slip);

/* The slip's lines as printed, one paragraph a line (for tests, and for a
 * person who asks what the paper says). */
char          *mn_receipt_slip_dup_text (const MnReceiptSlip *slip);

/* Draws the slip on @cr, whose user unit is the point (1/72 inch), in a
 * column @width points wide starting at the current origin, and returns
 * the height it took. Text grows with the paper up to a limit, so a
 * sheet gets a readable slip at the top rather than a poster. */
double         mn_receipt_slip_render   (const MnReceiptSlip *slip,
                                         cairo_t             *cr,
                                         double               width);

/* The paper's width and the printable column inside it, in points; the
 * height is 0 for a roll. */
void           mn_receipt_paper_get_size (MnReceiptPaper paper,
                                          double        *paper_width,
                                          double        *paper_height,
                                          double        *column_width);

/* Renders the slip into a PDF of one page of @paper (a roll is as long as
 * the slip): for tests and for archiving. */
gboolean       mn_receipt_slip_write_pdf (const MnReceiptSlip *slip,
                                          MnReceiptPaper       paper,
                                          const char          *path,
                                          GError             **error);

/* Prints the slip on @printer (a CUPS queue name) on @paper, with no
 * dialog, never blocking the main loop: the callback runs once the job
 * finished, failed, or took longer than a receipt printer ever should.
 * With @export_pdf the same print operation writes a PDF file instead
 * (tests, archiving) and @printer may be NULL. Cancelling @cancellable
 * makes the callback run once, from the main loop soon after (never
 * inside g_cancellable_cancel()), with G_IO_ERROR_CANCELLED; the printer
 * is no longer watched then, and a job already queued stays queued. */
void           mn_receipt_slip_print_async  (const MnReceiptSlip  *slip,
                                             const char           *printer,
                                             MnReceiptPaper        paper,
                                             const char           *export_pdf,
                                             GtkWindow            *parent,
                                             GCancellable         *cancellable,
                                             GAsyncReadyCallback   callback,
                                             gpointer              user_data);
gboolean       mn_receipt_slip_print_finish (GAsyncResult         *result,
                                             GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnReceiptSlip, mn_receipt_slip_free)

G_END_DECLS
