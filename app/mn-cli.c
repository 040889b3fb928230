/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-catalogue.h"
#include "mn-questionnaire.h"
#include "mn-cli-command.h"
#include "mn-cli-progress.h"
#include "mn-cli-places.h"
#include "mn-cli-staff.h"
#include "mn-gazetteer.h"
#include "mn-cli-speak.h"
#include "mn-cli.h"
#include "mn-device.h"
#include "mn-phone.h"
#include "mn-request.h"
#include "mn-store.h"
#include "mn-store-sync.h"
#include "mn-attachment.h"
#include "mn-voice-note.h"

/* Limits on the short texts of `minyin file`. The description's limit is
 * the platform's (MN_DESCRIPTION_MAX_CHARS); these keep a mistyped command
 * from storing a page of text where a name belongs. */
#define NAME_MAX_CHARS       50
#define ADDRESS_MAX_CHARS    200
#define PLACE_CODE_MAX_CHARS 64
#define HELPER_MAX_CHARS     64

struct _MnCli
{
  const MnCliCommand *command;
  char               *data_dir_option;
  char               *data_dir;
  gboolean            json;
  MnStore            *store;
};

static int run_file      (MnCli *cli, int argc, char **argv);
static int run_list      (MnCli *cli, int argc, char **argv);
static int run_show      (MnCli *cli, int argc, char **argv);
static int run_status    (MnCli *cli, int argc, char **argv);
static int run_catalogue (MnCli *cli, int argc, char **argv);
static int run_help      (MnCli *cli, int argc, char **argv);

/* `minyin speak` parses its own options (see mn-cli-speak.h). */
static int
run_speak (MnCli  *cli,
           int     argc,
           char  **argv)
{
  return mn_cli_speak_main (argc, argv);
}

/* The commands of the core. Add yours here (one line); layers above the
 * core use mn_cli_register(). */
static const MnCliCommand core_commands[] = {
  { "file",      run_file,      N_("File a new request") },
  { "list",      run_list,      N_("List the requests on this terminal, newest first") },
  { "show",      run_show,      N_("Show one request and its timeline") },
  { "progress",  mn_cli_run_progress, N_("Ask about a case as a resident does: code and phone digits") },
  { "rate",      mn_cli_run_rate, N_("Rate a closed case; unhappy ratings ask for re-handling") },
  { "status",    run_status,    N_("Count requests by status and outbox messages by state") },
  { "catalogue", run_catalogue, N_("List the request categories this terminal offers") },
  { "places",    mn_cli_places_run, N_("Find places in the address data, list them, or import it") },
  { "staff",     mn_cli_run_staff, N_("Enrol staff, list them, or disable an account") },
  { "audit",     mn_cli_run_audit, N_("Print the audit trail of staff access, or verify its chain") },
  { "export",    mn_cli_run_export, N_("Export the quarantined messages to a file, with the platform’s reasons") },
  { "speak",     run_speak,     N_("Say a text with the terminal’s voice, to test the speakers") },
  { "help",      run_help,      N_("List the commands, or show the options of one") },
};

static GPtrArray *extra_commands;

void
mn_cli_register (const MnCliCommand *command)
{
  g_return_if_fail (command != NULL && command->name != NULL && command->run != NULL);

  if (extra_commands == NULL)
    extra_commands = g_ptr_array_new ();
  g_ptr_array_add (extra_commands, (gpointer) command);
}

static const MnCliCommand *
find_command (const char *name)
{
  if (name == NULL)
    return NULL;

  for (gsize i = 0; i < G_N_ELEMENTS (core_commands); i++)
    if (strcmp (core_commands[i].name, name) == 0)
      return &core_commands[i];

  for (guint i = 0; extra_commands != NULL && i < extra_commands->len; i++)
    {
      const MnCliCommand *command = g_ptr_array_index (extra_commands, i);

      if (strcmp (command->name, name) == 0)
        return command;
    }
  return NULL;
}

static gboolean
is_help_flag (const char *word)
{
  return g_strcmp0 (word, "--help") == 0 || g_strcmp0 (word, "-h") == 0 ||
         g_strcmp0 (word, "-?") == 0 || g_strcmp0 (word, "--help-all") == 0;
}

gboolean
mn_cli_is_command (const char *word)
{
  return find_command (word) != NULL || is_help_flag (word);
}

/* ---- Output ------------------------------------------------------------ */

static void
print_sentence (const char *format,
                va_list     args)
{
  g_autofree char *message = g_strdup_vprintf (format, args);

  /* One line, whatever the sentence came from. */
  g_strdelimit (message, "\r\n", ' ');
  fprintf (stderr, "%s\n", message);
  fflush (stderr);
}

int
mn_cli_usage_error (MnCli      *cli,
                    const char *format,
                    ...)
{
  va_list args;

  va_start (args, format);
  print_sentence (format, args);
  va_end (args);
  return MN_CLI_EXIT_USAGE;
}

int
mn_cli_fail (MnCli      *cli,
             const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  print_sentence (format, args);
  va_end (args);
  return MN_CLI_EXIT_FAILURE;
}

int
mn_cli_fail_error (MnCli        *cli,
                   const GError *error)
{
  g_return_val_if_fail (error != NULL, MN_CLI_EXIT_FAILURE);
  return mn_cli_fail (cli, "%s", error->message);
}

/* Control characters (ESC above all) in data that came from elsewhere must
 * not reach a terminal: they can rewrite what the reader sees. */
static char *
make_printable (const char *text)
{
  GString *out = g_string_new (NULL);

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);
      g_string_free (out, TRUE);
      return make_printable (valid);
    }

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != '\n' && c != '\t' && (g_unichar_iscntrl (c) || c == 0x2028 || c == 0x2029))
        g_string_append_unichar (out, 0xFFFD);
      else
        g_string_append_unichar (out, c);
    }
  return g_string_free (out, FALSE);
}

void
mn_cli_print (MnCli      *cli,
              const char *format,
              ...)
{
  g_autofree char *text = NULL;
  g_autofree char *safe = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);

  safe = make_printable (text);
  fputs (safe, stdout);
}

void
mn_cli_print_json (MnCli    *cli,
                   JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  json_node_unref (node);
  puts (text);
}

char *
mn_cli_format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return NULL;
  utc = g_date_time_new_from_unix_utc (unix_time);
  if (utc == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  return g_date_time_format_iso8601 (local);
}

