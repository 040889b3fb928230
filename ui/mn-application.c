/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "mn-application.h"
#include "mn-language-page.h"
#include "mn-catalogue.h"
#include "mn-filing-flow.h"
#include "mn-outbox.h"
#include "mn-speech.h"
#include "mn-sync-indicator.h"
#include "mn-progress-flow.h"
#include "mn-store.h"

struct _MnApplication
{
  AdwApplication parent_instance;

  GSettings     *settings;
  MnKioskStyle  *kiosk_style;
  MnSpeech      *speech;
  MnStore       *store;
  MnFilingFlow  *filing;
  MnProgressFlow *progress;
  MnStaffFlow    *staff;
  GCancellable  *cancellable;
  MnWindow      *window; /* weak */
  MnOutbox      *outbox; /* only for a provisioned terminal */
  GtkWidget     *sync_indicator; /* weak, owned by the window */
  char          *screenshot_path;
  gboolean       windowed;
  /* The start screen is complete once the store has answered (the button
   * to file a request needs it); the frame painted after that is the one
   * `--screenshot` takes, and MINYIN_REPORT_STARTUP reports. */
  gboolean       store_answered;
  gboolean       watching_frame;
  gboolean       report_startup;
  gboolean       shot_taken;
  /* The voice and the sync worker start after the first frame, so that
   * their threads (espeak-ng and GStreamer loading, a first connection)
   * do not compete with it for the processor. */
  gboolean       first_frame_done;
};

G_DEFINE_FINAL_TYPE (MnApplication, mn_application, ADW_TYPE_APPLICATION)

