/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-cli-command.h"
#include "mn-device.h"
#include "mn-audit.h"
#include "mn-outbox.h"
#include "mn-quarantine.h"
#include "mn-store-sync.h"
#include "mn-sync-cli.h"
#include "mn-sync-config.h"

static int
refuse_arguments (MnCli *cli,
                  int    argc,
                  char **argv)
{
  if (argc > 1)
    {
      g_autofree char *shown = g_utf8_make_valid (argv[1], -1);

      return mn_cli_usage_error (cli, _("Unexpected argument ‘%s’; see ‘minyin help %s’."), shown,
                                 mn_cli_get_command (cli));
    }
  return MN_CLI_EXIT_OK;
}

/* ---- provision ----------------------------------------------------------- */

static gboolean
all_digits (const char *s,
            gsize       n)
{
  if (s == NULL || strlen (s) != n)
    return FALSE;
  for (; *s != '\0'; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

static int
run_provision (MnCli *cli,
               int    argc,
               char **argv)
{
  g_autofree char        *platform = NULL;
  g_autofree char        *api_key = NULL;
  g_autofree char        *jurisdiction = NULL;
  g_autofree char        *ca = NULL;
  g_autofree char        *pin = NULL;
  g_autofree char        *station = NULL;
  g_autofree char        *terminal = NULL;
  int                     timeout = 0;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MnSyncConfig) config = mn_sync_config_new ();
  g_autoptr(GError)       error = NULL;
  int                     status;
  GOptionEntry            entries[] = {
    { "platform", 0, 0, G_OPTION_ARG_STRING, &platform,
      N_("The platform's Open311 base address (https://…/open311/v2/)"), "URL" },
    { "api-key", 0, 0, G_OPTION_ARG_STRING, &api_key,
      N_("The key the platform gave this station (kept in a file only this user can read)"), "KEY" },
    { "jurisdiction", 0, 0, G_OPTION_ARG_STRING, &jurisdiction,
      N_("The jurisdiction id, only if the platform asks for one"), "ID" },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &ca,
      N_("The certificate authority to trust for the platform (default: the system's)"), "FILE" },
    { "pin-sha256", 0, 0, G_OPTION_ARG_STRING, &pin,
      N_("Pin the platform's public key (sha256//BASE64)"), "HASH" },
    { "station", 0, 0, G_OPTION_ARG_STRING, &station,
      N_("This station's 4-digit code"), "CODE" },
    { "terminal", 0, 0, G_OPTION_ARG_STRING, &terminal,
      N_("This terminal's 2-digit number within the station"), "NN" },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Give up on an answer after this many seconds (default 30)"), "SECONDS" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_arguments (cli, argc, argv)) != MN_CLI_EXIT_OK)
    return status;
  if (platform == NULL)
    return mn_cli_usage_error (cli, _("Say which platform to use with --platform URL."));
  if (station != NULL && !all_digits (station, 4))
    return mn_cli_usage_error (cli, _("The station code must be 4 digits, e.g. --station 3309."));
  if (terminal != NULL && !all_digits (terminal, 2))
    return mn_cli_usage_error (cli, _("The terminal number must be 2 digits, e.g. --terminal 01."));
  if (timeout < 0 || timeout > 3600)
    return mn_cli_usage_error (cli, _("The timeout must be between 1 and 3600 seconds."));

  config->base_url = g_steal_pointer (&platform);
  config->api_key = g_steal_pointer (&api_key);
  config->jurisdiction = g_steal_pointer (&jurisdiction);
  config->ca_file = g_steal_pointer (&ca);
  config->pin_sha256 = g_steal_pointer (&pin);
  if (timeout > 0)
    {
      config->total_timeout = (guint) timeout;
      config->connect_timeout = MIN ((guint) timeout, config->connect_timeout);
      config->low_speed_time = MIN ((guint) timeout, config->low_speed_time);
    }
  if (!mn_sync_config_save (config, mn_cli_get_data_dir (cli), &error))
    return mn_cli_fail_error (cli, error);

  if (station != NULL || terminal != NULL)
    {
      g_autoptr(MnDevice) device = mn_device_load (mn_cli_get_data_dir (cli), &error);

      if (device == NULL)
        return mn_cli_fail_error (cli, error);
      if (station != NULL)
        g_free (device->station), device->station = g_strdup (station);
      if (terminal != NULL)
        g_free (device->terminal), device->terminal = g_strdup (terminal);
      if (!mn_device_save (device, mn_cli_get_data_dir (cli), &error))
        return mn_cli_fail_error (cli, error);
    }

  /* Never print the key, only whether there is one. */
  mn_cli_print (cli, _("Platform: %s\n"), config->base_url);
  mn_cli_print (cli, "%s\n", config->api_key != NULL ? _("API key: kept") : _("API key: none"));
  return MN_CLI_EXIT_OK;
}

/* ---- sync ---------------------------------------------------------------- */

static void
print_report (MnCli              *cli,
              const MnSyncReport *r,
              const GError       *error)
{
  if (mn_cli_get_json (cli))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "ok");
      json_builder_add_boolean_value (b, error == NULL);
      json_builder_set_member_name (b, "sent");
      json_builder_add_int_value (b, r->sent);
      json_builder_set_member_name (b, "quarantined");
      json_builder_add_int_value (b, r->quarantined);
      json_builder_set_member_name (b, "failed");
      json_builder_add_int_value (b, r->failed);
      json_builder_set_member_name (b, "found_after_doubt");
      json_builder_add_int_value (b, r->found_after_doubt);
      json_builder_set_member_name (b, "statuses_changed");
      json_builder_add_int_value (b, r->statuses_changed);
      json_builder_set_member_name (b, "waiting");
      json_builder_add_int_value (b, r->waiting);
      json_builder_set_member_name (b, "in_quarantine");
      json_builder_add_int_value (b, r->in_quarantine);
      json_builder_set_member_name (b, "catalogue_changed");
      json_builder_add_boolean_value (b, r->catalogue_changed);
      json_builder_set_member_name (b, "error");
      if (error != NULL)
        json_builder_add_string_value (b, error->message);
      else
        json_builder_add_null_value (b);
      json_builder_end_object (b);
      mn_cli_print_json (cli, json_builder_get_root (b));
      return;
    }
  /* Translators: a summary after `minyin sync --once`. */
  mn_cli_print (cli, _("Sent: %u. Waiting: %u. In quarantine: %u. Statuses changed: %u.\n"),
                r->sent, r->waiting, r->in_quarantine, r->statuses_changed);
}

