/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mn-case-code.h"

/* A valid code for a random station, terminal, day and sequence. */
static char *
random_code (GRand *rand)
{
  g_autoptr(GDateTime) day = NULL;
  char                 station[5];
  char                 terminal[3];
  g_autoptr(GError)    error = NULL;
  char                *code;

  g_snprintf (station, sizeof station, "%04d", g_rand_int_range (rand, 0, 10000));
  g_snprintf (terminal, sizeof terminal, "%02d", g_rand_int_range (rand, 0, 100));
  day = g_date_time_new_local (g_rand_int_range (rand, 2000, 2100), g_rand_int_range (rand, 1, 13),
                               g_rand_int_range (rand, 1, 29), 12, 0, 0);
  code = mn_case_code_build (station, terminal, day,
                             (guint) g_rand_int_range (rand, 1, MN_CASE_CODE_MAX_SEQUENCE + 1),
                             &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (code), ==, MN_CASE_CODE_DIGITS);

  return code;
}

static void
test_check_digit_known (void)
{
  /* The worked example of Damm's algorithm: 572 → 4. */
  g_assert_cmpuint (mn_case_code_check_digit ("572", 3), ==, 4);
  g_assert_cmpuint (mn_case_code_check_digit ("5724", 4), ==, 0);
  g_assert_cmpuint (mn_case_code_check_digit ("", 0), ==, 0);
}

/* The proof for every code of every length, not a sample: the check digit
 * of a code is the state reached by folding the digits through the table,
 * and a code is valid when the fold, check digit included, ends in 0.
 *
 * - One digit changed: the two folds first differ at that digit; the
 *   table's rows and columns are permutations (a Latin square), so two
 *   different states stay different through every later digit, and the
 *   check fails.
 * - Two different neighbours swapped: from any state x, reading a then b
 *   must land elsewhere than reading b then a (total anti-symmetry), after
 *   which the same argument carries the difference to the end.
 *
 * So these loops over all states and digits cover all codes. */
static void
test_table_properties (void)
{
  guint reached = 0;

  /* One-digit prefixes reach every state x = T[0][p], since the table's
   * first row is a permutation. */
  for (guint p = 0; p < 10; p++)
    {
      char one[2] = { (char) ('0' + p), 0 };

      reached |= 1u << mn_case_code_check_digit (one, 1);
    }
  g_assert_cmpuint (reached, ==, 0x3ff);

  for (guint p = 0; p < 10; p++)
    for (guint a = 0; a < 10; a++)
      {
        char pa[3] = { (char) ('0' + p), (char) ('0' + a), 0 };
        guint column = 0;

        /* Columns are permutations: different states, same digit, stay
         * different. */
        for (guint q = 0; q < 10; q++)
          {
            char qa[3] = { (char) ('0' + q), (char) ('0' + a), 0 };

            column |= 1u << mn_case_code_check_digit (qa, 2);
          }
        g_assert_cmpuint (column, ==, 0x3ff);

        for (guint b = 0; b < 10; b++)
          {
            char pb[3] = { (char) ('0' + p), (char) ('0' + b), 0 };
            char pab[4] = { (char) ('0' + p), (char) ('0' + a), (char) ('0' + b), 0 };
            char pba[4] = { (char) ('0' + p), (char) ('0' + b), (char) ('0' + a), 0 };

            if (a == b)
              continue;

            /* Rows are permutations: same state, different digit. */
            g_assert_cmpuint (mn_case_code_check_digit (pa, 2), !=,
                              mn_case_code_check_digit (pb, 2));
            /* Total anti-symmetry: ab and ba part ways. */
            g_assert_cmpuint (mn_case_code_check_digit (pab, 3), !=,
                              mn_case_code_check_digit (pba, 3));
          }
      }
}

/* And the same claim tested end to end through the parser, on many real
 * codes: every single-digit substitution at every position, every swap of
 * two different neighbours. */
