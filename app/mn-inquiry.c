/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-inquiry.h"

#define LOCKOUT_BASE_SECONDS 60
#define LOCKOUT_MAX_SECONDS (60 * 60)

/* Group of each digit of a case code: 4 station, 2 terminal, 6 date, 4
 * sequence, 1 check digit. */
static const guint group_lengths[] = { 4, 2, 6, 4, 1 };

gint64
mn_inquiry_lockout_seconds (guint n)
{
  gint64 seconds = LOCKOUT_BASE_SECONDS;

  for (guint i = 1; i < n && seconds < LOCKOUT_MAX_SECONDS; i++)
    seconds *= 2;

  return MIN (seconds, LOCKOUT_MAX_SECONDS);
}

static guint
group_of (guint position)
{
  guint end = 0;

  for (guint g = 0; g < G_N_ELEMENTS (group_lengths); g++)
    {
      end += group_lengths[g];
      if (position < end)
        return g;
    }
  g_assert_not_reached ();
}

/* Whether a code whose check digit is right could have been issued: a
 * real date from 2020 up to @today, a sequence above 0, and this
 * terminal's station and number when known. */
static gboolean
plausible (const char *c,
           const char *station,
           const char *terminal,
           GDateTime  *today)
{
  int year = 2000 + (c[6] - '0') * 10 + (c[7] - '0');
  int month = (c[8] - '0') * 10 + (c[9] - '0');
  int day = (c[10] - '0') * 10 + (c[11] - '0');
  int ymd = year * 10000 + month * 100 + day;
  int today_ymd;

  if (station != NULL && strncmp (c, station, MN_CASE_CODE_STATION_DIGITS) != 0)
    return FALSE;
  if (terminal != NULL &&
      strncmp (c + MN_CASE_CODE_STATION_DIGITS, terminal, MN_CASE_CODE_TERMINAL_DIGITS) != 0)
    return FALSE;
  if (!g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year) || year < 2020)
    return FALSE;
  if (today != NULL)
    {
      today_ymd = g_date_time_get_year (today) * 10000 + g_date_time_get_month (today) * 100 +
                  g_date_time_get_day_of_month (today);
      /* A day of slack for terminals whose clock runs ahead. */
      if (ymd > today_ymd + 1 && !(month == 1 && day == 1))
        return FALSE;
    }
  return strncmp (c + 12, "0000", 4) != 0;
}

MnCodeGroups
mn_inquiry_code_hint (const char *digits,
                      const char *station,
                      const char *terminal,
                      GDateTime  *today)
{
  char  c[MN_CASE_CODE_DIGITS + 1];
  guint groups = 0;

  g_return_val_if_fail (digits != NULL && strlen (digits) == MN_CASE_CODE_DIGITS, 0);

  /* Damm's check catches every single wrong digit and every swap of
   * neighbours, but it cannot say where: at every position exactly one
   * other digit would satisfy it. What narrows it down is which of those
   * repairs give a code that could exist. */
  for (guint i = 0; i < MN_CASE_CODE_DIGITS; i++)
    for (char d = '0'; d <= '9'; d++)
      {
        if (d == digits[i])
          continue;
        memcpy (c, digits, sizeof c - 1);
        c[MN_CASE_CODE_DIGITS] = '\0';
        c[i] = d;
        if (mn_case_code_check_digit (c, MN_CASE_CODE_DIGITS) == 0 &&
            plausible (c, station, terminal, today))
          groups |= 1u << group_of (i);
      }

  for (guint i = 0; i + 1 < MN_CASE_CODE_DIGITS; i++)
    {
      if (digits[i] == digits[i + 1])
        continue;
      memcpy (c, digits, sizeof c - 1);
      c[MN_CASE_CODE_DIGITS] = '\0';
      c[i] = digits[i + 1];
      c[i + 1] = digits[i];
      if (mn_case_code_check_digit (c, MN_CASE_CODE_DIGITS) == 0 &&
          plausible (c, station, terminal, today))
        groups |= (1u << group_of (i)) | (1u << group_of (i + 1));
    }

  if (groups == (1u << G_N_ELEMENTS (group_lengths)) - 1)
    return 0;
  return (MnCodeGroups) groups;
}

