/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "mn-store.h"

G_BEGIN_DECLS

/* What the sync client (sync/) asks of the store: the outbox's life cycle,
 * what the platform answered, and the sync facts `minyin status` shows.
 * These are MnStore methods; they run on the store's worker thread and
 * block the caller (the sync worker never runs on the GTK main loop). */

/* Outbox message kinds. */
#define MN_OUTBOX_CREATE "create"   /* POST requests.json */
#define MN_OUTBOX_UPDATE "update"   /* POST servicerequestupdates.json */

typedef struct
{
  gint64     id;             /* the outbox row */
  char      *kind;           /* MN_OUTBOX_* */
  char      *state;          /* as stored before the claim */
  char      *payload;        /* JSON for updates, NULL for creates */
  guint      attempts;       /* attempts before this one */
  gboolean   in_doubt;       /* an earlier attempt may have reached the platform */
  char      *last_error;
  char      *quarantine_reason;
  gint64     created_at;
  gint64     next_attempt_at;
  MnRequest *request;        /* the request it belongs to */
  char      *platform_token; /* the platform's token, when it answered one */
} MnOutboxMessage;

void mn_outbox_message_free (MnOutboxMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnOutboxMessage, mn_outbox_message_free)

/* Claims up to @limit messages of @kind, oldest first, that are queued,
 * waiting to retry or left "sending" by a process that died (those come
 * back with in_doubt set), and due at @now (all of them when
 * @ignore_schedule, for a sync a person asked for), with ids above
 * @after_id (a pass moves on past a stuck message). They are marked
 * "sending" in one transaction before this returns. Messages of other
 * kinds, quarantined or sent ones are never returned. Only one process
 * may sync a store at a time (the sync client holds a lock file).
 * Element type MnOutboxMessage. */
GPtrArray *mn_store_outbox_claim        (MnStore     *self,
                                         const char  *kind,
                                         gint64       after_id,
                                         guint        limit,
                                         gint64       now,
                                         gboolean     ignore_schedule,
                                         GError     **error);

/* In ONE transaction: the message becomes "sent", the request gets
 * @platform_id (creates only; may be NULL for updates), its status becomes
 * "sent" if it was "saved", and a "sent" event (kind @event_kind, detail
 * @event_detail) is appended. */
gboolean   mn_store_outbox_mark_sent    (MnStore     *self,
                                         gint64       message_id,
                                         const char  *platform_id,
                                         const char  *event_kind,
                                         const char  *event_detail,
                                         GError     **error);

/* Several messages marked sent in ONE transaction (one disk flush for a
 * batch), each exactly as mn_store_outbox_mark_sent() would. Element type
 * MnSentMark; the strings stay the caller's. */
typedef struct
{
  gint64  message_id;
  char   *platform_id;
  char   *event_kind;
  char   *event_detail;
} MnSentMark;

gboolean   mn_store_outbox_mark_sent_many (MnStore  *self,
                                           GArray   *marks,
                                           GError  **error);

/* The platform answered a token: kept on the request with an "accepted"
 * event; the message waits (state retry, due at once, no longer in
 * doubt) for the token to be turned into a case number. */
gboolean   mn_store_outbox_set_token    (MnStore     *self,
                                         gint64       message_id,
                                         const char  *token,
                                         gint64       next_attempt_at,
                                         GError     **error);

/* The attempt failed for now: state retry, due at @next_attempt_at, with
 * @last_error (a sentence). @in_doubt records whether the attempt may
 * have reached the platform; once in doubt a message stays so until it is
 * sent or its absence on the platform is established (@in_doubt FALSE
 * with @clear_doubt TRUE). */
gboolean   mn_store_outbox_retry        (MnStore     *self,
                                         gint64       message_id,
                                         gint64       next_attempt_at,
                                         const char  *last_error,
                                         gboolean     in_doubt,
                                         gboolean     clear_doubt,
                                         GError     **error);

/* The platform refused the message for good: state quarantined with the
 * server's @reason and a "quarantined" event. Never deleted. */
gboolean   mn_store_outbox_quarantine   (MnStore     *self,
                                         gint64       message_id,
                                         const char  *reason,
                                         GError     **error);

/* Staff asked to try quarantined messages again: message @message_id, or
 * every quarantined one when 0. Returns how many were requeued through
 * @out_count (may be NULL). NOT_FOUND when @message_id is not quarantined. */
gboolean   mn_store_outbox_requeue      (MnStore     *self,
                                         gint64       message_id,
                                         guint       *out_count,
                                         GError     **error);

/* The earliest next_attempt_at of the messages waiting (queued or
 * retry), or 0 when none waits. */
gboolean   mn_store_outbox_next_due     (MnStore     *self,
                                         gint64      *out_next_due,
                                         GError     **error);

/* Messages in @state (NULL: every unsent one), oldest first. Element type
 * MnOutboxMessage. */
GPtrArray *mn_store_outbox_list         (MnStore     *self,
                                         const char  *state,
                                         GError     **error);

/* Queues a feedback or re-handling message for the request @uuid: an
 * "update" message carrying @status (REOPEN, CLOSED...), @description and
 * a fresh update id, with an event of kind @event_kind. */
gboolean   mn_store_queue_update        (MnStore     *self,
                                         const char  *uuid,
                                         const char  *status,
                                         const char  *description,
                                         const char  *event_kind,
                                         GError     **error);

/* Platform ids of the requests whose status may still change (not closed,
 * or closed less than 30 days ago), oldest first. Element type char*. */
GPtrArray *mn_store_platform_ids_to_pull (MnStore    *self,
                                          GError    **error);

/* What the platform says about case @platform_id now. @status is a local
 * status word (MN_STATUS_*). Updates the request and appends a "status"
 * event when status, notes, agency or expected time changed; sets
 * @out_changed. NOT_FOUND when no request has that platform id. */
gboolean   mn_store_apply_platform_status (MnStore    *self,
                                           const char *platform_id,
                                           const char *status,
                                           const char *status_notes,
                                           const char *agency,
                                           gint64      expected_at,
                                           gboolean   *out_changed,
                                           GError    **error);

/* Many cases at once, in ONE transaction (a pull of a batch of ids).
 * Cases no request here has are skipped. Element type MnPlatformStatus;
 * @out_changed counts the requests that changed. */
typedef struct
{
  const char *platform_id;
  const char *status;
  const char *status_notes;
  const char *agency;
  gint64      expected_at;
} MnPlatformStatus;

gboolean   mn_store_apply_platform_statuses (MnStore    *self,
                                             GPtrArray  *statuses,
                                             guint      *out_changed,
                                             GError    **error);

/* The facts `minyin status` and the window's indicator show. */
typedef struct
{
  gint64  last_contact;    /* UNIX time of the last well-formed answer, 0 never */
  gint64  last_error_at;   /* 0 when the last sync ended without error */
  char   *last_error;      /* a sentence, or NULL */
} MnSyncState;

void       mn_sync_state_free            (MnSyncState *state);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnSyncState, mn_sync_state_free)

MnSyncState *mn_store_get_sync_state     (MnStore     *self,
                                          GError     **error);
/* @last_contact 0 leaves it as it was; @last_error NULL clears it. */
gboolean   mn_store_set_sync_state       (MnStore     *self,
                                          gint64       last_contact,
                                          const char  *last_error,
                                          GError     **error);

G_END_DECLS
