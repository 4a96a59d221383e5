#define G_LOG_DOMAIN "reel-app"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <cblas.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "reel-commands.h"
#include "cpu/reel-cpu-backend.h"
#include "vk/reel-vk-backend.h"

/* reel bench engine [--json] [--quick]: the engine's speed on the shapes its models use, on
 * the Vulkan device and the CPU backend, with OpenBLAS's cblas_sgemm on the same matrices as
 * the yardstick. Every figure is the median of several timed runs after warm-up runs, on
 * inputs drawn from a fixed seed, so two runs on one machine differ only by noise. It prints
 * numbers and judges nothing: tests check that it runs, never how fast. */

#define BENCH_SEED 42

typedef struct
{
  int64_t m, n, k;
} MatmulShape;

typedef struct
{
  const MatmulShape *matmuls;
  gsize              n_matmuls;
  int64_t            attn_tokens, attn_heads, attn_dim;
  int64_t            dispatch_len, dispatch_count;
  int                warmup, runs;
  double             min_run_ms;
} BenchPlan;

/* The model shapes: a square reference, a DiT block's projection at 4096 tokens × 768, and
 * an FFN-like 1280 × 1536 × 384. Attention is Wan-style 64-dimensional heads over 4096
 * tokens (a 16×16 latent over 16 frames). */
static const MatmulShape full_matmuls[] = {
  { 1024, 1024, 1024 },
  { 4096, 768, 768 },
  { 1280, 1536, 384 },
};

static const MatmulShape quick_matmuls[] = {
  { 64, 64, 64 },
  { 96, 48, 32 },
};

static const BenchPlan full_plan = {
  full_matmuls, G_N_ELEMENTS (full_matmuls), 4096, 4, 64, 256, 1000, 2, 7, 100.0,
};

/* --quick: tiny sizes, to check that the command works, not to measure anything. */
static const BenchPlan quick_plan = {
  quick_matmuls, G_N_ELEMENTS (quick_matmuls), 96, 2, 16, 64, 20, 1, 3, 1.0,
};

typedef struct
{
  char   *op;
  char   *backend;
  char   *shape;
  double  gflops;
  double  ms;
} BenchResult;

static void
bench_result_clear (gpointer data)
{
  BenchResult *r = data;

  g_free (r->op);
  g_free (r->backend);
  g_free (r->shape);
}

typedef gboolean (*BenchFunc) (gpointer data, GError **error);

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
now_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec * 1e3 + (double) ts.tv_nsec / 1e6;
}

static void
add_result (GArray     *results,
            const char *op,
            const char *backend,
            char       *shape,
            double      flops,
            double      ms)
{
  BenchResult r = {
    .op = g_strdup (op), .backend = g_strdup (backend), .shape = shape,
    .gflops = ms > 0 ? flops / (ms * 1e6) : 0.0, .ms = ms,
  };

  g_array_append_val (results, r);
}

/* A failed measurement is reported and skipped, so one op the device lacks does not hide the
 * rest of the table. */
static void
report_failure (const char   *what,
                const char   *backend,
                const GError *error)
{
  fprintf (stderr, _("reel bench: %s on %s failed: %s\n"), what, backend, error->message);
}

/* One line of the table: a function to time and what one call of it does. */
typedef struct
{
  const char *op;
  const char *backend;
  char       *shape;                /* owned */
  double      flops;                /* per call */
  double      ops_per_call;         /* dispatch: adds per call; 1 otherwise */
  BenchFunc   fn;
  gpointer    data;

  /* Filled by run_cases () */
  int         reps, runs;
  double      times[16];
  gboolean    failed;
} BenchCase;

