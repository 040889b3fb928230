/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The kiosk's sizes, in millimetres on the glass (ACCESSIBILITY.md). They
 * are turned into pixels with the screen's real density, so a target is as
 * large under a finger on a 10" tablet as on a 21.5" kiosk. */
#define MN_KIOSK_TARGET_MIN_MM     16.0 /* shortest side of anything pressed */
#define MN_KIOSK_TARGET_GAP_MM      8.0 /* between two targets */
#define MN_KIOSK_BODY_CAP_MM        7.0 /* cap height of body text */
#define MN_KIOSK_HEADING_CAP_MM    10.0
#define MN_KIOSK_TITLE_CAP_MM      13.0
#define MN_KIOSK_LINE_SPACING       1.4  /* baseline to baseline, in font sizes */
/* Pango's line-height multiplies the font's own line height (ascent +
 * descent): 1.45 em in Noto Sans CJK, 1.36 em in Noto Sans. This factor
 * brings both to at least MN_KIOSK_LINE_SPACING. */
#define MN_KIOSK_LINE_HEIGHT_FACTOR 1.05
#define MN_KIOSK_LARGE_TEXT_SCALE   1.5
#define MN_KIOSK_LARGE_HEADING_SCALE 1.15 /* headings and titles grow less */
#define MN_KIOSK_TEXT_CONTRAST_MIN  7.0
#define MN_KIOSK_OTHER_CONTRAST_MIN 4.5

/* Used when neither a configured DPI nor a believable monitor size is
 * known: a 21.5" full-HD kiosk, the most common size in service stations. */
#define MN_KIOSK_FALLBACK_PX_PER_MM (1920.0 / 476.0)

/* One colour pair the stylesheet uses, with what it must reach. */
typedef struct
{
  const char *role;         /* what it paints, for test messages */
  const char *foreground;   /* #rrggbb */
  const char *background;   /* #rrggbb */
  double      min_contrast; /* MN_KIOSK_TEXT_CONTRAST_MIN or _OTHER_ */
} MnKioskColorPair;

/* The pairs of the normal or the high-contrast palette, ending with a
 * zeroed entry. Tests check every pair against its minimum. */
const MnKioskColorPair *mn_kiosk_style_palette (gboolean high_contrast);

/* WCAG 2 contrast ratio of two #rrggbb colours, from 1 to 21. */
double mn_kiosk_contrast_ratio (const char *color_a,
                                const char *color_b);

/* The generated stylesheet for a density, a palette, a text scale and a
 * font family list (CSS syntax). Pure, so tests can read it. */
char *mn_kiosk_style_build_css (double      px_per_mm,
                                gboolean    high_contrast,
                                double      text_scale,
                                const char *font_family);

/* The font families that draw the display language's script with the
 * right glyph shapes: Han characters differ between Simplified Chinese,
 * Traditional Chinese and Japanese. */
const char *mn_kiosk_font_family_for_language (const char *language);
/* The CSS line-height (a factor of the face's own line) that keeps the
 * language's lines MN_KIOSK_LINE_SPACING apart: Arabic-script faces have
 * a far taller line of their own than the Chinese and Latin ones. For
 * text in a language other than the screen's (the names on the language
 * page, Chinese place names among Uyghur). */
double      mn_kiosk_line_height_for_language (const char *language);

/* For a label that shows place names separated by spaces ("文昌花园 2幢
 * 2单元"): attributes that let its lines break only between the names,
 * never inside one (Unicode allows a break between "2" and "幢", and a
 * wrapped address would read "… 2" / "幢 …"). Set them again whenever the
 * label's text changes; NULL for an empty @text. */
PangoAttrList *mn_kiosk_place_names_attributes (const char *text);

/* For a label whose text may mix Chinese (a question from the platform,
 * a place name) into a sentence of @language: attributes that draw each
 * stretch of Han characters (with the digits and Chinese punctuation in
 * and just before it) in the Han face with its own line spacing, as the
 * class mn-han does for a whole label. NULL when @language is Chinese or
 * @text has no Han character. Set them again whenever the text changes. */
PangoAttrList *mn_kiosk_han_attributes         (const char *text,
                                                const char *language);

/* The language the interface is shown in, as a gettext locale name
 * ("zh_CN", "en_US", ...), from LANGUAGE / LC_MESSAGES. */
char *mn_kiosk_display_language (void);

#define MN_TYPE_KIOSK_STYLE (mn_kiosk_style_get_type ())
G_DECLARE_FINAL_TYPE (MnKioskStyle, mn_kiosk_style, MN, KIOSK_STYLE, GObject)

/* Installs a generated style provider on @display and keeps it in step with
 * @settings (may be NULL: defaults are used), the MINYIN_DPI environment
 * variable and the monitor. */
MnKioskStyle *mn_kiosk_style_new           (GdkDisplay   *display,
                                            GSettings    *settings);
/* Measures density on @monitor from now on (NULL: the display's first). */
void          mn_kiosk_style_set_monitor   (MnKioskStyle *self,
                                            GdkMonitor   *monitor);
double        mn_kiosk_style_get_px_per_mm (MnKioskStyle *self);
gboolean      mn_kiosk_style_get_high_contrast (MnKioskStyle *self);
void          mn_kiosk_style_set_high_contrast (MnKioskStyle *self,
                                                gboolean      high_contrast);
gboolean      mn_kiosk_style_get_large_text    (MnKioskStyle *self);
void          mn_kiosk_style_set_large_text    (MnKioskStyle *self,
                                                gboolean      large_text);
/* Overrides the density (0 returns to settings / environment / monitor). */
void          mn_kiosk_style_set_dpi           (MnKioskStyle *self,
                                                double        dpi);
/* The display language (mn-i18n.h code) whose fonts the stylesheet lists
 * first: Simplified or Traditional Han shapes, an Arabic-script face. */
void          mn_kiosk_style_set_language      (MnKioskStyle *self,
                                                const char   *language);
const char   *mn_kiosk_style_get_language      (MnKioskStyle *self);
/* The stylesheet now installed. */
const char   *mn_kiosk_style_get_css           (MnKioskStyle *self);

G_END_DECLS
