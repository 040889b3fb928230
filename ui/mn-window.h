/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "mn-start-item.h"

G_BEGIN_DECLS

#define MN_WINDOW_ERROR (mn_window_error_quark ())
typedef enum
{
  MN_WINDOW_ERROR_NOT_DRAWN,   /* the window has no size yet */
  MN_WINDOW_ERROR_SAVE_FAILED, /* the picture could not be written */
} MnWindowError;
GQuark mn_window_error_quark (void);

/* The terminal's one window. It owns the pages (a stack, one page
 * visible) and the list of start screen buttons; calling staff covers
 * whatever page is showing with a sign until it is cancelled.
 *
 * Signals:
 *  - "staff-call" (gboolean called): staff were called (TRUE) or the call
 *    was cancelled (FALSE). The application logs it; the audit trail and
 *    a station's pager can connect here too.
 *  - "announce" (const char *text): text that should be spoken now, in the
 *    display language. THE VOICE HOOK: the speech service connects here.
 *  - "announce-button" (const char *name): a button was touched and
 *    should say what it is; unlike "announce", "repeat" does not repeat it.
 *  - "reset": the session ends (idle timeout, or the flow is done): every
 *    page must forget what the person entered, before the start screen
 *    shows again. The display language is back to the default after it.
 *
 * Property "language" (string, read-only): the display language code
 * (mn-i18n.h); notifies after a switch, once the pages are rebuilt. The
 * application switches the voice and the fonts there.
 *
 * Property "settled" (boolean, read-only): pages added before the window's
 * first frame join the stack only after it (a factory's page is built only
 * then), one per frame when the main loop is idle, so that the first frame
 * builds and styles the start screen alone; "settled" turns TRUE (and notifies) once every page is in
 * the stack and has been through a frame. A page needed earlier (shown,
 * or fetched with mn_window_get_page()) joins at once.
 *
 * Actions: win.show-page (s), win.go-home, win.call-staff,
 * win.cancel-staff-call, win.staff-sign-in (from the staff sign: the call
 * is answered and the page "staff-sign-in" shows), win.more-time, win.repeat, win.set-language (s:
 * switch for this person, then show the start screen and say so). */
#define MN_TYPE_WINDOW (mn_window_get_type ())
G_DECLARE_FINAL_TYPE (MnWindow, mn_window, MN, WINDOW, AdwApplicationWindow)

MnWindow    *mn_window_new                (GtkApplication *application,
                                           gboolean        kiosk);

/* Adds @page to the stack under @name. When @start_item is given (its
 * action is usually "win.show-page" with @name as target), its button
 * appears on the start screen; registering is the only way to get one. */
void         mn_window_add_page           (MnWindow       *self,
                                           const char     *name,
                                           GtkWidget      *page,
                                           MnStartItem    *start_item);
/* Builds a page; called once (at registration; for a factory added before
 * the window's first frame, after that frame in an idle, or at once when
 * the page or another of its flow's pages is needed sooner: pages from the
 * same factory function or with the same @user_data are built together, in
 * the order they were added) and again after every change of language,
 * since templates translate their text when they are built.
 * A factory that sets the page's speech (mn_window_set_page_speech) does
 * it here, so the words are in the new language too. */
typedef GtkWidget *(*MnWindowPageFactory) (MnWindow *window,
                                           gpointer  user_data);

/* As mn_window_add_page(), with a factory instead of a built page: the
 * way to add a page that follows a change of language. Use
 * mn_start_item_new_translatable() for its button. The factory must
 * return a new page every time (the old one is dropped, with whatever a
 * person had entered: a language is chosen from the start screen). */
void         mn_window_add_page_factory   (MnWindow            *self,
                                           const char          *name,
                                           MnWindowPageFactory  factory,
                                           gpointer             user_data,
                                           GDestroyNotify       destroy,
                                           MnStartItem         *start_item);
/* The page registered under @name, or NULL; after a change of language a
 * factory's page is a new widget. */
GtkWidget   *mn_window_get_page           (MnWindow       *self,
                                           const char     *name);

/* Switches the display language to @language (a code of
 * mn_i18n_get_languages(); NULL: the default) for the whole window at
 * once: messages, text direction (right to left for Uyghur), the Pango
 * language that picks Simplified or Traditional glyphs, and every page
 * built by a factory, the start screen and the window's signs. Notifies
 * "language"; the session's reset switches back. */
gboolean     mn_window_set_language       (MnWindow       *self,
                                           const char     *language,
                                           GError        **error);
const char  *mn_window_get_language       (MnWindow       *self);

void         mn_window_add_start_item     (MnWindow       *self,
                                           MnStartItem    *item);
/* Element type MnStartItem, sorted by position. */
GListModel  *mn_window_get_start_items    (MnWindow       *self);
GtkWidget   *mn_window_get_start_page     (MnWindow       *self);

gboolean     mn_window_get_settled        (MnWindow       *self);

/* A line of its own above every page (the sync indicator), not over the
 * window's signs, which still fill the screen; NULL takes it away. The
 * window holds it while it is there. */
void         mn_window_set_status         (MnWindow       *self,
                                           GtkWidget      *status);

void         mn_window_show_page          (MnWindow       *self,
                                           const char     *name);
const char  *mn_window_get_visible_page   (MnWindow       *self);

gboolean     mn_window_get_staff_called   (MnWindow       *self);
void         mn_window_call_staff         (MnWindow       *self);
void         mn_window_cancel_staff_call  (MnWindow       *self);

/* What is spoken when page @page appears and when "repeat" is pressed on
 * it; NULL removes it. */
void         mn_window_set_page_speech    (MnWindow       *self,
                                           const char     *page,
                                           const char     *text);

/* After @idle_seconds without a touch on any page but the start screen, a
 * warning with a "more time" button shows for @warning_seconds; then the
 * session is reset. 0 turns the clock off. Defaults: 90 and 20. */
void         mn_window_set_idle_timeout   (MnWindow       *self,
                                           double          idle_seconds,
                                           double          warning_seconds);
/* A touch: restarts the idle clock and takes the warning away. Touches on
 * the window are noticed without this; it is for other input. */
void         mn_window_note_activity      (MnWindow       *self);
gboolean     mn_window_get_idle_warning   (MnWindow       *self);
/* Ends the session now: emits "reset" and shows the start screen. */
void         mn_window_reset_session      (MnWindow       *self);

/* Asks for @text to be spoken (emits "announce"). */
void         mn_window_announce           (MnWindow       *self,
                                           const char     *text);

/* Asks for a touched button's name to be said (emits "announce-button"). */
void         mn_window_say_button         (MnWindow       *self,
                                           const char     *name);

/* Renders the window as it is now. */
GdkTexture  *mn_window_render             (MnWindow       *self,
                                           GError        **error);
/* Renders the window as it is now into a PNG file. */
gboolean     mn_window_save_screenshot    (MnWindow       *self,
                                           const char     *path,
                                           GError        **error);
/* The same once the window has been mapped and drawn its first frame. */
void         mn_window_screenshot_async   (MnWindow       *self,
                                           const char     *path,
                                           GCancellable   *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer        user_data);
gboolean     mn_window_screenshot_finish  (MnWindow       *self,
                                           GAsyncResult   *result,
                                           GError        **error);

G_END_DECLS
