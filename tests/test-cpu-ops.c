#define G_LOG_DOMAIN "reel-test"

#include "config.h"

#include <math.h>
#include <string.h>

#include "reel-render-error.h"
#include "cpu/reel-cpu-backend.h"
#include "cpu/reel-cpu-ops.h"

/* Every CPU op against a naive loop written here, in double, straight from the definition in
 * reel-cpu-ops.h, on sizes that are not multiples of any block or vector width. The fast path
 * (OpenBLAS, blocking, vector exponentials) shares no code with these references, so a bug in
 * it shows up as a mismatch. */

static float *
random_floats (int64_t n,
               guint32 seed,
               float   lo,
               float   hi)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  float *v = g_new (float, (gsize) MAX (n, 1));

  for (int64_t i = 0; i < n; i++)
    v[i] = (float) g_rand_double_range (rand, lo, hi);
  return v;
}

/* |got − want| ≤ atol + rtol·|want| everywhere; on failure, names the first bad index. */
static void
assert_close (const float  *got,
              const double *want,
              int64_t       n,
              double        atol,
              double        rtol)
{
  for (int64_t i = 0; i < n; i++)
    {
      double err = fabs ((double) got[i] - want[i]);

      if (!(err <= atol + rtol * fabs (want[i])))
        {
          g_test_message ("index %" G_GINT64_FORMAT ": got %.9g, want %.9g", i,
                          (double) got[i], want[i]);
          g_assert_cmpfloat (err, <=, atol + rtol * fabs (want[i]));
        }
    }
}

static void
assert_equal_floats (const float *got,
                     const float *want,
                     int64_t      n)
{
  for (int64_t i = 0; i < n; i++)
    if (got[i] != want[i])
      {
        g_test_message ("index %" G_GINT64_FORMAT ": got %.9g, want %.9g", i,
                        (double) got[i], (double) want[i]);
        g_assert_cmpfloat (got[i], ==, want[i]);
      }
}

/* ---- Matrix products ---- */

static double *
naive_matmul (const float *a,
              const float *b,
              int64_t      m,
              int64_t      n,
              int64_t      k,
              gboolean     b_transposed)
{
  double *c = g_new0 (double, (gsize) (m * n));

  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++)
      for (int64_t p = 0; p < k; p++)
        c[i * n + j] += (double) a[i * k + p] * (b_transposed ? b[j * k + p] : b[p * n + j]);
  return c;
}

static void
test_matmul (void)
{
  const int64_t m = 37, n = 29, k = 53;
  g_autofree float *a = random_floats (m * k, 1, -1, 1);
  g_autofree float *b = random_floats (k * n, 2, -1, 1);
  g_autofree float *c = g_new (float, m * n);

  for (int t = 0; t < 2; t++)
    {
      g_autofree double *want = naive_matmul (a, b, m, n, k, t);

      reel_cpu_matmul (a, b, c, m, n, k, t);
      assert_close (c, want, m * n, 1e-5, 1e-5);
    }
}

static void
test_matmul_empty_k (void)
{
  float c[6] = { 1, 2, 3, 4, 5, 6 };
  float a[1] = { 0 }, b[1] = { 0 };
  const double zeros[6] = { 0 };

  /* An empty sum is zero: c must be overwritten, not left as it was. */
  reel_cpu_matmul (a, b, c, 2, 3, 0, FALSE);
  assert_close (c, zeros, 6, 0, 0);
}

static void
test_linear (void)
{
  const int64_t m = 19, n = 23, k = 41;
  g_autofree float *x = random_floats (m * k, 3, -1, 1);
  g_autofree float *w = random_floats (n * k, 4, -1, 1);
  g_autofree float *bias = random_floats (n, 5, -1, 1);
  g_autofree float *y = g_new (float, m * n);
  g_autofree double *want = naive_matmul (x, w, m, n, k, TRUE);

  reel_cpu_linear (x, w, NULL, y, m, n, k);
  assert_close (y, want, m * n, 1e-5, 1e-5);

  for (int64_t i = 0; i < m; i++)
    for (int64_t j = 0; j < n; j++)
      want[i * n + j] += bias[j];
  reel_cpu_linear (x, w, bias, y, m, n, k);
  assert_close (y, want, m * n, 1e-5, 1e-5);
}

/* ---- Convolutions ---- */

/* Direct 3-D convolution over x [c_in, t, h, w] with explicit front/back padding; 2-D tests
 * call it with one frame. */
static double *
naive_conv3d (const float *x,
              const float *wt,
              const float *bias,
              int64_t c_in, int64_t t, int64_t h, int64_t w,
              int64_t c_out, int64_t kt, int64_t kh, int64_t kw,
              int64_t st, int64_t sh, int64_t sw,
              int64_t pad_front, int64_t pad_back, int64_t ph, int64_t pw,
              int64_t *to_out, int64_t *ho_out, int64_t *wo_out)
{
  int64_t to = (t + pad_front + pad_back - kt) / st + 1;
  int64_t ho = (h + 2 * ph - kh) / sh + 1;
  int64_t wo = (w + 2 * pw - kw) / sw + 1;
  double *out = g_new0 (double, (gsize) (c_out * to * ho * wo));

  for (int64_t co = 0; co < c_out; co++)
    for (int64_t ot = 0; ot < to; ot++)
      for (int64_t oy = 0; oy < ho; oy++)
        for (int64_t ox = 0; ox < wo; ox++)
          {
            double acc = bias != NULL ? bias[co] : 0.0;

            for (int64_t ci = 0; ci < c_in; ci++)
              for (int64_t dt = 0; dt < kt; dt++)
                for (int64_t dy = 0; dy < kh; dy++)
                  for (int64_t dx = 0; dx < kw; dx++)
                    {
                      int64_t it = ot * st - pad_front + dt;
                      int64_t iy = oy * sh - ph + dy;
                      int64_t ix = ox * sw - pw + dx;

                      if (it < 0 || it >= t || iy < 0 || iy >= h || ix < 0 || ix >= w)
                        continue;
                      acc += (double) x[((ci * t + it) * h + iy) * w + ix]
                             * wt[(((co * c_in + ci) * kt + dt) * kh + dy) * kw + dx];
                    }
            out[((co * to + ot) * ho + oy) * wo + ox] = acc;
          }
  *to_out = to;
  *ho_out = ho;
  *wo_out = wo;
  return out;
}

static void
check_conv2d (const ReelConv2dShape *s,
              gboolean               with_bias,
              guint32                seed)
{
  int64_t in_size = s->c_in * s->h * s->w;
  g_autofree float *x = random_floats (s->batch * in_size, seed, -1, 1);
  g_autofree float *wt = random_floats (s->c_out * s->c_in * s->kh * s->kw, seed + 1, -1, 1);
  g_autofree float *bias = random_floats (s->c_out, seed + 2, -1, 1);
  int64_t ho = (s->h + 2 * s->pad_h - s->kh) / s->stride_h + 1;
  int64_t wo = (s->w + 2 * s->pad_w - s->kw) / s->stride_w + 1;
  int64_t out_size = s->c_out * ho * wo;
  g_autofree float *out = g_new (float, s->batch * out_size);

  reel_cpu_conv2d (x, wt, with_bias ? bias : NULL, out, s);
  for (int64_t b = 0; b < s->batch; b++)
    {
      int64_t to, nho, nwo;
      g_autofree double *want = naive_conv3d (x + b * in_size, wt, with_bias ? bias : NULL,
                                              s->c_in, 1, s->h, s->w, s->c_out, 1, s->kh,
                                              s->kw, 1, s->stride_h, s->stride_w, 0, 0,
                                              s->pad_h, s->pad_w, &to, &nho, &nwo);

      g_assert_cmpint (to * nho * nwo, ==, ho * wo);
      assert_close (out + b * out_size, want, out_size, 1e-4, 1e-4);
    }
}

