/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every page's layout in the language of $MINYIN_LAYOUT_LANG (zh_CN, en,
 * ug), at normal and at large text:
 * - The sync indicator, which a terminal with a platform shows above every
 *   screen, in its widest words in that language (offline with 9999
 *   requests waiting, or the "checking" sentence): no text under it, and
 *   its icon and words touch no other text's ink and no button, on every
 *   page of every flow, the two signs included. Each page also gets the
 *   kiosk's text checks (mn_test_check_text: 7 mm capitals, 1.4 line
 *   spacing, no text over text); at the normal size no button is left
 *   half hidden by a page's scrolling. Not the button size checks: pages
 *   shown out of their flow have buttons greyed out on purpose.
 * - Chinese place names in the address line (2幢 2单元): digits drawn in
 *   the Han characters' face, proportion and line, as on a Chinese screen,
 *   measured in the layout (Pango's runs and glyphs) and in the pixels.
 * Screenshots: BUILD/screenshots/status/<language>/{normal,large,address}/. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "mn-case-code.h"
#include "mn-kiosk-style.h"
#include "mn-location-page.h"
#include "mn-receipt-page.h"
#include "mn-sync-indicator.h"
#include "mn-test-ui.h"

/* Far more than a terminal should ever hold back, and the widest
 * number a waiting count is likely to reach. */
#define MANY_WAITING 9999

static const char *language;
/* Found on the start screen at the beginning; it lives as long as the
 * window (a change of language does not rebuild it). */
static MnSyncIndicator *indicator_widget;

static MnSyncIndicator *
find_indicator (void)
{
  g_assert_nonnull (indicator_widget);
  return indicator_widget;
}

static int
natural_width (MnSyncIndicator *indicator)
{
  int nat = 0;

  gtk_widget_measure (GTK_WIDGET (indicator), GTK_ORIENTATION_HORIZONTAL, -1, NULL, &nat, NULL,
                      NULL);
  return nat;
}

/* Puts the indicator into whichever of its states is widest in the
 * language of the moment, and keeps it there: the outbox is let go, so
 * that a pass that ends during the test cannot change the words. */
static void
show_longest_state (void)
{
  MnSyncIndicator *indicator = find_indicator ();
  struct
  {
    gboolean checking, online;
    guint    waiting;
  } states[] = {
    { TRUE, FALSE, 0 },
    { FALSE, TRUE, 0 },
    { FALSE, TRUE, MANY_WAITING },
    { FALSE, FALSE, 0 },
    { FALSE, FALSE, MANY_WAITING },
  };
  guint widest = 0;
  int widest_px = -1;

  mn_sync_indicator_set_outbox (indicator, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      int px;

      if (states[i].checking)
        mn_sync_indicator_show_checking (indicator);
      else
        mn_sync_indicator_update (indicator, states[i].online, states[i].waiting);
      px = natural_width (indicator);
      if (px > widest_px)
        {
          widest_px = px;
          widest = i;
        }
    }
  if (states[widest].checking)
    mn_sync_indicator_show_checking (indicator);
  else
    mn_sync_indicator_update (indicator, states[widest].online, states[widest].waiting);
  g_test_message ("%s: the widest state is “%s”, %d px on one line", language,
                  mn_sync_indicator_get_text (indicator), widest_px);
}

static void
collect_ink (GtkWidget *w,
             GtkWidget *skip,
             GArray    *rects,
             GPtrArray *owners)
{
  graphene_rect_t r;

  if (!gtk_widget_get_mapped (w) || w == skip)
    return;
  if (GTK_IS_BUTTON (w) && gtk_widget_compute_bounds (w, GTK_WIDGET (mn_test_window), &r))
    {
      g_array_append_val (rects, r);
      g_ptr_array_add (owners, w);
      return;
    }
  if (GTK_IS_LABEL (w) && *gtk_label_get_text (GTK_LABEL (w)) != '\0' &&
      gtk_widget_compute_bounds (w, GTK_WIDGET (mn_test_window), &r))
    {
      PangoRectangle ink;
      int x, y;

      gtk_label_get_layout_offsets (GTK_LABEL (w), &x, &y);
      pango_layout_get_pixel_extents (gtk_label_get_layout (GTK_LABEL (w)), &ink, NULL);
      graphene_rect_init (&r, r.origin.x + x + ink.x, r.origin.y + y + ink.y, ink.width,
                          ink.height);
      g_array_append_val (rects, r);
      g_ptr_array_add (owners, w);
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_ink (c, skip, rects, owners);
}

/* The indicator's icon and words (its box without the padding that
 * insets it) against every other text's ink and every button. Returns
 * the number of collisions, each reported. */
static guint
check_indicator_clear (const char *where)
{
  MnSyncIndicator *indicator = find_indicator ();
  GtkWidget *content = gtk_widget_get_first_child (GTK_WIDGET (indicator));
  g_autoptr(GArray) rects = g_array_new (FALSE, FALSE, sizeof (graphene_rect_t));
  g_autoptr(GPtrArray) owners = g_ptr_array_new ();
  graphene_rect_t mine;
  guint collisions = 0;

  g_assert_true (gtk_widget_compute_bounds (content, GTK_WIDGET (mn_test_window), &mine));
  collect_ink (GTK_WIDGET (mn_test_window), content, rects, owners);
  g_assert_cmpuint (rects->len, >, 0);
  for (guint i = 0; i < rects->len; i++)
    {
      graphene_rect_t both;

      if (graphene_rect_intersection (&mine, &g_array_index (rects, graphene_rect_t, i), &both) &&
          both.size.width > 1.0 && both.size.height > 1.0)
        {
          GtkWidget *w = g_ptr_array_index (owners, i);

          g_test_message ("%s: the sync indicator (%.0f,%.0f %.0fx%.0f) lies over %s “%s”", where,
                          mine.origin.x, mine.origin.y, mine.size.width, mine.size.height,
                          G_OBJECT_TYPE_NAME (w),
                          GTK_IS_LABEL (w) ? gtk_label_get_text (GTK_LABEL (w))
                                           : gtk_widget_get_name (w));
          collisions++;
        }
    }
  return collisions;
}

/* The line the indicator takes is height the pages lose: at the normal
 * text size no button may end up half hidden by a page's scrolling (at
 * the large size scrolling is expected). Returns the number cut. */
static guint
count_cut_buttons (const char *where)
{
  g_autoptr(GPtrArray) buttons = mn_test_mapped_of_type (GTK_TYPE_BUTTON);
  guint cut = 0;

  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);

      for (GtkWidget *a = gtk_widget_get_parent (b); a != NULL; a = gtk_widget_get_parent (a))
        {
          graphene_rect_t in;

          if (!GTK_IS_SCROLLED_WINDOW (a))
            continue;
          g_assert_true (gtk_widget_compute_bounds (b, a, &in));
          if (in.origin.y < -0.5 || in.origin.y + in.size.height > gtk_widget_get_height (a) + 0.5)
            {
              g_test_message ("%s: button %s is partly scrolled out of sight", where,
                              gtk_widget_get_name (b));
              cut++;
            }
        }
    }
  return cut;
}

