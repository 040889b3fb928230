/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-gazetteer.h"

G_BEGIN_DECLS

/* Step 3 of filing: where the problem is. "Here, at this service station"
 * (the station's place in the gazetteer), or "Somewhere else": pickers
 * from the gazetteer, street → community → compound → building → unit, as
 * large buttons (at most nine at a time), each touch going one level
 * down, with "Up one level" to go back. Next ("location.next") emits
 * "next" once "here" or a place at community level or below is chosen.
 *
 * Actions: location.choice (s: "here" or "other"), location.pick (s, a
 * place code), location.up, location.more, location.next.
 * Signal "places-loaded": the buttons of a level are on screen (the
 * gazetteer answers on the store's thread). */
#define MN_TYPE_LOCATION_PAGE (mn_location_page_get_type ())
G_DECLARE_FINAL_TYPE (MnLocationPage, mn_location_page, MN, LOCATION_PAGE, AdwBin)

GtkWidget  *mn_location_page_new              (void);
/* Where places come from; NULL offers only "here". */
void        mn_location_page_set_gazetteer    (MnLocationPage *self,
                                               MnGazetteer    *gazetteer);
/* The address as it goes on the request, or NULL when nothing usable is
 * chosen. */
const char *mn_location_page_get_address_text (MnLocationPage *self);
/* The name of the station the kiosk stands in, or NULL when none is
 * provisioned (or not read yet). */
const char *mn_location_page_get_station_name (MnLocationPage *self);
/* The gazetteer code of the chosen place, or NULL. */
const char *mn_location_page_get_place_code   (MnLocationPage *self);
/* The button of the place @code when it is shown (for tests). */
GtkWidget  *mn_location_page_get_place_button (MnLocationPage *self,
                                               const char     *code);
/* The codes of the places shown now, in order (for tests). */
GPtrArray  *mn_location_page_list_shown       (MnLocationPage *self);
void        mn_location_page_reset            (MnLocationPage *self);

G_END_DECLS
