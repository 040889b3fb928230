/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-case-code.h"

G_DEFINE_QUARK (mn-case-code-error-quark, mn_case_code_error)

/* Lengths of the groups of the display form: station, terminal, date,
 * sequence, check digit. */
static const guint group_lengths[] = { 4, 2, 6, 4, 1 };

/* Damm's totally anti-symmetric quasigroup of order 10 (H. M. Damm, 2004).
 * Because it is a quasigroup, changing any one digit changes the result;
 * because it is totally anti-symmetric, swapping two different neighbouring
 * digits does too. Unlike Luhn it also catches 09 <-> 90, and unlike
 * Verhoeff it needs no permutation tables. */
static const guint8 damm_table[10][10] = {
  { 0, 3, 1, 7, 5, 9, 8, 6, 4, 2 },
  { 7, 0, 9, 2, 1, 5, 4, 8, 6, 3 },
  { 4, 2, 0, 6, 8, 7, 1, 3, 5, 9 },
  { 1, 7, 5, 0, 9, 8, 3, 4, 2, 6 },
  { 6, 1, 2, 3, 0, 4, 5, 9, 7, 8 },
  { 3, 6, 7, 4, 2, 0, 9, 5, 8, 1 },
  { 5, 8, 6, 9, 7, 2, 0, 1, 3, 4 },
  { 8, 9, 4, 5, 3, 6, 2, 0, 1, 7 },
  { 9, 4, 3, 8, 6, 1, 7, 2, 0, 5 },
  { 2, 5, 8, 1, 4, 3, 6, 7, 9, 0 },
};

guint
mn_case_code_check_digit (const char *digits,
                          gsize       n)
{
  guint interim = 0;

  g_return_val_if_fail (digits != NULL, 0);

  for (gsize i = 0; i < n; i++)
    {
      g_return_val_if_fail (g_ascii_isdigit (digits[i]), 0);
      interim = damm_table[interim][digits[i] - '0'];
    }

  return interim;
}

static gboolean
all_ascii_digits (const char *str,
                  gsize       n)
{
  if (str == NULL || strlen (str) != n)
    return FALSE;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (str[i]))
      return FALSE;

  return TRUE;
}

char *
mn_case_code_build (const char *station,
                    const char *terminal,
                    GDateTime  *day,
                    guint       sequence,
                    GError    **error)
{
  g_autofree char *date = NULL;
  GString *code;

  g_return_val_if_fail (day != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!all_ascii_digits (station, MN_CASE_CODE_STATION_DIGITS))
    {
      g_set_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_STATION,
                   _("The station code must be %d digits; provision the terminal again "
                     "with the code the platform operator gave."),
                   MN_CASE_CODE_STATION_DIGITS);
      return NULL;
    }

  if (!all_ascii_digits (terminal, MN_CASE_CODE_TERMINAL_DIGITS))
    {
      g_set_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_STATION,
                   _("The terminal number must be %d digits; provision the terminal again "
                     "with a number unique within its station."),
                   MN_CASE_CODE_TERMINAL_DIGITS);
      return NULL;
    }

  if (sequence == 0 || sequence > MN_CASE_CODE_MAX_SEQUENCE)
    {
      g_set_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_SEQUENCE,
                   _("This terminal has already given out the %d case codes a day allows; "
                     "please file the request at another terminal or tomorrow."),
                   MN_CASE_CODE_MAX_SEQUENCE);
      return NULL;
    }

  date = g_date_time_format (day, "%y%m%d");
  code = g_string_sized_new (MN_CASE_CODE_DIGITS + 1);
  g_string_append (code, station);
  g_string_append (code, terminal);
  g_string_append (code, date);
  g_string_append_printf (code, "%04u", sequence);
  g_string_append_c (code, (char) ('0' + mn_case_code_check_digit (code->str, code->len)));

  g_assert (code->len == MN_CASE_CODE_DIGITS);

  return g_string_free (code, FALSE);
}

static gboolean
is_separator (gunichar c)
{
  switch (c)
    {
    case ' ':
    case '\t':
    case '-':
    case '.':
    case '_':
    case '/':
    case 0x00A0: /* no-break space */
    case 0x00B7: /* middle dot */
    case 0x2010: /* hyphen */
    case 0x2011: /* non-breaking hyphen */
    case 0x2012: /* figure dash */
    case 0x2013: /* en dash */
    case 0x2014: /* em dash */
    case 0x2015: /* horizontal bar */
    case 0x2212: /* minus sign */
    case 0x3000: /* ideographic space */
    case 0x3002: /* ideographic full stop */
    case 0x30FB: /* katakana middle dot, common in CJK input */
    case 0xFF0D: /* full-width hyphen-minus */
    case 0xFF0E: /* full-width full stop */
    case 0xFF3F: /* full-width low line */
    case 0xFF0F: /* full-width solidus */
      return TRUE;
    default:
      return FALSE;
    }
}