static void
test_conv2d (void)
{
  const ReelConv2dShape strided = {
    .batch = 2, .c_in = 3, .h = 11, .w = 9, .c_out = 5, .kh = 3, .kw = 3,
    .stride_h = 2, .stride_w = 1, .pad_h = 1, .pad_w = 0,
  };
  const ReelConv2dShape wide = {
    .batch = 1, .c_in = 4, .h = 7, .w = 13, .c_out = 3, .kh = 5, .kw = 2,
    .stride_h = 1, .stride_w = 3, .pad_h = 2, .pad_w = 1,
  };
  const ReelConv2dShape pointwise = {
    .batch = 3, .c_in = 7, .h = 5, .w = 6, .c_out = 9, .kh = 1, .kw = 1,
    .stride_h = 1, .stride_w = 1,
  };
  /* c_in·kh·kw = 1800 rows make im2col split the 2 500 positions into several slices. */
  const ReelConv2dShape deep = {
    .batch = 1, .c_in = 200, .h = 50, .w = 50, .c_out = 4, .kh = 3, .kw = 3,
    .stride_h = 1, .stride_w = 1, .pad_h = 1, .pad_w = 1,
  };

  check_conv2d (&strided, TRUE, 10);
  check_conv2d (&strided, FALSE, 20);
  check_conv2d (&wide, TRUE, 30);
  check_conv2d (&pointwise, TRUE, 40);
  check_conv2d (&pointwise, FALSE, 50);
  check_conv2d (&deep, TRUE, 60);
}

static void
test_conv2d_identity_kernel (void)
{
  const ReelConv2dShape s = {
    .batch = 1, .c_in = 3, .h = 6, .w = 5, .c_out = 3, .kh = 3, .kw = 3,
    .stride_h = 1, .stride_w = 1, .pad_h = 1, .pad_w = 1,
  };
  g_autofree float *x = random_floats (3 * 6 * 5, 70, -1, 1);
  g_autofree float *out = g_new (float, 3 * 6 * 5);
  float wt[3 * 3 * 3 * 3] = { 0 };

  /* A centred 1 from channel c to channel c: the convolution copies its input. */
  for (int c = 0; c < 3; c++)
    wt[((c * 3 + c) * 3 + 1) * 3 + 1] = 1.0f;
  reel_cpu_conv2d (x, wt, NULL, out, &s);
  assert_equal_floats (out, x, 3 * 6 * 5);
}

static void
check_conv3d (const ReelConv3dShape *s,
              guint32                seed)
{
  int64_t pad_front = s->causal ? s->kt - 1 : s->pad_t;
  int64_t pad_back = s->causal ? 0 : s->pad_t;
  g_autofree float *x = random_floats (s->c_in * s->t * s->h * s->w, seed, -1, 1);
  g_autofree float *wt = random_floats (s->c_out * s->c_in * s->kt * s->kh * s->kw, seed + 1,
                                        -1, 1);
  g_autofree float *bias = random_floats (s->c_out, seed + 2, -1, 1);
  int64_t to, ho, wo;
  g_autofree double *want = naive_conv3d (x, wt, bias, s->c_in, s->t, s->h, s->w, s->c_out,
                                          s->kt, s->kh, s->kw, s->stride_t, s->stride_h,
                                          s->stride_w, pad_front, pad_back, s->pad_h,
                                          s->pad_w, &to, &ho, &wo);
  g_autofree float *out = g_new (float, s->c_out * to * ho * wo);

  reel_cpu_conv3d (x, wt, bias, out, s);
  assert_close (out, want, s->c_out * to * ho * wo, 1e-4, 1e-4);
}

static void
test_conv3d (void)
{
  const ReelConv3dShape padded = {
    .c_in = 3, .t = 5, .h = 6, .w = 7, .c_out = 4, .kt = 3, .kh = 3, .kw = 3,
    .stride_t = 1, .stride_h = 2, .stride_w = 1, .pad_h = 1, .pad_w = 1, .pad_t = 1,
  };
  const ReelConv3dShape causal = {
    .c_in = 2, .t = 7, .h = 5, .w = 4, .c_out = 3, .kt = 3, .kh = 3, .kw = 3,
    .stride_t = 2, .stride_h = 1, .stride_w = 1, .pad_h = 1, .pad_w = 1,
    .pad_t = 5, .causal = TRUE,       /* pad_t is ignored when causal */
  };
  const ReelConv3dShape pointwise = {
    .c_in = 5, .t = 3, .h = 4, .w = 3, .c_out = 6, .kt = 1, .kh = 1, .kw = 1,
    .stride_t = 1, .stride_h = 1, .stride_w = 1,
  };

  check_conv3d (&padded, 100);
  check_conv3d (&causal, 110);
  check_conv3d (&pointwise, 120);
}

static void
test_conv3d_causal_ignores_future (void)
{
  const ReelConv3dShape s = {
    .c_in = 2, .t = 6, .h = 4, .w = 5, .c_out = 3, .kt = 3, .kh = 3, .kw = 3,
    .stride_t = 1, .stride_h = 1, .stride_w = 1, .pad_h = 1, .pad_w = 1, .causal = TRUE,
  };
  const int64_t frame = 4 * 5, out_frame = 4 * 5;
  g_autofree float *x = random_floats (2 * 6 * frame, 130, -1, 1);
  g_autofree float *wt = random_floats (3 * 2 * 27, 131, -1, 1);
  g_autofree float *before = g_new (float, 3 * 6 * out_frame);
  g_autofree float *after = g_new (float, 3 * 6 * out_frame);
  const int64_t changed_from = 3;

  reel_cpu_conv3d (x, wt, NULL, before, &s);
  /* Change frames 3… of every channel: outputs 0…2 must not move, output 3 must. */
  for (int64_t c = 0; c < 2; c++)
    for (int64_t i = changed_from * frame; i < 6 * frame; i++)
      x[c * 6 * frame + i] += 1.0f;
  reel_cpu_conv3d (x, wt, NULL, after, &s);

  for (int64_t c = 0; c < 3; c++)
    {
      const float *b = before + c * 6 * out_frame, *a = after + c * 6 * out_frame;

      assert_equal_floats (a, b, changed_from * out_frame);
      g_assert_true (memcmp (a + changed_from * out_frame, b + changed_from * out_frame,
                             out_frame * sizeof (float)) != 0);
    }
  /* And the output has as many frames as the input: kt − 1 frames of past padding. */
  {
    int64_t to, ho, wo;
    g_autofree double *want = naive_conv3d (x, wt, NULL, 2, 6, 4, 5, 3, 3, 3, 3, 1, 1, 1,
                                            2, 0, 1, 1, &to, &ho, &wo);

    g_assert_cmpint (to, ==, 6);
    assert_close (after, want, 3 * 6 * out_frame, 1e-4, 1e-4);
  }
}

/* ---- Attention ---- */

