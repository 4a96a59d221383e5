#pragma once

/* Helpers shared by the CPU op files; not part of the engine's API. */

#include <glib.h>
#include <stdint.h>

G_BEGIN_DECLS

/* Row-major C[m, n] = alpha · A[m, k] · B + beta · C, B being [k, n] or, when b_transposed,
 * [n, k]; leading dimensions in elements. The one place that calls cblas_sgemm, so the int
 * range check lives here. */
void reel_cpu_sgemm (gboolean     b_transposed,
                     int64_t      m,
                     int64_t      n,
                     int64_t      k,
                     float        alpha,
                     const float *a,
                     int64_t      lda,
                     const float *b,
                     int64_t      ldb,
                     float        beta,
                     float       *c,
                     int64_t      ldc);

/* Threads OpenBLAS runs sgemm on (OPENBLAS_NUM_THREADS, else one per core). */
int  reel_cpu_blas_threads (void);

/* Ops that split their work over threads of their own call sgemm from each thread; OpenBLAS
 * threading inside would oversubscribe the cores, so between push and pop it runs
 * single-threaded. Nested and concurrent pushes are counted; the last pop restores. */
void reel_cpu_blas_push_single_thread (void);
void reel_cpu_blas_pop_single_thread  (void);

#define REEL_CPU_MAX_THREADS 64

/* Scratch memory is bounded by these element counts whatever the op's size, so that a large
 * convolution or a long attention never needs memory beyond its inputs and outputs plus a
 * few megabytes. */
#define REEL_CPU_IM2COL_MAX_ELEMENTS (4 * 1024 * 1024)

G_END_DECLS
