/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo-ps.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <gtk/gtkunixprint.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-kiosk-style.h"
#include "mn-qr.h"
#include "mn-receipt-slip.h"

#define MM (72.0 / 25.4)

/* A receipt printer finishes a slip in seconds; a job still not done
 * after this is stuck (paper jam, printer asleep), and the person at the
 * kiosk must be told rather than left waiting. */
#define PRINT_TIME_LIMIT_S 45

/* The local print system lists its queues in milliseconds; a name not
 * listed by then is not there (GTK itself would wait for ever when CUPS
 * does not answer). */
#define FIND_TIME_LIMIT_S 6

/* How often the printer's state is looked at while its job waits. */
#define WATCH_S 1

G_DEFINE_QUARK (mn-receipt-slip-error-quark, mn_receipt_slip_error)

G_DEFINE_BOXED_TYPE (MnReceiptSlip, mn_receipt_slip, mn_receipt_slip_copy, mn_receipt_slip_free)

MnReceiptSlip *
mn_receipt_slip_new (void)
{
  return g_new0 (MnReceiptSlip, 1);
}

MnReceiptSlip *
mn_receipt_slip_copy (const MnReceiptSlip *slip)
{
  MnReceiptSlip *copy;

  g_return_val_if_fail (slip != NULL, NULL);

  copy = mn_receipt_slip_new ();
  copy->station_name = g_strdup (slip->station_name);
  copy->case_code = g_strdup (slip->case_code);
  copy->category = g_strdup (slip->category);
  copy->filed_at = slip->filed_at;
  copy->deadline_at = slip->deadline_at;
  copy->contact_hint = g_strdup (slip->contact_hint);
  copy->language = g_strdup (slip->language);
  return copy;
}

void
mn_receipt_slip_free (MnReceiptSlip *slip)
{
  if (slip == NULL)
    return;
  g_free (slip->station_name);
  g_free (slip->case_code);
  g_free (slip->category);
  g_free (slip->contact_hint);
  g_free (slip->language);
  g_free (slip);
}

gboolean
mn_receipt_paper_from_string (const char     *nick,
                              MnReceiptPaper *out_paper)
{
  static const struct
  {
    const char     *nick;
    MnReceiptPaper  paper;
  } papers[] = {
    { "roll-58", MN_RECEIPT_PAPER_ROLL_58 },
    { "roll-80", MN_RECEIPT_PAPER_ROLL_80 },
    { "a4", MN_RECEIPT_PAPER_A4 },
    { "a5", MN_RECEIPT_PAPER_A5 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (papers); i++)
    if (g_strcmp0 (nick, papers[i].nick) == 0)
      {
        if (out_paper != NULL)
          *out_paper = papers[i].paper;
        return TRUE;
      }
  return FALSE;
}

void
mn_receipt_paper_get_size (MnReceiptPaper paper,
                           double        *paper_width,
                           double        *paper_height,
                           double        *column_width)
{
  double w, h, column;

  /* Thermal heads print 48 mm of a 58 mm roll and 72 mm of an 80 mm one.
   * On a sheet the slip keeps to a column a hand can hold folded. */
  switch (paper)
    {
    case MN_RECEIPT_PAPER_ROLL_58:
      w = 58 * MM, h = 0, column = 48 * MM;
      break;
    case MN_RECEIPT_PAPER_A4:
      w = 210 * MM, h = 297 * MM, column = 120 * MM;
      break;
    case MN_RECEIPT_PAPER_A5:
      w = 148 * MM, h = 210 * MM, column = 110 * MM;
      break;
    case MN_RECEIPT_PAPER_ROLL_80:
    default:
      w = 80 * MM, h = 0, column = 72 * MM;
      break;
    }
  if (paper_width != NULL)
    *paper_width = w;
  if (paper_height != NULL)
    *paper_height = h;
  if (column_width != NULL)
    *column_width = column;
}

/* ---- what the slip says ------------------------------------------------ */

typedef enum
{
  LINE_STATION,
  LINE_TITLE,
  LINE_CODE_LABEL,
  LINE_CODE,
  LINE_QR,
  LINE_RULE,
  LINE_FIELD,
  LINE_NOTE,
} LineKind;

typedef struct
{
  LineKind  kind;
  char     *text;
} Line;

static void
line_clear (Line *line)
{
  g_free (line->text);
}

static void
add_line (GArray     *lines,
          LineKind    kind,
          char       *text)
{
  Line line = { kind, text };

  g_array_append_val (lines, line);
}

static char *
format_time (gint64 unix_time)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (unix_time);

  /* Digits in the same order in every language, as on the screen. */
  return local != NULL ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup ("");
}

