/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* minyin speak [--lang L] [--phonemes] [--wav FILE] TEXT
 *
 * Says TEXT through the sound output (staff use it to test a kiosk's
 * speakers), or prints the phonemes espeak-ng chose, or writes the audio
 * to a WAV file. argv[0] is "speak" (or the program name). */
int mn_cli_speak_main (int    argc,
                       char **argv);

G_END_DECLS
