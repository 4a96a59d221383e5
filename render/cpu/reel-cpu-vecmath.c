#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>

#include "reel-cpu-vecmath-private.h"

/* GCC's generic vectors: one 16-lane type that each clone lowers to one zmm, two ymm or four
 * xmm registers. Auto-vectorisation alone is not enough here: GCC gives up on the clamped
 * exponential at -O2 ("control flow in loop"), so the lanes are written out. */
typedef float VecF __attribute__ ((vector_size (64)));
typedef int32_t VecI __attribute__ ((vector_size (64)));
#define LANES 16

/* AVX-512, AVX2+FMA, and the x86-64 baseline; elsewhere the compiler's default only. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define REEL_CLONES __attribute__ ((target_clones ("arch=x86-64-v4", "arch=x86-64-v3", \
                                                   "default")))
#else
#define REEL_CLONES
#endif

/* Always inlined into the clones, so no vector crosses a call boundary (which is also why
 * meson.build can silence GCC's note about the ABI of passing wide vectors). */
#define INLINE static inline __attribute__ ((always_inline))

INLINE VecF
vec_splat (float s)
{
  return (VecF) {} + s;
}

INLINE VecF
vec_load (const float *p)
{
  VecF v;

  memcpy (&v, p, sizeof v);
  return v;
}

INLINE void
vec_store (float *p,
           VecF   v)
{
  memcpy (p, &v, sizeof v);
}

/* Loads the first n < LANES values and fills the rest with `fill`. */
INLINE VecF
vec_load_partial (const float *p,
                  int64_t      n,
                  float        fill)
{
  float tmp[LANES];

  for (int i = 0; i < LANES; i++)
    tmp[i] = i < n ? p[i] : fill;
  return vec_load (tmp);
}

INLINE void
vec_store_partial (float   *p,
                   int64_t  n,
                   VecF     v)
{
  float tmp[LANES];

  vec_store (tmp, v);
  memcpy (p, tmp, (size_t) n * sizeof (float));
}

INLINE VecF
vec_select (VecI mask,
            VecF a,
            VecF b)
{
  return (VecF) (((VecI) a & mask) | ((VecI) b & ~mask));
}

INLINE VecF
vec_max (VecF a,
         VecF b)
{
  return vec_select (a > b, a, b);
}

INLINE float
vec_hmax (VecF v)
{
  float m = v[0];

  for (int i = 1; i < LANES; i++)
    m = v[i] > m ? v[i] : m;
  return m;
}

INLINE float
vec_hsum (VecF v)
{
  float s = 0.0f;

  for (int i = 0; i < LANES; i++)
    s += v[i];
  return s;
}

/* 2^x: x = r + f with r an integer and |f| ≤ ½; 2^f from its degree-7 Taylor polynomial in
 * f·ln 2 (truncation error < 6e-9 on that interval), 2^r built in the exponent bits. The
 * argument is clamped to [−126, 127] so the exponent stays normal; NaN passes through
 * (comparisons with NaN are false, and the polynomial carries it). */
INLINE VecF
vec_exp2 (VecF x)
{
  VecF r, f, p;
  VecI e;

  x = vec_select (x < vec_splat (-126.0f), vec_splat (-126.0f), x);
  x = vec_select (x > vec_splat (127.0f), vec_splat (127.0f), x);
  /* Adding 1.5·2^23 rounds to an integer in the current (nearest) rounding mode. */
  r = (x + 12582912.0f) - 12582912.0f;
  f = x - r;
  p = vec_splat (1.5252733804059840e-5f);
  p = p * f + 1.5403530393381609e-4f;
  p = p * f + 1.3333558146428443e-3f;
  p = p * f + 9.6181291076284772e-3f;
  p = p * f + 5.5504108664821580e-2f;
  p = p * f + 2.4022650695910071e-1f;
  p = p * f + 6.9314718055994531e-1f;
  p = p * f + 1.0f;
  e = (__builtin_convertvector (r, VecI) + 127) << 23;
  return p * (VecF) e;
}

#define LOG2E 1.4426950408889634f

/* x · sigmoid(a·x) = x / (1 + e^(−a·x)); the clamp inside vec_exp2 keeps the denominator
 * finite, so large negative x give ≈ −0 rather than NaN. */
INLINE VecF
vec_x_sigmoid (VecF x,
               VecF ax)
{
  return x / (1.0f + vec_exp2 (ax * -LOG2E));
}

REEL_CLONES float
reel_cpu_vec_max (const float *x,
                  int64_t      n)
{
  VecF acc = vec_splat (x[0]);
  int64_t i = 0;
  float m;

  for (; i + LANES <= n; i += LANES)
    acc = vec_max (acc, vec_load (x + i));
  m = vec_hmax (acc);
  for (; i < n; i++)
    m = x[i] > m ? x[i] : m;
  return m;
}

REEL_CLONES float
reel_cpu_vec_exp2_sum (const float *x,
                       float       *y,
                       int64_t      n,
                       float        sub)
{
  VecF acc = vec_splat (0.0f);
  int64_t i = 0;
  float sum;

  for (; i + LANES <= n; i += LANES)
    {
      VecF e = vec_exp2 (vec_load (x + i) - sub);

      vec_store (y + i, e);
      acc += e;
    }
  sum = vec_hsum (acc);
  if (i < n)
    {
      VecF e = vec_exp2 (vec_load_partial (x + i, n - i, 0.0f) - sub);

      vec_store_partial (y + i, n - i, e);
      for (int64_t j = 0; j < n - i; j++)
        sum += e[j];
    }
  return sum;
}

REEL_CLONES void
reel_cpu_vec_scale (const float *x,
                    float       *y,
                    int64_t      n,
                    float        s)
{
  int64_t i = 0;

  for (; i + LANES <= n; i += LANES)
    vec_store (y + i, vec_load (x + i) * s);
  for (; i < n; i++)
    y[i] = x[i] * s;
}

REEL_CLONES void
reel_cpu_vec_silu (const float *x,
                   float       *y,
                   int64_t      n)
{
  int64_t i = 0;

  for (; i + LANES <= n; i += LANES)
    {
      VecF v = vec_load (x + i);

      vec_store (y + i, vec_x_sigmoid (v, v));
    }
  if (i < n)
    {
      VecF v = vec_load_partial (x + i, n - i, 0.0f);

      vec_store_partial (y + i, n - i, vec_x_sigmoid (v, v));
    }
}

/* GELU, tanh form: ½·x·(1 + tanh(u)) with u = √(2/π)·(x + 0.044715·x³). Since
 * ½·(1 + tanh(u)) = sigmoid(2u), this is x·sigmoid(2u), which needs one exponential and no
 * cancellation for large |u|. */
INLINE VecF
vec_gelu_tanh (VecF x)
{
  const float two_sqrt_2_over_pi = 1.5957691216057308f;

  return vec_x_sigmoid (x, two_sqrt_2_over_pi * (x + 0.044715f * x * x * x));
}

REEL_CLONES void
reel_cpu_vec_gelu_tanh (const float *x,
                        float       *y,
                        int64_t      n)
{
  int64_t i = 0;

  for (; i + LANES <= n; i += LANES)
    vec_store (y + i, vec_gelu_tanh (vec_load (x + i)));
  if (i < n)
    vec_store_partial (y + i, n - i, vec_gelu_tanh (vec_load_partial (x + i, n - i, 0.0f)));
}
