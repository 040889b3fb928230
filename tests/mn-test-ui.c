/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every UI test needs: the application and its window on the virtual
 * display, waiting for frames without sleeping, and the measurements the
 * kiosk is held to (sizes in millimetres, contrast as drawn). */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <unistd.h>

#include "mn-i18n.h"
#include "mn-kiosk-style.h"
#include "mn-test-ui.h"

MnApplication *mn_test_app;
MnWindow *mn_test_window;
char *mn_test_shot_dir;
char *mn_test_data_dir;

static gsize small_disk_bytes;
static const char *small_disk_method;
static char *filler_path;
static struct rlimit saved_fsize;

static gboolean
write_file (const char *path,
            const char *text)
{
  int fd = open (path, O_WRONLY);
  gboolean ok;

  if (fd < 0)
    return FALSE;
  ok = write (fd, text, strlen (text)) == (ssize_t) strlen (text);
  close (fd);
  return ok;
}

/* Enters a user namespace of our own, mapping our user and group to
 * themselves (the D-Bus and X servers see the same uid), with a private
 * mount namespace in it. Must run before any thread exists. */
static gboolean
enter_user_namespace (void)
{
  g_autofree char *uid_map = g_strdup_printf ("%u %u 1\n", (guint) getuid (), (guint) getuid ());
  g_autofree char *gid_map = g_strdup_printf ("%u %u 1\n", (guint) getgid (), (guint) getgid ());

  if (unshare (CLONE_NEWUSER | CLONE_NEWNS) != 0)
    {
      g_test_message ("small disk: no user namespace (%s)", g_strerror (errno));
      return FALSE;
    }
  /* Until the maps are written we are nobody; "deny" first, or the
   * kernel refuses a gid map from an unprivileged process. */
  write_file ("/proc/self/setgroups", "deny");
  if (!write_file ("/proc/self/uid_map", uid_map) || !write_file ("/proc/self/gid_map", gid_map))
    g_test_message ("small disk: could not map our ids (%s)", g_strerror (errno));
  return TRUE;
}

static gboolean
mount_small_disk (const char *dir)
{
  g_autofree char *options = g_strdup_printf ("size=%" G_GSIZE_FORMAT ",mode=0700", small_disk_bytes);

  /* Nothing mounted here may show outside the test. */
  if (mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    return FALSE;
  if (mount ("minyin-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) != 0)
    {
      g_test_message ("small disk: tmpfs not mounted (%s)", g_strerror (errno));
      return FALSE;
    }
  return TRUE;
}

static void
set_up_small_disk (const char *dir)
{
  /* MINYIN_TEST_SMALL_DISK=file-size-limit tries the fallback on a
   * machine that allows the others. */
  if (g_strcmp0 (g_getenv ("MINYIN_TEST_SMALL_DISK"), "file-size-limit") == 0)
    small_disk_method = "file size limit";
  else if (enter_user_namespace () && mount_small_disk (dir))
    small_disk_method = "tmpfs in a user namespace";
  else if (unshare (CLONE_NEWNS) == 0 && mount_small_disk (dir))
    small_disk_method = "tmpfs";
  else
    small_disk_method = "file size limit";
  /* A write past the limit must fail with EFBIG, not kill the test. */
  signal (SIGXFSZ, SIG_IGN);
  g_test_message ("small disk: %s", small_disk_method);
}

void
mn_test_want_small_disk (gsize bytes)
{
  g_assert_null (mn_test_app);
  small_disk_bytes = bytes;
}

const char *
mn_test_small_disk_method (void)
{
  return small_disk_method;
}

void
mn_test_fill_disk (void)
{
  g_assert_nonnull (small_disk_method);
  if (g_str_equal (small_disk_method, "file size limit"))
    {
      struct rlimit tiny;

      g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &saved_fsize), ==, 0);
      /* Every write past the first block fails, as on a full disk. */
      tiny.rlim_cur = 512;
      tiny.rlim_max = saved_fsize.rlim_max;
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &tiny), ==, 0);
      return;
    }

  {
    static char block[64 * 1024];
    int fd;

    g_clear_pointer (&filler_path, g_free);
    filler_path = g_build_filename (mn_test_data_dir, "filler", NULL);
    fd = open (filler_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    g_assert_cmpint (fd, >=, 0);
    /* Then smaller and smaller writes, to the last byte tmpfs gives. */
    for (gsize chunk = sizeof block; chunk > 0; chunk /= 2)
      while (write (fd, block, chunk) == (ssize_t) chunk)
        ;
    g_assert_cmpint (errno, ==, ENOSPC);
    fsync (fd);
    close (fd);
  }
}

