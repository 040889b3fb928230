/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "mn-kiosk-style.h"

/* Cap height of the Latin capitals in Noto Sans CJK (733 / 1000 em), taken
 * a little lower so rounding never brings text under its minimum. */
#define CAP_HEIGHT_PER_EM 0.70

/* Densities outside this range come from monitors that report a made-up
 * size (projectors, some TVs report their aspect ratio in centimetres). */
#define PX_PER_MM_BELIEVABLE_MIN 1.5
#define PX_PER_MM_BELIEVABLE_MAX 20.0

/* The two palettes. Each colour is named once here; the pairs below and
 * the stylesheet use the same names, so the test of the pairs tests what
 * is drawn. */
#define N_PAGE_BG        "#fafafa"
#define N_TEXT           "#1c1c1c"
#define N_LEAD           "#3d3846"
#define N_BUTTON_BG      "#e4e4e2"
#define N_BUTTON_FG      "#1c1c1c"
#define N_BUTTON_BORDER  "#5e5c64"
#define N_PRESSED_BG     "#c0bfbc"
#define N_PRESSED_FG     "#1c1c1c"
#define N_PRIMARY_BG     "#154f96" /* stock #1a5fb4 gives only 6.3:1 under white */
#define N_PRIMARY_FG     "#ffffff"
#define N_PRIMARY_DOWN   "#0f4287"
#define N_STAFF_BG       "#9a1a28"
#define N_STAFF_FG       "#ffffff"
#define N_STAFF_DOWN     "#7a1520"
#define N_SIGN_BG        "#f8e45c"
#define N_SIGN_FG        "#1c1c1c"
#define N_FOCUS          "#154f96"

#define H_PAGE_BG        "#000000"
#define H_TEXT           "#ffffff"
#define H_LEAD           "#ffffff"
#define H_BUTTON_BG      "#000000"
#define H_BUTTON_FG      "#ffff00"
#define H_BUTTON_BORDER  "#ffff00"
#define H_PRESSED_BG     "#ffff00"
#define H_PRESSED_FG     "#000000"
#define H_PRIMARY_BG     "#ffff00"
#define H_PRIMARY_FG     "#000000"
#define H_PRIMARY_DOWN   "#ffffff"
#define H_STAFF_BG       "#ffffff"
#define H_STAFF_FG       "#000000"
#define H_STAFF_DOWN     "#ffff00"
#define H_SIGN_BG        "#ffff00"
#define H_SIGN_FG        "#000000"
#define H_FOCUS          "#00ffff"

#define TEXT MN_KIOSK_TEXT_CONTRAST_MIN
#define OTHER MN_KIOSK_OTHER_CONTRAST_MIN

static const MnKioskColorPair normal_pairs[] = {
  { "body text", N_TEXT, N_PAGE_BG, TEXT },
  { "lead text", N_LEAD, N_PAGE_BG, TEXT },
  { "button text", N_BUTTON_FG, N_BUTTON_BG, TEXT },
  { "pressed button text", N_PRESSED_FG, N_PRESSED_BG, TEXT },
  { "button outline", N_BUTTON_BORDER, N_PAGE_BG, OTHER },
  { "primary button text", N_PRIMARY_FG, N_PRIMARY_BG, TEXT },
  { "pressed primary button text", N_PRIMARY_FG, N_PRIMARY_DOWN, TEXT },
  { "primary button against page", N_PRIMARY_BG, N_PAGE_BG, OTHER },
  { "staff button text", N_STAFF_FG, N_STAFF_BG, TEXT },
  { "pressed staff button text", N_STAFF_FG, N_STAFF_DOWN, TEXT },
  { "staff button against page", N_STAFF_BG, N_PAGE_BG, OTHER },
  { "staff sign text", N_SIGN_FG, N_SIGN_BG, TEXT },
  { "focus ring", N_FOCUS, N_PAGE_BG, OTHER },
  { NULL, NULL, NULL, 0 },
};

