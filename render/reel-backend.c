#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <stdarg.h>

#include "reel-backend-private.h"
#include "reel-render-error.h"

void
reel_backend_init (ReelBackend            *self,
                   const ReelBackendClass *klass,
                   ReelBackendKind         kind,
                   const char             *name)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (klass != NULL);

  self->klass = klass;
  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  self->name = g_strdup (name);
  self->timings = g_array_new (FALSE, FALSE, sizeof (ReelOpTiming));
}

ReelBackend *
reel_backend_ref (ReelBackend *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
reel_backend_unref (ReelBackend *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  self->klass->finalize (self);
  g_clear_object (&self->cancellable);
  g_clear_error (&self->lost_error);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->timings, g_array_unref);
  g_free (self);
}

ReelBackendKind
reel_backend_get_kind (ReelBackend *self)
{
  g_return_val_if_fail (self != NULL, REEL_BACKEND_CPU);

  return self->kind;
}

const char *
reel_backend_get_name (ReelBackend *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

void
reel_backend_set_profiling (ReelBackend *self,
                            gboolean     enabled)
{
  g_return_if_fail (self != NULL);

  self->profiling = !!enabled;
}

void
reel_backend_add_timing (ReelBackend *self,
                         const char  *op,
                         double       ms)
{
  ReelOpTiming timing = { .op = op, .ms = ms };

  g_array_append_val (self->timings, timing);
}

GArray *
reel_backend_take_timings (ReelBackend *self)
{
  GArray *taken;

  g_return_val_if_fail (self != NULL, NULL);

  taken = g_steal_pointer (&self->timings);
  self->timings = g_array_new (FALSE, FALSE, sizeof (ReelOpTiming));
  return taken;
}

/* ---- Cancellation and device loss ---- */

void
reel_backend_set_cancellable (ReelBackend  *self,
                              GCancellable *cancellable)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  g_set_object (&self->cancellable, cancellable);
}

gboolean
reel_backend_is_lost (ReelBackend *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->lost_error != NULL;
}

void
reel_backend_test_lose_device (ReelBackend *self)
{
  g_return_if_fail (self != NULL);

  self->test_device_lost = TRUE;
}

/* Refuses work on a lost device (without touching it) and under a cancelled cancellable. */
static gboolean
check_usable (ReelBackend  *self,
              const char   *what,
              GError      **error)
{
  if (self->lost_error != NULL)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST,
                   "%s: the compute device of “%s” was lost earlier and can run nothing more. "
                   "Restart the render (Reel then sets up the device again), and if it keeps "
                   "happening choose another compute device in Preferences. The loss: %s",
                   what, self->name, self->lost_error->message);
      return FALSE;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED,
                   "%s: the computation was cancelled", what);
      return FALSE;
    }
  return TRUE;
}

/* Passes an implementation's result on; the first REEL_RENDER_ERROR_DEVICE_LOST puts the
 * backend into its lost state for good. Takes local. */
static gboolean
finish (ReelBackend  *self,
        gboolean      ok,
        GError       *local,
        GError      **error)
{
  if (ok)
    {
      g_clear_error (&local);
      return TRUE;
    }
  if (local == NULL)
    local = g_error_new (REEL_RENDER_ERROR, REEL_RENDER_ERROR_FAILED,
                         "The backend “%s” failed without saying why", self->name);
  if (self->lost_error == NULL
      && g_error_matches (local, REEL_RENDER_ERROR, REEL_RENDER_ERROR_DEVICE_LOST))
    {
      g_message ("The compute device of “%s” was lost: %s", self->name, local->message);
      self->lost_error = g_error_copy (local);
    }
  g_propagate_error (error, local);
  return FALSE;
}

/* ---- Tensors ---- */