static double *
naive_attention (const float *q,
                 const float *k,
                 const float *v,
                 int64_t      sq,
                 int64_t      sk,
                 int64_t      heads,
                 int64_t      d,
                 double       scale)
{
  double *out = g_new0 (double, (gsize) (sq * heads * d));
  g_autofree double *p = g_new (double, (gsize) sk);

  for (int64_t h = 0; h < heads; h++)
    for (int64_t i = 0; i < sq; i++)
      {
        double m = -INFINITY, sum = 0.0;

        for (int64_t j = 0; j < sk; j++)
          {
            double s = 0.0;

            for (int64_t c = 0; c < d; c++)
              s += (double) q[(i * heads + h) * d + c] * k[(j * heads + h) * d + c];
            p[j] = s * scale;
            m = MAX (m, p[j]);
          }
        for (int64_t j = 0; j < sk; j++)
          {
            p[j] = exp (p[j] - m);
            sum += p[j];
          }
        for (int64_t j = 0; j < sk; j++)
          for (int64_t c = 0; c < d; c++)
            out[(i * heads + h) * d + c] += p[j] / sum * v[(j * heads + h) * d + c];
      }
  return out;
}

static void
check_attention (int64_t sq,
                 int64_t sk,
                 int64_t heads,
                 int64_t d,
                 float   scale,
                 float   range,
                 guint32 seed)
{
  g_autofree float *q = random_floats (sq * heads * d, seed, -range, range);
  g_autofree float *k = random_floats (sk * heads * d, seed + 1, -range, range);
  g_autofree float *v = random_floats (sk * heads * d, seed + 2, -1, 1);
  g_autofree float *out = g_new (float, sq * heads * d);
  g_autofree double *want = naive_attention (q, k, v, sq, sk, heads, d, scale);

  reel_cpu_attention (q, k, v, out, sq, sk, heads, d, scale);
  assert_close (out, want, sq * heads * d, 2e-5, 1e-4);
}

static void
test_attention (void)
{
  /* Self-attention, one block each way. */
  check_attention (37, 37, 3, 24, 1.0f / sqrtf (24), 1.0f, 200);
  /* Cross-attention with a short context. */
  check_attention (41, 7, 2, 16, 1.0f / 4.0f, 1.0f, 210);
  /* More queries than one query block and more keys than one key block, so the online
   * softmax rescales partial sums across blocks. */
  check_attention (300, 2100, 2, 8, 1.0f / sqrtf (8), 1.0f, 220);
  /* Scores in the hundreds: exp would overflow without the running maximum. */
  check_attention (19, 2051, 1, 12, 1.0f, 6.0f, 230);
}

static void
test_attention_uniform_keys (void)
{
  /* Identical keys give uniform weights: every output row is the mean of v. */
  const int64_t sq = 5, sk = 2049, d = 3;
  g_autofree float *q = random_floats (sq * d, 240, -1, 1);
  g_autofree float *k = g_new (float, sk * d);
  g_autofree float *v = random_floats (sk * d, 241, -1, 1);
  g_autofree float *out = g_new (float, sq * d);
  double mean[3] = { 0 };
  g_autofree double *want = g_new (double, sq * d);

  for (int64_t i = 0; i < sk * d; i++)
    k[i] = 0.5f;
  for (int64_t j = 0; j < sk; j++)
    for (int64_t c = 0; c < d; c++)
      mean[c] += v[j * d + c] / (double) sk;
  for (int64_t i = 0; i < sq; i++)
    for (int64_t c = 0; c < d; c++)
      want[i * d + c] = mean[c];

  reel_cpu_attention (q, k, v, out, sq, sk, 1, d, 0.7f);
  assert_close (out, want, sq * d, 1e-5, 1e-4);
}

/* ---- Normalisations ---- */

static void
test_layer_norm (void)
{
  const int64_t rows = 7, dim = 45;
  const float eps = 1e-6f;
  /* An offset of 100 checks that the variance is not taken as E[x²] − E[x]² in float. */
  g_autofree float *x = random_floats (rows * dim, 300, 99, 101);
  g_autofree float *weight = random_floats (dim, 301, 0.5, 1.5);
  g_autofree float *bias = random_floats (dim, 302, -1, 1);
  g_autofree float *y = g_new (float, rows * dim);
  g_autofree double *plain = g_new (double, rows * dim);
  g_autofree double *affine = g_new (double, rows * dim);

  for (int64_t r = 0; r < rows; r++)
    {
      double mean = 0, var = 0;

      for (int64_t i = 0; i < dim; i++)
        mean += x[r * dim + i] / (double) dim;
      for (int64_t i = 0; i < dim; i++)
        var += (x[r * dim + i] - mean) * (x[r * dim + i] - mean) / (double) dim;
      for (int64_t i = 0; i < dim; i++)
        {
          plain[r * dim + i] = (x[r * dim + i] - mean) / sqrt (var + eps);
          affine[r * dim + i] = plain[r * dim + i] * weight[i] + bias[i];
        }
    }

  reel_cpu_layer_norm (x, NULL, NULL, y, rows, dim, eps);
  assert_close (y, plain, rows * dim, 1e-4, 1e-4);
  reel_cpu_layer_norm (x, weight, bias, y, rows, dim, eps);
  assert_close (y, affine, rows * dim, 1e-4, 1e-4);
  /* In place. */
  reel_cpu_layer_norm (x, weight, bias, x, rows, dim, eps);
  assert_close (x, affine, rows * dim, 1e-4, 1e-4);
}

static void
test_rms_norm (void)
{
  const int64_t rows = 5, dim = 37;
  const float eps = 1e-5f;
  g_autofree float *x = random_floats (rows * dim, 310, -3, 3);
  g_autofree float *weight = random_floats (dim, 311, 0.5, 1.5);
  g_autofree float *y = g_new (float, rows * dim);
  g_autofree double *plain = g_new (double, rows * dim);
  g_autofree double *affine = g_new (double, rows * dim);

  for (int64_t r = 0; r < rows; r++)
    {
      double ms = 0;

      for (int64_t i = 0; i < dim; i++)
        ms += (double) x[r * dim + i] * x[r * dim + i] / (double) dim;
      for (int64_t i = 0; i < dim; i++)
        {
          plain[r * dim + i] = x[r * dim + i] / sqrt (ms + eps);
          affine[r * dim + i] = plain[r * dim + i] * weight[i];
        }
    }

  reel_cpu_rms_norm (x, NULL, y, rows, dim, eps);
  assert_close (y, plain, rows * dim, 1e-5, 1e-5);
  reel_cpu_rms_norm (x, weight, y, rows, dim, eps);
  assert_close (y, affine, rows * dim, 1e-5, 1e-5);
  reel_cpu_rms_norm (x, weight, x, rows, dim, eps);
  assert_close (x, affine, rows * dim, 1e-5, 1e-5);
}

