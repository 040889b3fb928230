/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <stdlib.h>

#ifdef HAVE_ZINNIA
#include <zinnia.h>
#endif

#include "mn-handwriting.h"

G_DEFINE_QUARK (mn-handwriting-error-quark, mn_handwriting_error)

typedef struct
{
  double x;
  double y;
} InkPoint;

struct _MnInk
{
  double     width;
  double     height;
  GPtrArray *strokes; /* of GArray of InkPoint */
};

G_DEFINE_BOXED_TYPE (MnInk, mn_ink, mn_ink_copy, mn_ink_free)

MnInk *
mn_ink_new (double width,
            double height)
{
  MnInk *ink;

  g_return_val_if_fail (width > 0 && height > 0, NULL);

  ink = g_new0 (MnInk, 1);
  ink->width = width;
  ink->height = height;
  ink->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  return ink;
}

MnInk *
mn_ink_copy (const MnInk *ink)
{
  MnInk *copy;

  g_return_val_if_fail (ink != NULL, NULL);

  copy = mn_ink_new (ink->width, ink->height);
  for (guint i = 0; i < ink->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (ink->strokes, i);
      GArray *dup = g_array_sized_new (FALSE, FALSE, sizeof (InkPoint), stroke->len);

      g_array_append_vals (dup, stroke->data, stroke->len);
      g_ptr_array_add (copy->strokes, dup);
    }
  return copy;
}

void
mn_ink_free (MnInk *ink)
{
  if (ink == NULL)
    return;
  g_ptr_array_unref (ink->strokes);
  g_free (ink);
}

double
mn_ink_get_width (const MnInk *ink)
{
  g_return_val_if_fail (ink != NULL, 0);
  return ink->width;
}

double
mn_ink_get_height (const MnInk *ink)
{
  g_return_val_if_fail (ink != NULL, 0);
  return ink->height;
}

void
mn_ink_begin_stroke (MnInk  *ink,
                     double  x,
                     double  y)
{
  InkPoint p = { x, y };
  GArray *stroke;

  g_return_if_fail (ink != NULL);

  stroke = g_array_new (FALSE, FALSE, sizeof (InkPoint));
  g_array_append_val (stroke, p);
  g_ptr_array_add (ink->strokes, stroke);
}

void
mn_ink_add_point (MnInk  *ink,
                  double  x,
                  double  y)
{
  InkPoint p = { x, y };
  GArray *stroke;

  g_return_if_fail (ink != NULL);

  if (ink->strokes->len == 0)
    {
      mn_ink_begin_stroke (ink, x, y);
      return;
    }
  stroke = g_ptr_array_index (ink->strokes, ink->strokes->len - 1);
  g_array_append_val (stroke, p);
}

gboolean
mn_ink_undo_stroke (MnInk *ink)
{
  g_return_val_if_fail (ink != NULL, FALSE);

  if (ink->strokes->len == 0)
    return FALSE;
  g_ptr_array_remove_index (ink->strokes, ink->strokes->len - 1);
  return TRUE;
}

void
mn_ink_clear (MnInk *ink)
{
  g_return_if_fail (ink != NULL);

  g_ptr_array_set_size (ink->strokes, 0);
}

guint
mn_ink_get_n_strokes (const MnInk *ink)
{
  g_return_val_if_fail (ink != NULL, 0);
  return ink->strokes->len;
}

guint
mn_ink_get_n_points (const MnInk *ink,
                     guint        stroke)
{
  g_return_val_if_fail (ink != NULL, 0);
  g_return_val_if_fail (stroke < ink->strokes->len, 0);

  return ((GArray *) g_ptr_array_index (ink->strokes, stroke))->len;
}

void
mn_ink_get_point (const MnInk *ink,
                  guint        stroke,
                  guint        index,
                  double      *x,
                  double      *y)
{
  GArray *points;
  InkPoint *p;

  g_return_if_fail (ink != NULL);
  g_return_if_fail (stroke < ink->strokes->len);
  points = g_ptr_array_index (ink->strokes, stroke);
  g_return_if_fail (index < points->len);

  p = &g_array_index (points, InkPoint, index);
  if (x != NULL)
    *x = p->x;
  if (y != NULL)
    *y = p->y;
}

