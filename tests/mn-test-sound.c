/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "mn-test-sound.h"

static gboolean
bytes_contain (const char *data,
               gsize       len,
               const char *needle)
{
  return memmem (data, len, needle, strlen (needle)) != NULL;
}

/**
 * mn_test_assert_no_plain_sound:
 * @path: a folder
 *
 * Fails the test if any file under @path (recursively) holds an Ogg page
 * or an Opus header: a resident's voice in clear. A file deleted while
 * the folder is read is skipped (recordings come and go).
 *
 * Returns: how many files were read
 */
guint
mn_test_assert_no_plain_sound (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint n = 0;

  if (dir == NULL)
    return 0;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_autofree char *contents = NULL;
      gsize length = 0;

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        {
          n += mn_test_assert_no_plain_sound (child);
          continue;
        }
      if (!g_file_get_contents (child, &contents, &length, NULL))
        continue;
      if (bytes_contain (contents, length, "OggS") || bytes_contain (contents, length, "OpusHead"))
        g_error ("%s holds sound in clear", child);
      n++;
    }
  return n;
}