/* In the language of the moment: the caller switched to the person's. */
static GArray *
build_lines (const MnReceiptSlip *slip)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (Line));
  g_autofree char *filed = format_time (slip->filed_at);

  g_array_set_clear_func (lines, (GDestroyNotify) line_clear);

  if (slip->station_name != NULL && *slip->station_name != '\0')
    add_line (lines, LINE_STATION, g_strdup (slip->station_name));
  /* Translators: the heading of the printed receipt (受理回执). */
  add_line (lines, LINE_TITLE, g_strdup (_("Receipt for your request")));
  add_line (lines, LINE_RULE, NULL);
  add_line (lines, LINE_CODE_LABEL, g_strdup (_("Your case code")));
  add_line (lines, LINE_CODE, mn_case_code_format (slip->case_code));
  add_line (lines, LINE_QR, NULL);
  add_line (lines, LINE_RULE, NULL);
  if (slip->category != NULL)
    /* Translators: on the printed receipt; %s is the category's name. */
    add_line (lines, LINE_FIELD, g_strdup_printf (_("Category: %s"), slip->category));
  /* Translators: on the printed receipt; %s is a date and time such as
   * 2026-11-28 09:30. */
  add_line (lines, LINE_FIELD, g_strdup_printf (_("Filed: %s"), filed));
  if (slip->deadline_at > 0)
    {
      g_autofree char *deadline = format_time (slip->deadline_at);

      /* Translators: on the printed receipt (承诺时限); %s is a date and
       * time such as 2026-12-05 09:30. */
      add_line (lines, LINE_FIELD, g_strdup_printf (_("Committed deadline: %s"), deadline));
    }
  if (slip->contact_hint != NULL)
    /* Translators: on the printed receipt; %s is a masked phone number
     * such as 138****8000. */
    add_line (lines, LINE_FIELD, g_strdup_printf (_("Contact: %s"), slip->contact_hint));
  else
    add_line (lines, LINE_FIELD, g_strdup (_("Contact: anonymous (no phone number given)")));
  add_line (lines, LINE_RULE, NULL);
  add_line (lines, LINE_NOTE,
            g_strdup (slip->contact_hint != NULL ?
                        _("What happens next: your request goes to the 12345 platform, which "
                          "passes it to the agency responsible. They will call the number above.") :
                        _("What happens next: your request goes to the 12345 platform, which "
                          "passes it to the agency responsible. Nobody can call you back, so "
                          "ask about progress with the code.")));
  /* Translators: on the printed receipt; %s is the start screen's button
   * for asking about a case, "Check progress". */
  add_line (lines, LINE_NOTE,
            g_strdup_printf (_("To ask about progress, touch “%s” at any kiosk and enter the "
                               "case code, or call the 12345 hotline and give the code."),
                             _("Check progress")));
  return lines;
}

char *
mn_receipt_slip_dup_text (const MnReceiptSlip *slip)
{
  g_autoptr(GArray) lines = NULL;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (slip != NULL && slip->case_code != NULL, NULL);

  lines = build_lines (slip);
  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);

      if (line->text != NULL)
        g_string_append_printf (text, "%s\n", line->text);
    }
  return g_string_free (text, FALSE);
}

/* ---- drawing ------------------------------------------------------------ */

/* The kiosk's font list, in Pango's spelling (no quotes, "Sans"). */
static PangoFontDescription *
slip_font (const char *language,
           double      size_pt,
           gboolean    bold)
{
  g_autofree char *families = g_strdup (mn_kiosk_font_family_for_language (language));
  g_auto(GStrv) parts = NULL;
  g_autofree char *joined = NULL;
  PangoFontDescription *font = pango_font_description_new ();

  g_strdelimit (families, "\"", ' ');
  parts = g_strsplit (families, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (g_str_equal (parts[i], "sans-serif"))
        g_free (parts[i]), parts[i] = g_strdup ("Sans");
    }
  joined = g_strjoinv (",", parts);
  pango_font_description_set_family (font, joined);
  pango_font_description_set_size (font, (int) (size_pt * PANGO_SCALE));
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  return font;
}

static PangoLayout *
new_layout (cairo_t    *cr,
            const char *language,
            const char *text,
            double      size_pt,
            gboolean    bold,
            double      width,
            PangoAlignment alignment)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = slip_font (language, size_pt, bold);
  g_autofree char *pango_lang = g_strdup (language);

  /* The language picks Han shapes (HK or Mainland) and the paragraph
   * direction (Uyghur reads right to left). */
  g_strdelimit (pango_lang, "_", '-');
  pango_context_set_language (pango_layout_get_context (layout),
                              pango_language_from_string (pango_lang));
  pango_layout_context_changed (layout);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, width > 0 ? (int) (width * PANGO_SCALE) : -1);
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, alignment);
  /* The font's own line height: Noto Sans CJK's is already about 1.45
   * of its size, the spacing the screen keeps. */
  pango_layout_set_text (layout, text, -1);
  return layout;
}

/* Draws @layout at @y (when @cr draws) and returns its height. */
static double
put_layout (cairo_t     *cr,
            PangoLayout *layout,
            double       y)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  cairo_move_to (cr, 0, y);
  pango_cairo_show_layout (cr, layout);
  return (double) logical.height / PANGO_SCALE;
}

