/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Open311 codec and the platform settings' checks: every tolerance
 * PROTOCOL.md lists under "What real servers do", and every answer that
 * must not count as success. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mn-open311.h"
#include "mn-sync-config.h"

static JsonNode *
json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return json_node_ref (json_parser_get_root (parser));
}

static MnResponse *
response (guint       status,
          const char *content_type,
          const char *body)
{
  MnResponse *r = g_new0 (MnResponse, 1);

  r->status = status;
  r->content_type = g_strdup (content_type);
  r->body = g_bytes_new (body, strlen (body));
  r->retry_after = -1;
  return r;
}

static void
test_ids (void)
{
  struct { const char *json; const char *id; } cases[] = {
    { "0", "0" },
    { "123", "123" },
    { "\"SQ20250301000001\"", "SQ20250301000001" },
    { "\"0\"", "0" },
    { "12.0", "12" },
    { "\" 42 \"", "42" },
    { "\"\"", NULL },
    { "null", NULL },
    { "true", NULL },
    { "1.5", NULL },
    { "[1]", NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json (cases[i].json);
      g_autofree char *id = mn_open311_id_from_node (node);

      g_assert_cmpstr (id, ==, cases[i].id);
    }
}

static void
test_booleans (void)
{
  struct { const char *json; gboolean value; } cases[] = {
    { "true", TRUE }, { "false", FALSE }, { "\"true\"", TRUE }, { "\"false\"", FALSE },
    { "\"TRUE\"", TRUE }, { "1", TRUE }, { "0", FALSE }, { "\"1\"", TRUE }, { "\"\"", FALSE },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = json (cases[i].json);

      g_assert_cmpint (mn_open311_boolean (node, !cases[i].value), ==, cases[i].value);
    }
  g_assert_true (mn_open311_boolean (NULL, TRUE));
}

static void
test_created (void)
{
  struct { const char *json; const char *id; const char *token; } good[] = {
    { "[{\"service_request_id\": 0, \"service_notice\": \"ok\"}]", "0", NULL },
    { "[{\"service_request_id\": \"SQ1\", \"account_id\": null}]", "SQ1", NULL },
    { "[{\"service_request_id\": \"0\"}]", "0", NULL },
    { "[{\"token\": \"abc-1\", \"service_notice\": \"later\"}]", NULL, "abc-1" },
    { "[{\"service_request_id\": null, \"token\": 77}]", NULL, "77" },
  };
  const char *bad[] = {
    "[]",
    "{\"service_request_id\": 1}",
    "[{\"code\": 400, \"description\": \"service_code is required.\"}]",
    "[1]",
    "[{\"service_notice\": \"no id\"}]",
    "\"1\"",
    "[{\"service_request_id\": true}]",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(JsonNode) node = json (good[i].json);
      g_autofree char *id = NULL;
      g_autofree char *token = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (mn_open311_parse_created (node, &id, &token, &error));
      g_assert_no_error (error);
      g_assert_cmpstr (id, ==, good[i].id);
      g_assert_cmpstr (token, ==, good[i].token);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(JsonNode) node = json (bad[i]);
      g_autofree char *id = NULL;
      g_autofree char *token = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("wrong shape: %s", bad[i]);
      g_assert_false (mn_open311_parse_created (node, &id, &token, &error));
      g_assert_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_SHAPE);
      g_assert_null (id);
      g_assert_null (token);
    }
}