static GPtrArray *
page_names (void)
{
  GtkStack *pages = GTK_STACK (gtk_widget_get_parent (mn_window_get_start_page (mn_test_window)));
  g_autoptr(GtkSelectionModel) model = gtk_stack_get_pages (pages);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    {
      g_autoptr(GObject) page = g_list_model_get_item (G_LIST_MODEL (model), i);

      g_ptr_array_add (names, g_strdup (gtk_stack_page_get_name (GTK_STACK_PAGE (page))));
    }
  return names;
}

static void
on_idle_warning (MnWindow   *w,
                 GParamSpec *pspec,
                 gboolean   *shown)
{
  *shown = mn_window_get_idle_warning (w);
}

static void
visit_every_page (gboolean large)
{
  MnKioskStyle *style = mn_application_get_kiosk_style (mn_test_app);
  const char *build_root = g_getenv ("MINYIN_BUILD_ROOT");
  const char *size = large ? "large" : "normal";
  g_autoptr(GPtrArray) names = NULL;
  guint collisions = 0, visited = 0, cut = 0;
  const char *must[] = { "start", "language", "file-category", "file-details", "file-location",
                         "file-contact", "file-consent", "file-review", "file-receipt",
                         "progress-code", "rate", "staff-sign-in" };
  gboolean saw[G_N_ELEMENTS (must)] = { FALSE };

  g_clear_pointer (&mn_test_shot_dir, g_free);
  mn_test_shot_dir = g_build_filename (build_root != NULL ? build_root : ".", "screenshots",
                                       "status", language, size, NULL);
  g_assert_cmpint (g_mkdir_with_parents (mn_test_shot_dir, 0755), ==, 0);

  mn_kiosk_style_set_large_text (style, large);
  g_assert_true (mn_window_set_language (mn_test_window, language, NULL));
  names = page_names ();
  for (guint p = 0; p < names->len + 2; p++)
    {
      const char *name = p < names->len ? g_ptr_array_index (names, p)
                                        : p == names->len ? "staff-called" : "idle-warning";
      g_autofree char *where = g_strdup_printf ("%s, %s text, page %s", language, size, name);

      for (guint m = 0; m < G_N_ELEMENTS (must); m++)
        saw[m] |= g_str_equal (name, must[m]);
      if (g_str_equal (name, "file-receipt"))
        {
          MnReceiptPage *receipt = MN_RECEIPT_PAGE (mn_window_get_page (mn_test_window, name));
          g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 28, 10, 0, 0);
          g_autoptr(GError) error = NULL;
          g_autofree char *code = mn_case_code_build ("3302", "01", day, 17, &error);

          g_assert_no_error (error);
          mn_receipt_page_set_code (receipt, code);
          mn_window_show_page (mn_test_window, name);
        }
      else if (p < names->len)
        {
          mn_window_show_page (mn_test_window, name);
        }
      else if (p == names->len)
        {
          mn_window_call_staff (mn_test_window);
        }
      else
        {
          gboolean shown = FALSE;
          gulong id = g_signal_connect (mn_test_window, "notify::idle-warning",
                                        G_CALLBACK (on_idle_warning), &shown);

          mn_window_show_page (mn_test_window, "language");
          mn_window_set_idle_timeout (mn_test_window, 0.01, 60);
          while (!shown)
            g_main_context_iteration (NULL, TRUE);
          g_signal_handler_disconnect (mn_test_window, id);
        }
      /* A page's own change of language (a factory's page is new) or the
       * outbox could have rewritten the words: the widest, every time. */
      show_longest_state ();
      mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
      mn_test_save_shot (name);
      mn_test_check_text (where);
      if (p >= names->len)
        {
          /* A sign fills the screen, the indicator's line too. */
          g_assert_false (gtk_widget_get_mapped (GTK_WIDGET (find_indicator ())));
        }
      else if (!large)
        {
          collisions += check_indicator_clear (where);
          cut += count_cut_buttons (where);
        }
      else
        {
          /* At the large size a page may scroll (keypad pages did before
           * the indicator had a line of its own): what the line costs is
           * reported, not held against it. */
          GtkWidget *indicator = GTK_WIDGET (find_indicator ());
          guint with = count_cut_buttons (where), without;

          collisions += check_indicator_clear (where);
          gtk_widget_set_visible (indicator, FALSE);
          mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
          without = count_cut_buttons ("(without the indicator)");
          gtk_widget_set_visible (indicator, TRUE);
          mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
          if (with > without)
            g_test_message ("%s: %u buttons partly scrolled out of sight with the indicator, %u "
                            "on a terminal without one", where, with, without);
        }
      visited++;

      if (p == names->len)
        mn_window_cancel_staff_call (mn_test_window);
      else if (p > names->len)
        {
          mn_window_set_idle_timeout (mn_test_window, 0, 20);
          mn_window_note_activity (mn_test_window);
        }
    }
  for (guint m = 0; m < G_N_ELEMENTS (must); m++)
    if (!saw[m])
      g_error ("the page %s was not among the window's pages", must[m]);
  g_test_message ("%s, %s text: %u screens, %u collisions with the indicator; screenshots in %s",
                  language, size, visited, collisions, mn_test_shot_dir);
  mn_kiosk_style_set_large_text (style, FALSE);
  mn_window_reset_session (mn_test_window);
  g_assert_cmpuint (collisions, ==, 0);
  g_assert_cmpuint (cut, ==, 0);
}

