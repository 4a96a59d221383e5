#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <string.h>

#include "cpu/reel-cpu-ops.h"
#include "reel-backend.h"
#include "reel-render-error.h"
#include "vk/reel-vk-backend.h"
#include "vk/reel-vk-instance.h"

/* Every Vulkan op against its CPU reference (reel-cpu-ops.h), on sizes that are not multiples
 * of the shaders' tiles, with the Khronos validation layer on; each test also asserts that the
 * layer reported nothing. */

static ReelBackend *backend;

/* Deterministic values in [lo, hi). */
static float *
random_data (gsize   n,
             float   lo,
             float   hi,
             guint32 seed)
{
  float *data = g_new (float, MAX (n, 1));
  guint32 state = seed * 2654435761u + 1;

  for (gsize i = 0; i < n; i++)
    {
      state = state * 1664525u + 1013904223u;
      data[i] = lo + (hi - lo) * (float) (state >> 8) / 16777216.0f;
    }
  return data;
}

static double
nmse (const float *got,
      const float *want,
      gsize        n)
{
  double err = 0, ref = 0;

  for (gsize i = 0; i < n; i++)
    {
      double d = (double) got[i] - want[i];

      err += d * d;
      ref += (double) want[i] * want[i];
    }
  return ref > 0 ? err / ref : err;
}

#define assert_nmse(got, want, n, bound) \
  G_STMT_START { \
    double e_ = nmse ((got), (want), (n)); \
    if (!(e_ <= (bound))) \
      g_error ("%s: NMSE %g exceeds %g", G_STRLOC, e_, (double) (bound)); \
  } G_STMT_END

static ReelTensor *
tensor_from (const float *data,
             int64_t      n)
{
  g_autoptr(GError) error = NULL;
  ReelTensor *t = reel_backend_new_tensor_1d (backend, n, &error);

  g_assert_no_error (error);
  if (data != NULL)
    {
      reel_backend_upload (backend, t, data, &error);
      g_assert_no_error (error);
    }
  return t;
}

static float *
download (ReelTensor *t)
{
  g_autoptr(GError) error = NULL;
  float *data = g_new (float, reel_tensor_get_n_elements (t));

  reel_backend_sync (backend, NULL, &error);
  g_assert_no_error (error);
  reel_backend_download (backend, t, data, &error);
  g_assert_no_error (error);
  return data;
}

static void
assert_no_validation_messages (void)
{
  g_assert_cmpuint (reel_vk_backend_get_n_validation_messages (backend), ==, 0);
}

/* ---- matmul, linear ---- */

static void
check_matmul (int64_t m, int64_t n, int64_t k, gboolean transposed, gboolean linear,
              gboolean with_bias)
{
  g_autofree float *a = random_data (m * k, -1, 1, 1);
  g_autofree float *b = random_data (n * k, -1, 1, 2);
  g_autofree float *bias = random_data (n, -1, 1, 3);
  g_autofree float *want = g_new (float, m * n);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) ta = tensor_from (a, m * k);
  g_autoptr(ReelTensor) tb = tensor_from (b, n * k);
  g_autoptr(ReelTensor) tbias = tensor_from (bias, n);
  g_autoptr(ReelTensor) tc = tensor_from (NULL, m * n);
  g_autoptr(GError) error = NULL;

  if (linear)
    {
      reel_cpu_linear (a, b, with_bias ? bias : NULL, want, m, n, k);
      reel_backend_linear (backend, ta, tb, with_bias ? tbias : NULL, tc, m, n, k, &error);
    }
  else
    {
      reel_cpu_matmul (a, b, want, m, n, k, transposed);
      reel_backend_matmul (backend, ta, tb, tc, m, n, k, transposed, &error);
    }
  g_assert_no_error (error);
  got = download (tc);
  assert_nmse (got, want, m * n, 1e-10);
  assert_no_validation_messages ();
}

static void
test_matmul (void)
{
  /* k a multiple of 4 takes the vec4 texel path, otherwise the scalar one; n = 84 leaves a
   * half-filled last vec4 column pair. */
  check_matmul (67, 75, 37, FALSE, FALSE, FALSE);
  check_matmul (67, 75, 37, TRUE, FALSE, FALSE);
  check_matmul (70, 84, 52, FALSE, FALSE, FALSE);
  check_matmul (70, 83, 52, TRUE, FALSE, FALSE);
  check_matmul (1, 1, 1, FALSE, FALSE, FALSE);
  check_matmul (130, 9, 260, FALSE, FALSE, FALSE);
}