MnInk *
mn_ink_scale_to (const MnInk *ink,
                 double       width,
                 double       height)
{
  MnInk *scaled;
  double sx, sy;

  g_return_val_if_fail (ink != NULL, NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  scaled = mn_ink_copy (ink);
  sx = width / ink->width;
  sy = height / ink->height;
  scaled->width = width;
  scaled->height = height;
  for (guint i = 0; i < scaled->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (scaled->strokes, i);

      for (guint j = 0; j < stroke->len; j++)
        {
          g_array_index (stroke, InkPoint, j).x *= sx;
          g_array_index (stroke, InkPoint, j).y *= sy;
        }
    }
  return scaled;
}

MnInk *
mn_ink_new_from_string (const char  *text,
                        double       width,
                        double       height,
                        GError     **error)
{
  g_autoptr(MnInk) ink = NULL;
  g_auto(GStrv) strokes = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ink = mn_ink_new (width, height);
  strokes = g_strsplit (text, ";", -1);
  for (guint i = 0; strokes[i] != NULL; i++)
    {
      g_auto(GStrv) points = g_strsplit_set (g_strstrip (strokes[i]), " \t", -1);
      gboolean first = TRUE;

      for (guint j = 0; points[j] != NULL; j++)
        {
          char *end = NULL;
          double x, y;

          if (*points[j] == '\0')
            continue;
          x = g_ascii_strtod (points[j], &end);
          if (end == points[j] || *end != ',')
            goto malformed;
          y = g_ascii_strtod (end + 1, &end);
          if (*end != '\0')
            goto malformed;
          if (first)
            mn_ink_begin_stroke (ink, x, y);
          else
            mn_ink_add_point (ink, x, y);
          first = FALSE;
          continue;

        malformed:
          g_set_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_PARSE,
                       _("The stroke data “%s” is not a point written as x,y."), points[j]);
          return NULL;
        }
    }
  return g_steal_pointer (&ink);
}

char *
mn_ink_to_string (const MnInk *ink)
{
  GString *out;

  g_return_val_if_fail (ink != NULL, NULL);

  out = g_string_new (NULL);
  for (guint i = 0; i < ink->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (ink->strokes, i);

      if (i > 0)
        g_string_append_c (out, ';');
      for (guint j = 0; j < stroke->len; j++)
        {
          InkPoint *p = &g_array_index (stroke, InkPoint, j);

          g_string_append_printf (out, "%s%d,%d", j > 0 ? " " : "", (int) lround (p->x),
                                  (int) lround (p->y));
        }
    }
  return g_string_free (out, FALSE);
}

struct _MnHandwriting
{
  GObject              parent_instance;

  GMutex               lock; /* zinnia's recogniser is not documented as thread-safe */
#ifdef HAVE_ZINNIA
  char                *model_path;
  zinnia_recognizer_t *recognizer; /* opened at the first recognition, under lock */
#endif
};

G_DEFINE_FINAL_TYPE (MnHandwriting, mn_handwriting, G_TYPE_OBJECT)

static void
mn_handwriting_finalize (GObject *object)
{
  MnHandwriting *self = MN_HANDWRITING (object);

#ifdef HAVE_ZINNIA
  if (self->recognizer != NULL)
    zinnia_recognizer_destroy (self->recognizer);
  g_free (self->model_path);
#endif
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (mn_handwriting_parent_class)->finalize (object);
}

static void
mn_handwriting_class_init (MnHandwritingClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = mn_handwriting_finalize;
}

static void
mn_handwriting_init (MnHandwriting *self)
{
  g_mutex_init (&self->lock);
}

MnHandwriting *
mn_handwriting_new (const char  *model_path,
                    GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

#ifdef HAVE_ZINNIA
  {
    g_autoptr(MnHandwriting) self = NULL;
    const char *env = g_getenv ("MINYIN_HANDWRITING_MODEL");

    if (model_path == NULL)
      model_path = env != NULL && *env != '\0' ? env : MN_HANDWRITING_DEFAULT_MODEL;

    /* zinnia's own message is a bare "no such file"; check first so the
     * person reading the log learns which package brings the model. */
    if (!g_file_test (model_path, G_FILE_TEST_IS_REGULAR))
      {
        g_set_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_NO_MODEL,
                     _("Handwriting cannot be recognised because the model %s is missing. "
                       "Install the package tegaki-zinnia-simplified-chinese."),
                     model_path);
        return NULL;
      }

    /* zinnia reads its whole model when it opens it (26 MB for Chinese):
     * that waits for the first character someone writes, on the thread
     * that recognises it, rather than weighing on every start. */
    self = g_object_new (MN_TYPE_HANDWRITING, NULL);
    self->model_path = g_strdup (model_path);
    return g_steal_pointer (&self);
  }
#else
  g_set_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_UNAVAILABLE,
               _("Handwriting is not available: this terminal was built without zinnia. "
                 "Install libzinnia-dev and build it again."));
  return NULL;
#endif
}

