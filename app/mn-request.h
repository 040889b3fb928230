/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The four response levels (极急 / 急办 / 常规 / 争议). The nick of each
 * value is the word the command line and the platform use. */
typedef enum
{
  MN_URGENCY_ROUTINE,
  MN_URGENCY_IMMEDIATE,
  MN_URGENCY_SAME_DAY,
  MN_URGENCY_DISPUTE,
} MnUrgency;

/* How a request was filed: by a resident alone, by a helper on someone's
 * behalf (帮办代办), or by a grid worker out in the streets. */
typedef enum
{
  MN_CHANNEL_KIOSK,
  MN_CHANNEL_ASSISTED,
  MN_CHANNEL_FIELD,
} MnChannel;

const char *mn_urgency_to_string   (MnUrgency    urgency);
gboolean    mn_urgency_from_string (const char  *str,
                                    MnUrgency   *out_urgency);
/* Seconds between filing and the committed deadline for @urgency. */
gint64      mn_urgency_time_limit  (MnUrgency    urgency);
const char *mn_channel_to_string   (MnChannel    channel);
gboolean    mn_channel_from_string (const char  *str,
                                    MnChannel   *out_channel);

/* Local status words, kept in requests.status. The platform's own words
 * ("open", "closed") are mapped onto these by the sync code. */
#define MN_STATUS_SAVED       "saved"       /* on this terminal only, waiting in the outbox */
#define MN_STATUS_SENT        "sent"        /* the platform holds it (platform_id known) */
#define MN_STATUS_IN_PROGRESS "in_progress"
#define MN_STATUS_CLOSED      "closed"
#define MN_STATUS_REOPENED    "reopened"

/* Plain contact data as a person types it. Never stored: the store seals
 * it and keeps only a masked hint. Free it with mn_contact_free(), which
 * wipes the memory. */
typedef struct
{
  char *name;
  char *phone;
} MnContact;

MnContact *mn_contact_new  (const char *name,
                            const char *phone);
void       mn_contact_free (MnContact  *contact);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnContact, mn_contact_free)

/* A request (诉求) as the store holds it. A reference-counted record with
 * public fields: the store fills it, callers read it. Times are UNIX
 * seconds (UTC); 0 means "not known". */
typedef struct
{
  /*< private >*/
  grefcount ref_count;

  /*< public >*/
  gint64     id;            /* row id in this terminal's store */
  char      *uuid;          /* idempotency key, for ever */
  char      *case_code;     /* provisional case code, canonical digits */
  char      *platform_id;   /* the platform's service_request_id, or NULL */
  char      *service_code;  /* category */
  char      *group;         /* category group, may be NULL */
  MnUrgency  urgency;
  MnChannel  channel;
  char      *description;
  char      *place_code;    /* gazetteer code, may be NULL */
  char      *address_text;  /* free address, may be NULL */
  gboolean   has_location;
  double     lat;
  double     lon;
  gboolean   anonymous;
  char      *contact_hint;  /* masked, e.g. 138****8000; NULL when anonymous */
  gboolean   consent;
  char      *filed_by;      /* helper id for assisted filing, or NULL */
  gint64     created_at;
  gint64     deadline_at;
  char      *status;        /* one of MN_STATUS_* */
  char      *status_notes;
  char      *agency;
  gint64     expected_at;
  gint64     updated_at;
  /* Answers to the category's extra questions: a JSON object, code →
   * "value" or ["values"] (app/mn-questionnaire.h), or NULL for none. */
  char      *attributes;
} MnRequest;

#define MN_TYPE_REQUEST (mn_request_get_type ())
GType      mn_request_get_type (void) G_GNUC_CONST;
MnRequest *mn_request_new      (void);
MnRequest *mn_request_ref      (MnRequest *request);
void       mn_request_unref    (MnRequest *request);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnRequest, mn_request_unref)

/* The platform's limit on a description, in characters. */
#define MN_DESCRIPTION_MAX_CHARS 4000

/* Checks text a person gave (description, address, name): refuses invalid
 * UTF-8, text that is empty after cleaning, or longer than @max_chars, each
 * with a sentence saying what to do; otherwise returns a cleaned copy
 * (NFC, control characters other than newline and tab removed, CR LF made
 * LF, outer white space trimmed). SQL metacharacters and emoji are kept
 * verbatim. */
char *mn_request_clean_text (const char  *text,
                             gsize        max_chars,
                             GError     **error);

#define MN_REQUEST_ERROR (mn_request_error_quark ())
typedef enum
{
  MN_REQUEST_ERROR_INVALID_TEXT,
  MN_REQUEST_ERROR_EMPTY,
  MN_REQUEST_ERROR_TOO_LONG,
} MnRequestError;
GQuark mn_request_error_quark (void);

G_END_DECLS
