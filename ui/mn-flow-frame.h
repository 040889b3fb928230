/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The frame of every page of the resident's flow: where they are ("Step 2
 * of 7"), what the page asks, the page's own content, and the same three
 * buttons at the bottom of every page: Back, Repeat (speech) and Call
 * staff, always in the same places, followed by the page's own button to
 * go on ("action-widget"). A page's template puts its content in
 * the frame's "content" property. */
#define MN_TYPE_FLOW_FRAME (mn_flow_frame_get_type ())
G_DECLARE_FINAL_TYPE (MnFlowFrame, mn_flow_frame, MN, FLOW_FRAME, GtkWidget)

GtkWidget  *mn_flow_frame_new                  (void);
void        mn_flow_frame_set_content          (MnFlowFrame *self,
                                                GtkWidget   *content);
GtkWidget  *mn_flow_frame_get_content          (MnFlowFrame *self);
void        mn_flow_frame_set_title            (MnFlowFrame *self,
                                                const char  *title);
const char *mn_flow_frame_get_title            (MnFlowFrame *self);
/* "Step @step of @n_steps"; 0 hides the indicator. */
void        mn_flow_frame_set_step             (MnFlowFrame *self,
                                                guint        step,
                                                guint        n_steps);
/* The detailed action of Back (default "win.go-home"), such as
 * "win.show-page::file-details". */
void        mn_flow_frame_set_back_action_name (MnFlowFrame *self,
                                                const char  *action_name);
const char *mn_flow_frame_get_step_text        (MnFlowFrame *self);
/* The page's own "go on" button, at the right end of the bottom row,
 * where a person looks for it on every page. */
void        mn_flow_frame_set_action_widget    (MnFlowFrame *self,
                                                GtkWidget   *widget);

G_END_DECLS