void
mn_test_free_disk (void)
{
  g_assert_nonnull (small_disk_method);
  if (g_str_equal (small_disk_method, "file size limit"))
    {
      g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &saved_fsize), ==, 0);
      return;
    }
  g_assert_nonnull (filler_path);
  g_assert_cmpint (g_unlink (filler_path), ==, 0);
  g_clear_pointer (&filler_path, g_free);
}

gboolean
mn_test_ui_init (int        *argc,
                 char     ***argv,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  const char *build_root = g_getenv ("MINYIN_BUILD_ROOT");
  const char *lang = g_getenv ("MINYIN_EXPECT_LANG");

  /* Sizes are checked at a known density, whatever the display says. */
  g_setenv ("MINYIN_DPI", "96", TRUE);
  /* No sound card under Xvfb; the voice still runs, into a fake output. */
  g_setenv ("MINYIN_AUDIO_SINK", "fakesink sync=false", FALSE);
  /* Never the user's data: a store of the test's own (set before any
   * thread exists: setenv is not thread-safe). */
  /* A test that prepared a terminal first (provisioned, with staff)
   * names its directory; it is still the test's own, removed at the end. */
  if (g_getenv ("MINYIN_TEST_DATA_DIR") != NULL)
    mn_test_data_dir = g_strdup (g_getenv ("MINYIN_TEST_DATA_DIR"));
  else
    mn_test_data_dir = g_dir_make_tmp ("minyin-ui-test-XXXXXX", &error);
  g_assert_no_error (error);
  if (small_disk_bytes > 0)
    set_up_small_disk (mn_test_data_dir);
  g_setenv ("MINYIN_DATA_DIR", mn_test_data_dir, TRUE);
  gtk_test_init (argc, argv, NULL);
  /* After gtk_test_init, which sets a locale of its own. */
  mn_i18n_init ();
  if (gdk_display_get_default () == NULL)
    return FALSE;

  mn_test_shot_dir = g_build_filename (build_root != NULL ? build_root : ".", "screenshots",
                                       lang != NULL ? lang : "zh_CN", name, NULL);
  g_assert_cmpint (g_mkdir_with_parents (mn_test_shot_dir, 0755), ==, 0);


  mn_test_app = mn_application_new ();
  /* Tests run side by side on one session bus: each needs its own
   * primary instance. */
  g_application_set_flags (G_APPLICATION (mn_test_app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (mn_test_app), NULL, &error));
  g_assert_no_error (error);

  mn_test_window = mn_application_get_window (mn_test_app);
  gtk_window_present (GTK_WINDOW (mn_test_window));

  /* The store opens on a thread and reports back on this main loop; the
   * start screen is complete once it is open (a store that never opens
   * ends in the test's time limit). */
  while (mn_filing_flow_get_store (mn_application_get_filing_flow (mn_test_app)) == NULL)
    g_main_context_iteration (NULL, TRUE);
  /* The pages the start screen does not show join the window one per
   * frame after its first one; tests start from the settled window, as a
   * person arriving at the kiosk does. */
  while (!mn_window_get_settled (mn_test_window))
    g_main_context_iteration (NULL, TRUE);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  return TRUE;
}

void
mn_test_ui_shutdown (void)
{
  gtk_window_destroy (GTK_WINDOW (mn_test_window));
  g_clear_object (&mn_test_app);
  g_clear_pointer (&mn_test_shot_dir, g_free);
  if (mn_test_data_dir != NULL)
    {
      g_autoptr(GFile) dir = g_file_new_for_path (mn_test_data_dir);
      g_autoptr(GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                                       NULL, NULL);
      GFile *child;

      while (children != NULL && g_file_enumerator_iterate (children, NULL, &child, NULL, NULL) &&
             child != NULL)
        g_file_delete (child, NULL, NULL);
      g_clear_object (&children);
      /* A mount point cannot be removed while mounted. */
      if (small_disk_method != NULL && g_str_has_prefix (small_disk_method, "tmpfs"))
        umount2 (mn_test_data_dir, MNT_DETACH);
      g_file_delete (dir, NULL, NULL);
    }
  g_clear_pointer (&mn_test_data_dir, g_free);
}