static const MnKioskColorPair high_contrast_pairs[] = {
  { "body text", H_TEXT, H_PAGE_BG, TEXT },
  { "lead text", H_LEAD, H_PAGE_BG, TEXT },
  { "button text", H_BUTTON_FG, H_BUTTON_BG, TEXT },
  { "pressed button text", H_PRESSED_FG, H_PRESSED_BG, TEXT },
  { "button outline", H_BUTTON_BORDER, H_PAGE_BG, OTHER },
  { "primary button text", H_PRIMARY_FG, H_PRIMARY_BG, TEXT },
  { "pressed primary button text", H_PRIMARY_FG, H_PRIMARY_DOWN, TEXT },
  { "primary button against page", H_PRIMARY_BG, H_PAGE_BG, OTHER },
  { "staff button text", H_STAFF_FG, H_STAFF_BG, TEXT },
  { "pressed staff button text", H_STAFF_FG, H_STAFF_DOWN, TEXT },
  { "staff button against page", H_STAFF_BG, H_PAGE_BG, OTHER },
  { "staff sign text", H_SIGN_FG, H_SIGN_BG, TEXT },
  { "focus ring", H_FOCUS, H_PAGE_BG, OTHER },
  { NULL, NULL, NULL, 0 },
};

#undef TEXT
#undef OTHER

typedef struct
{
  const char *page_bg, *text, *lead, *button_bg, *button_fg, *button_border, *pressed_bg,
    *pressed_fg, *primary_bg, *primary_fg, *primary_down, *staff_bg, *staff_fg, *staff_down,
    *sign_bg, *sign_fg, *focus;
} Palette;

#define PALETTE(P)                                                                             \
  {                                                                                            \
    P##_PAGE_BG, P##_TEXT, P##_LEAD, P##_BUTTON_BG, P##_BUTTON_FG, P##_BUTTON_BORDER,          \
      P##_PRESSED_BG, P##_PRESSED_FG, P##_PRIMARY_BG, P##_PRIMARY_FG, P##_PRIMARY_DOWN,        \
      P##_STAFF_BG, P##_STAFF_FG, P##_STAFF_DOWN, P##_SIGN_BG, P##_SIGN_FG, P##_FOCUS          \
  }

static const Palette normal_palette = PALETTE (N);
static const Palette high_contrast_palette = PALETTE (H);

const MnKioskColorPair *
mn_kiosk_style_palette (gboolean high_contrast)
{
  return high_contrast ? high_contrast_pairs : normal_pairs;
}

static double
channel_to_linear (guint value)
{
  double c = value / 255.0;

  return c <= 0.04045 ? c / 12.92 : pow ((c + 0.055) / 1.055, 2.4);
}

static double
relative_luminance (const char *color)
{
  guint r, g, b;

  g_return_val_if_fail (color != NULL && color[0] == '#' && strlen (color) == 7, 0.0);

  r = (guint) strtoul ((char[]){ color[1], color[2], 0 }, NULL, 16);
  g = (guint) strtoul ((char[]){ color[3], color[4], 0 }, NULL, 16);
  b = (guint) strtoul ((char[]){ color[5], color[6], 0 }, NULL, 16);

  return 0.2126 * channel_to_linear (r) + 0.7152 * channel_to_linear (g) +
         0.0722 * channel_to_linear (b);
}

double
mn_kiosk_contrast_ratio (const char *color_a,
                         const char *color_b)
{
  double la = relative_luminance (color_a);
  double lb = relative_luminance (color_b);

  return (MAX (la, lb) + 0.05) / (MIN (la, lb) + 0.05);
}

const char *
mn_kiosk_font_family_for_language (const char *language)
{
  /* Noto Sans CJK carries Latin too, so the Chinese families come first;
   * listing the SC face first is what makes shared Han code points take
   * their Simplified Chinese shapes whatever the process locale says. */
  if (language == NULL)
    language = "zh_CN";
  if (g_str_has_prefix (language, "zh_HK") || g_str_has_prefix (language, "zh_MO"))
    return "\"Noto Sans CJK HK\", \"Noto Sans CJK TC\", \"Noto Sans\", sans-serif";
  if (g_str_has_prefix (language, "zh_TW"))
    return "\"Noto Sans CJK TC\", \"Noto Sans\", sans-serif";
  if (g_str_has_prefix (language, "ug"))
    return "\"Noto Sans Arabic\", \"Noto Naskh Arabic\", \"Noto Sans\", \"Noto Sans CJK SC\", "
           "sans-serif";
  if (g_str_has_prefix (language, "zh"))
    return "\"Noto Sans CJK SC\", \"Noto Sans\", sans-serif";
  return "\"Noto Sans\", \"Noto Sans CJK SC\", sans-serif";
}

double
mn_kiosk_line_height_for_language (const char *language)
{
  /* Noto Sans Arabic: about 2 em from ascent to descent, for the marks
   * above and below. Three quarters of it is still more than the 1.4 em
   * the rules ask for; multiplied like the other scripts, a page of
   * Uyghur no longer fits the screen. */
  if (language != NULL && g_str_has_prefix (language, "ug"))
    return 0.75;
  return MN_KIOSK_LINE_HEIGHT_FACTOR;
}