MnHandwriting *
mn_handwriting_get_default (GError **error)
{
  static GMutex lock;
  static MnHandwriting *shared;
  MnHandwriting *result;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  g_mutex_lock (&lock);
  if (shared == NULL)
    shared = mn_handwriting_new (NULL, error);
  result = shared;
  g_mutex_unlock (&lock);
  /* The shared recogniser lives as long as the process: its model is a
   * read-only mapping the next person will need again. */
  return result;
}

char **
mn_handwriting_recognize (MnHandwriting  *self,
                          const MnInk    *ink,
                          guint           max_candidates,
                          GError        **error)
{
  g_return_val_if_fail (MN_IS_HANDWRITING (self), NULL);
  g_return_val_if_fail (ink != NULL, NULL);
  g_return_val_if_fail (max_candidates > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (ink->strokes->len == 0)
    {
      g_set_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_EMPTY,
                   _("Nothing was written. Write one character in the box with your finger."));
      return NULL;
    }

#ifdef HAVE_ZINNIA
  {
    g_autoptr(GPtrArray) out = g_ptr_array_new ();
    zinnia_character_t *character = zinnia_character_new ();
    zinnia_result_t *result;

    zinnia_character_set_width (character, (size_t) ceil (ink->width));
    zinnia_character_set_height (character, (size_t) ceil (ink->height));
    for (guint i = 0; i < ink->strokes->len; i++)
      {
        GArray *stroke = g_ptr_array_index (ink->strokes, i);

        for (guint j = 0; j < stroke->len; j++)
          {
            InkPoint *p = &g_array_index (stroke, InkPoint, j);

            zinnia_character_add (character, i, (int) lround (p->x), (int) lround (p->y));
          }
      }

    g_mutex_lock (&self->lock);
    if (self->recognizer == NULL)
      {
        zinnia_recognizer_t *recognizer = zinnia_recognizer_new ();

        if (!zinnia_recognizer_open (recognizer, self->model_path))
          {
            g_set_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_NO_MODEL,
                         _("Handwriting cannot be recognised because the model %s cannot be "
                           "read (%s). Reinstall the package tegaki-zinnia-simplified-chinese."),
                         self->model_path, zinnia_recognizer_strerror (recognizer));
            zinnia_recognizer_destroy (recognizer);
            g_mutex_unlock (&self->lock);
            zinnia_character_destroy (character);
            return NULL;
          }
        self->recognizer = recognizer;
      }
    result = zinnia_recognizer_classify (self->recognizer, character, max_candidates);
    g_mutex_unlock (&self->lock);
    zinnia_character_destroy (character);

    if (result != NULL)
      {
        for (size_t i = 0; i < zinnia_result_size (result) && out->len < max_candidates; i++)
          {
            const char *value = zinnia_result_value (result, i);

            if (value != NULL && g_utf8_validate (value, -1, NULL))
              g_ptr_array_add (out, g_strdup (value));
          }
        zinnia_result_destroy (result);
      }
    g_ptr_array_add (out, NULL);
    return (char **) g_ptr_array_steal (out, NULL);
  }
#else
  g_set_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_UNAVAILABLE,
               _("Handwriting is not available: this terminal was built without zinnia. "
                 "Install libzinnia-dev and build it again."));
  return NULL;
#endif
}

typedef struct
{
  MnInk *ink;
  guint  max_candidates;
} RecognizeData;

static void
recognize_data_free (RecognizeData *data)
{
  mn_ink_free (data->ink);
  g_free (data);
}

static void
recognize_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  RecognizeData *data = task_data;
  GError *error = NULL;
  char **candidates;

  if (g_task_return_error_if_cancelled (task))
    return;
  candidates = mn_handwriting_recognize (source_object, data->ink, data->max_candidates, &error);
  if (candidates != NULL)
    g_task_return_pointer (task, candidates, (GDestroyNotify) g_strfreev);
  else
    g_task_return_error (task, error);
}

void
mn_handwriting_recognize_async (MnHandwriting       *self,
                                const MnInk         *ink,
                                guint                max_candidates,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RecognizeData *data;

  g_return_if_fail (MN_IS_HANDWRITING (self));
  g_return_if_fail (ink != NULL);
  g_return_if_fail (max_candidates > 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, mn_handwriting_recognize_async);
  data = g_new0 (RecognizeData, 1);
  data->ink = mn_ink_copy (ink);
  data->max_candidates = max_candidates;
  g_task_set_task_data (task, data, (GDestroyNotify) recognize_data_free);
  g_task_run_in_thread (task, recognize_thread);
}

char **
mn_handwriting_recognize_finish (MnHandwriting  *self,
                                 GAsyncResult   *result,
                                 GError        **error)
{
  g_return_val_if_fail (MN_IS_HANDWRITING (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