static int
run_sync (MnCli *cli,
          int    argc,
          char **argv)
{
  gboolean                  once = FALSE;
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MnOutbox)       outbox = NULL;
  g_autoptr(GError)         error = NULL;
  MnSyncReport              report = { 0 };
  MnStore                  *store;
  int                       status;
  GOptionEntry              entries[] = {
    { "once", 0, 0, G_OPTION_ARG_NONE, &once,
      N_("Send what can be sent, pull statuses and the catalogue, then exit"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_arguments (cli, argc, argv)) != MN_CLI_EXIT_OK)
    return status;
  if (!once)
    return mn_cli_usage_error (cli, _("The command line syncs once (‘minyin sync --once’); the "
                                      "window syncs all the time by itself."));

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;
  outbox = mn_outbox_new (store);
  if (!mn_outbox_sync (outbox, TRUE, &report, NULL, &error))
    {
      print_report (cli, &report, error);
      return mn_cli_fail_error (cli, error);
    }
  print_report (cli, &report, NULL);
  return MN_CLI_EXIT_OK;
}

static int
run_catalogue_refresh (MnCli *cli,
                       int    argc,
                       char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MnOutbox)       outbox = NULL;
  g_autoptr(GError)         error = NULL;
  gboolean                  changed = FALSE;
  MnStore                  *store;
  int                       status;

  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_arguments (cli, argc, argv)) != MN_CLI_EXIT_OK)
    return status;
  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;
  outbox = mn_outbox_new (store);
  if (!mn_outbox_refresh_catalogue (outbox, &changed, &error))
    {
      mn_store_set_sync_state (store, 0, error->message, NULL);
      return mn_cli_fail_error (cli, error);
    }
  mn_cli_print (cli, "%s\n", changed ? _("The catalogue was updated from the platform.")
                                     : _("The catalogue is up to date."));
  return MN_CLI_EXIT_OK;
}

/* ---- quarantine (staff) -------------------------------------------------- */