static void
test_group_norm (void)
{
  const int64_t channels = 12, spatial = 31, groups = 3, per = channels / groups;
  const float eps = 1e-6f;
  g_autofree float *x = random_floats (channels * spatial, 320, -2, 5);
  g_autofree float *weight = random_floats (channels, 321, 0.5, 1.5);
  g_autofree float *bias = random_floats (channels, 322, -1, 1);
  g_autofree float *y = g_new (float, channels * spatial);
  g_autofree double *plain = g_new (double, channels * spatial);
  g_autofree double *affine = g_new (double, channels * spatial);

  for (int64_t g = 0; g < groups; g++)
    {
      const float *xg = x + g * per * spatial;
      double mean = 0, var = 0;

      for (int64_t i = 0; i < per * spatial; i++)
        mean += xg[i] / (double) (per * spatial);
      for (int64_t i = 0; i < per * spatial; i++)
        var += (xg[i] - mean) * (xg[i] - mean) / (double) (per * spatial);
      for (int64_t c = g * per; c < (g + 1) * per; c++)
        for (int64_t s = 0; s < spatial; s++)
          {
            int64_t i = c * spatial + s;

            plain[i] = (x[i] - mean) / sqrt (var + eps);
            affine[i] = plain[i] * weight[c] + bias[c];
          }
    }

  reel_cpu_group_norm (x, NULL, NULL, y, channels, spatial, groups, eps);
  assert_close (y, plain, channels * spatial, 1e-5, 1e-5);
  reel_cpu_group_norm (x, weight, bias, y, channels, spatial, groups, eps);
  assert_close (y, affine, channels * spatial, 1e-5, 1e-5);
  reel_cpu_group_norm (x, weight, bias, x, channels, spatial, groups, eps);
  assert_close (x, affine, channels * spatial, 1e-5, 1e-5);
}

/* ---- Activations and softmax ---- */

static void
test_activations (void)
{
  const int64_t n = 1001;
  g_autofree float *x = g_new (float, n);
  g_autofree float *y = g_new (float, n);
  g_autofree double *gelu = g_new (double, n);
  g_autofree double *silu = g_new (double, n);
  float ones[2] = { 1.0f, -1.0f }, g1[2];

  for (int64_t i = 0; i < n; i++)
    {
      double v;

      x[i] = (float) (-12.0 + 24.0 * (double) i / (double) (n - 1));
      v = x[i];
      gelu[i] = 0.5 * v * (1.0 + tanh (sqrt (2.0 / G_PI) * (v + 0.044715 * v * v * v)));
      silu[i] = v / (1.0 + exp (-v));
    }
  /* Known values of the tanh form (PyTorch prints the same): GELU(±1). */
  reel_cpu_gelu_tanh (ones, g1, 2);
  g_assert_cmpfloat_with_epsilon (g1[0], 0.8411920, 1e-6);
  g_assert_cmpfloat_with_epsilon (g1[1], -0.1588080, 1e-6);

  reel_cpu_gelu_tanh (x, y, n);
  assert_close (y, gelu, n, 1e-6, 1e-5);
  reel_cpu_silu (x, y, n);
  assert_close (y, silu, n, 1e-6, 1e-5);
  memcpy (y, x, n * sizeof (float));
  reel_cpu_silu (y, y, n);
  assert_close (y, silu, n, 1e-6, 1e-5);
}

static void
test_activations_extremes (void)
{
  float x[] = { -1000.0f, -100.0f, -30.0f, 30.0f, 100.0f, 1000.0f };
  float g[G_N_ELEMENTS (x)], s[G_N_ELEMENTS (x)];

  reel_cpu_gelu_tanh (x, g, G_N_ELEMENTS (x));
  reel_cpu_silu (x, s, G_N_ELEMENTS (x));
  for (gsize i = 0; i < G_N_ELEMENTS (x); i++)
    {
      /* Far from zero both are 0 on the left and the identity on the right; no NaN. */
      double want = x[i] < 0 ? 0.0 : x[i];

      g_assert_cmpfloat_with_epsilon (g[i], want, 1e-5 * fabs (x[i]));
      g_assert_cmpfloat_with_epsilon (s[i], want, 1e-5 * fabs (x[i]));
    }
}

static void
test_softmax (void)
{
  const int64_t rows = 6, dim = 83;
  g_autofree float *x = random_floats (rows * dim, 400, -20, 20);
  g_autofree float *y = g_new (float, rows * dim);
  g_autofree double *want = g_new (double, rows * dim);

  /* One row far outside exp's range: only the subtracted maximum keeps it finite. */
  for (int64_t i = 0; i < dim; i++)
    x[2 * dim + i] += 1000.0f;

  for (int64_t r = 0; r < rows; r++)
    {
      double m = -INFINITY, sum = 0;

      for (int64_t i = 0; i < dim; i++)
        m = MAX (m, x[r * dim + i]);
      for (int64_t i = 0; i < dim; i++)
        sum += exp (x[r * dim + i] - m);
      for (int64_t i = 0; i < dim; i++)
        want[r * dim + i] = exp (x[r * dim + i] - m) / sum;
    }

  reel_cpu_softmax (x, y, rows, dim);
  assert_close (y, want, rows * dim, 1e-7, 1e-4);
  for (int64_t r = 0; r < rows; r++)
    {
      double sum = 0;

      for (int64_t i = 0; i < dim; i++)
        sum += y[r * dim + i];
      g_assert_cmpfloat_with_epsilon (sum, 1.0, 1e-5);
    }

  reel_cpu_softmax (x, x, rows, dim);
  assert_close (x, want, rows * dim, 1e-7, 1e-4);
}

/* ---- Elementwise ---- */

static void
test_add_mul (void)
{
  const int64_t n = 7 * 13, b_len = 13;
  g_autofree float *a = random_floats (n, 500, -2, 2);
  g_autofree float *b = random_floats (b_len, 501, -2, 2);
  g_autofree float *full = random_floats (n, 502, -2, 2);
  g_autofree float *out = g_new (float, n);
  g_autofree double *sum = g_new (double, n);
  g_autofree double *prod = g_new (double, n);
  g_autofree double *sum_full = g_new (double, n);

  for (int64_t i = 0; i < n; i++)
    {
      sum[i] = (double) a[i] + b[i % b_len];
      prod[i] = (double) a[i] * b[i % b_len];
      sum_full[i] = (double) a[i] + full[i];
    }

  reel_cpu_add (a, b, out, n, b_len);
  assert_close (out, sum, n, 1e-6, 1e-6);
  reel_cpu_mul (a, b, out, n, b_len);
  assert_close (out, prod, n, 1e-6, 1e-6);
  reel_cpu_add (a, full, out, n, n);
  assert_close (out, sum_full, n, 1e-6, 1e-6);
  reel_cpu_add (a, b, a, n, b_len);
  assert_close (a, sum, n, 1e-6, 1e-6);
}

static void
test_modulate (void)
{
  const int64_t rows = 9, dim = 21;
  g_autofree float *x = random_floats (rows * dim, 510, -2, 2);
  g_autofree float *shift = random_floats (dim, 511, -1, 1);
  g_autofree float *scale = random_floats (dim, 512, -1, 1);
  g_autofree float *y = g_new (float, rows * dim);
  g_autofree double *want = g_new (double, rows * dim);

  for (int64_t r = 0; r < rows; r++)
    for (int64_t i = 0; i < dim; i++)
      want[r * dim + i] = x[r * dim + i] * (1.0 + scale[i]) + shift[i];

  reel_cpu_modulate (x, shift, scale, y, rows, dim);
  assert_close (y, want, rows * dim, 1e-6, 1e-6);
  reel_cpu_modulate (x, shift, scale, x, rows, dim);
  assert_close (x, want, rows * dim, 1e-6, 1e-6);
}

/* ---- RoPE ---- */

/* Channel by channel from the header's words: which part the pair falls in, its index i in
 * that part of size p, and the position that drives the part. */
