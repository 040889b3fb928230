/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The printed receipt: rendered to PDF on 58 mm and 80 mm rolls and on A4
 * and A5, read back with pdftotext (the code, the masked contact, never
 * the full phone number), rasterised with pdftoppm at a thermal printer's
 * 203 dpi for a person to look at and for zbarimg to scan the QR code
 * back to the case code; the QR drawing checked module by module against
 * the encoder; and the print path through GTK's "Print to File" printer
 * and to a printer that does not exist. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-i18n.h"
#include "mn-qr.h"
#include "mn-receipt-slip.h"

#define PHONE "13800138000"
#define HINT  "138****8000"

static char *tmp_dir;
static char *shot_dir;

static MnReceiptSlip *
example_slip (gboolean anonymous)
{
  MnReceiptSlip *slip = mn_receipt_slip_new ();
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 28, 9, 30, 0);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = mn_case_code_build ("3302", "01", day, 17, &error);

  g_assert_no_error (error);
  slip->case_code = g_steal_pointer (&code);
  slip->station_name = g_strdup ("文昌社区服务站");
  slip->category = g_strdup ("电梯故障");
  slip->filed_at = 1795858200;   /* 2026-11-28 */
  slip->deadline_at = slip->filed_at + 7 * 24 * 3600;
  slip->contact_hint = anonymous ? NULL : g_strdup (HINT);
  return slip;
}

/* Runs @argv, returns its standard output; fails the test on an error. */
static char *
run (const char * const *argv)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("%s failed: %s", argv[0], err);
  return g_steal_pointer (&out);
}

/* The text without spaces and without the direction marks pdftotext
 * puts around runs of a right-to-left page. */
static char *
without_space (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
          (c >= 0x2066 && c <= 0x2069))
        continue;
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

/* What the paper says, and that the QR code on it scans back to @code. */
static void
check_pdf (const char *pdf,
           const char *code,
           const char *name,
           gboolean    anonymous)
{
  g_autofree char *text = run ((const char *[]) { "pdftotext", "-enc", "UTF-8", pdf, "-", NULL });
  g_autofree char *flat = without_space (text);
  g_autofree char *shown = mn_case_code_format (code);
  g_autofree char *png_base = g_build_filename (shot_dir, name, NULL);
  g_autofree char *png = g_strconcat (png_base, ".png", NULL);

  /* A thermal printer's resolution, one page, as the printer sees it. */
  g_free (run ((const char *[]) { "pdftoppm", "-r", "203", "-png", "-singlefile", pdf, png_base,
                                  NULL }));
  g_assert_true (g_file_test (png, G_FILE_TEST_IS_REGULAR));
  g_test_message ("receipt image: %s", png);
  g_test_message ("%s says:\n%s", name, text);
  /* The code's digits in order, and each of its groups whole: on a
   * narrow roll a line break may stand for one of the hyphens. */
  {
    g_auto(GStrv) groups = mn_case_code_groups (code);
    const char *at = text;

    g_assert_cmpstr (shown, !=, code);
    for (guint i = 0; groups[i] != NULL; i++)
      {
        at = strstr (at, groups[i]);
        g_assert_nonnull (at);
      }
    {
      GString *only = g_string_new (NULL);

      for (const char *p = flat; *p != '\0'; p++)
        if (*p != '-')
          g_string_append_c (only, *p);
      g_assert_nonnull (strstr (only->str, code));
      g_string_free (only, TRUE);
    }
  }
  g_assert_nonnull (strstr (flat, "文昌社区服务站"));
  g_assert_nonnull (strstr (flat, "电梯故障"));
  g_assert_nonnull (strstr (flat, "2026-11-28"));
  g_assert_nonnull (strstr (flat, "2026-12-05"));
  /* The last paragraph names the start screen's button: nothing ran off
   * the bottom of a sheet. */
  {
    g_autofree char *button = without_space (_("Check progress"));

    g_assert_nonnull (strstr (flat, button));
  }
  /* Never the whole number, nor any long run of its digits. */
  g_assert_null (strstr (flat, PHONE));
  g_assert_null (strstr (flat, "0013800"));
  if (anonymous)
    g_assert_null (strstr (flat, HINT));
  else
    g_assert_nonnull (strstr (flat, HINT));

  if (g_find_program_in_path ("zbarimg") != NULL)
    {
      g_autofree char *scanned = run ((const char *[]) { "zbarimg", "--quiet", "--raw", png, NULL });

      g_strstrip (scanned);
      g_assert_cmpstr (scanned, ==, code);
    }
  else
    {
      /* test_qr_modules() still compares the drawing with the encoder. */
      g_test_message ("zbarimg (zbar-tools) is not installed: the QR code was not scanned");
    }
}