static void
test_linear (void)
{
  check_matmul (45, 71, 36, TRUE, TRUE, TRUE);
  check_matmul (45, 71, 33, TRUE, TRUE, FALSE);
  check_matmul (3, 200, 128, TRUE, TRUE, TRUE);
}

/* ---- conv ---- */

static void
check_conv2d (const ReelConv2dShape *s, gboolean with_bias)
{
  int64_t ho = (s->h + 2 * s->pad_h - s->kh) / s->stride_h + 1;
  int64_t wo = (s->w + 2 * s->pad_w - s->kw) / s->stride_w + 1;
  int64_t nx = s->batch * s->c_in * s->h * s->w, nw = s->c_out * s->c_in * s->kh * s->kw;
  int64_t no = s->batch * s->c_out * ho * wo;
  g_autofree float *x = random_data (nx, -1, 1, 4);
  g_autofree float *w = random_data (nw, -1, 1, 5);
  g_autofree float *bias = random_data (s->c_out, -1, 1, 6);
  g_autofree float *want = g_new (float, no);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, nx);
  g_autoptr(ReelTensor) tw = tensor_from (w, nw);
  g_autoptr(ReelTensor) tbias = tensor_from (bias, s->c_out);
  g_autoptr(ReelTensor) tout = tensor_from (NULL, no);
  g_autoptr(GError) error = NULL;

  reel_cpu_conv2d (x, w, with_bias ? bias : NULL, want, s);
  reel_backend_conv2d (backend, tx, tw, with_bias ? tbias : NULL, tout, s, &error);
  g_assert_no_error (error);
  got = download (tout);
  assert_nmse (got, want, no, 1e-10);
  assert_no_validation_messages ();
}

static void
test_conv2d (void)
{
  const ReelConv2dShape strided = {
    .batch = 2, .c_in = 3, .h = 11, .w = 13, .c_out = 5, .kh = 3, .kw = 3,
    .stride_h = 2, .stride_w = 2, .pad_h = 1, .pad_w = 1,
  };
  const ReelConv2dShape wide = {
    .batch = 1, .c_in = 7, .h = 9, .w = 30, .c_out = 37, .kh = 1, .kw = 5,
    .stride_h = 1, .stride_w = 1, .pad_h = 0, .pad_w = 2,
  };

  /* More output positions than one dispatch axis holds groups for (65535 × 64 on lavapipe),
   * so the positions continue along z. */
  const ReelConv2dShape huge = {
    .batch = 2, .c_in = 1, .h = 2049, .w = 2049, .c_out = 1, .kh = 1, .kw = 1,
    .stride_h = 1, .stride_w = 1,
  };

  check_conv2d (&strided, TRUE);
  check_conv2d (&wide, FALSE);
  check_conv2d (&huge, TRUE);
}

static void
check_conv3d (const ReelConv3dShape *s, gboolean with_bias)
{
  int64_t pf = s->causal ? s->kt - 1 : s->pad_t, pb = s->causal ? 0 : s->pad_t;
  int64_t to = (s->t + pf + pb - s->kt) / s->stride_t + 1;
  int64_t ho = (s->h + 2 * s->pad_h - s->kh) / s->stride_h + 1;
  int64_t wo = (s->w + 2 * s->pad_w - s->kw) / s->stride_w + 1;
  int64_t nx = s->c_in * s->t * s->h * s->w, nw = s->c_out * s->c_in * s->kt * s->kh * s->kw;
  int64_t no = s->c_out * to * ho * wo;
  g_autofree float *x = random_data (nx, -1, 1, 7);
  g_autofree float *w = random_data (nw, -1, 1, 8);
  g_autofree float *bias = random_data (s->c_out, -1, 1, 9);
  g_autofree float *want = g_new (float, no);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, nx);
  g_autoptr(ReelTensor) tw = tensor_from (w, nw);
  g_autoptr(ReelTensor) tbias = tensor_from (bias, s->c_out);
  g_autoptr(ReelTensor) tout = tensor_from (NULL, no);
  g_autoptr(GError) error = NULL;

  reel_cpu_conv3d (x, w, with_bias ? bias : NULL, want, s);
  reel_backend_conv3d (backend, tx, tw, with_bias ? tbias : NULL, tout, s, &error);
  g_assert_no_error (error);
  got = download (tout);
  assert_nmse (got, want, no, 1e-10);
  assert_no_validation_messages ();
}

