/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "mn-handwriting-pad.h"
#include "mn-window.h"

struct _MnHandwritingPad
{
  AdwBin          parent_instance;

  GtkStack       *stack;
  GtkDrawingArea *canvas;
  GtkLabel       *candidates_label;
  GtkGrid        *candidate_grid;
  GtkLabel       *unavailable_label;

  MnHandwriting  *recognizer;
  MnInk          *ink;          /* in the canvas's coordinates */
  GStrv           candidates;   /* never NULL */
  GPtrArray      *buttons;      /* candidate buttons, borrowed from the grid */
  GCancellable   *recognizing;  /* the recognition in flight, if any */
  double          drag_x;       /* where the current drag started */
  double          drag_y;
};

G_DEFINE_FINAL_TYPE (MnHandwritingPad, mn_handwriting_pad, ADW_TYPE_BIN)

enum
{
  SIGNAL_CHARACTER_CHOSEN,
  SIGNAL_CANDIDATES_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (MnHandwritingPad *self)
{
  gboolean drawn = self->ink != NULL && mn_ink_get_n_strokes (self->ink) > 0;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pad.undo", drawn);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "pad.clear", drawn);
}

static void
set_candidates (MnHandwritingPad *self,
                GStrv             candidates)
{
  GtkWidget *child;
  guint n;

  g_strfreev (self->candidates);
  self->candidates = candidates != NULL ? candidates : g_new0 (char *, 1);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->candidate_grid))) != NULL)
    gtk_grid_remove (self->candidate_grid, child);
  g_ptr_array_set_size (self->buttons, 0);

  n = MIN (g_strv_length (self->candidates), MN_HANDWRITING_PAD_MAX_CANDIDATES);
  for (guint i = 0; i < n; i++)
    {
      const char *character = self->candidates[i];
      GtkWidget *button = gtk_button_new_with_label (character);

      gtk_widget_add_css_class (button, "mn-candidate");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "pad.choose");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", character);
      /* Two columns: the best candidate top left, where the eye starts. */
      gtk_grid_attach (self->candidate_grid, button, i % 2, i / 2, 1, 1);
      g_ptr_array_add (self->buttons, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->candidates_label), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->candidate_grid), n > 0);
  g_signal_emit (self, signals[SIGNAL_CANDIDATES_CHANGED], 0);
}

static void
on_recognized (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(MnHandwritingPad) self = user_data;
  g_autoptr(GError) error = NULL;
  GStrv candidates;

  candidates = mn_handwriting_recognize_finish (MN_HANDWRITING (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->recognizing);
  if (error != NULL)
    g_debug ("Handwriting was not recognised: %s", error->message);
  set_candidates (self, candidates);
}

/* After every stroke: the candidates follow what is in the box now. A
 * newer stroke cancels the recognition of an older state. */
static void
recognize (MnHandwritingPad *self)
{
  if (self->recognizing != NULL)
    g_cancellable_cancel (self->recognizing);
  g_clear_object (&self->recognizing);

  if (self->recognizer == NULL || self->ink == NULL || mn_ink_get_n_strokes (self->ink) == 0)
    {
      set_candidates (self, NULL);
      return;
    }
  self->recognizing = g_cancellable_new ();
  mn_handwriting_recognize_async (self->recognizer, self->ink, MN_HANDWRITING_PAD_MAX_CANDIDATES,
                                  self->recognizing, on_recognized, g_object_ref (self));
}

/* The box is as large as the stylesheet made it; ink is kept in the
 * box's own pixels so it can be drawn as it was written. */
static void
ensure_ink (MnHandwritingPad *self)
{
  double width = MAX (1, gtk_widget_get_width (GTK_WIDGET (self->canvas)));
  double height = MAX (1, gtk_widget_get_height (GTK_WIDGET (self->canvas)));

  if (self->ink != NULL && mn_ink_get_n_strokes (self->ink) == 0 &&
      (mn_ink_get_width (self->ink) != width || mn_ink_get_height (self->ink) != height))
    g_clear_pointer (&self->ink, mn_ink_free);
  if (self->ink == NULL)
    self->ink = mn_ink_new (width, height);
}

static void
on_drag_begin (GtkGestureDrag   *gesture,
               double            x,
               double            y,
               MnHandwritingPad *self)
{
  ensure_ink (self);
  self->drag_x = x;
  self->drag_y = y;
  mn_ink_begin_stroke (self->ink, x, y);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
on_drag_update (GtkGestureDrag   *gesture,
                double            dx,
                double            dy,
                MnHandwritingPad *self)
{
  mn_ink_add_point (self->ink, self->drag_x + dx, self->drag_y + dy);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
on_drag_end (GtkGestureDrag   *gesture,
             double            dx,
             double            dy,
             MnHandwritingPad *self)
{
  mn_ink_add_point (self->ink, self->drag_x + dx, self->drag_y + dy);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  update_actions (self);
  recognize (self);
}

static void
draw_canvas (GtkDrawingArea *area,
             cairo_t        *cr,
             int             width,
             int             height,
             gpointer        user_data)
{
  MnHandwritingPad *self = user_data;
  double line = MAX (4.0, MIN (width, height) / 40.0);
  double dash[] = { line, line };

  /* White paper with the 米字格 guide schoolchildren learn on: a frame,
   * the middle lines and the diagonals, faint and dashed, so that a
   * character is written in the middle and at a good size. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
  cairo_set_line_width (cr, 3);
  cairo_rectangle (cr, 1.5, 1.5, width - 3, height - 3);
  cairo_stroke (cr);

  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
  cairo_set_line_width (cr, 1.5);
  cairo_set_dash (cr, dash, 2, 0);
  cairo_move_to (cr, width / 2.0, 0);
  cairo_line_to (cr, width / 2.0, height);
  cairo_move_to (cr, 0, height / 2.0);
  cairo_line_to (cr, width, height / 2.0);
  cairo_move_to (cr, 0, 0);
  cairo_line_to (cr, width, height);
  cairo_move_to (cr, width, 0);
  cairo_line_to (cr, 0, height);
  cairo_stroke (cr);
  cairo_restore (cr);

  if (self->ink == NULL)
    return;

  /* Thick black ink with round ends, like a brush pen. */
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, line);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint s = 0; s < mn_ink_get_n_strokes (self->ink); s++)
    {
      guint n = mn_ink_get_n_points (self->ink, s);

      for (guint i = 0; i < n; i++)
        {
          double x, y;

          mn_ink_get_point (self->ink, s, i, &x, &y);
          if (i == 0)
            cairo_move_to (cr, x, y);
          cairo_line_to (cr, x, y);
        }
      cairo_stroke (cr);
    }
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  mn_handwriting_pad_undo_stroke (MN_HANDWRITING_PAD (widget));
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  mn_handwriting_pad_clear (MN_HANDWRITING_PAD (widget));
}

static void
choose_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  mn_handwriting_pad_choose (MN_HANDWRITING_PAD (widget), g_variant_get_string (parameter, NULL));
}

