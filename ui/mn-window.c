/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-i18n.h"
#include "mn-page-holder.h"
#include "mn-speech-prompts.h"
#include "mn-start-page.h"
#include "mn-window.h"

struct _MnWindow
{
  AdwApplicationWindow parent_instance;

  GtkStack    *shell;
  GtkBox      *main_column; /* the status line (if any) above the pages */
  GtkWidget   *status;
  GtkStack    *pages;
  MnStartPage *start_page;
  GtkWidget   *staff_sign;
  GtkLabel    *staff_sign_title;
  GtkLabel    *staff_sign_body;
  GtkButton   *cancel_staff_button;
  GtkButton   *staff_sign_in_button;
  char        *page_before_staff; /* under the staff sign when staff signed in */
  GtkWidget   *idle_sign;
  GtkLabel    *idle_title;
  GtkLabel    *idle_countdown;
  GtkButton   *more_time_button;

  GListStore  *start_items;
  GHashTable  *page_speech; /* page name → text spoken when it appears */
  GPtrArray   *factories;   /* of PageFactory, in registration order */
  gboolean     kiosk;
  gboolean     staff_called;

  /* Idle handling: after idle_seconds without a touch on a page other
   * than the start screen, the warning shows for warning_seconds, then
   * the session is reset. */
  double       idle_seconds;
  double       warning_seconds;
  guint        idle_source;
  guint        tick_source;
  gint64       warning_deadline; /* monotonic µs; 0 when no warning */

  /* Pages added before the first frame wait here (not in the stack, and
   * a factory's page not even built), so that the first frame builds and
   * styles the start screen only; after it they are built and join the
   * stack one per frame (see attach_next()). */
  GPtrArray   *pending;     /* of PendingPage */
  guint        attach_source;
  char        *to_lay_out;  /* the page attached last, laid out after its first frame */
  GdkFrameClock *clock;
  gulong       paint_handler;
  gboolean     drawn;       /* a frame has been painted */
  gboolean     settled;     /* every page is in the stack and styled */
};

/* A page that is built again after a change of language. */
typedef struct
{
  char                *name;
  MnWindowPageFactory  factory;
  gpointer             user_data;
  GDestroyNotify       destroy;
} PageFactory;

typedef struct
{
  char        *name;
  GtkWidget   *page;    /* NULL until @factory has built it */
  PageFactory *factory; /* borrowed from the window's list; or NULL */
} PendingPage;

static void
pending_page_free (PendingPage *p)
{
  g_free (p->name);
  g_clear_object (&p->page);
  g_free (p);
}

static void
page_factory_free (PageFactory *f)
{
  if (f->destroy != NULL)
    f->destroy (f->user_data);
  g_free (f->name);
  g_free (f);
}

G_DEFINE_FINAL_TYPE (MnWindow, mn_window, ADW_TYPE_APPLICATION_WINDOW)
G_DEFINE_QUARK (mn-window-error-quark, mn_window_error)

enum
{
  PROP_0,
  PROP_KIOSK,
  PROP_STAFF_CALLED,
  PROP_IDLE_WARNING,
  PROP_LANGUAGE,
  PROP_VISIBLE_PAGE,
  PROP_SETTLED,
  N_PROPS
};

