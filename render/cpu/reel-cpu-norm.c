#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <math.h>

#include "reel-cpu-ops.h"
#include "reel-cpu-vecmath-private.h"

/* Normalisations, as PyTorch defines them: the variance is the biased one (divide by the
 * count), eps is added to it under the square root, and the affine weight and bias apply
 * after normalising. Statistics are accumulated in double in two passes (mean, then squared
 * deviations), so rows of large mean lose no precision; the rows are short enough that this
 * costs little next to the matrix products around them. */

/* y = (x − mean) · inv_std · weight + bias over `channels` runs of `inner` values, each run
 * sharing one weight and bias (GroupNorm: a channel's pixels; LayerNorm: inner = 1). */
static void
normalize_span (const float *x,
                float       *y,
                int64_t      channels,
                int64_t      inner,
                double       mean,
                double       inv_std,
                const float *weight,
                const float *bias)
{
  const float mean_f = (float) mean;

  if (inner == 1)
    {
      const float s = (float) inv_std;

#pragma omp simd
      for (int64_t i = 0; i < channels; i++)
        {
          float v = (x[i] - mean_f) * s;

          y[i] = weight != NULL ? v * weight[i] + (bias != NULL ? bias[i] : 0.0f)
                                : v + (bias != NULL ? bias[i] : 0.0f);
        }
      return;
    }

  for (int64_t c = 0; c < channels; c++)
    {
      const float s = (float) inv_std * (weight != NULL ? weight[c] : 1.0f);
      const float b = bias != NULL ? bias[c] : 0.0f;
      const float *xc = x + c * inner;
      float *yc = y + c * inner;

#pragma omp simd
      for (int64_t i = 0; i < inner; i++)
        yc[i] = (xc[i] - mean_f) * s + b;
    }
}

static void
span_moments (const float *x,
              int64_t      n,
              double      *mean_out,
              double      *var_out)
{
  double sum = 0.0, sq = 0.0, mean;

#pragma omp simd reduction(+:sum)
  for (int64_t i = 0; i < n; i++)
    sum += x[i];
  mean = sum / (double) n;
#pragma omp simd reduction(+:sq)
  for (int64_t i = 0; i < n; i++)
    sq += (x[i] - mean) * (x[i] - mean);

  *mean_out = mean;
  *var_out = sq / (double) n;
}

void
reel_cpu_layer_norm (const float *x,
                     const float *weight,
                     const float *bias,
                     float       *y,
                     int64_t      rows,
                     int64_t      dim,
                     float        eps)
{
  for (int64_t r = 0; r < rows; r++)
    {
      double mean, var;

      span_moments (x + r * dim, dim, &mean, &var);
      normalize_span (x + r * dim, y + r * dim, dim, 1, mean, 1.0 / sqrt (var + eps),
                      weight, bias);
    }
}

void
reel_cpu_rms_norm (const float *x,
                   const float *weight,
                   float       *y,
                   int64_t      rows,
                   int64_t      dim,
                   float        eps)
{
  for (int64_t r = 0; r < rows; r++)
    {
      const float *xr = x + r * dim;
      float *yr = y + r * dim;
      double sq = 0.0;
      float inv_rms;

#pragma omp simd reduction(+:sq)
      for (int64_t i = 0; i < dim; i++)
        sq += (double) xr[i] * xr[i];
      inv_rms = (float) (1.0 / sqrt (sq / (double) dim + eps));

      if (weight != NULL)
        {
#pragma omp simd
          for (int64_t i = 0; i < dim; i++)
            yr[i] = xr[i] * inv_rms * weight[i];
        }
      else
        {
          reel_cpu_vec_scale (xr, yr, dim, inv_rms);
        }
    }
}

void
reel_cpu_group_norm (const float *x,
                     const float *weight,
                     const float *bias,
                     float       *y,
                     int64_t      channels,
                     int64_t      spatial,
                     int64_t      groups,
                     float        eps)
{
  const int64_t per_group = channels / groups;

  g_return_if_fail (groups > 0 && channels % groups == 0);

  for (int64_t g = 0; g < groups; g++)
    {
      const int64_t offset = g * per_group * spatial;
      double mean, var;

      span_moments (x + offset, per_group * spatial, &mean, &var);
      normalize_span (x + offset, y + offset, per_group, spatial, mean,
                      1.0 / sqrt (var + eps),
                      weight != NULL ? weight + g * per_group : NULL,
                      bias != NULL ? bias + g * per_group : NULL);
    }
}

/* Subtracting the row maximum keeps every exponential ≤ 1, so no row overflows. */
void
reel_cpu_softmax (const float *x,
                  float       *y,
                  int64_t      rows,
                  int64_t      dim)
{
  const float log2e = 1.4426950408889634f;

  for (int64_t r = 0; r < rows; r++)
    {
      float m = reel_cpu_vec_max (x + r * dim, dim);
      float sum;

      /* e^(x − m) = 2^(x·log2 e − m·log2 e): scale first, then one exp2 pass. */
      reel_cpu_vec_scale (x + r * dim, y + r * dim, dim, log2e);
      sum = reel_cpu_vec_exp2_sum (y + r * dim, y + r * dim, dim, m * log2e);
      reel_cpu_vec_scale (y + r * dim, y + r * dim, dim, 1.0f / sum);
    }
}
