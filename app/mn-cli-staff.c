/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "mn-audit.h"
#include "mn-cli-staff.h"
#include "mn-quarantine.h"
#include "mn-staff.h"

static int
refuse_extra (MnCli *cli,
              int    argc,
              char **argv,
              int    allowed)
{
  if (argc > allowed)
    {
      g_autofree char *shown = g_utf8_make_valid (argv[allowed], -1);

      return mn_cli_usage_error (cli, _("Unexpected argument ‘%s’; see ‘minyin help %s’."), shown,
                                 mn_cli_get_command (cli));
    }
  return MN_CLI_EXIT_OK;
}

/* The PIN comes on standard input, never on the command line, where
 * every user of the machine could read it in the process list and the
 * shell would keep it in its history. On a terminal it is not echoed. */
static char *
read_pin (void)
{
  struct termios saved, quiet;
  gboolean       tty = isatty (STDIN_FILENO);
  char           line[64] = { 0 };
  char          *pin = NULL;

  if (tty)
    {
      fprintf (stderr, "%s", _("PIN (6 to 12 digits): "));
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  if (fgets (line, sizeof line, stdin) != NULL)
    {
      line[strcspn (line, "\r\n")] = '\0';
      pin = g_strdup (line);
    }
  if (tty)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  sodium_memzero (line, sizeof line);
  return pin;
}

static void
wipe_free (char *secret)
{
  if (secret != NULL)
    sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

static int
staff_add (MnCli *cli,
           int    argc,
           char **argv)
{
  g_autofree char          *number = NULL;
  g_autofree char          *name = NULL;
  g_autofree char          *actor = mn_audit_cli_actor ();
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError)         error = NULL;
  char                     *pin;
  MnStore                  *store;
  gboolean                  ok;
  int                       status;
  GOptionEntry              entries[] = {
    { "number", 0, 0, G_OPTION_ARG_STRING, &number, N_("The staff number (digits)"), "N" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_("The name shown when they sign in"), "NAME" },
    { NULL }
  };

  g_option_context_set_summary (context, _("The PIN is read from standard input."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra (cli, argc, argv, 1)) != MN_CLI_EXIT_OK)
    return status;
  if (number == NULL || name == NULL)
    return mn_cli_usage_error (cli, "%s",
                               _("Give --number and --name; the PIN is read from standard "
                                 "input."));
  if (!mn_staff_check_number (number, &error))
    return mn_cli_usage_error (cli, "%s", error->message);

  pin = read_pin ();
  if (pin == NULL || !mn_staff_check_pin (pin, &error))
    {
      wipe_free (pin);
      return mn_cli_usage_error (cli, "%s",
                                 error != NULL ? error->message
                                               : _("No PIN was given on standard input."));
    }
  store = mn_cli_open_store (cli);
  if (store == NULL)
    {
      wipe_free (pin);
      return MN_CLI_EXIT_FAILURE;
    }
  ok = mn_staff_add (store, number, name, pin, actor, &error);
  wipe_free (pin);
  if (!ok)
    return mn_cli_fail_error (cli, error);
  mn_cli_print (cli, _("Staff member %s (%s) is enrolled.\n"), number, name);
  return MN_CLI_EXIT_OK;
}

static int
staff_list (MnCli *cli,
            int    argc,
            char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError)         error = NULL;
  g_autoptr(GPtrArray)      list = NULL;
  MnStore                  *store;
  int                       status;

  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra (cli, argc, argv, 1)) != MN_CLI_EXIT_OK)
    return status;
  if ((store = mn_cli_open_store (cli)) == NULL)
    return MN_CLI_EXIT_FAILURE;
  if ((list = mn_staff_list (store, &error)) == NULL)
    return mn_cli_fail_error (cli, error);

  if (mn_cli_get_json (cli))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          const MnStaffAccount *a = g_ptr_array_index (list, i);
          g_autofree char *created = mn_cli_format_time (a->created_at);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "number");
          json_builder_add_string_value (b, a->number);
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, a->name);
          json_builder_set_member_name (b, "created_at");
          json_builder_add_string_value (b, created);
          json_builder_set_member_name (b, "disabled");
          json_builder_add_boolean_value (b, a->disabled);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      mn_cli_print_json (cli, json_builder_get_root (b));
      return MN_CLI_EXIT_OK;
    }
  if (list->len == 0)
    mn_cli_print (cli, "%s\n", _("No staff are enrolled. Add one with ‘minyin staff add’."));
  for (guint i = 0; i < list->len; i++)
    {
      const MnStaffAccount *a = g_ptr_array_index (list, i);
      g_autofree char *created = mn_cli_format_time (a->created_at);

      mn_cli_print (cli, "%s\t%s\t%s%s\n", a->number, a->name, created,
                    a->disabled ? _("\tdisabled") : "");
    }
  return MN_CLI_EXIT_OK;
}

