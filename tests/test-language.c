/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Languages at the kiosk, on a virtual display: a person switches the
 * language from the start screen (text, direction, glyph shapes, fonts and
 * voice change at once), the next person finds the default again, and
 * every page of the window fits in every language at the largest text
 * size, with screenshots under BUILD/screenshots/languages/<language>/. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "mn-application.h"
#include "mn-case-code.h"
#include "mn-i18n.h"
#include "mn-kiosk-style.h"
#include "mn-language-page.h"
#include "mn-receipt-page.h"
#include "mn-speech.h"
#include "mn-start-page.h"
#include "mn-window.h"

static MnApplication *app;
static MnWindow *window;
static GString *said;

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *done)
{
  *done = TRUE;
}

/* Waits, without sleeping, until the window has drawn a frame after now. */
static void
wait_for_frame (void)
{
  GtkWidget *w = GTK_WIDGET (window);
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
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
on_announce (MnWindow   *w,
             const char *text,
             gpointer    user_data)
{
  g_string_assign (said, text);
}

static void
click (GtkWidget *button)
{
  g_assert_true (GTK_IS_BUTTON (button));
  g_assert_true (gtk_widget_is_sensitive (button));
  g_signal_emit_by_name (button, "clicked");
}

static const char *
staff_label (void)
{
  MnStartPage *page = MN_START_PAGE (mn_window_get_start_page (window));
  GtkWidget *staff = mn_start_page_get_button (page, "call-staff");

  g_assert_nonnull (staff);
  return gtk_label_get_text (GTK_LABEL (gtk_widget_get_last_child (
    gtk_button_get_child (GTK_BUTTON (staff)))));
}

static gboolean
has_arabic_script (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= 0x0600 && c <= 0x06FF)
        return TRUE;
    }
  return FALSE;
}

/* Through the start screen as a person does it: the Language button, then
 * the language's own button. */
static void
choose_language (const char *code)
{
  MnStartPage *start = MN_START_PAGE (mn_window_get_start_page (window));
  GtkWidget *language_button = mn_start_page_get_button (start, "language");
  MnLanguagePage *page;

  g_assert_nonnull (language_button);
  click (language_button);
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "language");
  page = MN_LANGUAGE_PAGE (mn_window_get_page (window, "language"));
  click (mn_language_page_get_button (page, code));
}