static void
test_answers (void)
{
  struct
  {
    guint       status;
    const char *type;
    const char *body;
    int         code;       /* -1: success */
    const char *reason;     /* part of the message, or NULL */
  } cases[] = {
    { 200, "application/json", "[]", -1, NULL },
    { 201, "application/json; charset=utf-8", "[{\"service_request_id\": 1}]", -1, NULL },
    /* A captive portal: HTML with 200, with or without an honest type. */
    { 200, "text/html", "<!DOCTYPE html><html><body>Wi-Fi login</body></html>",
      MN_SYNC_ERROR_CAPTIVE, "Wi-Fi" },
    { 200, "application/json", "  <html>login</html>", MN_SYNC_ERROR_CAPTIVE, NULL },
    { 302, "text/html", "", MN_SYNC_ERROR_CAPTIVE, NULL },
    /* Malformed and truncated JSON. */
    { 200, "application/json", "{not json", MN_SYNC_ERROR_MALFORMED, NULL },
    { 200, "application/json", "[{\"service_request_id\": 1, \"serv", MN_SYNC_ERROR_MALFORMED,
      NULL },
    { 200, "application/json", "", MN_SYNC_ERROR_MALFORMED, NULL },
    /* Busy. */
    { 503, "application/json", "[{\"code\":503,\"description\":\"busy\"}]", MN_SYNC_ERROR_BUSY,
      NULL },
    { 429, NULL, "", MN_SYNC_ERROR_BUSY, NULL },
    /* Server errors with bodies of every kind. */
    { 500, "text/html", "<html>oops</html>", MN_SYNC_ERROR_SERVER, "500" },
    { 500, "application/json", "[{\"code\":500,\"description\":\"db down\"}]",
      MN_SYNC_ERROR_SERVER, "db down" },
    { 502, NULL, "", MN_SYNC_ERROR_SERVER, NULL },
    /* Refusals carry the server's reason, from every kind of body. */
    { 400, "application/json", "[{\"code\":400,\"description\":\"service_code is required.\"}]",
      MN_SYNC_ERROR_REFUSED, "service_code is required." },
    { 400, "application/json", "{\"error\": \"bad thing\"}", MN_SYNC_ERROR_REFUSED, "bad thing" },
    { 422, "application/json", "{\"message\": \"unprocessable\"}", MN_SYNC_ERROR_REFUSED,
      "unprocessable" },
    { 403, "text/plain", "api_key refused\n", MN_SYNC_ERROR_REFUSED, "api_key refused" },
    { 400, NULL, "", MN_SYNC_ERROR_REFUSED, "400" },
    { 404, "application/json", "[{\"code\":404,\"description\":\"no such service\"}]",
      MN_SYNC_ERROR_REFUSED, "no such service" },
    /* An HTML 4xx is a proxy, not the platform's refusal. */
    { 403, "text/html", "<html>blocked by proxy</html>", MN_SYNC_ERROR_CAPTIVE, NULL },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MnResponse) r = response (cases[i].status, cases[i].type, cases[i].body);
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = mn_open311_check_answer (r, FALSE, &error);

      g_test_message ("answer %u %s: %s", cases[i].status, cases[i].type, cases[i].body);
      if (cases[i].code < 0)
        {
          g_assert_no_error (error);
          g_assert_nonnull (node);
          continue;
        }
      g_assert_null (node);
      g_assert_error (error, MN_SYNC_ERROR, cases[i].code);
      if (cases[i].reason != NULL)
        g_assert_nonnull (strstr (error->message, cases[i].reason));
    }

  {
    g_autoptr(MnResponse) r = response (404, "text/html", "<html>not here</html>");
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = mn_open311_check_answer (r, TRUE, &error);

    g_assert_null (node);
    g_assert_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_FOUND);
  }
}