/* Times a set of cases that belong together (one matmul shape on every backend) and appends
 * a result for each that ran. Each case gets plan->warmup untimed calls; the last of them
 * sizes the runs so that one run lasts at least plan->min_run_ms (calls of microseconds are
 * repeated until the clock and the scheduler's noise no longer matter), and a call of over
 * two seconds (a slow device) ends its warm-up and gets three runs instead of plan->runs.
 * The timed runs then take turns, case after case, so that a burst of load from elsewhere on
 * the machine falls on all of them alike; each result is the median of its runs. */
static void
run_cases (BenchCase       *cases,
           guint            n_cases,
           const BenchPlan *plan,
           GArray          *results)
{
  for (guint c = 0; c < n_cases; c++)
    {
      BenchCase *bc = &cases[c];
      g_autoptr(GError) error = NULL;
      double one_call = 0.0;

      bc->runs = MIN (plan->runs, (int) G_N_ELEMENTS (bc->times));
      for (int i = 0; i < MAX (plan->warmup, 1) && !bc->failed; i++)
        {
          double t0 = now_ms ();

          bc->failed = !bc->fn (bc->data, &error);
          one_call = now_ms () - t0;
          if (one_call > 2000.0)
            {
              bc->runs = MIN (bc->runs, 3);
              break;
            }
        }
      if (bc->failed)
        report_failure (bc->op, bc->backend, error);
      bc->reps = (int) CLAMP (plan->min_run_ms / MAX (one_call, 1e-6), 1, 100000);
    }

  /* Each round starts one case later, so that no case always follows the same one: a case
   * right after a long Vulkan run finds caches cold and lavapipe's threads still winding
   * down, and the median discards the rounds where that happened. */
  for (int i = 0; i < plan->runs; i++)
    for (guint j = 0; j < n_cases; j++)
      {
        BenchCase *bc = &cases[(j + (guint) i) % n_cases];
        g_autoptr(GError) error = NULL;
        double t0;

        if (bc->failed || i >= bc->runs)
          continue;
        t0 = now_ms ();
        for (int r = 0; r < bc->reps && !bc->failed; r++)
          bc->failed = !bc->fn (bc->data, &error);
        bc->times[i] = (now_ms () - t0) / bc->reps;
        if (bc->failed)
          report_failure (bc->op, bc->backend, error);
      }

  for (guint c = 0; c < n_cases; c++)
    {
      BenchCase *bc = &cases[c];
      double ms;

      if (!bc->failed)
        {
          qsort (bc->times, (size_t) bc->runs, sizeof (double), compare_doubles);
          ms = bc->runs % 2 == 1 ? bc->times[bc->runs / 2]
                                 : (bc->times[bc->runs / 2 - 1] + bc->times[bc->runs / 2]) / 2;
          ms /= bc->ops_per_call;
          add_result (results, bc->op, bc->backend, g_steal_pointer (&bc->shape),
                      bc->flops / bc->ops_per_call, ms);
        }
      g_clear_pointer (&bc->shape, g_free);
    }
}

static float *
random_floats (GRand   *rand,
               int64_t  n)
{
  float *v = g_new (float, (gsize) n);

  for (int64_t i = 0; i < n; i++)
    v[i] = (float) g_rand_double_range (rand, -1.0, 1.0);
  return v;
}

/* A tensor of n values on backend, holding a copy of values unless that is NULL; `keep`
 * owns it and the result is borrowed. NULL (with error set) when the backend refuses. */
static ReelTensor *
kept_tensor (GPtrArray    *keep,
             ReelBackend  *backend,
             const float  *values,
             int64_t       n,
             GError      **error)
{
  g_autoptr(ReelTensor) t = reel_backend_new_tensor_1d (backend, n, error);

  if (t == NULL || (values != NULL && !reel_backend_upload (backend, t, values, error)))
    return NULL;
  g_ptr_array_add (keep, reel_tensor_ref (t));
  return t;
}

/* ---- What is timed ---- */

typedef struct
{
  const float *a, *b;
  float       *c;
  int64_t      m, n, k;
} BlasMatmul;

