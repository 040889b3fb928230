/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "mn-keypad.h"
#include "mn-window.h"

/* Longer input than this is never a case code, a case number or a phone
 * number; the bound keeps a stuck key from growing the string for ever. */
#define HARD_MAX_DIGITS 32

struct _MnKeypad
{
  GtkWidget  parent_instance;

  GtkLabel  *display;
  GtkWidget *grid;
  GtkButton *enter_button;
  GtkWidget *point_button; /* owned by the grid; NULL unless allow-point */

  GString   *digits;
  guint      max_digits;
  char      *groups;
  char      *enter_label;
  char      *placeholder;
  gboolean   allow_point;
  gboolean   secret;
};

G_DEFINE_FINAL_TYPE (MnKeypad, mn_keypad, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_TEXT,
  PROP_MAX_DIGITS,
  PROP_GROUPS,
  PROP_ENTER_LABEL,
  PROP_PLACEHOLDER,
  PROP_ALLOW_POINT,
  PROP_SECRET,
  N_PROPS
};

enum
{
  SIGNAL_ACTIVATE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* Overwrites the digits before letting them go: a phone number must not
 * linger in freed memory for the next person's session to find. */
static void
wipe_digits (GString *digits)
{
  memset (digits->str, 0, digits->allocated_len);
  g_string_truncate (digits, 0);
}

char *
mn_keypad_format (MnKeypad *self)
{
  g_auto(GStrv) sizes = NULL;
  GString *out;
  gsize pos = 0;

  g_return_val_if_fail (MN_IS_KEYPAD (self), NULL);

  out = g_string_new (NULL);
  if (self->groups != NULL && *self->groups != '\0')
    sizes = g_strsplit (self->groups, ",", -1);

  for (guint i = 0; sizes != NULL && sizes[i] != NULL && pos < self->digits->len; i++)
    {
      guint64 n = g_ascii_strtoull (sizes[i], NULL, 10);

      if (n == 0)
        continue;
      n = MIN (n, self->digits->len - pos);
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append_len (out, self->digits->str + pos, (gssize) n);
      pos += n;
    }
  if (pos < self->digits->len)
    {
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, self->digits->str + pos);
    }

  return g_string_free (out, FALSE);
}

static void
update_display (MnKeypad *self)
{
  g_autofree char *shown = NULL;

  if (self->digits->len == 0)
    {
      gtk_label_set_label (self->display, self->placeholder != NULL ? self->placeholder : "");
      gtk_widget_add_css_class (GTK_WIDGET (self->display), "mn-lead");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->display),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      self->placeholder != NULL ? self->placeholder : "", -1);
      return;
    }

  if (self->secret)
    {
      /* A PIN: one dot per digit, so a person sees how many they typed
       * and nobody behind them sees which. */
      GString *dots = g_string_new (NULL);

      for (gsize i = 0; i < self->digits->len; i++)
        g_string_append (dots, i > 0 ? " ●" : "●");
      shown = g_string_free (dots, FALSE);
    }
  else
    shown = mn_keypad_format (self);
  gtk_widget_remove_css_class (GTK_WIDGET (self->display), "mn-lead");
  gtk_label_set_label (self->display, shown);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->display), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  shown, -1);
}

static void
say (MnKeypad   *self,
     const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL && MN_IS_WINDOW (root))
    mn_window_announce (MN_WINDOW (root), text);
}

/* A touched key says what it is; unlike a message, "repeat" does not say
 * it again. */
static void
say_key (MnKeypad   *self,
         const char *name)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (root != NULL && MN_IS_WINDOW (root))
    mn_window_say_button (MN_WINDOW (root), name);
}

static void
text_changed (MnKeypad *self)
{
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
}

static guint
effective_max (MnKeypad *self)
{
  return self->max_digits > 0 ? MIN (self->max_digits, HARD_MAX_DIGITS) : HARD_MAX_DIGITS;
}