static void
mn_handwriting_pad_dispose (GObject *object)
{
  MnHandwritingPad *self = MN_HANDWRITING_PAD (object);

  if (self->recognizing != NULL)
    g_cancellable_cancel (self->recognizing);
  g_clear_object (&self->recognizing);
  g_clear_object (&self->recognizer);
  g_clear_pointer (&self->ink, mn_ink_free);
  g_clear_pointer (&self->buttons, g_ptr_array_unref);

  G_OBJECT_CLASS (mn_handwriting_pad_parent_class)->dispose (object);
}

static void
mn_handwriting_pad_finalize (GObject *object)
{
  MnHandwritingPad *self = MN_HANDWRITING_PAD (object);

  g_strfreev (self->candidates);

  G_OBJECT_CLASS (mn_handwriting_pad_parent_class)->finalize (object);
}

static void
mn_handwriting_pad_class_init (MnHandwritingPadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_handwriting_pad_dispose;
  object_class->finalize = mn_handwriting_pad_finalize;

  signals[SIGNAL_CHARACTER_CHOSEN] =
    g_signal_new ("character-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_CANDIDATES_CHANGED] =
    g_signal_new ("candidates-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-handwriting-pad.ui");
  gtk_widget_class_bind_template_child (widget_class, MnHandwritingPad, stack);
  gtk_widget_class_bind_template_child (widget_class, MnHandwritingPad, canvas);
  gtk_widget_class_bind_template_child (widget_class, MnHandwritingPad, candidates_label);
  gtk_widget_class_bind_template_child (widget_class, MnHandwritingPad, candidate_grid);
  gtk_widget_class_bind_template_child (widget_class, MnHandwritingPad, unavailable_label);

  gtk_widget_class_install_action (widget_class, "pad.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "pad.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "pad.choose", "s", choose_action);
}

static void
mn_handwriting_pad_init (MnHandwritingPad *self)
{
  g_autoptr(GError) error = NULL;
  GtkGesture *drag;
  MnHandwriting *shared;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->candidates = g_new0 (char *, 1);
  self->buttons = g_ptr_array_new ();

  gtk_drawing_area_set_draw_func (self->canvas, draw_canvas, self, NULL);
  drag = gtk_gesture_drag_new ();
  /* One finger, or a mouse: a second finger does not start a stroke. */
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (drag), FALSE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (drag));

  shared = mn_handwriting_get_default (&error);
  if (shared != NULL)
    {
      self->recognizer = g_object_ref (shared);
    }
  else
    {
      g_message ("%s", error->message);
      gtk_stack_set_visible_child_name (self->stack, "unavailable");
    }
  set_candidates (self, NULL);
  update_actions (self);
}