/* The code as large as fits the column: on one line if it can be large
 * there, else split at a group boundary into two lines of larger digits
 * (a narrow roll), never broken inside a group. */
static char *
fit_code (cairo_t    *cr,
          const char *language,
          const char *shown,
          double      width,
          double      largest,
          double     *out_size)
{
  g_autoptr(PangoLayout) probe = NULL;
  PangoRectangle logical;
  double size;
  const char *split = NULL;
  size_t half = strlen (shown) / 2;

  probe = new_layout (cr, language, shown, 10, TRUE, -1, PANGO_ALIGN_LEFT);
  pango_layout_set_width (probe, -1);
  pango_layout_get_extents (probe, NULL, &logical);
  size = MIN (largest, 10 * width / ((double) logical.width / PANGO_SCALE) * 0.98);
  if (size >= largest * 0.75)
    {
      *out_size = size;
      return g_strdup (shown);
    }

  /* The hyphen nearest the middle starts the second line. */
  for (const char *p = shown; *p != '\0'; p++)
    if (*p == '-' && (split == NULL || ABS ((gssize) (p - shown) - (gssize) half) <
                                         ABS ((gssize) (split - shown) - (gssize) half)))
      split = p;
  if (split == NULL)
    {
      *out_size = size;
      return g_strdup (shown);
    }

  {
    /* The line break stands for the hyphen, as a group boundary. */
    g_autofree char *first = g_strndup (shown, split - shown);
    g_autofree char *second = g_strdup (split + 1);
    g_autofree char *longer = strlen (first) >= strlen (second) ? g_strdup (first) : g_strdup (second);

    pango_layout_set_text (probe, longer, -1);
    pango_layout_get_extents (probe, NULL, &logical);
    *out_size = MIN (largest, 10 * width / ((double) logical.width / PANGO_SCALE) * 0.98);
    return g_strdup_printf ("%s\n%s", first, second);
  }
}

double
mn_receipt_slip_render (const MnReceiptSlip *slip,
                        cairo_t             *cr,
                        double               width)
{
  g_autoptr(GArray) lines = NULL;
  g_autofree char *language = NULL;
  double body, gap, y = 0;

  g_return_val_if_fail (slip != NULL && slip->case_code != NULL, 0);
  g_return_val_if_fail (cr != NULL, 0);
  g_return_val_if_fail (width > 0, 0);

  language = slip->language != NULL ? g_strdup (slip->language) : mn_kiosk_display_language ();
  lines = build_lines (slip);
  /* 10 pt on a 58 mm roll (a thermal printer's large font), up to 14 pt;
   * older eyes read the slip at home without the kiosk's screen. */
  body = CLAMP (width * 0.066, 10, 14);
  gap = body * 0.6;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < lines->len; i++)
    {
      const Line *line = &g_array_index (lines, Line, i);
      g_autoptr(PangoLayout) layout = NULL;

      switch (line->kind)
        {
        case LINE_STATION:
          layout = new_layout (cr, language, line->text, body * 1.15, TRUE, width, PANGO_ALIGN_CENTER);
          y += put_layout (cr, layout, y);
          break;
        case LINE_TITLE:
          layout = new_layout (cr, language, line->text, body * 1.4, TRUE, width, PANGO_ALIGN_CENTER);
          y += put_layout (cr, layout, y);
          break;
        case LINE_CODE_LABEL:
          layout = new_layout (cr, language, line->text, body, FALSE, width, PANGO_ALIGN_CENTER);
          y += put_layout (cr, layout, y);
          break;
        case LINE_CODE:
          {
            double size = 0;
            /* Digits in a Latin face: an Arabic-script face would set them
             * with its own, much taller, line height. */
            g_autofree char *fitted = fit_code (cr, "en", line->text, width, body * 2.6, &size);

            PangoRectangle logical;

            /* Never wrapped by Pango (a break after a hyphen would split a
             * group), centred by hand. Digits and hyphens keep their order
             * in a right-to-left language too. */
            layout = new_layout (cr, "en", fitted, size, TRUE, -1, PANGO_ALIGN_CENTER);
            pango_layout_set_auto_dir (layout, FALSE);
            pango_layout_get_extents (layout, NULL, &logical);
            cairo_move_to (cr, (width - (double) logical.width / PANGO_SCALE) / 2, y);
            pango_cairo_show_layout (cr, layout);
            y += (double) logical.height / PANGO_SCALE + gap * 0.5;
          }
          break;
        case LINE_QR:
          {
            /* About 30 mm on a 58 mm roll, at most 40 mm: modules of
             * about a millimetre scan from a phone at arm's length. */
            double side = MIN (width * 0.62, 40 * MM);

            mn_qr_draw (cr, slip->case_code, (width - side) / 2, y, side);
            cairo_set_source_rgb (cr, 0, 0, 0);
            y += side + gap * 0.5;
          }
          break;
        case LINE_RULE:
          y += gap;
          cairo_set_line_width (cr, 0.8);
          cairo_move_to (cr, 0, y);
          cairo_line_to (cr, width, y);
          cairo_stroke (cr);
          y += gap;
          break;
        case LINE_FIELD:
          layout = new_layout (cr, language, line->text, body, FALSE, width, PANGO_ALIGN_LEFT);
          y += put_layout (cr, layout, y) + gap * 0.3;
          break;
        case LINE_NOTE:
        default:
          layout = new_layout (cr, language, line->text, body * 0.95, FALSE, width, PANGO_ALIGN_LEFT);
          y += put_layout (cr, layout, y) + gap * 0.5;
          break;
        }
    }
  cairo_restore (cr);
  return y;
}

