/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-catalogue.h"

G_BEGIN_DECLS

/* Step 2 of filing: what is wrong, picked from the category's preset
 * phrases (several may be combined), so nobody has to type. Touching a
 * phrase selects or unselects it and says it; the page's Next button
 * ("details.next") emits "next" once at least one is chosen.
 *
 * Actions: details.toggle (s, a phrase's index), details.next. */
#define MN_TYPE_DETAILS_PAGE (mn_details_page_get_type ())
G_DECLARE_FINAL_TYPE (MnDetailsPage, mn_details_page, MN, DETAILS_PAGE, AdwBin)

GtkWidget *mn_details_page_new          (void);
/* Shows the phrases of @category (borrowed; it must outlive the page's
 * use of it) and forgets any earlier choice. */
void       mn_details_page_set_category (MnDetailsPage    *self,
                                         const MnCategory *category);
/* The chosen phrases joined into one description, in the order shown;
 * NULL when none is chosen. */
char      *mn_details_page_dup_text     (MnDetailsPage    *self);
/* The toggle of phrase @index (for tests). */
GtkWidget *mn_details_page_get_phrase   (MnDetailsPage    *self,
                                         guint             index);
void       mn_details_page_reset        (MnDetailsPage    *self);

G_END_DECLS
