#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include "reel-render-error.h"

G_DEFINE_QUARK (reel-render-error-quark, reel_render_error)
