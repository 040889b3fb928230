/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define MN_SYNC_ERROR (mn_sync_error_quark ())

/* What went wrong talking to the platform. The outbox decides from the
 * code whether a message is retried, looked for, or quarantined. */
typedef enum
{
  MN_SYNC_ERROR_NOT_PROVISIONED, /* no platform configured */
  MN_SYNC_ERROR_CONFIG,          /* the configuration is unusable (bad URL, insecure, unreadable CA) */
  MN_SYNC_ERROR_CONNECT,         /* no connection: nothing reached the platform */
  MN_SYNC_ERROR_TLS_EXPIRED,
  MN_SYNC_ERROR_TLS_UNTRUSTED,
  MN_SYNC_ERROR_TLS_HOST,
  MN_SYNC_ERROR_TLS_PIN,
  MN_SYNC_ERROR_TLS,             /* any other TLS failure */
  MN_SYNC_ERROR_TIMEOUT,         /* sent, no complete answer in time: in doubt */
  MN_SYNC_ERROR_DROPPED,         /* sent, the connection closed before the answer: in doubt */
  MN_SYNC_ERROR_CAPTIVE,         /* an HTML page (Wi-Fi login, proxy) instead of the platform */
  MN_SYNC_ERROR_MALFORMED,       /* not JSON, or truncated */
  MN_SYNC_ERROR_SHAPE,           /* JSON, but not the Open311 answer expected */
  MN_SYNC_ERROR_BUSY,            /* 429 / 503: try again later (Retry-After) */
  MN_SYNC_ERROR_SERVER,          /* 5xx */
  MN_SYNC_ERROR_REFUSED,         /* 400/403/404/422: the platform refused for good */
  MN_SYNC_ERROR_NOT_FOUND,       /* unknown id or token (404, 500 or []) */
  MN_SYNC_ERROR_LOCKED,          /* another process is syncing this data directory */
} MnSyncError;

GQuark mn_sync_error_quark (void);

/* The platform this terminal talks to, as `minyin provision` set it:
 * DATA_DIR/platform.ini for the settings, DATA_DIR/platform-api-key
 * (mode 0600) for the secret, which is never logged or printed. */
typedef struct
{
  char   *base_url;        /* ends with '/' */
  char   *api_key;         /* may be NULL */
  char   *jurisdiction;    /* may be NULL: then never sent */
  char   *ca_file;         /* may be NULL: the system's authorities */
  char   *pin_sha256;      /* "sha256//BASE64=", may be NULL */
  guint   connect_timeout; /* seconds */
  guint   total_timeout;   /* seconds */
  guint   low_speed_time;  /* seconds below 1 byte/s that end a transfer */
} MnSyncConfig;

MnSyncConfig *mn_sync_config_new    (void);
void          mn_sync_config_free   (MnSyncConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnSyncConfig, mn_sync_config_free)

/* NOT_PROVISIONED when the data directory has no platform yet. */
MnSyncConfig *mn_sync_config_load   (const char   *data_dir,
                                     GError      **error);
/* Checks (URL scheme and host, CA file readable, pin syntax) and saves. */
gboolean      mn_sync_config_save   (const MnSyncConfig *config,
                                     const char   *data_dir,
                                     GError      **error);
/* The checks of _save alone; the URL gets its trailing '/'. */
gboolean      mn_sync_config_check  (MnSyncConfig *config,
                                     GError      **error);

G_END_DECLS
