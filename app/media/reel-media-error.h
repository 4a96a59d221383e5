#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Errors of app/media/: playback, sequencing and export. */

#define REEL_MEDIA_ERROR (reel_media_error_quark ())

typedef enum
{
  REEL_MEDIA_ERROR_FAILED,
  /* A GStreamer element or plugin Reel needs is not installed. */
  REEL_MEDIA_ERROR_MISSING_PLUGIN,
  /* Nothing to play or export: no shots, no such shot or take, or a take without video. */
  REEL_MEDIA_ERROR_NO_MEDIA,
  /* A take's media file could not be read or decoded. */
  REEL_MEDIA_ERROR_BAD_MEDIA,
  /* The pipeline failed while playing or encoding. */
  REEL_MEDIA_ERROR_PIPELINE,
} ReelMediaError;

GQuark reel_media_error_quark (void);

G_END_DECLS
