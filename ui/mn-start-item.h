/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* How a start screen button looks and where it sits. */
typedef enum
{
  MN_START_ITEM_TILE,    /* a large tile in the grid */
  MN_START_ITEM_PRIMARY, /* a tile in the primary colour: the main thing to do */
  MN_START_ITEM_STAFF,   /* the call-staff button, always in the bottom row */
} MnStartItemKind;

/* One button of the start screen: what it says, its icon, and the action
 * it activates. The window keeps a list of these; a page that wants a
 * button on the start screen registers one (see mn_window_add_page()), so
 * the start screen never shows a button whose page does not exist. */
#define MN_TYPE_START_ITEM (mn_start_item_get_type ())
G_DECLARE_FINAL_TYPE (MnStartItem, mn_start_item, MN, START_ITEM, GObject)

MnStartItem     *mn_start_item_new                 (const char      *id,
                                                    const char      *title,
                                                    const char      *icon_name,
                                                    const char      *action_name,
                                                    GVariant        *action_target,
                                                    MnStartItemKind  kind,
                                                    int              position);
/* The same with @title an untranslated message marked N_(): it is
 * translated whenever read, so the start screen follows a change of
 * language (see mn_window_set_language()). Prefer this one. */
MnStartItem     *mn_start_item_new_translatable    (const char      *id,
                                                    const char      *title,
                                                    const char      *icon_name,
                                                    const char      *action_name,
                                                    GVariant        *action_target,
                                                    MnStartItemKind  kind,
                                                    int              position);
const char      *mn_start_item_get_id              (MnStartItem     *self);
const char      *mn_start_item_get_title           (MnStartItem     *self);
const char      *mn_start_item_get_icon_name       (MnStartItem     *self);
const char      *mn_start_item_get_action_name     (MnStartItem     *self);
GVariant        *mn_start_item_get_action_target   (MnStartItem     *self);
MnStartItemKind  mn_start_item_get_kind            (MnStartItem     *self);
int              mn_start_item_get_position        (MnStartItem     *self);

G_END_DECLS
