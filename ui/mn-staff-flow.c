/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-audit.h"
#include "mn-catalogue.h"
#include "mn-quarantine.h"
#include "mn-quarantine-page.h"
#include "mn-staff-flow.h"
#include "mn-staff-sign-in-page.h"

struct _MnStaffFlow
{
  GObject            parent_instance;

  MnWindow          *window;   /* weak: the window owns the pages */
  MnStore           *store;
  GSettings         *settings;
  MnCatalogue       *catalogue;
  GCancellable      *cancellable;

  MnStaffSignInPage *sign_in;
  MnQuarantinePage  *quarantine;

  MnStaffAccount    *account;
  char              *last_export;
  gboolean           signing_out;
  guint              busy;
  guint              session;
};

G_DEFINE_FINAL_TYPE (MnStaffFlow, mn_staff_flow, G_TYPE_OBJECT)

enum
{
  SIGNAL_RETRIED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- calls that must not outlive the session -------------------------- */

typedef struct
{
  MnStaffFlow *self;
  guint        session;
} Call;

static Call *
call_new (MnStaffFlow *self)
{
  Call *call = g_new0 (Call, 1);

  call->self = g_object_ref (self);
  call->session = self->session;
  self->busy++;
  return call;
}

/* FALSE when the session the call belonged to is over: its answer is for
 * nobody (a staff member who left must not have their list shown to the
 * next person). */
static gboolean
call_end (Call *call)
{
  gboolean current = call->session == call->self->session;

  if (current)
    call->self->busy--;
  return current;
}

static void
call_free (Call *call)
{
  g_object_unref (call->self);
  g_free (call);
}

static void
say (MnStaffFlow *self,
     const char  *text)
{
  if (self->window != NULL)
    mn_window_announce (self->window, text);
}

static const char *
actor (MnStaffFlow *self)
{
  return self->account != NULL ? self->account->number : "?";
}

/* ---- the list ---------------------------------------------------------- */

static void
on_listed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Call                *call = user_data;
  MnStaffFlow         *self = call->self;
  g_autoptr(GError)    error = NULL;
  g_autoptr(GPtrArray) list = mn_quarantine_list_finish (result, &error);

  if (call_end (call))
    {
      mn_quarantine_page_set_busy (self->quarantine, self->busy > 0);
      if (list == NULL)
        {
          mn_quarantine_page_set_status (self->quarantine, error->message, TRUE);
          say (self, error->message);
        }
      else
        {
          g_autofree char *speech = NULL;

          mn_quarantine_page_set_messages (self->quarantine, list, self->catalogue);
          speech = mn_quarantine_page_get_speech (self->quarantine);
          if (self->window != NULL)
            mn_window_set_page_speech (self->window, "staff-quarantine", speech);
        }
    }
  call_free (call);
}

static void
refresh (MnStaffFlow *self)
{
  if (self->account == NULL || self->store == NULL)
    return;
  mn_quarantine_page_set_busy (self->quarantine, TRUE);
  mn_quarantine_list_async (self->store, actor (self), self->cancellable, on_listed,
                            call_new (self));
}

/* ---- sign-in ----------------------------------------------------------- */

static void
on_signed_in (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Call                     *call = user_data;
  MnStaffFlow              *self = call->self;
  g_autoptr(GError)         error = NULL;
  g_autoptr(MnStaffAccount) account = mn_staff_sign_in_finish (result, &error);

  if (!call_end (call))
    {
      /* The session ended while the PIN was checked: the audit trail has
       * the sign-in, so it gets its sign-out too. */
      if (account != NULL && self->store != NULL)
        mn_audit_append_async (self->store, account->number, MN_AUDIT_SIGN_OUT,
                               "session ended during sign-in");
      call_free (call);
      return;
    }
  if (account == NULL)
    {
      /* A wrong PIN and an unknown number get the same sentence. */
      mn_staff_sign_in_page_restart (self->sign_in, error->message);
      say (self, error->message);
      call_free (call);
      return;
    }

  self->account = g_steal_pointer (&account);
  mn_staff_sign_in_page_restart (self->sign_in, NULL);
  mn_quarantine_page_set_staff (self->quarantine, self->account->number, self->account->name);
  mn_quarantine_page_set_status (self->quarantine, NULL, FALSE);
  mn_window_show_page (self->window, "staff-quarantine");
  refresh (self);
  call_free (call);
}

static void
on_submit (MnStaffSignInPage *page,
           const char        *number,
           const char        *pin,
           MnStaffFlow       *self)
{
  if (number == NULL)
    {
      say (self, mn_staff_sign_in_page_get_message (page));
      return;
    }
  if (self->store == NULL || self->busy > 0)
    return;
  mn_staff_sign_in_page_set_busy (page, TRUE);
  mn_staff_sign_in_page_set_message (page, NULL);
  say (self, _("Checking, one moment please."));
  mn_staff_sign_in_async (self->store, number, pin, self->cancellable, on_signed_in,
                          call_new (self));
}

/* ---- retry and export ---------------------------------------------------- */