/* The height of the slip in a @width column, drawn on nothing. */
static double
measure (const MnReceiptSlip *slip,
         double               width)
{
  cairo_surface_t *surface = cairo_recording_surface_create (CAIRO_CONTENT_COLOR_ALPHA, NULL);
  cairo_t *cr = cairo_create (surface);
  double height = mn_receipt_slip_render (slip, cr, width);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  return height;
}

/* Draws the slip in a @column wide, shrunk as a whole if it would run
 * past @room (a sheet; 0 for a roll, which is as long as the slip). */
static void
render_fitted (const MnReceiptSlip *slip,
               cairo_t             *cr,
               double               column,
               double               room)
{
  double height = room > 0 ? measure (slip, column) : 0;
  double scale = room > 0 && height > room ? room / height : 1;

  cairo_save (cr);
  if (scale < 1)
    {
      /* Narrower, centred, so the text keeps its proportions. */
      cairo_translate (cr, column * (1 - scale) / 2, 0);
      cairo_scale (cr, scale, scale);
    }
  mn_receipt_slip_render (slip, cr, column);
  cairo_restore (cr);
}

/* The page for @paper: a roll is cut just below the slip. */
static void
page_geometry (const MnReceiptSlip *slip,
               MnReceiptPaper       paper,
               double              *out_width,
               double              *out_height,
               double              *out_left,
               double              *out_top,
               double              *out_column)
{
  double width, height, column;
  double top = 4 * MM;

  mn_receipt_paper_get_size (paper, &width, &height, &column);
  if (height == 0)
    height = measure (slip, column) + 2 * top + 8 * MM; /* room for the cutter */
  else
    top = 15 * MM;
  *out_width = width;
  *out_height = height;
  *out_left = (width - column) / 2;
  *out_top = top;
  *out_column = column;
}

