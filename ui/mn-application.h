/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-filing-flow.h"
#include "mn-kiosk-style.h"
#include "mn-outbox.h"
#include "mn-speech.h"
#include "mn-progress-flow.h"
#include "mn-staff-flow.h"
#include "mn-window.h"

G_BEGIN_DECLS

#define MN_TYPE_APPLICATION (mn_application_get_type ())
G_DECLARE_FINAL_TYPE (MnApplication, mn_application, MN, APPLICATION, AdwApplication)

MnApplication *mn_application_new              (void);

/* The terminal's settings, or NULL when the org.minyin.Terminal schema is
 * not installed (the terminal then runs with its defaults). */
GSettings     *mn_application_get_settings     (MnApplication *self);
/* The generated kiosk stylesheet; NULL before startup. */
MnKioskStyle  *mn_application_get_kiosk_style  (MnApplication *self);
/* The kiosk's voice (silent when voice-enabled is off in the settings).
 * Everything the window announces goes to it. */
MnSpeech      *mn_application_get_speech       (MnApplication *self);
/* The window, created on first use. Call after startup. */
MnWindow      *mn_application_get_window       (MnApplication *self);

/* The resident's filing flow; NULL before the window exists. */
MnFilingFlow  *mn_application_get_filing_flow  (MnApplication *self);

/* Looks the schema up where it is installed, then in the build tree, and
 * returns NULL (with a warning) rather than aborting when it is missing. */
GSettings     *mn_application_load_settings    (void);

/* Asking about progress and rating (issue 6); NULL before the window. */
MnProgressFlow *mn_application_get_progress_flow (MnApplication *self);

/* Staff sign-in and the quarantined messages; NULL before the window. */
MnStaffFlow    *mn_application_get_staff_flow    (MnApplication *self);
/* The sync worker of a provisioned terminal, or NULL (not provisioned, or
 * not started yet): its "changed" signal follows every pass. */
MnOutbox       *mn_application_get_outbox        (MnApplication *self);

G_END_DECLS