enum
{
  SIGNAL_STAFF_CALL,
  SIGNAL_ANNOUNCE,
  SIGNAL_RESET,
  SIGNAL_ANNOUNCE_BUTTON,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void arm_idle (MnWindow *self);
static void show_page_saying (MnWindow   *self,
                              const char *name,
                              const char *intro);

/* Fixed prompts come from the speech service's list, whose every text is
 * checked for how it sounds in every language. */
static const char *
staff_called_speech (void)
{
  return mn_speech_prompt_text (MN_SPEECH_PROMPT_STAFF_CALLED);
}

/* What is said when page @name appears; the start screen says what it
 * shows unless someone set other words. */
static char *
page_speech (MnWindow   *self,
             const char *name)
{
  const char *text = g_hash_table_lookup (self->page_speech, name);

  if (text != NULL)
    return g_strdup (text);
  if (g_strcmp0 (name, "start") == 0)
    return mn_start_page_get_speech (self->start_page);
  return NULL;
}

static const char *
visible_shell (MnWindow *self)
{
  return gtk_stack_get_visible_child_name (self->shell);
}

static void
attach_pending (MnWindow *self,
                guint     index)
{
  PendingPage *p = g_ptr_array_steal_index (self->pending, index);

  if (p->page == NULL)
    {
      GtkWidget *page = p->factory->factory (self, p->factory->user_data);

      g_return_if_fail (GTK_IS_WIDGET (page));
      p->page = g_object_ref_sink (page);
    }
  gtk_stack_add_named (self->pages, p->page, p->name);
  pending_page_free (p);
}

/* Pages added whole (not by a factory) join the stack; a factory's page
 * not built yet stays waiting, to be built in whatever language is on by
 * its turn. */
static void
attach_built_pending (MnWindow *self)
{
  for (guint i = 0; i < self->pending->len;)
    {
      if (((PendingPage *) g_ptr_array_index (self->pending, i))->page != NULL)
        attach_pending (self, i);
      else
        i++;
    }
}

static gboolean
is_pending (MnWindow   *self,
            const char *name)
{
  for (guint i = 0; i < self->pending->len; i++)
    if (g_str_equal (((PendingPage *) g_ptr_array_index (self->pending, i))->name, name))
      return TRUE;
  return FALSE;
}

/* Pages from the same factory function, or built for the same object,
 * belong to one flow, whose code may reach from one to the other. */
static gboolean
same_flow (PendingPage *a,
           PendingPage *b)
{
  if (a == b)
    return TRUE;
  if (a->factory == NULL || b->factory == NULL)
    return FALSE;
  return a->factory->factory == b->factory->factory ||
         (a->factory->user_data != NULL && a->factory->user_data == b->factory->user_data);
}

/* Page @name, in the stack: a page still waiting joins it now (someone
 * needs it before its turn came), together with every waiting page of its
 * flow, in the order they were added (a flow's later pages may refer to
 * its earlier ones). */
static GtkWidget *
find_page (MnWindow   *self,
           const char *name)
{
  PendingPage *wanted = NULL;

  for (guint i = 0; i < self->pending->len && wanted == NULL; i++)
    {
      PendingPage *p = g_ptr_array_index (self->pending, i);

      if (g_str_equal (p->name, name))
        wanted = p;
    }
  if (wanted != NULL)
    {
      PageFactory *flow = wanted->factory;
      PendingPage probe = { .factory = flow };

      if (flow == NULL)
        {
          guint index;

          g_ptr_array_find (self->pending, wanted, &index);
          attach_pending (self, index);
        }
      else
        {
          /* @wanted is freed once attached: compare with a stand-in. */
          for (guint i = 0; i < self->pending->len;)
            {
              PendingPage *p = g_ptr_array_index (self->pending, i);

              if (p == wanted || same_flow (&probe, p))
                attach_pending (self, i);
              else
                i++;
            }
        }
    }
  return gtk_stack_get_child_by_name (self->pages, name);
}

static gboolean
has_page (MnWindow   *self,
          const char *name)
{
  return is_pending (self, name) || gtk_stack_get_child_by_name (self->pages, name) != NULL;
}

/* Measures and allocates a hidden page at the size it will be shown at.
 * Wrapped text is the costly part of a page's first layout (Pango shapes
 * a paragraph again for every width a container asks about): done now,
 * while nobody waits, the frame that shows the page finds its sizes
 * cached and its children already placed. */
static void
lay_out_hidden (GtkWidget *stack,
                GtkWidget *page)
{
  int width = gtk_widget_get_width (stack);
  int height = gtk_widget_get_height (stack);
  int min, nat;

  if (width <= 0 || height <= 0 || gtk_widget_get_child_visible (page))
    return;
  gtk_widget_measure (page, GTK_ORIENTATION_HORIZONTAL, -1, &min, &nat, NULL, NULL);
  gtk_widget_measure (page, GTK_ORIENTATION_VERTICAL, width, &min, &nat, NULL, NULL);
  gtk_widget_allocate (page, width, height, -1, NULL);
}

/* Draws every glyph of @layout once, each over the last, on @cr. */
static void
draw_glyphs_of (cairo_t     *cr,
                PangoLayout *layout)
{
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      PangoGlyphString *glyphs;

      if (run == NULL)
        continue;
      glyphs = pango_glyph_string_copy (run->glyphs);
      for (int i = 0; i < glyphs->num_glyphs; i++)
        {
          glyphs->glyphs[i].geometry.width = 0;
          glyphs->glyphs[i].geometry.x_offset = 0;
          glyphs->glyphs[i].geometry.y_offset = 0;
        }
      cairo_move_to (cr, 0, 0);
      pango_cairo_show_glyph_string (cr, run->item->analysis.font, glyphs);
      pango_glyph_string_free (glyphs);
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
}

static void
draw_glyphs_below (cairo_t   *cr,
                   GtkWidget *widget)
{
  if (GTK_IS_LABEL (widget))
    draw_glyphs_of (cr, gtk_label_get_layout (GTK_LABEL (widget)));
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    draw_glyphs_below (cr, child);
}

/* Rasterising the glyphs a page shows for the first time (FreeType,
 * then cairo's and pixman's glyph caches) was the largest part of the
 * frame that first shows a page: large Han characters in two weights are
 * costly to draw and every page brings new ones. Cairo keeps a glyph's
 * image with the font at its size, whatever surface it is drawn on, so
 * drawing each glyph once on a small scratch surface, while the page is
 * hidden and nobody waits, leaves that frame only the copying. Each
 * glyph is drawn over the last at one point (the surface is larger than
 * the largest glyph, which must not be clipped away, or cairo skips it). */
static void
draw_glyphs_ahead (GtkWidget *page)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 512, 512);
  cairo_t *cr = cairo_create (surface);

  cairo_translate (cr, 128, 384);
  draw_glyphs_below (cr, page);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);
}