static void
test_switch_and_reset (void)
{
  MnSpeech *speech = mn_application_get_speech (app);
  MnKioskStyle *style = mn_application_get_kiosk_style (app);
  const char *default_staff = staff_label ();
  g_autofree char *zh_staff = g_strdup (default_staff);
  GtkWidget *old_language_page = mn_window_get_page (window, "language");
  GtkWidget *old_start = mn_window_get_start_page (window);

  g_assert_cmpstr (mn_window_get_language (window), ==, "zh_CN");
  g_assert_cmpstr (zh_staff, ==, "呼叫工作人员");
  g_assert_cmpint (gtk_widget_get_direction (old_start), ==, GTK_TEXT_DIR_LTR);

  choose_language ("ug");
  /* Text, direction, fonts and voice, at once. */
  g_assert_cmpstr (mn_window_get_language (window), ==, "ug");
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "start");
  g_assert_true (has_arabic_script (staff_label ()));
  g_assert_true (has_arabic_script (gtk_window_get_title (GTK_WINDOW (window))));
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_RTL);
  g_assert_cmpint (gtk_widget_get_direction (mn_window_get_start_page (window)), ==,
                   GTK_TEXT_DIR_RTL);
  g_assert_true (mn_window_get_page (window, "language") != old_language_page);
  g_assert_true (mn_window_get_start_page (window) != old_start);
  g_assert_nonnull (strstr (mn_kiosk_style_get_css (style), "\"Noto Sans Arabic\""));
  if (speech != NULL)
    g_assert_cmpstr (mn_speech_get_language (speech), ==, "ug");
  /* Heard: the language's name in its own voice, then the start screen.
   * Every name is said by its own voice without falling back to English
   * (espeak-ng marks a switch with "(en)"). */
  if (speech != NULL)
    {
      guint n = 0;
      const MnLanguage *languages = mn_i18n_get_languages (&n);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *phonemes = mn_speech_get_phonemes (speech, languages[i].code,
                                                              languages[i].native_name, &error);

          g_assert_no_error (error);
          g_test_message ("%s: %s", languages[i].native_name, phonemes);
          g_assert_nonnull (phonemes);
          g_assert_cmpuint (strlen (phonemes), >, 0);
          if (!g_str_equal (languages[i].code, "en"))
            g_assert_null (strstr (phonemes, "(en)"));
        }
    }
  g_assert_true (g_str_has_prefix (said->str, "ئۇيغۇرچە\n"));
  g_assert_true (has_arabic_script (said->str + strlen ("ئۇيغۇرچە\n")));
  wait_for_frame ();

  /* English from Uyghur: straight from one to another. */
  choose_language ("en");
  g_assert_cmpstr (staff_label (), ==, "Call staff");
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);
  if (speech != NULL)
    g_assert_cmpstr (mn_speech_get_language (speech), ==, "en");

  /* The session ends: the next person finds the kiosk in Chinese. */
  mn_window_reset_session (window);
  g_assert_cmpstr (mn_window_get_language (window), ==, "zh_CN");
  g_assert_cmpstr (mn_i18n_get_language (), ==, mn_i18n_get_default_language ());
  g_assert_cmpstr (staff_label (), ==, zh_staff);
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "民音");
  g_assert_cmpstr (_("Call staff"), ==, zh_staff);
  g_assert_cmpint (gtk_widget_get_default_direction (), ==, GTK_TEXT_DIR_LTR);
  g_assert_nonnull (strstr (mn_kiosk_style_get_css (style), "\"Noto Sans CJK SC\""));
  if (speech != NULL)
    g_assert_cmpstr (mn_speech_get_language (speech), ==, "zh_CN");
  g_assert_cmpstr (mn_window_get_visible_page (window), ==, "start");
}

/* The family and glyph Pango draws @text's first character with, in
 * @widget's context. */
static char *
glyph_of (GtkWidget  *widget,
          const char *text,
          guint      *glyph)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoLayoutIter *iter = pango_layout_get_iter (layout);
  PangoLayoutRun *run = pango_layout_iter_get_run_readonly (iter);
  g_autoptr(PangoFontDescription) desc = NULL;
  char *family;

  g_assert_nonnull (run);
  desc = pango_font_describe (run->item->analysis.font);
  family = g_strdup (pango_font_description_get_family (desc));
  *glyph = run->glyphs->glyphs[0].glyph;
  pango_layout_iter_free (iter);
  return family;
}

/* 直, 骨 and 角 are one code point each, drawn differently in Simplified
 * and in Hong Kong Traditional; the face that draws them decides. */
static void
test_han_glyphs (void)
{
  const char *shared[] = { "直", "骨", "角" };

  for (guint i = 0; i < G_N_ELEMENTS (shared); i++)
    {
      g_autofree char *cn_family = NULL;
      g_autofree char *hk_family = NULL;
      guint cn_glyph = 0, hk_glyph = 0;

      g_assert_true (mn_window_set_language (window, "zh_CN", NULL));
      wait_for_frame ();
      cn_family = glyph_of (mn_window_get_start_page (window), shared[i], &cn_glyph);
      g_assert_true (mn_window_set_language (window, "zh_HK", NULL));
      wait_for_frame ();
      hk_family = glyph_of (mn_window_get_start_page (window), shared[i], &hk_glyph);
      g_test_message ("%s: zh_CN %s glyph %u, zh_HK %s glyph %u", shared[i], cn_family, cn_glyph,
                      hk_family, hk_glyph);
      g_assert_cmpstr (cn_family, ==, "Noto Sans CJK SC");
      g_assert_cmpstr (hk_family, ==, "Noto Sans CJK HK");
      g_assert_cmpuint (cn_glyph, !=, hk_glyph);
    }
  /* The Traditional name on the language page is drawn Traditional even
   * on a Simplified screen. */
  g_assert_true (mn_window_set_language (window, NULL, NULL));
  g_assert_cmpstr (pango_language_to_string (pango_context_get_language (
                     gtk_widget_get_pango_context (mn_window_get_start_page (window)))), ==,
                   "zh-cn");
}