static void
test_normal_text (void)
{
  visit_every_page (FALSE);
}

static void
test_large_text (void)
{
  visit_every_page (TRUE);
}

/* The check must be able to fail: a label laid over the indicator's own
 * words (its layout puts every child in the same place). */
static void
test_check_fails (void)
{
  MnSyncIndicator *indicator;
  GtkWidget *label = gtk_label_new ("这一行字压在同步提示上");

  g_assert_true (mn_window_set_language (mn_test_window, language, NULL));
  show_longest_state ();
  indicator = find_indicator ();
  gtk_widget_set_parent (label, GTK_WIDGET (indicator));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  g_assert_cmpuint (check_indicator_clear ("deliberately crowded corner"), ==, 1);
  gtk_widget_unparent (label);
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  g_assert_cmpuint (check_indicator_clear ("the corner again"), ==, 0);
  mn_window_reset_session (mn_test_window);
}

/* --- Chinese place names in every language: digits as large as the Han
 * characters beside them --- */

typedef struct
{
  double han_height, digit_height; /* ink, in pixels: the tallest of each */
  /* Where the ink ends, down from the line's baseline (pixels, Pango's
   * baseline shift of the run included): the lowest of each. */
  double han_bottom, digit_bottom;
  char  *han_family, *digit_family;
} NameInk;

