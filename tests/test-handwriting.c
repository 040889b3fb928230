/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Handwriting recognition (app/mn-handwriting.c) against recorded stroke
 * data: tests/data/handwriting-strokes.txt. */
#include "config.h"

#include <glib.h>
#include <locale.h>
#include <string.h>

#include "mn-handwriting.h"

typedef struct
{
  char  *character;
  MnInk *ink;
} Sample;

static void
sample_free (Sample *s)
{
  g_free (s->character);
  mn_ink_free (s->ink);
  g_free (s);
}

/* The fixture, one Sample per line; shared with the pad's test. */
static GPtrArray *
load_samples (void)
{
  g_autofree char *path = g_build_filename (SOURCE_ROOT, "tests", "data",
                                            "handwriting-strokes.txt", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *samples = g_ptr_array_new_with_free_func ((GDestroyNotify) sample_free);

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) fields = NULL;
      Sample *s;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      fields = g_strsplit (lines[i], "\t", 2);
      g_assert_cmpuint (g_strv_length (fields), ==, 2);
      s = g_new0 (Sample, 1);
      s->character = g_strdup (fields[0]);
      s->ink = mn_ink_new_from_string (fields[1], 1000, 1000, &error);
      g_assert_no_error (error);
      g_assert_nonnull (s->ink);
      g_ptr_array_add (samples, s);
    }
  g_assert_cmpuint (samples->len, >=, 20);
  return samples;
}

static int
rank_of (char       **candidates,
         const char  *character)
{
  for (int i = 0; candidates[i] != NULL; i++)
    if (g_str_equal (candidates[i], character))
      return i;
  return -1;
}

static void
test_recorded_characters (void)
{
  g_autoptr(GPtrArray) samples = load_samples ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MnHandwriting) hw = mn_handwriting_new (NULL, &error);
  guint first = 0;
  gint64 started;
  double per_char_ms;

  g_assert_no_error (error);
  g_assert_nonnull (hw);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);
      g_auto(GStrv) candidates = mn_handwriting_recognize (hw, s->ink, 5, &error);
      g_autofree char *joined = NULL;
      int rank;

      g_assert_no_error (error);
      g_assert_nonnull (candidates);
      g_assert_cmpuint (g_strv_length (candidates), ==, 5);
      joined = g_strjoinv (" ", candidates);
      rank = rank_of (candidates, s->character);
      g_test_message ("%s → %s (rank %d)", s->character, joined, rank);
      if (rank < 0)
        g_test_fail_printf ("%s is not among the first five candidates: %s", s->character, joined);
      if (rank == 0)
        first++;
    }
  per_char_ms = (g_get_monotonic_time () - started) / 1000.0 / samples->len;
  g_test_message ("%u of %u first; %.2f ms per character", first, samples->len, per_char_ms);
  /* Most must be first: a person should rarely have to look further. */
  g_assert_cmpuint (first * 4, >=, samples->len * 3);
  /* Fast enough to run straight after each stroke. */
  g_assert_cmpfloat (per_char_ms, <, 50);
}

/* The pad is whatever size the screen gives it: the result must not
 * depend on the box, only on the shape. */
static void
test_scale_invariant (void)
{
  g_autoptr(GPtrArray) samples = load_samples ();
  g_autoptr(GError) error = NULL;
  MnHandwriting *hw = mn_handwriting_get_default (&error);

  g_assert_no_error (error);
  g_assert_true (hw == mn_handwriting_get_default (NULL));
  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = g_ptr_array_index (samples, i);
      g_autoptr(MnInk) small = mn_ink_scale_to (s->ink, 420, 420);
      g_auto(GStrv) a = mn_handwriting_recognize (hw, s->ink, 5, NULL);
      g_auto(GStrv) b = mn_handwriting_recognize (hw, small, 5, NULL);

      g_assert_nonnull (a);
      g_assert_nonnull (b);
      g_assert_cmpstr (a[0], ==, b[0]);
    }
}