static double *
naive_rope3d (const float *x,
              int64_t      frames,
              int64_t      height,
              int64_t      width,
              int64_t      heads,
              int64_t      d,
              double       theta)
{
  const int64_t part[3] = { d - 4 * (d / 6), 2 * (d / 6), 2 * (d / 6) };
  double *y = g_new (double, (gsize) (frames * height * width * heads * d));

  for (int64_t f = 0; f < frames; f++)
    for (int64_t r = 0; r < height; r++)
      for (int64_t c = 0; c < width; c++)
        for (int64_t h = 0; h < heads; h++)
          {
            const int64_t pos[3] = { f, r, c };
            int64_t base = ((((f * height) + r) * width + c) * heads + h) * d;

            for (int64_t ch = 0; ch < d; ch += 2)
              {
                int64_t which = ch < part[0] ? 0 : ch < part[0] + part[1] ? 1 : 2;
                int64_t start = which == 0 ? 0 : which == 1 ? part[0] : part[0] + part[1];
                int64_t i = (ch - start) / 2;
                double angle = pos[which] * pow (theta, -2.0 * i / part[which]);
                double re = x[base + ch], im = x[base + ch + 1];

                y[base + ch] = re * cos (angle) - im * sin (angle);
                y[base + ch + 1] = re * sin (angle) + im * cos (angle);
              }
          }
  return y;
}

static void
test_rope3d (void)
{
  /* d = 128 is Wan's head size (parts of 44, 42 and 42 channels); 20 gives 12, 4, 4. */
  const int64_t dims[] = { 128, 20 };

  for (gsize t = 0; t < G_N_ELEMENTS (dims); t++)
    {
      const int64_t frames = 3, height = 4, width = 5, heads = 2, d = dims[t];
      const int64_t n = frames * height * width * heads * d;
      g_autofree float *x = random_floats (n, 600 + t, -1, 1);
      g_autofree float *y = g_new (float, n);
      g_autofree double *want = naive_rope3d (x, frames, height, width, heads, d, 10000.0);

      reel_cpu_rope3d (x, y, frames, height, width, heads, d, 10000.0f);
      assert_close (y, want, n, 1e-5, 1e-5);
      /* Token (0, 0, 0) has every angle 0: it comes through unchanged. */
      assert_equal_floats (y, x, heads * d);
      reel_cpu_rope3d (x, x, frames, height, width, heads, d, 10000.0f);
      assert_close (x, want, n, 1e-5, 1e-5);
    }
}

