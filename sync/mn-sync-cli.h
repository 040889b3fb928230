/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Adds the platform client's subcommands (provision, sync, quarantine,
 * catalogue-refresh, rehandle) to the command line. The core cannot name
 * them (app/ never links sync/), so main() calls this before it asks
 * mn_cli_is_command(). */
void mn_sync_cli_register (void);

G_END_DECLS