/* Undoing the last stroke of 土 leaves 十: strokes stay apart. */
static void
test_undo_changes_result (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnHandwriting) hw = mn_handwriting_new (NULL, &error);
  g_autoptr(MnInk) ink = mn_ink_new_from_string ("250,450 750,450;500,150 500,850;150,850 850,850",
                                                 1000, 1000, &error);
  g_auto(GStrv) earth = NULL;
  g_auto(GStrv) ten = NULL;

  g_assert_no_error (error);
  g_assert_cmpuint (mn_ink_get_n_strokes (ink), ==, 3);
  earth = mn_handwriting_recognize (hw, ink, 5, &error);
  g_assert_cmpstr (earth[0], ==, "土");
  g_assert_true (mn_ink_undo_stroke (ink));
  ten = mn_handwriting_recognize (hw, ink, 5, &error);
  g_assert_cmpstr (ten[0], ==, "十");
  mn_ink_clear (ink);
  g_assert_false (mn_ink_undo_stroke (ink));
}

static void
test_errors (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnHandwriting) missing = mn_handwriting_new ("/nonexistent/model", &error);
  g_autoptr(MnHandwriting) hw = NULL;
  g_autoptr(MnInk) empty = mn_ink_new (300, 300);
  g_autoptr(MnInk) bad = NULL;
  char **none;

  g_assert_null (missing);
  g_assert_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_NO_MODEL);
  g_assert_nonnull (strstr (error->message, "tegaki-zinnia-simplified-chinese"));
  g_clear_error (&error);

  hw = mn_handwriting_new (NULL, &error);
  g_assert_no_error (error);
  none = mn_handwriting_recognize (hw, empty, 5, &error);
  g_assert_null (none);
  g_assert_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_EMPTY);
  g_clear_error (&error);

  bad = mn_ink_new_from_string ("1,2 3;4,5", 100, 100, &error);
  g_assert_null (bad);
  g_assert_error (error, MN_HANDWRITING_ERROR, MN_HANDWRITING_ERROR_PARSE);
}

static void
test_round_trip (void)
{
  g_autoptr(GError) error = NULL;
  const char *text = "100,500 500,500 900,500;500,100 500,900";
  g_autoptr(MnInk) ink = mn_ink_new_from_string (text, 1000, 1000, &error);
  g_autoptr(MnInk) copy = mn_ink_copy (ink);
  g_autofree char *again = mn_ink_to_string (copy);
  double x, y;

  g_assert_no_error (error);
  g_assert_cmpstr (again, ==, text);
  g_assert_cmpuint (mn_ink_get_n_points (ink, 0), ==, 3);
  mn_ink_get_point (ink, 1, 1, &x, &y);
  g_assert_cmpfloat (x, ==, 500);
  g_assert_cmpfloat (y, ==, 900);
}

static void
on_recognized (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  char ***out = user_data;
  g_autoptr(GError) error = NULL;

  *out = mn_handwriting_recognize_finish (MN_HANDWRITING (source), result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MnHandwriting) hw = mn_handwriting_new (NULL, &error);
  g_autoptr(MnInk) ink = mn_ink_new_from_string ("100,500 900,500;500,100 500,900", 1000, 1000,
                                                 &error);
  g_auto(GStrv) candidates = NULL;

  mn_handwriting_recognize_async (hw, ink, 3, NULL, on_recognized, &candidates);
  /* The ink was copied: changing it now must not change the result. */
  mn_ink_clear (ink);
  while (candidates == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_strv_length (candidates), ==, 3);
  g_assert_cmpstr (candidates[0], ==, "十");
}

int
main (int    argc,
      char **argv)
{
  /* Candidates in the test log are readable only in a UTF-8 locale. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

#ifndef HAVE_ZINNIA
  g_test_skip ("built without zinnia");
  return g_test_run ();
#endif
  g_test_add_func ("/handwriting/recorded-characters", test_recorded_characters);
  g_test_add_func ("/handwriting/scale-invariant", test_scale_invariant);
  g_test_add_func ("/handwriting/undo-changes-result", test_undo_changes_result);
  g_test_add_func ("/handwriting/errors", test_errors);
  g_test_add_func ("/handwriting/ink-round-trip", test_round_trip);
  g_test_add_func ("/handwriting/async", test_async);
  return g_test_run ();
}