/* For people: minutes are precise enough, the time zone is the kiosk's. */
static char *
format_time_for_people (gint64 unix_time)
{
  g_autoptr(GDateTime) local = NULL;

  if (unix_time <= 0)
    return g_strdup ("—");
  local = g_date_time_new_from_unix_local (unix_time);
  if (local == NULL)
    return g_strdup ("—");
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

static void
set_time_member (JsonBuilder *builder,
                 const char  *name,
                 gint64       unix_time)
{
  g_autofree char *text = mn_cli_format_time (unix_time);

  json_builder_set_member_name (builder, name);
  if (text != NULL)
    json_builder_add_string_value (builder, text);
  else
    json_builder_add_null_value (builder);
}

static void
set_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static void
add_request_members (JsonBuilder     *builder,
                     const MnRequest *request)
{
  g_autofree char *display = NULL;

  if (request->case_code != NULL)
    display = mn_case_code_format (request->case_code);

  set_string_member (builder, "case_code", request->case_code);
  set_string_member (builder, "case_code_display", display);
  set_string_member (builder, "uuid", request->uuid);
  set_string_member (builder, "platform_id", request->platform_id);
  set_string_member (builder, "status", request->status);
  set_string_member (builder, "service_code", request->service_code);
  set_string_member (builder, "group", request->group);
  set_string_member (builder, "urgency", mn_urgency_to_string (request->urgency));
  set_string_member (builder, "channel", mn_channel_to_string (request->channel));
  set_string_member (builder, "description", request->description);
  set_string_member (builder, "place_code", request->place_code);
  set_string_member (builder, "address", request->address_text);
  json_builder_set_member_name (builder, "location");
  if (request->has_location)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "lat");
      json_builder_add_double_value (builder, request->lat);
      json_builder_set_member_name (builder, "lon");
      json_builder_add_double_value (builder, request->lon);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "anonymous");
  json_builder_add_boolean_value (builder, request->anonymous);
  set_string_member (builder, "contact_hint", request->contact_hint);
  json_builder_set_member_name (builder, "consent");
  json_builder_add_boolean_value (builder, request->consent);
  set_string_member (builder, "filed_by", request->filed_by);
  json_builder_set_member_name (builder, "attributes");
  {
    g_autoptr(JsonParser) parser = json_parser_new ();

    /* The store keeps only well-formed answers; an object or null. */
    if (request->attributes != NULL &&
        json_parser_load_from_data (parser, request->attributes, -1, NULL) &&
        json_parser_get_root (parser) != NULL)
      json_builder_add_value (builder, json_node_copy (json_parser_get_root (parser)));
    else
      json_builder_add_null_value (builder);
  }
  set_string_member (builder, "status_notes", request->status_notes);
  set_string_member (builder, "agency", request->agency);
  set_time_member (builder, "created_at", request->created_at);
  set_time_member (builder, "deadline_at", request->deadline_at);
  set_time_member (builder, "expected_at", request->expected_at);
  set_time_member (builder, "updated_at", request->updated_at);
}

JsonNode *
mn_cli_request_to_json (const MnRequest *request)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (request != NULL, NULL);

  json_builder_begin_object (builder);
  add_request_members (builder, request);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* ---- Shared plumbing --------------------------------------------------- */

const char *
mn_cli_get_command (MnCli *cli)
{
  return cli->command->name;
}

gboolean
mn_cli_get_json (MnCli *cli)
{
  return cli->json;
}

const char *
mn_cli_get_data_dir (MnCli *cli)
{
  if (cli->data_dir == NULL)
    cli->data_dir = mn_store_resolve_data_dir (cli->data_dir_option);
  return cli->data_dir;
}

MnStore *
mn_cli_open_store (MnCli *cli)
{
  g_autoptr(GError) error = NULL;

  if (cli->store != NULL)
    return cli->store;

  cli->store = mn_store_open (mn_cli_get_data_dir (cli), &error);
  if (cli->store == NULL)
    mn_cli_fail_error (cli, error);
  return cli->store;
}

gboolean
mn_cli_parse (MnCli           *cli,
              GOptionContext  *context,
              int             *argc,
              char          ***argv)
{
  const GOptionEntry common_entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &cli->data_dir_option,
      N_("Use the terminal data in DIR (default: $MINYIN_DATA_DIR, else the user’s data "
         "directory)"),
      N_("DIR") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &cli->json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, common_entries, GETTEXT_PACKAGE);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (cli->command->summary != NULL && g_option_context_get_summary (context) == NULL)
    g_option_context_set_summary (context, _(cli->command->summary));

  /* Options go through as bytes (G_OPTION_ARG_FILENAME) and are checked
   * here and by each command, so a bad byte gets a sentence saying which
   * text is wrong instead of GLib's conversion error. Option names come
   * first: GLib echoes an unknown one. */
  for (int i = 1; i < *argc; i++)
    if ((*argv)[i][0] == '-' && !g_utf8_validate ((*argv)[i], -1, NULL))
      {
        mn_cli_usage_error (cli,
                            _("An option on the command line is not valid UTF-8 text; check the "
                              "terminal’s character set and type it again."));
        return FALSE;
      }

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      g_autofree char *message = g_strdup (error->message);
      gsize len = strlen (message);

      if (len > 0 && message[len - 1] == '.')
        message[len - 1] = '\0';
      mn_cli_usage_error (cli,
                          /* Translators: %s is GLib's description of the mistake, e.g.
                           * "Unknown option --colour"; the second %s the command's name. */
                          _("%s. Run ‘minyin %s --help’ to see the options."), message,
                          cli->command->name);
      return FALSE;
    }

  for (int i = 1; i < *argc; i++)
    if (!g_utf8_validate ((*argv)[i], -1, NULL))
      {
        mn_cli_usage_error (cli,
                            _("An argument on the command line is not valid UTF-8 text; check "
                              "the terminal’s character set and type it again."));
        return FALSE;
      }

  return TRUE;
}

static int
refuse_extra_arguments (MnCli  *cli,
                        int     argc,
                        char  **argv,
                        int     expected)
{
  if (argc > expected + 1)
    return mn_cli_usage_error (cli,
                               /* Translators: the first %s is a word the command did not
                                * expect, the second the command's name. */
                               _("Unexpected argument ‘%s’. Run ‘minyin %s --help’ to see how "
                                 "to use the command."),
                               argv[expected + 1], cli->command->name);
  return MN_CLI_EXIT_OK;
}

/* ---- minyin file ------------------------------------------------------- */

/* Checks and cleans one text option; returns NULL after printing the
 * sentence. */
static char *
clean_option_text (MnCli      *cli,
                   const char *value,
                   const char *option,
                   gsize       max_chars,
                   int        *status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *clean = NULL;
  glong n_chars;

  if (!g_utf8_validate (value, -1, NULL))
    {
      *status = mn_cli_usage_error (cli,
                                    /* Translators: %s is an option name, e.g. "description". */
                                    _("The text given with --%s is not valid UTF-8; check the "
                                      "terminal’s character set and type it again."),
                                    option);
      return NULL;
    }

  /* Cleaned without a limit first, so the limit applies to what would be
   * stored and the message can say how long that is. */
  clean = mn_request_clean_text (value, G_MAXSIZE, &error);
  if (clean == NULL)
    {
      if (g_error_matches (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_EMPTY))
        *status = mn_cli_usage_error (cli,
                                      _("The text given with --%s is empty; give some text or "
                                        "leave the option out."),
                                      option);
      else
        *status = mn_cli_usage_error (cli, "%s", error->message);
      return NULL;
    }

  n_chars = g_utf8_strlen (clean, -1);
  if ((gsize) n_chars > max_chars)
    {
      if (strcmp (option, "description") == 0)
        *status = mn_cli_usage_error (cli,
                                      /* Translators: the numbers are counts of characters. */
                                      _("The description has %ld characters but the platform "
                                        "accepts at most %u; shorten it and try again."),
                                      n_chars, (guint) max_chars);
      else
        *status = mn_cli_usage_error (cli,
                                      /* Translators: %s is an option name; the numbers are
                                       * counts of characters. */
                                      _("The text given with --%s has %ld characters but at "
                                        "most %u are accepted; shorten it."),
                                      option, n_chars, (guint) max_chars);
      return NULL;
    }

  return g_steal_pointer (&clean);
}