static void
test_cases (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json (
    "[{\"service_request_id\": 0, \"status\": \"open\", \"status_notes\": null,"
    "  \"agency_responsible\": \"街道\", \"expected_datetime\": null,"
    "  \"lat\": 51.43999862670898, \"long\": \"0.1\"},"
    " {\"service_request_id\": \"SQ2\", \"status\": \"Closed\", \"status_notes\": \"已办结\","
    "  \"expected_datetime\": \"2025-03-01T10:00:00+08:00\","
    "  \"updated_datetime\": \"2025-03-01T09:00:00\"},"
    " {\"service_request_id\": \"3\", \"status\": \"open\","
    "  \"expected_datetime\": \"2025-03-01T10:00:00+08:00\"}]");
  g_autoptr(GPtrArray) cases = mn_open311_parse_cases (node, &error);
  MnOpen311Case *c;

  g_assert_no_error (error);
  g_assert_cmpuint (cases->len, ==, 3);
  c = g_ptr_array_index (cases, 0);
  g_assert_cmpstr (c->id, ==, "0");
  g_assert_cmpstr (mn_open311_local_status (c), ==, MN_STATUS_SENT);
  c = g_ptr_array_index (cases, 1);
  g_assert_cmpstr (c->status, ==, "closed");
  g_assert_cmpstr (mn_open311_local_status (c), ==, MN_STATUS_CLOSED);
  g_assert_cmpint (c->expected_at, ==, 1740794400);
  g_assert_cmpint (c->updated_at, !=, 0);
  c = g_ptr_array_index (cases, 2);
  g_assert_cmpstr (mn_open311_local_status (c), ==, MN_STATUS_IN_PROGRESS);

  {
    g_autoptr(JsonNode) empty = json ("[]");
    g_autoptr(GPtrArray) none = mn_open311_parse_cases (empty, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }
  {
    const char *bad[] = { "{\"service_request_id\": 1}", "[{\"status\": \"open\"}]", "[3]",
                          "[{\"code\": 404, \"description\": \"unknown\"}]" };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(JsonNode) n = json (bad[i]);
        g_autoptr(GError) e = NULL;
        g_autoptr(GPtrArray) list = mn_open311_parse_cases (n, &e);

        g_assert_null (list);
        g_assert_error (e, MN_SYNC_ERROR, MN_SYNC_ERROR_SHAPE);
      }
  }
}

static void
test_token (void)
{
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) empty = json ("[]");
  g_autoptr(JsonNode) pending = json ("[{\"token\": \"t1\"}]");
  g_autoptr(JsonNode) done = json ("[{\"token\": \"t1\", \"service_request_id\": 0}]");
  g_autoptr(JsonNode) object = json ("{\"token\": \"t1\", \"service_request_id\": 5}");

  g_assert_false (mn_open311_parse_token (empty, &id, &error));
  g_assert_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_true (mn_open311_parse_token (pending, &id, &error));
  g_assert_no_error (error);
  g_assert_null (id);

  g_assert_true (mn_open311_parse_token (done, &id, &error));
  g_assert_cmpstr (id, ==, "0");
  g_clear_pointer (&id, g_free);

  g_assert_false (mn_open311_parse_token (object, &id, &error));
  g_assert_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_SHAPE);
}

static const char DEFINITION[] =
  "{\"service_code\": \"noise\", \"attributes\": ["
  " {\"variable\": \"true\", \"code\": \"urgency\", \"datatype\": \"singlevaluelist\","
  "  \"required\": \"false\", \"values\": [{\"key\": \"immediate\", \"name\": \"极急\"},"
  "  {\"key\": \"routine\", \"name\": \"常规\"}]},"
  " {\"variable\": true, \"code\": \"client_uuid\", \"datatype\": \"string\", \"required\": false,"
  "  \"values\": []},"
  " {\"variable\": true, \"code\": 7, \"datatype\": \"number\"},"
  " \"junk\","
  " {\"variable\": true, \"datatype\": \"string\"}"
  "]}";

static void
test_definition (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnServiceDefinition) d = mn_service_definition_parse (DEFINITION, -1, &error);

  g_assert_no_error (error);
  g_assert_true (mn_service_definition_declares (d, "urgency"));
  g_assert_true (mn_service_definition_declares (d, "client_uuid"));
  g_assert_true (mn_service_definition_declares (d, "7"));
  g_assert_false (mn_service_definition_declares (d, "case_code"));
  g_assert_true (mn_service_definition_accepts (d, "urgency", "routine"));
  g_assert_false (mn_service_definition_accepts (d, "urgency", "dispute"));
  g_assert_true (mn_service_definition_accepts (d, "client_uuid", "anything"));
  g_assert_false (mn_service_definition_accepts (NULL, "urgency", "routine"));

  {
    g_autoptr(MnServiceDefinition) none = mn_service_definition_parse (
      "{\"service_code\": \"x\", \"attributes\": null}", -1, &error);

    g_assert_no_error (error);
    g_assert_false (mn_service_definition_declares (none, "urgency"));
  }
  {
    g_autoptr(MnServiceDefinition) wrapped = mn_service_definition_parse (
      "[{\"service_code\": \"x\", \"attributes\": [{\"code\": \"consent\"}]}]", -1, &error);

    g_assert_no_error (error);
    g_assert_true (mn_service_definition_declares (wrapped, "consent"));
  }
  {
    const char *bad[] = { "<html>login</html>", "{\"attributes\": 3}", "\"x\"", "[1,2]" };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) e = NULL;
        g_autoptr(MnServiceDefinition) x = mn_service_definition_parse (bad[i], -1, &e);

        g_assert_null (x);
        g_assert_nonnull (e);
      }
  }
}

