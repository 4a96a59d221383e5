#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Decodes an image file scaled to fit @max_size × @max_size pixels on a worker thread, so a
 * large start image never stalls the timeline. Results are cached by path and size: media
 * files are content-addressed and never change once written. */
void        reel_thumbnail_load_async  (GFile               *file,
                                        int                  max_size,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
GdkTexture *reel_thumbnail_load_finish (GAsyncResult        *result,
                                        GError             **error);

G_END_DECLS