char *
mn_inquiry_check_code (const char *input,
                       const char *station,
                       const char *terminal,
                       GDateTime  *today)
{
  g_autoptr(GError) error = NULL;
  g_autofree char  *canonical = NULL;
  g_auto(GStrv)     groups = NULL;
  char              digits[MN_CASE_CODE_DIGITS + 1] = { 0 };
  guint             n = 0;
  guint             hint;
  guint             picked[2];
  guint             n_picked = 0;

  canonical = mn_case_code_parse (input != NULL ? input : "", &error);
  if (canonical != NULL)
    return NULL;

  if (g_error_matches (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_EMPTY) ||
      g_error_matches (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_DATE) ||
      g_error_matches (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_SEQUENCE))
    return g_strdup (error->message);

  /* Another length or other characters: it may be the platform's case
   * number, which only the store can tell. */
  if (!g_error_matches (error, MN_CASE_CODE_ERROR, MN_CASE_CODE_ERROR_CHECK_DIGIT))
    return NULL;

  for (const char *p = input; *p != '\0' && n < MN_CASE_CODE_DIGITS; p = g_utf8_next_char (p))
    {
      int v = g_unichar_digit_value (g_utf8_get_char (p));

      if (v >= 0)
        digits[n++] = (char) ('0' + v);
    }
  g_assert (n == MN_CASE_CODE_DIGITS);

  hint = mn_inquiry_code_hint (digits, station, terminal, today);
  for (guint g = 0; g < G_N_ELEMENTS (group_lengths); g++)
    if (hint & (1u << g))
      {
        if (n_picked < G_N_ELEMENTS (picked))
          picked[n_picked] = g;
        n_picked++;
      }

  groups = mn_case_code_groups (digits);
  if (n_picked == 1)
    return g_strdup_printf (
      /* Translators: %u is the number of a group of digits as printed on
       * the receipt (1 to 5), %s the digits typed in that group. */
      _("This case code is not right. If only one digit is wrong, it is in group %u, “%s”: "
        "please compare that group with your receipt."),
      picked[0] + 1, groups[picked[0]]);
  if (n_picked == 2)
    return g_strdup_printf (
      /* Translators: two groups of digits, each with its number and digits. */
      _("This case code is not right. If only one digit is wrong, it is in group %u, “%s”, or "
        "group %u, “%s”: please compare them with your receipt."),
      picked[0] + 1, groups[picked[0]], picked[1] + 1, groups[picked[1]]);

  return g_strdup (error->message);
}

/* ---- the timeline ---------------------------------------------------- */

void
mn_timeline_entry_free (MnTimelineEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->text);
  g_free (entry);
}

char *
mn_inquiry_format_time (gint64 at)
{
  g_autoptr(GDateTime) t = g_date_time_new_from_unix_local (at);

  if (t == NULL)
    return g_strdup ("?");
  /* Translators: a date and time as residents read it, g_date_time_format()
   * syntax; for Chinese e.g. "%Y年%m月%d日 %H:%M". */
  return g_date_time_format (t, _("%Y-%m-%d %H:%M"));
}

gboolean
mn_inquiry_is_overdue (const MnRequest *request,
                       gint64           now)
{
  gint64 due;

  g_return_val_if_fail (request != NULL, FALSE);

  if (g_strcmp0 (request->status, MN_STATUS_CLOSED) == 0)
    return FALSE;
  due = request->expected_at > 0 ? request->expected_at : request->deadline_at;
  return due > 0 && now > due;
}

static void
add (GPtrArray      *timeline,
     MnTimelineKind  kind,
     gint64          at,
     gboolean        warning,
     char           *text)
{
  MnTimelineEntry *e = g_new0 (MnTimelineEntry, 1);

  e->kind = kind;
  e->at = at;
  e->warning = warning;
  e->text = text;
  g_ptr_array_add (timeline, e);
}