gboolean
mn_receipt_slip_write_pdf (const MnReceiptSlip *slip,
                           MnReceiptPaper       paper,
                           const char          *path,
                           GError             **error)
{
  double width, height, left, top, column;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;

  g_return_val_if_fail (slip != NULL && slip->case_code != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  page_geometry (slip, paper, &width, &height, &left, &top, &column);
  surface = cairo_pdf_surface_create (path, width, height);
  cr = cairo_create (surface);
  cairo_translate (cr, left, top);
  render_fitted (slip, cr, column, paper == MN_RECEIPT_PAPER_ROLL_58 || paper == MN_RECEIPT_PAPER_ROLL_80 ?
                                     0 : height - 2 * top);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("The receipt could not be written to %s (%s)."), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

/* ---- printing ----------------------------------------------------------- */

typedef struct
{
  GTask             *task;      /* not owned: the task owns this */
  MnReceiptSlip     *slip;
  GtkPrintSettings  *settings;
  GtkPageSetup      *setup;
  GtkPrintOperation *op;        /* an export */
  GtkPrintJob       *print_job; /* a job for a printer */
  GtkWindow         *parent;
  double             left;
  double             top;
  double             column;
  double             room;      /* height a sheet leaves for the slip, 0 on a roll */
  guint              timeout_id;
  guint              watch_id;  /* while a spooled job waits */
  GCancellable      *cancellable;  /* the task's, or NULL */
  gulong             cancelled_id; /* its handler, until the task is answered */
  GSource           *cancel_source; /* the idle that answers "cancelled" */
  gboolean           checking;  /* a look at the printer's state is under way */
  gboolean           exporting;
  gboolean           answered;
} PrintJob;

/* Stops listening to the cancellable and forgets a "cancelled" answer
 * not yet given. Never from the cancellable's own handler: disconnecting
 * there deadlocks (answers are only given from the main loop). */
static void
stop_cancel (PrintJob *job)
{
  if (job->cancelled_id != 0)
    g_cancellable_disconnect (job->cancellable, job->cancelled_id);
  job->cancelled_id = 0;
  if (job->cancel_source != NULL)
    {
      g_source_destroy (job->cancel_source);
      g_clear_pointer (&job->cancel_source, g_source_unref);
    }
}

static void
print_job_free (PrintJob *job)
{
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_clear_handle_id (&job->watch_id, g_source_remove);
  stop_cancel (job);
  g_clear_object (&job->cancellable);
  if (job->op != NULL)
    {
      g_signal_handlers_disconnect_by_data (job->op, job);
      g_signal_handlers_disconnect_by_data (job->op, job->task);
    }
  /* CUPS may still report on a job that was given up (stuck in a
   * stopped queue): nothing is left to tell. */
  if (job->print_job != NULL)
    g_signal_handlers_disconnect_by_data (job->print_job, job->task);
  g_clear_object (&job->op);
  g_clear_object (&job->print_job);
  g_clear_object (&job->settings);
  g_clear_object (&job->setup);
  g_clear_object (&job->parent);
  mn_receipt_slip_free (job->slip);
  g_free (job);
}

/* Answers the task once; later signals of the same job change nothing. */
static void
answer (GTask  *task,
        GError *error)
{
  /* Removing the time limit may drop what was the last reference. */
  g_autoptr(GTask) hold = g_object_ref (task);
  PrintJob *job = g_task_get_task_data (task);

  if (job->answered)
    {
      g_clear_error (&error);
      return;
    }
  job->answered = TRUE;
  /* Zeroed before the source goes: its reference may be the task's last,
   * and print_job_free() must not remove it again. */
  g_clear_handle_id (&job->timeout_id, g_source_remove);
  /* Nobody waits for the printer any more: no more looks at its state.
   * Left to print_job_free(), the watch would tick on for as long as a
   * look under way holds the task, which is forever when GTK never says
   * the printer list is done (see Finder). */
  g_clear_handle_id (&job->watch_id, g_source_remove);
  stop_cancel (job);
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
on_cancel_idle (gpointer user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);
  GError *error = NULL;

  /* This source is finished: answer() must not destroy it again. */
  g_clear_pointer (&job->cancel_source, g_source_unref);
  /* GIO's own words (nobody is shown them: the caller gave up); the
   * cancellable may have been reset since, the answer is the same. */
  if (!g_cancellable_set_error_if_cancelled (job->cancellable, &error))
    error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, g_strerror (ECANCELED));
  answer (task, error);
  return G_SOURCE_REMOVE;
}

/* The caller gave up (the next person came, the page went): the answer
 * comes at once, but from the task's main context and not from inside
 * g_cancellable_cancel(): there the caller is in the middle of wiping
 * the page for the next person, who must not be told about this slip.
 * The answer stops the printer watch and drops the task's last
 * references, so the caller (the page) is let go. The job already in
 * the print system is left there: GTK 4.8 has no way to withdraw it. */
static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);
  GSource *idle;

  if (job->answered || job->cancel_source != NULL)
    return;
  idle = g_idle_source_new ();
  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, on_cancel_idle, g_object_ref (task), g_object_unref);
  g_source_set_static_name (idle, "[minyin] receipt print cancelled");
  job->cancel_source = idle;
  g_source_attach (idle, g_task_get_context (task));
}

static void
on_draw_page (GtkPrintOperation *op,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  /* The context's origin is the page's top margin; a roll is as long as
   * the slip, a sheet keeps its bottom margin. */
  render_fitted (job->slip, gtk_print_context_get_cairo_context (context), job->column,
                 job->room);
}

static GtkPrintStatus
get_status (PrintJob    *job,
            const char **text)
{
  if (job->print_job != NULL)
    {
      GtkPrintStatus status = gtk_print_job_get_status (job->print_job);
      GEnumClass *statuses = g_type_class_ref (GTK_TYPE_PRINT_STATUS);
      GEnumValue *value = g_enum_get_value (statuses, status);

      /* GtkPrintJob has no words for its status: its name, for staff. */
      *text = value != NULL ? value->value_nick : "?";
      g_type_class_unref (statuses);
      return status;
    }
  *text = gtk_print_operation_get_status_string (job->op);
  return gtk_print_operation_get_status (job->op);
}

static gboolean
check_status (GTask *task)
{
  PrintJob *job = g_task_get_task_data (task);
  const char *text = NULL;
  GtkPrintStatus status = get_status (job, &text);

  g_debug ("Receipt print job: %s", text);
  switch (status)
    {
    case GTK_PRINT_STATUS_FINISHED:
      answer (task, NULL);
      return TRUE;
    case GTK_PRINT_STATUS_FINISHED_ABORTED:
      answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                                 _("The receipt printer gave up the job (%s); ask staff to check it."),
                                 text));
      return TRUE;
    case GTK_PRINT_STATUS_PENDING_ISSUE:
      /* Out of paper, cover open, offline: the person cannot wait for
       * staff to fix it. The job stays queued for staff to clear. */
      answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                                 _("The receipt printer needs attention (%s); ask staff to check it."),
                                 text));
      return TRUE;
    default:
      return FALSE;
    }
}

static void
on_status_changed (GObject *op_or_job,
                   GTask   *task)
{
  check_status (task);
}