static gboolean
run_blas_matmul (gpointer   data,
                 GError   **error)
{
  BlasMatmul *mm = data;

  cblas_sgemm (CblasRowMajor, CblasNoTrans, CblasNoTrans, (int) mm->m, (int) mm->n,
               (int) mm->k, 1.0f, mm->a, (int) mm->k, mm->b, (int) mm->n, 0.0f, mm->c,
               (int) mm->n);
  return TRUE;
}

typedef struct
{
  ReelBackend *backend;
  ReelTensor  *a, *b, *c;
  int64_t      m, n, k;
} BackendMatmul;

static gboolean
run_backend_matmul (gpointer   data,
                    GError   **error)
{
  BackendMatmul *mm = data;

  return reel_backend_matmul (mm->backend, mm->a, mm->b, mm->c, mm->m, mm->n, mm->k, FALSE,
                              error)
         && reel_backend_sync (mm->backend, NULL, error);
}

typedef struct
{
  ReelBackend *backend;
  ReelTensor  *q, *k, *v, *out;
  int64_t      tokens, heads, dim;
} BackendAttention;

static gboolean
run_backend_attention (gpointer   data,
                       GError   **error)
{
  BackendAttention *at = data;

  return reel_backend_attention (at->backend, at->q, at->k, at->v, at->out, at->tokens,
                                 at->tokens, at->heads, at->dim,
                                 1.0f / sqrtf ((float) at->dim), error)
         && reel_backend_sync (at->backend, NULL, error);
}

typedef struct
{
  ReelBackend *backend;
  ReelTensor  *a, *b, *out;
  int64_t      len, count;
} BackendDispatch;

/* count tiny adds and one sync: what each op costs when there is almost nothing to do. */
static gboolean
run_backend_dispatch (gpointer   data,
                      GError   **error)
{
  BackendDispatch *dp = data;

  for (int64_t i = 0; i < dp->count; i++)
    if (!reel_backend_add (dp->backend, dp->a, dp->b, dp->out, dp->len, dp->len, error))
      return FALSE;
  return reel_backend_sync (dp->backend, NULL, error);
}

/* ---- Per-backend passes ---- */

static char *
matmul_shape_string (const MatmulShape *s)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "x%" G_GINT64_FORMAT "x%" G_GINT64_FORMAT,
                          s->m, s->n, s->k);
}

static void
bench_matmul (const MatmulShape *s,
              ReelBackend       *cpu,
              ReelBackend       *vk,
              const BenchPlan   *plan,
              GArray            *results)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  g_autofree float *a = random_floats (rand, s->m * s->k);
  g_autofree float *b = random_floats (rand, s->k * s->n);
  g_autofree float *c = g_new (float, (gsize) (s->m * s->n));
  BlasMatmul blas = { a, b, c, s->m, s->n, s->k };
  ReelBackend *backends[2] = { cpu, vk };
  const char *labels[2] = { "cpu", "vulkan" };
  BackendMatmul mm[2] = { { NULL } };
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_tensor_unref);
  BenchCase cases[3];
  guint n_cases = 0;
  const double flops = 2.0 * s->m * s->n * s->k;

  cases[n_cases++] = (BenchCase) {
    "matmul", "openblas", matmul_shape_string (s), flops, 1, run_blas_matmul, &blas,
  };
  /* Every backend multiplies the same matrices as OpenBLAS. */
  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      ReelTensor *ta, *tb = NULL, *tc = NULL;

      if (backends[i] == NULL)
        continue;
      ta = kept_tensor (keep, backends[i], a, s->m * s->k, &error);
      tb = ta ? kept_tensor (keep, backends[i], b, s->k * s->n, &error) : NULL;
      tc = tb ? kept_tensor (keep, backends[i], NULL, s->m * s->n, &error) : NULL;
      if (tc == NULL)
        {
          report_failure ("matmul", labels[i], error);
          continue;
        }
      mm[i] = (BackendMatmul) { backends[i], ta, tb, tc, s->m, s->n, s->k };
      cases[n_cases++] = (BenchCase) {
        "matmul", labels[i], matmul_shape_string (s), flops, 1, run_backend_matmul, &mm[i],
      };
    }
  run_cases (cases, n_cases, plan, results);
}