static void
test_rope3d_hand_values (void)
{
  /* d = 6: parts of 2, 2 and 2 channels, one pair each, frequency theta^0 = 1, so the
   * angles are just the frame, row and column indices. Token (1, 0, 1) of a 2×1×2 grid. */
  float x[4 * 6];
  float y[4 * 6];
  const float *t = y + 3 * 6;

  for (int i = 0; i < 4 * 6; i++)
    x[i] = (i % 2 == 0) ? 1.0f : 0.0f;   /* every pair is 1 + 0i */
  reel_cpu_rope3d (x, y, 2, 1, 2, 1, 6, 10000.0f);
  g_assert_cmpfloat_with_epsilon (t[0], cos (1.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (t[1], sin (1.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (t[2], 1.0, 1e-6);      /* row 0 */
  g_assert_cmpfloat_with_epsilon (t[3], 0.0, 1e-6);
  g_assert_cmpfloat_with_epsilon (t[4], cos (1.0), 1e-6);
  g_assert_cmpfloat_with_epsilon (t[5], sin (1.0), 1e-6);
}

/* ---- Layout ---- */

static void
test_resize_hand_values (void)
{
  const float x[4] = { 1, 2, 3, 4 };
  float y[16];
  /* torch.nn.functional.interpolate(x, size=(4, 4), mode="bilinear", align_corners=False) */
  const double bilinear[16] = {
    1.00, 1.25, 1.75, 2.00,
    1.50, 1.75, 2.25, 2.50,
    2.50, 2.75, 3.25, 3.50,
    3.00, 3.25, 3.75, 4.00,
  };
  /* mode="nearest" to 3×3: source index ⌊i·2/3⌋ = 0, 0, 1. */
  const double nearest[9] = { 1, 1, 2, 1, 1, 2, 3, 3, 4 };
  const float big[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
  /* Halving with half-pixel centres averages each 2×2 block. */
  const double halved[4] = { 2.5, 4.5, 10.5, 12.5 };

  reel_cpu_resize (x, y, 1, 2, 2, 4, 4, REEL_RESIZE_BILINEAR);
  assert_close (y, bilinear, 16, 1e-6, 0);
  reel_cpu_resize (x, y, 1, 2, 2, 3, 3, REEL_RESIZE_NEAREST);
  assert_close (y, nearest, 9, 0, 0);
  reel_cpu_resize (big, y, 1, 4, 4, 2, 2, REEL_RESIZE_BILINEAR);
  assert_close (y, halved, 4, 1e-6, 0);
}

static void
test_resize (void)
{
  const int64_t c = 2, h = 7, w = 5, oh = 11, ow = 3;
  g_autofree float *x = random_floats (c * h * w, 700, -1, 1);
  g_autofree float *y = g_new (float, c * oh * ow);
  g_autofree double *want = g_new (double, c * oh * ow);

  for (int mode = 0; mode < 2; mode++)
    {
      for (int64_t ch = 0; ch < c; ch++)
        for (int64_t oy = 0; oy < oh; oy++)
          for (int64_t ox = 0; ox < ow; ox++)
            {
              double v;

              if (mode == REEL_RESIZE_NEAREST)
                {
                  int64_t sy = MIN ((int64_t) floor (oy * (double) h / oh), h - 1);
                  int64_t sx = MIN ((int64_t) floor (ox * (double) w / ow), w - 1);

                  v = x[(ch * h + sy) * w + sx];
                }
              else
                {
                  double sy = MAX ((oy + 0.5) * h / oh - 0.5, 0.0);
                  double sx = MAX ((ox + 0.5) * w / ow - 0.5, 0.0);
                  int64_t y0 = (int64_t) sy, x0 = (int64_t) sx;
                  int64_t y1 = MIN (y0 + 1, h - 1), x1 = MIN (x0 + 1, w - 1);
                  double fy = sy - y0, fx = sx - x0;
                  const float *p = x + ch * h * w;

                  v = (1 - fy) * ((1 - fx) * p[y0 * w + x0] + fx * p[y0 * w + x1])
                      + fy * ((1 - fx) * p[y1 * w + x0] + fx * p[y1 * w + x1]);
                }
              want[(ch * oh + oy) * ow + ox] = v;
            }

      reel_cpu_resize (x, y, c, h, w, oh, ow, mode);
      assert_close (y, want, c * oh * ow, 1e-6, 1e-6);
    }
}

static void
test_patchify (void)
{
  const int64_t c = 3, t = 4, h = 6, w = 10, pt = 2, ph = 3, pw = 5;
  const int64_t n = c * t * h * w, feat = pt * ph * pw * c;
  g_autofree float *x = random_floats (n, 800, -1, 1);
  g_autofree float *tokens = g_new (float, n);
  g_autofree float *back = g_new (float, n);
  g_autofree float *want = g_new (float, n);

  for (int64_t ci = 0; ci < c; ci++)
    for (int64_t ti = 0; ti < t; ti++)
      for (int64_t yi = 0; yi < h; yi++)
        for (int64_t xi = 0; xi < w; xi++)
          {
            int64_t token = ((ti / pt) * (h / ph) + yi / ph) * (w / pw) + xi / pw;
            int64_t f = (((ti % pt) * ph + yi % ph) * pw + xi % pw) * c + ci;

            want[token * feat + f] = x[((ci * t + ti) * h + yi) * w + xi];
          }

  reel_cpu_patchify (x, tokens, c, t, h, w, pt, ph, pw);
  assert_equal_floats (tokens, want, n);
  reel_cpu_unpatchify (tokens, back, c, t, h, w, pt, ph, pw);
  assert_equal_floats (back, x, n);
}

static void
test_concat_slice (void)
{
  const int64_t outer = 4, an = 3, bn = 5;
  g_autofree float *a = random_floats (outer * an, 900, -1, 1);
  g_autofree float *b = random_floats (outer * bn, 901, -1, 1);
  g_autofree float *out = g_new (float, outer * (an + bn));
  g_autofree float *part = g_new (float, outer * bn);
  /* As a [outer, dim = 8, inner = 1] tensor, slicing 3…7 gives b back; as [outer, 2, 4]
   * (inner 4), index 1 is the last half of each row. */
  g_autofree float *want = g_new (float, outer * 4);

  reel_cpu_concat (a, b, out, outer, an, bn);
  for (int64_t o = 0; o < outer; o++)
    {
      assert_equal_floats (out + o * (an + bn), a + o * an, an);
      assert_equal_floats (out + o * (an + bn) + an, b + o * bn, bn);
      memcpy (want + o * 4, out + o * 8 + 4, 4 * sizeof (float));
    }

  reel_cpu_slice (out, part, outer, an + bn, 1, an, bn);
  assert_equal_floats (part, b, outer * bn);
  reel_cpu_slice (out, part, outer, 2, 4, 1, 1);
  assert_equal_floats (part, want, outer * 4);
}

static void
test_permute (void)
{
  const int64_t shape[4] = { 2, 3, 5, 7 };
  const int64_t n = 2 * 3 * 5 * 7;
  g_autofree float *x = random_floats (n, 1000, -1, 1);
  g_autofree float *y = g_new (float, n);
  g_autofree float *back = g_new (float, n);
  int count = 0;

  /* All 24 permutations: against index arithmetic, and permuting back restores x. */
  for (int p0 = 0; p0 < 4; p0++)
    for (int p1 = 0; p1 < 4; p1++)
      for (int p2 = 0; p2 < 4; p2++)
        {
          int p3 = 6 - p0 - p1 - p2;
          int perm[4] = { p0, p1, p2, p3 }, inverse[4];
          int64_t out_shape[4];
          int64_t idx[4];

          if (p0 == p1 || p0 == p2 || p1 == p2 || p3 < 0 || p3 > 3
              || p3 == p0 || p3 == p1 || p3 == p2)
            continue;
          count++;

          reel_cpu_permute (x, y, shape, perm);
          for (int i = 0; i < 4; i++)
            {
              out_shape[i] = shape[perm[i]];
              inverse[perm[i]] = i;
            }
          for (idx[0] = 0; idx[0] < shape[0]; idx[0]++)
            for (idx[1] = 0; idx[1] < shape[1]; idx[1]++)
              for (idx[2] = 0; idx[2] < shape[2]; idx[2]++)
                for (idx[3] = 0; idx[3] < shape[3]; idx[3]++)
                  {
                    int64_t src = ((idx[0] * shape[1] + idx[1]) * shape[2] + idx[2])
                                  * shape[3] + idx[3];
                    int64_t dst = ((idx[perm[0]] * out_shape[1] + idx[perm[1]])
                                   * out_shape[2] + idx[perm[2]]) * out_shape[3]
                                  + idx[perm[3]];

                    g_assert_cmpfloat (y[dst], ==, x[src]);
                  }

          reel_cpu_permute (y, back, out_shape, inverse);
          assert_equal_floats (back, x, n);
        }
  g_assert_cmpint (count, ==, 24);
}

/* ---- The CPU backend ---- */

/* A tensor holding `data` (n values), or, with data NULL, n zeros. */
static ReelTensor *
backend_tensor (ReelBackend *backend,
                const float *data,
                int64_t      n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelTensor) t = reel_backend_new_tensor_1d (backend, n, &error);
  g_autofree float *zeros = data == NULL ? g_new0 (float, n) : NULL;

  g_assert_no_error (error);
  g_assert_true (reel_backend_upload (backend, t, data != NULL ? data : zeros, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&t);
}

static void
assert_tensor_equals (ReelBackend *backend,
                      ReelTensor  *t,
                      const float *want)
{
  g_autoptr(GError) error = NULL;
  int64_t n = reel_tensor_get_n_elements (t);
  g_autofree float *got = g_new (float, n);

  g_assert_true (reel_backend_download (backend, t, got, &error));
  g_assert_no_error (error);
  assert_equal_floats (got, want, n);
}

/* Each op through the backend gives exactly what the direct call gives: the wrappers pass
 * every tensor and size to the right parameter. Inputs are distinct random data so that a
 * swapped pair of arguments cannot go unnoticed. */
static void
test_backend_ops (void)
{
  g_autoptr(ReelBackend) be = reel_cpu_backend_new ();
  g_autoptr(GError) error = NULL;
  const int64_t n = 6 * 4 * 10 * 2;   /* 480 values: fits every shape below */
  g_autofree float *a = random_floats (n, 1100, -1, 1);
  g_autofree float *b = random_floats (n, 1101, -1, 1);
  g_autofree float *c = random_floats (n, 1102, -1, 1);
  g_autofree float *want = g_new (float, 4096);
  g_autoptr(ReelTensor) ta = backend_tensor (be, a, n);
  g_autoptr(ReelTensor) tb = backend_tensor (be, b, n);
  const ReelConv2dShape c2 = {
    .batch = 1, .c_in = 2, .h = 6, .w = 5, .c_out = 3, .kh = 3, .kw = 2,
    .stride_h = 1, .stride_w = 2, .pad_h = 1, .pad_w = 1,
  };
  const ReelConv3dShape c3 = {
    .c_in = 2, .t = 3, .h = 4, .w = 5, .c_out = 2, .kt = 2, .kh = 3, .kw = 3,
    .stride_t = 1, .stride_h = 1, .stride_w = 1, .pad_h = 1, .pad_w = 1, .causal = TRUE,
  };
  const int64_t perm_shape[4] = { 2, 3, 4, 5 };
  const int perm[4] = { 2, 0, 3, 1 };

#define OK(call) \
  G_STMT_START { gboolean ok_ = call; g_assert_no_error (error); g_assert_true (ok_); } G_STMT_END
#define SIZED(name, count) \
  g_autoptr(ReelTensor) name = backend_tensor (be, NULL, count)

  /* matmul, linear: [5, 7] · [7, 6] and with bias */
  {
    g_autoptr(ReelTensor) x = backend_tensor (be, a, 35);
    g_autoptr(ReelTensor) w = backend_tensor (be, b, 42);
    g_autoptr(ReelTensor) bias = backend_tensor (be, c, 6);
    SIZED (y, 30);

    OK (reel_backend_matmul (be, x, w, y, 5, 6, 7, FALSE, &error));
    reel_cpu_matmul (a, b, want, 5, 6, 7, FALSE);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_matmul (be, x, w, y, 5, 6, 7, TRUE, &error));
    reel_cpu_matmul (a, b, want, 5, 6, 7, TRUE);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_linear (be, x, w, bias, y, 5, 6, 7, &error));
    reel_cpu_linear (a, b, c, want, 5, 6, 7);
    assert_tensor_equals (be, y, want);
    g_assert_no_error (error);
  }

  /* conv2d and conv3d */
  {
    g_autoptr(ReelTensor) x = backend_tensor (be, a, 2 * 6 * 5);
    g_autoptr(ReelTensor) w = backend_tensor (be, b, 3 * 2 * 3 * 2);
    g_autoptr(ReelTensor) bias = backend_tensor (be, c, 3);
    SIZED (y, 3 * 6 * 3);
    g_autoptr(ReelTensor) x3 = backend_tensor (be, a, 2 * 3 * 4 * 5);
    g_autoptr(ReelTensor) w3 = backend_tensor (be, b, 2 * 2 * 2 * 3 * 3);
    g_autoptr(ReelTensor) bias3 = backend_tensor (be, c, 2);
    SIZED (y3, 2 * 3 * 4 * 5);

    OK (reel_backend_conv2d (be, x, w, bias, y, &c2, &error));
    reel_cpu_conv2d (a, b, c, want, &c2);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_conv3d (be, x3, w3, bias3, y3, &c3, &error));
    reel_cpu_conv3d (a, b, c, want, &c3);
    assert_tensor_equals (be, y3, want);
    g_assert_no_error (error);
  }

  /* attention: sq 6, sk 10, 2 heads of 4 */
  {
    g_autoptr(ReelTensor) q = backend_tensor (be, a, 6 * 8);
    g_autoptr(ReelTensor) k = backend_tensor (be, b, 10 * 8);
    g_autoptr(ReelTensor) v = backend_tensor (be, c, 10 * 8);
    SIZED (o, 6 * 8);

    OK (reel_backend_attention (be, q, k, v, o, 6, 10, 2, 4, 0.5f, &error));
    reel_cpu_attention (a, b, c, want, 6, 10, 2, 4, 0.5f);
    assert_tensor_equals (be, o, want);
    g_assert_no_error (error);
  }

  /* Norms over [8, 60] (group norm: 12 channels of 40 in 3 groups) */
  {
    g_autoptr(ReelTensor) w = backend_tensor (be, b, 60);
    g_autoptr(ReelTensor) bias = backend_tensor (be, c, 60);
    g_autoptr(ReelTensor) gw = backend_tensor (be, b, 12);
    g_autoptr(ReelTensor) gb = backend_tensor (be, c, 12);
    SIZED (y, n);

    OK (reel_backend_layer_norm (be, ta, w, bias, y, 8, 60, 1e-5f, &error));
    reel_cpu_layer_norm (a, b, c, want, 8, 60, 1e-5f);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_layer_norm (be, ta, NULL, NULL, y, 8, 60, 1e-5f, &error));
    reel_cpu_layer_norm (a, NULL, NULL, want, 8, 60, 1e-5f);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_rms_norm (be, ta, w, y, 8, 60, 1e-6f, &error));
    reel_cpu_rms_norm (a, b, want, 8, 60, 1e-6f);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_group_norm (be, ta, gw, gb, y, 12, 40, 3, 1e-6f, &error));
    reel_cpu_group_norm (a, b, c, want, 12, 40, 3, 1e-6f);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_softmax (be, ta, y, 8, 60, &error));
    reel_cpu_softmax (a, want, 8, 60);
    assert_tensor_equals (be, y, want);
    g_assert_no_error (error);
  }

  /* Elementwise */
  {
    g_autoptr(ReelTensor) row = backend_tensor (be, b, 60);
    g_autoptr(ReelTensor) row2 = backend_tensor (be, c, 60);
    SIZED (y, n);

    OK (reel_backend_gelu_tanh (be, ta, y, n, &error));
    reel_cpu_gelu_tanh (a, want, n);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_silu (be, ta, y, n, &error));
    reel_cpu_silu (a, want, n);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_add (be, ta, row, y, n, 60, &error));
    reel_cpu_add (a, b, want, n, 60);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_mul (be, ta, tb, y, n, n, &error));
    reel_cpu_mul (a, b, want, n, n);
    assert_tensor_equals (be, y, want);
    OK (reel_backend_modulate (be, ta, row, row2, y, 8, 60, &error));
    reel_cpu_modulate (a, b, c, want, 8, 60);
    assert_tensor_equals (be, y, want);
    /* rope3d: 2×2×3 tokens, 2 heads of 20 */
    OK (reel_backend_rope3d (be, ta, y, 2, 2, 3, 2, 20, 10000.0f, &error));
    reel_cpu_rope3d (a, want, 2, 2, 3, 2, 20, 10000.0f);
    assert_tensor_equals (be, y, want);
    g_assert_no_error (error);
  }

  /* Layout */
  {
    g_autoptr(ReelTensor) small = backend_tensor (be, a, 2 * 4 * 6);
    SIZED (up, 2 * 7 * 9);
    SIZED (tok, n);
    SIZED (back, n);
    SIZED (cat, 2 * n);
    SIZED (part, 8 * 20);
    g_autoptr(ReelTensor) perm_in = backend_tensor (be, c, 120);
    SIZED (perm_out, 120);

    OK (reel_backend_resize (be, small, up, 2, 4, 6, 7, 9, REEL_RESIZE_BILINEAR,
                                        &error));
    reel_cpu_resize (a, want, 2, 4, 6, 7, 9, REEL_RESIZE_BILINEAR);
    assert_tensor_equals (be, up, want);
    OK (reel_backend_resize (be, small, up, 2, 4, 6, 7, 9, REEL_RESIZE_NEAREST,
                                        &error));
    reel_cpu_resize (a, want, 2, 4, 6, 7, 9, REEL_RESIZE_NEAREST);
    assert_tensor_equals (be, up, want);
    /* [c 3, t 4, h 4, w 10] in patches of 2×2×5 */
    OK (reel_backend_patchify (be, ta, tok, 3, 4, 4, 10, 2, 2, 5, &error));
    reel_cpu_patchify (a, want, 3, 4, 4, 10, 2, 2, 5);
    assert_tensor_equals (be, tok, want);
    OK (reel_backend_unpatchify (be, tb, back, 3, 4, 4, 10, 2, 2, 5, &error));
    reel_cpu_unpatchify (b, want, 3, 4, 4, 10, 2, 2, 5);
    assert_tensor_equals (be, back, want);
    OK (reel_backend_concat (be, ta, tb, cat, 8, 60, 60, &error));
    reel_cpu_concat (a, b, want, 8, 60, 60);
    assert_tensor_equals (be, cat, want);
    OK (reel_backend_slice (be, ta, part, 8, 15, 4, 7, 5, &error));
    reel_cpu_slice (a, want, 8, 15, 4, 7, 5);
    assert_tensor_equals (be, part, want);
    OK (reel_backend_permute (be, perm_in, perm_out, perm_shape, perm, &error));
    reel_cpu_permute (c, want, perm_shape, perm);
    assert_tensor_equals (be, perm_out, want);
    g_assert_no_error (error);
  }
