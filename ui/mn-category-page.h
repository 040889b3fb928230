/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-catalogue.h"

G_BEGIN_DECLS

/* Step 1 of the resident's flow: what the request is about. The
 * catalogue's groups are buttons along the top; the categories of the
 * chosen group, at most nine at a time, are large tiles. Touching a tile
 * selects it and says its name; nothing happens until the person
 * confirms with the large button below, which then names the choice.
 *
 * Actions (group "category"): category.group (s, the group shown),
 * category.code (s, the category selected), category.next-chunk,
 * category.confirm. Signal "chosen" (const char *service_code). */
#define MN_TYPE_CATEGORY_PAGE (mn_category_page_get_type ())
G_DECLARE_FINAL_TYPE (MnCategoryPage, mn_category_page, MN, CATEGORY_PAGE, AdwBin)

/* At most this many tiles show at once. */
#define MN_CATEGORY_PAGE_MAX_TILES 9

GtkWidget   *mn_category_page_new          (void);
void         mn_category_page_set_catalogue (MnCategoryPage *self,
                                             MnCatalogue    *catalogue);
MnCatalogue *mn_category_page_get_catalogue (MnCategoryPage *self);
/* The service code selected, or NULL. */
const char  *mn_category_page_get_selected  (MnCategoryPage *self);
/* Forgets the selection and shows the first group again. */
void         mn_category_page_reset         (MnCategoryPage *self);
/* The tile of @service_code when it is shown, else NULL (for tests). */
GtkWidget   *mn_category_page_get_tile      (MnCategoryPage *self,
                                             const char     *service_code);

G_END_DECLS