static void
collect_buttons (GtkWidget *w,
                 GPtrArray *out)
{
  if (GTK_IS_BUTTON (w))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_buttons (c, out);
}

/* Mirrored for Uyghur: the first language button (简体中文) sits on the
 * right, the Back button's text reads right to left, and a number in a
 * sentence stays left to right. */
static void
test_uyghur_mirrored (void)
{
  MnLanguagePage *page;
  graphene_rect_t first, second;

  g_assert_true (mn_window_set_language (window, "ug", NULL));
  mn_window_show_page (window, "language");
  wait_for_frame ();
  page = MN_LANGUAGE_PAGE (mn_window_get_page (window, "language"));
  g_assert_true (gtk_widget_compute_bounds (mn_language_page_get_button (page, "zh_CN"),
                                            GTK_WIDGET (window), &first));
  g_assert_true (gtk_widget_compute_bounds (mn_language_page_get_button (page, "zh_HK"),
                                            GTK_WIDGET (window), &second));
  g_assert_cmpfloat (first.origin.x, >, second.origin.x);

  g_assert_true (mn_window_set_language (window, "zh_CN", NULL));
  wait_for_frame ();
  page = MN_LANGUAGE_PAGE (mn_window_get_page (window, "language"));
  g_assert_true (gtk_widget_compute_bounds (mn_language_page_get_button (page, "zh_CN"),
                                            GTK_WIDGET (window), &first));
  g_assert_true (gtk_widget_compute_bounds (mn_language_page_get_button (page, "zh_HK"),
                                            GTK_WIDGET (window), &second));
  g_assert_cmpfloat (first.origin.x, <, second.origin.x);

  /* The number pad is a telephone's in every language: 1 2 3 from the
   * left, even when everything around it is mirrored. */
  g_assert_true (mn_window_set_language (window, "ug", NULL));
  if (mn_window_get_page (window, "file-contact") != NULL)
    {
      GtkWidget *one = NULL, *three = NULL;
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      graphene_rect_t b1, b3;

      mn_window_show_page (window, "file-contact");
      wait_for_frame ();
      collect_buttons (mn_window_get_page (window, "file-contact"), buttons);
      for (guint i = 0; i < buttons->len; i++)
        {
          const char *label = gtk_button_get_label (g_ptr_array_index (buttons, i));

          if (g_strcmp0 (label, "1") == 0)
            one = g_ptr_array_index (buttons, i);
          else if (g_strcmp0 (label, "3") == 0)
            three = g_ptr_array_index (buttons, i);
        }
      g_assert_nonnull (one);
      g_assert_nonnull (three);
      g_assert_true (gtk_widget_compute_bounds (one, GTK_WIDGET (window), &b1));
      g_assert_true (gtk_widget_compute_bounds (three, GTK_WIDGET (window), &b3));
      g_assert_cmpfloat (b1.origin.x, <, b3.origin.x);
      mn_window_show_page (window, "start");
    }

  /* A case code on the receipt keeps its order, and a screenshot shows it. */
  if (mn_window_get_page (window, "file-receipt") != NULL)
    {
      const char *build_root = g_getenv ("MINYIN_BUILD_ROOT");
      g_autofree char *dir = g_build_filename (build_root != NULL ? build_root : ".",
                                               "screenshots", "languages", "ug", NULL);
      g_autofree char *file = g_build_filename (dir, "receipt-with-code.png", NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 28, 10, 0, 0);
      g_autofree char *code = mn_case_code_build ("3302", "01", day, 17, &error);

      g_assert_no_error (error);
      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      mn_receipt_page_set_code (MN_RECEIPT_PAGE (mn_window_get_page (window, "file-receipt")),
                                code);
      mn_window_show_page (window, "file-receipt");
      wait_for_frame ();
      g_assert_true (mn_window_save_screenshot (window, file, &error));
      g_assert_no_error (error);
      g_test_message ("screenshot: %s", file);
      mn_window_reset_session (window);
      g_assert_true (mn_window_set_language (window, "ug", NULL));
    }

  /* Numbers: the Uyghur sentences isolate them left to right (U+2066 …
   * U+2069), so "20" never reads "02" and a case code keeps its order. */
  g_assert_true (mn_window_set_language (window, "ug", NULL));
  {
    g_autofree char *text = g_strdup_printf (ngettext ("In %u second the screen starts over and "
                                                       "what you entered is cleared.",
                                                       "In %u seconds the screen starts over and "
                                                       "what you entered is cleared.",
                                                       20),
                                             20);

    g_test_message ("ug countdown: %s", text);
    g_assert_true (has_arabic_script (text));
    g_assert_nonnull (strstr (text, "\u2066" "20" "\u2069"));
  }
  mn_window_reset_session (window);
  g_assert_cmpstr (mn_window_get_language (window), ==, "zh_CN");
}