#undef SIZED
#undef OK
}

static void
test_backend_profiling (void)
{
  g_autoptr(ReelBackend) be = reel_cpu_backend_new ();
  g_autoptr(GError) error = NULL;
  const float x[6] = { 1, 2, 3, 4, 5, 6 };
  g_autoptr(ReelTensor) a = backend_tensor (be, x, 6);
  g_autoptr(ReelTensor) y = backend_tensor (be, NULL, 6);
  g_autoptr(ReelTensor) gram = backend_tensor (be, NULL, 4);
  g_autoptr(GArray) none = NULL;
  g_autoptr(GArray) timings = NULL;

  g_assert_cmpint (reel_backend_get_kind (be), ==, REEL_BACKEND_CPU);
  g_assert_true (g_str_has_prefix (reel_backend_get_name (be), "cpu"));

  /* Off by default: nothing recorded. */
  g_assert_true (reel_backend_silu (be, a, y, 6, &error));
  none = reel_backend_take_timings (be);
  g_assert_cmpuint (none->len, ==, 0);

  reel_backend_set_profiling (be, TRUE);
  g_assert_true (reel_backend_softmax (be, a, y, 2, 3, &error));
  g_assert_true (reel_backend_matmul (be, a, a, gram, 2, 2, 3, TRUE, &error));
  g_assert_true (reel_backend_sync (be, NULL, &error));
  g_assert_no_error (error);
  timings = reel_backend_take_timings (be);
  g_assert_cmpuint (timings->len, ==, 2);
  g_assert_cmpstr (g_array_index (timings, ReelOpTiming, 0).op, ==, "softmax");
  g_assert_cmpstr (g_array_index (timings, ReelOpTiming, 1).op, ==, "matmul");
  g_assert_cmpfloat (g_array_index (timings, ReelOpTiming, 1).ms, >=, 0.0);
}

