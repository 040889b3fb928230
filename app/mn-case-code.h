/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Provisional case codes (事项编码), made offline and unique across every
 * terminal without coordination:
 *
 *   SSSS TT YYMMDD NNNN C     17 digits
 *
 * SSSS the station code and TT the terminal number (both provisioned, see
 * MnDevice), YYMMDD the local date of filing, NNNN the terminal's sequence
 * for that day (from 0001), C a Damm check digit over the sixteen before
 * it, which catches every single-digit error and every swap of two
 * neighbouring digits.
 *
 * Canonical form: the 17 digits. Display form: "3302-01-261128-0017-5".
 * The parser accepts either, with spaces, dashes, dots or full-width digits
 * as a keypad or a person may produce them. */

#define MN_CASE_CODE_DIGITS 17
#define MN_CASE_CODE_STATION_DIGITS 4
#define MN_CASE_CODE_TERMINAL_DIGITS 2
#define MN_CASE_CODE_MAX_SEQUENCE 9999

#define MN_CASE_CODE_ERROR (mn_case_code_error_quark ())

typedef enum
{
  MN_CASE_CODE_ERROR_EMPTY,
  MN_CASE_CODE_ERROR_BAD_CHARACTER,
  MN_CASE_CODE_ERROR_LENGTH,
  MN_CASE_CODE_ERROR_CHECK_DIGIT,
  MN_CASE_CODE_ERROR_DATE,
  MN_CASE_CODE_ERROR_SEQUENCE,
  MN_CASE_CODE_ERROR_STATION,
} MnCaseCodeError;

GQuark  mn_case_code_error_quark (void);

/* The Damm check digit of the ASCII digits @digits[0..@n-1]. */
guint   mn_case_code_check_digit (const char *digits,
                                  gsize       n);

/* Builds a canonical code; @day is taken in its own time zone. */
char   *mn_case_code_build       (const char *station,
                                  const char *terminal,
                                  GDateTime  *day,
                                  guint       sequence,
                                  GError    **error);

/* Returns the canonical 17 digits of @input, or NULL and an error that says
 * what is wrong in a sentence a person can act on. */
char   *mn_case_code_parse       (const char *input,
                                  GError    **error);

/* "3302-01-261128-0017-5" from a canonical code. */
char   *mn_case_code_format      (const char *canonical);

/* The groups of the display form, for speech and large print (NULL
 * terminated, free with g_strfreev). */
char  **mn_case_code_groups      (const char *canonical);

G_END_DECLS