static void
test_pdf (gconstpointer data)
{
  const char *nick = data;
  MnReceiptPaper paper;
  g_autoptr(GError) error = NULL;

  g_assert_true (mn_receipt_paper_from_string (nick, &paper));
  for (int anonymous = 0; anonymous <= 1; anonymous++)
    {
      g_autoptr(MnReceiptSlip) slip = example_slip (anonymous);
      g_autofree char *name = g_strdup_printf ("slip-%s%s", nick, anonymous ? "-anonymous" : "");
      g_autofree char *file = g_strconcat (name, ".pdf", NULL);
      g_autofree char *pdf = g_build_filename (tmp_dir, file, NULL);

      g_assert_true (mn_receipt_slip_write_pdf (slip, paper, pdf, &error));
      g_assert_no_error (error);
      check_pdf (pdf, slip->case_code, name, anonymous);
    }
}

static void
test_paper_names (void)
{
  MnReceiptPaper paper;
  double w58, w80, h, column;

  g_assert_false (mn_receipt_paper_from_string ("letter", &paper));
  g_assert_false (mn_receipt_paper_from_string (NULL, &paper));
  mn_receipt_paper_get_size (MN_RECEIPT_PAPER_ROLL_58, &w58, &h, &column);
  g_assert_cmpfloat (h, ==, 0);
  g_assert_cmpfloat (column, <, w58);
  mn_receipt_paper_get_size (MN_RECEIPT_PAPER_ROLL_80, &w80, &h, &column);
  g_assert_cmpfloat (w80, >, w58);
  mn_receipt_paper_get_size (MN_RECEIPT_PAPER_A4, NULL, &h, NULL);
  g_assert_cmpfloat (h, >, 800);
}

/* The drawing, module by module, against the encoder; the screen's
 * texture too, so both come from the same code. */
static void
test_qr_modules (void)
{
  const char *text = "33020126112800175";
  g_autofree guint8 *modules = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  int width = 0, module = 6, side, stride;
  guchar *pixels;
  guchar *tex_pixels;

  modules = mn_qr_encode (text, &width);
  g_assert_nonnull (modules);
  g_assert_cmpint (width, >=, 21);
  side = (width + 2 * MN_QR_QUIET_ZONE) * module;

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  cr = cairo_create (surface);
  g_assert_true (mn_qr_draw (cr, text, 0, 0, side));
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  pixels = cairo_image_surface_get_data (surface);
  stride = cairo_image_surface_get_stride (surface);

  texture = mn_qr_texture_new (text, module);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, side);
  tex_pixels = g_malloc ((gsize) side * side * 4);
  gdk_texture_download (texture, tex_pixels, (gsize) side * 4);

  for (int y = -MN_QR_QUIET_ZONE; y < width + MN_QR_QUIET_ZONE; y++)
    for (int x = -MN_QR_QUIET_ZONE; x < width + MN_QR_QUIET_ZONE; x++)
      {
        int px = (x + MN_QR_QUIET_ZONE) * module + module / 2;
        int py = (y + MN_QR_QUIET_ZONE) * module + module / 2;
        gboolean dark = x >= 0 && y >= 0 && x < width && y < width && modules[y * width + x];
        guint32 drawn = *(guint32 *) (pixels + py * stride + px * 4) & 0xffffff;
        guchar tex = tex_pixels[((gsize) py * side + px) * 4];

        g_assert_cmphex (drawn, ==, dark ? 0x000000 : 0xffffff);
        g_assert_cmpuint (tex, ==, dark ? 0 : 0xff);
      }
  g_free (tex_pixels);
  cairo_surface_destroy (surface);
}

static void
test_text (void)
{
  g_autoptr(MnReceiptSlip) slip = example_slip (FALSE);
  g_autoptr(MnReceiptSlip) copy = mn_receipt_slip_copy (slip);
  g_autofree char *text = mn_receipt_slip_dup_text (copy);
  g_autofree char *shown = mn_case_code_format (slip->case_code);
  g_autoptr(MnReceiptSlip) anonymous = example_slip (TRUE);
  g_autofree char *anonymous_text = mn_receipt_slip_dup_text (anonymous);

  g_assert_nonnull (strstr (text, shown));
  g_assert_nonnull (strstr (text, HINT));
  g_assert_nonnull (strstr (text, _("Check progress")));
  g_assert_null (strstr (text, PHONE));
  g_assert_nonnull (strstr (anonymous_text, _("Contact: anonymous (no phone number given)")));
}