static void
test_conv3d (void)
{
  const ReelConv3dShape causal = {
    .c_in = 3, .t = 5, .h = 7, .w = 9, .c_out = 6, .kt = 3, .kh = 3, .kw = 3,
    .stride_t = 1, .stride_h = 1, .stride_w = 1, .pad_h = 1, .pad_w = 1, .causal = TRUE,
  };
  const ReelConv3dShape strided = {
    .c_in = 4, .t = 6, .h = 10, .w = 7, .c_out = 9, .kt = 3, .kh = 3, .kw = 3,
    .stride_t = 2, .stride_h = 2, .stride_w = 1, .pad_h = 1, .pad_w = 0, .pad_t = 1,
  };

  check_conv3d (&causal, TRUE);
  check_conv3d (&strided, FALSE);
}

/* ---- attention ---- */

static void
check_attention (int64_t sq, int64_t sk, int64_t heads, int64_t d)
{
  int64_t nq = sq * heads * d, nk = sk * heads * d;
  float scale = 1.0f / sqrtf ((float) d);
  g_autofree float *q = random_data (nq, -2, 2, 10);
  g_autofree float *k = random_data (nk, -2, 2, 11);
  g_autofree float *v = random_data (nk, -1, 1, 12);
  g_autofree float *want = g_new (float, nq);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tq = tensor_from (q, nq);
  g_autoptr(ReelTensor) tk = tensor_from (k, nk);
  g_autoptr(ReelTensor) tv = tensor_from (v, nk);
  g_autoptr(ReelTensor) tout = tensor_from (NULL, nq);
  g_autoptr(GError) error = NULL;

  reel_cpu_attention (q, k, v, want, sq, sk, heads, d, scale);
  reel_backend_attention (backend, tq, tk, tv, tout, sq, sk, heads, d, scale, &error);
  g_assert_no_error (error);
  got = download (tout);
  assert_nmse (got, want, nq, 1e-9);
  assert_no_validation_messages ();
}

static void
test_attention (void)
{
  /* Each head size is a pipeline to compile, which costs seconds on lavapipe: 64 and 128
   * cover both row counts per invocation, 18 the scalar path. */
  check_attention (150, 150, 2, 64);   /* self */
  check_attention (133, 77, 3, 128);   /* cross, sk not a multiple of the key block */
  check_attention (37, 29, 2, 18);     /* a head size that is not a multiple of 4 */
  check_attention (1, 1, 1, 4);
}

/* ---- norms ---- */

static void
check_norm (const char *kind, int64_t rows, int64_t dim, int64_t groups, gboolean affine,
            gboolean in_place)
{
  int64_t n = rows * dim, channels = rows;
  int64_t n_affine = g_str_equal (kind, "group") ? channels : dim;
  g_autofree float *x = random_data (n, -3, 5, 13);
  g_autofree float *weight = random_data (n_affine, 0.5, 1.5, 14);
  g_autofree float *bias = random_data (n_affine, -1, 1, 15);
  g_autofree float *want = g_new (float, n);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, n);
  g_autoptr(ReelTensor) tw = tensor_from (weight, n_affine);
  g_autoptr(ReelTensor) tb = tensor_from (bias, n_affine);
  g_autoptr(ReelTensor) ty = in_place ? reel_tensor_ref (tx) : tensor_from (NULL, n);
  g_autoptr(GError) error = NULL;

  if (g_str_equal (kind, "layer"))
    {
      reel_cpu_layer_norm (x, affine ? weight : NULL, affine ? bias : NULL, want, rows, dim,
                           1e-5f);
      reel_backend_layer_norm (backend, tx, affine ? tw : NULL, affine ? tb : NULL, ty, rows,
                               dim, 1e-5f, &error);
    }
  else if (g_str_equal (kind, "rms"))
    {
      reel_cpu_rms_norm (x, affine ? weight : NULL, want, rows, dim, 1e-6f);
      reel_backend_rms_norm (backend, tx, affine ? tw : NULL, ty, rows, dim, 1e-6f, &error);
    }
  else
    {
      /* x is [channels = rows, spatial = dim]. */
      reel_cpu_group_norm (x, affine ? weight : NULL, affine ? bias : NULL, want, channels, dim,
                           groups, 1e-5f);
      reel_backend_group_norm (backend, tx, affine ? tw : NULL, affine ? tb : NULL, ty, channels,
                               dim, groups, 1e-5f, &error);
    }
  g_assert_no_error (error);
  got = download (ty);
  assert_nmse (got, want, n, 1e-10);
  assert_no_validation_messages ();
}

static void
test_layer_norm (void)
{
  check_norm ("layer", 37, 333, 0, TRUE, FALSE);
  check_norm ("layer", 5, 1001, 0, FALSE, FALSE);
  check_norm ("layer", 9, 70, 0, TRUE, TRUE);
}

