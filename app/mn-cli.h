/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE if @word names a subcommand (file, list, show, status, catalogue,
 * speak, sync, provision, ...), which then runs without a display. */
gboolean mn_cli_is_command (const char *word);

/* Runs the subcommand in argv[1]; returns the process exit status. Errors
 * go to stderr as one sentence a person can act on, with a non-zero
 * status. */
int      mn_cli_main       (int         argc,
                            char      **argv);

G_END_DECLS