PangoAttrList *
mn_kiosk_place_names_attributes (const char *text)
{
  PangoAttrList *attrs;
  const char *start = text;

  if (text == NULL || *text == '\0')
    return NULL;
  attrs = pango_attr_list_new ();
  while (*start != '\0')
    {
      const char *end = strchr (start, ' ');
      PangoAttribute *attr = pango_attr_allow_breaks_new (FALSE);

      if (end == NULL)
        end = start + strlen (start);
      attr->start_index = (guint) (start - text);
      attr->end_index = (guint) (end - text);
      pango_attr_list_insert (attrs, attr);
      start = *end == ' ' ? end + 1 : end;
    }
  return attrs;
}

/* Characters that belong with a neighbouring Han one: digits ("2幢"),
 * Chinese punctuation and full-width forms. */
static gboolean
goes_with_han (gunichar c)
{
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN || g_unichar_isdigit (c) ||
         (c >= 0x3000 && c <= 0x303f) || (c >= 0xff00 && c <= 0xffef);
}

PangoAttrList *
mn_kiosk_han_attributes (const char *text,
                         const char *language)
{
  PangoAttrList *attrs = NULL;
  g_autofree char *family = NULL;
  const char *p = text;

  if (text == NULL || language == NULL || g_str_has_prefix (language, "zh"))
    return NULL;
  /* The same list as label.mn-han's: the Han face, then the language's
   * own, bare (Pango does not want CSS quotes). */
  family = g_strdup_printf ("Noto Sans CJK SC, %s", mn_kiosk_font_family_for_language (language));
  g_strdelimit (family, "\"", ' ');
  while (*p != '\0')
    {
      const char *start, *end;
      gboolean has_han = FALSE;

      if (!goes_with_han (g_utf8_get_char (p)))
        {
          p = g_utf8_next_char (p);
          continue;
        }
      for (start = end = p; *end != '\0' && goes_with_han (g_utf8_get_char (end));
           end = g_utf8_next_char (end))
        has_han |= g_unichar_get_script (g_utf8_get_char (end)) == G_UNICODE_SCRIPT_HAN;
      if (has_han)
        {
          PangoAttribute *a[] = {
            pango_attr_family_new (family),
            pango_attr_language_new (pango_language_from_string ("zh-cn")),
            pango_attr_line_height_new (mn_kiosk_line_height_for_language ("zh_CN")),
          };

          if (attrs == NULL)
            attrs = pango_attr_list_new ();
          for (guint i = 0; i < G_N_ELEMENTS (a); i++)
            {
              a[i]->start_index = (guint) (start - text);
              a[i]->end_index = (guint) (end - text);
              pango_attr_list_insert (attrs, a[i]);
            }
        }
      p = end;
    }
  return attrs;
}

char *
mn_kiosk_display_language (void)
{
  const char * const *names = g_get_language_names_with_category ("LC_MESSAGES");
  const char *name = names != NULL ? names[0] : NULL;

  if (name == NULL || g_str_equal (name, "C") || g_str_has_prefix (name, "C."))
    return g_strdup ("zh_CN");

  /* Keep the language and territory only: "zh_CN.UTF-8" → "zh_CN". */
  return g_strndup (name, strcspn (name, ".@"));
}

/* The icon size for @px pixels. Adwaita ships its symbolic icons drawn
 * in advance (PNG) at a few fixed sizes, and GtkIconTheme picks those only
 * at exactly those sizes: at any other it renders the SVG, which loads
 * librsvg (6.5 MB resident, measured in bench-ui) and rasterises each icon
 * on the main thread the first time a page shows it (a good part of the
 * longest frame of a filing). Icons sit beside words that say the same, so
 * the nearest drawn size (by ratio) is close enough. The signs that
 * cover the page ask for 40 mm and get the largest, 96 px (25 mm at
 * 96 dpi): their words, far larger, are what is read across the room, and
 * one SVG among them would load librsvg all the same. */
static int
icon_px (int px)
{
  static const int drawn[] = { 16, 24, 32, 48, 64, 96 };
  int best = drawn[0];

  for (gsize i = 0; i < G_N_ELEMENTS (drawn); i++)
    if (fabs (log ((double) drawn[i] / px)) < fabs (log ((double) best / px)))
      best = drawn[i];
  return best;
}

