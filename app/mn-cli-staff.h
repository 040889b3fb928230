/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mn-cli-command.h"

G_BEGIN_DECLS

/* `minyin staff add|list|disable`, `minyin audit [--verify]` and
 * `minyin export --quarantined [--out FILE]`: the station administrator's
 * side of staff accounts and the audit trail (mn-staff.h, mn-audit.h,
 * mn-quarantine.h). */
int mn_cli_run_staff  (MnCli *cli, int argc, char **argv);
int mn_cli_run_audit  (MnCli *cli, int argc, char **argv);
int mn_cli_run_export (MnCli *cli, int argc, char **argv);

G_END_DECLS