static void
on_retried (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Call              *call = user_data;
  MnStaffFlow       *self = call->self;
  g_autoptr(GError)  error = NULL;
  gssize             count = mn_quarantine_retry_finish (result, &error);

  if (call_end (call))
    {
      if (count < 0)
        {
          mn_quarantine_page_set_status (self->quarantine, error->message, TRUE);
          say (self, error->message);
        }
      else
        {
          g_autofree char *text =
            g_strdup_printf (ngettext ("%u message is back in the queue. It goes to the platform "
                                       "as soon as it can be reached.",
                                       "%u messages are back in the queue. They go to the "
                                       "platform as soon as it can be reached.",
                                       (guint) count),
                             (guint) count);

          mn_quarantine_page_set_status (self->quarantine, text, FALSE);
          say (self, text);
          /* The sync worker tries them now, not at its next round. */
          g_signal_emit (self, signals[SIGNAL_RETRIED], 0);
        }
      refresh (self);
    }
  call_free (call);
}

static void
on_retry (MnQuarantinePage *page,
          gint64            id,
          MnStaffFlow      *self)
{
  if (self->account == NULL || self->store == NULL || self->busy > 0)
    return;
  mn_quarantine_page_set_busy (page, TRUE);
  mn_quarantine_retry_async (self->store, id, actor (self), self->cancellable, on_retried,
                             call_new (self));
}

static void
on_exported (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  Call              *call = user_data;
  MnStaffFlow       *self = call->self;
  g_autoptr(GError)  error = NULL;
  g_autofree char   *path = mn_quarantine_export_finish (result, &error);

  if (call_end (call))
    {
      mn_quarantine_page_set_busy (self->quarantine, self->busy > 0);
      if (path == NULL)
        {
          mn_quarantine_page_set_status (self->quarantine, error->message, TRUE);
          say (self, error->message);
        }
      else
        {
          /* Translators: on the staff page after an export; %s is the file. */
          g_autofree char *text = g_strdup_printf (_("Written to %s. Contact details are "
                                                     "masked in the file."),
                                                   path);

          g_free (self->last_export);
          self->last_export = g_steal_pointer (&path);
          mn_quarantine_page_set_status (self->quarantine, text, FALSE);
          say (self, _("The file is written."));
        }
    }
  call_free (call);
}

static void
on_export (MnQuarantinePage *page,
           gint64            id,
           MnStaffFlow      *self)
{
  g_autofree char *dir = NULL;

  if (self->account == NULL || self->store == NULL || self->busy > 0)
    return;
  if (self->settings != NULL)
    dir = g_settings_get_string (self->settings, "export-dir");
  mn_quarantine_page_set_busy (page, TRUE);
  mn_quarantine_export_async (self->store, id, dir != NULL && *dir != '\0' ? dir : NULL,
                              actor (self), self->cancellable, on_exported, call_new (self));
}

/* ---- the session's end ---------------------------------------------------- */

static void
on_sign_out (MnQuarantinePage *page,
             MnStaffFlow      *self)
{
  self->signing_out = TRUE;
  if (self->window != NULL)
    mn_window_reset_session (self->window);
  self->signing_out = FALSE;
}

static void
on_reset (MnStaffFlow *self)
{
  /* Whatever was running belongs to the session that ended. */
  self->session++;
  self->busy = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (self->account != NULL && self->store != NULL)
    mn_audit_append_async (self->store, self->account->number, MN_AUDIT_SIGN_OUT,
                           self->signing_out ? "signed out"
                                             : "session ended (idle timeout or start screen)");
  g_clear_pointer (&self->account, mn_staff_account_free);
  if (self->sign_in != NULL)
    mn_staff_sign_in_page_restart (self->sign_in, NULL);
  if (self->quarantine != NULL)
    mn_quarantine_page_clear (self->quarantine);
  if (self->window != NULL)
    mn_window_set_page_speech (self->window, "staff-quarantine", NULL);
}

/* The quarantine page is in the window's stack like every page, so an
 * action could show it; without a sign-in it is empty and hands over to
 * the sign-in page at once. */
static gboolean
redirect_to_sign_in (gpointer user_data)
{
  MnStaffFlow *self = user_data;

  if (self->account == NULL && self->window != NULL &&
      g_strcmp0 (mn_window_get_visible_page (self->window), "staff-quarantine") == 0)
    mn_window_show_page (self->window, "staff-sign-in");
  return G_SOURCE_REMOVE;
}

static void
on_quarantine_map (GtkWidget   *page,
                   MnStaffFlow *self)
{
  if (self->account == NULL)
    g_idle_add_full (G_PRIORITY_HIGH_IDLE, redirect_to_sign_in, g_object_ref (self),
                     g_object_unref);
}

/* ---- pages ---------------------------------------------------------------- */

