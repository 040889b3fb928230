/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-case-entry-page.h"
#include "mn-case-timeline-page.h"
#include "mn-device.h"
#include "mn-progress-flow.h"
#include "mn-rating-page.h"

struct _MnProgressFlow
{
  GObject             parent_instance;

  MnWindow           *window;   /* weak: the window owns the pages */
  MnInquiry          *inquiry;
  GCancellable       *cancellable;

  MnCaseEntryPage    *progress_code;
  MnCaseEntryPage    *progress_phone;
  MnCaseEntryPage    *rate_code;
  MnCaseEntryPage    *rate_phone;
  MnCaseTimelinePage *result;
  MnRatingPage       *rating;

  MnStartItem        *progress_item;
  MnStartItem        *rate_item;

  /* What the person typed, kept to rate after the check; wiped on reset. */
  char               *code;
  char               *last4;
  gboolean            rating_mode;
  gboolean            busy;
  guint               session;
};

G_DEFINE_FINAL_TYPE (MnProgressFlow, mn_progress_flow, G_TYPE_OBJECT)

static void
wipe (char **secret)
{
  if (*secret != NULL)
    {
      memset (*secret, 0, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
speak_page (MnProgressFlow *self,
            const char     *page,
            const char     *text)
{
  mn_window_set_page_speech (self->window, page, text);
  if (g_strcmp0 (mn_window_get_visible_page (self->window), page) == 0)
    mn_window_announce (self->window, text);
}

static void
show (MnProgressFlow *self,
      const char     *page)
{
  mn_window_show_page (self->window, page);
}

static const char *
code_page_name (MnProgressFlow *self)
{
  return self->rating_mode ? "rate-code" : "progress-code";
}

static MnCaseEntryPage *
code_page (MnProgressFlow *self)
{
  return self->rating_mode ? self->rate_code : self->progress_code;
}

static MnCaseEntryPage *
phone_page (MnProgressFlow *self)
{
  return self->rating_mode ? self->rate_phone : self->progress_phone;
}

static void
set_busy (MnProgressFlow *self,
          gboolean        busy)
{
  self->busy = busy;
  mn_case_entry_page_set_busy (phone_page (self), busy);
  mn_rating_page_set_busy (self->rating, busy);
}

/* A failed check: back to the code, both entries wiped, the one message
 * for a wrong code or wrong digits (or the lock-out) shown and said. */
static void
check_failed (MnProgressFlow *self,
              const GError   *error)
{
  MnCaseEntryPage *page = code_page (self);

  wipe (&self->code);
  wipe (&self->last4);
  mn_case_entry_page_reset (self->rate_phone);
  mn_case_entry_page_reset (self->progress_phone);
  mn_case_entry_page_reset (page);
  mn_case_entry_page_set_message (page, error->message);
  show (self, code_page_name (self));
  mn_window_announce (self->window, error->message);
}

static void
show_result (MnProgressFlow   *self,
             const MnCaseView *view,
             const char       *notice,
             gboolean          can_rate)
{
  g_autoptr(GPtrArray) timeline = mn_inquiry_build_timeline (view, mn_inquiry_now (self->inquiry));
  g_autofree char     *speech = mn_case_timeline_page_show (self->result, view, timeline, notice,
                                                            can_rate);

  mn_window_set_page_speech (self->window, "case-result", speech);
  show (self, "case-result");
}

typedef struct
{
  MnProgressFlow *self;
  guint           session;
} Call;

static Call *
call_new (MnProgressFlow *self)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->session = self->session;
  return call;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call);
}

static void
on_opened (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call                 *call = user_data;
  MnProgressFlow       *self = call->self;
  g_autoptr(GError)     error = NULL;
  g_autoptr(MnCaseView) view = mn_inquiry_open_finish (MN_INQUIRY (source), result, &error);

  /* The person left (timeout) while the check ran: show nothing of it. */
  if (call->session != self->session)
    {
      call_free (call);
      return;
    }
  set_busy (self, FALSE);

  if (view == NULL)
    check_failed (self, error);
  else if (!self->rating_mode)
    show_result (self, view, NULL,
                 g_strcmp0 (view->request->status, MN_STATUS_CLOSED) == 0 && !view->rated);
  else if (g_strcmp0 (view->request->status, MN_STATUS_CLOSED) != 0)
    show_result (self, view,
                 _("This case is not closed yet, so it cannot be rated now. Here is where it "
                   "stands."),
                 FALSE);
  else if (view->rated)
    show_result (self, view,
                 _("This round of handling has already been rated; thank you. Here is where "
                   "the case stands."),
                 FALSE);
  else
    {
      mn_rating_page_reset (self->rating);
      mn_window_set_page_speech (self->window, "rate", mn_rating_page_get_speech (self->rating));
      show (self, "rate");
    }
  call_free (call);
}

static void
check (MnProgressFlow *self,
       const char     *last4)
{
  if (self->busy)
    return;
  wipe (&self->last4);
  self->last4 = g_strdup (last4);
  set_busy (self, TRUE);
  mn_window_announce (self->window, _("Checking, one moment please."));
  mn_inquiry_open_async (self->inquiry, self->code, self->last4, self->cancellable, on_opened,
                         call_new (self));
}

static void
on_code_submit (MnCaseEntryPage *page,
                MnProgressFlow  *self)
{
  const char          *text = mn_case_entry_page_get_text (page);
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autofree char     *problem = NULL;
  MnDevice            *device;

  self->rating_mode = (page == self->rate_code);
  device = mn_device_load (mn_store_get_data_dir (mn_inquiry_get_store (self->inquiry)), NULL);
  problem = mn_inquiry_check_code (text, device != NULL ? device->station : NULL,
                                   device != NULL ? device->terminal : NULL, today);
  g_clear_pointer (&device, mn_device_free);
  if (problem != NULL)
    {
      /* A typo the check digit shows: said at once, costs no attempt. */
      mn_case_entry_page_set_message (page, problem);
      mn_window_announce (self->window, problem);
      return;
    }
  mn_case_entry_page_set_message (page, NULL);
  wipe (&self->code);
  self->code = g_strdup (text);
  mn_case_entry_page_reset (phone_page (self));
  show (self, self->rating_mode ? "rate-phone" : "progress-phone");
}

static void
on_phone_submit (MnCaseEntryPage *page,
                 MnProgressFlow  *self)
{
  const char *digits = mn_case_entry_page_get_text (page);

  if (strlen (digits) != 4)
    {
      const char *hint = _("Please type four digits: the last four of your phone number. If you "
                           "gave no phone number, touch “I gave no phone number”.");

      mn_case_entry_page_set_message (page, hint);
      mn_window_announce (self->window, hint);
      return;
    }
  check (self, digits);
}

static void
on_no_phone (MnCaseEntryPage *page,
             MnProgressFlow  *self)
{
  check (self, NULL);
}

static void
on_rate_from_result (MnProgressFlow *self)
{
  if (self->code == NULL)
    return;
  self->rating_mode = TRUE;
  mn_rating_page_reset (self->rating);
  mn_window_set_page_speech (self->window, "rate", mn_rating_page_get_speech (self->rating));
  show (self, "rate");
}

static void
on_rated (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Call                 *call = user_data;
  MnProgressFlow       *self = call->self;
  g_autoptr(GError)     error = NULL;
  g_autoptr(MnCaseView) view = mn_inquiry_rate_finish (MN_INQUIRY (source), result, &error);
  const char           *thanks;

  if (call->session != self->session)
    {
      call_free (call);
      return;
    }
  set_busy (self, FALSE);

  if (view == NULL)
    {
      if (g_error_matches (error, MN_STORE_ERROR, MN_STORE_ERROR_NO_MATCH) ||
          g_error_matches (error, MN_STORE_ERROR, MN_STORE_ERROR_LOCKED))
        check_failed (self, error);
      else
        {
          mn_rating_page_set_message (self->rating, error->message);
          mn_window_announce (self->window, error->message);
        }
      call_free (call);
      return;
    }

  if (g_strcmp0 (view->request->status, MN_STATUS_REOPENED) != 0)
    thanks = _("Thank you for your rating. It has been saved and goes to the platform.");
  else if (view->escalated)
    thanks = _("Thank you. Your case is re-opened and, because it was not resolved after being "
               "handled again, it is escalated. The platform will be told.");
  else
    thanks = _("Thank you. Your case is re-opened and will be handled again. The platform will "
               "be told.");
  mn_rating_page_show_thanks (self->rating, thanks);
  speak_page (self, "rate", thanks);
  call_free (call);
}

static void
on_rating_submit (MnRatingPage   *page,
                  MnRating       *rating,
                  MnProgressFlow *self)
{
  if (self->busy || self->code == NULL)
    return;
  set_busy (self, TRUE);
  mn_inquiry_rate_async (self->inquiry, self->code, self->last4, rating, self->cancellable,
                         on_rated, call_new (self));
}

static void
on_done (MnProgressFlow *self)
{
  /* Finished: the session ends, and with it everything shown. */
  mn_window_reset_session (self->window);
}

static void
on_reset (MnProgressFlow *self)
{
  self->session++;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  wipe (&self->code);
  wipe (&self->last4);
  self->rating_mode = FALSE;
  self->busy = FALSE;
  /* Before its pages are built (after the first frame, all at once when
   * one is needed earlier) there is nothing on them to forget. */
  if (self->progress_code != NULL)
    {
      mn_case_entry_page_reset (self->progress_code);
      mn_case_entry_page_reset (self->progress_phone);
      mn_case_entry_page_reset (self->rate_code);
      mn_case_entry_page_reset (self->rate_phone);
      mn_case_timeline_page_reset (self->result);
      mn_rating_page_reset (self->rating);
    }
  mn_window_set_page_speech (self->window, "case-result", NULL);
}

static void
mn_progress_flow_dispose (GObject *object)
{
  MnProgressFlow *self = MN_PROGRESS_FLOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->inquiry);
  g_clear_object (&self->progress_item);
  g_clear_object (&self->rate_item);
  wipe (&self->code);
  wipe (&self->last4);
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;

  G_OBJECT_CLASS (mn_progress_flow_parent_class)->dispose (object);
}

