/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-application.h"
#include "mn-case-code.h"
#include "mn-flow-frame.h"
#include "mn-qr.h"
#include "mn-receipt-page.h"
#include "mn-window.h"

/* While a slip prints the person waits at the kiosk: the idle timer must
 * not take the screen (and the code) away, so the page says every few
 * seconds that someone is there. */
#define KEEP_ALIVE_S 5

struct _MnReceiptPage
{
  AdwBin      parent_instance;

  GtkLabel   *code_label;
  GtkImage   *qr_image;
  GtkWidget  *print_button;
  GtkLabel   *print_status;
  GdkTexture *qr;
  char       *shown;

  MnReceiptSlip *slip;
  GSettings  *settings;       /* the application's, or NULL without a schema */
  char       *export_pdf;     /* tests: print into this file instead */
  GCancellable *printing;     /* while a slip prints */
  guint       keep_alive_id;
};

G_DEFINE_FINAL_TYPE (MnReceiptPage, mn_receipt_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_FINISH,
  SIGNAL_PRINTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnReceiptPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
finish_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnReceiptPage *self = MN_RECEIPT_PAGE (widget);

  /* Not while the slip prints: the code must stay on screen until the
   * person has it on paper or has been told to write it down. */
  if (self->printing != NULL)
    return;
  g_signal_emit (widget, signals[SIGNAL_FINISH], 0);
}

/* The printer named in the settings, or NULL: no printer, no button. */
static char *
dup_printer (MnReceiptPage *self)
{
  g_autofree char *name = NULL;

  if (self->settings == NULL)
    {
      GApplication *app = g_application_get_default ();

      if (MN_IS_APPLICATION (app) && mn_application_get_settings (MN_APPLICATION (app)) != NULL)
        {
          self->settings = g_object_ref (mn_application_get_settings (MN_APPLICATION (app)));
          g_signal_connect_object (self->settings, "changed::printer",
                                   G_CALLBACK (mn_receipt_page_update_print), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  if (self->settings == NULL)
    return NULL;
  name = g_settings_get_string (self->settings, "printer");
  g_strstrip (name);
  return *name != '\0' ? g_steal_pointer (&name) : NULL;
}

static MnReceiptPaper
get_paper (MnReceiptPage *self)
{
  g_autofree char *nick = NULL;
  MnReceiptPaper paper = MN_RECEIPT_PAPER_ROLL_80;

  if (self->settings != NULL)
    nick = g_settings_get_string (self->settings, "receipt-paper");
  if (nick != NULL && !mn_receipt_paper_from_string (nick, &paper))
    g_warning ("The receipt-paper setting “%s” is not a known paper; printing on an 80 mm roll.",
               nick);
  return paper;
}

static void
set_status (MnReceiptPage *self,
            const char    *text,
            gboolean       is_error)
{
  gtk_label_set_label (self->print_status, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->print_status), text != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->print_status), "mn-error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->print_status), "mn-error");
}

static void
say (MnReceiptPage *self,
     const char    *text)
{
  if (get_window (self) != NULL)
    mn_window_announce (get_window (self), text);
}

static gboolean
keep_alive (gpointer user_data)
{
  MnReceiptPage *self = user_data;

  if (get_window (self) != NULL)
    mn_window_note_activity (get_window (self));
  return G_SOURCE_CONTINUE;
}

static void
set_printing (MnReceiptPage *self,
              gboolean       printing)
{
  if (printing)
    {
      self->printing = g_cancellable_new ();
      if (self->keep_alive_id == 0)
        self->keep_alive_id = g_timeout_add_seconds (KEEP_ALIVE_S, keep_alive, self);
      keep_alive (self);
    }
  else
    {
      g_clear_object (&self->printing);
      g_clear_handle_id (&self->keep_alive_id, g_source_remove);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "receipt.finish", !printing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "receipt.print", !printing);
}

static void
weak_ref_free (GWeakRef *ref)
{
  g_weak_ref_clear (ref);
  g_free (ref);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GWeakRef, weak_ref_free)

static void
on_printed (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GWeakRef) ref = user_data;
  g_autoptr(MnReceiptPage) self = g_weak_ref_get (ref);
  g_autoptr(GError) error = NULL;
  gboolean ok = mn_receipt_slip_print_finish (result, &error);

  /* Cancelled by mn_receipt_page_set_slip() or dispose: the page was
   * wiped for the next person (or is gone), who must hear and see
   * nothing of this slip, not even that it failed. */
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->printing == NULL || g_task_get_cancellable (G_TASK (result)) != self->printing)
    return; /* the page was wiped meanwhile: this slip was someone else's */
  set_printing (self, FALSE);
  if (ok)
    {
      const char *done = _("Your receipt is printed. Please take it from the printer.");

      set_status (self, done, FALSE);
      say (self, done);
    }
  else
    {
      /* The code stays on the screen; the person is told what to do
       * instead, in words, and staff find the reason in the log. */
      const char *failed = _("The receipt could not be printed. Please write down the case code, "
                             "or ask staff for help.");

      g_message ("The receipt did not print: %s", error->message);
      set_status (self, failed, TRUE);
      say (self, failed);
    }
  g_signal_emit (self, signals[SIGNAL_PRINTED], 0, ok);
}