static void
set_settled (MnWindow *self)
{
  /* Last, the signs that cover the pages (staff called, still there?):
   * hidden until now so that the first frame neither styles them nor
   * loads their large icons; shown (behind the pages) now, the next frame
   * styles them and GTK loads their icons on its threads, before a
   * person first calls staff. */
  gtk_widget_set_visible (self->staff_sign, TRUE);
  gtk_widget_set_visible (self->idle_sign, TRUE);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->clock != NULL)
    g_clear_signal_handler (&self->paint_handler, self->clock);
  g_clear_object (&self->clock);
  self->settled = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SETTLED]);
}

static gboolean
attach_next (gpointer user_data)
{
  MnWindow *self = user_data;

  self->attach_source = 0;
  if (self->to_lay_out != NULL)
    {
      g_autofree char *name = g_steal_pointer (&self->to_lay_out);
      GtkWidget *page = gtk_stack_get_child_by_name (self->pages, name);

      if (page != NULL)
        {
          lay_out_hidden (GTK_WIDGET (self->pages), page);
          draw_glyphs_ahead (page);
        }
      /* Nothing to draw: go on without waiting for a frame. */
      if (self->pending->len > 0)
        self->attach_source = g_idle_add_full (G_PRIORITY_LOW, attach_next, self, NULL);
      else
        set_settled (self);
    }
  else if (self->pending->len > 0)
    {
      self->to_lay_out = g_strdup (((PendingPage *) g_ptr_array_index (self->pending, 0))->name);
      attach_pending (self, 0);
      /* Its styles are worked out in the next frame: make sure one comes. */
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
  return G_SOURCE_REMOVE;
}

/* After each frame: one more waiting page joins the stack, when the main
 * loop has nothing else to do, and after the frame that styled it, it is
 * laid out; so the work for the pages the start screen does not show is
 * spread over idle moments of a few milliseconds each instead of
 * delaying the first frame, or the frame that first shows each page. A
 * touch in the meantime is handled first (the idle has the lowest
 * priority), and a page it needs joins at once (find_page()). */
static void
on_frame_painted (GdkFrameClock *clock,
                  MnWindow      *self)
{
  self->drawn = TRUE;
  if (self->attach_source != 0)
    return;
  if (self->pending->len > 0 || self->to_lay_out != NULL)
    self->attach_source = g_idle_add_full (G_PRIORITY_LOW, attach_next, self, NULL);
  else
    set_settled (self);
}

static void
on_window_map (MnWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->settled ||
      (self->clock == clock && g_signal_handler_is_connected (clock, self->paint_handler)))
    return;
  /* Mapped again on another surface: follow its clock. */
  if (self->clock != NULL && g_signal_handler_is_connected (self->clock, self->paint_handler))
    g_signal_handler_disconnect (self->clock, self->paint_handler);
  g_clear_object (&self->clock);
  self->clock = g_object_ref (clock);
  self->paint_handler = g_signal_connect (self->clock, "after-paint",
                                          G_CALLBACK (on_frame_painted), self);
}

static void
stop_idle (MnWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  g_clear_handle_id (&self->tick_source, g_source_remove);
}

static guint
seconds_left (MnWindow *self)
{
  gint64 left = self->warning_deadline - g_get_monotonic_time ();

  return left <= 0 ? 0 : (guint) ((left + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC);
}

static char *
countdown_text (guint seconds)
{
  /* Translators: under "Do you need more time?"; %u counts down. */
  return g_strdup_printf (ngettext ("In %u second the screen starts over and what you entered "
                                    "is cleared.",
                                    "In %u seconds the screen starts over and what you entered "
                                    "is cleared.",
                                    seconds),
                          seconds);
}

static void
hide_idle_warning (MnWindow *self)
{
  if (self->warning_deadline == 0)
    return;
  self->warning_deadline = 0;
  g_clear_handle_id (&self->tick_source, g_source_remove);
  gtk_stack_set_visible_child_name (self->shell, "main");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.more-time", FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_WARNING]);
}

static gboolean
on_warning_tick (gpointer user_data)
{
  MnWindow *self = user_data;
  guint left = seconds_left (self);
  g_autofree char *text = NULL;

  if (left == 0)
    {
      self->tick_source = 0;
      mn_window_reset_session (self);
      /* Said last, so it is what the person hears if they come back. */
      mn_window_announce (self, mn_speech_prompt_text (MN_SPEECH_PROMPT_TIME_UP));
      return G_SOURCE_REMOVE;
    }

  text = countdown_text (left);
  gtk_label_set_label (self->idle_countdown, text);
  return G_SOURCE_CONTINUE;
}

static void
show_idle_warning (MnWindow *self)
{
  g_autofree char *text = NULL;
  guint interval_ms;

  self->warning_deadline = g_get_monotonic_time () +
                           (gint64) (self->warning_seconds * G_USEC_PER_SEC);
  text = countdown_text (seconds_left (self));
  gtk_label_set_label (self->idle_countdown, text);
  gtk_widget_set_visible (self->idle_sign, TRUE);
  gtk_stack_set_visible_child_name (self->shell, "idle-warning");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.more-time", TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->more_time_button));

  /* The count on screen goes down once a second; tests use fractions of
   * a second, so the tick never exceeds the time that is left. */
  interval_ms = (guint) MIN (1000.0, MAX (10.0, self->warning_seconds * 1000 / 4));
  self->tick_source = g_timeout_add (interval_ms, on_warning_tick, self);

  mn_window_announce (self, mn_speech_prompt_text (MN_SPEECH_PROMPT_STILL_THERE));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_WARNING]);
}

