/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "mn-test-hung-src.h"

static GMutex lock;
static GCond cond;
static gboolean holding;
static GstStateChange held_transition;
static guint held;
static GstStateChangeReturn (*parent_change_state) (GstElement *, GstStateChange);

static GstStateChangeReturn
hung_change_state (GstElement     *element,
                   GstStateChange  transition)
{
  g_mutex_lock (&lock);
  if (holding && transition == held_transition)
    {
      held++;
      /* A test waiting for this in the main loop (mn_test_hung_src_
       * wait_held()) looks again now, not at whatever source fires next. */
      g_main_context_wakeup (NULL);
      /* Blocks like a driver that never returns, until the test says. */
      while (holding)
        g_cond_wait (&cond, &lock);
    }
  g_mutex_unlock (&lock);
  return parent_change_state (element, transition);
}

static void
hung_class_init (gpointer klass,
                 gpointer data)
{
  GstElementClass *element_class = klass;

  parent_change_state = element_class->change_state;
  element_class->change_state = hung_change_state;
}

void
mn_test_hung_src_register (void)
{
  g_autoptr(GstElementFactory) factory = gst_element_factory_find ("audiotestsrc");
  g_autoptr(GstPluginFeature) loaded = NULL;
  GTypeQuery query;
  GType parent, type;

  g_assert_nonnull (factory);
  loaded = gst_plugin_feature_load (GST_PLUGIN_FEATURE (factory));
  g_assert_nonnull (loaded);
  parent = gst_element_factory_get_element_type (GST_ELEMENT_FACTORY (loaded));
  g_type_query (parent, &query);
  /* A subclass made at run time: audiotestsrc's type is not public. */
  type = g_type_register_static_simple (parent, "MnTestHungSrc", query.class_size,
                                        hung_class_init, query.instance_size, NULL, 0);
  g_assert_true (gst_element_register (NULL, "mnhungsrc", GST_RANK_NONE, type));
}

void
mn_test_hung_src_hold (GstStateChange transition)
{
  g_mutex_lock (&lock);
  holding = TRUE;
  held_transition = transition;
  g_mutex_unlock (&lock);
}

void
mn_test_hung_src_release (void)
{
  g_mutex_lock (&lock);
  holding = FALSE;
  g_cond_broadcast (&cond);
  g_mutex_unlock (&lock);
}

guint
mn_test_hung_src_held (void)
{
  guint n;

  g_mutex_lock (&lock);
  n = held;
  g_mutex_unlock (&lock);
  return n;
}

static gboolean
on_wait_limit (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

void
mn_test_hung_src_wait_held (guint  before,
                            double seconds)
{
  gboolean timed_out = FALSE;
  guint limit = g_timeout_add ((guint) (seconds * 1000), on_wait_limit, &timed_out);

  while (mn_test_hung_src_held () == before && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (limit);
  g_assert_cmpuint (mn_test_hung_src_held (), >, before);
}
