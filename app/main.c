/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mn-application.h"
#include "mn-cli.h"
#include "mn-i18n.h"
#include "mn-sync-cli.h"

int
main (int    argc,
      char **argv)
{
  g_autoptr(MnApplication) app = NULL;

  mn_i18n_init ();

  /* The platform client's commands live in sync/, above the core: the
   * core's table cannot name them, so they are added here, where the
   * executable links both. */
  mn_sync_cli_register ();

  /* Subcommands share the core with the window but never touch GTK, so
   * they work on a machine with no display. */
  if (argc > 1 && mn_cli_is_command (argv[1]))
    return mn_cli_main (argc, argv);

  app = mn_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
