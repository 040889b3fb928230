/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <sodium.h>
#include <string.h>

#include "mn-request.h"

G_DEFINE_QUARK (mn-request-error-quark, mn_request_error)

/* The words the command line and the platform use, in enum order. */
static const char *const urgency_words[] = {
  [MN_URGENCY_ROUTINE] = "routine",
  [MN_URGENCY_IMMEDIATE] = "immediate",
  [MN_URGENCY_SAME_DAY] = "same_day",
  [MN_URGENCY_DISPUTE] = "dispute",
};

static const char *const channel_words[] = {
  [MN_CHANNEL_KIOSK] = "kiosk",
  [MN_CHANNEL_ASSISTED] = "assisted",
  [MN_CHANNEL_FIELD] = "field",
};

const char *
mn_urgency_to_string (MnUrgency urgency)
{
  g_return_val_if_fail ((guint) urgency < G_N_ELEMENTS (urgency_words), NULL);

  return urgency_words[urgency];
}

gboolean
mn_urgency_from_string (const char *str,
                        MnUrgency  *out_urgency)
{
  g_return_val_if_fail (out_urgency != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (urgency_words); i++)
    {
      if (g_ascii_strcasecmp (str, urgency_words[i]) == 0)
        {
          *out_urgency = (MnUrgency) i;
          return TRUE;
        }
    }

  /* People type "same-day" as often as "same_day". */
  if (g_ascii_strcasecmp (str, "same-day") == 0)
    {
      *out_urgency = MN_URGENCY_SAME_DAY;
      return TRUE;
    }

  return FALSE;
}

gint64
mn_urgency_time_limit (MnUrgency urgency)
{
  /* The committed response times of the four levels: 极急 two hours,
   * 急办 within the day, 常规 a week, 争议 fifteen days (disputes need
   * both sides heard). */
  switch (urgency)
    {
    case MN_URGENCY_IMMEDIATE:
      return 2 * 60 * 60;
    case MN_URGENCY_SAME_DAY:
      return 24 * 60 * 60;
    case MN_URGENCY_ROUTINE:
      return 7 * 24 * 60 * 60;
    case MN_URGENCY_DISPUTE:
      return 15 * 24 * 60 * 60;
    default:
      g_return_val_if_reached (7 * 24 * 60 * 60);
    }
}

const char *
mn_channel_to_string (MnChannel channel)
{
  g_return_val_if_fail ((guint) channel < G_N_ELEMENTS (channel_words), NULL);

  return channel_words[channel];
}

gboolean
mn_channel_from_string (const char *str,
                        MnChannel  *out_channel)
{
  g_return_val_if_fail (out_channel != NULL, FALSE);

  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (channel_words); i++)
    {
      if (g_ascii_strcasecmp (str, channel_words[i]) == 0)
        {
          *out_channel = (MnChannel) i;
          return TRUE;
        }
    }

  return FALSE;
}

static void
wipe_string (char **str)
{
  if (*str == NULL)
    return;

  sodium_memzero (*str, strlen (*str));
  g_clear_pointer (str, g_free);
}

MnContact *
mn_contact_new (const char *name,
                const char *phone)
{
  MnContact *contact = g_new0 (MnContact, 1);

  contact->name = g_strdup (name);
  contact->phone = g_strdup (phone);

  return contact;
}

void
mn_contact_free (MnContact *contact)
{
  if (contact == NULL)
    return;

  /* A name and a phone number must not linger in freed memory where a
   * core dump or the next allocation could show them. */
  wipe_string (&contact->name);
  wipe_string (&contact->phone);
  g_free (contact);
}

G_DEFINE_BOXED_TYPE (MnRequest, mn_request, mn_request_ref, mn_request_unref)

MnRequest *
mn_request_new (void)
{
  MnRequest *request = g_new0 (MnRequest, 1);

  g_ref_count_init (&request->ref_count);
  request->urgency = MN_URGENCY_ROUTINE;
  request->channel = MN_CHANNEL_KIOSK;

  return request;
}

MnRequest *
mn_request_ref (MnRequest *request)
{
  g_return_val_if_fail (request != NULL, NULL);

  g_ref_count_inc (&request->ref_count);

  return request;
}

void
mn_request_unref (MnRequest *request)
{
  g_return_if_fail (request != NULL);

  if (!g_ref_count_dec (&request->ref_count))
    return;

  g_free (request->uuid);
  g_free (request->case_code);
  g_free (request->platform_id);
  g_free (request->service_code);
  g_free (request->group);
  g_free (request->description);
  g_free (request->place_code);
  g_free (request->address_text);
  g_free (request->contact_hint);
  g_free (request->filed_by);
  g_free (request->status);
  g_free (request->status_notes);
  g_free (request->agency);
  g_free (request->attributes);
  g_free (request);
}

static gboolean
is_outer_space (gunichar c)
{
  /* g_unichar_isspace covers the ideographic space (U+3000) that Chinese
   * input methods produce. */
  return g_unichar_isspace (c) || c == 0xFEFF;
}

char *
mn_request_clean_text (const char *text,
                       gsize       max_chars,
                       GError    **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GString) out = NULL;
  const char *start;
  const char *end;
  glong n_chars;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    {
      g_set_error_literal (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_INVALID_TEXT,
                           _("The text contains bytes that are not valid characters; "
                             "please type it again."));
      return NULL;
    }

  /* Precomposed forms (NFC), so that the same words typed on two input
   * methods are stored, searched and counted the same way. */
  normalized = g_utf8_normalize (text, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  if (normalized == NULL)
    {
      g_set_error_literal (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_INVALID_TEXT,
                           _("The text contains bytes that are not valid characters; "
                             "please type it again."));
      return NULL;
    }

  out = g_string_sized_new (strlen (normalized));
  for (const char *p = normalized; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\r')
        {
          /* CR LF and a lone CR both become one LF. */
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
          continue;
        }

      if (c == '\n' || c == '\t')
        {
          g_string_append_c (out, (char) c);
          continue;
        }

      /* Other control characters (escape sequences, NUL-like bytes, C1
       * controls) have no place in a description and can upset terminals
       * and printers downstream. */
      if (g_unichar_iscntrl (c))
        continue;

      g_string_append_unichar (out, c);
    }

  /* Trim outer white space, Unicode-aware. */
  start = out->str;
  end = out->str + out->len;
  while (start < end && is_outer_space (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!is_outer_space (g_utf8_get_char (prev)))
        break;
      end = prev;
    }

  if (start == end)
    {
      g_set_error_literal (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_EMPTY,
                           _("Nothing was entered; please add a few words."));
      return NULL;
    }

  n_chars = g_utf8_strlen (start, end - start);
  if (max_chars > 0 && (gsize) n_chars > max_chars)
    {
      gsize over = (gsize) n_chars - max_chars;

      g_set_error (error, MN_REQUEST_ERROR, MN_REQUEST_ERROR_TOO_LONG,
                   /* Translators: the first number is how many characters
                    * must go, the second the limit. */
                   ngettext ("The text is %u character over the limit of %u; please shorten it.",
                             "The text is %u characters over the limit of %u; please shorten it.",
                             (gulong) over),
                   (guint) over, (guint) max_chars);
      return NULL;
    }

  return g_strndup (start, end - start);
}
