/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "mn-sync-config.h"

G_DEFINE_QUARK (mn-sync-error-quark, mn_sync_error)

#define CONFIG_FILE  "platform.ini"
#define API_KEY_FILE "platform-api-key"
#define GROUP        "platform"

MnSyncConfig *
mn_sync_config_new (void)
{
  MnSyncConfig *c = g_new0 (MnSyncConfig, 1);

  c->connect_timeout = 10;
  c->total_timeout = 30;
  c->low_speed_time = 15;
  return c;
}

void
mn_sync_config_free (MnSyncConfig *c)
{
  if (c == NULL)
    return;
  g_free (c->base_url);
  if (c->api_key != NULL)
    {
      /* The key leaves no copy in freed memory. */
      memset (c->api_key, 0, strlen (c->api_key));
      g_free (c->api_key);
    }
  g_free (c->jurisdiction);
  g_free (c->ca_file);
  g_free (c->pin_sha256);
  g_free (c);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;
  g_autofree char *bare = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  /* GUri keeps the brackets off IPv6 literals already; be tolerant. */
  bare = g_strdup (host);
  if (bare[0] == '[')
    {
      memmove (bare, bare + 1, strlen (bare));
      bare[strcspn (bare, "]")] = '\0';
    }
  address = g_inet_address_new_from_string (bare);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
mn_sync_config_check (MnSyncConfig *c,
                      GError      **error)
{
  g_autoptr(GUri) uri = NULL;
  const char     *scheme;

  g_return_val_if_fail (c != NULL, FALSE);

  if (c->base_url == NULL || *c->base_url == '\0')
    {
      g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_PROVISIONED,
                           _("This terminal has no platform yet; ask the administrator to run "
                             "'minyin provision --platform URL'."));
      return FALSE;
    }
  uri = g_uri_parse (c->base_url, G_URI_FLAGS_NONE, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0' ||
      (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("The platform address %s is not a web address; give one like "
                     "https://platform.example/open311/v2/."),
                   c->base_url);
      return FALSE;
    }
  if (g_strcmp0 (scheme, "http") == 0 && !host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("The platform address %s is not encrypted (http://); residents' data may "
                     "only travel over https://. Ask the administrator for the https address."),
                   c->base_url);
      return FALSE;
    }
  if (!g_str_has_suffix (c->base_url, "/"))
    {
      char *with_slash = g_strconcat (c->base_url, "/", NULL);

      g_free (c->base_url);
      c->base_url = with_slash;
    }
  if (c->ca_file != NULL && g_access (c->ca_file, R_OK) != 0)
    {
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("The certificate authority file %s cannot be read; check the path given "
                     "to --ca."),
                   c->ca_file);
      return FALSE;
    }
  if (c->pin_sha256 != NULL)
    {
      gsize            len = 0;
      g_autofree guchar *raw = NULL;
      const char      *b64 = c->pin_sha256;

      if (g_str_has_prefix (b64, "sha256//"))
        b64 += strlen ("sha256//");
      raw = g_base64_decode (b64, &len);
      if (len != 32 || strchr (b64, ';') != NULL)
        {
          g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                               _("The public-key pin must be a SHA-256 hash in base64, like "
                                 "sha256//AbC…=; check the value given to --pin-sha256."));
          return FALSE;
        }
      if (!g_str_has_prefix (c->pin_sha256, "sha256//"))
        {
          char *full = g_strconcat ("sha256//", c->pin_sha256, NULL);

          g_free (c->pin_sha256);
          c->pin_sha256 = full;
        }
    }
  return TRUE;
}

static char *
read_api_key (const char *data_dir,
              GError    **error)
{
  g_autofree char *path = g_build_filename (data_dir, API_KEY_FILE, NULL);
  g_autoptr(GError) local_error = NULL;
  char            *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return g_strdup ("");
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("The platform's key in %s cannot be read; run 'minyin provision' again as "
                     "the terminal's user."),
                   path);
      return NULL;
    }
  g_strstrip (contents);
  return contents;
}