char *
mn_kiosk_style_build_css (double      px_per_mm,
                          gboolean    high_contrast,
                          double      text_scale,
                          const char *font_family)
{
  const Palette *c = high_contrast ? &high_contrast_palette : &normal_palette;
  GString *css = g_string_new (NULL);
  double ts = text_scale > 0 ? text_scale : 1.0;
  int body = (int) ceil (MN_KIOSK_BODY_CAP_MM * ts / CAP_HEIGHT_PER_EM * px_per_mm);
  /* Large text is for reading the body: headings are large already, and
   * scaled as much they no longer fit on one screen in the longer
   * languages (English, Uyghur), so they grow less and never below it. */
  double head_ts = MIN (ts, MN_KIOSK_LARGE_HEADING_SCALE);
  int heading = (int) ceil (MAX (MN_KIOSK_HEADING_CAP_MM * head_ts, MN_KIOSK_BODY_CAP_MM * ts) /
                            CAP_HEIGHT_PER_EM * px_per_mm);
  int title = (int) ceil (MAX (MN_KIOSK_TITLE_CAP_MM * head_ts, MN_KIOSK_BODY_CAP_MM * ts) /
                          CAP_HEIGHT_PER_EM * px_per_mm);
  char line_height[G_ASCII_DTOSTR_BUF_SIZE];

#define MM(x) ((int) ceil ((x) * px_per_mm))

  g_return_val_if_fail (px_per_mm > 0, NULL);

  if (font_family == NULL)
    font_family = mn_kiosk_font_family_for_language (NULL);
  g_ascii_formatd (line_height, sizeof line_height, "%.2f", MN_KIOSK_LINE_HEIGHT_FACTOR);

  g_string_append_printf (css,
    "/* Generated for %.3f px/mm, %s palette, text x%.2f. */\n",
    px_per_mm, high_contrast ? "high-contrast" : "normal", ts);

  /* Page and text. Sizes are whole pixels computed from millimetres. */
  g_string_append_printf (css,
    "window.kiosk { background-color: %s; color: %s; font-family: %s; font-size: %dpx; }\n"
    "window.kiosk label { line-height: %s; }\n"
    "window.kiosk .mn-title { font-size: %dpx; font-weight: 800; }\n"
    "window.kiosk .mn-heading { font-size: %dpx; font-weight: 700; }\n"
    "window.kiosk .mn-lead { color: %s; }\n"
    /* Adwaita draws .dim-label at 55 % opacity: about 4.6:1, under the
     * 7:1 the kiosk promises for text. Nothing on a kiosk is dimmed. */
    "window.kiosk .dim-label { opacity: 1; }\n"
    "window.kiosk .mn-page { padding: %dpx %dpx; }\n"
    "window.kiosk .mn-buttons { border-spacing: %dpx; }\n"
    /* A flow box has no border-spacing: its cells keep their buttons
     * apart, half the gap each. */
    "window.kiosk flowbox.mn-buttons > flowboxchild { padding: %dpx; }\n",
    c->page_bg, c->text, font_family, body,
    line_height,
    title,
    heading,
    c->lead,
    MM (6), MM (12),
    MM (MN_KIOSK_TARGET_GAP_MM + 0.5),
    MM (MN_KIOSK_TARGET_GAP_MM / 2 + 0.5));

  /* Every button: at least the minimum target, framed so it can be told
   * from the page without colour, with a focus ring for switch access. */
  g_string_append_printf (css,
    "window.kiosk button { min-height: %dpx; min-width: %dpx; padding: %dpx %dpx;"
    " border-radius: %dpx; border: %dpx solid %s; background-color: %s; background-image: none;"
    " color: %s; box-shadow: none; font-weight: 700; }\n"
    "window.kiosk button:hover { background-color: %s; color: %s; }\n"
    "window.kiosk button:active, window.kiosk button:checked { background-color: %s; color: %s; }\n"
    "window.kiosk button:focus-visible { outline: %dpx solid %s; outline-offset: %dpx; }\n",
    /* CSS min sizes are of the content box: the padding and the border
     * make up the rest of the 16 mm (and a little more for rounding). */
    MM (MN_KIOSK_TARGET_MIN_MM + 0.5) - 2 * MM (2) - 2 * MM (0.6),
    MM (MN_KIOSK_TARGET_MIN_MM + 0.5) - 2 * MM (6) - 2 * MM (0.6), MM (2), MM (6),
    MM (3), MM (0.6), c->button_border, c->button_bg,
    c->button_fg,
    c->button_bg, c->button_fg,
    c->pressed_bg, c->pressed_fg,
    MM (1), c->focus, MM (0.8));

  g_string_append_printf (css,
    "window.kiosk button.suggested-action, window.kiosk button.mn-primary"
    " { background-color: %s; color: %s; border-color: %s; }\n"
    "window.kiosk button.suggested-action:active, window.kiosk button.mn-primary:active"
    " { background-color: %s; color: %s; }\n"
    "window.kiosk button.mn-staff { background-color: %s; color: %s; border-color: %s; }\n"
    "window.kiosk button.mn-staff:active { background-color: %s; color: %s; }\n",
    c->primary_bg, c->primary_fg, c->primary_bg,
    c->primary_down, c->primary_fg,
    c->staff_bg, c->staff_fg, high_contrast ? c->staff_fg : c->staff_bg,
    c->staff_down, c->staff_fg);

  /* Choices in a grid (categories, phrases): above the minimum, with
   * margins that keep neighbours 8 mm apart; icons beside the words. */
  g_string_append_printf (css,
    "window.kiosk button image { -gtk-icon-size: %dpx; }\n"
    "window.kiosk button.mn-choice { min-height: %dpx; min-width: %dpx; padding: %dpx %dpx;"
    " margin: %dpx; }\n"
    "window.kiosk button.mn-choice .mn-tile-content { border-spacing: %dpx; }\n"
    "window.kiosk button.mn-choice:checked, window.kiosk button.mn-select:checked"
    " { background-color: %s; color: %s;"
    " border-color: %s; box-shadow: inset 0 0 0 %dpx %s; }\n"
    "window.kiosk button.mn-group:checked { background-color: %s; color: %s; }\n"
    "window.kiosk .mn-footer { margin-top: %dpx; }\n",
    icon_px (MM (8)),
    MM (MN_KIOSK_TARGET_MIN_MM + 8), MM (100), MM (2), MM (5),
    MM (MN_KIOSK_TARGET_GAP_MM / 2 + 0.5),
    MM (4),
    c->primary_bg, c->primary_fg, c->page_bg, MM (0.8), c->page_bg,
    c->primary_bg, c->primary_fg,
    MM (MN_KIOSK_TARGET_GAP_MM + 0.5));

  /* The review's rows: its Change buttons one above the other, kept
   * apart like any two targets; words and buttons apart too. */
  g_string_append_printf (css,
    "window.kiosk .mn-review > button { margin: %dpx 0 %dpx %dpx; }\n"
    "window.kiosk .mn-review > label { margin-right: %dpx; }\n"
    "window.kiosk .mn-error { color: %s; font-weight: 700; }\n"
    "window.kiosk .mn-code { font-size: %dpx; font-weight: 800; }\n",
    MM (MN_KIOSK_TARGET_GAP_MM / 2 + 0.5), MM (MN_KIOSK_TARGET_GAP_MM / 2 + 0.5), MM (6),
    MM (6),
    c->text,
    title);

  /* Inside a flow page (question above, buttons below) the keypad must
   * fit in what is left of a 21.5" screen: digits at body size (still
   * 7 mm capitals), the number typed at heading size. */
  g_string_append_printf (css,
    "window.kiosk .mn-flow .mn-key, window.kiosk .mn-flow .mn-keypad button"
    " { font-size: %dpx; }\n"
    "window.kiosk .mn-flow .mn-keypad-display { font-size: %dpx; }\n",
    body, heading);

  /* The start page's tiles: far larger than the minimum, a finger can
   * hardly miss them; the margins keep neighbours apart. */
  g_string_append_printf (css,
    "window.kiosk button.mn-tile { min-height: %dpx; min-width: %dpx; padding: %dpx %dpx;"
    " margin: %dpx; }\n"
    "window.kiosk button.mn-tile image, window.kiosk .mn-icon { -gtk-icon-size: %dpx; }\n"
    "window.kiosk .mn-sign-icon { -gtk-icon-size: %dpx; }\n",
    MM (34), MM (90), MM (4), MM (8),
    MM (MN_KIOSK_TARGET_GAP_MM / 2 + 1),
    icon_px (MM (12)),
    icon_px (MM (40)));

  /* Signs that cover the page (staff called, more time?) are seen from across the room. */
  g_string_append_printf (css,
    "window.kiosk .mn-sign { background-color: %s; color: %s; padding: %dpx;"
    " border: %dpx solid %s; }\n"
    "window.kiosk .mn-sign > label { color: %s; }\n",
    c->sign_bg, c->sign_fg, MM (12), MM (4), c->sign_fg,
    c->sign_fg);

  /* The handwriting pad: a box a finger can write a character in at the
   * size of a palm, and candidates drawn as large as a heading. */
  g_string_append_printf (css,
    "window.kiosk .mn-handwriting-canvas { min-width: %dpx; min-height: %dpx; }\n"
    "window.kiosk .mn-candidates { border-spacing: %dpx; }\n"
    "window.kiosk button.mn-candidate { min-width: %dpx; min-height: %dpx; font-size: %dpx;"
    " font-weight: 400; padding: %dpx; }\n",
    MM (85), MM (85),
    MM (MN_KIOSK_TARGET_GAP_MM + 2),
    MM (24), MM (24), title, MM (1));

  /* The sync indicator is a line above every page (mn-application.c),
   * inset like the page's own text, its words at the top end corner; the
   * page below it starts with a smaller margin, so that the line costs
   * little more than its own height. Its icon at a size drawn in
   * advance, near the height of the words beside it. */
  g_string_append_printf (css,
    "window.kiosk .mn-sync-indicator { padding: %dpx %dpx 0 %dpx; }\n"
    "window.kiosk .mn-sync-indicator image { -gtk-icon-size: %dpx; }\n"
    "window.kiosk.mn-has-status .mn-page { padding-top: %dpx; }\n",
    MM (2), MM (12), MM (12),
    icon_px (MM (MN_KIOSK_BODY_CAP_MM)),
    MM (1));

#undef MM
  return g_string_free (css, FALSE);
}