static void
test_every_error_caught (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261128);
  guint n_codes = g_test_thorough () ? 20000 : 2000;
  guint n_checked = 0;

  for (guint i = 0; i < n_codes; i++)
    {
      g_autofree char *code = random_code (rand);
      g_autofree char *back = NULL;
      g_autoptr(GError) error = NULL;

      back = mn_case_code_parse (code, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (back, ==, code);

      for (guint pos = 0; pos < MN_CASE_CODE_DIGITS; pos++)
        {
          for (char d = '0'; d <= '9'; d++)
            {
              char             wrong[MN_CASE_CODE_DIGITS + 1];
              g_autofree char *parsed = NULL;
              g_autoptr(GError) err = NULL;

              if (d == code[pos])
                continue;
              memcpy (wrong, code, sizeof wrong);
              wrong[pos] = d;
              parsed = mn_case_code_parse (wrong, &err);
              g_assert_null (parsed);
              g_assert_error (err, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_CHECK_DIGIT);
              n_checked++;
            }

          if (pos + 1 < MN_CASE_CODE_DIGITS && code[pos] != code[pos + 1])
            {
              char             swapped[MN_CASE_CODE_DIGITS + 1];
              g_autofree char *parsed = NULL;
              g_autoptr(GError) err = NULL;

              memcpy (swapped, code, sizeof swapped);
              swapped[pos] = code[pos + 1];
              swapped[pos + 1] = code[pos];
              parsed = mn_case_code_parse (swapped, &err);
              g_assert_null (parsed);
              g_assert_error (err, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_CHECK_DIGIT);
              n_checked++;
            }
        }
    }

  g_test_message ("%u wrong codes refused", n_checked);
  g_assert_cmpuint (n_checked, >, n_codes * MN_CASE_CODE_DIGITS * 9);
}

static void
test_build_format_groups (void)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 28, 9, 30, 0);
  g_autoptr(GError)    error = NULL;
  g_autofree char     *code = NULL;
  g_autofree char     *display = NULL;
  g_auto(GStrv)        groups = NULL;

  code = mn_case_code_build ("3302", "01", day, 17, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (code), ==, 17);
  g_assert_true (g_str_has_prefix (code, "3302012611280017"));
  g_assert_cmpuint (mn_case_code_check_digit (code, 17), ==, 0);

  display = mn_case_code_format (code);
  g_assert_cmpuint (strlen (display), ==, 21);
  g_assert_true (g_str_has_prefix (display, "3302-01-261128-0017-"));

  groups = mn_case_code_groups (code);
  g_assert_cmpuint (g_strv_length (groups), ==, 5);
  g_assert_cmpstr (groups[0], ==, "3302");
  g_assert_cmpstr (groups[1], ==, "01");
  g_assert_cmpstr (groups[2], ==, "261128");
  g_assert_cmpstr (groups[3], ==, "0017");
  g_assert_cmpuint (strlen (groups[4]), ==, 1);
}

static void
test_build_errors (void)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 28, 9, 30, 0);
  const char *bad_stations[] = { "33", "33021", "33a2", "", "３３０２" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_stations); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char  *code = mn_case_code_build (bad_stations[i], "01", day, 1, &error);

      g_assert_null (code);
      g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_STATION);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char  *code = mn_case_code_build ("3302", "1", day, 1, &error);

    g_assert_null (code);
    g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_STATION);
  }

  for (guint seq = 0; seq <= MN_CASE_CODE_MAX_SEQUENCE + 1; seq += MN_CASE_CODE_MAX_SEQUENCE + 1)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char  *code = mn_case_code_build ("3302", "01", day, seq, &error);

      g_assert_null (code);
      g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_SEQUENCE);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char  *code = mn_case_code_build ("3302", "01", day, 9999, &error);

    g_assert_no_error (error);
    g_assert_nonnull (code);
  }
}

/* Converts ASCII digits to full-width ones, as a Chinese input method in
 * full-width mode types them. */
static char *
to_full_width (const char *ascii)
{
  GString *out = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_unichar (out, 0xFF10 + (*p - '0'));
      else if (*p == '-')
        g_string_append_unichar (out, 0xFF0D);
      else
        g_string_append_c (out, *p);
    }

  return g_string_free (out, FALSE);
}

static void
test_parse_spellings (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint i = 0; i < 200; i++)
    {
      g_autofree char *code = random_code (rand);
      g_autofree char *display = mn_case_code_format (code);
      g_auto(GStrv)    groups = mn_case_code_groups (code);
      g_autofree char *spaced = g_strjoinv (" ", groups);
      g_autofree char *dotted = g_strjoinv (".", groups);
      g_autofree char *full = to_full_width (display);
      g_autofree char *padded = g_strdup_printf ("  %s\t\n", display);
      g_autofree char *ideographic = g_strjoinv ("\u3000", groups);
      const char      *spellings[] = { code, display, spaced, dotted, full, padded, ideographic };

      for (guint s = 0; s < G_N_ELEMENTS (spellings); s++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char  *parsed = mn_case_code_parse (spellings[s], &error);

          g_assert_no_error (error);
          g_assert_cmpstr (parsed, ==, code);
        }
    }
}