ReelTensor *
reel_backend_new_tensor (ReelBackend   *self,
                         guint          n_dims,
                         const int64_t *shape,
                         GError       **error)
{
  g_autofree ReelTensor *tensor = NULL;
  int64_t n = 1;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (shape != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (n_dims < 1 || n_dims > REEL_TENSOR_MAX_DIMS)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "Cannot create a tensor of %u dimensions: tensors have 1 to %d",
                   n_dims, REEL_TENSOR_MAX_DIMS);
      return NULL;
    }

  for (guint i = 0; i < n_dims; i++)
    {
      /* The byte size must fit too, hence the bound on n · sizeof (float). */
      if (shape[i] <= 0 || __builtin_mul_overflow (n, shape[i], &n)
          || n > G_MAXINT64 / (int64_t) sizeof (float))
        {
          g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                       "Cannot create a tensor: dimension %u has the size %" G_GINT64_FORMAT
                       ", which is not positive or makes the tensor too large", i, shape[i]);
          return NULL;
        }
    }

  tensor = g_new0 (ReelTensor, 1);
  g_atomic_ref_count_init (&tensor->ref_count);
  tensor->n_dims = n_dims;
  for (guint i = 0; i < REEL_TENSOR_MAX_DIMS; i++)
    tensor->shape[i] = i < n_dims ? shape[i] : 1;
  tensor->n_elements = n;

  {
    GError *local = NULL;
    gboolean ok;

    if (!check_usable (self, "Creating a tensor", error))
      return NULL;
    ok = self->klass->tensor_alloc (self, tensor, &local);
    if (!finish (self, ok, local, error))
      return NULL;
  }

  tensor->backend = reel_backend_ref (self);
  return g_steal_pointer (&tensor);
}

ReelTensor *
reel_backend_new_tensor_1d (ReelBackend *self, int64_t d0, GError **error)
{
  const int64_t shape[] = { d0 };

  return reel_backend_new_tensor (self, 1, shape, error);
}

ReelTensor *
reel_backend_new_tensor_2d (ReelBackend *self, int64_t d0, int64_t d1, GError **error)
{
  const int64_t shape[] = { d0, d1 };

  return reel_backend_new_tensor (self, 2, shape, error);
}

ReelTensor *
reel_backend_new_tensor_3d (ReelBackend *self, int64_t d0, int64_t d1, int64_t d2,
                            GError **error)
{
  const int64_t shape[] = { d0, d1, d2 };

  return reel_backend_new_tensor (self, 3, shape, error);
}

ReelTensor *
reel_backend_new_tensor_4d (ReelBackend *self, int64_t d0, int64_t d1, int64_t d2, int64_t d3,
                            GError **error)
{
  const int64_t shape[] = { d0, d1, d2, d3 };

  return reel_backend_new_tensor (self, 4, shape, error);
}

static gboolean
check_own_tensor (ReelBackend  *self,
                  const char   *op,
                  const char   *what,
                  ReelTensor   *tensor,
                  GError      **error)
{
  if (tensor == NULL)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "%s: the tensor “%s” is missing", op, what);
      return FALSE;
    }
  if (tensor->backend != self)
    {
      g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT,
                   "%s: the tensor “%s” belongs to the backend “%s”, not “%s”; create it "
                   "on the backend that runs the op", op, what, tensor->backend->name,
                   self->name);
      return FALSE;
    }
  return TRUE;
}