static void
bench_attention (ReelBackend     *cpu,
                 ReelBackend     *vk,
                 const BenchPlan *plan,
                 GArray          *results)
{
  const int64_t n = plan->attn_tokens * plan->attn_heads * plan->attn_dim;
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  g_autofree float *q = random_floats (rand, n);
  g_autofree float *k = random_floats (rand, n);
  g_autofree float *v = random_floats (rand, n);
  ReelBackend *backends[2] = { cpu, vk };
  const char *labels[2] = { "cpu", "vulkan" };
  BackendAttention at[2] = { { NULL } };
  BackendMatmul mm[2] = { { NULL } };
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_tensor_unref);
  BenchCase cases[4];
  guint n_cases = 0;
  /* Counted as its two products, q·kᵀ and p·v: 2·2·tokens²·dim per head. The softmax's
   * work comes on top; the ratio to the matmul rate shows what it costs. That rate is taken
   * at equal FLOPs, in the same rounds: a tokens × tokens × 2·dim·heads product. */
  const double flops = 4.0 * plan->attn_tokens * plan->attn_tokens * plan->attn_dim
                       * plan->attn_heads;
  const MatmulShape equal = {
    plan->attn_tokens, plan->attn_tokens, 2 * plan->attn_dim * plan->attn_heads,
  };
  g_autofree float *ma = random_floats (rand, equal.m * equal.k);
  g_autofree float *mb = random_floats (rand, equal.k * equal.n);

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      ReelTensor *tq, *tk = NULL, *tv = NULL, *tout = NULL, *ta = NULL, *tb = NULL, *tc = NULL;

      if (backends[i] == NULL)
        continue;
      tq = kept_tensor (keep, backends[i], q, n, &error);
      tk = tq ? kept_tensor (keep, backends[i], k, n, &error) : NULL;
      tv = tk ? kept_tensor (keep, backends[i], v, n, &error) : NULL;
      tout = tv ? kept_tensor (keep, backends[i], NULL, n, &error) : NULL;
      if (tout == NULL)
        {
          report_failure ("attention", labels[i], error);
          continue;
        }
      at[i] = (BackendAttention) {
        backends[i], tq, tk, tv, tout, plan->attn_tokens, plan->attn_heads, plan->attn_dim,
      };
      cases[n_cases++] = (BenchCase) {
        "attention", labels[i],
        g_strdup_printf ("tokens=%" G_GINT64_FORMAT " heads=%" G_GINT64_FORMAT
                         " dim=%" G_GINT64_FORMAT, plan->attn_tokens, plan->attn_heads,
                         plan->attn_dim),
        flops, 1, run_backend_attention, &at[i],
      };

      ta = kept_tensor (keep, backends[i], ma, equal.m * equal.k, &error);
      tb = ta ? kept_tensor (keep, backends[i], mb, equal.k * equal.n, &error) : NULL;
      tc = tb ? kept_tensor (keep, backends[i], NULL, equal.m * equal.n, &error) : NULL;
      if (tc == NULL)
        {
          report_failure ("matmul", labels[i], error);
          continue;
        }
      mm[i] = (BackendMatmul) { backends[i], ta, tb, tc, equal.m, equal.n, equal.k };
      cases[n_cases++] = (BenchCase) {
        "matmul", labels[i], matmul_shape_string (&equal), flops, 1, run_backend_matmul,
        &mm[i],
      };
    }
  run_cases (cases, n_cases, plan, results);
}

/* One add and a sync (the round trip), then many adds per sync (what one more op in a batch
 * costs); both are reported per add. */
