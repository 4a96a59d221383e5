#pragma once

/* What a backend implementation (render/cpu/reel-cpu-backend.c, render/vk/reel-vk-backend.c)
 * sees: the instance structs and the table of functions it fills in. Callers of the engine
 * include reel-backend.h only.
 *
 * reel-backend.c checks every argument before calling the table (tensor sizes against the
 * op's sizes, tensors from this backend, positive sizes, divisibility, ranges), so an
 * implementation may assume them. */

#include "reel-backend.h"

G_BEGIN_DECLS

struct _ReelTensor
{
  gatomicrefcount  ref_count;
  ReelBackend     *backend;         /* owned reference */
  guint            n_dims;
  int64_t          shape[REEL_TENSOR_MAX_DIMS];
  int64_t          n_elements;
  gpointer         storage;         /* the backend's: float * on the CPU, an allocation on Vulkan */
};

typedef struct _ReelBackendClass ReelBackendClass;

struct _ReelBackend
{
  const ReelBackendClass *klass;
  gatomicrefcount         ref_count;
  ReelBackendKind         kind;
  char                   *name;
  gboolean                profiling;
  GArray                 *timings;  /* ReelOpTiming */
  GCancellable           *cancellable;  /* reel_backend_set_cancellable() */
  /* Set by reel-backend.c when a call failed with REEL_RENDER_ERROR_DEVICE_LOST; from then on
   * reel-backend.c refuses every call before it reaches the implementation. */
  GError                 *lost_error;
  gboolean                test_device_lost;  /* reel_backend_test_lose_device() */
};

struct _ReelBackendClass
{
  /* Releases the implementation's resources; the base fields and the struct itself are freed
   * by reel_backend_unref() afterwards. */
  void     (*finalize)     (ReelBackend *self);

  /* Sets tensor->storage for tensor->n_elements floats. */
  gboolean (*tensor_alloc) (ReelBackend *self, ReelTensor *tensor, GError **error);
  /* Releases tensor->storage; queued ops may still use it, so defer if needed. */
  void     (*tensor_free)  (ReelBackend *self, ReelTensor *tensor);

  gboolean (*upload)       (ReelBackend *self, ReelTensor *tensor, const float *data,
                            GError **error);
  gboolean (*download)     (ReelBackend *self, ReelTensor *tensor, float *data,
                            GError **error);
  gboolean (*sync)         (ReelBackend *self, GCancellable *cancellable, GError **error);

  gboolean (*matmul)       (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *c,
                            int64_t m, int64_t n, int64_t k, gboolean b_transposed,
                            GError **error);
  gboolean (*linear)       (ReelBackend *self, ReelTensor *x, ReelTensor *w, ReelTensor *bias,
                            ReelTensor *y, int64_t m, int64_t n, int64_t k, GError **error);
  gboolean (*conv2d)       (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                            ReelTensor *bias, ReelTensor *out, const ReelConv2dShape *shape,
                            GError **error);
  gboolean (*conv3d)       (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                            ReelTensor *bias, ReelTensor *out, const ReelConv3dShape *shape,
                            GError **error);
  gboolean (*attention)    (ReelBackend *self, ReelTensor *q, ReelTensor *k, ReelTensor *v,
                            ReelTensor *out, int64_t sq, int64_t sk, int64_t heads, int64_t d,
                            float scale, GError **error);
  gboolean (*layer_norm)   (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                            ReelTensor *bias, ReelTensor *y, int64_t rows, int64_t dim,
                            float eps, GError **error);
  gboolean (*rms_norm)     (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                            ReelTensor *y, int64_t rows, int64_t dim, float eps,
                            GError **error);
  gboolean (*group_norm)   (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                            ReelTensor *bias, ReelTensor *y, int64_t channels,
                            int64_t spatial, int64_t groups, float eps, GError **error);
  gboolean (*gelu_tanh)    (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t n,
                            GError **error);
  gboolean (*silu)         (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t n,
                            GError **error);
  gboolean (*softmax)      (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t rows,
                            int64_t dim, GError **error);
  gboolean (*add)          (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *out,
                            int64_t n, int64_t b_len, GError **error);
  gboolean (*mul)          (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *out,
                            int64_t n, int64_t b_len, GError **error);
  gboolean (*modulate)     (ReelBackend *self, ReelTensor *x, ReelTensor *shift,
                            ReelTensor *scale, ReelTensor *y, int64_t rows, int64_t dim,
                            GError **error);
  gboolean (*rope3d)       (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t frames,
                            int64_t height, int64_t width, int64_t heads, int64_t d,
                            float theta, GError **error);
  gboolean (*resize)       (ReelBackend *self, ReelTensor *x, ReelTensor *y,
                            int64_t channels, int64_t h, int64_t w, int64_t out_h,
                            int64_t out_w, ReelResizeMode mode, GError **error);
  gboolean (*patchify)     (ReelBackend *self, ReelTensor *x, ReelTensor *tokens, int64_t c,
                            int64_t t, int64_t h, int64_t w, int64_t pt, int64_t ph,
                            int64_t pw, GError **error);
  gboolean (*unpatchify)   (ReelBackend *self, ReelTensor *tokens, ReelTensor *x, int64_t c,
                            int64_t t, int64_t h, int64_t w, int64_t pt, int64_t ph,
                            int64_t pw, GError **error);
  gboolean (*concat)       (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *out,
                            int64_t outer, int64_t a_inner, int64_t b_inner, GError **error);
  gboolean (*slice)        (ReelBackend *self, ReelTensor *x, ReelTensor *out, int64_t outer,
                            int64_t dim, int64_t inner, int64_t start, int64_t len,
                            GError **error);
  gboolean (*permute)      (ReelBackend *self, ReelTensor *x, ReelTensor *out,
                            const int64_t shape[4], const int perm[4], GError **error);
};

/* Called by an implementation's constructor on its freshly allocated struct (whose first
 * member is the ReelBackend). */
void reel_backend_init       (ReelBackend            *self,
                              const ReelBackendClass *klass,
                              ReelBackendKind         kind,
                              const char             *name);

/* For tests only. A real device loss (VK_ERROR_DEVICE_LOST) cannot be caused on demand on
 * lavapipe or on a healthy GPU, so this is the boundary the tests cannot cross: it makes the
 * Vulkan backend's next wait for the device, once the device has really finished, report
 * VK_ERROR_DEVICE_LOST through reel_vk_check() as a real loss would, so that everything above
 * (the lost state here, the scheduler's device-lost handling) runs for real. The CPU backend
 * has no device to lose and ignores it. */
void reel_backend_test_lose_device (ReelBackend *self);

/* Appends one timing; implementations call it while profiling is enabled. */
void reel_backend_add_timing (ReelBackend *self,
                              const char  *op,
                              double       ms);

G_END_DECLS