static void
append_digit (MnKeypad *self,
              char      digit)
{
  char spoken[2] = { digit, '\0' };

  g_assert (g_ascii_isdigit (digit));

  if (self->digits->len >= effective_max (self))
    {
      g_autofree char *full = g_strdup_printf (ngettext ("That is all %u digit; press Delete to "
                                                         "change it.",
                                                         "That is all %u digits; press Delete to "
                                                         "change one.",
                                                         effective_max (self)),
                                               effective_max (self));
      say (self, full);
      return;
    }

  g_string_append_c (self->digits, digit);
  /* Translators: spoken for each digit of a PIN instead of the digit,
   * which the room must not hear. */
  say_key (self, self->secret ? _("Typed") : spoken);
  text_changed (self);
}

/* One decimal point, after at least one digit ("0." when it comes first,
 * as people say "zero point five"). */
static void
append_point (MnKeypad *self)
{
  if (!self->allow_point)
    return;
  /* Translators: spoken when the keypad's decimal point key is touched. */
  say_key (self, _("Point"));
  if (strchr (self->digits->str, '.') != NULL || self->digits->len + 2 > effective_max (self))
    return;
  if (self->digits->len == 0)
    g_string_append_c (self->digits, '0');
  g_string_append_c (self->digits, '.');
  text_changed (self);
}

static void
point_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  append_point (MN_KEYPAD (widget));
}

static void
digit_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MnKeypad *self = MN_KEYPAD (widget);
  const char *digit = g_variant_get_string (parameter, NULL);

  if (strlen (digit) == 1 && g_ascii_isdigit (digit[0]))
    append_digit (self, digit[0]);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  MnKeypad *self = MN_KEYPAD (widget);

  /* Translators: spoken when the keypad's Delete key is touched. */
  say_key (self, _("Delete"));
  if (self->digits->len == 0)
    return;
  self->digits->str[self->digits->len - 1] = '\0';
  g_string_truncate (self->digits, self->digits->len - 1);
  text_changed (self);
}

static void
clear_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  MnKeypad *self = MN_KEYPAD (widget);

  /* Translators: spoken when the keypad's Clear key is touched. */
  say_key (self, _("Cleared"));
  mn_keypad_clear (self);
}

static void
enter_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  g_signal_emit (widget, signals[SIGNAL_ACTIVATE], 0);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                MnKeypad              *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);

  if (c >= '0' && c <= '9')
    {
      append_digit (self, (char) c);
      return TRUE;
    }
  if (c == '.' && self->allow_point)
    {
      append_point (self);
      return TRUE;
    }
  switch (keyval)
    {
    case GDK_KEY_BackSpace:
    case GDK_KEY_KP_Delete:
      gtk_widget_activate_action (GTK_WIDGET (self), "keypad.delete", NULL);
      return TRUE;
    case GDK_KEY_Escape:
      gtk_widget_activate_action (GTK_WIDGET (self), "keypad.clear", NULL);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
      gtk_widget_activate_action (GTK_WIDGET (self), "keypad.enter", NULL);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
mn_keypad_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MnKeypad *self = MN_KEYPAD (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, self->digits->str);
      break;
    case PROP_MAX_DIGITS:
      g_value_set_uint (value, self->max_digits);
      break;
    case PROP_GROUPS:
      g_value_set_string (value, self->groups);
      break;
    case PROP_ENTER_LABEL:
      g_value_set_string (value, self->enter_label);
      break;
    case PROP_PLACEHOLDER:
      g_value_set_string (value, self->placeholder);
      break;
    case PROP_ALLOW_POINT:
      g_value_set_boolean (value, self->allow_point);
      break;
    case PROP_SECRET:
      g_value_set_boolean (value, self->secret);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_keypad_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MnKeypad *self = MN_KEYPAD (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      mn_keypad_set_text (self, g_value_get_string (value));
      break;
    case PROP_MAX_DIGITS:
      mn_keypad_set_max_digits (self, g_value_get_uint (value));
      break;
    case PROP_GROUPS:
      mn_keypad_set_groups (self, g_value_get_string (value));
      break;
    case PROP_ENTER_LABEL:
      mn_keypad_set_enter_label (self, g_value_get_string (value));
      break;
    case PROP_PLACEHOLDER:
      mn_keypad_set_placeholder (self, g_value_get_string (value));
      break;
    case PROP_ALLOW_POINT:
      mn_keypad_set_allow_point (self, g_value_get_boolean (value));
      break;
    case PROP_SECRET:
      mn_keypad_set_secret (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_keypad_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), MN_TYPE_KEYPAD);

  G_OBJECT_CLASS (mn_keypad_parent_class)->dispose (object);
}

