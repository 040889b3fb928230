/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Whether the network is there, from GNetworkMonitor. It only says that a
 * route exists; whether the platform answers (and not a Wi-Fi login page)
 * is what the outbox's probe finds out: every pass starts with a
 * conditional GET of services.json, a few hundred bytes or a 304.
 *
 * "online" is emitted on the thread-default main context of the creator
 * when the network comes back (after a short settling time, since a
 * link that flaps emits several changes), so the outbox can send at once
 * instead of waiting for its back-off. */
#define MN_TYPE_CONNECTIVITY (mn_connectivity_get_type ())
G_DECLARE_FINAL_TYPE (MnConnectivity, mn_connectivity, MN, CONNECTIVITY, GObject)

MnConnectivity *mn_connectivity_new            (void);
/* For tests: watch @monitor instead of the system's. */
MnConnectivity *mn_connectivity_new_for_monitor (GNetworkMonitor *monitor);
gboolean        mn_connectivity_get_available  (MnConnectivity  *self);

G_END_DECLS
