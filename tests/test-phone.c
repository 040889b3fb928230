/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib.h>
#include <locale.h>

#include "mn-phone.h"

typedef struct
{
  const char  *input;
  const char  *normalized;
  MnPhoneKind  kind;
  const char  *formatted;
} GoodCase;

static const GoodCase good_cases[] = {
  { "13800138000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "138 0013 8000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "138-0013-8000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "  19912345678\n", "19912345678", MN_PHONE_KIND_MOBILE, "199 1234 5678" },
  { "+86 138 0013 8000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "+8613800138000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "0086 13800138000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "8613800138000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "013800138000", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  /* Full-width digits and separators, as a Chinese input method gives them. */
  { "１３８００１３８０００", "13800138000", MN_PHONE_KIND_MOBILE, "138 0013 8000" },
  { "（０１０）６５１２３４５６", "01065123456", MN_PHONE_KIND_LANDLINE, "010-6512 3456" },
  { "010-65123456", "01065123456", MN_PHONE_KIND_LANDLINE, "010-6512 3456" },
  { "(010) 6512 3456", "01065123456", MN_PHONE_KIND_LANDLINE, "010-6512 3456" },
  { "021 5432 1098", "02154321098", MN_PHONE_KIND_LANDLINE, "021-5432 1098" },
  { "0571-87654321", "057187654321", MN_PHONE_KIND_LANDLINE, "0571-8765 4321" },
  { "0571 8765432", "05718765432", MN_PHONE_KIND_LANDLINE, "0571-876 5432" },
  { "0898.6677.8899", "089866778899", MN_PHONE_KIND_LANDLINE, "0898-6677 8899" },
  { "029 8123456", "0298123456", MN_PHONE_KIND_LANDLINE, "029-812 3456" },
};

typedef struct
{
  const char   *input;
  MnPhoneError  code;
  const char   *message;  /* exact English sentence */
} BadCase;

static const BadCase bad_cases[] = {
  { "", MN_PHONE_ERROR_EMPTY, "Enter a phone number." },
  { " - ", MN_PHONE_ERROR_EMPTY, "Enter a phone number." },
  { "1380013800", MN_PHONE_ERROR_LENGTH, "A mobile number has 11 digits; this one has 10." },
  { "138001380001", MN_PHONE_ERROR_LENGTH, "A mobile number has 11 digits; this one has 12." },
  { "1", MN_PHONE_ERROR_LENGTH, "A mobile number has 11 digits; this one has 1." },
  { "12800138000", MN_PHONE_ERROR_PREFIX,
    "A mobile number starts with 13 to 19; this one starts with 12." },
  { "10086123456", MN_PHONE_ERROR_PREFIX,
    "A mobile number starts with 13 to 19; this one starts with 10." },
  { "138a0013800", MN_PHONE_ERROR_BAD_CHARACTER,
    "A phone number can only contain digits; ‘a’ is not one." },
  { "138#0013800", MN_PHONE_ERROR_BAD_CHARACTER,
    "A phone number can only contain digits; ‘#’ is not one." },
  { "138\x07" "00138000", MN_PHONE_ERROR_BAD_CHARACTER,
    "The phone number contains an invisible character; type it again using digits only." },
  { "138\xff" "00138000", MN_PHONE_ERROR_BAD_CHARACTER,
    "The phone number contains bytes that are not text; type it again using digits only." },
  { "1380+0138000", MN_PHONE_ERROR_BAD_CHARACTER,
    "A phone number can only contain digits; ‘+’ is not one." },
  { "+852 9123 4567", MN_PHONE_ERROR_PREFIX,
    "Only mainland China numbers (+86) can be used; enter a mainland number without the "
    "country code." },
  { "+86", MN_PHONE_ERROR_EMPTY, "Enter the phone number after the country code." },
  { "65123456", MN_PHONE_ERROR_AREA_CODE,
    "Add the area code in front of the landline number, for example 010 for Beijing." },
  { "6512345", MN_PHONE_ERROR_AREA_CODE,
    "Add the area code in front of the landline number, for example 010 for Beijing." },
  { "912345", MN_PHONE_ERROR_PREFIX,
    "A mobile number starts with 1 and a landline number with its area code (0…); this one "
    "starts with 9." },
  { "010-651234", MN_PHONE_ERROR_LENGTH,
    "After the area code 010 a landline number has 7 or 8 digits; this one has 6." },
  { "0571-876543210", MN_PHONE_ERROR_LENGTH,
    "After the area code 0571 a landline number has 7 or 8 digits; this one has 9." },
  { "010", MN_PHONE_ERROR_LENGTH,
    "After the area code 010 a landline number has 7 or 8 digits; this one has 0." },
  { "010-05123456", MN_PHONE_ERROR_PREFIX,
    "After the area code 010 a landline number does not start with 0 or 1; check the digits." },
  { "0012345678", MN_PHONE_ERROR_AREA_CODE,
    "This is not an area code; a landline number starts with its area code, such as 010 or "
    "0571." },
  { "0112345678", MN_PHONE_ERROR_AREA_CODE,
    "This is not an area code; a landline number starts with its area code, such as 010 or "
    "0571." },
  { "0", MN_PHONE_ERROR_AREA_CODE,
    "This is not an area code; a landline number starts with its area code, such as 010 or "
    "0571." },
};

static void
test_good (gconstpointer data)
{
  const GoodCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *formatted = NULL;
  MnPhoneKind kind = (MnPhoneKind) -1;

  normalized = mn_phone_normalize (c->input, &kind, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (normalized, ==, c->normalized);
  g_assert_cmpint (kind, ==, c->kind);

  formatted = mn_phone_format (normalized);
  g_assert_cmpstr (formatted, ==, c->formatted);

  /* Normalising is idempotent: the stored form reads back the same. */
  {
    g_autofree char *again = mn_phone_normalize (normalized, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, normalized);
  }
  {
    g_autofree char *again = mn_phone_normalize (formatted, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (again, ==, normalized);
  }
}

static void
test_bad (gconstpointer data)
{
  const BadCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = NULL;
  MnPhoneKind kind = (MnPhoneKind) 42;

  normalized = mn_phone_normalize (c->input, &kind, &error);
  g_assert_null (normalized);
  g_assert_error (error, MN_PHONE_ERROR, (gint) c->code);
  g_assert_cmpstr (error->message, ==, c->message);
  /* A refused number leaves the caller's kind alone. */
  g_assert_cmpint (kind, ==, 42);
}

static void
test_null_input (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *normalized = mn_phone_normalize (NULL, NULL, &error);

  g_assert_null (normalized);
  g_assert_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_EMPTY);
}

/* Every mobile prefix 13–19 is accepted and every other first pair of a
 * leading 1 is refused: the boundary is where real numbers live. */
static void
test_mobile_prefixes (void)
{
  for (char second = '0'; second <= '9'; second++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *input = g_strdup_printf ("1%c012345678", second);
      g_autofree char *normalized = mn_phone_normalize (input, NULL, &error);

      if (second >= '3')
        {
          g_assert_no_error (error);
          g_assert_cmpstr (normalized, ==, input);
        }
      else
        g_assert_error (error, MN_PHONE_ERROR, MN_PHONE_ERROR_PREFIX);
    }
}

/* Random garbage never crashes and is either refused with a sentence or
 * comes back as digits only. */
static void
test_fuzz (void)
{
  static const char alphabet[] = "0123456789 -+()._#a\xef\xbc\x90\xe3\x80\x80\xff\x01";
  GRand *rand = g_rand_new_with_seed (20261128);

  for (int round = 0; round < 20000; round++)
    {
      char input[24];
      int len = g_rand_int_range (rand, 0, (int) sizeof input);
      g_autoptr(GError) error = NULL;
      g_autofree char *normalized = NULL;

      for (int i = 0; i < len; i++)
        input[i] = alphabet[g_rand_int_range (rand, 0, (int) sizeof alphabet - 1)];
      input[len] = '\0';

      normalized = mn_phone_normalize (input, NULL, &error);
      if (normalized == NULL)
        {
          g_assert_nonnull (error);
          g_assert_true (g_str_has_suffix (error->message, "."));
        }
      else
        {
          g_assert_no_error (error);
          for (const char *p = normalized; *p != '\0'; p++)
            g_assert_true (g_ascii_isdigit (*p));
        }
    }
  g_rand_free (rand);
}

int
main (int    argc,
      char **argv)
{
  /* The expected sentences are the English source strings. */
  g_setenv ("LANGUAGE", "en", TRUE);
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (good_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/phone/good/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &good_cases[i], test_good);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/phone/bad/%" G_GSIZE_FORMAT, i);
      g_test_add_data_func (path, &bad_cases[i], test_bad);
    }
  g_test_add_func ("/phone/null", test_null_input);
  g_test_add_func ("/phone/mobile-prefixes", test_mobile_prefixes);
  g_test_add_func ("/phone/fuzz", test_fuzz);

  return g_test_run ();
}