/* ---- printing ----------------------------------------------------------- */

static void
on_printed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GError **out = user_data;
  GError *error = NULL;

  if (!mn_receipt_slip_print_finish (result, &error))
    *out = error != NULL ? error : g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "?");
  else
    *out = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, "printed");
}

static GError *
print_and_wait (MnReceiptSlip *slip,
                const char    *printer,
                const char    *pdf,
                double        *out_seconds)
{
  GError *outcome = NULL;
  gint64 start = g_get_monotonic_time ();

  mn_receipt_slip_print_async (slip, printer, MN_RECEIPT_PAPER_ROLL_80, pdf, NULL, NULL,
                               on_printed, &outcome);
  while (outcome == NULL)
    g_main_context_iteration (NULL, TRUE);
  *out_seconds = (g_get_monotonic_time () - start) / 1e6;
  return outcome;
}

/* The print operation's own path (page setup, draw-page, done) into a
 * PDF: no CUPS queue exists on a test machine, and GTK never picks its
 * virtual "Print to File" printer without a dialog. */
static void
test_print_export (void)
{
  g_autoptr(MnReceiptSlip) slip = example_slip (FALSE);
  g_autofree char *pdf = g_build_filename (tmp_dir, "printed.pdf", NULL);
  g_autoptr(GError) outcome = NULL;
  double seconds;

  outcome = print_and_wait (slip, NULL, pdf, &seconds);
  g_test_message ("exported in %.2f s: %s", seconds, outcome->message);
  g_assert_error (outcome, G_IO_ERROR, G_IO_ERROR_EXISTS);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
  check_pdf (pdf, slip->case_code, "printed-roll-80", FALSE);
}

static void
test_print_no_printer (void)
{
  g_autoptr(MnReceiptSlip) slip = example_slip (FALSE);
  g_autoptr(GError) outcome = NULL;
  double seconds;

  outcome = print_and_wait (slip, "minyin-no-such-printer", NULL, &seconds);
  g_test_message ("failed after %.2f s: %s", seconds, outcome->message);
  g_assert_true (outcome->domain == MN_RECEIPT_SLIP_ERROR);
  /* Told in seconds, not after the stuck-job time limit. */
  g_assert_cmpfloat (seconds, <, 20);
}

int
main (int    argc,
      char **argv)
{
  const char *build_root = g_getenv ("MINYIN_BUILD_ROOT");
  const char *lang = g_getenv ("MINYIN_EXPECT_LANG");
  g_autoptr(GError) error = NULL;
  int status;

  gtk_test_init (&argc, &argv, NULL);
  mn_i18n_init ();
  tmp_dir = g_dir_make_tmp ("minyin-slip-XXXXXX", &error);
  g_assert_no_error (error);
  shot_dir = g_build_filename (build_root != NULL ? build_root : ".", "screenshots",
                               lang != NULL ? lang : "zh_CN", "receipt", NULL);
  g_assert_cmpint (g_mkdir_with_parents (shot_dir, 0755), ==, 0);

  g_test_add_func ("/receipt-slip/paper-names", test_paper_names);
  g_test_add_func ("/receipt-slip/text", test_text);
  g_test_add_func ("/receipt-slip/qr-modules", test_qr_modules);
  g_test_add_data_func ("/receipt-slip/pdf/roll-58", "roll-58", test_pdf);
  g_test_add_data_func ("/receipt-slip/pdf/roll-80", "roll-80", test_pdf);
  g_test_add_data_func ("/receipt-slip/pdf/a4", "a4", test_pdf);
  g_test_add_data_func ("/receipt-slip/pdf/a5", "a5", test_pdf);
  g_test_add_func ("/receipt-slip/print/export", test_print_export);
  g_test_add_func ("/receipt-slip/print/no-printer", test_print_no_printer);

  status = g_test_run ();

  {
    g_autoptr(GDir) dir = g_dir_open (tmp_dir, 0, NULL);
    const char *name;

    while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *path = g_build_filename (tmp_dir, name, NULL);

        g_unlink (path);
      }
    g_rmdir (tmp_dir);
  }
  g_free (tmp_dir);
  g_free (shot_dir);
  return status;
}
