/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "mn-catalogue.h"
#include "mn-store.h"
#include "mn-voice-note.h"
#include "mn-window.h"

G_BEGIN_DECLS

/* The resident's filing flow (issue 4): category → details → location →
 * phone → consent → review → receipt. It owns the pages and the draft,
 * adds the pages to the window, and puts "File a request" on the start
 * screen as soon as it has a store to save into (never before: the
 * button would lead to a form that cannot be filed). On the window's
 * "reset" every page and the draft are wiped.
 *
 * Page names: file-category, file-details, file-location, file-contact,
 * file-consent, file-review, file-receipt.
 *
 * Signal "filed" (MnRequest *request): the request was durably saved and
 * its receipt is on screen. */
#define MN_TYPE_FILING_FLOW (mn_filing_flow_get_type ())
G_DECLARE_FINAL_TYPE (MnFilingFlow, mn_filing_flow, MN, FILING_FLOW, GObject)

MnFilingFlow *mn_filing_flow_new           (MnWindow     *window,
                                            MnCatalogue  *catalogue);
/* While someone is filing, a new catalogue waits until their session
 * ends, so nothing changes under their finger. */
void          mn_filing_flow_set_catalogue (MnFilingFlow *self,
                                            MnCatalogue  *catalogue);
/* Where requests are saved; NULL takes the start button away again. */
void          mn_filing_flow_set_store     (MnFilingFlow *self,
                                            MnStore      *store);
MnStore      *mn_filing_flow_get_store     (MnFilingFlow *self);
/* The person's voice note (recorded on the details page), for tests;
 * NULL until there is a store. */
MnVoiceNote  *mn_filing_flow_get_voice_note (MnFilingFlow *self);
/* The page called @name, for tests. */
GtkWidget    *mn_filing_flow_get_page      (MnFilingFlow *self,
                                            const char   *name);

G_END_DECLS
