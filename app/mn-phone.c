/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-phone.h"

G_DEFINE_QUARK (mn-phone-error-quark, mn_phone_error)

/* Characters people put between digits when they write a number down or
 * copy it from a card: they carry no meaning and are dropped. */
static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '-':
    case '.':
    case '(':
    case ')':
    case '/':
    case 0x00A0: /* no-break space */
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2014: /* em dash */
    case 0x3000: /* ideographic space */
    case 0xFF08: /* full-width brackets */
    case 0xFF09:
    case 0xFF0D: /* full-width hyphen-minus */
    case 0xFF0E: /* full-width full stop */
    case 0x30FC: /* katakana prolonged sound mark, which IMEs give for a dash */
      return TRUE;
    default:
      return FALSE;
    }
}

/* The area codes with two digits after the 0 are 010 (Beijing) and
 * 020–029; every other area code has three. */
static gsize
area_code_length (const char *digits)
{
  if (g_str_has_prefix (digits, "010") || (digits[1] == '2'))
    return 3;
  return 4;
}

char *
mn_phone_normalize (const char  *input,
                    MnPhoneKind *out_kind,
                    GError     **error)
{
  g_autoptr(GString) digits = g_string_new (NULL);
  gboolean plus = FALSE;
  const char *p;
  char *d;
  gsize n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL)
    input = "";

  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, MN_PHONE_ERROR, MN_PHONE_ERROR_BAD_CHARACTER,
                           _("The phone number contains bytes that are not text; type it again "
                             "using digits only."));
      return NULL;
    }

  for (p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        g_string_append_c (digits, (char) c);
      else if (c >= 0xFF10 && c <= 0xFF19) /* full-width digits from a Chinese IME */
        g_string_append_c (digits, (char) ('0' + (c - 0xFF10)));
      else if ((c == '+' || c == 0xFF0B) && digits->len == 0 && !plus)
        plus = TRUE;
      else if (is_separator (c))
        continue;
      else
        {
          char buf[8] = { 0 };

          g_unichar_to_utf8 (c, buf);
          if (g_unichar_iscntrl (c) || !g_unichar_isprint (c))
            g_set_error_literal (error, MN_PHONE_ERROR, MN_PHONE_ERROR_BAD_CHARACTER,
                                 _("The phone number contains an invisible character; type "
                                   "it again using digits only."));
          else
            g_set_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_BAD_CHARACTER,
                         /* Translators: %s is the character that is not a digit. */
                         _("A phone number can only contain digits; ‘%s’ is not one."), buf);
          return NULL;
        }
    }

  if (digits->len == 0)
    {
      g_set_error_literal (error, MN_PHONE_ERROR, MN_PHONE_ERROR_EMPTY,
                           _("Enter a phone number."));
      return NULL;
    }

  /* The country code: written as +86 or 0086, or run together with a
   * mobile number as people copy it from a messaging app. Only mainland
   * numbers can be reached by the platform's call-back. */
  if (plus)
    {
      if (!g_str_has_prefix (digits->str, "86"))
        {
          g_set_error_literal (error, MN_PHONE_ERROR, MN_PHONE_ERROR_PREFIX,
                               _("Only mainland China numbers (+86) can be used; enter a "
                                 "mainland number without the country code."));
          return NULL;
        }
      g_string_erase (digits, 0, 2);
    }
  else if (g_str_has_prefix (digits->str, "0086"))
    g_string_erase (digits, 0, 4);
  else if (digits->len == 13 && g_str_has_prefix (digits->str, "861"))
    g_string_erase (digits, 0, 2);

  /* A 0 dialled in front of a mobile number (as from another city's
   * landline) is not part of it: no area code starts 01 except 010. */
  if (digits->len == 12 && digits->str[0] == '0' && digits->str[1] == '1' &&
      digits->str[2] >= '3' && digits->str[2] <= '9')
    g_string_erase (digits, 0, 1);

  d = digits->str;
  n = digits->len;

  if (n == 0)
    {
      g_set_error_literal (error, MN_PHONE_ERROR, MN_PHONE_ERROR_EMPTY,
                           _("Enter the phone number after the country code."));
      return NULL;
    }

  if (d[0] == '1')
    {
      if (n != 11)
        {
          g_set_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_LENGTH,
                       /* Translators: %u is how many digits the person typed. */
                       ngettext ("A mobile number has 11 digits; this one has %u.",
                                 "A mobile number has 11 digits; this one has %u.", (gulong) n),
                       (guint) n);
          return NULL;
        }
      if (d[1] < '3')
        {
          g_set_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_PREFIX,
                       /* Translators: %.2s is the first two digits of the number. */
                       _("A mobile number starts with 13 to 19; this one starts with %.2s."), d);
          return NULL;
        }
      if (out_kind != NULL)
        *out_kind = MN_PHONE_KIND_MOBILE;
      return g_string_free (g_steal_pointer (&digits), FALSE);
    }

  if (d[0] == '0')
    {
      gsize area;
      gsize rest;

      if (n < 2 || d[1] == '0' || (d[1] == '1' && !g_str_has_prefix (d, "010")))
        {
          g_set_error_literal (error, MN_PHONE_ERROR, MN_PHONE_ERROR_AREA_CODE,
                               _("This is not an area code; a landline number starts with its "
                                 "area code, such as 010 or 0571."));
          return NULL;
        }

      area = area_code_length (d);
      rest = n > area ? n - area : 0;
      if (rest < 7 || rest > 8)
        {
          g_set_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_LENGTH,
                       /* Translators: %.*s is the area code, %u how many digits follow it. */
                       ngettext ("After the area code %.*s a landline number has 7 or 8 digits; "
                                 "this one has %u.",
                                 "After the area code %.*s a landline number has 7 or 8 digits; "
                                 "this one has %u.",
                                 (gulong) rest),
                       (int) MIN (area, n), d, (guint) rest);
          return NULL;
        }
      if (d[area] == '0' || d[area] == '1')
        {
          g_set_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_PREFIX,
                       /* Translators: %.*s is the area code. */
                       _("After the area code %.*s a landline number does not start with 0 or "
                         "1; check the digits."),
                       (int) area, d);
          return NULL;
        }
      if (out_kind != NULL)
        *out_kind = MN_PHONE_KIND_LANDLINE;
      return g_string_free (g_steal_pointer (&digits), FALSE);
    }

  if (n == 7 || n == 8)
    g_set_error_literal (error, MN_PHONE_ERROR, MN_PHONE_ERROR_AREA_CODE,
                         _("Add the area code in front of the landline number, for example 010 "
                           "for Beijing."));
  else
    g_set_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_PREFIX,
                 /* Translators: %c is the first digit of the number. */
                 _("A mobile number starts with 1 and a landline number with its area code "
                   "(0…); this one starts with %c."),
                 d[0]);
  return NULL;
}

char *
mn_phone_format (const char *normalized)
{
  gsize n;
  gsize area;

  g_return_val_if_fail (normalized != NULL, NULL);

  n = strlen (normalized);
  if (n == 11 && normalized[0] == '1')
    return g_strdup_printf ("%.3s %.4s %.4s", normalized, normalized + 3, normalized + 7);

  if (n >= 2 && normalized[0] == '0')
    {
      area = area_code_length (normalized);
      if (n == area + 8)
        return g_strdup_printf ("%.*s-%.4s %.4s", (int) area, normalized, normalized + area,
                                normalized + area + 4);
      if (n == area + 7)
        return g_strdup_printf ("%.*s-%.3s %.4s", (int) area, normalized, normalized + area,
                                normalized + area + 3);
    }

  /* Not something mn_phone_normalize() gives: show it as it is. */
  return g_strdup (normalized);
}