static void
test_services (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = mn_open311_parse_services (
    "[{\"service_code\": \"lift\", \"metadata\": \"true\", \"type\": \"realtime\"},"
    " {\"service_code\": 12, \"metadata\": false},"
    " {\"service_code\": \"other\", \"metadata\": \"false\"}]",
    -1, &error);
  MnServiceInfo *info;

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 3);
  info = g_ptr_array_index (list, 0);
  g_assert_cmpstr (info->code, ==, "lift");
  g_assert_true (info->metadata);
  info = g_ptr_array_index (list, 1);
  g_assert_cmpstr (info->code, ==, "12");
  g_assert_false (info->metadata);
  info = g_ptr_array_index (list, 2);
  g_assert_false (info->metadata);

  {
    const char *bad[] = { "[]", "{\"services\": 1}", "<html></html>", "[{\"name\": \"x\"}]",
                          "[{\"service_code\": \"a\"" };

    for (gsize i = 0; i < G_N_ELEMENTS (bad); i++)
      {
        g_autoptr(GError) e = NULL;
        g_autoptr(GPtrArray) x = mn_open311_parse_services (bad[i], -1, &e);

        g_assert_null (x);
        g_assert_nonnull (e);
      }
  }
}

static GHashTable *
decode_form (const char *form)
{
  g_autoptr(GError) error = NULL;
  GHashTable *params = g_uri_parse_params (form, -1, "&", G_URI_PARAMS_WWW_FORM, &error);

  g_assert_no_error (error);
  return params;
}

static MnRequest *
sample_request (void)
{
  MnRequest *r = mn_request_new ();

  r->uuid = g_strdup ("6f1c9a52-3b7e-4c8e-9d61-2a5b7e1f0c33");
  r->case_code = g_strdup ("3309012503010001");
  r->service_code = g_strdup ("noise");
  r->urgency = MN_URGENCY_DISPUTE;
  r->channel = MN_CHANNEL_ASSISTED;
  r->description = g_strdup ("楼上 & 楼下=吵闹 +100% 🙂\n第二行");
  r->address_text = g_strdup ("幸福小区 3 号楼");
  r->has_location = TRUE;
  r->lat = 31.2304;
  r->lon = 121.4737;
  r->consent = TRUE;
  r->filed_by = g_strdup ("staff-7");
  return r;
}