/* Waits, without sleeping, until @w has drawn a frame after now. */
static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *done)
{
  *done = TRUE;
}

void
mn_test_wait_for_frame (GtkWidget *w)
{
  GdkFrameClock *clock;
  gboolean done = FALSE;
  gulong id;

  while (!gtk_widget_get_mapped (w))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (w);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &done);
  gtk_widget_queue_resize (w);
  gtk_widget_queue_draw (w);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (clock, id);
  /* Let what the frame queued (idle layout of late children) settle. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

void
mn_test_save_shot (const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (mn_test_shot_dir, file, NULL);
  g_autoptr(GError) error = NULL;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  g_assert_true (mn_window_save_screenshot (mn_test_window, path, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_test_message ("screenshot: %s", path);
}

static void
collect (GtkWidget  *w,
         GType       type,
         GPtrArray  *out)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

/* What a finger's tap ends in. (gtk_widget_activate() would emit "clicked"
 * only after a 250 ms show of the pressed state.) */
void
mn_test_click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

GPtrArray *
mn_test_mapped_of_type (GType type)
{
  GPtrArray *out = g_ptr_array_new ();

  collect (GTK_WIDGET (mn_test_window), type, out);
  return out;
}

double
mn_test_px_per_mm (void)
{
  return mn_kiosk_style_get_px_per_mm (mn_application_get_kiosk_style (mn_test_app));
}

/* Every mapped button is at least 16 mm on its shortest side, any two are
 * at least 8 mm apart, every label's capital H is at least 7 mm high and
 * every button is sensitive (its action exists: nothing leads nowhere). */
void
mn_test_check_sizes (const char *where)
{
  g_autoptr(GPtrArray) buttons = NULL;
  double ppm = mn_test_px_per_mm ();
  double min_target = MN_KIOSK_TARGET_MIN_MM * ppm;
  double min_gap = MN_KIOSK_TARGET_GAP_MM * ppm;
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

  /* Measure what is drawn, not what the last touch left half laid out. */
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  g_assert_cmpuint (buttons->len, >, 0);

  /* Nothing may push the window past the screen: what is off it cannot
   * be touched. */
  {
    GdkDisplay *display = gtk_widget_get_display (GTK_WIDGET (mn_test_window));
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (gdk_display_get_monitors (display), 0);
    GdkRectangle geometry;

    gdk_monitor_get_geometry (monitor, &geometry);
    if (gtk_widget_get_width (GTK_WIDGET (mn_test_window)) > geometry.width ||
        gtk_widget_get_height (GTK_WIDGET (mn_test_window)) > geometry.height)
      g_error ("%s: the window grew to %d x %d, past the %d x %d screen", where,
               gtk_widget_get_width (GTK_WIDGET (mn_test_window)),
               gtk_widget_get_height (GTK_WIDGET (mn_test_window)), geometry.width,
               geometry.height);
  }

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);
      graphene_rect_t r;

      g_assert_true (gtk_widget_compute_bounds (b, GTK_WIDGET (mn_test_window), &r));
      g_test_message ("%s: button %s is %.1f x %.1f mm", where, gtk_widget_get_name (b),
                      r.size.width / ppm, r.size.height / ppm);
      if (MIN (r.size.width, r.size.height) < min_target)
        g_error ("%s: button %s is %.1f x %.1f mm, under %.0f mm", where, gtk_widget_get_name (b),
                 r.size.width / ppm, r.size.height / ppm, MN_KIOSK_TARGET_MIN_MM);
      if (!gtk_widget_is_sensitive (b))
        g_error ("%s: button %s is greyed out: its action is missing or disabled", where,
                 gtk_widget_get_name (b));
      if (r.origin.x < 0 || r.origin.y < 0 ||
          r.origin.x + r.size.width > gtk_widget_get_width (GTK_WIDGET (mn_test_window)) + 0.5 ||
          r.origin.y + r.size.height > gtk_widget_get_height (GTK_WIDGET (mn_test_window)) + 0.5)
        g_error ("%s: button %s is partly outside the window", where, gtk_widget_get_name (b));
      /* Nor scrolled partly out of sight: a button cut in half is a
       * button a person may not see. */
      for (GtkWidget *a = gtk_widget_get_parent (b); a != NULL; a = gtk_widget_get_parent (a))
        {
          graphene_rect_t in;

          if (!GTK_IS_SCROLLED_WINDOW (a))
            continue;
          g_assert_true (gtk_widget_compute_bounds (b, a, &in));
          if (in.origin.x < -0.5 || in.origin.y < -0.5 ||
              in.origin.x + in.size.width > gtk_widget_get_width (a) + 0.5 ||
              in.origin.y + in.size.height > gtk_widget_get_height (a) + 0.5)
            g_error ("%s: button %s is partly scrolled out of sight", where,
                     gtk_widget_get_name (b));
        }
      g_array_append_val (rects, r);
    }

  for (guint i = 0; i < rects->len; i++)
    for (guint j = i + 1; j < rects->len; j++)
      {
        graphene_rect_t *a = &g_array_index (rects, graphene_rect_t, i);
        graphene_rect_t *b = &g_array_index (rects, graphene_rect_t, j);
        double dx = MAX (b->origin.x - (a->origin.x + a->size.width),
                         a->origin.x - (b->origin.x + b->size.width));
        double dy = MAX (b->origin.y - (a->origin.y + a->size.height),
                         a->origin.y - (b->origin.y + b->size.height));

        if (MAX (dx, dy) < min_gap)
          g_error ("%s: buttons %s and %s are %.1f mm apart, under %.0f mm", where,
                   gtk_widget_get_name (g_ptr_array_index (buttons, i)),
                   gtk_widget_get_name (g_ptr_array_index (buttons, j)), MAX (dx, dy) / ppm,
                   MN_KIOSK_TARGET_GAP_MM);
      }

  mn_test_check_text (where);
}

