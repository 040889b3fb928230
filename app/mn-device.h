/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The identity of this terminal, kept beside its store in
 * DATA_DIR/device.ini (not in GSettings: several terminals may share one
 * machine and one user in tests, and the case codes of a store must follow
 * the identity it was filed under). Written by `minyin provision`.
 *
 *   [device]
 *   station=3309      4 digits, given by the platform operator
 *   terminal=01       2 digits, unique within the station
 *
 * An unprovisioned terminal uses station 0000 (a demo station) and a
 * terminal number drawn at random once and then kept. */
typedef struct
{
  char *station;
  char *terminal;
} MnDevice;

MnDevice *mn_device_load  (const char  *data_dir,
                           GError     **error);
gboolean  mn_device_save  (const MnDevice *device,
                           const char  *data_dir,
                           GError     **error);
void      mn_device_free  (MnDevice    *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnDevice, mn_device_free)

G_END_DECLS