/* Gazetteer codes are administrative division codes and compound numbers:
 * letters, digits, dashes and dots. */
static gboolean
place_code_is_valid (const char *code)
{
  if (*code == '\0')
    return FALSE;
  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.' && *p != '_')
      return FALSE;
  return TRUE;
}

static int
store_error_status (MnCli        *cli,
                    const GError *error)
{
  if (g_error_matches (error, MN_STORE_ERROR, MN_STORE_ERROR_DISK_FULL))
    return mn_cli_fail (cli,
                        _("The request was not saved because the storage is full; free some "
                          "space on the terminal or call staff, then file it again."));
  if (g_error_matches (error, MN_STORE_ERROR, MN_STORE_ERROR_INVALID) ||
      error->domain == MN_REQUEST_ERROR)
    return mn_cli_usage_error (cli, "%s", error->message);
  return mn_cli_fail_error (cli, error);
}

static int
run_file (MnCli  *cli,
          int     argc,
          char  **argv)
{
  g_autofree char *category_code = NULL;
  g_autofree char *description = NULL;
  g_autofree char *place = NULL;
  g_autofree char *address = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *name = NULL;
  g_autofree char *urgency_word = NULL;
  g_autofree char *channel_word = NULL;
  g_autofree char *helper = NULL;
  g_auto(GStrv) attribute_args = NULL;
  g_autofree char *voice_note = NULL;
  gboolean anonymous = FALSE;
  const GOptionEntry entries[] = {
    { "category", 'c', 0, G_OPTION_ARG_FILENAME, &category_code,
      N_("The category’s service code (see ‘minyin catalogue list’)"), N_("CODE") },
    { "description", 'd', 0, G_OPTION_ARG_FILENAME, &description,
      N_("What the problem is, at most 4,000 characters"), N_("TEXT") },
    { "place", 'p', 0, G_OPTION_ARG_FILENAME, &place,
      N_("Where: a place code from the address data"), N_("CODE") },
    { "address", 'a', 0, G_OPTION_ARG_FILENAME, &address,
      N_("Where: an address in words"), N_("TEXT") },
    { "phone", 0, 0, G_OPTION_ARG_FILENAME, &phone,
      N_("The resident’s phone number, for the call-back"), N_("NUMBER") },
    { "anonymous", 0, 0, G_OPTION_ARG_NONE, &anonymous,
      N_("File without any contact details"), NULL },
    { "name", 'n', 0, G_OPTION_ARG_FILENAME, &name,
      N_("The resident’s name (optional)"), N_("NAME") },
    { "urgency", 'u', 0, G_OPTION_ARG_FILENAME, &urgency_word,
      N_("immediate, same_day, routine (the default) or dispute"), N_("LEVEL") },
    { "channel", 0, 0, G_OPTION_ARG_FILENAME, &channel_word,
      N_("kiosk (the default), assisted or field"), N_("CHANNEL") },
    { "helper", 0, 0, G_OPTION_ARG_FILENAME, &helper,
      N_("The staff member filing for the resident (assisted filing)"), N_("ID") },
    { "attribute", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &attribute_args,
      N_("An answer to one of the category’s questions, e.g. lift_trapped=yes; repeat the "
         "code for several values"), N_("CODE=VALUE") },
    { "voice-note", 0, 0, G_OPTION_ARG_FILENAME, &voice_note,
      N_("A recorded voice note to keep with the request (Ogg, WAV, FLAC or MP3); it can "
         "stand in for the description"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MnCatalogue) catalogue = NULL;
  g_autoptr(MnRequest) request = NULL;
  g_autoptr(MnContact) contact = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *clean_description = NULL;
  g_autofree char *clean_address = NULL;
  g_autofree char *clean_name = NULL;
  g_autofree char *clean_helper = NULL;
  g_autofree char *normal_phone = NULL;
  g_autofree char *display = NULL;
  g_autofree char *attributes = NULL;
  g_autoptr(GHashTable) answers = mn_questionnaire_answers_new ();
  g_autoptr(GPtrArray) attachments = NULL;
  const MnCategory *category;
  MnUrgency urgency = MN_URGENCY_ROUTINE;
  MnChannel channel = MN_CHANNEL_KIOSK;
  MnStore *store;
  int status = MN_CLI_EXIT_OK;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra_arguments (cli, argc, argv, 0)) != MN_CLI_EXIT_OK)
    return status;

  /* What is missing or contradictory, in the order a person fills in the
   * kiosk's pages. */
  if (category_code == NULL)
    return mn_cli_usage_error (cli, _("Say which category the request is in with --category "
                                      "CODE. Run ‘minyin catalogue list’ to see the category "
                                      "codes."));
  if (description == NULL && voice_note == NULL)
    return mn_cli_usage_error (cli, _("Say what the problem is with --description TEXT, or "
                                      "give a recorded --voice-note FILE."));
  if (place != NULL && address != NULL)
    return mn_cli_usage_error (cli, _("Give either --place or --address, not both."));
  if (place == NULL && address == NULL)
    return mn_cli_usage_error (cli, _("Say where the problem is with --place CODE or --address "
                                      "TEXT."));
  if (phone != NULL && anonymous)
    return mn_cli_usage_error (cli, _("Give either --phone or --anonymous, not both."));
  if (phone == NULL && !anonymous)
    return mn_cli_usage_error (cli, _("Give the resident’s phone number with --phone NUMBER, "
                                      "or file with --anonymous."));
  if (name != NULL && anonymous)
    return mn_cli_usage_error (cli, _("An anonymous request has no name; leave out --name or "
                                      "--anonymous."));

  /* Every option given as bytes is checked before any is used, so a bad
   * byte is reported as such and not as an unknown word. */
  {
    const struct { const char *value; const char *option; } given[] = {
      { category_code, "category" }, { description, "description" }, { place, "place" },
      { address, "address" }, { phone, "phone" }, { name, "name" },
      { urgency_word, "urgency" }, { channel_word, "channel" }, { helper, "helper" },
    };

    for (gsize i = 0; i < G_N_ELEMENTS (given); i++)
      if (given[i].value != NULL && !g_utf8_validate (given[i].value, -1, NULL))
        return mn_cli_usage_error (cli,
                                   /* Translators: %s is an option name, e.g. "description". */
                                   _("The text given with --%s is not valid UTF-8; check the "
                                     "terminal’s character set and type it again."),
                                   given[i].option);
  }

  if (urgency_word != NULL &&
      (!g_utf8_validate (urgency_word, -1, NULL) ||
       !mn_urgency_from_string (urgency_word, &urgency)))
    return mn_cli_usage_error (cli, _("Unknown urgency; use immediate, same_day, routine or "
                                      "dispute."));
  if (channel_word != NULL &&
      (!g_utf8_validate (channel_word, -1, NULL) ||
       !mn_channel_from_string (channel_word, &channel)))
    return mn_cli_usage_error (cli, _("Unknown channel; use kiosk, assisted or field."));
  if (channel == MN_CHANNEL_ASSISTED && helper == NULL)
    return mn_cli_usage_error (cli, _("Assisted filing needs the helper’s id; add --helper ID."));

  for (guint i = 0; attribute_args != NULL && attribute_args[i] != NULL; i++)
    {
      const char      *arg = attribute_args[i];
      const char      *equals = strchr (arg, '=');
      g_autofree char *code = NULL;

      if (!g_utf8_validate (arg, -1, NULL))
        return mn_cli_usage_error (cli,
                                   _("The text given with --%s is not valid UTF-8; check the "
                                     "terminal’s character set and type it again."),
                                   "attribute");
      if (equals == NULL || equals == arg || equals[1] == '\0')
        return mn_cli_usage_error (cli, _("Give each answer as --attribute CODE=VALUE, e.g. "
                                          "--attribute lift_trapped=yes."));
      code = g_strndup (arg, (gsize) (equals - arg));
      /* These facts have options of their own, and the terminal sends
       * them itself; an answer would contradict them. */
      if (mn_questionnaire_code_is_reserved (code))
        return mn_cli_usage_error (cli,
                                   /* Translators: %s is an attribute code such as urgency. */
                                   _("‘%s’ is filled in by the terminal itself; use its own "
                                     "option, or leave it out."),
                                   code);
      mn_questionnaire_answers_add (answers, code, equals + 1);
    }

  if (voice_note != NULL)
    {
      guint duration_ms = 0;
      g_autofree char *mime = NULL;
      g_autofree char *words = NULL;

      /* Decoded to the end before anything is saved: what is kept must
       * play. */
      if (!mn_voice_note_inspect (voice_note, &duration_ms, &mime, &error))
        return mn_cli_usage_error (cli, "%s", error->message);
      attachments = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_attachment_free);
      g_ptr_array_add (attachments, mn_attachment_new_voice_note (voice_note, mime, duration_ms));
      /* The platform gets the words, not the sound: the description says
       * that a note is kept here. */
      words = mn_voice_note_describe (duration_ms);
      if (description != NULL)
        {
          g_autofree char *joined = g_strconcat (description, _("; "), words, NULL);

          g_free (description);
          description = g_steal_pointer (&joined);
        }
      else
        description = g_steal_pointer (&words);
    }

  clean_description = clean_option_text (cli, description, "description",
                                         MN_DESCRIPTION_MAX_CHARS, &status);
  if (clean_description == NULL)
    return status;
  if (address != NULL)
    {
      clean_address = clean_option_text (cli, address, "address", ADDRESS_MAX_CHARS, &status);
      if (clean_address == NULL)
        return status;
    }
  if (place != NULL && (strlen (place) > PLACE_CODE_MAX_CHARS || !place_code_is_valid (place)))
    return mn_cli_usage_error (cli, _("A place code has only letters, digits and dashes; check "
                                      "it, or give the address in words with --address."));
  if (name != NULL)
    {
      clean_name = clean_option_text (cli, name, "name", NAME_MAX_CHARS, &status);
      if (clean_name == NULL)
        return status;
    }
  if (helper != NULL)
    {
      clean_helper = clean_option_text (cli, helper, "helper", HELPER_MAX_CHARS, &status);
      if (clean_helper == NULL)
        return status;
    }
  if (phone != NULL)
    {
      normal_phone = mn_phone_normalize (phone, NULL, &error);
      if (normal_phone == NULL)
        return mn_cli_usage_error (cli, "%s", error->message);
    }

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;

  catalogue = mn_catalogue_load (store, &error);
  if (catalogue == NULL)
    return mn_cli_fail_error (cli, error);
  category = g_utf8_validate (category_code, -1, NULL)
               ? mn_catalogue_lookup (catalogue, category_code)
               : NULL;
  if (category == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (category_code, -1);

      return mn_cli_usage_error (cli,
                                 /* Translators: %s is the category code that was given. */
                                 _("Unknown category ‘%s’. Run ‘minyin catalogue list’ to see "
                                   "the category codes."),
                                 shown);
    }

  /* The category's questions as last fetched from the platform. Without
   * them (a terminal that has not been online yet) the answers are kept
   * as given; the platform judges them when the request is sent. */
  {
    g_autofree char *body = NULL;

    if (mn_store_get_service_definition (store, mn_category_get_code (category), &body, NULL,
                                         &error))
      {
        g_autoptr(MnQuestionnaire) questions = mn_questionnaire_parse (body, -1, NULL);

        if (questions != NULL && !mn_questionnaire_check (questions, answers, &error))
          return mn_cli_usage_error (cli, "%s", error->message);
        attributes = mn_questionnaire_answers_to_json (questions, answers);
      }
    else if (error != NULL)
      return mn_cli_fail_error (cli, error);
    else
      attributes = mn_questionnaire_answers_to_json (NULL, answers);
  }

  if (place != NULL)
    {
      /* A code the gazetteer does not know would reach the platform as an
       * address nobody can find. */
      g_autoptr(MnGazetteer) gazetteer = mn_gazetteer_new (store);
      g_autoptr(MnPlace)     known = mn_gazetteer_lookup (gazetteer, place, &error);

      if (known == NULL)
        {
          if (g_error_matches (error, MN_GAZETTEER_ERROR, MN_GAZETTEER_ERROR_NOT_FOUND))
            return mn_cli_usage_error (cli, "%s", error->message);
          return mn_cli_fail_error (cli, error);
        }
    }

  request = mn_request_new ();
  request->service_code = g_strdup (mn_category_get_code (category));
  request->group = g_strdup (mn_category_get_group (category));
  request->urgency = urgency;
  request->channel = channel;
  request->description = g_steal_pointer (&clean_description);
  request->place_code = g_strdup (place);
  request->address_text = g_steal_pointer (&clean_address);
  request->anonymous = anonymous;
  /* On the command line the person typing the phone number is the one
   * who agreed to give it; the kiosk asks explicitly. */
  request->consent = !anonymous;
  request->filed_by = g_steal_pointer (&clean_helper);
  request->attributes = g_steal_pointer (&attributes);
  if (!anonymous)
    contact = mn_contact_new (clean_name, normal_phone);

  if (!mn_store_file_request_with_attachments (store, request, contact, attachments, &error))
    return store_error_status (cli, error);

  /* Printed only now: the request is committed, so whatever reads this
   * line can rely on it being kept. */
  if (cli->json)
    mn_cli_print_json (cli, mn_cli_request_to_json (request));
  else
    {
      display = mn_case_code_format (request->case_code);
      mn_cli_print (cli, "%s\n", display);
    }
  return MN_CLI_EXIT_OK;
}

