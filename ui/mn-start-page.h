/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* The kiosk's start screen: a welcome and one large button per entry of
 * the window's start items (a GListModel of MnStartItem), so that a page
 * adds its button by registering, and nothing leads nowhere. */
#define MN_TYPE_START_PAGE (mn_start_page_get_type ())
G_DECLARE_FINAL_TYPE (MnStartPage, mn_start_page, MN, START_PAGE, AdwBin)

GtkWidget  *mn_start_page_new       (void);
void        mn_start_page_set_items (MnStartPage *self,
                                     GListModel  *items);
GListModel *mn_start_page_get_items (MnStartPage *self);
/* The button shown for the item with @id, or NULL. */
GtkWidget  *mn_start_page_get_button (MnStartPage *self,
                                      const char  *id);

/* What the page says aloud: its heading and the line under it. */
char       *mn_start_page_get_speech (MnStartPage *self);

G_END_DECLS