static void
test_rms_norm (void)
{
  check_norm ("rms", 29, 257, 0, TRUE, FALSE);
  check_norm ("rms", 3, 13, 0, FALSE, TRUE);
}

static void
test_group_norm (void)
{
  check_norm ("group", 12, 130, 4, TRUE, FALSE);
  check_norm ("group", 30, 77, 10, FALSE, TRUE);
}

/* ---- elementwise ---- */

static void
test_activations (void)
{
  const int64_t n = 1031;
  g_autofree float *x = random_data (n, -12, 12, 16);
  g_autofree float *want = g_new (float, n);

  /* Values far out in both tails check the clamped tanh and exp overflow. */
  x[0] = -90.0f;
  x[1] = 90.0f;
  x[2] = 0.0f;

  for (int op = 0; op < 2; op++)
    {
      g_autoptr(ReelTensor) tx = tensor_from (x, n);
      g_autoptr(ReelTensor) ty = tensor_from (NULL, n);
      g_autoptr(GError) error = NULL;
      g_autofree float *got = NULL;

      if (op == 0)
        {
          reel_cpu_gelu_tanh (x, want, n);
          reel_backend_gelu_tanh (backend, tx, ty, n, &error);
        }
      else
        {
          reel_cpu_silu (x, want, n);
          reel_backend_silu (backend, tx, tx, n, &error);   /* in place */
          g_clear_pointer (&ty, reel_tensor_unref);
          ty = reel_tensor_ref (tx);
        }
      g_assert_no_error (error);
      got = download (ty);
      assert_nmse (got, want, n, 1e-10);
      g_assert_false (isnan (got[0]) || isnan (got[1]));
    }
  assert_no_validation_messages ();
}

static void
test_softmax (void)
{
  const int64_t rows = 13, dim = 1001;
  g_autofree float *x = random_data (rows * dim, -20, 20, 17);
  g_autofree float *want = g_new (float, rows * dim);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, rows * dim);
  g_autoptr(ReelTensor) ty = tensor_from (NULL, rows * dim);
  g_autoptr(GError) error = NULL;

  reel_cpu_softmax (x, want, rows, dim);
  reel_backend_softmax (backend, tx, ty, rows, dim, &error);
  g_assert_no_error (error);
  got = download (ty);
  assert_nmse (got, want, rows * dim, 1e-10);
  assert_no_validation_messages ();
}

static void
check_binary (gboolean mul, int64_t n, int64_t b_len, gboolean in_place)
{
  g_autofree float *a = random_data (n, -2, 2, 18);
  g_autofree float *b = random_data (b_len, -2, 2, 19);
  g_autofree float *want = g_new (float, n);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) ta = tensor_from (a, n);
  g_autoptr(ReelTensor) tb = tensor_from (b, b_len);
  g_autoptr(ReelTensor) tout = in_place ? reel_tensor_ref (ta) : tensor_from (NULL, n);
  g_autoptr(GError) error = NULL;

  if (mul)
    {
      reel_cpu_mul (a, b, want, n, b_len);
      reel_backend_mul (backend, ta, tb, tout, n, b_len, &error);
    }
  else
    {
      reel_cpu_add (a, b, want, n, b_len);
      reel_backend_add (backend, ta, tb, tout, n, b_len, &error);
    }
  g_assert_no_error (error);
  got = download (tout);
  assert_nmse (got, want, n, 1e-12);
  assert_no_validation_messages ();
}

static void
test_add_mul (void)
{
  check_binary (FALSE, 12 * 97, 97, FALSE);
  check_binary (FALSE, 1001, 1001, TRUE);
  check_binary (TRUE, 7 * 33, 33, TRUE);
  check_binary (TRUE, 515, 1, FALSE);
}

static void
test_modulate (void)
{
  const int64_t rows = 19, dim = 131;
  g_autofree float *x = random_data (rows * dim, -2, 2, 20);
  g_autofree float *shift = random_data (dim, -1, 1, 21);
  g_autofree float *scale = random_data (dim, -1, 1, 22);
  g_autofree float *want = g_new (float, rows * dim);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, rows * dim);
  g_autoptr(ReelTensor) tshift = tensor_from (shift, dim);
  g_autoptr(ReelTensor) tscale = tensor_from (scale, dim);
  g_autoptr(GError) error = NULL;

  reel_cpu_modulate (x, shift, scale, want, rows, dim);
  reel_backend_modulate (backend, tx, tshift, tscale, tx, rows, dim, &error);
  g_assert_no_error (error);
  got = download (tx);
  assert_nmse (got, want, rows * dim, 1e-10);
  assert_no_validation_messages ();
}

