/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-cli-progress.h"
#include "mn-device.h"
#include "mn-inquiry.h"
#include "mn-rating.h"

/* Tells a typo in a case code before the store is asked: it reveals
 * nothing about which cases exist and costs no attempt. */
static char *
code_problem (MnCli      *cli,
              MnStore    *store,
              const char *code)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  MnDevice *device = mn_device_load (mn_store_get_data_dir (store), NULL);
  char *problem;

  problem = mn_inquiry_check_code (code, device != NULL ? device->station : NULL,
                                   device != NULL ? device->terminal : NULL, today);
  if (device != NULL)
    mn_device_free (device);
  return problem;
}

static JsonNode *
view_to_json (const MnCaseView *view,
              GPtrArray        *timeline,
              gint64            now)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  const MnRequest       *r = view->request;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "case_code");
  json_builder_add_string_value (b, r->case_code);
  json_builder_set_member_name (b, "platform_id");
  if (r->platform_id != NULL)
    json_builder_add_string_value (b, r->platform_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, r->status);
  json_builder_set_member_name (b, "anonymous");
  json_builder_add_boolean_value (b, r->anonymous);
  /* Anonymous cases have no contact; others show only the masked hint. */
  json_builder_set_member_name (b, "contact_hint");
  if (!r->anonymous && r->contact_hint != NULL)
    json_builder_add_string_value (b, r->contact_hint);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "agency");
  if (r->agency != NULL)
    json_builder_add_string_value (b, r->agency);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "round");
  json_builder_add_int_value (b, view->round);
  json_builder_set_member_name (b, "rated");
  json_builder_add_boolean_value (b, view->rated);
  json_builder_set_member_name (b, "escalated");
  json_builder_add_boolean_value (b, view->escalated);
  json_builder_set_member_name (b, "overdue");
  json_builder_add_boolean_value (b, mn_inquiry_is_overdue (r, now));
  json_builder_set_member_name (b, "last_contact");
  json_builder_add_int_value (b, view->last_contact);
  json_builder_set_member_name (b, "timeline");
  json_builder_begin_array (b);
  for (guint i = 0; i < timeline->len; i++)
    {
      const MnTimelineEntry *e = g_ptr_array_index (timeline, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "at");
      json_builder_add_int_value (b, e->at);
      json_builder_set_member_name (b, "warning");
      json_builder_add_boolean_value (b, e->warning);
      json_builder_set_member_name (b, "text");
      json_builder_add_string_value (b, e->text);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  return json_builder_get_root (b);
}

static int
print_view (MnCli      *cli,
            MnInquiry  *inquiry,
            MnCaseView *view)
{
  gint64               now = mn_inquiry_now (inquiry);
  g_autoptr(GPtrArray) timeline = mn_inquiry_build_timeline (view, now);
  g_autofree char     *display = NULL;

  if (mn_cli_get_json (cli))
    {
      mn_cli_print_json (cli, view_to_json (view, timeline, now));
      return MN_CLI_EXIT_OK;
    }

  display = mn_case_code_format (view->request->case_code);
  mn_cli_print (cli, "%s %s\n", _("Case"), display);
  if (!view->request->anonymous && view->request->contact_hint != NULL)
    mn_cli_print (cli, "%s %s\n", _("Contact:"), view->request->contact_hint);
  for (guint i = 0; i < timeline->len; i++)
    {
      const MnTimelineEntry *e = g_ptr_array_index (timeline, i);

      mn_cli_print (cli, "%s %s\n", e->warning ? "!" : "-", e->text);
    }
  return MN_CLI_EXIT_OK;
}