GSettings *
mn_application_load_settings (void)
{
  GSettingsSchemaSource *installed = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (installed != NULL)
    schema = g_settings_schema_source_lookup (installed, APP_ID, TRUE);

  if (schema == NULL && g_file_test (BUILD_SCHEMADIR "/gschemas.compiled", G_FILE_TEST_EXISTS))
    {
      /* Started from the build tree without GSETTINGS_SCHEMA_DIR: use the
       * schema compiled there rather than running on bare defaults. */
      g_autoptr(GSettingsSchemaSource) build = NULL;

      build = g_settings_schema_source_new_from_directory (BUILD_SCHEMADIR, installed, FALSE, NULL);
      if (build != NULL)
        schema = g_settings_schema_source_lookup (build, APP_ID, FALSE);
    }

  if (schema == NULL)
    {
      g_warning ("The settings schema %s is not installed, so the terminal runs with its default "
                 "settings. Install Minyin, or set GSETTINGS_SCHEMA_DIR to the build's assets "
                 "folder.",
                 APP_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static gboolean
is_kiosk (MnApplication *self)
{
  return self->settings == NULL || g_settings_get_enum (self->settings, "mode") == 0;
}

static void
on_staff_call (MnWindow      *window,
               gboolean       called,
               MnApplication *self)
{
  /* One line per event, with a field a journal query can select on. The
   * audit trail will record the same event once it exists. */
  g_log_structured (G_LOG_DOMAIN, G_LOG_LEVEL_MESSAGE,
                    "MINYIN_EVENT", called ? "staff-called" : "staff-call-cancelled",
                    "MESSAGE", "%s",
                    called ? "A person at the kiosk called for staff."
                           : "The call for staff was cancelled at the kiosk.");
}

/* The voice hook: what the window wants said goes to the speech service,
 * in the display language. */
static void ensure_speech (MnApplication *self);

static void
on_announce (MnWindow      *window,
             const char    *text,
             MnApplication *self)
{
  /* Something to say before the voice started: it starts now. */
  ensure_speech (self);
  if (self->speech != NULL)
    mn_speech_say_prompt (self->speech, text);
}

static void
on_announce_button (MnWindow      *window,
                    const char    *name,
                    MnApplication *self)
{
  ensure_speech (self);
  if (self->speech != NULL)
    mn_speech_say_button (self->speech, name);
}

static void
on_session_reset (MnWindow      *window,
                  MnApplication *self)
{
  /* The next person starts at the default volume, in silence. */
  if (self->speech != NULL)
    {
      mn_speech_stop (self->speech);
      mn_speech_reset_volume (self->speech);
    }
}

/* GTK 4.8 gives a widget's Pango context a new font size when the
 * stylesheet changes, but keeps its old font family: a widget that
 * outlives a change of language (the sync indicator, the window's signs)
 * would go on drawing Uyghur with the Chinese list of faces (the line
 * spacing set for the Arabic face then no longer fits). Setting the font
 * options makes GTK take the whole font from the current style again;
 * setting them back to NULL leaves the screen's own. */
static void
refresh_fonts (GtkWidget *widget)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_widget_set_font_options (widget, options);
  gtk_widget_set_font_options (widget, NULL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  cairo_font_options_destroy (options);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    refresh_fonts (child);
}

/* A person chose another language (or the session ended and the default
 * came back): the voice and the fonts follow at once. */
static void
on_language_changed (MnWindow      *window,
                     GParamSpec    *pspec,
                     MnApplication *self)
{
  const char *language = mn_window_get_language (window);

  if (self->speech != NULL)
    {
      mn_speech_stop (self->speech);
      mn_speech_set_language (self->speech, language);
    }
  mn_kiosk_style_set_language (self->kiosk_style, language);
  refresh_fonts (GTK_WIDGET (window));
  /* The sync indicator writes its words when the outbox changes: ask it
   * again now, in the new language. */
  if (self->sync_indicator != NULL && self->outbox != NULL)
    mn_sync_indicator_set_outbox (MN_SYNC_INDICATOR (self->sync_indicator), self->outbox);
}

/* The voice: started after the first frame (or by the first thing to
 * say, if that comes sooner). Nothing waits for it: what is said before
 * it is up is said once it is. */
static void
ensure_speech (MnApplication *self)
{
  g_autofree char *language = NULL;

  /* Not before startup, nor once the application is going away. */
  if (self->speech != NULL || self->cancellable == NULL)
    return;
  /* Here on the main thread, not on the speech thread: espeak-ng changes
   * the process's locale while it loads, and GTK's threads already run.
   * Its failure is reported by the speech object's state. */
  if (!mn_speech_load_synthesizer (NULL))
    g_debug ("espeak-ng did not load; the speech state says why");
  self->speech = mn_speech_new ();

  /* The window's language if a person already switched it. */
  language = self->window != NULL ? g_strdup (mn_window_get_language (self->window))
                                  : mn_kiosk_display_language ();
  mn_speech_set_language (self->speech, language);
  /* Rate, default volume and on/off follow the settings from now on. */
  if (self->settings != NULL)
    mn_speech_bind_settings (self->speech, self->settings);
}

static void
on_idle_timeout_changed (GSettings  *settings,
                         const char *key,
                         MnWindow   *window)
{
  /* The warning lasts 20 s: the "at least 20 more seconds" of the rules
   * is the full idle time again once "more time" is pressed. */
  mn_window_set_idle_timeout (window, g_settings_get_uint (settings, key), 20);
}

static void
open_store_thread (GTask        *task,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  g_autofree char *dir = mn_store_resolve_data_dir (NULL);
  GError *error = NULL;
  MnStore *store = mn_store_open (dir, &error);

  if (store != NULL)
    g_task_return_pointer (task, store, g_object_unref);
  else
    g_task_return_error (task, error);
}

static void
on_catalogue_loaded (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(MnApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MnCatalogue) catalogue = mn_catalogue_load_finish (result, &error);

  if (catalogue == NULL)
    {
      /* The bundled catalogue already on screen stays. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("%s", error->message);
      return;
    }
  if (self->filing != NULL)
    mn_filing_flow_set_catalogue (self->filing, catalogue);
}

static void start_sync (MnApplication *self);
static void watch_complete_frame (MnApplication *self);

static void
on_store_opened (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(MnApplication) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MnStore) store = g_task_propagate_pointer (G_TASK (result), &error);

  if (store == NULL)
    {
      /* Without its store the kiosk cannot take a request, so the button
       * stays away; staff read why in the journal, and can still be
       * called from the screen. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_warning ("The terminal cannot take requests: %s", error->message);
          self->store_answered = TRUE;
          watch_complete_frame (self);
        }
      return;
    }
  g_set_object (&self->store, store);
  if (self->filing != NULL)
    mn_filing_flow_set_store (self->filing, store);
  if (self->progress != NULL)
    mn_progress_flow_set_store (self->progress, store);
  if (self->staff != NULL)
    mn_staff_flow_set_store (self->staff, store);
  mn_catalogue_load_async (store, self->cancellable, on_catalogue_loaded, g_object_ref (self));
  start_sync (self);
  self->store_answered = TRUE;
  watch_complete_frame (self);
}

/* The sync indicator is a line of its own above every page (not over the
 * window's signs), its words at the top end corner. It used to lie over
 * the pages in an overlay, and its longest words ("offline, 9999 requests
 * kept safely on this terminal", more so in Uyghur and at the large text
 * size) then ran into a flow's question, the step counter or a title,
 * which no page can keep clear of in every language. Above the pages it
 * costs about the line the step counter used to give up for it, and it
 * wraps when its words are longer than the screen is wide. */
static void
attach_sync_indicator (MnApplication *self)
{
  if (self->outbox == NULL || self->window == NULL || self->sync_indicator != NULL)
    return;
  self->sync_indicator = mn_sync_indicator_new ();
  g_object_add_weak_pointer (G_OBJECT (self->sync_indicator), (gpointer *) &self->sync_indicator);
  mn_window_set_status (self->window, self->sync_indicator);
  mn_sync_indicator_set_outbox (MN_SYNC_INDICATOR (self->sync_indicator), self->outbox);
}

static void
on_request_filed (MnApplication *self)
{
  /* A request a resident was just told is saved goes at once. */
  if (self->outbox != NULL)
    mn_outbox_wake (self->outbox);
}

/* The sync worker, for a terminal that has a platform (`minyin provision`
 * wrote DATA_DIR/platform.ini): it runs on its own thread, never on this
 * main loop. An unprovisioned terminal (a demo, the UI tests) runs none
 * and shows no indicator. */
static void
start_sync (MnApplication *self)
{
  g_autofree char *platform = NULL;

  if (self->outbox != NULL || self->store == NULL)
    return;
  platform = g_build_filename (mn_store_get_data_dir (self->store), "platform.ini", NULL);
  if (!g_file_test (platform, G_FILE_TEST_EXISTS))
    return;
  self->outbox = mn_outbox_new (self->store);
  attach_sync_indicator (self);
  /* The indicator is part of the start screen; the worker's thread starts
   * after the first frame. */
  if (self->first_frame_done)
    mn_outbox_start (self->outbox);
}

/* Opening (and maybe migrating) the store touches the disk: never on the
 * main loop. */
static void
open_store_async (MnApplication *self)
{
  g_autoptr(GTask) task = g_task_new (NULL, self->cancellable, on_store_opened,
                                      g_object_ref (self));

  g_task_run_in_thread (task, open_store_thread);
}

/* After the first frame, when the main loop has a moment: the voice and
 * the sync worker. */
static void
open_speech_library_thread (GTask        *task,
                            gpointer      source,
                            gpointer      task_data,
                            GCancellable *cancellable)
{
  g_task_return_boolean (task, mn_speech_open_library ());
}

static void
on_speech_library_opened (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  ensure_speech (MN_APPLICATION (source));
}

static gboolean
after_first_frame (gpointer user_data)
{
  MnApplication *self = user_data;
  g_autoptr(GTask) task = g_task_new (self, NULL, on_speech_library_opened, NULL);

  /* espeak-ng's library (and the twenty-odd it needs) is opened on a
   * worker: loading and relocating them is several milliseconds the main
   * loop need not wait for. Only then is the voice started here (its
   * start sets the locale, which belongs on the main thread). Anything
   * said sooner starts it at once, waiting for the library if need be. */
  g_task_run_in_thread (task, open_speech_library_thread);
  if (self->outbox != NULL)
    mn_outbox_start (self->outbox);
  return G_SOURCE_REMOVE;
}

static void
on_first_frame (GdkFrameClock *clock,
                MnApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_first_frame, self);
  if (self->first_frame_done)
    return;
  self->first_frame_done = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, after_first_frame, g_object_ref (self),
                   g_object_unref);
}

static void
on_window_mapped (MnApplication *self)
{
  if (self->first_frame_done || self->window == NULL)
    return;
  g_signal_handlers_disconnect_by_func (gtk_widget_get_frame_clock (GTK_WIDGET (self->window)),
                                        on_first_frame, self);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (self->window)), "after-paint",
                    G_CALLBACK (on_first_frame), self);
}

MnWindow *
mn_application_get_window (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);

  if (self->window == NULL)
    {
      gboolean kiosk = is_kiosk (self);
      MnWindow *window = mn_window_new (GTK_APPLICATION (self), kiosk);
      GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (window));
      g_autoptr(GdkMonitor) monitor = g_list_model_get_item (gdk_display_get_monitors (display), 0);

      self->window = window;
      g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
      g_signal_connect_object (window, "staff-call", G_CALLBACK (on_staff_call), self, 0);
      g_signal_connect_object (window, "announce", G_CALLBACK (on_announce), self, 0);
      g_signal_connect_object (window, "announce-button", G_CALLBACK (on_announce_button), self,
                               0);
      g_signal_connect_object (window, "reset", G_CALLBACK (on_session_reset), self, 0);
      g_signal_connect_object (window, "notify::language", G_CALLBACK (on_language_changed),
                               self, 0);
      g_signal_connect_object (window, "map", G_CALLBACK (on_window_mapped), self,
                               G_CONNECT_SWAPPED);
      mn_language_page_register (window);

      {
        g_autoptr(MnCatalogue) catalogue = mn_catalogue_new_default ();

        /* The flow's pages exist from the start; its start button appears
         * once the store is open. */
        self->filing = mn_filing_flow_new (window, catalogue);
        g_signal_connect_object (self->filing, "filed", G_CALLBACK (on_request_filed), self,
                                 G_CONNECT_SWAPPED);
        if (self->store != NULL)
          mn_filing_flow_set_store (self->filing, self->store);
      }
      /* Asking about a case and rating it (issue 6): its buttons appear
       * once the store is open, like the filing flow's. */
      self->progress = mn_progress_flow_new (window);
      if (self->store != NULL)
        mn_progress_flow_set_store (self->progress, self->store);
      /* Staff sign-in and the quarantined messages (issue 5). */
      self->staff = mn_staff_flow_new (window);
      mn_staff_flow_set_settings (self->staff, self->settings);
      g_signal_connect_object (self->staff, "retried", G_CALLBACK (on_request_filed), self,
                               G_CONNECT_SWAPPED);
      if (self->store != NULL)
        mn_staff_flow_set_store (self->staff, self->store);
      attach_sync_indicator (self);
      if (self->settings != NULL)
        {
          g_signal_connect_object (self->settings, "changed::idle-timeout",
                                   G_CALLBACK (on_idle_timeout_changed), window, 0);
          on_idle_timeout_changed (self->settings, "idle-timeout", window);
        }

      if (kiosk && monitor != NULL)
        {
          GdkRectangle geometry;

          /* Fill the screen even where nothing honours a full-screen request
           * (a bare X server, as in tests). */
          gdk_monitor_get_geometry (monitor, &geometry);
          gtk_window_set_default_size (GTK_WINDOW (window), geometry.width, geometry.height);
          mn_kiosk_style_set_monitor (self->kiosk_style, monitor);
        }
      else
        {
          gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
        }

      if (kiosk && !self->windowed &&
          (self->settings == NULL || g_settings_get_boolean (self->settings, "fullscreen")))
        {
          /* A kiosk has no title bar or frame to grab, even where the
           * compositor ignores the full-screen request. */
          gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
          gtk_window_fullscreen (GTK_WINDOW (window));
        }
    }

  return self->window;
}