static void
name_ink_clear (NameInk *ink)
{
  g_clear_pointer (&ink->han_family, g_free);
  g_clear_pointer (&ink->digit_family, g_free);
}

/* Goes through @label's layout run by run, glyph by glyph, and measures
 * the ink of each digit and each Han character in the face Pango chose
 * for it. */
static void
measure_name_ink (GtkLabel *label,
                  NameInk  *out)
{
  PangoLayout *layout = gtk_label_get_layout (label);
  const char *text = pango_layout_get_text (layout);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);

  memset (out, 0, sizeof *out);
  /* Ink may end above the baseline (a run Pango lifted: 1.50 lifts a run
   * of digits from the Arabic face among Han characters by almost half
   * an em, as its y_offset): start below anything a glyph can give. */
  out->han_bottom = out->digit_bottom = -G_MAXDOUBLE;
  do
    {
      PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
      g_autoptr(PangoFontDescription) desc = NULL;

      if (run == NULL)
        continue;
      desc = pango_font_describe (run->item->analysis.font);
      for (int g = 0; g < run->glyphs->num_glyphs; g++)
        {
          gunichar c = g_utf8_get_char (text + run->item->offset + run->glyphs->log_clusters[g]);
          PangoRectangle ink;
          double height, bottom;

          pango_font_get_glyph_extents (run->item->analysis.font,
                                        run->glyphs->glyphs[g].glyph, &ink, NULL);
          height = ink.height / (double) PANGO_SCALE;
          /* The run's y_offset shifts its baseline up, the glyph's own
           * offset moves it down. */
          bottom = (ink.y + ink.height + run->glyphs->glyphs[g].geometry.y_offset - run->y_offset) /
                   (double) PANGO_SCALE;
          if (g_unichar_isdigit (c))
            {
              out->digit_bottom = MAX (out->digit_bottom, bottom);
              if (height > out->digit_height)
                {
                  out->digit_height = height;
                  g_free (out->digit_family);
                  out->digit_family = g_strdup (pango_font_description_get_family (desc));
                }
            }
          else if (g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN)
            {
              out->han_bottom = MAX (out->han_bottom, bottom);
              if (height > out->han_height)
                {
                  out->han_height = height;
                  g_free (out->han_family);
                  out->han_family = g_strdup (pango_font_description_get_family (desc));
                }
            }
        }
    }
  while (pango_layout_iter_next_run (iter));
  pango_layout_iter_free (iter);
}