static void
check_rope (int64_t frames, int64_t height, int64_t width, int64_t heads, int64_t d)
{
  int64_t n = frames * height * width * heads * d;
  g_autofree float *x = random_data (n, -1, 1, 23);
  g_autofree float *want = g_new (float, n);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, n);
  g_autoptr(ReelTensor) ty = tensor_from (NULL, n);
  g_autoptr(GError) error = NULL;

  reel_cpu_rope3d (x, want, frames, height, width, heads, d, 10000.0f);
  reel_backend_rope3d (backend, tx, ty, frames, height, width, heads, d, 10000.0f, &error);
  g_assert_no_error (error);
  got = download (ty);
  assert_nmse (got, want, n, 1e-9);
  assert_no_validation_messages ();
}

static void
test_rope3d (void)
{
  check_rope (3, 4, 5, 2, 36);
  check_rope (2, 7, 3, 3, 20);   /* parts of 12, 4 and 4 channels */
}

static void
check_resize (int64_t c, int64_t h, int64_t w, int64_t oh, int64_t ow, ReelResizeMode mode)
{
  g_autofree float *x = random_data (c * h * w, -1, 1, 24);
  g_autofree float *want = g_new (float, c * oh * ow);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, c * h * w);
  g_autoptr(ReelTensor) ty = tensor_from (NULL, c * oh * ow);
  g_autoptr(GError) error = NULL;

  reel_cpu_resize (x, want, c, h, w, oh, ow, mode);
  reel_backend_resize (backend, tx, ty, c, h, w, oh, ow, mode, &error);
  g_assert_no_error (error);
  got = download (ty);
  assert_nmse (got, want, c * oh * ow, 1e-10);
  assert_no_validation_messages ();
}

static void
test_resize (void)
{
  check_resize (3, 7, 9, 16, 5, REEL_RESIZE_NEAREST);
  check_resize (3, 7, 9, 16, 5, REEL_RESIZE_BILINEAR);
  check_resize (2, 30, 17, 11, 40, REEL_RESIZE_BILINEAR);
  check_resize (2, 8, 8, 16, 16, REEL_RESIZE_NEAREST);
}

static void
test_patchify (void)
{
  const int64_t c = 5, t = 4, h = 6, w = 10, pt = 2, ph = 3, pw = 2, n = c * t * h * w;
  g_autofree float *x = random_data (n, -1, 1, 25);
  g_autofree float *want = g_new (float, n);
  g_autofree float *got = NULL;
  g_autofree float *back = NULL;
  g_autofree float *want_back = g_new (float, n);
  g_autoptr(ReelTensor) tx = tensor_from (x, n);
  g_autoptr(ReelTensor) tokens = tensor_from (NULL, n);
  g_autoptr(ReelTensor) tback = tensor_from (NULL, n);
  g_autoptr(GError) error = NULL;

  reel_cpu_patchify (x, want, c, t, h, w, pt, ph, pw);
  reel_backend_patchify (backend, tx, tokens, c, t, h, w, pt, ph, pw, &error);
  g_assert_no_error (error);
  reel_backend_unpatchify (backend, tokens, tback, c, t, h, w, pt, ph, pw, &error);
  g_assert_no_error (error);
  got = download (tokens);
  back = download (tback);
  g_assert_cmpmem (got, n * sizeof (float), want, n * sizeof (float));
  reel_cpu_unpatchify (want, want_back, c, t, h, w, pt, ph, pw);
  g_assert_cmpmem (back, n * sizeof (float), want_back, n * sizeof (float));
  g_assert_cmpmem (back, n * sizeof (float), x, n * sizeof (float));
  assert_no_validation_messages ();
}

