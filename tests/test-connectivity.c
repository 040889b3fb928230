/* SPDX-License-Identifier: GPL-3.0-or-later */
/* MnConnectivity with a fake network monitor: "online" when the network
 * comes back and stays, not for a link that drops again at once. */
#include "config.h"

#include "mn-connectivity.h"

#define MN_TYPE_FAKE_MONITOR (mn_fake_monitor_get_type ())
G_DECLARE_FINAL_TYPE (MnFakeMonitor, mn_fake_monitor, MN, FAKE_MONITOR, GObject)

struct _MnFakeMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum { PROP_0, PROP_AVAILABLE, PROP_METERED, PROP_CONNECTIVITY };

static void mn_fake_monitor_iface_init (GNetworkMonitorInterface *iface);
static void mn_fake_monitor_initable_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MnFakeMonitor, mn_fake_monitor, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      mn_fake_monitor_initable_init)
                               G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                      mn_fake_monitor_iface_init))

static gboolean
mn_fake_monitor_initable_init_impl (GInitable    *initable,
                                    GCancellable *cancellable,
                                    GError      **error)
{
  return TRUE;
}

static void
mn_fake_monitor_initable_init (GInitableIface *iface)
{
  iface->init = mn_fake_monitor_initable_init_impl;
}

static void
mn_fake_monitor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  MnFakeMonitor *self = MN_FAKE_MONITOR (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mn_fake_monitor_class_init (MnFakeMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = mn_fake_monitor_get_property;
  g_object_class_override_property (object_class, PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, PROP_CONNECTIVITY, "connectivity");
}

static void
mn_fake_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
mn_fake_monitor_init (MnFakeMonitor *self)
{
}

static void
set_available (MnFakeMonitor *monitor,
               gboolean       available)
{
  monitor->available = available;
  g_signal_emit_by_name (monitor, "network-changed", available);
}

static void
on_online (MnConnectivity *connectivity,
           gpointer        user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
on_timeout (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until @count moves or 3 s pass. */
static void
wait_for (guint *count,
          guint  from)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add (3000, on_timeout, &timed_out);

  while (*count == from && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

static void
test_comes_back (void)
{
  g_autoptr(MnFakeMonitor)  monitor = g_object_new (MN_TYPE_FAKE_MONITOR, NULL);
  g_autoptr(MnConnectivity) c = mn_connectivity_new_for_monitor (G_NETWORK_MONITOR (monitor));
  guint                     online = 0;

  g_signal_connect (c, "online", G_CALLBACK (on_online), &online);
  g_assert_false (mn_connectivity_get_available (c));

  set_available (monitor, TRUE);
  g_assert_true (mn_connectivity_get_available (c));
  wait_for (&online, 0);
  g_assert_cmpuint (online, ==, 1);

  set_available (monitor, FALSE);
  g_assert_false (mn_connectivity_get_available (c));
  set_available (monitor, TRUE);
  wait_for (&online, 1);
  g_assert_cmpuint (online, ==, 2);
}

static void
test_flapping (void)
{
  g_autoptr(MnFakeMonitor)  monitor = g_object_new (MN_TYPE_FAKE_MONITOR, NULL);
  g_autoptr(MnConnectivity) c = mn_connectivity_new_for_monitor (G_NETWORK_MONITOR (monitor));
  guint                     online = 0;

  g_signal_connect (c, "online", G_CALLBACK (on_online), &online);
  set_available (monitor, TRUE);
  set_available (monitor, FALSE);
  /* Gone again before it settled: nobody is woken for nothing. */
  wait_for (&online, 0);
  g_assert_cmpuint (online, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/connectivity/comes-back", test_comes_back);
  g_test_add_func ("/connectivity/flapping", test_flapping);
  return g_test_run ();
}