static gboolean
on_idle_timeout (gpointer user_data)
{
  MnWindow *self = user_data;

  self->idle_source = 0;
  show_idle_warning (self);
  return G_SOURCE_REMOVE;
}

/* The clock runs only while someone is in the middle of something: not on
 * the start screen (nothing to wipe) and not while staff are on their way
 * (the person is waiting, not gone). */
static void
arm_idle (MnWindow *self)
{
  g_clear_handle_id (&self->idle_source, g_source_remove);
  if (self->idle_seconds <= 0 || self->staff_called || self->warning_deadline != 0)
    return;
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "start") == 0)
    return;
  self->idle_source = g_timeout_add ((guint) (self->idle_seconds * 1000), on_idle_timeout, self);
}

static gboolean
on_input (GtkEventControllerLegacy *controller,
          GdkEvent                 *event,
          MnWindow                 *self)
{
  switch ((int) gdk_event_get_event_type (event))
    {
    case GDK_BUTTON_PRESS:
    case GDK_TOUCH_BEGIN:
    case GDK_KEY_PRESS:
    case GDK_SCROLL:
      mn_window_note_activity (self);
      break;
    default:
      break;
    }
  /* Only watching: the event goes on to the widget it was meant for. */
  return GDK_EVENT_PROPAGATE;
}

static void
set_staff_called_full (MnWindow *self,
                       gboolean  called,
                       gboolean  say_cancelled)
{
  called = !!called;
  if (self->staff_called == called)
    return;

  self->staff_called = called;
  hide_idle_warning (self);
  gtk_widget_set_visible (self->staff_sign, TRUE);
  gtk_stack_set_visible_child_name (self->shell, called ? "staff-called" : "main");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.call-staff", !called);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-staff-call", called);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.staff-sign-in",
                                 called && has_page (self, "staff-sign-in"));
  /* Back from the staff sign-in (someone touched it by mistake) raises
   * the sign again over the page the person was on, so cancelling the
   * call returns them there. */
  if (called && self->page_before_staff != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->pages), "staff-sign-in") == 0)
    gtk_stack_set_visible_child_name (self->pages, self->page_before_staff);

  if (called)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->cancel_staff_button));
      /* Spoken as well as shown: the person may not read well, and the
       * words tell the room too. */
      mn_window_announce (self, staff_called_speech ());
    }
  else if (say_cancelled)
    {
      mn_window_announce (self, _("The call for staff was cancelled."));
    }

  g_signal_emit (self, signals[SIGNAL_STAFF_CALL], 0, called);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_CALLED]);
  if (called)
    stop_idle (self);
  else
    arm_idle (self);
}

static void
set_staff_called (MnWindow *self,
                  gboolean  called)
{
  set_staff_called_full (self, called, TRUE);
}

/* On the "staff have been called" sign, for the member of staff who came:
 * the call is answered (not cancelled, so nothing says so), and the staff
 * sign-in page shows. Only from this sign: a resident alone at the start
 * screen never sees a way into the staff pages. */
static void
staff_sign_in_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  MnWindow *self = MN_WINDOW (widget);

  /* A page still waiting to be built (just after start-up) is built by
   * mn_window_show_page(). */
  if (!has_page (self, "staff-sign-in"))
    return;
  g_free (self->page_before_staff);
  self->page_before_staff = g_strdup (gtk_stack_get_visible_child_name (self->pages));
  set_staff_called_full (self, FALSE, FALSE);
  mn_window_show_page (self, "staff-sign-in");
}

static void
call_staff_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  mn_window_call_staff (MN_WINDOW (widget));
}

static void
cancel_staff_call_action (GtkWidget  *widget,
                          const char *action_name,
                          GVariant   *parameter)
{
  mn_window_cancel_staff_call (MN_WINDOW (widget));
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  mn_window_show_page (MN_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
more_time_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  mn_window_note_activity (MN_WINDOW (widget));
}

static void
repeat_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnWindow *self = MN_WINDOW (widget);
  const char *shell = visible_shell (self);
  g_autofree char *text = NULL;

  /* What is on screen now: a sign covering the page, or the page. */
  if (g_strcmp0 (shell, "staff-called") == 0)
    text = g_strdup (staff_called_speech ());
  else if (g_strcmp0 (shell, "idle-warning") == 0)
    text = g_strdup_printf ("%s %s", mn_speech_prompt_text (MN_SPEECH_PROMPT_STILL_THERE),
                            gtk_label_get_label (self->idle_countdown));
  else
    text = page_speech (self, gtk_stack_get_visible_child_name (self->pages));
  if (text != NULL && *text != '\0')
    mn_window_announce (self, text);
}

/* The start screen is where a visit ends: going there wipes what the
 * person entered, however they got there. */
static void
go_home_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  mn_window_reset_session (MN_WINDOW (widget));
}

static int
compare_start_items (gconstpointer a,
                     gconstpointer b,
                     gpointer      user_data)
{
  int pa = mn_start_item_get_position ((MnStartItem *) a);
  int pb = mn_start_item_get_position ((MnStartItem *) b);

  return (pa > pb) - (pa < pb);
}

