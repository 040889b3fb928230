/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "mn-rating.h"
#include "mn-request.h"

G_DEFINE_QUARK (mn-rating-error-quark, mn_rating_error)

/* A reason is a phrase, not a new request: the platform has the case. */
#define MAX_REASON_CHARS 500
#define MAX_REASONS 12

static const MnRatingReason preset_reasons[] = {
  { "not-fixed", N_("The problem is still there") },
  { "came-back", N_("It was fixed but has come back") },
  { "no-contact", N_("Nobody came or contacted me") },
  { "partly", N_("Only part of it was dealt with") },
  { "slow", N_("It took far too long") },
  { "attitude", N_("The staff were impolite") },
  { "other", N_("Something else is wrong") },
  { NULL, NULL },
};

const MnRatingReason *
mn_rating_preset_reasons (void)
{
  return preset_reasons;
}

const char *
mn_rating_reason_text (const char *id)
{
  for (guint i = 0; preset_reasons[i].id != NULL; i++)
    if (g_strcmp0 (preset_reasons[i].id, id) == 0)
      return _(preset_reasons[i].text);
  return NULL;
}

const char *
mn_satisfaction_to_string (MnSatisfaction satisfaction)
{
  switch (satisfaction)
    {
    case MN_SATISFACTION_SATISFIED:
      return "satisfied";
    case MN_SATISFACTION_BASIC:
      return "basic";
    case MN_SATISFACTION_UNSATISFIED:
      return "unsatisfied";
    default:
      return NULL;
    }
}

gboolean
mn_satisfaction_from_string (const char     *str,
                             MnSatisfaction *out)
{
  for (MnSatisfaction s = MN_SATISFACTION_SATISFIED; s <= MN_SATISFACTION_UNSATISFIED; s++)
    if (g_strcmp0 (str, mn_satisfaction_to_string (s)) == 0)
      {
        *out = s;
        return TRUE;
      }
  return FALSE;
}

const char *
mn_satisfaction_label (MnSatisfaction satisfaction)
{
  switch (satisfaction)
    {
    case MN_SATISFACTION_SATISFIED:
      return _("Satisfied");
    case MN_SATISFACTION_BASIC:
      return _("Basically satisfied");
    case MN_SATISFACTION_UNSATISFIED:
      return _("Unsatisfied");
    default:
      return NULL;
    }
}

MnRating *
mn_rating_new (gboolean       solved,
               MnSatisfaction satisfaction)
{
  MnRating *rating = g_new0 (MnRating, 1);

  rating->solved = solved;
  rating->satisfaction = satisfaction;
  rating->reasons = g_ptr_array_new_with_free_func (g_free);

  return rating;
}

MnRating *
mn_rating_copy (const MnRating *rating)
{
  MnRating *copy;

  g_return_val_if_fail (rating != NULL, NULL);

  copy = mn_rating_new (rating->solved, rating->satisfaction);
  for (guint i = 0; i < rating->reasons->len; i++)
    g_ptr_array_add (copy->reasons, g_strdup (g_ptr_array_index (rating->reasons, i)));
  copy->voice_note = g_strdup (rating->voice_note);

  return copy;
}

void
mn_rating_free (MnRating *rating)
{
  if (rating == NULL)
    return;
  g_ptr_array_unref (rating->reasons);
  g_free (rating->voice_note);
  g_free (rating);
}