GPtrArray *
mn_inquiry_build_timeline (const MnCaseView *view,
                           gint64            now)
{
  GPtrArray       *timeline = g_ptr_array_new_with_free_func ((GDestroyNotify) mn_timeline_entry_free);
  const MnRequest *r;
  gboolean         sent = FALSE;

  g_return_val_if_fail (view != NULL && view->request != NULL, timeline);
  r = view->request;

  for (guint i = 0; view->events != NULL && i < view->events->len; i++)
    {
      const MnEvent   *ev = g_ptr_array_index (view->events, i);
      g_autofree char *when = mn_inquiry_format_time (ev->at);

      if (g_strcmp0 (ev->kind, "filed") == 0)
        add (timeline, MN_TIMELINE_FILED, ev->at, FALSE,
             g_strdup_printf (_("Filed on %s."), when));
      else if (g_strcmp0 (ev->kind, "sent") == 0 && !sent)
        {
          sent = TRUE;
          add (timeline, MN_TIMELINE_SENT, ev->at, FALSE,
               r->platform_id != NULL
                 ? g_strdup_printf (_("Sent to the platform on %s; its case number is %s."), when,
                                    r->platform_id)
                 : g_strdup_printf (_("Sent to the platform on %s."), when));
        }
      else if (g_strcmp0 (ev->kind, "accepted") == 0)
        add (timeline, MN_TIMELINE_ACCEPTED, ev->at, FALSE,
             g_strdup_printf (_("Accepted by the platform on %s."), when));
      else if (g_strcmp0 (ev->kind, "status") == 0 && ev->detail != NULL &&
               g_str_has_prefix (ev->detail, MN_STATUS_CLOSED))
        add (timeline, MN_TIMELINE_CLOSED, ev->at, FALSE,
             g_strdup_printf (_("Closed as handled on %s."), when));
      else if (g_strcmp0 (ev->kind, "rated") == 0)
        add (timeline, MN_TIMELINE_RATED, ev->at, FALSE,
             g_strdup_printf (_("Rated on %s: %s"), when, ev->detail != NULL ? ev->detail : ""));
      else if (g_strcmp0 (ev->kind, "reopened") == 0)
        add (timeline, MN_TIMELINE_REOPENED, ev->at, FALSE,
             g_strdup_printf (_("Re-opened on %s at the resident's request, to be handled "
                                "again."),
                              when));
      else if (g_strcmp0 (ev->kind, "escalated") == 0)
        add (timeline, MN_TIMELINE_ESCALATED, ev->at, TRUE,
             g_strdup_printf (_("Escalated on %s: still not resolved after being handled "
                                "again."),
                              when));
    }

  if (!sent)
    add (timeline, MN_TIMELINE_SENT, 0, FALSE,
         g_strdup (_("Not yet sent to the platform: it waits on this terminal and goes as soon "
                     "as there is a connection.")));

  if (r->agency != NULL && *r->agency != '\0')
    add (timeline, MN_TIMELINE_AGENCY, 0, FALSE,
         g_strdup_printf (_("Handled by: %s."), r->agency));

  if (g_strcmp0 (r->status, MN_STATUS_CLOSED) != 0)
    {
      gint64           due = r->expected_at > 0 ? r->expected_at : r->deadline_at;
      g_autofree char *when = due > 0 ? mn_inquiry_format_time (due) : NULL;

      if (when != NULL)
        add (timeline, MN_TIMELINE_EXPECTED, due, FALSE,
             r->expected_at > 0 ? g_strdup_printf (_("Expected to be done by %s."), when)
                                : g_strdup_printf (_("Committed deadline: %s."), when));
    }

  if (r->status_notes != NULL && *r->status_notes != '\0')
    add (timeline, MN_TIMELINE_NOTES, 0, FALSE,
         g_strdup_printf (_("Latest note: %s"), r->status_notes));

  if (mn_inquiry_is_overdue (r, now))
    add (timeline, MN_TIMELINE_OVERDUE, 0, TRUE,
         g_strdup (_("Overdue: the time limit has passed and the case is not closed yet.")));

  if (g_strcmp0 (r->status, MN_STATUS_CLOSED) == 0 && !view->rated)
    add (timeline, MN_TIMELINE_CLOSED, 0, FALSE,
         g_strdup (_("This case is closed. You can rate how it was handled.")));

  {
    g_autofree char *when = view->last_contact > 0 ? mn_inquiry_format_time (view->last_contact)
                                                   : NULL;

    add (timeline, MN_TIMELINE_AS_OF, view->last_contact, FALSE,
         when != NULL ? g_strdup_printf (_("As of %s, the last contact with the platform."), when)
                      : g_strdup (_("This terminal has not reached the platform yet; what is "
                                    "shown is what it knows itself.")));
  }

  return timeline;
}

