/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The baseline of tests/bench-ui.c: a plain libadwaita window that writes
 * a PNG of its first frame and quits, as `minyin --screenshot` does. It is
 * its own program, linked against libadwaita alone, so that it loads what
 * a minimal libadwaita window loads and nothing of Minyin's. */
#include <adwaita.h>
#include <stdio.h>
#include <unistd.h>

/* As the terminal does with MINYIN_REPORT_STARTUP set: a line on stdout
 * with the monotonic time and the resident set size at the first frame. */
static long
resident_kib (void)
{
  g_autofree char *statm = NULL;
  long size = 0, resident = 0;

  if (g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL))
    sscanf (statm, "%ld %ld", &size, &resident);
  return resident * (sysconf (_SC_PAGESIZE) / 1024);
}

static char *minimal_shot;

/* Does what `minyin --screenshot` does after its first frame (render the
 * window, write a PNG), so both end the same way. */
static gboolean
minimal_shoot (gpointer user_data)
{
  GApplication *app = user_data;
  GtkWidget *window = GTK_WIDGET (gtk_application_get_active_window (GTK_APPLICATION (app)));
  int w = gtk_widget_get_width (window), h = gtk_widget_get_height (window);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (window);
  GtkSnapshot *snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (snapshot);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_texture_save_to_png (texture, minimal_shot);
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static void
on_minimal_paint (GdkFrameClock *clock,
                  GApplication  *app)
{
  g_signal_handlers_disconnect_by_func (clock, on_minimal_paint, app);
  if (g_getenv ("MINYIN_REPORT_STARTUP") != NULL)
    {
      g_print ("interactive %" G_GINT64_FORMAT " %ld\n", g_get_monotonic_time (), resident_kib ());
      fflush (stdout);
    }
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, minimal_shoot, app, NULL);
}

static void
on_minimal_map (GtkWidget    *window,
                GApplication *app)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                    G_CALLBACK (on_minimal_paint), app);
}

static void
on_minimal_activate (GApplication *app)
{
  GtkWidget *window = adw_application_window_new (GTK_APPLICATION (app));

  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window),
                                      gtk_label_new ("Minyin"));
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  g_signal_connect (window, "map", G_CALLBACK (on_minimal_map), app);
  gtk_window_present (GTK_WINDOW (window));
}

static int
run_minimal (const char *shot)
{
  g_autoptr(AdwApplication) app = adw_application_new ("org.minyin.Bench",
                                                       G_APPLICATION_NON_UNIQUE);

  minimal_shot = g_strdup (shot);
  g_signal_connect (app, "activate", G_CALLBACK (on_minimal_activate), NULL);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

int
main (int    argc,
      char **argv)
{
  if (argc != 2)
    {
      g_printerr ("Usage: %s FILE.png\n", argv[0]);
      return 2;
    }
  return run_minimal (argv[1]);
}
