#pragma once

#include <adwaita.h>

#include "reel-project.h"

G_BEGIN_DECLS

#define REEL_TYPE_WINDOW (reel_window_get_type ())

G_DECLARE_FINAL_TYPE (ReelWindow, reel_window, REEL, WINDOW, AdwApplicationWindow)

/* A studio window editing @project (NULL: a new empty project). */
ReelWindow  *reel_window_new              (GtkApplication *application,
                                           ReelProject    *project);
ReelProject *reel_window_get_project      (ReelWindow     *self);
/* Replaces the document shown; the caller has already dealt with unsaved changes. */
void         reel_window_set_project      (ReelWindow     *self,
                                           ReelProject    *project);
/* TRUE for a window still showing the untouched empty project it opened with, which opening a
 * file may reuse instead of opening a second window. */
gboolean     reel_window_is_pristine      (ReelWindow     *self);
void         reel_window_add_toast        (ReelWindow     *self,
                                           const char     *message);
/* A dialog for errors the person must acknowledge, such as a project that failed to open. */
void         reel_window_show_error       (ReelWindow     *self,
                                           const char     *heading,
                                           const char     *message);

G_END_DECLS
