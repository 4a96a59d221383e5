#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>
#include <cblas.h>

#include "reel-backend-private.h"
#include "reel-render-error.h"
#include "reel-cpu-backend.h"
#include "reel-cpu-private.h"

/* Tensors are plain malloc'd float arrays and every op runs the moment it is called, so there
 * is nothing to queue: sync only reports cancellation, and upload and download are copies.
 * reel-backend.c has already checked every argument, so each op is one call into
 * reel-cpu-ops.h, timed when profiling is on. */

typedef struct
{
  ReelBackend parent;
} ReelCpuBackend;

#define F(tensor) ((float *) (tensor)->storage)
#define F_OR_NULL(tensor) ((tensor) != NULL ? F (tensor) : NULL)

/* Runs `call`; with profiling on, records its wall-clock time under `name`. */
#define RUN_OP(self, name, call) \
  G_STMT_START { \
    if ((self)->profiling) \
      { \
        gint64 start_us = g_get_monotonic_time (); \
        call; \
        reel_backend_add_timing ((self), (name), \
                                 (double) (g_get_monotonic_time () - start_us) / 1000.0); \
      } \
    else \
      { \
        call; \
      } \
  } G_STMT_END

static void
cpu_finalize (ReelBackend *self)
{
}

static gboolean
cpu_tensor_alloc (ReelBackend  *self,
                  ReelTensor   *tensor,
                  GError      **error)
{
  tensor->storage = g_try_malloc_n ((gsize) tensor->n_elements, sizeof (float));
  if (tensor->storage == NULL)
    {
      g_autofree char *size = g_format_size ((guint64) tensor->n_elements * sizeof (float));

      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_OUT_OF_MEMORY,
                   "Cannot allocate %s of main memory for a tensor of %" G_GINT64_FORMAT
                   " values; free memory by closing other programs, or render at a smaller "
                   "size or fewer frames", size, tensor->n_elements);
      return FALSE;
    }
  return TRUE;
}

static void
cpu_tensor_free (ReelBackend *self,
                 ReelTensor  *tensor)
{
  g_clear_pointer (&tensor->storage, g_free);
}

static gboolean
cpu_upload (ReelBackend  *self,
            ReelTensor   *tensor,
            const float  *data,
            GError      **error)
{
  memcpy (tensor->storage, data, (size_t) tensor->n_elements * sizeof (float));
  return TRUE;
}

static gboolean
cpu_download (ReelBackend  *self,
              ReelTensor   *tensor,
              float        *data,
              GError      **error)
{
  memcpy (data, tensor->storage, (size_t) tensor->n_elements * sizeof (float));
  return TRUE;
}

/* Nothing is ever queued, but a cancelled sync still fails as the interface says, so callers
 * see the same behaviour on either backend. */
static gboolean
cpu_sync (ReelBackend   *self,
          GCancellable  *cancellable,
          GError       **error)
{
  if (g_cancellable_is_cancelled (cancellable) || g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error_literal (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED,
                           "The computation was cancelled");
      return FALSE;
    }
  return TRUE;
}

static gboolean
cpu_matmul (ReelBackend  *self,
            ReelTensor   *a,
            ReelTensor   *b,
            ReelTensor   *c,
            int64_t       m,
            int64_t       n,
            int64_t       k,
            gboolean      b_transposed,
            GError      **error)
{
  RUN_OP (self, "matmul", reel_cpu_matmul (F (a), F (b), F (c), m, n, k, b_transposed));
  return TRUE;
}

static gboolean
cpu_linear (ReelBackend  *self,
            ReelTensor   *x,
            ReelTensor   *w,
            ReelTensor   *bias,
            ReelTensor   *y,
            int64_t       m,
            int64_t       n,
            int64_t       k,
            GError      **error)
{
  RUN_OP (self, "linear", reel_cpu_linear (F (x), F (w), F_OR_NULL (bias), F (y), m, n, k));
  return TRUE;
}

static gboolean
cpu_conv2d (ReelBackend            *self,
            ReelTensor             *x,
            ReelTensor             *weight,
            ReelTensor             *bias,
            ReelTensor             *out,
            const ReelConv2dShape  *shape,
            GError                **error)
{
  RUN_OP (self, "conv2d", reel_cpu_conv2d (F (x), F (weight), F_OR_NULL (bias), F (out), shape));
  return TRUE;
}

