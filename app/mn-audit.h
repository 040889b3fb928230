/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* The audit trail (ARCHITECTURE.md: "every access by staff is written to
 * a tamper-evident audit trail"): one row per thing staff did, in the
 * store's `audit` table. Each row carries the hash of the row before it
 * and its own hash over that and its content (BLAKE2b-256, libsodium's
 * crypto_generichash), so changing, inserting or removing a row in the
 * middle breaks the chain at that row, which mn_audit_verify() finds.
 *
 * What it cannot show: a trail cut short at its end (the last rows
 * deleted) looks like a shorter honest trail, and someone able to write
 * the file can recompute every hash after a change. Copies of the trail
 * kept elsewhere (`minyin audit --json` to the platform or a stick)
 * are what catch those. */

/* The actions written today. */
#define MN_AUDIT_SIGN_IN         "sign-in"
#define MN_AUDIT_SIGN_IN_FAILED  "sign-in-failed"
#define MN_AUDIT_SIGN_OUT        "sign-out"
#define MN_AUDIT_QUARANTINE_VIEW "quarantine-view"
#define MN_AUDIT_RETRY           "retry"
#define MN_AUDIT_EXPORT          "export"
#define MN_AUDIT_STAFF_ADD       "staff-add"
#define MN_AUDIT_STAFF_DISABLE   "staff-disable"

typedef struct
{
  gint64  id;
  gint64  at;        /* UNIX time */
  char   *actor;     /* a staff number, or "cli:USER" for the command line */
  char   *action;    /* MN_AUDIT_* */
  char   *detail;    /* free text (ids, a file name, why), or NULL */
  char   *prev_hash; /* hex */
  char   *hash;      /* hex */
} MnAuditEntry;

void          mn_audit_entry_free (MnAuditEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnAuditEntry, mn_audit_entry_free)

/* Appends a row (on the store's worker, in one transaction with reading
 * the hash it chains to). Blocks the caller. */
gboolean      mn_audit_append     (MnStore     *store,
                                   const char  *actor,
                                   const char  *action,
                                   const char  *detail,
                                   GError     **error);

/* The same off the calling thread, for the window, which never waits:
 * a failure is logged (the person may have left already). */
void          mn_audit_append_async (MnStore    *store,
                                     const char *actor,
                                     const char *action,
                                     const char *detail);

/* Every row, oldest first. Element type MnAuditEntry. */
GPtrArray    *mn_audit_list       (MnStore     *store,
                                   GError     **error);

/* Recomputes the chain. Returns the ids of the rows that do not match
 * (their content changed, or the row before them is not the one they were
 * chained to), oldest first; an empty array for an intact trail; NULL on
 * a failure to read (with @error). Element type gint64. */
GArray       *mn_audit_verify     (MnStore     *store,
                                   GError     **error);

/* The hash of a row, as stored: hex BLAKE2b-256 over @prev_hash and the
 * row's fields, each preceded by its length, so that no two different
 * rows hash alike by moving text from one field to the next. */
char         *mn_audit_row_hash   (const char  *prev_hash,
                                   gint64       id,
                                   gint64       at,
                                   const char  *actor,
                                   const char  *action,
                                   const char  *detail);

/* Who acts from the command line: "cli:" and the system user, since a
 * shell on the terminal is the administrator's. */
char         *mn_audit_cli_actor  (void);

/* What the first row chains to. */
#define MN_AUDIT_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"

G_END_DECLS
