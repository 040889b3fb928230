/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mn-cli-command.h"

G_BEGIN_DECLS

/* minyin progress CODE [--phone-last4 NNNN] [--json]
 * minyin rate CODE --solved yes|no --satisfaction satisfied|basic|unsatisfied
 *             [--reason TEXT]... [--voice-note PATH] [--phone-last4 NNNN] [--json]
 *
 * The kiosk's "ask about progress" and "rate a closed case", for staff at
 * a counter and for tests: the same checks, lock-out and answer floor. */
int mn_cli_run_progress (MnCli  *cli,
                         int     argc,
                         char  **argv);
int mn_cli_run_rate     (MnCli  *cli,
                         int     argc,
                         char  **argv);

G_END_DECLS