static void
print_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MnReceiptPage *self = MN_RECEIPT_PAGE (widget);
  g_autofree char *printer = dup_printer (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  const char *busy = _("Printing your receipt. Please wait.");
  GWeakRef *ref;

  if (self->printing != NULL || self->slip == NULL || (printer == NULL && self->export_pdf == NULL))
    return;
  set_printing (self, TRUE);
  set_status (self, busy, FALSE);
  say (self, busy);
  /* Weak: the print must not keep the page alive, so that a page that
   * goes is disposed, and its dispose cancels the print. */
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  mn_receipt_slip_print_async (self->slip, printer, get_paper (self), self->export_pdf,
                               GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->printing,
                               on_printed, ref);
}

void
mn_receipt_page_update_print (MnReceiptPage *self)
{
  g_autofree char *printer = NULL;

  g_return_if_fail (MN_IS_RECEIPT_PAGE (self));

  printer = dup_printer (self);
  /* No printer: no button at all, rather than one that cannot work. */
  gtk_widget_set_visible (self->print_button,
                          self->slip != NULL && (printer != NULL || self->export_pdf != NULL));
}

static void
mn_receipt_page_dispose (GObject *object)
{
  MnReceiptPage *self = MN_RECEIPT_PAGE (object);

  g_clear_object (&self->qr);
  g_clear_pointer (&self->shown, g_free);
  g_clear_pointer (&self->slip, mn_receipt_slip_free);
  g_clear_pointer (&self->export_pdf, g_free);
  /* The print holds only a weak reference to the page: cancelled, it
   * stops watching the printer and answers (to nobody, see on_printed())
   * at once instead of at the time limit. */
  if (self->printing != NULL)
    g_cancellable_cancel (self->printing);
  g_clear_object (&self->printing);
  g_clear_handle_id (&self->keep_alive_id, g_source_remove);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mn_receipt_page_parent_class)->dispose (object);
}