/* ---- minyin list / show ------------------------------------------------ */

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, MN_STATUS_SAVED) == 0)
    /* Translators: a request's status: stored here, not yet sent. */
    return _("saved on this terminal");
  if (g_strcmp0 (status, MN_STATUS_SENT) == 0)
    return _("received by the platform");
  if (g_strcmp0 (status, MN_STATUS_IN_PROGRESS) == 0)
    return _("being handled");
  if (g_strcmp0 (status, MN_STATUS_CLOSED) == 0)
    return _("closed");
  if (g_strcmp0 (status, MN_STATUS_REOPENED) == 0)
    return _("being handled again");
  return status != NULL ? status : "—";
}

/* The first line of a description, cut to @max characters for a list. */
static char *
summarize (const char *text,
           glong       max)
{
  g_autofree char *line = g_strdup (text != NULL ? text : "");
  char *newline = strchr (line, '\n');

  if (newline != NULL)
    *newline = '\0';
  if (g_utf8_strlen (line, -1) > max)
    {
      g_autofree char *cut = g_utf8_substring (line, 0, max - 1);
      return g_strconcat (cut, "…", NULL);
    }
  return g_steal_pointer (&line);
}

static int
run_list (MnCli  *cli,
          int     argc,
          char  **argv)
{
  int limit = 0;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit,
      N_("Show at most N requests (default: all)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GPtrArray) requests = NULL;
  g_autoptr(GError) error = NULL;
  MnStore *store;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra_arguments (cli, argc, argv, 0)) != MN_CLI_EXIT_OK)
    return status;
  if (limit < 0)
    return mn_cli_usage_error (cli, _("The limit must be 0 (all) or more."));

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;

  requests = mn_store_list_requests (store, (guint) limit, &error);
  if (requests == NULL)
    return mn_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonArray) array = json_array_sized_new (requests->len);
      JsonNode *root = json_node_new (JSON_NODE_ARRAY);

      for (guint i = 0; i < requests->len; i++)
        json_array_add_element (array, mn_cli_request_to_json (g_ptr_array_index (requests, i)));
      json_node_set_array (root, array);
      mn_cli_print_json (cli, root);
      return MN_CLI_EXIT_OK;
    }

  if (requests->len == 0)
    {
      mn_cli_print (cli, "%s\n", _("No requests on this terminal yet."));
      return MN_CLI_EXIT_OK;
    }

  for (guint i = 0; i < requests->len; i++)
    {
      MnRequest *request = g_ptr_array_index (requests, i);
      g_autofree char *display = mn_case_code_format (request->case_code);
      g_autofree char *when = format_time_for_people (request->created_at);
      g_autofree char *summary = summarize (request->description, 40);

      mn_cli_print (cli, "%s  %s  %-12s  %s  %s\n", display, when, request->service_code,
                    status_label (request->status), summary);
    }
  return MN_CLI_EXIT_OK;
}