/* The rows of ink drawn in the columns of the character at @index of
 * @label, in a rendering of the window: its top and bottom (window
 * pixels). FALSE if nothing was drawn there. */
static gboolean
drawn_rows (GtkLabel     *label,
            const guchar *pixels,
            int           width,
            int           height,
            int           index,
            int          *top,
            int          *bottom)
{
  PangoRectangle pos;
  graphene_rect_t box;
  int ox, oy, x0, x1, y0, y1;

  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (label), GTK_WIDGET (mn_test_window), &box));
  gtk_label_get_layout_offsets (label, &ox, &oy);
  pango_layout_index_to_pos (gtk_label_get_layout (label), index, &pos);
  if (pos.width < 0)
    {
      pos.x += pos.width;
      pos.width = -pos.width;
    }
  /* A pixel in from each side: the neighbours' antialiasing stays out. */
  x0 = (int) box.origin.x + ox + PANGO_PIXELS_FLOOR (pos.x) + 1;
  x1 = (int) box.origin.x + ox + PANGO_PIXELS_CEIL (pos.x + pos.width) - 1;
  /* Its own line only: a longer address wraps. */
  y0 = (int) box.origin.y + oy + PANGO_PIXELS_FLOOR (pos.y);
  y1 = (int) box.origin.y + oy + PANGO_PIXELS_CEIL (pos.y + pos.height);
  *top = G_MAXINT;
  *bottom = G_MININT;
  for (int y = MAX (0, y0); y < MIN (height, y1); y++)
    for (int x = MAX (0, x0); x < MIN (width, x1); x++)
      {
        guint32 px = ((const guint32 *) pixels)[(gsize) y * width + x];
        guint r = (px >> 16) & 0xff, g = (px >> 8) & 0xff, b = px & 0xff;

        /* Dark text on the light page: half way counts as ink. */
        if (r + g + b < 3 * 160)
          {
            *top = MIN (*top, y);
            *bottom = MAX (*bottom, y);
          }
      }
  return *top <= *bottom;
}

typedef struct
{
  double height_ratio; /* a digit's drawn height over the Han character's after it */
  double lift;         /* how much higher the digit ends, in Han heights */
} DrawnDigits;

/* Each digit of @label against the Han character that follows it (2幢,
 * 2单元), as drawn; the worst of them. */
static DrawnDigits
measure_drawn_digits (GtkLabel *label)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = mn_window_render (mn_test_window, &error);
  g_autofree guchar *pixels = NULL;
  const char *text = pango_layout_get_text (gtk_label_get_layout (label));
  DrawnDigits worst = { 1.0, 0.0 };
  guint pairs = 0;
  int width, height;

  g_assert_no_error (error);
  width = gdk_texture_get_width (texture);
  height = gdk_texture_get_height (texture);
  pixels = g_malloc ((gsize) width * height * 4);
  gdk_texture_download (texture, pixels, (gsize) width * 4);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      const char *next = g_utf8_next_char (p);
      int dt, db, ht, hb;
      double han_h, ratio, lift;

      if (!g_unichar_isdigit (g_utf8_get_char (p)) || *next == '\0' ||
          g_unichar_get_script (g_utf8_get_char (next)) != G_UNICODE_SCRIPT_HAN)
        continue;
      /* One place name, one line: never "… 2" at the end of a line
       * and "幢 …" at the start of the next. */
      {
        int digit_line, han_line, x;

        pango_layout_index_to_line_x (gtk_label_get_layout (label), (int) (p - text), FALSE,
                                      &digit_line, &x);
        pango_layout_index_to_line_x (gtk_label_get_layout (label), (int) (next - text), FALSE,
                                      &han_line, &x);
        if (digit_line != han_line)
          g_error ("the place name “%.*s” is cut over two lines", (int) (g_utf8_next_char (next) - p),
                   p);
      }
      g_assert_true (drawn_rows (label, pixels, width, height, (int) (p - text), &dt, &db));
      g_assert_true (drawn_rows (label, pixels, width, height, (int) (next - text), &ht, &hb));
      han_h = hb - ht + 1;
      ratio = (db - dt + 1) / han_h;
      lift = (hb - db) / han_h;
      g_test_message ("drawn: “%.*s” rows %d-%d, “%.*s” rows %d-%d: height %.2f of the Han "
                      "character's, bottom %.2f of it higher", (int) (next - p), p, dt, db,
                      (int) (g_utf8_next_char (next) - next), next, ht, hb, ratio, lift);
      worst.height_ratio = MIN (worst.height_ratio, ratio);
      worst.lift = MAX (worst.lift, lift);
      pairs++;
    }
  g_assert_cmpuint (pairs, >=, 2);
  return worst;
}