static int
run_quarantine (MnCli *cli,
                int    argc,
                char **argv)
{
  gboolean                  retry_all = FALSE;
  gint64                    retry_id = 0;
  g_autofree char          *actor = mn_audit_cli_actor ();
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray)      list = NULL;
  g_autoptr(GError)         error = NULL;
  MnStore                  *store;
  int                       status;
  GOptionEntry              entries[] = {
    { "retry", 0, 0, G_OPTION_ARG_INT64, &retry_id,
      N_("Put this message back in the queue"), "ID" },
    { "retry-all", 0, 0, G_OPTION_ARG_NONE, &retry_all,
      N_("Put every quarantined message back in the queue"), NULL },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_arguments (cli, argc, argv)) != MN_CLI_EXIT_OK)
    return status;
  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;

  if (retry_all || retry_id != 0)
    {
      guint count = 0;

      if (!mn_quarantine_retry (store, retry_all ? 0 : retry_id, actor, &count, &error))
        return mn_cli_fail_error (cli, error);
      mn_cli_print (cli, ngettext ("%u message is back in the queue.\n",
                                   "%u messages are back in the queue.\n", count),
                    count);
      return MN_CLI_EXIT_OK;
    }

  /* Looking is access too, and goes to the audit trail. */
  list = mn_quarantine_list (store, actor, &error);
  if (list == NULL)
    return mn_cli_fail_error (cli, error);
  if (mn_cli_get_json (cli))
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_array (b);
      for (guint i = 0; i < list->len; i++)
        {
          MnOutboxMessage *m = g_ptr_array_index (list, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_int_value (b, m->id);
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, m->kind);
          json_builder_set_member_name (b, "case_code");
          json_builder_add_string_value (b, m->request->case_code);
          json_builder_set_member_name (b, "uuid");
          json_builder_add_string_value (b, m->request->uuid);
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, m->quarantine_reason);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      mn_cli_print_json (cli, json_builder_get_root (b));
      return MN_CLI_EXIT_OK;
    }
  if (list->len == 0)
    mn_cli_print (cli, "%s\n", _("Nothing is in quarantine."));
  for (guint i = 0; i < list->len; i++)
    {
      MnOutboxMessage *m = g_ptr_array_index (list, i);

      mn_cli_print (cli, "%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", m->id, m->request->case_code,
                    m->kind, m->quarantine_reason != NULL ? m->quarantine_reason : "");
    }
  return MN_CLI_EXIT_OK;
}

/* ---- re-handling (二次办理) ------------------------------------------------ */

static int
run_rehandle (MnCli *cli,
              int    argc,
              char **argv)
{
  g_autofree char          *reason = NULL;
  g_autoptr(GOptionContext) context = g_option_context_new (_("CASE"));
  g_autoptr(MnRequest)      request = NULL;
  g_autoptr(GError)         error = NULL;
  MnStore                  *store;
  GOptionEntry              entries[] = {
    { "reason", 0, 0, G_OPTION_ARG_STRING, &reason,
      N_("Why the resident is not satisfied"), "TEXT" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc != 2)
    return mn_cli_usage_error (cli, _("Name one case: ‘minyin rehandle CASE [--reason TEXT]’."));
  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;
  request = mn_store_lookup (store, argv[1], &error);
  if (request == NULL)
    return mn_cli_fail_error (cli, error);
  if (!mn_store_queue_update (store, request->uuid, "REOPEN",
                              reason != NULL ? reason : _("The resident asks for the case to be "
                                                          "handled again."),
                              "rehandle", &error))
    return mn_cli_fail_error (cli, error);
  mn_cli_print (cli, "%s\n", _("The request for re-handling is queued; it goes with the next "
                               "sync."));
  return MN_CLI_EXIT_OK;
}

static const MnCliCommand sync_commands[] = {
  { "provision", run_provision,
    N_("Point this terminal at its platform (address, key, certificate authority, station)") },
  { "sync", run_sync, N_("Send the outbox to the platform and pull statuses (--once)") },
  { "catalogue-refresh", run_catalogue_refresh,
    N_("Fetch the platform's catalogue now (same as ‘catalogue refresh’)") },
  { "quarantine", run_quarantine,
    N_("List the messages the platform refused, or put them back in the queue") },
  { "rehandle", run_rehandle, N_("Ask the platform to handle a case again (二次办理)") },
};

void
mn_sync_cli_register (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (sync_commands); i++)
    mn_cli_register (&sync_commands[i]);
}