/* For `make bench` (tests/bench-ui.c): a line on stdout with the
 * monotonic time and the resident set size, so that a parent can time
 * this process's start against another's. */
static void
report_startup (MnApplication *self,
                const char    *what)
{
  g_autofree char *statm = NULL;
  long size = 0, resident = 0;

  if (!self->report_startup)
    return;
  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%ld %ld", &size, &resident);
  g_print ("%s %" G_GINT64_FORMAT " %ld\n", what, g_get_monotonic_time (),
           resident * (sysconf (_SC_PAGESIZE) / 1024));
  fflush (stdout);
}

static void
maybe_quit_after_screenshot (MnApplication *self)
{
  /* The process ends only once the window has settled, so that a parent
   * measuring its memory sees every page built. */
  if (self->shot_taken && (self->window == NULL || mn_window_get_settled (self->window)))
    g_application_quit (G_APPLICATION (self));
}

static void
on_window_settled (MnWindow      *window,
                   GParamSpec    *pspec,
                   MnApplication *self)
{
  if (!mn_window_get_settled (window))
    return;
  report_startup (self, "settled");
  maybe_quit_after_screenshot (self);
}

static void
on_screenshot_done (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(MnApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!mn_window_screenshot_finish (MN_WINDOW (source), result, &error))
    {
      g_printerr ("%s\n", error->message);
      /* GApplication has no way to hand an exit status back from the main
       * loop, and a test driver must see that the picture is missing. */
      exit (EXIT_FAILURE);
    }
  self->shot_taken = TRUE;
  maybe_quit_after_screenshot (self);
}

