/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mn-connectivity.h"

/* A link that comes up often flaps a few times in the first moments. */
#define SETTLE_MS 500

struct _MnConnectivity
{
  GObject          parent_instance;

  GNetworkMonitor *monitor;
  gulong           handler;
  guint            settle_source;
  gboolean         available;
};

G_DEFINE_FINAL_TYPE (MnConnectivity, mn_connectivity, G_TYPE_OBJECT)

enum { PROP_0, PROP_AVAILABLE, N_PROPS };
static GParamSpec *properties[N_PROPS];

enum { ONLINE, N_SIGNALS };
static guint signals[N_SIGNALS];

static gboolean
on_settled (gpointer user_data)
{
  MnConnectivity *self = user_data;

  self->settle_source = 0;
  if (g_network_monitor_get_network_available (self->monitor))
    g_signal_emit (self, signals[ONLINE], 0);
  return G_SOURCE_REMOVE;
}

static void
on_network_changed (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  MnConnectivity *self = user_data;
  gboolean        was = self->available;

  self->available = available;
  if (was != available)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
  if (available && !was)
    {
      g_clear_handle_id (&self->settle_source, g_source_remove);
      self->settle_source = g_timeout_add (SETTLE_MS, on_settled, self);
    }
}

static void
mn_connectivity_dispose (GObject *object)
{
  MnConnectivity *self = MN_CONNECTIVITY (object);

  g_clear_handle_id (&self->settle_source, g_source_remove);
  if (self->monitor != NULL)
    g_clear_signal_handler (&self->handler, self->monitor);
  g_clear_object (&self->monitor);
  G_OBJECT_CLASS (mn_connectivity_parent_class)->dispose (object);
}

static void
mn_connectivity_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MnConnectivity *self = MN_CONNECTIVITY (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_connectivity_class_init (MnConnectivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = mn_connectivity_dispose;
  object_class->get_property = mn_connectivity_get_property;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ONLINE] = g_signal_new ("online", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 0);
}

static void
mn_connectivity_init (MnConnectivity *self)
{
}

MnConnectivity *
mn_connectivity_new_for_monitor (GNetworkMonitor *monitor)
{
  MnConnectivity *self;

  g_return_val_if_fail (G_IS_NETWORK_MONITOR (monitor), NULL);

  self = g_object_new (MN_TYPE_CONNECTIVITY, NULL);
  self->monitor = g_object_ref (monitor);
  self->available = g_network_monitor_get_network_available (monitor);
  self->handler = g_signal_connect (monitor, "network-changed", G_CALLBACK (on_network_changed),
                                    self);
  return self;
}

MnConnectivity *
mn_connectivity_new (void)
{
  return mn_connectivity_new_for_monitor (g_network_monitor_get_default ());
}

gboolean
mn_connectivity_get_available (MnConnectivity *self)
{
  g_return_val_if_fail (MN_IS_CONNECTIVITY (self), FALSE);
  return self->available;
}