static void
mn_progress_flow_class_init (MnProgressFlowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mn_progress_flow_dispose;
}

static void
mn_progress_flow_init (MnProgressFlow *self)
{
  self->cancellable = g_cancellable_new ();
}

static MnCaseEntryPage *
build_entry_page (MnProgressFlow *self,
                  const char     *name,
                  gboolean        phone,
                  const char     *title,
                  guint           step,
                  const char     *back)
{
  MnCaseEntryPage *page = MN_CASE_ENTRY_PAGE (mn_case_entry_page_new (phone));
  const char *speech = phone ? _("Please type the last four digits of the phone number you gave "
                                 "when filing, then touch Check. If you gave no phone number, "
                                 "touch the button that says so.")
                             : _("Please type the case code from your receipt on the keypad, "
                                 "then touch Next.");

  mn_case_entry_page_set_step (page, title, step, 3, back);
  mn_window_set_page_speech (self->window, name, speech);
  g_signal_connect_object (page, "submit", G_CALLBACK (phone ? on_phone_submit : on_code_submit),
                           self, 0);
  if (phone)
    g_signal_connect_object (page, "no-phone", G_CALLBACK (on_no_phone), self, 0);
  return page;
}

/* The flow's pages come from factories, so that a change of language
 * builds them again in the new language (mn_window_add_page_factory()). */