static void
on_complete_frame (GdkFrameClock *clock,
                   MnApplication *self)
{
  g_signal_handlers_disconnect_by_func (clock, on_complete_frame, self);
  report_startup (self, "interactive");
  if (self->screenshot_path != NULL && self->window != NULL)
    {
      g_autofree char *path = g_steal_pointer (&self->screenshot_path);

      mn_window_screenshot_async (self->window, path, NULL, on_screenshot_done,
                                  g_object_ref (self));
    }
}

/* Once the store has answered and the window is on screen, the next frame
 * shows the complete start screen. */
static void
watch_complete_frame (MnApplication *self)
{
  GtkWidget *window = GTK_WIDGET (self->window);

  if (self->watching_frame || !self->store_answered || window == NULL ||
      !gtk_widget_get_mapped (window) ||
      (self->screenshot_path == NULL && !self->report_startup))
    return;
  self->watching_frame = TRUE;
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_complete_frame), self);
  gtk_widget_queue_draw (window);
}

static void
mn_application_activate (GApplication *app)
{
  MnApplication *self = MN_APPLICATION (app);
  MnWindow *window = mn_application_get_window (self);

  if (self->screenshot_path != NULL || self->report_startup)
    {
      g_signal_connect_object (window, "map", G_CALLBACK (watch_complete_frame), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (window, "notify::settled", G_CALLBACK (on_window_settled), self,
                               0);
    }
  gtk_window_present (GTK_WINDOW (window));
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  MnApplication *self = user_data;

  if (self->window != NULL)
    gtk_window_destroy (GTK_WINDOW (self->window));
  g_application_quit (G_APPLICATION (self));
}

static void
toggle_action (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  MnApplication *self = user_data;
  const char *name = g_action_get_name (G_ACTION (action));
  gboolean value = !g_variant_get_boolean (g_action_get_state (G_ACTION (action)));

  g_simple_action_set_state (action, g_variant_new_boolean (value));
  g_object_set (self->kiosk_style, name, value, NULL);
}

static void
add_style_action (MnApplication *self,
                  const char    *key)
{
  g_autoptr(GAction) action = NULL;

  /* With a schema, the switch is the setting itself, so it lasts and an
   * administrator can set it; without one it lives as long as the process. */
  if (self->settings != NULL)
    {
      action = g_settings_create_action (self->settings, key);
    }
  else
    {
      gboolean value = FALSE;
      GSimpleAction *simple;

      g_object_get (self->kiosk_style, key, &value, NULL);
      simple = g_simple_action_new_stateful (key, NULL, g_variant_new_boolean (value));
      g_signal_connect (simple, "activate", G_CALLBACK (toggle_action), self);
      action = G_ACTION (simple);
    }
  g_action_map_add_action (G_ACTION_MAP (self), action);
}

static void
load_icon_theme_thread (GTask        *task,
                        gpointer      source,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  /* Any lookup makes the theme read its index and its folders (in GTK
   * 4.8, lookups are safe off the main thread once the theme is set up
   * on it; the main thread's first lookup waits for this one). */
  g_task_return_boolean (task, gtk_icon_theme_has_icon (task_data, "document-edit-symbolic"));
}

/* Reading the icon theme's folders takes a good part of the first frame
 * on a slow machine: it starts now, on another thread, while the window
 * is built. */
static void
load_icon_theme_async (void)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gdk_display_get_default ());
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_task_data (task, g_object_ref (theme), g_object_unref);
  g_task_run_in_thread (task, load_icon_theme_thread);
}