MnSyncConfig *
mn_sync_config_load (const char *data_dir,
                     GError    **error)
{
  g_autofree char        *path = g_build_filename (data_dir, CONFIG_FILE, NULL);
  g_autoptr(GKeyFile)     kf = g_key_file_new ();
  g_autoptr(MnSyncConfig) c = mn_sync_config_new ();
  g_autoptr(GError)       local_error = NULL;
  char                   *key;

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error_literal (error, MN_SYNC_ERROR, MN_SYNC_ERROR_NOT_PROVISIONED,
                             _("This terminal has no platform yet; ask the administrator to run "
                               "'minyin provision --platform URL'."));
      else
        g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                     _("The platform settings in %s cannot be read (%s); run 'minyin "
                       "provision' again."),
                     path, local_error->message);
      return NULL;
    }

  c->base_url = g_key_file_get_string (kf, GROUP, "url", NULL);
  c->jurisdiction = g_key_file_get_string (kf, GROUP, "jurisdiction", NULL);
  c->ca_file = g_key_file_get_string (kf, GROUP, "ca", NULL);
  c->pin_sha256 = g_key_file_get_string (kf, GROUP, "pin", NULL);
  if (g_key_file_has_key (kf, GROUP, "connect_timeout", NULL))
    c->connect_timeout = (guint) CLAMP (g_key_file_get_integer (kf, GROUP, "connect_timeout", NULL), 1, 600);
  if (g_key_file_has_key (kf, GROUP, "total_timeout", NULL))
    c->total_timeout = (guint) CLAMP (g_key_file_get_integer (kf, GROUP, "total_timeout", NULL), 1, 3600);
  if (g_key_file_has_key (kf, GROUP, "low_speed_time", NULL))
    c->low_speed_time = (guint) CLAMP (g_key_file_get_integer (kf, GROUP, "low_speed_time", NULL), 1, 600);

  key = read_api_key (data_dir, error);
  if (key == NULL)
    return NULL;
  if (*key != '\0')
    c->api_key = key;
  else
    g_free (key);

  if (!mn_sync_config_check (c, error))
    return NULL;
  return g_steal_pointer (&c);
}

/* Writes @contents to @path through a temporary file created with @mode,
 * so a reader never sees half a file and the secret is never readable by
 * others, not even for an instant. */
static gboolean
write_private (const char *path,
               const char *contents,
               int         mode,
               GError    **error)
{
  g_autofree char *tmp = g_strconcat (path, ".tmp", NULL);
  gsize            len = strlen (contents);
  int              fd;

  g_unlink (tmp);
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0 || fchmod (fd, mode) != 0 || write (fd, contents, len) != (gssize) len ||
      fsync (fd) != 0)
    {
      int saved = errno;

      if (fd >= 0)
        close (fd);
      g_unlink (tmp);
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("Could not write %s (%s); check that the data directory is writable."),
                   path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;

      g_unlink (tmp);
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("Could not write %s (%s); check that the data directory is writable."),
                   path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

gboolean
mn_sync_config_save (const MnSyncConfig *config,
                     const char         *data_dir,
                     GError            **error)
{
  g_autoptr(MnSyncConfig) c = mn_sync_config_new ();
  g_autoptr(GKeyFile)     kf = g_key_file_new ();
  g_autofree char        *path = g_build_filename (data_dir, CONFIG_FILE, NULL);
  g_autofree char        *key_path = g_build_filename (data_dir, API_KEY_FILE, NULL);
  g_autofree char        *data = NULL;
  g_autofree char        *ca = NULL;

  c->base_url = g_strdup (config->base_url);
  c->api_key = g_strdup (config->api_key);
  c->jurisdiction = g_strdup (config->jurisdiction);
  c->pin_sha256 = g_strdup (config->pin_sha256);
  c->connect_timeout = config->connect_timeout;
  c->total_timeout = config->total_timeout;
  c->low_speed_time = config->low_speed_time;
  /* The CA path is kept absolute: the program may run from elsewhere. */
  if (config->ca_file != NULL)
    c->ca_file = g_canonicalize_filename (config->ca_file, NULL);
  if (!mn_sync_config_check (c, error))
    return FALSE;

  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("Could not create the data directory %s: %s. Check its permissions or "
                     "choose another one."),
                   data_dir, g_strerror (errno));
      return FALSE;
    }

  g_key_file_set_string (kf, GROUP, "url", c->base_url);
  if (c->jurisdiction != NULL)
    g_key_file_set_string (kf, GROUP, "jurisdiction", c->jurisdiction);
  if (c->ca_file != NULL)
    g_key_file_set_string (kf, GROUP, "ca", c->ca_file);
  if (c->pin_sha256 != NULL)
    g_key_file_set_string (kf, GROUP, "pin", c->pin_sha256);
  g_key_file_set_integer (kf, GROUP, "connect_timeout", (gint) c->connect_timeout);
  g_key_file_set_integer (kf, GROUP, "total_timeout", (gint) c->total_timeout);
  g_key_file_set_integer (kf, GROUP, "low_speed_time", (gint) c->low_speed_time);
  data = g_key_file_to_data (kf, NULL, NULL);

  if (!write_private (path, data, 0600, error))
    return FALSE;
  if (c->api_key != NULL)
    return write_private (key_path, c->api_key, 0600, error);
  if (g_unlink (key_path) != 0 && errno != ENOENT)
    {
      g_set_error (error, MN_SYNC_ERROR, MN_SYNC_ERROR_CONFIG,
                   _("Could not remove the old platform key %s (%s)."), key_path,
                   g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}
