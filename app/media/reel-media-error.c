#define G_LOG_DOMAIN "reel-media"

#include "config.h"

#include "reel-media-error.h"

G_DEFINE_QUARK (reel-media-error-quark, reel_media_error)