/* The buttons the start screen has today. A page from a later issue adds
 * its own with mn_window_add_page(); "call staff" needs no page, only the
 * sign this window shows. */
static void
register_builtin_items (MnWindow *self)
{
  g_autoptr(MnStartItem) staff = NULL;

  staff = mn_start_item_new_translatable ("call-staff",
                                          /* Translators: the start screen's button that calls a
                                           * member of staff over to the kiosk. */
                                          N_("Call staff"), "system-users-symbolic",
                                          "win.call-staff", NULL, MN_START_ITEM_STAFF, 1000);
  mn_window_add_start_item (self, staff);
}

/* The window's own words (its title and the two signs) come from its
 * template, translated when it was built; after a change of language
 * they are set again from the same messages. */
static void
translate_own_text (MnWindow *self)
{
  /* Translators: the application's name, 民音 ("the people's voice"). */
  gtk_window_set_title (GTK_WINDOW (self), _("Minyin"));
  gtk_label_set_label (self->staff_sign_title, _("Staff have been called"));
  gtk_label_set_label (self->staff_sign_body,
                       _("Please wait here. A member of staff is coming to help you."));
  /* Translators: cancels the call for staff; on a button read from a distance. */
  gtk_button_set_label (self->cancel_staff_button, _("Cancel the call"));
  /* Translators: a small button on the "staff have been called" sign, for
   * the member of staff who answers the call. */
  gtk_button_set_label (self->staff_sign_in_button, _("Staff sign-in"));
  /* Translators: asked when nobody has touched the kiosk for a while. */
  gtk_label_set_label (self->idle_title, _("Do you need more time?"));
  gtk_button_set_label (self->more_time_button, _("More time"));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_staff_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_button_get_label (self->cancel_staff_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (self->staff_sign_title), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->more_time_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_button_get_label (self->more_time_button), -1);
}

/* Han characters shared by Simplified and Traditional Chinese are drawn
 * differently in each; Pango picks the shapes by the language of the text,
 * which GTK takes once from the process locale. A new language sets it on
 * every widget's context (the stylesheet's font list does the same for
 * widgets made later). */
static void
set_pango_language (GtkWidget     *widget,
                    PangoLanguage *language)
{
  pango_context_set_language (gtk_widget_get_pango_context (widget), language);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    set_pango_language (child, language);
}

/* Builds every factory's page and the start screen again, in the language
 * gettext answers in now, and shows what was showing. */
static void
rebuild_pages (MnWindow *self)
{
  g_autofree char *visible = g_strdup (gtk_stack_get_visible_child_name (self->pages));
  MnStartPage *old_start = self->start_page;

  attach_built_pending (self);
  for (guint i = 0; i < self->factories->len; i++)
    {
      PageFactory *f = g_ptr_array_index (self->factories, i);
      GtkWidget *old;
      GtkWidget *page;

      /* Not built yet: it will be, in the new language. */
      if (is_pending (self, f->name))
        continue;
      old = gtk_stack_get_child_by_name (self->pages, f->name);
      page = f->factory (self, f->user_data);

      g_return_if_fail (GTK_IS_WIDGET (page) && page != old);
      if (old != NULL)
        gtk_stack_remove (self->pages, old);
      gtk_stack_add_named (self->pages, page, f->name);
    }

  /* The start screen's template text too: a new page on the same items.
   * The old one stops following the items (the template keeps it alive). */
  self->start_page = MN_START_PAGE (mn_start_page_new ());
  mn_start_page_set_items (self->start_page, G_LIST_MODEL (self->start_items));
  mn_start_page_set_items (old_start, NULL);
  gtk_stack_remove (self->pages, GTK_WIDGET (old_start));
  gtk_stack_add_named (self->pages, GTK_WIDGET (self->start_page), "start");

  translate_own_text (self);
  if (visible != NULL && gtk_stack_get_child_by_name (self->pages, visible) != NULL)
    gtk_stack_set_visible_child_name (self->pages, visible);
}

static void
set_language_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  MnWindow *self = MN_WINDOW (widget);
  const char *code = g_variant_get_string (parameter, NULL);
  const MnLanguage *language;
  g_autoptr(GError) error = NULL;

  if (!mn_window_set_language (self, code, &error))
    {
      g_warning ("%s", error->message);
      return;
    }
  /* The person hears the name of their language in its own voice, then
   * the start screen in it: proof that the choice took. */
  language = mn_i18n_find_language (code);
  show_page_saying (self, "start", language != NULL ? language->native_name : NULL);
}

static void
mn_window_dispose (GObject *object)
{
  MnWindow *self = MN_WINDOW (object);

  stop_idle (self);
  g_clear_pointer (&self->page_before_staff, g_free);
  g_clear_handle_id (&self->attach_source, g_source_remove);
  g_clear_pointer (&self->to_lay_out, g_free);
  /* The frame clock drops its handlers itself when the surface goes. */
  if (self->clock != NULL && g_signal_handler_is_connected (self->clock, self->paint_handler))
    g_signal_handler_disconnect (self->clock, self->paint_handler);
  self->paint_handler = 0;
  g_clear_object (&self->clock);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_object (&self->start_items);
  g_clear_pointer (&self->page_speech, g_hash_table_unref);
  g_clear_pointer (&self->factories, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), MN_TYPE_WINDOW);

  G_OBJECT_CLASS (mn_window_parent_class)->dispose (object);
}