char *
mn_inquiry_timeline_speech (const MnCaseView *view,
                            GPtrArray        *timeline)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (view != NULL && view->request != NULL, g_string_free (text, FALSE));

  if (view->request->case_code != NULL)
    {
      g_auto(GStrv) groups = mn_case_code_groups (view->request->case_code);
      g_autofree char *spaced = NULL;
      GString *digits = g_string_new (NULL);

      /* Digit by digit, groups apart: espeak reads runs of digits as
       * quantities (ACCESSIBILITY.md). */
      for (guint g = 0; groups[g] != NULL; g++)
        {
          if (g > 0)
            g_string_append (digits, ", ");
          for (const char *p = groups[g]; *p != '\0'; p++)
            g_string_append_printf (digits, "%s%c", p == groups[g] ? "" : " ", *p);
        }
      spaced = g_string_free (digits, FALSE);
      g_string_append_printf (text, _("Case %s."), spaced);
      g_string_append_c (text, ' ');
    }
  for (guint i = 0; i < timeline->len; i++)
    {
      const MnTimelineEntry *e = g_ptr_array_index (timeline, i);

      g_string_append (text, e->text);
      g_string_append_c (text, ' ');
    }

  return g_string_free (text, FALSE);
}

/* ---- MnInquiry ------------------------------------------------------- */

struct _MnInquiry
{
  GObject         parent_instance;

  MnStore        *store;
  MnInquiryClock  clock;
  gpointer        clock_data;
  guint           floor_ms;
};

G_DEFINE_FINAL_TYPE (MnInquiry, mn_inquiry, G_TYPE_OBJECT)

