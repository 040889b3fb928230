/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <gdk/gdk.h>

G_BEGIN_DECLS

/* QR codes of case codes (libqrencode), for the screen and for paper: one
 * encoder, so the code on the slip and on the screen scan the same. */

/* The modules of a QR code of @text (error correction M), row by row, one
 * byte per module, 1 for dark; *@out_width modules a side, without the
 * quiet zone. NULL if @text cannot be encoded. Free with g_free(). */
guint8     *mn_qr_encode      (const char *text,
                               int        *out_width);

/* A QR code of @text as a texture, @module_px pixels per module, with the
 * standard four-module quiet zone; NULL if @text cannot be encoded. */
GdkTexture *mn_qr_texture_new (const char *text,
                               int         module_px);

/* Draws a QR code of @text on @cr as a square of @size (user units,
 * quiet zone included) at @x, @y: white ground, black modules, edges
 * aligned so that the modules stay crisp on vector surfaces. FALSE if
 * @text cannot be encoded (nothing drawn). */
gboolean    mn_qr_draw        (cairo_t    *cr,
                               const char *text,
                               double      x,
                               double      y,
                               double      size);

/* Modules of quiet zone on each side, for callers that size a code. */
#define MN_QR_QUIET_ZONE 4

G_END_DECLS