struct _MnKioskStyle
{
  GObject         parent_instance;

  GdkDisplay     *display;
  GSettings      *settings;
  GdkMonitor     *monitor;
  GtkCssProvider *provider;
  char           *css;
  char           *language;
  double          dpi_override;
  double          px_per_mm;
  gboolean        high_contrast;
  gboolean        large_text;
};

G_DEFINE_FINAL_TYPE (MnKioskStyle, mn_kiosk_style, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PX_PER_MM,
  PROP_HIGH_CONTRAST,
  PROP_LARGE_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static double
dpi_to_px_per_mm (double dpi)
{
  return dpi / 25.4;
}

static double
monitor_px_per_mm (GdkMonitor *monitor)
{
  GdkRectangle geometry;
  int width_mm = gdk_monitor_get_width_mm (monitor);
  double ppm;

  /* Geometry is in application pixels, which is what CSS sizes are in, so
   * the scale factor needs no special treatment. */
  gdk_monitor_get_geometry (monitor, &geometry);
  ppm = width_mm > 0 ? (double) geometry.width / width_mm : 0;
  if (ppm >= PX_PER_MM_BELIEVABLE_MIN && ppm <= PX_PER_MM_BELIEVABLE_MAX)
    return ppm;
  return MN_KIOSK_FALLBACK_PX_PER_MM;
}

static double
resolve_px_per_mm (MnKioskStyle *self)
{
  const char *env = g_getenv ("MINYIN_DPI");
  GdkMonitor *monitor = self->monitor;

  if (self->dpi_override > 0)
    return dpi_to_px_per_mm (self->dpi_override);

  if (env != NULL && *env != '\0')
    {
      double dpi = g_ascii_strtod (env, NULL);

      if (dpi > 0)
        return dpi_to_px_per_mm (dpi);
      g_warning ("MINYIN_DPI=%s is not a number of pixels per inch; it is ignored.", env);
    }

  if (self->settings != NULL)
    {
      double dpi = g_settings_get_double (self->settings, "dpi");

      if (dpi > 0)
        return dpi_to_px_per_mm (dpi);
    }

  if (monitor != NULL)
    return monitor_px_per_mm (monitor);

  if (self->display != NULL)
    {
      g_autoptr(GdkMonitor) first = g_list_model_get_item (gdk_display_get_monitors (self->display), 0);

      if (first != NULL)
        return monitor_px_per_mm (first);
    }

  return MN_KIOSK_FALLBACK_PX_PER_MM;
}

static void
mn_kiosk_style_update (MnKioskStyle *self)
{
  double ppm = resolve_px_per_mm (self);
  g_autofree char *css = NULL;

  css = mn_kiosk_style_build_css (ppm, self->high_contrast,
                                  self->large_text ? MN_KIOSK_LARGE_TEXT_SCALE : 1.0,
                                  mn_kiosk_font_family_for_language (self->language));
  if (self->language != NULL && g_str_has_prefix (self->language, "ug"))
    {
      /* Arabic-script faces carry their own tall line:
       * mn_kiosk_line_height_for_language(). */
      g_autofree char *base = g_steal_pointer (&css);
      char ug_line[G_ASCII_DTOSTR_BUF_SIZE];

      g_ascii_formatd (ug_line, sizeof ug_line, "%.2f", mn_kiosk_line_height_for_language ("ug"));
      css = g_strconcat (base, "window.kiosk label { line-height: ", ug_line, "; }\n",
                         /* Chinese proper names (places) among Uyghur
                          * keep the Han face's own spacing. */
                         "window.kiosk label.mn-han { line-height: "
                         G_STRINGIFY (MN_KIOSK_LINE_HEIGHT_FACTOR) "; }\n",
                         NULL);
    }
  if (self->language == NULL || !g_str_has_prefix (self->language, "zh"))
    {
      /* Chinese proper names (places) in another language's text are
       * drawn by the Han face, digits included: "2幢 2单元" takes its
       * digits from the first face that has digits, which in Uyghur is
       * the Arabic one, and Pango then draws the Han characters of the
       * same line a good third of their height lower than those digits
       * (in English, Noto Sans's digits stand a little high). The face
       * that draws the Han characters has digits of the same design and
       * line. The language's own faces follow, for any of its words. */
      g_autofree char *base = g_steal_pointer (&css);

      css = g_strdup_printf ("%swindow.kiosk label.mn-han { font-family: \"Noto Sans CJK SC\", %s; }\n",
                             base, mn_kiosk_font_family_for_language (self->language));
    }
  if (self->css != NULL && g_str_equal (css, self->css) && ppm == self->px_per_mm)
    return;

  gtk_css_provider_load_from_data (self->provider, css, -1);
  g_free (self->css);
  self->css = g_steal_pointer (&css);

  if (ppm != self->px_per_mm)
    {
      self->px_per_mm = ppm;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PX_PER_MM]);
    }
}