static void
bench_dispatch (ReelBackend     *cpu,
                ReelBackend     *vk,
                const BenchPlan *plan,
                GArray          *results)
{
  const int64_t len = plan->dispatch_len;
  g_autoptr(GRand) rand = g_rand_new_with_seed (BENCH_SEED);
  g_autofree float *a = random_floats (rand, len);
  g_autofree float *b = random_floats (rand, len);
  ReelBackend *backends[2] = { cpu, vk };
  const char *labels[2] = { "cpu", "vulkan" };
  const int64_t counts[2] = { 1, plan->dispatch_count };
  BackendDispatch dp[4] = { { NULL } };
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func ((GDestroyNotify) reel_tensor_unref);
  BenchCase cases[4];
  guint n_cases = 0;

  for (int i = 0; i < 2; i++)
    {
      g_autoptr(GError) error = NULL;
      ReelTensor *ta, *tb = NULL, *tout = NULL;

      if (backends[i] == NULL)
        continue;
      ta = kept_tensor (keep, backends[i], a, len, &error);
      tb = ta ? kept_tensor (keep, backends[i], b, len, &error) : NULL;
      tout = tb ? kept_tensor (keep, backends[i], NULL, len, &error) : NULL;
      if (tout == NULL)
        {
          report_failure ("dispatch", labels[i], error);
          continue;
        }
      for (int j = 0; j < 2; j++)
        {
          dp[n_cases] = (BackendDispatch) { backends[i], ta, tb, tout, len, counts[j] };
          cases[n_cases] = (BenchCase) {
            "dispatch", labels[i],
            g_strdup_printf ("add n=%" G_GINT64_FORMAT " x%" G_GINT64_FORMAT " + sync", len,
                             counts[j]),
            (double) len * (double) counts[j], (double) counts[j], run_backend_dispatch,
            &dp[n_cases],
          };
          n_cases++;
        }
    }
  run_cases (cases, n_cases, plan, results);
}

/* ---- Output ---- */

static const BenchResult *
find_result (GArray     *results,
             const char *op,
             const char *backend,
             const char *shape)
{
  for (guint i = 0; i < results->len; i++)
    {
      const BenchResult *r = &g_array_index (results, BenchResult, i);

      if (g_str_equal (r->op, op) && g_str_equal (r->backend, backend)
          && (shape == NULL || g_str_equal (r->shape, shape)))
        return r;
    }
  return NULL;
}

static void
print_table (GArray          *results,
             const BenchPlan *plan,
             const char      *cpu_name,
             const char      *vk_name)
{
  printf (_("Engine benchmark: each line the median of %d runs (3 for calls over 2 s) after "
            "%d warm-up calls, the backends' runs taking turns; inputs uniform in [-1, 1] "
            "from seed %d.\n"), plan->runs, plan->warmup, BENCH_SEED);
  printf ("  cpu:    %s\n", cpu_name);
  printf ("  vulkan: %s\n", vk_name != NULL ? vk_name : _("(not available)"));
  printf (_("  matmul shapes are MxNxK; dispatch times are per op.\n\n"));
  printf ("%-10s %-30s %-9s %10s %12s\n", "op", "shape", "backend", "GFLOP/s", "ms");
  for (guint i = 0; i < results->len; i++)
    {
      const BenchResult *r = &g_array_index (results, BenchResult, i);

      printf ("%-10s %-30s %-9s %10.4g %12.4g\n", r->op, r->shape, r->backend, r->gflops,
              r->ms);
    }

  /* The ratios the engine's targets are stated in. */
  printf ("\n");
  for (gsize i = 0; i < plan->n_matmuls; i++)
    {
      g_autofree char *shape = matmul_shape_string (&plan->matmuls[i]);
      const BenchResult *blas = find_result (results, "matmul", "openblas", shape);

      for (int b = 0; b < 2; b++)
        {
          const char *backend = b == 0 ? "cpu" : "vulkan";
          const BenchResult *r = find_result (results, "matmul", backend, shape);

          if (blas != NULL && r != NULL && blas->gflops > 0)
            printf (_("matmul %s: %s at %.2fx OpenBLAS\n"), shape, backend,
                    r->gflops / blas->gflops);
        }
    }
  for (int b = 0; b < 2; b++)
    {
      const char *backend = b == 0 ? "cpu" : "vulkan";
      const MatmulShape equal = {
        plan->attn_tokens, plan->attn_tokens, 2 * plan->attn_dim * plan->attn_heads,
      };
      g_autofree char *shape = matmul_shape_string (&equal);
      const BenchResult *mm = find_result (results, "matmul", backend, shape);
      const BenchResult *at = find_result (results, "attention", backend, NULL);

      if (mm != NULL && at != NULL && mm->gflops > 0)
        printf (_("attention on %s: %.2fx its matmul rate at equal FLOPs (%s)\n"), backend,
                at->gflops / mm->gflops, shape);
    }
}