/* --- Every page in every language at the largest text: nothing cut --- */

static void
collect_labels (GtkWidget *w,
                GPtrArray *out)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    g_ptr_array_add (out, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, out);
}

static char *
describe (GtkWidget *label)
{
  g_autofree char *text = g_strndup (gtk_label_get_text (GTK_LABEL (label)), 60);

  return g_strdup_printf ("“%s”", text);
}

/* Every mapped label gets at least the size it asks for, shows its whole
 * text (no ellipsis, no line cut off) and lies inside the window; returns
 * the number of problems, each reported. */
static guint
check_fits (const char *where)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  int win_w = gtk_widget_get_width (GTK_WIDGET (window));
  int win_h = gtk_widget_get_height (GTK_WIDGET (window));
  guint problems = 0;

  collect_labels (GTK_WIDGET (window), labels);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkWidget *label = g_ptr_array_index (labels, i);
      g_autofree char *what = describe (label);
      int width = gtk_widget_get_width (label);
      int height = gtk_widget_get_height (label);
      int min_w, nat_w, min_h, nat_h;
      PangoLayout *layout = gtk_label_get_layout (GTK_LABEL (label));
      int text_w, text_h;
      graphene_rect_t bounds;

      if (*gtk_label_get_text (GTK_LABEL (label)) == '\0')
        continue;
      gtk_widget_measure (label, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, &nat_w, NULL, NULL);
      gtk_widget_measure (label, GTK_ORIENTATION_VERTICAL, width, &min_h, &nat_h, NULL, NULL);
      pango_layout_get_pixel_size (layout, &text_w, &text_h);

      /* Measured sizes include the label's CSS margins; its allocation
       * does not. */
      {
        GtkBorder margin;

        gtk_style_context_get_margin (gtk_widget_get_style_context (label), &margin);
        min_w -= margin.left + margin.right;
        min_h -= margin.top + margin.bottom;
      }
      /* GTK rounds a wrapping label's minimum up by a pixel or two that
       * its text does not need (the layout check below is exact). */
      if (width < min_w - 2 || height < min_h - 2)
        {
          g_test_message ("%s: %s is %d×%d but needs %d×%d", where, what, width, height, min_w,
                          min_h);
          problems++;
        }
      if (pango_layout_is_ellipsized (layout))
        {
          g_test_message ("%s: %s is ellipsized", where, what);
          problems++;
        }
      /* A layout wider or taller than its widget draws outside it. */
      if (text_w > width + 1 || text_h > height + 1)
        {
          g_test_message ("%s: %s draws %d×%d in %d×%d", where, what, text_w, text_h, width,
                          height);
          problems++;
        }
      if (!gtk_widget_compute_bounds (label, GTK_WIDGET (window), &bounds) ||
          bounds.origin.x < -0.5 || bounds.origin.y < -0.5 ||
          bounds.origin.x + bounds.size.width > win_w + 0.5 ||
          bounds.origin.y + bounds.size.height > win_h + 0.5)
        {
          g_test_message ("%s: %s lies outside the window (%.0f,%.0f %.0f×%.0f in %d×%d)", where,
                          what, bounds.origin.x, bounds.origin.y, bounds.size.width,
                          bounds.size.height, win_w, win_h);
          if (g_getenv ("MINYIN_DEBUG_FIT") != NULL)
            for (GtkWidget *a = label; a != NULL; a = gtk_widget_get_parent (a))
              {
                int amin, anat;

                gtk_widget_measure (a, GTK_ORIENTATION_HORIZONTAL, -1, &amin, &anat, NULL, NULL);
                g_test_message ("  %s.%s: %d wide, min %d nat %d", G_OBJECT_TYPE_NAME (a),
                                gtk_widget_get_css_name (a), gtk_widget_get_width (a), amin, anat);
              }
          problems++;
        }
    }
  return problems;
}