static gboolean
cpu_conv3d (ReelBackend            *self,
            ReelTensor             *x,
            ReelTensor             *weight,
            ReelTensor             *bias,
            ReelTensor             *out,
            const ReelConv3dShape  *shape,
            GError                **error)
{
  RUN_OP (self, "conv3d", reel_cpu_conv3d (F (x), F (weight), F_OR_NULL (bias), F (out), shape));
  return TRUE;
}

static gboolean
cpu_attention (ReelBackend  *self,
               ReelTensor   *q,
               ReelTensor   *k,
               ReelTensor   *v,
               ReelTensor   *out,
               int64_t       sq,
               int64_t       sk,
               int64_t       heads,
               int64_t       d,
               float         scale,
               GError      **error)
{
  RUN_OP (self, "attention",
          reel_cpu_attention (F (q), F (k), F (v), F (out), sq, sk, heads, d, scale));
  return TRUE;
}

static gboolean
cpu_layer_norm (ReelBackend  *self,
                ReelTensor   *x,
                ReelTensor   *weight,
                ReelTensor   *bias,
                ReelTensor   *y,
                int64_t       rows,
                int64_t       dim,
                float         eps,
                GError      **error)
{
  RUN_OP (self, "layer_norm",
          reel_cpu_layer_norm (F (x), F_OR_NULL (weight), F_OR_NULL (bias), F (y), rows, dim, eps));
  return TRUE;
}

static gboolean
cpu_rms_norm (ReelBackend  *self,
              ReelTensor   *x,
              ReelTensor   *weight,
              ReelTensor   *y,
              int64_t       rows,
              int64_t       dim,
              float         eps,
              GError      **error)
{
  RUN_OP (self, "rms_norm", reel_cpu_rms_norm (F (x), F_OR_NULL (weight), F (y), rows, dim, eps));
  return TRUE;
}

static gboolean
cpu_group_norm (ReelBackend  *self,
                ReelTensor   *x,
                ReelTensor   *weight,
                ReelTensor   *bias,
                ReelTensor   *y,
                int64_t       channels,
                int64_t       spatial,
                int64_t       groups,
                float         eps,
                GError      **error)
{
  RUN_OP (self, "group_norm",
          reel_cpu_group_norm (F (x), F_OR_NULL (weight), F_OR_NULL (bias), F (y), channels,
                               spatial, groups, eps));
  return TRUE;
}

static gboolean
cpu_gelu_tanh (ReelBackend  *self,
               ReelTensor   *x,
               ReelTensor   *y,
               int64_t       n,
               GError      **error)
{
  RUN_OP (self, "gelu_tanh", reel_cpu_gelu_tanh (F (x), F (y), n));
  return TRUE;
}

static gboolean
cpu_silu (ReelBackend  *self,
          ReelTensor   *x,
          ReelTensor   *y,
          int64_t       n,
          GError      **error)
{
  RUN_OP (self, "silu", reel_cpu_silu (F (x), F (y), n));
  return TRUE;
}

static gboolean
cpu_softmax (ReelBackend  *self,
             ReelTensor   *x,
             ReelTensor   *y,
             int64_t       rows,
             int64_t       dim,
             GError      **error)
{
  RUN_OP (self, "softmax", reel_cpu_softmax (F (x), F (y), rows, dim));
  return TRUE;
}

static gboolean
cpu_add (ReelBackend  *self,
         ReelTensor   *a,
         ReelTensor   *b,
         ReelTensor   *out,
         int64_t       n,
         int64_t       b_len,
         GError      **error)
{
  RUN_OP (self, "add", reel_cpu_add (F (a), F (b), F (out), n, b_len));
  return TRUE;
}

static gboolean
cpu_mul (ReelBackend  *self,
         ReelTensor   *a,
         ReelTensor   *b,
         ReelTensor   *out,
         int64_t       n,
         int64_t       b_len,
         GError      **error)
{
  RUN_OP (self, "mul", reel_cpu_mul (F (a), F (b), F (out), n, b_len));
  return TRUE;
}

static gboolean
cpu_modulate (ReelBackend  *self,
              ReelTensor   *x,
              ReelTensor   *shift,
              ReelTensor   *scale,
              ReelTensor   *y,
              int64_t       rows,
              int64_t       dim,
              GError      **error)
{
  RUN_OP (self, "modulate", reel_cpu_modulate (F (x), F (shift), F (scale), F (y), rows, dim));
  return TRUE;
}