static void
on_done (GtkPrintOperation       *op,
         GtkPrintOperationResult  result,
         GTask                   *task)
{
  g_autoptr(GError) op_error = NULL;

  g_debug ("Receipt print operation done: result %d, status %s", result,
           gtk_print_operation_get_status_string (op));
  switch (result)
    {
    case GTK_PRINT_OPERATION_RESULT_ERROR:
      gtk_print_operation_get_error (op, &op_error);
      answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                                 _("The receipt could not be printed (%s); ask staff to check the printer."),
                                 op_error != NULL ? op_error->message : "?"));
      break;
    case GTK_PRINT_OPERATION_RESULT_CANCEL:
      /* Without a dialog nobody cancels an export. */
      answer (task, g_error_new_literal (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_NO_PRINTER,
                                         _("The receipt printer named in the settings was not found; ask staff to check the printer setting.")));
      break;
    case GTK_PRINT_OPERATION_RESULT_APPLY:
    case GTK_PRINT_OPERATION_RESULT_IN_PROGRESS:
    default:
      /* Only exports run a print operation (see mn_receipt_slip_print_
       * async()): the file is written once the operation is done. */
      answer (task, NULL);
      break;
    }
  g_object_unref (task); /* the reference run() held for "done" */
}

static gboolean
on_time_limit (gpointer user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);

  job->timeout_id = 0;
  answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_TIMED_OUT,
                             _("The receipt printer did not finish within %d seconds; ask staff to check it."),
                             PRINT_TIME_LIMIT_S));
  return G_SOURCE_REMOVE;
}

static void run (GTask *task);
static void spool (GTask *task, GtkPrinter *printer);

/* Looking for the printer by name. GTK may call back after the lookup
 * gave up (or never say it is done), so this outlives the task. */
typedef struct
{
  gatomicrefcount  refs;
  GTask           *task;  /* NULL once answered */
  char            *name;
  guint            timeout_id;
  guint            found_id;
  GtkPrinter      *printer;    /* once found */
  gboolean         paused;     /* the queue is stopped */
  gboolean         rejecting;  /* the queue refuses new jobs */
} Finder;

static void
finder_unref (Finder *finder)
{
  if (!g_atomic_ref_count_dec (&finder->refs))
    return;
  g_clear_object (&finder->task);
  g_clear_object (&finder->printer);
  g_free (finder->name);
  g_free (finder);
}

/* Once: spools the job on the printer found, or says why it cannot. */
static void
finder_answer (Finder *finder)
{
  g_autoptr(GTask) task = g_steal_pointer (&finder->task);

  if (task == NULL)
    return;
  g_clear_handle_id (&finder->timeout_id, g_source_remove);
  g_clear_handle_id (&finder->found_id, g_source_remove);
  if (finder->printer == NULL)
    answer (task, g_error_new_literal (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_NO_PRINTER,
                                       _("The receipt printer named in the settings was not found; "
                                         "ask staff to check the printer setting.")));
  /* A stopped queue keeps a job until staff start it again, a rejecting
   * one refuses it: either way no slip comes out while the person waits,
   * so they are told now rather than at the print time limit. */
  else if (finder->rejecting)
    answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                               _("The receipt printer “%s” is not accepting jobs; ask staff to "
                                 "check it."),
                               finder->name));
  else if (finder->paused)
    answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                               _("The receipt printer “%s” is stopped; ask staff to check it and "
                                 "start it again."),
                               finder->name));
  else if (!((PrintJob *) g_task_get_task_data (task))->answered)
    /* Not for a task already answered (cancelled while the printer was
     * looked for): the slip would come out for nobody. */
    spool (task, finder->printer);
}

static gboolean
on_found (gpointer user_data)
{
  Finder *finder = user_data;

  finder->found_id = 0;
  finder_answer (finder);
  return G_SOURCE_REMOVE;
}

static gboolean
on_printer_listed (GtkPrinter *printer,
                   gpointer    user_data)
{
  Finder *finder = user_data;

  if (finder->printer != NULL || g_strcmp0 (gtk_printer_get_name (printer), finder->name) != 0)
    return FALSE;
  finder->printer = g_object_ref (printer);
  finder->paused = gtk_printer_is_paused (printer);
  finder->rejecting = !gtk_printer_is_accepting_jobs (printer);
  /* Answered from the main loop, and the enumeration left to end by
   * itself: returning TRUE would make GTK 4.8 dispose of the CUPS
   * backend from inside the backend's own reply handler, which goes on
   * using it. */
  g_atomic_ref_count_inc (&finder->refs);
  finder->found_id = g_idle_add_full (G_PRIORITY_DEFAULT, on_found, finder,
                                      (GDestroyNotify) finder_unref);
  return FALSE;
}

/* Every print system has listed its printers (or the lookup stopped). */
static void
on_printers_listed (gpointer user_data)
{
  Finder *finder = user_data;

  finder_answer (finder);
  finder_unref (finder);
}

static gboolean
on_find_time_limit (gpointer user_data)
{
  Finder *finder = user_data;

  finder->timeout_id = 0;
  finder_answer (finder);
  return G_SOURCE_REMOVE;
}