static gboolean
has_alnum (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Every label's capital H >= 7 mm, lines >= 1.4 font sizes apart, and no
 * text drawn over other text. */
void
mn_test_check_text (const char *where)
{
  g_autoptr(GPtrArray) labels = NULL;
  double ppm = mn_test_px_per_mm ();
  double min_cap = MN_KIOSK_BODY_CAP_MM * ppm;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  labels = mn_test_mapped_of_type (GTK_TYPE_LABEL);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *l = g_ptr_array_index (labels, i);
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (l, "H");
      PangoRectangle ink;

      pango_layout_get_pixel_extents (layout, &ink, NULL);
      /* Line spacing, baseline to baseline, against the font size, with
       * the label's own attributes (CSS line-height among them). Only for
       * words that can stand on several lines: not a label that never
       * wraps and holds no line break, nor one without a letter or digit
       * (an empty one, the keypad's "_ _ _ _"). */
      if (has_alnum (gtk_label_get_text (GTK_LABEL (l))) &&
          (gtk_label_get_wrap (GTK_LABEL (l)) || strchr (gtk_label_get_text (GTK_LABEL (l)), '\n') != NULL))
      {
        /* A copy of the label's own layout: it carries what CSS set
         * (line-height among it), which a fresh layout would not. */
        g_autoptr(PangoLayout) two = pango_layout_copy (gtk_label_get_layout (GTK_LABEL (l)));
        const PangoFontDescription *font =
          pango_context_get_font_description (pango_layout_get_context (two));
        double size = pango_font_description_get_size (font) / (double) PANGO_SCALE;
        PangoLayoutIter *iter;
        int first, second;

        /* Two lines of the label's own script (its first letter or digit,
         * which in Uyghur come from the Arabic face): an Arabic-script face
         * has a taller line than "H" has, and the Uyghur style's
         * line-height is set for that face. The letter keeps the
         * attributes it has in the label (Chinese among Uyghur has its
         * own face and spacing, mn_kiosk_han_attributes()). */
        {
          const char *text = gtk_label_get_text (GTK_LABEL (l));
          char letter[8] = "H";
          guint at = 0;
          g_autofree char *lines = NULL;
          PangoAttrList *own = pango_layout_get_attributes (two);
          g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

          for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
            if (g_unichar_isalnum (g_utf8_get_char (p)))
              {
                letter[g_unichar_to_utf8 (g_utf8_get_char (p), letter)] = '\0';
                at = (guint) (p - text);
                break;
              }
          if (own != NULL)
            {
              PangoAttrIterator *it = pango_attr_list_get_iterator (own);
              GSList *here;

              do
                {
                  int start, end;

                  pango_attr_iterator_range (it, &start, &end);
                  if ((int) at >= start && (int) at < end)
                    break;
                }
              while (pango_attr_iterator_next (it));
              here = pango_attr_iterator_get_attrs (it);
              for (GSList *a = here; a != NULL; a = a->next)
                {
                  PangoAttribute *attr = a->data;

                  attr->start_index = 0;
                  attr->end_index = PANGO_ATTR_INDEX_TO_TEXT_END;
                  pango_attr_list_insert (attrs, attr);
                }
              g_slist_free (here);
              pango_attr_iterator_destroy (it);
            }
          lines = g_strdup_printf ("%s\n%s", letter, letter);
          pango_layout_set_text (two, lines, -1);
          pango_layout_set_attributes (two, attrs);
        }
        pango_layout_set_width (two, -1);
        iter = pango_layout_get_iter (two);
        first = pango_layout_iter_get_baseline (iter);
        pango_layout_iter_next_line (iter);
        second = pango_layout_iter_get_baseline (iter);
        pango_layout_iter_free (iter);
        if (!pango_font_description_get_size_is_absolute (font))
          size = size * 96.0 / 72.0;
        if ((second - first) / (double) PANGO_SCALE < MN_KIOSK_LINE_SPACING * size - 0.5)
          g_error ("%s: the text “%s” has lines %.2f font sizes apart, under %.1f", where,
                   gtk_label_get_text (GTK_LABEL (l)),
                   (second - first) / (double) PANGO_SCALE / size, MN_KIOSK_LINE_SPACING);
      }
      if (ink.height + 0.5 < min_cap)
        g_error ("%s: the text “%s” has capitals %.1f mm high, under %.0f mm", where,
                 gtk_label_get_text (GTK_LABEL (l)), ink.height / ppm, MN_KIOSK_BODY_CAP_MM);
    }

  /* No text drawn over other text: an overlay (the sync indicator, a
   * sign) or a crowded row can put two labels in one place, and then
   * neither can be read. What counts is the ink of the text, not the
   * label's box, which may be as wide as the page. */
  {
    g_autoptr(GArray) inks = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));

    for (guint i = 0; i < labels->len; i++)
      {
        GtkWidget *l = g_ptr_array_index (labels, i);
        graphene_rect_t box, ink_rect = GRAPHENE_RECT_INIT (0, 0, 0, 0);
        PangoRectangle ink;
        int x, y;

        if (*gtk_label_get_text (GTK_LABEL (l)) != '\0' &&
            gtk_widget_compute_bounds (l, GTK_WIDGET (mn_test_window), &box))
          {
            gtk_label_get_layout_offsets (GTK_LABEL (l), &x, &y);
            pango_layout_get_pixel_extents (gtk_label_get_layout (GTK_LABEL (l)), &ink, NULL);
            /* The offsets are in the label's own coordinates, the box's
             * origin is where those start in the window's. */
            graphene_rect_init (&ink_rect, box.origin.x + x + ink.x, box.origin.y + y + ink.y,
                                ink.width, ink.height);
            /* What a scrolled window hides is not drawn: only the part
             * inside its view can lie over something. */
            for (GtkWidget *a = gtk_widget_get_parent (l); a != NULL; a = gtk_widget_get_parent (a))
              {
                graphene_rect_t view;

                if (GTK_IS_SCROLLED_WINDOW (a) &&
                    gtk_widget_compute_bounds (a, GTK_WIDGET (mn_test_window), &view) &&
                    !graphene_rect_intersection (&ink_rect, &view, &ink_rect))
                  graphene_rect_init (&ink_rect, 0, 0, 0, 0);
              }
          }
        g_array_append_val (inks, ink_rect);
      }
    for (guint i = 0; i < inks->len; i++)
      for (guint j = i + 1; j < inks->len; j++)
        {
          graphene_rect_t both;

          if (graphene_rect_intersection (&g_array_index (inks, graphene_rect_t, i),
                                          &g_array_index (inks, graphene_rect_t, j), &both) &&
              both.size.width > 1.0 && both.size.height > 1.0)
            {
              graphene_rect_t *a = &g_array_index (inks, graphene_rect_t, i);
              graphene_rect_t *b = &g_array_index (inks, graphene_rect_t, j);

              g_error ("%s: the texts “%s” (%.0f,%.0f %.0fx%.0f) and “%s” (%.0f,%.0f %.0fx%.0f) "
                       "are drawn over each other", where,
                       gtk_label_get_text (GTK_LABEL (g_ptr_array_index (labels, i))),
                       a->origin.x, a->origin.y, a->size.width, a->size.height,
                       gtk_label_get_text (GTK_LABEL (g_ptr_array_index (labels, j))),
                       b->origin.x, b->origin.y, b->size.width, b->size.height);
            }
        }
  }
}