gboolean
mn_rating_add_reason (MnRating   *rating,
                      const char *reason,
                      GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  const char       *preset;
  char             *clean;

  g_return_val_if_fail (rating != NULL, FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  if (rating->reasons->len >= MAX_REASONS)
    {
      g_set_error (error, MN_RATING_ERROR, MN_RATING_ERROR_INVALID,
                   _("At most %d reasons can be given; choose the ones that matter most."),
                   MAX_REASONS);
      return FALSE;
    }

  preset = mn_rating_reason_text (reason);
  clean = mn_request_clean_text (preset != NULL ? preset : reason, MAX_REASON_CHARS,
                                 &local_error);
  if (clean == NULL)
    {
      g_set_error (error, MN_RATING_ERROR, MN_RATING_ERROR_INVALID,
                   /* Translators: %s says what is wrong with the text. */
                   _("The reason cannot be used: %s"), local_error->message);
      return FALSE;
    }
  /* The same reason twice says nothing more. */
  for (guint i = 0; i < rating->reasons->len; i++)
    if (g_strcmp0 (g_ptr_array_index (rating->reasons, i), clean) == 0)
      {
        g_free (clean);
        return TRUE;
      }
  g_ptr_array_add (rating->reasons, clean);

  return TRUE;
}

void
mn_rating_set_voice_note (MnRating   *rating,
                          const char *path)
{
  g_return_if_fail (rating != NULL);

  g_free (rating->voice_note);
  rating->voice_note = (path != NULL && *path != '\0') ? g_strdup (path) : NULL;
}

gboolean
mn_rating_is_unhappy (const MnRating *rating)
{
  g_return_val_if_fail (rating != NULL, FALSE);

  return !rating->solved || rating->satisfaction == MN_SATISFACTION_UNSATISFIED;
}

gboolean
mn_rating_validate (const MnRating *rating,
                    GError        **error)
{
  g_return_val_if_fail (rating != NULL, FALSE);

  if (mn_satisfaction_to_string (rating->satisfaction) == NULL)
    {
      g_set_error_literal (error, MN_RATING_ERROR, MN_RATING_ERROR_INVALID,
                           _("Say whether you are satisfied, basically satisfied or "
                             "unsatisfied."));
      return FALSE;
    }

  if (mn_rating_is_unhappy (rating) && rating->reasons->len == 0 && rating->voice_note == NULL)
    {
      g_set_error_literal (error, MN_RATING_ERROR, MN_RATING_ERROR_NO_REASON,
                           _("Please say what is still wrong, by choosing a reason or leaving a "
                             "voice note, so that the case can be handled again."));
      return FALSE;
    }

  return TRUE;
}

char *
mn_rating_describe (const MnRating *rating,
                    guint           round,
                    gboolean        escalated)
{
  GString *text;

  g_return_val_if_fail (rating != NULL, NULL);

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s; %s.",
                          rating->solved ? _("Solved") : _("Not solved"),
                          mn_satisfaction_label (rating->satisfaction));
  if (rating->reasons->len > 0 && mn_rating_is_unhappy (rating))
    {
      g_string_append_c (text, ' ');
      /* Translators: followed by the reasons the resident chose. */
      g_string_append (text, _("Still wrong:"));
      for (guint i = 0; i < rating->reasons->len; i++)
        g_string_append_printf (text, "%s%s", i == 0 ? " " : "; ",
                                (const char *) g_ptr_array_index (rating->reasons, i));
      g_string_append_c (text, '.');
    }
  if (rating->voice_note != NULL)
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("The resident left a voice note at the terminal."));
    }
  if (mn_rating_is_unhappy (rating))
    {
      g_string_append_c (text, ' ');
      g_string_append (text, _("The resident asks for the case to be handled again."));
    }
  if (escalated)
    {
      g_string_append_c (text, ' ');
      g_string_append_printf (text,
                              /* Translators: %u is the round of handling (2 or more). */
                              _("Escalated: still unhappy after handling round %u."), round);
    }

  return g_string_free (text, FALSE);
}

char *
mn_rating_build_payload (const MnRating *rating,
                         const char     *update_id,
                         guint           round,
                         gboolean        escalated,
                         gint64          now)
{
  g_autoptr(JsonBuilder)   b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode)      root = NULL;
  g_autofree char         *description = NULL;

  g_return_val_if_fail (rating != NULL, NULL);
  g_return_val_if_fail (update_id != NULL, NULL);

  description = mn_rating_describe (rating, round, escalated);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "update_id");
  json_builder_add_string_value (b, update_id);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, mn_rating_is_unhappy (rating) ? "REOPEN" : "CLOSED");
  json_builder_set_member_name (b, "description");
  json_builder_add_string_value (b, description);
  json_builder_set_member_name (b, "updated_at");
  json_builder_add_int_value (b, now);
  json_builder_set_member_name (b, "escalated");
  json_builder_add_boolean_value (b, escalated);
  json_builder_set_member_name (b, "rating");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "solved");
  json_builder_add_boolean_value (b, rating->solved);
  json_builder_set_member_name (b, "satisfaction");
  json_builder_add_string_value (b, mn_satisfaction_to_string (rating->satisfaction));
  json_builder_set_member_name (b, "round");
  json_builder_add_int_value (b, round);
  json_builder_set_member_name (b, "reasons");
  json_builder_begin_array (b);
  for (guint i = 0; i < rating->reasons->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (rating->reasons, i));
  json_builder_end_array (b);
  json_builder_set_member_name (b, "voice_note");
  if (rating->voice_note != NULL)
    json_builder_add_string_value (b, rating->voice_note);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);

  return json_generator_to_data (gen, NULL);
}