static void
mn_application_startup (GApplication *app)
{
  MnApplication *self = MN_APPLICATION (app);
  static const GActionEntry entries[] = {
    { .name = "quit", .activate = quit_action },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (mn_application_parent_class)->startup (app);

  load_icon_theme_async ();
  self->settings = mn_application_load_settings ();
  self->kiosk_style = mn_kiosk_style_new (gdk_display_get_default (), self->settings);
  /* espeak-ng switches the process's LC_CTYPE to C.UTF-8 for the moment
   * it loads (app/mn-speech.c puts it back). Pango takes GTK's default
   * language from LC_CTYPE once, the first time it is asked; asked here,
   * before the voice's thread exists, it is the kiosk's (zh-cn), so Han
   * characters never get Japanese shapes. */
  g_debug ("Text is shaped for %s.", pango_language_to_string (gtk_get_default_language ()));
  self->cancellable = g_cancellable_new ();
  open_store_async (self);

  /* The kiosk palette is drawn for a light page; the system's dark
   * preference must not darken parts of it behind our back. Its own
   * high-contrast variant is a setting of the terminal. */
  if (is_kiosk (self))
    adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                        ADW_COLOR_SCHEME_FORCE_LIGHT);

  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);
  add_style_action (self, "high-contrast");
  add_style_action (self, "large-text");
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
}