static void
mn_receipt_page_class_init (MnReceiptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_receipt_page_dispose;

  signals[SIGNAL_FINISH] = g_signal_new ("finish", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_PRINTED] = g_signal_new ("printed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  g_type_ensure (MN_TYPE_FLOW_FRAME);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-receipt-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnReceiptPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, MnReceiptPage, qr_image);
  gtk_widget_class_bind_template_child (widget_class, MnReceiptPage, print_button);
  gtk_widget_class_bind_template_child (widget_class, MnReceiptPage, print_status);
  gtk_widget_class_install_action (widget_class, "receipt.finish", NULL, finish_action);
  gtk_widget_class_install_action (widget_class, "receipt.print", NULL, print_action);
}

static void
mn_receipt_page_init (MnReceiptPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A case code is read left to right in every language, Uyghur too. */
  gtk_widget_set_direction (GTK_WIDGET (self->code_label), GTK_TEXT_DIR_LTR);
}

GtkWidget *
mn_receipt_page_new (void)
{
  return g_object_new (MN_TYPE_RECEIPT_PAGE, NULL);
}

void
mn_receipt_page_set_slip (MnReceiptPage       *self,
                          const MnReceiptSlip *slip)
{
  g_return_if_fail (MN_IS_RECEIPT_PAGE (self));
  g_return_if_fail (slip == NULL || slip->case_code != NULL);

  /* A new person (or none): whatever printed for the last one is over.
   * The print answers "cancelled" from the main loop right after, which
   * on_printed() ignores, and lets go of the page then. */
  if (self->printing != NULL)
    g_cancellable_cancel (self->printing);
  set_printing (self, FALSE);
  set_status (self, NULL, FALSE);
  g_clear_pointer (&self->slip, mn_receipt_slip_free);
  g_clear_pointer (&self->shown, g_free);
  g_clear_object (&self->qr);
  if (slip != NULL)
    {
      self->slip = mn_receipt_slip_copy (slip);
      /* Grouped as on the slip and as it is read out, 4-2-6-4-1. */
      self->shown = mn_case_code_format (slip->case_code);
      /* Whole modules of about 2 mm at a kiosk's density scan from a
       * phone held at arm's length. */
      self->qr = mn_qr_texture_new (slip->case_code, 8);
    }
  gtk_label_set_label (self->code_label, self->shown != NULL ? self->shown : "");
  /* Drawn at its own size, one texture pixel to one screen pixel, so the
   * modules stay sharp. */
  gtk_image_set_from_paintable (self->qr_image, GDK_PAINTABLE (self->qr));
  gtk_image_set_pixel_size (self->qr_image, self->qr != NULL ? gdk_texture_get_width (self->qr) : -1);
  mn_receipt_page_update_print (self);
}

void
mn_receipt_page_set_code (MnReceiptPage *self,
                          const char    *case_code)
{
  g_autoptr(MnReceiptSlip) slip = NULL;

  g_return_if_fail (MN_IS_RECEIPT_PAGE (self));

  if (case_code != NULL)
    {
      slip = mn_receipt_slip_new ();
      slip->case_code = g_strdup (case_code);
      slip->filed_at = g_get_real_time () / G_USEC_PER_SEC;
    }
  mn_receipt_page_set_slip (self, slip);
}

gboolean
mn_receipt_page_get_can_print (MnReceiptPage *self)
{
  g_return_val_if_fail (MN_IS_RECEIPT_PAGE (self), FALSE);

  return gtk_widget_get_visible (self->print_button);
}

gboolean
mn_receipt_page_get_printing (MnReceiptPage *self)
{
  g_return_val_if_fail (MN_IS_RECEIPT_PAGE (self), FALSE);

  return self->printing != NULL;
}

void
mn_receipt_page_set_print_export (MnReceiptPage *self,
                                  const char    *pdf_path)
{
  g_return_if_fail (MN_IS_RECEIPT_PAGE (self));

  g_free (self->export_pdf);
  self->export_pdf = g_strdup (pdf_path);
  mn_receipt_page_update_print (self);
}

const char *
mn_receipt_page_get_shown (MnReceiptPage *self)
{
  g_return_val_if_fail (MN_IS_RECEIPT_PAGE (self), NULL);

  return self->shown;
}

GdkTexture *
mn_receipt_page_get_qr (MnReceiptPage *self)
{
  g_return_val_if_fail (MN_IS_RECEIPT_PAGE (self), NULL);

  return self->qr;
}
