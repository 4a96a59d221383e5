#pragma once

/* A compute backend that a whole model runs on: the Vulkan device (render/vk/) or the CPU
 * (render/cpu/). Both implement every op; their results agree up to rounding.
 *
 * Ops mirror render/cpu/reel-cpu-ops.h one for one: the same names, the same layouts and the
 * same scalar arguments, with tensors in place of the float pointers. Each tensor must hold
 * exactly the number of elements the op's sizes call for (its shape is free: reshape it), and
 * all tensors of one call must come from this backend; otherwise the op fails with
 * REEL_RENDER_ERROR_INVALID_ARGUMENT and a message naming the op and the tensor. Outputs may
 * alias inputs only where the CPU function says "in place is fine".
 *
 * Ops are queued: the Vulkan backend records many dispatches into one command buffer and
 * submits them at reel_backend_sync(); the CPU backend runs each op as it is called. Errors
 * found while queueing (bad sizes, a shape the device cannot run) are reported by the op;
 * errors while running (device lost, out of memory) by reel_backend_sync(). upload and download
 * first wait for every queued op, so they always see and affect the program order.
 *
 * Device loss: once any call fails with REEL_RENDER_ERROR_DEVICE_LOST the backend is lost for
 * good: every later call fails at once with the same code and a message saying to restart the
 * render or choose another device, without touching the device. Create a new backend.
 *
 * Out of memory: a tensor that does not fit the memory left fails with
 * REEL_RENDER_ERROR_OUT_OF_MEMORY naming the size; one larger than the device can ever bind
 * fails with REEL_RENDER_ERROR_INVALID_ARGUMENT. Either way the backend stays usable.
 *
 * A backend is used from one thread at a time (the scheduler's worker). */

#include <gio/gio.h>
#include <stdint.h>

#include "reel-tensor.h"
#include "cpu/reel-cpu-ops.h"

G_BEGIN_DECLS

typedef enum
{
  REEL_BACKEND_CPU,
  REEL_BACKEND_VULKAN,
} ReelBackendKind;

ReelBackend    *reel_backend_ref          (ReelBackend *self);
void            reel_backend_unref        (ReelBackend *self);

ReelBackendKind reel_backend_get_kind     (ReelBackend *self);
/* "cpu (OpenBLAS, 2 threads)", "vulkan (llvmpipe (LLVM 15.0.6, 256 bits))", … */
const char     *reel_backend_get_name     (ReelBackend *self);

/* Tensors. New tensors hold unspecified values until written. Fails with
 * REEL_RENDER_ERROR_OUT_OF_MEMORY (or INVALID_ARGUMENT for a size the device can never hold,
 * such as more than its largest storage buffer) with a message giving the size. */
ReelTensor     *reel_backend_new_tensor   (ReelBackend   *self,
                                           guint          n_dims,
                                           const int64_t *shape,
                                           GError       **error);
/* Shorthands for n_dims 1 to 4. */
ReelTensor     *reel_backend_new_tensor_1d (ReelBackend *self, int64_t d0, GError **error);
ReelTensor     *reel_backend_new_tensor_2d (ReelBackend *self, int64_t d0, int64_t d1,
                                            GError **error);
ReelTensor     *reel_backend_new_tensor_3d (ReelBackend *self, int64_t d0, int64_t d1,
                                            int64_t d2, GError **error);
ReelTensor     *reel_backend_new_tensor_4d (ReelBackend *self, int64_t d0, int64_t d1,
                                            int64_t d2, int64_t d3, GError **error);

/* Copies n_elements (the tensor's) fp32 values in or out. Both wait for queued ops first. */
gboolean        reel_backend_upload       (ReelBackend  *self,
                                           ReelTensor   *tensor,
                                           const float  *data,
                                           GError      **error);
gboolean        reel_backend_download     (ReelBackend  *self,
                                           ReelTensor   *tensor,
                                           float        *data,
                                           GError      **error);

/* Runs every queued op and waits for it. With a cancellable (this one, or else the backend's),
 * the Vulkan backend submits the queued ops a dispatch at a time and checks the cancellable
 * before each, so a cancel stops the work after the dispatches already on the device (at most
 * two); the ops not yet run are dropped and the sync fails with REEL_RENDER_ERROR_CANCELLED.
 * Without one it submits everything at once, which is a little faster. */
gboolean        reel_backend_sync         (ReelBackend   *self,
                                           GCancellable  *cancellable,
                                           GError       **error);

/* While set (NULL unsets), every op, upload, download and sync first checks cancellable and
 * fails with REEL_RENDER_ERROR_CANCELLED once it is cancelled, and syncs run cancellably. On
 * the CPU backend, which runs each op as it is called, this is what stops a job between ops;
 * a scheduler job sets its cancellable here for its duration. */
void            reel_backend_set_cancellable (ReelBackend  *self,
                                              GCancellable *cancellable);
/* Whether the device was lost (see above). */
gboolean        reel_backend_is_lost      (ReelBackend *self);