static void
test_backend_errors (void)
{
  g_autoptr(ReelBackend) be = reel_cpu_backend_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  /* 2^40 values are 4 TiB: no machine that runs this test has that much memory. */
  const int64_t huge[2] = { 1 << 20, 1 << 20 };
  g_autoptr(ReelTensor) t = reel_backend_new_tensor (be, 2, huge, &error);
  g_autoptr(ReelTensor) x = NULL, y = NULL;

  g_assert_null (t);
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_OUT_OF_MEMORY);
  g_assert_nonnull (strstr (error->message, "TB"));
  g_clear_error (&error);

  g_cancellable_cancel (cancellable);
  g_assert_false (reel_backend_sync (be, cancellable, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED);
  g_clear_error (&error);

  /* A size mismatch is caught before the op runs. */
  x = backend_tensor (be, NULL, 10);
  y = backend_tensor (be, NULL, 12);
  g_assert_false (reel_backend_silu (be, x, y, 10, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_INVALID_ARGUMENT);
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

/* One step: a 256³ matmul, then counter += 1. */
static gboolean
cancel_step (ReelBackend  *be,
             ReelTensor   *a,
             ReelTensor   *c,
             ReelTensor   *counter,
             ReelTensor   *one,
             GError      **error)
{
  return reel_backend_matmul (be, a, a, c, 256, 256, 256, FALSE, error)
         && reel_backend_add (be, counter, one, counter, 1, 1, error);
}

/* The CPU backend runs each op as it is called, so a cancel set on the backend stops the work
 * before the next op: cancelled from another thread about three steps into 200, far fewer run,
 * the counter the ops wrote agrees with the ops that reported success, and the backend works
 * afterwards. */
static void
test_backend_cancel_between_ops (void)
{
  g_autoptr(ReelBackend) be = reel_cpu_backend_new ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autofree float *x = g_new (float, 256 * 256);
  const float zero = 0, unit = 1;
  g_autoptr(ReelTensor) a = NULL, c = NULL, counter = NULL, one = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GThread) thread = NULL;
  CancelLater later = { cancellable, 0 };
  int steps_ok = 0;
  gint64 start;
  float count;

  for (int i = 0; i < 256 * 256; i++)
    x[i] = (float) (i % 7) / 7.0f;
  a = backend_tensor (be, x, 256 * 256);
  c = backend_tensor (be, NULL, 256 * 256);
  counter = backend_tensor (be, &zero, 1);
  one = backend_tensor (be, &unit, 1);

  start = g_get_monotonic_time ();
  g_assert_true (cancel_step (be, a, c, counter, one, &error));
  g_assert_no_error (error);
  later.delay_us = (gulong) MAX (3 * (g_get_monotonic_time () - start), 1000);
  g_assert_true (reel_backend_upload (be, counter, &zero, &error));

  reel_backend_set_cancellable (be, cancellable);
  thread = g_thread_new ("cancel-later", cancel_later, &later);
  for (int i = 0; i < 200 && cancel_step (be, a, c, counter, one, &error); i++)
    steps_ok++;
  g_thread_join (g_steal_pointer (&thread));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_false (reel_backend_sync (be, NULL, &error));
  g_assert_error (error, REEL_RENDER_ERROR, REEL_RENDER_ERROR_CANCELLED);
  g_clear_error (&error);

  reel_backend_set_cancellable (be, NULL);
  g_assert_true (reel_backend_download (be, counter, &count, &error));
  g_test_message ("%d of 200 steps ran before the cancel", steps_ok);
  g_assert_cmpint (steps_ok, <=, 100);
  /* A step whose matmul ran but whose add was refused adds nothing. */
  g_assert_cmpfloat (count, ==, (float) steps_ok);

  g_assert_true (reel_backend_add (be, counter, one, counter, 1, 1, &error));
  g_assert_true (reel_backend_download (be, counter, &count, &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (count, ==, (float) steps_ok + 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cpu-ops/matmul", test_matmul);
  g_test_add_func ("/cpu-ops/backend-cancel-between-ops", test_backend_cancel_between_ops);
  g_test_add_func ("/cpu-ops/matmul-empty-k", test_matmul_empty_k);
  g_test_add_func ("/cpu-ops/linear", test_linear);
  g_test_add_func ("/cpu-ops/conv2d", test_conv2d);
  g_test_add_func ("/cpu-ops/conv2d-identity-kernel", test_conv2d_identity_kernel);
  g_test_add_func ("/cpu-ops/conv3d", test_conv3d);
  g_test_add_func ("/cpu-ops/conv3d-causal-ignores-future", test_conv3d_causal_ignores_future);
  g_test_add_func ("/cpu-ops/attention", test_attention);
  g_test_add_func ("/cpu-ops/attention-uniform-keys", test_attention_uniform_keys);
  g_test_add_func ("/cpu-ops/layer-norm", test_layer_norm);
  g_test_add_func ("/cpu-ops/rms-norm", test_rms_norm);
  g_test_add_func ("/cpu-ops/group-norm", test_group_norm);
  g_test_add_func ("/cpu-ops/activations", test_activations);
  g_test_add_func ("/cpu-ops/activations-extremes", test_activations_extremes);
  g_test_add_func ("/cpu-ops/softmax", test_softmax);
  g_test_add_func ("/cpu-ops/add-mul", test_add_mul);
  g_test_add_func ("/cpu-ops/modulate", test_modulate);
  g_test_add_func ("/cpu-ops/rope3d", test_rope3d);
  g_test_add_func ("/cpu-ops/rope3d-hand-values", test_rope3d_hand_values);
  g_test_add_func ("/cpu-ops/resize-hand-values", test_resize_hand_values);
  g_test_add_func ("/cpu-ops/resize", test_resize);
  g_test_add_func ("/cpu-ops/patchify", test_patchify);
  g_test_add_func ("/cpu-ops/concat-slice", test_concat_slice);
  g_test_add_func ("/cpu-ops/permute", test_permute);

  g_test_add_func ("/cpu-backend/ops", test_backend_ops);
  g_test_add_func ("/cpu-backend/profiling", test_backend_profiling);
  g_test_add_func ("/cpu-backend/errors", test_backend_errors);

  return g_test_run ();
}