static void
test_concat_slice (void)
{
  const int64_t outer = 7, a_inner = 13, b_inner = 6;
  const int64_t dim = 11, inner = 5, start = 3, len = 6;
  g_autofree float *a = random_data (outer * a_inner, -1, 1, 26);
  g_autofree float *b = random_data (outer * b_inner, -1, 1, 27);
  g_autofree float *x = random_data (outer * dim * inner, -1, 1, 28);
  g_autofree float *want_cat = g_new (float, outer * (a_inner + b_inner));
  g_autofree float *want_slice = g_new (float, outer * len * inner);
  g_autofree float *got_cat = NULL;
  g_autofree float *got_slice = NULL;
  g_autoptr(ReelTensor) ta = tensor_from (a, outer * a_inner);
  g_autoptr(ReelTensor) tb = tensor_from (b, outer * b_inner);
  g_autoptr(ReelTensor) tx = tensor_from (x, outer * dim * inner);
  g_autoptr(ReelTensor) tcat = tensor_from (NULL, outer * (a_inner + b_inner));
  g_autoptr(ReelTensor) tslice = tensor_from (NULL, outer * len * inner);
  g_autoptr(GError) error = NULL;

  reel_cpu_concat (a, b, want_cat, outer, a_inner, b_inner);
  reel_cpu_slice (x, want_slice, outer, dim, inner, start, len);
  reel_backend_concat (backend, ta, tb, tcat, outer, a_inner, b_inner, &error);
  g_assert_no_error (error);
  reel_backend_slice (backend, tx, tslice, outer, dim, inner, start, len, &error);
  g_assert_no_error (error);
  got_cat = download (tcat);
  got_slice = download (tslice);
  g_assert_cmpmem (got_cat, outer * (a_inner + b_inner) * sizeof (float),
                   want_cat, outer * (a_inner + b_inner) * sizeof (float));
  g_assert_cmpmem (got_slice, outer * len * inner * sizeof (float),
                   want_slice, outer * len * inner * sizeof (float));
  assert_no_validation_messages ();
}

static void
test_permute (void)
{
  const int64_t shape[4] = { 3, 5, 7, 2 };
  const int perms[][4] = { { 0, 2, 1, 3 }, { 3, 2, 1, 0 }, { 1, 3, 0, 2 }, { 0, 1, 2, 3 } };
  const int64_t n = 3 * 5 * 7 * 2;
  g_autofree float *x = random_data (n, -1, 1, 29);

  for (gsize i = 0; i < G_N_ELEMENTS (perms); i++)
    {
      g_autofree float *want = g_new (float, n);
      g_autofree float *got = NULL;
      g_autoptr(ReelTensor) tx = tensor_from (x, n);
      g_autoptr(ReelTensor) tout = tensor_from (NULL, n);
      g_autoptr(GError) error = NULL;

      reel_cpu_permute (x, want, shape, perms[i]);
      reel_backend_permute (backend, tx, tout, shape, perms[i], &error);
      g_assert_no_error (error);
      got = download (tout);
      g_assert_cmpmem (got, n * sizeof (float), want, n * sizeof (float));
    }
  assert_no_validation_messages ();
}

/* Many queued ops in one sync: more than one command buffer's worth, a chain where each op
 * reads the previous one's output, and tensors freed while the batch is still queued. */
static void
test_batching (void)
{
  const int64_t n = 300;
  const int steps = 700;
  g_autofree float *x = random_data (n, -1, 1, 30);
  g_autofree float *one = g_new (float, n);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) acc = tensor_from (x, n);
  g_autoptr(GError) error = NULL;

  for (int64_t i = 0; i < n; i++)
    one[i] = 0.5f;
  for (int s = 0; s < steps; s++)
    {
      g_autoptr(ReelTensor) step = tensor_from (one, n);   /* uploads sync the queue */
      g_autoptr(ReelTensor) scratch = tensor_from (NULL, n);

      reel_backend_add (backend, acc, step, scratch, n, n, &error);
      g_assert_no_error (error);
      reel_backend_add (backend, scratch, step, acc, n, n, &error);
      g_assert_no_error (error);
    }
  got = download (acc);
  for (int64_t i = 0; i < n; i++)
    g_assert_cmpfloat_with_epsilon (got[i], x[i] + steps, 1e-3);

  /* And without syncs in between: one queue of 1200 dependent ops. */
  {
    g_autoptr(ReelTensor) step = tensor_from (one, n);

    for (int s = 0; s < 1200; s++)
      {
        reel_backend_add (backend, acc, step, acc, n, n, &error);
        g_assert_no_error (error);
      }
    g_clear_pointer (&got, g_free);
    got = download (acc);
    for (int64_t i = 0; i < n; i++)
      g_assert_cmpfloat_with_epsilon (got[i], x[i] + steps + 600, 1e-3);
  }
  assert_no_validation_messages ();
}

