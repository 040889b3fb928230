/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sets the process locale from the environment and binds the message
 * catalogue. A terminal with no language set (C or POSIX) runs in
 * Simplified Chinese: that is who stands in front of it. */
void        mn_i18n_init       (void);

/* The directory the catalogues were bound from. */
const char *mn_i18n_localedir  (void);

/* A language a person can choose at the kiosk. */
typedef struct
{
  const char *code;            /* catalogue name in po/LINGUAS: "zh_CN", "zh_HK", "ug", "en" */
  const char *locale;          /* the generated UTF-8 locale for LC_MESSAGES */
  const char *native_name;     /* the language named in itself: 简体中文, ئۇيغۇرچە */
  const char *pango_language;  /* for glyph choice: "zh-cn" and "zh-hk" draw Han differently */
  gboolean    right_to_left;   /* Uyghur is written in Arabic script */
} MnLanguage;

/* The kiosk's languages in the order the language page shows them. */
const MnLanguage *mn_i18n_get_languages        (guint      *n_languages);
/* The entry for @code or for a locale name such as "zh_HK.UTF-8" or
 * "en_GB" (matched by language, then territory), or NULL. */
const MnLanguage *mn_i18n_find_language        (const char *code);

/* The display language now, as a code of mn_i18n_get_languages() when it
 * is one of them ("zh_CN" when nothing is set). */
const char       *mn_i18n_get_language         (void);
/* The language the process started in: what every session returns to. */
const char       *mn_i18n_get_default_language (void);

/* Switches the messages of the whole process to @code at once: sets
 * LANGUAGE and LC_MESSAGES (to the language's generated UTF-8 locale) and
 * makes gettext drop the translations it has cached, so the next _()
 * answers in the new language. NULL (or the default language) restores
 * exactly the environment the process started with. FALSE, with a
 * message in @error, for a language the kiosk does not offer.
 *
 * Call it from the main thread only; text already on screen is not
 * changed (the window rebuilds its pages: mn_window_set_language()). */
gboolean          mn_i18n_set_language         (const char  *code,
                                                GError     **error);

#define MN_I18N_ERROR (mn_i18n_error_quark ())
typedef enum
{
  MN_I18N_ERROR_UNKNOWN_LANGUAGE,
} MnI18nError;
GQuark mn_i18n_error_quark (void);

G_END_DECLS
