/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <qrencode.h>
#include <string.h>

#include "mn-qr.h"

guint8 *
mn_qr_encode (const char *text,
              int        *out_width)
{
  QRcode *qr;
  guint8 *modules;
  gsize n;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (out_width != NULL, NULL);

  qr = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (qr == NULL)
    return NULL;
  n = (gsize) qr->width * qr->width;
  modules = g_malloc (n);
  /* libqrencode's bytes carry flags above bit 0; only "dark" matters. */
  for (gsize i = 0; i < n; i++)
    modules[i] = qr->data[i] & 1;
  *out_width = qr->width;
  QRcode_free (qr);
  return modules;
}

GdkTexture *
mn_qr_texture_new (const char *text,
                   int         module_px)
{
  g_autofree guint8 *modules = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guchar *pixels;
  int quiet = MN_QR_QUIET_ZONE, width = 0, side, stride;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_px > 0, NULL);

  modules = mn_qr_encode (text, &width);
  if (modules == NULL)
    return NULL;

  side = (width + 2 * quiet) * module_px;
  stride = side * 3;
  pixels = g_malloc ((gsize) stride * side);
  /* White everywhere, then the dark modules: black on white scans best. */
  memset (pixels, 0xff, (gsize) stride * side);
  for (int y = 0; y < width; y++)
    for (int x = 0; x < width; x++)
      if (modules[y * width + x])
        for (int dy = 0; dy < module_px; dy++)
          memset (pixels + (gsize) ((y + quiet) * module_px + dy) * stride +
                    (gsize) (x + quiet) * module_px * 3,
                  0, (gsize) module_px * 3);

  bytes = g_bytes_new_take (pixels, (gsize) stride * side);
  return gdk_memory_texture_new (side, side, GDK_MEMORY_R8G8B8, bytes, stride);
}

gboolean
mn_qr_draw (cairo_t    *cr,
            const char *text,
            double      x,
            double      y,
            double      size)
{
  g_autofree guint8 *modules = NULL;
  int width = 0;
  double module;

  g_return_val_if_fail (cr != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (size > 0, FALSE);

  modules = mn_qr_encode (text, &width);
  if (modules == NULL)
    return FALSE;
  module = size / (width + 2 * MN_QR_QUIET_ZONE);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, size, size);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  /* Runs of dark modules as one rectangle each: no hairline seams
   * between neighbours when a printer driver rasterises the page. */
  for (int row = 0; row < width; row++)
    {
      int col = 0;

      while (col < width)
        {
          int start;

          if (!modules[row * width + col])
            {
              col++;
              continue;
            }
          start = col;
          while (col < width && modules[row * width + col])
            col++;
          cairo_rectangle (cr, x + (start + MN_QR_QUIET_ZONE) * module,
                           y + (row + MN_QR_QUIET_ZONE) * module, (col - start) * module, module);
        }
    }
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_fill (cr);
  cairo_restore (cr);
  return TRUE;
}