static int
staff_disable (MnCli *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("NUMBER"));
  g_autoptr(GError)         error = NULL;
  g_autofree char          *actor = mn_audit_cli_actor ();
  MnStore                  *store;
  int                       status;

  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc < 2)
    return mn_cli_usage_error (cli, "%s", _("Say which staff number to disable."));
  if ((status = refuse_extra (cli, argc, argv, 2)) != MN_CLI_EXIT_OK)
    return status;
  if (!mn_staff_check_number (argv[1], &error))
    return mn_cli_usage_error (cli, "%s", error->message);
  if ((store = mn_cli_open_store (cli)) == NULL)
    return MN_CLI_EXIT_FAILURE;
  if (!mn_staff_disable (store, argv[1], actor, &error))
    return mn_cli_fail_error (cli, error);
  mn_cli_print (cli, _("Staff member %s can no longer sign in.\n"), argv[1]);
  return MN_CLI_EXIT_OK;
}

int
mn_cli_run_staff (MnCli *cli,
                  int    argc,
                  char **argv)
{
  const char *sub = argc > 1 ? argv[1] : NULL;

  /* The sub-word goes on as argv[0] of its own parser. */
  if (g_strcmp0 (sub, "add") == 0)
    return staff_add (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "list") == 0)
    return staff_list (cli, argc - 1, argv + 1);
  if (g_strcmp0 (sub, "disable") == 0)
    return staff_disable (cli, argc - 1, argv + 1);
  return mn_cli_usage_error (cli, "%s",
                             _("Say what to do: minyin staff add --number N --name NAME (the PIN on "
                               "standard input), staff list, or staff disable N."));
}

/* ---- audit ---------------------------------------------------------------- */