gboolean
reel_backend_upload (ReelBackend  *self,
                     ReelTensor   *tensor,
                     const float  *data,
                     GError      **error)
{
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_usable (self, "upload", error)
      || !check_own_tensor (self, "upload", "tensor", tensor, error))
    return FALSE;
  ok = self->klass->upload (self, tensor, data, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_download (ReelBackend  *self,
                       ReelTensor   *tensor,
                       float        *data,
                       GError      **error)
{
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (data != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_usable (self, "download", error)
      || !check_own_tensor (self, "download", "tensor", tensor, error))
    return FALSE;
  ok = self->klass->download (self, tensor, data, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_sync (ReelBackend   *self,
                   GCancellable  *cancellable,
                   GError       **error)
{
  GError *local = NULL;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Only the loss is checked here: a cancelled sync is the implementation's to report, after
   * it dropped its queued work. */
  if (self->lost_error != NULL)
    return check_usable (self, "sync", error);
  ok = self->klass->sync (self, cancellable, &local);
  return finish (self, ok, local, error);
}

/* ---- Argument checks shared by every backend ---- */

static gboolean G_GNUC_PRINTF (3, 4)
fail (GError     **error,
      const char  *op,
      const char  *format,
      ...)
{
  va_list args;
  g_autofree char *detail = NULL;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT, "%s: %s",
               op, detail);
  return FALSE;
}

/* Multiplies count positive sizes into *out; names the first bad one. */
static gboolean
size_product (int64_t     *out,
              const char  *op,
              GError     **error,
              int          count,
              ...)
{
  va_list args;
  int64_t n = 1;
  gboolean ok = TRUE;

  va_start (args, count);
  for (int i = 0; i < count && ok; i++)
    {
      const char *name = va_arg (args, const char *);
      int64_t v = va_arg (args, int64_t);

      if (v <= 0)
        ok = fail (error, op, "the size %s is %" G_GINT64_FORMAT "; it must be positive",
                   name, v);
      else if (__builtin_mul_overflow (n, v, &n))
        ok = fail (error, op, "the sizes overflow a 64-bit element count at %s", name);
    }
  va_end (args);
  *out = n;
  return ok;
}

static gboolean
check_tensor (ReelBackend  *self,
              const char   *op,
              const char   *what,
              ReelTensor   *tensor,
              int64_t       expected,
              GError      **error)
{
  if (!check_own_tensor (self, op, what, tensor, error))
    return FALSE;
  if (tensor->n_elements != expected)
    {
      g_autofree char *shape = reel_tensor_describe_shape (tensor);

      return fail (error, op, "the tensor “%s” has shape %s (%" G_GINT64_FORMAT " values) but "
                   "the op's sizes need %" G_GINT64_FORMAT " values", what, shape,
                   tensor->n_elements, expected);
    }
  return TRUE;
}

static gboolean
check_optional (ReelBackend  *self,
                const char   *op,
                const char   *what,
                ReelTensor   *tensor,
                int64_t       expected,
                GError      **error)
{
  return tensor == NULL || check_tensor (self, op, what, tensor, expected, error);
}

static gboolean
check_distinct (const char  *op,
                ReelTensor  *out,
                ReelTensor  *in,
                const char  *in_name,
                GError     **error)
{
  if (out == in)
    return fail (error, op, "the output must not be the input “%s”; use a separate tensor",
                 in_name);
  return TRUE;
}

/* Declares `op` (for messages) and checks the arguments every op shares. */
/* Every op first refuses to run on a lost device or under a cancelled cancellable; it runs
 * with a local error so that finish() sees a device loss even when the caller passed NULL. */
#define BEGIN_OP(name) \
  const char *op = name; \
  GError *local = NULL; \
  gboolean ok; \
  g_return_val_if_fail (self != NULL, FALSE); \
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE); \
  if (!check_usable (self, op, error)) \
    return FALSE

gboolean
reel_backend_matmul (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *c,
                     int64_t m, int64_t n, int64_t k, gboolean b_transposed, GError **error)
{
  int64_t mk, kn, mn;
  BEGIN_OP ("matmul");

  if (!size_product (&mk, op, error, 2, "m", m, "k", k)
      || !size_product (&kn, op, error, 2, "k", k, "n", n)
      || !size_product (&mn, op, error, 2, "m", m, "n", n)
      || !check_tensor (self, op, "a", a, mk, error)
      || !check_tensor (self, op, "b", b, kn, error)
      || !check_tensor (self, op, "c", c, mn, error)
      || !check_distinct (op, c, a, "a", error)
      || !check_distinct (op, c, b, "b", error))
    return FALSE;
  ok = self->klass->matmul (self, a, b, c, m, n, k, !!b_transposed, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_linear (ReelBackend *self, ReelTensor *x, ReelTensor *w, ReelTensor *bias,
                     ReelTensor *y, int64_t m, int64_t n, int64_t k, GError **error)
{
  int64_t mk, nk, mn;
  BEGIN_OP ("linear");

  if (!size_product (&mk, op, error, 2, "m", m, "k", k)
      || !size_product (&nk, op, error, 2, "n", n, "k", k)
      || !size_product (&mn, op, error, 2, "m", m, "n", n)
      || !check_tensor (self, op, "x", x, mk, error)
      || !check_tensor (self, op, "w", w, nk, error)
      || !check_optional (self, op, "bias", bias, n, error)
      || !check_tensor (self, op, "y", y, mn, error)
      || !check_distinct (op, y, x, "x", error)
      || !check_distinct (op, y, w, "w", error))
    return FALSE;
  ok = self->klass->linear (self, x, w, bias, y, m, n, k, &local);
  return finish (self, ok, local, error);
}

/* Output length of one convolved axis, or 0 when the kernel does not fit. */
static int64_t
conv_out_len (int64_t len, int64_t pad_before, int64_t pad_after, int64_t kernel,
              int64_t stride)
{
  int64_t padded = len + pad_before + pad_after;

  return padded < kernel ? 0 : (padded - kernel) / stride + 1;
}

gboolean
reel_backend_conv2d (ReelBackend *self, ReelTensor *x, ReelTensor *weight, ReelTensor *bias,
                     ReelTensor *out, const ReelConv2dShape *s, GError **error)
{
  int64_t nx, nw, no, ho, wo;
  BEGIN_OP ("conv2d");

  g_return_val_if_fail (s != NULL, FALSE);

  if (!size_product (&nx, op, error, 4, "batch", s->batch, "c_in", s->c_in, "h", s->h,
                     "w", s->w)
      || !size_product (&nw, op, error, 4, "c_out", s->c_out, "c_in", s->c_in, "kh", s->kh,
                        "kw", s->kw))
    return FALSE;
  if (s->stride_h <= 0 || s->stride_w <= 0 || s->pad_h < 0 || s->pad_w < 0)
    return fail (error, op, "strides must be positive and padding not negative");
  ho = conv_out_len (s->h, s->pad_h, s->pad_h, s->kh, s->stride_h);
  wo = conv_out_len (s->w, s->pad_w, s->pad_w, s->kw, s->stride_w);
  if (ho <= 0 || wo <= 0)
    return fail (error, op, "the %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT " kernel is larger "
                 "than the padded %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT " input",
                 s->kh, s->kw, s->h + 2 * s->pad_h, s->w + 2 * s->pad_w);
  if (!size_product (&no, op, error, 4, "batch", s->batch, "c_out", s->c_out, "ho", ho,
                     "wo", wo)
      || !check_tensor (self, op, "x", x, nx, error)
      || !check_tensor (self, op, "weight", weight, nw, error)
      || !check_optional (self, op, "bias", bias, s->c_out, error)
      || !check_tensor (self, op, "out", out, no, error)
      || !check_distinct (op, out, x, "x", error))
    return FALSE;
  ok = self->klass->conv2d (self, x, weight, bias, out, s, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_conv3d (ReelBackend *self, ReelTensor *x, ReelTensor *weight, ReelTensor *bias,
                     ReelTensor *out, const ReelConv3dShape *s, GError **error)
{
  int64_t nx, nw, no, to, ho, wo, pad_front, pad_back;
  BEGIN_OP ("conv3d");

  g_return_val_if_fail (s != NULL, FALSE);

  if (!size_product (&nx, op, error, 4, "c_in", s->c_in, "t", s->t, "h", s->h, "w", s->w)
      || !size_product (&nw, op, error, 5, "c_out", s->c_out, "c_in", s->c_in, "kt", s->kt,
                        "kh", s->kh, "kw", s->kw))
    return FALSE;
  if (s->stride_t <= 0 || s->stride_h <= 0 || s->stride_w <= 0
      || s->pad_h < 0 || s->pad_w < 0 || (!s->causal && s->pad_t < 0))
    return fail (error, op, "strides must be positive and padding not negative");
  pad_front = s->causal ? s->kt - 1 : s->pad_t;
  pad_back = s->causal ? 0 : s->pad_t;
  to = conv_out_len (s->t, pad_front, pad_back, s->kt, s->stride_t);
  ho = conv_out_len (s->h, s->pad_h, s->pad_h, s->kh, s->stride_h);
  wo = conv_out_len (s->w, s->pad_w, s->pad_w, s->kw, s->stride_w);
  if (to <= 0 || ho <= 0 || wo <= 0)
    return fail (error, op, "the %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT "×%" G_GINT64_FORMAT
                 " kernel is larger than the padded input", s->kt, s->kh, s->kw);
  if (!size_product (&no, op, error, 4, "c_out", s->c_out, "to", to, "ho", ho, "wo", wo)
      || !check_tensor (self, op, "x", x, nx, error)
      || !check_tensor (self, op, "weight", weight, nw, error)
      || !check_optional (self, op, "bias", bias, s->c_out, error)
      || !check_tensor (self, op, "out", out, no, error)
      || !check_distinct (op, out, x, "x", error))
    return FALSE;
  ok = self->klass->conv3d (self, x, weight, bias, out, s, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_attention (ReelBackend *self, ReelTensor *q, ReelTensor *k, ReelTensor *v,
                        ReelTensor *out, int64_t sq, int64_t sk, int64_t heads, int64_t d,
                        float scale, GError **error)
{
  int64_t nq, nk;
  BEGIN_OP ("attention");

  if (!size_product (&nq, op, error, 3, "sq", sq, "heads", heads, "d", d)
      || !size_product (&nk, op, error, 3, "sk", sk, "heads", heads, "d", d)
      || !check_tensor (self, op, "q", q, nq, error)
      || !check_tensor (self, op, "k", k, nk, error)
      || !check_tensor (self, op, "v", v, nk, error)
      || !check_tensor (self, op, "out", out, nq, error)
      || !check_distinct (op, out, q, "q", error)
      || !check_distinct (op, out, k, "k", error)
      || !check_distinct (op, out, v, "v", error))
    return FALSE;
  ok = self->klass->attention (self, q, k, v, out, sq, sk, heads, d, scale, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_layer_norm (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                         ReelTensor *bias, ReelTensor *y, int64_t rows, int64_t dim,
                         float eps, GError **error)
{
  int64_t n;
  BEGIN_OP ("layer_norm");

  if (!size_product (&n, op, error, 2, "rows", rows, "dim", dim)
      || !check_tensor (self, op, "x", x, n, error)
      || !check_optional (self, op, "weight", weight, dim, error)
      || !check_optional (self, op, "bias", bias, dim, error)
      || !check_tensor (self, op, "y", y, n, error))
    return FALSE;
  ok = self->klass->layer_norm (self, x, weight, bias, y, rows, dim, eps, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_rms_norm (ReelBackend *self, ReelTensor *x, ReelTensor *weight, ReelTensor *y,
                       int64_t rows, int64_t dim, float eps, GError **error)
{
  int64_t n;
  BEGIN_OP ("rms_norm");

  if (!size_product (&n, op, error, 2, "rows", rows, "dim", dim)
      || !check_tensor (self, op, "x", x, n, error)
      || !check_optional (self, op, "weight", weight, dim, error)
      || !check_tensor (self, op, "y", y, n, error))
    return FALSE;
  ok = self->klass->rms_norm (self, x, weight, y, rows, dim, eps, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_group_norm (ReelBackend *self, ReelTensor *x, ReelTensor *weight,
                         ReelTensor *bias, ReelTensor *y, int64_t channels, int64_t spatial,
                         int64_t groups, float eps, GError **error)
{
  int64_t n;
  BEGIN_OP ("group_norm");

  if (!size_product (&n, op, error, 2, "channels", channels, "spatial", spatial))
    return FALSE;
  if (groups <= 0 || channels % groups != 0)
    return fail (error, op, "%" G_GINT64_FORMAT " groups do not divide %" G_GINT64_FORMAT
                 " channels", groups, channels);
  if (!check_tensor (self, op, "x", x, n, error)
      || !check_optional (self, op, "weight", weight, channels, error)
      || !check_optional (self, op, "bias", bias, channels, error)
      || !check_tensor (self, op, "y", y, n, error))
    return FALSE;
  ok = self->klass->group_norm (self, x, weight, bias, y, channels, spatial, groups, eps,
                                &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_gelu_tanh (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t n,
                        GError **error)
{
  int64_t count;
  BEGIN_OP ("gelu_tanh");

  if (!size_product (&count, op, error, 1, "n", n)
      || !check_tensor (self, op, "x", x, n, error)
      || !check_tensor (self, op, "y", y, n, error))
    return FALSE;
  ok = self->klass->gelu_tanh (self, x, y, n, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_silu (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t n, GError **error)
{
  int64_t count;
  BEGIN_OP ("silu");

  if (!size_product (&count, op, error, 1, "n", n)
      || !check_tensor (self, op, "x", x, n, error)
      || !check_tensor (self, op, "y", y, n, error))
    return FALSE;
  ok = self->klass->silu (self, x, y, n, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_softmax (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t rows,
                      int64_t dim, GError **error)
{
  int64_t n;
  BEGIN_OP ("softmax");

  if (!size_product (&n, op, error, 2, "rows", rows, "dim", dim)
      || !check_tensor (self, op, "x", x, n, error)
      || !check_tensor (self, op, "y", y, n, error))
    return FALSE;
  ok = self->klass->softmax (self, x, y, rows, dim, &local);
  return finish (self, ok, local, error);
}

static gboolean
check_broadcast (ReelBackend *self, const char *op, ReelTensor *a, ReelTensor *b,
                 ReelTensor *out, int64_t n, int64_t b_len, GError **error)
{
  int64_t count;

  if (!size_product (&count, op, error, 2, "n", n, "b_len", b_len))
    return FALSE;
  if (n % b_len != 0)
    return fail (error, op, "b_len %" G_GINT64_FORMAT " does not divide n %" G_GINT64_FORMAT,
                 b_len, n);
  return check_tensor (self, op, "a", a, n, error)
         && check_tensor (self, op, "b", b, b_len, error)
         && check_tensor (self, op, "out", out, n, error)
         && (b_len == n || check_distinct (op, out, b, "b", error));
}

gboolean
reel_backend_add (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *out,
                  int64_t n, int64_t b_len, GError **error)
{
  BEGIN_OP ("add");

  if (!check_broadcast (self, op, a, b, out, n, b_len, error))
    return FALSE;
  ok = self->klass->add (self, a, b, out, n, b_len, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_mul (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *out,
                  int64_t n, int64_t b_len, GError **error)
{
  BEGIN_OP ("mul");

  if (!check_broadcast (self, op, a, b, out, n, b_len, error))
    return FALSE;
  ok = self->klass->mul (self, a, b, out, n, b_len, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_modulate (ReelBackend *self, ReelTensor *x, ReelTensor *shift, ReelTensor *scale,
                       ReelTensor *y, int64_t rows, int64_t dim, GError **error)
{
  int64_t n;
  BEGIN_OP ("modulate");

  if (!size_product (&n, op, error, 2, "rows", rows, "dim", dim)
      || !check_tensor (self, op, "x", x, n, error)
      || !check_tensor (self, op, "shift", shift, dim, error)
      || !check_tensor (self, op, "scale", scale, dim, error)
      || !check_tensor (self, op, "y", y, n, error)
      || (rows > 1 && !check_distinct (op, y, shift, "shift", error))
      || (rows > 1 && !check_distinct (op, y, scale, "scale", error)))
    return FALSE;
  ok = self->klass->modulate (self, x, shift, scale, y, rows, dim, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_rope3d (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t frames,
                     int64_t height, int64_t width, int64_t heads, int64_t d, float theta,
                     GError **error)
{
  int64_t n;
  BEGIN_OP ("rope3d");

  if (!size_product (&n, op, error, 5, "frames", frames, "height", height, "width", width,
                     "heads", heads, "d", d))
    return FALSE;
  if (d % 2 != 0)
    return fail (error, op, "the head size d = %" G_GINT64_FORMAT " must be even: channels "
                 "rotate in pairs", d);
  if (!check_tensor (self, op, "x", x, n, error) || !check_tensor (self, op, "y", y, n, error))
    return FALSE;
  ok = self->klass->rope3d (self, x, y, frames, height, width, heads, d, theta, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_resize (ReelBackend *self, ReelTensor *x, ReelTensor *y, int64_t channels,
                     int64_t h, int64_t w, int64_t out_h, int64_t out_w, ReelResizeMode mode,
                     GError **error)
{
  int64_t nx, ny;
  BEGIN_OP ("resize");

  if (mode != REEL_RESIZE_NEAREST && mode != REEL_RESIZE_BILINEAR)
    return fail (error, op, "unknown mode %d", (int) mode);
  if (!size_product (&nx, op, error, 3, "channels", channels, "h", h, "w", w)
      || !size_product (&ny, op, error, 3, "channels", channels, "out_h", out_h, "out_w", out_w)
      || !check_tensor (self, op, "x", x, nx, error)
      || !check_tensor (self, op, "y", y, ny, error)
      || !check_distinct (op, y, x, "x", error))
    return FALSE;
  ok = self->klass->resize (self, x, y, channels, h, w, out_h, out_w, mode, &local);
  return finish (self, ok, local, error);
}

static gboolean
check_patch (ReelBackend *self, const char *op, ReelTensor *x, ReelTensor *tokens, int64_t c,
             int64_t t, int64_t h, int64_t w, int64_t pt, int64_t ph, int64_t pw,
             GError **error)
{
  int64_t n, patch;

  if (!size_product (&n, op, error, 4, "c", c, "t", t, "h", h, "w", w)
      || !size_product (&patch, op, error, 3, "pt", pt, "ph", ph, "pw", pw))
    return FALSE;
  if (t % pt != 0 || h % ph != 0 || w % pw != 0)
    return fail (error, op, "the %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT "×%" G_GINT64_FORMAT
                 " patch does not divide the %" G_GINT64_FORMAT "×%" G_GINT64_FORMAT "×%"
                 G_GINT64_FORMAT " input", pt, ph, pw, t, h, w);
  return check_tensor (self, op, "x", x, n, error)
         && check_tensor (self, op, "tokens", tokens, n, error)
         && check_distinct (op, tokens, x, "x", error);
}

gboolean
reel_backend_patchify (ReelBackend *self, ReelTensor *x, ReelTensor *tokens, int64_t c,
                       int64_t t, int64_t h, int64_t w, int64_t pt, int64_t ph, int64_t pw,
                       GError **error)
{
  BEGIN_OP ("patchify");

  if (!check_patch (self, op, x, tokens, c, t, h, w, pt, ph, pw, error))
    return FALSE;
  ok = self->klass->patchify (self, x, tokens, c, t, h, w, pt, ph, pw, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_unpatchify (ReelBackend *self, ReelTensor *tokens, ReelTensor *x, int64_t c,
                         int64_t t, int64_t h, int64_t w, int64_t pt, int64_t ph, int64_t pw,
                         GError **error)
{
  BEGIN_OP ("unpatchify");

  if (!check_patch (self, op, x, tokens, c, t, h, w, pt, ph, pw, error))
    return FALSE;
  ok = self->klass->unpatchify (self, tokens, x, c, t, h, w, pt, ph, pw, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_concat (ReelBackend *self, ReelTensor *a, ReelTensor *b, ReelTensor *out,
                     int64_t outer, int64_t a_inner, int64_t b_inner, GError **error)
{
  int64_t na, nb, no;
  BEGIN_OP ("concat");

  if (!size_product (&na, op, error, 2, "outer", outer, "a_inner", a_inner)
      || !size_product (&nb, op, error, 2, "outer", outer, "b_inner", b_inner)
      || !size_product (&no, op, error, 2, "outer", outer, "a_inner + b_inner",
                        a_inner + b_inner)
      || !check_tensor (self, op, "a", a, na, error)
      || !check_tensor (self, op, "b", b, nb, error)
      || !check_tensor (self, op, "out", out, no, error)
      || !check_distinct (op, out, a, "a", error)
      || !check_distinct (op, out, b, "b", error))
    return FALSE;
  ok = self->klass->concat (self, a, b, out, outer, a_inner, b_inner, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_slice (ReelBackend *self, ReelTensor *x, ReelTensor *out, int64_t outer,
                    int64_t dim, int64_t inner, int64_t start, int64_t len, GError **error)
{
  int64_t nx, no;
  BEGIN_OP ("slice");

  if (!size_product (&nx, op, error, 3, "outer", outer, "dim", dim, "inner", inner)
      || !size_product (&no, op, error, 3, "outer", outer, "len", len, "inner", inner))
    return FALSE;
  if (start < 0 || start > dim - len)
    return fail (error, op, "the range %" G_GINT64_FORMAT " … %" G_GINT64_FORMAT " lies "
                 "outside the %" G_GINT64_FORMAT " indices of the axis", start,
                 start + len - 1, dim);
  if (!check_tensor (self, op, "x", x, nx, error)
      || !check_tensor (self, op, "out", out, no, error)
      || !check_distinct (op, out, x, "x", error))
    return FALSE;
  ok = self->klass->slice (self, x, out, outer, dim, inner, start, len, &local);
  return finish (self, ok, local, error);
}

gboolean
reel_backend_permute (ReelBackend *self, ReelTensor *x, ReelTensor *out,
                      const int64_t shape[4], const int perm[4], GError **error)
{
  int64_t n;
  guint seen = 0;
  BEGIN_OP ("permute");

  g_return_val_if_fail (shape != NULL && perm != NULL, FALSE);

  for (int i = 0; i < 4; i++)
    {
      if (perm[i] < 0 || perm[i] > 3 || (seen & (1u << perm[i])) != 0)
        return fail (error, op, "(%d, %d, %d, %d) is not a permutation of the axes 0 … 3",
                     perm[0], perm[1], perm[2], perm[3]);
      seen |= 1u << perm[i];
    }
  if (!size_product (&n, op, error, 4, "shape[0]", shape[0], "shape[1]", shape[1],
                     "shape[2]", shape[2], "shape[3]", shape[3])
      || !check_tensor (self, op, "x", x, n, error)
      || !check_tensor (self, op, "out", out, n, error)
      || !check_distinct (op, out, x, "x", error))
    return FALSE;
  ok = self->klass->permute (self, x, out, shape, perm, &local);
  return finish (self, ok, local, error);
}