static const char *
event_label (const char *kind)
{
  if (g_strcmp0 (kind, "filed") == 0)
    /* Translators: an event in a request's timeline. */
    return _("filed on this terminal");
  if (g_strcmp0 (kind, "sent") == 0)
    return _("sent to the platform");
  if (g_strcmp0 (kind, "accepted") == 0)
    return _("accepted by the platform");
  if (g_strcmp0 (kind, "status") == 0)
    return _("status changed");
  if (g_strcmp0 (kind, "rated") == 0)
    return _("rated by the resident");
  if (g_strcmp0 (kind, "reopened") == 0)
    return _("re-opened to be handled again");
  if (g_strcmp0 (kind, "escalated") == 0)
    return _("escalated: still not resolved after being handled again");
  if (g_strcmp0 (kind, "update_sent") == 0)
    return _("rating sent to the platform");
  if (g_strcmp0 (kind, "quarantined") == 0)
    return _("refused by the platform, waiting for staff");
  if (g_strcmp0 (kind, "requeued") == 0)
    return _("queued again by staff");
  return kind;
}

/* One line per answered question: its wording and the names of the values
 * when the category's definition is cached, else the codes as stored. */
static void
print_answers (MnCli           *cli,
               MnStore         *store,
               const MnRequest *request)
{
  g_autoptr(GHashTable)      answers = NULL;
  g_autoptr(MnQuestionnaire) questions = NULL;
  g_autoptr(GList)           codes = NULL;
  g_autofree char           *body = NULL;
  g_autoptr(GDateTime)       now = g_date_time_new_now_local ();

  answers = mn_questionnaire_answers_from_json (request->attributes, NULL);
  if (answers == NULL || g_hash_table_size (answers) == 0)
    return;
  if (mn_store_get_service_definition (store, request->service_code, &body, NULL, NULL))
    questions = mn_questionnaire_parse (body, -1, NULL);

  mn_cli_print (cli, "%s\n", _("Answers:"));
  codes = g_list_sort (g_hash_table_get_keys (answers), (GCompareFunc) g_strcmp0);
  for (GList *l = codes; l != NULL; l = l->next)
    {
      GPtrArray        *values = g_hash_table_lookup (answers, l->data);
      const MnQuestion *q = questions != NULL ? mn_questionnaire_lookup (questions, l->data) : NULL;
      GString          *line = g_string_new (NULL);

      for (guint i = 0; i < values->len; i++)
        {
          const char *v = g_ptr_array_index (values, i);
          /* The kiosk's words: a value's name, a date as a date. */
          g_autofree char *words = q != NULL ? mn_question_describe_value (q, v, now) : NULL;

          if (i > 0)
            g_string_append (line, ", ");
          g_string_append (line, words != NULL ? words : v);
        }
      /* Translators: an answered question, then its answer(s). */
      mn_cli_print (cli, _("  %s: %s\n"), q != NULL ? q->description : (const char *) l->data,
                    line->str);
      g_string_free (line, TRUE);
    }
}

