/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

guint mn_test_assert_no_plain_sound (const char *path);

G_END_DECLS