static void
mn_keypad_finalize (GObject *object)
{
  MnKeypad *self = MN_KEYPAD (object);

  wipe_digits (self->digits);
  g_string_free (self->digits, TRUE);
  g_free (self->groups);
  g_free (self->enter_label);
  g_free (self->placeholder);

  G_OBJECT_CLASS (mn_keypad_parent_class)->finalize (object);
}

static void
mn_keypad_class_init (MnKeypadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mn_keypad_get_property;
  object_class->set_property = mn_keypad_set_property;
  object_class->dispose = mn_keypad_dispose;
  object_class->finalize = mn_keypad_finalize;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, "",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_DIGITS] =
    g_param_spec_uint ("max-digits", NULL, NULL, 0, HARD_MAX_DIGITS, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GROUPS] =
    g_param_spec_string ("groups", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENTER_LABEL] =
    g_param_spec_string ("enter-label", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PLACEHOLDER] =
    g_param_spec_string ("placeholder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ALLOW_POINT] =
    g_param_spec_boolean ("allow-point", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRET] =
    g_param_spec_boolean ("secret", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/org/minyin/Terminal/mn-keypad.ui");
  gtk_widget_class_bind_template_child (widget_class, MnKeypad, display);
  gtk_widget_class_bind_template_child (widget_class, MnKeypad, grid);
  gtk_widget_class_bind_template_child (widget_class, MnKeypad, enter_button);

  gtk_widget_class_install_action (widget_class, "keypad.digit", "s", digit_action);
  gtk_widget_class_install_action (widget_class, "keypad.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "keypad.clear", NULL, clear_action);
  gtk_widget_class_install_action (widget_class, "keypad.enter", NULL, enter_action);
  gtk_widget_class_install_action (widget_class, "keypad.point", NULL, point_action);

  gtk_widget_class_set_css_name (widget_class, "keypad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
mn_keypad_init (MnKeypad *self)
{
  GtkEventController *keys;

  self->digits = g_string_sized_new (HARD_MAX_DIGITS + 1);
  gtk_widget_init_template (GTK_WIDGET (self));
  /* A keypad reads 1-2-3 from the left in every language, as on every
   * telephone: it is not mirrored for a right-to-left language. */
  gtk_widget_set_direction (self->grid, GTK_TEXT_DIR_LTR);
  gtk_widget_set_direction (GTK_WIDGET (self->display), GTK_TEXT_DIR_LTR);

  mn_keypad_set_enter_label (self, NULL);
  update_display (self);

  keys = gtk_event_controller_key_new ();
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

GtkWidget *
mn_keypad_new (void)
{
  return g_object_new (MN_TYPE_KEYPAD, NULL);
}

const char *
mn_keypad_get_text (MnKeypad *self)
{
  g_return_val_if_fail (MN_IS_KEYPAD (self), NULL);

  return self->digits->str;
}

void
mn_keypad_set_text (MnKeypad   *self,
                    const char *text)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  if (g_strcmp0 (text, self->digits->str) == 0 || (text == NULL && self->digits->len == 0))
    return;

  wipe_digits (self->digits);
  /* Only digits (and one point where allowed), and no more than allowed:
   * what is shown is what is held. */
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    if ((g_ascii_isdigit (*p) ||
         (*p == '.' && self->allow_point && self->digits->len > 0 &&
          strchr (self->digits->str, '.') == NULL)) &&
        self->digits->len < effective_max (self))
      g_string_append_c (self->digits, *p);
  text_changed (self);
}

void
mn_keypad_clear (MnKeypad *self)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  if (self->digits->len == 0)
    return;
  wipe_digits (self->digits);
  text_changed (self);
}

guint
mn_keypad_get_max_digits (MnKeypad *self)
{
  g_return_val_if_fail (MN_IS_KEYPAD (self), 0);

  return self->max_digits;
}

void
mn_keypad_set_max_digits (MnKeypad *self,
                          guint     max_digits)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  if (self->max_digits == max_digits)
    return;
  self->max_digits = max_digits;
  if (self->digits->len > effective_max (self))
    {
      memset (self->digits->str + effective_max (self), 0,
              self->digits->len - effective_max (self));
      g_string_truncate (self->digits, effective_max (self));
      text_changed (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_DIGITS]);
}

const char *
mn_keypad_get_groups (MnKeypad *self)
{
  g_return_val_if_fail (MN_IS_KEYPAD (self), NULL);

  return self->groups;
}

void
mn_keypad_set_groups (MnKeypad   *self,
                      const char *groups)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  if (g_strcmp0 (self->groups, groups) == 0)
    return;
  g_free (self->groups);
  self->groups = g_strdup (groups);
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GROUPS]);
}