static int
run_show (MnCli  *cli,
          int     argc,
          char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (_("CODE"));
  g_autoptr(MnRequest) request = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) attachments = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MnCatalogue) catalogue = NULL;
  g_autofree char *display = NULL;
  const MnCategory *category;
  MnStore *store;
  int status;

  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if (argc < 2)
    return mn_cli_usage_error (cli, _("Say which request to show: ‘minyin show CODE’, with the "
                                      "case code from the receipt."));
  if ((status = refuse_extra_arguments (cli, argc, argv, 1)) != MN_CLI_EXIT_OK)
    return status;

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;

  request = mn_store_lookup (store, argv[1], &error);
  if (request == NULL)
    {
      if (g_error_matches (error, MN_STORE_ERROR, MN_STORE_ERROR_NOT_FOUND))
        {
          g_autoptr(GError) parse_error = NULL;
          g_autofree char *canonical = mn_case_code_parse (argv[1], &parse_error);

          /* Something that looks like a case code but is not one gets
           * the parser's reason (a wrong check digit, a missing digit);
           * anything else simply is not here. */
          if (canonical == NULL && parse_error != NULL &&
              !g_error_matches (parse_error, MN_CASE_CODE_ERROR,
                                MN_CASE_CODE_ERROR_BAD_CHARACTER))
            return mn_cli_fail_error (cli, parse_error);
          return mn_cli_fail (cli,
                              /* Translators: %s is what the person typed. */
                              _("No request with the case code ‘%s’ is on this terminal; check "
                                "the code on the receipt."),
                              argv[1]);
        }
      return mn_cli_fail_error (cli, error);
    }

  events = mn_store_list_events (store, request->uuid, &error);
  if (events == NULL)
    return mn_cli_fail_error (cli, error);
  attachments = mn_store_list_attachments (store, request->uuid, &error);
  if (attachments == NULL)
    return mn_cli_fail_error (cli, error);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      add_request_members (builder, request);
      json_builder_set_member_name (builder, "events");
      json_builder_begin_array (builder);
      for (guint i = 0; i < events->len; i++)
        {
          MnEvent *event = g_ptr_array_index (events, i);

          json_builder_begin_object (builder);
          set_time_member (builder, "at", event->at);
          set_string_member (builder, "kind", event->kind);
          set_string_member (builder, "detail", event->detail);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_set_member_name (builder, "attachments");
      json_builder_begin_array (builder);
      for (guint i = 0; i < attachments->len; i++)
        {
          MnAttachment *a = g_ptr_array_index (attachments, i);
          g_autoptr(GError) problem = NULL;
          gboolean ok = mn_store_verify_attachment (store, a, &problem);

          json_builder_begin_object (builder);
          set_string_member (builder, "kind", a->kind);
          set_string_member (builder, "path", a->path);
          set_string_member (builder, "mime", a->mime);
          json_builder_set_member_name (builder, "byte_size");
          json_builder_add_int_value (builder, (gint64) a->byte_size);
          set_string_member (builder, "sha256", a->sha256);
          json_builder_set_member_name (builder, "duration_ms");
          json_builder_add_int_value (builder, a->duration_ms);
          set_time_member (builder, "created_at", a->created_at);
          json_builder_set_member_name (builder, "intact");
          json_builder_add_boolean_value (builder, ok);
          set_string_member (builder, "problem", ok ? NULL : problem->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      mn_cli_print_json (cli, json_builder_get_root (builder));
      return MN_CLI_EXIT_OK;
    }

  catalogue = mn_catalogue_load (store, NULL);
  category = catalogue != NULL ? mn_catalogue_lookup (catalogue, request->service_code) : NULL;
  display = mn_case_code_format (request->case_code);

  /* Translators: the labels of `minyin show`, one fact per line. */
  mn_cli_print (cli, _("Case code: %s\n"), display);
  if (request->platform_id != NULL)
    mn_cli_print (cli, _("Platform case number: %s\n"), request->platform_id);
  mn_cli_print (cli, _("Status: %s\n"), status_label (request->status));
  if (category != NULL)
    mn_cli_print (cli, _("Category: %s (%s)\n"), mn_category_get_name (category),
                  request->service_code);
  else
    mn_cli_print (cli, _("Category: %s\n"), request->service_code);
  mn_cli_print (cli, _("Urgency: %s\n"), mn_urgency_to_string (request->urgency));
  mn_cli_print (cli, _("Channel: %s\n"), mn_channel_to_string (request->channel));
  {
    g_autofree char *created = format_time_for_people (request->created_at);
    g_autofree char *deadline = format_time_for_people (request->deadline_at);

    mn_cli_print (cli, _("Filed: %s\n"), created);
    mn_cli_print (cli, _("Deadline: %s\n"), deadline);
  }
  if (request->expected_at > 0)
    {
      g_autofree char *expected = format_time_for_people (request->expected_at);
      mn_cli_print (cli, _("Expected by: %s\n"), expected);
    }
  if (request->agency != NULL)
    mn_cli_print (cli, _("Responsible agency: %s\n"), request->agency);
  if (request->place_code != NULL)
    mn_cli_print (cli, _("Place: %s\n"), request->place_code);
  if (request->address_text != NULL)
    mn_cli_print (cli, _("Address: %s\n"), request->address_text);
  if (request->anonymous || request->contact_hint == NULL)
    mn_cli_print (cli, "%s\n", _("Contact: anonymous"));
  else
    mn_cli_print (cli, _("Contact: %s\n"), request->contact_hint);
  if (request->filed_by != NULL)
    mn_cli_print (cli, _("Filed by: %s\n"), request->filed_by);
  print_answers (cli, store, request);
  mn_cli_print (cli, "%s\n%s\n", _("Description:"), request->description);
  if (attachments->len > 0)
    mn_cli_print (cli, "%s\n", _("Attachments:"));
  for (guint i = 0; i < attachments->len; i++)
    {
      MnAttachment *a = g_ptr_array_index (attachments, i);
      g_autoptr(GError) problem = NULL;
      g_autofree char *size = g_format_size (a->byte_size);
      g_autofree char *hash = g_strndup (a->sha256, 12);
      guint seconds = (a->duration_ms + 500) / 1000;

      if (g_strcmp0 (a->kind, MN_ATTACHMENT_KIND_VOICE_NOTE) == 0)
        mn_cli_print (cli,
                      /* Translators: one attachment in `minyin show`: its length in
                       * seconds, its size (e.g. "36.1 kB") and the start of its SHA-256. */
                      g_dngettext (GETTEXT_PACKAGE, "  voice note, %u second, %s, sha256 %s…\n",
                                   "  voice note, %u seconds, %s, sha256 %s…\n", seconds),
                      seconds, size, hash);
      else
        mn_cli_print (cli, "  %s, %s, sha256 %s…\n", a->kind, size, hash);
      /* The file is checked against its hash: a missing or damaged note is
       * said here, not found out when someone wants to hear it. */
      if (!mn_store_verify_attachment (store, a, &problem))
        mn_cli_print (cli, "    %s\n", problem->message);
    }
  if (request->status_notes != NULL)
    mn_cli_print (cli, "%s\n%s\n", _("Notes from the platform:"), request->status_notes);
  mn_cli_print (cli, "%s\n", _("Timeline:"));
  for (guint i = 0; i < events->len; i++)
    {
      MnEvent *event = g_ptr_array_index (events, i);
      g_autofree char *when = format_time_for_people (event->at);

      if (event->detail != NULL)
        mn_cli_print (cli, "  %s  %s: %s\n", when, event_label (event->kind), event->detail);
      else
        mn_cli_print (cli, "  %s  %s\n", when, event_label (event->kind));
    }
  return MN_CLI_EXIT_OK;
}

/* ---- minyin status ----------------------------------------------------- */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* Counts are printed in a stable order, so scripts and tests can diff. */
static GPtrArray *
sorted_keys (GHashTable *table)
{
  g_autoptr(GList) list = g_hash_table_get_keys (table);
  GPtrArray *keys = g_ptr_array_new ();

  for (GList *l = list; l != NULL; l = l->next)
    g_ptr_array_add (keys, l->data);
  g_ptr_array_sort (keys, compare_strings);
  return keys;
}

static void
add_counts (JsonBuilder *builder,
            const char  *name,
            GHashTable  *counts)
{
  g_autoptr(GPtrArray) keys = sorted_keys (counts);

  json_builder_set_member_name (builder, name);
  json_builder_begin_object (builder);
  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);

      json_builder_set_member_name (builder, key);
      json_builder_add_int_value (builder, GPOINTER_TO_UINT (g_hash_table_lookup (counts, key)));
    }
  json_builder_end_object (builder);
}

static guint
total_of (GHashTable *counts)
{
  GHashTableIter iter;
  gpointer value;
  guint total = 0;

  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    total += GPOINTER_TO_UINT (value);
  return total;
}

static void
print_counts (MnCli      *cli,
              GHashTable *counts,
              const char *(*label) (const char *word))
{
  g_autoptr(GPtrArray) keys = sorted_keys (counts);

  for (guint i = 0; i < keys->len; i++)
    {
      const char *key = g_ptr_array_index (keys, i);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));

      mn_cli_print (cli, "  %-28s %u\n", label != NULL ? label (key) : key, count);
    }
}