enum
{
  PAGE_PROGRESS_CODE,
  PAGE_PROGRESS_PHONE,
  PAGE_RATE_CODE,
  PAGE_RATE_PHONE,
  PAGE_RESULT,
  PAGE_RATE,
  N_PAGES
};

static const char * const page_names[N_PAGES] = {
  "progress-code", "progress-phone", "rate-code", "rate-phone", "case-result", "rate",
};

typedef struct
{
  MnProgressFlow *flow; /* strong: the window keeps the factories, the flow keeps the window weakly */
  guint           page;
} PageRef;

static void
page_ref_free (PageRef *ref)
{
  g_object_unref (ref->flow);
  g_free (ref);
}

static GtkWidget *
build_page (MnWindow *window,
            gpointer  user_data)
{
  PageRef *ref = user_data;
  MnProgressFlow *self = ref->flow;
  const char *name = page_names[ref->page];

  switch (ref->page)
    {
    case PAGE_PROGRESS_CODE:
      self->progress_code = build_entry_page (self, name, FALSE,
                                              _("Ask about progress: your case code"), 1,
                                              "win.go-home");
      return GTK_WIDGET (self->progress_code);
    case PAGE_PROGRESS_PHONE:
      self->progress_phone = build_entry_page (self, name, TRUE,
                                               _("Ask about progress: your phone digits"), 2,
                                               "win.show-page::progress-code");
      return GTK_WIDGET (self->progress_phone);
    case PAGE_RATE_CODE:
      self->rate_code = build_entry_page (self, name, FALSE,
                                          _("Rate a closed case: your case code"), 1,
                                          "win.go-home");
      return GTK_WIDGET (self->rate_code);
    case PAGE_RATE_PHONE:
      self->rate_phone = build_entry_page (self, name, TRUE,
                                           _("Rate a closed case: your phone digits"), 2,
                                           "win.show-page::rate-code");
      return GTK_WIDGET (self->rate_phone);
    case PAGE_RESULT:
      self->result = MN_CASE_TIMELINE_PAGE (mn_case_timeline_page_new ());
      g_signal_connect_object (self->result, "rate", G_CALLBACK (on_rate_from_result), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->result, "done", G_CALLBACK (on_done), self,
                               G_CONNECT_SWAPPED);
      return GTK_WIDGET (self->result);
    case PAGE_RATE:
    default:
      self->rating = MN_RATING_PAGE (mn_rating_page_new ());
      g_signal_connect_object (self->rating, "submit", G_CALLBACK (on_rating_submit), self, 0);
      g_signal_connect_object (self->rating, "done", G_CALLBACK (on_done), self,
                               G_CONNECT_SWAPPED);
      return GTK_WIDGET (self->rating);
    }
}

