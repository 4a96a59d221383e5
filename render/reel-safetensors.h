#pragma once

/* A reader for the safetensors format: an 8-byte little-endian header length, a JSON header
 * naming each tensor's dtype, shape and byte range, then the raw little-endian tensor data.
 * Files are mapped, not read, so opening a model of several gigabytes costs no copy; every
 * offset, shape and size in the header is checked against the file before anything is handed
 * out, and every problem becomes a REEL_RENDER_ERROR_BAD_WEIGHTS error naming the file and the
 * tensor. */

#include <gio/gio.h>
#include <stdint.h>

#include "reel-tensor.h"

G_BEGIN_DECLS

typedef enum
{
  REEL_SAFETENSORS_F32,
  REEL_SAFETENSORS_F16,
  REEL_SAFETENSORS_BF16,
} ReelSafetensorsDtype;

/* Wan and every other model we load stays far below this; it bounds the info struct. */
#define REEL_SAFETENSORS_MAX_DIMS 8

typedef struct
{
  const char *name;             /* as stored in the file, prefix included */
  ReelSafetensorsDtype dtype;
  guint ndim;
  int64_t shape[REEL_SAFETENSORS_MAX_DIMS];
  int64_t n_elements;           /* product of shape; 1 for a scalar (ndim 0) */
  /* Raw little-endian values inside the mapping; not necessarily aligned to the element
   * size, so read through memcpy or use reel_safetensors_read_f32(). */
  const guint8 *data;
  gsize nbytes;
} ReelSafetensorsTensor;

typedef struct _ReelSafetensors ReelSafetensors;

ReelSafetensors *reel_safetensors_open            (const char   *path,
                                                   GError      **error);
/* Parses a file already in memory; display_name is used in error messages. The returned
 * object keeps a reference on bytes. */
ReelSafetensors *reel_safetensors_new_from_bytes  (GBytes       *bytes,
                                                   const char   *display_name,
                                                   GError      **error);
ReelSafetensors *reel_safetensors_ref             (ReelSafetensors *self);
void             reel_safetensors_unref           (ReelSafetensors *self);

const char      *reel_safetensors_get_display_name (ReelSafetensors *self);

/* Tensors are indexed in the order of their data in the file. */
guint            reel_safetensors_get_n_tensors   (ReelSafetensors *self);
const ReelSafetensorsTensor *
                 reel_safetensors_get_tensor      (ReelSafetensors *self,
                                                   guint            index);
/* Finds name as given or, failing that, with the `model.diffusion_model.` prefix that
 * repackaged Wan checkpoints add (and without it, when name carries it). NULL if absent. */
const ReelSafetensorsTensor *
                 reel_safetensors_lookup          (ReelSafetensors *self,
                                                   const char      *name);

/* The `__metadata__` string map; NULL when the key is absent. Keys are sorted. */
const char      *reel_safetensors_get_metadata    (ReelSafetensors *self,
                                                   const char      *key);
GStrv            reel_safetensors_dup_metadata_keys (ReelSafetensors *self);

/* Converts the named tensor to fp32 into dst, which holds n_elements floats. Fails with
 * BAD_WEIGHTS when the tensor is absent, naming the file and the tensor. */
gboolean         reel_safetensors_read_f32        (ReelSafetensors *self,
                                                   const char      *name,
                                                   float           *dst,
                                                   GError         **error);

/* Creates a tensor of the named tensor's shape on backend and uploads its values as fp32.
 * A scalar becomes a one-element vector, and leading dimensions beyond the backend's limit are
 * folded into one (the layout is the same). Fails with BAD_WEIGHTS when the tensor is absent
 * or empty, OUT_OF_MEMORY when the conversion buffer cannot be had, or the backend's error. */
ReelTensor      *reel_safetensors_load_tensor     (ReelSafetensors *self,
                                                   ReelBackend     *backend,
                                                   const char      *name,
                                                   GError         **error);

/* Streams the file through SHA-256 and compares with expected_hex (64 hex digits, any case). */
gboolean         reel_safetensors_verify_sha256   (const char   *path,
                                                   const char   *expected_hex,
                                                   GError      **error);

const char      *reel_safetensors_dtype_to_string (ReelSafetensorsDtype dtype);
gsize            reel_safetensors_dtype_size      (ReelSafetensorsDtype dtype);

/* Exact conversions (IEEE 754 binary16 and bfloat16, subnormals, infinities and NaN kept). */
float            reel_half_to_float               (guint16 h);
float            reel_bf16_to_float               (guint16 b);
/* Round to nearest, ties to even; NaN stays NaN. */
guint16          reel_float_to_half               (float   f);
guint16          reel_float_to_bf16               (float   f);

/* Converts n little-endian values of dtype at src into dst. */
void             reel_safetensors_convert_to_f32  (ReelSafetensorsDtype  dtype,
                                                   const void           *src,
                                                   float                *dst,
                                                   gsize                 n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelSafetensors, reel_safetensors_unref)

G_END_DECLS