static gboolean
cpu_rope3d (ReelBackend  *self,
            ReelTensor   *x,
            ReelTensor   *y,
            int64_t       frames,
            int64_t       height,
            int64_t       width,
            int64_t       heads,
            int64_t       d,
            float         theta,
            GError      **error)
{
  RUN_OP (self, "rope3d", reel_cpu_rope3d (F (x), F (y), frames, height, width, heads, d, theta));
  return TRUE;
}

static gboolean
cpu_resize (ReelBackend     *self,
            ReelTensor      *x,
            ReelTensor      *y,
            int64_t          channels,
            int64_t          h,
            int64_t          w,
            int64_t          out_h,
            int64_t          out_w,
            ReelResizeMode   mode,
            GError         **error)
{
  RUN_OP (self, "resize", reel_cpu_resize (F (x), F (y), channels, h, w, out_h, out_w, mode));
  return TRUE;
}

static gboolean
cpu_patchify (ReelBackend  *self,
              ReelTensor   *x,
              ReelTensor   *tokens,
              int64_t       c,
              int64_t       t,
              int64_t       h,
              int64_t       w,
              int64_t       pt,
              int64_t       ph,
              int64_t       pw,
              GError      **error)
{
  RUN_OP (self, "patchify", reel_cpu_patchify (F (x), F (tokens), c, t, h, w, pt, ph, pw));
  return TRUE;
}

static gboolean
cpu_unpatchify (ReelBackend  *self,
                ReelTensor   *tokens,
                ReelTensor   *x,
                int64_t       c,
                int64_t       t,
                int64_t       h,
                int64_t       w,
                int64_t       pt,
                int64_t       ph,
                int64_t       pw,
                GError      **error)
{
  RUN_OP (self, "unpatchify", reel_cpu_unpatchify (F (tokens), F (x), c, t, h, w, pt, ph, pw));
  return TRUE;
}

static gboolean
cpu_concat (ReelBackend  *self,
            ReelTensor   *a,
            ReelTensor   *b,
            ReelTensor   *out,
            int64_t       outer,
            int64_t       a_inner,
            int64_t       b_inner,
            GError      **error)
{
  RUN_OP (self, "concat", reel_cpu_concat (F (a), F (b), F (out), outer, a_inner, b_inner));
  return TRUE;
}

static gboolean
cpu_slice (ReelBackend  *self,
           ReelTensor   *x,
           ReelTensor   *out,
           int64_t       outer,
           int64_t       dim,
           int64_t       inner,
           int64_t       start,
           int64_t       len,
           GError      **error)
{
  RUN_OP (self, "slice", reel_cpu_slice (F (x), F (out), outer, dim, inner, start, len));
  return TRUE;
}

static gboolean
cpu_permute (ReelBackend    *self,
             ReelTensor     *x,
             ReelTensor     *out,
             const int64_t   shape[4],
             const int       perm[4],
             GError        **error)
{
  RUN_OP (self, "permute", reel_cpu_permute (F (x), F (out), shape, perm));
  return TRUE;
}

static const ReelBackendClass cpu_backend_class = {
  .finalize = cpu_finalize,
  .tensor_alloc = cpu_tensor_alloc,
  .tensor_free = cpu_tensor_free,
  .upload = cpu_upload,
  .download = cpu_download,
  .sync = cpu_sync,
  .matmul = cpu_matmul,
  .linear = cpu_linear,
  .conv2d = cpu_conv2d,
  .conv3d = cpu_conv3d,
  .attention = cpu_attention,
  .layer_norm = cpu_layer_norm,
  .rms_norm = cpu_rms_norm,
  .group_norm = cpu_group_norm,
  .gelu_tanh = cpu_gelu_tanh,
  .silu = cpu_silu,
  .softmax = cpu_softmax,
  .add = cpu_add,
  .mul = cpu_mul,
  .modulate = cpu_modulate,
  .rope3d = cpu_rope3d,
  .resize = cpu_resize,
  .patchify = cpu_patchify,
  .unpatchify = cpu_unpatchify,
  .concat = cpu_concat,
  .slice = cpu_slice,
  .permute = cpu_permute,
};

ReelBackend *
reel_cpu_backend_new (void)
{
  ReelCpuBackend *self = g_new0 (ReelCpuBackend, 1);
  g_autofree char *name = NULL;
  int threads = reel_cpu_blas_threads ();

  name = g_strdup_printf ("cpu (OpenBLAS %s, %d thread%s)", openblas_get_corename (), threads,
                          threads == 1 ? "" : "s");
  reel_backend_init (&self->parent, &cpu_backend_class, REEL_BACKEND_CPU, name);
  return &self->parent;
}
