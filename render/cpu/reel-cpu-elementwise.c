#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <math.h>

#include "reel-cpu-ops.h"
#include "reel-cpu-vecmath-private.h"

/* GELU, tanh form (PyTorch's approximate="tanh"):
 * ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
void
reel_cpu_gelu_tanh (const float *x,
                    float       *y,
                    int64_t      n)
{
  reel_cpu_vec_gelu_tanh (x, y, n);
}

/* SiLU: x·sigmoid(x). */
void
reel_cpu_silu (const float *x,
               float       *y,
               int64_t      n)
{
  reel_cpu_vec_silu (x, y, n);
}

/* The broadcast operand repeats every b_len values, so the loops walk whole periods of b and
 * the inner loop has no modulo. */
void
reel_cpu_add (const float *a,
              const float *b,
              float       *out,
              int64_t      n,
              int64_t      b_len)
{
  g_return_if_fail (b_len > 0 && n % b_len == 0);

  for (int64_t base = 0; base < n; base += b_len)
    {
#pragma omp simd
      for (int64_t i = 0; i < b_len; i++)
        out[base + i] = a[base + i] + b[i];
    }
}

void
reel_cpu_mul (const float *a,
              const float *b,
              float       *out,
              int64_t      n,
              int64_t      b_len)
{
  g_return_if_fail (b_len > 0 && n % b_len == 0);

  for (int64_t base = 0; base < n; base += b_len)
    {
#pragma omp simd
      for (int64_t i = 0; i < b_len; i++)
        out[base + i] = a[base + i] * b[i];
    }
}

void
reel_cpu_modulate (const float *x,
                   const float *shift,
                   const float *scale,
                   float       *y,
                   int64_t      rows,
                   int64_t      dim)
{
  for (int64_t r = 0; r < rows; r++)
    {
      const float *xr = x + r * dim;
      float *yr = y + r * dim;

#pragma omp simd
      for (int64_t i = 0; i < dim; i++)
        yr[i] = xr[i] * (1.0f + scale[i]) + shift[i];
    }
}

/* Angles of one RoPE part: table[pos, i] = (cos, sin) of pos · theta^(−2i/p) for pos < n
 * and i < p/2. Computed in double like Wan's reference (which builds its frequencies in
 * float64), then rounded once. */
static float *
rope_table (int64_t n,
            int64_t p,
            double  theta)
{
  float *table = g_new (float, (gsize) (MAX (n * p, 1)));

  for (int64_t pos = 0; pos < n; pos++)
    for (int64_t i = 0; i < p / 2; i++)
      {
        double angle = (double) pos * pow (theta, -2.0 * (double) i / (double) p);

        table[(pos * (p / 2) + i) * 2] = (float) cos (angle);
        table[(pos * (p / 2) + i) * 2 + 1] = (float) sin (angle);
      }
  return table;
}

/* Rotates the pairs of one part: (x0 + i·x1) · (cos + i·sin). */
static inline void
rope_rotate (const float *x,
             float       *y,
             const float *cos_sin,
             int64_t      pairs)
{
  for (int64_t i = 0; i < pairs; i++)
    {
      float x0 = x[2 * i], x1 = x[2 * i + 1];
      float c = cos_sin[2 * i], s = cos_sin[2 * i + 1];

      y[2 * i] = x0 * c - x1 * s;
      y[2 * i + 1] = x0 * s + x1 * c;
    }
}

void
reel_cpu_rope3d (const float *x,
                 float       *y,
                 int64_t      frames,
                 int64_t      height,
                 int64_t      width,
                 int64_t      heads,
                 int64_t      d,
                 float        theta)
{
  const int64_t p_row = 2 * (d / 6), p_col = 2 * (d / 6);
  const int64_t p_frame = d - p_row - p_col;
  g_autofree float *t_frame = NULL, *t_row = NULL, *t_col = NULL;

  g_return_if_fail (d % 2 == 0);

  t_frame = rope_table (frames, p_frame, theta);
  t_row = rope_table (height, p_row, theta);
  t_col = rope_table (width, p_col, theta);

  for (int64_t f = 0; f < frames; f++)
    for (int64_t r = 0; r < height; r++)
      for (int64_t c = 0; c < width; c++)
        {
          int64_t token = (f * height + r) * width + c;

          for (int64_t h = 0; h < heads; h++)
            {
              const float *xh = x + (token * heads + h) * d;
              float *yh = y + (token * heads + h) * d;

              rope_rotate (xh, yh, t_frame + f * p_frame, p_frame / 2);
              rope_rotate (xh + p_frame, yh + p_frame, t_row + r * p_row, p_row / 2);
              rope_rotate (xh + p_frame + p_row, yh + p_frame + p_row, t_col + c * p_col,
                           p_col / 2);
            }
        }
}
