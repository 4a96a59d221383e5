#pragma once

#include <adwaita.h>

#include "reel-window.h"

G_BEGIN_DECLS

#define REEL_TYPE_APPLICATION (reel_application_get_type ())

G_DECLARE_FINAL_TYPE (ReelApplication, reel_application, REEL, APPLICATION, AdwApplication)

ReelApplication *reel_application_new           (void);
/* A new window on @project (NULL: a new empty project), presented. */
ReelWindow      *reel_application_open_window   (ReelApplication *self,
                                                 ReelProject     *project);
/* Loads the bundle and shows it: in the window already showing it, in @requester (or another
 * window) when that still holds an untouched empty project, or in a new window. A project that
 * fails to load is reported in a dialog naming the file. Returns the window (borrowed). */
ReelWindow      *reel_application_open_project  (ReelApplication *self,
                                                 GFile           *bundle,
                                                 ReelWindow      *requester);

G_END_DECLS
