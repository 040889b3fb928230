/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Figures for issue 4 (make bench): the terminal's cold start to its first
 * drawn start screen, and its peak resident set size, against a minimal
 * libadwaita window measured in the same run the same way; and the
 * longest time the main loop is busy during a scripted filing (each
 * touch's handling, each frame's layout and paint). */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "mn-category-page.h"
#include "mn-contact-page.h"
#include "mn-filing-flow.h"
#include "mn-test-ui.h"

/* --minimal: a plain libadwaita window that quits after its first frame,
 * the baseline. */
static char *minimal_shot;

/* Does what `minyin --screenshot` does after its first frame (render the
 * window, write a PNG), so both are timed to the same point. */
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
  g_idle_add (minimal_shoot, app);
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

/* Runs @argv to its end; returns wall seconds, and its peak RSS in KiB. */
static double
time_child (char **argv,
            long  *out_rss_kib)
{
  gint64 start = g_get_monotonic_time ();
  pid_t pid = fork ();
  int status;
  struct rusage usage;

  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      execv (argv[0], argv);
      _exit (127);
    }
  g_assert_cmpint (wait4 (pid, &status, 0, &usage), ==, pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  *out_rss_kib = usage.ru_maxrss;
  return (g_get_monotonic_time () - start) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
test_cold_start (void)
{
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *data = g_dir_make_tmp ("minyin-bench-XXXXXX", NULL);
  g_autofree char *shot = g_build_filename (data, "start.png", NULL);
  const char *exe = g_getenv ("MINYIN_EXE");
  char *minyin_argv[] = { (char *) exe, (char *) "--screenshot", shot, NULL };
  g_autofree char *shot2 = g_build_filename (data, "minimal.png", NULL);
  char *minimal_argv[] = { self_exe, (char *) "--minimal", shot2, NULL };
  double t_minyin[5], t_minimal[5];
  long rss_minyin = 0, rss_minimal = 0;

  g_assert_nonnull (exe);
  g_setenv ("MINYIN_DATA_DIR", data, TRUE);
  /* Alternate the two, so that caches warm both alike; the first run of
   * each is a warm-up and not counted. */
  for (int i = 0; i < 6; i++)
    {
      long rss;
      double a = time_child (minyin_argv, &rss);

      if (i > 0)
        {
          t_minyin[i - 1] = a;
          rss_minyin = MAX (rss_minyin, rss);
        }
      a = time_child (minimal_argv, &rss);
      if (i > 0)
        {
          t_minimal[i - 1] = a;
          rss_minimal = MAX (rss_minimal, rss);
        }
    }
  qsort (t_minyin, 5, sizeof (double), compare_doubles);
  qsort (t_minimal, 5, sizeof (double), compare_doubles);
  g_test_message ("cold start to the first frame saved as PNG (median of 5): minyin %.0f ms, minimal "
                  "libadwaita window %.0f ms, ratio %.2f (target <= 1.3)",
                  t_minyin[2] * 1000, t_minimal[2] * 1000, t_minyin[2] / t_minimal[2]);
  g_test_message ("peak resident set size: minyin %ld KiB, minimal %ld KiB, ratio %.2f "
                  "(target <= 1.3)",
                  rss_minyin, rss_minimal, (double) rss_minyin / rss_minimal);
}

/* The longest main-loop stall: every touch is handled synchronously on the
 * main loop (so its duration is a stall), and every frame's layout and
 * paint is measured between the frame clock's "layout" and "after-paint". */
static gint64 frame_start;
static gint64 longest_frame;

static void
on_before (GdkFrameClock *clock)
{
  frame_start = g_get_monotonic_time ();
}

static void
on_after (GdkFrameClock *clock)
{
  if (frame_start != 0)
    longest_frame = MAX (longest_frame, g_get_monotonic_time () - frame_start);
  frame_start = 0;
}

static gint64 longest_touch;

static void
timed (GtkWidget  *widget,
       const char *action,
       const char *target)
{
  gint64 start = g_get_monotonic_time ();

  if (target != NULL)
    gtk_widget_activate_action (widget, action, "s", target);
  else
    gtk_widget_activate_action (widget, action, NULL);
  longest_touch = MAX (longest_touch, g_get_monotonic_time () - start);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
}

static void
test_main_loop_stall (void)
{
  MnFilingFlow *flow = mn_application_get_filing_flow (mn_test_app);
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (mn_test_window));
  GtkWidget *category = mn_filing_flow_get_page (flow, "file-category");
  GtkWidget *keypad = mn_contact_page_get_keypad (
    MN_CONTACT_PAGE (mn_filing_flow_get_page (flow, "file-contact")));
  const char *phone = "13800138000";

  g_signal_connect (clock, "layout", G_CALLBACK (on_before), NULL);
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after), NULL);

  for (int round = 0; round < 3; round++)
    {
      timed (GTK_WIDGET (mn_test_window), "win.show-page", "file-category");
      timed (category, "category.code", "lifts");
      timed (category, "category.confirm", NULL);
      /* The category's questions are looked up on the store's worker. */
      while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-category") == 0)
        g_main_context_iteration (NULL, TRUE);
      timed (mn_filing_flow_get_page (flow, "file-details"), "details.toggle", "0");
      timed (mn_filing_flow_get_page (flow, "file-details"), "details.next", NULL);
      timed (mn_filing_flow_get_page (flow, "file-location"), "location.choice", "here");
      timed (mn_filing_flow_get_page (flow, "file-location"), "location.next", NULL);
      for (const char *d = phone; *d; d++)
        {
          char digit[2] = { *d, 0 };

          timed (keypad, "keypad.digit", digit);
        }
      timed (keypad, "keypad.enter", NULL);
      timed (mn_filing_flow_get_page (flow, "file-consent"), "consent.agree", NULL);
      timed (mn_filing_flow_get_page (flow, "file-review"), "review.submit", NULL);
      while (g_strcmp0 (mn_window_get_visible_page (mn_test_window), "file-receipt") != 0)
        g_main_context_iteration (NULL, TRUE);
      mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
      timed (mn_filing_flow_get_page (flow, "file-receipt"), "receipt.finish", NULL);
    }
  g_test_message ("longest main-loop stall during 3 scripted filings: touch handling %.1f ms, "
                  "frame layout+paint %.1f ms (target < 16 ms)",
                  longest_touch / 1000.0, longest_frame / 1000.0);
}

int
main (int    argc,
      char **argv)
{
  int status;

  if (argc > 2 && g_str_equal (argv[1], "--minimal"))
    return run_minimal (argv[2]);

  if (!mn_test_ui_init (&argc, &argv, "bench"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  g_test_add_func ("/bench-ui/cold-start", test_cold_start);
  g_test_add_func ("/bench-ui/main-loop-stall", test_main_loop_stall);
  status = g_test_run ();
  mn_test_ui_shutdown ();
  return status;
}
