/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* Staff accounts (ARCHITECTURE.md: helpers are "logged in", the station
 * administrator "enrols staff"): a staff number, a display name and a PIN
 * of 6 to 12 digits, typed on the kiosk's keypad. The PIN is kept only as
 * libsodium's crypto_pwhash_str (Argon2id, interactive limits); hashing
 * and checking take a tenth of a second and 64 MiB on purpose, so they
 * never run on the GTK main loop (mn_staff_sign_in_async()).
 *
 * Wrong PINs: after MN_STAFF_MAX_FAILURES in a row for a staff number,
 * that number is refused for mn_inquiry_lockout_seconds(n) (one minute,
 * doubling with each lock-out, at most an hour). The counters are in the
 * store (table staff_guard), so a restart does not reset them, and they
 * are kept per typed number whether or not it exists, with the same
 * answer and the same work, so the keypad cannot be used to find out
 * which numbers exist. Every attempt, right or wrong, goes to the audit
 * trail (mn-audit.h). */

#define MN_STAFF_ERROR (mn_staff_error_quark ())
typedef enum
{
  MN_STAFF_ERROR_INVALID,   /* a number, name or PIN of the wrong shape */
  MN_STAFF_ERROR_EXISTS,    /* that staff number is enrolled already */
  MN_STAFF_ERROR_NOT_FOUND, /* no staff account with that number */
  MN_STAFF_ERROR_WRONG,     /* the number or the PIN is not right */
  MN_STAFF_ERROR_LOCKED,    /* too many wrong PINs: wait */
  MN_STAFF_ERROR_DISABLED,  /* the account exists but was disabled */
} MnStaffError;
GQuark mn_staff_error_quark (void);

#define MN_STAFF_MAX_FAILURES  5
#define MN_STAFF_PIN_MIN       6
#define MN_STAFF_PIN_MAX       12
#define MN_STAFF_NUMBER_MAX    8
#define MN_STAFF_NAME_MAX      40

typedef struct
{
  char     *number;
  char     *name;
  gint64    created_at;
  gboolean  disabled;
} MnStaffAccount;

void            mn_staff_account_free  (MnStaffAccount *account);
MnStaffAccount *mn_staff_account_copy  (const MnStaffAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnStaffAccount, mn_staff_account_free)

/* Shape checks, with a sentence a person can act on. */
gboolean        mn_staff_check_number  (const char  *number,
                                        GError     **error);
gboolean        mn_staff_check_pin     (const char  *pin,
                                        GError     **error);

/* crypto_pwhash_str with the interactive limits, and its check. */
char           *mn_staff_hash_pin      (const char  *pin,
                                        GError     **error);
gboolean        mn_staff_verify_pin    (const char  *hash,
                                        const char  *pin);

/* Enrols a staff member (the station administrator, from the command
 * line). @actor is who did it, for the audit trail. */
gboolean        mn_staff_add           (MnStore     *store,
                                        const char  *number,
                                        const char  *name,
                                        const char  *pin,
                                        const char  *actor,
                                        GError     **error);
/* Element type MnStaffAccount, by number. */
GPtrArray      *mn_staff_list          (MnStore     *store,
                                        GError     **error);
/* The account can no longer sign in; it stays, for the audit trail. */
gboolean        mn_staff_disable       (MnStore     *store,
                                        const char  *number,
                                        const char  *actor,
                                        GError     **error);

/* Checks @number and @pin at @now (UNIX time; tests move it), counts a
 * failure or clears the counters, and writes the attempt to the audit
 * trail. Blocks for the PIN check: call it from a thread, or use the
 * async pair. */
MnStaffAccount *mn_staff_sign_in       (MnStore     *store,
                                        const char  *number,
                                        const char  *pin,
                                        gint64       now,
                                        GError     **error);
void            mn_staff_sign_in_async (MnStore             *store,
                                        const char          *number,
                                        const char          *pin,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
MnStaffAccount *mn_staff_sign_in_finish (GAsyncResult  *result,
                                         GError       **error);

G_END_DECLS
