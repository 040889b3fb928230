/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* For the authors of subcommands (`minyin speak`, `minyin sync`, ...).
 *
 * A subcommand is a function that gets its own argv (argv[0] is the
 * command's name, e.g. "sync") and returns the exit status. It parses its
 * options with a GOptionContext through mn_cli_parse(), which adds the
 * options every command has (--data-dir, --json), and reports mistakes
 * with mn_cli_usage_error() / mn_cli_fail(): one sentence on stderr a
 * person can act on, translated.
 *
 *   static int
 *   run_speak (MnCli *cli, int argc, char **argv)
 *   {
 *     g_autoptr(GOptionContext) context = g_option_context_new (NULL);
 *     g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
 *     if (!mn_cli_parse (cli, context, &argc, &argv))
 *       return MN_CLI_EXIT_USAGE;
 *     ...
 *   }
 *
 * Commands of the core (app/) are listed in the table in mn-cli.c: add one
 * line there. Commands of a layer above the core (sync/) cannot be named
 * by the core; that layer calls mn_cli_register() from main() before
 * mn_cli_is_command(). */

#define MN_CLI_EXIT_OK      0
#define MN_CLI_EXIT_FAILURE 1  /* the command was right but could not be done */
#define MN_CLI_EXIT_USAGE   2  /* the command line itself was wrong */

typedef struct _MnCli MnCli;

typedef int (*MnCliFunc) (MnCli  *cli,
                          int     argc,
                          char  **argv);

typedef struct
{
  const char *name;
  MnCliFunc   run;
  const char *summary;  /* one line, marked N_(), translated when shown */
} MnCliCommand;

/* Adds a command; @command must stay valid for the life of the process
 * (a static). Not thread-safe: call it from main() first. */
void        mn_cli_register     (const MnCliCommand *command);

/* Adds --data-dir and --json to @context, names the command in its usage
 * line, parses, and checks that every argument left is valid UTF-8. On a
 * mistake it prints the sentence and returns FALSE: return
 * MN_CLI_EXIT_USAGE. */
gboolean    mn_cli_parse        (MnCli           *cli,
                                 GOptionContext  *context,
                                 int             *argc,
                                 char          ***argv);

/* The command's name ("file", "catalogue", ...). */
const char *mn_cli_get_command  (MnCli *cli);
/* TRUE when --json was given: print one JSON value on stdout. */
gboolean    mn_cli_get_json     (MnCli *cli);
/* The data directory, resolved (--data-dir, $MINYIN_DATA_DIR, default). */
const char *mn_cli_get_data_dir (MnCli *cli);

/* The store of the data directory, opened on first use and closed when
 * the command returns. On failure prints the store's sentence and returns
 * NULL: return MN_CLI_EXIT_FAILURE. */
MnStore    *mn_cli_open_store   (MnCli *cli);

/* Print one sentence on stderr and return the status to exit with. */
int         mn_cli_usage_error  (MnCli      *cli,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (2, 3);
int         mn_cli_fail         (MnCli      *cli,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (2, 3);
int         mn_cli_fail_error   (MnCli        *cli,
                                 const GError *error);

/* Prints @node (consumed) as JSON on stdout. */
void        mn_cli_print_json   (MnCli    *cli,
                                 JsonNode *node);
/* Prints text on stdout, with any control character other than newline
 * and tab (which could move a terminal's cursor) made visible. */
void        mn_cli_print        (MnCli      *cli,
                                 const char *format,
                                 ...) G_GNUC_PRINTF (2, 3);

/* A request as the commands print it with --json: the same keys in
 * `file`, `list` and `show`. Times are ISO 8601 with the local offset, or
 * null. */
JsonNode   *mn_cli_request_to_json (const MnRequest *request);
char       *mn_cli_format_time     (gint64 unix_time);

G_END_DECLS
