/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* The sync worker: sends the outbox to the platform exactly once, pulls
 * statuses back and keeps the catalogue fresh, following PROTOCOL.md's
 * outbox rules.
 *
 * mn_outbox_sync() is one blocking pass (for `minyin sync --once` and for
 * the worker thread). mn_outbox_start() runs passes on a thread of its
 * own, at once when the network comes back and otherwise when messages
 * fall due; it reports through the "changed" signal, emitted on the main
 * context that was the thread default when the outbox was created. */

#define MN_TYPE_OUTBOX (mn_outbox_get_type ())
G_DECLARE_FINAL_TYPE (MnOutbox, mn_outbox, MN, OUTBOX, GObject)

typedef struct
{
  guint    sent;              /* creates and updates the platform now holds */
  guint    quarantined;       /* refused for good in this pass */
  guint    failed;            /* attempts that will be retried */
  guint    found_after_doubt; /* found on the platform instead of re-posting */
  guint    statuses_changed;
  guint    waiting;           /* left queued / retrying after the pass */
  guint    in_quarantine;     /* all quarantined messages after the pass */
  gboolean catalogue_changed;
  gboolean contacted;         /* at least one well-formed answer */
} MnSyncReport;

MnOutbox *mn_outbox_new                (MnStore      *store);

/* One pass: catalogue (conditional GET), outbox (creates, token
 * resolution, updates), statuses. With @ignore_schedule every waiting
 * message is tried now (a person asked for it); otherwise only due ones.
 * Returns FALSE with the reason when the platform could not be used at
 * all or anything was left unsent; @report is filled either way. */
gboolean  mn_outbox_sync               (MnOutbox     *self,
                                        gboolean      ignore_schedule,
                                        MnSyncReport *report,
                                        GCancellable *cancellable,
                                        GError      **error);

/* Only the catalogue and the service definitions. */
gboolean  mn_outbox_refresh_catalogue  (MnOutbox     *self,
                                        gboolean     *out_changed,
                                        GError      **error);

/* The background worker. */
void      mn_outbox_start              (MnOutbox     *self);
void      mn_outbox_stop               (MnOutbox     *self);
/* Run a pass now, trying every waiting message (the network came back, or
 * a request was just filed). */
void      mn_outbox_wake               (MnOutbox     *self);

/* For the window's indicator (main thread). Until the first pass has
 * reported, whether the platform answers is not known (checked FALSE). */
gboolean  mn_outbox_get_checked        (MnOutbox     *self);
gboolean  mn_outbox_get_online         (MnOutbox     *self);
guint     mn_outbox_get_waiting        (MnOutbox     *self);

G_END_DECLS