static void
mn_inquiry_finalize (GObject *object)
{
  MnInquiry *self = MN_INQUIRY (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (mn_inquiry_parent_class)->finalize (object);
}

static void
mn_inquiry_class_init (MnInquiryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mn_inquiry_finalize;
}

static void
mn_inquiry_init (MnInquiry *self)
{
  self->floor_ms = MN_INQUIRY_ANSWER_FLOOR_MS;
}

MnInquiry *
mn_inquiry_new (MnStore *store)
{
  MnInquiry *self;

  g_return_val_if_fail (MN_IS_STORE (store), NULL);

  self = g_object_new (MN_TYPE_INQUIRY, NULL);
  self->store = g_object_ref (store);
  return self;
}

MnStore *
mn_inquiry_get_store (MnInquiry *self)
{
  g_return_val_if_fail (MN_IS_INQUIRY (self), NULL);

  return self->store;
}

void
mn_inquiry_set_clock (MnInquiry     *self,
                      MnInquiryClock clock,
                      gpointer       user_data)
{
  g_return_if_fail (MN_IS_INQUIRY (self));

  self->clock = clock;
  self->clock_data = user_data;
}

gint64
mn_inquiry_now (MnInquiry *self)
{
  g_return_val_if_fail (MN_IS_INQUIRY (self), 0);

  if (self->clock != NULL)
    return self->clock (self->clock_data);
  return g_get_real_time () / G_USEC_PER_SEC;
}

void
mn_inquiry_set_floor_ms (MnInquiry *self,
                         guint      floor_ms)
{
  g_return_if_fail (MN_IS_INQUIRY (self));

  self->floor_ms = floor_ms;
}

typedef struct
{
  gint64      started;   /* monotonic, µs */
  MnCaseView *view;
  GError     *error;
} Pending;

static void
pending_free (Pending *p)
{
  g_clear_pointer (&p->view, mn_case_view_free);
  g_clear_error (&p->error);
  g_free (p);
}

static void
return_pending (GTask *task)
{
  Pending *p = g_task_get_task_data (task);

  if (p->error != NULL)
    g_task_return_error (task, g_steal_pointer (&p->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&p->view), (GDestroyNotify) mn_case_view_free);
}

static gboolean
on_floor_reached (gpointer data)
{
  GTask *task = data;

  return_pending (task);
  return G_SOURCE_REMOVE;
}

static void
on_store_done (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  MnInquiry       *self = g_task_get_source_object (task);
  Pending         *p = g_task_get_task_data (task);
  gint64           elapsed_ms;

  if (g_task_get_source_tag (task) == mn_inquiry_open_async)
    p->view = mn_store_open_case_finish (MN_STORE (source), result, &p->error);
  else
    p->view = mn_store_rate_case_finish (MN_STORE (source), result, &p->error);

  /* Every answer waits until the floor: right or wrong, it comes at the
   * same moment. */
  elapsed_ms = (g_get_monotonic_time () - p->started) / 1000;
  if (elapsed_ms < (gint64) self->floor_ms)
    {
      GSource *timeout = g_timeout_source_new ((guint) (self->floor_ms - elapsed_ms));

      g_task_attach_source (task, timeout, on_floor_reached);
      g_source_unref (timeout);
      return;
    }
  return_pending (task);
}

static GTask *
start_task (MnInquiry          *self,
            gpointer            tag,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  GTask   *task = g_task_new (self, cancellable, callback, user_data);
  Pending *p = g_new0 (Pending, 1);

  p->started = g_get_monotonic_time ();
  g_task_set_source_tag (task, tag);
  g_task_set_task_data (task, p, (GDestroyNotify) pending_free);
  return task;
}

void
mn_inquiry_open_async (MnInquiry          *self,
                       const char         *code,
                       const char         *phone_last4,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (MN_IS_INQUIRY (self));
  g_return_if_fail (code != NULL);

  task = start_task (self, mn_inquiry_open_async, cancellable, callback, user_data);
  mn_store_open_case_async (self->store, code, phone_last4, mn_inquiry_now (self), cancellable,
                            on_store_done, task);
}

MnCaseView *
mn_inquiry_open_finish (MnInquiry    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
mn_inquiry_rate_async (MnInquiry          *self,
                       const char         *code,
                       const char         *phone_last4,
                       const MnRating     *rating,
                       GCancellable       *cancellable,
                       GAsyncReadyCallback callback,
                       gpointer            user_data)
{
  GTask *task;

  g_return_if_fail (MN_IS_INQUIRY (self));
  g_return_if_fail (code != NULL);
  g_return_if_fail (rating != NULL);

  task = start_task (self, mn_inquiry_rate_async, cancellable, callback, user_data);
  mn_store_rate_case_async (self->store, code, phone_last4, rating, mn_inquiry_now (self),
                            cancellable, on_store_done, task);
}

MnCaseView *
mn_inquiry_rate_finish (MnInquiry    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sleep_out_floor (MnInquiry *self,
                 gint64     started)
{
  gint64 left_us = (gint64) self->floor_ms * 1000 - (g_get_monotonic_time () - started);

  if (left_us > 0)
    g_usleep ((gulong) left_us);
}

MnCaseView *
mn_inquiry_open (MnInquiry  *self,
                 const char *code,
                 const char *phone_last4,
                 GError    **error)
{
  gint64      started = g_get_monotonic_time ();
  MnCaseView *view;

  g_return_val_if_fail (MN_IS_INQUIRY (self), NULL);

  view = mn_store_open_case (self->store, code, phone_last4, mn_inquiry_now (self), error);
  sleep_out_floor (self, started);
  return view;
}

MnCaseView *
mn_inquiry_rate (MnInquiry      *self,
                 const char     *code,
                 const char     *phone_last4,
                 const MnRating *rating,
                 GError        **error)
{
  gint64      started = g_get_monotonic_time ();
  MnCaseView *view;

  g_return_val_if_fail (MN_IS_INQUIRY (self), NULL);

  view = mn_store_rate_case (self->store, code, phone_last4, rating, mn_inquiry_now (self),
                             error);
  sleep_out_floor (self, started);
  return view;
}