static void
on_parsing_error (GtkCssProvider *provider,
                  GtkCssSection  *section,
                  const GError   *error,
                  gpointer        user_data)
{
  g_autofree char *where = gtk_css_section_to_string (section);

  /* A generated stylesheet that does not parse is a bug in this file. */
  g_critical ("The generated kiosk stylesheet is wrong at %s: %s", where, error->message);
}

static void
on_dpi_changed (MnKioskStyle *self)
{
  mn_kiosk_style_update (self);
}

static void
mn_kiosk_style_dispose (GObject *object)
{
  MnKioskStyle *self = MN_KIOSK_STYLE (object);

  if (self->provider != NULL && self->display != NULL)
    gtk_style_context_remove_provider_for_display (self->display,
                                                   GTK_STYLE_PROVIDER (self->provider));
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->provider);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_object (&self->display);

  G_OBJECT_CLASS (mn_kiosk_style_parent_class)->dispose (object);
}

static void
mn_kiosk_style_finalize (GObject *object)
{
  MnKioskStyle *self = MN_KIOSK_STYLE (object);

  g_free (self->css);
  g_free (self->language);

  G_OBJECT_CLASS (mn_kiosk_style_parent_class)->finalize (object);
}

static void
mn_kiosk_style_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MnKioskStyle *self = MN_KIOSK_STYLE (object);

  switch (prop_id)
    {
    case PROP_PX_PER_MM:
      g_value_set_double (value, self->px_per_mm);
      break;
    case PROP_HIGH_CONTRAST:
      g_value_set_boolean (value, self->high_contrast);
      break;
    case PROP_LARGE_TEXT:
      g_value_set_boolean (value, self->large_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_kiosk_style_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  MnKioskStyle *self = MN_KIOSK_STYLE (object);

  switch (prop_id)
    {
    case PROP_HIGH_CONTRAST:
      mn_kiosk_style_set_high_contrast (self, g_value_get_boolean (value));
      break;
    case PROP_LARGE_TEXT:
      mn_kiosk_style_set_large_text (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_kiosk_style_class_init (MnKioskStyleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mn_kiosk_style_dispose;
  object_class->finalize = mn_kiosk_style_finalize;
  object_class->get_property = mn_kiosk_style_get_property;
  object_class->set_property = mn_kiosk_style_set_property;

  properties[PROP_PX_PER_MM] =
    g_param_spec_double ("px-per-mm", NULL, NULL, 0, G_MAXDOUBLE, MN_KIOSK_FALLBACK_PX_PER_MM,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HIGH_CONTRAST] =
    g_param_spec_boolean ("high-contrast", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LARGE_TEXT] =
    g_param_spec_boolean ("large-text", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
mn_kiosk_style_init (MnKioskStyle *self)
{
  self->provider = gtk_css_provider_new ();
  g_signal_connect (self->provider, "parsing-error", G_CALLBACK (on_parsing_error), NULL);
  self->language = mn_kiosk_display_language ();
}

MnKioskStyle *
mn_kiosk_style_new (GdkDisplay *display,
                    GSettings  *settings)
{
  MnKioskStyle *self;

  g_return_val_if_fail (GDK_IS_DISPLAY (display), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  self = g_object_new (MN_TYPE_KIOSK_STYLE, NULL);
  self->display = g_object_ref (display);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      self->high_contrast = g_settings_get_boolean (settings, "high-contrast");
      self->large_text = g_settings_get_boolean (settings, "large-text");
      g_settings_bind (settings, "high-contrast", self, "high-contrast", G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "large-text", self, "large-text", G_SETTINGS_BIND_DEFAULT);
      g_signal_connect_swapped (settings, "changed::dpi", G_CALLBACK (on_dpi_changed), self);
    }

  /* Above the application's own style.css (which libadwaita loads at
   * APPLICATION priority) and below the user's. */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (self->provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION + 1);
  mn_kiosk_style_update (self);

  return self;
}

void
mn_kiosk_style_set_monitor (MnKioskStyle *self,
                            GdkMonitor   *monitor)
{
  g_return_if_fail (MN_IS_KIOSK_STYLE (self));
  g_return_if_fail (monitor == NULL || GDK_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    {
      g_signal_connect_swapped (monitor, "notify::geometry", G_CALLBACK (on_dpi_changed), self);
      g_signal_connect_swapped (monitor, "notify::width-mm", G_CALLBACK (on_dpi_changed), self);
    }
  mn_kiosk_style_update (self);
}

double
mn_kiosk_style_get_px_per_mm (MnKioskStyle *self)
{
  g_return_val_if_fail (MN_IS_KIOSK_STYLE (self), MN_KIOSK_FALLBACK_PX_PER_MM);

  return self->px_per_mm;
}

gboolean
mn_kiosk_style_get_high_contrast (MnKioskStyle *self)
{
  g_return_val_if_fail (MN_IS_KIOSK_STYLE (self), FALSE);

  return self->high_contrast;
}

void
mn_kiosk_style_set_high_contrast (MnKioskStyle *self,
                                  gboolean      high_contrast)
{
  g_return_if_fail (MN_IS_KIOSK_STYLE (self));

  high_contrast = !!high_contrast;
  if (self->high_contrast == high_contrast)
    return;
  self->high_contrast = high_contrast;
  mn_kiosk_style_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HIGH_CONTRAST]);
}

gboolean
mn_kiosk_style_get_large_text (MnKioskStyle *self)
{
  g_return_val_if_fail (MN_IS_KIOSK_STYLE (self), FALSE);

  return self->large_text;
}

void
mn_kiosk_style_set_large_text (MnKioskStyle *self,
                               gboolean      large_text)
{
  g_return_if_fail (MN_IS_KIOSK_STYLE (self));

  large_text = !!large_text;
  if (self->large_text == large_text)
    return;
  self->large_text = large_text;
  mn_kiosk_style_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LARGE_TEXT]);
}

void
mn_kiosk_style_set_dpi (MnKioskStyle *self,
                        double        dpi)
{
  g_return_if_fail (MN_IS_KIOSK_STYLE (self));
  g_return_if_fail (dpi >= 0);

  self->dpi_override = dpi;
  mn_kiosk_style_update (self);
}

const char *
mn_kiosk_style_get_css (MnKioskStyle *self)
{
  g_return_val_if_fail (MN_IS_KIOSK_STYLE (self), NULL);

  return self->css;
}

void
mn_kiosk_style_set_language (MnKioskStyle *self,
                             const char   *language)
{
  g_return_if_fail (MN_IS_KIOSK_STYLE (self));

  if (g_strcmp0 (self->language, language) == 0)
    return;
  g_free (self->language);
  self->language = language != NULL ? g_strdup (language) : mn_kiosk_display_language ();
  mn_kiosk_style_update (self);
}

const char *
mn_kiosk_style_get_language (MnKioskStyle *self)
{
  g_return_val_if_fail (MN_IS_KIOSK_STYLE (self), NULL);

  return self->language;
}