int
mn_cli_run_audit (MnCli *cli,
                  int    argc,
                  char **argv)
{
  gboolean                  verify = FALSE;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError)         error = NULL;
  g_autoptr(GPtrArray)      rows = NULL;
  g_autoptr(GArray)         bad = NULL;
  MnStore                  *store;
  int                       status;
  GOptionEntry              entries[] = {
    { "verify", 0, 0, G_OPTION_ARG_NONE, &verify,
      N_("Check the hash chain and name every row that does not fit"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra (cli, argc, argv, 1)) != MN_CLI_EXIT_OK)
    return status;
  if ((store = mn_cli_open_store (cli)) == NULL)
    return MN_CLI_EXIT_FAILURE;

  if (verify)
    {
      if ((bad = mn_audit_verify (store, &error)) == NULL)
        return mn_cli_fail_error (cli, error);
      if ((rows = mn_audit_list (store, &error)) == NULL)
        return mn_cli_fail_error (cli, error);
      if (mn_cli_get_json (cli))
        {
          g_autoptr(JsonBuilder) b = json_builder_new ();

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "rows");
          json_builder_add_int_value (b, rows->len);
          json_builder_set_member_name (b, "intact");
          json_builder_add_boolean_value (b, bad->len == 0);
          json_builder_set_member_name (b, "bad_rows");
          json_builder_begin_array (b);
          for (guint i = 0; i < bad->len; i++)
            json_builder_add_int_value (b, g_array_index (bad, gint64, i));
          json_builder_end_array (b);
          json_builder_end_object (b);
          mn_cli_print_json (cli, json_builder_get_root (b));
        }
      else if (bad->len == 0)
        mn_cli_print (cli, ngettext ("The audit trail is intact: %u row checked.\n",
                                     "The audit trail is intact: %u rows checked.\n", rows->len),
                      rows->len);
      if (bad->len == 0)
        return MN_CLI_EXIT_OK;
      {
        GString *ids = g_string_new (NULL);

        for (guint i = 0; i < bad->len; i++)
          g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                  g_array_index (bad, gint64, i));
        status = mn_cli_fail (cli,
                              ngettext ("The audit trail was changed: row %s does not fit the "
                                        "chain. Keep this file as it is and tell the station "
                                        "administrator.",
                                        "The audit trail was changed: rows %s do not fit the "
                                        "chain. Keep this file as it is and tell the station "
                                        "administrator.",
                                        bad->len),
                              ids->str);
        g_string_free (ids, TRUE);
        return status;
      }
    }

  if ((rows = mn_audit_list (store, &error)) == NULL)
    return mn_cli_fail_error (cli, error);
  if (mn_cli_get_json (cli))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < rows->len; i++)
        {
          const MnAuditEntry *e = g_ptr_array_index (rows, i);
          g_autofree char *at = mn_cli_format_time (e->at);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, e->id);
          json_builder_set_member_name (b, "at");
          json_builder_add_string_value (b, at);
          json_builder_set_member_name (b, "actor");
          json_builder_add_string_value (b, e->actor);
          json_builder_set_member_name (b, "action");
          json_builder_add_string_value (b, e->action);
          json_builder_set_member_name (b, "detail");
          if (e->detail != NULL)
            json_builder_add_string_value (b, e->detail);
          else
            json_builder_add_null_value (b);
          json_builder_set_member_name (b, "prev_hash");
          json_builder_add_string_value (b, e->prev_hash);
          json_builder_set_member_name (b, "hash");
          json_builder_add_string_value (b, e->hash);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      mn_cli_print_json (cli, json_builder_get_root (b));
      return MN_CLI_EXIT_OK;
    }
  if (rows->len == 0)
    mn_cli_print (cli, "%s\n", _("The audit trail is empty."));
  for (guint i = 0; i < rows->len; i++)
    {
      const MnAuditEntry *e = g_ptr_array_index (rows, i);
      g_autofree char *at = mn_cli_format_time (e->at);

      mn_cli_print (cli, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%s\n", e->id, at, e->actor,
                    e->action, e->detail != NULL ? e->detail : "");
    }
  return MN_CLI_EXIT_OK;
}

/* ---- export ---------------------------------------------------------------- */

int
mn_cli_run_export (MnCli *cli,
                   int    argc,
                   char **argv)
{
  gboolean                  quarantined = FALSE;
  g_autofree char          *out = NULL;
  g_autofree char          *dir = NULL;
  g_autofree char          *path = NULL;
  g_autofree char          *actor = mn_audit_cli_actor ();
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError)         error = NULL;
  MnStore                  *store;
  guint                     count = 0;
  int                       status;
  GOptionEntry              entries[] = {
    { "quarantined", 0, 0, G_OPTION_ARG_NONE, &quarantined,
      N_("Export the messages the platform refused, with its reasons"), NULL },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out,
      N_("Write to this file (default: a new file in the exports folder)"), "FILE" },
    { "dir", 0, 0, G_OPTION_ARG_FILENAME, &dir,
      N_("Write a new file into this folder (a USB stick)"), "DIR" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra (cli, argc, argv, 1)) != MN_CLI_EXIT_OK)
    return status;
  if (!quarantined)
    return mn_cli_usage_error (cli, "%s",
                               _("Say what to export: today only --quarantined exists."));
  if ((store = mn_cli_open_store (cli)) == NULL)
    return MN_CLI_EXIT_FAILURE;
  path = mn_quarantine_export (store, NULL, dir, out, actor, &count, &error);
  if (path == NULL)
    return mn_cli_fail_error (cli, error);
  if (mn_cli_get_json (cli))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "file");
      json_builder_add_string_value (b, path);
      json_builder_set_member_name (b, "messages");
      json_builder_add_int_value (b, count);
      json_builder_end_object (b);
      mn_cli_print_json (cli, json_builder_get_root (b));
    }
  else
    mn_cli_print (cli, ngettext ("%u message written to %s\n", "%u messages written to %s\n",
                                 count),
                  count, path);
  return MN_CLI_EXIT_OK;
}
