/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* Step 3 of filing: where the problem is. For now one choice, "here, at
 * this service station"; the gazetteer's street → community → compound →
 * building → unit pickers come with the gazetteer (app/mn-gazetteer.h).
 * Touching the choice selects it and says it; Next ("location.next")
 * emits "next".
 *
 * Actions: location.choice (s, property "choice"), location.next. */
#define MN_TYPE_LOCATION_PAGE (mn_location_page_get_type ())
G_DECLARE_FINAL_TYPE (MnLocationPage, mn_location_page, MN, LOCATION_PAGE, AdwBin)

GtkWidget  *mn_location_page_new              (void);
/* The address as it goes on the request, or NULL when nothing is chosen. */
const char *mn_location_page_get_address_text (MnLocationPage *self);
void        mn_location_page_reset            (MnLocationPage *self);

G_END_DECLS
