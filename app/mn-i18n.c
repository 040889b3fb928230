/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "mn-i18n.h"

G_DEFINE_QUARK (mn-i18n-error-quark, mn_i18n_error)

/* glibc's counter of loaded catalogues: every cached translation is keyed
 * on it, so incrementing it is the documented way (gettext manual,
 * "Changing the language at runtime") to make gettext look again after
 * LANGUAGE changed. */
extern int _nl_msg_cat_cntr;

static const MnLanguage languages[] = {
  { "zh_CN", "zh_CN.UTF-8", "简体中文", "zh-cn", FALSE },
  /* Hong Kong: Traditional characters, spoken in Cantonese. */
  { "zh_HK", "zh_HK.UTF-8", "繁體中文（粵語）", "zh-hk", FALSE },
  { "ug", "ug_CN.UTF-8", "ئۇيغۇرچە", "ug", TRUE },
  { "en", "en_US.UTF-8", "English", "en", FALSE },
};

static const char *bound_localedir;
static char *initial_language_env;  /* LANGUAGE as the process started, or NULL */
static char *initial_lc_messages;   /* setlocale (LC_MESSAGES, NULL) after init */
static char *default_code;
static const char *current_code;

static gboolean
locale_is_neutral (const char *name)
{
  return name == NULL || strcmp (name, "C") == 0 || strcmp (name, "POSIX") == 0 ||
         g_str_has_prefix (name, "C.");
}

static const char *
pick_localedir (void)
{
  const char *env = g_getenv ("MINYIN_LOCALEDIR");
  g_autofree char *probe = NULL;

  if (env != NULL && *env != '\0')
    return env;

  /* Running from the build tree (make run, make check): use the catalogues
   * built there, as long as they exist, so no install step is needed. */
  probe = g_build_filename (BUILD_LOCALEDIR, "zh_CN", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);
  if (g_file_test (probe, G_FILE_TEST_EXISTS) && !g_file_test (LOCALEDIR "/zh_CN/LC_MESSAGES/" GETTEXT_PACKAGE ".mo", G_FILE_TEST_EXISTS))
    return BUILD_LOCALEDIR;

  return LOCALEDIR;
}

void
mn_i18n_init (void)
{
  const char *current;

  current = setlocale (LC_ALL, "");
  if (current == NULL || locale_is_neutral (setlocale (LC_MESSAGES, NULL)))
    {
      /* No language chosen: Simplified Chinese, with the UTF-8 locale that
       * makes Pango pick Simplified glyph shapes. If the locale was not
       * generated, keep what we have and still ask gettext for Chinese. */
      if (setlocale (LC_ALL, "zh_CN.UTF-8") == NULL)
        {
          setlocale (LC_ALL, "C.UTF-8");
          g_setenv ("LANGUAGE", "zh_CN", TRUE);
        }
    }

  /* Remember what to come back to after a person chose another language.
   * LANGUAGE is made to exist (empty means unset to gettext and GLib) so
   * that switching later replaces a value instead of growing the
   * environment under other threads' feet. */
  g_free (initial_language_env);
  initial_language_env = g_strdup (g_getenv ("LANGUAGE"));
  if (initial_language_env == NULL)
    g_setenv ("LANGUAGE", "", FALSE);
  g_free (initial_lc_messages);
  initial_lc_messages = g_strdup (setlocale (LC_MESSAGES, NULL));
  g_free (default_code);
  {
    const char * const *names = g_get_language_names_with_category ("LC_MESSAGES");
    const MnLanguage *lang = mn_i18n_find_language (names != NULL ? names[0] : NULL);

    if (lang != NULL)
      default_code = g_strdup (lang->code);
    else if (names == NULL || names[0] == NULL || locale_is_neutral (names[0]))
      default_code = g_strdup ("zh_CN");
    else
      default_code = g_strndup (names[0], strcspn (names[0], ".@"));
  }
  current_code = default_code;

  bound_localedir = pick_localedir ();
  bindtextdomain (GETTEXT_PACKAGE, bound_localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

const char *
mn_i18n_localedir (void)
{
  return bound_localedir;
}

const MnLanguage *
mn_i18n_get_languages (guint *n_languages)
{
  if (n_languages != NULL)
    *n_languages = G_N_ELEMENTS (languages);
  return languages;
}

const MnLanguage *
mn_i18n_find_language (const char *code)
{
  g_autofree char *base = NULL;

  if (code == NULL || locale_is_neutral (code))
    return NULL;

  base = g_strndup (code, strcspn (code, ".@"));
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    if (g_str_equal (base, languages[i].code))
      return &languages[i];

  /* Traditional characters are what Taiwan and Macao read too; any other
   * Chinese reads Simplified. */
  if (g_str_has_prefix (base, "zh_TW") || g_str_has_prefix (base, "zh_MO") ||
      g_str_has_prefix (base, "zh_Hant"))
    return mn_i18n_find_language ("zh_HK");
  for (guint i = 0; i < G_N_ELEMENTS (languages); i++)
    {
      size_t len = strcspn (languages[i].code, "_");

      if (strncmp (base, languages[i].code, len) == 0 && (base[len] == '\0' || base[len] == '_'))
        return &languages[i];
    }
  return NULL;
}

const char *
mn_i18n_get_language (void)
{
  return current_code != NULL ? current_code : "zh_CN";
}

const char *
mn_i18n_get_default_language (void)
{
  return default_code != NULL ? default_code : "zh_CN";
}

gboolean
mn_i18n_set_language (const char  *code,
                      GError     **error)
{
  const MnLanguage *lang = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (code != NULL && g_strcmp0 (code, mn_i18n_get_default_language ()) != 0)
    {
      lang = mn_i18n_find_language (code);
      if (lang == NULL || !g_str_equal (lang->code, code))
        {
          g_set_error (error, MN_I18N_ERROR, MN_I18N_ERROR_UNKNOWN_LANGUAGE,
                       _("The terminal has no translation for the language “%s”."), code);
          return FALSE;
        }
    }

  if (lang == NULL)
    {
      /* Back to how the process started, exactly. */
      g_setenv ("LANGUAGE", initial_language_env != NULL ? initial_language_env : "", TRUE);
      if (initial_lc_messages != NULL)
        setlocale (LC_MESSAGES, initial_lc_messages);
      current_code = mn_i18n_get_default_language ();
    }
  else
    {
      g_setenv ("LANGUAGE", lang->code, TRUE);
      /* gettext ignores LANGUAGE under the C locale, and a locale of the
       * language itself is what the rest of the C library expects; where
       * it was not generated, C.UTF-8 still lets LANGUAGE choose. */
      if (setlocale (LC_MESSAGES, lang->locale) == NULL)
        {
          g_debug ("The locale %s is not generated; messages follow LANGUAGE alone.",
                   lang->locale);
          setlocale (LC_MESSAGES, "C.UTF-8");
        }
      current_code = lang->code;
    }

  ++_nl_msg_cat_cntr;
  return TRUE;
}