static void
mn_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MnWindow *self = MN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KIOSK:
      g_value_set_boolean (value, self->kiosk);
      break;
    case PROP_STAFF_CALLED:
      g_value_set_boolean (value, self->staff_called);
      break;
    case PROP_IDLE_WARNING:
      g_value_set_boolean (value, self->warning_deadline != 0);
      break;
    case PROP_LANGUAGE:
      g_value_set_string (value, mn_window_get_language (self));
      break;
    case PROP_VISIBLE_PAGE:
      g_value_set_string (value, gtk_stack_get_visible_child_name (self->pages));
      break;
    case PROP_SETTLED:
      g_value_set_boolean (value, self->settled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MnWindow *self = MN_WINDOW (object);

  switch (prop_id)
    {
    case PROP_KIOSK:
      self->kiosk = g_value_get_boolean (value);
      if (self->kiosk)
        gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (self), "kiosk");
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_window_class_init (MnWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_window_dispose;
  object_class->get_property = mn_window_get_property;
  object_class->set_property = mn_window_set_property;

  properties[PROP_KIOSK] =
    g_param_spec_boolean ("kiosk", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STAFF_CALLED] =
    g_param_spec_boolean ("staff-called", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_WARNING] =
    g_param_spec_boolean ("idle-warning", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LANGUAGE] =
    g_param_spec_string ("language", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE_PAGE] =
    g_param_spec_string ("visible-page", NULL, NULL, "start",
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTLED] =
    g_param_spec_boolean ("settled", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ANNOUNCE_BUTTON] =
    g_signal_new ("announce-button", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_RESET] =
    g_signal_new ("reset", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[SIGNAL_STAFF_CALL] =
    g_signal_new ("staff-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_ANNOUNCE] =
    g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (MN_TYPE_START_PAGE);
  g_type_ensure (MN_TYPE_PAGE_HOLDER);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/minyin/Terminal/mn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MnWindow, shell);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, main_column);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, staff_sign);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, staff_sign_title);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, staff_sign_body);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, cancel_staff_button);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, idle_sign);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, idle_title);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, idle_countdown);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, more_time_button);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, staff_sign_in_button);

  gtk_widget_class_install_action (widget_class, "win.call-staff", NULL, call_staff_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-staff-call", NULL,
                                   cancel_staff_call_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.go-home", NULL, go_home_action);
  gtk_widget_class_install_action (widget_class, "win.more-time", NULL, more_time_action);
  gtk_widget_class_install_action (widget_class, "win.repeat", NULL, repeat_action);
  gtk_widget_class_install_action (widget_class, "win.staff-sign-in", NULL, staff_sign_in_action);
  gtk_widget_class_install_action (widget_class, "win.set-language", "s", set_language_action);
}

static void
mn_window_init (MnWindow *self)
{
  GtkEventController *controller;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->kiosk = TRUE;
  gtk_widget_add_css_class (GTK_WIDGET (self), "kiosk");

  gtk_accessible_update_property (GTK_ACCESSIBLE (self->staff_sign_title),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cancel_staff_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_button_get_label (self->cancel_staff_button),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  gtk_label_get_label (self->staff_sign_title), -1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-staff-call", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.more-time", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.staff-sign-in", FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->idle_title),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->more_time_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_button_get_label (self->more_time_button), -1);

  self->idle_seconds = 90;
  self->warning_seconds = 20;
  self->pending = g_ptr_array_new_with_free_func ((GDestroyNotify) pending_page_free);
  g_signal_connect (self, "map", G_CALLBACK (on_window_map), NULL);
  controller = gtk_event_controller_legacy_new ();
  /* Capture phase: every touch is seen before any widget can stop it. */
  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect (controller, "event", G_CALLBACK (on_input), self);
  gtk_widget_add_controller (GTK_WIDGET (self), controller);

  self->page_speech = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->factories = g_ptr_array_new_with_free_func ((GDestroyNotify) page_factory_free);
  self->start_items = g_list_store_new (MN_TYPE_START_ITEM);
  mn_start_page_set_items (self->start_page, G_LIST_MODEL (self->start_items));
  register_builtin_items (self);
}

MnWindow *
mn_window_new (GtkApplication *application,
               gboolean        kiosk)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);

  return g_object_new (MN_TYPE_WINDOW, "application", application, "kiosk", kiosk, NULL);
}

void
mn_window_add_start_item (MnWindow    *self,
                          MnStartItem *item)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (MN_IS_START_ITEM (item));

  g_list_store_insert_sorted (self->start_items, item, compare_start_items, NULL);
}

void
mn_window_add_page (MnWindow    *self,
                    const char  *name,
                    GtkWidget   *page,
                    MnStartItem *start_item)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (start_item == NULL || MN_IS_START_ITEM (start_item));
  g_return_if_fail (!has_page (self, name));

  if (!self->drawn)
    {
      PendingPage *p = g_new0 (PendingPage, 1);

      p->name = g_strdup (name);
      p->page = g_object_ref_sink (page);
      g_ptr_array_add (self->pending, p);
    }
  else
    {
      gtk_stack_add_named (self->pages, page, name);
    }
  if (start_item != NULL)
    mn_window_add_start_item (self, start_item);
}