/* Profiling: while enabled, every op records its run time (device timestamps on Vulkan, wall
 * clock on the CPU). Times are complete after reel_backend_sync(). Some ops run as several
 * dispatches and record one timing each: a transposed matmul or a linear layer adds a
 * "transpose", a convolution an "im2col" per chunk.
 *
 * To time an op without transfers: upload, run it once (the Vulkan backend compiles its
 * pipeline on first use) and sync; then queue it N times and sync once, timing that by the
 * wall clock or summing the timings. */
typedef struct
{
  const char *op;                   /* static string: "matmul", "attention", … */
  double      ms;
} ReelOpTiming;

void            reel_backend_set_profiling (ReelBackend *self,
                                            gboolean     enabled);
/* Takes the timings recorded since the last call, in op order (a GArray of ReelOpTiming). */
GArray         *reel_backend_take_timings  (ReelBackend *self);

/* ---- Ops: see reel-cpu-ops.h for each one's exact meaning and layout. ---- */

gboolean reel_backend_matmul      (ReelBackend *self, ReelTensor *a, ReelTensor *b,
                                   ReelTensor *c, int64_t m, int64_t n, int64_t k,
                                   gboolean b_transposed, GError **error);
/* bias may be NULL. */
gboolean reel_backend_linear      (ReelBackend *self, ReelTensor *x, ReelTensor *w,
                                   ReelTensor *bias, ReelTensor *y, int64_t m, int64_t n,
                                   int64_t k, GError **error);
gboolean reel_backend_conv2d      (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                                   ReelTensor *bias, ReelTensor *out,
                                   const ReelConv2dShape *shape, GError **error);
gboolean reel_backend_conv3d      (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                                   ReelTensor *bias, ReelTensor *out,
                                   const ReelConv3dShape *shape, GError **error);
gboolean reel_backend_attention   (ReelBackend *self, ReelTensor *q, ReelTensor *k,
                                   ReelTensor *v, ReelTensor *out, int64_t sq, int64_t sk,
                                   int64_t heads, int64_t d, float scale, GError **error);
gboolean reel_backend_layer_norm  (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                                   ReelTensor *bias, ReelTensor *y, int64_t rows, int64_t dim,
                                   float eps, GError **error);
gboolean reel_backend_rms_norm    (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                                   ReelTensor *y, int64_t rows, int64_t dim, float eps,
                                   GError **error);
gboolean reel_backend_group_norm  (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                                   ReelTensor *bias, ReelTensor *y, int64_t channels,
                                   int64_t spatial, int64_t groups, float eps, GError **error);
gboolean reel_backend_gelu_tanh   (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t n,
                                   GError **error);
gboolean reel_backend_silu        (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t n,
                                   GError **error);
gboolean reel_backend_softmax     (ReelBackend *self, ReelTensor *x, ReelTensor *y,
                                   int64_t rows, int64_t dim, GError **error);
gboolean reel_backend_add         (ReelBackend *self, ReelTensor *a, ReelTensor *b,
                                   ReelTensor *out, int64_t n, int64_t b_len, GError **error);
gboolean reel_backend_mul         (ReelBackend *self, ReelTensor *a, ReelTensor *b,
                                   ReelTensor *out, int64_t n, int64_t b_len, GError **error);
gboolean reel_backend_modulate    (ReelBackend *self, ReelTensor *x, ReelTensor *shift,
                                   ReelTensor *scale, ReelTensor *y, int64_t rows, int64_t dim,
                                   GError **error);
gboolean reel_backend_rope3d      (ReelBackend *self, ReelTensor *x, ReelTensor *y,
                                   int64_t frames, int64_t height, int64_t width, int64_t heads,
                                   int64_t d, float theta, GError **error);
gboolean reel_backend_resize      (ReelBackend *self, ReelTensor *x, ReelTensor *y,
                                   int64_t channels, int64_t h, int64_t w, int64_t out_h,
                                   int64_t out_w, ReelResizeMode mode, GError **error);
gboolean reel_backend_patchify    (ReelBackend *self, ReelTensor *x, ReelTensor *tokens,
                                   int64_t c, int64_t t, int64_t h, int64_t w, int64_t pt,
                                   int64_t ph, int64_t pw, GError **error);
gboolean reel_backend_unpatchify  (ReelBackend *self, ReelTensor *tokens, ReelTensor *x,
                                   int64_t c, int64_t t, int64_t h, int64_t w, int64_t pt,
                                   int64_t ph, int64_t pw, GError **error);
gboolean reel_backend_concat      (ReelBackend *self, ReelTensor *a, ReelTensor *b,
                                   ReelTensor *out, int64_t outer, int64_t a_inner,
                                   int64_t b_inner, GError **error);
gboolean reel_backend_slice       (ReelBackend *self, ReelTensor *x, ReelTensor *out,
                                   int64_t outer, int64_t dim, int64_t inner, int64_t start,
                                   int64_t len, GError **error);
gboolean reel_backend_permute     (ReelBackend *self, ReelTensor *x, ReelTensor *out,
                                   const int64_t shape[4], const int perm[4], GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ReelBackend, reel_backend_unref)

G_END_DECLS