GtkWidget *
mn_handwriting_pad_new (void)
{
  return g_object_new (MN_TYPE_HANDWRITING_PAD, NULL);
}

void
mn_handwriting_pad_set_recognizer (MnHandwritingPad *self,
                                   MnHandwriting    *recognizer)
{
  g_return_if_fail (MN_IS_HANDWRITING_PAD (self));
  g_return_if_fail (recognizer == NULL || MN_IS_HANDWRITING (recognizer));

  g_set_object (&self->recognizer, recognizer);
  gtk_stack_set_visible_child_name (self->stack, recognizer != NULL ? "pad" : "unavailable");
  mn_handwriting_pad_clear (self);
}

gboolean
mn_handwriting_pad_get_available (MnHandwritingPad *self)
{
  g_return_val_if_fail (MN_IS_HANDWRITING_PAD (self), FALSE);

  return self->recognizer != NULL;
}

void
mn_handwriting_pad_clear (MnHandwritingPad *self)
{
  g_return_if_fail (MN_IS_HANDWRITING_PAD (self));

  if (self->ink != NULL)
    mn_ink_clear (self->ink);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  update_actions (self);
  recognize (self);
}

void
mn_handwriting_pad_undo_stroke (MnHandwritingPad *self)
{
  g_return_if_fail (MN_IS_HANDWRITING_PAD (self));

  if (self->ink == NULL || !mn_ink_undo_stroke (self->ink))
    return;
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  update_actions (self);
  recognize (self);
}

const MnInk *
mn_handwriting_pad_get_ink (MnHandwritingPad *self)
{
  g_return_val_if_fail (MN_IS_HANDWRITING_PAD (self), NULL);

  ensure_ink (self);
  return self->ink;
}

void
mn_handwriting_pad_feed_ink (MnHandwritingPad *self,
                             const MnInk      *ink)
{
  g_autoptr(MnInk) scaled = NULL;

  g_return_if_fail (MN_IS_HANDWRITING_PAD (self));
  g_return_if_fail (ink != NULL);

  ensure_ink (self);
  scaled = mn_ink_scale_to (ink, mn_ink_get_width (self->ink), mn_ink_get_height (self->ink));
  /* Through the same steps as a finger's drag, stroke by stroke. */
  for (guint s = 0; s < mn_ink_get_n_strokes (scaled); s++)
    {
      guint n = mn_ink_get_n_points (scaled, s);
      double x0, y0;

      if (n == 0)
        continue;
      mn_ink_get_point (scaled, s, 0, &x0, &y0);
      on_drag_begin (NULL, x0, y0, self);
      for (guint i = 1; i + 1 < n; i++)
        {
          double x, y;

          mn_ink_get_point (scaled, s, i, &x, &y);
          on_drag_update (NULL, x - x0, y - y0, self);
        }
      {
        double x, y;

        mn_ink_get_point (scaled, s, n - 1, &x, &y);
        on_drag_end (NULL, x - x0, y - y0, self);
      }
    }
}

const char * const *
mn_handwriting_pad_get_candidates (MnHandwritingPad *self)
{
  g_return_val_if_fail (MN_IS_HANDWRITING_PAD (self), NULL);

  return (const char * const *) self->candidates;
}

GtkWidget *
mn_handwriting_pad_get_candidate_button (MnHandwritingPad *self,
                                         guint             index)
{
  g_return_val_if_fail (MN_IS_HANDWRITING_PAD (self), NULL);

  return index < self->buttons->len ? g_ptr_array_index (self->buttons, index) : NULL;
}

void
mn_handwriting_pad_choose (MnHandwritingPad *self,
                           const char       *character)
{
  g_autofree char *chosen = NULL;
  GtkRoot *root;

  g_return_if_fail (MN_IS_HANDWRITING_PAD (self));
  g_return_if_fail (character != NULL);

  chosen = g_strdup (character);
  /* Said aloud, so a person who cannot read the small differences
   * between similar characters hears which one went in. */
  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (MN_IS_WINDOW (root))
    mn_window_announce (MN_WINDOW (root), chosen);

  /* The box empties for the next character before the page hears of the
   * choice, so a page that reads the pad sees it ready. */
  if (self->ink != NULL)
    mn_ink_clear (self->ink);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  update_actions (self);
  recognize (self);
  g_signal_emit (self, signals[SIGNAL_CHARACTER_CHOSEN], 0, chosen);
}
