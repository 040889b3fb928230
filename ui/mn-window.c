/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-start-page.h"
#include "mn-window.h"

struct _MnWindow
{
  AdwApplicationWindow parent_instance;

  GtkStack    *shell;
  GtkStack    *pages;
  MnStartPage *start_page;
  GtkWidget   *staff_sign;
  GtkLabel    *staff_sign_title;
  GtkLabel    *staff_sign_body;
  GtkButton   *cancel_staff_button;

  GListStore  *start_items;
  gboolean     kiosk;
  gboolean     staff_called;
};

G_DEFINE_FINAL_TYPE (MnWindow, mn_window, ADW_TYPE_APPLICATION_WINDOW)
G_DEFINE_QUARK (mn-window-error-quark, mn_window_error)

enum
{
  PROP_0,
  PROP_KIOSK,
  PROP_STAFF_CALLED,
  N_PROPS
};

enum
{
  SIGNAL_STAFF_CALL,
  SIGNAL_ANNOUNCE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_staff_called (MnWindow *self,
                  gboolean  called)
{
  called = !!called;
  if (self->staff_called == called)
    return;

  self->staff_called = called;
  gtk_stack_set_visible_child_name (self->shell, called ? "staff-called" : "main");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.call-staff", !called);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel-staff-call", called);

  if (called)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->cancel_staff_button));
      /* Spoken as well as shown: the person may not read well, and the
       * words tell the room too. */
      mn_window_announce (self, _("Staff have been called. Please wait here. A member of staff is "
                                  "coming to help you."));
    }
  else
    {
      mn_window_announce (self, _("The call for staff was cancelled."));
    }

  g_signal_emit (self, signals[SIGNAL_STAFF_CALL], 0, called);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STAFF_CALLED]);
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
go_home_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  mn_window_show_page (MN_WINDOW (widget), "start");
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

  staff = mn_start_item_new ("call-staff",
                             /* Translators: the start screen's button that calls a member of
                              * staff over to the kiosk. */
                             _("Call staff"), "system-users-symbolic", "win.call-staff", NULL,
                             MN_START_ITEM_STAFF, 1000);
  mn_window_add_start_item (self, staff);
}

static void
mn_window_dispose (GObject *object)
{
  MnWindow *self = MN_WINDOW (object);

  g_clear_object (&self->start_items);
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
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_STAFF_CALL] =
    g_signal_new ("staff-call", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
  signals[SIGNAL_ANNOUNCE] =
    g_signal_new ("announce", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  g_type_ensure (MN_TYPE_START_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/minyin/Terminal/mn-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MnWindow, shell);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, start_page);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, staff_sign);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, staff_sign_title);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, staff_sign_body);
  gtk_widget_class_bind_template_child (widget_class, MnWindow, cancel_staff_button);

  gtk_widget_class_install_action (widget_class, "win.call-staff", NULL, call_staff_action);
  gtk_widget_class_install_action (widget_class, "win.cancel-staff-call", NULL,
                                   cancel_staff_call_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.go-home", NULL, go_home_action);
}

static void
mn_window_init (MnWindow *self)
{
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
  g_return_if_fail (gtk_stack_get_child_by_name (self->pages, name) == NULL);

  gtk_stack_add_named (self->pages, page, name);
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

void
mn_window_show_page (MnWindow   *self,
                     const char *name)
{
  g_return_if_fail (MN_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  if (gtk_stack_get_child_by_name (self->pages, name) == NULL)
    {
      g_critical ("The window has no page called “%s”.", name);
      return;
    }
  gtk_stack_set_visible_child_name (self->pages, name);
}

const char *
mn_window_get_visible_page (MnWindow *self)
{
  g_return_val_if_fail (MN_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->pages);
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

gboolean
mn_window_save_screenshot (MnWindow    *self,
                           const char  *path,
                           GError     **error)
{
  GtkWidget *widget = GTK_WIDGET (self);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;

  g_return_val_if_fail (MN_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  renderer = gtk_native_get_renderer (GTK_NATIVE (self));
  if (width <= 0 || height <= 0 || renderer == NULL)
    {
      g_set_error (error, MN_WINDOW_ERROR, MN_WINDOW_ERROR_NOT_DRAWN,
                   _("The window is not on screen yet, so there is nothing to take a picture of."));
      return FALSE;
    }

  paintable = gtk_widget_paintable_new (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    {
      g_set_error (error, MN_WINDOW_ERROR, MN_WINDOW_ERROR_NOT_DRAWN,
                   _("The window drew nothing, so there is nothing to take a picture of."));
      return FALSE;
    }

  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
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