static void
test_profiling (void)
{
  const int64_t n = 64;
  g_autofree float *x = random_data (n * n, -1, 1, 31);
  g_autoptr(ReelTensor) a = tensor_from (x, n * n);
  g_autoptr(ReelTensor) c = tensor_from (NULL, n * n);
  g_autoptr(ReelTensor) y = tensor_from (NULL, n * n);
  g_autoptr(GArray) timings = NULL;
  g_autoptr(GError) error = NULL;

  g_array_unref (reel_backend_take_timings (backend));
  reel_backend_set_profiling (backend, TRUE);
  reel_backend_matmul (backend, a, a, c, n, n, n, FALSE, &error);
  g_assert_no_error (error);
  reel_backend_silu (backend, c, y, n * n, &error);
  g_assert_no_error (error);
  reel_backend_sync (backend, NULL, &error);
  g_assert_no_error (error);
  reel_backend_set_profiling (backend, FALSE);

  timings = reel_backend_take_timings (backend);
  g_assert_cmpuint (timings->len, ==, 2);
  g_assert_cmpstr (g_array_index (timings, ReelOpTiming, 0).op, ==, "matmul");
  g_assert_cmpstr (g_array_index (timings, ReelOpTiming, 1).op, ==, "silu");
  g_assert_cmpfloat (g_array_index (timings, ReelOpTiming, 0).ms, >, 0.0);
  g_assert_cmpfloat (g_array_index (timings, ReelOpTiming, 1).ms, >=, 0.0);
  assert_no_validation_messages ();
}