GListModel *
mn_window_get_start_items (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), NULL);

  return G_LIST_MODEL (self->start_items);
}

GtkWidget *
mn_window_get_start_page (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->start_page);
}

/* Shows page @name and says what it says, after @intro when given. */
static void
show_page_saying (MnWindow   *self,
                  const char *name,
                  const char *intro)
{
  g_autofree char *text = NULL;

  if (find_page (self, name) == NULL)
    {
      g_critical ("The window has no page called “%s”.", name);
      return;
    }
  gtk_stack_set_visible_child_name (self->pages, name);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE_PAGE]);
  hide_idle_warning (self);
  arm_idle (self);

  text = page_speech (self, name);
  if (intro != NULL)
    {
      g_autofree char *page_text = g_steal_pointer (&text);

      text = page_text != NULL ? g_strdup_printf ("%s\n%s", intro, page_text) : g_strdup (intro);
    }
  if (text != NULL)
    mn_window_announce (self, text);
}

void
mn_window_show_page (MnWindow   *self,
                     const char *name)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  show_page_saying (self, name, NULL);
}

const char *
mn_window_get_visible_page (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->pages);
}

void
mn_window_set_status (MnWindow  *self,
                      GtkWidget *status)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (status == NULL || GTK_IS_WIDGET (status));

  if (self->status == status)
    return;
  if (self->status != NULL)
    gtk_box_remove (self->main_column, self->status);
  self->status = status;
  if (status != NULL)
    gtk_box_prepend (self->main_column, status);
  /* The pages' own top margin is smaller below it (the stylesheet). */
  if (status != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self), "mn-has-status");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "mn-has-status");
}

gboolean
mn_window_get_settled (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), FALSE);

  return self->settled;
}

gboolean
mn_window_get_staff_called (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), FALSE);

  return self->staff_called;
}

void
mn_window_call_staff (MnWindow *self)
{
  g_return_if_fail (MN_IS_WINDOW (self));

  set_staff_called (self, TRUE);
}

void
mn_window_cancel_staff_call (MnWindow *self)
{
  g_return_if_fail (MN_IS_WINDOW (self));

  set_staff_called (self, FALSE);
}

void
mn_window_announce (MnWindow   *self,
                    const char *text)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  g_signal_emit (self, signals[SIGNAL_ANNOUNCE], 0, text);
}

GdkTexture *
mn_window_render (MnWindow  *self,
                  GError   **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  g_return_val_if_fail (MN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, MN_WINDOW_ERROR, MN_WINDOW_ERROR_NOT_DRAWN,
                   _("The window is not on screen yet, so there is nothing to take a picture of."));
      return NULL;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, MN_WINDOW_ERROR, MN_WINDOW_ERROR_NOT_DRAWN,
                   _("The window drew nothing, so there is nothing to take a picture of."));
      return NULL;
    }

  return gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

gboolean
mn_window_save_screenshot (MnWindow    *self,
                           const char  *path,
                           GError     **error)
{
  g_autoptr(GdkTexture) texture = NULL;

  g_return_val_if_fail (MN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  texture = mn_window_render (self, error);
  if (texture == NULL)
    return FALSE;

  if (!gdk_texture_save_to_png (texture, path))
    {
      g_set_error (error, MN_WINDOW_ERROR, MN_WINDOW_ERROR_SAVE_FAILED,
                   _("The picture could not be written to %s; check that its folder exists and "
                     "can be written to."),
                   path);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char       *path;
  GdkFrameClock *clock;
  gulong      paint_handler;
  gulong      map_handler;
} ScreenshotData;

static void
screenshot_data_free (ScreenshotData *data)
{
  g_assert (data->paint_handler == 0);
  g_clear_object (&data->clock);
  g_free (data->path);
  g_free (data);
}

static gboolean
take_screenshot_idle (gpointer user_data)
{
  GTask *task = user_data;
  MnWindow *self = g_task_get_source_object (task);
  ScreenshotData *data = g_task_get_task_data (task);
  GError *error = NULL;

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  if (mn_window_save_screenshot (self, data->path, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  return G_SOURCE_REMOVE;
}

static void
on_after_paint (GdkFrameClock *clock,
                GTask         *task)
{
  ScreenshotData *data = g_task_get_task_data (task);

  g_clear_signal_handler (&data->paint_handler, clock);
  /* Painting is over once this signal returns; the picture is taken from
   * the main loop so it sees the finished frame. */
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, take_screenshot_idle, task, g_object_unref);
}

static void
wait_for_paint (MnWindow *self,
                GTask    *task)
{
  ScreenshotData *data = g_task_get_task_data (task);

  data->clock = g_object_ref (gtk_widget_get_frame_clock (GTK_WIDGET (self)));
  data->paint_handler = g_signal_connect (data->clock, "after-paint", G_CALLBACK (on_after_paint),
                                          task);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_map (MnWindow *self,
        GTask    *task)
{
  ScreenshotData *data = g_task_get_task_data (task);

  g_clear_signal_handler (&data->map_handler, self);
  wait_for_paint (self, task);
}

void
mn_window_screenshot_async (MnWindow            *self,
                            const char          *path,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  ScreenshotData *data;

  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mn_window_screenshot_async);
  data = g_new0 (ScreenshotData, 1);
  data->path = g_strdup (path);
  g_task_set_task_data (task, data, (GDestroyNotify) screenshot_data_free);

  /* The task's reference is handed from one step to the next and
   * dropped by the idle that takes the picture. */
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    wait_for_paint (self, task);
  else
    data->map_handler = g_signal_connect (self, "map", G_CALLBACK (on_map), task);
}

gboolean
mn_window_screenshot_finish (MnWindow      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
mn_window_set_page_speech (MnWindow   *self,
                           const char *page,
                           const char *text)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (page != NULL);

  if (text != NULL)
    g_hash_table_replace (self->page_speech, g_strdup (page), g_strdup (text));
  else
    g_hash_table_remove (self->page_speech, page);
}

void
mn_window_set_idle_timeout (MnWindow *self,
                            double    idle_seconds,
                            double    warning_seconds)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (idle_seconds >= 0 && warning_seconds > 0);

  self->idle_seconds = idle_seconds;
  self->warning_seconds = warning_seconds;
  if (self->warning_deadline == 0)
    arm_idle (self);
}

void
mn_window_note_activity (MnWindow *self)
{
  g_return_if_fail (MN_IS_WINDOW (self));

  hide_idle_warning (self);
  arm_idle (self);
}

gboolean
mn_window_get_idle_warning (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), FALSE);

  return self->warning_deadline != 0;
}

