/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-window.h"

G_BEGIN_DECLS

/* The page where a person picks the kiosk's language for their session:
 * one large button per language of mn_i18n_get_languages(), each named in
 * that language and written in its own script and glyph shapes, whatever
 * the screen shows now. A button activates win.set-language with the
 * language's code: text and voice change at once, the start screen shows
 * and says the name of the language in its own voice. */
#define MN_TYPE_LANGUAGE_PAGE (mn_language_page_get_type ())
G_DECLARE_FINAL_TYPE (MnLanguagePage, mn_language_page, MN, LANGUAGE_PAGE, AdwBin)

GtkWidget *mn_language_page_new         (void);
/* The button for language @code, or NULL. */
GtkWidget *mn_language_page_get_button  (MnLanguagePage *self,
                                         const char     *code);
/* Registers the page on @window as "language", rebuilt after each change
 * of language, with its button on the start screen. */
void       mn_language_page_register    (MnWindow       *window);

/* What the page says when it appears. */
char      *mn_language_page_get_speech  (MnLanguagePage *self);

G_END_DECLS
