/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "mn-i18n.h"

static const char *bound_localedir;

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
