#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <string.h>
#include <cblas.h>

#include "reel-cpu-ops.h"
#include "reel-cpu-private.h"

/* Matrix products go straight to OpenBLAS: its kernels are tuned per processor and threaded,
 * and wrapping them costs only this argument check. */

static GMutex blas_threads_lock;
static int blas_single_depth;
static int blas_saved_threads;

int
reel_cpu_blas_threads (void)
{
  int n;

  g_mutex_lock (&blas_threads_lock);
  n = blas_single_depth > 0 ? blas_saved_threads : openblas_get_num_threads ();
  g_mutex_unlock (&blas_threads_lock);
  return MAX (n, 1);
}

void
reel_cpu_blas_push_single_thread (void)
{
  g_mutex_lock (&blas_threads_lock);
  if (blas_single_depth++ == 0)
    {
      blas_saved_threads = openblas_get_num_threads ();
      openblas_set_num_threads (1);
    }
  g_mutex_unlock (&blas_threads_lock);
}

void
reel_cpu_blas_pop_single_thread (void)
{
  g_mutex_lock (&blas_threads_lock);
  g_assert (blas_single_depth > 0);
  if (--blas_single_depth == 0)
    openblas_set_num_threads (blas_saved_threads);
  g_mutex_unlock (&blas_threads_lock);
}

void
reel_cpu_sgemm (gboolean     b_transposed,
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
                int64_t      ldc)
{
  /* cblas takes int sizes; a larger matrix is a caller's bug, not a run-time condition. */
  g_assert (m >= 0 && n >= 0 && k >= 0);
  g_assert (lda <= G_MAXINT && ldb <= G_MAXINT && ldc <= G_MAXINT);
  g_assert (m <= G_MAXINT && n <= G_MAXINT && k <= G_MAXINT);

  if (m == 0 || n == 0)
    return;

  /* With k = 0 the product is empty and C = beta·C; not every BLAS writes C then. */
  if (k == 0)
    {
      for (int64_t i = 0; i < m; i++)
        {
          if (beta == 0.0f)
            memset (c + i * ldc, 0, (size_t) n * sizeof (float));
          else
            for (int64_t j = 0; j < n; j++)
              c[i * ldc + j] *= beta;
        }
      return;
    }

  cblas_sgemm (CblasRowMajor, CblasNoTrans, b_transposed ? CblasTrans : CblasNoTrans,
               (int) m, (int) n, (int) k, alpha, a, (int) lda, b, (int) ldb, beta,
               c, (int) ldc);
}

void
reel_cpu_matmul (const float *a,
                 const float *b,
                 float       *c,
                 int64_t      m,
                 int64_t      n,
                 int64_t      k,
                 gboolean     b_transposed)
{
  reel_cpu_sgemm (b_transposed, m, n, k, 1.0f, a, k, b, b_transposed ? k : n, 0.0f, c, n);
}

void
reel_cpu_linear (const float *x,
                 const float *w,
                 const float *bias,
                 float       *y,
                 int64_t      m,
                 int64_t      n,
                 int64_t      k)
{
  if (bias == NULL)
    {
      reel_cpu_sgemm (TRUE, m, n, k, 1.0f, x, k, w, k, 0.0f, y, n);
      return;
    }

  /* Seeding y with the bias and accumulating (beta = 1) adds it without a second pass. */
  for (int64_t i = 0; i < m; i++)
    memcpy (y + i * n, bias, (size_t) n * sizeof (float));
  reel_cpu_sgemm (TRUE, m, n, k, 1.0f, x, k, w, k, 1.0f, y, n);
}
