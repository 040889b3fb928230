/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* "mnhungsrc": an audiotestsrc whose state change @transition can be held
 * (blocked in the thread that makes it) until released: a microphone that
 * hangs in the driver, made to order. Registered as a static element, so
 * gst-launch descriptions ($MINYIN_AUDIO_SOURCE, mn_voice_note_set_source)
 * can name it. */
void     mn_test_hung_src_register (void);
/* From now on, every mnhungsrc blocks in @transition until released. */
void     mn_test_hung_src_hold     (GstStateChange transition);
/* Lets every held state change go on, and holds no more. */
void     mn_test_hung_src_release  (void);
/* How many state changes have been held so far (they block at once). */
guint    mn_test_hung_src_held     (void);
/* Runs the main loop until more than @before state changes have been
 * held (woken by the hold itself, no polling); fails after @seconds. */
void     mn_test_hung_src_wait_held (guint  before,
                                     double seconds);

G_END_DECLS