static int
mn_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  MnApplication *self = MN_APPLICATION (app);
  g_autofree char *path = NULL;

  if (g_variant_dict_lookup (options, "screenshot", "^ay", &path))
    {
      /* The picture must come from this process, not from a terminal
       * already running on the same session. */
      self->screenshot_path = g_steal_pointer (&path);
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }
  if (g_variant_dict_contains (options, "windowed"))
    self->windowed = TRUE;
  self->report_startup = g_getenv ("MINYIN_REPORT_STARTUP") != NULL;

  return -1;
}

static void
mn_application_dispose (GObject *object)
{
  MnApplication *self = MN_APPLICATION (object);

  if (self->window != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
  self->window = NULL;
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->filing);
  g_clear_object (&self->progress);
  g_clear_object (&self->staff);
  if (self->outbox != NULL)
    mn_outbox_stop (self->outbox);
  g_clear_object (&self->outbox);
  if (self->sync_indicator != NULL)
    g_object_remove_weak_pointer (G_OBJECT (self->sync_indicator),
                                  (gpointer *) &self->sync_indicator);
  self->sync_indicator = NULL;
  g_clear_object (&self->store);
  g_clear_object (&self->kiosk_style);
  g_clear_object (&self->speech);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (mn_application_parent_class)->dispose (object);
}

static void
mn_application_finalize (GObject *object)
{
  MnApplication *self = MN_APPLICATION (object);

  g_free (self->screenshot_path);

  G_OBJECT_CLASS (mn_application_parent_class)->finalize (object);
}

static void
mn_application_class_init (MnApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = mn_application_dispose;
  object_class->finalize = mn_application_finalize;
  app_class->startup = mn_application_startup;
  app_class->activate = mn_application_activate;
  app_class->handle_local_options = mn_application_handle_local_options;
}

static void
mn_application_init (MnApplication *self)
{
  /* For tests and `make run` without a display: hidden from --help. */
  g_application_add_main_option (G_APPLICATION (self), "screenshot", 0, G_OPTION_FLAG_HIDDEN,
                                 G_OPTION_ARG_FILENAME,
                                 "Write a PNG of the window after its first frame, then quit",
                                 "FILE");
  g_application_add_main_option (G_APPLICATION (self), "windowed", 0, G_OPTION_FLAG_NONE,
                                 G_OPTION_ARG_NONE,
                                 _("Run in a window instead of filling the screen"), NULL);
}

MnApplication *
mn_application_new (void)
{
  return g_object_new (MN_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/org/minyin/Terminal",
                       NULL);
}

MnKioskStyle *
mn_application_get_kiosk_style (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);

  return self->kiosk_style;
}

GSettings *
mn_application_get_settings (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);

  return self->settings;
}

MnOutbox *
mn_application_get_outbox (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);
  return self->outbox;
}

MnSpeech *
mn_application_get_speech (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);

  /* Asked for before the first frame (a test, a flow): it starts now. */
  ensure_speech (self);
  return self->speech;
}

MnFilingFlow *
mn_application_get_filing_flow (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);

  return self->filing;
}

MnStaffFlow *
mn_application_get_staff_flow (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);

  return self->staff;
}

MnProgressFlow *
mn_application_get_progress_flow (MnApplication *self)
{
  g_return_val_if_fail (MN_IS_APPLICATION (self), NULL);

  return self->progress;
}
