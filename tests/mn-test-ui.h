/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mn-application.h"
#include "mn-handwriting-pad.h"
#include "mn-window.h"

G_BEGIN_DECLS

extern MnApplication *mn_test_app;
extern MnWindow *mn_test_window;
extern char *mn_test_shot_dir;
/* The test's own data directory (MINYIN_DATA_DIR), removed at shutdown;
 * $MINYIN_TEST_DATA_DIR when a test prepared one before mn_test_ui_init(). */
extern char *mn_test_data_dir;

/* Sets MINYIN_DPI=96, starts GTK and the application, presents its window
 * and waits for its first frame. Screenshots go to
 * $MINYIN_BUILD_ROOT/screenshots/<language>/<name>/. FALSE without a
 * display. */
gboolean   mn_test_ui_init              (int         *argc,
                                         char      ***argv,
                                         const char  *name);
void       mn_test_ui_shutdown          (void);

/* Waits (on the frame clock, never a sleep) until @w has drawn a frame
 * that started after this call. */
void       mn_test_wait_for_frame       (GtkWidget   *w);
/* Runs the main loop for @seconds (a timer: to show something does NOT
 * happen). */
void       mn_test_run_for              (double       seconds);
/* What a finger's tap ends in: "clicked", through the button's action. */
void       mn_test_click                (GtkWidget   *button);
/* Mapped widgets of @type in the window, in tree order. */
GPtrArray *mn_test_mapped_of_type       (GType        type);
double     mn_test_px_per_mm            (void);
/* Every mapped button >= 16 mm on its shortest side, >= 8 mm from any
 * other, sensitive; every label's capital H >= 7 mm. */
void       mn_test_check_sizes          (const char  *where);
/* The text part of mn_test_check_sizes(): every label's capital H
 * >= 7 mm, its lines >= 1.4 font sizes apart, no text over other text. */
void       mn_test_check_text           (const char  *where);
/* Every label's colour against what is drawn behind it >= 7:1. */
void       mn_test_check_drawn_contrast (const char  *where);
/* A PNG of the window as @name.png in mn_test_shot_dir. */
void       mn_test_save_shot            (const char  *name);

/* A data directory that can be filled, for the disk-full tests. Call
 * before mn_test_ui_init(): the data directory is then a tmpfs of
 * @bytes of its own, mounted inside a private user and mount namespace
 * (which needs no root), or with plain root rights in a mount namespace;
 * where neither is allowed, "full" is the file size limit
 * (RLIMIT_FSIZE, SIGXFSZ ignored) instead; MINYIN_TEST_SMALL_DISK=
 * file-size-limit chooses that one anywhere. */
void       mn_test_want_small_disk      (gsize        bytes);
/* Which of the above is in use: "tmpfs in a user namespace", "tmpfs",
 * "file size limit", or NULL. */
const char *mn_test_small_disk_method   (void);
/* Fills the data directory's disk to the last block (or lowers the file
 * size limit below the store's files). */
void       mn_test_fill_disk            (void);
/* Gives the space back. */
void       mn_test_free_disk            (void);

/* Feeds the @n-th recorded character of tests/data/handwriting-strokes.txt
 * to @pad as if written by a finger and waits for its candidates; returns
 * the first of them (not touched yet). */
char      *mn_test_feed_recorded        (MnHandwritingPad *pad,
                                         guint             n);

G_END_DECLS
