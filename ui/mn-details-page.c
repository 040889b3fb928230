/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "mn-details-page.h"
#include "mn-flow-frame.h"
#include "mn-window.h"

struct _MnDetailsPage
{
  AdwBin      parent_instance;

  MnFlowFrame *frame;
  GtkGrid     *phrase_grid;
  GtkButton   *next_button;
  GtkButton   *write_button;

  char        *written; /* what the person wrote on the write page, or NULL */

  GPtrArray   *phrases; /* char*, as shown */
  GPtrArray   *toggles; /* GtkToggleButton*, borrowed from the grid */
};

G_DEFINE_FINAL_TYPE (MnDetailsPage, mn_details_page, ADW_TYPE_BIN)

enum
{
  SIGNAL_NEXT,
  SIGNAL_WRITE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static MnWindow *
get_window (MnDetailsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return MN_IS_WINDOW (root) ? MN_WINDOW (root) : NULL;
}

static void
clear_phrases (MnDetailsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->phrase_grid))) != NULL)
    gtk_grid_remove (self->phrase_grid, child);
  g_ptr_array_set_size (self->toggles, 0);
  g_ptr_array_set_size (self->phrases, 0);
}

static void
toggle_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);
  guint index = (guint) g_ascii_strtoull (g_variant_get_string (parameter, NULL), NULL, 10);
  GtkToggleButton *toggle;
  gboolean active;

  if (index >= self->toggles->len)
    return;
  toggle = g_ptr_array_index (self->toggles, index);
  active = !gtk_toggle_button_get_active (toggle);
  gtk_toggle_button_set_active (toggle, active);
  if (get_window (self) != NULL)
    {
      g_autofree char *said = NULL;

      /* Translators: said when a phrase is unselected; %s is the phrase. */
      said = active ? g_strdup (g_ptr_array_index (self->phrases, index))
                    : g_strdup_printf (_("Removed: %s"),
                                       (char *) g_ptr_array_index (self->phrases, index));
      mn_window_say_button (get_window (self), said);
    }
}

static void
next_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);
  g_autofree char *text = mn_details_page_dup_text (self);

  if (text == NULL)
    {
      if (get_window (self) != NULL)
        mn_window_announce (get_window (self), _("Please touch at least one sentence first."));
      return;
    }
  g_signal_emit (self, signals[SIGNAL_NEXT], 0);
}

static void
write_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (widget);

  if (get_window (self) != NULL)
    mn_window_say_button (get_window (self), gtk_button_get_label (self->write_button));
  g_signal_emit (self, signals[SIGNAL_WRITE], 0);
}

static void
mn_details_page_finalize (GObject *object)
{
  g_free (MN_DETAILS_PAGE (object)->written);

  G_OBJECT_CLASS (mn_details_page_parent_class)->finalize (object);
}

static void
mn_details_page_dispose (GObject *object)
{
  MnDetailsPage *self = MN_DETAILS_PAGE (object);

  g_clear_pointer (&self->phrases, g_ptr_array_unref);
  g_clear_pointer (&self->toggles, g_ptr_array_unref);

  G_OBJECT_CLASS (mn_details_page_parent_class)->dispose (object);
}

static void
mn_details_page_class_init (MnDetailsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = mn_details_page_dispose;
  object_class->finalize = mn_details_page_finalize;

  signals[SIGNAL_NEXT] = g_signal_new ("next", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                       NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_WRITE] = g_signal_new ("write", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/minyin/Terminal/mn-details-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, frame);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, phrase_grid);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, MnDetailsPage, write_button);
  gtk_widget_class_install_action (widget_class, "details.toggle", "s", toggle_action);
  gtk_widget_class_install_action (widget_class, "details.next", NULL, next_action);
  gtk_widget_class_install_action (widget_class, "details.write", NULL, write_action);
}

static void
mn_details_page_init (MnDetailsPage *self)
{
  self->phrases = g_ptr_array_new_with_free_func (g_free);
  self->toggles = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
mn_details_page_new (void)
{
  return g_object_new (MN_TYPE_DETAILS_PAGE, NULL);
}

void
mn_details_page_set_category (MnDetailsPage    *self,
                              const MnCategory *category)
{
  guint n;

  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  clear_phrases (self);
  if (category == NULL)
    return;

  n = mn_category_get_n_phrases (category);
  for (guint i = 0; i < n; i++)
    {
      const char *phrase = mn_category_get_phrase (category, i);
      g_autofree char *name = g_strdup_printf ("phrase-%u", i);
      g_autofree char *target = g_strdup_printf ("%u", i);
      GtkWidget *toggle = gtk_toggle_button_new ();
      GtkWidget *label = gtk_label_new (phrase);

      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_button_set_child (GTK_BUTTON (toggle), label);
      gtk_widget_set_name (toggle, name);
      gtk_widget_add_css_class (toggle, "mn-choice");
      gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      phrase, -1);
      /* A plain action, not the toggle's own: the page decides and says
       * what happened, so every touch is heard. */
      gtk_actionable_set_action_name (GTK_ACTIONABLE (toggle), "details.toggle");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (toggle), "s", target);
      gtk_grid_attach (self->phrase_grid, toggle, i % 2, i / 2, 1, 1);
      g_ptr_array_add (self->toggles, toggle);
      g_ptr_array_add (self->phrases, g_strdup (phrase));
    }
}

char *
mn_details_page_dup_text (MnDetailsPage *self)
{
  GString *text = NULL;

  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  for (guint i = 0; i < self->toggles->len; i++)
    {
      if (!gtk_toggle_button_get_active (g_ptr_array_index (self->toggles, i)))
        continue;
      if (text == NULL)
        text = g_string_new (NULL);
      else
        /* Translators: joins the chosen phrases into one description. */
        g_string_append (text, _("; "));
      g_string_append (text, g_ptr_array_index (self->phrases, i));
    }
  /* The person's own words come after the sentences they chose. */
  if (self->written != NULL)
    {
      if (text == NULL)
        text = g_string_new (NULL);
      else
        g_string_append (text, _("; "));
      g_string_append (text, self->written);
    }
  return text != NULL ? g_string_free (text, FALSE) : NULL;
}

GtkWidget *
mn_details_page_get_phrase (MnDetailsPage *self,
                            guint          index)
{
  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  return index < self->toggles->len ? g_ptr_array_index (self->toggles, index) : NULL;
}

void
mn_details_page_reset (MnDetailsPage *self)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  clear_phrases (self);
  g_clear_pointer (&self->written, g_free);
}

void
mn_details_page_set_written (MnDetailsPage *self,
                             const char    *text)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  g_free (self->written);
  self->written = text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

void
mn_details_page_set_can_write (MnDetailsPage *self,
                               gboolean       can_write)
{
  g_return_if_fail (MN_IS_DETAILS_PAGE (self));

  gtk_widget_set_visible (GTK_WIDGET (self->write_button), can_write);
}

GtkWidget *
mn_details_page_get_write_button (MnDetailsPage *self)
{
  g_return_val_if_fail (MN_IS_DETAILS_PAGE (self), NULL);

  return GTK_WIDGET (self->write_button);
}