static void
on_places_loaded (MnLocationPage *page,
                  gboolean       *loaded)
{
  *loaded = TRUE;
}

static void
act_and_wait (MnLocationPage *page,
              const char     *action,
              const char     *code)
{
  gboolean loaded = FALSE;
  gulong id = g_signal_connect (page, "places-loaded", G_CALLBACK (on_places_loaded), &loaded);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), action, "s", code));
  while (!loaded)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (page, id);
}

/* The location page's address line after picking, level by level, unit 2
 * of building 2 of the demo station's compound ("… 2幢 2单元"). */
static GtkLabel *
show_address (const char *lang,
              gboolean    large)
{
  const char *target = "330902002008-01-02-2";
  MnLocationPage *page;
  GtkLabel *line = NULL;

  mn_kiosk_style_set_large_text (mn_application_get_kiosk_style (mn_test_app), large);
  g_assert_true (mn_window_set_language (mn_test_window, lang, NULL));
  mn_window_show_page (mn_test_window, "file-location");
  page = MN_LOCATION_PAGE (mn_window_get_page (mn_test_window, "file-location"));
  act_and_wait (page, "location.choice", "other");
  /* From the streets, or from the province when the page starts at the
   * top of the gazetteer. */
  for (guint level = 0; level < 10; level++)
    {
      g_autoptr(GPtrArray) shown = mn_location_page_list_shown (page);
      const char *pick = NULL;

      for (guint i = 0; i < shown->len; i++)
        if (g_str_has_prefix (target, g_ptr_array_index (shown, i)))
          pick = g_ptr_array_index (shown, i);
      if (pick == NULL)
        break;
      act_and_wait (page, "location.pick", pick);
    }
  g_assert_cmpstr (mn_location_page_get_place_code (page), ==, target);
  g_assert_nonnull (strstr (mn_location_page_get_address_text (page), "2幢 2单元"));
  mn_test_wait_for_frame (GTK_WIDGET (mn_test_window));
  {
    g_autoptr(GPtrArray) labels = mn_test_mapped_of_type (GTK_TYPE_LABEL);

    for (guint i = 0; i < labels->len; i++)
      if (g_strcmp0 (gtk_label_get_text (g_ptr_array_index (labels, i)),
                     mn_location_page_get_address_text (page)) == 0)
        line = g_ptr_array_index (labels, i);
  }
  g_assert_nonnull (line);
  return line;
}

/* In Chinese the address is drawn in one face (Noto Sans CJK SC): its
 * digits against its Han characters are the reference. In every other
 * language the digits must come from the same face as the Han characters
 * and stand in the same proportion to them: in Uyghur the Arabic face,
 * first in the list, has digits of its own, a good deal smaller. */
