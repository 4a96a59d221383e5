#pragma once

#include <gtk/gtk.h>

#include "reel-player.h"

G_BEGIN_DECLS

/* A GtkMediaStream over a ReelPlayer: hand it to a GtkVideo or GtkPicture to show the cut, a
 * take, or an A/B pair (see reel-sequence.h) with the usual controls. Frames become
 * GdkMemoryTextures without a copy (the texture keeps the GStreamer buffer). The stream's
 * position maps to the shot under the playhead through reel_media_stream_get_player(). */

#define REEL_TYPE_MEDIA_STREAM (reel_media_stream_get_type ())

G_DECLARE_FINAL_TYPE (ReelMediaStream, reel_media_stream, REEL, MEDIA_STREAM, GtkMediaStream)

GtkMediaStream *reel_media_stream_new        (ReelPlayer      *player);
ReelPlayer     *reel_media_stream_get_player (ReelMediaStream *self);

G_END_DECLS
