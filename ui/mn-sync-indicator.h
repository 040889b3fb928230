/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "mn-outbox.h"

G_BEGIN_DECLS

/* A small, calm line that says whether the platform answers and how many
 * requests wait on this terminal ("已连接平台" / "离线 · 3 条诉求在本机等待").
 * It follows an MnOutbox's "changed" signal. */
#define MN_TYPE_SYNC_INDICATOR (mn_sync_indicator_get_type ())
G_DECLARE_FINAL_TYPE (MnSyncIndicator, mn_sync_indicator, MN, SYNC_INDICATOR, GtkWidget)

GtkWidget  *mn_sync_indicator_new        (void);
void        mn_sync_indicator_set_outbox (MnSyncIndicator *self,
                                          MnOutbox        *outbox);
/* Shows @online / @waiting directly (the outbox calls this; tests too). */
void        mn_sync_indicator_update     (MnSyncIndicator *self,
                                          gboolean         online,
                                          guint            waiting);
/* "Checking the connection…": what it says before the outbox's first
 * pass has reported (and what a test may ask for). */
void        mn_sync_indicator_show_checking (MnSyncIndicator *self);
const char *mn_sync_indicator_get_text   (MnSyncIndicator *self);

G_END_DECLS