static void
test_han_digits (void)
{
  const char *build_root = g_getenv ("MINYIN_BUILD_ROOT");
  g_autofree char *dir = g_build_filename (build_root != NULL ? build_root : ".", "screenshots",
                                           "status", language, "address", NULL);
  NameInk reference, ink;
  DrawnDigits drawn_reference, drawn;
  double reference_ratio, ratio;

  {
    GtkLabel *line = show_address ("zh_CN", FALSE);

    measure_name_ink (line, &reference);
    drawn_reference = measure_drawn_digits (line);
  }
  mn_window_reset_session (mn_test_window);
  g_assert_cmpfloat (reference.han_height, >, 0);
  g_assert_cmpfloat (reference.digit_height, >, 0);
  reference_ratio = reference.digit_height / reference.han_height;
  g_test_message ("zh_CN: digits %.1f px (%s), Han %.1f px (%s), ratio %.2f; ink ends "
                  "%.1f px (digits) and %.1f px (Han) below the baseline",
                  reference.digit_height, reference.digit_family, reference.han_height,
                  reference.han_family, reference_ratio, reference.digit_bottom,
                  reference.han_bottom);

  g_clear_pointer (&mn_test_shot_dir, g_free);
  mn_test_shot_dir = g_steal_pointer (&dir);
  g_assert_cmpint (g_mkdir_with_parents (mn_test_shot_dir, 0755), ==, 0);
  for (guint large = 0; large <= 1; large++)
    {
      g_autofree char *where = g_strdup_printf ("%s, %s text, address line", language,
                                                large ? "large" : "normal");
      GtkLabel *line = show_address (language, large);

      measure_name_ink (line, &ink);
      mn_test_save_shot (large ? "location-large" : "location");
      drawn = measure_drawn_digits (line);
      mn_test_check_text (where);
      ratio = ink.digit_height / ink.han_height;
      g_test_message ("%s: digits %.1f px (%s), Han %.1f px (%s), ratio %.2f; ink ends %.1f px "
                      "(digits) and %.1f px (Han) below the baseline", where, ink.digit_height,
                      ink.digit_family, ink.han_height, ink.han_family, ratio, ink.digit_bottom,
                      ink.han_bottom);
      /* Same face, same proportion, same line: a digit neither smaller
       * nor lifted off the baseline the Han characters stand on. */
      g_test_message ("%s: drawn digits %.2f of the Han height (Chinese screen %.2f), lifted "
                      "%.2f (Chinese screen %.2f)", where, drawn.height_ratio,
                      drawn_reference.height_ratio, drawn.lift, drawn_reference.lift);
      g_assert_cmpfloat (fabs (drawn.height_ratio - drawn_reference.height_ratio), <, 0.06);
      g_assert_cmpfloat (fabs (drawn.lift - drawn_reference.lift), <, 0.06);
      g_assert_cmpstr (ink.digit_family, ==, ink.han_family);
      g_assert_cmpfloat (fabs (ratio - reference_ratio), <, 0.03);
      g_assert_cmpfloat (fabs ((ink.digit_bottom - ink.han_bottom) / ink.han_height -
                               (reference.digit_bottom - reference.han_bottom) /
                                 reference.han_height),
                         <, 0.03);
      name_ink_clear (&ink);
      mn_window_reset_session (mn_test_window);
    }
  mn_kiosk_style_set_large_text (mn_application_get_kiosk_style (mn_test_app), FALSE);
  name_ink_clear (&reference);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("minyin-page-layout-XXXXXX", &error);
  g_autofree char *ini = NULL;
  int status;

  g_assert_no_error (error);
  language = g_getenv ("MINYIN_LAYOUT_LANG");
  if (language == NULL)
    language = "zh_CN";
  /* A terminal with a platform shows the indicator; nothing answers at
   * this address (the discard port of the loopback), so it stays
   * offline, which is what the test wants anyway. */
  ini = g_build_filename (dir, "platform.ini", NULL);
  g_assert_true (g_file_set_contents (ini, "[platform]\nurl=http://127.0.0.1:9/\n", -1, &error));
  g_assert_no_error (error);
  g_setenv ("MINYIN_TEST_DATA_DIR", dir, TRUE);

  if (!mn_test_ui_init (&argc, &argv, "status"))
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }
  {
    g_autoptr(GPtrArray) found = mn_test_mapped_of_type (MN_TYPE_SYNC_INDICATOR);

    g_assert_cmpuint (found->len, ==, 1);
    indicator_widget = g_ptr_array_index (found, 0);
  }
  g_test_add_func ("/page-layout/check-fails", test_check_fails);
  g_test_add_func ("/page-layout/normal-text", test_normal_text);
  g_test_add_func ("/page-layout/large-text", test_large_text);
  g_test_add_func ("/page-layout/han-digits", test_han_digits);
  status = g_test_run ();
  mn_test_ui_shutdown ();
  return status;
}
