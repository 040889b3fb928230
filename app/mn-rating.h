/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A resident's rating of a closed case (回访): was it solved (已解决 /
 * 未解决), and how satisfied are they (满意 / 基本满意 / 不满意). "Not
 * solved" or "unsatisfied" is unhappy: it comes with what is still wrong
 * (preset reasons and/or a voice note) and asks the platform to handle the
 * case again (二次办理). A case that was handled again and is rated
 * unhappy once more is escalated (履职评估). */

typedef enum
{
  MN_SATISFACTION_SATISFIED,
  MN_SATISFACTION_BASIC,       /* 基本满意 */
  MN_SATISFACTION_UNSATISFIED,
} MnSatisfaction;

/* "satisfied", "basic", "unsatisfied": the words of the command line and
 * of the stored rating. */
const char *mn_satisfaction_to_string   (MnSatisfaction  satisfaction);
gboolean    mn_satisfaction_from_string (const char     *str,
                                         MnSatisfaction *out);
/* The words a person reads: "Satisfied", "Basically satisfied"... */
const char *mn_satisfaction_label       (MnSatisfaction  satisfaction);

/* The preset answers to "what is still wrong?", as the kiosk offers them:
 * a stable id and the words (translated when shown). */
typedef struct
{
  const char *id;
  const char *text; /* N_() */
} MnRatingReason;

/* Ends with a zeroed entry. */
const MnRatingReason *mn_rating_preset_reasons (void);
/* The translated words of preset @id, or NULL when there is no such id. */
const char           *mn_rating_reason_text    (const char *id);

typedef struct
{
  gboolean       solved;
  MnSatisfaction satisfaction;
  GPtrArray     *reasons;    /* char*, the words, cleaned */
  char          *voice_note; /* path of a recorded note, or NULL */
} MnRating;

MnRating *mn_rating_new        (gboolean        solved,
                                MnSatisfaction  satisfaction);
MnRating *mn_rating_copy       (const MnRating *rating);
void      mn_rating_free       (MnRating       *rating);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MnRating, mn_rating_free)

/* Adds a reason: a preset id (its words are stored) or words of the
 * person's own; FALSE with an error when the text is empty or too long. */
gboolean  mn_rating_add_reason (MnRating       *rating,
                                const char     *reason,
                                GError        **error);
void      mn_rating_set_voice_note (MnRating   *rating,
                                    const char *path);

/* Not solved, or unsatisfied. */
gboolean  mn_rating_is_unhappy (const MnRating *rating);

/* An unhappy rating must say what is still wrong: at least one reason or
 * a voice note. */
gboolean  mn_rating_validate   (const MnRating *rating,
                                GError        **error);

/* The description sent to the platform with the update: the answers, the
 * reasons, and for an escalation a sentence saying so, so that a platform
 * that knows no escalation flag still reads it. @round counts from 1. */
char     *mn_rating_describe   (const MnRating *rating,
                                guint           round,
                                gboolean        escalated);

/* The outbox payload of the "update" message (documented in mn-store.h). */
char     *mn_rating_build_payload (const MnRating *rating,
                                   const char     *update_id,
                                   guint           round,
                                   gboolean        escalated,
                                   gint64          now);

#define MN_RATING_ERROR (mn_rating_error_quark ())
typedef enum
{
  MN_RATING_ERROR_INVALID,
  MN_RATING_ERROR_NO_REASON,
} MnRatingError;
GQuark mn_rating_error_quark (void);

G_END_DECLS
