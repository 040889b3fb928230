/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mn-case-code.h"
#include "mn-device.h"

#define DEVICE_FILE "device.ini"
#define DEMO_STATION "0000"

static gboolean
is_digits (const char *str,
           gsize       n)
{
  if (str == NULL || strlen (str) != n)
    return FALSE;

  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (str[i]))
      return FALSE;

  return TRUE;
}

static gboolean
device_is_valid (const MnDevice *device)
{
  return is_digits (device->station, MN_CASE_CODE_STATION_DIGITS) &&
         is_digits (device->terminal, MN_CASE_CODE_TERMINAL_DIGITS);
}

static char *
device_to_data (const MnDevice *device,
                gsize          *out_len)
{
  g_autoptr(GKeyFile) kf = g_key_file_new ();

  g_key_file_set_comment (kf, NULL, NULL,
                          " The identity of this terminal; its case codes start with "
                          "station and terminal.\n Change it with `minyin provision`.",
                          NULL);
  g_key_file_set_string (kf, "device", "station", device->station);
  g_key_file_set_string (kf, "device", "terminal", device->terminal);

  return g_key_file_to_data (kf, out_len, NULL);
}

/* Writes a fresh demo identity unless one appeared meanwhile: another
 * process (the command line beside the window) may be starting at the same
 * moment, and two terminal numbers for one store would break the
 * uniqueness of its case codes. link() fails if the name exists, so
 * exactly one identity wins and the loser reads it. */
static gboolean
create_demo_identity (const char *data_dir,
                      const char *path,
                      GError    **error)
{
  g_autoptr(MnDevice) device = g_new0 (MnDevice, 1);
  g_autofree char *data = NULL;
  g_autofree char *tmp = NULL;
  gsize len;
  int fd;
  int saved_errno;

  device->station = g_strdup (DEMO_STATION);
  device->terminal = g_strdup_printf ("%02d", g_random_int_range (1, 100));
  data = device_to_data (device, &len);

  tmp = g_build_filename (data_dir, DEVICE_FILE ".XXXXXX", NULL);
  fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0644);
  if (fd < 0 || write (fd, data, len) != (gssize) len || fsync (fd) != 0)
    {
      saved_errno = errno;
      if (fd >= 0)
        {
          close (fd);
          g_unlink (tmp);
        }
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the terminal identity in %s: %s. Check that the data "
                     "directory is writable."),
                   data_dir, g_strerror (saved_errno));
      return FALSE;
    }
  close (fd);

  if (link (tmp, path) != 0 && errno != EEXIST)
    {
      saved_errno = errno;
      g_unlink (tmp);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not write the terminal identity %s: %s. Check that the data "
                     "directory is writable."),
                   path, g_strerror (saved_errno));
      return FALSE;
    }
  g_unlink (tmp);

  return TRUE;
}

MnDevice *
mn_device_load (const char *data_dir,
                GError    **error)
{
  g_autofree char *path = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(MnDevice) device = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (data_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  path = g_build_filename (data_dir, DEVICE_FILE, NULL);

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      if (g_mkdir_with_parents (data_dir, 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create the data directory %s: %s."), data_dir,
                       g_strerror (saved_errno));
          return NULL;
        }
      if (!create_demo_identity (data_dir, path, error))
        return NULL;
    }

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The terminal identity %s cannot be read (%s); provision the terminal "
                     "again."),
                   path, local_error->message);
      return NULL;
    }

  device = g_new0 (MnDevice, 1);
  device->station = g_key_file_get_string (kf, "device", "station", NULL);
  device->terminal = g_key_file_get_string (kf, "device", "terminal", NULL);
  if (device->station != NULL)
    g_strstrip (device->station);
  if (device->terminal != NULL)
    g_strstrip (device->terminal);

  if (!device_is_valid (device))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("The terminal identity %s is damaged: the station must be %d digits and "
                     "the terminal %d digits; provision the terminal again."),
                   path, MN_CASE_CODE_STATION_DIGITS, MN_CASE_CODE_TERMINAL_DIGITS);
      return NULL;
    }

  return g_steal_pointer (&device);
}

gboolean
mn_device_save (const MnDevice *device,
                const char     *data_dir,
                GError        **error)
{
  g_autofree char *path = NULL;
  g_autofree char *data = NULL;
  gsize len;

  g_return_val_if_fail (device != NULL, FALSE);
  g_return_val_if_fail (data_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!is_digits (device->station, MN_CASE_CODE_STATION_DIGITS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The station code must be exactly %d digits, as the platform operator "
                     "gave it."),
                   MN_CASE_CODE_STATION_DIGITS);
      return FALSE;
    }
  if (!is_digits (device->terminal, MN_CASE_CODE_TERMINAL_DIGITS))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("The terminal number must be exactly %d digits, unique within its "
                     "station."),
                   MN_CASE_CODE_TERMINAL_DIGITS);
      return FALSE;
    }

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Could not create the data directory %s: %s."), data_dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  path = g_build_filename (data_dir, DEVICE_FILE, NULL);
  data = device_to_data (device, &len);

  /* Atomic and durable: a terminal switched off while provisioning keeps
   * either its old identity or the new one, never half of each. */
  return g_file_set_contents_full (path, data, len,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0644, error);
}

void
mn_device_free (MnDevice *device)
{
  if (device == NULL)
    return;

  g_free (device->station);
  g_free (device->terminal);
  g_free (device);
}
