#pragma once

/* Writes safetensors files: tests build their fixtures with it and exporters their models.
 * Tensors are laid out in the order they are added; the header is padded with spaces to a
 * multiple of 8 bytes so that every tensor's data starts 8-byte aligned in the file. */

#include <gio/gio.h>
#include <stdint.h>

#include "reel-safetensors.h"

G_BEGIN_DECLS

typedef struct _ReelSafetensorsWriter ReelSafetensorsWriter;

ReelSafetensorsWriter *reel_safetensors_writer_new          (void);
void                   reel_safetensors_writer_free         (ReelSafetensorsWriter *self);

void                   reel_safetensors_writer_set_metadata (ReelSafetensorsWriter *self,
                                                             const char            *key,
                                                             const char            *value);

/* data holds product(shape) little-endian values of dtype; it is copied. */
gboolean               reel_safetensors_writer_add          (ReelSafetensorsWriter *self,
                                                             const char            *name,
                                                             ReelSafetensorsDtype   dtype,
                                                             guint                  ndim,
                                                             const int64_t         *shape,
                                                             const void            *data,
                                                             GError               **error);
/* Converts fp32 values to dtype (round to nearest, ties to even) and adds them. */
gboolean               reel_safetensors_writer_add_f32      (ReelSafetensorsWriter *self,
                                                             const char            *name,
                                                             ReelSafetensorsDtype   dtype,
                                                             guint                  ndim,
                                                             const int64_t         *shape,
                                                             const float           *values,
                                                             GError               **error);

GBytes                *reel_safetensors_writer_to_bytes     (ReelSafetensorsWriter *self);
/* Replaces path atomically: readers never see a half-written model. */
gboolean               reel_safetensors_writer_write        (ReelSafetensorsWriter *self,
                                                             const char            *path,
                                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSafetensorsWriter, reel_safetensors_writer_free)

G_END_DECLS
