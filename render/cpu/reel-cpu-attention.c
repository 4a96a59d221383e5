#define G_LOG_DOMAIN "reel-render"

#include "config.h"

#include <math.h>
#include <string.h>

#include "reel-cpu-ops.h"
#include "reel-cpu-private.h"
#include "reel-cpu-vecmath-private.h"

/* Attention with online softmax (the FlashAttention recurrence), per head, over blocks of
 * ATTN_BLOCK_Q queries × ATTN_BLOCK_K keys:
 *
 *   S = (q_blk · k_blkᵀ) · scale·log2 e           one sgemm, [bq, bk]
 *   m' = max(m, rowmax S);  P = 2^(S − m')
 *   l  = l·2^(m − m') + rowsum P
 *   o  = o·2^(m − m') + P · v_blk                 one sgemm into the output rows
 *
 * and finally o /= l. Scratch is one [bq, bk] score block per thread, so memory is linear
 * in the sequence length (only q, k, v and out grow). The blocks are large because the two
 * products have an inner size of only d (or bk): big blocks are what keeps OpenBLAS at full
 * speed, while a 256 × 1024 score block (1 MiB) still stays in a core's L2 cache between the
 * two products and the softmax pass (the best of 64–512 × 1024–4096 measured at 4096
 * tokens). Working in base 2 with log2 e folded into the sgemm's alpha saves a multiply per
 * score. Heads are read in place through the leading dimension heads·d; nothing is copied. */

#define ATTN_BLOCK_Q 256
#define ATTN_BLOCK_K 1024

/* One query block of one head: q and out point at its first row, k and v at the head's
 * first key; rows are ld apart. */
static void
attention_block (const float *q,
                 const float *k,
                 const float *v,
                 float       *o,
                 int64_t      bq,
                 int64_t      sk,
                 int64_t      ld,
                 int64_t      d,
                 float        scale_log2,
                 float       *scores,
                 float       *row_max,
                 float       *row_sum)
{
  for (int64_t i = 0; i < bq; i++)
    {
      row_max[i] = -INFINITY;
      row_sum[i] = 0.0f;
    }

  for (int64_t k0 = 0; k0 < sk; k0 += ATTN_BLOCK_K)
    {
      int64_t bk = MIN (ATTN_BLOCK_K, sk - k0);

      reel_cpu_sgemm (TRUE, bq, bk, d, scale_log2, q, ld, k + k0 * ld, ld, 0.0f, scores, bk);

      for (int64_t i = 0; i < bq; i++)
        {
          float *s = scores + i * bk;
          float m = MAX (row_max[i], reel_cpu_vec_max (s, bk));
          float correction = exp2f (row_max[i] - m);   /* 0 on the first block */

          row_sum[i] = row_sum[i] * correction + reel_cpu_vec_exp2_sum (s, s, bk, m);
          row_max[i] = m;
          if (k0 > 0)
            reel_cpu_vec_scale (o + i * ld, o + i * ld, d, correction);
        }

      /* The first block writes o (beta 0), so out needs no clearing beforehand. */
      reel_cpu_sgemm (FALSE, bq, d, bk, 1.0f, scores, bk, v + k0 * ld, ld,
                      k0 > 0 ? 1.0f : 0.0f, o, ld);
    }

  for (int64_t i = 0; i < bq; i++)
    reel_cpu_vec_scale (o + i * ld, o + i * ld, d, 1.0f / row_sum[i]);
}

/* Work is split into (head, query block) items; each worker takes the next one from a shared
 * counter and runs both products on one thread with a score block of its own. */
typedef struct
{
  const float *q, *k, *v;
  float       *out;
  int64_t      sq, sk, heads, d;
  float        scale_log2;
  int64_t      n_q_blocks;
  gint         next;                /* atomic: next item to take */
} AttentionJob;

static void
attention_worker (AttentionJob *job)
{
  const int64_t ld = job->heads * job->d;
  const int64_t n_items = job->heads * job->n_q_blocks;
  g_autofree float *scores = g_new (float, (gsize) (MIN (ATTN_BLOCK_Q, job->sq)
                                                    * MIN (ATTN_BLOCK_K, job->sk)));
  float row_max[ATTN_BLOCK_Q], row_sum[ATTN_BLOCK_Q];

  for (;;)
    {
      int64_t item = g_atomic_int_add (&job->next, 1);
      int64_t h, q0, bq;

      if (item >= n_items)
        break;
      h = item / job->n_q_blocks;
      q0 = (item % job->n_q_blocks) * ATTN_BLOCK_Q;
      bq = MIN (ATTN_BLOCK_Q, job->sq - q0);
      attention_block (job->q + q0 * ld + h * job->d, job->k + h * job->d,
                       job->v + h * job->d, job->out + q0 * ld + h * job->d, bq, job->sk,
                       ld, job->d, job->scale_log2, scores, row_max, row_sum);
    }
}

static gpointer
attention_thread (gpointer data)
{
  attention_worker (data);
  return NULL;
}

void
reel_cpu_attention (const float *q,
                    const float *k,
                    const float *v,
                    float       *out,
                    int64_t      sq,
                    int64_t      sk,
                    int64_t      heads,
                    int64_t      d,
                    float        scale)
{
  AttentionJob job = {
    .q = q, .k = k, .v = v, .out = out, .sq = sq, .sk = sk, .heads = heads, .d = d,
    .scale_log2 = scale * 1.4426950408889634f,
    .n_q_blocks = (sq + ATTN_BLOCK_Q - 1) / ATTN_BLOCK_Q,
  };
  int n_threads = MIN (reel_cpu_blas_threads (), REEL_CPU_MAX_THREADS);
  int64_t n_items = heads * job.n_q_blocks;
  GThread *threads[REEL_CPU_MAX_THREADS];
  int n_spawned = 0;

  g_return_if_fail (sq >= 0 && sk > 0 && heads > 0 && d > 0);
  g_return_if_fail (n_items < G_MAXINT);

  /* Threads only pay off with an item for each and enough work to hide their start. */
  n_threads = (int) MIN (n_threads, n_items);
  if ((double) sq * (double) sk * (double) d * (double) heads < 4e6)
    n_threads = 1;

  if (n_threads <= 1)
    {
      attention_worker (&job);
      return;
    }

  /* OpenBLAS single-threaded inside each worker: the workers are the parallelism. */
  reel_cpu_blas_push_single_thread ();
  for (int i = 1; i < n_threads; i++)
    threads[n_spawned++] = g_thread_new ("reel-attention", attention_thread, &job);
  attention_worker (&job);
  for (int i = 0; i < n_spawned; i++)
    g_thread_join (threads[i]);
  reel_cpu_blas_pop_single_thread ();
}