static void
find_printer (GTask      *task,
              const char *name)
{
  Finder *finder = g_new0 (Finder, 1);

  g_atomic_ref_count_init (&finder->refs);
  finder->task = g_object_ref (task);
  finder->name = g_strdup (name);
  /* One reference for the time limit, one for GTK's enumeration. */
  g_atomic_ref_count_inc (&finder->refs);
  finder->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, FIND_TIME_LIMIT_S,
                                                   on_find_time_limit, finder,
                                                   (GDestroyNotify) finder_unref);
  gtk_enumerate_printers (on_printer_listed, finder, on_printers_listed, FALSE);
}

void
mn_receipt_slip_print_async (const MnReceiptSlip *slip,
                             const char          *printer,
                             MnReceiptPaper       paper,
                             const char          *export_pdf,
                             GtkWindow           *parent,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  GtkPaperSize *size;
  PrintJob *job;
  double width, height;

  g_return_if_fail (slip != NULL && slip->case_code != NULL);
  g_return_if_fail ((printer != NULL && *printer != '\0') || export_pdf != NULL);
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, mn_receipt_slip_print_async);
  job = g_new0 (PrintJob, 1);
  job->task = task;
  job->slip = mn_receipt_slip_copy (slip);
  job->parent = parent != NULL ? g_object_ref (parent) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) print_job_free);
  /* With check-cancellable (GTask's default) any answer after a cancel
   * is G_IO_ERROR_CANCELLED, whoever gives it. */
  g_task_set_check_cancellable (task, TRUE);
  if (cancellable != NULL)
    {
      job->cancellable = g_object_ref (cancellable);
      /* Not a reference: answer() disconnects before the task can go. */
      job->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);
    }

  page_geometry (slip, paper, &width, &height, &job->left, &job->top, &job->column);
  if (paper == MN_RECEIPT_PAPER_A4 || paper == MN_RECEIPT_PAPER_A5)
    job->room = height - 2 * job->top;
  if (paper == MN_RECEIPT_PAPER_A4 || paper == MN_RECEIPT_PAPER_A5)
    size = gtk_paper_size_new (paper == MN_RECEIPT_PAPER_A4 ? GTK_PAPER_NAME_A4 : GTK_PAPER_NAME_A5);
  else
    size = gtk_paper_size_new_custom (paper == MN_RECEIPT_PAPER_ROLL_58 ? "minyin-roll-58" : "minyin-roll-80",
                                      paper == MN_RECEIPT_PAPER_ROLL_58 ? "58 mm roll" : "80 mm roll",
                                      width, height, GTK_UNIT_POINTS);
  job->setup = gtk_page_setup_new ();
  gtk_page_setup_set_paper_size (job->setup, size);
  gtk_paper_size_free (size);
  gtk_page_setup_set_left_margin (job->setup, job->left, GTK_UNIT_POINTS);
  gtk_page_setup_set_right_margin (job->setup, job->left, GTK_UNIT_POINTS);
  gtk_page_setup_set_top_margin (job->setup, job->top, GTK_UNIT_POINTS);
  gtk_page_setup_set_bottom_margin (job->setup, 0, GTK_UNIT_POINTS);

  job->settings = gtk_print_settings_new ();
  if (printer != NULL)
    gtk_print_settings_set_printer (job->settings, printer);
  gtk_print_settings_set_n_copies (job->settings, 1);

  job->timeout_id = g_timeout_add_seconds_full (G_PRIORITY_DEFAULT, PRINT_TIME_LIMIT_S, on_time_limit,
                                                g_object_ref (task), g_object_unref);
  if (export_pdf != NULL)
    {
      job->exporting = TRUE;
      job->op = gtk_print_operation_new ();
      gtk_print_operation_set_print_settings (job->op, job->settings);
      gtk_print_operation_set_default_page_setup (job->op, job->setup);
      gtk_print_operation_set_n_pages (job->op, 1);
      gtk_print_operation_set_unit (job->op, GTK_UNIT_POINTS);
      gtk_print_operation_set_use_full_page (job->op, FALSE);
      gtk_print_operation_set_show_progress (job->op, FALSE);
      gtk_print_operation_set_allow_async (job->op, TRUE);
      gtk_print_operation_set_job_name (job->op, slip->case_code);
      gtk_print_operation_set_export_filename (job->op, export_pdf);
      g_signal_connect (job->op, "draw-page", G_CALLBACK (on_draw_page), job);
      g_signal_connect (job->op, "status-changed", G_CALLBACK (on_status_changed), task);
      /* "done" holds a reference: it may come after the task answered. */
      g_signal_connect (job->op, "done", G_CALLBACK (on_done), g_object_ref (task));
      run (task);
    }
  else
    {
      /* A printer is found by this file's own lookup and sent a
       * GtkPrintJob: GtkPrintOperation's dialog-less printing cannot be
       * used with CUPS in GTK 4.8, whose printer lookup calls back twice
       * (once when the printer is listed, once when the list is done) and
       * crashes on the second call. */
      find_printer (task, printer);
    }
}