static void
on_idle_warning (MnWindow   *w,
                 GParamSpec *pspec,
                 gboolean   *shown)
{
  *shown = mn_window_get_idle_warning (w);
}

static GPtrArray *
page_names (void)
{
  GtkStack *pages = GTK_STACK (gtk_widget_get_parent (mn_window_get_start_page (window)));
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
test_pages_fit (void)
{
  MnKioskStyle *style = mn_application_get_kiosk_style (app);
  const char *build_root = g_getenv ("MINYIN_BUILD_ROOT");
  guint n_languages = 0;
  const MnLanguage *languages = mn_i18n_get_languages (&n_languages);
  guint problems = 0, checked = 0;

  mn_kiosk_style_set_large_text (style, TRUE);
  for (guint l = 0; l < n_languages; l++)
    {
      g_autofree char *dir = g_build_filename (build_root != NULL ? build_root : ".", "screenshots",
                                               "languages", languages[l].code, NULL);
      g_autoptr(GPtrArray) names = NULL;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
      g_assert_true (mn_window_set_language (window, languages[l].code, NULL));
      names = page_names ();
      for (guint p = 0; p < names->len + 2; p++)
        {
          const char *name = p < names->len ? g_ptr_array_index (names, p)
                                            : p == names->len ? "staff-called" : "idle-warning";
          g_autofree char *where = g_strdup_printf ("%s, page %s, large text", languages[l].code,
                                                    name);
          g_autofree char *file = g_strdup_printf ("%s/%s.png", dir, name);
          g_autoptr(GError) error = NULL;

          if (p < names->len && g_str_equal (name, "file-receipt"))
            {
              /* With a code, and the "Print receipt" button a kiosk with a
               * printer shows (printing into a file that is never made). */
              MnReceiptPage *receipt = MN_RECEIPT_PAGE (mn_window_get_page (window, name));
              g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 28, 10, 0, 0);
              g_autofree char *code = mn_case_code_build ("3302", "01", day, 17, &error);

              g_assert_no_error (error);
              mn_receipt_page_set_code (receipt, code);
              mn_receipt_page_set_print_export (receipt, "/nonexistent/receipt.pdf");
              g_assert_true (mn_receipt_page_get_can_print (receipt));
              mn_window_show_page (window, name);
            }
          else if (p < names->len)
            {
              mn_window_show_page (window, name);
            }
          else if (p == names->len)
            {
              mn_window_call_staff (window);
            }
          else
            {
              gboolean shown = FALSE;
              gulong id = g_signal_connect (window, "notify::idle-warning",
                                            G_CALLBACK (on_idle_warning), &shown);

              mn_window_show_page (window, "language");
              mn_window_set_idle_timeout (window, 0.01, 60);
              while (!shown)
                g_main_context_iteration (NULL, TRUE);
              g_signal_handler_disconnect (window, id);
            }
          wait_for_frame ();
          problems += check_fits (where);
          checked++;
          g_assert_true (mn_window_save_screenshot (window, file, &error));
          g_assert_no_error (error);

          if (p == names->len)
            mn_window_cancel_staff_call (window);
          else if (p > names->len)
            {
              mn_window_set_idle_timeout (window, 0, 20);
              mn_window_note_activity (window);
            }
        }
      g_test_message ("screenshots: %s", dir);
    }
  mn_kiosk_style_set_large_text (style, FALSE);
  mn_window_reset_session (window);
  g_test_message ("%u pages checked, %u problems", checked, problems);
  g_assert_cmpuint (checked, >=, n_languages * 4);
  g_assert_cmpuint (problems, ==, 0);
}

