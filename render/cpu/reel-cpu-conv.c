#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>

#include "reel-cpu-ops.h"
#include "reel-cpu-private.h"

/* Convolution as a matrix product: out[c_out, positions] = weight[c_out, c_in·kt·kh·kw] ·
 * col[c_in·kt·kh·kw, positions], where col gathers the input patch of each output position
 * (im2col). col is built for a slice of positions at a time, so its memory stays bounded
 * however large the frame; 2-D convolution is the 3-D one with one frame. */

typedef struct
{
  int64_t c_in, t, h, w;
  int64_t c_out, kt, kh, kw;
  int64_t st, sh, sw;
  int64_t pad_front, pad_h, pad_w;  /* zeros before index 0 on each axis */
  int64_t to, ho, wo;
} ConvGeometry;

/* Fills rows of col[k_rows, n_pos] for output positions p0 … p0+n_pos−1. */
static void
im2col (const float        *x,
        const ConvGeometry *g,
        int64_t             p0,
        int64_t             n_pos,
        float              *col)
{
  const int64_t plane = g->ho * g->wo;

  for (int64_t ci = 0; ci < g->c_in; ci++)
    for (int64_t dt = 0; dt < g->kt; dt++)
      for (int64_t dy = 0; dy < g->kh; dy++)
        for (int64_t dx = 0; dx < g->kw; dx++)
          {
            int64_t row = ((ci * g->kt + dt) * g->kh + dy) * g->kw + dx;
            float *dst = col + row * n_pos;
            int64_t p = p0;

            while (p < p0 + n_pos)
              {
                int64_t ot = p / plane;
                int64_t oy = (p % plane) / g->wo;
                int64_t ox = p % g->wo;
                int64_t run = MIN (g->wo - ox, p0 + n_pos - p);
                int64_t it = ot * g->st - g->pad_front + dt;
                int64_t iy = oy * g->sh - g->pad_h + dy;

                if (it < 0 || it >= g->t || iy < 0 || iy >= g->h)
                  {
                    memset (dst, 0, (size_t) run * sizeof (float));
                  }
                else
                  {
                    const float *src = x + ((ci * g->t + it) * g->h + iy) * g->w;

                    for (int64_t j = 0; j < run; j++)
                      {
                        int64_t ix = (ox + j) * g->sw - g->pad_w + dx;

                        dst[j] = ix >= 0 && ix < g->w ? src[ix] : 0.0f;
                      }
                  }
                dst += run;
                p += run;
              }
          }
}

static void
conv_run (const float        *x,
          const float        *weight,
          const float        *bias,
          float              *out,
          const ConvGeometry *g)
{
  const int64_t k_rows = g->c_in * g->kt * g->kh * g->kw;
  const int64_t n_pos = g->to * g->ho * g->wo;
  const float beta = bias != NULL ? 1.0f : 0.0f;
  int64_t chunk;
  g_autofree float *col = NULL;

  if (n_pos == 0)
    return;

  if (bias != NULL)
    for (int64_t co = 0; co < g->c_out; co++)
      for (int64_t p = 0; p < n_pos; p++)
        out[co * n_pos + p] = bias[co];

  /* A pointwise convolution reads the input as it lies: x is already col. */
  if (k_rows == g->c_in && g->st == 1 && g->sh == 1 && g->sw == 1
      && g->pad_front == 0 && g->pad_h == 0 && g->pad_w == 0)
    {
      reel_cpu_sgemm (FALSE, g->c_out, n_pos, k_rows, 1.0f, weight, k_rows, x, n_pos,
                      beta, out, n_pos);
      return;
    }

  /* At least 64 positions per product keep sgemm efficient even for very deep patches. */
  chunk = CLAMP (REEL_CPU_IM2COL_MAX_ELEMENTS / MAX (k_rows, 1), 64, n_pos);
  chunk = MIN (chunk, n_pos);
  col = g_new (float, (gsize) (k_rows * chunk));

  for (int64_t p0 = 0; p0 < n_pos; p0 += chunk)
    {
      int64_t n = MIN (chunk, n_pos - p0);

      im2col (x, g, p0, n, col);
      reel_cpu_sgemm (FALSE, g->c_out, n, k_rows, 1.0f, weight, k_rows, col, n,
                      beta, out + p0, n_pos);
    }
}

void
reel_cpu_conv2d (const float           *x,
                 const float           *weight,
                 const float           *bias,
                 float                 *out,
                 const ReelConv2dShape *shape)
{
  ConvGeometry g = {
    .c_in = shape->c_in, .t = 1, .h = shape->h, .w = shape->w,
    .c_out = shape->c_out, .kt = 1, .kh = shape->kh, .kw = shape->kw,
    .st = 1, .sh = shape->stride_h, .sw = shape->stride_w,
    .pad_front = 0, .pad_h = shape->pad_h, .pad_w = shape->pad_w,
    .to = 1,
    .ho = (shape->h + 2 * shape->pad_h - shape->kh) / shape->stride_h + 1,
    .wo = (shape->w + 2 * shape->pad_w - shape->kw) / shape->stride_w + 1,
  };

  g_return_if_fail (g.ho > 0 && g.wo > 0);

  for (int64_t b = 0; b < shape->batch; b++)
    conv_run (x + b * g.c_in * g.h * g.w, weight, bias, out + b * g.c_out * g.ho * g.wo, &g);
}

void
reel_cpu_conv3d (const float           *x,
                 const float           *weight,
                 const float           *bias,
                 float                 *out,
                 const ReelConv3dShape *shape)
{
  int64_t pad_front = shape->causal ? shape->kt - 1 : shape->pad_t;
  int64_t pad_back = shape->causal ? 0 : shape->pad_t;
  ConvGeometry g = {
    .c_in = shape->c_in, .t = shape->t, .h = shape->h, .w = shape->w,
    .c_out = shape->c_out, .kt = shape->kt, .kh = shape->kh, .kw = shape->kw,
    .st = shape->stride_t, .sh = shape->stride_h, .sw = shape->stride_w,
    .pad_front = pad_front, .pad_h = shape->pad_h, .pad_w = shape->pad_w,
    .to = (shape->t + pad_front + pad_back - shape->kt) / shape->stride_t + 1,
    .ho = (shape->h + 2 * shape->pad_h - shape->kh) / shape->stride_h + 1,
    .wo = (shape->w + 2 * shape->pad_w - shape->kw) / shape->stride_w + 1,
  };

  g_return_if_fail (g.to > 0 && g.ho > 0 && g.wo > 0);

  conv_run (x, weight, bias, out, &g);
}
