#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include "reel-project-error.h"

G_DEFINE_QUARK (reel-project-error-quark, reel_project_error)