static void
test_encode_create (void)
{
  g_autoptr(MnRequest) r = sample_request ();
  g_autoptr(MnSyncConfig) config = mn_sync_config_new ();
  g_autoptr(MnServiceDefinition) d = mn_service_definition_parse (DEFINITION, -1, NULL);
  g_autoptr(MnContact) contact = mn_contact_new ("王芳", "13800138000");
  g_autofree char *form = NULL;
  g_autoptr(GHashTable) p = NULL;

  config->base_url = g_strdup ("https://p.example/open311/v2/");
  config->api_key = g_strdup ("k&y=1");

  /* Without a definition: the standard fields only, no jurisdiction. */
  form = mn_open311_encode_create (r, contact, NULL, config, "minyin-3309-01");
  p = decode_form (form);
  g_assert_cmpstr (g_hash_table_lookup (p, "api_key"), ==, "k&y=1");
  g_assert_cmpstr (g_hash_table_lookup (p, "service_code"), ==, "noise");
  g_assert_cmpstr (g_hash_table_lookup (p, "description"), ==, r->description);
  g_assert_cmpstr (g_hash_table_lookup (p, "address_string"), ==, "幸福小区 3 号楼");
  g_assert_cmpstr (g_hash_table_lookup (p, "lat"), ==, "31.2304000");
  g_assert_cmpstr (g_hash_table_lookup (p, "long"), ==, "121.4737000");
  g_assert_cmpstr (g_hash_table_lookup (p, "phone"), ==, "13800138000");
  g_assert_cmpstr (g_hash_table_lookup (p, "device_id"), ==, "minyin-3309-01");
  g_assert_false (g_hash_table_contains (p, "jurisdiction_id"));
  {
    GHashTableIter iter;
    gpointer key;

    g_hash_table_iter_init (&iter, p);
    while (g_hash_table_iter_next (&iter, &key, NULL))
      g_assert_false (g_str_has_prefix (key, "attribute["));
  }
  g_clear_pointer (&p, g_hash_table_unref);
  g_clear_pointer (&form, g_free);

  /* With the definition: only what it declares, only values it lists. The
   * urgency "dispute" is not among its values, so it is left out. */
  config->jurisdiction = g_strdup ("city.example");
  form = mn_open311_encode_create (r, NULL, d, config, "minyin-3309-01");
  p = decode_form (form);
  g_assert_cmpstr (g_hash_table_lookup (p, "jurisdiction_id"), ==, "city.example");
  g_assert_cmpstr (g_hash_table_lookup (p, "attribute[client_uuid]"), ==, r->uuid);
  g_assert_false (g_hash_table_contains (p, "attribute[urgency]"));
  g_assert_false (g_hash_table_contains (p, "attribute[case_code]"));
  g_assert_false (g_hash_table_contains (p, "attribute[channel]"));
  g_assert_false (g_hash_table_contains (p, "attribute[helper_id]"));
  g_assert_false (g_hash_table_contains (p, "attribute[consent]"));
  g_assert_false (g_hash_table_contains (p, "phone"));
  g_clear_pointer (&p, g_hash_table_unref);
  g_clear_pointer (&form, g_free);

  r->urgency = MN_URGENCY_ROUTINE;
  form = mn_open311_encode_create (r, NULL, d, config, "minyin-3309-01");
  p = decode_form (form);
  g_assert_cmpstr (g_hash_table_lookup (p, "attribute[urgency]"), ==, "routine");
}

static void
test_encode_update (void)
{
  g_autoptr(MnSyncConfig) config = mn_sync_config_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *update_id = NULL;
  g_autofree char *form = NULL;
  g_autoptr(GHashTable) p = NULL;

  config->api_key = g_strdup ("key");
  form = mn_open311_encode_update ("{\"update_id\": \"u-1\", \"status\": \"REOPEN\", "
                                   "\"description\": \"仍未解决\", \"updated_at\": 1740794400}",
                                   "0", config, &update_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (update_id, ==, "u-1");
  p = decode_form (form);
  g_assert_cmpstr (g_hash_table_lookup (p, "service_request_id"), ==, "0");
  g_assert_cmpstr (g_hash_table_lookup (p, "status"), ==, "REOPEN");
  g_assert_cmpstr (g_hash_table_lookup (p, "description"), ==, "仍未解决");
  g_assert_cmpstr (g_hash_table_lookup (p, "api_key"), ==, "key");
  g_assert_nonnull (g_hash_table_lookup (p, "updated_datetime"));

  g_assert_null (mn_open311_encode_update ("not json", "1", config, NULL, &error));
  g_assert_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_SHAPE);
}

static void
test_error_reason (void)
{
  g_autoptr(MnResponse) html = response (400, "text/html", "<html>x</html>");
  g_autoptr(MnResponse) empty = response (400, NULL, "");
  g_autoptr(MnResponse) nested = response (400, "application/json",
                                           "{\"error\": {\"message\": \"nested reason\"}}");
  g_autofree char *a = mn_open311_error_reason (html);
  g_autofree char *b = mn_open311_error_reason (empty);
  g_autofree char *c = mn_open311_error_reason (nested);

  g_assert_null (a);
  g_assert_null (b);
  g_assert_cmpstr (c, ==, "nested reason");
}