static GtkWidget *
build_sign_in (MnWindow *window,
               gpointer  user_data)
{
  MnStaffFlow *self = user_data;

  self->sign_in = MN_STAFF_SIGN_IN_PAGE (mn_staff_sign_in_page_new ());
  g_signal_connect_object (self->sign_in, "submit", G_CALLBACK (on_submit), self, 0);
  mn_window_set_page_speech (window, "staff-sign-in",
                             mn_staff_sign_in_page_get_speech (self->sign_in));
  return GTK_WIDGET (self->sign_in);
}

static GtkWidget *
build_quarantine (MnWindow *window,
                  gpointer  user_data)
{
  MnStaffFlow *self = user_data;

  self->quarantine = MN_QUARANTINE_PAGE (mn_quarantine_page_new ());
  g_signal_connect_object (self->quarantine, "retry", G_CALLBACK (on_retry), self, 0);
  g_signal_connect_object (self->quarantine, "export", G_CALLBACK (on_export), self, 0);
  g_signal_connect_object (self->quarantine, "sign-out", G_CALLBACK (on_sign_out), self, 0);
  g_signal_connect_object (self->quarantine, "map", G_CALLBACK (on_quarantine_map), self, 0);
  /* A page built again (a change of language) shows the session again. */
  if (self->account != NULL)
    {
      mn_quarantine_page_set_staff (self->quarantine, self->account->number, self->account->name);
      refresh (self);
    }
  return GTK_WIDGET (self->quarantine);
}

static void
mn_staff_flow_dispose (GObject *object)
{
  MnStaffFlow *self = MN_STAFF_FLOW (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->catalogue);
  g_clear_pointer (&self->account, mn_staff_account_free);
  g_clear_pointer (&self->last_export, g_free);
  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;

  G_OBJECT_CLASS (mn_staff_flow_parent_class)->dispose (object);
}

static void
mn_staff_flow_class_init (MnStaffFlowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = mn_staff_flow_dispose;

  signals[SIGNAL_RETRIED] =
    g_signal_new ("retried", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
mn_staff_flow_init (MnStaffFlow *self)
{
  self->cancellable = g_cancellable_new ();
  self->catalogue = mn_catalogue_new_default ();
}

MnStaffFlow *
mn_staff_flow_new (MnWindow *window)
{
  MnStaffFlow *self;

  g_return_val_if_fail (MN_IS_WINDOW (window), NULL);

  self = g_object_new (MN_TYPE_STAFF_FLOW, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);

  /* The window's factories hold the flow; the flow holds the window
   * weakly. No start-screen item: staff come in through the "staff have
   * been called" sign only. */
  mn_window_add_page_factory (window, "staff-sign-in", build_sign_in, g_object_ref (self),
                              g_object_unref, NULL);
  mn_window_add_page_factory (window, "staff-quarantine", build_quarantine, g_object_ref (self),
                              g_object_unref, NULL);
  g_signal_connect_object (window, "reset", G_CALLBACK (on_reset), self, G_CONNECT_SWAPPED);
  return self;
}

static void
on_catalogue (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(MnStaffFlow) self = user_data;
  g_autoptr(MnCatalogue) catalogue = mn_catalogue_load_finish (result, NULL);

  /* Without the platform's catalogue the bundled names stay. */
  if (catalogue != NULL)
    g_set_object (&self->catalogue, catalogue);
}

void
mn_staff_flow_set_store (MnStaffFlow *self,
                         MnStore     *store)
{
  g_return_if_fail (MN_IS_STAFF_FLOW (self));
  g_return_if_fail (MN_IS_STORE (store));

  if (self->store != NULL)
    return;
  self->store = g_object_ref (store);
  mn_catalogue_load_async (store, self->cancellable, on_catalogue, g_object_ref (self));
}

void
mn_staff_flow_set_settings (MnStaffFlow *self,
                            GSettings   *settings)
{
  g_return_if_fail (MN_IS_STAFF_FLOW (self));

  g_set_object (&self->settings, settings);
}

const MnStaffAccount *
mn_staff_flow_get_account (MnStaffFlow *self)
{
  g_return_val_if_fail (MN_IS_STAFF_FLOW (self), NULL);

  return self->account;
}

gboolean
mn_staff_flow_get_busy (MnStaffFlow *self)
{
  g_return_val_if_fail (MN_IS_STAFF_FLOW (self), FALSE);

  return self->busy > 0;
}

GtkWidget *
mn_staff_flow_get_page (MnStaffFlow *self,
                        const char  *name)
{
  g_return_val_if_fail (MN_IS_STAFF_FLOW (self), NULL);

  /* Built now if not yet. */
  if (self->window != NULL && g_str_has_prefix (name, "staff-"))
    mn_window_get_page (self->window, name);
  if (g_strcmp0 (name, "staff-sign-in") == 0)
    return GTK_WIDGET (self->sign_in);
  if (g_strcmp0 (name, "staff-quarantine") == 0)
    return GTK_WIDGET (self->quarantine);
  return NULL;
}

const char *
mn_staff_flow_get_last_export (MnStaffFlow *self)
{
  g_return_val_if_fail (MN_IS_STAFF_FLOW (self), NULL);

  return self->last_export;
}