/* A cancelled sync reports CANCELLED; the backend stays usable. */
static void
test_cancel (void)
{
  const int64_t n = 100;
  g_autofree float *x = random_data (n, -1, 1, 32);
  g_autofree float *got = NULL;
  g_autoptr(ReelTensor) tx = tensor_from (x, n);
  g_autoptr(ReelTensor) ty = tensor_from (NULL, n);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  reel_backend_silu (backend, tx, ty, n, &error);
  g_assert_no_error (error);
  g_cancellable_cancel (cancellable);
  g_assert_false (reel_backend_sync (backend, cancellable, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED);
  g_clear_error (&error);

  reel_backend_gelu_tanh (backend, tx, ty, n, &error);
  g_assert_no_error (error);
  got = download (ty);
  g_assert_cmpfloat_with_epsilon (got[0],
                                  0.5f * x[0] * (1.0f + tanhf (0.7978845608f * (x[0] + 0.044715f
                                                                 * x[0] * x[0] * x[0]))),
                                  1e-5);
  assert_no_validation_messages ();
}

/* Cancels a cancellable from another thread after a delay. */
typedef struct
{
  GCancellable *cancellable;
  gulong        delay_us;
} CancelLater;

static gpointer
cancel_later (gpointer data)
{
  CancelLater *later = data;

  g_usleep (later->delay_us);
  g_cancellable_cancel (later->cancellable);
  return NULL;
}

/* One step of the cancel test: a matmul big enough to end its command-buffer chunk, then
 * counter += 1, so the counter says how many steps the device ran. */
static void
queue_step (ReelTensor *a,
            ReelTensor *c,
            ReelTensor *counter,
            ReelTensor *one,
            int64_t     n)
{
  g_autoptr(GError) error = NULL;

  reel_backend_matmul (backend, a, a, c, n, n, n, FALSE, &error);
  g_assert_no_error (error);
  reel_backend_add (backend, counter, one, counter, 1, 1, &error);
  g_assert_no_error (error);
}

/* A cancel during a sync takes effect within a dispatch or two, not after the whole queue:
 * of 200 queued steps, cancelled from another thread about three steps in, far fewer run; the
 * sync fails with CANCELLED and the backend computes correctly afterwards. */
static void
test_cancel_mid_sync (void)
{
  const int64_t n = 384;            /* 3 × 576 KiB bound: a chunk of its own */
  const int n_steps = 200;
  g_autofree float *x = random_data (n * n, -1, 1, 33);
  const float zero = 0, unit = 1;
  g_autoptr(ReelTensor) a = tensor_from (x, n * n);
  g_autoptr(ReelTensor) c = tensor_from (NULL, n * n);
  g_autoptr(ReelTensor) counter = tensor_from (&zero, 1);
  g_autoptr(ReelTensor) one = tensor_from (&unit, 1);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  CancelLater later = { cancellable, 0 };
  gint64 start;
  float count, after;

  /* How long one step takes here, compiled and warm, to cancel about three steps in. */
  queue_step (a, c, counter, one, n);
  reel_backend_sync (backend, NULL, &error);
  g_assert_no_error (error);
  start = g_get_monotonic_time ();
  queue_step (a, c, counter, one, n);
  reel_backend_sync (backend, NULL, &error);
  g_assert_no_error (error);
  later.delay_us = (gulong) MAX (3 * (g_get_monotonic_time () - start), 1000);
  reel_backend_upload (backend, counter, &zero, &error);
  g_assert_no_error (error);

  for (int i = 0; i < n_steps; i++)
    queue_step (a, c, counter, one, n);
  thread = g_thread_new ("cancel-later", cancel_later, &later);
  g_assert_false (reel_backend_sync (backend, cancellable, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED);
  g_clear_error (&error);
  g_thread_join (g_steal_pointer (&thread));

  reel_backend_download (backend, counter, &count, &error);
  g_assert_no_error (error);
  g_test_message ("%.0f of %d steps ran before the cancel took effect", count, n_steps);
  g_assert_cmpfloat (count, >=, 0);
  g_assert_cmpfloat (count, <=, n_steps / 2);

  /* The dropped steps left no trace: the next op starts from what did run. */
  reel_backend_add (backend, counter, one, counter, 1, 1, &error);
  g_assert_no_error (error);
  reel_backend_sync (backend, NULL, &error);
  g_assert_no_error (error);
  reel_backend_download (backend, counter, &after, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (after, ==, count + 1);

  /* A cancellable set on the backend refuses new work at once. */
  reel_backend_set_cancellable (backend, cancellable);
  g_assert_false (reel_backend_add (backend, counter, one, counter, 1, 1, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED);
  g_clear_error (&error);
  reel_backend_set_cancellable (backend, NULL);
  assert_no_validation_messages ();
}

static void
test_bad_arguments (void)
{
  g_autoptr(ReelTensor) a = tensor_from (NULL, 12);
  g_autoptr(ReelTensor) c = tensor_from (NULL, 9);
  g_autoptr(GError) error = NULL;

  /* a holds 12 values; 3×5 needs 15. */
  g_assert_false (reel_backend_matmul (backend, a, a, c, 3, 3, 5, FALSE, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "matmul"));
  assert_no_validation_messages ();
}

/* Removes the test's cache folder and what the pipeline cache put in it. */
static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        remove_tree (child);
      else
        g_remove (child);
    }
  g_rmdir (path);
}

static void
skip_without_vulkan (gconstpointer data)
{
  g_test_skip (data);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_dir = g_dir_make_tmp ("reel-test-vk-XXXXXX", NULL);
  int status;

  g_setenv ("REEL_VK_VALIDATION", "1", TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_dir, TRUE);
  g_unsetenv ("REEL_VK_DEVICE");
  g_test_init (&argc, &argv, NULL);

  backend = reel_vk_backend_new (NULL, &error);
  if (backend == NULL)
    {
      g_autofree char *reason = g_strdup_printf ("No Vulkan device: %s", error->message);

      g_test_add_data_func_full ("/vk-ops/skipped", g_steal_pointer (&reason),
                                 skip_without_vulkan, g_free);
      status = g_test_run ();
      remove_tree (cache_dir);
      return status;
    }

  /* The zero-message assertions mean nothing unless the layer is really there. */
  g_assert_true (reel_vk_instance_get_validation_enabled (
                   reel_vk_backend_get_device (backend)->instance));

  g_test_add_func ("/vk-ops/matmul", test_matmul);
  g_test_add_func ("/vk-ops/linear", test_linear);
  g_test_add_func ("/vk-ops/conv2d", test_conv2d);
  g_test_add_func ("/vk-ops/conv3d", test_conv3d);
  g_test_add_func ("/vk-ops/attention", test_attention);
  g_test_add_func ("/vk-ops/layer-norm", test_layer_norm);
  g_test_add_func ("/vk-ops/rms-norm", test_rms_norm);
  g_test_add_func ("/vk-ops/group-norm", test_group_norm);
  g_test_add_func ("/vk-ops/activations", test_activations);
  g_test_add_func ("/vk-ops/softmax", test_softmax);
  g_test_add_func ("/vk-ops/add-mul", test_add_mul);
  g_test_add_func ("/vk-ops/modulate", test_modulate);
  g_test_add_func ("/vk-ops/rope3d", test_rope3d);
  g_test_add_func ("/vk-ops/resize", test_resize);
  g_test_add_func ("/vk-ops/patchify", test_patchify);
  g_test_add_func ("/vk-ops/concat-slice", test_concat_slice);
  g_test_add_func ("/vk-ops/permute", test_permute);
  g_test_add_func ("/vk-ops/batching", test_batching);
  g_test_add_func ("/vk-ops/profiling", test_profiling);
  g_test_add_func ("/vk-ops/cancel", test_cancel);
  g_test_add_func ("/vk-ops/cancel-mid-sync", test_cancel_mid_sync);
  g_test_add_func ("/vk-ops/bad-arguments", test_bad_arguments);

  status = g_test_run ();

  g_clear_pointer (&backend, reel_backend_unref);
  remove_tree (cache_dir);
  return status;
}