static void
test_parse_messages (void)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 28, 9, 30, 0);
  g_autofree char     *code = mn_case_code_build ("3302", "01", day, 17, NULL);
  g_autoptr(GError)    error = NULL;
  g_autofree char     *parsed = NULL;
  g_autofree char     *short_code = g_strndup (code, 16);
  g_autofree char     *long_code = g_strconcat (code, "12", NULL);
  g_autofree char     *lettered = g_strdup (code);
  char                 wrong[MN_CASE_CODE_DIGITS + 1];

  /* Too few digits: says how many it has and how many it needs. */
  parsed = mn_case_code_parse (short_code, &error);
  g_assert_null (parsed);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_LENGTH);
  g_assert_nonnull (strstr (error->message, "has 16 digits"));
  g_assert_nonnull (strstr (error->message, "needs 17"));
  g_clear_error (&error);

  parsed = mn_case_code_parse (long_code, &error);
  g_assert_null (parsed);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_LENGTH);
  g_assert_nonnull (strstr (error->message, "has 19 digits"));
  g_clear_error (&error);

  parsed = mn_case_code_parse ("1", &error);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_LENGTH);
  g_assert_nonnull (strstr (error->message, "has 1 digit but"));
  g_clear_error (&error);

  /* A bad character is named. */
  lettered[5] = 'O';
  parsed = mn_case_code_parse (lettered, &error);
  g_assert_null (parsed);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_BAD_CHARACTER);
  g_assert_nonnull (strstr (error->message, "“O”"));
  g_clear_error (&error);

  parsed = mn_case_code_parse ("3302-01-26112８-0017-号", &error);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_BAD_CHARACTER);
  g_assert_nonnull (strstr (error->message, "“号”"));
  g_clear_error (&error);

  /* An invisible character is named by its code point. */
  parsed = mn_case_code_parse ("3302\x01", &error);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_BAD_CHARACTER);
  g_assert_nonnull (strstr (error->message, "U+0001"));
  g_clear_error (&error);

  parsed = mn_case_code_parse ("\xff\xfe", &error);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_BAD_CHARACTER);
  g_clear_error (&error);

  /* Nothing typed. */
  parsed = mn_case_code_parse (" - - ", &error);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_EMPTY);
  g_clear_error (&error);

  /* A wrong digit. */
  memcpy (wrong, code, sizeof wrong);
  wrong[9] = wrong[9] == '9' ? '0' : wrong[9] + 1;
  parsed = mn_case_code_parse (wrong, &error);
  g_assert_error (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_CHECK_DIGIT);
  g_assert_nonnull (strstr (error->message, "one digit is wrong or two neighbouring digits are "
                                            "swapped — compare with your receipt"));
  g_clear_error (&error);
}

/* Codes whose check digit is right but whose fields cannot have been
 * issued. */
static void
test_parse_impossible_fields (void)
{
  struct
  {
    const char *body;
    int         code;
  } cases[] = {
    { "3302012613280017", MN_CASE_CODE_ERROR_DATE },     /* month 13 */
    { "3302012602300017", MN_CASE_CODE_ERROR_DATE },     /* 30 February */
    { "3302012611280000", MN_CASE_CODE_ERROR_SEQUENCE }, /* sequence 0 */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char  *full = g_strdup_printf ("%s%u", cases[i].body,
                                                mn_case_code_check_digit (cases[i].body, 16));
      g_autoptr(GError) error = NULL;
      g_autofree char  *parsed = mn_case_code_parse (full, &error);

      g_assert_null (parsed);
      g_assert_error (error, MN_CASE_CODE_ERROR, cases[i].code);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/case-code/check-digit/known", test_check_digit_known);
  g_test_add_func ("/case-code/check-digit/table-properties", test_table_properties);
  g_test_add_func ("/case-code/check-digit/every-error-caught", test_every_error_caught);
  g_test_add_func ("/case-code/build", test_build_format_groups);
  g_test_add_func ("/case-code/build-errors", test_build_errors);
  g_test_add_func ("/case-code/parse/spellings", test_parse_spellings);
  g_test_add_func ("/case-code/parse/messages", test_parse_messages);
  g_test_add_func ("/case-code/parse/impossible-fields", test_parse_impossible_fields);

  return g_test_run ();
}
