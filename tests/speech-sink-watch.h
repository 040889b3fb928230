/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Watches what reaches the speech service's sound output: a pad probe on
 * the sink's pad notes every buffer (when it arrived, its timestamps and
 * loudness) and every flush, for the speech tests and the benchmark. */

#include <gst/gst.h>
#include <math.h>

#include "mn-speech.h"

typedef enum
{
  WATCH_BUFFER,
  WATCH_FLUSH_START,
  WATCH_FLUSH_STOP,
  WATCH_EOS,
} WatchKind;

typedef struct
{
  WatchKind kind;
  gint64 at_us;
  GstClockTime pts;
  GstClockTime duration;
  double sum_squares;
  guint n_samples;
} WatchEvent;

typedef struct
{
  GMutex lock;
  GCond cond;
  GArray *events;
  guint n_buffers;
  guint n_flush_starts;
  GstPad *pad;
  gulong probe_id;
} SinkWatch;

static GstPadProbeReturn
sink_watch_probe (GstPad          *pad,
                  GstPadProbeInfo *info,
                  gpointer         data)
{
  SinkWatch *watch = data;
  WatchEvent ev = { 0 };

  ev.at_us = g_get_monotonic_time ();
  if (info->type & GST_PAD_PROBE_TYPE_BUFFER)
    {
      GstBuffer *buffer = GST_PAD_PROBE_INFO_BUFFER (info);
      GstMapInfo map;

      ev.kind = WATCH_BUFFER;
      ev.pts = GST_BUFFER_PTS (buffer);
      ev.duration = GST_BUFFER_DURATION (buffer);
      /* The service plays native-endian S16 mono, which a fakesink takes
       * as it is. */
      if (gst_buffer_map (buffer, &map, GST_MAP_READ))
        {
          const gint16 *s = (const gint16 *) map.data;
          gsize i, n = map.size / 2;

          for (i = 0; i < n; i++)
            ev.sum_squares += (double) s[i] * s[i];
          ev.n_samples = (guint) n;
          gst_buffer_unmap (buffer, &map);
        }
    }
  else
    {
      GstEvent *event = GST_PAD_PROBE_INFO_EVENT (info);

      switch (GST_EVENT_TYPE (event))
        {
        case GST_EVENT_FLUSH_START:
          ev.kind = WATCH_FLUSH_START;
          break;
        case GST_EVENT_FLUSH_STOP:
          ev.kind = WATCH_FLUSH_STOP;
          break;
        case GST_EVENT_EOS:
          ev.kind = WATCH_EOS;
          break;
        default:
          return GST_PAD_PROBE_OK;
        }
    }

  g_mutex_lock (&watch->lock);
  g_array_append_val (watch->events, ev);
  if (ev.kind == WATCH_BUFFER)
    watch->n_buffers++;
  if (ev.kind == WATCH_FLUSH_START)
    watch->n_flush_starts++;
  g_cond_broadcast (&watch->cond);
  g_mutex_unlock (&watch->lock);
  return GST_PAD_PROBE_OK;
}

static inline SinkWatch *
sink_watch_new (MnSpeech *speech)
{
  SinkWatch *watch = g_new0 (SinkWatch, 1);
  g_autoptr(GstElement) sink = mn_speech_dup_audio_sink (speech);

  g_assert_nonnull (sink);
  g_mutex_init (&watch->lock);
  g_cond_init (&watch->cond);
  watch->events = g_array_new (FALSE, TRUE, sizeof (WatchEvent));
  watch->pad = gst_element_get_static_pad (sink, "sink");
  g_assert_nonnull (watch->pad);
  watch->probe_id = gst_pad_add_probe (watch->pad,
                                       GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_EVENT_FLUSH |
                                       GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM,
                                       sink_watch_probe, watch, NULL);
  return watch;
}

static inline void
sink_watch_free (SinkWatch *watch)
{
  gst_pad_remove_probe (watch->pad, watch->probe_id);
  gst_object_unref (watch->pad);
  g_array_unref (watch->events);
  g_mutex_clear (&watch->lock);
  g_cond_clear (&watch->cond);
  g_free (watch);
}

static inline void
sink_watch_reset (SinkWatch *watch)
{
  g_mutex_lock (&watch->lock);
  g_array_set_size (watch->events, 0);
  watch->n_buffers = 0;
  watch->n_flush_starts = 0;
  g_mutex_unlock (&watch->lock);
}

/* Waits until at least @n buffers arrived since the last reset; FALSE
 * after @timeout_ms. */
static inline gboolean
sink_watch_wait_buffers (SinkWatch *watch,
                         guint      n,
                         int        timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok = TRUE;

  g_mutex_lock (&watch->lock);
  while (watch->n_buffers < n && ok)
    ok = g_cond_wait_until (&watch->cond, &watch->lock, deadline);
  ok = watch->n_buffers >= n;
  g_mutex_unlock (&watch->lock);
  return ok;
}

static inline gboolean
sink_watch_wait_flush (SinkWatch *watch,
                       guint      n,
                       int        timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  gboolean ok = TRUE;

  g_mutex_lock (&watch->lock);
  while (watch->n_flush_starts < n && ok)
    ok = g_cond_wait_until (&watch->cond, &watch->lock, deadline);
  ok = watch->n_flush_starts >= n;
  g_mutex_unlock (&watch->lock);
  return ok;
}

/* A copy of the events so far. */
static inline GArray *
sink_watch_events (SinkWatch *watch)
{
  GArray *copy;

  g_mutex_lock (&watch->lock);
  copy = g_array_sized_new (FALSE, TRUE, sizeof (WatchEvent), watch->events->len);
  g_array_append_vals (copy, watch->events->data, watch->events->len);
  g_mutex_unlock (&watch->lock);
  return copy;
}
