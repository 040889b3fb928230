/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-i18n.h"
#include "mn-kiosk-style.h"
#include "mn-language-page.h"

struct _MnLanguagePage
{
  AdwBin      parent_instance;

  GtkLabel   *title_label;
  GtkLabel   *lead_label;
  GtkGrid    *language_grid;

  GHashTable *buttons; /* code → GtkButton (borrowed from the grid) */
};

G_DEFINE_FINAL_TYPE (MnLanguagePage, mn_language_page, ADW_TYPE_BIN)

/* The name of a language is drawn as that language whatever the screen
 * is in: 繁體中文 in Traditional shapes even on a Simplified screen. */
static GtkWidget *
build_button (const MnLanguage *language)
{
  g_autofree char *name = g_strdup_printf ("language-%s", language->code);
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();
  g_autofree char *family = g_strdup (mn_kiosk_font_family_for_language (language->code));
  GtkWidget *button = gtk_button_new ();
  GtkWidget *label = gtk_label_new (language->native_name);

  /* A CSS family list is quoted; Pango wants it bare. */
  g_strdelimit (family, "\"", ' ');
  pango_attr_list_insert (attrs, pango_attr_language_new (
                                   pango_language_from_string (language->pango_language)));
  pango_attr_list_insert (attrs, pango_attr_family_new (g_strstrip (family)));
  /* And with its own line spacing: on a Uyghur screen the stylesheet's
   * spacing is for the Arabic face, and 简体中文 or English in it would
   * have lines closer than the kiosk allows. */
  pango_attr_list_insert (attrs, pango_attr_line_height_new (
                                   mn_kiosk_line_height_for_language (language->code)));
  gtk_label_set_attributes (GTK_LABEL (label), attrs);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_CENTER);
  gtk_widget_set_direction (label, language->right_to_left ? GTK_TEXT_DIR_RTL : GTK_TEXT_DIR_LTR);

  gtk_widget_set_name (button, name);
  gtk_widget_add_css_class (button, "mn-tile");
  gtk_button_set_child (GTK_BUTTON (button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  language->native_name, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.set-language");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", language->code);
  return button;
}

static void
mn_language_page_dispose (GObject *object)
{
  MnLanguagePage *self = MN_LANGUAGE_PAGE (object);

  g_clear_pointer (&self->buttons, g_hash_table_unref);

  G_OBJECT_CLASS (mn_language_page_parent_class)->dispose (object);
}

static void
mn_language_page_class_init (MnLanguagePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_language_page_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-language-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnLanguagePage, title_label);
  gtk_widget_class_bind_template_child (widget_class, MnLanguagePage, lead_label);
  gtk_widget_class_bind_template_child (widget_class, MnLanguagePage, language_grid);
}

static void
mn_language_page_init (MnLanguagePage *self)
{
  guint n = 0;
  const MnLanguage *languages = mn_i18n_get_languages (&n);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->buttons = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->title_label),
                                  GTK_ACCESSIBLE_PROPERTY_LEVEL, 1, -1);

  /* Two columns, in the fixed order of the list, so a language is always
   * in the same place whichever language the screen is in. */
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *button = build_button (&languages[i]);

      gtk_grid_attach (self->language_grid, button, i % 2, i / 2, 1, 1);
      g_hash_table_insert (self->buttons, (gpointer) languages[i].code, button);
    }
}

GtkWidget *
mn_language_page_new (void)
{
  return g_object_new (MN_TYPE_LANGUAGE_PAGE, NULL);
}

GtkWidget *
mn_language_page_get_button (MnLanguagePage *self,
                             const char     *code)
{
  g_return_val_if_fail (MN_IS_LANGUAGE_PAGE (self), NULL);
  g_return_val_if_fail (code != NULL, NULL);

  return g_hash_table_lookup (self->buttons, code);
}

char *
mn_language_page_get_speech (MnLanguagePage *self)
{
  g_return_val_if_fail (MN_IS_LANGUAGE_PAGE (self), NULL);

  return g_strdup_printf ("%s\n%s", gtk_label_get_label (self->title_label),
                          gtk_label_get_label (self->lead_label));
}

static GtkWidget *
language_page_factory (MnWindow *window,
                       gpointer  user_data)
{
  GtkWidget *page = mn_language_page_new ();
  g_autofree char *speech = mn_language_page_get_speech (MN_LANGUAGE_PAGE (page));

  mn_window_set_page_speech (window, "language", speech);
  return page;
}

void
mn_language_page_register (MnWindow *window)
{
  g_autoptr(MnStartItem) item = NULL;

  g_return_if_fail (MN_IS_WINDOW (window));

  item = mn_start_item_new_translatable ("language",
                                         /* Translators: the start screen's button to the
                                          * language page. Keep "Language" in English beside
                                          * your word, so that anyone can find it whatever
                                          * the screen is in (e.g. "语言 Language"). */
                                         N_("Language"), "preferences-desktop-locale-symbolic",
                                         "win.show-page", g_variant_new_string ("language"),
                                         MN_START_ITEM_TILE, 900);
  mn_window_add_page_factory (window, "language", language_page_factory, NULL, NULL, item);
}