const char *
mn_keypad_get_enter_label (MnKeypad *self)
{
  g_return_val_if_fail (MN_IS_KEYPAD (self), NULL);

  return self->enter_label;
}

void
mn_keypad_set_enter_label (MnKeypad   *self,
                           const char *label)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  if (label == NULL)
    /* Translators: the keypad's Enter key, when the page names it nothing else. */
    label = _("OK");
  if (g_strcmp0 (self->enter_label, label) == 0)
    return;
  g_free (self->enter_label);
  self->enter_label = g_strdup (label);
  gtk_button_set_label (self->enter_button, label);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENTER_LABEL]);
}

const char *
mn_keypad_get_placeholder (MnKeypad *self)
{
  g_return_val_if_fail (MN_IS_KEYPAD (self), NULL);

  return self->placeholder;
}

void
mn_keypad_set_placeholder (MnKeypad   *self,
                           const char *placeholder)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  if (g_strcmp0 (self->placeholder, placeholder) == 0)
    return;
  g_free (self->placeholder);
  self->placeholder = g_strdup (placeholder);
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACEHOLDER]);
}

gboolean
mn_keypad_get_allow_point (MnKeypad *self)
{
  g_return_val_if_fail (MN_IS_KEYPAD (self), FALSE);

  return self->allow_point;
}

void
mn_keypad_set_allow_point (MnKeypad *self,
                           gboolean  allow_point)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  allow_point = !!allow_point;
  if (self->allow_point == allow_point)
    return;
  self->allow_point = allow_point;
  /* The key exists only while it is allowed: even hidden, a grid child
   * widens the columns to its label, which pushes a page in large
   * Uyghur text off the screen. */
  if (allow_point)
    {
      self->point_button = gtk_button_new_with_label (
        /* Translators: the keypad key for a decimal point, for numbers such as
         * 18.5; keep the dot. */
        _("Decimal point ."));
      gtk_widget_set_name (self->point_button, "keypad-point");
      gtk_widget_add_css_class (self->point_button, "mn-key");
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->point_button), "keypad.point");
      gtk_grid_attach (GTK_GRID (self->grid), self->point_button, 0, 4, 3, 1);
    }
  else
    {
      gtk_grid_remove (GTK_GRID (self->grid), self->point_button);
      self->point_button = NULL;
    }
  if (!allow_point && strchr (self->digits->str, '.') != NULL)
    {
      /* What is held must stay what the keys can type. */
      g_autofree char *digits = g_strdup (self->digits->str);

      *strchr (digits, '.') = '\0';
      mn_keypad_set_text (self, digits);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ALLOW_POINT]);
}

gboolean
mn_keypad_get_secret (MnKeypad *self)
{
  g_return_val_if_fail (MN_IS_KEYPAD (self), FALSE);

  return self->secret;
}

void
mn_keypad_set_secret (MnKeypad *self,
                      gboolean  secret)
{
  g_return_if_fail (MN_IS_KEYPAD (self));

  secret = !!secret;
  if (self->secret == secret)
    return;
  self->secret = secret;
  update_display (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SECRET]);
}
