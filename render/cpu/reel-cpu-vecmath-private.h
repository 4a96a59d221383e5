#pragma once

/* Vectorised inner loops shared by the CPU ops. Each is compiled for AVX-512, AVX2 and plain
 * x86-64 (GCC target_clones) and picked at load time, so the build needs no -march flag and
 * still runs the wide code where the processor has it. The exponentials here are where the
 * time goes in softmax, attention, SiLU and GELU; libm's scalar expf would make attention
 * several times slower than its matrix products. */

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Largest of n ≥ 1 values. */
float reel_cpu_vec_max     (const float *x, int64_t n);

/* y[i] = 2^(x[i] − sub), returning Σ y[i]. Relative error < 1e-6 for arguments in
 * [−126, 127]; arguments outside are clamped to that range, so very negative ones give
 * 2^−126 ≈ 1e-38 rather than 0, and nothing overflows to infinity. In place is fine. */
float reel_cpu_vec_exp2_sum (const float *x, float *y, int64_t n, float sub);

/* y[i] = x[i] · s; in place is fine. */
void  reel_cpu_vec_scale   (const float *x, float *y, int64_t n, float s);

/* Activations: y = x · sigmoid(x) and the tanh form of GELU. In place is fine. */
void  reel_cpu_vec_silu    (const float *x, float *y, int64_t n);
void  reel_cpu_vec_gelu_tanh (const float *x, float *y, int64_t n);

G_END_DECLS
