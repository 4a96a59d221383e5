#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SPIR-V of one shader variant (a name from shaders/meson.build), or NULL when there is no
 * such variant. *size gets its length in bytes. */
const guint32 *reel_shader_lookup (const char *name,
                                   gsize      *size);

G_END_DECLS