/* Contrast as drawn: each label's text colour against the colour that
 * fills most of its box in a rendering of the window (the background it
 * actually sits on, whatever CSS rule painted it). */
void
mn_test_check_drawn_contrast (const char *where)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GPtrArray) labels = mn_test_mapped_of_type (GTK_TYPE_LABEL);
  g_autofree guchar *pixels = NULL;
  int width, height;

  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  texture = mn_window_render (mn_test_window, &error);
  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  /* Cairo's ARGB32: native-endian 32-bit words, opaque here. */
  gdk_texture_download (texture, pixels, (gsize) width * 4);

  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *l = g_ptr_array_index (labels, i);
      g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
      guint32 background = 0;
      guint best = 0;
      graphene_rect_t r;
      GdkRGBA fg;
      char fg_hex[8], bg_hex[8];
      double ratio;

      if (*gtk_label_get_text (GTK_LABEL (l)) == '\0')
        continue;
      g_assert_true (gtk_widget_compute_bounds (l, GTK_WIDGET (mn_test_window), &r));
      for (int y = MAX (0, (int) r.origin.y); y < MIN (height, (int) (r.origin.y + r.size.height)); y++)
        for (int x = MAX (0, (int) r.origin.x); x < MIN (width, (int) (r.origin.x + r.size.width)); x++)
          {
            guint32 px = ((guint32 *) pixels)[(gsize) y * width + x] & 0xffffff;
            guint n = GPOINTER_TO_UINT (g_hash_table_lookup (counts, GUINT_TO_POINTER (px))) + 1;

            g_hash_table_insert (counts, GUINT_TO_POINTER (px), GUINT_TO_POINTER (n));
            if (n > best)
              {
                best = n;
                background = px;
              }
          }
      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      gtk_style_context_get_color (gtk_widget_get_style_context (l), &fg);
      G_GNUC_END_IGNORE_DEPRECATIONS
      g_snprintf (fg_hex, sizeof fg_hex, "#%02x%02x%02x", (int) (fg.red * 255 + 0.5),
                  (int) (fg.green * 255 + 0.5), (int) (fg.blue * 255 + 0.5));
      g_snprintf (bg_hex, sizeof bg_hex, "#%06x", background);
      ratio = mn_kiosk_contrast_ratio (fg_hex, bg_hex);
      if (ratio < MN_KIOSK_TEXT_CONTRAST_MIN)
        g_error ("%s: the text “%s” is drawn %s on %s, %.2f:1, under %.0f:1", where,
                 gtk_label_get_text (GTK_LABEL (l)), fg_hex, bg_hex, ratio,
                 MN_KIOSK_TEXT_CONTRAST_MIN);
    }
}