static char *
describe_character (gunichar c)
{
  /* Invisible characters are named by their code point: quoting them would
   * show nothing. */
  if (g_unichar_isprint (c) && !g_unichar_isspace (c))
    {
      char buf[8] = { 0 };

      g_unichar_to_utf8 (c, buf);
      return g_strdup_printf ("“%s”", buf);
    }

  return g_strdup_printf ("U+%04X", c);
}

static gboolean
date_exists (const char *yymmdd)
{
  int year = 2000 + (yymmdd[0] - '0') * 10 + (yymmdd[1] - '0');
  int month = (yymmdd[2] - '0') * 10 + (yymmdd[3] - '0');
  int day = (yymmdd[4] - '0') * 10 + (yymmdd[5] - '0');

  return g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
}

char *
mn_case_code_parse (const char *input,
                    GError    **error)
{
  char digits[MN_CASE_CODE_DIGITS + 1] = { 0 };
  guint n_digits = 0;
  const char *station_end;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (input == NULL || !g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_BAD_CHARACTER,
                           _("The case code contains something that is not a digit; "
                             "please type the 17 digits from your receipt."));
      return NULL;
    }

  for (const char *p = input; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value;

      if (is_separator (c) || g_unichar_isspace (c))
        continue;

      /* Any decimal digit: ASCII, full-width (from Chinese input methods),
       * Arabic-Indic from a Uyghur keyboard. */
      value = g_unichar_digit_value (c);
      if (value < 0)
        {
          g_autofree char *what = describe_character (c);

          g_set_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_BAD_CHARACTER,
                       /* Translators: %s is the offending character, quoted. */
                       _("%s cannot be part of a case code: it has only digits, with "
                         "dashes or spaces between groups."),
                       what);
          return NULL;
        }

      /* Keep counting past the end so that the message can say how many
       * digits were given. */
      if (n_digits < MN_CASE_CODE_DIGITS)
        digits[n_digits] = (char) ('0' + value);
      n_digits++;
    }

  if (n_digits == 0)
    {
      g_set_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_EMPTY,
                   _("Please enter the case code from your receipt: %d digits."),
                   MN_CASE_CODE_DIGITS);
      return NULL;
    }

  if (n_digits != MN_CASE_CODE_DIGITS)
    {
      g_set_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_LENGTH,
                   /* Translators: the first number is how many digits were
                    * entered, the second how many a case code has (17). */
                   ngettext ("This code has %u digit but a case code needs %d; "
                             "please compare it with your receipt.",
                             "This code has %u digits but a case code needs %d; "
                             "please compare it with your receipt.",
                             n_digits),
                   n_digits, MN_CASE_CODE_DIGITS);
      return NULL;
    }

  if (mn_case_code_check_digit (digits, MN_CASE_CODE_DIGITS) != 0)
    {
      g_set_error_literal (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_CHECK_DIGIT,
                           _("This case code is not right: one digit is wrong or two "
                             "neighbouring digits are swapped — compare with your receipt."));
      return NULL;
    }

  /* The check digit passed, so these are codes that were never issued
   * (several digits wrong, or made up), still worth a precise sentence. */
  station_end = digits + MN_CASE_CODE_STATION_DIGITS + MN_CASE_CODE_TERMINAL_DIGITS;
  if (!date_exists (station_end))
    {
      g_set_error_literal (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_DATE,
                           _("The date inside this case code does not exist, so several digits "
                             "are wrong — compare with your receipt."));
      return NULL;
    }

  if (strncmp (station_end + 6, "0000", 4) == 0)
    {
      g_set_error_literal (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_SEQUENCE,
                           _("The sequence number inside this case code is 0000, which is never "
                             "given out — compare with your receipt."));
      return NULL;
    }

  return g_strdup (digits);
}

static gboolean
is_canonical (const char *canonical)
{
  return all_ascii_digits (canonical, MN_CASE_CODE_DIGITS);
}

char **
mn_case_code_groups (const char *canonical)
{
  GStrvBuilder *builder;
  char        **groups;
  const char   *p;

  g_return_val_if_fail (is_canonical (canonical), NULL);

  builder = g_strv_builder_new ();
  p = canonical;
  for (guint i = 0; i < G_N_ELEMENTS (group_lengths); i++)
    {
      g_autofree char *group = g_strndup (p, group_lengths[i]);

      g_strv_builder_add (builder, group);
      p += group_lengths[i];
    }
  groups = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return groups;
}

char *
mn_case_code_format (const char *canonical)
{
  g_auto(GStrv) groups = NULL;

  g_return_val_if_fail (is_canonical (canonical), NULL);

  groups = mn_case_code_groups (canonical);

  return g_strjoinv ("-", groups);
}