static void
print_json (GArray *results)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "results");
  json_builder_begin_array (builder);
  for (guint i = 0; i < results->len; i++)
    {
      const BenchResult *r = &g_array_index (results, BenchResult, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, r->op);
      json_builder_set_member_name (builder, "backend");
      json_builder_add_string_value (builder, r->backend);
      json_builder_set_member_name (builder, "shape");
      json_builder_add_string_value (builder, r->shape);
      json_builder_set_member_name (builder, "gflops");
      json_builder_add_double_value (builder, r->gflops);
      json_builder_set_member_name (builder, "ms");
      json_builder_add_double_value (builder, r->ms);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  printf ("%s\n", text);
}

int
reel_cmd_bench (int    argc,
                char **argv)
{
  gboolean json = FALSE, quick = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the results as JSON"), NULL },
    { "quick", 0, 0, G_OPTION_ARG_NONE, &quick,
      N_("Tiny sizes and few runs: checks that the benchmark works, measures nothing"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("engine");
  g_autoptr(GError) error = NULL;
  g_autoptr(ReelBackend) cpu = NULL;
  g_autoptr(ReelBackend) vk = NULL;
  g_autoptr(GArray) results = g_array_new (FALSE, FALSE, sizeof (BenchResult));
  const BenchPlan *plan;

  /* `reel bench safety` scores the prompt policy; it lives in reel-cmd-bench-safety.c. */
  if (argc >= 2 && g_str_equal (argv[1], "safety"))
    return reel_cmd_bench_safety (argc, argv);

  g_array_set_clear_func (results, bench_result_clear);
  g_option_context_set_summary (context,
                                _("Measures the engine's matrix product, attention and "
                                  "per-op overhead on the Vulkan device and the CPU, with "
                                  "OpenBLAS as the yardstick."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error)
      || argc != 2 || !g_str_equal (argv[1], "engine"))
    {
      fprintf (stderr, "%s\n  reel bench engine [--json] [--quick]\n"
               "  reel bench safety [--set FILE.jsonl] [--preset default|classroom] [--json]\n",
               error != NULL ? error->message : _("Usage:"));
      return 2;
    }
  plan = quick ? &quick_plan : &full_plan;

  cpu = reel_cpu_backend_new ();
  vk = reel_vk_backend_new (NULL, &error);
  if (vk == NULL)
    {
      fprintf (stderr, _("reel bench: no Vulkan device, so only the CPU is measured: %s\n"),
               error->message);
      g_clear_error (&error);
    }

  for (gsize i = 0; i < plan->n_matmuls; i++)
    bench_matmul (&plan->matmuls[i], cpu, vk, plan, results);
  bench_attention (cpu, vk, plan, results);
  bench_dispatch (cpu, vk, plan, results);

  if (json)
    print_json (results);
  else
    print_table (results, plan, reel_backend_get_name (cpu),
                 vk != NULL ? reel_backend_get_name (vk) : NULL);
  return results->len > 0 ? 0 : 1;
}
