/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Handwriting of single Chinese characters, recognised offline by zinnia
 * with the model of Debian's tegaki-zinnia-simplified-chinese. The core
 * half (no GTK): MnInk holds what a finger drew, MnHandwriting turns it
 * into candidate characters. The widget is ui/mn-handwriting-pad.h. */

#define MN_HANDWRITING_DEFAULT_MODEL "/usr/share/tegaki/models/zinnia/handwriting-zh_CN.model"

#define MN_HANDWRITING_ERROR (mn_handwriting_error_quark ())
typedef enum
{
  MN_HANDWRITING_ERROR_UNAVAILABLE, /* built without zinnia */
  MN_HANDWRITING_ERROR_NO_MODEL,    /* the model file is missing or unreadable */
  MN_HANDWRITING_ERROR_EMPTY,       /* nothing was drawn */
  MN_HANDWRITING_ERROR_PARSE,       /* stroke data in text form is malformed */
} MnHandwritingError;
GQuark mn_handwriting_error_quark (void);

/* The strokes of one character, in the coordinates of a drawing area of
 * @width × @height (y grows downwards). A stroke is the path of one finger
 * from touching the glass to lifting it. */
typedef struct _MnInk MnInk;

#define MN_TYPE_INK (mn_ink_get_type ())
GType        mn_ink_get_type         (void) G_GNUC_CONST;

MnInk       *mn_ink_new              (double       width,
                                      double       height);
MnInk       *mn_ink_copy             (const MnInk *ink);
void         mn_ink_free             (MnInk       *ink);
double       mn_ink_get_width        (const MnInk *ink);
double       mn_ink_get_height       (const MnInk *ink);
/* Starts a new stroke at (@x, @y). */
void         mn_ink_begin_stroke     (MnInk       *ink,
                                      double       x,
                                      double       y);
/* Continues the last stroke (begins one if there is none). */
void         mn_ink_add_point        (MnInk       *ink,
                                      double       x,
                                      double       y);
/* Removes the last stroke; FALSE if there was none. */
gboolean     mn_ink_undo_stroke      (MnInk       *ink);
void         mn_ink_clear            (MnInk       *ink);
guint        mn_ink_get_n_strokes    (const MnInk *ink);
guint        mn_ink_get_n_points     (const MnInk *ink,
                                      guint        stroke);
void         mn_ink_get_point        (const MnInk *ink,
                                      guint        stroke,
                                      guint        index,
                                      double      *x,
                                      double      *y);
/* A copy scaled into a drawing area of @width × @height. */
MnInk       *mn_ink_scale_to         (const MnInk *ink,
                                      double       width,
                                      double       height);

/* Stroke data in text form, as in tests/data/handwriting-strokes.txt:
 * strokes separated by ";", points "x,y" separated by spaces, in a box of
 * @width × @height. */
MnInk       *mn_ink_new_from_string  (const char  *text,
                                      double       width,
                                      double       height,
                                      GError     **error);
char        *mn_ink_to_string        (const MnInk *ink);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnInk, mn_ink_free)

#define MN_TYPE_HANDWRITING (mn_handwriting_get_type ())
G_DECLARE_FINAL_TYPE (MnHandwriting, mn_handwriting, MN, HANDWRITING, GObject)

/* A recogniser with the model at @model_path (NULL: the
 * $MINYIN_HANDWRITING_MODEL or MN_HANDWRITING_DEFAULT_MODEL). Only checks
 * that the model is there (quick): zinnia reads the whole model (26 MB)
 * when it opens it, which happens at the first recognition, on the thread
 * that recognises; a model that cannot be read then fails that
 * recognition with MN_HANDWRITING_ERROR_NO_MODEL. */
MnHandwriting *mn_handwriting_new             (const char     *model_path,
                                               GError        **error);
/* One recogniser shared by every pad of the process, opened on first use;
 * NULL (and @error set) when handwriting is unavailable. */
MnHandwriting *mn_handwriting_get_default     (GError        **error);

/* Up to @max_candidates characters, best first (a few milliseconds; may
 * be called from any thread). */
char         **mn_handwriting_recognize       (MnHandwriting  *self,
                                               const MnInk    *ink,
                                               guint           max_candidates,
                                               GError        **error);
/* The same on a worker thread, for the main loop. */
void           mn_handwriting_recognize_async (MnHandwriting  *self,
                                               const MnInk    *ink,
                                               guint           max_candidates,
                                               GCancellable   *cancellable,
                                               GAsyncReadyCallback callback,
                                               gpointer        user_data);
char         **mn_handwriting_recognize_finish (MnHandwriting *self,
                                                GAsyncResult  *result,
                                                GError       **error);

G_END_DECLS
