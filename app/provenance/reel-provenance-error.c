#define G_LOG_DOMAIN "reel-provenance"

#include "config.h"

#include "reel-provenance-error.h"

G_DEFINE_QUARK (reel-provenance-error-quark, reel_provenance_error)
