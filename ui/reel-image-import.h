#pragma once

#include <gio/gio.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* Copies an image into the project's media/ folder on a worker thread: hashing, copying,
 * syncing and decoding a large photo would otherwise stall the window. The result is the
 * content-addressed media name to hand to reel_project_edit_set_start_image_name().
 *
 * Only for a project whose media folder already exists somewhere (a saved project, or one
 * that has imported before): reel_image_import_can_run() says so. A project's very first
 * import goes through reel_project_edit_set_start_image(), which also creates the scratch
 * folder of a never-saved project. */
gboolean reel_image_import_can_run    (ReelProject          *project);
void     reel_image_import_async      (ReelProject          *project,
                                       GFile                *image,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
char    *reel_image_import_finish     (ReelProject          *project,
                                       GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