/* An export: the same page and drawing, into a file, through a print
 * operation (GTK's own "Print to File" printer cannot be chosen without
 * a dialog). */
static void
run (GTask *task)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GtkPrintOperationResult result;

  result = gtk_print_operation_run (job->op, GTK_PRINT_OPERATION_ACTION_EXPORT, job->parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                               _("Printing the receipt could not start (%s); ask staff to check the printer."),
                               error != NULL ? error->message : "?"));
}

/* A look at the printer's state while its job waits. */
typedef struct
{
  GTask *task;
  char  *name;
  gboolean seen;
} Check;

static gboolean
on_check_listed (GtkPrinter *printer,
                 gpointer    user_data)
{
  Check *check = user_data;

  if (check->seen || g_strcmp0 (gtk_printer_get_name (printer), check->name) != 0)
    return FALSE;
  check->seen = TRUE;
  if (gtk_printer_is_paused (printer) || !gtk_printer_is_accepting_jobs (printer))
    {
      const char *why = gtk_printer_get_state_message (printer);

      answer (check->task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                                        _("The receipt printer “%s” stopped with the receipt in it "
                                          "(%s); ask staff to check it."),
                                        check->name, why != NULL && *why != '\0' ? why : "?"));
    }
  /* Not TRUE: see on_printer_listed(). */
  return FALSE;
}

static void
on_check_done (gpointer user_data)
{
  Check *check = user_data;
  PrintJob *job = g_task_get_task_data (check->task);

  job->checking = FALSE;
  g_object_unref (check->task);
  g_free (check->name);
  g_free (check);
}

/* CUPS puts a job back in the queue and stops the queue when the
 * printer fails during the job (offline, out of paper); GTK 4.8 then
 * reports the job as merely pending, as it reports a job waiting its
 * turn. The printer's own state tells the two apart. */
static gboolean
on_watch (gpointer user_data)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);
  Check *check;

  if (job->checking || gtk_print_job_get_status (job->print_job) != GTK_PRINT_STATUS_PENDING)
    return G_SOURCE_CONTINUE;
  check = g_new0 (Check, 1);
  check->task = g_object_ref (task);
  check->name = g_strdup (gtk_printer_get_name (gtk_print_job_get_printer (job->print_job)));
  job->checking = TRUE;
  gtk_enumerate_printers (on_check_listed, check, on_check_done, FALSE);
  return G_SOURCE_CONTINUE;
}

static void
on_job_sent (GtkPrintJob  *print_job,
             gpointer      user_data,
             const GError *error)
{
  GTask *task = user_data;
  PrintJob *job = g_task_get_task_data (task);

  /* Answered meanwhile (cancelled, timed out): nothing to watch for. */
  if (job->answered)
    return;
  if (error != NULL)
    answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                               _("The receipt could not be printed (%s); ask staff to check the printer."),
                               error->message));
  /* Spooled: the slip is out when CUPS says the job is completed. */
  else if (!check_status (task))
    {
      job->watch_id = g_timeout_add_seconds (WATCH_S, on_watch, task);
    }
}

/* Draws the slip into a job for @printer and sends it to the print
 * system, which reports on it until it is completed. */
static void
spool (GTask      *task,
       GtkPrinter *printer)
{
  PrintJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  cairo_surface_t *surface;
  cairo_t *cr;
  double width = gtk_page_setup_get_paper_width (job->setup, GTK_UNIT_POINTS);
  double height = gtk_page_setup_get_paper_height (job->setup, GTK_UNIT_POINTS);

  job->print_job = gtk_print_job_new (job->slip->case_code, printer, job->settings, job->setup);
  gtk_print_job_set_track_print_status (job->print_job, TRUE);
  g_signal_connect (job->print_job, "status-changed", G_CALLBACK (on_status_changed), task);
  surface = gtk_print_job_get_surface (job->print_job, &error);
  if (surface == NULL)
    {
      answer (task, g_error_new (MN_RECEIPT_SLIP_ERROR, MN_RECEIPT_SLIP_ERROR_FAILED,
                                 _("Printing the receipt could not start (%s); ask staff to check the printer."),
                                 error != NULL ? error->message : "?"));
      return;
    }
  /* The page is the paper (a roll as long as the slip); the printer is
   * told the same size by the job's page setup. */
  if (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_PDF)
    cairo_pdf_surface_set_size (surface, width, height);
  else if (cairo_surface_get_type (surface) == CAIRO_SURFACE_TYPE_PS)
    cairo_ps_surface_set_size (surface, width, height);
  cr = cairo_create (surface);
  cairo_translate (cr, job->left, job->top);
  render_fitted (job->slip, cr, job->column, job->room);
  cairo_show_page (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  gtk_print_job_send (job->print_job, on_job_sent, g_object_ref (task), g_object_unref);
}

gboolean
mn_receipt_slip_print_finish (GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
