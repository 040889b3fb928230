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

G_END_DECLS