static gboolean
on_bounded_wait (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @seconds (a timer, not a sleep: other sources
 * keep running and would show what must not happen). */
void
mn_test_run_for (double seconds)
{
  gboolean done = FALSE;

  g_timeout_add ((guint) (seconds * 1000), on_bounded_wait, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static void
on_candidates (MnHandwritingPad *pad,
               gboolean         *changed)
{
  *changed = TRUE;
}

char *
mn_test_feed_recorded (MnHandwritingPad *pad,
                       guint             n)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "tests", "data",
                                            "handwriting-strokes.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      g_autoptr(MnInk) ink = NULL;
      g_autoptr(GError) error = NULL;
      gboolean changed = FALSE;
      char *first;
      gulong id;

      if (lines[i][0] == '#' || lines[i][0] == '\0' || n-- > 0)
        continue;
      fields = g_strsplit (lines[i], "\t", 2);
      ink = mn_ink_new_from_string (fields[1], 1000, 1000, &error);
      g_assert_no_error (error);
      id = g_signal_connect (pad, "candidates-changed", G_CALLBACK (on_candidates), &changed);
      mn_handwriting_pad_feed_ink (pad, ink);
      while (!changed)
        g_main_context_iteration (NULL, TRUE);
      g_signal_handler_disconnect (pad, id);
      first = g_strdup (mn_handwriting_pad_get_candidates (pad)[0]);
      g_assert_nonnull (first);
      return first;
    }
  g_assert_not_reached ();
  return NULL;
}
