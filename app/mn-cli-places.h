/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mn-cli-command.h"

G_BEGIN_DECLS

/* `minyin places search|children|show|station|import`. */
int mn_cli_places_run (MnCli  *cli,
                       int     argc,
                       char  **argv);

G_END_DECLS
