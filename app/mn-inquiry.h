/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-store.h"

G_BEGIN_DECLS

/* Asking about progress (查询进度) and rating a case, the rules the kiosk
 * and the command line share. The checks themselves run in the store
 * (mn_store_open_case(), mn_store_rate_case()); this module holds the
 * policy around them and turns a case into the timeline people read and
 * hear. */

/* Failures in a row before the terminal waits. */
#define MN_INQUIRY_MAX_FAILURES 5
/* A lock-out counts towards the length of the next one until this long
 * has passed without a failure. */
#define MN_INQUIRY_LOCKOUT_MEMORY (24 * 60 * 60)
/* No answer, right or wrong, comes sooner than this after the question:
 * what is left of the time differences between a wrong code and wrong
 * digits (disk, key derivation) is hidden under it. */
#define MN_INQUIRY_ANSWER_FLOOR_MS 600

/* How long the @n-th lock-out (from 1) lasts: one minute, doubling each
 * time, at most one hour. */
gint64      mn_inquiry_lockout_seconds (guint n);

/* The groups of a case code (as printed: 4-2-6-4-1). */
typedef enum
{
  MN_CODE_GROUP_STATION  = 1 << 0,
  MN_CODE_GROUP_TERMINAL = 1 << 1,
  MN_CODE_GROUP_DATE     = 1 << 2,
  MN_CODE_GROUP_SEQUENCE = 1 << 3,
  MN_CODE_GROUP_CHECK    = 1 << 4,
} MnCodeGroups;

/* For 17 digits whose check digit fails: the groups where a single wrong
 * digit or a swap of two neighbours would give a plausible code (a real
 * date not after @today, a sequence above 0, and this terminal's @station
 * and @terminal when given). 0 when every group is possible, i.e. nothing
 * honest can be said. */
MnCodeGroups mn_inquiry_code_hint       (const char   *digits,
                                         const char   *station,
                                         const char   *terminal,
                                         GDateTime    *today);

/* What to tell a person whose input is not a usable code, or NULL when it
 * may well be one (a valid case code, or anything that could be a platform
 * case number). Says which group to look at when the check digit can tell
 * (see mn_inquiry_code_hint()). Needs no store: it reveals nothing about
 * which cases exist. */
char       *mn_inquiry_check_code       (const char   *input,
                                         const char   *station,
                                         const char   *terminal,
                                         GDateTime    *today);

/* One line of the timeline. */
typedef enum
{
  MN_TIMELINE_FILED,
  MN_TIMELINE_SENT,
  MN_TIMELINE_ACCEPTED,
  MN_TIMELINE_AGENCY,
  MN_TIMELINE_EXPECTED,
  MN_TIMELINE_NOTES,
  MN_TIMELINE_CLOSED,
  MN_TIMELINE_REOPENED,
  MN_TIMELINE_RATED,
  MN_TIMELINE_ESCALATED,
  MN_TIMELINE_OVERDUE,
  MN_TIMELINE_AS_OF,
} MnTimelineKind;

typedef struct
{
  MnTimelineKind kind;
  gint64         at;       /* 0 when it has no time of its own */
  char          *text;     /* a full sentence, translated */
  gboolean       warning;  /* overdue: shown with an icon as well as said */
} MnTimelineEntry;

void       mn_timeline_entry_free      (MnTimelineEntry *entry);

/* The timeline of @view at @now: filed, sent to the platform, accepted,
 * handled by (agency), expected by (date), status notes, closed, re-opened,
 * rated, escalated, and, in words, overdue; last, "as of" the last contact
 * with the platform. Element type MnTimelineEntry. */
GPtrArray *mn_inquiry_build_timeline   (const MnCaseView *view,
                                        gint64            now);
/* Whether the case is past its committed deadline (or the platform's
 * expected date) and not closed. */
gboolean   mn_inquiry_is_overdue       (const MnRequest  *request,
                                        gint64            now);
/* The whole timeline as one text to speak, the case code digit by digit. */
char      *mn_inquiry_timeline_speech  (const MnCaseView *view,
                                        GPtrArray        *timeline);

/* A local date and time as people read it, in the display language. */
char      *mn_inquiry_format_time      (gint64            at);

/* ---- MnInquiry: the checks with their answer floor ---------------------- */

typedef gint64 (*MnInquiryClock) (gpointer user_data);

#define MN_TYPE_INQUIRY (mn_inquiry_get_type ())
G_DECLARE_FINAL_TYPE (MnInquiry, mn_inquiry, MN, INQUIRY, GObject)

MnInquiry  *mn_inquiry_new              (MnStore        *store);
MnStore    *mn_inquiry_get_store        (MnInquiry      *self);
/* Wall clock in UNIX seconds for the lock-out (tests move it). NULL
 * returns to the real clock. */
void        mn_inquiry_set_clock        (MnInquiry      *self,
                                         MnInquiryClock  clock,
                                         gpointer        user_data);
gint64      mn_inquiry_now              (MnInquiry      *self);
/* The answer floor in milliseconds (default MN_INQUIRY_ANSWER_FLOOR_MS). */
void        mn_inquiry_set_floor_ms     (MnInquiry      *self,
                                         guint           floor_ms);

void        mn_inquiry_open_async       (MnInquiry      *self,
                                         const char     *code,
                                         const char     *phone_last4,
                                         GCancellable   *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer        user_data);
MnCaseView *mn_inquiry_open_finish      (MnInquiry      *self,
                                         GAsyncResult   *result,
                                         GError        **error);
void        mn_inquiry_rate_async       (MnInquiry      *self,
                                         const char     *code,
                                         const char     *phone_last4,
                                         const MnRating *rating,
                                         GCancellable   *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer        user_data);
MnCaseView *mn_inquiry_rate_finish      (MnInquiry      *self,
                                         GAsyncResult   *result,
                                         GError        **error);
/* Blocking versions, for the command line (they sleep out the floor). */
MnCaseView *mn_inquiry_open             (MnInquiry      *self,
                                         const char     *code,
                                         const char     *phone_last4,
                                         GError        **error);
MnCaseView *mn_inquiry_rate             (MnInquiry      *self,
                                         const char     *code,
                                         const char     *phone_last4,
                                         const MnRating *rating,
                                         GError        **error);

G_END_DECLS