static void
test_config_check (void)
{
  struct { const char *url; int code; } cases[] = {
    { "https://platform.example/open311/v2/", -1 },
    { "https://platform.example/open311/v2", -1 },
    { "http://127.0.0.1:8311/open311/v2/", -1 },
    { "http://localhost/open311/v2/", -1 },
    { "http://[::1]:8311/open311/v2/", -1 },
    { "http://platform.example/open311/v2/", MN_SYNC_ERROR_CONFIG },
    { "http://10.0.0.1/open311/v2/", MN_SYNC_ERROR_CONFIG },
    { "ftp://platform.example/", MN_SYNC_ERROR_CONFIG },
    { "platform.example", MN_SYNC_ERROR_CONFIG },
    { "", MN_SYNC_ERROR_NOT_PROVISIONED },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MnSyncConfig) c = mn_sync_config_new ();
      g_autoptr(GError) error = NULL;

      c->base_url = g_strdup (cases[i].url);
      g_test_message ("url %s", cases[i].url);
      if (cases[i].code < 0)
        {
          g_assert_true (mn_sync_config_check (c, &error));
          g_assert_no_error (error);
          g_assert_true (g_str_has_suffix (c->base_url, "/"));
        }
      else
        {
          g_assert_false (mn_sync_config_check (c, &error));
          g_assert_error (error, MN_SYNC_ERROR, cases[i].code);
        }
    }

  {
    g_autoptr(MnSyncConfig) c = mn_sync_config_new ();
    g_autoptr(GError) error = NULL;

    c->base_url = g_strdup ("https://p.example/");
    c->pin_sha256 = g_strdup ("sha256//notbase64");
    g_assert_false (mn_sync_config_check (c, &error));
    g_assert_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG);
    g_clear_error (&error);
    g_free (c->pin_sha256);
    c->pin_sha256 = g_strdup ("gBSg1sihs8UpFaV7XY37e7OHAx5DQj9xTOcJsFnXjbc=");
    g_assert_true (mn_sync_config_check (c, &error));
    g_assert_cmpstr (c->pin_sha256, ==, "sha256//gBSg1sihs8UpFaV7XY37e7OHAx5DQj9xTOcJsFnXjbc=");
  }
}

static void
test_config_files (void)
{
  g_autofree char *dir = g_dir_make_tmp ("minyin-sync-config-XXXXXX", NULL);
  g_autoptr(MnSyncConfig) c = mn_sync_config_new ();
  g_autoptr(MnSyncConfig) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_path = g_build_filename (dir, "platform-api-key", NULL);
  g_autofree char *ini_path = g_build_filename (dir, "platform.ini", NULL);
  g_autofree char *ini = NULL;
  GStatBuf st;

  loaded = mn_sync_config_load (dir, &error);
  g_assert_null (loaded);
  g_assert_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_PROVISIONED);
  g_clear_error (&error);

  c->base_url = g_strdup ("https://p.example/open311/v2");
  c->api_key = g_strdup ("s3cret-key");
  g_assert_true (mn_sync_config_save (c, dir, &error));
  g_assert_no_error (error);

  /* The secret is in its own file, readable by its owner only, and not in
   * the settings. */
  g_assert_cmpint (g_stat (key_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (ini_path, &ini, NULL, NULL));
  g_assert_null (strstr (ini, "s3cret"));

  loaded = mn_sync_config_load (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->base_url, ==, "https://p.example/open311/v2/");
  g_assert_cmpstr (loaded->api_key, ==, "s3cret-key");
  g_assert_null (loaded->jurisdiction);

  g_unlink (key_path);
  g_unlink (ini_path);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/open311/ids", test_ids);
  g_test_add_func ("/open311/booleans", test_booleans);
  g_test_add_func ("/open311/created", test_created);
  g_test_add_func ("/open311/answers", test_answers);
  g_test_add_func ("/open311/cases", test_cases);
  g_test_add_func ("/open311/token", test_token);
  g_test_add_func ("/open311/definition", test_definition);
  g_test_add_func ("/open311/services", test_services);
  g_test_add_func ("/open311/encode-create", test_encode_create);
  g_test_add_func ("/open311/encode-update", test_encode_update);
  g_test_add_func ("/open311/error-reason", test_error_reason);
  g_test_add_func ("/sync-config/check", test_config_check);
  g_test_add_func ("/sync-config/files", test_config_files);

  return g_test_run ();
}
