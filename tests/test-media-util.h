#pragma once

#include <gst/gst.h>

#include "reel-project.h"

G_BEGIN_DECLS

/* Takes have no generated media until the video model exists (the video model issue), so the
 * media tests make their own at this boundary: short real files written with GStreamer and
 * registered as takes through the app layer, exactly as a finished generation will be. */

#define TEST_MEDIA_WIDTH  320
#define TEST_MEDIA_HEIGHT 180

/* An H.264 MP4 of one solid colour (0xRRGGBB), @seconds long at 24 fps. */
gboolean     test_media_write_video   (const char  *path,
                                       guint32      rgb,
                                       double       seconds,
                                       GError     **error);
/* A WAV sine tone. */
gboolean     test_media_write_audio   (const char  *path,
                                       double       frequency,
                                       double       seconds,
                                       GError     **error);
/* A project saved as @dir/Test.reel with one shot per colour, each @seconds long, each with a
 * selected take whose video is that colour and whose audio is a tone. */
ReelProject *test_media_project_new   (const char    *dir,
                                       const guint32 *colours,
                                       guint          n_shots,
                                       double         seconds);
/* Adds another take of @rgb to @shot (not selected) and returns it (borrowed). */
ReelTake    *test_media_add_take      (ReelProject *project,
                                       ReelShot    *shot,
                                       guint32      rgb,
                                       double       seconds);

typedef struct
{
  GstClockTime pts;
  GBytes      *rgba;
} TestFrame;

/* Every video frame of @path as tightly packed RGBA with its stream time; width and height
 * set. */
GArray      *test_media_decode_frames (const char  *path,
                                       int         *width,
                                       int         *height,
                                       GError     **error);
/* The fraction of the rectangle's pixels that differ from @rgb by more than 48 in a channel. */
double       test_media_region_changed (const TestFrame *frame,
                                        int              width,
                                        int              height,
                                        int              x,
                                        int              y,
                                        int              w,
                                        int              h,
                                        guint32          rgb,
                                        const int       *exclude);
/* The mean colour of a rectangle as 0xRRGGBB. */
guint32      test_media_region_mean   (const guint8 *rgba,
                                       int           stride,
                                       int           x,
                                       int           y,
                                       int           w,
                                       int           h);

/* rm -r, for the tests' temporary folders. */
void         test_media_remove_tree   (const char *path);

G_END_DECLS
