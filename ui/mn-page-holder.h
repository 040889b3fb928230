/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Holds the window's stack of pages and asks for no size of its own: the
 * kiosk's window fills the screen whatever its pages need (they scroll
 * what does not fit). Without it, every change of page made the window
 * work out its minimum size again, which measured the new page at its
 * narrowest, an expensive layout of all its wrapped text at widths it is
 * never shown at. The child is measured and allocated at the size it
 * gets, as any child. */
#define MN_TYPE_PAGE_HOLDER (mn_page_holder_get_type ())
G_DECLARE_FINAL_TYPE (MnPageHolder, mn_page_holder, MN, PAGE_HOLDER, GtkWidget)

G_END_DECLS
