/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "mn-vault.h"

static void
test_mask (void)
{
  const struct
  {
    const char *in;
    const char *out;
  } cases[] = {
    { "13800138000", "138****8000" },        /* mobile */
    { "138 0013 8000", "138****8000" },
    { "１３８００１３８０００", "138****8000" }, /* full-width digits */
    { "+86 138 0013 8000", "+86 138****8000" },
    { "008613800138000", "+86 138****8000" },
    { "010-12345678", "010-12****78" },      /* Beijing landline */
    { "0571-88881234", "0571-88****34" },    /* Hangzhou landline */
    { "88881234", "88****34" },              /* local number */
    { "12345", "***45" },                    /* short service number */
    { "110", "*10" },
    { "+44 20 7946 0958", "+**********58" }, /* abroad */
    { "not a phone", "****" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *masked = mn_vault_mask_phone (cases[i].in);

      g_assert_cmpstr (masked, ==, cases[i].out);
    }
}

static void
test_hint (void)
{
  g_autoptr(MnContact) both = mn_contact_new ("张三", "13800138000");
  g_autoptr(MnContact) name2 = mn_contact_new ("张三", NULL);
  g_autoptr(MnContact) name3 = mn_contact_new ("欧阳娜娜", "");
  g_autoptr(MnContact) none = mn_contact_new (NULL, NULL);
  g_autofree char     *h1 = mn_vault_contact_hint (both);
  g_autofree char     *h2 = mn_vault_contact_hint (name2);
  g_autofree char     *h3 = mn_vault_contact_hint (name3);
  g_autofree char     *h4 = mn_vault_contact_hint (none);

  g_assert_cmpstr (h1, ==, "138****8000");
  g_assert_cmpstr (h2, ==, "张*");
  g_assert_cmpstr (h3, ==, "欧**");
  g_assert_null (h4);
}

static void
test_normalize (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *ok = mn_vault_normalize_phone ("（0571）8888-1234", &error);
  g_autofree char  *bad = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (ok, ==, "057188881234");

  bad = mn_vault_normalize_phone ("12", &error);
  g_assert_null (bad);
  g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_INVALID_PHONE);
  g_assert_nonnull (strstr (error->message, "this one has 2"));
  g_clear_error (&error);

  bad = mn_vault_normalize_phone ("138-0013-8000 ext", &error);
  g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_INVALID_PHONE);
}

static void
test_seal (void)
{
  g_autoptr(GError)    error = NULL;
  g_autofree char     *dir = g_dir_make_tmp ("minyin-vault-XXXXXX", &error);
  g_autoptr(MnVault)   vault = NULL;
  g_autoptr(MnVault)   again = NULL;
  g_autoptr(MnContact) contact = mn_contact_new ("李四", "13912345678");
  g_autoptr(MnContact) back = NULL;
  g_autoptr(GBytes)    sealed = NULL;
  g_autoptr(GBytes)    sealed2 = NULL;
  g_autofree char     *key = NULL;
  const guint8        *data;
  gsize                len;

  g_assert_no_error (error);
  key = g_build_filename (dir, "vault.key", NULL);

  vault = mn_vault_open (dir, FALSE, &error);
  g_assert_null (vault);
  g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_MISSING);
  g_clear_error (&error);

  vault = mn_vault_open (dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (mn_vault_get_key_id (vault)), ==, 16);

  sealed = mn_vault_seal_contact (vault, contact, "uuid-a", &error);
  g_assert_no_error (error);
  data = g_bytes_get_data (sealed, &len);
  g_assert_null (memmem (data, len, "13912345678", 11));
  g_assert_null (memmem (data, len, "李四", strlen ("李四")));

  /* A fresh nonce every time: the same contact seals differently. */
  sealed2 = mn_vault_seal_contact (vault, contact, "uuid-a", &error);
  g_assert_false (g_bytes_equal (sealed, sealed2));

  back = mn_vault_unseal_contact (vault, sealed, "uuid-a", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (back->name, ==, "李四");
  g_assert_cmpstr (back->phone, ==, "13912345678");
  g_clear_pointer (&back, mn_contact_free);

  /* Copied onto another record: refused. */
  back = mn_vault_unseal_contact (vault, sealed, "uuid-b", &error);
  g_assert_null (back);
  g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL);
  g_clear_error (&error);

  /* One bit flipped: refused. */
  {
    g_autofree guint8 *copy = g_memdup2 (data, len);
    g_autoptr(GBytes)  tampered = NULL;

    copy[len - 1] ^= 1;
    tampered = g_bytes_new (copy, len);
    back = mn_vault_unseal_contact (vault, tampered, "uuid-a", &error);
    g_assert_null (back);
    g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_UNSEAL);
    g_clear_error (&error);
  }

  /* The key is kept: opening again gives the same key. */
  again = mn_vault_open (dir, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (mn_vault_get_key_id (again), ==, mn_vault_get_key_id (vault));

  /* Group- or world-accessible: refused. */
  g_assert_cmpint (g_chmod (key, 0640), ==, 0);
  g_clear_pointer (&again, mn_vault_free);
  again = mn_vault_open (dir, TRUE, &error);
  g_assert_null (again);
  g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_UNSAFE);
  g_clear_error (&error);

  /* The wrong size: refused. */
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
  g_assert_true (g_file_set_contents (key, "short", -1, NULL));
  g_assert_cmpint (g_chmod (key, 0600), ==, 0);
  again = mn_vault_open (dir, TRUE, &error);
  g_assert_null (again);
  g_assert_error (error, MN_VAULT_ERROR, MN_VAULT_ERROR_KEY_INVALID);
  g_clear_error (&error);

  g_unlink (key);
  g_rmdir (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/vault/mask", test_mask);
  g_test_add_func ("/vault/hint", test_hint);
  g_test_add_func ("/vault/normalize", test_normalize);
  g_test_add_func ("/vault/seal", test_seal);

  return g_test_run ();
}