static const char *
outbox_label (const char *state)
{
  if (g_strcmp0 (state, "queued") == 0)
    /* Translators: the state of a message in the outbox. */
    return _("waiting to be sent");
  if (g_strcmp0 (state, "sending") == 0)
    return _("being sent");
  if (g_strcmp0 (state, "sent") == 0)
    return _("sent");
  if (g_strcmp0 (state, "retry") == 0)
    return _("waiting to be sent again");
  if (g_strcmp0 (state, "quarantined") == 0)
    return _("refused, waiting for staff");
  return state;
}

static int
run_status (MnCli  *cli,
            int     argc,
            char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GHashTable) by_status = NULL;
  g_autoptr(GHashTable) outbox = NULL;
  g_autoptr(MnCatalogue) catalogue = NULL;
  g_autoptr(MnDevice) device = NULL;
  g_autoptr(MnSyncState) sync_state = NULL;
  g_autoptr(GError) error = NULL;
  MnStore *store;
  int status;

  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra_arguments (cli, argc, argv, 0)) != MN_CLI_EXIT_OK)
    return status;

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;

  by_status = mn_store_count_by_status (store, &error);
  if (by_status == NULL)
    return mn_cli_fail_error (cli, error);
  outbox = mn_store_count_outbox (store, &error);
  if (outbox == NULL)
    return mn_cli_fail_error (cli, error);
  catalogue = mn_catalogue_load (store, &error);
  if (catalogue == NULL)
    return mn_cli_fail_error (cli, error);
  sync_state = mn_store_get_sync_state (store, &error);
  if (sync_state == NULL)
    return mn_cli_fail_error (cli, error);
  /* The identity is only shown; a terminal that cannot read it still
   * reports its counts. */
  device = mn_device_load (mn_cli_get_data_dir (cli), NULL);

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      set_string_member (builder, "data_dir", mn_cli_get_data_dir (cli));
      set_string_member (builder, "store_path", mn_store_get_path (store));
      json_builder_set_member_name (builder, "device");
      if (device != NULL)
        {
          json_builder_begin_object (builder);
          set_string_member (builder, "station", device->station);
          set_string_member (builder, "terminal", device->terminal);
          json_builder_end_object (builder);
        }
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "requests_total");
      json_builder_add_int_value (builder, total_of (by_status));
      add_counts (builder, "requests", by_status);
      json_builder_set_member_name (builder, "outbox_total");
      json_builder_add_int_value (builder, total_of (outbox));
      add_counts (builder, "outbox", outbox);
      json_builder_set_member_name (builder, "catalogue");
      json_builder_begin_object (builder);
      set_string_member (builder, "source",
                         mn_catalogue_get_source (catalogue) == MN_CATALOGUE_SOURCE_PLATFORM
                           ? "platform" : "bundled");
      set_time_member (builder, "fetched_at", mn_catalogue_get_fetched_at (catalogue));
      json_builder_end_object (builder);
      /* The platform as the sync client last saw it. */
      json_builder_set_member_name (builder, "sync");
      json_builder_begin_object (builder);
      set_time_member (builder, "last_contact", sync_state->last_contact);
      set_string_member (builder, "last_error", sync_state->last_error);
      set_time_member (builder, "last_error_at", sync_state->last_error_at);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
      mn_cli_print_json (cli, json_builder_get_root (builder));
      return MN_CLI_EXIT_OK;
    }

  mn_cli_print (cli, _("Data directory: %s\n"), mn_cli_get_data_dir (cli));
  if (device != NULL)
    mn_cli_print (cli, _("Station %s, terminal %s\n"), device->station, device->terminal);
  mn_cli_print (cli, ngettext ("%u request\n", "%u requests\n", total_of (by_status)),
                total_of (by_status));
  print_counts (cli, by_status, status_label);
  mn_cli_print (cli, ngettext ("%u message in the outbox\n", "%u messages in the outbox\n",
                               total_of (outbox)),
                total_of (outbox));
  print_counts (cli, outbox, outbox_label);
  if (mn_catalogue_get_source (catalogue) == MN_CATALOGUE_SOURCE_PLATFORM)
    {
      g_autofree char *when = format_time_for_people (mn_catalogue_get_fetched_at (catalogue));
      mn_cli_print (cli, _("Catalogue: the platform’s, fetched %s\n"), when);
    }
  else
    mn_cli_print (cli, "%s\n", _("Catalogue: the bundled default (not fetched from the platform yet)"));
  if (sync_state->last_contact != 0)
    {
      g_autofree char *when = format_time_for_people (sync_state->last_contact);
      mn_cli_print (cli, _("Last contact with the platform: %s\n"), when);
    }
  else
    mn_cli_print (cli, "%s\n", _("Last contact with the platform: never"));
  if (sync_state->last_error != NULL)
    mn_cli_print (cli, _("Last sync error: %s\n"), sync_state->last_error);
  return MN_CLI_EXIT_OK;
}

/* ---- minyin catalogue -------------------------------------------------- */