void
mn_window_reset_session (MnWindow *self)
{
  g_return_if_fail (MN_IS_WINDOW (self));

  stop_idle (self);
  hide_idle_warning (self);
  g_clear_pointer (&self->page_before_staff, g_free);
  if (self->staff_called)
    set_staff_called (self, FALSE);
  /* Pages forget what the last person entered before the start screen
   * shows, so nothing of theirs is ever on screen for the next one. */
  g_signal_emit (self, signals[SIGNAL_RESET], 0);
  /* The language was this person's choice; the next one finds the
   * kiosk's own. */
  if (g_strcmp0 (mn_i18n_get_language (), mn_i18n_get_default_language ()) != 0)
    mn_window_set_language (self, NULL, NULL);
  mn_window_show_page (self, "start");
}

void
mn_window_add_page_factory (MnWindow            *self,
                            const char          *name,
                            MnWindowPageFactory  factory,
                            gpointer             user_data,
                            GDestroyNotify       destroy,
                            MnStartItem         *start_item)
{
  PageFactory *f;
  GtkWidget *page;

  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (name != NULL);
  g_return_if_fail (factory != NULL);
  g_return_if_fail (start_item == NULL || MN_IS_START_ITEM (start_item));
  g_return_if_fail (!has_page (self, name));

  f = g_new0 (PageFactory, 1);
  f->name = g_strdup (name);
  f->factory = factory;
  f->user_data = user_data;
  f->destroy = destroy;
  g_ptr_array_add (self->factories, f);

  if (!self->drawn)
    {
      /* Before the first frame, not even built: building the pages the
       * start screen does not show (their templates, their widgets) was
       * most of the work before the first frame. */
      PendingPage *p = g_new0 (PendingPage, 1);

      p->name = g_strdup (name);
      p->factory = f;
      g_ptr_array_add (self->pending, p);
      if (start_item != NULL)
        mn_window_add_start_item (self, start_item);
      return;
    }

  page = factory (self, user_data);
  g_return_if_fail (GTK_IS_WIDGET (page));
  mn_window_add_page (self, name, page, start_item);
}

GtkWidget *
mn_window_get_page (MnWindow   *self,
                    const char *name)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return find_page (self, name);
}

gboolean
mn_window_set_language (MnWindow    *self,
                        const char  *language,
                        GError     **error)
{
  const MnLanguage *lang;
  const char *code;

  g_return_val_if_fail (MN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  code = language != NULL ? language : mn_i18n_get_default_language ();
  if (g_strcmp0 (code, mn_i18n_get_language ()) == 0)
    return TRUE;
  if (!mn_i18n_set_language (language, error))
    return FALSE;

  lang = mn_i18n_find_language (mn_i18n_get_language ());
  /* Mirrored for Uyghur: GTK flips every box and grid whose direction is
   * not set, so the first thing read is on the right. */
  gtk_widget_set_default_direction (lang != NULL && lang->right_to_left ? GTK_TEXT_DIR_RTL
                                                                         : GTK_TEXT_DIR_LTR);
  rebuild_pages (self);
  set_pango_language (GTK_WIDGET (self),
                      pango_language_from_string (lang != NULL ? lang->pango_language
                                                               : mn_i18n_get_language ()));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANGUAGE]);
  return TRUE;
}

const char *
mn_window_get_language (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), NULL);

  return mn_i18n_get_language ();
}

void
mn_window_say_button (MnWindow   *self,
                      const char *name)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  g_signal_emit (self, signals[SIGNAL_ANNOUNCE_BUTTON], 0, name);
}
