/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "mn-request.h"
#include "mn-sync-config.h"
#include "mn-transport.h"

G_BEGIN_DECLS

/* The Open311 GeoReport v2 codec: what goes into a POST and what an
 * answer means. Pure functions, no I/O, so every tolerance is unit-tested.
 * Tolerant of what real servers send (ids as numbers or strings, 0
 * included; booleans as "true"/"false"; float noise; error bodies of any
 * kind), strict about the shape: only a well-formed answer of the
 * expected shape counts as success. */

/* A category's service definition (services/CODE.json), as far as the
 * terminal needs it: which attributes it declares, and for list
 * attributes which values it accepts. */
typedef struct _MnServiceDefinition MnServiceDefinition;

MnServiceDefinition *mn_service_definition_parse    (const char  *body,
                                                     gssize       length,
                                                     GError     **error);
void                 mn_service_definition_free     (MnServiceDefinition *definition);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnServiceDefinition, mn_service_definition_free)
gboolean             mn_service_definition_declares (const MnServiceDefinition *definition,
                                                     const char  *code);
/* TRUE when @value may be sent for @code: declared, and within values[]
 * when the attribute lists its values. */
gboolean             mn_service_definition_accepts  (const MnServiceDefinition *definition,
                                                     const char  *code,
                                                     const char  *value);

/* One service of services.json. */
typedef struct
{
  char     *code;
  gboolean  metadata;
} MnServiceInfo;

/* Validates a services.json body: a JSON array of objects each with a
 * service_code (string or number). Element type MnServiceInfo. */
GPtrArray *mn_open311_parse_services (const char *body,
                                      gssize      length,
                                      GError    **error);

/* The form body of POST requests.json. Attributes (client_uuid, case_code,
 * urgency, channel, helper_id, consent) go only when @definition declares
 * them (@definition NULL: none). @contact may be NULL. */
char      *mn_open311_encode_create  (const MnRequest           *request,
                                      const MnContact           *contact,
                                      const MnServiceDefinition *definition,
                                      const MnSyncConfig        *config,
                                      const char                *device_id);

/* The form body of POST servicerequestupdates.json from an "update"
 * outbox payload (JSON object: update_id, status, description,
 * updated_at). NULL with MN_SYNC_ERROR_SHAPE if the payload is unusable. */
char      *mn_open311_encode_update  (const char                *payload,
                                      const char                *platform_id,
                                      const MnSyncConfig        *config,
                                      char                     **out_update_id,
                                      GError                   **error);

/* Judges an HTTP answer that should hold JSON: a 2xx whose body parses.
 * Fails with CAPTIVE (HTML), MALFORMED (not JSON / truncated), BUSY
 * (429/503, with the Retry-After), SERVER (5xx), REFUSED (4xx carrying the
 * server's reason), NOT_FOUND (404 when @not_found_ok). */
JsonNode  *mn_open311_check_answer   (const MnResponse *response,
                                      gboolean          not_found_ok,
                                      GError          **error);

/* The reason a server gave in an error body: the description of an
 * Open311 error array, a JSON object's "description"/"message"/"error",
 * or a short plain text; NULL for HTML or nothing. */
char      *mn_open311_error_reason   (const MnResponse *response);

/* The answer to a create: [{"service_request_id": …}] or [{"token": …}].
 * Sets one of @out_id / @out_token. */
gboolean   mn_open311_parse_created  (JsonNode   *answer,
                                      char      **out_id,
                                      char      **out_token,
                                      GError    **error);

/* The answer to tokens/{token}.json: the id, or NULL with no error when the
 * platform has not decided yet (an element without an id), or NOT_FOUND
 * when the answer is [] (unknown token). */
gboolean   mn_open311_parse_token    (JsonNode   *answer,
                                      char      **out_id,
                                      GError    **error);

/* One case as GET requests.json returns it. */
typedef struct
{
  char   *id;
  char   *status;        /* "open" / "closed" as the platform said it */
  char   *status_notes;
  char   *agency;
  gint64  expected_at;   /* 0 when absent */
  gint64  updated_at;    /* 0 when absent */
  char   *token;
} MnOpen311Case;

void       mn_open311_case_free      (MnOpen311Case *c);

/* A list of cases; [] is a valid empty list. Elements that are not
 * objects with an id make the whole answer wrong-shaped. Element type
 * MnOpen311Case. */
GPtrArray *mn_open311_parse_cases    (JsonNode   *answer,
                                      GError    **error);

/* The answer to an update: [{"update_id": …}]. */
gboolean   mn_open311_parse_update   (JsonNode   *answer,
                                      GError    **error);

/* The local status word (MN_STATUS_*) for a case the platform reports. */
const char *mn_open311_local_status  (const MnOpen311Case *c);

/* An id as JSON gives it: a string or an integer (0 included), as text;
 * NULL for anything else. */
char      *mn_open311_id_from_node   (JsonNode   *node);

/* "true"/"false" strings, numbers 0/1 and JSON booleans. */
gboolean   mn_open311_boolean        (JsonNode   *node,
                                      gboolean    fallback);

G_END_DECLS