static int
page_index (const char *name)
{
  for (guint i = 0; i < N_PAGES; i++)
    if (g_str_equal (page_names[i], name))
      return i;
  return -1;
}

MnProgressFlow *
mn_progress_flow_new (MnWindow *window)
{
  MnProgressFlow *self;

  g_return_val_if_fail (MN_IS_WINDOW (window), NULL);

  self = g_object_new (MN_TYPE_PROGRESS_FLOW, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

  for (guint i = 0; i < N_PAGES; i++)
    {
      PageRef *ref = g_new0 (PageRef, 1);

      ref->flow = g_object_ref (self);
      ref->page = i;
      mn_window_add_page_factory (window, page_names[i], build_page, ref,
                                  (GDestroyNotify) page_ref_free, NULL);
    }

  g_signal_connect_object (window, "reset", G_CALLBACK (on_reset), self, G_CONNECT_SWAPPED);

  self->progress_item = mn_start_item_new_translatable ("progress",
                                                        /* Translators: start screen button. */
                                                        N_("Check progress"),
                                                        "edit-find-symbolic", "win.show-page",
                                                        g_variant_new_string ("progress-code"),
                                                        MN_START_ITEM_TILE, 20);
  self->rate_item = mn_start_item_new_translatable ("rate",
                                                    /* Translators: start screen button. */
                                                    N_("Rate a case"), "face-smile-symbolic",
                                                    "win.show-page",
                                                    g_variant_new_string ("rate-code"),
                                                    MN_START_ITEM_TILE, 30);
  return self;
}

void
mn_progress_flow_set_store (MnProgressFlow *self,
                            MnStore        *store)
{
  g_return_if_fail (MN_IS_PROGRESS_FLOW (self));
  g_return_if_fail (MN_IS_STORE (store));

  if (self->inquiry != NULL)
    return;
  self->inquiry = mn_inquiry_new (store);
  /* Only now do the buttons lead somewhere that can answer. */
  if (self->window != NULL)
    {
      mn_window_add_start_item (self->window, self->progress_item);
      mn_window_add_start_item (self->window, self->rate_item);
    }
}

MnInquiry *
mn_progress_flow_get_inquiry (MnProgressFlow *self)
{
  g_return_val_if_fail (MN_IS_PROGRESS_FLOW (self), NULL);

  return self->inquiry;
}

GtkWidget *
mn_progress_flow_get_page (MnProgressFlow *self,
                           const char     *name)
{
  g_return_val_if_fail (MN_IS_PROGRESS_FLOW (self), NULL);

  /* Built now if not yet. */
  if (self->window != NULL && name != NULL && page_index (name) >= 0)
    mn_window_get_page (self->window, name);
  if (g_strcmp0 (name, "progress-code") == 0)
    return GTK_WIDGET (self->progress_code);
  if (g_strcmp0 (name, "progress-phone") == 0)
    return GTK_WIDGET (self->progress_phone);
  if (g_strcmp0 (name, "rate-code") == 0)
    return GTK_WIDGET (self->rate_code);
  if (g_strcmp0 (name, "rate-phone") == 0)
    return GTK_WIDGET (self->rate_phone);
  if (g_strcmp0 (name, "case-result") == 0)
    return GTK_WIDGET (self->result);
  if (g_strcmp0 (name, "rate") == 0)
    return GTK_WIDGET (self->rating);
  return NULL;
}

gboolean
mn_progress_flow_get_busy (MnProgressFlow *self)
{
  g_return_val_if_fail (MN_IS_PROGRESS_FLOW (self), FALSE);

  return self->busy;
}