static int
catalogue_list (MnCli  *cli,
                int     argc,
                char  **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(MnCatalogue) catalogue = NULL;
  g_autoptr(GError) error = NULL;
  gboolean platform;
  MnStore *store;
  int status;

  g_option_context_set_summary (context, _("List the request categories this terminal offers, "
                                           "grouped, with where the list comes from."));
  if (!mn_cli_parse (cli, context, &argc, &argv))
    return MN_CLI_EXIT_USAGE;
  if ((status = refuse_extra_arguments (cli, argc, argv, 0)) != MN_CLI_EXIT_OK)
    return status;

  store = mn_cli_open_store (cli);
  if (store == NULL)
    return MN_CLI_EXIT_FAILURE;
  catalogue = mn_catalogue_load (store, &error);
  if (catalogue == NULL)
    return mn_cli_fail_error (cli, error);
  platform = mn_catalogue_get_source (catalogue) == MN_CATALOGUE_SOURCE_PLATFORM;

  if (cli->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      set_string_member (builder, "source", platform ? "platform" : "bundled");
      set_time_member (builder, "fetched_at", mn_catalogue_get_fetched_at (catalogue));
      json_builder_set_member_name (builder, "groups");
      json_builder_begin_array (builder);
      for (guint g = 0; g < mn_catalogue_get_n_groups (catalogue); g++)
        {
          const char *group_id = mn_catalogue_get_group_id (catalogue, g);
          g_autoptr(GPtrArray) members = mn_catalogue_list_group (catalogue, group_id);

          json_builder_begin_object (builder);
          set_string_member (builder, "id", group_id);
          set_string_member (builder, "name", mn_catalogue_get_group_name (catalogue, group_id));
          json_builder_set_member_name (builder, "categories");
          json_builder_begin_array (builder);
          for (guint i = 0; i < members->len; i++)
            {
              const MnCategory *category = g_ptr_array_index (members, i);

              json_builder_begin_object (builder);
              set_string_member (builder, "service_code", mn_category_get_code (category));
              set_string_member (builder, "name", mn_category_get_name (category));
              set_string_member (builder, "description", mn_category_get_description (category));
              set_string_member (builder, "icon_name", mn_category_get_icon_name (category));
              json_builder_set_member_name (builder, "metadata");
              json_builder_add_boolean_value (builder, mn_category_has_metadata (category));
              json_builder_set_member_name (builder, "phrases");
              json_builder_begin_array (builder);
              for (guint p = 0; p < mn_category_get_n_phrases (category); p++)
                json_builder_add_string_value (builder, mn_category_get_phrase (category, p));
              json_builder_end_array (builder);
              json_builder_end_object (builder);
            }
          json_builder_end_array (builder);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      mn_cli_print_json (cli, json_builder_get_root (builder));
      return MN_CLI_EXIT_OK;
    }

  if (platform)
    {
      g_autofree char *when = format_time_for_people (mn_catalogue_get_fetched_at (catalogue));
      mn_cli_print (cli, _("The platform’s catalogue, fetched %s:\n"), when);
    }
  else
    mn_cli_print (cli, "%s\n", _("The bundled default catalogue (the platform’s has not been "
                                 "fetched yet):"));

  for (guint g = 0; g < mn_catalogue_get_n_groups (catalogue); g++)
    {
      const char *group_id = mn_catalogue_get_group_id (catalogue, g);
      g_autoptr(GPtrArray) members = mn_catalogue_list_group (catalogue, group_id);

      mn_cli_print (cli, "\n%s\n", mn_catalogue_get_group_name (catalogue, group_id));
      for (guint i = 0; i < members->len; i++)
        {
          const MnCategory *category = g_ptr_array_index (members, i);

          mn_cli_print (cli, "  %-20s %s\n", mn_category_get_code (category),
                        mn_category_get_name (category));
        }
    }
  return MN_CLI_EXIT_OK;
}

static int
run_catalogue (MnCli  *cli,
               int     argc,
               char  **argv)
{
  if (argc >= 2 && strcmp (argv[1], "list") == 0)
    return catalogue_list (cli, argc - 1, argv + 1);

  /* `catalogue refresh` talks to the platform, which is sync/'s business:
   * it registers "catalogue-refresh", found here without the core
   * linking it. */
  if (argc >= 2 && strcmp (argv[1], "refresh") == 0 && find_command ("catalogue-refresh") != NULL)
    return find_command ("catalogue-refresh")->run (cli, argc - 1, argv + 1);

  if (argc >= 2 && is_help_flag (argv[1]))
    {
      mn_cli_print (cli, "%s\n\n  %-8s %s\n", _("Usage: minyin catalogue list [--json] "
                                                  "[--data-dir DIR]"),
                    "list", _("List the request categories this terminal offers"));
      return MN_CLI_EXIT_OK;
    }

  if (argc < 2)
    return mn_cli_usage_error (cli, _("Say what to do with the catalogue, e.g. ‘minyin "
                                      "catalogue list’."));
  {
    g_autofree char *shown = g_utf8_make_valid (argv[1], -1);

    return mn_cli_usage_error (cli,
                               /* Translators: %s is the word that was given after
                                * "catalogue". */
                               _("Unknown catalogue command ‘%s’. Run ‘minyin catalogue list’ "
                                 "to see the categories."),
                               shown);
  }
}

/* ---- minyin help ------------------------------------------------------- */

static void
print_overview (FILE *out)
{
  g_autoptr(GString) text = g_string_new (NULL);
  gsize width = 0;

  g_string_append_printf (text, "%s\n\n", _("Usage: minyin [COMMAND] [OPTION…]"));
  g_string_append_printf (text, "%s\n\n",
                          _("Without a command, minyin opens the terminal window. The commands "
                            "work without a screen:"));

  for (gsize i = 0; i < G_N_ELEMENTS (core_commands); i++)
    width = MAX (width, strlen (core_commands[i].name));
  for (guint i = 0; extra_commands != NULL && i < extra_commands->len; i++)
    width = MAX (width, strlen (((const MnCliCommand *) g_ptr_array_index (extra_commands, i))->name));

  for (gsize i = 0; i < G_N_ELEMENTS (core_commands); i++)
    g_string_append_printf (text, "  %-*s  %s\n", (int) width, core_commands[i].name,
                            _(core_commands[i].summary));
  for (guint i = 0; extra_commands != NULL && i < extra_commands->len; i++)
    {
      const MnCliCommand *command = g_ptr_array_index (extra_commands, i);
      g_string_append_printf (text, "  %-*s  %s\n", (int) width, command->name,
                              command->summary != NULL ? _(command->summary) : "");
    }

  g_string_append_printf (text, "\n%s\n",
                          _("Every command takes --data-dir DIR and --json. Run ‘minyin COMMAND "
                            "--help’ for the options of a command."));
  fputs (text->str, out);
}

static int dispatch (const MnCliCommand *command, int argc, char **argv);

static int
run_help (MnCli  *cli,
          int     argc,
          char  **argv)
{
  const MnCliCommand *command;
  char *help_argv[3];

  if (argc < 2 || is_help_flag (argv[1]))
    {
      print_overview (stdout);
      return MN_CLI_EXIT_OK;
    }

  command = find_command (argv[1]);
  if (command == NULL || command->run == run_help)
    {
      g_autofree char *shown = g_utf8_make_valid (argv[1], -1);

      return mn_cli_usage_error (cli,
                                 /* Translators: %s is the word given after "help". */
                                 _("Unknown command ‘%s’. Run ‘minyin help’ to see the "
                                   "commands."),
                                 shown);
    }

  help_argv[0] = (char *) command->name;
  help_argv[1] = (char *) "--help";
  help_argv[2] = NULL;
  return dispatch (command, 2, help_argv);
}

/* ---- Entry ------------------------------------------------------------- */

static int
dispatch (const MnCliCommand *command,
          int                 argc,
          char              **argv)
{
  MnCli cli = { .command = command };
  int status;

  status = command->run (&cli, argc, argv);

  fflush (stdout);
  g_clear_object (&cli.store);
  g_free (cli.data_dir_option);
  g_free (cli.data_dir);
  return status;
}

int
mn_cli_main (int    argc,
             char **argv)
{
  const MnCliCommand *command;
  g_autofree char *prgname = NULL;
  g_autofree char **args = NULL;
  int n_args;

  g_return_val_if_fail (argc >= 2, MN_CLI_EXIT_USAGE);

  if (is_help_flag (argv[1]))
    {
      print_overview (stdout);
      return MN_CLI_EXIT_OK;
    }

  command = find_command (argv[1]);
  if (command == NULL)
    {
      g_autofree char *shown = g_utf8_make_valid (argv[1], -1);

      fprintf (stderr, _("Unknown command ‘%s’. Run ‘minyin help’ to see the commands."), shown);
      fputc ('\n', stderr);
      return MN_CLI_EXIT_USAGE;
    }

  /* GOptionContext names the program in its usage line: make that the
   * command, so `minyin file --help` reads "Usage: minyin file ...".
   * `minyin help file` names the command it explains. */
  if (command->run == run_help && argc >= 3 && find_command (argv[2]) != NULL)
    prgname = g_strdup_printf ("minyin %s", argv[2]);
  else
    prgname = g_strdup_printf ("minyin %s", command->name);
  if (g_get_prgname () == NULL)
    g_set_prgname (prgname);

  /* The command sees its own argv: argv[0] is its name. GOptionContext
   * rearranges the vector, so give it a copy. */
  n_args = argc - 1;
  args = g_new0 (char *, n_args + 1);
  for (int i = 0; i < n_args; i++)
    args[i] = argv[i + 1];

  return dispatch (command, n_args, args);
}