/* The check itself must be able to fail: a label forced narrower than its
 * text is reported. */
static void
test_fit_check_fails (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *label = gtk_label_new ("这是一句很长很长的话，不能被截断，否则老人看不全");
  GtkWidget *ellipsized = gtk_label_new ("这是一句很长很长的话，不能被省略，否则老人看不全");

  gtk_label_set_ellipsize (GTK_LABEL (ellipsized), PANGO_ELLIPSIZE_END);
  gtk_widget_set_size_request (ellipsized, 200, -1);
  gtk_widget_set_halign (ellipsized, GTK_ALIGN_START);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), ellipsized);
  /* A label too wide for the window's width is cut off at its edge. */
  gtk_widget_set_size_request (label, 6000, -1);
  mn_window_add_page (window, "too-wide", box, NULL);
  mn_window_show_page (window, "too-wide");
  wait_for_frame ();
  g_assert_cmpuint (check_fits ("deliberately broken page"), >=, 2);
  mn_window_show_page (window, "start");
  gtk_stack_remove (GTK_STACK (gtk_widget_get_parent (box)), box);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int status;

  g_autofree char *data_dir = NULL;

  g_setenv ("MINYIN_DPI", "96", TRUE);
  g_setenv ("MINYIN_AUDIO_SINK", "fakesink sync=false", FALSE);
  /* Its own store, never the user's. */
  data_dir = g_dir_make_tmp ("minyin-language-test-XXXXXX", &error);
  g_assert_no_error (error);
  g_setenv ("MINYIN_DATA_DIR", data_dir, TRUE);
  gtk_test_init (&argc, &argv, NULL);
  /* After gtk_test_init, which sets a locale of its own. */
  mn_i18n_init ();
  if (gdk_display_get_default () == NULL)
    {
      g_test_skip ("No display; run under xvfb-run -a.");
      return 77;
    }

  said = g_string_new (NULL);
  app = mn_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);

  window = mn_application_get_window (app);
  g_signal_connect (window, "announce", G_CALLBACK (on_announce), NULL);
  gtk_window_present (GTK_WINDOW (window));
  /* Every page in the stack (they join one per frame after the first). */
  while (!mn_window_get_settled (window))
    g_main_context_iteration (NULL, TRUE);
  wait_for_frame ();

  g_test_add_func ("/language/switch-and-reset", test_switch_and_reset);
  g_test_add_func ("/language/han-glyphs", test_han_glyphs);
  g_test_add_func ("/language/uyghur-mirrored", test_uyghur_mirrored);
  g_test_add_func ("/language/fit-check-fails", test_fit_check_fails);
  g_test_add_func ("/language/pages-fit", test_pages_fit);

  status = g_test_run ();

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&app);
  g_string_free (said, TRUE);
  {
    g_autoptr(GFile) dir = g_file_new_for_path (data_dir);
    g_autoptr(GFileEnumerator) children = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                                      G_FILE_QUERY_INFO_NONE, NULL,
                                                                      NULL);
    GFileInfo *info;

    while (children != NULL && (info = g_file_enumerator_next_file (children, NULL, NULL)) != NULL)
      {
        g_autoptr(GFile) child = g_file_get_child (dir, g_file_info_get_name (info));

        g_file_delete (child, NULL, NULL);
        g_object_unref (info);
      }
    g_file_delete (dir, NULL, NULL);
  }
  return status;
}