int
mn_cli_run_progress (MnCli  *cli,
                     int     argc,
                     char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autofree char          *last4 = NULL;
  g_autofree char          *problem = NULL;
  g_autoptr(MnInquiry)      inquiry = NULL;
  g_autoptr(MnCaseView)     view = NULL;
  g_autoptr(GError)         error = NULL;
  MnStore                  *store;
  GOptionEntry              entries[] = {
    { "phone-last4", 0, 0, G_OPTION_ARG_STRING, &last4,
      N_("The last four digits of the phone number given when filing"), "NNNN" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc != 2)
    return mn_cli_usage_error (cli, _("Name one case: ‘minyin progress CODE [--phone-last4 "
                                      "NNNN]’, with the code from the receipt."));

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;
  problem = code_problem (cli, store, argv[1]);
  if (problem != NULL)
    return mn_cli_fail (cli, "%s", problem);

  inquiry = mn_inquiry_new (store);
  view = mn_inquiry_open (inquiry, argv[1], last4, &error);
  if (view == NULL)
    return mn_cli_fail_error (cli, error);
  return print_view (cli, inquiry, view);
}

int
mn_cli_run_rate (MnCli  *cli,
                 int     argc,
                 char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autofree char          *last4 = NULL;
  g_autofree char          *solved = NULL;
  g_autofree char          *satisfaction = NULL;
  g_autofree char          *voice_note = NULL;
  g_auto(GStrv)             reasons = NULL;
  g_autofree char          *problem = NULL;
  g_autoptr(MnInquiry)      inquiry = NULL;
  g_autoptr(MnCaseView)     view = NULL;
  g_autoptr(MnRating)       rating = NULL;
  g_autoptr(GError)         error = NULL;
  MnSatisfaction            level;
  MnStore                  *store;
  GOptionEntry              entries[] = {
    { "phone-last4", 0, 0, G_OPTION_ARG_STRING, &last4,
      N_("The last four digits of the phone number given when filing"), "NNNN" },
    { "solved", 0, 0, G_OPTION_ARG_STRING, &solved, N_("Whether the problem is solved"),
      "yes|no" },
    { "satisfaction", 0, 0, G_OPTION_ARG_STRING, &satisfaction,
      N_("How satisfied the resident is"), "satisfied|basic|unsatisfied" },
    { "reason", 0, 0, G_OPTION_ARG_STRING_ARRAY, &reasons,
      N_("What is still wrong: a preset id or words (repeat for several)"), "TEXT" },
    { "voice-note", 0, 0, G_OPTION_ARG_FILENAME, &voice_note,
      N_("A recorded voice note saying what is still wrong"), "PATH" },
    { NULL }
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc != 2)
    return mn_cli_usage_error (cli, _("Name one case: ‘minyin rate CODE --solved yes|no "
                                      "--satisfaction satisfied|basic|unsatisfied’."));
  if (g_strcmp0 (solved, "yes") != 0 && g_strcmp0 (solved, "no") != 0)
    return mn_cli_usage_error (cli, _("Say whether the problem is solved: ‘--solved yes’ or "
                                      "‘--solved no’."));
  if (!mn_satisfaction_from_string (satisfaction, &level))
    return mn_cli_usage_error (cli, _("Say how satisfied the resident is: ‘--satisfaction "
                                      "satisfied’, ‘basic’ or ‘unsatisfied’."));

  rating = mn_rating_new (g_strcmp0 (solved, "yes") == 0, level);
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    if (!mn_rating_add_reason (rating, reasons[i], &error))
      return mn_cli_usage_error (cli, "%s", error->message);
  if (voice_note != NULL)
    {
      if (!g_file_test (voice_note, G_FILE_TEST_IS_REGULAR))
        return mn_cli_usage_error (cli, _("The voice note %s does not exist; record it again or "
                                          "leave it out."),
                                   voice_note);
      mn_rating_set_voice_note (rating, voice_note);
    }
  if (!mn_rating_validate (rating, &error))
    return mn_cli_usage_error (cli, "%s", error->message);

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;
  problem = code_problem (cli, store, argv[1]);
  if (problem != NULL)
    return mn_cli_fail (cli, "%s", problem);

  inquiry = mn_inquiry_new (store);
  view = mn_inquiry_rate (inquiry, argv[1], last4, rating, &error);
  if (view == NULL)
    return mn_cli_fail_error (cli, error);
  if (!mn_cli_get_json (cli))
    mn_cli_print (cli, "%s\n",
                  !mn_rating_is_unhappy (rating)
                    ? _("Thank you. Your rating is saved and goes to the platform with the next "
                        "sync.")
                    : view->escalated
                        ? _("Thank you. The case is re-opened and escalated; the request goes to "
                            "the platform with the next sync.")
                        : _("Thank you. The case is re-opened to be handled again; the request "
                            "goes to the platform with the next sync."));
  return print_view (cli, inquiry, view);
}
