/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Phone numbers as a kiosk keypad, a helper or a grid worker gives them:
 * a mainland mobile number (11 digits, 1[3-9]...) or a landline with its
 * area code (0 + a 2- or 3-digit area code + 7 or 8 digits). Spaces,
 * dashes, dots, brackets, full-width digits and a +86 / 0086 prefix are
 * accepted and dropped. */

#define MN_PHONE_ERROR (mn_phone_error_quark ())

typedef enum
{
  MN_PHONE_ERROR_EMPTY,
  MN_PHONE_ERROR_BAD_CHARACTER,
  MN_PHONE_ERROR_LENGTH,
  MN_PHONE_ERROR_PREFIX,
  MN_PHONE_ERROR_AREA_CODE,
} MnPhoneError;

typedef enum
{
  MN_PHONE_KIND_MOBILE,
  MN_PHONE_KIND_LANDLINE,
} MnPhoneKind;

GQuark  mn_phone_error_quark (void);

/* Returns the number as plain ASCII digits ("13800138000", "057187654321"),
 * or NULL and an error that says what is wrong in a sentence a person can
 * act on. @out_kind may be NULL. */
char   *mn_phone_normalize   (const char  *input,
                              MnPhoneKind *out_kind,
                              GError     **error);

/* Groups a normalised number for reading and large print:
 * "138 0013 8000", "0571-8765 4321", "010-1234 5678". */
char   *mn_phone_format      (const char  *normalized);

G_END_DECLS
